/* test-usage-totals.c: tally_usage_totals_async(), the totals of a query under
 * every filter, against the demo server as today's and as a December 2025 server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tally-test-demo.h"
#include "tally-test-utils.h"
#include "tally-usage-query.h"
#include "tally-usage-stats.h"
#include "tally-usage-totals.h"

#define SEED 7
#define ROWS 6000
#define DAYS 30
#define TODAY "2026-01-15"
#define GUARD_SECONDS 30

typedef struct
{
  TallyDemoGeneration generation;
  TallyTestDemo demo;
} Fixture;

typedef struct
{
  gint64 counted;
  gint64 total;
} Progress;

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  f->generation = GPOINTER_TO_UINT (data);
  tally_test_demo_start_sized (&f->demo, SEED, DAYS, ROWS, f->generation);
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  tally_test_demo_stop (&f->demo);
}

static void
record_progress_cb (gint64 counted,
                    gint64 total,
                    gpointer user_data)
{
  Progress step = { counted, total };

  g_array_append_val ((GArray *) user_data, step);
}

/* The totals of @query through @client; @progress (optional) gets every step. */
static TallyUsageStats *
totals (TallyClient *client,
        const TallyUsageQuery *query,
        GArray *progress)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  TallyUsageStats *stats;

  tally_usage_totals_async (client, query, progress != NULL ? record_progress_cb : NULL, progress, NULL,
                            NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  stats = tally_usage_totals_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stats);
  return stats;
}

static void
raw_sums (Fixture *f,
          const TallyUsageQuery *query,
          TallyTestRowSums *sums)
{
  g_autofree char *params = tally_usage_query_to_list_params (query, 0, 0);

  tally_test_sum_rows (f->demo.soup, tally_demo_server_get_url (f->demo.server), f->demo.token, params, sums);
}

/* The totals equal the raw rows of the query, exactly. */
static void
assert_totals (Fixture *f,
               const TallyUsageQuery *query,
               TallyTestRowSums *sums)
{
  g_autoptr (TallyUsageStats) stats = totals (f->demo.client, query, NULL);

  raw_sums (f, query, sums);
  tally_test_assert_stats_sums (stats, sums);
}

static TallyUsageQuery *
query_new (const char *start,
           const char *end)
{
  TallyUsageQuery *query = tally_usage_query_new ();

  g_assert_true (tally_usage_query_set_range (query, start, end, NULL));
  return query;
}

/* The model of the newest row (the demo's most used model is not needed:
 * any model some rows have and others not). */
static char *
some_model (Fixture *f)
{
  g_autoptr (JsonNode) node = tally_test_demo_fetch_raw (&f->demo, "GET", "/usage?page_size=1", NULL);
  JsonArray *items = json_object_get_array_member (json_node_get_object (node), "items");

  return g_strdup (json_object_get_string_member (json_array_get_object_element (items, 0), "model"));
}

/* key × model × stream × billing, over two ranges: every figure is the sum of
 * the filtered rows, and each filter changes the figures. */
static void
test_combinations (Fixture *f,
                   gconstpointer data)
{
  static const char *const ranges[][2] = { { "2026-01-09", TODAY }, { "2026-01-01", "2026-01-08" } };
  static const gint64 keys[] = { 0, 3 };
  static const TallyStreamFilter streams[] = { TALLY_STREAM_ANY, TALLY_STREAM_STREAM, TALLY_STREAM_SYNC };
  static const TallyBillingType billings[] = { TALLY_BILLING_ANY, TALLY_BILLING_BALANCE, TALLY_BILLING_SUBSCRIPTION };
  g_autofree char *model = some_model (f);
  guint n_combinations = 0;

  for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
    {
      TallyTestRowSums all;
      g_autoptr (TallyUsageQuery) unfiltered = query_new (ranges[r][0], ranges[r][1]);

      assert_totals (f, unfiltered, &all);
      g_assert_cmpint (all.requests, >, 200);

      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        for (guint m = 0; m < 2; m++)
          for (guint s = 0; s < G_N_ELEMENTS (streams); s++)
            for (guint b = 0; b < G_N_ELEMENTS (billings); b++)
              {
                g_autoptr (TallyUsageQuery) query = query_new (ranges[r][0], ranges[r][1]);
                TallyTestRowSums sums;

                tally_usage_query_set_api_key_id (query, keys[k]);
                tally_usage_query_set_model (query, m == 1 ? model : NULL);
                tally_usage_query_set_stream (query, streams[s]);
                tally_usage_query_set_billing (query, billings[b]);
                assert_totals (f, query, &sums);
                n_combinations++;

                /* a filter that left the figures alone would not be tested */
                if (k + m + s + b > 0)
                  g_assert_cmpint (sums.requests, <, all.requests);
                if (k + m + s + b == 1)
                  g_assert_cmpint (sums.requests, >, 0);
              }
    }
  g_assert_cmpuint (n_combinations, ==, 72);
}

/* A date left open is counted on every server (/usage/stats would answer
 * "today" or "the last 7 days" there). */
static void
test_open_range (Fixture *f,
                 gconstpointer data)
{
  static const char *const ranges[][2] = { { "2026-01-10", NULL }, { NULL, "2026-01-03" }, { NULL, NULL } };

  for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
    {
      g_autoptr (TallyUsageQuery) query = query_new (ranges[r][0], ranges[r][1]);
      TallyTestRowSums sums;

      tally_usage_query_set_stream (query, r == 1 ? TALLY_STREAM_SYNC : TALLY_STREAM_ANY);
      tally_demo_server_reset_request_counts (f->demo.server);
      assert_totals (f, query, &sums);
      g_assert_cmpint (sums.requests, >, 100);
      g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/stats"), ==, 0);
      g_assert_true (tally_usage_totals_may_count (query));
    }
}

static guint
pages_of (gint64 rows,
          gint64 page_size)
{
  return rows == 0 ? 1 : (guint) ((rows + page_size - 1) / page_size);
}

/* What a filtered count costs: today's server answers /usage/stats with the
 * filters (after one probe per client); a December 2025 server's filtered
 * rows are read at 100 a page. An unfiltered query is one /usage/stats. */
static void
test_requests (Fixture *f,
               gconstpointer data)
{
  g_autoptr (TallyUsageQuery) filtered = query_new ("2026-01-09", TODAY);
  g_autoptr (TallyUsageQuery) plain = query_new ("2026-01-09", TODAY);
  g_autoptr (TallyUsageStats) first = NULL;
  g_autoptr (TallyUsageStats) second = NULL;
  g_autoptr (TallyUsageStats) unfiltered = NULL;
  g_autoptr (GArray) progress = g_array_new (FALSE, FALSE, sizeof (Progress));
  TallyTestRowSums sums;
  TallyDemoServer *server = f->demo.server;

  tally_usage_query_set_billing (filtered, TALLY_BILLING_BALANCE);
  raw_sums (f, filtered, &sums);

  tally_demo_server_reset_request_counts (server);
  first = totals (f->demo.client, filtered, NULL);
  tally_test_assert_stats_sums (first, &sums);
  if (f->generation == TALLY_DEMO_GENERATION_CURRENT)
    {
      /* the probe (page_size=101 echoed), then the server's own totals */
      g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage"), ==, 1);
      g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage/stats"), ==, 1);
      g_assert_cmpint (tally_client_get_max_page_size (f->demo.client), ==, 1000);
    }
  else
    {
      /* the probe (echo 20), page 1 asked with 1000 (echo 20) and again with 100, the rest at 100 */
      g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage"), ==, 2 + pages_of (sums.requests, 100));
      g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage/stats"), ==, 0);
      g_assert_cmpint (tally_client_get_max_page_size (f->demo.client), ==, 100);
    }

  /* the client remembers what the server is */
  tally_demo_server_reset_request_counts (server);
  second = totals (f->demo.client, filtered, progress);
  tally_test_assert_stats_sums (second, &sums);
  if (f->generation == TALLY_DEMO_GENERATION_CURRENT)
    {
      g_assert_cmpuint (tally_demo_server_get_request_count (server, NULL), ==, 1);
      g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage/stats"), ==, 1);
      g_assert_cmpuint (progress->len, ==, 0);
    }
  else
    {
      g_assert_cmpuint (tally_demo_server_get_request_count (server, NULL), ==, pages_of (sums.requests, 100));
      g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage"), ==, pages_of (sums.requests, 100));
      g_assert_cmpuint (progress->len, ==, 1 + pages_of (sums.requests, 100));
    }

  /* no filter /usage/stats ignores: one request on both */
  tally_demo_server_reset_request_counts (server);
  tally_usage_query_set_api_key_id (plain, 3);
  unfiltered = totals (f->demo.client, plain, NULL);
  raw_sums (f, plain, &sums);
  tally_test_assert_stats_sums (unfiltered, &sums);
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage/stats"), ==, 1);
}

/* Progress while rows are counted: (0, -1), then after every page the rows
 * counted so far of page 1's total, ending on the total. */
static void
test_progress (Fixture *f,
               gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = query_new (NULL, NULL);
  g_autoptr (TallyUsageStats) stats = NULL;
  g_autoptr (GArray) progress = g_array_new (FALSE, FALSE, sizeof (Progress));
  gint64 page_size = f->generation == TALLY_DEMO_GENERATION_CURRENT ? 1000 : 100;
  TallyTestRowSums sums;

  raw_sums (f, query, &sums);
  g_assert_cmpint (sums.requests, >, 2 * page_size);
  stats = totals (f->demo.client, query, progress);
  tally_test_assert_stats_sums (stats, &sums);

  g_assert_cmpuint (progress->len, ==, 1 + pages_of (sums.requests, page_size));
  g_assert_cmpint (g_array_index (progress, Progress, 0).counted, ==, 0);
  g_assert_cmpint (g_array_index (progress, Progress, 0).total, ==, -1);
  for (guint i = 1; i < progress->len; i++)
    {
      Progress *step = &g_array_index (progress, Progress, i);

      g_assert_cmpint (step->total, ==, sums.requests);
      g_assert_cmpint (step->counted, ==, MIN ((gint64) i * page_size, sums.requests));
    }
}

static void
cancel_on_first_page_cb (gint64 counted,
                         gint64 total,
                         gpointer user_data)
{
  GCancellable *cancellable = user_data;
  guint n = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cancellable), "n-progress"));

  g_assert_false (g_cancellable_is_cancelled (cancellable));
  g_object_set_data (G_OBJECT (cancellable), "n-progress", GUINT_TO_POINTER (n + 1));
  if (counted > 0)
    {
      g_assert_cmpint (counted, <, total);
      g_cancellable_cancel (cancellable);
    }
}

/* Cancelled mid-count: the walk stops, no progress comes after the cancel,
 * and the operation ends once, cancelled. */
static void
test_cancel (Fixture *f,
             gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = query_new (NULL, NULL);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  TallyUsageStats *stats;
  guint n_requests;

  /* slow answers: the later pages are still out when page 1 arrives */
  tally_demo_server_set_delay (f->demo.server, 80);
  tally_demo_server_reset_request_counts (f->demo.server);
  tally_usage_totals_async (f->demo.client, query, cancel_on_first_page_cb, cancellable, NULL,
                            cancellable, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  stats = tally_usage_totals_finish (result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (stats);
  /* (0, -1) and page 1 */
  g_assert_cmpuint (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cancellable), "n-progress")), ==, 2);

  /* nothing more arrives, and no page is asked for after the cancel */
  n_requests = tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage");
  tally_test_spin (500);
  g_assert_null (slot);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cancellable), "n-progress")), ==, 2);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage"), ==, n_requests);
  tally_demo_server_set_delay (f->demo.server, 0);
}

#define add(name, func) TALLY_TEST_ADD_GENERATIONS ("/usage-totals", name, Fixture, fixture_setup, func, fixture_teardown)

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add ("combinations", test_combinations);
  add ("open-range", test_open_range);
  add ("requests", test_requests);
  add ("progress", test_progress);
  add ("cancel", test_cancel);

  return g_test_run ();
}

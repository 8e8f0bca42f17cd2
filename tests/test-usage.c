/* test-usage.c: TallyUsage, the usage view's view model, against the demo server (no display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "tally-demo-server.h"
#include "tally-log-list.h"
#include "tally-server-time.h"
#include "tally-session.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-usage-stats.h"
#include "tally-usage.h"

#define GUARD_SECONDS 20
#define NOW 1768449600 /* 2026-01-15 12:00 +08:00 */
#define TODAY "2026-01-15"

typedef struct
{
  TallyDemoGeneration generation;
  TallyDemoServer *server;
  TallySession *session;
  SoupSession *soup;
  char *token;
  TallyUsage *usage;
} Fixture;

/* A demo server of @data's generation with a frozen clock, and a session
 * logged in to it the way `tally --demo` is. */
static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  f->generation = GPOINTER_TO_UINT (data);
  f->server = g_object_new (TALLY_TYPE_DEMO_SERVER,
                            "seed", (guint64) 7,
                            "now", (gint64) NOW,
                            "utc-offset", 28800,
                            "rows", 3000,
                            "generation", (guint) f->generation,
                            NULL);
  f->session = tally_session_new ();
  tally_test_session_start_demo (f->session, f->server);
  g_assert_cmpstr (tally_session_get_server_today (f->session), ==, TODAY);

  f->token = tally_demo_server_issue_token (f->server, 3600);
  f->soup = soup_session_new ();
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  /* requests in flight never keep the view model alive */
  if (f->usage != NULL)
    g_assert_finalize_object (f->usage);
  g_assert_finalize_object (f->soup);
  g_assert_finalize_object (f->session);
  tally_demo_server_stop (f->server);
  g_assert_finalize_object (f->server);
  g_free (f->token);
}

static JsonObject *
fetch_raw (Fixture *f,
           const char *path)
{
  g_autoptr (JsonNode) node = tally_test_fetch_raw (f->soup, tally_demo_server_get_url (f->server), f->token,
                                                    "GET", path, NULL);

  return json_object_ref (json_node_get_object (node));
}

static JsonObject *
raw_stats (Fixture *f,
           const TallyUsageQuery *query)
{
  g_autofree char *params = tally_usage_query_to_stats_params (query);
  g_autofree char *path = g_strdup_printf ("/usage/stats?%s", params);

  return fetch_raw (f, path);
}

static gint64
raw_total (Fixture *f,
           const TallyUsageQuery *query)
{
  g_autofree char *params = tally_usage_query_to_list_params (query, 1, 1);
  g_autofree char *path = g_strdup_printf ("/usage?%s", params);
  g_autoptr (JsonObject) page = fetch_raw (f, path);

  return json_object_get_int_member (page, "total");
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer user_data)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The model names of /usage/dashboard/models for the query's range, sorted. */
static GStrv
raw_models (Fixture *f,
            const TallyUsageQuery *query)
{
  g_autofree char *path = g_strdup_printf ("/usage/dashboard/models?start_date=%s&end_date=%s",
                                           tally_usage_query_get_start_date (query),
                                           tally_usage_query_get_end_date (query));
  g_autoptr (JsonObject) data = fetch_raw (f, path);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *models = json_object_get_array_member (data, "models");
  GStrv names;

  for (guint i = 0; i < json_array_get_length (models); i++)
    {
      const char *name = json_object_get_string_member (json_array_get_object_element (models, i), "model");

      if (name[0] != '\0')
        g_strv_builder_add (builder, name);
    }
  names = g_strv_builder_end (builder);
  g_qsort_with_data (names, g_strv_length (names), sizeof (char *), compare_strings, NULL);

  return names;
}

static void
assert_stats_equal (TallyUsageStats *stats,
                    JsonObject *raw)
{
  g_assert_nonnull (stats);
  g_assert_cmpint (tally_usage_stats_get_total_requests (stats), ==, json_object_get_int_member (raw, "total_requests"));
  g_assert_cmpint (tally_usage_stats_get_total_tokens (stats), ==, json_object_get_int_member (raw, "total_tokens"));
  g_assert_cmpint (tally_usage_stats_get_total_input_tokens (stats), ==, json_object_get_int_member (raw, "total_input_tokens"));
  g_assert_cmpint (tally_usage_stats_get_total_output_tokens (stats), ==, json_object_get_int_member (raw, "total_output_tokens"));
  g_assert_cmpfloat (tally_usage_stats_get_total_cost (stats), ==, json_object_get_double_member (raw, "total_cost"));
  g_assert_cmpfloat (tally_usage_stats_get_total_actual_cost (stats), ==, json_object_get_double_member (raw, "total_actual_cost"));
  g_assert_cmpfloat (tally_usage_stats_get_average_duration_ms (stats), ==, json_object_get_double_member (raw, "average_duration_ms"));
}

/* @stats are the exact sums of the query's rows, fetched raw. */
static void
assert_row_sums (Fixture *f,
                 TallyUsageStats *stats,
                 const TallyUsageQuery *query)
{
  g_autofree char *params = tally_usage_query_to_list_params (query, 0, 0);
  TallyTestRowSums sums;

  tally_test_sum_rows (f->soup, tally_demo_server_get_url (f->server), f->token, params, &sums);
  tally_test_assert_stats_sums (stats, &sums);
}

static gboolean
usage_settled (gpointer data)
{
  TallyUsage *usage = data;
  TallyLogList *log = tally_usage_get_log (usage);

  return !tally_usage_get_busy (usage) && (tally_log_list_get_ready (log) || tally_log_list_get_error (log) != NULL);
}

static void
wait_settled (TallyUsage *usage,
              const char *what)
{
  /* queued idles (the list fetches page 1 on idle) run first */
  tally_test_spin (10);
  tally_test_wait_until (usage_settled, usage, 20, GUARD_SECONDS, what);
}

static gboolean
models_loaded (gpointer data)
{
  return tally_usage_get_models (data) != NULL;
}

static gboolean
details_loaded (gpointer data)
{
  return tally_usage_get_details_loaded (data);
}

static void
count_cb (GObject *object,
          GParamSpec *pspec,
          gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* Non-NULL values of "stats" as they are set, to catch a stale answer. */
static void
record_stats_cb (TallyUsage *usage,
                 GParamSpec *pspec,
                 GPtrArray *seen)
{
  if (tally_usage_get_stats (usage) != NULL)
    g_ptr_array_add (seen, g_object_ref (tally_usage_get_stats (usage)));
}

static TallyUsageQuery *
query_for (const char *start,
           const char *end,
           gint64 api_key_id)
{
  TallyUsageQuery *query = tally_usage_query_new ();

  g_assert_true (tally_usage_query_set_range (query, start, end, NULL));
  tally_usage_query_set_api_key_id (query, api_key_id);
  return query;
}

/* A TallyUsage without a session: nothing to show, nothing asked. */
static void
test_no_session (void)
{
  g_autoptr (TallyUsage) usage = tally_usage_new (NULL);
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();

  g_assert_null (tally_usage_get_session (usage));
  g_assert_null (tally_usage_get_query (usage));
  g_assert_false (tally_usage_get_logged_in (usage));
  g_assert_false (tally_usage_get_busy (usage));
  g_assert_null (tally_usage_get_stats (usage));
  g_assert_null (tally_usage_get_models (usage));
  g_assert_null (tally_usage_get_keys (usage));
  g_assert_null (tally_usage_get_server_today (usage));
  g_assert_null (tally_usage_get_key_name (usage, 1));
  g_assert_false (tally_usage_get_counting (usage));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tally_usage_get_log (usage))), ==, 0);
  g_assert_null (tally_log_list_get_client (tally_usage_get_log (usage)));

  /* setting a filter without a session is a no-op */
  tally_usage_query_set_api_key_id (query, 3);
  tally_usage_set_query (usage, query);
  g_assert_null (tally_usage_get_query (usage));
  tally_usage_refresh (usage);
  tally_test_spin (50);
  g_assert_false (tally_usage_get_busy (usage));
}

/* The session's filter is the view model's; the default range; the totals
 * and the list of a filter are the server's own figures. */
static void
test_filter (Fixture *f,
             gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = NULL;
  g_autoptr (JsonObject) stats = NULL;
  g_auto (GStrv) models = NULL;
  TallyLogList *log;
  guint n_query = 0;

  f->usage = tally_usage_new (f->session);
  log = tally_usage_get_log (f->usage);
  g_signal_connect (f->usage, "notify::query", G_CALLBACK (count_cb), &n_query);
  g_assert_true (tally_usage_get_session (f->usage) == f->session);
  g_assert_true (tally_usage_get_logged_in (f->usage));
  g_assert_true (tally_usage_get_keys (f->usage) == tally_session_get_keys (f->session));
  g_assert_cmpstr (tally_usage_get_server_today (f->usage), ==, TODAY);
  g_assert_true (tally_log_list_get_client (log) == tally_session_get_client (f->session));

  /* a query without dates got the last 7 days ending on the server's day */
  g_assert_cmpstr (tally_usage_query_get_start_date (tally_usage_get_query (f->usage)), ==, "2026-01-09");
  g_assert_cmpstr (tally_usage_query_get_end_date (tally_usage_get_query (f->usage)), ==, TODAY);
  g_assert_true (tally_usage_get_query (f->usage) == tally_session_get_usage_query (f->session));
  g_assert_true (tally_usage_query_equal (tally_log_list_get_query (log), tally_usage_get_query (f->usage)));
  g_assert_true (tally_usage_get_stats_loading (f->usage));
  wait_settled (f->usage, "the default range");
  stats = raw_stats (f, tally_usage_get_query (f->usage));
  assert_stats_equal (tally_usage_get_stats (f->usage), stats);
  g_assert_cmpuint (tally_log_list_get_n_items (log), ==, raw_total (f, tally_usage_get_query (f->usage)));
  g_clear_pointer (&stats, json_object_unref);

  /* key 1 over 14 days: the list, the totals and the models follow */
  query = query_for ("2026-01-02", TODAY, 1);
  n_query = 0;
  tally_usage_set_query (f->usage, query);
  g_assert_cmpuint (n_query, ==, 1);
  g_assert_true (tally_usage_query_equal (tally_session_get_usage_query (f->session), query));
  g_assert_true (tally_usage_query_equal (tally_log_list_get_query (log), query));
  g_assert_null (tally_usage_get_stats (f->usage)); /* the old totals do not apply */
  wait_settled (f->usage, "key 1");
  stats = raw_stats (f, query);
  assert_stats_equal (tally_usage_get_stats (f->usage), stats);
  g_assert_cmpint (json_object_get_int_member (stats, "total_requests"), >, 100);
  g_assert_cmpuint (tally_log_list_get_n_items (log), ==, raw_total (f, query));
  g_assert_cmpint (tally_log_list_get_n_items (log), ==, json_object_get_int_member (stats, "total_requests"));
  g_assert_null (tally_usage_get_stats_error (f->usage));

  tally_test_wait_until (models_loaded, f->usage, 20, GUARD_SECONDS, "the models");
  models = raw_models (f, query);
  g_assert_cmpuint (g_strv_length (models), >, 1);
  g_assert_true (g_strv_equal ((const char *const *) models, tally_usage_get_models (f->usage)));

  /* the session's filter set elsewhere (the dashboard's "filter by this key") */
  tally_usage_query_set_api_key_id (query, 3);
  tally_usage_query_set_stream (query, TALLY_STREAM_SYNC);
  n_query = 0;
  tally_session_set_usage_query (f->session, query);
  g_assert_cmpuint (n_query, ==, 1);
  wait_settled (f->usage, "key 3, sync");
  /* the sync rows of key 3 only, on both servers */
  assert_row_sums (f, tally_usage_get_stats (f->usage), query);
  g_assert_cmpuint (tally_log_list_get_n_items (log), ==, raw_total (f, query));
  g_assert_cmpint (tally_usage_stats_get_total_requests (tally_usage_get_stats (f->usage)), ==, raw_total (f, query));

  /* a key the account has, and one it does not */
  g_assert_nonnull (tally_usage_get_key_name (f->usage, 1));
  g_assert_cmpstr (tally_usage_get_key_name (f->usage, 1), !=, "");
  g_assert_null (tally_usage_get_key_name (f->usage, 7));
}

/* A new filter cancels the totals and the models of the old one: no stale
 * answer is ever applied. */
static void
test_cancel (Fixture *f,
             gconstpointer data)
{
  g_autoptr (TallyUsageQuery) a = query_for ("2026-01-09", TODAY, 1);
  g_autoptr (TallyUsageQuery) b = query_for ("2026-01-02", TODAY, 3);
  g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (JsonObject) stats_a = NULL;
  g_autoptr (JsonObject) stats_b = NULL;
  g_auto (GStrv) models = NULL;
  guint n_models = 0;

  stats_a = raw_stats (f, a);
  stats_b = raw_stats (f, b);
  g_assert_cmpint (json_object_get_int_member (stats_a, "total_requests"), !=,
                   json_object_get_int_member (stats_b, "total_requests"));

  /* every answer takes a while: both filters' requests are in flight */
  tally_demo_server_set_delay (f->server, 150);
  f->usage = tally_usage_new (f->session);
  g_signal_connect (f->usage, "notify::stats", G_CALLBACK (record_stats_cb), seen);
  g_signal_connect (f->usage, "notify::models", G_CALLBACK (count_cb), &n_models);

  tally_usage_set_query (f->usage, a);
  g_assert_true (tally_usage_get_stats_loading (f->usage));
  tally_test_spin (30);
  tally_usage_set_query (f->usage, b);
  wait_settled (f->usage, "filter b");
  tally_test_wait_until (models_loaded, f->usage, 20, GUARD_SECONDS, "the models");
  /* long enough for a cancelled answer to come back, were it not dropped */
  tally_test_spin (400);

  g_assert_cmpuint (seen->len, ==, 1);
  assert_stats_equal (g_ptr_array_index (seen, 0), stats_b);
  assert_stats_equal (tally_usage_get_stats (f->usage), stats_b);
  g_assert_cmpuint (n_models, ==, 1);
  models = raw_models (f, b);
  g_assert_true (g_strv_equal ((const char *const *) models, tally_usage_get_models (f->usage)));
  g_assert_cmpuint (tally_log_list_get_n_items (tally_usage_get_log (f->usage)), ==, raw_total (f, b));

  /* the last reference drops the view model at once, requests in flight or
   * not (the teardown checks it is finalized), and their answers touch nothing */
  tally_usage_refresh (f->usage);
  g_assert_true (tally_usage_get_stats_loading (f->usage));
  g_assert_finalize_object (g_steal_pointer (&f->usage));
  tally_test_spin (400);
}

typedef struct
{
  gboolean seen_counting;
  gint64 last_counted;
  gint64 last_total;
  guint n_steps;
} Counting;

static void
record_counting_cb (TallyUsage *usage,
                    GParamSpec *pspec,
                    Counting *counting)
{
  if (!tally_usage_get_counting (usage))
    return;
  counting->seen_counting = TRUE;
  if (tally_usage_get_counted (usage) != counting->last_counted || tally_usage_get_count_total (usage) != counting->last_total)
    counting->n_steps++;
  counting->last_counted = tally_usage_get_counted (usage);
  counting->last_total = tally_usage_get_count_total (usage);
}

static gboolean
counted_some (gpointer data)
{
  return tally_usage_get_counted (data) > 0;
}

/* Under a model, type or billing filter the totals are the filtered rows'
 * on both servers: a December 2025 server's rows are counted ("counting",
 * "counted" of "count-total"), and a new filter cancels a count. */
static void
test_count (Fixture *f,
            gconstpointer data)
{
  g_autoptr (TallyUsageQuery) a = query_for ("2026-01-09", TODAY, 0);
  g_autoptr (TallyUsageQuery) b = query_for ("2026-01-01", TODAY, 0);
  g_autoptr (TallyUsageQuery) c = query_for ("2026-01-09", TODAY, 0);
  g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_object_unref);
  Counting counting = { FALSE, 0, -1, 0 };
  gboolean old_server = f->generation == TALLY_DEMO_GENERATION_2025;

  tally_usage_query_set_model (a, "claude-sonnet-4-5-20250929");
  tally_usage_query_set_stream (b, TALLY_STREAM_SYNC);
  tally_usage_query_set_billing (c, TALLY_BILLING_SUBSCRIPTION);

  f->usage = tally_usage_new (f->session);
  wait_settled (f->usage, "the default range");
  g_signal_connect (f->usage, "notify::counted", G_CALLBACK (record_counting_cb), &counting);
  g_signal_connect (f->usage, "notify::count-total", G_CALLBACK (record_counting_cb), &counting);
  g_signal_connect (f->usage, "notify::counting", G_CALLBACK (record_counting_cb), &counting);

  tally_usage_set_query (f->usage, a);
  wait_settled (f->usage, "one model");
  assert_row_sums (f, tally_usage_get_stats (f->usage), a);
  g_assert_cmpint (counting.seen_counting, ==, old_server);
  if (old_server)
    {
      g_assert_cmpint (counting.last_counted, ==, tally_usage_stats_get_total_requests (tally_usage_get_stats (f->usage)));
      g_assert_cmpint (counting.last_total, ==, counting.last_counted);
      /* after (0, unknown): one step a page of 100 */
      g_assert_cmpuint (counting.n_steps, ==, (counting.last_total + 99) / 100);
    }
  g_assert_false (tally_usage_get_counting (f->usage));
  g_assert_cmpint (tally_usage_get_counted (f->usage), ==, 0);
  g_assert_cmpint (tally_usage_get_count_total (f->usage), ==, -1);

  /* a filter change while b is counted: only c's totals ever land */
  tally_demo_server_set_delay (f->server, 100);
  g_signal_connect (f->usage, "notify::stats", G_CALLBACK (record_stats_cb), seen);
  tally_usage_set_query (f->usage, b);
  if (old_server)
    tally_test_wait_until (counted_some, f->usage, 20, GUARD_SECONDS, "a page of b counted");
  else
    tally_test_spin (30);
  tally_usage_set_query (f->usage, c);
  g_assert_cmpint (tally_usage_get_counted (f->usage), ==, 0);
  wait_settled (f->usage, "subscription");
  tally_test_spin (400);
  g_assert_cmpuint (seen->len, ==, 1);
  assert_row_sums (f, g_ptr_array_index (seen, 0), c);
  assert_row_sums (f, tally_usage_get_stats (f->usage), c);
  g_assert_false (tally_usage_get_counting (f->usage));
}

/* One row's details: GET /usage/:id, one row at a time. */
static void
test_details (Fixture *f,
              gconstpointer data)
{
  g_autoptr (TallyUsage) bare = tally_usage_new (NULL);
  g_autoptr (TallyLogRow) row0 = NULL;
  g_autoptr (TallyLogRow) row1 = NULL;
  g_autoptr (JsonObject) raw = NULL;
  g_autofree char *path = NULL;
  TallyUsageLog *log0;
  TallyUsageLog *log1;
  TallyUsageLog *details;
  guint n_details = 0;

  f->usage = tally_usage_new (f->session);
  wait_settled (f->usage, "the list");
  row0 = g_list_model_get_item (G_LIST_MODEL (tally_usage_get_log (f->usage)), 0);
  row1 = g_list_model_get_item (G_LIST_MODEL (tally_usage_get_log (f->usage)), 1);
  log0 = tally_log_row_get_log (row0);
  log1 = tally_log_row_get_log (row1);
  g_assert_nonnull (log0);
  g_assert_nonnull (log1);

  tally_usage_request_details (f->usage, log0);
  g_assert_true (tally_usage_get_details_row (f->usage) == log0);
  g_assert_false (tally_usage_get_details_loaded (f->usage));
  tally_test_wait_until (details_loaded, f->usage, 20, GUARD_SECONDS, "the details");
  g_assert_null (tally_usage_get_details_error (f->usage));
  details = tally_usage_get_details (f->usage);
  g_assert_nonnull (details);
  g_assert_true (details != log0);
  path = g_strdup_printf ("/usage/%" G_GINT64_FORMAT, tally_usage_log_get_id (log0));
  raw = fetch_raw (f, path);
  g_assert_cmpint (tally_usage_log_get_id (details), ==, json_object_get_int_member (raw, "id"));
  g_assert_cmpstr (tally_usage_log_get_request_id (details), ==, json_object_get_string_member (raw, "request_id"));
  g_assert_cmpstr (tally_usage_log_get_model (details), ==, json_object_get_string_member (raw, "model"));
  g_assert_cmpint (tally_usage_log_get_total_tokens (details), ==,
                   json_object_get_int_member (raw, "input_tokens") + json_object_get_int_member (raw, "output_tokens") + json_object_get_int_member (raw, "cache_creation_tokens") + json_object_get_int_member (raw, "cache_read_tokens"));
  g_assert_cmpfloat (tally_usage_log_get_actual_cost (details), ==, json_object_get_double_member (raw, "actual_cost"));

  /* a second row replaces the first while it is in flight: only its answer lands */
  tally_demo_server_set_delay (f->server, 150);
  g_signal_connect (f->usage, "notify::details", G_CALLBACK (count_cb), &n_details);
  tally_usage_request_details (f->usage, log0);
  g_assert_null (tally_usage_get_details (f->usage));
  g_assert_false (tally_usage_get_details_loaded (f->usage));
  tally_test_spin (30);
  tally_usage_request_details (f->usage, log1);
  tally_test_wait_until (details_loaded, f->usage, 20, GUARD_SECONDS, "the second details");
  tally_test_spin (400);
  g_assert_cmpint (tally_usage_log_get_id (tally_usage_get_details (f->usage)), ==, tally_usage_log_get_id (log1));
  g_assert_true (tally_usage_get_details_row (f->usage) == log1);
  /* notified: cleared (log0's first answer), set (log1) */
  g_assert_cmpuint (n_details, ==, 2);

  /* cancelling another row's request does nothing; this row's forgets it */
  tally_usage_request_details (f->usage, log0);
  tally_usage_cancel_details (f->usage, log1);
  g_assert_true (tally_usage_get_details_row (f->usage) == log0);
  tally_usage_cancel_details (f->usage, log0);
  g_assert_null (tally_usage_get_details_row (f->usage));
  tally_test_spin (400);
  g_assert_false (tally_usage_get_details_loaded (f->usage));
  g_assert_null (tally_usage_get_details (f->usage));

  /* without a client there is nothing to ask: loaded at once, no answer */
  tally_usage_request_details (bare, log0);
  g_assert_true (tally_usage_get_details_loaded (bare));
  g_assert_null (tally_usage_get_details (bare));
  g_assert_null (tally_usage_get_details_error (bare));
}

/* The server goes away: the failures land in the error properties as plain
 * text, the last totals stay on a refresh. */
static void
test_dead_server (Fixture *f,
                  gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = query_for ("2026-01-02", TODAY, 3);
  g_autoptr (TallyLogRow) row = NULL;
  g_autoptr (TallyUsageStats) before = NULL;
  TallyLogList *log;
  guint n_errors = 0;

  f->usage = tally_usage_new (f->session);
  log = tally_usage_get_log (f->usage);
  wait_settled (f->usage, "the list");
  row = g_list_model_get_item (G_LIST_MODEL (log), 0);
  g_assert_nonnull (tally_log_row_get_log (row));
  before = g_object_ref (tally_usage_get_stats (f->usage));
  g_signal_connect (f->usage, "notify::stats-error", G_CALLBACK (count_cb), &n_errors);

  tally_demo_server_stop (f->server);

  /* a refresh keeps the last totals */
  tally_usage_refresh (f->usage);
  wait_settled (f->usage, "the failed refresh");
  g_assert_nonnull (tally_usage_get_stats_error (f->usage));
  g_assert_true (tally_usage_get_stats (f->usage) == before);
  g_assert_cmpuint (n_errors, ==, 1);

  /* a new filter: no totals, no rows, both errors */
  tally_usage_set_query (f->usage, query);
  wait_settled (f->usage, "the failed filter");
  g_assert_nonnull (tally_usage_get_stats_error (f->usage));
  g_assert_cmpuint (n_errors, ==, 2); /* the same text again is notified again */
  g_assert_null (tally_usage_get_stats (f->usage));
  g_assert_nonnull (tally_log_list_get_error (log));
  g_assert_cmpuint (tally_log_list_get_n_items (log), ==, 0);
  g_assert_true (tally_usage_get_logged_in (f->usage));

  tally_usage_request_details (f->usage, tally_log_row_get_log (row));
  tally_test_wait_until (details_loaded, f->usage, 20, GUARD_SECONDS, "the failed details");
  g_assert_nonnull (tally_usage_get_details_error (f->usage));
  g_assert_null (tally_usage_get_details (f->usage));
}

static gboolean
new_rows_counted (gpointer data)
{
  return tally_usage_get_n_new (data) > 0;
}

/* Rows arriving: a refresh counts them ("n-new"), Show takes them in. */
static void
test_new_rows (Fixture *f,
               gconstpointer data)
{
  g_autoptr (JsonObject) stats = NULL;
  TallyLogList *log;
  guint n_items;
  gint64 n_arrived;
  guint n_new_notified = 0;

  f->usage = tally_usage_new (f->session);
  log = tally_usage_get_log (f->usage);
  wait_settled (f->usage, "the list");
  n_items = tally_log_list_get_n_items (log);
  g_assert_cmpuint (tally_usage_get_n_new (f->usage), ==, 0);
  g_signal_connect (f->usage, "notify::n-new", G_CALLBACK (count_cb), &n_new_notified);

  /* most rows of the demo are the demo user's, not all */
  tally_demo_server_add_rows (f->server, 10);
  n_arrived = raw_total (f, tally_usage_get_query (f->usage)) - n_items;
  g_assert_cmpint (n_arrived, >, 0);
  tally_usage_refresh (f->usage);
  tally_test_wait_until (new_rows_counted, f->usage, 20, GUARD_SECONDS, "new rows");
  g_assert_cmpuint (tally_usage_get_n_new (f->usage), ==, n_arrived);
  g_assert_cmpuint (n_new_notified, ==, 1);
  /* the list stays as it was; the totals are new */
  wait_settled (f->usage, "the refresh");
  g_assert_cmpuint (tally_log_list_get_n_items (log), ==, n_items);
  stats = raw_stats (f, tally_usage_get_query (f->usage));
  assert_stats_equal (tally_usage_get_stats (f->usage), stats);
  g_assert_cmpint (json_object_get_int_member (stats, "total_requests"), ==, n_items + n_arrived);

  tally_usage_show_new (f->usage);
  wait_settled (f->usage, "show the new rows");
  g_assert_cmpuint (tally_usage_get_n_new (f->usage), ==, 0);
  g_assert_cmpuint (n_new_notified, ==, 2);
  g_assert_cmpuint (tally_log_list_get_n_items (log), ==, n_items + n_arrived);
}

/* Logging out stops the list and the totals. */
static void
test_logout (Fixture *f,
             gconstpointer data)
{
  guint n_logged_in = 0;

  f->usage = tally_usage_new (NULL);
  g_signal_connect (f->usage, "notify::logged-in", G_CALLBACK (count_cb), &n_logged_in);
  tally_usage_set_session (f->usage, f->session);
  g_assert_cmpuint (n_logged_in, ==, 1);
  wait_settled (f->usage, "the list");
  g_assert_nonnull (tally_usage_get_stats (f->usage));

  tally_session_logout (f->session);
  g_assert_false (tally_usage_get_logged_in (f->usage));
  g_assert_cmpuint (n_logged_in, ==, 2);
  g_assert_null (tally_usage_get_stats (f->usage));
  g_assert_false (tally_usage_get_stats_loading (f->usage));
  g_assert_null (tally_log_list_get_client (tally_usage_get_log (f->usage)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tally_usage_get_log (f->usage))), ==, 0);

  /* and a view model can leave its session */
  tally_usage_set_session (f->usage, NULL);
  g_assert_null (tally_usage_get_query (f->usage));
  g_assert_null (tally_usage_get_keys (f->usage));
}

#define add(name, func) TALLY_TEST_ADD_GENERATIONS ("/usage", name, Fixture, fixture_setup, func, fixture_teardown)

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/usage/no-session", test_no_session);
  add ("filter", test_filter);
  add ("cancel", test_cancel);
  add ("count", test_count);
  add ("details", test_details);
  add ("dead-server", test_dead_server);
  add ("new-rows", test_new_rows);
  add ("logout", test_logout);

  return g_test_run ();
}

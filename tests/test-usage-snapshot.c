/* test-usage-snapshot.c: rows arriving while a usage list is paged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo server's usage hook adds rows before /usage answers, so every page
 * after the first sees the old rows pushed down. The snapshot must hand out
 * exactly the rows of the start (ids compared with a walk taken before), once.
 */

#include "config.h"

#include <string.h>

#include "tally-client.h"
#include "tally-csv.h"
#include "tally-demo-server.h"
#include "tally-page.h"
#include "tally-report.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-usage-snapshot.h"

#define DEMO_ROWS 1500
#define DEMO_SEED 7

typedef struct
{
  TallyTestDemo demo;
  guint rows_per_page; /* added by the hook before every page > 1 */
  guint pages_seen;
} Fixture;

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  tally_test_demo_start_pinned (&f->demo, DEMO_SEED, DEMO_ROWS, GPOINTER_TO_UINT (data));
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  tally_test_demo_stop (&f->demo);
}

static void
add_rows_hook (TallyDemoServer *server,
               gint64 page,
               gpointer user_data)
{
  Fixture *f = user_data;

  f->pages_seen++;
  if (page > 1)
    tally_demo_server_add_rows (server, f->rows_per_page);
}

static gboolean
collect_page_cb (TallyPage *page,
                 gpointer user_data)
{
  GArray *ids = user_data;
  GListModel *items = tally_page_get_items (page);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr (TallyUsageLog) log = g_list_model_get_item (items, i);
      gint64 id = tally_usage_log_get_id (log);

      g_array_append_val (ids, id);
    }
  return TRUE;
}

/* Every id of the query, by the plain page walk (no rows arriving). */
static GArray *
plain_ids (Fixture *f,
           const TallyUsageQuery *query,
           gint64 page_size)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  tally_client_foreach_usage_page_async (f->demo.client, query, page_size, 1, collect_page_cb, ids, NULL, NULL,
                                         tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_client_foreach_usage_page_finish (f->demo.client, result, &error));
  g_assert_no_error (error);
  return ids;
}

static gboolean
collect_rows_cb (TallyUsageSnapshot *snapshot,
                 GListModel *rows,
                 gpointer user_data)
{
  GArray *ids = user_data;

  g_assert_cmpuint (g_list_model_get_n_items (rows), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr (TallyUsageLog) log = g_list_model_get_item (rows, i);
      gint64 id = tally_usage_log_get_id (log);

      g_array_append_val (ids, id);
    }
  return TRUE;
}

static void
assert_ids_equal (GArray *expected,
                  GArray *actual)
{
  g_assert_cmpuint (actual->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpint (g_array_index (actual, gint64, i), ==, g_array_index (expected, gint64, i));
}

/* tally_usage_snapshot_foreach_async() while @rows_per_page rows arrive
 * before every page: exactly the starting ids, in order. */
static void
check_walk (Fixture *f,
            const TallyUsageQuery *query,
            gint64 page_size,
            guint max_in_flight)
{
  g_autoptr (GArray) before = NULL;
  g_autoptr (GArray) raw = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyUsageSnapshot) snapshot = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  guint n_dups = 0;

  f->rows_per_page = 7;
  tally_demo_server_set_usage_hook (f->demo.server, add_rows_hook, f, NULL);

  /* without the snapshot the same walk repeats rows (the test can fail) */
  raw = plain_ids (f, query, page_size);
  for (guint i = 1; i < raw->len; i++)
    if (g_array_index (raw, gint64, i) >= g_array_index (raw, gint64, i - 1))
      n_dups++;
  g_assert_cmpuint (n_dups, >, 0);

  tally_demo_server_set_usage_hook (f->demo.server, NULL, NULL, NULL);
  before = plain_ids (f, query, 100);
  g_assert_cmpuint (before->len, >, 3 * 20);
  tally_demo_server_set_usage_hook (f->demo.server, add_rows_hook, f, NULL);

  tally_usage_snapshot_foreach_async (f->demo.client, query, page_size, max_in_flight, collect_rows_cb, ids, NULL,
                                      NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_usage_snapshot_foreach_finish (result, &snapshot, &error));
  g_assert_no_error (error);
  tally_demo_server_set_usage_hook (f->demo.server, NULL, NULL, NULL);

  assert_ids_equal (before, ids);
  g_assert_cmpint (tally_usage_snapshot_get_total (snapshot), ==, before->len);
  g_assert_cmpuint (tally_usage_snapshot_get_n_rows (snapshot), ==, before->len);
  g_assert_cmpint (tally_usage_snapshot_get_newest_id (snapshot), ==, g_array_index (before, gint64, 0));
  g_assert_cmpint (tally_usage_snapshot_get_n_new (snapshot), >, 0);
  g_assert_true (tally_usage_snapshot_get_positional (snapshot));
}

static void
test_walk_all (Fixture *f,
               gconstpointer data)
{
  /* S echoes 20 for 1000; a today's server 1000, then page 100 to have pages */
  check_walk (f, NULL, GPOINTER_TO_UINT (data) == TALLY_DEMO_GENERATION_2025 ? 1000 : 100, 1);
}

static void
test_walk_parallel (Fixture *f,
                    gconstpointer data)
{
  check_walk (f, NULL, 50, 4);
}

static void
test_walk_filtered (Fixture *f,
                    gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();

  /* new rows of other keys do not count in this filter's total */
  tally_usage_query_set_api_key_id (query, 1);
  check_walk (f, query, 20, 2);
}

static TallyPage *
fetch_page (Fixture *f,
            gint64 page,
            gint64 page_size)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  TallyPage *answer;

  tally_client_list_usage_async (f->demo.client, NULL, page, page_size, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  answer = tally_client_list_usage_finish (f->demo.client, result, &error);
  g_assert_no_error (error);
  return answer;
}

static void
append_ids (GArray *ids,
            GListModel *rows)
{
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr (TallyUsageLog) log = g_list_model_get_item (rows, i);
      gint64 id = tally_usage_log_get_id (log);

      g_array_append_val (ids, id);
    }
}

/* Page 3 answered before rows arrived, page 2 after: a hole the snapshot sees
 * from the totals, names the page for, and fills without a repeat. */
static void
test_hole (Fixture *f,
           gconstpointer data)
{
  g_autoptr (GArray) before = plain_ids (f, NULL, 100);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (TallyUsageSnapshot) snapshot = tally_usage_snapshot_new ();
  g_autoptr (TallyPage) p1 = fetch_page (f, 1, 20);
  g_autoptr (TallyPage) p3 = fetch_page (f, 3, 20);
  g_autoptr (TallyPage) p2 = NULL;
  g_autoptr (TallyPage) again = NULL;
  g_autoptr (GListModel) rows = NULL;
  gint64 missing = 0;

  tally_demo_server_add_rows (f->demo.server, 5);
  p2 = fetch_page (f, 2, 20);

  rows = tally_usage_snapshot_add_page (snapshot, p1);
  append_ids (ids, rows);
  g_clear_object (&rows);
  rows = tally_usage_snapshot_add_page (snapshot, p2);
  append_ids (ids, rows);
  g_clear_object (&rows);
  /* p2 had 5 repeats: 15 new rows */
  g_assert_cmpuint (ids->len, ==, 35);
  g_assert_cmpint (tally_usage_snapshot_get_n_new (snapshot), ==, 5);

  /* p3 starts 5 rows after where p2 stopped: held back */
  rows = tally_usage_snapshot_add_page (snapshot, p3);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 0);
  g_clear_object (&rows);
  g_assert_true (tally_usage_snapshot_get_missing_page (snapshot, 20, &missing));
  g_assert_cmpint (missing, ==, 3);

  again = fetch_page (f, missing, 20);
  rows = tally_usage_snapshot_add_page (snapshot, again);
  append_ids (ids, rows);
  g_clear_object (&rows);

  /* 35 + the 5 of the hole + the 20 held; the rest of the page repeats */
  g_assert_cmpuint (ids->len, ==, 35 + 5 + 20);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpint (g_array_index (ids, gint64, i), ==, g_array_index (before, gint64, i));
  g_assert_true (tally_usage_snapshot_get_positional (snapshot));
}

/* The CSV export (tally-report) while rows arrive: the starting set, once. */
static void
test_report_logs (Fixture *f,
                  gconstpointer data)
{
  g_autoptr (GArray) before = plain_ids (f, NULL, 100);
  g_autoptr (GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  GAsyncResult *slot = NULL;

  f->rows_per_page = 11;
  tally_demo_server_set_usage_hook (f->demo.server, add_rows_hook, f, NULL);
  tally_report_write_csv_async (f->demo.client, TALLY_REPORT_LOGS, NULL, TALLY_GRANULARITY_DAY, stream, NULL, NULL,
                                NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_report_write_csv_finish (result, &error));
  g_assert_no_error (error);
  tally_demo_server_set_usage_hook (f->demo.server, NULL, NULL, NULL);
  /* 1500 rows: two pages of the largest size, rows arriving before the second */
  g_assert_cmpuint (f->pages_seen, >=, 2);

  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  rows = tally_csv_parse (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                          g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, before->len + 1);
  for (guint i = 0; i < before->len; i++)
    {
      char **row = g_ptr_array_index (rows, i + 1);

      g_assert_cmpint (g_ascii_strtoll (row[0], NULL, 10), ==, g_array_index (before, gint64, i));
    }
}

int
main (int argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/usage-snapshot/walk/all", Fixture, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT),
              fixture_setup, test_walk_all, fixture_teardown);
  g_test_add ("/usage-snapshot/walk/all-2025", Fixture, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_2025),
              fixture_setup, test_walk_all, fixture_teardown);
  g_test_add ("/usage-snapshot/walk/parallel", Fixture, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT),
              fixture_setup, test_walk_parallel, fixture_teardown);
  g_test_add ("/usage-snapshot/walk/filtered", Fixture, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT),
              fixture_setup, test_walk_filtered, fixture_teardown);
  g_test_add ("/usage-snapshot/hole", Fixture, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT),
              fixture_setup, test_hole, fixture_teardown);
  g_test_add ("/usage-snapshot/report/logs", Fixture, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT),
              fixture_setup, test_report_logs, fixture_teardown);

  return g_test_run ();
}

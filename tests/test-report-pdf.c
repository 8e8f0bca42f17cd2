/* test-report-pdf.c: the one-page PDF summary against the demo server (no display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Checks the page count with pdfinfo and the text with pdftotext (poppler-utils).
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "tally-api-key.h"
#include "tally-client.h"
#include "tally-demo-server.h"
#include "tally-error.h"
#include "tally-format.h"
#include "tally-model-stat.h"
#include "tally-report-pdf.h"
#include "tally-trend-point.h"
#include "tally-usage-query.h"
#include "tally-usage-stats.h"
#include "tally-test-utils.h"

#define DEMO_NOW G_GINT64_CONSTANT (1768449600) /* 2026-01-15T12:00:00+08:00 */
#define DEMO_OFFSET 28800
#define DEMO_ROWS 3000
#define DEMO_SEED 7

typedef struct
{
  TallyDemoServer *server;
  TallyClient *client;
  SoupSession *session;
  char *token;
  char *dir;
} Fixture;

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->server = g_object_new (TALLY_TYPE_DEMO_SERVER,
                            "seed", (guint64) DEMO_SEED,
                            "rows", (guint) DEMO_ROWS,
                            "now", DEMO_NOW,
                            "utc-offset", DEMO_OFFSET,
                            NULL);
  g_assert_true (tally_demo_server_start (f->server, &error));
  g_assert_no_error (error);

  f->token = tally_demo_server_issue_token (f->server, 3600);
  f->client = tally_client_new (tally_demo_server_get_url (f->server), &error);
  g_assert_no_error (error);
  tally_client_set_token (f->client, f->token);

  f->session = soup_session_new ();
  f->dir = g_dir_make_tmp ("tally-pdf-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  tally_test_assert_finalized (f->client);
  g_assert_finalize_object (f->session);
  tally_demo_server_stop (f->server);
  g_assert_finalize_object (f->server);
  g_free (f->token);
  tally_test_remove_dir (f->dir);
  g_free (f->dir);
}

/* The `data` member of GET /api/v1@path (plain soup + json-glib). */
static JsonNode *
fetch_raw (Fixture *f,
           const char *path)
{
  return tally_test_fetch_raw (f->session, tally_demo_server_get_url (f->server), f->token, "GET", path, NULL);
}

/* Standard output of @argv, asserting exit status 0; NULL (test skipped) when the tool is missing. */
static char *
run_tool (const char *const *argv)
{
  g_autofree char *path = g_find_program_in_path (argv[0]);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (path == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s not found (install poppler-utils)", argv[0]);

      g_test_skip (message);
      return NULL;
    }

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);

  return g_steal_pointer (&out);
}

static gboolean
export_pdf (Fixture *f,
            const TallyUsageQuery *query,
            GFile *target,
            GCancellable *cancellable,
            gboolean cancel_at_once,
            GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  tally_report_export_pdf_async (f->client, query, "demo.example (test)", "demo@example.com", target,
                                 tally_report_pdf_write, cancellable, tally_test_store_result_cb, &slot);
  if (cancel_at_once)
    g_cancellable_cancel (cancellable);
  result = tally_test_wait_result (&slot);

  return tally_report_export_pdf_finish (result, error);
}

/* An export of the default range with @write_func */
static gboolean
export_with (Fixture *f,
             GFile *target,
             TallyReportPdfWriteFunc write_func,
             GCancellable *cancellable,
             GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  tally_report_export_pdf_async (f->client, NULL, "s", "a", target, write_func, cancellable,
                                 tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);

  return tally_report_export_pdf_finish (result, error);
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” not found in the PDF text:\n%s", needle, text);
}

static void
test_pdf_content (Fixture *f,
                  gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autofree char *path = g_build_filename (f->dir, "summary.pdf", NULL);
  g_autoptr (GFile) target = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) stats = NULL;
  g_autoptr (JsonNode) models = NULL;
  g_autoptr (JsonNode) keys = NULL;
  g_autofree char *info = NULL;
  g_autofree char *text = NULL;
  g_autofree char *billed = NULL;
  g_autofree char *list = NULL;
  g_autofree char *requests = NULL;
  g_autofree char *names = NULL;
  JsonObject *stats_object;
  JsonArray *model_list;
  JsonArray *key_list;
  guint n_ascii_keys = 0;
  const char *pdfinfo[] = { "pdfinfo", path, NULL };
  const char *pdftotext[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };

  g_assert_true (tally_usage_query_set_range (query, "2026-01-01", "2026-01-15", &error));
  g_assert_no_error (error);

  g_assert_true (export_pdf (f, query, target, NULL, FALSE, &error));
  g_assert_no_error (error);
  names = tally_test_list_dir (f->dir);
  g_assert_cmpstr (names, ==, "summary.pdf");

  info = run_tool (pdfinfo);
  if (info == NULL)
    return;
  g_assert_true (g_regex_match_simple ("^Pages: +1$", info, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Title: +Usage summary$", info, G_REGEX_MULTILINE, 0));

  text = run_tool (pdftotext);
  g_assert_nonnull (text);

  /* the server's figures for the range */
  stats = fetch_raw (f, "/usage/stats?start_date=2026-01-01&end_date=2026-01-15");
  stats_object = json_node_get_object (stats);
  billed = tally_format_cost (json_object_get_double_member (stats_object, "total_actual_cost"));
  list = tally_format_cost (json_object_get_double_member (stats_object, "total_cost"));
  requests = tally_format_count (json_object_get_int_member (stats_object, "total_requests"));
  g_assert_cmpint (json_object_get_int_member (stats_object, "total_requests"), >, 0);
  assert_contains (text, billed);
  assert_contains (text, list);
  assert_contains (text, requests);

  assert_contains (text, "Server: demo.example (test)");
  assert_contains (text, "Account: demo@example.com");
  assert_contains (text, "Range: 2026-01-01 to 2026-01-15 (15 days, server days)");
  assert_contains (text, "UTC+08:00");
  assert_contains (text, "Billed = list price × group rate multiplier");

  models = fetch_raw (f, "/usage/dashboard/models?start_date=2026-01-01&end_date=2026-01-15");
  model_list = json_object_get_array_member (json_node_get_object (models), "models");
  g_assert_cmpuint (json_array_get_length (model_list), >, 0);
  for (guint i = 0; i < json_array_get_length (model_list) && i < 10; i++)
    assert_contains (text, json_object_get_string_member (json_array_get_object_element (model_list, i), "model"));

  keys = fetch_raw (f, "/keys?page=1&page_size=100");
  key_list = json_object_get_array_member (json_node_get_object (keys), "items");
  g_assert_cmpuint (json_array_get_length (key_list), >, 0);
  /* Names in scripts that no installed font covers are drawn as hex boxes (a
   * test machine may have no CJK font), so only the ASCII names are compared. */
  for (guint i = 0; i < json_array_get_length (key_list); i++)
    {
      const char *name = json_object_get_string_member (json_array_get_object_element (key_list, i), "name");
      g_autofree char *expected = g_strdup_printf ("%s (%" G_GINT64_FORMAT ")", name,
                                                   json_object_get_int_member (json_array_get_object_element (key_list, i), "id"));

      if (!g_str_is_ascii (name))
        continue;
      assert_contains (text, expected);
      n_ascii_keys++;
    }
  g_assert_cmpuint (n_ascii_keys, >=, 4);

  /* the chart's axis and title come from the dashboard's drawing code */
  assert_contains (text, "Billed cost per day");
}

static void
test_pdf_cancel (Fixture *f,
                 gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "cancelled.pdf", NULL);
  g_autoptr (GFile) target = g_file_new_for_path (path);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *names = NULL;

  /* cancelled while the first requests are on the wire */
  tally_demo_server_set_delay (f->server, 50);
  g_assert_false (export_pdf (f, NULL, target, cancellable, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  names = tally_test_list_dir (f->dir);
  g_assert_cmpstr (names, ==, "");
}

static void
fault_when_trend_answered (TallyDemoServer *server,
                           guint *step)
{
  if (*step == 0 && tally_demo_server_get_request_count (server, "/api/v1/usage/dashboard/trend") > 0)
    {
      tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_SERVER_ERROR);
      *step = 1;
    }
}

static void
test_pdf_failure_keeps_file (Fixture *f,
                             gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "existing.pdf", NULL);
  g_autoptr (GFile) target = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *names = NULL;
  GAsyncResult *slot = NULL;
  guint step = 0;

  g_assert_true (g_file_set_contents (path, "the previous report\n", -1, &error));
  g_assert_no_error (error);

  /* the trend arrives, then the server fails for the rest (mid-way) */
  tally_demo_server_set_delay (f->server, 30);
  tally_report_export_pdf_async (f->client, NULL, "s", "a", target, tally_report_pdf_write, NULL,
                                 tally_test_store_result_cb, &slot);
  while (slot == NULL)
    {
      fault_when_trend_answered (f->server, &step);
      g_main_context_iteration (NULL, TRUE);
    }
  result = g_steal_pointer (&slot);
  g_assert_cmpuint (step, ==, 1);
  g_assert_false (tally_report_export_pdf_finish (result, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_SERVER);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "the previous report\n");
  names = tally_test_list_dir (f->dir);
  g_assert_cmpstr (names, ==, "existing.pdf");
}

static void
test_pdf_unwritable (Fixture *f,
                     gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "no-such-dir", "x.pdf", NULL);
  g_autoptr (GFile) target = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;

  g_assert_false (export_pdf (f, NULL, target, NULL, FALSE, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_IO);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->server, NULL), ==, 0);
}

static TallyReportPdfData *
gather (Fixture *f,
        const TallyUsageQuery *query,
        GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  tally_report_pdf_data_gather_async (f->client, query, "demo.example (test)", NULL, NULL,
                                      tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);

  return tally_report_pdf_data_gather_finish (result, error);
}

/* core gathers what the page shows: the server's own figures, keys by billed cost */
/* No text on the page is cut: the headers, the numbers and names up to two
 * lines of their column are drawn whole; only a name longer than that ends
 * in "…". (The PDF keeps the whole string of an ellipsized text, so this
 * counts what is drawn.) */
static void
test_pdf_nothing_cut (Fixture *f,
                      gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autoptr (TallyReportPdfData) report = NULL;
  g_autoptr (TallyReportPdfData) absurd = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) long_name = g_string_new (NULL);

  g_assert_true (tally_usage_query_set_range (query, "2026-01-01", "2026-01-15", &error));
  /* 44 characters with its id: wider than a third of the page */
  g_assert_true (tally_demo_server_set_key_name (f->server, 1, "nightly-import-from-warehouse-cluster-01"));
  report = gather (f, query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tally_report_pdf_count_cut_texts (report), ==, 0);

  while (long_name->len < 400)
    g_string_append (long_name, "a-very-long-key-name ");
  g_assert_true (tally_demo_server_set_key_name (f->server, 1, long_name->str));
  absurd = gather (f, query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tally_report_pdf_count_cut_texts (absurd), >, 0);
}

static void
test_pdf_data (Fixture *f,
               gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autoptr (TallyReportPdfData) report = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) stats = NULL;
  g_autoptr (JsonNode) models = NULL;
  g_autoptr (JsonNode) keys = NULL;
  JsonObject *stats_object;
  JsonArray *model_list;
  TallyUsageStats *totals;
  GListModel *days;
  gint64 sum_requests = 0, sum_tokens = 0;
  double sum_cost = 0, sum_actual = 0, days_actual = 0;
  gint64 d_requests, d_tokens;
  double d_cost, d_actual;
  int offset = 0;
  guint n_keys;

  g_assert_true (tally_usage_query_set_range (query, "2025-12-01", "2026-01-15", &error));
  report = gather (f, query, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  g_assert_cmpstr (tally_report_pdf_data_get_server_label (report), ==, "demo.example (test)");
  g_assert_null (tally_report_pdf_data_get_account_label (report));
  g_assert_cmpstr (tally_report_pdf_data_get_start_date (report), ==, "2025-12-01");
  g_assert_cmpstr (tally_report_pdf_data_get_end_date (report), ==, "2026-01-15");
  g_assert_true (tally_report_pdf_data_get_utc_offset (report, &offset));
  g_assert_cmpint (offset, ==, DEMO_OFFSET);

  /* the totals are /usage/stats of the range */
  stats = fetch_raw (f, "/usage/stats?start_date=2025-12-01&end_date=2026-01-15");
  stats_object = json_node_get_object (stats);
  totals = tally_report_pdf_data_get_totals (report);
  g_assert_cmpint (tally_usage_stats_get_total_requests (totals), ==, json_object_get_int_member (stats_object, "total_requests"));
  g_assert_cmpint (tally_usage_stats_get_total_tokens (totals), ==, json_object_get_int_member (stats_object, "total_tokens"));
  g_assert_cmpfloat (tally_usage_stats_get_total_actual_cost (totals), ==, json_object_get_double_member (stats_object, "total_actual_cost"));
  g_assert_cmpint (tally_usage_stats_get_total_requests (totals), >, 0);

  /* one zero-filled point per day, which add up to the billed total */
  days = tally_report_pdf_data_get_days (report);
  g_assert_cmpuint (g_list_model_get_n_items (days), ==, 46);
  for (guint i = 0; i < 46; i++)
    {
      g_autoptr (TallyTrendPoint) point = g_list_model_get_item (days, i);

      if (i == 0)
        g_assert_cmpstr (tally_trend_point_get_date (point), ==, "2025-12-01");
      if (i == 31)
        g_assert_cmpstr (tally_trend_point_get_date (point), ==, "2026-01-01");
      days_actual += tally_trend_point_get_actual_cost (point);
    }
  g_assert_cmpfloat_with_epsilon (days_actual, tally_usage_stats_get_total_actual_cost (totals), 1e-6);

  models = fetch_raw (f, "/usage/dashboard/models?start_date=2025-12-01&end_date=2026-01-15");
  model_list = json_object_get_array_member (json_node_get_object (models), "models");
  g_assert_cmpuint (g_list_model_get_n_items (tally_report_pdf_data_get_models (report)), ==, json_array_get_length (model_list));
  for (guint i = 0; i < json_array_get_length (model_list); i++)
    {
      g_autoptr (TallyModelStat) stat = g_list_model_get_item (tally_report_pdf_data_get_models (report), i);

      g_assert_cmpstr (tally_model_stat_get_model (stat), ==,
                       json_object_get_string_member (json_array_get_object_element (model_list, i), "model"));
    }

  /* every key with its own figures for the range, the highest billed first */
  keys = fetch_raw (f, "/keys?page=1&page_size=100");
  n_keys = tally_report_pdf_data_get_n_keys (report);
  g_assert_cmpuint (n_keys, ==, json_array_get_length (json_object_get_array_member (json_node_get_object (keys), "items")));
  g_assert_cmpuint (n_keys, >=, 4);
  for (guint i = 0; i < n_keys; i++)
    {
      TallyApiKey *key = tally_report_pdf_data_get_key (report, i);
      TallyUsageStats *key_stats = tally_report_pdf_data_get_key_stats (report, i);
      g_autofree char *path = g_strdup_printf ("/usage/stats?api_key_id=%" G_GINT64_FORMAT "&start_date=2025-12-01&end_date=2026-01-15",
                                               tally_api_key_get_id (key));
      g_autoptr (JsonNode) raw = fetch_raw (f, path);

      g_assert_cmpint (tally_usage_stats_get_total_requests (key_stats), ==,
                       json_object_get_int_member (json_node_get_object (raw), "total_requests"));
      g_assert_cmpfloat (tally_usage_stats_get_total_actual_cost (key_stats), ==,
                         json_object_get_double_member (json_node_get_object (raw), "total_actual_cost"));
      if (i > 0)
        {
          TallyApiKey *previous = tally_report_pdf_data_get_key (report, i - 1);
          double before = tally_usage_stats_get_total_actual_cost (tally_report_pdf_data_get_key_stats (report, i - 1));
          double now = tally_usage_stats_get_total_actual_cost (key_stats);

          g_assert_true (before > now || (before == now && tally_api_key_get_id (previous) < tally_api_key_get_id (key)));
        }

      sum_requests += tally_usage_stats_get_total_requests (key_stats);
      sum_tokens += tally_usage_stats_get_total_tokens (key_stats);
      sum_cost += tally_usage_stats_get_total_cost (key_stats);
      sum_actual += tally_usage_stats_get_total_actual_cost (key_stats);
    }

  /* deleted keys: what the totals hold beyond the listed keys (the demo's
   * "deleted-key" has usage until mid-December) */
  g_assert_true (tally_report_pdf_data_get_deleted_keys (report, &d_requests, &d_tokens, &d_cost, &d_actual));
  g_assert_cmpint (d_requests, >, 0);
  g_assert_cmpint (d_requests, ==, tally_usage_stats_get_total_requests (totals) - sum_requests);
  g_assert_cmpint (d_tokens, ==, tally_usage_stats_get_total_tokens (totals) - sum_tokens);
  g_assert_cmpfloat_with_epsilon (d_cost, tally_usage_stats_get_total_cost (totals) - sum_cost, 1e-9);
  g_assert_cmpfloat_with_epsilon (d_actual, tally_usage_stats_get_total_actual_cost (totals) - sum_actual, 1e-9);
  g_assert_cmpfloat (d_actual, >, 0);
}

typedef struct
{
  GCancellable *cancel; /* cancelled while writing, or NULL */
  guint calls;
  char *server_label;
} Writer;

static Writer *writer;

/* A TallyReportPdfWriteFunc: a few bytes, or a failure without @writer->cancel */
static gboolean
write_probe (TallyReportPdfData *data,
             GOutputStream *out,
             GError **error)
{
  writer->calls++;
  g_free (writer->server_label);
  writer->server_label = g_strdup (tally_report_pdf_data_get_server_label (data));

  if (writer->cancel == NULL)
    {
      g_set_error_literal (error, TALLY_ERROR, TALLY_ERROR_IO, "no space left");
      return FALSE;
    }

  g_cancellable_cancel (writer->cancel);
  return g_output_stream_write_all (out, "%PDF", 4, NULL, NULL, error);
}

/* The export hands the gathered data to the write function; its failure, or a
 * cancel while it writes, leaves the target as it was. */
static void
test_pdf_write_fails (Fixture *f,
                      gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "existing.pdf", NULL);
  g_autoptr (GFile) target = g_file_new_for_path (path);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *names = NULL;
  Writer probe = { NULL, 0, NULL };

  writer = &probe;
  g_assert_true (g_file_set_contents (path, "the previous report\n", -1, &error));

  g_assert_false (export_with (f, target, write_probe, NULL, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_IO);
  g_assert_cmpstr (error->message, ==, "no space left");
  g_assert_cmpuint (probe.calls, ==, 1);
  g_assert_cmpstr (probe.server_label, ==, "s");
  g_clear_error (&error);

  probe.cancel = cancellable;
  g_assert_false (export_with (f, target, write_probe, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (probe.calls, ==, 2);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "the previous report\n");
  names = tally_test_list_dir (f->dir);
  g_assert_cmpstr (names, ==, "existing.pdf");

  g_free (probe.server_label);
  writer = NULL;
}

/* New York in December, the account from July: the zone of the range's days */
static void
check_pdf_zone (Fixture *f,
                TallyDemoGeneration generation,
                const char *expected)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autofree char *path = g_build_filename (f->dir, "zone.pdf", NULL);
  g_autoptr (GFile) target = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  const char *pdftotext[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };

  tally_demo_server_stop (f->server);
  g_object_set (f->server, "now", G_GINT64_CONSTANT (1796922000), "days", 10, "timezone", "America/New_York",
                "generation", generation, NULL);
  g_assert_true (tally_demo_server_start (f->server, &error));
  g_clear_object (&f->client);
  f->client = tally_client_new (tally_demo_server_get_url (f->server), &error);
  g_assert_no_error (error);
  tally_client_set_token (f->client, f->token);

  g_assert_true (tally_usage_query_set_range (query, "2026-12-01", "2026-12-10", &error));
  g_assert_true (export_pdf (f, query, target, NULL, FALSE, &error));
  g_assert_no_error (error);

  text = run_tool (pdftotext);
  if (text == NULL)
    return;
  assert_contains (text, expected);
  g_assert_null (strstr (text, "UTC-04:00"));
  g_file_delete (target, NULL, NULL);
}

static void
test_pdf_zone (Fixture *f,
               gconstpointer data)
{
  check_pdf_zone (f, TALLY_DEMO_GENERATION_CURRENT, "Time zone: America/New_York (UTC-05:00)");
  /* a 2025 server: the offset of its newest row */
  check_pdf_zone (f, TALLY_DEMO_GENERATION_2025, "Time zone: UTC-05:00 (the server");
}

int
main (int argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/report-pdf/content", Fixture, NULL, fixture_setup, test_pdf_content, fixture_teardown);
  g_test_add ("/report-pdf/zone", Fixture, NULL, fixture_setup, test_pdf_zone, fixture_teardown);
  g_test_add ("/report-pdf/cancel", Fixture, NULL, fixture_setup, test_pdf_cancel, fixture_teardown);
  g_test_add ("/report-pdf/failure-keeps-file", Fixture, NULL, fixture_setup, test_pdf_failure_keeps_file,
              fixture_teardown);
  g_test_add ("/report-pdf/unwritable", Fixture, NULL, fixture_setup, test_pdf_unwritable, fixture_teardown);
  g_test_add ("/report-pdf/data", Fixture, NULL, fixture_setup, test_pdf_data, fixture_teardown);
  g_test_add ("/report-pdf/nothing-cut", Fixture, NULL, fixture_setup, test_pdf_nothing_cut, fixture_teardown);
  g_test_add ("/report-pdf/write-fails", Fixture, NULL, fixture_setup, test_pdf_write_fails, fixture_teardown);

  return g_test_run ();
}

/* test-report.c: the CSV reports against the demo server, compared with its raw JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "tally-client.h"
#include "tally-csv.h"
#include "tally-demo-server.h"
#include "tally-error.h"
#include "tally-report.h"
#include "tally-server-time.h"
#include "tally-usage-query.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"

#define DEMO_ROWS 3000
#define DEMO_SEED 7

typedef struct
{
  TallyTestDemo demo;
} Fixture;

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  tally_test_demo_start_pinned (&f->demo, DEMO_SEED, DEMO_ROWS, TALLY_DEMO_GENERATION_CURRENT);
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  tally_test_demo_stop (&f->demo);
}

/* ------------------------------------------------------------ raw fetches */

/* Every usage row of the filter (raw JSON objects, newest first). */
static GPtrArray *
fetch_all_usage (Fixture *f,
                 const char *params)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (gint64 page = 1;; page++)
    {
      g_autofree char *path = g_strdup_printf ("/usage?%s%spage=%" G_GINT64_FORMAT "&page_size=100",
                                               params, params[0] ? "&" : "", page);
      g_autoptr (JsonNode) data = tally_test_demo_fetch_raw (&f->demo, "GET", path, NULL);
      JsonObject *object = json_node_get_object (data);
      JsonArray *items = json_object_get_array_member (object, "items");
      guint n = json_array_get_length (items);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (rows, json_node_copy (json_array_get_element (items, i)));

      if (page >= json_object_get_int_member (object, "pages") || n < 100)
        break;
    }

  return rows;
}

/* ------------------------------------------------------------ the reports */

static char *
write_report (Fixture *f,
              TallyReportKind kind,
              const TallyUsageQuery *query,
              TallyGranularity granularity,
              gsize *len)
{
  g_autoptr (GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  tally_report_write_csv_async (f->demo.client, kind, query, granularity, stream, NULL, NULL, NULL,
                                tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_report_write_csv_finish (result, &error));
  g_assert_no_error (error);

  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  *len = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

static GPtrArray *
parse_report (const char *text,
              gsize len,
              TallyReportKind kind)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *rows = tally_csv_parse (text, len, &error);
  const char *const *columns = tally_report_get_columns (kind);
  char **header;

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  g_assert_cmpuint (rows->len, >=, 1);

  header = g_ptr_array_index (rows, 0);
  g_assert_cmpstrv (header, columns);

  /* every row has exactly the header's width */
  for (guint i = 1; i < rows->len; i++)
    g_assert_cmpuint (g_strv_length (g_ptr_array_index (rows, i)), ==, g_strv_length (header));

  return rows;
}

static GPtrArray *
report_rows (Fixture *f,
             TallyReportKind kind,
             const TallyUsageQuery *query,
             TallyGranularity granularity,
             char **text_out)
{
  gsize len = 0;
  g_autofree char *text = write_report (f, kind, query, granularity, &len);
  GPtrArray *rows = parse_report (text, len, kind);

  /* RFC 4180: every line ends with CRLF */
  g_assert_true (len >= 2 && text[len - 2] == '\r' && text[len - 1] == '\n');

  if (text_out != NULL)
    *text_out = g_steal_pointer (&text);

  return rows;
}

static void
assert_nullable_int (const char *cell,
                     JsonObject *object,
                     const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    g_assert_cmpstr (cell, ==, "");
  else
    g_assert_cmpint (tally_test_parse_int (cell), ==, json_node_get_int (node));
}

/* The CSV value of a text cell: the guard adds a leading ' to formula-like text. */
static char *
guarded (const char *text)
{
  if (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t' || text[0] == '\r')
    return g_strconcat ("'", text, NULL);
  return g_strdup (text);
}

/* Names of the listed keys, from GET /keys (raw). */
static GHashTable *
fetch_key_names (Fixture *f)
{
  g_autoptr (JsonNode) data = tally_test_demo_fetch_raw (&f->demo, "GET", "/keys?page=1&page_size=100", NULL);
  JsonArray *items = json_object_get_array_member (json_node_get_object (data), "items");
  GHashTable *names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  g_assert_cmpint (json_object_get_int_member (json_node_get_object (data), "pages"), ==, 1);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *key = json_array_get_object_element (items, i);
      gint64 *id = g_new (gint64, 1);

      *id = json_object_get_int_member (key, "id");
      g_hash_table_insert (names, id, g_strdup (json_object_get_string_member (key, "name")));
    }

  return names;
}

/* Compares a LOGS report with every raw row of the same filter, row by row. */
static void
check_logs (Fixture *f,
            const TallyUsageQuery *query,
            const char *stats_params)
{
  g_autofree char *params = tally_usage_query_to_list_params (query, 0, 0);
  g_autoptr (GPtrArray) raw = fetch_all_usage (f, params);
  g_autoptr (GPtrArray) rows = report_rows (f, TALLY_REPORT_LOGS, query, TALLY_GRANULARITY_DAY, NULL);
  g_autoptr (GHashTable) key_names = fetch_key_names (f);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *first_path = g_strdup_printf ("/usage?%s%spage=1&page_size=1", params, params[0] ? "&" : "");
  g_autofree char *stats_path = g_strdup_printf ("/usage/stats?%s", stats_params);
  g_autoptr (JsonNode) first = tally_test_demo_fetch_raw (&f->demo, "GET", first_path, NULL);
  g_autoptr (JsonNode) stats = tally_test_demo_fetch_raw (&f->demo, "GET", stats_path, NULL);
  gint64 total = json_object_get_int_member (json_node_get_object (first), "total");
  double sum_actual = 0.0;
  double sum_cost = 0.0;
  gboolean saw_deleted = FALSE;

  g_assert_cmpint (total, >, 0);
  g_assert_cmpuint (rows->len - 1, ==, total);
  g_assert_cmpuint (raw->len, ==, total);

  for (guint i = 1; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      JsonObject *log = json_node_get_object (g_ptr_array_index (raw, i - 1));
      JsonObject *api_key = NULL;
      gint64 id = tally_test_parse_int (row[0]);
      gint64 key_id = json_object_get_int_member (log, "api_key_id");
      gint64 billing = json_object_get_int_member (log, "billing_type");
      gint64 *seen_id = g_new (gint64, 1);
      g_autofree char *expected_name = NULL;
      g_autofree char *expected_model = guarded (json_object_get_string_member (log, "model"));
      g_autofree char *expected_request = guarded (json_object_get_string_member (log, "request_id"));

      *seen_id = id;
      g_assert_true (g_hash_table_add (seen, seen_id));

      g_assert_cmpint (id, ==, json_object_get_int_member (log, "id"));
      g_assert_cmpstr (row[1], ==, json_object_get_string_member (log, "created_at"));
      g_assert_cmpint (tally_test_parse_int (row[2]), ==, key_id);

      if (json_object_has_member (log, "api_key"))
        api_key = json_object_get_object_member (log, "api_key");
      if (api_key != NULL)
        expected_name = guarded (json_object_get_string_member (api_key, "name"));
      else if (g_hash_table_contains (key_names, &key_id))
        expected_name = guarded (g_hash_table_lookup (key_names, &key_id));
      else
        {
          expected_name = g_strdup ("");
          saw_deleted = TRUE;
        }
      g_assert_cmpstr (row[3], ==, expected_name);

      g_assert_cmpstr (row[4], ==, expected_model);
      g_assert_cmpstr (row[5], ==, json_object_get_boolean_member (log, "stream") ? "true" : "false");
      g_assert_cmpstr (row[6], ==, billing == 0 ? "balance" : billing == 1 ? "subscription"
                                                                           : "?");
      g_assert_cmpint (tally_test_parse_int (row[7]), ==, json_object_get_int_member (log, "input_tokens"));
      g_assert_cmpint (tally_test_parse_int (row[8]), ==, json_object_get_int_member (log, "output_tokens"));
      g_assert_cmpint (tally_test_parse_int (row[9]), ==, json_object_get_int_member (log, "cache_creation_tokens"));
      g_assert_cmpint (tally_test_parse_int (row[10]), ==, json_object_get_int_member (log, "cache_read_tokens"));
      g_assert_cmpint (tally_test_parse_int (row[11]), ==,
                       json_object_get_int_member (log, "input_tokens")
                           + json_object_get_int_member (log, "output_tokens")
                           + json_object_get_int_member (log, "cache_creation_tokens")
                           + json_object_get_int_member (log, "cache_read_tokens"));
      /* full precision: the text round-trips to the very double the server sent */
      g_assert_true (tally_test_parse_double (row[12]) == json_object_get_double_member (log, "total_cost"));
      g_assert_true (tally_test_parse_double (row[13]) == json_object_get_double_member (log, "actual_cost"));
      g_assert_true (tally_test_parse_double (row[14]) == json_object_get_double_member (log, "rate_multiplier"));
      assert_nullable_int (row[15], log, "duration_ms");
      assert_nullable_int (row[16], log, "first_token_ms");
      g_assert_cmpstr (row[17], ==, expected_request);

      sum_actual += tally_test_parse_double (row[13]);
      sum_cost += tally_test_parse_double (row[12]);
    }

  g_assert_cmpuint (g_hash_table_size (seen), ==, total);
  g_assert_cmpfloat_with_epsilon (sum_actual,
                                  json_object_get_double_member (json_node_get_object (stats), "total_actual_cost"),
                                  1e-9);
  g_assert_cmpfloat_with_epsilon (sum_cost,
                                  json_object_get_double_member (json_node_get_object (stats), "total_cost"),
                                  1e-9);
  g_assert_cmpint (rows->len - 1, ==,
                   json_object_get_int_member (json_node_get_object (stats), "total_requests"));

  /* the unfiltered report must meet the deleted key's rows (no nested api_key) */
  if (tally_usage_query_get_api_key_id (query) == 0)
    g_assert_true (saw_deleted);
}

static void
test_logs_all (Fixture *f,
               gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autoptr (GError) error = NULL;

  /* the whole data set: 90 days up to "now" */
  g_assert_true (tally_usage_query_set_range (query, "2025-01-01", "2026-12-31", &error));
  check_logs (f, query, "start_date=2025-01-01&end_date=2026-12-31");

  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage"), >, 30);
}

static void
test_logs_filtered (Fixture *f,
                    gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (tally_usage_query_set_range (query, "2025-12-01", "2026-01-15", &error));
  tally_usage_query_set_api_key_id (query, 1);
  check_logs (f, query, "api_key_id=1&start_date=2025-12-01&end_date=2026-01-15");
}

/* DAILY == the trend, zero-filled: one row per day (or hour) of the range. */
static void
check_daily (Fixture *f,
             TallyGranularity granularity)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (JsonNode) trend = NULL;
  g_autoptr (GHashTable) points = g_hash_table_new (g_str_hash, g_str_equal);
  const char *path;
  JsonArray *array;
  gint64 requests = 0;
  double actual = 0.0;
  double raw_actual = 0.0;
  gint64 raw_requests = 0;
  guint expected_rows;

  g_assert_true (tally_usage_query_set_range (query, "2025-12-20", "2026-01-15", &error));
  rows = report_rows (f, TALLY_REPORT_DAILY, query, granularity, NULL);

  path = granularity == TALLY_GRANULARITY_HOUR
             ? "/usage/dashboard/trend?start_date=2025-12-20&end_date=2026-01-15&granularity=hour"
             : "/usage/dashboard/trend?start_date=2025-12-20&end_date=2026-01-15&granularity=day";
  trend = tally_test_demo_fetch_raw (&f->demo, "GET", path, NULL);
  array = json_object_get_array_member (json_node_get_object (trend), "trend");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *point = json_array_get_object_element (array, i);

      g_hash_table_insert (points, (gpointer) json_object_get_string_member (point, "date"), point);
      raw_requests += json_object_get_int_member (point, "requests");
      raw_actual += json_object_get_double_member (point, "actual_cost");
    }

  expected_rows = tally_date_range_days ("2025-12-20", "2026-01-15");
  g_assert_cmpuint (expected_rows, ==, 27);
  if (granularity == TALLY_GRANULARITY_HOUR)
    expected_rows *= 24;
  g_assert_cmpuint (rows->len - 1, ==, expected_rows);

  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 1))[0], ==,
                   granularity == TALLY_GRANULARITY_HOUR ? "2025-12-20 00:00" : "2025-12-20");
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, rows->len - 1))[0], ==,
                   granularity == TALLY_GRANULARITY_HOUR ? "2026-01-15 23:00" : "2026-01-15");

  for (guint i = 1; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      JsonObject *point = g_hash_table_lookup (points, row[0]);

      if (i > 1)
        g_assert_cmpstr (((char **) g_ptr_array_index (rows, i - 1))[0], <, row[0]);

      if (point == NULL)
        {
          for (guint c = 1; c < 8; c++)
            g_assert_cmpstr (row[c], ==, "0");
          continue;
        }

      g_assert_cmpint (tally_test_parse_int (row[1]), ==, json_object_get_int_member (point, "requests"));
      g_assert_cmpint (tally_test_parse_int (row[2]), ==, json_object_get_int_member (point, "input_tokens"));
      g_assert_cmpint (tally_test_parse_int (row[3]), ==, json_object_get_int_member (point, "output_tokens"));
      g_assert_cmpint (tally_test_parse_int (row[4]), ==, json_object_get_int_member (point, "cache_tokens"));
      g_assert_cmpint (tally_test_parse_int (row[5]), ==, json_object_get_int_member (point, "total_tokens"));
      g_assert_true (tally_test_parse_double (row[6]) == json_object_get_double_member (point, "cost"));
      g_assert_true (tally_test_parse_double (row[7]) == json_object_get_double_member (point, "actual_cost"));
      requests += tally_test_parse_int (row[1]);
      actual += tally_test_parse_double (row[7]);
    }

  g_assert_cmpint (requests, ==, raw_requests);
  g_assert_cmpint (requests, >, 0);
  g_assert_cmpfloat_with_epsilon (actual, raw_actual, 1e-9);
  /* some day or hour has no traffic in the hourly view, so zero rows were filled in */
  if (granularity == TALLY_GRANULARITY_HOUR)
    g_assert_cmpuint (g_hash_table_size (points), <, expected_rows);
}

static void
test_daily (Fixture *f,
            gconstpointer data)
{
  check_daily (f, TALLY_GRANULARITY_DAY);
}

static void
test_daily_hourly (Fixture *f,
                   gconstpointer data)
{
  check_daily (f, TALLY_GRANULARITY_HOUR);
}

/* DAILY filtered by key: the dashboard cannot filter, so rows are summed from /usage. */
static void
test_daily_filtered (Fixture *f,
                     gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (JsonNode) stats = NULL;
  g_autoptr (GPtrArray) raw = NULL;
  g_autoptr (GHashTable) per_day = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gint64 requests = 0;
  double actual = 0.0;

  g_assert_true (tally_usage_query_set_range (query, "2026-01-01", "2026-01-15", &error));
  tally_usage_query_set_api_key_id (query, 2);
  rows = report_rows (f, TALLY_REPORT_DAILY, query, TALLY_GRANULARITY_DAY, NULL);
  g_assert_cmpuint (rows->len - 1, ==, 15);

  raw = fetch_all_usage (f, "api_key_id=2&start_date=2026-01-01&end_date=2026-01-15");
  for (guint i = 0; i < raw->len; i++)
    {
      JsonObject *log = json_node_get_object (g_ptr_array_index (raw, i));
      g_autofree char *day = g_strndup (json_object_get_string_member (log, "created_at"), 10);
      gint64 *count = g_hash_table_lookup (per_day, day);

      if (count == NULL)
        {
          count = g_new0 (gint64, 1);
          g_hash_table_insert (per_day, g_strdup (day), count);
        }
      (*count)++;
    }

  for (guint i = 1; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      gint64 *count = g_hash_table_lookup (per_day, row[0]);

      g_assert_cmpint (tally_test_parse_int (row[1]), ==, count != NULL ? *count : 0);
      requests += tally_test_parse_int (row[1]);
      actual += tally_test_parse_double (row[7]);
    }

  stats = tally_test_demo_fetch_raw (&f->demo, "GET", "/usage/stats?api_key_id=2&start_date=2026-01-01&end_date=2026-01-15", NULL);
  g_assert_cmpint (requests, ==, json_object_get_int_member (json_node_get_object (stats), "total_requests"));
  g_assert_cmpint (requests, >, 0);
  g_assert_cmpfloat_with_epsilon (actual,
                                  json_object_get_double_member (json_node_get_object (stats), "total_actual_cost"),
                                  1e-9);
}

static void
test_models (Fixture *f,
             gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (JsonNode) raw = NULL;
  JsonArray *models;

  g_assert_true (tally_usage_query_set_range (query, "2025-12-01", "2026-01-15", &error));
  rows = report_rows (f, TALLY_REPORT_MODELS, query, TALLY_GRANULARITY_DAY, NULL);

  raw = tally_test_demo_fetch_raw (&f->demo, "GET", "/usage/dashboard/models?start_date=2025-12-01&end_date=2026-01-15", NULL);
  models = json_object_get_array_member (json_node_get_object (raw), "models");
  g_assert_cmpuint (json_array_get_length (models), >, 3);
  g_assert_cmpuint (rows->len - 1, ==, json_array_get_length (models));

  for (guint i = 1; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      JsonObject *model = json_array_get_object_element (models, i - 1);
      g_autofree char *name = guarded (json_object_get_string_member (model, "model"));

      g_assert_cmpstr (row[0], ==, name);
      g_assert_cmpint (tally_test_parse_int (row[1]), ==, json_object_get_int_member (model, "requests"));
      g_assert_cmpint (tally_test_parse_int (row[2]), ==, json_object_get_int_member (model, "input_tokens"));
      g_assert_cmpint (tally_test_parse_int (row[3]), ==, json_object_get_int_member (model, "output_tokens"));
      g_assert_cmpint (tally_test_parse_int (row[4]), ==, json_object_get_int_member (model, "total_tokens"));
      g_assert_true (tally_test_parse_double (row[5]) == json_object_get_double_member (model, "cost"));
      g_assert_true (tally_test_parse_double (row[6]) == json_object_get_double_member (model, "actual_cost"));
    }
}

static void
test_keys (Fixture *f,
           gconstpointer data)
{
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (JsonNode) keys = tally_test_demo_fetch_raw (&f->demo, "GET", "/keys?page=1&page_size=100", NULL);
  g_autoptr (JsonNode) batch = NULL;
  g_autoptr (GString) ids = g_string_new ("{\"api_key_ids\":[");
  g_autofree char *text = NULL;
  JsonArray *items = json_object_get_array_member (json_node_get_object (keys), "items");
  JsonObject *stats;
  gboolean saw_formula = FALSE;

  for (guint i = 0; i < json_array_get_length (items); i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            json_object_get_int_member (json_array_get_object_element (items, i), "id"));
  g_string_append (ids, "]}");
  batch = tally_test_demo_fetch_raw (&f->demo, "POST", "/usage/dashboard/api-keys-usage", ids->str);
  stats = json_object_get_object_member (json_node_get_object (batch), "stats");

  rows = report_rows (f, TALLY_REPORT_KEYS, NULL, TALLY_GRANULARITY_DAY, &text);
  g_assert_cmpuint (rows->len - 1, ==, json_array_get_length (items));
  g_assert_cmpuint (rows->len - 1, >=, 6);

  for (guint i = 1; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      JsonObject *key = json_array_get_object_element (items, i - 1);
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (key, "id"));
      g_autofree char *name = guarded (json_object_get_string_member (key, "name"));
      JsonObject *usage = json_object_has_member (stats, id_text) ? json_object_get_object_member (stats, id_text) : NULL;

      g_assert_cmpstr (row[0], ==, id_text);
      g_assert_cmpstr (row[1], ==, name);
      g_assert_cmpstr (row[2], ==, json_object_get_string_member (key, "status"));
      g_assert_true (tally_test_parse_double (row[3]) == (usage ? json_object_get_double_member (usage, "today_actual_cost") : 0.0));
      g_assert_true (tally_test_parse_double (row[4]) == (usage ? json_object_get_double_member (usage, "total_actual_cost") : 0.0));

      if (g_str_equal (id_text, "6"))
        {
          /* demo key 6 is a spreadsheet formula: neutralised with a leading ' */
          g_assert_cmpstr (row[1], ==, "'=cmd|' /C calc'!A0");
          saw_formula = TRUE;
        }
    }

  g_assert_true (saw_formula);
  g_assert_nonnull (strstr (text, "\r\n6,'=cmd|' /C calc'!A0,active,"));
  /* the secret is never written */
  g_assert_null (strstr (text, "sk-"));
}

/* ------------------------------------------------------------ export */

typedef struct
{
  Fixture *f;
  GCancellable *cancellable;
  guint calls;
  guint64 last_rows;
} ProgressData;

static void
fault_after_first_page_cb (guint64 rows,
                           guint pages,
                           gpointer user_data)
{
  ProgressData *data = user_data;

  data->calls++;
  data->last_rows = rows;
  if (pages == 1)
    tally_demo_server_set_fault (data->f->demo.server, TALLY_DEMO_FAULT_TOKEN_EXPIRED);
}

static void
cancel_after_first_page_cb (guint64 rows,
                            guint pages,
                            gpointer user_data)
{
  ProgressData *data = user_data;

  data->calls++;
  if (pages == 1)
    g_cancellable_cancel (data->cancellable);
}

static void
count_progress_cb (guint64 rows,
                   guint pages,
                   gpointer user_data)
{
  ProgressData *data = user_data;

  g_assert_cmpuint (rows, >=, data->last_rows);
  data->calls++;
  data->last_rows = rows;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

static char *
list_dir_sorted (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (",", (char **) names->pdata);
}

static gboolean export(Fixture *f,
                       TallyReportKind kind,
                       const TallyUsageQuery *query,
                       GFile *target,
                       TallyReportProgress progress,
                       ProgressData *data,
                       GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  tally_report_export_csv_async (f->demo.client, kind, query, TALLY_GRANULARITY_DAY, target,
                                 progress, data, data->cancellable,
                                 tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  return tally_report_export_csv_finish (result, error);
}

static void
test_export_ok (Fixture *f,
                gconstpointer user_data)
{
  g_autofree char *dir = g_dir_make_tmp ("tally-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "logs.csv", NULL);
  g_autoptr (GFile) target = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *listing = NULL;
  ProgressData data = { f, NULL, 0, 0 };
  gsize len = 0;
  gsize expected_len = 0;

  g_assert_true (tally_usage_query_set_range (query, "2026-01-01", "2026-01-15", &error));
  g_assert_true (g_file_set_contents (path, "old contents\n", -1, NULL));

  g_assert_true (export(f, TALLY_REPORT_LOGS, query, target, count_progress_cb, &data, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  expected = write_report (f, TALLY_REPORT_LOGS, query, TALLY_GRANULARITY_DAY, &expected_len);
  g_assert_cmpmem (contents, len, expected, expected_len);
  g_assert_cmpuint (data.calls, >=, 2);

  /* the final progress call reports every row */
  {
    g_autoptr (GPtrArray) rows = parse_report (contents, len, TALLY_REPORT_LOGS);

    g_assert_cmpuint (data.last_rows, ==, rows->len - 1);
  }

  listing = list_dir_sorted (dir);
  g_assert_cmpstr (listing, ==, "logs.csv");

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_export_fault (Fixture *f,
                   gconstpointer user_data)
{
  g_autofree char *dir = g_dir_make_tmp ("tally-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "logs.csv", NULL);
  g_autoptr (GFile) target = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *listing = NULL;
  const char *previous = "id,created_at\r\n1,previous export\r\n";
  ProgressData data = { f, NULL, 0, 0 };

  g_assert_true (g_file_set_contents (path, previous, -1, NULL));

  /* ~30 pages; the token "expires" once the first page is written */
  g_assert_false (export(f, TALLY_REPORT_LOGS, NULL, target, fault_after_first_page_cb, &data, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (data.calls, >=, 1);
  g_assert_cmpuint (data.last_rows, >=, 100);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, previous);
  listing = list_dir_sorted (dir);
  g_assert_cmpstr (listing, ==, "logs.csv");

  /* the same failure without an existing file leaves no file at all */
  g_assert_cmpint (g_remove (path), ==, 0);
  g_clear_error (&error);
  tally_demo_server_set_fault (f->demo.server, TALLY_DEMO_FAULT_NONE);
  data.calls = 0;
  g_assert_false (export(f, TALLY_REPORT_LOGS, NULL, target, fault_after_first_page_cb, &data, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED);
  g_clear_pointer (&listing, g_free);
  listing = list_dir_sorted (dir);
  g_assert_cmpstr (listing, ==, "");

  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_export_cancel (Fixture *f,
                    gconstpointer user_data)
{
  g_autofree char *dir = g_dir_make_tmp ("tally-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "logs.csv", NULL);
  g_autoptr (GFile) target = g_file_new_for_path (path);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *listing = NULL;
  ProgressData data = { f, cancellable, 0, 0 };

  g_assert_false (export(f, TALLY_REPORT_LOGS, NULL, target, cancel_after_first_page_cb, &data, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (data.calls, ==, 1);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  listing = list_dir_sorted (dir);
  g_assert_cmpstr (listing, ==, "");

  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A write error (a stream that refuses) is reported, not swallowed. */
static void
test_write_error (Fixture *f,
                  gconstpointer user_data)
{
  g_autoptr (GOutputStream) stream = g_memory_output_stream_new (g_malloc (64), 64, NULL, g_free);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  tally_report_write_csv_async (f->demo.client, TALLY_REPORT_LOGS, NULL, TALLY_GRANULARITY_DAY, stream,
                                NULL, NULL, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_false (tally_report_write_csv_finish (result, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_IO);
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/report/logs/all", Fixture, NULL, fixture_setup, test_logs_all, fixture_teardown);
  g_test_add ("/report/logs/filtered", Fixture, NULL, fixture_setup, test_logs_filtered, fixture_teardown);
  g_test_add ("/report/daily/day", Fixture, NULL, fixture_setup, test_daily, fixture_teardown);
  g_test_add ("/report/daily/hour", Fixture, NULL, fixture_setup, test_daily_hourly, fixture_teardown);
  g_test_add ("/report/daily/filtered", Fixture, NULL, fixture_setup, test_daily_filtered, fixture_teardown);
  g_test_add ("/report/models", Fixture, NULL, fixture_setup, test_models, fixture_teardown);
  g_test_add ("/report/keys", Fixture, NULL, fixture_setup, test_keys, fixture_teardown);
  g_test_add ("/report/export/ok", Fixture, NULL, fixture_setup, test_export_ok, fixture_teardown);
  g_test_add ("/report/export/fault", Fixture, NULL, fixture_setup, test_export_fault, fixture_teardown);
  g_test_add ("/report/export/cancel", Fixture, NULL, fixture_setup, test_export_cancel, fixture_teardown);
  g_test_add ("/report/write-error", Fixture, NULL, fixture_setup, test_write_error, fixture_teardown);

  return g_test_run ();
}

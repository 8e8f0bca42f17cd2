/* test-log-list.c: the lazy usage log list against the demo server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "tally-client.h"
#include "tally-demo-server.h"
#include "tally-log-list.h"
#include "tally-server-time.h"
#include "tally-soup-listen-private.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"

#define DEMO_SEED 11
#define GUARD_SECONDS 60
#define LOOKAHEAD 60
#define HELD 120 /* rows a "view" holds: its visible range and a little more */

typedef struct
{
  TallyTestDemo demo;
} Fixture;

static void
start_server (Fixture *f,
              guint rows)
{
  tally_test_demo_start_pinned (&f->demo, DEMO_SEED, rows, TALLY_DEMO_GENERATION_CURRENT);
}

static void
fixture_setup_big (Fixture *f,
                   gconstpointer data)
{
  /* ~96.5% of the rows are the demo user's: this gives him over 100 000 */
  start_server (f, 104000);
}

static void
fixture_setup_small (Fixture *f,
                     gconstpointer data)
{
  start_server (f, 6000);
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  tally_test_demo_stop (&f->demo);
}

/* The `data` member of GET /api/v1@path (plain soup + json-glib). */
static JsonNode *
fetch_raw (Fixture *f,
           const char *path)
{
  return tally_test_demo_fetch_raw (&f->demo, "GET", path, NULL);
}

/* Raw /usage page @page (page_size 100) for @query. */
static JsonNode *
fetch_raw_page (Fixture *f,
                const TallyUsageQuery *query,
                gint64 page,
                gint64 page_size)
{
  g_autofree char *params = tally_usage_query_to_list_params (query, page, page_size);
  g_autofree char *path = g_strdup_printf ("/usage?%s", params);

  return fetch_raw (f, path);
}

static gint64
raw_total (Fixture *f,
           const TallyUsageQuery *query)
{
  g_autoptr (JsonNode) data = fetch_raw_page (f, query, 1, 1);

  return json_object_get_int_member (json_node_get_object (data), "total");
}

typedef struct
{
  gpointer object;
  const char *property;
} PropertyWait;

static gboolean
property_true (gpointer data)
{
  PropertyWait *wait = data;
  gboolean value = FALSE;

  g_object_get (wait->object, wait->property, &value, NULL);

  return value;
}

static gboolean
list_idle (gpointer data)
{
  return !tally_log_list_get_loading (data) && !g_main_context_pending (NULL);
}

/* Iterates until @property of @object reads TRUE. */
static void
wait_property (gpointer object,
               const char *property)
{
  PropertyWait wait = { object, property };

  tally_test_wait_until (property_true, &wait, 20, GUARD_SECONDS, property);
}

static void
wait_idle (TallyLogList *list)
{
  /* one iteration lets a queued dispatch start its fetches */
  g_main_context_iteration (NULL, FALSE);
  tally_test_wait_until (list_idle, list, 20, GUARD_SECONDS, "the list");
}

static TallyLogList *
new_ready_list (Fixture *f,
                const TallyUsageQuery *query)
{
  TallyLogList *list = tally_log_list_new (f->demo.client, query);

  wait_property (list, "ready");
  wait_idle (list);
  g_assert_null (tally_log_list_get_error (list));

  return list;
}

static void
assert_row_equals_raw (TallyUsageLog *log,
                       JsonObject *raw)
{
  g_assert_cmpint (tally_usage_log_get_id (log), ==, json_object_get_int_member (raw, "id"));
  g_assert_cmpint (tally_usage_log_get_api_key_id (log), ==, json_object_get_int_member (raw, "api_key_id"));
  g_assert_cmpstr (tally_usage_log_get_model (log), ==, json_object_get_string_member (raw, "model"));
  g_assert_cmpstr (tally_usage_log_get_request_id (log), ==, json_object_get_string_member (raw, "request_id"));
  g_assert_cmpint (tally_usage_log_get_input_tokens (log), ==, json_object_get_int_member (raw, "input_tokens"));
  g_assert_cmpint (tally_usage_log_get_cache_read_tokens (log), ==, json_object_get_int_member (raw, "cache_read_tokens"));
  g_assert_cmpfloat (tally_usage_log_get_actual_cost (log), ==, json_object_get_double_member (raw, "actual_cost"));
  g_assert_cmpstr (tally_usage_log_get_created_at_raw (log), ==, json_object_get_string_member (raw, "created_at"));
}

/* A "view": holds the last HELD rows it asked for, asks LOOKAHEAD rows ahead
 * of @pos, and waits for row @pos to load. Returns the row (owned). */
typedef struct
{
  TallyLogList *list;
  GPtrArray *held; /* ring of TallyLogRow */
  guint next;      /* next position to ask for */
} View;

static void
view_init (View *view,
           TallyLogList *list)
{
  view->list = list;
  view->held = g_ptr_array_new_full (HELD, g_object_unref);
  view->next = 0;
}

static void
view_clear (View *view)
{
  g_clear_pointer (&view->held, g_ptr_array_unref);
}

static TallyLogRow *
view_show (View *view,
           guint pos)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (view->list));
  g_autoptr (TallyLogRow) row = NULL;

  while (view->next < n && view->next <= pos + LOOKAHEAD)
    {
      TallyLogRow *ahead = g_list_model_get_item (G_LIST_MODEL (view->list), view->next);

      g_assert_nonnull (ahead);
      if (view->held->len >= HELD)
        g_ptr_array_remove_index (view->held, 0);
      g_ptr_array_add (view->held, ahead);
      view->next++;
    }

  row = g_list_model_get_item (G_LIST_MODEL (view->list), pos);
  g_assert_nonnull (row);
  if (!tally_log_row_get_loaded (row))
    wait_property (row, "loaded");

  return g_steal_pointer (&row);
}

/* 100 000 rows: n-items from page 1, each page fetched once in order, the
 * window bounded, sampled rows equal to the raw pages. */
static void
test_scroll (Fixture *f,
             gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  TallyLogList *list;
  gint64 total = raw_total (f, query);
  guint n;
  guint n_pages;
  guint max_resident = 0;
  const guint samples[] = { 0, 1, 99, 100, 4321, 50050, 99899, 99900 };
  TallyUsageLog *sampled[G_N_ELEMENTS (samples)] = {
    NULL,
  };
  View view;

  g_assert_cmpint (total, >=, 100000);
  tally_demo_server_reset_request_counts (f->demo.server);

  list = tally_log_list_new (f->demo.client, query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 0));
  wait_property (list, "ready");

  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, ==, total);
  g_assert_true (tally_log_list_get_total_is_exact (list));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == TALLY_TYPE_LOG_ROW);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), n));
  /* a today's server takes the 1000 asked for */
  g_assert_cmpuint (tally_log_list_get_page_size (list), ==, 1000);
  n_pages = (n + 999) / 1000;

  view_init (&view, list);
  for (guint pos = 0; pos < n; pos++)
    {
      g_autoptr (TallyLogRow) row = view_show (&view, pos);

      g_assert_cmpuint (tally_log_row_get_position (row), ==, pos);
      for (guint s = 0; s < G_N_ELEMENTS (samples); s++)
        if (samples[s] == pos)
          sampled[s] = g_object_ref (tally_log_row_get_log (row));

      max_resident = MAX (max_resident, tally_log_list_get_pages_resident (list));
      g_assert_cmpuint (tally_log_list_get_pages_resident (list), <=, tally_log_list_get_window_pages (list));
    }
  wait_idle (list);
  view_clear (&view);

  g_test_message ("%u rows, %u pages, %u fetched, %u requests, at most %u pages resident",
                  n, n_pages, tally_log_list_get_pages_fetched (list),
                  tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage"), max_resident);
  g_assert_cmpuint (tally_log_list_get_pages_fetched (list), ==, n_pages);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage"), ==, n_pages);
  g_assert_cmpuint (max_resident, <=, tally_log_list_get_window_pages (list));
  g_assert_cmpuint (tally_log_list_get_window_pages (list) * 1000, <=, TALLY_LOG_LIST_WINDOW_ROWS);
  g_assert_cmpuint (max_resident, >=, 2);
  g_assert_null (tally_log_list_get_error (list));

  /* The sampled rows are exactly what the server sends for those positions. */
  for (guint s = 0; s < G_N_ELEMENTS (samples); s++)
    {
      g_autoptr (JsonNode) page = fetch_raw_page (f, query, samples[s] / 100 + 1, 100);
      JsonArray *items = json_object_get_array_member (json_node_get_object (page), "items");

      assert_row_equals_raw (sampled[s], json_array_get_object_element (items, samples[s] % 100));
      g_clear_object (&sampled[s]);
    }

  /* Scrolling back to an evicted row refetches its page, once. */
  tally_demo_server_reset_request_counts (f->demo.server);
  {
    g_autoptr (TallyLogRow) row = g_list_model_get_item (G_LIST_MODEL (list), 5);
    g_autoptr (TallyLogRow) same_page = g_list_model_get_item (G_LIST_MODEL (list), 6);

    g_assert_false (tally_log_row_get_loaded (row));
    wait_property (row, "loaded");
    g_assert_true (tally_log_row_get_loaded (same_page));
    wait_idle (list);
    g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage"), ==, 1);
  }

  g_assert_finalize_object (list);
}

static gboolean
row_matches (JsonObject *row,
             const TallyUsageQuery *query)
{
  const char *created = json_object_get_string_member (row, "created_at");
  g_autofree char *day = g_strndup (created, 10);
  const char *start = tally_usage_query_get_start_date (query);
  const char *end = tally_usage_query_get_end_date (query);

  if (tally_usage_query_get_api_key_id (query) != 0 && json_object_get_int_member (row, "api_key_id") != tally_usage_query_get_api_key_id (query))
    return FALSE;
  if (tally_usage_query_get_model (query) != NULL && g_strcmp0 (json_object_get_string_member (row, "model"), tally_usage_query_get_model (query)) != 0)
    return FALSE;
  if (tally_usage_query_get_stream (query) != TALLY_STREAM_ANY && json_object_get_boolean_member (row, "stream") != (tally_usage_query_get_stream (query) == TALLY_STREAM_STREAM))
    return FALSE;
  if (tally_usage_query_get_billing (query) != TALLY_BILLING_ANY && json_object_get_int_member (row, "billing_type") != tally_usage_query_get_billing (query))
    return FALSE;
  if (start != NULL && strcmp (day, start) < 0)
    return FALSE;
  if (end != NULL && strcmp (day, end) > 0)
    return FALSE;

  return TRUE;
}

static gboolean
log_matches (TallyUsageLog *log,
             const TallyUsageQuery *query)
{
  g_autofree char *day = g_strndup (tally_usage_log_get_created_at_raw (log), 10);
  const char *start = tally_usage_query_get_start_date (query);
  const char *end = tally_usage_query_get_end_date (query);

  if (tally_usage_query_get_api_key_id (query) != 0 && tally_usage_log_get_api_key_id (log) != tally_usage_query_get_api_key_id (query))
    return FALSE;
  if (tally_usage_query_get_model (query) != NULL && g_strcmp0 (tally_usage_log_get_model (log), tally_usage_query_get_model (query)) != 0)
    return FALSE;
  if (tally_usage_query_get_stream (query) != TALLY_STREAM_ANY && tally_usage_log_get_stream (log) != (tally_usage_query_get_stream (query) == TALLY_STREAM_STREAM))
    return FALSE;
  if (tally_usage_query_get_billing (query) != TALLY_BILLING_ANY && tally_usage_log_get_billing_type (log) != tally_usage_query_get_billing (query))
    return FALSE;
  if (start != NULL && strcmp (day, start) < 0)
    return FALSE;
  if (end != NULL && strcmp (day, end) > 0)
    return FALSE;

  return TRUE;
}

/* Every combination of filters: the list holds exactly the server's rows for
 * that query (count, and the first page row by row), all matching it. */
static void
test_filters (Fixture *f,
              gconstpointer data)
{
  const gint64 keys[] = { 0, 1, 3 };
  const char *models[] = { NULL, "claude-sonnet-4-5", "gpt-5" };
  const TallyStreamFilter streams[] = { TALLY_STREAM_ANY, TALLY_STREAM_STREAM, TALLY_STREAM_SYNC };
  const TallyBillingType billings[] = { TALLY_BILLING_ANY, TALLY_BILLING_BALANCE, TALLY_BILLING_SUBSCRIPTION };
  const char *ranges[][2] = { { NULL, NULL }, { "2026-01-09", "2026-01-15" }, { "2025-12-01", "2025-12-31" } };
  g_autoptr (TallyLogList) list = tally_log_list_new (f->demo.client, NULL);
  guint combos = 0;
  guint non_empty = 0;

  wait_property (list, "ready");

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    for (guint m = 0; m < G_N_ELEMENTS (models); m++)
      for (guint s = 0; s < G_N_ELEMENTS (streams); s++)
        for (guint b = 0; b < G_N_ELEMENTS (billings); b++)
          for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
            {
              g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
              g_autoptr (JsonNode) raw = NULL;
              g_autoptr (GError) error = NULL;
              JsonArray *items;
              guint n;

              tally_usage_query_set_api_key_id (query, keys[k]);
              tally_usage_query_set_model (query, models[m]);
              tally_usage_query_set_stream (query, streams[s]);
              tally_usage_query_set_billing (query, billings[b]);
              g_assert_true (tally_usage_query_set_range (query, ranges[r][0], ranges[r][1], &error));
              g_assert_no_error (error);

              tally_log_list_set_query (list, query);
              g_assert_true (tally_usage_query_equal (tally_log_list_get_query (list), query));
              /* the first combination is the list's initial "any" query */
              if (combos > 0)
                {
                  g_assert_false (tally_log_list_get_ready (list));
                  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
                }
              wait_property (list, "ready");
              g_assert_null (tally_log_list_get_error (list));

              raw = fetch_raw_page (f, query, 1, 100);
              items = json_object_get_array_member (json_node_get_object (raw), "items");
              n = g_list_model_get_n_items (G_LIST_MODEL (list));
              g_assert_cmpint (n, ==, json_object_get_int_member (json_node_get_object (raw), "total"));
              /* a page and one row look exactly like a fast-pagination
               * lower bound (API.md §1.6: total = rows + 1 while more exist) */
              if (n == tally_log_list_get_page_size (list) + 1)
                g_assert_false (tally_log_list_get_total_is_exact (list));
              else
                g_assert_true (tally_log_list_get_total_is_exact (list));

              for (guint i = 0; i < MIN (n, 100); i++)
                {
                  g_autoptr (TallyLogRow) row = g_list_model_get_item (G_LIST_MODEL (list), i);
                  JsonObject *raw_row = json_array_get_object_element (items, i);

                  /* page 1 came with n-items: no placeholder */
                  g_assert_true (tally_log_row_get_loaded (row));
                  assert_row_equals_raw (tally_log_row_get_log (row), raw_row);
                  g_assert_true (row_matches (raw_row, query));
                  g_assert_true (log_matches (tally_log_row_get_log (row), query));
                }

              combos++;
              if (n > 0)
                non_empty++;
            }

  g_test_message ("%u filter combinations, %u non-empty", combos, non_empty);
  g_assert_cmpuint (combos, ==, 243);
  g_assert_cmpuint (non_empty, >=, 60);
}

/* A new query mid-scroll: fetches for the old one are cancelled and never
 * fill rows; n-items and rows follow the new filter. */
static void
test_filter_change (Fixture *f,
                    gconstpointer data)
{
  g_autoptr (TallyUsageQuery) first = tally_usage_query_new ();
  g_autoptr (TallyUsageQuery) second = tally_usage_query_new ();
  g_autoptr (GPtrArray) old_rows = g_ptr_array_new_with_free_func (g_object_unref);
  TallyLogList *list;
  gint64 second_total;
  guint requests_before;
  guint n;

  tally_usage_query_set_api_key_id (second, 3);
  tally_usage_query_set_stream (second, TALLY_STREAM_SYNC);
  second_total = raw_total (f, second);
  g_assert_cmpint (second_total, >, 250);

  list = new_ready_list (f, first);
  g_assert_cmpint (g_list_model_get_n_items (G_LIST_MODEL (list)), >, 5000);
  g_assert_cmpuint (tally_log_list_get_page_size (list), ==, 1000);

  tally_demo_server_set_delay (f->demo.server, 100);
  tally_demo_server_reset_request_counts (f->demo.server);

  /* Scroll into pages 2..5: they are requested (some in flight, some queued). */
  for (guint i = 1000; i < 5000; i += 37)
    g_ptr_array_add (old_rows, g_list_model_get_item (G_LIST_MODEL (list), i));
  tally_test_spin (30);
  g_assert_true (tally_log_list_get_loading (list));
  requests_before = tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage");

  tally_log_list_set_query (list, second);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_false (tally_log_list_get_ready (list));
  g_assert_cmpuint (tally_log_list_get_pages_fetched (list), ==, 0);

  wait_property (list, "ready");
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, ==, second_total);

  /* Let any late answer for the old query arrive: it must change nothing. */
  tally_test_spin (400);
  for (guint i = 0; i < old_rows->len; i++)
    g_assert_false (tally_log_row_get_loaded (g_ptr_array_index (old_rows, i)));
  g_assert_cmpuint (tally_log_list_get_pages_fetched (list), ==, 1);
  g_assert_cmpuint (tally_log_list_get_pages_resident (list), ==, 1);
  /* Queued pages were never requested: at most MAX_IN_FLIGHT (3) of the old
   * query's pages reached the server (fewer on a busy machine, where some were
   * still connecting when the query changed), plus the new query's first page. */
  g_assert_cmpuint (requests_before, >=, 1);
  g_assert_cmpuint (requests_before, <=, 3);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage"), <=, 3 + 1);

  /* The new rows, all of them key 3 and sync, in page 1. */
  {
    g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < MIN (n, 300); i++)
      g_ptr_array_add (rows, g_list_model_get_item (G_LIST_MODEL (list), i));
    for (guint i = 0; i < rows->len; i++)
      {
        TallyLogRow *row = g_ptr_array_index (rows, i);

        if (!tally_log_row_get_loaded (row))
          wait_property (row, "loaded");
        g_assert_cmpint (tally_usage_log_get_api_key_id (tally_log_row_get_log (row)), ==, 3);
        g_assert_false (tally_usage_log_get_stream (tally_log_row_get_log (row)));
      }
    g_assert_cmpuint (tally_log_list_get_pages_fetched (list), ==, (MIN (n, 300) + 999) / 1000);
  }

  tally_demo_server_set_delay (f->demo.server, 0);
  wait_idle (list);
  g_assert_finalize_object (list);
}

/* A failing page sets "error" and keeps the rows already loaded; a failed
 * reload keeps them too; a good reload clears the error. */
static void
test_error (Fixture *f,
            gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autoptr (TallyLogRow) first = NULL;
  g_autoptr (TallyLogRow) far = NULL;
  TallyUsageLog *first_log;
  TallyLogList *list = new_ready_list (f, query);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  g_assert_cmpuint (n, >, 3000);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  first_log = tally_log_row_get_log (first);
  g_assert_nonnull (first_log);

  tally_demo_server_set_fault (f->demo.server, TALLY_DEMO_FAULT_SERVER_ERROR);
  far = g_list_model_get_item (G_LIST_MODEL (list), 2950);
  g_assert_false (tally_log_row_get_loaded (far));
  while (tally_log_list_get_error (list) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("error: %s", tally_log_list_get_error (list));
  g_assert_cmpstr (tally_log_list_get_error (list), !=, "");
  g_assert_false (tally_log_row_get_loaded (far));
  g_assert_false (tally_log_list_get_loading (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  {
    g_autoptr (TallyLogRow) again = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_true (tally_log_row_get_loaded (again));
    g_assert_true (tally_log_row_get_log (again) == first_log);
  }
  /* A failed page is not retried by itself. */
  tally_demo_server_reset_request_counts (f->demo.server);
  g_clear_object (&far);
  far = g_list_model_get_item (G_LIST_MODEL (list), 2951);
  tally_test_spin (50);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage"), ==, 0);

  /* A failed reload keeps the rows. */
  tally_log_list_reload (list);
  g_assert_true (tally_log_list_get_loading (list));
  while (tally_log_list_get_loading (list))
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (tally_log_list_get_error (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  {
    g_autoptr (TallyLogRow) again = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_true (tally_log_row_get_log (again) == first_log);
  }

  /* A good reload replaces every row and clears the error. */
  tally_demo_server_set_fault (f->demo.server, TALLY_DEMO_FAULT_NONE);
  tally_log_list_reload (list);
  wait_idle (list);
  g_assert_null (tally_log_list_get_error (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  {
    g_autoptr (TallyLogRow) again = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g_autoptr (TallyLogRow) page10 = g_list_model_get_item (G_LIST_MODEL (list), 2951);

    g_assert_true (tally_log_row_get_loaded (again));
    g_assert_cmpint (tally_usage_log_get_id (tally_log_row_get_log (again)), ==,
                     tally_usage_log_get_id (first_log));
    wait_property (page10, "loaded");
  }

  /* A new query whose first page fails: empty, with the error. */
  tally_demo_server_set_fault (f->demo.server, TALLY_DEMO_FAULT_HTML_502);
  tally_usage_query_set_api_key_id (query, 2);
  tally_log_list_set_query (list, query);
  while (tally_log_list_get_loading (list))
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (tally_log_list_get_error (list));
  g_assert_false (tally_log_list_get_ready (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  tally_demo_server_set_fault (f->demo.server, TALLY_DEMO_FAULT_NONE);

  g_assert_finalize_object (list);
}

/* items-changed is emitted exactly: (0, 0, n) when page 1 arrives and
 * (0, n, 0) when the query changes. */
typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint count;
} Changes;

static void
items_changed_cb (GListModel *model,
                  guint position,
                  guint removed,
                  guint added,
                  Changes *changes)
{
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
  changes->count++;
}

static void
test_items_changed (Fixture *f,
                    gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  TallyLogList *list = tally_log_list_new (NULL, NULL);
  Changes changes = {
    0,
  };
  guint n;

  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  g_assert_false (tally_log_list_get_loading (list));
  tally_log_list_set_client (list, f->demo.client);
  g_assert_true (tally_log_list_get_loading (list));
  wait_property (list, "ready");
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (changes.count, ==, 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, n);

  tally_usage_query_set_billing (query, TALLY_BILLING_SUBSCRIPTION);
  tally_log_list_set_query (list, query);
  g_assert_cmpuint (changes.count, ==, 2);
  g_assert_cmpuint (changes.removed, ==, n);
  g_assert_cmpuint (changes.added, ==, 0);
  /* the same query again changes nothing */
  tally_log_list_set_query (list, query);
  g_assert_cmpuint (changes.count, ==, 2);

  wait_property (list, "ready");
  g_assert_cmpuint (changes.count, ==, 3);
  g_assert_cmpuint (changes.added, ==, raw_total (f, query));

  wait_idle (list);
  g_assert_finalize_object (list);
}

/* ------------------------------------------------ rows arriving while paged */

static TallyLogRow *load_row (TallyLogList *list,
                              guint position);

typedef struct
{
  guint rows_per_page; /* added before every answer of a page > 1 */
  guint added;
} Arrivals;

static void
arrive_hook (TallyDemoServer *server,
             gint64 page,
             gpointer user_data)
{
  Arrivals *arrivals = user_data;

  if (page > 1 && arrivals->rows_per_page > 0)
    {
      tally_demo_server_add_rows (server, arrivals->rows_per_page);
      arrivals->added += arrivals->rows_per_page;
    }
}

/* Every id of @query now, newest first, read raw in pages of 100. */
static GArray *
frozen_ids (Fixture *f,
            const TallyUsageQuery *query)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 total = raw_total (f, query);

  for (gint64 page = 1; (gint64) ids->len < total; page++)
    {
      g_autoptr (JsonNode) data = fetch_raw_page (f, query, page, 100);
      JsonArray *items = json_object_get_array_member (json_node_get_object (data), "items");

      g_assert_cmpuint (json_array_get_length (items), >, 0);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          gint64 id = json_object_get_int_member (json_array_get_object_element (items, i), "id");

          g_array_append_val (ids, id);
        }
    }
  g_assert_cmpint (ids->len, ==, total);
  for (guint i = 1; i < ids->len; i++)
    g_assert_cmpint (g_array_index (ids, gint64, i), <, g_array_index (ids, gint64, i - 1));

  return ids;
}

/* Rows arrive before every page after the first: item i is still the row a
 * frozen walk taken before had at i, all of them, each once; "n-new" counts
 * the rows added; a reload puts them on top. */
static void
test_rows_arriving (Fixture *f,
                    gconstpointer data)
{
  TallyDemoGeneration generation = GPOINTER_TO_UINT (data);
  guint expected_page_size = generation == TALLY_DEMO_GENERATION_2025 ? 100 : 1000;
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autoptr (GArray) frozen = NULL;
  Arrivals arrivals = { 0 };
  TallyLogList *list;
  guint n_added;
  guint n;
  View view;

  if (generation == TALLY_DEMO_GENERATION_2025)
    tally_demo_server_set_generation (f->demo.server, TALLY_DEMO_GENERATION_2025);
  frozen = frozen_ids (f, query);

  list = new_ready_list (f, query);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, ==, frozen->len);
  g_assert_cmpuint (tally_log_list_get_page_size (list), ==, expected_page_size);
  g_assert_cmpuint (n, >, 5 * expected_page_size);

  /* 7 rows before every later page: the shift is never a whole page */
  arrivals.rows_per_page = 7;
  tally_demo_server_set_usage_hook (f->demo.server, arrive_hook, &arrivals, NULL);
  tally_demo_server_reset_request_counts (f->demo.server);

  view_init (&view, list);
  for (guint pos = 0; pos < n; pos++)
    {
      g_autoptr (TallyLogRow) row = view_show (&view, pos);

      g_assert_cmpuint (tally_log_row_get_position (row), ==, pos);
      g_assert_cmpint (tally_usage_log_get_id (tally_log_row_get_log (row)), ==, g_array_index (frozen, gint64, pos));
      g_assert_cmpuint (tally_log_list_get_pages_resident (list), <=, tally_log_list_get_window_pages (list));
    }
  wait_idle (list);
  view_clear (&view);

  g_test_message ("%u rows, %u added while paged, %u requests",
                  n, arrivals.added, tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage"));
  g_assert_null (tally_log_list_get_error (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  g_assert_cmpuint (arrivals.added, >=, 7 * (n / expected_page_size));
  /* the demo user's share of them (a few rows go to other users) */
  arrivals.rows_per_page = 0;
  n_added = raw_total (f, query) - n;
  g_assert_cmpuint (n_added, >, 0);
  g_assert_cmpuint (n_added, <=, arrivals.added);
  g_assert_cmpuint (tally_log_list_get_n_new (list), ==, n_added);

  /* Every row again, now that the pages are all answered: the same ids. */
  for (guint pos = 0; pos < n; pos += 97)
    {
      g_autoptr (TallyLogRow) row = g_list_model_get_item (G_LIST_MODEL (list), pos);

      if (!tally_log_row_get_loaded (row))
        wait_property (row, "loaded");
      g_assert_cmpint (tally_usage_log_get_id (tally_log_row_get_log (row)), ==, g_array_index (frozen, gint64, pos));
    }
  wait_idle (list);

  /* "Show": a new snapshot, the added rows on top. */
  tally_log_list_reload (list);
  wait_property (list, "ready");
  wait_idle (list);
  g_assert_null (tally_log_list_get_error (list));
  g_assert_cmpuint (tally_log_list_get_n_new (list), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n + n_added);
  {
    g_autoptr (TallyLogRow) top = load_row (list, 0);
    g_autoptr (TallyLogRow) last_new = load_row (list, n_added - 1);
    g_autoptr (TallyLogRow) old_first = load_row (list, n_added);

    g_assert_cmpint (tally_usage_log_get_id (tally_log_row_get_log (top)), >, g_array_index (frozen, gint64, 0));
    g_assert_cmpint (tally_usage_log_get_id (tally_log_row_get_log (last_new)), >, g_array_index (frozen, gint64, 0));
    g_assert_cmpint (tally_usage_log_get_id (tally_log_row_get_log (old_first)), ==, g_array_index (frozen, gint64, 0));
  }

  tally_demo_server_set_usage_hook (f->demo.server, NULL, NULL, NULL);
  g_assert_finalize_object (list);
}

/* No rows arriving: pages of 1000 on a today's server, of 100 on a December
 * 2025 one (after one page 1 asked with 1000 comes back with 20), each page
 * requested once. */
static void
test_page_size (Fixture *f,
                gconstpointer data)
{
  TallyDemoGeneration generation = GPOINTER_TO_UINT (data);
  guint expected_page_size = generation == TALLY_DEMO_GENERATION_2025 ? 100 : 1000;
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  TallyLogList *list;
  guint n_pages;
  guint n;
  View view;

  tally_demo_server_set_generation (f->demo.server, generation);
  tally_demo_server_reset_request_counts (f->demo.server);

  list = tally_log_list_new (f->demo.client, query);
  wait_property (list, "ready");
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (tally_log_list_get_page_size (list), ==, expected_page_size);
  /* the 2025 server's first answer (20 rows for 1000) is asked again */
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage"), ==,
                    generation == TALLY_DEMO_GENERATION_2025 ? 2 : 1);
  g_assert_cmpuint (tally_log_list_get_pages_fetched (list), ==, 1);

  view_init (&view, list);
  for (guint pos = 0; pos < n; pos++)
    {
      g_autoptr (TallyLogRow) row = view_show (&view, pos);

      g_assert_true (tally_log_row_get_loaded (row));
    }
  wait_idle (list);
  view_clear (&view);

  n_pages = (n + expected_page_size - 1) / expected_page_size;
  g_assert_cmpuint (n_pages, >, 5);
  g_assert_cmpuint (tally_log_list_get_pages_fetched (list), ==, n_pages);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage"), ==,
                    n_pages + (generation == TALLY_DEMO_GENERATION_2025 ? 1 : 0));
  g_assert_cmpuint (tally_log_list_get_window_pages (list), ==, TALLY_LOG_LIST_WINDOW_ROWS / expected_page_size);
  g_assert_null (tally_log_list_get_error (list));

  g_assert_finalize_object (list);
}

/* ------------------------------------------------- a fake "L" server (§1.6) */

/* A server that answers /api/v1/usage the way later versions may: "fast
 * pagination" (total = offset + rows, + 1 while more exist) or, with
 * @echo_page_size set, a page size of its own whatever is asked. */
typedef struct
{
  SoupServer *server;
  GSocketService *service;
  char *url;
  guint n_rows;
  guint echo_page_size;  /* 0 = honour page_size */
  guint max_page_size;   /* larger sizes become 20, as on S; 0 = none */
  guint arrive;          /* rows arriving before each answer of a page > 1 */
  guint stale_at;        /* the request whose total is from before its rows arrived */
  gboolean stale_always; /* every page > 1 answers such a total */
  gboolean fast;
  guint requests;
} FakeServer;

static void
fake_usage_cb (SoupServer *server,
               SoupServerMessage *msg,
               const char *path,
               GHashTable *query,
               gpointer user_data)
{
  FakeServer *fake = user_data;
  const char *page_param = query != NULL ? g_hash_table_lookup (query, "page") : NULL;
  const char *size_param = query != NULL ? g_hash_table_lookup (query, "page_size") : NULL;
  guint page = page_param != NULL ? (guint) g_ascii_strtoull (page_param, NULL, 10) : 1;
  guint page_size = size_param != NULL ? (guint) g_ascii_strtoull (size_param, NULL, 10) : 20;
  g_autoptr (GString) body = g_string_new ("{\"code\":0,\"message\":\"success\",\"data\":{\"items\":[");
  guint offset;
  guint n;
  gboolean more;
  guint64 total;
  guint64 stale_total = fake->n_rows;
  gboolean stale;
  guint pages;

  fake->requests++;
  if (page > 1)
    fake->n_rows += fake->arrive;
  stale = fake->stale_always ? page > 1 : fake->requests == fake->stale_at;
  if (fake->max_page_size > 0 && page_size > fake->max_page_size)
    page_size = 20;
  if (fake->echo_page_size > 0)
    page_size = fake->echo_page_size;
  page = MAX (page, 1);
  offset = (page - 1) * page_size;
  n = offset < fake->n_rows ? MIN (page_size, fake->n_rows - offset) : 0;
  more = offset + n < fake->n_rows;

  for (guint i = 0; i < n; i++)
    {
      guint id = fake->n_rows - (offset + i); /* newest first */

      g_string_append_printf (body,
                              "%s{\"id\":%u,\"user_id\":1,\"api_key_id\":1,\"account_id\":1,\"request_id\":\"r%u\","
                              "\"model\":\"m\",\"group_id\":null,\"subscription_id\":null,\"input_tokens\":%u,"
                              "\"output_tokens\":1,\"cache_creation_tokens\":0,\"cache_read_tokens\":0,"
                              "\"input_cost\":0,\"output_cost\":0,\"cache_creation_cost\":0,\"cache_read_cost\":0,"
                              "\"total_cost\":0,\"actual_cost\":0,\"rate_multiplier\":1,\"billing_type\":0,"
                              "\"stream\":false,\"duration_ms\":null,\"first_token_ms\":null,"
                              "\"created_at\":\"2026-01-15T11:34:41+08:00\"}",
                              i > 0 ? "," : "", id, id, id);
    }

  if (fake->fast)
    {
      total = offset + n + (more ? 1 : 0);
      pages = more ? page + 1 : page;
    }
  else
    {
      total = stale ? stale_total : fake->n_rows;
      pages = MAX (1, (total + page_size - 1) / page_size);
    }
  g_string_append_printf (body, "],\"total\":%" G_GUINT64_FORMAT ",\"page\":%u,\"page_size\":%u,\"pages\":%u}}",
                          total, page, page_size, pages);

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body->str, body->len);
}

static void
fake_start (FakeServer *fake)
{
  g_autoptr (GError) error = NULL;
  guint16 port = 0;

  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, "/api/v1/usage", fake_usage_cb, fake, NULL);
  fake->service = _tally_soup_listen_loopback (fake->server, NULL, &port, &error);
  g_assert_no_error (error);
  fake->url = g_strdup_printf ("http://127.0.0.1:%u", port);
}

static void
fake_stop (FakeServer *fake)
{
  _tally_soup_listen_stop (fake->service);
  soup_server_disconnect (fake->server);
  g_assert_finalize_object (fake->server);
  g_free (fake->url);
}

static TallyLogRow *
load_row (TallyLogList *list,
          guint position)
{
  TallyLogRow *row = g_list_model_get_item (G_LIST_MODEL (list), position);

  g_assert_nonnull (row);
  if (!tally_log_row_get_loaded (row))
    wait_property (row, "loaded");

  return row;
}

/* Fast pagination: n-items starts as the lower bound and grows page by page;
 * it is exact once the last page is in. */
static void
test_fast_pagination (void)
{
  FakeServer fake = { .n_rows = 250, .fast = TRUE, .max_page_size = 100 };
  g_autoptr (TallyClient) client = NULL;
  g_autoptr (GError) error = NULL;
  TallyLogList *list;

  fake_start (&fake);
  client = tally_client_new (fake.url, &error);
  g_assert_no_error (error);
  tally_client_set_token (client, "test-token");

  list = tally_log_list_new (client, NULL);
  wait_property (list, "ready");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 101);
  g_assert_false (tally_log_list_get_total_is_exact (list));

  {
    g_autoptr (TallyLogRow) row = load_row (list, 100);

    g_assert_cmpint (tally_usage_log_get_id (tally_log_row_get_log (row)), ==, 150);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 201);
  g_assert_false (tally_log_list_get_total_is_exact (list));

  {
    g_autoptr (TallyLogRow) row = load_row (list, 200);

    g_assert_cmpint (tally_usage_log_get_id (tally_log_row_get_log (row)), ==, 50);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 250);
  g_assert_true (tally_log_list_get_total_is_exact (list));
  {
    g_autoptr (TallyLogRow) last = load_row (list, 249);

    g_assert_cmpint (tally_usage_log_get_id (tally_log_row_get_log (last)), ==, 1);
  }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 250));
  g_assert_cmpuint (fake.requests, ==, 4);

  wait_idle (list);
  g_assert_finalize_object (list);
  g_clear_object (&client);
  tally_test_spin (20);
  fake_stop (&fake);
}

/* A server that ignores every page_size and answers 20 rows a page: rows
 * map to pages of 20, each fetched once. */
static void
test_echoed_page_size (void)
{
  FakeServer fake = { .n_rows = 130, .echo_page_size = 20 };
  g_autoptr (TallyClient) client = NULL;
  g_autoptr (GError) error = NULL;
  TallyLogList *list;

  fake_start (&fake);
  client = tally_client_new (fake.url, &error);
  g_assert_no_error (error);
  tally_client_set_token (client, "test-token");

  list = tally_log_list_new (client, NULL);
  wait_property (list, "ready");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 130);
  g_assert_true (tally_log_list_get_total_is_exact (list));

  for (guint i = 0; i < 130; i++)
    {
      g_autoptr (TallyLogRow) row = load_row (list, i);

      g_assert_cmpint (tally_usage_log_get_id (tally_log_row_get_log (row)), ==, 130 - i);
    }
  /* page 1 twice (asked with 1000, then with 100: both echo 20), then 2..7 */
  g_assert_cmpuint (fake.requests, ==, 8);
  g_assert_cmpuint (tally_log_list_get_page_size (list), ==, 20);
  g_assert_cmpuint (tally_log_list_get_pages_fetched (list), ==, 7);

  wait_idle (list);
  g_assert_finalize_object (list);
  g_clear_object (&client);
  tally_test_spin (20);
  fake_stop (&fake);
}

/* Rows arrive before every later page, and one answer's total is from before
 * its rows arrived (the shift changed while it was made): the page that does
 * not line up with its neighbour is fetched again; every item is still the
 * snapshot's row. */
static void
test_shift_during_fetch (void)
{
  FakeServer fake = { .n_rows = 2500, .arrive = 5, .stale_at = 2 };
  g_autoptr (TallyClient) client = NULL;
  g_autoptr (GError) error = NULL;
  TallyLogList *list;

  fake_start (&fake);
  client = tally_client_new (fake.url, &error);
  g_assert_no_error (error);
  tally_client_set_token (client, "test-token");

  list = tally_log_list_new (client, NULL);
  wait_property (list, "ready");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2500);
  g_assert_cmpuint (tally_log_list_get_page_size (list), ==, 1000);

  for (guint i = 0; i < 2500; i++)
    {
      g_autoptr (TallyLogRow) row = load_row (list, i);

      g_assert_cmpint (tally_usage_log_get_id (tally_log_row_get_log (row)), ==, 2500 - i);
    }
  g_assert_null (tally_log_list_get_error (list));
  /* page 1; page 2 (stale, not lining up with page 1) and again; page 3,
   * which brings the rest of page 2 and all of page 3 */
  g_assert_cmpuint (fake.requests, ==, 4);
  g_assert_cmpuint (tally_log_list_get_n_new (list), ==, 15);

  wait_idle (list);
  g_assert_finalize_object (list);
  g_clear_object (&client);
  tally_test_spin (20);
  fake_stop (&fake);
}

/* Every later answer's total is stale: the page is fetched again a bounded
 * number of times, never shown with rows that do not line up, and the list's
 * error says so. */
static void
test_shift_never_lines_up (void)
{
  FakeServer fake = { .n_rows = 2500, .arrive = 5, .stale_always = TRUE };
  g_autoptr (TallyClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyLogRow) row = NULL;
  TallyLogList *list;

  fake_start (&fake);
  client = tally_client_new (fake.url, &error);
  g_assert_no_error (error);
  tally_client_set_token (client, "test-token");

  list = tally_log_list_new (client, NULL);
  wait_property (list, "ready");
  row = g_list_model_get_item (G_LIST_MODEL (list), 1000);
  while (tally_log_list_get_error (list) == NULL)
    g_main_context_iteration (NULL, TRUE);
  wait_idle (list);
  g_assert_cmpstr (tally_log_list_get_error (list), ==, "The list of requests changed too much while it was read. Try again.");
  g_assert_false (tally_log_row_get_loaded (row));
  /* page 1; page 2 (not lining up with page 1); twice again, each time
   * with page 3 for the slots the stale shift left empty */
  g_assert_cmpuint (fake.requests, ==, 6);
  {
    g_autoptr (TallyLogRow) first = load_row (list, 999);

    g_assert_cmpint (tally_usage_log_get_id (tally_log_row_get_log (first)), ==, 1501);
  }

  g_assert_finalize_object (list);
  g_clear_object (&client);
  tally_test_spin (20);
  fake_stop (&fake);
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/log-list/scroll-100k", Fixture, NULL, fixture_setup_big, test_scroll, fixture_teardown);
  g_test_add ("/log-list/filters", Fixture, NULL, fixture_setup_small, test_filters, fixture_teardown);
  g_test_add ("/log-list/filter-change", Fixture, NULL, fixture_setup_small, test_filter_change, fixture_teardown);
  g_test_add ("/log-list/error", Fixture, NULL, fixture_setup_small, test_error, fixture_teardown);
  g_test_add ("/log-list/items-changed", Fixture, NULL, fixture_setup_small, test_items_changed, fixture_teardown);
  g_test_add ("/log-list/rows-arriving", Fixture, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT),
              fixture_setup_small, test_rows_arriving, fixture_teardown);
  g_test_add ("/log-list/rows-arriving-2025", Fixture, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_2025),
              fixture_setup_small, test_rows_arriving, fixture_teardown);
  g_test_add ("/log-list/page-size", Fixture, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT),
              fixture_setup_small, test_page_size, fixture_teardown);
  g_test_add ("/log-list/page-size-2025", Fixture, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_2025),
              fixture_setup_small, test_page_size, fixture_teardown);
  g_test_add_func ("/log-list/shift-during-fetch", test_shift_during_fetch);
  g_test_add_func ("/log-list/shift-never-lines-up", test_shift_never_lines_up);
  g_test_add_func ("/log-list/fast-pagination", test_fast_pagination);
  g_test_add_func ("/log-list/echoed-page-size", test_echoed_page_size);

  return g_test_run ();
}

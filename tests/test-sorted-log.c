/* test-sorted-log.c: TallySortedLog, every row of a query sorted by a column,
 * against the demo server as today's and as a December 2025 server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tally-log-row.h"
#include "tally-sorted-log.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"

#define SEED 11
#define ROWS 900
#define DAYS 30
#define FROM "2026-01-09"
#define TO "2026-01-15"
#define GUARD_SECONDS 30

typedef struct
{
  TallyDemoGeneration generation;
  TallyTestDemo demo;
  TallySortedLog *sorted;
  TallyUsageQuery *query;
  GPtrArray *raw; /* JsonObject of every row of the query, as the server sent it */
} Fixture;

/* Every row of FROM…TO, straight from GET /usage at pages of 100. */
static GPtrArray *
fetch_raw_rows (Fixture *f,
                const char *params)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (gint64 page = 1;; page++)
    {
      g_autofree char *path = g_strdup_printf ("/usage?%s&page=%" G_GINT64_FORMAT "&page_size=100", params, page);
      g_autoptr (JsonNode) node = tally_test_demo_fetch_raw (&f->demo, "GET", path, NULL);
      JsonObject *data = json_node_get_object (node);
      JsonArray *items = json_object_get_array_member (data, "items");

      for (guint i = 0; i < json_array_get_length (items); i++)
        g_ptr_array_add (rows, json_object_ref (json_array_get_object_element (items, i)));
      if (page >= json_object_get_int_member (data, "pages"))
        break;
    }
  return rows;
}

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  f->generation = GPOINTER_TO_UINT (data);
  tally_test_demo_start_sized (&f->demo, SEED, DAYS, ROWS, f->generation);
  f->query = tally_usage_query_new ();
  g_assert_true (tally_usage_query_set_range (f->query, FROM, TO, NULL));
  f->raw = fetch_raw_rows (f, "start_date=" FROM "&end_date=" TO);
  g_assert_cmpuint (f->raw->len, >, 150);
  f->sorted = tally_sorted_log_new ();
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  tally_test_assert_finalized (g_steal_pointer (&f->sorted));
  g_ptr_array_unref (f->raw);
  tally_usage_query_free (f->query);
  tally_test_demo_stop (&f->demo);
}

static gboolean
collected (gpointer data)
{
  TallySortedLog *sorted = data;

  return !tally_sorted_log_get_loading (sorted);
}

static void
wait_collected (Fixture *f)
{
  tally_test_wait_until (collected, f->sorted, 0, GUARD_SECONDS, "the sorted rows");
}

static guint
usage_requests (Fixture *f)
{
  return tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage");
}

/* --------------------------------------------------- the expected order */

typedef struct
{
  const char *member;
  gboolean descending;
  gboolean nullable; /* null last in either direction */
  gboolean string;
} Order;

/* The sort value of a raw row: "tokens" is the four counts added up. */
static double
raw_number (JsonObject *row,
            const char *member)
{
  if (g_str_equal (member, "tokens"))
    return (double) (json_object_get_int_member (row, "input_tokens") + json_object_get_int_member (row, "output_tokens") + json_object_get_int_member (row, "cache_creation_tokens") + json_object_get_int_member (row, "cache_read_tokens"));
  return json_object_get_double_member (row, member);
}

static int
compare_raw (gconstpointer pa,
             gconstpointer pb,
             gpointer user_data)
{
  JsonObject *a = *(JsonObject **) pa;
  JsonObject *b = *(JsonObject **) pb;
  const Order *order = user_data;
  JsonNode *na = json_object_get_member (a, order->member);
  JsonNode *nb = json_object_get_member (b, order->member);
  gboolean null_a = na != NULL && json_node_is_null (na);
  gboolean null_b = nb != NULL && json_node_is_null (nb);
  int result = 0;

  if (order->nullable && (null_a || null_b))
    result = null_a - null_b;
  else
    {
      if (order->string)
        result = g_strcmp0 (json_node_get_string (na), json_node_get_string (nb));
      else
        {
          double va = raw_number (a, order->member);
          double vb = raw_number (b, order->member);

          result = (va > vb) - (va < vb);
        }
      if (order->descending)
        result = -result;
    }

  if (result != 0)
    return result;
  /* ties: the server's order, newest (largest id) first */
  return (json_object_get_int_member (b, "id") > json_object_get_int_member (a, "id")) - (json_object_get_int_member (b, "id") < json_object_get_int_member (a, "id"));
}

/* The sorted list holds exactly the raw rows in @order: every id once, the
 * sorted value equal to the server's. */
static void
assert_order (Fixture *f,
              const Order *order)
{
  g_autoptr (GPtrArray) expected = g_ptr_array_copy (f->raw, (GCopyFunc) json_object_ref, NULL);
  GListModel *model = G_LIST_MODEL (f->sorted);

  g_ptr_array_set_free_func (expected, (GDestroyNotify) json_object_unref);
  g_ptr_array_sort_with_data (expected, compare_raw, (gpointer) order);

  g_assert_true (tally_sorted_log_get_ready (f->sorted));
  g_assert_null (tally_sorted_log_get_error (f->sorted));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);
  g_assert_cmpint (tally_sorted_log_get_collected (f->sorted), ==, expected->len);
  g_assert_cmpint (tally_sorted_log_get_total (f->sorted), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr (TallyLogRow) row = g_list_model_get_item (model, i);
      TallyUsageLog *log = tally_log_row_get_log (row);
      JsonObject *raw = g_ptr_array_index (expected, i);

      g_assert_true (tally_log_row_get_loaded (row));
      g_assert_cmpint (tally_usage_log_get_id (log), ==, json_object_get_int_member (raw, "id"));
    }
}

/* ------------------------------------------------------------------ tests */

static void
test_billed (Fixture *f,
             gconstpointer data)
{
  static const Order billed_desc = { "actual_cost", TRUE, FALSE, FALSE };
  static const Order billed_asc = { "actual_cost", FALSE, FALSE, FALSE };
  static const Order model_asc = { "model", FALSE, FALSE, TRUE };
  static const Order first_token_desc = { "first_token_ms", TRUE, TRUE, FALSE };
  static const Order first_token_asc = { "first_token_ms", FALSE, TRUE, FALSE };
  static const Order time_asc = { "created_at", FALSE, FALSE, TRUE };
  static const Order tokens_desc = { "tokens", TRUE, FALSE, FALSE };
  guint requests;
  guint n_null = 0;

  tally_sorted_log_set_source (f->sorted, f->demo.client, f->query);
  g_assert_false (tally_sorted_log_get_loading (f->sorted));

  requests = usage_requests (f);
  tally_sorted_log_set_sort (f->sorted, TALLY_LOG_SORT_BILLED, TRUE);
  g_assert_true (tally_sorted_log_get_loading (f->sorted));
  wait_collected (f);
  assert_order (f, &billed_desc);
  /* the largest pages the server takes: 1 of 1000, or 100s on a 2025 server */
  g_assert_cmpuint (usage_requests (f) - requests, ==,
                    f->generation == TALLY_DEMO_GENERATION_2025 ? (f->raw->len + 99) / 100 + 1 : 1);

  /* another order of the same rows asks nothing more */
  requests = usage_requests (f);
  tally_sorted_log_set_sort (f->sorted, TALLY_LOG_SORT_BILLED, FALSE);
  g_assert_false (tally_sorted_log_get_loading (f->sorted));
  assert_order (f, &billed_asc);
  tally_sorted_log_set_sort (f->sorted, TALLY_LOG_SORT_MODEL, FALSE);
  assert_order (f, &model_asc);
  tally_sorted_log_set_sort (f->sorted, TALLY_LOG_SORT_TIME, FALSE);
  assert_order (f, &time_asc);
  tally_sorted_log_set_sort (f->sorted, TALLY_LOG_SORT_TOKENS, TRUE);
  assert_order (f, &tokens_desc);

  /* rows without a first token come last both ways */
  for (guint i = 0; i < f->raw->len; i++)
    n_null += json_node_is_null (json_object_get_member (g_ptr_array_index (f->raw, i), "first_token_ms"));
  g_assert_cmpuint (n_null, >, 0);
  tally_sorted_log_set_sort (f->sorted, TALLY_LOG_SORT_FIRST_TOKEN, TRUE);
  assert_order (f, &first_token_desc);
  tally_sorted_log_set_sort (f->sorted, TALLY_LOG_SORT_FIRST_TOKEN, FALSE);
  assert_order (f, &first_token_asc);
  {
    g_autoptr (TallyLogRow) last = g_list_model_get_item (G_LIST_MODEL (f->sorted), f->raw->len - 1);

    g_assert_cmpint (tally_usage_log_get_first_token_ms (tally_log_row_get_log (last)), ==, -1);
  }
  g_assert_cmpuint (usage_requests (f), ==, requests);
}

static void
test_filtered (Fixture *f,
               gconstpointer data)
{
  static const Order duration_desc = { "duration_ms", TRUE, TRUE, FALSE };
  g_autoptr (TallyUsageQuery) query = tally_usage_query_copy (f->query);
  const char *model = json_object_get_string_member (g_ptr_array_index (f->raw, 0), "model");
  g_autofree char *escaped = g_uri_escape_string (model, NULL, FALSE);
  g_autofree char *params = g_strdup_printf ("start_date=" FROM "&end_date=" TO "&model=%s", escaped);

  tally_usage_query_set_model (query, model);
  g_ptr_array_unref (f->raw);
  f->raw = fetch_raw_rows (f, params);

  tally_sorted_log_set_source (f->sorted, f->demo.client, query);
  tally_sorted_log_set_sort (f->sorted, TALLY_LOG_SORT_DURATION, TRUE);
  wait_collected (f);
  assert_order (f, &duration_desc);
}

static void
test_too_many (Fixture *f,
               gconstpointer data)
{
  guint requests = usage_requests (f);

  tally_sorted_log_set_max_rows (f->sorted, 100);
  tally_sorted_log_set_source (f->sorted, f->demo.client, f->query);
  tally_sorted_log_set_sort (f->sorted, TALLY_LOG_SORT_BILLED, TRUE);
  wait_collected (f);

  /* one page tells the total; nothing is shown */
  g_assert_true (tally_sorted_log_get_too_many (f->sorted));
  g_assert_cmpint (tally_sorted_log_get_total (f->sorted), ==, f->raw->len);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->sorted)), ==, 0);
  g_assert_null (tally_sorted_log_get_error (f->sorted));
  g_assert_cmpuint (usage_requests (f) - requests, <=, 2);

  /* within the default limit it is collected */
  tally_sorted_log_set_max_rows (f->sorted, TALLY_SORTED_LOG_MAX_ROWS);
  tally_sorted_log_reload (f->sorted);
  wait_collected (f);
  g_assert_false (tally_sorted_log_get_too_many (f->sorted));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->sorted)), ==, f->raw->len);
}

static void
test_error_keeps_rows (Fixture *f,
                       gconstpointer data)
{
  static const Order billed_desc = { "actual_cost", TRUE, FALSE, FALSE };

  tally_sorted_log_set_source (f->sorted, f->demo.client, f->query);
  tally_sorted_log_set_sort (f->sorted, TALLY_LOG_SORT_BILLED, TRUE);
  wait_collected (f);
  assert_order (f, &billed_desc);

  /* a proxy's HTML page: the error is said, the rows stay */
  tally_demo_server_set_fault (f->demo.server, TALLY_DEMO_FAULT_HTML_502);
  tally_sorted_log_reload (f->sorted);
  wait_collected (f);
  g_assert_nonnull (tally_sorted_log_get_error (f->sorted));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->sorted)), ==, f->raw->len);

  tally_demo_server_set_fault (f->demo.server, TALLY_DEMO_FAULT_NONE);
  tally_sorted_log_reload (f->sorted);
  wait_collected (f);
  assert_order (f, &billed_desc);
}

static void
test_new_source_cancels (Fixture *f,
                         gconstpointer data)
{
  static const Order billed_desc = { "actual_cost", TRUE, FALSE, FALSE };
  g_autoptr (TallyUsageQuery) other = tally_usage_query_new ();

  g_assert_true (tally_usage_query_set_range (other, "2026-01-01", "2026-01-02", NULL));

  /* a slow server: the first walk is still going when the query changes */
  tally_demo_server_set_delay (f->demo.server, 200);
  tally_sorted_log_set_source (f->sorted, f->demo.client, other);
  tally_sorted_log_set_sort (f->sorted, TALLY_LOG_SORT_BILLED, TRUE);
  g_assert_true (tally_sorted_log_get_loading (f->sorted));
  tally_test_spin (50);
  tally_sorted_log_set_source (f->sorted, f->demo.client, f->query);
  g_assert_false (tally_sorted_log_get_loading (f->sorted));
  g_assert_false (tally_sorted_log_get_ready (f->sorted));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->sorted)), ==, 0);

  tally_sorted_log_reload (f->sorted);
  wait_collected (f);
  tally_demo_server_set_delay (f->demo.server, 0);
  assert_order (f, &billed_desc);

  /* no source: nothing collected, no request */
  tally_sorted_log_set_source (f->sorted, NULL, NULL);
  tally_sorted_log_reload (f->sorted);
  g_assert_false (tally_sorted_log_get_loading (f->sorted));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->sorted)), ==, 0);
}

#define add(name, func) TALLY_TEST_ADD_GENERATIONS ("/sorted-log", name, Fixture, fixture_setup, func, fixture_teardown)

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add ("orders", test_billed);
  add ("filtered", test_filtered);
  add ("too-many", test_too_many);
  add ("error-keeps-rows", test_error_keeps_rows);
  add ("new-source-cancels", test_new_source_cancels);

  return g_test_run ();
}

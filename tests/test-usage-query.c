/* test-usage-query.c: tally-usage-query.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tally-error.h"
#include "tally-usage-query.h"

/* A model name with spaces, '&', '=', '/', '+', '?', '#', '%' and Unicode. */
#define WEIRD_MODEL "claude sonnet & co/ü=1+?#%"
#define WEIRD_MODEL_ENCODED "claude%20sonnet%20%26%20co%2F%C3%BC%3D1%2B%3F%23%25"

static void
test_defaults (void)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autofree char *list = tally_usage_query_to_list_params (query, 0, 0);
  g_autofree char *paged = tally_usage_query_to_list_params (query, 1, 100);
  g_autofree char *page_only = tally_usage_query_to_list_params (query, 3, 0);
  g_autofree char *stats = tally_usage_query_to_stats_params (query);
  g_autofree char *describe = tally_usage_query_describe (query);

  g_assert_cmpint (tally_usage_query_get_api_key_id (query), ==, 0);
  g_assert_null (tally_usage_query_get_model (query));
  g_assert_cmpint (tally_usage_query_get_stream (query), ==, TALLY_STREAM_ANY);
  g_assert_cmpint (tally_usage_query_get_billing (query), ==, TALLY_BILLING_ANY);
  g_assert_null (tally_usage_query_get_start_date (query));
  g_assert_null (tally_usage_query_get_end_date (query));

  g_assert_cmpstr (list, ==, "");
  g_assert_cmpstr (paged, ==, "page=1&page_size=100");
  g_assert_cmpstr (page_only, ==, "page=3");
  g_assert_cmpstr (stats, ==, "period=today");
  g_assert_cmpstr (describe, ==, "all requests");
}

static void
test_example (void)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *list = NULL;
  g_autofree char *stats = NULL;
  g_autofree char *describe = NULL;

  tally_usage_query_set_api_key_id (query, 3);
  tally_usage_query_set_stream (query, TALLY_STREAM_STREAM);
  g_assert_true (tally_usage_query_set_range (query, "2026-01-01", "2026-01-31", &error));
  g_assert_no_error (error);

  list = tally_usage_query_to_list_params (query, 2, 100);
  g_assert_cmpstr (list, ==, "api_key_id=3&stream=true&start_date=2026-01-01&end_date=2026-01-31&page=2&page_size=100");
  stats = tally_usage_query_to_stats_params (query);
  g_assert_cmpstr (stats, ==, "api_key_id=3&stream=true&start_date=2026-01-01&end_date=2026-01-31");
  describe = tally_usage_query_describe (query);
  g_assert_cmpstr (describe, ==, "key 3, 2026-01-01…2026-01-31, stream");
}

typedef struct
{
  const char *value;
  const char *encoded;
} Choice;

/* Every combination of filters: the expected strings are assembled from
 * literal, already-encoded fragments, and the output is also decoded with
 * g_uri_parse_params and compared with the raw values. */
static void
test_all_combinations (void)
{
  static const gint64 keys[] = { 0, 3, 9007199254740993 };
  static const Choice models[] = {
    { NULL, NULL },
    { "claude-sonnet-4-5", "claude-sonnet-4-5" },
    { "gpt-4o_mini.2024~x", "gpt-4o_mini.2024~x" },
    { WEIRD_MODEL, WEIRD_MODEL_ENCODED },
    { "订阅 Claude ⚡", "%E8%AE%A2%E9%98%85%20Claude%20%E2%9A%A1" },
  };
  static const TallyStreamFilter streams[] = { TALLY_STREAM_ANY, TALLY_STREAM_STREAM, TALLY_STREAM_SYNC };
  static const TallyBillingType billings[] = { TALLY_BILLING_ANY, TALLY_BILLING_BALANCE, TALLY_BILLING_SUBSCRIPTION };
  static const struct
  {
    const char *start;
    const char *end;
  } ranges[] = {
    { NULL, NULL },
    { "2026-01-01", NULL },
    { NULL, "2026-01-31" },
    { "2025-12-01", "2026-01-15" },
  };
  guint combinations = 0;

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    for (guint m = 0; m < G_N_ELEMENTS (models); m++)
      for (guint s = 0; s < G_N_ELEMENTS (streams); s++)
        for (guint b = 0; b < G_N_ELEMENTS (billings); b++)
          for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
            {
              g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
              g_autoptr (TallyUsageQuery) copy = NULL;
              g_autoptr (GError) error = NULL;
              g_autoptr (GPtrArray) filters = g_ptr_array_new_with_free_func (g_free);
              g_autoptr (GPtrArray) list_parts = NULL;
              g_autoptr (GPtrArray) stats_parts = NULL;
              g_autoptr (GHashTable) decoded = NULL;
              g_autofree char *list = NULL;
              g_autofree char *stats = NULL;
              g_autofree char *expected_list = NULL;
              g_autofree char *expected_stats = NULL;

              tally_usage_query_set_api_key_id (query, keys[k]);
              tally_usage_query_set_model (query, models[m].value);
              tally_usage_query_set_stream (query, streams[s]);
              tally_usage_query_set_billing (query, billings[b]);
              g_assert_true (tally_usage_query_set_range (query, ranges[r].start, ranges[r].end, &error));
              g_assert_no_error (error);

              if (keys[k] != 0)
                g_ptr_array_add (filters, g_strdup_printf ("api_key_id=%" G_GINT64_FORMAT, keys[k]));
              if (models[m].encoded != NULL)
                g_ptr_array_add (filters, g_strdup_printf ("model=%s", models[m].encoded));
              if (streams[s] == TALLY_STREAM_STREAM)
                g_ptr_array_add (filters, g_strdup ("stream=true"));
              else if (streams[s] == TALLY_STREAM_SYNC)
                g_ptr_array_add (filters, g_strdup ("stream=false"));
              if (billings[b] == TALLY_BILLING_BALANCE)
                g_ptr_array_add (filters, g_strdup ("billing_type=0"));
              else if (billings[b] == TALLY_BILLING_SUBSCRIPTION)
                g_ptr_array_add (filters, g_strdup ("billing_type=1"));

              list_parts = g_ptr_array_new_with_free_func (g_free);
              stats_parts = g_ptr_array_new_with_free_func (g_free);
              for (guint i = 0; i < filters->len; i++)
                {
                  g_ptr_array_add (list_parts, g_strdup (filters->pdata[i]));
                  g_ptr_array_add (stats_parts, g_strdup (filters->pdata[i]));
                }

              if (ranges[r].start != NULL)
                g_ptr_array_add (list_parts, g_strdup_printf ("start_date=%s", ranges[r].start));
              if (ranges[r].end != NULL)
                g_ptr_array_add (list_parts, g_strdup_printf ("end_date=%s", ranges[r].end));
              g_ptr_array_add (list_parts, g_strdup ("page=1"));
              g_ptr_array_add (list_parts, g_strdup ("page_size=100"));
              g_ptr_array_add (list_parts, NULL);

              /* §3.5: a custom range only with both dates; otherwise period=today */
              if (ranges[r].start != NULL && ranges[r].end != NULL)
                {
                  g_ptr_array_add (stats_parts, g_strdup_printf ("start_date=%s", ranges[r].start));
                  g_ptr_array_add (stats_parts, g_strdup_printf ("end_date=%s", ranges[r].end));
                }
              else
                {
                  g_ptr_array_add (stats_parts, g_strdup ("period=today"));
                }
              g_ptr_array_add (stats_parts, NULL);

              expected_list = g_strjoinv ("&", (char **) list_parts->pdata);
              expected_stats = g_strjoinv ("&", (char **) stats_parts->pdata);

              list = tally_usage_query_to_list_params (query, 1, 100);
              stats = tally_usage_query_to_stats_params (query);
              g_assert_cmpstr (list, ==, expected_list);
              g_assert_cmpstr (stats, ==, expected_stats);

              /* decoding gives back the raw values */
              decoded = g_uri_parse_params (list, -1, "&", G_URI_PARAMS_NONE, &error);
              g_assert_no_error (error);
              g_assert_cmpstr (g_hash_table_lookup (decoded, "model"), ==, models[m].value);
              g_assert_cmpstr (g_hash_table_lookup (decoded, "start_date"), ==, ranges[r].start);
              g_assert_cmpstr (g_hash_table_lookup (decoded, "end_date"), ==, ranges[r].end);
              g_assert_cmpuint (g_hash_table_size (decoded), ==, list_parts->len - 1);

              /* copy and equality */
              copy = tally_usage_query_copy (query);
              g_assert_true (tally_usage_query_equal (query, copy));
              tally_usage_query_set_api_key_id (copy, keys[k] + 1);
              g_assert_false (tally_usage_query_equal (query, copy));

              combinations++;
            }

  g_assert_cmpuint (combinations, ==, 3 * 5 * 3 * 3 * 4);
}

static void
test_stats_one_date (void)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autofree char *start_only = NULL;
  g_autofree char *end_only = NULL;
  g_autofree char *with_filters = NULL;

  g_assert_true (tally_usage_query_set_range (query, "2026-01-01", NULL, NULL));
  start_only = tally_usage_query_to_stats_params (query);
  g_assert_cmpstr (start_only, ==, "period=today");

  g_assert_true (tally_usage_query_set_range (query, NULL, "2026-01-31", NULL));
  end_only = tally_usage_query_to_stats_params (query);
  g_assert_cmpstr (end_only, ==, "period=today");

  tally_usage_query_set_model (query, WEIRD_MODEL);
  tally_usage_query_set_billing (query, TALLY_BILLING_SUBSCRIPTION);
  tally_usage_query_set_stream (query, TALLY_STREAM_SYNC);
  tally_usage_query_set_api_key_id (query, 12);
  with_filters = tally_usage_query_to_stats_params (query);
  g_assert_cmpstr (with_filters, ==,
                   "api_key_id=12&model=" WEIRD_MODEL_ENCODED "&stream=false&billing_type=1&period=today");
}

static void
test_set_range_validation (void)
{
  static const char *const bad[] = { "2026-02-29", "2026-1-5", " 2026-01-05", "2026-01-05T00:00:00Z", "yesterday" };
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();

  g_assert_true (tally_usage_query_set_range (query, "2024-02-29", "2024-03-01", NULL));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) start_error = NULL;
      g_autoptr (GError) end_error = NULL;

      g_assert_false (tally_usage_query_set_range (query, bad[i], NULL, &start_error));
      g_assert_error (start_error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (start_error->message, bad[i]));
      g_assert_false (tally_usage_query_set_range (query, "2026-01-01", bad[i], &end_error));
      g_assert_error (end_error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT);

      /* unchanged */
      g_assert_cmpstr (tally_usage_query_get_start_date (query), ==, "2024-02-29");
      g_assert_cmpstr (tally_usage_query_get_end_date (query), ==, "2024-03-01");
    }

  /* "" means unbounded, like NULL */
  g_assert_true (tally_usage_query_set_range (query, "", "2026-01-31", NULL));
  g_assert_null (tally_usage_query_get_start_date (query));
  g_assert_cmpstr (tally_usage_query_get_end_date (query), ==, "2026-01-31");
  g_assert_true (tally_usage_query_set_range (query, NULL, NULL, NULL));
  g_assert_null (tally_usage_query_get_end_date (query));
}

static void
test_model_empty_is_any (void)
{
  g_autoptr (TallyUsageQuery) a = tally_usage_query_new ();
  g_autoptr (TallyUsageQuery) b = tally_usage_query_new ();
  g_autofree char *params = NULL;

  tally_usage_query_set_model (a, "");
  g_assert_null (tally_usage_query_get_model (a));
  g_assert_true (tally_usage_query_equal (a, b));
  params = tally_usage_query_to_list_params (a, 0, 0);
  g_assert_cmpstr (params, ==, "");

  tally_usage_query_set_model (a, "Claude");
  tally_usage_query_set_model (b, "claude");
  g_assert_false (tally_usage_query_equal (a, b)); /* case-sensitive */
  g_assert_true (tally_usage_query_equal (NULL, NULL));
  g_assert_false (tally_usage_query_equal (a, NULL));
}

static void
test_describe (void)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  tally_usage_query_set_model (query, "gemini-2.5-pro");
  tally_usage_query_set_billing (query, TALLY_BILLING_BALANCE);
  tally_usage_query_set_stream (query, TALLY_STREAM_SYNC);
  a = tally_usage_query_describe (query);
  g_assert_cmpstr (a, ==, "model “gemini-2.5-pro”, sync, balance");

  g_assert_true (tally_usage_query_set_range (query, "2026-01-01", NULL, NULL));
  tally_usage_query_set_model (query, NULL);
  tally_usage_query_set_billing (query, TALLY_BILLING_SUBSCRIPTION);
  b = tally_usage_query_describe (query);
  g_assert_cmpstr (b, ==, "from 2026-01-01, sync, subscription");

  g_assert_true (tally_usage_query_set_range (query, NULL, "2026-01-31", NULL));
  tally_usage_query_set_stream (query, TALLY_STREAM_ANY);
  tally_usage_query_set_billing (query, TALLY_BILLING_ANY);
  c = tally_usage_query_describe (query);
  g_assert_cmpstr (c, ==, "until 2026-01-31");
}

static void
test_boxed (void)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  TallyUsageQuery *copy;
  GValue value = G_VALUE_INIT;

  g_assert_true (G_TYPE_IS_BOXED (TALLY_TYPE_USAGE_QUERY));
  g_assert_cmpstr (g_type_name (TALLY_TYPE_USAGE_QUERY), ==, "TallyUsageQuery");

  tally_usage_query_set_model (query, WEIRD_MODEL);
  tally_usage_query_set_api_key_id (query, 5);
  g_value_init (&value, TALLY_TYPE_USAGE_QUERY);
  g_value_set_boxed (&value, query);
  copy = g_value_get_boxed (&value);
  g_assert_true (copy != query);
  g_assert_true (tally_usage_query_equal (copy, query));
  g_assert_cmpstr (tally_usage_query_get_model (copy), ==, WEIRD_MODEL);
  g_value_unset (&value);
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/usage-query/defaults", test_defaults);
  g_test_add_func ("/usage-query/example", test_example);
  g_test_add_func ("/usage-query/all-combinations", test_all_combinations);
  g_test_add_func ("/usage-query/stats-one-date", test_stats_one_date);
  g_test_add_func ("/usage-query/set-range-validation", test_set_range_validation);
  g_test_add_func ("/usage-query/model-empty-is-any", test_model_empty_is_any);
  g_test_add_func ("/usage-query/describe", test_describe);
  g_test_add_func ("/usage-query/boxed", test_boxed);

  return g_test_run ();
}

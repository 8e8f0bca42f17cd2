/* tally-test-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "tally-format.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"

#define TOKEN_SECONDS 3600

static void
connect_client (TallyTestDemo *demo)
{
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&demo->token, g_free);
  demo->token = tally_demo_server_issue_token (demo->server, TOKEN_SECONDS);
  demo->client = tally_client_new (tally_demo_server_get_url (demo->server), &error);
  g_assert_no_error (error);
  tally_client_set_token (demo->client, demo->token);
}

static void
start_server (TallyTestDemo *demo)
{
  g_autoptr (GError) error = NULL;

  if (!tally_demo_server_start (demo->server, &error))
    g_error ("demo server: %s", error->message);
}

void
tally_test_demo_start (TallyTestDemo *demo,
                       const char *first_property_name,
                       ...)
{
  va_list args;

  g_assert_null (demo->server);

  va_start (args, first_property_name);
  demo->server = TALLY_DEMO_SERVER (g_object_new_valist (TALLY_TYPE_DEMO_SERVER, first_property_name, args));
  va_end (args);

  start_server (demo);
  connect_client (demo);
  demo->soup = soup_session_new ();
}

void
tally_test_demo_start_pinned (TallyTestDemo *demo,
                              guint64 seed,
                              guint rows,
                              TallyDemoGeneration generation)
{
  tally_test_demo_start (demo,
                         "seed", seed,
                         "rows", rows,
                         "now", TALLY_TEST_DEMO_NOW,
                         "utc-offset", TALLY_TEST_DEMO_OFFSET,
                         "generation", generation,
                         NULL);
}

void
tally_test_demo_start_sized (TallyTestDemo *demo,
                             guint64 seed,
                             guint days,
                             guint rows,
                             TallyDemoGeneration generation)
{
  tally_test_demo_start (demo,
                         "seed", seed,
                         "days", days,
                         "rows", rows,
                         "now", TALLY_TEST_DEMO_NOW,
                         "utc-offset", TALLY_TEST_DEMO_OFFSET,
                         "generation", generation,
                         NULL);
}

void
tally_test_demo_restart (TallyTestDemo *demo,
                         const char *first_property_name,
                         ...)
{
  va_list args;

  g_assert_nonnull (demo->server);

  tally_demo_server_stop (demo->server);
  va_start (args, first_property_name);
  if (first_property_name != NULL)
    g_object_set_valist (G_OBJECT (demo->server), first_property_name, args);
  va_end (args);

  start_server (demo);
  if (demo->client != NULL)
    tally_test_assert_finalized (g_steal_pointer (&demo->client));
  connect_client (demo);
}

void
tally_test_demo_stop (TallyTestDemo *demo)
{
  if (demo->client != NULL)
    tally_test_assert_finalized (g_steal_pointer (&demo->client));
  g_assert_finalize_object (g_steal_pointer (&demo->soup));
  tally_demo_server_stop (demo->server);
  g_assert_finalize_object (g_steal_pointer (&demo->server));
  g_clear_pointer (&demo->token, g_free);
}

JsonNode *
tally_test_demo_fetch_raw (TallyTestDemo *demo,
                           const char *method,
                           const char *path,
                           const char *json_body)
{
  return tally_test_fetch_raw (demo->soup, tally_demo_server_get_url (demo->server), demo->token, method, path,
                               json_body);
}

void
tally_test_use_token (TallySession *session,
                      const char *url,
                      const char *token)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  tally_session_use_token_async (session, url, token, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_session_use_token_finish (session, result, &error));
  g_assert_no_error (error);
}

void
tally_test_session_start_demo (TallySession *session,
                               TallyDemoServer *server)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  tally_session_start_demo_async (session, TALLY_DEMO_BACKEND (server), NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_session_start_demo_finish (session, result, &error));
  g_assert_no_error (error);
}

void
tally_test_assert_stats_sums (TallyUsageStats *stats,
                              const TallyTestRowSums *sums)
{
  g_autofree char *cost = NULL;
  g_autofree char *actual_cost = NULL;
  g_autofree char *expected_cost = tally_test_units_to_decimal (sums->cost);
  g_autofree char *expected_actual_cost = tally_test_units_to_decimal (sums->actual_cost);
  gint64 cache = sums->cache_creation_tokens + sums->cache_read_tokens;

  g_assert_nonnull (stats);
  g_assert_cmpint (tally_usage_stats_get_total_requests (stats), ==, sums->requests);
  g_assert_cmpint (tally_usage_stats_get_total_input_tokens (stats), ==, sums->input_tokens);
  g_assert_cmpint (tally_usage_stats_get_total_output_tokens (stats), ==, sums->output_tokens);
  g_assert_cmpint (tally_usage_stats_get_total_cache_tokens (stats), ==, cache);
  g_assert_cmpint (tally_usage_stats_get_total_tokens (stats), ==, sums->input_tokens + sums->output_tokens + cache);
  g_assert_cmpfloat (tally_usage_stats_get_total_cost (stats), ==, (double) sums->cost / 1e10);
  g_assert_cmpfloat (tally_usage_stats_get_total_actual_cost (stats), ==, (double) sums->actual_cost / 1e10);
  cost = tally_format_number_exact (tally_usage_stats_get_total_cost (stats));
  actual_cost = tally_format_number_exact (tally_usage_stats_get_total_actual_cost (stats));
  g_assert_cmpstr (cost, ==, expected_cost);
  g_assert_cmpstr (actual_cost, ==, expected_actual_cost);
  g_assert_cmpfloat (tally_usage_stats_get_average_duration_ms (stats), ==, tally_test_row_sums_average_duration (sums));
  if (tally_usage_stats_get_total_cache_creation_tokens (stats) >= 0)
    {
      g_assert_cmpint (tally_usage_stats_get_total_cache_creation_tokens (stats), ==, sums->cache_creation_tokens);
      g_assert_cmpint (tally_usage_stats_get_total_cache_read_tokens (stats), ==, sums->cache_read_tokens);
    }
}

void
tally_test_add_generations (const char *prefix,
                            const char *name,
                            gsize fixture_size,
                            GTestFixtureFunc setup,
                            GTestFixtureFunc func,
                            GTestFixtureFunc teardown)
{
  g_autofree char *current = g_strdup_printf ("%s/%s", prefix, name);
  g_autofree char *old = g_strdup_printf ("%s/%s-2025", prefix, name);

  g_test_add_vtable (current, fixture_size, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT), setup, func, teardown);
  g_test_add_vtable (old, fixture_size, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_2025), setup, func, teardown);
}

void
tally_test_add_data_generations (const char *prefix,
                                 const char *name,
                                 GTestDataFunc func)
{
  g_autofree char *current = g_strdup_printf ("%s/%s", prefix, name);
  g_autofree char *old = g_strdup_printf ("%s/%s-2025", prefix, name);

  g_test_add_data_func (current, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT), func);
  g_test_add_data_func (old, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_2025), func);
}

void
tally_test_sum_rows (SoupSession *session,
                     const char *base_url,
                     const char *token,
                     const char *list_params,
                     TallyTestRowSums *sums)
{
  memset (sums, 0, sizeof *sums);

  for (gint64 page = 1;; page++)
    {
      g_autofree char *path = g_strdup_printf ("/usage?%s%spage=%" G_GINT64_FORMAT "&page_size=100",
                                               list_params, list_params[0] != '\0' ? "&" : "", page);
      g_autoptr (JsonNode) node = tally_test_fetch_raw (session, base_url, token, "GET", path, NULL);
      JsonObject *data = json_node_get_object (node);
      JsonArray *items = json_object_get_array_member (data, "items");

      g_assert_cmpint (json_object_get_int_member (data, "page_size"), ==, 100);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *row = json_array_get_object_element (items, i);
          JsonNode *duration = json_object_get_member (row, "duration_ms");

          sums->requests++;
          sums->input_tokens += json_object_get_int_member (row, "input_tokens");
          sums->output_tokens += json_object_get_int_member (row, "output_tokens");
          sums->cache_creation_tokens += json_object_get_int_member (row, "cache_creation_tokens");
          sums->cache_read_tokens += json_object_get_int_member (row, "cache_read_tokens");
          sums->cost += (gint64) llround (json_object_get_double_member (row, "total_cost") * 1e10);
          sums->actual_cost += (gint64) llround (json_object_get_double_member (row, "actual_cost") * 1e10);
          if (duration != NULL && !json_node_is_null (duration))
            sums->duration_sum += json_node_get_int (duration);
        }
      if (page >= json_object_get_int_member (data, "pages") || json_array_get_length (items) < 100)
        break;
    }
}

char *
tally_test_units_to_decimal (gint64 units)
{
  GString *out = g_string_new (units < 0 ? "-" : "");
  guint64 magnitude = units < 0 ? (guint64) -units : (guint64) units;
  char fraction[11];
  int len;

  g_string_append_printf (out, "%" G_GUINT64_FORMAT, magnitude / G_GUINT64_CONSTANT (10000000000));
  g_snprintf (fraction, sizeof fraction, "%010" G_GUINT64_FORMAT, magnitude % G_GUINT64_CONSTANT (10000000000));
  for (len = 10; len > 0 && fraction[len - 1] == '0'; len--)
    ;
  if (len > 0)
    {
      g_string_append_c (out, '.');
      g_string_append_len (out, fraction, len);
    }
  return g_string_free (out, FALSE);
}

double
tally_test_row_sums_average_duration (const TallyTestRowSums *sums)
{
  return sums->requests > 0 ? (double) sums->duration_sum / (double) sums->requests : 0.0;
}

void
tally_test_restore_session (TallySession *session,
                            const char *url,
                            const char *token)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  g_setenv ("TALLY_TOKEN", token, TRUE);
  tally_session_restore_async (session, url, NULL, tally_test_store_result_cb, &slot);
  g_unsetenv ("TALLY_TOKEN");
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_session_restore_finish (session, result, &error));
  g_assert_no_error (error);
}

static gboolean
dashboard_settled (gpointer data)
{
  TallyDashboard *dashboard = data;

  return !tally_dashboard_get_busy (dashboard) && !tally_session_get_busy (tally_dashboard_get_session (dashboard));
}

void
tally_test_wait_dashboard (TallyDashboard *dashboard)
{
  /* queued idles first */
  tally_test_spin (10);
  tally_test_wait_until (dashboard_settled, dashboard, 20, 30, "the dashboard");
}

/* tally-test-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

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
tally_test_assert_stats_sums (TallyUsageStats *stats,
                              const TallyTestRowSums *sums)
{
  g_autofree char *cost = NULL;
  g_autofree char *actual_cost = NULL;
  g_autofree char *expected_cost = tally_test_units_to_decimal (sums->cost_units);
  g_autofree char *expected_actual_cost = tally_test_units_to_decimal (sums->actual_cost_units);
  gint64 cache = sums->cache_creation_tokens + sums->cache_read_tokens;

  g_assert_nonnull (stats);
  g_assert_cmpint (tally_usage_stats_get_total_requests (stats), ==, sums->requests);
  g_assert_cmpint (tally_usage_stats_get_total_input_tokens (stats), ==, sums->input_tokens);
  g_assert_cmpint (tally_usage_stats_get_total_output_tokens (stats), ==, sums->output_tokens);
  g_assert_cmpint (tally_usage_stats_get_total_cache_tokens (stats), ==, cache);
  g_assert_cmpint (tally_usage_stats_get_total_tokens (stats), ==, sums->input_tokens + sums->output_tokens + cache);
  g_assert_cmpfloat (tally_usage_stats_get_total_cost (stats), ==, (double) sums->cost_units / 1e10);
  g_assert_cmpfloat (tally_usage_stats_get_total_actual_cost (stats), ==, (double) sums->actual_cost_units / 1e10);
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

/* test-subscriptions.c: subscription windows, key quotas and per-platform
 * quotas decoded by the client, compared with the demo's raw JSON in both
 * generations; the words and states of tally-quota-format.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "tally-api-key.h"
#include "tally-client-quotas.h"
#include "tally-error.h"
#include "tally-model-json.h"
#include "tally-page.h"
#include "tally-quota-format.h"
#include "tally-subscription.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"

#define ROWS 3000

typedef struct
{
  TallyTestDemo demo;
} Fixture;

static void
fixture_setup (Fixture *fixture,
               gconstpointer data)
{
  tally_test_demo_start_pinned (&fixture->demo, 11, ROWS, GPOINTER_TO_UINT (data));
}

static void
fixture_teardown (Fixture *fixture,
                  gconstpointer data)
{
  tally_test_demo_stop (&fixture->demo);
}

static void
assert_time (GDateTime *time,
             JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_is_null (node))
    {
      g_assert_null (time);
      return;
    }
  {
    g_autoptr (GDateTime) expected = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL);

    g_assert_nonnull (time);
    g_assert_true (g_date_time_equal (time, expected));
    g_assert_cmpint (g_date_time_get_utc_offset (time), ==, g_date_time_get_utc_offset (expected));
  }
}

static GListModel *
get_progress (TallyClient *client)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  GListModel *progress;

  tally_client_get_subscription_progress_async (client, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  progress = tally_client_get_subscription_progress_finish (client, result, &error);
  g_assert_no_error (error);
  return progress;
}

static void
test_progress (Fixture *fixture,
               gconstpointer data)
{
  g_autoptr (GListModel) progress = get_progress (fixture->demo.client);
  g_autoptr (JsonNode) raw = tally_test_demo_fetch_raw (&fixture->demo, "GET", "/subscriptions/progress", NULL);
  JsonArray *items = json_node_get_array (raw);
  g_autoptr (GString) json = g_string_new (NULL);
  g_autoptr (JsonNode) written = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (progress), ==, json_array_get_length (items));
  g_assert_cmpuint (g_list_model_get_n_items (progress), ==, 2);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autoptr (TallySubscriptionProgress) item = g_list_model_get_item (progress, i);
      JsonObject *object = json_array_get_object_element (items, i);
      JsonObject *expected = json_object_get_object_member (object, "progress");
      JsonObject *expected_sub = json_object_get_object_member (object, "subscription");
      TallySubscription *sub = tally_subscription_progress_get_subscription (item);
      guint n_windows = 0;

      g_assert_cmpint (tally_subscription_progress_get_id (item), ==, json_object_get_int_member (expected, "id"));
      g_assert_cmpstr (tally_subscription_progress_get_group_name (item), ==, json_object_get_string_member (expected, "group_name"));
      assert_time (tally_subscription_progress_get_expires_at (item), expected, "expires_at");
      g_assert_cmpint (tally_subscription_progress_get_expires_in_days (item), ==, json_object_get_int_member (expected, "expires_in_days"));

      for (guint p = 0; p < TALLY_QUOTA_N_PERIODS; p++)
        {
          const char *id = tally_quota_period_get_id (p);
          TallyQuotaWindow *window = tally_subscription_progress_get_window (item, p);
          JsonObject *w;

          /* a window the server leaves out is NULL */
          if (!json_object_has_member (expected, id))
            {
              g_assert_null (window);
              continue;
            }
          n_windows++;
          w = json_object_get_object_member (expected, id);
          g_assert_nonnull (window);
          g_assert_cmpfloat (tally_quota_window_get_limit_usd (window), ==, json_object_get_double_member (w, "limit_usd"));
          g_assert_cmpfloat (tally_quota_window_get_used_usd (window), ==, json_object_get_double_member (w, "used_usd"));
          g_assert_cmpfloat (tally_quota_window_get_remaining_usd (window), ==, json_object_get_double_member (w, "remaining_usd"));
          g_assert_cmpfloat (tally_quota_window_get_percentage (window), ==, json_object_get_double_member (w, "percentage"));
          assert_time (tally_quota_window_get_window_start (window), w, "window_start");
          assert_time (tally_quota_window_get_resets_at (window), w, "resets_at");
          g_assert_cmpint (tally_quota_window_get_resets_in_seconds (window), ==, json_object_get_int_member (w, "resets_in_seconds"));
        }
      g_assert_cmpuint (n_windows, ==, i == 0 ? 3 : 1);

      g_assert_cmpint (tally_subscription_get_id (sub), ==, json_object_get_int_member (expected_sub, "id"));
      g_assert_cmpint (tally_subscription_get_group_id (sub), ==, json_object_get_int_member (expected_sub, "group_id"));
      g_assert_cmpstr (tally_subscription_get_status (sub), ==, json_object_get_string_member (expected_sub, "status"));
      assert_time (tally_subscription_get_starts_at (sub), expected_sub, "starts_at");
      assert_time (tally_subscription_get_expires_at (sub), expected_sub, "expires_at");
      assert_time (tally_subscription_get_window_start (sub, TALLY_QUOTA_DAILY), expected_sub, "daily_window_start");
      assert_time (tally_subscription_get_window_start (sub, TALLY_QUOTA_WEEKLY), expected_sub, "weekly_window_start");
      assert_time (tally_subscription_get_window_start (sub, TALLY_QUOTA_MONTHLY), expected_sub, "monthly_window_start");
      g_assert_cmpfloat (tally_subscription_get_usage_usd (sub, TALLY_QUOTA_DAILY), ==, json_object_get_double_member (expected_sub, "daily_usage_usd"));
      g_assert_cmpfloat (tally_subscription_get_usage_usd (sub, TALLY_QUOTA_WEEKLY), ==, json_object_get_double_member (expected_sub, "weekly_usage_usd"));
      g_assert_cmpfloat (tally_subscription_get_usage_usd (sub, TALLY_QUOTA_MONTHLY), ==, json_object_get_double_member (expected_sub, "monthly_usage_usd"));
      g_assert_cmpstr (tally_group_get_name (tally_subscription_get_group (sub)), ==,
                       json_object_get_string_member (json_object_get_object_member (expected_sub, "group"), "name"));
    }

  /* the states the demo shows: the day used up, the week nearly */
  {
    g_autoptr (TallySubscriptionProgress) first = g_list_model_get_item (progress, 0);

    g_assert_cmpint (tally_quota_window_get_state (tally_subscription_progress_get_window (first, TALLY_QUOTA_DAILY)), ==, TALLY_QUOTA_STATE_USED_UP);
    g_assert_cmpint (tally_quota_window_get_state (tally_subscription_progress_get_window (first, TALLY_QUOTA_WEEKLY)), ==, TALLY_QUOTA_STATE_WARNING);
    g_assert_cmpint (tally_quota_window_get_state (tally_subscription_progress_get_window (first, TALLY_QUOTA_MONTHLY)), ==, TALLY_QUOTA_STATE_OK);
  }

  /* written back: the windows the server left out stay out */
  tally_model_json_append_list (json, progress);
  written = json_from_string (json->str, NULL);
  g_assert_nonnull (written);
  {
    JsonObject *second = json_array_get_object_element (json_node_get_array (written), 1);

    g_assert_false (json_object_has_member (second, "daily"));
    g_assert_false (json_object_has_member (second, "weekly"));
    g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (second, "monthly"), "used_usd"), ==, 20);
  }
}

static void
assert_double_member (double value,
                      JsonObject *object,
                      const char *member)
{
  g_assert_cmpfloat (value, ==, json_object_get_double_member (object, member));
}

static void
test_key_quotas (Fixture *fixture,
                 gconstpointer data)
{
  TallyDemoGeneration generation = GPOINTER_TO_UINT (data);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyPage) page = NULL;
  g_autoptr (JsonNode) raw = tally_test_demo_fetch_raw (&fixture->demo, "GET", "/keys?page_size=100", NULL);
  JsonArray *items = json_object_get_array_member (json_node_get_object (raw), "items");
  g_autoptr (GDateTime) now = g_date_time_new_from_unix_utc (TALLY_TEST_DEMO_NOW);
  GAsyncResult *slot = NULL;
  GListModel *keys;
  static const char *const windows[] = { "5h", "1d", "7d" };

  tally_client_list_keys_async (fixture->demo.client, 1, 100, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  page = tally_client_list_keys_finish (fixture->demo.client, result, &error);
  g_assert_no_error (error);
  keys = tally_page_get_items (page);
  g_assert_cmpuint (g_list_model_get_n_items (keys), ==, json_array_get_length (items));

  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
      JsonObject *expected = json_array_get_object_element (items, i);

      if (generation == TALLY_DEMO_GENERATION_2025)
        {
          /* unknown, not 0 */
          g_assert_false (tally_api_key_has_quota (key));
          g_assert_true (isnan (tally_api_key_get_quota (key)));
          g_assert_true (isnan (tally_api_key_get_quota_used (key)));
          g_assert_true (isnan (tally_api_key_get_rate_limit (key, TALLY_KEY_WINDOW_1D)));
          g_assert_null (tally_api_key_get_expires_at (key));
          g_assert_cmpint (tally_api_key_get_quota_state (key), ==, TALLY_QUOTA_STATE_OK);
          continue;
        }

      g_assert_true (tally_api_key_has_quota (key));
      assert_double_member (tally_api_key_get_quota (key), expected, "quota");
      assert_double_member (tally_api_key_get_quota_used (key), expected, "quota_used");
      assert_time (tally_api_key_get_expires_at (key), expected, "expires_at");
      for (guint w = 0; w < TALLY_KEY_N_WINDOWS; w++)
        {
          g_autofree char *limit = g_strdup_printf ("rate_limit_%s", windows[w]);
          g_autofree char *usage = g_strdup_printf ("usage_%s", windows[w]);
          g_autofree char *start = g_strdup_printf ("window_%s_start", windows[w]);
          g_autofree char *reset = g_strdup_printf ("reset_%s_at", windows[w]);

          assert_double_member (tally_api_key_get_rate_limit (key, w), expected, limit);
          assert_double_member (tally_api_key_get_window_usage (key, w), expected, usage);
          assert_time (tally_api_key_get_window_start (key, w), expected, start);
          assert_time (tally_api_key_get_window_reset (key, w), expected, reset);
        }

      switch (tally_api_key_get_id (key))
        {
          case 1: /* about 90 % of its quota */
            g_assert_cmpint (tally_api_key_get_quota_state (key), ==, TALLY_QUOTA_STATE_WARNING);
            g_assert_cmpint (tally_api_key_get_expiry_state (key, now), ==, TALLY_QUOTA_STATE_OK);
            break;
          case 3: /* expires in 2 days 6 h */
            g_assert_cmpint (tally_api_key_get_quota_state (key), ==, TALLY_QUOTA_STATE_OK);
            g_assert_cmpint (tally_api_key_get_expiry_state (key, now), ==, TALLY_QUOTA_STATE_WARNING);
            break;
          default:
            g_assert_cmpint (tally_api_key_get_quota_state (key), ==, TALLY_QUOTA_STATE_OK);
            g_assert_cmpint (tally_api_key_get_expiry_state (key, now), ==, TALLY_QUOTA_STATE_OK);
        }
    }
}

static GListModel *
get_platform_quotas (TallyClient *client,
                     GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  tally_client_get_platform_quotas_async (client, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  return tally_client_get_platform_quotas_finish (client, result, error);
}

static void
test_platform_quotas (Fixture *fixture,
                      gconstpointer data)
{
  TallyDemoGeneration generation = GPOINTER_TO_UINT (data);
  const char *path = "/api/v1/user/platform-quotas";

  tally_demo_server_reset_request_counts (fixture->demo.server);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GListModel) quotas = get_platform_quotas (fixture->demo.client, &error);

      if (generation == TALLY_DEMO_GENERATION_2025)
        {
          /* feature detection: one 404, then no request at all */
          g_assert_error (error, TALLY_ERROR, TALLY_ERROR_NOT_SUPPORTED);
          g_assert_null (quotas);
          g_assert_cmpuint (tally_demo_server_get_request_count (fixture->demo.server, path), ==, 1);
          continue;
        }

      g_assert_no_error (error);
      g_assert_cmpuint (tally_demo_server_get_request_count (fixture->demo.server, path), ==, 2 * round + 1); /* and the raw fetch below */
      {
        g_autoptr (JsonNode) raw = tally_test_demo_fetch_raw (&fixture->demo, "GET", "/user/platform-quotas", NULL);
        JsonArray *items = json_object_get_array_member (json_node_get_object (raw), "platform_quotas");

        g_assert_cmpuint (g_list_model_get_n_items (quotas), ==, json_array_get_length (items));
        for (guint i = 0; i < json_array_get_length (items); i++)
          {
            g_autoptr (TallyPlatformQuota) quota = g_list_model_get_item (quotas, i);
            JsonObject *expected = json_array_get_object_element (items, i);

            g_assert_cmpstr (tally_platform_quota_get_platform (quota), ==, json_object_get_string_member (expected, "platform"));
            for (guint p = 0; p < TALLY_QUOTA_N_PERIODS; p++)
              {
                const char *id = tally_quota_period_get_id (p);
                g_autofree char *usage = g_strdup_printf ("%s_usage_usd", id);
                g_autofree char *limit = g_strdup_printf ("%s_limit_usd", id);
                g_autofree char *resets = g_strdup_printf ("%s_window_resets_at", id);
                JsonNode *limit_node = json_object_get_member (expected, limit);

                assert_double_member (tally_platform_quota_get_usage_usd (quota, p), expected, usage);
                if (json_node_is_null (limit_node))
                  g_assert_true (isnan (tally_platform_quota_get_limit_usd (quota, p)));
                else
                  assert_double_member (tally_platform_quota_get_limit_usd (quota, p), expected, limit);
                assert_time (tally_platform_quota_get_resets_at (quota, p), expected, resets);
              }
          }
      }
    }

  /* another client asks again: the memory is per client */
  if (generation == TALLY_DEMO_GENERATION_2025)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TallyClient) other = tally_client_new (tally_demo_server_get_url (fixture->demo.server), &error);
      g_autoptr (GListModel) quotas = NULL;

      g_assert_no_error (error);
      tally_client_set_token (other, fixture->demo.token);
      quotas = get_platform_quotas (other, &error);
      g_assert_error (error, TALLY_ERROR, TALLY_ERROR_NOT_SUPPORTED);
      g_assert_cmpuint (tally_demo_server_get_request_count (fixture->demo.server, path), ==, 2);
    }
}

static void
test_format (void)
{
  struct
  {
    gint64 seconds;
    const char *text;
  } resets[] = {
    { 0, "resets now" },
    { -5, "resets now" },
    { 59, "resets in less than a minute" },
    { 60, "resets in 1 min" },
    { 12 * 60 + 59, "resets in 12 min" },
    { 3600, "resets in 1 h" },
    { 4 * 3600 + 12 * 60 + 30, "resets in 4 h 12 min" },
    { 86400, "resets in 1 day" },
    { 86400 + 3600, "resets in 1 day 1 h" },
    { 4 * 86400 + 12 * 3600, "resets in 4 days 12 h" },
    { 30 * 86400, "resets in 30 days" },
  };
  struct
  {
    gint64 days;
    const char *text;
  } expires[] = {
    { -1, "expired" },
    { 0, "expires today" },
    { 1, "expires in 1 day" },
    { 30, "expires in 30 days" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (resets); i++)
    {
      g_autofree char *text = tally_format_resets_in (resets[i].seconds);

      g_assert_cmpstr (text, ==, resets[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (expires); i++)
    {
      g_autofree char *text = tally_format_expires_in_days (expires[i].days);

      g_assert_cmpstr (text, ==, expires[i].text);
    }
}

static void
test_states (void)
{
  g_assert_cmpint (tally_quota_state_for_usage (0, 50), ==, TALLY_QUOTA_STATE_OK);
  g_assert_cmpint (tally_quota_state_for_usage (39.99, 50), ==, TALLY_QUOTA_STATE_OK);
  g_assert_cmpint (tally_quota_state_for_usage (40, 50), ==, TALLY_QUOTA_STATE_WARNING);
  g_assert_cmpint (tally_quota_state_for_usage (49.99, 50), ==, TALLY_QUOTA_STATE_WARNING);
  g_assert_cmpint (tally_quota_state_for_usage (50, 50), ==, TALLY_QUOTA_STATE_USED_UP);
  g_assert_cmpint (tally_quota_state_for_usage (51, 50), ==, TALLY_QUOTA_STATE_USED_UP);
  /* no limit, unknown */
  g_assert_cmpint (tally_quota_state_for_usage (51, 0), ==, TALLY_QUOTA_STATE_OK);
  g_assert_cmpint (tally_quota_state_for_usage (51, NAN), ==, TALLY_QUOTA_STATE_OK);
  g_assert_cmpint (tally_quota_state_for_usage (NAN, 50), ==, TALLY_QUOTA_STATE_OK);

  g_assert_cmpint (tally_quota_state_for_expiry (0), ==, TALLY_QUOTA_STATE_USED_UP);
  g_assert_cmpint (tally_quota_state_for_expiry (-1), ==, TALLY_QUOTA_STATE_USED_UP);
  g_assert_cmpint (tally_quota_state_for_expiry (1), ==, TALLY_QUOTA_STATE_WARNING);
  g_assert_cmpint (tally_quota_state_for_expiry (7 * 86400), ==, TALLY_QUOTA_STATE_WARNING);
  g_assert_cmpint (tally_quota_state_for_expiry (7 * 86400 + 1), ==, TALLY_QUOTA_STATE_OK);
}

int
main (int argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  TALLY_TEST_ADD_GENERATIONS ("/subscriptions", "progress", Fixture, fixture_setup, test_progress, fixture_teardown);
  TALLY_TEST_ADD_GENERATIONS ("/subscriptions", "key-quotas", Fixture, fixture_setup, test_key_quotas, fixture_teardown);
  TALLY_TEST_ADD_GENERATIONS ("/subscriptions", "platform-quotas", Fixture, fixture_setup, test_platform_quotas, fixture_teardown);
  g_test_add_func ("/subscriptions/format", test_format);
  g_test_add_func ("/subscriptions/states", test_states);

  return g_test_run ();
}

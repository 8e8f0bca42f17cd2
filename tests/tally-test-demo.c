/* tally-test-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

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

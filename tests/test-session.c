/* test-session.c: TallySession against the in-process demo server (no display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tally-client.h"
#include "tally-credentials.h"
#include "tally-dashboard-stats.h"
#include "tally-demo-server.h"
#include "tally-error.h"
#include "tally-session.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"
#include "tally-user.h"

#define GUARD_SECONDS 20

typedef gboolean (*SessionPredicate) (TallySession *session);

static void
wait_until (TallySession *session,
            SessionPredicate predicate)
{
  tally_test_wait_until ((TallyTestPredicate) predicate, session, 50, GUARD_SECONDS, "the session");
}

static gboolean
is_idle (TallySession *session)
{
  return !tally_session_get_busy (session);
}

static gboolean
is_logged_out (TallySession *session)
{
  return tally_session_get_state (session) == TALLY_SESSION_STATE_LOGGED_OUT;
}

static void
count_notify_cb (GObject *object,
                 GParamSpec *pspec,
                 gpointer user_data)
{
  (*(guint *) user_data)++;
}

static TallySession *
start_demo_session (void)
{
  TallySession *session = tally_session_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (TallyDemoServer) demo = tally_demo_server_new_from_environment ();

  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);

  tally_session_start_demo_async (session, TALLY_DEMO_BACKEND (demo), NULL, tally_test_store_result_cb, &slot);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGING_IN);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_session_start_demo_finish (session, result, &error));
  g_assert_no_error (error);

  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_READY);
  g_assert_true (tally_session_get_demo (session));
  g_assert_nonnull (TALLY_DEMO_SERVER (tally_session_get_demo_backend (session)));
  g_assert_false (tally_session_get_busy (session));

  return session;
}

/* GET @path from the session's server with its token, outside TallyClient. */
static JsonNode *
fetch_raw_data (TallySession *session,
                const char *path)
{
  TallyClient *client = tally_session_get_client (session);
  g_autoptr (SoupSession) soup = soup_session_new ();
  g_autofree char *uri = g_strconcat (tally_client_get_base_url (client), path, NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", tally_client_get_token (client));
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  JsonObject *envelope;

  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_send_and_read_async (soup, msg, G_PRIORITY_DEFAULT, NULL,
                                    tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  body = soup_session_send_and_read_finish (soup, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  root = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  envelope = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (envelope, "code"), ==, 0);

  return json_node_copy (json_object_get_member (envelope, "data"));
}

typedef gint64 (*IntGetter) (TallyDashboardStats *stats);
typedef double (*DoubleGetter) (TallyDashboardStats *stats);

static void
assert_stats_equal_raw (TallyDashboardStats *stats,
                        JsonNode *data)
{
  static const struct
  {
    const char *name;
    IntGetter get;
  } ints[] = {
    { "total_api_keys", tally_dashboard_stats_get_total_api_keys },
    { "active_api_keys", tally_dashboard_stats_get_active_api_keys },
    { "total_requests", tally_dashboard_stats_get_total_requests },
    { "total_input_tokens", tally_dashboard_stats_get_total_input_tokens },
    { "total_output_tokens", tally_dashboard_stats_get_total_output_tokens },
    { "total_cache_creation_tokens", tally_dashboard_stats_get_total_cache_creation_tokens },
    { "total_cache_read_tokens", tally_dashboard_stats_get_total_cache_read_tokens },
    { "total_tokens", tally_dashboard_stats_get_total_tokens },
    { "today_requests", tally_dashboard_stats_get_today_requests },
    { "today_input_tokens", tally_dashboard_stats_get_today_input_tokens },
    { "today_output_tokens", tally_dashboard_stats_get_today_output_tokens },
    { "today_cache_creation_tokens", tally_dashboard_stats_get_today_cache_creation_tokens },
    { "today_cache_read_tokens", tally_dashboard_stats_get_today_cache_read_tokens },
    { "today_tokens", tally_dashboard_stats_get_today_tokens },
    { "rpm", tally_dashboard_stats_get_rpm },
    { "tpm", tally_dashboard_stats_get_tpm },
  };
  static const struct
  {
    const char *name;
    DoubleGetter get;
  } doubles[] = {
    { "total_cost", tally_dashboard_stats_get_total_cost },
    { "total_actual_cost", tally_dashboard_stats_get_total_actual_cost },
    { "today_cost", tally_dashboard_stats_get_today_cost },
    { "today_actual_cost", tally_dashboard_stats_get_today_actual_cost },
    { "average_duration_ms", tally_dashboard_stats_get_average_duration_ms },
  };
  JsonObject *object = json_node_get_object (data);

  g_assert_nonnull (stats);

  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      g_test_message ("%s", ints[i].name);
      g_assert_true (json_object_has_member (object, ints[i].name));
      g_assert_cmpint (ints[i].get (stats), ==, json_object_get_int_member (object, ints[i].name));
    }

  for (guint i = 0; i < G_N_ELEMENTS (doubles); i++)
    {
      g_test_message ("%s", doubles[i].name);
      g_assert_true (json_object_has_member (object, doubles[i].name));
      g_assert_cmpfloat (doubles[i].get (stats), ==, json_object_get_double_member (object, doubles[i].name));
    }

  /* The demo has real traffic: the comparison above is not between zeros. */
  g_assert_cmpint (tally_dashboard_stats_get_total_requests (stats), >, 0);
  g_assert_cmpfloat (tally_dashboard_stats_get_total_actual_cost (stats), >, 0.0);
}

static void
test_demo_ready (void)
{
  TallySession *session = start_demo_session ();
  TallyDemoServer *server = TALLY_DEMO_SERVER (tally_session_get_demo_backend (session));
  g_autoptr (JsonNode) stats_data = NULL;
  g_autoptr (JsonNode) me_data = NULL;
  TallyUser *user;

  g_assert_null (tally_session_get_last_error (session));
  g_assert_cmpstr (tally_session_get_server_url (session), ==, tally_demo_server_get_url (server));
  g_assert_cmpstr (tally_session_get_email (session), ==, tally_demo_server_get_email (server));

  /* server-today comes from the trend's end_date; the offset from created_at. */
  g_assert_cmpstr (tally_session_get_server_today (session), ==, tally_demo_server_get_today (server));
  g_assert_true (tally_session_get_utc_offset_known (session));
  g_assert_cmpint (tally_session_get_utc_offset (session), ==, 28800);

  /* Each endpoint once. */
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/auth/me"), ==, 1);
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage/dashboard/stats"), ==, 1);
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage/dashboard/trend"), ==, 1);

  stats_data = fetch_raw_data (session, "/api/v1/usage/dashboard/stats");
  assert_stats_equal_raw (tally_session_get_dashboard_stats (session), stats_data);

  me_data = fetch_raw_data (session, "/api/v1/auth/me");
  user = tally_session_get_user (session);
  g_assert_nonnull (user);
  g_assert_cmpint (tally_user_get_id (user), ==, json_object_get_int_member (json_node_get_object (me_data), "id"));
  g_assert_cmpfloat (tally_user_get_balance (user), ==,
                     json_object_get_double_member (json_node_get_object (me_data), "balance"));

  g_assert_finalize_object (session);
}

static void
test_reload_coalesces (void)
{
  TallySession *session = start_demo_session ();
  TallyDemoServer *server = TALLY_DEMO_SERVER (tally_session_get_demo_backend (session));
  TallyDashboardStats *old_stats = g_object_ref (tally_session_get_dashboard_stats (session));
  g_autoptr (JsonNode) stats_data = NULL;
  guint n_stats_notify = 0;
  guint n_requests;

  g_signal_connect (session, "notify::dashboard-stats", G_CALLBACK (count_notify_cb), &n_stats_notify);

  /* A burst before anything is sent: one set of requests. */
  tally_demo_server_reset_request_counts (server);
  tally_session_reload (session);
  g_assert_true (tally_session_get_busy (session));
  tally_session_reload (session);
  tally_session_reload (session);
  wait_until (session, is_idle);

  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage/dashboard/stats"), ==, 1);
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/auth/me"), ==, 1);
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage/dashboard/trend"), ==, 1);
  g_assert_cmpuint (n_stats_notify, ==, 1);
  g_assert_true (tally_session_get_dashboard_stats (session) != old_stats);
  g_clear_object (&old_stats);

  /* A reload while the first is on the wire: the first is cancelled, only the
   * second one's answers are applied. */
  tally_demo_server_set_delay (server, 300);
  tally_demo_server_reset_request_counts (server);
  n_stats_notify = 0;
  old_stats = g_object_ref (tally_session_get_dashboard_stats (session));

  tally_session_reload (session);
  tally_test_spin (100);
  g_assert_true (tally_session_get_busy (session));
  tally_session_reload (session);
  wait_until (session, is_idle);

  n_requests = tally_demo_server_get_request_count (server, "/api/v1/usage/dashboard/stats");
  g_assert_cmpuint (n_requests, >=, 1);
  g_assert_cmpuint (n_requests, <=, 2);
  g_assert_cmpuint (n_stats_notify, ==, 1);
  g_assert_true (tally_session_get_dashboard_stats (session) != old_stats);
  g_assert_null (tally_session_get_last_error (session));
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_READY);
  g_clear_object (&old_stats);

  tally_demo_server_set_delay (server, 0);
  stats_data = fetch_raw_data (session, "/api/v1/usage/dashboard/stats");
  assert_stats_equal_raw (tally_session_get_dashboard_stats (session), stats_data);

  g_signal_handlers_disconnect_by_func (session, count_notify_cb, &n_stats_notify);
  g_assert_finalize_object (session);
}

static void
test_failure_keeps_data (void)
{
  TallySession *session = start_demo_session ();
  TallyDemoServer *server = TALLY_DEMO_SERVER (tally_session_get_demo_backend (session));
  TallyDashboardStats *stats = tally_session_get_dashboard_stats (session);
  TallyUser *user = tally_session_get_user (session);
  g_autofree char *today = g_strdup (tally_session_get_server_today (session));
  guint n_error_notify = 0;

  g_signal_connect (session, "notify::last-error", G_CALLBACK (count_notify_cb), &n_error_notify);

  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_SERVER_ERROR);
  tally_session_reload (session);
  wait_until (session, is_idle);

  g_assert_nonnull (tally_session_get_last_error (session));
  g_assert_cmpstr (tally_session_get_last_error (session), !=, "");
  g_assert_cmpuint (n_error_notify, ==, 1);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_READY);
  /* The last good data stays. */
  g_assert_true (tally_session_get_dashboard_stats (session) == stats);
  g_assert_cmpstr (tally_session_get_server_today (session), ==, today);
  g_assert_nonnull (tally_session_get_user (session));

  /* The same error again notifies again (a second toast). */
  tally_session_reload (session);
  wait_until (session, is_idle);
  g_assert_cmpuint (n_error_notify, ==, 2);
  g_assert_true (tally_session_get_dashboard_stats (session) == stats);

  /* HTML from a proxy: same. */
  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_HTML_502);
  tally_session_reload (session);
  wait_until (session, is_idle);
  g_assert_nonnull (tally_session_get_last_error (session));
  g_assert_true (tally_session_get_dashboard_stats (session) == stats);

  /* Recovery clears the error. */
  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_NONE);
  tally_session_reload (session);
  wait_until (session, is_idle);
  g_assert_null (tally_session_get_last_error (session));
  g_assert_nonnull (tally_session_get_dashboard_stats (session));
  g_assert_true (tally_session_get_dashboard_stats (session) != stats);
  (void) user;

  g_signal_handlers_disconnect_by_func (session, count_notify_cb, &n_error_notify);
  g_assert_finalize_object (session);
}

static void
test_unauthorized (void)
{
  TallySession *session = start_demo_session ();
  TallyDemoServer *server = TALLY_DEMO_SERVER (tally_session_get_demo_backend (session));
  g_autofree char *url = g_strdup (tally_demo_server_get_url (server));

  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_TOKEN_EXPIRED);
  tally_session_reload (session);
  wait_until (session, is_logged_out);
  wait_until (session, is_idle);

  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_assert_cmpstr (tally_session_get_last_error (session), ==, "Your session has expired. Please log in again.");
  g_assert_cmpstr (tally_session_get_email (session), ==, "demo@example.com");
  g_assert_cmpstr (tally_session_get_server_url (session), ==, url);
  g_assert_null (tally_client_get_token (tally_session_get_client (session)));

  /* Logged out: reloads do nothing. */
  tally_demo_server_reset_request_counts (server);
  tally_session_reload (session);
  g_assert_false (tally_session_get_busy (session));
  tally_test_spin (50);
  g_assert_cmpuint (tally_demo_server_get_request_count (server, NULL), ==, 0);

  g_assert_finalize_object (session);
}

static void
test_logout (void)
{
  TallySession *session = start_demo_session ();

  tally_session_logout (session);

  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_assert_false (tally_session_get_busy (session));
  g_assert_null (tally_session_get_user (session));
  g_assert_null (tally_session_get_dashboard_stats (session));
  g_assert_null (tally_session_get_server_today (session));
  g_assert_false (tally_session_get_utc_offset_known (session));
  g_assert_null (tally_session_get_last_error (session));
  /* Demo mode ends with its login. */
  g_assert_false (tally_session_get_demo (session));
  g_assert_null (TALLY_DEMO_SERVER (tally_session_get_demo_backend (session)));
  g_assert_null (tally_session_get_client (session));

  g_assert_finalize_object (session);
}

static void
test_logout_while_loading (void)
{
  TallySession *session = start_demo_session ();
  TallyDemoServer *server = TALLY_DEMO_SERVER (tally_session_get_demo_backend (session));

  tally_demo_server_set_delay (server, 300);
  tally_session_reload (session);
  tally_test_spin (50);
  g_assert_true (tally_session_get_busy (session));

  tally_session_logout (session);
  g_assert_false (tally_session_get_busy (session));
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);

  /* The cancelled answers change nothing. */
  tally_test_spin (400);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_assert_null (tally_session_get_dashboard_stats (session));

  g_assert_finalize_object (session);
}

static void
test_bad_password (void)
{
  TallyTestDemo demo = { 0 };
  TallyDemoServer *server = NULL;
  TallySession *session = tally_session_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  tally_test_demo_start (&demo, NULL);
  server = demo.server;

  g_assert_true (tally_session_set_server (session, tally_demo_server_get_url (server), &error));
  g_assert_no_error (error);
  g_assert_false (tally_session_get_demo (session));

  tally_session_login_async (session, tally_demo_server_get_email (server), "wrong password", NULL,
                             NULL, tally_test_store_result_cb, &slot);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGING_IN);
  result = tally_test_wait_result (&slot);
  g_assert_false (tally_session_login_finish (session, result, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_CREDENTIALS);

  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_assert_false (tally_session_get_busy (session));
  g_assert_cmpstr (tally_session_get_email (session), ==, tally_demo_server_get_email (server));
  g_assert_null (tally_session_get_user (session));
  /* Login errors are shown inline by the login page, not as toasts. */
  g_assert_null (tally_session_get_last_error (session));
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage/dashboard/stats"), ==, 0);

  g_clear_object (&result);
  g_assert_finalize_object (session);
  tally_test_demo_stop (&demo);
}

static void
test_two_factor (void)
{
  TallySession *session = start_demo_session ();
  TallyDemoServer *server = TALLY_DEMO_SERVER (tally_session_get_demo_backend (session));
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  /* Still in demo mode (same server), so nothing reaches the keyring. */
  tally_demo_server_set_two_factor (server, TRUE);
  tally_session_login_async (session, tally_demo_server_get_email (server),
                             tally_demo_server_get_password (server), NULL,
                             NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_false (tally_session_login_finish (session, result, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_TWO_FACTOR_REQUIRED);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_clear_error (&error);
  g_clear_object (&result);

  /* A wrong code is refused, the challenge stays usable. */
  tally_session_login_2fa_async (session, "000000", NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_false (tally_session_login_2fa_finish (session, result, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_clear_error (&error);
  g_clear_object (&result);

  tally_session_login_2fa_async (session, "123456", NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_session_login_2fa_finish (session, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_READY);
  g_assert_nonnull (tally_session_get_dashboard_stats (session));
  g_assert_true (tally_session_get_demo (session));

  g_clear_object (&result);
  g_assert_finalize_object (session);
}

static void
test_refused_token (void)
{
  TallyTestDemo demo = { 0 };
  TallyDemoServer *server = NULL;
  TallySession *session = tally_session_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *expired = NULL;
  GAsyncResult *slot = NULL;

  tally_test_demo_start (&demo, NULL);
  server = demo.server;
  expired = tally_demo_server_issue_token (server, -60);

  /* An expired pasted token: refused, LOGGED_OUT, no toast. */
  tally_session_use_token_async (session, tally_demo_server_get_url (server), expired,
                                 NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_false (tally_session_use_token_finish (session, result, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_assert_false (tally_session_get_busy (session));
  g_assert_null (tally_session_get_last_error (session));
  g_assert_null (tally_client_get_token (tally_session_get_client (session)));
  g_clear_error (&error);
  g_clear_object (&result);

  /* An API key is not a panel token. */
  tally_session_use_token_async (session, NULL, "sk-0123456789abcdef0123",
                                 NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_false (tally_session_use_token_finish (session, result, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);

  g_clear_object (&result);
  g_assert_finalize_object (session);
  tally_test_demo_stop (&demo);
}

static void
test_environment_token (void)
{
  TallyTestDemo demo = { 0 };
  TallyDemoServer *server = NULL;
  TallySession *session = tally_session_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  GAsyncResult *slot = NULL;

  tally_test_demo_start (&demo, NULL);
  server = demo.server;
  token = tally_demo_server_issue_token (server, 3600);

  /* TALLY_TOKEN wins over the keyring (which is never asked). */
  g_setenv ("TALLY_TOKEN", token, TRUE);
  tally_session_restore_async (session, tally_demo_server_get_url (server),
                               NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_unsetenv ("TALLY_TOKEN");
  g_assert_true (tally_session_restore_finish (session, result, &error));
  g_assert_no_error (error);

  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_READY);
  g_assert_false (tally_session_get_demo (session));
  g_assert_cmpstr (tally_session_get_email (session), ==, tally_demo_server_get_email (server));
  g_assert_nonnull (tally_session_get_dashboard_stats (session));
  g_assert_null (tally_session_get_last_error (session));

  /* An expiry with an environment token does not touch the keyring either. */
  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_TOKEN_EXPIRED);
  tally_session_reload (session);
  wait_until (session, is_logged_out);
  wait_until (session, is_idle);
  g_assert_cmpstr (tally_session_get_last_error (session), ==, "Your session has expired. Please log in again.");

  g_clear_object (&result);
  g_assert_finalize_object (session);
  tally_test_demo_stop (&demo);
}

/* A token with two minutes left: "expires-soon" right away; a day: not yet. */
static void
test_expires_soon (void)
{
  TallyTestDemo demo = { 0 };
  TallyDemoServer *server = NULL;
  TallySession *session = tally_session_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *short_token = NULL;
  g_autofree char *long_token = NULL;
  guint notified = 0;

  tally_test_demo_start (&demo, "rows", (guint) 2000, NULL);
  server = demo.server;
  g_signal_connect (session, "notify::expires-soon", G_CALLBACK (count_notify_cb), &notified);

  long_token = tally_demo_server_issue_token (server, 24 * 3600);
  tally_test_use_token (session, tally_demo_server_get_url (server), long_token);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_READY);
  g_assert_false (tally_session_get_expires_soon (session));
  g_assert_cmpint (tally_session_get_token_expiry (session), ==, tally_token_get_expiry (long_token));
  g_assert_cmpint (tally_session_get_token_expiry (session), >, g_get_real_time () / G_USEC_PER_SEC + 23 * 3600);
  g_assert_cmpuint (notified, ==, 0);

  short_token = tally_demo_server_issue_token (server, 120);
  tally_test_use_token (session, NULL, short_token);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_READY);
  g_assert_true (tally_session_get_expires_soon (session));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpint (tally_session_get_token_expiry (session), ==, tally_token_get_expiry (short_token));
  {
    gboolean soon = FALSE;
    gint64 expiry = 0;

    g_object_get (session, "expires-soon", &soon, "token-expiry", &expiry, NULL);
    g_assert_true (soon);
    g_assert_cmpint (expiry, ==, tally_token_get_expiry (short_token));
  }

  /* a reload keeps the prompt up (no second notification) */
  tally_session_reload (session);
  wait_until (session, is_idle);
  g_assert_true (tally_session_get_expires_soon (session));
  g_assert_cmpuint (notified, ==, 1);

  tally_session_logout (session);
  g_assert_false (tally_session_get_expires_soon (session));
  g_assert_cmpint (tally_session_get_token_expiry (session), ==, 0);
  /* the keyring calls hold a ref until they finish */
  tally_test_assert_finalized (session);
  tally_test_demo_stop (&demo);
}

static TallyAccount *
lookup_account (const char *server_url)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  TallyAccount *account;

  tally_credentials_lookup_async (server_url, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  account = tally_credentials_lookup_finish (result, &error);
  g_assert_no_error (error);

  return account;
}

/* Logging out while the keyring store of the login is still in flight must not
 * leave the token behind once that store lands. */
static void
test_logout_while_storing (void)
{
  TallyTestDemo demo = { 0 };
  TallyDemoServer *server = NULL;
  TallySession *session = tally_session_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;
  g_autoptr (TallyAccount) stored = NULL;
  g_autoptr (TallyAccount) after = NULL;

  tally_test_demo_start (&demo, "rows", (guint) 2000, NULL);
  server = demo.server;
  url = g_strdup (tally_demo_server_get_url (server));
  token = tally_demo_server_issue_token (server, 24 * 3600);

  /* A first login whose token does get stored. */
  tally_test_use_token (session, url, token);
  tally_test_spin (500);
  stored = lookup_account (url);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->token, ==, token);

  /* A second login; its store starts as the login completes: log out at once. */
  tally_test_use_token (session, url, token);
  tally_session_logout (session);
  tally_test_spin (800);

  after = lookup_account (url);
  g_assert_null (after);

  g_assert_finalize_object (session);
  tally_test_demo_stop (&demo);
}

static gboolean
has_long_token (TallySession *session)
{
  return tally_session_get_token_expiry (session) > g_get_real_time () / G_USEC_PER_SEC + 3600;
}

/* The demo logs in again by itself when its token is about to expire. */
static void
test_demo_renews (void)
{
  TallySession *session = start_demo_session ();
  TallyDemoServer *server = TALLY_DEMO_SERVER (tally_session_get_demo_backend (session));
  g_autofree char *short_token = tally_demo_server_issue_token (server, 120);
  guint notified = 0;

  g_signal_connect (session, "notify::expires-soon", G_CALLBACK (count_notify_cb), &notified);
  tally_test_use_token (session, NULL, short_token);
  g_assert_true (tally_session_get_demo (session));

  wait_until (session, has_long_token);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_READY);
  g_assert_false (tally_session_get_expires_soon (session));
  g_assert_cmpuint (notified, ==, 0);
  g_assert_cmpstr (tally_client_get_token (tally_session_get_client (session)), !=, short_token);
  g_assert_cmpint (tally_session_get_token_expiry (session), ==,
                   tally_token_get_expiry (tally_client_get_token (tally_session_get_client (session))));

  /* and it works */
  tally_session_reload (session);
  wait_until (session, is_idle);
  g_assert_null (tally_session_get_last_error (session));

  g_assert_finalize_object (session);
}

/* ------------------------------------------------------------------------ */
/* Refresh tokens with the real (throwaway) keyring                          */

/* A password login on @server (not the demo mode: the keyring is used). */
static TallySession *
login_session (TallyDemoServer *server)
{
  TallySession *session = tally_session_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  g_assert_true (tally_session_set_server (session, tally_demo_server_get_url (server), &error));
  tally_session_login_async (session, tally_demo_server_get_email (server), tally_demo_server_get_password (server),
                             NULL, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_session_login_finish (session, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_READY);

  return session;
}

static TallyDemoServer *
start_server (TallyTestDemo *demo)
{
  tally_test_demo_start (demo, "rows", (guint) 500, "days", (guint) 10, NULL);

  return demo->server;
}

/* Polls the keyring until the item of @url holds @refresh_token (NULL: until
 * there is no item; ANY_ITEM: until there is one). */
static const char ANY_ITEM[] = "any item";

static TallyAccount *
wait_for_stored (const char *url,
                 const char *refresh_token)
{
  gint64 deadline = g_get_monotonic_time () + GUARD_SECONDS * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (GError) error = NULL;
      GAsyncResult *slot = NULL;
      TallyAccount *account;

      /* an item the session replaces or removes meanwhile is an error: look again */
      tally_credentials_lookup_async (url, NULL, tally_test_store_result_cb, &slot);
      result = tally_test_wait_result (&slot);
      account = tally_credentials_lookup_finish (result, &error);
      if (error != NULL)
        g_test_message ("keyring changed while reading it: %s", error->message);
      else if (refresh_token == NULL ? account == NULL : (account != NULL && (refresh_token == ANY_ITEM || g_strcmp0 (account->refresh_token, refresh_token) == 0)))
        return account;
      g_clear_pointer (&account, tally_account_free);
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for the keyring to hold the expected login");
      tally_test_spin (50);
    }
}

/* Every rotation lands in the keyring; a restore with an expired access token
 * renews it and stores the new pair. */
static void
test_rotation_stored (void)
{
  TallyTestDemo demo = { 0 };
  TallyDemoServer *server = start_server (&demo);
  TallySession *session = login_session (server);
  TallySession *restored = NULL;
  TallyClient *client = tally_session_get_client (session);
  g_autofree char *url = g_strdup (tally_demo_server_get_url (server));
  g_autofree char *first = g_strdup (tally_client_get_refresh_token (client));
  g_autoptr (TallyAccount) stored = NULL;
  g_autoptr (TallyAccount) rotated = NULL;
  g_autoptr (TallyAccount) renewed = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  g_assert_true (g_str_has_prefix (first, "rt_"));
  stored = wait_for_stored (url, first);
  g_assert_cmpstr (stored->token, ==, tally_client_get_token (client));
  g_assert_cmpstr (stored->email, ==, tally_demo_server_get_email (server));
  g_assert_cmpint (stored->expires_at, ==, tally_client_get_token_expires_at (client));

  /* the server expires the access token: the reload refreshes, the keyring follows */
  tally_demo_server_expire_access_tokens (server);
  tally_demo_server_reset_request_counts (server);
  tally_session_reload (session);
  wait_until (session, is_idle);
  g_assert_null (tally_session_get_last_error (session));
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_READY);
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/auth/refresh"), ==, 1);
  g_assert_cmpstr (tally_client_get_refresh_token (client), !=, first);
  rotated = wait_for_stored (url, tally_client_get_refresh_token (client));
  g_assert_cmpstr (rotated->token, ==, tally_client_get_token (client));

  /* the next start: the stored access token has expired meanwhile */
  g_assert_finalize_object (g_steal_pointer (&session));
  tally_demo_server_expire_access_tokens (server);
  tally_demo_server_reset_request_counts (server);
  restored = tally_session_new ();
  tally_session_restore_async (restored, url, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_session_restore_finish (restored, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tally_session_get_state (restored), ==, TALLY_SESSION_STATE_READY);
  g_assert_null (tally_session_get_last_error (restored));
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/auth/refresh"), ==, 1);
  client = tally_session_get_client (restored);
  g_assert_cmpstr (tally_client_get_refresh_token (client), !=, rotated->refresh_token);
  renewed = wait_for_stored (url, tally_client_get_refresh_token (client));
  g_assert_cmpstr (renewed->token, ==, tally_client_get_token (client));

  g_clear_object (&result);
  tally_session_logout (restored);
  tally_test_assert_finalized (restored);
  g_clear_pointer (&renewed, tally_account_free);
  renewed = wait_for_stored (url, NULL);
  tally_test_demo_stop (&demo);
}

/* Another process (a cron run) rotated the stored pair: the session re-reads
 * the keyring once and goes on with it. */
static void
test_other_process_rotated (void)
{
  TallyTestDemo demo = { 0 };
  TallyDemoServer *server = start_server (&demo);
  TallySession *session = login_session (server);
  TallyClient *client = tally_session_get_client (session);
  g_autofree char *url = g_strdup (tally_demo_server_get_url (server));
  g_autoptr (TallyClient) cron = NULL;
  g_autoptr (TallyAccount) stored = NULL;
  g_autoptr (TallyAccount) cron_pair = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  stored = wait_for_stored (url, tally_client_get_refresh_token (client));

  /* the window's access token expires; the cron process starts from the
   * keyring, refreshes and stores the new pair */
  tally_demo_server_expire_access_tokens (server);
  cron = tally_client_new (url, &error);
  g_assert_no_error (error);
  tally_client_set_tokens (cron, stored->token, stored->refresh_token, stored->expires_at);
  tally_client_refresh_async (cron, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_client_refresh_finish (cron, result, &error));
  g_clear_object (&result);
  cron_pair = tally_account_new_full (url, stored->email, tally_client_get_token (cron),
                                      tally_client_get_refresh_token (cron), tally_client_get_token_expires_at (cron));
  tally_credentials_store_account_async (cron_pair, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_credentials_store_finish (result, &error));

  /* the window's refresh token is stale now */
  tally_demo_server_reset_request_counts (server);
  tally_session_reload (session);
  wait_until (session, is_idle);
  g_assert_null (tally_session_get_last_error (session));
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_READY);
  g_assert_cmpstr (tally_client_get_refresh_token (client), ==, cron_pair->refresh_token);
  g_assert_cmpstr (tally_client_get_token (client), ==, cron_pair->token);
  /* one refused refresh (the stale token), shared by the four calls of the load */
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/auth/refresh"), ==, 1);

  g_clear_object (&result);
  tally_session_logout (session);
  tally_test_assert_finalized (session);
  g_clear_pointer (&stored, tally_account_free);
  stored = wait_for_stored (url, NULL);
  tally_test_demo_stop (&demo);
}

/* Logout revokes the refresh token, and clears the keyring even when the
 * server is gone. */
static void
test_logout_revokes (void)
{
  TallyTestDemo demo = { 0 };
  TallyDemoServer *server = start_server (&demo);
  TallySession *session = login_session (server);
  g_autofree char *url = g_strdup (tally_demo_server_get_url (server));
  g_autofree char *refresh_token = g_strdup (tally_client_get_refresh_token (tally_session_get_client (session)));
  g_autoptr (TallyAccount) stored = NULL;
  g_autoptr (TallyClient) other = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  gint64 started;

  stored = wait_for_stored (url, refresh_token);
  g_clear_pointer (&stored, tally_account_free);
  tally_demo_server_reset_request_counts (server);
  tally_session_logout (session);
  stored = wait_for_stored (url, NULL);
  for (guint i = 0; i < GUARD_SECONDS * 20 && tally_demo_server_get_request_count (server, "/api/v1/auth/logout") == 0; i++)
    tally_test_spin (50);
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/auth/logout"), ==, 1);
  tally_test_assert_finalized (session);

  /* the server forgot it */
  other = tally_client_new (url, &error);
  tally_client_set_tokens (other, "unused", refresh_token, 0);
  tally_client_refresh_async (other, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_false (tally_client_refresh_finish (other, result, &error));
  g_assert_cmpstr (tally_error_get_reason (error), ==, "REFRESH_TOKEN_INVALID");
  g_clear_error (&error);
  g_clear_object (&result);

  /* again, with the server stopped before the logout */
  session = login_session (server);
  stored = wait_for_stored (url, tally_client_get_refresh_token (tally_session_get_client (session)));
  g_clear_pointer (&stored, tally_account_free);
  tally_demo_server_stop (server);
  started = g_get_monotonic_time ();
  tally_session_logout (session);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_assert_null (tally_client_get_token (tally_session_get_client (session)));
  stored = wait_for_stored (url, NULL);
  g_test_message ("keyring cleared after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - started) / 1000);
  tally_test_assert_finalized (session);

  g_assert_finalize_object (g_steal_pointer (&other));
  tally_test_demo_stop (&demo);
}

/* A revoked login returns to the login page with its own sentence. */
static void
test_session_revoked (void)
{
  TallyTestDemo demo = { 0 };
  TallyDemoServer *server = start_server (&demo);
  TallySession *session = login_session (server);
  g_autofree char *url = g_strdup (tally_demo_server_get_url (server));
  g_autoptr (TallyAccount) stored = NULL;

  stored = wait_for_stored (url, tally_client_get_refresh_token (tally_session_get_client (session)));
  g_clear_pointer (&stored, tally_account_free);

  tally_demo_server_expire_access_tokens (server);
  tally_demo_server_revoke_sessions (server);
  tally_session_reload (session);
  wait_until (session, is_logged_out);
  wait_until (session, is_idle);
  g_assert_cmpstr (tally_session_get_last_error (session), ==,
                   "Your password was changed or the session was revoked — log in again");
  stored = wait_for_stored (url, NULL);

  /* a disabled account (a 403 on the refresh) too */
  g_assert_finalize_object (session);
  tally_demo_server_revoke_sessions (server);
  session = login_session (server);
  tally_demo_server_expire_access_tokens (server);
  tally_demo_server_set_user_active (server, FALSE);
  tally_session_reload (session);
  wait_until (session, is_logged_out);
  wait_until (session, is_idle);
  g_assert_cmpstr (tally_session_get_last_error (session), ==, "This account is disabled — contact the site’s administrator");

  tally_test_assert_finalized (session);
  g_clear_pointer (&stored, tally_account_free);
  stored = wait_for_stored (url, NULL);
  tally_test_demo_stop (&demo);
}

/* A December 2025 server has no refresh token: an expired token asks for a
 * new login as before. */
static void
test_server_2025 (void)
{
  TallyTestDemo demo = { 0 };
  TallyDemoServer *server = start_server (&demo);
  TallySession *session = NULL;
  g_autofree char *url = g_strdup (tally_demo_server_get_url (server));
  g_autoptr (TallyAccount) stored = NULL;

  tally_demo_server_set_generation (server, TALLY_DEMO_GENERATION_2025);
  session = login_session (server);
  g_assert_null (tally_client_get_refresh_token (tally_session_get_client (session)));
  stored = wait_for_stored (url, ANY_ITEM);
  g_assert_null (stored->refresh_token);
  g_clear_pointer (&stored, tally_account_free);

  tally_demo_server_expire_access_tokens (server);
  tally_demo_server_reset_request_counts (server);
  tally_session_reload (session);
  wait_until (session, is_logged_out);
  wait_until (session, is_idle);
  g_assert_cmpstr (tally_session_get_last_error (session), ==, "Your session has expired. Please log in again.");
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/auth/refresh"), ==, 0);

  tally_session_logout (session);
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/auth/logout"), ==, 0);
  tally_test_assert_finalized (session);
  stored = wait_for_stored (url, NULL);
  tally_test_demo_stop (&demo);
}

int
main (int argc,
      char *argv[])
{
  /* the demo mode's short access tokens would perturb the timing tests */
  g_setenv ("TALLY_DEMO_ACCESS_SECONDS", "86400", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/demo-ready", test_demo_ready);
  g_test_add_func ("/session/reload-coalesces", test_reload_coalesces);
  g_test_add_func ("/session/failure-keeps-data", test_failure_keeps_data);
  g_test_add_func ("/session/unauthorized", test_unauthorized);
  g_test_add_func ("/session/logout", test_logout);
  g_test_add_func ("/session/logout-while-loading", test_logout_while_loading);
  g_test_add_func ("/session/bad-password", test_bad_password);
  g_test_add_func ("/session/two-factor", test_two_factor);
  g_test_add_func ("/session/refused-token", test_refused_token);
  g_test_add_func ("/session/environment-token", test_environment_token);
  g_test_add_func ("/session/expires-soon", test_expires_soon);
  g_test_add_func ("/session/demo-renews", test_demo_renews);
  g_test_add_func ("/session/logout-while-storing", test_logout_while_storing);
  g_test_add_func ("/session/rotation-stored", test_rotation_stored);
  g_test_add_func ("/session/other-process-rotated", test_other_process_rotated);
  g_test_add_func ("/session/logout-revokes", test_logout_revokes);
  g_test_add_func ("/session/session-revoked", test_session_revoked);
  g_test_add_func ("/session/server-2025", test_server_2025);

  return g_test_run ();
}

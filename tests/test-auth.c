/* test-auth.c: refresh tokens: the demo server's sessions and the client's
 * single-flight refresh, rotation, the keyring re-read seam and logout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tally-auth-result.h"
#include "tally-client.h"
#include "tally-credentials.h"
#include "tally-demo-server.h"
#include "tally-error.h"
#include "tally-public-settings.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"
#include "tally-user.h"

#define N_CONCURRENT 8

static TallyTestDemo demo;

#define WAIT(slot) tally_test_wait_result (&(slot))

static void
reset_server (void)
{
  tally_demo_server_set_generation (demo.server, TALLY_DEMO_GENERATION_CURRENT);
  tally_demo_server_set_access_lifetime (demo.server, 3600);
  tally_demo_server_set_refresh_lifetime (demo.server, 30 * 24 * 3600);
  tally_demo_server_set_user_active (demo.server, TRUE);
  tally_demo_server_set_admin_only (demo.server, FALSE);
  tally_demo_server_reset_request_counts (demo.server);
}

static guint
count (const char *path)
{
  return tally_demo_server_get_request_count (demo.server, path);
}

/* POST @path with @json_body, no Tally code; returns the status, *body_out the body. */
static guint
raw_post (const char *path,
          const char *json_body,
          char **body_out,
          char **content_type)
{
  g_autofree char *url = g_strconcat (tally_demo_server_get_url (demo.server), "/api/v1", path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (GBytes) bytes = g_bytes_new (json_body, strlen (json_body));
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  GAsyncResult *slot = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (demo.soup, msg, G_PRIORITY_DEFAULT, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  body = soup_session_send_and_read_finish (demo.soup, result, &error);
  g_assert_no_error (error);
  if (body_out != NULL)
    *body_out = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  if (content_type != NULL)
    *content_type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL));

  return soup_message_get_status (msg);
}

static TallyClient *
new_client (void)
{
  g_autoptr (GError) error = NULL;
  TallyClient *client = tally_client_new (tally_demo_server_get_url (demo.server), &error);

  g_assert_no_error (error);
  return client;
}

static void
count_signal_cb (TallyClient *client,
                 guint *counter)
{
  (*counter)++;
}

static TallyAuthResult *
login (TallyClient *client)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  TallyAuthResult *auth;

  tally_client_login_async (client, tally_demo_server_get_email (demo.server), tally_demo_server_get_password (demo.server),
                            NULL, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  auth = tally_client_login_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (auth);

  return auth;
}

static TallyUser *
get_me (TallyClient *client,
        GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  tally_client_get_me_async (client, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);

  return tally_client_get_me_finish (client, result, error);
}

static gboolean
refresh (TallyClient *client,
         GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  tally_client_refresh_async (client, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);

  return tally_client_refresh_finish (client, result, error);
}

/* @n concurrent /auth/me calls; returns how many succeeded; *first_error the first failure */
static guint
get_me_concurrently (TallyClient *client,
                     guint n,
                     GError **first_error)
{
  GAsyncResult *slots[N_CONCURRENT] = { NULL };
  guint ok = 0;

  g_assert_cmpuint (n, <=, N_CONCURRENT);
  for (guint i = 0; i < n; i++)
    tally_client_get_me_async (client, NULL, tally_test_store_result_cb, &slots[i]);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GAsyncResult) result = WAIT (slots[i]);
      g_autoptr (TallyUser) me = NULL;
      g_autoptr (GError) error = NULL;

      me = tally_client_get_me_finish (client, result, &error);
      if (me != NULL)
        {
          g_assert_cmpstr (tally_user_get_email (me), ==, tally_demo_server_get_email (demo.server));
          ok++;
        }
      else if (first_error != NULL && *first_error == NULL)
        *first_error = g_steal_pointer (&error);
    }

  return ok;
}

/* ------------------------------------------------------------------------ */
/* The demo server                                                          */

static void
test_server_rotation (void)
{
  g_autoptr (TallyClient) client = NULL;
  g_autoptr (TallyAuthResult) auth = NULL;
  g_autofree char *first = NULL;
  g_autofree char *reuse = NULL;
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;
  g_autoptr (GError) error = NULL;

  reset_server ();
  tally_demo_server_set_access_lifetime (demo.server, 1234);
  client = new_client ();
  auth = login (client);

  /* login answers the pair and the lifetime */
  g_assert_true (g_str_has_prefix (tally_auth_result_get_refresh_token (auth), "rt_"));
  g_assert_cmpuint (strlen (tally_auth_result_get_refresh_token (auth)), ==, 3 + 32);
  g_assert_cmpint (tally_auth_result_get_expires_in (auth), ==, 1234);
  g_assert_cmpint (tally_client_get_token_expires_at (client), >=, g_get_real_time () / G_USEC_PER_SEC + 1234 - 5);
  g_assert_cmpint (tally_client_get_token_expires_at (client), <=, g_get_real_time () / G_USEC_PER_SEC + 1234);
  g_assert_cmpstr (tally_client_get_refresh_token (client), ==, tally_auth_result_get_refresh_token (auth));
  first = g_strdup (tally_auth_result_get_refresh_token (auth));

  /* a refresh rotates both tokens */
  g_assert_true (refresh (client, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tally_client_get_refresh_token (client), !=, first);
  g_assert_true (g_str_has_prefix (tally_client_get_refresh_token (client), "rt_"));
  g_assert_cmpstr (tally_client_get_token (client), !=, tally_auth_result_get_access_token (auth));
  g_assert_cmpuint (count ("/api/v1/auth/refresh"), ==, 1);

  /* the used one is dead */
  body = g_strdup_printf ("{\"refresh_token\":\"%s\"}", first);
  g_assert_cmpuint (raw_post ("/auth/refresh", body, &answer, NULL), ==, 401);
  g_assert_nonnull (strstr (answer, "\"reason\":\"REFRESH_TOKEN_INVALID\""));
  g_clear_pointer (&answer, g_free);
  g_assert_cmpuint (raw_post ("/auth/refresh", "{\"refresh_token\":\"rt_unknown\"}", &answer, NULL), ==, 401);
  g_assert_nonnull (strstr (answer, "\"reason\":\"REFRESH_TOKEN_INVALID\""));
  g_clear_pointer (&answer, g_free);

  /* an expired one */
  tally_demo_server_set_refresh_lifetime (demo.server, 0);
  g_assert_true (refresh (client, &error)); /* issues one that is expired at once */
  g_assert_false (refresh (client, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (tally_error_get_reason (error), ==, "REFRESH_TOKEN_EXPIRED");
  g_assert_cmpstr (error->message, ==, "Your login has expired — log in again");
  /* refused for good: the client dropped it */
  g_assert_null (tally_client_get_refresh_token (client));
  g_clear_error (&error);

  /* logout revokes; it is always 200 */
  reset_server ();
  g_clear_object (&auth);
  auth = login (client);
  g_clear_pointer (&reuse, g_free);
  reuse = g_strdup_printf ("{\"refresh_token\":\"%s\"}", tally_auth_result_get_refresh_token (auth));
  g_assert_cmpuint (raw_post ("/auth/logout", reuse, NULL, NULL), ==, 200);
  g_assert_cmpuint (raw_post ("/auth/logout", "{\"refresh_token\":\"rt_unknown\"}", NULL, NULL), ==, 200);
  g_assert_cmpuint (raw_post ("/auth/refresh", reuse, &answer, NULL), ==, 401);
  g_assert_nonnull (strstr (answer, "REFRESH_TOKEN_INVALID"));

  g_assert_finalize_object (g_steal_pointer (&auth));
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_server_2025 (void)
{
  g_autoptr (TallyClient) client = NULL;
  g_autoptr (TallyAuthResult) auth = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr (GError) error = NULL;

  reset_server ();
  tally_demo_server_set_generation (demo.server, TALLY_DEMO_GENERATION_2025);
  client = new_client ();
  auth = login (client);
  g_assert_null (tally_auth_result_get_refresh_token (auth));
  g_assert_cmpint (tally_auth_result_get_expires_in (auth), ==, -1);
  g_assert_null (tally_client_get_refresh_token (client));

  /* neither route exists: gin's plain-text 404 */
  g_assert_cmpuint (raw_post ("/auth/refresh", "{\"refresh_token\":\"rt_x\"}", &answer, &content_type), ==, 404);
  g_assert_cmpstr (answer, ==, "404 page not found");
  g_assert_cmpstr (content_type, ==, "text/plain");
  g_clear_pointer (&answer, g_free);
  g_assert_cmpuint (raw_post ("/auth/logout", "{}", &answer, NULL), ==, 404);

  /* the client has nothing to renew with; an expired token ends the login as before */
  g_assert_false (refresh (client, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  tally_demo_server_expire_access_tokens (demo.server);
  tally_demo_server_reset_request_counts (demo.server);
  g_assert_null (get_me (client, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (tally_error_get_reason (error), ==, "TOKEN_EXPIRED");
  g_assert_cmpuint (count ("/api/v1/auth/refresh"), ==, 0);
  g_assert_cmpuint (count ("/api/v1/auth/me"), ==, 1);

  reset_server ();
  g_assert_finalize_object (g_steal_pointer (&auth));
  g_assert_finalize_object (g_steal_pointer (&client));
}

/* ------------------------------------------------------------------------ */
/* The client                                                               */

/* A token known to be due is renewed before the call: no 401 round trip. */
static void
test_refresh_before_expiry (void)
{
  g_autoptr (TallyClient) client = new_client ();
  g_autoptr (TallyAuthResult) auth = NULL;
  g_autoptr (TallyUser) me = NULL;
  g_autoptr (GError) error = NULL;
  guint changes = 0;

  reset_server ();
  g_signal_connect (client, "tokens-changed", G_CALLBACK (count_signal_cb), &changes);
  tally_demo_server_set_access_lifetime (demo.server, 0);
  auth = login (client);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpint (tally_client_get_token_expires_at (client), <=, g_get_real_time () / G_USEC_PER_SEC);

  tally_demo_server_set_access_lifetime (demo.server, 3600);
  me = get_me (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (me);
  g_assert_cmpuint (count ("/api/v1/auth/refresh"), ==, 1);
  g_assert_cmpuint (count ("/api/v1/auth/me"), ==, 1);
  g_assert_cmpuint (changes, ==, 2);
  g_assert_cmpint (tally_client_get_token_expires_at (client), >=, g_get_real_time () / G_USEC_PER_SEC + 3590);

  /* anonymous calls never refresh */
  tally_demo_server_set_access_lifetime (demo.server, 0);
  g_assert_true (refresh (client, &error));
  tally_demo_server_reset_request_counts (demo.server);
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (TallyPublicSettings) settings = NULL;
    GAsyncResult *slot = NULL;

    tally_client_get_public_settings_async (client, NULL, tally_test_store_result_cb, &slot);
    result = WAIT (slot);
    settings = tally_client_get_public_settings_finish (client, result, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (count ("/api/v1/auth/refresh"), ==, 0);

  reset_server ();
  g_assert_finalize_object (g_steal_pointer (&me));
  g_assert_finalize_object (g_steal_pointer (&auth));
  g_assert_finalize_object (g_steal_pointer (&client));
}

/* The server says TOKEN_EXPIRED before we thought: refresh once, send again. */
static void
test_refresh_on_token_expired (void)
{
  g_autoptr (TallyClient) client = new_client ();
  g_autoptr (TallyAuthResult) auth = NULL;
  g_autoptr (TallyUser) me = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *old_token = NULL;
  guint changes = 0;

  reset_server ();
  auth = login (client);
  g_signal_connect (client, "tokens-changed", G_CALLBACK (count_signal_cb), &changes);
  old_token = g_strdup (tally_client_get_token (client));

  tally_demo_server_expire_access_tokens (demo.server);
  me = get_me (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (me);
  g_assert_cmpuint (count ("/api/v1/auth/me"), ==, 2);
  g_assert_cmpuint (count ("/api/v1/auth/refresh"), ==, 1);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpstr (tally_client_get_token (client), !=, old_token);

  /* a server that keeps answering TOKEN_EXPIRED: bounded, never a loop */
  tally_demo_server_set_access_lifetime (demo.server, 0);
  tally_demo_server_expire_access_tokens (demo.server);
  tally_demo_server_reset_request_counts (demo.server);
  g_clear_object (&me);
  me = get_me (client, &error);
  g_assert_null (me);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (tally_error_get_reason (error), ==, "TOKEN_EXPIRED");
  g_assert_cmpuint (count ("/api/v1/auth/me"), ==, 2);
  g_assert_cmpuint (count ("/api/v1/auth/refresh"), ==, 1);

  reset_server ();
  g_assert_finalize_object (g_steal_pointer (&auth));
  g_assert_finalize_object (g_steal_pointer (&client));
}

/* N calls that all hit TOKEN_EXPIRED share one refresh, and all succeed. */
static void
test_single_flight (void)
{
  g_autoptr (TallyClient) client = new_client ();
  g_autoptr (TallyAuthResult) auth = NULL;
  g_autoptr (GError) error = NULL;

  reset_server ();
  auth = login (client);

  tally_demo_server_expire_access_tokens (demo.server);
  g_assert_cmpuint (get_me_concurrently (client, N_CONCURRENT, &error), ==, N_CONCURRENT);
  g_assert_no_error (error);
  g_assert_cmpuint (count ("/api/v1/auth/refresh"), ==, 1);
  g_assert_cmpuint (count ("/api/v1/auth/me"), ==, 2 * N_CONCURRENT);

  /* the same with a token we know is due: one refresh before all of them */
  tally_demo_server_set_access_lifetime (demo.server, 0);
  g_assert_true (refresh (client, &error));
  tally_demo_server_set_access_lifetime (demo.server, 3600);
  tally_demo_server_reset_request_counts (demo.server);
  g_assert_cmpuint (get_me_concurrently (client, N_CONCURRENT, &error), ==, N_CONCURRENT);
  g_assert_no_error (error);
  g_assert_cmpuint (count ("/api/v1/auth/refresh"), ==, 1);
  g_assert_cmpuint (count ("/api/v1/auth/me"), ==, N_CONCURRENT);

  /* a failed refresh fails them all with its error, and is not tried again */
  tally_demo_server_expire_access_tokens (demo.server);
  tally_demo_server_revoke_sessions (demo.server);
  tally_demo_server_reset_request_counts (demo.server);
  g_assert_cmpuint (get_me_concurrently (client, N_CONCURRENT, &error), ==, 0);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (tally_error_get_reason (error), ==, "TOKEN_REVOKED");
  g_assert_cmpstr (error->message, ==, "Your password was changed or the session was revoked — log in again");
  g_assert_true (tally_error_ends_session (error));
  g_assert_cmpuint (count ("/api/v1/auth/refresh"), ==, 1);
  g_assert_null (tally_client_get_refresh_token (client));
  g_clear_error (&error);
  /* later calls say why the login ended (not just "expired") */
  g_assert_null (get_me (client, &error));
  g_assert_cmpstr (tally_error_get_reason (error), ==, "TOKEN_REVOKED");
  g_assert_cmpuint (count ("/api/v1/auth/refresh"), ==, 1);
  g_assert_cmpuint (count ("/api/v1/auth/me"), ==, N_CONCURRENT + 1);

  reset_server ();
  g_assert_finalize_object (g_steal_pointer (&auth));
  g_assert_finalize_object (g_steal_pointer (&client));
}

/* Each way a refresh or a call can end the login, with its sentence. */
static void
test_session_ends (void)
{
  static const struct
  {
    const char *hook;
    TallyError code;
    const char *reason;
    const char *message;
  } cases[] = {
    { "revoked", TALLY_ERROR_UNAUTHORIZED, "TOKEN_REVOKED", "Your password was changed or the session was revoked — log in again" },
    { "network", TALLY_ERROR_UNAUTHORIZED, "SESSION_BINDING_MISMATCH", "The server noticed a change of network or app and ended the session for safety — log in again" },
    { "disabled", TALLY_ERROR_FORBIDDEN, "USER_NOT_ACTIVE", "This account is disabled — contact the site’s administrator" },
    { "admin-only", TALLY_ERROR_FORBIDDEN, "BACKEND_MODE_ADMIN_ONLY", "This site only lets administrators log in" },
    { "refresh-expired", TALLY_ERROR_UNAUTHORIZED, "REFRESH_TOKEN_EXPIRED", "Your login has expired — log in again" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TallyClient) client = new_client ();
      g_autoptr (TallyAuthResult) auth = NULL;
      g_autoptr (GError) error = NULL;

      g_test_message ("%s", cases[i].hook);
      reset_server ();
      if (g_str_equal (cases[i].hook, "refresh-expired"))
        tally_demo_server_set_refresh_lifetime (demo.server, 0);
      auth = login (client);
      tally_demo_server_expire_access_tokens (demo.server);
      if (g_str_equal (cases[i].hook, "revoked"))
        tally_demo_server_revoke_sessions (demo.server);
      else if (g_str_equal (cases[i].hook, "network"))
        tally_demo_server_change_network (demo.server);
      else if (g_str_equal (cases[i].hook, "disabled"))
        tally_demo_server_set_user_active (demo.server, FALSE);
      else if (g_str_equal (cases[i].hook, "admin-only"))
        tally_demo_server_set_admin_only (demo.server, TRUE);

      g_assert_null (get_me (client, &error));
      g_assert_error (error, TALLY_ERROR, (int) cases[i].code);
      g_assert_cmpstr (tally_error_get_reason (error), ==, cases[i].reason);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_true (tally_error_ends_session (error));
      g_assert_true (tally_error_has_session_sentence (error));
      g_assert_cmpuint (count ("/api/v1/auth/refresh"), ==, 1);
      g_assert_null (tally_client_get_refresh_token (client));

      g_assert_finalize_object (g_steal_pointer (&auth));
      g_assert_finalize_object (g_steal_pointer (&client));
    }

  /* a change of network seen on a call (not on a refresh) ends it too */
  {
    g_autoptr (TallyClient) client = new_client ();
    g_autoptr (TallyAuthResult) auth = NULL;
    g_autoptr (GError) error = NULL;

    reset_server ();
    auth = login (client);
    tally_demo_server_change_network (demo.server);
    g_assert_null (get_me (client, &error));
    g_assert_cmpstr (tally_error_get_reason (error), ==, "SESSION_BINDING_MISMATCH");
    g_assert_cmpuint (count ("/api/v1/auth/refresh"), ==, 0);
    g_clear_error (&error);
    /* and the login is revoked with it */
    g_assert_false (refresh (client, &error));
    g_assert_cmpstr (tally_error_get_reason (error), ==, "TOKEN_REVOKED");

    g_assert_finalize_object (g_steal_pointer (&auth));
    g_assert_finalize_object (g_steal_pointer (&client));
  }

  reset_server ();
}

/* -- two processes sharing one stored login -------------------------------- */

typedef struct
{
  TallyAccount *stored; /* what the "keyring" holds */
  guint reloads;
} Keyring;

static void
store_pair_cb (TallyClient *client,
               Keyring *keyring)
{
  g_clear_pointer (&keyring->stored, tally_account_free);
  keyring->stored = tally_account_new_full (tally_client_get_base_url (client), "", tally_client_get_token (client),
                                            tally_client_get_refresh_token (client),
                                            tally_client_get_token_expires_at (client));
}

static void
reload_from_keyring (TallyClient *client,
                     GTask *task,
                     gpointer user_data)
{
  Keyring *keyring = user_data;

  keyring->reloads++;
  g_task_return_pointer (task, keyring->stored != NULL ? tally_account_copy (keyring->stored) : NULL,
                         (GDestroyNotify) tally_account_free);
}

static void
test_two_processes (void)
{
  g_autoptr (TallyClient) window = new_client ();
  g_autoptr (TallyClient) cron = new_client ();
  g_autoptr (TallyAuthResult) auth = NULL;
  g_autoptr (TallyUser) me = NULL;
  g_autoptr (GError) error = NULL;
  Keyring keyring = { NULL, 0 };

  reset_server ();
  g_signal_connect (window, "tokens-changed", G_CALLBACK (store_pair_cb), &keyring);
  g_signal_connect (cron, "tokens-changed", G_CALLBACK (store_pair_cb), &keyring);
  tally_client_set_reload_func (cron, reload_from_keyring, &keyring, NULL);

  /* the window logs in and stores; cron starts from the stored pair */
  auth = login (window);
  g_assert_nonnull (keyring.stored);
  tally_client_set_tokens (cron, keyring.stored->token, keyring.stored->refresh_token, keyring.stored->expires_at);

  /* the window rotates the pair (and stores it): cron's refresh token is stale */
  tally_demo_server_expire_access_tokens (demo.server);
  me = get_me (window, &error);
  g_assert_no_error (error);
  g_clear_object (&me);
  g_assert_cmpstr (keyring.stored->refresh_token, ==, tally_client_get_refresh_token (window));
  g_assert_cmpstr (tally_client_get_refresh_token (cron), !=, tally_client_get_refresh_token (window));

  /* cron: TOKEN_EXPIRED → refresh refused (stale) → re-read once → the window's pair works */
  tally_demo_server_reset_request_counts (demo.server);
  me = get_me (cron, &error);
  g_assert_no_error (error);
  g_assert_nonnull (me);
  g_assert_cmpuint (keyring.reloads, ==, 1);
  g_assert_cmpuint (count ("/api/v1/auth/refresh"), ==, 1);
  g_assert_cmpuint (count ("/api/v1/auth/me"), ==, 2);
  g_assert_cmpstr (tally_client_get_refresh_token (cron), ==, tally_client_get_refresh_token (window));
  g_assert_cmpstr (tally_client_get_token (cron), ==, tally_client_get_token (window));
  g_clear_object (&me);

  /* when the stored pair is the refused one too, it gives up (once) */
  tally_client_set_tokens (cron, tally_client_get_token (cron), "rt_stale", 0);
  g_clear_pointer (&keyring.stored, tally_account_free);
  keyring.stored = tally_account_new_full (tally_client_get_base_url (cron), "", tally_client_get_token (cron), "rt_stale", 0);
  keyring.reloads = 0;
  tally_demo_server_expire_access_tokens (demo.server);
  tally_demo_server_reset_request_counts (demo.server);
  g_assert_null (get_me (cron, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (tally_error_get_reason (error), ==, "REFRESH_TOKEN_INVALID");
  g_assert_cmpuint (keyring.reloads, ==, 1);
  g_assert_cmpuint (count ("/api/v1/auth/refresh"), ==, 1);
  g_clear_error (&error);

  /* without the seam a stale token fails at once */
  g_signal_handlers_disconnect_by_data (window, &keyring);
  g_clear_object (&auth);
  auth = login (window);
  tally_client_set_reload_func (cron, NULL, NULL, NULL);
  tally_client_set_tokens (cron, tally_client_get_token (window), tally_client_get_refresh_token (window), 0);
  g_assert_true (refresh (window, &error));
  g_assert_false (refresh (cron, &error));
  g_assert_cmpstr (tally_error_get_reason (error), ==, "REFRESH_TOKEN_INVALID");

  g_clear_pointer (&keyring.stored, tally_account_free);
  reset_server ();
  g_assert_finalize_object (g_steal_pointer (&auth));
  g_assert_finalize_object (g_steal_pointer (&window));
  g_assert_finalize_object (g_steal_pointer (&cron));
}

static void
test_logout (void)
{
  g_autoptr (TallyClient) client = new_client ();
  g_autoptr (TallyClient) other = new_client ();
  g_autoptr (TallyAuthResult) auth = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *refresh_token = NULL;
  GAsyncResult *slot = NULL;

  reset_server ();
  auth = login (client);
  refresh_token = g_strdup (tally_client_get_refresh_token (client));

  tally_client_logout_async (client, NULL, tally_test_store_result_cb, &slot);
  /* forgotten at once, before the server answered */
  g_assert_null (tally_client_get_token (client));
  g_assert_null (tally_client_get_refresh_token (client));
  result = WAIT (slot);
  g_assert_true (tally_client_logout_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count ("/api/v1/auth/logout"), ==, 1);

  /* revoked on the server */
  tally_client_set_tokens (other, tally_auth_result_get_access_token (auth), refresh_token, 0);
  g_assert_false (refresh (other, &error));
  g_assert_cmpstr (tally_error_get_reason (error), ==, "REFRESH_TOKEN_INVALID");
  g_clear_error (&error);

  /* nothing to revoke: no request */
  g_clear_object (&result);
  tally_client_logout_async (client, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  g_assert_true (tally_client_logout_finish (client, result, &error));
  g_assert_cmpuint (count ("/api/v1/auth/logout"), ==, 1);
  g_clear_object (&result);

  reset_server ();
  g_assert_finalize_object (g_steal_pointer (&auth));
  g_assert_finalize_object (g_steal_pointer (&client));
  g_assert_finalize_object (g_steal_pointer (&other));
}

/* The product's demo: access tokens of ten minutes, TALLY_DEMO_ACCESS_SECONDS
 * changes that; a plain server keeps 24 h. */
static void
test_demo_lifetime (void)
{
  static const struct
  {
    const char *env;
    gint64 expires_in;
  } cases[] = {
    { NULL, 600 },
    { "90", 90 },
    { "", 600 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TallyDemoServer) product = NULL;
      g_autoptr (TallyClient) client = NULL;
      g_autoptr (TallyAuthResult) auth = NULL;
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (GError) error = NULL;
      GAsyncResult *slot = NULL;

      if (cases[i].env != NULL)
        g_setenv ("TALLY_DEMO_ACCESS_SECONDS", cases[i].env, TRUE);
      else
        g_unsetenv ("TALLY_DEMO_ACCESS_SECONDS");
      g_unsetenv ("TALLY_DEMO_GENERATION");
      product = tally_demo_server_new_from_environment ();
      g_object_set (product, "rows", 100, "days", 5, NULL);
      g_assert_true (tally_demo_server_start (product, &error));
      client = tally_client_new (tally_demo_server_get_url (product), &error);
      tally_client_login_async (client, tally_demo_server_get_email (product), tally_demo_server_get_password (product),
                                NULL, NULL, tally_test_store_result_cb, &slot);
      result = WAIT (slot);
      auth = tally_client_login_finish (client, result, &error);
      g_assert_no_error (error);
      g_assert_cmpint (tally_auth_result_get_expires_in (auth), ==, cases[i].expires_in);
      g_clear_object (&result);
      tally_demo_server_stop (product);
    }
  g_unsetenv ("TALLY_DEMO_ACCESS_SECONDS");

  /* a plain server (the tests'): a day */
  {
    g_autoptr (TallyDemoServer) plain = tally_demo_server_new ();
    g_autoptr (TallyClient) client = NULL;
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (TallyAuthResult) auth = NULL;
    g_autoptr (GError) error = NULL;
    GAsyncResult *slot = NULL;

    g_object_set (plain, "rows", 100, "days", 5, NULL);
    g_assert_true (tally_demo_server_start (plain, &error));
    client = tally_client_new (tally_demo_server_get_url (plain), &error);
    tally_client_login_async (client, tally_demo_server_get_email (plain), tally_demo_server_get_password (plain),
                              NULL, NULL, tally_test_store_result_cb, &slot);
    result = WAIT (slot);
    auth = tally_client_login_finish (client, result, &error);
    g_assert_no_error (error);
    g_assert_cmpint (tally_auth_result_get_expires_in (auth), ==, 24 * 3600);
    g_clear_object (&result);
    tally_demo_server_stop (plain);
  }
}

int
main (int argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  tally_test_demo_start (&demo, "rows", 200, "days", 10, NULL);

  g_test_add_func ("/auth/server/rotation", test_server_rotation);
  g_test_add_func ("/auth/server/2025", test_server_2025);
  g_test_add_func ("/auth/refresh-before-expiry", test_refresh_before_expiry);
  g_test_add_func ("/auth/refresh-on-token-expired", test_refresh_on_token_expired);
  g_test_add_func ("/auth/single-flight", test_single_flight);
  g_test_add_func ("/auth/session-ends", test_session_ends);
  g_test_add_func ("/auth/two-processes", test_two_processes);
  g_test_add_func ("/auth/logout", test_logout);
  g_test_add_func ("/auth/demo-lifetime", test_demo_lifetime);

  ret = g_test_run ();

  tally_test_demo_stop (&demo);
  tally_test_spin (50);

  return ret;
}

/* tally-session-auth.c: logging in (password, 2FA, pasted token, keyring,
 * demo), the token's expiry, the rotated tokens, logging out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-session"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tally-api-key.h"
#include "tally-auth-result.h"
#include "tally-client.h"
#include "tally-credentials-private.h"
#include "tally-credentials.h"
#include "tally-dashboard-stats.h"
#include "tally-demo-backend.h"
#include "tally-error.h"
#include "tally-page.h"
#include "tally-public-settings.h"
#include "tally-server-zone.h"
#include "tally-session-private.h"
#include "tally-session.h"
#include "tally-trend.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-user.h"

/* The re-login prompt comes this long before the token's "exp". */
#define EXPIRY_WARNING_SECONDS 600

typedef struct
{
  GCancellable *caller;
  gulong caller_handler;
  char *email;
  char *token;
  TallyAccount *account;
} AuthData;

static void
auth_data_free (gpointer data)
{
  AuthData *auth = data;

  if (auth->caller != NULL)
    {
      g_cancellable_disconnect (auth->caller, auth->caller_handler);
      g_clear_object (&auth->caller);
    }
  g_clear_pointer (&auth->email, g_free);
  if (auth->token != NULL)
    {
      memset (auth->token, 0, strlen (auth->token));
      g_clear_pointer (&auth->token, g_free);
    }
  g_clear_pointer (&auth->account, tally_account_free);
  g_free (auth);
}

static void
cancel_cancellable_cb (GCancellable *cancellable,
                       gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* Cancel-and-replace for login operations: the new operation's cancellable
 * also follows the caller's. */
static GTask *
auth_task_new (TallySession *self,
               GCancellable *caller,
               GAsyncReadyCallback callback,
               gpointer user_data,
               gpointer source_tag)
{
  g_autoptr (GTask) task = NULL;
  AuthData *auth;

  g_assert (TALLY_IS_SESSION (self));

  if (self->auth_cancellable != NULL)
    g_cancellable_cancel (self->auth_cancellable);
  g_clear_object (&self->auth_cancellable);
  self->auth_cancellable = g_cancellable_new ();

  task = g_task_new (self, self->auth_cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  auth = g_new0 (AuthData, 1);
  if (caller != NULL)
    {
      auth->caller = g_object_ref (caller);
      auth->caller_handler = g_cancellable_connect (caller,
                                                    G_CALLBACK (cancel_cancellable_cb),
                                                    g_object_ref (self->auth_cancellable),
                                                    g_object_unref);
    }
  g_task_set_task_data (task, auth, auth_data_free);

  return g_steal_pointer (&task);
}

static gboolean
auth_task_is_current (TallySession *self,
                      GTask *task)
{
  return self->auth_cancellable != NULL && g_task_get_cancellable (task) == self->auth_cancellable;
}

/* Removes the server's token from the keyring, after any write in flight. */
static void
forget_credentials (TallySession *self)
{
  g_assert (TALLY_IS_SESSION (self));

  tally_credentials_queue_clear (self->credentials, self->server_url);
}

void
_tally_session_clear_expiry (TallySession *self)
{
  g_assert (TALLY_IS_SESSION (self));

  g_clear_handle_id (&self->expiry_source, g_source_remove);
  if (self->renew_cancellable != NULL)
    g_cancellable_cancel (self->renew_cancellable);
  g_clear_object (&self->renew_cancellable);
  self->renewed_expiry = 0;
  _tally_session_set_token_expiry (self, 0);
  _tally_session_set_expires_soon (self, FALSE);
}

static void
renew_demo_cb (GObject *object,
               GAsyncResult *result,
               gpointer user_data)
{
  g_autoptr (TallySession) self = user_data;
  g_autoptr (TallyAuthResult) auth_result = NULL;
  g_autoptr (GError) error = NULL;

  auth_result = tally_client_login_finish (TALLY_CLIENT (object), result, &error);
  if (tally_error_is_cancelled (error))
    return;

  g_clear_object (&self->renew_cancellable);

  /* A failure is not shown: a 401 will return to the login page. */
  if (auth_result == NULL)
    {
      g_debug ("Could not renew the demo login: %s", error != NULL ? error->message : "no token");
      return;
    }

  /* Never loop on a server that only issues short tokens: the new token is
   * not renewed again. */
  self->renewed_expiry = tally_token_get_expiry (tally_client_get_token (TALLY_CLIENT (object)));
  _tally_session_schedule_expiry (self);
}

/* The demo logs in again by itself; anything else asks the user. */
static gboolean
expiry_due_cb (gpointer user_data)
{
  TallySession *self = user_data;

  self->expiry_source = 0;

  /* With a refresh token the client renews the access token by itself. */
  if (self->client != NULL && tally_client_get_refresh_token (self->client) != NULL)
    {
      _tally_session_set_expires_soon (self, FALSE);
      return G_SOURCE_REMOVE;
    }

  if (self->demo && self->demo_server != NULL && self->client != NULL)
    {
      if (self->renew_cancellable == NULL && self->renewed_expiry != self->token_expiry)
        {
          self->renewed_expiry = self->token_expiry;
          self->renew_cancellable = g_cancellable_new ();
          tally_client_login_async (self->client,
                                    tally_demo_backend_get_email (self->demo_server),
                                    tally_demo_backend_get_password (self->demo_server),
                                    NULL,
                                    self->renew_cancellable,
                                    renew_demo_cb,
                                    g_object_ref (self));
        }
    }
  else
    _tally_session_set_expires_soon (self, TRUE);

  return G_SOURCE_REMOVE;
}

/* Reads "exp" from the token in use and arms the warning timer, comparing
 * with the server's clock (the Date header) rather than ours. */
void
_tally_session_schedule_expiry (TallySession *self)
{
  const char *token;
  gint64 expiry = 0;
  gint64 server_now;
  gint64 warn_in;

  g_assert (TALLY_IS_SESSION (self));

  g_clear_handle_id (&self->expiry_source, g_source_remove);

  token = self->client != NULL ? tally_client_get_token (self->client) : NULL;
  if (token != NULL)
    expiry = tally_token_get_expiry (token);

  _tally_session_set_token_expiry (self, MAX (expiry, 0));

  if (expiry <= 0)
    {
      _tally_session_set_expires_soon (self, FALSE);
      return;
    }

  server_now = g_get_real_time () / G_USEC_PER_SEC + tally_client_get_clock_skew (self->client);
  warn_in = expiry - EXPIRY_WARNING_SECONDS - server_now;

  if (warn_in > 0)
    {
      _tally_session_set_expires_soon (self, FALSE);
      self->expiry_source = g_timeout_add_seconds ((guint) MIN (warn_in, G_MAXUINT / 2),
                                                   expiry_due_cb, self);
      return;
    }

  /* Already within the window. */
  expiry_due_cb (self);
}

void
_tally_session_expire (TallySession *self,
                       const GError *error)
{
  g_assert (TALLY_IS_SESSION (self));

  _tally_session_cancel_load (self);
  _tally_session_clear_expiry (self);

  if (self->client != NULL)
    tally_client_set_token (self->client, NULL);

  if (!self->demo && !self->token_from_env && self->server_url != NULL)
    forget_credentials (self);

  self->token_from_env = FALSE;
  _tally_session_set_state (self, TALLY_SESSION_STATE_LOGGED_OUT);
  /* revoked, disabled, moved, …: say why */
  if (tally_error_has_session_sentence (error))
    _tally_session_set_last_error (self, error->message);
  else
    _tally_session_set_last_error (self, _ ("Your session has expired. Please log in again."));
}

static void
store_credentials (TallySession *self,
                   const char *email)
{
  g_autoptr (TallyAccount) account = NULL;
  const char *token;

  g_assert (TALLY_IS_SESSION (self));

  if (self->demo || self->token_from_env || self->client == NULL || self->server_url == NULL)
    return;

  token = tally_client_get_token (self->client);
  if (token == NULL || token[0] == '\0')
    return;

  account = tally_account_new_full (self->server_url, email, token,
                                    tally_client_get_refresh_token (self->client),
                                    tally_client_get_token_expires_at (self->client));
  tally_credentials_queue_store (self->credentials, account);
}

/* Called by every login path when a result arrives: common failure handling.
 * Returns TRUE if the task was completed. */
static gboolean
auth_failed (TallySession *self,
             GTask *task,
             GError *error)
{
  g_assert (TALLY_IS_SESSION (self));
  g_assert (error != NULL);

  if (auth_task_is_current (self, task))
    {
      g_clear_object (&self->auth_cancellable);
      if (self->state == TALLY_SESSION_STATE_LOGGING_IN)
        _tally_session_set_state (self, TALLY_SESSION_STATE_LOGGED_OUT);
    }

  g_task_return_error (task, error);
  return TRUE;
}

static void
auth_succeeded (TallySession *self,
                GTask *task)
{
  AuthData *auth = g_task_get_task_data (task);

  g_assert (TALLY_IS_SESSION (self));

  if (auth_task_is_current (self, task))
    g_clear_object (&self->auth_cancellable);

  store_credentials (self, auth->email);
  _tally_session_begin_loading (self, task);
}

/* Shared by both login steps: a token goes on to loading; anything else fails
 * the login. @no_token is the error for an answer without an access token. */
static void
complete_login (GTask *task,
                TallyAuthResult *auth_result,
                GError *error,
                GError *no_token)
{
  TallySession *self = g_task_get_source_object (task);

  if (error == NULL && g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");

  if (error == NULL && (auth_result == NULL || tally_auth_result_get_access_token (auth_result) == NULL))
    error = g_steal_pointer (&no_token);

  g_clear_error (&no_token);

  if (error != NULL)
    {
      auth_failed (self, task, error);
      return;
    }

  auth_succeeded (self, task);
}

/* The login result is either a token, or a 2FA challenge (an error). */
static void
login_cb (GObject *object,
          GAsyncResult *result,
          gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (TallyAuthResult) auth_result = NULL;
  GError *error = NULL;

  auth_result = tally_client_login_finish (TALLY_CLIENT (object), result, &error);
  complete_login (task, auth_result, error,
                  g_error_new_literal (TALLY_ERROR, TALLY_ERROR_TWO_FACTOR_REQUIRED,
                                       _ ("This account uses two-factor authentication. Enter the code from your authenticator app.")));
}

static void
login_2fa_cb (GObject *object,
              GAsyncResult *result,
              gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (TallyAuthResult) auth_result = NULL;
  GError *error = NULL;

  auth_result = tally_client_login_2fa_finish (TALLY_CLIENT (object), result, &error);
  complete_login (task, auth_result, error,
                  g_error_new_literal (TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE,
                                       _ ("The server did not send an access token.")));
}

/* A loaded, validated pasted token: store it under the account's e-mail. */
static void
use_token_loaded_cb (GObject *object,
                     GAsyncResult *result,
                     gpointer user_data)
{
  TallySession *self = TALLY_SESSION (object);
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  store_credentials (self, self->email);
  g_task_return_boolean (task, TRUE);
}

static void
forward_waiter_cb (GObject *object,
                   GAsyncResult *result,
                   gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Starts a session with a token we already have (pasted, TALLY_TOKEN or keyring). */
static void
begin_with_token (TallySession *self,
                  GTask *task,
                  const char *token,
                  const char *refresh_token,
                  gint64 expires_at,
                  gboolean validate)
{
  g_autoptr (GTask) waiter = NULL;

  g_assert (TALLY_IS_SESSION (self));
  g_assert (self->client != NULL);

  if (auth_task_is_current (self, task))
    g_clear_object (&self->auth_cancellable);

  tally_client_set_tokens (self->client, token, refresh_token, expires_at);
  self->validating = !!validate;

  if (validate)
    waiter = g_task_new (self, NULL, use_token_loaded_cb, g_object_ref (task));
  else
    waiter = g_task_new (self, NULL, forward_waiter_cb, g_object_ref (task));
  g_task_set_source_tag (waiter, begin_with_token);

  _tally_session_begin_loading (self, waiter);
}

static void
lookup_cb (GObject *object,
           GAsyncResult *result,
           gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TallySession *self = g_task_get_source_object (task);
  AuthData *auth = g_task_get_task_data (task);
  g_autoptr (TallyAccount) account = NULL;
  g_autoptr (GError) error = NULL;

  account = tally_credentials_lookup_finish (result, &error);

  if (error == NULL && g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");

  if (error != NULL)
    {
      auth_failed (self, task, g_steal_pointer (&error));
      return;
    }

  if (account == NULL || account->token == NULL || account->token[0] == '\0' || account->server_url == NULL || account->server_url[0] == '\0')
    {
      if (auth_task_is_current (self, task))
        {
          g_clear_object (&self->auth_cancellable);
          _tally_session_set_state (self, TALLY_SESSION_STATE_LOGGED_OUT);
        }
      g_task_return_boolean (task, FALSE);
      return;
    }

  if (!tally_session_set_server (self, account->server_url, &error))
    {
      auth_failed (self, task, g_steal_pointer (&error));
      return;
    }

  _tally_session_set_email (self, account->email);

  /* TALLY_TOKEN without a server: the saved server, the environment's token. */
  if (auth->token != NULL)
    {
      _tally_session_set_last_error (self, NULL);
      self->token_from_env = TRUE;
      begin_with_token (self, task, auth->token, NULL, 0, FALSE);
      return;
    }

  begin_with_token (self, task, account->token, account->refresh_token, account->expires_at, FALSE);
}

/* A refresh rotated the pair: store it (a login stores its own). */
static void
tokens_changed_cb (TallySession *self,
                   TallyClient *client)
{
  g_assert (TALLY_IS_SESSION (self));

  if (client != self->client)
    return;

  _tally_session_schedule_expiry (self);
  if (self->state == TALLY_SESSION_STATE_LOADING || self->state == TALLY_SESSION_STATE_READY)
    store_credentials (self, self->email);
}

/* The client's reload func: the keyring, unless this login never goes there. */
static void
reload_tokens (TallyClient *client,
               GTask *task,
               gpointer user_data)
{
  g_autoptr (TallySession) self = g_weak_ref_get (user_data);

  if (self == NULL || self->demo || self->token_from_env || self->client != client)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  tally_credentials_reload_tokens (client, task, NULL);
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

void
_tally_session_watch_tokens (TallySession *self,
                             TallyClient *client)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  tally_client_set_reload_func (client, reload_tokens, ref, (GDestroyNotify) weak_ref_free);
  g_signal_connect_object (client, "tokens-changed", G_CALLBACK (tokens_changed_cb), self, G_CONNECT_SWAPPED);
}

/* Every way of logging in finishes with TRUE once the first load is done. */
static gboolean
login_finish (TallySession *self,
              GAsyncResult *result,
              GError **error)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
start_login (TallySession *self,
             GTask *task,
             const char *email,
             const char *password,
             const char *turnstile_token)
{
  AuthData *auth = g_task_get_task_data (task);

  g_assert (TALLY_IS_SESSION (self));

  if (self->client == NULL)
    {
      auth_failed (self, task,
                   g_error_new_literal (TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                                        _ ("Enter the address of a server first.")));
      return;
    }

  if (g_strcmp0 (email, self->email) != 0)
    _tally_session_clear_data (self);

  _tally_session_cancel_load (self);
  self->validating = FALSE;
  self->token_from_env = FALSE;
  auth->email = g_strdup (email);
  _tally_session_set_email (self, email);
  _tally_session_set_last_error (self, NULL);
  _tally_session_set_state (self, TALLY_SESSION_STATE_LOGGING_IN);

  tally_client_login_async (self->client,
                            email,
                            password,
                            turnstile_token,
                            g_task_get_cancellable (task),
                            login_cb,
                            g_object_ref (task));
}

void
tally_session_login_async (TallySession *self,
                           const char *email,
                           const char *password,
                           const char *turnstile_token,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (TALLY_IS_SESSION (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = auth_task_new (self, cancellable, callback, user_data, tally_session_login_async);
  start_login (self, task, email, password, turnstile_token);
}

gboolean
tally_session_login_finish (TallySession *self,
                            GAsyncResult *result,
                            GError **error)
{
  return login_finish (self, result, error);
}

void
tally_session_login_2fa_async (TallySession *self,
                               const char *totp_code,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  AuthData *auth;
  const char *temp_token;

  g_return_if_fail (TALLY_IS_SESSION (self));
  g_return_if_fail (totp_code != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = auth_task_new (self, cancellable, callback, user_data, tally_session_login_2fa_async);
  auth = g_task_get_task_data (task);

  temp_token = self->client != NULL ? tally_client_get_pending_2fa_token (self->client) : NULL;
  if (temp_token == NULL)
    {
      auth_failed (self, task,
                   g_error_new_literal (TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                                        _ ("The two-factor login has expired. Log in again.")));
      return;
    }

  auth->email = g_strdup (self->email);
  _tally_session_set_state (self, TALLY_SESSION_STATE_LOGGING_IN);

  tally_client_login_2fa_async (self->client,
                                temp_token,
                                totp_code,
                                g_task_get_cancellable (task),
                                login_2fa_cb,
                                g_object_ref (task));
}

gboolean
tally_session_login_2fa_finish (TallySession *self,
                                GAsyncResult *result,
                                GError **error)
{
  return login_finish (self, result, error);
}

void
tally_session_use_token_async (TallySession *self,
                               const char *url,
                               const char *token,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *stripped = NULL;

  g_return_if_fail (TALLY_IS_SESSION (self));
  g_return_if_fail (token != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = auth_task_new (self, cancellable, callback, user_data, tally_session_use_token_async);

  if (url != NULL && !tally_session_set_server (self, url, &error))
    {
      auth_failed (self, task, g_steal_pointer (&error));
      return;
    }

  if (self->client == NULL)
    {
      auth_failed (self, task,
                   g_error_new_literal (TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                                        _ ("Enter the address of a server first.")));
      return;
    }

  /* People paste "Bearer eyJ…" or trailing newlines. */
  stripped = g_strstrip (g_strdup (token));
  if (g_str_has_prefix (stripped, "Bearer "))
    memmove (stripped, stripped + 7, strlen (stripped + 7) + 1);

  if (stripped[0] == '\0')
    {
      auth_failed (self, task,
                   g_error_new_literal (TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                                        _ ("Paste an access token first.")));
      return;
    }

  if (g_str_has_prefix (stripped, "sk-"))
    {
      auth_failed (self, task,
                   g_error_new_literal (TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                                        _ ("This is an API key (sk-…). Tally needs the access token of a panel login instead.")));
      return;
    }

  _tally_session_clear_data (self);
  _tally_session_set_email (self, NULL);
  _tally_session_set_last_error (self, NULL);
  self->token_from_env = FALSE;
  _tally_session_set_state (self, TALLY_SESSION_STATE_LOGGING_IN);
  begin_with_token (self, task, stripped, NULL, 0, TRUE);
}

gboolean
tally_session_use_token_finish (TallySession *self,
                                GAsyncResult *result,
                                GError **error)
{
  return login_finish (self, result, error);
}

void
tally_session_restore_async (TallySession *self,
                             const char *server_url,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (TallyAccount) account = NULL;
  g_autoptr (GError) error = NULL;

  g_return_if_fail (TALLY_IS_SESSION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = auth_task_new (self, cancellable, callback, user_data, tally_session_restore_async);

  /* TALLY_TOKEN overrides the keyring. */
  account = tally_account_from_environment (server_url);
  if (account != NULL && account->server_url != NULL && account->server_url[0] != '\0')
    {
      if (!tally_session_set_server (self, account->server_url, &error))
        {
          auth_failed (self, task, g_steal_pointer (&error));
          return;
        }

      _tally_session_set_last_error (self, NULL);
      self->token_from_env = TRUE;
      _tally_session_set_state (self, TALLY_SESSION_STATE_LOGGING_IN);
      begin_with_token (self, task, account->token, NULL, 0, FALSE);
      return;
    }

  if (account != NULL)
    {
      AuthData *auth = g_task_get_task_data (task);

      auth->token = g_strdup (account->token);
    }

  _tally_session_set_state (self, TALLY_SESSION_STATE_LOGGING_IN);
  tally_credentials_lookup_async (server_url,
                                  g_task_get_cancellable (task),
                                  lookup_cb,
                                  g_object_ref (task));
}

gboolean
tally_session_restore_finish (TallySession *self,
                              GAsyncResult *result,
                              GError **error)
{
  return login_finish (self, result, error);
}

void
tally_session_start_demo_async (TallySession *self,
                                TallyDemoBackend *demo,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;

  g_return_if_fail (TALLY_IS_SESSION (self));
  g_return_if_fail (TALLY_IS_DEMO_BACKEND (demo));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = auth_task_new (self, cancellable, callback, user_data, tally_session_start_demo_async);

  if (self->demo_server == NULL)
    {
      if (!tally_demo_backend_start (demo, &error))
        {
          auth_failed (self, task, g_steal_pointer (&error));
          return;
        }

      self->demo_server = g_object_ref (demo);
    }

  if (!tally_session_set_server (self, tally_demo_backend_get_url (self->demo_server), &error))
    {
      auth_failed (self, task, g_steal_pointer (&error));
      return;
    }

  _tally_session_set_demo (self, TRUE);
  start_login (self, task,
               tally_demo_backend_get_email (self->demo_server),
               tally_demo_backend_get_password (self->demo_server),
               NULL);
}

gboolean
tally_session_start_demo_finish (TallySession *self,
                                 GAsyncResult *result,
                                 GError **error)
{
  return login_finish (self, result, error);
}

static void
logout_revoked_cb (GObject *object,
                   GAsyncResult *result,
                   gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!tally_client_logout_finish (TALLY_CLIENT (object), result, &error))
    g_debug ("Could not end the session on the server: %s", error->message);
}

void
tally_session_logout (TallySession *self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (TALLY_IS_SESSION (self));

  _tally_session_cancel_load (self);
  _tally_session_clear_expiry (self);
  if (self->auth_cancellable != NULL)
    g_cancellable_cancel (self->auth_cancellable);
  g_clear_object (&self->auth_cancellable);

  g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  _tally_session_complete_waiters (self, error);

  if (!self->demo && !self->token_from_env && self->server_url != NULL)
    forget_credentials (self);

  /* Revoke the refresh token on the server; nothing here waits for it. */
  if (self->client != NULL && !self->demo && tally_client_get_refresh_token (self->client) != NULL)
    tally_client_logout_async (self->client, NULL, logout_revoked_cb, NULL);

  if (self->client != NULL)
    tally_client_set_token (self->client, NULL);

  self->validating = FALSE;
  self->token_from_env = FALSE;

  _tally_session_clear_data (self);
  _tally_session_set_last_error (self, NULL);

  if (self->demo)
    {
      /* The demo is gone with its login: the next login starts from scratch. */
      _tally_session_drop_demo_server (self);
      _tally_session_forget_server (self);
      _tally_session_set_email (self, NULL);
    }

  _tally_session_set_state (self, TALLY_SESSION_STATE_LOGGED_OUT);
}

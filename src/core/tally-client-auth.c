/* tally-client-auth.c: refresh tokens and logout (today's servers, API-2026.md §3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one hook in the send path is _tally_client_auth_intercept() at the top
 * of _tally_client_send(): an authenticated request is wrapped in an outer task
 * (AuthCall) that sends a copy of it (auth_handled set, so it goes out as is),
 * and on 401 TOKEN_EXPIRED waits for the single refresh and sends it once
 * more. A request whose token is due waits for the refresh first.
 */

#define G_LOG_DOMAIN "tally-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tally-client-private.h"
#include "tally-client.h"
#include "tally-credentials.h"
#include "tally-envelope-private.h"
#include "tally-error.h"
#include "tally-models-private.h"
#include "tally-scheduler-private.h"
#include "tally-usage-query.h"

#define REFRESH_MARGIN_SECONDS 60
#define LOGOUT_TIMEOUT_SECONDS 5

struct _ClientAuth
{
  char *refresh_token; /* NULL: no refresh (S, TALLY_TOKEN, pasted token) */
  gint64 expires_at;   /* the access token's expiry, our clock; 0 = unknown */
  gint64 margin;       /* refresh this many seconds before expires_at */
  guint serial;        /* bumped on every change of the access token */

  /* single flight: GTask* waiting for the refresh in flight; NULL = none runs */
  GPtrArray *waiters;
  GError *ended; /* why the last refresh ended the login, until new tokens come */

  TallyClientReloadFunc reload_func;
  gpointer reload_data;
  GDestroyNotify reload_destroy;
};

enum
{
  TOKENS_CHANGED,
  N_AUTH_SIGNALS
};

static guint auth_signals[N_AUTH_SIGNALS];

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

ClientAuth *
_tally_client_auth_new (void)
{
  return g_new0 (ClientAuth, 1);
}

void
_tally_client_auth_free (ClientAuth *auth)
{
  /* every waiter holds a reference to the client: none is left here */
  g_assert (auth->waiters == NULL || auth->waiters->len == 0);

  g_clear_pointer (&auth->waiters, g_ptr_array_unref);
  g_clear_error (&auth->ended);
  wipe_free (auth->refresh_token);
  if (auth->reload_destroy != NULL)
    auth->reload_destroy (auth->reload_data);
  g_free (auth);
}

void
_tally_client_auth_class_init (GObjectClass *object_class)
{
  /* A login or a refresh gave a new token pair: store it. */
  auth_signals[TOKENS_CHANGED] = g_signal_new ("tokens-changed",
                                               G_TYPE_FROM_CLASS (object_class),
                                               G_SIGNAL_RUN_LAST,
                                               0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 0);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* @expires_at of our clock (0 = from the JWT's "exp" and the server's clock) */
static void
auth_set_expiry (TallyClient *self,
                 gint64 expires_at)
{
  ClientAuth *auth = self->auth;

  if (expires_at <= 0 && self->token != NULL)
    {
      gint64 exp = tally_token_get_expiry (self->token);

      expires_at = exp > 0 ? exp - self->clock_skew : 0;
    }

  auth->expires_at = MAX (expires_at, 0);
  auth->margin = auth->expires_at > 0 ? CLAMP ((auth->expires_at - now_seconds ()) / 10, 0, REFRESH_MARGIN_SECONDS) : 0;
}

static void
auth_set_refresh_token (ClientAuth *auth,
                        const char *refresh_token)
{
  wipe_free (auth->refresh_token);
  auth->refresh_token = (refresh_token != NULL && refresh_token[0] != '\0') ? g_strdup (refresh_token) : NULL;
}

/* tally_client_set_token(): a token from elsewhere has no refresh token */
void
_tally_client_auth_token_replaced (TallyClient *self)
{
  g_clear_error (&self->auth->ended);
  self->auth->serial++;
  auth_set_refresh_token (self->auth, NULL);
  auth_set_expiry (self, 0);
}

/* Sets both tokens (and the expiry) without dropping the refresh token. */
static void
auth_set_pair (TallyClient *self,
               const char *token,
               const char *refresh_token,
               gint64 expires_at)
{
  if (g_strcmp0 (self->token, token) != 0)
    {
      wipe_free (self->token);
      self->token = g_strdup (token);
      self->auth->serial++;
      g_clear_error (&self->auth->ended);
      _tally_client_notify_token (self);
    }
  auth_set_refresh_token (self->auth, refresh_token);
  auth_set_expiry (self, expires_at);
}

/* complete_auth(): the login's token is set; add the refresh token and lifetime */
void
_tally_client_auth_logged_in (TallyClient *self,
                              TallyAuthResult *result)
{
  gint64 expires_in = tally_auth_result_get_expires_in (result);

  auth_set_refresh_token (self->auth, tally_auth_result_get_refresh_token (result));
  auth_set_expiry (self, expires_in >= 0 ? now_seconds () + expires_in : 0);
  g_signal_emit (self, auth_signals[TOKENS_CHANGED], 0);
}

static gboolean
auth_refresh_due (TallyClient *self)
{
  ClientAuth *auth = self->auth;

  return auth->refresh_token != NULL && auth->expires_at > 0 && now_seconds () >= auth->expires_at - auth->margin;
}

static gboolean
is_token_expired (const GError *error)
{
  return g_error_matches (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED) && g_strcmp0 (tally_error_get_reason (error), "TOKEN_EXPIRED") == 0;
}

/* -- one authenticated call ---------------------------------------------- */

typedef struct
{
  Request request; /* the copy that is sent; points into the fields below */
  char *path;
  char *query;
  JsonNode *body;
  guint serial; /* the access token it was sent with */
  gboolean resent;
} AuthCall;

static void
auth_call_free (AuthCall *call)
{
  g_free (call->path);
  g_free (call->query);
  g_clear_pointer (&call->body, json_node_unref);
  g_free (call);
}

static AuthCall *
auth_call_new (const Request *request)
{
  AuthCall *call = g_new0 (AuthCall, 1);

  call->request = *request;
  call->path = g_strdup (request->path);
  call->query = g_strdup (request->query);
  call->body = request->body != NULL ? json_node_copy (request->body) : NULL;
  call->request.path = call->path;
  call->request.query = call->query;
  call->request.body = call->body;
  call->request.auth_handled = TRUE;

  return call;
}

static void auth_call_send (TallyClient *self,
                            GTask *task);
static void auth_wait_for_refresh (TallyClient *self,
                                   GTask *task);

static void
auth_call_sent_cb (GObject *object,
                   GAsyncResult *result,
                   gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TallyClient *self = g_task_get_source_object (task);
  AuthCall *call = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  gpointer value;

  g_assert (TALLY_IS_CLIENT (self));

  value = g_task_propagate_pointer (G_TASK (result), &error);
  if (value != NULL)
    {
      g_task_return_pointer (task, value, g_object_unref);
      return;
    }

  /* Once per call, and only with a refresh token: never loop. */
  if (is_token_expired (error) && !call->resent && self->auth->refresh_token != NULL && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      call->resent = TRUE;
      if (call->serial != self->auth->serial)
        /* another call refreshed meanwhile: the new token is there */
        auth_call_send (self, task);
      else
        auth_wait_for_refresh (self, task);
      return;
    }

  if (is_token_expired (error) && self->auth->ended != NULL)
    {
      g_task_return_error (task, g_error_copy (self->auth->ended));
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

static void
auth_call_send (TallyClient *self,
                GTask *task)
{
  AuthCall *call = g_task_get_task_data (task);

  call->serial = self->auth->serial;
  _tally_client_send (self, &call->request, g_task_get_cancellable (task), auth_call_sent_cb, g_object_ref (task));
}

gboolean
_tally_client_auth_intercept (TallyClient *self,
                              const Request *request,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  if (request->anonymous || request->auth_handled)
    return FALSE;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, request->source_tag);
  g_task_set_task_data (task, auth_call_new (request), (GDestroyNotify) auth_call_free);

  if (auth_refresh_due (self))
    auth_wait_for_refresh (self, task);
  else
    auth_call_send (self, task);

  return TRUE;
}

/* -- the single refresh -------------------------------------------------- */

typedef struct
{
  char *used;        /* the refresh token sent */
  gboolean reloaded; /* the reload func was asked already */
  GError *error;     /* the refusal that made us ask it */
} RefreshRun;

static void
refresh_run_free (RefreshRun *run)
{
  wipe_free (run->used);
  g_clear_error (&run->error);
  g_free (run);
}

static void auth_send_refresh (TallyClient *self,
                               RefreshRun *run);

/* Completes every waiter: public refreshes with the outcome, calls are sent
 * again (or fail with the refresh's error). */
static void
auth_finish_refresh (TallyClient *self,
                     RefreshRun *run,
                     const GError *error)
{
  g_autoptr (GPtrArray) waiters = g_steal_pointer (&self->auth->waiters);

  refresh_run_free (run);

  /* a refresh token the server refused for good is of no more use; later
   * calls that find the token expired say why the login ended */
  if (error != NULL && tally_error_ends_session (error))
    {
      auth_set_refresh_token (self->auth, NULL);
      g_clear_error (&self->auth->ended);
      self->auth->ended = g_error_copy (error);
    }

  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (g_task_get_source_tag (task) == tally_client_refresh_async)
        {
          if (error != NULL)
            g_task_return_error (task, g_error_copy (error));
          else
            g_task_return_boolean (task, TRUE);
        }
      else if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else if (!g_task_return_error_if_cancelled (task))
        auth_call_send (self, task);
    }
}

static void
auth_reloaded_cb (GObject *object,
                  GAsyncResult *result,
                  gpointer user_data)
{
  TallyClient *self = TALLY_CLIENT (object);
  RefreshRun *run = user_data;
  g_autoptr (TallyAccount) account = NULL;
  g_autoptr (GError) error = NULL;

  account = g_task_propagate_pointer (G_TASK (result), &error);
  if (error != NULL)
    g_debug ("Could not re-read the stored login: %s", error->message);

  if (account == NULL || account->refresh_token == NULL || account->token == NULL || g_strcmp0 (account->refresh_token, run->used) == 0)
    {
      g_autoptr (GError) refused = g_steal_pointer (&run->error);

      auth_finish_refresh (self, run, refused);
      return;
    }

  /* Another process rotated the pair and stored it: take it. */
  auth_set_pair (self, account->token, account->refresh_token, account->expires_at);
  g_clear_error (&run->error);

  if (auth_refresh_due (self))
    auth_send_refresh (self, run);
  else
    auth_finish_refresh (self, run, NULL);
}

static void
auth_refreshed_cb (GObject *object,
                   GAsyncResult *result,
                   gpointer user_data)
{
  TallyClient *self = TALLY_CLIENT (object);
  RefreshRun *run = user_data;
  g_autoptr (TallyAuthResult) answer = NULL;
  g_autoptr (GError) error = NULL;
  const char *access_token = NULL;

  answer = g_task_propagate_pointer (G_TASK (result), &error);
  if (answer != NULL)
    access_token = tally_auth_result_get_access_token (answer);

  if (access_token != NULL && access_token[0] != '\0')
    {
      const char *refresh_token = tally_auth_result_get_refresh_token (answer);
      gint64 expires_in = tally_auth_result_get_expires_in (answer);

      /* a server that does not rotate keeps the old refresh token valid */
      auth_set_pair (self, access_token,
                     refresh_token != NULL ? refresh_token : run->used,
                     expires_in >= 0 ? now_seconds () + expires_in : 0);
      g_signal_emit (self, auth_signals[TOKENS_CHANGED], 0);
      auth_finish_refresh (self, run, NULL);
      return;
    }

  if (error == NULL)
    error = tally_error_new_full (TALLY_ERROR_BAD_RESPONSE, 200, NULL, 0,
                                  _ ("The server renewed the login but sent no access token"));

  if (g_strcmp0 (tally_error_get_reason (error), "REFRESH_TOKEN_INVALID") == 0 && !run->reloaded && self->auth->reload_func != NULL)
    {
      g_autoptr (GTask) reload = g_task_new (self, NULL, auth_reloaded_cb, run);

      run->reloaded = TRUE;
      run->error = g_steal_pointer (&error);
      self->auth->reload_func (self, reload, self->auth->reload_data);
      return;
    }

  auth_finish_refresh (self, run, error);
}

static gpointer
decode_auth_result (JsonNode *data,
                    GError **error)
{
  return _tally_auth_result_new_from_json (data, error);
}

static void
auth_send_refresh (TallyClient *self,
                   RefreshRun *run)
{
  g_autoptr (JsonNode) body = NULL;
  Request request = {
    .method = "POST",
    .path = "/auth/refresh",
    .anonymous = TRUE,
    .decode = decode_auth_result,
    .source_tag = auth_send_refresh,
  };

  g_assert (self->auth->refresh_token != NULL);

  wipe_free (run->used);
  run->used = g_strdup (self->auth->refresh_token);
  body = _tally_client_string_object_body ("refresh_token", run->used, NULL);
  request.body = body;

  /* Not cancellable: one waiter going away must not fail the others; every
   * waiter keeps the client alive. */
  _tally_client_send (self, &request, NULL, auth_refreshed_cb, run);
}

/* Queues @task for the refresh in flight, starting one if none runs. */
static void
auth_wait_for_refresh (TallyClient *self,
                       GTask *task)
{
  ClientAuth *auth = self->auth;

  if (auth->waiters != NULL)
    {
      g_ptr_array_add (auth->waiters, g_object_ref (task));
      return;
    }

  if (auth->refresh_token == NULL)
    {
      /* a refresh just failed for good: nothing to renew with */
      if (g_task_get_source_tag (task) == tally_client_refresh_async)
        g_task_return_new_error (task, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED,
                                 _ ("There is no login to renew — log in again"));
      else
        auth_call_send (self, task);
      return;
    }

  auth->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (auth->waiters, g_object_ref (task));
  auth_send_refresh (self, g_new0 (RefreshRun, 1));
}

/* -- public API ---------------------------------------------------------- */

const char *
tally_client_get_refresh_token (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), NULL);

  return self->auth->refresh_token;
}

gint64
tally_client_get_token_expires_at (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), 0);

  return self->auth->expires_at;
}

void
tally_client_set_tokens (TallyClient *self,
                         const char *token,
                         const char *refresh_token,
                         gint64 expires_at)
{
  g_return_if_fail (TALLY_IS_CLIENT (self));

  auth_set_pair (self, token, token != NULL ? refresh_token : NULL, expires_at);
}

void
tally_client_set_reload_func (TallyClient *self,
                              TallyClientReloadFunc func,
                              gpointer user_data,
                              GDestroyNotify destroy)
{
  ClientAuth *auth;

  g_return_if_fail (TALLY_IS_CLIENT (self));

  auth = self->auth;
  if (auth->reload_destroy != NULL)
    auth->reload_destroy (auth->reload_data);
  auth->reload_func = func;
  auth->reload_data = user_data;
  auth->reload_destroy = destroy;
}

void
tally_client_refresh_async (TallyClient *self,
                            GCancellable *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (TALLY_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_client_refresh_async);

  if (self->auth->refresh_token == NULL && self->auth->waiters == NULL)
    {
      g_task_return_new_error (task, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED,
                               _ ("There is no login to renew — log in again"));
      return;
    }

  auth_wait_for_refresh (self, task);
}

gboolean
tally_client_refresh_finish (TallyClient *self,
                             GAsyncResult *result,
                             GError **error)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tally_client_refresh_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GCancellable *cancellable; /* ours: the caller's or the timer cancels it */
  GCancellable *caller;
  gulong caller_handler;
  guint timer;
  gboolean timed_out;
} LogoutData;

static void
logout_data_free (LogoutData *data)
{
  g_clear_handle_id (&data->timer, g_source_remove);
  if (data->caller != NULL)
    g_cancellable_disconnect (data->caller, data->caller_handler);
  g_clear_object (&data->caller);
  g_clear_object (&data->cancellable);
  g_free (data);
}

static gboolean
logout_timeout_cb (gpointer user_data)
{
  LogoutData *data = user_data;

  data->timer = 0;
  data->timed_out = TRUE;
  g_cancellable_cancel (data->cancellable);

  return G_SOURCE_REMOVE;
}

static void
logout_caller_cancelled_cb (GCancellable *caller,
                            gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* The answer carries nothing Tally reads: any {"code":0,"data":…} is a success. */
static gpointer
decode_logout (JsonNode *data,
               GError **error)
{
  return g_object_new (G_TYPE_OBJECT, NULL);
}

static void
logout_cb (GObject *object,
           GAsyncResult *result,
           gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TallyClient *self = g_task_get_source_object (task);
  LogoutData *data = g_task_get_task_data (task);
  g_autoptr (GObject) answer = NULL;
  g_autoptr (GError) error = NULL;

  answer = g_task_propagate_pointer (G_TASK (result), &error);
  if (answer != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (data->timed_out && tally_error_is_cancelled (error))
    {
      g_autofree char *message = g_strdup_printf (_ ("%s did not answer in time"), self->host);

      g_task_return_error (task, tally_error_new_full (TALLY_ERROR_TIMEOUT, 0, NULL, 0, message));
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

void
tally_client_logout_async (TallyClient *self,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonNode) body = NULL;
  char *refresh_token;
  LogoutData *data;
  Request request = {
    .method = "POST",
    .path = "/auth/logout",
    .anonymous = TRUE,
    .decode = decode_logout,
    .source_tag = tally_client_logout_async,
  };

  g_return_if_fail (TALLY_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_client_logout_async);

  /* Forget first: nothing local waits for the server. */
  refresh_token = g_steal_pointer (&self->auth->refresh_token);
  tally_client_set_token (self, NULL);

  if (refresh_token == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  data = g_new0 (LogoutData, 1);
  data->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->caller = g_object_ref (cancellable);
      data->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (logout_caller_cancelled_cb),
                                                    data->cancellable, NULL);
    }
  data->timer = g_timeout_add_seconds (self->timeout > 0 ? MIN (self->timeout, LOGOUT_TIMEOUT_SECONDS) : LOGOUT_TIMEOUT_SECONDS,
                                       logout_timeout_cb, data);
  g_task_set_task_data (task, data, (GDestroyNotify) logout_data_free);

  body = _tally_client_string_object_body ("refresh_token", refresh_token, NULL);
  wipe_free (refresh_token);
  request.body = body;

  _tally_client_send (self, &request, data->cancellable, logout_cb, g_object_ref (task));
}

gboolean
tally_client_logout_finish (TallyClient *self,
                            GAsyncResult *result,
                            GError **error)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tally_client_logout_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

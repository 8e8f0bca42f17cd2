/* tally-session.c: the view model the window binds to
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
#include "tally-session.h"
#include "tally-trend.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-user.h"

/* The re-login prompt comes this long before the token's "exp". */
#define EXPIRY_WARNING_SECONDS 600

struct _TallySession
{
  GObject parent_instance;

  /* Owned References */
  TallyClient *client;
  TallyDemoBackend *demo_server;  /* libtally-demo's server while in demo mode */
  GCancellable *auth_cancellable; /* the login/restore operation in flight */
  GCancellable *load_cancellable; /* the load in flight */
  GPtrArray *load_waiters;        /* GTask*: completed by the next load that finishes */
  guint reload_source;
  guint expiry_source;                /* fires EXPIRY_WARNING_SECONDS before "exp" */
  GCancellable *renew_cancellable;    /* the silent demo re-login in flight */
  TallyCredentialsQueue *credentials; /* keyring writes, one at a time */
  guint timeout;                      /* per-request timeout for the clients we create */

  /* Properties */
  TallySessionState state;
  char *last_error;
  char *server_url;
  char *email;
  TallyUser *user;
  TallyDashboardStats *dashboard_stats;
  char *server_today;
  TallyTrend *recent_trend; /* the no-parameter (default range) trend */
  int utc_offset;
  gboolean utc_offset_known;
  TallyServerZone *server_zone;   /* zone_settings, else zone_evidence; NULL = unknown */
  TallyServerZone *zone_settings; /* from /settings/public (Jul 2026 servers) */
  TallyServerZone *zone_evidence; /* older servers: the offset of the newest timestamp */
  gint64 evidence_time;           /* unix seconds of that timestamp */
  gboolean settings_known;        /* /settings/public read for this server */
  gboolean demo;
  gboolean busy;
  TallyUsageQuery *usage_query; /* the usage view's filter; never NULL */
  GListStore *keys;             /* TallyApiKey, every page of /keys; stable object */
  gint64 token_expiry;          /* the token's "exp" (unix seconds), 0 = unknown */
  gint64 renewed_expiry;        /* demo: the "exp" of the token last renewed (never twice) */
  gboolean expires_soon;

  /* Flags */
  guint validating : 1;     /* the load validates a pasted token: any failure logs out */
  guint token_from_env : 1; /* TALLY_TOKEN: never stored nor cleared in the keyring */
  guint timeout_set : 1;    /* tally_session_set_timeout() was called */
};

G_DEFINE_FINAL_TYPE (TallySession, tally_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_STATE,
  PROP_BUSY,
  PROP_LAST_ERROR,
  PROP_SERVER_URL,
  PROP_EMAIL,
  PROP_USER,
  PROP_DASHBOARD_STATS,
  PROP_SERVER_TODAY,
  PROP_UTC_OFFSET,
  PROP_UTC_OFFSET_KNOWN,
  PROP_SERVER_ZONE,
  PROP_DEMO,
  PROP_USAGE_QUERY,
  PROP_KEYS,
  PROP_RECENT_TREND,
  PROP_TOKEN_EXPIRY,
  PROP_EXPIRES_SOON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  RELOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  guint pending;
  GError *error;
} LoadData;

typedef struct
{
  GCancellable *caller;
  gulong caller_handler;
  char *email;
  char *token;
  TallyAccount *account;
} AuthData;

static void start_load (TallySession *self);
static void clear_expiry (TallySession *self);
static void schedule_expiry (TallySession *self);

GType
tally_session_state_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { TALLY_SESSION_STATE_LOGGED_OUT, "TALLY_SESSION_STATE_LOGGED_OUT", "logged-out" },
        { TALLY_SESSION_STATE_LOGGING_IN, "TALLY_SESSION_STATE_LOGGING_IN", "logging-in" },
        { TALLY_SESSION_STATE_LOADING, "TALLY_SESSION_STATE_LOADING", "loading" },
        { TALLY_SESSION_STATE_READY, "TALLY_SESSION_STATE_READY", "ready" },
        { 0, NULL, NULL }
      };
      GType id = g_enum_register_static (g_intern_static_string ("TallySessionState"), values);

      g_once_init_leave (&type_id, id);
    }

  return type_id;
}

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_error (&load->error);
  g_free (load);
}

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

static void
update_busy (TallySession *self)
{
  gboolean busy;

  g_assert (TALLY_IS_SESSION (self));

  busy = self->load_cancellable != NULL || self->reload_source != 0 || (self->auth_cancellable != NULL && self->state == TALLY_SESSION_STATE_LOGGING_IN);

  if (busy != self->busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

static void
set_state (TallySession *self,
           TallySessionState state)
{
  g_assert (TALLY_IS_SESSION (self));

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  update_busy (self);
}

/* Always notifies when @message is not NULL, so the same error shown twice
 * produces two toasts. */
static void
set_last_error (TallySession *self,
                const char *message)
{
  g_assert (TALLY_IS_SESSION (self));

  if (message == NULL && self->last_error == NULL)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_string (TallySession *self,
            char **field,
            const char *value,
            GParamSpec *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
set_email (TallySession *self,
           const char *email)
{
  if (email != NULL && email[0] == '\0')
    email = NULL;
  set_string (self, &self->email, email, properties[PROP_EMAIL]);
}

static void
set_utc_offset (TallySession *self,
                gboolean known,
                int offset)
{
  if (!known)
    offset = 0;

  if (self->utc_offset != offset)
    {
      self->utc_offset = offset;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UTC_OFFSET]);
    }

  if (self->utc_offset_known != known)
    {
      self->utc_offset_known = known;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UTC_OFFSET_KNOWN]);
    }
}

/* The offset shown is the one of the server's today (real now until the
 * server's date is known). */
static void
update_zone (TallySession *self)
{
  TallyServerZone *zone = self->zone_settings != NULL ? self->zone_settings : self->zone_evidence;

  if (!tally_server_zone_equal (zone, self->server_zone))
    {
      g_clear_pointer (&self->server_zone, tally_server_zone_unref);
      if (zone != NULL)
        self->server_zone = tally_server_zone_ref (zone);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_ZONE]);
    }

  if (zone == NULL)
    set_utc_offset (self, FALSE, 0);
  else
    set_utc_offset (self, TRUE,
                    tally_server_zone_get_offset_on (zone, self->server_today,
                                                     g_get_real_time () / G_USEC_PER_SEC));
}

static void
clear_zone (TallySession *self)
{
  g_clear_pointer (&self->zone_settings, tally_server_zone_unref);
  g_clear_pointer (&self->zone_evidence, tally_server_zone_unref);
  self->evidence_time = G_MININT64;
  self->settings_known = FALSE;
  update_zone (self);
}

void
tally_session_note_server_timestamp (TallySession *self,
                                     GDateTime *timestamp)
{
  gint64 when;

  g_return_if_fail (TALLY_IS_SESSION (self));

  if (timestamp == NULL)
    return;

  /* Only the newest timestamp: an old one may be across a DST change. */
  when = g_date_time_to_unix (timestamp);
  if (self->zone_evidence != NULL && when <= self->evidence_time)
    return;

  g_clear_pointer (&self->zone_evidence, tally_server_zone_unref);
  self->zone_evidence = tally_server_zone_new_offset ((int) (g_date_time_get_utc_offset (timestamp) / G_TIME_SPAN_SECOND));
  self->evidence_time = when;
  update_zone (self);
}

static void
set_user (TallySession *self,
          TallyUser *user)
{
  g_assert (TALLY_IS_SESSION (self));

  if (g_set_object (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);

  if (user != NULL)
    {
      const char *email = tally_user_get_email (user);

      /* Not the zone from created_at: the account may be from the other
       * side of a DST change (update_zone()). */
      if (email[0] != '\0')
        set_email (self, email);
    }
}

static void
set_dashboard_stats (TallySession *self,
                     TallyDashboardStats *stats)
{
  if (g_set_object (&self->dashboard_stats, stats))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DASHBOARD_STATS]);
}

static void
set_recent_trend (TallySession *self,
                  TallyTrend *trend)
{
  if (g_set_object (&self->recent_trend, trend))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECENT_TREND]);
}

static void
set_keys (TallySession *self,
          GListModel *keys)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = keys != NULL ? g_list_model_get_n_items (keys) : 0;

  /* Replace the contents in one splice: views see a single items-changed. */
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (keys, i));
  g_list_store_splice (self->keys, 0, g_list_model_get_n_items (G_LIST_MODEL (self->keys)),
                       items->pdata, items->len);
}

static void
clear_data (TallySession *self)
{
  set_keys (self, NULL);
  set_user (self, NULL);
  set_dashboard_stats (self, NULL);
  set_recent_trend (self, NULL);
  set_string (self, &self->server_today, NULL, properties[PROP_SERVER_TODAY]);
  clear_zone (self);
}

static void
set_demo (TallySession *self,
          gboolean demo)
{
  demo = !!demo;

  if (self->demo != demo)
    {
      self->demo = demo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
    }
}

static void
drop_demo_server (TallySession *self)
{
  if (self->demo_server != NULL)
    {
      tally_demo_backend_stop (self->demo_server);
      g_clear_object (&self->demo_server);
    }
  set_demo (self, FALSE);
}

static void
cancel_load (TallySession *self)
{
  g_clear_handle_id (&self->reload_source, g_source_remove);

  if (self->load_cancellable != NULL)
    {
      g_cancellable_cancel (self->load_cancellable);
      g_clear_object (&self->load_cancellable);
    }
}

static void
complete_waiters (TallySession *self,
                  const GError *error)
{
  g_autoptr (GPtrArray) waiters = NULL;

  g_assert (TALLY_IS_SESSION (self));

  if (self->load_waiters->len == 0)
    return;

  waiters = g_steal_pointer (&self->load_waiters);
  self->load_waiters = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

/* Removes the server's token from the keyring, after any write in flight. */
static void
forget_credentials (TallySession *self)
{
  g_assert (TALLY_IS_SESSION (self));

  tally_credentials_queue_clear (self->credentials, self->server_url);
}

static void
set_token_expiry (TallySession *self,
                  gint64 expiry)
{
  if (self->token_expiry != expiry)
    {
      self->token_expiry = expiry;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_EXPIRY]);
    }
}

static void
set_expires_soon (TallySession *self,
                  gboolean expires_soon)
{
  expires_soon = !!expires_soon;

  if (self->expires_soon != expires_soon)
    {
      self->expires_soon = expires_soon;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRES_SOON]);
    }
}

static void
clear_expiry (TallySession *self)
{
  g_assert (TALLY_IS_SESSION (self));

  g_clear_handle_id (&self->expiry_source, g_source_remove);
  if (self->renew_cancellable != NULL)
    g_cancellable_cancel (self->renew_cancellable);
  g_clear_object (&self->renew_cancellable);
  self->renewed_expiry = 0;
  set_token_expiry (self, 0);
  set_expires_soon (self, FALSE);
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
  schedule_expiry (self);
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
      set_expires_soon (self, FALSE);
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
    set_expires_soon (self, TRUE);

  return G_SOURCE_REMOVE;
}

/* Reads "exp" from the token in use and arms the warning timer, comparing
 * with the server's clock (the Date header) rather than ours. */
static void
schedule_expiry (TallySession *self)
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

  set_token_expiry (self, MAX (expiry, 0));

  if (expiry <= 0)
    {
      set_expires_soon (self, FALSE);
      return;
    }

  server_now = g_get_real_time () / G_USEC_PER_SEC + tally_client_get_clock_skew (self->client);
  warn_in = expiry - EXPIRY_WARNING_SECONDS - server_now;

  if (warn_in > 0)
    {
      set_expires_soon (self, FALSE);
      self->expiry_source = g_timeout_add_seconds ((guint) MIN (warn_in, G_MAXUINT / 2),
                                                   expiry_due_cb, self);
      return;
    }

  /* Already within the window. */
  expiry_due_cb (self);
}

static void
expire (TallySession *self,
        const GError *error)
{
  g_assert (TALLY_IS_SESSION (self));

  cancel_load (self);
  clear_expiry (self);

  if (self->client != NULL)
    tally_client_set_token (self->client, NULL);

  if (!self->demo && !self->token_from_env && self->server_url != NULL)
    forget_credentials (self);

  self->token_from_env = FALSE;
  set_state (self, TALLY_SESSION_STATE_LOGGED_OUT);
  /* revoked, disabled, moved, …: say why */
  if (tally_error_has_session_sentence (error))
    set_last_error (self, error->message);
  else
    set_last_error (self, _("Your session has expired. Please log in again."));
}

static void
finish_load (TallySession *self,
             const GError *error)
{
  g_assert (TALLY_IS_SESSION (self));

  if (error == NULL)
    {
      self->validating = FALSE;
      set_state (self, TALLY_SESSION_STATE_READY);
      set_last_error (self, NULL);
      /* The server's Date is known now: the clock skew is exact. */
      schedule_expiry (self);
      g_signal_emit (self, signals[RELOADED], 0);
      complete_waiters (self, NULL);
      return;
    }

  if (self->validating)
    {
      /* A pasted token that does not work is refused; the login page shows why. */
      self->validating = FALSE;
      clear_expiry (self);
      if (self->client != NULL)
        tally_client_set_token (self->client, NULL);
      set_state (self, TALLY_SESSION_STATE_LOGGED_OUT);
      complete_waiters (self, error);
      return;
    }

  if (tally_error_ends_session (error))
    {
      expire (self, error);
      complete_waiters (self, error);
      return;
    }

  /* Keep the last good data; the error is shown as a toast. */
  if (self->state == TALLY_SESSION_STATE_LOADING)
    set_state (self, TALLY_SESSION_STATE_READY);
  set_last_error (self, error->message);
  g_signal_emit (self, signals[RELOADED], 0);
  complete_waiters (self, NULL);
}

static void
load_done_cb (GObject *object,
              GAsyncResult *result,
              gpointer user_data)
{
  TallySession *self = TALLY_SESSION (object);
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* replaced by a newer load, or logged out */

  /* This was the current load. */
  g_clear_object (&self->load_cancellable);
  update_busy (self);

  finish_load (self, error);
}

static void
load_item_done (GTask *task,
                GError *error)
{
  LoadData *load = g_task_get_task_data (task);

  g_assert (load->pending > 0);

  if (error != NULL)
    {
      /* Report a 401 above anything else: it decides the state. */
      if (load->error == NULL || g_error_matches (load->error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || (g_error_matches (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED) && !g_error_matches (load->error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED)))
        {
          g_clear_error (&load->error);
          load->error = error;
        }
      else
        g_error_free (error);
    }

  if (--load->pending > 0)
    return;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (load->error != NULL)
    g_task_return_error (task, g_steal_pointer (&load->error));
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
load_is_current (GTask *task)
{
  return !g_cancellable_is_cancelled (g_task_get_cancellable (task));
}

static void
get_me_cb (GObject *object,
           GAsyncResult *result,
           gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (TallyUser) user = NULL;
  g_autoptr (GError) error = NULL;

  user = tally_client_get_me_finish (TALLY_CLIENT (object), result, &error);
  if (user != NULL && load_is_current (task))
    set_user (g_task_get_source_object (task), user);

  load_item_done (task, g_steal_pointer (&error));
}

static void
get_dashboard_stats_cb (GObject *object,
                        GAsyncResult *result,
                        gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autoptr (GError) error = NULL;

  stats = tally_client_get_dashboard_stats_finish (TALLY_CLIENT (object), result, &error);
  if (stats != NULL && load_is_current (task))
    set_dashboard_stats (g_task_get_source_object (task), stats);

  load_item_done (task, g_steal_pointer (&error));
}

static void
get_trend_cb (GObject *object,
              GAsyncResult *result,
              gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (TallyTrend) trend = NULL;
  g_autoptr (GError) error = NULL;

  trend = tally_client_get_trend_finish (TALLY_CLIENT (object), result, &error);
  if (trend != NULL && load_is_current (task))
    {
      TallySession *self = g_task_get_source_object (task);
      const char *end_date = tally_trend_get_end_date (trend);

      /* With no parameters the trend ends on the server's current date. */
      if (end_date[0] != '\0')
        set_string (self, &self->server_today, end_date, properties[PROP_SERVER_TODAY]);
      update_zone (self);
      set_recent_trend (self, trend);
    }

  load_item_done (task, g_steal_pointer (&error));
}

static void
list_all_keys_cb (GObject *object,
                  GAsyncResult *result,
                  gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GListModel) keys = NULL;
  g_autoptr (GError) error = NULL;

  keys = tally_client_list_all_keys_finish (TALLY_CLIENT (object), result, &error);
  if (keys != NULL && load_is_current (task))
    set_keys (g_task_get_source_object (task), keys);

  load_item_done (task, g_steal_pointer (&error));
}

/* Learning the zone is best effort: only a 401 (or a cancel) counts for the load. */
static GError *
zone_error (GError *error)
{
  if (error == NULL || g_error_matches (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  g_debug ("Could not learn the server's time zone: %s", error->message);
  g_error_free (error);
  return NULL;
}

static void
newest_row_cb (GObject *object,
               GAsyncResult *result,
               gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (TallyPage) page = NULL;
  g_autoptr (GError) error = NULL;

  page = tally_client_list_usage_finish (TALLY_CLIENT (object), result, &error);
  if (page != NULL && load_is_current (task))
    {
      GListModel *items = tally_page_get_items (page);
      g_autoptr (TallyUsageLog) newest = NULL;

      if (g_list_model_get_n_items (items) > 0)
        newest = g_list_model_get_item (items, 0);
      if (newest != NULL)
        tally_session_note_server_timestamp (g_task_get_source_object (task),
                                             tally_usage_log_get_created_at (newest));
    }

  load_item_done (task, zone_error (g_steal_pointer (&error)));
}

static void
load_settings_cb (GObject *object,
                  GAsyncResult *result,
                  gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (TallyPublicSettings) settings = NULL;
  g_autoptr (GError) error = NULL;

  settings = tally_client_get_public_settings_finish (TALLY_CLIENT (object), result, &error);
  if (settings != NULL && load_is_current (task))
    {
      TallySession *self = g_task_get_source_object (task);
      LoadData *load = g_task_get_task_data (task);

      self->settings_known = TRUE;
      g_clear_pointer (&self->zone_settings, tally_server_zone_unref);
      self->zone_settings = tally_server_zone_new_from_settings (tally_public_settings_get_server_timezone (settings),
                                                                 tally_public_settings_get_server_utc_offset (settings));
      update_zone (self);

      /* An older server: its newest usage row tells the offset now. */
      if (self->zone_settings == NULL)
        {
          load->pending++;
          tally_client_list_usage_async (self->client, NULL, 1, 1,
                                         g_task_get_cancellable (task),
                                         newest_row_cb,
                                         g_object_ref (task));
        }
    }

  load_item_done (task, zone_error (g_steal_pointer (&error)));
}

static void
start_load (TallySession *self)
{
  g_autoptr (GTask) task = NULL;
  LoadData *load;

  g_assert (TALLY_IS_SESSION (self));
  g_assert (self->client != NULL);

  cancel_load (self);
  self->load_cancellable = g_cancellable_new ();

  task = g_task_new (self, self->load_cancellable, load_done_cb, NULL);
  g_task_set_source_tag (task, start_load);
  load = g_new0 (LoadData, 1);
  load->pending = 4;
  g_task_set_task_data (task, load, load_data_free);

  tally_client_get_me_async (self->client,
                             self->load_cancellable,
                             get_me_cb,
                             g_object_ref (task));
  tally_client_get_dashboard_stats_async (self->client,
                                          self->load_cancellable,
                                          get_dashboard_stats_cb,
                                          g_object_ref (task));
  tally_client_get_trend_async (self->client,
                                NULL, NULL,
                                TALLY_GRANULARITY_DAY,
                                self->load_cancellable,
                                get_trend_cb,
                                g_object_ref (task));
  tally_client_list_all_keys_async (self->client,
                                    self->load_cancellable,
                                    list_all_keys_cb,
                                    g_object_ref (task));
  /* The server's zone: once per server (an older one: every load, for
   * the offset of its newest row). */
  if (!self->settings_known)
    {
      load->pending++;
      tally_client_get_public_settings_async (self->client,
                                              self->load_cancellable,
                                              load_settings_cb,
                                              g_object_ref (task));
    }
  else if (self->zone_settings == NULL)
    {
      load->pending++;
      tally_client_list_usage_async (self->client, NULL, 1, 1,
                                     self->load_cancellable,
                                     newest_row_cb,
                                     g_object_ref (task));
    }

  update_busy (self);
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  TallySession *self = user_data;

  self->reload_source = 0;

  if (self->client != NULL && (self->state == TALLY_SESSION_STATE_LOADING || self->state == TALLY_SESSION_STATE_READY))
    start_load (self);
  else
    update_busy (self);

  return G_SOURCE_REMOVE;
}

/* After a token was obtained: wait for the first load, then complete @task. */
static void
begin_loading (TallySession *self,
               GTask *task)
{
  g_assert (TALLY_IS_SESSION (self));

  g_ptr_array_add (self->load_waiters, g_object_ref (task));
  set_state (self, TALLY_SESSION_STATE_LOADING);
  schedule_expiry (self);
  start_load (self);
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

static void
store_failed_cb (TallySession *self,
                 const GError *error)
{
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("Could not save the login in the keyring: %s"), error->message);
  set_last_error (self, message);
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
        set_state (self, TALLY_SESSION_STATE_LOGGED_OUT);
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
  begin_loading (self, task);
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
                                       _("This account uses two-factor authentication. Enter the code from your authenticator app.")));
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
                                       _("The server did not send an access token.")));
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

  begin_loading (self, waiter);
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
          set_state (self, TALLY_SESSION_STATE_LOGGED_OUT);
        }
      g_task_return_boolean (task, FALSE);
      return;
    }

  if (!tally_session_set_server (self, account->server_url, &error))
    {
      auth_failed (self, task, g_steal_pointer (&error));
      return;
    }

  set_email (self, account->email);

  /* TALLY_TOKEN without a server: the saved server, the environment's token. */
  if (auth->token != NULL)
    {
      set_last_error (self, NULL);
      self->token_from_env = TRUE;
      begin_with_token (self, task, auth->token, NULL, 0, FALSE);
      return;
    }

  begin_with_token (self, task, account->token, account->refresh_token, account->expires_at, FALSE);
}

static void
tally_session_dispose (GObject *object)
{
  TallySession *self = (TallySession *) object;

  cancel_load (self);
  g_clear_handle_id (&self->expiry_source, g_source_remove);
  if (self->renew_cancellable != NULL)
    g_cancellable_cancel (self->renew_cancellable);
  g_clear_object (&self->renew_cancellable);
  if (self->auth_cancellable != NULL)
    g_cancellable_cancel (self->auth_cancellable);
  g_clear_object (&self->auth_cancellable);

  g_clear_object (&self->client);
  if (self->demo_server != NULL)
    tally_demo_backend_stop (self->demo_server);
  g_clear_object (&self->demo_server);
  g_clear_object (&self->user);
  g_clear_object (&self->dashboard_stats);
  g_clear_object (&self->recent_trend);
  g_clear_object (&self->keys);
  g_clear_object (&self->credentials);

  G_OBJECT_CLASS (tally_session_parent_class)->dispose (object);
}

static void
tally_session_finalize (GObject *object)
{
  TallySession *self = (TallySession *) object;

  g_clear_pointer (&self->load_waiters, g_ptr_array_unref);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->server_today, g_free);
  g_clear_pointer (&self->server_zone, tally_server_zone_unref);
  g_clear_pointer (&self->zone_settings, tally_server_zone_unref);
  g_clear_pointer (&self->zone_evidence, tally_server_zone_unref);
  g_clear_pointer (&self->usage_query, tally_usage_query_free);

  G_OBJECT_CLASS (tally_session_parent_class)->finalize (object);
}

static void
tally_session_get_property (GObject *object,
                            guint prop_id,
                            GValue *value,
                            GParamSpec *pspec)
{
  TallySession *self = TALLY_SESSION (object);

  switch (prop_id)
    {
      case PROP_CLIENT:
        g_value_set_object (value, self->client);
        break;

      case PROP_STATE:
        g_value_set_enum (value, self->state);
        break;

      case PROP_BUSY:
        g_value_set_boolean (value, self->busy);
        break;

      case PROP_LAST_ERROR:
        g_value_set_string (value, self->last_error);
        break;

      case PROP_SERVER_URL:
        g_value_set_string (value, self->server_url);
        break;

      case PROP_EMAIL:
        g_value_set_string (value, self->email);
        break;

      case PROP_USER:
        g_value_set_object (value, self->user);
        break;

      case PROP_DASHBOARD_STATS:
        g_value_set_object (value, self->dashboard_stats);
        break;

      case PROP_SERVER_TODAY:
        g_value_set_string (value, self->server_today);
        break;

      case PROP_UTC_OFFSET:
        g_value_set_int (value, self->utc_offset);
        break;

      case PROP_UTC_OFFSET_KNOWN:
        g_value_set_boolean (value, self->utc_offset_known);
        break;

      case PROP_SERVER_ZONE:
        g_value_set_boxed (value, self->server_zone);
        break;

      case PROP_DEMO:
        g_value_set_boolean (value, self->demo);
        break;

      case PROP_USAGE_QUERY:
        g_value_set_boxed (value, self->usage_query);
        break;

      case PROP_KEYS:
        g_value_set_object (value, self->keys);
        break;

      case PROP_RECENT_TREND:
        g_value_set_object (value, self->recent_trend);
        break;

      case PROP_TOKEN_EXPIRY:
        g_value_set_int64 (value, self->token_expiry);
        break;

      case PROP_EXPIRES_SOON:
        g_value_set_boolean (value, self->expires_soon);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_session_set_property (GObject *object,
                            guint prop_id,
                            const GValue *value,
                            GParamSpec *pspec)
{
  TallySession *self = TALLY_SESSION (object);

  switch (prop_id)
    {
      case PROP_USAGE_QUERY:
        tally_session_set_usage_query (self, g_value_get_boxed (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_session_class_init (TallySessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tally_session_dispose;
  object_class->finalize = tally_session_finalize;
  object_class->get_property = tally_session_get_property;
  object_class->set_property = tally_session_set_property;

  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL,
                                                 TALLY_TYPE_CLIENT,
                                                 (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL,
                                              TALLY_TYPE_SESSION_STATE,
                                              TALLY_SESSION_STATE_LOGGED_OUT,
                                              (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL,
                                                FALSE,
                                                (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL,
                                                     NULL,
                                                     (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_SERVER_URL] = g_param_spec_string ("server-url", NULL, NULL,
                                                     NULL,
                                                     (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL,
                                                NULL,
                                                (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_USER] = g_param_spec_object ("user", NULL, NULL,
                                               TALLY_TYPE_USER,
                                               (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_DASHBOARD_STATS] = g_param_spec_object ("dashboard-stats", NULL, NULL,
                                                          TALLY_TYPE_DASHBOARD_STATS,
                                                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_SERVER_TODAY] = g_param_spec_string ("server-today", NULL, NULL,
                                                       NULL,
                                                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_UTC_OFFSET] = g_param_spec_int ("utc-offset", NULL, NULL,
                                                  -24 * 3600, 24 * 3600, 0,
                                                  (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_UTC_OFFSET_KNOWN] = g_param_spec_boolean ("utc-offset-known", NULL, NULL,
                                                            FALSE,
                                                            (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_SERVER_ZONE] = g_param_spec_boxed ("server-zone", NULL, NULL,
                                                     TALLY_TYPE_SERVER_ZONE,
                                                     (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_DEMO] = g_param_spec_boolean ("demo", NULL, NULL,
                                                FALSE,
                                                (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /* The usage view's filter. It lives here so that "show this key's usage" from
   * the dashboard lands in the usage view. */
  properties[PROP_USAGE_QUERY] = g_param_spec_boxed ("usage-query", NULL, NULL,
                                                     TALLY_TYPE_USAGE_QUERY,
                                                     (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_KEYS] = g_param_spec_object ("keys", NULL, NULL,
                                               G_TYPE_LIST_MODEL,
                                               (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /* The trend of the server's default range (the last 8 days including
   * today, daily), loaded with the session so that views can reuse it. */
  properties[PROP_RECENT_TREND] = g_param_spec_object ("recent-trend", NULL, NULL,
                                                       TALLY_TYPE_TREND,
                                                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /* The "exp" of the token in use (unix seconds, our clock), 0 when unknown. */
  properties[PROP_TOKEN_EXPIRY] = g_param_spec_int64 ("token-expiry", NULL, NULL,
                                                      0, G_MAXINT64, 0,
                                                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /* TRUE from EXPIRY_WARNING_SECONDS before the token expires (never in demo
   * mode, which logs in again silently) until the next login or logout. */
  properties[PROP_EXPIRES_SOON] = g_param_spec_boolean ("expires-soon", NULL, NULL,
                                                        FALSE,
                                                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TallySession::reloaded:
   *
   * Emitted when a load (login, restore or reload) finished and the session's
   * data is as fresh as it will get: after a success, or after a failure that
   * kept the last good data ("last-error" is set then). Not emitted for
   * cancelled loads or when the load logged the session out.
   */
  signals[RELOADED] = g_signal_new ("reloaded",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 0);
}

static void
tally_session_init (TallySession *self)
{
  self->state = TALLY_SESSION_STATE_LOGGED_OUT;
  self->load_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->usage_query = tally_usage_query_new ();
  self->keys = g_list_store_new (TALLY_TYPE_API_KEY);
  self->credentials = tally_credentials_queue_new ();
  g_signal_connect_object (self->credentials, "store-failed", G_CALLBACK (store_failed_cb), self, G_CONNECT_SWAPPED);
}

TallySession *
tally_session_new (void)
{
  return g_object_new (TALLY_TYPE_SESSION, NULL);
}

TallyTrend *
tally_session_get_recent_trend (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), NULL);

  return self->recent_trend;
}

TallyClient *
tally_session_get_client (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), NULL);

  return self->client;
}

TallySessionState
tally_session_get_state (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), TALLY_SESSION_STATE_LOGGED_OUT);

  return self->state;
}

gboolean
tally_session_get_busy (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), FALSE);

  return self->busy;
}

const char *
tally_session_get_last_error (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), NULL);

  return self->last_error;
}

const char *
tally_session_get_server_url (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), NULL);

  return self->server_url;
}

const char *
tally_session_get_email (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), NULL);

  return self->email;
}

TallyUser *
tally_session_get_user (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), NULL);

  return self->user;
}

TallyDashboardStats *
tally_session_get_dashboard_stats (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), NULL);

  return self->dashboard_stats;
}

const char *
tally_session_get_server_today (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), NULL);

  return self->server_today;
}

int
tally_session_get_utc_offset (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), 0);

  return self->utc_offset;
}

gboolean
tally_session_get_utc_offset_known (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), FALSE);

  return self->utc_offset_known;
}

TallyServerZone *
tally_session_get_server_zone (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), NULL);

  return self->server_zone;
}

gboolean
tally_session_get_demo (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), FALSE);

  return self->demo;
}

TallyDemoBackend *
tally_session_get_demo_backend (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), NULL);

  return self->demo ? self->demo_server : NULL;
}

/* A refresh rotated the pair: store it (a login stores its own). */
static void
tokens_changed_cb (TallySession *self,
                   TallyClient *client)
{
  g_assert (TALLY_IS_SESSION (self));

  if (client != self->client)
    return;

  schedule_expiry (self);
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

static void
watch_tokens (TallySession *self,
              TallyClient *client)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  tally_client_set_reload_func (client, reload_tokens, ref, (GDestroyNotify) weak_ref_free);
  g_signal_connect_object (client, "tokens-changed", G_CALLBACK (tokens_changed_cb), self, G_CONNECT_SWAPPED);
}

gboolean
tally_session_set_server (TallySession *self,
                          const char *url,
                          GError **error)
{
  g_autoptr (TallyClient) client = NULL;
  const char *base_url;

  g_return_val_if_fail (TALLY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  client = tally_client_new (url, error);
  if (client == NULL)
    return FALSE;

  base_url = tally_client_get_base_url (client);

  /* Same server: keep the client (and a pending two-factor login). */
  if (self->client != NULL && g_strcmp0 (base_url, self->server_url) == 0)
    return TRUE;

  cancel_load (self);
  clear_expiry (self);
  self->validating = FALSE;
  self->token_from_env = FALSE;

  if (self->timeout_set)
    tally_client_set_timeout (client, self->timeout);

  if (self->demo_server != NULL && g_strcmp0 (base_url, tally_demo_backend_get_url (self->demo_server)) != 0)
    drop_demo_server (self);

  if (g_strcmp0 (base_url, self->server_url) != 0)
    clear_data (self);

  watch_tokens (self, client);
  if (g_set_object (&self->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  set_string (self, &self->server_url, base_url, properties[PROP_SERVER_URL]);

  if (self->state != TALLY_SESSION_STATE_LOGGING_IN)
    set_state (self, TALLY_SESSION_STATE_LOGGED_OUT);

  return TRUE;
}

static void
check_server_cb (GObject *object,
                 GAsyncResult *result,
                 gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TallyPublicSettings *settings;
  GError *error = NULL;

  settings = tally_client_get_public_settings_finish (TALLY_CLIENT (object), result, &error);
  if (settings == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, settings, g_object_unref);
}

void
tally_session_check_server_async (TallySession *self,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (TALLY_IS_SESSION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_session_check_server_async);

  if (self->client == NULL)
    {
      g_task_return_new_error (task, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                               "%s", _("Enter the address of a server first."));
      return;
    }

  tally_client_get_public_settings_async (self->client,
                                          cancellable,
                                          check_server_cb,
                                          g_steal_pointer (&task));
}

TallyPublicSettings *
tally_session_check_server_finish (TallySession *self,
                                   GAsyncResult *result,
                                   GError **error)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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
                                        _("Enter the address of a server first.")));
      return;
    }

  if (g_strcmp0 (email, self->email) != 0)
    clear_data (self);

  cancel_load (self);
  self->validating = FALSE;
  self->token_from_env = FALSE;
  auth->email = g_strdup (email);
  set_email (self, email);
  set_last_error (self, NULL);
  set_state (self, TALLY_SESSION_STATE_LOGGING_IN);

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
  g_return_val_if_fail (TALLY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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
                                        _("The two-factor login has expired. Log in again.")));
      return;
    }

  auth->email = g_strdup (self->email);
  set_state (self, TALLY_SESSION_STATE_LOGGING_IN);

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
  g_return_val_if_fail (TALLY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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
                                        _("Enter the address of a server first.")));
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
                                        _("Paste an access token first.")));
      return;
    }

  if (g_str_has_prefix (stripped, "sk-"))
    {
      auth_failed (self, task,
                   g_error_new_literal (TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                                        _("This is an API key (sk-…). Tally needs the access token of a panel login instead.")));
      return;
    }

  clear_data (self);
  set_email (self, NULL);
  set_last_error (self, NULL);
  self->token_from_env = FALSE;
  set_state (self, TALLY_SESSION_STATE_LOGGING_IN);
  begin_with_token (self, task, stripped, NULL, 0, TRUE);
}

gboolean
tally_session_use_token_finish (TallySession *self,
                                GAsyncResult *result,
                                GError **error)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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

      set_last_error (self, NULL);
      self->token_from_env = TRUE;
      set_state (self, TALLY_SESSION_STATE_LOGGING_IN);
      begin_with_token (self, task, account->token, NULL, 0, FALSE);
      return;
    }

  if (account != NULL)
    {
      AuthData *auth = g_task_get_task_data (task);

      auth->token = g_strdup (account->token);
    }

  set_state (self, TALLY_SESSION_STATE_LOGGING_IN);
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
  g_return_val_if_fail (TALLY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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

  set_demo (self, TRUE);
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
  g_return_val_if_fail (TALLY_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tally_session_reload (TallySession *self)
{
  g_return_if_fail (TALLY_IS_SESSION (self));

  if (self->client == NULL || (self->state != TALLY_SESSION_STATE_LOADING && self->state != TALLY_SESSION_STATE_READY))
    return;

  /* Cancel the load in flight; bursts coalesce into one idle. */
  if (self->load_cancellable != NULL)
    {
      g_cancellable_cancel (self->load_cancellable);
      g_clear_object (&self->load_cancellable);
    }

  if (self->reload_source == 0)
    /* Above redraws: a window busy animating (a spinner) must not starve the load. */
    self->reload_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, reload_idle_cb, self, NULL);

  update_busy (self);
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

  cancel_load (self);
  clear_expiry (self);
  if (self->auth_cancellable != NULL)
    g_cancellable_cancel (self->auth_cancellable);
  g_clear_object (&self->auth_cancellable);

  g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  complete_waiters (self, error);

  if (!self->demo && !self->token_from_env && self->server_url != NULL)
    forget_credentials (self);

  /* Revoke the refresh token on the server; nothing here waits for it. */
  if (self->client != NULL && !self->demo && tally_client_get_refresh_token (self->client) != NULL)
    tally_client_logout_async (self->client, NULL, logout_revoked_cb, NULL);

  if (self->client != NULL)
    tally_client_set_token (self->client, NULL);

  self->validating = FALSE;
  self->token_from_env = FALSE;

  clear_data (self);
  set_last_error (self, NULL);

  if (self->demo)
    {
      /* The demo is gone with its login: the next login starts from scratch. */
      drop_demo_server (self);
      if (self->client != NULL)
        {
          g_clear_object (&self->client);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
        }
      set_string (self, &self->server_url, NULL, properties[PROP_SERVER_URL]);
      set_email (self, NULL);
    }

  set_state (self, TALLY_SESSION_STATE_LOGGED_OUT);
}

/**
 * tally_session_get_usage_query:
 *
 * Returns: (transfer none): the usage view's current filter (never %NULL)
 */
const TallyUsageQuery *
tally_session_get_usage_query (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), NULL);

  return self->usage_query;
}

/**
 * tally_session_set_usage_query:
 * @query: (nullable): the new filter; %NULL means "everything"
 */
void
tally_session_set_usage_query (TallySession *self,
                               const TallyUsageQuery *query)
{
  g_autoptr (TallyUsageQuery) fresh = NULL;

  g_return_if_fail (TALLY_IS_SESSION (self));

  if (query == NULL)
    query = fresh = tally_usage_query_new ();

  if (tally_usage_query_equal (self->usage_query, query))
    return;

  g_clear_pointer (&self->usage_query, tally_usage_query_free);
  self->usage_query = tally_usage_query_copy (query);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USAGE_QUERY]);
}

/**
 * tally_session_get_keys:
 *
 * Returns: (transfer none): a #GListModel of #TallyApiKey: every key of the
 *   account (all pages of /keys), refreshed by each reload. The object stays the
 *   same for the life of the session; its contents are replaced in one splice.
 */
GListModel *
tally_session_get_keys (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), NULL);

  return G_LIST_MODEL (self->keys);
}

/**
 * tally_session_get_token_expiry:
 *
 * Returns: the "exp" claim of the token in use (unix seconds), or 0
 */
gint64
tally_session_get_token_expiry (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), 0);

  return self->token_expiry;
}

/**
 * tally_session_get_expires_soon:
 *
 * Returns: %TRUE when the token expires within ten minutes (by the server's
 *   clock) and the user should log in again; never in demo mode
 */
gboolean
tally_session_get_expires_soon (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), FALSE);

  return self->expires_soon;
}

/**
 * tally_session_set_timeout:
 * @seconds: the per-request timeout (0 = none)
 *
 * Applies to the current client and to every client the session creates later.
 */
void
tally_session_set_timeout (TallySession *self,
                           guint seconds)
{
  g_return_if_fail (TALLY_IS_SESSION (self));

  self->timeout = seconds;
  self->timeout_set = TRUE;
  if (self->client != NULL)
    tally_client_set_timeout (self->client, seconds);
}

/* tally-session.c: the view model the window binds to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The object, its properties and their setters, and the server it talks to.
 * Logging in and out: tally-session-auth.c; loading the account's data:
 * tally-session-load.c; what they share: tally-session-private.h.
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

void
_tally_session_update_busy (TallySession *self)
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

void
_tally_session_set_state (TallySession *self,
                          TallySessionState state)
{
  g_assert (TALLY_IS_SESSION (self));

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  _tally_session_update_busy (self);
}

/* Always notifies when @message is not NULL, so the same error shown twice
 * produces two toasts. */
void
_tally_session_set_last_error (TallySession *self,
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

void
_tally_session_set_email (TallySession *self,
                          const char *email)
{
  if (email != NULL && email[0] == '\0')
    email = NULL;
  set_string (self, &self->email, email, properties[PROP_EMAIL]);
}

void
_tally_session_set_server_today (TallySession *self,
                                 const char *server_today)
{
  set_string (self, &self->server_today, server_today, properties[PROP_SERVER_TODAY]);
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
void
_tally_session_update_zone (TallySession *self)
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
  g_clear_object (&self->public_settings);
  _tally_session_update_zone (self);
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
  _tally_session_update_zone (self);
}

void
_tally_session_set_user (TallySession *self,
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
        _tally_session_set_email (self, email);
    }
}

void
_tally_session_set_dashboard_stats (TallySession *self,
                                    TallyDashboardStats *stats)
{
  if (g_set_object (&self->dashboard_stats, stats))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DASHBOARD_STATS]);
}

void
_tally_session_set_recent_trend (TallySession *self,
                                 TallyTrend *trend)
{
  if (g_set_object (&self->recent_trend, trend))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECENT_TREND]);
}

void
_tally_session_set_keys (TallySession *self,
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

void
_tally_session_clear_data (TallySession *self)
{
  _tally_session_set_keys (self, NULL);
  _tally_session_set_user (self, NULL);
  _tally_session_set_dashboard_stats (self, NULL);
  _tally_session_set_recent_trend (self, NULL);
  set_string (self, &self->server_today, NULL, properties[PROP_SERVER_TODAY]);
  clear_zone (self);
}

void
_tally_session_set_demo (TallySession *self,
                         gboolean demo)
{
  demo = !!demo;

  if (self->demo != demo)
    {
      self->demo = demo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
    }
}

void
_tally_session_drop_demo_server (TallySession *self)
{
  if (self->demo_server != NULL)
    {
      tally_demo_backend_stop (self->demo_server);
      g_clear_object (&self->demo_server);
    }
  _tally_session_set_demo (self, FALSE);
}

/* No client, no server (the demo's logout). */
void
_tally_session_forget_server (TallySession *self)
{
  if (self->client != NULL)
    {
      g_clear_object (&self->client);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
    }
  set_string (self, &self->server_url, NULL, properties[PROP_SERVER_URL]);
}

void
_tally_session_emit_reloaded (TallySession *self)
{
  g_signal_emit (self, signals[RELOADED], 0);
}

void
_tally_session_set_token_expiry (TallySession *self,
                                 gint64 expiry)
{
  if (self->token_expiry != expiry)
    {
      self->token_expiry = expiry;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_EXPIRY]);
    }
}

void
_tally_session_set_expires_soon (TallySession *self,
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
store_failed_cb (TallySession *self,
                 const GError *error)
{
  g_autofree char *message = NULL;

  message = g_strdup_printf (_ ("Could not save the login in the keyring: %s"), error->message);
  _tally_session_set_last_error (self, message);
}

static void
tally_session_dispose (GObject *object)
{
  TallySession *self = (TallySession *) object;

  _tally_session_cancel_load (self);
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
  g_clear_object (&self->public_settings);
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

TallyPublicSettings *
tally_session_get_public_settings (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), NULL);

  return self->public_settings;
}

TallyServerZone *
tally_session_get_server_zone (TallySession *self)
{
  g_return_val_if_fail (TALLY_IS_SESSION (self), NULL);

  return self->server_zone;
}

gint64
tally_session_get_server_now (TallySession *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (TALLY_IS_SESSION (self), now);

  /* A demo on a frozen clock: its data ends at its "now". */
  if (self->demo_server != NULL && tally_demo_backend_get_now (self->demo_server) > 0)
    return tally_demo_backend_get_now (self->demo_server);

  if (self->client != NULL)
    now += tally_client_get_clock_skew (self->client);

  return now;
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

  _tally_session_cancel_load (self);
  _tally_session_clear_expiry (self);
  self->validating = FALSE;
  self->token_from_env = FALSE;

  if (self->timeout_set)
    tally_client_set_timeout (client, self->timeout);

  if (self->demo_server != NULL && g_strcmp0 (base_url, tally_demo_backend_get_url (self->demo_server)) != 0)
    _tally_session_drop_demo_server (self);

  if (g_strcmp0 (base_url, self->server_url) != 0)
    _tally_session_clear_data (self);

  _tally_session_watch_tokens (self, client);
  if (g_set_object (&self->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  set_string (self, &self->server_url, base_url, properties[PROP_SERVER_URL]);

  if (self->state != TALLY_SESSION_STATE_LOGGING_IN)
    _tally_session_set_state (self, TALLY_SESSION_STATE_LOGGED_OUT);

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
                               "%s", _ ("Enter the address of a server first."));
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

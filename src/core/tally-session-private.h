/* tally-session-private.h: what the parts of TallySession share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tally-session.c: the object, its properties and their setters;
 * tally-session-auth.c: logging in and out, the token's expiry and rotation;
 * tally-session-load.c: loading the account's data.
 */

#pragma once

#include "tally-credentials-private.h"
#include "tally-server-zone.h"
#include "tally-session.h"
#include "tally-usage-query.h"

G_BEGIN_DECLS

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
  TallyServerZone *server_zone;         /* zone_settings, else zone_evidence; NULL = unknown */
  TallyServerZone *zone_settings;       /* from /settings/public (Jul 2026 servers) */
  TallyServerZone *zone_evidence;       /* older servers: the offset of the newest timestamp */
  gint64 evidence_time;                 /* unix seconds of that timestamp */
  gboolean settings_known;              /* /settings/public read for this server */
  TallyPublicSettings *public_settings; /* its answer, while settings_known */
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

/* tally-session.c: the setters, each notifying its property */
void _tally_session_update_busy (TallySession *self);
void _tally_session_set_state (TallySession *self,
                               TallySessionState state);
void _tally_session_set_last_error (TallySession *self,
                                    const char *message);
void _tally_session_set_email (TallySession *self,
                               const char *email);
void _tally_session_set_server_today (TallySession *self,
                                      const char *server_today);
void _tally_session_update_zone (TallySession *self);
void _tally_session_set_user (TallySession *self,
                              TallyUser *user);
void _tally_session_set_dashboard_stats (TallySession *self,
                                         TallyDashboardStats *stats);
void _tally_session_set_recent_trend (TallySession *self,
                                      TallyTrend *trend);
void _tally_session_set_keys (TallySession *self,
                              GListModel *keys);
void _tally_session_clear_data (TallySession *self);
void _tally_session_set_demo (TallySession *self,
                              gboolean demo);
void _tally_session_drop_demo_server (TallySession *self);
void _tally_session_forget_server (TallySession *self);
void _tally_session_set_token_expiry (TallySession *self,
                                      gint64 expiry);
void _tally_session_set_expires_soon (TallySession *self,
                                      gboolean expires_soon);
void _tally_session_emit_reloaded (TallySession *self);

/* tally-session-auth.c */
void _tally_session_clear_expiry (TallySession *self);
void _tally_session_schedule_expiry (TallySession *self);
void _tally_session_expire (TallySession *self,
                            const GError *error);
void _tally_session_watch_tokens (TallySession *self,
                                  TallyClient *client);

/* tally-session-load.c */
void _tally_session_cancel_load (TallySession *self);
void _tally_session_complete_waiters (TallySession *self,
                                      const GError *error);
void _tally_session_begin_loading (TallySession *self,
                                   GTask *task);

G_END_DECLS

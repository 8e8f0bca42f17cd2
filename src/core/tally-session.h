/* tally-session.h: the view model the window binds to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TallySession owns the TallyClient (and, in demo mode, the in-process
 * demo server, a TallyDemoBackend), the login state and the dashboard objects. Widgets bind
 * to its properties; it never includes GTK.
 *
 * Loading is cancel-and-replace: tally_session_reload() cancels the load in
 * flight and schedules one new load on idle, so a burst of reloads costs one
 * set of requests. Properties are updated per item as responses arrive; a
 * failed request never clears the last good value. Errors are reported in
 * "last-error" as plain text (escape it before using it as markup). Any 401
 * while loading returns to LOGGED_OUT with "Your session has expired…",
 * keeping "server-url" and "email"; a login that ended for a known reason
 * (revoked, disabled, admin-only, moved: tally_error_ends_session()) says so
 * in its own sentence instead.
 *
 * Refresh tokens (today's servers): the client renews the access token by
 * itself; every rotated pair is stored in the keyring (one write at a time,
 * never in demo mode or with TALLY_TOKEN). When another process rotated the
 * stored pair first, the client re-reads the keyring once and goes on with it.
 * Logout revokes the refresh token on the server (POST /auth/logout) without
 * waiting for it: the keyring is cleared at once.
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-enums.h"
#include "tally-core-types.h"
#include "tally-demo-backend.h"
#include "tally-server-zone.h"

G_BEGIN_DECLS

/**
 * TallySessionState:
 * @TALLY_SESSION_STATE_LOGGED_OUT: no usable token; the login page is shown
 * @TALLY_SESSION_STATE_LOGGING_IN: a login (password, 2FA, token or demo) is in progress
 * @TALLY_SESSION_STATE_LOADING: logged in, the first load has not finished yet
 * @TALLY_SESSION_STATE_READY: logged in; the dashboard shows the last good data
 */
typedef enum
{
  TALLY_SESSION_STATE_LOGGED_OUT,
  TALLY_SESSION_STATE_LOGGING_IN,
  TALLY_SESSION_STATE_LOADING,
  TALLY_SESSION_STATE_READY,
} TallySessionState;

#define TALLY_TYPE_SESSION (tally_session_get_type ())

G_DECLARE_FINAL_TYPE (TallySession, tally_session, TALLY, SESSION, GObject)

TallySession *tally_session_new (void);

/* Property getters (all borrowed, may be NULL where noted). */
TallyClient *tally_session_get_client (TallySession *self); /* NULL until a server is set */
TallySessionState tally_session_get_state (TallySession *self);
gboolean tally_session_get_busy (TallySession *self);
const char *tally_session_get_last_error (TallySession *self);               /* plain text or NULL */
const char *tally_session_get_server_url (TallySession *self);               /* NULL until a server is set */
const char *tally_session_get_email (TallySession *self);                    /* NULL when unknown */
TallyUser *tally_session_get_user (TallySession *self);                      /* NULL until loaded */
TallyDashboardStats *tally_session_get_dashboard_stats (TallySession *self); /* NULL until loaded */
const char *tally_session_get_server_today (TallySession *self);             /* "YYYY-MM-DD" or NULL */
int tally_session_get_utc_offset (TallySession *self);                       /* seconds east of UTC */
gboolean tally_session_get_utc_offset_known (TallySession *self);
/* GET /settings/public of the session's server, read once per server by
 * the first load that could; NULL until then (or while it fails). */
TallyPublicSettings *tally_session_get_public_settings (TallySession *self);
/* The server's zone ("server-zone"; NULL until known): the one /settings/public
 * names (servers since Jul 2026), else a fixed offset taken from the newest
 * timestamp seen (the first usage row; never the account's created_at).
 * "utc-offset" is its offset on "server-today". */
TallyServerZone *tally_session_get_server_zone (TallySession *self);
/* A server timestamp newer than any seen tells an older server's offset now
 * (views that list usage rows pass the first row's created_at). Ignored when
 * the server names its zone or @timestamp is not the newest. */
void tally_session_note_server_timestamp (TallySession *self,
                                          GDateTime *timestamp);
/* The server's clock now, unix seconds: ours corrected by the Date header of
 * its last answer, or a demo server's frozen clock. */
gint64 tally_session_get_server_now (TallySession *self);
gboolean tally_session_get_demo (TallySession *self);
/* The in-process demo server while "demo" is TRUE, else NULL. */
TallyDemoBackend *tally_session_get_demo_backend (TallySession *self);
GListModel *tally_session_get_keys (TallySession *self); /* TallyApiKey, all pages */
/* The no-parameter trend of the last load (server default range: the 8 days
 * ending today, daily buckets, gaps not filled); NULL until loaded. */
TallyTrend *tally_session_get_recent_trend (TallySession *self);
const TallyUsageQuery *tally_session_get_usage_query (TallySession *self); /* never NULL */
void tally_session_set_usage_query (TallySession *self,
                                    const TallyUsageQuery *query);

/* Creates a new client for @url (an http or https site origin), unless the
 * current client already talks to that server (then nothing changes, and a
 * pending two-factor login is kept). A new server cancels any load in flight,
 * clears the data, drops the token, leaves demo mode when @url is not the demo
 * server's, and sets the state to LOGGED_OUT (unless a login is in progress). */
gboolean tally_session_set_server (TallySession *self,
                                   const char *url,
                                   GError **error);

/* GET /settings/public on the current server. */
void tally_session_check_server_async (TallySession *self,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
TallyPublicSettings *tally_session_check_server_finish (TallySession *self,
                                                        GAsyncResult *result,
                                                        GError **error);

/* Logs in on the current server, stores the token in the keyring (unless in
 * demo mode) and completes after the first load. A two-factor challenge
 * completes with TALLY_ERROR_TWO_FACTOR_REQUIRED; then call
 * tally_session_login_2fa_async() with the code. Every failure leaves the
 * state LOGGED_OUT (inline errors are the caller's to show; "last-error" is
 * not set for them). */
void tally_session_login_async (TallySession *self,
                                const char *email,
                                const char *password,
                                const char *turnstile_token,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean tally_session_login_finish (TallySession *self,
                                     GAsyncResult *result,
                                     GError **error);

void tally_session_login_2fa_async (TallySession *self,
                                    const char *totp_code,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
gboolean tally_session_login_2fa_finish (TallySession *self,
                                         GAsyncResult *result,
                                         GError **error);

/* Uses an access token (pasted by the user) on @url (NULL = the current
 * server). It is validated by loading /auth/me; on success it is stored in
 * the keyring under the user's e-mail. A failure leaves the state LOGGED_OUT. */
void tally_session_use_token_async (TallySession *self,
                                    const char *url,
                                    const char *token,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
gboolean tally_session_use_token_finish (TallySession *self,
                                         GAsyncResult *result,
                                         GError **error);

/* Restores a login: TALLY_TOKEN (with @server_url or TALLY_SERVER) wins over
 * the keyring, which is searched for @server_url (NULL = the most recently
 * stored account). Completes TRUE when logged in (state READY, possibly with
 * "last-error" set if the first load failed), FALSE without an error when
 * there is nothing to restore, FALSE with an error when the saved token was
 * refused (state LOGGED_OUT, "server-url"/"email" filled in). */
void tally_session_restore_async (TallySession *self,
                                  const char *server_url,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
gboolean tally_session_restore_finish (TallySession *self,
                                       GAsyncResult *result,
                                       GError **error);

/* Starts @demo, an in-process server not started yet (libtally-demo's
 * tally_demo_server_new_from_environment()), in the caller's main context,
 * logs in to it and loads; the session keeps it and stops it when the demo
 * ends. While the session still has the server of an earlier start, it uses
 * that one and @demo is not started. Never touches the keyring. */
void tally_session_start_demo_async (TallySession *self,
                                     TallyDemoBackend *demo,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
gboolean tally_session_start_demo_finish (TallySession *self,
                                          GAsyncResult *result,
                                          GError **error);

/* Cancel-and-replace reload of /auth/me, /usage/dashboard/stats, /keys and the
 * default trend (for "server-today" and "recent-trend"). Ignored while logged
 * out. The "reloaded" signal is emitted when it finished. */
void tally_session_reload (TallySession *self);

/* Token expiry: "token-expiry" is the token's "exp" (unix seconds, 0 when
 * unknown); "expires-soon" turns TRUE ten minutes before it (by the server's
 * clock, from the Date header) so that the UI can ask for a new login before
 * calls start failing. Demo sessions log in again by themselves instead, and
 * a login with a refresh token never expires soon (the client renews it). */
gint64 tally_session_get_token_expiry (TallySession *self);
gboolean tally_session_get_expires_soon (TallySession *self);

/* Per-request timeout in seconds for the session's clients (current and
 * future; default: the client's, 30 s; 0 = none). */
void tally_session_set_timeout (TallySession *self,
                                guint seconds);

/* Forgets the token (and the keyring entry unless in demo mode), clears the
 * data and cancels everything. "server-url" and "email" are kept. */
void tally_session_logout (TallySession *self);

G_END_DECLS

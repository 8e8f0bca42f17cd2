/* tally-demo-server.h: an in-process sub2api (S shape) server with synthetic data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Serves the panel API of API.md on http://127.0.0.1:<ephemeral port>, in the
 * thread-default main context of the caller of tally_demo_server_start().
 * Used by `tally --demo` and by the tests. The data is deterministic for a
 * given seed, days, rows, utc-offset and now. Nothing here logs a token.
 */

#pragma once

#include <glib-object.h>

#include "tally-demo-backend.h"

G_BEGIN_DECLS

/**
 * TallyDemoFault:
 * @TALLY_DEMO_FAULT_NONE: answer normally
 * @TALLY_DEMO_FAULT_HTML_502: 502, text/html "502 Bad Gateway" page (a reverse proxy)
 * @TALLY_DEMO_FAULT_SPA_HTML: 200, text/html index page (a wrong base URL)
 * @TALLY_DEMO_FAULT_TRUNCATED_JSON: the normal body cut in half (application/json)
 * @TALLY_DEMO_FAULT_WRONG_TYPES: every number inside `data` sent as a string
 * @TALLY_DEMO_FAULT_NULL_ARRAYS: `items`, `trend`, `models` and `stats` sent as null
 * @TALLY_DEMO_FAULT_SERVER_ERROR: 500 {"code":500,"message":"internal error"}
 * @TALLY_DEMO_FAULT_TOKEN_EXPIRED: 401 {"code":"TOKEN_EXPIRED",…}
 * @TALLY_DEMO_FAULT_RATE_LIMITED: 429 {"code":"RATE_LIMITED",…} with Retry-After: 7
 * @TALLY_DEMO_FAULT_STALL: the answer comes only after 60 s
 * @TALLY_DEMO_FAULT_RESET: the connection is closed without an answer
 * @TALLY_DEMO_FAULT_HUGE_NUMBERS: every number inside `data` made huge: integers
 *   become 9223372036854775807 (the int64 maximum), fractions 1e400 (beyond double)
 * @TALLY_DEMO_FAULT_NEGATIVE_NUMBERS: every number inside `data` negated
 * @TALLY_DEMO_FAULT_UNAVAILABLE: 503 {"code":503,"message":"service unavailable"} with Retry-After: 1
 *
 * Faults apply to the /api/v1 routes except /settings/public and /auth/… (login, 2FA, me).
 */
typedef enum
{
  TALLY_DEMO_FAULT_NONE,
  TALLY_DEMO_FAULT_HTML_502,
  TALLY_DEMO_FAULT_SPA_HTML,
  TALLY_DEMO_FAULT_TRUNCATED_JSON,
  TALLY_DEMO_FAULT_WRONG_TYPES,
  TALLY_DEMO_FAULT_NULL_ARRAYS,
  TALLY_DEMO_FAULT_SERVER_ERROR,
  TALLY_DEMO_FAULT_TOKEN_EXPIRED,
  TALLY_DEMO_FAULT_RATE_LIMITED,
  TALLY_DEMO_FAULT_STALL,
  TALLY_DEMO_FAULT_RESET,
  TALLY_DEMO_FAULT_HUGE_NUMBERS,
  TALLY_DEMO_FAULT_NEGATIVE_NUMBERS,
  TALLY_DEMO_FAULT_UNAVAILABLE,
} TallyDemoFault;

/**
 * TallyDemoGeneration:
 * @TALLY_DEMO_GENERATION_CURRENT: a server of today (releases up to v0.2.25,
 *   API-2026.md): the default
 * @TALLY_DEMO_GENERATION_2025: the December 2025 server of API.md (S)
 */
typedef enum
{
  TALLY_DEMO_GENERATION_CURRENT,
  TALLY_DEMO_GENERATION_2025,
} TallyDemoGeneration;

#define TALLY_TYPE_DEMO_SERVER (tally_demo_server_get_type ())

G_DECLARE_FINAL_TYPE (TallyDemoServer, tally_demo_server, TALLY, DEMO_SERVER, GObject)

/* Properties (read when the server starts): "seed" (guint64, default 42),
 * "days" (guint, 90), "rows" (guint, about that many usage rows, 17000),
 * "utc-offset" (int seconds, 28800 = Asia/Shanghai), "now" (gint64 unix
 * seconds, 0 = the real time at start), "timezone" (IANA name, NULL =
 * the fixed "utc-offset"; when set it wins, e.g. "America/New_York": every
 * day boundary, hourly bucket and created_at suffix then follows the zone's
 * offset at that instant, DST included; start fails for an unknown name).
 * A today's server names its zone in /settings/public (server_timezone:
 * "timezone", or for a fixed offset Asia/Shanghai (28800), UTC (0),
 * Etc/GMT±N (whole hours), none otherwise) and sends server_utc_offset (the
 * offset now) and version "0.2.25"; a 2025 server sends version "0.1.1" only. */
TallyDemoServer *tally_demo_server_new (void);

/* The demo of `tally --demo` (the app and the CLI): a today's server with the
 * behaviours a real one has switched on. The environment can change it:
 *   TALLY_DEMO_GENERATION=2025   a December 2025 server instead
 *   TALLY_DEMO_ZONE=America/New_York   the server's zone (default: Asia/Shanghai)
 *   TALLY_DEMO_LIVE_ROWS=N       new requests a minute arriving while it runs
 *                                (default 4; 0 = none, the data stays still)
 *   TALLY_DEMO_RATE_LIMIT=off    no rate limiter; =HEAVY/GENERAL/SECONDS sets it
 *                                (default for today's server: 60/240/60; a
 *                                December 2025 server has none unless set)
 *   TALLY_DEMO_FAULTS=500:0.02,drop:0.02
 *                                random faults (tally_demo_server_set_fault_rates();
 *                                default none)
 *   TALLY_DEMO_ACCESS_SECONDS=N  access tokens last N seconds (default 600;
 *                                a plain tally_demo_server_new(): 24 h)
 *   TALLY_DEMO_NOW=UNIX_SECONDS  a frozen clock: the same data in every run
 *   TALLY_DEMO_NAMES=fixture     the tests' key names (markup, a formula)
 *                                instead of believable ones
 * Unknown values are ignored with a warning. Its keys have believable names;
 * a plain tally_demo_server_new() keeps the test fixtures' names (markup,
 * a spreadsheet formula: tally_demo_data_use_believable_names()). */
TallyDemoServer *tally_demo_server_new_from_environment (void);

/* Property "generation" (TallyDemoGeneration as guint, read at start too). */
TallyDemoGeneration tally_demo_server_get_generation (TallyDemoServer *self);
void tally_demo_server_set_generation (TallyDemoServer *self,
                                       TallyDemoGeneration generation);

/* Generates the data and listens on 127.0.0.1, ephemeral port. Serves in the
 * thread-default main context of the caller. */
gboolean tally_demo_server_start (TallyDemoServer *self,
                                  GError **error);
/* Disconnects every client and drops pending (delayed) answers. Safe to call twice. */
void tally_demo_server_stop (TallyDemoServer *self);

/* "http://127.0.0.1:PORT" while started, else NULL */
const char *tally_demo_server_get_url (TallyDemoServer *self);
const char *tally_demo_server_get_email (TallyDemoServer *self);
const char *tally_demo_server_get_password (TallyDemoServer *self);

/* A valid HS256 JWT for the demo user, issued now, lasting @lifetime_seconds
 * (negative: already expired). Works before start too. */
char *tally_demo_server_issue_token (TallyDemoServer *self,
                                     gint64 lifetime_seconds);

/* Every answer is held back @ms milliseconds (0 = none). */
void tally_demo_server_set_delay (TallyDemoServer *self,
                                  guint ms);
/* For tests: what subscription @id of a started server has used in @window
 * (a TallyDemoWindow: 0 daily, 1 weekly, 2 monthly), in USD, until it
 * stops. FALSE for an unknown id or window. */
gboolean tally_demo_server_set_subscription_usage (TallyDemoServer *self,
                                                   gint64 id,
                                                   guint window,
                                                   double usd);
/* For tests: the low-balance warning of /settings/public on today's server
 * (balance_low_notify_enabled when @threshold_usd > 0, and the threshold;
 * default 0: off). A December 2025 server sends neither. */
void tally_demo_server_set_balance_low_notify (TallyDemoServer *self,
                                               double threshold_usd);
/* For tests: renames key @id of a started server until it stops (two keys of
 * one name, a long name). FALSE for an unknown id. */
gboolean tally_demo_server_set_key_name (TallyDemoServer *self,
                                         gint64 id,
                                         const char *name);

void tally_demo_server_set_fault (TallyDemoServer *self,
                                  TallyDemoFault fault);
/* The fault set by tally_demo_server_set_fault() answers only the next @count
 * requests it applies to, then the server answers normally (0 = every
 * request, the default; tally_demo_server_set_fault() resets it to 0). */
void tally_demo_server_set_fault_limit (TallyDemoServer *self,
                                        guint count);

/* The rate limiter of today's servers (API-2026.md §1) in fixed windows of
 * @window_seconds: per user, @per_window_general requests on the panel API
 * and @per_window_heavy on the heavy routes (/api/v1/usage/…, the per-key
 * daily series; they count against both); per client IP 300 on
 * /settings/public, 20 on /auth/login, 20 on /auth/login/2fa, 30 on
 * /auth/refresh. Over: 429 {"code":"RATE_LIMITED",…} with Retry-After = the
 * seconds left in the window, rounded up. A limit of 0 is no limit;
 * @window_seconds 0 turns the limiter off (the default). Refused requests
 * are counted by tally_demo_server_get_request_count() too. */
void tally_demo_server_set_rate_limit (TallyDemoServer *self,
                                       guint per_window_heavy,
                                       guint per_window_general,
                                       guint window_seconds);
/* Requests the limiter refused so far. */
guint tally_demo_server_get_rate_limited_count (TallyDemoServer *self);

/* Random faults on the routes tally_demo_server_set_fault() applies to: a
 * fraction @http_500 answered 500 {"code":500,"message":"internal error"}, a
 * fraction @drop with the connection closed without an answer. The draws come
 * from a PRNG seeded with the "seed" property (reseeded by every call), so a
 * sequence of requests meets the same faults every run. 0, 0 = off (the default). */
void tally_demo_server_set_fault_rates (TallyDemoServer *self,
                                        double http_500,
                                        double drop);
/* Turnstile on: /settings/public says so and login needs turnstile_token "demo-turnstile-ok". */
void tally_demo_server_set_turnstile (TallyDemoServer *self,
                                      gboolean enabled);
/* A captcha Tally cannot show ("tencent" or "aliyun"; NULL = none): a
 * today's /settings/public says so (tencent_captcha_enabled /
 * aliyun_captcha_enabled) and login fails with 400
 * TENCENT_CAPTCHA_VERIFICATION_FAILED / ALIYUN_CAPTCHA_VERIFICATION_FAILED
 * unless the body carries the demo's own "captcha_token": "demo-captcha-ok". */
void tally_demo_server_set_captcha (TallyDemoServer *self,
                                    const char *kind);
/* Property "timezone" (see above). */
const char *tally_demo_server_get_timezone (TallyDemoServer *self);
void tally_demo_server_set_timezone (TallyDemoServer *self,
                                     const char *timezone);
/* Two-factor on: login answers the (L) requires_2fa challenge; /auth/login/2fa takes "123456". */
void tally_demo_server_set_two_factor (TallyDemoServer *self,
                                       gboolean enabled);

/* Logins (API-2026.md §3). On today's servers login and 2FA answer a
 * refresh token ("rt_…") and expires_in; POST /auth/refresh rotates it (a
 * used or unknown one: 401 REFRESH_TOKEN_INVALID, an expired one: 401
 * REFRESH_TOKEN_EXPIRED); POST /auth/logout revokes it. Generation 2025 has
 * neither route (the plain-text 404) and sends no refresh token. */
/* Lifetime of the access tokens issued from now on (default 24 h; 0 = expired at once). */
void tally_demo_server_set_access_lifetime (TallyDemoServer *self,
                                            gint64 seconds);
/* Lifetime of the refresh tokens issued from now on (default 30 days; 0 = expired at once). */
void tally_demo_server_set_refresh_lifetime (TallyDemoServer *self,
                                             gint64 seconds);
/* Every access token issued so far answers 401 TOKEN_EXPIRED from now on
 * (the tokens carry a serial "jti"; later ones are not affected). */
void tally_demo_server_expire_access_tokens (TallyDemoServer *self);
/* A password change: every login is revoked; its refresh tokens and every call
 * with its access tokens answer 401 TOKEN_REVOKED. */
void tally_demo_server_revoke_sessions (TallyDemoServer *self);
/* Session binding notices another network for every live login: its next use
 * (a call or a refresh) answers 401 SESSION_BINDING_MISMATCH and revokes it. */
void tally_demo_server_change_network (TallyDemoServer *self);
/* The account disabled (FALSE): login and refresh answer 403 USER_NOT_ACTIVE,
 * calls 401 USER_INACTIVE. */
void tally_demo_server_set_user_active (TallyDemoServer *self,
                                        gboolean active);
/* Backend mode: login and refresh of the (non-admin) demo user answer 403
 * BACKEND_MODE_ADMIN_ONLY. */
void tally_demo_server_set_admin_only (TallyDemoServer *self,
                                       gboolean admin_only);

/* Requests received for @path (without the query, e.g. "/api/v1/usage"); NULL = all. */
guint tally_demo_server_get_request_count (TallyDemoServer *self,
                                           const char *path);
void tally_demo_server_reset_request_counts (TallyDemoServer *self);

/* Appends @n usage rows at "now" with the next ids (the newest first in
 * /usage; every aggregate includes them). Before start they are added right
 * after the data is generated. */
void tally_demo_server_add_rows (TallyDemoServer *self,
                                 guint n);
/* Live rows: about @per_minute rows a minute on a timer in the serving
 * context while started; 0 (the default of tally_demo_server_new ()) = off. */
void tally_demo_server_set_live_rows (TallyDemoServer *self,
                                      guint per_minute);
guint tally_demo_server_get_live_rows (TallyDemoServer *self);

/**
 * TallyDemoUsageHook:
 * @self: the server
 * @page: the page asked for
 * @user_data: data given to tally_demo_server_set_usage_hook()
 *
 * For tests: runs before every GET /usage list answer is computed, so rows
 * it adds (tally_demo_server_add_rows()) are in that answer.
 */
typedef void (*TallyDemoUsageHook) (TallyDemoServer *self,
                                    gint64 page,
                                    gpointer user_data);
/* Replaces the hook (NULL = none); @destroy frees @user_data then or at finalize. */
void tally_demo_server_set_usage_hook (TallyDemoServer *self,
                                       TallyDemoUsageHook hook,
                                       gpointer user_data,
                                       GDestroyNotify destroy);

/* The server's calendar day "YYYY-MM-DD" of "now" (NULL before the first start). */
const char *tally_demo_server_get_today (TallyDemoServer *self);

G_END_DECLS

/* tally-client.h: the sub2api panel API, one _async/_finish pair per endpoint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TallyClient owns one SoupSession (keep-alive), the site origin and the JWT.
 * Every call takes a GCancellable; cancellation is reported as
 * G_IO_ERROR_CANCELLED, every other failure as a TALLY_ERROR (tally-error.h).
 * Callbacks are invoked in the thread-default main context of the caller.
 * Nothing here logs the token or an API key secret.
 *
 * Every request goes through the process-wide scheduler of its server
 * (tally-scheduler-private.h): clients of one server share its pacing. A 429
 * is never an error by itself: the request waits for Retry-After and is sent
 * again (TALLY_ERROR_RATE_LIMITED only after about 5 minutes of waiting).
 * Reads (GET, and the read-only POST of tally_client_get_keys_usage_async())
 * are retried on HTTP 500/502/503/504, an HTML page instead of data, time-outs
 * and lost connections to a server that has answered before: at most 5
 * attempts within about a minute, exponential backoff with full jitter.
 * Login, 2FA and every other POST under /auth are sent once.
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_CLIENT (tally_client_get_type ())

G_DECLARE_FINAL_TYPE (TallyClient, tally_client, TALLY, CLIENT, GObject)

/* @base_url: the site origin, e.g. "https://api.example.com" (a trailing slash
 * or a trailing "/api/v1" is accepted and dropped). Only http and https. */
TallyClient *tally_client_new (const char *base_url,
                               GError **error);
const char *tally_client_get_base_url (TallyClient *self);
/* TRUE for plain http:// to a host that is not loopback */
gboolean tally_client_is_insecure (TallyClient *self);

/* The JWT, or NULL. Property "token" (never printed by anything in core). */
const char *tally_client_get_token (TallyClient *self);
void tally_client_set_token (TallyClient *self,
                             const char *token);

/* Per-request timeout in seconds (default 30; 0 = none). */
void tally_client_set_timeout (TallyClient *self,
                               guint seconds);

/* Property "rate-limit-wait": the monotonic time (g_get_monotonic_time(), µs)
 * at which a request of this client held back by the server's rate limit is
 * sent again, 0 when none is waiting. Notified in the main context of the
 * callers of the requests. */
gint64 tally_client_get_rate_limit_wait (TallyClient *self);

/* The largest page_size this server is known to accept (shared by every
 * client of the server): 1000 until an answer has shown less. Lists that page
 * by themselves should ask for this many rows a page. */
gint64 tally_client_get_max_page_size (TallyClient *self);

/* Seconds the server's clock is ahead of ours, from the last response's Date header (0 if unknown). */
gint64 tally_client_get_clock_skew (TallyClient *self);

/* §2.1 GET /settings/public (no auth) */
void tally_client_get_public_settings_async (TallyClient *self,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data);
TallyPublicSettings *tally_client_get_public_settings_finish (TallyClient *self,
                                                              GAsyncResult *result,
                                                              GError **error);

/* §2.2 POST /auth/login. On success with a token the client's token is set.
 * A 2FA challenge completes with TALLY_ERROR_TWO_FACTOR_REQUIRED *and* returns
 * NULL; the temp token is then available from tally_client_get_pending_2fa_token(). */
void tally_client_login_async (TallyClient *self,
                               const char *email,
                               const char *password,
                               const char *turnstile_token,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data);
TallyAuthResult *tally_client_login_finish (TallyClient *self,
                                            GAsyncResult *result,
                                            GError **error);
const char *tally_client_get_pending_2fa_token (TallyClient *self);

/* L: POST /auth/login/2fa {"temp_token","totp_code"} */
void tally_client_login_2fa_async (TallyClient *self,
                                   const char *temp_token,
                                   const char *totp_code,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
TallyAuthResult *tally_client_login_2fa_finish (TallyClient *self,
                                                GAsyncResult *result,
                                                GError **error);

/* §2.4 GET /auth/me and GET /user/profile */
void tally_client_get_me_async (TallyClient *self,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
TallyUser *tally_client_get_me_finish (TallyClient *self,
                                       GAsyncResult *result,
                                       GError **error);
void tally_client_get_profile_async (TallyClient *self,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
TallyUser *tally_client_get_profile_finish (TallyClient *self,
                                            GAsyncResult *result,
                                            GError **error);

/* §3.1 GET /keys?page=&page_size= ; a TallyPage of TallyApiKey */
void tally_client_list_keys_async (TallyClient *self,
                                   gint64 page,
                                   gint64 page_size,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
TallyPage *tally_client_list_keys_finish (TallyClient *self,
                                          GAsyncResult *result,
                                          GError **error);

/* Every key, all pages (tally_client_get_max_page_size() rows a page,
 * learning a smaller maximum from the echoed page_size). */
void tally_client_list_all_keys_async (TallyClient *self,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
/* Returns a GListModel of TallyApiKey in server order (id descending). */
GListModel *tally_client_list_all_keys_finish (TallyClient *self,
                                               GAsyncResult *result,
                                               GError **error);

/* §3.2 GET /keys/:id */
void tally_client_get_key_async (TallyClient *self,
                                 gint64 id,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data);
TallyApiKey *tally_client_get_key_finish (TallyClient *self,
                                          GAsyncResult *result,
                                          GError **error);

/* §3.3 GET /usage with the query's filters; a TallyPage of TallyUsageLog */
void tally_client_list_usage_async (TallyClient *self,
                                    const TallyUsageQuery *query,
                                    gint64 page,
                                    gint64 page_size,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
TallyPage *tally_client_list_usage_finish (TallyClient *self,
                                           GAsyncResult *result,
                                           GError **error);

/**
 * TallyPageFunc:
 * @page: one page of results
 * @user_data: data passed to tally_client_foreach_usage_page_async()
 *
 * Return: %FALSE to stop early (the operation then completes successfully).
 */
typedef gboolean (*TallyPageFunc) (TallyPage *page,
                                   gpointer user_data);

/* Every page of the query, in order, starting at page 1 with @page_size (the
 * echoed page_size is honoured; 0 = the largest the server takes: asks for
 * tally_client_get_max_page_size() and learns from the echo, asking page 1
 * again with 100 when a December 2025 server answers 20). These pages wait
 * behind every other request of the process to the same server. Stops on page >= pages or a
 * short page. @page_func is called in the caller's main context for each page.
 * Up to @max_in_flight (>= 1) later pages are requested while earlier ones are
 * delivered; pages are still delivered in order. Completes with TRUE. */
void tally_client_foreach_usage_page_async (TallyClient *self,
                                            const TallyUsageQuery *query,
                                            gint64 page_size,
                                            guint max_in_flight,
                                            TallyPageFunc page_func,
                                            gpointer page_func_data,
                                            GDestroyNotify page_func_data_destroy,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data);
gboolean tally_client_foreach_usage_page_finish (TallyClient *self,
                                                 GAsyncResult *result,
                                                 GError **error);

/* §3.4 GET /usage/:id */
void tally_client_get_usage_async (TallyClient *self,
                                   gint64 id,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
TallyUsageLog *tally_client_get_usage_finish (TallyClient *self,
                                              GAsyncResult *result,
                                              GError **error);

/* §3.5 GET /usage/stats (tally_usage_query_to_stats_params) */
void tally_client_get_usage_stats_async (TallyClient *self,
                                         const TallyUsageQuery *query,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
TallyUsageStats *tally_client_get_usage_stats_finish (TallyClient *self,
                                                      GAsyncResult *result,
                                                      GError **error);

/* §3.6 GET /usage/dashboard/stats */
void tally_client_get_dashboard_stats_async (TallyClient *self,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data);
TallyDashboardStats *tally_client_get_dashboard_stats_finish (TallyClient *self,
                                                              GAsyncResult *result,
                                                              GError **error);

/* §3.7 GET /usage/dashboard/trend; NULL dates = server defaults */
void tally_client_get_trend_async (TallyClient *self,
                                   const char *start_date,
                                   const char *end_date,
                                   TallyGranularity granularity,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
TallyTrend *tally_client_get_trend_finish (TallyClient *self,
                                           GAsyncResult *result,
                                           GError **error);

/* §3.8 GET /usage/dashboard/models; NULL dates = server defaults */
void tally_client_get_model_stats_async (TallyClient *self,
                                         const char *start_date,
                                         const char *end_date,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
TallyModelBreakdown *tally_client_get_model_stats_finish (TallyClient *self,
                                                          GAsyncResult *result,
                                                          GError **error);

/* §3.9 POST /usage/dashboard/api-keys-usage, chunked by 100 ids (requests run
 * concurrently). Returns a GListModel of TallyKeyUsage sorted by api_key_id;
 * ids the server dropped (deleted, foreign, unknown) are simply absent. */
void tally_client_get_keys_usage_async (TallyClient *self,
                                        const gint64 *ids,
                                        gsize n_ids,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data);
GListModel *tally_client_get_keys_usage_finish (TallyClient *self,
                                                GAsyncResult *result,
                                                GError **error);

/* ------------------------------------------------------------------------
 * Refresh tokens (today's servers, API-2026.md §3)
 *
 * A login on a today's server also gives a refresh token ("rt_…") and the
 * access token's lifetime. The client keeps both and renews the access token
 * by itself (POST /auth/refresh): shortly before it expires (a minute, or a
 * tenth of its lifetime when that is shorter), and once when an
 * authenticated call answers 401 TOKEN_EXPIRED. One refresh runs at a time:
 * calls that need it wait for it and are then sent again, once each; a failed
 * refresh fails them all with its error. The refresh token rotates, so every
 * login and every refresh emits "tokens-changed" (no arguments): store the new
 * pair then (tally_client_get_token(), _get_refresh_token(),
 * _get_token_expires_at()). Anonymous calls never refresh; a client without a
 * refresh token (a December 2025 server, TALLY_TOKEN, a pasted token) behaves
 * as before. A refresh refused for good (tally_error_ends_session()) drops
 * the refresh token.
 * ------------------------------------------------------------------------ */

const char *tally_client_get_refresh_token (TallyClient *self);
/* When the access token expires, unix seconds of our clock (from
 * "expires_in", else the JWT's "exp" and the server's clock skew); 0 = unknown. */
gint64 tally_client_get_token_expires_at (TallyClient *self);
/* Sets the whole login at once (e.g. from the keyring). @expires_at 0 = take
 * it from the JWT. tally_client_set_token() drops the refresh token. Does not
 * emit "tokens-changed". */
void tally_client_set_tokens (TallyClient *self,
                              const char *token,
                              const char *refresh_token,
                              gint64 expires_at);

/**
 * TallyClientReloadFunc:
 * @client: the client
 * @task: complete it with g_task_return_pointer (@task, account,
 *   (GDestroyNotify) tally_account_free): the login stored now (a
 *   TallyAccount), or %NULL when there is none, or with an error
 * @user_data: data given to tally_client_set_reload_func()
 *
 * Called at most once per refresh when the server refused the refresh token
 * as REFRESH_TOKEN_INVALID: another process using the same stored login (the
 * window and a `tally` run from cron) may have rotated it and stored the new
 * pair. When the stored refresh token differs from the refused one, the
 * client takes the stored pair (refreshing once more with it if its access
 * token is due too) instead of failing. tally_credentials_reload_tokens() is
 * the implementation that reads the keyring.
 */
typedef void (*TallyClientReloadFunc) (TallyClient *client,
                                       GTask *task,
                                       gpointer user_data);
void tally_client_set_reload_func (TallyClient *self,
                                   TallyClientReloadFunc func,
                                   gpointer user_data,
                                   GDestroyNotify destroy);

/* POST /auth/refresh with the refresh token held, joining a refresh in flight
 * if there is one. TALLY_ERROR_UNAUTHORIZED when the client has no refresh
 * token; on a December 2025 server the route does not exist
 * (TALLY_ERROR_NOT_SUPPORTED). */
void tally_client_refresh_async (TallyClient *self,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data);
gboolean tally_client_refresh_finish (TallyClient *self,
                                      GAsyncResult *result,
                                      GError **error);

/* Forgets the tokens at once, then revokes the refresh token on the server
 * (POST /auth/logout), waiting at most 5 seconds (TALLY_ERROR_TIMEOUT). Completes
 * TRUE at once when there is no refresh token. Nothing local waits for it. */
void tally_client_logout_async (TallyClient *self,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean tally_client_logout_finish (TallyClient *self,
                                     GAsyncResult *result,
                                     GError **error);

/* Decode the "exp" claim of a JWT without verifying it. Returns 0 if absent/unreadable. */
gint64 tally_token_get_expiry (const char *token);

G_END_DECLS

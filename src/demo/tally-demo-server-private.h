/* tally-demo-server-private.h: what the parts of the demo server share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tally-demo-server.c: the object, its properties, listening, the dispatch
 * of a request (routing, faults, the rate limiter) and the environment;
 * tally-demo-server-auth.c: tokens, the JWT middleware, request binding and
 * the login, 2FA, refresh and logout routes; tally-demo-server-routes.c:
 * responses, entity JSON, query parameters, the route table and the settings,
 * profile and key routes; tally-demo-server-routes-usage.c: the usage and
 * dashboard routes. Functions one part calls in another have the _tally_demo_
 * prefix.
 */

#pragma once

#include <libsoup/soup.h>

#include "tally-demo-data.h"
#include "tally-demo-server.h"
#include "tally-demo-sessions-private.h"

G_BEGIN_DECLS

#define JSON_CONTENT_TYPE "application/json; charset=utf-8"
#define HTML_CONTENT_TYPE "text/html; charset=utf-8"
#define TOKEN_LIFETIME_SECONDS (24 * 3600)
#define REFRESH_LIFETIME_SECONDS (30 * 24 * 3600)
#define DEMO_ACCESS_SECONDS (10 * 60)
#define CHALLENGE_LIFETIME_SECONDS (5 * 60)
#define STALL_MS 60000
#define RETRY_AFTER_SECONDS 7
#define TURNSTILE_TOKEN "demo-turnstile-ok"
#define TURNSTILE_SITE_KEY "1x00000000000000000000AA"
#define TOTP_CODE "123456"
#define CAPTCHA_TOKEN "demo-captcha-ok"
#define DEFAULT_TIMEZONE "Asia/Shanghai"
#define DEFAULT_UTC_OFFSET 28800
#define MAX_PAGE_SIZE 1000 /* today's servers; S takes up to S_MAX_PAGE_SIZE */
#define S_MAX_PAGE_SIZE 100
#define DEFAULT_PAGE_SIZE 20
#define MAX_BATCH_IDS 100
/* tally_demo_server_new_from_environment (): new requests a minute */
#define DEMO_LIVE_ROWS_PER_MINUTE 4

struct _TallyDemoServer
{
  GObject parent_instance;

  /* configuration, read at start */
  gboolean believable_names; /* tally_demo_data_use_believable_names () */
  guint64 seed;
  guint days;
  guint rows;
  int utc_offset;
  char *timezone; /* IANA name; NULL: the fixed utc_offset */
  gint64 now;
  TallyDemoGeneration generation;

  /* behaviour switches */
  guint delay_ms;
  TallyDemoFault fault;
  gboolean turnstile;
  gboolean two_factor;
  char *captcha;                /* "tencent", "aliyun" or NULL */
  guint fault_limit;            /* answers left with the fault, 0 = no limit */
  double balance_low_threshold; /* USD; 0 = the server does not warn */

  /* rate limiter (fixed windows) and random faults; see tally_demo_server_set_rate_limit() */
  guint limit_heavy;
  guint limit_general;
  guint limit_window;        /* seconds, 0 = off */
  GHashTable *limit_windows; /* "user:ID" / "ip:ADDR:ROUTE" → LimitWindow * */
  guint rate_limited_count;
  double fault_500_rate;
  double fault_drop_rate;
  GRand *fault_rand;

  /* logins of today's servers: refresh tokens and their test hooks */
  TallyDemoSessions *sessions;
  gint64 access_lifetime;  /* seconds */
  gint64 refresh_lifetime; /* seconds */
  guint64 last_serial;     /* the "jti" of the last access token issued */
  guint64 expired_through; /* access tokens with a "jti" up to this one are expired */
  gboolean user_inactive;
  gboolean admin_only; /* backend mode: only admins may log in */

  /* owned */
  SoupServer *server;
  GSocketService *service; /* see tally-soup-listen-private.h */
  TallyDemoData *data;
  char *url;
  char *today;
  guint8 secret[32];
  GHashTable *request_counts; /* path → GUINT_TO_POINTER (count) */
  guint total_requests;
  GHashTable *challenges; /* 2FA temp token → expiry (unix seconds, gint64 *) */
  GPtrArray *deferred;    /* Deferred *: answers held back on a timer */

  /* live rows: tally_demo_server_add_rows (), on a timer, and the test hook */
  guint live_rows_per_minute;
  GSource *live_source;
  guint pending_rows; /* added before start */
  TallyDemoUsageHook usage_hook;
  gpointer usage_hook_data;
  GDestroyNotify usage_hook_destroy;
};

/* ------------------------------------------------------------------------ */
/* Requests and responses                                                   */

typedef struct
{
  SoupServerMessage *msg;
  const char *method;
  const char *path;  /* decoded */
  GHashTable *query; /* first value of each name */
  const char *param; /* the :id segment */
  gint64 user_id;    /* set by the JWT middleware */
  gint64 max_page_size;
} Request;

typedef struct
{
  guint status;
  const char *content_type;
  GString *body;
  TallyDemoJson json;
  char *location;
  guint retry_after;
} Response;

typedef void (*Handler) (TallyDemoServer *self,
                         Request *req,
                         Response *resp);

typedef enum
{
  ROUTE_AUTH = 1 << 0,       /* behind the JWT middleware */
  ROUTE_FAULTS = 1 << 1,     /* affected by tally_demo_server_set_fault() */
  ROUTE_TWO_FACTOR = 1 << 2, /* only while two-factor is enabled (an L route) */
  ROUTE_CURRENT = 1 << 3,    /* only on today's servers (not in generation 2025) */
} RouteFlags;

typedef struct
{
  const char *method;
  const char *pattern;
  RouteFlags flags;
  Handler handler;
} Route;

/* The answers of a key ownership check (_tally_demo_lookup_key ()) */
typedef struct
{
  const char *invalid;        /* 400: not an int64 */
  const char *missing;        /* 404: no such key, or deleted */
  const char *missing_reason; /* the reason of the 404, or NULL */
  const char *forbidden;      /* 403: another user's key */
} KeyMessages;

/* tally-demo-server-routes.c */
const char *_tally_demo_query_get (Request *req,
                                   const char *name);
void _tally_demo_response_reset (Response *resp);
TallyDemoJson *_tally_demo_success_begin (Response *resp);
void _tally_demo_success_end (Response *resp);
void _tally_demo_respond_error (Response *resp,
                                guint status,
                                const char *message,
                                const char *reason);
void _tally_demo_respond_code_error (Response *resp,
                                     guint status,
                                     const char *code,
                                     const char *message);
void _tally_demo_respond_invalid_request (Response *resp,
                                          const char *detail);
void _tally_demo_respond_text (Response *resp,
                               guint status,
                               const char *content_type,
                               const char *text);
void _tally_demo_respond_no_route (Response *resp);
void _tally_demo_respond_spa (Response *resp);
void _tally_demo_write_user (TallyDemoServer *self,
                             TallyDemoJson *json,
                             const char *key,
                             const TallyDemoUser *user,
                             gboolean with_notes);
void _tally_demo_write_group (TallyDemoServer *self,
                              TallyDemoJson *json,
                              const char *key,
                              const TallyDemoGroup *group);
void _tally_demo_write_usage_row (TallyDemoServer *self,
                                  TallyDemoJson *json,
                                  const char *name,
                                  const TallyDemoRow *row,
                                  gboolean nested);
GHashTable *_tally_demo_parse_query (const char *query);
void _tally_demo_parse_pagination (Request *req,
                                   gint64 *page,
                                   gint64 *page_size);
void _tally_demo_write_page_footer (TallyDemoJson *json,
                                    guint64 total,
                                    gint64 page,
                                    gint64 page_size);
int _tally_demo_lookup_key (TallyDemoServer *self,
                            Request *req,
                            Response *resp,
                            const char *text,
                            const KeyMessages *messages);
const Route *_tally_demo_find_route (TallyDemoServer *self,
                                     const char *method,
                                     const char *path,
                                     char **param);
gboolean _tally_demo_is_backend_path (const char *path);

/* tally-demo-server-auth.c */
const TallyDemoValue *_tally_demo_object_member (const TallyDemoValue *object,
                                                 const char *name);
gboolean _tally_demo_authenticate (TallyDemoServer *self,
                                   Request *req,
                                   Response *resp);
TallyDemoValue *_tally_demo_parse_body (Request *req,
                                        Response *resp);
void _tally_demo_handle_login (TallyDemoServer *self,
                               Request *req,
                               Response *resp);
void _tally_demo_handle_login_2fa (TallyDemoServer *self,
                                   Request *req,
                                   Response *resp);
void _tally_demo_handle_refresh (TallyDemoServer *self,
                                 Request *req,
                                 Response *resp);
void _tally_demo_handle_logout (TallyDemoServer *self,
                                Request *req,
                                Response *resp);

/* tally-demo-server-routes-usage.c */
void _tally_demo_handle_usage_list (TallyDemoServer *self,
                                    Request *req,
                                    Response *resp);
void _tally_demo_handle_usage_get (TallyDemoServer *self,
                                   Request *req,
                                   Response *resp);
void _tally_demo_handle_usage_stats (TallyDemoServer *self,
                                     Request *req,
                                     Response *resp);
void _tally_demo_handle_dashboard_stats (TallyDemoServer *self,
                                         Request *req,
                                         Response *resp);
void _tally_demo_handle_trend (TallyDemoServer *self,
                               Request *req,
                               Response *resp);
void _tally_demo_handle_models (TallyDemoServer *self,
                                Request *req,
                                Response *resp);
void _tally_demo_handle_keys_usage (TallyDemoServer *self,
                                    Request *req,
                                    Response *resp);

/* tally-demo-server-routes-subs.c */
void _tally_demo_handle_subscriptions (TallyDemoServer *self,
                                       Request *req,
                                       Response *resp);
void _tally_demo_handle_subscriptions_active (TallyDemoServer *self,
                                              Request *req,
                                              Response *resp);
void _tally_demo_handle_subscriptions_progress (TallyDemoServer *self,
                                                Request *req,
                                                Response *resp);
void _tally_demo_handle_platform_quotas (TallyDemoServer *self,
                                         Request *req,
                                         Response *resp);
/* A key's status: on today's servers "expired" or "quota_exhausted" when
 * its expiry or quota says so. */
const char *_tally_demo_key_status (TallyDemoServer *self,
                                    const TallyDemoKey *key);
/* Today's servers' quota fields of a key (nothing on a 2025 server). */
void _tally_demo_write_key_quota (TallyDemoServer *self,
                                  TallyDemoJson *json,
                                  const TallyDemoKey *key);

G_END_DECLS

/* tally-demo-server.c: an in-process sub2api (S shape) server with synthetic data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One catch-all SoupServer handler does what gin does in front of the panel
 * API: CORS headers, OPTIONS → 204, trailing-slash redirects, the plain-text
 * 404 for unknown /api paths and wrong methods, the SPA page for other paths,
 * the JWT middleware, then the route. Bodies are written the way Go's
 * encoding/json writes them (tally-demo-data.c), every statistic comes from
 * tally_demo_data_aggregate().
 */

#define G_LOG_DOMAIN "tally-demo-server"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "tally-demo-data.h"
#include "tally-demo-server.h"
#include "tally-demo-sessions-private.h"
#include "tally-soup-listen-private.h"

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
  char *captcha;     /* "tencent", "aliyun" or NULL */
  guint fault_limit; /* answers left with the fault, 0 = no limit */

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

static void tally_demo_server_backend_init (TallyDemoBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TallyDemoServer, tally_demo_server, G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (TALLY_TYPE_DEMO_BACKEND, tally_demo_server_backend_init))

enum
{
  PROP_0,
  PROP_SEED,
  PROP_DAYS,
  PROP_ROWS,
  PROP_UTC_OFFSET,
  PROP_NOW,
  PROP_GENERATION,
  PROP_TIMEZONE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The end (exclusive) of a range whose last day is @end_day: the next
 * midnight today; S added an absolute 24 h to the last midnight (API.md
 * §5.2), which misses the last hour of a 25-hour day. */
static gint64
range_end_us (TallyDemoServer *self,
              gint64 end_day)
{
  if (self->generation == TALLY_DEMO_GENERATION_2025)
    return tally_demo_data_day_start_us (self->data, end_day) + TALLY_DEMO_US_PER_DAY;
  return tally_demo_data_day_start_us (self->data, end_day + 1);
}

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

static const char *
query_get (Request *req,
           const char *name)
{
  const char *value = g_hash_table_lookup (req->query, name);

  return value != NULL && *value != '\0' ? value : NULL;
}

static void
response_reset (Response *resp)
{
  g_string_truncate (resp->body, 0);
  tally_demo_json_init (&resp->json, resp->body);
  resp->content_type = JSON_CONTENT_TYPE;
}

/* {"code":0,"message":"success", then the caller writes "data" */
static TallyDemoJson *
success_begin (Response *resp)
{
  response_reset (resp);
  resp->status = SOUP_STATUS_OK;
  tally_demo_json_begin_object (&resp->json, NULL);
  tally_demo_json_int (&resp->json, "code", 0);
  tally_demo_json_string (&resp->json, "message", "success");
  return &resp->json;
}

static void
success_end (Response *resp)
{
  tally_demo_json_end_object (&resp->json);
}

/* the response envelope of a handler or service error */
static void
respond_error (Response *resp,
               guint status,
               const char *message,
               const char *reason)
{
  response_reset (resp);
  resp->status = status;
  tally_demo_json_begin_object (&resp->json, NULL);
  tally_demo_json_int (&resp->json, "code", status);
  tally_demo_json_string (&resp->json, "message", message);
  if (reason != NULL)
    tally_demo_json_string (&resp->json, "reason", reason);
  tally_demo_json_end_object (&resp->json);
}

/* middleware shape: string code, no envelope */
static void
respond_code_error (Response *resp,
                    guint status,
                    const char *code,
                    const char *message)
{
  response_reset (resp);
  resp->status = status;
  tally_demo_json_begin_object (&resp->json, NULL);
  tally_demo_json_string (&resp->json, "code", code);
  tally_demo_json_string (&resp->json, "message", message);
  tally_demo_json_end_object (&resp->json);
}

static void
respond_invalid_request (Response *resp,
                         const char *detail)
{
  g_autofree char *message = g_strconcat ("Invalid request: ", detail, NULL);

  respond_error (resp, SOUP_STATUS_BAD_REQUEST, message, NULL);
}

static void
respond_text (Response *resp,
              guint status,
              const char *content_type,
              const char *text)
{
  response_reset (resp);
  resp->status = status;
  resp->content_type = content_type;
  g_string_append (resp->body, text);
}

static void
respond_no_route (Response *resp)
{
  respond_text (resp, SOUP_STATUS_NOT_FOUND, "text/plain", "404 page not found");
}

static void
respond_spa (Response *resp)
{
  respond_text (resp, SOUP_STATUS_OK, HTML_CONTENT_TYPE,
                "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"UTF-8\">\n"
                "<title>Tally Demo</title>\n<script type=\"module\" src=\"/assets/index.js\"></script>\n"
                "</head>\n<body>\n<div id=\"app\"></div>\n</body>\n</html>\n");
}

/* ------------------------------------------------------------------------ */
/* JSON for entities                                                        */

static gint64
seconds_to_us (gint64 seconds)
{
  return seconds * TALLY_DEMO_US_PER_SECOND;
}

static void
write_user (TallyDemoServer *self,
            TallyDemoJson *json,
            const char *key,
            const TallyDemoUser *user,
            gboolean with_notes)
{
  tally_demo_json_begin_object (json, key);
  tally_demo_json_int (json, "id", user->id);
  tally_demo_json_string (json, "email", user->email);
  tally_demo_json_string (json, "username", user->username);
  tally_demo_json_string (json, "wechat", user->wechat);
  tally_demo_json_string (json, "notes", with_notes ? user->notes : "");
  tally_demo_json_string (json, "role", user->role);
  tally_demo_json_double (json, "balance", user->balance);
  tally_demo_json_int (json, "concurrency", user->concurrency);
  tally_demo_json_string (json, "status", user->status);
  tally_demo_json_null (json, "allowed_groups");
  tally_demo_json_time (json, "created_at", seconds_to_us (user->created_at), tally_demo_data_offset_at (self->data, seconds_to_us (user->created_at)));
  tally_demo_json_time (json, "updated_at", seconds_to_us (user->updated_at), tally_demo_data_offset_at (self->data, seconds_to_us (user->updated_at)));
  tally_demo_json_end_object (json);
}

static void
write_group (TallyDemoServer *self,
             TallyDemoJson *json,
             const char *key,
             const TallyDemoGroup *group)
{
  tally_demo_json_begin_object (json, key);
  tally_demo_json_int (json, "id", group->id);
  tally_demo_json_string (json, "name", group->name);
  tally_demo_json_string (json, "description", group->description);
  tally_demo_json_string (json, "platform", group->platform);
  tally_demo_json_double (json, "rate_multiplier", group->multiplier_milli / 1000.0);
  tally_demo_json_bool (json, "is_exclusive", group->is_exclusive);
  tally_demo_json_string (json, "status", group->status);
  tally_demo_json_string (json, "subscription_type", group->subscription_type);
  tally_demo_json_nullable_double (json, "daily_limit_usd", group->daily_limit_usd);
  tally_demo_json_nullable_double (json, "weekly_limit_usd", group->weekly_limit_usd);
  tally_demo_json_nullable_double (json, "monthly_limit_usd", group->monthly_limit_usd);
  tally_demo_json_time (json, "created_at", seconds_to_us (group->created_at), tally_demo_data_offset_at (self->data, seconds_to_us (group->created_at)));
  tally_demo_json_time (json, "updated_at", seconds_to_us (group->updated_at), tally_demo_data_offset_at (self->data, seconds_to_us (group->updated_at)));
  tally_demo_json_end_object (json);
}

static void
write_key (TallyDemoServer *self,
           TallyDemoJson *json,
           const char *name,
           const TallyDemoKey *key,
           gboolean with_user,
           gboolean with_group)
{
  const TallyDemoGroup *group = tally_demo_data_get_group (self->data, key->group_id);

  tally_demo_json_begin_object (json, name);
  tally_demo_json_int (json, "id", key->id);
  tally_demo_json_int (json, "user_id", key->user_id);
  tally_demo_json_string (json, "key", key->secret);
  tally_demo_json_string (json, "name", key->name);
  if (key->group_id > 0)
    tally_demo_json_int (json, "group_id", key->group_id);
  else
    tally_demo_json_null (json, "group_id");
  tally_demo_json_string (json, "status", key->status);
  tally_demo_json_time (json, "created_at", seconds_to_us (key->created_at), tally_demo_data_offset_at (self->data, seconds_to_us (key->created_at)));
  tally_demo_json_time (json, "updated_at", seconds_to_us (key->updated_at), tally_demo_data_offset_at (self->data, seconds_to_us (key->updated_at)));
  if (with_user)
    write_user (self, json, "user", tally_demo_data_get_user (self->data, key->user_id), TRUE);
  if (with_group && group != NULL)
    write_group (self, json, "group", group);
  tally_demo_json_end_object (json);
}

/* S leaks the upstream account, credentials included; the demo's are fake. */
static void
write_account (TallyDemoServer *self,
               TallyDemoJson *json,
               const char *key,
               const TallyDemoAccount *account)
{
  gint64 created = seconds_to_us (tally_demo_data_get_user (self->data, TALLY_DEMO_USER_ID)->created_at);
  gint64 now = tally_demo_data_get_now_us (self->data);

  tally_demo_json_begin_object (json, key);
  tally_demo_json_int (json, "id", account->id);
  tally_demo_json_string (json, "name", account->name);
  tally_demo_json_string (json, "platform", account->platform);
  tally_demo_json_string (json, "type", account->type);
  tally_demo_json_begin_object (json, "credentials");
  tally_demo_json_string (json, "access_token", "demo-upstream-secret");
  tally_demo_json_end_object (json);
  tally_demo_json_raw (json, "extra", "{}");
  tally_demo_json_null (json, "proxy_id");
  tally_demo_json_int (json, "concurrency", 3);
  tally_demo_json_int (json, "priority", 50);
  tally_demo_json_string (json, "status", "active");
  tally_demo_json_string (json, "error_message", "");
  tally_demo_json_time (json, "last_used_at", now, tally_demo_data_offset_at (self->data, now));
  tally_demo_json_time (json, "created_at", created, tally_demo_data_offset_at (self->data, created));
  tally_demo_json_time (json, "updated_at", created, tally_demo_data_offset_at (self->data, created));
  tally_demo_json_bool (json, "schedulable", TRUE);
  tally_demo_json_null (json, "rate_limited_at");
  tally_demo_json_null (json, "rate_limit_reset_at");
  tally_demo_json_null (json, "overload_until");
  tally_demo_json_null (json, "session_window_start");
  tally_demo_json_null (json, "session_window_end");
  tally_demo_json_string (json, "session_window_status", "");
  tally_demo_json_end_object (json);
}

static void
write_usage_row (TallyDemoServer *self,
                 TallyDemoJson *json,
                 const char *name,
                 const TallyDemoRow *row,
                 gboolean nested)
{
  TallyDemoData *data = self->data;
  guint n_rows;
  const TallyDemoRow *rows = tally_demo_data_get_rows (data, &n_rows);
  guint n_keys;
  const TallyDemoKey *key = &tally_demo_data_get_keys (data, &n_keys)[row->key];
  guint n_models;
  const TallyDemoModel *model = &tally_demo_data_get_models (data, &n_models)[row->model];
  const TallyDemoAccount *account = tally_demo_data_get_account (data, row->account);
  const TallyDemoGroup *group = tally_demo_data_get_group (data, key->group_id);
  int billing_type = tally_demo_row_billing_type (data, row);
  g_autofree char *request_id = tally_demo_row_request_id (data, row);
  TallyDemoCosts costs;

  tally_demo_row_costs (data, row, &costs);

  tally_demo_json_begin_object (json, name);
  tally_demo_json_int (json, "id", (row - rows) + 1);
  tally_demo_json_int (json, "user_id", key->user_id);
  tally_demo_json_int (json, "api_key_id", key->id);
  tally_demo_json_int (json, "account_id", account->id);
  tally_demo_json_string (json, "request_id", request_id);
  tally_demo_json_string (json, "model", model->name);
  tally_demo_json_nullable_int (json, "group_id", group != NULL ? group->id : -1);
  tally_demo_json_nullable_int (json, "subscription_id", billing_type == 1 ? 1 : -1);
  tally_demo_json_int (json, "input_tokens", row->input_tokens);
  tally_demo_json_int (json, "output_tokens", row->output_tokens);
  tally_demo_json_int (json, "cache_creation_tokens", row->cache_creation_tokens);
  tally_demo_json_int (json, "cache_read_tokens", row->cache_read_tokens);
  tally_demo_json_int (json, "cache_creation_5m_tokens", 0);
  tally_demo_json_int (json, "cache_creation_1h_tokens", 0);
  tally_demo_json_money (json, "input_cost", costs.input);
  tally_demo_json_money (json, "output_cost", costs.output);
  tally_demo_json_money (json, "cache_creation_cost", costs.cache_creation);
  tally_demo_json_money (json, "cache_read_cost", costs.cache_read);
  tally_demo_json_money (json, "total_cost", costs.total);
  tally_demo_json_money (json, "actual_cost", costs.actual);
  tally_demo_json_double (json, "rate_multiplier", tally_demo_row_multiplier_milli (data, row) / 1000.0);
  tally_demo_json_int (json, "billing_type", billing_type);
  tally_demo_json_bool (json, "stream", (row->flags & TALLY_DEMO_ROW_STREAM) != 0);
  tally_demo_json_nullable_int (json, "duration_ms", row->duration_ms);
  tally_demo_json_nullable_int (json, "first_token_ms", row->first_token_ms);
  tally_demo_json_time (json, "created_at", row->created_us, tally_demo_data_offset_at (self->data, row->created_us));
  if (nested)
    {
      write_user (self, json, "user", tally_demo_data_get_user (data, key->user_id), TRUE);
      if (!key->deleted)
        write_key (self, json, "api_key", key, FALSE, FALSE);
      write_account (self, json, "account", account);
      if (group != NULL)
        write_group (self, json, "group", group);
    }
  tally_demo_json_end_object (json);
}

/* ------------------------------------------------------------------------ */
/* Tokens                                                                   */

static char *
base64url_encode (const guint8 *bytes,
                  gsize len)
{
  char *text = g_base64_encode (bytes, len);
  char *p;

  for (p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return text;
}

/* strict RawURLEncoding; NULL when invalid */
static guint8 *
base64url_decode (const char *text,
                  gsize text_len,
                  gsize *out_len)
{
  g_autoptr (GString) padded = g_string_sized_new (text_len + 4);

  if (text_len % 4 == 1)
    return NULL;
  for (gsize i = 0; i < text_len; i++)
    {
      char c = text[i];

      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';
      else if (!g_ascii_isalnum (c))
        return NULL;
      g_string_append_c (padded, c);
    }
  while (padded->len % 4 != 0)
    g_string_append_c (padded, '=');
  return g_base64_decode (padded->str, out_len);
}

static char *
sign (TallyDemoServer *self,
      const char *signing_input,
      gsize len)
{
  g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, self->secret, sizeof self->secret);
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_hmac_update (hmac, (const guchar *) signing_input, len);
  g_hmac_get_digest (hmac, digest, &digest_len);
  return base64url_encode (digest, digest_len);
}

static char *
issue_token (TallyDemoServer *self,
             const TallyDemoUser *user,
             gint64 lifetime_seconds,
             guint family)
{
  static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr (GString) payload = g_string_new (NULL);
  g_autofree char *header_b64 = base64url_encode ((const guint8 *) header, strlen (header));
  g_autofree char *payload_b64 = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree char *signature = NULL;
  TallyDemoJson json;

  tally_demo_json_init (&json, payload);
  tally_demo_json_begin_object (&json, NULL);
  tally_demo_json_int (&json, "user_id", user->id);
  tally_demo_json_string (&json, "email", user->email);
  tally_demo_json_string (&json, "role", user->role);
  tally_demo_json_int (&json, "exp", now + lifetime_seconds);
  tally_demo_json_int (&json, "nbf", now);
  tally_demo_json_int (&json, "iat", now);
  /* the login session it belongs to (0: none) and its serial, for the hooks */
  tally_demo_json_int (&json, "sid", family);
  tally_demo_json_int (&json, "jti", (gint64) ++self->last_serial);
  tally_demo_json_end_object (&json);

  payload_b64 = base64url_encode ((const guint8 *) payload->str, payload->len);
  signing_input = g_strconcat (header_b64, ".", payload_b64, NULL);
  signature = sign (self, signing_input, strlen (signing_input));
  return g_strconcat (signing_input, ".", signature, NULL);
}

typedef enum
{
  TOKEN_VALID,
  TOKEN_EXPIRED,
  TOKEN_INVALID,
} TokenStatus;

static const TallyDemoValue *
object_member (const TallyDemoValue *object,
               const char *name)
{
  const TallyDemoValue *found = NULL;

  if (object == NULL || object->kind != TALLY_DEMO_VALUE_OBJECT)
    return NULL;
  for (guint i = 0; i < object->children->len; i++)
    {
      const TallyDemoValue *member = g_ptr_array_index (object->children, i);

      if (g_str_equal (member->key, name))
        found = member;
    }
  return found;
}

static gboolean
number_member (const TallyDemoValue *object,
               const char *name,
               double *value)
{
  const TallyDemoValue *member = object_member (object, name);

  if (member == NULL || member->kind != TALLY_DEMO_VALUE_NUMBER)
    return FALSE;
  *value = g_ascii_strtod (member->text, NULL);
  return TRUE;
}

static TallyDemoValue *
decode_segment (const char *text,
                gsize len)
{
  g_autofree guint8 *bytes = NULL;
  g_autofree char *error = NULL;
  gsize n = 0;

  bytes = base64url_decode (text, len, &n);
  if (bytes == NULL)
    return NULL;
  return tally_demo_value_parse ((const char *) bytes, n, &error);
}

static TokenStatus
verify_token (TallyDemoServer *self,
              const char *token,
              gint64 *user_id)
{
  const char *dot1 = strchr (token, '.');
  const char *dot2 = dot1 != NULL ? strchr (dot1 + 1, '.') : NULL;
  g_autoptr (TallyDemoValue) header = NULL;
  g_autoptr (TallyDemoValue) payload = NULL;
  g_autofree char *expected = NULL;
  const TallyDemoValue *alg;
  double now = (double) (g_get_real_time () / G_USEC_PER_SEC);
  double exp_claim, nbf_claim, uid;

  if (dot1 == NULL || dot2 == NULL || strchr (dot2 + 1, '.') != NULL)
    return TOKEN_INVALID;

  header = decode_segment (token, dot1 - token);
  payload = decode_segment (dot1 + 1, dot2 - dot1 - 1);
  if (header == NULL || payload == NULL || payload->kind != TALLY_DEMO_VALUE_OBJECT)
    return TOKEN_INVALID;
  alg = object_member (header, "alg");
  if (alg == NULL || alg->kind != TALLY_DEMO_VALUE_STRING || !g_str_equal (alg->text, "HS256"))
    return TOKEN_INVALID;

  expected = sign (self, token, dot2 - token);
  if (strlen (expected) != strlen (dot2 + 1))
    return TOKEN_INVALID;
  {
    guint diff = 0;

    for (gsize i = 0; expected[i] != '\0'; i++)
      diff |= (guint) (expected[i] ^ dot2[1 + i]);
    if (diff != 0)
      return TOKEN_INVALID;
  }

  /* golang-jwt v5 validates exp before nbf */
  if (number_member (payload, "exp", &exp_claim) && now >= exp_claim)
    return TOKEN_EXPIRED;
  if (number_member (payload, "nbf", &nbf_claim) && now < nbf_claim)
    return TOKEN_INVALID;
  if (!number_member (payload, "user_id", &uid))
    return TOKEN_INVALID;

  *user_id = (gint64) uid;
  return TOKEN_VALID;
}

/* A valid token of today's server: expired by the test hook, or its login
 * revoked or moved. FALSE: @resp holds the 401. */
static gboolean
check_session (TallyDemoServer *self,
               const char *token,
               Response *resp)
{
  const char *dot1 = strchr (token, '.');
  const char *dot2 = dot1 != NULL ? strchr (dot1 + 1, '.') : NULL;
  g_autoptr (TallyDemoValue) payload = NULL;
  double family = 0;
  double serial = 0;

  if (dot1 == NULL || dot2 == NULL)
    return TRUE;
  payload = decode_segment (dot1 + 1, dot2 - dot1 - 1);
  number_member (payload, "sid", &family);
  number_member (payload, "jti", &serial);

  if (serial > 0 && (guint64) serial <= self->expired_through)
    {
      respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "TOKEN_EXPIRED", "Token has expired");
      return FALSE;
    }

  switch (tally_demo_sessions_check (self->sessions, (guint) family))
    {
      case TALLY_DEMO_SESSION_REVOKED:
        respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "TOKEN_REVOKED", "Token has been revoked");
        return FALSE;
      case TALLY_DEMO_SESSION_MOVED:
        respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "SESSION_BINDING_MISMATCH",
                            "Session network fingerprint changed, please login again");
        return FALSE;
      case TALLY_DEMO_SESSION_OK:
      case TALLY_DEMO_SESSION_INVALID:
      case TALLY_DEMO_SESSION_EXPIRED:
      default:
        return TRUE;
    }
}

/* The JWT middleware. FALSE: @resp holds the 401. */
static gboolean
authenticate (TallyDemoServer *self,
              Request *req,
              Response *resp)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *header = soup_message_headers_get_one (headers, "Authorization");
  const char *space;
  const TallyDemoUser *user;
  gint64 user_id = 0;

  if (header == NULL || *header == '\0')
    {
      respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "UNAUTHORIZED", "Authorization header is required");
      return FALSE;
    }

  /* strings.SplitN (header, " ", 2); parts[0] must be exactly "Bearer" */
  space = strchr (header, ' ');
  if (space == NULL || space - header != 6 || strncmp (header, "Bearer", 6) != 0)
    {
      respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "INVALID_AUTH_HEADER",
                          "Authorization header format must be 'Bearer {token}'");
      return FALSE;
    }
  if (space[1] == '\0')
    {
      respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "EMPTY_TOKEN", "Token cannot be empty");
      return FALSE;
    }

  switch (verify_token (self, space + 1, &user_id))
    {
      case TOKEN_VALID:
        if (!check_session (self, space + 1, resp))
          return FALSE;
        break;
      case TOKEN_EXPIRED:
        respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "TOKEN_EXPIRED", "Token has expired");
        return FALSE;
      case TOKEN_INVALID:
      default:
        respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "INVALID_TOKEN", "Invalid token");
        return FALSE;
    }

  user = tally_demo_data_get_user (self->data, user_id);
  if (user == NULL)
    {
      respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "USER_NOT_FOUND", "User not found");
      return FALSE;
    }
  if (!g_str_equal (user->status, "active") || self->user_inactive)
    {
      respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "USER_INACTIVE", "User account is not active");
      return FALSE;
    }

  req->user_id = user_id;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Request binding (gin ShouldBindJSON + go-playground validator)           */

typedef struct
{
  const char *json_name; /* tag name, matched case-insensitively like encoding/json */
  const char *go_name;   /* struct field name, for validation messages */
  gboolean required;
  int exact_len; /* "len=N" (runes), 0 = none */
  gboolean email;
  char *value;
} StringField;

static GBytes *
request_body (Request *req)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);

  return soup_message_body_flatten (body);
}

static TallyDemoValue *
parse_body (Request *req,
            Response *resp)
{
  g_autoptr (GBytes) bytes = request_body (req);
  g_autofree char *error = NULL;
  gsize len = 0;
  const char *text = g_bytes_get_data (bytes, &len);
  TallyDemoValue *value;

  value = tally_demo_value_parse (text != NULL ? text : "", len, &error);
  if (value == NULL)
    respond_invalid_request (resp, error);
  return value;
}

/* go-playground's email check, simplified: local@label(.label)+ */
static gboolean
looks_like_email (const char *text)
{
  const char *at = strchr (text, '@');
  const char *p;
  gboolean dot = FALSE;
  gsize label_len = 0;

  if (at == NULL || at == text || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (p = text; p < at; p++)
    if ((guchar) *p <= ' ' || strchr ("\"(),:;<>[\\]", *p) != NULL)
      return FALSE;
  if (*text == '.' || at[-1] == '.')
    return FALSE;
  for (p = at + 1; *p != '\0'; p++)
    {
      if (*p == '.')
        {
          if (label_len == 0)
            return FALSE;
          dot = TRUE;
          label_len = 0;
        }
      else if (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || (guchar) *p >= 0x80)
        label_len++;
      else
        return FALSE;
    }
  return dot && label_len > 0;
}

/* Binds the string fields of @struct_name. FALSE: @resp holds the 400. */
static gboolean
bind_strings (const TallyDemoValue *value,
              const char *struct_name,
              StringField *fields,
              guint n_fields,
              Response *resp)
{
  g_autofree char *type_error = NULL;
  g_autoptr (GString) invalid = g_string_new (NULL);

  if (value->kind == TALLY_DEMO_VALUE_OBJECT)
    {
      for (guint i = 0; i < value->children->len; i++)
        {
          const TallyDemoValue *member = g_ptr_array_index (value->children, i);

          for (guint f = 0; f < n_fields; f++)
            {
              if (g_ascii_strcasecmp (member->key, fields[f].json_name) != 0)
                continue;
              if (member->kind == TALLY_DEMO_VALUE_STRING)
                {
                  g_free (fields[f].value);
                  fields[f].value = g_strdup (member->text);
                }
              else if (member->kind != TALLY_DEMO_VALUE_NULL && type_error == NULL)
                type_error = g_strdup_printf ("json: cannot unmarshal %s into Go struct field %s.%s of type string",
                                              tally_demo_value_kind_name (member), struct_name, fields[f].json_name);
              break;
            }
        }
    }
  else if (value->kind != TALLY_DEMO_VALUE_NULL)
    type_error = g_strdup_printf ("json: cannot unmarshal %s into Go value of type handler.%s",
                                  tally_demo_value_kind_name (value), struct_name);

  if (type_error != NULL)
    {
      respond_invalid_request (resp, type_error);
      return FALSE;
    }

  for (guint f = 0; f < n_fields; f++)
    {
      const char *v = fields[f].value != NULL ? fields[f].value : "";
      const char *tag = NULL;

      if (fields[f].required && *v == '\0')
        tag = "required";
      else if (fields[f].email && !looks_like_email (v))
        tag = "email";
      else if (fields[f].exact_len > 0 && g_utf8_strlen (v, -1) != fields[f].exact_len)
        tag = "len";
      if (tag == NULL)
        continue;
      if (invalid->len > 0)
        g_string_append_c (invalid, '\n');
      g_string_append_printf (invalid, "Key: '%s.%s' Error:Field validation for '%s' failed on the '%s' tag",
                              struct_name, fields[f].go_name, fields[f].go_name, tag);
    }
  if (invalid->len > 0)
    {
      respond_invalid_request (resp, invalid->str);
      return FALSE;
    }
  return TRUE;
}

static void
clear_fields (StringField *fields,
              guint n_fields)
{
  for (guint f = 0; f < n_fields; f++)
    g_clear_pointer (&fields[f].value, g_free);
}

/* ------------------------------------------------------------------------ */
/* Query parameters (S parsing rules)                                       */

static GHashTable *
parse_query (const char *query)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto (GStrv) pairs = NULL;

  if (query == NULL)
    return table;

  pairs = g_strsplit (query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_autofree char *raw_name = NULL;
      g_autofree char *raw_value = NULL;
      char *name, *value;
      char *eq;

      /* url.ParseQuery skips empty pairs and (Go ≥ 1.17) pairs with a semicolon */
      if (*pairs[i] == '\0' || strchr (pairs[i], ';') != NULL)
        continue;
      eq = strchr (pairs[i], '=');
      raw_name = eq != NULL ? g_strndup (pairs[i], eq - pairs[i]) : g_strdup (pairs[i]);
      raw_value = g_strdup (eq != NULL ? eq + 1 : "");
      g_strdelimit (raw_name, "+", ' ');
      g_strdelimit (raw_value, "+", ' ');
      name = g_uri_unescape_string (raw_name, NULL);
      value = g_uri_unescape_string (raw_value, NULL);
      if (name == NULL || value == NULL || g_hash_table_contains (table, name))
        {
          g_free (name);
          g_free (value);
          continue;
        }
      g_hash_table_insert (table, name, value);
    }
  return table;
}

/* digits only; huge values wrap around like the S parser */
static gboolean
parse_digits (const char *text,
              gint64 *value)
{
  guint64 v = 0;

  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      v = v * 10 + (guint64) (*p - '0');
    }
  *value = (gint64) v;
  return TRUE;
}

static void
parse_pagination (Request *req,
                  gint64 *page,
                  gint64 *page_size)
{
  const char *size_text = query_get (req, "page_size");
  gint64 v;

  *page = 1;
  if (parse_digits (query_get (req, "page"), &v) && v > 0)
    *page = v;

  if (size_text == NULL)
    size_text = query_get (req, "limit");
  *page_size = DEFAULT_PAGE_SIZE;
  if (parse_digits (size_text, &v) && v >= 1 && v <= req->max_page_size)
    *page_size = v;
}

/* the offset of @page, or FALSE when it lies past the end */
static gboolean
page_offset (gint64 page,
             gint64 page_size,
             guint64 total,
             guint64 *offset)
{
  if ((guint64) (page - 1) > total / (guint64) page_size)
    return FALSE;
  *offset = (guint64) (page - 1) * (guint64) page_size;
  return *offset < total;
}

static void
write_page_footer (TallyDemoJson *json,
                   guint64 total,
                   gint64 page,
                   gint64 page_size)
{
  guint64 pages = (total + (guint64) page_size - 1) / (guint64) page_size;

  tally_demo_json_int (json, "total", (gint64) total);
  tally_demo_json_int (json, "page", page);
  tally_demo_json_int (json, "page_size", page_size);
  tally_demo_json_int (json, "pages", (gint64) MAX (pages, 1));
}

/* Key ownership check: -1 and @resp set on failure, else the key index. */
static int
lookup_key (TallyDemoServer *self,
            Request *req,
            Response *resp,
            const char *text,
            const char *invalid_message,
            const char *missing_message,
            const char *missing_reason,
            const char *forbidden_message)
{
  guint n_keys;
  const TallyDemoKey *keys = tally_demo_data_get_keys (self->data, &n_keys);
  gint64 id;
  int index;

  if (!tally_demo_parse_go_int (text, 64, &id))
    {
      respond_error (resp, SOUP_STATUS_BAD_REQUEST, invalid_message, NULL);
      return -1;
    }
  index = tally_demo_data_find_key (self->data, id);
  if (index < 0 || keys[index].deleted)
    {
      respond_error (resp, SOUP_STATUS_NOT_FOUND, missing_message, missing_reason);
      return -1;
    }
  if (keys[index].user_id != req->user_id)
    {
      respond_error (resp, SOUP_STATUS_FORBIDDEN, forbidden_message, NULL);
      return -1;
    }
  return index;
}

/* ------------------------------------------------------------------------ */
/* Handlers: auth and profile                                               */

static void
handle_health (TallyDemoServer *self,
               Request *req,
               Response *resp)
{
  response_reset (resp);
  resp->status = SOUP_STATUS_OK;
  g_string_append (resp->body, "{\"status\":\"ok\"}");
}

/* The IANA name of the demo's zone: "timezone", else a name for the fixed
 * offset (Asia/Shanghai for 28800, UTC for 0, Etc/GMT±N for whole hours);
 * NULL for other offsets (only server_utc_offset is sent then). */
static char *
demo_zone_name (TallyDemoServer *self)
{
  int offset = self->utc_offset;

  if (self->timezone != NULL)
    return g_strdup (self->timezone);
  if (offset == DEFAULT_UTC_OFFSET)
    return g_strdup (DEFAULT_TIMEZONE);
  if (offset == 0)
    return g_strdup ("UTC");
  if (offset % 3600 == 0)
    return g_strdup_printf ("Etc/GMT%+d", -offset / 3600); /* POSIX signs: east is minus */
  return NULL;
}

static void
handle_public_settings (TallyDemoServer *self,
                        Request *req,
                        Response *resp)
{
  TallyDemoJson *json = success_begin (resp);

  tally_demo_json_begin_object (json, "data");
  tally_demo_json_bool (json, "registration_enabled", FALSE);
  tally_demo_json_bool (json, "email_verify_enabled", FALSE);
  tally_demo_json_bool (json, "turnstile_enabled", self->turnstile);
  tally_demo_json_string (json, "turnstile_site_key", self->turnstile ? TURNSTILE_SITE_KEY : "");
  tally_demo_json_string (json, "site_name", "Tally Demo");
  tally_demo_json_string (json, "site_logo", "");
  tally_demo_json_string (json, "site_subtitle", "Synthetic usage data for trying Tally");
  tally_demo_json_string (json, "api_base_url", "");
  tally_demo_json_string (json, "contact_info", "");
  tally_demo_json_string (json, "doc_url", "");
  if (self->generation == TALLY_DEMO_GENERATION_2025)
    {
      /* S (API.md §2.1) */
      tally_demo_json_string (json, "version", "0.1.1");
    }
  else
    {
      g_autofree char *zone = demo_zone_name (self);
      int offset = tally_demo_data_offset_at (self->data, tally_demo_data_get_now_us (self->data));
      g_autofree char *offset_text = g_strdup_printf ("%c%02d:%02d", offset < 0 ? '-' : '+',
                                                      ABS (offset) / 3600, ABS (offset) / 60 % 60);

      tally_demo_json_bool (json, "tencent_captcha_enabled", g_strcmp0 (self->captcha, "tencent") == 0);
      tally_demo_json_bool (json, "aliyun_captcha_enabled", g_strcmp0 (self->captcha, "aliyun") == 0);
      if (zone != NULL)
        tally_demo_json_string (json, "server_timezone", zone);
      tally_demo_json_string (json, "server_utc_offset", offset_text);
      tally_demo_json_string (json, "version", "0.2.25");
    }
  tally_demo_json_end_object (json);
  success_end (resp);
}

/* Today's servers open a login session with a refresh token; S has none. */
static void
respond_token (TallyDemoServer *self,
               Response *resp,
               const TallyDemoUser *user)
{
  g_autofree char *refresh_token = NULL;
  g_autofree char *token = NULL;
  guint family = 0;
  TallyDemoJson *json;

  if (self->generation == TALLY_DEMO_GENERATION_CURRENT)
    refresh_token = tally_demo_sessions_open (self->sessions, user->id, g_get_real_time () / G_USEC_PER_SEC,
                                              self->refresh_lifetime, &family);
  token = issue_token (self, user, self->access_lifetime, family);

  json = success_begin (resp);
  tally_demo_json_begin_object (json, "data");
  tally_demo_json_string (json, "access_token", token);
  if (refresh_token != NULL)
    {
      tally_demo_json_string (json, "refresh_token", refresh_token);
      tally_demo_json_int (json, "expires_in", self->access_lifetime);
    }
  tally_demo_json_string (json, "token_type", "Bearer");
  write_user (self, json, "user", user, TRUE);
  tally_demo_json_end_object (json);
  success_end (resp);
}

/* Today's login refusals that come after the password check. FALSE: @resp holds the 403. */
static gboolean
check_may_log_in (TallyDemoServer *self,
                  const TallyDemoUser *user,
                  Response *resp)
{
  if (!g_str_equal (user->status, "active") || self->user_inactive)
    {
      respond_error (resp, SOUP_STATUS_FORBIDDEN, "user is not active", "USER_NOT_ACTIVE");
      return FALSE;
    }
  if (self->admin_only && !g_str_equal (user->role, "admin"))
    {
      respond_error (resp, SOUP_STATUS_FORBIDDEN, "backend mode is enabled, only admin can login",
                     "BACKEND_MODE_ADMIN_ONLY");
      return FALSE;
    }

  return TRUE;
}

static char *
mask_email (const char *email)
{
  const char *at = strchr (email, '@');

  if (at == NULL || at == email)
    return g_strdup ("***");
  return g_strdup_printf ("%.*s***%s", (int) (g_utf8_next_char (email) - email), email, at);
}

static void
handle_login (TallyDemoServer *self,
              Request *req,
              Response *resp)
{
  StringField fields[] = {
    { "email", "Email", TRUE, 0, TRUE, NULL },
    { "password", "Password", TRUE, 0, FALSE, NULL },
    { "turnstile_token", "TurnstileToken", FALSE, 0, FALSE, NULL },
    { "captcha_token", "CaptchaToken", FALSE, 0, FALSE, NULL },
  };
  g_autoptr (TallyDemoValue) body = parse_body (req, resp);
  const TallyDemoUser *user;

  if (body == NULL)
    return;
  if (!bind_strings (body, "LoginRequest", fields, G_N_ELEMENTS (fields), resp))
    goto out;

  if (self->captcha != NULL && g_strcmp0 (fields[3].value, CAPTCHA_TOKEN) != 0)
    {
      if (g_str_equal (self->captcha, "tencent"))
        respond_error (resp, SOUP_STATUS_BAD_REQUEST, "tencent captcha verification failed",
                       "TENCENT_CAPTCHA_VERIFICATION_FAILED");
      else
        respond_error (resp, SOUP_STATUS_BAD_REQUEST, "aliyun captcha verification failed",
                       "ALIYUN_CAPTCHA_VERIFICATION_FAILED");
      goto out;
    }

  if (self->turnstile && g_strcmp0 (fields[2].value, TURNSTILE_TOKEN) != 0)
    {
      respond_error (resp, SOUP_STATUS_BAD_REQUEST, "turnstile verification failed", "TURNSTILE_VERIFICATION_FAILED");
      goto out;
    }

  user = tally_demo_data_get_user (self->data, TALLY_DEMO_USER_ID);
  if (!g_str_equal (fields[0].value, user->email) || !g_str_equal (fields[1].value, user->password))
    {
      respond_error (resp, SOUP_STATUS_UNAUTHORIZED, "invalid email or password", "INVALID_CREDENTIALS");
      goto out;
    }
  if (!check_may_log_in (self, user, resp))
    goto out;

  if (self->two_factor)
    {
      char *temp_token = g_strdup_printf ("%08x%08x%08x%08x", g_random_int (), g_random_int (),
                                          g_random_int (), g_random_int ());
      gint64 *expiry = g_new (gint64, 1);
      g_autofree char *masked = mask_email (user->email);
      TallyDemoJson *json;

      *expiry = g_get_real_time () / G_USEC_PER_SEC + CHALLENGE_LIFETIME_SECONDS;
      g_hash_table_replace (self->challenges, temp_token, expiry);

      json = success_begin (resp);
      tally_demo_json_begin_object (json, "data");
      tally_demo_json_bool (json, "requires_2fa", TRUE);
      tally_demo_json_string (json, "temp_token", temp_token);
      tally_demo_json_string (json, "user_email_masked", masked);
      tally_demo_json_end_object (json);
      success_end (resp);
      goto out;
    }

  respond_token (self, resp, user);

out:
  clear_fields (fields, G_N_ELEMENTS (fields));
}

static void
handle_login_2fa (TallyDemoServer *self,
                  Request *req,
                  Response *resp)
{
  StringField fields[] = {
    { "temp_token", "TempToken", TRUE, 0, FALSE, NULL },
    { "totp_code", "TotpCode", TRUE, 6, FALSE, NULL },
  };
  g_autoptr (TallyDemoValue) body = parse_body (req, resp);
  gint64 *expiry;

  if (body == NULL)
    return;
  if (!bind_strings (body, "Login2FARequest", fields, G_N_ELEMENTS (fields), resp))
    goto out;

  expiry = g_hash_table_lookup (self->challenges, fields[0].value);
  if (expiry == NULL || *expiry <= g_get_real_time () / G_USEC_PER_SEC)
    {
      g_hash_table_remove (self->challenges, fields[0].value);
      respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid or expired 2FA session", NULL);
      goto out;
    }
  if (!g_str_equal (fields[1].value, TOTP_CODE))
    {
      respond_error (resp, SOUP_STATUS_BAD_REQUEST, "invalid verification code", "INVALID_TOTP_CODE");
      goto out;
    }

  g_hash_table_remove (self->challenges, fields[0].value);
  respond_token (self, resp, tally_demo_data_get_user (self->data, TALLY_DEMO_USER_ID));

out:
  clear_fields (fields, G_N_ELEMENTS (fields));
}

/* POST /auth/refresh {"refresh_token"}: the token rotates */
static void
handle_refresh (TallyDemoServer *self,
                Request *req,
                Response *resp)
{
  StringField fields[] = {
    { "refresh_token", "RefreshToken", TRUE, 0, FALSE, NULL },
  };
  g_autoptr (TallyDemoValue) body = parse_body (req, resp);
  g_autofree char *refresh_token = NULL;
  g_autofree char *token = NULL;
  const TallyDemoUser *user;
  gint64 user_id = 0;
  guint family = 0;

  if (body == NULL)
    return;
  if (!bind_strings (body, "RefreshTokenRequest", fields, G_N_ELEMENTS (fields), resp))
    goto out;

  switch (tally_demo_sessions_rotate (self->sessions, fields[0].value, g_get_real_time () / G_USEC_PER_SEC,
                                      self->refresh_lifetime, &refresh_token, &family, &user_id))
    {
      case TALLY_DEMO_SESSION_OK:
        break;
      case TALLY_DEMO_SESSION_EXPIRED:
        respond_error (resp, SOUP_STATUS_UNAUTHORIZED, "refresh token has expired", "REFRESH_TOKEN_EXPIRED");
        goto out;
      case TALLY_DEMO_SESSION_REVOKED:
        respond_error (resp, SOUP_STATUS_UNAUTHORIZED, "token has been revoked", "TOKEN_REVOKED");
        goto out;
      case TALLY_DEMO_SESSION_MOVED:
        respond_error (resp, SOUP_STATUS_UNAUTHORIZED, "Session network fingerprint changed, please login again",
                       "SESSION_BINDING_MISMATCH");
        goto out;
      case TALLY_DEMO_SESSION_INVALID:
      default:
        respond_error (resp, SOUP_STATUS_UNAUTHORIZED, "invalid refresh token", "REFRESH_TOKEN_INVALID");
        goto out;
    }

  user = tally_demo_data_get_user (self->data, user_id);
  if (user == NULL || !check_may_log_in (self, user, resp))
    goto out;

  token = issue_token (self, user, self->access_lifetime, family);
  {
    TallyDemoJson *json = success_begin (resp);

    tally_demo_json_begin_object (json, "data");
    tally_demo_json_string (json, "access_token", token);
    tally_demo_json_string (json, "refresh_token", refresh_token);
    tally_demo_json_int (json, "expires_in", self->access_lifetime);
    tally_demo_json_string (json, "token_type", "Bearer");
    tally_demo_json_end_object (json);
    success_end (resp);
  }

out:
  clear_fields (fields, G_N_ELEMENTS (fields));
}

/* POST /auth/logout {"refresh_token"?}: revokes it; always 200 */
static void
handle_logout (TallyDemoServer *self,
               Request *req,
               Response *resp)
{
  StringField fields[] = {
    { "refresh_token", "RefreshToken", FALSE, 0, FALSE, NULL },
  };
  g_autoptr (TallyDemoValue) body = NULL;
  TallyDemoJson *json;

  if (soup_server_message_get_request_body (req->msg)->length > 0)
    {
      body = parse_body (req, resp);
      if (body != NULL && bind_strings (body, "LogoutRequest", fields, G_N_ELEMENTS (fields), resp))
        tally_demo_sessions_revoke_token (self->sessions, fields[0].value);
      clear_fields (fields, G_N_ELEMENTS (fields));
    }

  json = success_begin (resp);
  tally_demo_json_begin_object (json, "data");
  tally_demo_json_string (json, "message", "Logged out successfully");
  tally_demo_json_end_object (json);
  success_end (resp);
}

static void
handle_me (TallyDemoServer *self,
           Request *req,
           Response *resp)
{
  TallyDemoJson *json = success_begin (resp);

  write_user (self, json, "data", tally_demo_data_get_user (self->data, req->user_id), TRUE);
  success_end (resp);
}

static void
handle_profile (TallyDemoServer *self,
                Request *req,
                Response *resp)
{
  TallyDemoJson *json = success_begin (resp);

  write_user (self, json, "data", tally_demo_data_get_user (self->data, req->user_id), FALSE);
  success_end (resp);
}

static void
handle_groups_available (TallyDemoServer *self,
                         Request *req,
                         Response *resp)
{
  guint n_groups;
  const TallyDemoGroup *groups = tally_demo_data_get_groups (self->data, &n_groups);
  TallyDemoJson *json = success_begin (resp);

  tally_demo_json_begin_array (json, "data");
  for (guint i = 0; i < n_groups; i++)
    write_group (self, json, NULL, &groups[i]);
  tally_demo_json_end_array (json);
  success_end (resp);
}

/* ------------------------------------------------------------------------ */
/* Handlers: keys                                                           */

static void
handle_keys (TallyDemoServer *self,
             Request *req,
             Response *resp)
{
  guint n_keys;
  const TallyDemoKey *keys = tally_demo_data_get_keys (self->data, &n_keys);
  g_autofree guint *visible = g_new (guint, n_keys);
  guint64 total = 0;
  guint64 offset = 0;
  gint64 page, page_size;
  TallyDemoJson *json;

  parse_pagination (req, &page, &page_size);

  /* id descending, soft-deleted keys excluded */
  for (guint i = n_keys; i > 0; i--)
    if (keys[i - 1].user_id == req->user_id && !keys[i - 1].deleted)
      visible[total++] = i - 1;

  json = success_begin (resp);
  tally_demo_json_begin_object (json, "data");
  tally_demo_json_begin_array (json, "items");
  if (page_offset (page, page_size, total, &offset))
    for (guint64 i = offset; i < total && i < offset + (guint64) page_size; i++)
      write_key (self, json, NULL, &keys[visible[i]], FALSE, TRUE);
  tally_demo_json_end_array (json);
  write_page_footer (json, total, page, page_size);
  tally_demo_json_end_object (json);
  success_end (resp);
}

static void
handle_key (TallyDemoServer *self,
            Request *req,
            Response *resp)
{
  guint n_keys;
  const TallyDemoKey *keys = tally_demo_data_get_keys (self->data, &n_keys);
  TallyDemoJson *json;
  int index;

  index = lookup_key (self, req, resp, req->param, "Invalid key ID", "api key not found",
                      "API_KEY_NOT_FOUND", "Not authorized to access this key");
  if (index < 0)
    return;

  json = success_begin (resp);
  write_key (self, json, "data", &keys[index], TRUE, TRUE);
  success_end (resp);
}

/* ------------------------------------------------------------------------ */
/* Handlers: usage                                                          */

static void
handle_usage_list (TallyDemoServer *self,
                   Request *req,
                   Response *resp)
{
  TallyDemoFilter filter;
  const char *text;
  gint64 page, page_size;
  gint64 day;
  guint64 total = 0;
  guint64 offset = 0;
  guint indices[MAX_PAGE_SIZE];
  guint n = 0;
  guint n_rows;
  const TallyDemoRow *rows;
  TallyDemoJson *json;

  tally_demo_filter_init (&filter, req->user_id);
  parse_pagination (req, &page, &page_size);

  /* the test hook may add rows: before anything is counted */
  if (self->usage_hook != NULL)
    self->usage_hook (self, page, self->usage_hook_data);
  rows = tally_demo_data_get_rows (self->data, &n_rows);

  if ((text = query_get (req, "api_key_id")) != NULL)
    {
      filter.key = lookup_key (self, req, resp, text, "Invalid api_key_id", "api key not found",
                               "API_KEY_NOT_FOUND", "Not authorized to access this API key's usage records");
      if (filter.key < 0)
        return;
    }
  if ((text = query_get (req, "model")) != NULL)
    {
      filter.model = tally_demo_data_find_model (self->data, text);
      if (filter.model < 0)
        filter.model = -2;
    }
  if ((text = query_get (req, "stream")) != NULL)
    {
      gboolean stream;

      if (!tally_demo_parse_go_bool (text, &stream))
        {
          respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid stream value, use true or false", NULL);
          return;
        }
      filter.stream = stream;
    }
  if ((text = query_get (req, "billing_type")) != NULL)
    {
      gint64 billing_type;

      if (!tally_demo_parse_go_int (text, 8, &billing_type))
        {
          respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid billing_type", NULL);
          return;
        }
      /* values other than 0 and 1 simply match nothing */
      filter.billing_type = (int) billing_type;
    }
  if ((text = query_get (req, "start_date")) != NULL)
    {
      if (!tally_demo_parse_date (text, &day))
        {
          respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid start_date format, use YYYY-MM-DD", NULL);
          return;
        }
      filter.start_us = tally_demo_data_day_start_us (self->data, day);
    }
  if ((text = query_get (req, "end_date")) != NULL)
    {
      if (!tally_demo_parse_date (text, &day))
        {
          respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid end_date format, use YYYY-MM-DD", NULL);
          return;
        }
      filter.end_us = tally_demo_data_day_start_us (self->data, day + 1);
    }

  /* a page past the end (or beyond any offset) selects nothing but still counts */
  if ((guint64) (page - 1) <= G_MAXUINT64 / (guint64) page_size)
    offset = (guint64) (page - 1) * (guint64) page_size;
  else
    offset = G_MAXUINT64;
  n = tally_demo_data_select (self->data, &filter, offset, (guint) page_size, indices, &total);

  json = success_begin (resp);
  tally_demo_json_begin_object (json, "data");
  tally_demo_json_begin_array (json, "items");
  for (guint i = 0; i < n; i++)
    write_usage_row (self, json, NULL, &rows[indices[i]], TRUE);
  tally_demo_json_end_array (json);
  write_page_footer (json, total, page, page_size);
  tally_demo_json_end_object (json);
  success_end (resp);
}

static void
handle_usage_get (TallyDemoServer *self,
                  Request *req,
                  Response *resp)
{
  guint n_rows;
  const TallyDemoRow *rows = tally_demo_data_get_rows (self->data, &n_rows);
  TallyDemoJson *json;
  gint64 id;

  if (!tally_demo_parse_go_int (req->param, 64, &id))
    {
      respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid usage ID", NULL);
      return;
    }
  if (id < 1 || (guint64) id > n_rows)
    {
      respond_error (resp, SOUP_STATUS_NOT_FOUND, "usage log not found", "USAGE_LOG_NOT_FOUND");
      return;
    }
  if (tally_demo_row_user_id (self->data, &rows[id - 1]) != req->user_id)
    {
      respond_error (resp, SOUP_STATUS_FORBIDDEN, "Not authorized to access this record", NULL);
      return;
    }

  json = success_begin (resp);
  write_usage_row (self, json, "data", &rows[id - 1], FALSE);
  success_end (resp);
}

/* Go's time.AddDate (0, -months, -days) on the server's wall clock */
static gint64
rolling_start_us (TallyDemoServer *self,
                  int months,
                  int days)
{
  gint64 now = tally_demo_data_get_now_us (self->data);
  gint64 day = tally_demo_data_local_day (self->data, now);
  gint64 time_of_day = now - tally_demo_data_day_start_us (self->data, day);
  gint64 year;
  int month, mday;
  gint64 month_index;

  tally_demo_civil_from_days (day, &year, &month, &mday);
  month_index = year * 12 + (month - 1) - months;
  year = month_index >= 0 ? month_index / 12 : (month_index - 11) / 12;
  month = (int) (month_index - year * 12) + 1;
  /* day overflow normalises into the next month, like Go */
  day = tally_demo_days_from_civil (year, month, 1) + mday - 1 - days;
  return tally_demo_data_day_start_us (self->data, day) + time_of_day;
}

static void
write_usage_stats (TallyDemoJson *json,
                   const TallyDemoTotals *t)
{
  tally_demo_json_begin_object (json, "data");
  tally_demo_json_int (json, "total_requests", t->requests);
  tally_demo_json_int (json, "total_input_tokens", t->input_tokens);
  tally_demo_json_int (json, "total_output_tokens", t->output_tokens);
  tally_demo_json_int (json, "total_cache_tokens", t->cache_creation_tokens + t->cache_read_tokens);
  tally_demo_json_int (json, "total_tokens",
                       t->input_tokens + t->output_tokens + t->cache_creation_tokens + t->cache_read_tokens);
  tally_demo_json_money (json, "total_cost", t->cost);
  tally_demo_json_money (json, "total_actual_cost", t->actual_cost);
  /* AVG(COALESCE(duration_ms, 0)): NULL durations count as 0 */
  tally_demo_json_double (json, "average_duration_ms",
                          t->requests > 0 ? (double) t->duration_sum / (double) t->requests : 0);
  tally_demo_json_end_object (json);
}

static void
handle_usage_stats (TallyDemoServer *self,
                    Request *req,
                    Response *resp)
{
  TallyDemoFilter filter;
  TallyDemoTotals totals = { 0 };
  const char *text;
  const char *start_text = query_get (req, "start_date");
  const char *end_text = query_get (req, "end_date");
  const char *period = query_get (req, "period");

  tally_demo_filter_init (&filter, req->user_id);

  if ((text = query_get (req, "api_key_id")) != NULL)
    {
      filter.key = lookup_key (self, req, resp, text, "Invalid api_key_id", "API key not found", NULL,
                               "Not authorized to access this API key's statistics");
      if (filter.key < 0)
        return;
    }

  if (start_text != NULL && end_text != NULL)
    {
      gint64 start_day, end_day;

      if (!tally_demo_parse_date (start_text, &start_day))
        {
          respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid start_date format, use YYYY-MM-DD", NULL);
          return;
        }
      if (!tally_demo_parse_date (end_text, &end_day))
        {
          respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid end_date format, use YYYY-MM-DD", NULL);
          return;
        }
      filter.start_us = tally_demo_data_day_start_us (self->data, start_day);
      filter.end_us = range_end_us (self, end_day);
    }
  else if (g_strcmp0 (period, "week") == 0)
    filter.start_us = rolling_start_us (self, 0, 7);
  else if (g_strcmp0 (period, "month") == 0)
    filter.start_us = rolling_start_us (self, 1, 0);
  else /* "today", absent, and anything else (even "year") */
    filter.start_us = tally_demo_data_day_start_us (self->data, tally_demo_data_get_today (self->data));

  tally_demo_data_aggregate (self->data, &filter, TALLY_DEMO_GROUP_NONE, 0, 1, &totals);
  write_usage_stats (success_begin (resp), &totals);
  success_end (resp);
}

static void
handle_dashboard_stats (TallyDemoServer *self,
                        Request *req,
                        Response *resp)
{
  TallyDemoFilter filter;
  TallyDemoTotals all = { 0 }, today = { 0 }, recent = { 0 };
  guint n_keys;
  const TallyDemoKey *keys = tally_demo_data_get_keys (self->data, &n_keys);
  gint64 total_keys = 0, active_keys = 0;
  TallyDemoJson *json;

  for (guint i = 0; i < n_keys; i++)
    {
      if (keys[i].user_id != req->user_id || keys[i].deleted)
        continue;
      total_keys++;
      if (g_str_equal (keys[i].status, "active"))
        active_keys++;
    }

  tally_demo_filter_init (&filter, req->user_id);
  tally_demo_data_aggregate (self->data, &filter, TALLY_DEMO_GROUP_NONE, 0, 1, &all);
  filter.start_us = tally_demo_data_day_start_us (self->data, tally_demo_data_get_today (self->data));
  tally_demo_data_aggregate (self->data, &filter, TALLY_DEMO_GROUP_NONE, 0, 1, &today);
  filter.start_us = tally_demo_data_get_now_us (self->data) - 5 * 60 * TALLY_DEMO_US_PER_SECOND;
  tally_demo_data_aggregate (self->data, &filter, TALLY_DEMO_GROUP_NONE, 0, 1, &recent);

  json = success_begin (resp);
  tally_demo_json_begin_object (json, "data");
  tally_demo_json_int (json, "total_api_keys", total_keys);
  tally_demo_json_int (json, "active_api_keys", active_keys);
  tally_demo_json_int (json, "total_requests", all.requests);
  tally_demo_json_int (json, "total_input_tokens", all.input_tokens);
  tally_demo_json_int (json, "total_output_tokens", all.output_tokens);
  tally_demo_json_int (json, "total_cache_creation_tokens", all.cache_creation_tokens);
  tally_demo_json_int (json, "total_cache_read_tokens", all.cache_read_tokens);
  tally_demo_json_int (json, "total_tokens",
                       all.input_tokens + all.output_tokens + all.cache_creation_tokens + all.cache_read_tokens);
  tally_demo_json_money (json, "total_cost", all.cost);
  tally_demo_json_money (json, "total_actual_cost", all.actual_cost);
  tally_demo_json_int (json, "today_requests", today.requests);
  tally_demo_json_int (json, "today_input_tokens", today.input_tokens);
  tally_demo_json_int (json, "today_output_tokens", today.output_tokens);
  tally_demo_json_int (json, "today_cache_creation_tokens", today.cache_creation_tokens);
  tally_demo_json_int (json, "today_cache_read_tokens", today.cache_read_tokens);
  tally_demo_json_int (json, "today_tokens",
                       today.input_tokens + today.output_tokens + today.cache_creation_tokens + today.cache_read_tokens);
  tally_demo_json_money (json, "today_cost", today.cost);
  tally_demo_json_money (json, "today_actual_cost", today.actual_cost);
  /* AVG(duration_ms): NULLs ignored */
  tally_demo_json_double (json, "average_duration_ms",
                          all.duration_rows > 0 ? (double) all.duration_sum / (double) all.duration_rows : 0);
  tally_demo_json_int (json, "rpm", recent.requests / 5);
  tally_demo_json_int (json, "tpm", (recent.input_tokens + recent.output_tokens) / 5);
  tally_demo_json_end_object (json);
  success_end (resp);
}

/* Trend and models: bad or missing dates silently become the defaults
 * (7 days ago … today, inclusive). */
static void
dashboard_range (TallyDemoServer *self,
                 Request *req,
                 gint64 *start_day,
                 gint64 *end_day)
{
  gint64 today = tally_demo_data_get_today (self->data);
  gint64 day;

  *start_day = today - 7;
  *end_day = today;
  if (tally_demo_parse_date (query_get (req, "start_date"), &day))
    *start_day = day;
  if (tally_demo_parse_date (query_get (req, "end_date"), &day))
    *end_day = day;
}

static void
range_filter (TallyDemoServer *self,
              Request *req,
              gint64 start_day,
              gint64 end_day,
              TallyDemoFilter *filter)
{

  tally_demo_filter_init (filter, req->user_id);
  filter->start_us = tally_demo_data_day_start_us (self->data, start_day);
  /* end midnight + 24 h, absolute */
  filter->end_us = range_end_us (self, end_day);
}

static void
write_range_date (TallyDemoJson *json,
                  const char *key,
                  gint64 day)
{
  g_autofree char *text = tally_demo_format_date (day);

  tally_demo_json_string (json, key, text);
}

static void
handle_trend (TallyDemoServer *self,
              Request *req,
              Response *resp)
{
  const char *granularity = g_hash_table_lookup (req->query, "granularity");
  gboolean hourly = g_strcmp0 (granularity, "hour") == 0;
  gint64 start_day, end_day;
  gint64 first_us, last_us;
  gint64 first_bucket = 0, last_bucket = -1;
  g_autofree TallyDemoTotals *buckets = NULL;
  TallyDemoFilter filter;
  TallyDemoJson *json;
  guint n_rows;

  dashboard_range (self, req, &start_day, &end_day);
  range_filter (self, req, start_day, end_day, &filter);

  /* buckets only where data can be */
  tally_demo_data_get_rows (self->data, &n_rows);
  tally_demo_data_get_extent (self->data, &first_us, &last_us);
  if (n_rows > 0)
    {
      gint64 lo = MAX (filter.start_us, first_us);
      gint64 hi = MIN (filter.end_us - 1, last_us);

      if (lo <= hi)
        {
          first_bucket = hourly ? tally_demo_data_local_hour (self->data, lo) : tally_demo_data_local_day (self->data, lo);
          last_bucket = hourly ? tally_demo_data_local_hour (self->data, hi) : tally_demo_data_local_day (self->data, hi);
        }
    }
  if (last_bucket >= first_bucket)
    {
      buckets = g_new0 (TallyDemoTotals, last_bucket - first_bucket + 1);
      tally_demo_data_aggregate (self->data, &filter, hourly ? TALLY_DEMO_GROUP_HOUR : TALLY_DEMO_GROUP_DAY,
                                 first_bucket, (guint) (last_bucket - first_bucket + 1), buckets);
    }

  json = success_begin (resp);
  tally_demo_json_begin_object (json, "data");
  write_range_date (json, "end_date", end_day);
  tally_demo_json_string (json, "granularity", granularity != NULL ? granularity : "day");
  write_range_date (json, "start_date", start_day);
  tally_demo_json_begin_array (json, "trend");
  for (gint64 b = first_bucket; b <= last_bucket; b++)
    {
      const TallyDemoTotals *t = &buckets[b - first_bucket];
      g_autofree char *label = NULL;

      if (t->requests == 0)
        continue;
      if (hourly)
        {
          gint64 day = b >= 0 ? b / 24 : (b - 23) / 24;
          g_autofree char *date = tally_demo_format_date (day);

          label = g_strdup_printf ("%s %02d:00", date, (int) (b - day * 24));
        }
      else
        label = tally_demo_format_date (b);

      tally_demo_json_begin_object (json, NULL);
      tally_demo_json_string (json, "date", label);
      tally_demo_json_int (json, "requests", t->requests);
      tally_demo_json_int (json, "input_tokens", t->input_tokens);
      tally_demo_json_int (json, "output_tokens", t->output_tokens);
      tally_demo_json_int (json, "cache_tokens", t->cache_creation_tokens + t->cache_read_tokens);
      tally_demo_json_int (json, "total_tokens",
                           t->input_tokens + t->output_tokens + t->cache_creation_tokens + t->cache_read_tokens);
      tally_demo_json_money (json, "cost", t->cost);
      tally_demo_json_money (json, "actual_cost", t->actual_cost);
      tally_demo_json_end_object (json);
    }
  tally_demo_json_end_array (json);
  tally_demo_json_end_object (json);
  success_end (resp);
}

typedef struct
{
  const char *name;
  const TallyDemoTotals *totals;
} ModelEntry;

static gint64
totals_tokens (const TallyDemoTotals *t)
{
  return t->input_tokens + t->output_tokens + t->cache_creation_tokens + t->cache_read_tokens;
}

static int
compare_model_entries (gconstpointer a,
                       gconstpointer b)
{
  const ModelEntry *x = a;
  const ModelEntry *y = b;
  gint64 tx = totals_tokens (x->totals);
  gint64 ty = totals_tokens (y->totals);

  if (tx != ty)
    return tx > ty ? -1 : 1;
  return strcmp (x->name, y->name);
}

static void
handle_models (TallyDemoServer *self,
               Request *req,
               Response *resp)
{
  guint n_models;
  const TallyDemoModel *models = tally_demo_data_get_models (self->data, &n_models);
  g_autofree TallyDemoTotals *buckets = g_new0 (TallyDemoTotals, n_models);
  g_autofree ModelEntry *entries = g_new0 (ModelEntry, n_models);
  guint n_entries = 0;
  gint64 start_day, end_day;
  TallyDemoFilter filter;
  TallyDemoJson *json;

  dashboard_range (self, req, &start_day, &end_day);
  range_filter (self, req, start_day, end_day, &filter);
  tally_demo_data_aggregate (self->data, &filter, TALLY_DEMO_GROUP_MODEL, 0, n_models, buckets);

  for (guint i = 0; i < n_models; i++)
    if (buckets[i].requests > 0)
      entries[n_entries++] = (ModelEntry){ models[i].name, &buckets[i] };
  qsort (entries, n_entries, sizeof (ModelEntry), compare_model_entries);

  json = success_begin (resp);
  tally_demo_json_begin_object (json, "data");
  write_range_date (json, "end_date", end_day);
  tally_demo_json_begin_array (json, "models");
  for (guint i = 0; i < n_entries; i++)
    {
      const TallyDemoTotals *t = entries[i].totals;

      tally_demo_json_begin_object (json, NULL);
      tally_demo_json_string (json, "model", entries[i].name);
      tally_demo_json_int (json, "requests", t->requests);
      tally_demo_json_int (json, "input_tokens", t->input_tokens);
      tally_demo_json_int (json, "output_tokens", t->output_tokens);
      tally_demo_json_int (json, "total_tokens", totals_tokens (t));
      tally_demo_json_money (json, "cost", t->cost);
      tally_demo_json_money (json, "actual_cost", t->actual_cost);
      tally_demo_json_end_object (json);
    }
  tally_demo_json_end_array (json);
  write_range_date (json, "start_date", start_day);
  tally_demo_json_end_object (json);
  success_end (resp);
}

typedef struct
{
  char name[24]; /* decimal id */
  guint key;     /* key index */
} BatchEntry;

static int
compare_batch_entries (gconstpointer a,
                       gconstpointer b)
{
  return strcmp (((const BatchEntry *) a)->name, ((const BatchEntry *) b)->name);
}

/* Binds BatchApiKeysUsageRequest. NULL and @resp set on failure. */
static GArray *
bind_key_ids (const TallyDemoValue *value,
              Response *resp)
{
  static const char field_error[] = "json: cannot unmarshal %s into Go struct field BatchApiKeysUsageRequest.api_key_ids of type %s";
  g_autoptr (GArray) ids = NULL;
  g_autofree char *type_error = NULL;

  if (value->kind == TALLY_DEMO_VALUE_OBJECT)
    {
      for (guint i = 0; i < value->children->len; i++)
        {
          const TallyDemoValue *member = g_ptr_array_index (value->children, i);

          if (g_ascii_strcasecmp (member->key, "api_key_ids") != 0)
            continue;

          g_clear_pointer (&ids, g_array_unref);
          if (member->kind == TALLY_DEMO_VALUE_NULL)
            continue;
          if (member->kind != TALLY_DEMO_VALUE_ARRAY)
            {
              if (type_error == NULL)
                type_error = g_strdup_printf (field_error, tally_demo_value_kind_name (member), "[]int64");
              continue;
            }

          ids = g_array_new (FALSE, TRUE, sizeof (gint64));
          for (guint j = 0; j < member->children->len; j++)
            {
              const TallyDemoValue *element = g_ptr_array_index (member->children, j);
              gint64 id = 0;

              if (element->kind == TALLY_DEMO_VALUE_NUMBER)
                {
                  if (!tally_demo_parse_go_int (element->text, 64, &id) && type_error == NULL)
                    {
                      g_autofree char *what = g_strconcat ("number ", element->text, NULL);

                      type_error = g_strdup_printf (field_error, what, "int64");
                    }
                }
              else if (element->kind != TALLY_DEMO_VALUE_NULL && type_error == NULL)
                type_error = g_strdup_printf (field_error, tally_demo_value_kind_name (element), "int64");
              g_array_append_val (ids, id);
            }
        }
    }
  else if (value->kind != TALLY_DEMO_VALUE_NULL)
    type_error = g_strdup_printf ("json: cannot unmarshal %s into Go value of type handler.BatchApiKeysUsageRequest",
                                  tally_demo_value_kind_name (value));

  if (type_error != NULL)
    {
      respond_invalid_request (resp, type_error);
      return NULL;
    }
  if (ids == NULL)
    {
      respond_invalid_request (resp, "Key: 'BatchApiKeysUsageRequest.ApiKeyIDs' Error:Field validation for 'ApiKeyIDs' failed on the 'required' tag");
      return NULL;
    }
  return g_steal_pointer (&ids);
}

static void
handle_keys_usage (TallyDemoServer *self,
                   Request *req,
                   Response *resp)
{
  g_autoptr (TallyDemoValue) body = parse_body (req, resp);
  g_autoptr (GArray) ids = NULL;
  guint n_keys;
  const TallyDemoKey *keys = tally_demo_data_get_keys (self->data, &n_keys);
  g_autofree TallyDemoTotals *total = g_new0 (TallyDemoTotals, n_keys);
  g_autofree TallyDemoTotals *today = g_new0 (TallyDemoTotals, n_keys);
  g_autofree gboolean *wanted = g_new0 (gboolean, n_keys);
  g_autofree BatchEntry *entries = g_new0 (BatchEntry, n_keys);
  guint n_entries = 0;
  TallyDemoFilter filter;
  TallyDemoJson *json;

  if (body == NULL)
    return;
  ids = bind_key_ids (body, resp);
  if (ids == NULL)
    return;
  if (ids->len > MAX_BATCH_IDS)
    {
      respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Too many API key IDs (maximum 100 allowed)", NULL);
      return;
    }

  /* unknown, deleted and foreign ids are dropped; duplicates collapse */
  for (guint i = 0; i < ids->len; i++)
    {
      int index = tally_demo_data_find_key (self->data, g_array_index (ids, gint64, i));

      if (index >= 0 && !keys[index].deleted && keys[index].user_id == req->user_id)
        wanted[index] = TRUE;
    }
  for (guint i = 0; i < n_keys; i++)
    {
      if (!wanted[i])
        continue;
      g_snprintf (entries[n_entries].name, sizeof entries[n_entries].name, "%" G_GINT64_FORMAT, keys[i].id);
      entries[n_entries++].key = i;
    }
  /* a Go map: keys sorted as strings ("1", "10", "2") */
  qsort (entries, n_entries, sizeof (BatchEntry), compare_batch_entries);

  tally_demo_filter_init (&filter, req->user_id);
  tally_demo_data_aggregate (self->data, &filter, TALLY_DEMO_GROUP_KEY, 0, n_keys, total);
  filter.start_us = tally_demo_data_day_start_us (self->data, tally_demo_data_get_today (self->data));
  tally_demo_data_aggregate (self->data, &filter, TALLY_DEMO_GROUP_KEY, 0, n_keys, today);

  json = success_begin (resp);
  tally_demo_json_begin_object (json, "data");
  tally_demo_json_begin_object (json, "stats");
  for (guint i = 0; i < n_entries; i++)
    {
      guint k = entries[i].key;

      tally_demo_json_begin_object (json, entries[i].name);
      tally_demo_json_int (json, "api_key_id", keys[k].id);
      tally_demo_json_money (json, "today_actual_cost", today[k].actual_cost);
      tally_demo_json_money (json, "total_actual_cost", total[k].actual_cost);
      tally_demo_json_end_object (json);
    }
  tally_demo_json_end_object (json);
  tally_demo_json_end_object (json);
  success_end (resp);
}

/* ------------------------------------------------------------------------ */
/* Routing                                                                  */

#define API_ROUTE (ROUTE_AUTH | ROUTE_FAULTS)

/* static routes before the ones with a parameter, like gin's tree */
static const Route routes[] = {
  { "GET", "/health", 0, handle_health },
  { "GET", "/api/v1/settings/public", 0, handle_public_settings },
  { "POST", "/api/v1/auth/login", 0, handle_login },
  { "POST", "/api/v1/auth/login/2fa", ROUTE_TWO_FACTOR, handle_login_2fa },
  { "POST", "/api/v1/auth/refresh", ROUTE_CURRENT, handle_refresh },
  { "POST", "/api/v1/auth/logout", ROUTE_CURRENT, handle_logout },
  { "GET", "/api/v1/auth/me", ROUTE_AUTH, handle_me },
  { "GET", "/api/v1/user/profile", API_ROUTE, handle_profile },
  { "GET", "/api/v1/groups/available", API_ROUTE, handle_groups_available },
  { "GET", "/api/v1/keys", API_ROUTE, handle_keys },
  { "GET", "/api/v1/usage", API_ROUTE, handle_usage_list },
  { "GET", "/api/v1/usage/stats", API_ROUTE, handle_usage_stats },
  { "GET", "/api/v1/usage/dashboard/stats", API_ROUTE, handle_dashboard_stats },
  { "GET", "/api/v1/usage/dashboard/trend", API_ROUTE, handle_trend },
  { "GET", "/api/v1/usage/dashboard/models", API_ROUTE, handle_models },
  { "POST", "/api/v1/usage/dashboard/api-keys-usage", API_ROUTE, handle_keys_usage },
  { "GET", "/api/v1/keys/:id", API_ROUTE, handle_key },
  { "GET", "/api/v1/usage/:id", API_ROUTE, handle_usage_get },
};

/* matches @path against @pattern; *@param gets the ":id" segment */
static gboolean
pattern_matches (const char *pattern,
                 const char *path,
                 const char **param,
                 gsize *param_len)
{
  const char *colon = strstr (pattern, "/:");

  if (colon == NULL)
    return g_str_equal (pattern, path);

  /* "<prefix>/:id": one non-empty segment after the prefix */
  if (strncmp (pattern, path, colon - pattern + 1) != 0)
    return FALSE;
  path += colon - pattern + 1;
  if (*path == '\0' || strchr (path, '/') != NULL)
    return FALSE;
  *param = path;
  *param_len = strlen (path);
  return TRUE;
}

static const Route *
find_route (TallyDemoServer *self,
            const char *method,
            const char *path,
            char **param)
{
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      const char *p = NULL;
      gsize len = 0;

      if (!g_str_equal (routes[i].method, method))
        continue;
      if ((routes[i].flags & ROUTE_TWO_FACTOR) && !self->two_factor)
        continue;
      if ((routes[i].flags & ROUTE_CURRENT) && self->generation != TALLY_DEMO_GENERATION_CURRENT)
        continue;
      if (pattern_matches (routes[i].pattern, path, &p, &len))
        {
          if (param != NULL)
            *param = p != NULL ? g_strndup (p, len) : NULL;
          return &routes[i];
        }
    }
  return NULL;
}

/* with the embedded frontend, everything outside these prefixes is the SPA */
static gboolean
is_backend_path (const char *path)
{
  return g_str_has_prefix (path, "/api/") || g_str_has_prefix (path, "/v1/") || g_str_has_prefix (path, "/v1beta/") || g_str_has_prefix (path, "/setup/") || g_str_equal (path, "/health") || g_str_equal (path, "/responses");
}

/* ------------------------------------------------------------------------ */
/* Faults                                                                   */

static void
stringify_numbers (TallyDemoValue *value)
{
  if (value->kind == TALLY_DEMO_VALUE_NUMBER)
    value->kind = TALLY_DEMO_VALUE_STRING;
  else if (value->children != NULL)
    for (guint i = 0; i < value->children->len; i++)
      stringify_numbers (g_ptr_array_index (value->children, i));
}

/* HUGE_NUMBERS: integers become the int64 maximum (huge but valid), fractions
 * and exponents 1e400 (beyond the double range); NEGATIVE_NUMBERS: every
 * number negated. */
static void
rewrite_numbers (TallyDemoValue *value,
                 TallyDemoFault fault)
{
  if (value->kind == TALLY_DEMO_VALUE_NUMBER)
    {
      char *text = value->text;

      if (fault == TALLY_DEMO_FAULT_NEGATIVE_NUMBERS)
        value->text = text[0] == '-' ? g_strdup (text + 1) : g_strconcat ("-", text, NULL);
      else if (strpbrk (text, ".eE") != NULL)
        value->text = g_strdup (text[0] == '-' ? "-1e400" : "1e400");
      else
        value->text = g_strdup (text[0] == '-' ? "-9223372036854775808" : "9223372036854775807");
      g_free (text);
    }
  else if (value->children != NULL)
    for (guint i = 0; i < value->children->len; i++)
      rewrite_numbers (g_ptr_array_index (value->children, i), fault);
}

static void
null_arrays (TallyDemoValue *data)
{
  static const char *const names[] = { "items", "trend", "models", "stats", NULL };

  if (data->kind != TALLY_DEMO_VALUE_OBJECT)
    return;
  for (guint i = 0; i < data->children->len; i++)
    {
      TallyDemoValue *member = g_ptr_array_index (data->children, i);

      if (!g_strv_contains (names, member->key))
        continue;
      member->kind = TALLY_DEMO_VALUE_NULL;
      g_clear_pointer (&member->children, g_ptr_array_unref);
    }
}

/* WRONG_TYPES / NULL_ARRAYS / HUGE_NUMBERS / NEGATIVE_NUMBERS rewrite the `data` of a successful answer */
static void
rewrite_data (Response *resp,
              TallyDemoFault fault)
{
  g_autoptr (TallyDemoValue) envelope = NULL;
  g_autofree char *error = NULL;
  TallyDemoValue *data = NULL;

  if (resp->status != SOUP_STATUS_OK || !g_str_equal (resp->content_type, JSON_CONTENT_TYPE))
    return;
  envelope = tally_demo_value_parse (resp->body->str, resp->body->len, &error);
  if (envelope == NULL || envelope->kind != TALLY_DEMO_VALUE_OBJECT)
    return;
  data = (TallyDemoValue *) object_member (envelope, "data");
  if (data == NULL)
    return;

  if (fault == TALLY_DEMO_FAULT_WRONG_TYPES)
    stringify_numbers (data);
  else if (fault == TALLY_DEMO_FAULT_HUGE_NUMBERS || fault == TALLY_DEMO_FAULT_NEGATIVE_NUMBERS)
    rewrite_numbers (data, fault);
  else
    null_arrays (data);

  g_string_truncate (resp->body, 0);
  tally_demo_value_write (envelope, resp->body);
}

/* ------------------------------------------------------------------------ */
/* Answers held back on a timer                                             */

typedef struct
{
  TallyDemoServer *self; /* borrowed: the server drops every Deferred before it goes */
  SoupServerMessage *msg;
  guint source_id;
  gulong finished_id;
  gulong disconnected_id;
  gboolean reset;
} Deferred;

static void
deferred_free (gpointer user_data)
{
  Deferred *deferred = user_data;

  g_clear_handle_id (&deferred->source_id, g_source_remove);
  g_clear_signal_handler (&deferred->finished_id, deferred->msg);
  g_clear_signal_handler (&deferred->disconnected_id, deferred->msg);
  g_clear_object (&deferred->msg);
  g_free (deferred);
}

static gboolean
deferred_fire_cb (gpointer user_data)
{
  Deferred *deferred = user_data;
  g_autoptr (SoupServerMessage) msg = g_object_ref (deferred->msg);
  gboolean reset = deferred->reset;

  deferred->source_id = 0;
  g_ptr_array_remove_fast (deferred->self->deferred, deferred);

  if (reset)
    {
      g_autoptr (GIOStream) stream = soup_server_message_steal_connection (msg);

      if (stream != NULL)
        g_io_stream_close (stream, NULL, NULL);
    }
  else
    soup_server_message_unpause (msg);

  return G_SOURCE_REMOVE;
}

/* the message went away on its own (client gone, server stopping) */
static void
deferred_gone_cb (SoupServerMessage *msg,
                  gpointer user_data)
{
  Deferred *deferred = user_data;

  g_ptr_array_remove_fast (deferred->self->deferred, deferred);
}

static void
defer_answer (TallyDemoServer *self,
              SoupServerMessage *msg,
              guint ms,
              gboolean reset)
{
  Deferred *deferred = g_new0 (Deferred, 1);

  deferred->self = self;
  deferred->msg = g_object_ref (msg);
  deferred->reset = reset;
  deferred->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (deferred_gone_cb), deferred);
  deferred->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (deferred_gone_cb), deferred);
  deferred->source_id = g_timeout_add (ms, deferred_fire_cb, deferred);
  g_ptr_array_add (self->deferred, deferred);

  soup_server_message_pause (msg);
}

/* ------------------------------------------------------------------------ */
/* Rate limits (API-2026.md §1) and random faults                           */

typedef struct
{
  gint64 start; /* monotonic µs */
  guint count;
} LimitWindow;

static gboolean
is_heavy_path (const char *path)
{
  return g_str_equal (path, "/api/v1/usage") || g_str_has_prefix (path, "/api/v1/usage/") || (g_str_has_prefix (path, "/api/v1/user/api-keys/") && g_str_has_suffix (path, "/usage/daily"));
}

/* Counts one request in the fixed window @key; returns the seconds left in
 * the window (≥ 1) when @limit is already used up, else 0. */
static guint
limit_take (TallyDemoServer *self,
            const char *key,
            guint limit,
            gint64 now)
{
  gint64 window = (gint64) self->limit_window * G_USEC_PER_SEC;
  LimitWindow *w = g_hash_table_lookup (self->limit_windows, key);

  if (w == NULL)
    {
      w = g_new0 (LimitWindow, 1);
      g_hash_table_insert (self->limit_windows, g_strdup (key), w);
      w->start = now;
    }
  else if (now >= w->start + window)
    {
      w->start = now;
      w->count = 0;
    }

  if (w->count >= limit)
    return (guint) MAX ((w->start + window - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 1);

  w->count++;
  return 0;
}

/* The limiter of today's servers: per user on the panel API (heavy routes
 * count against both limits), per client IP on the public and auth routes.
 * TRUE: @resp holds the 429. */
static gboolean
rate_limit_refuses (TallyDemoServer *self,
                    Request *req,
                    Response *resp)
{
  static const struct
  {
    const char *path;
    guint per_minute;
  } ip_limits[] = {
    { "/api/v1/settings/public", 300 },
    { "/api/v1/auth/login", 20 },
    { "/api/v1/auth/login/2fa", 20 },
    { "/api/v1/auth/refresh", 30 },
  };
  gint64 now = g_get_monotonic_time ();
  guint retry_after = 0;

  if (self->limit_window == 0)
    return FALSE;

  if (req->user_id != 0)
    {
      g_autofree char *general_key = g_strdup_printf ("user:%" G_GINT64_FORMAT, req->user_id);
      g_autofree char *heavy_key = g_strdup_printf ("heavy:%" G_GINT64_FORMAT, req->user_id);

      /* a refused heavy call does not use up the general limit */
      if (is_heavy_path (req->path) && self->limit_heavy > 0)
        retry_after = limit_take (self, heavy_key, self->limit_heavy, now);
      if (retry_after == 0 && self->limit_general > 0)
        retry_after = limit_take (self, general_key, self->limit_general, now);
    }
  else
    {
      GSocketAddress *remote = soup_server_message_get_remote_address (req->msg);
      g_autofree char *host = NULL;

      if (G_IS_INET_SOCKET_ADDRESS (remote))
        host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));

      for (guint i = 0; i < G_N_ELEMENTS (ip_limits); i++)
        if (g_str_equal (req->path, ip_limits[i].path))
          {
            g_autofree char *key = g_strdup_printf ("ip:%s:%s", host != NULL ? host : "?", req->path);

            retry_after = limit_take (self, key, ip_limits[i].per_minute, now);
            break;
          }
    }

  if (retry_after == 0)
    return FALSE;

  self->rate_limited_count++;
  respond_code_error (resp, 429, "RATE_LIMITED", "Too many requests, please try again later");
  resp->retry_after = retry_after;
  return TRUE;
}

/* TRUE: @resp holds a 500, or *@reset is set (the connection is dropped). */
static gboolean
random_fault (TallyDemoServer *self,
              Response *resp,
              gboolean *reset)
{
  double draw;

  if (self->fault_rand == NULL || (self->fault_500_rate <= 0.0 && self->fault_drop_rate <= 0.0))
    return FALSE;

  draw = g_rand_double (self->fault_rand);
  if (draw < self->fault_500_rate)
    {
      respond_error (resp, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal error", NULL);
      return TRUE;
    }
  if (draw < self->fault_500_rate + self->fault_drop_rate)
    {
      *reset = TRUE;
      return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* The handler                                                              */

static void
count_request (TallyDemoServer *self,
               const char *path)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->request_counts, path));

  g_hash_table_replace (self->request_counts, g_strdup (path), GUINT_TO_POINTER (count + 1));
  self->total_requests++;
}

/* Routes the request and fills @resp, applying the configured fault; the
 * ones that act on the connection set *@reset or *@stall instead. */
static void
dispatch (TallyDemoServer *self,
          Request *req,
          Response *resp,
          const char *raw_path,
          const char *raw_query,
          gboolean *reset,
          gboolean *stall)
{
  g_autofree char *param = NULL;
  const Route *route = find_route (self, req->method, req->path, &param);
  TallyDemoFault fault = TALLY_DEMO_FAULT_NONE;

  if (route == NULL)
    {
      gsize len = strlen (req->path);

      /* gin's RedirectTrailingSlash: 301 for GET, 307 otherwise */
      if (len > 1 && req->path[len - 1] == '/')
        {
          g_autofree char *trimmed = g_strndup (req->path, len - 1);

          if (find_route (self, req->method, trimmed, NULL) != NULL)
            {
              g_autofree char *location_path = g_strndup (raw_path, MAX (strlen (raw_path), 1) - 1);

              respond_text (resp, g_str_equal (req->method, "GET") ? SOUP_STATUS_MOVED_PERMANENTLY : SOUP_STATUS_TEMPORARY_REDIRECT,
                            HTML_CONTENT_TYPE, "");
              resp->location = raw_query != NULL ? g_strconcat (location_path, "?", raw_query, NULL)
                                                 : g_steal_pointer (&location_path);
              return;
            }
        }

      if (!is_backend_path (req->path) && g_str_equal (req->method, "GET"))
        respond_spa (resp);
      else
        respond_no_route (resp);
      return;
    }

  req->param = param;
  if (route->flags & ROUTE_FAULTS)
    fault = self->fault;
  if (fault != TALLY_DEMO_FAULT_NONE && self->fault_limit > 0 && --self->fault_limit == 0)
    self->fault = TALLY_DEMO_FAULT_NONE; /* this was the last one */

  switch (fault)
    {
      case TALLY_DEMO_FAULT_HTML_502:
        respond_text (resp, SOUP_STATUS_BAD_GATEWAY, HTML_CONTENT_TYPE,
                      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                      "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
                      "</body>\r\n</html>\r\n");
        return;
      case TALLY_DEMO_FAULT_SPA_HTML:
        respond_spa (resp);
        return;
      case TALLY_DEMO_FAULT_SERVER_ERROR:
        respond_error (resp, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal error", NULL);
        return;
      case TALLY_DEMO_FAULT_TOKEN_EXPIRED:
        respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "TOKEN_EXPIRED", "Token has expired");
        return;
      case TALLY_DEMO_FAULT_RATE_LIMITED:
        respond_code_error (resp, 429, "RATE_LIMITED", "Too many requests, please slow down and try again later");
        resp->retry_after = RETRY_AFTER_SECONDS;
        return;
      case TALLY_DEMO_FAULT_RESET:
        *reset = TRUE;
        return;
      case TALLY_DEMO_FAULT_UNAVAILABLE:
        respond_error (resp, SOUP_STATUS_SERVICE_UNAVAILABLE, "service unavailable", NULL);
        resp->retry_after = 1;
        return;
      case TALLY_DEMO_FAULT_STALL:
        *stall = TRUE;
        break;
      case TALLY_DEMO_FAULT_NONE:
      case TALLY_DEMO_FAULT_TRUNCATED_JSON:
      case TALLY_DEMO_FAULT_WRONG_TYPES:
      case TALLY_DEMO_FAULT_NULL_ARRAYS:
      case TALLY_DEMO_FAULT_HUGE_NUMBERS:
      case TALLY_DEMO_FAULT_NEGATIVE_NUMBERS:
      default:
        break;
    }

  if (!(route->flags & ROUTE_AUTH) || authenticate (self, req, resp))
    {
      if (rate_limit_refuses (self, req, resp))
        return;
      if (fault == TALLY_DEMO_FAULT_NONE && (route->flags & ROUTE_FAULTS) && random_fault (self, resp, reset))
        return;
      route->handler (self, req, resp);
    }

  switch (fault)
    {
      case TALLY_DEMO_FAULT_TRUNCATED_JSON:
        g_string_truncate (resp->body, resp->body->len / 2);
        break;
      case TALLY_DEMO_FAULT_WRONG_TYPES:
      case TALLY_DEMO_FAULT_NULL_ARRAYS:
      case TALLY_DEMO_FAULT_HUGE_NUMBERS:
      case TALLY_DEMO_FAULT_NEGATIVE_NUMBERS:
        rewrite_data (resp, fault);
        break;
      case TALLY_DEMO_FAULT_NONE:
      case TALLY_DEMO_FAULT_HTML_502:
      case TALLY_DEMO_FAULT_SPA_HTML:
      case TALLY_DEMO_FAULT_SERVER_ERROR:
      case TALLY_DEMO_FAULT_TOKEN_EXPIRED:
      case TALLY_DEMO_FAULT_RATE_LIMITED:
      case TALLY_DEMO_FAULT_STALL:
      case TALLY_DEMO_FAULT_RESET:
      case TALLY_DEMO_FAULT_UNAVAILABLE:
      default:
        break;
    }
}

static void
server_callback (SoupServer *server,
                 SoupServerMessage *msg,
                 const char *path,
                 GHashTable *query,
                 gpointer user_data)
{
  TallyDemoServer *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *raw_path = g_uri_get_path (uri);
  const char *raw_query = g_uri_get_query (uri);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *decoded = g_uri_unescape_string (raw_path, NULL);
  g_autoptr (GHashTable) params = parse_query (raw_query);
  g_autoptr (GString) body = g_string_new (NULL);
  Request req = { 0 };
  Response resp = { 0 };
  gboolean reset = FALSE;
  gboolean stall = FALSE;
  guint delay = self->delay_ms;

  req.msg = msg;
  req.method = soup_server_message_get_method (msg);
  req.path = decoded != NULL ? decoded : raw_path;
  req.query = params;
  req.max_page_size = self->generation == TALLY_DEMO_GENERATION_2025 ? S_MAX_PAGE_SIZE : MAX_PAGE_SIZE;
  resp.body = body;
  response_reset (&resp);

  count_request (self, req.path);

  soup_message_headers_replace (headers, "Access-Control-Allow-Origin", "*");
  soup_message_headers_replace (headers, "Access-Control-Allow-Credentials", "true");
  soup_message_headers_replace (headers, "Access-Control-Allow-Headers",
                                "Content-Type, Content-Length, Accept-Encoding, X-CSRF-Token, Authorization, "
                                "accept, origin, Cache-Control, X-Requested-With, X-API-Key");
  soup_message_headers_replace (headers, "Access-Control-Allow-Methods", "POST, OPTIONS, GET, PUT, DELETE, PATCH");
  if (soup_message_headers_get_one (headers, "Date") == NULL)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);

      soup_message_headers_replace (headers, "Date", date);
    }

  if (g_str_equal (req.method, "OPTIONS"))
    soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
  else
    {
      dispatch (self, &req, &resp, raw_path, raw_query, &reset, &stall);
      if (resp.location != NULL)
        soup_message_headers_replace (headers, "Location", resp.location);
      g_clear_pointer (&resp.location, g_free);
    }

  if (reset)
    {
      defer_answer (self, msg, delay, TRUE);
      return;
    }

  if (!g_str_equal (req.method, "OPTIONS"))
    {
      gsize len = body->len;

      soup_server_message_set_status (msg, resp.status, NULL);
      if (resp.retry_after > 0)
        {
          g_autofree char *value = g_strdup_printf ("%u", resp.retry_after);

          soup_message_headers_replace (headers, "Retry-After", value);
        }
      soup_server_message_set_response (msg, resp.content_type, SOUP_MEMORY_TAKE,
                                        g_string_free (g_steal_pointer (&body), FALSE), len);
    }

  if (stall)
    delay = STALL_MS;
  if (delay > 0)
    defer_answer (self, msg, delay, FALSE);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
tally_demo_server_dispose (GObject *object)
{
  TallyDemoServer *self = TALLY_DEMO_SERVER (object);

  tally_demo_server_stop (self);

  G_OBJECT_CLASS (tally_demo_server_parent_class)->dispose (object);
}

static void
tally_demo_server_finalize (GObject *object)
{
  TallyDemoServer *self = TALLY_DEMO_SERVER (object);

  if (self->usage_hook_destroy != NULL)
    self->usage_hook_destroy (self->usage_hook_data);

  g_clear_pointer (&self->data, tally_demo_data_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->today, g_free);
  g_clear_pointer (&self->timezone, g_free);
  g_clear_pointer (&self->captcha, g_free);
  g_clear_pointer (&self->request_counts, g_hash_table_unref);
  g_clear_pointer (&self->limit_windows, g_hash_table_unref);
  g_clear_pointer (&self->fault_rand, g_rand_free);
  g_clear_pointer (&self->challenges, g_hash_table_unref);
  g_clear_pointer (&self->deferred, g_ptr_array_unref);
  g_clear_pointer (&self->sessions, tally_demo_sessions_free);

  G_OBJECT_CLASS (tally_demo_server_parent_class)->finalize (object);
}

static void
tally_demo_server_get_property (GObject *object,
                                guint prop_id,
                                GValue *value,
                                GParamSpec *pspec)
{
  TallyDemoServer *self = TALLY_DEMO_SERVER (object);

  switch (prop_id)
    {
      case PROP_SEED:
        g_value_set_uint64 (value, self->seed);
        break;
      case PROP_DAYS:
        g_value_set_uint (value, self->days);
        break;
      case PROP_ROWS:
        g_value_set_uint (value, self->rows);
        break;
      case PROP_UTC_OFFSET:
        g_value_set_int (value, self->utc_offset);
        break;
      case PROP_NOW:
        g_value_set_int64 (value, self->now);
        break;
      case PROP_GENERATION:
        g_value_set_uint (value, self->generation);
        break;
      case PROP_TIMEZONE:
        g_value_set_string (value, self->timezone);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_demo_server_set_property (GObject *object,
                                guint prop_id,
                                const GValue *value,
                                GParamSpec *pspec)
{
  TallyDemoServer *self = TALLY_DEMO_SERVER (object);

  switch (prop_id)
    {
      case PROP_SEED:
        if (self->seed != g_value_get_uint64 (value))
          {
            self->seed = g_value_get_uint64 (value);
            g_object_notify_by_pspec (object, pspec);
          }
        break;
      case PROP_DAYS:
        if (self->days != g_value_get_uint (value))
          {
            self->days = g_value_get_uint (value);
            g_object_notify_by_pspec (object, pspec);
          }
        break;
      case PROP_ROWS:
        if (self->rows != g_value_get_uint (value))
          {
            self->rows = g_value_get_uint (value);
            g_object_notify_by_pspec (object, pspec);
          }
        break;
      case PROP_UTC_OFFSET:
        if (self->utc_offset != g_value_get_int (value))
          {
            self->utc_offset = g_value_get_int (value);
            g_object_notify_by_pspec (object, pspec);
          }
        break;
      case PROP_NOW:
        if (self->now != g_value_get_int64 (value))
          {
            self->now = g_value_get_int64 (value);
            g_object_notify_by_pspec (object, pspec);
          }
        break;
      case PROP_GENERATION:
        tally_demo_server_set_generation (self, g_value_get_uint (value));
        break;
      case PROP_TIMEZONE:
        tally_demo_server_set_timezone (self, g_value_get_string (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_demo_server_class_init (TallyDemoServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tally_demo_server_dispose;
  object_class->finalize = tally_demo_server_finalize;
  object_class->get_property = tally_demo_server_get_property;
  object_class->set_property = tally_demo_server_set_property;

  properties[PROP_SEED] = g_param_spec_uint64 ("seed", NULL, NULL, 0, G_MAXUINT64, 42,
                                               G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DAYS] = g_param_spec_uint ("days", NULL, NULL, 0, 3660, 90,
                                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ROWS] = g_param_spec_uint ("rows", NULL, NULL, 0, 10000000, 17000,
                                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_UTC_OFFSET] = g_param_spec_int ("utc-offset", NULL, NULL, -14 * 3600, 14 * 3600, 28800,
                                                  G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NOW] = g_param_spec_int64 ("now", NULL, NULL, 0, G_MAXINT64 / G_USEC_PER_SEC, 0,
                                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_GENERATION] = g_param_spec_uint ("generation", NULL, NULL,
                                                   TALLY_DEMO_GENERATION_CURRENT, TALLY_DEMO_GENERATION_2025,
                                                   TALLY_DEMO_GENERATION_CURRENT,
                                                   G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_TIMEZONE] = g_param_spec_string ("timezone", NULL, NULL, NULL,
                                                   G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_demo_server_init (TallyDemoServer *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->secret); i += 4)
    {
      guint32 r = g_random_int ();

      memcpy (self->secret + i, &r, 4);
    }
  self->request_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->limit_windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->challenges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->deferred = g_ptr_array_new_with_free_func (deferred_free);
  self->sessions = tally_demo_sessions_new ();
  self->access_lifetime = TOKEN_LIFETIME_SECONDS;
  self->refresh_lifetime = REFRESH_LIFETIME_SECONDS;
}

/* ------------------------------------------------------------------------ */
/* TallyDemoBackend (what a session needs)                                  */

static gboolean
backend_start (TallyDemoBackend *backend,
               GError **error)
{
  return tally_demo_server_start (TALLY_DEMO_SERVER (backend), error);
}

static void
backend_stop (TallyDemoBackend *backend)
{
  tally_demo_server_stop (TALLY_DEMO_SERVER (backend));
}

static const char *
backend_get_url (TallyDemoBackend *backend)
{
  return tally_demo_server_get_url (TALLY_DEMO_SERVER (backend));
}

static const char *
backend_get_email (TallyDemoBackend *backend)
{
  return tally_demo_server_get_email (TALLY_DEMO_SERVER (backend));
}

static const char *
backend_get_password (TallyDemoBackend *backend)
{
  return tally_demo_server_get_password (TALLY_DEMO_SERVER (backend));
}

static void
tally_demo_server_backend_init (TallyDemoBackendInterface *iface)
{
  iface->start = backend_start;
  iface->stop = backend_stop;
  iface->get_url = backend_get_url;
  iface->get_email = backend_get_email;
  iface->get_password = backend_get_password;
}

/* ------------------------------------------------------------------------ */
/* Public API                                                               */

TallyDemoServer *
tally_demo_server_new (void)
{
  return g_object_new (TALLY_TYPE_DEMO_SERVER, NULL);
}

/* TALLY_DEMO_RATE_LIMIT and TALLY_DEMO_FAULTS (see the header) */
static void
demo_limits_from_environment (TallyDemoServer *self)
{
  const char *limit = g_getenv ("TALLY_DEMO_RATE_LIMIT");
  const char *faults = g_getenv ("TALLY_DEMO_FAULTS");

  if (self->generation == TALLY_DEMO_GENERATION_CURRENT)
    tally_demo_server_set_rate_limit (self, 60, 240, 60);

  if (limit != NULL && *limit != '\0')
    {
      g_auto (GStrv) parts = g_strsplit (limit, "/", 0);
      guint64 v[3];
      gboolean ok = g_strv_length (parts) == 3;

      for (guint i = 0; ok && i < 3; i++)
        ok = g_ascii_string_to_unsigned (parts[i], 10, 0, 1000000, &v[i], NULL);

      if (g_str_equal (limit, "off"))
        tally_demo_server_set_rate_limit (self, 0, 0, 0);
      else if (ok)
        tally_demo_server_set_rate_limit (self, (guint) v[0], (guint) v[1], (guint) v[2]);
      else
        g_warning ("TALLY_DEMO_RATE_LIMIT=%s is not off or HEAVY/GENERAL/SECONDS: ignored", limit);
    }

  if (faults != NULL && *faults != '\0')
    {
      g_auto (GStrv) items = g_strsplit (faults, ",", 0);
      double rate_500 = 0.0, rate_drop = 0.0;
      gboolean ok = TRUE;

      for (guint i = 0; ok && items[i] != NULL; i++)
        {
          const char *colon = strchr (items[i], ':');
          char *end = NULL;
          double value = colon != NULL ? g_ascii_strtod (colon + 1, &end) : -1.0;

          ok = colon != NULL && end != NULL && *end == '\0' && end != colon + 1 && value >= 0.0 && value <= 1.0;
          if (ok && strncmp (items[i], "500:", 4) == 0)
            rate_500 = value;
          else if (ok && strncmp (items[i], "drop:", 5) == 0)
            rate_drop = value;
          else
            ok = FALSE;
        }

      if (ok && rate_500 + rate_drop <= 1.0)
        tally_demo_server_set_fault_rates (self, rate_500, rate_drop);
      else
        g_warning ("TALLY_DEMO_FAULTS=%s is not like 500:0.02,drop:0.02: ignored", faults);
    }
}

TallyDemoServer *
tally_demo_server_new_from_environment (void)
{
  g_autoptr (TallyDemoServer) self = tally_demo_server_new ();
  const char *generation = g_getenv ("TALLY_DEMO_GENERATION");
  const char *zone;
  const char *live_rows = g_getenv ("TALLY_DEMO_LIVE_ROWS");

  const char *access_seconds = g_getenv ("TALLY_DEMO_ACCESS_SECONDS");
  const char *now = g_getenv ("TALLY_DEMO_NOW");

  if (generation != NULL && *generation != '\0')
    {
      if (g_str_equal (generation, "2025"))
        tally_demo_server_set_generation (self, TALLY_DEMO_GENERATION_2025);
      else if (!g_str_equal (generation, "current"))
        g_warning ("TALLY_DEMO_GENERATION=%s is not one of 2025, current: ignored", generation);
    }

  zone = g_getenv ("TALLY_DEMO_ZONE");
  if (zone != NULL && *zone != '\0')
    {
      g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (zone);

      if (tz != NULL)
        tally_demo_server_set_timezone (self, zone);
      else
        g_warning ("TALLY_DEMO_ZONE=%s is not a known time zone: ignored", zone);
    }

  tally_demo_server_set_live_rows (self, DEMO_LIVE_ROWS_PER_MINUTE);
  if (live_rows != NULL && *live_rows != '\0')
    {
      guint64 per_minute;

      if (g_ascii_string_to_unsigned (live_rows, 10, 0, G_MAXUINT, &per_minute, NULL))
        tally_demo_server_set_live_rows (self, (guint) per_minute);
      else
        g_warning ("TALLY_DEMO_LIVE_ROWS=%s is not a number of rows a minute: ignored", live_rows);
    }

  demo_limits_from_environment (self);

  /* Access tokens last minutes, as on a server whose admin chose so (S:
   * 24 h, and no refresh token to renew them). */
  if (self->generation != TALLY_DEMO_GENERATION_2025)
    tally_demo_server_set_access_lifetime (self, DEMO_ACCESS_SECONDS);
  if (access_seconds != NULL && *access_seconds != '\0')
    {
      guint64 seconds = 0;

      if (g_ascii_string_to_unsigned (access_seconds, 10, 1, G_MAXINT32, &seconds, NULL))
        tally_demo_server_set_access_lifetime (self, (gint64) seconds);
      else
        g_warning ("TALLY_DEMO_ACCESS_SECONDS=%s is not a number of seconds ≥ 1: ignored", access_seconds);
    }

  if (now != NULL && *now != '\0')
    {
      guint64 seconds = 0;

      if (g_ascii_string_to_unsigned (now, 10, 1, G_MAXINT64 / G_USEC_PER_SEC, &seconds, NULL))
        g_object_set (self, "now", (gint64) seconds, NULL);
      else
        g_warning ("TALLY_DEMO_NOW=%s is not a number of seconds since 1970: ignored", now);
    }

  return g_steal_pointer (&self);
}

const char *
tally_demo_server_get_timezone (TallyDemoServer *self)
{
  g_return_val_if_fail (TALLY_IS_DEMO_SERVER (self), NULL);

  return self->timezone;
}

void
tally_demo_server_set_timezone (TallyDemoServer *self,
                                const char *timezone)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));

  if (timezone != NULL && timezone[0] == '\0')
    timezone = NULL;
  if (g_strcmp0 (self->timezone, timezone) == 0)
    return;

  g_free (self->timezone);
  self->timezone = g_strdup (timezone);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEZONE]);
}

void
tally_demo_server_set_captcha (TallyDemoServer *self,
                               const char *kind)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  g_return_if_fail (kind == NULL || g_str_equal (kind, "tencent") || g_str_equal (kind, "aliyun"));

  g_free (self->captcha);
  self->captcha = g_strdup (kind);
}

TallyDemoGeneration
tally_demo_server_get_generation (TallyDemoServer *self)
{
  g_return_val_if_fail (TALLY_IS_DEMO_SERVER (self), TALLY_DEMO_GENERATION_CURRENT);

  return self->generation;
}

void
tally_demo_server_set_generation (TallyDemoServer *self,
                                  TallyDemoGeneration generation)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  g_return_if_fail (generation <= TALLY_DEMO_GENERATION_2025);

  if (self->generation == generation)
    return;

  self->generation = generation;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GENERATION]);
}

/* ------------------------------------------------------------------------ */
/* Live rows                                                                */

static void
live_rows_stop (TallyDemoServer *self)
{
  if (self->live_source != NULL)
    {
      g_source_destroy (self->live_source);
      g_clear_pointer (&self->live_source, g_source_unref);
    }
}

static gboolean
live_rows_cb (gpointer user_data)
{
  TallyDemoServer *self = user_data;

  /* on the real clock (no frozen "now"), new requests happen now */
  if (self->now == 0 && self->data != NULL)
    {
      tally_demo_data_advance_now (self->data, g_get_real_time ());
      g_free (self->today);
      self->today = tally_demo_format_date (tally_demo_data_get_today (self->data));
    }

  /* above 60000 a minute, several rows per millisecond tick */
  tally_demo_server_add_rows (self, MAX (self->live_rows_per_minute / 60000, 1));

  return G_SOURCE_CONTINUE;
}

/* (Re)starts the timer in the serving context, when started and switched on. */
static void
live_rows_restart (TallyDemoServer *self)
{
  guint interval_ms;

  live_rows_stop (self);
  if (self->server == NULL || self->live_rows_per_minute == 0)
    return;

  interval_ms = MAX (60000 / self->live_rows_per_minute, 1);
  self->live_source = g_timeout_source_new (interval_ms);
  g_source_set_callback (self->live_source, live_rows_cb, self, NULL);
  g_source_set_static_name (self->live_source, "[tally] demo live rows");
  g_source_attach (self->live_source, g_main_context_get_thread_default ());
}

void
tally_demo_server_add_rows (TallyDemoServer *self,
                            guint n)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));

  if (self->data == NULL)
    {
      self->pending_rows += n;
      return;
    }
  tally_demo_data_add_rows (self->data, n);
}

void
tally_demo_server_set_live_rows (TallyDemoServer *self,
                                 guint per_minute)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));

  if (self->live_rows_per_minute == per_minute)
    return;

  self->live_rows_per_minute = per_minute;
  live_rows_restart (self);
}

guint
tally_demo_server_get_live_rows (TallyDemoServer *self)
{
  g_return_val_if_fail (TALLY_IS_DEMO_SERVER (self), 0);

  return self->live_rows_per_minute;
}

void
tally_demo_server_set_usage_hook (TallyDemoServer *self,
                                  TallyDemoUsageHook hook,
                                  gpointer user_data,
                                  GDestroyNotify destroy)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));

  if (self->usage_hook_destroy != NULL)
    self->usage_hook_destroy (self->usage_hook_data);
  self->usage_hook = hook;
  self->usage_hook_data = user_data;
  self->usage_hook_destroy = destroy;
}

gboolean
tally_demo_server_start (TallyDemoServer *self,
                         GError **error)
{
  g_autoptr (SoupServer) server = NULL;
  guint16 port = 0;
  gint64 now;

  g_return_val_if_fail (TALLY_IS_DEMO_SERVER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  now = self->now > 0 ? self->now : g_get_real_time () / G_USEC_PER_SEC;
  g_clear_pointer (&self->data, tally_demo_data_free);
  g_clear_pointer (&self->data, tally_demo_data_free);
  {
    g_autoptr (GTimeZone) tz = NULL;

    if (self->timezone != NULL)
      {
        tz = g_time_zone_new_identifier (self->timezone);
        if (tz == NULL)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         "Unknown time zone “%s”", self->timezone);
            return FALSE;
          }
      }
    self->data = tally_demo_data_new_in_zone (self->seed, self->days, self->rows, now, tz, self->utc_offset);
  }
  g_clear_pointer (&self->today, g_free);
  self->today = tally_demo_format_date (tally_demo_data_get_today (self->data));

  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, server_callback, self, NULL);

  self->service = _tally_soup_listen_loopback (server, NULL, &port, error);
  if (self->service == NULL)
    return FALSE;

  g_clear_pointer (&self->url, g_free);
  self->url = g_strdup_printf ("http://127.0.0.1:%u", port);
  self->server = g_steal_pointer (&server);

  tally_demo_data_add_rows (self->data, self->pending_rows);
  self->pending_rows = 0;
  live_rows_restart (self);
  return TRUE;
}

void
tally_demo_server_stop (TallyDemoServer *self)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));

  /* timers first: nothing may fire once the connections are gone */
  if (self->deferred != NULL)
    g_ptr_array_set_size (self->deferred, 0);
  live_rows_stop (self);

  g_clear_pointer (&self->service, _tally_soup_listen_stop);
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  g_clear_pointer (&self->url, g_free);
  if (self->challenges != NULL)
    g_hash_table_remove_all (self->challenges);
}

const char *
tally_demo_server_get_url (TallyDemoServer *self)
{
  g_return_val_if_fail (TALLY_IS_DEMO_SERVER (self), NULL);
  return self->url;
}

const char *
tally_demo_server_get_email (TallyDemoServer *self)
{
  g_return_val_if_fail (TALLY_IS_DEMO_SERVER (self), NULL);
  return "demo@example.com";
}

const char *
tally_demo_server_get_password (TallyDemoServer *self)
{
  g_return_val_if_fail (TALLY_IS_DEMO_SERVER (self), NULL);
  return "tally-demo";
}

char *
tally_demo_server_issue_token (TallyDemoServer *self,
                               gint64 lifetime_seconds)
{
  const TallyDemoUser user = {
    .id = TALLY_DEMO_USER_ID,
    .email = "demo@example.com",
    .role = "user",
  };

  g_return_val_if_fail (TALLY_IS_DEMO_SERVER (self), NULL);
  return issue_token (self, &user, lifetime_seconds, 0);
}

void
tally_demo_server_set_delay (TallyDemoServer *self,
                             guint ms)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  self->delay_ms = ms;
}

void
tally_demo_server_set_fault (TallyDemoServer *self,
                             TallyDemoFault fault)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  g_return_if_fail (fault >= TALLY_DEMO_FAULT_NONE && fault <= TALLY_DEMO_FAULT_UNAVAILABLE);
  self->fault = fault;
  self->fault_limit = 0;
}

void
tally_demo_server_set_fault_limit (TallyDemoServer *self,
                                   guint count)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  self->fault_limit = count;
}

void
tally_demo_server_set_rate_limit (TallyDemoServer *self,
                                  guint per_window_heavy,
                                  guint per_window_general,
                                  guint window_seconds)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));

  self->limit_heavy = per_window_heavy;
  self->limit_general = per_window_general;
  self->limit_window = window_seconds;
  g_hash_table_remove_all (self->limit_windows);
}

guint
tally_demo_server_get_rate_limited_count (TallyDemoServer *self)
{
  g_return_val_if_fail (TALLY_IS_DEMO_SERVER (self), 0);

  return self->rate_limited_count;
}

void
tally_demo_server_set_fault_rates (TallyDemoServer *self,
                                   double http_500,
                                   double drop)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  g_return_if_fail (http_500 >= 0.0 && drop >= 0.0 && http_500 + drop <= 1.0);

  self->fault_500_rate = http_500;
  self->fault_drop_rate = drop;
  g_clear_pointer (&self->fault_rand, g_rand_free);
  self->fault_rand = g_rand_new_with_seed ((guint32) (self->seed ^ (self->seed >> 32) ^ 0x5eedfa17u));
}

void
tally_demo_server_set_turnstile (TallyDemoServer *self,
                                 gboolean enabled)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  self->turnstile = !!enabled;
}

void
tally_demo_server_set_two_factor (TallyDemoServer *self,
                                  gboolean enabled)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  self->two_factor = !!enabled;
}

guint
tally_demo_server_get_request_count (TallyDemoServer *self,
                                     const char *path)
{
  g_return_val_if_fail (TALLY_IS_DEMO_SERVER (self), 0);

  if (path == NULL)
    return self->total_requests;
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->request_counts, path));
}

void
tally_demo_server_reset_request_counts (TallyDemoServer *self)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  g_hash_table_remove_all (self->request_counts);
  self->total_requests = 0;
}

const char *
tally_demo_server_get_today (TallyDemoServer *self)
{
  g_return_val_if_fail (TALLY_IS_DEMO_SERVER (self), NULL);
  return self->today;
}

/* ------------------------------------------------------------------------ */
/* Public API: logins of today's servers                                    */

void
tally_demo_server_set_access_lifetime (TallyDemoServer *self,
                                       gint64 seconds)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  g_return_if_fail (seconds >= 0);

  self->access_lifetime = seconds;
}

void
tally_demo_server_set_refresh_lifetime (TallyDemoServer *self,
                                        gint64 seconds)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  g_return_if_fail (seconds >= 0);

  self->refresh_lifetime = seconds;
}

void
tally_demo_server_expire_access_tokens (TallyDemoServer *self)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));

  self->expired_through = self->last_serial;
}

void
tally_demo_server_revoke_sessions (TallyDemoServer *self)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));

  tally_demo_sessions_revoke_all (self->sessions);
}

void
tally_demo_server_change_network (TallyDemoServer *self)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));

  tally_demo_sessions_move_all (self->sessions);
}

void
tally_demo_server_set_user_active (TallyDemoServer *self,
                                   gboolean active)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));

  self->user_inactive = !active;
}

void
tally_demo_server_set_admin_only (TallyDemoServer *self,
                                  gboolean admin_only)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));

  self->admin_only = !!admin_only;
}

/* tally-demo-server.c: an in-process sub2api (S shape) server with synthetic data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One catch-all SoupServer handler does what gin does in front of the panel
 * API: CORS headers, OPTIONS → 204, trailing-slash redirects, the plain-text
 * 404 for unknown /api paths and wrong methods, the SPA page for other paths,
 * the JWT middleware, then the route. Bodies are written the way Go's
 * encoding/json writes them (tally-demo-json.c), every statistic comes from
 * tally_demo_data_aggregate().
 *
 * This file: the object, its properties, listening, the catch-all handler
 * (dispatch, faults, the rate limiter, answers held back) and the
 * environment of tally_demo_server_new_from_environment(). The routes live in
 * tally-demo-server-routes.c (the table, settings, profile, keys),
 * tally-demo-server-routes-usage.c (usage and dashboard) and
 * tally-demo-server-auth.c (tokens, the JWT middleware, login, 2FA, refresh,
 * logout); tally-demo-server-private.h holds what they share.
 */

#define G_LOG_DOMAIN "tally-demo-server"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "tally-demo-server-private.h"
#include "tally-soup-listen-private.h"

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
  data = (TallyDemoValue *) _tally_demo_object_member (envelope, "data");
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
  _tally_demo_respond_code_error (resp, 429, "RATE_LIMITED", "Too many requests, please try again later");
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
      _tally_demo_respond_error (resp, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal error", NULL);
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
  const Route *route = _tally_demo_find_route (self, req->method, req->path, &param);
  TallyDemoFault fault = TALLY_DEMO_FAULT_NONE;

  if (route == NULL)
    {
      gsize len = strlen (req->path);

      /* gin's RedirectTrailingSlash: 301 for GET, 307 otherwise */
      if (len > 1 && req->path[len - 1] == '/')
        {
          g_autofree char *trimmed = g_strndup (req->path, len - 1);

          if (_tally_demo_find_route (self, req->method, trimmed, NULL) != NULL)
            {
              g_autofree char *location_path = g_strndup (raw_path, MAX (strlen (raw_path), 1) - 1);

              _tally_demo_respond_text (resp, g_str_equal (req->method, "GET") ? SOUP_STATUS_MOVED_PERMANENTLY : SOUP_STATUS_TEMPORARY_REDIRECT,
                                        HTML_CONTENT_TYPE, "");
              resp->location = raw_query != NULL ? g_strconcat (location_path, "?", raw_query, NULL)
                                                 : g_steal_pointer (&location_path);
              return;
            }
        }

      if (!_tally_demo_is_backend_path (req->path) && g_str_equal (req->method, "GET"))
        _tally_demo_respond_spa (resp);
      else
        _tally_demo_respond_no_route (resp);
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
        _tally_demo_respond_text (resp, SOUP_STATUS_BAD_GATEWAY, HTML_CONTENT_TYPE,
                                  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                                  "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
                                  "</body>\r\n</html>\r\n");
        return;
      case TALLY_DEMO_FAULT_SPA_HTML:
        _tally_demo_respond_spa (resp);
        return;
      case TALLY_DEMO_FAULT_SERVER_ERROR:
        _tally_demo_respond_error (resp, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal error", NULL);
        return;
      case TALLY_DEMO_FAULT_TOKEN_EXPIRED:
        _tally_demo_respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "TOKEN_EXPIRED", "Token has expired");
        return;
      case TALLY_DEMO_FAULT_RATE_LIMITED:
        _tally_demo_respond_code_error (resp, 429, "RATE_LIMITED", "Too many requests, please slow down and try again later");
        resp->retry_after = RETRY_AFTER_SECONDS;
        return;
      case TALLY_DEMO_FAULT_RESET:
        *reset = TRUE;
        return;
      case TALLY_DEMO_FAULT_UNAVAILABLE:
        _tally_demo_respond_error (resp, SOUP_STATUS_SERVICE_UNAVAILABLE, "service unavailable", NULL);
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

  if (!(route->flags & ROUTE_AUTH) || _tally_demo_authenticate (self, req, resp))
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
  g_autoptr (GHashTable) params = _tally_demo_parse_query (raw_query);
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
  _tally_demo_response_reset (&resp);

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

/* the frozen "now" (TALLY_DEMO_NOW), 0 on the real clock */
static gint64
backend_get_now (TallyDemoBackend *backend)
{
  return TALLY_DEMO_SERVER (backend)->now;
}

static void
tally_demo_server_backend_init (TallyDemoBackendInterface *iface)
{
  iface->start = backend_start;
  iface->stop = backend_stop;
  iface->get_url = backend_get_url;
  iface->get_email = backend_get_email;
  iface->get_password = backend_get_password;
  iface->get_now = backend_get_now;
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

  /* the hostile names are for the tests, never for a user's first look */
  self->believable_names = g_strcmp0 (g_getenv ("TALLY_DEMO_NAMES"), "fixture") != 0;
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
    if (self->believable_names)
      tally_demo_data_use_believable_names (self->data);
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

gboolean
tally_demo_server_set_subscription_usage (TallyDemoServer *self,
                                          gint64 id,
                                          guint window,
                                          double usd)
{
  g_return_val_if_fail (TALLY_IS_DEMO_SERVER (self), FALSE);
  g_return_val_if_fail (self->data != NULL, FALSE);

  return tally_demo_data_set_subscription_usage (self->data, id, window, (gint64) llround (usd * 1e10));
}

gboolean
tally_demo_server_set_key_name (TallyDemoServer *self,
                                gint64 id,
                                const char *name)
{
  g_return_val_if_fail (TALLY_IS_DEMO_SERVER (self), FALSE);
  g_return_val_if_fail (self->data != NULL, FALSE);

  return tally_demo_data_set_key_name (self->data, id, name);
}

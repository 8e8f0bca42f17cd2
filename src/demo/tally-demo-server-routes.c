/* tally-demo-server-routes.c: responses, entity JSON, query parameters and
 * the settings, profile and key routes of the demo server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-demo-server"

#include "config.h"

#include <string.h>

#include "tally-demo-server-private.h"

const char *
_tally_demo_query_get (Request *req,
                       const char *name)
{
  const char *value = g_hash_table_lookup (req->query, name);

  return value != NULL && *value != '\0' ? value : NULL;
}

void
_tally_demo_response_reset (Response *resp)
{
  g_string_truncate (resp->body, 0);
  tally_demo_json_init (&resp->json, resp->body);
  resp->content_type = JSON_CONTENT_TYPE;
}

/* {"code":0,"message":"success", then the caller writes "data" */
TallyDemoJson *
_tally_demo_success_begin (Response *resp)
{
  _tally_demo_response_reset (resp);
  resp->status = SOUP_STATUS_OK;
  tally_demo_json_begin_object (&resp->json, NULL);
  tally_demo_json_int (&resp->json, "code", 0);
  tally_demo_json_string (&resp->json, "message", "success");
  return &resp->json;
}

void
_tally_demo_success_end (Response *resp)
{
  tally_demo_json_end_object (&resp->json);
}

/* the response envelope of a handler or service error */
void
_tally_demo_respond_error (Response *resp,
                           guint status,
                           const char *message,
                           const char *reason)
{
  _tally_demo_response_reset (resp);
  resp->status = status;
  tally_demo_json_begin_object (&resp->json, NULL);
  tally_demo_json_int (&resp->json, "code", status);
  tally_demo_json_string (&resp->json, "message", message);
  if (reason != NULL)
    tally_demo_json_string (&resp->json, "reason", reason);
  tally_demo_json_end_object (&resp->json);
}

/* middleware shape: string code, no envelope */
void
_tally_demo_respond_code_error (Response *resp,
                                guint status,
                                const char *code,
                                const char *message)
{
  _tally_demo_response_reset (resp);
  resp->status = status;
  tally_demo_json_begin_object (&resp->json, NULL);
  tally_demo_json_string (&resp->json, "code", code);
  tally_demo_json_string (&resp->json, "message", message);
  tally_demo_json_end_object (&resp->json);
}

void
_tally_demo_respond_invalid_request (Response *resp,
                                     const char *detail)
{
  g_autofree char *message = g_strconcat ("Invalid request: ", detail, NULL);

  _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, message, NULL);
}

void
_tally_demo_respond_text (Response *resp,
                          guint status,
                          const char *content_type,
                          const char *text)
{
  _tally_demo_response_reset (resp);
  resp->status = status;
  resp->content_type = content_type;
  g_string_append (resp->body, text);
}

void
_tally_demo_respond_no_route (Response *resp)
{
  _tally_demo_respond_text (resp, SOUP_STATUS_NOT_FOUND, "text/plain", "404 page not found");
}

void
_tally_demo_respond_spa (Response *resp)
{
  _tally_demo_respond_text (resp, SOUP_STATUS_OK, HTML_CONTENT_TYPE,
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

void
_tally_demo_write_user (TallyDemoServer *self,
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

void
_tally_demo_write_group (TallyDemoServer *self,
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
  /* the quota fields (and a status from them) on the key routes, not in usage rows */
  tally_demo_json_string (json, "status", with_group ? _tally_demo_key_status (self, key) : key->status);
  if (with_group)
    _tally_demo_write_key_quota (self, json, key);
  tally_demo_json_time (json, "created_at", seconds_to_us (key->created_at), tally_demo_data_offset_at (self->data, seconds_to_us (key->created_at)));
  tally_demo_json_time (json, "updated_at", seconds_to_us (key->updated_at), tally_demo_data_offset_at (self->data, seconds_to_us (key->updated_at)));
  if (with_user)
    _tally_demo_write_user (self, json, "user", tally_demo_data_get_user (self->data, key->user_id), TRUE);
  if (with_group && group != NULL)
    _tally_demo_write_group (self, json, "group", group);
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

void
_tally_demo_write_usage_row (TallyDemoServer *self,
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
      _tally_demo_write_user (self, json, "user", tally_demo_data_get_user (data, key->user_id), TRUE);
      if (!key->deleted)
        write_key (self, json, "api_key", key, FALSE, FALSE);
      write_account (self, json, "account", account);
      if (group != NULL)
        _tally_demo_write_group (self, json, "group", group);
    }
  tally_demo_json_end_object (json);
}

/* ------------------------------------------------------------------------ */
/* Query parameters (S parsing rules)                                       */

GHashTable *
_tally_demo_parse_query (const char *query)
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

void
_tally_demo_parse_pagination (Request *req,
                              gint64 *page,
                              gint64 *page_size)
{
  const char *size_text = _tally_demo_query_get (req, "page_size");
  gint64 v;

  *page = 1;
  if (parse_digits (_tally_demo_query_get (req, "page"), &v) && v > 0)
    *page = v;

  if (size_text == NULL)
    size_text = _tally_demo_query_get (req, "limit");
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

void
_tally_demo_write_page_footer (TallyDemoJson *json,
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
int
_tally_demo_lookup_key (TallyDemoServer *self,
                        Request *req,
                        Response *resp,
                        const char *text,
                        const KeyMessages *messages)
{
  guint n_keys;
  const TallyDemoKey *keys = tally_demo_data_get_keys (self->data, &n_keys);
  gint64 id;
  int index;

  if (!tally_demo_parse_go_int (text, 64, &id))
    {
      _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, messages->invalid, NULL);
      return -1;
    }
  index = tally_demo_data_find_key (self->data, id);
  if (index < 0 || keys[index].deleted)
    {
      _tally_demo_respond_error (resp, SOUP_STATUS_NOT_FOUND, messages->missing, messages->missing_reason);
      return -1;
    }
  if (keys[index].user_id != req->user_id)
    {
      _tally_demo_respond_error (resp, SOUP_STATUS_FORBIDDEN, messages->forbidden, NULL);
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
  _tally_demo_response_reset (resp);
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
  TallyDemoJson *json = _tally_demo_success_begin (resp);

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
      tally_demo_json_bool (json, "balance_low_notify_enabled", self->balance_low_threshold > 0);
      tally_demo_json_double (json, "balance_low_notify_threshold", self->balance_low_threshold);
      tally_demo_json_string (json, "balance_low_notify_recharge_url", "");
    }
  tally_demo_json_end_object (json);
  _tally_demo_success_end (resp);
}

void
tally_demo_server_set_balance_low_notify (TallyDemoServer *self,
                                          double threshold_usd)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  g_return_if_fail (threshold_usd >= 0);

  self->balance_low_threshold = threshold_usd;
}

static void
handle_me (TallyDemoServer *self,
           Request *req,
           Response *resp)
{
  TallyDemoJson *json = _tally_demo_success_begin (resp);

  _tally_demo_write_user (self, json, "data", tally_demo_data_get_user (self->data, req->user_id), TRUE);
  _tally_demo_success_end (resp);
}

static void
handle_profile (TallyDemoServer *self,
                Request *req,
                Response *resp)
{
  TallyDemoJson *json = _tally_demo_success_begin (resp);

  _tally_demo_write_user (self, json, "data", tally_demo_data_get_user (self->data, req->user_id), FALSE);
  _tally_demo_success_end (resp);
}

static void
handle_groups_available (TallyDemoServer *self,
                         Request *req,
                         Response *resp)
{
  guint n_groups;
  const TallyDemoGroup *groups = tally_demo_data_get_groups (self->data, &n_groups);
  TallyDemoJson *json = _tally_demo_success_begin (resp);

  tally_demo_json_begin_array (json, "data");
  for (guint i = 0; i < n_groups; i++)
    _tally_demo_write_group (self, json, NULL, &groups[i]);
  tally_demo_json_end_array (json);
  _tally_demo_success_end (resp);
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

  _tally_demo_parse_pagination (req, &page, &page_size);

  /* id descending, soft-deleted keys excluded */
  for (guint i = n_keys; i > 0; i--)
    if (keys[i - 1].user_id == req->user_id && !keys[i - 1].deleted)
      visible[total++] = i - 1;

  json = _tally_demo_success_begin (resp);
  tally_demo_json_begin_object (json, "data");
  tally_demo_json_begin_array (json, "items");
  if (page_offset (page, page_size, total, &offset))
    for (guint64 i = offset; i < total && i < offset + (guint64) page_size; i++)
      write_key (self, json, NULL, &keys[visible[i]], FALSE, TRUE);
  tally_demo_json_end_array (json);
  _tally_demo_write_page_footer (json, total, page, page_size);
  tally_demo_json_end_object (json);
  _tally_demo_success_end (resp);
}

static void
handle_key (TallyDemoServer *self,
            Request *req,
            Response *resp)
{
  static const KeyMessages messages = {
    "Invalid key ID",
    "api key not found",
    "API_KEY_NOT_FOUND",
    "Not authorized to access this key",
  };
  guint n_keys;
  const TallyDemoKey *keys = tally_demo_data_get_keys (self->data, &n_keys);
  TallyDemoJson *json;
  int index;

  index = _tally_demo_lookup_key (self, req, resp, req->param, &messages);
  if (index < 0)
    return;

  json = _tally_demo_success_begin (resp);
  write_key (self, json, "data", &keys[index], TRUE, TRUE);
  _tally_demo_success_end (resp);
}

/* ------------------------------------------------------------------------ */
/* Routing                                                                  */

#define API_ROUTE (ROUTE_AUTH | ROUTE_FAULTS)

/* static routes before the ones with a parameter, like gin's tree */
static const Route routes[] = {
  { "GET", "/health", 0, handle_health },
  { "GET", "/api/v1/settings/public", 0, handle_public_settings },
  { "POST", "/api/v1/auth/login", 0, _tally_demo_handle_login },
  { "POST", "/api/v1/auth/login/2fa", ROUTE_TWO_FACTOR, _tally_demo_handle_login_2fa },
  { "POST", "/api/v1/auth/refresh", ROUTE_CURRENT, _tally_demo_handle_refresh },
  { "POST", "/api/v1/auth/logout", ROUTE_CURRENT, _tally_demo_handle_logout },
  { "GET", "/api/v1/auth/me", ROUTE_AUTH, handle_me },
  { "GET", "/api/v1/user/profile", API_ROUTE, handle_profile },
  { "GET", "/api/v1/groups/available", API_ROUTE, handle_groups_available },
  { "GET", "/api/v1/keys", API_ROUTE, handle_keys },
  { "GET", "/api/v1/usage", API_ROUTE, _tally_demo_handle_usage_list },
  { "GET", "/api/v1/usage/stats", API_ROUTE, _tally_demo_handle_usage_stats },
  { "GET", "/api/v1/usage/dashboard/stats", API_ROUTE, _tally_demo_handle_dashboard_stats },
  { "GET", "/api/v1/usage/dashboard/trend", API_ROUTE, _tally_demo_handle_trend },
  { "GET", "/api/v1/usage/dashboard/models", API_ROUTE, _tally_demo_handle_models },
  { "POST", "/api/v1/usage/dashboard/api-keys-usage", API_ROUTE, _tally_demo_handle_keys_usage },
  { "GET", "/api/v1/subscriptions", API_ROUTE, _tally_demo_handle_subscriptions },
  { "GET", "/api/v1/subscriptions/active", API_ROUTE, _tally_demo_handle_subscriptions_active },
  { "GET", "/api/v1/subscriptions/progress", API_ROUTE, _tally_demo_handle_subscriptions_progress },
  { "GET", "/api/v1/user/platform-quotas", API_ROUTE | ROUTE_CURRENT, _tally_demo_handle_platform_quotas },
  { "GET", "/api/v1/keys/:id", API_ROUTE, handle_key },
  { "GET", "/api/v1/usage/:id", API_ROUTE, _tally_demo_handle_usage_get },
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

const Route *
_tally_demo_find_route (TallyDemoServer *self,
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
gboolean
_tally_demo_is_backend_path (const char *path)
{
  return g_str_has_prefix (path, "/api/") || g_str_has_prefix (path, "/v1/") || g_str_has_prefix (path, "/v1beta/") || g_str_has_prefix (path, "/setup/") || g_str_equal (path, "/health") || g_str_equal (path, "/responses");
}

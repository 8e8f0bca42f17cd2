/* tally-demo-server-routes-usage.c: the usage and dashboard routes of the demo server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-demo-server"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tally-demo-server-private.h"

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

/* model, stream and billing_type, as the list parses them (and, on today's
 * servers, /usage/stats): FALSE when @resp holds the 400 for a bad value. */
static gboolean
parse_row_filters (TallyDemoServer *self,
                   Request *req,
                   Response *resp,
                   TallyDemoFilter *filter)
{
  const char *text;

  if ((text = _tally_demo_query_get (req, "model")) != NULL)
    {
      filter->model = tally_demo_data_find_model (self->data, text);
      if (filter->model < 0)
        filter->model = -2;
    }
  if ((text = _tally_demo_query_get (req, "stream")) != NULL)
    {
      gboolean stream;

      if (!tally_demo_parse_go_bool (text, &stream))
        {
          _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid stream value, use true or false", NULL);
          return FALSE;
        }
      filter->stream = stream;
    }
  if ((text = _tally_demo_query_get (req, "billing_type")) != NULL)
    {
      gint64 billing_type;

      if (!tally_demo_parse_go_int (text, 8, &billing_type))
        {
          _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid billing_type", NULL);
          return FALSE;
        }
      /* values other than 0 and 1 simply match nothing */
      filter->billing_type = (int) billing_type;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Handlers: usage                                                          */

/* ------------------------------------------------------------------------ */
/* Sorting the list (today's servers, since Apr 2026; S ignores it)          */

typedef struct
{
  const TallyDemoRow *rows;
  const TallyDemoModel *models;
  int direction; /* 1 ascending, -1 descending */
} SortContext;

/* By model name in the order asked for; ties newest first (id desc). */
static int
compare_by_model (gconstpointer a,
                  gconstpointer b,
                  gpointer user_data)
{
  const SortContext *ctx = user_data;
  guint ia = *(const guint *) a;
  guint ib = *(const guint *) b;
  int order = strcmp (ctx->models[ctx->rows[ia].model].name, ctx->models[ctx->rows[ib].model].name);

  if (order != 0)
    return order * ctx->direction;
  return ia < ib ? 1 : (ia > ib ? -1 : 0);
}

/* tally_demo_data_select() in the order of `sort_by` (`created_at`,
 * `model`, anything else `id`) and `sort_order` (`asc`, anything else desc),
 * as today's servers do: ids and created_at rise together here, so
 * created_at and id are the same order. */
static guint
select_sorted (TallyDemoServer *self,
               Request *req,
               const TallyDemoFilter *filter,
               guint64 offset,
               guint limit,
               guint *indices,
               guint64 *total)
{
  const char *sort_by = _tally_demo_query_get (req, "sort_by");
  const char *sort_order = _tally_demo_query_get (req, "sort_order");
  gboolean ascending = g_strcmp0 (sort_order, "asc") == 0;
  g_autofree guint *all = NULL;
  guint n_all;
  guint n = 0;

  if (self->generation == TALLY_DEMO_GENERATION_2025 || (!ascending && g_strcmp0 (sort_by, "model") != 0))
    return tally_demo_data_select (self->data, filter, offset, limit, indices, total);

  tally_demo_data_select (self->data, filter, 0, 0, NULL, total);
  n_all = (guint) *total;
  all = g_new (guint, MAX (n_all, 1));
  n_all = tally_demo_data_select (self->data, filter, 0, n_all, all, total);

  if (g_strcmp0 (sort_by, "model") == 0)
    {
      SortContext ctx = { NULL, NULL, ascending ? 1 : -1 };
      guint n_rows, n_models;

      ctx.rows = tally_demo_data_get_rows (self->data, &n_rows);
      ctx.models = tally_demo_data_get_models (self->data, &n_models);
      g_qsort_with_data (all, (gint) n_all, sizeof (guint), compare_by_model, &ctx);
      for (guint64 i = offset; i < n_all && n < limit; i++)
        indices[n++] = all[i];
      return n;
    }

  /* oldest first: the newest-first selection read from its end */
  for (guint64 i = offset; i < n_all && n < limit; i++)
    indices[n++] = all[n_all - 1 - i];
  return n;
}

void
_tally_demo_handle_usage_list (TallyDemoServer *self,
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
  _tally_demo_parse_pagination (req, &page, &page_size);

  /* the test hook may add rows: before anything is counted */
  if (self->usage_hook != NULL)
    self->usage_hook (self, page, self->usage_hook_data);
  rows = tally_demo_data_get_rows (self->data, &n_rows);

  if ((text = _tally_demo_query_get (req, "api_key_id")) != NULL)
    {
      static const KeyMessages messages = {
        "Invalid api_key_id",
        "api key not found",
        "API_KEY_NOT_FOUND",
        "Not authorized to access this API key's usage records",
      };

      filter.key = _tally_demo_lookup_key (self, req, resp, text, &messages);
      if (filter.key < 0)
        return;
    }
  if (!parse_row_filters (self, req, resp, &filter))
    return;
  if ((text = _tally_demo_query_get (req, "start_date")) != NULL)
    {
      if (!tally_demo_parse_date (text, &day))
        {
          _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid start_date format, use YYYY-MM-DD", NULL);
          return;
        }
      filter.start_us = tally_demo_data_day_start_us (self->data, day);
    }
  if ((text = _tally_demo_query_get (req, "end_date")) != NULL)
    {
      if (!tally_demo_parse_date (text, &day))
        {
          _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid end_date format, use YYYY-MM-DD", NULL);
          return;
        }
      filter.end_us = tally_demo_data_day_start_us (self->data, day + 1);
    }

  /* a page past the end (or beyond any offset) selects nothing but still counts */
  if ((guint64) (page - 1) <= G_MAXUINT64 / (guint64) page_size)
    offset = (guint64) (page - 1) * (guint64) page_size;
  else
    offset = G_MAXUINT64;
  n = select_sorted (self, req, &filter, offset, (guint) page_size, indices, &total);

  json = _tally_demo_success_begin (resp);
  tally_demo_json_begin_object (json, "data");
  tally_demo_json_begin_array (json, "items");
  for (guint i = 0; i < n; i++)
    _tally_demo_write_usage_row (self, json, NULL, &rows[indices[i]], TRUE);
  tally_demo_json_end_array (json);
  _tally_demo_write_page_footer (json, total, page, page_size);
  tally_demo_json_end_object (json);
  _tally_demo_success_end (resp);
}

void
_tally_demo_handle_usage_get (TallyDemoServer *self,
                              Request *req,
                              Response *resp)
{
  guint n_rows;
  const TallyDemoRow *rows = tally_demo_data_get_rows (self->data, &n_rows);
  TallyDemoJson *json;
  gint64 id;

  if (!tally_demo_parse_go_int (req->param, 64, &id))
    {
      _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid usage ID", NULL);
      return;
    }
  if (id < 1 || (guint64) id > n_rows)
    {
      _tally_demo_respond_error (resp, SOUP_STATUS_NOT_FOUND, "usage log not found", "USAGE_LOG_NOT_FOUND");
      return;
    }
  if (tally_demo_row_user_id (self->data, &rows[id - 1]) != req->user_id)
    {
      _tally_demo_respond_error (resp, SOUP_STATUS_FORBIDDEN, "Not authorized to access this record", NULL);
      return;
    }

  json = _tally_demo_success_begin (resp);
  _tally_demo_write_usage_row (self, json, "data", &rows[id - 1], FALSE);
  _tally_demo_success_end (resp);
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

/* The range of /usage/stats on today's servers: either date alone, each
 * day whole (the end is the next midnight); with neither, `period`, whose
 * absence means the last 7 days (midnight 7 days ago … midnight tomorrow). */
static gboolean
stats_current_range (TallyDemoServer *self,
                     Request *req,
                     Response *resp,
                     TallyDemoFilter *filter)
{
  const char *start_text = _tally_demo_query_get (req, "start_date");
  const char *end_text = _tally_demo_query_get (req, "end_date");
  const char *period = _tally_demo_query_get (req, "period");
  gint64 today = tally_demo_data_get_today (self->data);
  gint64 day;

  if (start_text != NULL || end_text != NULL)
    {
      if (start_text != NULL && !tally_demo_parse_date (start_text, &day))
        {
          _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid start_date format, use YYYY-MM-DD", NULL);
          return FALSE;
        }
      if (start_text != NULL)
        filter->start_us = tally_demo_data_day_start_us (self->data, day);
      if (end_text != NULL && !tally_demo_parse_date (end_text, &day))
        {
          _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid end_date format, use YYYY-MM-DD", NULL);
          return FALSE;
        }
      if (end_text != NULL)
        filter->end_us = range_end_us (self, day);
    }
  else if (period == NULL)
    {
      filter->start_us = tally_demo_data_day_start_us (self->data, today - 7);
      filter->end_us = tally_demo_data_day_start_us (self->data, today + 1);
    }
  else if (g_str_equal (period, "week"))
    filter->start_us = rolling_start_us (self, 0, 7);
  else if (g_str_equal (period, "month"))
    filter->start_us = rolling_start_us (self, 1, 0);
  else /* "today", and anything else (even "year") */
    filter->start_us = tally_demo_data_day_start_us (self->data, today);

  return TRUE;
}

void
_tally_demo_handle_usage_stats (TallyDemoServer *self,
                                Request *req,
                                Response *resp)
{
  TallyDemoFilter filter;
  TallyDemoTotals totals = { 0 };
  const char *text;
  const char *start_text = _tally_demo_query_get (req, "start_date");
  const char *end_text = _tally_demo_query_get (req, "end_date");
  const char *period = _tally_demo_query_get (req, "period");

  tally_demo_filter_init (&filter, req->user_id);

  if ((text = _tally_demo_query_get (req, "api_key_id")) != NULL)
    {
      static const KeyMessages messages = {
        "Invalid api_key_id",
        "API key not found",
        NULL,
        "Not authorized to access this API key's statistics",
      };

      filter.key = _tally_demo_lookup_key (self, req, resp, text, &messages);
      if (filter.key < 0)
        return;
    }

  /* today's servers parse the list's filters here too (API.md §3.5 "L");
   * a December 2025 server ignores model, stream and billing_type */
  if (self->generation == TALLY_DEMO_GENERATION_CURRENT)
    {
      if (!parse_row_filters (self, req, resp, &filter))
        return;
      if (!stats_current_range (self, req, resp, &filter))
        return;
    }
  else if (start_text != NULL && end_text != NULL)
    {
      gint64 start_day, end_day;

      if (!tally_demo_parse_date (start_text, &start_day))
        {
          _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid start_date format, use YYYY-MM-DD", NULL);
          return;
        }
      if (!tally_demo_parse_date (end_text, &end_day))
        {
          _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid end_date format, use YYYY-MM-DD", NULL);
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
  write_usage_stats (_tally_demo_success_begin (resp), &totals);
  _tally_demo_success_end (resp);
}

void
_tally_demo_handle_dashboard_stats (TallyDemoServer *self,
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

  json = _tally_demo_success_begin (resp);
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
  _tally_demo_success_end (resp);
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
  if (tally_demo_parse_date (_tally_demo_query_get (req, "start_date"), &day))
    *start_day = day;
  if (tally_demo_parse_date (_tally_demo_query_get (req, "end_date"), &day))
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

void
_tally_demo_handle_trend (TallyDemoServer *self,
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

  json = _tally_demo_success_begin (resp);
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
  _tally_demo_success_end (resp);
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

void
_tally_demo_handle_models (TallyDemoServer *self,
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

  json = _tally_demo_success_begin (resp);
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
  _tally_demo_success_end (resp);
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
      _tally_demo_respond_invalid_request (resp, type_error);
      return NULL;
    }
  if (ids == NULL)
    {
      _tally_demo_respond_invalid_request (resp, "Key: 'BatchApiKeysUsageRequest.ApiKeyIDs' Error:Field validation for 'ApiKeyIDs' failed on the 'required' tag");
      return NULL;
    }
  return g_steal_pointer (&ids);
}

void
_tally_demo_handle_keys_usage (TallyDemoServer *self,
                               Request *req,
                               Response *resp)
{
  g_autoptr (TallyDemoValue) body = _tally_demo_parse_body (req, resp);
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
      _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Too many API key IDs (maximum 100 allowed)", NULL);
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

  json = _tally_demo_success_begin (resp);
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
  _tally_demo_success_end (resp);
}

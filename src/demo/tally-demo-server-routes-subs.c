/* tally-demo-server-routes-subs.c: subscriptions, their progress, per-key
 * quotas and per-platform quotas of the demo server (API-2026.md §5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The subscription routes are the same in both generations (the handler has
 * not changed since December 2025). The per-key quota fields and
 * /user/platform-quotas are today's servers' only.
 */

#define G_LOG_DOMAIN "tally-demo-server"

#include "config.h"

#include <math.h>

#include "tally-demo-server-private.h"

#define USD_UNITS G_GINT64_CONSTANT (10000000000) /* 1e-10 USD per dollar */
#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)

static const char *const window_names[TALLY_DEMO_N_WINDOWS] = { "daily", "weekly", "monthly" };
static const gint64 window_seconds[TALLY_DEMO_N_WINDOWS] = { SECONDS_PER_DAY, 7 * SECONDS_PER_DAY, 30 * SECONDS_PER_DAY };

static void
write_time (TallyDemoServer *self,
            TallyDemoJson *json,
            const char *key,
            gint64 unix_s)
{
  gint64 us = unix_s * TALLY_DEMO_US_PER_SECOND;

  tally_demo_json_time (json, key, us, tally_demo_data_offset_at (self->data, us));
}

static gint64
now_seconds (TallyDemoServer *self)
{
  return tally_demo_data_get_now_us (self->data) / TALLY_DEMO_US_PER_SECOND;
}

static double
group_limit (const TallyDemoGroup *group,
             TallyDemoWindow window)
{
  if (group == NULL)
    return NAN;
  switch (window)
    {
      case TALLY_DEMO_WINDOW_DAILY:
        return group->daily_limit_usd;
      case TALLY_DEMO_WINDOW_WEEKLY:
        return group->weekly_limit_usd;
      case TALLY_DEMO_WINDOW_MONTHLY:
        return group->monthly_limit_usd;
      case TALLY_DEMO_N_WINDOWS:
      default:
        g_assert_not_reached ();
    }
  return NAN;
}

/* A window whose time is up starts again (unused) where the last one ended,
 * as many times as it takes to reach now. */
static void
current_window (TallyDemoServer *self,
                const TallyDemoSubscription *sub,
                TallyDemoWindow window,
                gint64 *start,
                gint64 *usage)
{
  gint64 now = now_seconds (self);

  *start = sub->window_start[window];
  *usage = sub->usage[window];
  if (*start == 0 || now < *start + window_seconds[window])
    return;

  *start += (now - *start) / window_seconds[window] * window_seconds[window];
  *usage = 0;
}

static void
write_subscription (TallyDemoServer *self,
                    TallyDemoJson *json,
                    const char *key,
                    const TallyDemoSubscription *sub)
{
  tally_demo_json_begin_object (json, key);
  tally_demo_json_int (json, "id", sub->id);
  tally_demo_json_int (json, "user_id", sub->user_id);
  tally_demo_json_int (json, "group_id", sub->group_id);
  write_time (self, json, "starts_at", sub->starts_at);
  write_time (self, json, "expires_at", sub->expires_at);
  tally_demo_json_string (json, "status", sub->status);
  for (guint w = 0; w < TALLY_DEMO_N_WINDOWS; w++)
    {
      g_autofree char *name = g_strdup_printf ("%s_window_start", window_names[w]);
      gint64 start, usage;

      current_window (self, sub, w, &start, &usage);
      if (start != 0)
        write_time (self, json, name, start);
      else
        tally_demo_json_null (json, name);
    }
  for (guint w = 0; w < TALLY_DEMO_N_WINDOWS; w++)
    {
      g_autofree char *name = g_strdup_printf ("%s_usage_usd", window_names[w]);
      gint64 start, usage;

      current_window (self, sub, w, &start, &usage);
      tally_demo_json_money (json, name, usage);
    }
  write_time (self, json, "created_at", sub->created_at);
  write_time (self, json, "updated_at", sub->updated_at);
  _tally_demo_write_group (self, json, "group", tally_demo_data_get_group (self->data, sub->group_id));
  tally_demo_json_end_object (json);
}

static void
write_subscriptions (TallyDemoServer *self,
                     Request *req,
                     Response *resp,
                     gboolean only_active)
{
  guint n;
  const TallyDemoSubscription *subs = tally_demo_data_get_subscriptions (self->data, &n);
  TallyDemoJson *json = _tally_demo_success_begin (resp);

  tally_demo_json_begin_array (json, "data");
  for (guint i = 0; i < n; i++)
    {
      if (subs[i].user_id != req->user_id)
        continue;
      if (only_active && (!g_str_equal (subs[i].status, "active") || subs[i].expires_at <= now_seconds (self)))
        continue;
      write_subscription (self, json, NULL, &subs[i]);
    }
  tally_demo_json_end_array (json);
  _tally_demo_success_end (resp);
}

void
_tally_demo_handle_subscriptions (TallyDemoServer *self,
                                  Request *req,
                                  Response *resp)
{
  write_subscriptions (self, req, resp, FALSE);
}

void
_tally_demo_handle_subscriptions_active (TallyDemoServer *self,
                                         Request *req,
                                         Response *resp)
{
  write_subscriptions (self, req, resp, TRUE);
}

/* {limit_usd, used_usd, remaining_usd (≥ 0), percentage (≤ 100),
 * window_start, resets_at, resets_in_seconds (≥ 0)} */
static void
write_window_progress (TallyDemoServer *self,
                       TallyDemoJson *json,
                       const char *key,
                       double limit,
                       gint64 start,
                       gint64 usage,
                       gint64 length)
{
  double used = usage / (double) USD_UNITS;
  gint64 resets_at = start + length;

  tally_demo_json_begin_object (json, key);
  tally_demo_json_double (json, "limit_usd", limit);
  tally_demo_json_money (json, "used_usd", usage);
  tally_demo_json_double (json, "remaining_usd", MAX (limit - used, 0));
  tally_demo_json_double (json, "percentage", limit > 0 ? MIN (used * 100 / limit, 100) : 0);
  write_time (self, json, "window_start", start);
  write_time (self, json, "resets_at", resets_at);
  tally_demo_json_int (json, "resets_in_seconds", MAX (resets_at - now_seconds (self), 0));
  tally_demo_json_end_object (json);
}

void
_tally_demo_handle_subscriptions_progress (TallyDemoServer *self,
                                           Request *req,
                                           Response *resp)
{
  guint n;
  const TallyDemoSubscription *subs = tally_demo_data_get_subscriptions (self->data, &n);
  gint64 now = now_seconds (self);
  TallyDemoJson *json = _tally_demo_success_begin (resp);

  tally_demo_json_begin_array (json, "data");
  for (guint i = 0; i < n; i++)
    {
      const TallyDemoSubscription *sub = &subs[i];
      const TallyDemoGroup *group = tally_demo_data_get_group (self->data, sub->group_id);

      if (sub->user_id != req->user_id || !g_str_equal (sub->status, "active") || sub->expires_at <= now)
        continue;

      tally_demo_json_begin_object (json, NULL);
      write_subscription (self, json, "subscription", sub);
      tally_demo_json_begin_object (json, "progress");
      tally_demo_json_int (json, "id", sub->id);
      tally_demo_json_string (json, "group_name", group != NULL ? group->name : "");
      write_time (self, json, "expires_at", sub->expires_at);
      tally_demo_json_int (json, "expires_in_days", MAX (sub->expires_at - now, 0) / SECONDS_PER_DAY);
      /* absent when the group has no such limit or the window has not started */
      for (guint w = 0; w < TALLY_DEMO_N_WINDOWS; w++)
        {
          double limit = group_limit (group, w);
          gint64 start, usage;

          current_window (self, sub, w, &start, &usage);
          if (!isnan (limit) && start != 0)
            write_window_progress (self, json, window_names[w], limit, start, usage, window_seconds[w]);
        }
      tally_demo_json_end_object (json);
      tally_demo_json_end_object (json);
    }
  tally_demo_json_end_array (json);
  _tally_demo_success_end (resp);
}

/* ------------------------------------------------------------------------ */
/* Per-key quotas (today's servers)                                         */

static const char *const key_window_names[3] = { "5h", "1d", "7d" };
static const gint64 key_window_seconds[3] = { 5 * 3600, SECONDS_PER_DAY, 7 * SECONDS_PER_DAY };

static gint64
key_billed (TallyDemoServer *self,
            const TallyDemoKey *key,
            gint64 since_us)
{
  TallyDemoFilter filter;
  TallyDemoTotals totals = { 0 };

  tally_demo_filter_init (&filter, key->user_id);
  filter.key = tally_demo_data_find_key (self->data, key->id);
  filter.start_us = since_us;
  tally_demo_data_aggregate (self->data, &filter, TALLY_DEMO_GROUP_NONE, 0, 1, &totals);
  return totals.actual_cost;
}

/* The rolling window of @key's limit @w: it started with the key's first
 * request of the last 5 h / 1 d / 7 d (0: none, no window). */
static gint64
key_window_start_us (TallyDemoServer *self,
                     const TallyDemoKey *key,
                     guint w)
{
  guint n_rows;
  const TallyDemoRow *rows = tally_demo_data_get_rows (self->data, &n_rows);
  gint64 since = tally_demo_data_get_now_us (self->data) - key_window_seconds[w] * TALLY_DEMO_US_PER_SECOND;
  int index = tally_demo_data_find_key (self->data, key->id);
  guint lo = 0, hi = n_rows;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (rows[mid].created_us < since)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < n_rows; i++)
    if (rows[i].key == index)
      return rows[i].created_us;
  return 0;
}

const char *
_tally_demo_key_status (TallyDemoServer *self,
                        const TallyDemoKey *key)
{
  if (self->generation == TALLY_DEMO_GENERATION_2025 || !g_str_equal (key->status, "active"))
    return key->status;
  if (key->expires_at != 0 && now_seconds (self) >= key->expires_at)
    return "expired";
  if (key->quota > 0 && key_billed (self, key, G_MININT64) >= key->quota)
    return "quota_exhausted";
  return key->status;
}

void
_tally_demo_write_key_quota (TallyDemoServer *self,
                             TallyDemoJson *json,
                             const TallyDemoKey *key)
{
  gint64 starts[3] = { 0 };

  if (self->generation == TALLY_DEMO_GENERATION_2025)
    return;

  tally_demo_json_money (json, "quota", key->quota);
  tally_demo_json_money (json, "quota_used", key->quota > 0 ? key_billed (self, key, G_MININT64) : 0);
  if (key->expires_at != 0)
    write_time (self, json, "expires_at", key->expires_at);
  else
    tally_demo_json_null (json, "expires_at");
  for (guint w = 0; w < 3; w++)
    {
      g_autofree char *name = g_strdup_printf ("rate_limit_%s", key_window_names[w]);

      tally_demo_json_money (json, name, key->rate_limits[w]);
      if (key->rate_limits[w] > 0)
        starts[w] = key_window_start_us (self, key, w);
    }
  for (guint w = 0; w < 3; w++)
    {
      g_autofree char *name = g_strdup_printf ("usage_%s", key_window_names[w]);

      tally_demo_json_money (json, name, starts[w] != 0 ? key_billed (self, key, starts[w]) : 0);
    }
  for (guint w = 0; w < 3; w++)
    {
      g_autofree char *name = g_strdup_printf ("window_%s_start", key_window_names[w]);

      if (starts[w] != 0)
        tally_demo_json_time (json, name, starts[w], tally_demo_data_offset_at (self->data, starts[w]));
      else
        tally_demo_json_null (json, name);
    }
  /* omitted while no window runs */
  for (guint w = 0; w < 3; w++)
    {
      g_autofree char *name = g_strdup_printf ("reset_%s_at", key_window_names[w]);
      gint64 reset = starts[w] + key_window_seconds[w] * TALLY_DEMO_US_PER_SECOND;

      if (starts[w] != 0)
        tally_demo_json_time (json, name, reset, tally_demo_data_offset_at (self->data, reset));
    }
}

/* ------------------------------------------------------------------------ */
/* Per-platform quotas (today's servers)                                    */

typedef struct
{
  const char *platform;
  double limits[TALLY_DEMO_N_WINDOWS]; /* USD, NAN = none */
} PlatformQuota;

static const PlatformQuota platform_quotas[] = {
  { "anthropic", { 20, NAN, 300 } },
  { "openai", { NAN, 15, NAN } },
};

/* Calendar windows in the server's zone: today, this week from Monday, this
 * month; *@end_day is the first day of the next one. */
static gint64
platform_window_first_day (TallyDemoServer *self,
                           TallyDemoWindow window,
                           gint64 *end_day)
{
  gint64 today = tally_demo_data_get_today (self->data);
  gint64 year;
  int month, day;

  switch (window)
    {
      case TALLY_DEMO_WINDOW_DAILY:
        *end_day = today + 1;
        return today;
      case TALLY_DEMO_WINDOW_WEEKLY:
        /* 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on Mondays */
        *end_day = today - ((today % 7 + 7 + 3) % 7) + 7;
        return *end_day - 7;
      case TALLY_DEMO_WINDOW_MONTHLY:
        tally_demo_civil_from_days (today, &year, &month, &day);
        *end_day = month == 12 ? tally_demo_days_from_civil (year + 1, 1, 1) : tally_demo_days_from_civil (year, month + 1, 1);
        return tally_demo_days_from_civil (year, month, 1);
      case TALLY_DEMO_N_WINDOWS:
      default:
        g_assert_not_reached ();
    }
  return today;
}

void
_tally_demo_handle_platform_quotas (TallyDemoServer *self,
                                    Request *req,
                                    Response *resp)
{
  guint n_models;
  const TallyDemoModel *models = tally_demo_data_get_models (self->data, &n_models);
  TallyDemoJson *json = _tally_demo_success_begin (resp);

  tally_demo_json_begin_object (json, "data");
  tally_demo_json_begin_array (json, "platform_quotas");
  for (guint p = 0; p < G_N_ELEMENTS (platform_quotas); p++)
    {
      const PlatformQuota *quota = &platform_quotas[p];

      tally_demo_json_begin_object (json, NULL);
      tally_demo_json_string (json, "platform", quota->platform);
      for (guint w = 0; w < TALLY_DEMO_N_WINDOWS; w++)
        {
          g_autofree char *usage_name = g_strdup_printf ("%s_usage_usd", window_names[w]);
          g_autofree char *limit_name = g_strdup_printf ("%s_limit_usd", window_names[w]);
          g_autofree char *resets_name = g_strdup_printf ("%s_window_resets_at", window_names[w]);
          g_autofree TallyDemoTotals *by_model = g_new0 (TallyDemoTotals, n_models);
          TallyDemoFilter filter;
          gint64 end_day;
          gint64 first_day = platform_window_first_day (self, w, &end_day);
          gint64 usage = 0;

          tally_demo_filter_init (&filter, req->user_id);
          filter.start_us = tally_demo_data_day_start_us (self->data, first_day);
          filter.end_us = tally_demo_data_day_start_us (self->data, end_day);
          tally_demo_data_aggregate (self->data, &filter, TALLY_DEMO_GROUP_MODEL, 0, n_models, by_model);
          for (guint m = 0; m < n_models; m++)
            if (g_str_equal (models[m].platform, quota->platform))
              usage += by_model[m].actual_cost;

          tally_demo_json_money (json, usage_name, usage);
          tally_demo_json_nullable_double (json, limit_name, quota->limits[w]);
          if (isnan (quota->limits[w]))
            tally_demo_json_null (json, resets_name);
          else
            tally_demo_json_time (json, resets_name, filter.end_us, tally_demo_data_offset_at (self->data, filter.end_us));
        }
      tally_demo_json_end_object (json);
    }
  tally_demo_json_end_array (json);
  tally_demo_json_end_object (json);
  _tally_demo_success_end (resp);
}

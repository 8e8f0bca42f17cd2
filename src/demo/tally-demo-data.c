/* tally-demo-data.c: deterministic synthetic sub2api data for the demo server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-demo-data"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tally-demo-calendar-private.h"
#include "tally-demo-data.h"
#include "tally-math-private.h"

#define US_PER_HOUR (G_GINT64_CONSTANT (3600) * TALLY_DEMO_US_PER_SECOND)
#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)

/* ------------------------------------------------------------------------ */
/* Static tables                                                            */

enum
{
  MODEL_SONNET,
  MODEL_SONNET_DATED,
  MODEL_OPUS,
  MODEL_HAIKU,
  MODEL_GPT5,
  MODEL_GPT5_MINI,
  MODEL_GEMINI_PRO,
  MODEL_GEMINI_FLASH,
  N_MODELS
};

/* List prices in 1e-10 USD per token: $3/MTok = 3e-6 USD = 30000 units. */
static const TallyDemoModel models[N_MODELS] = {
  { "claude-sonnet-4-5", "anthropic", 30000, 150000, 37500, 3000 },
  { "claude-sonnet-4-5-20250929", "anthropic", 30000, 150000, 37500, 3000 },
  { "claude-opus-4-1", "anthropic", 150000, 750000, 187500, 15000 },
  { "claude-haiku-4-5", "anthropic", 10000, 50000, 12500, 1000 },
  { "gpt-5", "openai", 12500, 100000, 0, 1250 },
  { "gpt-5-mini", "openai", 2500, 20000, 0, 250 },
  { "gemini-2.5-pro", "gemini", 12500, 100000, 0, 3125 },
  { "gemini-2.5-flash", "gemini", 3000, 25000, 0, 750 },
};

static const TallyDemoAccount accounts[] = {
  { 1, "claude-oauth-01", "anthropic", "oauth" },
  { 2, "claude-setup-02", "anthropic", "setup-token" },
  { 3, "openai-apikey-03", "openai", "apikey" },
  { 4, "gemini-apikey-04", "gemini", "apikey" },
};

typedef struct
{
  gint64 id;
  gint64 user_id;
  const char *name;
  gint64 group_id;
  const char *status;
  gboolean deleted;
  double active_from; /* fractions of the data span */
  double active_to;
  double weight;
  guint8 n_models;
  guint8 models[4];
  guint8 model_weights[4];
  double stream_share;
} KeySpec;

static const KeySpec key_specs[] = {
  { 1, 1, "default", 1, "active", FALSE, 0.0, 1.0, 34, 4, { MODEL_SONNET, MODEL_SONNET_DATED, MODEL_OPUS, MODEL_HAIKU }, { 45, 20, 10, 25 }, 0.9 },
  { 2, 1, "订阅 Claude Max ⚡", 2, "active", FALSE, 0.0, 1.0, 20, 3, { MODEL_SONNET, MODEL_OPUS, MODEL_HAIKU }, { 50, 30, 20 }, 0.95 },
  { 3, 1, "CI <b>&amp; bot", 3, "active", FALSE, 0.05, 1.0, 14, 2, { MODEL_GPT5, MODEL_GPT5_MINI }, { 60, 40 }, 0.4 },
  { 4, 1, "old-laptop (disabled)", 0, "inactive", FALSE, 0.0, 0.55, 8, 3, { MODEL_SONNET, MODEL_GPT5, MODEL_GEMINI_FLASH }, { 50, 30, 20 }, 0.85 },
  { 5, 1, "gemini-batch", 4, "active", FALSE, 0.25, 1.0, 10, 2, { MODEL_GEMINI_PRO, MODEL_GEMINI_FLASH }, { 45, 55 }, 0.3 },
  { 6, 1, "=cmd|' /C calc'!A0", 1, "active", FALSE, 0.8, 1.0, 4, 2, { MODEL_HAIKU, MODEL_SONNET }, { 70, 30 }, 0.9 },
  { 7, 1, "deleted-key", 1, "active", TRUE, 0.0, 0.7, 7, 2, { MODEL_SONNET, MODEL_HAIKU }, { 60, 40 }, 0.9 },
  { 9, 2, "other-user-key", 1, "active", FALSE, 0.0, 1.0, 3, 1, { MODEL_SONNET }, { 100 }, 0.9 },
};

#define N_KEYS G_N_ELEMENTS (key_specs)
#define N_GROUPS 5
#define N_SUBSCRIPTIONS 2
#define USD_UNITS G_GINT64_CONSTANT (10000000000) /* 1e-10 USD per dollar */
#define N_USERS 2

/* Relative traffic per server-local hour of a working day. */
static const double hour_weights[24] = {
  0.15,
  0.10,
  0.08,
  0.06,
  0.06,
  0.08,
  0.15,
  0.35,
  0.70,
  1.00,
  1.20,
  1.20,
  0.80,
  1.00,
  1.25,
  1.30,
  1.20,
  1.00,
  0.70,
  0.60,
  0.65,
  0.60,
  0.45,
  0.30,
};

struct _TallyDemoData
{
  guint64 seed;
  gint64 now_us;
  int utc_offset; /* at now */
  gint64 today;
  GTimeZone *tz;
  /* the offset changes inside [zone_lo_us, zone_hi_us): zone_offsets[i] holds
   * from zone_changes[i - 1] (or zone_lo_us) to zone_changes[i] */
  gint64 zone_lo_us;
  gint64 zone_hi_us;
  GArray *zone_changes; /* gint64 unix_us */
  GArray *zone_offsets; /* int, one more than zone_changes */

  TallyDemoUser users[N_USERS];
  TallyDemoGroup groups[N_GROUPS];
  TallyDemoKey keys[N_KEYS];
  TallyDemoSubscription subscriptions[N_SUBSCRIPTIONS];
  GPtrArray *key_names; /* owned names set by tally_demo_data_set_key_name () */

  TallyDemoRow *rows;
  guint n_rows;
  gint64 start_us; /* the first instant rows are generated for */

  /* Where the last select stopped: a log listed page by page resumes there
   * instead of counting from the newest row again, and the filter's total is
   * counted once. Without it an export of N pages costs N full scans. */
  GMutex select_lock;
  gboolean select_valid;
  TallyDemoFilter select_filter;
  guint64 select_total;
  guint64 select_seen; /* matches before select_next (newest first) */
  guint select_next;   /* the row index + 1 to continue from */
};

/* ------------------------------------------------------------------------ */
/* Generation                                                               */

/* An active pay-as-you-go group: not exclusive, no limits. */
static TallyDemoGroup
standard_group (gint64 id,
                const char *name,
                const char *description,
                const char *platform,
                guint multiplier_milli,
                gint64 created_at,
                gint64 updated_at)
{
  return (TallyDemoGroup){
    .id = id,
    .name = name,
    .description = description,
    .platform = platform,
    .multiplier_milli = multiplier_milli,
    .is_exclusive = FALSE,
    .status = "active",
    .subscription_type = "standard",
    .daily_limit_usd = NAN,
    .weekly_limit_usd = NAN,
    .monthly_limit_usd = NAN,
    .created_at = created_at,
    .updated_at = updated_at,
  };
}

/* Claude Max: the day used up, the week at 85 %, the 30 days at 40 %, ending
 * in 5 days (and a half, so that "expires in 5 days" holds for half a day);
 * GPT Plus: only its 30 days, at 20 %, ending in 40 days. */
static void
init_subscriptions (TallyDemoData *data,
                    gint64 now_s)
{
  gint64 today_s = tally_demo_data_day_start_us (data, data->today) / TALLY_DEMO_US_PER_SECOND;

  data->subscriptions[0] = (TallyDemoSubscription){
    .id = 1,
    .user_id = TALLY_DEMO_USER_ID,
    .group_id = 2,
    .status = "active",
    .starts_at = now_s - 25 * SECONDS_PER_DAY - 12 * 3600,
    .expires_at = now_s + 5 * SECONDS_PER_DAY + 12 * 3600,
    .window_start = { today_s, today_s - 2 * SECONDS_PER_DAY, today_s - 11 * SECONDS_PER_DAY },
    .usage = { 50 * USD_UNITS, 255 * USD_UNITS, 400 * USD_UNITS },
    .created_at = now_s - 25 * SECONDS_PER_DAY - 12 * 3600,
    .updated_at = now_s - 600,
  };
  data->subscriptions[1] = (TallyDemoSubscription){
    .id = 2,
    .user_id = TALLY_DEMO_USER_ID,
    .group_id = 5,
    .status = "active",
    .starts_at = now_s - 20 * SECONDS_PER_DAY,
    .expires_at = now_s + 40 * SECONDS_PER_DAY + 12 * 3600,
    .window_start = { 0, 0, today_s - 6 * SECONDS_PER_DAY },
    .usage = { 0, 0, 20 * USD_UNITS },
    .created_at = now_s - 20 * SECONDS_PER_DAY,
    .updated_at = now_s - 3 * SECONDS_PER_DAY,
  };
}

/* Today's servers' key quotas: "default" at about 90 % of a quota in whole
 * dollars over everything it has billed, with a 1-day and a 7-day limit; the CI
 * key expiring in 2 days and 6 hours; "gemini-batch" with a 5-hour limit. */
static void
init_key_quotas (TallyDemoData *data,
                 gint64 now_s)
{
  gint64 billed = 0;

  for (guint i = 0; i < data->n_rows; i++)
    if (data->rows[i].key == 0)
      {
        TallyDemoCosts costs;

        tally_demo_row_costs (data, &data->rows[i], &costs);
        billed += costs.actual;
      }

  data->keys[0].quota = MAX ((billed * 10 / 9 + USD_UNITS - 1) / USD_UNITS, 1) * USD_UNITS;
  data->keys[0].rate_limits[1] = 5 * USD_UNITS;
  data->keys[0].rate_limits[2] = 30 * USD_UNITS;
  data->keys[2].expires_at = now_s + 2 * SECONDS_PER_DAY + 6 * 3600;
  data->keys[4].rate_limits[0] = USD_UNITS / 2;
}

static void
init_entities (TallyDemoData *data,
               gint64 start_s,
               gint64 now_s)
{
  gint64 span = MAX (now_s - start_s, 1);
  Rng rng;

  data->users[0] = (TallyDemoUser){
    .id = TALLY_DEMO_USER_ID,
    .email = "demo@example.com",
    .password = "tally-demo",
    .username = "Demo 用户",
    .wechat = "demo_wx",
    .notes = "演示账号; synthetic data",
    .role = "user",
    .balance = 123.45678901,
    .concurrency = 5,
    .status = "active",
    .created_at = start_s - 150 * SECONDS_PER_DAY,
    .updated_at = now_s - 3 * SECONDS_PER_DAY,
  };
  data->users[1] = (TallyDemoUser){
    .id = TALLY_DEMO_OTHER_USER_ID,
    .email = "someone-else@example.com",
    .password = NULL,
    .username = "Someone Else",
    .wechat = "",
    .notes = "",
    .role = "user",
    .balance = 5,
    .concurrency = 3,
    .status = "active",
    .created_at = start_s - 120 * SECONDS_PER_DAY,
    .updated_at = start_s - 20 * SECONDS_PER_DAY,
  };

  data->groups[0] = standard_group (1, "Claude Standard", "Claude 标准渠道", "anthropic", 1000,
                                    start_s - 210 * SECONDS_PER_DAY, start_s - 30 * SECONDS_PER_DAY);
  data->groups[1] = (TallyDemoGroup){
    2,
    "Claude Max 订阅",
    "Claude 订阅套餐（日/周/月限额）",
    "anthropic",
    1000,
    TRUE,
    "active",
    "subscription",
    50,
    300,
    1000,
    start_s - 208 * SECONDS_PER_DAY,
    start_s - 28 * SECONDS_PER_DAY,
  };
  data->groups[2] = standard_group (3, "OpenAI 0.8x", "OpenAI 渠道, 0.8 倍率", "openai", 800,
                                    start_s - 200 * SECONDS_PER_DAY, start_s - 26 * SECONDS_PER_DAY);
  data->groups[3] = standard_group (4, "Gemini Pro", "Gemini 渠道, 1.5 倍率", "gemini", 1500,
                                    start_s - 190 * SECONDS_PER_DAY, start_s - 24 * SECONDS_PER_DAY);
  /* a monthly plan no key of the demo uses */
  data->groups[4] = standard_group (5, "GPT Plus 订阅", "OpenAI 订阅套餐（月限额）", "openai", 1000,
                                    start_s - 120 * SECONDS_PER_DAY, start_s - 20 * SECONDS_PER_DAY);
  data->groups[4].is_exclusive = TRUE;
  data->groups[4].subscription_type = "subscription";
  data->groups[4].monthly_limit_usd = 100;

  init_subscriptions (data, now_s);

  /* The secrets come from their own stream so they do not depend on the rows. */
  _tally_demo_rng_init (&rng, data->seed ^ G_GUINT64_CONSTANT (0x6b65797365637265));
  for (guint i = 0; i < N_KEYS; i++)
    {
      const KeySpec *spec = &key_specs[i];
      TallyDemoKey *key = &data->keys[i];
      char *p = key->secret;

      key->id = spec->id;
      key->user_id = spec->user_id;
      key->name = spec->name;
      key->group_id = spec->group_id;
      key->status = spec->status;
      key->deleted = spec->deleted;

      memcpy (p, "sk-", 3);
      p += 3;
      for (guint j = 0; j < 4; j++)
        {
          guint64 v = _tally_demo_rng_next (&rng);

          for (guint k = 0; k < 16; k++)
            *p++ = "0123456789abcdef"[(v >> (60 - 4 * k)) & 0xf];
        }
      *p = '\0';

      if (spec->active_from <= 0)
        key->created_at = start_s - (30 + 7 * (gint64) i) * SECONDS_PER_DAY;
      else
        key->created_at = start_s + (gint64) (spec->active_from * span) - 3600;

      if (spec->active_to < 1)
        key->updated_at = start_s + (gint64) (spec->active_to * span);
      else
        key->updated_at = MIN (key->created_at + 2 * SECONDS_PER_DAY, now_s);
    }
}

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
fill_row (TallyDemoData *data,
          Rng *rng,
          TallyDemoRow *row,
          gint64 created_us,
          gint64 start_us,
          gint64 span_us)
{
  double when = (double) (created_us - start_us) / (double) MAX (span_us, 1);
  double total_weight = 0;
  double r;
  const KeySpec *spec = NULL;
  const TallyDemoModel *model;
  guint key_index = 0;
  gboolean stream;
  gint64 duration;
  gint64 first_token = -1;

  row->created_us = created_us;

  for (guint i = 0; i < N_KEYS; i++)
    if (when >= key_specs[i].active_from && when <= key_specs[i].active_to)
      total_weight += key_specs[i].weight;
  r = _tally_demo_rng_double (rng) * total_weight;
  for (guint i = 0; i < N_KEYS; i++)
    {
      if (!(when >= key_specs[i].active_from && when <= key_specs[i].active_to))
        continue;
      key_index = i;
      if (r < key_specs[i].weight)
        break;
      r -= key_specs[i].weight;
    }
  spec = &key_specs[key_index];
  row->key = (guint8) key_index;
  row->model = spec->models[_tally_demo_rng_pick (rng, spec->model_weights, spec->n_models)];
  model = &models[row->model];

  if (g_str_equal (model->platform, "anthropic"))
    {
      row->input_tokens = _tally_demo_rng_lognormal (rng, 700, 1.1, 1, 150000);
      row->output_tokens = _tally_demo_rng_lognormal (rng, 350, 1.0, 1, 32000);
      row->cache_creation_tokens = _tally_demo_rng_double (rng) < 0.55 ? _tally_demo_rng_lognormal (rng, 2500, 1.0, 1, 100000) : 0;
      row->cache_read_tokens = _tally_demo_rng_double (rng) < 0.88 ? _tally_demo_rng_lognormal (rng, 28000, 0.9, 1, 600000) : 0;
      row->account = _tally_demo_rng_double (rng) < 0.6 ? 0 : 1;
    }
  else if (g_str_equal (model->platform, "openai"))
    {
      row->input_tokens = _tally_demo_rng_lognormal (rng, 2500, 1.0, 1, 200000);
      row->output_tokens = _tally_demo_rng_lognormal (rng, 600, 1.0, 1, 64000);
      row->cache_creation_tokens = 0;
      row->cache_read_tokens = _tally_demo_rng_double (rng) < 0.5 ? _tally_demo_rng_lognormal (rng, 1800, 1.0, 1, 100000) : 0;
      row->account = 2;
    }
  else if (row->model == MODEL_GEMINI_FLASH && _tally_demo_rng_double (rng) < 0.03)
    {
      /* a health-check ping: costs far below a micro-dollar (1.2e-7 style) */
      row->input_tokens = 1 + (guint32) _tally_demo_rng_below (rng, 9);
      row->output_tokens = 1 + (guint32) _tally_demo_rng_below (rng, 4);
      row->cache_creation_tokens = 0;
      row->cache_read_tokens = 0;
      row->account = 3;
    }
  else
    {
      row->input_tokens = _tally_demo_rng_lognormal (rng, 6000, 1.1, 1, 500000);
      row->output_tokens = _tally_demo_rng_lognormal (rng, 800, 1.0, 1, 64000);
      row->cache_creation_tokens = 0;
      row->cache_read_tokens = _tally_demo_rng_double (rng) < 0.25 ? _tally_demo_rng_lognormal (rng, 4000, 1.0, 1, 200000) : 0;
      row->account = 3;
    }

  stream = _tally_demo_rng_double (rng) < spec->stream_share;
  row->flags = stream ? TALLY_DEMO_ROW_STREAM : 0;
  if (_tally_demo_rng_double (rng) < 0.02)
    row->flags |= TALLY_DEMO_ROW_NO_REQUEST_ID;

  {
    gint64 per_token = 8 + (gint64) _tally_demo_rng_below (rng, 25);
    gint64 ttft = 250 + _tally_demo_rng_lognormal (rng, 700, 0.6, 50, 30000);

    if (stream)
      {
        duration = ttft + (gint64) row->output_tokens * per_token;
        if (_tally_demo_rng_double (rng) >= 0.03)
          first_token = ttft;
      }
    else
      duration = 400 + _tally_demo_rng_lognormal (rng, 600, 0.5, 10, 60000) + (gint64) row->output_tokens * per_token / 2;
  }
  if (_tally_demo_rng_double (rng) < 0.005)
    duration = -1;

  row->duration_ms = (gint32) MIN (duration, G_MAXINT32);
  row->first_token_ms = (gint32) MIN (first_token, G_MAXINT32);
}

static void
generate_rows (TallyDemoData *data,
               guint days,
               guint n_rows_wanted)
{
  gint64 start_us = data->start_us;
  gint64 span_us = data->now_us - start_us;
  guint n_hours;
  g_autofree double *weights = NULL;
  g_autofree guint *counts = NULL;
  g_autofree gint64 *stamps = NULL;
  double total_weight = 0;
  double day_factor = 1;
  double carry = 0;
  guint64 n_total = 0;
  guint max_count = 0;
  Rng rng;

  if (days == 0 || n_rows_wanted == 0 || span_us <= 0)
    return;

  _tally_demo_rng_init (&rng, data->seed);

  /* real hours from the first midnight: a DST day has 23 or 25 of them */
  n_hours = (guint) (_tally_floor_div (data->now_us - 1 - start_us, US_PER_HOUR) + 1);
  weights = g_new0 (double, n_hours);
  counts = g_new0 (guint, n_hours);

  for (guint h = 0; h < n_hours; h++)
    {
      gint64 hour_start = start_us + (gint64) h * US_PER_HOUR;
      gint64 local_hour = tally_demo_data_local_hour (data, hour_start);
      gint64 day = _tally_floor_div (local_hour, 24);
      int hour_of_day = (int) (local_hour - day * 24);
      int weekday = (int) ((day % 7 + 7 + 4) % 7); /* 0 = Sunday; 1970-01-01 was a Thursday */
      double w = hour_weights[hour_of_day];

      if (weekday == 0 || weekday == 6)
        w *= 0.35;
      if (h == 0 || hour_of_day == 0)
        {
          /* one draw per day keeps busy and quiet days apart */
          Rng day_rng;

          _tally_demo_rng_init (&day_rng, data->seed ^ (guint64) day * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));
          day_factor = 0.75 + 0.5 * _tally_demo_rng_double (&day_rng);
        }
      w *= day_factor * (0.6 + 0.8 * _tally_demo_rng_double (&rng));
      if (hour_start + US_PER_HOUR > data->now_us)
        w *= (double) (data->now_us - hour_start) / (double) US_PER_HOUR;
      weights[h] = w;
      total_weight += w;
    }

  for (guint h = 0; h < n_hours; h++)
    {
      double expected = total_weight > 0 ? n_rows_wanted * weights[h] / total_weight : 0;

      carry += expected;
      counts[h] = (guint) carry;
      carry -= counts[h];
      n_total += counts[h];
      max_count = MAX (max_count, counts[h]);
    }

  data->rows = g_new0 (TallyDemoRow, MAX (n_total, 1));
  stamps = g_new (gint64, MAX (max_count, 1));

  for (guint h = 0; h < n_hours; h++)
    {
      gint64 hour_start = start_us + (gint64) h * US_PER_HOUR;
      gint64 lo = MAX (hour_start, start_us);
      gint64 hi = MIN (hour_start + US_PER_HOUR, data->now_us);

      if (counts[h] == 0 || hi <= lo)
        continue;

      for (guint i = 0; i < counts[h]; i++)
        stamps[i] = lo + (gint64) _tally_demo_rng_below (&rng, (guint64) (hi - lo));
      qsort (stamps, counts[h], sizeof (gint64), compare_gint64);

      for (guint i = 0; i < counts[h]; i++)
        fill_row (data, &rng, &data->rows[data->n_rows++], stamps[i], start_us, span_us);
    }
}

static int
zone_offset_direct (GTimeZone *tz,
                    gint64 unix_s)
{
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, unix_s);

  return g_time_zone_get_offset (tz, MAX (interval, 0));
}

/* Finds the offset changes of [lo_us, hi_us): probes every 6 hours, then
 * bisects each change to the second. */
static void
zone_cache_init (TallyDemoData *data,
                 gint64 lo_us,
                 gint64 hi_us)
{
  gint64 lo = _tally_floor_div (lo_us, TALLY_DEMO_US_PER_SECOND);
  gint64 hi = _tally_floor_div (hi_us, TALLY_DEMO_US_PER_SECOND) + 1;
  int current = zone_offset_direct (data->tz, lo);

  data->zone_lo_us = lo * TALLY_DEMO_US_PER_SECOND;
  data->zone_hi_us = hi * TALLY_DEMO_US_PER_SECOND;
  data->zone_changes = g_array_new (FALSE, FALSE, sizeof (gint64));
  data->zone_offsets = g_array_new (FALSE, FALSE, sizeof (int));
  g_array_append_val (data->zone_offsets, current);

  for (gint64 t = lo; t < hi; t += 6 * 3600)
    {
      gint64 next = MIN (t + 6 * 3600, hi);
      int offset = zone_offset_direct (data->tz, next);
      gint64 a = t, b = next;
      gint64 change_us;

      if (offset == current)
        continue;
      /* the first second with the new offset is in (a, b] */
      while (b - a > 1)
        {
          gint64 mid = a + (b - a) / 2;

          if (zone_offset_direct (data->tz, mid) == current)
            a = mid;
          else
            b = mid;
        }
      change_us = b * TALLY_DEMO_US_PER_SECOND;
      g_array_append_val (data->zone_changes, change_us);
      g_array_append_val (data->zone_offsets, offset);
      current = offset;
    }
}

int
tally_demo_data_offset_at (TallyDemoData *data,
                           gint64 unix_us)
{
  const gint64 *changes;
  guint lo = 0, hi;

  if (data->tz == NULL)
    return data->utc_offset;
  if (unix_us < data->zone_lo_us || unix_us >= data->zone_hi_us)
    return zone_offset_direct (data->tz, _tally_floor_div (unix_us, TALLY_DEMO_US_PER_SECOND));

  /* the number of changes at or before unix_us */
  changes = (const gint64 *) (gpointer) data->zone_changes->data;
  hi = data->zone_changes->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (changes[mid] <= unix_us)
        lo = mid + 1;
      else
        hi = mid;
    }
  return g_array_index (data->zone_offsets, int, lo);
}

gint64
tally_demo_data_local_day (TallyDemoData *data,
                           gint64 unix_us)
{
  return tally_demo_local_day (unix_us, tally_demo_data_offset_at (data, unix_us));
}

gint64
tally_demo_data_local_hour (TallyDemoData *data,
                            gint64 unix_us)
{
  return tally_demo_local_hour (unix_us, tally_demo_data_offset_at (data, unix_us));
}

gint64
tally_demo_data_day_start_us (TallyDemoData *data,
                              gint64 days)
{
  gint64 midnight = days * TALLY_DEMO_US_PER_DAY;
  gint64 t, lo, hi;

  if (data->tz == NULL)
    return tally_demo_day_start_us (days, data->utc_offset);

  /* two guesses of the offset find midnight unless it falls in a change */
  t = midnight - tally_demo_data_offset_at (data, midnight) * TALLY_DEMO_US_PER_SECOND;
  t = midnight - tally_demo_data_offset_at (data, t) * TALLY_DEMO_US_PER_SECOND;
  if (tally_demo_data_local_day (data, t) == days && tally_demo_data_local_day (data, t - TALLY_DEMO_US_PER_SECOND) < days)
    return t;

  /* the first whole second of the day, within ±26 h of the local midnight */
  lo = _tally_floor_div (midnight, TALLY_DEMO_US_PER_SECOND) - 26 * 3600;
  hi = _tally_floor_div (midnight, TALLY_DEMO_US_PER_SECOND) + 26 * 3600;
  while (hi - lo > 1)
    {
      gint64 mid = lo + (hi - lo) / 2;

      if (tally_demo_data_local_day (data, mid * TALLY_DEMO_US_PER_SECOND) >= days)
        hi = mid;
      else
        lo = mid;
    }
  return hi * TALLY_DEMO_US_PER_SECOND;
}

TallyDemoData *
tally_demo_data_new_in_zone (guint64 seed,
                             guint days,
                             guint rows,
                             gint64 now_unix,
                             GTimeZone *tz,
                             int utc_offset)
{
  TallyDemoData *data = g_new0 (TallyDemoData, 1);
  gint64 start_s;

  g_mutex_init (&data->select_lock);
  data->seed = seed;
  data->now_us = now_unix * TALLY_DEMO_US_PER_SECOND;
  data->utc_offset = utc_offset;
  if (tz != NULL)
    {
      /* the whole span of the data, its entities (up to 150 days before
       * the first row) and a few days after now */
      data->tz = g_time_zone_ref (tz);
      zone_cache_init (data,
                       data->now_us - ((gint64) MAX (days, 1) + 160) * TALLY_DEMO_US_PER_DAY,
                       data->now_us + 3 * TALLY_DEMO_US_PER_DAY);
      data->utc_offset = tally_demo_data_offset_at (data, data->now_us);
    }
  data->today = tally_demo_data_local_day (data, data->now_us);

  start_s = tally_demo_data_day_start_us (data, data->today - (gint64) MAX (days, 1) + 1) / TALLY_DEMO_US_PER_SECOND;
  init_entities (data, start_s, now_unix);
  data->start_us = tally_demo_data_day_start_us (data, data->today - (gint64) days + 1);
  generate_rows (data, days, rows);
  init_key_quotas (data, now_unix);

  return data;
}

TallyDemoData *
tally_demo_data_new (guint64 seed,
                     guint days,
                     guint rows,
                     gint64 now_unix,
                     int utc_offset)
{
  return tally_demo_data_new_in_zone (seed, days, rows, now_unix, NULL, utc_offset);
}

void
tally_demo_data_free (TallyDemoData *data)
{
  if (data == NULL)
    return;
  g_mutex_clear (&data->select_lock);
  g_free (data->rows);
  g_clear_pointer (&data->tz, g_time_zone_unref);
  g_clear_pointer (&data->zone_changes, g_array_unref);
  g_clear_pointer (&data->zone_offsets, g_array_unref);
  g_clear_pointer (&data->key_names, g_ptr_array_unref);
  g_free (data);
}

void
tally_demo_data_add_rows (TallyDemoData *data,
                          guint n)
{
  g_autoptr (GMutexLocker) locker = NULL;
  gint64 created_us;

  g_return_if_fail (data != NULL);

  if (n == 0)
    return;

  locker = g_mutex_locker_new (&data->select_lock);

  /* "now" is frozen: the new rows happen at its last microsecond, after every
   * generated row, so created_at order stays id order */
  created_us = data->now_us - 1;
  if (data->n_rows > 0)
    created_us = MAX (created_us, data->rows[data->n_rows - 1].created_us);

  data->rows = g_renew (TallyDemoRow, data->rows, (gsize) data->n_rows + n);
  for (guint i = 0; i < n; i++)
    {
      Rng rng;

      /* each row from its own stream: the same seed and row id give the same row */
      _tally_demo_rng_init (&rng, data->seed ^ ((guint64) (data->n_rows + 1) * G_GUINT64_CONSTANT (0xa0761d6478bd642f)));
      memset (&data->rows[data->n_rows], 0, sizeof (TallyDemoRow));
      fill_row (data, &rng, &data->rows[data->n_rows], created_us, data->start_us,
                data->now_us - data->start_us);
      data->n_rows++;
    }

  data->select_valid = FALSE;
}

void
tally_demo_data_advance_now (TallyDemoData *data,
                             gint64 now_us)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_if_fail (data != NULL);

  locker = g_mutex_locker_new (&data->select_lock);
  if (now_us <= data->now_us)
    return;

  data->now_us = now_us;
  data->today = tally_demo_data_local_day (data, data->now_us);
  data->select_valid = FALSE;
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                */

gint64
tally_demo_data_get_now_us (TallyDemoData *data)
{
  return data->now_us;
}

int
tally_demo_data_get_utc_offset (TallyDemoData *data)
{
  return data->utc_offset;
}

gint64
tally_demo_data_get_today (TallyDemoData *data)
{
  return data->today;
}

const TallyDemoUser *
tally_demo_data_get_user (TallyDemoData *data,
                          gint64 id)
{
  for (guint i = 0; i < N_USERS; i++)
    if (data->users[i].id == id)
      return &data->users[i];
  return NULL;
}

const TallyDemoGroup *
tally_demo_data_get_group (TallyDemoData *data,
                           gint64 id)
{
  for (guint i = 0; i < N_GROUPS; i++)
    if (data->groups[i].id == id)
      return &data->groups[i];
  return NULL;
}

const TallyDemoGroup *
tally_demo_data_get_groups (TallyDemoData *data,
                            guint *n_groups)
{
  *n_groups = N_GROUPS;
  return data->groups;
}

const TallyDemoSubscription *
tally_demo_data_get_subscriptions (TallyDemoData *data,
                                   guint *n_subscriptions)
{
  *n_subscriptions = N_SUBSCRIPTIONS;
  return data->subscriptions;
}

const TallyDemoKey *
tally_demo_data_get_keys (TallyDemoData *data,
                          guint *n_keys)
{
  *n_keys = N_KEYS;
  return data->keys;
}

int
tally_demo_data_find_key (TallyDemoData *data,
                          gint64 id)
{
  for (guint i = 0; i < N_KEYS; i++)
    if (data->keys[i].id == id)
      return (int) i;
  return -1;
}

const TallyDemoAccount *
tally_demo_data_get_account (TallyDemoData *data,
                             guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (accounts), NULL);
  return &accounts[index];
}

const TallyDemoModel *
tally_demo_data_get_models (TallyDemoData *data,
                            guint *n_models)
{
  *n_models = N_MODELS;
  return models;
}

int
tally_demo_data_find_model (TallyDemoData *data,
                            const char *name)
{
  for (guint i = 0; i < N_MODELS; i++)
    if (g_str_equal (models[i].name, name))
      return (int) i;
  return -1;
}

const TallyDemoRow *
tally_demo_data_get_rows (TallyDemoData *data,
                          guint *n_rows)
{
  *n_rows = data->n_rows;
  return data->rows;
}

void
tally_demo_data_get_extent (TallyDemoData *data,
                            gint64 *first_us,
                            gint64 *last_us)
{
  *first_us = data->n_rows > 0 ? data->rows[0].created_us : 0;
  *last_us = data->n_rows > 0 ? data->rows[data->n_rows - 1].created_us : 0;
}

gint64
tally_demo_row_user_id (TallyDemoData *data,
                        const TallyDemoRow *row)
{
  return data->keys[row->key].user_id;
}

gint64
tally_demo_row_group_id (TallyDemoData *data,
                         const TallyDemoRow *row)
{
  return data->keys[row->key].group_id;
}

guint
tally_demo_row_multiplier_milli (TallyDemoData *data,
                                 const TallyDemoRow *row)
{
  const TallyDemoGroup *group = tally_demo_data_get_group (data, data->keys[row->key].group_id);

  return group != NULL ? group->multiplier_milli : 1000;
}

int
tally_demo_row_billing_type (TallyDemoData *data,
                             const TallyDemoRow *row)
{
  const TallyDemoGroup *group = tally_demo_data_get_group (data, data->keys[row->key].group_id);

  return group != NULL && g_str_equal (group->subscription_type, "subscription") ? 1 : 0;
}

void
tally_demo_row_costs (TallyDemoData *data,
                      const TallyDemoRow *row,
                      TallyDemoCosts *costs)
{
  const TallyDemoModel *model = &models[row->model];
  gint64 milli = tally_demo_row_multiplier_milli (data, row);

  costs->input = (gint64) row->input_tokens * model->price_input;
  costs->output = (gint64) row->output_tokens * model->price_output;
  costs->cache_creation = (gint64) row->cache_creation_tokens * model->price_cache_creation;
  costs->cache_read = (gint64) row->cache_read_tokens * model->price_cache_read;
  costs->total = costs->input + costs->output + costs->cache_creation + costs->cache_read;
  costs->actual = (costs->total * milli + 500) / 1000;
}

char *
tally_demo_row_request_id (TallyDemoData *data,
                           const TallyDemoRow *row)
{
  static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  guint64 id = (guint64) (row - data->rows) + 1;
  guint64 state = data->seed ^ (id * G_GUINT64_CONSTANT (0xd1b54a32d192ed03));
  const char *platform = models[row->model].platform;
  GString *out;

  if (row->flags & TALLY_DEMO_ROW_NO_REQUEST_ID)
    return g_strdup ("");

  if (g_str_equal (platform, "gemini"))
    {
      guint64 a = _tally_demo_splitmix64 (&state);
      guint64 b = _tally_demo_splitmix64 (&state);

      return g_strdup_printf ("%08x-%04x-%04x-%04x-%012" G_GINT64_MODIFIER "x",
                              (guint) (a >> 32), (guint) (a >> 16) & 0xffff, (guint) a & 0xffff,
                              (guint) (b >> 48), b & G_GUINT64_CONSTANT (0xffffffffffff));
    }

  out = g_string_new (g_str_equal (platform, "openai") ? "chatcmpl-" : "msg_01");
  for (guint i = 0, n = g_str_equal (platform, "openai") ? 29 : 22; i < n; i++)
    {
      if (i % 8 == 0)
        _tally_demo_splitmix64 (&state);
      g_string_append_c (out, base62[_tally_demo_splitmix64 (&state) % 62]);
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Filtering and aggregation                                                */

void
tally_demo_filter_init (TallyDemoFilter *filter,
                        gint64 user_id)
{
  filter->user_id = user_id;
  filter->key = -1;
  filter->model = -1;
  filter->stream = -1;
  filter->billing_type = TALLY_DEMO_FILTER_ANY;
  filter->start_us = G_MININT64;
  filter->end_us = G_MAXINT64;
}

/* first index with created_us >= @us */
static guint
lower_bound (TallyDemoData *data,
             gint64 us)
{
  guint lo = 0, hi = data->n_rows;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (data->rows[mid].created_us < us)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
filter_span (TallyDemoData *data,
             const TallyDemoFilter *filter,
             guint *first,
             guint *end)
{
  *first = filter->start_us == G_MININT64 ? 0 : lower_bound (data, filter->start_us);
  *end = filter->end_us == G_MAXINT64 ? data->n_rows : lower_bound (data, filter->end_us);
  if (*end < *first)
    *end = *first;
}

static gboolean
row_matches (TallyDemoData *data,
             const TallyDemoFilter *filter,
             const TallyDemoRow *row)
{
  if (data->keys[row->key].user_id != filter->user_id)
    return FALSE;
  if (filter->key >= 0 && row->key != filter->key)
    return FALSE;
  if (filter->model == -2 || (filter->model >= 0 && row->model != filter->model))
    return FALSE;
  if (filter->stream >= 0 && !!(row->flags & TALLY_DEMO_ROW_STREAM) != filter->stream)
    return FALSE;
  if (filter->billing_type != TALLY_DEMO_FILTER_ANY && tally_demo_row_billing_type (data, row) != filter->billing_type)
    return FALSE;
  return TRUE;
}

void
tally_demo_data_aggregate (TallyDemoData *data,
                           const TallyDemoFilter *filter,
                           TallyDemoGroupBy group_by,
                           gint64 first_bucket,
                           guint n_buckets,
                           TallyDemoTotals *buckets)
{
  guint first, end;

  g_return_if_fail (data != NULL);
  g_return_if_fail (filter != NULL);
  g_return_if_fail (n_buckets == 0 || buckets != NULL);

  filter_span (data, filter, &first, &end);
  for (guint i = first; i < end; i++)
    {
      const TallyDemoRow *row = &data->rows[i];
      TallyDemoTotals *t;
      TallyDemoCosts costs;
      gint64 bucket = 0;

      if (!row_matches (data, filter, row))
        continue;

      switch (group_by)
        {
          case TALLY_DEMO_GROUP_NONE:
            bucket = 0;
            break;
          case TALLY_DEMO_GROUP_KEY:
            bucket = row->key;
            break;
          case TALLY_DEMO_GROUP_MODEL:
            bucket = row->model;
            break;
          case TALLY_DEMO_GROUP_DAY:
            bucket = tally_demo_data_local_day (data, row->created_us) - first_bucket;
            break;
          case TALLY_DEMO_GROUP_HOUR:
            bucket = tally_demo_data_local_hour (data, row->created_us) - first_bucket;
            break;
          default:
            g_assert_not_reached ();
        }
      if (bucket < 0 || bucket >= n_buckets)
        continue;

      tally_demo_row_costs (data, row, &costs);
      t = &buckets[bucket];
      t->requests++;
      t->input_tokens += row->input_tokens;
      t->output_tokens += row->output_tokens;
      t->cache_creation_tokens += row->cache_creation_tokens;
      t->cache_read_tokens += row->cache_read_tokens;
      t->cost += costs.total;
      t->actual_cost += costs.actual;
      if (row->duration_ms >= 0)
        {
          t->duration_sum += row->duration_ms;
          t->duration_rows++;
        }
    }
}

static gboolean
filter_equal (const TallyDemoFilter *a,
              const TallyDemoFilter *b)
{
  return a->user_id == b->user_id && a->key == b->key && a->model == b->model && a->stream == b->stream && a->billing_type == b->billing_type && a->start_us == b->start_us && a->end_us == b->end_us;
}

guint
tally_demo_data_select (TallyDemoData *data,
                        const TallyDemoFilter *filter,
                        guint64 offset,
                        guint limit,
                        guint *indices,
                        guint64 *total)
{
  g_autoptr (GMutexLocker) locker = NULL;
  guint first, end, i;
  guint64 seen = 0;
  guint written = 0;

  g_return_val_if_fail (data != NULL, 0);
  g_return_val_if_fail (filter != NULL, 0);

  locker = g_mutex_locker_new (&data->select_lock);
  filter_span (data, filter, &first, &end);

  if (!data->select_valid || !filter_equal (&data->select_filter, filter))
    {
      guint64 matches = 0;

      for (i = end; i > first; i--)
        if (row_matches (data, filter, &data->rows[i - 1]))
          matches++;

      data->select_valid = TRUE;
      data->select_filter = *filter;
      data->select_total = matches;
      data->select_seen = 0;
      data->select_next = end;
    }

  /* continue from the last page when this one starts at or after it */
  i = end;
  if (offset >= data->select_seen)
    {
      i = data->select_next;
      seen = data->select_seen;
    }

  for (; i > first && written < limit; i--)
    {
      if (!row_matches (data, filter, &data->rows[i - 1]))
        continue;
      if (seen >= offset)
        indices[written++] = i - 1;
      seen++;
    }

  data->select_seen = seen;
  data->select_next = i;

  if (total != NULL)
    *total = data->select_total;
  return written;
}

/* What a user would call the keys whose fixture names test escaping. */
static const struct
{
  gint64 id;
  const char *name;
} believable_key_names[] = {
  { 3, "ci-runner" },
  { 6, "sheets-import" },
  { 7, "prototype" },
};

void
tally_demo_data_use_believable_names (TallyDemoData *data)
{
  g_return_if_fail (data != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (believable_key_names); i++)
    {
      int index = tally_demo_data_find_key (data, believable_key_names[i].id);

      if (index >= 0)
        data->keys[index].name = believable_key_names[i].name;
    }
}

gboolean
tally_demo_data_set_subscription_usage (TallyDemoData *data,
                                        gint64 id,
                                        TallyDemoWindow window,
                                        gint64 usage)
{
  g_return_val_if_fail (window < TALLY_DEMO_N_WINDOWS, FALSE);

  for (guint i = 0; i < N_SUBSCRIPTIONS; i++)
    if (data->subscriptions[i].id == id)
      {
        data->subscriptions[i].usage[window] = usage;
        return TRUE;
      }
  return FALSE;
}

gboolean
tally_demo_data_set_key_name (TallyDemoData *data,
                              gint64 id,
                              const char *name)
{
  int index;
  char *copy;

  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  index = tally_demo_data_find_key (data, id);
  if (index < 0)
    return FALSE;

  if (data->key_names == NULL)
    data->key_names = g_ptr_array_new_with_free_func (g_free);
  copy = g_strdup (name);
  g_ptr_array_add (data->key_names, copy);
  data->keys[index].name = copy;

  return TRUE;
}

/* tally-demo-data.h: deterministic synthetic sub2api data for the demo server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Core-internal (used by tally-demo-server.c and its test). No soup here.
 *
 * Money is kept as integer units of 1e-10 USD (the server's DECIMAL(20,10)),
 * so every aggregate is an exact decimal sum; it becomes a double only when
 * written (tally_demo_json_money()).
 *
 * Included here: the small pieces of Go's encoding/json the demo server must
 * reproduce byte for byte (tally-demo-json.h) and calendar helpers for a fixed
 * UTC offset (tally-demo-calendar.h; the data itself follows a GTimeZone:
 * tally_demo_data_local_day()).
 */

#pragma once

#include <glib.h>

#include "tally-demo-calendar.h"
#include "tally-demo-json.h"

G_BEGIN_DECLS

#define TALLY_DEMO_USER_ID 1
#define TALLY_DEMO_OTHER_USER_ID 2

/* ------------------------------------------------------------------------ */
/* Entities                                                                  */

typedef struct
{
  gint64 id;
  const char *email;
  const char *password;
  const char *username;
  const char *wechat;
  const char *notes;
  const char *role;
  double balance;
  gint64 concurrency;
  const char *status;
  gint64 created_at; /* unix seconds */
  gint64 updated_at;
} TallyDemoUser;

typedef struct
{
  gint64 id;
  const char *name;
  const char *description;
  const char *platform;
  guint multiplier_milli; /* rate_multiplier × 1000 */
  gboolean is_exclusive;
  const char *status;
  const char *subscription_type;
  double daily_limit_usd; /* NAN = null */
  double weekly_limit_usd;
  double monthly_limit_usd;
  gint64 created_at;
  gint64 updated_at;
} TallyDemoGroup;

typedef struct
{
  gint64 id;
  gint64 user_id;
  const char *name;
  char secret[68]; /* "sk-" + 64 hex */
  gint64 group_id; /* 0 = null */
  const char *status;
  gboolean deleted;
  gint64 created_at;
  gint64 updated_at;
  /* today's servers only (API-2026.md §5): the quota in 1e-10 USD (0 =
   * unlimited), the expiry (unix seconds, 0 = null) and the limits of the
   * rolling 5 h, 1 d and 7 d windows (1e-10 USD, 0 = none) */
  gint64 quota;
  gint64 expires_at;
  gint64 rate_limits[3];
} TallyDemoKey;

typedef struct
{
  gint64 id;
  const char *name;
  const char *platform;
  const char *type;
} TallyDemoAccount;

typedef enum
{
  TALLY_DEMO_WINDOW_DAILY,
  TALLY_DEMO_WINDOW_WEEKLY,
  TALLY_DEMO_WINDOW_MONTHLY,
  TALLY_DEMO_N_WINDOWS
} TallyDemoWindow;

/* A UserSubscription (API-2026.md §5). Its windows are those of its group
 * (a NAN limit: none); a window starts at window_start (unix seconds, 0 =
 * not started) and lasts 24 h, 7 days or 30 days (rolling); usage is what
 * it had used at the data's "now" (1e-10 USD). The figures are the demo's
 * own, not sums of its subscription-billed rows: a believable plan's limits
 * are far above what the generated rows cost. */
typedef struct
{
  gint64 id;
  gint64 user_id;
  gint64 group_id;
  const char *status;
  gint64 starts_at; /* unix seconds */
  gint64 expires_at;
  gint64 window_start[TALLY_DEMO_N_WINDOWS];
  gint64 usage[TALLY_DEMO_N_WINDOWS];
  gint64 created_at;
  gint64 updated_at;
} TallyDemoSubscription;

typedef struct
{
  const char *name;
  const char *platform;
  /* list price per token, in 1e-10 USD */
  gint64 price_input;
  gint64 price_output;
  gint64 price_cache_creation;
  gint64 price_cache_read;
} TallyDemoModel;

typedef enum
{
  TALLY_DEMO_ROW_STREAM = 1 << 0,
  TALLY_DEMO_ROW_NO_REQUEST_ID = 1 << 1,
} TallyDemoRowFlags;

/* One usage log row; its id is its index + 1 (ids grow with time). */
typedef struct
{
  gint64 created_us; /* unix microseconds */
  guint32 input_tokens;
  guint32 output_tokens;
  guint32 cache_creation_tokens;
  guint32 cache_read_tokens;
  gint32 duration_ms;    /* -1 = NULL */
  gint32 first_token_ms; /* -1 = NULL */
  guint8 key;            /* index into the key table */
  guint8 model;          /* index into the model table */
  guint8 account;        /* index into the account table */
  guint8 flags;          /* TallyDemoRowFlags */
} TallyDemoRow;

typedef struct
{
  gint64 input;
  gint64 output;
  gint64 cache_creation;
  gint64 cache_read;
  gint64 total;
  gint64 actual; /* total × multiplier, rounded to 1e-10 */
} TallyDemoCosts;

typedef struct _TallyDemoData TallyDemoData;

/* @now_unix: the last instant with data; @utc_offset: server offset in seconds.
 * About @rows rows over @days server calendar days ending at @now_unix. */
TallyDemoData *tally_demo_data_new (guint64 seed,
                                    guint days,
                                    guint rows,
                                    gint64 now_unix,
                                    int utc_offset);
void tally_demo_data_free (TallyDemoData *data);
/* Appends @n rows at "now" (the last microsecond of the data) with the next
 * ids: the newest rows of every list and aggregate. Deterministic for the
 * seed and the row ids. */
/* Moves "now" forward to @now_us (never back): the clock of a demo whose rows
 * keep arriving in real time. */
void tally_demo_data_advance_now (TallyDemoData *data,
                                  gint64 now_us);
void tally_demo_data_add_rows (TallyDemoData *data,
                               guint n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TallyDemoData, tally_demo_data_free)

/* The same in the zone @tz (NULL: the fixed @utc_offset). Every day
 * boundary, hourly bucket and timestamp suffix follows @tz's offset at that
 * instant, so a DST zone is right on both sides of a change. */
TallyDemoData *tally_demo_data_new_in_zone (guint64 seed,
                                            guint days,
                                            guint rows,
                                            gint64 now_unix,
                                            GTimeZone *tz,
                                            int utc_offset);

gint64 tally_demo_data_get_now_us (TallyDemoData *data);
/* The server offset at "now" (seconds east of UTC). */
int tally_demo_data_get_utc_offset (TallyDemoData *data);
/* The offset at @unix_us, the server's calendar day and wall-clock hour
 * (days × 24 + hour; the repeated hour of a fall-back day is one index) of
 * an instant, and the first instant of server day @days. */
int tally_demo_data_offset_at (TallyDemoData *data,
                               gint64 unix_us);
gint64 tally_demo_data_local_day (TallyDemoData *data,
                                  gint64 unix_us);
gint64 tally_demo_data_local_hour (TallyDemoData *data,
                                   gint64 unix_us);
gint64 tally_demo_data_day_start_us (TallyDemoData *data,
                                     gint64 days);
/* The server's calendar day of "now" (days since 1970-01-01). */
gint64 tally_demo_data_get_today (TallyDemoData *data);

const TallyDemoUser *tally_demo_data_get_user (TallyDemoData *data,
                                               gint64 id);
const TallyDemoGroup *tally_demo_data_get_group (TallyDemoData *data,
                                                 gint64 id);
const TallyDemoGroup *tally_demo_data_get_groups (TallyDemoData *data,
                                                  guint *n_groups);
/* The subscriptions of every user, by id ascending. */
const TallyDemoSubscription *tally_demo_data_get_subscriptions (TallyDemoData *data,
                                                                guint *n_subscriptions);
/* All keys, deleted and foreign ones included, ordered by id ascending. */
const TallyDemoKey *tally_demo_data_get_keys (TallyDemoData *data,
                                              guint *n_keys);
/* The key names of the data are test fixtures: markup ("CI <b>&amp; bot")
 * and a spreadsheet formula ("=cmd|' /C calc'!A0"). This gives those keys the
 * names a user would choose (`tally --demo` shows these). */
void tally_demo_data_use_believable_names (TallyDemoData *data);
/* Renames key @id (a copy of @name); FALSE for an unknown id. */
/* For tests: what subscription @id has used in @window (1e-10 USD). FALSE
 * for an unknown id. */
gboolean tally_demo_data_set_subscription_usage (TallyDemoData *data,
                                                 gint64 id,
                                                 TallyDemoWindow window,
                                                 gint64 usage);
gboolean tally_demo_data_set_key_name (TallyDemoData *data,
                                       gint64 id,
                                       const char *name);
/* Index into the key table, or -1. Deleted keys are found too. */
int tally_demo_data_find_key (TallyDemoData *data,
                              gint64 id);
const TallyDemoAccount *tally_demo_data_get_account (TallyDemoData *data,
                                                     guint index);
const TallyDemoModel *tally_demo_data_get_models (TallyDemoData *data,
                                                  guint *n_models);
/* Model index for an exact (case-sensitive) name, or -1. */
int tally_demo_data_find_model (TallyDemoData *data,
                                const char *name);
const TallyDemoRow *tally_demo_data_get_rows (TallyDemoData *data,
                                              guint *n_rows);

/* Derived row values. */
gint64 tally_demo_row_user_id (TallyDemoData *data,
                               const TallyDemoRow *row);
/* group id or 0 */
gint64 tally_demo_row_group_id (TallyDemoData *data,
                                const TallyDemoRow *row);
guint tally_demo_row_multiplier_milli (TallyDemoData *data,
                                       const TallyDemoRow *row);
/* 0 balance, 1 subscription */
int tally_demo_row_billing_type (TallyDemoData *data,
                                 const TallyDemoRow *row);
void tally_demo_row_costs (TallyDemoData *data,
                           const TallyDemoRow *row,
                           TallyDemoCosts *costs);
/* Deterministic upstream request id ("msg_01…", "chatcmpl-…", a UUID or ""). */
char *tally_demo_row_request_id (TallyDemoData *data,
                                 const TallyDemoRow *row);

/* ------------------------------------------------------------------------ */
/* Filtering and aggregation: the one routine behind every statistic.        */

typedef struct
{
  gint64 user_id;
  int key;          /* key index, -1 = any */
  int model;        /* model index, -1 = any, -2 = matches nothing */
  int stream;       /* -1 any, 0 sync, 1 stream */
  int billing_type; /* TALLY_DEMO_FILTER_ANY, or compared with the row's */
  gint64 start_us;  /* inclusive, G_MININT64 = unbounded */
  gint64 end_us;    /* exclusive, G_MAXINT64 = unbounded */
} TallyDemoFilter;

#define TALLY_DEMO_FILTER_ANY G_MININT

/* Everything for @user_id, no other condition. */
void tally_demo_filter_init (TallyDemoFilter *filter,
                             gint64 user_id);

typedef struct
{
  gint64 requests;
  gint64 input_tokens;
  gint64 output_tokens;
  gint64 cache_creation_tokens;
  gint64 cache_read_tokens;
  gint64 cost;          /* 1e-10 USD */
  gint64 actual_cost;   /* 1e-10 USD */
  gint64 duration_sum;  /* over rows with a duration */
  gint64 duration_rows; /* rows with a duration */
} TallyDemoTotals;

typedef enum
{
  TALLY_DEMO_GROUP_NONE,  /* one bucket */
  TALLY_DEMO_GROUP_KEY,   /* bucket = key index */
  TALLY_DEMO_GROUP_MODEL, /* bucket = model index */
  TALLY_DEMO_GROUP_DAY,   /* bucket = server day - @first_bucket */
  TALLY_DEMO_GROUP_HOUR,  /* bucket = server hour (unix hours, offset applied) - @first_bucket */
} TallyDemoGroupBy;

/* Adds every row matching @filter to @buckets (n_buckets entries, zeroed by
 * the caller); rows whose bucket falls outside 0..n_buckets-1 are skipped. */
void tally_demo_data_aggregate (TallyDemoData *data,
                                const TallyDemoFilter *filter,
                                TallyDemoGroupBy group_by,
                                gint64 first_bucket,
                                guint n_buckets,
                                TallyDemoTotals *buckets);

/* Newest first (id descending): fills @indices with up to @limit row indices
 * after skipping @offset matches; returns the number written. *@total gets
 * the number of matching rows. */
guint tally_demo_data_select (TallyDemoData *data,
                              const TallyDemoFilter *filter,
                              guint64 offset,
                              guint limit,
                              guint *indices,
                              guint64 *total);

/* The first and last microsecond with data (both 0 when there are no rows). */
void tally_demo_data_get_extent (TallyDemoData *data,
                                 gint64 *first_us,
                                 gint64 *last_us);

G_END_DECLS

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
 * Also here: the small pieces of Go's encoding/json the demo server must
 * reproduce byte for byte (a writer with Go's escaping and float format, and a
 * reader that reports Go's decoder error strings), and calendar helpers for a
 * fixed UTC offset (the data itself follows a GTimeZone: tally_demo_data_local_day()).
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TALLY_DEMO_USER_ID 1
#define TALLY_DEMO_OTHER_USER_ID 2
#define TALLY_DEMO_US_PER_SECOND G_GINT64_CONSTANT (1000000)
#define TALLY_DEMO_US_PER_DAY (G_GINT64_CONSTANT (86400) * TALLY_DEMO_US_PER_SECOND)

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
} TallyDemoKey;

typedef struct
{
  gint64 id;
  const char *name;
  const char *platform;
  const char *type;
} TallyDemoAccount;

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
/* All keys, deleted and foreign ones included, ordered by id ascending. */
const TallyDemoKey *tally_demo_data_get_keys (TallyDemoData *data,
                                              guint *n_keys);
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

/* ------------------------------------------------------------------------ */
/* Calendar (proleptic Gregorian, fixed offset)                              */

gint64 tally_demo_days_from_civil (gint64 year,
                                   int month,
                                   int day);
void tally_demo_civil_from_days (gint64 days,
                                 gint64 *year,
                                 int *month,
                                 int *day);
/* Strict "YYYY-MM-DD" (zero-padded, real date) → days since 1970-01-01. */
gboolean tally_demo_parse_date (const char *text,
                                gint64 *days);
char *tally_demo_format_date (gint64 days);
/* floor((unix_us / 1e6 + offset) / 86400) */
gint64 tally_demo_local_day (gint64 unix_us,
                             int utc_offset);
gint64 tally_demo_local_hour (gint64 unix_us,
                              int utc_offset);
/* Unix microseconds of the server's midnight starting @days. */
gint64 tally_demo_day_start_us (gint64 days,
                                int utc_offset);

/* ------------------------------------------------------------------------ */
/* Go encoding/json text                                                     */

/* A compact writer that tracks commas. @key NULL inside arrays and at the top. */
typedef struct
{
  GString *out;
  guint depth;
  gboolean need_comma[64];
} TallyDemoJson;

void tally_demo_json_init (TallyDemoJson *json,
                           GString *out);
void tally_demo_json_begin_object (TallyDemoJson *json,
                                   const char *key);
void tally_demo_json_end_object (TallyDemoJson *json);
void tally_demo_json_begin_array (TallyDemoJson *json,
                                  const char *key);
void tally_demo_json_end_array (TallyDemoJson *json);
void tally_demo_json_int (TallyDemoJson *json,
                          const char *key,
                          gint64 value);
/* @value < 0 → null */
void tally_demo_json_nullable_int (TallyDemoJson *json,
                                   const char *key,
                                   gint64 value);
void tally_demo_json_double (TallyDemoJson *json,
                             const char *key,
                             double value);
/* isnan → null */
void tally_demo_json_nullable_double (TallyDemoJson *json,
                                      const char *key,
                                      double value);
/* units of 1e-10 USD, written as a float64 */
void tally_demo_json_money (TallyDemoJson *json,
                            const char *key,
                            gint64 units);
void tally_demo_json_string (TallyDemoJson *json,
                             const char *key,
                             const char *value);
void tally_demo_json_bool (TallyDemoJson *json,
                           const char *key,
                           gboolean value);
void tally_demo_json_null (TallyDemoJson *json,
                           const char *key);
/* RFC 3339 with Go's trimmed fraction, in the server offset ("Z" for 0). */
void tally_demo_json_time (TallyDemoJson *json,
                           const char *key,
                           gint64 unix_us,
                           int utc_offset);
/* Appends an already encoded JSON value verbatim. */
void tally_demo_json_raw (TallyDemoJson *json,
                          const char *key,
                          const char *raw);

/* The primitives: Go's float64 form ('f' for 1e-6 <= |x| < 1e21, else 'e'
 * with "e-07" cleaned to "e-7"; shortest round-trip digits) and Go's string
 * escaping (HTML-safe, U+2028/2029, invalid UTF-8 → \ufffd). */
void tally_demo_append_go_float (GString *out,
                                 double value);
void tally_demo_append_go_string (GString *out,
                                  const char *value,
                                  gssize length);
void tally_demo_append_rfc3339 (GString *out,
                                gint64 unix_us,
                                int utc_offset);

/* A parsed JSON value. Numbers keep their literal text. */
typedef enum
{
  TALLY_DEMO_VALUE_NULL,
  TALLY_DEMO_VALUE_BOOL,
  TALLY_DEMO_VALUE_NUMBER,
  TALLY_DEMO_VALUE_STRING,
  TALLY_DEMO_VALUE_ARRAY,
  TALLY_DEMO_VALUE_OBJECT,
} TallyDemoValueKind;

typedef struct _TallyDemoValue TallyDemoValue;
struct _TallyDemoValue
{
  TallyDemoValueKind kind;
  gboolean boolean;
  char *text;          /* STRING (decoded UTF-8) or NUMBER (the literal) */
  char *key;           /* the member name, on members of an OBJECT */
  GPtrArray *children; /* ARRAY elements, OBJECT members (each with ->key) */
};

void tally_demo_value_free (TallyDemoValue *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TallyDemoValue, tally_demo_value_free)

/* Decodes the first JSON value of @text like Go's json.Decoder.Decode (trailing
 * data ignored). On failure returns NULL and sets *@go_error to Go's message
 * ("EOF", "unexpected EOF", "invalid character 'x' looking for beginning of value"…). */
TallyDemoValue *tally_demo_value_parse (const char *text,
                                        gsize length,
                                        char **go_error);
/* Go's name for the JSON kind in UnmarshalTypeError ("number", "string", …). */
const char *tally_demo_value_kind_name (const TallyDemoValue *value);
/* Re-encodes @value like Go would (compact, numbers verbatim). */
void tally_demo_value_write (const TallyDemoValue *value,
                             GString *out);

/* Go's strconv.ParseInt (@text, 10, @bits) and strconv.ParseBool. */
gboolean tally_demo_parse_go_int (const char *text,
                                  int bits,
                                  gint64 *value);
gboolean tally_demo_parse_go_bool (const char *text,
                                   gboolean *value);

G_END_DECLS

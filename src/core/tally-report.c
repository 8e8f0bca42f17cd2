/* tally-report.c: CSV reports streamed from the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-report"

#include "config.h"

#include <string.h>

#include "tally-api-key.h"
#include "tally-client.h"
#include "tally-csv.h"
#include "tally-error.h"
#include "tally-key-usage.h"
#include "tally-model-breakdown.h"
#include "tally-model-stat.h"
#include "tally-page.h"
#include "tally-report.h"
#include "tally-server-time.h"
#include "tally-trend-point.h"
#include "tally-trend.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-usage-snapshot.h"

#define REPORT_PAGE_SIZE 0 /* the largest the server takes */
#define REPORT_MAX_IN_FLIGHT 4

static const char *const logs_columns[] = {
  "id", "created_at", "api_key_id", "api_key_name", "model", "stream", "billing_type",
  "input_tokens", "output_tokens", "cache_creation_tokens", "cache_read_tokens",
  "total_tokens", "total_cost", "actual_cost", "rate_multiplier", "duration_ms",
  "first_token_ms", "request_id", NULL
};

static const char *const daily_columns[] = {
  "date", "requests", "input_tokens", "output_tokens", "cache_tokens", "total_tokens",
  "cost", "actual_cost", NULL
};

static const char *const models_columns[] = {
  "model", "requests", "input_tokens", "output_tokens", "total_tokens", "cost",
  "actual_cost", NULL
};

static const char *const keys_columns[] = {
  "api_key_id", "name", "status", "today_actual_cost", "total_actual_cost", NULL
};

/* A sum over usage rows, for DAILY/MODELS with filters the dashboard cannot apply */
typedef struct
{
  char *label;
  gint64 requests;
  gint64 input_tokens;
  gint64 output_tokens;
  gint64 cache_tokens;
  gint64 total_tokens;
  double cost;
  double actual_cost;
} Bucket;

typedef struct
{
  TallyClient *client;
  TallyReportKind kind;
  TallyUsageQuery *query;
  TallyGranularity granularity;
  GOutputStream *stream;
  TallyCsvWriter *writer;
  TallyReportProgress progress;
  gpointer progress_data;

  /* LOGS: api_key_id → name, from /keys */
  GHashTable *key_names;

  /* DAILY / MODELS over filtered rows */
  GHashTable *buckets;
  char *start_date;
  char *end_date;

  guint64 rows;
  guint pages;

  /* a failure inside a page callback (write error, cancellation) */
  GError *page_error;
} Report;

static void
bucket_free (gpointer data)
{
  Bucket *bucket = data;

  g_free (bucket->label);
  g_free (bucket);
}

static void
report_free (gpointer data)
{
  Report *report = data;

  g_clear_object (&report->client);
  g_clear_pointer (&report->query, tally_usage_query_free);
  g_clear_pointer (&report->writer, tally_csv_writer_free);
  g_clear_object (&report->stream);
  g_clear_pointer (&report->key_names, g_hash_table_unref);
  g_clear_pointer (&report->buckets, g_hash_table_unref);
  g_clear_pointer (&report->start_date, g_free);
  g_clear_pointer (&report->end_date, g_free);
  g_clear_error (&report->page_error);
  g_free (report);
}

const char *const *
tally_report_get_columns (TallyReportKind kind)
{
  switch (kind)
    {
      case TALLY_REPORT_LOGS:
        return logs_columns;
      case TALLY_REPORT_DAILY:
        return daily_columns;
      case TALLY_REPORT_MODELS:
        return models_columns;
      case TALLY_REPORT_KEYS:
        return keys_columns;
      default:
        g_return_val_if_reached (NULL);
    }
}

/* TRUE when the query filters on something the S dashboard endpoints ignore */
static gboolean
query_is_filtered (const TallyUsageQuery *query)
{
  const char *model = tally_usage_query_get_model (query);

  return tally_usage_query_get_api_key_id (query) != 0
         || (model != NULL && model[0] != '\0')
         || tally_usage_query_get_stream (query) != TALLY_STREAM_ANY
         || tally_usage_query_get_billing (query) != TALLY_BILLING_ANY;
}

static void
report_notify_progress (Report *report)
{
  if (report->progress != NULL)
    report->progress (report->rows, report->pages, report->progress_data);
}

static gboolean
report_end_row (Report *report,
                GCancellable *cancellable,
                GError **error)
{
  if (!tally_csv_writer_end_row (report->writer, cancellable, error))
    return FALSE;
  return TRUE;
}

static gboolean
report_write_header (Report *report,
                     GCancellable *cancellable,
                     GError **error)
{
  const char *const *columns = tally_report_get_columns (report->kind);

  for (guint i = 0; columns[i] != NULL; i++)
    tally_csv_writer_add (report->writer, columns[i]);

  return tally_csv_writer_end_row (report->writer, cancellable, error);
}

/* Flushes the writer, reports the final progress and completes the task. */
static void
report_finish (GTask *task)
{
  Report *report = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!tally_csv_writer_flush (report->writer, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  report_notify_progress (report);
  g_task_return_boolean (task, TRUE);
}

/* Adds the cells of row @index of @rows (a list, an array: what the table is
 * written from). */
typedef void (*ReportRowFunc) (Report *report,
                               gpointer rows,
                               guint index);

/* Writes the header and @n_rows rows with @add_row, counting them, and
 * completes @task: with the first write error, else by report_finish(). */
static void
report_write_table (GTask *task,
                    ReportRowFunc add_row,
                    gpointer rows,
                    guint n_rows)
{
  Report *report = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (GError) error = NULL;

  if (!report_write_header (report, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < n_rows; i++)
    {
      add_row (report, rows, i);
      if (!report_end_row (report, cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      report->rows++;
    }

  report_finish (task);
}

/* Whether a snapshot page callback goes on: not after an earlier failure, and
 * not once the task is cancelled (which becomes the page error). */
static gboolean
report_page_can_continue (GTask *task)
{
  Report *report = g_task_get_task_data (task);

  if (report->page_error != NULL)
    return FALSE;

  return !g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &report->page_error);
}

/* Completes a snapshot walk: the rows callback's own error wins. */
static gboolean
report_foreach_finish (GTask *task,
                       GAsyncResult *result)
{
  Report *report = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!tally_usage_snapshot_foreach_finish (result, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return FALSE;
    }

  if (report->page_error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&report->page_error));
      return FALSE;
    }

  if (g_task_return_error_if_cancelled (task))
    return FALSE;

  return TRUE;
}

/* ---------------------------------------------------------------- LOGS */

static void
write_log_row (Report *report,
               TallyUsageLog *log)
{
  TallyCsvWriter *writer = report->writer;
  gint64 api_key_id = tally_usage_log_get_api_key_id (log);
  const char *key_name = tally_usage_log_get_api_key_name (log);
  gint64 billing_type = tally_usage_log_get_billing_type (log);

  if (key_name == NULL)
    key_name = g_hash_table_lookup (report->key_names, &api_key_id);

  tally_csv_writer_add_int (writer, tally_usage_log_get_id (log));
  tally_csv_writer_add (writer, tally_usage_log_get_created_at_raw (log));
  tally_csv_writer_add_int (writer, api_key_id);
  tally_csv_writer_add (writer, key_name);
  tally_csv_writer_add (writer, tally_usage_log_get_model (log));
  tally_csv_writer_add (writer, tally_usage_log_get_stream (log) ? "true" : "false");
  if (billing_type == TALLY_BILLING_BALANCE)
    tally_csv_writer_add (writer, "balance");
  else if (billing_type == TALLY_BILLING_SUBSCRIPTION)
    tally_csv_writer_add (writer, "subscription");
  else
    tally_csv_writer_add_int (writer, billing_type);
  tally_csv_writer_add_int (writer, tally_usage_log_get_input_tokens (log));
  tally_csv_writer_add_int (writer, tally_usage_log_get_output_tokens (log));
  tally_csv_writer_add_int (writer, tally_usage_log_get_cache_creation_tokens (log));
  tally_csv_writer_add_int (writer, tally_usage_log_get_cache_read_tokens (log));
  tally_csv_writer_add_int (writer, tally_usage_log_get_total_tokens (log));
  tally_csv_writer_add_double (writer, tally_usage_log_get_total_cost (log));
  tally_csv_writer_add_double (writer, tally_usage_log_get_actual_cost (log));
  tally_csv_writer_add_double (writer, tally_usage_log_get_rate_multiplier (log));
  tally_csv_writer_add_nullable_int (writer, tally_usage_log_get_duration_ms (log));
  tally_csv_writer_add_nullable_int (writer, tally_usage_log_get_first_token_ms (log));
  tally_csv_writer_add (writer, tally_usage_log_get_request_id (log));
}

/* Rows of the snapshot (each once, none newer than the first page). */
static gboolean
logs_page_cb (TallyUsageSnapshot *snapshot,
              GListModel *items,
              gpointer user_data)
{
  GTask *task = user_data;
  Report *report = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  guint n_items = g_list_model_get_n_items (items);

  g_assert (G_IS_TASK (task));

  if (!report_page_can_continue (task))
    return FALSE;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (TallyUsageLog) log = g_list_model_get_item (items, i);

      write_log_row (report, log);
      if (!report_end_row (report, cancellable, &report->page_error))
        return FALSE;
      report->rows++;
    }

  report->pages++;
  report_notify_progress (report);

  return TRUE;
}

static void
logs_done_cb (GObject *object,
              GAsyncResult *result,
              gpointer user_data)
{
  g_autoptr (GTask) task = user_data;

  if (!report_foreach_finish (task, result))
    return;

  report_finish (task);
}

static void
logs_keys_cb (GObject *object,
              GAsyncResult *result,
              gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Report *report = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) keys = NULL;
  guint n_keys;

  keys = tally_client_list_all_keys_finish (report->client, result, &error);
  if (keys == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  n_keys = g_list_model_get_n_items (keys);
  for (guint i = 0; i < n_keys; i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
      gint64 *id = g_new (gint64, 1);

      *id = tally_api_key_get_id (key);
      g_hash_table_replace (report->key_names, id, g_strdup (tally_api_key_get_name (key)));
    }

  if (!report_write_header (report, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  tally_usage_snapshot_foreach_async (report->client,
                                      report->query,
                                      REPORT_PAGE_SIZE,
                                      REPORT_MAX_IN_FLIGHT,
                                      logs_page_cb,
                                      g_object_ref (task),
                                      g_object_unref,
                                      cancellable,
                                      logs_done_cb,
                                      g_object_ref (task));
}

/* ------------------------------------------------- filtered DAILY / MODELS */

static Bucket *
lookup_bucket (Report *report,
               const char *label)
{
  Bucket *bucket = g_hash_table_lookup (report->buckets, label);

  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->label = g_strdup (label);
      g_hash_table_insert (report->buckets, bucket->label, bucket);
    }

  return bucket;
}

/* The row's bucket label in server time: "YYYY-MM-DD" or "YYYY-MM-DD HH:00".
 * created_at carries the server's offset, so its wall-clock digits are server time. */
static char *
log_bucket_label (TallyUsageLog *log,
                  TallyGranularity granularity)
{
  const char *raw = tally_usage_log_get_created_at_raw (log);
  GDateTime *created_at;

  if (raw != NULL && strlen (raw) >= 13 && raw[4] == '-' && raw[7] == '-'
      && (raw[10] == 'T' || raw[10] == 't' || raw[10] == ' '))
    {
      if (granularity == TALLY_GRANULARITY_HOUR)
        return g_strdup_printf ("%.10s %.2s:00", raw, raw + 11);
      return g_strndup (raw, 10);
    }

  created_at = tally_usage_log_get_created_at (log);
  if (created_at == NULL)
    return NULL;

  if (granularity == TALLY_GRANULARITY_HOUR)
    return g_date_time_format (created_at, "%Y-%m-%d %H:00");
  return g_date_time_format (created_at, "%Y-%m-%d");
}

static gboolean
aggregate_page_cb (TallyUsageSnapshot *snapshot,
                   GListModel *items,
                   gpointer user_data)
{
  GTask *task = user_data;
  Report *report = g_task_get_task_data (task);
  guint n_items = g_list_model_get_n_items (items);

  if (!report_page_can_continue (task))
    return FALSE;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (TallyUsageLog) log = g_list_model_get_item (items, i);
      g_autofree char *label = NULL;
      Bucket *bucket;

      if (report->kind == TALLY_REPORT_DAILY)
        label = log_bucket_label (log, report->granularity);
      else
        label = g_strdup (tally_usage_log_get_model (log));

      if (label == NULL)
        continue;

      bucket = lookup_bucket (report, label);
      bucket->requests++;
      bucket->input_tokens += tally_usage_log_get_input_tokens (log);
      bucket->output_tokens += tally_usage_log_get_output_tokens (log);
      bucket->cache_tokens += tally_usage_log_get_cache_creation_tokens (log)
                              + tally_usage_log_get_cache_read_tokens (log);
      bucket->total_tokens += tally_usage_log_get_total_tokens (log);
      bucket->cost += tally_usage_log_get_total_cost (log);
      bucket->actual_cost += tally_usage_log_get_actual_cost (log);
    }

  report->pages++;
  if (report->progress != NULL)
    report->progress (0, report->pages, report->progress_data);

  return TRUE;
}

static int
compare_model_buckets (gconstpointer a,
                       gconstpointer b)
{
  const Bucket *ba = *(const Bucket **) a;
  const Bucket *bb = *(const Bucket **) b;

  if (ba->total_tokens != bb->total_tokens)
    return ba->total_tokens > bb->total_tokens ? -1 : 1;
  return strcmp (ba->label, bb->label);
}

static void
add_daily_cells (TallyCsvWriter *writer,
                 const char *date,
                 gint64 requests,
                 gint64 input_tokens,
                 gint64 output_tokens,
                 gint64 cache_tokens,
                 gint64 total_tokens,
                 double cost,
                 double actual_cost)
{
  tally_csv_writer_add (writer, date);
  tally_csv_writer_add_int (writer, requests);
  tally_csv_writer_add_int (writer, input_tokens);
  tally_csv_writer_add_int (writer, output_tokens);
  tally_csv_writer_add_int (writer, cache_tokens);
  tally_csv_writer_add_int (writer, total_tokens);
  tally_csv_writer_add_double (writer, cost);
  tally_csv_writer_add_double (writer, actual_cost);
}

static void
add_model_cells (TallyCsvWriter *writer,
                 const char *model,
                 gint64 requests,
                 gint64 input_tokens,
                 gint64 output_tokens,
                 gint64 total_tokens,
                 double cost,
                 double actual_cost)
{
  tally_csv_writer_add (writer, model);
  tally_csv_writer_add_int (writer, requests);
  tally_csv_writer_add_int (writer, input_tokens);
  tally_csv_writer_add_int (writer, output_tokens);
  tally_csv_writer_add_int (writer, total_tokens);
  tally_csv_writer_add_double (writer, cost);
  tally_csv_writer_add_double (writer, actual_cost);
}

/* Row @index of the zero-filled days: the day's bucket, or zeros. */
static void
add_bucket_day_row (Report *report,
                    gpointer rows,
                    guint index)
{
  g_autoptr (TallyTrendPoint) point = g_list_model_get_item (rows, index);
  const char *date = tally_trend_point_get_date (point);
  const Bucket *bucket = g_hash_table_lookup (report->buckets, date);

  if (bucket != NULL)
    add_daily_cells (report->writer, date, bucket->requests, bucket->input_tokens,
                     bucket->output_tokens, bucket->cache_tokens,
                     bucket->total_tokens, bucket->cost, bucket->actual_cost);
  else
    add_daily_cells (report->writer, date, 0, 0, 0, 0, 0, 0.0, 0.0);
}

/* Row @index of the sorted array of model buckets. */
static void
add_bucket_model_row (Report *report,
                      gpointer rows,
                      guint index)
{
  const Bucket *bucket = g_ptr_array_index ((GPtrArray *) rows, index);

  add_model_cells (report->writer, bucket->label, bucket->requests,
                   bucket->input_tokens, bucket->output_tokens,
                   bucket->total_tokens, bucket->cost, bucket->actual_cost);
}

static void
aggregate_done_cb (GObject *object,
                   GAsyncResult *result,
                   gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Report *report = g_task_get_task_data (task);

  if (!report_foreach_finish (task, result))
    return;

  if (report->kind == TALLY_REPORT_DAILY)
    {
      g_autoptr (GListStore) empty = g_list_store_new (TALLY_TYPE_TREND_POINT);
      g_autoptr (GListModel) filled = NULL;

      filled = tally_trend_zero_fill (G_LIST_MODEL (empty), report->start_date,
                                      report->end_date, report->granularity);
      report_write_table (task, add_bucket_day_row, filled, g_list_model_get_n_items (filled));
    }
  else
    {
      g_autoptr (GPtrArray) sorted = g_ptr_array_new ();
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, report->buckets);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_ptr_array_add (sorted, value);
      g_ptr_array_sort (sorted, compare_model_buckets);
      report_write_table (task, add_bucket_model_row, sorted, sorted->len);
    }
}

/* Sums the filtered rows of [start_date, end_date] (the range the server resolved). */
static void
report_aggregate (GTask *task,
                  const char *start_date,
                  const char *end_date)
{
  Report *report = g_task_get_task_data (task);
  g_autoptr (TallyUsageQuery) query = tally_usage_query_copy (report->query);
  g_autoptr (GError) error = NULL;

  if (!tally_usage_query_set_range (query, start_date, end_date, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  report->start_date = g_strdup (start_date);
  report->end_date = g_strdup (end_date);
  report->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, bucket_free);

  tally_usage_snapshot_foreach_async (report->client,
                                      query,
                                      REPORT_PAGE_SIZE,
                                      REPORT_MAX_IN_FLIGHT,
                                      aggregate_page_cb,
                                      g_object_ref (task),
                                      g_object_unref,
                                      g_task_get_cancellable (task),
                                      aggregate_done_cb,
                                      g_object_ref (task));
}

/* Counts the dashboard's answer for [start_date, end_date] as a page; when the
 * query filters on what the dashboard ignores, sums the rows of that range
 * instead, and TRUE: the task is taken care of. */
static gboolean
report_aggregate_if_filtered (GTask *task,
                              const char *start_date,
                              const char *end_date)
{
  Report *report = g_task_get_task_data (task);

  report->pages++;

  if (!query_is_filtered (report->query))
    return FALSE;

  report_aggregate (task, start_date, end_date);
  return TRUE;
}

/* --------------------------------------------------------------- DAILY */

/* Row @index of the zero-filled trend points. */
static void
add_trend_point_row (Report *report,
                     gpointer rows,
                     guint index)
{
  g_autoptr (TallyTrendPoint) point = g_list_model_get_item (rows, index);

  add_daily_cells (report->writer,
                   tally_trend_point_get_date (point),
                   tally_trend_point_get_requests (point),
                   tally_trend_point_get_input_tokens (point),
                   tally_trend_point_get_output_tokens (point),
                   tally_trend_point_get_cache_tokens (point),
                   tally_trend_point_get_total_tokens (point),
                   tally_trend_point_get_cost (point),
                   tally_trend_point_get_actual_cost (point));
}

static void
daily_trend_cb (GObject *object,
                GAsyncResult *result,
                gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Report *report = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyTrend) trend = NULL;
  g_autoptr (GListModel) filled = NULL;

  trend = tally_client_get_trend_finish (report->client, result, &error);
  if (trend == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (report_aggregate_if_filtered (task, tally_trend_get_start_date (trend), tally_trend_get_end_date (trend)))
    return;

  filled = tally_trend_zero_fill (tally_trend_get_points (trend),
                                  tally_trend_get_start_date (trend),
                                  tally_trend_get_end_date (trend),
                                  report->granularity);
  report_write_table (task, add_trend_point_row, filled, g_list_model_get_n_items (filled));
}

/* -------------------------------------------------------------- MODELS */

/* Row @index of the models of a breakdown. */
static void
add_model_stat_row (Report *report,
                    gpointer rows,
                    guint index)
{
  g_autoptr (TallyModelStat) stat = g_list_model_get_item (rows, index);

  add_model_cells (report->writer,
                   tally_model_stat_get_model (stat),
                   tally_model_stat_get_requests (stat),
                   tally_model_stat_get_input_tokens (stat),
                   tally_model_stat_get_output_tokens (stat),
                   tally_model_stat_get_total_tokens (stat),
                   tally_model_stat_get_cost (stat),
                   tally_model_stat_get_actual_cost (stat));
}

static void
models_stats_cb (GObject *object,
                 GAsyncResult *result,
                 gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Report *report = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyModelBreakdown) breakdown = NULL;
  GListModel *models;

  breakdown = tally_client_get_model_stats_finish (report->client, result, &error);
  if (breakdown == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (report_aggregate_if_filtered (task,
                                    tally_model_breakdown_get_start_date (breakdown),
                                    tally_model_breakdown_get_end_date (breakdown)))
    return;

  models = tally_model_breakdown_get_models (breakdown);
  report_write_table (task, add_model_stat_row, models, g_list_model_get_n_items (models));
}

/* ---------------------------------------------------------------- KEYS */

typedef struct
{
  GTask *task;
  GListModel *keys;
} KeysStep;

/* The keys and their usage by api_key_id, for add_key_row(). */
typedef struct
{
  GListModel *keys;
  GHashTable *by_id;
} KeysRows;

/* Row @index of the keys, with its usage (zeros when the server has none). */
static void
add_key_row (Report *report,
             gpointer rows,
             guint index)
{
  KeysRows *keys_rows = rows;
  g_autoptr (TallyApiKey) key = g_list_model_get_item (keys_rows->keys, index);
  gint64 id = tally_api_key_get_id (key);
  TallyKeyUsage *key_usage = g_hash_table_lookup (keys_rows->by_id, &id);

  tally_csv_writer_add_int (report->writer, id);
  tally_csv_writer_add (report->writer, tally_api_key_get_name (key));
  tally_csv_writer_add (report->writer, tally_api_key_get_status (key));
  tally_csv_writer_add_double (report->writer,
                               key_usage != NULL ? tally_key_usage_get_today_actual_cost (key_usage) : 0.0);
  tally_csv_writer_add_double (report->writer,
                               key_usage != NULL ? tally_key_usage_get_total_actual_cost (key_usage) : 0.0);
}

static void
keys_usage_cb (GObject *object,
               GAsyncResult *result,
               gpointer user_data)
{
  KeysStep *step = user_data;
  g_autoptr (GTask) task = g_steal_pointer (&step->task);
  g_autoptr (GListModel) keys = g_steal_pointer (&step->keys);
  Report *report = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) usage = NULL;
  g_autoptr (GHashTable) by_id = NULL;
  KeysRows keys_rows;
  guint n_usage;

  g_free (step);

  usage = tally_client_get_keys_usage_finish (report->client, result, &error);
  if (usage == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  report->pages++;

  by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  n_usage = g_list_model_get_n_items (usage);
  for (guint i = 0; i < n_usage; i++)
    {
      TallyKeyUsage *key_usage = g_list_model_get_item (usage, i);
      gint64 *id = g_new (gint64, 1);

      *id = tally_key_usage_get_api_key_id (key_usage);
      g_hash_table_replace (by_id, id, key_usage);
    }

  keys_rows.keys = keys;
  keys_rows.by_id = by_id;
  report_write_table (task, add_key_row, &keys_rows, g_list_model_get_n_items (keys));
}

static void
keys_list_cb (GObject *object,
              GAsyncResult *result,
              gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Report *report = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) keys = NULL;
  g_autoptr (GArray) ids = NULL;
  KeysStep *step;
  guint n_keys;

  keys = tally_client_list_all_keys_finish (report->client, result, &error);
  if (keys == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  report->pages++;

  n_keys = g_list_model_get_n_items (keys);
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_keys);
  for (guint i = 0; i < n_keys; i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
      gint64 id = tally_api_key_get_id (key);

      g_array_append_val (ids, id);
    }

  step = g_new0 (KeysStep, 1);
  step->task = g_object_ref (task);
  step->keys = g_steal_pointer (&keys);

  tally_client_get_keys_usage_async (report->client,
                                     (const gint64 *) (gpointer) ids->data,
                                     ids->len,
                                     g_task_get_cancellable (task),
                                     keys_usage_cb,
                                     step);
}

/* ---------------------------------------------------------- public API */

void
tally_report_write_csv_async (TallyClient *client,
                              TallyReportKind kind,
                              const TallyUsageQuery *query,
                              TallyGranularity granularity,
                              GOutputStream *stream,
                              TallyReportProgress progress,
                              gpointer progress_data,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  Report *report;

  g_return_if_fail (TALLY_IS_CLIENT (client));
  g_return_if_fail (kind >= TALLY_REPORT_LOGS && kind <= TALLY_REPORT_KEYS);
  g_return_if_fail (G_IS_OUTPUT_STREAM (stream));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  report = g_new0 (Report, 1);
  report->client = g_object_ref (client);
  report->kind = kind;
  report->query = query != NULL ? tally_usage_query_copy (query) : tally_usage_query_new ();
  report->granularity = granularity;
  report->stream = g_object_ref (stream);
  report->writer = tally_csv_writer_new (stream);
  report->progress = progress;
  report->progress_data = progress_data;
  report->key_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_report_write_csv_async);
  g_task_set_task_data (task, report, report_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  switch (kind)
    {
      case TALLY_REPORT_LOGS:
        tally_client_list_all_keys_async (client, cancellable, logs_keys_cb, g_object_ref (task));
        break;

      case TALLY_REPORT_DAILY:
        tally_client_get_trend_async (client,
                                      tally_usage_query_get_start_date (report->query),
                                      tally_usage_query_get_end_date (report->query),
                                      granularity,
                                      cancellable,
                                      daily_trend_cb,
                                      g_object_ref (task));
        break;

      case TALLY_REPORT_MODELS:
        tally_client_get_model_stats_async (client,
                                            tally_usage_query_get_start_date (report->query),
                                            tally_usage_query_get_end_date (report->query),
                                            cancellable,
                                            models_stats_cb,
                                            g_object_ref (task));
        break;

      case TALLY_REPORT_KEYS:
        tally_client_list_all_keys_async (client, cancellable, keys_list_cb, g_object_ref (task));
        break;

      default:
        g_assert_not_reached ();
    }
}

gboolean
tally_report_write_csv_finish (GAsyncResult *result,
                               GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tally_report_write_csv_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* -------------------------------------------------------------- export */

static void
export_written_cb (GObject *object,
                   GAsyncResult *result,
                   gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GOutputStream *out = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!tally_report_write_csv_finish (result, &error))
    {
      tally_atomic_file_abort (out);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A cancel that arrives after the last row still wins: no file. */
  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      tally_atomic_file_abort (out);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!tally_atomic_file_commit (out, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
tally_report_export_csv_async (TallyClient *client,
                               TallyReportKind kind,
                               const TallyUsageQuery *query,
                               TallyGranularity granularity,
                               GFile *target,
                               TallyReportProgress progress,
                               gpointer progress_data,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GOutputStream) out = NULL;
  g_autoptr (GError) error = NULL;

  g_return_if_fail (TALLY_IS_CLIENT (client));
  g_return_if_fail (kind >= TALLY_REPORT_LOGS && kind <= TALLY_REPORT_KEYS);
  g_return_if_fail (G_IS_FILE (target));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_report_export_csv_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  out = tally_atomic_file_open (target, cancellable, &error);
  if (out == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_set_task_data (task, g_object_ref (out), g_object_unref);

  tally_report_write_csv_async (client, kind, query, granularity, out,
                                progress, progress_data, cancellable,
                                export_written_cb, g_object_ref (task));
}

gboolean
tally_report_export_csv_finish (GAsyncResult *result,
                                GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tally_report_export_csv_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

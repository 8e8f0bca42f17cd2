/* tally-report-pdf-data.c: the figures of the one-page PDF summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-report-pdf-data"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-api-key.h"
#include "tally-client.h"
#include "tally-csv.h"
#include "tally-error.h"
#include "tally-key-cost.h"
#include "tally-model-breakdown.h"
#include "tally-page.h"
#include "tally-public-settings.h"
#include "tally-report-pdf-data.h"
#include "tally-server-time.h"
#include "tally-trend.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-usage-stats.h"

typedef struct
{
  TallyApiKey *key;
  TallyUsageStats *stats;
} KeyRow;

struct _TallyReportPdfData
{
  GObject parent_instance;

  char *server_label;
  char *account_label;
  char *start_date;
  char *end_date;
  GListModel *points; /* zero-filled TallyTrendPoint */
  TallyUsageStats *stats;
  TallyModelBreakdown *models;
  GPtrArray *key_rows; /* KeyRow, sorted once complete */
  gboolean offset_known;
  int utc_offset;        /* older servers: the newest row's offset */
  TallyServerZone *zone; /* the zone /settings/public names, or NULL */
  gint64 server_now;     /* the server's clock when the data came, unix s */

  /* the deleted keys' row, computed once complete */
  gboolean has_deleted;
  gint64 deleted_requests;
  gint64 deleted_tokens;
  double deleted_cost;
  double deleted_actual_cost;
};

G_DEFINE_FINAL_TYPE (TallyReportPdfData, tally_report_pdf_data, G_TYPE_OBJECT)

static void
key_row_free (gpointer data)
{
  KeyRow *row = data;

  g_clear_object (&row->key);
  g_clear_object (&row->stats);
  g_free (row);
}

static void
tally_report_pdf_data_finalize (GObject *object)
{
  TallyReportPdfData *self = (TallyReportPdfData *) object;

  g_clear_pointer (&self->server_label, g_free);
  g_clear_pointer (&self->account_label, g_free);
  g_clear_pointer (&self->start_date, g_free);
  g_clear_pointer (&self->end_date, g_free);
  g_clear_object (&self->points);
  g_clear_object (&self->stats);
  g_clear_object (&self->models);
  g_clear_pointer (&self->key_rows, g_ptr_array_unref);
  g_clear_pointer (&self->zone, tally_server_zone_unref);

  G_OBJECT_CLASS (tally_report_pdf_data_parent_class)->finalize (object);
}

static void
tally_report_pdf_data_class_init (TallyReportPdfDataClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tally_report_pdf_data_finalize;
}

static void
tally_report_pdf_data_init (TallyReportPdfData *self)
{
  self->key_rows = g_ptr_array_new_with_free_func (key_row_free);
}

static int
compare_key_rows (gconstpointer a,
                  gconstpointer b)
{
  const KeyRow *ra = *(const KeyRow *const *) a;
  const KeyRow *rb = *(const KeyRow *const *) b;
  double ca = tally_usage_stats_get_total_actual_cost (ra->stats);
  double cb = tally_usage_stats_get_total_actual_cost (rb->stats);
  gint64 ia = tally_api_key_get_id (ra->key);
  gint64 ib = tally_api_key_get_id (rb->key);

  if (ca != cb)
    return ca > cb ? -1 : 1;
  return ia < ib ? -1 : ia > ib ? 1
                                : 0;
}

/* Sorts the keys and works out the deleted keys' row (every fetch succeeded). */
static void
finish_data (TallyReportPdfData *self)
{
  gint64 sum_requests = 0, sum_tokens = 0;
  double sum_cost = 0, sum_actual = 0;

  g_ptr_array_sort (self->key_rows, compare_key_rows);

  for (guint i = 0; i < self->key_rows->len; i++)
    {
      const KeyRow *row = g_ptr_array_index (self->key_rows, i);

      sum_requests += tally_usage_stats_get_total_requests (row->stats);
      sum_tokens += tally_usage_stats_get_total_tokens (row->stats);
      sum_cost += tally_usage_stats_get_total_cost (row->stats);
      sum_actual += tally_usage_stats_get_total_actual_cost (row->stats);
    }

  /* Usage of deleted keys counts in the totals but no key lists it (API.md §5.6). */
  self->deleted_requests = MAX (tally_usage_stats_get_total_requests (self->stats) - sum_requests, 0);
  self->deleted_tokens = MAX (tally_usage_stats_get_total_tokens (self->stats) - sum_tokens, 0);
  self->deleted_cost = MAX (tally_usage_stats_get_total_cost (self->stats) - sum_cost, 0.0);
  /* the rule of the window and `tally keys`, over the report's range */
  self->has_deleted = tally_deleted_keys (0, tally_usage_stats_get_total_actual_cost (self->stats), 0, sum_actual,
                                          NULL, &self->deleted_actual_cost);
}

typedef struct
{
  TallyClient *client;
  TallyUsageQuery *query;
  TallyReportPdfData *data; /* being filled */

  guint pending;
  GError *error; /* the first failure */
} Gather;

static void
gather_free (gpointer data)
{
  Gather *gather = data;

  g_clear_object (&gather->client);
  g_clear_pointer (&gather->query, tally_usage_query_free);
  g_clear_object (&gather->data);
  g_clear_error (&gather->error);
  g_free (gather);
}

/* ------------------------------------------------------------ fetching */

/* Every fetch finished: the first failure, or the data. */
static void
gather_complete (GTask *task)
{
  Gather *gather = g_task_get_task_data (task);

  if (gather->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&gather->error));
      return;
    }

  finish_data (gather->data);
  gather->data->server_now = g_get_real_time () / G_USEC_PER_SEC + tally_client_get_clock_skew (gather->client);
  g_task_return_pointer (task, g_object_ref (gather->data), g_object_unref);
}

/* One fetch of the second stage finished (successfully or with @error). */
static void
gather_step_done (GTask *task,
                  GError *error)
{
  Gather *gather = g_task_get_task_data (task);

  if (error != NULL)
    {
      if (gather->error == NULL)
        gather->error = error;
      else
        g_error_free (error);
    }

  g_assert (gather->pending > 0);
  if (--gather->pending == 0)
    gather_complete (task);
}

static void
stats_cb (GObject *object,
          GAsyncResult *result,
          gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Gather *gather = g_task_get_task_data (task);
  GError *error = NULL;

  gather->data->stats = tally_client_get_usage_stats_finish (gather->client, result, &error);
  gather_step_done (task, error);
}

static void
models_cb (GObject *object,
           GAsyncResult *result,
           gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Gather *gather = g_task_get_task_data (task);
  GError *error = NULL;

  gather->data->models = tally_client_get_model_stats_finish (gather->client, result, &error);
  gather_step_done (task, error);
}

static void
offset_cb (GObject *object,
           GAsyncResult *result,
           gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Gather *gather = g_task_get_task_data (task);
  TallyReportPdfData *data = gather->data;
  g_autoptr (TallyPage) page = NULL;
  GError *error = NULL;

  page = tally_client_list_usage_finish (gather->client, result, &error);
  if (page != NULL)
    {
      GListModel *items = tally_page_get_items (page);

      if (g_list_model_get_n_items (items) > 0)
        {
          g_autoptr (TallyUsageLog) log = g_list_model_get_item (items, 0);

          data->offset_known = tally_utc_offset_from_timestamp (tally_usage_log_get_created_at_raw (log), &data->utc_offset);
        }
    }

  gather_step_done (task, error);
}

static void
settings_cb (GObject *object,
             GAsyncResult *result,
             gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Gather *gather = g_task_get_task_data (task);
  g_autoptr (TallyPublicSettings) settings = NULL;
  g_autoptr (GError) error = NULL;

  /* Best effort: without it the newest row's offset is used. */
  settings = tally_client_get_public_settings_finish (gather->client, result, &error);
  if (settings != NULL)
    gather->data->zone = tally_server_zone_new_from_settings (tally_public_settings_get_server_timezone (settings),
                                                              tally_public_settings_get_server_utc_offset (settings));

  gather_step_done (task, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? g_steal_pointer (&error) : NULL);
}

typedef struct
{
  GTask *task;
  KeyRow *row;
} KeyStep;

static void
key_stats_cb (GObject *object,
              GAsyncResult *result,
              gpointer user_data)
{
  KeyStep *step = user_data;
  g_autoptr (GTask) task = step->task;
  Gather *gather = g_task_get_task_data (task);
  GError *error = NULL;

  step->row->stats = tally_client_get_usage_stats_finish (gather->client, result, &error);
  g_free (step);
  gather_step_done (task, error);
}

static void
keys_cb (GObject *object,
         GAsyncResult *result,
         gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Gather *gather = g_task_get_task_data (task);
  TallyReportPdfData *data = gather->data;
  g_autoptr (GListModel) keys = NULL;
  GError *error = NULL;
  guint n_keys;

  keys = tally_client_list_all_keys_finish (gather->client, result, &error);
  if (keys == NULL)
    {
      gather_step_done (task, error);
      return;
    }

  n_keys = g_list_model_get_n_items (keys);
  for (guint i = 0; i < n_keys; i++)
    {
      g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
      KeyStep *step = g_new0 (KeyStep, 1);
      KeyRow *row = g_new0 (KeyRow, 1);

      row->key = g_list_model_get_item (keys, i);
      g_ptr_array_add (data->key_rows, row);

      tally_usage_query_set_api_key_id (query, tally_api_key_get_id (row->key));
      tally_usage_query_set_range (query, data->start_date, data->end_date, NULL);

      step->task = g_object_ref (task);
      step->row = row;
      gather->pending++;
      tally_client_get_usage_stats_async (gather->client, query, g_task_get_cancellable (task),
                                          key_stats_cb, step);
    }

  gather_step_done (task, NULL);
}

static void
trend_cb (GObject *object,
          GAsyncResult *result,
          gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Gather *gather = g_task_get_task_data (task);
  TallyReportPdfData *data = gather->data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (TallyTrend) trend = NULL;
  g_autoptr (TallyUsageQuery) range = tally_usage_query_new ();
  g_autoptr (GError) error = NULL;

  trend = tally_client_get_trend_finish (gather->client, result, &error);
  if (trend == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The range the server resolved (it fills in defaults for missing dates). */
  data->start_date = g_strdup (tally_trend_get_start_date (trend));
  data->end_date = g_strdup (tally_trend_get_end_date (trend));
  data->points = tally_trend_zero_fill (tally_trend_get_points (trend), data->start_date,
                                        data->end_date, TALLY_GRANULARITY_DAY);

  if (!tally_usage_query_set_range (range, data->start_date, data->end_date, NULL))
    {
      g_task_return_new_error (task, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE,
                               _ ("The server answered with an invalid range (%s to %s)"),
                               data->start_date, data->end_date);
      return;
    }

  gather->pending = 5;
  tally_client_get_usage_stats_async (gather->client, range, cancellable, stats_cb, g_object_ref (task));
  tally_client_get_model_stats_async (gather->client, data->start_date, data->end_date, cancellable,
                                      models_cb, g_object_ref (task));
  tally_client_list_all_keys_async (gather->client, cancellable, keys_cb, g_object_ref (task));
  /* The newest row carries the server's UTC offset in its timestamp. */
  tally_client_list_usage_async (gather->client, NULL, 1, 1, cancellable, offset_cb, g_object_ref (task));
  /* A today's server names its zone. */
  tally_client_get_public_settings_async (gather->client, cancellable, settings_cb, g_object_ref (task));
}

void
tally_report_pdf_data_gather_async (TallyClient *client,
                                    const TallyUsageQuery *query,
                                    const char *server_label,
                                    const char *account_label,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  Gather *gather;

  g_return_if_fail (TALLY_IS_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  gather = g_new0 (Gather, 1);
  gather->client = g_object_ref (client);
  gather->query = query != NULL ? tally_usage_query_copy (query) : tally_usage_query_new ();
  gather->data = g_object_new (TALLY_TYPE_REPORT_PDF_DATA, NULL);
  gather->data->server_label = g_strdup (server_label);
  gather->data->account_label = g_strdup (account_label);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_report_pdf_data_gather_async);
  g_task_set_task_data (task, gather, gather_free);
  /* The first failure wins over a cancel that came after it (the export
   * checks the cancellable itself once the data is there). */
  g_task_set_check_cancellable (task, FALSE);

  if (g_task_return_error_if_cancelled (task))
    return;

  tally_client_get_trend_async (client,
                                tally_usage_query_get_start_date (gather->query),
                                tally_usage_query_get_end_date (gather->query),
                                TALLY_GRANULARITY_DAY,
                                cancellable,
                                trend_cb,
                                g_object_ref (task));
}

/**
 * tally_report_pdf_data_gather_finish:
 *
 * Returns: (transfer full) (nullable): the data, or NULL with @error set
 */
TallyReportPdfData *
tally_report_pdf_data_gather_finish (GAsyncResult *result,
                                     GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tally_report_pdf_data_gather_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ----------------------------------------------------------- the data */

const char *
tally_report_pdf_data_get_server_label (TallyReportPdfData *self)
{
  g_return_val_if_fail (TALLY_IS_REPORT_PDF_DATA (self), NULL);

  return self->server_label;
}

const char *
tally_report_pdf_data_get_account_label (TallyReportPdfData *self)
{
  g_return_val_if_fail (TALLY_IS_REPORT_PDF_DATA (self), NULL);

  return self->account_label;
}

const char *
tally_report_pdf_data_get_start_date (TallyReportPdfData *self)
{
  g_return_val_if_fail (TALLY_IS_REPORT_PDF_DATA (self), NULL);

  return self->start_date;
}

const char *
tally_report_pdf_data_get_end_date (TallyReportPdfData *self)
{
  g_return_val_if_fail (TALLY_IS_REPORT_PDF_DATA (self), NULL);

  return self->end_date;
}

/**
 * tally_report_pdf_data_get_days:
 *
 * Returns: (transfer none): a TallyTrendPoint per day
 */
GListModel *
tally_report_pdf_data_get_days (TallyReportPdfData *self)
{
  g_return_val_if_fail (TALLY_IS_REPORT_PDF_DATA (self), NULL);

  return self->points;
}

/**
 * tally_report_pdf_data_get_totals:
 *
 * Returns: (transfer none): the range's statistics
 */
TallyUsageStats *
tally_report_pdf_data_get_totals (TallyReportPdfData *self)
{
  g_return_val_if_fail (TALLY_IS_REPORT_PDF_DATA (self), NULL);

  return self->stats;
}

/**
 * tally_report_pdf_data_get_models:
 *
 * Returns: (transfer none): a TallyModelStat per model
 */
GListModel *
tally_report_pdf_data_get_models (TallyReportPdfData *self)
{
  g_return_val_if_fail (TALLY_IS_REPORT_PDF_DATA (self), NULL);

  return tally_model_breakdown_get_models (self->models);
}

guint
tally_report_pdf_data_get_n_keys (TallyReportPdfData *self)
{
  g_return_val_if_fail (TALLY_IS_REPORT_PDF_DATA (self), 0);

  return self->key_rows->len;
}

static const KeyRow *
get_key_row (TallyReportPdfData *self,
             guint index)
{
  return g_ptr_array_index (self->key_rows, index);
}

/**
 * tally_report_pdf_data_get_key:
 *
 * Returns: (transfer none): the key at @index
 */
TallyApiKey *
tally_report_pdf_data_get_key (TallyReportPdfData *self,
                               guint index)
{
  g_return_val_if_fail (TALLY_IS_REPORT_PDF_DATA (self), NULL);
  g_return_val_if_fail (index < self->key_rows->len, NULL);

  return get_key_row (self, index)->key;
}

/**
 * tally_report_pdf_data_get_key_stats:
 *
 * Returns: (transfer none): the range's statistics of the key at @index
 */
TallyUsageStats *
tally_report_pdf_data_get_key_stats (TallyReportPdfData *self,
                                     guint index)
{
  g_return_val_if_fail (TALLY_IS_REPORT_PDF_DATA (self), NULL);
  g_return_val_if_fail (index < self->key_rows->len, NULL);

  return get_key_row (self, index)->stats;
}

gboolean
tally_report_pdf_data_get_deleted_keys (TallyReportPdfData *self,
                                        gint64 *requests,
                                        gint64 *tokens,
                                        double *cost,
                                        double *actual_cost)
{
  g_return_val_if_fail (TALLY_IS_REPORT_PDF_DATA (self), FALSE);

  if (requests != NULL)
    *requests = self->deleted_requests;
  if (tokens != NULL)
    *tokens = self->deleted_tokens;
  if (cost != NULL)
    *cost = self->deleted_cost;
  if (actual_cost != NULL)
    *actual_cost = self->deleted_actual_cost;

  return self->has_deleted;
}

/**
 * tally_report_pdf_data_get_zone:
 *
 * Returns: (transfer none) (nullable): the server's named zone
 */
TallyServerZone *
tally_report_pdf_data_get_zone (TallyReportPdfData *self)
{
  g_return_val_if_fail (TALLY_IS_REPORT_PDF_DATA (self), NULL);

  return self->zone;
}

char *
tally_report_pdf_data_format_server_now (TallyReportPdfData *self)
{
  int offset;

  g_return_val_if_fail (TALLY_IS_REPORT_PDF_DATA (self), NULL);

  if (self->server_now <= 0)
    return NULL;
  if (self->zone != NULL)
    return tally_server_zone_format_time (self->zone, self->server_now);
  if (tally_report_pdf_data_get_utc_offset (self, &offset))
    {
      g_autoptr (TallyServerZone) zone = tally_server_zone_new_offset (offset);

      return tally_server_zone_format_time (zone, self->server_now);
    }
  return NULL;
}

gboolean
tally_report_pdf_data_get_utc_offset (TallyReportPdfData *self,
                                      int *offset)
{
  g_return_val_if_fail (TALLY_IS_REPORT_PDF_DATA (self), FALSE);

  if (offset != NULL)
    *offset = self->offset_known ? self->utc_offset : 0;

  return self->offset_known;
}

/* ------------------------------------------------------------- export */

typedef struct
{
  GOutputStream *out;
  TallyReportPdfWriteFunc write_func;
} Export;

static void
export_free (gpointer data)
{
  Export *export = data;

  if (export->out != NULL)
    tally_atomic_file_abort (export->out);
  g_clear_object (&export->out);
  g_free (export);
}

/* Fails the task; the temporary file goes at once (the target is untouched). */
static void
export_fail (GTask *task,
             GError *error)
{
  Export *export = g_task_get_task_data (task);

  if (export->out != NULL)
    tally_atomic_file_abort (export->out);
  g_task_return_error (task, error);
}

static gboolean
export_fail_if_cancelled (GTask *task)
{
  GError *error = NULL;

  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    return FALSE;

  export_fail (task, error);
  return TRUE;
}

static void
gathered_cb (GObject *object,
             GAsyncResult *result,
             gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Export *export = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (TallyReportPdfData) data = NULL;
  g_autoptr (GOutputStream) out = NULL;
  g_autoptr (GError) error = NULL;

  data = tally_report_pdf_data_gather_finish (result, &error);
  if (data == NULL)
    {
      export_fail (task, g_steal_pointer (&error));
      return;
    }

  if (export_fail_if_cancelled (task))
    return;

  if (!export->write_func (data, export->out, &error))
    {
      export_fail (task, g_steal_pointer (&error));
      return;
    }

  /* A cancel that arrives while drawing still wins: no file. */
  if (export_fail_if_cancelled (task))
    return;

  out = g_steal_pointer (&export->out);
  if (!tally_atomic_file_commit (out, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
tally_report_export_pdf_async (TallyClient *client,
                               const TallyUsageQuery *query,
                               const char *server_label,
                               const char *account_label,
                               GFile *target,
                               TallyReportPdfWriteFunc write_func,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  Export *export;

  g_return_if_fail (TALLY_IS_CLIENT (client));
  g_return_if_fail (G_IS_FILE (target));
  g_return_if_fail (write_func != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  export = g_new0 (Export, 1);
  export->write_func = write_func;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_report_export_pdf_async);
  g_task_set_task_data (task, export, export_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  export->out = tally_atomic_file_open (target, cancellable, &error);
  if (export->out == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  tally_report_pdf_data_gather_async (client, query, server_label, account_label, cancellable,
                                      gathered_cb, g_object_ref (task));
}

gboolean
tally_report_export_pdf_finish (GAsyncResult *result,
                                GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tally_report_export_pdf_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

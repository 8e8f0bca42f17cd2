/* tally-report-pdf.c: the one-page PDF usage summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-report-pdf"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "tally-api-key.h"
#include "tally-chart-palette.h"
#include "tally-client.h"
#include "tally-csv.h"
#include "tally-error.h"
#include "tally-format.h"
#include "tally-key-cost.h"
#include "tally-model-breakdown.h"
#include "tally-model-stat.h"
#include "tally-page.h"
#include "tally-public-settings.h"
#include "tally-report-pdf.h"
#include "tally-server-time.h"
#include "tally-server-zone.h"
#include "tally-trend-chart-draw.h"
#include "tally-trend.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-usage-stats.h"

typedef struct
{
  TallyApiKey *key;
  TallyUsageStats *stats;
} KeyRow;

typedef struct
{
  TallyClient *client;
  TallyUsageQuery *query;
  char *server_label;
  char *account_label;
  GOutputStream *out;

  /* fetched */
  char *start_date;
  char *end_date;
  GListModel *points; /* zero-filled TallyTrendPoint */
  TallyUsageStats *stats;
  TallyModelBreakdown *models;
  GPtrArray *key_rows; /* KeyRow */
  gboolean offset_known;
  int utc_offset;        /* older servers: the newest row's offset */
  TallyServerZone *zone; /* the zone /settings/public names, or NULL */

  guint pending;
  GError *error; /* the first failure */

  /* while writing */
  GError *write_error;
} PdfReport;

static void
key_row_free (gpointer data)
{
  KeyRow *row = data;

  g_clear_object (&row->key);
  g_clear_object (&row->stats);
  g_free (row);
}

static void
pdf_report_free (gpointer data)
{
  PdfReport *report = data;

  if (report->out != NULL)
    tally_atomic_file_abort (report->out);
  g_clear_object (&report->out);
  g_clear_object (&report->client);
  g_clear_pointer (&report->query, tally_usage_query_free);
  g_clear_pointer (&report->server_label, g_free);
  g_clear_pointer (&report->account_label, g_free);
  g_clear_pointer (&report->start_date, g_free);
  g_clear_pointer (&report->end_date, g_free);
  g_clear_object (&report->points);
  g_clear_object (&report->stats);
  g_clear_object (&report->models);
  g_clear_pointer (&report->key_rows, g_ptr_array_unref);
  g_clear_pointer (&report->zone, tally_server_zone_unref);
  g_clear_error (&report->error);
  g_clear_error (&report->write_error);
  g_free (report);
}

/* ------------------------------------------------------------ fetching */

/* Fails the task; the temporary file goes at once (the target is untouched). */
static void
report_fail (GTask *task,
             GError *error)
{
  PdfReport *report = g_task_get_task_data (task);

  if (report->out != NULL)
    tally_atomic_file_abort (report->out);
  g_task_return_error (task, error);
}

static gboolean
report_fail_if_cancelled (GTask *task)
{
  GError *error = NULL;

  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    return FALSE;

  report_fail (task, error);
  return TRUE;
}

static void
report_complete (GTask *task)
{
  PdfReport *report = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (GOutputStream) out = NULL;
  g_autoptr (GError) error = NULL;

  if (report->error != NULL)
    {
      report_fail (task, g_steal_pointer (&report->error));
      return;
    }

  if (report_fail_if_cancelled (task))
    return;

  if (!render (report, &error))
    {
      report_fail (task, g_steal_pointer (&error));
      return;
    }

  /* A cancel that arrives while drawing still wins: no file. */
  if (report_fail_if_cancelled (task))
    return;

  out = g_steal_pointer (&report->out);
  if (!tally_atomic_file_commit (out, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* One fetch of the second stage finished (successfully or with @error). */
static void
report_step_done (GTask *task,
                  GError *error)
{
  PdfReport *report = g_task_get_task_data (task);

  if (error != NULL)
    {
      if (report->error == NULL)
        report->error = error;
      else
        g_error_free (error);
    }

  g_assert (report->pending > 0);
  if (--report->pending == 0)
    report_complete (task);
}

static void
stats_cb (GObject *object,
          GAsyncResult *result,
          gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PdfReport *report = g_task_get_task_data (task);
  GError *error = NULL;

  report->stats = tally_client_get_usage_stats_finish (report->client, result, &error);
  report_step_done (task, error);
}

static void
models_cb (GObject *object,
           GAsyncResult *result,
           gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PdfReport *report = g_task_get_task_data (task);
  GError *error = NULL;

  report->models = tally_client_get_model_stats_finish (report->client, result, &error);
  report_step_done (task, error);
}

static void
offset_cb (GObject *object,
           GAsyncResult *result,
           gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PdfReport *report = g_task_get_task_data (task);
  g_autoptr (TallyPage) page = NULL;
  GError *error = NULL;

  page = tally_client_list_usage_finish (report->client, result, &error);
  if (page != NULL)
    {
      GListModel *items = tally_page_get_items (page);

      if (g_list_model_get_n_items (items) > 0)
        {
          g_autoptr (TallyUsageLog) log = g_list_model_get_item (items, 0);

          report->offset_known = tally_utc_offset_from_timestamp (tally_usage_log_get_created_at_raw (log), &report->utc_offset);
        }
    }

  report_step_done (task, error);
}

static void
settings_cb (GObject *object,
             GAsyncResult *result,
             gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PdfReport *report = g_task_get_task_data (task);
  g_autoptr (TallyPublicSettings) settings = NULL;
  g_autoptr (GError) error = NULL;

  /* Best effort: without it the newest row's offset is used. */
  settings = tally_client_get_public_settings_finish (report->client, result, &error);
  if (settings != NULL)
    report->zone = tally_server_zone_new_from_settings (tally_public_settings_get_server_timezone (settings),
                                                        tally_public_settings_get_server_utc_offset (settings));

  report_step_done (task, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? g_steal_pointer (&error) : NULL);
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
  PdfReport *report = g_task_get_task_data (task);
  GError *error = NULL;

  step->row->stats = tally_client_get_usage_stats_finish (report->client, result, &error);
  g_free (step);
  report_step_done (task, error);
}

static void
keys_cb (GObject *object,
         GAsyncResult *result,
         gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PdfReport *report = g_task_get_task_data (task);
  g_autoptr (GListModel) keys = NULL;
  GError *error = NULL;
  guint n_keys;

  keys = tally_client_list_all_keys_finish (report->client, result, &error);
  if (keys == NULL)
    {
      report_step_done (task, error);
      return;
    }

  n_keys = g_list_model_get_n_items (keys);
  for (guint i = 0; i < n_keys; i++)
    {
      g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
      KeyStep *step = g_new0 (KeyStep, 1);
      KeyRow *row = g_new0 (KeyRow, 1);

      row->key = g_list_model_get_item (keys, i);
      g_ptr_array_add (report->key_rows, row);

      tally_usage_query_set_api_key_id (query, tally_api_key_get_id (row->key));
      tally_usage_query_set_range (query, report->start_date, report->end_date, NULL);

      step->task = g_object_ref (task);
      step->row = row;
      report->pending++;
      tally_client_get_usage_stats_async (report->client, query, g_task_get_cancellable (task),
                                          key_stats_cb, step);
    }

  report_step_done (task, NULL);
}

static void
trend_cb (GObject *object,
          GAsyncResult *result,
          gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PdfReport *report = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (TallyTrend) trend = NULL;
  g_autoptr (TallyUsageQuery) range = tally_usage_query_new ();
  g_autoptr (GError) error = NULL;

  trend = tally_client_get_trend_finish (report->client, result, &error);
  if (trend == NULL)
    {
      report_fail (task, g_steal_pointer (&error));
      return;
    }

  /* The range the server resolved (it fills in defaults for missing dates). */
  report->start_date = g_strdup (tally_trend_get_start_date (trend));
  report->end_date = g_strdup (tally_trend_get_end_date (trend));
  report->points = tally_trend_zero_fill (tally_trend_get_points (trend), report->start_date,
                                          report->end_date, TALLY_GRANULARITY_DAY);

  if (!tally_usage_query_set_range (range, report->start_date, report->end_date, NULL))
    {
      report_fail (task, g_error_new (TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE,
                                      _("The server answered with an invalid range (%s to %s)"),
                                         report->start_date, report->end_date));
      return;
    }

  report->pending = 5;
  tally_client_get_usage_stats_async (report->client, range, cancellable, stats_cb, g_object_ref (task));
  tally_client_get_model_stats_async (report->client, report->start_date, report->end_date, cancellable,
                                      models_cb, g_object_ref (task));
  tally_client_list_all_keys_async (report->client, cancellable, keys_cb, g_object_ref (task));
  /* The newest row carries the server's UTC offset in its timestamp. */
  tally_client_list_usage_async (report->client, NULL, 1, 1, cancellable, offset_cb, g_object_ref (task));
  /* A today's server names its zone. */
  tally_client_get_public_settings_async (report->client, cancellable, settings_cb, g_object_ref (task));
}

/* ---------------------------------------------------------- public API */

void
tally_report_pdf_export_async (TallyClient *client,
                               const TallyUsageQuery *query,
                               const char *server_label,
                               const char *account_label,
                               GFile *target,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  PdfReport *report;

  g_return_if_fail (TALLY_IS_CLIENT (client));
  g_return_if_fail (G_IS_FILE (target));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  report = g_new0 (PdfReport, 1);
  report->client = g_object_ref (client);
  report->query = query != NULL ? tally_usage_query_copy (query) : tally_usage_query_new ();
  report->server_label = g_strdup (server_label);
  report->account_label = g_strdup (account_label);
  report->key_rows = g_ptr_array_new_with_free_func (key_row_free);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_report_pdf_export_async);
  g_task_set_task_data (task, report, pdf_report_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  report->out = tally_atomic_file_open (target, cancellable, &error);
  if (report->out == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  tally_client_get_trend_async (client,
                                tally_usage_query_get_start_date (report->query),
                                tally_usage_query_get_end_date (report->query),
                                TALLY_GRANULARITY_DAY,
                                cancellable,
                                trend_cb,
                                g_object_ref (task));
}

gboolean
tally_report_pdf_export_finish (GAsyncResult *result,
                                GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tally_report_pdf_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* tally-usage-totals.c: the totals of a usage query on every server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-usage-totals"

#include "config.h"

#include <math.h>

#include "tally-client.h"
#include "tally-models-private.h"
#include "tally-page.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-usage-snapshot.h"
#include "tally-usage-totals.h"

/* the smallest page_size only a server newer than December 2025 accepts */
#define PROBE_PAGE_SIZE 101
#define S_MAX_PAGE_SIZE 100
#define COUNT_PAGE_SIZE 0 /* the largest the server takes */
#define COUNT_MAX_IN_FLIGHT 4
/* the server's unit of money: DECIMAL(20,10) */
#define UNITS_PER_USD 1e10

typedef enum
{
  SERVER_UNKNOWN = 0,
  SERVER_STATS_FILTERS, /* /usage/stats honours model, stream, billing_type */
  SERVER_2025,          /* it ignores them */
} ServerKind;

static GQuark
server_kind_quark (void)
{
  return g_quark_from_static_string ("tally-usage-totals-server-kind");
}

typedef struct
{
  TallyUsageQuery *query;
  TallyUsageTotalsProgress progress;
  gpointer progress_data;
  GDestroyNotify progress_destroy;

  gint64 total; /* page 1's total, -1 before it */
  gint64 requests;
  gint64 input_tokens;
  gint64 output_tokens;
  gint64 cache_creation_tokens;
  gint64 cache_read_tokens;
  gint64 cost_units;
  gint64 actual_cost_units;
  gint64 duration_sum;
} TotalsData;

static void
totals_data_free (TotalsData *data)
{
  if (data->progress_destroy != NULL)
    data->progress_destroy (data->progress_data);
  tally_usage_query_free (data->query);
  g_free (data);
}

static ServerKind
get_server_kind (TallyClient *client)
{
  return GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (client), server_kind_quark ()));
}

static void
set_server_kind (TallyClient *client,
                 ServerKind kind)
{
  g_object_set_qdata (G_OBJECT (client), server_kind_quark (), GUINT_TO_POINTER (kind));
}

static gboolean
has_filter_s_ignores (const TallyUsageQuery *query)
{
  return tally_usage_query_get_model (query) != NULL || tally_usage_query_get_stream (query) != TALLY_STREAM_ANY || tally_usage_query_get_billing (query) != TALLY_BILLING_ANY;
}

static gboolean
has_open_end (const TallyUsageQuery *query)
{
  return tally_usage_query_get_start_date (query) == NULL || tally_usage_query_get_end_date (query) == NULL;
}

gboolean
tally_usage_totals_may_count (const TallyUsageQuery *query)
{
  g_return_val_if_fail (query != NULL, FALSE);

  return has_filter_s_ignores (query) || has_open_end (query);
}

/* A cost as a whole number of the server's units. The server sends the
 * double nearest to a decimal of 10 places; scaled, it lies within far less
 * than half a unit of that decimal for any amount below about $200,000 a
 * row, so rounding gives the decimal back exactly. */
static gint64
cost_units (double usd)
{
  /* a hostile or broken server: no undefined conversion, the sum saturates */
  if (!isfinite (usd) || fabs (usd) >= 9e8)
    return usd < 0 ? -(G_MAXINT64 / 2) : G_MAXINT64 / 2;
  return (gint64) llround (usd * UNITS_PER_USD);
}

/* ------------------------------------------------------------- /usage/stats */

static void
stats_cb (GObject *object,
          GAsyncResult *result,
          gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  TallyUsageStats *stats;

  stats = tally_client_get_usage_stats_finish (TALLY_CLIENT (object), result, &error);
  if (stats == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, stats, g_object_unref);
}

static void
ask_stats (GTask *task)
{
  TotalsData *data = g_task_get_task_data (task);

  tally_client_get_usage_stats_async (g_task_get_source_object (task), data->query,
                                      g_task_get_cancellable (task), stats_cb, g_object_ref (task));
}

/* ------------------------------------------------------------------ counting */

static void
report_progress (GTask *task)
{
  TotalsData *data = g_task_get_task_data (task);

  if (data->progress != NULL && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    data->progress (data->requests, data->total, data->progress_data);
}

static gboolean
count_rows_cb (TallyUsageSnapshot *snapshot,
               GListModel *rows,
               gpointer user_data)
{
  GTask *task = user_data;
  TotalsData *data = g_task_get_task_data (task);
  guint n = g_list_model_get_n_items (rows);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallyUsageLog) log = g_list_model_get_item (rows, i);
      gint64 duration = tally_usage_log_get_duration_ms (log);

      data->requests++;
      /* sums of server numbers saturate instead of overflowing */
      data->input_tokens = _tally_add_saturating (data->input_tokens, tally_usage_log_get_input_tokens (log));
      data->output_tokens = _tally_add_saturating (data->output_tokens, tally_usage_log_get_output_tokens (log));
      data->cache_creation_tokens = _tally_add_saturating (data->cache_creation_tokens, tally_usage_log_get_cache_creation_tokens (log));
      data->cache_read_tokens = _tally_add_saturating (data->cache_read_tokens, tally_usage_log_get_cache_read_tokens (log));
      data->cost_units = _tally_add_saturating (data->cost_units, cost_units (tally_usage_log_get_total_cost (log)));
      data->actual_cost_units = _tally_add_saturating (data->actual_cost_units, cost_units (tally_usage_log_get_actual_cost (log)));
      /* NULL durations count as 0, as in /usage/stats */
      if (duration > 0)
        data->duration_sum = _tally_add_saturating (data->duration_sum, duration);
    }

  data->total = tally_usage_snapshot_get_total (snapshot);
  report_progress (task);
  return TRUE;
}

/* The sums as the answer of /usage/stats, through the same decoder. */
static TallyUsageStats *
stats_from_sums (TotalsData *data,
                 GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) node = NULL;
  gint64 cache = _tally_add_saturating (data->cache_creation_tokens, data->cache_read_tokens);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total_requests");
  json_builder_add_int_value (builder, data->requests);
  json_builder_set_member_name (builder, "total_input_tokens");
  json_builder_add_int_value (builder, data->input_tokens);
  json_builder_set_member_name (builder, "total_output_tokens");
  json_builder_add_int_value (builder, data->output_tokens);
  json_builder_set_member_name (builder, "total_cache_tokens");
  json_builder_add_int_value (builder, cache);
  json_builder_set_member_name (builder, "total_tokens");
  json_builder_add_int_value (builder, _tally_add_saturating (_tally_add_saturating (data->input_tokens, data->output_tokens), cache));
  /* an exact integer over an exact power of ten, correctly rounded */
  json_builder_set_member_name (builder, "total_cost");
  json_builder_add_double_value (builder, (double) data->cost_units / UNITS_PER_USD);
  json_builder_set_member_name (builder, "total_actual_cost");
  json_builder_add_double_value (builder, (double) data->actual_cost_units / UNITS_PER_USD);
  json_builder_set_member_name (builder, "average_duration_ms");
  json_builder_add_double_value (builder, data->requests > 0 ? (double) data->duration_sum / (double) data->requests : 0.0);
  json_builder_set_member_name (builder, "total_cache_creation_tokens");
  json_builder_add_int_value (builder, data->cache_creation_tokens);
  json_builder_set_member_name (builder, "total_cache_read_tokens");
  json_builder_add_int_value (builder, data->cache_read_tokens);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  return _tally_usage_stats_new_from_json (node, error);
}

static void
count_done_cb (GObject *object,
               GAsyncResult *result,
               gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  TallyUsageStats *stats;

  if (!tally_usage_snapshot_foreach_finish (result, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  stats = stats_from_sums (g_task_get_task_data (task), &error);
  if (stats == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, stats, g_object_unref);
}

static void
count (GTask *task)
{
  TotalsData *data = g_task_get_task_data (task);

  report_progress (task);
  tally_usage_snapshot_foreach_async (g_task_get_source_object (task), data->query,
                                      COUNT_PAGE_SIZE, COUNT_MAX_IN_FLIGHT,
                                      count_rows_cb, g_object_ref (task), g_object_unref,
                                      g_task_get_cancellable (task),
                                      count_done_cb, g_object_ref (task));
}

/* --------------------------------------------------------------------- probe */

static void
probe_cb (GObject *object,
          GAsyncResult *result,
          gpointer user_data)
{
  TallyClient *client = TALLY_CLIENT (object);
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyPage) page = NULL;

  page = tally_client_list_usage_finish (client, result, &error);
  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (tally_page_get_page_size (page) >= PROBE_PAGE_SIZE)
    {
      set_server_kind (client, SERVER_STATS_FILTERS);
      ask_stats (task);
    }
  else
    {
      set_server_kind (client, SERVER_2025);
      count (task);
    }
}

/* ----------------------------------------------------------------------- API */

void
tally_usage_totals_async (TallyClient *client,
                          const TallyUsageQuery *query,
                          TallyUsageTotalsProgress progress,
                          gpointer progress_data,
                          GDestroyNotify progress_destroy,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  TotalsData *data;

  g_return_if_fail (TALLY_IS_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_usage_totals_async);

  data = g_new0 (TotalsData, 1);
  data->query = query != NULL ? tally_usage_query_copy (query) : tally_usage_query_new ();
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_destroy = progress_destroy;
  data->total = -1;
  g_task_set_task_data (task, data, (GDestroyNotify) totals_data_free);

  if (has_open_end (data->query))
    {
      count (task);
      return;
    }
  if (!has_filter_s_ignores (data->query))
    {
      ask_stats (task);
      return;
    }

  if (get_server_kind (client) == SERVER_UNKNOWN && tally_client_get_max_page_size (client) <= S_MAX_PAGE_SIZE)
    set_server_kind (client, SERVER_2025);

  switch (get_server_kind (client))
    {
      case SERVER_STATS_FILTERS:
        ask_stats (task);
        break;
      case SERVER_2025:
        count (task);
        break;
      case SERVER_UNKNOWN:
      default:
        tally_client_list_usage_async (client, data->query, 1, PROBE_PAGE_SIZE, cancellable,
                                       probe_cb, g_object_ref (task));
        break;
    }
}

TallyUsageStats *
tally_usage_totals_finish (GAsyncResult *result,
                           GError **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, tally_usage_totals_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* tally-dashboard.c: the dashboard's view model (range, trend, models, key costs)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-dashboard"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tally-api-key.h"
#include "tally-client.h"
#include "tally-dashboard-private.h"
#include "tally-dashboard-stats.h"
#include "tally-dashboard.h"
#include "tally-error.h"
#include "tally-key-cost.h"
#include "tally-key-usage.h"
#include "tally-model-breakdown.h"
#include "tally-model-stat.h"
#include "tally-server-time.h"
#include "tally-task-private.h"
#include "tally-trend-point.h"
#include "tally-trend.h"
#include "tally-usage-query.h"
#include "tally-usage-stats.h"

struct _TallyDashboard
{
  GObject parent_instance;

  /* Owned References */
  TallySession *session;
  GSignalGroup *session_signals;
  GCancellable *load_cancellable;
  guint load_source;
  GListModel *trend;
  GListModel *models;
  GListStore *key_costs;
  GListModel *key_usage;   /* TallyKeyUsage of the last good load */
  GHashTable *range_costs; /* its key id → billed in the range; NULL: today's */
  TallyPeriodTotals *range_totals;
  TallyPeriodTotals *compared_totals; /* the range up to compare_until */
  TallyPeriodTotals *previous_totals;
  TallyPeriodTotals *yesterday_totals;

  /* Properties */
  char *start_date;
  char *end_date;
  char *loaded_start_date;
  char *loaded_end_date;
  char *previous_start_date;
  char *previous_end_date;
  char *compare_until; /* "HH:00": a running range is compared up to then */
  char *last_error;
  gint64 now;        /* unix seconds; 0 = the session's server clock */
  gint64 updated_at; /* our clock (unix µs) of the last good load; 0 = none */
  TallyGranularity granularity;
  gboolean busy;

  /* Flags */
  guint range_set : 1;           /* the user chose a range (else: last 7 days) */
  guint waiting_for_session : 1; /* load when the session's load finishes */
  guint fetch_all : 1;           /* the next load may not reuse the session's trend */
};

G_DEFINE_FINAL_TYPE (TallyDashboard, tally_dashboard, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (TallyPeriodTotals, tally_period_totals, tally_period_totals_copy, tally_period_totals_free)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_START_DATE,
  PROP_END_DATE,
  PROP_LOADED_START_DATE,
  PROP_LOADED_END_DATE,
  PROP_GRANULARITY,
  PROP_TREND,
  PROP_MODELS,
  PROP_KEY_COSTS,
  PROP_RANGE_TOTALS,
  PROP_COMPARED_TOTALS,
  PROP_PREVIOUS_TOTALS,
  PROP_YESTERDAY_TOTALS,
  PROP_PREVIOUS_START_DATE,
  PROP_PREVIOUS_END_DATE,
  PROP_COMPARE_UNTIL,
  PROP_NOW,
  PROP_UPDATED_AT,
  PROP_BUSY,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  char *start_date;
  char *end_date;
  char *previous_start;
  char *previous_end;
  char *cut;          /* running: "YYYY-MM-DD HH:00" of now; else NULL */
  char *previous_cut; /* the same hour in the previous period */
  TallyGranularity granularity;
  guint pending;
  GError *error;
  TallyTrend *recent; /* the session's trend, when reused */
  TallyTrend *trend;  /* fetched: [previous_start, end_date] */
  TallyTrend *hourly; /* running: hourly [previous_start, end_date] */
  TallyUsageStats *previous_stats;
  TallyModelBreakdown *models;
  GListModel *key_usage;
  GHashTable *range_costs; /* key id → billed in the range */
  GCancellable *cancellable;
} LoadData;

typedef struct
{
  GTask *task;
  gint64 key_id;
} KeyStatsCall;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_free (load->start_date);
  g_free (load->end_date);
  g_free (load->previous_start);
  g_free (load->previous_end);
  g_free (load->cut);
  g_free (load->previous_cut);
  g_clear_error (&load->error);
  g_clear_object (&load->recent);
  g_clear_object (&load->trend);
  g_clear_object (&load->hourly);
  g_clear_pointer (&load->range_costs, g_hash_table_unref);
  g_clear_object (&load->cancellable);
  g_clear_object (&load->previous_stats);
  g_clear_object (&load->models);
  g_clear_object (&load->key_usage);
  g_free (load);
}

TallyPeriodTotals *
tally_period_totals_copy (const TallyPeriodTotals *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_memdup2 (self, sizeof *self);
}

void
tally_period_totals_free (TallyPeriodTotals *self)
{
  g_free (self);
}

double
tally_change_fraction (double current,
                       double previous)
{
  if (previous == 0 || !isfinite (previous) || !isfinite (current))
    return NAN;

  return (current - previous) / previous;
}

/* Whether the daily points of @trend cover [start, end]. */
static gboolean
trend_covers (TallyTrend *trend,
              const char *start,
              const char *end)
{
  const char *granularity;

  if (trend == NULL)
    return FALSE;

  granularity = tally_trend_get_granularity (trend);
  if (g_strcmp0 (granularity, "hour") == 0)
    return FALSE;

  return tally_date_parse (tally_trend_get_start_date (trend), NULL) && tally_date_parse (tally_trend_get_end_date (trend), NULL) && strcmp (tally_trend_get_start_date (trend), start) <= 0 && strcmp (end, tally_trend_get_end_date (trend)) <= 0;
}

static TallyPeriodTotals *
sum_range (GListModel *points,
           const char *start,
           const char *end,
           TallyGranularity granularity)
{
  g_autoptr (GListModel) filled = tally_trend_zero_fill (points, start, end, granularity);

  return _tally_dashboard_sum_points (filled, tally_date_range_days (start, end));
}

static void
set_string (TallyDashboard *self,
            char **field,
            const char *value,
            GParamSpec *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
set_totals (TallyDashboard *self,
            TallyPeriodTotals **field,
            TallyPeriodTotals *value,
            GParamSpec *pspec)
{
  if (*field == NULL && value == NULL)
    return;

  g_clear_pointer (field, tally_period_totals_free);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
set_model (TallyDashboard *self,
           GListModel **field,
           GListModel *value,
           GParamSpec *pspec)
{
  if (*field == value)
    return;

  g_clear_object (field);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

/* Notifies whenever @message is not NULL, so a repeated failure shows again. */
static void
set_last_error (TallyDashboard *self,
                const char *message)
{
  if (message == NULL && self->last_error == NULL)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
update_busy (TallyDashboard *self)
{
  gboolean busy = self->load_cancellable != NULL || self->load_source != 0 || self->waiting_for_session;

  if (busy != self->busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

static void
set_dates (TallyDashboard *self,
           const char *start_date,
           const char *end_date)
{
  TallyGranularity granularity;

  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->start_date, start_date, properties[PROP_START_DATE]);
  set_string (self, &self->end_date, end_date, properties[PROP_END_DATE]);

  granularity = (start_date != NULL && tally_date_range_days (start_date, end_date) == 1)
                    ? TALLY_GRANULARITY_HOUR
                    : TALLY_GRANULARITY_DAY;
  if (granularity != self->granularity)
    {
      self->granularity = granularity;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRANULARITY]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Until the user picks a range, it is the last 7 days ending server-today. */
static void
update_default_range (TallyDashboard *self)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  const char *today;

  if (self->range_set || self->session == NULL)
    return;

  today = tally_session_get_server_today (self->session);
  if (today == NULL)
    return;

  tally_date_preset_range (TALLY_DATE_PRESET_LAST_7_DAYS, today, &start, &end);
  if (start != NULL && end != NULL)
    set_dates (self, start, end);
}

static void
update_yesterday (TallyDashboard *self)
{
  TallyPeriodTotals *totals = NULL;
  TallyTrend *recent = NULL;
  const char *today = NULL;

  if (self->session != NULL)
    {
      recent = tally_session_get_recent_trend (self->session);
      today = tally_session_get_server_today (self->session);
    }

  if (recent != NULL && today != NULL)
    {
      g_autofree char *yesterday = _tally_dashboard_add_days (today, -1);

      if (yesterday != NULL && trend_covers (recent, yesterday, yesterday))
        totals = sum_range (tally_trend_get_points (recent), yesterday, yesterday,
                            TALLY_GRANULARITY_DAY);
    }

  set_totals (self, &self->yesterday_totals, totals, properties[PROP_YESTERDAY_TOTALS]);
}

/* Every key of the session with the last good figures, and the rest of the
 * range's total as "deleted keys" (tally-dashboard-keys.c). */
static void
rebuild_key_costs (TallyDashboard *self)
{
  g_autoptr (GPtrArray) rows = NULL;
  TallyDashboardStats *stats;
  gboolean range_is_today;

  if (self->session == NULL || self->key_usage == NULL)
    {
      g_list_store_remove_all (self->key_costs);
      return;
    }

  stats = tally_session_get_dashboard_stats (self->session);
  range_is_today = self->range_costs == NULL;
  rows = _tally_dashboard_build_key_costs (tally_session_get_keys (self->session),
                                           self->key_usage,
                                           self->range_costs,
                                           range_is_today,
                                           self->range_totals != NULL ? self->range_totals->actual_cost : NAN,
                                           stats != NULL ? tally_dashboard_stats_get_today_actual_cost (stats) : NAN,
                                           stats != NULL ? tally_dashboard_stats_get_total_actual_cost (stats) : NAN);

  g_list_store_splice (self->key_costs, 0, g_list_model_get_n_items (G_LIST_MODEL (self->key_costs)),
                       rows->pdata, rows->len);
}

static void
clear_data (TallyDashboard *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_model (self, &self->trend, NULL, properties[PROP_TREND]);
  set_model (self, &self->models, NULL, properties[PROP_MODELS]);
  g_clear_object (&self->key_usage);
  g_clear_pointer (&self->range_costs, g_hash_table_unref);
  rebuild_key_costs (self);
  set_totals (self, &self->range_totals, NULL, properties[PROP_RANGE_TOTALS]);
  set_totals (self, &self->compared_totals, NULL, properties[PROP_COMPARED_TOTALS]);
  set_totals (self, &self->previous_totals, NULL, properties[PROP_PREVIOUS_TOTALS]);
  set_totals (self, &self->yesterday_totals, NULL, properties[PROP_YESTERDAY_TOTALS]);
  set_string (self, &self->loaded_start_date, NULL, properties[PROP_LOADED_START_DATE]);
  set_string (self, &self->loaded_end_date, NULL, properties[PROP_LOADED_END_DATE]);
  set_string (self, &self->previous_start_date, NULL, properties[PROP_PREVIOUS_START_DATE]);
  set_string (self, &self->previous_end_date, NULL, properties[PROP_PREVIOUS_END_DATE]);
  set_string (self, &self->compare_until, NULL, properties[PROP_COMPARE_UNTIL]);
  set_last_error (self, NULL);
  if (self->updated_at != 0)
    {
      self->updated_at = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
    }
  if (!self->range_set)
    set_dates (self, NULL, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
cancel_load (TallyDashboard *self)
{
  g_clear_handle_id (&self->load_source, g_source_remove);
  self->waiting_for_session = FALSE;

  if (self->load_cancellable != NULL)
    {
      g_cancellable_cancel (self->load_cancellable);
      g_clear_object (&self->load_cancellable);
    }
}

static TallyPeriodTotals *
totals_from_stats (TallyUsageStats *stats,
                   int n_days)
{
  TallyPeriodTotals *totals = g_new0 (TallyPeriodTotals, 1);

  totals->requests = tally_usage_stats_get_total_requests (stats);
  totals->input_tokens = tally_usage_stats_get_total_input_tokens (stats);
  totals->output_tokens = tally_usage_stats_get_total_output_tokens (stats);
  totals->cache_tokens = tally_usage_stats_get_total_cache_tokens (stats);
  totals->total_tokens = tally_usage_stats_get_total_tokens (stats);
  totals->cost = tally_usage_stats_get_total_cost (stats);
  totals->actual_cost = tally_usage_stats_get_total_actual_cost (stats);
  totals->n_days = n_days;

  return totals;
}

static void
apply_load (TallyDashboard *self,
            LoadData *load)
{
  GListModel *points;
  GListModel *models;
  TallyPeriodTotals *previous;
  TallyPeriodTotals *compared;
  int n_days = tally_date_range_days (load->start_date, load->end_date);
  g_autofree char *until = NULL;

  points = load->trend != NULL ? tally_trend_get_points (load->trend)
                               : tally_trend_get_points (load->recent);

  g_object_freeze_notify (G_OBJECT (self));

  set_model (self, &self->trend,
             tally_trend_zero_fill_in_zone (points, load->start_date, load->end_date, load->granularity,
                                            self->session != NULL ? tally_session_get_server_zone (self->session) : NULL),
             properties[PROP_TREND]);

  set_totals (self, &self->range_totals,
              sum_range (points, load->start_date, load->end_date, load->granularity),
              properties[PROP_RANGE_TOTALS]);

  if (load->cut != NULL)
    {
      /* Running: both sides up to the start of the hour now is in. */
      GListModel *hours = tally_trend_get_points (load->hourly != NULL ? load->hourly : load->trend);

      compared = _tally_dashboard_sum_hours (hours, load->start_date, load->cut, n_days);
      previous = _tally_dashboard_sum_hours (hours, load->previous_start, load->previous_cut, n_days);
      until = g_strdup (load->cut + 11);
    }
  else
    {
      compared = tally_period_totals_copy (self->range_totals);
      if (load->previous_stats != NULL)
        previous = totals_from_stats (load->previous_stats, n_days);
      else
        previous = sum_range (points, load->previous_start, load->previous_end, load->granularity);
    }
  set_totals (self, &self->compared_totals, compared, properties[PROP_COMPARED_TOTALS]);
  set_totals (self, &self->previous_totals, previous, properties[PROP_PREVIOUS_TOTALS]);
  set_string (self, &self->compare_until, until, properties[PROP_COMPARE_UNTIL]);

  models = tally_model_breakdown_get_models (load->models);
  set_model (self, &self->models, g_object_ref (models), properties[PROP_MODELS]);

  g_set_object (&self->key_usage, load->key_usage);
  g_clear_pointer (&self->range_costs, g_hash_table_unref);
  self->range_costs = load->range_costs != NULL ? g_hash_table_ref (load->range_costs) : NULL;
  rebuild_key_costs (self);
  update_yesterday (self);

  set_string (self, &self->loaded_start_date, load->start_date, properties[PROP_LOADED_START_DATE]);
  set_string (self, &self->loaded_end_date, load->end_date, properties[PROP_LOADED_END_DATE]);
  set_string (self, &self->previous_start_date, load->previous_start, properties[PROP_PREVIOUS_START_DATE]);
  set_string (self, &self->previous_end_date, load->previous_end, properties[PROP_PREVIOUS_END_DATE]);
  set_last_error (self, NULL);
  self->updated_at = g_get_real_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);

  g_object_thaw_notify (G_OBJECT (self));
}

static void
load_done_cb (GObject *object,
              GAsyncResult *result,
              gpointer user_data)
{
  TallyDashboard *self = TALLY_DASHBOARD (object);
  LoadData *load = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* replaced by a newer load */

  g_clear_object (&self->load_cancellable);

  if (error == NULL)
    apply_load (self, load);
  else if (tally_error_ends_session (error) && self->session != NULL)
    tally_session_reload (self->session); /* the session finds out and logs out */
  else
    set_last_error (self, error->message);

  update_busy (self);
}

static void
load_item_done (GTask *task,
                GError *error)
{
  LoadData *load = g_task_get_task_data (task);

  if (error != NULL)
    {
      if (load->error == NULL || g_error_matches (load->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&load->error);
          load->error = error;
        }
      else
        g_error_free (error);
    }

  _tally_task_part_done (task, &load->pending, &load->error);
}

/* A trend for one slot of the load (the range's, or the hourly one). */
typedef struct
{
  GTask *task;
  TallyTrend **slot;
} TrendCall;

static void
get_trend_cb (GObject *object,
              GAsyncResult *result,
              gpointer user_data)
{
  TrendCall *call = user_data;
  g_autoptr (GTask) task = call->task;
  GError *error = NULL;

  *call->slot = tally_client_get_trend_finish (TALLY_CLIENT (object), result, &error);
  g_free (call);
  load_item_done (task, error);
}

static TrendCall *
trend_call_new (GTask *task,
                TallyTrend **slot)
{
  TrendCall *call = g_new0 (TrendCall, 1);

  call->task = g_object_ref (task);
  call->slot = slot;
  return call;
}

static void
get_usage_stats_cb (GObject *object,
                    GAsyncResult *result,
                    gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LoadData *load = g_task_get_task_data (task);
  GError *error = NULL;

  load->previous_stats = tally_client_get_usage_stats_finish (TALLY_CLIENT (object), result, &error);
  load_item_done (task, error);
}

static void
get_model_stats_cb (GObject *object,
                    GAsyncResult *result,
                    gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LoadData *load = g_task_get_task_data (task);
  GError *error = NULL;

  load->models = tally_client_get_model_stats_finish (TALLY_CLIENT (object), result, &error);
  load_item_done (task, error);
}

static void
get_key_stats_cb (GObject *object,
                  GAsyncResult *result,
                  gpointer user_data)
{
  KeyStatsCall *call = user_data;
  g_autoptr (GTask) task = call->task;
  LoadData *load = g_task_get_task_data (task);
  g_autoptr (TallyUsageStats) stats = NULL;
  GError *error = NULL;

  stats = tally_client_get_usage_stats_finish (TALLY_CLIENT (object), result, &error);
  if (stats != NULL)
    g_hash_table_replace (load->range_costs,
                          g_memdup2 (&call->key_id, sizeof call->key_id),
                          g_memdup2 (&(double){ tally_usage_stats_get_total_actual_cost (stats) }, sizeof (double)));
  g_free (call);
  load_item_done (task, error);
}

static void
get_keys_usage_cb (GObject *object,
                   GAsyncResult *result,
                   gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LoadData *load = g_task_get_task_data (task);
  GError *error = NULL;
  guint n;

  load->key_usage = tally_client_get_keys_usage_finish (TALLY_CLIENT (object), result, &error);

  /* Then the range's cost of every key that has any usage at all: one
   * /usage/stats each (heavy calls, paced by the client's scheduler). */
  n = load->key_usage != NULL && load->range_costs != NULL ? g_list_model_get_n_items (load->key_usage) : 0;
  for (guint i = 0; i < n && !g_cancellable_is_cancelled (load->cancellable); i++)
    {
      g_autoptr (TallyKeyUsage) usage = g_list_model_get_item (load->key_usage, i);
      g_autoptr (TallyUsageQuery) query = NULL;
      KeyStatsCall *call;

      /* no usage ever: nothing in any range (and no nonsense ids) */
      if (!(tally_key_usage_get_total_actual_cost (usage) > 0) || tally_key_usage_get_api_key_id (usage) <= 0)
        continue;

      query = tally_usage_query_new ();
      tally_usage_query_set_api_key_id (query, tally_key_usage_get_api_key_id (usage));
      tally_usage_query_set_range (query, load->start_date, load->end_date, NULL);
      call = g_new0 (KeyStatsCall, 1);
      call->task = g_object_ref (task);
      call->key_id = tally_key_usage_get_api_key_id (usage);
      load->pending++;
      tally_client_get_usage_stats_async (TALLY_CLIENT (object), query, load->cancellable,
                                          get_key_stats_cb, call);
    }

  load_item_done (task, error);
}

static void
start_load (TallyDashboard *self,
            gboolean reuse_session_trend)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GArray) ids = NULL;
  TallyClient *client;
  TallyTrend *recent;
  GListModel *keys;
  LoadData *load;
  int n_days;

  g_assert (TALLY_IS_DASHBOARD (self));

  client = tally_session_get_client (self->session);
  g_assert (client != NULL);
  g_assert (self->start_date != NULL && self->end_date != NULL);

  cancel_load (self);
  self->load_cancellable = g_cancellable_new ();

  load = g_new0 (LoadData, 1);
  load->start_date = g_strdup (self->start_date);
  load->end_date = g_strdup (self->end_date);
  load->granularity = self->granularity;
  n_days = tally_date_range_days (self->start_date, self->end_date);
  load->previous_start = _tally_dashboard_add_days (self->start_date, -n_days);
  load->previous_end = _tally_dashboard_add_days (self->start_date, -1);
  load->cancellable = g_object_ref (self->load_cancellable);
  load->pending = 1; /* released at the end of this function */
  _tally_dashboard_range_running (load->start_date, load->end_date,
                                  tally_dashboard_get_now (self),
                                  tally_session_get_server_zone (self->session),
                                  tally_session_get_utc_offset (self->session),
                                  &load->cut, &load->previous_cut);
  /* "today": the batch call's today figures are the keys' range costs */
  if (n_days != 1 || g_strcmp0 (load->start_date, tally_session_get_server_today (self->session)) != 0)
    load->range_costs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  task = g_task_new (self, self->load_cancellable, load_done_cb, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, load, load_data_free);

  recent = tally_session_get_recent_trend (self->session);
  if (reuse_session_trend && load->granularity == TALLY_GRANULARITY_DAY && trend_covers (recent, load->start_date, load->end_date))
    {
      /* The session's default trend already holds the range. */
      load->recent = g_object_ref (recent);
      if (load->cut == NULL && !trend_covers (recent, load->previous_start, load->previous_end))
        {
          g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();

          tally_usage_query_set_range (query, load->previous_start, load->previous_end, NULL);
          load->pending++;
          tally_client_get_usage_stats_async (client, query, self->load_cancellable,
                                              get_usage_stats_cb, g_object_ref (task));
        }
    }
  else
    {
      /* One request for the range and the period before it. */
      load->pending++;
      tally_client_get_trend_async (client,
                                    load->previous_start, load->end_date,
                                    load->granularity,
                                    self->load_cancellable,
                                    get_trend_cb, trend_call_new (task, &load->trend));
    }

  /* A running range of days is compared hour by hour (the hourly trend
   * of the range and the period before it; a one-day range has it already). */
  if (load->cut != NULL && load->granularity == TALLY_GRANULARITY_DAY)
    {
      load->pending++;
      tally_client_get_trend_async (client,
                                    load->previous_start, load->end_date,
                                    TALLY_GRANULARITY_HOUR,
                                    self->load_cancellable,
                                    get_trend_cb, trend_call_new (task, &load->hourly));
    }

  load->pending++;
  tally_client_get_model_stats_async (client,
                                      load->start_date, load->end_date,
                                      self->load_cancellable,
                                      get_model_stats_cb, g_object_ref (task));

  keys = tally_session_get_keys (self->session);
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
      gint64 id = tally_api_key_get_id (key);

      g_array_append_val (ids, id);
    }
  if (ids->len > 0)
    {
      load->pending++;
      tally_client_get_keys_usage_async (client,
                                         (const gint64 *) (gpointer) ids->data, ids->len,
                                         self->load_cancellable,
                                         get_keys_usage_cb, g_object_ref (task));
    }
  else
    load->key_usage = G_LIST_MODEL (g_list_store_new (TALLY_TYPE_KEY_USAGE));

  load_item_done (task, NULL);
  update_busy (self);
}

static gboolean
session_is_usable (TallyDashboard *self)
{
  TallySessionState state;

  if (self->session == NULL || tally_session_get_client (self->session) == NULL)
    return FALSE;

  state = tally_session_get_state (self->session);
  return state == TALLY_SESSION_STATE_LOADING || state == TALLY_SESSION_STATE_READY;
}

static gboolean
load_idle_cb (gpointer user_data)
{
  TallyDashboard *self = user_data;
  gboolean fetch_all = self->fetch_all;

  self->load_source = 0;
  self->fetch_all = FALSE;

  if (!session_is_usable (self))
    {
      update_busy (self);
      return G_SOURCE_REMOVE;
    }

  if (tally_session_get_busy (self->session))
    {
      /* Its "reloaded" brings fresh keys, stats and today. */
      self->waiting_for_session = TRUE;
      update_busy (self);
      return G_SOURCE_REMOVE;
    }

  update_default_range (self);
  if (self->start_date == NULL)
    {
      update_busy (self);
      return G_SOURCE_REMOVE;
    }

  start_load (self, !fetch_all);

  return G_SOURCE_REMOVE;
}

static void
queue_load (TallyDashboard *self,
            gboolean fetch_all)
{
  /* Cancel what is in flight now; coalesce the burst into one idle. */
  if (self->load_cancellable != NULL)
    {
      g_cancellable_cancel (self->load_cancellable);
      g_clear_object (&self->load_cancellable);
    }
  self->waiting_for_session = FALSE;
  self->fetch_all |= !!fetch_all;

  /* Above GDK's redraw priority: continuous frames (a spinner on a slow
   * software renderer) must not starve the load. */
  if (self->load_source == 0)
    self->load_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, load_idle_cb, self, NULL);

  update_busy (self);
}

static void
session_reloaded_cb (TallyDashboard *self,
                     TallySession *session)
{
  update_default_range (self);
  update_yesterday (self);
  queue_load (self, FALSE);
}

static void
session_state_cb (TallyDashboard *self,
                  GParamSpec *pspec,
                  TallySession *session)
{
  if (tally_session_get_state (session) == TALLY_SESSION_STATE_LOGGED_OUT)
    {
      cancel_load (self);
      clear_data (self);
      update_busy (self);
    }
}

static void
session_server_today_cb (TallyDashboard *self,
                         GParamSpec *pspec,
                         TallySession *session)
{
  update_default_range (self);
}

static void
session_dashboard_stats_cb (TallyDashboard *self,
                            GParamSpec *pspec,
                            TallySession *session)
{
  if (self->key_usage != NULL)
    rebuild_key_costs (self);
}

static void
session_recent_trend_cb (TallyDashboard *self,
                         GParamSpec *pspec,
                         TallySession *session)
{
  update_yesterday (self);
}

static void
tally_dashboard_constructed (GObject *object)
{
  TallyDashboard *self = (TallyDashboard *) object;

  G_OBJECT_CLASS (tally_dashboard_parent_class)->constructed (object);

  g_signal_group_set_target (self->session_signals, self->session);

  update_default_range (self);
  update_yesterday (self);
  if (session_is_usable (self) && tally_session_get_server_today (self->session) != NULL)
    queue_load (self, FALSE);
}

static void
tally_dashboard_dispose (GObject *object)
{
  TallyDashboard *self = (TallyDashboard *) object;

  cancel_load (self);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  g_clear_object (&self->trend);
  g_clear_object (&self->models);
  g_clear_object (&self->key_costs);
  g_clear_object (&self->key_usage);
  g_clear_pointer (&self->range_costs, g_hash_table_unref);

  G_OBJECT_CLASS (tally_dashboard_parent_class)->dispose (object);
}

static void
tally_dashboard_finalize (GObject *object)
{
  TallyDashboard *self = (TallyDashboard *) object;

  g_clear_pointer (&self->range_totals, tally_period_totals_free);
  g_clear_pointer (&self->compared_totals, tally_period_totals_free);
  g_clear_pointer (&self->previous_totals, tally_period_totals_free);
  g_clear_pointer (&self->yesterday_totals, tally_period_totals_free);
  g_clear_pointer (&self->start_date, g_free);
  g_clear_pointer (&self->end_date, g_free);
  g_clear_pointer (&self->loaded_start_date, g_free);
  g_clear_pointer (&self->loaded_end_date, g_free);
  g_clear_pointer (&self->previous_start_date, g_free);
  g_clear_pointer (&self->previous_end_date, g_free);
  g_clear_pointer (&self->compare_until, g_free);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (tally_dashboard_parent_class)->finalize (object);
}

static void
tally_dashboard_get_property (GObject *object,
                              guint prop_id,
                              GValue *value,
                              GParamSpec *pspec)
{
  TallyDashboard *self = TALLY_DASHBOARD (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        g_value_set_object (value, self->session);
        break;

      case PROP_START_DATE:
        g_value_set_string (value, self->start_date);
        break;

      case PROP_END_DATE:
        g_value_set_string (value, self->end_date);
        break;

      case PROP_LOADED_START_DATE:
        g_value_set_string (value, self->loaded_start_date);
        break;

      case PROP_LOADED_END_DATE:
        g_value_set_string (value, self->loaded_end_date);
        break;

      case PROP_GRANULARITY:
        g_value_set_int (value, self->granularity);
        break;

      case PROP_TREND:
        g_value_set_object (value, self->trend);
        break;

      case PROP_MODELS:
        g_value_set_object (value, self->models);
        break;

      case PROP_KEY_COSTS:
        g_value_set_object (value, self->key_costs);
        break;

      case PROP_RANGE_TOTALS:
        g_value_set_boxed (value, self->range_totals);
        break;

      case PROP_COMPARED_TOTALS:
        g_value_set_boxed (value, self->compared_totals);
        break;

      case PROP_PREVIOUS_TOTALS:
        g_value_set_boxed (value, self->previous_totals);
        break;

      case PROP_PREVIOUS_START_DATE:
        g_value_set_string (value, self->previous_start_date);
        break;

      case PROP_PREVIOUS_END_DATE:
        g_value_set_string (value, self->previous_end_date);
        break;

      case PROP_COMPARE_UNTIL:
        g_value_set_string (value, self->compare_until);
        break;

      case PROP_NOW:
        g_value_set_int64 (value, self->now);
        break;

      case PROP_UPDATED_AT:
        g_value_set_int64 (value, self->updated_at);
        break;

      case PROP_YESTERDAY_TOTALS:
        g_value_set_boxed (value, self->yesterday_totals);
        break;

      case PROP_BUSY:
        g_value_set_boolean (value, self->busy);
        break;

      case PROP_LAST_ERROR:
        g_value_set_string (value, self->last_error);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_dashboard_set_property (GObject *object,
                              guint prop_id,
                              const GValue *value,
                              GParamSpec *pspec)
{
  TallyDashboard *self = TALLY_DASHBOARD (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        self->session = g_value_dup_object (value);
        break;

      case PROP_START_DATE:
        if (self->end_date != NULL)
          tally_dashboard_set_range (self, g_value_get_string (value), self->end_date);
        break;

      case PROP_END_DATE:
        if (self->start_date != NULL)
          tally_dashboard_set_range (self, self->start_date, g_value_get_string (value));
        break;

      case PROP_NOW:
        tally_dashboard_set_now (self, g_value_get_int64 (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_dashboard_class_init (TallyDashboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tally_dashboard_constructed;
  object_class->dispose = tally_dashboard_dispose;
  object_class->finalize = tally_dashboard_finalize;
  object_class->get_property = tally_dashboard_get_property;
  object_class->set_property = tally_dashboard_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, TALLY_TYPE_SESSION,
                                                  (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_START_DATE] = g_param_spec_string ("start-date", NULL, NULL, NULL,
                                                     (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_END_DATE] = g_param_spec_string ("end-date", NULL, NULL, NULL,
                                                   (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOADED_START_DATE] = g_param_spec_string ("loaded-start-date", NULL, NULL, NULL,
                                                            (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOADED_END_DATE] = g_param_spec_string ("loaded-end-date", NULL, NULL, NULL,
                                                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /* A TallyGranularity */
  properties[PROP_GRANULARITY] = g_param_spec_int ("granularity", NULL, NULL,
                                                   TALLY_GRANULARITY_DAY, TALLY_GRANULARITY_HOUR, TALLY_GRANULARITY_DAY,
                                                   (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_TREND] = g_param_spec_object ("trend", NULL, NULL, G_TYPE_LIST_MODEL,
                                                (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_MODELS] = g_param_spec_object ("models", NULL, NULL, G_TYPE_LIST_MODEL,
                                                 (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_KEY_COSTS] = g_param_spec_object ("key-costs", NULL, NULL, G_TYPE_LIST_MODEL,
                                                    (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_RANGE_TOTALS] = g_param_spec_boxed ("range-totals", NULL, NULL, TALLY_TYPE_PERIOD_TOTALS,
                                                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_COMPARED_TOTALS] = g_param_spec_boxed ("compared-totals", NULL, NULL, TALLY_TYPE_PERIOD_TOTALS,
                                                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_PREVIOUS_START_DATE] = g_param_spec_string ("previous-start-date", NULL, NULL, NULL,
                                                              (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_PREVIOUS_END_DATE] = g_param_spec_string ("previous-end-date", NULL, NULL, NULL,
                                                            (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_COMPARE_UNTIL] = g_param_spec_string ("compare-until", NULL, NULL, NULL,
                                                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_NOW] = g_param_spec_int64 ("now", NULL, NULL, 0, G_MAXINT64, 0,
                                             (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_UPDATED_AT] = g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0,
                                                    (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_PREVIOUS_TOTALS] = g_param_spec_boxed ("previous-totals", NULL, NULL, TALLY_TYPE_PERIOD_TOTALS,
                                                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_YESTERDAY_TOTALS] = g_param_spec_boxed ("yesterday-totals", NULL, NULL, TALLY_TYPE_PERIOD_TOTALS,
                                                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL,
                                                     (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_dashboard_init (TallyDashboard *self)
{
  self->granularity = TALLY_GRANULARITY_DAY;
  self->key_costs = g_list_store_new (TALLY_TYPE_KEY_COST);

  self->session_signals = g_signal_group_new (TALLY_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "reloaded",
                                  G_CALLBACK (session_reloaded_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::state",
                                  G_CALLBACK (session_state_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::server-today",
                                  G_CALLBACK (session_server_today_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::dashboard-stats",
                                  G_CALLBACK (session_dashboard_stats_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::recent-trend",
                                  G_CALLBACK (session_recent_trend_cb), self);
}

TallyDashboard *
tally_dashboard_new (TallySession *session)
{
  g_return_val_if_fail (TALLY_IS_SESSION (session), NULL);

  return g_object_new (TALLY_TYPE_DASHBOARD, "session", session, NULL);
}

#define GETTER(type, name, field, fallback)                     \
  type                                                          \
      tally_dashboard_get_##name (TallyDashboard *self)         \
  {                                                             \
    g_return_val_if_fail (TALLY_IS_DASHBOARD (self), fallback); \
    return self->field;                                         \
  }

GETTER (TallySession *, session, session, NULL)
GETTER (const char *, start_date, start_date, NULL)
GETTER (const char *, end_date, end_date, NULL)
GETTER (const char *, loaded_start_date, loaded_start_date, NULL)
GETTER (const char *, loaded_end_date, loaded_end_date, NULL)
GETTER (TallyGranularity, granularity, granularity, TALLY_GRANULARITY_DAY)
GETTER (GListModel *, trend, trend, NULL)
GETTER (GListModel *, models, models, NULL)
GETTER (const TallyPeriodTotals *, range_totals, range_totals, NULL)
GETTER (const TallyPeriodTotals *, compared_totals, compared_totals, NULL)
GETTER (const TallyPeriodTotals *, previous_totals, previous_totals, NULL)
GETTER (const char *, previous_start_date, previous_start_date, NULL)
GETTER (const char *, previous_end_date, previous_end_date, NULL)
GETTER (const char *, compare_until, compare_until, NULL)
GETTER (gint64, updated_at, updated_at, 0)
GETTER (const TallyPeriodTotals *, yesterday_totals, yesterday_totals, NULL)
GETTER (gboolean, busy, busy, FALSE)
GETTER (const char *, last_error, last_error, NULL)

#undef GETTER

GListModel *
tally_dashboard_get_key_costs (TallyDashboard *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD (self), NULL);

  return G_LIST_MODEL (self->key_costs);
}

void
tally_dashboard_set_range (TallyDashboard *self,
                           const char *start_date,
                           const char *end_date)
{
  g_return_if_fail (TALLY_IS_DASHBOARD (self));
  g_return_if_fail (tally_date_parse (start_date, NULL));
  g_return_if_fail (tally_date_parse (end_date, NULL));
  g_return_if_fail (strcmp (start_date, end_date) <= 0);

  self->range_set = TRUE;

  if (g_strcmp0 (start_date, self->start_date) == 0 && g_strcmp0 (end_date, self->end_date) == 0)
    return;

  set_dates (self, start_date, end_date);
  queue_load (self, FALSE);
}

void
tally_dashboard_reload (TallyDashboard *self)
{
  g_return_if_fail (TALLY_IS_DASHBOARD (self));

  queue_load (self, TRUE);
}

gint64
tally_dashboard_get_now (TallyDashboard *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD (self), 0);

  if (self->now > 0)
    return self->now;
  if (self->session != NULL)
    return tally_session_get_server_now (self->session);
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
tally_dashboard_set_now (TallyDashboard *self,
                         gint64 now_unix)
{
  g_return_if_fail (TALLY_IS_DASHBOARD (self));
  g_return_if_fail (now_unix >= 0);

  if (self->now == now_unix)
    return;

  self->now = now_unix;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW]);
}

/* tally-forecast.c: month-to-date billed cost and the month-end forecast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The method is described in tally-forecast.h.
 */

#define G_LOG_DOMAIN "tally-forecast"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tally-forecast.h"
#include "tally-server-time.h"
#include "tally-trend-point.h"

/* the server's unit: DECIMAL(20,10) */
#define UNITS_PER_USD 1e10

struct _TallyForecast
{
  GObject parent_instance;

  char *today;
  char *month_start;
  char *month_end;
  double month_to_date;
  double forecast;
  double daily_rate;
  double today_elapsed;
  guint days_left;
  double remaining_days;
  guint history_days;
};

G_DEFINE_FINAL_TYPE (TallyForecast, tally_forecast, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SERVER_TODAY,
  PROP_MONTH_START,
  PROP_MONTH_END,
  PROP_MONTH_TO_DATE,
  PROP_FORECAST,
  PROP_DAILY_RATE,
  PROP_TODAY_ELAPSED,
  PROP_DAYS_LEFT,
  PROP_REMAINING_DAYS,
  PROP_HISTORY_DAYS,
  PROP_ENOUGH_HISTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tally_forecast_finalize (GObject *object)
{
  TallyForecast *self = TALLY_FORECAST (object);

  g_free (self->today);
  g_free (self->month_start);
  g_free (self->month_end);

  G_OBJECT_CLASS (tally_forecast_parent_class)->finalize (object);
}

static void
tally_forecast_get_property (GObject *object,
                             guint prop_id,
                             GValue *value,
                             GParamSpec *pspec)
{
  TallyForecast *self = TALLY_FORECAST (object);

  switch (prop_id)
    {
      case PROP_SERVER_TODAY:
        g_value_set_string (value, self->today);
        break;
      case PROP_MONTH_START:
        g_value_set_string (value, self->month_start);
        break;
      case PROP_MONTH_END:
        g_value_set_string (value, self->month_end);
        break;
      case PROP_MONTH_TO_DATE:
        g_value_set_double (value, self->month_to_date);
        break;
      case PROP_FORECAST:
        g_value_set_double (value, self->forecast);
        break;
      case PROP_DAILY_RATE:
        g_value_set_double (value, self->daily_rate);
        break;
      case PROP_TODAY_ELAPSED:
        g_value_set_double (value, self->today_elapsed);
        break;
      case PROP_DAYS_LEFT:
        g_value_set_uint (value, self->days_left);
        break;
      case PROP_REMAINING_DAYS:
        g_value_set_double (value, self->remaining_days);
        break;
      case PROP_HISTORY_DAYS:
        g_value_set_uint (value, self->history_days);
        break;
      case PROP_ENOUGH_HISTORY:
        g_value_set_boolean (value, self->history_days > 0);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_forecast_class_init (TallyForecastClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tally_forecast_finalize;
  object_class->get_property = tally_forecast_get_property;

  properties[PROP_SERVER_TODAY] = g_param_spec_string ("server-today", NULL, NULL, NULL, flags);
  properties[PROP_MONTH_START] = g_param_spec_string ("month-start", NULL, NULL, NULL, flags);
  properties[PROP_MONTH_END] = g_param_spec_string ("month-end", NULL, NULL, NULL, flags);
  properties[PROP_MONTH_TO_DATE] = g_param_spec_double ("month-to-date", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_FORECAST] = g_param_spec_double ("forecast", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_DAILY_RATE] = g_param_spec_double ("daily-rate", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_TODAY_ELAPSED] = g_param_spec_double ("today-elapsed", NULL, NULL, 0, 1, 0, flags);
  properties[PROP_DAYS_LEFT] = g_param_spec_uint ("days-left", NULL, NULL, 0, 31, 0, flags);
  properties[PROP_REMAINING_DAYS] = g_param_spec_double ("remaining-days", NULL, NULL, 0, 31, 0, flags);
  properties[PROP_HISTORY_DAYS] = g_param_spec_uint ("history-days", NULL, NULL, 0, TALLY_FORECAST_HISTORY_DAYS, 0, flags);
  properties[PROP_ENOUGH_HISTORY] = g_param_spec_boolean ("enough-history", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_forecast_init (TallyForecast *self)
{
}

/* ------------------------------------------------------------ the days */

gboolean
tally_forecast_trend_range (const char *server_today,
                            char **start_date,
                            char **end_date)
{
  GDate today;
  GDate start;

  g_return_val_if_fail (start_date != NULL && end_date != NULL, FALSE);

  *start_date = NULL;
  *end_date = NULL;
  if (!tally_date_parse (server_today, &today))
    return FALSE;

  /* the month's 1st, or today − 7 when the history window reaches into
   * the previous month (the first 7 days of a month) */
  start = today;
  if (g_date_get_day (&today) > TALLY_FORECAST_HISTORY_DAYS)
    g_date_set_day (&start, 1);
  else
    g_date_subtract_days (&start, TALLY_FORECAST_HISTORY_DAYS);

  *start_date = tally_date_format (&start);
  *end_date = g_strdup (server_today);
  return TRUE;
}

guint
tally_forecast_history_range (const char *server_today,
                              const char *first_day,
                              char **start_date,
                              char **end_date)
{
  GDate today;
  GDate first;
  GDate start;
  GDate end;

  g_return_val_if_fail (start_date != NULL && end_date != NULL, 0);

  *start_date = NULL;
  *end_date = NULL;
  if (!tally_date_parse (server_today, &today))
    return 0;

  start = today;
  g_date_subtract_days (&start, TALLY_FORECAST_HISTORY_DAYS);
  end = today;
  g_date_subtract_days (&end, 1);
  if (first_day != NULL && tally_date_parse (first_day, &first) && g_date_compare (&first, &start) > 0)
    start = first;
  if (g_date_compare (&start, &end) > 0)
    return 0;

  *start_date = tally_date_format (&start);
  *end_date = tally_date_format (&end);
  return (guint) (g_date_days_between (&start, &end) + 1);
}

/* ----------------------------------------------------------- the maths */

static gint64
cost_units (double usd)
{
  return isfinite (usd) ? (gint64) llround (usd * UNITS_PER_USD) : 0;
}

/* The part of @today elapsed at @now_unix in @zone, held in 0 … 1. */
static double
today_elapsed (const char *today,
               gint64 now_unix,
               const TallyServerZone *zone)
{
  g_autoptr (TallyServerZone) utc = NULL;
  gint64 start = 0;
  gint64 end = 0;

  if (zone == NULL)
    zone = utc = tally_server_zone_new_offset (0);
  if (!tally_server_zone_day_bounds (zone, today, &start, &end) || end <= start)
    return 0;
  if (now_unix <= start)
    return 0;
  if (now_unix >= end)
    return 1;
  return (double) (now_unix - start) / (double) (end - start);
}

static TallyForecast *
forecast_new (double month_to_date,
              double history_cost,
              const char *server_today,
              gint64 now_unix,
              const TallyServerZone *zone,
              const char *first_day)
{
  g_autoptr (TallyForecast) self = NULL;
  g_autofree char *history_start = NULL;
  g_autofree char *history_end = NULL;
  GDate today;
  GDate day;
  guint days_in_month;

  if (!tally_date_parse (server_today, &today))
    return NULL;

  self = g_object_new (TALLY_TYPE_FORECAST, NULL);
  self->today = g_strdup (server_today);
  days_in_month = g_date_get_days_in_month (g_date_get_month (&today), g_date_get_year (&today));
  day = today;
  g_date_set_day (&day, 1);
  self->month_start = tally_date_format (&day);
  g_date_set_day (&day, (GDateDay) days_in_month);
  self->month_end = tally_date_format (&day);

  self->history_days = tally_forecast_history_range (server_today, first_day, &history_start, &history_end);
  self->today_elapsed = today_elapsed (server_today, now_unix, zone);
  self->days_left = days_in_month - g_date_get_day (&today);
  self->remaining_days = (double) self->days_left + (1.0 - self->today_elapsed);
  self->month_to_date = month_to_date;
  self->daily_rate = self->history_days > 0 ? history_cost / (double) self->history_days : 0.0;
  self->forecast = self->month_to_date + self->daily_rate * self->remaining_days;

  return g_steal_pointer (&self);
}

TallyForecast *
tally_forecast_new_from_totals (double month_to_date,
                                double history_cost,
                                const char *server_today,
                                gint64 now_unix,
                                const TallyServerZone *zone,
                                const char *first_day)
{
  return forecast_new (month_to_date, history_cost, server_today, now_unix, zone, first_day);
}

TallyForecast *
tally_forecast_new_from_days (const TallyForecastDay *days,
                              gsize n_days,
                              const char *server_today,
                              gint64 now_unix,
                              const TallyServerZone *zone,
                              const char *first_day)
{
  g_autofree char *month_start = NULL;
  g_autofree char *unused = NULL;
  g_autofree char *history_start = NULL;
  g_autofree char *history_end = NULL;
  gint64 month_units = 0;
  gint64 history_units = 0;
  GDate today;

  g_return_val_if_fail (days != NULL || n_days == 0, NULL);

  if (!tally_date_parse (server_today, &today))
    return NULL;

  g_date_set_day (&today, 1);
  month_start = tally_date_format (&today);
  tally_forecast_history_range (server_today, first_day, &history_start, &history_end);

  /* "YYYY-MM-DD" strings compare as dates */
  for (gsize i = 0; i < n_days; i++)
    {
      const char *date = days[i].date;
      gint64 units;

      if (!tally_date_parse (date, NULL))
        continue;
      units = cost_units (days[i].actual_cost);
      if (strcmp (date, month_start) >= 0 && strcmp (date, server_today) <= 0)
        month_units += units;
      if (history_start != NULL && strcmp (date, history_start) >= 0 && strcmp (date, history_end) <= 0)
        history_units += units;
    }

  return forecast_new ((double) month_units / UNITS_PER_USD, (double) history_units / UNITS_PER_USD,
                       server_today, now_unix, zone, first_day);
}

TallyForecast *
tally_forecast_new_from_trend (GListModel *points,
                               const char *server_today,
                               gint64 now_unix,
                               const TallyServerZone *zone,
                               const char *first_day)
{
  g_autoptr (GArray) days = g_array_new (FALSE, FALSE, sizeof (TallyForecastDay));
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (points), NULL);

  n = g_list_model_get_n_items (points);
  for (guint i = 0; i < n; i++)
    {
      TallyTrendPoint *point = g_list_model_get_item (points, i);
      TallyForecastDay day = {
        tally_trend_point_get_date (point),
        tally_trend_point_get_actual_cost (point),
      };

      g_ptr_array_add (keep, point);
      g_array_append_val (days, day);
    }

  return tally_forecast_new_from_days ((const TallyForecastDay *) (gpointer) days->data, days->len,
                                       server_today, now_unix, zone, first_day);
}

/* ------------------------------------------------------------ getters */

const char *
tally_forecast_get_today (TallyForecast *self)
{
  g_return_val_if_fail (TALLY_IS_FORECAST (self), NULL);
  return self->today;
}

const char *
tally_forecast_get_month_start (TallyForecast *self)
{
  g_return_val_if_fail (TALLY_IS_FORECAST (self), NULL);
  return self->month_start;
}

const char *
tally_forecast_get_month_end (TallyForecast *self)
{
  g_return_val_if_fail (TALLY_IS_FORECAST (self), NULL);
  return self->month_end;
}

double
tally_forecast_get_month_to_date (TallyForecast *self)
{
  g_return_val_if_fail (TALLY_IS_FORECAST (self), 0);
  return self->month_to_date;
}

double
tally_forecast_get_forecast (TallyForecast *self)
{
  g_return_val_if_fail (TALLY_IS_FORECAST (self), 0);
  return self->forecast;
}

double
tally_forecast_get_daily_rate (TallyForecast *self)
{
  g_return_val_if_fail (TALLY_IS_FORECAST (self), 0);
  return self->daily_rate;
}

double
tally_forecast_get_today_elapsed (TallyForecast *self)
{
  g_return_val_if_fail (TALLY_IS_FORECAST (self), 0);
  return self->today_elapsed;
}

guint
tally_forecast_get_days_left (TallyForecast *self)
{
  g_return_val_if_fail (TALLY_IS_FORECAST (self), 0);
  return self->days_left;
}

double
tally_forecast_get_remaining_days (TallyForecast *self)
{
  g_return_val_if_fail (TALLY_IS_FORECAST (self), 0);
  return self->remaining_days;
}

guint
tally_forecast_get_history_days (TallyForecast *self)
{
  g_return_val_if_fail (TALLY_IS_FORECAST (self), 0);
  return self->history_days;
}

gboolean
tally_forecast_get_enough_history (TallyForecast *self)
{
  g_return_val_if_fail (TALLY_IS_FORECAST (self), FALSE);
  return self->history_days > 0;
}

char *
tally_forecast_describe_method (TallyForecast *self)
{
  g_return_val_if_fail (TALLY_IS_FORECAST (self), NULL);

  if (self->history_days == 0)
    return g_strdup (_ ("Not enough history: no full day yet, so the forecast is the month to date"));

  /* Translators: how the month-end forecast is made; %u is a number of days (1 to 7) */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Month to date plus the billed cost of the last %u full day times the days left",
                                       "Month to date plus the mean of the last %u full days times the days left",
                                       self->history_days),
                          self->history_days);
}

gboolean
tally_forecast_is_over (TallyForecast *self,
                        double budget_usd)
{
  g_return_val_if_fail (TALLY_IS_FORECAST (self), FALSE);

  return self->month_to_date > budget_usd || self->forecast > budget_usd;
}

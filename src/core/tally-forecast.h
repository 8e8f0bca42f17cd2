/* tally-forecast.h: month-to-date billed cost and the month-end forecast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure arithmetic on server days (no I/O): what `tally budget` prints and
 * what the dashboard shows next to a budget. Every day is a calendar day of
 * the server's zone ("YYYY-MM-DD"); the month is the server's calendar month
 * of its today.
 *
 * The method (src/DESIGN.md, "Budgets and the forecast"):
 *
 *   forecast = month-to-date + daily rate × remaining days
 *
 *   - month-to-date: the exact sum of the billed cost (actual_cost) of the
 *     month's days up to and including today (today so far). Costs are added
 *     in the server's unit (DECIMAL(20,10): 1e-10 USD) and turned into a
 *     double once, so the figure is the decimal sum.
 *   - remaining days: the whole days after today up to the month's last day,
 *     plus the part of today not yet elapsed (from "now" and today's bounds in
 *     the server's zone, so a 23- or 25-hour DST day counts right).
 *   - daily rate: the mean billed cost of the last 7 FULL days before today
 *     (today's partial hours are never extrapolated: one busy morning does not
 *     make a month). Days without rows count as 0. The window may reach into
 *     the previous month (on the 3rd: the previous month's last 5 days, the
 *     1st and the 2nd). Days before the account's first day are not history:
 *     an account opened 3 days ago has 2 full days (its first day and
 *     yesterday) and its rate is their mean. With no full day at all (an
 *     account opened today) the rate is 0, the forecast equals month-to-date
 *     and the forecast says it has "not enough history".
 */

#pragma once

#include <gio/gio.h>

#include "tally-server-zone.h"

G_BEGIN_DECLS

/* How many full days the daily rate averages at most. */
#define TALLY_FORECAST_HISTORY_DAYS 7

/* One server day's billed cost: the input of tally_forecast_new_from_days(). */
typedef struct
{
  const char *date; /* "YYYY-MM-DD" */
  double actual_cost;
} TallyForecastDay;

#define TALLY_TYPE_FORECAST (tally_forecast_get_type ())

G_DECLARE_FINAL_TYPE (TallyForecast, tally_forecast, TALLY, FORECAST, GObject)

/* The days a forecast of @server_today needs, to ask the daily trend for:
 * from the earlier of the month's first day and today − 7 to today. FALSE
 * (and NULLs) for an invalid date. */
gboolean tally_forecast_trend_range (const char *server_today,
                                     char **start_date,
                                     char **end_date);

/* The full days the daily rate averages: [*start_date, *end_date] = the last
 * TALLY_FORECAST_HISTORY_DAYS days before @server_today, none before
 * @first_day (the account's first server day; NULL = unknown, no limit).
 * Returns their number (0 … 7); with 0 the dates are NULL. */
guint tally_forecast_history_range (const char *server_today,
                                    const char *first_day,
                                    char **start_date,
                                    char **end_date);

/* The forecast from a daily series of billed cost (sparse: a day missing
 * is a day without rows). Days outside the month and the history window are
 * ignored; a day given twice counts twice. @now_unix is the server's "now";
 * it is held inside today's bounds (a clock that disagrees with the server's
 * day never makes today more than over or less than begun). @zone may be
 * NULL: UTC days. @first_day as for tally_forecast_history_range(). NULL
 * for an invalid @server_today. */
TallyForecast *tally_forecast_new_from_days (const TallyForecastDay *days,
                                             gsize n_days,
                                             const char *server_today,
                                             gint64 now_unix,
                                             const TallyServerZone *zone,
                                             const char *first_day);

/* The same from a GListModel of TallyTrendPoint (GET /usage/dashboard/trend,
 * granularity=day: labels "YYYY-MM-DD"). */
TallyForecast *tally_forecast_new_from_trend (GListModel *points,
                                              const char *server_today,
                                              gint64 now_unix,
                                              const TallyServerZone *zone,
                                              const char *first_day);

/* The same from sums: @month_to_date (the month's billed cost up to now) and
 * @history_cost, the billed cost of the tally_forecast_history_range() days
 * (for one API key: /usage/stats of the key over both ranges). */
TallyForecast *tally_forecast_new_from_totals (double month_to_date,
                                               double history_cost,
                                               const char *server_today,
                                               gint64 now_unix,
                                               const TallyServerZone *zone,
                                               const char *first_day);

/* Read-only properties of the same names. */
const char *tally_forecast_get_today (TallyForecast *self);       /* "server-today" */
const char *tally_forecast_get_month_start (TallyForecast *self); /* the 1st */
const char *tally_forecast_get_month_end (TallyForecast *self);   /* the last day */
double tally_forecast_get_month_to_date (TallyForecast *self);
double tally_forecast_get_forecast (TallyForecast *self);
/* the mean billed cost of a full day (0 without history) */
double tally_forecast_get_daily_rate (TallyForecast *self);
/* the part of today elapsed at "now", 0 … 1 */
double tally_forecast_get_today_elapsed (TallyForecast *self);
/* whole days after today in the month (0 on the last day) */
guint tally_forecast_get_days_left (TallyForecast *self);
/* days_left + the part of today still to come */
double tally_forecast_get_remaining_days (TallyForecast *self);
/* the full days the rate is the mean of (0 … 7) */
guint tally_forecast_get_history_days (TallyForecast *self);
/* FALSE when there is no full day: rate 0, forecast = month-to-date */
gboolean tally_forecast_get_enough_history (TallyForecast *self);

/* The method as one translated sentence for the UI and the CLI:
 * "Month to date plus the mean of the last 7 full days times the days left"
 * (the number of days is the forecast's), or the "not enough history" one. */
char *tally_forecast_describe_method (TallyForecast *self);

/* TRUE when month-to-date or the forecast is above @budget_usd (> 0). */
gboolean tally_forecast_is_over (TallyForecast *self,
                                 double budget_usd);

G_END_DECLS

/* test-forecast.c: the month-end forecast on fixtures (tally-forecast.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "tally-forecast.h"
#include "tally-server-time.h"
#include "tally-server-zone.h"

/* noon of @ymd in UTC */
static gint64
utc_noon (const char *ymd)
{
  g_autoptr (TallyServerZone) utc = tally_server_zone_new_offset (0);
  gint64 start = 0;

  g_assert_true (tally_server_zone_day_bounds (utc, ymd, &start, NULL));
  return start + 12 * 3600;
}

/* The formula of tally-forecast.h on the given numbers. */
static double
expected_forecast (double month_to_date,
                   double history_cost,
                   guint history_days,
                   guint days_left,
                   double elapsed)
{
  double rate = history_days > 0 ? history_cost / history_days : 0;

  return month_to_date + rate * ((double) days_left + (1.0 - elapsed));
}

static void
test_ranges (void)
{
  static const struct
  {
    const char *today;
    const char *trend_start;
    const char *first_day;
    guint history_days;
    const char *history_start;
    const char *history_end;
  } cases[] = {
    { "2026-01-15", "2026-01-01", NULL, 7, "2026-01-08", "2026-01-14" },
    { "2026-01-08", "2026-01-01", NULL, 7, "2026-01-01", "2026-01-07" },
    { "2026-01-07", "2025-12-31", NULL, 7, "2025-12-31", "2026-01-06" },
    { "2026-01-03", "2025-12-27", NULL, 7, "2025-12-27", "2026-01-02" },
    { "2026-03-01", "2026-02-22", NULL, 7, "2026-02-22", "2026-02-28" },
    { "2026-01-31", "2026-01-01", NULL, 7, "2026-01-24", "2026-01-30" },
    /* the account's first day limits the history */
    { "2026-01-15", "2026-01-01", "2026-01-12", 3, "2026-01-12", "2026-01-14" },
    { "2026-01-15", "2026-01-01", "2026-01-14", 1, "2026-01-14", "2026-01-14" },
    { "2026-01-15", "2026-01-01", "2026-01-15", 0, NULL, NULL },
    { "2026-01-15", "2026-01-01", "2025-06-01", 7, "2026-01-08", "2026-01-14" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *start = NULL;
      g_autofree char *end = NULL;
      g_autofree char *history_start = NULL;
      g_autofree char *history_end = NULL;
      guint n;

      g_assert_true (tally_forecast_trend_range (cases[i].today, &start, &end));
      g_assert_cmpstr (start, ==, cases[i].trend_start);
      g_assert_cmpstr (end, ==, cases[i].today);

      n = tally_forecast_history_range (cases[i].today, cases[i].first_day, &history_start, &history_end);
      g_assert_cmpuint (n, ==, cases[i].history_days);
      g_assert_cmpstr (history_start, ==, cases[i].history_start);
      g_assert_cmpstr (history_end, ==, cases[i].history_end);
    }

  {
    char *start = (char *) "x";
    char *end = (char *) "x";

    g_assert_false (tally_forecast_trend_range ("2026-02-30", &start, &end));
    g_assert_null (start);
    g_assert_null (end);
    g_assert_cmpuint (tally_forecast_history_range ("2026-1-5", NULL, &start, &end), ==, 0);
    g_assert_null (start);
  }
}

/* One day's cost a day, for a week and the month so far. */
typedef struct
{
  const char *today;
  guint days_left;
  const char *month_end;
  TallyForecastDay days[10];
  double month_to_date; /* the exact sum of the month's days */
  double history_cost;  /* the exact sum of the 7 days before today */
} MonthCase;

static void
test_months (void)
{
  static const MonthCase cases[] = {
    /* the first day of a 31-day month: the history is the previous month's last week */
    { "2026-03-01", 30, "2026-03-31", { { "2026-02-21", 100 }, { "2026-02-22", 1 }, { "2026-02-23", 2 }, { "2026-02-25", 4 }, { "2026-02-28", 7 }, { "2026-03-01", 0.5 } }, 0.5, 14 },
    /* the 3rd: two days of the month, five of the previous one */
    { "2026-01-03", 28, "2026-01-31", { { "2025-12-27", 1.25 }, { "2025-12-31", 2.5 }, { "2026-01-01", 3 }, { "2026-01-02", 4 }, { "2026-01-03", 0.125 } }, 7.125, 10.75 },
    /* mid-month of a 30-day month, a day without rows in the week */
    { "2026-04-15", 15, "2026-04-30", { { "2026-04-01", 10 }, { "2026-04-07", 20 }, { "2026-04-08", 1 }, { "2026-04-09", 2 }, { "2026-04-11", 3 }, { "2026-04-12", 4 }, { "2026-04-13", 5 }, { "2026-04-14", 6 }, { "2026-04-15", 0.75 } }, 51.75, 21 },
    /* the last day of a 28-day February */
    { "2026-02-28", 0, "2026-02-28", { { "2026-02-01", 5 }, { "2026-02-21", 7 }, { "2026-02-27", 7 }, { "2026-02-28", 3 } }, 22, 14 },
    /* a 29-day February */
    { "2028-02-10", 19, "2028-02-29", { { "2028-02-03", 7 }, { "2028-02-09", 7 }, { "2028-02-10", 1 } }, 15, 14 },
    /* a day after today and one before the window are ignored */
    { "2026-01-15", 16, "2026-01-31", { { "2026-01-07", 1000 }, { "2026-01-08", 7 }, { "2026-01-16", 500 }, { "2026-01-15", 2 } }, 1009, 7 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const MonthCase *c = &cases[i];
      gsize n_days = 0;
      g_autoptr (TallyForecast) forecast = NULL;
      g_autofree char *method = NULL;

      while (n_days < G_N_ELEMENTS (c->days) && c->days[n_days].date != NULL)
        n_days++;

      forecast = tally_forecast_new_from_days (c->days, n_days, c->today, utc_noon (c->today), NULL, NULL);
      g_assert_nonnull (forecast);
      g_assert_cmpstr (tally_forecast_get_today (forecast), ==, c->today);
      g_assert_cmpstr (tally_forecast_get_month_end (forecast), ==, c->month_end);
      g_assert_cmpuint (tally_forecast_get_days_left (forecast), ==, c->days_left);
      g_assert_cmpfloat (tally_forecast_get_today_elapsed (forecast), ==, 0.5);
      g_assert_cmpfloat (tally_forecast_get_remaining_days (forecast), ==, c->days_left + 0.5);
      g_assert_cmpuint (tally_forecast_get_history_days (forecast), ==, 7);
      g_assert_true (tally_forecast_get_enough_history (forecast));
      g_assert_cmpfloat (tally_forecast_get_month_to_date (forecast), ==, c->month_to_date);
      g_assert_cmpfloat (tally_forecast_get_daily_rate (forecast), ==, c->history_cost / 7);
      g_assert_cmpfloat (tally_forecast_get_forecast (forecast), ==,
                         expected_forecast (c->month_to_date, c->history_cost, 7, c->days_left, 0.5));
      method = tally_forecast_describe_method (forecast);
      g_assert_cmpstr (method, ==, "Month to date plus the mean of the last 7 full days times the days left");
      g_assert_finalize_object (g_steal_pointer (&forecast));
    }
}

static void
test_month_start (void)
{
  g_autoptr (TallyForecast) forecast = NULL;
  g_autofree char *start = NULL;
  guint days_left = 0;

  forecast = tally_forecast_new_from_days (NULL, 0, "2026-02-14", utc_noon ("2026-02-14"), NULL, NULL);
  g_assert_cmpstr (tally_forecast_get_month_start (forecast), ==, "2026-02-01");
  g_object_get (forecast, "month-start", &start, "days-left", &days_left, NULL);
  g_assert_cmpstr (start, ==, "2026-02-01");
  g_assert_cmpuint (days_left, ==, 14);
}

/* An empty account: no rows. Opened today, there is no full day; opened
 * long ago, a week of zeros is history all the same. */
static void
test_no_history (void)
{
  g_autoptr (TallyForecast) today = NULL;
  g_autoptr (TallyForecast) old = NULL;
  g_autoptr (TallyForecast) busy = NULL;
  g_autofree char *method = NULL;
  gboolean enough = TRUE;
  const TallyForecastDay first[] = { { "2026-01-15", 40 } };

  today = tally_forecast_new_from_days (NULL, 0, "2026-01-15", utc_noon ("2026-01-15"), NULL, "2026-01-15");
  g_assert_cmpuint (tally_forecast_get_history_days (today), ==, 0);
  g_assert_false (tally_forecast_get_enough_history (today));
  g_object_get (today, "enough-history", &enough, NULL);
  g_assert_false (enough);
  g_assert_cmpfloat (tally_forecast_get_daily_rate (today), ==, 0);
  g_assert_cmpfloat (tally_forecast_get_month_to_date (today), ==, 0);
  g_assert_cmpfloat (tally_forecast_get_forecast (today), ==, 0);
  method = tally_forecast_describe_method (today);
  g_assert_cmpstr (method, ==, "Not enough history: no full day yet, so the forecast is the month to date");

  /* a first busy day is not extrapolated from its partial hours */
  busy = tally_forecast_new_from_days (first, 1, "2026-01-15", utc_noon ("2026-01-15"), NULL, "2026-01-15");
  g_assert_cmpfloat (tally_forecast_get_month_to_date (busy), ==, 40);
  g_assert_cmpfloat (tally_forecast_get_forecast (busy), ==, 40);
  g_assert_false (tally_forecast_get_enough_history (busy));

  old = tally_forecast_new_from_days (NULL, 0, "2026-01-15", utc_noon ("2026-01-15"), NULL, NULL);
  g_assert_cmpuint (tally_forecast_get_history_days (old), ==, 7);
  g_assert_true (tally_forecast_get_enough_history (old));
  g_assert_cmpfloat (tally_forecast_get_forecast (old), ==, 0);
}

/* An account opened 3 days ago: the mean of its 2 full days, not of 7. */
static void
test_young_account (void)
{
  const TallyForecastDay days[] = {
    { "2026-01-12", 9 }, /* before the account: ignored */
    { "2026-01-13", 3 },
    { "2026-01-14", 5 },
    { "2026-01-15", 1 },
  };
  g_autoptr (TallyForecast) forecast = NULL;
  g_autoptr (TallyForecast) one = NULL;
  g_autofree char *method = NULL;

  forecast = tally_forecast_new_from_days (days, G_N_ELEMENTS (days), "2026-01-15", utc_noon ("2026-01-15"), NULL,
                                           "2026-01-13");
  g_assert_cmpuint (tally_forecast_get_history_days (forecast), ==, 2);
  g_assert_cmpfloat (tally_forecast_get_daily_rate (forecast), ==, 4);
  g_assert_cmpfloat (tally_forecast_get_month_to_date (forecast), ==, 18);
  g_assert_cmpfloat (tally_forecast_get_forecast (forecast), ==, 18 + 4 * 16.5);
  method = tally_forecast_describe_method (forecast);
  g_assert_cmpstr (method, ==, "Month to date plus the mean of the last 2 full days times the days left");
  g_clear_pointer (&method, g_free);

  one = tally_forecast_new_from_days (days, G_N_ELEMENTS (days), "2026-01-15", utc_noon ("2026-01-15"), NULL,
                                      "2026-01-14");
  method = tally_forecast_describe_method (one);
  g_assert_cmpstr (method, ==, "Month to date plus the billed cost of the last 1 full day times the days left");
  g_assert_cmpfloat (tally_forecast_get_forecast (one), ==, 18 + 5 * 16.5);
}

/* The month-to-date is the decimal sum, not a sum of doubles. */
static void
test_exact_sum (void)
{
  const TallyForecastDay days[] = {
    { "2026-01-01", 0.1 },
    { "2026-01-02", 0.2 },
    { "2026-01-03", 0.0000000001 },
    { "2026-01-04", 1.0000000002 },
  };
  g_autoptr (TallyForecast) forecast = NULL;

  g_assert_cmpfloat (0.1 + 0.2, !=, 0.3);
  forecast = tally_forecast_new_from_days (days, 2, "2026-01-02", utc_noon ("2026-01-02"), NULL, NULL);
  g_assert_cmpfloat (tally_forecast_get_month_to_date (forecast), ==, 0.3);
  g_clear_object (&forecast);

  forecast = tally_forecast_new_from_days (days, G_N_ELEMENTS (days), "2026-01-05", utc_noon ("2026-01-05"), NULL,
                                           NULL);
  g_assert_cmpfloat (tally_forecast_get_month_to_date (forecast), ==, 1.3000000003);
}

/* "now" in the server's zone: the part of today elapsed, 23- and 25-hour
 * days included, held within today. */
static void
test_elapsed (void)
{
  g_autoptr (TallyServerZone) york = tally_server_zone_new_identifier ("America/New_York", 0);
  g_autoptr (TallyServerZone) shanghai = tally_server_zone_new_offset (28800);
  const TallyForecastDay week[] = { { "2026-03-07", 23 }, { "2026-10-31", 25 } };
  struct
  {
    const TallyServerZone *zone;
    const char *today;
    gint64 now;
    double elapsed;
    double month_to_date;
    double history_cost;
  } cases[] = {
    /* 12:00 EDT on the spring-forward day: 11 of 23 hours */
    { york, "2026-03-08", 1772985600, 11.0 / 23.0, 23, 23 },
    /* 12:00 EST on the fall-back day: 13 of 25 hours */
    { york, "2026-11-01", 1793552400, 13.0 / 25.0, 0, 25 },
    /* an ordinary day in New York: 06:00 EST */
    { york, "2026-01-15", 1768474800, 0.25, 0, 0 },
    /* the tests' pinned clock, 2026-01-15T12:00:00+08:00 */
    { shanghai, "2026-01-15", 1768449600, 0.5, 0, 0 },
    /* a clock behind or ahead of the server's day */
    { shanghai, "2026-01-15", 1768449600 - 86400, 0, 0, 0 },
    { shanghai, "2026-01-15", 1768449600 + 86400, 1, 0, 0 },
  };

  g_assert_nonnull (tally_server_zone_get_name (york));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TallyForecast) forecast = NULL;
      guint days_left;

      forecast = tally_forecast_new_from_days (week, G_N_ELEMENTS (week), cases[i].today, cases[i].now,
                                               cases[i].zone, NULL);
      days_left = tally_forecast_get_days_left (forecast);
      g_assert_cmpfloat (tally_forecast_get_today_elapsed (forecast), ==, cases[i].elapsed);
      g_assert_cmpfloat (tally_forecast_get_remaining_days (forecast), ==, days_left + (1.0 - cases[i].elapsed));
      g_assert_cmpfloat (tally_forecast_get_month_to_date (forecast), ==, cases[i].month_to_date);
      g_assert_cmpfloat (tally_forecast_get_forecast (forecast), ==,
                         expected_forecast (cases[i].month_to_date, cases[i].history_cost, 7, days_left,
                                            cases[i].elapsed));
    }
}

static void
test_totals (void)
{
  g_autoptr (TallyForecast) forecast = NULL;

  forecast = tally_forecast_new_from_totals (12.5, 7.7, "2026-01-15", utc_noon ("2026-01-15"), NULL, NULL);
  g_assert_cmpfloat (tally_forecast_get_month_to_date (forecast), ==, 12.5);
  g_assert_cmpfloat (tally_forecast_get_daily_rate (forecast), ==, 7.7 / 7);
  g_assert_cmpfloat (tally_forecast_get_forecast (forecast), ==, expected_forecast (12.5, 7.7, 7, 16, 0.5));
  g_assert_null (tally_forecast_new_from_totals (1, 1, "2026-13-01", 0, NULL, NULL));
}

static void
test_is_over (void)
{
  const TallyForecastDay days[] = { { "2026-01-14", 70 }, { "2026-01-15", 50 } };
  g_autoptr (TallyForecast) forecast = NULL;

  /* month to date 120, rate 10, forecast 120 + 10 × 16.5 = 285 */
  forecast = tally_forecast_new_from_days (days, G_N_ELEMENTS (days), "2026-01-15", utc_noon ("2026-01-15"), NULL,
                                           NULL);
  g_assert_cmpfloat (tally_forecast_get_forecast (forecast), ==, 285);
  g_assert_true (tally_forecast_is_over (forecast, 100)); /* month to date over */
  g_assert_true (tally_forecast_is_over (forecast, 200)); /* forecast over */
  g_assert_true (tally_forecast_is_over (forecast, 284.99));
  g_assert_false (tally_forecast_is_over (forecast, 285)); /* at the budget is not over */
  g_assert_false (tally_forecast_is_over (forecast, 300));
}

int
main (int argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/forecast/ranges", test_ranges);
  g_test_add_func ("/forecast/months", test_months);
  g_test_add_func ("/forecast/month-start", test_month_start);
  g_test_add_func ("/forecast/no-history", test_no_history);
  g_test_add_func ("/forecast/young-account", test_young_account);
  g_test_add_func ("/forecast/exact-sum", test_exact_sum);
  g_test_add_func ("/forecast/elapsed", test_elapsed);
  g_test_add_func ("/forecast/totals", test_totals);
  g_test_add_func ("/forecast/is-over", test_is_over);

  return g_test_run ();
}

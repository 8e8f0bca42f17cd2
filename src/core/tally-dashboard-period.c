/* tally-dashboard-period.c: where a range stands now, and its comparison sums
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A range that is still running (it holds the server's today) is compared
 * with the period of the same length before it up to the same point in
 * time. The servers answer in whole hours: the hourly trend's buckets
 * ("YYYY-MM-DD HH:00", both generations) give each side up to the start of
 * the hour now is in, so "Today" at 10:42 compares today 00:00–10:00 with
 * yesterday 00:00–10:00 (the running hour is left out of both sides, never
 * compared with a whole one).
 */

#define G_LOG_DOMAIN "tally-dashboard"

#include "config.h"

#include <string.h>

#include "tally-dashboard-private.h"
#include "tally-server-time.h"
#include "tally-trend-point.h"

char *
_tally_dashboard_add_days (const char *ymd,
                           int days)
{
  GDate date;

  if (!tally_date_parse (ymd, &date))
    return NULL;

  if (days >= 0)
    g_date_add_days (&date, days);
  else
    g_date_subtract_days (&date, -days);

  return tally_date_format (&date);
}

static void
add_point (TallyPeriodTotals *totals,
           TallyTrendPoint *point)
{
  totals->requests += tally_trend_point_get_requests (point);
  totals->input_tokens += tally_trend_point_get_input_tokens (point);
  totals->output_tokens += tally_trend_point_get_output_tokens (point);
  totals->cache_tokens += tally_trend_point_get_cache_tokens (point);
  totals->total_tokens += tally_trend_point_get_total_tokens (point);
  totals->cost += tally_trend_point_get_cost (point);
  totals->actual_cost += tally_trend_point_get_actual_cost (point);
}

TallyPeriodTotals *
_tally_dashboard_sum_points (GListModel *points,
                             int n_days)
{
  TallyPeriodTotals *totals = g_new0 (TallyPeriodTotals, 1);
  guint n = g_list_model_get_n_items (points);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallyTrendPoint) point = g_list_model_get_item (points, i);

      add_point (totals, point);
    }
  totals->n_days = n_days;

  return totals;
}

TallyPeriodTotals *
_tally_dashboard_sum_hours (GListModel *points,
                            const char *from_date,
                            const char *before_label,
                            int n_days)
{
  TallyPeriodTotals *totals = g_new0 (TallyPeriodTotals, 1);
  g_autofree char *from_label = g_strconcat (from_date, " 00:00", NULL);
  guint n = g_list_model_get_n_items (points);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallyTrendPoint) point = g_list_model_get_item (points, i);
      const char *label = tally_trend_point_get_date (point);

      /* "YYYY-MM-DD HH:00" labels sort as text */
      if (label == NULL || strlen (label) != 16 || strcmp (label, from_label) < 0 || strcmp (label, before_label) >= 0)
        continue;
      add_point (totals, point);
    }
  totals->n_days = n_days;

  return totals;
}

gboolean
_tally_dashboard_range_running (const char *start_date,
                                const char *end_date,
                                gint64 now_unix,
                                const TallyServerZone *zone,
                                int utc_offset,
                                char **cut,
                                char **previous_cut)
{
  g_autofree char *today = NULL;
  g_autofree char *previous_day = NULL;
  g_autoptr (GDateTime) wall = NULL;
  int offset;
  int n_days;

  *cut = NULL;
  *previous_cut = NULL;

  n_days = tally_date_range_days (start_date, end_date);
  if (n_days == 0)
    return FALSE;

  offset = zone != NULL ? tally_server_zone_get_offset_at (zone, now_unix) : utc_offset;
  today = zone != NULL ? tally_server_zone_today (zone, now_unix) : tally_server_today (now_unix, offset);
  if (today == NULL || strcmp (today, start_date) < 0 || strcmp (today, end_date) > 0)
    return FALSE;

  /* the server's wall clock now */
  wall = g_date_time_new_from_unix_utc (now_unix + offset);
  if (wall == NULL)
    return FALSE;

  previous_day = _tally_dashboard_add_days (today, -n_days);
  *cut = g_strdup_printf ("%s %02d:00", today, g_date_time_get_hour (wall));
  *previous_cut = g_strdup_printf ("%s %02d:00", previous_day, g_date_time_get_hour (wall));

  return TRUE;
}

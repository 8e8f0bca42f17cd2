/* tally-dashboard-private.h: what the parts of TallyDashboard share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tally-dashboard.c: the object, its loads and properties;
 * tally-dashboard-period.c: where a range stands at the server's now, and
 * the sums that compare it with the period before it up to the same time;
 * tally-dashboard-keys.c: the per-key costs of the range.
 */

#pragma once

#include "tally-dashboard.h"
#include "tally-server-zone.h"

G_BEGIN_DECLS

/* Where the range [start, end] stands at @now_unix in @zone (NULL: a fixed
 * @utc_offset). A range is running when the server day at @now_unix lies
 * inside it; then *cut ("YYYY-MM-DD HH:00", the hour now is in, on that
 * day) and *previous_cut (the same wall-clock hour on the day @n_days
 * earlier) are set, else they are NULL. */
gboolean _tally_dashboard_range_running (const char *start_date,
                                         const char *end_date,
                                         gint64 now_unix,
                                         const TallyServerZone *zone,
                                         int utc_offset,
                                         char **cut,
                                         char **previous_cut);

/* The sum of the hourly points of @points ("YYYY-MM-DD HH:00") with
 * "@from_date 00:00" <= label < @before_label; n_days = @n_days. */
TallyPeriodTotals *_tally_dashboard_sum_hours (GListModel *points,
                                               const char *from_date,
                                               const char *before_label,
                                               int n_days);

/* The sum of every point of @points (whatever the granularity). */
TallyPeriodTotals *_tally_dashboard_sum_points (GListModel *points,
                                                int n_days);

/* "YYYY-MM-DD" @days after @ymd (negative: before); NULL for a bad date. */
char *_tally_dashboard_add_days (const char *ymd,
                                 int days);

/* tally-dashboard-keys.c: the rows of "key-costs". @keys: the session's
 * TallyApiKey; @usage: TallyKeyUsage (today, all time) of the batch call;
 * @range_costs: key id (gint64 *) → billed cost in the range (double *),
 * NULL when the range costs are the batch's today figures (@range_is_today)
 * or unknown; @range_total: the billed total of the range (the trend);
 * @all_today, @all_total: the dashboard stats (NAN when unknown). */
GPtrArray *_tally_dashboard_build_key_costs (GListModel *keys,
                                             GListModel *usage,
                                             GHashTable *range_costs,
                                             gboolean range_is_today,
                                             double range_total,
                                             double all_today,
                                             double all_total);

G_END_DECLS

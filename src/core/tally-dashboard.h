/* tally-dashboard.h: the dashboard's view model (range, trend, models, key costs)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TallyDashboard follows a TallySession: it loads, for a range of server days,
 * the trend (zero-filled, daily, or hourly for a one-day range), the model
 * breakdown and the per-key costs (every key of tally_session_get_keys() with
 * the batch endpoint's today/total billed cost, plus a "deleted keys" row for
 * the rest of the dashboard total). It reloads whenever the session reloads.
 *
 * Loading is cancel-and-replace: a new range or a reload cancels the load in
 * flight; bursts coalesce into one load on idle. A load's results are applied
 * together when every request succeeded; a failed load keeps the last good
 * data and sets "last-error" (plain text).
 *
 * Requests: the session already loads the server's default trend (the 8 days
 * ending today); a daily range inside it is taken from there (the previous
 * period, when outside it, comes from one GET /usage/stats). Other ranges
 * fetch the trend of [start - N days, end] once and split it into the range
 * and the previous period of the same length.
 *
 * Comparison: a range that holds the server's today is still running; it is
 * compared with the previous period up to the same point in time, in whole
 * hours (what both server generations answer: the hourly trend's buckets):
 * "compared-totals" is the range from its first midnight to the start of
 * the hour now is in ("compare-until", "HH:00"), "previous-totals" the
 * previous period up to the same wall-clock hour of its last day. A range of
 * days fetches the hourly trend of [start - N days, end] for it (a one-day
 * range has it already). A finished range compares whole periods
 * ("compare-until" NULL, "compared-totals" = "range-totals").
 *
 * Keys: the batch call (today, all time) and then, unless the range is the
 * server's today (the batch's today figures), one GET /usage/stats with
 * api_key_id and the range's dates per key that has any usage at all (the
 * same on a December 2025 and a today's server: neither has a per-key
 * breakdown of a range in fewer calls; the per-key daily series of newer
 * servers is one call per key too). The calls go through the client's
 * scheduler, which paces heavy routes.
 *
 * "now": the server's clock (tally_session_get_server_now()), unless set.
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"
#include "tally-session.h"

G_BEGIN_DECLS

/**
 * TallyPeriodTotals:
 * Sums over a range of server days (from the trend).
 */
typedef struct
{
  gint64 requests;
  gint64 input_tokens;
  gint64 output_tokens;
  gint64 cache_tokens;
  gint64 total_tokens;
  double cost;        /* list price */
  double actual_cost; /* billed */
  int n_days;
} TallyPeriodTotals;

#define TALLY_TYPE_PERIOD_TOTALS (tally_period_totals_get_type ())
GType tally_period_totals_get_type (void) G_GNUC_CONST;
TallyPeriodTotals *tally_period_totals_copy (const TallyPeriodTotals *self);
void tally_period_totals_free (TallyPeriodTotals *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TallyPeriodTotals, tally_period_totals_free)

/* (current - previous) / previous; NAN when @previous is 0 (no basis). */
double tally_change_fraction (double current,
                              double previous);

#define TALLY_TYPE_DASHBOARD (tally_dashboard_get_type ())

G_DECLARE_FINAL_TYPE (TallyDashboard, tally_dashboard, TALLY, DASHBOARD, GObject)

TallyDashboard *tally_dashboard_new (TallySession *session);

TallySession *tally_dashboard_get_session (TallyDashboard *self);
/* "YYYY-MM-DD" server days, NULL until the server's today is known. Until a
 * range is set, the range is the last 7 days ending on the server's today. */
const char *tally_dashboard_get_start_date (TallyDashboard *self);
const char *tally_dashboard_get_end_date (TallyDashboard *self);
/* HOUR when the range is a single day, else DAY. */
TallyGranularity tally_dashboard_get_granularity (TallyDashboard *self);
/* Zero-filled TallyTrendPoint of the loaded range (a new model per load). */
GListModel *tally_dashboard_get_trend (TallyDashboard *self);
/* TallyModelStat of the loaded range, in the server's order. */
GListModel *tally_dashboard_get_models (TallyDashboard *self);
/* TallyKeyCost sorted by billed cost in the range (descending); the
 * "deleted keys" row (the range's total minus the listed keys), when there
 * is one, is last. */
GListModel *tally_dashboard_get_key_costs (TallyDashboard *self);
/* Totals of the loaded range and of the period of the same length just
 * before it; NULL until loaded. */
const TallyPeriodTotals *tally_dashboard_get_range_totals (TallyDashboard *self);
const TallyPeriodTotals *tally_dashboard_get_previous_totals (TallyDashboard *self);
/* The side of the range that is compared with "previous-totals" (see above). */
const TallyPeriodTotals *tally_dashboard_get_compared_totals (TallyDashboard *self);
/* The previous period's days, and "HH:00" when a running range is compared
 * up to that hour (NULL: whole periods); of the data shown. */
const char *tally_dashboard_get_previous_start_date (TallyDashboard *self);
const char *tally_dashboard_get_previous_end_date (TallyDashboard *self);
const char *tally_dashboard_get_compare_until (TallyDashboard *self);
/* Our clock (g_get_real_time(), µs) when the data shown was loaded; 0 = never. */
gint64 tally_dashboard_get_updated_at (TallyDashboard *self);
/* "now" (unix seconds): the server's clock, or the one set (0 = unset). */
gint64 tally_dashboard_get_now (TallyDashboard *self);
void tally_dashboard_set_now (TallyDashboard *self,
                              gint64 now_unix);
/* Yesterday (server day) from the session's recent trend; NULL when unknown. */
const TallyPeriodTotals *tally_dashboard_get_yesterday_totals (TallyDashboard *self);
/* The start/end dates of the data currently shown (they lag behind
 * "start-date"/"end-date" while a load is in flight). */
const char *tally_dashboard_get_loaded_start_date (TallyDashboard *self);
const char *tally_dashboard_get_loaded_end_date (TallyDashboard *self);
gboolean tally_dashboard_get_busy (TallyDashboard *self);
const char *tally_dashboard_get_last_error (TallyDashboard *self);

/* Valid "YYYY-MM-DD" dates with start <= end; otherwise a g_critical. */
void tally_dashboard_set_range (TallyDashboard *self,
                                const char *start_date,
                                const char *end_date);
/* Cancels the load in flight and loads again (fetching everything itself). */
void tally_dashboard_reload (TallyDashboard *self);

G_END_DECLS

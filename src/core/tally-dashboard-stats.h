/* tally-dashboard-stats.h: GET /usage/dashboard/stats
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_DASHBOARD_STATS (tally_dashboard_stats_get_type ())

G_DECLARE_FINAL_TYPE (TallyDashboardStats, tally_dashboard_stats, TALLY, DASHBOARD_STATS, GObject)

gint64 tally_dashboard_stats_get_total_api_keys (TallyDashboardStats *self);
gint64 tally_dashboard_stats_get_active_api_keys (TallyDashboardStats *self);
gint64 tally_dashboard_stats_get_total_requests (TallyDashboardStats *self);
gint64 tally_dashboard_stats_get_total_input_tokens (TallyDashboardStats *self);
gint64 tally_dashboard_stats_get_total_output_tokens (TallyDashboardStats *self);
gint64 tally_dashboard_stats_get_total_cache_creation_tokens (TallyDashboardStats *self);
gint64 tally_dashboard_stats_get_total_cache_read_tokens (TallyDashboardStats *self);
gint64 tally_dashboard_stats_get_total_tokens (TallyDashboardStats *self);
double tally_dashboard_stats_get_total_cost (TallyDashboardStats *self);
double tally_dashboard_stats_get_total_actual_cost (TallyDashboardStats *self);
gint64 tally_dashboard_stats_get_today_requests (TallyDashboardStats *self);
gint64 tally_dashboard_stats_get_today_input_tokens (TallyDashboardStats *self);
gint64 tally_dashboard_stats_get_today_output_tokens (TallyDashboardStats *self);
gint64 tally_dashboard_stats_get_today_cache_creation_tokens (TallyDashboardStats *self);
gint64 tally_dashboard_stats_get_today_cache_read_tokens (TallyDashboardStats *self);
gint64 tally_dashboard_stats_get_today_tokens (TallyDashboardStats *self);
double tally_dashboard_stats_get_today_cost (TallyDashboardStats *self);
double tally_dashboard_stats_get_today_actual_cost (TallyDashboardStats *self);
double tally_dashboard_stats_get_average_duration_ms (TallyDashboardStats *self);
gint64 tally_dashboard_stats_get_rpm (TallyDashboardStats *self);
gint64 tally_dashboard_stats_get_tpm (TallyDashboardStats *self);

G_END_DECLS

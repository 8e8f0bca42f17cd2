/* tally-usage-stats.h: GET /usage/stats
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_USAGE_STATS (tally_usage_stats_get_type ())

G_DECLARE_FINAL_TYPE (TallyUsageStats, tally_usage_stats, TALLY, USAGE_STATS, GObject)

gint64 tally_usage_stats_get_total_requests (TallyUsageStats *self);
gint64 tally_usage_stats_get_total_input_tokens (TallyUsageStats *self);
gint64 tally_usage_stats_get_total_output_tokens (TallyUsageStats *self);
gint64 tally_usage_stats_get_total_cache_tokens (TallyUsageStats *self);
gint64 tally_usage_stats_get_total_tokens (TallyUsageStats *self);
double tally_usage_stats_get_total_cost (TallyUsageStats *self);
double tally_usage_stats_get_total_actual_cost (TallyUsageStats *self);
double tally_usage_stats_get_average_duration_ms (TallyUsageStats *self);
gint64 tally_usage_stats_get_total_cache_creation_tokens (TallyUsageStats *self);
gint64 tally_usage_stats_get_total_cache_read_tokens (TallyUsageStats *self);

/* total_cache_creation_tokens / total_cache_read_tokens are -1 when absent (S servers). */

G_END_DECLS

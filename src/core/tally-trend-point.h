/* tally-trend-point.h: one bucket of GET /usage/dashboard/trend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_TREND_POINT (tally_trend_point_get_type ())

G_DECLARE_FINAL_TYPE (TallyTrendPoint, tally_trend_point, TALLY, TREND_POINT, GObject)

const char *tally_trend_point_get_date (TallyTrendPoint *self);
gint64 tally_trend_point_get_requests (TallyTrendPoint *self);
gint64 tally_trend_point_get_input_tokens (TallyTrendPoint *self);
gint64 tally_trend_point_get_output_tokens (TallyTrendPoint *self);
gint64 tally_trend_point_get_cache_tokens (TallyTrendPoint *self);
gint64 tally_trend_point_get_total_tokens (TallyTrendPoint *self);
double tally_trend_point_get_cost (TallyTrendPoint *self);
double tally_trend_point_get_actual_cost (TallyTrendPoint *self);

/* date is the server label "YYYY-MM-DD" or "YYYY-MM-DD HH:00".
 * cache_tokens is the S field, or cache_creation_tokens + cache_read_tokens (L). */

/* A point with every counter zero, for filling gaps in a sparse trend. */
TallyTrendPoint *tally_trend_point_new_empty (const char *date);

G_END_DECLS

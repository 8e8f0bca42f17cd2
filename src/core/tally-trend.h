/* tally-trend.h: GET /usage/dashboard/trend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_TREND (tally_trend_get_type ())

G_DECLARE_FINAL_TYPE (TallyTrend, tally_trend, TALLY, TREND, GObject)

const char *tally_trend_get_start_date (TallyTrend *self);
const char *tally_trend_get_end_date (TallyTrend *self);
const char *tally_trend_get_granularity (TallyTrend *self);
GListModel *tally_trend_get_points (TallyTrend *self);

/* granularity is the server's echo of the request. points: TallyTrendPoint, never NULL. */

G_END_DECLS

/* tally-trend-chart.h: the dashboard's usage-over-time chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tally-chart.h"
#include "tally-trend-chart-draw.h"

G_BEGIN_DECLS

#define TALLY_TYPE_TREND_CHART (tally_trend_chart_get_type ())

G_DECLARE_FINAL_TYPE (TallyTrendChart, tally_trend_chart, TALLY, TREND_CHART, TallyChart)

GtkWidget *tally_trend_chart_new (void);
/* A zero-filled GListModel of TallyTrendPoint (see tally_trend_zero_fill()). */
GListModel *tally_trend_chart_get_model (TallyTrendChart *self);
void tally_trend_chart_set_model (TallyTrendChart *self,
                                  GListModel *model);
TallyTrendSeries tally_trend_chart_get_series (TallyTrendChart *self);
void tally_trend_chart_set_series (TallyTrendChart *self,
                                   TallyTrendSeries series);
/* The server's wall-clock time the data is as of, "YYYY-MM-DD HH:MM" (NULL =
 * every bucket complete): its bucket is drawn as "so far", later ones not. */
const char *tally_trend_chart_get_now (TallyTrendChart *self);
void tally_trend_chart_set_now (TallyTrendChart *self,
                                const char *now);
/* The text summary that is also the accessible label. */
const char *tally_trend_chart_get_summary (TallyTrendChart *self);
/* The bucket shown (under the pointer or stepped to with the keys), or -1. */
int tally_trend_chart_get_hover_index (TallyTrendChart *self);

G_END_DECLS

/* tally-pie-chart.h: the dashboard's share-by-model donut with its legend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tally-chart.h"
#include "tally-pie-chart-draw.h"

G_BEGIN_DECLS

#define TALLY_TYPE_PIE_CHART (tally_pie_chart_get_type ())

G_DECLARE_FINAL_TYPE (TallyPieChart, tally_pie_chart, TALLY, PIE_CHART, TallyChart)

GtkWidget *tally_pie_chart_new (void);
/* A GListModel of TallyModelStat */
GListModel *tally_pie_chart_get_model (TallyPieChart *self);
void tally_pie_chart_set_model (TallyPieChart *self,
                                GListModel *model);
TallyPieMeasure tally_pie_chart_get_measure (TallyPieChart *self);
void tally_pie_chart_set_measure (TallyPieChart *self,
                                  TallyPieMeasure measure);
/* The text summary that is also the accessible label. */
const char *tally_pie_chart_get_summary (TallyPieChart *self);
/* The slice shown (under the pointer, on the ring or its legend row, or
 * stepped to with the keys), or -1. */
int tally_pie_chart_get_hover_index (TallyPieChart *self);

G_END_DECLS

/* tally-pie-chart-draw.h: the model share chart as pure drawing (no widget)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same three steps as the trend chart: TallyPieChartData (slices sorted
 * and folded once per model or measure change), TallyPieChartLayout (donut
 * and legend placed once per size or font change), tally_pie_chart_draw()
 * (paints on any cairo_t).
 */

#pragma once

#include <glib-object.h>
#include <graphene.h>
#include <pango/pangocairo.h>

#include "tally-chart-palette.h"
#include "tally-chart-readout.h"
#include "tally-model-stat.h"

#include "tally-draw-enums.h"

G_BEGIN_DECLS

/**
 * TallyPieMeasure:
 * @TALLY_PIE_MEASURE_BILLED_COST: actual_cost
 * @TALLY_PIE_MEASURE_TOKENS: total_tokens
 * @TALLY_PIE_MEASURE_REQUESTS: requests
 */
typedef enum
{
  TALLY_PIE_MEASURE_BILLED_COST,
  TALLY_PIE_MEASURE_TOKENS,
  TALLY_PIE_MEASURE_REQUESTS,
} TallyPieMeasure;

/* "Billed cost", "Tokens", "Requests" (translated) */
const char *tally_pie_measure_get_title (TallyPieMeasure measure);

/* Slices below this share of the total are folded into "Other". */
#define TALLY_PIE_CHART_MIN_FRACTION 0.02
/* At most this many slices, "Other" included. */
#define TALLY_PIE_CHART_MAX_SLICES 8

/* 1. Data */

typedef struct _TallyPieChartData TallyPieChartData;

TallyPieChartData *tally_pie_chart_data_new (GListModel *models,
                                             TallyPieMeasure measure);
TallyPieChartData *tally_pie_chart_data_ref (TallyPieChartData *data);
void tally_pie_chart_data_unref (TallyPieChartData *data);
TallyPieMeasure tally_pie_chart_data_get_measure (TallyPieChartData *data);
/* Slices in descending order; "Other", when present, is last. */
guint tally_pie_chart_data_get_n_slices (TallyPieChartData *data);
/* The model name as the server sent it, or "Other" (translated). */
const char *tally_pie_chart_data_get_slice_name (TallyPieChartData *data,
                                                 guint index);
double tally_pie_chart_data_get_slice_value (TallyPieChartData *data,
                                             guint index);
double tally_pie_chart_data_get_slice_fraction (TallyPieChartData *data,
                                                guint index);
gboolean tally_pie_chart_data_slice_is_other (TallyPieChartData *data,
                                              guint index);
/* How many models a slice stands for (1, or the number folded into "Other"). */
guint tally_pie_chart_data_get_slice_n_models (TallyPieChartData *data,
                                               guint index);
double tally_pie_chart_data_get_total (TallyPieChartData *data);
/* TRUE when no model has a positive value */
gboolean tally_pie_chart_data_is_empty (TallyPieChartData *data);
char *tally_pie_chart_data_format_value (TallyPieChartData *data,
                                         double value);
/* "Share of billed cost by model: claude-sonnet-4-5 45.2%, …" */
char *tally_pie_chart_data_describe (TallyPieChartData *data);
/* One slice in words, the accessible description while it is shown:
 * "claude-sonnet-4-5: billed cost $20.99 (45.2%)"; "Other (3 models): billed
 * cost $1.10 (2.3%); gpt-5 $0.60, …" (plain text) */
char *tally_pie_chart_data_describe_slice (TallyPieChartData *data,
                                           guint index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TallyPieChartData, tally_pie_chart_data_unref)

/* 2. Layout */

typedef struct _TallyPieChartLayout TallyPieChartLayout;

/* @context: NULL = a default cairo font map context with "Sans 11". */
TallyPieChartLayout *tally_pie_chart_layout_new (TallyPieChartData *data,
                                                 int width,
                                                 int height,
                                                 PangoContext *context);
TallyPieChartLayout *tally_pie_chart_layout_new_for_model (GListModel *models,
                                                           TallyPieMeasure measure,
                                                           int width,
                                                           int height,
                                                           PangoContext *context);
void tally_pie_chart_layout_free (TallyPieChartLayout *layout);
TallyPieChartData *tally_pie_chart_layout_get_data (const TallyPieChartLayout *layout);
int tally_pie_chart_layout_get_width (const TallyPieChartLayout *layout);
int tally_pie_chart_layout_get_height (const TallyPieChartLayout *layout);
/* FALSE when there is no donut (empty data or too small). */
gboolean tally_pie_chart_layout_get_donut (const TallyPieChartLayout *layout,
                                           double *center_x,
                                           double *center_y,
                                           double *inner_radius,
                                           double *outer_radius);
/* Angles in radians, clockwise from 12 o'clock: slice @index spans [start, end). */
gboolean tally_pie_chart_layout_get_slice_angles (const TallyPieChartLayout *layout,
                                                  guint index,
                                                  double *start,
                                                  double *end);
/* TRUE when the legend sits below the donut rather than beside it. */
gboolean tally_pie_chart_layout_get_stacked (const TallyPieChartLayout *layout);
guint tally_pie_chart_layout_get_n_legend_rows (const TallyPieChartLayout *layout);
gboolean tally_pie_chart_layout_get_legend_row (const TallyPieChartLayout *layout,
                                                guint index,
                                                graphene_rect_t *area);
/* The texts of legend row @index, exactly as laid out (plain text). */
const char *tally_pie_chart_layout_get_legend_text (const TallyPieChartLayout *layout,
                                                    guint index,
                                                    const char **value,
                                                    const char **percent);
/* The slice under (x, y) on the ring or its legend row, or -1 (centre hole,
 * outside). */
int tally_pie_chart_layout_hit_test (const TallyPieChartLayout *layout,
                                     double x,
                                     double y);

/* The middle of slice @index's outer edge, where its readout is anchored. */
gboolean tally_pie_chart_layout_get_anchor (const TallyPieChartLayout *layout,
                                            guint index,
                                            double *x,
                                            double *y);
/* The readout of slice @index: its name, its value and share (and the
 * models folded into "Other"), beside the anchor and never over it. */
TallyChartReadout *tally_pie_chart_layout_new_readout (const TallyPieChartLayout *layout,
                                                       guint index,
                                                       const TallyChartPalette *palette,
                                                       PangoContext *context);

/* 3. Drawing. @hover_index highlights a slice and its legend row (-1 = none). */
void tally_pie_chart_draw (cairo_t *cr,
                           const TallyPieChartLayout *layout,
                           const TallyChartPalette *palette,
                           int hover_index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TallyPieChartLayout, tally_pie_chart_layout_free)

G_END_DECLS

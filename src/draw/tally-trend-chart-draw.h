/* tally-trend-chart-draw.h: the trend chart as pure drawing (no widget)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three steps, each cached by its caller:
 *   1. TallyTrendChartData: the series values of a zero-filled GListModel of
 *      TallyTrendPoint, normalised once per model or series change, with the
 *      round axis scale and the texts (summary, tooltips);
 *   2. TallyTrendChartLayout: the data placed in a width × height box, with
 *      the pixel position of every point and the label layouts (once per size
 *      or font change);
 *   3. tally_trend_chart_draw(): paints a layout on any cairo_t (a widget's
 *      snapshot, an image surface for PNG, a PDF page). Per frame it only
 *      strokes what the layout holds: no allocation per point, no text shaping.
 */

#pragma once

#include <glib-object.h>
#include <graphene.h>
#include <pango/pangocairo.h>

#include "tally-chart-palette.h"
#include "tally-chart-readout.h"
#include "tally-trend-point.h"

#include "tally-draw-enums.h"

G_BEGIN_DECLS

/**
 * TallyTrendSeries:
 * @TALLY_TREND_SERIES_BILLED_COST: actual_cost (after the group multiplier)
 * @TALLY_TREND_SERIES_LIST_COST: cost (list price)
 * @TALLY_TREND_SERIES_REQUESTS: requests
 * @TALLY_TREND_SERIES_INPUT_TOKENS: input_tokens
 * @TALLY_TREND_SERIES_OUTPUT_TOKENS: output_tokens
 * @TALLY_TREND_SERIES_CACHE_TOKENS: cache_tokens
 * @TALLY_TREND_SERIES_COSTS: two lines, billed and list cost
 * @TALLY_TREND_SERIES_TOKENS: three lines, input, output and cache tokens
 *
 * New values go at the end: the "trend-series" setting stores the nicks and
 * the series choosers list the values in this order.
 */
typedef enum
{
  TALLY_TREND_SERIES_BILLED_COST,
  TALLY_TREND_SERIES_LIST_COST,
  TALLY_TREND_SERIES_REQUESTS,
  TALLY_TREND_SERIES_INPUT_TOKENS,
  TALLY_TREND_SERIES_OUTPUT_TOKENS,
  TALLY_TREND_SERIES_CACHE_TOKENS,
  TALLY_TREND_SERIES_COSTS,
  TALLY_TREND_SERIES_TOKENS,
} TallyTrendSeries;

/* The most lines a series draws (TALLY_TREND_SERIES_TOKENS). */
#define TALLY_TREND_CHART_MAX_LINES 3

/* "Billed cost", "Requests", … "Cost", "Tokens" (translated). */
const char *tally_trend_series_get_title (TallyTrendSeries series);
/* The single series of each line of @series: itself, or billed and list
 * cost, or input, output and cache tokens. Returns the number of lines. */
guint tally_trend_series_get_lines (TallyTrendSeries series,
                                    TallyTrendSeries lines[TALLY_TREND_CHART_MAX_LINES]);

/* The axis rule: the smallest step of 1, 2, 2.5 or 5 × 10^n that divides
 * @max into at most 4 intervals (integral series never use a step below 1 or
 * the step 2.5); *n_intervals = ceil (max / step). max <= 0 is treated as 1.
 * E.g. 13.37 → step 5, 3 intervals (0, 5, 10, 15); 100 → 25, 4. */
void tally_trend_chart_nice_scale (double max,
                                   gboolean integral,
                                   double *step,
                                   guint *n_intervals);

/* 1. Data */

typedef struct _TallyTrendChartData TallyTrendChartData;

TallyTrendChartData *tally_trend_chart_data_new (GListModel *points,
                                                 TallyTrendSeries series);
/* The same, as of the server's wall-clock time @now ("YYYY-MM-DD HH:MM",
 * NULL = every bucket is complete): the bucket holding @now (the day, or the
 * hour of an hourly series) is the current one, drawn as "so far", and the
 * buckets after it are not drawn at all (they have no data yet). */
TallyTrendChartData *tally_trend_chart_data_new_at (GListModel *points,
                                                    TallyTrendSeries series,
                                                    const char *now);
TallyTrendChartData *tally_trend_chart_data_ref (TallyTrendChartData *data);
void tally_trend_chart_data_unref (TallyTrendChartData *data);
TallyTrendSeries tally_trend_chart_data_get_series (TallyTrendChartData *data);
guint tally_trend_chart_data_get_n_buckets (TallyTrendChartData *data);
TallyTrendPoint *tally_trend_chart_data_get_point (TallyTrendChartData *data,
                                                   guint index);
double tally_trend_chart_data_get_value (TallyTrendChartData *data,
                                         guint index);
gboolean tally_trend_chart_data_get_hourly (TallyTrendChartData *data);
/* NULL when every bucket is complete */
const char *tally_trend_chart_data_get_now (TallyTrendChartData *data);
/* The buckets drawn: those up to and including the current one (all of them
 * without a "now"; 0 when the range starts after it). */
guint tally_trend_chart_data_get_n_shown (TallyTrendChartData *data);
/* The bucket holding "now", drawn as "so far"; -1 when none. */
int tally_trend_chart_data_get_current_index (TallyTrendChartData *data);
/* 1 for a single series, 2 for COSTS, 3 for TOKENS */
guint tally_trend_chart_data_get_n_lines (TallyTrendChartData *data);
TallyTrendSeries tally_trend_chart_data_get_line_series (TallyTrendChartData *data,
                                                         guint line);
/* The value of @line at bucket @index (tally_trend_chart_data_get_value() is line 0). */
double tally_trend_chart_data_get_line_value (TallyTrendChartData *data,
                                              guint line,
                                              guint index);
double tally_trend_chart_data_get_total (TallyTrendChartData *data);
double tally_trend_chart_data_get_max (TallyTrendChartData *data);
/* Total, max and peak of line 0 over the buckets shown; -1 when empty */
int tally_trend_chart_data_get_peak_index (TallyTrendChartData *data);
/* TRUE when there are no buckets or every value is zero */
gboolean tally_trend_chart_data_is_empty (TallyTrendChartData *data);
/* The axis: n_ticks = n_intervals + 1, tick i = i × step (tick 0 is 0). */
guint tally_trend_chart_data_get_n_ticks (TallyTrendChartData *data);
double tally_trend_chart_data_get_tick (TallyTrendChartData *data,
                                        guint index);
double tally_trend_chart_data_get_scale_max (TallyTrendChartData *data);
/* A value of this series as text: "$13.37", "17,003", "3.46M". */
char *tally_trend_chart_data_format_value (TallyTrendChartData *data,
                                           double value);
/* The accessible summary, e.g. "Billed cost per day, 2026-01-08 to
 * 2026-01-15: total $82.41, peak $13.37 on 2026-01-14". */
char *tally_trend_chart_data_describe (TallyTrendChartData *data);
/* The bucket's date as the readout titles it, in the axis's format: "Wed Jan
 * 14" for a day, "13:00" for an hour of a one-day range ("Jan 14 13:00" when
 * the range has more days), with " (so far)" on the current bucket. */
char *tally_trend_chart_data_format_bucket_title (TallyTrendChartData *data,
                                                  guint index);
/* The bucket in words, for the accessible description: its title and every
 * line's value, e.g. "Wed Jan 14: billed cost $13.37, list cost $13.32". */
char *tally_trend_chart_data_describe_bucket (TallyTrendChartData *data,
                                              guint index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TallyTrendChartData, tally_trend_chart_data_unref)

/* 2. Layout */

typedef struct _TallyTrendChartLayout TallyTrendChartLayout;

/* @context: for label metrics (a widget's pango context); NULL = a default
 * cairo font map context with "Sans 11". */
TallyTrendChartLayout *tally_trend_chart_layout_new (TallyTrendChartData *data,
                                                     int width,
                                                     int height,
                                                     PangoContext *context);
/* Shorthand for tally_trend_chart_data_new() + tally_trend_chart_layout_new(). */
TallyTrendChartLayout *tally_trend_chart_layout_new_for_model (GListModel *points,
                                                               TallyTrendSeries series,
                                                               int width,
                                                               int height,
                                                               PangoContext *context);
void tally_trend_chart_layout_free (TallyTrendChartLayout *layout);
TallyTrendChartData *tally_trend_chart_layout_get_data (const TallyTrendChartLayout *layout);
int tally_trend_chart_layout_get_width (const TallyTrendChartLayout *layout);
int tally_trend_chart_layout_get_height (const TallyTrendChartLayout *layout);
/* FALSE (and an empty rectangle) when there is no plot (empty data or too small). */
gboolean tally_trend_chart_layout_get_plot_area (const TallyTrendChartLayout *layout,
                                                 graphene_rect_t *area);
/* The column of bucket @index (full plot height), for tooltip areas. */
gboolean tally_trend_chart_layout_get_bucket_area (const TallyTrendChartLayout *layout,
                                                   guint index,
                                                   graphene_rect_t *area);
gboolean tally_trend_chart_layout_get_point (const TallyTrendChartLayout *layout,
                                             guint index,
                                             double *x,
                                             double *y);
/* The point of @line at bucket @index (get_point() is line 0). */
gboolean tally_trend_chart_layout_get_line_point (const TallyTrendChartLayout *layout,
                                                  guint line,
                                                  guint index,
                                                  double *x,
                                                  double *y);
/* The legend above the plot: one entry per line when there are several, and
 * "so far" when a bucket is current. */
guint tally_trend_chart_layout_get_n_legend_entries (const TallyTrendChartLayout *layout);
const char *tally_trend_chart_layout_get_legend_entry (const TallyTrendChartLayout *layout,
                                                       guint index,
                                                       graphene_rect_t *area);
/* The readout of bucket @index: its title, a row per line (with the line's
 * colour in @palette), placed beside the bucket's highest point inside the
 * layout, never over it. NULL when @index has no point. */
TallyChartReadout *tally_trend_chart_layout_new_readout (const TallyTrendChartLayout *layout,
                                                         guint index,
                                                         const TallyChartPalette *palette,
                                                         PangoContext *context);
guint tally_trend_chart_layout_get_n_y_labels (const TallyTrendChartLayout *layout);
const char *tally_trend_chart_layout_get_y_label (const TallyTrendChartLayout *layout,
                                                  guint index);
guint tally_trend_chart_layout_get_n_x_labels (const TallyTrendChartLayout *layout);
const char *tally_trend_chart_layout_get_x_label (const TallyTrendChartLayout *layout,
                                                  guint index,
                                                  guint *bucket);
/* The bucket under (x, y) inside the plot, or -1. */
int tally_trend_chart_layout_hit_test (const TallyTrendChartLayout *layout,
                                       double x,
                                       double y);

/* 3. Drawing, in layout coordinates (0, 0)–(width, height). */

/* Everything: background (when opaque), grid, labels, legend, area and lines
 * (the current bucket's segment dashed and its point hollow), then the hover
 * guide and marker of @hover_index (-1 = none). */
void tally_trend_chart_draw (cairo_t *cr,
                             const TallyTrendChartLayout *layout,
                             const TallyChartPalette *palette,
                             int hover_index);
/* Only the hover guide and marker, to paint over a cached tally_trend_chart_draw (…, -1). */
void tally_trend_chart_draw_hover (cairo_t *cr,
                                   const TallyTrendChartLayout *layout,
                                   const TallyChartPalette *palette,
                                   int hover_index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TallyTrendChartLayout, tally_trend_chart_layout_free)

G_END_DECLS

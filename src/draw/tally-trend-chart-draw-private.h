/* tally-trend-chart-draw-private.h: what the trend chart's drawing files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tally-trend-chart-draw.h"

G_BEGIN_DECLS

/* Below this many device pixels per bucket, the series is rasterised by
 * pixel column instead of stroked as a path (see _tally_trend_chart_draw_dense()). */
#define DENSE_BUCKET_PIXELS 1.0
#define AREA_ALPHA_TOP 0.30
#define AREA_ALPHA_BOTTOM 0.06

struct _TallyTrendChartData
{
  gatomicrefcount ref_count;
  TallyTrendSeries series;
  GPtrArray *points;
  guint n_lines;
  TallyTrendSeries line_series[TALLY_TREND_CHART_MAX_LINES];
  GArray *lines[TALLY_TREND_CHART_MAX_LINES]; /* double per bucket */
  GArray *values;                             /* lines[0] */
  char *now;
  guint n_shown;
  int current;
  gboolean one_day;
  double total;
  double max;
  double line_max; /* over every line */
  int peak;
  gboolean hourly;
  double step;
  guint n_intervals;
};

/* Shared by the data and the drawing (tally-trend-chart-data.c) */
gboolean _tally_trend_series_is_cost (TallyTrendSeries series);
/* A value of @series as text: "$13.37", "17,003", "3.46M" */
char *_tally_trend_format_series_value (TallyTrendSeries series,
                                        double value);
/* A line's name in a legend or a readout of several lines: "Billed", "Input" */
const char *_tally_trend_line_short_name (TallyTrendSeries series);
/* The label of bucket @index: "2026-01-14" or "2026-01-14 13:00" */
const char *_tally_trend_bucket_date (TallyTrendChartData *data,
                                      guint index);
/* "2026-01-14" or "2026-01-14 13:00" → "Jan 14" */
char *_tally_trend_axis_date (const char *label);

typedef struct
{
  PangoLayout *text;
  double x;
  double y;
  guint bucket;
} Label;

/* A legend entry: a line sample (solid in the colour of line @line, or the
 * dashed "so far" sample when @line is -1) and its text. */
typedef struct
{
  PangoLayout *text;
  graphene_rect_t area; /* sample and text */
  int line;
} LegendEntry;

#define LEGEND_SAMPLE 16.0
#define LEGEND_SAMPLE_GAP 6.0
#define SO_FAR_DASH 4.0
#define SO_FAR_GAP 3.0

struct _TallyTrendChartLayout
{
  TallyTrendChartData *data;
  int width;
  int height;

  gboolean has_plot;
  graphene_rect_t plot;
  double bucket_width;
  double line_width;
  gboolean dots;

  guint n_drawn;                                /* the buckets shown (see get_n_shown ()) */
  double *xy;                                   /* 2 × n pixel coordinates of the points of line 0 */
  double *line_xy[TALLY_TREND_CHART_MAX_LINES]; /* the same for every line; [0] is xy */
  GArray *legend;                               /* LegendEntry */
  double *tick_y;                               /* n_ticks grid line positions */
  GArray *y_labels;                             /* Label */
  GArray *x_labels;                             /* Label */
  PangoLayout *empty_text;

  /* Dense series on an image target: the line and the area rasterised once
   * per device scale into A8 masks, so a frame only composites them. Built
   * lazily by the first draw (a cache: the layout stays logically const). */
  double mask_scale;
  int mask_x;
  int mask_y;
  cairo_surface_t *line_mask;
  cairo_surface_t *area_mask;
};

/* The colour of line @line: the accent, then the palette's series colours. */
const TallyRGBA *_tally_trend_chart_line_color (const TallyChartPalette *palette,
                                                guint line);

/* Draws a dense series through the cached masks when the target is an image
 * drawn 1:1 (no rotation or scaling beyond the device scale). Returns FALSE
 * when the path must be stroked instead: few points, or a vector target such
 * as PDF or a recording surface, which keeps its exact geometry. */
gboolean _tally_trend_chart_draw_dense (cairo_t *cr,
                                        const TallyTrendChartLayout *layout,
                                        const TallyChartPalette *palette);

G_END_DECLS

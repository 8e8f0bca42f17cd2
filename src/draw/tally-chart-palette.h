/* tally-chart-palette.h: the colours a chart is drawn with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

#define TALLY_CHART_PALETTE_N_SERIES 8

/**
 * TallyRGBA:
 *
 * A colour with components in 0..1, like GdkRGBA but free of GDK, so that
 * the drawing library (libtally-draw) renders PDFs and images without GTK.
 * tally-chart-palette-gtk.h converts from GdkRGBA.
 */
typedef struct
{
  double red;
  double green;
  double blue;
  double alpha;
} TallyRGBA;

/**
 * TallyChartPalette:
 * @foreground: text and strong strokes
 * @dim_foreground: axis labels and secondary text
 * @grid: thin grid lines
 * @background: filled behind the chart before drawing; alpha 0 leaves the
 *   target untouched (the widget lets its CSS background show through)
 * @accent: the series line and area, hover markers
 * @series: colours for categorical data (pie slices), GNOME palette hues
 *   that read well on light and dark backgrounds
 * @other: the neutral colour of the "Other" slice
 * @dark: %TRUE when the background is dark
 *
 * A plain value: copy it with `=`; nothing to free.
 */
typedef struct
{
  TallyRGBA foreground;
  TallyRGBA dim_foreground;
  TallyRGBA grid;
  TallyRGBA background;
  TallyRGBA accent;
  TallyRGBA series[TALLY_CHART_PALETTE_N_SERIES];
  TallyRGBA other;
  gboolean dark;
} TallyChartPalette;

void tally_chart_palette_init_light (TallyChartPalette *palette);
void tally_chart_palette_init_dark (TallyChartPalette *palette);
const TallyRGBA *tally_chart_palette_get_series_color (const TallyChartPalette *palette,
                                                       guint index);
gboolean tally_chart_palette_equal (const TallyChartPalette *a,
                                    const TallyChartPalette *b);

/* Shared with the widget layer (tally-chart-palette-gtk.c): everything but the
 * background and accent follows from @foreground. */
void tally_chart_palette_derive (TallyChartPalette *palette,
                                 const TallyRGBA *foreground,
                                 gboolean dark);
/* "#rrggbb" → colour; FALSE for anything else */
gboolean tally_rgba_parse (TallyRGBA *rgba,
                           const char *hex);
gboolean tally_rgba_equal (const TallyRGBA *a,
                           const TallyRGBA *b);
/* cairo_set_source_rgba() with @rgba */
void tally_rgba_set_source (cairo_t *cr,
                            const TallyRGBA *rgba);
/* The same with the colour's alpha multiplied by @alpha. */
void tally_rgba_set_source_with_alpha (cairo_t *cr,
                                       const TallyRGBA *rgba,
                                       double alpha);

G_END_DECLS

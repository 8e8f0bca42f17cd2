/* tally-chart-palette.h: the colours a chart is drawn with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TALLY_CHART_PALETTE_N_SERIES 8

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
  GdkRGBA foreground;
  GdkRGBA dim_foreground;
  GdkRGBA grid;
  GdkRGBA background;
  GdkRGBA accent;
  GdkRGBA series[TALLY_CHART_PALETTE_N_SERIES];
  GdkRGBA other;
  gboolean dark;
} TallyChartPalette;

void           tally_chart_palette_init_light       (TallyChartPalette       *palette);
void           tally_chart_palette_init_dark        (TallyChartPalette       *palette);
void           tally_chart_palette_init_from_widget (TallyChartPalette       *palette,
                                                     GtkWidget               *widget);
const GdkRGBA *tally_chart_palette_get_series_color (const TallyChartPalette *palette,
                                                     guint                    index);
gboolean       tally_chart_palette_equal            (const TallyChartPalette *a,
                                                     const TallyChartPalette *b);

G_END_DECLS

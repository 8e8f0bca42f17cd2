/* tally-draw-utils-private.h: what the drawing files of libtally-draw share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <math.h>

#include <pango/pangocairo.h>

#include "tally-chart-palette.h"

G_BEGIN_DECLS

/* A layout of @text (plain text, never markup) in @font (NULL = the
 * context's), with tabular figures when @tabular. */
PangoLayout *tally_draw_text_new (PangoContext *context,
                                  const PangoFontDescription *font,
                                  gboolean tabular,
                                  const char *text);
/* The logical size of @layout in pixels; either out argument may be NULL. */
void tally_draw_text_get_size (PangoLayout *layout,
                               int *width,
                               int *height);
/* Shows @layout in @color at @x, centred in the height @height. */
void tally_draw_text_show_middle (cairo_t *cr,
                                  PangoLayout *layout,
                                  double x,
                                  double height,
                                  const TallyRGBA *color);

/* Saves @cr, then fills @width × @height with the palette's background when
 * it has one; the caller restores @cr when done. */
void tally_draw_chart_begin (cairo_t *cr,
                             const TallyChartPalette *palette,
                             double width,
                             double height);

/* @value for a chart with no negative side: NAN, infinities and negative
 * values are 0. */
static inline double
tally_draw_nonnegative (double value)
{
  if (!isfinite (value) || value < 0)
    return 0;

  return value;
}

G_END_DECLS

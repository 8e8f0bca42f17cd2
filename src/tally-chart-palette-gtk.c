/* tally-chart-palette-gtk.c: a chart palette from a widget's style (widget layer)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-chart-palette"

#include "config.h"

#include "tally-chart-palette-gtk.h"

#define ACCENT_FALLBACK "#3584e4"

/**
 * tally_rgba_from_gdk:
 * @rgba: (out caller-allocates): the colour to fill
 * @gdk: a GDK colour
 *
 * Copies @gdk into @rgba.
 */
void
tally_rgba_from_gdk (TallyRGBA *rgba,
                     const GdkRGBA *gdk)
{
  g_return_if_fail (rgba != NULL);
  g_return_if_fail (gdk != NULL);

  rgba->red = gdk->red;
  rgba->green = gdk->green;
  rgba->blue = gdk->blue;
  rgba->alpha = gdk->alpha;
}

static double
luminance (const GdkRGBA *rgba)
{
  return 0.2126 * rgba->red + 0.7152 * rgba->green + 0.0722 * rgba->blue;
}

/**
 * tally_chart_palette_init_from_widget:
 * @palette: (out caller-allocates): the palette to fill
 * @widget: a widget whose style to follow
 *
 * Fills @palette from @widget's style: its text colour and the named colour
 * `accent_bg_color` (dark mode and accent changes arrive as css-changed).
 * The background stays transparent so the widget's own background shows.
 */
void
tally_chart_palette_init_from_widget (TallyChartPalette *palette,
                                      GtkWidget *widget)
{
  GtkStyleContext *context;
  GdkRGBA fg;
  GdkRGBA accent;
  TallyRGBA foreground;

  g_return_if_fail (palette != NULL);
  g_return_if_fail (GTK_IS_WIDGET (widget));

  context = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (context, &fg);

  tally_rgba_from_gdk (&foreground, &fg);
  tally_chart_palette_derive (palette, &foreground, luminance (&fg) > 0.5);
  palette->background = (TallyRGBA){ 0, 0, 0, 0 };

  if (!gtk_style_context_lookup_color (context, "accent_bg_color", &accent) && !gtk_style_context_lookup_color (context, "accent_color", &accent))
    gdk_rgba_parse (&accent, ACCENT_FALLBACK);
  tally_rgba_from_gdk (&palette->accent, &accent);
}

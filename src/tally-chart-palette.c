/* tally-chart-palette.c: the colours a chart is drawn with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-chart-palette"

#include "config.h"

#include "tally-chart-palette.h"

/* GNOME palette hues, in the order slices take them. Mid tones so that they
 * keep their contrast on white and on #1e1e1e alike. */
static const char * const series_hex[TALLY_CHART_PALETTE_N_SERIES] = {
  "#3584e4", /* blue 3 */
  "#2ec27e", /* green 4 */
  "#e5a50a", /* yellow 5 */
  "#ff7800", /* orange 3 */
  "#e01b24", /* red 3 */
  "#9141ac", /* purple 3 */
  "#986a44", /* brown 3 */
  "#2190a4", /* teal */
};

#define ACCENT_FALLBACK "#3584e4"

static void
set_rgba (GdkRGBA *rgba,
          float red,
          float green,
          float blue,
          float alpha)
{
  rgba->red = red;
  rgba->green = green;
  rgba->blue = blue;
  rgba->alpha = alpha;
}

static void
init_series (TallyChartPalette *palette)
{
  for (guint i = 0; i < TALLY_CHART_PALETTE_N_SERIES; i++)
    {
      gboolean ok = gdk_rgba_parse (&palette->series[i], series_hex[i]);

      g_assert (ok);
    }
}

/* Everything but the background follows from the foreground colour, so the
 * chart's chrome tracks the theme (including high contrast) without a hex. */
static void
derive_from_foreground (TallyChartPalette *palette,
                        const GdkRGBA *foreground,
                        gboolean dark)
{
  palette->dark = dark;
  palette->foreground = *foreground;

  palette->dim_foreground = *foreground;
  palette->dim_foreground.alpha = foreground->alpha * 0.55f;

  palette->grid = *foreground;
  palette->grid.alpha = dark ? 0.12f : 0.10f;

  palette->other = *foreground;
  palette->other.alpha = dark ? 0.35f : 0.28f;

  init_series (palette);
}

/**
 * tally_chart_palette_init_light:
 * @palette: (out caller-allocates): the palette to fill
 *
 * Fills @palette with libadwaita's light colours on an opaque view background
 * (#ffffff), for rendering without a widget (PNG, PDF, tests).
 */
void
tally_chart_palette_init_light (TallyChartPalette *palette)
{
  GdkRGBA fg;

  g_return_if_fail (palette != NULL);

  set_rgba (&fg, 0, 0, 0, 0.8f);
  derive_from_foreground (palette, &fg, FALSE);
  set_rgba (&palette->background, 1, 1, 1, 1);
  gdk_rgba_parse (&palette->accent, ACCENT_FALLBACK);
}

/**
 * tally_chart_palette_init_dark:
 * @palette: (out caller-allocates): the palette to fill
 *
 * Fills @palette with libadwaita's dark colours on an opaque view background
 * (#1e1e1e).
 */
void
tally_chart_palette_init_dark (TallyChartPalette *palette)
{
  GdkRGBA fg;

  g_return_if_fail (palette != NULL);

  set_rgba (&fg, 1, 1, 1, 1);
  derive_from_foreground (palette, &fg, TRUE);
  set_rgba (&palette->background, 0x1e / 255.f, 0x1e / 255.f, 0x1e / 255.f, 1);
  gdk_rgba_parse (&palette->accent, ACCENT_FALLBACK);
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

  g_return_if_fail (palette != NULL);
  g_return_if_fail (GTK_IS_WIDGET (widget));

  context = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (context, &fg);

  derive_from_foreground (palette, &fg, luminance (&fg) > 0.5);
  set_rgba (&palette->background, 0, 0, 0, 0);

  if (!gtk_style_context_lookup_color (context, "accent_bg_color", &accent) &&
      !gtk_style_context_lookup_color (context, "accent_color", &accent))
    gdk_rgba_parse (&accent, ACCENT_FALLBACK);
  palette->accent = accent;
}

/**
 * tally_chart_palette_get_series_color:
 * @palette: a palette
 * @index: any index; the colours repeat
 *
 * Returns: (transfer none): the categorical colour for @index
 */
const GdkRGBA *
tally_chart_palette_get_series_color (const TallyChartPalette *palette,
                                      guint index)
{
  g_return_val_if_fail (palette != NULL, NULL);

  return &palette->series[index % TALLY_CHART_PALETTE_N_SERIES];
}

/**
 * tally_chart_palette_equal:
 * @a: a palette
 * @b: another palette
 *
 * Returns: %TRUE when both draw identically
 */
gboolean
tally_chart_palette_equal (const TallyChartPalette *a,
                           const TallyChartPalette *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a->dark != b->dark ||
      !gdk_rgba_equal (&a->foreground, &b->foreground) ||
      !gdk_rgba_equal (&a->dim_foreground, &b->dim_foreground) ||
      !gdk_rgba_equal (&a->grid, &b->grid) ||
      !gdk_rgba_equal (&a->background, &b->background) ||
      !gdk_rgba_equal (&a->accent, &b->accent) ||
      !gdk_rgba_equal (&a->other, &b->other))
    return FALSE;

  for (guint i = 0; i < TALLY_CHART_PALETTE_N_SERIES; i++)
    if (!gdk_rgba_equal (&a->series[i], &b->series[i]))
      return FALSE;

  return TRUE;
}

/* tally-chart-palette.c: the colours a chart is drawn with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-chart-palette"

#include "config.h"

#include <string.h>

#include "tally-chart-palette.h"

/* GNOME palette hues, in the order slices take them. Mid tones so that they
 * keep their contrast on white and on #1e1e1e alike. */
static const char *const series_hex[TALLY_CHART_PALETTE_N_SERIES] = {
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
set_rgba (TallyRGBA *rgba,
          double red,
          double green,
          double blue,
          double alpha)
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
      gboolean ok = tally_rgba_parse (&palette->series[i], series_hex[i]);

      g_assert (ok);
    }
}

/* Everything but the background follows from the foreground colour, so the
 * chart's chrome tracks the theme (including high contrast) without a hex. */
/**
 * tally_chart_palette_derive:
 * @palette: (out caller-allocates): the palette to fill
 * @foreground: the text colour
 * @dark: whether the background is dark
 *
 * Fills everything but the background and the accent from @foreground.
 */
void
tally_chart_palette_derive (TallyChartPalette *palette,
                            const TallyRGBA *foreground,
                            gboolean dark)
{
  g_return_if_fail (palette != NULL);
  g_return_if_fail (foreground != NULL);

  palette->dark = dark;
  palette->foreground = *foreground;

  palette->dim_foreground = *foreground;
  palette->dim_foreground.alpha = foreground->alpha * 0.55;

  palette->grid = *foreground;
  palette->grid.alpha = dark ? 0.12 : 0.10;

  palette->other = *foreground;
  palette->other.alpha = dark ? 0.35 : 0.28;

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
  TallyRGBA fg;

  g_return_if_fail (palette != NULL);

  set_rgba (&fg, 0, 0, 0, 0.8);
  tally_chart_palette_derive (palette, &fg, FALSE);
  set_rgba (&palette->background, 1, 1, 1, 1);
  tally_rgba_parse (&palette->accent, ACCENT_FALLBACK);
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
  TallyRGBA fg;

  g_return_if_fail (palette != NULL);

  set_rgba (&fg, 1, 1, 1, 1);
  tally_chart_palette_derive (palette, &fg, TRUE);
  set_rgba (&palette->background, 0x1e / 255.0, 0x1e / 255.0, 0x1e / 255.0, 1);
  tally_rgba_parse (&palette->accent, ACCENT_FALLBACK);
}

/**
 * tally_chart_palette_get_series_color:
 * @palette: a palette
 * @index: any index; the colours repeat
 *
 * Returns: (transfer none): the categorical colour for @index
 */
const TallyRGBA *
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

  if (a->dark != b->dark || !tally_rgba_equal (&a->foreground, &b->foreground) || !tally_rgba_equal (&a->dim_foreground, &b->dim_foreground) || !tally_rgba_equal (&a->grid, &b->grid) || !tally_rgba_equal (&a->background, &b->background) || !tally_rgba_equal (&a->accent, &b->accent) || !tally_rgba_equal (&a->other, &b->other))
    return FALSE;

  for (guint i = 0; i < TALLY_CHART_PALETTE_N_SERIES; i++)
    if (!tally_rgba_equal (&a->series[i], &b->series[i]))
      return FALSE;

  return TRUE;
}

/**
 * tally_rgba_parse:
 * @rgba: (out): the colour
 * @hex: "#rrggbb"
 *
 * Returns: %TRUE when @hex was a colour (opaque); @rgba is untouched otherwise
 */
gboolean
tally_rgba_parse (TallyRGBA *rgba,
                  const char *hex)
{
  int digits[6];

  g_return_val_if_fail (rgba != NULL, FALSE);
  g_return_val_if_fail (hex != NULL, FALSE);

  if (hex[0] != '#' || strlen (hex) != 7)
    return FALSE;

  for (guint i = 0; i < 6; i++)
    {
      digits[i] = g_ascii_xdigit_value (hex[i + 1]);
      if (digits[i] < 0)
        return FALSE;
    }

  rgba->red = (digits[0] * 16 + digits[1]) / 255.0;
  rgba->green = (digits[2] * 16 + digits[3]) / 255.0;
  rgba->blue = (digits[4] * 16 + digits[5]) / 255.0;
  rgba->alpha = 1.0;

  return TRUE;
}

/**
 * tally_rgba_equal:
 * @a: a colour
 * @b: another colour
 *
 * Returns: %TRUE when all four components are equal
 */
gboolean
tally_rgba_equal (const TallyRGBA *a,
                  const TallyRGBA *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  return a->red == b->red && a->green == b->green && a->blue == b->blue && a->alpha == b->alpha;
}

/**
 * tally_rgba_set_source:
 * @cr: a cairo context
 * @rgba: the colour
 *
 * Sets @rgba as the source of @cr.
 */
void
tally_rgba_set_source (cairo_t *cr,
                       const TallyRGBA *rgba)
{
  g_return_if_fail (cr != NULL);
  g_return_if_fail (rgba != NULL);

  cairo_set_source_rgba (cr, rgba->red, rgba->green, rgba->blue, rgba->alpha);
}

void
tally_rgba_set_source_with_alpha (cairo_t *cr,
                                  const TallyRGBA *rgba,
                                  double alpha)
{
  g_return_if_fail (cr != NULL);
  g_return_if_fail (rgba != NULL);

  cairo_set_source_rgba (cr, rgba->red, rgba->green, rgba->blue, rgba->alpha * alpha);
}

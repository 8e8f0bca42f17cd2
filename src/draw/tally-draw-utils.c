/* tally-draw-utils.c: what the drawing files of libtally-draw share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tally-draw-utils-private.h"

PangoLayout *
tally_draw_text_new (PangoContext *context,
                     const PangoFontDescription *font,
                     gboolean tabular,
                     const char *text)
{
  PangoLayout *layout = pango_layout_new (context);

  if (font != NULL)
    pango_layout_set_font_description (layout, font);

  if (tabular)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }

  /* Model names come from the server: plain text, never markup. */
  pango_layout_set_text (layout, text, -1);

  return layout;
}

void
tally_draw_text_get_size (PangoLayout *layout,
                          int *width,
                          int *height)
{
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  if (width != NULL)
    *width = logical.width;
  if (height != NULL)
    *height = logical.height;
}

void
tally_draw_text_show_middle (cairo_t *cr,
                             PangoLayout *layout,
                             double x,
                             double height,
                             const TallyRGBA *color)
{
  int h;

  tally_draw_text_get_size (layout, NULL, &h);
  tally_rgba_set_source (cr, color);
  cairo_move_to (cr, x, floor ((height - h) / 2.0));
  pango_cairo_show_layout (cr, layout);
}

void
tally_draw_chart_begin (cairo_t *cr,
                        const TallyChartPalette *palette,
                        double width,
                        double height)
{
  cairo_save (cr);

  if (palette->background.alpha > 0)
    {
      tally_rgba_set_source (cr, &palette->background);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
    }
}

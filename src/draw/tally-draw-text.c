/* tally-pie-chart-draw.c: the model share chart as pure drawing (no widget)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

static PangoLayout *
new_text (PangoContext *context,
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

static void
text_size (PangoLayout *layout,
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

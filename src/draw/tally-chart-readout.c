/* tally-chart-readout.c: the box of values a chart shows for one item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-chart-readout"

#include "config.h"

#include "tally-chart-readout.h"
#include "tally-draw-utils-private.h"

#define PAD 8.0
#define ROW_GAP 2.0
#define TITLE_GAP 4.0
#define SWATCH 10.0
#define SWATCH_GAP 6.0
#define COLUMN_GAP 16.0
#define RADIUS 6.0

typedef struct
{
  gboolean has_swatch;
  TallyRGBA swatch;
  PangoLayout *label;
  PangoLayout *value;
} Row;

struct _TallyChartReadout
{
  PangoContext *context;
  PangoLayout *title;
  GArray *rows; /* Row */
  graphene_rect_t box;
};

static void
row_clear (gpointer data)
{
  Row *row = data;

  g_clear_object (&row->label);
  g_clear_object (&row->value);
}

/* The size of the box and the widths of its columns */
typedef struct
{
  double width;
  double height;
  double label_width;
  double value_width;
  gboolean swatches;
} Metrics;

static void
measure_into (const TallyChartReadout *readout,
              double *width,
              double *height,
              double *label_width,
              double *value_width,
              gboolean *swatches)
{
  int title_w;
  int title_h;

  tally_draw_text_get_size (readout->title, &title_w, &title_h);
  *label_width = 0;
  *value_width = 0;
  *swatches = FALSE;
  *height = PAD * 2 + title_h;

  for (guint i = 0; i < readout->rows->len; i++)
    {
      const Row *row = &g_array_index (readout->rows, Row, i);
      int lw;
      int lh;
      int vw;
      int vh;

      tally_draw_text_get_size (row->label, &lw, &lh);
      tally_draw_text_get_size (row->value, &vw, &vh);
      *label_width = MAX (*label_width, lw);
      *value_width = MAX (*value_width, vw);
      *swatches = *swatches || row->has_swatch;
      *height += (i == 0 ? TITLE_GAP : ROW_GAP) + MAX (lh, vh);
    }

  *width = *label_width + *value_width + (readout->rows->len > 0 ? COLUMN_GAP : 0);
  if (*swatches)
    *width += SWATCH + SWATCH_GAP;
  *width = PAD * 2 + MAX (*width, title_w);
}

static Metrics
measure (const TallyChartReadout *readout)
{
  Metrics m;

  measure_into (readout, &m.width, &m.height, &m.label_width, &m.value_width, &m.swatches);

  return m;
}

/**
 * tally_chart_readout_new:
 * @context: (nullable): the pango context for text
 * @title: the title
 *
 * Returns: (transfer full): a readout without rows, at (0, 0)
 */
TallyChartReadout *
tally_chart_readout_new (PangoContext *context,
                         const char *title)
{
  TallyChartReadout *readout;
  g_autoptr (PangoFontDescription) bold = NULL;
  Metrics m;

  g_return_val_if_fail (context == NULL || PANGO_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (title != NULL, NULL);

  readout = g_new0 (TallyChartReadout, 1);

  if (context != NULL)
    readout->context = g_object_ref (context);
  else
    {
      g_autoptr (PangoFontDescription) sans = pango_font_description_from_string ("Sans 11");

      readout->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
      pango_context_set_font_description (readout->context, sans);
    }

  bold = pango_font_description_copy (pango_context_get_font_description (readout->context));
  pango_font_description_set_weight (bold, PANGO_WEIGHT_BOLD);
  readout->title = tally_draw_text_new (readout->context, bold, TRUE, title);
  readout->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (readout->rows, row_clear);

  m = measure (readout);
  graphene_rect_init (&readout->box, 0, 0, m.width, m.height);

  return readout;
}

void
tally_chart_readout_free (TallyChartReadout *readout)
{
  if (readout == NULL)
    return;

  g_clear_object (&readout->title);
  g_clear_pointer (&readout->rows, g_array_unref);
  g_clear_object (&readout->context);
  g_free (readout);
}

void
tally_chart_readout_add_row (TallyChartReadout *readout,
                             const TallyRGBA *swatch,
                             const char *label,
                             const char *value)
{
  Row row = { 0 };
  Metrics m;

  g_return_if_fail (readout != NULL);
  g_return_if_fail (label != NULL);
  g_return_if_fail (value != NULL);

  row.has_swatch = swatch != NULL;
  if (swatch != NULL)
    row.swatch = *swatch;
  row.label = tally_draw_text_new (readout->context, NULL, FALSE, label);
  row.value = tally_draw_text_new (readout->context, NULL, TRUE, value);
  pango_layout_set_alignment (row.value, PANGO_ALIGN_RIGHT);
  g_array_append_val (readout->rows, row);

  m = measure (readout);
  readout->box.size.width = m.width;
  readout->box.size.height = m.height;
}

const char *
tally_chart_readout_get_title (const TallyChartReadout *readout)
{
  g_return_val_if_fail (readout != NULL, NULL);

  return pango_layout_get_text (readout->title);
}

char *
tally_chart_readout_to_string (const TallyChartReadout *readout)
{
  GString *text;

  g_return_val_if_fail (readout != NULL, NULL);

  text = g_string_new (pango_layout_get_text (readout->title));
  for (guint i = 0; i < readout->rows->len; i++)
    {
      const Row *row = &g_array_index (readout->rows, Row, i);

      g_string_append_printf (text, "\n%s %s", pango_layout_get_text (row->label), pango_layout_get_text (row->value));
    }

  return g_string_free (text, FALSE);
}

void
tally_chart_readout_place (TallyChartReadout *readout,
                           double x,
                           double y,
                           double clearance,
                           const graphene_rect_t *bounds)
{
  double w;
  double h;
  double left;
  double top;
  double right;
  double bottom;
  double bx;
  double by;

  g_return_if_fail (readout != NULL);
  g_return_if_fail (bounds != NULL);

  w = readout->box.size.width;
  h = readout->box.size.height;
  left = bounds->origin.x;
  top = bounds->origin.y;
  right = bounds->origin.x + bounds->size.width;
  bottom = bounds->origin.y + bounds->size.height;

  if (x + clearance + w <= right || x - clearance - w < left)
    bx = x + clearance;
  else
    bx = x - clearance - w;

  if (bx >= left && bx + w <= right)
    {
      /* Beside the point, level with it as far as the bounds allow */
      by = CLAMP (y - h / 2, top, MAX (top, bottom - h));
    }
  else
    {
      /* Neither side has room: above the point, else below it */
      bx = CLAMP (x - w / 2, left, MAX (left, right - w));
      by = y - clearance - h >= top ? y - clearance - h : y + clearance;
    }

  graphene_rect_init (&readout->box, floor (bx), floor (by), w, h);
}

void
tally_chart_readout_get_box (const TallyChartReadout *readout,
                             graphene_rect_t *box)
{
  g_return_if_fail (readout != NULL);
  g_return_if_fail (box != NULL);

  *box = readout->box;
}

static void
rounded_rectangle (cairo_t *cr,
                   const graphene_rect_t *r,
                   double radius)
{
  double x = r->origin.x;
  double y = r->origin.y;
  double w = r->size.width;
  double h = r->size.height;

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + w - radius, y + h - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + h - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

void
tally_chart_readout_draw (cairo_t *cr,
                          const TallyChartReadout *readout,
                          const TallyChartPalette *palette)
{
  TallyRGBA fill;
  graphene_rect_t box;
  Metrics m;
  double y;
  int title_h;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (readout != NULL);
  g_return_if_fail (palette != NULL);

  m = measure (readout);
  box = readout->box;

  /* A popover's colours: white, or libadwaita's dark popover grey */
  fill = palette->dark ? (TallyRGBA){ 0.22, 0.22, 0.22, 1 } : (TallyRGBA){ 1, 1, 1, 1 };

  cairo_save (cr);

  /* a soft shadow, the box, a hairline border */
  graphene_rect_offset (&box, 0, 1);
  rounded_rectangle (cr, &box, RADIUS);
  cairo_set_source_rgba (cr, 0, 0, 0, palette->dark ? 0.5 : 0.12);
  cairo_fill (cr);
  box = readout->box;

  rounded_rectangle (cr, &box, RADIUS);
  tally_rgba_set_source (cr, &fill);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, 1);
  tally_rgba_set_source_with_alpha (cr, &palette->foreground, palette->dark ? 0.15 : 0.12);
  cairo_stroke (cr);

  tally_draw_text_get_size (readout->title, NULL, &title_h);
  tally_rgba_set_source (cr, &palette->foreground);
  cairo_move_to (cr, box.origin.x + PAD, box.origin.y + PAD);
  pango_cairo_show_layout (cr, readout->title);
  y = box.origin.y + PAD + title_h;

  for (guint i = 0; i < readout->rows->len; i++)
    {
      const Row *row = &g_array_index (readout->rows, Row, i);
      double x = box.origin.x + PAD;
      int lh;
      int vh;
      int vw;

      y += i == 0 ? TITLE_GAP : ROW_GAP;
      tally_draw_text_get_size (row->label, NULL, &lh);
      tally_draw_text_get_size (row->value, &vw, &vh);

      if (row->has_swatch)
        {
          cairo_rectangle (cr, x, y + (MAX (lh, vh) - SWATCH) / 2, SWATCH, SWATCH);
          tally_rgba_set_source (cr, &row->swatch);
          cairo_fill (cr);
        }
      if (m.swatches)
        x += SWATCH + SWATCH_GAP;

      tally_rgba_set_source (cr, &palette->dim_foreground);
      cairo_move_to (cr, x, y);
      pango_cairo_show_layout (cr, row->label);

      /* values right-aligned on one edge */
      tally_rgba_set_source (cr, &palette->foreground);
      cairo_move_to (cr, box.origin.x + box.size.width - PAD - vw, y);
      pango_cairo_show_layout (cr, row->value);

      y += MAX (lh, vh);
    }

  cairo_restore (cr);
}

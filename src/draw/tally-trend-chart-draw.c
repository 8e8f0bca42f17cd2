/* tally-trend-chart-draw.c: the trend chart as pure drawing (no widget)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-trend-chart-draw"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "tally-draw-utils-private.h"
#include "tally-format.h"
#include "tally-server-time.h"
#include "tally-trend-chart-draw-private.h"

#define EDGE_PAD 4.0
#define LABEL_GAP 8.0
#define X_LABEL_SPACING 14.0
#define MIN_PLOT_SIZE 24.0

/* The fewest decimals (at most 6) that write every multiple of @step exactly. */
static guint
step_decimals (double step)
{
  guint decimals = 0;

  while (decimals < 6 && fabs (step * pow (10, decimals) - round (step * pow (10, decimals))) > 1e-6)
    decimals++;

  return decimals;
}

/* An axis label: like format_value, but costs with as many decimals as the
 * step needs: "$5" rather than "$5.00" when every tick is a whole number of
 * dollars, "$0.005" for a step of half a cent, always "$0" at the baseline. */
static char *
format_tick (TallyTrendChartData *data,
             double value)
{
  if (_tally_trend_series_is_cost (data->series))
    {
      guint decimals = value == 0 ? 0 : step_decimals (data->step);

      if (decimals > 0)
        decimals = MAX (decimals, 2);

      return tally_format_cost_fixed_styled (value, decimals, tally_number_style_locale ());
    }

  return tally_trend_chart_data_format_value (data, value);
}

/* ------------------------------------------------------------------------ */
/* Layout                                                                    */

static void
label_clear (gpointer data)
{
  Label *label = data;

  g_clear_object (&label->text);
}

static PangoFontDescription *
caption_font (PangoContext *context)
{
  PangoFontDescription *font;
  int size;

  font = pango_font_description_copy (pango_context_get_font_description (context));
  size = pango_font_description_get_size (font);

  /* libadwaita's .caption is 9pt next to an 11pt body. */
  if (size <= 0)
    pango_font_description_set_size (font, 9 * PANGO_SCALE);
  else if (pango_font_description_get_size_is_absolute (font))
    pango_font_description_set_absolute_size (font, size * 9.0 / 11.0);
  else
    pango_font_description_set_size (font, size * 9 / 11);

  return font;
}

/* "2026-01-14 13:00" → 13, -1 when there is no hour */
static int
bucket_hour (const char *label)
{
  if (strlen (label) < 13 || label[10] != ' ' || !g_ascii_isdigit (label[11]) || !g_ascii_isdigit (label[12]))
    return -1;

  return (label[11] - '0') * 10 + (label[12] - '0');
}

static char *
x_label_text (TallyTrendChartData *data,
              guint index,
              guint step)
{
  const char *date = _tally_trend_bucket_date (data, index);

  if (data->hourly && step < 24 && bucket_hour (date) > 0)
    return g_strdup (date + 11);

  return _tally_trend_axis_date (date);
}

static guint
choose_x_step (TallyTrendChartLayout *layout,
               double label_width)
{
  static const guint hourly_steps[] = { 1, 2, 3, 6, 12, 24, 48, 72, 168, 336, 672 };
  static const guint daily_steps[] = { 1, 2, 3, 7, 14, 28, 56, 91, 182, 364 };
  const guint *steps = layout->data->hourly ? hourly_steps : daily_steps;
  guint n_steps = layout->data->hourly ? G_N_ELEMENTS (hourly_steps) : G_N_ELEMENTS (daily_steps);
  double needed = label_width + X_LABEL_SPACING;
  guint step;

  for (guint i = 0; i < n_steps; i++)
    if (steps[i] * layout->bucket_width >= needed)
      return steps[i];

  step = steps[n_steps - 1];
  while (step * layout->bucket_width < needed)
    step *= 2;

  return step;
}

static void
layout_x_labels (TallyTrendChartLayout *layout,
                 PangoContext *context,
                 const PangoFontDescription *font,
                 double top)
{
  TallyTrendChartData *data = layout->data;
  guint n = data->values->len;
  double estimate = 0;
  double last_right = -G_MAXDOUBLE;
  guint step;

  /* Estimate the widest label from the first date (and an hour) so that only
   * the labels actually shown get shaped. */
  {
    g_autofree char *sample = _tally_trend_axis_date (_tally_trend_bucket_date (data, 0));
    g_autoptr (PangoLayout) probe = tally_draw_text_new (context, font, TRUE, sample);
    int w;

    tally_draw_text_get_size (probe, &w, NULL);
    estimate = w;
    if (data->hourly)
      {
        pango_layout_set_text (probe, "00:00", -1);
        tally_draw_text_get_size (probe, &w, NULL);
        estimate = MAX (estimate, w);
      }
    estimate *= 1.15;
  }

  step = choose_x_step (layout, estimate);

  for (guint i = 0; i < n; i += step)
    {
      g_autofree char *text = x_label_text (data, i, step);
      Label label = { 0 };
      int w;
      double centre = layout->plot.origin.x + (i + 0.5) * layout->bucket_width;

      label.text = tally_draw_text_new (context, font, TRUE, text);
      tally_draw_text_get_size (label.text, &w, NULL);
      label.bucket = i;
      label.y = top;
      label.x = CLAMP (centre - w / 2.0, EDGE_PAD, layout->width - EDGE_PAD - w);

      if (label.x < last_right + X_LABEL_SPACING / 2)
        {
          label_clear (&label);
          continue;
        }

      last_right = label.x + w;
      g_array_append_val (layout->x_labels, label);
    }
}

static void
legend_entry_clear (gpointer data)
{
  LegendEntry *entry = data;

  g_clear_object (&entry->text);
}

/* The legend flows from the plot's left edge, wrapping when a row is full;
 * returns the height it takes (0 without one). */
static double
layout_legend (TallyTrendChartLayout *layout,
               PangoContext *context,
               const PangoFontDescription *font,
               int label_height)
{
  TallyTrendChartData *data = layout->data;
  double left = layout->plot.origin.x;
  double right = layout->width - EDGE_PAD;
  double x = left;
  double y = EDGE_PAD;
  guint n_entries = (data->n_lines > 1 ? data->n_lines : 0) + (data->current >= 0 ? 1 : 0);

  if (n_entries == 0)
    return 0;

  for (guint i = 0; i < n_entries; i++)
    {
      gboolean so_far = i == n_entries - 1 && data->current >= 0;
      LegendEntry entry = { 0 };
      double w;
      int text_w;
      int text_h;

      entry.line = so_far ? -1 : (int) i;
      entry.text = tally_draw_text_new (context, font, FALSE,
                                        /* Translators: the legend entry of a chart's dashed last segment */
                                        so_far ? _ ("so far") : _tally_trend_line_short_name (data->line_series[i]));
      tally_draw_text_get_size (entry.text, &text_w, &text_h);
      w = LEGEND_SAMPLE + LEGEND_SAMPLE_GAP + text_w;

      if (x > left && x + w > right)
        {
          x = left;
          y += label_height + 2;
        }

      graphene_rect_init (&entry.area, x, y, w, text_h);
      g_array_append_val (layout->legend, entry);
      x += w + X_LABEL_SPACING;
    }

  return y + label_height + LABEL_GAP - EDGE_PAD;
}

/**
 * tally_trend_chart_layout_new:
 * @data: the data
 * @width: the width in pixels
 * @height: the height in pixels
 * @context: (nullable): the pango context for text
 *
 * Returns: (transfer full): the layout
 */
TallyTrendChartLayout *
tally_trend_chart_layout_new (TallyTrendChartData *data,
                              int width,
                              int height,
                              PangoContext *context)
{
  PangoContext *own_context = NULL;
  g_autoptr (PangoFontDescription) font = NULL;
  TallyTrendChartLayout *layout;
  guint n_ticks;
  guint n;
  int label_height = 0;
  int gutter = 0;
  double scale_max;
  double baseline;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (context == NULL || PANGO_IS_CONTEXT (context), NULL);

  layout = g_new0 (TallyTrendChartLayout, 1);
  layout->data = tally_trend_chart_data_ref (data);
  layout->width = MAX (width, 0);
  layout->height = MAX (height, 0);
  layout->y_labels = g_array_new (FALSE, TRUE, sizeof (Label));
  g_array_set_clear_func (layout->y_labels, label_clear);
  layout->x_labels = g_array_new (FALSE, TRUE, sizeof (Label));
  g_array_set_clear_func (layout->x_labels, label_clear);
  layout->legend = g_array_new (FALSE, TRUE, sizeof (LegendEntry));
  g_array_set_clear_func (layout->legend, legend_entry_clear);
  graphene_rect_init (&layout->plot, 0, 0, 0, 0);

  if (context == NULL)
    {
      g_autoptr (PangoFontDescription) sans = pango_font_description_from_string ("Sans 11");

      own_context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
      pango_context_set_font_description (own_context, sans);
      context = own_context;
    }

  if (tally_trend_chart_data_is_empty (data))
    {
      layout->empty_text = tally_draw_text_new (context, NULL, FALSE, _ ("No usage in this range"));
      pango_layout_set_alignment (layout->empty_text, PANGO_ALIGN_CENTER);
      pango_layout_set_width (layout->empty_text, MAX (1, layout->width - 2 * EDGE_PAD) * PANGO_SCALE);
      pango_layout_set_wrap (layout->empty_text, PANGO_WRAP_WORD_CHAR);
      g_clear_object (&own_context);
      return layout;
    }

  font = caption_font (context);
  n = data->values->len;
  n_ticks = data->n_intervals + 1;

  /* Y labels first: their width decides where the plot starts. */
  for (guint i = 0; i < n_ticks; i++)
    {
      g_autofree char *text = format_tick (data, tally_trend_chart_data_get_tick (data, i));
      Label label = { 0 };
      int w;
      int h;

      label.text = tally_draw_text_new (context, font, TRUE, text);
      pango_layout_set_alignment (label.text, PANGO_ALIGN_RIGHT);
      tally_draw_text_get_size (label.text, &w, &h);
      gutter = MAX (gutter, w);
      label_height = MAX (label_height, h);
      g_array_append_val (layout->y_labels, label);
    }

  layout->plot.origin.x = EDGE_PAD + gutter + LABEL_GAP;
  layout->plot.origin.y = ceil (label_height / 2.0) + EDGE_PAD;
  layout->plot.origin.y += layout_legend (layout, context, font, label_height);
  layout->plot.size.width = layout->width - layout->plot.origin.x - 2 * EDGE_PAD;
  layout->plot.size.height = layout->height - layout->plot.origin.y - label_height - 6 - EDGE_PAD;

  if (layout->plot.size.width < MIN_PLOT_SIZE || layout->plot.size.height < MIN_PLOT_SIZE)
    {
      g_array_set_size (layout->y_labels, 0);
      g_array_set_size (layout->legend, 0);
      graphene_rect_init (&layout->plot, 0, 0, 0, 0);
      g_clear_object (&own_context);
      return layout;
    }

  layout->has_plot = TRUE;
  layout->bucket_width = layout->plot.size.width / n;
  layout->line_width = layout->bucket_width >= 6 ? 2.0 : 1.5;
  layout->dots = n > 1 && layout->bucket_width >= 24;

  scale_max = tally_trend_chart_data_get_scale_max (data);
  baseline = layout->plot.origin.y + layout->plot.size.height;

  layout->tick_y = g_new (double, n_ticks);
  for (guint i = 0; i < n_ticks; i++)
    {
      Label *label = &g_array_index (layout->y_labels, Label, i);
      int w;
      int h;

      /* Grid lines sit on pixel centres so that 1 px stays crisp. */
      layout->tick_y[i] = floor (baseline - (double) i / data->n_intervals * layout->plot.size.height) + 0.5;
      tally_draw_text_get_size (label->text, &w, &h);
      label->x = layout->plot.origin.x - LABEL_GAP - w;
      label->y = layout->tick_y[i] - h / 2.0;
    }

  layout->n_drawn = data->n_shown;
  for (guint l = 0; l < data->n_lines; l++)
    {
      double *xy = g_new (double, 2 * n);

      for (guint i = 0; i < n; i++)
        {
          double value = g_array_index (data->lines[l], double, i);

          xy[2 * i] = layout->plot.origin.x + (i + 0.5) * layout->bucket_width;
          xy[2 * i + 1] = baseline - value / scale_max * layout->plot.size.height;
        }
      layout->line_xy[l] = xy;
    }
  layout->xy = layout->line_xy[0];

  layout_x_labels (layout, context, font, baseline + 6);
  g_clear_object (&own_context);

  return layout;
}

TallyTrendChartLayout *
tally_trend_chart_layout_new_for_model (GListModel *points,
                                        TallyTrendSeries series,
                                        int width,
                                        int height,
                                        PangoContext *context)
{
  g_autoptr (TallyTrendChartData) data = NULL;

  g_return_val_if_fail (points == NULL || G_IS_LIST_MODEL (points), NULL);

  data = tally_trend_chart_data_new (points, series);

  return tally_trend_chart_layout_new (data, width, height, context);
}

void
tally_trend_chart_layout_free (TallyTrendChartLayout *layout)
{
  if (layout == NULL)
    return;

  g_clear_pointer (&layout->data, tally_trend_chart_data_unref);
  for (guint l = 0; l < TALLY_TREND_CHART_MAX_LINES; l++)
    g_clear_pointer (&layout->line_xy[l], g_free);
  layout->xy = NULL;
  g_clear_pointer (&layout->legend, g_array_unref);
  g_clear_pointer (&layout->tick_y, g_free);
  g_clear_pointer (&layout->y_labels, g_array_unref);
  g_clear_pointer (&layout->x_labels, g_array_unref);
  g_clear_object (&layout->empty_text);
  g_clear_pointer (&layout->line_mask, cairo_surface_destroy);
  g_clear_pointer (&layout->area_mask, cairo_surface_destroy);
  g_free (layout);
}

/**
 * tally_trend_chart_layout_get_data:
 *
 * Returns: (transfer none): the data
 */
TallyTrendChartData *
tally_trend_chart_layout_get_data (const TallyTrendChartLayout *layout)
{
  g_return_val_if_fail (layout != NULL, NULL);

  return layout->data;
}

int
tally_trend_chart_layout_get_width (const TallyTrendChartLayout *layout)
{
  g_return_val_if_fail (layout != NULL, 0);

  return layout->width;
}

int
tally_trend_chart_layout_get_height (const TallyTrendChartLayout *layout)
{
  g_return_val_if_fail (layout != NULL, 0);

  return layout->height;
}

gboolean
tally_trend_chart_layout_get_plot_area (const TallyTrendChartLayout *layout,
                                        graphene_rect_t *area)
{
  g_return_val_if_fail (layout != NULL, FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  *area = layout->plot;

  return layout->has_plot;
}

gboolean
tally_trend_chart_layout_get_bucket_area (const TallyTrendChartLayout *layout,
                                          guint index,
                                          graphene_rect_t *area)
{
  g_return_val_if_fail (layout != NULL, FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  if (!layout->has_plot || index >= layout->data->values->len)
    {
      graphene_rect_init (area, 0, 0, 0, 0);
      return FALSE;
    }

  graphene_rect_init (area,
                      layout->plot.origin.x + index * layout->bucket_width,
                      layout->plot.origin.y,
                      layout->bucket_width,
                      layout->plot.size.height);

  return TRUE;
}

gboolean
tally_trend_chart_layout_get_point (const TallyTrendChartLayout *layout,
                                    guint index,
                                    double *x,
                                    double *y)
{
  g_return_val_if_fail (layout != NULL, FALSE);

  if (!layout->has_plot || index >= layout->data->values->len)
    return FALSE;

  if (x != NULL)
    *x = layout->xy[2 * index];
  if (y != NULL)
    *y = layout->xy[2 * index + 1];

  return TRUE;
}

gboolean
tally_trend_chart_layout_get_line_point (const TallyTrendChartLayout *layout,
                                         guint line,
                                         guint index,
                                         double *x,
                                         double *y)
{
  g_return_val_if_fail (layout != NULL, FALSE);

  if (!layout->has_plot || line >= layout->data->n_lines || index >= layout->data->values->len)
    return FALSE;

  if (x != NULL)
    *x = layout->line_xy[line][2 * index];
  if (y != NULL)
    *y = layout->line_xy[line][2 * index + 1];

  return TRUE;
}

guint
tally_trend_chart_layout_get_n_legend_entries (const TallyTrendChartLayout *layout)
{
  g_return_val_if_fail (layout != NULL, 0);

  return layout->legend->len;
}

const char *
tally_trend_chart_layout_get_legend_entry (const TallyTrendChartLayout *layout,
                                           guint index,
                                           graphene_rect_t *area)
{
  const LegendEntry *entry;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (index < layout->legend->len, NULL);

  entry = &g_array_index (layout->legend, LegendEntry, index);
  if (area != NULL)
    *area = entry->area;

  return pango_layout_get_text (entry->text);
}

const TallyRGBA *
_tally_trend_chart_line_color (const TallyChartPalette *palette,
                               guint line)
{
  /* blue (the accent), then green and orange */
  static const guint series_of_line[TALLY_TREND_CHART_MAX_LINES] = { 0, 1, 3 };

  if (line == 0)
    return &palette->accent;

  return tally_chart_palette_get_series_color (palette, series_of_line[MIN (line, TALLY_TREND_CHART_MAX_LINES - 1)]);
}

/* Clear of the hover marker (5.5 px) and a little air */
#define READOUT_CLEARANCE 14.0

TallyChartReadout *
tally_trend_chart_layout_new_readout (const TallyTrendChartLayout *layout,
                                      guint index,
                                      const TallyChartPalette *palette,
                                      PangoContext *context)
{
  TallyTrendChartData *data;
  g_autofree char *title = NULL;
  TallyChartReadout *readout;
  double x = 0;
  double top = G_MAXDOUBLE;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (palette != NULL, NULL);

  data = layout->data;
  if (!layout->has_plot || index >= layout->n_drawn)
    return NULL;

  title = tally_trend_chart_data_format_bucket_title (data, index);
  readout = tally_chart_readout_new (context, title);

  for (guint l = 0; l < data->n_lines; l++)
    {
      g_autofree char *value = _tally_trend_format_series_value (data->line_series[l], g_array_index (data->lines[l], double, index));

      tally_chart_readout_add_row (readout, data->n_lines > 1 ? _tally_trend_chart_line_color (palette, l) : NULL,
                                   data->n_lines > 1 ? _tally_trend_line_short_name (data->line_series[l]) : tally_trend_series_get_title (data->series),
                                   value);
      x = layout->line_xy[l][2 * index];
      top = MIN (top, layout->line_xy[l][2 * index + 1]);
    }

  tally_chart_readout_place (readout, x, top, READOUT_CLEARANCE,
                             &GRAPHENE_RECT_INIT (EDGE_PAD, EDGE_PAD, layout->width - 2 * EDGE_PAD, layout->height - 2 * EDGE_PAD));

  return readout;
}

guint
tally_trend_chart_layout_get_n_y_labels (const TallyTrendChartLayout *layout)
{
  g_return_val_if_fail (layout != NULL, 0);

  return layout->y_labels->len;
}

const char *
tally_trend_chart_layout_get_y_label (const TallyTrendChartLayout *layout,
                                      guint index)
{
  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (index < layout->y_labels->len, NULL);

  return pango_layout_get_text (g_array_index (layout->y_labels, Label, index).text);
}

guint
tally_trend_chart_layout_get_n_x_labels (const TallyTrendChartLayout *layout)
{
  g_return_val_if_fail (layout != NULL, 0);

  return layout->x_labels->len;
}

const char *
tally_trend_chart_layout_get_x_label (const TallyTrendChartLayout *layout,
                                      guint index,
                                      guint *bucket)
{
  const Label *label;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (index < layout->x_labels->len, NULL);

  label = &g_array_index (layout->x_labels, Label, index);
  if (bucket != NULL)
    *bucket = label->bucket;

  return pango_layout_get_text (label->text);
}

int
tally_trend_chart_layout_hit_test (const TallyTrendChartLayout *layout,
                                   double x,
                                   double y)
{
  const graphene_rect_t *plot;
  int index;

  g_return_val_if_fail (layout != NULL, -1);

  if (!layout->has_plot)
    return -1;

  plot = &layout->plot;
  if (x < plot->origin.x || x >= plot->origin.x + plot->size.width || y < plot->origin.y || y > plot->origin.y + plot->size.height)
    return -1;

  index = (int) floor ((x - plot->origin.x) / layout->bucket_width);
  index = CLAMP (index, 0, (int) layout->data->values->len - 1);

  /* nothing is drawn after the current bucket */
  return index < (int) layout->n_drawn ? index : -1;
}

/* ------------------------------------------------------------------------ */
/* Drawing                                                                   */

static void
draw_labels (cairo_t *cr,
             GArray *labels)
{
  for (guint i = 0; i < labels->len; i++)
    {
      const Label *label = &g_array_index (labels, Label, i);

      cairo_move_to (cr, label->x, label->y);
      pango_cairo_show_layout (cr, label->text);
    }
}

/* The polyline of @xy from bucket @from to bucket @to (inclusive) */
static void
line_path (cairo_t *cr,
           const double *xy,
           guint from,
           guint to)
{
  cairo_move_to (cr, xy[2 * from], xy[2 * from + 1]);
  for (guint i = from + 1; i <= to; i++)
    cairo_line_to (cr, xy[2 * i], xy[2 * i + 1]);
}

/* The background under the chart, for holes in markers */
static TallyRGBA
hole_color (const TallyChartPalette *palette)
{
  if (palette->background.alpha > 0)
    return palette->background;
  if (palette->dark)
    return (TallyRGBA){ 0.14f, 0.14f, 0.14f, 1 };

  return (TallyRGBA){ 1, 1, 1, 1 };
}

static void
draw_legend (cairo_t *cr,
             const TallyTrendChartLayout *layout,
             const TallyChartPalette *palette)
{
  for (guint i = 0; i < layout->legend->len; i++)
    {
      const LegendEntry *entry = &g_array_index (layout->legend, LegendEntry, i);
      double mid = floor (entry->area.origin.y + entry->area.size.height / 2) + 0.5;
      double x = entry->area.origin.x;

      cairo_save (cr);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, x, mid);
      cairo_line_to (cr, x + LEGEND_SAMPLE, mid);
      if (entry->line < 0)
        {
          cairo_set_dash (cr, (const double[]){ SO_FAR_DASH, SO_FAR_GAP }, 2, 0);
          tally_rgba_set_source (cr, &palette->dim_foreground);
        }
      else
        tally_rgba_set_source (cr, _tally_trend_chart_line_color (palette, (guint) entry->line));
      cairo_stroke (cr);
      cairo_restore (cr);

      tally_rgba_set_source (cr, &palette->dim_foreground);
      cairo_move_to (cr, x + LEGEND_SAMPLE + LEGEND_SAMPLE_GAP, entry->area.origin.y);
      pango_cairo_show_layout (cr, entry->text);
    }
}

/* One line: solid up to the last complete bucket, dashed into the current one */
static void
draw_line (cairo_t *cr,
           const TallyTrendChartLayout *layout,
           const double *xy,
           const TallyRGBA *color)
{
  int current = layout->data->current;
  guint n = layout->n_drawn;
  /* the last point of the solid part: before the current bucket */
  int solid_end = current >= 0 ? current - 1 : (int) n - 1;

  cairo_save (cr);
  cairo_set_line_width (cr, layout->line_width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  tally_rgba_set_source (cr, color);

  if (solid_end >= 1)
    {
      line_path (cr, xy, 0, (guint) solid_end);
      cairo_stroke (cr);
    }

  if (current >= 1)
    {
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
      cairo_set_dash (cr, (const double[]){ SO_FAR_DASH, SO_FAR_GAP }, 2, 0);
      line_path (cr, xy, current - 1, current);
      cairo_stroke (cr);
    }

  cairo_restore (cr);
}

void
tally_trend_chart_draw (cairo_t *cr,
                        const TallyTrendChartLayout *layout,
                        const TallyChartPalette *palette,
                        int hover_index)
{
  const graphene_rect_t *plot;
  TallyTrendChartData *data;
  guint n;
  double baseline;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (layout != NULL);
  g_return_if_fail (palette != NULL);

  tally_draw_chart_begin (cr, palette, layout->width, layout->height);

  if (layout->empty_text != NULL)
    {
      tally_draw_text_show_middle (cr, layout->empty_text, EDGE_PAD, layout->height, &palette->dim_foreground);
      cairo_restore (cr);
      return;
    }

  if (!layout->has_plot)
    {
      cairo_restore (cr);
      return;
    }

  plot = &layout->plot;
  data = layout->data;
  n = layout->n_drawn;
  baseline = plot->origin.y + plot->size.height;

  /* Grid: thin horizontal lines, the baseline a little stronger. */
  cairo_set_line_width (cr, 1);
  for (guint i = 1; i < layout->y_labels->len; i++)
    {
      cairo_move_to (cr, plot->origin.x, layout->tick_y[i]);
      cairo_line_to (cr, plot->origin.x + plot->size.width, layout->tick_y[i]);
    }
  tally_rgba_set_source (cr, &palette->grid);
  cairo_stroke (cr);

  cairo_move_to (cr, plot->origin.x, layout->tick_y[0]);
  cairo_line_to (cr, plot->origin.x + plot->size.width, layout->tick_y[0]);
  tally_rgba_set_source_with_alpha (cr, &palette->grid, 2.0);
  cairo_stroke (cr);

  /* Labels */
  tally_rgba_set_source (cr, &palette->dim_foreground);
  draw_labels (cr, layout->y_labels);
  draw_labels (cr, layout->x_labels);

  draw_legend (cr, layout, palette);

  if (n == 0)
    {
      cairo_restore (cr);
      return;
    }

  /* One line: the area under it, fading towards the baseline, then the line
   * (dense series on images in one go, see tally-trend-chart-dense.c) */
  if (data->n_lines == 1 && n > 1 && !_tally_trend_chart_draw_dense (cr, layout, palette))
    {
      cairo_pattern_t *gradient;
      const TallyRGBA *accent = &palette->accent;

      line_path (cr, layout->xy, 0, n - 1);
      cairo_line_to (cr, layout->xy[2 * (n - 1)], baseline);
      cairo_line_to (cr, layout->xy[0], baseline);
      cairo_close_path (cr);

      gradient = cairo_pattern_create_linear (0, plot->origin.y, 0, baseline);
      cairo_pattern_add_color_stop_rgba (gradient, 0, accent->red, accent->green, accent->blue, AREA_ALPHA_TOP);
      cairo_pattern_add_color_stop_rgba (gradient, 1, accent->red, accent->green, accent->blue, AREA_ALPHA_BOTTOM);
      cairo_set_source (cr, gradient);
      cairo_fill (cr);
      cairo_pattern_destroy (gradient);

      draw_line (cr, layout, layout->xy, accent);
    }
  else if (data->n_lines > 1 && n > 1)
    {
      /* Several lines: no area, the first line on top */
      for (guint l = data->n_lines; l-- > 0;)
        draw_line (cr, layout, layout->line_xy[l], _tally_trend_chart_line_color (palette, l));
    }

  for (guint l = data->n_lines; l-- > 0;)
    {
      const TallyRGBA *color = _tally_trend_chart_line_color (palette, l);
      const double *xy = layout->line_xy[l];

      if (layout->dots || n == 1)
        {
          double radius = n == 1 ? 4.0 : 2.5;

          for (guint i = 0; i < n; i++)
            if ((int) i != data->current)
              {
                cairo_new_sub_path (cr);
                cairo_arc (cr, xy[2 * i], xy[2 * i + 1], radius, 0, 2 * G_PI);
              }
          tally_rgba_set_source (cr, color);
          cairo_fill (cr);
        }

      /* The current bucket's point: hollow, it is not final */
      if (data->current >= 0)
        {
          TallyRGBA hole = hole_color (palette);
          double x = xy[2 * data->current];
          double y = xy[2 * data->current + 1];

          cairo_arc (cr, x, y, 4.5, 0, 2 * G_PI);
          tally_rgba_set_source (cr, color);
          cairo_fill (cr);
          cairo_arc (cr, x, y, 2.5, 0, 2 * G_PI);
          tally_rgba_set_source (cr, &hole);
          cairo_fill (cr);
        }
    }

  cairo_restore (cr);

  tally_trend_chart_draw_hover (cr, layout, palette, hover_index);
}

void
tally_trend_chart_draw_hover (cairo_t *cr,
                              const TallyTrendChartLayout *layout,
                              const TallyChartPalette *palette,
                              int hover_index)
{
  TallyRGBA hole;
  double x;
  double y;
  double guide_x;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (layout != NULL);
  g_return_if_fail (palette != NULL);

  if (hover_index < 0 || !layout->has_plot || (guint) hover_index >= layout->n_drawn)
    return;

  x = layout->xy[2 * hover_index];
  guide_x = floor (x) + 0.5;
  hole = hole_color (palette);

  cairo_save (cr);

  /* A vertical guide through the bucket */
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, guide_x, layout->plot.origin.y);
  cairo_line_to (cr, guide_x, layout->plot.origin.y + layout->plot.size.height);
  tally_rgba_set_source_with_alpha (cr, &palette->foreground, 0.35);
  cairo_stroke (cr);

  /* The markers: a ring in each line's colour around a hole of the background */
  for (guint l = layout->data->n_lines; l-- > 0;)
    {
      y = layout->line_xy[l][2 * hover_index + 1];
      cairo_arc (cr, x, y, 5.5, 0, 2 * G_PI);
      tally_rgba_set_source (cr, _tally_trend_chart_line_color (palette, l));
      cairo_fill (cr);
      cairo_arc (cr, x, y, 2.5, 0, 2 * G_PI);
      tally_rgba_set_source (cr, &hole);
      cairo_fill (cr);
    }

  cairo_restore (cr);
}

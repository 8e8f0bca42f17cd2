/* tally-pie-chart-draw.c: the model share chart as pure drawing (no widget)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-pie-chart-draw"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "tally-draw-utils-private.h"
#include "tally-format.h"
#include "tally-pie-chart-draw.h"

#define PAD 8.0
#define DONUT_LEGEND_GAP 24.0
#define STACK_GAP 12.0
#define MIN_DONUT 96.0
#define MIN_DONUT_ALONE 40.0
#define MAX_DONUT 240.0
#define HOLE_RATIO 0.62
#define HOVER_OFFSET 4.0
#define SLICE_HALF_GAP 1.0
#define SWATCH 10.0
#define SWATCH_GAP 8.0
#define COLUMN_GAP 14.0
#define MIN_NAME_WIDTH 48.0
#define ROW_PADDING 8.0
#define MAX_TOOLTIP_MODELS 10

/* ------------------------------------------------------------------------ */
/* Measure                                                                   */

const char *
tally_pie_measure_get_title (TallyPieMeasure measure)
{
  switch (measure)
    {
      case TALLY_PIE_MEASURE_BILLED_COST:
        return _ ("Billed cost");
      case TALLY_PIE_MEASURE_TOKENS:
        return _ ("Tokens");
      case TALLY_PIE_MEASURE_REQUESTS:
        return _ ("Requests");
      default:
        g_return_val_if_reached ("");
    }
}

static double
measure_value (TallyModelStat *stat,
               TallyPieMeasure measure)
{
  double value;

  switch (measure)
    {
      case TALLY_PIE_MEASURE_BILLED_COST:
        value = tally_model_stat_get_actual_cost (stat);
        break;
      case TALLY_PIE_MEASURE_TOKENS:
        value = (double) tally_model_stat_get_total_tokens (stat);
        break;
      case TALLY_PIE_MEASURE_REQUESTS:
        value = (double) tally_model_stat_get_requests (stat);
        break;
      default:
        g_assert_not_reached ();
    }

  /* The chart has no negative side; NAN would poison the path. */
  return tally_draw_nonnegative (value);
}

/* ------------------------------------------------------------------------ */
/* Data                                                                      */

typedef struct
{
  char *name;
  double value;
} Entry;

typedef struct
{
  char *name;
  double value;
  double fraction;
  guint n_models;
  gboolean other;
} Slice;

struct _TallyPieChartData
{
  gatomicrefcount ref_count;
  TallyPieMeasure measure;
  GArray *slices; /* Slice */
  GArray *folded; /* Entry: the models inside "Other", descending */
  double total;
};

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_clear_pointer (&entry->name, g_free);
}

static void
slice_clear (gpointer data)
{
  Slice *slice = data;

  g_clear_pointer (&slice->name, g_free);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *ea = a;
  const Entry *eb = b;

  if (ea->value > eb->value)
    return -1;
  if (ea->value < eb->value)
    return 1;

  return strcmp (ea->name, eb->name);
}

/**
 * tally_pie_chart_data_new:
 * @models: (nullable): a #GListModel of #TallyModelStat
 * @measure: what the slices measure
 *
 * Sorts the models by @measure, drops those without any, and folds every
 * model under %TALLY_PIE_CHART_MIN_FRACTION of the total (and any beyond
 * %TALLY_PIE_CHART_MAX_SLICES) into one "Other" slice.
 *
 * Returns: (transfer full): the data
 */
TallyPieChartData *
tally_pie_chart_data_new (GListModel *models,
                          TallyPieMeasure measure)
{
  g_autoptr (GArray) entries = NULL;
  TallyPieChartData *data;
  guint n;
  guint n_big = 0;
  guint n_named;

  g_return_val_if_fail (models == NULL || G_IS_LIST_MODEL (models), NULL);

  data = g_new0 (TallyPieChartData, 1);
  g_atomic_ref_count_init (&data->ref_count);
  data->measure = measure;
  data->slices = g_array_new (FALSE, TRUE, sizeof (Slice));
  g_array_set_clear_func (data->slices, slice_clear);
  data->folded = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (data->folded, entry_clear);

  n = models != NULL ? g_list_model_get_n_items (models) : 0;
  entries = g_array_sized_new (FALSE, TRUE, sizeof (Entry), n);
  g_array_set_clear_func (entries, entry_clear);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (models, i);
      Entry entry;

      if (!TALLY_IS_MODEL_STAT (item))
        {
          g_critical ("Item %u of a model breakdown is not a TallyModelStat", i);
          continue;
        }

      entry.value = measure_value (TALLY_MODEL_STAT (item), measure);
      if (entry.value <= 0)
        continue;

      entry.name = g_strdup (tally_model_stat_get_model (TALLY_MODEL_STAT (item)));
      data->total += entry.value;
      g_array_append_val (entries, entry);
    }

  if (entries->len == 0)
    return data;

  g_array_sort (entries, compare_entries);

  for (guint i = 0; i < entries->len; i++)
    if (g_array_index (entries, Entry, i).value / data->total >= TALLY_PIE_CHART_MIN_FRACTION)
      n_big++;

  /* Keep everything when it all fits; otherwise leave room for "Other". */
  if (n_big == entries->len && n_big <= TALLY_PIE_CHART_MAX_SLICES)
    n_named = n_big;
  else
    n_named = MIN (n_big, TALLY_PIE_CHART_MAX_SLICES - 1);

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      if (i < n_named)
        {
          Slice slice = {
            .name = g_steal_pointer (&entry->name),
            .value = entry->value,
            .fraction = entry->value / data->total,
            .n_models = 1,
            .other = FALSE,
          };

          g_array_append_val (data->slices, slice);
        }
      else
        {
          Entry folded = { g_steal_pointer (&entry->name), entry->value };

          g_array_append_val (data->folded, folded);
        }
    }

  if (data->folded->len > 0)
    {
      Slice other = { 0 };

      other.name = g_strdup (C_ ("model share", "Other"));
      other.other = TRUE;
      other.n_models = data->folded->len;
      for (guint i = 0; i < data->folded->len; i++)
        other.value += g_array_index (data->folded, Entry, i).value;
      other.fraction = other.value / data->total;

      g_array_append_val (data->slices, other);
    }

  return data;
}

TallyPieChartData *
tally_pie_chart_data_ref (TallyPieChartData *data)
{
  g_return_val_if_fail (data != NULL, NULL);

  g_atomic_ref_count_inc (&data->ref_count);

  return data;
}

void
tally_pie_chart_data_unref (TallyPieChartData *data)
{
  g_return_if_fail (data != NULL);

  if (g_atomic_ref_count_dec (&data->ref_count))
    {
      g_array_unref (data->slices);
      g_array_unref (data->folded);
      g_free (data);
    }
}

TallyPieMeasure
tally_pie_chart_data_get_measure (TallyPieChartData *data)
{
  g_return_val_if_fail (data != NULL, TALLY_PIE_MEASURE_BILLED_COST);

  return data->measure;
}

guint
tally_pie_chart_data_get_n_slices (TallyPieChartData *data)
{
  g_return_val_if_fail (data != NULL, 0);

  return data->slices->len;
}

static const Slice *
get_slice (TallyPieChartData *data,
           guint index)
{
  return &g_array_index (data->slices, Slice, index);
}

const char *
tally_pie_chart_data_get_slice_name (TallyPieChartData *data,
                                     guint index)
{
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (index < data->slices->len, NULL);

  return get_slice (data, index)->name;
}

double
tally_pie_chart_data_get_slice_value (TallyPieChartData *data,
                                      guint index)
{
  g_return_val_if_fail (data != NULL, 0);
  g_return_val_if_fail (index < data->slices->len, 0);

  return get_slice (data, index)->value;
}

double
tally_pie_chart_data_get_slice_fraction (TallyPieChartData *data,
                                         guint index)
{
  g_return_val_if_fail (data != NULL, 0);
  g_return_val_if_fail (index < data->slices->len, 0);

  return get_slice (data, index)->fraction;
}

gboolean
tally_pie_chart_data_slice_is_other (TallyPieChartData *data,
                                     guint index)
{
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (index < data->slices->len, FALSE);

  return get_slice (data, index)->other;
}

guint
tally_pie_chart_data_get_slice_n_models (TallyPieChartData *data,
                                         guint index)
{
  g_return_val_if_fail (data != NULL, 0);
  g_return_val_if_fail (index < data->slices->len, 0);

  return get_slice (data, index)->n_models;
}

double
tally_pie_chart_data_get_total (TallyPieChartData *data)
{
  g_return_val_if_fail (data != NULL, 0);

  return data->total;
}

gboolean
tally_pie_chart_data_is_empty (TallyPieChartData *data)
{
  g_return_val_if_fail (data != NULL, TRUE);

  return data->slices->len == 0;
}

char *
tally_pie_chart_data_format_value (TallyPieChartData *data,
                                   double value)
{
  g_return_val_if_fail (data != NULL, NULL);

  switch (data->measure)
    {
      case TALLY_PIE_MEASURE_BILLED_COST:
        return tally_format_cost_styled (value, tally_number_style_locale ());
      case TALLY_PIE_MEASURE_TOKENS:
        return tally_format_tokens_styled ((gint64) llround (value), tally_number_style_locale ());
      case TALLY_PIE_MEASURE_REQUESTS:
        return tally_format_count_styled ((gint64) llround (value), tally_number_style_locale ());
      default:
        g_return_val_if_reached (NULL);
    }
}

char *
tally_pie_chart_data_describe (TallyPieChartData *data)
{
  g_autoptr (GString) list = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  list = g_string_new (NULL);

  if (data->slices->len == 0)
    g_string_append (list, _ ("no usage in this range"));

  for (guint i = 0; i < data->slices->len; i++)
    {
      const Slice *slice = get_slice (data, i);
      g_autofree char *percent = tally_format_percent_styled (slice->fraction, tally_number_style_locale ());

      if (i > 0)
        /* Translators: separates the entries of a list in a chart summary */
        g_string_append (list, _ (", "));
      /* Translators: one entry of the model share summary: "claude-sonnet-4-5 45.2%" */
      g_string_append_printf (list, _ ("%s %s"), slice->name, percent);
    }

  switch (data->measure)
    {
      case TALLY_PIE_MEASURE_BILLED_COST:
        /* Translators: accessible summary of the model chart; %s is the list of shares */
        return g_strdup_printf (_ ("Share of billed cost by model: %s"), list->str);
      case TALLY_PIE_MEASURE_TOKENS:
        /* Translators: accessible summary of the model chart; %s is the list of shares */
        return g_strdup_printf (_ ("Share of tokens by model: %s"), list->str);
      case TALLY_PIE_MEASURE_REQUESTS:
        /* Translators: accessible summary of the model chart; %s is the list of shares */
        return g_strdup_printf (_ ("Share of requests by model: %s"), list->str);
      default:
        g_return_val_if_reached (NULL);
    }
}

/* The measure in running text: "billed cost", "tokens", "requests" */
static const char *
measure_name (TallyPieMeasure measure)
{
  switch (measure)
    {
      case TALLY_PIE_MEASURE_BILLED_COST:
        /* Translators: the model chart's measure inside a sentence */
        return _ ("billed cost");
      case TALLY_PIE_MEASURE_TOKENS:
        /* Translators: the model chart's measure inside a sentence */
        return _ ("tokens");
      case TALLY_PIE_MEASURE_REQUESTS:
        /* Translators: the model chart's measure inside a sentence */
        return _ ("requests");
      default:
        g_return_val_if_reached ("");
    }
}

/* "claude-sonnet-4-5", or "Other (3 models)" */
static char *
slice_title (const Slice *slice)
{
  if (slice->other)
    /* Translators: the title of the folded slice, "Other (3 models)" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%u model)", "%s (%u models)", slice->n_models),
                            slice->name, slice->n_models);

  return g_strdup (slice->name);
}

char *
tally_pie_chart_data_describe_slice (TallyPieChartData *data,
                                     guint index)
{
  const Slice *slice;
  g_autofree char *title = NULL;
  g_autofree char *value = NULL;
  g_autofree char *percent = NULL;
  GString *text;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (index < data->slices->len, NULL);

  slice = get_slice (data, index);
  title = slice_title (slice);
  value = tally_pie_chart_data_format_value (data, slice->value);
  percent = tally_format_percent_styled (slice->fraction, tally_number_style_locale ());

  text = g_string_new (NULL);
  /* Translators: a slice of the model chart in words: "claude-sonnet-4-5: billed cost $20.99 (45.2%)" */
  g_string_append_printf (text, _ ("%s: %s %s (%s)"), title, measure_name (data->measure), value, percent);

  if (slice->other)
    {
      for (guint i = 0; i < data->folded->len && i < MAX_TOOLTIP_MODELS; i++)
        {
          const Entry *entry = &g_array_index (data->folded, Entry, i);
          g_autofree char *entry_value = tally_pie_chart_data_format_value (data, entry->value);

          /* Translators: before the first model inside "Other" in its description, then between them */
          g_string_append (text, i == 0 ? _ ("; ") : _ (", "));
          /* Translators: a model inside "Other" in its description: "claude-haiku $0.12" */
          g_string_append_printf (text, _ ("%s %s"), entry->name, entry_value);
        }

      if (data->folded->len > MAX_TOOLTIP_MODELS)
        g_string_append (text, "…");
    }

  return g_string_free (text, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Layout                                                                    */

typedef struct
{
  PangoLayout *name;
  PangoLayout *value;
  PangoLayout *percent;
  graphene_rect_t rect;
  double swatch_x;
  double swatch_y;
  double text_y;
  double name_x;
  double value_x;
  double percent_x;
} Row;

struct _TallyPieChartLayout
{
  TallyPieChartData *data;
  int width;
  int height;

  gboolean has_donut;
  gboolean stacked;
  double cx;
  double cy;
  double inner;
  double outer;
  double *angles; /* n_slices + 1 boundaries, 0 … 2π */

  GArray *rows; /* Row; empty when the legend does not fit */
  PangoLayout *total_text;
  PangoLayout *title_text;
  double total_y;
  double title_y;

  PangoLayout *empty_text;
};

static void
row_clear (gpointer data)
{
  Row *row = data;

  g_clear_object (&row->name);
  g_clear_object (&row->value);
  g_clear_object (&row->percent);
}

static PangoFontDescription *
scaled_font (PangoContext *context,
             double factor,
             PangoWeight weight)
{
  PangoFontDescription *font;
  int size;

  font = pango_font_description_copy (pango_context_get_font_description (context));
  size = pango_font_description_get_size (font);

  if (size <= 0)
    pango_font_description_set_size (font, (int) (11 * factor * PANGO_SCALE));
  else if (pango_font_description_get_size_is_absolute (font))
    pango_font_description_set_absolute_size (font, size * factor);
  else
    pango_font_description_set_size (font, (int) (size * factor));

  pango_font_description_set_weight (font, weight);

  return font;
}

static void
place_legend (TallyPieChartLayout *layout,
              double x,
              double top,
              double legend_width,
              double row_height,
              double name_width,
              double percent_width)
{
  for (guint i = 0; i < layout->rows->len; i++)
    {
      Row *row = &g_array_index (layout->rows, Row, i);
      double row_top = top + i * row_height;
      int w;
      int h;

      tally_draw_text_get_size (row->name, NULL, &h);
      graphene_rect_init (&row->rect, x - 6, row_top, legend_width + 12, row_height);
      row->swatch_x = x;
      row->swatch_y = floor (row_top + (row_height - SWATCH) / 2);
      row->text_y = floor (row_top + (row_height - h) / 2);
      row->name_x = x + SWATCH + SWATCH_GAP;
      pango_layout_set_width (row->name, (int) (name_width * PANGO_SCALE));
      pango_layout_set_ellipsize (row->name, PANGO_ELLIPSIZE_END);

      tally_draw_text_get_size (row->percent, &w, NULL);
      row->percent_x = x + legend_width - w;
      tally_draw_text_get_size (row->value, &w, NULL);
      row->value_x = x + legend_width - percent_width - COLUMN_GAP - w;
    }
}

/**
 * tally_pie_chart_layout_new:
 * @data: the data
 * @width: the width in pixels
 * @height: the height in pixels
 * @context: (nullable): the pango context for text
 *
 * Places the donut and the legend: side by side when that gives the donut
 * at least as much room as stacking, otherwise the legend below.
 *
 * Returns: (transfer full): the layout
 */
TallyPieChartLayout *
tally_pie_chart_layout_new (TallyPieChartData *data,
                            int width,
                            int height,
                            PangoContext *context)
{
  PangoContext *own_context = NULL;
  g_autoptr (PangoFontDescription) caption = NULL;
  g_autoptr (PangoFontDescription) heading = NULL;
  TallyPieChartLayout *layout;
  guint n;
  int max_name = 0;
  int max_value = 0;
  int max_percent = 0;
  int text_height = 0;
  double fixed;
  double natural;
  double row_height;
  double rows_height;
  double side_legend;
  double side_donut = -1;
  double stack_legend;
  double stack_donut = -1;
  double acc = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (context == NULL || PANGO_IS_CONTEXT (context), NULL);

  layout = g_new0 (TallyPieChartLayout, 1);
  layout->data = tally_pie_chart_data_ref (data);
  layout->width = MAX (width, 0);
  layout->height = MAX (height, 0);
  layout->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (layout->rows, row_clear);

  if (context == NULL)
    {
      g_autoptr (PangoFontDescription) sans = pango_font_description_from_string ("Sans 11");

      own_context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
      pango_context_set_font_description (own_context, sans);
      context = own_context;
    }

  n = data->slices->len;

  if (n == 0)
    {
      layout->empty_text = tally_draw_text_new (context, NULL, FALSE, _ ("No usage in this range"));
      pango_layout_set_alignment (layout->empty_text, PANGO_ALIGN_CENTER);
      pango_layout_set_width (layout->empty_text, (int) MAX (1, layout->width - 2 * PAD) * PANGO_SCALE);
      pango_layout_set_wrap (layout->empty_text, PANGO_WRAP_WORD_CHAR);
      g_clear_object (&own_context);
      return layout;
    }

  layout->angles = g_new (double, n + 1);
  for (guint i = 0; i < n; i++)
    {
      layout->angles[i] = acc * 2 * G_PI;
      acc += get_slice (data, i)->fraction;
    }
  layout->angles[n] = 2 * G_PI;

  caption = scaled_font (context, 9.0 / 11.0, PANGO_WEIGHT_NORMAL);
  heading = scaled_font (context, 13.0 / 11.0, PANGO_WEIGHT_BOLD);

  for (guint i = 0; i < n; i++)
    {
      const Slice *slice = get_slice (data, i);
      g_autofree char *value = tally_pie_chart_data_format_value (data, slice->value);
      g_autofree char *percent = tally_format_percent_styled (slice->fraction, tally_number_style_locale ());
      Row row = { 0 };
      int w;
      int h;

      row.name = tally_draw_text_new (context, caption, FALSE, slice->name);
      row.value = tally_draw_text_new (context, caption, TRUE, value);
      row.percent = tally_draw_text_new (context, caption, TRUE, percent);

      tally_draw_text_get_size (row.name, &w, &h);
      max_name = MAX (max_name, w);
      text_height = MAX (text_height, h);
      tally_draw_text_get_size (row.value, &w, NULL);
      max_value = MAX (max_value, w);
      tally_draw_text_get_size (row.percent, &w, NULL);
      max_percent = MAX (max_percent, w);

      g_array_append_val (layout->rows, row);
    }

  fixed = SWATCH + SWATCH_GAP + COLUMN_GAP + max_value + COLUMN_GAP + max_percent;
  natural = fixed + max_name;
  row_height = text_height + ROW_PADDING;
  rows_height = n * row_height;

  /* Beside: the legend takes what it needs, the donut the rest. */
  side_legend = MIN (natural, layout->width - 2 * PAD - DONUT_LEGEND_GAP - MIN_DONUT);
  if (side_legend >= fixed + MIN_NAME_WIDTH)
    {
      side_donut = MIN (layout->height - 2 * PAD, layout->width - 2 * PAD - DONUT_LEGEND_GAP - side_legend);
      side_donut = MIN (side_donut, MAX_DONUT);
    }

  /* Below: the donut takes what the rows leave. */
  stack_legend = MIN (natural, layout->width - 2 * PAD);
  if (stack_legend >= fixed + MIN_NAME_WIDTH)
    {
      stack_donut = MIN (layout->width - 2 * PAD, layout->height - 2 * PAD - STACK_GAP - rows_height);
      stack_donut = MIN (stack_donut, MAX_DONUT);
    }

  if (side_donut >= MIN_DONUT && side_donut >= stack_donut)
    {
      double rh = MIN (row_height, (layout->height - 2 * PAD) / n);
      double group = side_donut + DONUT_LEGEND_GAP + side_legend;
      double x0 = MAX (PAD, floor ((layout->width - group) / 2));
      double legend_top = floor ((layout->height - n * rh) / 2);

      layout->stacked = FALSE;
      layout->cx = x0 + side_donut / 2;
      layout->cy = layout->height / 2.0;
      layout->outer = side_donut / 2 - HOVER_OFFSET;
      place_legend (layout, x0 + side_donut + DONUT_LEGEND_GAP, legend_top, side_legend, rh,
                    side_legend - fixed, max_percent);
    }
  else if (stack_donut >= MIN_DONUT)
    {
      double total = stack_donut + STACK_GAP + rows_height;
      double top = MAX (PAD, floor ((layout->height - total) / 2));
      double legend_x = floor ((layout->width - stack_legend) / 2);

      layout->stacked = TRUE;
      layout->cx = layout->width / 2.0;
      layout->cy = top + stack_donut / 2;
      layout->outer = stack_donut / 2 - HOVER_OFFSET;
      place_legend (layout, legend_x, top + stack_donut + STACK_GAP, stack_legend, row_height,
                    stack_legend - fixed, max_percent);
    }
  else
    {
      /* Too small for a legend: the donut alone, with the tooltip for details. */
      double size = MIN (MIN (layout->width, layout->height) - 2 * PAD, MAX_DONUT);

      g_array_set_size (layout->rows, 0);
      if (size < MIN_DONUT_ALONE)
        {
          g_clear_object (&own_context);
          return layout;
        }

      layout->cx = layout->width / 2.0;
      layout->cy = layout->height / 2.0;
      layout->outer = size / 2 - HOVER_OFFSET;
    }

  layout->has_donut = TRUE;
  layout->inner = layout->outer * HOLE_RATIO;

  /* The total in the hole, when it fits */
  {
    g_autofree char *total = tally_pie_chart_data_format_value (data, data->total);
    int tw;
    int th;
    int cw;
    int ch;

    layout->total_text = tally_draw_text_new (context, heading, TRUE, total);
    layout->title_text = tally_draw_text_new (context, caption, FALSE, tally_pie_measure_get_title (data->measure));
    tally_draw_text_get_size (layout->total_text, &tw, &th);
    tally_draw_text_get_size (layout->title_text, &cw, &ch);

    if (MAX (tw, cw) > 2 * layout->inner * 0.85 || th + ch > 2 * layout->inner * 0.8)
      {
        g_clear_object (&layout->total_text);
        g_clear_object (&layout->title_text);
      }
    else
      {
        layout->total_y = floor (layout->cy - (th + ch) / 2.0);
        layout->title_y = layout->total_y + th;
      }
  }

  g_clear_object (&own_context);

  return layout;
}

TallyPieChartLayout *
tally_pie_chart_layout_new_for_model (GListModel *models,
                                      TallyPieMeasure measure,
                                      int width,
                                      int height,
                                      PangoContext *context)
{
  g_autoptr (TallyPieChartData) data = NULL;

  g_return_val_if_fail (models == NULL || G_IS_LIST_MODEL (models), NULL);

  data = tally_pie_chart_data_new (models, measure);

  return tally_pie_chart_layout_new (data, width, height, context);
}

void
tally_pie_chart_layout_free (TallyPieChartLayout *layout)
{
  if (layout == NULL)
    return;

  g_clear_pointer (&layout->data, tally_pie_chart_data_unref);
  g_clear_pointer (&layout->angles, g_free);
  g_clear_pointer (&layout->rows, g_array_unref);
  g_clear_object (&layout->total_text);
  g_clear_object (&layout->title_text);
  g_clear_object (&layout->empty_text);
  g_free (layout);
}

/**
 * tally_pie_chart_layout_get_data:
 *
 * Returns: (transfer none): the data
 */
TallyPieChartData *
tally_pie_chart_layout_get_data (const TallyPieChartLayout *layout)
{
  g_return_val_if_fail (layout != NULL, NULL);

  return layout->data;
}

int
tally_pie_chart_layout_get_width (const TallyPieChartLayout *layout)
{
  g_return_val_if_fail (layout != NULL, 0);

  return layout->width;
}

int
tally_pie_chart_layout_get_height (const TallyPieChartLayout *layout)
{
  g_return_val_if_fail (layout != NULL, 0);

  return layout->height;
}

gboolean
tally_pie_chart_layout_get_donut (const TallyPieChartLayout *layout,
                                  double *center_x,
                                  double *center_y,
                                  double *inner_radius,
                                  double *outer_radius)
{
  g_return_val_if_fail (layout != NULL, FALSE);

  if (center_x != NULL)
    *center_x = layout->cx;
  if (center_y != NULL)
    *center_y = layout->cy;
  if (inner_radius != NULL)
    *inner_radius = layout->inner;
  if (outer_radius != NULL)
    *outer_radius = layout->outer;

  return layout->has_donut;
}

gboolean
tally_pie_chart_layout_get_slice_angles (const TallyPieChartLayout *layout,
                                         guint index,
                                         double *start,
                                         double *end)
{
  g_return_val_if_fail (layout != NULL, FALSE);

  if (!layout->has_donut || index >= layout->data->slices->len)
    return FALSE;

  if (start != NULL)
    *start = layout->angles[index];
  if (end != NULL)
    *end = layout->angles[index + 1];

  return TRUE;
}

gboolean
tally_pie_chart_layout_get_stacked (const TallyPieChartLayout *layout)
{
  g_return_val_if_fail (layout != NULL, FALSE);

  return layout->stacked;
}

guint
tally_pie_chart_layout_get_n_legend_rows (const TallyPieChartLayout *layout)
{
  g_return_val_if_fail (layout != NULL, 0);

  return layout->rows->len;
}

gboolean
tally_pie_chart_layout_get_legend_row (const TallyPieChartLayout *layout,
                                       guint index,
                                       graphene_rect_t *area)
{
  g_return_val_if_fail (layout != NULL, FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  if (index >= layout->rows->len)
    {
      graphene_rect_init (area, 0, 0, 0, 0);
      return FALSE;
    }

  *area = g_array_index (layout->rows, Row, index).rect;

  return TRUE;
}

const char *
tally_pie_chart_layout_get_legend_text (const TallyPieChartLayout *layout,
                                        guint index,
                                        const char **value,
                                        const char **percent)
{
  const Row *row;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (index < layout->rows->len, NULL);

  row = &g_array_index (layout->rows, Row, index);
  if (value != NULL)
    *value = pango_layout_get_text (row->value);
  if (percent != NULL)
    *percent = pango_layout_get_text (row->percent);

  return pango_layout_get_text (row->name);
}

int
tally_pie_chart_layout_hit_test (const TallyPieChartLayout *layout,
                                 double x,
                                 double y)
{
  double dx;
  double dy;
  double radius;

  g_return_val_if_fail (layout != NULL, -1);

  if (!layout->has_donut)
    return -1;

  dx = x - layout->cx;
  dy = y - layout->cy;
  radius = hypot (dx, dy);

  /* Polar test: the ring between the hole and the (possibly offset) edge */
  if (radius >= layout->inner && radius <= layout->outer + HOVER_OFFSET)
    {
      /* atan2 counts clockwise from 3 o'clock on screen (y grows down);
       * the slices start at 12 o'clock. */
      double angle = atan2 (dy, dx) + G_PI / 2;
      guint n = layout->data->slices->len;

      if (angle < 0)
        angle += 2 * G_PI;
      if (angle >= 2 * G_PI)
        angle -= 2 * G_PI;

      for (guint i = 0; i < n; i++)
        if (angle >= layout->angles[i] && angle < layout->angles[i + 1])
          return i;

      return n - 1;
    }

  for (guint i = 0; i < layout->rows->len; i++)
    {
      const Row *row = &g_array_index (layout->rows, Row, i);

      if (graphene_rect_contains_point (&row->rect, &GRAPHENE_POINT_INIT (x, y)))
        return i;
    }

  return -1;
}

static const TallyRGBA *slice_color (const TallyPieChartLayout *layout,
                                     const TallyChartPalette *palette,
                                     guint index);

/* Clear of the slice's edge, even when it is pulled out on hover */
#define READOUT_CLEARANCE (HOVER_OFFSET + 8.0)

TallyChartReadout *
tally_pie_chart_layout_new_readout (const TallyPieChartLayout *layout,
                                    guint index,
                                    const TallyChartPalette *palette,
                                    PangoContext *context)
{
  TallyPieChartData *data;
  const Slice *slice;
  g_autofree char *title = NULL;
  g_autofree char *value = NULL;
  g_autofree char *percent = NULL;
  TallyChartReadout *readout;
  double x;
  double y;

  g_return_val_if_fail (layout != NULL, NULL);
  g_return_val_if_fail (palette != NULL, NULL);

  if (!tally_pie_chart_layout_get_anchor (layout, index, &x, &y))
    return NULL;

  data = layout->data;
  slice = get_slice (data, index);
  title = slice_title (slice);
  value = tally_pie_chart_data_format_value (data, slice->value);
  percent = tally_format_percent_styled (slice->fraction, tally_number_style_locale ());

  readout = tally_chart_readout_new (context, title);
  tally_chart_readout_add_row (readout, slice_color (layout, palette, index),
                               tally_pie_measure_get_title (data->measure), value);
  /* Translators: the readout row of a slice's share of the total */
  tally_chart_readout_add_row (readout, NULL, _ ("Share"), percent);

  if (slice->other)
    {
      for (guint i = 0; i < data->folded->len && i < MAX_TOOLTIP_MODELS; i++)
        {
          const Entry *entry = &g_array_index (data->folded, Entry, i);
          g_autofree char *entry_value = tally_pie_chart_data_format_value (data, entry->value);

          tally_chart_readout_add_row (readout, NULL, entry->name, entry_value);
        }

      if (data->folded->len > MAX_TOOLTIP_MODELS)
        tally_chart_readout_add_row (readout, NULL, "…", "");
    }

  tally_chart_readout_place (readout, x, y, READOUT_CLEARANCE,
                             &GRAPHENE_RECT_INIT (0, 0, layout->width, layout->height));

  return readout;
}

gboolean
tally_pie_chart_layout_get_anchor (const TallyPieChartLayout *layout,
                                   guint index,
                                   double *x,
                                   double *y)
{
  double middle;

  g_return_val_if_fail (layout != NULL, FALSE);

  if (!layout->has_donut || index >= layout->data->slices->len)
    return FALSE;

  /* the middle of the slice's outer edge; angles run clockwise from 12 o'clock */
  middle = (layout->angles[index] + layout->angles[index + 1]) / 2;
  if (x != NULL)
    *x = layout->cx + layout->outer * sin (middle);
  if (y != NULL)
    *y = layout->cy - layout->outer * cos (middle);

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Drawing                                                                   */

static const TallyRGBA *
slice_color (const TallyPieChartLayout *layout,
             const TallyChartPalette *palette,
             guint index)
{
  if (get_slice (layout->data, index)->other)
    return &palette->other;

  return tally_chart_palette_get_series_color (palette, index);
}

static void
slice_path (cairo_t *cr,
            const TallyPieChartLayout *layout,
            guint index,
            double offset)
{
  guint n = layout->data->slices->len;
  double a0 = layout->angles[index] - G_PI / 2;
  double a1 = layout->angles[index + 1] - G_PI / 2;
  double mid = (a0 + a1) / 2;
  double cx = layout->cx + cos (mid) * offset;
  double cy = layout->cy + sin (mid) * offset;
  double outer_gap;
  double inner_gap;

  if (n == 1)
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, cx, cy, layout->outer, 0, 2 * G_PI);
      cairo_close_path (cr);
      cairo_new_sub_path (cr);
      cairo_arc_negative (cr, cx, cy, layout->inner, 2 * G_PI, 0);
      cairo_close_path (cr);
      return;
    }

  /* A gap of constant width between slices: a smaller angle further out. */
  outer_gap = MIN (SLICE_HALF_GAP / layout->outer, (a1 - a0) / 4);
  inner_gap = MIN (SLICE_HALF_GAP / layout->inner, (a1 - a0) / 4);

  cairo_new_sub_path (cr);
  cairo_arc (cr, cx, cy, layout->outer, a0 + outer_gap, a1 - outer_gap);
  cairo_arc_negative (cr, cx, cy, layout->inner, a1 - inner_gap, a0 + inner_gap);
  cairo_close_path (cr);
}

static void
rounded_rect (cairo_t *cr,
              double x,
              double y,
              double width,
              double height,
              double radius)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

void
tally_pie_chart_draw (cairo_t *cr,
                      const TallyPieChartLayout *layout,
                      const TallyChartPalette *palette,
                      int hover_index)
{
  guint n;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (layout != NULL);
  g_return_if_fail (palette != NULL);

  tally_draw_chart_begin (cr, palette, layout->width, layout->height);

  if (layout->empty_text != NULL)
    {
      tally_draw_text_show_middle (cr, layout->empty_text, PAD, layout->height, &palette->dim_foreground);
      cairo_restore (cr);
      return;
    }

  if (!layout->has_donut)
    {
      cairo_restore (cr);
      return;
    }

  n = layout->data->slices->len;
  if (hover_index >= (int) n)
    hover_index = -1;

  /* Slices: the hovered one steps out, the others step back a little. */
  for (guint i = 0; i < n; i++)
    {
      gboolean hovered = (int) i == hover_index;

      slice_path (cr, layout, i, hovered ? HOVER_OFFSET : 0);
      tally_rgba_set_source_with_alpha (cr, slice_color (layout, palette, i), hover_index < 0 || hovered ? 1.0 : 0.55);
      cairo_fill (cr);
    }

  if (layout->total_text != NULL)
    {
      int w;

      tally_draw_text_get_size (layout->total_text, &w, NULL);
      tally_rgba_set_source (cr, &palette->foreground);
      cairo_move_to (cr, floor (layout->cx - w / 2.0), layout->total_y);
      pango_cairo_show_layout (cr, layout->total_text);

      tally_draw_text_get_size (layout->title_text, &w, NULL);
      tally_rgba_set_source (cr, &palette->dim_foreground);
      cairo_move_to (cr, floor (layout->cx - w / 2.0), layout->title_y);
      pango_cairo_show_layout (cr, layout->title_text);
    }

  /* Legend */
  for (guint i = 0; i < layout->rows->len; i++)
    {
      const Row *row = &g_array_index (layout->rows, Row, i);

      if ((int) i == hover_index)
        {
          rounded_rect (cr, row->rect.origin.x, row->rect.origin.y, row->rect.size.width, row->rect.size.height, 6);
          tally_rgba_set_source_with_alpha (cr, &palette->foreground, palette->dark ? 0.10 : 0.08);
          cairo_fill (cr);
        }

      rounded_rect (cr, row->swatch_x, row->swatch_y, SWATCH, SWATCH, 3);
      tally_rgba_set_source (cr, slice_color (layout, palette, i));
      cairo_fill (cr);

      tally_rgba_set_source (cr, &palette->foreground);
      cairo_move_to (cr, row->name_x, row->text_y);
      pango_cairo_show_layout (cr, row->name);
      cairo_move_to (cr, row->value_x, row->text_y);
      pango_cairo_show_layout (cr, row->value);

      tally_rgba_set_source (cr, &palette->dim_foreground);
      cairo_move_to (cr, row->percent_x, row->text_y);
      pango_cairo_show_layout (cr, row->percent);
    }

  cairo_restore (cr);
}

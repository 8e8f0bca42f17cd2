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

#define TARGET_INTERVALS 4
#define EDGE_PAD 4.0
#define LABEL_GAP 8.0
#define X_LABEL_SPACING 14.0
#define MIN_PLOT_SIZE 24.0

/* ------------------------------------------------------------------------ */
/* Series and scale                                                          */

const char *
tally_trend_series_get_title (TallyTrendSeries series)
{
  switch (series)
    {
      case TALLY_TREND_SERIES_BILLED_COST:
        return _ ("Billed cost");
      case TALLY_TREND_SERIES_LIST_COST:
        return _ ("List cost");
      case TALLY_TREND_SERIES_REQUESTS:
        return _ ("Requests");
      case TALLY_TREND_SERIES_INPUT_TOKENS:
        return _ ("Input tokens");
      case TALLY_TREND_SERIES_OUTPUT_TOKENS:
        return _ ("Output tokens");
      case TALLY_TREND_SERIES_CACHE_TOKENS:
        return _ ("Cache tokens");
      default:
        g_return_val_if_reached ("");
    }
}

static gboolean
series_is_cost (TallyTrendSeries series)
{
  return series == TALLY_TREND_SERIES_BILLED_COST || series == TALLY_TREND_SERIES_LIST_COST;
}

static double
series_value (TallyTrendPoint *point,
              TallyTrendSeries series)
{
  double value;

  switch (series)
    {
      case TALLY_TREND_SERIES_BILLED_COST:
        value = tally_trend_point_get_actual_cost (point);
        break;
      case TALLY_TREND_SERIES_LIST_COST:
        value = tally_trend_point_get_cost (point);
        break;
      case TALLY_TREND_SERIES_REQUESTS:
        value = (double) tally_trend_point_get_requests (point);
        break;
      case TALLY_TREND_SERIES_INPUT_TOKENS:
        value = (double) tally_trend_point_get_input_tokens (point);
        break;
      case TALLY_TREND_SERIES_OUTPUT_TOKENS:
        value = (double) tally_trend_point_get_output_tokens (point);
        break;
      case TALLY_TREND_SERIES_CACHE_TOKENS:
        value = (double) tally_trend_point_get_cache_tokens (point);
        break;
      default:
        g_assert_not_reached ();
    }

  /* The chart has no negative side; NAN would poison the path. */
  return tally_draw_nonnegative (value);
}

void
tally_trend_chart_nice_scale (double max,
                              gboolean integral,
                              double *step,
                              guint *n_intervals)
{
  static const double multipliers[] = { 1, 2, 2.5, 5, 10 };
  double raw;
  double magnitude;
  double chosen = 0;
  double n;

  g_return_if_fail (step != NULL);
  g_return_if_fail (n_intervals != NULL);

  if (!isfinite (max) || max <= 0)
    max = 1;

  raw = max / TARGET_INTERVALS;
  magnitude = pow (10, floor (log10 (raw)));

  for (guint i = 0; i < G_N_ELEMENTS (multipliers); i++)
    {
      double candidate = multipliers[i] * magnitude;

      if (integral && candidate < 1)
        continue;
      if (integral && multipliers[i] == 2.5 && magnitude < 10)
        continue;
      if (candidate >= raw * (1 - 1e-9))
        {
          chosen = candidate;
          break;
        }
    }

  if (chosen == 0)
    chosen = integral ? MAX (1, 10 * magnitude) : 10 * magnitude;

  n = ceil (max / chosen - 1e-9);
  *step = chosen;
  *n_intervals = (guint) MAX (1, n);
}

/* ------------------------------------------------------------------------ */
/* Data                                                                      */

struct _TallyTrendChartData
{
  gatomicrefcount ref_count;
  TallyTrendSeries series;
  GPtrArray *points;
  GArray *values;
  double total;
  double max;
  int peak;
  gboolean hourly;
  double step;
  guint n_intervals;
};

/**
 * tally_trend_chart_data_new:
 * @points: a #GListModel of #TallyTrendPoint, zero-filled and in order
 * @series: which value to plot
 *
 * Reads every point once. The data keeps references to the points, not to
 * @points, so later changes of the model need a new data.
 *
 * Returns: (transfer full): the data
 */
TallyTrendChartData *
tally_trend_chart_data_new (GListModel *points,
                            TallyTrendSeries series)
{
  TallyTrendChartData *data;
  guint n;

  g_return_val_if_fail (points == NULL || G_IS_LIST_MODEL (points), NULL);

  n = points != NULL ? g_list_model_get_n_items (points) : 0;

  data = g_new0 (TallyTrendChartData, 1);
  g_atomic_ref_count_init (&data->ref_count);
  data->series = series;
  data->points = g_ptr_array_new_full (n, g_object_unref);
  data->values = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  data->peak = -1;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (points, i);
      TallyTrendPoint *point;
      double value;

      if (!TALLY_IS_TREND_POINT (item))
        {
          g_critical ("Item %u of a trend model is not a TallyTrendPoint", i);
          continue;
        }

      point = TALLY_TREND_POINT (item);
      value = series_value (point, series);

      if (strchr (tally_trend_point_get_date (point), ' ') != NULL)
        data->hourly = TRUE;

      data->total += value;
      if (data->peak < 0 || value > data->max)
        {
          data->max = value;
          data->peak = data->values->len;
        }

      g_array_append_val (data->values, value);
      g_ptr_array_add (data->points, g_steal_pointer (&item));
    }

  tally_trend_chart_nice_scale (data->max, !series_is_cost (series), &data->step, &data->n_intervals);

  return data;
}

TallyTrendChartData *
tally_trend_chart_data_ref (TallyTrendChartData *data)
{
  g_return_val_if_fail (data != NULL, NULL);

  g_atomic_ref_count_inc (&data->ref_count);

  return data;
}

void
tally_trend_chart_data_unref (TallyTrendChartData *data)
{
  g_return_if_fail (data != NULL);

  if (g_atomic_ref_count_dec (&data->ref_count))
    {
      g_ptr_array_unref (data->points);
      g_array_unref (data->values);
      g_free (data);
    }
}

TallyTrendSeries
tally_trend_chart_data_get_series (TallyTrendChartData *data)
{
  g_return_val_if_fail (data != NULL, TALLY_TREND_SERIES_BILLED_COST);

  return data->series;
}

guint
tally_trend_chart_data_get_n_buckets (TallyTrendChartData *data)
{
  g_return_val_if_fail (data != NULL, 0);

  return data->values->len;
}

/**
 * tally_trend_chart_data_get_point:
 *
 * Returns: (transfer none): the point of bucket @index
 */
TallyTrendPoint *
tally_trend_chart_data_get_point (TallyTrendChartData *data,
                                  guint index)
{
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (index < data->points->len, NULL);

  return g_ptr_array_index (data->points, index);
}

double
tally_trend_chart_data_get_value (TallyTrendChartData *data,
                                  guint index)
{
  g_return_val_if_fail (data != NULL, 0);
  g_return_val_if_fail (index < data->values->len, 0);

  return g_array_index (data->values, double, index);
}

gboolean
tally_trend_chart_data_get_hourly (TallyTrendChartData *data)
{
  g_return_val_if_fail (data != NULL, FALSE);

  return data->hourly;
}

double
tally_trend_chart_data_get_total (TallyTrendChartData *data)
{
  g_return_val_if_fail (data != NULL, 0);

  return data->total;
}

double
tally_trend_chart_data_get_max (TallyTrendChartData *data)
{
  g_return_val_if_fail (data != NULL, 0);

  return data->max;
}

int
tally_trend_chart_data_get_peak_index (TallyTrendChartData *data)
{
  g_return_val_if_fail (data != NULL, -1);

  return data->peak;
}

gboolean
tally_trend_chart_data_is_empty (TallyTrendChartData *data)
{
  g_return_val_if_fail (data != NULL, TRUE);

  return data->values->len == 0 || data->max <= 0;
}

guint
tally_trend_chart_data_get_n_ticks (TallyTrendChartData *data)
{
  g_return_val_if_fail (data != NULL, 0);

  return data->n_intervals + 1;
}

double
tally_trend_chart_data_get_tick (TallyTrendChartData *data,
                                 guint index)
{
  g_return_val_if_fail (data != NULL, 0);
  g_return_val_if_fail (index <= data->n_intervals, 0);

  return index * data->step;
}

double
tally_trend_chart_data_get_scale_max (TallyTrendChartData *data)
{
  g_return_val_if_fail (data != NULL, 1);

  return data->n_intervals * data->step;
}

char *
tally_trend_chart_data_format_value (TallyTrendChartData *data,
                                     double value)
{
  g_return_val_if_fail (data != NULL, NULL);

  switch (data->series)
    {
      case TALLY_TREND_SERIES_BILLED_COST:
      case TALLY_TREND_SERIES_LIST_COST:
        return tally_format_cost_styled (value, tally_number_style_locale ());
      case TALLY_TREND_SERIES_REQUESTS:
        return tally_format_count_styled ((gint64) llround (value), tally_number_style_locale ());
      case TALLY_TREND_SERIES_INPUT_TOKENS:
      case TALLY_TREND_SERIES_OUTPUT_TOKENS:
      case TALLY_TREND_SERIES_CACHE_TOKENS:
        return tally_format_tokens_styled ((gint64) llround (value), tally_number_style_locale ());
      default:
        g_return_val_if_reached (NULL);
    }
}

/* An axis label: like format_value, but "$5" rather than "$5.00" when every
 * tick is a whole number of dollars, and always "$0" at the baseline. */
static char *
format_tick (TallyTrendChartData *data,
             double value)
{
  char *text = tally_trend_chart_data_format_value (data, value);

  if (series_is_cost (data->series) && (data->step >= 1 || value == 0))
    {
      /* Drop the cents wherever the locale's dollar template puts them:
       * "$5.00" → "$5", "5,00 $" → "5 $". */
      const TallyNumberStyle *style = tally_number_style_locale ();
      const char *point = style->decimal_point != NULL && *style->decimal_point != '\0' ? style->decimal_point : ".";
      g_autofree char *cents = g_strconcat (point, "00", NULL);
      char *found = g_strrstr (text, cents);

      if (found != NULL && !g_ascii_isdigit (found[strlen (cents)]))
        memmove (found, found + strlen (cents), strlen (found + strlen (cents)) + 1);
    }

  return text;
}

static const char *
bucket_date (TallyTrendChartData *data,
             guint index)
{
  return tally_trend_point_get_date (g_ptr_array_index (data->points, index));
}

char *
tally_trend_chart_data_describe (TallyTrendChartData *data)
{
  const char *title;
  g_autofree char *what = NULL;
  g_autofree char *total = NULL;
  g_autofree char *peak = NULL;
  const char *first;
  const char *last;

  g_return_val_if_fail (data != NULL, NULL);

  title = tally_trend_series_get_title (data->series);

  if (data->values->len == 0)
    /* Translators: accessible summary of an empty chart; %s is e.g. "Billed cost" */
    return g_strdup_printf (_ ("%s: no usage in this range"), title);

  if (data->hourly)
    /* Translators: %s is a series name, e.g. "Requests per hour" */
    what = g_strdup_printf (_ ("%s per hour"), title);
  else
    /* Translators: %s is a series name, e.g. "Billed cost per day" */
    what = g_strdup_printf (_ ("%s per day"), title);

  first = bucket_date (data, 0);
  last = bucket_date (data, data->values->len - 1);

  if (tally_trend_chart_data_is_empty (data))
    /* Translators: accessible summary: "Requests per day, 2026-01-08 to 2026-01-15: no usage" */
    return g_strdup_printf (_ ("%s, %s to %s: no usage"), what, first, last);

  total = tally_trend_chart_data_format_value (data, data->total);
  peak = tally_trend_chart_data_format_value (data, data->max);

  if (data->hourly)
    /* Translators: accessible summary of the trend chart, e.g. "Requests per hour,
     * 2026-01-14 00:00 to 2026-01-14 23:00: total 263, peak 31 at 2026-01-14 13:00" */
    return g_strdup_printf (_ ("%s, %s to %s: total %s, peak %s at %s"),
                            what, first, last, total, peak, bucket_date (data, data->peak));
  else
    /* Translators: accessible summary of the trend chart, e.g. "Billed cost per day,
     * 2026-01-08 to 2026-01-15: total $82.41, peak $13.37 on 2026-01-14" */
    return g_strdup_printf (_ ("%s, %s to %s: total %s, peak %s on %s"),
                            what, first, last, total, peak, bucket_date (data, data->peak));
}

char *
tally_trend_chart_data_describe_bucket (TallyTrendChartData *data,
                                        guint index)
{
  TallyTrendPoint *point;
  GString *text;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (index < data->points->len, NULL);

  point = g_ptr_array_index (data->points, index);
  text = g_string_new (tally_trend_point_get_date (point));

  /* every series, in the order of the enum */
  for (TallyTrendSeries series = TALLY_TREND_SERIES_BILLED_COST; series <= TALLY_TREND_SERIES_CACHE_TOKENS; series++)
    {
      double value = series_value (point, series);
      g_autofree char *formatted = NULL;

      if (series_is_cost (series))
        formatted = tally_format_cost_styled (value, tally_number_style_locale ());
      else if (series == TALLY_TREND_SERIES_REQUESTS)
        formatted = tally_format_count_styled ((gint64) llround (value), tally_number_style_locale ());
      else
        formatted = tally_format_tokens_styled ((gint64) llround (value), tally_number_style_locale ());

      g_string_append_c (text, '\n');
      /* Translators: one line of a chart tooltip, e.g. "Requests: 263" */
      g_string_append_printf (text, _ ("%s: %s"), tally_trend_series_get_title (series), formatted);
    }

  return g_string_free (text, FALSE);
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

/* "2026-01-14" or "2026-01-14 13:00" → "Jan 14" */
static char *
axis_date (const char *label)
{
  g_autoptr (GDateTime) datetime = NULL;
  char ymd[11];
  GDate date;
  char *text;

  if (strlen (label) < 10)
    return g_strdup (label);

  memcpy (ymd, label, 10);
  ymd[10] = '\0';
  if (!tally_date_parse (ymd, &date))
    return g_strndup (label, 10);

  datetime = g_date_time_new_utc (g_date_get_year (&date), g_date_get_month (&date),
                                  g_date_get_day (&date), 0, 0, 0);
  /* Translators: a date on a chart's time axis, in g_date_time_format() syntax ("Jan 14") */
  text = g_date_time_format (datetime, _ ("%b %-d"));

  return text != NULL ? text : g_strdup (ymd);
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
  const char *date = bucket_date (data, index);

  if (data->hourly && step < 24 && bucket_hour (date) > 0)
    return g_strdup (date + 11);

  return axis_date (date);
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
    g_autofree char *sample = axis_date (bucket_date (data, 0));
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
  layout->plot.size.width = layout->width - layout->plot.origin.x - 2 * EDGE_PAD;
  layout->plot.size.height = layout->height - layout->plot.origin.y - label_height - 6 - EDGE_PAD;

  if (layout->plot.size.width < MIN_PLOT_SIZE || layout->plot.size.height < MIN_PLOT_SIZE)
    {
      g_array_set_size (layout->y_labels, 0);
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

  layout->xy = g_new (double, 2 * n);
  for (guint i = 0; i < n; i++)
    {
      double value = g_array_index (data->values, double, i);

      layout->xy[2 * i] = layout->plot.origin.x + (i + 0.5) * layout->bucket_width;
      layout->xy[2 * i + 1] = baseline - value / scale_max * layout->plot.size.height;
    }

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
  g_clear_pointer (&layout->xy, g_free);
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

  return CLAMP (index, 0, (int) layout->data->values->len - 1);
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

static void
line_path (cairo_t *cr,
           const TallyTrendChartLayout *layout)
{
  const double *xy = layout->xy;
  guint n = layout->data->values->len;

  cairo_move_to (cr, xy[0], xy[1]);
  for (guint i = 1; i < n; i++)
    cairo_line_to (cr, xy[2 * i], xy[2 * i + 1]);
}

void
tally_trend_chart_draw (cairo_t *cr,
                        const TallyTrendChartLayout *layout,
                        const TallyChartPalette *palette,
                        int hover_index)
{
  const graphene_rect_t *plot;
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
  n = layout->data->values->len;
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

  /* The area under the line, fading towards the baseline, then the line */
  if (n > 1 && !_tally_trend_chart_draw_dense (cr, layout, palette))
    {
      cairo_pattern_t *gradient;
      const TallyRGBA *accent = &palette->accent;

      line_path (cr, layout);
      cairo_line_to (cr, layout->xy[2 * (n - 1)], baseline);
      cairo_line_to (cr, layout->xy[0], baseline);
      cairo_close_path (cr);

      gradient = cairo_pattern_create_linear (0, plot->origin.y, 0, baseline);
      cairo_pattern_add_color_stop_rgba (gradient, 0, accent->red, accent->green, accent->blue, AREA_ALPHA_TOP);
      cairo_pattern_add_color_stop_rgba (gradient, 1, accent->red, accent->green, accent->blue, AREA_ALPHA_BOTTOM);
      cairo_set_source (cr, gradient);
      cairo_fill (cr);
      cairo_pattern_destroy (gradient);

      line_path (cr, layout);
      cairo_set_line_width (cr, layout->line_width);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      tally_rgba_set_source (cr, accent);
      cairo_stroke (cr);
    }

  if (layout->dots || n == 1)
    {
      double radius = n == 1 ? 4.0 : 2.5;

      for (guint i = 0; i < n; i++)
        {
          cairo_new_sub_path (cr);
          cairo_arc (cr, layout->xy[2 * i], layout->xy[2 * i + 1], radius, 0, 2 * G_PI);
        }
      tally_rgba_set_source (cr, &palette->accent);
      cairo_fill (cr);
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

  if (hover_index < 0 || !layout->has_plot || (guint) hover_index >= layout->data->values->len)
    return;

  x = layout->xy[2 * hover_index];
  y = layout->xy[2 * hover_index + 1];
  guide_x = floor (x) + 0.5;

  cairo_save (cr);

  /* A vertical guide through the bucket */
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, guide_x, layout->plot.origin.y);
  cairo_line_to (cr, guide_x, layout->plot.origin.y + layout->plot.size.height);
  tally_rgba_set_source_with_alpha (cr, &palette->foreground, 0.35);
  cairo_stroke (cr);

  /* The marker: an accent ring around a hole of the background colour */
  if (palette->background.alpha > 0)
    hole = palette->background;
  else if (palette->dark)
    hole = (TallyRGBA){ 0.14f, 0.14f, 0.14f, 1 };
  else
    hole = (TallyRGBA){ 1, 1, 1, 1 };

  cairo_arc (cr, x, y, 5.5, 0, 2 * G_PI);
  tally_rgba_set_source (cr, &palette->accent);
  cairo_fill (cr);
  cairo_arc (cr, x, y, 2.5, 0, 2 * G_PI);
  tally_rgba_set_source (cr, &hole);
  cairo_fill (cr);

  cairo_restore (cr);
}

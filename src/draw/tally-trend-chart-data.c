/* tally-trend-chart-data.c: the trend chart's series, scale and texts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Step 1 of tally-trend-chart-draw.h: the values of every line, the bucket
 * holding "now", the axis scale and the words (summary, readout titles,
 * descriptions).
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
      case TALLY_TREND_SERIES_COSTS:
        return _ ("Cost");
      case TALLY_TREND_SERIES_TOKENS:
        return _ ("Tokens");
      default:
        g_return_val_if_reached ("");
    }
}

guint
tally_trend_series_get_lines (TallyTrendSeries series,
                              TallyTrendSeries lines[TALLY_TREND_CHART_MAX_LINES])
{
  g_return_val_if_fail (lines != NULL, 0);

  if (series == TALLY_TREND_SERIES_COSTS)
    {
      lines[0] = TALLY_TREND_SERIES_BILLED_COST;
      lines[1] = TALLY_TREND_SERIES_LIST_COST;
      return 2;
    }

  if (series == TALLY_TREND_SERIES_TOKENS)
    {
      lines[0] = TALLY_TREND_SERIES_INPUT_TOKENS;
      lines[1] = TALLY_TREND_SERIES_OUTPUT_TOKENS;
      lines[2] = TALLY_TREND_SERIES_CACHE_TOKENS;
      return 3;
    }

  lines[0] = series;
  return 1;
}

gboolean
_tally_trend_series_is_cost (TallyTrendSeries series)
{
  return series == TALLY_TREND_SERIES_BILLED_COST || series == TALLY_TREND_SERIES_LIST_COST || series == TALLY_TREND_SERIES_COSTS;
}

static gboolean
series_is_tokens (TallyTrendSeries series)
{
  return series == TALLY_TREND_SERIES_INPUT_TOKENS || series == TALLY_TREND_SERIES_OUTPUT_TOKENS || series == TALLY_TREND_SERIES_CACHE_TOKENS || series == TALLY_TREND_SERIES_TOKENS;
}

/* A value of @series as text: "$13.37", "17,003", "3.46M" */
char *
_tally_trend_format_series_value (TallyTrendSeries series,
                                  double value)
{
  if (_tally_trend_series_is_cost (series))
    return tally_format_cost_styled (value, tally_number_style_locale ());
  if (series_is_tokens (series))
    return tally_format_tokens_styled ((gint64) llround (value), tally_number_style_locale ());

  return tally_format_count_styled ((gint64) llround (value), tally_number_style_locale ());
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
      case TALLY_TREND_SERIES_COSTS:
      case TALLY_TREND_SERIES_TOKENS:
        /* several lines: each line has its own series */
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

/* How @label ("YYYY-MM-DD" or "YYYY-MM-DD HH:00") stands to @now ("YYYY-MM-DD
 * HH:MM"): < 0 before the bucket holding it, 0 that bucket, > 0 after it. */
static int
compare_to_now (const char *label,
                const char *now,
                gboolean hourly)
{
  /* the day, or the day and the hour ("YYYY-MM-DD HH") */
  gsize key = hourly ? 13 : 10;

  if (strlen (label) < key || strlen (now) < key)
    return strcmp (label, now);

  return strncmp (label, now, key);
}

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
  return tally_trend_chart_data_new_at (points, series, NULL);
}

/**
 * tally_trend_chart_data_new_at:
 * @points: a #GListModel of #TallyTrendPoint, zero-filled and in order
 * @series: which value to plot
 * @now: (nullable): the server's wall-clock time, "YYYY-MM-DD HH:MM"
 *
 * Returns: (transfer full): the data
 */
TallyTrendChartData *
tally_trend_chart_data_new_at (GListModel *points,
                               TallyTrendSeries series,
                               const char *now)
{
  TallyTrendChartData *data;
  double line_max = 0;
  guint n;

  g_return_val_if_fail (points == NULL || G_IS_LIST_MODEL (points), NULL);

  n = points != NULL ? g_list_model_get_n_items (points) : 0;

  data = g_new0 (TallyTrendChartData, 1);
  g_atomic_ref_count_init (&data->ref_count);
  data->series = series;
  data->points = g_ptr_array_new_full (n, g_object_unref);
  data->n_lines = tally_trend_series_get_lines (series, data->line_series);
  for (guint l = 0; l < data->n_lines; l++)
    data->lines[l] = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  data->values = data->lines[0];
  data->peak = -1;
  data->current = -1;
  data->one_day = TRUE;
  data->now = g_strdup (now);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (points, i);

      if (!TALLY_IS_TREND_POINT (item))
        {
          g_critical ("Item %u of a trend model is not a TallyTrendPoint", i);
          continue;
        }

      if (strchr (tally_trend_point_get_date (TALLY_TREND_POINT (item)), ' ') != NULL)
        data->hourly = TRUE;
      g_ptr_array_add (data->points, g_steal_pointer (&item));
    }

  n = data->points->len;
  data->n_shown = n;
  if (n > 0)
    data->one_day = strncmp (tally_trend_point_get_date (g_ptr_array_index (data->points, 0)),
                             tally_trend_point_get_date (g_ptr_array_index (data->points, n - 1)), 10)
                    == 0;

  /* The buckets after the one holding "now" have no data yet: not shown. */
  if (now != NULL)
    for (guint i = 0; i < n; i++)
      {
        int order = compare_to_now (tally_trend_point_get_date (g_ptr_array_index (data->points, i)), now, data->hourly);

        if (order == 0)
          data->current = (int) i;
        if (order > 0)
          {
            data->n_shown = i;
            break;
          }
      }

  for (guint i = 0; i < n; i++)
    {
      TallyTrendPoint *point = g_ptr_array_index (data->points, i);

      for (guint l = 0; l < data->n_lines; l++)
        {
          double value = i < data->n_shown ? series_value (point, data->line_series[l]) : 0;

          g_array_append_val (data->lines[l], value);
          line_max = MAX (line_max, value);

          if (l == 0 && i < data->n_shown)
            {
              data->total += value;
              if (data->peak < 0 || value > data->max)
                {
                  data->max = value;
                  data->peak = (int) i;
                }
            }
        }
    }

  /* One scale for every line */
  tally_trend_chart_nice_scale (MAX (line_max, data->max), !_tally_trend_series_is_cost (series), &data->step, &data->n_intervals);
  data->line_max = line_max;

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
      for (guint l = 0; l < data->n_lines; l++)
        g_array_unref (data->lines[l]);
      g_free (data->now);
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

const char *
tally_trend_chart_data_get_now (TallyTrendChartData *data)
{
  g_return_val_if_fail (data != NULL, NULL);

  return data->now;
}

guint
tally_trend_chart_data_get_n_shown (TallyTrendChartData *data)
{
  g_return_val_if_fail (data != NULL, 0);

  return data->n_shown;
}

int
tally_trend_chart_data_get_current_index (TallyTrendChartData *data)
{
  g_return_val_if_fail (data != NULL, -1);

  return data->current;
}

guint
tally_trend_chart_data_get_n_lines (TallyTrendChartData *data)
{
  g_return_val_if_fail (data != NULL, 0);

  return data->n_lines;
}

TallyTrendSeries
tally_trend_chart_data_get_line_series (TallyTrendChartData *data,
                                        guint line)
{
  g_return_val_if_fail (data != NULL, TALLY_TREND_SERIES_BILLED_COST);
  g_return_val_if_fail (line < data->n_lines, TALLY_TREND_SERIES_BILLED_COST);

  return data->line_series[line];
}

double
tally_trend_chart_data_get_line_value (TallyTrendChartData *data,
                                       guint line,
                                       guint index)
{
  g_return_val_if_fail (data != NULL, 0);
  g_return_val_if_fail (line < data->n_lines, 0);
  g_return_val_if_fail (index < data->lines[line]->len, 0);

  return g_array_index (data->lines[line], double, index);
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

  return data->values->len == 0 || data->line_max <= 0;
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

  return _tally_trend_format_series_value (data->series, value);
}

const char *
_tally_trend_bucket_date (TallyTrendChartData *data,
                          guint index)
{
  return tally_trend_point_get_date (g_ptr_array_index (data->points, index));
}

/* "2026-01-14" or "2026-01-14 13:00" in @format (g_date_time_format ()) */
static char *
format_day (const char *label,
            const char *format)
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
  text = g_date_time_format (datetime, format);

  return text != NULL ? text : g_strdup (ymd);
}

/* "2026-01-14" or "2026-01-14 13:00" → "Jan 14" */
char *
_tally_trend_axis_date (const char *label)
{
  /* Translators: a date on a chart's time axis, in g_date_time_format() syntax ("Jan 14") */
  return format_day (label, _ ("%b %-d"));
}

/* A line's name in running text: "billed cost", "input tokens" */
static const char *
line_name (TallyTrendSeries series)
{
  switch (series)
    {
      case TALLY_TREND_SERIES_BILLED_COST:
        /* Translators: a chart line's name inside a sentence */
        return _ ("billed cost");
      case TALLY_TREND_SERIES_LIST_COST:
        /* Translators: a chart line's name inside a sentence */
        return _ ("list cost");
      case TALLY_TREND_SERIES_REQUESTS:
        /* Translators: a chart line's name inside a sentence */
        return _ ("requests");
      case TALLY_TREND_SERIES_INPUT_TOKENS:
        /* Translators: a chart line's name inside a sentence */
        return _ ("input tokens");
      case TALLY_TREND_SERIES_OUTPUT_TOKENS:
        /* Translators: a chart line's name inside a sentence */
        return _ ("output tokens");
      case TALLY_TREND_SERIES_CACHE_TOKENS:
        /* Translators: a chart line's name inside a sentence */
        return _ ("cache tokens");
      case TALLY_TREND_SERIES_COSTS:
      case TALLY_TREND_SERIES_TOKENS:
      default:
        g_return_val_if_reached ("");
    }
}

/* A line's name in a legend or a readout of several lines: "Billed", "Input" */
const char *
_tally_trend_line_short_name (TallyTrendSeries series)
{
  switch (series)
    {
      case TALLY_TREND_SERIES_BILLED_COST:
        /* Translators: the billed cost line in a chart legend */
        return C_ ("chart line", "Billed");
      case TALLY_TREND_SERIES_LIST_COST:
        /* Translators: the list price line in a chart legend */
        return C_ ("chart line", "List");
      case TALLY_TREND_SERIES_INPUT_TOKENS:
        /* Translators: the input tokens line in a chart legend */
        return C_ ("chart line", "Input");
      case TALLY_TREND_SERIES_OUTPUT_TOKENS:
        /* Translators: the output tokens line in a chart legend */
        return C_ ("chart line", "Output");
      case TALLY_TREND_SERIES_CACHE_TOKENS:
        /* Translators: the cache tokens line in a chart legend */
        return C_ ("chart line", "Cache");
      case TALLY_TREND_SERIES_REQUESTS:
      case TALLY_TREND_SERIES_COSTS:
      case TALLY_TREND_SERIES_TOKENS:
      default:
        return tally_trend_series_get_title (series);
    }
}

char *
tally_trend_chart_data_describe (TallyTrendChartData *data)
{
  const char *title;
  g_autofree char *what = NULL;
  g_autofree char *total = NULL;
  g_autofree char *peak = NULL;
  g_autofree char *summary = NULL;
  GString *text;
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

  first = _tally_trend_bucket_date (data, 0);
  last = _tally_trend_bucket_date (data, data->values->len - 1);

  if (tally_trend_chart_data_is_empty (data))
    /* Translators: accessible summary: "Requests per day, 2026-01-08 to 2026-01-15: no usage" */
    summary = g_strdup_printf (_ ("%s, %s to %s: no usage"), what, first, last);
  else if (data->n_lines == 1)
    {
      total = tally_trend_chart_data_format_value (data, data->total);
      peak = tally_trend_chart_data_format_value (data, data->max);

      if (data->hourly)
        /* Translators: accessible summary of the trend chart, e.g. "Requests per hour,
         * 2026-01-14 00:00 to 2026-01-14 23:00: total 263, peak 31 at 2026-01-14 13:00" */
        summary = g_strdup_printf (_ ("%s, %s to %s: total %s, peak %s at %s"),
                                   what, first, last, total, peak, _tally_trend_bucket_date (data, data->peak));
      else
        /* Translators: accessible summary of the trend chart, e.g. "Billed cost per day,
         * 2026-01-08 to 2026-01-15: total $82.41, peak $13.37 on 2026-01-14" */
        summary = g_strdup_printf (_ ("%s, %s to %s: total %s, peak %s on %s"),
                                   what, first, last, total, peak, _tally_trend_bucket_date (data, data->peak));
    }
  else
    {
      /* Several lines: the total of each */
      GString *lines = g_string_new (NULL);

      for (guint l = 0; l < data->n_lines; l++)
        {
          double sum = 0;
          g_autofree char *formatted = NULL;

          for (guint i = 0; i < data->n_shown; i++)
            sum += g_array_index (data->lines[l], double, i);
          formatted = _tally_trend_format_series_value (data->line_series[l], sum);

          if (l > 0)
            /* Translators: between the totals of a chart's lines */
            g_string_append (lines, _ (", "));
          /* Translators: one line's total in a chart summary, "billed cost $82.41" */
          g_string_append_printf (lines, _ ("%s %s"), line_name (data->line_series[l]), formatted);
        }

      /* Translators: accessible summary of a trend chart of several lines, e.g. "Cost per day,
       * 2026-01-08 to 2026-01-15: total billed cost $82.41, list cost $82.01" */
      summary = g_strdup_printf (_ ("%s, %s to %s: total %s"), what, first, last, lines->str);
      g_string_free (lines, TRUE);
    }

  text = g_string_new (summary);
  if (data->current >= 0)
    /* Translators: appended to a chart summary when its last bucket is still
     * running: "; 2026-01-15 so far" */
    g_string_append_printf (text, _ ("; %s so far"), _tally_trend_bucket_date (data, data->current));

  return g_string_free (text, FALSE);
}

char *
tally_trend_chart_data_format_bucket_title (TallyTrendChartData *data,
                                            guint index)
{
  const char *date;
  g_autofree char *title = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (index < data->points->len, NULL);

  date = _tally_trend_bucket_date (data, index);

  if (!data->hourly || strlen (date) < 16)
    /* Translators: the day of a chart's readout, in g_date_time_format() syntax
     * ("Wed Jan 14"): the axis's date ("%b %-d") with the weekday */
    title = format_day (date, _ ("%a %b %-d"));
  else if (data->one_day)
    title = g_strdup (date + 11);
  else
    {
      g_autofree char *day = _tally_trend_axis_date (date);

      /* Translators: the hour of a chart's readout over several days: "Jan 14 13:00" */
      title = g_strdup_printf (_ ("%s %s"), day, date + 11);
    }

  if ((int) index == data->current)
    /* Translators: the readout title of the bucket still running: "13:00 (so far)" */
    return g_strdup_printf (_ ("%s (so far)"), title);

  return g_steal_pointer (&title);
}

char *
tally_trend_chart_data_describe_bucket (TallyTrendChartData *data,
                                        guint index)
{
  g_autofree char *title = NULL;
  GString *values;
  char *text;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (index < data->points->len, NULL);

  title = tally_trend_chart_data_format_bucket_title (data, index);
  values = g_string_new (NULL);

  for (guint l = 0; l < data->n_lines; l++)
    {
      g_autofree char *formatted = _tally_trend_format_series_value (data->line_series[l],
                                                                     g_array_index (data->lines[l], double, index));

      if (l > 0)
        /* Translators: between the values of a chart's lines */
        g_string_append (values, _ (", "));
      /* Translators: one line's value in a bucket's description, "billed cost $13.37" */
      g_string_append_printf (values, _ ("%s %s"), line_name (data->line_series[l]), formatted);
    }

  /* Translators: a chart bucket in words: "Wed Jan 14: billed cost $13.37, list cost $13.32" */
  text = g_strdup_printf (_ ("%s: %s"), title, values->str);
  g_string_free (values, TRUE);

  return text;
}

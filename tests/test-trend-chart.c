/* test-trend-chart.c: the trend chart's data, layout, drawing and widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb. PNGs land in G_TEST_BUILDDIR (trend-*.png) for review.
 */

#include "config.h"

#include <math.h>

#include <adwaita.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "tally-models-private.h"
#include "tally-server-time.h"
#include "tally-test-chart-utils.h"
#include "tally-test-utils.h"
#include "tally-trend-chart.h"
#include "tally-trend-chart-draw.h"

/* cairo has no g_autoptr support of its own in this stack. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_surface_t, cairo_surface_destroy)

/* Billed (actual) cost per day: total 82.41, peak 13.37 on 2026-01-14. */
static const double daily_actual[] = { 9.12, 10.05, 11.4, 8.77, 9.26, 10.18, 13.37, 10.26 };

static TallyTrendPoint *
make_point (const char *date,
            gint64 requests,
            gint64 input,
            gint64 output,
            gint64 cache,
            double cost,
            double actual_cost)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *json = NULL;
  TallyTrendPoint *point;

  json = g_strdup_printf ("{\"date\":\"%s\",\"requests\":%" G_GINT64_FORMAT ",\"input_tokens\":%" G_GINT64_FORMAT
                          ",\"output_tokens\":%" G_GINT64_FORMAT ",\"cache_tokens\":%" G_GINT64_FORMAT
                          ",\"total_tokens\":%" G_GINT64_FORMAT ",\"cost\":%.10g,\"actual_cost\":%.10g}",
                          date, requests, input, output, cache, input + output + cache, cost, actual_cost);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  point = _tally_trend_point_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (point);

  return point;
}

static GListModel *
make_daily (void)
{
  GListStore *store = g_list_store_new (TALLY_TYPE_TREND_POINT);

  for (guint i = 0; i < G_N_ELEMENTS (daily_actual); i++)
    {
      g_autofree char *date = g_strdup_printf ("2026-01-%02u", 8 + i);
      g_autoptr (TallyTrendPoint) point = NULL;

      point = make_point (date, 200 + 9 * i, 1000000 + 50000 * i, 300000, 4000000, daily_actual[i] - 0.05,
                          daily_actual[i]);
      g_list_store_append (store, point);
    }

  return G_LIST_MODEL (store);
}

/* Two server days, hourly, with traffic only in some hours: zero-filled to 48. */
static GListModel *
make_hourly_sparse (void)
{
  g_autoptr (GListStore) sparse = g_list_store_new (TALLY_TYPE_TREND_POINT);
  static const struct
  {
    const char *date;
    gint64 requests;
  } rows[] = {
    { "2026-01-14 01:00", 3 },
    { "2026-01-14 09:00", 31 },
    { "2026-01-14 13:00", 42 },
    { "2026-01-14 14:00", 17 },
    { "2026-01-15 10:00", 25 },
    { "2026-01-15 22:00", 6 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (TallyTrendPoint) point = make_point (rows[i].date, rows[i].requests, 1000 * rows[i].requests,
                                                      200 * rows[i].requests, 0, 0.01 * rows[i].requests,
                                                      0.01 * rows[i].requests);
      g_list_store_append (sparse, point);
    }

  return tally_trend_zero_fill (G_LIST_MODEL (sparse), "2026-01-14", "2026-01-15", TALLY_GRANULARITY_HOUR);
}

/* ------------------------------------------------------------------------ */

static void
test_nice_scale (void)
{
  static const struct
  {
    double max;
    gboolean integral;
    double step;
    guint n;
  } cases[] = {
    { 13.37, FALSE, 5, 3 },      /* 0, 5, 10, 15 */
    { 100, FALSE, 25, 4 },       /* 0, 25, 50, 75, 100 */
    { 7.4555, FALSE, 2, 4 },     /* 0, 2, 4, 6, 8 */
    { 0.0123, FALSE, 0.005, 3 }, /* 0, 0.005, 0.01, 0.015 */
    { 1, FALSE, 0.25, 4 },
    { 0, FALSE, 0.25, 4 }, /* nothing: a 0..1 axis */
    { 3, TRUE, 1, 3 },     /* never a step below 1 for counts */
    { 0, TRUE, 1, 1 },
    { 7, TRUE, 2, 4 },
    { 9, TRUE, 5, 2 },            /* 2.5 is not a step for counts */
    { 90, TRUE, 25, 4 },          /* but 25 is */
    { 1234567, TRUE, 500000, 3 }, /* 0, 500K, 1M, 1.5M */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double step = 0;
      guint n = 0;

      tally_trend_chart_nice_scale (cases[i].max, cases[i].integral, &step, &n);
      g_test_message ("max %g → step %g × %u", cases[i].max, step, n);
      g_assert_cmpfloat_with_epsilon (step, cases[i].step, cases[i].step * 1e-9);
      g_assert_cmpuint (n, ==, cases[i].n);
    }
}

/* "#rrggbb" in either case; anything else leaves the colour untouched */
static void
test_rgba_parse (void)
{
  TallyRGBA rgba = { 0, 0, 0, 0 };
  TallyRGBA upper;
  static const char *const invalid[] = { "3584e4", "#3584e", "#3584e40", "#3584g4", "#35 4e4", "" };

  g_assert_true (tally_rgba_parse (&rgba, "#3584e4"));
  g_assert_cmpfloat (rgba.red, ==, 0x35 / 255.0);
  g_assert_cmpfloat (rgba.green, ==, 0x84 / 255.0);
  g_assert_cmpfloat (rgba.blue, ==, 0xe4 / 255.0);
  g_assert_cmpfloat (rgba.alpha, ==, 1.0);

  g_assert_true (tally_rgba_parse (&upper, "#3584E4"));
  g_assert_true (tally_rgba_equal (&rgba, &upper));

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_assert_false (tally_rgba_parse (&upper, invalid[i]));
      g_assert_true (tally_rgba_equal (&rgba, &upper));
    }
}

static void
test_series_enum (void)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (TALLY_TYPE_TREND_SERIES);
  GEnumValue *value;

  g_assert_true (G_TYPE_IS_ENUM (TALLY_TYPE_TREND_SERIES));
  g_assert_cmpuint (klass->n_values, ==, 8);
  value = g_enum_get_value_by_nick (klass, "cache-tokens");
  g_assert_nonnull (value);
  g_assert_cmpint (value->value, ==, TALLY_TREND_SERIES_CACHE_TOKENS);
  /* the two series of several lines come after the single ones, so the
   * values the "trend-series" setting stored keep their meaning */
  g_assert_cmpint (g_enum_get_value_by_nick (klass, "costs")->value, ==, 6);
  g_assert_cmpint (g_enum_get_value_by_nick (klass, "tokens")->value, ==, 7);
}

static void
test_data (void)
{
  g_autoptr (GListModel) points = make_daily ();
  g_autoptr (TallyTrendChartData) data = tally_trend_chart_data_new (points, TALLY_TREND_SERIES_BILLED_COST);
  g_autoptr (TallyTrendChartData) requests = tally_trend_chart_data_new (points, TALLY_TREND_SERIES_REQUESTS);
  g_autofree char *summary = NULL;
  g_autofree char *requests_summary = NULL;
  g_autofree char *tooltip = NULL;

  g_assert_cmpuint (tally_trend_chart_data_get_n_buckets (data), ==, 8);
  g_assert_false (tally_trend_chart_data_get_hourly (data));
  g_assert_false (tally_trend_chart_data_is_empty (data));
  g_assert_cmpfloat_with_epsilon (tally_trend_chart_data_get_total (data), 82.41, 1e-9);
  g_assert_cmpfloat (tally_trend_chart_data_get_max (data), ==, 13.37);
  g_assert_cmpint (tally_trend_chart_data_get_peak_index (data), ==, 6);
  g_assert_cmpfloat (tally_trend_chart_data_get_value (data, 2), ==, 11.4);
  g_assert_cmpuint (tally_trend_chart_data_get_n_ticks (data), ==, 4);
  g_assert_cmpfloat (tally_trend_chart_data_get_tick (data, 3), ==, 15);
  g_assert_cmpfloat (tally_trend_chart_data_get_scale_max (data), ==, 15);

  summary = tally_trend_chart_data_describe (data);
  g_assert_cmpstr (summary, ==,
                   "Billed cost per day, 2026-01-08 to 2026-01-15: total $82.41, peak $13.37 on 2026-01-14");

  requests_summary = tally_trend_chart_data_describe (requests);
  g_assert_cmpstr (requests_summary, ==,
                   "Requests per day, 2026-01-08 to 2026-01-15: total 1,852, peak 263 on 2026-01-15");

  tooltip = tally_trend_chart_data_describe_bucket (data, 6);
  g_assert_cmpstr (tooltip, ==, "Wed Jan 14: billed cost $13.37");
}

static void
test_layout (void)
{
  g_autoptr (GListModel) points = make_daily ();
  g_autoptr (TallyTrendChartLayout) layout = NULL;
  static const char *const y_labels[] = { "$0", "$5", "$10", "$15" };
  graphene_rect_t plot;
  graphene_rect_t bucket;
  guint last_bucket = 0;

  layout = tally_trend_chart_layout_new_for_model (points, TALLY_TREND_SERIES_BILLED_COST, 640, 280, NULL);

  g_assert_true (tally_trend_chart_layout_get_plot_area (layout, &plot));
  g_assert_cmpfloat (plot.size.width, >, 500);
  g_assert_cmpfloat (plot.size.height, >, 200);

  g_assert_cmpuint (tally_trend_chart_layout_get_n_y_labels (layout), ==, G_N_ELEMENTS (y_labels));
  for (guint i = 0; i < G_N_ELEMENTS (y_labels); i++)
    g_assert_cmpstr (tally_trend_chart_layout_get_y_label (layout, i), ==, y_labels[i]);

  /* Eight days fit with a label each on 640 px. */
  g_assert_cmpuint (tally_trend_chart_layout_get_n_x_labels (layout), ==, 8);
  g_assert_cmpstr (tally_trend_chart_layout_get_x_label (layout, 0, &last_bucket), ==, "Jan 8");
  g_assert_cmpuint (last_bucket, ==, 0);
  g_assert_cmpstr (tally_trend_chart_layout_get_x_label (layout, 7, &last_bucket), ==, "Jan 15");
  g_assert_cmpuint (last_bucket, ==, 7);

  /* The middle of bucket k is k, at any height inside the plot. */
  for (guint k = 0; k < 8; k++)
    {
      double x;
      double y;

      g_assert_true (tally_trend_chart_layout_get_bucket_area (layout, k, &bucket));
      x = bucket.origin.x + bucket.size.width / 2;
      g_assert_cmpint (tally_trend_chart_layout_hit_test (layout, x, plot.origin.y + 1), ==, k);
      g_assert_cmpint (tally_trend_chart_layout_hit_test (layout, x, plot.origin.y + plot.size.height / 2), ==, k);

      /* The point sits on the bucket centre at its value. */
      g_assert_true (tally_trend_chart_layout_get_point (layout, k, &x, &y));
      g_assert_cmpfloat_with_epsilon (x, bucket.origin.x + bucket.size.width / 2, 1e-9);
      g_assert_cmpfloat_with_epsilon (y, plot.origin.y + plot.size.height * (1 - daily_actual[k] / 15), 1e-9);
    }

  /* Outside the plot: nothing. */
  g_assert_cmpint (tally_trend_chart_layout_hit_test (layout, plot.origin.x - 1, plot.origin.y + 10), ==, -1);
  g_assert_cmpint (tally_trend_chart_layout_hit_test (layout, plot.origin.x + plot.size.width + 1, plot.origin.y + 10),
                   ==, -1);
  g_assert_cmpint (tally_trend_chart_layout_hit_test (layout, plot.origin.x + 10, plot.origin.y - 2), ==, -1);
  g_assert_cmpint (tally_trend_chart_layout_hit_test (layout, plot.origin.x + 10, 279), ==, -1);
  g_assert_cmpint (tally_trend_chart_layout_hit_test (layout, -5, -5), ==, -1);
}

static void
test_hourly_zero_filled (void)
{
  g_autoptr (GListModel) points = make_hourly_sparse ();
  g_autoptr (TallyTrendChartData) data = NULL;
  g_autoptr (TallyTrendChartLayout) layout = NULL;
  g_autofree char *summary = NULL;
  guint n_labels;
  guint previous = 0;

  g_assert_cmpuint (g_list_model_get_n_items (points), ==, 48);

  data = tally_trend_chart_data_new (points, TALLY_TREND_SERIES_REQUESTS);
  g_assert_true (tally_trend_chart_data_get_hourly (data));
  g_assert_cmpfloat (tally_trend_chart_data_get_value (data, 0), ==, 0);
  g_assert_cmpfloat (tally_trend_chart_data_get_value (data, 13), ==, 42);
  g_assert_cmpfloat (tally_trend_chart_data_get_value (data, 24 + 10), ==, 25);
  g_assert_cmpfloat (tally_trend_chart_data_get_total (data), ==, 124);

  summary = tally_trend_chart_data_describe (data);
  g_assert_cmpstr (summary, ==,
                   "Requests per hour, 2026-01-14 00:00 to 2026-01-15 23:00: total 124, peak 42 at 2026-01-14 13:00");

  /* A peak of 42 requests: 42 / 4 = 10.5 → step 20, ticks 0, 20, 40, 60. */
  layout = tally_trend_chart_layout_new (data, 640, 280, NULL);
  g_assert_cmpuint (tally_trend_chart_layout_get_n_y_labels (layout), ==, 4);
  g_assert_cmpstr (tally_trend_chart_layout_get_y_label (layout, 0), ==, "0");
  g_assert_cmpstr (tally_trend_chart_layout_get_y_label (layout, 1), ==, "20");
  g_assert_cmpstr (tally_trend_chart_layout_get_y_label (layout, 3), ==, "60");

  /* Hours on the axis, the date at midnight, increasing and never crowded */
  n_labels = tally_trend_chart_layout_get_n_x_labels (layout);
  g_assert_cmpuint (n_labels, >=, 4);
  g_assert_cmpstr (tally_trend_chart_layout_get_x_label (layout, 0, NULL), ==, "Jan 14");
  for (guint i = 0; i < n_labels; i++)
    {
      guint bucket;
      const char *text = tally_trend_chart_layout_get_x_label (layout, i, &bucket);

      g_assert_true (i == 0 || bucket > previous);
      if (bucket % 24 != 0)
        g_assert_true (g_str_has_suffix (text, ":00"));
      previous = bucket;
    }
}

static void
test_empty (void)
{
  g_autoptr (GListStore) store = g_list_store_new (TALLY_TYPE_TREND_POINT);
  g_autoptr (TallyTrendChartLayout) empty = NULL;
  g_autoptr (TallyTrendChartLayout) zeros = NULL;
  g_autoptr (TallyTrendChartData) zero_data = NULL;
  g_autoptr (TallyTrendChartData) empty_data = NULL;
  g_autofree char *zero_summary = NULL;
  g_autofree char *empty_summary = NULL;
  graphene_rect_t plot;

  empty_data = tally_trend_chart_data_new (G_LIST_MODEL (store), TALLY_TREND_SERIES_BILLED_COST);
  g_assert_true (tally_trend_chart_data_is_empty (empty_data));
  g_assert_cmpint (tally_trend_chart_data_get_peak_index (empty_data), ==, -1);
  empty_summary = tally_trend_chart_data_describe (empty_data);
  g_assert_cmpstr (empty_summary, ==, "Billed cost: no usage in this range");

  empty = tally_trend_chart_layout_new (empty_data, 360, 220, NULL);
  g_assert_false (tally_trend_chart_layout_get_plot_area (empty, &plot));
  g_assert_cmpint (tally_trend_chart_layout_hit_test (empty, 180, 110), ==, -1);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *date = g_strdup_printf ("2026-01-%02u", 13 + i);
      g_autoptr (TallyTrendPoint) point = tally_trend_point_new_empty (date);

      g_list_store_append (store, point);
    }

  zero_data = tally_trend_chart_data_new (G_LIST_MODEL (store), TALLY_TREND_SERIES_OUTPUT_TOKENS);
  g_assert_true (tally_trend_chart_data_is_empty (zero_data));
  zero_summary = tally_trend_chart_data_describe (zero_data);
  g_assert_cmpstr (zero_summary, ==, "Output tokens per day, 2026-01-13 to 2026-01-15: no usage");
  zeros = tally_trend_chart_layout_new (zero_data, 360, 220, NULL);
  g_assert_cmpint (tally_trend_chart_layout_hit_test (zeros, 180, 110), ==, -1);
}

static void
test_too_small (void)
{
  g_autoptr (GListModel) points = make_daily ();
  g_autoptr (TallyTrendChartLayout) layout = NULL;
  g_autoptr (cairo_surface_t) surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 30, 20);
  cairo_t *cr = cairo_create (surface);
  TallyChartPalette palette;
  graphene_rect_t plot;

  layout = tally_trend_chart_layout_new_for_model (points, TALLY_TREND_SERIES_BILLED_COST, 30, 20, NULL);
  g_assert_false (tally_trend_chart_layout_get_plot_area (layout, &plot));
  g_assert_cmpint (tally_trend_chart_layout_hit_test (layout, 15, 10), ==, -1);

  tally_chart_palette_init_light (&palette);
  tally_trend_chart_draw (cr, layout, &palette, 3);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
}

/* ------------------------------------------------------------------------ */
/* Pixels                                                                    */

typedef struct
{
  guchar *data;
  int width;
  int height;
  int stride;
} Pixels;

static double
pixel_luma (const Pixels *pixels,
            int x,
            int y)
{
  return tally_test_pixel_luma (pixels->data, pixels->stride, x, y);
}

/* Pixels within @tolerance of @color (each channel) inside @area */
static guint
count_color (const Pixels *pixels,
             const graphene_rect_t *area,
             const TallyRGBA *color,
             double tolerance)
{
  guint count = 0;

  for (int y = MAX (0, (int) area->origin.y); y < MIN (pixels->height, (int) (area->origin.y + area->size.height)); y++)
    for (int x = MAX (0, (int) area->origin.x); x < MIN (pixels->width, (int) (area->origin.x + area->size.width)); x++)
      {
        double r, g, b;

        tally_test_pixel_rgb (pixels->data, pixels->stride, x, y, &r, &g, &b);
        if (fabs (r - color->red) <= tolerance && fabs (g - color->green) <= tolerance && fabs (b - color->blue) <= tolerance)
          count++;
      }

  return count;
}

static void
render_png (GListModel *points,
            TallyTrendSeries series,
            int width,
            int height,
            gboolean dark,
            int hover,
            const char *name)
{
  g_autoptr (TallyTrendChartLayout) layout = NULL;
  g_autoptr (cairo_surface_t) surface = NULL;
  g_autofree char *path = tally_test_output_path (name);
  TallyChartPalette palette;
  graphene_rect_t plot;
  Pixels pixels;
  cairo_t *cr;

  if (dark)
    tally_chart_palette_init_dark (&palette);
  else
    tally_chart_palette_init_light (&palette);

  layout = tally_trend_chart_layout_new_for_model (points, series, width, height, NULL);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  tally_trend_chart_draw (cr, layout, &palette, hover);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("wrote %s", path);

  pixels.data = cairo_image_surface_get_data (surface);
  pixels.width = width;
  pixels.height = height;
  pixels.stride = cairo_image_surface_get_stride (surface);

  /* The corner is the background: dark in dark mode, white in light mode. */
  if (dark)
    g_assert_cmpfloat (pixel_luma (&pixels, 1, 1), <, 0.15);
  else
    g_assert_cmpfloat (pixel_luma (&pixels, 1, 1), >, 0.95);

  /* The accent line is drawn inside the plot. */
  g_assert_true (tally_trend_chart_layout_get_plot_area (layout, &plot));
  g_assert_cmpuint (count_color (&pixels, &plot, &palette.accent, 0.04), >, 20);

  /* …and nowhere left of it (the y labels are grey). */
  g_assert_cmpuint (count_color (&pixels, &GRAPHENE_RECT_INIT (0, 0, plot.origin.x - 6, height), &palette.accent, 0.1),
                    ==, 0);
}

static void
test_render (void)
{
  g_autoptr (GListModel) daily = make_daily ();
  g_autoptr (GListModel) hourly = make_hourly_sparse ();
  static const TallyTestSize sizes[] = { { 640, 280 }, { 360, 220 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (int dark = 0; dark <= 1; dark++)
      {
        g_autofree char *daily_name = g_strdup_printf ("trend-daily-%dx%d-%s.png", sizes[i].width, sizes[i].height,
                                                       dark ? "dark" : "light");
        g_autofree char *hourly_name = g_strdup_printf ("trend-hourly-%dx%d-%s.png", sizes[i].width, sizes[i].height,
                                                        dark ? "dark" : "light");

        render_png (daily, TALLY_TREND_SERIES_BILLED_COST, sizes[i].width, sizes[i].height, dark, 6, daily_name);
        render_png (hourly, TALLY_TREND_SERIES_REQUESTS, sizes[i].width, sizes[i].height, dark, -1, hourly_name);
      }
}

static GListModel *
make_hourly_dense (guint days)
{
  GListStore *store = g_list_store_new (TALLY_TYPE_TREND_POINT);
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);

  for (guint i = 0; i < days * 24; i++)
    {
      g_autoptr (GDateTime) hour = g_date_time_add_hours (start, i);
      g_autofree char *date = g_date_time_format (hour, "%Y-%m-%d %H:00");
      gint64 requests = (gint64) (20 + 18 * sin (i / 24.0 * 2 * G_PI) + (i * 7919 % 13));
      g_autoptr (TallyTrendPoint) point = make_point (date, requests, 0, 0, 0, 0, 0);

      g_list_store_append (store, point);
    }

  return G_LIST_MODEL (store);
}

static cairo_surface_t *
draw_to_image (TallyTrendChartLayout *layout,
               const TallyChartPalette *palette,
               gboolean through_recording)
{
  int width = tally_trend_chart_layout_get_width (layout);
  int height = tally_trend_chart_layout_get_height (layout);
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (image);

  if (through_recording)
    {
      /* A vector target: the path is stroked exactly, as for PDF. */
      cairo_surface_t *recording = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
      cairo_t *rec = cairo_create (recording);

      tally_trend_chart_draw (rec, layout, palette, -1);
      cairo_destroy (rec);
      cairo_set_source_surface (cr, recording, 0, 0);
      cairo_paint (cr);
      cairo_surface_destroy (recording);
    }
  else
    tally_trend_chart_draw (cr, layout, palette, -1);

  cairo_destroy (cr);
  cairo_surface_flush (image);

  return image;
}

/* Dense series (more buckets than device pixels) are rasterised by pixel
 * column on image targets; the result must look like the stroked path. */
static void
test_dense_matches_path (void)
{
  g_autoptr (GListModel) points = make_hourly_dense (30);
  g_autoptr (TallyTrendChartLayout) layout = NULL;
  g_autoptr (cairo_surface_t) fast = NULL;
  g_autoptr (cairo_surface_t) exact = NULL;
  g_autofree char *fast_path = tally_test_output_path ("trend-dense-raster.png");
  g_autofree char *exact_path = tally_test_output_path ("trend-dense-vector.png");
  TallyChartPalette palette;
  graphene_rect_t plot;
  Pixels a;
  Pixels b;
  double total_diff = 0;
  guint accent_a;
  guint accent_b;

  tally_chart_palette_init_light (&palette);
  layout = tally_trend_chart_layout_new_for_model (points, TALLY_TREND_SERIES_REQUESTS, 640, 280, NULL);
  g_assert_true (tally_trend_chart_layout_get_plot_area (layout, &plot));
  g_assert_cmpfloat (plot.size.width / 720, <, 1);

  fast = draw_to_image (layout, &palette, FALSE);
  exact = draw_to_image (layout, &palette, TRUE);
  g_assert_cmpint (cairo_surface_write_to_png (fast, fast_path), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_surface_write_to_png (exact, exact_path), ==, CAIRO_STATUS_SUCCESS);

  a = (Pixels){ cairo_image_surface_get_data (fast), 640, 280, cairo_image_surface_get_stride (fast) };
  b = (Pixels){ cairo_image_surface_get_data (exact), 640, 280, cairo_image_surface_get_stride (exact) };

  for (int y = 0; y < 280; y++)
    for (int x = 0; x < 640; x++)
      total_diff += fabs (pixel_luma (&a, x, y) - pixel_luma (&b, x, y));

  accent_a = count_color (&a, &plot, &palette.accent, 0.12);
  accent_b = count_color (&b, &plot, &palette.accent, 0.12);
  g_test_message ("mean |Δluma| %.4f, line pixels %u (raster) vs %u (path)", total_diff / (640 * 280), accent_a, accent_b);

  g_assert_cmpfloat (total_diff / (640 * 280), <, 0.02);
  g_assert_cmpuint (accent_a, >, accent_b * 0.7);
  g_assert_cmpuint (accent_a, <, accent_b * 1.4);
}

static void
test_render_empty (void)
{
  g_autoptr (GListStore) store = g_list_store_new (TALLY_TYPE_TREND_POINT);
  g_autoptr (TallyTrendChartLayout) layout = NULL;
  g_autoptr (cairo_surface_t) surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 360, 220);
  g_autofree char *path = tally_test_output_path ("trend-empty-360x220-light.png");
  TallyChartPalette palette;
  Pixels pixels;
  cairo_t *cr;
  guint dark_pixels = 0;

  tally_chart_palette_init_light (&palette);
  layout = tally_trend_chart_layout_new_for_model (G_LIST_MODEL (store), TALLY_TREND_SERIES_BILLED_COST, 360, 220, NULL);
  cr = cairo_create (surface);
  tally_trend_chart_draw (cr, layout, &palette, 0);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);

  pixels.data = cairo_image_surface_get_data (surface);
  pixels.width = 360;
  pixels.height = 220;
  pixels.stride = cairo_image_surface_get_stride (surface);

  /* No accent anywhere; the message is drawn in the middle band only. */
  g_assert_cmpuint (count_color (&pixels, &GRAPHENE_RECT_INIT (0, 0, 360, 220), &palette.accent, 0.1), ==, 0);
  for (int y = 0; y < 220; y++)
    for (int x = 0; x < 360; x++)
      if (pixel_luma (&pixels, x, y) < 0.8)
        {
          g_assert_cmpint (y, >, 90);
          g_assert_cmpint (y, <, 130);
          dark_pixels++;
        }
  g_assert_cmpuint (dark_pixels, >, 50);
}

/* ------------------------------------------------------------------------ */
/* Widget                                                                    */

static void
texture_pixels (GdkTexture *texture,
                Pixels *pixels)
{
  pixels->width = gdk_texture_get_width (texture);
  pixels->height = gdk_texture_get_height (texture);
  pixels->stride = pixels->width * 4;
  pixels->data = g_malloc (pixels->stride * pixels->height);
  gdk_texture_download (texture, pixels->data, pixels->stride);
}

static void
set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  tally_test_spin (100);
}

static void
test_widget (void)
{
  g_autoptr (GListModel) points = make_daily ();
  g_autoptr (GListModel) hourly = make_hourly_sparse ();
  static const TallyTestSize sizes[] = { { 640, 280 }, { 360, 220 } };
  GtkWidget *window;
  GtkWidget *chart;
  GtkEventController *motion;
  TallyTrendSeries series;
  GEnumClass *klass;

  chart = tally_trend_chart_new ();
  g_assert_cmpstr (gtk_widget_get_css_name (chart), ==, "trendchart");
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (chart)), ==, GTK_ACCESSIBLE_ROLE_IMG);
  g_assert_cmpstr (tally_trend_chart_get_summary (TALLY_TREND_CHART (chart)), ==, "Billed cost: no usage in this range");

  tally_trend_chart_set_model (TALLY_TREND_CHART (chart), points);
  g_assert_true (tally_trend_chart_get_model (TALLY_TREND_CHART (chart)) == points);
  g_assert_cmpstr (tally_trend_chart_get_summary (TALLY_TREND_CHART (chart)), ==,
                   "Billed cost per day, 2026-01-08 to 2026-01-15: total $82.41, peak $13.37 on 2026-01-14");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Billed cost per day, 2026-01-08 to 2026-01-15: total $82.41, peak $13.37 on 2026-01-14");

  /* The series is an enum property, settable by nick from a .ui file. */
  klass = g_type_class_ref (TALLY_TYPE_TREND_SERIES);
  g_object_set (chart, "series", g_enum_get_value_by_nick (klass, "requests")->value, NULL);
  g_type_class_unref (klass);
  g_object_get (chart, "series", &series, NULL);
  g_assert_cmpint (series, ==, TALLY_TREND_SERIES_REQUESTS);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Requests per day, 2026-01-08 to 2026-01-15: total 1,852, peak 263 on 2026-01-15");
  tally_trend_chart_set_series (TALLY_TREND_CHART (chart), TALLY_TREND_SERIES_BILLED_COST);

  window = gtk_window_new ();
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_child (GTK_WINDOW (window), chart);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (int dark = 0; dark <= 1; dark++)
      {
        g_autofree char *name = g_strdup_printf ("trend-widget-%dx%d-%s.png", sizes[i].width, sizes[i].height,
                                                 dark ? "dark" : "light");
        g_autoptr (GdkTexture) texture = NULL;
        Pixels pixels;
        TallyRGBA accent = { 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0, 1 };

        set_dark (dark);
        gtk_window_set_default_size (GTK_WINDOW (window), sizes[i].width, sizes[i].height);
        gtk_window_present (GTK_WINDOW (window));
        tally_test_wait_for_size (chart, sizes[i].width, sizes[i].height);

        texture = tally_test_render_widget (window, name);
        texture_pixels (texture, &pixels);

        /* The window background follows the style; the accent line is there. */
        if (dark)
          g_assert_cmpfloat (pixel_luma (&pixels, 2, 2), <, 0.2);
        else
          g_assert_cmpfloat (pixel_luma (&pixels, 2, 2), >, 0.9);
        g_assert_cmpuint (count_color (&pixels, &GRAPHENE_RECT_INIT (0, 0, sizes[i].width, sizes[i].height), &accent, 0.05),
                          >, 20);
        g_free (pixels.data);
      }

  /* Hover: the motion controller picks the bucket under the pointer and
   * leaving clears it. */
  motion = tally_test_find_controller (chart, GTK_TYPE_EVENT_CONTROLLER_MOTION);
  {
    g_autoptr (TallyTrendChartLayout) layout = NULL;
    graphene_rect_t bucket;

    layout = tally_trend_chart_layout_new_for_model (points, TALLY_TREND_SERIES_BILLED_COST,
                                                     gtk_widget_get_width (chart), gtk_widget_get_height (chart),
                                                     gtk_widget_get_pango_context (chart));
    g_assert_true (tally_trend_chart_layout_get_bucket_area (layout, 5, &bucket));
    g_signal_emit_by_name (motion, "motion", bucket.origin.x + bucket.size.width / 2,
                           bucket.origin.y + bucket.size.height / 2);
    g_assert_cmpint (tally_trend_chart_get_hover_index (TALLY_TREND_CHART (chart)), ==, 5);

    {
      g_autoptr (GdkTexture) texture = tally_test_render_widget (window, "trend-widget-hover.png");

      g_assert_nonnull (texture);
    }

    g_signal_emit_by_name (motion, "motion", 1.0, 1.0);
    g_assert_cmpint (tally_trend_chart_get_hover_index (TALLY_TREND_CHART (chart)), ==, -1);
    g_signal_emit_by_name (motion, "motion", bucket.origin.x + 1, bucket.origin.y + 1);
    g_assert_cmpint (tally_trend_chart_get_hover_index (TALLY_TREND_CHART (chart)), ==, 5);
    g_signal_emit_by_name (motion, "leave");
    g_assert_cmpint (tally_trend_chart_get_hover_index (TALLY_TREND_CHART (chart)), ==, -1);
  }

  /* A model change updates the summary. */
  tally_trend_chart_set_model (TALLY_TREND_CHART (chart), hourly);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Billed cost per hour, 2026-01-14 00:00 to 2026-01-15 23:00: total $1.24, "
                                       "peak $0.42 at 2026-01-14 13:00");
  {
    g_autoptr (GdkTexture) texture = tally_test_render_widget (window, "trend-widget-hourly.png");

    g_assert_nonnull (texture);
  }

  /* …and so do items-changed signals of the model. */
  g_list_store_remove_all (G_LIST_STORE (hourly));
  g_assert_cmpstr (tally_trend_chart_get_summary (TALLY_TREND_CHART (chart)), ==, "Billed cost: no usage in this range");

  set_dark (FALSE);
  tally_test_destroy_window (window);
}

int
main (int argc,
      char *argv[])
{
  tally_test_gtk_init_a11y (&argc, &argv);

  g_test_add_func ("/trend-chart/nice-scale", test_nice_scale);
  g_test_add_func ("/trend-chart/series-enum", test_series_enum);
  g_test_add_func ("/trend-chart/rgba-parse", test_rgba_parse);
  g_test_add_func ("/trend-chart/data", test_data);
  g_test_add_func ("/trend-chart/layout", test_layout);
  g_test_add_func ("/trend-chart/hourly-zero-filled", test_hourly_zero_filled);
  g_test_add_func ("/trend-chart/empty", test_empty);
  g_test_add_func ("/trend-chart/too-small", test_too_small);
  g_test_add_func ("/trend-chart/render", test_render);
  g_test_add_func ("/trend-chart/render-empty", test_render_empty);
  g_test_add_func ("/trend-chart/dense-matches-path", test_dense_matches_path);
  g_test_add_func ("/trend-chart/widget", test_widget);

  return g_test_run ();
}

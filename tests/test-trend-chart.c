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
/* Partial periods, readouts, several lines                                  */

/* One server day, hourly, with requests in every hour (10..22) */
static GListModel *
make_hourly_day (void)
{
  GListStore *store = g_list_store_new (TALLY_TYPE_TREND_POINT);

  for (guint i = 0; i < 24; i++)
    {
      g_autofree char *date = g_strdup_printf ("2026-01-14 %02u:00", i);
      gint64 requests = 10 + (i * 7) % 13;
      g_autoptr (TallyTrendPoint) point = make_point (date, requests, 1000 * requests, 300 * requests,
                                                      2000 * requests, 0.012 * requests, 0.01 * requests);

      g_list_store_append (store, point);
    }

  return G_LIST_MODEL (store);
}

/* The daily points with a list price twice the billed cost */
static GListModel *
make_daily_costs (void)
{
  GListStore *store = g_list_store_new (TALLY_TYPE_TREND_POINT);

  for (guint i = 0; i < G_N_ELEMENTS (daily_actual); i++)
    {
      g_autofree char *date = g_strdup_printf ("2026-01-%02u", 8 + i);
      g_autoptr (TallyTrendPoint) point = make_point (date, 100, 1000, 1000, 1000, daily_actual[i] * 2, daily_actual[i]);

      g_list_store_append (store, point);
    }

  return G_LIST_MODEL (store);
}

static void
test_partial_data (void)
{
  g_autoptr (GListModel) hourly = make_hourly_day ();
  g_autoptr (GListModel) daily = make_daily ();
  g_autoptr (TallyTrendChartData) today = tally_trend_chart_data_new_at (hourly, TALLY_TREND_SERIES_REQUESTS,
                                                                         "2026-01-14 13:20");
  g_autoptr (TallyTrendChartData) week = tally_trend_chart_data_new_at (daily, TALLY_TREND_SERIES_BILLED_COST,
                                                                        "2026-01-12 10:00");
  g_autoptr (TallyTrendChartData) before = tally_trend_chart_data_new_at (daily, TALLY_TREND_SERIES_BILLED_COST,
                                                                          "2026-01-01 00:00");
  g_autoptr (TallyTrendChartData) after = tally_trend_chart_data_new_at (daily, TALLY_TREND_SERIES_BILLED_COST,
                                                                         "2026-02-01 00:00");
  g_autoptr (TallyTrendChartData) whole = tally_trend_chart_data_new (daily, TALLY_TREND_SERIES_BILLED_COST);
  g_autoptr (TallyTrendChartLayout) layout = NULL;
  g_autofree char *today_summary = NULL;
  g_autofree char *week_summary = NULL;
  g_autofree char *title_13 = NULL;
  g_autofree char *title_12 = NULL;
  g_autofree char *title_4 = NULL;
  g_autofree char *title_3 = NULL;
  graphene_rect_t bucket;
  double total = 0;

  /* Today at 13:20: 00:00 … 13:00 are drawn, 13:00 so far, nothing after */
  g_assert_cmpstr (tally_trend_chart_data_get_now (today), ==, "2026-01-14 13:20");
  g_assert_cmpuint (tally_trend_chart_data_get_n_buckets (today), ==, 24);
  g_assert_cmpuint (tally_trend_chart_data_get_n_shown (today), ==, 14);
  g_assert_cmpint (tally_trend_chart_data_get_current_index (today), ==, 13);
  for (guint i = 0; i < 14; i++)
    total += 10 + (i * 7) % 13;
  g_assert_cmpfloat (tally_trend_chart_data_get_total (today), ==, total);
  g_assert_cmpfloat (tally_trend_chart_data_get_value (today, 13), ==, 10 + (13 * 7) % 13);
  g_assert_cmpfloat (tally_trend_chart_data_get_value (today, 20), ==, 0);

  title_13 = tally_trend_chart_data_format_bucket_title (today, 13);
  title_12 = tally_trend_chart_data_format_bucket_title (today, 12);
  g_assert_cmpstr (title_13, ==, "13:00 (so far)");
  g_assert_cmpstr (title_12, ==, "12:00");
  today_summary = tally_trend_chart_data_describe (today);
  g_assert_cmpstr (today_summary, ==,
                   "Requests per hour, 2026-01-14 00:00 to 2026-01-14 23:00: total 218, peak 22 at 2026-01-14 11:00; "
                   "2026-01-14 13:00 so far");

  /* The pointer finds nothing after now. */
  layout = tally_trend_chart_layout_new (today, 640, 280, NULL);
  g_assert_true (tally_trend_chart_layout_get_bucket_area (layout, 13, &bucket));
  g_assert_cmpint (tally_trend_chart_layout_hit_test (layout, bucket.origin.x + 2, bucket.origin.y + 10), ==, 13);
  g_assert_true (tally_trend_chart_layout_get_bucket_area (layout, 20, &bucket));
  g_assert_cmpint (tally_trend_chart_layout_hit_test (layout, bucket.origin.x + 2, bucket.origin.y + 10), ==, -1);
  g_assert_cmpuint (tally_trend_chart_layout_get_n_legend_entries (layout), ==, 1);
  g_assert_cmpstr (tally_trend_chart_layout_get_legend_entry (layout, 0, NULL), ==, "so far");
  g_assert_null (tally_trend_chart_layout_new_readout (layout, 20, &(TallyChartPalette){ 0 }, NULL));

  /* Daily: the day holding now is the current one */
  g_assert_cmpuint (tally_trend_chart_data_get_n_shown (week), ==, 5);
  g_assert_cmpint (tally_trend_chart_data_get_current_index (week), ==, 4);
  title_4 = tally_trend_chart_data_format_bucket_title (week, 4);
  title_3 = tally_trend_chart_data_format_bucket_title (week, 3);
  g_assert_cmpstr (title_4, ==, "Mon Jan 12 (so far)");
  g_assert_cmpstr (title_3, ==, "Sun Jan 11");
  week_summary = tally_trend_chart_data_describe (week);
  g_assert_cmpstr (week_summary, ==,
                   "Billed cost per day, 2026-01-08 to 2026-01-15: total $48.60, peak $11.40 on 2026-01-10; "
                   "2026-01-12 so far");

  /* A range after now shows nothing; one before now, or no now, everything */
  g_assert_cmpuint (tally_trend_chart_data_get_n_shown (before), ==, 0);
  g_assert_cmpint (tally_trend_chart_data_get_current_index (before), ==, -1);
  g_assert_true (tally_trend_chart_data_is_empty (before));
  g_assert_cmpuint (tally_trend_chart_data_get_n_shown (after), ==, 8);
  g_assert_cmpint (tally_trend_chart_data_get_current_index (after), ==, -1);
  g_assert_cmpuint (tally_trend_chart_data_get_n_shown (whole), ==, 8);
  g_assert_cmpint (tally_trend_chart_data_get_current_index (whole), ==, -1);
  g_assert_null (tally_trend_chart_data_get_now (whole));
}

/* The share of the points of the segment (x0, y0)–(x1, y1), between 20 % and
 * 80 % of its length, that are in @color */
static double
segment_coverage (const Pixels *pixels,
                  double x0,
                  double y0,
                  double x1,
                  double y1,
                  const TallyRGBA *color)
{
  double length = hypot (x1 - x0, y1 - y0);
  guint n = (guint) MAX (4, length * 0.6);
  guint hits = 0;

  for (guint i = 0; i < n; i++)
    {
      double t = 0.2 + 0.6 * i / (n - 1);
      int x = (int) floor (x0 + t * (x1 - x0));
      int y = (int) floor (y0 + t * (y1 - y0));

      if (count_color (pixels, &GRAPHENE_RECT_INIT (x, y, 1, 1), color, 0.15) > 0)
        hits++;
    }

  return (double) hits / n;
}

static void
test_partial_pixels (void)
{
  g_autoptr (GListModel) hourly = make_hourly_day ();
  TallyChartPalette palette;

  tally_chart_palette_init_light (&palette);

  for (int with_now = 1; with_now >= 0; with_now--)
    {
      g_autoptr (TallyTrendChartData) data = tally_trend_chart_data_new_at (hourly, TALLY_TREND_SERIES_REQUESTS,
                                                                            with_now ? "2026-01-14 13:20" : NULL);
      g_autoptr (TallyTrendChartLayout) layout = tally_trend_chart_layout_new (data, 640, 280, NULL);
      g_autoptr (cairo_surface_t) image = draw_to_image (layout, &palette, FALSE);
      g_autofree char *path = tally_test_output_path (with_now ? "trend-so-far.png" : "trend-whole-day.png");
      graphene_rect_t plot;
      graphene_rect_t after;
      Pixels pixels;
      double x12, y12, x13, y13;
      double coverage;
      guint after_accent;

      g_assert_cmpint (cairo_surface_write_to_png (image, path), ==, CAIRO_STATUS_SUCCESS);
      pixels = (Pixels){ cairo_image_surface_get_data (image), 640, 280, cairo_image_surface_get_stride (image) };
      g_assert_true (tally_trend_chart_layout_get_plot_area (layout, &plot));
      g_assert_true (tally_trend_chart_layout_get_point (layout, 12, &x12, &y12));
      g_assert_true (tally_trend_chart_layout_get_point (layout, 13, &x13, &y13));

      /* Every pixel column after the current bucket's point is empty of the line. */
      graphene_rect_init (&after, x13 + 8, plot.origin.y, plot.origin.x + plot.size.width - (x13 + 8),
                          plot.size.height - 2);
      after_accent = count_color (&pixels, &after, &palette.accent, 0.1);
      coverage = segment_coverage (&pixels, x12, y12, x13, y13, &palette.accent);
      g_test_message ("now %s: %u accent pixels after 13:00, segment 12→13 %.0f %% accent",
                      with_now ? "13:20" : "none", after_accent, coverage * 100);

      if (with_now)
        {
          g_assert_cmpuint (after_accent, ==, 0);
          /* dashed: the segment into the current bucket has gaps */
          g_assert_cmpfloat (coverage, <, 0.85);
          g_assert_cmpfloat (coverage, >, 0.3);
          /* hollow: the current point's middle is the background */
          g_assert_cmpfloat (pixel_luma (&pixels, (int) x13, (int) y13), >, 0.9);
        }
      else
        {
          g_assert_cmpuint (after_accent, >, 100);
          g_assert_cmpfloat (coverage, >=, 0.95);
          g_assert_cmpuint (count_color (&pixels, &GRAPHENE_RECT_INIT ((int) x13, (int) y13, 1, 1), &palette.accent, 0.1),
                            ==, 1);
        }
    }
}

static void
assert_readout_beside (const TallyChartReadout *readout,
                       double x,
                       double y,
                       int width,
                       int height)
{
  graphene_rect_t box;
  graphene_rect_t marker = GRAPHENE_RECT_INIT (x - 5.5, y - 5.5, 11, 11);
  graphene_rect_t overlap;

  tally_chart_readout_get_box (readout, &box);
  g_assert_false (graphene_rect_intersection (&box, &marker, &overlap));
  g_assert_cmpfloat (box.origin.x, >=, 0);
  g_assert_cmpfloat (box.origin.y, >=, 0);
  g_assert_cmpfloat (box.origin.x + box.size.width, <=, width);
  g_assert_cmpfloat (box.origin.y + box.size.height, <=, height);
}

static void
test_readout (void)
{
  g_autoptr (GListModel) daily = make_daily ();
  g_autoptr (GListModel) hourly = make_hourly_day ();
  g_autoptr (TallyTrendChartLayout) layout = NULL;
  g_autoptr (TallyChartReadout) last = NULL;
  g_autoptr (TallyChartReadout) first = NULL;
  g_autoptr (cairo_surface_t) image = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = tally_test_output_path ("trend-readout-right-edge.png");
  TallyChartPalette palette;
  graphene_rect_t box;
  Pixels pixels;
  double x, y;
  cairo_t *cr;

  tally_chart_palette_init_light (&palette);
  layout = tally_trend_chart_layout_new_for_model (daily, TALLY_TREND_SERIES_BILLED_COST, 640, 280, NULL);

  /* At the right edge the readout flips to the left of the point. */
  last = tally_trend_chart_layout_new_readout (layout, 7, &palette, NULL);
  text = tally_chart_readout_to_string (last);
  g_assert_cmpstr (text, ==, "Thu Jan 15\nBilled cost $10.26");
  g_assert_true (tally_trend_chart_layout_get_point (layout, 7, &x, &y));
  tally_chart_readout_get_box (last, &box);
  g_assert_cmpfloat (box.origin.x + box.size.width, <=, x - 13);
  assert_readout_beside (last, x, y, 640, 280);

  /* …and the point stays visible in the picture. */
  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 640, 280);
  cr = cairo_create (image);
  tally_trend_chart_draw (cr, layout, &palette, 7);
  tally_chart_readout_draw (cr, last, &palette);
  cairo_destroy (cr);
  cairo_surface_flush (image);
  g_assert_cmpint (cairo_surface_write_to_png (image, path), ==, CAIRO_STATUS_SUCCESS);
  pixels = (Pixels){ cairo_image_surface_get_data (image), 640, 280, cairo_image_surface_get_stride (image) };
  g_assert_cmpuint (count_color (&pixels, &GRAPHENE_RECT_INIT (x - 5, y - 5, 10, 10), &palette.accent, 0.1), >, 20);

  /* On the left it goes to the right of the point. */
  first = tally_trend_chart_layout_new_readout (layout, 0, &palette, NULL);
  g_assert_cmpstr (tally_chart_readout_get_title (first), ==, "Thu Jan 8");
  g_assert_true (tally_trend_chart_layout_get_point (layout, 0, &x, &y));
  tally_chart_readout_get_box (first, &box);
  g_assert_cmpfloat (box.origin.x, >=, x + 13);
  assert_readout_beside (first, x, y, 640, 280);

  /* At 360 px, no readout of any bucket covers its point. */
  {
    g_autoptr (TallyTrendChartData) data = tally_trend_chart_data_new_at (hourly, TALLY_TREND_SERIES_TOKENS,
                                                                          "2026-01-14 13:20");
    g_autoptr (TallyTrendChartLayout) narrow = tally_trend_chart_layout_new (data, 360, 220, NULL);

    for (guint i = 0; i < tally_trend_chart_data_get_n_shown (data); i++)
      {
        g_autoptr (TallyChartReadout) readout = tally_trend_chart_layout_new_readout (narrow, i, &palette, NULL);

        for (guint l = 0; l < 3; l++)
          {
            g_assert_true (tally_trend_chart_layout_get_line_point (narrow, l, i, &x, &y));
            assert_readout_beside (readout, x, y, 360, 220);
          }
      }
  }
}

static void
test_two_series (void)
{
  g_autoptr (GListModel) costs = make_daily_costs ();
  g_autoptr (GListModel) daily = make_daily ();
  g_autoptr (TallyTrendChartData) cost_data = tally_trend_chart_data_new (costs, TALLY_TREND_SERIES_COSTS);
  g_autoptr (TallyTrendChartData) token_data = tally_trend_chart_data_new_at (daily, TALLY_TREND_SERIES_TOKENS,
                                                                              "2026-01-14 09:00");
  g_autoptr (TallyTrendChartLayout) cost_layout = NULL;
  g_autoptr (TallyTrendChartLayout) token_layout = NULL;
  g_autoptr (TallyChartReadout) readout = NULL;
  g_autoptr (TallyChartReadout) token_readout = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *bucket = NULL;
  g_autofree char *token_bucket = NULL;
  g_autofree char *readout_text = NULL;
  g_autofree char *token_text = NULL;
  TallyChartPalette palette;
  TallyTrendSeries lines[TALLY_TREND_CHART_MAX_LINES];

  tally_chart_palette_init_light (&palette);

  g_assert_cmpuint (tally_trend_series_get_lines (TALLY_TREND_SERIES_REQUESTS, lines), ==, 1);
  g_assert_cmpint (lines[0], ==, TALLY_TREND_SERIES_REQUESTS);
  g_assert_cmpuint (tally_trend_series_get_lines (TALLY_TREND_SERIES_TOKENS, lines), ==, 3);
  g_assert_cmpint (lines[2], ==, TALLY_TREND_SERIES_CACHE_TOKENS);

  /* Billed and list cost: two lines on one scale */
  g_assert_cmpuint (tally_trend_chart_data_get_n_lines (cost_data), ==, 2);
  g_assert_cmpint (tally_trend_chart_data_get_line_series (cost_data, 1), ==, TALLY_TREND_SERIES_LIST_COST);
  g_assert_cmpfloat_with_epsilon (tally_trend_chart_data_get_line_value (cost_data, 1, 6), 13.37 * 2, 1e-9);
  g_assert_cmpfloat (tally_trend_chart_data_get_scale_max (cost_data), ==, 30); /* 26.74 / 4 → step 10 */
  summary = tally_trend_chart_data_describe (cost_data);
  g_assert_cmpstr (summary, ==, "Cost per day, 2026-01-08 to 2026-01-15: total billed cost $82.41, list cost $164.82");
  bucket = tally_trend_chart_data_describe_bucket (cost_data, 6);
  g_assert_cmpstr (bucket, ==, "Wed Jan 14: billed cost $13.37, list cost $26.74");

  cost_layout = tally_trend_chart_layout_new (cost_data, 640, 280, NULL);
  g_assert_cmpuint (tally_trend_chart_layout_get_n_legend_entries (cost_layout), ==, 2);
  g_assert_cmpstr (tally_trend_chart_layout_get_legend_entry (cost_layout, 0, NULL), ==, "Billed");
  g_assert_cmpstr (tally_trend_chart_layout_get_legend_entry (cost_layout, 1, NULL), ==, "List");
  readout = tally_trend_chart_layout_new_readout (cost_layout, 6, &palette, NULL);
  readout_text = tally_chart_readout_to_string (readout);
  g_assert_cmpstr (readout_text, ==, "Wed Jan 14\nBilled $13.37\nList $26.74");

  /* Input, output and cache tokens, today so far */
  token_bucket = tally_trend_chart_data_describe_bucket (token_data, 6);
  g_assert_cmpstr (token_bucket, ==, "Wed Jan 14 (so far): input tokens 1.3M, output tokens 300K, cache tokens 4M");
  token_layout = tally_trend_chart_layout_new (token_data, 640, 280, NULL);
  g_assert_cmpuint (tally_trend_chart_layout_get_n_legend_entries (token_layout), ==, 4);
  g_assert_cmpstr (tally_trend_chart_layout_get_legend_entry (token_layout, 2, NULL), ==, "Cache");
  g_assert_cmpstr (tally_trend_chart_layout_get_legend_entry (token_layout, 3, NULL), ==, "so far");
  token_readout = tally_trend_chart_layout_new_readout (token_layout, 6, &palette, NULL);
  token_text = tally_chart_readout_to_string (token_readout);
  g_assert_cmpstr (token_text, ==, "Wed Jan 14 (so far)\nInput 1.3M\nOutput 300K\nCache 4M");

  /* Every line is drawn in its own colour. */
  {
    g_autoptr (cairo_surface_t) cost_image = draw_to_image (cost_layout, &palette, FALSE);
    g_autoptr (cairo_surface_t) token_image = draw_to_image (token_layout, &palette, FALSE);
    g_autofree char *cost_path = tally_test_output_path ("trend-costs.png");
    g_autofree char *token_path = tally_test_output_path ("trend-tokens.png");
    Pixels cost_pixels = { cairo_image_surface_get_data (cost_image), 640, 280, cairo_image_surface_get_stride (cost_image) };
    Pixels token_pixels = { cairo_image_surface_get_data (token_image), 640, 280, cairo_image_surface_get_stride (token_image) };
    graphene_rect_t plot;

    g_assert_cmpint (cairo_surface_write_to_png (cost_image, cost_path), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint (cairo_surface_write_to_png (token_image, token_path), ==, CAIRO_STATUS_SUCCESS);

    g_assert_true (tally_trend_chart_layout_get_plot_area (cost_layout, &plot));
    g_assert_cmpuint (count_color (&cost_pixels, &plot, &palette.accent, 0.06), >, 100);
    g_assert_cmpuint (count_color (&cost_pixels, &plot, tally_chart_palette_get_series_color (&palette, 1), 0.06), >, 100);
    /* the list line itself, not only its dots: between Jan 10 and Jan 11 */
    {
      double x2, y2, x3, y3;

      g_assert_true (tally_trend_chart_layout_get_line_point (cost_layout, 1, 2, &x2, &y2));
      g_assert_true (tally_trend_chart_layout_get_line_point (cost_layout, 1, 3, &x3, &y3));
      g_assert_cmpfloat (segment_coverage (&cost_pixels, x2, y2, x3, y3, tally_chart_palette_get_series_color (&palette, 1)),
                         >=, 0.9);
    }

    g_assert_true (tally_trend_chart_layout_get_plot_area (token_layout, &plot));
    g_assert_cmpuint (count_color (&token_pixels, &plot, &palette.accent, 0.06), >, 50);
    g_assert_cmpuint (count_color (&token_pixels, &plot, tally_chart_palette_get_series_color (&palette, 1), 0.06), >, 50);
    g_assert_cmpuint (count_color (&token_pixels, &plot, tally_chart_palette_get_series_color (&palette, 3), 0.06), >, 50);
  }
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

static void
assert_shown (GtkWidget *chart,
              int index,
              const char *title,
              const char *description)
{
  const TallyChartReadout *readout;

  g_assert_cmpint (tally_trend_chart_get_hover_index (TALLY_TREND_CHART (chart)), ==, index);
  readout = tally_chart_get_readout (TALLY_CHART (chart));
  g_assert_nonnull (readout);
  g_assert_cmpstr (tally_chart_readout_get_title (readout), ==, title);
  tally_test_assert_description (chart, description);
}

static void
test_keyboard (void)
{
  g_autoptr (GListModel) points = make_daily ();
  GtkEventController *keys;
  GtkEventController *motion;
  GtkWidget *window;
  GtkWidget *chart;
  gboolean handled = TRUE;

  chart = tally_trend_chart_new ();
  g_assert_true (gtk_widget_get_focusable (chart));
  tally_trend_chart_set_model (TALLY_TREND_CHART (chart), points);

  window = tally_test_present_chart (chart, 640, 280);
  /* is_focus, not has_focus: the latter also needs the window to be active,
   * which a bare X server may not have made it yet. */
  g_assert_true (gtk_widget_grab_focus (chart));
  g_assert_true (gtk_widget_is_focus (chart));

  keys = tally_test_find_controller (chart, GTK_TYPE_EVENT_CONTROLLER_KEY);
  motion = tally_test_find_controller (chart, GTK_TYPE_EVENT_CONTROLLER_MOTION);
  /* the keys only: the machine's real pointer may rest over the window (a
   * CI screen puts it in the middle, where the window maps); the pointer's
   * part below emits the controller's signals itself */
  gtk_event_controller_set_propagation_phase (motion, GTK_PHASE_NONE);

  /* Right starts at the first point, End goes to the last, Left steps back */
  tally_test_press_key (keys, GDK_KEY_Right);
  assert_shown (chart, 0, "Thu Jan 8", "Thu Jan 8: billed cost $9.12");
  tally_test_press_key (keys, GDK_KEY_Right);
  assert_shown (chart, 1, "Fri Jan 9", "Fri Jan 9: billed cost $10.05");
  tally_test_press_key (keys, GDK_KEY_End);
  assert_shown (chart, 7, "Thu Jan 15", "Thu Jan 15: billed cost $10.26");
  tally_test_press_key (keys, GDK_KEY_Right);
  assert_shown (chart, 7, "Thu Jan 15", "Thu Jan 15: billed cost $10.26");
  tally_test_press_key (keys, GDK_KEY_Left);
  assert_shown (chart, 6, "Wed Jan 14", "Wed Jan 14: billed cost $13.37");
  {
    g_autoptr (GdkTexture) texture = tally_test_render_widget (window, "trend-widget-keyboard.png");

    g_assert_nonnull (texture);
  }
  tally_test_press_key (keys, GDK_KEY_Home);
  assert_shown (chart, 0, "Thu Jan 8", "Thu Jan 8: billed cost $9.12");

  /* Other keys are left to the window. */
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_a, 0, 0, &handled);
  g_assert_false (handled);

  /* The pointer resting outside the plot or leaving does not take away what
   * the keys chose; pointing at another point does. */
  g_signal_emit_by_name (motion, "motion", 1.0, 1.0);
  g_signal_emit_by_name (motion, "leave");
  g_assert_cmpint (tally_trend_chart_get_hover_index (TALLY_TREND_CHART (chart)), ==, 0);

  /* As of Mon Jan 12, 10:00: End stops at the day so far. */
  tally_trend_chart_set_now (TALLY_TREND_CHART (chart), "2026-01-12 10:00");
  g_assert_cmpint (tally_trend_chart_get_hover_index (TALLY_TREND_CHART (chart)), ==, -1);
  g_assert_null (tally_chart_get_readout (TALLY_CHART (chart)));
  tally_test_spin (50);
  tally_test_press_key (keys, GDK_KEY_End);
  assert_shown (chart, 4, "Mon Jan 12 (so far)", "Mon Jan 12 (so far): billed cost $9.26");

  /* Several lines: the description tells each */
  tally_trend_chart_set_series (TALLY_TREND_CHART (chart), TALLY_TREND_SERIES_TOKENS);
  tally_test_spin (50);
  tally_test_press_key (keys, GDK_KEY_Left);
  assert_shown (chart, 4, "Mon Jan 12 (so far)",
                "Mon Jan 12 (so far): input tokens 1.2M, output tokens 300K, cache tokens 4M");
  {
    g_autoptr (GdkTexture) texture = tally_test_render_widget (window, "trend-widget-tokens-so-far.png");

    g_assert_nonnull (texture);
  }

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
  g_test_add_func ("/trend-chart/partial-data", test_partial_data);
  g_test_add_func ("/trend-chart/partial-pixels", test_partial_pixels);
  g_test_add_func ("/trend-chart/readout", test_readout);
  g_test_add_func ("/trend-chart/two-series", test_two_series);
  g_test_add_func ("/trend-chart/widget", test_widget);
  g_test_add_func ("/trend-chart/keyboard", test_keyboard);

  return g_test_run ();
}

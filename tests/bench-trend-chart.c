/* bench-trend-chart.c: how long a frame of a 2 160-point hourly trend takes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A benchmark, not a test: it reports and never fails on timing. The target
 * (DESIGN.md §5) is under 2 ms per frame for 90 days × 24 hours at 1280×400.
 *
 *   meson test -C _build --benchmark --verbose bench-trend-chart
 *
 * Pure drawing needs no display. The widget path (snapshot → render) runs
 * when a display is available (xvfb-run) and is skipped otherwise.
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <adwaita.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "tally-models-private.h"
#include "tally-trend-chart.h"
#include "tally-trend-chart-draw.h"

#define DAYS 90
#define WIDTH 1280
#define HEIGHT 400
#define FRAMES 500
#define WIDGET_FRAMES 200

static GListModel *
make_hourly (void)
{
  GListStore *store = g_list_store_new (TALLY_TYPE_TREND_POINT);
  g_autoptr (GDateTime) start = g_date_time_new_utc (2025, 10, 18, 0, 0, 0);
  GRand *rand = g_rand_new_with_seed (42);

  for (guint i = 0; i < DAYS * 24; i++)
    {
      g_autoptr (GDateTime) hour = g_date_time_add_hours (start, i);
      g_autofree char *date = g_date_time_format (hour, "%Y-%m-%d %H:00");
      g_autofree char *json = NULL;
      g_autoptr (JsonNode) node = NULL;
      g_autoptr (GError) error = NULL;
      TallyTrendPoint *point;
      /* A working-day rhythm with noise, some empty hours */
      double day_shape = MAX (0, sin ((i % 24 - 6) / 24.0 * 2 * G_PI));
      gint64 requests = (gint64) (day_shape * 40 * g_rand_double (rand));
      double cost = requests * 0.043 * g_rand_double_range (rand, 0.5, 1.5);

      json = g_strdup_printf ("{\"date\":\"%s\",\"requests\":%" G_GINT64_FORMAT ",\"input_tokens\":%" G_GINT64_FORMAT
                              ",\"output_tokens\":%" G_GINT64_FORMAT ",\"cache_tokens\":%" G_GINT64_FORMAT
                              ",\"total_tokens\":0,\"cost\":%.10g,\"actual_cost\":%.10g}",
                              date, requests, requests * 5000, requests * 900, requests * 20000, cost, cost * 1.0);
      node = json_from_string (json, &error);
      g_assert_no_error (error);
      point = _tally_trend_point_new_from_json (node, &error);
      g_assert_no_error (error);
      g_list_store_append (store, point);
      g_object_unref (point);
    }

  g_rand_free (rand);

  return G_LIST_MODEL (store);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double da = *(const double *) a;
  double db = *(const double *) b;

  return da < db ? -1 : da > db ? 1
                                : 0;
}

static void
report (const char *what,
        double *ms,
        guint n)
{
  double sum = 0;

  for (guint i = 0; i < n; i++)
    sum += ms[i];
  qsort (ms, n, sizeof (double), compare_doubles);

  printf ("# %-44s n=%-4u mean %.3f ms  median %.3f ms  p95 %.3f ms  max %.3f ms\n",
          what, n, sum / n, ms[n / 2], ms[(guint) (n * 0.95)], ms[n - 1]);
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
bench_pure (GListModel *points)
{
  g_autofree double *ms = g_new (double, FRAMES);
  TallyTrendChartData *data;
  TallyTrendChartLayout *layout;
  TallyChartPalette palette;
  cairo_surface_t *surface;
  cairo_surface_t *base;
  cairo_t *cr;
  double t0;
  double t_data;
  double t_layout;
  double t_first;
  guint n;

  tally_chart_palette_init_light (&palette);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cr = cairo_create (surface);

  /* First frame: normalise, lay out, draw */
  t0 = now_ms ();
  data = tally_trend_chart_data_new (points, TALLY_TREND_SERIES_BILLED_COST);
  t_data = now_ms ();
  layout = tally_trend_chart_layout_new (data, WIDTH, HEIGHT, NULL);
  t_layout = now_ms ();
  tally_trend_chart_draw (cr, layout, &palette, -1);
  cairo_surface_flush (surface);
  t_first = now_ms ();
  n = tally_trend_chart_data_get_n_buckets (data);

  printf ("# %u buckets, %d×%d ARGB32 image surface\n", n, WIDTH, HEIGHT);
  printf ("# first frame: %.3f ms (normalise %.3f ms + layout %.3f ms + draw %.3f ms)\n",
          t_first - t0, t_data - t0, t_layout - t_data, t_first - t_layout);

  /* Full frames (grid, labels, area, line, hover), the hover moving */
  for (guint i = 0; i < FRAMES; i++)
    {
      double start = now_ms ();

      tally_trend_chart_draw (cr, layout, &palette, (int) ((i * 7) % n));
      cairo_surface_flush (surface);
      ms[i] = now_ms () - start;
    }
  report ("full frame (tally_trend_chart_draw)", ms, FRAMES);

  /* Resize frames: a new layout per frame (what a window drag costs) */
  for (guint i = 0; i < FRAMES / 5; i++)
    {
      double start = now_ms ();
      TallyTrendChartLayout *resized = tally_trend_chart_layout_new (data, WIDTH - (int) (i % 50), HEIGHT, NULL);

      tally_trend_chart_draw (cr, resized, &palette, -1);
      cairo_surface_flush (surface);
      tally_trend_chart_layout_free (resized);
      ms[i] = now_ms () - start;
    }
  report ("resize frame (layout + draw)", ms, FRAMES / 5);

  /* Hover frames as the widget does them: a cached base, then the marker */
  base = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  {
    cairo_t *base_cr = cairo_create (base);

    tally_trend_chart_draw (base_cr, layout, &palette, -1);
    cairo_destroy (base_cr);
  }
  for (guint i = 0; i < FRAMES; i++)
    {
      double start = now_ms ();

      cairo_set_source_surface (cr, base, 0, 0);
      cairo_paint (cr);
      tally_trend_chart_draw_hover (cr, layout, &palette, (int) ((i * 7) % n));
      cairo_surface_flush (surface);
      ms[i] = now_ms () - start;
    }
  report ("hover frame (cached base + marker)", ms, FRAMES);

  {
    g_autofree char *path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                              "bench-trend-2160.png", NULL);

    tally_trend_chart_draw (cr, layout, &palette, 1000);
    cairo_surface_write_to_png (surface, path);
    printf ("# wrote %s\n", path);
  }

  cairo_surface_destroy (base);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  tally_trend_chart_layout_free (layout);
  tally_trend_chart_data_unref (data);
}

static void
render_frame (GtkWidget *chart,
              GskRenderer *renderer)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  GdkTexture *texture;

  GTK_WIDGET_GET_CLASS (chart)->snapshot (chart, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
  g_object_unref (texture);
  gsk_render_node_unref (node);
}

static void
bench_widget (GListModel *points)
{
  g_autofree double *ms = g_new (double, WIDGET_FRAMES);
  GtkEventController *motion = NULL;
  GtkWidget *window;
  GtkWidget *chart;
  gint64 deadline;
  struct
  {
    const char *name;
    GskRenderer *renderer;
  } renderers[2] = { { "cairo", NULL }, { "window's (GL)", NULL } };

  chart = tally_trend_chart_new ();
  tally_trend_chart_set_model (TALLY_TREND_CHART (chart), points);
  window = gtk_window_new ();
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_present (GTK_WINDOW (window));

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (gtk_widget_get_width (chart) != WIDTH || gtk_widget_get_height (chart) != HEIGHT)
    {
      if (g_get_monotonic_time () > deadline)
        {
          printf ("# widget path skipped: the window never reached %d×%d\n", WIDTH, HEIGHT);
          gtk_window_destroy (GTK_WINDOW (window));
          return;
        }
      g_main_context_iteration (NULL, FALSE);
    }

  {
    g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (chart);

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
          motion = controller;
      }
  }

  /* The widget's own work per hover frame: the snapshot vfunc */
  for (guint i = 0; i < WIDGET_FRAMES; i++)
    {
      GtkSnapshot *snapshot;
      GskRenderNode *node;
      double start = now_ms ();

      g_signal_emit_by_name (motion, "motion", 80.0 + i * 5.5, HEIGHT / 2.0);
      snapshot = gtk_snapshot_new ();
      GTK_WIDGET_GET_CLASS (chart)->snapshot (chart, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      ms[i] = now_ms () - start;
      gsk_render_node_unref (node);
    }
  report ("widget hover snapshot (no render)", ms, WIDGET_FRAMES);

  renderers[0].renderer = gsk_cairo_renderer_new ();
  gsk_renderer_realize (renderers[0].renderer, gtk_native_get_surface (GTK_NATIVE (window)), NULL);
  renderers[1].renderer = g_object_ref (gtk_native_get_renderer (GTK_NATIVE (window)));
  printf ("# window renderer: %s\n", G_OBJECT_TYPE_NAME (renderers[1].renderer));

  for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
    {
      g_autofree char *hover_name = g_strdup_printf ("widget hover frame, %s renderer", renderers[r].name);
      g_autofree char *series_name = g_strdup_printf ("widget series change + frame, %s", renderers[r].name);

      g_autofree char *baseline_name = g_strdup_printf ("render_texture of a colour node, %s", renderers[r].name);

      render_frame (chart, renderers[r].renderer);

      /* What the renderer costs by itself for a 1280×400 texture */
      for (guint i = 0; i < WIDGET_FRAMES; i++)
        {
          GskRenderNode *node = gsk_color_node_new (&(GdkRGBA){ 1, 1, 1, 1 },
                                                    &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
          double start = now_ms ();
          GdkTexture *texture = gsk_renderer_render_texture (renderers[r].renderer, node,
                                                             &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));

          ms[i] = now_ms () - start;
          g_object_unref (texture);
          gsk_render_node_unref (node);
        }
      report (baseline_name, ms, WIDGET_FRAMES);

      /* The pointer moves across the chart: only the marker is new */
      for (guint i = 0; i < WIDGET_FRAMES; i++)
        {
          double start = now_ms ();

          g_signal_emit_by_name (motion, "motion", 80.0 + i * 5.5, HEIGHT / 2.0);
          render_frame (chart, renderers[r].renderer);
          ms[i] = now_ms () - start;
        }
      report (hover_name, ms, WIDGET_FRAMES);

      /* A series switch: normalise, lay out, paint the base, render */
      for (guint i = 0; i < WIDGET_FRAMES / 4; i++)
        {
          double start = now_ms ();

          tally_trend_chart_set_series (TALLY_TREND_CHART (chart),
                                        i % 2 ? TALLY_TREND_SERIES_BILLED_COST : TALLY_TREND_SERIES_REQUESTS);
          render_frame (chart, renderers[r].renderer);
          ms[i] = now_ms () - start;
        }
      report (series_name, ms, WIDGET_FRAMES / 4);
    }

  gsk_renderer_unrealize (renderers[0].renderer);
  g_object_unref (renderers[0].renderer);
  g_object_unref (renderers[1].renderer);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc,
      char *argv[])
{
  g_autoptr (GListModel) points = NULL;

  points = make_hourly ();

  printf ("# bench-trend-chart: target < 2 ms per frame (DESIGN.md §5); timings are reported, never asserted\n");
  bench_pure (points);

  if (gtk_init_check ())
    {
      adw_init ();
      bench_widget (points);
    }
  else
    printf ("# widget path skipped: no display (run under xvfb-run)\n");

  fflush (stdout);

  return 0;
}

/* test-pie-chart.c: the model share chart's data, layout, drawing and widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb. PNGs land in G_TEST_BUILDDIR (pie-*.png) for review.
 */

#include "config.h"

#include <math.h>

#include <adwaita.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "tally-models-private.h"
#include "tally-pie-chart.h"
#include "tally-pie-chart-draw.h"
#include "tally-test-chart-utils.h"
#include "tally-test-utils.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_surface_t, cairo_surface_destroy)

static TallyModelStat *
make_stat (const char *model,
           gint64 requests,
           gint64 total_tokens,
           double actual_cost)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  TallyModelStat *stat;

  /* Built with JsonBuilder so that any model name is escaped correctly. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  json_builder_set_member_name (builder, "requests");
  json_builder_add_int_value (builder, requests);
  json_builder_set_member_name (builder, "input_tokens");
  json_builder_add_int_value (builder, total_tokens / 2);
  json_builder_set_member_name (builder, "output_tokens");
  json_builder_add_int_value (builder, total_tokens / 10);
  json_builder_set_member_name (builder, "total_tokens");
  json_builder_add_int_value (builder, total_tokens);
  json_builder_set_member_name (builder, "cost");
  json_builder_add_double_value (builder, actual_cost);
  json_builder_set_member_name (builder, "actual_cost");
  json_builder_add_double_value (builder, actual_cost);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  stat = _tally_model_stat_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stat);

  return stat;
}

/* Billed cost total 100: 45.2 + 23.7 + 15.1 + 9.5 + 3.0 + 1.5 + 1.0 + 0.5 + 0.5.
 * The last four (1.5 %, 1 %, 0.5 %, 0.5 %) fold into "Other" (3.5 %). */
static GListModel *
make_models (void)
{
  GListStore *store = g_list_store_new (TALLY_TYPE_MODEL_STAT);
  static const struct
  {
    const char *model;
    gint64 requests;
    gint64 tokens;
    double cost;
  } rows[] = {
    { "claude-sonnet-4", 215, 8498445, 23.7 }, /* out of order on purpose */
    { "claude-sonnet-4-5", 476, 16175122, 45.2 },
    { "claude-opus-4-1", 40, 1200000, 15.1 },
    { "<b>x</b>", 30, 900000, 9.5 },
    { "claude-haiku-4-5", 120, 3000000, 3.0 },
    { "gpt-5", 9, 100000, 1.5 },
    { "gemini-2.5-pro", 5, 50000, 1.0 },
    { "claude-3-5-haiku", 3, 20000, 0.5 },
    { "deepseek-chat", 2, 10000, 0.5 },
    { "free-model", 10, 1000, 0 }, /* no cost: no slice */
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr (TallyModelStat) stat = make_stat (rows[i].model, rows[i].requests, rows[i].tokens, rows[i].cost);

      g_list_store_append (store, stat);
    }

  return G_LIST_MODEL (store);
}

/* ------------------------------------------------------------------------ */

static void
test_measure_enum (void)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (TALLY_TYPE_PIE_MEASURE);

  g_assert_cmpuint (klass->n_values, ==, 3);
  g_assert_cmpint (g_enum_get_value_by_nick (klass, "tokens")->value, ==, TALLY_PIE_MEASURE_TOKENS);
}

static void
test_fold (void)
{
  g_autoptr (GListModel) models = make_models ();
  g_autoptr (TallyPieChartData) data = tally_pie_chart_data_new (models, TALLY_PIE_MEASURE_BILLED_COST);
  g_autofree char *summary = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *other_tooltip = NULL;
  static const char *const names[] = { "claude-sonnet-4-5", "claude-sonnet-4", "claude-opus-4-1", "<b>x</b>",
                                       "claude-haiku-4-5", "Other" };

  g_assert_false (tally_pie_chart_data_is_empty (data));
  g_assert_cmpfloat_with_epsilon (tally_pie_chart_data_get_total (data), 100, 1e-9);
  g_assert_cmpuint (tally_pie_chart_data_get_n_slices (data), ==, G_N_ELEMENTS (names));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_cmpstr (tally_pie_chart_data_get_slice_name (data, i), ==, names[i]);
      g_assert_cmpint (tally_pie_chart_data_slice_is_other (data, i), ==, i == G_N_ELEMENTS (names) - 1);
      /* Every named slice is at least 2 %; no model under 2 % is its own slice. */
      if (!tally_pie_chart_data_slice_is_other (data, i))
        g_assert_cmpfloat (tally_pie_chart_data_get_slice_fraction (data, i), >=, 0.02);
      g_assert_cmpstr (tally_pie_chart_data_get_slice_name (data, i), !=, "gpt-5");
    }

  g_assert_cmpfloat_with_epsilon (tally_pie_chart_data_get_slice_value (data, 0), 45.2, 1e-9);
  g_assert_cmpfloat_with_epsilon (tally_pie_chart_data_get_slice_fraction (data, 0), 0.452, 1e-9);
  g_assert_cmpfloat_with_epsilon (tally_pie_chart_data_get_slice_value (data, 5), 3.5, 1e-9);
  g_assert_cmpuint (tally_pie_chart_data_get_slice_n_models (data, 5), ==, 4);

  summary = tally_pie_chart_data_describe (data);
  g_assert_cmpstr (summary, ==,
                   "Share of billed cost by model: claude-sonnet-4-5 45.2%, claude-sonnet-4 23.7%, "
                   "claude-opus-4-1 15.1%, <b>x</b> 9.5%, claude-haiku-4-5 3.0%, Other 3.5%");

  tooltip = tally_pie_chart_data_describe_slice (data, 3);
  g_assert_cmpstr (tooltip, ==, "<b>x</b>: billed cost $9.50 (9.5%)");

  other_tooltip = tally_pie_chart_data_describe_slice (data, 5);
  g_assert_cmpstr (other_tooltip, ==,
                   "Other (4 models): billed cost $3.50 (3.5%); "
                   "gpt-5 $1.50, gemini-2.5-pro $1.00, claude-3-5-haiku $0.50, deepseek-chat $0.50");
}

static void
test_measures (void)
{
  g_autoptr (GListModel) models = make_models ();
  g_autoptr (TallyPieChartData) requests = tally_pie_chart_data_new (models, TALLY_PIE_MEASURE_REQUESTS);
  g_autoptr (TallyPieChartData) tokens = tally_pie_chart_data_new (models, TALLY_PIE_MEASURE_TOKENS);
  g_autoptr (GListStore) single = g_list_store_new (TALLY_TYPE_MODEL_STAT);
  g_autoptr (TallyModelStat) only = make_stat ("claude-sonnet-4-5", 1, 10, 0.0123);
  g_autoptr (TallyPieChartData) one = NULL;
  g_autofree char *one_summary = NULL;

  /* Requests: 910 in all; "free-model" counts here (10 requests). */
  g_assert_cmpfloat (tally_pie_chart_data_get_total (requests), ==, 910);
  g_assert_cmpstr (tally_pie_chart_data_get_slice_name (requests, 0), ==, "claude-sonnet-4-5");
  g_assert_cmpstr (tally_pie_chart_data_get_slice_name (requests, 1), ==, "claude-sonnet-4");
  g_assert_cmpstr (tally_pie_chart_data_get_slice_name (requests, 2), ==, "claude-haiku-4-5");

  g_assert_cmpfloat (tally_pie_chart_data_get_total (tokens), ==, 29954567);
  {
    g_autofree char *text = tally_pie_chart_data_format_value (tokens, 16175122);

    g_assert_cmpstr (text, ==, "16.18M");
  }

  /* One model: one full ring, 100 % */
  g_list_store_append (single, only);
  one = tally_pie_chart_data_new (G_LIST_MODEL (single), TALLY_PIE_MEASURE_BILLED_COST);
  g_assert_cmpuint (tally_pie_chart_data_get_n_slices (one), ==, 1);
  one_summary = tally_pie_chart_data_describe (one);
  g_assert_cmpstr (one_summary, ==, "Share of billed cost by model: claude-sonnet-4-5 100.0%");
}

static void
test_many_models (void)
{
  g_autoptr (GListStore) store = g_list_store_new (TALLY_TYPE_MODEL_STAT);
  g_autoptr (TallyPieChartData) data = NULL;

  /* Twelve models of 1/12 each: all above 2 %, but only 7 + "Other" fit. */
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("model-%02u", i);
      g_autoptr (TallyModelStat) stat = make_stat (name, 1, 1, 1);

      g_list_store_append (store, stat);
    }

  data = tally_pie_chart_data_new (G_LIST_MODEL (store), TALLY_PIE_MEASURE_BILLED_COST);
  g_assert_cmpuint (tally_pie_chart_data_get_n_slices (data), ==, TALLY_PIE_CHART_MAX_SLICES);
  g_assert_cmpstr (tally_pie_chart_data_get_slice_name (data, 0), ==, "model-00");
  g_assert_true (tally_pie_chart_data_slice_is_other (data, 7));
  g_assert_cmpuint (tally_pie_chart_data_get_slice_n_models (data, 7), ==, 5);
}

static void
test_hit_test (void)
{
  g_autoptr (GListModel) models = make_models ();
  static const TallyTestSize sizes[] = { { 640, 280 }, { 360, 220 }, { 260, 420 } };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr (TallyPieChartLayout) layout = NULL;
      double cx, cy, inner, outer;
      guint n;

      layout = tally_pie_chart_layout_new_for_model (models, TALLY_PIE_MEASURE_BILLED_COST, sizes[s].width,
                                                     sizes[s].height, NULL);
      g_assert_true (tally_pie_chart_layout_get_donut (layout, &cx, &cy, &inner, &outer));
      g_assert_cmpfloat (inner, >, 10);
      g_assert_cmpfloat (outer, >, inner);
      n = tally_pie_chart_data_get_n_slices (tally_pie_chart_layout_get_data (layout));
      g_test_message ("%d×%d: donut r %.1f–%.1f at (%.1f, %.1f), %s", sizes[s].width, sizes[s].height, inner, outer,
                      cx, cy, tally_pie_chart_layout_get_stacked (layout) ? "stacked" : "side by side");

      /* The tall, narrow size stacks the legend below the donut. */
      g_assert_cmpint (tally_pie_chart_layout_get_stacked (layout), ==, sizes[s].width == 260);

      for (guint j = 0; j < n; j++)
        {
          double start, end, mid, radius;
          graphene_rect_t row;

          /* A point on slice j's mid-angle at mid radius is slice j. */
          g_assert_true (tally_pie_chart_layout_get_slice_angles (layout, j, &start, &end));
          mid = (start + end) / 2 - G_PI / 2;
          radius = (inner + outer) / 2;
          g_assert_cmpint (tally_pie_chart_layout_hit_test (layout, cx + radius * cos (mid), cy + radius * sin (mid)),
                           ==, j);

          /* Its legend row is slice j too. */
          g_assert_cmpuint (tally_pie_chart_layout_get_n_legend_rows (layout), ==, n);
          g_assert_true (tally_pie_chart_layout_get_legend_row (layout, j, &row));
          g_assert_cmpint (tally_pie_chart_layout_hit_test (layout, row.origin.x + row.size.width / 2,
                                                            row.origin.y + row.size.height / 2),
                           ==, j);
        }

      /* The first slice starts at 12 o'clock and runs clockwise: just right
       * of the top is slice 0, just left of it the last slice. */
      g_assert_cmpint (tally_pie_chart_layout_hit_test (layout, cx + 3, cy - (inner + outer) / 2), ==, 0);
      g_assert_cmpint (tally_pie_chart_layout_hit_test (layout, cx - 3, cy - (inner + outer) / 2), ==, n - 1);

      /* The centre hole and the outside are nothing. */
      g_assert_cmpint (tally_pie_chart_layout_hit_test (layout, cx, cy), ==, -1);
      g_assert_cmpint (tally_pie_chart_layout_hit_test (layout, cx + inner * 0.7, cy), ==, -1);
      g_assert_cmpint (tally_pie_chart_layout_hit_test (layout, cx, cy + outer + 6), ==, -1);
      g_assert_cmpint (tally_pie_chart_layout_hit_test (layout, 1, 1), ==, -1);
    }
}

static void
test_no_markup (void)
{
  g_autoptr (GListModel) models = make_models ();
  g_autoptr (TallyPieChartLayout) layout = NULL;
  const char *value;
  const char *percent;

  layout = tally_pie_chart_layout_new_for_model (models, TALLY_PIE_MEASURE_BILLED_COST, 640, 280, NULL);

  /* A model called "<b>x</b>" is listed as those eight characters. */
  g_assert_cmpstr (tally_pie_chart_layout_get_legend_text (layout, 3, &value, &percent), ==, "<b>x</b>");
  g_assert_cmpstr (value, ==, "$9.50");
  g_assert_cmpstr (percent, ==, "9.5%");
  g_assert_cmpstr (tally_pie_chart_layout_get_legend_text (layout, 5, &value, &percent), ==, "Other");
  g_assert_cmpstr (value, ==, "$3.50");
  g_assert_cmpstr (percent, ==, "3.5%");
}

/* ------------------------------------------------------------------------ */
/* Pixels                                                                    */

static gboolean
pixel_is (const guchar *data,
          int stride,
          int x,
          int y,
          const TallyRGBA *color,
          double tolerance)
{
  double r, g, b;

  tally_test_pixel_rgb (data, stride, x, y, &r, &g, &b);

  return fabs (r - color->red) <= tolerance && fabs (g - color->green) <= tolerance && fabs (b - color->blue) <= tolerance;
}

static void
render_png (GListModel *models,
            int width,
            int height,
            gboolean dark,
            int hover,
            const char *name)
{
  g_autoptr (TallyPieChartLayout) layout = NULL;
  g_autoptr (cairo_surface_t) surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  g_autofree char *path = tally_test_output_path (name);
  TallyChartPalette palette;
  double cx, cy, inner, outer;
  const guchar *data;
  int stride;
  cairo_t *cr;
  guint n;

  if (dark)
    tally_chart_palette_init_dark (&palette);
  else
    tally_chart_palette_init_light (&palette);

  layout = tally_pie_chart_layout_new_for_model (models, TALLY_PIE_MEASURE_BILLED_COST, width, height, NULL);
  cr = cairo_create (surface);
  tally_pie_chart_draw (cr, layout, &palette, hover);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("wrote %s", path);

  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);

  if (dark)
    g_assert_cmpfloat (tally_test_pixel_luma (data, stride, 1, 1), <, 0.15);
  else
    g_assert_cmpfloat (tally_test_pixel_luma (data, stride, 1, 1), >, 0.95);

  g_assert_true (tally_pie_chart_layout_get_donut (layout, &cx, &cy, &inner, &outer));
  n = tally_pie_chart_data_get_n_slices (tally_pie_chart_layout_get_data (layout));

  /* Each named slice shows its palette colour at its mid-angle (dimmed when
   * another slice is hovered, so only without hover). The hole is background. */
  for (guint j = 0; j < n && hover < 0; j++)
    {
      double start, end, mid, radius = (inner + outer) / 2;
      const TallyRGBA *color;

      if (tally_pie_chart_data_slice_is_other (tally_pie_chart_layout_get_data (layout), j))
        continue;

      tally_pie_chart_layout_get_slice_angles (layout, j, &start, &end);
      mid = (start + end) / 2 - G_PI / 2;
      color = tally_chart_palette_get_series_color (&palette, j);
      g_assert_true (pixel_is (data, stride, (int) (cx + radius * cos (mid)), (int) (cy + radius * sin (mid)), color,
                               0.02));
    }
  g_assert_true (pixel_is (data, stride, (int) cx, (int) (cy + inner - 3), &palette.background, 0.02));
}

static void
test_render (void)
{
  g_autoptr (GListModel) models = make_models ();
  static const TallyTestSize sizes[] = { { 640, 280 }, { 360, 220 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (int dark = 0; dark <= 1; dark++)
      {
        g_autofree char *name = g_strdup_printf ("pie-%dx%d-%s.png", sizes[i].width, sizes[i].height,
                                                 dark ? "dark" : "light");
        g_autofree char *hover_name = g_strdup_printf ("pie-%dx%d-%s-hover.png", sizes[i].width, sizes[i].height,
                                                       dark ? "dark" : "light");

        render_png (models, sizes[i].width, sizes[i].height, dark, -1, name);
        render_png (models, sizes[i].width, sizes[i].height, dark, 1, hover_name);
      }

  render_png (models, 260, 420, FALSE, -1, "pie-260x420-light.png");
}

static void
test_hover_highlight (void)
{
  g_autoptr (GListModel) models = make_models ();
  g_autoptr (TallyPieChartLayout) layout = NULL;
  g_autoptr (cairo_surface_t) plain = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 640, 280);
  g_autoptr (cairo_surface_t) hovered = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 640, 280);
  TallyChartPalette palette;
  graphene_rect_t row;
  cairo_t *cr;
  double r0, g0, b0, r1, g1, b1;
  int x;
  int y;

  tally_chart_palette_init_light (&palette);
  layout = tally_pie_chart_layout_new_for_model (models, TALLY_PIE_MEASURE_BILLED_COST, 640, 280, NULL);

  cr = cairo_create (plain);
  tally_pie_chart_draw (cr, layout, &palette, -1);
  cairo_destroy (cr);
  cr = cairo_create (hovered);
  tally_pie_chart_draw (cr, layout, &palette, 2);
  cairo_destroy (cr);
  cairo_surface_flush (plain);
  cairo_surface_flush (hovered);

  /* The hovered slice's legend row gets a tinted background: a point of the
   * row right of the swatch and left of the text changes, the same point of
   * another row does not. */
  g_assert_true (tally_pie_chart_layout_get_legend_row (layout, 2, &row));
  x = (int) row.origin.x + 2;
  y = (int) (row.origin.y + row.size.height / 2);
  tally_test_pixel_rgb (cairo_image_surface_get_data (plain), cairo_image_surface_get_stride (plain), x, y, &r0, &g0, &b0);
  tally_test_pixel_rgb (cairo_image_surface_get_data (hovered), cairo_image_surface_get_stride (hovered), x, y, &r1, &g1, &b1);
  g_assert_cmpfloat (r0, >, 0.99);
  g_assert_cmpfloat (r1, <, 0.97);

  g_assert_true (tally_pie_chart_layout_get_legend_row (layout, 0, &row));
  y = (int) (row.origin.y + row.size.height / 2);
  tally_test_pixel_rgb (cairo_image_surface_get_data (hovered), cairo_image_surface_get_stride (hovered), x, y, &r1, &g1, &b1);
  g_assert_cmpfloat (r1, >, 0.99);
}

static void
test_empty (void)
{
  g_autoptr (GListStore) store = g_list_store_new (TALLY_TYPE_MODEL_STAT);
  g_autoptr (TallyModelStat) zero = make_stat ("claude-sonnet-4-5", 0, 0, 0);
  g_autoptr (TallyPieChartLayout) layout = NULL;
  g_autoptr (cairo_surface_t) surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 360, 220);
  g_autofree char *path = tally_test_output_path ("pie-empty-360x220-dark.png");
  g_autofree char *summary = NULL;
  TallyChartPalette palette;
  cairo_t *cr;
  guint bright = 0;

  g_list_store_append (store, zero);
  layout = tally_pie_chart_layout_new_for_model (G_LIST_MODEL (store), TALLY_PIE_MEASURE_BILLED_COST, 360, 220, NULL);
  g_assert_true (tally_pie_chart_data_is_empty (tally_pie_chart_layout_get_data (layout)));
  g_assert_false (tally_pie_chart_layout_get_donut (layout, NULL, NULL, NULL, NULL));
  g_assert_cmpint (tally_pie_chart_layout_hit_test (layout, 180, 110), ==, -1);
  summary = tally_pie_chart_data_describe (tally_pie_chart_layout_get_data (layout));
  g_assert_cmpstr (summary, ==, "Share of billed cost by model: no usage in this range");

  tally_chart_palette_init_dark (&palette);
  cr = cairo_create (surface);
  tally_pie_chart_draw (cr, layout, &palette, 0);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);

  /* Only the message, in the middle */
  for (int y = 0; y < 220; y++)
    for (int x = 0; x < 360; x++)
      if (tally_test_pixel_luma (cairo_image_surface_get_data (surface), cairo_image_surface_get_stride (surface), x, y) > 0.3)
        {
          g_assert_cmpint (y, >, 90);
          g_assert_cmpint (y, <, 130);
          bright++;
        }
  g_assert_cmpuint (bright, >, 50);
}

/* ------------------------------------------------------------------------ */
/* Widget                                                                    */

/* gtk_test_accessible_assert_property() pastes the value into a format
 * string, so a '%' in it would be a conversion: check by hand. */
static void
assert_label (GtkWidget *widget,
              const char *expected)
{
  g_autofree char *error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                               GTK_ACCESSIBLE_PROPERTY_LABEL, expected);

  if (error != NULL)
    g_error ("accessible label: %s", error);
}

static void
test_widget (void)
{
  g_autoptr (GListModel) models = make_models ();
  static const TallyTestSize sizes[] = { { 640, 280 }, { 360, 220 } };
  GtkEventController *motion;
  GtkWidget *window;
  GtkWidget *chart;
  TallyPieMeasure measure;

  chart = tally_pie_chart_new ();
  g_assert_cmpstr (gtk_widget_get_css_name (chart), ==, "piechart");
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (chart)), ==, GTK_ACCESSIBLE_ROLE_IMG);
  assert_label (chart,
                "Share of billed cost by model: no usage in this range");

  g_object_set (chart, "model", models, NULL);
  assert_label (chart,
                "Share of billed cost by model: claude-sonnet-4-5 45.2%, claude-sonnet-4 23.7%, "
                "claude-opus-4-1 15.1%, <b>x</b> 9.5%, claude-haiku-4-5 3.0%, Other 3.5%");

  tally_pie_chart_set_measure (TALLY_PIE_CHART (chart), TALLY_PIE_MEASURE_REQUESTS);
  g_object_get (chart, "measure", &measure, NULL);
  g_assert_cmpint (measure, ==, TALLY_PIE_MEASURE_REQUESTS);
  g_assert_true (g_str_has_prefix (tally_pie_chart_get_summary (TALLY_PIE_CHART (chart)),
                                   "Share of requests by model: claude-sonnet-4-5 52.3%, "));
  tally_pie_chart_set_measure (TALLY_PIE_CHART (chart), TALLY_PIE_MEASURE_BILLED_COST);

  window = gtk_window_new ();
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_child (GTK_WINDOW (window), chart);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (int dark = 0; dark <= 1; dark++)
      {
        g_autofree char *name = g_strdup_printf ("pie-widget-%dx%d-%s.png", sizes[i].width, sizes[i].height,
                                                 dark ? "dark" : "light");
        g_autoptr (GdkTexture) texture = NULL;
        g_autofree guchar *pixels = NULL;
        int stride = sizes[i].width * 4;
        TallyRGBA blue = { 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0, 1 };
        guint blue_pixels = 0;

        adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                            dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
        gtk_window_set_default_size (GTK_WINDOW (window), sizes[i].width, sizes[i].height);
        gtk_window_present (GTK_WINDOW (window));
        tally_test_wait_for_size (chart, sizes[i].width, sizes[i].height);

        texture = tally_test_render_widget (window, name);
        pixels = g_malloc (stride * sizes[i].height);
        gdk_texture_download (texture, pixels, stride);

        if (dark)
          g_assert_cmpfloat (tally_test_pixel_luma (pixels, stride, 2, 2), <, 0.2);
        else
          g_assert_cmpfloat (tally_test_pixel_luma (pixels, stride, 2, 2), >, 0.9);

        for (int y = 0; y < sizes[i].height; y++)
          for (int x = 0; x < sizes[i].width; x++)
            blue_pixels += pixel_is (pixels, stride, x, y, &blue, 0.02);
        g_assert_cmpuint (blue_pixels, >, 500);
      }

  /* Hover through the motion controller: on the ring and on a legend row */
  motion = tally_test_find_controller (chart, GTK_TYPE_EVENT_CONTROLLER_MOTION);
  {
    g_autoptr (TallyPieChartLayout) layout = NULL;
    double cx, cy, inner, outer, start, end, mid;
    graphene_rect_t row;

    layout = tally_pie_chart_layout_new_for_model (models, TALLY_PIE_MEASURE_BILLED_COST, gtk_widget_get_width (chart),
                                                   gtk_widget_get_height (chart), gtk_widget_get_pango_context (chart));
    tally_pie_chart_layout_get_donut (layout, &cx, &cy, &inner, &outer);
    tally_pie_chart_layout_get_slice_angles (layout, 1, &start, &end);
    mid = (start + end) / 2 - G_PI / 2;

    g_signal_emit_by_name (motion, "motion", cx + (inner + outer) / 2 * cos (mid), cy + (inner + outer) / 2 * sin (mid));
    g_assert_cmpint (tally_pie_chart_get_hover_index (TALLY_PIE_CHART (chart)), ==, 1);
    {
      g_autoptr (GdkTexture) texture = tally_test_render_widget (window, "pie-widget-hover.png");

      g_assert_nonnull (texture);
    }

    g_signal_emit_by_name (motion, "motion", cx, cy);
    g_assert_cmpint (tally_pie_chart_get_hover_index (TALLY_PIE_CHART (chart)), ==, -1);

    tally_pie_chart_layout_get_legend_row (layout, 4, &row);
    g_signal_emit_by_name (motion, "motion", row.origin.x + row.size.width / 2, row.origin.y + row.size.height / 2);
    g_assert_cmpint (tally_pie_chart_get_hover_index (TALLY_PIE_CHART (chart)), ==, 4);

    g_signal_emit_by_name (motion, "leave");
    g_assert_cmpint (tally_pie_chart_get_hover_index (TALLY_PIE_CHART (chart)), ==, -1);
  }

  /* items-changed updates the summary; an empty model shows the empty state. */
  g_list_store_remove_all (G_LIST_STORE (models));
  g_assert_cmpstr (tally_pie_chart_get_summary (TALLY_PIE_CHART (chart)), ==,
                   "Share of billed cost by model: no usage in this range");
  {
    g_autoptr (GdkTexture) texture = tally_test_render_widget (window, "pie-widget-empty.png");

    g_assert_nonnull (texture);
  }

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  tally_test_destroy_window (window);
}

static void
test_keyboard (void)
{
  g_autoptr (GListModel) models = make_models ();
  const TallyChartReadout *readout;
  GtkEventController *keys;
  GtkWidget *window;
  GtkWidget *chart;
  g_autofree char *text = NULL;

  chart = tally_pie_chart_new ();
  g_assert_true (gtk_widget_get_focusable (chart));
  tally_pie_chart_set_model (TALLY_PIE_CHART (chart), models);

  window = tally_test_present_chart (chart, 640, 280);
  keys = tally_test_find_controller (chart, GTK_TYPE_EVENT_CONTROLLER_KEY);
  /* the keys only: the machine's real pointer may rest over the window (a
   * CI screen puts it in the middle, where the window maps) */
  gtk_event_controller_set_propagation_phase (tally_test_find_controller (chart, GTK_TYPE_EVENT_CONTROLLER_MOTION),
                                              GTK_PHASE_NONE);

  tally_test_press_key (keys, GDK_KEY_Right);
  g_assert_cmpint (tally_pie_chart_get_hover_index (TALLY_PIE_CHART (chart)), ==, 0);
  tally_test_assert_description (chart, "claude-sonnet-4-5: billed cost $45.20 (45.2%)");
  readout = tally_chart_get_readout (TALLY_CHART (chart));
  text = tally_chart_readout_to_string (readout);
  g_assert_cmpstr (text, ==, "claude-sonnet-4-5\nBilled cost $45.20\nShare 45.2%");
  g_clear_pointer (&text, g_free);

  tally_test_press_key (keys, GDK_KEY_Right);
  tally_test_assert_description (chart, "claude-sonnet-4: billed cost $23.70 (23.7%)");

  tally_test_press_key (keys, GDK_KEY_End);
  g_assert_cmpint (tally_pie_chart_get_hover_index (TALLY_PIE_CHART (chart)), ==, 5);
  tally_test_assert_description (chart, "Other (4 models): billed cost $3.50 (3.5%); "
                                        "gpt-5 $1.50, gemini-2.5-pro $1.00, claude-3-5-haiku $0.50, deepseek-chat $0.50");
  readout = tally_chart_get_readout (TALLY_CHART (chart));
  text = tally_chart_readout_to_string (readout);
  g_assert_cmpstr (text, ==, "Other (4 models)\nBilled cost $3.50\nShare 3.5%\n"
                             "gpt-5 $1.50\ngemini-2.5-pro $1.00\nclaude-3-5-haiku $0.50\ndeepseek-chat $0.50");
  {
    g_autoptr (GdkTexture) texture = tally_test_render_widget (window, "pie-widget-keyboard.png");

    g_assert_nonnull (texture);
  }

  tally_test_press_key (keys, GDK_KEY_Left);
  tally_test_assert_description (chart, "claude-haiku-4-5: billed cost $3.00 (3.0%)");
  tally_test_press_key (keys, GDK_KEY_Home);
  g_assert_cmpint (tally_pie_chart_get_hover_index (TALLY_PIE_CHART (chart)), ==, 0);

  /* No readout covers its slice's anchor, at either size. */
  for (int narrow = 0; narrow <= 1; narrow++)
    {
      g_autoptr (TallyPieChartLayout) layout = tally_pie_chart_layout_new_for_model (models, TALLY_PIE_MEASURE_BILLED_COST,
                                                                                     narrow ? 360 : 640, narrow ? 220 : 280,
                                                                                     NULL);
      TallyChartPalette palette;

      tally_chart_palette_init_light (&palette);
      for (guint i = 0; i < tally_pie_chart_data_get_n_slices (tally_pie_chart_layout_get_data (layout)); i++)
        {
          g_autoptr (TallyChartReadout) slice_readout = tally_pie_chart_layout_new_readout (layout, i, &palette, NULL);
          graphene_rect_t box;
          graphene_rect_t overlap;
          double x, y;

          g_assert_true (tally_pie_chart_layout_get_anchor (layout, i, &x, &y));
          tally_chart_readout_get_box (slice_readout, &box);
          g_assert_false (graphene_rect_intersection (&box, &GRAPHENE_RECT_INIT (x - 4, y - 4, 8, 8), &overlap));
        }
    }

  tally_test_destroy_window (window);
}

int
main (int argc,
      char *argv[])
{
  tally_test_gtk_init_a11y (&argc, &argv);

  g_test_add_func ("/pie-chart/measure-enum", test_measure_enum);
  g_test_add_func ("/pie-chart/fold", test_fold);
  g_test_add_func ("/pie-chart/measures", test_measures);
  g_test_add_func ("/pie-chart/many-models", test_many_models);
  g_test_add_func ("/pie-chart/hit-test", test_hit_test);
  g_test_add_func ("/pie-chart/no-markup", test_no_markup);
  g_test_add_func ("/pie-chart/render", test_render);
  g_test_add_func ("/pie-chart/hover-highlight", test_hover_highlight);
  g_test_add_func ("/pie-chart/empty", test_empty);
  g_test_add_func ("/pie-chart/widget", test_widget);
  g_test_add_func ("/pie-chart/keyboard", test_keyboard);

  return g_test_run ();
}

/* tally-trend-chart.c: the dashboard's usage-over-time chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The widget only keeps caches (its base, TallyChart, routes the events): the
 * values are normalised once per model or series change (TallyTrendChartData),
 * placed once per size or font change (TallyTrendChartLayout) and painted once
 * per palette and scale into a texture. A pointer move or a key step only adds
 * the hover marker and the readout on top.
 *
 * The base is a texture rather than a cairo node on purpose: a cairo node
 * records the drawing and replays it on every frame, while a texture is
 * uploaded once, and drawing into an image lets the dense series use the
 * rasterised fast path of tally_trend_chart_draw().
 */

#define G_LOG_DOMAIN "tally-trend-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-chart-private.h"
#include "tally-trend-chart.h"

#define MIN_WIDTH 200
#define NAT_WIDTH 480
#define MIN_HEIGHT 160
#define NAT_HEIGHT 260
#define HOVER_MARGIN 8

struct _TallyTrendChart
{
  TallyChart parent_instance;

  TallyTrendSeries series;
  char *now;

  TallyTrendChartData *data;
  TallyTrendChartLayout *layout;
  GdkTexture *base_texture;
};

G_DEFINE_FINAL_TYPE (TallyTrendChart, tally_trend_chart, TALLY_TYPE_CHART)

enum
{
  PROP_0,
  PROP_SERIES,
  PROP_NOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
drop_rendering (TallyTrendChart *self)
{
  g_clear_object (&self->base_texture);
}

static char *
tally_trend_chart_reload (TallyChart *chart,
                          GListModel *model)
{
  TallyTrendChart *self = TALLY_TREND_CHART (chart);

  g_clear_pointer (&self->data, tally_trend_chart_data_unref);
  self->data = tally_trend_chart_data_new_at (model, self->series, self->now);

  return tally_trend_chart_data_describe (self->data);
}

static void
tally_trend_chart_build_layout (TallyChart *chart,
                                int width,
                                int height,
                                PangoContext *context)
{
  TallyTrendChart *self = TALLY_TREND_CHART (chart);

  self->layout = tally_trend_chart_layout_new (self->data, width, height, context);
}

static void
tally_trend_chart_drop_layout (TallyChart *chart)
{
  TallyTrendChart *self = TALLY_TREND_CHART (chart);

  g_clear_pointer (&self->layout, tally_trend_chart_layout_free);
  drop_rendering (self);
}

static int
tally_trend_chart_hit_test (TallyChart *chart,
                            double x,
                            double y)
{
  TallyTrendChart *self = TALLY_TREND_CHART (chart);

  if (tally_trend_chart_data_is_empty (self->data))
    return -1;

  return tally_trend_chart_layout_hit_test (self->layout, x, y);
}

static guint
tally_trend_chart_get_n_items (TallyChart *chart)
{
  TallyTrendChart *self = TALLY_TREND_CHART (chart);

  if (tally_trend_chart_data_is_empty (self->data))
    return 0;

  return tally_trend_chart_data_get_n_shown (self->data);
}

static char *
tally_trend_chart_describe_item (TallyChart *chart,
                                 int index)
{
  TallyTrendChart *self = TALLY_TREND_CHART (chart);

  return tally_trend_chart_data_describe_bucket (self->data, (guint) index);
}

static TallyChartReadout *
tally_trend_chart_new_readout (TallyChart *chart,
                               int index,
                               const TallyChartPalette *palette,
                               PangoContext *context)
{
  TallyTrendChart *self = TALLY_TREND_CHART (chart);

  return tally_trend_chart_layout_new_readout (self->layout, (guint) index, palette, context);
}

static void
tally_trend_chart_palette_changed (TallyChart *chart)
{
  drop_rendering (TALLY_TREND_CHART (chart));
}

static void
release_surface (gpointer data)
{
  cairo_surface_destroy (data);
}

/* The chart without hover, at the widget's scale, as a texture */
static GdkTexture *
render_base (TallyTrendChart *self,
             const TallyChartPalette *palette,
             int width,
             int height)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  g_autoptr (GBytes) bytes = NULL;
  cairo_surface_t *surface;
  GdkTexture *texture;
  cairo_t *cr;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  cairo_surface_set_device_scale (surface, scale, scale);
  cr = cairo_create (surface);
  tally_trend_chart_draw (cr, self->layout, palette, -1);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  /* Cairo's ARGB32 is premultiplied native-endian: GDK_MEMORY_DEFAULT. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * height * scale,
                                      release_surface, surface);
  texture = gdk_memory_texture_new (width * scale, height * scale, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));

  return texture;
}

static void
tally_trend_chart_snapshot (GtkWidget *widget,
                            GtkSnapshot *snapshot)
{
  TallyTrendChart *self = TALLY_TREND_CHART (widget);
  TallyChart *chart = TALLY_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int hover_index = tally_chart_get_hover_index (chart);
  const TallyChartPalette *palette;
  graphene_rect_t area;

  if (width <= 0 || height <= 0 || self->data == NULL)
    return;

  palette = _tally_chart_get_palette (chart);
  _tally_chart_ensure_layout (chart, width, height);

  if (self->base_texture == NULL)
    self->base_texture = render_base (self, palette, width, height);

  gtk_snapshot_append_texture (snapshot, self->base_texture, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* The hover marker goes on top, in a node only as big as its column. */
  if (hover_index >= 0 && tally_trend_chart_layout_get_bucket_area (self->layout, hover_index, &area))
    {
      cairo_t *cr;

      graphene_rect_inset (&area, -HOVER_MARGIN, -HOVER_MARGIN);
      cr = gtk_snapshot_append_cairo (snapshot, &area);
      tally_trend_chart_draw_hover (cr, self->layout, palette, hover_index);
      cairo_destroy (cr);
    }

  _tally_chart_snapshot_readout (chart, snapshot);
}

static void
on_scale_factor_changed (TallyTrendChart *self)
{
  drop_rendering (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
tally_trend_chart_dispose (GObject *object)
{
  TallyTrendChart *self = (TallyTrendChart *) object;

  _tally_chart_drop_layout (TALLY_CHART (self));
  g_clear_pointer (&self->data, tally_trend_chart_data_unref);

  G_OBJECT_CLASS (tally_trend_chart_parent_class)->dispose (object);
}

static void
tally_trend_chart_finalize (GObject *object)
{
  TallyTrendChart *self = (TallyTrendChart *) object;

  g_clear_pointer (&self->now, g_free);

  G_OBJECT_CLASS (tally_trend_chart_parent_class)->finalize (object);
}

static void
tally_trend_chart_get_property (GObject *object,
                                guint prop_id,
                                GValue *value,
                                GParamSpec *pspec)
{
  TallyTrendChart *self = TALLY_TREND_CHART (object);

  switch (prop_id)
    {
      case PROP_SERIES:
        g_value_set_enum (value, self->series);
        break;

      case PROP_NOW:
        g_value_set_string (value, self->now);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_trend_chart_set_property (GObject *object,
                                guint prop_id,
                                const GValue *value,
                                GParamSpec *pspec)
{
  TallyTrendChart *self = TALLY_TREND_CHART (object);

  switch (prop_id)
    {
      case PROP_SERIES:
        tally_trend_chart_set_series (self, g_value_get_enum (value));
        break;

      case PROP_NOW:
        tally_trend_chart_set_now (self, g_value_get_string (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_trend_chart_class_init (TallyTrendChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TallyChartClass *chart_class = TALLY_CHART_CLASS (klass);

  object_class->dispose = tally_trend_chart_dispose;
  object_class->finalize = tally_trend_chart_finalize;
  object_class->get_property = tally_trend_chart_get_property;
  object_class->set_property = tally_trend_chart_set_property;

  widget_class->snapshot = tally_trend_chart_snapshot;

  chart_class->min_width = MIN_WIDTH;
  chart_class->natural_width = NAT_WIDTH;
  chart_class->min_height = MIN_HEIGHT;
  chart_class->natural_height = NAT_HEIGHT;
  chart_class->reload = tally_trend_chart_reload;
  chart_class->build_layout = tally_trend_chart_build_layout;
  chart_class->drop_layout = tally_trend_chart_drop_layout;
  chart_class->hit_test = tally_trend_chart_hit_test;
  chart_class->get_n_items = tally_trend_chart_get_n_items;
  chart_class->describe_item = tally_trend_chart_describe_item;
  chart_class->new_readout = tally_trend_chart_new_readout;
  chart_class->palette_changed = tally_trend_chart_palette_changed;

  properties[PROP_SERIES] = g_param_spec_enum ("series", NULL, NULL,
                                               TALLY_TYPE_TREND_SERIES,
                                               TALLY_TREND_SERIES_BILLED_COST,
                                               (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The server's wall-clock time the data is as of, "YYYY-MM-DD HH:MM"
   * (NULL = every bucket is complete): see tally_trend_chart_data_new_at(). */
  properties[PROP_NOW] = g_param_spec_string ("now", NULL, NULL,
                                              NULL,
                                              (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "trendchart");
}

static void
tally_trend_chart_init (TallyTrendChart *self)
{
  self->series = TALLY_TREND_SERIES_BILLED_COST;

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_changed), NULL);

  _tally_chart_reload (TALLY_CHART (self));
}

GtkWidget *
tally_trend_chart_new (void)
{
  return g_object_new (TALLY_TYPE_TREND_CHART, NULL);
}

/**
 * tally_trend_chart_get_model:
 *
 * Returns: (transfer none) (nullable): the points
 */
GListModel *
tally_trend_chart_get_model (TallyTrendChart *self)
{
  g_return_val_if_fail (TALLY_IS_TREND_CHART (self), NULL);

  return tally_chart_get_model (TALLY_CHART (self));
}

void
tally_trend_chart_set_model (TallyTrendChart *self,
                             GListModel *model)
{
  g_return_if_fail (TALLY_IS_TREND_CHART (self));

  tally_chart_set_model (TALLY_CHART (self), model);
}

TallyTrendSeries
tally_trend_chart_get_series (TallyTrendChart *self)
{
  g_return_val_if_fail (TALLY_IS_TREND_CHART (self), TALLY_TREND_SERIES_BILLED_COST);

  return self->series;
}

void
tally_trend_chart_set_series (TallyTrendChart *self,
                              TallyTrendSeries series)
{
  g_return_if_fail (TALLY_IS_TREND_CHART (self));

  if (self->series == series)
    return;

  self->series = series;
  _tally_chart_reload (TALLY_CHART (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERIES]);
}

const char *
tally_trend_chart_get_now (TallyTrendChart *self)
{
  g_return_val_if_fail (TALLY_IS_TREND_CHART (self), NULL);

  return self->now;
}

void
tally_trend_chart_set_now (TallyTrendChart *self,
                           const char *now)
{
  g_return_if_fail (TALLY_IS_TREND_CHART (self));

  if (g_strcmp0 (self->now, now) == 0)
    return;

  g_free (self->now);
  self->now = g_strdup (now);
  _tally_chart_reload (TALLY_CHART (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW]);
}

const char *
tally_trend_chart_get_summary (TallyTrendChart *self)
{
  g_return_val_if_fail (TALLY_IS_TREND_CHART (self), NULL);

  return tally_chart_get_summary (TALLY_CHART (self));
}

int
tally_trend_chart_get_hover_index (TallyTrendChart *self)
{
  g_return_val_if_fail (TALLY_IS_TREND_CHART (self), -1);

  return tally_chart_get_hover_index (TALLY_CHART (self));
}

/* tally-trend-chart.c: the dashboard's usage-over-time chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The widget only keeps caches and routes events: the values are normalised
 * once per model or series change (TallyTrendChartData), placed once per size
 * or font change (TallyTrendChartLayout) and painted once per palette and
 * scale into a texture. A pointer move only adds the hover marker on top.
 *
 * The base is a texture rather than a cairo node on purpose: a cairo node
 * records the drawing and replays it on every frame, while a texture is
 * uploaded once, and drawing into an image lets the dense series use the
 * rasterised fast path of tally_trend_chart_draw().
 */

#define G_LOG_DOMAIN "tally-trend-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-chart-palette-gtk.h"
#include "tally-trend-chart.h"

#define MIN_WIDTH 200
#define NAT_WIDTH 480
#define MIN_HEIGHT 160
#define NAT_HEIGHT 260
#define HOVER_MARGIN 8

struct _TallyTrendChart
{
  GtkWidget parent_instance;

  GListModel *model;
  TallyTrendSeries series;

  TallyTrendChartData *data;
  TallyTrendChartLayout *layout;
  PangoFontDescription *layout_font;
  GdkTexture *base_texture;
  TallyChartPalette palette;
  gboolean palette_valid;

  char *summary;
  int hover_index;
};

G_DEFINE_FINAL_TYPE (TallyTrendChart, tally_trend_chart, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_SERIES,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
drop_rendering (TallyTrendChart *self)
{
  g_clear_object (&self->base_texture);
}

static void
drop_layout (TallyTrendChart *self)
{
  g_clear_pointer (&self->layout, tally_trend_chart_layout_free);
  g_clear_pointer (&self->layout_font, pango_font_description_free);
  drop_rendering (self);
}

static void
set_hover_index (TallyTrendChart *self,
                 int hover_index)
{
  if (self->hover_index == hover_index)
    return;

  self->hover_index = hover_index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_data (TallyTrendChart *self)
{
  g_autofree char *summary = NULL;

  g_assert (TALLY_IS_TREND_CHART (self));

  drop_layout (self);
  g_clear_pointer (&self->data, tally_trend_chart_data_unref);
  self->data = tally_trend_chart_data_new (self->model, self->series);
  self->hover_index = -1;

  summary = tally_trend_chart_data_describe (self->data);
  if (g_strcmp0 (summary, self->summary) != 0)
    {
      g_free (self->summary);
      self->summary = g_steal_pointer (&summary);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, self->summary,
                                      -1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_items_changed (TallyTrendChart *self,
                  guint position,
                  guint removed,
                  guint added,
                  GListModel *model)
{
  update_data (self);
}

static void
ensure_palette (TallyTrendChart *self)
{
  TallyChartPalette palette;

  if (self->palette_valid)
    return;

  tally_chart_palette_init_from_widget (&palette, GTK_WIDGET (self));
  if (!tally_chart_palette_equal (&palette, &self->palette))
    {
      self->palette = palette;
      drop_rendering (self);
    }
  self->palette_valid = TRUE;
}

static TallyTrendChartLayout *
ensure_layout (TallyTrendChart *self,
               int width,
               int height)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  const PangoFontDescription *font = pango_context_get_font_description (context);

  if (self->layout != NULL && (tally_trend_chart_layout_get_width (self->layout) != width || tally_trend_chart_layout_get_height (self->layout) != height || self->layout_font == NULL || font == NULL || !pango_font_description_equal (self->layout_font, font)))
    drop_layout (self);

  if (self->layout == NULL)
    {
      self->layout = tally_trend_chart_layout_new (self->data, width, height, context);
      self->layout_font = font != NULL ? pango_font_description_copy (font) : NULL;
    }

  return self->layout;
}

static void
release_surface (gpointer data)
{
  cairo_surface_destroy (data);
}

/* The chart without hover, at the widget's scale, as a texture */
static GdkTexture *
render_base (TallyTrendChart *self,
             TallyTrendChartLayout *layout,
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
  tally_trend_chart_draw (cr, layout, &self->palette, -1);
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
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  TallyTrendChartLayout *layout;
  graphene_rect_t area;

  if (width <= 0 || height <= 0 || self->data == NULL)
    return;

  ensure_palette (self);
  layout = ensure_layout (self, width, height);

  if (self->base_texture == NULL)
    self->base_texture = render_base (self, layout, width, height);

  gtk_snapshot_append_texture (snapshot, self->base_texture, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* The hover marker goes on top, in a node only as big as its column. */
  if (self->hover_index >= 0 && tally_trend_chart_layout_get_bucket_area (layout, self->hover_index, &area))
    {
      cairo_t *cr;

      graphene_rect_inset (&area, -HOVER_MARGIN, -HOVER_MARGIN);
      cr = gtk_snapshot_append_cairo (snapshot, &area);
      tally_trend_chart_draw_hover (cr, layout, &self->palette, self->hover_index);
      cairo_destroy (cr);
    }
}

static void
tally_trend_chart_measure (GtkWidget *widget,
                           GtkOrientation orientation,
                           int for_size,
                           int *minimum,
                           int *natural,
                           int *minimum_baseline,
                           int *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = NAT_WIDTH;
    }
  else
    {
      *minimum = MIN_HEIGHT;
      *natural = NAT_HEIGHT;
    }
}

static void
tally_trend_chart_css_changed (GtkWidget *widget,
                               GtkCssStyleChange *change)
{
  TallyTrendChart *self = TALLY_TREND_CHART (widget);

  GTK_WIDGET_CLASS (tally_trend_chart_parent_class)->css_changed (widget, change);

  /* Dark mode, high contrast and accent changes arrive here. The caches are
   * only dropped when the colours or the font really changed. */
  self->palette_valid = FALSE;
  gtk_widget_queue_draw (widget);
}

static void
tally_trend_chart_system_setting_changed (GtkWidget *widget,
                                          GtkSystemSetting setting)
{
  TallyTrendChart *self = TALLY_TREND_CHART (widget);

  GTK_WIDGET_CLASS (tally_trend_chart_parent_class)->system_setting_changed (widget, setting);

  drop_layout (self);
  gtk_widget_queue_draw (widget);
}

static gboolean
tally_trend_chart_query_tooltip (GtkWidget *widget,
                                 int x,
                                 int y,
                                 gboolean keyboard_mode,
                                 GtkTooltip *tooltip)
{
  TallyTrendChart *self = TALLY_TREND_CHART (widget);
  g_autofree char *text = NULL;
  graphene_rect_t area;
  int index;

  if (self->layout == NULL || keyboard_mode)
    return FALSE;

  index = tally_trend_chart_layout_hit_test (self->layout, x, y);
  if (index < 0 || tally_trend_chart_data_is_empty (self->data))
    return FALSE;

  /* Plain text: dates and numbers only, never markup. */
  text = tally_trend_chart_data_describe_bucket (self->data, index);
  gtk_tooltip_set_text (tooltip, text);

  if (tally_trend_chart_layout_get_bucket_area (self->layout, index, &area))
    gtk_tooltip_set_tip_area (tooltip,
                              &(GdkRectangle){
                                  (int) area.origin.x,
                                  (int) area.origin.y,
                                  MAX (1, (int) area.size.width),
                                  (int) area.size.height,
                              });

  return TRUE;
}

static void
on_motion (TallyTrendChart *self,
           double x,
           double y,
           GtkEventControllerMotion *controller)
{
  int index = -1;

  if (self->layout != NULL && !tally_trend_chart_data_is_empty (self->data))
    index = tally_trend_chart_layout_hit_test (self->layout, x, y);

  set_hover_index (self, index);
}

static void
on_leave (TallyTrendChart *self,
          GtkEventControllerMotion *controller)
{
  set_hover_index (self, -1);
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

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed, self);
  g_clear_object (&self->model);
  drop_layout (self);
  g_clear_pointer (&self->data, tally_trend_chart_data_unref);

  G_OBJECT_CLASS (tally_trend_chart_parent_class)->dispose (object);
}

static void
tally_trend_chart_finalize (GObject *object)
{
  TallyTrendChart *self = (TallyTrendChart *) object;

  g_clear_pointer (&self->summary, g_free);

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
      case PROP_MODEL:
        g_value_set_object (value, self->model);
        break;

      case PROP_SERIES:
        g_value_set_enum (value, self->series);
        break;

      case PROP_SUMMARY:
        g_value_set_string (value, self->summary);
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
      case PROP_MODEL:
        tally_trend_chart_set_model (self, g_value_get_object (value));
        break;

      case PROP_SERIES:
        tally_trend_chart_set_series (self, g_value_get_enum (value));
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

  object_class->dispose = tally_trend_chart_dispose;
  object_class->finalize = tally_trend_chart_finalize;
  object_class->get_property = tally_trend_chart_get_property;
  object_class->set_property = tally_trend_chart_set_property;

  widget_class->snapshot = tally_trend_chart_snapshot;
  widget_class->measure = tally_trend_chart_measure;
  widget_class->css_changed = tally_trend_chart_css_changed;
  widget_class->system_setting_changed = tally_trend_chart_system_setting_changed;
  widget_class->query_tooltip = tally_trend_chart_query_tooltip;

  properties[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL,
                                                G_TYPE_LIST_MODEL,
                                                (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SERIES] = g_param_spec_enum ("series", NULL, NULL,
                                               TALLY_TYPE_TREND_SERIES,
                                               TALLY_TREND_SERIES_BILLED_COST,
                                               (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "trendchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tally_trend_chart_init (TallyTrendChart *self)
{
  GtkEventController *motion;

  self->series = TALLY_TREND_SERIES_BILLED_COST;
  self->hover_index = -1;

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_object (motion, "enter", G_CALLBACK (on_motion), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "motion", G_CALLBACK (on_motion), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave", G_CALLBACK (on_leave), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_changed), NULL);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

  update_data (self);
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

  return self->model;
}

void
tally_trend_chart_set_model (TallyTrendChart *self,
                             GListModel *model)
{
  g_return_if_fail (TALLY_IS_TREND_CHART (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed, self);

  g_set_object (&self->model, model);

  if (self->model != NULL)
    g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_items_changed), self,
                             G_CONNECT_SWAPPED);

  update_data (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
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
  update_data (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERIES]);
}

const char *
tally_trend_chart_get_summary (TallyTrendChart *self)
{
  g_return_val_if_fail (TALLY_IS_TREND_CHART (self), NULL);

  return self->summary;
}

int
tally_trend_chart_get_hover_index (TallyTrendChart *self)
{
  g_return_val_if_fail (TALLY_IS_TREND_CHART (self), -1);

  return self->hover_index;
}

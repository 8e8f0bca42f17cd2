/* tally-pie-chart.c: the dashboard's share-by-model donut with its legend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The widget only keeps caches and routes events: the slices are sorted and
 * folded once per model or measure change (TallyPieChartData) and placed once
 * per size or font change (TallyPieChartLayout). A frame paints a handful of
 * arcs and texts, so the chart is simply redrawn when the hovered slice changes.
 */

#define G_LOG_DOMAIN "tally-pie-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-chart-palette-gtk.h"
#include "tally-pie-chart.h"

#define MIN_WIDTH 200
#define NAT_WIDTH 420
#define MIN_HEIGHT 160
#define NAT_HEIGHT 220

struct _TallyPieChart
{
  GtkWidget parent_instance;

  GListModel *model;
  TallyPieMeasure measure;

  TallyPieChartData *data;
  TallyPieChartLayout *layout;
  PangoFontDescription *layout_font;
  TallyChartPalette palette;
  gboolean palette_valid;

  char *summary;
  int hover_index;
};

G_DEFINE_FINAL_TYPE (TallyPieChart, tally_pie_chart, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_MEASURE,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
drop_layout (TallyPieChart *self)
{
  g_clear_pointer (&self->layout, tally_pie_chart_layout_free);
  g_clear_pointer (&self->layout_font, pango_font_description_free);
}

static void
set_hover_index (TallyPieChart *self,
                 int hover_index)
{
  if (self->hover_index == hover_index)
    return;

  self->hover_index = hover_index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_data (TallyPieChart *self)
{
  g_autofree char *summary = NULL;

  g_assert (TALLY_IS_PIE_CHART (self));

  drop_layout (self);
  g_clear_pointer (&self->data, tally_pie_chart_data_unref);
  self->data = tally_pie_chart_data_new (self->model, self->measure);
  self->hover_index = -1;

  summary = tally_pie_chart_data_describe (self->data);
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
on_items_changed (TallyPieChart *self,
                  guint position,
                  guint removed,
                  guint added,
                  GListModel *model)
{
  update_data (self);
}

static void
ensure_palette (TallyPieChart *self)
{
  if (self->palette_valid)
    return;

  tally_chart_palette_init_from_widget (&self->palette, GTK_WIDGET (self));
  self->palette_valid = TRUE;
}

static TallyPieChartLayout *
ensure_layout (TallyPieChart *self,
               int width,
               int height)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  const PangoFontDescription *font = pango_context_get_font_description (context);

  if (self->layout != NULL && (tally_pie_chart_layout_get_width (self->layout) != width || tally_pie_chart_layout_get_height (self->layout) != height || self->layout_font == NULL || font == NULL || !pango_font_description_equal (self->layout_font, font)))
    drop_layout (self);

  if (self->layout == NULL)
    {
      self->layout = tally_pie_chart_layout_new (self->data, width, height, context);
      self->layout_font = font != NULL ? pango_font_description_copy (font) : NULL;
    }

  return self->layout;
}

static void
tally_pie_chart_snapshot (GtkWidget *widget,
                          GtkSnapshot *snapshot)
{
  TallyPieChart *self = TALLY_PIE_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  TallyPieChartLayout *layout;
  cairo_t *cr;

  if (width <= 0 || height <= 0 || self->data == NULL)
    return;

  ensure_palette (self);
  layout = ensure_layout (self, width, height);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  tally_pie_chart_draw (cr, layout, &self->palette, self->hover_index);
  cairo_destroy (cr);
}

static void
tally_pie_chart_measure (GtkWidget *widget,
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
tally_pie_chart_css_changed (GtkWidget *widget,
                             GtkCssStyleChange *change)
{
  TallyPieChart *self = TALLY_PIE_CHART (widget);

  GTK_WIDGET_CLASS (tally_pie_chart_parent_class)->css_changed (widget, change);

  /* Dark mode, high contrast and accent changes arrive here: the palette is
   * read again on the next frame (a font change is noticed by ensure_layout). */
  self->palette_valid = FALSE;
  gtk_widget_queue_draw (widget);
}

static void
tally_pie_chart_system_setting_changed (GtkWidget *widget,
                                        GtkSystemSetting setting)
{
  TallyPieChart *self = TALLY_PIE_CHART (widget);

  GTK_WIDGET_CLASS (tally_pie_chart_parent_class)->system_setting_changed (widget, setting);

  drop_layout (self);
  gtk_widget_queue_draw (widget);
}

static gboolean
tally_pie_chart_query_tooltip (GtkWidget *widget,
                               int x,
                               int y,
                               gboolean keyboard_mode,
                               GtkTooltip *tooltip)
{
  TallyPieChart *self = TALLY_PIE_CHART (widget);
  g_autofree char *text = NULL;
  graphene_rect_t area;
  int index;

  if (self->layout == NULL || keyboard_mode)
    return FALSE;

  index = tally_pie_chart_layout_hit_test (self->layout, x, y);
  if (index < 0)
    return FALSE;

  /* Model names come from the server: plain text, never markup. */
  text = tally_pie_chart_data_describe_slice (self->data, index);
  gtk_tooltip_set_text (tooltip, text);

  /* A legend row is the tip area for its row; on the ring, the pointer's
   * neighbourhood (a slice is not a rectangle). */
  if (!tally_pie_chart_layout_get_legend_row (self->layout, index, &area) || !graphene_rect_contains_point (&area, &GRAPHENE_POINT_INIT (x, y)))
    graphene_rect_init (&area, x - 4, y - 4, 8, 8);

  gtk_tooltip_set_tip_area (tooltip,
                            &(GdkRectangle){
                                (int) area.origin.x,
                                (int) area.origin.y,
                                MAX (1, (int) area.size.width),
                                MAX (1, (int) area.size.height),
                            });

  return TRUE;
}

static void
on_motion (TallyPieChart *self,
           double x,
           double y,
           GtkEventControllerMotion *controller)
{
  int index = -1;

  if (self->layout != NULL)
    index = tally_pie_chart_layout_hit_test (self->layout, x, y);

  set_hover_index (self, index);
}

static void
on_leave (TallyPieChart *self,
          GtkEventControllerMotion *controller)
{
  set_hover_index (self, -1);
}

static void
tally_pie_chart_dispose (GObject *object)
{
  TallyPieChart *self = (TallyPieChart *) object;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed, self);
  g_clear_object (&self->model);
  drop_layout (self);
  g_clear_pointer (&self->data, tally_pie_chart_data_unref);

  G_OBJECT_CLASS (tally_pie_chart_parent_class)->dispose (object);
}

static void
tally_pie_chart_finalize (GObject *object)
{
  TallyPieChart *self = (TallyPieChart *) object;

  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (tally_pie_chart_parent_class)->finalize (object);
}

static void
tally_pie_chart_get_property (GObject *object,
                              guint prop_id,
                              GValue *value,
                              GParamSpec *pspec)
{
  TallyPieChart *self = TALLY_PIE_CHART (object);

  switch (prop_id)
    {
      case PROP_MODEL:
        g_value_set_object (value, self->model);
        break;

      case PROP_MEASURE:
        g_value_set_enum (value, self->measure);
        break;

      case PROP_SUMMARY:
        g_value_set_string (value, self->summary);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_pie_chart_set_property (GObject *object,
                              guint prop_id,
                              const GValue *value,
                              GParamSpec *pspec)
{
  TallyPieChart *self = TALLY_PIE_CHART (object);

  switch (prop_id)
    {
      case PROP_MODEL:
        tally_pie_chart_set_model (self, g_value_get_object (value));
        break;

      case PROP_MEASURE:
        tally_pie_chart_set_measure (self, g_value_get_enum (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_pie_chart_class_init (TallyPieChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tally_pie_chart_dispose;
  object_class->finalize = tally_pie_chart_finalize;
  object_class->get_property = tally_pie_chart_get_property;
  object_class->set_property = tally_pie_chart_set_property;

  widget_class->snapshot = tally_pie_chart_snapshot;
  widget_class->measure = tally_pie_chart_measure;
  widget_class->css_changed = tally_pie_chart_css_changed;
  widget_class->system_setting_changed = tally_pie_chart_system_setting_changed;
  widget_class->query_tooltip = tally_pie_chart_query_tooltip;

  properties[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL,
                                                G_TYPE_LIST_MODEL,
                                                (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MEASURE] = g_param_spec_enum ("measure", NULL, NULL,
                                                TALLY_TYPE_PIE_MEASURE,
                                                TALLY_PIE_MEASURE_BILLED_COST,
                                                (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "piechart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tally_pie_chart_init (TallyPieChart *self)
{
  GtkEventController *motion;

  self->measure = TALLY_PIE_MEASURE_BILLED_COST;
  self->hover_index = -1;

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_object (motion, "enter", G_CALLBACK (on_motion), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "motion", G_CALLBACK (on_motion), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave", G_CALLBACK (on_leave), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

  update_data (self);
}

GtkWidget *
tally_pie_chart_new (void)
{
  return g_object_new (TALLY_TYPE_PIE_CHART, NULL);
}

/**
 * tally_pie_chart_get_model:
 *
 * Returns: (transfer none) (nullable): the model statistics
 */
GListModel *
tally_pie_chart_get_model (TallyPieChart *self)
{
  g_return_val_if_fail (TALLY_IS_PIE_CHART (self), NULL);

  return self->model;
}

void
tally_pie_chart_set_model (TallyPieChart *self,
                           GListModel *model)
{
  g_return_if_fail (TALLY_IS_PIE_CHART (self));
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

TallyPieMeasure
tally_pie_chart_get_measure (TallyPieChart *self)
{
  g_return_val_if_fail (TALLY_IS_PIE_CHART (self), TALLY_PIE_MEASURE_BILLED_COST);

  return self->measure;
}

void
tally_pie_chart_set_measure (TallyPieChart *self,
                             TallyPieMeasure measure)
{
  g_return_if_fail (TALLY_IS_PIE_CHART (self));

  if (self->measure == measure)
    return;

  self->measure = measure;
  update_data (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEASURE]);
}

const char *
tally_pie_chart_get_summary (TallyPieChart *self)
{
  g_return_val_if_fail (TALLY_IS_PIE_CHART (self), NULL);

  return self->summary;
}

int
tally_pie_chart_get_hover_index (TallyPieChart *self)
{
  g_return_val_if_fail (TALLY_IS_PIE_CHART (self), -1);

  return self->hover_index;
}

/* tally-pie-chart.c: the dashboard's share-by-model donut with its legend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The widget only keeps caches (its base, TallyChart, routes the events): the
 * slices are sorted and folded once per model or measure change
 * (TallyPieChartData) and placed once per size or font change
 * (TallyPieChartLayout). A frame paints a handful of arcs and texts, so the
 * chart is simply redrawn when the hovered slice changes.
 */

#define G_LOG_DOMAIN "tally-pie-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-chart-private.h"
#include "tally-pie-chart.h"

#define MIN_WIDTH 200
#define NAT_WIDTH 420
#define MIN_HEIGHT 160
#define NAT_HEIGHT 220

struct _TallyPieChart
{
  TallyChart parent_instance;

  TallyPieMeasure measure;

  TallyPieChartData *data;
  TallyPieChartLayout *layout;
};

G_DEFINE_FINAL_TYPE (TallyPieChart, tally_pie_chart, TALLY_TYPE_CHART)

enum
{
  PROP_0,
  PROP_MEASURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
tally_pie_chart_reload (TallyChart *chart,
                        GListModel *model)
{
  TallyPieChart *self = TALLY_PIE_CHART (chart);

  g_clear_pointer (&self->data, tally_pie_chart_data_unref);
  self->data = tally_pie_chart_data_new (model, self->measure);

  return tally_pie_chart_data_describe (self->data);
}

static void
tally_pie_chart_build_layout (TallyChart *chart,
                              int width,
                              int height,
                              PangoContext *context)
{
  TallyPieChart *self = TALLY_PIE_CHART (chart);

  self->layout = tally_pie_chart_layout_new (self->data, width, height, context);
}

static void
tally_pie_chart_drop_layout (TallyChart *chart)
{
  TallyPieChart *self = TALLY_PIE_CHART (chart);

  g_clear_pointer (&self->layout, tally_pie_chart_layout_free);
}

static int
tally_pie_chart_hit_test (TallyChart *chart,
                          double x,
                          double y)
{
  TallyPieChart *self = TALLY_PIE_CHART (chart);

  return tally_pie_chart_layout_hit_test (self->layout, x, y);
}

static guint
tally_pie_chart_get_n_items (TallyChart *chart)
{
  TallyPieChart *self = TALLY_PIE_CHART (chart);

  if (tally_pie_chart_data_is_empty (self->data))
    return 0;

  return tally_pie_chart_data_get_n_slices (self->data);
}

static char *
tally_pie_chart_describe_item (TallyChart *chart,
                               int index)
{
  TallyPieChart *self = TALLY_PIE_CHART (chart);

  /* Model names come from the server: plain text, never markup. */
  return tally_pie_chart_data_describe_slice (self->data, (guint) index);
}

static TallyChartReadout *
tally_pie_chart_new_readout (TallyChart *chart,
                             int index,
                             const TallyChartPalette *palette,
                             PangoContext *context)
{
  TallyPieChart *self = TALLY_PIE_CHART (chart);

  return tally_pie_chart_layout_new_readout (self->layout, (guint) index, palette, context);
}

static void
tally_pie_chart_snapshot (GtkWidget *widget,
                          GtkSnapshot *snapshot)
{
  TallyPieChart *self = TALLY_PIE_CHART (widget);
  TallyChart *chart = TALLY_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  const TallyChartPalette *palette;
  cairo_t *cr;

  if (width <= 0 || height <= 0 || self->data == NULL)
    return;

  palette = _tally_chart_get_palette (chart);
  _tally_chart_ensure_layout (chart, width, height);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  tally_pie_chart_draw (cr, self->layout, palette, tally_chart_get_hover_index (chart));
  cairo_destroy (cr);

  _tally_chart_snapshot_readout (chart, snapshot);
}

static void
tally_pie_chart_dispose (GObject *object)
{
  TallyPieChart *self = (TallyPieChart *) object;

  _tally_chart_drop_layout (TALLY_CHART (self));
  g_clear_pointer (&self->data, tally_pie_chart_data_unref);

  G_OBJECT_CLASS (tally_pie_chart_parent_class)->dispose (object);
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
      case PROP_MEASURE:
        g_value_set_enum (value, self->measure);
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
  TallyChartClass *chart_class = TALLY_CHART_CLASS (klass);

  object_class->dispose = tally_pie_chart_dispose;
  object_class->get_property = tally_pie_chart_get_property;
  object_class->set_property = tally_pie_chart_set_property;

  widget_class->snapshot = tally_pie_chart_snapshot;

  chart_class->min_width = MIN_WIDTH;
  chart_class->natural_width = NAT_WIDTH;
  chart_class->min_height = MIN_HEIGHT;
  chart_class->natural_height = NAT_HEIGHT;
  chart_class->reload = tally_pie_chart_reload;
  chart_class->build_layout = tally_pie_chart_build_layout;
  chart_class->drop_layout = tally_pie_chart_drop_layout;
  chart_class->hit_test = tally_pie_chart_hit_test;
  chart_class->get_n_items = tally_pie_chart_get_n_items;
  chart_class->describe_item = tally_pie_chart_describe_item;
  chart_class->new_readout = tally_pie_chart_new_readout;

  properties[PROP_MEASURE] = g_param_spec_enum ("measure", NULL, NULL,
                                                TALLY_TYPE_PIE_MEASURE,
                                                TALLY_PIE_MEASURE_BILLED_COST,
                                                (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "piechart");
}

static void
tally_pie_chart_init (TallyPieChart *self)
{
  self->measure = TALLY_PIE_MEASURE_BILLED_COST;

  _tally_chart_reload (TALLY_CHART (self));
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

  return tally_chart_get_model (TALLY_CHART (self));
}

void
tally_pie_chart_set_model (TallyPieChart *self,
                           GListModel *model)
{
  g_return_if_fail (TALLY_IS_PIE_CHART (self));

  tally_chart_set_model (TALLY_CHART (self), model);
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
  _tally_chart_reload (TALLY_CHART (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEASURE]);
}

const char *
tally_pie_chart_get_summary (TallyPieChart *self)
{
  g_return_val_if_fail (TALLY_IS_PIE_CHART (self), NULL);

  return tally_chart_get_summary (TALLY_CHART (self));
}

int
tally_pie_chart_get_hover_index (TallyPieChart *self)
{
  g_return_val_if_fail (TALLY_IS_PIE_CHART (self), -1);

  return tally_chart_get_hover_index (TALLY_CHART (self));
}

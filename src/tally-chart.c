/* tally-chart.c: the base of the dashboard's charts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The widget side every chart shares: it follows the model, keeps the summary
 * and the accessible label, routes the pointer to the item under it, reads
 * the palette once per style change and tells its subclass when the layout
 * has to be placed again (a new size, a new font, a font setting).
 */

#define G_LOG_DOMAIN "tally-chart"

#include "config.h"

#include "tally-chart-palette-gtk.h"
#include "tally-chart-private.h"

typedef struct
{
  GListModel *model;

  /* what the subclass's layout was made for */
  gboolean has_layout;
  int layout_width;
  int layout_height;
  PangoFontDescription *layout_font;

  TallyChartPalette palette;
  gboolean palette_valid;

  char *summary;
  int hover_index;
  /* where the pointer was last seen over the chart (has_pointer) */
  gboolean has_pointer;
  double pointer_x;
  double pointer_y;
  gboolean hover_from_keys; /* stepped to with the keys, not under the pointer */
  TallyChartReadout *readout;
  int readout_index;
} TallyChartPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (TallyChart, tally_chart, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
drop_readout (TallyChart *self)
{
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);

  g_clear_pointer (&priv->readout, tally_chart_readout_free);
  priv->readout_index = -1;
}

/* The accessible description tells the item shown, in words. */
static void
update_description (TallyChart *self)
{
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);

  if (priv->hover_index >= 0)
    {
      g_autofree char *text = TALLY_CHART_GET_CLASS (self)->describe_item (self, priv->hover_index);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
    }
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
set_hover_index (TallyChart *self,
                 int hover_index,
                 gboolean from_keys)
{
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);

  priv->hover_from_keys = hover_index >= 0 && from_keys;

  if (priv->hover_index == hover_index)
    return;

  priv->hover_index = hover_index;
  drop_readout (self);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_tally_chart_drop_layout (TallyChart *self)
{
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);

  g_assert (TALLY_IS_CHART (self));

  TALLY_CHART_GET_CLASS (self)->drop_layout (self);
  g_clear_pointer (&priv->layout_font, pango_font_description_free);
  priv->has_layout = FALSE;
  drop_readout (self);
}

void
_tally_chart_reload (TallyChart *self)
{
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);
  g_autofree char *summary = NULL;

  g_assert (TALLY_IS_CHART (self));

  _tally_chart_drop_layout (self);
  summary = TALLY_CHART_GET_CLASS (self)->reload (self, priv->model);
  priv->hover_index = -1;
  priv->hover_from_keys = FALSE;
  update_description (self);

  if (g_strcmp0 (summary, priv->summary) != 0)
    {
      g_free (priv->summary);
      priv->summary = g_steal_pointer (&summary);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, priv->summary,
                                      -1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_items_changed (TallyChart *self,
                  guint position,
                  guint removed,
                  guint added,
                  GListModel *model)
{
  _tally_chart_reload (self);
}

const TallyChartPalette *
_tally_chart_get_palette (TallyChart *self)
{
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);
  TallyChartPalette palette;

  g_assert (TALLY_IS_CHART (self));

  if (priv->palette_valid)
    return &priv->palette;

  tally_chart_palette_init_from_widget (&palette, GTK_WIDGET (self));
  if (!tally_chart_palette_equal (&palette, &priv->palette))
    {
      priv->palette = palette;
      drop_readout (self);
      if (TALLY_CHART_GET_CLASS (self)->palette_changed != NULL)
        TALLY_CHART_GET_CLASS (self)->palette_changed (self);
    }
  priv->palette_valid = TRUE;

  return &priv->palette;
}

void
_tally_chart_ensure_layout (TallyChart *self,
                            int width,
                            int height)
{
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  const PangoFontDescription *font = pango_context_get_font_description (context);

  g_assert (TALLY_IS_CHART (self));

  if (priv->has_layout && (priv->layout_width != width || priv->layout_height != height || priv->layout_font == NULL || font == NULL || !pango_font_description_equal (priv->layout_font, font)))
    _tally_chart_drop_layout (self);

  if (!priv->has_layout)
    {
      TALLY_CHART_GET_CLASS (self)->build_layout (self, width, height, context);
      priv->has_layout = TRUE;
      priv->layout_width = width;
      priv->layout_height = height;
      priv->layout_font = font != NULL ? pango_font_description_copy (font) : NULL;
    }
}

static void
tally_chart_measure (GtkWidget *widget,
                     GtkOrientation orientation,
                     int for_size,
                     int *minimum,
                     int *natural,
                     int *minimum_baseline,
                     int *natural_baseline)
{
  TallyChartClass *klass = TALLY_CHART_GET_CLASS (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = klass->min_width;
      *natural = klass->natural_width;
    }
  else
    {
      *minimum = klass->min_height;
      *natural = klass->natural_height;
    }
}

static void
tally_chart_css_changed (GtkWidget *widget,
                         GtkCssStyleChange *change)
{
  TallyChart *self = TALLY_CHART (widget);
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);

  GTK_WIDGET_CLASS (tally_chart_parent_class)->css_changed (widget, change);

  /* Dark mode, high contrast and accent changes arrive here: the palette is
   * read again on the next frame, and what was drawn from it is only dropped
   * when the colours really changed (a font change is noticed by
   * _tally_chart_ensure_layout()). */
  priv->palette_valid = FALSE;
  gtk_widget_queue_draw (widget);
}

static void
tally_chart_system_setting_changed (GtkWidget *widget,
                                    GtkSystemSetting setting)
{
  TallyChart *self = TALLY_CHART (widget);

  GTK_WIDGET_CLASS (tally_chart_parent_class)->system_setting_changed (widget, setting);

  _tally_chart_drop_layout (self);
  gtk_widget_queue_draw (widget);
}

static TallyChartReadout *
ensure_readout (TallyChart *self)
{
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);

  if (!priv->has_layout || priv->hover_index < 0)
    return NULL;

  if (priv->readout == NULL || priv->readout_index != priv->hover_index)
    {
      drop_readout (self);
      priv->readout = TALLY_CHART_GET_CLASS (self)->new_readout (self, priv->hover_index,
                                                                 _tally_chart_get_palette (self),
                                                                 gtk_widget_get_pango_context (GTK_WIDGET (self)));
      priv->readout_index = priv->hover_index;
    }

  return priv->readout;
}

void
_tally_chart_snapshot_readout (TallyChart *self,
                               GtkSnapshot *snapshot)
{
  TallyChartReadout *readout;
  graphene_rect_t box;
  cairo_t *cr;

  g_assert (TALLY_IS_CHART (self));

  readout = ensure_readout (self);
  if (readout == NULL)
    return;

  /* a node as big as the box and its shadow */
  tally_chart_readout_get_box (readout, &box);
  graphene_rect_inset (&box, -2, -2);
  cr = gtk_snapshot_append_cairo (snapshot, &box);
  tally_chart_readout_draw (cr, readout, _tally_chart_get_palette (self));
  cairo_destroy (cr);
}

static gboolean
on_key_pressed (TallyChart *self,
                guint keyval,
                guint keycode,
                GdkModifierType state,
                GtkEventControllerKey *controller)
{
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);
  int n = (int) TALLY_CHART_GET_CLASS (self)->get_n_items (self);
  int index = priv->hover_index;

  if (n <= 0 || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;

  switch (keyval)
    {
      case GDK_KEY_Left:
      case GDK_KEY_KP_Left:
        index = index < 0 ? n - 1 : MAX (index - 1, 0);
        break;
      case GDK_KEY_Right:
      case GDK_KEY_KP_Right:
        index = index < 0 ? 0 : MIN (index + 1, n - 1);
        break;
      case GDK_KEY_Home:
      case GDK_KEY_KP_Home:
        index = 0;
        break;
      case GDK_KEY_End:
      case GDK_KEY_KP_End:
        index = n - 1;
        break;
      default:
        return FALSE;
    }

  set_hover_index (self, index, TRUE);

  return TRUE;
}

static void
on_focus_leave (TallyChart *self,
                GtkEventControllerFocus *controller)
{
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);

  if (priv->hover_from_keys)
    set_hover_index (self, -1, FALSE);
}

static void
on_motion (TallyChart *self,
           double x,
           double y,
           GtkEventControllerMotion *controller)
{
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);
  gboolean moved = !priv->has_pointer || x != priv->pointer_x || y != priv->pointer_y;
  int index = -1;

  priv->has_pointer = TRUE;
  priv->pointer_x = x;
  priv->pointer_y = y;

  /* A pointer that did not move (the crossing events of a window mapped or
   * redrawn under a resting pointer) does not take what the keys chose. */
  if (!moved && priv->hover_from_keys)
    return;

  if (priv->has_layout)
    index = TALLY_CHART_GET_CLASS (self)->hit_test (self, x, y);

  /* What the keys chose stays until the pointer points at another item (a
   * pointer resting in an empty part of the chart does not take it away). */
  if (index < 0 && priv->hover_from_keys)
    return;

  set_hover_index (self, index, FALSE);
}

static void
on_enter (TallyChart *self,
          double x,
          double y,
          GtkEventControllerMotion *controller)
{
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);

  /* entering is not pointing: what the keys chose stays */
  if (priv->hover_from_keys)
    {
      priv->has_pointer = TRUE;
      priv->pointer_x = x;
      priv->pointer_y = y;
      return;
    }

  on_motion (self, x, y, controller);
}

static void
on_leave (TallyChart *self,
          GtkEventControllerMotion *controller)
{
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);

  priv->has_pointer = FALSE;

  /* what the keys stepped to stays while the chart has the focus */
  if (!priv->hover_from_keys)
    set_hover_index (self, -1, FALSE);
}

static void
tally_chart_dispose (GObject *object)
{
  TallyChart *self = (TallyChart *) object;
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);

  if (priv->model != NULL)
    g_signal_handlers_disconnect_by_func (priv->model, on_items_changed, self);
  g_clear_object (&priv->model);
  _tally_chart_drop_layout (self);
  drop_readout (self);

  G_OBJECT_CLASS (tally_chart_parent_class)->dispose (object);
}

static void
tally_chart_finalize (GObject *object)
{
  TallyChart *self = (TallyChart *) object;
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);

  g_clear_pointer (&priv->summary, g_free);

  G_OBJECT_CLASS (tally_chart_parent_class)->finalize (object);
}

static void
tally_chart_get_property (GObject *object,
                          guint prop_id,
                          GValue *value,
                          GParamSpec *pspec)
{
  TallyChart *self = TALLY_CHART (object);
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);

  switch (prop_id)
    {
      case PROP_MODEL:
        g_value_set_object (value, priv->model);
        break;

      case PROP_SUMMARY:
        g_value_set_string (value, priv->summary);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_chart_set_property (GObject *object,
                          guint prop_id,
                          const GValue *value,
                          GParamSpec *pspec)
{
  TallyChart *self = TALLY_CHART (object);

  switch (prop_id)
    {
      case PROP_MODEL:
        tally_chart_set_model (self, g_value_get_object (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_chart_class_init (TallyChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tally_chart_dispose;
  object_class->finalize = tally_chart_finalize;
  object_class->get_property = tally_chart_get_property;
  object_class->set_property = tally_chart_set_property;

  widget_class->measure = tally_chart_measure;
  widget_class->css_changed = tally_chart_css_changed;
  widget_class->system_setting_changed = tally_chart_system_setting_changed;

  properties[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL,
                                                G_TYPE_LIST_MODEL,
                                                (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tally_chart_init (TallyChart *self)
{
  TallyChartPrivate *priv = tally_chart_get_instance_private (self);
  GtkEventController *motion;
  GtkEventController *key;
  GtkEventController *focus;

  priv->hover_index = -1;
  priv->readout_index = -1;

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_object (motion, "enter", G_CALLBACK (on_enter), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "motion", G_CALLBACK (on_motion), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave", G_CALLBACK (on_leave), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  key = gtk_event_controller_key_new ();
  g_signal_connect_object (key, "key-pressed", G_CALLBACK (on_key_pressed), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (on_focus_leave), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  /* The readout is drawn in the chart: no tooltip on top of it. */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
}

/**
 * tally_chart_get_model:
 *
 * Returns: (transfer none) (nullable): the model
 */
GListModel *
tally_chart_get_model (TallyChart *self)
{
  TallyChartPrivate *priv;

  g_return_val_if_fail (TALLY_IS_CHART (self), NULL);

  priv = tally_chart_get_instance_private (self);

  return priv->model;
}

void
tally_chart_set_model (TallyChart *self,
                       GListModel *model)
{
  TallyChartPrivate *priv;

  g_return_if_fail (TALLY_IS_CHART (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  priv = tally_chart_get_instance_private (self);

  if (priv->model == model)
    return;

  if (priv->model != NULL)
    g_signal_handlers_disconnect_by_func (priv->model, on_items_changed, self);

  g_set_object (&priv->model, model);

  if (priv->model != NULL)
    g_signal_connect_object (priv->model, "items-changed", G_CALLBACK (on_items_changed), self,
                             G_CONNECT_SWAPPED);

  _tally_chart_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

const char *
tally_chart_get_summary (TallyChart *self)
{
  TallyChartPrivate *priv;

  g_return_val_if_fail (TALLY_IS_CHART (self), NULL);

  priv = tally_chart_get_instance_private (self);

  return priv->summary;
}

int
tally_chart_get_hover_index (TallyChart *self)
{
  TallyChartPrivate *priv;

  g_return_val_if_fail (TALLY_IS_CHART (self), -1);

  priv = tally_chart_get_instance_private (self);

  return priv->hover_index;
}

/**
 * tally_chart_get_readout:
 *
 * Returns: (transfer none) (nullable): the readout of the item shown
 */
const TallyChartReadout *
tally_chart_get_readout (TallyChart *self)
{
  g_return_val_if_fail (TALLY_IS_CHART (self), NULL);

  return ensure_readout (self);
}

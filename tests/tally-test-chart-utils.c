/* tally-test-chart-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tally-test-chart-utils.h"

#include <adwaita.h>

#include "tally-test-utils.h"

char *
tally_test_output_path (const char *name)
{
  const char *dir = g_getenv ("G_TEST_BUILDDIR");

  return g_build_filename (dir != NULL ? dir : ".", name, NULL);
}

static gboolean
widget_has_size (GtkWidget *widget,
                 int width,
                 int height)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) == width && gtk_widget_get_height (widget) == height;
}

void
tally_test_wait_for_size (GtkWidget *widget,
                          int width,
                          int height)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!widget_has_size (widget, width, height))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  tally_test_spin (50);
}

GdkTexture *
tally_test_render_widget (GtkWidget *widget,
                          const char *name)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *path = tally_test_output_path (name);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  GdkTexture *texture;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  /* The paintable follows the widget on the next frame after a queue_draw. */
  tally_test_spin (100);

  gsk_renderer_realize (renderer, gtk_native_get_surface (gtk_widget_get_native (widget)), &error);
  g_assert_no_error (error);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);
  gsk_renderer_unrealize (renderer);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("wrote %s", path);

  return texture;
}

void
tally_test_destroy_window (GtkWidget *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
}

GtkEventController *
tally_test_find_controller (GtkWidget *widget,
                            GType type)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_type_is_a (G_OBJECT_TYPE (controller), type))
        return controller;
    }

  g_error ("no %s on the %s", g_type_name (type), G_OBJECT_TYPE_NAME (widget));
}

void
tally_test_pixel_rgb (const guchar *data,
                      int stride,
                      int x,
                      int y,
                      double *r,
                      double *g,
                      double *b)
{
  guint32 argb = *(const guint32 *) (data + y * stride + 4 * x);
  double a = ((argb >> 24) & 0xff) / 255.0;

  if (a == 0)
    {
      *r = *g = *b = 0;
      return;
    }
  *r = ((argb >> 16) & 0xff) / 255.0 / a;
  *g = ((argb >> 8) & 0xff) / 255.0 / a;
  *b = (argb & 0xff) / 255.0 / a;
}

double
tally_test_pixel_luma (const guchar *data,
                       int stride,
                       int x,
                       int y)
{
  double r, g, b;

  tally_test_pixel_rgb (data, stride, x, y, &r, &g, &b);

  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

void
tally_test_assert_description (GtkWidget *widget,
                               const char *expected)
{
  g_autofree char *error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                               GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);

  if (error != NULL)
    g_error ("accessible description: %s (expected %s)", error, expected);
}

void
tally_test_press_key (GtkEventController *keys,
                      guint keyval)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (keys, "key-pressed", keyval, 0, 0, &handled);
  g_assert_true (handled);
}

GtkWidget *
tally_test_present_chart (GtkWidget *chart,
                          int width,
                          int height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  tally_test_wait_for_size (chart, width, height);

  return window;
}

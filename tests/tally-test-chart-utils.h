/* tally-test-chart-utils.h: what the chart tests share (rendering, pixels)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tally-test-gtk-utils.h"

G_BEGIN_DECLS

/* A widget size, for tables of sizes to render at */
typedef struct
{
  int width;
  int height;
} TallyTestSize;

/* Where a test writes an image it renders: @name in G_TEST_BUILDDIR (or ".") */
char *tally_test_output_path (const char *name);

/* Iterates until @widget is mapped at @width × @height (10 s guard), then a
 * little longer for its first frame. */
void tally_test_wait_for_size (GtkWidget *widget,
                               int width,
                               int height);

/* Renders @widget (and what is behind it, when it is a window) with a cairo
 * renderer, saves it as @name (tally_test_output_path ()) and returns its
 * pixels. */
GdkTexture *tally_test_render_widget (GtkWidget *widget,
                                      const char *name);

/* Destroys @window and lets its pending frames and idles run (50 ms). */
void tally_test_destroy_window (GtkWidget *window);

/* The first event controller of @widget that is a @type; fails the test
 * without one. */
GtkEventController *tally_test_find_controller (GtkWidget *widget,
                                                GType type);

/* A new undecorated window holding @chart, presented at @width × @height
 * (tally_test_wait_for_size()); destroy it with tally_test_destroy_window(). */
GtkWidget *tally_test_present_chart (GtkWidget *chart,
                                     int width,
                                     int height);

/* Fails the test unless @widget's accessible description is @expected
 * (checked by hand: gtk_test_accessible_assert_property() would take a '%'
 * in it for a conversion). */
void tally_test_assert_description (GtkWidget *widget,
                                    const char *expected);

/* Emits "key-pressed" with @keyval on the key controller @keys and asserts
 * that it was handled. */
void tally_test_press_key (GtkEventController *keys,
                           guint keyval);

/* The colour of pixel (@x, @y) of premultiplied ARGB32 @data (a cairo image
 * or a downloaded GdkTexture), unpremultiplied; transparent reads as black. */
void tally_test_pixel_rgb (const guchar *data,
                           int stride,
                           int x,
                           int y,
                           double *r,
                           double *g,
                           double *b);
/* Its luma (Rec. 709 weights), 0..1 */
double tally_test_pixel_luma (const guchar *data,
                              int stride,
                              int x,
                              int y);

G_END_DECLS

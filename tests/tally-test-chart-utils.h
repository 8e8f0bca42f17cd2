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

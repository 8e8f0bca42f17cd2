/* tally-test-gtk-utils.h: widget helpers shared by the GTK tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tally-session.h"

G_BEGIN_DECLS

/* Appends to @found every descendant of @root (not @root itself) that is a
 * @type, depth first in child order. */
void tally_test_collect_widgets (GtkWidget *root,
                                 GType type,
                                 GPtrArray *found);

/* The first descendant of @root that is a @type; fails the test without one. */
GtkWidget *tally_test_find_widget (GtkWidget *root,
                                   GType type);

/* Starts @session's demo against tally_demo_server_new_from_environment () and
 * waits until it is ready (20 s guard); fails the test otherwise. */
void tally_test_start_demo (TallySession *session);

/* Queues a redraw of @widget and iterates until its frame clock has painted a
 * frame: its layout is current then. */
void tally_test_wait_painted (GtkWidget *widget);

G_END_DECLS

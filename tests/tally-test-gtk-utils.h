/* tally-test-gtk-utils.h: widget helpers shared by the GTK tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "tally-demo-server.h"
#include "tally-session.h"

G_BEGIN_DECLS

/* gtk_test_init (), adw_init (), the app's resources, animations off: the
 * start of every GTK test's main (). */
void tally_test_gtk_init (int *argc,
                          char ***argv);

/* The same with GTK's "test" accessibility backend, which records the
 * accessible properties gtk_test_accessible_assert_property () reads. */
void tally_test_gtk_init_a11y (int *argc,
                               char ***argv);

/* Appends to @found every descendant of @root (not @root itself) that is a
 * @type, depth first in child order. */
void tally_test_collect_widgets (GtkWidget *root,
                                 GType type,
                                 GPtrArray *found);

/* The first descendant of @root that is a @type; fails the test without one. */
GtkWidget *tally_test_find_widget (GtkWidget *root,
                                   GType type);

/* The descendant of @root whose gtk_widget_get_name () is @name (the ids
 * the .ui files set with <property name="name">); fails the test without one. */
GtkWidget *tally_test_find_named (GtkWidget *root,
                                  const char *name);

/* Starts @session's demo against tally_demo_server_new_from_environment () and
 * waits until it is ready (20 s guard); fails the test otherwise. */
void tally_test_start_demo (TallySession *session);

/* A plain demo server (tally_demo_server_new (): no rate limit, no live rows)
 * with about @rows usage rows over @days days, started. */
TallyDemoServer *tally_test_start_demo_server (guint rows,
                                               guint days);

/* Logs @session out, drops it and waits until it is finalized, then stops and
 * drops @server (which must be finalized then). */
void tally_test_end_demo (TallySession *session,
                          TallyDemoServer *server);

/* Presents a new GtkWindow holding @child in *@window, which is set to NULL
 * when the window is finalized. */
void tally_test_open_window (GtkWidget **window,
                             GtkWidget *child);

/* Destroys *@window and checks that it is finalized soon after. */
void tally_test_close_window (GtkWidget **window);

/* Queues a redraw of @widget and iterates until its frame clock has painted a
 * frame: its layout is current then. */
void tally_test_wait_painted (GtkWidget *widget);

/* Waits for a frame painted after the last change (the layout is current),
 * then renders @widget to the PNG @name in the build dir (G_TEST_BUILT), for
 * a person to look at. */
void tally_test_save_png (GtkWidget *widget,
                          const char *name);

/* Logs @session in with @token on @url (tally_session_use_token_async) and
 * waits; fails the test if it does not succeed. */
void tally_test_use_token (TallySession *session,
                           const char *url,
                           const char *token);

/* Logs @session in on the started @server with its e-mail and password
 * (tally_session_login_async) and waits; fails the test if it does not
 * succeed. */
void tally_test_log_in (TallySession *session,
                        TallyDemoServer *server);

/* The `data` object of GET /api/v1@path on @session's server with its token,
 * through plain soup + json-glib (tally_test_fetch_raw): the server's own
 * figures to compare the UI with. */
JsonObject *tally_test_fetch_data (TallySession *session,
                                   const char *path);

/* Iterates until @session is not busy (wakes every 50 ms, 20 s guard). */
void tally_test_wait_session_idle (TallySession *session);

/* The names in the directory @path, sorted, joined with spaces (no GTK). */
char *tally_test_list_dir (const char *path);

/* Deletes the files in the directory @path, then the directory (no GTK: it
 * would belong in tally-test-utils). */
void tally_test_remove_dir (const char *path);

G_END_DECLS

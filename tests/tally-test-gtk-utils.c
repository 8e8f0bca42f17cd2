/* tally-test-gtk-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tally-test-gtk-utils.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "tally-client.h"
#include "tally-demo-server.h"
#include "tally-resources.h"
#include "tally-test-utils.h"

void
tally_test_gtk_init (int *argc,
                     char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  (void) tally_get_resource ();

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

void
tally_test_gtk_init_a11y (int *argc,
                          char ***argv)
{
  g_setenv ("GTK_A11Y", "test", TRUE);
  tally_test_gtk_init (argc, argv);
}

void
tally_test_collect_widgets (GtkWidget *root,
                            GType type,
                            GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_type_is_a (G_OBJECT_TYPE (child), type))
        g_ptr_array_add (found, child);
      tally_test_collect_widgets (child, type, found);
    }
}

GtkWidget *
tally_test_find_widget (GtkWidget *root,
                        GType type)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  tally_test_collect_widgets (root, type, found);
  g_assert_cmpuint (found->len, >=, 1);

  return g_ptr_array_index (found, 0);
}

GtkWidget *
tally_test_find_named (GtkWidget *root,
                       const char *name)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  tally_test_collect_widgets (root, GTK_TYPE_WIDGET, found);
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (found, i)), name) == 0)
      return g_ptr_array_index (found, i);

  g_error ("No widget named %s", name);
  return NULL;
}

void
tally_test_start_demo (TallySession *session)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (TallyDemoServer) demo = tally_demo_server_new_from_environment ();

  tally_session_start_demo_async (session, TALLY_DEMO_BACKEND (demo), NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_session_start_demo_finish (session, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_READY);
}

TallyDemoServer *
tally_test_start_demo_server (guint rows,
                              guint days)
{
  TallyDemoServer *server = g_object_new (TALLY_TYPE_DEMO_SERVER, "rows", rows, "days", days, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (tally_demo_server_start (server, &error));
  g_assert_no_error (error);

  return server;
}

void
tally_test_end_demo (TallySession *session,
                     TallyDemoServer *server)
{
  tally_session_logout (session);
  tally_test_assert_finalized (session);
  tally_demo_server_stop (server);
  g_assert_finalize_object (server);
}

void
tally_test_open_window (GtkWidget **window,
                        GtkWidget *child)
{
  *window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (*window), child);
  g_object_add_weak_pointer (G_OBJECT (*window), (gpointer *) window);
  gtk_window_present (GTK_WINDOW (*window));
}

void
tally_test_close_window (GtkWidget **window)
{
  g_assert_nonnull (*window);
  gtk_window_destroy (GTK_WINDOW (*window));
  tally_test_spin (20);
  g_assert_null (*window);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean *painted)
{
  *painted = TRUE;
}

void
tally_test_wait_painted (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (widget);
  tally_test_wait_flag (&painted);
  g_signal_handler_disconnect (clock, handler);
}

void
tally_test_save_png (GtkWidget *widget,
                     const char *name)
{
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  int width;
  int height;

  /* the paintable holds the render node of the frame painted last */
  tally_test_wait_painted (widget);
  paintable = gtk_widget_paintable_new (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_test_message ("%s: %s is %d×%d", name, G_OBJECT_TYPE_NAME (widget), width, height);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);

  path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

void
tally_test_use_token (TallySession *session,
                      const char *url,
                      const char *token)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  tally_session_use_token_async (session, url, token, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_session_use_token_finish (session, result, &error));
  g_assert_no_error (error);
}

void
tally_test_log_in (TallySession *session,
                   TallyDemoServer *server)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  g_assert_true (tally_session_set_server (session, tally_demo_server_get_url (server), &error));
  g_assert_no_error (error);
  tally_session_login_async (session, tally_demo_server_get_email (server), tally_demo_server_get_password (server),
                             NULL, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_session_login_finish (session, result, &error));
  g_assert_no_error (error);
}

JsonObject *
tally_test_fetch_data (TallySession *session,
                       const char *path)
{
  TallyClient *client = tally_session_get_client (session);
  g_autoptr (SoupSession) soup = soup_session_new ();
  g_autoptr (JsonNode) data = NULL;

  data = tally_test_fetch_raw (soup, tally_client_get_base_url (client), tally_client_get_token (client),
                               "GET", path, NULL);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (data));

  return json_object_ref (json_node_get_object (data));
}

static gboolean
session_idle (gpointer data)
{
  return !tally_session_get_busy (data);
}

void
tally_test_wait_session_idle (TallySession *session)
{
  tally_test_wait_until (session_idle, session, 50, 20, "the session");
}

char *
tally_test_list_dir (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) (gpointer) g_strcmp0);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (" ", (char **) names->pdata);
}

void
tally_test_remove_dir (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  g_rmdir (path);
}

/* tally-test-gtk-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tally-test-gtk-utils.h"

#include "tally-demo-server.h"
#include "tally-test-utils.h"

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

/* bench-log-list.c: scroll a 100 000-row usage log start to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An in-process demo server with over 100 000 rows for the demo user, and a
 * TallyLogList over it. Two runs:
 *
 *  1. model: positions 0..n-1 asked for in order with a 60-row lookahead,
 *     holding the last 120 rows (what a view holds), waiting only when the
 *     next row is still a placeholder;
 *  2. view (when a display is available): a GtkColumnView in a window, its
 *     vertical adjustment stepped by one page until the end, each step
 *     waiting for a frame and for the visible rows to load.
 *
 * Reported: rows, pages fetched by the list, /api/v1/usage requests the
 * server saw, pages resident at most, peak resident memory of the process
 * (VmHWM; the demo server's generated data is in it too, so the growth while
 * scrolling is reported separately) and wall time.
 */

#include "config.h"

#include <gtk/gtk.h>
#include <stdio.h>
#include <string.h>

#include "tally-client.h"
#include "tally-demo-server.h"
#include "tally-log-list.h"
#include "tally-test-utils.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"

#define DEMO_NOW G_GINT64_CONSTANT (1768449600) /* 2026-01-15T12:00:00+08:00 */
#define DEMO_ROWS 104000                        /* ~96.5 % of them are the demo user's */
#define LOOKAHEAD 60
#define HELD 120

/* kB of a /proc/self/status field such as "VmHWM" */
static gint64
proc_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  if (line == NULL)
    return -1;

  return g_ascii_strtoll (line + strlen (field) + 1, NULL, 10);
}

/* Resets the peak (VmHWM) to the current RSS, so a run's peak is its own. */
static void
reset_peak (void)
{
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

static void
wait_ready (TallyLogList *list)
{
  guint wake = g_timeout_add (10, tally_test_wake_cb, NULL);

  while (!tally_log_list_get_ready (list))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

static void
report (const char *run,
        TallyLogList *list,
        TallyDemoServer *server,
        guint max_resident,
        gint64 rss_before,
        gint64 elapsed_us,
        guint n)
{
  gint64 hwm = proc_status_kb ("VmHWM:");
  gint64 rss = proc_status_kb ("VmRSS:");

  printf ("%s: %u rows, %u pages fetched, %u /api/v1/usage requests, %u pages resident at most "
          "(bound %u), peak RSS %" G_GINT64_FORMAT " kB (%+" G_GINT64_FORMAT " kB while scrolling), "
          "RSS after %" G_GINT64_FORMAT " kB, %.2f s (%.1f µs/row)\n",
          run, n, tally_log_list_get_pages_fetched (list),
          tally_demo_server_get_request_count (server, "/api/v1/usage"),
          max_resident, tally_log_list_get_window_pages (list),
          hwm, hwm - rss_before, rss, elapsed_us / 1e6, (double) elapsed_us / n);
  fflush (stdout);
}

static void
run_model (TallyClient *client,
           TallyDemoServer *server)
{
  g_autoptr (GPtrArray) held = g_ptr_array_new_full (HELD, g_object_unref);
  TallyLogList *list;
  gint64 start;
  gint64 rss_before;
  guint max_resident = 0;
  guint next = 0;
  guint n;
  guint wake;

  tally_demo_server_reset_request_counts (server);
  reset_peak ();
  rss_before = proc_status_kb ("VmRSS:");
  start = g_get_monotonic_time ();

  list = tally_log_list_new (client, NULL);
  wait_ready (list);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));

  wake = g_timeout_add (10, tally_test_wake_cb, NULL);
  for (guint pos = 0; pos < n; pos++)
    {
      g_autoptr (TallyLogRow) row = NULL;

      while (next < n && next <= pos + LOOKAHEAD)
        {
          if (held->len >= HELD)
            g_ptr_array_remove_index (held, 0);
          g_ptr_array_add (held, g_list_model_get_item (G_LIST_MODEL (list), next++));
        }

      row = g_list_model_get_item (G_LIST_MODEL (list), pos);
      while (!tally_log_row_get_loaded (row))
        g_main_context_iteration (NULL, TRUE);
      max_resident = MAX (max_resident, tally_log_list_get_pages_resident (list));
    }
  g_source_remove (wake);

  report ("model", list, server, max_resident, rss_before, g_get_monotonic_time () - start, n);

  g_ptr_array_set_size (held, 0);
  g_object_unref (list);
}

static gboolean
visible_rows_settled (TallyLogList *list)
{
  return !tally_log_list_get_loading (list) && !g_main_context_pending (NULL);
}

static void
run_view (TallyClient *client,
          TallyDemoServer *server)
{
  g_autoptr (GtkBuilderScope) scope = NULL;
  GtkWidget *window;
  GtkWidget *scroller;
  GtkColumnView *view;
  GtkColumnViewColumn *column;
  g_autoptr (GtkListItemFactory) factory = NULL;
  GtkAdjustment *adjustment;
  TallyLogList *list;
  gint64 start;
  gint64 rss_before;
  guint max_resident = 0;
  guint steps = 0;
  guint n;
  guint wake;
  const char *cell = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                     "<interface><template class=\"GtkListItem\"><property name=\"child\">"
                     "<object class=\"GtkInscription\"><binding name=\"text\">"
                     "<lookup name=\"model\" type=\"TallyUsageLog\"><lookup name=\"log\" type=\"TallyLogRow\">"
                     "<lookup name=\"item\">GtkListItem</lookup></lookup></lookup>"
                     "</binding></object></property></template></interface>";
  g_autoptr (GBytes) bytes = g_bytes_new_static (cell, strlen (cell));

  tally_demo_server_reset_request_counts (server);
  reset_peak ();
  rss_before = proc_status_kb ("VmRSS:");
  start = g_get_monotonic_time ();

  list = tally_log_list_new (client, NULL);
  g_type_ensure (TALLY_TYPE_USAGE_LOG);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  scroller = gtk_scrolled_window_new ();
  view = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (list))))));
  factory = gtk_builder_list_item_factory_new_from_bytes (NULL, bytes);
  column = gtk_column_view_column_new ("Model", g_object_ref (factory));
  gtk_column_view_append_column (view, column);
  g_object_unref (column);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (view));
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  gtk_window_present (GTK_WINDOW (window));

  wait_ready (list);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));

  wake = g_timeout_add (5, tally_test_wake_cb, NULL);
  for (;;)
    {
      double value = gtk_adjustment_get_value (adjustment);
      double upper = gtk_adjustment_get_upper (adjustment);
      double page = gtk_adjustment_get_page_size (adjustment);
      gint64 stepped = g_get_monotonic_time ();

      /* at least one frame (to lay out the rows and ask for their items),
       * then until their pages are in */
      while (!visible_rows_settled (list) || g_get_monotonic_time () - stepped < 20000)
        g_main_context_iteration (NULL, TRUE);
      max_resident = MAX (max_resident, tally_log_list_get_pages_resident (list));

      if (page > 0 && value + page >= upper - 1)
        break;
      gtk_adjustment_set_value (adjustment, value + MAX (page, 1));
      steps++;
      if (steps % 1000 == 0)
        printf ("view: step %u, row %.0f, RSS %" G_GINT64_FORMAT " kB, %u pages resident\n",
                steps, value / upper * n, proc_status_kb ("VmRSS:"),
                tally_log_list_get_pages_resident (list));
    }
  g_source_remove (wake);

  report ("view", list, server, max_resident, rss_before, g_get_monotonic_time () - start, n);
  printf ("view: %u scroll steps of one page\n", steps);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (list);
}

int
main (int argc,
      char *argv[])
{
  g_autoptr (TallyDemoServer) server = NULL;
  g_autoptr (TallyClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  gint64 start = g_get_monotonic_time ();

  server = g_object_new (TALLY_TYPE_DEMO_SERVER,
                         "seed", (guint64) 11,
                         "rows", (guint) DEMO_ROWS,
                         "now", DEMO_NOW,
                         NULL);
  if (!tally_demo_server_start (server, &error))
    g_error ("%s", error->message);
  token = tally_demo_server_issue_token (server, 3600);
  client = tally_client_new (tally_demo_server_get_url (server), &error);
  g_assert_no_error (error);
  tally_client_set_token (client, token);
  printf ("demo server with %u generated rows started in %.2f s, RSS %" G_GINT64_FORMAT " kB\n",
          DEMO_ROWS, (g_get_monotonic_time () - start) / 1e6, proc_status_kb ("VmRSS:"));

  run_model (client, server);

  if (g_getenv ("TALLY_BENCH_NO_VIEW") == NULL && gtk_init_check ())
    run_view (client, server);
  else
    printf ("view: skipped (no display)\n");

  tally_demo_server_stop (server);
  return 0;
}

/* test-dashboard-page.c: the dashboard page in a window, against the demo server (Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "tally-api-key.h"
#include "tally-client.h"
#include "tally-dashboard-page.h"
#include "tally-dashboard-stats.h"
#include "tally-dashboard.h"
#include "tally-date-range-button.h"
#include "tally-demo-server.h"
#include "tally-format.h"
#include "tally-key-cost-row.h"
#include "tally-key-cost.h"
#include "tally-key-usage.h"
#include "tally-resources.h"
#include "tally-server-zone.h"
#include "tally-session.h"
#include "tally-stat-card.h"
#include "tally-user.h"
#include "tally-test-demo.h"
#include "tally-test-chart-utils.h"
#include "tally-test-gtk-utils.h"
#include "tally-month-budget.h"
#include "tally-quota-format.h"
#include "tally-test-utils.h"
#include "tally-trend-chart.h"
#include "tally-usage-page.h"
#include "tally-usage-query.h"
#include "tally-usage.h"
#include "tally-window.h"

#define NOW 1768449600 /* 2026-01-15 12:00 +08:00 */

static void
wait_idle (TallyDashboard *dashboard)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  tally_test_spin (20);
  while (tally_dashboard_get_busy (dashboard) || tally_session_get_busy (tally_dashboard_get_session (dashboard)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      tally_test_spin (20);
    }
  tally_test_spin (100);
}

/* Starts @server and restores @session on it as `tally` does with a saved
 * login (TALLY_TOKEN); returns the token. */
static char *
restore_on (TallySession *session,
            TallyDemoServer *server)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  char *token;

  g_assert_true (tally_demo_server_start (server, &error));
  token = tally_demo_server_issue_token (server, 3600);
  g_setenv ("TALLY_TOKEN", token, TRUE);
  tally_session_restore_async (session, tally_demo_server_get_url (server), NULL,
                               tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_unsetenv ("TALLY_TOKEN");
  g_assert_true (tally_session_restore_finish (session, result, &error));
  g_assert_no_error (error);

  return token;
}

static void
count_notify_cb (guint *count)
{
  (*count)++;
}

static void
test_page (void)
{
  g_autoptr (TallyDemoServer) server = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  g_autoptr (GListModel) usage = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (TallyClient) raw = NULL;
  g_autofree char *token = NULL;
  TallySession *session = tally_session_new ();
  TallyWindow *window;
  TallyDashboard *dashboard;
  GtkWidget *page, *chart;
  TallyDateRangeButton *button;
  GListModel *keys;
  GAsyncResult *slot = NULL;
  gboolean saw_disabled = FALSE;
  guint n_keys;
  guint n_filled_notifies = 0;
  double sum = 0;

  server = g_object_new (TALLY_TYPE_DEMO_SERVER, "seed", (guint64) 7, "now", (gint64) NOW,
                         "utc-offset", 28800, "rows", 3000, NULL);
  token = restore_on (session, server);

  window = tally_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 1600);
  page = GTK_WIDGET (tally_window_get_dashboard_page (window));
  g_assert_false (tally_dashboard_page_get_filled (TALLY_DASHBOARD_PAGE (page)));
  g_signal_connect_swapped (page, "notify::filled", G_CALLBACK (count_notify_cb), &n_filled_notifies);
  gtk_window_present (GTK_WINDOW (window));
  dashboard = tally_window_get_dashboard (window);
  wait_idle (dashboard);
  g_assert_null (tally_dashboard_get_last_error (dashboard));

  g_assert_true (page == tally_test_find_widget (GTK_WIDGET (window), TALLY_TYPE_DASHBOARD_PAGE));
  g_assert_true (tally_dashboard_page_get_dashboard (TALLY_DASHBOARD_PAGE (page)) == dashboard);

  /* "filled": once the first frame with every value in was painted, and only once. */
  {
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    gboolean filled = FALSE;

    while (!tally_dashboard_page_get_filled (TALLY_DASHBOARD_PAGE (page)))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        tally_test_spin (20);
      }
    g_object_get (page, "filled", &filled, NULL);
    g_assert_true (filled);
    g_assert_cmpuint (n_filled_notifies, ==, 1);
    tally_dashboard_reload (dashboard);
    wait_idle (dashboard);
    g_assert_true (tally_dashboard_page_get_filled (TALLY_DASHBOARD_PAGE (page)));
    g_assert_cmpuint (n_filled_notifies, ==, 1);
  }

  /* The key rows show the server's names and figures. */
  raw = tally_client_new (tally_demo_server_get_url (server), &error);
  tally_client_set_token (raw, token);
  keys = tally_session_get_keys (session);
  n_keys = g_list_model_get_n_items (keys);
  for (guint i = 0; i < n_keys; i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
      gint64 id = tally_api_key_get_id (key);

      g_array_append_val (ids, id);
    }
  tally_client_get_keys_usage_async (raw, (gint64 *) (gpointer) ids->data, ids->len, NULL,
                                     tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  usage = tally_client_get_keys_usage_finish (raw, result, &error);
  g_assert_no_error (error);

  tally_test_collect_widgets (page, TALLY_TYPE_KEY_COST_ROW, rows);
  g_assert_cmpuint (rows->len, ==, n_keys + 1);
  for (guint i = 0; i < n_keys; i++)
    {
      TallyKeyCostRow *row = g_ptr_array_index (rows, i);
      TallyApiKey *key = tally_key_cost_get_key (tally_key_cost_row_get_cost (row));
      gboolean found = FALSE;

      g_assert_nonnull (key);
      g_assert_cmpstr (tally_key_cost_row_get_name_text (row), ==, tally_api_key_get_name (key));
      for (guint j = 0; j < g_list_model_get_n_items (usage); j++)
        {
          g_autoptr (TallyKeyUsage) u = g_list_model_get_item (usage, j);
          g_autofree char *total = NULL;
          g_autofree char *today = NULL;

          if (tally_key_usage_get_api_key_id (u) != tally_api_key_get_id (key))
            continue;
          found = TRUE;
          g_autofree char *range = tally_format_cost (tally_key_cost_get_range_actual_cost (tally_key_cost_row_get_cost (row)));
          g_autofree char *secondary = NULL;

          total = tally_format_cost (tally_key_usage_get_total_actual_cost (u));
          today = tally_format_cost (tally_key_usage_get_today_actual_cost (u));
          sum += tally_key_cost_get_range_actual_cost (tally_key_cost_row_get_cost (row));
          /* the range's cost first; today and all time under it */
          g_assert_cmpstr (tally_key_cost_row_get_total_text (row), ==, range);
          secondary = g_strdup_printf ("%s today · %s all time · ", today, total);
          g_assert_true (g_str_has_prefix (tally_key_cost_row_get_today_text (row), secondary));
        }
      g_assert_true (found);
      if (!tally_api_key_is_active (key))
        {
          g_autoptr (GPtrArray) labels = g_ptr_array_new ();

          tally_test_collect_widgets (GTK_WIDGET (row), GTK_TYPE_LABEL, labels);
          for (guint k = 0; k < labels->len; k++)
            if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, k)), "Disabled") == 0)
              saw_disabled = TRUE;
        }
    }
  g_assert_true (saw_disabled);
  {
    TallyKeyCostRow *row = g_ptr_array_index (rows, n_keys);
    g_autofree char *expected = tally_format_cost (MAX (tally_dashboard_get_range_totals (dashboard)->actual_cost - sum, 0));

    g_assert_cmpstr (tally_key_cost_row_get_name_text (row), ==, "Deleted keys");
    g_assert_cmpstr (tally_key_cost_row_get_total_text (row), ==, expected);
    g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  }

  /* The trend chart shows the 7 days of the default range. */
  chart = tally_test_find_widget (page, TALLY_TYPE_TREND_CHART);
  g_assert_cmpuint (g_list_model_get_n_items (tally_trend_chart_get_model (TALLY_TREND_CHART (chart))), ==, 7);

  tally_test_save_png (GTK_WIDGET (window), "dashboard-page-light.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  tally_test_spin (200);
  tally_test_save_png (GTK_WIDGET (window), "dashboard-page-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Activating a key row filters the usage query by that key. */
  {
    TallyKeyCostRow *row = g_ptr_array_index (rows, 1);
    gint64 id = tally_key_cost_get_key_id (tally_key_cost_row_get_cost (row));

    g_assert_cmpint (tally_usage_query_get_api_key_id (tally_session_get_usage_query (session)), ==, 0);
    g_signal_emit_by_name (gtk_widget_get_parent (GTK_WIDGET (row)), "row-activated", row);
    g_assert_cmpint (id, >, 0);
    g_assert_cmpint (tally_usage_query_get_api_key_id (tally_session_get_usage_query (session)), ==, id);
  }

  /* The date range button sets the dashboard's range (and a preset shortcut too). */
  button = TALLY_DATE_RANGE_BUTTON (tally_test_find_widget (GTK_WIDGET (window), TALLY_TYPE_DATE_RANGE_BUTTON));
  g_assert_cmpstr (tally_date_range_button_get_server_today (button), ==, "2026-01-15");
  g_assert_cmpstr (tally_date_range_button_get_start_date (button), ==, "2026-01-09");
  tally_date_range_button_set_range (button, "2025-12-01", "2025-12-31");
  g_assert_cmpstr (tally_dashboard_get_start_date (dashboard), ==, "2025-12-01");
  g_assert_cmpstr (tally_dashboard_get_end_date (dashboard), ==, "2025-12-31");
  wait_idle (dashboard);
  g_assert_cmpuint (g_list_model_get_n_items (tally_trend_chart_get_model (TALLY_TREND_CHART (chart))), ==, 31);

  /* The key row opened the usage view: a preset shortcut changes its range,
   * never the hidden dashboard's. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.range", "s", "yesterday"));
  g_assert_cmpstr (tally_usage_query_get_start_date (tally_session_get_usage_query (session)), ==, "2026-01-14");
  g_assert_cmpstr (tally_usage_query_get_end_date (tally_session_get_usage_query (session)), ==, "2026-01-14");
  g_assert_cmpstr (tally_dashboard_get_start_date (dashboard), ==, "2025-12-01");
  g_assert_cmpstr (tally_date_range_button_get_start_date (button), ==, "2025-12-01");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-dashboard", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.range", "s", "today"));
  g_assert_cmpstr (tally_usage_query_get_start_date (tally_session_get_usage_query (session)), ==, "2026-01-14");
  g_assert_cmpstr (tally_dashboard_get_start_date (dashboard), ==, "2026-01-15");
  g_assert_cmpstr (tally_date_range_button_get_start_date (button), ==, "2026-01-15");
  wait_idle (dashboard);
  g_assert_cmpuint (g_list_model_get_n_items (tally_trend_chart_get_model (TALLY_TREND_CHART (chart))), ==, 24);

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
  g_assert_finalize_object (session);
  tally_demo_server_stop (server);
}

/* Opening the window on a saved login (as `tally` does: the session starts,
 * then the window is built) costs each endpoint exactly once; the usage view
 * loads nothing until it is shown. */
static void
test_open_requests (void)
{
  g_autoptr (TallyDemoServer) server = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  TallySession *session = tally_session_new ();
  TallyWindow *window;
  TallyDashboard *dashboard;
  GAsyncResult *slot = NULL;
  guint n_stats;
  GtkWidget *page;
  static const char *once[] = {
    "/api/v1/auth/me",
    "/api/v1/usage/dashboard/stats",
    "/api/v1/keys",
    "/api/v1/subscriptions/progress", /* the Subscriptions section */
    "/api/v1/usage/dashboard/models",
    "/api/v1/usage/dashboard/api-keys-usage",
    "/api/v1/settings/public", /* the server's zone, once */
  };

  server = g_object_new (TALLY_TYPE_DEMO_SERVER, "seed", (guint64) 7, "now", (gint64) NOW,
                         "utc-offset", 28800, "rows", 3000, NULL);
  g_assert_true (tally_demo_server_start (server, &error));
  token = tally_demo_server_issue_token (server, 3600);
  tally_demo_server_reset_request_counts (server);

  g_setenv ("TALLY_TOKEN", token, TRUE);
  tally_session_restore_async (session, tally_demo_server_get_url (server), NULL,
                               tally_test_store_result_cb, &slot);
  g_unsetenv ("TALLY_TOKEN");
  window = tally_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_session_restore_finish (session, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  dashboard = tally_window_get_dashboard (window);
  wait_idle (dashboard);
  g_assert_null (tally_dashboard_get_last_error (dashboard));
  g_assert_nonnull (tally_dashboard_get_range_totals (dashboard));
  g_assert_cmpuint (g_list_model_get_n_items (tally_dashboard_get_trend (dashboard)), ==, 7);
  g_assert_cmpuint (g_list_model_get_n_items (tally_dashboard_get_models (dashboard)), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (tally_session_get_keys (session)), <=, 100); /* one /keys page */
  page = tally_test_find_widget (GTK_WIDGET (window), TALLY_TYPE_DASHBOARD_PAGE);
  g_assert_true (tally_dashboard_page_get_dashboard (TALLY_DASHBOARD_PAGE (page)) == dashboard);

  for (guint i = 0; i < G_N_ELEMENTS (once); i++)
    {
      g_test_message ("%s", once[i]);
      g_assert_cmpuint (tally_demo_server_get_request_count (server, once[i]), ==, 1);
    }
  /* the trend: the range's, and the month's for This Month's forecast */
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage/dashboard/trend"), ==, 2);
  /* /usage/stats: the 7 days before the range (the default trend holds 8),
   * and the range's cost of each key (every key of the demo has usage) */
  n_stats = 1 + g_list_model_get_n_items (tally_session_get_keys (session));
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage/stats"), ==, n_stats);
  /* Nothing else: no usage log, no second load. */
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage"), ==, 0);
  g_assert_cmpuint (tally_demo_server_get_request_count (server, NULL), ==, G_N_ELEMENTS (once) + 2 + n_stats);

  /* Nothing more arrives later either. */
  tally_test_spin (300);
  g_assert_cmpuint (tally_demo_server_get_request_count (server, NULL), ==, G_N_ELEMENTS (once) + 2 + n_stats);

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
  g_assert_finalize_object (session);
  tally_demo_server_stop (server);
}

/* 2026-12-10 12:00 EST; the account (150 days before the data) is from July, EDT */
#define NY_NOW 1796922000

static void
check_zone_label (TallyDemoGeneration generation,
                  const char *zone_name,
                  const char *suffix)
{
  g_autoptr (TallyDemoServer) server = NULL;
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  g_autofree char *token = NULL;
  TallySession *session = tally_session_new ();
  TallyServerZone *zone;
  TallyWindow *window;
  TallyDashboard *dashboard;
  gboolean found = FALSE;

  server = g_object_new (TALLY_TYPE_DEMO_SERVER, "seed", (guint64) 7, "now", (gint64) NY_NOW, "days", 10,
                         "timezone", "America/New_York", "rows", 500, "generation", generation, NULL);
  token = restore_on (session, server);

  window = tally_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));
  dashboard = tally_window_get_dashboard (window);
  wait_idle (dashboard);
  g_assert_null (tally_dashboard_get_last_error (dashboard));

  /* the account's created_at says -04:00; December is -05:00 */
  g_assert_cmpint (g_date_time_get_utc_offset (tally_user_get_created_at (tally_session_get_user (session))), ==,
                   -4 * G_TIME_SPAN_HOUR);
  zone = tally_session_get_server_zone (session);
  g_assert_nonnull (zone);
  g_assert_cmpstr (tally_server_zone_get_name (zone), ==, zone_name);
  g_assert_true (tally_session_get_utc_offset_known (session));
  g_assert_cmpint (tally_session_get_utc_offset (session), ==, -18000);
  g_assert_cmpstr (tally_session_get_server_today (session), ==, "2026-12-10");

  tally_test_collect_widgets (GTK_WIDGET (window), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = gtk_label_get_text (g_ptr_array_index (labels, i));

      g_assert_null (strstr (text, "-04:00"));
      if (strstr (text, "server time") == NULL)
        continue;
      g_test_message ("%s", text);
      g_assert_cmpstr (text, ==, suffix);
      found = TRUE;
    }
  g_assert_true (found);

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
  g_assert_finalize_object (session);
  tally_demo_server_stop (server);
}

static void
test_zone_label (void)
{
  /* a today's server names its zone */
  check_zone_label (TALLY_DEMO_GENERATION_CURRENT, "America/New_York",
                    "Dec 4, 2026 – Dec 10, 2026 · server time, America/New_York (UTC-05:00)");
  /* a 2025 one does not: the offset of its newest usage row */
  check_zone_label (TALLY_DEMO_GENERATION_2025, NULL,
                    "Dec 4, 2026 – Dec 10, 2026 · server time, UTC-05:00");
}

/* The shown status page of @page with @title, or NULL when it is not shown. */
static AdwStatusPage *
shown_status_page (GtkWidget *page,
                   const char *title)
{
  g_autoptr (GPtrArray) pages = g_ptr_array_new ();

  tally_test_collect_widgets (page, ADW_TYPE_STATUS_PAGE, pages);
  for (guint i = 0; i < pages->len; i++)
    {
      AdwStatusPage *status = g_ptr_array_index (pages, i);

      if (g_strcmp0 (adw_status_page_get_title (status), title) == 0 && gtk_widget_get_mapped (GTK_WIDGET (status)))
        return status;
    }
  return NULL;
}

static const char *
updated_text (GtkWidget *page)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  tally_test_collect_widgets (page, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      if (g_str_has_prefix (gtk_label_get_text (label), "Updated ") && gtk_widget_get_mapped (GTK_WIDGET (label)))
        return gtk_label_get_text (label);
    }
  return NULL;
}

static gboolean
usage_totals_in (gpointer usage)
{
  return !tally_usage_get_busy (usage) && tally_usage_get_stats (usage) != NULL;
}

static gboolean
usage_stats_failed (gpointer usage)
{
  return !tally_usage_get_busy (usage) && tally_usage_get_stats_error (usage) != NULL;
}

static gboolean
error_page_shown (gpointer page)
{
  return shown_status_page (page, "Could Not Load Usage") != NULL;
}

/* A server that cannot be reached, with nothing loaded: the error and Try
 * Again, never "No Usage in This Range". */
static void
test_dead_server (void)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  TallySession *session = tally_session_new ();
  TallyWindow *window;
  GtkWidget *page;
  AdwStatusPage *status;
  GtkWidget *button;
  GAsyncResult *slot = NULL;

  g_setenv ("TALLY_TOKEN", "not-checked-by-a-dead-server", TRUE);
  tally_session_restore_async (session, "http://127.0.0.1:9", NULL, tally_test_store_result_cb, &slot);
  g_unsetenv ("TALLY_TOKEN");
  window = tally_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 800);
  gtk_window_present (GTK_WINDOW (window));
  result = tally_test_wait_result (&slot);
  tally_session_restore_finish (session, result, &error);
  g_clear_object (&result);
  wait_idle (tally_window_get_dashboard (window));

  page = GTK_WIDGET (tally_window_get_dashboard_page (window));
  g_assert_true (gtk_widget_get_mapped (page));
  g_assert_null (shown_status_page (page, "No Usage in This Range"));
  status = shown_status_page (page, "Could Not Load Usage");
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_description (status), ==, "127.0.0.1 refused the connection — is the server running?");
  button = adw_status_page_get_child (status);
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Try Again");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "win.refresh");
  g_assert_null (updated_text (page));

  /* Trying again fails the same way: still the error, never "no usage". */
  gtk_widget_activate (button);
  wait_idle (tally_window_get_dashboard (window));
  tally_test_wait_until (error_page_shown, page, 20, 20, "the error page");
  g_assert_null (shown_status_page (page, "No Usage in This Range"));

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
  g_assert_null (window);
  g_assert_finalize_object (session);
}

/* Loaded, then a refresh fails: the figures stay, marked "Updated HH:MM ·
 * Could not refresh: …" (our clock), until a refresh works again. */
/* A pinned demo of @generation (seed 7, 3000 rows, UTC+08:00), @session
 * restored on it with a fresh token (*token), and a 1100×900 window. */
static TallyWindow *
open_pinned_window (TallyDemoGeneration generation,
                    TallySession *session,
                    TallyDemoServer **server,
                    char **token)
{
  g_autoptr (GError) error = NULL;
  TallyWindow *window;

  *server = g_object_new (TALLY_TYPE_DEMO_SERVER, "seed", (guint64) 7, "now", (gint64) NOW,
                          "utc-offset", 28800, "rows", 3000, "generation", generation, NULL);
  g_assert_true (tally_demo_server_start (*server, &error));
  g_assert_no_error (error);
  *token = tally_demo_server_issue_token (*server, 3600);
  tally_test_restore_session (session, tally_demo_server_get_url (*server), *token);

  window = tally_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 900);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
test_stale (void)
{
  g_autoptr (TallyDemoServer) server = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) loaded = NULL;
  g_autofree char *token = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *billed = NULL;
  g_autoptr (GPtrArray) cards = g_ptr_array_new ();
  TallySession *session = tally_session_new ();
  TallyWindow *window;
  TallyDashboard *dashboard;
  TallyStatCard *range_card = NULL;
  GtkWidget *page;

  window = open_pinned_window (TALLY_DEMO_GENERATION_CURRENT, session, &server, &token);
  dashboard = tally_window_get_dashboard (window);
  wait_idle (dashboard);
  page = GTK_WIDGET (tally_window_get_dashboard_page (window));

  /* on the server's clock (UTC+08:00), like the rows */
  {
    g_autoptr (GTimeZone) zone = g_time_zone_new_offset (28800);
    g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (tally_dashboard_get_updated_at (dashboard) / G_USEC_PER_SEC);

    loaded = g_date_time_to_timezone (utc, zone);
  }
  g_assert_cmpint (tally_dashboard_get_updated_at (dashboard), <=, g_get_real_time ());
  g_assert_cmpint (tally_dashboard_get_updated_at (dashboard), >, g_get_real_time () - 60 * G_USEC_PER_SEC);
  fresh = g_date_time_format (loaded, "Updated %H:%M");
  g_assert_cmpstr (updated_text (page), ==, fresh);

  tally_test_collect_widgets (page, TALLY_TYPE_STAT_CARD, cards);
  for (guint i = 0; i < cards->len; i++)
    if (g_strcmp0 (tally_stat_card_get_title (g_ptr_array_index (cards, i)), "Billed in Range") == 0)
      range_card = g_ptr_array_index (cards, i);
  g_assert_nonnull (range_card);
  billed = tally_format_cost (tally_dashboard_get_range_totals (dashboard)->actual_cost);
  g_assert_cmpstr (tally_stat_card_get_value (range_card), ==, billed);

  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_SERVER_ERROR);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  wait_idle (dashboard);
  g_assert_nonnull (tally_dashboard_get_last_error (dashboard));

  stale = g_strdup_printf ("%s · Could not refresh: %s", fresh, tally_dashboard_get_last_error (dashboard));
  g_assert_cmpstr (updated_text (page), ==, stale);
  g_assert_cmpstr (tally_stat_card_get_value (range_card), ==, billed);
  g_assert_null (shown_status_page (page, "Could Not Load Usage"));
  g_assert_null (shown_status_page (page, "No Usage in This Range"));
  tally_test_save_png (GTK_WIDGET (window), "dashboard-stale.png");

  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_NONE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  wait_idle (dashboard);
  g_assert_null (tally_dashboard_get_last_error (dashboard));
  g_assert_true (g_str_has_prefix (updated_text (page), "Updated "));
  g_assert_null (strstr (updated_text (page), "Could not refresh"));

  /* The usage view says when its totals arrived, and when refreshing them fails. */
  {
    GtkWidget *usage_page = tally_test_find_widget (GTK_WIDGET (window), TALLY_TYPE_USAGE_PAGE);
    TallyUsage *usage = tally_usage_page_get_usage (TALLY_USAGE_PAGE (usage_page));
    g_autofree char *usage_stale = NULL;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-usage", NULL));
    tally_test_wait_until (usage_totals_in, usage, 20, 20, "the usage totals");
    tally_test_spin (50);
    g_assert_nonnull (updated_text (usage_page));
    g_assert_true (g_str_has_prefix (updated_text (usage_page), "Updated "));
    g_assert_null (strstr (updated_text (usage_page), "Could not refresh"));

    tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_SERVER_ERROR);
    tally_usage_page_reload (TALLY_USAGE_PAGE (usage_page));
    tally_test_wait_until (usage_stats_failed, usage, 20, 20, "the failed usage totals");
    tally_test_spin (50);
    usage_stale = g_strdup_printf (" · Could not refresh: %s", tally_usage_get_stats_error (usage));
    g_assert_true (g_str_has_prefix (updated_text (usage_page), "Updated "));
    g_assert_true (g_str_has_suffix (updated_text (usage_page), usage_stale));
    tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_NONE);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
  g_assert_finalize_object (session);
  tally_demo_server_stop (server);
}

/* A demo on a frozen clock at 12:40 server time: the "Today" trend ends with
 * the 12:00 bucket, drawn as "so far", and nothing after it; the last 7 days
 * end with today so far. */
static void
check_partial_trend (TallyDemoGeneration generation)
{
  g_autoptr (TallyDemoServer) server = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) charts = g_ptr_array_new ();
  TallySession *session = tally_session_new ();
  GAsyncResult *slot = NULL;
  TallyWindow *window;
  TallyDashboard *dashboard;
  TallyTrendChart *chart;
  GListModel *trend;
  GtkEventController *keys;
  gboolean handled = FALSE;

  server = g_object_new (TALLY_TYPE_DEMO_SERVER, "seed", (guint64) 7, "now", (gint64) (NOW + 40 * 60),
                         "utc-offset", 28800, "rows", 3000, "generation", generation, NULL);
  tally_session_start_demo_async (session, TALLY_DEMO_BACKEND (server), NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_session_start_demo_finish (session, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result); /* it holds the session */
  g_assert_cmpint (tally_session_get_server_now (session), ==, NOW + 40 * 60);

  window = tally_window_new (NULL, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 1600);
  gtk_window_present (GTK_WINDOW (window));
  dashboard = tally_window_get_dashboard (window);
  wait_idle (dashboard);

  tally_test_collect_widgets (GTK_WIDGET (window), TALLY_TYPE_TREND_CHART, charts);
  g_assert_cmpuint (charts->len, ==, 1);
  chart = g_ptr_array_index (charts, 0);
  g_assert_cmpstr (tally_trend_chart_get_now (chart), ==, "2026-01-15 12:40");

  /* Last 7 days: today is the last day, so far */
  g_assert_true (g_str_has_suffix (tally_trend_chart_get_summary (chart), "; 2026-01-15 so far"));

  tally_dashboard_set_range (dashboard, "2026-01-15", "2026-01-15");
  wait_idle (dashboard);
  trend = tally_dashboard_get_trend (dashboard);
  g_assert_cmpuint (g_list_model_get_n_items (trend), ==, 24);
  g_assert_true (g_str_has_suffix (tally_trend_chart_get_summary (chart), "; 2026-01-15 12:00 so far"));
  /* Today compares with yesterday up to the same hour (one day: a string of its own) */
  {
    g_autoptr (GPtrArray) cards = g_ptr_array_new ();
    guint n_until = 0;

    tally_test_collect_widgets (GTK_WIDGET (window), TALLY_TYPE_STAT_CARD, cards);
    for (guint i = 0; i < cards->len; i++)
      {
        const char *caption = tally_stat_card_get_caption (g_ptr_array_index (cards, i));

        if (caption != NULL && strstr (caption, "until") != NULL)
          {
            g_assert_true (g_str_has_suffix (caption, "vs previous day until 12:00"));
            n_until++;
          }
      }
    g_assert_cmpuint (n_until, ==, 4);
  }

  /* End goes to the last bucket drawn: 12:00, not 23:00. */
  keys = tally_test_find_controller (GTK_WIDGET (chart), GTK_TYPE_EVENT_CONTROLLER_KEY);
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_End, 0, 0, &handled);
  g_assert_true (handled);
  g_assert_cmpint (tally_trend_chart_get_hover_index (chart), ==, 12);
  {
    g_autoptr (TallyTrendPoint) point = g_list_model_get_item (trend, 12);
    g_autofree char *cost = tally_format_cost_styled (tally_trend_point_get_actual_cost (point), tally_number_style_locale ());
    g_autofree char *expected = g_strdup_printf ("12:00 (so far): billed cost %s", cost);
    g_autofree char *failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (chart),
                                                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);

    /* the demo's 12:00 hour has its first 40 minutes of requests */
    g_assert_cmpfloat (tally_trend_point_get_actual_cost (point), >, 0);
    if (failure != NULL)
      g_error ("description: %s", failure);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
  tally_test_assert_finalized (session);
  tally_demo_server_stop (server);
}

static gboolean
month_loaded (gpointer data)
{
  TallyMonthBudget *budget = data;

  return tally_month_budget_get_forecast (budget) != NULL && tally_month_budget_get_subscriptions (budget) != NULL && !tally_month_budget_get_loading (budget);
}

static gboolean
label_shown (GtkWidget *root,
             const char *text)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  tally_test_collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
      return TRUE;
  return FALSE;
}

/* This Month and the subscriptions: the server's windows as it sent them
 * (a window it leaves out is not drawn), the forecast against the budget. */
static void
test_month_and_subscriptions (gconstpointer data)
{
  TallyDemoGeneration generation = GPOINTER_TO_UINT (data);
  g_autoptr (TallyDemoServer) server = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupSession) soup = soup_session_new ();
  g_autoptr (JsonNode) progress = NULL;
  g_autofree char *token = NULL;
  g_autofree char *month_to_date = NULL;
  g_autofree char *pace = NULL;
  TallySession *session = tally_session_new ();
  TallyWindow *window;
  TallyMonthBudget *budget;
  GtkWidget *page;
  GtkWidget *list;
  JsonArray *subs;
  guint n_rows = 0;

  window = open_pinned_window (generation, session, &server, &token);
  wait_idle (tally_window_get_dashboard (window));
  page = GTK_WIDGET (tally_window_get_dashboard_page (window));
  budget = tally_dashboard_page_get_month_budget (TALLY_DASHBOARD_PAGE (page));
  tally_test_wait_until (month_loaded, budget, 20, 20, "the month and the subscriptions");

  /* every window the server sent, with its figures */
  progress = tally_test_fetch_raw (soup, tally_demo_server_get_url (server), token, "GET", "/subscriptions/progress", NULL);
  subs = json_node_get_array (progress);
  g_assert_cmpuint (json_array_get_length (subs), ==, 2);
  for (guint i = 0; i < json_array_get_length (subs); i++)
    {
      JsonObject *p = json_object_get_object_member (json_array_get_object_element (subs, i), "progress");
      const char *periods[] = { "daily", "weekly", "monthly" };

      g_assert_true (label_shown (page, json_object_get_string_member (p, "group_name")));
      for (guint w = 0; w < G_N_ELEMENTS (periods); w++)
        {
          JsonObject *win = json_object_has_member (p, periods[w]) ? json_object_get_object_member (p, periods[w]) : NULL;
          g_autofree char *used = NULL;
          g_autofree char *limit = NULL;
          g_autofree char *resets = NULL;
          g_autofree char *text = NULL;

          if (win == NULL)
            continue;
          used = tally_format_cost (json_object_get_double_member (win, "used_usd"));
          limit = tally_format_cost (json_object_get_double_member (win, "limit_usd"));
          resets = tally_format_resets_in (json_object_get_int_member (win, "resets_in_seconds"));
          if (json_object_get_double_member (win, "remaining_usd") <= 0)
            text = g_strdup_printf ("%s of %s · used up · %s", used, limit, resets);
          else
            text = g_strdup_printf ("%s of %s · %s", used, limit, resets);
          g_assert_true (label_shown (page, text));
        }
    }
  list = tally_test_find_named (page, "subscriptions");
  g_assert_true (gtk_widget_get_visible (list));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (gtk_widget_get_last_child (list))); child != NULL; child = gtk_widget_get_next_sibling (child))
    n_rows++;
  g_assert_cmpuint (n_rows, ==, 2);

  /* This Month: month-to-date and the forecast; a budget below it is "over" */
  month_to_date = tally_format_cost (tally_forecast_get_month_to_date (tally_month_budget_get_forecast (budget)));
  g_assert_true (label_shown (page, month_to_date));
  g_assert_true (tally_month_budget_set_budget (budget, 0.01, &error));
  g_assert_no_error (error);
  g_assert_true (tally_month_budget_get_over (budget));
  {
    g_autofree char *forecast = tally_format_cost (tally_forecast_get_forecast (tally_month_budget_get_forecast (budget)));

    pace = g_strdup_printf ("On pace for %s of $0.01", forecast);
  }
  g_assert_true (label_shown (page, pace));
  g_assert_true (gtk_widget_has_css_class (tally_test_find_named (page, "month-card"), "over-budget"));
  g_assert_true (tally_month_budget_set_budget (budget, 0, &error));
  g_assert_false (gtk_widget_has_css_class (tally_test_find_named (page, "month-card"), "over-budget"));

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
  tally_demo_server_stop (server);
  g_object_unref (session);
}

static void
test_partial_trend (void)
{
  check_partial_trend (TALLY_DEMO_GENERATION_CURRENT);
  check_partial_trend (TALLY_DEMO_GENERATION_2025);
}

int
main (int argc,
      char *argv[])
{
  tally_test_gtk_init_a11y (&argc, &argv);

  g_test_add_func ("/dashboard-page/keys-trend-range", test_page);
  g_test_add_func ("/dashboard-page/open-requests", test_open_requests);
  g_test_add_func ("/dashboard-page/zone-label", test_zone_label);
  g_test_add_func ("/dashboard-page/dead-server", test_dead_server);
  g_test_add_func ("/dashboard-page/stale", test_stale);

  g_test_add_func ("/dashboard-page/partial-trend", test_partial_trend);
  g_test_add_data_func ("/dashboard-page/month-and-subscriptions", GUINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT), test_month_and_subscriptions);
  g_test_add_data_func ("/dashboard-page/month-and-subscriptions-2025", GUINT_TO_POINTER (TALLY_DEMO_GENERATION_2025), test_month_and_subscriptions);

  return g_test_run ();
}

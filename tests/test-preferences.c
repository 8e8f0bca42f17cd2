/* test-preferences.c: the preferences window against the demo session (Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>
#include <string.h>

#include "tally-application.h"
#include "tally-dashboard-page.h"
#include "tally-demo-server.h"
#include "tally-preferences-window.h"
#include "tally-resources.h"
#include "tally-session.h"
#include "tally-soup-listen-private.h"
#include "tally-test-gtk-utils.h"
#include "tally-test-utils.h"
#include "tally-trend-chart.h"
#include "tally-user.h"
#include "tally-window.h"

/* The preferences row titled @title (exactly one). */
static GtkWidget *
find_row (GtkWindow *window,
          const char *title)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *found = NULL;

  tally_test_collect_widgets (GTK_WIDGET (window), ADW_TYPE_PREFERENCES_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      AdwPreferencesRow *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (adw_preferences_row_get_title (row), title) == 0)
        {
          g_assert_null (found);
          found = GTK_WIDGET (row);
        }
    }

  g_assert_nonnull (found);
  return found;
}

/* The "Log Out" button. */
static GtkWidget *
find_logout_button (GtkWindow *window)
{
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();
  GtkWidget *found = NULL;

  tally_test_collect_widgets (GTK_WIDGET (window), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkButton *button = g_ptr_array_index (buttons, i);

      if (g_strcmp0 (gtk_button_get_label (button), "_Log Out") == 0)
        {
          g_assert_null (found);
          found = GTK_WIDGET (button);
        }
    }

  g_assert_nonnull (found);
  return found;
}

/* What the user sees in @row: a mapped label whose text (after any markup
 * parsing) is @text exactly, shown as plain text. */
static void
assert_row_shows (GtkWidget *row,
                  const char *text)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  gboolean found = FALSE;

  g_assert_true (gtk_widget_get_visible (row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, text);

  tally_test_collect_widgets (row, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      if (g_strcmp0 (gtk_label_get_text (label), text) == 0 && gtk_widget_get_mapped (GTK_WIDGET (label)))
        {
          g_assert_false (gtk_label_get_use_markup (label));
          found = TRUE;
        }
    }

  g_assert_true (found);
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
}

static TallyPreferencesWindow *
find_preferences_window (void)
{
  g_autoptr (GList) toplevels = gtk_window_list_toplevels ();
  TallyPreferencesWindow *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (TALLY_IS_PREFERENCES_WINDOW (l->data))
        {
          g_assert_null (found);
          found = l->data;
        }
    }

  return found;
}

static void
wait_idle (TallySession *session)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  tally_test_spin (20);
  while (tally_session_get_busy (session))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      tally_test_spin (20);
    }
  tally_test_spin (50);
}

/* win.preferences opens the window on the main window's session; the account
 * group shows the session's server and user; Log Out logs out and closes. */
static void
test_account (void)
{
  TallySession *session = tally_session_new ();
  TallyWindow *window = tally_window_new (NULL, session);
  TallyPreferencesWindow *preferences;
  GtkWindow *other;
  GtkWidget *server_row, *email_row, *name_row, *logout;
  TallyDemoServer *server;
  TallyUser *user;
  g_autofree char *server_url = NULL;
  g_autofree char *email = NULL;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_present (GTK_WINDOW (window));
  tally_test_start_demo (session);
  wait_idle (session);

  server = TALLY_DEMO_SERVER (tally_session_get_demo_backend (session));
  user = tally_session_get_user (session);
  g_assert_nonnull (user);
  server_url = g_strdup (tally_session_get_server_url (session));
  email = g_strdup (tally_user_get_email (user));
  g_assert_cmpstr (server_url, ==, tally_demo_server_get_url (server));
  g_assert_cmpstr (email, ==, tally_demo_server_get_email (server));
  g_assert_cmpstr (email, ==, "demo@example.com");

  g_assert_null (find_preferences_window ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL));
  tally_test_spin (100);
  preferences = find_preferences_window ();
  g_assert_nonnull (preferences);
  g_object_add_weak_pointer (G_OBJECT (preferences), (gpointer *) &preferences);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preferences)) == GTK_WINDOW (window));
  g_assert_true (tally_preferences_window_get_session (preferences) == session);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (preferences)));

  server_row = find_row (GTK_WINDOW (preferences), "Server");
  email_row = find_row (GTK_WINDOW (preferences), "Email");
  name_row = find_row (GTK_WINDOW (preferences), "User Name");
  logout = find_logout_button (GTK_WINDOW (preferences));
  assert_row_shows (server_row, server_url);
  assert_row_shows (email_row, email);
  assert_row_shows (name_row, tally_user_get_username (user));
  g_assert_cmpstr (tally_user_get_username (user), ==, "Demo 用户");
  g_assert_true (gtk_widget_get_sensitive (logout));
  g_assert_true (gtk_widget_has_css_class (logout, "destructive-action"));
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (preferences)) == find_row (GTK_WINDOW (preferences), "Style"));

  /* A second, parentless window follows the session live. */
  other = tally_preferences_window_new (NULL, session);
  g_object_add_weak_pointer (G_OBJECT (other), (gpointer *) &other);
  gtk_window_present (other);
  tally_test_spin (100);
  assert_row_shows (find_row (other, "Server"), server_url);

  /* Log Out: the main window's action, then the window closes. */
  g_signal_emit_by_name (logout, "clicked");
  tally_test_spin (100);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_assert_null (preferences);

  /* The other window now says so, and its button is off. */
  g_assert_false (gtk_widget_get_visible (find_row (other, "Server")));
  g_assert_false (gtk_widget_get_visible (find_row (other, "Email")));
  g_assert_false (gtk_widget_get_visible (find_row (other, "User Name")));
  g_assert_false (gtk_widget_get_sensitive (find_logout_button (other)));
  {
    g_autoptr (GPtrArray) groups = g_ptr_array_new ();
    gboolean said = FALSE;

    tally_test_collect_widgets (GTK_WIDGET (other), ADW_TYPE_PREFERENCES_GROUP, groups);
    for (guint i = 0; i < groups->len; i++)
      if (g_strcmp0 (adw_preferences_group_get_description (g_ptr_array_index (groups, i)), "Not logged in") == 0)
        said = TRUE;
    g_assert_true (said);
  }

  /* Logged in again: the rows come back; without a parent, Log Out logs the session out itself. */
  tally_test_start_demo (session);
  wait_idle (session);
  g_assert_cmpstr (tally_session_get_server_url (session), ==,
                   tally_demo_server_get_url (TALLY_DEMO_SERVER (tally_session_get_demo_backend (session))));
  assert_row_shows (find_row (other, "Server"), tally_session_get_server_url (session));
  assert_row_shows (find_row (other, "Email"), "demo@example.com");
  logout = find_logout_button (other);
  g_assert_true (gtk_widget_get_sensitive (logout));
  g_signal_emit_by_name (logout, "clicked");
  tally_test_spin (100);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_assert_null (other);

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (100);
  g_assert_null (window);
  g_assert_finalize_object (session);
}

/* A server whose /auth/me names the user with markup; everything else is 404. */
static void
markup_server_cb (SoupServer *server,
                  SoupServerMessage *msg,
                  const char *path,
                  GHashTable *query,
                  gpointer user_data)
{
  static const char me[] = "{\"code\":0,\"message\":\"success\",\"data\":{\"id\":7,"
                           "\"email\":\"a<b>&amp;</b>@example.com\",\"username\":\"<b>&amp;</b> Co\","
                           "\"role\":\"user\",\"balance\":1.5,\"concurrency\":3,\"status\":\"active\","
                           "\"allowed_groups\":null,\"created_at\":\"2026-01-01T00:00:00Z\","
                           "\"updated_at\":\"2026-01-01T00:00:00Z\"}}";
  static const char missing[] = "{\"code\":404,\"message\":\"not found\"}";

  if (g_str_equal (path, "/api/v1/auth/me"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, me, strlen (me));
    }
  else
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, missing, strlen (missing));
    }
}

static void
logout_activated_cb (GSimpleAction *action,
                     GVariant *param,
                     gpointer user_data)
{
  TallySession *session = user_data;

  g_object_set_data (G_OBJECT (action), "activated", GINT_TO_POINTER (TRUE));
  tally_session_logout (session);
}

static void
test_plain_text (void)
{
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *url = NULL;
  GSocketService *service;
  guint16 port = 0;
  TallySession *session = tally_session_new ();
  GAsyncResult *slot = NULL;
  g_autoptr (GSimpleActionGroup) actions = g_simple_action_group_new ();
  g_autoptr (GSimpleAction) logout = g_simple_action_new ("logout", NULL);
  GtkWindow *preferences;
  GtkWindow *parent;

  soup_server_add_handler (server, NULL, markup_server_cb, NULL, NULL);
  service = _tally_soup_listen_loopback (server, NULL, &port, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  /* TALLY_TOKEN: never written to the keyring. */
  g_setenv ("TALLY_TOKEN", "test-token", TRUE);
  tally_session_restore_async (session, url, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_unsetenv ("TALLY_TOKEN");
  g_assert_true (tally_session_restore_finish (session, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  wait_idle (session);
  g_assert_nonnull (tally_session_get_user (session));
  g_assert_cmpstr (tally_user_get_username (tally_session_get_user (session)), ==, "<b>&amp;</b> Co");

  /* A parent whose win.logout is ours. */
  parent = GTK_WINDOW (gtk_window_new ());
  g_object_add_weak_pointer (G_OBJECT (parent), (gpointer *) &parent);
  g_signal_connect (logout, "activate", G_CALLBACK (logout_activated_cb), session);
  g_action_map_add_action (G_ACTION_MAP (actions), G_ACTION (logout));
  gtk_widget_insert_action_group (GTK_WIDGET (parent), "win", G_ACTION_GROUP (actions));
  gtk_window_present (parent);

  preferences = tally_preferences_window_new (parent, session);
  g_object_add_weak_pointer (G_OBJECT (preferences), (gpointer *) &preferences);
  gtk_window_present (preferences);
  tally_test_spin (100);

  assert_row_shows (find_row (preferences, "Server"), url);
  assert_row_shows (find_row (preferences, "Email"), "a<b>&amp;</b>@example.com");
  assert_row_shows (find_row (preferences, "User Name"), "<b>&amp;</b> Co");

  /* Log Out goes through the parent's win.logout. */
  g_assert_null (g_object_get_data (G_OBJECT (logout), "activated"));
  g_signal_emit_by_name (find_logout_button (preferences), "clicked");
  tally_test_spin (50);
  g_assert_true (g_object_get_data (G_OBJECT (logout), "activated"));
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_assert_null (preferences);

  gtk_window_destroy (parent);
  tally_test_spin (50);
  g_assert_null (parent);
  g_assert_finalize_object (session);
  _tally_soup_listen_stop (service);
  soup_server_disconnect (server);
}

/* Runs inside the application: "color-scheme" was applied at startup; the
 * Style row of win.preferences writes it and the application applies it. */
static void
color_scheme_activate_cb (GApplication *app,
                          gpointer user_data)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  gboolean *ran = user_data;
  GtkWindow *window;
  TallyPreferencesWindow *preferences;
  AdwComboRow *row;

  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_FORCE_DARK);

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (TALLY_IS_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL));
  tally_test_spin (100);
  preferences = find_preferences_window ();
  g_assert_nonnull (preferences);
  g_object_add_weak_pointer (G_OBJECT (preferences), (gpointer *) &preferences);
  g_assert_true (tally_preferences_window_get_session (preferences) == tally_application_get_session (TALLY_APPLICATION (app)));

  /* Not logged in: the account group says so. */
  g_assert_false (gtk_widget_get_sensitive (find_logout_button (GTK_WINDOW (preferences))));
  g_assert_false (gtk_widget_get_visible (find_row (GTK_WINDOW (preferences), "Server")));

  row = ADW_COMBO_ROW (find_row (GTK_WINDOW (preferences), "Style"));
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 2);

  adw_combo_row_set_selected (row, 0);
  g_assert_cmpint (g_settings_get_enum (settings, "color-scheme"), ==, 0);
  tally_test_spin (20);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_DEFAULT);

  adw_combo_row_set_selected (row, 2);
  {
    g_autofree char *nick = g_settings_get_string (settings, "color-scheme");

    g_assert_cmpstr (nick, ==, "dark");
  }
  tally_test_spin (20);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style_manager));

  adw_combo_row_set_selected (row, 1);
  {
    g_autofree char *nick = g_settings_get_string (settings, "color-scheme");

    g_assert_cmpstr (nick, ==, "light");
  }
  tally_test_spin (20);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_false (adw_style_manager_get_dark (style_manager));

  /* A change made elsewhere shows in the row and is applied. */
  g_settings_set_string (settings, "color-scheme", "dark");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 2);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_settings_reset (settings, "color-scheme");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (preferences));
  tally_test_spin (50);
  g_assert_null (preferences);
  gtk_window_destroy (window);

  *ran = TRUE;
  g_application_quit (app);
}

static void
test_color_scheme (void)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);
  char *argv[] = { (char *) "tally", (char *) "--non-unique",
                   (char *) "--server", (char *) "http://127.0.0.1:9", NULL };
  TallyApplication *app;
  gboolean ran = FALSE;

  /* Set before the application starts: startup applies it. */
  g_settings_set_string (settings, "color-scheme", "dark");
  g_assert_cmpint (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()), ==,
                   ADW_COLOR_SCHEME_DEFAULT);

  app = tally_application_new ();
  g_signal_connect_after (app, "activate", G_CALLBACK (color_scheme_activate_cb), &ran);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, argv), ==, 0);
  g_assert_true (ran);
  g_assert_finalize_object (app);
}

static TallyTrendSeries
page_series (GtkWidget *page)
{
  g_autoptr (GPtrArray) charts = g_ptr_array_new ();
  g_autoptr (GPtrArray) dropdowns = g_ptr_array_new ();
  GtkDropDown *series_dropdown = NULL;
  TallyTrendSeries series;

  tally_test_collect_widgets (page, TALLY_TYPE_TREND_CHART, charts);
  g_assert_cmpuint (charts->len, ==, 1);
  series = tally_trend_chart_get_series (g_ptr_array_index (charts, 0));

  /* The selector whose second choice is "List Price" (the pie's is "Tokens"). */
  tally_test_collect_widgets (page, GTK_TYPE_DROP_DOWN, dropdowns);
  for (guint i = 0; i < dropdowns->len; i++)
    {
      GListModel *model = gtk_drop_down_get_model (g_ptr_array_index (dropdowns, i));

      if (GTK_IS_STRING_LIST (model) && g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), 1), "List Price") == 0)
        {
          g_assert_null (series_dropdown);
          series_dropdown = g_ptr_array_index (dropdowns, i);
        }
    }
  g_assert_nonnull (series_dropdown);
  g_assert_cmpuint (gtk_drop_down_get_selected (series_dropdown), ==, series);

  return series;
}

static void
test_trend_series (void)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr (GEnumClass) klass = g_type_class_ref (TALLY_TYPE_TREND_SERIES);
  TallySession *session = tally_session_new ();
  GtkWindow *preferences;
  GtkWidget *page;
  AdwComboRow *row;

  /* The default: billed cost. */
  g_assert_cmpint (g_settings_get_enum (settings, "trend-series"), ==, TALLY_TREND_SERIES_BILLED_COST);
  page = g_object_ref_sink (tally_dashboard_page_new ());
  g_assert_cmpint (page_series (page), ==, TALLY_TREND_SERIES_BILLED_COST);
  g_assert_finalize_object (page);

  /* The key set before the page is created picks its series. */
  g_settings_set_string (settings, "trend-series", "output-tokens");
  page = g_object_ref_sink (tally_dashboard_page_new ());
  g_assert_cmpint (page_series (page), ==, TALLY_TREND_SERIES_OUTPUT_TOKENS);

  /* Picking another series on the dashboard does not change the default. */
  tally_dashboard_page_set_series (TALLY_DASHBOARD_PAGE (page), TALLY_TREND_SERIES_REQUESTS);
  g_assert_cmpint (page_series (page), ==, TALLY_TREND_SERIES_REQUESTS);
  {
    g_autofree char *value = g_settings_get_string (settings, "trend-series");

    g_assert_cmpstr (value, ==, "output-tokens");
  }
  g_assert_finalize_object (page);

  /* The preferences row writes every series under TallyTrendSeries's nick. */
  preferences = tally_preferences_window_new (NULL, session);
  g_object_add_weak_pointer (G_OBJECT (preferences), (gpointer *) &preferences);
  gtk_window_present (preferences);
  tally_test_spin (50);
  row = ADW_COMBO_ROW (find_row (preferences, "Trend Shows"));
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, TALLY_TREND_SERIES_OUTPUT_TOKENS);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), ==, klass->n_values);

  for (guint i = 0; i < klass->n_values; i++)
    {
      g_autofree char *nick = NULL;
      TallyTrendSeries series = klass->values[i].value;

      adw_combo_row_set_selected (row, series == 0 ? 1 : 0);
      adw_combo_row_set_selected (row, series);
      nick = g_settings_get_string (settings, "trend-series");
      g_assert_cmpstr (nick, ==, klass->values[i].value_nick);
      g_assert_cmpint (g_settings_get_enum (settings, "trend-series"), ==, series);

      page = g_object_ref_sink (tally_dashboard_page_new ());
      g_assert_cmpint (page_series (page), ==, series);
      g_assert_finalize_object (page);
    }

  g_settings_reset (settings, "trend-series");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, TALLY_TREND_SERIES_BILLED_COST);

  gtk_window_destroy (preferences);
  tally_test_spin (50);
  g_assert_null (preferences);
  g_assert_finalize_object (session);
}

/* The low-balance row writes the user's threshold of the alerts. */
static void
test_low_balance (void)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);
  TallySession *session = tally_session_new ();
  GtkWindow *preferences;
  GtkSpinButton *spin;

  g_assert_cmpfloat (g_settings_get_double (settings, "low-balance-threshold"), ==, 0);
  g_settings_set_double (settings, "low-balance-threshold", 12.5);
  preferences = tally_preferences_window_new (NULL, session);
  g_object_add_weak_pointer (G_OBJECT (preferences), (gpointer *) &preferences);
  gtk_window_present (preferences);
  tally_test_spin (50);
  spin = GTK_SPIN_BUTTON (tally_test_find_named (GTK_WIDGET (preferences), "low-balance-spin"));
  g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 12.5);
  gtk_spin_button_set_value (spin, 40);
  g_assert_cmpfloat (g_settings_get_double (settings, "low-balance-threshold"), ==, 40);
  gtk_spin_button_set_value (spin, 0);
  g_assert_cmpfloat (g_settings_get_double (settings, "low-balance-threshold"), ==, 0);

  g_settings_reset (settings, "low-balance-threshold");
  gtk_window_destroy (preferences);
  tally_test_spin (50);
  g_assert_null (preferences);
  g_assert_finalize_object (session);
}

int
main (int argc,
      char *argv[])
{
  tally_test_gtk_init (&argc, &argv);

  g_test_add_func ("/preferences/account", test_account);
  g_test_add_func ("/preferences/plain-text", test_plain_text);
  g_test_add_func ("/preferences/color-scheme", test_color_scheme);
  g_test_add_func ("/preferences/trend-series", test_trend_series);
  g_test_add_func ("/preferences/low-balance", test_low_balance);

  return g_test_run ();
}

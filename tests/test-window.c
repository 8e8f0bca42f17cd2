/* test-window.c: the window against the demo server (needs a display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tally-client.h"
#include "tally-demo-server.h"
#include "tally-format.h"
#include "tally-login-page.h"
#include "tally-resources.h"
#include "tally-server-time.h"
#include "tally-session.h"
#include "tally-stat-card.h"
#include "tally-test-gtk-utils.h"
#include "tally-test-utils.h"
#include "tally-dashboard.h"
#include "tally-key-cost.h"
#include "tally-usage-page.h"
#include "tally-usage-query.h"
#include "tally-usage-stats.h"
#include "tally-usage.h"
#include "tally-window.h"

/* The labels of a card as shown on screen: title, value, caption. */
static void
read_card (TallyStatCard *card,
           const char **title,
           const char **value,
           const char **caption)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  tally_test_collect_widgets (GTK_WIDGET (card), GTK_TYPE_LABEL, labels);
  g_assert_cmpuint (labels->len, ==, 3);

  *title = gtk_label_get_text (g_ptr_array_index (labels, 0));
  *value = gtk_label_get_text (g_ptr_array_index (labels, 1));
  *caption = gtk_label_get_text (g_ptr_array_index (labels, 2));
}

static void
assert_card (GPtrArray *cards,
             const char *title,
             const char *expected_value,
             const char *expected_caption)
{
  for (guint i = 0; i < cards->len; i++)
    {
      const char *card_title;
      const char *value;
      const char *caption;

      read_card (g_ptr_array_index (cards, i), &card_title, &value, &caption);
      if (g_strcmp0 (card_title, title) != 0)
        continue;

      g_test_message ("card %s: %s / %s", title, value, caption);
      g_assert_cmpstr (value, ==, expected_value);
      g_assert_cmpstr (caption, ==, expected_caption != NULL ? expected_caption : "");
      return;
    }

  g_error ("No card titled “%s”", title);
}

/* The window's page stack shows @widget (and animations are off in this test). */
static gboolean
is_showing (GtkWidget *widget)
{
  GtkWidget *page = gtk_widget_get_ancestor (widget, GTK_TYPE_STACK);

  while (page != NULL && gtk_widget_get_parent (page) != NULL && gtk_widget_get_ancestor (gtk_widget_get_parent (page), GTK_TYPE_STACK) != NULL)
    page = gtk_widget_get_ancestor (gtk_widget_get_parent (page), GTK_TYPE_STACK);

  g_assert_nonnull (page);

  return gtk_widget_is_ancestor (widget, gtk_stack_get_visible_child (GTK_STACK (page))) && gtk_widget_get_mapped (widget);
}

/* How many labels under @root show exactly @text. */
static guint
count_labels (GtkWidget *root,
              const char *text)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  guint n = 0;

  tally_test_collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
      n++;

  return n;
}

/* Destroys @window; @session must be finalized soon after. */
static void
destroy_window (TallyWindow *window,
                TallySession *session)
{
  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
  g_assert_finalize_object (session);
}

static void
test_dashboard (void)
{
  TallySession *session = tally_session_new ();
  TallyWindow *window = tally_window_new (NULL, session);
  g_autoptr (JsonObject) stats = NULL;
  g_autoptr (JsonObject) me = NULL;
  g_autoptr (GPtrArray) cards = g_ptr_array_new ();
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  TallyDemoServer *server;
  GtkWidget *login_page;
  GtkWidget *dashboard_page;
  gboolean found_caption = FALSE;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_window_present (GTK_WINDOW (window));
  tally_test_spin (300);

  login_page = tally_test_find_widget (GTK_WIDGET (window), TALLY_TYPE_LOGIN_PAGE);
  dashboard_page = tally_test_find_widget (GTK_WIDGET (window), g_type_from_name ("TallyDashboardPage"));
  g_assert_true (is_showing (login_page));
  g_assert_false (is_showing (dashboard_page));
  tally_test_save_png (GTK_WIDGET (window), "window-login.png");

  tally_test_start_demo (session);
  tally_test_spin (300);
  g_assert_false (is_showing (login_page));
  g_assert_true (is_showing (dashboard_page));

  server = TALLY_DEMO_SERVER (tally_session_get_demo_backend (session));
  stats = tally_test_fetch_data (session, "/usage/dashboard/stats");
  me = tally_test_fetch_data (session, "/auth/me");

  tally_test_collect_widgets (dashboard_page, TALLY_TYPE_STAT_CARD, cards);
  /* the "right now" strip (5, with This Month) and the range's cards (4) */
  g_assert_cmpuint (cards->len, ==, 9);

#define I(name) json_object_get_int_member (stats, name)
#define D(name) json_object_get_double_member (stats, name)
  {
    g_autofree char *balance = tally_format_cost (json_object_get_double_member (me, "balance"));
    const char *who = json_object_get_string_member (me, "username");

    if (who[0] == '\0')
      who = json_object_get_string_member (me, "email");
    assert_card (cards, "Balance", balance, who);
  }
  {
    /* today so far: no comparison with a whole day */
    g_autofree char *billed = tally_format_cost (D ("today_actual_cost"));
    g_autofree char *list = tally_format_cost (D ("today_cost"));
    g_autofree char *requests = tally_format_count (I ("today_requests"));
    g_autofree char *tokens = tally_format_tokens (I ("today_tokens"));
    g_autofree char *caption = g_strdup_printf ("List price %s · %s requests · %s tokens", list, requests, tokens);

    assert_card (cards, "Billed Today", billed, caption);
  }
  {
    g_autofree char *rpm = tally_format_count (I ("rpm"));
    g_autofree char *tpm = tally_format_tokens (I ("tpm"));
    g_autofree char *value = g_strdup_printf ("%s / %s", rpm, tpm);

    assert_card (cards, "RPM / TPM", value, "Per minute, last 5 minutes");
  }
  {
    g_autofree char *active = tally_format_count (I ("active_api_keys"));
    g_autofree char *total = tally_format_count (I ("total_api_keys"));
    g_autofree char *value = g_strdup_printf ("%s / %s", active, total);

    assert_card (cards, "API Keys", value, "Active / all");
  }
#undef I
#undef D

  /* The server's zone and day. */
  tally_test_collect_widgets (dashboard_page, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = gtk_label_get_text (g_ptr_array_index (labels, i));
      g_autofree char *expected = NULL;

      if (!g_str_has_suffix (text, "server time, Asia/Shanghai (UTC+08:00)"))
        continue;

      /* The default range ends on the server's today; the zone is named
       * because the test runs in UTC. */
      {
        GDate today;
        char day[64];

        g_assert_true (tally_date_parse (tally_demo_server_get_today (server), &today));
        g_date_strftime (day, sizeof day, "%b %-d, %Y", &today);
        expected = g_strconcat (day, " · server time, Asia/Shanghai (UTC+08:00)", NULL);
      }
      g_assert_true (g_str_has_suffix (text, expected));
      g_assert_true (gtk_widget_get_visible (g_ptr_array_index (labels, i)));
      found_caption = TRUE;
    }
  g_assert_true (found_caption);

  /* The subtitle says where the figures come from. */
  {
    g_autoptr (GPtrArray) titles = g_ptr_array_new ();
    gboolean found_demo = FALSE;

    tally_test_collect_widgets (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE, titles);
    for (guint i = 0; i < titles->len; i++)
      if (g_strcmp0 (adw_window_title_get_subtitle (g_ptr_array_index (titles, i)), "Demo") == 0)
        found_demo = TRUE;
    g_assert_true (found_demo);
  }

  tally_test_save_png (GTK_WIDGET (window), "window-dashboard.png");

  /* Log out through the action: back to the login page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.logout", NULL));
  tally_test_spin (300);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_assert_true (is_showing (login_page));

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
  g_assert_null (window);
  g_assert_finalize_object (session);
}

static void
test_toast_is_plain_text (void)
{
  TallySession *session = tally_session_new ();
  TallyWindow *window = tally_window_new (NULL, session);

  gtk_window_present (GTK_WINDOW (window));
  tally_window_add_toast (window, "Key CI <b>&amp; bot failed");
  tally_test_spin (300);

  g_assert_cmpuint (count_labels (GTK_WIDGET (window), "Key CI <b>&amp; bot failed"), >=, 1);

  destroy_window (window, session);
}

/* Views raise toasts through win.toast (plain text too), never the window's API. */
static void
test_toast_action (void)
{
  TallySession *session = tally_session_new ();
  TallyWindow *window = tally_window_new (NULL, session);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tally_window_get_dashboard_page (window)),
                                             "win.toast", "s", "Usage <i>failed</i> & more"));
  tally_test_spin (300);

  g_assert_cmpuint (count_labels (GTK_WIDGET (window), "Usage <i>failed</i> & more"), ==, 1);

  destroy_window (window, session);
}

static void
test_error_toast_keeps_cards (void)
{
  TallySession *session = tally_session_new ();
  TallyWindow *window = tally_window_new (NULL, session);
  g_autoptr (GPtrArray) cards = g_ptr_array_new ();
  g_autofree char *before = NULL;
  const char *title, *value, *caption;

  gtk_window_present (GTK_WINDOW (window));
  tally_test_start_demo (session);
  tally_test_spin (100);

  tally_test_collect_widgets (GTK_WIDGET (window), TALLY_TYPE_STAT_CARD, cards);
  read_card (g_ptr_array_index (cards, 1), &title, &value, &caption);
  before = g_strdup (value);
  g_assert_cmpstr (before, !=, "—");

  tally_demo_server_set_fault (TALLY_DEMO_SERVER (tally_session_get_demo_backend (session)), TALLY_DEMO_FAULT_SERVER_ERROR);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  tally_test_wait_session_idle (session);
  tally_test_spin (300);

  g_assert_nonnull (tally_session_get_last_error (session));
  read_card (g_ptr_array_index (cards, 1), &title, &value, &caption);
  g_assert_cmpstr (value, ==, before);

  g_assert_cmpuint (count_labels (GTK_WIDGET (window), tally_session_get_last_error (session)), >=, 1);

  destroy_window (window, session);
}

static gboolean
usage_stats_ready (gpointer data)
{
  TallyUsage *usage = data;

  return !tally_usage_get_busy (usage) && tally_usage_get_stats (usage) != NULL;
}

static gboolean
dashboard_ready (gpointer data)
{
  TallyDashboard *dashboard = data;

  return !tally_dashboard_get_busy (dashboard) && tally_dashboard_get_range_totals (dashboard) != NULL;
}

/* A key row's action lands in the usage view, filtered to that key (and
 * nothing else) over the dashboard's range, whose billed total is the key's
 * figure on the dashboard; the usage view loads nothing before it is shown. */
static void
test_show_key_usage (void)
{
  TallySession *session = tally_session_new ();
  TallyWindow *window = tally_window_new (NULL, session);
  g_autoptr (TallyUsageQuery) filtered = tally_usage_query_new ();
  g_autoptr (TallyKeyCost) row = NULL;
  TallyDemoServer *server;
  AdwViewStack *stack;
  TallyDashboard *dashboard;
  TallyUsage *usage;
  const TallyUsageQuery *query;
  guint row_index = 0;

  gtk_window_present (GTK_WINDOW (window));
  tally_test_start_demo (session);
  tally_test_spin (200);
  dashboard = tally_window_get_dashboard (window);
  tally_test_wait_until (dashboard_ready, dashboard, 20, 30, "the dashboard");
  /* a filter left in the usage view must not survive a key's click */
  tally_usage_query_set_model (filtered, "claude-sonnet-4");
  tally_session_set_usage_query (session, filtered);
  for (; row_index < g_list_model_get_n_items (tally_dashboard_get_key_costs (dashboard)); row_index++)
    {
      g_clear_object (&row);
      row = g_list_model_get_item (tally_dashboard_get_key_costs (dashboard), row_index);
      if (tally_key_cost_get_key_id (row) == 3)
        break;
    }
  g_assert_cmpint (tally_key_cost_get_key_id (row), ==, 3);
  g_assert_cmpfloat (tally_key_cost_get_range_actual_cost (row), >, 0);

  server = TALLY_DEMO_SERVER (tally_session_get_demo_backend (session));
  stack = ADW_VIEW_STACK (tally_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "dashboard");
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage"), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-key-usage", "x", (gint64) 3));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "usage");

  query = tally_session_get_usage_query (session);
  g_assert_cmpint (tally_usage_query_get_api_key_id (query), ==, 3);
  g_assert_null (tally_usage_query_get_model (query));
  g_assert_cmpstr (tally_usage_query_get_start_date (query), ==, tally_dashboard_get_start_date (dashboard));
  g_assert_cmpstr (tally_usage_query_get_end_date (query), ==, tally_dashboard_get_end_date (dashboard));

  /* the same total as the key's row */
  usage = tally_usage_page_get_usage (TALLY_USAGE_PAGE (tally_test_find_widget (GTK_WIDGET (window), TALLY_TYPE_USAGE_PAGE)));
  tally_test_wait_until (usage_stats_ready, usage, 20, 30, "the usage totals");
  g_assert_cmpfloat (tally_usage_stats_get_total_actual_cost (tally_usage_get_stats (usage)), ==,
                     tally_key_cost_get_range_actual_cost (row));

  /* Shown now: the log is being fetched. */
  for (guint i = 0; i < 100 && tally_demo_server_get_request_count (server, "/api/v1/usage") == 0; i++)
    tally_test_spin (20);
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/usage"), >=, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-dashboard", NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "dashboard");

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (100);
  g_assert_finalize_object (session);
}

static void
test_destroy_during_reload (void)
{
  TallySession *session = tally_session_new ();
  TallyWindow *window = tally_window_new (NULL, session);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_present (GTK_WINDOW (window));
  tally_test_start_demo (session);

  tally_demo_server_set_delay (TALLY_DEMO_SERVER (tally_session_get_demo_backend (session)), 300);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  tally_test_spin (50);
  g_assert_true (tally_session_get_busy (session));

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (10);
  g_assert_null (window);

  /* The answers arrive with no window to update. */
  tally_test_wait_session_idle (session);
  tally_test_spin (50);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_READY);
  g_assert_null (tally_session_get_last_error (session));

  g_assert_finalize_object (session);
}

/* Every widget under @widget that is wider than @limit at its minimum: the
 * deepest ones are the culprits. */
static void
report_wide_widgets (GtkWidget *widget,
                     int limit,
                     guint depth)
{
  int minimum = 0;

  if (!gtk_widget_get_visible (widget))
    return;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum <= limit)
    return;
  g_test_message ("%*s%s (%s): minimum width %d", (int) depth, "", G_OBJECT_TYPE_NAME (widget),
                  gtk_widget_get_name (widget), minimum);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    report_wide_widgets (child, limit, depth + 1);
}

/* The window fits a phone (360 px) on every page: cards wrap to one column,
 * the view switcher moves to the bottom bar. */
static void
test_narrow (void)
{
  TallySession *session = tally_session_new ();
  TallyWindow *window = tally_window_new (NULL, session);
  const char *const actions[] = { "win.show-usage", "win.show-dashboard" };
  int minimum = 0;

  /* GNOME's title bar buttons (a bare X server's GTK default adds two more) */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  gtk_window_present (GTK_WINDOW (window));
  tally_test_start_demo (session);
  tally_test_spin (300);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), actions[i], NULL));
      tally_test_spin (300);
      gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      g_test_message ("%s: minimum width %d", actions[i], minimum);
      if (minimum > 360)
        report_wide_widgets (GTK_WIDGET (window), 360, 0);
      g_assert_cmpint (minimum, <=, 360);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (10);
  g_assert_null (window);
  gtk_settings_reset_property (gtk_settings_get_default (), "gtk-decoration-layout");
  tally_test_wait_session_idle (session);
  g_assert_finalize_object (session);
}

static gboolean
shows_text (GtkWidget *root,
            const char *text)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  tally_test_collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_mapped (label) && strstr (gtk_label_get_text (GTK_LABEL (label)), text) != NULL)
        return TRUE;
    }

  return FALSE;
}

/* The server and e-mail rows of the login page. */
static void
assert_login_fields (GtkWidget *login_page,
                     const char *server_url,
                     const char *email)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();

  tally_test_collect_widgets (login_page, ADW_TYPE_ENTRY_ROW, rows);
  g_assert_cmpuint (rows->len, >=, 2);
  g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (rows, 0)), ==, server_url);
  g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (rows, 1)), ==, email);
}

/* A window on a demo server of its own (2000 rows), logged in with a token
 * that lasts @lifetime seconds, showing what it shows then. */
typedef struct
{
  TallyDemoServer *server;
  TallySession *session;
  TallyWindow *window;
  GtkWidget *login_page;
} TokenWindow;

static void
token_window_open (TokenWindow *tw,
                   guint lifetime)
{
  g_autofree char *token = NULL;
  g_autoptr (GError) error = NULL;

  tw->server = g_object_new (TALLY_TYPE_DEMO_SERVER, "rows", (guint) 2000, NULL);
  tw->session = tally_session_new ();
  tw->window = tally_window_new (NULL, tw->session);
  g_assert_true (tally_demo_server_start (tw->server, &error));
  g_assert_no_error (error);
  token = tally_demo_server_issue_token (tw->server, lifetime);

  gtk_window_present (GTK_WINDOW (tw->window));
  tw->login_page = tally_test_find_widget (GTK_WIDGET (tw->window), TALLY_TYPE_LOGIN_PAGE);
  tally_test_use_token (tw->session, tally_demo_server_get_url (tw->server), token);
  tally_test_wait_session_idle (tw->session);
  tally_test_spin (300);
}

/* Closes @window; @session and @server (started) must be finalized then. */
static void
close_window (TallyWindow *window,
              TallySession *session,
              TallyDemoServer *server)
{
  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (300);
  g_assert_finalize_object (session);
  tally_demo_server_stop (server);
  g_assert_finalize_object (server);
}

/* A 401 from any call: the login page, filled in, saying why. */
static void
test_unauthorized_login_page (void)
{
  TokenWindow tw;

  token_window_open (&tw, 3600);
  g_assert_false (is_showing (tw.login_page));

  tally_demo_server_set_fault (tw.server, TALLY_DEMO_FAULT_TOKEN_EXPIRED);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tw.window), "win.refresh", NULL));
  tally_test_wait_session_idle (tw.session);
  tally_test_spin (300);

  g_assert_cmpint (tally_session_get_state (tw.session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_assert_true (is_showing (tw.login_page));
  assert_login_fields (tw.login_page, tally_demo_server_get_url (tw.server), tally_demo_server_get_email (tw.server));
  g_assert_true (shows_text (tw.login_page, "Your session has expired. Please log in again."));

  close_window (tw.window, tw.session, tw.server);
}

/* Polls until the login page shows @text in a mapped label (10 s guard). */
static gboolean
login_page_says (GtkWidget *login_page,
                 const char *text)
{
  for (guint n = 0; n < 200; n++)
    {
      if (is_showing (login_page) && shows_text (login_page, text))
        return TRUE;
      tally_test_spin (50);
    }

  return FALSE;
}

static void
disable_user (TallyDemoServer *server)
{
  tally_demo_server_set_user_active (server, FALSE);
}

static void
admit_admins_only (TallyDemoServer *server)
{
  tally_demo_server_set_admin_only (server, TRUE);
}

/* Each way a login of today's server ends says why on the login page: ended
 * while in use (a refresh or a call refused), and refused at login. */
static void
test_session_end_sentences (void)
{
  static const struct
  {
    const char *hook;
    void (*end) (TallyDemoServer *server); /* after the access tokens expired */
    const char *sentence;
  } cases[] = {
    { "revoked", tally_demo_server_revoke_sessions, "Your password was changed or the session was revoked — log in again" },
    { "network", tally_demo_server_change_network, "The server noticed a change of network or app and ended the session for safety — log in again" },
    { "refresh-expired", NULL, "Your login has expired — log in again" },
    { "disabled", disable_user, "This account is disabled — contact the site’s administrator" },
    { "admin-only", admit_admins_only, "This site only lets administrators log in" },
  };
  TallyDemoServer *server = g_object_new (TALLY_TYPE_DEMO_SERVER, "rows", (guint) 500, "days", (guint) 10, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (tally_demo_server_start (server, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TallySession *session = tally_session_new ();
      TallyWindow *window = tally_window_new (NULL, session);
      g_autoptr (GPtrArray) rows = g_ptr_array_new ();
      GtkWidget *login_page;

      g_test_message ("%s", cases[i].hook);
      tally_demo_server_set_user_active (server, TRUE);
      tally_demo_server_set_admin_only (server, FALSE);
      tally_demo_server_set_refresh_lifetime (server, g_str_equal (cases[i].hook, "refresh-expired") ? 0 : 3600);

      gtk_window_present (GTK_WINDOW (window));
      login_page = tally_test_find_widget (GTK_WIDGET (window), TALLY_TYPE_LOGIN_PAGE);
      tally_test_log_in (session, server);
      tally_test_wait_session_idle (session);
      g_assert_false (is_showing (login_page));

      /* ended while in use */
      tally_demo_server_expire_access_tokens (server);
      if (cases[i].end != NULL)
        cases[i].end (server);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
      tally_test_wait_session_idle (session);
      g_assert_true (login_page_says (login_page, cases[i].sentence));
      g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);

      /* refused at login (the two that a login can meet), through the page */
      if (g_str_equal (cases[i].hook, "disabled") || g_str_equal (cases[i].hook, "admin-only"))
        {
          tally_test_collect_widgets (login_page, ADW_TYPE_ENTRY_ROW, rows);
          g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (g_ptr_array_index (rows, 2)));
          gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 2)), tally_demo_server_get_password (server));
          tally_demo_server_reset_request_counts (server);
          g_assert_true (gtk_widget_activate_action (login_page, "login.log-in", NULL));
          for (guint n = 0; n < 200 && tally_demo_server_get_request_count (server, "/api/v1/auth/login") == 0; n++)
            tally_test_spin (50);
          g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/auth/login"), ==, 1);
          g_assert_true (login_page_says (login_page, cases[i].sentence));
          g_assert_false (shows_text (login_page, "Access denied"));
        }

      gtk_window_destroy (GTK_WINDOW (window));
      tally_session_logout (session);
      tally_test_spin (300);
      tally_test_assert_finalized (session);
    }

  tally_demo_server_stop (server);
  g_assert_finalize_object (server);
}

/* Ten minutes before the token expires: a prompt, which leads to the login
 * page filled in. */
static void
test_expiry_prompt (void)
{
  TokenWindow tw;

  token_window_open (&tw, 120);

  /* the dashboard, with the prompt over it */
  g_assert_true (tally_session_get_expires_soon (tw.session));
  g_assert_false (is_showing (tw.login_page));
  g_assert_true (shows_text (GTK_WIDGET (tw.window), "Your login expires in a few minutes"));
  g_assert_true (shows_text (GTK_WIDGET (tw.window), "Log In Again"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tw.window), "win.relogin", NULL));
  tally_test_spin (300);
  g_assert_cmpint (tally_session_get_state (tw.session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_assert_false (tally_session_get_expires_soon (tw.session));
  g_assert_true (is_showing (tw.login_page));
  assert_login_fields (tw.login_page, tally_demo_server_get_url (tw.server), tally_demo_server_get_email (tw.server));
  g_assert_true (shows_text (tw.login_page, "Your login was about to expire"));
  g_assert_false (shows_text (GTK_WIDGET (tw.window), "Your login expires in a few minutes"));

  close_window (tw.window, tw.session, tw.server);
}

/* Tencent and Aliyun captchas: the login page says so and opens the
 * access-token path, whether the settings say so (today's server) or only
 * the login's 400 does (a server whose settings do not). */
static void
check_login_captcha (const char *kind,
                     TallyDemoGeneration generation,
                     const char *sentence)
{
  TallyDemoServer *server = g_object_new (TALLY_TYPE_DEMO_SERVER, "rows", (guint) 100, "generation", generation, NULL);
  TallySession *session = tally_session_new ();
  TallyWindow *window = tally_window_new (NULL, session);
  g_autoptr (GPtrArray) passwords = g_ptr_array_new ();
  g_autoptr (GPtrArray) expanders = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  GtkWidget *login_page;
  gint64 deadline;
  gboolean expanded = FALSE;

  tally_demo_server_set_captcha (server, kind);
  g_assert_true (tally_demo_server_start (server, &error));
  gtk_window_present (GTK_WINDOW (window));
  login_page = tally_test_find_widget (GTK_WIDGET (window), TALLY_TYPE_LOGIN_PAGE);
  tally_login_page_set_fields (TALLY_LOGIN_PAGE (login_page), tally_demo_server_get_url (server),
                               tally_demo_server_get_email (server));
  tally_test_collect_widgets (login_page, ADW_TYPE_PASSWORD_ENTRY_ROW, passwords);
  gtk_editable_set_text (g_ptr_array_index (passwords, 0), tally_demo_server_get_password (server));
  g_assert_true (gtk_widget_activate_action (login_page, "login.log-in", NULL));

  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!shows_text (login_page, sentence))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      tally_test_spin (50);
    }
  g_assert_false (shows_text (login_page, "rejected"));
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  /* a server that says so is never sent the password */
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/auth/login"), ==,
                    generation == TALLY_DEMO_GENERATION_CURRENT ? 0 : 1);
  tally_test_collect_widgets (login_page, ADW_TYPE_EXPANDER_ROW, expanders);
  for (guint i = 0; i < expanders->len; i++)
    expanded |= adw_expander_row_get_expanded (g_ptr_array_index (expanders, i));
  g_assert_true (expanded);

  close_window (window, session, server);
}

static void
test_login_captcha (void)
{
  const char *tencent = "This server asks for a Tencent captcha when logging in, which Tally cannot show. "
                        "Log in on the website, then paste your access token below.";
  const char *aliyun = "This server asks for an Aliyun captcha when logging in, which Tally cannot show. "
                       "Log in on the website, then paste your access token below.";

  check_login_captcha ("tencent", TALLY_DEMO_GENERATION_CURRENT, tencent);
  check_login_captcha ("aliyun", TALLY_DEMO_GENERATION_CURRENT, aliyun);
  check_login_captcha ("tencent", TALLY_DEMO_GENERATION_2025, tencent);
  check_login_captcha ("aliyun", TALLY_DEMO_GENERATION_2025, aliyun);
}

int
main (int argc,
      char *argv[])
{
  g_autoptr (GtkCssProvider) provider = NULL;

  tally_test_gtk_init (&argc, &argv);

  /* What TallyApplication gets from its resource base path. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    RESOURCE_PATH "/icons");
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add_func ("/window/dashboard", test_dashboard);
  g_test_add_func ("/window/toast-is-plain-text", test_toast_is_plain_text);
  g_test_add_func ("/window/toast-action", test_toast_action);
  g_test_add_func ("/window/error-toast-keeps-cards", test_error_toast_keeps_cards);
  g_test_add_func ("/window/destroy-during-reload", test_destroy_during_reload);
  g_test_add_func ("/window/show-key-usage", test_show_key_usage);
  g_test_add_func ("/window/unauthorized-login-page", test_unauthorized_login_page);
  g_test_add_func ("/window/login-captcha", test_login_captcha);
  g_test_add_func ("/window/expiry-prompt", test_expiry_prompt);
  g_test_add_func ("/window/session-end-sentences", test_session_end_sentences);
  g_test_add_func ("/window/narrow", test_narrow);

  return g_test_run ();
}

/* tally-application.c: the GtkApplication; owns the one TallySession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tally-application.h"
#include "tally-demo-server.h"
#include "tally-error.h"
#include "tally-resources.h"
#include "tally-alerts.h"
#include "tally-dashboard-page.h"
#include "tally-timing.h"
#include "tally-usage-query-variant.h"
#include "tally-usage-query.h"
#include "tally-window.h"

struct _TallyApplication
{
  AdwApplication parent_instance;

  /* Owned References */
  TallySession *session;
  GCancellable *cancellable;
  GSettings *settings;
  TallyAlerts *alerts; /* of the window's month budget, made with the window */

  /* Command-line options */
  char *server_url;
  guint demo : 1;
  guint started : 1;
  guint filled_marked : 1; /* "dashboard-filled" printed (TALLY_DEBUG=timing) */
};

G_DEFINE_FINAL_TYPE (TallyApplication, tally_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Show made-up data from a built-in demo server"), NULL },
  { "server", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Use the server at URL (with TALLY_TOKEN set, log in with that token)"), N_ ("URL") },
  { "non-unique", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Run a separate instance (for tests)"), NULL },
  { NULL }
};

static TallyWindow *
get_window (TallyApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (TALLY_IS_WINDOW (window))
    return TALLY_WINDOW (window);

  return NULL;
}

static void
startup_cb (GObject *object,
            GAsyncResult *result,
            gpointer user_data)
{
  g_autoptr (TallyApplication) self = user_data;
  g_autoptr (GError) error = NULL;
  TallyWindow *window;

  tally_timing_mark ("session-loaded");

  if (g_async_result_is_tagged (result, tally_session_start_demo_async))
    tally_session_start_demo_finish (TALLY_SESSION (object), result, &error);
  else
    tally_session_restore_finish (TALLY_SESSION (object), result, &error);

  if (error == NULL || tally_error_is_cancelled (error))
    return;

  /* An expired saved login already says so through "last-error". */
  if (g_error_matches (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED))
    return;

  g_debug ("Could not restore the login: %s", error->message);

  window = get_window (self);
  if (window != NULL)
    tally_window_add_toast (window, error->message);
}

static void
start_session (TallyApplication *self)
{
  g_assert (TALLY_IS_APPLICATION (self));

  if (self->started)
    return;
  self->started = TRUE;

  if (self->demo)
    {
      g_autoptr (TallyDemoServer) demo = tally_demo_server_new_from_environment ();

      tally_session_start_demo_async (self->session,
                                      TALLY_DEMO_BACKEND (demo),
                                      self->cancellable,
                                      startup_cb,
                                      g_object_ref (self));
      return;
    }

  /* Only prefill (see activate): the user logs in to the server they asked for. */
  if (self->server_url != NULL && g_getenv ("TALLY_TOKEN") == NULL)
    return;

  /* TALLY_TOKEN (for --server, or TALLY_SERVER), else the keyring. */
  tally_session_restore_async (self->session,
                               self->server_url,
                               self->cancellable,
                               startup_cb,
                               g_object_ref (self));
}

static void
first_frame_cb (GdkFrameClock *clock,
                gpointer user_data)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, user_data);
  tally_timing_mark ("first-frame");
}

/* TALLY_DEBUG=timing: "dashboard-filled" once per process, when the first
 * frame with every value in has been painted. */
static void
dashboard_filled_cb (TallyDashboardPage *page,
                     GParamSpec *pspec,
                     TallyApplication *self)
{
  if (self->filled_marked || !tally_dashboard_page_get_filled (page))
    return;

  self->filled_marked = TRUE;
  tally_timing_mark ("dashboard-filled");
}

/* One alert of TallyAlerts as a desktop notification: its id is the
 * notification's, so a repeat replaces rather than piles up. */
static void
alert_cb (TallyApplication *self,
          const char *id,
          const char *title,
          const char *body,
          const char *action,
          GVariant *target)
{
  g_autoptr (GNotification) notification = g_notification_new (title);

  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target_value (notification, action, target);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
apply_balance_threshold (TallyApplication *self)
{
  if (self->alerts != NULL)
    tally_alerts_set_balance_threshold (self->alerts, g_settings_get_double (self->settings, "low-balance-threshold"));
}

/* The alerts follow the session and the month budget of @window's dashboard.
 * TALLY_NOTIFICATIONS=off sends none (the tests' environment: without a
 * notification server GLib warns of each one). */
static void
watch_alerts (TallyApplication *self,
              TallyWindow *window)
{
  TallyMonthBudget *budget = tally_dashboard_page_get_month_budget (tally_window_get_dashboard_page (window));

  g_clear_object (&self->alerts);
  if (budget == NULL || g_strcmp0 (g_getenv ("TALLY_NOTIFICATIONS"), "off") == 0)
    return;
  self->alerts = tally_alerts_new (self->session, budget);
  g_signal_connect_object (self->alerts, "alert", G_CALLBACK (alert_cb), self, G_CONNECT_SWAPPED);
  apply_balance_threshold (self);
}

static void
tally_application_activate (GApplication *app)
{
  TallyApplication *self = TALLY_APPLICATION (app);
  gboolean first = !self->started;
  TallyWindow *window;

  tally_timing_mark ("activate");

  /* The first requests go out before the window is built: the demo server
   * or the network answers while GTK lays out the first frame. */
  start_session (self);

  window = get_window (self);
  if (window == NULL)
    {
      window = tally_window_new (GTK_APPLICATION (self), self->session);
      watch_alerts (self, window);
      tally_timing_mark ("window-built");
      if (tally_timing_enabled () && !self->filled_marked)
        g_signal_connect_object (tally_window_get_dashboard_page (window), "notify::filled",
                                 G_CALLBACK (dashboard_filled_cb), self, 0);
    }

  if (first && !self->demo && self->server_url != NULL && g_getenv ("TALLY_TOKEN") == NULL)
    tally_window_prefill_login (window, self->server_url, NULL);

  gtk_window_present (GTK_WINDOW (window));

  if (tally_timing_enabled ())
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

      if (clock != NULL)
        g_signal_connect (clock, "after-paint", G_CALLBACK (first_frame_cb), NULL);
    }
}

static int
tally_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  TallyApplication *self = TALLY_APPLICATION (app);
  const char *server_url = NULL;

  if (g_variant_dict_contains (options, "non-unique"))
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);

  self->demo = g_variant_dict_contains (options, "demo");

  if (g_variant_dict_lookup (options, "server", "&s", &server_url))
    {
      g_free (self->server_url);
      self->server_url = g_strdup (server_url);
    }

  return -1;
}

static void
quit_action (GSimpleAction *action,
             GVariant *param,
             gpointer user_data)
{
  TallyApplication *self = user_data;
  GList *windows;

  /* Close windows properly, so they save their size. */
  windows = gtk_application_get_windows (GTK_APPLICATION (self));
  while (windows != NULL)
    {
      GtkWindow *window = windows->data;

      windows = windows->next;
      gtk_window_close (window);
    }

  g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant *param,
              gpointer user_data)
{
  TallyApplication *self = user_data;
  static const char *developers[] = { "The Tally developers", NULL };
  GtkWindow *parent;
  GtkWidget *about;

  parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", "Tally",
                        "application-icon", BASE_ID,
                        "developer-name", _ ("The Tally developers"), "version", PACKAGE_VERSION, "comments", _ ("See what your sub2api API keys cost"), "website", "https://github.com/tallyapp/tally", "issue-url", "https://github.com/tallyapp/tally/issues", "license-type", GTK_LICENSE_GPL_3_0, "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _ ("translator-credits"), NULL);

  gtk_window_present (GTK_WINDOW (about));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant *param,
                  gpointer user_data)
{
  TallyApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

/* The "color-scheme" key: default (follow the system), light or dark. */
static void
apply_color_scheme (TallyApplication *self)
{
  g_autofree char *nick = NULL;
  AdwColorScheme scheme = ADW_COLOR_SCHEME_DEFAULT;

  g_assert (TALLY_IS_APPLICATION (self));

  nick = g_settings_get_string (self->settings, "color-scheme");
  if (g_str_equal (nick, "light"))
    scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_str_equal (nick, "dark"))
    scheme = ADW_COLOR_SCHEME_FORCE_DARK;

  adw_style_manager_set_color_scheme (adw_application_get_style_manager (ADW_APPLICATION (self)), scheme);
}

/* app.show-usage a{sv}: the usage view with exactly that filter, e.g.
 * `gapplication action io.github.tallyapp.Tally show-usage "{'model': <'claude-sonnet-4'>}"`
 * (keys: tally-usage-query-variant.h). Opens the window when there is none. */
static void
show_usage_action (GSimpleAction *action,
                   GVariant *parameter,
                   gpointer user_data)
{
  TallyApplication *self = user_data;
  g_autoptr (TallyUsageQuery) query = NULL;
  TallyWindow *window = get_window (self);

  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (self));
      window = get_window (self);
    }
  g_return_if_fail (window != NULL);

  query = tally_usage_query_new_from_variant (parameter, tally_session_get_server_today (self->session));
  tally_window_show_usage_query (window, query);
  gtk_window_present (GTK_WINDOW (window));
}

/* app.show-dashboard a{sv} ({"server": <s>, "email": <s>}, the account an
 * alert was about): presents the window on the dashboard. Opens the window
 * when there is none. */
static void
show_dashboard_action (GSimpleAction *action,
                       GVariant *parameter,
                       gpointer user_data)
{
  TallyApplication *self = user_data;
  TallyWindow *window = get_window (self);

  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (self));
      window = get_window (self);
    }
  g_return_if_fail (window != NULL);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-dashboard", NULL);
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_entries[] = {
  { .name = "quit", .activate = quit_action },
  { .name = "about", .activate = about_action },
  { .name = "shortcuts", .activate = shortcuts_action },
  { .name = "show-usage", .activate = show_usage_action, .parameter_type = "a{sv}" },
  { .name = "show-dashboard", .activate = show_dashboard_action, .parameter_type = "a{sv}" },
};

static void
tally_application_startup (GApplication *app)
{
  TallyApplication *self = TALLY_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (tally_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_entries,
                                   G_N_ELEMENTS (app_entries),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);

  gtk_window_set_default_icon_name (APP_ID);

  /* Applied before any window is shown, and whenever the key changes. */
  self->settings = g_settings_new (BASE_ID);
  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (apply_color_scheme), self, G_CONNECT_SWAPPED);
  apply_color_scheme (self);
  g_signal_connect_object (self->settings, "changed::low-balance-threshold",
                           G_CALLBACK (apply_balance_threshold), self, G_CONNECT_SWAPPED);
}

static void
tally_application_shutdown (GApplication *app)
{
  TallyApplication *self = TALLY_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);

  G_APPLICATION_CLASS (tally_application_parent_class)->shutdown (app);
}

static void
tally_application_dispose (GObject *object)
{
  TallyApplication *self = (TallyApplication *) object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->alerts);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tally_application_parent_class)->dispose (object);
}

static void
tally_application_finalize (GObject *object)
{
  TallyApplication *self = (TallyApplication *) object;

  g_clear_pointer (&self->server_url, g_free);

  G_OBJECT_CLASS (tally_application_parent_class)->finalize (object);
}

static void
tally_application_class_init (TallyApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tally_application_dispose;
  object_class->finalize = tally_application_finalize;

  app_class->activate = tally_application_activate;
  app_class->startup = tally_application_startup;
  app_class->shutdown = tally_application_shutdown;
  app_class->handle_local_options = tally_application_handle_local_options;
}

static void
tally_application_init (TallyApplication *self)
{
  /* Keep the resources (and their registration) linked in from the static library. */
  (void) tally_get_resource ();

  self->session = tally_session_new ();
  self->cancellable = g_cancellable_new ();

  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
}

TallyApplication *
tally_application_new (void)
{
  return g_object_new (TALLY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", RESOURCE_PATH,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

TallySession *
tally_application_get_session (TallyApplication *self)
{
  g_return_val_if_fail (TALLY_IS_APPLICATION (self), NULL);

  return self->session;
}

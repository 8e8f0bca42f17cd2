/* tally-window.c: the main window: login, or the dashboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-dashboard-page.h"
#include "tally-export-dialog.h"
#include "tally-usage-page.h"
#include "tally-dashboard.h"
#include "tally-date-range-button.h"
#include "tally-preferences-window.h"
#include "tally-server-time.h"
#include "tally-usage-query.h"
#include "tally-login-page.h"
#include "tally-window.h"

struct _TallyWindow
{
  AdwApplicationWindow parent_instance;

  /* Template Widgets */
  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  AdwViewSwitcherTitle *window_title;
  AdwViewStack *view_stack;
  TallyUsagePage *usage_page;
  GtkStack *refresh_stack;
  GtkSpinner *refresh_spinner;
  TallyLoginPage *login_page;
  TallyDashboardPage *dashboard_page;
  TallyDateRangeButton *range_button;

  /* Owned References */
  TallySession *session;
  GSettings *settings;
  TallyDashboard *dashboard;
  guint auto_refresh_source;
  gboolean syncing_range;
  AdwToast *expiry_toast; /* weak: the "log in again" prompt while shown */
};

G_DEFINE_FINAL_TYPE (TallyWindow, tally_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_title (TallyWindow *self)
{
  g_autofree char *subtitle = NULL;
  const char *url;

  g_assert (TALLY_IS_WINDOW (self));

  url = tally_session_get_server_url (self->session);

  if (tally_session_get_demo (self->session))
    subtitle = g_strdup (_ ("Demo"));
  else if (url != NULL)
    {
      g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

      if (uri != NULL && g_uri_get_host (uri) != NULL)
        {
          int port = g_uri_get_port (uri);

          if (port > 0)
            subtitle = g_strdup_printf ("%s:%d", g_uri_get_host (uri), port);
          else
            subtitle = g_strdup (g_uri_get_host (uri));
        }
      else
        subtitle = g_strdup (url);
    }

  /* AdwWindowTitle shows plain text. */
  adw_view_switcher_title_set_subtitle (self->window_title, subtitle != NULL ? subtitle : "");
}

static void
update_busy (TallyWindow *self)
{
  gboolean busy;

  g_assert (TALLY_IS_WINDOW (self));

  busy = tally_session_get_busy (self->session) || (self->dashboard != NULL && tally_dashboard_get_busy (self->dashboard));
  gtk_stack_set_visible_child_name (self->refresh_stack, busy ? "spinner" : "icon");
  gtk_spinner_set_spinning (self->refresh_spinner, busy);
}

static void
update_state (TallyWindow *self)
{
  TallySessionState state;
  gboolean logged_in;

  g_assert (TALLY_IS_WINDOW (self));

  state = tally_session_get_state (self->session);
  logged_in = state == TALLY_SESSION_STATE_LOADING || state == TALLY_SESSION_STATE_READY;

  /* Straight to the data on the way in (a full-window crossfade costs about
   * 200 ms of software rendering on machines without a GPU); fade on the way out. */
  gtk_stack_set_visible_child_full (self->stack,
                                    logged_in ? "main" : "login",
                                    logged_in ? GTK_STACK_TRANSITION_TYPE_NONE
                                              : GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", logged_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.logout", logged_in);

  /* Remember where we logged in, for the next login page. */
  if (state == TALLY_SESSION_STATE_READY && !tally_session_get_demo (self->session))
    {
      const char *url = tally_session_get_server_url (self->session);
      const char *email = tally_session_get_email (self->session);

      if (url != NULL)
        g_settings_set_string (self->settings, "server-url", url);
      if (email != NULL)
        g_settings_set_string (self->settings, "email", email);
    }
}

static void
last_error_changed_cb (TallyWindow *self)
{
  const char *message;

  g_assert (TALLY_IS_WINDOW (self));

  message = tally_session_get_last_error (self->session);
  if (message != NULL)
    tally_window_add_toast (self, message);
}

/* Before the token expires: a prompt that stays until answered. */
static void
expires_soon_cb (TallyWindow *self)
{
  AdwToast *toast;

  g_assert (TALLY_IS_WINDOW (self));

  if (!tally_session_get_expires_soon (self->session))
    {
      if (self->expiry_toast != NULL)
        adw_toast_dismiss (self->expiry_toast);
      return;
    }

  if (self->expiry_toast != NULL || tally_session_get_demo (self->session))
    return;

  toast = adw_toast_new (_ ("Your login expires in a few minutes"));
  adw_toast_set_button_label (toast, _ ("Log In Again"));
  adw_toast_set_action_name (toast, "win.relogin");
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  self->expiry_toast = toast;
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &self->expiry_toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Back to the login page with the server and e-mail filled in. */
static void
relogin_action (GtkWidget *widget,
                const char *action_name,
                GVariant *param)
{
  TallyWindow *self = TALLY_WINDOW (widget);
  g_autofree char *server_url = NULL;
  g_autofree char *email = NULL;

  if (self->expiry_toast != NULL)
    adw_toast_dismiss (self->expiry_toast);

  if (tally_session_get_demo (self->session))
    return; /* the demo renews its login by itself */

  server_url = g_strdup (tally_session_get_server_url (self->session));
  email = g_strdup (tally_session_get_email (self->session));

  tally_session_logout (self->session);
  tally_login_page_set_fields (self->login_page, server_url, email);
  tally_login_page_show_message (self->login_page,
                                 _ ("Your login was about to expire. Log in again to continue."));
}

static void
dashboard_error_cb (TallyWindow *self)
{
  const char *message = tally_dashboard_get_last_error (self->dashboard);

  if (message != NULL)
    tally_window_add_toast (self, message);
}

/* The range button shows the dashboard's range; choosing one sets it. */
static void
dashboard_range_cb (TallyWindow *self)
{
  const char *start = tally_dashboard_get_start_date (self->dashboard);
  const char *end = tally_dashboard_get_end_date (self->dashboard);

  if (start == NULL || end == NULL)
    return;

  self->syncing_range = TRUE;
  tally_date_range_button_set_range (self->range_button, start, end);
  self->syncing_range = FALSE;
}

static void
button_range_cb (TallyWindow *self)
{
  if (self->syncing_range)
    return;

  tally_dashboard_set_range (self->dashboard,
                             tally_date_range_button_get_start_date (self->range_button),
                             tally_date_range_button_get_end_date (self->range_button));
}

static void
refresh_action (GtkWidget *widget,
                const char *action_name,
                GVariant *param)
{
  TallyWindow *self = TALLY_WINDOW (widget);

  /* The dashboard waits for the session's reload, then reloads too. */
  tally_session_reload (self->session);
  tally_dashboard_reload (self->dashboard);
  if (tally_usage_page_get_session (self->usage_page) != NULL)
    tally_usage_page_reload (self->usage_page);
}

/* The usage view loads nothing until it is first shown: opening the window
 * costs only the dashboard's requests. */
static void
ensure_usage_page (TallyWindow *self)
{
  g_assert (TALLY_IS_WINDOW (self));

  if (tally_usage_page_get_session (self->usage_page) == NULL)
    tally_usage_page_set_session (self->usage_page, self->session);
}

static void
visible_view_changed_cb (TallyWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);
  gboolean usage = g_strcmp0 (name, "usage") == 0;

  g_assert (TALLY_IS_WINDOW (self));

  /* The usage view has its own date range in its filter bar. */
  gtk_widget_set_visible (GTK_WIDGET (self->range_button), !usage);
  if (usage)
    ensure_usage_page (self);
}

static void
show_usage (TallyWindow *self)
{
  g_assert (TALLY_IS_WINDOW (self));

  ensure_usage_page (self);
  adw_view_stack_set_visible_child_name (self->view_stack, "usage");
}

static void
show_usage_action (GtkWidget *widget,
                   const char *action_name,
                   GVariant *param)
{
  show_usage (TALLY_WINDOW (widget));
}

static void
show_dashboard_action (GtkWidget *widget,
                       const char *action_name,
                       GVariant *param)
{
  TallyWindow *self = TALLY_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "dashboard");
}

static void
find_action (GtkWidget *widget,
             const char *action_name,
             GVariant *param)
{
  TallyWindow *self = TALLY_WINDOW (widget);

  show_usage (self);
  gtk_widget_activate_action (GTK_WIDGET (self->usage_page), "usage.focus-filter", NULL);
}

/* A finished export: "Exported “NAME”" with an "Open" button. */
static void
export_done_cb (TallyWindow *self,
                GFile *file)
{
  adw_toast_overlay_add_toast (self->toast_overlay, tally_export_dialog_new_done_toast (GTK_WINDOW (self), file));
}

/* win.toast: views show a message (plain text) without knowing the window. */
static void
toast_action (GtkWidget *widget,
              const char *action_name,
              GVariant *param)
{
  tally_window_add_toast (TALLY_WINDOW (widget), g_variant_get_string (param, NULL));
}

/* Export what is on screen: the usage view's filter, or the dashboard's range. */
static void
export_action (GtkWidget *widget,
               const char *action_name,
               GVariant *param)
{
  TallyWindow *self = TALLY_WINDOW (widget);
  g_autoptr (TallyUsageQuery) query = NULL;
  TallyExportDialog *dialog;

  if (tally_session_get_client (self->session) == NULL)
    return;

  query = tally_usage_query_copy (tally_session_get_usage_query (self->session));
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "usage") != 0)
    {
      tally_usage_query_free (query);
      query = tally_usage_query_new ();
      tally_usage_query_set_range (query,
                                   tally_dashboard_get_start_date (self->dashboard),
                                   tally_dashboard_get_end_date (self->dashboard),
                                   NULL);
    }

  dialog = tally_export_dialog_present (GTK_WINDOW (self), self->session, query);
  g_signal_connect_object (dialog, "done", G_CALLBACK (export_done_cb), self, G_CONNECT_SWAPPED);
}

/* win.range (Alt+1…7): the preset applies to the view on screen, never to
 * a hidden one: the dashboard's range, or the usage view's filter. */
static void
range_action (GtkWidget *widget,
              const char *action_name,
              GVariant *param)
{
  TallyWindow *self = TALLY_WINDOW (widget);
  const char *id = g_variant_get_string (param, NULL);
  g_autoptr (TallyUsageQuery) query = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  TallyDatePreset preset;

  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "usage") != 0)
    {
      tally_date_range_button_apply_preset (self->range_button, id);
      return;
    }

  if (!tally_date_preset_from_id (id, &preset))
    return;
  tally_date_preset_range (preset, tally_session_get_server_today (self->session), &start, &end);
  if (start == NULL || end == NULL)
    return;

  query = tally_usage_query_copy (tally_session_get_usage_query (self->session));
  if (tally_usage_query_set_range (query, start, end, NULL))
    tally_session_set_usage_query (self->session, query);
}

static void
show_key_usage_action (GtkWidget *widget,
                       const char *action_name,
                       GVariant *param)
{
  TallyWindow *self = TALLY_WINDOW (widget);
  g_autoptr (TallyUsageQuery) query = NULL;

  /* The key's log over the days the dashboard shows, and nothing else: its
   * totals are then the key's row on the dashboard. */
  query = tally_usage_query_new ();
  tally_usage_query_set_api_key_id (query, g_variant_get_int64 (param));
  tally_usage_query_set_range (query,
                               tally_dashboard_get_start_date (self->dashboard),
                               tally_dashboard_get_end_date (self->dashboard),
                               NULL);
  tally_session_set_usage_query (self->session, query);
  show_usage (self);
}

static void
preferences_action (GtkWidget *widget,
                    const char *action_name,
                    GVariant *param)
{
  TallyWindow *self = TALLY_WINDOW (widget);
  GtkWindow *preferences = tally_preferences_window_new (GTK_WINDOW (self), self->session);

  tally_preferences_window_set_month_budget (TALLY_PREFERENCES_WINDOW (preferences),
                                             tally_dashboard_page_get_month_budget (self->dashboard_page));
  gtk_window_present (preferences);
}

static gboolean
window_is_shown (TallyWindow *self)
{
  GdkSurface *surface;

  if (!gtk_widget_get_visible (GTK_WIDGET (self)) || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return FALSE;

  surface = gtk_native_get_surface (GTK_NATIVE (self));
  if (surface != NULL && GDK_IS_TOPLEVEL (surface) && (gdk_toplevel_get_state (GDK_TOPLEVEL (surface)) & GDK_TOPLEVEL_STATE_MINIMIZED) != 0)
    return FALSE;

  return TRUE;
}

static gboolean
auto_refresh_cb (gpointer user_data)
{
  TallyWindow *self = user_data;
  TallySessionState state = tally_session_get_state (self->session);

  /* Paused while hidden or minimized: nobody looks at the figures. */
  if (window_is_shown (self) && state == TALLY_SESSION_STATE_READY)
    {
      tally_session_reload (self->session);
      tally_dashboard_reload (self->dashboard);
    }

  return G_SOURCE_CONTINUE;
}

static void
update_auto_refresh (TallyWindow *self)
{
  guint minutes = g_settings_get_uint (self->settings, "auto-refresh-minutes");

  g_clear_handle_id (&self->auto_refresh_source, g_source_remove);
  if (minutes > 0 && window_is_shown (self))
    self->auto_refresh_source = g_timeout_add_seconds (minutes * 60, auto_refresh_cb, self);
}

static void
logout_action (GtkWidget *widget,
               const char *action_name,
               GVariant *param)
{
  TallyWindow *self = TALLY_WINDOW (widget);

  tally_session_logout (self->session);
}

static void
save_window_state (TallyWindow *self)
{
  int width = 0;
  int height = 0;

  g_assert (TALLY_IS_WINDOW (self));

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
tally_window_close_request (GtkWindow *window)
{
  save_window_state (TALLY_WINDOW (window));

  return GTK_WINDOW_CLASS (tally_window_parent_class)->close_request (window);
}

static void
tally_window_constructed (GObject *object)
{
  TallyWindow *self = (TallyWindow *) object;
  g_autofree char *server_url = NULL;
  g_autofree char *email = NULL;

  G_OBJECT_CLASS (tally_window_parent_class)->constructed (object);

  if (self->session == NULL)
    self->session = tally_session_new ();

  tally_login_page_set_session (self->login_page, self->session);
  tally_dashboard_page_set_session (self->dashboard_page, self->session);

  self->dashboard = tally_dashboard_new (self->session);
  tally_dashboard_page_set_dashboard (self->dashboard_page, self->dashboard);
  g_object_bind_property (self->session, "server-today",
                          self->range_button, "server-today",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->dashboard, "notify::start-date",
                           G_CALLBACK (dashboard_range_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->dashboard, "notify::end-date",
                           G_CALLBACK (dashboard_range_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->range_button, "range-changed",
                           G_CALLBACK (button_range_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->dashboard, "notify::last-error",
                           G_CALLBACK (dashboard_error_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->dashboard, "notify::busy",
                           G_CALLBACK (update_busy), self, G_CONNECT_SWAPPED);
  dashboard_range_cb (self);

  g_signal_connect_object (self->session, "notify::state",
                           G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::busy",
                           G_CALLBACK (update_busy), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::last-error",
                           G_CALLBACK (last_error_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::server-url",
                           G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::demo",
                           G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::expires-soon",
                           G_CALLBACK (expires_soon_cb), self, G_CONNECT_SWAPPED);

  /* The last server and e-mail, unless the session already knows better. */
  server_url = g_settings_get_string (self->settings, "server-url");
  email = g_settings_get_string (self->settings, "email");
  if (!tally_session_get_demo (self->session))
    tally_login_page_prefill (self->login_page,
                              tally_session_get_server_url (self->session),
                              tally_session_get_email (self->session));
  tally_login_page_prefill (self->login_page, server_url, email);

  update_title (self);
  update_busy (self);
  update_state (self);
  expires_soon_cb (self);
}

static void
tally_window_dispose (GObject *object)
{
  TallyWindow *self = (TallyWindow *) object;

  g_clear_handle_id (&self->auto_refresh_source, g_source_remove);
  if (self->expiry_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->expiry_toast), (gpointer *) &self->expiry_toast);
  self->expiry_toast = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), TALLY_TYPE_WINDOW);
  if (self->dashboard != NULL)
    g_object_run_dispose (G_OBJECT (self->dashboard)); /* cancels its loads */
  g_clear_object (&self->dashboard);

  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tally_window_parent_class)->dispose (object);
}

static void
tally_window_get_property (GObject *object,
                           guint prop_id,
                           GValue *value,
                           GParamSpec *pspec)
{
  TallyWindow *self = TALLY_WINDOW (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        g_value_set_object (value, self->session);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_window_set_property (GObject *object,
                           guint prop_id,
                           const GValue *value,
                           GParamSpec *pspec)
{
  TallyWindow *self = TALLY_WINDOW (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        g_assert (self->session == NULL);
        self->session = g_value_dup_object (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_window_class_init (TallyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = tally_window_constructed;
  object_class->dispose = tally_window_dispose;
  object_class->get_property = tally_window_get_property;
  object_class->set_property = tally_window_set_property;

  window_class->close_request = tally_window_close_request;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL,
                                                  TALLY_TYPE_SESSION,
                                                  (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TALLY_TYPE_LOGIN_PAGE);
  g_type_ensure (TALLY_TYPE_DASHBOARD_PAGE);
  g_type_ensure (TALLY_TYPE_DATE_RANGE_BUTTON);
  g_type_ensure (TALLY_TYPE_USAGE_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/tally-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, refresh_stack);
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, refresh_spinner);
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, dashboard_page);
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, range_button);
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, usage_page);
  gtk_widget_class_bind_template_callback (widget_class, visible_view_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.logout", NULL, logout_action);
  gtk_widget_class_install_action (widget_class, "win.relogin", NULL, relogin_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);

  gtk_widget_class_install_action (widget_class, "win.range", "s", range_action);
  gtk_widget_class_install_action (widget_class, "win.show-key-usage", "x", show_key_usage_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.show-usage", NULL, show_usage_action);
  gtk_widget_class_install_action (widget_class, "win.show-dashboard", NULL, show_dashboard_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK, "win.show-dashboard", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK, "win.show-usage", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "win.preferences", NULL);
  for (TallyDatePreset i = 0; i < TALLY_DATE_PRESET_N_PRESETS; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.range", "s", tally_date_preset_get_id (i));
}

static void
tally_window_init (TallyWindow *self)
{
  int width;
  int height;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_ID);

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (self->settings, "changed::auto-refresh-minutes",
                           G_CALLBACK (update_auto_refresh), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (update_auto_refresh), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (update_auto_refresh), NULL);
  g_signal_connect (self, "notify::visible", G_CALLBACK (update_auto_refresh), NULL);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

TallyWindow *
tally_window_new (GtkApplication *application,
                  TallySession *session)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (TALLY_IS_SESSION (session), NULL);

  return g_object_new (TALLY_TYPE_WINDOW,
                       "application", application,
                       "session", session,
                       NULL);
}

TallyDashboard *
tally_window_get_dashboard (TallyWindow *self)
{
  g_return_val_if_fail (TALLY_IS_WINDOW (self), NULL);

  return self->dashboard;
}

TallyDashboardPage *
tally_window_get_dashboard_page (TallyWindow *self)
{
  g_return_val_if_fail (TALLY_IS_WINDOW (self), NULL);

  return self->dashboard_page;
}

TallySession *
tally_window_get_session (TallyWindow *self)
{
  g_return_val_if_fail (TALLY_IS_WINDOW (self), NULL);

  return self->session;
}

void
tally_window_prefill_login (TallyWindow *self,
                            const char *server_url,
                            const char *email)
{
  g_return_if_fail (TALLY_IS_WINDOW (self));

  tally_login_page_set_fields (self->login_page, server_url, email);
}

void
tally_window_add_toast (TallyWindow *self,
                        const char *message)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (TALLY_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  /* libadwaita 1.2 toast titles are Pango markup: server text must be escaped. */
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
tally_window_show_usage_query (TallyWindow *self,
                               const TallyUsageQuery *query)
{
  g_return_if_fail (TALLY_IS_WINDOW (self));
  g_return_if_fail (query != NULL);

  tally_session_set_usage_query (self->session, query);
  show_usage (self);
}

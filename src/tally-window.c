/* tally-window.c: the main window: login, or the dashboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-dashboard-page.h"
#include "tally-login-page.h"
#include "tally-window.h"

struct _TallyWindow
{
  AdwApplicationWindow parent_instance;

  /* Template Widgets */
  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  AdwWindowTitle *window_title;
  GtkStack *refresh_stack;
  GtkSpinner *refresh_spinner;
  TallyLoginPage *login_page;
  TallyDashboardPage *dashboard_page;

  /* Owned References */
  TallySession *session;
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (TallyWindow, tally_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
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
    subtitle = g_strdup (_("Demo"));
  else if (url != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

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
  adw_window_title_set_subtitle (self->window_title, subtitle != NULL ? subtitle : "");
}

static void
update_busy (TallyWindow *self)
{
  gboolean busy;

  g_assert (TALLY_IS_WINDOW (self));

  busy = tally_session_get_busy (self->session);
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

  gtk_stack_set_visible_child_name (self->stack, logged_in ? "main" : "login");
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

static void
refresh_action (GtkWidget *widget,
                const char *action_name,
                GVariant *param)
{
  TallyWindow *self = TALLY_WINDOW (widget);

  tally_session_reload (self->session);
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
  TallyWindow *self = (TallyWindow *)object;
  g_autofree char *server_url = NULL;
  g_autofree char *email = NULL;

  G_OBJECT_CLASS (tally_window_parent_class)->constructed (object);

  if (self->session == NULL)
    self->session = tally_session_new ();

  tally_login_page_set_session (self->login_page, self->session);
  tally_dashboard_page_set_session (self->dashboard_page, self->session);

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
}

static void
tally_window_dispose (GObject *object)
{
  TallyWindow *self = (TallyWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TALLY_TYPE_WINDOW);

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

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TALLY_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TALLY_TYPE_LOGIN_PAGE);
  g_type_ensure (TALLY_TYPE_DASHBOARD_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/tally-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, refresh_stack);
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, refresh_spinner);
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, TallyWindow, dashboard_page);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.logout", NULL, logout_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
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

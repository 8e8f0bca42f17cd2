/* test-notifications.c: the alerts of `tally --demo` as desktop notifications (needs a display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the application (`tally --demo`, today's server) on a private session
 * bus (GTestDBus) where this test owns org.gtk.Notifications, the name GLib's
 * notification backend sends to when it has an owner. Every AddNotification
 * call is recorded: each state the demo has arrives once, with the alert's id,
 * title, body and default action; a reload sends nothing again; the default
 * action app.show-dashboard presents the dashboard; the user's low-balance
 * threshold of Preferences applies.
 */

#include "config.h"

#include <adwaita.h>

#include "tally-application.h"
#include "tally-session.h"
#include "tally-test-gtk-utils.h"
#include "tally-test-utils.h"
#include "tally-window.h"

#define GUARD_SECONDS 60

static const char introspection[] = "<node>"
                                    "  <interface name='org.gtk.Notifications'>"
                                    "    <method name='AddNotification'>"
                                    "      <arg type='s' direction='in'/>"
                                    "      <arg type='s' direction='in'/>"
                                    "      <arg type='a{sv}' direction='in'/>"
                                    "    </method>"
                                    "    <method name='RemoveNotification'>"
                                    "      <arg type='s' direction='in'/>"
                                    "      <arg type='s' direction='in'/>"
                                    "    </method>"
                                    "  </interface>"
                                    "</node>";

typedef struct
{
  TallyApplication *app;
  TallyWindow *window;
  GPtrArray *ids;            /* notification ids, in the order they came */
  GHashTable *notifications; /* id → the a{sv} sent */
  gboolean done;
} Run;

static Run run;

static void
method_call (GDBusConnection *connection,
             const char *sender,
             const char *object_path,
             const char *interface_name,
             const char *method_name,
             GVariant *parameters,
             GDBusMethodInvocation *invocation,
             gpointer user_data)
{
  if (g_str_equal (method_name, "AddNotification"))
    {
      const char *app_id;
      const char *id;
      GVariant *notification;

      g_variant_get (parameters, "(&s&s@a{sv})", &app_id, &id, &notification);
      g_assert_cmpstr (app_id, ==, APP_ID);
      g_ptr_array_add (run.ids, g_strdup (id));
      g_hash_table_insert (run.notifications, g_strdup (id), notification);
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable vtable = { method_call, NULL, NULL, { 0 } };

static gboolean
logged_in (gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run.app));

  if (!TALLY_IS_WINDOW (window))
    return FALSE;
  run.window = TALLY_WINDOW (window);
  return tally_session_get_state (tally_window_get_session (run.window)) == TALLY_SESSION_STATE_READY;
}

static gboolean
has_prefix (const char *prefix)
{
  for (guint i = 0; i < run.ids->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (run.ids, i), prefix))
      return TRUE;
  return FALSE;
}

static gboolean
all_came (gpointer data)
{
  return has_prefix ("window:1:daily:100:") && has_prefix ("window:1:weekly:80:") && has_prefix ("key-quota:1:80")
         && has_prefix ("key-expiry:3:") && has_prefix ("balance:200.00");
}

static const char *
find_id (const char *prefix)
{
  for (guint i = 0; i < run.ids->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (run.ids, i), prefix))
      return g_ptr_array_index (run.ids, i);
  g_assert_not_reached ();
}

static char *
lookup_string (const char *id,
               const char *member)
{
  GVariant *notification = g_hash_table_lookup (run.notifications, id);
  g_autoptr (GVariant) value = g_variant_lookup_value (notification, member, NULL);

  return value != NULL ? g_variant_print (value, FALSE) : NULL;
}

static gboolean
session_idle (gpointer data)
{
  TallySession *session = tally_window_get_session (run.window);

  return !tally_session_get_busy (session);
}

static void
scenario (void)
{
  AdwViewStack *stack;
  const char *daily;
  const char *key;
  g_autofree char *title = NULL;
  g_autofree char *action = NULL;
  g_autofree char *target = NULL;
  guint n;

  tally_test_wait_until (logged_in, NULL, 50, GUARD_SECONDS, "the demo logged in");
  tally_test_wait_until (all_came, NULL, 50, GUARD_SECONDS, "the notifications of the demo");

  /* each once, with the alert's words and action */
  for (guint i = 0; i < run.ids->len; i++)
    for (guint j = i + 1; j < run.ids->len; j++)
      g_assert_cmpstr (g_ptr_array_index (run.ids, i), !=, g_ptr_array_index (run.ids, j));
  daily = find_id ("window:1:daily:100:");
  title = lookup_string (daily, "title");
  g_assert_cmpstr (title, ==, "'Claude Max 订阅: daily window used up'");
  action = lookup_string (daily, "default-action");
  g_assert_cmpstr (action, ==, "'app.show-dashboard'");
  target = lookup_string (daily, "default-action-target");
  g_assert_cmpstr (target, ==, "{'server': <'demo'>, 'email': <'demo@example.com'>}");
  key = find_id ("key-quota:1:80");
  g_clear_pointer (&action, g_free);
  action = lookup_string (key, "default-action");
  g_assert_cmpstr (action, ==, "'app.show-usage'");
  g_clear_pointer (&target, g_free);
  target = lookup_string (key, "default-action-target");
  g_assert_cmpstr (target, ==, "{'key': <int64 1>}");

  /* the user's own threshold (Preferences), the demo's server has none */
  g_clear_pointer (&title, g_free);
  title = lookup_string ("balance:200.00", "title");
  g_assert_cmpstr (title, ==, "'Balance below $200.00'");

  /* a reload sends nothing again */
  n = run.ids->len;
  tally_session_reload (tally_window_get_session (run.window));
  tally_test_spin (200);
  tally_test_wait_until (session_idle, NULL, 50, GUARD_SECONDS, "the reload");
  tally_test_spin (500);
  g_assert_cmpuint (run.ids->len, ==, n);

  /* the default action opens the dashboard */
  stack = ADW_VIEW_STACK (tally_test_find_widget (GTK_WIDGET (run.window), ADW_TYPE_VIEW_STACK));
  adw_view_stack_set_visible_child_name (stack, "usage");
  g_action_group_activate_action (G_ACTION_GROUP (run.app), "show-dashboard",
                                  g_variant_new_parsed ("{'server': <'demo'>, 'email': <'demo@example.com'>}"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "dashboard");

  run.done = TRUE;
  g_application_quit (G_APPLICATION (run.app));
}

static void
activate_cb (GApplication *app,
             gpointer data)
{
  g_signal_handlers_disconnect_by_func (app, activate_cb, data);
  scenario ();
}

static void
test_notifications (void)
{
  char *argv[] = { (char *) "tally", (char *) "--demo", NULL };
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection, NULL);
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = NULL;
  guint registration;
  guint owner;
  int status;

  g_assert_nonnull (bus);
  registration = g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0], &vtable,
                                                    NULL, NULL, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (bus, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL,
                                        NULL);
  /* the name is ours once the bus says so */
  {
    gboolean owned = FALSE;

    while (!owned)
      {
        g_autoptr (GVariant) reply = g_dbus_connection_call_sync (
            bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
            g_variant_new ("(s)", "org.gtk.Notifications"), G_VARIANT_TYPE ("(b)"), 0, -1, NULL, NULL);

        g_assert_nonnull (reply);
        g_variant_get (reply, "(b)", &owned);
        if (!owned)
          g_main_context_iteration (NULL, TRUE);
      }
  }

  run.ids = g_ptr_array_new_with_free_func (g_free);
  run.notifications = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
  settings = g_settings_new (BASE_ID);
  g_settings_set_double (settings, "low-balance-threshold", 200);
  run.app = tally_application_new ();
  g_signal_connect_after (run.app, "activate", G_CALLBACK (activate_cb), NULL);
  status = g_application_run (G_APPLICATION (run.app), 2, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.done);
  g_clear_object (&run.app);
  g_settings_reset (settings, "low-balance-threshold");
  g_bus_unown_name (owner);
  g_dbus_connection_unregister_object (bus, registration);
  g_clear_pointer (&run.ids, g_ptr_array_unref);
  g_clear_pointer (&run.notifications, g_hash_table_unref);
}

int
main (int argc,
      char *argv[])
{
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  g_autofree char *dir = g_dir_make_tmp ("tally-test-notifications-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  GTestDBus *bus;
  int status;

  /* notifications on (tests/meson.build turns them off for the others);
   * nothing sent before: a memory and a budget of our own */
  g_unsetenv ("TALLY_NOTIFICATIONS");
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);

  /* the private bus first: GTK connects to the session bus as it starts;
   * GTestDBus unsets DISPLAY (against X11 autolaunch): keep ours */
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  tally_test_gtk_init (&argc, &argv);

  g_test_add_func ("/app/notifications", test_notifications);

  status = g_test_run ();
  /* GTK keeps the bus connection to the end of the process: stop the daemon
   * without waiting for it (and keep @bus, whose dispose would wait) */
  g_test_dbus_stop (bus);
  tally_test_remove_tree (dir);
  return status;
}

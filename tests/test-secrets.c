/* test-secrets.c: tokens and key secrets stay secret; server strings stay plain text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One test per rule:
 *  1. no log line (G_MESSAGES_DEBUG=all) holds the token or a full sk- key;
 *  2. GSettings holds no token after a login;
 *  3. the keys CSV and `tally keys --json` show masked keys only;
 *  4. no label that uses Pango markup shows a server string unescaped; a key
 *     named "CI <b>&amp; bot" is shown verbatim, in the key list and in a toast;
 *  5. plain http:// to a non-loopback host is warned about at login, loopback not;
 *  6. a TLS failure at login says why (not a generic failure).
 */

#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "tally-api-key.h"
#include "tally-client.h"
#include "tally-dashboard.h"
#include "tally-demo-server.h"
#include "tally-login-page.h"
#include "tally-report.h"
#include "tally-resources.h"
#include "tally-session.h"
#include "tally-test-gtk-utils.h"
#include "tally-test-utils.h"
#include "tally-window.h"

#define GUARD_SECONDS 20

static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags log_level,
                const GLogField *fields,
                gsize n_fields,
                gpointer user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") != 0 && g_strcmp0 (fields[i].key, "GLIB_DOMAIN") != 0)
        continue;
      if (fields[i].length < 0)
        g_string_append (captured_log, fields[i].value);
      else
        g_string_append_len (captured_log, fields[i].value, fields[i].length);
      g_string_append_c (captured_log, ' ');
    }
  g_string_append_c (captured_log, '\n');

  /* warnings stay fatal (G_DEBUG=fatal-warnings) */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

/* ------------------------------------------------------------ helpers */

static gboolean
window_idle (gpointer data)
{
  TallyWindow *window = data;

  return !tally_session_get_busy (tally_window_get_session (window)) && !tally_dashboard_get_busy (tally_window_get_dashboard (window));
}

static void
wait_idle (TallyWindow *window)
{
  tally_test_wait_until (window_idle, window, 50, GUARD_SECONDS, "the window to be idle");
}

/* The full secrets, straight from the server: {"items":[{"key":"sk-…","name":…}]} */
static GPtrArray *
fetch_full_keys (const char *url,
                 const char *token,
                 GPtrArray **names)
{
  g_autoptr (SoupSession) soup = soup_session_new ();
  g_autoptr (JsonNode) data = tally_test_fetch_raw (soup, url, token, "GET", "/keys?page=1&page_size=100", NULL);
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  JsonArray *items;

  items = json_object_get_array_member (json_node_get_object (data), "items");
  if (names != NULL)
    *names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *key = json_object_get_string_member (item, "key");

      g_assert_true (g_str_has_prefix (key, "sk-"));
      g_assert_cmpuint (strlen (key), >, 20);
      g_ptr_array_add (keys, g_strdup (key));
      if (names != NULL)
        g_ptr_array_add (*names, g_strdup (json_object_get_string_member (item, "name")));
    }
  g_assert_cmpuint (keys->len, >, 1);

  return keys;
}

static void
assert_no_secret (const char *text,
                  const char *token,
                  GPtrArray *keys,
                  const char *what)
{
  if (token != NULL && strstr (text, token) != NULL)
    g_error ("The token appears in %s", what);
  for (guint i = 0; i < keys->len; i++)
    if (strstr (text, g_ptr_array_index (keys, i)) != NULL)
      g_error ("A full API key appears in %s", what);
}

static TallyDemoServer *
new_server (void)
{
  TallyDemoServer *server = g_object_new (TALLY_TYPE_DEMO_SERVER, "rows", (guint) 3000, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (tally_demo_server_start (server, &error));
  g_assert_no_error (error);

  return server;
}

/* ------------------------------------------------------------ 1. logs */

static void
test_logs (void)
{
  TallySession *session = tally_session_new ();
  TallyWindow *window = tally_window_new (NULL, session);
  g_autoptr (GPtrArray) keys = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;
  gsize log_start;

  log_start = captured_log->len;
  gtk_window_present (GTK_WINDOW (window));
  tally_test_start_demo (session);
  wait_idle (window);
  token = g_strdup (tally_client_get_token (tally_session_get_client (session)));
  url = g_strdup (tally_session_get_server_url (session));
  g_assert_nonnull (token);

  /* the usage view, a refresh, an export of the keys, a logout: all logged */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-usage", NULL));
  tally_test_spin (300);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  tally_test_spin (50);
  wait_idle (window);
  keys = fetch_full_keys (url, token, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.logout", NULL));
  tally_test_spin (100);

  /* debug output was on and something was logged */
  g_assert_cmpuint (captured_log->len, >, log_start);
  g_test_message ("%" G_GSIZE_FORMAT " bytes of log checked", captured_log->len - log_start);
  assert_no_secret (captured_log->str + log_start, token, keys, "the log");

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
  tally_test_assert_finalized (session);
}

/* ------------------------------------------------------------ 2. GSettings */

static void
test_settings (void)
{
  TallyDemoServer *server = new_server ();
  TallySession *session = tally_session_new ();
  TallyWindow *window = tally_window_new (NULL, session);
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) names = NULL;
  g_autofree char *token = tally_demo_server_issue_token (server, 3600);
  g_autofree char *server_setting = NULL;

  gtk_window_present (GTK_WINDOW (window));
  /* not a demo: the window remembers the server and the e-mail */
  tally_test_use_token (session, tally_demo_server_get_url (server), token);
  wait_idle (window);
  tally_test_spin (100);

  server_setting = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (server_setting, ==, tally_demo_server_get_url (server));

  g_object_get (settings, "settings-schema", &schema, NULL);
  names = g_settings_schema_list_keys (schema);
  g_assert_cmpuint (g_strv_length (names), >, 2);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr (GVariant) value = g_settings_get_value (settings, names[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);

      if (strstr (printed, token) != NULL)
        g_error ("The token is in the setting “%s”", names[i]);
      /* nor a part long enough to matter (the signature) */
      g_assert_null (strstr (printed, strrchr (token, '.') + 1));
    }

  tally_session_logout (session);
  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
  tally_test_assert_finalized (session);
  tally_demo_server_stop (server);
  g_assert_finalize_object (server);
}

/* ------------------------------------------------------------ 3. CSV and CLI */

static void
test_exports_mask_keys (void)
{
  TallyDemoServer *server = new_server ();
  g_autofree char *token = tally_demo_server_issue_token (server, 3600);
  g_autoptr (TallyClient) client = NULL;
  g_autoptr (GPtrArray) keys = NULL;
  g_autoptr (GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *masked_first = NULL;
  GAsyncResult *slot = NULL;
  const char *full;

  keys = fetch_full_keys (tally_demo_server_get_url (server), token, NULL);
  full = g_ptr_array_index (keys, 0);
  /* "sk-68f4…07d2": the prefix, 4 characters, an ellipsis, the last 4 */
  masked_first = g_strdup_printf ("%.7s…%s", full, full + strlen (full) - 4);

  client = tally_client_new (tally_demo_server_get_url (server), &error);
  g_assert_no_error (error);
  tally_client_set_token (client, token);

  tally_report_write_csv_async (client, TALLY_REPORT_KEYS, NULL, TALLY_GRANULARITY_DAY, stream,
                                NULL, NULL, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_report_write_csv_finish (result, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  csv = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
  /* the CSV has no key column at all (api_key_id, name, …) */
  g_assert_true (g_str_has_prefix (csv, "api_key_id,name,"));
  g_assert_null (strstr (csv, "sk-"));
  assert_no_secret (csv, token, keys, "the keys CSV");
  g_clear_object (&result);

  /* the CLI */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_launcher_setenv (launcher, "TALLY_TOKEN", token, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TALLY_EXE"),
                                         "keys", "--json", "--server", tally_demo_server_get_url (server), NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, result, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  assert_no_secret (out, token, keys, "the output of `tally keys --json`");
  assert_no_secret (err, token, keys, "the debug output of `tally keys --json`");
  if (strstr (out, masked_first) == NULL)
    g_error ("The masked key %s is not in `tally keys --json`", masked_first);

  g_clear_object (&client);
  tally_demo_server_stop (server);
  g_assert_finalize_object (server);
}

/* ------------------------------------------------------------ 4. plain text */

static void
test_plain_text (void)
{
  TallySession *session = tally_session_new ();
  TallyWindow *window = tally_window_new (NULL, session);
  g_autoptr (GPtrArray) keys = NULL;
  g_autoptr (GPtrArray) names = NULL;
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  g_autoptr (GPtrArray) inscriptions = g_ptr_array_new ();
  gboolean verbatim = FALSE;
  guint n_markup = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_window_present (GTK_WINDOW (window));
  tally_test_start_demo (session);
  wait_idle (window);
  keys = fetch_full_keys (tally_session_get_server_url (session),
                          tally_client_get_token (tally_session_get_client (session)),
                          &names);
  g_assert_true (g_ptr_array_find_with_equal_func (names, "CI <b>&amp; bot", g_str_equal, NULL));

  /* the usage view too, filtered to the key with the markup-like name */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-key-usage", "x", (gint64) 3));
  tally_test_spin (1500);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-dashboard", NULL));
  tally_test_spin (300);

  /* a server message with markup in a toast */
  tally_window_add_toast (window, "Key “CI <b>&amp; bot” <i>failed</i>");
  tally_test_spin (300);

  tally_test_collect_widgets (GTK_WIDGET (window), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);
      const char *text = gtk_label_get_text (label);

      if (g_strcmp0 (text, "CI <b>&amp; bot") == 0)
        verbatim = TRUE;

      if (!gtk_label_get_use_markup (label))
        continue;

      n_markup++;
      for (guint k = 0; k < names->len; k++)
        {
          const char *name = g_ptr_array_index (names, k);

          g_autofree char *escaped = g_markup_escape_text (name, -1);

          /* "default" is also a common word; the others are unmistakable.
           * A markup label may show a server string only escaped (the
           * toast title of libadwaita 1.2 is markup). */
          if (g_strcmp0 (name, "default") != 0 && strstr (text, name) != NULL && strstr (gtk_label_get_label (label), escaped) == NULL)
            g_error ("The key name “%s” is shown through Pango markup in “%s”", name, gtk_label_get_label (label));
        }
      g_assert_null (strstr (text, "CI & bot"));
      assert_no_secret (gtk_label_get_label (label), NULL, keys, "a label");
    }
  g_test_message ("%u labels, %u use markup", labels->len, n_markup);
  g_assert_true (verbatim);

  /* the toast: verbatim, not interpreted */
  {
    gboolean toast_verbatim = FALSE;

    for (guint i = 0; i < labels->len; i++)
      if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), "Key “CI <b>&amp; bot” <i>failed</i>") == 0)
        toast_verbatim = TRUE;
    g_assert_true (toast_verbatim);
  }

  tally_test_collect_widgets (GTK_WIDGET (window), GTK_TYPE_INSCRIPTION, inscriptions);
  for (guint i = 0; i < inscriptions->len; i++)
    {
      GtkInscription *inscription = g_ptr_array_index (inscriptions, i);

      /* inscriptions are set with text, never markup */
      if (gtk_inscription_get_text (inscription) == NULL)
        g_assert_null (gtk_inscription_get_attributes (inscription));
      assert_no_secret (gtk_inscription_get_text (inscription) ? gtk_inscription_get_text (inscription) : "",
                        NULL, keys, "an inscription");
    }

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
  tally_test_assert_finalized (session);
}

/* ------------------------------------------------------------ 5. http warning */

static gboolean
insecure_warning_shown (GtkWidget *login_page)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  tally_test_collect_widgets (login_page, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_visible (label) && gtk_widget_get_child_visible (label) && strstr (gtk_label_get_text (GTK_LABEL (label)), "unencrypted") != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
set_server_field (GtkWidget *login_page,
                  const char *url)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();

  tally_test_collect_widgets (login_page, ADW_TYPE_ENTRY_ROW, rows);
  g_assert_cmpuint (rows->len, >=, 1);
  /* the first row is the server */
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 0)), url);
}

static void
test_insecure_warning (void)
{
  TallySession *session = tally_session_new ();
  TallyWindow *window = tally_window_new (NULL, session);
  GtkWidget *login_page;

  gtk_window_present (GTK_WINDOW (window));
  login_page = tally_test_find_widget (GTK_WIDGET (window), TALLY_TYPE_LOGIN_PAGE);

  set_server_field (login_page, "http://example.com");
  tally_test_spin (1000); /* the check runs after a pause in typing */
  g_assert_true (insecure_warning_shown (login_page));

  set_server_field (login_page, "http://127.0.0.1:9");
  tally_test_spin (1000);
  g_assert_false (insecure_warning_shown (login_page));

  set_server_field (login_page, "https://example.com");
  tally_test_spin (1000);
  g_assert_false (insecure_warning_shown (login_page));

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
  tally_test_assert_finalized (session);
}

/* ------------------------------------------------------------ 6. TLS */

static void
test_tls_reason (void)
{
  TallyDemoServer *server = new_server ();
  TallySession *session = tally_session_new ();
  TallyWindow *window = tally_window_new (NULL, session);
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  g_autofree char *https = NULL;
  GtkWidget *login_page;
  gboolean found = FALSE;

  /* https:// to a plain-HTTP port */
  https = g_strconcat ("https://", tally_demo_server_get_url (server) + strlen ("http://"), NULL);
  tally_session_set_timeout (session, 5);

  gtk_window_present (GTK_WINDOW (window));
  login_page = tally_test_find_widget (GTK_WIDGET (window), TALLY_TYPE_LOGIN_PAGE);
  tally_test_collect_widgets (login_page, ADW_TYPE_ENTRY_ROW, rows);
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 0)), https);
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 1)), tally_demo_server_get_email (server));
  /* the third row is the password */
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (g_ptr_array_index (rows, 2)));
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 2)), tally_demo_server_get_password (server));

  g_assert_true (gtk_widget_activate_action (login_page, "login.log-in", NULL));
  for (guint n = 0; n < 200 && !found; n++)
    {
      tally_test_spin (50);
      g_ptr_array_set_size (labels, 0);
      tally_test_collect_widgets (login_page, GTK_TYPE_LABEL, labels);
      for (guint i = 0; i < labels->len; i++)
        {
          GtkWidget *label = g_ptr_array_index (labels, i);
          const char *text = gtk_label_get_text (GTK_LABEL (label));

          if (gtk_widget_get_mapped (label) && gtk_widget_has_css_class (label, "error") && strstr (text, "secure (https) connection") != NULL)
            {
              g_test_message ("%s", text);
              g_assert_nonnull (strstr (text, "127.0.0.1"));
              g_assert_nonnull (strstr (text, "TLS"));
              found = TRUE;
            }
        }
    }
  g_assert_true (found);
  g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
  tally_test_assert_finalized (session);
  tally_demo_server_stop (server);
  g_assert_finalize_object (server);
}

int
main (int argc,
      char *argv[])
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  tally_test_gtk_init (&argc, &argv);

  g_test_add_func ("/secrets/logs", test_logs);
  g_test_add_func ("/secrets/settings", test_settings);
  g_test_add_func ("/secrets/exports-mask-keys", test_exports_mask_keys);
  g_test_add_func ("/secrets/plain-text", test_plain_text);
  g_test_add_func ("/secrets/insecure-warning", test_insecure_warning);
  g_test_add_func ("/secrets/tls-reason", test_tls_reason);

  return g_test_run ();
}

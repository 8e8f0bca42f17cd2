/* test-login-page.c: the login page against the demo server (needs a display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page is driven as a person does: typing in its rows, clicking its
 * buttons, pressing Enter in a row. Its widgets are found by their template
 * ids (gtk_widget_get_template_child ()).
 */

#include "config.h"

#include <adwaita.h>

#include "tally-demo-server.h"
#include "tally-login-page.h"
#include "tally-session.h"
#include "tally-test-gtk-utils.h"
#include "tally-test-utils.h"

#define GUARD_SECONDS 20

typedef struct
{
  TallyDemoServer *server;
  TallySession *session;
  GtkWidget *window;
  TallyLoginPage *page;
} Fixture;

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  f->server = tally_test_start_demo_server (200, 10);
  f->session = tally_session_new ();
  f->page = TALLY_LOGIN_PAGE (tally_login_page_new ());
  tally_login_page_set_session (f->page, f->session);
  g_assert_true (tally_login_page_get_session (f->page) == f->session);
  tally_test_open_window (&f->window, GTK_WIDGET (f->page));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 600, 800);
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  tally_test_close_window (&f->window);
  tally_test_end_demo (f->session, f->server);
}

static GtkWidget *
child (Fixture *f,
       const char *id)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (f->page), TALLY_TYPE_LOGIN_PAGE, id);

  g_assert_true (GTK_IS_WIDGET (object));
  return GTK_WIDGET (object);
}

static void
type (Fixture *f,
      const char *row,
      const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (f, row)), text);
}

static const char *
text_of (Fixture *f,
         const char *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (child (f, row)));
}

/* The page's button bound to @action ("login.log-in", "login.demo"). */
static GtkWidget *
button_for (Fixture *f,
            const char *action)
{
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();

  tally_test_collect_widgets (GTK_WIDGET (f->page), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (buttons, i)), action) == 0)
      return g_ptr_array_index (buttons, i);

  g_error ("No button for %s", action);
  return NULL;
}

static gboolean
can_log_in (Fixture *f)
{
  return gtk_widget_get_sensitive (button_for (f, "login.log-in"));
}

static void
click_log_in (Fixture *f)
{
  g_assert_true (can_log_in (f));
  g_signal_emit_by_name (button_for (f, "login.log-in"), "clicked");
}

/* The message under the fields, NULL while hidden. */
static const char *
message (Fixture *f)
{
  GtkWidget *label = child (f, "message_label");

  if (!gtk_widget_get_visible (label))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (label));
}

static gboolean
message_is_error (Fixture *f)
{
  return gtk_widget_has_css_class (child (f, "message_label"), "error");
}

static gboolean
busy (Fixture *f)
{
  return gtk_widget_get_visible (child (f, "login_spinner"));
}

static gboolean
idle_cb (gpointer data)
{
  return !busy (data);
}

static void
wait_idle (Fixture *f)
{
  tally_test_wait_until (idle_cb, f, 20, GUARD_SECONDS, "the login page to finish");
}

/* Presses Enter in @row: the "activate" signal of its text, which the Enter
 * key emits. */
static void
press_enter (Fixture *f,
             const char *row)
{
  GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (child (f, row)));

  g_assert_true (GTK_IS_TEXT (delegate));
  g_signal_emit_by_name (delegate, "activate");
}

/* The focus is in @row (on its text). */
static gboolean
focus_in (Fixture *f,
          const char *row)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  return focus != NULL && (focus == child (f, row) || gtk_widget_is_ancestor (focus, child (f, row)));
}

static void
fill_in (Fixture *f,
         const char *server,
         const char *email,
         const char *password)
{
  type (f, "server_row", server);
  type (f, "email_row", email);
  type (f, "password_row", password);
}

static void
fill_in_demo (Fixture *f)
{
  fill_in (f, tally_demo_server_get_url (f->server), tally_demo_server_get_email (f->server),
           tally_demo_server_get_password (f->server));
}

/* The fields, their texts, and when Log In can be pressed. */
static void
test_fields (Fixture *f,
             gconstpointer data)
{
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (f, "server_row"))), ==, "Server");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (f, "email_row"))), ==, "E-mail");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (f, "password_row"))), ==, "Password");
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (child (f, "password_row")));
  g_assert_false (gtk_widget_get_visible (child (f, "code_row")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (f, "server_hint_label"))), ==,
                   "The address of the site, for example https://api.example.com");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (f, "login_label"))), ==, "_Log In");
  g_assert_null (message (f));
  g_assert_false (busy (f));

  /* Log In needs all three fields; a blank e-mail is no e-mail */
  g_assert_false (can_log_in (f));
  g_assert_true (gtk_widget_get_sensitive (button_for (f, "login.demo")));
  type (f, "server_row", "https://127.0.0.1:9");
  g_assert_false (can_log_in (f));
  type (f, "email_row", "   ");
  type (f, "password_row", "secret");
  g_assert_false (can_log_in (f));
  type (f, "email_row", "me@example.com");
  g_assert_true (can_log_in (f));
  type (f, "password_row", "");
  g_assert_false (can_log_in (f));

  /* prefill fills only what is empty; set_fields overwrites */
  tally_login_page_prefill (f->page, "https://127.0.0.2:9", "other@example.com");
  g_assert_cmpstr (text_of (f, "server_row"), ==, "https://127.0.0.1:9");
  g_assert_cmpstr (text_of (f, "email_row"), ==, "me@example.com");
  type (f, "email_row", "");
  tally_login_page_prefill (f->page, "https://127.0.0.2:9", "other@example.com");
  g_assert_cmpstr (text_of (f, "server_row"), ==, "https://127.0.0.1:9");
  g_assert_cmpstr (text_of (f, "email_row"), ==, "other@example.com");
  tally_login_page_set_fields (f->page, "https://127.0.0.3:9", NULL);
  g_assert_cmpstr (text_of (f, "server_row"), ==, "https://127.0.0.3:9");
  g_assert_cmpstr (text_of (f, "email_row"), ==, "other@example.com");

  /* a message from the window: plain text, as an error */
  tally_login_page_show_message (f->page, "Key <b>CI</b> &amp; more");
  g_assert_cmpstr (message (f), ==, "Key <b>CI</b> &amp; more");
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (child (f, "message_label"))));
  g_assert_true (message_is_error (f));
}

static gboolean
hint_found_cb (gpointer data)
{
  Fixture *f = data;

  return g_str_has_prefix (gtk_label_get_text (GTK_LABEL (child (f, "server_hint_label"))), "Found");
}

/* A server typed in is looked at (after a pause) and named under the field. */
static void
test_server_hint (Fixture *f,
                  gconstpointer data)
{
  type (f, "server_row", tally_demo_server_get_url (f->server));
  tally_test_wait_until (hint_found_cb, f, 50, GUARD_SECONDS, "the server to be found");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (f, "server_hint_label"))), ==,
                   "Found “Tally Demo” (version 0.2.25)");
  g_assert_cmpuint (tally_demo_server_get_request_count (f->server, "/api/v1/settings/public"), ==, 1);
  g_assert_cmpint (tally_session_get_state (f->session), ==, TALLY_SESSION_STATE_LOGGED_OUT);

  /* another address: back to the help text */
  type (f, "server_row", "https://127.0.0.1:9");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (f, "server_hint_label"))), ==,
                   "The address of the site, for example https://api.example.com");
}

/* A login: busy while it runs (nothing can be pressed or edited), then
 * logged in with the password forgotten. */
static void
test_log_in (Fixture *f,
             gconstpointer data)
{
  const char *rows[] = { "server_row", "email_row", "password_row", "token_row" };

  fill_in_demo (f);
  tally_demo_server_set_delay (f->server, 200);
  click_log_in (f);

  g_assert_true (busy (f));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (child (f, "login_spinner"))));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_false (gtk_widget_get_sensitive (child (f, rows[i])));
  g_assert_false (can_log_in (f));
  g_assert_false (gtk_widget_get_sensitive (button_for (f, "login.demo")));
  /* a second press (the action, as a shortcut would) sends nothing more */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "login.log-in", NULL);

  wait_idle (f);
  g_assert_cmpint (tally_session_get_state (f->session), ==, TALLY_SESSION_STATE_READY);
  g_assert_cmpstr (tally_session_get_email (f->session), ==, tally_demo_server_get_email (f->server));
  g_assert_cmpuint (tally_demo_server_get_request_count (f->server, "/api/v1/auth/login"), ==, 1);
  g_assert_null (message (f));
  g_assert_cmpstr (text_of (f, "password_row"), ==, "");
  g_assert_cmpstr (text_of (f, "email_row"), ==, tally_demo_server_get_email (f->server));
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (child (f, "login_spinner"))));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_true (gtk_widget_get_sensitive (child (f, rows[i])));

  tally_test_save_png (f->window, "login-page.png");
}

/* A wrong password: said in a sentence, the fields kept for another try. */
static void
test_wrong_password (Fixture *f,
                     gconstpointer data)
{
  fill_in (f, tally_demo_server_get_url (f->server), tally_demo_server_get_email (f->server), "not-the-password");
  click_log_in (f);
  wait_idle (f);

  g_assert_cmpstr (message (f), ==, "The e-mail address or the password is not correct.");
  g_assert_true (message_is_error (f));
  g_assert_cmpint (tally_session_get_state (f->session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->server, "/api/v1/auth/login"), ==, 1);
  g_assert_cmpstr (text_of (f, "password_row"), ==, "not-the-password");
  g_assert_true (gtk_widget_get_sensitive (child (f, "password_row")));
  g_assert_true (can_log_in (f));

  /* the right one: in, and the message is gone */
  type (f, "password_row", tally_demo_server_get_password (f->server));
  click_log_in (f);
  wait_idle (f);
  g_assert_cmpint (tally_session_get_state (f->session), ==, TALLY_SESSION_STATE_READY);
  g_assert_null (message (f));
}

/* An account with two-factor authentication: the code row, its checks, a
 * wrong code, then the right one. */
static void
test_two_factor (Fixture *f,
                 gconstpointer data)
{
  tally_demo_server_set_two_factor (f->server, TRUE);
  fill_in_demo (f);
  click_log_in (f);
  wait_idle (f);

  g_assert_cmpint (tally_session_get_state (f->session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_assert_true (gtk_widget_get_visible (child (f, "code_row")));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (f, "code_row"))), ==, "Six-digit code");
  g_assert_cmpstr (message (f), ==, "Enter the six-digit code from your authenticator app.");
  g_assert_false (message_is_error (f));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (f, "login_label"))), ==, "_Verify");
  g_assert_true (focus_in (f, "code_row"));
  g_assert_false (can_log_in (f));

  /* five digits: refused on the page, nothing sent */
  type (f, "code_row", "12345");
  click_log_in (f);
  g_assert_cmpstr (message (f), ==, "The code has six digits.");
  g_assert_true (message_is_error (f));
  g_assert_false (busy (f));
  g_assert_cmpuint (tally_demo_server_get_request_count (f->server, "/api/v1/auth/login/2fa"), ==, 0);

  /* a wrong code: the server's refusal, the code row still there */
  type (f, "code_row", "654321");
  click_log_in (f);
  g_assert_true (busy (f));
  wait_idle (f);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->server, "/api/v1/auth/login/2fa"), ==, 1);
  g_assert_cmpstr (message (f), ==, "The server rejected the request (server: “invalid verification code”)");
  g_assert_true (message_is_error (f));
  g_assert_true (gtk_widget_get_visible (child (f, "code_row")));
  g_assert_cmpint (tally_session_get_state (f->session), ==, TALLY_SESSION_STATE_LOGGED_OUT);

  type (f, "code_row", "123456");
  click_log_in (f);
  wait_idle (f);
  g_assert_cmpint (tally_session_get_state (f->session), ==, TALLY_SESSION_STATE_READY);
  g_assert_false (gtk_widget_get_visible (child (f, "code_row")));
  g_assert_cmpstr (text_of (f, "code_row"), ==, "");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (f, "login_label"))), ==, "_Log In");
  g_assert_null (message (f));
}

/* Addresses that cannot be a server, and one where nothing answers: the
 * page says why, and nothing is sent to the demo. (Every address here is on
 * the loopback: a test never looks a name up.) */
static void
test_server_errors (Fixture *f,
                    gconstpointer data)
{
  static const struct
  {
    const char *server;
    const char *message;
  } cases[] = {
    { "ftp://127.0.0.1:9", "The server address must start with https:// or http://" },
    { "https://me:secret@127.0.0.1:9", "The server address must not contain a user name or password" },
    { "https://[::1", "“https://[::1” is not a valid server address (expected e.g. https://api.example.com)" },
  };
  g_autoptr (TallyDemoServer) gone = g_object_new (TALLY_TYPE_DEMO_SERVER, "rows", (guint) 10, "days", (guint) 1, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *gone_url = NULL;
  g_autofree char *refused = NULL;
  g_autoptr (GUri) uri = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].server);
      fill_in (f, cases[i].server, "me@example.com", "secret");
      click_log_in (f);
      g_assert_false (busy (f));
      g_assert_cmpstr (message (f), ==, cases[i].message);
      g_assert_true (message_is_error (f));
    }

  /* a server that is gone (its port closed): refused, said once it is known */
  g_assert_true (tally_demo_server_start (gone, &error));
  gone_url = g_strdup (tally_demo_server_get_url (gone));
  tally_demo_server_stop (gone);
  uri = g_uri_parse (gone_url, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  refused = g_strdup_printf ("%s refused the connection — is the server running?", g_uri_get_host (uri));
  fill_in (f, gone_url, "me@example.com", "secret");
  click_log_in (f);
  g_assert_true (busy (f));
  wait_idle (f);
  g_assert_cmpstr (message (f), ==, refused);
  g_assert_true (message_is_error (f));
  g_assert_cmpint (tally_session_get_state (f->session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
  g_assert_true (can_log_in (f));

  g_assert_cmpuint (tally_demo_server_get_request_count (f->server, NULL), ==, 0);
}

/* Enter in a row logs in once every field is filled, and not before.
 * (The page means to move the focus on to the first empty field then, but
 * gtk_widget_activate_action () is TRUE for a disabled action too, so it
 * never does: reported, not asserted here.) */
static void
test_keyboard (Fixture *f,
               gconstpointer data)
{
  type (f, "server_row", tally_demo_server_get_url (f->server));
  press_enter (f, "server_row");
  g_assert_false (busy (f));

  type (f, "email_row", tally_demo_server_get_email (f->server));
  press_enter (f, "email_row");
  g_assert_false (busy (f));
  g_assert_cmpint (tally_session_get_state (f->session), ==, TALLY_SESSION_STATE_LOGGED_OUT);

  type (f, "password_row", tally_demo_server_get_password (f->server));
  press_enter (f, "password_row");
  g_assert_true (busy (f));
  wait_idle (f);
  g_assert_cmpint (tally_session_get_state (f->session), ==, TALLY_SESSION_STATE_READY);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->server, "/api/v1/auth/login"), ==, 1);
}

/* The access-token path: a token the server refuses, then a good one. */
static void
test_token (Fixture *f,
            gconstpointer data)
{
  g_autofree char *token = tally_demo_server_issue_token (f->server, 3600);

  type (f, "server_row", tally_demo_server_get_url (f->server));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (child (f, "token_expander")), TRUE);
  type (f, "token_row", "not-a-token");
  g_signal_emit_by_name (child (f, "token_row"), "apply");
  g_assert_true (busy (f));
  wait_idle (f);
  g_assert_cmpstr (message (f), ==,
                   "The server refused the access token: You are not logged in, or your session has expired — "
                   "please log in again (server: “Invalid token”)");
  g_assert_true (message_is_error (f));
  g_assert_cmpint (tally_session_get_state (f->session), ==, TALLY_SESSION_STATE_LOGGED_OUT);

  type (f, "token_row", token);
  g_signal_emit_by_name (child (f, "token_row"), "apply");
  wait_idle (f);
  g_assert_cmpint (tally_session_get_state (f->session), ==, TALLY_SESSION_STATE_READY);
  g_assert_null (message (f));
  /* the secret does not stay in the field */
  g_assert_cmpstr (text_of (f, "token_row"), ==, "");
}

int
main (int argc,
      char *argv[])
{
  tally_test_gtk_init (&argc, &argv);
  /* No cursor blink: on a bare X server the window never gets the focus, and
   * the blink timeout of a focused row that the busy page makes insensitive
   * warns "GtkText - did not receive a focus-out event". */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/login-page/fields", test_fields);
  ADD ("/login-page/server-hint", test_server_hint);
  ADD ("/login-page/log-in", test_log_in);
  ADD ("/login-page/wrong-password", test_wrong_password);
  ADD ("/login-page/two-factor", test_two_factor);
  ADD ("/login-page/server-errors", test_server_errors);
  ADD ("/login-page/keyboard", test_keyboard);
  ADD ("/login-page/token", test_token);
#undef ADD

  return g_test_run ();
}

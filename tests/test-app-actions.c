/* test-app-actions.c: app.show-usage activated over D-Bus with gapplication (needs a display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the application (`tally --demo`) on a private session bus
 * (GTestDBus), activates app.show-usage from another process with
 * `gapplication action`, as a user or a notification would, and checks
 * that the window shows the usage view with exactly that filter: the
 * session's query, the filter bar's drop-downs and the rows the list loads.
 */

#include "config.h"

#include <adwaita.h>

#include "tally-api-key.h"
#include "tally-application.h"
#include "tally-log-list.h"
#include "tally-server-time.h"
#include "tally-session.h"
#include "tally-test-gtk-utils.h"
#include "tally-test-utils.h"
#include "tally-usage-log.h"
#include "tally-usage-page.h"
#include "tally-usage-query.h"
#include "tally-usage.h"
#include "tally-window.h"

#define GUARD_SECONDS 30
#define MODEL "claude-haiku-4-5"

static GPtrArray *query_warnings; /* the warnings of "tally-usage-query" */

typedef struct
{
  TallyApplication *app;
  TallyWindow *window;
  gboolean done;
} Run;

static gboolean
logged_in (gpointer data)
{
  Run *run = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run->app));

  if (!TALLY_IS_WINDOW (window))
    return FALSE;
  run->window = TALLY_WINDOW (window);
  return tally_session_get_state (tally_window_get_session (run->window)) == TALLY_SESSION_STATE_READY && g_list_model_get_n_items (tally_session_get_keys (tally_window_get_session (run->window))) > 1;
}

/* `gapplication action APP_ID show-usage PARAMETER`, waited for. */
static void
activate_remotely (const char *parameter)
{
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GError) error = NULL;

  g_test_message ("gapplication action %s show-usage %s", APP_ID, parameter);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                              "gapplication", "action", APP_ID, "show-usage", parameter, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_subprocess_wait_check_finish (process, result, &error);
  g_assert_no_error (error);
}

static const TallyUsageQuery *
current_query (Run *run)
{
  return tally_session_get_usage_query (tally_window_get_session (run->window));
}

static gboolean
query_has_model (gpointer data)
{
  return g_strcmp0 (tally_usage_query_get_model (current_query (data)), MODEL) == 0;
}

static gboolean
query_has_no_model (gpointer data)
{
  return tally_usage_query_get_model (current_query (data)) == NULL;
}

static const char *
selected_text (GtkWidget *root,
               const char *name)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (tally_test_find_named (root, name));
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);

  g_assert_nonnull (item);
  return gtk_string_object_get_string (item);
}

static gboolean
log_ready (gpointer data)
{
  TallyLogList *log = data;

  return tally_log_list_get_ready (log) && !tally_log_list_get_loading (log);
}

static void
check_view (Run *run,
            gint64 key_id,
            const char *key_name)
{
  GtkWidget *root = GTK_WIDGET (run->window);
  AdwViewStack *stack = ADW_VIEW_STACK (tally_test_find_widget (root, ADW_TYPE_VIEW_STACK));
  TallyUsagePage *page = TALLY_USAGE_PAGE (tally_test_find_widget (root, TALLY_TYPE_USAGE_PAGE));
  TallyLogList *log = tally_usage_get_log (tally_usage_page_get_usage (page));
  guint n;

  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "usage");
  g_assert_cmpstr (selected_text (root, "model-filter"), ==, MODEL);
  g_assert_cmpstr (selected_text (root, "key-filter"), ==, key_name);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (tally_test_find_named (root, "stream-filter"))), ==, 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (tally_test_find_named (root, "billing-filter"))), ==, 1);

  /* the rows the list loads are those of the filter */
  tally_test_wait_until (log_ready, log, 50, GUARD_SECONDS, "the filtered list");
  n = MIN (g_list_model_get_n_items (G_LIST_MODEL (log)), 50);
  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallyLogRow) row = g_list_model_get_item (G_LIST_MODEL (log), i);
      TallyUsageLog *entry;

      tally_test_wait_until ((TallyTestPredicate) tally_log_row_get_log, row, 20, GUARD_SECONDS, "a row");
      entry = tally_log_row_get_log (row);
      g_assert_cmpstr (tally_usage_log_get_model (entry), ==, MODEL);
      g_assert_cmpint (tally_usage_log_get_api_key_id (entry), ==, key_id);
      g_assert_true (tally_usage_log_get_stream (entry));
      g_assert_cmpint (tally_usage_log_get_billing_type (entry), ==, 0);
    }
}

static void
scenario (Run *run)
{
  TallySession *session;
  g_autoptr (TallyApiKey) key = NULL;
  g_autofree char *parameter = NULL;
  g_autoptr (TallyUsageQuery) expected = tally_usage_query_new ();
  const TallyUsageQuery *query;

  tally_test_wait_until (logged_in, run, 50, GUARD_SECONDS, "the demo logged in");
  session = tally_window_get_session (run->window);
  /* the demo's key 1 has streamed, balance-billed MODEL requests */
  for (guint i = 0; key == NULL; i++)
    {
      g_autoptr (TallyApiKey) item = g_list_model_get_item (tally_session_get_keys (session), i);

      g_assert_nonnull (item);
      if (tally_api_key_get_id (item) == 1)
        key = g_steal_pointer (&item);
    }

  /* every key, an unknown one ignored; a range of the demo's days */
  parameter = g_strdup_printf ("{'key': <int64 %" G_GINT64_FORMAT ">, 'model': <'%s'>, 'stream': <true>, "
                               "'billing': <'balance'>, 'from': <'2000-01-01'>, 'to': <'%s'>, 'colour': <'blue'>}",
                               tally_api_key_get_id (key), MODEL, tally_session_get_server_today (session));
  activate_remotely (parameter);
  tally_test_wait_until (query_has_model, run, 20, GUARD_SECONDS, "the model filter");

  query = current_query (run);
  tally_usage_query_set_api_key_id (expected, tally_api_key_get_id (key));
  tally_usage_query_set_model (expected, MODEL);
  tally_usage_query_set_stream (expected, TALLY_STREAM_STREAM);
  tally_usage_query_set_billing (expected, TALLY_BILLING_BALANCE);
  g_assert_true (tally_usage_query_set_range (expected, "2000-01-01", tally_session_get_server_today (session), NULL));
  if (!tally_usage_query_equal (query, expected))
    {
      g_autofree char *got = tally_usage_query_describe (query);
      g_autofree char *want = tally_usage_query_describe (expected);

      g_error ("query %s, expected %s", got, want);
    }
  check_view (run, tally_api_key_get_id (key), tally_api_key_get_name (key));

  /* Exactly that filter: a second call with only a billing code as an
   * integer drops the others; no dates is the default range (7 days). A
   * key of the wrong type is warned about and ignored. */
  g_assert_cmpuint (query_warnings->len, ==, 0);
  activate_remotely ("{'billing': <1>, 'key': <'3'>}");
  tally_test_wait_until (query_has_no_model, run, 20, GUARD_SECONDS, "the filter replaced");
  g_assert_cmpuint (query_warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (query_warnings, 0), ==, "show-usage: “key” must be an int64, not s; ignored");
  query = current_query (run);
  g_assert_cmpint (tally_usage_query_get_api_key_id (query), ==, 0);
  g_assert_cmpint (tally_usage_query_get_stream (query), ==, TALLY_STREAM_ANY);
  g_assert_cmpint (tally_usage_query_get_billing (query), ==, TALLY_BILLING_SUBSCRIPTION);
  {
    g_autofree char *start = NULL;
    g_autofree char *end = NULL;

    tally_date_preset_range (TALLY_DATE_PRESET_LAST_7_DAYS, tally_session_get_server_today (session), &start, &end);
    g_assert_cmpstr (tally_usage_query_get_start_date (query), ==, start);
    g_assert_cmpstr (tally_usage_query_get_end_date (query), ==, end);
  }

  run->done = TRUE;
  g_application_quit (G_APPLICATION (run->app));
}

static void
activate_cb (GApplication *app,
             Run *run)
{
  g_signal_handlers_disconnect_by_func (app, activate_cb, run);
  scenario (run);
}

static GTestDBus *bus;

/* Core logs structurally (g_test_expect_message cannot see it): the
 * warnings of the query parser are collected, everything else goes on. */
static GLogWriterOutput
log_writer (GLogLevelFlags level,
            const GLogField *fields,
            gsize n_fields,
            gpointer user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  if ((level & G_LOG_LEVEL_WARNING) != 0 && g_strcmp0 (domain, "tally-usage-query") == 0 && message != NULL)
    {
      g_ptr_array_add (query_warnings, g_strdup (message));
      return G_LOG_WRITER_HANDLED;
    }

  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
test_show_usage_over_dbus (void)
{
  char *argv[] = { (char *) "tally", (char *) "--demo", NULL };
  Run run = { 0 };
  int status;

  run.app = tally_application_new ();
  g_signal_connect_after (run.app, "activate", G_CALLBACK (activate_cb), &run);
  status = g_application_run (G_APPLICATION (run.app), 2, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.done);
  g_clear_object (&run.app);
}

int
main (int argc,
      char *argv[])
{
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  int status;

  query_warnings = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (log_writer, NULL, NULL);

  /* the private bus first: GTK connects to the session bus as it starts;
   * GTestDBus unsets DISPLAY (against X11 autolaunch): keep ours */
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  tally_test_gtk_init (&argc, &argv);

  g_test_add_func ("/app/show-usage/dbus", test_show_usage_over_dbus);

  status = g_test_run ();
  /* GTK keeps the bus connection to the end of the process: stop the daemon
   * without waiting for it (and keep @bus, whose dispose would wait) */
  g_test_dbus_stop (bus);
  g_clear_pointer (&query_warnings, g_ptr_array_unref);
  return status;
}

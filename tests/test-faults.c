/* test-faults.c: the client, the CLI and the window against a demo server in fault modes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For every fault of TallyDemoFault, a stopped server and slow answers while
 * the range changes:
 *  - the window: the message is the specific one, the stat cards and the
 *    dashboard's trend keep the last good values, the process goes on;
 *  - an export (tally_report_export_csv_async) broken in the middle: the
 *    target keeps its old bytes and no temporary file is left behind;
 *  - the CLI (`tally logs --csv --output FILE`): one specific line on stderr,
 *    a non-zero exit status, the old file untouched.
 * The number of scenarios is printed at the end.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tally-client.h"
#include "tally-dashboard.h"
#include "tally-demo-server.h"
#include "tally-error.h"
#include "tally-login-page.h"
#include "tally-report.h"
#include "tally-resources.h"
#include "tally-server-time.h"
#include "tally-session.h"
#include "tally-stat-card.h"
#include "tally-test-gtk-utils.h"
#include "tally-test-utils.h"
#include "tally-trend-point.h"
#include "tally-usage-query.h"
#include "tally-window.h"

#define GUARD_SECONDS 30
#define STALL_TIMEOUT_SECONDS 3

/* "no fault" stands for the server going away (tally_demo_server_stop) */
#define SERVER_STOPPED ((TallyDemoFault) -1)

typedef struct
{
  const char *name;
  TallyDemoFault fault;
  const char *message;  /* a part of the message the user sees; NULL = no error */
  gboolean logs_out;    /* the window returns to the login page */
  int cli_status;       /* the CLI's exit status (0 = the export succeeds) */
  const char *cli_part; /* a part of the CLI's error line */
} Scenario;

static const Scenario scenarios[] = {
  { "html-502", TALLY_DEMO_FAULT_HTML_502, "Bad gateway (HTTP 502)", FALSE, 3, "Bad gateway (HTTP 502)" },
  { "spa-html", TALLY_DEMO_FAULT_SPA_HTML, "web page instead of data", FALSE, 3, "web page instead of data" },
  { "truncated-json", TALLY_DEMO_FAULT_TRUNCATED_JSON, "incomplete or not valid JSON", FALSE, 3, "incomplete or not valid JSON" },
  { "wrong-types", TALLY_DEMO_FAULT_WRONG_TYPES, "is not a number", FALSE, 3, "is not a number" },
  { "null-arrays", TALLY_DEMO_FAULT_NULL_ARRAYS, NULL, FALSE, 0, NULL },
  { "server-error", TALLY_DEMO_FAULT_SERVER_ERROR, "internal error (HTTP 500)", FALSE, 3, "internal error (HTTP 500)" },
  { "token-expired", TALLY_DEMO_FAULT_TOKEN_EXPIRED, "Your session has expired", TRUE, 2, "session has expired" },
  { "rate-limited", TALLY_DEMO_FAULT_RATE_LIMITED, "wait 7 seconds", FALSE, 3, "wait 7 seconds" },
  { "stall", TALLY_DEMO_FAULT_STALL, "did not answer in time", FALSE, -1, NULL },
  { "reset", TALLY_DEMO_FAULT_RESET, "connection to 127.0.0.1 was interrupted", FALSE, 3, "127.0.0.1" },
  { "huge-numbers", TALLY_DEMO_FAULT_HUGE_NUMBERS, "out of range", FALSE, 3, "out of range" },
  /* negative figures are shown as sent; a negative page number is refused */
  { "negative-numbers", TALLY_DEMO_FAULT_NEGATIVE_NUMBERS, "different page than the one asked for", FALSE, 3, "different page than the one asked for" },
  { "server-stopped", SERVER_STOPPED, "127.0.0.1 refused the connection", FALSE, 3, "refused the connection" },
};

static guint n_scenarios_run;

/* ------------------------------------------------------------ helpers */

typedef gboolean (*Predicate) (gpointer data);

static void
wait_for (Predicate predicate,
          gpointer data)
{
  tally_test_wait_until (predicate, data, 50, GUARD_SECONDS, "a condition");
}

static gboolean
window_idle (gpointer data)
{
  TallyWindow *window = data;

  return !tally_session_get_busy (tally_window_get_session (window)) && !tally_dashboard_get_busy (tally_window_get_dashboard (window));
}

/* "title=value|caption;" for every stat card, as shown. */
static char *
read_cards (TallyWindow *window)
{
  g_autoptr (GPtrArray) cards = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  tally_test_collect_widgets (GTK_WIDGET (window), TALLY_TYPE_STAT_CARD, cards);
  g_assert_cmpuint (cards->len, ==, 9); /* 5 right now (This Month too), 4 of the range */
  for (guint i = 0; i < cards->len; i++)
    {
      g_autoptr (GPtrArray) labels = g_ptr_array_new ();

      tally_test_collect_widgets (g_ptr_array_index (cards, i), GTK_TYPE_LABEL, labels);
      g_assert_cmpuint (labels->len, ==, 3);
      /* This Month's forecast counts the part of today still to come: it moves
       * with the clock between two loads of the same data. Its value stays. */
      if (g_str_equal (gtk_label_get_text (g_ptr_array_index (labels, 0)), "This Month"))
        {
          g_string_append_printf (out, "This Month=%s;\n", gtk_label_get_text (g_ptr_array_index (labels, 1)));
          continue;
        }
      g_string_append_printf (out, "%s=%s|%s;\n",
                              gtk_label_get_text (g_ptr_array_index (labels, 0)),
                              gtk_label_get_text (g_ptr_array_index (labels, 1)),
                              gtk_label_get_text (g_ptr_array_index (labels, 2)));
    }

  return g_string_free (out, FALSE);
}

/* "date requests actual_cost" for every point of the dashboard's trend model. */
static char *
read_trend (TallyWindow *window)
{
  GListModel *trend = tally_dashboard_get_trend (tally_window_get_dashboard (window));
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (trend); i++)
    {
      g_autoptr (TallyTrendPoint) point = g_list_model_get_item (trend, i);

      g_string_append_printf (out, "%s %" G_GINT64_FORMAT " %.10g\n",
                              tally_trend_point_get_date (point),
                              tally_trend_point_get_requests (point),
                              tally_trend_point_get_actual_cost (point));
    }

  return g_string_free (out, FALSE);
}

/* The line of read_cards() for the card titled like @prefix ("Balance="). */
static char *
card_line (const char *cards,
           const char *prefix)
{
  const char *start = strstr (cards, prefix);
  const char *end;

  g_assert_nonnull (start);
  end = strchr (start, '\n');
  g_assert_nonnull (end);

  return g_strndup (start, end - start);
}

static gboolean
shows_label_containing (GtkWidget *root,
                        const char *part)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  tally_test_collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_mapped (label) && strstr (gtk_label_get_text (GTK_LABEL (label)), part) != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
apply_fault (TallyDemoServer *server,
             TallyDemoFault fault)
{
  if (fault == SERVER_STOPPED)
    tally_demo_server_stop (server);
  else
    tally_demo_server_set_fault (server, fault);
}

/* ------------------------------------------------------------ the window */

static void
test_window_fault (gconstpointer data)
{
  const Scenario *sc = data;
  TallySession *session = tally_session_new ();
  TallyWindow *window = tally_window_new (NULL, session);
  g_autofree char *cards_before = NULL;
  g_autofree char *trend_before = NULL;
  g_autofree char *cards_after = NULL;
  g_autofree char *trend_after = NULL;
  TallyDemoServer *server;
  guint n_keys_before;

  if (sc->fault == TALLY_DEMO_FAULT_STALL)
    tally_session_set_timeout (session, STALL_TIMEOUT_SECONDS);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_window_present (GTK_WINDOW (window));
  tally_test_start_demo (session);
  wait_for (window_idle, window);
  tally_test_spin (100);

  server = g_object_ref (TALLY_DEMO_SERVER (tally_session_get_demo_backend (session)));
  cards_before = read_cards (window);
  trend_before = read_trend (window);
  g_assert_nonnull (strstr (cards_before, "Balance=$"));
  g_assert_cmpstr (trend_before, !=, "");
  g_assert_null (tally_session_get_last_error (session));
  n_keys_before = g_list_model_get_n_items (tally_session_get_keys (session));
  g_assert_cmpuint (n_keys_before, >, 0);

  apply_fault (server, sc->fault);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  tally_test_spin (20);
  wait_for (window_idle, window);
  tally_test_spin (200);

  if (sc->logs_out)
    {
      GtkWidget *page = NULL;
      g_autoptr (GPtrArray) pages = g_ptr_array_new ();

      tally_test_collect_widgets (GTK_WIDGET (window), TALLY_TYPE_LOGIN_PAGE, pages);
      page = g_ptr_array_index (pages, 0);
      g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_LOGGED_OUT);
      g_assert_true (gtk_widget_get_mapped (page));
      g_assert_nonnull (strstr (tally_session_get_last_error (session), sc->message));
      /* said on the login page itself */
      g_assert_true (shows_label_containing (page, sc->message));
      g_test_message ("%s: %s", sc->name, tally_session_get_last_error (session));
    }
  else
    {
      const char *session_error = tally_session_get_last_error (session);
      const char *dashboard_error = tally_dashboard_get_last_error (tally_window_get_dashboard (window));

      g_assert_cmpint (tally_session_get_state (session), ==, TALLY_SESSION_STATE_READY);
      g_test_message ("%s: session “%s”, dashboard “%s”", sc->name,
                      session_error ? session_error : "(none)",
                      dashboard_error ? dashboard_error : "(none)");

      cards_after = read_cards (window);
      trend_after = read_trend (window);

      if (sc->message != NULL)
        {
          g_assert_nonnull (session_error);
          if (strstr (session_error, sc->message) == NULL)
            g_error ("“%s” not in “%s”", sc->message, session_error);
          /* the toast says it, as plain text */
          g_assert_true (shows_label_containing (GTK_WIDGET (window), sc->message));

          if (sc->fault == TALLY_DEMO_FAULT_NEGATIVE_NUMBERS)
            {
              /* only the paged key list failed and kept its keys; the
               * dashboard's figures are the server's, shown as sent */
              g_assert_null (dashboard_error);
              g_assert_cmpuint (g_list_model_get_n_items (tally_session_get_keys (session)), ==, n_keys_before);
              g_assert_nonnull (strstr (cards_after, "Billed Today=-$"));
            }
          else
            {
              g_assert_nonnull (dashboard_error);
              if (strstr (dashboard_error, sc->message) == NULL)
                g_error ("“%s” not in “%s”", sc->message, dashboard_error);
              /* the last good data stays */
              g_assert_cmpstr (cards_after, ==, cards_before);
              g_assert_cmpstr (trend_after, ==, trend_before);
              g_assert_cmpuint (g_list_model_get_n_items (tally_session_get_keys (session)), ==, n_keys_before);
            }
        }
      else
        {
          g_assert_null (session_error);
          g_assert_null (dashboard_error);
          g_assert_cmpint (sc->fault, ==, TALLY_DEMO_FAULT_NULL_ARRAYS);
          {
            GListModel *trend = tally_dashboard_get_trend (tally_window_get_dashboard (window));

            /* null = nothing: the same days, all zero; the stats have no
             * arrays and keep their values */
            static const char *const unchanged[] = { "Balance=", "Billed Today=", "API Keys=", "RPM / TPM=" };

            for (guint i = 0; i < G_N_ELEMENTS (unchanged); i++)
              {
                g_autofree char *line_before = card_line (cards_before, unchanged[i]);
                g_autofree char *line_after = card_line (cards_after, unchanged[i]);

                g_assert_cmpstr (line_after, ==, line_before);
              }
            g_assert_nonnull (strstr (cards_after, "Requests in Range=0|"));
            g_assert_cmpuint (g_list_model_get_n_items (trend), >, 0);
            for (guint i = 0; i < g_list_model_get_n_items (trend); i++)
              {
                g_autoptr (TallyTrendPoint) point = g_list_model_get_item (trend, i);

                g_assert_cmpint (tally_trend_point_get_requests (point), ==, 0);
              }
            g_assert_cmpuint (g_list_model_get_n_items (tally_session_get_keys (session)), ==, 0);
          }
        }
    }

  /* the process is alive, and works again once the server does */
  if (sc->fault != SERVER_STOPPED)
    {
      tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_NONE);
      if (!sc->logs_out)
        {
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
          tally_test_spin (20);
          wait_for (window_idle, window);
          g_assert_null (tally_session_get_last_error (session));
          cards_after = (g_free (cards_after), read_cards (window));
          g_assert_cmpstr (cards_after, ==, cards_before);
        }
    }

  n_scenarios_run++;

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
  tally_demo_server_stop (server);
  g_object_unref (server);
  g_assert_finalize_object (session);
}

/* The user changes the range again and again while every answer is slow: the
 * dashboard ends up showing the last range chosen, without an error. */
static void
test_window_slow_range_changes (void)
{
  TallySession *session = tally_session_new ();
  TallyWindow *window = tally_window_new (NULL, session);
  TallyDashboard *dashboard = tally_window_get_dashboard (window);
  TallyDemoServer *server;
  static const TallyDatePreset presets[] = {
    TALLY_DATE_PRESET_LAST_30_DAYS,
    TALLY_DATE_PRESET_YESTERDAY,
    TALLY_DATE_PRESET_LAST_14_DAYS,
    TALLY_DATE_PRESET_THIS_MONTH,
    TALLY_DATE_PRESET_LAST_7_DAYS,
    TALLY_DATE_PRESET_TODAY,
    TALLY_DATE_PRESET_LAST_14_DAYS,
  };
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  GListModel *trend;

  gtk_window_present (GTK_WINDOW (window));
  tally_test_start_demo (session);
  wait_for (window_idle, window);

  server = TALLY_DEMO_SERVER (tally_session_get_demo_backend (session));
  tally_demo_server_set_delay (server, 250);

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      g_clear_pointer (&start, g_free);
      g_clear_pointer (&end, g_free);
      tally_date_preset_range (presets[i], tally_session_get_server_today (session), &start, &end);
      tally_dashboard_set_range (dashboard, start, end);
      tally_test_spin (90);
    }

  wait_for (window_idle, window);
  tally_test_spin (100);

  g_assert_null (tally_dashboard_get_last_error (dashboard));
  g_assert_null (tally_session_get_last_error (session));
  g_assert_cmpstr (tally_dashboard_get_loaded_start_date (dashboard), ==, start);
  g_assert_cmpstr (tally_dashboard_get_loaded_end_date (dashboard), ==, end);
  trend = tally_dashboard_get_trend (dashboard);
  g_assert_cmpuint (g_list_model_get_n_items (trend), ==, (guint) tally_date_range_days (start, end));
  {
    g_autoptr (TallyTrendPoint) first = g_list_model_get_item (trend, 0);

    g_assert_cmpstr (tally_trend_point_get_date (first), ==, start);
  }

  n_scenarios_run++;

  gtk_window_destroy (GTK_WINDOW (window));
  tally_test_spin (50);
  g_assert_finalize_object (session);
}

/* ------------------------------------------------------------ exports */

typedef struct
{
  TallyDemoServer *server;
  TallyDemoFault fault;
  guint pages;
  gboolean broken;
} ExportRun;

static void
export_progress_cb (guint64 rows,
                    guint pages,
                    gpointer user_data)
{
  ExportRun *run = user_data;

  run->pages = pages;
  /* break the server after the first page: in the middle of the export */
  if (!run->broken && pages >= 1)
    {
      apply_fault (run->server, run->fault);
      run->broken = TRUE;
    }
}

static guint
count_entries (const char *dir_path)
{
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

static void
test_export_fault (gconstpointer data)
{
  const Scenario *sc = data;
  TallyDemoServer *server = g_object_new (TALLY_TYPE_DEMO_SERVER,
                                          "seed", (guint64) 5,
                                          "rows", (guint) 3000,
                                          NULL);
  g_autoptr (TallyClient) client = NULL;
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GFile) target = NULL;
  g_autofree char *token = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  static const char old_contents[] = "date,requests\r\n2026-01-01,1\r\n";
  GAsyncResult *slot = NULL;
  ExportRun run = { server, sc->fault, 0, FALSE };
  gboolean ok;

  g_assert_true (tally_demo_server_start (server, &error));
  g_assert_no_error (error);
  token = tally_demo_server_issue_token (server, 3600);
  client = tally_client_new (tally_demo_server_get_url (server), &error);
  g_assert_no_error (error);
  tally_client_set_token (client, token);
  if (sc->fault == TALLY_DEMO_FAULT_STALL)
    tally_client_set_timeout (client, STALL_TIMEOUT_SECONDS);

  dir = g_dir_make_tmp ("tally-faults-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "usage.csv", NULL);
  g_assert_true (g_file_set_contents (path, old_contents, -1, &error));
  target = g_file_new_for_path (path);

  tally_report_export_csv_async (client, TALLY_REPORT_LOGS, query, TALLY_GRANULARITY_DAY,
                                 target, export_progress_cb, &run, NULL,
                                 tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  ok = tally_report_export_csv_finish (result, &error);
  g_assert_true (run.broken);
  g_test_message ("export %s after %u page(s): %s", sc->name, run.pages,
                  error != NULL ? error->message : "(complete)");

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  if (sc->message == NULL)
    {
      /* the answers are well-formed: the export completes */
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_true (g_str_has_prefix (contents, "id,"));
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, TALLY_ERROR, error->code);
      if (sc->fault == TALLY_DEMO_FAULT_TOKEN_EXPIRED)
        g_assert_error (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED);
      else if (strstr (error->message, sc->message) == NULL)
        g_error ("“%s” not in “%s”", sc->message, error->message);
      /* byte-identical */
      g_assert_cmpstr (contents, ==, old_contents);
    }
  /* no temporary file left */
  g_assert_cmpuint (count_entries (dir), ==, 1);

  n_scenarios_run++;

  tally_test_remove_dir (dir);
  g_clear_object (&client);
  tally_demo_server_stop (server);
  g_assert_finalize_object (server);
}

/* ------------------------------------------------------------ the CLI */

static void
test_cli_fault (gconstpointer data)
{
  const Scenario *sc = data;
  const char *exe = g_getenv ("TALLY_EXE");
  TallyDemoServer *server = g_object_new (TALLY_TYPE_DEMO_SERVER,
                                          "seed", (guint64) 5,
                                          "rows", (guint) 3000,
                                          NULL);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *url = NULL;
  static const char old_contents[] = "id,created_at\r\n1,2026-01-01\r\n";
  int status;

  g_assert_nonnull (exe);
  g_assert_true (tally_demo_server_start (server, &error));
  g_assert_no_error (error);
  token = tally_demo_server_issue_token (server, 3600);
  url = g_strdup (tally_demo_server_get_url (server));

  dir = g_dir_make_tmp ("tally-faults-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "logs.csv", NULL);
  g_assert_true (g_file_set_contents (path, old_contents, -1, &error));

  apply_fault (server, sc->fault);

  launcher = tally_test_cli_launcher (token);
  g_subprocess_launcher_unsetenv (launcher, "TALLY_SERVER");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", dir, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, exe,
                                         "logs", "--csv", "--output", path, "--server", url, NULL);
  g_assert_no_error (error);
  /* it exits (no crash) */
  tally_test_communicate (process, &out, &err);
  status = g_subprocess_get_exit_status (process);
  g_test_message ("cli %s: exit %d: %s", sc->name, status, err);
  g_assert_null (strstr (err, token));
  g_assert_null (strstr (out, token));

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpint (status, ==, sc->cli_status);
  if (sc->cli_status == 0)
    {
      g_assert_cmpstr (err, ==, "");
      g_assert_true (g_str_has_prefix (contents, "id,"));
    }
  else
    {
      /* one line, specific, no HTML */
      g_assert_true (g_str_has_prefix (err, "tally: "));
      g_assert_cmpstr (strchr (err, '\n'), ==, "\n");
      g_assert_null (strchr (err, '<'));
      if (strstr (err, sc->cli_part) == NULL)
        g_error ("“%s” not in “%s”", sc->cli_part, err);
      g_assert_cmpstr (contents, ==, old_contents);
    }
  g_assert_cmpuint (count_entries (dir), ==, 1);

  n_scenarios_run++;

  tally_test_remove_dir (dir);
  tally_demo_server_stop (server);
  g_assert_finalize_object (server);
}

static void
test_count (void)
{
  g_test_message ("fault-injection scenarios run: %u", n_scenarios_run);
  g_assert_cmpuint (n_scenarios_run, >, 0);
}

int
main (int argc,
      char *argv[])
{
  tally_test_gtk_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autofree char *window_path = g_strdup_printf ("/faults/window/%s", scenarios[i].name);
      g_autofree char *export_path = g_strdup_printf ("/faults/export/%s", scenarios[i].name);

      g_test_add_data_func (window_path, &scenarios[i], test_window_fault);
      g_test_add_data_func (export_path, &scenarios[i], test_export_fault);
      /* a stall would hold the CLI for its 30 s default timeout */
      if (scenarios[i].cli_status >= 0)
        {
          g_autofree char *cli_path = g_strdup_printf ("/faults/cli/%s", scenarios[i].name);

          g_test_add_data_func (cli_path, &scenarios[i], test_cli_fault);
        }
    }
  g_test_add_func ("/faults/window/slow-range-changes", test_window_slow_range_changes);
  g_test_add_func ("/faults/summary/count", test_count);

  return g_test_run ();
}

/* test-cli-args.c: the real `tally` binary (TALLY_EXE) on its program-level
 * arguments: --help, --version, stray words, --key by name, the default
 * range, a closed pipe
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The child never gets a display. Where a server is needed it is either the
 * child's own `--demo` (both generations, through TALLY_DEMO_GENERATION) or,
 * for renamed keys, a demo server in this process reached with --server and
 * TALLY_TOKEN.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "tally-demo-server.h"
#include "tally-server-time.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"

typedef struct
{
  int status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags,
              const char *generation,
              const char *token)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_launcher_unsetenv (launcher, "TALLY_SERVER");
  /* the child's demo stays still: no new rows, no limiter */
  g_subprocess_launcher_setenv (launcher, "TALLY_DEMO_LIVE_ROWS", "0", TRUE);
  g_subprocess_launcher_setenv (launcher, "TALLY_DEMO_RATE_LIMIT", "off", TRUE);
  /* the same data in every run: 2026-01-15T12:00:00+08:00 */
  g_subprocess_launcher_setenv (launcher, "TALLY_DEMO_NOW", "1768449600", TRUE);
  if (generation != NULL)
    g_subprocess_launcher_setenv (launcher, "TALLY_DEMO_GENERATION", generation, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "TALLY_DEMO_GENERATION");
  if (token != NULL)
    g_subprocess_launcher_setenv (launcher, "TALLY_TOKEN", token, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "TALLY_TOKEN");

  return launcher;
}

/* Runs tally with @args; the main context turns meanwhile (an in-process
 * server may have to answer). */
static void
run_tally_v (const char *generation,
             const char *token,
             Result *result,
             const char *const *args)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GAsyncResult) async_result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TALLY_EXE"));
  g_assert_nonnull (argv->pdata[0]);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, generation, token);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (process, NULL, NULL, tally_test_store_result_cb, &slot);
  async_result = tally_test_wait_result (&slot);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, async_result, &result->out, &result->err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
}

#define run_tally(generation, token, result, ...)             \
  G_STMT_START                                                \
  {                                                           \
    const char *run_args_[] = { __VA_ARGS__, NULL };          \
    run_tally_v ((generation), (token), (result), run_args_); \
  }                                                           \
  G_STMT_END

static void
assert_ok (const Result *result)
{
  if (result->status != 0)
    g_error ("tally exited with %d: %s", result->status, result->err);
  g_assert_cmpstr (result->err, ==, "");
}

/* The generation of a test's data: NULL (today's server) or "2025". */
static const char *
generation_of (gconstpointer data)
{
  return GPOINTER_TO_INT (data) == TALLY_DEMO_GENERATION_2025 ? "2025" : NULL;
}

/* ------------------------------------------------------------ the tests */

static void
test_help (void)
{
  static const char *const commands[] = { "login", "logout", "summary", "keys", "trend", "models", "logs", "subscriptions", "report", "help" };
  Result help = { 0 };
  Result h = { 0 };
  Result overview = { 0 };

  run_tally (NULL, NULL, &help, "--help");
  assert_ok (&help);
  g_assert_true (g_str_has_prefix (help.out, "Usage:\n  tally COMMAND [OPTION…]\n  tally [--demo] [--server URL]   open the window\n"
                                             "  tally --version\n\nCommands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      /* the names in a column as wide as the longest ("subscriptions") and two spaces */
      g_autofree char *line = g_strdup_printf ("\n  %-15s", commands[i]);

      g_assert_nonnull (strstr (help.out, line));
    }

  /* -h and `tally help` say the same */
  run_tally (NULL, NULL, &h, "-h");
  assert_ok (&h);
  g_assert_cmpstr (h.out, ==, help.out);
  run_tally (NULL, NULL, &overview, "help");
  assert_ok (&overview);
  g_assert_cmpstr (overview.out, ==, help.out);

  result_clear (&help);
  result_clear (&h);
  result_clear (&overview);
}

static void
test_version (void)
{
  Result result = { 0 };

  run_tally (NULL, NULL, &result, "--version");
  assert_ok (&result);
  g_assert_cmpstr (result.out, ==, "tally " PACKAGE_VERSION "\n");
  result_clear (&result);
}

static void
test_unknown_command (void)
{
  static const struct
  {
    const char *args[4];
    const char *err;
  } cases[] = {
    { { "frobnicate" }, "tally: unknown command “frobnicate”; run `tally --help`\n" },
    { { "--demo", "summery" }, "tally: unknown command “summery”; run `tally --help`\n" },
    { { "--server", "http://127.0.0.1:9", "report.pdf" }, "tally: unknown command “report.pdf”; run `tally --help`\n" },
    { { "help", "frobnicate" }, "tally: unknown command “frobnicate”; run `tally --help`\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Result result = { 0 };
      const char *const *args = cases[i].args;

      run_tally_v (NULL, NULL, &result, args);
      /* one line, no GTK warning, no "can not open files" */
      g_assert_cmpstr (result.err, ==, cases[i].err);
      g_assert_cmpstr (result.out, ==, "");
      g_assert_cmpint (result.status, ==, 1);
      result_clear (&result);
    }
}

/* The window's options may come first: `tally --demo keys --json` is
 * `tally keys --demo --json`. */
static void
test_options_first (void)
{
  const char *late[] = { "--demo", "keys", "--json", NULL };
  const char *usual[] = { "keys", "--demo", "--json", NULL };
  Result first = { 0 };
  Result second = { 0 };

  run_tally_v (NULL, NULL, &first, late);
  run_tally_v (NULL, NULL, &second, usual);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpstr (first.err, ==, "");
  g_assert_cmpstr (first.out, ==, second.out);
  g_assert_true (g_str_has_prefix (first.out, "["));
  result_clear (&first);
  result_clear (&second);
}

static JsonArray *
parse_array (const char *text,
             JsonParser *parser)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_get_array (json_parser_get_root (parser));
}

static void
test_key_by_name (gconstpointer data)
{
  const char *generation = generation_of (data);
  g_autoptr (JsonParser) by_name_parser = json_parser_new ();
  g_autoptr (JsonParser) by_id_parser = json_parser_new ();
  Result by_name = { 0 };
  Result by_id = { 0 };
  Result unknown = { 0 };
  JsonArray *rows;

  run_tally (generation, NULL, &by_name, "logs", "--demo", "--json", "--key", "gemini-batch", "--from", "2000-01-01");
  assert_ok (&by_name);
  run_tally (generation, NULL, &by_id, "logs", "--demo", "--json", "--key", "5", "--from", "2000-01-01");
  assert_ok (&by_id);

  rows = parse_array (by_name.out, by_name_parser);
  g_assert_cmpuint (json_array_get_length (rows), >, 0);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rows, i), "api_key_id"), ==, 5);
  g_assert_cmpuint (json_array_get_length (parse_array (by_id.out, by_id_parser)), ==, json_array_get_length (rows));
  g_assert_cmpstr (by_name.out, ==, by_id.out);

  run_tally (generation, NULL, &unknown, "logs", "--demo", "--key", "gemini");
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_cmpstr (unknown.err, ==, "tally: no API key is named “gemini”; `tally keys` lists them\n");
  g_assert_cmpstr (unknown.out, ==, "");

  result_clear (&by_name);
  result_clear (&by_id);
  result_clear (&unknown);
}

static void
test_key_name_ambiguous (gconstpointer data)
{
  TallyTestDemo demo = { 0 };
  Result result = { 0 };
  Result other = { 0 };

  tally_test_demo_start_pinned (&demo, 11, 500, GPOINTER_TO_INT (data));
  g_assert_true (tally_demo_server_set_key_name (demo.server, 5, "default"));
  g_assert_true (tally_demo_server_set_key_name (demo.server, 3, "default"));

  run_tally (NULL, demo.token, &result, "logs", "--server", tally_demo_server_get_url (demo.server), "--key", "default");
  g_assert_cmpint (result.status, ==, 1);
  g_assert_cmpstr (result.err, ==, "tally: 3 API keys are named “default” (ids 1, 3, 5); pass --key ID\n");
  g_assert_cmpstr (result.out, ==, "");

  /* a name may hold anything, even digits after a letter */
  g_assert_true (tally_demo_server_set_key_name (demo.server, 2, "2nd key"));
  run_tally (NULL, demo.token, &other, "logs", "--server", tally_demo_server_get_url (demo.server), "--json",
             "--key", "2nd key", "--from", "2000-01-01");
  assert_ok (&other);
  g_assert_nonnull (strstr (other.out, "\"api_key_id\":2"));
  g_assert_null (strstr (other.out, "\"api_key_id\":1,"));

  result_clear (&result);
  result_clear (&other);
  tally_test_demo_stop (&demo);
}

/* Without --from: the window's "Last 7 Days", today and the 6 days before. */
static void
test_default_range (gconstpointer data)
{
  const char *generation = generation_of (data);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  Result trend = { 0 };
  Result ended = { 0 };
  JsonObject *object;
  JsonArray *points;

  run_tally (generation, NULL, &trend, "trend", "--demo", "--json");
  assert_ok (&trend);
  g_assert_true (json_parser_load_from_data (parser, trend.out, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  points = json_object_get_array_member (object, "trend");
  g_assert_cmpuint (json_array_get_length (points), ==, 7);
  tally_date_preset_range (TALLY_DATE_PRESET_LAST_7_DAYS, json_object_get_string_member (object, "end_date"), &start, &end);
  g_assert_cmpstr (json_object_get_string_member (object, "start_date"), ==, start);
  g_assert_cmpint (tally_date_range_days (json_object_get_string_member (object, "start_date"),
                                          json_object_get_string_member (object, "end_date")),
                   ==, 7);

  /* with --to alone: the 7 days ending there */
  run_tally (generation, NULL, &ended, "trend", "--demo", "--csv", "--to", "2026-01-10");
  assert_ok (&ended);
  g_assert_true (g_str_has_prefix (strchr (ended.out, '\n') + 1, "2026-01-04,"));
  g_assert_nonnull (strstr (ended.out, "\n2026-01-10,"));
  g_assert_null (strstr (ended.out, "\n2026-01-03,"));
  g_assert_null (strstr (ended.out, "\n2026-01-11,"));

  result_clear (&trend);
  result_clear (&ended);
}

/* `tally --demo` shows believable key names; the hostile ones are the tests' */
static void
test_demo_names (gconstpointer data)
{
  Result result = { 0 };

  run_tally (generation_of (data), NULL, &result, "keys", "--demo", "--json");
  assert_ok (&result);
  g_assert_nonnull (strstr (result.out, "\"name\":\"ci-runner\""));
  g_assert_nonnull (strstr (result.out, "\"name\":\"sheets-import\""));
  g_assert_null (strstr (result.out, "<b>"));
  g_assert_null (strstr (result.out, "\"name\":\"="));
  result_clear (&result);
}

/* `tally logs --csv | head -1`: the reader leaves early; tally stops quietly. */
static void
test_closed_pipe (gconstpointer data)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *header = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { g_getenv ("TALLY_EXE"), "logs", "--demo", "--csv", "--from", "2000-01-01", NULL };
  gsize length = 0;

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, generation_of (data), NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  header = g_data_input_stream_read_line_utf8 (lines, &length, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (header, "id,created_at,"));
  /* 17000 rows do not fit in a pipe: the child is still writing */
  g_assert_true (g_input_stream_close (G_INPUT_STREAM (lines), NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  {
    char buffer[4096];
    gsize n_read = 0;

    g_assert_true (g_input_stream_read_all (g_subprocess_get_stderr_pipe (process), buffer, sizeof buffer - 1,
                                            &n_read, NULL, &error));
    g_assert_no_error (error);
    err = g_strndup (buffer, n_read);
  }
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpstr (err != NULL ? err : "", ==, "");
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-args/help", test_help);
  g_test_add_func ("/cli-args/version", test_version);
  g_test_add_func ("/cli-args/unknown-command", test_unknown_command);
  g_test_add_func ("/cli-args/options-first", test_options_first);
  tally_test_add_data_generations ("/cli-args", "key-by-name", test_key_by_name);
  tally_test_add_data_generations ("/cli-args", "key-name-ambiguous", test_key_name_ambiguous);
  tally_test_add_data_generations ("/cli-args", "default-range", test_default_range);
  tally_test_add_data_generations ("/cli-args", "closed-pipe", test_closed_pipe);
  tally_test_add_data_generations ("/cli-args", "demo-names", test_demo_names);

  return g_test_run ();
}

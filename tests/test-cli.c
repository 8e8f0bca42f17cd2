/* test-cli.c: the real `tally` binary (TALLY_EXE), headless, against a demo server in this process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server lives in the test process, so the main context is iterated while
 * the child runs (g_subprocess_communicate_utf8_async + tally_test_wait_result).
 * The child never gets a display (DISPLAY and WAYLAND_DISPLAY are unset) nor a
 * session bus; its keyring is libsecret's file backend in a temporary directory.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "tally-csv.h"
#include "tally-demo-server.h"
#include "tally-format.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"

#define DEMO_ROWS 3000
#define DEMO_SEED 11

typedef struct
{
  TallyTestDemo demo;
  char *tmpdir;
  char *keyring;
} Fixture;

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  /* @data: the generation (NULL: today's server) */
  tally_test_demo_start_pinned (&f->demo, DEMO_SEED, DEMO_ROWS, GPOINTER_TO_UINT (data));
  f->tmpdir = g_dir_make_tmp ("tally-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->keyring = g_build_filename (f->tmpdir, "keyring", NULL);
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  tally_test_demo_stop (&f->demo);
  tally_test_remove_tree (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->keyring);
}

/* ------------------------------------------------------------ running */

typedef struct
{
  const char *token;                      /* TALLY_TOKEN, or NULL for unset */
  const char *stdin_text;                 /* NULL = empty */
  TallyDemoFault fault_after_usage_pages; /* set once /usage was asked this often (see below) */
  guint fault_after;
} RunOptions;

static void
run_tally_v (Fixture *f,
             const RunOptions *options,
             Run *run,
             const char *const *args)
{
  const char *exe = g_getenv ("TALLY_EXE");
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  gboolean fault_set = FALSE;
  gint64 start = g_get_monotonic_time ();

  g_assert_nonnull (exe);

  g_ptr_array_add (argv, (gpointer) exe);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_launcher_unsetenv (launcher, "TALLY_SERVER");
  g_subprocess_launcher_setenv (launcher, "SECRET_BACKEND", "file", TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PATH", f->keyring, TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PASSWORD", "test", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", f->tmpdir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", f->tmpdir, TRUE);
  if (options != NULL && options->token != NULL)
    g_subprocess_launcher_setenv (launcher, "TALLY_TOKEN", options->token, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "TALLY_TOKEN");

  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (process,
                                       options != NULL && options->stdin_text != NULL ? options->stdin_text : "",
                                       NULL, tally_test_store_result_cb, &slot);

  if (options != NULL && options->fault_after > 0)
    {
      /* break the server in the middle of the run */
      while (slot == NULL)
        {
          g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
          if (!fault_set
              && tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage") >= options->fault_after)
            {
              tally_demo_server_set_fault (f->demo.server, options->fault_after_usage_pages);
              fault_set = TRUE;
            }
          g_main_context_iteration (NULL, TRUE);
        }
      g_assert_true (fault_set);
    }

  result = tally_test_wait_result (&slot);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error));
  g_assert_no_error (error);

  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);

  /* the token is never printed */
  g_assert_null (strstr (run->err, f->demo.token));
  g_assert_null (strstr (run->out, f->demo.token));
  if (options != NULL && options->token != NULL && strlen (options->token) > 8)
    {
      g_assert_null (strstr (run->err, options->token));
      g_assert_null (strstr (run->out, options->token));
    }
}

#define run_tally(f, options, run, ...)              \
  G_STMT_START                                       \
  {                                                  \
    const char *run_args_[] = { __VA_ARGS__, NULL }; \
    run_tally_v ((f), (options), (run), run_args_);  \
  }                                                  \
  G_STMT_END

static void
assert_ok (const Run *run)
{
  if (run->status != 0)
    g_error ("tally exited with %d: %s", run->status, run->err);
  g_assert_cmpstr (run->err, ==, "");
}

/* A failure: the status, and exactly one line on stderr starting "tally: ". */
static void
assert_failure (const Run *run,
                int status,
                const char *part)
{
  const char *newline;

  if (run->status != status)
    g_error ("expected exit %d, got %d: %s", status, run->status, run->err);

  g_assert_true (g_str_has_prefix (run->err, "tally: "));
  newline = strchr (run->err, '\n');
  g_assert_nonnull (newline);
  g_assert_cmpstr (newline, ==, "\n");
  if (part != NULL && strstr (run->err, part) == NULL)
    g_error ("“%s” not in stderr: %s", part, run->err);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static GPtrArray *
parse_csv (const char *text)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *rows = tally_csv_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  return rows;
}

/* Every member of @expected is in @actual with the same value (numbers compared as doubles). */
static void
assert_members_equal (JsonObject *expected,
                      JsonObject *actual)
{
  g_autoptr (GList) members = json_object_get_members (expected);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *e = json_object_get_member (expected, name);
      JsonNode *a = json_object_get_member (actual, name);

      if (a == NULL)
        g_error ("member “%s” missing", name);
      if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
        g_assert_cmpstr (json_node_get_string (a), ==, json_node_get_string (e));
      else if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_BOOLEAN)
        g_assert_cmpint (json_node_get_boolean (a), ==, json_node_get_boolean (e));
      else if (JSON_NODE_HOLDS_VALUE (e))
        {
          if (json_node_get_double (a) != json_node_get_double (e))
            g_error ("member “%s”: %.17g != %.17g", name, json_node_get_double (a), json_node_get_double (e));
        }
      else if (JSON_NODE_HOLDS_NULL (e))
        g_assert_true (JSON_NODE_HOLDS_NULL (a));
    }
}

static gint64
usage_total (Fixture *f,
             const char *params)
{
  g_autofree char *path = g_strdup_printf ("/usage?%s&page=1&page_size=1", params);
  g_autoptr (JsonNode) data = tally_test_demo_fetch_raw (&f->demo, "GET", path, NULL);

  return json_object_get_int_member (json_node_get_object (data), "total");
}

/* ids of every row of the filter, newest first */
static GArray *
usage_ids (Fixture *f,
           const char *params)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (gint64 page = 1;; page++)
    {
      g_autofree char *path = g_strdup_printf ("/usage?%s&page=%" G_GINT64_FORMAT "&page_size=100", params, page);
      g_autoptr (JsonNode) data = tally_test_demo_fetch_raw (&f->demo, "GET", path, NULL);
      JsonArray *items = json_object_get_array_member (json_node_get_object (data), "items");

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          gint64 id = json_object_get_int_member (json_array_get_object_element (items, i), "id");

          g_array_append_val (ids, id);
        }
      if (page >= json_object_get_int_member (json_node_get_object (data), "pages"))
        break;
    }

  return ids;
}

/* ------------------------------------------------------------ the tests */

static void
test_summary_table (Fixture *f,
                    gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  Run run = {
    0,
  };
  g_autoptr (JsonNode) stats_node = tally_test_demo_fetch_raw (&f->demo, "GET", "/usage/dashboard/stats", NULL);
  g_autoptr (JsonNode) me_node = tally_test_demo_fetch_raw (&f->demo, "GET", "/auth/me", NULL);
  JsonObject *stats = json_node_get_object (stats_node);
  g_autofree char *balance = tally_format_cost (json_object_get_double_member (json_node_get_object (me_node), "balance"));
  g_autofree char *today = tally_format_cost (json_object_get_double_member (stats, "today_actual_cost"));
  g_autofree char *total = tally_format_cost (json_object_get_double_member (stats, "total_actual_cost"));
  g_autofree char *requests = tally_format_count (json_object_get_int_member (stats, "total_requests"));
  g_autofree char *today_requests = tally_format_count (json_object_get_int_member (stats, "today_requests"));
  g_autofree char *cache_read = tally_format_count (json_object_get_int_member (stats, "total_cache_read_tokens"));
  g_autofree char *line = NULL;
  g_autofree char *keys_line = NULL;
  g_auto (GStrv) lines = NULL;
  gboolean saw_billed = FALSE;
  gboolean saw_requests = FALSE;

  run_tally (f, &options, &run, "summary", "--server", tally_demo_server_get_url (f->demo.server));
  assert_ok (&run);

  g_assert_nonnull (strstr (run.out, balance));
  g_assert_nonnull (strstr (run.out, "2026-01-15 (server time Asia/Shanghai, UTC+08:00)"));
  g_assert_nonnull (strstr (run.out, "demo@example.com"));
  keys_line = g_strdup_printf ("%" G_GINT64_FORMAT " active of %" G_GINT64_FORMAT,
                               json_object_get_int_member (stats, "active_api_keys"),
                               json_object_get_int_member (stats, "total_api_keys"));
  g_assert_nonnull (strstr (run.out, keys_line));
  g_assert_nonnull (strstr (run.out, cache_read));

  lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "Billed cost "))
        {
          g_assert_nonnull (strstr (lines[i], today));
          g_assert_true (g_str_has_suffix (lines[i], total));
          saw_billed = TRUE;
        }
      if (g_str_has_prefix (lines[i], "Requests "))
        {
          g_assert_nonnull (strstr (lines[i], today_requests));
          g_assert_true (g_str_has_suffix (lines[i], requests));
          saw_requests = TRUE;
        }
    }
  g_assert_true (saw_billed);
  g_assert_true (saw_requests);

  run_clear (&run);
}

static void
test_summary_json (Fixture *f,
                   gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  Run run = {
    0,
  };
  g_autoptr (JsonNode) stats = tally_test_demo_fetch_raw (&f->demo, "GET", "/usage/dashboard/stats", NULL);
  g_autoptr (JsonNode) me = tally_test_demo_fetch_raw (&f->demo, "GET", "/auth/me", NULL);
  g_autoptr (JsonNode) out = NULL;
  JsonObject *object;

  run_tally (f, &options, &run, "summary", "--json", "--server", tally_demo_server_get_url (f->demo.server));
  assert_ok (&run);

  out = parse_json (run.out);
  object = json_node_get_object (out);
  assert_members_equal (json_node_get_object (stats), json_object_get_object_member (object, "stats"));
  g_assert_true (json_object_get_double_member (json_object_get_object_member (object, "user"), "balance")
                 == json_object_get_double_member (json_node_get_object (me), "balance"));
  g_assert_cmpstr (json_object_get_string_member (object, "server_date"), ==, "2026-01-15");
  g_assert_cmpstr (json_object_get_string_member (object, "server_utc_offset"), ==, "UTC+08:00");
  g_assert_cmpstr (json_object_get_string_member (object, "server_timezone"), ==, "Asia/Shanghai");

  run_clear (&run);
}

/* 2026-12-10 12:00 EST; the demo account is from July (EDT, -04:00) */
#define NY_NOW G_GINT64_CONSTANT (1796922000)

static void
restart_in_new_york (Fixture *f,
                     TallyDemoGeneration generation)
{
  tally_test_demo_restart (&f->demo, "now", NY_NOW, "days", 10, "timezone", "America/New_York", "generation", generation,
                           NULL);
}

static void
test_summary_new_york (Fixture *f,
                       gconstpointer data)
{
  Run run = {
    0,
  };
  g_autoptr (JsonNode) out = NULL;
  JsonObject *object;

  restart_in_new_york (f, TALLY_DEMO_GENERATION_CURRENT);
  {
    RunOptions options = { f->demo.token, NULL, 0, 0 };

    run_tally (f, &options, &run, "summary", "--json", "--server", tally_demo_server_get_url (f->demo.server));
    assert_ok (&run);
    out = parse_json (run.out);
    object = json_node_get_object (out);
    g_assert_cmpstr (json_object_get_string_member (object, "server_date"), ==, "2026-12-10");
    g_assert_cmpstr (json_object_get_string_member (object, "server_utc_offset"), ==, "UTC-05:00");
    g_assert_cmpstr (json_object_get_string_member (object, "server_timezone"), ==, "America/New_York");
    run_clear (&run);
    g_clear_pointer (&out, json_node_unref);

    run_tally (f, &options, &run, "summary", "--server", tally_demo_server_get_url (f->demo.server));
    assert_ok (&run);
    g_assert_nonnull (strstr (run.out, "2026-12-10 (server time America/New_York, UTC-05:00)"));
    g_assert_null (strstr (run.out, "-04:00"));
    run_clear (&run);
  }

  /* a 2025 server names no zone: the offset of its newest row */
  restart_in_new_york (f, TALLY_DEMO_GENERATION_2025);
  {
    RunOptions options = { f->demo.token, NULL, 0, 0 };

    run_tally (f, &options, &run, "summary", "--json", "--server", tally_demo_server_get_url (f->demo.server));
    assert_ok (&run);
    out = parse_json (run.out);
    object = json_node_get_object (out);
    g_assert_cmpstr (json_object_get_string_member (object, "server_utc_offset"), ==, "UTC-05:00");
    g_assert_false (json_object_has_member (object, "server_timezone"));
    run_clear (&run);
  }
}

static void
test_keys_json (Fixture *f,
                gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  Run run = {
    0,
  };
  g_autoptr (JsonNode) keys = tally_test_demo_fetch_raw (&f->demo, "GET", "/keys?page=1&page_size=100", NULL);
  g_autoptr (JsonNode) batch = NULL;
  g_autoptr (JsonNode) out = NULL;
  g_autoptr (GString) ids = g_string_new ("{\"api_key_ids\":[");
  JsonArray *items = json_object_get_array_member (json_node_get_object (keys), "items");
  JsonObject *stats;
  JsonArray *printed;

  for (guint i = 0; i < json_array_get_length (items); i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            json_object_get_int_member (json_array_get_object_element (items, i), "id"));
  g_string_append (ids, "]}");
  batch = tally_test_demo_fetch_raw (&f->demo, "POST", "/usage/dashboard/api-keys-usage", ids->str);
  stats = json_object_get_object_member (json_node_get_object (batch), "stats");

  run_tally (f, &options, &run, "keys", "--json", "--server", tally_demo_server_get_url (f->demo.server));
  assert_ok (&run);

  out = parse_json (run.out);
  printed = json_node_get_array (out);
  g_assert_cmpuint (json_array_get_length (printed), ==, json_array_get_length (items));

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *e = json_array_get_object_element (items, i);
      JsonObject *a = json_array_get_object_element (printed, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (e, "id"));
      JsonObject *usage = json_object_has_member (stats, id) ? json_object_get_object_member (stats, id) : NULL;
      const char *secret = json_object_get_string_member (e, "key");

      g_assert_cmpint (json_object_get_int_member (a, "id"), ==, json_object_get_int_member (e, "id"));
      g_assert_cmpstr (json_object_get_string_member (a, "name"), ==, json_object_get_string_member (e, "name"));
      g_assert_cmpstr (json_object_get_string_member (a, "status"), ==, json_object_get_string_member (e, "status"));
      g_assert_false (json_object_has_member (a, "key"));
      g_assert_true (g_str_has_suffix (secret, json_object_get_string_member (a, "masked_key") + strlen (json_object_get_string_member (a, "masked_key")) - 4));
      g_assert_null (strstr (run.out, secret));
      g_assert_true (json_object_get_double_member (a, "today_actual_cost")
                     == (usage ? json_object_get_double_member (usage, "today_actual_cost") : 0.0));
      g_assert_true (json_object_get_double_member (a, "total_actual_cost")
                     == (usage ? json_object_get_double_member (usage, "total_actual_cost") : 0.0));
    }

  run_clear (&run);
}

static void
test_keys_table (Fixture *f,
                 gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  Run run = {
    0,
  };

  run_tally (f, &options, &run, "keys", "--server", tally_demo_server_get_url (f->demo.server));
  assert_ok (&run);

  /* names as plain text; the deleted key's usage on its own line */
  g_assert_nonnull (strstr (run.out, "CI <b>&amp; bot"));
  g_assert_nonnull (strstr (run.out, "订阅 Claude Max ⚡"));
  g_assert_nonnull (strstr (run.out, "Deleted keys: "));
  g_assert_null (strstr (run.out, "\033"));

  run_clear (&run);
}

static void
check_trend_csv (Fixture *f,
                 const char *out,
                 const char *from,
                 const char *to,
                 guint expected_rows)
{
  g_autoptr (GPtrArray) rows = parse_csv (out);
  g_autofree char *path = NULL;
  g_autoptr (JsonNode) trend = NULL;
  g_autoptr (GHashTable) points = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;
  const char *header[] = { "date", "requests", "input_tokens", "output_tokens", "cache_tokens",
                           "total_tokens", "cost", "actual_cost", NULL };

  path = from != NULL ? g_strdup_printf ("/usage/dashboard/trend?start_date=%s&end_date=%s", from, to)
                      : g_strdup ("/usage/dashboard/trend");
  trend = tally_test_demo_fetch_raw (&f->demo, "GET", path, NULL);
  array = json_object_get_array_member (json_node_get_object (trend), "trend");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *point = json_array_get_object_element (array, i);

      g_hash_table_insert (points, (gpointer) json_object_get_string_member (point, "date"), point);
    }

  g_assert_cmpstrv ((char **) g_ptr_array_index (rows, 0), header);
  g_assert_cmpuint (rows->len - 1, ==, expected_rows);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, rows->len - 1))[0], ==,
                   json_object_get_string_member (json_node_get_object (trend), "end_date"));

  for (guint i = 1; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      JsonObject *point = g_hash_table_lookup (points, row[0]);

      if (point == NULL)
        {
          g_assert_cmpstr (row[1], ==, "0");
          g_assert_cmpstr (row[7], ==, "0");
          continue;
        }
      g_assert_cmpint (tally_test_parse_int (row[1]), ==, json_object_get_int_member (point, "requests"));
      g_assert_cmpint (tally_test_parse_int (row[5]), ==, json_object_get_int_member (point, "total_tokens"));
      g_assert_true (tally_test_parse_double (row[6]) == json_object_get_double_member (point, "cost"));
      g_assert_true (tally_test_parse_double (row[7]) == json_object_get_double_member (point, "actual_cost"));
    }
}

static void
test_trend_csv (Fixture *f,
                gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  Run run = {
    0,
  };

  /* no dates: the window's last 7 days, including the server's today */
  run_tally (f, &options, &run, "trend", "--csv", "--server", tally_demo_server_get_url (f->demo.server));
  assert_ok (&run);
  check_trend_csv (f, run.out, "2026-01-09", "2026-01-15", 7); /* the default: the last 7 days */
  run_clear (&run);

  run_tally (f, &options, &run, "trend", "--csv", "--from", "2025-12-01", "--to", "2026-01-15",
             "--server", tally_demo_server_get_url (f->demo.server));
  assert_ok (&run);
  check_trend_csv (f, run.out, "2025-12-01", "2026-01-15", 46);
  run_clear (&run);
}

static void
test_models_json (Fixture *f,
                  gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  Run run = {
    0,
  };
  g_autoptr (JsonNode) raw = tally_test_demo_fetch_raw (&f->demo, "GET", "/usage/dashboard/models?start_date=2025-11-01&end_date=2026-01-10", NULL);
  g_autoptr (JsonNode) out = NULL;
  JsonArray *expected;
  JsonArray *actual;

  run_tally (f, &options, &run, "models", "--json", "--from", "2025-11-01", "--to", "2026-01-10",
             "--server", tally_demo_server_get_url (f->demo.server));
  assert_ok (&run);

  out = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (out), "start_date"), ==, "2025-11-01");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (out), "end_date"), ==, "2026-01-10");
  expected = json_object_get_array_member (json_node_get_object (raw), "models");
  actual = json_object_get_array_member (json_node_get_object (out), "models");
  g_assert_cmpuint (json_array_get_length (actual), ==, json_array_get_length (expected));
  g_assert_cmpuint (json_array_get_length (actual), >, 3);
  for (guint i = 0; i < json_array_get_length (expected); i++)
    assert_members_equal (json_array_get_object_element (expected, i), json_array_get_object_element (actual, i));

  run_clear (&run);
}

static void
test_logs_csv (Fixture *f,
               gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  Run run = {
    0,
  };
  const char *params = "api_key_id=1&start_date=2025-12-01&end_date=2026-01-15";
  g_autoptr (GArray) ids = usage_ids (f, params);
  g_autoptr (GPtrArray) rows = NULL;

  run_tally (f, &options, &run, "logs", "--csv", "--from", "2025-12-01", "--to", "2026-01-15", "--key", "1",
             "--server", tally_demo_server_get_url (f->demo.server));
  assert_ok (&run);

  rows = parse_csv (run.out);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 0))[0], ==, "id");
  g_assert_cmpuint (rows->len - 1, ==, usage_total (f, params));
  g_assert_cmpuint (rows->len - 1, ==, ids->len);
  g_assert_cmpuint (ids->len, >, 100);
  for (guint i = 1; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      g_assert_cmpint (tally_test_parse_int (row[0]), ==, g_array_index (ids, gint64, i - 1));
      g_assert_cmpstr (row[2], ==, "1");
      g_assert_cmpstr (row[3], ==, "default");
    }

  run_clear (&run);
}

/* Rows arrive at the head while `tally logs --csv` pages (about one a
 * millisecond): the file holds exactly the rows that existed at its first
 * page, each once, newest first. */
static void
test_logs_csv_live (Fixture *f,
                    gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  Run run = {
    0,
  };
  g_autoptr (GArray) before = usage_ids (f, "page_size=100");
  g_autoptr (GArray) after = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  gint64 first_id;
  guint n_expected = 0;

  tally_demo_server_set_live_rows (f->demo.server, 60000);
  /* every row, not the default last 7 days */
  run_tally (f, &options, &run, "logs", "--csv", "--from", "2000-01-01", "--server",
             tally_demo_server_get_url (f->demo.server));
  tally_demo_server_set_live_rows (f->demo.server, 0);
  assert_ok (&run);

  rows = parse_csv (run.out);
  g_assert_cmpuint (rows->len, >, 1);
  first_id = tally_test_parse_int (((char **) g_ptr_array_index (rows, 1))[0]);

  /* the rows at the time of the first page: every row up to its newest id */
  after = usage_ids (f, "page_size=100");
  g_assert_cmpuint (after->len, >, before->len);
  g_assert_cmpint (g_array_index (after, gint64, 0), >, first_id);
  for (guint i = 0; i < after->len; i++)
    {
      if (g_array_index (after, gint64, i) > first_id)
        continue;
      g_assert_cmpuint (1 + n_expected, <, rows->len);
      g_assert_cmpint (tally_test_parse_int (((char **) g_ptr_array_index (rows, 1 + n_expected))[0]), ==,
                       g_array_index (after, gint64, i));
      n_expected++;
    }
  g_assert_cmpuint (rows->len - 1, ==, n_expected);
  g_assert_cmpuint (n_expected, >=, before->len);

  run_clear (&run);
}

static void
test_logs_json (Fixture *f,
                gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  Run run = {
    0,
  };
  const char *params = "api_key_id=2&model=claude-opus-4-1&stream=true&billing_type=1";
  g_autoptr (GArray) ids = NULL;
  g_autoptr (JsonNode) out = NULL;
  g_autoptr (JsonNode) first = NULL;
  JsonArray *array;

  run_tally (f, &options, &run, "logs", "--json", "--key", "2", "--stream", "true", "--from", "2000-01-01",
             "--billing", "subscription", "--model", "claude-opus-4-1",
             "--server", tally_demo_server_get_url (f->demo.server));
  assert_ok (&run);

  ids = usage_ids (f, params);
  g_assert_cmpuint (ids->len, >, 0);
  out = parse_json (run.out);
  array = json_node_get_array (out);
  g_assert_cmpuint (json_array_get_length (array), ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      JsonObject *log = json_array_get_object_element (array, i);

      g_assert_cmpint (json_object_get_int_member (log, "id"), ==, g_array_index (ids, gint64, i));
      g_assert_cmpint (json_object_get_int_member (log, "api_key_id"), ==, 2);
      g_assert_true (json_object_get_boolean_member (log, "stream"));
      g_assert_false (json_object_has_member (log, "account"));
    }

  /* the first row, field by field, against the server's */
  if (ids->len > 0)
    {
      g_autofree char *path = g_strdup_printf ("/usage?%s&page=1&page_size=1", params);
      JsonObject *raw_row;
      JsonObject *printed = json_array_get_object_element (array, 0);

      first = tally_test_demo_fetch_raw (&f->demo, "GET", path, NULL);
      raw_row = json_array_get_object_element (json_object_get_array_member (json_node_get_object (first), "items"), 0);
      json_object_remove_member (raw_row, "user");
      json_object_remove_member (raw_row, "api_key");
      json_object_remove_member (raw_row, "account");
      json_object_remove_member (raw_row, "group");
      json_object_remove_member (raw_row, "cache_creation_5m_tokens");
      json_object_remove_member (raw_row, "cache_creation_1h_tokens");
      assert_members_equal (raw_row, printed);
    }

  run_clear (&run);
}

/* The JSON text of member @name (a number) in @json, as printed. */
static char *
printed_number (const char *json,
                const char *name)
{
  g_autofree char *key = g_strdup_printf ("\"%s\":", name);
  const char *start = strstr (json, key);

  g_assert_nonnull (start);
  start += strlen (key);
  return g_strndup (start, strcspn (start, ",}"));
}

/* `tally stats`: the totals of the filter, exactly the sums of its rows, on
 * both servers; the table and the JSON; the default range is the last 7
 * server days. */
static void
test_stats (Fixture *f,
            gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  Run run = {
    0,
  };
  const char *params = "api_key_id=2&model=claude-opus-4-1&stream=true&billing_type=1&start_date=2026-01-02&end_date=2026-01-15";
  const char *url = tally_demo_server_get_url (f->demo.server);
  g_autoptr (JsonNode) out = NULL;
  g_autoptr (GString) expected = g_string_new ("key 2, model “claude-opus-4-1”, 2026-01-02…2026-01-15, stream, subscription\n\n");
  g_autofree char *cost = NULL;
  g_autofree char *actual_cost = NULL;
  g_autofree char *expected_cost = NULL;
  g_autofree char *expected_actual_cost = NULL;
  TallyTestRowSums sums;
  JsonObject *object;
  JsonObject *stats;

  tally_test_sum_rows (f->demo.soup, url, f->demo.token, params, &sums);
  g_assert_cmpint (sums.requests, >, 0);
  expected_cost = tally_test_units_to_decimal (sums.cost);
  expected_actual_cost = tally_test_units_to_decimal (sums.actual_cost);

  run_tally (f, &options, &run, "stats", "--key", "2", "--stream", "true", "--billing", "subscription",
             "--model", "claude-opus-4-1", "--from", "2026-01-02", "--to", "2026-01-15", "--server", url);
  assert_ok (&run);
  {
    g_autofree char *billed = tally_format_cost ((double) sums.actual_cost / 1e10);
    g_autofree char *list = tally_format_cost ((double) sums.cost / 1e10);
    g_autofree char *requests = tally_format_count (sums.requests);
    g_autofree char *tokens = tally_format_count (sums.input_tokens + sums.output_tokens + sums.cache_creation_tokens + sums.cache_read_tokens);
    g_autofree char *input = tally_format_count (sums.input_tokens);
    g_autofree char *output = tally_format_count (sums.output_tokens);
    g_autofree char *cache = tally_format_count (sums.cache_creation_tokens + sums.cache_read_tokens);
    g_autofree char *write = tally_format_count (sums.cache_creation_tokens);
    g_autofree char *read = tally_format_count (sums.cache_read_tokens);
    g_autofree char *duration = tally_format_duration_ms (tally_test_row_sums_average_duration (&sums));
    gboolean split = GPOINTER_TO_UINT (data) == TALLY_DEMO_GENERATION_2025; /* counted from the rows */
    const char *rows[][2] = {
      { "Billed cost", billed },
      { "List cost", list },
      { "Requests", requests },
      { "Tokens", tokens },
      { "  Input", input },
      { "  Output", output },
      { split ? "  Cache write" : "  Cache", split ? write : cache },
      { split ? "  Cache read" : NULL, read },
      { "Average duration", duration },
    };
    gsize widths[2] = { 0, 0 };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      for (guint c = 0; c < 2 && rows[i][0] != NULL; c++)
        widths[c] = MAX (widths[c], strlen (rows[i][c]));
    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      if (rows[i][0] != NULL)
        g_string_append_printf (expected, "%-*s  %*s\n", (int) widths[0], rows[i][0], (int) widths[1], rows[i][1]);
  }
  g_assert_cmpstr (run.out, ==, expected->str);
  run_clear (&run);

  run_tally (f, &options, &run, "stats", "--json", "--key", "2", "--stream", "true", "--billing", "subscription",
             "--model", "claude-opus-4-1", "--from", "2026-01-02", "--to", "2026-01-15", "--server", url);
  assert_ok (&run);
  out = parse_json (run.out);
  object = json_node_get_object (out);
  g_assert_cmpstr (json_object_get_string_member (object, "start_date"), ==, "2026-01-02");
  g_assert_cmpstr (json_object_get_string_member (object, "end_date"), ==, "2026-01-15");
  stats = json_object_get_object_member (object, "stats");
  g_assert_cmpint (json_object_get_int_member (stats, "total_requests"), ==, sums.requests);
  g_assert_cmpint (json_object_get_int_member (stats, "total_input_tokens"), ==, sums.input_tokens);
  g_assert_cmpint (json_object_get_int_member (stats, "total_output_tokens"), ==, sums.output_tokens);
  g_assert_cmpint (json_object_get_int_member (stats, "total_cache_tokens"), ==, sums.cache_creation_tokens + sums.cache_read_tokens);
  g_assert_cmpfloat (json_object_get_double_member (stats, "average_duration_ms"), ==, tally_test_row_sums_average_duration (&sums));
  /* the costs byte for byte: the exact decimal sums */
  cost = printed_number (run.out, "total_cost");
  actual_cost = printed_number (run.out, "total_actual_cost");
  g_assert_cmpstr (cost, ==, expected_cost);
  g_assert_cmpstr (actual_cost, ==, expected_actual_cost);
  run_clear (&run);
  g_clear_pointer (&out, json_node_unref);

  /* no dates: the last 7 days ending on the server's day */
  tally_test_sum_rows (f->demo.soup, url, f->demo.token, "billing_type=0&start_date=2026-01-09&end_date=2026-01-15", &sums);
  run_tally (f, &options, &run, "stats", "--json", "--billing", "balance", "--server", url);
  assert_ok (&run);
  out = parse_json (run.out);
  object = json_node_get_object (out);
  g_assert_cmpstr (json_object_get_string_member (object, "start_date"), ==, "2026-01-09");
  g_assert_cmpstr (json_object_get_string_member (object, "end_date"), ==, "2026-01-15");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "stats"), "total_requests"), ==, sums.requests);
  g_clear_pointer (&expected_actual_cost, g_free);
  g_clear_pointer (&actual_cost, g_free);
  expected_actual_cost = tally_test_units_to_decimal (sums.actual_cost);
  actual_cost = printed_number (run.out, "total_actual_cost");
  g_assert_cmpstr (actual_cost, ==, expected_actual_cost);
  run_clear (&run);
}

static void
test_logs_output (Fixture *f,
                  gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  Run run = {
    0,
  };
  g_autofree char *path = g_build_filename (f->tmpdir, "all.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GPtrArray) rows = NULL;

  run_tally (f, &options, &run, "logs", "--csv", "--output", path, "--from", "2025-01-01",
             "--to", "2026-12-31", "--server", tally_demo_server_get_url (f->demo.server));
  assert_ok (&run);
  g_assert_cmpstr (run.out, ==, "");

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  rows = parse_csv (contents);
  g_assert_cmpuint (rows->len - 1, ==, usage_total (f, "start_date=2025-01-01&end_date=2026-12-31"));
  g_assert_cmpuint (rows->len - 1, >, 2000);

  run_clear (&run);
}

static void
test_usage_errors (Fixture *f,
                   gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  const char *url = tally_demo_server_get_url (f->demo.server);
  Run run = {
    0,
  };

  run_tally (f, &options, &run, "summary", "--bogus", "--server", url);
  assert_failure (&run, 1, "bogus");
  run_clear (&run);

  run_tally (f, &options, &run, "logs", "--from", "2026-02-30", "--server", url);
  assert_failure (&run, 1, "2026-02-30");
  run_clear (&run);

  run_tally (f, &options, &run, "trend", "--from", "2026-01-10", "--to", "2026-01-01", "--server", url);
  assert_failure (&run, 1, NULL);
  run_clear (&run);

  run_tally (f, &options, &run, "trend", "--granularity", "week", "--server", url);
  assert_failure (&run, 1, "week");
  run_clear (&run);

  run_tally (f, &options, &run, "logs", "--output", "x.csv", "--server", url);
  assert_failure (&run, 1, "--output");
  run_clear (&run);

  run_tally (f, &options, &run, "logs", "--stream", "maybe", "--server", url);
  assert_failure (&run, 1, "maybe");
  run_clear (&run);

  run_tally (f, &options, &run, "summary", "--csv", "--server", url);
  assert_failure (&run, 1, NULL);
  run_clear (&run);

  run_tally (f, &options, &run, "keys", "extra", "--server", url);
  assert_failure (&run, 1, "extra");
  run_clear (&run);

  run_tally (f, &options, &run, "summary", "--server", "ftp://example.com");
  assert_failure (&run, 1, NULL);
  run_clear (&run);

  /* nothing was asked of the server */
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, NULL), ==, 0);
}

static void
test_auth_errors (Fixture *f,
                  gconstpointer data)
{
  g_autofree char *expired = tally_demo_server_issue_token (f->demo.server, -60);
  RunOptions no_token = { NULL, NULL, 0, 0 };
  RunOptions bad = { "not-a-jwt-token-at-all", NULL, 0, 0 };
  RunOptions old = { expired, NULL, 0, 0 };
  const char *url = tally_demo_server_get_url (f->demo.server);
  Run run = {
    0,
  };

  /* no TALLY_TOKEN and an empty keyring */
  run_tally (f, &no_token, &run, "summary", "--server", "http://127.0.0.1:1");
  assert_failure (&run, 2, "not logged in to http://127.0.0.1:1");
  g_assert_nonnull (strstr (run.err, "tally login --server http://127.0.0.1:1"));
  run_clear (&run);

  run_tally (f, &no_token, &run, "keys");
  assert_failure (&run, 2, "not logged in");
  run_clear (&run);

  run_tally (f, &bad, &run, "summary", "--server", url);
  assert_failure (&run, 2, NULL);
  run_clear (&run);

  run_tally (f, &old, &run, "logs", "--csv", "--server", url);
  assert_failure (&run, 2, NULL);
  g_assert_cmpstr (run.out, ==, "");
  run_clear (&run);
}

static void
test_server_errors (Fixture *f,
                    gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  Run run = {
    0,
  };

  run_tally (f, &options, &run, "summary", "--server", "http://127.0.0.1:1");
  assert_failure (&run, 3, NULL);
  run_clear (&run);

  tally_demo_server_set_fault (f->demo.server, TALLY_DEMO_FAULT_HTML_502);
  run_tally (f, &options, &run, "models", "--server", tally_demo_server_get_url (f->demo.server));
  assert_failure (&run, 3, NULL);
  g_assert_null (strstr (run.err, "<"));
  run_clear (&run);
}

static void
test_io_errors (Fixture *f,
                gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  const char *url = tally_demo_server_get_url (f->demo.server);
  g_autofree char *missing = g_build_filename (f->tmpdir, "no-such-dir", "out.csv", NULL);
  Run run = {
    0,
  };

  run_tally (f, &options, &run, "logs", "--csv", "--output", missing, "--server", url);
  assert_failure (&run, 4, NULL);
  run_clear (&run);

  run_tally (f, &options, &run, "summary", "--json", "--output", missing, "--server", url);
  assert_failure (&run, 4, NULL);
  run_clear (&run);

  run_tally (f, &options, &run, "logs", "--json", "--key", "3", "--output", missing, "--server", url);
  assert_failure (&run, 4, NULL);
  run_clear (&run);

  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

/* `tally report --pdf --output FILE`: one page whose text holds the range's totals */
static void
test_report_pdf (Fixture *f,
                 gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  const char *url = tally_demo_server_get_url (f->demo.server);
  g_autofree char *path = g_build_filename (f->tmpdir, "summary.pdf", NULL);
  g_autofree char *missing = g_build_filename (f->tmpdir, "no-such-dir", "out.pdf", NULL);
  g_autofree char *info = NULL;
  g_autofree char *text = NULL;
  g_autofree char *billed = NULL;
  g_autofree char *list = NULL;
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autoptr (JsonNode) stats = NULL;
  g_autoptr (GError) error = NULL;
  const char *info_argv[] = { "pdfinfo", path, NULL };
  const char *text_argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
  Run run = {
    0,
  };
  int status;

  run_tally (f, &options, &run, "report", "--pdf", "--from", "2026-01-08", "--to", "2026-01-15",
             "--output", path, "--server", url);
  assert_ok (&run);
  g_assert_cmpstr (run.out, ==, "");
  run_clear (&run);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  if (pdfinfo == NULL || pdftotext == NULL)
    {
      g_test_skip ("pdfinfo/pdftotext not found (install poppler-utils)");
      return;
    }

  g_assert_true (g_spawn_sync (NULL, (char **) info_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &info, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_regex_match_simple ("^Pages: +1$", info, G_REGEX_MULTILINE, 0));

  g_assert_true (g_spawn_sync (NULL, (char **) text_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &text, NULL, &status, &error));
  g_assert_no_error (error);

  stats = tally_test_demo_fetch_raw (&f->demo, "GET", "/usage/stats?start_date=2026-01-08&end_date=2026-01-15", NULL);
  billed = tally_format_cost (json_object_get_double_member (json_node_get_object (stats), "total_actual_cost"));
  list = tally_format_cost (json_object_get_double_member (json_node_get_object (stats), "total_cost"));
  g_assert_nonnull (strstr (text, billed));
  g_assert_nonnull (strstr (text, list));
  g_assert_nonnull (strstr (text, "Range: 2026-01-08 to 2026-01-15"));
  g_assert_nonnull (strstr (text, url));
  g_assert_nonnull (strstr (text, "demo@example.com"));

  /* bad arguments: exit 1, nothing asked of the server */
  tally_demo_server_reset_request_counts (f->demo.server);
  run_tally (f, &options, &run, "report", "--output", path, "--server", url);
  assert_failure (&run, 1, "--pdf");
  run_clear (&run);
  run_tally (f, &options, &run, "report", "--pdf", "--server", url);
  assert_failure (&run, 1, "--output");
  run_clear (&run);
  run_tally (f, &options, &run, "report", "--pdf", "--csv", "--output", path, "--server", url);
  assert_failure (&run, 1, "--csv");
  run_clear (&run);
  run_tally (f, &options, &run, "report", "--pdf", "--from", "2026-02-30", "--output", path, "--server", url);
  assert_failure (&run, 1, "2026-02-30");
  run_clear (&run);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, NULL), ==, 0);

  /* an unwritable target: exit 4; a server failure: exit 3 and the old file stays */
  run_tally (f, &options, &run, "report", "--pdf", "--output", missing, "--server", url);
  assert_failure (&run, 4, NULL);
  run_clear (&run);

  g_assert_true (g_file_set_contents (path, "old", -1, &error));
  tally_demo_server_set_fault (f->demo.server, TALLY_DEMO_FAULT_HTML_502);
  run_tally (f, &options, &run, "report", "--pdf", "--output", path, "--server", url);
  assert_failure (&run, 3, NULL);
  run_clear (&run);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "old");
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static char *
list_dir (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (",", (char **) names->pdata);
}

static void
test_output_survives_failure (Fixture *f,
                              gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, TALLY_DEMO_FAULT_TOKEN_EXPIRED, 1 };
  g_autofree char *dir = g_build_filename (f->tmpdir, "out", NULL);
  g_autofree char *path = g_build_filename (dir, "logs.csv", NULL);
  g_autofree char *json_path = g_build_filename (dir, "logs.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *listing = NULL;
  const char *previous = "id,created_at\r\n1,last month's export\r\n";
  Run run = {
    0,
  };

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, previous, -1, NULL));
  g_assert_true (g_file_set_contents (json_path, previous, -1, NULL));

  /* 3 pages of 1000, each answer 20 ms late; the token "expires" once the first was asked for */
  tally_demo_server_set_delay (f->demo.server, 20);
  run_tally (f, &options, &run, "logs", "--csv", "--output", path, "--from", "2000-01-01",
             "--server", tally_demo_server_get_url (f->demo.server));
  assert_failure (&run, 2, NULL);
  run_clear (&run);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, previous);
  g_clear_pointer (&contents, g_free);

  tally_demo_server_set_fault (f->demo.server, TALLY_DEMO_FAULT_NONE);
  tally_demo_server_reset_request_counts (f->demo.server);
  run_tally (f, &options, &run, "logs", "--json", "--output", json_path, "--from", "2000-01-01",
             "--server", tally_demo_server_get_url (f->demo.server));
  assert_failure (&run, 2, NULL);
  run_clear (&run);

  g_assert_true (g_file_get_contents (json_path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, previous);

  /* no temporary files left behind */
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "logs.csv,logs.json");
}

/* the first column of every line (the ids of a logs CSV): the rows, without
 * the timestamps that follow the demo's "now" */
static char *
csv_first_column (const char *csv)
{
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  GString *ids = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *comma = strchr (lines[i], ',');

      g_string_append_len (ids, lines[i], comma != NULL ? comma - lines[i] : (gssize) strlen (lines[i]));
      g_string_append_c (ids, ' ');
    }

  return g_string_free (ids, FALSE);
}

/* A 429 is waited out: one line on stderr per wait, none with --quiet; the rows are the same. */
static void
test_rate_limit_wait (Fixture *f,
                      gconstpointer data)
{
  Run plain = {
    0,
  };
  Run waited = {
    0,
  };
  Run quiet = {
    0,
  };
  const char *line = "tally: waiting for the server’s rate limit — resuming in ";
  const char *first;
  g_autofree char *plain_ids = NULL;
  g_autofree char *waited_ids = NULL;

  /* a frozen clock: the demo's rows are the same in each run */
  g_setenv ("TALLY_DEMO_NOW", "1796000000", TRUE);
  run_tally (f, NULL, &plain, "logs", "--demo", "--csv", "--from", "2026-11-17", "--to", "2026-11-30");
  assert_ok (&plain);
  g_assert_null (strstr (plain.err, "rate limit"));
  plain_ids = csv_first_column (plain.out);
  /* two weeks: three pages of 1000 */
  g_assert_cmpuint (strlen (plain_ids), >, 2000 * 5);

  /* 2 heavy requests a second: the first page and the two after it, asked
   * for together, meet the limit even in a slow (sanitizer) build */
  g_setenv ("TALLY_DEMO_RATE_LIMIT", "2/1000/1", TRUE);
  run_tally (f, NULL, &waited, "logs", "--demo", "--csv", "--from", "2026-11-17", "--to", "2026-11-30");
  run_tally (f, NULL, &quiet, "logs", "--demo", "--csv", "--quiet", "--from", "2026-11-17", "--to", "2026-11-30");
  g_setenv ("TALLY_DEMO_RATE_LIMIT", "off", TRUE);
  g_unsetenv ("TALLY_DEMO_NOW");

  g_assert_cmpint (waited.status, ==, 0);
  first = strstr (waited.err, line);
  g_assert_nonnull (first);
  g_assert_true (g_str_has_prefix (first + strlen (line), "1 s\n"));
  waited_ids = csv_first_column (waited.out);
  g_assert_cmpstr (waited_ids, ==, plain_ids);
  g_assert_cmpstr (waited.out, ==, plain.out);

  assert_ok (&quiet);
  g_assert_null (strstr (quiet.err, "rate limit"));
  g_assert_cmpstr (quiet.out, ==, plain.out);

  run_clear (&plain);
  run_clear (&waited);
  run_clear (&quiet);
}

static void
test_demo (Fixture *f,
           gconstpointer data)
{
  Run run = {
    0,
  };
  g_autoptr (JsonNode) keys = NULL;
  g_autoptr (JsonNode) models = NULL;
  g_autoptr (GPtrArray) rows = NULL;

  run_tally (f, NULL, &run, "summary", "--demo");
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "Billed cost"));
  g_assert_nonnull (strstr (run.out, "demo@example.com"));
  run_clear (&run);

  run_tally (f, NULL, &run, "keys", "--demo", "--json");
  assert_ok (&run);
  keys = parse_json (run.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (keys)), >=, 6);
  run_clear (&run);

  run_tally (f, NULL, &run, "trend", "--demo", "--csv");
  assert_ok (&run);
  rows = parse_csv (run.out);
  g_assert_cmpuint (rows->len, ==, 8); /* the header and the last 7 days */
  g_clear_pointer (&rows, g_ptr_array_unref);
  run_clear (&run);

  run_tally (f, NULL, &run, "models", "--demo", "--json");
  assert_ok (&run);
  models = parse_json (run.out);
  g_assert_true (json_object_has_member (json_node_get_object (models), "models"));
  run_clear (&run);

  run_tally (f, NULL, &run, "logs", "--demo", "--key", "1");
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "default (1)"));
  run_clear (&run);

  /* the demo server was in the child: nothing reached ours */
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, NULL), ==, 0);
}

static void
test_help (Fixture *f,
           gconstpointer data)
{
  Run run = {
    0,
  };

  run_tally (f, NULL, &run, "help");
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "summary"));
  g_assert_nonnull (strstr (run.out, "logout"));
  run_clear (&run);

  run_tally (f, NULL, &run, "help", "logs");
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "--billing"));
  g_assert_nonnull (strstr (run.out, "--output"));
  run_clear (&run);

  run_tally (f, NULL, &run, "trend", "--help");
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "--granularity"));
  g_assert_null (strstr (run.out, "--billing"));
  run_clear (&run);

  run_tally (f, NULL, &run, "help", "nope");
  assert_failure (&run, 1, "nope");
  run_clear (&run);
}

static void
test_login (Fixture *f,
            gconstpointer data)
{
  RunOptions password = { NULL, "tally-demo\n", 0, 0 };
  RunOptions wrong = { NULL, "wrong\n", 0, 0 };
  RunOptions no_token = { NULL, NULL, 0, 0 };
  RunOptions two_factor = { NULL, "tally-demo\n123456\n", 0, 0 };
  const char *url = tally_demo_server_get_url (f->demo.server);
  g_autofree char *logged_in = g_strdup_printf ("Logged in to %s as demo@example.com\n", url);
  Run run = {
    0,
  };

  run_tally (f, &wrong, &run, "login", "--server", url, "--email", "demo@example.com");
  assert_failure (&run, 2, NULL);
  run_clear (&run);

  run_tally (f, &password, &run, "login", "--server", url, "--email", "demo@example.com");
  assert_ok (&run);
  g_assert_cmpstr (run.out, ==, logged_in);
  run_clear (&run);

  /* the token now comes from the keyring, for this server and by default */
  run_tally (f, &no_token, &run, "summary", "--server", url);
  assert_ok (&run);
  run_clear (&run);
  run_tally (f, &no_token, &run, "models");
  assert_ok (&run);
  run_clear (&run);

  run_tally (f, &no_token, &run, "logout");
  assert_ok (&run);
  run_clear (&run);
  run_tally (f, &no_token, &run, "summary", "--server", url);
  assert_failure (&run, 2, "not logged in");
  run_clear (&run);

  tally_demo_server_set_two_factor (f->demo.server, TRUE);
  run_tally (f, &two_factor, &run, "login", "--server", url, "--email", "demo@example.com");
  assert_ok (&run);
  g_assert_cmpstr (run.out, ==, logged_in);
  run_clear (&run);
  tally_demo_server_set_two_factor (f->demo.server, FALSE);

  tally_demo_server_set_turnstile (f->demo.server, TRUE);
  run_tally (f, &password, &run, "login", "--server", url, "--email", "demo@example.com");
  assert_failure (&run, 2, "browser");
  g_assert_nonnull (strstr (run.err, "TALLY_TOKEN"));
  run_clear (&run);
  tally_demo_server_set_turnstile (f->demo.server, FALSE);

  /* Tencent and Aliyun captchas: said before the password is asked for */
  tally_demo_server_set_captcha (f->demo.server, "tencent");
  run_tally (f, &password, &run, "login", "--server", url, "--email", "demo@example.com");
  assert_failure (&run, 2, "asks for a Tencent captcha to log in, which Tally cannot show");
  g_assert_nonnull (strstr (run.err, "TALLY_TOKEN"));
  g_assert_null (strstr (run.out, "Password"));
  run_clear (&run);
  tally_demo_server_set_captcha (f->demo.server, "aliyun");
  run_tally (f, &password, &run, "login", "--server", url, "--email", "demo@example.com");
  assert_failure (&run, 2, "asks for an Aliyun captcha to log in, which Tally cannot show");
  g_assert_nonnull (strstr (run.err, "TALLY_TOKEN"));
  run_clear (&run);
  /* a server whose settings do not say so: the login's 400 gives the same sentence */
  tally_demo_server_set_generation (f->demo.server, TALLY_DEMO_GENERATION_2025);
  run_tally (f, &password, &run, "login", "--server", url, "--email", "demo@example.com");
  assert_failure (&run, 2, "asks for an Aliyun captcha to log in, which Tally cannot show");
  run_clear (&run);
  tally_demo_server_set_captcha (f->demo.server, "tencent");
  run_tally (f, &password, &run, "login", "--server", url, "--email", "demo@example.com");
  assert_failure (&run, 2, "asks for a Tencent captcha to log in, which Tally cannot show");
  run_clear (&run);
  tally_demo_server_set_generation (f->demo.server, TALLY_DEMO_GENERATION_CURRENT);
  tally_demo_server_set_captcha (f->demo.server, NULL);

  run_tally (f, &password, &run, "login", "--email", "demo@example.com");
  assert_failure (&run, 1, "--server");
  run_clear (&run);
}

static void
login_run (Fixture *f)
{
  RunOptions password = { NULL, "tally-demo\n", 0, 0 };
  const char *url = tally_demo_server_get_url (f->demo.server);
  Run run = {
    0,
  };

  run_tally (f, &password, &run, "login", "--server", url, "--email", "demo@example.com");
  assert_ok (&run);
  run_clear (&run);
}

/* A cron job: the stored access token expired between two runs. The run
 * renews it and stores the rotated pair, which the next run uses as is. */
static void
test_refresh_between_runs (Fixture *f,
                           gconstpointer data)
{
  RunOptions no_token = { NULL, NULL, 0, 0 };
  const char *url = tally_demo_server_get_url (f->demo.server);
  Run run = {
    0,
  };

  /* issued already expired: as if the night had passed */
  tally_demo_server_set_access_lifetime (f->demo.server, 0);
  login_run (f);
  tally_demo_server_set_access_lifetime (f->demo.server, 3600);

  tally_demo_server_reset_request_counts (f->demo.server);
  run_tally (f, &no_token, &run, "summary", "--server", url);
  assert_ok (&run);
  run_clear (&run);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/auth/refresh"), ==, 1);

  /* the rotated pair was stored: no refresh now, and the old refresh token
   * (spent) is not needed */
  run_tally (f, &no_token, &run, "keys", "--server", url);
  assert_ok (&run);
  run_clear (&run);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/auth/refresh"), ==, 1);

  /* the server expires it early: TOKEN_EXPIRED, one refresh, stored again */
  tally_demo_server_expire_access_tokens (f->demo.server);
  run_tally (f, &no_token, &run, "models");
  assert_ok (&run);
  run_clear (&run);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/auth/refresh"), ==, 2);
  run_tally (f, &no_token, &run, "models");
  assert_ok (&run);
  run_clear (&run);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/auth/refresh"), ==, 2);

  /* a December 2025 server: no refresh token, the expired login is refused as before */
  tally_demo_server_set_generation (f->demo.server, TALLY_DEMO_GENERATION_2025);
  login_run (f);
  tally_demo_server_expire_access_tokens (f->demo.server);
  run_tally (f, &no_token, &run, "summary", "--server", url);
  assert_failure (&run, 2, "tally login --server");
  run_clear (&run);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/auth/refresh"), ==, 2);
}

/* Each way a login ends: exit 2 and its own sentence. */
static void
test_session_end_errors (Fixture *f,
                         gconstpointer data)
{
  static const struct
  {
    const char *hook;
    const char *sentence;
  } cases[] = {
    { "revoked", "Your password was changed or the session was revoked — log in again (with `tally login --server" },
    { "network", "The server noticed a change of network or app and ended the session for safety — log in again (with `tally login --server" },
    { "disabled", "tally: This account is disabled — contact the site’s administrator\n" },
    { "admin-only", "tally: This site only lets administrators log in\n" },
    { "refresh-expired", "Your login has expired — log in again (with `tally login --server" },
  };
  RunOptions no_token = { NULL, NULL, 0, 0 };
  const char *url = tally_demo_server_get_url (f->demo.server);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run run = {
        0,
      };

      g_test_message ("%s", cases[i].hook);
      tally_demo_server_set_refresh_lifetime (f->demo.server, g_str_equal (cases[i].hook, "refresh-expired") ? 0 : 3600);
      tally_demo_server_set_user_active (f->demo.server, TRUE);
      tally_demo_server_set_admin_only (f->demo.server, FALSE);
      login_run (f);

      if (g_str_equal (cases[i].hook, "revoked"))
        tally_demo_server_revoke_sessions (f->demo.server);
      else if (g_str_equal (cases[i].hook, "network"))
        tally_demo_server_change_network (f->demo.server);
      else if (g_str_equal (cases[i].hook, "disabled"))
        tally_demo_server_set_user_active (f->demo.server, FALSE);
      else if (g_str_equal (cases[i].hook, "admin-only"))
        {
          tally_demo_server_set_admin_only (f->demo.server, TRUE);
          tally_demo_server_expire_access_tokens (f->demo.server);
        }
      else
        tally_demo_server_expire_access_tokens (f->demo.server);

      run_tally (f, &no_token, &run, "summary", "--server", url);
      assert_failure (&run, 2, cases[i].sentence);
      g_assert_cmpstr (run.out, ==, "");
      run_clear (&run);
    }

  tally_demo_server_set_user_active (f->demo.server, TRUE);
  tally_demo_server_set_admin_only (f->demo.server, FALSE);
}

/* `tally logout` ends the session on the server, and forgets the login even
 * when the server cannot be reached. */
static void
test_logout_revokes (Fixture *f,
                     gconstpointer data)
{
  RunOptions no_token = { NULL, NULL, 0, 0 };
  g_autofree char *url = g_strdup (tally_demo_server_get_url (f->demo.server));
  g_autofree char *logged_out = g_strdup_printf ("Logged out of %s\n", url);
  Run run = {
    0,
  };

  login_run (f);
  tally_demo_server_reset_request_counts (f->demo.server);
  run_tally (f, &no_token, &run, "logout");
  assert_ok (&run);
  g_assert_cmpstr (run.out, ==, logged_out);
  run_clear (&run);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/auth/logout"), ==, 1);
  run_tally (f, &no_token, &run, "summary", "--server", url);
  assert_failure (&run, 2, "not logged in");
  run_clear (&run);

  /* the server is gone: the keyring is cleared all the same */
  login_run (f);
  tally_demo_server_stop (f->demo.server);
  run_tally (f, &no_token, &run, "logout", "--server", url);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, logged_out);
  g_assert_nonnull (strstr (run.err, "the login was removed from this computer"));
  run_clear (&run);
  run_tally (f, &no_token, &run, "summary", "--server", url);
  assert_failure (&run, 2, "not logged in");
  run_clear (&run);
}

/* Key names cannot smuggle terminal escapes into a table. */
static void
test_sanitised (Fixture *f,
                gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  Run run = {
    0,
  };

  run_tally (f, &options, &run, "logs", "--from", "2026-01-15", "--to", "2026-01-15",
             "--server", tally_demo_server_get_url (f->demo.server));
  assert_ok (&run);
  for (const char *p = run.out; *p != '\0'; p++)
    g_assert_true ((guchar) *p >= 0x20 || *p == '\n');
  g_assert_nonnull (strstr (run.out, " requests, "));
  run_clear (&run);
}

/* `tally trend --granularity hour` on New York's spring-forward day: 23 hours */
static void
test_trend_dst_day (Fixture *f,
                    gconstpointer data)
{
  Run run = {
    0,
  };

  tally_test_demo_restart (&f->demo, "now", G_GINT64_CONSTANT (1773072000), "days", 3, "timezone", "America/New_York",
                           NULL);
  {
    RunOptions options = { f->demo.token, NULL, 0, 0 };

    run_tally (f, &options, &run, "trend", "--granularity", "hour", "--from", "2026-03-08", "--to", "2026-03-08",
               "--server", tally_demo_server_get_url (f->demo.server));
    assert_ok (&run);
    g_assert_nonnull (strstr (run.out, "2026-03-08 01:00"));
    g_assert_nonnull (strstr (run.out, "2026-03-08 03:00"));
    g_assert_nonnull (strstr (run.out, "2026-03-08 23:00"));
    g_assert_null (strstr (run.out, "2026-03-08 02:00"));
    run_clear (&run);
  }
}

/* ------------------------------------------------------------ subscriptions */

static void
assert_same_time (JsonObject *printed,
                  JsonObject *server,
                  const char *member)
{
  g_autoptr (GDateTime) a = g_date_time_new_from_iso8601 (json_object_get_string_member (printed, member), NULL);
  g_autoptr (GDateTime) e = g_date_time_new_from_iso8601 (json_object_get_string_member (server, member), NULL);

  g_assert_nonnull (a);
  g_assert_nonnull (e);
  g_assert_true (g_date_time_equal (a, e));
  g_assert_cmpint (g_date_time_get_utc_offset (a), ==, g_date_time_get_utc_offset (e));
}

static void
test_subscriptions_json (Fixture *f,
                         gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  Run run = {
    0,
  };
  g_autoptr (JsonNode) raw = tally_test_demo_fetch_raw (&f->demo, "GET", "/subscriptions/progress", NULL);
  g_autoptr (JsonNode) out = NULL;
  JsonArray *items = json_node_get_array (raw);
  JsonArray *printed;
  const char *windows[] = { "daily", "weekly", "monthly" };
  const char *numbers[] = { "limit_usd", "used_usd", "remaining_usd", "percentage" };

  run_tally (f, &options, &run, "subscriptions", "--json", "--server", tally_demo_server_get_url (f->demo.server));
  assert_ok (&run);
  out = parse_json (run.out);
  printed = json_node_get_array (out);
  g_assert_cmpuint (json_array_get_length (printed), ==, json_array_get_length (items));
  g_assert_cmpuint (json_array_get_length (printed), ==, 2);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *e = json_object_get_object_member (json_array_get_object_element (items, i), "progress");
      JsonObject *a = json_array_get_object_element (printed, i);

      g_assert_cmpint (json_object_get_int_member (a, "id"), ==, json_object_get_int_member (e, "id"));
      g_assert_cmpstr (json_object_get_string_member (a, "group_name"), ==, json_object_get_string_member (e, "group_name"));
      g_assert_cmpint (json_object_get_int_member (a, "expires_in_days"), ==, json_object_get_int_member (e, "expires_in_days"));
      assert_same_time (a, e, "expires_at");
      for (guint w = 0; w < G_N_ELEMENTS (windows); w++)
        {
          JsonObject *ew, *aw;

          /* absent stays absent */
          g_assert_cmpint (json_object_has_member (a, windows[w]), ==, json_object_has_member (e, windows[w]));
          if (!json_object_has_member (e, windows[w]))
            continue;
          ew = json_object_get_object_member (e, windows[w]);
          aw = json_object_get_object_member (a, windows[w]);
          for (guint n = 0; n < G_N_ELEMENTS (numbers); n++)
            g_assert_cmpfloat (json_object_get_double_member (aw, numbers[n]), ==, json_object_get_double_member (ew, numbers[n]));
          g_assert_cmpint (json_object_get_int_member (aw, "resets_in_seconds"), ==, json_object_get_int_member (ew, "resets_in_seconds"));
          assert_same_time (aw, ew, "window_start");
          assert_same_time (aw, ew, "resets_at");
        }
      g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (a, "subscription"), "group_id"), ==,
                       json_object_get_int_member (json_object_get_object_member (json_array_get_object_element (items, i), "subscription"), "group_id"));
    }
  g_assert_false (json_object_has_member (json_array_get_object_element (printed, 1), "daily"));

  run_clear (&run);
}

static void
test_subscriptions_table (Fixture *f,
                          gconstpointer data)
{
  RunOptions options = { f->demo.token, NULL, 0, 0 };
  Run run = {
    0,
  };
  g_auto (GStrv) lines = NULL;

  run_tally (f, &options, &run, "subscriptions", "--server", tally_demo_server_get_url (f->demo.server));
  assert_ok (&run);
  lines = g_strsplit (run.out, "\n", -1);

  /* a header, three windows of Claude Max, one of GPT Plus */
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_cmpstr (lines[5], ==, "");
  g_assert_true (g_str_has_prefix (lines[0], "Group"));
  g_assert_nonnull (strstr (lines[1], "Claude Max 订阅"));
  g_assert_nonnull (strstr (lines[1], "Daily"));
  g_assert_nonnull (strstr (lines[1], "$50.0000     $50.0000    $0.0000  100.0%  used up"));
  g_assert_nonnull (strstr (lines[1], "2026-01-15 00:00:00 +08:00  2026-01-16 00:00:00 +08:00 (resets in 12 h)"));
  g_assert_nonnull (strstr (lines[1], "expires in 5 days (2026-01-21 00:00:00 +08:00)"));
  g_assert_nonnull (strstr (lines[2], "Weekly"));
  g_assert_nonnull (strstr (lines[2], "$255.0000    $300.0000   $45.0000   85.0%  nearly used up"));
  g_assert_nonnull (strstr (lines[2], "(resets in 4 days 12 h)"));
  g_assert_nonnull (strstr (lines[3], "Monthly"));
  g_assert_nonnull (strstr (lines[3], "$400.0000  $1,000.0000  $600.0000   40.0%"));
  g_assert_null (strstr (lines[3], "used up"));
  g_assert_nonnull (strstr (lines[4], "GPT Plus 订阅"));
  g_assert_nonnull (strstr (lines[4], "Monthly"));
  g_assert_nonnull (strstr (lines[4], "$20.0000    $100.0000   $80.0000   20.0%"));
  g_assert_nonnull (strstr (lines[4], "expires in 40 days (2026-02-25 00:00:00 +08:00)"));
  g_assert_null (strstr (run.out, "\033"));
  run_clear (&run);

  run_tally (f, NULL, &run, "help");
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "\n  subscriptions  Subscription windows"));
  run_clear (&run);
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/summary/table", Fixture, NULL, fixture_setup, test_summary_table, fixture_teardown);
  g_test_add ("/cli/logs/rate-limit-wait", Fixture, NULL, fixture_setup, test_rate_limit_wait, fixture_teardown);
  g_test_add ("/cli/summary/json", Fixture, NULL, fixture_setup, test_summary_json, fixture_teardown);
  g_test_add ("/cli/trend/dst-day", Fixture, NULL, fixture_setup, test_trend_dst_day, fixture_teardown);
  g_test_add ("/cli/summary/new-york", Fixture, NULL, fixture_setup, test_summary_new_york, fixture_teardown);
  g_test_add ("/cli/keys/json", Fixture, NULL, fixture_setup, test_keys_json, fixture_teardown);
  g_test_add ("/cli/keys/table", Fixture, NULL, fixture_setup, test_keys_table, fixture_teardown);
  g_test_add ("/cli/trend/csv", Fixture, NULL, fixture_setup, test_trend_csv, fixture_teardown);
  g_test_add ("/cli/models/json", Fixture, NULL, fixture_setup, test_models_json, fixture_teardown);
  g_test_add ("/cli/logs/csv", Fixture, NULL, fixture_setup, test_logs_csv, fixture_teardown);
  g_test_add ("/cli/logs/csv-live", Fixture, NULL, fixture_setup, test_logs_csv_live, fixture_teardown);
  g_test_add ("/cli/report/pdf", Fixture, NULL, fixture_setup, test_report_pdf, fixture_teardown);
  g_test_add ("/cli/logs/json", Fixture, NULL, fixture_setup, test_logs_json, fixture_teardown);
  g_test_add ("/cli/stats", Fixture, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT), fixture_setup, test_stats, fixture_teardown);
  g_test_add ("/cli/stats-2025", Fixture, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_2025), fixture_setup, test_stats, fixture_teardown);
  g_test_add ("/cli/logs/output", Fixture, NULL, fixture_setup, test_logs_output, fixture_teardown);
  g_test_add ("/cli/logs/sanitised", Fixture, NULL, fixture_setup, test_sanitised, fixture_teardown);
  g_test_add ("/cli/exit/usage", Fixture, NULL, fixture_setup, test_usage_errors, fixture_teardown);
  g_test_add ("/cli/exit/auth", Fixture, NULL, fixture_setup, test_auth_errors, fixture_teardown);
  g_test_add ("/cli/exit/server", Fixture, NULL, fixture_setup, test_server_errors, fixture_teardown);
  g_test_add ("/cli/exit/io", Fixture, NULL, fixture_setup, test_io_errors, fixture_teardown);
  g_test_add ("/cli/exit/output-survives", Fixture, NULL, fixture_setup, test_output_survives_failure, fixture_teardown);
  g_test_add ("/cli/login", Fixture, NULL, fixture_setup, test_login, fixture_teardown);
  g_test_add ("/cli/refresh-between-runs", Fixture, NULL, fixture_setup, test_refresh_between_runs, fixture_teardown);
  g_test_add ("/cli/exit/session-ends", Fixture, NULL, fixture_setup, test_session_end_errors, fixture_teardown);
  g_test_add ("/cli/logout-revokes", Fixture, NULL, fixture_setup, test_logout_revokes, fixture_teardown);
  g_test_add ("/cli/help", Fixture, NULL, fixture_setup, test_help, fixture_teardown);
  g_test_add ("/cli/demo", Fixture, NULL, fixture_setup, test_demo, fixture_teardown);
  TALLY_TEST_ADD_GENERATIONS ("/cli/subscriptions", "json", Fixture, fixture_setup, test_subscriptions_json, fixture_teardown);
  TALLY_TEST_ADD_GENERATIONS ("/cli/subscriptions", "table", Fixture, fixture_setup, test_subscriptions_table, fixture_teardown);

  return g_test_run ();
}

/* test-cli-budget.c: `tally budget` against the demo server, both generations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real `tally` binary (TALLY_EXE) with TALLY_TOKEN and --server against a
 * pinned demo in this process (2026-01-15T12:00:00+08:00), or with --demo and
 * the same pinned clock. Its budgets.ini lives in a temporary
 * XDG_CONFIG_HOME. Month-to-date and forecast are checked against the
 * server's own JSON: the raw trend's actual_cost added up exactly.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "tally-format.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"

#define EXIT_USAGE 1
#define EXIT_OVER_BUDGET 5

typedef struct
{
  TallyTestDemo demo;
  TallyDemoGeneration generation;
  char *config;
} Fixture;

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  /* the data of `tally --demo` with TALLY_DEMO_NOW (default seed and rows) */
  f->generation = GPOINTER_TO_UINT (data);
  tally_test_demo_start (&f->demo, "now", TALLY_TEST_DEMO_NOW, "generation", f->generation, NULL);
  /* the demo's used-up daily window would make every run exit 5: the budget
   * tests start below it; test_limits puts it back */
  g_assert_true (tally_demo_server_set_subscription_usage (f->demo.server, 1, 0, 30.0));
  f->config = g_dir_make_tmp ("tally-budget-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  tally_test_demo_stop (&f->demo);
  tally_test_remove_tree (f->config);
  g_free (f->config);
}

/* Runs `tally budget ARGS…` (--server and TALLY_TOKEN, or --demo when the
 * first argument is "--demo"); returns the exit status. */
static int G_GNUC_NULL_TERMINATED
run_budget (Fixture *f,
            char **out,
            char **err,
            ...)
{
  const char *exe = g_getenv ("TALLY_EXE");
  g_autoptr (GSubprocessLauncher) launcher = tally_test_cli_launcher (f->demo.token);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  gboolean demo = FALSE;
  const char *arg;
  va_list args;

  g_assert_nonnull (exe);
  g_ptr_array_add (argv, (gpointer) exe);
  g_ptr_array_add (argv, (gpointer) "budget");
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    {
      if (g_str_equal (arg, "--demo"))
        demo = TRUE;
      g_ptr_array_add (argv, (gpointer) arg);
    }
  va_end (args);
  if (!demo)
    {
      g_ptr_array_add (argv, (gpointer) "--server");
      g_ptr_array_add (argv, (gpointer) tally_demo_server_get_url (f->demo.server));
    }
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", f->config, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "TALLY_SERVER");
  if (demo)
    {
      g_subprocess_launcher_unsetenv (launcher, "TALLY_TOKEN");
      g_subprocess_launcher_setenv (launcher, "TALLY_DEMO_NOW", "1768449600", TRUE);
      if (f->generation == TALLY_DEMO_GENERATION_2025)
        g_subprocess_launcher_setenv (launcher, "TALLY_DEMO_GENERATION", "2025", TRUE);
      else
        g_subprocess_launcher_unsetenv (launcher, "TALLY_DEMO_GENERATION");
    }

  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  tally_test_communicate (process, &stdout_text, &stderr_text);

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return g_subprocess_get_exit_status (process);
}

/* The text of the first "@name": value in @json, as printed. */
static char *
json_value_text (const char *json,
                 const char *name)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\":", name);
  const char *start = strstr (json, needle);
  gsize len;

  g_assert_nonnull (start);
  start += strlen (needle);
  len = strcspn (start, ",}");
  return g_strndup (start, len);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *json)
{
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* The server's daily trend of [start, end], each day's actual_cost in the
 * server's unit, by date. */
static GHashTable *
raw_daily_units (Fixture *f,
                 const char *start,
                 const char *end)
{
  g_autofree char *path = g_strdup_printf ("/usage/dashboard/trend?start_date=%s&end_date=%s&granularity=day",
                                           start, end);
  g_autoptr (JsonNode) data = tally_test_demo_fetch_raw (&f->demo, "GET", path, NULL);
  JsonArray *trend = json_object_get_array_member (json_node_get_object (data), "trend");
  GHashTable *days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; trend != NULL && i < json_array_get_length (trend); i++)
    {
      JsonObject *point = json_array_get_object_element (trend, i);
      gint64 *units = g_new (gint64, 1);

      *units = llround (json_object_get_double_member (point, "actual_cost") * 1e10);
      g_assert_false (g_hash_table_contains (days, json_object_get_string_member (point, "date")));
      g_hash_table_insert (days, g_strdup (json_object_get_string_member (point, "date")), units);
    }
  return days;
}

/* The sum of the days "2026-01-@first" … "2026-01-@last" (or of December
 * 2025 for negative days: -1 = the 31st). */
static gint64
sum_days (GHashTable *days,
          int first,
          int last)
{
  gint64 sum = 0;

  for (int day = first; day <= last; day++)
    {
      g_autofree char *date = day > 0 ? g_strdup_printf ("2026-01-%02d", day)
                                      : g_strdup_printf ("2025-12-%02d", 32 + day);
      gint64 *units = g_hash_table_lookup (days, date);

      sum += units != NULL ? *units : 0;
    }
  return sum;
}

/* Month-to-date, rate and forecast of the output equal the formula on the
 * raw trend of the pinned day 2026-01-15 (16 days left after it). */
static void
assert_figures (Fixture *f,
                const char *out,
                double elapsed)
{
  g_autoptr (GHashTable) days = raw_daily_units (f, "2026-01-01", "2026-01-15");
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root = parse_object (parser, out);
  gint64 month_units = sum_days (days, 1, 15);
  gint64 history_units = sum_days (days, 8, 14);
  double month_to_date = (double) month_units / 1e10;
  double rate = (double) history_units / 1e10 / 7;
  double forecast = month_to_date + rate * (16 + (1.0 - elapsed));
  g_autofree char *mtd_text = json_value_text (out, "month_to_date");
  g_autofree char *expected_mtd = tally_test_units_to_decimal (month_units);
  g_autofree char *forecast_text = json_value_text (out, "forecast");
  g_autofree char *expected_forecast = tally_format_number_exact (forecast);

  g_assert_cmpint (month_units, >, 0);
  g_assert_cmpint (history_units, >, 0);
  g_assert_cmpstr (json_object_get_string_member (root, "server_date"), ==, "2026-01-15");
  g_assert_cmpstr (json_object_get_string_member (root, "month_start"), ==, "2026-01-01");
  g_assert_cmpstr (json_object_get_string_member (root, "month_end"), ==, "2026-01-31");
  g_assert_cmpint (json_object_get_int_member (root, "days_left"), ==, 16);
  g_assert_cmpint (json_object_get_int_member (root, "history_days"), ==, 7);
  g_assert_true (json_object_get_boolean_member (root, "enough_history"));
  g_assert_cmpfloat (json_object_get_double_member (root, "today_elapsed"), ==, elapsed);
  g_assert_cmpstr (json_object_get_string_member (root, "method"), ==,
                   "Month to date plus the mean of the last 7 full days times the days left");
  /* byte for byte: the decimal sum of the server's numbers */
  g_assert_cmpstr (mtd_text, ==, expected_mtd);
  g_assert_cmpfloat (json_object_get_double_member (root, "daily_rate"), ==, rate);
  g_assert_cmpstr (forecast_text, ==, expected_forecast);
}

static void
test_report (Fixture *f,
             gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;

  /* no budget: exit 0, budget null */
  g_assert_cmpint (run_budget (f, &out, &err, "--json", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  root = parse_object (parser, out);
  g_assert_cmpstr (json_object_get_string_member (root, "server"), ==, tally_demo_server_get_url (f->demo.server));
  g_assert_cmpstr (json_object_get_string_member (root, "email"), ==, tally_demo_server_get_email (f->demo.server));
  g_assert_true (json_object_get_null_member (root, "budget"));
  g_assert_false (json_object_get_boolean_member (root, "over_budget"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "keys")), ==, 0);
  /* the subscription windows and key quotas are in test_limits */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "limits")), ==, f->generation == TALLY_DEMO_GENERATION_2025 ? 4 : 5);
  /* our clock is past the pinned server day: today counts as over */
  assert_figures (f, out, 1.0);
}

/* `tally --demo` on the pinned clock: noon, half of today to come. */
static void
test_demo_clock (Fixture *f,
                 gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *server = NULL;

  /* the product demo shows a used-up daily window: exit 5 */
  g_assert_cmpint (run_budget (f, &out, &err, "--demo", "--json", NULL), ==, EXIT_OVER_BUDGET);
  g_assert_cmpstr (err, ==, "");
  server = json_value_text (out, "server");
  g_assert_cmpstr (server, ==, "\"demo\"");
  assert_figures (f, out, 0.5);
}

/* A used-up subscription window or key quota is exit status 5 too, and the
 * report lists every window and key quota with the server's figures. */
static void
test_limits (Fixture *f,
             gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonNode) progress = NULL;
  JsonArray *limits;
  JsonArray *subs;
  guint n_windows = 0;

  g_assert_cmpint (run_budget (f, &out, NULL, "--json", NULL), ==, 0);
  g_clear_pointer (&out, g_free);

  /* the daily window of "Claude Max" at its limit */
  g_assert_true (tally_demo_server_set_subscription_usage (f->demo.server, 1, 0, 50.0));
  g_assert_cmpint (run_budget (f, &out, NULL, "--json", NULL), ==, EXIT_OVER_BUDGET);
  limits = json_object_get_array_member (parse_object (parser, out), "limits");

  progress = tally_test_demo_fetch_raw (&f->demo, "GET", "/subscriptions/progress", NULL);
  subs = json_node_get_array (progress);
  for (guint i = 0; i < json_array_get_length (subs); i++)
    {
      JsonObject *p = json_object_get_object_member (json_array_get_object_element (subs, i), "progress");
      const char *periods[] = { "daily", "weekly", "monthly" };

      for (guint w = 0; w < G_N_ELEMENTS (periods); w++)
        {
          JsonObject *window = json_object_has_member (p, periods[w]) ? json_object_get_object_member (p, periods[w]) : NULL;
          JsonObject *limit;

          if (window == NULL)
            continue;
          limit = json_array_get_object_element (limits, n_windows++);
          g_assert_true (g_str_has_prefix (json_object_get_string_member (limit, "name"), json_object_get_string_member (p, "group_name")));
          g_assert_cmpfloat (json_object_get_double_member (limit, "used_usd"), ==, json_object_get_double_member (window, "used_usd"));
          g_assert_cmpfloat (json_object_get_double_member (limit, "limit_usd"), ==, json_object_get_double_member (window, "limit_usd"));
          g_assert_true (json_object_get_boolean_member (limit, "used_up") == (json_object_get_double_member (window, "remaining_usd") <= 0));
        }
    }
  g_assert_cmpuint (n_windows, ==, 4);
  /* today's servers add the key with a quota; a 2025 server has none */
  g_assert_cmpuint (json_array_get_length (limits), ==, f->generation == TALLY_DEMO_GENERATION_2025 ? 4 : 5);
}

/* The budget against month-to-date and forecast: exit 5 when either is over. */

static void
test_exit_codes (Fixture *f,
                 gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;
  double month_to_date, forecast;
  g_autofree char *below = NULL;
  g_autofree char *between = NULL;
  g_autofree char *above = NULL;
  g_autofree char *path = g_build_filename (f->config, "tally", "budgets.ini", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *stored = NULL;

  g_assert_cmpint (run_budget (f, &out, NULL, "--json", NULL), ==, 0);
  root = parse_object (parser, out);
  month_to_date = json_object_get_double_member (root, "month_to_date");
  forecast = json_object_get_double_member (root, "forecast");
  g_assert_cmpfloat (forecast, >, month_to_date + 1);
  below = g_strdup_printf ("%.2f", floor (month_to_date) - 1);
  between = g_strdup_printf ("%.2f", floor (month_to_date) + 1);
  above = g_strdup_printf ("%.2f", ceil (forecast) + 1);

  struct
  {
    const char *amount;
    int status;
    const char *state;
  } cases[] = {
    { below, EXIT_OVER_BUDGET, "over budget" },
    { between, EXIT_OVER_BUDGET, "on pace to go over" },
    { above, 0, "within budget" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *set_out = NULL;
      g_autofree char *table = NULL;
      g_autofree char *json = NULL;
      g_autofree char *state_line = g_strdup_printf ("Status         %s\n", cases[i].state);
      g_autofree char *budget = NULL;
      g_autofree char *pace = NULL;
      g_autofree char *forecast_text = NULL;
      g_autofree char *budget_text = NULL;

      g_assert_cmpint (run_budget (f, &set_out, NULL, "--set", cases[i].amount, NULL), ==, 0);
      budget = g_strdup_printf ("Budget of %s: $%s a month\n", tally_demo_server_get_email (f->demo.server),
                                cases[i].amount);
      g_assert_cmpstr (set_out, ==, budget);

      g_assert_cmpint (run_budget (f, &json, NULL, "--json", NULL), ==, cases[i].status);
      budget_text = json_value_text (json, "budget");
      g_assert_cmpfloat (g_ascii_strtod (budget_text, NULL), ==, g_ascii_strtod (cases[i].amount, NULL));
      g_assert_nonnull (strstr (json, cases[i].status == 0 ? "\"over_budget\":false" : "\"over_budget\":true"));

      g_assert_cmpint (run_budget (f, &table, NULL, NULL), ==, cases[i].status);
      g_assert_nonnull (strstr (table, state_line));
      forecast_text = tally_format_cost (forecast);
      pace = g_strdup_printf ("Forecast       On pace for %s of $%s\n", forecast_text, cases[i].amount);
      g_assert_nonnull (strstr (table, pace));
    }

  /* the budget as the shortest decimal: "221.00" is kept as "221" */
  g_assert_true (g_str_has_suffix (above, ".00"));
  stored = g_strndup (above, strlen (above) - 3);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  expected = g_strdup_printf ("[account %s %s]\nmonthly=%s\n", tally_demo_server_get_url (f->demo.server),
                              tally_demo_server_get_email (f->demo.server), stored);
  g_assert_cmpstr (contents, ==, expected);

  /* cleared: no budget, exit 0 */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_budget (f, &out, NULL, "--clear", NULL), ==, 0);
  g_assert_cmpint (run_budget (f, &out, NULL, "--set", below, NULL), ==, 0);
  g_assert_cmpint (run_budget (f, NULL, NULL, NULL), ==, EXIT_OVER_BUDGET);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_budget (f, &out, NULL, "--clear", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "No budget for demo@example.com\n");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_budget (f, &out, NULL, "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"budget\":null"));
}

/* A key's budget: its month so far is /usage/stats of the key, and it alone
 * makes the exit status 5. */
static void
test_key_budget (Fixture *f,
                 gconstpointer data)
{
  g_autoptr (JsonNode) keys = tally_test_demo_fetch_raw (&f->demo, "GET", "/keys?page=1&page_size=100", NULL);
  JsonArray *items = json_object_get_array_member (json_node_get_object (keys), "items");
  JsonObject *key = NULL;
  g_autofree char *history_path = NULL;
  g_autoptr (JsonNode) history = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *expected_mtd = NULL;
  g_autofree char *mtd_text = NULL;
  g_autofree char *forecast_text = NULL;
  g_autofree char *expected_forecast = NULL;
  JsonObject *root;
  JsonObject *line;
  double key_mtd = 0;
  double key_history;
  gint64 id;

  /* the busiest key, so its month is not empty */
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *candidate = json_array_get_object_element (items, i);
      g_autofree char *path = g_strdup_printf ("/usage/stats?api_key_id=%" G_GINT64_FORMAT
                                               "&start_date=2026-01-01&end_date=2026-01-15",
                                               json_object_get_int_member (candidate, "id"));
      g_autoptr (JsonNode) candidate_stats = tally_test_demo_fetch_raw (&f->demo, "GET", path, NULL);
      double cost = json_object_get_double_member (json_node_get_object (candidate_stats), "total_actual_cost");

      if (cost > 0 && (key == NULL || cost > key_mtd))
        {
          key = candidate;
          key_mtd = cost;
        }
    }
  g_assert_nonnull (key);
  id = json_object_get_int_member (key, "id");
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  history_path = g_strdup_printf ("/usage/stats?api_key_id=%" G_GINT64_FORMAT "&start_date=2026-01-08&end_date=2026-01-14",
                                  id);
  history = tally_test_demo_fetch_raw (&f->demo, "GET", history_path, NULL);
  key_history = json_object_get_double_member (json_node_get_object (history), "total_actual_cost");

  /* --key by id; a small budget: over, exit 5 even without an account budget */
  g_assert_cmpint (run_budget (f, &out, &err, "--set", "0.01", "--key", id_text, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_budget (f, &out, NULL, "--json", NULL), ==, EXIT_OVER_BUDGET);
  root = parse_object (parser, out);
  g_assert_true (json_object_get_null_member (root, "budget"));
  g_assert_false (json_object_get_boolean_member (root, "over_budget"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "keys")), ==, 1);
  line = json_array_get_object_element (json_object_get_array_member (root, "keys"), 0);
  g_assert_cmpint (json_object_get_int_member (line, "api_key_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (line, "name"), ==, json_object_get_string_member (key, "name"));
  g_assert_cmpfloat (json_object_get_double_member (line, "budget"), ==, 0.01);
  g_assert_true (json_object_get_boolean_member (line, "over_budget"));
  /* the key's figures, as printed, are the server's sums */
  mtd_text = json_value_text (strstr (out, "\"keys\":"), "month_to_date");
  expected_mtd = tally_format_number_exact (key_mtd);
  g_assert_cmpstr (mtd_text, ==, expected_mtd);
  forecast_text = json_value_text (strstr (out, "\"keys\":"), "forecast");
  expected_forecast = tally_format_number_exact (key_mtd + key_history / 7 * (16 + (1.0 - 1.0)));
  g_assert_cmpstr (forecast_text, ==, expected_forecast);

  /* a large one: exit 0 */
  g_assert_cmpint (run_budget (f, NULL, NULL, "--set", "1000000", "--key", id_text, NULL), ==, 0);
  g_assert_cmpint (run_budget (f, NULL, NULL, NULL), ==, 0);

  /* cleared by id: no key lines left */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_budget (f, &out, NULL, "--clear", "--key", id_text, NULL), ==, 0);
  g_assert_cmpint (run_budget (f, &out, NULL, "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"keys\":[]"));
}

/* --key by name: the one key of that name; an unknown name is exit 1. */
static void
test_key_name (Fixture *f,
               gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonObject *line;
  int status;

  g_assert_true (tally_demo_server_set_key_name (f->demo.server, 3, "budget-key"));
  g_assert_cmpint (run_budget (f, &out, &err, "--set", "$25", "--key", "budget-key", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Budget of API key 3: $25.00 a month\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_budget (f, &out, &err, "--set", "25", "--key", "no-such-key", NULL), ==, EXIT_USAGE);
  g_assert_cmpstr (err, ==, "tally: no API key is named “no-such-key”; `tally keys` lists them\n");
  g_clear_pointer (&out, g_free);
  status = run_budget (f, &out, NULL, "--json", NULL);
  root = parse_object (parser, out);
  line = json_array_get_object_element (json_object_get_array_member (root, "keys"), 0);
  g_assert_cmpint (json_object_get_int_member (line, "api_key_id"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (line, "name"), ==, "budget-key");
  g_assert_cmpfloat (json_object_get_double_member (line, "budget"), ==, 25);
  g_assert_cmpint (status, ==, json_object_get_boolean_member (line, "over_budget") ? EXIT_OVER_BUDGET : 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_budget (f, &out, NULL, NULL), ==, status);
  g_assert_nonnull (strstr (out, "budget-key (3)"));
}

static void
test_arguments (Fixture *f,
                gconstpointer data)
{
  static const struct
  {
    const char *args[4];
    const char *message;
  } cases[] = {
    { { "--set", "abc" }, "tally: --set needs an amount in US dollars above 0 and up to 1,000,000,000, such as 300 or 12.50, not “abc”\n" },
    { { "--set", "0" }, "tally: --set needs an amount in US dollars above 0 and up to 1,000,000,000, such as 300 or 12.50, not “0”\n" },
    { { "--set", "-5" }, "tally: --set needs an amount in US dollars above 0 and up to 1,000,000,000, such as 300 or 12.50, not “-5”\n" },
    { { "--set", "5", "--clear" }, "tally: --set and --clear cannot be combined\n" },
    { { "--set", "5", "--json" }, "tally: --json goes with the report, not with --set or --clear\n" },
    { { "--key", "3" }, "tally: --key goes with --set or --clear; `tally budget` shows every key’s budget\n" },
    { { "--from", "2026-01-01" }, "tally: Unknown option --from\n" },
  };
  g_autofree char *path = g_build_filename (f->config, "tally", "budgets.ini", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (run_budget (f, &out, &err, cases[i].args[0], cases[i].args[1], cases[i].args[2], NULL), ==,
                       EXIT_USAGE);
      g_assert_cmpstr (out, ==, "");
      g_assert_cmpstr (err, ==, cases[i].message);
    }
  /* nothing was written, nothing was asked of the server */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/auth/me"), ==, 0);
}

static void
test_help (void)
{
  const char *exe = g_getenv ("TALLY_EXE");
  const char *overview[] = { exe, "--help", NULL };
  const char *command[] = { exe, "budget", "--help", NULL };
  g_autoptr (GSubprocessLauncher) launcher = tally_test_cli_launcher ("");
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_launcher_spawnv (launcher, overview, &error);
  g_assert_no_error (error);
  tally_test_communicate (process, &out, &err);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_nonnull (strstr (out, "  budget         The month's billed cost against a monthly budget, and the month-end forecast\n"));
  g_assert_nonnull (strstr (out, "4 local I/O error, 5 over budget or a limit used up (`tally budget`).\n"));
  g_clear_object (&process);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  process = g_subprocess_launcher_spawnv (launcher, command, &error);
  g_assert_no_error (error);
  tally_test_communicate (process, &out, &err);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_nonnull (strstr (out, "--set=AMOUNT"));
  g_assert_nonnull (strstr (out, "--clear"));
  g_assert_nonnull (strstr (out, "--key=ID|NAME"));
  g_assert_nonnull (strstr (out, "--json"));
  g_assert_null (strstr (out, "--model"));
}

int
main (int argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TALLY_TEST_ADD_GENERATIONS ("/cli-budget", "report", Fixture, fixture_setup, test_report, fixture_teardown);
  TALLY_TEST_ADD_GENERATIONS ("/cli-budget", "demo-clock", Fixture, fixture_setup, test_demo_clock, fixture_teardown);
  TALLY_TEST_ADD_GENERATIONS ("/cli-budget", "exit-codes", Fixture, fixture_setup, test_exit_codes, fixture_teardown);
  TALLY_TEST_ADD_GENERATIONS ("/cli-budget", "limits", Fixture, fixture_setup, test_limits, fixture_teardown);
  TALLY_TEST_ADD_GENERATIONS ("/cli-budget", "key-budget", Fixture, fixture_setup, test_key_budget, fixture_teardown);
  TALLY_TEST_ADD_GENERATIONS ("/cli-budget", "key-name", Fixture, fixture_setup, test_key_name, fixture_teardown);
  TALLY_TEST_ADD_GENERATIONS ("/cli-budget", "arguments", Fixture, fixture_setup, test_arguments, fixture_teardown);
  g_test_add_func ("/cli-budget/help", test_help);

  return g_test_run ();
}

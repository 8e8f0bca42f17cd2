/* tally-cli-args.c: what the command line decides before and after it
 * connects: `tally --help`, `--version` and stray words; `--key` by id or
 * name; the default range
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "tally-api-key.h"
#include "tally-error.h"
#include "tally-server-time.h"
#include "tally-trend.h"

#include "tally-cli-private.h"

/* The window's options that take a value (tally-application.c). */
static gboolean
window_option_takes_value (const char *arg)
{
  return g_str_equal (arg, "--server");
}

/* The index of the first argument that is neither an option of the window
 * nor the value of one: what the user meant as a command. -1 when there is
 * none. */
static int
find_stray_index (int argc,
                  char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--"))
        return i + 1 < argc ? i + 1 : -1;
      if (arg[0] != '-' || arg[1] == '\0')
        return i;
      if (window_option_takes_value (arg))
        i++;
    }

  return -1;
}

static const char *
find_stray_argument (int argc,
                     char **argv)
{
  int i = find_stray_index (argc, argv);

  return i >= 0 ? argv[i] : NULL;
}

int
tally_cli_find_late_command (int argc,
                             char **argv)
{
  int i;

  g_return_val_if_fail (argv != NULL, -1);

  if (argc < 2 || argv[1][0] != '-')
    return -1;
  i = find_stray_index (argc, argv);
  return i > 1 && tally_cli_is_command (argv[i]) && !g_str_equal (argv[i - 1], "--") ? i : -1;
}

gboolean
tally_cli_handles (int argc,
                   char **argv)
{
  g_return_val_if_fail (argv != NULL, FALSE);

  if (argc < 2)
    return FALSE;

  if (tally_cli_is_command (argv[1]))
    return TRUE;
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "--version"))
    return TRUE;

  /* `tally frobnicate`: one line and exit 1, never a display or "can not open files" */
  return find_stray_argument (argc, argv) != NULL;
}

int
tally_cli_run_program_option (Cli *cli,
                              int argc,
                              char **argv)
{
  const char *stray;

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      tally_cli_print_overview ();
      return TALLY_CLI_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      fputs ("tally " PACKAGE_VERSION "\n", stdout);
      fflush (stdout);
      return TALLY_CLI_EXIT_OK;
    }

  stray = find_stray_argument (argc, argv);
  return tally_cli_usage_error (_ ("unknown command “%s”; run `tally --help`"), stray != NULL ? stray : argv[1]);
}

/* ----------------------------------------------------------------- --key */

static gboolean
is_key_id (const char *text)
{
  if (text[0] == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

int
tally_cli_parse_key (Cli *cli)
{
  guint64 id;

  if (cli->key_text == NULL)
    return TALLY_CLI_EXIT_OK;

  if (cli->key_text[0] == '\0')
    return tally_cli_usage_error (_ ("--key needs a key id or name"));

  if (!is_key_id (cli->key_text))
    return TALLY_CLI_EXIT_OK; /* a name: tally_cli_resolve_key() once connected */

  if (!g_ascii_string_to_unsigned (cli->key_text, 10, 1, G_MAXINT64, &id, NULL))
    return tally_cli_usage_error (_ ("--key must be a positive key id or a key name"));

  tally_usage_query_set_api_key_id (cli->query, (gint64) id);
  return TALLY_CLI_EXIT_OK;
}

int
tally_cli_resolve_key (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GListModel) keys = NULL;
  g_autoptr (GArray) matches = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GString) ids = g_string_new (NULL);
  GAsyncResult *slot = NULL;
  guint n_keys;

  if (cli->key_text == NULL || is_key_id (cli->key_text))
    return TALLY_CLI_EXIT_OK;

  tally_client_list_all_keys_async (cli->client, NULL, tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  keys = tally_client_list_all_keys_finish (cli->client, result, &error);
  if (keys == NULL)
    return tally_cli_fail_with_error (cli, error);

  n_keys = g_list_model_get_n_items (keys);
  for (guint i = 0; i < n_keys; i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
      gint64 id = tally_api_key_get_id (key);

      if (g_strcmp0 (tally_api_key_get_name (key), cli->key_text) == 0)
        g_array_append_val (matches, id);
    }

  if (matches->len == 1)
    {
      tally_usage_query_set_api_key_id (cli->query, g_array_index (matches, gint64, 0));
      return TALLY_CLI_EXIT_OK;
    }

  if (matches->len == 0)
    return tally_cli_usage_error (_ ("no API key is named “%s”; `tally keys` lists them"), cli->key_text);

  /* the server lists the newest first; ids read better in ascending order */
  for (guint i = matches->len; i > 0; i--)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i < matches->len ? ", " : "",
                            g_array_index (matches, gint64, i - 1));
  /* Translators: %s is a key name, %u how many keys have it and the last %s their ids ("3, 8") */
  return tally_cli_usage_error (g_dngettext (GETTEXT_PACKAGE,
                                             "%u API key is named “%s” (id %s); pass --key ID",
                                             "%u API keys are named “%s” (ids %s); pass --key ID",
                                             matches->len),
                                matches->len, cli->key_text, ids->str);
}

/* ----------------------------------------------------------- the range */

/* The server's day: the end_date the trend answers with when asked for no
 * dates (API.md §7), checked to be a date. */
char *
tally_cli_learn_server_today (Cli *cli,
                              GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyTrend) trend = NULL;
  GAsyncResult *slot = NULL;
  const char *today;

  tally_client_get_trend_async (cli->client, NULL, NULL, TALLY_GRANULARITY_DAY, NULL,
                                tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  trend = tally_client_get_trend_finish (cli->client, result, error);
  if (trend == NULL)
    return NULL;

  today = tally_trend_get_end_date (trend);
  if (!tally_date_parse (today, NULL))
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE, _ ("The server sent an invalid date “%s”"), today);
      return NULL;
    }
  return g_strdup (today);
}

/* The window's "Last 7 Days": the 7 server days ending with --to, or with the
 * server's today. */
int
tally_cli_apply_default_range (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *end = NULL;
  g_autofree char *start = NULL;
  g_autofree char *last = NULL;

  if (cli->from != NULL)
    return TALLY_CLI_EXIT_OK;

  if (cli->to != NULL)
    end = g_strdup (cli->to);
  else if ((end = tally_cli_learn_server_today (cli, &error)) == NULL)
    return tally_cli_fail_with_error (cli, error);

  tally_date_preset_range (TALLY_DATE_PRESET_LAST_7_DAYS, end, &start, &last);

  cli->from = g_steal_pointer (&start);
  if (cli->to == NULL)
    cli->to = g_steal_pointer (&last);
  if (!tally_usage_query_set_range (cli->query, cli->from, cli->to, &error))
    return tally_cli_fail_with_error (cli, error);

  return TALLY_CLI_EXIT_OK;
}

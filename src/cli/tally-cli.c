/* tally-cli.c: the headless command line (DESIGN.md §4): the commands, their
 * options, errors and exit statuses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Links libtally-core only: never gtk, never a display. Every subcommand runs
 * the core's async API on the default main context and waits for it here
 * (tally_cli_wait_result). The commands live in tally-cli-auth.c,
 * tally-cli-usage.c and tally-cli-logs.c; what they write, in tally-cli-output.c.
 */

#define G_LOG_DOMAIN "tally-cli"

#include "config.h"

#include <signal.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "tally-csv.h"
#include "tally-error.h"
#include "tally-server-time.h"
#include "tally-usage-query.h"

#include "tally-cli-private.h"

static void
cli_clear (Cli *cli)
{
  if (cli->atomic != NULL)
    tally_atomic_file_abort (cli->atomic);
  g_clear_object (&cli->atomic);
  g_clear_object (&cli->out);
  g_clear_object (&cli->client);
  if (cli->demo_server != NULL)
    tally_demo_server_stop (cli->demo_server);
  g_clear_object (&cli->demo_server);
  g_clear_pointer (&cli->query, tally_usage_query_free);
  g_clear_pointer (&cli->server, g_free);
  g_clear_pointer (&cli->from, g_free);
  g_clear_pointer (&cli->to, g_free);
  g_clear_pointer (&cli->granularity_name, g_free);
  g_clear_pointer (&cli->key_text, g_free);
  g_clear_pointer (&cli->model, g_free);
  g_clear_pointer (&cli->stream_name, g_free);
  g_clear_pointer (&cli->billing_name, g_free);
  g_clear_pointer (&cli->output, g_free);
  g_clear_pointer (&cli->email, g_free);
  g_clear_pointer (&cli->budget_set, g_free);
  g_clear_pointer (&cli->account_email, g_free);
}

void G_GNUC_PRINTF (1, 2)
    tally_cli_print_error (const char *format,
                           ...)
{
  g_autofree char *message = NULL;
  g_autofree char *clean = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_strdelimit (message, "\r\n\t", ' ');
  clean = tally_cli_sanitize (message);
  g_strstrip (clean);

  fflush (stdout);
  fprintf (stderr, "tally: %s\n", clean);
  fflush (stderr);
}

int G_GNUC_PRINTF (1, 2)
    tally_cli_usage_error (const char *format,
                           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  tally_cli_print_error ("%s", message);
  return TALLY_CLI_EXIT_USAGE;
}

static int
exit_status_for_error (const GError *error)
{
  /* revoked, expired, disabled, admin-only: a matter of logging in */
  if (tally_error_ends_session (error))
    return TALLY_CLI_EXIT_AUTH;

  if (error->domain == TALLY_ERROR)
    {
      switch ((TallyError) error->code)
        {
          case TALLY_ERROR_UNAUTHORIZED:
          case TALLY_ERROR_INVALID_CREDENTIALS:
          case TALLY_ERROR_TURNSTILE_REQUIRED:
          case TALLY_ERROR_TWO_FACTOR_REQUIRED:
            return TALLY_CLI_EXIT_AUTH;

          case TALLY_ERROR_IO:
            return TALLY_CLI_EXIT_IO;

          case TALLY_ERROR_INVALID_ARGUMENT:
            return TALLY_CLI_EXIT_USAGE;

          case TALLY_ERROR_FORBIDDEN:
          case TALLY_ERROR_NOT_FOUND:
          case TALLY_ERROR_NOT_SUPPORTED:
          case TALLY_ERROR_BAD_REQUEST:
          case TALLY_ERROR_RATE_LIMITED:
          case TALLY_ERROR_SERVER:
          case TALLY_ERROR_BAD_RESPONSE:
          case TALLY_ERROR_NETWORK:
          case TALLY_ERROR_TIMEOUT:
          case TALLY_ERROR_TLS:
          default:
            return TALLY_CLI_EXIT_SERVER;
        }
    }

  /* Errors of other domains come from local streams and files. */
  if (error->domain == G_IO_ERROR || error->domain == G_FILE_ERROR)
    return TALLY_CLI_EXIT_IO;

  return TALLY_CLI_EXIT_SERVER;
}

int
tally_cli_fail_with_error (Cli *cli,
                           const GError *error)
{
  int status = exit_status_for_error (error);

  /* the reader of a pipe went away (`tally logs | head`): it has what it
   * wanted, so nothing to say and no failure */
  if (tally_cli_stdout_is_broken ())
    return TALLY_CLI_EXIT_OK;

  /* a new login helps, except for a disabled account */
  if (tally_error_has_session_sentence (error) && error->code == TALLY_ERROR_UNAUTHORIZED
      && g_strcmp0 (tally_error_get_reason (error), "USER_INACTIVE") != 0 && cli->client != NULL)
    {
      const char *url = tally_client_get_base_url (cli->client);

      /* Translators: the first %s is a sentence such as "Your login has expired — log in again" */
      tally_cli_print_error (_ ("%s (with `tally login --server %s --email …`)"), error->message, url);
    }
  else if (tally_error_has_session_sentence (error))
    tally_cli_print_error ("%s", error->message);
  else if (status == TALLY_CLI_EXIT_AUTH && error->domain == TALLY_ERROR
           && error->code == TALLY_ERROR_UNAUTHORIZED && cli->client != NULL)
    {
      const char *url = tally_client_get_base_url (cli->client);

      tally_cli_print_error (_ ("%s refused the access token (%s); log in again with `tally login --server %s --email …`"),
                             url, error->message, url);
    }
  else
    tally_cli_print_error ("%s", error->message);

  return status;
}

void
tally_cli_store_result_cb (GObject *object,
                           GAsyncResult *result,
                           gpointer user_data)
{
  GAsyncResult **slot = user_data;

  g_assert (*slot == NULL);
  *slot = g_object_ref (result);
}

/* Runs the default main context until the operation stored its result. */
GAsyncResult *
tally_cli_wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return g_steal_pointer (slot);
}

/* ------------------------------------------------------------ arguments */

static int run_help (Cli *cli);

static const CliCommand commands[] = {
  { "login", N_ ("Log in and keep the access token in the keyring"), OPT_SERVER | OPT_EMAIL, tally_cli_run_login },
  { "logout", N_ ("Forget the saved access token"), OPT_SERVER, tally_cli_run_logout },
  { "summary", N_ ("Balance, today's and all-time cost, requests and tokens"), OPT_SERVER | OPT_DEMO | OPT_JSON | OPT_OUTPUT, tally_cli_run_summary },
  { "keys", N_ ("API keys with today's and total billed cost"), OPT_SERVER | OPT_DEMO | OPT_CSV | OPT_JSON | OPT_OUTPUT, tally_cli_run_keys },
  { "trend", N_ ("Cost and usage per day or hour"), OPT_SERVER | OPT_DEMO | OPT_RANGE | OPT_GRANULARITY | OPT_CSV | OPT_JSON | OPT_OUTPUT, tally_cli_run_trend },
  { "models", N_ ("Cost and usage per model"), OPT_SERVER | OPT_DEMO | OPT_RANGE | OPT_CSV | OPT_JSON | OPT_OUTPUT, tally_cli_run_models },
  { "logs", N_ ("Every request of a filter"), OPT_SERVER | OPT_DEMO | OPT_RANGE | OPT_FILTERS | OPT_CSV | OPT_JSON | OPT_OUTPUT, tally_cli_run_logs },
  { "stats", N_ ("The totals of a filter: cost, requests and tokens"), OPT_SERVER | OPT_DEMO | OPT_RANGE | OPT_FILTERS | OPT_JSON | OPT_OUTPUT, tally_cli_run_stats },
  { "budget", N_ ("The month's billed cost against a monthly budget, and the month-end forecast"), OPT_SERVER | OPT_DEMO | OPT_KEY | OPT_BUDGET | OPT_JSON | OPT_OUTPUT, tally_cli_run_budget },
  { "subscriptions", N_ ("Subscription windows: used, limit, remaining and when each resets"), OPT_SERVER | OPT_DEMO | OPT_JSON | OPT_OUTPUT, tally_cli_run_subscriptions },
  { "report", N_ ("A one-page PDF summary of a range: totals, daily chart, models and keys"), OPT_SERVER | OPT_DEMO | OPT_RANGE | OPT_PDF | OPT_OUTPUT, tally_cli_run_report_pdf },
  { "help", N_ ("Show help for a command"), 0, run_help },
};

static const CliCommand *
find_command (const char *name)
{
  if (name == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];

  return NULL;
}

gboolean
tally_cli_is_command (const char *arg)
{
  return find_command (arg) != NULL;
}

static GOptionContext *
build_context (Cli *cli,
               const CliCommand *command)
{
  const GOptionEntry all_entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &cli->server,
      N_ ("The sub2api site (default: the saved account)"), N_ ("URL") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &cli->demo,
      N_ ("Use a built-in demo server with synthetic data"), NULL },
    { "from", 0, 0, G_OPTION_ARG_STRING, &cli->from,
      N_ ("First server day (default: 6 days before --to, the last 7 days)"), N_ ("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &cli->to,
      N_ ("Last server day (default: today)"), N_ ("YYYY-MM-DD") },
    { "granularity", 0, 0, G_OPTION_ARG_STRING, &cli->granularity_name,
      N_ ("One row per day or per hour"), N_ ("day|hour") },
    { "key", 0, 0, G_OPTION_ARG_STRING, &cli->key_text,
      N_ ("Only this API key, by id or by name"), N_ ("ID|NAME") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &cli->model,
      N_ ("Only this model (exact name)"), N_ ("MODEL") },
    { "stream", 0, 0, G_OPTION_ARG_STRING, &cli->stream_name,
      N_ ("Only streamed (true) or synchronous (false) requests"), N_ ("true|false") },
    { "billing", 0, 0, G_OPTION_ARG_STRING, &cli->billing_name,
      N_ ("Only requests billed to the balance or a subscription"), N_ ("balance|subscription") },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &cli->csv,
      N_ ("Write CSV"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json,
      N_ ("Write JSON with the server's field names"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &cli->output,
      N_ ("Write the CSV or JSON to FILE (atomically) instead of standard output"), N_ ("FILE") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &cli->email,
      N_ ("The account's email address"), N_ ("ADDRESS") },
    { "pdf", 0, 0, G_OPTION_ARG_NONE, &cli->pdf,
      N_ ("Write a one-page PDF summary (needs --output)"), NULL },
    { "set", 0, 0, G_OPTION_ARG_STRING, &cli->budget_set,
      N_ ("Keep a monthly budget in US dollars (with --key: the key's)"), N_ ("AMOUNT") },
    { "clear", 0, 0, G_OPTION_ARG_NONE, &cli->budget_clear,
      N_ ("Remove the monthly budget (with --key: the key's)"), NULL },
  };
  const guint entry_flags[] = {
    OPT_SERVER,
    OPT_DEMO,
    OPT_RANGE,
    OPT_RANGE,
    OPT_GRANULARITY,
    OPT_FILTERS | OPT_KEY,
    OPT_FILTERS,
    OPT_FILTERS,
    OPT_FILTERS,
    OPT_CSV,
    OPT_JSON,
    OPT_OUTPUT,
    OPT_EMAIL,
    OPT_PDF,
    OPT_BUDGET,
    OPT_BUDGET,
  };
  g_autoptr (GArray) entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  const GOptionEntry help_entry = {
    "help", 'h', 0, G_OPTION_ARG_NONE, &cli->help, N_ ("Show this help"), NULL
  };
  const GOptionEntry quiet_entry = {
    "quiet", 'q', 0, G_OPTION_ARG_NONE, &cli->quiet,
    N_ ("Do not report waits for the server’s rate limit on standard error"), NULL
  };
  GOptionContext *context;

  G_STATIC_ASSERT (G_N_ELEMENTS (all_entries) == G_N_ELEMENTS (entry_flags));

  for (guint i = 0; i < G_N_ELEMENTS (all_entries); i++)
    if ((command->options & entry_flags[i]) != 0)
      g_array_append_val (entries, all_entries[i]);
  g_array_append_val (entries, quiet_entry);
  g_array_append_val (entries, help_entry);

  context = g_option_context_new (NULL);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_summary (context, _ (command->summary));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, (const GOptionEntry *) (gpointer) entries->data,
                                     GETTEXT_PACKAGE);

  return context;
}

void
tally_cli_print_overview (void)
{
  g_autoptr (GString) out = g_string_new (NULL);
  int width = 0;

  /* the names in a column as wide as the longest and two spaces */
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    width = MAX (width, (int) strlen (commands[i].name) + 2);

  g_string_append (out, _ ("Usage:\n  tally COMMAND [OPTION…]\n  tally [--demo] [--server URL]   open the window\n  tally --version\n\n"));
  g_string_append (out, _ ("Commands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (out, "  %-*s%s\n", width, commands[i].name, _ (commands[i].summary));
  g_string_append (out, "\n");
  g_string_append (out, _ ("Run `tally help COMMAND` or `tally COMMAND --help` for its options.\n"));
  g_string_append (out, _ ("Exit status: 0 done, 1 bad arguments, 2 authentication, "
                           "3 server or network error, 4 local I/O error, "
                           "5 over budget or a limit used up (`tally budget`).\n"));
  g_string_append (out, _ ("Environment: TALLY_TOKEN (an access token), TALLY_SERVER.\n"));

  fputs (out->str, stdout);
  fflush (stdout);
}

static int
print_command_help (Cli *cli,
                    const CliCommand *command)
{
  g_autoptr (GOptionContext) context = build_context (cli, command);
  g_autofree char *prgname = g_strdup_printf ("tally %s", command->name);
  g_autofree char *help = NULL;

  g_set_prgname (prgname);
  help = g_option_context_get_help (context, TRUE, NULL);
  fputs (help, stdout);
  fflush (stdout);

  return TALLY_CLI_EXIT_OK;
}

static int
run_help (Cli *cli)
{
  /* handled in tally_cli_run: `tally help [COMMAND]` */
  tally_cli_print_overview ();
  return TALLY_CLI_EXIT_OK;
}

static int
validate_options (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  GDate from_date;
  GDate to_date;
  int status;

  if (cli->csv && cli->json)
    return tally_cli_usage_error (_ ("--csv and --json cannot be combined"));
  cli->format = cli->csv ? FORMAT_CSV : cli->json ? FORMAT_JSON
                                                  : FORMAT_TABLE;

  if ((cli->command->options & OPT_PDF) != 0)
    {
      if (!cli->pdf)
        return tally_cli_usage_error (_ ("`tally report` needs --pdf (the only report format)"));
      if (cli->output == NULL)
        return tally_cli_usage_error (_ ("--pdf needs --output FILE"));
    }
  else if (cli->output != NULL && cli->format == FORMAT_TABLE)
    return tally_cli_usage_error (_ ("--output needs --csv or --json"));
  if (cli->output != NULL && cli->output[0] == '\0')
    return tally_cli_usage_error (_ ("--output needs a file name"));

  if (cli->demo && cli->server != NULL)
    return tally_cli_usage_error (_ ("--demo and --server cannot be combined"));

  if (cli->from != NULL && !tally_date_parse (cli->from, &from_date))
    return tally_cli_usage_error (_ ("invalid date “%s” for --from (expected YYYY-MM-DD)"), cli->from);
  if (cli->to != NULL && !tally_date_parse (cli->to, &to_date))
    return tally_cli_usage_error (_ ("invalid date “%s” for --to (expected YYYY-MM-DD)"), cli->to);
  if (cli->from != NULL && cli->to != NULL && g_date_compare (&from_date, &to_date) > 0)
    return tally_cli_usage_error (_ ("--from %s is after --to %s"), cli->from, cli->to);

  cli->granularity = TALLY_GRANULARITY_DAY;
  if (cli->granularity_name != NULL)
    {
      if (g_str_equal (cli->granularity_name, "hour"))
        cli->granularity = TALLY_GRANULARITY_HOUR;
      else if (!g_str_equal (cli->granularity_name, "day"))
        return tally_cli_usage_error (_ ("--granularity must be day or hour, not “%s”"), cli->granularity_name);
    }

  cli->query = tally_usage_query_new ();
  if (!tally_usage_query_set_range (cli->query, cli->from, cli->to, &error))
    return tally_cli_usage_error ("%s", error->message);

  status = tally_cli_parse_key (cli);
  if (status != TALLY_CLI_EXIT_OK)
    return status;
  if ((cli->command->options & OPT_BUDGET) != 0 && (status = tally_cli_validate_budget (cli)) != TALLY_CLI_EXIT_OK)
    return status;

  if (cli->model != NULL)
    {
      if (cli->model[0] == '\0')
        return tally_cli_usage_error (_ ("--model needs a model name"));
      tally_usage_query_set_model (cli->query, cli->model);
    }

  if (cli->stream_name != NULL)
    {
      if (g_str_equal (cli->stream_name, "true"))
        tally_usage_query_set_stream (cli->query, TALLY_STREAM_STREAM);
      else if (g_str_equal (cli->stream_name, "false"))
        tally_usage_query_set_stream (cli->query, TALLY_STREAM_SYNC);
      else
        return tally_cli_usage_error (_ ("--stream must be true or false, not “%s”"), cli->stream_name);
    }

  if (cli->billing_name != NULL)
    {
      if (g_str_equal (cli->billing_name, "balance"))
        tally_usage_query_set_billing (cli->query, TALLY_BILLING_BALANCE);
      else if (g_str_equal (cli->billing_name, "subscription"))
        tally_usage_query_set_billing (cli->query, TALLY_BILLING_SUBSCRIPTION);
      else
        return tally_cli_usage_error (_ ("--billing must be balance or subscription, not “%s”"), cli->billing_name);
    }

  return TALLY_CLI_EXIT_OK;
}

static int
cli_main (Cli *cli,
          int argc,
          char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  g_autofree char *prgname = NULL;
  g_autofree char **reordered = NULL;
  const CliCommand *command;
  int late = tally_cli_find_late_command (argc, argv);
  int status;

  /* `tally --demo summary` is `tally summary --demo` */
  if (late > 0)
    {
      int n = 0;

      reordered = g_new0 (char *, argc + 1);
      reordered[n++] = argv[0];
      reordered[n++] = argv[late];
      for (int i = 1; i < argc; i++)
        if (i != late)
          reordered[n++] = argv[i];
      argv = reordered;
    }

  if (argv[1][0] == '-')
    return tally_cli_run_program_option (cli, argc, argv);

  command = find_command (argv[1]);
  if (command == NULL)
    return tally_cli_usage_error (_ ("unknown command “%s”; run `tally --help`"), argv[1] != NULL ? argv[1] : "");
  cli->command = command;

  if (g_str_equal (command->name, "help"))
    {
      const CliCommand *topic;

      if (argc < 3 || g_str_equal (argv[2], "--help") || g_str_equal (argv[2], "-h"))
        {
          tally_cli_print_overview ();
          return TALLY_CLI_EXIT_OK;
        }
      if (argc > 3)
        return tally_cli_usage_error (_ ("`tally help` takes one command name"));

      topic = find_command (argv[2]);
      if (topic == NULL)
        return tally_cli_usage_error (_ ("unknown command “%s”; run `tally --help`"), argv[2]);
      if (g_str_equal (topic->name, "help"))
        {
          tally_cli_print_overview ();
          return TALLY_CLI_EXIT_OK;
        }
      return print_command_help (cli, topic);
    }

  /* argv without the subcommand; argv[0] names the command in messages */
  prgname = g_strdup_printf ("tally %s", command->name);
  g_set_prgname (prgname);
  args = g_new0 (char *, argc);
  args[0] = g_strdup (prgname);
  for (int i = 2; i < argc; i++)
    args[i - 1] = g_strdup (argv[i]);

  context = build_context (cli, command);
  if (!g_option_context_parse_strv (context, &args, &error))
    return tally_cli_usage_error ("%s", error->message);

  if (cli->help)
    return print_command_help (cli, command);

  if (g_strv_length (args) > 1)
    return tally_cli_usage_error (_ ("unexpected argument “%s”; run `tally %s --help`"), args[1], command->name);

  status = validate_options (cli);
  if (status != TALLY_CLI_EXIT_OK)
    return status;

  if (command->run != tally_cli_run_login && command->run != tally_cli_run_logout)
    {
      status = tally_cli_connect (cli);
      if (status != TALLY_CLI_EXIT_OK)
        return status;
    }
  if ((command->options & OPT_FILTERS) != 0 && (status = tally_cli_resolve_key (cli)) != TALLY_CLI_EXIT_OK)
    return status;
  if ((command->options & OPT_RANGE) != 0 && (status = tally_cli_apply_default_range (cli)) != TALLY_CLI_EXIT_OK)
    return status;

  return command->run (cli);
}

int
tally_cli_run (int argc,
               char **argv)
{
  Cli cli = {
    0,
  };
  int status;

  g_return_val_if_fail (argc >= 2, TALLY_CLI_EXIT_USAGE);
  g_return_val_if_fail (argv != NULL, TALLY_CLI_EXIT_USAGE);

  /* A closed pipe is an EPIPE on write (tally-cli-output.c), never a signal. */
  signal (SIGPIPE, SIG_IGN);

  status = cli_main (&cli, argc, argv);
  tally_cli_wait_for_stores (&cli);
  cli_clear (&cli);

  return status;
}

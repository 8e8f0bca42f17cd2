/* tally-cli-private.h: what the parts of the command line share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tally-cli.c: dispatch, options, errors and exit statuses;
 * tally-cli-output.c: stdout, tables, CSV and JSON; tally-cli-auth.c:
 * connecting, login and logout; tally-cli-usage.c: summary, keys, trend and
 * models; tally-cli-logs.c: logs and the PDF report; tally-cli-stats.c: the
 * totals of a filter; tally-cli-budget.c: budgets and the forecast;
 * tally-cli-subscriptions.c: the subscription windows;
 * tally-cli-args.c: `tally --help`, `--version`, stray
 * words, `--key` by name, the default range.
 */

#pragma once

#include <gio/gio.h>

#include "tally-client.h"
#include "tally-demo-server.h"
#include "tally-report.h"
#include "tally-server-zone.h"
#include "tally-usage-query.h"

#include "tally-cli.h"

G_BEGIN_DECLS

typedef struct _Cli Cli;

typedef enum
{
  OPT_SERVER = 1 << 0,
  OPT_DEMO = 1 << 1,
  OPT_RANGE = 1 << 2,
  OPT_GRANULARITY = 1 << 3,
  OPT_FILTERS = 1 << 4,
  OPT_CSV = 1 << 5,
  OPT_JSON = 1 << 6,
  OPT_OUTPUT = 1 << 7,
  OPT_EMAIL = 1 << 8,
  OPT_PDF = 1 << 9,
  OPT_BUDGET = 1 << 10, /* --set, --clear */
  OPT_KEY = 1 << 11,    /* --key alone */
} CliOptions;

typedef enum
{
  FORMAT_TABLE,
  FORMAT_CSV,
  FORMAT_JSON,
} CliFormat;

typedef struct
{
  const char *name;
  const char *summary;
  guint options;
  int (*run) (Cli *cli);
} CliCommand;

struct _Cli
{
  const CliCommand *command;

  /* options as parsed */
  char *server;
  gboolean demo;
  char *from;
  char *to;
  char *granularity_name;
  char *key_text; /* --key: an id or a name */
  char *model;
  char *stream_name;
  char *billing_name;
  gboolean csv;
  gboolean json;
  char *output;
  char *email;
  gboolean pdf;
  char *budget_set; /* --set AMOUNT */
  gboolean budget_clear;
  gboolean help;
  gboolean quiet;

  /* validated */
  CliFormat format;
  TallyGranularity granularity;
  TallyUsageQuery *query;

  /* connection */
  TallyDemoServer *demo_server;
  TallyClient *client;

  /* the login from the keyring: rotated pairs are stored back (one write at a time) */
  char *account_email;
  gboolean store_busy;
  gboolean store_again;

  /* where --csv/--json/tables go */
  GOutputStream *out;
  GOutputStream *atomic; /* set when out is an --output file being written */
};

/* tally-cli.c */
/* One line "tally: …" on stderr, newlines folded and controls removed. */
void G_GNUC_PRINTF (1, 2) tally_cli_print_error (const char *format,
                                                 ...);
/* tally_cli_print_error(), then TALLY_CLI_EXIT_USAGE */
int G_GNUC_PRINTF (1, 2) tally_cli_usage_error (const char *format,
                                                ...);
/* Says what went wrong (with a hint to log in where that helps); the exit status for @error. */
int tally_cli_fail_with_error (Cli *cli,
                               const GError *error);
/* A GAsyncReadyCallback storing the result in the GAsyncResult * slot @user_data; */
/* tally_cli_wait_result() runs the default main context until it is there. */
void tally_cli_store_result_cb (GObject *object,
                                GAsyncResult *result,
                                gpointer user_data);
GAsyncResult *tally_cli_wait_result (GAsyncResult **slot);

/* `tally help`, `tally --help`: the commands and what they do */
void tally_cli_print_overview (void);

/* tally-cli-args.c */
/* argv[1] is an option (`--help`, `--version`) or a window option before a stray word. */
/* `tally --demo summary`: the index of a command that comes after options,
 * else -1. */
int tally_cli_find_late_command (int argc,
                                 char **argv);
int tally_cli_run_program_option (Cli *cli,
                                  int argc,
                                  char **argv);
/* --key: an id goes into the query now; a name waits for tally_cli_resolve_key(). */
int tally_cli_parse_key (Cli *cli);
/* Connected: a --key name becomes the id of the one key of that name. */
int tally_cli_resolve_key (Cli *cli);
/* Connected: the server's today ("YYYY-MM-DD"), from the trend; NULL and
 * @error if the server does not answer with a date. */
char *tally_cli_learn_server_today (Cli *cli,
                                    GError **error);
/* Connected: without --from, the 7 server days ending with --to or today. */
int tally_cli_apply_default_range (Cli *cli);

/* tally-cli-output.c */
/* TRUE once a write to stdout met EPIPE: the reader went away (`tally logs | head`) */
gboolean tally_cli_stdout_is_broken (void);

/* Server text for a terminal: valid UTF-8, no controls or bidi overrides. */
char *tally_cli_sanitize (const char *text);
/* Widths in terminal columns (wide characters count 2). */
char *tally_cli_truncate_to_width (const char *text,
                                   guint max);
void tally_cli_append_padded (GString *out,
                              const char *text,
                              guint width,
                              gboolean right);
/* Writes @text to where the output goes (cli->out). */
gboolean tally_cli_write_string (Cli *cli,
                                 GString *text,
                                 GError **error);

typedef struct
{
  guint n_columns;
  guint right_aligned; /* bit i: column i is numeric */
  GPtrArray *rows;     /* of GStrv, already sanitised */
} Table;

/* A table whose columns are as wide as their widest cell. */
Table *tally_cli_table_new (guint n_columns,
                            guint right_aligned);
void tally_cli_table_free (Table *table);
void tally_cli_table_add_row (Table *table,
                              const char *first,
                              ...);
void tally_cli_table_render (Table *table,
                             GString *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Table, tally_cli_table_free)

/* cli->out: the --output file (written atomically) or stdout; close commits or flushes. */
int tally_cli_open_output (Cli *cli);
int tally_cli_close_output (Cli *cli);
int tally_cli_write_and_close (Cli *cli,
                               GString *text);
/* --csv: the report module, into --output (atomically) or onto stdout */
int tally_cli_run_csv_report (Cli *cli,
                              TallyReportKind kind);

/* tally-cli-auth.c */
/* The demo, or the server and token of --server, TALLY_SERVER/TALLY_TOKEN or the keyring. */
int tally_cli_connect (Cli *cli);
/* Before exiting: the last rotated token pair must be in the keyring. */
void tally_cli_wait_for_stores (Cli *cli);
int tally_cli_run_login (Cli *cli);
int tally_cli_run_logout (Cli *cli);

/* tally-cli-usage.c */
int tally_cli_run_summary (Cli *cli);
int tally_cli_run_keys (Cli *cli);
int tally_cli_run_trend (Cli *cli);
int tally_cli_run_models (Cli *cli);
/* The server's zone: the one /settings/public names, else the fixed offset
 * of the newest usage row; NULL when neither is known. */
TallyServerZone *tally_cli_learn_server_zone (Cli *cli);

/* tally-cli-logs.c */
int tally_cli_run_logs (Cli *cli);
int tally_cli_run_report_pdf (Cli *cli);

/* tally-cli-stats.c */
int tally_cli_run_stats (Cli *cli);

/* tally-cli-budget.c */
/* Before connecting: --set, --clear and --key make sense together. */
int tally_cli_validate_budget (Cli *cli);
int tally_cli_run_budget (Cli *cli);
/* tally-cli-subscriptions.c */
int tally_cli_run_subscriptions (Cli *cli);

G_END_DECLS

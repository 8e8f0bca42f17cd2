/* tally-cli-private.h: what the parts of the command line share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tally-cli.c: dispatch, options, errors and exit statuses;
 * tally-cli-output.c: stdout, tables, CSV and JSON; tally-cli-auth.c:
 * connecting, login and logout; tally-cli-usage.c: summary, keys, trend and
 * models; tally-cli-logs.c: logs and the PDF report.
 */

#pragma once

#include <gio/gio.h>

#include "tally-client.h"
#include "tally-demo-server.h"
#include "tally-report.h"
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
  gint64 key;
  char *model;
  char *stream_name;
  char *billing_name;
  gboolean csv;
  gboolean json;
  char *output;
  char *email;
  gboolean pdf;
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
void G_GNUC_PRINTF (1, 2) print_error (const char *format,
                                       ...);
int G_GNUC_PRINTF (1, 2) usage_error (const char *format,
                                      ...);
int fail_with_error (Cli *cli,
                     const GError *error);
void store_result_cb (GObject *object,
                      GAsyncResult *result,
                      gpointer user_data);
GAsyncResult *wait_result (GAsyncResult **slot);

/* tally-cli-output.c */
extern gboolean stdout_broken;

char *sanitize_for_terminal (const char *text);
char *truncate_to_width (const char *text,
                         guint max);
void append_padded (GString *out,
                    const char *text,
                    guint width,
                    gboolean right);
gboolean write_string (Cli *cli,
                       GString *text,
                       GError **error);

typedef struct
{
  guint n_columns;
  guint right_aligned; /* bit i: column i is numeric */
  GPtrArray *rows;     /* of GStrv, already sanitised */
} Table;

Table *table_new (guint n_columns,
                  guint right_aligned);
void table_free (Table *table);
void table_add_row (Table *table,
                    const char *first,
                    ...);
void table_render (Table *table,
                   GString *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Table, table_free)

void json_append_string (GString *out,
                         const char *text);
void json_append_double (GString *out,
                         double value);
void json_append_list (GString *out,
                       GListModel *list);
void json_append_object (GString *out,
                         GObject *object);

int open_output (Cli *cli);
int close_output (Cli *cli);
int write_and_close (Cli *cli,
                     GString *text);
int run_report (Cli *cli,
                TallyReportKind kind);
char *format_cost (double usd);
char *format_count (gint64 value);

/* tally-cli-auth.c */
int cli_connect (Cli *cli);
void wait_for_stores (Cli *cli);
int run_login (Cli *cli);
int run_logout (Cli *cli);

/* tally-cli-usage.c */
int run_summary (Cli *cli);
int run_keys (Cli *cli);
int run_trend (Cli *cli);
int run_models (Cli *cli);

/* tally-cli-logs.c */
int run_logs (Cli *cli);
int run_report_pdf (Cli *cli);

G_END_DECLS

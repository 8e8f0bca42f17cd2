/* tally-cli.c: the headless command line (DESIGN.md §4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Links libtally-core only: never gtk, never a display. Every subcommand runs
 * the core's async API on the default main context and waits for it here.
 */

#define G_LOG_DOMAIN "tally-cli"

#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "tally-api-key.h"
#include "tally-auth-result.h"
#include "tally-client.h"
#include "tally-credentials.h"
#include "tally-csv.h"
#include "tally-dashboard-stats.h"
#include "tally-demo-server.h"
#include "tally-error.h"
#include "tally-format.h"
#include "tally-key-cost.h"
#include "tally-key-usage.h"
#include "tally-model-breakdown.h"
#include "tally-model-stat.h"
#include "tally-page.h"
#include "tally-public-settings.h"
#include "tally-report-pdf.h"
#include "tally-report.h"
#include "tally-server-time.h"
#include "tally-server-zone.h"
#include "tally-trend-point.h"
#include "tally-trend.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-usage-snapshot.h"
#include "tally-user.h"

#include "tally-cli.h"

#define LOGS_PAGE_SIZE 0 /* the largest the server takes */
#define LOGS_MAX_IN_FLIGHT 4

/* ------------------------------------------------------------------ stdout */

/* A GOutputStream over stdio's stdout, so that tables, JSON and the CSV
 * reports share one buffer and one error path. Never closes stdout. */
#define CLI_TYPE_STDOUT_STREAM (cli_stdout_stream_get_type ())
G_DECLARE_FINAL_TYPE (CliStdoutStream, cli_stdout_stream, CLI, STDOUT_STREAM, GOutputStream)

struct _CliStdoutStream
{
  GOutputStream parent_instance;
};

G_DEFINE_FINAL_TYPE (CliStdoutStream, cli_stdout_stream, G_TYPE_OUTPUT_STREAM)

/* Set once a write to stdout met EPIPE: the reader went away (`tally logs | head`). */
static gboolean stdout_broken;

static void
set_stdout_error (GError **error,
                  int errsv)
{
  if (errsv == EPIPE)
    stdout_broken = TRUE;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
               _("Could not write to standard output: %s"), g_strerror (errsv));
}

static gssize
cli_stdout_stream_write_fn (GOutputStream *stream,
                            const void *buffer,
                            gsize count,
                            GCancellable *cancellable,
                            GError **error)
{
  gsize written;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  written = fwrite (buffer, 1, count, stdout);
  if (written < count)
    {
      int errsv = errno;

      clearerr (stdout);
      if (written > 0)
        return written;
      set_stdout_error (error, errsv != 0 ? errsv : EIO);
      return -1;
    }

  return written;
}

static gboolean
cli_stdout_stream_flush (GOutputStream *stream,
                         GCancellable *cancellable,
                         GError **error)
{
  if (fflush (stdout) != 0)
    {
      int errsv = errno;

      clearerr (stdout);
      set_stdout_error (error, errsv != 0 ? errsv : EIO);
      return FALSE;
    }

  return TRUE;
}

static gboolean
cli_stdout_stream_close_fn (GOutputStream *stream,
                            GCancellable *cancellable,
                            GError **error)
{
  return cli_stdout_stream_flush (stream, cancellable, error);
}

static void
cli_stdout_stream_class_init (CliStdoutStreamClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  stream_class->write_fn = cli_stdout_stream_write_fn;
  stream_class->flush = cli_stdout_stream_flush;
  stream_class->close_fn = cli_stdout_stream_close_fn;
}

static void
cli_stdout_stream_init (CliStdoutStream *self)
{
}

/* ------------------------------------------------------------ the command */

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
  g_clear_pointer (&cli->model, g_free);
  g_clear_pointer (&cli->stream_name, g_free);
  g_clear_pointer (&cli->billing_name, g_free);
  g_clear_pointer (&cli->output, g_free);
  g_clear_pointer (&cli->email, g_free);
  g_clear_pointer (&cli->account_email, g_free);
}

/* ------------------------------------------------------------- utilities */

/* Server text for a terminal: valid UTF-8, without control characters (ESC,
 * CR, BEL, C1) or bidirectional overrides that could rewrite the display. */
static char *
sanitize_for_terminal (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        continue;
      if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
          || c == 0x200E || c == 0x200F || c == 0x061C)
        continue;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static guint
display_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }

  return width;
}

/* @text cut to at most @max columns, with an ellipsis when cut. */
static char *
truncate_to_width (const char *text,
                   guint max)
{
  GString *out;
  guint width = 0;

  if (display_width (text) <= max)
    return g_strdup (text);

  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint w = g_unichar_iszerowidth (c) ? 0 : (g_unichar_iswide (c) ? 2 : 1);

      if (width + w + 1 > max)
        break;
      g_string_append_unichar (out, c);
      width += w;
    }
  g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

static void
append_padded (GString *out,
               const char *text,
               guint width,
               gboolean right)
{
  guint w = display_width (text);

  if (right)
    for (guint i = w; i < width; i++)
      g_string_append_c (out, ' ');
  g_string_append (out, text);
  if (!right)
    for (guint i = w; i < width; i++)
      g_string_append_c (out, ' ');
}

/* One line for stderr: the message with newlines folded and controls removed. */
static void G_GNUC_PRINTF (1, 2)
    print_error (const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  g_autofree char *clean = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_strdelimit (message, "\r\n\t", ' ');
  clean = sanitize_for_terminal (message);
  g_strstrip (clean);

  fflush (stdout);
  fprintf (stderr, "tally: %s\n", clean);
  fflush (stderr);
}

/* One line on standard error per wait for the server's rate limit (none with --quiet). */
static void
rate_limit_wait_cb (TallyClient *client,
                    GParamSpec *pspec,
                    gpointer user_data)
{
  gboolean *waiting = user_data;
  gint64 resume = tally_client_get_rate_limit_wait (client);
  gint64 seconds;
  g_autofree char *line = NULL;

  if (resume == 0)
    {
      *waiting = FALSE;
      return;
    }
  if (*waiting)
    return;

  *waiting = TRUE;
  seconds = MAX ((resume - g_get_monotonic_time () + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 1);
  line = g_strdup_printf (ngettext ("waiting for the server’s rate limit — resuming in %d s",
                                    "waiting for the server’s rate limit — resuming in %d s",
                                    (unsigned long) seconds),
                          (int) MIN (seconds, G_MAXINT));
  print_error ("%s", line);
}

static void
watch_rate_limit (Cli *cli)
{
  static gboolean waiting;

  if (!cli->quiet)
    g_signal_connect (cli->client, "notify::rate-limit-wait", G_CALLBACK (rate_limit_wait_cb), &waiting);
}

static int G_GNUC_PRINTF (1, 2)
    usage_error (const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  print_error ("%s", message);
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

static int
fail_with_error (Cli *cli,
                 const GError *error)
{
  int status = exit_status_for_error (error);

  /* the reader of a pipe went away (`tally logs | head`): nothing to say */
  if (stdout_broken)
    return TALLY_CLI_EXIT_IO;

  /* a new login helps, except for a disabled account */
  if (tally_error_has_session_sentence (error) && error->code == TALLY_ERROR_UNAUTHORIZED
      && g_strcmp0 (tally_error_get_reason (error), "USER_INACTIVE") != 0 && cli->client != NULL)
    {
      const char *url = tally_client_get_base_url (cli->client);

      /* Translators: the first %s is a sentence such as "Your login has expired — log in again" */
      print_error (_("%s (with `tally login --server %s --email …`)"), error->message, url);
    }
  else if (tally_error_has_session_sentence (error))
    print_error ("%s", error->message);
  else if (status == TALLY_CLI_EXIT_AUTH && error->domain == TALLY_ERROR
           && error->code == TALLY_ERROR_UNAUTHORIZED && cli->client != NULL)
    {
      const char *url = tally_client_get_base_url (cli->client);

      print_error (_("%s refused the access token (%s); log in again with `tally login --server %s --email …`"),
                      url, error->message, url);
    }
  else
    print_error ("%s", error->message);

  return status;
}

static void
store_result_cb (GObject *object,
                 GAsyncResult *result,
                 gpointer user_data)
{
  GAsyncResult **slot = user_data;

  g_assert (*slot == NULL);
  *slot = g_object_ref (result);
}

/* Runs the default main context until the operation stored its result. */
static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return g_steal_pointer (slot);
}

static gboolean
write_string (Cli *cli,
              GString *text,
              GError **error)
{
  if (text->len == 0)
    return TRUE;

  return g_output_stream_write_all (cli->out, text->str, text->len, NULL, NULL, error);
}

/* ---------------------------------------------------------------- tables */

typedef struct
{
  guint n_columns;
  guint right_aligned; /* bit i: column i is numeric */
  GPtrArray *rows;     /* of GStrv, already sanitised */
} Table;

static Table *
table_new (guint n_columns,
           guint right_aligned)
{
  Table *table = g_new0 (Table, 1);

  table->n_columns = n_columns;
  table->right_aligned = right_aligned;
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  return table;
}

static void
table_free (Table *table)
{
  g_ptr_array_unref (table->rows);
  g_free (table);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Table, table_free)

/* Adds a row of @n_columns cells; takes ownership of none of them. */
static void
table_add_row (Table *table,
               const char *first,
               ...)
{
  char **row = g_new0 (char *, table->n_columns + 1);
  va_list args;

  va_start (args, first);
  for (guint i = 0; i < table->n_columns; i++)
    {
      const char *cell = i == 0 ? first : va_arg (args, const char *);

      row[i] = sanitize_for_terminal (cell);
    }
  va_end (args);

  g_ptr_array_add (table->rows, row);
}

static void
table_render (Table *table,
              GString *out)
{
  g_autofree guint *widths = g_new0 (guint, table->n_columns);

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);

      for (guint i = 0; i < table->n_columns; i++)
        widths[i] = MAX (widths[i], display_width (row[i]));
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      gsize line_start = out->len;

      for (guint i = 0; i < table->n_columns; i++)
        {
          if (i > 0)
            g_string_append (out, "  ");
          append_padded (out, row[i], widths[i], (table->right_aligned & (1u << i)) != 0);
        }

      /* no trailing blanks */
      while (out->len > line_start && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
    }
}

/* ------------------------------------------------------------------ JSON */

static void
json_append_string (GString *out,
                    const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = *p;

      switch (c)
        {
          case '"':
            g_string_append (out, "\\\"");
            break;
          case '\\':
            g_string_append (out, "\\\\");
            break;
          case '\n':
            g_string_append (out, "\\n");
            break;
          case '\r':
            g_string_append (out, "\\r");
            break;
          case '\t':
            g_string_append (out, "\\t");
            break;
          default:
            if (c < 0x20 || c == 0x7f)
              g_string_append_printf (out, "\\u%04x", c);
            else
              g_string_append_c (out, c);
            break;
        }
    }
  g_string_append_c (out, '"');
}

static void
json_append_double (GString *out,
                    double value)
{
  g_autofree char *text = NULL;

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  text = tally_format_number_exact (value);
  g_string_append (out, text);
}

static void json_append_object (GString *out,
                                GObject *object);

static void
json_append_list (GString *out,
                  GListModel *list)
{
  guint n_items = g_list_model_get_n_items (list);

  g_string_append_c (out, '[');
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (list, i);

      if (i > 0)
        g_string_append_c (out, ',');
      json_append_object (out, item);
    }
  g_string_append_c (out, ']');
}

/* Appends `"name":value` for one property; FALSE when the property is skipped. */
static gboolean
json_append_property (GString *out,
                      GObject *object,
                      GParamSpec *pspec,
                      gboolean first)
{
  g_auto (GValue) value = G_VALUE_INIT;
  g_autofree char *name = NULL;
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  gsize start = out->len;

  if ((pspec->flags & G_PARAM_READABLE) == 0)
    return FALSE;

  /* created_at of a usage log is printed exactly as the server sent it */
  if (TALLY_IS_USAGE_LOG (object) && g_str_equal (pspec->name, "created-at-raw"))
    return FALSE;

  name = g_strdelimit (g_strdup (pspec->name), "-", '_');

  g_value_init (&value, type);
  g_object_get_property (object, pspec->name, &value);

  if (!first)
    g_string_append_c (out, ',');
  json_append_string (out, name);
  g_string_append_c (out, ':');

  if (type == G_TYPE_INT64)
    {
      gint64 v = g_value_get_int64 (&value);

      /* nullable ints are declared with a minimum of -1 and mean null there */
      if (v < 0 && G_PARAM_SPEC_INT64 (pspec)->minimum == -1)
        g_string_append (out, "null");
      else
        g_string_append_printf (out, "%" G_GINT64_FORMAT, v);
    }
  else if (type == G_TYPE_INT)
    g_string_append_printf (out, "%d", g_value_get_int (&value));
  else if (type == G_TYPE_UINT)
    g_string_append_printf (out, "%u", g_value_get_uint (&value));
  else if (type == G_TYPE_UINT64)
    g_string_append_printf (out, "%" G_GUINT64_FORMAT, g_value_get_uint64 (&value));
  else if (type == G_TYPE_DOUBLE)
    json_append_double (out, g_value_get_double (&value));
  else if (type == G_TYPE_BOOLEAN)
    g_string_append (out, g_value_get_boolean (&value) ? "true" : "false");
  else if (type == G_TYPE_STRING)
    json_append_string (out, g_value_get_string (&value));
  else if (type == G_TYPE_DATE_TIME)
    {
      GDateTime *dt = g_value_get_boxed (&value);

      if (TALLY_IS_USAGE_LOG (object) && g_str_equal (pspec->name, "created-at"))
        json_append_string (out, tally_usage_log_get_created_at_raw (TALLY_USAGE_LOG (object)));
      else if (dt != NULL)
        {
          g_autofree char *iso = g_date_time_format_iso8601 (dt);

          json_append_string (out, iso);
        }
      else
        g_string_append (out, "null");
    }
  else if (G_TYPE_IS_ENUM (type))
    g_string_append_printf (out, "%d", g_value_get_enum (&value));
  else if (g_type_is_a (type, G_TYPE_LIST_MODEL))
    {
      GListModel *list = g_value_get_object (&value);

      if (list != NULL)
        json_append_list (out, list);
      else
        g_string_append (out, "[]");
    }
  else if (g_type_is_a (type, G_TYPE_OBJECT))
    {
      GObject *child = g_value_get_object (&value);

      /* optional nested objects (a key's group) are omitted when absent */
      if (child == NULL)
        {
          g_string_truncate (out, start);
          return FALSE;
        }
      json_append_object (out, child);
    }
  else
    {
      g_string_truncate (out, start);
      return FALSE;
    }

  return TRUE;
}

/* The object's properties as a JSON object: names with '-' → '_' (the API.md names). */
static void
json_append_object (GString *out,
                    GObject *object)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs = 0;
  gboolean first = TRUE;

  if (object == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);

  g_string_append_c (out, '{');
  for (guint i = 0; i < n_pspecs; i++)
    {
      if (json_append_property (out, object, pspecs[i], first))
        first = FALSE;
    }
  g_string_append_c (out, '}');
}

/* ------------------------------------------------------------ connecting */

static int
connect_demo (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyAuthResult) auth = NULL;
  GAsyncResult *slot = NULL;

  cli->demo_server = tally_demo_server_new_from_environment ();
  if (!tally_demo_server_start (cli->demo_server, &error))
    {
      print_error (_("could not start the demo server: %s"), error->message);
      return TALLY_CLI_EXIT_SERVER;
    }

  cli->client = tally_client_new (tally_demo_server_get_url (cli->demo_server), &error);
  if (cli->client == NULL)
    return fail_with_error (cli, error);
  watch_rate_limit (cli);

  tally_client_login_async (cli->client,
                            tally_demo_server_get_email (cli->demo_server),
                            tally_demo_server_get_password (cli->demo_server),
                            NULL, NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  auth = tally_client_login_finish (cli->client, result, &error);
  if (auth == NULL)
    return fail_with_error (cli, error);

  return TALLY_CLI_EXIT_OK;
}

static int
lookup_account (const char *server_url,
                TallyAccount **account)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  tally_credentials_lookup_async (server_url, NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  *account = tally_credentials_lookup_finish (result, &error);
  if (error != NULL)
    {
      print_error (_("could not read the keyring: %s"), error->message);
      return TALLY_CLI_EXIT_AUTH;
    }

  return TALLY_CLI_EXIT_OK;
}

static int
not_logged_in (const char *server_url)
{
  if (server_url != NULL)
    print_error (_("not logged in to %s; run `tally login --server %s --email …`"),
                    server_url, server_url);
  else
    print_error (_("not logged in; run `tally login --server URL --email ADDRESS`"));

  return TALLY_CLI_EXIT_AUTH;
}

static int
make_client (Cli *cli,
             const char *server_url)
{
  g_autoptr (GError) error = NULL;

  cli->client = tally_client_new (server_url, &error);
  if (cli->client == NULL)
    return usage_error (_("invalid server address “%s”: %s"), server_url, error->message);
  watch_rate_limit (cli);

  if (tally_client_is_insecure (cli->client))
    print_error (_("warning: %s is not encrypted (http:// to another host)"),
                    tally_client_get_base_url (cli->client));

  return TALLY_CLI_EXIT_OK;
}

static void store_tokens (Cli *cli);

static void
tokens_stored_cb (GObject *object,
                  GAsyncResult *result,
                  gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr (GError) error = NULL;

  cli->store_busy = FALSE;
  if (!tally_credentials_store_finish (result, &error))
    print_error (_("could not save the renewed login in the keyring: %s"), error->message);

  if (cli->store_again)
    store_tokens (cli);
}

static void
store_tokens (Cli *cli)
{
  g_autoptr (TallyAccount) account = NULL;
  const char *token = tally_client_get_token (cli->client);

  cli->store_again = FALSE;
  if (token == NULL || token[0] == '\0')
    return;

  account = tally_account_new_full (tally_client_get_base_url (cli->client), cli->account_email, token,
                                    tally_client_get_refresh_token (cli->client),
                                    tally_client_get_token_expires_at (cli->client));
  cli->store_busy = TRUE;
  tally_credentials_store_account_async (account, NULL, tokens_stored_cb, cli);
}

/* One keyring write at a time; the latest pair wins. */
static void
tokens_changed_cb (Cli *cli)
{
  if (cli->store_busy)
    cli->store_again = TRUE;
  else
    store_tokens (cli);
}

/* Before exiting: the last rotated pair must be in the keyring. */
static void
wait_for_stores (Cli *cli)
{
  while (cli->store_busy)
    g_main_context_iteration (NULL, TRUE);
}

/* Server: --server, else TALLY_SERVER (with TALLY_TOKEN), else the saved account.
 * Token: TALLY_TOKEN, else the keyring entry for that server. */
static int
connect_saved (Cli *cli)
{
  g_autoptr (TallyAccount) env_account = tally_account_from_environment (cli->server);
  g_autoptr (TallyAccount) saved = NULL;
  const char *server_url = cli->server;
  int status;

  if (env_account != NULL && env_account->server_url != NULL && env_account->server_url[0] != '\0')
    server_url = env_account->server_url;

  if (server_url == NULL)
    {
      /* the most recently saved account decides the server */
      status = lookup_account (NULL, &saved);
      if (status != TALLY_CLI_EXIT_OK)
        return status;
      if (saved == NULL)
        return not_logged_in (NULL);
      server_url = saved->server_url;
    }

  status = make_client (cli, server_url);
  if (status != TALLY_CLI_EXIT_OK)
    return status;

  if (env_account != NULL && env_account->token != NULL && env_account->token[0] != '\0')
    {
      tally_client_set_token (cli->client, env_account->token);
      return TALLY_CLI_EXIT_OK;
    }

  if (saved == NULL || g_strcmp0 (saved->server_url, tally_client_get_base_url (cli->client)) != 0)
    {
      g_clear_pointer (&saved, tally_account_free);
      status = lookup_account (tally_client_get_base_url (cli->client), &saved);
      if (status != TALLY_CLI_EXIT_OK)
        return status;
    }

  if (saved == NULL || saved->token == NULL || saved->token[0] == '\0')
    return not_logged_in (tally_client_get_base_url (cli->client));

  tally_client_set_tokens (cli->client, saved->token, saved->refresh_token, saved->expires_at);
  cli->account_email = g_strdup (saved->email);
  /* a refresh rotates the pair: keep the keyring in step (and follow another
   * process that rotated it first) */
  tally_client_set_reload_func (cli->client, tally_credentials_reload_tokens, NULL, NULL);
  g_signal_connect_swapped (cli->client, "tokens-changed", G_CALLBACK (tokens_changed_cb), cli);

  return TALLY_CLI_EXIT_OK;
}

static int
cli_connect (Cli *cli)
{
  if (cli->demo)
    return connect_demo (cli);

  return connect_saved (cli);
}

/* ------------------------------------------------------------ the output */

/* Opens where --csv/--json/table output goes: the --output file (atomically) or stdout. */
static int
open_output (Cli *cli)
{
  g_autoptr (GError) error = NULL;

  if (cli->output == NULL)
    {
      cli->out = g_object_new (CLI_TYPE_STDOUT_STREAM, NULL);
      return TALLY_CLI_EXIT_OK;
    }
  else
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (cli->output);

      cli->atomic = tally_atomic_file_open (file, NULL, &error);
      if (cli->atomic == NULL)
        return fail_with_error (cli, error);
      cli->out = g_object_ref (cli->atomic);
    }

  return TALLY_CLI_EXIT_OK;
}

/* Commits the --output file, or flushes stdout. */
static int
close_output (Cli *cli)
{
  g_autoptr (GError) error = NULL;

  if (cli->atomic != NULL)
    {
      g_autoptr (GOutputStream) atomic = g_steal_pointer (&cli->atomic);

      if (!tally_atomic_file_commit (atomic, NULL, &error))
        return fail_with_error (cli, error);
      return TALLY_CLI_EXIT_OK;
    }

  if (cli->out != NULL && !g_output_stream_flush (cli->out, NULL, &error))
    return fail_with_error (cli, error);

  return TALLY_CLI_EXIT_OK;
}

static int
write_and_close (Cli *cli,
                 GString *text)
{
  g_autoptr (GError) error = NULL;
  int status;

  status = open_output (cli);
  if (status != TALLY_CLI_EXIT_OK)
    return status;

  if (!write_string (cli, text, &error))
    return fail_with_error (cli, error);

  return close_output (cli);
}

/* --csv: the report module, into --output (atomically) or onto stdout */
static int
run_report (Cli *cli,
            TallyReportKind kind)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;
  gboolean ok;

  if (cli->output != NULL)
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (cli->output);

      tally_report_export_csv_async (cli->client, kind, cli->query, cli->granularity, file,
                                     NULL, NULL, NULL, store_result_cb, &slot);
      result = wait_result (&slot);
      ok = tally_report_export_csv_finish (result, &error);
    }
  else
    {
      cli->out = g_object_new (CLI_TYPE_STDOUT_STREAM, NULL);
      tally_report_write_csv_async (cli->client, kind, cli->query, cli->granularity, cli->out,
                                    NULL, NULL, NULL, store_result_cb, &slot);
      result = wait_result (&slot);
      ok = tally_report_write_csv_finish (result, &error);
    }

  if (!ok)
    return fail_with_error (cli, error);

  return close_output (cli);
}

/* ------------------------------------------------------------- summary */

static char *
format_cost (double usd)
{
  return tally_format_cost (usd);
}

static char *
format_count (gint64 value)
{
  return tally_format_count (value);
}

/* The server's zone (API-2026.md §4): the one /settings/public names, else
 * the fixed offset of the newest usage row; NULL when neither is known
 * (errors here only cost the label, never the command). */
static TallyServerZone *
learn_server_zone (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyPublicSettings) settings = NULL;
  g_autoptr (TallyPage) page = NULL;
  g_autoptr (TallyUsageLog) newest = NULL;
  GAsyncResult *slot = NULL;
  GDateTime *created_at;

  tally_client_get_public_settings_async (cli->client, NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  settings = tally_client_get_public_settings_finish (cli->client, result, &error);
  if (settings != NULL)
    {
      TallyServerZone *zone = tally_server_zone_new_from_settings (tally_public_settings_get_server_timezone (settings),
                                                                   tally_public_settings_get_server_utc_offset (settings));
      if (zone != NULL)
        return zone;
    }
  g_clear_error (&error);
  g_clear_object (&result);

  /* An older server: the newest timestamp, never the account's creation
   * (it may be on the other side of a DST change). */
  tally_client_list_usage_async (cli->client, NULL, 1, 1, NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  page = tally_client_list_usage_finish (cli->client, result, &error);
  if (page == NULL || g_list_model_get_n_items (tally_page_get_items (page)) == 0)
    return NULL;
  newest = g_list_model_get_item (tally_page_get_items (page), 0);
  created_at = tally_usage_log_get_created_at (newest);
  if (created_at == NULL)
    return NULL;
  return tally_server_zone_new_offset ((int) (g_date_time_get_utc_offset (created_at) / G_TIME_SPAN_SECOND));
}

static int
run_summary (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) me_result = NULL;
  g_autoptr (GAsyncResult) stats_result = NULL;
  g_autoptr (GAsyncResult) trend_result = NULL;
  g_autoptr (TallyUser) user = NULL;
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autoptr (TallyTrend) trend = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *offset_label = NULL;
  GAsyncResult *me_slot = NULL;
  GAsyncResult *stats_slot = NULL;
  GAsyncResult *trend_slot = NULL;
  g_autoptr (TallyServerZone) zone = NULL;

  tally_client_get_me_async (cli->client, NULL, store_result_cb, &me_slot);
  tally_client_get_dashboard_stats_async (cli->client, NULL, store_result_cb, &stats_slot);
  tally_client_get_trend_async (cli->client, NULL, NULL, TALLY_GRANULARITY_DAY, NULL,
                                store_result_cb, &trend_slot);
  me_result = wait_result (&me_slot);
  stats_result = wait_result (&stats_slot);
  trend_result = wait_result (&trend_slot);

  user = tally_client_get_me_finish (cli->client, me_result, &error);
  if (user == NULL)
    return fail_with_error (cli, error);
  stats = tally_client_get_dashboard_stats_finish (cli->client, stats_result, &error);
  if (stats == NULL)
    return fail_with_error (cli, error);
  trend = tally_client_get_trend_finish (cli->client, trend_result, &error);
  if (trend == NULL)
    return fail_with_error (cli, error);

  /* The server's zone, with the offset of the server's today. */
  zone = learn_server_zone (cli);
  if (zone != NULL)
    offset_label = tally_format_utc_offset (tally_server_zone_get_offset_on (zone, tally_trend_get_end_date (trend),
                                                                             g_get_real_time () / G_USEC_PER_SEC));

  if (cli->format == FORMAT_JSON)
    {
      g_string_append (out, "{\"server\":");
      json_append_string (out, tally_client_get_base_url (cli->client));
      g_string_append (out, ",\"server_date\":");
      json_append_string (out, tally_trend_get_end_date (trend));
      g_string_append (out, ",\"server_utc_offset\":");
      json_append_string (out, offset_label);
      if (zone != NULL && tally_server_zone_get_name (zone) != NULL)
        {
          g_string_append (out, ",\"server_timezone\":");
          json_append_string (out, tally_server_zone_get_name (zone));
        }
      g_string_append (out, ",\"user\":");
      json_append_object (out, G_OBJECT (user));
      g_string_append (out, ",\"stats\":");
      json_append_object (out, G_OBJECT (stats));
      g_string_append (out, "}\n");
    }
  else
    {
      g_autoptr (Table) head = table_new (2, 0);
      g_autoptr (Table) body = table_new (3, 0x6);
      g_autofree char *server_day = NULL;
      g_autofree char *balance = format_cost (tally_user_get_balance (user));
      g_autofree char *today_billed = format_cost (tally_dashboard_stats_get_today_actual_cost (stats));
      g_autofree char *total_billed = format_cost (tally_dashboard_stats_get_total_actual_cost (stats));
      g_autofree char *today_list = format_cost (tally_dashboard_stats_get_today_cost (stats));
      g_autofree char *total_list = format_cost (tally_dashboard_stats_get_total_cost (stats));
      g_autofree char *today_requests = format_count (tally_dashboard_stats_get_today_requests (stats));
      g_autofree char *total_requests = format_count (tally_dashboard_stats_get_total_requests (stats));
      g_autofree char *today_tokens = format_count (tally_dashboard_stats_get_today_tokens (stats));
      g_autofree char *total_tokens = format_count (tally_dashboard_stats_get_total_tokens (stats));
      g_autofree char *today_input = format_count (tally_dashboard_stats_get_today_input_tokens (stats));
      g_autofree char *total_input = format_count (tally_dashboard_stats_get_total_input_tokens (stats));
      g_autofree char *today_output = format_count (tally_dashboard_stats_get_today_output_tokens (stats));
      g_autofree char *total_output = format_count (tally_dashboard_stats_get_total_output_tokens (stats));
      g_autofree char *today_cw = format_count (tally_dashboard_stats_get_today_cache_creation_tokens (stats));
      g_autofree char *total_cw = format_count (tally_dashboard_stats_get_total_cache_creation_tokens (stats));
      g_autofree char *today_cr = format_count (tally_dashboard_stats_get_today_cache_read_tokens (stats));
      g_autofree char *total_cr = format_count (tally_dashboard_stats_get_total_cache_read_tokens (stats));
      g_autofree char *rpm = format_count (tally_dashboard_stats_get_rpm (stats));
      g_autofree char *tpm = format_count (tally_dashboard_stats_get_tpm (stats));
      g_autofree char *duration = tally_format_duration_ms (tally_dashboard_stats_get_average_duration_ms (stats));
      g_autofree char *active = format_count (tally_dashboard_stats_get_active_api_keys (stats));
      g_autofree char *total_keys = format_count (tally_dashboard_stats_get_total_api_keys (stats));
      g_autofree char *keys = NULL;
      g_autofree char *rates = NULL;

      if (zone != NULL && tally_server_zone_get_name (zone) != NULL)
        /* Translators: "2026-12-10 (server time America/New_York, UTC-05:00)" */
        server_day = g_strdup_printf (_("%s (server time %s, %s)"), tally_trend_get_end_date (trend),
                                         tally_server_zone_get_name (zone), offset_label);
      else if (offset_label != NULL)
        /* Translators: "2026-01-15 (server time UTC+08:00)" */
        server_day = g_strdup_printf (_("%s (server time %s)"), tally_trend_get_end_date (trend), offset_label);
      else
        server_day = g_strdup_printf (_("%s (server time)"), tally_trend_get_end_date (trend));

      /* Translators: "4 active of 5" API keys */
      keys = g_strdup_printf (_("%s active of %s"), active, total_keys);
      /* Translators: "8 requests, 50,967 tokens" (per minute) */
      rates = g_strdup_printf (_("%s requests, %s tokens"), rpm, tpm);

      table_add_row (head, _("Server"), tally_client_get_base_url (cli->client));
      table_add_row (head, _("Account"), tally_user_get_email (user));
      table_add_row (head, _("Server day"), server_day);
      table_add_row (head, _("Balance"), balance);
      table_render (head, out);
      g_string_append_c (out, '\n');

      table_add_row (body, "", _("Today"), _("All time"));
      table_add_row (body, _("Billed cost"), today_billed, total_billed);
      table_add_row (body, _("List cost"), today_list, total_list);
      table_add_row (body, _("Requests"), today_requests, total_requests);
      table_add_row (body, _("Tokens"), today_tokens, total_tokens);
      table_add_row (body, _("  Input"), today_input, total_input);
      table_add_row (body, _("  Output"), today_output, total_output);
      table_add_row (body, _("  Cache write"), today_cw, total_cw);
      table_add_row (body, _("  Cache read"), today_cr, total_cr);
      table_render (body, out);
      g_string_append_c (out, '\n');

      g_clear_pointer (&head, table_free);
      head = table_new (2, 0);
      table_add_row (head, _("Per minute"), rates);
      table_add_row (head, _("Average duration"), duration);
      table_add_row (head, _("API keys"), keys);
      table_render (head, out);
    }

  return write_and_close (cli, out);
}

/* ---------------------------------------------------------------- keys */

/* The key status for people: the known values of API.md §6 translated,
 * anything else as the server sent it. */
static const char *
key_status_label (const char *status)
{
  if (g_strcmp0 (status, "active") == 0)
    return C_("key status", "active");
  if (g_strcmp0 (status, "inactive") == 0)
    return C_("key status", "inactive");
  if (g_strcmp0 (status, "disabled") == 0)
    return C_("key status", "disabled");
  if (g_strcmp0 (status, "quota_exhausted") == 0)
    return C_("key status", "quota exhausted");
  if (g_strcmp0 (status, "expired") == 0)
    return C_("key status", "expired");
  return status;
}

static int
run_keys (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) keys_result = NULL;
  g_autoptr (GAsyncResult) stats_result = NULL;
  g_autoptr (GAsyncResult) usage_result = NULL;
  g_autoptr (GListModel) keys = NULL;
  g_autoptr (GListModel) usage = NULL;
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autoptr (GArray) ids = NULL;
  g_autoptr (GHashTable) usage_by_id = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  GAsyncResult *keys_slot = NULL;
  GAsyncResult *stats_slot = NULL;
  GAsyncResult *usage_slot = NULL;
  double sum_today = 0.0;
  double sum_total = 0.0;
  guint n_keys;
  guint n_usage;

  if (cli->format == FORMAT_CSV)
    return run_report (cli, TALLY_REPORT_KEYS);

  tally_client_list_all_keys_async (cli->client, NULL, store_result_cb, &keys_slot);
  tally_client_get_dashboard_stats_async (cli->client, NULL, store_result_cb, &stats_slot);
  keys_result = wait_result (&keys_slot);
  stats_result = wait_result (&stats_slot);

  keys = tally_client_list_all_keys_finish (cli->client, keys_result, &error);
  if (keys == NULL)
    return fail_with_error (cli, error);
  stats = tally_client_get_dashboard_stats_finish (cli->client, stats_result, &error);
  if (stats == NULL)
    return fail_with_error (cli, error);

  n_keys = g_list_model_get_n_items (keys);
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_keys);
  for (guint i = 0; i < n_keys; i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
      gint64 id = tally_api_key_get_id (key);

      g_array_append_val (ids, id);
    }

  tally_client_get_keys_usage_async (cli->client, (const gint64 *) (gpointer) ids->data, ids->len,
                                     NULL, store_result_cb, &usage_slot);
  usage_result = wait_result (&usage_slot);
  usage = tally_client_get_keys_usage_finish (cli->client, usage_result, &error);
  if (usage == NULL)
    return fail_with_error (cli, error);

  usage_by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  n_usage = g_list_model_get_n_items (usage);
  for (guint i = 0; i < n_usage; i++)
    {
      TallyKeyUsage *key_usage = g_list_model_get_item (usage, i);
      gint64 *id = g_new (gint64, 1);

      *id = tally_key_usage_get_api_key_id (key_usage);
      g_hash_table_replace (usage_by_id, id, key_usage);
    }

  if (cli->format == FORMAT_JSON)
    {
      g_string_append_c (out, '[');
      for (guint i = 0; i < n_keys; i++)
        {
          g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
          gint64 id = tally_api_key_get_id (key);
          TallyKeyUsage *key_usage = g_hash_table_lookup (usage_by_id, &id);

          if (i > 0)
            g_string_append_c (out, ',');
          json_append_object (out, G_OBJECT (key));
          /* reopen the object to add the batch figures */
          g_string_truncate (out, out->len - 1);
          g_string_append (out, ",\"today_actual_cost\":");
          json_append_double (out, key_usage != NULL ? tally_key_usage_get_today_actual_cost (key_usage) : 0.0);
          g_string_append (out, ",\"total_actual_cost\":");
          json_append_double (out, key_usage != NULL ? tally_key_usage_get_total_actual_cost (key_usage) : 0.0);
          g_string_append_c (out, '}');
        }
      g_string_append (out, "]\n");
    }
  else
    {
      g_autoptr (Table) table = table_new (6, 0x19);
      double deleted_today;
      double deleted_total;

      table_add_row (table, _("ID"), _("Name"), _("Status"), _("Today"), _("Total"), _("Key"));
      for (guint i = 0; i < n_keys; i++)
        {
          g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
          gint64 id = tally_api_key_get_id (key);
          TallyKeyUsage *key_usage = g_hash_table_lookup (usage_by_id, &id);
          double today = key_usage != NULL ? tally_key_usage_get_today_actual_cost (key_usage) : 0.0;
          double total = key_usage != NULL ? tally_key_usage_get_total_actual_cost (key_usage) : 0.0;
          g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
          g_autofree char *today_text = format_cost (today);
          g_autofree char *total_text = format_cost (total);

          sum_today += today;
          sum_total += total;
          table_add_row (table, id_text, tally_api_key_get_name (key), key_status_label (tally_api_key_get_status (key)),
                         today_text, total_text, tally_api_key_get_masked_key (key));
        }
      table_render (table, out);

      /* Σ listed keys ≤ dashboard totals; the rest belongs to deleted keys (API.md §5.6). */
      if (tally_deleted_keys (tally_dashboard_stats_get_today_actual_cost (stats),
                              tally_dashboard_stats_get_total_actual_cost (stats),
                              sum_today, sum_total, &deleted_today, &deleted_total))
        {
          g_autofree char *today_text = format_cost (deleted_today);
          g_autofree char *total_text = format_cost (deleted_total);

          g_string_append_printf (out, _("Deleted keys: %s today, %s in total"), today_text, total_text);
          g_string_append_c (out, '\n');
        }
    }

  return write_and_close (cli, out);
}

/* --------------------------------------------------------------- trend */

static int
run_trend (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyTrend) trend = NULL;
  g_autoptr (GListModel) filled = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (TallyServerZone) zone = NULL;
  GAsyncResult *slot = NULL;
  guint n_points;

  if (cli->format == FORMAT_CSV)
    return run_report (cli, TALLY_REPORT_DAILY);

  tally_client_get_trend_async (cli->client, cli->from, cli->to, cli->granularity, NULL,
                                store_result_cb, &slot);
  result = wait_result (&slot);
  trend = tally_client_get_trend_finish (cli->client, result, &error);
  if (trend == NULL)
    return fail_with_error (cli, error);

  /* Hourly: only the hours the server's days have (a DST day has 23 or 25). */
  if (cli->granularity == TALLY_GRANULARITY_HOUR)
    zone = learn_server_zone (cli);
  filled = tally_trend_zero_fill_in_zone (tally_trend_get_points (trend),
                                          tally_trend_get_start_date (trend),
                                          tally_trend_get_end_date (trend),
                                          cli->granularity, zone);
  n_points = g_list_model_get_n_items (filled);

  if (cli->format == FORMAT_JSON)
    {
      g_string_append (out, "{\"start_date\":");
      json_append_string (out, tally_trend_get_start_date (trend));
      g_string_append (out, ",\"end_date\":");
      json_append_string (out, tally_trend_get_end_date (trend));
      g_string_append (out, ",\"granularity\":");
      json_append_string (out, tally_trend_get_granularity (trend));
      g_string_append (out, ",\"trend\":");
      json_append_list (out, filled);
      g_string_append (out, "}\n");
    }
  else
    {
      g_autoptr (Table) table = table_new (5, 0x1e);
      gint64 requests = 0;
      gint64 tokens = 0;
      double cost = 0.0;
      double actual_cost = 0.0;
      g_autofree char *requests_text = NULL;
      g_autofree char *tokens_text = NULL;
      g_autofree char *cost_text = NULL;
      g_autofree char *actual_text = NULL;

      table_add_row (table, _("Date"), _("Requests"), _("Tokens"), _("List cost"), _("Billed cost"));
      for (guint i = 0; i < n_points; i++)
        {
          g_autoptr (TallyTrendPoint) point = g_list_model_get_item (filled, i);
          g_autofree char *r = format_count (tally_trend_point_get_requests (point));
          g_autofree char *t = format_count (tally_trend_point_get_total_tokens (point));
          g_autofree char *c = format_cost (tally_trend_point_get_cost (point));
          g_autofree char *a = format_cost (tally_trend_point_get_actual_cost (point));

          requests += tally_trend_point_get_requests (point);
          tokens += tally_trend_point_get_total_tokens (point);
          cost += tally_trend_point_get_cost (point);
          actual_cost += tally_trend_point_get_actual_cost (point);
          table_add_row (table, tally_trend_point_get_date (point), r, t, c, a);
        }

      requests_text = format_count (requests);
      tokens_text = format_count (tokens);
      cost_text = format_cost (cost);
      actual_text = format_cost (actual_cost);
      table_add_row (table, _("Total"), requests_text, tokens_text, cost_text, actual_text);
      table_render (table, out);
    }

  return write_and_close (cli, out);
}

/* -------------------------------------------------------------- models */

static int
run_models (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyModelBreakdown) breakdown = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  GAsyncResult *slot = NULL;
  GListModel *models;
  guint n_models;

  if (cli->format == FORMAT_CSV)
    return run_report (cli, TALLY_REPORT_MODELS);

  tally_client_get_model_stats_async (cli->client, cli->from, cli->to, NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  breakdown = tally_client_get_model_stats_finish (cli->client, result, &error);
  if (breakdown == NULL)
    return fail_with_error (cli, error);

  models = tally_model_breakdown_get_models (breakdown);
  n_models = g_list_model_get_n_items (models);

  if (cli->format == FORMAT_JSON)
    {
      json_append_object (out, G_OBJECT (breakdown));
      g_string_append_c (out, '\n');
    }
  else
    {
      g_autoptr (Table) table = table_new (7, 0x7e);

      g_string_append_printf (out, _("%s … %s (server days)"),
                                      tally_model_breakdown_get_start_date (breakdown),
                                      tally_model_breakdown_get_end_date (breakdown));
      g_string_append (out, "\n\n");

      table_add_row (table, _("Model"), _("Requests"), _("Input"), _("Output"), _("Tokens"),
                                                                                       _("List cost"), _("Billed cost"));
      for (guint i = 0; i < n_models; i++)
        {
          g_autoptr (TallyModelStat) stat = g_list_model_get_item (models, i);
          g_autofree char *r = format_count (tally_model_stat_get_requests (stat));
          g_autofree char *in = format_count (tally_model_stat_get_input_tokens (stat));
          g_autofree char *o = format_count (tally_model_stat_get_output_tokens (stat));
          g_autofree char *t = format_count (tally_model_stat_get_total_tokens (stat));
          g_autofree char *c = format_cost (tally_model_stat_get_cost (stat));
          g_autofree char *a = format_cost (tally_model_stat_get_actual_cost (stat));

          table_add_row (table, tally_model_stat_get_model (stat), r, in, o, t, c, a);
        }
      table_render (table, out);
    }

  return write_and_close (cli, out);
}

/* ---------------------------------------------------------------- logs */

typedef struct
{
  Cli *cli;
  GHashTable *key_names; /* id → name, from /keys */
  GError *error;         /* a failed write */
  guint64 rows;
  gint64 sum_tokens;
  double sum_cost;
  double sum_actual_cost;
} LogsState;

/* Fixed widths, since rows stream out before the widths of later rows are known. */
enum
{
  W_TIME = 19,
  W_KEY = 20,
  W_MODEL = 26,
  W_TYPE = 6,
  W_TOKENS = 11,
  W_COST = 9,
  W_DURATION = 9
};

static void
append_log_header (GString *out)
{
  append_padded (out, _("Time"), W_TIME, FALSE);
  g_string_append (out, "  ");
  append_padded (out, _("Key"), W_KEY, FALSE);
  g_string_append (out, "  ");
  append_padded (out, _("Model"), W_MODEL, FALSE);
  g_string_append (out, "  ");
  append_padded (out, _("Type"), W_TYPE, FALSE);
  g_string_append (out, "  ");
  append_padded (out, _("Input"), W_TOKENS, TRUE);
  g_string_append (out, "  ");
  append_padded (out, _("Output"), W_TOKENS, TRUE);
  g_string_append (out, "  ");
  append_padded (out, _("Cache W"), W_TOKENS, TRUE);
  g_string_append (out, "  ");
  append_padded (out, _("Cache R"), W_TOKENS, TRUE);
  g_string_append (out, "  ");
  append_padded (out, _("Cost"), W_COST, TRUE);
  g_string_append (out, "  ");
  append_padded (out, _("Billed"), W_COST, TRUE);
  g_string_append (out, "  ");
  append_padded (out, _("Duration"), W_DURATION, TRUE);
  g_string_append_c (out, '\n');
}

static void
append_cell (GString *out,
             const char *raw,
             guint width,
             gboolean right,
             gboolean last)
{
  g_autofree char *clean = sanitize_for_terminal (raw);
  g_autofree char *cut = truncate_to_width (clean, width);

  append_padded (out, cut, last && !right ? 0 : width, right);
  if (!last)
    g_string_append (out, "  ");
}

static void
append_log_row (LogsState *state,
                GString *out,
                TallyUsageLog *log)
{
  const char *raw_time = tally_usage_log_get_created_at_raw (log);
  const char *key_name = tally_usage_log_get_api_key_name (log);
  gint64 api_key_id = tally_usage_log_get_api_key_id (log);
  g_autofree char *time = NULL;
  g_autofree char *key = NULL;
  g_autofree char *input = format_count (tally_usage_log_get_input_tokens (log));
  g_autofree char *output = format_count (tally_usage_log_get_output_tokens (log));
  g_autofree char *cache_w = format_count (tally_usage_log_get_cache_creation_tokens (log));
  g_autofree char *cache_r = format_count (tally_usage_log_get_cache_read_tokens (log));
  g_autofree char *cost = format_cost (tally_usage_log_get_total_cost (log));
  g_autofree char *actual = format_cost (tally_usage_log_get_actual_cost (log));
  g_autofree char *duration = NULL;
  gint64 duration_ms = tally_usage_log_get_duration_ms (log);

  /* the server's wall clock, as sent (server time zone) */
  if (raw_time != NULL && strlen (raw_time) >= 19)
    {
      time = g_strndup (raw_time, 19);
      time[10] = ' ';
    }
  else
    time = g_strdup (raw_time != NULL ? raw_time : "");

  if (key_name == NULL)
    key_name = g_hash_table_lookup (state->key_names, &api_key_id);
  if (key_name != NULL)
    key = g_strdup_printf ("%s (%" G_GINT64_FORMAT ")", key_name, api_key_id);
  else
    /* Translators: an API key that no longer exists */
    key = g_strdup_printf (_("deleted (%" PRId64 ")"), api_key_id);

  duration = tally_format_duration_ms (duration_ms >= 0 ? (double) duration_ms : -1.0);

  append_cell (out, time, W_TIME, FALSE, FALSE);
  append_cell (out, key, W_KEY, FALSE, FALSE);
  append_cell (out, tally_usage_log_get_model (log), W_MODEL, FALSE, FALSE);
  append_cell (out, tally_usage_log_get_stream (log) ? _("stream") : _("sync"), W_TYPE, FALSE, FALSE);
  append_cell (out, input, W_TOKENS, TRUE, FALSE);
  append_cell (out, output, W_TOKENS, TRUE, FALSE);
  append_cell (out, cache_w, W_TOKENS, TRUE, FALSE);
  append_cell (out, cache_r, W_TOKENS, TRUE, FALSE);
  append_cell (out, cost, W_COST, TRUE, FALSE);
  append_cell (out, actual, W_COST, TRUE, FALSE);
  append_cell (out, duration, W_DURATION, TRUE, TRUE);
  g_string_append_c (out, '\n');
}

/* Rows of the snapshot: each once, none newer than the first page, so the
 * trailer's sums are those of the rows printed. */
static gboolean
logs_page_cb (TallyUsageSnapshot *snapshot,
              GListModel *items,
              gpointer user_data)
{
  LogsState *state = user_data;
  Cli *cli = state->cli;
  guint n_items = g_list_model_get_n_items (items);
  g_autoptr (GString) out = g_string_new (NULL);

  if (state->error != NULL)
    return FALSE;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (TallyUsageLog) log = g_list_model_get_item (items, i);

      if (cli->format == FORMAT_JSON)
        {
          if (state->rows > 0)
            g_string_append (out, ",\n");
          json_append_object (out, G_OBJECT (log));
        }
      else
        append_log_row (state, out, log);

      state->rows++;
      state->sum_tokens += tally_usage_log_get_total_tokens (log);
      state->sum_cost += tally_usage_log_get_total_cost (log);
      state->sum_actual_cost += tally_usage_log_get_actual_cost (log);
    }

  if (!write_string (cli, out, &state->error))
    return FALSE;

  return TRUE;
}

static int
run_logs (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) keys_result = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GListModel) keys = NULL;
  g_autoptr (GHashTable) key_names = NULL;
  g_autoptr (GString) head = g_string_new (NULL);
  g_autoptr (GString) tail = g_string_new (NULL);
  GAsyncResult *slot = NULL;
  LogsState state = {
    0,
  };
  guint n_keys;
  int status;

  if (cli->format == FORMAT_CSV)
    return run_report (cli, TALLY_REPORT_LOGS);

  key_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  if (cli->format == FORMAT_TABLE)
    {
      /* names of keys whose rows come without a nested api_key */
      tally_client_list_all_keys_async (cli->client, NULL, store_result_cb, &slot);
      keys_result = wait_result (&slot);
      keys = tally_client_list_all_keys_finish (cli->client, keys_result, &error);
      if (keys == NULL)
        return fail_with_error (cli, error);

      n_keys = g_list_model_get_n_items (keys);
      for (guint i = 0; i < n_keys; i++)
        {
          g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
          gint64 *id = g_new (gint64, 1);

          *id = tally_api_key_get_id (key);
          g_hash_table_replace (key_names, id, g_strdup (tally_api_key_get_name (key)));
        }
    }

  status = open_output (cli);
  if (status != TALLY_CLI_EXIT_OK)
    return status;

  if (cli->format == FORMAT_JSON)
    g_string_append (head, "[\n");
  else
    append_log_header (head);
  if (!write_string (cli, head, &error))
    return fail_with_error (cli, error);

  state.cli = cli;
  state.key_names = key_names;

  tally_usage_snapshot_foreach_async (cli->client, cli->query, LOGS_PAGE_SIZE, LOGS_MAX_IN_FLIGHT,
                                      logs_page_cb, &state, NULL, NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  if (!tally_usage_snapshot_foreach_finish (result, NULL, &error))
    {
      g_clear_error (&state.error);
      return fail_with_error (cli, error);
    }
  if (state.error != NULL)
    {
      status = fail_with_error (cli, state.error);
      g_clear_error (&state.error);
      return status;
    }

  if (cli->format == FORMAT_JSON)
    g_string_append (tail, state.rows > 0 ? "\n]\n" : "]\n");
  else
    {
      g_autofree char *rows = format_count ((gint64) state.rows);
      g_autofree char *tokens = format_count (state.sum_tokens);
      g_autofree char *cost = format_cost (state.sum_cost);
      g_autofree char *actual = format_cost (state.sum_actual_cost);

      g_string_append_printf (tail, _("%s requests, %s tokens, list cost %s, billed %s"),
                                       rows, tokens, cost, actual);
      g_string_append_c (tail, '\n');
    }
  if (!write_string (cli, tail, &error))
    return fail_with_error (cli, error);

  return close_output (cli);
}

/* -------------------------------------------------------------- report */

/* `tally report --pdf --output FILE`: the same one-page summary as the window's Export. */
static int
run_report_pdf (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) me_result = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyUser) user = NULL;
  g_autoptr (GFile) file = NULL;
  GAsyncResult *slot = NULL;

  /* the account line of the header */
  tally_client_get_me_async (cli->client, NULL, store_result_cb, &slot);
  me_result = wait_result (&slot);
  user = tally_client_get_me_finish (cli->client, me_result, &error);
  if (user == NULL)
    return fail_with_error (cli, error);

  file = g_file_new_for_commandline_arg (cli->output);
  tally_report_export_pdf_async (cli->client, cli->query,
                                 tally_client_get_base_url (cli->client),
                                 tally_user_get_email (user),
                                 file, tally_report_pdf_write, NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  if (!tally_report_export_pdf_finish (result, &error))
    return fail_with_error (cli, error);

  return TALLY_CLI_EXIT_OK;
}

/* --------------------------------------------------------------- login */

/* One line from stdin without its line end; NULL at end of input. With
 * @hidden and a terminal, echo is off while typing. The prompt goes to stderr. */
static char *
read_line (const char *prompt,
           gboolean hidden)
{
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved;
  gboolean restore = FALSE;
  char *line = NULL;
  size_t size = 0;
  ssize_t len;

  if (tty)
    {
      fputs (prompt, stderr);
      fflush (stderr);

      if (hidden && tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          struct termios quiet = saved;

          quiet.c_lflag &= ~(tcflag_t) ECHO;
          quiet.c_lflag |= ECHONL;
          restore = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }

  len = getline (&line, &size, stdin);

  if (restore)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);

  if (len < 0)
    {
      free (line);
      return NULL;
    }

  while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    line[--len] = '\0';

  /* hand back GLib memory so that callers can g_free */
  {
    char *copy = g_strdup (line);

    explicit_bzero (line, size);
    free (line);
    return copy;
  }
}

static void
free_secret (char *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

static int
turnstile_required (const char *server_url)
{
  print_error (_("%s needs a browser check (Cloudflare Turnstile) to log in; log in on its web page "
                 "and pass the access token in the TALLY_TOKEN environment variable instead"),
                  server_url);
  return TALLY_CLI_EXIT_AUTH;
}

/* Tencent and Aliyun captchas (API-2026.md §4), worded like Turnstile. */
static int
captcha_required (const char *server_url,
                  const char *reason)
{
  if (g_strcmp0 (reason, "TENCENT_CAPTCHA_VERIFICATION_FAILED") == 0)
    print_error (_("%s asks for a Tencent captcha to log in, which Tally cannot show; log in on its web page "
                   "and pass the access token in the TALLY_TOKEN environment variable instead"),
                    server_url);
  else if (g_strcmp0 (reason, "ALIYUN_CAPTCHA_VERIFICATION_FAILED") == 0)
    print_error (_("%s asks for an Aliyun captcha to log in, which Tally cannot show; log in on its web page "
                   "and pass the access token in the TALLY_TOKEN environment variable instead"),
                    server_url);
  else
    return turnstile_required (server_url);
  return TALLY_CLI_EXIT_AUTH;
}

static int
run_login (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyPublicSettings) settings = NULL;
  g_autoptr (TallyAuthResult) auth = NULL;
  g_autofree char *prompt = NULL;
  const char *base_url;
  char *password;
  GAsyncResult *slot = NULL;
  int status;

  if (cli->server == NULL)
    return usage_error (_("`tally login` needs --server URL"));
  if (cli->email == NULL || cli->email[0] == '\0')
    return usage_error (_("`tally login` needs --email ADDRESS"));

  status = make_client (cli, cli->server);
  if (status != TALLY_CLI_EXIT_OK)
    return status;
  base_url = tally_client_get_base_url (cli->client);

  /* Turnstile needs a browser: say so before asking for a password. */
  tally_client_get_public_settings_async (cli->client, NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  settings = tally_client_get_public_settings_finish (cli->client, result, &error);
  g_clear_object (&result);
  if (settings == NULL)
    {
      if (g_error_matches (error, TALLY_ERROR, TALLY_ERROR_NETWORK)
          || g_error_matches (error, TALLY_ERROR, TALLY_ERROR_TIMEOUT)
          || g_error_matches (error, TALLY_ERROR, TALLY_ERROR_TLS))
        return fail_with_error (cli, error);
      g_clear_error (&error);
    }
  else if (tally_public_settings_get_turnstile_enabled (settings))
    return turnstile_required (base_url);
  else if (tally_public_settings_get_tencent_captcha_enabled (settings))
    return captcha_required (base_url, "TENCENT_CAPTCHA_VERIFICATION_FAILED");
  else if (tally_public_settings_get_aliyun_captcha_enabled (settings))
    return captcha_required (base_url, "ALIYUN_CAPTCHA_VERIFICATION_FAILED");

  /* Translators: the prompt for the password, e.g. "Password for a@b.c on https://x: " */
  prompt = g_strdup_printf (_("Password for %s on %s: "), cli->email, base_url);
  password = read_line (prompt, TRUE);
  if (password == NULL || password[0] == '\0')
    {
      free_secret (password);
      return usage_error (_("no password given"));
    }

  tally_client_login_async (cli->client, cli->email, password, NULL, NULL, store_result_cb, &slot);
  free_secret (password);
  result = wait_result (&slot);
  auth = tally_client_login_finish (cli->client, result, &error);
  g_clear_object (&result);

  if (auth == NULL && g_error_matches (error, TALLY_ERROR, TALLY_ERROR_TWO_FACTOR_REQUIRED))
    {
      g_autofree char *temp_token = g_strdup (tally_client_get_pending_2fa_token (cli->client));
      char *code;

      g_clear_error (&error);
      code = read_line (_("Two-factor code: "), FALSE);
      if (code != NULL)
        g_strstrip (code);
      if (code == NULL || strlen (code) != 6 || strspn (code, "0123456789") != 6)
        {
          free_secret (code);
          return usage_error (_("a two-factor code is 6 digits"));
        }
      if (temp_token == NULL)
        {
          free_secret (code);
          print_error (_("the server asked for a two-factor code but sent no session"));
          return TALLY_CLI_EXIT_SERVER;
        }

      tally_client_login_2fa_async (cli->client, temp_token, code, NULL, store_result_cb, &slot);
      free_secret (code);
      result = wait_result (&slot);
      auth = tally_client_login_2fa_finish (cli->client, result, &error);
      g_clear_object (&result);
    }

  if (auth == NULL)
    {
      if (g_error_matches (error, TALLY_ERROR, TALLY_ERROR_TURNSTILE_REQUIRED))
        return captcha_required (base_url, tally_error_get_reason (error));
      if (g_error_matches (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED)
          || g_error_matches (error, TALLY_ERROR, TALLY_ERROR_INVALID_CREDENTIALS))
        {
          print_error ("%s", error->message);
          return TALLY_CLI_EXIT_AUTH;
        }
      return fail_with_error (cli, error);
    }

  if (tally_client_get_token (cli->client) == NULL)
    {
      print_error (_("the server accepted the login but sent no access token"));
      return TALLY_CLI_EXIT_SERVER;
    }

  {
    g_autoptr (TallyAccount) account = tally_account_new_full (base_url, cli->email, tally_client_get_token (cli->client),
                                                               tally_client_get_refresh_token (cli->client),
                                                               tally_client_get_token_expires_at (cli->client));

    tally_credentials_store_account_async (account, NULL, store_result_cb, &slot);
  }
  result = wait_result (&slot);
  if (!tally_credentials_store_finish (result, &error))
    {
      print_error (_("could not save the token in the keyring: %s"), error->message);
      return TALLY_CLI_EXIT_IO;
    }

  {
    g_autoptr (GString) out = g_string_new (NULL);
    g_autofree char *clean_url = sanitize_for_terminal (base_url);
    g_autofree char *clean_email = sanitize_for_terminal (cli->email);

    g_string_append_printf (out, _("Logged in to %s as %s"), clean_url, clean_email);
    g_string_append_c (out, '\n');
    return write_and_close (cli, out);
  }
}

static int
run_logout (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyAccount) saved = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *server_url = NULL;
  g_autofree char *clean = NULL;
  GAsyncResult *slot = NULL;
  int status;

  if (cli->server != NULL)
    {
      status = make_client (cli, cli->server);
      if (status != TALLY_CLI_EXIT_OK)
        return status;
      server_url = g_strdup (tally_client_get_base_url (cli->client));
    }
  else
    {
      status = lookup_account (NULL, &saved);
      if (status != TALLY_CLI_EXIT_OK)
        return status;
      if (saved == NULL)
        {
          g_string_append (out, _("Not logged in."));
          g_string_append_c (out, '\n');
          return write_and_close (cli, out);
        }
      server_url = g_strdup (saved->server_url);
    }

  if (saved == NULL || g_strcmp0 (saved->server_url, server_url) != 0)
    {
      g_clear_pointer (&saved, tally_account_free);
      status = lookup_account (server_url, &saved);
      if (status != TALLY_CLI_EXIT_OK)
        return status;
    }

  /* The keyring first: it must not wait for a server that is gone. */
  tally_credentials_clear_async (server_url, NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  if (!tally_credentials_clear_finish (result, &error))
    {
      print_error (_("could not remove the token from the keyring: %s"), error->message);
      return TALLY_CLI_EXIT_IO;
    }
  g_clear_object (&result);

  /* Then end the session on the server (today's servers; a few seconds at most). */
  if (saved != NULL && saved->refresh_token != NULL)
    {
      if (cli->client == NULL)
        {
          status = make_client (cli, server_url);
          if (status != TALLY_CLI_EXIT_OK)
            return status;
        }
      tally_client_set_tokens (cli->client, saved->token, saved->refresh_token, saved->expires_at);
      tally_client_logout_async (cli->client, NULL, store_result_cb, &slot);
      result = wait_result (&slot);
      if (!tally_client_logout_finish (cli->client, result, &error))
        print_error (_("warning: the server could not be told to end the session (%s); the login was removed from this computer"),
                        error->message);
    }

  clean = sanitize_for_terminal (server_url);
  g_string_append_printf (out, _("Logged out of %s"), clean);
  g_string_append_c (out, '\n');

  return write_and_close (cli, out);
}

/* ------------------------------------------------------------ arguments */

static int run_help (Cli *cli);

static const CliCommand commands[] = {
  { "login", N_("Log in and keep the access token in the keyring"), OPT_SERVER | OPT_EMAIL, run_login },
    { "logout", N_("Forget the saved access token"), OPT_SERVER, run_logout },
      { "summary", N_("Balance, today's and all-time cost, requests and tokens"), OPT_SERVER | OPT_DEMO | OPT_JSON | OPT_OUTPUT, run_summary },
        { "keys", N_("API keys with today's and total billed cost"), OPT_SERVER | OPT_DEMO | OPT_CSV | OPT_JSON | OPT_OUTPUT, run_keys },
          { "trend", N_("Cost and usage per day or hour"), OPT_SERVER | OPT_DEMO | OPT_RANGE | OPT_GRANULARITY | OPT_CSV | OPT_JSON | OPT_OUTPUT, run_trend },
            { "models", N_("Cost and usage per model"), OPT_SERVER | OPT_DEMO | OPT_RANGE | OPT_CSV | OPT_JSON | OPT_OUTPUT, run_models },
              { "logs", N_("Every request of a filter"), OPT_SERVER | OPT_DEMO | OPT_RANGE | OPT_FILTERS | OPT_CSV | OPT_JSON | OPT_OUTPUT, run_logs },
                { "report", N_("A one-page PDF summary of a range: totals, daily chart, models and keys"), OPT_SERVER | OPT_DEMO | OPT_RANGE | OPT_PDF | OPT_OUTPUT, run_report_pdf },
                  { "help", N_("Show help for a command"), 0, run_help },
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
      N_("The sub2api site (default: the saved account)"), N_("URL") },
      { "demo", 0, 0, G_OPTION_ARG_NONE, &cli->demo,
        N_("Use a built-in demo server with synthetic data"), NULL },
        { "from", 0, 0, G_OPTION_ARG_STRING, &cli->from,
          N_("First server day (default: 7 days ago)"), N_("YYYY-MM-DD") },
          { "to", 0, 0, G_OPTION_ARG_STRING, &cli->to,
            N_("Last server day (default: today)"), N_("YYYY-MM-DD") },
            { "granularity", 0, 0, G_OPTION_ARG_STRING, &cli->granularity_name,
              N_("One row per day or per hour"), N_("day|hour") },
              { "key", 0, 0, G_OPTION_ARG_INT64, &cli->key,
                N_("Only this API key"), N_("ID") },
                { "model", 0, 0, G_OPTION_ARG_STRING, &cli->model,
                  N_("Only this model (exact name)"), N_("MODEL") },
                  { "stream", 0, 0, G_OPTION_ARG_STRING, &cli->stream_name,
                    N_("Only streamed (true) or synchronous (false) requests"), N_("true|false") },
                    { "billing", 0, 0, G_OPTION_ARG_STRING, &cli->billing_name,
                      N_("Only requests billed to the balance or a subscription"), N_("balance|subscription") },
                      { "csv", 0, 0, G_OPTION_ARG_NONE, &cli->csv,
                        N_("Write CSV"), NULL },
                        { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json,
                          N_("Write JSON with the server's field names"), NULL },
                          { "output", 'o', 0, G_OPTION_ARG_FILENAME, &cli->output,
                            N_("Write the CSV or JSON to FILE (atomically) instead of standard output"), N_("FILE") },
                            { "email", 0, 0, G_OPTION_ARG_STRING, &cli->email,
                              N_("The account's e-mail address"), N_("ADDRESS") },
                              { "pdf", 0, 0, G_OPTION_ARG_NONE, &cli->pdf,
                                N_("Write a one-page PDF summary (needs --output)"), NULL },
                             };
  const guint entry_flags[] = {
    OPT_SERVER,
    OPT_DEMO,
    OPT_RANGE,
    OPT_RANGE,
    OPT_GRANULARITY,
    OPT_FILTERS,
    OPT_FILTERS,
    OPT_FILTERS,
    OPT_FILTERS,
    OPT_CSV,
    OPT_JSON,
    OPT_OUTPUT,
    OPT_EMAIL,
    OPT_PDF,
  };
  g_autoptr (GArray) entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  const GOptionEntry help_entry = {
    "help", 'h', 0, G_OPTION_ARG_NONE, &cli->help, N_("Show this help"), NULL
    };
  const GOptionEntry quiet_entry = {
    "quiet", 'q', 0, G_OPTION_ARG_NONE, &cli->quiet,
    N_("Do not report waits for the server’s rate limit on standard error"), NULL
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
  g_option_context_set_summary (context, _(command->summary));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, (const GOptionEntry *) (gpointer) entries->data,
                                     GETTEXT_PACKAGE);

  return context;
}

static void
print_overview (void)
{
  g_autoptr (GString) out = g_string_new (NULL);

  g_string_append (out, _("Usage:\n  tally COMMAND [OPTION…]\n  tally            open the window\n\n"));
  g_string_append (out, _("Commands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (out, "  %-9s%s\n", commands[i].name, _(commands[i].summary));
  g_string_append (out, "\n");
  g_string_append (out, _("Run `tally help COMMAND` or `tally COMMAND --help` for its options.\n"));
  g_string_append (out, _("Exit status: 0 done, 1 bad arguments, 2 authentication, "
                          "3 server or network error, 4 local I/O error.\n"));
  g_string_append (out, _("Environment: TALLY_TOKEN (an access token), TALLY_SERVER.\n"));

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
  print_overview ();
  return TALLY_CLI_EXIT_OK;
}

static int
validate_options (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  GDate from_date;
  GDate to_date;

  if (cli->csv && cli->json)
    return usage_error (_("--csv and --json cannot be combined"));
  cli->format = cli->csv ? FORMAT_CSV : cli->json ? FORMAT_JSON
                                                  : FORMAT_TABLE;

  if ((cli->command->options & OPT_PDF) != 0)
    {
      if (!cli->pdf)
        return usage_error (_("`tally report` needs --pdf (the only report format)"));
      if (cli->output == NULL)
        return usage_error (_("--pdf needs --output FILE"));
    }
  else if (cli->output != NULL && cli->format == FORMAT_TABLE)
    return usage_error (_("--output needs --csv or --json"));
  if (cli->output != NULL && cli->output[0] == '\0')
    return usage_error (_("--output needs a file name"));

  if (cli->demo && cli->server != NULL)
    return usage_error (_("--demo and --server cannot be combined"));

  if (cli->from != NULL && !tally_date_parse (cli->from, &from_date))
    return usage_error (_("invalid date “%s” for --from (expected YYYY-MM-DD)"), cli->from);
  if (cli->to != NULL && !tally_date_parse (cli->to, &to_date))
    return usage_error (_("invalid date “%s” for --to (expected YYYY-MM-DD)"), cli->to);
  if (cli->from != NULL && cli->to != NULL && g_date_compare (&from_date, &to_date) > 0)
    return usage_error (_("--from %s is after --to %s"), cli->from, cli->to);

  cli->granularity = TALLY_GRANULARITY_DAY;
  if (cli->granularity_name != NULL)
    {
      if (g_str_equal (cli->granularity_name, "hour"))
        cli->granularity = TALLY_GRANULARITY_HOUR;
      else if (!g_str_equal (cli->granularity_name, "day"))
        return usage_error (_("--granularity must be day or hour, not “%s”"), cli->granularity_name);
    }

  cli->query = tally_usage_query_new ();
  if (!tally_usage_query_set_range (cli->query, cli->from, cli->to, &error))
    return usage_error ("%s", error->message);

  if (cli->key < 0)
    return usage_error (_("--key must be a positive key id"));
  tally_usage_query_set_api_key_id (cli->query, cli->key);

  if (cli->model != NULL)
    {
      if (cli->model[0] == '\0')
        return usage_error (_("--model needs a model name"));
      tally_usage_query_set_model (cli->query, cli->model);
    }

  if (cli->stream_name != NULL)
    {
      if (g_str_equal (cli->stream_name, "true"))
        tally_usage_query_set_stream (cli->query, TALLY_STREAM_STREAM);
      else if (g_str_equal (cli->stream_name, "false"))
        tally_usage_query_set_stream (cli->query, TALLY_STREAM_SYNC);
      else
        return usage_error (_("--stream must be true or false, not “%s”"), cli->stream_name);
    }

  if (cli->billing_name != NULL)
    {
      if (g_str_equal (cli->billing_name, "balance"))
        tally_usage_query_set_billing (cli->query, TALLY_BILLING_BALANCE);
      else if (g_str_equal (cli->billing_name, "subscription"))
        tally_usage_query_set_billing (cli->query, TALLY_BILLING_SUBSCRIPTION);
      else
        return usage_error (_("--billing must be balance or subscription, not “%s”"), cli->billing_name);
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
  const CliCommand *command;
  int status;

  command = find_command (argv[1]);
  if (command == NULL)
    return usage_error (_("unknown command “%s”; run `tally help`"), argv[1] != NULL ? argv[1] : "");
  cli->command = command;

  if (g_str_equal (command->name, "help"))
    {
      const CliCommand *topic;

      if (argc < 3 || g_str_equal (argv[2], "--help") || g_str_equal (argv[2], "-h"))
        {
          print_overview ();
          return TALLY_CLI_EXIT_OK;
        }
      if (argc > 3)
        return usage_error (_("`tally help` takes one command name"));

      topic = find_command (argv[2]);
      if (topic == NULL)
        return usage_error (_("unknown command “%s”; run `tally help`"), argv[2]);
      if (g_str_equal (topic->name, "help"))
        {
          print_overview ();
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
    return usage_error ("%s", error->message);

  if (cli->help)
    return print_command_help (cli, command);

  if (g_strv_length (args) > 1)
    return usage_error (_("unexpected argument “%s”; run `tally %s --help`"), args[1], command->name);

  status = validate_options (cli);
  if (status != TALLY_CLI_EXIT_OK)
    return status;

  if (command->run != run_login && command->run != run_logout)
    {
      status = cli_connect (cli);
      if (status != TALLY_CLI_EXIT_OK)
        return status;
    }

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

  status = cli_main (&cli, argc, argv);
  wait_for_stores (&cli);
  cli_clear (&cli);

  return status;
}

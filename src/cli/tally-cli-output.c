/* tally-cli-output.c: where the command line writes: stdout or the --output file, tables, CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "tally-csv.h"
#include "tally-report.h"

#include "tally-cli-private.h"

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

gboolean
tally_cli_stdout_is_broken (void)
{
  return stdout_broken;
}

static void
set_stdout_error (GError **error,
                  int errsv)
{
  if (errsv == EPIPE)
    stdout_broken = TRUE;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
               _ ("Could not write to standard output: %s"), g_strerror (errsv));
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

/* ------------------------------------------------------------- utilities */

/* Server text for a terminal: valid UTF-8, without control characters (ESC,
 * CR, BEL, C1) or bidirectional overrides that could rewrite the display. */
char *
tally_cli_sanitize (const char *text)
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
char *
tally_cli_truncate_to_width (const char *text,
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

void
tally_cli_append_padded (GString *out,
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

gboolean
tally_cli_write_string (Cli *cli,
                        GString *text,
                        GError **error)
{
  if (text->len == 0)
    return TRUE;

  return g_output_stream_write_all (cli->out, text->str, text->len, NULL, NULL, error);
}

/* ---------------------------------------------------------------- tables */

Table *
tally_cli_table_new (guint n_columns,
                     guint right_aligned)
{
  Table *table = g_new0 (Table, 1);

  table->n_columns = n_columns;
  table->right_aligned = right_aligned;
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  return table;
}

void
tally_cli_table_free (Table *table)
{
  g_ptr_array_unref (table->rows);
  g_free (table);
}

/* Adds a row of @n_columns cells; takes ownership of none of them. */
void
tally_cli_table_add_row (Table *table,
                         const char *first,
                         ...)
{
  char **row = g_new0 (char *, table->n_columns + 1);
  va_list args;

  va_start (args, first);
  for (guint i = 0; i < table->n_columns; i++)
    {
      const char *cell = i == 0 ? first : va_arg (args, const char *);

      row[i] = tally_cli_sanitize (cell);
    }
  va_end (args);

  g_ptr_array_add (table->rows, row);
}

void
tally_cli_table_render (Table *table,
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
          tally_cli_append_padded (out, row[i], widths[i], (table->right_aligned & (1u << i)) != 0);
        }

      /* no trailing blanks */
      while (out->len > line_start && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
    }
}

/* ------------------------------------------------------------ the output */

/* Opens where --csv/--json/table output goes: the --output file (atomically) or stdout. */
int
tally_cli_open_output (Cli *cli)
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
        return tally_cli_fail_with_error (cli, error);
      cli->out = g_object_ref (cli->atomic);
    }

  return TALLY_CLI_EXIT_OK;
}

/* Commits the --output file, or flushes stdout. */
int
tally_cli_close_output (Cli *cli)
{
  g_autoptr (GError) error = NULL;

  if (cli->atomic != NULL)
    {
      g_autoptr (GOutputStream) atomic = g_steal_pointer (&cli->atomic);

      if (!tally_atomic_file_commit (atomic, NULL, &error))
        return tally_cli_fail_with_error (cli, error);
      return TALLY_CLI_EXIT_OK;
    }

  if (cli->out != NULL && !g_output_stream_flush (cli->out, NULL, &error))
    return tally_cli_fail_with_error (cli, error);

  return TALLY_CLI_EXIT_OK;
}

int
tally_cli_write_and_close (Cli *cli,
                           GString *text)
{
  g_autoptr (GError) error = NULL;
  int status;

  status = tally_cli_open_output (cli);
  if (status != TALLY_CLI_EXIT_OK)
    return status;

  if (!tally_cli_write_string (cli, text, &error))
    return tally_cli_fail_with_error (cli, error);

  return tally_cli_close_output (cli);
}

/* --csv: the report module, into --output (atomically) or onto stdout */
int
tally_cli_run_csv_report (Cli *cli,
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
                                     NULL, NULL, NULL, tally_cli_store_result_cb, &slot);
      result = tally_cli_wait_result (&slot);
      ok = tally_report_export_csv_finish (result, &error);
    }
  else
    {
      cli->out = g_object_new (CLI_TYPE_STDOUT_STREAM, NULL);
      tally_report_write_csv_async (cli->client, kind, cli->query, cli->granularity, cli->out,
                                    NULL, NULL, NULL, tally_cli_store_result_cb, &slot);
      result = tally_cli_wait_result (&slot);
      ok = tally_report_write_csv_finish (result, &error);
    }

  if (!ok)
    return tally_cli_fail_with_error (cli, error);

  return tally_cli_close_output (cli);
}

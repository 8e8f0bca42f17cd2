/* tally-csv.c: RFC 4180 CSV writing and parsing, and atomic file output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-csv"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tally-csv.h"
#include "tally-error.h"
#include "tally-format.h"

#define FLUSH_THRESHOLD (64 * 1024)

struct _TallyCsvWriter
{
  GOutputStream *stream;
  GString *buffer;
  guint n_cells;
};

/* ---------------------------------------------------------------- writer */

static inline gboolean
needs_formula_guard (const char *cell)
{
  switch (cell[0])
    {
      case '=':
      case '+':
      case '-':
      case '@':
      case '\t':
      case '\r':
        return TRUE;
      default:
        return FALSE;
    }
}

static void
append_escaped (GString *out,
                const char *cell)
{
  gsize len;
  gboolean guard;

  if (cell == NULL || cell[0] == '\0')
    return;

  len = strlen (cell);
  guard = needs_formula_guard (cell);

  if (strcspn (cell, ",\"\r\n") == len)
    {
      if (guard)
        g_string_append_c (out, '\'');
      g_string_append_len (out, cell, (gssize) len);
      return;
    }

  g_string_append_c (out, '"');
  if (guard)
    g_string_append_c (out, '\'');
  for (const char *p = cell; *p;)
    {
      const char *quote = strchr (p, '"');

      if (quote == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, quote - p + 1);
      g_string_append_c (out, '"');
      p = quote + 1;
    }
  g_string_append_c (out, '"');
}

static void
append_int (GString *out,
            gint64 value)
{
  char digits[24];
  int n = 0;
  guint64 magnitude;

  if (value < 0)
    {
      g_string_append_c (out, '-');
      magnitude = (guint64) (-(value + 1)) + 1;
    }
  else
    {
      magnitude = (guint64) value;
    }

  do
    {
      digits[n++] = (char) ('0' + (magnitude % 10));
      magnitude /= 10;
    }
  while (magnitude > 0);

  while (n > 0)
    g_string_append_c (out, digits[--n]);
}

static inline void
begin_cell (TallyCsvWriter *writer)
{
  if (writer->n_cells++ > 0)
    g_string_append_c (writer->buffer, ',');
}

TallyCsvWriter *
tally_csv_writer_new (GOutputStream *stream)
{
  TallyCsvWriter *writer;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  writer = g_new0 (TallyCsvWriter, 1);
  writer->stream = g_object_ref (stream);
  writer->buffer = g_string_sized_new (FLUSH_THRESHOLD + 4096);

  return writer;
}

void
tally_csv_writer_free (TallyCsvWriter *writer)
{
  if (writer == NULL)
    return;

  g_clear_object (&writer->stream);
  g_string_free (writer->buffer, TRUE);
  g_free (writer);
}

void
tally_csv_writer_add (TallyCsvWriter *writer,
                      const char *cell)
{
  g_return_if_fail (writer != NULL);

  begin_cell (writer);
  append_escaped (writer->buffer, cell);
}

void
tally_csv_writer_add_int (TallyCsvWriter *writer,
                          gint64 value)
{
  g_return_if_fail (writer != NULL);

  begin_cell (writer);
  append_int (writer->buffer, value);
}

void
tally_csv_writer_add_nullable_int (TallyCsvWriter *writer,
                                   gint64 value)
{
  g_return_if_fail (writer != NULL);

  begin_cell (writer);
  if (value >= 0)
    append_int (writer->buffer, value);
}

void
tally_csv_writer_add_double (TallyCsvWriter *writer,
                             double value)
{
  g_autofree char *text = NULL;

  g_return_if_fail (writer != NULL);

  begin_cell (writer);
  text = tally_format_number_exact (value);
  g_string_append (writer->buffer, text);
}

static gboolean
write_buffer (TallyCsvWriter *writer,
              GCancellable *cancellable,
              GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (writer->buffer->len == 0)
    return TRUE;

  if (!g_output_stream_write_all (writer->stream,
                                  writer->buffer->str, writer->buffer->len,
                                  NULL, cancellable, &local_error))
    {
      g_string_truncate (writer->buffer, 0);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TALLY_ERROR, TALLY_ERROR_IO,
                     _ ("Could not write the CSV data: %s"), local_error->message);
      return FALSE;
    }

  g_string_truncate (writer->buffer, 0);
  return TRUE;
}

gboolean
tally_csv_writer_end_row (TallyCsvWriter *writer,
                          GCancellable *cancellable,
                          GError **error)
{
  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_string_append_len (writer->buffer, "\r\n", 2);
  writer->n_cells = 0;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (writer->buffer->len >= FLUSH_THRESHOLD)
    return write_buffer (writer, cancellable, error);

  return TRUE;
}

gboolean
tally_csv_writer_flush (TallyCsvWriter *writer,
                        GCancellable *cancellable,
                        GError **error)
{
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!write_buffer (writer, cancellable, error))
    return FALSE;

  if (!g_output_stream_flush (writer->stream, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TALLY_ERROR, TALLY_ERROR_IO,
                     _ ("Could not write the CSV data: %s"), local_error->message);
      return FALSE;
    }

  return TRUE;
}

char *
tally_csv_escape_cell (const char *cell)
{
  GString *out = g_string_new (NULL);

  append_escaped (out, cell);

  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------- parser */

static void
finish_row (GPtrArray *rows,
            GPtrArray **row)
{
  g_ptr_array_add (*row, NULL);
  g_ptr_array_add (rows, g_ptr_array_free (*row, FALSE));
  *row = NULL;
}

GPtrArray *
tally_csv_parse (const char *text,
                 gsize len,
                 GError **error)
{
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) row = NULL;
  g_autoptr (GString) cell = NULL;
  const char *p = text;
  const char *end;
  guint line = 1;

  g_return_val_if_fail (text != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  if (len == 0)
    return g_steal_pointer (&rows);

  if (!g_utf8_validate (text, (gssize) len, NULL))
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                   _ ("The CSV text is not valid UTF-8"));
      return NULL;
    }

  end = text + len;
  if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  if (p == end)
    return g_steal_pointer (&rows);

  cell = g_string_new (NULL);

  for (;;)
    {
      if (row == NULL)
        row = g_ptr_array_new_with_free_func (g_free);
      g_string_truncate (cell, 0);

      if (p < end && *p == '"')
        {
          guint start_line = line;

          p++;
          for (;;)
            {
              const char *q;

              if (p == end)
                {
                  g_set_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                               _ ("CSV line %u: a quoted cell is not terminated"), start_line);
                  return NULL;
                }

              q = memchr (p, '"', (gsize) (end - p));
              if (q == NULL)
                q = end;
              for (const char *c = p; c < q; c++)
                {
                  if (*c == '\n')
                    line++;
                }
              g_string_append_len (cell, p, q - p);
              p = q;
              if (p == end)
                continue;

              /* p is at a quote */
              if (p + 1 < end && p[1] == '"')
                {
                  g_string_append_c (cell, '"');
                  p += 2;
                  continue;
                }
              p++;
              break;
            }

          if (p < end && *p != ',' && *p != '\r' && *p != '\n')
            {
              g_set_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                           _ ("CSV line %u: unexpected text after a closing quote"), line);
              return NULL;
            }
        }
      else
        {
          const char *start = p;

          while (p < end && *p != ',' && *p != '\r' && *p != '\n')
            {
              if (*p == '"')
                {
                  g_set_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                               _ ("CSV line %u: a quote inside an unquoted cell"), line);
                  return NULL;
                }
              p++;
            }
          g_string_append_len (cell, start, p - start);
        }

      g_ptr_array_add (row, g_strndup (cell->str, cell->len));

      if (p == end)
        {
          finish_row (rows, &row);
          break;
        }

      if (*p == ',')
        {
          p++;
          continue;
        }

      /* CRLF, LF or a lone CR ends the row */
      if (*p == '\r')
        p++;
      if (p < end && *p == '\n')
        p++;
      line++;
      finish_row (rows, &row);
      if (p == end)
        break;
    }

  return g_steal_pointer (&rows);
}

/* ---------------------------------------------------------------- atomic files */

typedef struct
{
  GFile *target;
  GFile *tmp;
} AtomicFile;

static GQuark
atomic_file_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("tally-atomic-file");
  return quark;
}

static void
atomic_file_free (AtomicFile *af)
{
  /* Reached from the stream's finalize when neither commit nor abort ran:
   * the fd is closed by then, so the temporary file can go. */
  if (af->tmp != NULL)
    g_file_delete (af->tmp, NULL, NULL);
  g_clear_object (&af->tmp);
  g_clear_object (&af->target);
  g_free (af);
}

static void
set_io_error (GError **error,
              GError *local_error,
              GFile *target)
{
  g_autofree char *name = NULL;

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, local_error);
      return;
    }

  name = g_file_get_parse_name (target);
  g_set_error (error, TALLY_ERROR, TALLY_ERROR_IO,
               _ ("Could not write “%s”: %s"), name, local_error->message);
  g_error_free (local_error);
}

GOutputStream *
tally_atomic_file_open (GFile *target,
                        GCancellable *cancellable,
                        GError **error)
{
  g_autoptr (GFile) parent = NULL;
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GFileOutputStream) out = NULL;
  g_autoptr (GFile) tmp = NULL;
  GError *local_error = NULL;
  guint32 mode = 0;
  AtomicFile *af;

  g_return_val_if_fail (G_IS_FILE (target), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parent = g_file_get_parent (target);
  if (parent == NULL)
    {
      set_io_error (error,
                    g_error_new_literal (G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, _ ("Is a directory")),
                    target);
      return NULL;
    }

  info = g_file_query_info (target,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_UNIX_MODE,
                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                            cancellable, &local_error);
  if (info == NULL)
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          set_io_error (error, local_error, target);
          return NULL;
        }
      g_clear_error (&local_error);
    }
  else if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      set_io_error (error,
                    g_error_new_literal (G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, _ ("Is a directory")),
                    target);
      return NULL;
    }
  else if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_UNIX_MODE))
    {
      mode = g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE) & 07777;
    }

  for (guint attempt = 0; out == NULL; attempt++)
    {
      static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
      char name[32] = ".tally-export-XXXXXX.tmp";

      for (guint i = 14; i < 20; i++)
        name[i] = alphabet[g_random_int_range (0, (gint32) (sizeof alphabet - 1))];

      g_clear_object (&tmp);
      tmp = g_file_get_child (parent, name);
      out = g_file_create (tmp, G_FILE_CREATE_NONE, cancellable, &local_error);
      if (out != NULL)
        break;

      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS) || attempt >= 100)
        {
          set_io_error (error, local_error, target);
          return NULL;
        }
      g_clear_error (&local_error);
    }

  if (mode != 0)
    g_file_set_attribute_uint32 (tmp, G_FILE_ATTRIBUTE_UNIX_MODE, mode,
                                 G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  af = g_new0 (AtomicFile, 1);
  af->target = g_object_ref (target);
  af->tmp = g_steal_pointer (&tmp);
  g_object_set_qdata_full (G_OBJECT (out), atomic_file_quark (), af,
                           (GDestroyNotify) atomic_file_free);

  return G_OUTPUT_STREAM (g_steal_pointer (&out));
}

gboolean
tally_atomic_file_commit (GOutputStream *stream,
                          GCancellable *cancellable,
                          GError **error)
{
  AtomicFile *af;
  GError *local_error = NULL;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  af = g_object_steal_qdata (G_OBJECT (stream), atomic_file_quark ());
  g_return_val_if_fail (af != NULL, FALSE);

  if (!g_output_stream_is_closed (stream) && !g_output_stream_close (stream, cancellable, &local_error))
    goto fail;

  if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
    goto fail;

  /* A rename within one directory: the target is replaced in one step. */
  if (!g_file_move (af->tmp, af->target,
                    G_FILE_COPY_OVERWRITE | G_FILE_COPY_NOFOLLOW_SYMLINKS,
                    NULL, NULL, NULL, &local_error))
    goto fail;

  g_clear_object (&af->tmp);
  atomic_file_free (af);
  return TRUE;

fail:
  set_io_error (error, local_error, af->target);
  atomic_file_free (af);
  return FALSE;
}

void
tally_atomic_file_abort (GOutputStream *stream)
{
  AtomicFile *af;

  g_return_if_fail (G_IS_OUTPUT_STREAM (stream));

  af = g_object_steal_qdata (G_OBJECT (stream), atomic_file_quark ());
  if (af == NULL)
    return;

  if (!g_output_stream_is_closed (stream))
    g_output_stream_close (stream, NULL, NULL);

  atomic_file_free (af);
}

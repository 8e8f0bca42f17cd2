/* tally-csv.h: RFC 4180 CSV writing and parsing, and atomic file output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A buffered CSV writer on a GOutputStream (it keeps a ref). Cells are
 * appended to the current row with the _add functions; end_row() terminates
 * the row with CRLF and writes the buffer to the stream once it holds about
 * 64 KiB. flush() writes what is left (call it before closing the stream).
 *
 * Encoding rules (RFC 4180): cells containing ',' '"' CR or LF are quoted,
 * '"' is doubled, rows end with CRLF, UTF-8, no BOM.
 * Formula guard: a text cell (tally_csv_writer_add) whose first character is
 * '=', '+', '-', '@', TAB or CR is prefixed with "'" (so "-1" from a text
 * column becomes "'-1"). Numbers written with _add_int / _add_nullable_int /
 * _add_double are never guarded.
 * Write errors are TALLY_ERROR_IO; cancellation is G_IO_ERROR_CANCELLED. */
typedef struct _TallyCsvWriter TallyCsvWriter;

TallyCsvWriter *tally_csv_writer_new (GOutputStream *stream);
/* Frees the writer without writing anything that is still buffered. */
void tally_csv_writer_free (TallyCsvWriter *writer);

/* Text cell; NULL → empty */
void tally_csv_writer_add (TallyCsvWriter *writer,
                           const char *cell);
void tally_csv_writer_add_int (TallyCsvWriter *writer,
                               gint64 value);
/* value < 0 → empty cell (null) */
void tally_csv_writer_add_nullable_int (TallyCsvWriter *writer,
                                        gint64 value);
/* tally_format_number_exact(); NAN/INF → empty cell */
void tally_csv_writer_add_double (TallyCsvWriter *writer,
                                  double value);

gboolean tally_csv_writer_end_row (TallyCsvWriter *writer,
                                   GCancellable *cancellable,
                                   GError **error);
/* Writes everything buffered and flushes the stream. */
gboolean tally_csv_writer_flush (TallyCsvWriter *writer,
                                 GCancellable *cancellable,
                                 GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TallyCsvWriter, tally_csv_writer_free)

/* One text cell as it would be written (formula guard + quoting). NULL → "". */
char *tally_csv_escape_cell (const char *cell);

/* Parses RFC 4180 text (UTF-8; rows end with CRLF or LF; a leading UTF-8 BOM
 * is skipped; a final line break does not start a new row). Returns a
 * GPtrArray (free function g_strfreev) of rows, each a NULL-terminated GStrv of
 * cells, or NULL with TALLY_ERROR_INVALID_ARGUMENT for invalid UTF-8, an
 * unterminated quoted cell, a '"' inside an unquoted cell, or text after a
 * closing quote. Cells are returned as written (a guard "'" is kept). */
GPtrArray *tally_csv_parse (const char *text,
                            gsize len,
                            GError **error);

/* Atomic output to @target: writes to a new temporary file next to it
 * (".tally-export-XXXXXX.tmp" in the same directory). Until commit the target
 * is untouched (an existing file stays byte-identical, a new one does not
 * appear). The mode of an existing target is kept. Errors: TALLY_ERROR_IO
 * (the message names the file), or G_IO_ERROR_CANCELLED. */
GOutputStream *tally_atomic_file_open (GFile *target,
                                       GCancellable *cancellable,
                                       GError **error);
/* Closes the stream and renames the temporary file over the target. On
 * failure the temporary file is removed and the target is untouched. */
gboolean tally_atomic_file_commit (GOutputStream *stream,
                                   GCancellable *cancellable,
                                   GError **error);
/* Closes the stream and removes the temporary file; the target is untouched.
 * A no-op after commit, so it can be called unconditionally on cleanup.
 * (Dropping the last ref without commit or abort also removes the temporary file.) */
void tally_atomic_file_abort (GOutputStream *stream);

G_END_DECLS

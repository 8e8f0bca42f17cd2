/* tally-report-pdf.h: the one-page PDF usage summary (libtally-draw, no GTK)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One A4 page drawn with Cairo's PDF surface and PangoCairo (text stays
 * selectable; cairo embeds the font subsets): a header with the server,
 * account, range and server time zone; the totals billed and at list price
 * with the group multiplier explained; the daily trend chart (the dashboard's
 * own drawing code, light palette); the model and key tables.
 *
 * Only the layout lives here: core fetches the figures into a
 * TallyReportPdfData (tally-report-pdf-data.h). `tally report --pdf` and the
 * window's Export dialog run tally_report_export_pdf_async() with
 * tally_report_pdf_write().
 */

#pragma once

#include <gio/gio.h>

#include "tally-report-pdf-data.h"

G_BEGIN_DECLS

/* Lays out @data on one page and writes the document to @out (it does not
 * close it). A TallyReportPdfWriteFunc. Errors: TALLY_ERROR_IO. */
gboolean tally_report_pdf_write (TallyReportPdfData *data,
                                 GOutputStream *out,
                                 GError **error);

/* How many texts the page draws shorter than they are (ellipsized: a name
 * longer than two lines of its column, a header that does not fit). For
 * tests: cairo's PDF text keeps the whole string, so pdftotext cannot tell. */
guint tally_report_pdf_count_cut_texts (TallyReportPdfData *data);

G_END_DECLS

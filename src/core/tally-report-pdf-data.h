/* tally-report-pdf-data.h: the figures of the one-page PDF summary (libtally-core)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Core fetches what the PDF report shows into one TallyReportPdfData; the
 * drawing library lays it out (draw/tally-report-pdf.h: tally_report_pdf_write())
 * and never talks to the server. tally_report_export_pdf_async() is the whole
 * export that `tally report --pdf` and the window's Export dialog run: it takes
 * the drawing function as a TallyReportPdfWriteFunc, since core does not link
 * libtally-draw.
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"
#include "tally-server-zone.h"

G_BEGIN_DECLS

#define TALLY_TYPE_REPORT_PDF_DATA (tally_report_pdf_data_get_type ())

G_DECLARE_FINAL_TYPE (TallyReportPdfData, tally_report_pdf_data, TALLY, REPORT_PDF_DATA, GObject)

/* Fetches, for the range of @query (NULL dates = the server's default range,
 * 8 days including today): the daily trend, /usage/stats for the range, the
 * model breakdown, every key with its own /usage/stats for the range, one
 * usage row to learn the server's UTC offset, and /settings/public for the
 * server's zone (best effort).
 *
 * The summary always covers every key of the account (the S server cannot
 * filter the trend or the model breakdown by key, model, stream or billing
 * type); the other filters of @query are ignored.
 *
 * @server_label, @account_label: plain text for the header (NULL = "—"),
 * kept as given.
 *
 * Errors: a TALLY_ERROR from the server (the first one, once every request
 * has finished), G_IO_ERROR_CANCELLED (a cancel that comes after every
 * request has answered may still give the data). */
void tally_report_pdf_data_gather_async (TallyClient *client,
                                         const TallyUsageQuery *query,
                                         const char *server_label,
                                         const char *account_label,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
TallyReportPdfData *tally_report_pdf_data_gather_finish (GAsyncResult *result,
                                                         GError **error);

const char *tally_report_pdf_data_get_server_label (TallyReportPdfData *self);
const char *tally_report_pdf_data_get_account_label (TallyReportPdfData *self);
/* The range the server resolved, "YYYY-MM-DD" (server days). */
const char *tally_report_pdf_data_get_start_date (TallyReportPdfData *self);
const char *tally_report_pdf_data_get_end_date (TallyReportPdfData *self);
/* A TallyTrendPoint per day of the range, zero-filled. */
GListModel *tally_report_pdf_data_get_days (TallyReportPdfData *self);
/* /usage/stats of the range: every key's usage, deleted keys' too. */
TallyUsageStats *tally_report_pdf_data_get_totals (TallyReportPdfData *self);
/* A TallyModelStat per model, in the server's order. */
GListModel *tally_report_pdf_data_get_models (TallyReportPdfData *self);
/* The account's keys, highest billed cost in the range first (then by id). */
guint tally_report_pdf_data_get_n_keys (TallyReportPdfData *self);
TallyApiKey *tally_report_pdf_data_get_key (TallyReportPdfData *self,
                                            guint index);
TallyUsageStats *tally_report_pdf_data_get_key_stats (TallyReportPdfData *self,
                                                      guint index);
/* The usage of deleted keys: the totals less the sum of the keys (each ≥ 0),
 * by the rule of the window and `tally keys` (tally_deleted_keys()) applied
 * to the billed cost. Returns whether there is such a row. */
gboolean tally_report_pdf_data_get_deleted_keys (TallyReportPdfData *self,
                                                 gint64 *requests,
                                                 gint64 *tokens,
                                                 double *cost,
                                                 double *actual_cost);
/* The zone /settings/public names (servers since Jul 2026), or NULL. */
TallyServerZone *tally_report_pdf_data_get_zone (TallyReportPdfData *self);
/* The server's wall-clock time when the data was gathered ("YYYY-MM-DD
 * HH:MM": our clock corrected by its Date header), NULL when neither its zone
 * nor its offset is known. */
char *tally_report_pdf_data_format_server_now (TallyReportPdfData *self);
/* Older servers: the UTC offset of the newest usage row, in seconds. Returns
 * FALSE when the log had no row to tell it. */
gboolean tally_report_pdf_data_get_utc_offset (TallyReportPdfData *self,
                                               int *offset);

/* Lays out @data and writes the document to @out; on failure sets a
 * TALLY_ERROR_IO. */
typedef gboolean (*TallyReportPdfWriteFunc) (TallyReportPdfData *data,
                                             GOutputStream *out,
                                             GError **error);

/* Opens @target through tally_atomic_file_* (a target that cannot be written
 * fails before any request), gathers the data as
 * tally_report_pdf_data_gather_async() does, and writes it with @write_func
 * (tally_report_pdf_write()). @target appears (or is replaced) only when the
 * whole document was written; on failure or cancellation (also while
 * writing) an existing file is untouched and no new one appears.
 *
 * Errors: a TALLY_ERROR from the server, TALLY_ERROR_IO for the file,
 * G_IO_ERROR_CANCELLED. */
void tally_report_export_pdf_async (TallyClient *client,
                                    const TallyUsageQuery *query,
                                    const char *server_label,
                                    const char *account_label,
                                    GFile *target,
                                    TallyReportPdfWriteFunc write_func,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
gboolean tally_report_export_pdf_finish (GAsyncResult *result,
                                         GError **error);

G_END_DECLS

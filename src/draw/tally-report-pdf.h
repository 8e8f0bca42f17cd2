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
 * Shared by `tally report --pdf` and the window's Export dialog.
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

/* Fetches, for the range of @query (NULL dates = the server's default range,
 * 8 days including today): the daily trend, /usage/stats for the range, the
 * model breakdown, every key with its own /usage/stats for the range, and one
 * usage row to learn the server's UTC offset; then writes the page into
 * @target through tally_atomic_file_*: @target appears (or is replaced) only
 * when the whole page was written; on failure or cancellation an existing
 * file is untouched and no new one appears.
 *
 * The summary always covers every key of the account (the S server cannot
 * filter the trend or the model breakdown by key, model, stream or billing
 * type); the other filters of @query are ignored.
 *
 * @server_label, @account_label: plain text for the header (NULL = "—").
 *
 * Errors: a TALLY_ERROR from the server, TALLY_ERROR_IO for the file,
 * G_IO_ERROR_CANCELLED. */
void tally_report_pdf_export_async (TallyClient *client,
                                    const TallyUsageQuery *query,
                                    const char *server_label,
                                    const char *account_label,
                                    GFile *target,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
gboolean tally_report_pdf_export_finish (GAsyncResult *result,
                                         GError **error);

G_END_DECLS

/* tally-report.h: CSV reports (request log, daily, by model, by key) streamed from the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same code path serves the CLI (`tally logs --csv`) and the window's Export.
 * Columns (DESIGN.md §4), header row always first, RFC 4180 through TallyCsvWriter:
 *   LOGS:   id,created_at,api_key_id,api_key_name,model,stream,billing_type,input_tokens,
 *           output_tokens,cache_creation_tokens,cache_read_tokens,total_tokens,total_cost,
 *           actual_cost,rate_multiplier,duration_ms,first_token_ms,request_id
 *   DAILY:  date,requests,input_tokens,output_tokens,cache_tokens,total_tokens,cost,actual_cost
 *   MODELS: model,requests,input_tokens,output_tokens,total_tokens,cost,actual_cost
 *   KEYS:   api_key_id,name,status,today_actual_cost,total_actual_cost
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

typedef enum
{
  TALLY_REPORT_LOGS,
  TALLY_REPORT_DAILY,
  TALLY_REPORT_MODELS,
  TALLY_REPORT_KEYS,
} TallyReportKind;

/* Called in the caller's main context after each page (LOGS) or once when the
 * data is in (the other kinds): @rows written so far, @pages fetched so far. */
typedef void (*TallyReportProgress) (guint64 rows,
                                     guint pages,
                                     gpointer user_data);

/* Writes the report to @stream (which is flushed, not closed).
 *
 * @query: the filter (NULL = everything). LOGS honours all of it. DAILY and
 *   MODELS use its dates (NULL = the server's default range, 8 days incl. today);
 *   when it also filters by key, model, stream or billing type (which the S
 *   dashboard endpoints cannot do) those rows are paged from /usage and summed
 *   here instead. KEYS ignores it.
 * @granularity: DAILY only (one row per day, or per hour over whole days).
 *
 * Cancellation gives G_IO_ERROR_CANCELLED; server failures a TALLY_ERROR; a
 * failed write TALLY_ERROR_IO (from TallyCsvWriter). */
void tally_report_write_csv_async (TallyClient *client,
                                   TallyReportKind kind,
                                   const TallyUsageQuery *query,
                                   TallyGranularity granularity,
                                   GOutputStream *stream,
                                   TallyReportProgress progress,
                                   gpointer progress_data,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data);
gboolean tally_report_write_csv_finish (GAsyncResult *result,
                                        GError **error);

/* Same, into @target through tally_atomic_file_*: @target appears (or is
 * replaced) only when the whole report was written; a failed or cancelled
 * export leaves an existing file untouched and creates no new one. */
void tally_report_export_csv_async (TallyClient *client,
                                    TallyReportKind kind,
                                    const TallyUsageQuery *query,
                                    TallyGranularity granularity,
                                    GFile *target,
                                    TallyReportProgress progress,
                                    gpointer progress_data,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
gboolean tally_report_export_csv_finish (GAsyncResult *result,
                                         GError **error);

/* The header row of @kind as a NULL-terminated array of static strings. */
const char *const *tally_report_get_columns (TallyReportKind kind);

G_END_DECLS

/* tally-export-dialog.h: export the request log, summaries (CSV) or a PDF summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tally-session.h"

G_BEGIN_DECLS

/**
 * TallyExportKind:
 * @TALLY_EXPORT_LOGS: the request log (CSV)
 * @TALLY_EXPORT_DAILY: one row per day (CSV)
 * @TALLY_EXPORT_MODELS: one row per model (CSV)
 * @TALLY_EXPORT_KEYS: one row per API key (CSV)
 * @TALLY_EXPORT_PDF: the one-page summary report (PDF)
 *
 * The order of the kind row's choices. The CSV kinds have the values of
 * TallyReportKind.
 */
typedef enum
{
  TALLY_EXPORT_LOGS,
  TALLY_EXPORT_DAILY,
  TALLY_EXPORT_MODELS,
  TALLY_EXPORT_KEYS,
  TALLY_EXPORT_PDF,
} TallyExportKind;

#define TALLY_TYPE_EXPORT_DIALOG (tally_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TallyExportDialog, tally_export_dialog, TALLY, EXPORT_DIALOG, AdwWindow)

/* @parent: may be NULL. @query: the view's filter, COPIED now (frozen: later
 * changes of the view never reach this export). NULL = everything. */
TallyExportDialog *tally_export_dialog_new (GtkWindow *parent,
                                            TallySession *session,
                                            const TallyUsageQuery *query);

const TallyUsageQuery *tally_export_dialog_get_query (TallyExportDialog *self);
TallyExportKind tally_export_dialog_get_kind (TallyExportDialog *self);
void tally_export_dialog_set_kind (TallyExportDialog *self,
                                   TallyExportKind kind);
/* The target chosen with the save dialog (or set by tests); NULL until then. */
GFile *tally_export_dialog_get_file (TallyExportDialog *self);
void tally_export_dialog_set_file (TallyExportDialog *self,
                                   GFile *file);
/* The save dialog that Export ("export.start") opens, while it is open, or
 * NULL; accepting it sets the file and starts the export. For tests. */
GtkFileChooser *tally_export_dialog_get_chooser (TallyExportDialog *self);
/* Property "running": TRUE while an export is in progress. */
gboolean tally_export_dialog_get_running (TallyExportDialog *self);
/* The progress text, e.g. "12,300 rows, 123 pages". */
const char *tally_export_dialog_get_progress_text (TallyExportDialog *self);
/* The error shown in the dialog after a failed export, or NULL. */
const char *tally_export_dialog_get_error_text (TallyExportDialog *self);

/* Starts the export to the file set (the save dialog's accept); needs a file. */
void tally_export_dialog_start (TallyExportDialog *self);
/* Cancels a running export: no file is written, an existing one is untouched. */
void tally_export_dialog_cancel (TallyExportDialog *self);

/* "tally-usage-2026-01-01_to_2026-01-31.csv", "tally-daily-…", "tally-models-…",
 * "tally-keys-…", "tally-summary-….pdf"; "…-all.csv" without dates. */
char *tally_export_dialog_default_name (TallyExportKind kind,
                                        const char *start_date,
                                        const char *end_date);

/* win.export: creates the dialog for @query (copied) and presents it modal
 * and transient for @parent. Returns the dialog (owned by GTK until it is
 * closed): its "done" signal (GFile *) tells the caller, e.g. to show
 * tally_export_dialog_new_done_toast(). Failures are shown in the dialog
 * itself. */
TallyExportDialog *tally_export_dialog_present (GtkWindow *parent,
                                                TallySession *session,
                                                const TallyUsageQuery *query);

/* The toast of a finished export: "Exported “NAME”" with an "Open" button
 * that opens @file with gtk_show_uri (transient for @parent). Floating: add
 * it to an AdwToastOverlay or sink it. */
AdwToast *tally_export_dialog_new_done_toast (GtkWindow *parent,
                                              GFile *file);

G_END_DECLS

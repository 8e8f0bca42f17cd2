/* tally-log-row.h: one position of a TallyLogList; a placeholder until its page arrives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows exist before their data: a view binds to "log" and "loaded", which
 * change (with notify) when the row's page is decoded. A row keeps its log
 * after the list evicts the page, so a widget still bound to it keeps showing
 * the data; the list itself forgets evicted rows and makes new ones on demand.
 */

#pragma once

#include <glib-object.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_LOG_ROW (tally_log_row_get_type ())

G_DECLARE_FINAL_TYPE (TallyLogRow, tally_log_row, TALLY, LOG_ROW, GObject)

/* Property "position" (guint): the row's position in the list when it was made. */
guint tally_log_row_get_position (TallyLogRow *self);
/* Property "log": the usage log, or NULL while the row's page is loading. */
TallyUsageLog *tally_log_row_get_log (TallyLogRow *self);
/* Property "loaded": TRUE once "log" is set. */
gboolean tally_log_row_get_loaded (TallyLogRow *self);

/* For TallyLogList and TallySortedLog only. */
TallyLogRow *_tally_log_row_new (guint position,
                                 TallyUsageLog *log);
void _tally_log_row_set_log (TallyLogRow *self,
                             TallyUsageLog *log);

G_END_DECLS

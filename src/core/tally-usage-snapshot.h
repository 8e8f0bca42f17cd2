/* tally-usage-snapshot.h: the usage rows that existed when a walk started, each once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /usage pages newest first by offset, and rows arrive while a client
 * pages (API-2026.md §2): each new row pushes the old ones one place down, so
 * a later page repeats rows of the one before, and pages answered out of
 * order can skip rows. A TallyUsageSnapshot is fed the pages (page 1 first)
 * and hands back each row of the snapshot once, in order:
 *
 *   - the snapshot is the rows of page 1's answer and older: its newest id
 *     and its total; rows with a larger id arrived later and are left out;
 *   - ids only grow, so a row whose id is not below the last row handed out
 *     was seen already and is dropped;
 *   - as rows only arrive at the head, a page's own total says how far the
 *     rows have moved: row i of page p sits at position
 *     (p - 1) × page_size + i − (total − first total) of the snapshot. A row
 *     past the next expected position (a hole) is held until the hole is
 *     filled, and tally_usage_snapshot_get_missing_page() names the page to
 *     fetch for it. When the positions contradict the ids (rows went away, or
 *     a total that is only a lower bound) it falls back to the id rules alone.
 *
 * tally_usage_snapshot_foreach_async() does the whole walk on top of
 * tally_client_foreach_usage_page_async(), fetching the pages that fill holes;
 * every export of usage rows goes through it.
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"
#include "tally-page.h"

G_BEGIN_DECLS

#define TALLY_TYPE_USAGE_SNAPSHOT (tally_usage_snapshot_get_type ())

G_DECLARE_FINAL_TYPE (TallyUsageSnapshot, tally_usage_snapshot, TALLY, USAGE_SNAPSHOT, GObject)

TallyUsageSnapshot *tally_usage_snapshot_new (void);

/* Feeds one page of GET /usage (TallyUsageLog items) of the same query; the
 * first page fed must be page 1. Returns the rows to hand out now, in order
 * (a new GListModel of TallyUsageLog, possibly empty). */
GListModel *tally_usage_snapshot_add_page (TallyUsageSnapshot *self,
                                           TallyPage *page);

/* TRUE once page 1 was fed. */
gboolean tally_usage_snapshot_get_started (TallyUsageSnapshot *self);
/* The newest id of the snapshot (0 when it is empty or not started). */
gint64 tally_usage_snapshot_get_newest_id (TallyUsageSnapshot *self);
/* The number of rows of the snapshot (page 1's total). */
gint64 tally_usage_snapshot_get_total (TallyUsageSnapshot *self);
/* Rows handed out so far. */
guint64 tally_usage_snapshot_get_n_rows (TallyUsageSnapshot *self);
/* Rows newer than the snapshot, as the largest total seen says. */
gint64 tally_usage_snapshot_get_n_new (TallyUsageSnapshot *self);
/* TRUE while the positions are trusted (see above). */
gboolean tally_usage_snapshot_get_positional (TallyUsageSnapshot *self);
/* TRUE when rows of the snapshot are known to be missing: the page (of
 * @page_size rows) that holds the first of them now is stored in @page. */
gboolean tally_usage_snapshot_get_missing_page (TallyUsageSnapshot *self,
                                                gint64 page_size,
                                                gint64 *page);
/* Hands out the rows held behind a hole (ordered by id), giving up on the
 * positions; an empty list when none are held. */
GListModel *tally_usage_snapshot_flush (TallyUsageSnapshot *self);

/* The position arithmetic, for any reader of a snapshot: rows only arrive at
 * the head, so a page answered with @total rows when the snapshot had
 * @snapshot_total has moved by (@total − @snapshot_total). The snapshot
 * position of row 0 of @page (1-based, of @page_size rows). */
gint64 tally_usage_snapshot_position (gint64 page,
                                      gint64 page_size,
                                      gint64 total,
                                      gint64 snapshot_total);
/* The page (1-based, of @page_size rows) that holds snapshot @position now,
 * when the rows have moved by @shift (never below page 1). */
gint64 tally_usage_snapshot_page_of (gint64 position,
                                     gint64 shift,
                                     gint64 page_size);

/**
 * TallyUsageRowsFunc:
 * @snapshot: the snapshot being walked
 * @rows: rows (TallyUsageLog) handed out now, in order; never empty
 * @user_data: data passed to tally_usage_snapshot_foreach_async()
 *
 * Return: %FALSE to stop early (the operation then completes successfully).
 */
typedef gboolean (*TallyUsageRowsFunc) (TallyUsageSnapshot *snapshot,
                                        GListModel *rows,
                                        gpointer user_data);

/* Every row of the query that exists when the walk starts, exactly once, in
 * server order (newest first), through @rows_func in the caller's main
 * context. @page_size and @max_in_flight as for
 * tally_client_foreach_usage_page_async(). Fails with TALLY_ERROR_BAD_RESPONSE
 * when the rows of a hole cannot be found again. */
void tally_usage_snapshot_foreach_async (TallyClient *client,
                                         const TallyUsageQuery *query,
                                         gint64 page_size,
                                         guint max_in_flight,
                                         TallyUsageRowsFunc rows_func,
                                         gpointer rows_func_data,
                                         GDestroyNotify rows_func_data_destroy,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
/* @snapshot (optional) gets the walk's snapshot (also on failure). */
gboolean tally_usage_snapshot_foreach_finish (GAsyncResult *result,
                                              TallyUsageSnapshot **snapshot,
                                              GError **error);

G_END_DECLS

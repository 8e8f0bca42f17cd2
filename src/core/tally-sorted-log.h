/* tally-sorted-log.h: every row of a usage query, sorted by one column
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The usage view shows the newest requests first through the lazy
 * TallyLogList. Any other order needs every row: a TallySortedLog collects the
 * rows of its query once (the snapshot walk, tally_usage_snapshot_foreach_async(),
 * at the largest page size the server takes, so each row is there exactly
 * once), then sorts them in memory. Changing only the column or the direction
 * sorts the collected rows again without a request.
 *
 * Why not the server's sort_by: only newer servers have it (API-2026.md §2),
 * and only for created_at and model. Offset paging stays exact while rows
 * arrive only because the order is newest first (rows arrive at the head, ids
 * fall); in any other order a new row lands in the middle, shifts the pages
 * after it, and nothing in the answer tells which rows moved, so a walk could
 * show a row twice or miss one.
 *
 * It is a GListModel of TallyLogRow, each loaded; ties keep the server's order
 * (newest first), so equal values read newest first in either direction.
 * A query of more than TALLY_SORTED_LOG_MAX_ROWS rows ("max-rows") is not collected (one
 * page is fetched to learn the total): "too-many" turns TRUE, "total" says how
 * many rows there are and the list stays empty.
 *
 * "loading" is TRUE while rows are collected, "collected" counts them and
 * "total" is the query's (-1 until known). A failure sets "error" (plain
 * text) and keeps the rows of the last complete collection. A new client or
 * query cancels the collection in flight and empties the list.
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

/* The most rows collected for a sort: 20 requests on today's servers, 200 on
 * a December 2025 one (pages of 100). */
#define TALLY_SORTED_LOG_MAX_ROWS 20000

/* The columns of the usage view that can be sorted by. */
typedef enum
{
  TALLY_LOG_SORT_TIME,
  TALLY_LOG_SORT_MODEL,
  TALLY_LOG_SORT_TOKENS,
  TALLY_LOG_SORT_STREAM,
  TALLY_LOG_SORT_INPUT_TOKENS,
  TALLY_LOG_SORT_OUTPUT_TOKENS,
  TALLY_LOG_SORT_CACHE_WRITE_TOKENS,
  TALLY_LOG_SORT_CACHE_READ_TOKENS,
  TALLY_LOG_SORT_BILLED,
  TALLY_LOG_SORT_LIST_PRICE,
  TALLY_LOG_SORT_MULTIPLIER,
  TALLY_LOG_SORT_BILLING_TYPE,
  TALLY_LOG_SORT_FIRST_TOKEN,
  TALLY_LOG_SORT_DURATION,
} TallyLogSort;

#define TALLY_TYPE_SORTED_LOG (tally_sorted_log_get_type ())

G_DECLARE_FINAL_TYPE (TallySortedLog, tally_sorted_log, TALLY, SORTED_LOG, GObject)

TallySortedLog *tally_sorted_log_new (void);

/* Either may be NULL: an empty list, nothing collected. */
void tally_sorted_log_set_source (TallySortedLog *self,
                                  TallyClient *client,
                                  const TallyUsageQuery *query);
/* Sorts by @sort, largest first when @descending. Collects the rows when none
 * are collected for the current source yet. */
void tally_sorted_log_set_sort (TallySortedLog *self,
                                TallyLogSort sort,
                                gboolean descending);
/* The most rows collected (TALLY_SORTED_LOG_MAX_ROWS unless set, for tests);
 * applies from the next collection. */
void tally_sorted_log_set_max_rows (TallySortedLog *self,
                                    gint64 max_rows);
gint64 tally_sorted_log_get_max_rows (TallySortedLog *self);
/* Collects the rows of the same source again (the rows stay until then). */
void tally_sorted_log_reload (TallySortedLog *self);

gboolean tally_sorted_log_get_loading (TallySortedLog *self);
/* TRUE once a collection of the current source completed. */
gboolean tally_sorted_log_get_ready (TallySortedLog *self);
gboolean tally_sorted_log_get_too_many (TallySortedLog *self);
gint64 tally_sorted_log_get_collected (TallySortedLog *self);
gint64 tally_sorted_log_get_total (TallySortedLog *self);
const char *tally_sorted_log_get_error (TallySortedLog *self);

/* The order itself: <0, 0 or >0 as @a comes before @b, sorted by @sort
 * (largest first when @descending). A time the server sent as null (first
 * token, duration, created_at) comes last in either direction. Equal values
 * compare 0. */
int tally_log_sort_compare (TallyUsageLog *a,
                            TallyUsageLog *b,
                            TallyLogSort sort,
                            gboolean descending);

G_END_DECLS

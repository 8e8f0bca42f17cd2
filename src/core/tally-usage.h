/* tally-usage.h: the usage view's view model (filter, lazy list, totals, details)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TallyUsage follows a TallySession ("session", may be NULL) and does every
 * request of the usage view; the page, the filter bar and the details window
 * bind to its properties and call its methods.
 *
 * - "query": the filter. It is the session's usage-query (setting it sets the
 *   session's, so the dashboard's "filter by this key" and the export dialog
 *   see it too); NULL without a session. Once the server's day is known, a
 *   query without dates gets the last 7 days ending on it, so the totals
 *   (which need both dates) match the list.
 * - "log": the lazy list (a TallyLogList; one object for the life of the
 *   TallyUsage). It has the session's client while the session is logged in
 *   ("logged-in": LOADING or READY) and the query. New rows are offered, not
 *   inserted: "n-new" is the list's count, tally_usage_show_new() takes them.
 * - "sort", tally_usage_set_sort(): the order of the rows. Newest first (the
 *   default: TALLY_LOG_SORT_TIME, descending) is "log"; any other order is
 *   "sorted", a TallySortedLog of every row of the query, collected while
 *   that order is chosen (and again on a refresh). "rows" is the one of the
 *   two to show, notified when it changes.
 * - "stats": the totals of the whole query, every filter honoured
 *   (tally_usage_totals_async(): /usage/stats, or the filtered rows counted on
 *   a December 2025 server); NULL until loaded, and always NULL for a query
 *   without both dates. A new query or client clears it (and cancels a count
 *   in flight); a refresh keeps it until the answer. A failure keeps the last
 *   totals and sets "stats-error" (plain text, notified on every failure,
 *   also when the text repeats). While rows are counted "counting" is TRUE,
 *   "counted" the rows counted so far and "count-total" the rows to count
 *   (-1 until known); FALSE, 0 and -1 otherwise.
 * - "models": the names of the models used in the query's range
 *   (GET /usage/dashboard/models, fetched once per range and again after a
 *   login), sorted, without empty names; NULL until loaded. A failure keeps
 *   the last list.
 * - "keys", "server-today": the session's.
 * - The details request: tally_usage_request_details() fetches GET /usage/:id
 *   of one row ("details-row"); "details" is the answer, "details-loaded"
 *   turns TRUE when it came (or failed: "details-error", plain text). One row
 *   at a time: a new request cancels the one in flight.
 *
 * Every request has a GCancellable; a new request for the same slot cancels
 * the old one, and no callback of a cancelled or replaced request changes
 * anything. A new session or the last reference cancels all of them.
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"
#include "tally-log-list.h"
#include "tally-session.h"
#include "tally-sorted-log.h"

G_BEGIN_DECLS

#define TALLY_TYPE_USAGE (tally_usage_get_type ())

G_DECLARE_FINAL_TYPE (TallyUsage, tally_usage, TALLY, USAGE, GObject)

TallyUsage *tally_usage_new (TallySession *session);

TallySession *tally_usage_get_session (TallyUsage *self);
void tally_usage_set_session (TallyUsage *self,
                              TallySession *session);

/* NULL without a session. Setting it (a copy is taken) sets the session's
 * usage-query; a NULL @query means "everything". */
const TallyUsageQuery *tally_usage_get_query (TallyUsage *self);
void tally_usage_set_query (TallyUsage *self,
                            const TallyUsageQuery *query);

TallyLogList *tally_usage_get_log (TallyUsage *self);
TallySortedLog *tally_usage_get_sorted (TallyUsage *self);
/* "log" or "sorted", as the sort says (TallyLogRow items). */
GListModel *tally_usage_get_rows (TallyUsage *self);
/* TRUE when the rows are "sorted" (any order but newest first). */
gboolean tally_usage_get_sorted_active (TallyUsage *self);
void tally_usage_set_sort (TallyUsage *self,
                           TallyLogSort sort,
                           gboolean descending);
TallyLogSort tally_usage_get_sort (TallyUsage *self);
gboolean tally_usage_get_descending (TallyUsage *self);
gboolean tally_usage_get_logged_in (TallyUsage *self);
guint tally_usage_get_n_new (TallyUsage *self);
/* TRUE while the list or the totals are loading. */
gboolean tally_usage_get_busy (TallyUsage *self);

TallyUsageStats *tally_usage_get_stats (TallyUsage *self);
gboolean tally_usage_get_stats_loading (TallyUsage *self);
const char *tally_usage_get_stats_error (TallyUsage *self);
gboolean tally_usage_get_counting (TallyUsage *self);
gint64 tally_usage_get_counted (TallyUsage *self);
gint64 tally_usage_get_count_total (TallyUsage *self);

const char *const *tally_usage_get_models (TallyUsage *self);
GListModel *tally_usage_get_keys (TallyUsage *self); /* TallyApiKey; NULL without a session */
const char *tally_usage_get_server_today (TallyUsage *self);
/* The name of key @api_key_id in "keys" ("" for a key without a name), or
 * NULL when the key is not listed (a deleted key). */
const char *tally_usage_get_key_name (TallyUsage *self,
                                      gint64 api_key_id);

/* Refetches the totals; the list is only checked for new rows ("n-new"),
 * or loaded again when it failed or never loaded. */
void tally_usage_refresh (TallyUsage *self);
/* Loads the list again from the head (the new rows on top) and the totals. */
void tally_usage_show_new (TallyUsage *self);

/* GET /usage/:id of @row (a row of the list). Without a client "details-loaded"
 * is TRUE at once, with neither "details" nor "details-error". */
void tally_usage_request_details (TallyUsage *self,
                                  TallyUsageLog *row);
/* Cancels the details request when it is the one of @row (NULL: any) and
 * forgets it. */
void tally_usage_cancel_details (TallyUsage *self,
                                 TallyUsageLog *row);
TallyUsageLog *tally_usage_get_details_row (TallyUsage *self);
TallyUsageLog *tally_usage_get_details (TallyUsage *self);
gboolean tally_usage_get_details_loaded (TallyUsage *self);
const char *tally_usage_get_details_error (TallyUsage *self);

G_END_DECLS

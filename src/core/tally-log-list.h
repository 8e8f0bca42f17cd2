/* tally-log-list.h: a lazy GListModel of the usage log for one query
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Items are TallyLogRow objects. "n-items" comes from the first page's total;
 * a row asked for with g_list_model_get_item() whose page is not loaded is
 * returned as a placeholder and its page is fetched on idle: one request per
 * page while no rows arrive, at most a few in flight, the most recently
 * wanted first. About TALLY_LOG_LIST_WINDOW_ROWS decoded rows (whole pages,
 * at least three) are kept; the least recently used pages are evicted (and
 * fetched again only when asked for again).
 *
 * Page size: page 1 asks for TALLY_LOG_LIST_PAGE_SIZE rows and the size the
 * server echoes is used for every later page; an echo below
 * TALLY_LOG_LIST_FALLBACK_PAGE_SIZE (a December 2025 server turns sizes it
 * does not take into 20) asks page 1 again with that size.
 *
 * The list is a snapshot as of its first page (its newest id and total):
 * item i is always the same row while rows arrive at the head (API-2026.md
 * §2). A later answer's own total says how far the snapshot moved on the
 * server, so its rows go to their snapshot positions (a page may take two
 * requests), rows newer than the snapshot are left out, and a page is shown
 * only once its ids fall strictly and line up with the pages around it; one
 * that does not is fetched again, and after a few tries "error" is set.
 *
 * A server with "fast pagination" (API.md §1.6) reports a lower bound as the
 * total: "n-items" then grows as pages say more rows exist, and
 * "total-is-exact" is FALSE until the last page has been seen.
 *
 * A new query or client cancels every fetch, empties the list
 * (items-changed (0, old, 0)) and fetches page 1. Errors other than
 * cancellation land in "error" (plain text); rows already loaded stay.
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"
#include "tally-log-row.h"

G_BEGIN_DECLS

#define TALLY_LOG_LIST_PAGE_SIZE 1000
#define TALLY_LOG_LIST_FALLBACK_PAGE_SIZE 100
#define TALLY_LOG_LIST_WINDOW_ROWS 5000

#define TALLY_TYPE_LOG_LIST (tally_log_list_get_type ())

G_DECLARE_FINAL_TYPE (TallyLogList, tally_log_list, TALLY, LOG_LIST, GObject)

/* @client and @query may be NULL (an empty list until both are set). */
TallyLogList *tally_log_list_new (TallyClient *client,
                                  const TallyUsageQuery *query);

TallyClient *tally_log_list_get_client (TallyLogList *self);
void tally_log_list_set_client (TallyLogList *self,
                                TallyClient *client);
/* Never NULL (an "any" query when none was set). */
const TallyUsageQuery *tally_log_list_get_query (TallyLogList *self);
void tally_log_list_set_query (TallyLogList *self,
                               const TallyUsageQuery *query);

/* Refetches the first page of the same query, keeping the current rows until
 * it arrives (then every row is replaced); on failure the rows stay and
 * "error" is set. Also retries pages that failed. */
void tally_log_list_reload (TallyLogList *self);

guint tally_log_list_get_n_items (TallyLogList *self);
/* TRUE while any page request is in flight. */
gboolean tally_log_list_get_loading (TallyLogList *self);
/* The last error as plain text, or NULL. */
const char *tally_log_list_get_error (TallyLogList *self);
/* FALSE while "n-items" is a lower bound (fast pagination) or unknown. */
gboolean tally_log_list_get_total_is_exact (TallyLogList *self);
/* TRUE once the first page of the current query has arrived. */
gboolean tally_log_list_get_ready (TallyLogList *self);

/* New rows are offered, not inserted: the list stays the snapshot of its
 * first page, and "n-new" counts the rows of the query the server has beyond
 * it, as any later page's total or tally_log_list_check_new() says. A reload
 * (or a new query) takes them in and sets it back to 0. Only counted while
 * the total is exact. */
guint tally_log_list_get_n_new (TallyLogList *self);
/* A cheap look for new rows (one row of page 1); updates "n-new". */
void tally_log_list_check_new (TallyLogList *self);

/* Counters for tests and benchmarks: page responses decoded since the query
 * was set, and pages of decoded rows held now. */
guint tally_log_list_get_pages_fetched (TallyLogList *self);
guint tally_log_list_get_pages_resident (TallyLogList *self);
/* The page size in use (as learned from page 1), and the pages of decoded
 * rows kept at most. */
guint tally_log_list_get_page_size (TallyLogList *self);
guint tally_log_list_get_window_pages (TallyLogList *self);

G_END_DECLS

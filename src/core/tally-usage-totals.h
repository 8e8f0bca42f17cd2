/* tally-usage-totals.h: the totals of a usage query on every server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one function behind the usage view's totals and `tally stats`. The
 * answer always covers the whole query (key, model, stream, billing type and
 * dates), never less:
 *
 *   - a query with both dates and no model, stream or billing filter:
 *     GET /usage/stats (one request) on every server;
 *   - a query with a model, stream or billing filter: GET /usage/stats with
 *     the filters on a server that honours them there; a December 2025 server
 *     ignores them (API.md §3.5), so there the filtered rows are counted;
 *   - a query with an open end (a date missing): counted from the rows (S
 *     answers /usage/stats "today" without both dates, newer servers "the
 *     last 7 days").
 *
 * Which server it is: one whose largest page is known to be at most 100
 * (tally_client_get_max_page_size()) is a December 2025 server. Otherwise
 * one cheap probe asks GET /usage of the query with page_size=101: a server
 * that echoes 101 or more pages beyond 100 rows, which came with the shared
 * filter parser of /usage/stats (API-2026.md §2, API.md §6); an echo of 20
 * (or anything up to 100) is the December 2025 server. The answer is kept on
 * the client, so one client probes once.
 *
 * Counting walks the rows through tally_usage_snapshot_foreach_async() (the
 * largest page the server takes, bulk requests through the scheduler, each
 * row of the snapshot once even while rows arrive). Sums are exact: tokens as
 * integers, costs in the server's unit (DECIMAL(20,10): 1e-10 USD) and turned
 * into a double once at the end, the double nearest to the exact decimal sum,
 * as the server's own aggregate is. average_duration_ms counts rows without a
 * duration as 0, as the December 2025 server's /usage/stats does. A counted
 * answer carries the cache split (total_cache_creation_tokens,
 * total_cache_read_tokens); a December 2025 server's /usage/stats does not.
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

/**
 * TallyUsageTotalsProgress:
 * @counted: rows counted so far
 * @total: the rows of the query (page 1's total), or -1 before page 1
 * @user_data: data given to tally_usage_totals_async()
 *
 * Called in the caller's main context only while rows are counted: once with
 * (0, -1) when counting starts, then after each page. Never called once the
 * cancellable is cancelled, nor for an answer of /usage/stats.
 */
typedef void (*TallyUsageTotalsProgress) (gint64 counted,
                                          gint64 total,
                                          gpointer user_data);

/* Completes with a TallyUsageStats of the whole query (a NULL @query is every
 * row). @progress may be NULL; @progress_destroy frees @progress_data when
 * the operation is over. */
void tally_usage_totals_async (TallyClient *client,
                               const TallyUsageQuery *query,
                               TallyUsageTotalsProgress progress,
                               gpointer progress_data,
                               GDestroyNotify progress_destroy,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data);
TallyUsageStats *tally_usage_totals_finish (GAsyncResult *result,
                                            GError **error);

/* TRUE when a query filters on what a December 2025 server's /usage/stats
 * ignores (model, stream, billing type) or leaves a date open. */
gboolean tally_usage_totals_may_count (const TallyUsageQuery *query);

G_END_DECLS

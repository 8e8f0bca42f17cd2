/* tally-usage-page.h: the usage view: filters, totals and the request log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page binds to a TallyUsage ("usage"; it makes its own until one is
 * set) and does no I/O itself. "session" is the usage's session: setting it
 * sets the session of the page's TallyUsage.
 *
 * Actions (prefix "usage."): "focus-filter" (Ctrl+F), "reload" (refetch the
 * log and the totals, keeping the rows until the new ones arrive).
 *
 * "narrow" (read-only, notified): the page was given less than
 * TALLY_USAGE_PAGE_NARROW_WIDTH pixels and shows its narrow layout: a
 * Filters button with a summary of the filters, the totals in a 2×2 grid and
 * two-line rows (time and billed; key · model · tokens).
 */

#pragma once

#include <gtk/gtk.h>

#include "tally-session.h"
#include "tally-usage.h"

G_BEGIN_DECLS

#define TALLY_TYPE_USAGE_PAGE (tally_usage_page_get_type ())

#define TALLY_USAGE_PAGE_NARROW_WIDTH 600

G_DECLARE_FINAL_TYPE (TallyUsagePage, tally_usage_page, TALLY, USAGE_PAGE, GtkWidget)

GtkWidget *tally_usage_page_new (void);

TallySession *tally_usage_page_get_session (TallyUsagePage *self);
void tally_usage_page_set_session (TallyUsagePage *self,
                                   TallySession *session);

/* Never NULL; setting it replaces the list the page shows. */
TallyUsage *tally_usage_page_get_usage (TallyUsagePage *self);
void tally_usage_page_set_usage (TallyUsagePage *self,
                                 TallyUsage *usage);

/* The page's lazy log list (the TallyLogList of "usage"; never NULL). */
GListModel *tally_usage_page_get_log (TallyUsagePage *self);

/* Refetches the totals; the log is only checked for new rows (offered as
 * "N new requests · Show", action usage.show-new), or loaded again when it
 * failed or never loaded. */
void tally_usage_page_reload (TallyUsagePage *self);

/* Opens the details window for the row at @position (if its data is loaded);
 * returns it (owned by GTK) or NULL. */
GtkWindow *tally_usage_page_show_details (TallyUsagePage *self,
                                          guint position);

gboolean tally_usage_page_get_narrow (TallyUsagePage *self);

G_END_DECLS

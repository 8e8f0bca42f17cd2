/* tally-updated-label.h: "Updated 10:42", and why a refresh failed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every view says when its data was last refreshed, on the server's clock
 * like every other time in the window (the rows' times, "today", "until
 * 10:00"): one time scope, whatever the user's own zone. While the last
 * refresh failed and the old data stays, the label says so, with the
 * reason (plain text), in the "warning" style.
 */

#pragma once

#include <gtk/gtk.h>

#include "tally-server-zone.h"

G_BEGIN_DECLS

/* "Updated 10:42" or "Updated 10:42 · Could not refresh: @error" for
 * @updated_at (g_get_real_time(), µs) in @zone (NULL while the server's zone
 * is not known: the user's); NULL when @updated_at is 0. */
char *tally_updated_text (gint64 updated_at,
                          const TallyServerZone *zone,
                          const char *error);

/* Shows tally_updated_text() in @label (hidden for 0), with @error as the
 * tooltip and the "warning" style while it is set. */
void tally_updated_label_update (GtkLabel *label,
                                 gint64 updated_at,
                                 const TallyServerZone *zone,
                                 const char *error);

G_END_DECLS

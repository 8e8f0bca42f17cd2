/* tally-updated-label.h: "Updated 10:42", and why a refresh failed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every view says when its data was last refreshed: the time of the user's
 * own clock (when this window got the data, not the server's zone: the
 * dates of the data say which server days it covers). While the last
 * refresh failed and the old data stays, the label says so, with the
 * reason (plain text), in the "warning" style.
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* "Updated 10:42" or "Updated 10:42 · Could not refresh: @error" for
 * @updated_at (g_get_real_time(), µs); NULL when @updated_at is 0. */
char *tally_updated_text (gint64 updated_at,
                          const char *error);

/* Shows tally_updated_text() in @label (hidden for 0), with @error as the
 * tooltip and the "warning" style while it is set. */
void tally_updated_label_update (GtkLabel *label,
                                 gint64 updated_at,
                                 const char *error);

G_END_DECLS

/* tally-date-range-button.h: a header-bar button that picks a range of server days
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkMenuButton-like widget whose popover lists the presets (Today,
 * Yesterday, Last 7 / 14 / 30 days, This month, Last month) and a custom range
 * picked with two calendars (start ≤ end). Dates are "YYYY-MM-DD" strings in
 * the server's calendar ("server-today" anchors the presets). Its label is the
 * preset name when the range equals one ("Last 7 days"), else "Jan 1 – Jan 31".
 *
 * Properties (read/write, notify): "start-date", "end-date", "server-today"
 * (strings, NULL until set). Choosing a range in the popover sets both dates
 * (one notify each, "start-date" first; listeners that need both should read
 * them on "end-date" or use the "range-changed" signal, emitted once after
 * both are set, from the popover or from tally_date_range_button_set_range()).
 *
 * Actions installed on the widget (usable from shortcuts of an ancestor via
 * gtk_widget_activate_action): "range.preset" (string parameter: "today",
 * "yesterday", "last-7-days", "last-14-days", "last-30-days", "this-month",
 * "last-month").
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TALLY_TYPE_DATE_RANGE_BUTTON (tally_date_range_button_get_type ())

G_DECLARE_FINAL_TYPE (TallyDateRangeButton, tally_date_range_button, TALLY, DATE_RANGE_BUTTON, GtkWidget)

TallyDateRangeButton *tally_date_range_button_new (void);

const char *tally_date_range_button_get_start_date (TallyDateRangeButton *self);
const char *tally_date_range_button_get_end_date (TallyDateRangeButton *self);
const char *tally_date_range_button_get_server_today (TallyDateRangeButton *self);
void tally_date_range_button_set_server_today (TallyDateRangeButton *self,
                                               const char *server_today);
/* Sets both dates at once (invalid or reversed ranges are ignored with a
 * g_critical). Emits "range-changed" when either date changed. */
void tally_date_range_button_set_range (TallyDateRangeButton *self,
                                        const char *start_date,
                                        const char *end_date);
/* Applies a preset relative to "server-today" (no-op while it is unset);
 * @preset_id is one of the ids listed above. Returns FALSE on an unknown id. */
gboolean tally_date_range_button_apply_preset (TallyDateRangeButton *self,
                                               const char *preset_id);
/* The button's label ("Last 7 days", "Jan 1 – Jan 31"), even while an icon
 * stands in for it; it changes on "range-changed" and "server-today". */
char *tally_date_range_button_dup_label (TallyDateRangeButton *self);

G_END_DECLS

/* tally-usage-filter-bar.h: the usage view's filters, reading and writing a TallyUsage's query
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tally-usage.h"

G_BEGIN_DECLS

#define TALLY_TYPE_USAGE_FILTER_BAR (tally_usage_filter_bar_get_type ())

G_DECLARE_FINAL_TYPE (TallyUsageFilterBar, tally_usage_filter_bar, TALLY, USAGE_FILTER_BAR, GtkWidget)

GtkWidget *tally_usage_filter_bar_new (void);

/* Property "usage": the view model the bar reads and writes (may be NULL). */
TallyUsage *tally_usage_filter_bar_get_usage (TallyUsageFilterBar *self);
void tally_usage_filter_bar_set_usage (TallyUsageFilterBar *self,
                                       TallyUsage *usage);

/* Moves the keyboard focus to the first filter. */
gboolean tally_usage_filter_bar_focus_filter (TallyUsageFilterBar *self);

/* The key the key drop-down shows (0 = all keys), and selecting one there
 * exactly as a user would (the TallyUsage's query follows). Returns FALSE
 * when @api_key_id is not in the drop-down. */
gint64 tally_usage_filter_bar_get_selected_key (TallyUsageFilterBar *self);
gboolean tally_usage_filter_bar_select_key (TallyUsageFilterBar *self,
                                            gint64 api_key_id);

/* Read-only properties, notified on change: "summary", what the filters
 * other than the range select ("Key: prod · Model: claude-sonnet-4 · Type:
 * Stream · Billing: Balance", "All requests" when none), and "range-label",
 * the range as its button names it ("Last 7 days"). */
const char *tally_usage_filter_bar_get_summary (TallyUsageFilterBar *self);
const char *tally_usage_filter_bar_get_range_label (TallyUsageFilterBar *self);

/* Stacked: one control a line (in the narrow layout's popover); else they
 * flow in a row and wrap. */
void tally_usage_filter_bar_set_stacked (TallyUsageFilterBar *self,
                                         gboolean stacked);

G_END_DECLS

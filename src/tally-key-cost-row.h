/* tally-key-cost-row.h: one API key in the dashboard's per-key cost list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tally-key-cost.h"

G_BEGIN_DECLS

#define TALLY_TYPE_KEY_COST_ROW (tally_key_cost_row_get_type ())

G_DECLARE_FINAL_TYPE (TallyKeyCostRow, tally_key_cost_row, TALLY, KEY_COST_ROW, GtkListBoxRow)

/* A row showing @cost (name as plain text, a "Disabled" badge for inactive
 * keys, the share bar, total and today's billed cost). The "deleted keys" row
 * is not activatable. */
GtkWidget *tally_key_cost_row_new (TallyKeyCost *cost);
TallyKeyCost *tally_key_cost_row_get_cost (TallyKeyCostRow *self);
/* For tests: the texts shown. */
const char *tally_key_cost_row_get_name_text (TallyKeyCostRow *self);
const char *tally_key_cost_row_get_total_text (TallyKeyCostRow *self);
const char *tally_key_cost_row_get_today_text (TallyKeyCostRow *self);

G_END_DECLS

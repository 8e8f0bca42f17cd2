/* tally-key-cost.h: one row of the dashboard's per-key cost list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An immutable item: an API key (or NULL for the "deleted keys" row, which
 * holds the usage of keys that are gone from /keys, API.md §5.6) with its
 * billed cost in the dashboard's range, today and in total, and its share
 * of the range's billed total.
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_KEY_COST (tally_key_cost_get_type ())

G_DECLARE_FINAL_TYPE (TallyKeyCost, tally_key_cost, TALLY, KEY_COST, GObject)

/* @key NULL = the "deleted keys" row (name "Deleted keys", status "").
 * The range is all time (range cost = @total_actual_cost). */
TallyKeyCost *tally_key_cost_new (TallyApiKey *key,
                                  double today_actual_cost,
                                  double total_actual_cost,
                                  double share);
TallyKeyCost *tally_key_cost_new_for_range (TallyApiKey *key,
                                            double range_actual_cost,
                                            double today_actual_cost,
                                            double total_actual_cost,
                                            double share);
TallyApiKey *tally_key_cost_get_key (TallyKeyCost *self);   /* borrowed, NULL for deleted keys */
gint64 tally_key_cost_get_key_id (TallyKeyCost *self);      /* 0 for deleted keys */
const char *tally_key_cost_get_name (TallyKeyCost *self);   /* plain text, never NULL */
const char *tally_key_cost_get_status (TallyKeyCost *self); /* "" for deleted keys */
gboolean tally_key_cost_get_active (TallyKeyCost *self);    /* FALSE for deleted keys */
gboolean tally_key_cost_get_deleted (TallyKeyCost *self);
double tally_key_cost_get_today_actual_cost (TallyKeyCost *self);
double tally_key_cost_get_total_actual_cost (TallyKeyCost *self);
double tally_key_cost_get_range_actual_cost (TallyKeyCost *self);
/* range_actual_cost / the range's total (0..1) */
double tally_key_cost_get_share (TallyKeyCost *self);

/* The one rule for the "Deleted keys" row (the window, `tally keys` and the
 * PDF report). Usage of keys gone from /keys still counts in the dashboard
 * totals (API.md §5.6), so deleted = all − the listed keys' sum, for today
 * and in total (or any other period: pass 0 for what a caller lacks).
 *
 * A difference is real when it is at least TALLY_DELETED_KEYS_MIN_USD: half
 * of the server's unit (costs are DECIMAL(20,10), 1e-10 USD, which is also
 * the finest amount the UI shows: 4 significant digits, up to 10 decimals),
 * plus TALLY_DELETED_KEYS_RELATIVE of the total for float rounding in the
 * client's sum (API.md §5.3). Smaller differences, and negative ones, are 0.
 *
 * Returns whether there is a row; *deleted_today and *deleted_total (either
 * may be NULL) receive its values (≥ 0; 0 when there is no row). */
#define TALLY_DELETED_KEYS_MIN_USD 5e-11
#define TALLY_DELETED_KEYS_RELATIVE 1e-12
gboolean tally_deleted_keys (double all_today,
                             double all_total,
                             double listed_today,
                             double listed_total,
                             double *deleted_today,
                             double *deleted_total);

G_END_DECLS

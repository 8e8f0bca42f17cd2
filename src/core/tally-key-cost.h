/* tally-key-cost.h: one row of the dashboard's per-key cost list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An immutable item: an API key (or NULL for the "deleted keys" row, which
 * holds the usage of keys that are gone from /keys, API.md §5.6) with its
 * billed cost today and in total, and its share of the dashboard total.
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_KEY_COST (tally_key_cost_get_type ())

G_DECLARE_FINAL_TYPE (TallyKeyCost, tally_key_cost, TALLY, KEY_COST, GObject)

/* @key NULL = the "deleted keys" row (name "Deleted keys", status ""). */
TallyKeyCost *tally_key_cost_new (TallyApiKey *key,
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
/* total_actual_cost / the dashboard total (0..1) */
double tally_key_cost_get_share (TallyKeyCost *self);

G_END_DECLS

/* tally-key-usage.h: one entry of POST /usage/dashboard/api-keys-usage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_KEY_USAGE (tally_key_usage_get_type ())

G_DECLARE_FINAL_TYPE (TallyKeyUsage, tally_key_usage, TALLY, KEY_USAGE, GObject)

gint64 tally_key_usage_get_api_key_id (TallyKeyUsage *self);
double tally_key_usage_get_today_actual_cost (TallyKeyUsage *self);
double tally_key_usage_get_total_actual_cost (TallyKeyUsage *self);

/* The entries of @usage (a list of TallyKeyUsage) by key id: a new table of
 * gint64 * → TallyKeyUsage * (both owned by the table; look up with a
 * gint64 *). A repeated id keeps its last entry. */
GHashTable *tally_key_usage_index_by_id (GListModel *usage);

G_END_DECLS

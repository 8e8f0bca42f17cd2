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

G_END_DECLS

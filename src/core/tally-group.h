/* tally-group.h: a key group and its price multiplier
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_GROUP (tally_group_get_type ())

G_DECLARE_FINAL_TYPE (TallyGroup, tally_group, TALLY, GROUP, GObject)

gint64 tally_group_get_id (TallyGroup *self);
const char *tally_group_get_name (TallyGroup *self);
const char *tally_group_get_description (TallyGroup *self);
const char *tally_group_get_platform (TallyGroup *self);
double tally_group_get_rate_multiplier (TallyGroup *self);
gboolean tally_group_get_is_exclusive (TallyGroup *self);
const char *tally_group_get_status (TallyGroup *self);
const char *tally_group_get_subscription_type (TallyGroup *self);
double tally_group_get_daily_limit_usd (TallyGroup *self);
double tally_group_get_weekly_limit_usd (TallyGroup *self);
double tally_group_get_monthly_limit_usd (TallyGroup *self);

/* The three limits return NAN when the group has no such limit (JSON null). */

G_END_DECLS

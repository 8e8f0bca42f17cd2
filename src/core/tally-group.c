/* tally-group.c: a key group and its price multiplier
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-group"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "tally-models-private.h"

#define TYPE_NAME N_ ("group")

struct _TallyGroup
{
  GObject parent_instance;

  gint64 id;
  char *name;
  char *description;
  char *platform;
  double rate_multiplier;
  gboolean is_exclusive;
  char *status;
  char *subscription_type;
  double daily_limit_usd;
  double weekly_limit_usd;
  double monthly_limit_usd;
};

static const TallyField fields[] = {
  TALLY_FIELD (TallyGroup, id, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyGroup, name, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyGroup, description, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyGroup, platform, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyGroup, rate_multiplier, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyGroup, is_exclusive, BOOL, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyGroup, status, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyGroup, subscription_type, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyGroup, daily_limit_usd, DOUBLE_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyGroup, weekly_limit_usd, DOUBLE_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyGroup, monthly_limit_usd, DOUBLE_NULLABLE, TALLY_FIELD_REQUIRED),
};

static const TallyJsonModel json_model = { fields, G_N_ELEMENTS (fields), NULL, NULL };

TALLY_DEFINE_JSON_MODEL (TallyGroup, tally_group, fields, &json_model)

TallyGroup *
_tally_group_new_from_json (JsonNode *node,
                            GError **error)
{
  return _tally_json_fields_new_object (TALLY_TYPE_GROUP, fields, G_N_ELEMENTS (fields),
                                        node, TYPE_NAME, error);
}

gint64
tally_group_get_id (TallyGroup *self)
{
  g_return_val_if_fail (TALLY_IS_GROUP (self), 0);

  return self->id;
}

const char *
tally_group_get_name (TallyGroup *self)
{
  g_return_val_if_fail (TALLY_IS_GROUP (self), NULL);

  return self->name;
}

const char *
tally_group_get_description (TallyGroup *self)
{
  g_return_val_if_fail (TALLY_IS_GROUP (self), NULL);

  return self->description;
}

const char *
tally_group_get_platform (TallyGroup *self)
{
  g_return_val_if_fail (TALLY_IS_GROUP (self), NULL);

  return self->platform;
}

double
tally_group_get_rate_multiplier (TallyGroup *self)
{
  g_return_val_if_fail (TALLY_IS_GROUP (self), 0.0);

  return self->rate_multiplier;
}

gboolean
tally_group_get_is_exclusive (TallyGroup *self)
{
  g_return_val_if_fail (TALLY_IS_GROUP (self), FALSE);

  return self->is_exclusive;
}

const char *
tally_group_get_status (TallyGroup *self)
{
  g_return_val_if_fail (TALLY_IS_GROUP (self), NULL);

  return self->status;
}

const char *
tally_group_get_subscription_type (TallyGroup *self)
{
  g_return_val_if_fail (TALLY_IS_GROUP (self), NULL);

  return self->subscription_type;
}

double
tally_group_get_daily_limit_usd (TallyGroup *self)
{
  g_return_val_if_fail (TALLY_IS_GROUP (self), NAN);

  return self->daily_limit_usd;
}

double
tally_group_get_weekly_limit_usd (TallyGroup *self)
{
  g_return_val_if_fail (TALLY_IS_GROUP (self), NAN);

  return self->weekly_limit_usd;
}

double
tally_group_get_monthly_limit_usd (TallyGroup *self)
{
  g_return_val_if_fail (TALLY_IS_GROUP (self), NAN);

  return self->monthly_limit_usd;
}

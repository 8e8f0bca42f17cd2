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

G_DEFINE_FINAL_TYPE (TallyGroup, tally_group, G_TYPE_OBJECT)

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

enum
{
  PROP_0,
  N_PROPS = G_N_ELEMENTS (fields) + 1,
};

static GParamSpec *properties[N_PROPS];

static void
tally_group_finalize (GObject *object)
{
  TallyGroup *self = (TallyGroup *) object;

  _tally_json_fields_clear (fields, G_N_ELEMENTS (fields), self);

  G_OBJECT_CLASS (tally_group_parent_class)->finalize (object);
}

static void
tally_group_get_property (GObject *object,
                          guint prop_id,
                          GValue *value,
                          GParamSpec *pspec)
{
  if (!_tally_json_fields_get_property (fields, G_N_ELEMENTS (fields), object, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static const TallyJsonModel json_model = { fields, G_N_ELEMENTS (fields), NULL, NULL };

static void
tally_group_class_init (TallyGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  _tally_json_model_register (G_OBJECT_CLASS_TYPE (klass), &json_model);

  object_class->finalize = tally_group_finalize;
  object_class->get_property = tally_group_get_property;

  _tally_json_fields_create_pspecs (fields, G_N_ELEMENTS (fields), properties);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_group_init (TallyGroup *self)
{
  _tally_json_fields_init (fields, G_N_ELEMENTS (fields), self);
}

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

/* tally-key-cost.c: one row of the dashboard's per-key cost list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-key-cost"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "tally-api-key.h"
#include "tally-key-cost.h"

struct _TallyKeyCost
{
  GObject parent_instance;

  TallyApiKey *key;
  double range_actual_cost;
  double today_actual_cost;
  double total_actual_cost;
  double share;
};

G_DEFINE_FINAL_TYPE (TallyKeyCost, tally_key_cost, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_KEY,
  PROP_KEY_ID,
  PROP_NAME,
  PROP_STATUS,
  PROP_ACTIVE,
  PROP_DELETED,
  PROP_TODAY_ACTUAL_COST,
  PROP_TOTAL_ACTUAL_COST,
  PROP_RANGE_ACTUAL_COST,
  PROP_SHARE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tally_key_cost_dispose (GObject *object)
{
  TallyKeyCost *self = (TallyKeyCost *) object;

  g_clear_object (&self->key);

  G_OBJECT_CLASS (tally_key_cost_parent_class)->dispose (object);
}

static void
tally_key_cost_get_property (GObject *object,
                             guint prop_id,
                             GValue *value,
                             GParamSpec *pspec)
{
  TallyKeyCost *self = TALLY_KEY_COST (object);

  switch (prop_id)
    {
      case PROP_KEY:
        g_value_set_object (value, self->key);
        break;

      case PROP_KEY_ID:
        g_value_set_int64 (value, tally_key_cost_get_key_id (self));
        break;

      case PROP_NAME:
        g_value_set_string (value, tally_key_cost_get_name (self));
        break;

      case PROP_STATUS:
        g_value_set_string (value, tally_key_cost_get_status (self));
        break;

      case PROP_ACTIVE:
        g_value_set_boolean (value, tally_key_cost_get_active (self));
        break;

      case PROP_DELETED:
        g_value_set_boolean (value, self->key == NULL);
        break;

      case PROP_TODAY_ACTUAL_COST:
        g_value_set_double (value, self->today_actual_cost);
        break;

      case PROP_TOTAL_ACTUAL_COST:
        g_value_set_double (value, self->total_actual_cost);
        break;

      case PROP_RANGE_ACTUAL_COST:
        g_value_set_double (value, self->range_actual_cost);
        break;

      case PROP_SHARE:
        g_value_set_double (value, self->share);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_key_cost_class_init (TallyKeyCostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tally_key_cost_dispose;
  object_class->get_property = tally_key_cost_get_property;

  properties[PROP_KEY] = g_param_spec_object ("key", NULL, NULL, TALLY_TYPE_API_KEY,
                                              (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_KEY_ID] = g_param_spec_int64 ("key-id", NULL, NULL, 0, G_MAXINT64, 0,
                                                (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                               (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL,
                                                 (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE,
                                                  (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_DELETED] = g_param_spec_boolean ("deleted", NULL, NULL, FALSE,
                                                   (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_TODAY_ACTUAL_COST] = g_param_spec_double ("today-actual-cost", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                                                            (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_TOTAL_ACTUAL_COST] = g_param_spec_double ("total-actual-cost", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                                                            (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_RANGE_ACTUAL_COST] = g_param_spec_double ("range-actual-cost", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                                                            (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_SHARE] = g_param_spec_double ("share", NULL, NULL, 0, 1, 0,
                                                (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_key_cost_init (TallyKeyCost *self)
{
}

TallyKeyCost *
tally_key_cost_new (TallyApiKey *key,
                    double today_actual_cost,
                    double total_actual_cost,
                    double share)
{
  return tally_key_cost_new_for_range (key, total_actual_cost, today_actual_cost, total_actual_cost, share);
}

TallyKeyCost *
tally_key_cost_new_for_range (TallyApiKey *key,
                              double range_actual_cost,
                              double today_actual_cost,
                              double total_actual_cost,
                              double share)
{
  TallyKeyCost *self;

  g_return_val_if_fail (key == NULL || TALLY_IS_API_KEY (key), NULL);

  self = g_object_new (TALLY_TYPE_KEY_COST, NULL);
  g_set_object (&self->key, key);
  self->range_actual_cost = range_actual_cost;
  self->today_actual_cost = today_actual_cost;
  self->total_actual_cost = total_actual_cost;
  self->share = CLAMP (share, 0.0, 1.0);

  return self;
}

TallyApiKey *
tally_key_cost_get_key (TallyKeyCost *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_COST (self), NULL);
  return self->key;
}

gint64
tally_key_cost_get_key_id (TallyKeyCost *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_COST (self), 0);
  return self->key != NULL ? tally_api_key_get_id (self->key) : 0;
}

const char *
tally_key_cost_get_name (TallyKeyCost *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_COST (self), "");
  return self->key != NULL ? tally_api_key_get_name (self->key) : _ ("Deleted keys");
}

const char *
tally_key_cost_get_status (TallyKeyCost *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_COST (self), "");
  return self->key != NULL ? tally_api_key_get_status (self->key) : "";
}

gboolean
tally_key_cost_get_active (TallyKeyCost *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_COST (self), FALSE);
  return self->key != NULL && tally_api_key_is_active (self->key);
}

gboolean
tally_key_cost_get_deleted (TallyKeyCost *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_COST (self), FALSE);
  return self->key == NULL;
}

double
tally_key_cost_get_today_actual_cost (TallyKeyCost *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_COST (self), 0);
  return self->today_actual_cost;
}

double
tally_key_cost_get_total_actual_cost (TallyKeyCost *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_COST (self), 0);
  return self->total_actual_cost;
}

double
tally_key_cost_get_range_actual_cost (TallyKeyCost *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_COST (self), 0);
  return self->range_actual_cost;
}

double
tally_key_cost_get_share (TallyKeyCost *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_COST (self), 0);
  return self->share;
}

static double
real_difference (double all,
                 double listed)
{
  double difference = all - listed;
  double tolerance = TALLY_DELETED_KEYS_MIN_USD + TALLY_DELETED_KEYS_RELATIVE * MAX (fabs (all), fabs (listed));

  if (!isfinite (difference) || difference < tolerance)
    return 0;
  return difference;
}

gboolean
tally_deleted_keys (double all_today,
                    double all_total,
                    double listed_today,
                    double listed_total,
                    double *deleted_today,
                    double *deleted_total)
{
  double today = real_difference (all_today, listed_today);
  double total = real_difference (all_total, listed_total);
  gboolean shown = today > 0 || total > 0;

  if (deleted_today != NULL)
    *deleted_today = shown ? today : 0;
  if (deleted_total != NULL)
    *deleted_total = shown ? MAX (total, today) : 0;
  return shown;
}

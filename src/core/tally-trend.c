/* tally-trend.c: the dashboard trend (GET /usage/dashboard/trend)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-trend"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-models-private.h"

#define TYPE_NAME N_ ("trend")

struct _TallyTrend
{
  GObject parent_instance;

  char *start_date;
  char *end_date;
  char *granularity;

  GListStore *points;
};

G_DEFINE_FINAL_TYPE (TallyTrend, tally_trend, G_TYPE_OBJECT)

static const TallyField fields[] = {
  TALLY_FIELD (TallyTrend, start_date, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyTrend, end_date, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyTrend, granularity, STRING, TALLY_FIELD_REQUIRED),
};

enum
{
  PROP_0,
  PROP_POINTS = G_N_ELEMENTS (fields) + 1,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
tally_trend_dispose (GObject *object)
{
  TallyTrend *self = (TallyTrend *) object;

  g_clear_object (&self->points);

  G_OBJECT_CLASS (tally_trend_parent_class)->dispose (object);
}

static void
tally_trend_finalize (GObject *object)
{
  TallyTrend *self = (TallyTrend *) object;

  _tally_json_fields_clear (fields, G_N_ELEMENTS (fields), self);

  G_OBJECT_CLASS (tally_trend_parent_class)->finalize (object);
}

static void
tally_trend_get_property (GObject *object,
                          guint prop_id,
                          GValue *value,
                          GParamSpec *pspec)
{
  TallyTrend *self = TALLY_TREND (object);

  if (_tally_json_fields_get_property (fields, G_N_ELEMENTS (fields), self, prop_id, value))
    return;

  switch (prop_id)
    {
      case PROP_POINTS:
        g_value_set_object (value, self->points);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_trend_class_init (TallyTrendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tally_trend_dispose;
  object_class->finalize = tally_trend_finalize;
  object_class->get_property = tally_trend_get_property;

  _tally_json_fields_create_pspecs (fields, G_N_ELEMENTS (fields), properties);
  properties[PROP_POINTS] = g_param_spec_object ("points", NULL, NULL, G_TYPE_LIST_MODEL,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_trend_init (TallyTrend *self)
{
  _tally_json_fields_init (fields, G_N_ELEMENTS (fields), self);

  self->points = g_list_store_new (TALLY_TYPE_TREND_POINT);
}

TallyTrend *
_tally_trend_new_from_json (JsonNode *node,
                            GError **error)
{
  g_autoptr (TallyTrend) self = NULL;
  g_autoptr (GListStore) points = NULL;

  self = _tally_json_fields_new_object (TALLY_TYPE_TREND, fields, G_N_ELEMENTS (fields),
                                        node, TYPE_NAME, error);
  if (self == NULL)
    return NULL;

  points = _tally_json_decode_list (json_node_get_object (node), "trend", TYPE_NAME,
                                    TALLY_TYPE_TREND_POINT,
                                    (TallyItemFromJson) _tally_trend_point_new_from_json,
                                    FALSE, error);
  if (points == NULL)
    return NULL;

  g_set_object (&self->points, points);

  return g_steal_pointer (&self);
}

const char *
tally_trend_get_start_date (TallyTrend *self)
{
  g_return_val_if_fail (TALLY_IS_TREND (self), NULL);

  return self->start_date;
}

const char *
tally_trend_get_end_date (TallyTrend *self)
{
  g_return_val_if_fail (TALLY_IS_TREND (self), NULL);

  return self->end_date;
}

const char *
tally_trend_get_granularity (TallyTrend *self)
{
  g_return_val_if_fail (TALLY_IS_TREND (self), NULL);

  return self->granularity;
}

GListModel *
tally_trend_get_points (TallyTrend *self)
{
  g_return_val_if_fail (TALLY_IS_TREND (self), NULL);

  return G_LIST_MODEL (self->points);
}

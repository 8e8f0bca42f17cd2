/* tally-trend-point.c: one bucket of the dashboard trend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-trend-point"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-models-private.h"

#define TYPE_NAME N_ ("trend point")

struct _TallyTrendPoint
{
  GObject parent_instance;

  char *date;
  gint64 requests;
  gint64 input_tokens;
  gint64 output_tokens;
  gint64 cache_tokens;
  gint64 total_tokens;
  double cost;
  double actual_cost;
};

G_DEFINE_FINAL_TYPE (TallyTrendPoint, tally_trend_point, G_TYPE_OBJECT)

static const TallyField fields[] = {
  TALLY_FIELD (TallyTrendPoint, date, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyTrendPoint, requests, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyTrendPoint, input_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyTrendPoint, output_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyTrendPoint, cache_tokens, INT, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyTrendPoint, total_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyTrendPoint, cost, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyTrendPoint, actual_cost, DOUBLE, TALLY_FIELD_REQUIRED),
};

enum
{
  PROP_0,
  N_PROPS = G_N_ELEMENTS (fields) + 1,
};

static GParamSpec *properties[N_PROPS];

/* L replaced cache_tokens with these two. */
typedef struct
{
  gint64 cache_creation_tokens;
  gint64 cache_read_tokens;
} CacheSplit;

static const TallyField split_fields[] = {
  TALLY_FIELD (CacheSplit, cache_creation_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (CacheSplit, cache_read_tokens, INT, TALLY_FIELD_REQUIRED),
};

/* a + b clamped to the gint64 range: the addends come from the server */
static gint64
add_saturating (gint64 a,
                gint64 b)
{
  if (b > 0 && a > G_MAXINT64 - b)
    return G_MAXINT64;
  if (b < 0 && a < G_MININT64 - b)
    return G_MININT64;

  return a + b;
}

static void
tally_trend_point_finalize (GObject *object)
{
  TallyTrendPoint *self = (TallyTrendPoint *) object;

  _tally_json_fields_clear (fields, G_N_ELEMENTS (fields), self);

  G_OBJECT_CLASS (tally_trend_point_parent_class)->finalize (object);
}

static void
tally_trend_point_get_property (GObject *object,
                                guint prop_id,
                                GValue *value,
                                GParamSpec *pspec)
{
  if (!_tally_json_fields_get_property (fields, G_N_ELEMENTS (fields), object, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static const TallyJsonModel json_model = { fields, G_N_ELEMENTS (fields), NULL, NULL };

static void
tally_trend_point_class_init (TallyTrendPointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  _tally_json_model_register (G_OBJECT_CLASS_TYPE (klass), &json_model);

  object_class->finalize = tally_trend_point_finalize;
  object_class->get_property = tally_trend_point_get_property;

  _tally_json_fields_create_pspecs (fields, G_N_ELEMENTS (fields), properties);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_trend_point_init (TallyTrendPoint *self)
{
  _tally_json_fields_init (fields, G_N_ELEMENTS (fields), self);
}

TallyTrendPoint *
_tally_trend_point_new_from_json (JsonNode *node,
                                  GError **error)
{
  g_autoptr (TallyTrendPoint) self = NULL;
  JsonObject *object;
  JsonNode *cache_tokens;
  CacheSplit split;

  self = _tally_json_fields_new_object (TALLY_TYPE_TREND_POINT, fields, G_N_ELEMENTS (fields),
                                        node, TYPE_NAME, error);
  if (self == NULL)
    return NULL;

  object = json_node_get_object (node);
  cache_tokens = json_object_get_member (object, "cache_tokens");

  if (cache_tokens == NULL || JSON_NODE_HOLDS_NULL (cache_tokens))
    {
      if (!_tally_json_fields_decode (split_fields, G_N_ELEMENTS (split_fields),
                                      object, TYPE_NAME, &split, error))
        return NULL;

      self->cache_tokens = add_saturating (split.cache_creation_tokens, split.cache_read_tokens);
    }

  return g_steal_pointer (&self);
}

TallyTrendPoint *
tally_trend_point_new_empty (const char *date)
{
  TallyTrendPoint *self;

  g_return_val_if_fail (date != NULL, NULL);

  self = g_object_new (TALLY_TYPE_TREND_POINT, NULL);
  g_free (self->date);
  self->date = g_strdup (date);

  return self;
}

const char *
tally_trend_point_get_date (TallyTrendPoint *self)
{
  g_return_val_if_fail (TALLY_IS_TREND_POINT (self), NULL);

  return self->date;
}

gint64
tally_trend_point_get_requests (TallyTrendPoint *self)
{
  g_return_val_if_fail (TALLY_IS_TREND_POINT (self), 0);

  return self->requests;
}

gint64
tally_trend_point_get_input_tokens (TallyTrendPoint *self)
{
  g_return_val_if_fail (TALLY_IS_TREND_POINT (self), 0);

  return self->input_tokens;
}

gint64
tally_trend_point_get_output_tokens (TallyTrendPoint *self)
{
  g_return_val_if_fail (TALLY_IS_TREND_POINT (self), 0);

  return self->output_tokens;
}

gint64
tally_trend_point_get_cache_tokens (TallyTrendPoint *self)
{
  g_return_val_if_fail (TALLY_IS_TREND_POINT (self), 0);

  return self->cache_tokens;
}

gint64
tally_trend_point_get_total_tokens (TallyTrendPoint *self)
{
  g_return_val_if_fail (TALLY_IS_TREND_POINT (self), 0);

  return self->total_tokens;
}

double
tally_trend_point_get_cost (TallyTrendPoint *self)
{
  g_return_val_if_fail (TALLY_IS_TREND_POINT (self), 0.0);

  return self->cost;
}

double
tally_trend_point_get_actual_cost (TallyTrendPoint *self)
{
  g_return_val_if_fail (TALLY_IS_TREND_POINT (self), 0.0);

  return self->actual_cost;
}

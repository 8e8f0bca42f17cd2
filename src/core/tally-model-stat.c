/* tally-model-stat.c: one entry of GET /usage/dashboard/models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-model-stat"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-models-private.h"

#define TYPE_NAME N_ ("model stat")

struct _TallyModelStat
{
  GObject parent_instance;

  char *model;
  gint64 requests;
  gint64 input_tokens;
  gint64 output_tokens;
  gint64 total_tokens;
  double cost;
  double actual_cost;
};

G_DEFINE_FINAL_TYPE (TallyModelStat, tally_model_stat, G_TYPE_OBJECT)

static const TallyField fields[] = {
  TALLY_FIELD (TallyModelStat, model, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyModelStat, requests, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyModelStat, input_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyModelStat, output_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyModelStat, total_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyModelStat, cost, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyModelStat, actual_cost, DOUBLE, TALLY_FIELD_REQUIRED),
};

enum
{
  PROP_0,
  N_PROPS = G_N_ELEMENTS (fields) + 1,
};

static GParamSpec *properties[N_PROPS];

static void
tally_model_stat_finalize (GObject *object)
{
  TallyModelStat *self = (TallyModelStat *) object;

  _tally_json_fields_clear (fields, G_N_ELEMENTS (fields), self);

  G_OBJECT_CLASS (tally_model_stat_parent_class)->finalize (object);
}

static void
tally_model_stat_get_property (GObject *object,
                               guint prop_id,
                               GValue *value,
                               GParamSpec *pspec)
{
  if (!_tally_json_fields_get_property (fields, G_N_ELEMENTS (fields), object, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static const TallyJsonModel json_model = { fields, G_N_ELEMENTS (fields), NULL, NULL };

static void
tally_model_stat_class_init (TallyModelStatClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  _tally_json_model_register (G_OBJECT_CLASS_TYPE (klass), &json_model);

  object_class->finalize = tally_model_stat_finalize;
  object_class->get_property = tally_model_stat_get_property;

  _tally_json_fields_create_pspecs (fields, G_N_ELEMENTS (fields), properties);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_model_stat_init (TallyModelStat *self)
{
  _tally_json_fields_init (fields, G_N_ELEMENTS (fields), self);
}

TallyModelStat *
_tally_model_stat_new_from_json (JsonNode *node,
                                 GError **error)
{
  return _tally_json_fields_new_object (TALLY_TYPE_MODEL_STAT, fields, G_N_ELEMENTS (fields),
                                        node, TYPE_NAME, error);
}

const char *
tally_model_stat_get_model (TallyModelStat *self)
{
  g_return_val_if_fail (TALLY_IS_MODEL_STAT (self), NULL);

  return self->model;
}

gint64
tally_model_stat_get_requests (TallyModelStat *self)
{
  g_return_val_if_fail (TALLY_IS_MODEL_STAT (self), 0);

  return self->requests;
}

gint64
tally_model_stat_get_input_tokens (TallyModelStat *self)
{
  g_return_val_if_fail (TALLY_IS_MODEL_STAT (self), 0);

  return self->input_tokens;
}

gint64
tally_model_stat_get_output_tokens (TallyModelStat *self)
{
  g_return_val_if_fail (TALLY_IS_MODEL_STAT (self), 0);

  return self->output_tokens;
}

gint64
tally_model_stat_get_total_tokens (TallyModelStat *self)
{
  g_return_val_if_fail (TALLY_IS_MODEL_STAT (self), 0);

  return self->total_tokens;
}

double
tally_model_stat_get_cost (TallyModelStat *self)
{
  g_return_val_if_fail (TALLY_IS_MODEL_STAT (self), 0.0);

  return self->cost;
}

double
tally_model_stat_get_actual_cost (TallyModelStat *self)
{
  g_return_val_if_fail (TALLY_IS_MODEL_STAT (self), 0.0);

  return self->actual_cost;
}

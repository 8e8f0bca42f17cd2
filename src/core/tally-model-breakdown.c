/* tally-model-breakdown.c: per-model totals (GET /usage/dashboard/models)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-model-breakdown"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-model-json.h"
#include "tally-models-private.h"

#define TYPE_NAME N_ ("model breakdown")

struct _TallyModelBreakdown
{
  GObject parent_instance;

  char *start_date;
  char *end_date;

  GListStore *models;
};

G_DEFINE_FINAL_TYPE (TallyModelBreakdown, tally_model_breakdown, G_TYPE_OBJECT)

static const TallyField fields[] = {
  TALLY_FIELD (TallyModelBreakdown, start_date, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyModelBreakdown, end_date, STRING, TALLY_FIELD_REQUIRED),
};

enum
{
  PROP_0,
  PROP_MODELS = G_N_ELEMENTS (fields) + 1,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
tally_model_breakdown_dispose (GObject *object)
{
  TallyModelBreakdown *self = (TallyModelBreakdown *) object;

  g_clear_object (&self->models);

  G_OBJECT_CLASS (tally_model_breakdown_parent_class)->dispose (object);
}

static void
tally_model_breakdown_finalize (GObject *object)
{
  TallyModelBreakdown *self = (TallyModelBreakdown *) object;

  _tally_json_fields_clear (fields, G_N_ELEMENTS (fields), self);

  G_OBJECT_CLASS (tally_model_breakdown_parent_class)->finalize (object);
}

static void
tally_model_breakdown_get_property (GObject *object,
                                    guint prop_id,
                                    GValue *value,
                                    GParamSpec *pspec)
{
  TallyModelBreakdown *self = TALLY_MODEL_BREAKDOWN (object);

  if (_tally_json_fields_get_property (fields, G_N_ELEMENTS (fields), self, prop_id, value))
    return;

  switch (prop_id)
    {
      case PROP_MODELS:
        g_value_set_object (value, self->models);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* After the table: the models. */
static void
write_json_models (gconstpointer instance,
                   GString *out)
{
  const TallyModelBreakdown *self = instance;

  _tally_json_append_member (out, "models");
  if (self->models != NULL)
    tally_model_json_append_list (out, G_LIST_MODEL (self->models));
  else
    g_string_append (out, "[]");
}

static const TallyJsonModel json_model = { fields, G_N_ELEMENTS (fields), NULL, write_json_models };

static void
tally_model_breakdown_class_init (TallyModelBreakdownClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  _tally_json_model_register (G_OBJECT_CLASS_TYPE (klass), &json_model);

  object_class->dispose = tally_model_breakdown_dispose;
  object_class->finalize = tally_model_breakdown_finalize;
  object_class->get_property = tally_model_breakdown_get_property;

  _tally_json_fields_create_pspecs (fields, G_N_ELEMENTS (fields), properties);
  properties[PROP_MODELS] = g_param_spec_object ("models", NULL, NULL, G_TYPE_LIST_MODEL,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_model_breakdown_init (TallyModelBreakdown *self)
{
  _tally_json_fields_init (fields, G_N_ELEMENTS (fields), self);

  self->models = g_list_store_new (TALLY_TYPE_MODEL_STAT);
}

TallyModelBreakdown *
_tally_model_breakdown_new_from_json (JsonNode *node,
                                      GError **error)
{
  g_autoptr (TallyModelBreakdown) self = NULL;
  g_autoptr (GListStore) models = NULL;

  self = _tally_json_fields_new_object (TALLY_TYPE_MODEL_BREAKDOWN, fields, G_N_ELEMENTS (fields),
                                        node, TYPE_NAME, error);
  if (self == NULL)
    return NULL;

  models = _tally_json_decode_list (json_node_get_object (node), "models", TYPE_NAME,
                                    TALLY_TYPE_MODEL_STAT,
                                    (TallyItemFromJson) _tally_model_stat_new_from_json,
                                    FALSE, error);
  if (models == NULL)
    return NULL;

  g_set_object (&self->models, models);

  return g_steal_pointer (&self);
}

const char *
tally_model_breakdown_get_start_date (TallyModelBreakdown *self)
{
  g_return_val_if_fail (TALLY_IS_MODEL_BREAKDOWN (self), NULL);

  return self->start_date;
}

const char *
tally_model_breakdown_get_end_date (TallyModelBreakdown *self)
{
  g_return_val_if_fail (TALLY_IS_MODEL_BREAKDOWN (self), NULL);

  return self->end_date;
}

GListModel *
tally_model_breakdown_get_models (TallyModelBreakdown *self)
{
  g_return_val_if_fail (TALLY_IS_MODEL_BREAKDOWN (self), NULL);

  return G_LIST_MODEL (self->models);
}

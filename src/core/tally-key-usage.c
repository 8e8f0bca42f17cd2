/* tally-key-usage.c: per-key cost badges (POST /usage/dashboard/api-keys-usage)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-key-usage"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-envelope-private.h"
#include "tally-error.h"
#include "tally-models-private.h"

#define TYPE_NAME N_ ("key usage")

struct _TallyKeyUsage
{
  GObject parent_instance;

  gint64 api_key_id;
  double today_actual_cost;
  double total_actual_cost;
};

G_DEFINE_FINAL_TYPE (TallyKeyUsage, tally_key_usage, G_TYPE_OBJECT)

static const TallyField fields[] = {
  TALLY_FIELD (TallyKeyUsage, api_key_id, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyKeyUsage, today_actual_cost, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyKeyUsage, total_actual_cost, DOUBLE, TALLY_FIELD_REQUIRED),
};

enum
{
  PROP_0,
  N_PROPS = G_N_ELEMENTS (fields) + 1,
};

static GParamSpec *properties[N_PROPS];

#define LIST_TYPE_NAME N_ ("key usage list")
/* How much of a bad key a message shows. */
#define MAX_KEY_TEXT 40

static int
compare_api_key_id (gconstpointer a,
                    gconstpointer b)
{
  const TallyKeyUsage *ka = *(TallyKeyUsage *const *) a;
  const TallyKeyUsage *kb = *(TallyKeyUsage *const *) b;

  return (ka->api_key_id > kb->api_key_id) - (ka->api_key_id < kb->api_key_id);
}

static void
tally_key_usage_finalize (GObject *object)
{
  TallyKeyUsage *self = (TallyKeyUsage *) object;

  _tally_json_fields_clear (fields, G_N_ELEMENTS (fields), self);

  G_OBJECT_CLASS (tally_key_usage_parent_class)->finalize (object);
}

static void
tally_key_usage_get_property (GObject *object,
                              guint prop_id,
                              GValue *value,
                              GParamSpec *pspec)
{
  if (!_tally_json_fields_get_property (fields, G_N_ELEMENTS (fields), object, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
tally_key_usage_class_init (TallyKeyUsageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tally_key_usage_finalize;
  object_class->get_property = tally_key_usage_get_property;

  _tally_json_fields_create_pspecs (fields, G_N_ELEMENTS (fields), properties);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_key_usage_init (TallyKeyUsage *self)
{
  _tally_json_fields_init (fields, G_N_ELEMENTS (fields), self);
}

TallyKeyUsage *
_tally_key_usage_new_from_json (JsonNode *node,
                                GError **error)
{
  return _tally_json_fields_new_object (TALLY_TYPE_KEY_USAGE, fields, G_N_ELEMENTS (fields),
                                        node, TYPE_NAME, error);
}

GListModel *
_tally_key_usage_list_new_from_json (JsonNode *data,
                                     GError **error)
{
  g_autoptr (GListStore) store = g_list_store_new (TALLY_TYPE_KEY_USAGE);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GList) members = NULL;
  JsonObject *object;
  JsonObject *stats;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(object = _tally_json_node_get_object (data, LIST_TYPE_NAME, error)) || !_tally_json_get_optional_object (object, "stats", LIST_TYPE_NAME, &stats, error))
    return NULL;

  if (stats != NULL)
    members = json_object_get_members (stats);

  /* The object is keyed by the decimal id, in string order ("1", "10", "2"). */
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      TallyKeyUsage *usage;
      gint64 id;

      if (!g_ascii_string_to_signed (key, 10, G_MININT64, G_MAXINT64, &id, NULL))
        {
          /* the key is server text: shown as plain text, and short */
          g_autofree char *shown = _tally_envelope_sanitize_text (key, MAX_KEY_TEXT);

          g_set_error (error, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE,
                       _ ("%s: “%s” is not a key id"), _ (LIST_TYPE_NAME), shown);
          return NULL;
        }

      if (!(usage = _tally_key_usage_new_from_json (json_object_get_member (stats, key), error)))
        {
          /* the parsed id: the key may carry any number of leading zeros */
          g_prefix_error (error, "%s: “%" G_GINT64_FORMAT "”: ", _ (LIST_TYPE_NAME), id);
          return NULL;
        }

      g_ptr_array_add (items, usage);
    }

  g_ptr_array_sort (items, compare_api_key_id);
  g_list_store_splice (store, 0, 0, items->pdata, items->len);

  return G_LIST_MODEL (g_steal_pointer (&store));
}

gint64
tally_key_usage_get_api_key_id (TallyKeyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_USAGE (self), 0);

  return self->api_key_id;
}

double
tally_key_usage_get_today_actual_cost (TallyKeyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_USAGE (self), 0.0);

  return self->today_actual_cost;
}

double
tally_key_usage_get_total_actual_cost (TallyKeyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_USAGE (self), 0.0);

  return self->total_actual_cost;
}

GHashTable *
tally_key_usage_index_by_id (GListModel *usage)
{
  GHashTable *index;
  guint n_items;

  g_return_val_if_fail (G_IS_LIST_MODEL (usage), NULL);
  g_return_val_if_fail (g_type_is_a (g_list_model_get_item_type (usage), TALLY_TYPE_KEY_USAGE), NULL);

  index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  n_items = g_list_model_get_n_items (usage);
  for (guint i = 0; i < n_items; i++)
    {
      TallyKeyUsage *item = g_list_model_get_item (usage, i);

      g_hash_table_replace (index, g_memdup2 (&item->api_key_id, sizeof item->api_key_id), item);
    }

  return index;
}

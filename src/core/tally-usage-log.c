/* tally-usage-log.c: one usage row; of the nested objects only the key and group names are kept (never `account`)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-usage-log"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-model-json.h"
#include "tally-models-private.h"

#define TYPE_NAME N_ ("usage log")

struct _TallyUsageLog
{
  GObject parent_instance;

  gint64 id;
  gint64 user_id;
  gint64 api_key_id;
  gint64 account_id;
  char *request_id;
  char *model;
  gint64 group_id;
  gint64 subscription_id;
  gint64 input_tokens;
  gint64 output_tokens;
  gint64 cache_creation_tokens;
  gint64 cache_read_tokens;
  double input_cost;
  double output_cost;
  double cache_creation_cost;
  double cache_read_cost;
  double total_cost;
  double actual_cost;
  double rate_multiplier;
  gint64 billing_type;
  gboolean stream;
  gint64 duration_ms;
  gint64 first_token_ms;
  GDateTime *created_at;

  char *created_at_raw;
  char *api_key_name;
  char *group_name;
};

G_DEFINE_FINAL_TYPE (TallyUsageLog, tally_usage_log, G_TYPE_OBJECT)

static const TallyField fields[] = {
  TALLY_FIELD (TallyUsageLog, id, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, user_id, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, api_key_id, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, account_id, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, request_id, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, model, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, group_id, INT_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, subscription_id, INT_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, input_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, output_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, cache_creation_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, cache_read_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, input_cost, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, output_cost, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, cache_creation_cost, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, cache_read_cost, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, total_cost, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, actual_cost, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, rate_multiplier, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, billing_type, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, stream, BOOL, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, duration_ms, INT_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, first_token_ms, INT_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageLog, created_at, TIME, TALLY_FIELD_REQUIRED),
};

enum
{
  PROP_0,
  PROP_CREATED_AT_RAW = G_N_ELEMENTS (fields) + 1,
  PROP_API_KEY_NAME,
  PROP_GROUP_NAME,
  PROP_TOTAL_TOKENS,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

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

/* The name of the optional nested object @member ("api_key", "group"). */
static gboolean
dup_nested_name (JsonObject *object,
                 const char *member,
                 const char *nested_type_name,
                 char **out,
                 GError **error)
{
  JsonObject *nested;
  const char *name;

  g_assert (out != NULL && *out == NULL);

  if (!_tally_json_get_optional_object (object, member, TYPE_NAME, &nested, error))
    return FALSE;

  if (nested == NULL)
    return TRUE;

  if (!_tally_json_get_string_member (nested, "name", nested_type_name, TRUE, &name, error))
    {
      g_prefix_error (error, "%s: ", _ (TYPE_NAME));
      return FALSE;
    }

  *out = g_strdup (name);
  return TRUE;
}

static void
tally_usage_log_finalize (GObject *object)
{
  TallyUsageLog *self = (TallyUsageLog *) object;

  _tally_json_fields_clear (fields, G_N_ELEMENTS (fields), self);
  g_clear_pointer (&self->created_at_raw, g_free);
  g_clear_pointer (&self->api_key_name, g_free);
  g_clear_pointer (&self->group_name, g_free);

  G_OBJECT_CLASS (tally_usage_log_parent_class)->finalize (object);
}

static void
tally_usage_log_get_property (GObject *object,
                              guint prop_id,
                              GValue *value,
                              GParamSpec *pspec)
{
  TallyUsageLog *self = TALLY_USAGE_LOG (object);

  if (_tally_json_fields_get_property (fields, G_N_ELEMENTS (fields), self, prop_id, value))
    return;

  switch (prop_id)
    {
      case PROP_CREATED_AT_RAW:
        g_value_set_string (value, self->created_at_raw);
        break;

      case PROP_API_KEY_NAME:
        g_value_set_string (value, self->api_key_name);
        break;

      case PROP_GROUP_NAME:
        g_value_set_string (value, self->group_name);
        break;

      case PROP_TOTAL_TOKENS:
        g_value_set_int64 (value, tally_usage_log_get_total_tokens (self));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* created_at exactly as the server sent it */
static gboolean
write_json_raw_created_at (gconstpointer instance,
                           const TallyField *field,
                           GString *out)
{
  const TallyUsageLog *self = instance;

  if (field->offset != G_STRUCT_OFFSET (TallyUsageLog, created_at))
    return FALSE;

  tally_model_json_append_string (out, self->created_at_raw);
  return TRUE;
}

/* After the table: the names of the nested key and group, and the token sum. */
static void
write_json_names_and_sum (gconstpointer instance,
                          GString *out)
{
  const TallyUsageLog *self = instance;

  _tally_json_append_member (out, "api_key_name");
  tally_model_json_append_string (out, self->api_key_name);
  _tally_json_append_member (out, "group_name");
  tally_model_json_append_string (out, self->group_name);
  _tally_json_append_member (out, "total_tokens");
  g_string_append_printf (out, "%" G_GINT64_FORMAT, tally_usage_log_get_total_tokens ((TallyUsageLog *) self));
}

static const TallyJsonModel json_model = { fields, G_N_ELEMENTS (fields), write_json_raw_created_at, write_json_names_and_sum };

static void
tally_usage_log_class_init (TallyUsageLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  _tally_json_model_register (G_OBJECT_CLASS_TYPE (klass), &json_model);

  object_class->finalize = tally_usage_log_finalize;
  object_class->get_property = tally_usage_log_get_property;

  _tally_json_fields_create_pspecs (fields, G_N_ELEMENTS (fields), properties);
  properties[PROP_CREATED_AT_RAW] = g_param_spec_string ("created-at-raw", NULL, NULL, NULL,
                                                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_API_KEY_NAME] = g_param_spec_string ("api-key-name", NULL, NULL, NULL,
                                                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_GROUP_NAME] = g_param_spec_string ("group-name", NULL, NULL, NULL,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL_TOKENS] = g_param_spec_int64 ("total-tokens", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_usage_log_init (TallyUsageLog *self)
{
  _tally_json_fields_init (fields, G_N_ELEMENTS (fields), self);

  self->created_at_raw = g_strdup ("");
}

TallyUsageLog *
_tally_usage_log_new_from_json (JsonNode *node,
                                GError **error)
{
  g_autoptr (TallyUsageLog) self = NULL;
  JsonObject *object;

  self = _tally_json_fields_new_object (TALLY_TYPE_USAGE_LOG, fields, G_N_ELEMENTS (fields),
                                        node, TYPE_NAME, error);
  if (self == NULL)
    return NULL;

  object = json_node_get_object (node);

  /* Already checked to be a string holding a valid time. */
  g_free (self->created_at_raw);
  self->created_at_raw = g_strdup (json_object_get_string_member (object, "created_at"));

  /* `user` and `account` (with the upstream credentials) are never read. */
  if (!dup_nested_name (object, "api_key", N_ ("API key"), &self->api_key_name, error) || !dup_nested_name (object, "group", N_ ("group"), &self->group_name, error))
    return NULL;

  return g_steal_pointer (&self);
}

gint64
tally_usage_log_get_id (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0);

  return self->id;
}

gint64
tally_usage_log_get_user_id (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0);

  return self->user_id;
}

gint64
tally_usage_log_get_api_key_id (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0);

  return self->api_key_id;
}

gint64
tally_usage_log_get_account_id (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0);

  return self->account_id;
}

const char *
tally_usage_log_get_request_id (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), NULL);

  return self->request_id;
}

const char *
tally_usage_log_get_model (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), NULL);

  return self->model;
}

gint64
tally_usage_log_get_group_id (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), -1);

  return self->group_id;
}

gint64
tally_usage_log_get_subscription_id (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), -1);

  return self->subscription_id;
}

gint64
tally_usage_log_get_input_tokens (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0);

  return self->input_tokens;
}

gint64
tally_usage_log_get_output_tokens (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0);

  return self->output_tokens;
}

gint64
tally_usage_log_get_cache_creation_tokens (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0);

  return self->cache_creation_tokens;
}

gint64
tally_usage_log_get_cache_read_tokens (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0);

  return self->cache_read_tokens;
}

double
tally_usage_log_get_input_cost (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0.0);

  return self->input_cost;
}

double
tally_usage_log_get_output_cost (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0.0);

  return self->output_cost;
}

double
tally_usage_log_get_cache_creation_cost (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0.0);

  return self->cache_creation_cost;
}

double
tally_usage_log_get_cache_read_cost (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0.0);

  return self->cache_read_cost;
}

double
tally_usage_log_get_total_cost (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0.0);

  return self->total_cost;
}

double
tally_usage_log_get_actual_cost (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0.0);

  return self->actual_cost;
}

double
tally_usage_log_get_rate_multiplier (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0.0);

  return self->rate_multiplier;
}

gint64
tally_usage_log_get_billing_type (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0);

  return self->billing_type;
}

gboolean
tally_usage_log_get_stream (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), FALSE);

  return self->stream;
}

gint64
tally_usage_log_get_duration_ms (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), -1);

  return self->duration_ms;
}

gint64
tally_usage_log_get_first_token_ms (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), -1);

  return self->first_token_ms;
}

GDateTime *
tally_usage_log_get_created_at (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), NULL);

  return self->created_at;
}

const char *
tally_usage_log_get_created_at_raw (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), NULL);

  return self->created_at_raw;
}

const char *
tally_usage_log_get_api_key_name (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), NULL);

  return self->api_key_name;
}

const char *
tally_usage_log_get_group_name (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), NULL);

  return self->group_name;
}

gint64
tally_usage_log_get_total_tokens (TallyUsageLog *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (self), 0);

  return add_saturating (add_saturating (self->input_tokens, self->output_tokens),
                         add_saturating (self->cache_creation_tokens, self->cache_read_tokens));
}

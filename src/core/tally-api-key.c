/* tally-api-key.c: one of the user's API keys; the secret is masked at decode time and never kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-api-key"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "tally-model-json.h"
#include "tally-models-private.h"

#define TYPE_NAME N_ ("API key")

struct _TallyApiKey
{
  GObject parent_instance;

  gint64 id;
  gint64 user_id;
  char *name;
  char *status;
  gint64 group_id;
  GDateTime *created_at;
  GDateTime *updated_at;

  TallyGroup *group;
  char *masked_key;

  /* today's servers only (quota_fields) */
  gboolean has_quota;
  double quota;
  double quota_used;
  GDateTime *expires_at;
  double rate_limit_5h;
  double rate_limit_1d;
  double rate_limit_7d;
  double usage_5h;
  double usage_1d;
  double usage_7d;
  GDateTime *window_5h_start;
  GDateTime *window_1d_start;
  GDateTime *window_7d_start;
  GDateTime *reset_5h_at;
  GDateTime *reset_1d_at;
  GDateTime *reset_7d_at;
};

G_DEFINE_FINAL_TYPE (TallyApiKey, tally_api_key, G_TYPE_OBJECT)

static const TallyField fields[] = {
  TALLY_FIELD (TallyApiKey, id, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyApiKey, user_id, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyApiKey, name, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyApiKey, status, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyApiKey, group_id, INT_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyApiKey, created_at, TIME, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyApiKey, updated_at, TIME, TALLY_FIELD_REQUIRED),
};

/* Decoded when the key has "quota" (today's servers), written back only
 * then; unknown (NAN, NULL) otherwise. */
static const TallyField quota_fields[] = {
  TALLY_FIELD (TallyApiKey, quota, DOUBLE_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyApiKey, quota_used, DOUBLE_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyApiKey, expires_at, TIME, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyApiKey, rate_limit_5h, DOUBLE_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyApiKey, rate_limit_1d, DOUBLE_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyApiKey, rate_limit_7d, DOUBLE_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyApiKey, usage_5h, DOUBLE_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyApiKey, usage_1d, DOUBLE_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyApiKey, usage_7d, DOUBLE_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyApiKey, window_5h_start, TIME, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyApiKey, window_1d_start, TIME, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyApiKey, window_7d_start, TIME, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyApiKey, reset_5h_at, TIME, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyApiKey, reset_1d_at, TIME, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyApiKey, reset_7d_at, TIME, TALLY_FIELD_OPTIONAL),
};

enum
{
  PROP_0,
  PROP_GROUP = G_N_ELEMENTS (fields) + 1,
  PROP_MASKED_KEY,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* "sk-68f4188887…07d2" → "sk-68f4…07d2": the prefix up to and including the
 * first '-' (when at most 8 characters), the next 4 characters, an ellipsis
 * and the last 4. At least 4 characters always stay hidden: a key too short
 * for that with its prefix is shown without it, and one shorter than 12
 * characters not at all. */
static char *
mask_key (const char *key)
{
  glong n_chars = g_utf8_strlen (key, -1);
  const char *dash = strchr (key, '-');
  glong prefix = 0;
  const char *head_end;
  const char *tail;

  if (n_chars < 12)
    return g_strdup ("••••");

  if (dash != NULL && g_utf8_pointer_to_offset (key, dash) + 1 <= 8)
    prefix = g_utf8_pointer_to_offset (key, dash) + 1;

  if (prefix + 4 + 4 + 4 > n_chars)
    prefix = 0;

  head_end = g_utf8_offset_to_pointer (key, prefix + 4);
  tail = g_utf8_offset_to_pointer (key, n_chars - 4);

  return g_strdup_printf ("%.*s…%s", (int) (head_end - key), key, tail);
}

static void
tally_api_key_dispose (GObject *object)
{
  TallyApiKey *self = (TallyApiKey *) object;

  g_clear_object (&self->group);

  G_OBJECT_CLASS (tally_api_key_parent_class)->dispose (object);
}

static void
tally_api_key_finalize (GObject *object)
{
  TallyApiKey *self = (TallyApiKey *) object;

  _tally_json_fields_clear (fields, G_N_ELEMENTS (fields), self);
  _tally_json_fields_clear (quota_fields, G_N_ELEMENTS (quota_fields), self);
  g_clear_pointer (&self->masked_key, g_free);

  G_OBJECT_CLASS (tally_api_key_parent_class)->finalize (object);
}

static void
tally_api_key_get_property (GObject *object,
                            guint prop_id,
                            GValue *value,
                            GParamSpec *pspec)
{
  TallyApiKey *self = TALLY_API_KEY (object);

  if (_tally_json_fields_get_property (fields, G_N_ELEMENTS (fields), self, prop_id, value))
    return;

  switch (prop_id)
    {
      case PROP_GROUP:
        g_value_set_object (value, self->group);
        break;

      case PROP_MASKED_KEY:
        g_value_set_string (value, self->masked_key);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* After the table: the group (left out when the key has none) and the masked key. */
static void
write_json_group_and_masked_key (gconstpointer instance,
                                 GString *out)
{
  const TallyApiKey *self = instance;

  if (self->group != NULL)
    {
      _tally_json_append_member (out, "group");
      tally_model_json_append (out, self->group);
    }
  _tally_json_append_member (out, "masked_key");
  tally_model_json_append_string (out, self->masked_key);

  /* the quota fields as the server sent them (a reset time only while its
   * window runs), none from a server without them */
  if (!self->has_quota)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (quota_fields); i++)
    {
      const TallyField *field = &quota_fields[i];
      gconstpointer member = G_STRUCT_MEMBER_P (self, field->offset);

      if (field->type == TALLY_FIELD_TIME)
        {
          GDateTime *dt = *(GDateTime *const *) member;
          g_autofree char *iso = dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;

          if (dt == NULL && g_str_has_prefix (field->name, "reset_"))
            continue;
          _tally_json_append_member (out, field->name);
          tally_model_json_append_string (out, iso);
        }
      else
        {
          _tally_json_append_member (out, field->name);
          tally_model_json_append_double (out, *(const double *) member);
        }
    }
}

static const TallyJsonModel json_model = { fields, G_N_ELEMENTS (fields), NULL, write_json_group_and_masked_key };

static void
tally_api_key_class_init (TallyApiKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  _tally_json_model_register (G_OBJECT_CLASS_TYPE (klass), &json_model);

  object_class->dispose = tally_api_key_dispose;
  object_class->finalize = tally_api_key_finalize;
  object_class->get_property = tally_api_key_get_property;

  _tally_json_fields_create_pspecs (fields, G_N_ELEMENTS (fields), properties);
  properties[PROP_GROUP] = g_param_spec_object ("group", NULL, NULL, TALLY_TYPE_GROUP,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MASKED_KEY] = g_param_spec_string ("masked-key", NULL, NULL, NULL,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_api_key_init (TallyApiKey *self)
{
  _tally_json_fields_init (fields, G_N_ELEMENTS (fields), self);
  _tally_json_fields_init (quota_fields, G_N_ELEMENTS (quota_fields), self);

  self->masked_key = g_strdup ("");
}

TallyApiKey *
_tally_api_key_new_from_json (JsonNode *node,
                              GError **error)
{
  g_autoptr (TallyApiKey) self = NULL;
  JsonObject *object;
  const char *key;

  self = _tally_json_fields_new_object (TALLY_TYPE_API_KEY, fields, G_N_ELEMENTS (fields),
                                        node, TYPE_NAME, error);
  if (self == NULL)
    return NULL;

  object = json_node_get_object (node);

  /* The secret is only read here, never copied. */
  if (!_tally_json_get_string_member (object, "key", TYPE_NAME, FALSE, &key, error))
    return NULL;

  if (key != NULL)
    {
      g_free (self->masked_key);
      self->masked_key = mask_key (key);
    }

  if (!_tally_json_decode_optional (object, "group", TYPE_NAME,
                                    (TallyItemFromJson) _tally_group_new_from_json,
                                    (gpointer *) &self->group, error))
    return NULL;

  self->has_quota = json_object_has_member (object, "quota");
  if (self->has_quota && !_tally_json_fields_decode (quota_fields, G_N_ELEMENTS (quota_fields), object, TYPE_NAME, self, error))
    return NULL;

  return g_steal_pointer (&self);
}

gint64
tally_api_key_get_id (TallyApiKey *self)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), 0);

  return self->id;
}

gint64
tally_api_key_get_user_id (TallyApiKey *self)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), 0);

  return self->user_id;
}

const char *
tally_api_key_get_name (TallyApiKey *self)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), NULL);

  return self->name;
}

const char *
tally_api_key_get_status (TallyApiKey *self)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), NULL);

  return self->status;
}

gint64
tally_api_key_get_group_id (TallyApiKey *self)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), -1);

  return self->group_id;
}

GDateTime *
tally_api_key_get_created_at (TallyApiKey *self)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), NULL);

  return self->created_at;
}

GDateTime *
tally_api_key_get_updated_at (TallyApiKey *self)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), NULL);

  return self->updated_at;
}

TallyGroup *
tally_api_key_get_group (TallyApiKey *self)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), NULL);

  return self->group;
}

const char *
tally_api_key_get_masked_key (TallyApiKey *self)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), NULL);

  return self->masked_key;
}

gboolean
tally_api_key_is_active (TallyApiKey *self)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), FALSE);

  return g_strcmp0 (self->status, "active") == 0;
}

GArray *
tally_api_key_collect_ids (GListModel *keys)
{
  GArray *ids;
  guint n_items;

  g_return_val_if_fail (G_IS_LIST_MODEL (keys), NULL);

  n_items = g_list_model_get_n_items (keys);
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_items);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (TallyApiKey) item = g_list_model_get_item (keys, i);

      g_return_val_if_fail (TALLY_IS_API_KEY (item), ids);
      g_array_append_val (ids, item->id);
    }

  return ids;
}

gboolean
tally_api_key_has_quota (TallyApiKey *self)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), FALSE);

  return self->has_quota;
}

double
tally_api_key_get_quota (TallyApiKey *self)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), NAN);

  return self->quota;
}

double
tally_api_key_get_quota_used (TallyApiKey *self)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), NAN);

  return self->quota_used;
}

GDateTime *
tally_api_key_get_expires_at (TallyApiKey *self)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), NULL);

  return self->expires_at;
}

double
tally_api_key_get_rate_limit (TallyApiKey *self,
                              TallyKeyWindow window)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), NAN);
  g_return_val_if_fail (window < TALLY_KEY_N_WINDOWS, NAN);

  return (double[]){ self->rate_limit_5h, self->rate_limit_1d, self->rate_limit_7d }[window];
}

double
tally_api_key_get_window_usage (TallyApiKey *self,
                                TallyKeyWindow window)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), NAN);
  g_return_val_if_fail (window < TALLY_KEY_N_WINDOWS, NAN);

  return (double[]){ self->usage_5h, self->usage_1d, self->usage_7d }[window];
}

GDateTime *
tally_api_key_get_window_start (TallyApiKey *self,
                                TallyKeyWindow window)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), NULL);
  g_return_val_if_fail (window < TALLY_KEY_N_WINDOWS, NULL);

  return (GDateTime *[]){ self->window_5h_start, self->window_1d_start, self->window_7d_start }[window];
}

GDateTime *
tally_api_key_get_window_reset (TallyApiKey *self,
                                TallyKeyWindow window)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (self), NULL);
  g_return_val_if_fail (window < TALLY_KEY_N_WINDOWS, NULL);

  return (GDateTime *[]){ self->reset_5h_at, self->reset_1d_at, self->reset_7d_at }[window];
}

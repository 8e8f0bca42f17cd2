/* tally-json.c: table-driven decoding of sub2api JSON objects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-json"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "tally-error.h"
#include "tally-json-private.h"

#define FIELD_PTR(instance, field) G_STRUCT_MEMBER_P ((instance), (field)->offset)

static gboolean
field_is_nullable (const TallyField *field)
{
  g_assert (field != NULL);

  return field->type == TALLY_FIELD_INT_NULLABLE || field->type == TALLY_FIELD_DOUBLE_NULLABLE || (field->flags & (TALLY_FIELD_OPTIONAL | TALLY_FIELD_KEEP_NULL)) != 0;
}

static void
set_field_error (GError **error,
                 const char *type_name,
                 const char *field_name,
                 const char *problem)
{
  /* e.g. "usage log: “input_tokens” is not a number" */
  g_set_error (error, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE,
               _ ("%s: “%s” %s"), _ (type_name), field_name, problem);
}

static gboolean
read_int (JsonNode *node,
          gint64 *out)
{
  GType value_type = json_node_get_value_type (node);

  if (value_type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }

  if (value_type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* 2^63 is exactly representable; anything in [-2^63, 2^63) fits. */
      if (d != floor (d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
        return FALSE;

      *out = (gint64) d;
      return TRUE;
    }

  return FALSE;
}

static gboolean
decode_field (const TallyField *field,
              JsonNode *node,
              const char *type_name,
              gpointer instance,
              GError **error)
{
  gpointer member = FIELD_PTR (instance, field);
  GType value_type;

  g_assert (node != NULL);
  g_assert (!JSON_NODE_HOLDS_NULL (node));

  if (!JSON_NODE_HOLDS_VALUE (node))
    {
      set_field_error (error, type_name, field->name,
                       JSON_NODE_HOLDS_OBJECT (node) ? _ ("is an object") : _ ("is an array"));
      return FALSE;
    }

  value_type = json_node_get_value_type (node);

  switch (field->type)
    {
      case TALLY_FIELD_INT:
      case TALLY_FIELD_INT_NULLABLE:
        {
          gint64 v;

          if (!read_int (node, &v))
            {
              set_field_error (error, type_name, field->name,
                               value_type == G_TYPE_DOUBLE ? _ ("is not an integer") : _ ("is not a number"));
              return FALSE;
            }

          if (field->type == TALLY_FIELD_INT_NULLABLE && v < 0)
            v = -1;

          *(gint64 *) member = v;
          return TRUE;
        }

      case TALLY_FIELD_DOUBLE:
      case TALLY_FIELD_DOUBLE_NULLABLE:
        if (value_type != G_TYPE_INT64 && value_type != G_TYPE_DOUBLE)
          {
            set_field_error (error, type_name, field->name, _ ("is not a number"));
            return FALSE;
          }
        /* json-glib turns a literal beyond the double range (1e400) into ±inf */
        if (!isfinite (json_node_get_double (node)))
          {
            set_field_error (error, type_name, field->name, _ ("is out of range"));
            return FALSE;
          }
        *(double *) member = json_node_get_double (node);
        return TRUE;

      case TALLY_FIELD_STRING:
        if (value_type != G_TYPE_STRING)
          {
            set_field_error (error, type_name, field->name, _ ("is not a string"));
            return FALSE;
          }
        g_free (*(char **) member);
        *(char **) member = g_strdup (json_node_get_string (node));
        return TRUE;

      case TALLY_FIELD_BOOL:
        if (value_type != G_TYPE_BOOLEAN)
          {
            set_field_error (error, type_name, field->name, _ ("is not a boolean"));
            return FALSE;
          }
        *(gboolean *) member = json_node_get_boolean (node);
        return TRUE;

      case TALLY_FIELD_TIME:
        {
          GDateTime *dt = NULL;

          if (value_type == G_TYPE_STRING)
            dt = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL);

          if (dt == NULL)
            {
              set_field_error (error, type_name, field->name, _ ("is not a valid time"));
              return FALSE;
            }

          g_clear_pointer ((GDateTime **) member, g_date_time_unref);
          *(GDateTime **) member = dt;
          return TRUE;
        }

      default:
        g_assert_not_reached ();
    }

  return FALSE;
}

void
_tally_json_fields_init (const TallyField *fields,
                         guint n_fields,
                         gpointer instance)
{
  g_return_if_fail (fields != NULL);
  g_return_if_fail (instance != NULL);

  for (guint i = 0; i < n_fields; i++)
    {
      const TallyField *field = &fields[i];
      gpointer member = FIELD_PTR (instance, field);

      switch (field->type)
        {
          case TALLY_FIELD_INT:
            *(gint64 *) member = 0;
            break;

          case TALLY_FIELD_INT_NULLABLE:
            *(gint64 *) member = -1;
            break;

          case TALLY_FIELD_DOUBLE:
            *(double *) member = 0.0;
            break;

          case TALLY_FIELD_DOUBLE_NULLABLE:
            *(double *) member = NAN;
            break;

          case TALLY_FIELD_STRING:
            *(char **) member = (field->flags & TALLY_FIELD_KEEP_NULL) ? NULL : g_strdup ("");
            break;

          case TALLY_FIELD_BOOL:
            *(gboolean *) member = FALSE;
            break;

          case TALLY_FIELD_TIME:
            *(GDateTime **) member = NULL;
            break;

          default:
            g_assert_not_reached ();
        }
    }
}

void
_tally_json_fields_clear (const TallyField *fields,
                          guint n_fields,
                          gpointer instance)
{
  g_return_if_fail (fields != NULL);
  g_return_if_fail (instance != NULL);

  for (guint i = 0; i < n_fields; i++)
    {
      const TallyField *field = &fields[i];

      if (field->type == TALLY_FIELD_STRING)
        g_clear_pointer ((char **) FIELD_PTR (instance, field), g_free);
      else if (field->type == TALLY_FIELD_TIME)
        g_clear_pointer ((GDateTime **) FIELD_PTR (instance, field), g_date_time_unref);
    }
}

gboolean
_tally_json_fields_decode (const TallyField *fields,
                           guint n_fields,
                           JsonObject *object,
                           const char *type_name,
                           gpointer instance,
                           GError **error)
{
  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (type_name != NULL, FALSE);
  g_return_val_if_fail (instance != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_fields; i++)
    {
      const TallyField *field = &fields[i];
      JsonNode *node = json_object_get_member (object, field->name);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          if (field_is_nullable (field))
            continue;

          set_field_error (error, type_name, field->name,
                           node == NULL ? _ ("is missing") : _ ("is null"));
          return FALSE;
        }

      if (!decode_field (field, node, type_name, instance, error))
        return FALSE;
    }

  return TRUE;
}

void
_tally_json_fields_create_pspecs (const TallyField *fields,
                                  guint n_fields,
                                  GParamSpec **pspecs)
{
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  g_return_if_fail (fields != NULL);
  g_return_if_fail (pspecs != NULL);

  for (guint i = 0; i < n_fields; i++)
    {
      const TallyField *field = &fields[i];
      g_autofree char *dashed = g_strdelimit (g_strdup (field->name), "_", '-');
      /* Interned strings live forever, as G_PARAM_STATIC_NAME requires. */
      const char *name = g_intern_string (dashed);
      GParamSpec *pspec;

      switch (field->type)
        {
          case TALLY_FIELD_INT:
            pspec = g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
            break;

          case TALLY_FIELD_INT_NULLABLE:
            pspec = g_param_spec_int64 (name, NULL, NULL, -1, G_MAXINT64, -1, flags);
            break;

          case TALLY_FIELD_DOUBLE:
          case TALLY_FIELD_DOUBLE_NULLABLE:
            /* A nullable value reads as NAN; the default cannot be NAN. */
            pspec = g_param_spec_double (name, NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, flags);
            break;

          case TALLY_FIELD_STRING:
            pspec = g_param_spec_string (name, NULL, NULL, NULL, flags);
            break;

          case TALLY_FIELD_BOOL:
            pspec = g_param_spec_boolean (name, NULL, NULL, FALSE, flags);
            break;

          case TALLY_FIELD_TIME:
            pspec = g_param_spec_boxed (name, NULL, NULL, G_TYPE_DATE_TIME, flags);
            break;

          default:
            g_assert_not_reached ();
        }

      pspecs[i + 1] = pspec;
    }
}

gboolean
_tally_json_fields_get_property (const TallyField *fields,
                                 guint n_fields,
                                 gpointer instance,
                                 guint prop_id,
                                 GValue *value)
{
  const TallyField *field;
  gpointer member;

  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (instance != NULL, FALSE);

  if (prop_id == 0 || prop_id > n_fields)
    return FALSE;

  field = &fields[prop_id - 1];
  member = FIELD_PTR (instance, field);

  switch (field->type)
    {
      case TALLY_FIELD_INT:
      case TALLY_FIELD_INT_NULLABLE:
        g_value_set_int64 (value, *(gint64 *) member);
        break;

      case TALLY_FIELD_DOUBLE:
      case TALLY_FIELD_DOUBLE_NULLABLE:
        g_value_set_double (value, *(double *) member);
        break;

      case TALLY_FIELD_STRING:
        g_value_set_string (value, *(char **) member);
        break;

      case TALLY_FIELD_BOOL:
        g_value_set_boolean (value, *(gboolean *) member);
        break;

      case TALLY_FIELD_TIME:
        g_value_set_boxed (value, *(GDateTime **) member);
        break;

      default:
        g_assert_not_reached ();
    }

  return TRUE;
}

gpointer
_tally_json_fields_new_object (GType type,
                               const TallyField *fields,
                               guint n_fields,
                               JsonNode *node,
                               const char *type_name,
                               GError **error)
{
  g_autoptr (GObject) object = NULL;
  JsonObject *json;

  g_return_val_if_fail (g_type_is_a (type, G_TYPE_OBJECT), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(json = _tally_json_node_get_object (node, type_name, error)))
    return NULL;

  object = g_object_new (type, NULL);

  if (!_tally_json_fields_decode (fields, n_fields, json, type_name, object, error))
    return NULL;

  return g_steal_pointer (&object);
}

JsonObject *
_tally_json_node_get_object (JsonNode *node,
                             const char *type_name,
                             GError **error)
{
  g_return_val_if_fail (type_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE,
                   _ ("%s: not an object"), _ (type_name));
      return NULL;
    }

  return json_node_get_object (node);
}

gboolean
_tally_json_get_optional_object (JsonObject *object,
                                 const char *member,
                                 const char *type_name,
                                 JsonObject **out,
                                 GError **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (type_name != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out = NULL;
  node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_field_error (error, type_name, member, _ ("is not an object"));
      return FALSE;
    }

  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
_tally_json_get_string_member (JsonObject *object,
                               const char *member,
                               const char *type_name,
                               gboolean required,
                               const char **out,
                               GError **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (type_name != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out = NULL;
  node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;

      set_field_error (error, type_name, member, node == NULL ? _ ("is missing") : _ ("is null"));
      return FALSE;
    }

  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      set_field_error (error, type_name, member, _ ("is not a string"));
      return FALSE;
    }

  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
_tally_json_decode_optional (JsonObject *object,
                             const char *member,
                             const char *type_name,
                             TallyItemFromJson item_func,
                             gpointer *out,
                             GError **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (type_name != NULL, FALSE);
  g_return_val_if_fail (item_func != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out = NULL;
  node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!(*out = item_func (node, error)))
    {
      g_prefix_error (error, "%s: ", _ (type_name));
      return FALSE;
    }

  return TRUE;
}

GListStore *
_tally_json_decode_list (JsonObject *object,
                         const char *member,
                         const char *type_name,
                         GType item_type,
                         TallyItemFromJson item_func,
                         gboolean required,
                         GError **error)
{
  g_autoptr (GListStore) store = NULL;
  g_autoptr (GPtrArray) items = NULL;
  JsonNode *node;
  JsonArray *array;
  guint n;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (member != NULL, NULL);
  g_return_val_if_fail (type_name != NULL, NULL);
  g_return_val_if_fail (item_func != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  store = g_list_store_new (item_type);
  node = json_object_get_member (object, member);

  if (node == NULL && required)
    {
      set_field_error (error, type_name, member, _ ("is missing"));
      return NULL;
    }

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_steal_pointer (&store);

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_field_error (error, type_name, member, _ ("is not an array"));
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  items = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      gpointer item = item_func (json_array_get_element (array, i), error);

      if (item == NULL)
        {
          g_prefix_error (error, _ ("%s: “%s” item %u: "), _ (type_name), member, i);
          return NULL;
        }

      g_ptr_array_add (items, item);
    }

  g_list_store_splice (store, 0, 0, items->pdata, items->len);

  return g_steal_pointer (&store);
}

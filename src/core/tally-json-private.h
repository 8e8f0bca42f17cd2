/* tally-json-private.h: table-driven decoding of sub2api JSON objects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Core-internal. A model describes its JSON fields once in a TallyField table;
 * these helpers then initialise the defaults, decode a JsonObject into the
 * instance struct, create one read-only GParamSpec per field (property id =
 * index + 1, name = JSON name with '_' → '-'), implement get_property and free
 * the owned members. Every failure is TALLY_ERROR_BAD_RESPONSE with a message
 * naming the type and the field.
 *
 * Every @type_name is an untranslated N_() string such as N_("usage log"); it
 * is translated only when an error message is built.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Storage per type: INT / INT_NULLABLE → gint64 (nullable: -1 for null, absent
 * or negative), DOUBLE / DOUBLE_NULLABLE → double (nullable: NAN for null or
 * absent), STRING → char * (owned; "" by default), BOOL → gboolean,
 * TIME → GDateTime * (owned; NULL by default). */
typedef enum
{
  TALLY_FIELD_INT,
  TALLY_FIELD_INT_NULLABLE,
  TALLY_FIELD_DOUBLE,
  TALLY_FIELD_DOUBLE_NULLABLE,
  TALLY_FIELD_STRING,
  TALLY_FIELD_BOOL,
  TALLY_FIELD_TIME,
} TallyFieldType;

/* REQUIRED: absent or null is an error (nullable types accept null and absence).
 * OPTIONAL: absent and null both leave the default.
 * KEEP_NULL: (strings) the default is NULL instead of "". */
typedef enum
{
  TALLY_FIELD_REQUIRED = 0,
  TALLY_FIELD_OPTIONAL = 1 << 0,
  TALLY_FIELD_KEEP_NULL = 1 << 1,
} TallyFieldFlags;

typedef struct
{
  const char *name; /* JSON member name */
  TallyFieldType type;
  gsize offset; /* of the member in the instance struct */
  guint flags;  /* TallyFieldFlags */
} TallyField;

/* The JSON member has the same name as the struct member. */
#define TALLY_FIELD(Struct, member, type, flags)                          \
  {                                                                       \
#member, TALLY_FIELD_##type, G_STRUCT_OFFSET(Struct, member), (flags) \
  }

typedef gpointer (*TallyItemFromJson) (JsonNode *node,
                                       GError **error);

void _tally_json_fields_init (const TallyField *fields,
                              guint n_fields,
                              gpointer instance);
void _tally_json_fields_clear (const TallyField *fields,
                               guint n_fields,
                               gpointer instance);
gboolean _tally_json_fields_decode (const TallyField *fields,
                                    guint n_fields,
                                    JsonObject *object,
                                    const char *type_name,
                                    gpointer instance,
                                    GError **error);
/* Fills pspecs[1 .. n_fields]; the caller installs the whole array. */
void _tally_json_fields_create_pspecs (const TallyField *fields,
                                       guint n_fields,
                                       GParamSpec **pspecs);
/* TRUE when prop_id belongs to the table (1 .. n_fields) and value was set. */
gboolean _tally_json_fields_get_property (const TallyField *fields,
                                          guint n_fields,
                                          gpointer instance,
                                          guint prop_id,
                                          GValue *value);

/* Creates an object of @type (whose instance struct the table describes) and
 * decodes @node into it; NULL and an error when @node is not an object or a
 * field is bad. @type_name is untranslated (N_()) and names the type in errors. */
gpointer _tally_json_fields_new_object (GType type,
                                        const TallyField *fields,
                                        guint n_fields,
                                        JsonNode *node,
                                        const char *type_name,
                                        GError **error);

/* @node must hold an object; otherwise "<type_name>: not an object". */
JsonObject *_tally_json_node_get_object (JsonNode *node,
                                         const char *type_name,
                                         GError **error);
/* Member that is absent or null → TRUE with *out = NULL; an object → TRUE with
 * *out borrowed; anything else → FALSE and an error. */
gboolean _tally_json_get_optional_object (JsonObject *object,
                                          const char *member,
                                          const char *type_name,
                                          JsonObject **out,
                                          GError **error);
/* Borrowed string member. Absent or null → TRUE with *out = NULL, unless
 * @required (then an error). A non-string → FALSE and an error. */
gboolean _tally_json_get_string_member (JsonObject *object,
                                        const char *member,
                                        const char *type_name,
                                        gboolean required,
                                        const char **out,
                                        GError **error);
/* Optional nested object: absent or null → TRUE with *out = NULL; otherwise
 * *out = @item_func (node) (owned), and its error prefixed with @type_name. */
gboolean _tally_json_decode_optional (JsonObject *object,
                                      const char *member,
                                      const char *type_name,
                                      TallyItemFromJson item_func,
                                      gpointer *out,
                                      GError **error);
/* Decodes the array @member with @item_func into a new GListStore of
 * @item_type. null → empty; absent → empty unless @required. */
GListStore *_tally_json_decode_list (JsonObject *object,
                                     const char *member,
                                     const char *type_name,
                                     GType item_type,
                                     TallyItemFromJson item_func,
                                     gboolean required,
                                     GError **error);

/* Writing a model back (tally-model-json.h). A model registers its table once,
 * in class_init; tally_model_json_append() writes the fields in table order
 * (`"name":value`), then calls @write_extra, which appends the members the
 * model has beyond its table, each as `,"name":value` (starting with
 * _tally_json_append_member()). @write_field, when set, may write the value
 * of one field itself (TRUE) instead of the table's way (FALSE). */
typedef struct
{
  const TallyField *fields;
  guint n_fields;
  gboolean (*write_field) (gconstpointer instance,
                           const TallyField *field,
                           GString *out);
  void (*write_extra) (gconstpointer instance,
                       GString *out);
} TallyJsonModel;

/* @model must live as long as the type (a static const). */
void _tally_json_model_register (GType type,
                                 const TallyJsonModel *model);
/* Appends `,"name":` */
void _tally_json_append_member (GString *out,
                                const char *name);

/* For a model that is nothing but its table, in the spirit of G_DEFINE_TYPE;
 * after the instance struct and its `static const TallyField fields[]`:
 *
 *   TALLY_DEFINE_JSON_MODEL (TallyGroup, tally_group, fields, &json_model)
 *
 * defines the final type and its finalize (frees the table's members),
 * get_property (the table's read-only properties), class_init (registers
 * @json_model for tally_model_json_append() unless it is NULL, and installs
 * the properties) and init (the table's defaults). The model file keeps its
 * table, its constructor and its accessors; a model with more members than its
 * table writes its class code itself. */
#define TALLY_DEFINE_JSON_MODEL(TypeName, type_name, field_table, json_model)               \
  G_DEFINE_FINAL_TYPE (TypeName, type_name, G_TYPE_OBJECT)                                  \
                                                                                            \
  static GParamSpec *type_name##_properties[G_N_ELEMENTS (field_table) + 1];                \
                                                                                            \
  static void type_name##_finalize (GObject *object)                                        \
  {                                                                                         \
    _tally_json_fields_clear (field_table, G_N_ELEMENTS (field_table), object);             \
                                                                                            \
    G_OBJECT_CLASS (type_name##_parent_class)->finalize (object);                           \
  }                                                                                         \
                                                                                            \
  static void type_name##_get_property (GObject *object, guint prop_id, GValue *value,      \
                                        GParamSpec *pspec)                                  \
  {                                                                                         \
    if (!_tally_json_fields_get_property (field_table, G_N_ELEMENTS (field_table), object,  \
                                          prop_id, value))                                  \
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);                           \
  }                                                                                         \
                                                                                            \
  static void type_name##_class_init (TypeName##Class *klass)                               \
  {                                                                                         \
    GObjectClass *object_class = G_OBJECT_CLASS (klass);                                    \
    const TallyJsonModel *model = (json_model);                                             \
                                                                                            \
    if (model != NULL)                                                                      \
      _tally_json_model_register (G_OBJECT_CLASS_TYPE (klass), model);                      \
                                                                                            \
    object_class->finalize = type_name##_finalize;                                          \
    object_class->get_property = type_name##_get_property;                                  \
                                                                                            \
    _tally_json_fields_create_pspecs (field_table, G_N_ELEMENTS (field_table),              \
                                      type_name##_properties);                              \
    g_object_class_install_properties (object_class, G_N_ELEMENTS (type_name##_properties), \
                                       type_name##_properties);                             \
  }                                                                                         \
                                                                                            \
  static void type_name##_init (TypeName *self)                                             \
  {                                                                                         \
    _tally_json_fields_init (field_table, G_N_ELEMENTS (field_table), self);                \
  }

G_END_DECLS

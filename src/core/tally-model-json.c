/* tally-model-json.c: the models as JSON, from their field tables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-model-json"

#include "config.h"

#include <math.h>

#include "tally-format.h"
#include "tally-json-private.h"
#include "tally-model-json.h"

static GQuark
json_model_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("tally-json-model");

  return quark;
}

void
_tally_json_model_register (GType type,
                            const TallyJsonModel *model)
{
  g_return_if_fail (G_TYPE_IS_OBJECT (type));
  g_return_if_fail (model != NULL);
  g_return_if_fail (model->fields != NULL && model->n_fields > 0);

  g_type_set_qdata (type, json_model_quark (), (gpointer) model);
}

static const TallyJsonModel *
lookup_json_model (GType type)
{
  for (; type != 0; type = g_type_parent (type))
    {
      const TallyJsonModel *model = g_type_get_qdata (type, json_model_quark ());

      if (model != NULL)
        return model;
    }

  return NULL;
}

void
_tally_json_append_member (GString *out,
                           const char *name)
{
  g_string_append_c (out, ',');
  tally_model_json_append_string (out, name);
  g_string_append_c (out, ':');
}

static void
append_field (GString *out,
              const TallyField *field,
              gconstpointer instance)
{
  gconstpointer member = G_STRUCT_MEMBER_P (instance, field->offset);

  switch (field->type)
    {
      case TALLY_FIELD_INT:
        g_string_append_printf (out, "%" G_GINT64_FORMAT, *(const gint64 *) member);
        break;

      case TALLY_FIELD_INT_NULLABLE:
        /* unset is -1 (tally-json-private.h) */
        if (*(const gint64 *) member < 0)
          g_string_append (out, "null");
        else
          g_string_append_printf (out, "%" G_GINT64_FORMAT, *(const gint64 *) member);
        break;

      case TALLY_FIELD_DOUBLE:
      case TALLY_FIELD_DOUBLE_NULLABLE:
        /* unset is NAN */
        tally_model_json_append_double (out, *(const double *) member);
        break;

      case TALLY_FIELD_STRING:
        tally_model_json_append_string (out, *(char *const *) member);
        break;

      case TALLY_FIELD_BOOL:
        g_string_append (out, *(const gboolean *) member ? "true" : "false");
        break;

      case TALLY_FIELD_TIME:
        {
          GDateTime *dt = *(GDateTime *const *) member;
          g_autofree char *iso = dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;

          tally_model_json_append_string (out, iso);
        }
        break;

      default:
        g_assert_not_reached ();
    }
}

void
tally_model_json_append (GString *out,
                         gpointer model)
{
  const TallyJsonModel *json_model;

  g_return_if_fail (out != NULL);
  g_return_if_fail (model == NULL || G_IS_OBJECT (model));

  if (model == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  json_model = lookup_json_model (G_OBJECT_TYPE (model));
  g_return_if_fail (json_model != NULL);

  g_string_append_c (out, '{');
  for (guint i = 0; i < json_model->n_fields; i++)
    {
      const TallyField *field = &json_model->fields[i];

      if (i > 0)
        g_string_append_c (out, ',');
      tally_model_json_append_string (out, field->name);
      g_string_append_c (out, ':');

      if (json_model->write_field == NULL || !json_model->write_field (model, field, out))
        append_field (out, field, model);
    }
  if (json_model->write_extra != NULL)
    json_model->write_extra (model, out);
  g_string_append_c (out, '}');
}

void
tally_model_json_append_list (GString *out,
                              GListModel *models)
{
  guint n_items;

  g_return_if_fail (out != NULL);
  g_return_if_fail (G_IS_LIST_MODEL (models));

  n_items = g_list_model_get_n_items (models);
  g_string_append_c (out, '[');
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (models, i);

      if (i > 0)
        g_string_append_c (out, ',');
      tally_model_json_append (out, item);
    }
  g_string_append_c (out, ']');
}

/* The two-character escapes; every other control character is \u00XX. */
static const char *const short_escapes[0x80] = {
  ['"'] = "\\\"",
  ['\\'] = "\\\\",
  ['\n'] = "\\n",
  ['\r'] = "\\r",
  ['\t'] = "\\t",
};

void
tally_model_json_append_string (GString *out,
                                const char *text)
{
  g_autofree char *valid = NULL;
  const char *run;
  const char *p;

  g_return_if_fail (out != NULL);

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  /* runs that need no escape go in one piece */
  for (run = p = valid; *p != '\0'; p++)
    {
      guchar c = *p;

      /* bytes of multi-byte characters (valid UTF-8 by now) pass as they are */
      if (c >= 0x80 || (c >= 0x20 && c != 0x7f && short_escapes[c] == NULL))
        continue;

      g_string_append_len (out, run, p - run);
      if (short_escapes[c] != NULL)
        g_string_append (out, short_escapes[c]);
      else
        g_string_append_printf (out, "\\u%04x", c);
      run = p + 1;
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

void
tally_model_json_append_double (GString *out,
                                double value)
{
  g_autofree char *text = NULL;

  g_return_if_fail (out != NULL);

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  text = tally_format_number_exact (value);
  g_string_append (out, text);
}

/* tally-page.c: one page of a paginated list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-models-private.h"

#define TYPE_NAME N_ ("page")

struct _TallyPage
{
  GObject parent_instance;

  gint64 total;
  gint64 page;
  gint64 page_size;
  gint64 pages;

  GListStore *items;
};

G_DEFINE_FINAL_TYPE (TallyPage, tally_page, G_TYPE_OBJECT)

static const TallyField fields[] = {
  TALLY_FIELD (TallyPage, total, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyPage, page, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyPage, page_size, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyPage, pages, INT, TALLY_FIELD_REQUIRED),
};

enum
{
  PROP_0,
  PROP_ITEMS = G_N_ELEMENTS (fields) + 1,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
tally_page_dispose (GObject *object)
{
  TallyPage *self = (TallyPage *) object;

  g_clear_object (&self->items);

  G_OBJECT_CLASS (tally_page_parent_class)->dispose (object);
}

static void
tally_page_finalize (GObject *object)
{
  TallyPage *self = (TallyPage *) object;

  _tally_json_fields_clear (fields, G_N_ELEMENTS (fields), self);

  G_OBJECT_CLASS (tally_page_parent_class)->finalize (object);
}

static void
tally_page_get_property (GObject *object,
                         guint prop_id,
                         GValue *value,
                         GParamSpec *pspec)
{
  TallyPage *self = TALLY_PAGE (object);

  if (_tally_json_fields_get_property (fields, G_N_ELEMENTS (fields), self, prop_id, value))
    return;

  switch (prop_id)
    {
      case PROP_ITEMS:
        g_value_set_object (value, self->items);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_page_class_init (TallyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tally_page_dispose;
  object_class->finalize = tally_page_finalize;
  object_class->get_property = tally_page_get_property;

  _tally_json_fields_create_pspecs (fields, G_N_ELEMENTS (fields), properties);
  properties[PROP_ITEMS] = g_param_spec_object ("items", NULL, NULL, G_TYPE_LIST_MODEL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_page_init (TallyPage *self)
{
  _tally_json_fields_init (fields, G_N_ELEMENTS (fields), self);

  self->items = g_list_store_new (G_TYPE_OBJECT);
}

TallyPage *
_tally_page_new_from_json (JsonNode *data,
                           TallyItemFromJson item_func,
                           GError **error)
{
  g_autoptr (TallyPage) self = NULL;
  g_autoptr (GListStore) items = NULL;

  g_return_val_if_fail (item_func != NULL, NULL);

  self = _tally_json_fields_new_object (TALLY_TYPE_PAGE, fields, G_N_ELEMENTS (fields),
                                        data, TYPE_NAME, error);
  if (self == NULL)
    return NULL;

  items = _tally_json_decode_list (json_node_get_object (data), "items", TYPE_NAME,
                                   G_TYPE_OBJECT, item_func, TRUE, error);
  if (items == NULL)
    return NULL;

  g_set_object (&self->items, items);

  return g_steal_pointer (&self);
}

GListModel *
tally_page_get_items (TallyPage *self)
{
  g_return_val_if_fail (TALLY_IS_PAGE (self), NULL);

  return G_LIST_MODEL (self->items);
}

gint64
tally_page_get_total (TallyPage *self)
{
  g_return_val_if_fail (TALLY_IS_PAGE (self), 0);

  return self->total;
}

gint64
tally_page_get_page (TallyPage *self)
{
  g_return_val_if_fail (TALLY_IS_PAGE (self), 0);

  return self->page;
}

gint64
tally_page_get_page_size (TallyPage *self)
{
  g_return_val_if_fail (TALLY_IS_PAGE (self), 0);

  return self->page_size;
}

gint64
tally_page_get_pages (TallyPage *self)
{
  g_return_val_if_fail (TALLY_IS_PAGE (self), 0);

  return self->pages;
}

gboolean
tally_page_is_last (TallyPage *self)
{
  g_return_val_if_fail (TALLY_IS_PAGE (self), TRUE);

  return self->page >= self->pages || g_list_model_get_n_items (G_LIST_MODEL (self->items)) < self->page_size;
}

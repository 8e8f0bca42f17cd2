/* tally-user.c: a sub2api user (wechat, notes and allowed_groups are not kept)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-user"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-models-private.h"

#define TYPE_NAME N_ ("user")

struct _TallyUser
{
  GObject parent_instance;

  gint64 id;
  char *email;
  char *username;
  char *role;
  double balance;
  gint64 concurrency;
  char *status;
  GDateTime *created_at;
};

G_DEFINE_FINAL_TYPE (TallyUser, tally_user, G_TYPE_OBJECT)

static const TallyField fields[] = {
  TALLY_FIELD (TallyUser, id, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUser, email, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUser, username, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUser, role, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUser, balance, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUser, concurrency, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUser, status, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUser, created_at, TIME, TALLY_FIELD_REQUIRED),
};

enum
{
  PROP_0,
  N_PROPS = G_N_ELEMENTS (fields) + 1,
};

static GParamSpec *properties[N_PROPS];

static void
tally_user_finalize (GObject *object)
{
  TallyUser *self = (TallyUser *) object;

  _tally_json_fields_clear (fields, G_N_ELEMENTS (fields), self);

  G_OBJECT_CLASS (tally_user_parent_class)->finalize (object);
}

static void
tally_user_get_property (GObject *object,
                         guint prop_id,
                         GValue *value,
                         GParamSpec *pspec)
{
  if (!_tally_json_fields_get_property (fields, G_N_ELEMENTS (fields), object, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static const TallyJsonModel json_model = { fields, G_N_ELEMENTS (fields), NULL, NULL };

static void
tally_user_class_init (TallyUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  _tally_json_model_register (G_OBJECT_CLASS_TYPE (klass), &json_model);

  object_class->finalize = tally_user_finalize;
  object_class->get_property = tally_user_get_property;

  _tally_json_fields_create_pspecs (fields, G_N_ELEMENTS (fields), properties);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_user_init (TallyUser *self)
{
  _tally_json_fields_init (fields, G_N_ELEMENTS (fields), self);
}

TallyUser *
_tally_user_new_from_json (JsonNode *node,
                           GError **error)
{
  return _tally_json_fields_new_object (TALLY_TYPE_USER, fields, G_N_ELEMENTS (fields),
                                        node, TYPE_NAME, error);
}

gint64
tally_user_get_id (TallyUser *self)
{
  g_return_val_if_fail (TALLY_IS_USER (self), 0);

  return self->id;
}

const char *
tally_user_get_email (TallyUser *self)
{
  g_return_val_if_fail (TALLY_IS_USER (self), NULL);

  return self->email;
}

const char *
tally_user_get_username (TallyUser *self)
{
  g_return_val_if_fail (TALLY_IS_USER (self), NULL);

  return self->username;
}

const char *
tally_user_get_role (TallyUser *self)
{
  g_return_val_if_fail (TALLY_IS_USER (self), NULL);

  return self->role;
}

double
tally_user_get_balance (TallyUser *self)
{
  g_return_val_if_fail (TALLY_IS_USER (self), 0.0);

  return self->balance;
}

gint64
tally_user_get_concurrency (TallyUser *self)
{
  g_return_val_if_fail (TALLY_IS_USER (self), 0);

  return self->concurrency;
}

const char *
tally_user_get_status (TallyUser *self)
{
  g_return_val_if_fail (TALLY_IS_USER (self), NULL);

  return self->status;
}

GDateTime *
tally_user_get_created_at (TallyUser *self)
{
  g_return_val_if_fail (TALLY_IS_USER (self), NULL);

  return self->created_at;
}

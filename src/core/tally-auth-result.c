/* tally-auth-result.c: the answer of a login: a token, or (L) a 2FA challenge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-auth-result"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-error.h"
#include "tally-models-private.h"

#define TYPE_NAME N_ ("login result")

struct _TallyAuthResult
{
  GObject parent_instance;

  char *access_token;
  char *token_type;
  char *refresh_token;
  gint64 expires_in;
  gboolean requires_2fa;
  char *temp_token;
  char *user_email_masked;

  TallyUser *user;
};

G_DEFINE_FINAL_TYPE (TallyAuthResult, tally_auth_result, G_TYPE_OBJECT)

static const TallyField fields[] = {
  TALLY_FIELD (TallyAuthResult, access_token, STRING, TALLY_FIELD_OPTIONAL | TALLY_FIELD_KEEP_NULL),
  TALLY_FIELD (TallyAuthResult, token_type, STRING, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyAuthResult, refresh_token, STRING, TALLY_FIELD_OPTIONAL | TALLY_FIELD_KEEP_NULL),
  TALLY_FIELD (TallyAuthResult, expires_in, INT_NULLABLE, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyAuthResult, requires_2fa, BOOL, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyAuthResult, temp_token, STRING, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyAuthResult, user_email_masked, STRING, TALLY_FIELD_OPTIONAL),
};

enum
{
  PROP_0,
  PROP_USER = G_N_ELEMENTS (fields) + 1,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static void
tally_auth_result_dispose (GObject *object)
{
  TallyAuthResult *self = (TallyAuthResult *) object;

  g_clear_object (&self->user);

  G_OBJECT_CLASS (tally_auth_result_parent_class)->dispose (object);
}

static void
tally_auth_result_finalize (GObject *object)
{
  TallyAuthResult *self = (TallyAuthResult *) object;

  _tally_json_fields_clear (fields, G_N_ELEMENTS (fields), self);

  G_OBJECT_CLASS (tally_auth_result_parent_class)->finalize (object);
}

static void
tally_auth_result_get_property (GObject *object,
                                guint prop_id,
                                GValue *value,
                                GParamSpec *pspec)
{
  TallyAuthResult *self = TALLY_AUTH_RESULT (object);

  if (_tally_json_fields_get_property (fields, G_N_ELEMENTS (fields), self, prop_id, value))
    return;

  switch (prop_id)
    {
      case PROP_USER:
        g_value_set_object (value, self->user);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_auth_result_class_init (TallyAuthResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tally_auth_result_dispose;
  object_class->finalize = tally_auth_result_finalize;
  object_class->get_property = tally_auth_result_get_property;

  _tally_json_fields_create_pspecs (fields, G_N_ELEMENTS (fields), properties);
  properties[PROP_USER] = g_param_spec_object ("user", NULL, NULL, TALLY_TYPE_USER,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_auth_result_init (TallyAuthResult *self)
{
  _tally_json_fields_init (fields, G_N_ELEMENTS (fields), self);
}

TallyAuthResult *
_tally_auth_result_new_from_json (JsonNode *node,
                                  GError **error)
{
  g_autoptr (TallyAuthResult) self = NULL;

  self = _tally_json_fields_new_object (TALLY_TYPE_AUTH_RESULT, fields, G_N_ELEMENTS (fields),
                                        node, TYPE_NAME, error);
  if (self == NULL)
    return NULL;

  if (!_tally_json_decode_optional (json_node_get_object (node), "user", TYPE_NAME,
                                    (TallyItemFromJson) _tally_user_new_from_json,
                                    (gpointer *) &self->user, error))
    return NULL;

  /* Either a token or a 2FA challenge (L). */
  if ((self->access_token == NULL || self->access_token[0] == '\0') && (!self->requires_2fa || self->temp_token[0] == '\0'))
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE,
                   _ ("%s: “%s” is missing"), _ (TYPE_NAME),
                   self->requires_2fa ? "temp_token" : "access_token");
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
tally_auth_result_get_access_token (TallyAuthResult *self)
{
  g_return_val_if_fail (TALLY_IS_AUTH_RESULT (self), NULL);

  return self->access_token;
}

const char *
tally_auth_result_get_token_type (TallyAuthResult *self)
{
  g_return_val_if_fail (TALLY_IS_AUTH_RESULT (self), NULL);

  return self->token_type;
}

const char *
tally_auth_result_get_refresh_token (TallyAuthResult *self)
{
  g_return_val_if_fail (TALLY_IS_AUTH_RESULT (self), NULL);

  return self->refresh_token;
}

gint64
tally_auth_result_get_expires_in (TallyAuthResult *self)
{
  g_return_val_if_fail (TALLY_IS_AUTH_RESULT (self), -1);

  return self->expires_in;
}

TallyUser *
tally_auth_result_get_user (TallyAuthResult *self)
{
  g_return_val_if_fail (TALLY_IS_AUTH_RESULT (self), NULL);

  return self->user;
}

gboolean
tally_auth_result_get_requires_2fa (TallyAuthResult *self)
{
  g_return_val_if_fail (TALLY_IS_AUTH_RESULT (self), FALSE);

  return self->requires_2fa;
}

const char *
tally_auth_result_get_temp_token (TallyAuthResult *self)
{
  g_return_val_if_fail (TALLY_IS_AUTH_RESULT (self), NULL);

  return self->temp_token;
}

const char *
tally_auth_result_get_user_email_masked (TallyAuthResult *self)
{
  g_return_val_if_fail (TALLY_IS_AUTH_RESULT (self), NULL);

  return self->user_email_masked;
}

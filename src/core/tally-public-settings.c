/* tally-public-settings.c: GET /settings/public (every field optional)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-public-settings"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-models-private.h"

#define TYPE_NAME N_ ("public settings")

struct _TallyPublicSettings
{
  GObject parent_instance;

  gboolean registration_enabled;
  gboolean turnstile_enabled;
  char *turnstile_site_key;
  char *site_name;
  char *site_subtitle;
  char *version;
  char *server_timezone;
  char *server_utc_offset;
  gboolean tencent_captcha_enabled;
  gboolean aliyun_captcha_enabled;
  gboolean balance_low_notify_enabled;
  double balance_low_notify_threshold;
};

static const TallyField fields[] = {
  TALLY_FIELD (TallyPublicSettings, registration_enabled, BOOL, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyPublicSettings, turnstile_enabled, BOOL, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyPublicSettings, turnstile_site_key, STRING, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyPublicSettings, site_name, STRING, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyPublicSettings, site_subtitle, STRING, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyPublicSettings, version, STRING, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyPublicSettings, server_timezone, STRING, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyPublicSettings, server_utc_offset, STRING, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyPublicSettings, tencent_captcha_enabled, BOOL, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyPublicSettings, aliyun_captcha_enabled, BOOL, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyPublicSettings, balance_low_notify_enabled, BOOL, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyPublicSettings, balance_low_notify_threshold, DOUBLE, TALLY_FIELD_OPTIONAL),
};

TALLY_DEFINE_JSON_MODEL (TallyPublicSettings, tally_public_settings, fields, NULL)

TallyPublicSettings *
_tally_public_settings_new_from_json (JsonNode *node,
                                      GError **error)
{
  return _tally_json_fields_new_object (TALLY_TYPE_PUBLIC_SETTINGS, fields, G_N_ELEMENTS (fields),
                                        node, TYPE_NAME, error);
}

gboolean
tally_public_settings_get_registration_enabled (TallyPublicSettings *self)
{
  g_return_val_if_fail (TALLY_IS_PUBLIC_SETTINGS (self), FALSE);

  return self->registration_enabled;
}

gboolean
tally_public_settings_get_turnstile_enabled (TallyPublicSettings *self)
{
  g_return_val_if_fail (TALLY_IS_PUBLIC_SETTINGS (self), FALSE);

  return self->turnstile_enabled;
}

const char *
tally_public_settings_get_turnstile_site_key (TallyPublicSettings *self)
{
  g_return_val_if_fail (TALLY_IS_PUBLIC_SETTINGS (self), NULL);

  return self->turnstile_site_key;
}

const char *
tally_public_settings_get_site_name (TallyPublicSettings *self)
{
  g_return_val_if_fail (TALLY_IS_PUBLIC_SETTINGS (self), NULL);

  return self->site_name;
}

const char *
tally_public_settings_get_site_subtitle (TallyPublicSettings *self)
{
  g_return_val_if_fail (TALLY_IS_PUBLIC_SETTINGS (self), NULL);

  return self->site_subtitle;
}

const char *
tally_public_settings_get_version (TallyPublicSettings *self)
{
  g_return_val_if_fail (TALLY_IS_PUBLIC_SETTINGS (self), NULL);

  return self->version;
}

const char *
tally_public_settings_get_server_timezone (TallyPublicSettings *self)
{
  g_return_val_if_fail (TALLY_IS_PUBLIC_SETTINGS (self), NULL);

  return self->server_timezone;
}

const char *
tally_public_settings_get_server_utc_offset (TallyPublicSettings *self)
{
  g_return_val_if_fail (TALLY_IS_PUBLIC_SETTINGS (self), NULL);

  return self->server_utc_offset;
}

gboolean
tally_public_settings_get_tencent_captcha_enabled (TallyPublicSettings *self)
{
  g_return_val_if_fail (TALLY_IS_PUBLIC_SETTINGS (self), FALSE);

  return self->tencent_captcha_enabled;
}

gboolean
tally_public_settings_get_aliyun_captcha_enabled (TallyPublicSettings *self)
{
  g_return_val_if_fail (TALLY_IS_PUBLIC_SETTINGS (self), FALSE);

  return self->aliyun_captcha_enabled;
}

gboolean
tally_public_settings_get_balance_low_notify_enabled (TallyPublicSettings *self)
{
  g_return_val_if_fail (TALLY_IS_PUBLIC_SETTINGS (self), FALSE);

  return self->balance_low_notify_enabled;
}

double
tally_public_settings_get_balance_low_notify_threshold (TallyPublicSettings *self)
{
  g_return_val_if_fail (TALLY_IS_PUBLIC_SETTINGS (self), 0);

  return self->balance_low_notify_threshold;
}

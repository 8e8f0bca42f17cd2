/* tally-public-settings.h: GET /settings/public
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_PUBLIC_SETTINGS (tally_public_settings_get_type ())

G_DECLARE_FINAL_TYPE (TallyPublicSettings, tally_public_settings, TALLY, PUBLIC_SETTINGS, GObject)

gboolean tally_public_settings_get_registration_enabled (TallyPublicSettings *self);
gboolean tally_public_settings_get_turnstile_enabled (TallyPublicSettings *self);
const char *tally_public_settings_get_turnstile_site_key (TallyPublicSettings *self);
const char *tally_public_settings_get_site_name (TallyPublicSettings *self);
const char *tally_public_settings_get_site_subtitle (TallyPublicSettings *self);
const char *tally_public_settings_get_version (TallyPublicSettings *self);

/* Every field is optional: missing → FALSE / "". */

G_END_DECLS

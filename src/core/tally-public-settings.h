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
/* Since Jul 2026 (API-2026.md §4): the server's IANA zone name
 * ("America/New_York") and its offset now ("-05:00"); "" on older servers. */
const char *tally_public_settings_get_server_timezone (TallyPublicSettings *self);
const char *tally_public_settings_get_server_utc_offset (TallyPublicSettings *self);
/* Since Aug 2026: captchas a desktop client cannot show (like Turnstile). */
gboolean tally_public_settings_get_tencent_captcha_enabled (TallyPublicSettings *self);
gboolean tally_public_settings_get_aliyun_captcha_enabled (TallyPublicSettings *self);

/* Today's servers (API-2026.md §4): whether the server warns of a low
 * balance, and below what (USD; 0 when not sent). */
gboolean tally_public_settings_get_balance_low_notify_enabled (TallyPublicSettings *self);
double tally_public_settings_get_balance_low_notify_threshold (TallyPublicSettings *self);

/* Every field is optional: missing → FALSE / "". */

G_END_DECLS

/* tally-auth-result.h: the answer of POST /auth/login (and /auth/login/2fa, /auth/refresh)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"
#include "tally-user.h"

G_BEGIN_DECLS

#define TALLY_TYPE_AUTH_RESULT (tally_auth_result_get_type ())

G_DECLARE_FINAL_TYPE (TallyAuthResult, tally_auth_result, TALLY, AUTH_RESULT, GObject)

const char *tally_auth_result_get_access_token (TallyAuthResult *self);
const char *tally_auth_result_get_token_type (TallyAuthResult *self);
const char *tally_auth_result_get_refresh_token (TallyAuthResult *self);
gint64 tally_auth_result_get_expires_in (TallyAuthResult *self);
TallyUser *tally_auth_result_get_user (TallyAuthResult *self);
gboolean tally_auth_result_get_requires_2fa (TallyAuthResult *self);
const char *tally_auth_result_get_temp_token (TallyAuthResult *self);
const char *tally_auth_result_get_user_email_masked (TallyAuthResult *self);

/* access_token is NULL in a 2FA challenge (requires_2fa TRUE, temp_token set);
 * refresh_token is NULL and expires_in -1 when not sent (S); user may be NULL. */

G_END_DECLS

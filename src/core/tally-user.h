/* tally-user.h: a sub2api user (GET /auth/me, login)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_USER (tally_user_get_type ())

G_DECLARE_FINAL_TYPE (TallyUser, tally_user, TALLY, USER, GObject)

gint64 tally_user_get_id (TallyUser *self);
const char *tally_user_get_email (TallyUser *self);
const char *tally_user_get_username (TallyUser *self);
const char *tally_user_get_role (TallyUser *self);
double tally_user_get_balance (TallyUser *self);
gint64 tally_user_get_concurrency (TallyUser *self);
const char *tally_user_get_status (TallyUser *self);
GDateTime *tally_user_get_created_at (TallyUser *self);

G_END_DECLS

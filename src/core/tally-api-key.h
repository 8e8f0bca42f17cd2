/* tally-api-key.h: one of the user's API keys (the secret itself is never kept)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"
#include "tally-group.h"

G_BEGIN_DECLS

#define TALLY_TYPE_API_KEY (tally_api_key_get_type ())

G_DECLARE_FINAL_TYPE (TallyApiKey, tally_api_key, TALLY, API_KEY, GObject)

gint64 tally_api_key_get_id (TallyApiKey *self);
gint64 tally_api_key_get_user_id (TallyApiKey *self);
const char *tally_api_key_get_name (TallyApiKey *self);
const char *tally_api_key_get_status (TallyApiKey *self);
gint64 tally_api_key_get_group_id (TallyApiKey *self);
GDateTime *tally_api_key_get_created_at (TallyApiKey *self);
GDateTime *tally_api_key_get_updated_at (TallyApiKey *self);
TallyGroup *tally_api_key_get_group (TallyApiKey *self);
const char *tally_api_key_get_masked_key (TallyApiKey *self);

/* group_id is -1 when the key has no group; group is NULL when not sent.
 * masked_key is e.g. "sk-68f4…07d2" ("••••" for keys shorter than 12
 * characters, "" when the server sent no key). */

gboolean tally_api_key_is_active (TallyApiKey *self);

/* The ids of @keys (a list of TallyApiKey), in order: a new GArray of gint64. */
GArray *tally_api_key_collect_ids (GListModel *keys);

G_END_DECLS

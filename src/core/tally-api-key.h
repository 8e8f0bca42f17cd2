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

/* The quota fields of today's servers (API-2026.md §5). A December 2025
 * server sends none: has_quota is FALSE and every value is unknown (NAN,
 * NULL), not 0. quota 0 is no quota; a rate limit 0 is no limit. The rolling
 * windows are 5 h, 1 d and 7 d. */
typedef enum
{
  TALLY_KEY_WINDOW_5H,
  TALLY_KEY_WINDOW_1D,
  TALLY_KEY_WINDOW_7D,
} TallyKeyWindow;

#define TALLY_KEY_N_WINDOWS 3

gboolean tally_api_key_has_quota (TallyApiKey *self);
double tally_api_key_get_quota (TallyApiKey *self);
double tally_api_key_get_quota_used (TallyApiKey *self);
/* NULL: never expires, or unknown */
GDateTime *tally_api_key_get_expires_at (TallyApiKey *self);
double tally_api_key_get_rate_limit (TallyApiKey *self,
                                     TallyKeyWindow window);
double tally_api_key_get_window_usage (TallyApiKey *self,
                                       TallyKeyWindow window);
/* NULL while no window runs */
GDateTime *tally_api_key_get_window_start (TallyApiKey *self,
                                           TallyKeyWindow window);
GDateTime *tally_api_key_get_window_reset (TallyApiKey *self,
                                           TallyKeyWindow window);

/* The ids of @keys (a list of TallyApiKey), in order: a new GArray of gint64. */
GArray *tally_api_key_collect_ids (GListModel *keys);

G_END_DECLS

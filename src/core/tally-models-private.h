/* tally-models-private.h: JSON constructors of the models (core-internal)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each constructor takes the JSON node of one object (usually the envelope's
 * `data` member or an element of it) and returns a new object, or NULL and a
 * TALLY_ERROR_BAD_RESPONSE whose message names the type and the field when the
 * node is not an object, a required field is missing or a field has the wrong
 * type. Unknown fields are ignored.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "tally-api-key.h"
#include "tally-auth-result.h"
#include "tally-dashboard-stats.h"
#include "tally-group.h"
#include "tally-json-private.h"
#include "tally-key-usage.h"
#include "tally-model-breakdown.h"
#include "tally-model-stat.h"
#include "tally-page.h"
#include "tally-public-settings.h"
#include "tally-trend-point.h"
#include "tally-trend.h"
#include "tally-usage-log.h"
#include "tally-usage-stats.h"
#include "tally-user.h"

G_BEGIN_DECLS

/* typedef gpointer (*TallyItemFromJson) (JsonNode *node, GError **error);
 * comes from tally-json-private.h. */

TallyUser *_tally_user_new_from_json (JsonNode *node,
                                      GError **error);
TallyGroup *_tally_group_new_from_json (JsonNode *node,
                                        GError **error);
TallyApiKey *_tally_api_key_new_from_json (JsonNode *node,
                                           GError **error);
TallyUsageLog *_tally_usage_log_new_from_json (JsonNode *node,
                                               GError **error);
TallyUsageStats *_tally_usage_stats_new_from_json (JsonNode *node,
                                                   GError **error);
TallyDashboardStats *_tally_dashboard_stats_new_from_json (JsonNode *node,
                                                           GError **error);
TallyTrendPoint *_tally_trend_point_new_from_json (JsonNode *node,
                                                   GError **error);
TallyTrend *_tally_trend_new_from_json (JsonNode *node,
                                        GError **error);
TallyModelStat *_tally_model_stat_new_from_json (JsonNode *node,
                                                 GError **error);
TallyModelBreakdown *_tally_model_breakdown_new_from_json (JsonNode *node,
                                                           GError **error);
TallyKeyUsage *_tally_key_usage_new_from_json (JsonNode *node,
                                               GError **error);
TallyPublicSettings *_tally_public_settings_new_from_json (JsonNode *node,
                                                           GError **error);
TallyAuthResult *_tally_auth_result_new_from_json (JsonNode *node,
                                                   GError **error);

/* @data: {"items":[...],"total":N,"page":N,"page_size":N,"pages":N}; each
 * element of items goes through @item_func (e.g. _tally_usage_log_new_from_json
 * cast to TallyItemFromJson). The store's item type is G_TYPE_OBJECT. */
TallyPage *_tally_page_new_from_json (JsonNode *data,
                                      TallyItemFromJson item_func,
                                      GError **error);

/* @data: {"stats":{"<id>":{...},...}} → GListStore of TallyKeyUsage sorted by
 * api_key_id; "stats" null, absent or {} → empty store. */
GListModel *_tally_key_usage_list_new_from_json (JsonNode *data,
                                                 GError **error);

/* a + b clamped to the gint64 range: token counts from the server are summed
 * with it */
static inline gint64
_tally_add_saturating (gint64 a,
                       gint64 b)
{
  if (b > 0 && a > G_MAXINT64 - b)
    return G_MAXINT64;
  if (b < 0 && a < G_MININT64 - b)
    return G_MININT64;

  return a + b;
}

/* Replaces the string in *@slot with a copy of @value and notifies @pspec
 * of @object, unless it is the same text. */
static inline void
_tally_set_string_notify (GObject *object,
                          char **slot,
                          const char *value,
                          GParamSpec *pspec)
{
  if (g_strcmp0 (*slot, value) == 0)
    return;
  g_free (*slot);
  *slot = g_strdup (value);
  g_object_notify_by_pspec (object, pspec);
}

G_END_DECLS

/* tally-subscription-private.h: decoding the subscription models (core only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "tally-subscription.h"

G_BEGIN_DECLS

TallyQuotaWindow *_tally_quota_window_new_from_json (JsonNode *node,
                                                     GError **error);
TallySubscription *_tally_subscription_new_from_json (JsonNode *node,
                                                      GError **error);
/* One element of /subscriptions/progress: {subscription, progress} */
TallySubscriptionProgress *_tally_subscription_progress_new_from_json (JsonNode *node,
                                                                       GError **error);
TallyPlatformQuota *_tally_platform_quota_new_from_json (JsonNode *node,
                                                         GError **error);
/* @node holds an array; a new GListStore of @item_type */
GListModel *_tally_json_decode_array (JsonNode *node,
                                      const char *type_name,
                                      GType item_type,
                                      TallyItemFromJson item_func,
                                      GError **error);

G_END_DECLS

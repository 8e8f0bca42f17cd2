/* tally-client-quotas.h: subscription windows and per-platform quotas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests of API-2026.md §5 through the client's normal send path (the
 * scheduler, retries and the token refresh apply).
 */

#pragma once

#include <gio/gio.h>

#include "tally-client.h"
#include "tally-subscription.h"

G_BEGIN_DECLS

/* GET /subscriptions/progress (December 2025 servers too): a list of
 * TallySubscriptionProgress, one per active subscription. */
void tally_client_get_subscription_progress_async (TallyClient *self,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer user_data);
GListModel *tally_client_get_subscription_progress_finish (TallyClient *self,
                                                           GAsyncResult *result,
                                                           GError **error);

/* GET /user/platform-quotas (servers since May 2026): a list of
 * TallyPlatformQuota. A server without the route answers a plain 404: that
 * is TALLY_ERROR_NOT_SUPPORTED, and the client remembers it, so every later
 * call fails the same way at once, without a request. */
void tally_client_get_platform_quotas_async (TallyClient *self,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data);
GListModel *tally_client_get_platform_quotas_finish (TallyClient *self,
                                                     GAsyncResult *result,
                                                     GError **error);

G_END_DECLS

/* tally-client-quotas.c: subscription windows and per-platform quotas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-client"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-client-private.h"
#include "tally-client-quotas.h"
#include "tally-error.h"
#include "tally-json-private.h"
#include "tally-subscription-private.h"

static gpointer
decode_progress (JsonNode *data,
                 GError **error)
{
  return _tally_json_decode_array (data, N_ ("subscription progress"), TALLY_TYPE_SUBSCRIPTION_PROGRESS,
                                   (TallyItemFromJson) _tally_subscription_progress_new_from_json, error);
}

void
tally_client_get_subscription_progress_async (TallyClient *self,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer user_data)
{
  const Request request = {
    .method = "GET",
    .path = "/subscriptions/progress",
    .decode = decode_progress,
    .source_tag = tally_client_get_subscription_progress_async,
  };

  g_return_if_fail (TALLY_IS_CLIENT (self));

  _tally_client_send (self, &request, cancellable, callback, user_data);
}

GListModel *
tally_client_get_subscription_progress_finish (TallyClient *self,
                                               GAsyncResult *result,
                                               GError **error)
{
  return _tally_client_send_finish (self, result, tally_client_get_subscription_progress_async, error);
}

static gpointer
decode_platform_quotas (JsonNode *data,
                        GError **error)
{
  JsonObject *object;

  if (!(object = _tally_json_node_get_object (data, N_ ("platform quotas"), error)))
    return NULL;

  return _tally_json_decode_array (json_object_get_member (object, "platform_quotas"), N_ ("platform quotas"),
                                   TALLY_TYPE_PLATFORM_QUOTA,
                                   (TallyItemFromJson) _tally_platform_quota_new_from_json, error);
}

static void
platform_quotas_cb (GObject *object,
                    GAsyncResult *result,
                    gpointer user_data)
{
  TallyClient *self = TALLY_CLIENT (object);
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  GListModel *quotas;

  quotas = _tally_client_send_finish (self, result, decode_platform_quotas, &error);
  if (quotas == NULL)
    {
      if (g_error_matches (error, TALLY_ERROR, TALLY_ERROR_NOT_SUPPORTED))
        self->no_platform_quotas = TRUE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, quotas, g_object_unref);
}

void
tally_client_get_platform_quotas_async (TallyClient *self,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  const Request request = {
    .method = "GET",
    .path = "/user/platform-quotas",
    .decode = decode_platform_quotas,
    .source_tag = decode_platform_quotas,
  };
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (TALLY_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_client_get_platform_quotas_async);

  if (self->no_platform_quotas)
    {
      g_task_return_new_error (task, TALLY_ERROR, TALLY_ERROR_NOT_SUPPORTED,
                               _ ("This server has no per-platform quotas"));
      return;
    }

  _tally_client_send (self, &request, cancellable, platform_quotas_cb, g_steal_pointer (&task));
}

GListModel *
tally_client_get_platform_quotas_finish (TallyClient *self,
                                         GAsyncResult *result,
                                         GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tally_client_get_platform_quotas_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

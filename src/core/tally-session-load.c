/* tally-session-load.c: loading the account's data (user, dashboard stats,
 * recent trend, keys, the server's zone) and reloading it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-session"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tally-api-key.h"
#include "tally-auth-result.h"
#include "tally-client.h"
#include "tally-credentials-private.h"
#include "tally-credentials.h"
#include "tally-dashboard-stats.h"
#include "tally-demo-backend.h"
#include "tally-error.h"
#include "tally-page.h"
#include "tally-public-settings.h"
#include "tally-server-zone.h"
#include "tally-session-private.h"
#include "tally-session.h"
#include "tally-task-private.h"
#include "tally-trend.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-user.h"

typedef struct
{
  guint pending;
  GError *error;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_error (&load->error);
  g_free (load);
}

void
_tally_session_cancel_load (TallySession *self)
{
  g_clear_handle_id (&self->reload_source, g_source_remove);

  if (self->load_cancellable != NULL)
    {
      g_cancellable_cancel (self->load_cancellable);
      g_clear_object (&self->load_cancellable);
    }
}

void
_tally_session_complete_waiters (TallySession *self,
                                 const GError *error)
{
  g_autoptr (GPtrArray) waiters = NULL;

  g_assert (TALLY_IS_SESSION (self));

  if (self->load_waiters->len == 0)
    return;

  waiters = g_steal_pointer (&self->load_waiters);
  self->load_waiters = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
finish_load (TallySession *self,
             const GError *error)
{
  g_assert (TALLY_IS_SESSION (self));

  if (error == NULL)
    {
      self->validating = FALSE;
      _tally_session_set_state (self, TALLY_SESSION_STATE_READY);
      _tally_session_set_last_error (self, NULL);
      /* The server's Date is known now: the clock skew is exact. */
      _tally_session_schedule_expiry (self);
      _tally_session_emit_reloaded (self);
      _tally_session_complete_waiters (self, NULL);
      return;
    }

  if (self->validating)
    {
      /* A pasted token that does not work is refused; the login page shows why. */
      self->validating = FALSE;
      _tally_session_clear_expiry (self);
      if (self->client != NULL)
        tally_client_set_token (self->client, NULL);
      _tally_session_set_state (self, TALLY_SESSION_STATE_LOGGED_OUT);
      _tally_session_complete_waiters (self, error);
      return;
    }

  if (tally_error_ends_session (error))
    {
      _tally_session_expire (self, error);
      _tally_session_complete_waiters (self, error);
      return;
    }

  /* Keep the last good data; the error is shown as a toast. */
  if (self->state == TALLY_SESSION_STATE_LOADING)
    _tally_session_set_state (self, TALLY_SESSION_STATE_READY);
  _tally_session_set_last_error (self, error->message);
  _tally_session_emit_reloaded (self);
  _tally_session_complete_waiters (self, NULL);
}

static void
load_done_cb (GObject *object,
              GAsyncResult *result,
              gpointer user_data)
{
  TallySession *self = TALLY_SESSION (object);
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* replaced by a newer load, or logged out */

  /* This was the current load. */
  g_clear_object (&self->load_cancellable);
  _tally_session_update_busy (self);

  finish_load (self, error);
}

static void
load_item_done (GTask *task,
                GError *error)
{
  LoadData *load = g_task_get_task_data (task);

  if (error != NULL)
    {
      /* Report a 401 above anything else: it decides the state. */
      if (load->error == NULL || g_error_matches (load->error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || (g_error_matches (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED) && !g_error_matches (load->error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED)))
        {
          g_clear_error (&load->error);
          load->error = error;
        }
      else
        g_error_free (error);
    }

  _tally_task_part_done (task, &load->pending, &load->error);
}

static gboolean
load_is_current (GTask *task)
{
  return !g_cancellable_is_cancelled (g_task_get_cancellable (task));
}

static void
get_me_cb (GObject *object,
           GAsyncResult *result,
           gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (TallyUser) user = NULL;
  g_autoptr (GError) error = NULL;

  user = tally_client_get_me_finish (TALLY_CLIENT (object), result, &error);
  if (user != NULL && load_is_current (task))
    _tally_session_set_user (g_task_get_source_object (task), user);

  load_item_done (task, g_steal_pointer (&error));
}

static void
get_dashboard_stats_cb (GObject *object,
                        GAsyncResult *result,
                        gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autoptr (GError) error = NULL;

  stats = tally_client_get_dashboard_stats_finish (TALLY_CLIENT (object), result, &error);
  if (stats != NULL && load_is_current (task))
    _tally_session_set_dashboard_stats (g_task_get_source_object (task), stats);

  load_item_done (task, g_steal_pointer (&error));
}

static void
get_trend_cb (GObject *object,
              GAsyncResult *result,
              gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (TallyTrend) trend = NULL;
  g_autoptr (GError) error = NULL;

  trend = tally_client_get_trend_finish (TALLY_CLIENT (object), result, &error);
  if (trend != NULL && load_is_current (task))
    {
      TallySession *self = g_task_get_source_object (task);
      const char *end_date = tally_trend_get_end_date (trend);

      /* With no parameters the trend ends on the server's current date. */
      if (end_date[0] != '\0')
        _tally_session_set_server_today (self, end_date);
      _tally_session_update_zone (self);
      _tally_session_set_recent_trend (self, trend);
    }

  load_item_done (task, g_steal_pointer (&error));
}

static void
list_all_keys_cb (GObject *object,
                  GAsyncResult *result,
                  gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GListModel) keys = NULL;
  g_autoptr (GError) error = NULL;

  keys = tally_client_list_all_keys_finish (TALLY_CLIENT (object), result, &error);
  if (keys != NULL && load_is_current (task))
    _tally_session_set_keys (g_task_get_source_object (task), keys);

  load_item_done (task, g_steal_pointer (&error));
}

/* Learning the zone is best effort: only a 401 (or a cancel) counts for the load. */
static GError *
zone_error (GError *error)
{
  if (error == NULL || g_error_matches (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  g_debug ("Could not learn the server's time zone: %s", error->message);
  g_error_free (error);
  return NULL;
}

static void
newest_row_cb (GObject *object,
               GAsyncResult *result,
               gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (TallyPage) page = NULL;
  g_autoptr (GError) error = NULL;

  page = tally_client_list_usage_finish (TALLY_CLIENT (object), result, &error);
  if (page != NULL && load_is_current (task))
    {
      GListModel *items = tally_page_get_items (page);
      g_autoptr (TallyUsageLog) newest = NULL;

      if (g_list_model_get_n_items (items) > 0)
        newest = g_list_model_get_item (items, 0);
      if (newest != NULL)
        tally_session_note_server_timestamp (g_task_get_source_object (task),
                                             tally_usage_log_get_created_at (newest));
    }

  load_item_done (task, zone_error (g_steal_pointer (&error)));
}

static void
load_settings_cb (GObject *object,
                  GAsyncResult *result,
                  gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (TallyPublicSettings) settings = NULL;
  g_autoptr (GError) error = NULL;

  settings = tally_client_get_public_settings_finish (TALLY_CLIENT (object), result, &error);
  if (settings != NULL && load_is_current (task))
    {
      TallySession *self = g_task_get_source_object (task);
      LoadData *load = g_task_get_task_data (task);

      self->settings_known = TRUE;
      g_set_object (&self->public_settings, settings);
      g_clear_pointer (&self->zone_settings, tally_server_zone_unref);
      self->zone_settings = tally_server_zone_new_from_settings (tally_public_settings_get_server_timezone (settings),
                                                                 tally_public_settings_get_server_utc_offset (settings));
      _tally_session_update_zone (self);

      /* An older server: its newest usage row tells the offset now. */
      if (self->zone_settings == NULL)
        {
          load->pending++;
          tally_client_list_usage_async (self->client, NULL, 1, 1,
                                         g_task_get_cancellable (task),
                                         newest_row_cb,
                                         g_object_ref (task));
        }
    }

  load_item_done (task, zone_error (g_steal_pointer (&error)));
}

static void
start_load (TallySession *self)
{
  g_autoptr (GTask) task = NULL;
  LoadData *load;

  g_assert (TALLY_IS_SESSION (self));
  g_assert (self->client != NULL);

  _tally_session_cancel_load (self);
  self->load_cancellable = g_cancellable_new ();

  task = g_task_new (self, self->load_cancellable, load_done_cb, NULL);
  g_task_set_source_tag (task, start_load);
  load = g_new0 (LoadData, 1);
  load->pending = 4;
  g_task_set_task_data (task, load, load_data_free);

  tally_client_get_me_async (self->client,
                             self->load_cancellable,
                             get_me_cb,
                             g_object_ref (task));
  tally_client_get_dashboard_stats_async (self->client,
                                          self->load_cancellable,
                                          get_dashboard_stats_cb,
                                          g_object_ref (task));
  tally_client_get_trend_async (self->client,
                                NULL, NULL,
                                TALLY_GRANULARITY_DAY,
                                self->load_cancellable,
                                get_trend_cb,
                                g_object_ref (task));
  tally_client_list_all_keys_async (self->client,
                                    self->load_cancellable,
                                    list_all_keys_cb,
                                    g_object_ref (task));
  /* The server's zone: once per server (an older one: every load, for
   * the offset of its newest row). */
  if (!self->settings_known)
    {
      load->pending++;
      tally_client_get_public_settings_async (self->client,
                                              self->load_cancellable,
                                              load_settings_cb,
                                              g_object_ref (task));
    }
  else if (self->zone_settings == NULL)
    {
      load->pending++;
      tally_client_list_usage_async (self->client, NULL, 1, 1,
                                     self->load_cancellable,
                                     newest_row_cb,
                                     g_object_ref (task));
    }

  _tally_session_update_busy (self);
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  TallySession *self = user_data;

  self->reload_source = 0;

  if (self->client != NULL && (self->state == TALLY_SESSION_STATE_LOADING || self->state == TALLY_SESSION_STATE_READY))
    start_load (self);
  else
    _tally_session_update_busy (self);

  return G_SOURCE_REMOVE;
}

/* After a token was obtained: wait for the first load, then complete @task. */
void
_tally_session_begin_loading (TallySession *self,
                              GTask *task)
{
  g_assert (TALLY_IS_SESSION (self));

  g_ptr_array_add (self->load_waiters, g_object_ref (task));
  _tally_session_set_state (self, TALLY_SESSION_STATE_LOADING);
  _tally_session_schedule_expiry (self);
  start_load (self);
}

void
tally_session_reload (TallySession *self)
{
  g_return_if_fail (TALLY_IS_SESSION (self));

  if (self->client == NULL || (self->state != TALLY_SESSION_STATE_LOADING && self->state != TALLY_SESSION_STATE_READY))
    return;

  /* Cancel the load in flight; bursts coalesce into one idle. */
  if (self->load_cancellable != NULL)
    {
      g_cancellable_cancel (self->load_cancellable);
      g_clear_object (&self->load_cancellable);
    }

  if (self->reload_source == 0)
    /* Above redraws: a window busy animating (a spinner) must not starve the load. */
    self->reload_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, reload_idle_cb, self, NULL);

  _tally_session_update_busy (self);
}

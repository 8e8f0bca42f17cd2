/* tally-usage-snapshot.c: the usage rows that existed when a walk started, each once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows past a hole wait in "held", sorted by their snapshot position. Handing
 * out always goes in position (and so id) order; "last_id" guards against
 * every repeat.
 */

#define G_LOG_DOMAIN "tally-usage-snapshot"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-client.h"
#include "tally-error.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-usage-snapshot.h"

/* fill requests in a row that bring no row of a hole before the walk gives up */
#define MAX_FRUITLESS_FILLS 5

typedef struct
{
  gint64 position;
  TallyUsageLog *log;
} Held;

struct _TallyUsageSnapshot
{
  GObject parent_instance;

  gint64 newest_id;
  gint64 total;
  gint64 latest_total;
  guint64 n_rows;
  gint64 last_id; /* of the last row handed out, G_MAXINT64 before the first */
  GArray *held;   /* Held, by position */

  guint started : 1;
  guint positional : 1;
};

G_DEFINE_FINAL_TYPE (TallyUsageSnapshot, tally_usage_snapshot, G_TYPE_OBJECT)

static void
held_clear (gpointer data)
{
  Held *held = data;

  g_clear_object (&held->log);
}

static void
tally_usage_snapshot_finalize (GObject *object)
{
  TallyUsageSnapshot *self = TALLY_USAGE_SNAPSHOT (object);

  g_clear_pointer (&self->held, g_array_unref);

  G_OBJECT_CLASS (tally_usage_snapshot_parent_class)->finalize (object);
}

static void
tally_usage_snapshot_class_init (TallyUsageSnapshotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tally_usage_snapshot_finalize;
}

static void
tally_usage_snapshot_init (TallyUsageSnapshot *self)
{
  self->last_id = G_MAXINT64;
  self->positional = TRUE;
  self->held = g_array_new (FALSE, FALSE, sizeof (Held));
  g_array_set_clear_func (self->held, held_clear);
}

TallyUsageSnapshot *
tally_usage_snapshot_new (void)
{
  return g_object_new (TALLY_TYPE_USAGE_SNAPSHOT, NULL);
}

/* Hands @log out when it is older than the last row handed out. */
static void
hand_out (TallyUsageSnapshot *self,
          GListStore *out,
          TallyUsageLog *log)
{
  gint64 id = tally_usage_log_get_id (log);

  if (id >= self->last_id)
    return;

  self->last_id = id;
  self->n_rows++;
  g_list_store_append (out, log);
}

/* Hands out the held rows that are next in line. */
static void
drain (TallyUsageSnapshot *self,
       GListStore *out)
{
  guint n = 0;

  while (n < self->held->len && g_array_index (self->held, Held, n).position <= (gint64) self->n_rows)
    {
      hand_out (self, out, g_array_index (self->held, Held, n).log);
      n++;
    }
  if (n > 0)
    g_array_remove_range (self->held, 0, n);
}

/* Positions contradict ids: from now on only the id rules apply. The held
 * rows go out first (they are in id order already, or hand_out drops them). */
static void
give_up_positions (TallyUsageSnapshot *self,
                   GListStore *out)
{
  if (!self->positional)
    return;

  g_debug ("Positions do not line up; keeping rows by id only (%" G_GUINT64_FORMAT " out, %u held)", self->n_rows, self->held->len);
  self->positional = FALSE;
  for (guint i = 0; i < self->held->len; i++)
    hand_out (self, out, g_array_index (self->held, Held, i).log);
  g_array_set_size (self->held, 0);
}

/* Puts @log at @position among the held rows; FALSE when that contradicts them. */
static gboolean
hold (TallyUsageSnapshot *self,
      gint64 position,
      TallyUsageLog *log)
{
  gint64 id = tally_usage_log_get_id (log);
  guint i = 0;
  Held held;

  while (i < self->held->len && g_array_index (self->held, Held, i).position < position)
    i++;

  if (i < self->held->len && g_array_index (self->held, Held, i).position == position)
    return tally_usage_log_get_id (g_array_index (self->held, Held, i).log) == id;

  /* ids fall with the position */
  if (i > 0 && tally_usage_log_get_id (g_array_index (self->held, Held, i - 1).log) <= id)
    return FALSE;
  if (i < self->held->len && tally_usage_log_get_id (g_array_index (self->held, Held, i).log) >= id)
    return FALSE;

  held.position = position;
  held.log = g_object_ref (log);
  g_array_insert_val (self->held, i, held);
  return TRUE;
}

GListModel *
tally_usage_snapshot_add_page (TallyUsageSnapshot *self,
                               TallyPage *page)
{
  g_autoptr (GListStore) out = NULL;
  GListModel *items;
  guint n_items;
  gint64 first_position;

  g_return_val_if_fail (TALLY_IS_USAGE_SNAPSHOT (self), NULL);
  g_return_val_if_fail (TALLY_IS_PAGE (page), NULL);

  out = g_list_store_new (TALLY_TYPE_USAGE_LOG);
  items = tally_page_get_items (page);
  n_items = g_list_model_get_n_items (items);

  if (!self->started)
    {
      g_return_val_if_fail (tally_page_get_page (page) == 1, G_LIST_MODEL (g_steal_pointer (&out)));

      self->started = TRUE;
      self->total = MAX (tally_page_get_total (page), (gint64) n_items);
      self->latest_total = self->total;
      if (n_items > 0)
        {
          g_autoptr (TallyUsageLog) first = g_list_model_get_item (items, 0);

          self->newest_id = tally_usage_log_get_id (first);
        }
    }

  self->latest_total = MAX (self->latest_total, tally_page_get_total (page));
  if (tally_page_get_total (page) < self->total)
    give_up_positions (self, out);

  first_position = tally_usage_snapshot_position (tally_page_get_page (page), tally_page_get_page_size (page),
                                                  tally_page_get_total (page), self->total);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (TallyUsageLog) log = g_list_model_get_item (items, i);
      gint64 id = tally_usage_log_get_id (log);
      gint64 position = first_position + i;

      if (id > self->newest_id || id >= self->last_id)
        continue; /* arrived after the snapshot, or handed out already */

      if (!self->positional)
        {
          hand_out (self, out, log);
          continue;
        }

      if (position < (gint64) self->n_rows || position >= self->total)
        {
          /* a row we never saw where we have been, or beyond the end */
          g_debug ("row %" G_GINT64_FORMAT " at %" G_GINT64_FORMAT " of page %" G_GINT64_FORMAT " total %" G_GINT64_FORMAT, id, position, tally_page_get_page (page), tally_page_get_total (page));
          give_up_positions (self, out);
          hand_out (self, out, log);
        }
      else if (position == (gint64) self->n_rows && self->held->len == 0)
        hand_out (self, out, log);
      else if (!hold (self, position, log))
        {
          give_up_positions (self, out);
          hand_out (self, out, log);
        }
      drain (self, out);
    }

  return G_LIST_MODEL (g_steal_pointer (&out));
}

GListModel *
tally_usage_snapshot_flush (TallyUsageSnapshot *self)
{
  g_autoptr (GListStore) out = NULL;

  g_return_val_if_fail (TALLY_IS_USAGE_SNAPSHOT (self), NULL);

  out = g_list_store_new (TALLY_TYPE_USAGE_LOG);
  if (self->held->len > 0)
    give_up_positions (self, out);

  return G_LIST_MODEL (g_steal_pointer (&out));
}

gboolean
tally_usage_snapshot_get_started (TallyUsageSnapshot *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_SNAPSHOT (self), FALSE);
  return self->started;
}

gint64
tally_usage_snapshot_get_newest_id (TallyUsageSnapshot *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_SNAPSHOT (self), 0);
  return self->newest_id;
}

gint64
tally_usage_snapshot_get_total (TallyUsageSnapshot *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_SNAPSHOT (self), 0);
  return self->total;
}

guint64
tally_usage_snapshot_get_n_rows (TallyUsageSnapshot *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_SNAPSHOT (self), 0);
  return self->n_rows;
}

gint64
tally_usage_snapshot_get_n_new (TallyUsageSnapshot *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_SNAPSHOT (self), 0);
  return MAX (self->latest_total - self->total, 0);
}

gboolean
tally_usage_snapshot_get_positional (TallyUsageSnapshot *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_SNAPSHOT (self), FALSE);
  return self->positional;
}

gboolean
tally_usage_snapshot_get_missing_page (TallyUsageSnapshot *self,
                                       gint64 page_size,
                                       gint64 *page)
{
  g_return_val_if_fail (TALLY_IS_USAGE_SNAPSHOT (self), FALSE);
  g_return_val_if_fail (page_size > 0, FALSE);

  if (!self->started || !self->positional || (gint64) self->n_rows >= self->total)
    return FALSE;

  /* where the first missing row is now, as far as we know; a later answer
   * can only have moved it further down, so the page starts at or before it */
  if (page != NULL)
    *page = tally_usage_snapshot_page_of ((gint64) self->n_rows, tally_usage_snapshot_get_n_new (self), page_size);
  return TRUE;
}

gint64
tally_usage_snapshot_position (gint64 page,
                               gint64 page_size,
                               gint64 total,
                               gint64 snapshot_total)
{
  return (page - 1) * page_size - (total - snapshot_total);
}

gint64
tally_usage_snapshot_page_of (gint64 position,
                              gint64 shift,
                              gint64 page_size)
{
  g_return_val_if_fail (page_size > 0, 1);

  return MAX (position + shift, 0) / page_size + 1;
}

/* ------------------------------------------------------------------------ */
/* The walk                                                                 */

typedef struct
{
  TallyClient *client;
  TallyUsageQuery *query;
  TallyUsageSnapshot *snapshot;
  TallyUsageRowsFunc rows_func;
  gpointer rows_func_data;
  GDestroyNotify rows_func_data_destroy;
  GCancellable *cancellable; /* of the fills; cancelled with the caller's */
  gulong cancelled_id;
  GCancellable *caller_cancellable;
  gint64 page_size; /* as echoed by page 1 */
  guint fruitless_fills;

  guint walk_done : 1;
  guint last_page_empty : 1;
  guint fill_in_flight : 1;
  guint stopped : 1;
  guint finished : 1;
} Walk;

static void
walk_free (gpointer data)
{
  Walk *walk = data;

  if (walk->cancelled_id != 0)
    g_cancellable_disconnect (walk->caller_cancellable, walk->cancelled_id);
  g_clear_object (&walk->caller_cancellable);
  g_clear_object (&walk->cancellable);
  g_clear_object (&walk->client);
  g_clear_object (&walk->snapshot);
  g_clear_pointer (&walk->query, tally_usage_query_free);
  if (walk->rows_func_data_destroy != NULL)
    walk->rows_func_data_destroy (walk->rows_func_data);
  g_free (walk);
}

/* Gives @rows to the caller; FALSE once the caller stopped. */
static gboolean
walk_deliver (Walk *walk,
              GListModel *rows)
{
  if (walk->stopped)
    return FALSE;
  if (g_list_model_get_n_items (rows) == 0)
    return TRUE;
  if (!walk->rows_func (walk->snapshot, rows, walk->rows_func_data))
    walk->stopped = TRUE;
  return !walk->stopped;
}

static void walk_continue (GTask *task);

static void
walk_finish (GTask *task,
             GError *error)
{
  Walk *walk = g_task_get_task_data (task);

  if (walk->finished)
    {
      g_clear_error (&error);
      return;
    }

  walk->finished = TRUE;
  g_cancellable_cancel (walk->cancellable);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
fill_cb (GObject *object,
         GAsyncResult *result,
         gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Walk *walk = g_task_get_task_data (task);
  g_autoptr (TallyPage) page = NULL;
  g_autoptr (GListModel) rows = NULL;
  g_autoptr (GError) error = NULL;
  guint64 before = tally_usage_snapshot_get_n_rows (walk->snapshot);

  walk->fill_in_flight = FALSE;
  page = tally_client_list_usage_finish (TALLY_CLIENT (object), result, &error);
  if (walk->finished)
    return;

  if (page == NULL)
    {
      walk_finish (task, g_steal_pointer (&error));
      return;
    }

  rows = tally_usage_snapshot_add_page (walk->snapshot, page);
  if (tally_usage_snapshot_get_n_rows (walk->snapshot) > before)
    walk->fruitless_fills = 0;
  else
    walk->fruitless_fills++;

  if (!walk_deliver (walk, rows))
    {
      if (walk->walk_done)
        walk_finish (task, NULL);
      return;
    }

  walk_continue (task);
}

/* Fetches the page of the first hole, or completes when nothing is left. */
static void
walk_continue (GTask *task)
{
  Walk *walk = g_task_get_task_data (task);
  TallyUsageSnapshot *snapshot = walk->snapshot;
  gboolean has_hole;
  gint64 page = 0;

  if (walk->finished || walk->fill_in_flight)
    return;

  if (walk->stopped)
    {
      if (walk->walk_done)
        walk_finish (task, NULL);
      return;
    }

  /* a hole is worth a request once rows behind it wait, or the walk is over */
  has_hole = tally_usage_snapshot_get_missing_page (snapshot, walk->page_size, &page);
  if (has_hole && !walk->walk_done && snapshot->held->len == 0)
    return;
  /* an empty page ended the walk: the server has no more rows there, so the
   * tail it counted went away (nothing is held behind it) */
  if (has_hole && walk->walk_done && snapshot->held->len == 0 && walk->last_page_empty)
    has_hole = FALSE;

  if (has_hole && walk->fruitless_fills >= MAX_FRUITLESS_FILLS)
    {
      walk_finish (task, tally_error_new_full (TALLY_ERROR_BAD_RESPONSE, 200, NULL, 0,
                                               _ ("The list of requests changed too much while it was read. Try again.")));
      return;
    }

  if (has_hole)
    {
      g_debug ("Fetching page %" G_GINT64_FORMAT " again for %" G_GINT64_FORMAT " missing rows", page,
               tally_usage_snapshot_get_total (snapshot) - (gint64) tally_usage_snapshot_get_n_rows (snapshot));
      walk->fill_in_flight = TRUE;
      tally_client_list_usage_async (walk->client, walk->query, page, walk->page_size, walk->cancellable,
                                     fill_cb, g_object_ref (task));
      return;
    }

  if (walk->walk_done)
    {
      g_autoptr (GListModel) rest = tally_usage_snapshot_flush (snapshot);

      walk_deliver (walk, rest);
      walk_finish (task, NULL);
    }
}

static gboolean
walk_page_cb (TallyPage *page,
              gpointer user_data)
{
  GTask *task = user_data;
  Walk *walk = g_task_get_task_data (task);
  g_autoptr (GListModel) rows = NULL;

  if (walk->finished || walk->stopped)
    return FALSE;

  if (!tally_usage_snapshot_get_started (walk->snapshot))
    walk->page_size = MAX (tally_page_get_page_size (page), 1);
  walk->last_page_empty = g_list_model_get_n_items (tally_page_get_items (page)) == 0;

  rows = tally_usage_snapshot_add_page (walk->snapshot, page);
  if (!walk_deliver (walk, rows))
    return FALSE;

  walk_continue (task);
  return !walk->finished;
}

static void
walk_done_cb (GObject *object,
              GAsyncResult *result,
              gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Walk *walk = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  walk->walk_done = TRUE;
  if (!tally_client_foreach_usage_page_finish (TALLY_CLIENT (object), result, &error))
    {
      walk_finish (task, g_steal_pointer (&error));
      return;
    }

  walk_continue (task);
}

static void
walk_caller_cancelled_cb (GCancellable *cancellable,
                          GCancellable *fills)
{
  g_cancellable_cancel (fills);
}

void
tally_usage_snapshot_foreach_async (TallyClient *client,
                                    const TallyUsageQuery *query,
                                    gint64 page_size,
                                    guint max_in_flight,
                                    TallyUsageRowsFunc rows_func,
                                    gpointer rows_func_data,
                                    GDestroyNotify rows_func_data_destroy,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  Walk *walk;

  g_return_if_fail (TALLY_IS_CLIENT (client));
  g_return_if_fail (rows_func != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_usage_snapshot_foreach_async);

  walk = g_new0 (Walk, 1);
  walk->client = g_object_ref (client);
  walk->query = query != NULL ? tally_usage_query_copy (query) : tally_usage_query_new ();
  walk->snapshot = tally_usage_snapshot_new ();
  walk->rows_func = rows_func;
  walk->rows_func_data = rows_func_data;
  walk->rows_func_data_destroy = rows_func_data_destroy;
  walk->cancellable = g_cancellable_new ();
  walk->page_size = MAX (page_size, 1);
  g_task_set_task_data (task, walk, walk_free);

  if (cancellable != NULL)
    {
      walk->caller_cancellable = g_object_ref (cancellable);
      walk->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (walk_caller_cancelled_cb),
                                                  g_object_ref (walk->cancellable), g_object_unref);
    }

  /* walk->cancellable (the caller's, and cancelled when a fill fails) stops
   * the pages too; the page callback's ref goes when the foreach completes */
  tally_client_foreach_usage_page_async (client, walk->query, page_size, max_in_flight,
                                         walk_page_cb, g_object_ref (task), g_object_unref,
                                         walk->cancellable, walk_done_cb, g_object_ref (task));
}

gboolean
tally_usage_snapshot_foreach_finish (GAsyncResult *result,
                                     TallyUsageSnapshot **snapshot,
                                     GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tally_usage_snapshot_foreach_async, FALSE);

  if (snapshot != NULL)
    {
      Walk *walk = g_task_get_task_data (G_TASK (result));

      *snapshot = g_object_ref (walk->snapshot);
    }

  return g_task_propagate_boolean (G_TASK (result), error);
}

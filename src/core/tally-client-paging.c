/* tally-client-paging.c: the TallyClient calls that walk several pages: every
 * key, every usage page, the per-key usage in chunks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tally-client-private.h"
#include "tally-client.h"
#include "tally-credentials.h"
#include "tally-envelope-private.h"
#include "tally-error.h"
#include "tally-models-private.h"
#include "tally-scheduler-private.h"
#include "tally-usage-query.h"

/* the largest page_size S accepts; larger values silently become 20 */
#define LARGE_PAGE_SIZE 100
/* what S answers for a page_size it does not accept */
#define S_DEFAULT_PAGE_SIZE 20
/* a server that never says "last page" must not keep us looping */
#define MAX_KEY_PAGES 1000
#define MAX_USAGE_PAGES 1000000
#define KEYS_USAGE_CHUNK 100

static gpointer
decode_key_usage_list (JsonNode *data,
                       GError **error)
{
  return _tally_key_usage_list_new_from_json (data, error);
}

/* ------------------------------------------------------------------------ */
/* One page of usage rows                                                   */

/* A usage row ({"data":{"items":[row]}}: depth 3) carries the whole user,
 * account (with the upstream account's settings), API key (with its secret)
 * and group objects, and in some versions a subscription: four fifths of a
 * page. Tally reads the names of the key and the group, nothing else. */
static const char *const usage_row_unread[] = { "user", "account", "subscription", NULL };
static const char *const usage_row_nested_read[] = { "id", "name", NULL };
static const TallyJsonSkip usage_page_skip = { usage_row_unread, 3, usage_row_nested_read };

static gpointer
decode_usage_page (JsonNode *data,
                   GError **error)
{
  return _tally_page_new_from_json (data, (TallyItemFromJson) _tally_usage_log_new_from_json, error);
}

static void
list_usage_page_async (TallyClient *self,
                       const TallyUsageQuery *query,
                       gint64 page,
                       gint64 page_size,
                       gboolean bulk,
                       GCancellable *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer user_data)
{
  g_autoptr (TallyUsageQuery) any = NULL;
  g_autofree char *params = NULL;

  if (query == NULL)
    query = any = tally_usage_query_new ();
  params = tally_usage_query_to_list_params (query, page, page_size);

  _tally_client_send (self,
                      &(const Request){
                          .method = "GET",
                          .path = "/usage",
                          .query = params,
                          .decode = decode_usage_page,
                          .skip = &usage_page_skip,
                          .source_tag = tally_client_list_usage_async,
                          .bulk = bulk,
                      },
                      cancellable, callback, user_data);
}

void
tally_client_list_usage_async (TallyClient *self,
                               const TallyUsageQuery *query,
                               gint64 page,
                               gint64 page_size,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_return_if_fail (TALLY_IS_CLIENT (self));

  list_usage_page_async (self, query, page, page_size, FALSE, cancellable, callback, user_data);
}

TallyPage *
tally_client_list_usage_finish (TallyClient *self,
                                GAsyncResult *result,
                                GError **error)
{
  return _tally_client_send_finish (self, result, tally_client_list_usage_async, error);
}

/* ------------------------------------------------------------------------ */
/* Every key: pages of 100, one after the other                             */

typedef struct
{
  GListStore *keys;
  gint64 page;
  gint64 page_size;
  gboolean size_retried;
} AllKeysData;

static void
all_keys_data_free (AllKeysData *data)
{
  g_clear_object (&data->keys);
  g_free (data);
}

static void all_keys_page_cb (GObject *object,
                              GAsyncResult *result,
                              gpointer user_data);

/* Learns the server's largest page from the echo of page 1, asked with
 * *@page_size. S answers anything above 100 with its default of 20: then page
 * 1 must be asked again with 100 (returns TRUE, *@page_size changed). A
 * server that takes less than asked for keeps what it echoed. */
static gboolean
learn_page_size (TallyClient *self,
                 TallyPage *first,
                 gint64 *page_size,
                 gboolean may_ask_again)
{
  gint64 echoed = tally_page_get_page_size (first);

  if (echoed >= *page_size)
    return FALSE;

  if (may_ask_again && *page_size > LARGE_PAGE_SIZE && echoed == S_DEFAULT_PAGE_SIZE)
    {
      _tally_scheduler_set_max_page_size (self->scheduler, LARGE_PAGE_SIZE);
      *page_size = LARGE_PAGE_SIZE;
      return TRUE;
    }

  _tally_scheduler_set_max_page_size (self->scheduler, echoed);
  return FALSE;
}

static void
all_keys_request_next (GTask *task)
{
  TallyClient *self = g_task_get_source_object (task);
  AllKeysData *data = g_task_get_task_data (task);

  tally_client_list_keys_async (self, data->page, data->page_size,
                                g_task_get_cancellable (task),
                                all_keys_page_cb,
                                g_object_ref (task));
}

/* A page whose echo does not match what was asked for cannot be trusted to
 * continue a walk through the list. */
static gboolean
check_page_echo (TallyPage *page,
                 gint64 expected_page,
                 GError **error)
{
  if (tally_page_get_page (page) == expected_page && tally_page_get_page_size (page) > 0)
    return TRUE;

  g_propagate_error (error,
                     tally_error_new_full (TALLY_ERROR_BAD_RESPONSE, 200, NULL, 0,
                                           _ ("The server answered with a different page than the one asked for")));
  return FALSE;
}

static void
all_keys_page_cb (GObject *object,
                  GAsyncResult *result,
                  gpointer user_data)
{
  TallyClient *self = TALLY_CLIENT (object);
  g_autoptr (GTask) task = user_data;
  AllKeysData *data = g_task_get_task_data (task);
  g_autoptr (TallyPage) page = NULL;
  g_autoptr (GError) error = NULL;
  GListModel *items;
  guint n_items;

  page = tally_client_list_keys_finish (self, result, &error);
  if (page == NULL || !check_page_echo (page, data->page, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->page == 1 && learn_page_size (self, page, &data->page_size, !data->size_retried))
    {
      data->size_retried = TRUE;
      all_keys_request_next (task);
      return;
    }

  items = tally_page_get_items (page);
  n_items = g_list_model_get_n_items (items);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (GObject) key = g_list_model_get_item (items, i);

      g_list_store_append (data->keys, key);
    }

  if (n_items == 0 || tally_page_is_last (page) || data->page >= MAX_KEY_PAGES)
    {
      g_task_return_pointer (task, g_object_ref (data->keys), g_object_unref);
      return;
    }

  data->page++;
  data->page_size = tally_page_get_page_size (page);
  all_keys_request_next (task);
}

void
tally_client_list_all_keys_async (TallyClient *self,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  AllKeysData *data;

  g_return_if_fail (TALLY_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_client_list_all_keys_async);

  data = g_new0 (AllKeysData, 1);
  data->keys = g_list_store_new (TALLY_TYPE_API_KEY);
  data->page = 1;
  data->page_size = _tally_scheduler_get_max_page_size (self->scheduler);
  g_task_set_task_data (task, data, (GDestroyNotify) all_keys_data_free);

  all_keys_request_next (task);
}

GListModel *
tally_client_list_all_keys_finish (TallyClient *self,
                                   GAsyncResult *result,
                                   GError **error)
{
  return _tally_client_send_finish (self, result, tally_client_list_all_keys_async, error);
}

/* ------------------------------------------------------------------------ */
/* Every usage page, several in flight, delivered in order                  */

typedef struct
{
  TallyUsageQuery *query;
  TallyPageFunc page_func;
  gpointer page_func_data;
  GDestroyNotify page_func_data_destroy;

  /* cancels the outstanding page requests: linked to the caller's
   * cancellable, and cancelled by us once the walk is over */
  GCancellable *pages_cancellable;
  GCancellable *caller_cancellable;
  gulong caller_cancelled_id;

  GHashTable *ready;  /* page number → TallyPage, arrived early */
  gint64 page_size;   /* the effective (echoed) page size */
  gint64 known_pages; /* the largest "pages" seen so far */
  gint64 next_request;
  gint64 next_delivery;
  guint max_in_flight;
  guint in_flight;
  gboolean finished;
  gboolean auto_size;    /* the caller left the page size to us */
  gboolean size_retried; /* page 1 was asked again with a smaller size */
} ForeachData;

typedef struct
{
  GTask *task;
  gint64 page;
} PageRequest;

static void
foreach_data_free (ForeachData *data)
{
  if (data->caller_cancelled_id != 0)
    g_cancellable_disconnect (data->caller_cancellable, data->caller_cancelled_id);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->pages_cancellable);
  g_clear_pointer (&data->query, tally_usage_query_free);
  g_clear_pointer (&data->ready, g_hash_table_unref);
  if (data->page_func_data_destroy != NULL)
    data->page_func_data_destroy (data->page_func_data);
  g_free (data);
}

static void foreach_page_cb (GObject *object,
                             GAsyncResult *result,
                             gpointer user_data);

static void
foreach_finish_walk (GTask *task,
                     GError *error)
{
  ForeachData *data = g_task_get_task_data (task);

  g_assert (!data->finished);

  data->finished = TRUE;
  g_cancellable_cancel (data->pages_cancellable);
  g_hash_table_remove_all (data->ready);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
foreach_request_more (GTask *task)
{
  TallyClient *self = g_task_get_source_object (task);
  ForeachData *data = g_task_get_task_data (task);

  while (!data->finished && data->in_flight < data->max_in_flight && data->next_request <= data->known_pages && data->next_request < data->next_delivery + data->max_in_flight && data->next_request <= MAX_USAGE_PAGES)
    {
      PageRequest *request = g_new0 (PageRequest, 1);

      request->task = g_object_ref (task);
      request->page = data->next_request++;
      data->in_flight++;
      list_usage_page_async (self, data->query, request->page, data->page_size, TRUE,
                             data->pages_cancellable,
                             foreach_page_cb,
                             request);
    }
}

/* Hands every page that is next in line to page_func. */
static void
foreach_deliver (GTask *task)
{
  ForeachData *data = g_task_get_task_data (task);
  TallyPage *page;

  while (!data->finished && (page = g_hash_table_lookup (data->ready, &data->next_delivery)) != NULL)
    {
      g_autoptr (TallyPage) delivered = g_object_ref (page);
      gboolean more;

      g_hash_table_remove (data->ready, &data->next_delivery);
      data->next_delivery++;

      more = data->page_func (delivered, data->page_func_data);
      if (!more || tally_page_is_last (delivered) || g_list_model_get_n_items (tally_page_get_items (delivered)) == 0 || data->next_delivery > MAX_USAGE_PAGES)
        foreach_finish_walk (task, NULL);
    }
}

static void
foreach_page_cb (GObject *object,
                 GAsyncResult *result,
                 gpointer user_data)
{
  TallyClient *self = TALLY_CLIENT (object);
  PageRequest *request = user_data;
  g_autoptr (GTask) task = request->task;
  ForeachData *data = g_task_get_task_data (task);
  g_autoptr (TallyPage) page = NULL;
  g_autoptr (GError) error = NULL;
  gint64 page_number = request->page;

  g_free (request);
  data->in_flight--;

  page = tally_client_list_usage_finish (self, result, &error);
  if (data->finished)
    return;

  if (page == NULL || !check_page_echo (page, page_number, &error))
    {
      foreach_finish_walk (task, g_steal_pointer (&error));
      return;
    }

  if (page_number == 1)
    {
      if (data->auto_size && learn_page_size (self, page, &data->page_size, !data->size_retried))
        {
          PageRequest *again = g_new0 (PageRequest, 1);

          data->size_retried = TRUE;
          again->task = g_object_ref (task);
          again->page = 1;
          data->in_flight++;
          list_usage_page_async (self, data->query, 1, data->page_size, TRUE,
                                 data->pages_cancellable, foreach_page_cb, again);
          return;
        }

      /* S answers page_size=500 with 20: continue with what it really uses */
      data->page_size = tally_page_get_page_size (page);
    }
  else if (tally_page_get_page_size (page) != data->page_size)
    {
      foreach_finish_walk (task,
                           tally_error_new_full (TALLY_ERROR_BAD_RESPONSE, 200, NULL, 0,
                                                 _ ("The server changed its page size in the middle of a list")));
      return;
    }

  data->known_pages = MAX (data->known_pages, tally_page_get_pages (page));
  g_hash_table_insert (data->ready, g_memdup2 (&page_number, sizeof page_number), g_steal_pointer (&page));

  foreach_deliver (task);
  foreach_request_more (task);

  /* nothing left to wait for, but no page said it was the last one */
  if (!data->finished && data->in_flight == 0)
    foreach_finish_walk (task, NULL);
}

static void
foreach_caller_cancelled_cb (GCancellable *cancellable,
                             GCancellable *pages_cancellable)
{
  g_cancellable_cancel (pages_cancellable);
}

void
tally_client_foreach_usage_page_async (TallyClient *self,
                                       const TallyUsageQuery *query,
                                       gint64 page_size,
                                       guint max_in_flight,
                                       TallyPageFunc page_func,
                                       gpointer page_func_data,
                                       GDestroyNotify page_func_data_destroy,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  ForeachData *data;
  PageRequest *first;

  g_return_if_fail (TALLY_IS_CLIENT (self));
  g_return_if_fail (page_func != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_client_foreach_usage_page_async);

  data = g_new0 (ForeachData, 1);
  data->query = query != NULL ? tally_usage_query_copy (query) : tally_usage_query_new ();
  data->page_func = page_func;
  data->page_func_data = page_func_data;
  data->page_func_data_destroy = page_func_data_destroy;
  data->pages_cancellable = g_cancellable_new ();
  data->ready = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  data->auto_size = page_size <= 0;
  data->page_size = page_size > 0 ? page_size : _tally_scheduler_get_max_page_size (self->scheduler);
  data->max_in_flight = MAX (max_in_flight, 1);
  data->next_request = 2;
  data->next_delivery = 1;
  data->in_flight = 1;
  g_task_set_task_data (task, data, (GDestroyNotify) foreach_data_free);

  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->caller_cancelled_id = g_cancellable_connect (cancellable,
                                                         G_CALLBACK (foreach_caller_cancelled_cb),
                                                         g_object_ref (data->pages_cancellable),
                                                         g_object_unref);
    }

  /* page 1 alone first: it tells how many pages there are and the real page size */
  first = g_new0 (PageRequest, 1);
  first->task = g_object_ref (task);
  first->page = 1;
  list_usage_page_async (self, data->query, 1, data->page_size, TRUE,
                         data->pages_cancellable,
                         foreach_page_cb,
                         first);
}

gboolean
tally_client_foreach_usage_page_finish (TallyClient *self,
                                        GAsyncResult *result,
                                        GError **error)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Per-key usage: chunks of 100 ids, concurrently, merged                   */

typedef struct
{
  GListStore *merged;
  guint pending;
  gboolean failed;
} KeysUsageData;

static void
keys_usage_data_free (KeysUsageData *data)
{
  g_clear_object (&data->merged);
  g_free (data);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y ? 1
                            : 0;
}

static int
compare_key_usage (gconstpointer a,
                   gconstpointer b,
                   gpointer user_data)
{
  gint64 x = tally_key_usage_get_api_key_id ((TallyKeyUsage *) a);
  gint64 y = tally_key_usage_get_api_key_id ((TallyKeyUsage *) b);

  return x < y ? -1 : x > y ? 1
                            : 0;
}

static void keys_usage_chunk_async (TallyClient *self,
                                    const gint64 *ids,
                                    gsize n_ids,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);

static void
keys_usage_chunk_cb (GObject *object,
                     GAsyncResult *result,
                     gpointer user_data)
{
  TallyClient *self = TALLY_CLIENT (object);
  g_autoptr (GTask) task = user_data;
  KeysUsageData *data = g_task_get_task_data (task);
  g_autoptr (GListModel) chunk = NULL;
  g_autoptr (GError) error = NULL;
  guint n_items;

  data->pending--;
  chunk = _tally_client_send_finish (self, result, keys_usage_chunk_async, &error);
  if (data->failed)
    return;

  if (chunk == NULL)
    {
      data->failed = TRUE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  n_items = g_list_model_get_n_items (chunk);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (chunk, i);

      g_list_store_append (data->merged, item);
    }

  if (data->pending == 0)
    {
      g_list_store_sort (data->merged, compare_key_usage, NULL);
      g_task_return_pointer (task, g_object_ref (data->merged), g_object_unref);
    }
}

static void
keys_usage_chunk_async (TallyClient *self,
                        const gint64 *ids,
                        gsize n_ids,
                        GCancellable *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer user_data)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;
  Request request = {
    .method = "POST",
    .path = "/usage/dashboard/api-keys-usage",
    .decode = decode_key_usage_list,
    .source_tag = keys_usage_chunk_async,
    .idempotent = TRUE,
  };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "api_key_ids");
  json_builder_begin_array (builder);
  for (gsize i = 0; i < n_ids; i++)
    json_builder_add_int_value (builder, ids[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  request.body = body = json_builder_get_root (builder);

  _tally_client_send (self, &request, cancellable, callback, user_data);
}

void
tally_client_get_keys_usage_async (TallyClient *self,
                                   const gint64 *ids,
                                   gsize n_ids,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree gint64 *unique = NULL;
  gsize n_unique = 0;
  KeysUsageData *data;

  g_return_if_fail (TALLY_IS_CLIENT (self));
  g_return_if_fail (ids != NULL || n_ids == 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_client_get_keys_usage_async);

  data = g_new0 (KeysUsageData, 1);
  data->merged = g_list_store_new (TALLY_TYPE_KEY_USAGE);
  g_task_set_task_data (task, data, (GDestroyNotify) keys_usage_data_free);

  if (n_ids == 0)
    {
      g_task_return_pointer (task, g_object_ref (data->merged), g_object_unref);
      return;
    }

  /* duplicates count against the server's limit of 100: drop them first */
  unique = g_memdup2 (ids, n_ids * sizeof *ids);
  qsort (unique, n_ids, sizeof *unique, compare_ids);
  for (gsize i = 0; i < n_ids; i++)
    if (n_unique == 0 || unique[n_unique - 1] != unique[i])
      unique[n_unique++] = unique[i];

  for (gsize offset = 0; offset < n_unique; offset += KEYS_USAGE_CHUNK)
    {
      data->pending++;
      keys_usage_chunk_async (self,
                              unique + offset,
                              MIN (KEYS_USAGE_CHUNK, n_unique - offset),
                              cancellable,
                              keys_usage_chunk_cb,
                              g_object_ref (task));
    }
}

GListModel *
tally_client_get_keys_usage_finish (TallyClient *self,
                                    GAsyncResult *result,
                                    GError **error)
{
  return _tally_client_send_finish (self, result, tally_client_get_keys_usage_async, error);
}

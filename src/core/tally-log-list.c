/* tally-log-list.c: a lazy GListModel of the usage log for one query
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pages live in a hash table by 0-based index of the snapshot (the rows of
 * the first page's answer and older). A page holds the row objects handed
 * out for it (placeholders until it is complete) and the decoded logs of its
 * slots. Rows arriving at the head push the snapshot down on the server: an
 * answer's own total says by how much (tally_usage_snapshot_position()), so
 * each row of it goes to the slot of its snapshot position, whichever page
 * that is; a page asks for the server page holding its first empty slot
 * until every slot is filled. A complete page is checked by ids (falling
 * within the page and against complete neighbours, none newer than the
 * snapshot) before its rows are shown; a page that does not line up is
 * emptied and fetched again, a bounded number of times. Asking for a row of a page that is neither loaded, in
 * flight nor queued puts the page at the head of the "wanted" queue; an idle
 * handler starts up to MAX_IN_FLIGHT fetches from the head. When the queue
 * grows past the window, pages nobody holds a row of any more (a view that
 * scrolled past them) are dropped from it unfetched.
 *
 * Every fetch carries the generation it was started in; a new query or client
 * bumps the generation and cancels the GCancellable, so a late answer can
 * never fill rows of another query.
 */

#define G_LOG_DOMAIN "tally-log-list"

#include "config.h"

#include "tally-log-list-private.h"

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TallyLogList, tally_log_list, G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];

void
_tally_log_list_notify (TallyLogList *self,
                        guint prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* GPtrArray calls its free function for NULL slots too. */
void
_tally_log_list_row_unref (gpointer row)
{
  if (row != NULL)
    g_object_unref (row);
}

Page *
_tally_log_list_page_new (guint index,
                          guint page_size)
{
  Page *page = g_new0 (Page, 1);

  page->index = index;
  page->rows = g_ptr_array_new_full (page_size, _tally_log_list_row_unref);
  g_ptr_array_set_size (page->rows, page_size);

  return page;
}

static void
page_free (gpointer data)
{
  Page *page = data;

  g_clear_pointer (&page->rows, g_ptr_array_unref);
  g_clear_pointer (&page->logs, g_ptr_array_unref);
  g_free (page);
}

/* TRUE when some row of @page is held by someone besides the list. */
static gboolean
page_rows_in_use (Page *page)
{
  for (guint i = 0; i < page->rows->len; i++)
    {
      GObject *row = g_ptr_array_index (page->rows, i);

      if (row != NULL && row->ref_count > 1)
        return TRUE;
    }

  return FALSE;
}

void
_tally_log_list_set_error (TallyLogList *self,
                           const char *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;

  g_free (self->error);
  self->error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

void
_tally_log_list_set_in_flight (TallyLogList *self,
                               guint in_flight)
{
  gboolean was_loading = self->in_flight > 0;

  self->in_flight = in_flight;
  if (was_loading != (in_flight > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
_tally_log_list_set_total_is_exact (TallyLogList *self,
                                    gboolean exact)
{
  exact = !!exact;
  if (self->total_is_exact == exact)
    return;

  self->total_is_exact = exact;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_IS_EXACT]);
}

/* Rows only arrive at the head: what a page's total has beyond the
 * snapshot's are new rows (of this filter). */
void
_tally_log_list_update_n_new (TallyLogList *self,
                              TallyPage *result)
{
  gint64 n_new = tally_page_get_total (result) - self->snapshot_total;

  if (self->positional)
    self->latest_total = MAX (self->latest_total, tally_page_get_total (result));

  n_new = CLAMP (n_new, 0, (gint64) MAX_ITEMS);
  if (!self->total_is_exact || (guint) n_new == self->n_new)
    return;

  self->n_new = (guint) n_new;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_NEW]);
}

void
_tally_log_list_set_ready (TallyLogList *self,
                           gboolean ready)
{
  ready = !!ready;
  if (self->ready == ready)
    return;

  self->ready = ready;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
remove_page (TallyLogList *self,
             Page *page)
{
  if (page->queued)
    g_queue_remove (&self->wanted, page);
  if (page->logs != NULL)
    self->resident--;
  g_hash_table_remove (self->pages, GUINT_TO_POINTER (page->index));
}

/* Cancels every fetch in flight; a late answer of one is ignored (generation). */
static void
cancel_fetches (TallyLogList *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  _tally_log_list_set_in_flight (self, 0);
}

/* Drops every page (and cancels their fetches): the list is about to show
 * other rows. Does not emit items-changed. */
void
_tally_log_list_drop_pages (TallyLogList *self,
                            gboolean cancel)
{
  if (cancel)
    cancel_fetches (self);

  g_clear_handle_id (&self->dispatch_id, g_source_remove);
  g_queue_clear (&self->wanted);
  g_hash_table_remove_all (self->pages);
  self->resident = 0;
}

/* Changes n-items and says so. Pages wholly past the end are dropped. */
void
_tally_log_list_set_n_items (TallyLogList *self,
                             guint n_items)
{
  guint old = self->n_items;

  if (n_items == old)
    return;

  self->n_items = n_items;

  if (n_items < old)
    {
      GHashTableIter iter;
      Page *page;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
        {
          if ((guint64) page->index * self->page_size < n_items || page->in_flight)
            continue;
          if (page->queued)
            g_queue_remove (&self->wanted, page);
          if (page->logs != NULL)
            self->resident--;
          g_hash_table_iter_remove (&iter);
        }
      g_list_model_items_changed (G_LIST_MODEL (self), n_items, old - n_items, 0);
    }
  else
    {
      g_list_model_items_changed (G_LIST_MODEL (self), old, 0, n_items - old);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Pages of decoded rows kept: about TALLY_LOG_LIST_WINDOW_ROWS rows. */
static guint
window_pages (TallyLogList *self)
{
  return MAX (TALLY_LOG_LIST_WINDOW_ROWS / self->page_size, MIN_WINDOW_PAGES);
}

void
_tally_log_list_evict (TallyLogList *self,
                       Page *keep)
{
  while (self->resident > window_pages (self))
    {
      GHashTableIter iter;
      Page *page;
      Page *oldest = NULL;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
        {
          if (page == keep || page->logs == NULL || page->in_flight)
            continue;
          if (oldest == NULL || page->last_used < oldest->last_used)
            oldest = page;
        }

      if (oldest == NULL)
        break;

      g_debug ("Evicting page %u", oldest->index + 1);
      remove_page (self, oldest);
    }
}

/* Pages queued long ago whose rows nobody holds any more are forgotten. */
static void
trim_wanted (TallyLogList *self)
{
  GList *link = self->wanted.tail;

  while (self->wanted.length > window_pages (self) && link != NULL)
    {
      GList *prev = link->prev;
      Page *page = link->data;

      if (!page_rows_in_use (page))
        {
          page->queued = FALSE;
          g_queue_delete_link (&self->wanted, link);
          remove_page (self, page);
        }

      link = prev;
    }
}

void
_tally_log_list_dispatch (TallyLogList *self)
{
  if (!self->ready || self->reloading || self->client == NULL)
    return;

  trim_wanted (self);

  while (self->in_flight < MAX_IN_FLIGHT && self->wanted.length > 0)
    {
      Page *page = g_queue_pop_head (&self->wanted);

      page->queued = FALSE;
      _tally_log_list_fetch_more (self, page);
    }
}

static void
dispatch_cb (gpointer user_data)
{
  TallyLogList *self = user_data;

  self->dispatch_id = 0;
  _tally_log_list_dispatch (self);
}

static void
schedule_dispatch (TallyLogList *self)
{
  if (self->dispatch_id == 0)
    self->dispatch_id = g_idle_add_once (dispatch_cb, self);
}

/* Cancels everything, empties the list and starts over with page 1. */
static void
reset (TallyLogList *self)
{
  guint old = self->n_items;

  g_object_freeze_notify (G_OBJECT (self));

  _tally_log_list_drop_pages (self, TRUE);
  self->n_items = 0;
  self->page_size = TALLY_LOG_LIST_PAGE_SIZE;
  self->learning = TRUE;
  self->pages_fetched = 0;
  self->reloading = FALSE;
  self->snapshot_total = 0;
  self->latest_total = 0;
  self->newest_id = 0;
  self->positional = FALSE;
  if (self->n_new != 0)
    {
      self->n_new = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_NEW]);
    }
  _tally_log_list_set_ready (self, FALSE);
  _tally_log_list_set_total_is_exact (self, FALSE);
  _tally_log_list_set_error (self, NULL);

  if (old > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }

  if (self->client != NULL)
    _tally_log_list_fetch_page (self, NULL, 1, TALLY_LOG_LIST_PAGE_SIZE);

  g_object_thaw_notify (G_OBJECT (self));
}

static GType
tally_log_list_get_item_type (GListModel *model)
{
  return TALLY_TYPE_LOG_ROW;
}

static guint
tally_log_list_get_n_items_impl (GListModel *model)
{
  return TALLY_LOG_LIST (model)->n_items;
}

static gpointer
tally_log_list_get_item (GListModel *model,
                         guint position)
{
  TallyLogList *self = TALLY_LOG_LIST (model);
  guint index;
  guint offset;
  Page *page;
  TallyLogRow *row;

  if (position >= self->n_items)
    return NULL;

  index = position / self->page_size;
  offset = position % self->page_size;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page == NULL)
    {
      page = _tally_log_list_page_new (index, self->page_size);
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
    }
  page->last_used = ++self->tick;

  row = g_ptr_array_index (page->rows, offset);
  if (row == NULL)
    {
      g_autoptr (TallyUsageLog) log = NULL;

      if (page->complete && page->logs != NULL && g_ptr_array_index (page->logs, offset) != NULL)
        log = g_object_ref (g_ptr_array_index (page->logs, offset));
      row = _tally_log_row_new (position, log);
      g_ptr_array_index (page->rows, offset) = row;
    }

  if (!page->complete && !page->in_flight && !page->failed)
    {
      if (!page->queued)
        {
          page->queued = TRUE;
          g_queue_push_head (&self->wanted, page);
          schedule_dispatch (self);
        }
      else if (self->wanted.head->data != page)
        {
          g_queue_remove (&self->wanted, page);
          g_queue_push_head (&self->wanted, page);
        }
    }

  return g_object_ref (row);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = tally_log_list_get_item_type;
  iface->get_n_items = tally_log_list_get_n_items_impl;
  iface->get_item = tally_log_list_get_item;
}

static void
tally_log_list_dispose (GObject *object)
{
  TallyLogList *self = (TallyLogList *) object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->dispatch_id, g_source_remove);
  g_queue_clear (&self->wanted);
  if (self->pages != NULL)
    g_hash_table_remove_all (self->pages);
  self->resident = 0;
  g_clear_object (&self->cancellable);
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (tally_log_list_parent_class)->dispose (object);
}

static void
tally_log_list_finalize (GObject *object)
{
  TallyLogList *self = (TallyLogList *) object;

  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->query, tally_usage_query_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (tally_log_list_parent_class)->finalize (object);
}

static void
tally_log_list_get_property (GObject *object,
                             guint prop_id,
                             GValue *value,
                             GParamSpec *pspec)
{
  TallyLogList *self = TALLY_LOG_LIST (object);

  switch (prop_id)
    {
      case PROP_CLIENT:
        g_value_set_object (value, self->client);
        break;

      case PROP_QUERY:
        g_value_set_boxed (value, self->query);
        break;

      case PROP_N_ITEMS:
        g_value_set_uint (value, self->n_items);
        break;

      case PROP_LOADING:
        g_value_set_boolean (value, self->in_flight > 0);
        break;

      case PROP_ERROR:
        g_value_set_string (value, self->error);
        break;

      case PROP_TOTAL_IS_EXACT:
        g_value_set_boolean (value, self->total_is_exact);
        break;

      case PROP_READY:
        g_value_set_boolean (value, self->ready);
        break;

      case PROP_N_NEW:
        g_value_set_uint (value, self->n_new);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_log_list_set_property (GObject *object,
                             guint prop_id,
                             const GValue *value,
                             GParamSpec *pspec)
{
  TallyLogList *self = TALLY_LOG_LIST (object);

  switch (prop_id)
    {
      case PROP_CLIENT:
        tally_log_list_set_client (self, g_value_get_object (value));
        break;

      case PROP_QUERY:
        tally_log_list_set_query (self, g_value_get_boxed (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_log_list_class_init (TallyLogListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tally_log_list_dispose;
  object_class->finalize = tally_log_list_finalize;
  object_class->get_property = tally_log_list_get_property;
  object_class->set_property = tally_log_list_set_property;

  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL,
                                                 TALLY_TYPE_CLIENT,
                                                 (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_QUERY] = g_param_spec_boxed ("query", NULL, NULL,
                                               TALLY_TYPE_USAGE_QUERY,
                                               (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL,
                                                0, G_MAXUINT, 0,
                                                (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL,
                                                   FALSE,
                                                   (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL,
                                                NULL,
                                                (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_TOTAL_IS_EXACT] = g_param_spec_boolean ("total-is-exact", NULL, NULL,
                                                          FALSE,
                                                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL,
                                                 FALSE,
                                                 (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_NEW] = g_param_spec_uint ("n-new", NULL, NULL,
                                              0, G_MAXUINT, 0,
                                              (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_log_list_init (TallyLogList *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
  self->query = tally_usage_query_new ();
  self->cancellable = g_cancellable_new ();
  self->page_size = TALLY_LOG_LIST_PAGE_SIZE;
  g_queue_init (&self->wanted);
}

TallyLogList *
tally_log_list_new (TallyClient *client,
                    const TallyUsageQuery *query)
{
  TallyLogList *self;

  g_return_val_if_fail (client == NULL || TALLY_IS_CLIENT (client), NULL);

  self = g_object_new (TALLY_TYPE_LOG_LIST, NULL);
  if (query != NULL)
    {
      tally_usage_query_free (self->query);
      self->query = tally_usage_query_copy (query);
    }
  tally_log_list_set_client (self, client);

  return self;
}

TallyClient *
tally_log_list_get_client (TallyLogList *self)
{
  g_return_val_if_fail (TALLY_IS_LOG_LIST (self), NULL);

  return self->client;
}

void
tally_log_list_set_client (TallyLogList *self,
                           TallyClient *client)
{
  g_return_if_fail (TALLY_IS_LOG_LIST (self));
  g_return_if_fail (client == NULL || TALLY_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  reset (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

const TallyUsageQuery *
tally_log_list_get_query (TallyLogList *self)
{
  g_return_val_if_fail (TALLY_IS_LOG_LIST (self), NULL);

  return self->query;
}

void
tally_log_list_set_query (TallyLogList *self,
                          const TallyUsageQuery *query)
{
  g_autoptr (TallyUsageQuery) any = NULL;

  g_return_if_fail (TALLY_IS_LOG_LIST (self));

  if (query == NULL)
    query = any = tally_usage_query_new ();

  if (tally_usage_query_equal (self->query, query))
    return;

  tally_usage_query_free (self->query);
  self->query = tally_usage_query_copy (query);

  reset (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

void
tally_log_list_reload (TallyLogList *self)
{
  GHashTableIter iter;
  Page *page;

  g_return_if_fail (TALLY_IS_LOG_LIST (self));

  if (self->client == NULL)
    return;

  if (!self->ready)
    {
      reset (self);
      return;
    }

  /* Cancel what is in flight but keep the rows until page 1 is back. */
  cancel_fetches (self);
  g_clear_handle_id (&self->dispatch_id, g_source_remove);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
    {
      page->in_flight = FALSE;
      page->failed = FALSE;
      page->queued = FALSE;
    }
  g_queue_clear (&self->wanted);

  self->reloading = TRUE;
  self->learning = FALSE;
  _tally_log_list_fetch_page (self, NULL, 1, self->page_size);
}

guint
tally_log_list_get_n_items (TallyLogList *self)
{
  g_return_val_if_fail (TALLY_IS_LOG_LIST (self), 0);

  return self->n_items;
}

gboolean
tally_log_list_get_loading (TallyLogList *self)
{
  g_return_val_if_fail (TALLY_IS_LOG_LIST (self), FALSE);

  return self->in_flight > 0;
}

const char *
tally_log_list_get_error (TallyLogList *self)
{
  g_return_val_if_fail (TALLY_IS_LOG_LIST (self), NULL);

  return self->error;
}

gboolean
tally_log_list_get_total_is_exact (TallyLogList *self)
{
  g_return_val_if_fail (TALLY_IS_LOG_LIST (self), FALSE);

  return self->total_is_exact;
}

gboolean
tally_log_list_get_ready (TallyLogList *self)
{
  g_return_val_if_fail (TALLY_IS_LOG_LIST (self), FALSE);

  return self->ready;
}

guint
tally_log_list_get_pages_fetched (TallyLogList *self)
{
  g_return_val_if_fail (TALLY_IS_LOG_LIST (self), 0);

  return self->pages_fetched;
}

guint
tally_log_list_get_pages_resident (TallyLogList *self)
{
  g_return_val_if_fail (TALLY_IS_LOG_LIST (self), 0);

  return self->resident;
}

guint
tally_log_list_get_page_size (TallyLogList *self)
{
  g_return_val_if_fail (TALLY_IS_LOG_LIST (self), 0);

  return self->page_size;
}

guint
tally_log_list_get_window_pages (TallyLogList *self)
{
  g_return_val_if_fail (TALLY_IS_LOG_LIST (self), 0);

  return window_pages (self);
}

guint
tally_log_list_get_n_new (TallyLogList *self)
{
  g_return_val_if_fail (TALLY_IS_LOG_LIST (self), 0);

  return self->n_new;
}

typedef struct
{
  GWeakRef self;
  guint generation;
} Check;

static void
check_free (Check *check)
{
  g_weak_ref_clear (&check->self);
  g_free (check);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Check, check_free)

static void
check_new_cb (GObject *object,
              GAsyncResult *result,
              gpointer user_data)
{
  g_autoptr (Check) check = user_data;
  g_autoptr (TallyLogList) self = NULL;
  g_autoptr (TallyPage) page = NULL;
  g_autoptr (GError) error = NULL;

  page = tally_client_list_usage_finish (TALLY_CLIENT (object), result, &error);
  self = g_weak_ref_get (&check->self);
  if (self == NULL || check->generation != self->generation || !self->ready)
    return;

  if (page == NULL)
    {
      /* the rows shown are still right; the next check tries again */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Checking for new rows failed: %s", error->message);
      return;
    }

  _tally_log_list_update_n_new (self, page);
}

void
tally_log_list_check_new (TallyLogList *self)
{
  Check *check;

  g_return_if_fail (TALLY_IS_LOG_LIST (self));

  if (self->client == NULL || !self->ready || self->reloading)
    return;

  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  self->check_cancellable = g_cancellable_new ();

  check = g_new0 (Check, 1);
  g_weak_ref_init (&check->self, self);
  check->generation = self->generation;

  /* one row is enough: only the total matters */
  tally_client_list_usage_async (self->client, self->query, 1, 1, self->check_cancellable, check_new_cb, check);
}

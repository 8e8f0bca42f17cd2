/* tally-log-list.c: a lazy GListModel of the usage log for one query
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pages live in a hash table by 0-based index. A page holds the row objects
 * handed out for it (placeholders until its logs arrive) and, once fetched,
 * its decoded logs. Asking for a row of a page that is neither loaded, in
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

#include <gio/gio.h>

#include "tally-client.h"
#include "tally-log-list.h"
#include "tally-page.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"

#define MAX_IN_FLIGHT 3
/* n-items never exceeds this, whatever a server claims */
#define MAX_ITEMS (G_MAXUINT / 2)

typedef struct
{
  guint index;
  GPtrArray *rows;  /* TallyLogRow or NULL, one slot per position of the page */
  GListModel *logs; /* TallyUsageLog, NULL until fetched */
  guint64 last_used;
  guint in_flight : 1;
  guint queued : 1;
  guint failed : 1;
} Page;

struct _TallyLogList
{
  GObject parent_instance;

  TallyClient *client;
  TallyUsageQuery *query;
  GCancellable *cancellable;
  guint generation;

  GHashTable *pages; /* index → Page */
  GQueue wanted;     /* Page, most recently wanted first */
  guint dispatch_id;

  guint n_items;
  guint page_size; /* effective: as echoed by the first page */
  guint in_flight;
  guint resident;
  guint pages_fetched;
  guint64 tick;
  gint64 snapshot_total; /* the first page's total */
  guint n_new;           /* rows the server has beyond the snapshot */
  GCancellable *check_cancellable;
  char *error;

  guint total_is_exact : 1;
  guint ready : 1;
  guint reloading : 1;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TallyLogList, tally_log_list, G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_QUERY,
  PROP_N_ITEMS,
  PROP_LOADING,
  PROP_ERROR,
  PROP_TOTAL_IS_EXACT,
  PROP_READY,
  PROP_N_NEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GWeakRef self;
  guint generation;
  guint index;
} Fetch;

static void fetch_page (TallyLogList *self,
                        Page *page,
                        guint index);

static void
fetch_free (Fetch *fetch)
{
  g_weak_ref_clear (&fetch->self);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

/* GPtrArray calls its free function for NULL slots too. */
static void
row_unref (gpointer row)
{
  if (row != NULL)
    g_object_unref (row);
}

static Page *
page_new (guint index,
          guint page_size)
{
  Page *page = g_new0 (Page, 1);

  page->index = index;
  page->rows = g_ptr_array_new_full (page_size, row_unref);
  g_ptr_array_set_size (page->rows, page_size);

  return page;
}

static void
page_free (gpointer data)
{
  Page *page = data;

  g_clear_pointer (&page->rows, g_ptr_array_unref);
  g_clear_object (&page->logs);
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

static void
set_error (TallyLogList *self,
           const char *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;

  g_free (self->error);
  self->error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_in_flight (TallyLogList *self,
               guint in_flight)
{
  gboolean was_loading = self->in_flight > 0;

  self->in_flight = in_flight;
  if (was_loading != (in_flight > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_total_is_exact (TallyLogList *self,
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
static void
update_n_new (TallyLogList *self,
              TallyPage *result)
{
  gint64 n_new = tally_page_get_total (result) - self->snapshot_total;

  n_new = CLAMP (n_new, 0, (gint64) MAX_ITEMS);
  if (!self->total_is_exact || (guint) n_new == self->n_new)
    return;

  self->n_new = (guint) n_new;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_NEW]);
}

static void
set_ready (TallyLogList *self,
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

/* Drops every page (and cancels their fetches): the list is about to show
 * other rows. Does not emit items-changed. */
static void
drop_pages (TallyLogList *self,
            gboolean cancel)
{
  if (cancel)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      self->generation++;
      set_in_flight (self, 0);
    }

  g_clear_handle_id (&self->dispatch_id, g_source_remove);
  g_queue_clear (&self->wanted);
  g_hash_table_remove_all (self->pages);
  self->resident = 0;
}

/* Changes n-items and says so. Pages wholly past the end are dropped. */
static void
set_n_items (TallyLogList *self,
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

static void
evict (TallyLogList *self,
       Page *keep)
{
  while (self->resident > TALLY_LOG_LIST_WINDOW_PAGES)
    {
      GHashTableIter iter;
      Page *page;
      Page *oldest = NULL;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
        {
          if (page == keep || page->logs == NULL)
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

  while (self->wanted.length > TALLY_LOG_LIST_WINDOW_PAGES && link != NULL)
    {
      GList *prev = link->prev;
      Page *page = link->data;

      if (!page_rows_in_use (page))
        {
          page->queued = FALSE;
          g_queue_delete_link (&self->wanted, link);
          g_hash_table_remove (self->pages, GUINT_TO_POINTER (page->index));
        }

      link = prev;
    }
}

static void
dispatch (TallyLogList *self)
{
  if (!self->ready || self->reloading || self->client == NULL)
    return;

  trim_wanted (self);

  while (self->in_flight < MAX_IN_FLIGHT && self->wanted.length > 0)
    {
      Page *page = g_queue_pop_head (&self->wanted);

      page->queued = FALSE;
      fetch_page (self, page, page->index);
    }
}

static void
dispatch_cb (gpointer user_data)
{
  TallyLogList *self = user_data;

  self->dispatch_id = 0;
  dispatch (self);
}

static void
schedule_dispatch (TallyLogList *self)
{
  if (self->dispatch_id == 0)
    self->dispatch_id = g_idle_add_once (dispatch_cb, self);
}

/* Fills the page's rows from @result. */
static void
page_loaded (TallyLogList *self,
             Page *page,
             TallyPage *result)
{
  GListModel *logs = tally_page_get_items (result);
  guint n_logs = g_list_model_get_n_items (logs);

  g_assert (page->logs == NULL);

  page->logs = g_object_ref (logs);
  page->failed = FALSE;
  self->resident++;

  for (guint i = 0; i < page->rows->len && i < n_logs; i++)
    {
      TallyLogRow *row = g_ptr_array_index (page->rows, i);

      if (row != NULL)
        {
          g_autoptr (TallyUsageLog) log = g_list_model_get_item (logs, i);
          _tally_log_row_set_log (row, log);
        }
    }
}

/* What the page says about the number of rows: an exact count on the last
 * page, otherwise the total (a lower bound under fast pagination). */
static void
update_total (TallyLogList *self,
              guint index,
              TallyPage *result)
{
  guint64 offset = (guint64) index * self->page_size;
  guint64 n_logs = g_list_model_get_n_items (tally_page_get_items (result));
  gint64 total = tally_page_get_total (result);

  if (tally_page_is_last (result))
    {
      set_total_is_exact (self, TRUE);
      set_n_items (self, MIN (offset + n_logs, MAX_ITEMS));
      return;
    }

  total = MAX (total, (gint64) (offset + n_logs));
  /* L fast pagination reports offset + rows + 1 while more rows exist. */
  if (!self->total_is_exact || index == 0)
    set_total_is_exact (self, total != (gint64) (offset + n_logs + 1));
  if (total > (gint64) self->n_items)
    set_n_items (self, MIN ((guint64) total, MAX_ITEMS));
}

static void
first_page_cb (TallyLogList *self,
               TallyPage *result)
{
  Page *page;
  gint64 page_size = tally_page_get_page_size (result);
  guint n_logs = g_list_model_get_n_items (tally_page_get_items (result));
  guint old = self->n_items;

  /* A reload replaces everything in one go. */
  drop_pages (self, FALSE);
  self->n_items = 0;
  self->reloading = FALSE;

  /* Honour the echoed page size (a server may ignore ours, API.md §1.6). */
  if (page_size <= 0 || page_size > 100000)
    page_size = TALLY_LOG_LIST_PAGE_SIZE;
  self->page_size = MAX ((guint) page_size, n_logs);
  self->page_size = MAX (self->page_size, 1);

  page = page_new (0, self->page_size);
  page->last_used = ++self->tick;
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (0), page);
  page_loaded (self, page, result);
  self->pages_fetched++;

  /* Compute the count quietly, then announce the whole change at once. */
  g_object_freeze_notify (G_OBJECT (self));
  set_error (self, NULL);
  self->snapshot_total = tally_page_get_total (result);
  if (self->n_new != 0)
    {
      self->n_new = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_NEW]);
    }
  {
    gint64 total = tally_page_get_total (result);

    if (tally_page_is_last (result))
      {
        self->n_items = n_logs;
        set_total_is_exact (self, TRUE);
      }
    else
      {
        total = MAX (total, (gint64) n_logs);
        self->n_items = MIN ((guint64) total, MAX_ITEMS);
        set_total_is_exact (self, total != (gint64) n_logs + 1);
      }
  }
  if (old != 0 || self->n_items != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
  if (old != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  set_ready (self, TRUE);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
list_usage_cb (GObject *object,
               GAsyncResult *result,
               gpointer user_data)
{
  g_autoptr (Fetch) fetch = user_data;
  g_autoptr (TallyLogList) self = NULL;
  g_autoptr (TallyPage) tally_page = NULL;
  g_autoptr (GError) error = NULL;
  Page *page;

  tally_page = tally_client_list_usage_finish (TALLY_CLIENT (object), result, &error);

  self = g_weak_ref_get (&fetch->self);
  if (self == NULL || fetch->generation != self->generation)
    return;

  set_in_flight (self, self->in_flight - 1);
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (fetch->index));

  if (tally_page == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("Page %u failed: %s", fetch->index + 1, error->message);
          if (page != NULL)
            {
              page->in_flight = FALSE;
              page->failed = TRUE;
            }
          if (fetch->index == 0 && self->reloading)
            self->reloading = FALSE;
          set_error (self, error->message);
        }
      dispatch (self);
      return;
    }

  if (fetch->index == 0 && (!self->ready || self->reloading))
    {
      first_page_cb (self, tally_page);
      dispatch (self);
      return;
    }

  if (page == NULL)
    {
      /* Dropped while in flight (the list shrank): nothing to fill. */
      dispatch (self);
      return;
    }

  page->in_flight = FALSE;
  if (page->logs == NULL)
    {
      page_loaded (self, page, tally_page);
      self->pages_fetched++;
      update_total (self, fetch->index, tally_page);
      update_n_new (self, tally_page);
      evict (self, page);
    }

  dispatch (self);
}

static void
fetch_page (TallyLogList *self,
            Page *page,
            guint index)
{
  Fetch *fetch;

  g_assert (self->client != NULL);

  fetch = g_new0 (Fetch, 1);
  g_weak_ref_init (&fetch->self, self);
  fetch->generation = self->generation;
  fetch->index = index;

  if (page != NULL)
    page->in_flight = TRUE;
  set_in_flight (self, self->in_flight + 1);

  g_debug ("Fetching page %u", index + 1);
  tally_client_list_usage_async (self->client,
                                 self->query,
                                 (gint64) index + 1,
                                 index == 0 ? TALLY_LOG_LIST_PAGE_SIZE : self->page_size,
                                 self->cancellable,
                                 list_usage_cb,
                                 fetch);
}

/* Cancels everything, empties the list and starts over with page 1. */
static void
reset (TallyLogList *self)
{
  guint old = self->n_items;

  g_object_freeze_notify (G_OBJECT (self));

  drop_pages (self, TRUE);
  self->n_items = 0;
  self->page_size = TALLY_LOG_LIST_PAGE_SIZE;
  self->pages_fetched = 0;
  self->reloading = FALSE;
  self->snapshot_total = 0;
  if (self->n_new != 0)
    {
      self->n_new = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_NEW]);
    }
  set_ready (self, FALSE);
  set_total_is_exact (self, FALSE);
  set_error (self, NULL);

  if (old > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }

  if (self->client != NULL)
    fetch_page (self, NULL, 0);

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
      page = page_new (index, self->page_size);
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
    }
  page->last_used = ++self->tick;

  row = g_ptr_array_index (page->rows, offset);
  if (row == NULL)
    {
      g_autoptr (TallyUsageLog) log = NULL;

      if (page->logs != NULL)
        log = g_list_model_get_item (page->logs, offset);
      row = _tally_log_row_new (position, log);
      g_ptr_array_index (page->rows, offset) = row;
    }

  if (page->logs == NULL && !page->in_flight && !page->failed)
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
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  set_in_flight (self, 0);
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
  fetch_page (self, NULL, 0);
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

  update_n_new (self, page);
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

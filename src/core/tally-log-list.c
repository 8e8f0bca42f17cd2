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

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "tally-client.h"
#include "tally-log-list.h"
#include "tally-page.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-usage-snapshot.h"

#define MAX_IN_FLIGHT 3
/* a page is emptied and fetched again at most this often when it does not
 * line up, and gives up after this many answers in a row bring none of its
 * rows (the shift moved past it every time) */
#define MAX_MISMATCHES 2
#define MAX_FRUITLESS 4
/* pages kept, whatever the page size */
#define MIN_WINDOW_PAGES 3
/* n-items never exceeds this, whatever a server claims */
#define MAX_ITEMS (G_MAXUINT / 2)

typedef struct
{
  guint index;
  GPtrArray *rows; /* TallyLogRow or NULL, one slot per position of the page */
  GPtrArray *logs; /* TallyUsageLog or NULL per slot; NULL until a row arrived */
  guint n_logs;    /* slots filled */
  guint mismatches;
  guint fruitless;
  guint64 last_used;
  guint in_flight : 1;
  guint queued : 1;
  guint failed : 1;
  guint complete : 1; /* filled and checked: its rows are shown */
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
  guint page_size;    /* effective: as echoed by the first page */
  guint learning : 1; /* page 1 was asked with TALLY_LOG_LIST_PAGE_SIZE */
  guint in_flight;
  guint resident;
  guint pages_fetched;
  guint64 tick;
  gint64 snapshot_total; /* the first page's total */
  gint64 newest_id;      /* the first page's first id */
  gint64 latest_total;   /* the largest total seen since (rows arrived) */
  guint positional : 1;  /* the totals are exact: positions can be trusted */
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
  guint index;     /* of the snapshot page it fills */
  guint first : 1; /* page 1 of a new snapshot */
} Fetch;

static void fetch_page (TallyLogList *self,
                        Page *page,
                        gint64 server_page,
                        gint64 page_size);
static void fetch_more (TallyLogList *self,
                        Page *page);

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

  if (self->positional)
    self->latest_total = MAX (self->latest_total, tally_page_get_total (result));

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

/* Pages of decoded rows kept: about TALLY_LOG_LIST_WINDOW_ROWS rows. */
static guint
window_pages (TallyLogList *self)
{
  return MAX (TALLY_LOG_LIST_WINDOW_ROWS / self->page_size, MIN_WINDOW_PAGES);
}

static void
evict (TallyLogList *self,
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
      fetch_more (self, page);
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

/* Rows of the snapshot page @page holds (the last one may be shorter). */
static guint
page_expected (TallyLogList *self,
               Page *page)
{
  guint64 start = (guint64) page->index * self->page_size;

  if (start >= self->n_items)
    return 0;
  return (guint) MIN ((guint64) self->page_size, self->n_items - start);
}

static gint64
slot_id (Page *page,
         guint slot)
{
  TallyUsageLog *log = page->logs != NULL && slot < page->logs->len ? g_ptr_array_index (page->logs, slot) : NULL;

  return log != NULL ? tally_usage_log_get_id (log) : -1;
}

/* The snapshot position of row 0 of @result: its page's offset, less the
 * rows that arrived before it was answered. */
static gint64
answer_position (TallyLogList *self,
                 TallyPage *result)
{
  gint64 page_size = tally_page_get_page_size (result) > 0 ? tally_page_get_page_size (result) : self->page_size;

  if (!self->positional)
    return (tally_page_get_page (result) - 1) * page_size;
  return tally_usage_snapshot_position (tally_page_get_page (result), page_size,
                                        tally_page_get_total (result), self->snapshot_total);
}

/* Empties the slots of @page (its rows did not line up); gives up on it
 * after MAX_MISMATCHES times. */
static void
page_mismatch (TallyLogList *self,
               Page *page)
{
  g_debug ("Page %u does not line up (%u times)", page->index + 1, page->mismatches + 1);
  for (guint i = 0; page->logs != NULL && i < page->logs->len; i++)
    g_clear_object (&g_ptr_array_index (page->logs, i));
  page->n_logs = 0;
  page->mismatches++;
  if (page->mismatches > MAX_MISMATCHES)
    {
      page->failed = TRUE;
      set_error (self, _ ("The list of requests changed too much while it was read. Try again."));
    }
}

/* Stores @log in @slot of @page; FALSE when the slot holds another row. */
static gboolean
page_store (TallyLogList *self,
            Page *page,
            guint slot,
            TallyUsageLog *log)
{
  TallyUsageLog *held;

  if (page->logs == NULL)
    {
      page->logs = g_ptr_array_new_full (self->page_size, row_unref);
      g_ptr_array_set_size (page->logs, self->page_size);
      self->resident++;
    }

  held = g_ptr_array_index (page->logs, slot);
  if (held != NULL)
    return tally_usage_log_get_id (held) == tally_usage_log_get_id (log);

  g_ptr_array_index (page->logs, slot) = g_object_ref (log);
  page->n_logs++;
  return TRUE;
}

/* Shows the rows of @page (complete and checked). */
static void
page_publish (TallyLogList *self,
              Page *page)
{
  page->complete = TRUE;
  page->failed = FALSE;
  page->fruitless = 0;
  if (page->queued)
    {
      page->queued = FALSE;
      g_queue_remove (&self->wanted, page);
    }

  for (guint i = 0; page->logs != NULL && i < page->rows->len && i < page->logs->len; i++)
    {
      TallyLogRow *row = g_ptr_array_index (page->rows, i);

      if (row != NULL)
        _tally_log_row_set_log (row, g_ptr_array_index (page->logs, i));
    }
}

/* Once every slot of @page is filled: its ids must fall strictly and line
 * up with the complete pages around it; then it is shown, else emptied. */
static void
page_check (TallyLogList *self,
            Page *page)
{
  guint expected = page_expected (self, page);
  Page *prev;
  Page *next;
  gboolean ok = TRUE;

  if (page->complete || page->failed || expected == 0 || page->n_logs < expected)
    return;

  for (guint i = 0; ok && i < expected; i++)
    ok = slot_id (page, i) > 0 && (i == 0 || slot_id (page, i) < slot_id (page, i - 1));

  prev = page->index > 0 ? g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page->index - 1)) : NULL;
  if (ok && prev != NULL && prev->complete)
    ok = slot_id (prev, self->page_size - 1) > slot_id (page, 0);

  next = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page->index + 1));
  if (ok && next != NULL && next->complete && page_expected (self, next) > 0)
    ok = slot_id (page, expected - 1) > slot_id (next, 0);

  if (ok)
    page_publish (self, page);
  else
    page_mismatch (self, page);
}

/* Puts each row of @result in the slot of its snapshot position, creating
 * the pages it touches (at most two, stored in @touched). Returns the
 * slots of @target it filled. */
static guint
page_fill (TallyLogList *self,
           TallyPage *result,
           Page *target,
           Page *touched[2])
{
  GListModel *items = tally_page_get_items (result);
  guint n = g_list_model_get_n_items (items);
  gint64 first = answer_position (self, result);
  Page *page = NULL;
  guint filled = 0;
  guint n_touched = 0;

  touched[0] = touched[1] = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallyUsageLog) log = NULL;
      gint64 position = first + i;
      guint slot;
      guint index;

      if (position < 0 || position >= (gint64) self->n_items)
        continue; /* newer than the snapshot, or past its end */

      index = (guint) (position / self->page_size);
      slot = (guint) (position % self->page_size);
      if (page == NULL || page->index != index)
        {
          page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
          if (page == NULL)
            {
              page = page_new (index, self->page_size);
              page->last_used = ++self->tick;
              g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
            }
          if (n_touched < 2)
            touched[n_touched++] = page;
        }

      if (page->complete || page->failed)
        continue;

      log = g_list_model_get_item (items, i);
      if (self->positional && tally_usage_log_get_id (log) > self->newest_id)
        {
          /* a row newer than the snapshot where the shift says old rows are */
          page_mismatch (self, page);
          continue;
        }
      if (!page_store (self, page, slot, log))
        {
          /* the slot holds another row: the shift changed in between; this
           * answer's rows replace what was there */
          page_mismatch (self, page);
          if (page->failed)
            continue;
          page_store (self, page, slot, log);
        }
      if (page == target)
        filled++;
    }

  return filled;
}

/* What the page says about the number of rows. With exact totals the
 * snapshot keeps its size (new rows are offered, not inserted) and only the
 * end of the rows (a last page ending early) shrinks it. Otherwise an exact
 * count on the last page, or the total (a lower bound under fast
 * pagination). */
static void
update_total (TallyLogList *self,
              TallyPage *result)
{
  gint64 offset = answer_position (self, result);
  gint64 n_logs = g_list_model_get_n_items (tally_page_get_items (result));
  gint64 total = tally_page_get_total (result);

  if (self->positional)
    {
      if (tally_page_is_last (result) && offset + n_logs >= 0 && offset + n_logs < (gint64) self->n_items)
        set_n_items (self, (guint) (offset + n_logs));
      return;
    }

  if (tally_page_is_last (result))
    {
      set_total_is_exact (self, TRUE);
      set_n_items (self, MIN ((guint64) (offset + n_logs), MAX_ITEMS));
      return;
    }

  total = MAX (total, offset + n_logs);
  /* L fast pagination reports offset + rows + 1 while more rows exist. */
  if (!self->total_is_exact || offset == 0)
    set_total_is_exact (self, total != offset + n_logs + 1);
  if (total > (gint64) self->n_items)
    set_n_items (self, MIN ((guint64) total, MAX_ITEMS));
}

static void
first_page_cb (TallyLogList *self,
               TallyPage *result)
{
  Page *page;
  GListModel *logs = tally_page_get_items (result);
  gint64 page_size = tally_page_get_page_size (result);
  guint n_logs = g_list_model_get_n_items (logs);
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
  for (guint i = 0; i < n_logs; i++)
    {
      g_autoptr (TallyUsageLog) log = g_list_model_get_item (logs, i);

      page_store (self, page, i, log);
    }
  self->pages_fetched++;

  /* Compute the count quietly, then announce the whole change at once. */
  g_object_freeze_notify (G_OBJECT (self));
  set_error (self, NULL);
  self->snapshot_total = tally_page_get_total (result);
  self->latest_total = self->snapshot_total;
  self->newest_id = 0;
  if (n_logs > 0)
    {
      g_autoptr (TallyUsageLog) newest = g_list_model_get_item (logs, 0);

      self->newest_id = tally_usage_log_get_id (newest);
    }
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
    /* a lower bound (fast pagination) says nothing about arriving rows */
    self->positional = self->total_is_exact;
  }
  page_publish (self, page);
  if (old != 0 || self->n_items != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
  if (old != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  set_ready (self, TRUE);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Page 1 asked with TALLY_LOG_LIST_PAGE_SIZE came back in pages of fewer
 * than S's largest: an S server turns what it does not take into its
 * default, so ask again with the size it takes. */
static gboolean
relearn_page_size (TallyLogList *self,
                   TallyPage *result)
{
  if (!self->learning)
    return FALSE;

  self->learning = FALSE;
  if (tally_page_get_page_size (result) >= TALLY_LOG_LIST_FALLBACK_PAGE_SIZE || tally_page_is_last (result))
    return FALSE;

  g_debug ("Asked for %d rows a page, got %" G_GINT64_FORMAT "; asking for %d",
           TALLY_LOG_LIST_PAGE_SIZE, tally_page_get_page_size (result), TALLY_LOG_LIST_FALLBACK_PAGE_SIZE);
  fetch_page (self, NULL, 1, TALLY_LOG_LIST_FALLBACK_PAGE_SIZE);
  return TRUE;
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
  Page *touched[2];
  Page *page;
  guint filled;

  tally_page = tally_client_list_usage_finish (TALLY_CLIENT (object), result, &error);

  self = g_weak_ref_get (&fetch->self);
  if (self == NULL || fetch->generation != self->generation)
    return;

  set_in_flight (self, self->in_flight - 1);
  page = fetch->first ? NULL : g_hash_table_lookup (self->pages, GUINT_TO_POINTER (fetch->index));

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
          if (fetch->first && self->reloading)
            self->reloading = FALSE;
          set_error (self, error->message);
        }
      dispatch (self);
      return;
    }

  if (fetch->first)
    {
      if (!relearn_page_size (self, tally_page))
        first_page_cb (self, tally_page);
      dispatch (self);
      return;
    }

  if (page != NULL)
    page->in_flight = FALSE;

  self->pages_fetched++;
  update_n_new (self, tally_page);
  /* the count first (it may grow under fast pagination, or shrink) */
  update_total (self, tally_page);
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (fetch->index));
  filled = page_fill (self, tally_page, page, touched);
  for (guint i = 0; i < G_N_ELEMENTS (touched); i++)
    if (touched[i] != NULL && g_hash_table_lookup (self->pages, GUINT_TO_POINTER (touched[i]->index)) == touched[i])
      page_check (self, touched[i]);

  if (page != NULL && !page->complete && !page->failed && !page->in_flight)
    {
      page->fruitless = filled > 0 ? 0 : page->fruitless + 1;
      if (page->fruitless >= MAX_FRUITLESS)
        {
          page->failed = TRUE;
          set_error (self, _ ("The list of requests changed too much while it was read. Try again."));
        }
      else if (page_expected (self, page) > 0)
        fetch_more (self, page);
    }
  evict (self, page);

  dispatch (self);
}

/* Asks for the server page (of the learned size) holding the first empty
 * slot of @page, where the rows that arrived since the snapshot put it now. */
static void
fetch_more (TallyLogList *self,
            Page *page)
{
  guint slot = 0;
  gint64 shift = self->positional ? self->latest_total - self->snapshot_total : 0;

  while (page->logs != NULL && slot + 1 < page->logs->len && g_ptr_array_index (page->logs, slot) != NULL)
    slot++;

  fetch_page (self, page,
              tally_usage_snapshot_page_of ((gint64) page->index * self->page_size + slot, shift, self->page_size),
              self->page_size);
}

/* Asks for @server_page; @page NULL is page 1 of a new snapshot. */
static void
fetch_page (TallyLogList *self,
            Page *page,
            gint64 server_page,
            gint64 page_size)
{
  Fetch *fetch;

  g_assert (self->client != NULL);

  fetch = g_new0 (Fetch, 1);
  g_weak_ref_init (&fetch->self, self);
  fetch->generation = self->generation;
  fetch->index = page != NULL ? page->index : 0;
  fetch->first = page == NULL;

  if (page != NULL)
    page->in_flight = TRUE;
  set_in_flight (self, self->in_flight + 1);

  g_debug ("Fetching page %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " rows for page %u", server_page, page_size, fetch->index + 1);
  tally_client_list_usage_async (self->client,
                                 self->query,
                                 server_page,
                                 page_size,
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
  set_ready (self, FALSE);
  set_total_is_exact (self, FALSE);
  set_error (self, NULL);

  if (old > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }

  if (self->client != NULL)
    fetch_page (self, NULL, 1, TALLY_LOG_LIST_PAGE_SIZE);

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
  self->learning = FALSE;
  fetch_page (self, NULL, 1, self->page_size);
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

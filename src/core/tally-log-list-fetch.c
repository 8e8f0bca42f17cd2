/* tally-log-list-fetch.c: the log list's fetches and what it does with their answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The placement of an answer's rows in the pages, the checks of a complete
 * page, page 1 of a snapshot and the page size it teaches (see the comment
 * at the top of tally-log-list.c).
 */

#define G_LOG_DOMAIN "tally-log-list"

#include "config.h"

#include "tally-log-list-private.h"

static void
fetch_free (Fetch *fetch)
{
  g_weak_ref_clear (&fetch->self);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

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
      _tally_log_list_set_error (self, _ ("The list of requests changed too much while it was read. Try again."));
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
      page->logs = g_ptr_array_new_full (self->page_size, _tally_log_list_row_unref);
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
              page = _tally_log_list_page_new (index, self->page_size);
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
        _tally_log_list_set_n_items (self, (guint) (offset + n_logs));
      return;
    }

  if (tally_page_is_last (result))
    {
      _tally_log_list_set_total_is_exact (self, TRUE);
      _tally_log_list_set_n_items (self, MIN ((guint64) (offset + n_logs), MAX_ITEMS));
      return;
    }

  total = MAX (total, offset + n_logs);
  /* L fast pagination reports offset + rows + 1 while more rows exist. */
  if (!self->total_is_exact || offset == 0)
    _tally_log_list_set_total_is_exact (self, total != offset + n_logs + 1);
  if (total > (gint64) self->n_items)
    _tally_log_list_set_n_items (self, MIN ((guint64) total, MAX_ITEMS));
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
  _tally_log_list_drop_pages (self, FALSE);
  self->n_items = 0;
  self->reloading = FALSE;

  /* Honour the echoed page size (a server may ignore ours, API.md §1.6). */
  if (page_size <= 0 || page_size > 100000)
    page_size = TALLY_LOG_LIST_PAGE_SIZE;
  self->page_size = MAX ((guint) page_size, n_logs);
  self->page_size = MAX (self->page_size, 1);

  page = _tally_log_list_page_new (0, self->page_size);
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
  _tally_log_list_set_error (self, NULL);
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
      _tally_log_list_notify (self, PROP_N_NEW);
    }
  {
    gint64 total = tally_page_get_total (result);

    if (tally_page_is_last (result))
      {
        self->n_items = n_logs;
        _tally_log_list_set_total_is_exact (self, TRUE);
      }
    else
      {
        total = MAX (total, (gint64) n_logs);
        self->n_items = MIN ((guint64) total, MAX_ITEMS);
        _tally_log_list_set_total_is_exact (self, total != (gint64) n_logs + 1);
      }
    /* a lower bound (fast pagination) says nothing about arriving rows */
    self->positional = self->total_is_exact;
  }
  page_publish (self, page);
  if (old != 0 || self->n_items != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
  if (old != self->n_items)
    _tally_log_list_notify (self, PROP_N_ITEMS);
  _tally_log_list_set_ready (self, TRUE);
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
  _tally_log_list_fetch_page (self, NULL, 1, TALLY_LOG_LIST_FALLBACK_PAGE_SIZE);
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

  _tally_log_list_set_in_flight (self, self->in_flight - 1);
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
          _tally_log_list_set_error (self, error->message);
        }
      _tally_log_list_dispatch (self);
      return;
    }

  if (fetch->first)
    {
      if (!relearn_page_size (self, tally_page))
        first_page_cb (self, tally_page);
      _tally_log_list_dispatch (self);
      return;
    }

  if (page != NULL)
    page->in_flight = FALSE;

  self->pages_fetched++;
  _tally_log_list_update_n_new (self, tally_page);
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
          _tally_log_list_set_error (self, _ ("The list of requests changed too much while it was read. Try again."));
        }
      else if (page_expected (self, page) > 0)
        _tally_log_list_fetch_more (self, page);
    }
  _tally_log_list_evict (self, page);

  _tally_log_list_dispatch (self);
}

/* Asks for the server page (of the learned size) holding the first empty
 * slot of @page, where the rows that arrived since the snapshot put it now. */
void
_tally_log_list_fetch_more (TallyLogList *self,
                            Page *page)
{
  guint slot = 0;
  gint64 shift = self->positional ? self->latest_total - self->snapshot_total : 0;

  while (page->logs != NULL && slot + 1 < page->logs->len && g_ptr_array_index (page->logs, slot) != NULL)
    slot++;

  _tally_log_list_fetch_page (self, page,
                              tally_usage_snapshot_page_of ((gint64) page->index * self->page_size + slot, shift, self->page_size),
                              self->page_size);
}

/* Asks for @server_page; @page NULL is page 1 of a new snapshot. */
void
_tally_log_list_fetch_page (TallyLogList *self,
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
  _tally_log_list_set_in_flight (self, self->in_flight + 1);

  g_debug ("Fetching page %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " rows for page %u", server_page, page_size, fetch->index + 1);
  tally_client_list_usage_async (self->client,
                                 self->query,
                                 server_page,
                                 page_size,
                                 self->cancellable,
                                 list_usage_cb,
                                 fetch);
}

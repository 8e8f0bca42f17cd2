/* tally-log-list-private.h: what the log list's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tally-log-list.c: the pages, the window, the GListModel and the API;
 * tally-log-list-fetch.c: the fetches and their answers.
 */

#pragma once

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "tally-client.h"
#include "tally-log-list.h"
#include "tally-page.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-usage-snapshot.h"

G_BEGIN_DECLS

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

typedef struct
{
  GWeakRef self;
  guint generation;
  guint index;     /* of the snapshot page it fills */
  guint first : 1; /* page 1 of a new snapshot */
} Fetch;

void _tally_log_list_notify (TallyLogList *self,
                             guint prop_id);
void _tally_log_list_fetch_more (TallyLogList *self,
                                 Page *page);
void _tally_log_list_fetch_page (TallyLogList *self,
                                 Page *page,
                                 gint64 server_page,
                                 gint64 page_size);
void _tally_log_list_set_error (TallyLogList *self,
                                const char *message);
Page *_tally_log_list_page_new (guint index,
                                guint page_size);
void _tally_log_list_set_total_is_exact (TallyLogList *self,
                                         gboolean exact);
void _tally_log_list_dispatch (TallyLogList *self);
void _tally_log_list_row_unref (gpointer row);
void _tally_log_list_set_in_flight (TallyLogList *self,
                                    guint in_flight);
void _tally_log_list_set_n_items (TallyLogList *self,
                                  guint n_items);
void _tally_log_list_update_n_new (TallyLogList *self,
                                   TallyPage *result);
void _tally_log_list_drop_pages (TallyLogList *self,
                                 gboolean cancel);
void _tally_log_list_evict (TallyLogList *self,
                            Page *keep);
void _tally_log_list_set_ready (TallyLogList *self,
                                gboolean ready);

G_END_DECLS

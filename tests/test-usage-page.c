/* test-usage-page.c: the usage view against the demo server (needs a display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tally-api-key.h"
#include "tally-client.h"
#include "tally-demo-server.h"
#include "tally-format.h"
#include "tally-log-list.h"
#include "tally-log-row.h"
#include "tally-resources.h"
#include "tally-server-time.h"
#include "tally-session.h"
#include "tally-sorted-log.h"
#include "tally-usage.h"
#include "tally-test-demo.h"
#include "tally-test-gtk-utils.h"
#include "tally-test-utils.h"
#include "tally-usage-details.h"
#include "tally-usage-filter-bar.h"
#include "tally-usage-log.h"
#include "tally-usage-page.h"
#include "tally-usage-query.h"

#define GUARD_SECONDS 20

typedef gboolean (*Predicate) (gpointer data);

static void
wait_until (Predicate predicate,
            gpointer data,
            const char *what)
{
  tally_test_wait_until (predicate, data, 20, GUARD_SECONDS, what);
}

static const char *
label_text (GtkWidget *root,
            const char *name)
{
  return gtk_label_get_text (GTK_LABEL (tally_test_find_named (root, name)));
}

/* The string the key drop-down shows. */
static const char *
dropdown_text (GtkWidget *root)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (tally_test_find_named (root, "key-filter"));
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);

  g_assert_nonnull (item);
  return gtk_string_object_get_string (item);
}

static gboolean
inscriptions_contain (GtkWidget *root,
                      const char *text)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  tally_test_collect_widgets (root, GTK_TYPE_INSCRIPTION, found);
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (gtk_inscription_get_text (g_ptr_array_index (found, i)), text) == 0)
      return TRUE;

  return FALSE;
}

typedef struct
{
  TallySession *session;
  GtkWidget *window;
  TallyUsagePage *page;
  GListModel *log;
  const char *expected_requests;
  const char *needle;
  GtkWindow *details;
} Ctx;

static gboolean
query_has_dates (gpointer data)
{
  Ctx *ctx = data;
  const TallyUsageQuery *query = tally_session_get_usage_query (ctx->session);

  return tally_usage_query_get_start_date (query) != NULL && tally_usage_query_get_end_date (query) != NULL;
}

static gboolean
log_settled (gpointer data)
{
  Ctx *ctx = data;

  return tally_log_list_get_ready (TALLY_LOG_LIST (ctx->log)) && !tally_log_list_get_loading (TALLY_LOG_LIST (ctx->log));
}

static gboolean
counting_shown (gpointer data)
{
  Ctx *ctx = data;
  GtkWidget *label = tally_test_find_named (GTK_WIDGET (ctx->page), "totals-counting");

  return gtk_widget_get_visible (label) && strstr (gtk_label_get_text (GTK_LABEL (label)), " of ") != NULL;
}

static gboolean
requests_shown (gpointer data)
{
  Ctx *ctx = data;

  return g_strcmp0 (label_text (GTK_WIDGET (ctx->page), "total-requests"), ctx->expected_requests) == 0;
}

static gboolean
text_shown (gpointer data)
{
  Ctx *ctx = data;

  return inscriptions_contain (GTK_WIDGET (ctx->page), ctx->needle);
}

static gboolean
log_failed (gpointer data)
{
  Ctx *ctx = data;

  return tally_log_list_get_error (TALLY_LOG_LIST (ctx->log)) != NULL && !tally_log_list_get_loading (TALLY_LOG_LIST (ctx->log));
}

static gboolean
details_loaded (gpointer data)
{
  Ctx *ctx = data;

  return tally_usage_details_get_loaded (TALLY_USAGE_DETAILS (ctx->details));
}

static char *
key_name (TallySession *session,
          gint64 id)
{
  GListModel *keys = tally_session_get_keys (session);

  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);

      if (tally_api_key_get_id (key) == id)
        return g_strdup (tally_api_key_get_name (key));
    }

  return NULL;
}

/* ------------------------------------------------------------ fixture */

/* The page alone in a window, with a session that is not started yet. */
static void
setup_page (Ctx *ctx,
            gconstpointer data)
{
  ctx->session = tally_session_new ();
  ctx->window = gtk_window_new ();
  ctx->page = TALLY_USAGE_PAGE (tally_usage_page_new ());
  ctx->log = tally_usage_page_get_log (ctx->page);
  gtk_window_set_default_size (GTK_WINDOW (ctx->window), 1280, 760);
  gtk_window_set_child (GTK_WINDOW (ctx->window), GTK_WIDGET (ctx->page));
  g_object_add_weak_pointer (G_OBJECT (ctx->window), (gpointer *) &ctx->window);
  gtk_window_present (GTK_WINDOW (ctx->window));
}

/* The page on a started demo, its query given the default range. */
static void
setup_demo (Ctx *ctx,
            gconstpointer data)
{
  setup_page (ctx, data);
  tally_usage_page_set_session (ctx->page, ctx->session);
  tally_test_start_demo (ctx->session);
  wait_until (query_has_dates, ctx, "the query has a range");
}

/* The same on a live demo: rows keep arriving (6000 a minute). */
static void
setup_live_demo (Ctx *ctx,
                 gconstpointer data)
{
  g_setenv ("TALLY_DEMO_LIVE_ROWS", "6000", TRUE);
  setup_page (ctx, data);
  tally_usage_page_set_session (ctx->page, ctx->session);
  tally_test_start_demo (ctx->session);
  g_setenv ("TALLY_DEMO_LIVE_ROWS", "0", TRUE);
}

static gboolean
log_idle (gpointer data)
{
  Ctx *ctx = data;

  return !tally_log_list_get_loading (TALLY_LOG_LIST (ctx->log));
}

/* Closes the window once the log is in (as the one long scenario of before
 * ended); the session must be finalized then: a short case may close with a
 * totals request still being cancelled, so the wait is the leak guard's. */
static void
teardown (Ctx *ctx,
          gconstpointer data)
{
  wait_until (log_idle, ctx, "the log to be idle");
  gtk_window_destroy (GTK_WINDOW (ctx->window));
  tally_test_spin (50);
  g_assert_null (ctx->window);
  tally_test_assert_finalized (ctx->session);
}

/* Picks key @id in the drop-down, as a user would (from "All keys"). */
static char *
pick_key (Ctx *ctx,
          gint64 id)
{
  TallyUsageFilterBar *bar = TALLY_USAGE_FILTER_BAR (tally_test_find_widget (GTK_WIDGET (ctx->page),
                                                                             TALLY_TYPE_USAGE_FILTER_BAR));
  g_autofree char *name = key_name (ctx->session, id);

  g_assert_nonnull (name);
  g_assert_cmpstr (dropdown_text (GTK_WIDGET (ctx->page)), ==, "All keys");
  g_assert_true (tally_usage_filter_bar_select_key (bar, id));
  g_assert_cmpstr (dropdown_text (GTK_WIDGET (ctx->page)), ==, name);
  g_assert_cmpint (tally_usage_query_get_api_key_id (tally_session_get_usage_query (ctx->session)), ==, id);

  return g_steal_pointer (&name);
}

/* The server's own first page (100 rows) for the session's query. */
static JsonObject *
fetch_first_page (Ctx *ctx)
{
  g_autofree char *params = tally_usage_query_to_list_params (tally_session_get_usage_query (ctx->session), 1, 100);
  g_autofree char *path = g_strdup_printf ("/usage?%s", params);

  return tally_test_fetch_data (ctx->session, path);
}

/* The time of the first row of @page1 as the page writes it, in server
 * time: "Today 14:03:21", "Yesterday 09:12:00", else the locale's date
 * ("%x") and the time. */
static char *
first_row_time (JsonObject *page1)
{
  JsonObject *first = json_array_get_object_element (json_object_get_array_member (page1, "items"), 0);
  const char *stamp = json_object_get_string_member (first, "created_at");
  g_autoptr (GDateTime) created = g_date_time_new_from_iso8601 (stamp, NULL);
  g_autoptr (GTimeZone) zone = g_time_zone_new_offset ((gint32) (g_date_time_get_utc_offset (created) / G_TIME_SPAN_SECOND));
  g_autoptr (GDateTime) now = g_date_time_new_now (zone);
  g_autofree char *day = g_strndup (stamp, 10);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr (GDateTime) before = g_date_time_add_days (now, -1);
  g_autofree char *yesterday = g_date_time_format (before, "%Y-%m-%d");
  g_autofree char *time = g_strndup (stamp + 11, 8);
  g_autofree char *when = NULL;

  if (g_str_equal (day, today))
    when = g_strdup_printf ("Today %s", time);
  else if (g_str_equal (day, yesterday))
    when = g_strdup_printf ("Yesterday %s", time);
  else
    when = g_date_time_format (created, "%x %H:%M:%S");

  return g_steal_pointer (&when);
}

/* The first row of @page1 is drawn. */
static void
wait_first_row_drawn (Ctx *ctx,
                      JsonObject *page1)
{
  g_autofree char *when = first_row_time (page1);

  ctx->needle = when;
  wait_until (text_shown, ctx, "the first row is drawn");
  ctx->needle = NULL;
}

/* ------------------------------------------------------------ cases */

/* Before a session: an empty table, no totals. Then the filter bar gives a
 * query without dates the default range. */
static void
test_default_range (Ctx *ctx,
                    gconstpointer data)
{
  const char *start;
  const char *end;

  g_assert_cmpstr (label_text (GTK_WIDGET (ctx->page), "total-requests"), ==, "—");

  tally_usage_page_set_session (ctx->page, ctx->session);
  tally_test_start_demo (ctx->session);

  wait_until (query_has_dates, ctx, "the query has a range");
  start = tally_usage_query_get_start_date (tally_session_get_usage_query (ctx->session));
  end = tally_usage_query_get_end_date (tally_session_get_usage_query (ctx->session));
  g_assert_cmpint (tally_date_range_days (start, end), ==, 7);
  g_assert_cmpstr (end, ==, tally_session_get_server_today (ctx->session));
}

/* Key 1 picked in the drop-down: the list, the totals and the first rows are
 * the server's own for that filter. */
static void
test_filter_by_key (Ctx *ctx,
                    gconstpointer data)
{
  g_autoptr (JsonObject) page1 = NULL;
  g_autoptr (JsonObject) stats = NULL;
  g_autofree char *params = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected_requests = NULL;
  g_autofree char *key1 = NULL;
  GtkColumnView *column_view;

  key1 = pick_key (ctx, 1);

  /* The server's own figures for that filter. */
  page1 = fetch_first_page (ctx);
  params = tally_usage_query_to_stats_params (tally_session_get_usage_query (ctx->session));
  g_assert_nonnull (strstr (params, "start_date="));
  path = g_strdup_printf ("/usage/stats?%s", params);
  stats = tally_test_fetch_data (ctx->session, path);
  g_assert_cmpint (json_object_get_int_member (page1, "total"), >, 100);

  wait_until (log_settled, ctx, "the log is loaded");
  column_view = GTK_COLUMN_VIEW (tally_test_find_named (GTK_WIDGET (ctx->page), "usage-log"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (column_view))), ==,
                    json_object_get_int_member (page1, "total"));

  expected_requests = tally_format_count (json_object_get_int_member (stats, "total_requests"));
  ctx->expected_requests = expected_requests;
  wait_until (requests_shown, ctx, "the totals are shown");
  {
    g_autofree char *tokens = tally_format_tokens (json_object_get_int_member (stats, "total_tokens"));
    g_autofree char *billed = tally_format_cost (json_object_get_double_member (stats, "total_actual_cost"));
    g_autofree char *list = tally_format_cost (json_object_get_double_member (stats, "total_cost"));
    g_autofree char *duration = tally_format_duration_ms (json_object_get_double_member (stats, "average_duration_ms"));

    g_assert_cmpstr (label_text (GTK_WIDGET (ctx->page), "total-tokens"), ==, tokens);
    g_assert_cmpstr (label_text (GTK_WIDGET (ctx->page), "total-billed"), ==, billed);
    g_assert_cmpstr (label_text (GTK_WIDGET (ctx->page), "total-list"), ==, list);
    g_assert_cmpstr (label_text (GTK_WIDGET (ctx->page), "total-duration"), ==, duration);
  }
  /* The list's total equals the stats' request count: same key, same days. */
  g_assert_cmpint (json_object_get_int_member (page1, "total"), ==, json_object_get_int_member (stats, "total_requests"));
  g_assert_false (gtk_widget_get_visible (tally_test_find_named (GTK_WIDGET (ctx->page), "totals-counting")));

  /* The first rows are on screen, in server time, with the key's name. */
  {
    JsonObject *first = json_array_get_object_element (json_object_get_array_member (page1, "items"), 0);
    /* a table: 4 fixed decimals */
    g_autofree char *billed = tally_format_cost_table (json_object_get_double_member (first, "actual_cost"));

    wait_first_row_drawn (ctx, page1);
    g_assert_true (inscriptions_contain (GTK_WIDGET (ctx->page), billed));
    g_assert_true (inscriptions_contain (GTK_WIDGET (ctx->page), key1));
    g_assert_true (inscriptions_contain (GTK_WIDGET (ctx->page),
                                         json_object_get_string_member (first, "model")));
  }

  tally_test_save_png (ctx->window, "test-usage-page.png");
}

/* Details of the first row: /usage/:id, request id shown as plain text. */
static void
test_details (Ctx *ctx,
              gconstpointer data)
{
  g_autoptr (JsonObject) page1 = NULL;
  g_autoptr (JsonObject) single = NULL;
  g_autofree char *key1 = NULL;
  g_autofree char *id_path = NULL;
  g_autofree char *expected_key = NULL;
  GtkColumnView *column_view;
  GListModel *toplevels;
  JsonObject *first;
  JsonArray *items;
  guint position = 0;

  key1 = pick_key (ctx, 1);
  page1 = fetch_first_page (ctx);
  wait_until (log_settled, ctx, "the log is loaded");
  wait_first_row_drawn (ctx, page1);
  column_view = GTK_COLUMN_VIEW (tally_test_find_named (GTK_WIDGET (ctx->page), "usage-log"));

  /* a row whose billed amount is not its list price, if the page has one */
  items = json_object_get_array_member (page1, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (json_object_get_double_member (json_array_get_object_element (items, i), "rate_multiplier") != 1.0)
      {
        position = i;
        break;
      }
  first = json_array_get_object_element (items, position);
  id_path = g_strdup_printf ("/usage/%" G_GINT64_FORMAT, json_object_get_int_member (first, "id"));
  single = tally_test_fetch_data (ctx->session, id_path);

  g_signal_emit_by_name (column_view, "activate", position);
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (TALLY_IS_USAGE_DETAILS (toplevel))
        ctx->details = toplevel;
    }
  g_assert_nonnull (ctx->details);
  g_object_add_weak_pointer (G_OBJECT (ctx->details), (gpointer *) &ctx->details);
  g_assert_true (gtk_window_get_transient_for (ctx->details) == GTK_WINDOW (ctx->window));
  wait_until (details_loaded, ctx, "the details are loaded");
  g_assert_null (tally_usage_details_get_error (TALLY_USAGE_DETAILS (ctx->details)));
  /* An empty request id (API.md §4.5 allows it) shows as a dash, with
   * nothing to copy. */
  if (json_object_get_string_member (single, "request_id")[0] == '\0')
    {
      g_assert_cmpstr (label_text (GTK_WIDGET (ctx->details), "request-id-value"), ==, "—");
      g_assert_false (gtk_widget_get_sensitive (tally_test_find_named (GTK_WIDGET (ctx->details), "copy-request-id")));
    }
  else
    {
      GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (ctx->details));
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *copied = NULL;
      GAsyncResult *slot = NULL;

      g_assert_cmpstr (label_text (GTK_WIDGET (ctx->details), "request-id-value"), ==,
                       json_object_get_string_member (single, "request_id"));
      g_assert_true (gtk_widget_get_sensitive (tally_test_find_named (GTK_WIDGET (ctx->details), "copy-request-id")));

      /* The copy button puts exactly the request id on the clipboard. */
      g_signal_emit_by_name (tally_test_find_named (GTK_WIDGET (ctx->details), "copy-request-id"), "clicked");
      gdk_clipboard_read_text_async (clipboard, NULL, tally_test_store_result_cb, &slot);
      result = tally_test_wait_result (&slot);
      copied = gdk_clipboard_read_text_finish (clipboard, result, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (copied, ==, json_object_get_string_member (single, "request_id"));
    }
  g_assert_cmpint (json_object_get_int_member (single, "id"), ==, json_object_get_int_member (first, "id"));
  expected_key = g_strdup_printf ("%s (#1)", key1);
  g_assert_cmpstr (label_text (GTK_WIDGET (ctx->details), "key-value"), ==, expected_key);

  /* The billed amount first, with every digit the server sent, then the
   * groups in order: request, tokens, cost, timing. */
  {
    static const char *const order[] = { "group-request", "group-tokens", "group-cost", "group-timing" };
    GtkWidget *root = GTK_WIDGET (ctx->details);
    GtkWidget *billed = tally_test_find_named (root, "billed-amount");
    GtkWidget *groups = gtk_widget_get_parent (tally_test_find_named (root, "group-request"));
    g_autofree char *expected_billed = tally_format_cost_exact_styled (json_object_get_double_member (single, "actual_cost"),
                                                                       tally_number_style_locale ());
    GtkWidget *child;
    guint i = 0;

    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (billed)), ==, expected_billed);
    g_assert_cmpstr (label_text (root, "billed-cost-value"), ==, expected_billed);
    /* the amount comes before the groups in the same column */
    for (child = billed; child != NULL && child != groups; child = gtk_widget_get_next_sibling (child))
      ;
    g_assert_true (child == groups);
    for (child = gtk_widget_get_first_child (groups); child != NULL; child = gtk_widget_get_next_sibling (child), i++)
      {
        g_assert_cmpuint (i, <, G_N_ELEMENTS (order));
        g_assert_cmpstr (gtk_widget_get_name (child), ==, order[i]);
      }
    g_assert_cmpuint (i, ==, G_N_ELEMENTS (order));
    /* each field in its group */
    g_assert_true (gtk_widget_is_ancestor (tally_test_find_named (root, "request-id-value"), tally_test_find_named (root, "group-request")));
    g_assert_true (gtk_widget_is_ancestor (tally_test_find_named (root, "copy-request-id"), tally_test_find_named (root, "group-request")));
    g_assert_true (gtk_widget_is_ancestor (tally_test_find_named (root, "total-tokens-value"), tally_test_find_named (root, "group-tokens")));
    g_assert_true (gtk_widget_is_ancestor (tally_test_find_named (root, "multiplier-value"), tally_test_find_named (root, "group-cost")));
    g_assert_true (gtk_widget_is_ancestor (tally_test_find_named (root, "duration-value"), tally_test_find_named (root, "group-timing")));
  }

  tally_test_save_png (GTK_WIDGET (ctx->details), "test-usage-details.png");
  gtk_window_destroy (ctx->details);
  tally_test_spin (20);
  g_assert_null (ctx->details);
}

/* The session's query with @key_id (0: all keys) and @stream. */
static void
set_query (Ctx *ctx,
           gint64 key_id,
           TallyStreamFilter stream)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_copy (tally_session_get_usage_query (ctx->session));

  tally_usage_query_set_api_key_id (query, key_id);
  tally_usage_query_set_stream (query, stream);
  tally_session_set_usage_query (ctx->session, query);
}

static TallyUsageFilterBar *
filter_bar (Ctx *ctx)
{
  return TALLY_USAGE_FILTER_BAR (tally_test_find_widget (GTK_WIDGET (ctx->page), TALLY_TYPE_USAGE_FILTER_BAR));
}

/* The dashboard's "filter by this key": the drop-down follows. */
static void
test_query_key (Ctx *ctx,
                gconstpointer data)
{
  g_autofree char *key3 = key_name (ctx->session, 3);

  g_assert_nonnull (key3);
  set_query (ctx, 3, tally_usage_query_get_stream (tally_session_get_usage_query (ctx->session)));
  g_assert_cmpint (tally_usage_filter_bar_get_selected_key (filter_bar (ctx)), ==, 3);
  g_assert_cmpstr (dropdown_text (GTK_WIDGET (ctx->page)), ==, key3);
  wait_until (log_settled, ctx, "the key 3 log is loaded");
  g_assert_cmpuint (g_list_model_get_n_items (ctx->log), >, 0);
}

/* A deleted key (7: not in /keys) is named by number; its log is a 404. */
static void
test_deleted_key (Ctx *ctx,
                  gconstpointer data)
{
  set_query (ctx, 7, tally_usage_query_get_stream (tally_session_get_usage_query (ctx->session)));
  g_assert_cmpint (tally_usage_filter_bar_get_selected_key (filter_bar (ctx)), ==, 7);
  g_assert_cmpstr (dropdown_text (GTK_WIDGET (ctx->page)), ==, "Deleted key #7");
  wait_until (log_failed, ctx, "the deleted key's log fails");
  g_assert_cmpuint (g_list_model_get_n_items (ctx->log), ==, 0);
}

/* A type filter selects its item (test_filtered_totals() checks its figures). */
static void
test_type_filter (Ctx *ctx,
                  gconstpointer data)
{
  set_query (ctx, 0, TALLY_STREAM_SYNC);
  g_assert_cmpint (gtk_drop_down_get_selected (GTK_DROP_DOWN (tally_test_find_named (GTK_WIDGET (ctx->page), "stream-filter"))), ==, 2);
  wait_until (log_settled, ctx, "the sync log is loaded");
}

/* The titles of the visible columns, in order, joined with "|" (the
 * details chevron has none). */
static char *
visible_titles (GtkColumnView *column_view)
{
  GListModel *view_columns = gtk_column_view_get_columns (column_view);
  g_autoptr (GStrvBuilder) titles = g_strv_builder_new ();
  g_auto (GStrv) strv = NULL;
  guint i = 0;
  GtkColumnViewColumn *column;

  while ((column = g_list_model_get_item (view_columns, i++)) != NULL)
    {
      const char *title = gtk_column_view_column_get_title (column);

      if (gtk_column_view_column_get_visible (column))
        g_strv_builder_add (titles, title != NULL ? title : "(chevron)");
      g_object_unref (column);
    }

  strv = g_strv_builder_end (titles);
  return g_strjoinv ("|", strv);
}

/* Where the header label titled @title sits in its button: 0 at the start
 * (not expanded: GTK's default), 1 at the end (expanded, xalign 1). */
static float
header_xalign (GtkColumnView *column_view,
               const char *title)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  tally_test_collect_widgets (GTK_WIDGET (column_view), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (g_str_equal (gtk_widget_get_css_name (gtk_widget_get_parent (gtk_widget_get_parent (gtk_widget_get_parent (label)))), "header") && g_str_equal (gtk_label_get_text (GTK_LABEL (label)), title))
        return gtk_widget_get_hexpand (label) ? gtk_label_get_xalign (GTK_LABEL (label)) : 0;
    }

  g_error ("no header label “%s”", title);
}

/* Fewer columns by default; the chooser's actions write GSettings, which a
 * new page reads; numeric headers are right-aligned like their cells. */
static void
test_columns (Ctx *ctx,
              gconstpointer data)
{
  g_autoptr (GSettings) settings = g_settings_new (BASE_ID);
  const char *hide[] = { "model", "first-token", NULL };
  GtkColumnView *column_view = GTK_COLUMN_VIEW (tally_test_find_named (GTK_WIDGET (ctx->page), "usage-log"));
  g_auto (GStrv) hidden = NULL;
  g_autofree char *titles = NULL;
  GtkWidget *other;

  titles = visible_titles (column_view);
  g_assert_cmpstr (titles, ==, "Time|Key|Model|Tokens|Billed|First Token|Duration|(chevron)");

  g_settings_set_strv (settings, "usage-hidden-columns", hide);
  g_clear_pointer (&titles, g_free);
  titles = visible_titles (column_view);
  g_assert_cmpstr (titles, ==, "Time|Key|Tokens|Type|Input|Output|Cache Write|Cache Read|Billed|List Price|Multiplier|Billing|Duration|(chevron)");

  /* the chooser (columns.*) saves the choice */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ctx->page), "columns.duration", NULL));
  hidden = g_settings_get_strv (settings, "usage-hidden-columns");
  g_assert_cmpuint (g_strv_length (hidden), ==, 3);
  g_assert_true (g_strv_contains ((const char *const *) hidden, "duration"));
  g_settings_reset (settings, "usage-hidden-columns");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ctx->page), "columns.list", NULL));

  /* and a page made later (the next start) shows it */
  other = g_object_ref_sink (tally_usage_page_new ());
  g_clear_pointer (&titles, g_free);
  titles = visible_titles (GTK_COLUMN_VIEW (tally_test_find_named (other, "usage-log")));
  g_assert_cmpstr (titles, ==, "Time|Key|Model|Tokens|Billed|List Price|First Token|Duration|(chevron)");
  g_object_unref (other);
  g_settings_reset (settings, "usage-hidden-columns");

  g_assert_cmpfloat (header_xalign (column_view, "Billed"), ==, 1);
  g_assert_cmpfloat (header_xalign (column_view, "Tokens"), ==, 1);
  g_assert_cmpfloat (header_xalign (column_view, "Duration"), ==, 1);
  g_assert_cmpfloat (header_xalign (column_view, "Model"), ==, 0);
  g_assert_cmpfloat (header_xalign (column_view, "Time"), ==, 0);
}

/* The same against the generation in the test data (a TallyDemoGeneration). */
static void
setup_demo_generation (Ctx *ctx,
                       gconstpointer data)
{
  g_setenv ("TALLY_DEMO_GENERATION", GPOINTER_TO_UINT (data) == TALLY_DEMO_GENERATION_2025 ? "2025" : "current", TRUE);
  setup_demo (ctx, data);
  g_unsetenv ("TALLY_DEMO_GENERATION");
}

static GtkColumnViewColumn *
column_titled (GtkColumnView *column_view,
               const char *title)
{
  GListModel *view_columns = gtk_column_view_get_columns (column_view);

  for (guint i = 0; i < g_list_model_get_n_items (view_columns); i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (view_columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;
    }
  g_error ("no column “%s”", title);
}

static gboolean
sorted_collected (gpointer data)
{
  Ctx *ctx = data;
  TallySortedLog *sorted = tally_usage_get_sorted (tally_usage_page_get_usage (ctx->page));

  return tally_sorted_log_get_ready (sorted) && !tally_sorted_log_get_loading (sorted);
}

/* The model behind the table, under its selection. */
static GListModel *
shown_rows (GtkColumnView *column_view)
{
  return gtk_single_selection_get_model (GTK_SINGLE_SELECTION (gtk_column_view_get_model (column_view)));
}

static gboolean
back_to_newest (gpointer data)
{
  Ctx *ctx = data;

  return !tally_usage_get_sorted_active (tally_usage_page_get_usage (ctx->page));
}

/* A header sorts the rows: newest first is the lazy list; any other order
 * is every row of the query, sorted; a query of too many rows goes back to
 * newest first. */
static void
test_sort (Ctx *ctx,
           gconstpointer data)
{
  GtkColumnView *column_view = GTK_COLUMN_VIEW (tally_test_find_named (GTK_WIDGET (ctx->page), "usage-log"));
  TallyUsage *usage = tally_usage_page_get_usage (ctx->page);
  TallySortedLog *sorted = tally_usage_get_sorted (usage);
  GtkColumnViewColumn *billed = column_titled (column_view, "Billed");
  GtkColumnViewColumn *model = column_titled (column_view, "Model");
  GtkColumnViewColumn *time = column_titled (column_view, "Time");
  g_autoptr (JsonObject) page1 = NULL;
  GListModel *rows;
  gint64 total;
  double previous = G_MAXDOUBLE;

  wait_until (log_settled, ctx, "the log is loaded");
  g_assert_true (shown_rows (column_view) == ctx->log);
  g_assert_false (tally_usage_get_sorted_active (usage));
  g_assert_null (gtk_column_view_column_get_sorter (column_titled (column_view, "Key")));
  page1 = fetch_first_page (ctx);
  total = json_object_get_int_member (page1, "total");

  /* Billed, largest first: every row of the range, in that order */
  gtk_column_view_sort_by_column (column_view, billed, GTK_SORT_DESCENDING);
  g_assert_true (tally_usage_get_sorted_active (usage));
  g_assert_cmpint (tally_usage_get_sort (usage), ==, TALLY_LOG_SORT_BILLED);
  g_assert_true (tally_usage_get_descending (usage));
  wait_until (sorted_collected, ctx, "the rows are sorted");
  rows = shown_rows (column_view);
  g_assert_true (rows == G_LIST_MODEL (sorted));
  g_assert_cmpint (g_list_model_get_n_items (rows), ==, total);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr (TallyLogRow) row = g_list_model_get_item (rows, i);
      double cost = tally_usage_log_get_actual_cost (tally_log_row_get_log (row));

      g_assert_cmpfloat (cost, <=, previous);
      previous = cost;
    }
  g_assert_true (gtk_widget_get_child_visible (gtk_widget_get_parent (GTK_WIDGET (column_view))));

  /* a row opens its own details: the most expensive request, not the newest */
  {
    g_autoptr (TallyLogRow) first = g_list_model_get_item (rows, 0);
    GtkWindow *details = tally_usage_page_show_details (ctx->page, 0);

    g_assert_nonnull (details);
    g_assert_true (tally_usage_get_details_row (usage) == tally_log_row_get_log (first));
    gtk_window_destroy (details);
  }

  /* the other way: the same rows, sorted again at once (no collection) */
  gtk_column_view_sort_by_column (column_view, billed, GTK_SORT_ASCENDING);
  g_assert_false (tally_usage_get_descending (usage));
  g_assert_false (tally_sorted_log_get_loading (sorted));
  g_assert_cmpint (g_list_model_get_n_items (rows), ==, total);
  {
    g_autoptr (TallyLogRow) first = g_list_model_get_item (rows, 0);

    g_assert_cmpfloat (tally_usage_log_get_actual_cost (tally_log_row_get_log (first)), ==, previous);
  }

  /* newest first again: the lazy list */
  gtk_column_view_sort_by_column (column_view, time, GTK_SORT_DESCENDING);
  g_assert_false (tally_usage_get_sorted_active (usage));
  g_assert_true (shown_rows (column_view) == ctx->log);

  /* more rows than a sort reads: back to newest first */
  tally_sorted_log_set_max_rows (sorted, 10);
  gtk_column_view_sort_by_column (column_view, model, GTK_SORT_ASCENDING);
  g_assert_true (tally_usage_get_sorted_active (usage));
  wait_until (back_to_newest, ctx, "newest first again");
  g_assert_true (tally_sorted_log_get_too_many (sorted) || !tally_usage_get_sorted_active (usage));
  g_assert_cmpint (tally_usage_get_sort (usage), ==, TALLY_LOG_SORT_TIME);
  g_assert_true (tally_usage_get_descending (usage));
  g_assert_true (shown_rows (column_view) == ctx->log);
  tally_sorted_log_set_max_rows (sorted, TALLY_SORTED_LOG_MAX_ROWS);
}

/* Ctrl+F's action puts the focus in the filter bar. */
static void
test_focus_filter (Ctx *ctx,
                   gconstpointer data)
{
  GtkWidget *focus;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ctx->page), "usage.focus-filter", NULL));
  focus = gtk_root_get_focus (GTK_ROOT (ctx->window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, tally_test_find_named (GTK_WIDGET (ctx->page), "key-filter")));
}

static gboolean
new_rows_offered (gpointer data)
{
  Ctx *ctx = data;

  return tally_log_list_get_n_new (TALLY_LOG_LIST (ctx->log)) > 0;
}

/* Rows arriving on a live demo: a refresh offers them ("N new requests ·
 * Show") without moving the list; Show loads the list again at the head. */
static void
test_new_rows (Ctx *ctx,
               gconstpointer data)
{
  GtkWidget *revealer;
  GtkWidget *button;
  g_autoptr (TallyLogRow) first = NULL;
  g_autoptr (TallyLogRow) head = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *count = NULL;
  gint64 first_id;
  guint n_items;
  guint n_new;

  wait_until (log_settled, ctx, "the log is loaded");
  revealer = tally_test_find_widget (GTK_WIDGET (ctx->page), GTK_TYPE_REVEALER);
  n_items = g_list_model_get_n_items (ctx->log);
  first = g_list_model_get_item (ctx->log, 0);
  wait_until (log_settled, ctx, "page 1 is in");
  first_id = tally_usage_log_get_id (tally_log_row_get_log (first));

  /* a refresh only looks: the list stays as it was */
  tally_test_spin (100);
  tally_usage_page_reload (ctx->page);
  wait_until (new_rows_offered, ctx, "new rows are offered");
  n_new = tally_log_list_get_n_new (TALLY_LOG_LIST (ctx->log));
  g_assert_cmpuint (g_list_model_get_n_items (ctx->log), ==, n_items);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  button = gtk_revealer_get_child (GTK_REVEALER (revealer));
  count = tally_format_count_styled (n_new, tally_number_style_locale ());
  expected = g_strdup_printf (n_new == 1 ? "%s new request · Show" : "%s new requests · Show", count);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, expected);

  /* Show: page 1 again, the new rows on top */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ctx->page), "usage.show-new", NULL));
  wait_until (log_settled, ctx, "the log is loaded again");
  g_assert_cmpuint (g_list_model_get_n_items (ctx->log), >=, n_items + n_new);
  head = g_list_model_get_item (ctx->log, 0);
  wait_until (log_settled, ctx, "page 1 is in again");
  g_assert_cmpint (tally_usage_log_get_id (tally_log_row_get_log (head)), >, first_id);
}

static void
record_label_cb (GtkLabel *label,
                 GParamSpec *pspec,
                 GPtrArray *texts)
{
  g_ptr_array_add (texts, g_strdup (gtk_label_get_text (label)));
}

/* Under a model filter the totals are the filtered rows' on both
 * servers; a December 2025 server's are counted ("Counting… N of M"), and
 * no other figure is ever shown meanwhile. */
static void
test_filtered_totals (gconstpointer data)
{
  TallyDemoGeneration generation = GPOINTER_TO_UINT (data);
  Ctx ctx = {
    0,
  };
  g_autoptr (TallyDemoServer) demo = NULL;
  g_autoptr (TallyUsageQuery) query = NULL;
  g_autoptr (JsonObject) newest = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (SoupSession) soup = soup_session_new ();
  g_autofree char *params = NULL;
  g_autofree char *expected_requests = NULL;
  g_autofree char *model = NULL;
  GAsyncResult *slot = NULL;
  TallyClient *client;
  TallyTestRowSums sums;

  g_setenv ("TALLY_DEMO_GENERATION", generation == TALLY_DEMO_GENERATION_2025 ? "2025" : "current", TRUE);
  demo = tally_demo_server_new_from_environment ();
  g_unsetenv ("TALLY_DEMO_GENERATION");
  tally_demo_server_set_live_rows (demo, 0);
  ctx.session = tally_session_new ();
  ctx.window = gtk_window_new ();
  ctx.page = TALLY_USAGE_PAGE (tally_usage_page_new ());
  ctx.log = tally_usage_page_get_log (ctx.page);
  gtk_window_set_child (GTK_WINDOW (ctx.window), GTK_WIDGET (ctx.page));
  g_object_add_weak_pointer (G_OBJECT (ctx.window), (gpointer *) &ctx.window);
  gtk_window_present (GTK_WINDOW (ctx.window));
  tally_usage_page_set_session (ctx.page, ctx.session);
  tally_session_start_demo_async (ctx.session, TALLY_DEMO_BACKEND (demo), NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_session_start_demo_finish (ctx.session, result, &error));
  g_assert_no_error (error);
  wait_until (query_has_dates, &ctx, "the query has a range");
  wait_until (log_settled, &ctx, "the log is loaded");

  /* the model with the most requests in the range */
  {
    const TallyUsageQuery *range = tally_session_get_usage_query (ctx.session);
    g_autofree char *path = g_strdup_printf ("/usage/dashboard/models?start_date=%s&end_date=%s",
                                             tally_usage_query_get_start_date (range), tally_usage_query_get_end_date (range));
    JsonArray *models;
    gint64 most = 0;

    newest = tally_test_fetch_data (ctx.session, path);
    models = json_object_get_array_member (newest, "models");
    for (guint i = 0; i < json_array_get_length (models); i++)
      {
        JsonObject *stat = json_array_get_object_element (models, i);

        if (json_object_get_int_member (stat, "requests") > most)
          {
            most = json_object_get_int_member (stat, "requests");
            g_free (model);
            model = g_strdup (json_object_get_string_member (stat, "model"));
          }
      }
  }
  query = tally_usage_query_copy (tally_session_get_usage_query (ctx.session));
  tally_usage_query_set_model (query, model);
  client = tally_session_get_client (ctx.session);
  params = tally_usage_query_to_list_params (query, 0, 0);
  tally_test_sum_rows (soup, tally_client_get_base_url (client), tally_client_get_token (client), params, &sums);
  g_assert_cmpint (sums.requests, >, 300); /* several pages of 100 */
  expected_requests = tally_format_count (sums.requests);
  ctx.expected_requests = expected_requests;

  /* slow pages, so the count is seen while it runs */
  tally_demo_server_set_delay (demo, 40);
  g_signal_connect (tally_test_find_named (GTK_WIDGET (ctx.page), "total-requests"), "notify::label", G_CALLBACK (record_label_cb), shown);
  tally_session_set_usage_query (ctx.session, query);
  /* the totals of the range without the filter are gone at once */
  g_assert_cmpstr (label_text (GTK_WIDGET (ctx.page), "total-requests"), ==, "—");
  g_assert_cmpstr (label_text (GTK_WIDGET (ctx.page), "total-billed"), ==, "—");
  if (generation == TALLY_DEMO_GENERATION_2025)
    {
      wait_until (counting_shown, &ctx, "the count runs");
      g_assert_true (g_str_has_prefix (label_text (GTK_WIDGET (ctx.page), "totals-counting"), "Counting… "));
      g_assert_cmpstr (label_text (GTK_WIDGET (ctx.page), "total-requests"), ==, "—");
    }
  wait_until (requests_shown, &ctx, "the filtered totals are shown");
  g_assert_false (gtk_widget_get_visible (tally_test_find_named (GTK_WIDGET (ctx.page), "totals-counting")));
  {
    g_autofree char *billed = tally_format_cost ((double) sums.actual_cost / 1e10);
    g_autofree char *list = tally_format_cost ((double) sums.cost / 1e10);
    g_autofree char *tokens = tally_format_tokens (sums.input_tokens + sums.output_tokens + sums.cache_creation_tokens + sums.cache_read_tokens);

    g_assert_cmpstr (label_text (GTK_WIDGET (ctx.page), "total-billed"), ==, billed);
    g_assert_cmpstr (label_text (GTK_WIDGET (ctx.page), "total-list"), ==, list);
    g_assert_cmpstr (label_text (GTK_WIDGET (ctx.page), "total-tokens"), ==, tokens);
  }
  /* under the filter: a dash, then the filtered figure, nothing else */
  for (guint i = 0; i < shown->len; i++)
    if (!g_str_equal (g_ptr_array_index (shown, i), "—") && !g_str_equal (g_ptr_array_index (shown, i), expected_requests))
      g_error ("the requests total showed %s under the filter (expected %s)", (char *) g_ptr_array_index (shown, i), expected_requests);

  tally_demo_server_set_delay (demo, 0);
  gtk_window_destroy (GTK_WINDOW (ctx.window));
  /* the answers still on their way (delayed) come back to nothing */
  tally_test_spin (300);
  g_assert_null (ctx.window);
  g_clear_object (&result); /* its source object is the session */
  g_assert_finalize_object (ctx.session);
}

/* ---------------------------------------------------------- narrow layout */

static gboolean
page_narrow (gpointer data)
{
  Ctx *ctx = data;

  return tally_usage_page_get_narrow (ctx->page);
}

static gboolean
page_wide (gpointer data)
{
  Ctx *ctx = data;

  return !tally_usage_page_get_narrow (ctx->page) && gtk_widget_get_width (GTK_WIDGET (ctx->page)) > 1000;
}

/* The window at @width; waits for the page's layout to follow. */
static void
resize (Ctx *ctx,
        int width,
        Predicate done)
{
  /* A shown window keeps its size: shown again, it takes the new one. On a
   * loaded X server the new size can be lost (the server answers the map
   * with the old configure): show it again until the page follows. */
  for (guint attempt = 0; attempt < 5 && !done (ctx); attempt++)
    {
      gint64 deadline = g_get_monotonic_time () + 4 * G_USEC_PER_SEC;

      gtk_widget_hide (ctx->window);
      gtk_window_set_default_size (GTK_WINDOW (ctx->window), width, 760);
      gtk_window_present (GTK_WINDOW (ctx->window));
      while (!done (ctx) && g_get_monotonic_time () < deadline)
        {
          if (!g_main_context_iteration (NULL, FALSE))
            g_usleep (10000);
        }
    }
  wait_until (done, ctx, "the page follows the width");
  tally_test_wait_painted (ctx->window);
}

/* The bounds of a total's cell (label → box → flow box child) in the
 * totals' flow box. */
static graphene_rect_t
cell_bounds (Ctx *ctx,
             const char *value_name)
{
  GtkWidget *cell = gtk_widget_get_parent (gtk_widget_get_parent (tally_test_find_named (GTK_WIDGET (ctx->page), value_name)));
  graphene_rect_t bounds;

  g_assert_true (GTK_IS_FLOW_BOX_CHILD (cell));
  g_assert_true (gtk_widget_compute_bounds (cell, gtk_widget_get_parent (cell), &bounds));
  return bounds;
}

static const char *
summary_text (Ctx *ctx)
{
  return label_text (GTK_WIDGET (ctx->page), "filters-summary");
}

static GtkWidget *
filters_popover (Ctx *ctx)
{
  return (GtkWidget *) gtk_menu_button_get_popover (GTK_MENU_BUTTON (tally_test_find_named (GTK_WIDGET (ctx->page), "filters-button")));
}

/* The inscriptions named @name in the narrow list, in row order. */
static GPtrArray *
row_parts (Ctx *ctx,
           const char *name)
{
  g_autoptr (GPtrArray) all = g_ptr_array_new ();
  GPtrArray *named = g_ptr_array_new ();

  tally_test_collect_widgets (tally_test_find_named (GTK_WIDGET (ctx->page), "usage-list-narrow"), GTK_TYPE_INSCRIPTION, all);
  for (guint i = 0; i < all->len; i++)
    if (g_str_equal (gtk_widget_get_name (g_ptr_array_index (all, i)), name))
      g_ptr_array_add (named, g_ptr_array_index (all, i));

  return named;
}

static gboolean
narrow_first_row_drawn (gpointer data)
{
  Ctx *ctx = data;
  g_autoptr (GPtrArray) times = row_parts (ctx, "row-time");

  return times->len > 0 && g_strcmp0 (gtk_inscription_get_text (g_ptr_array_index (times, 0)), ctx->needle) == 0;
}

/* At 360 px: a Filters button whose popover holds the one filter bar, with
 * the summary of the filters beside it; the totals in a 2×2 grid; two-line
 * rows with the billed cost. At 1200 px the wide layout again. */
static void
test_narrow (Ctx *ctx,
             gconstpointer data)
{
  GtkWidget *page = GTK_WIDGET (ctx->page);
  GtkWidget *bar = tally_test_find_widget (page, TALLY_TYPE_USAGE_FILTER_BAR);
  g_autofree char *key5 = NULL;
  g_autofree char *expected = NULL;
  g_autoptr (JsonObject) page1 = NULL;
  graphene_rect_t requests, tokens, billed, list;

  g_assert_false (tally_usage_page_get_narrow (ctx->page));
  g_assert_false (gtk_widget_get_visible (tally_test_find_named (page, "filters-button")));

  resize (ctx, 360, page_narrow);

  /* the Filters button and its summary; the filter bar is in its popover */
  g_assert_true (gtk_widget_get_mapped (tally_test_find_named (page, "filters-button")));
  g_assert_true (gtk_widget_is_ancestor (bar, filters_popover (ctx)));
  g_assert_false (gtk_widget_get_visible (tally_test_find_named (page, "columns-button")));
  g_assert_cmpstr (summary_text (ctx), ==, "All requests");
  g_assert_cmpstr (label_text (page, "filters-range"), ==, "Last 7 Days");

  /* Ctrl+F opens the popover on the first filter */
  g_assert_true (gtk_widget_activate_action (page, "usage.focus-filter", NULL));
  g_assert_true (gtk_widget_get_visible (filters_popover (ctx)));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (ctx->window)), tally_test_find_named (page, "key-filter")));
  gtk_popover_popdown (GTK_POPOVER (filters_popover (ctx)));

  /* the controls in the popover write the query, the summary follows it */
  /* key 5's group bills 1.5× the list price */
  key5 = pick_key (ctx, 5);
  expected = g_strdup_printf ("Key: %s", key5);
  g_assert_cmpstr (summary_text (ctx), ==, expected);
  {
    g_autoptr (TallyUsageQuery) query = tally_usage_query_copy (tally_session_get_usage_query (ctx->session));

    tally_usage_query_set_model (query, "claude-sonnet-4-5");
    tally_session_set_usage_query (ctx->session, query);
  }
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Key: %s · Model: claude-sonnet-4-5", key5);
  g_assert_cmpstr (summary_text (ctx), ==, expected);
  {
    g_autoptr (TallyUsageQuery) query = tally_usage_query_copy (tally_session_get_usage_query (ctx->session));

    tally_usage_query_set_api_key_id (query, 0);
    tally_usage_query_set_stream (query, TALLY_STREAM_SYNC);
    tally_usage_query_set_billing (query, TALLY_BILLING_SUBSCRIPTION);
    tally_session_set_usage_query (ctx->session, query);
  }
  g_assert_cmpstr (summary_text (ctx), ==, "Model: claude-sonnet-4-5 · Type: Sync · Billing: Subscription");
  set_query (ctx, 5, TALLY_STREAM_ANY);
  {
    g_autoptr (TallyUsageQuery) query = tally_usage_query_copy (tally_session_get_usage_query (ctx->session));

    tally_usage_query_set_model (query, NULL);
    tally_usage_query_set_billing (query, TALLY_BILLING_ANY);
    tally_session_set_usage_query (ctx->session, query);
  }
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Key: %s", key5);
  g_assert_cmpstr (summary_text (ctx), ==, expected);

  /* the totals: requests and tokens, then billed and list price */
  tally_test_wait_painted (ctx->window);
  requests = cell_bounds (ctx, "total-requests");
  tokens = cell_bounds (ctx, "total-tokens");
  billed = cell_bounds (ctx, "total-billed");
  list = cell_bounds (ctx, "total-list");
  g_assert_cmpfloat (requests.origin.x, ==, billed.origin.x);
  g_assert_cmpfloat (tokens.origin.x, ==, list.origin.x);
  g_assert_cmpfloat (requests.origin.x, <, tokens.origin.x);
  g_assert_cmpfloat (requests.origin.y, ==, tokens.origin.y);
  g_assert_cmpfloat (billed.origin.y, ==, list.origin.y);
  g_assert_cmpfloat (requests.origin.y + requests.size.height, <=, billed.origin.y);
  g_assert_false (gtk_widget_get_mapped (tally_test_find_named (page, "total-duration")));

  /* two-line rows: the time and the billed cost, then key · model · tokens */
  page1 = fetch_first_page (ctx);
  wait_until (log_settled, ctx, "the key 5 log is loaded");
  {
    JsonObject *first = json_array_get_object_element (json_object_get_array_member (page1, "items"), 0);
    gint64 total = json_object_get_int_member (first, "input_tokens") + json_object_get_int_member (first, "output_tokens") + json_object_get_int_member (first, "cache_creation_tokens") + json_object_get_int_member (first, "cache_read_tokens");
    g_autofree char *cost = tally_format_cost_table (json_object_get_double_member (first, "actual_cost"));
    g_autofree char *list_price = tally_format_cost_table (json_object_get_double_member (first, "total_cost"));
    g_autofree char *count = tally_format_count (total);
    g_autofree char *detail = g_strdup_printf ("%s · %s · %s tokens", key5, json_object_get_string_member (first, "model"), count);
    g_autofree char *when = first_row_time (page1);
    g_autoptr (GPtrArray) times = NULL;
    g_autoptr (GPtrArray) costs = NULL;
    g_autoptr (GPtrArray) details = NULL;
    graphene_rect_t time_at, cost_at, detail_at;

    ctx->needle = when;
    wait_until (narrow_first_row_drawn, ctx, "the first narrow row is drawn");
    ctx->needle = NULL;
    tally_test_wait_painted (ctx->window);
    times = row_parts (ctx, "row-time");
    costs = row_parts (ctx, "row-billed");
    details = row_parts (ctx, "row-detail");
    g_assert_cmpstr (cost, !=, list_price);
    g_assert_cmpstr (gtk_inscription_get_text (g_ptr_array_index (costs, 0)), ==, cost);
    g_assert_cmpstr (gtk_inscription_get_text (g_ptr_array_index (details, 0)), ==, detail);
    g_assert_true (gtk_widget_compute_bounds (g_ptr_array_index (times, 0), page, &time_at));
    g_assert_true (gtk_widget_compute_bounds (g_ptr_array_index (costs, 0), page, &cost_at));
    g_assert_true (gtk_widget_compute_bounds (g_ptr_array_index (details, 0), page, &detail_at));
    g_assert_cmpfloat (time_at.origin.y, ==, cost_at.origin.y);
    g_assert_cmpfloat (cost_at.origin.x, >=, time_at.origin.x + time_at.size.width);
    g_assert_cmpfloat (cost_at.origin.x + cost_at.size.width, >, 300);
    g_assert_cmpfloat (detail_at.origin.y, >=, time_at.origin.y + time_at.size.height);
  }
  tally_test_save_png (ctx->window, "test-usage-page-narrow.png");

  /* back to wide */
  resize (ctx, 1200, page_wide);
  g_assert_false (gtk_widget_is_ancestor (bar, filters_popover (ctx)));
  g_assert_true (gtk_widget_get_mapped (bar));
  g_assert_false (gtk_widget_get_visible (tally_test_find_named (page, "filters-button")));
  g_assert_true (gtk_widget_get_mapped (tally_test_find_named (page, "columns-button")));
  g_assert_true (gtk_widget_get_mapped (tally_test_find_named (page, "usage-log")));
  g_assert_true (gtk_widget_get_mapped (tally_test_find_named (page, "total-duration")));
  g_assert_true (gtk_widget_get_mapped (tally_test_find_named (page, "total-tokens-split")));
  requests = cell_bounds (ctx, "total-requests");
  list = cell_bounds (ctx, "total-list");
  g_assert_cmpfloat (requests.origin.y, ==, list.origin.y);
  g_assert_cmpfloat (cell_bounds (ctx, "total-duration").origin.y, ==, requests.origin.y);
}

int
main (int argc,
      char *argv[])
{
  tally_test_gtk_init (&argc, &argv);

  g_test_add ("/usage-page/default-range", Ctx, NULL, setup_page, test_default_range, teardown);
  g_test_add ("/usage-page/filter-by-key", Ctx, NULL, setup_demo, test_filter_by_key, teardown);
  g_test_add ("/usage-page/details", Ctx, NULL, setup_demo, test_details, teardown);
  g_test_add ("/usage-page/query-key", Ctx, NULL, setup_demo, test_query_key, teardown);
  g_test_add ("/usage-page/deleted-key", Ctx, NULL, setup_demo, test_deleted_key, teardown);
  g_test_add ("/usage-page/type-filter", Ctx, NULL, setup_demo, test_type_filter, teardown);
  g_test_add ("/usage-page/columns", Ctx, NULL, setup_demo, test_columns, teardown);
  g_test_add ("/usage-page/focus-filter", Ctx, NULL, setup_demo, test_focus_filter, teardown);
  g_test_add ("/usage-page/narrow", Ctx, NULL, setup_demo, test_narrow, teardown);
  g_test_add ("/usage-page/sort", Ctx, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT), setup_demo_generation, test_sort, teardown);
  g_test_add ("/usage-page/sort-2025", Ctx, GUINT_TO_POINTER (TALLY_DEMO_GENERATION_2025), setup_demo_generation, test_sort, teardown);
  g_test_add ("/usage-page/new-rows", Ctx, NULL, setup_live_demo, test_new_rows, teardown);
  g_test_add_data_func ("/usage-page/filtered-totals", GUINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT), test_filtered_totals);
  g_test_add_data_func ("/usage-page/filtered-totals-2025", GUINT_TO_POINTER (TALLY_DEMO_GENERATION_2025), test_filtered_totals);

  return g_test_run ();
}

/* tally-usage-page.c: the usage view: filters, totals and the request log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page binds to a TallyUsage (the view model: the filter, the lazy list,
 * the /usage/stats totals, the keys that name the rows) and does no I/O. The
 * table is a GtkColumnView over the lazy list; cells are GtkInscriptions bound
 * to row → log through closures, so a placeholder row fills in when its page
 * arrives. Column visibility lives in GSettings "usage-hidden-columns".
 *
 * Below TALLY_USAGE_PAGE_NARROW_WIDTH the page switches to its narrow layout
 * in its own size_allocate (libadwaita 1.2 has no breakpoints): the filter
 * bar moves into the Filters button's popover (the same widget, so the
 * TallyUsage's query stays the one source of truth), the totals flow box
 * becomes a 2×2 grid and a GtkListView of two-line rows stands in for the
 * table. The switch depends only on the width the page is given, never on
 * what it asks for, so it cannot loop.
 */

#define G_LOG_DOMAIN "tally-usage-page"

#include "config.h"

#include <inttypes.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tally-a11y.h"
#include "tally-format.h"
#include "tally-log-list.h"
#include "tally-usage-details.h"
#include "tally-usage-filter-bar.h"
#include "tally-usage-log.h"
#include "tally-updated-label.h"
#include "tally-usage-page.h"
#include "tally-usage-query.h"
#include "tally-usage-stats.h"
#include "tally-usage.h"

#define NO_VALUE "—"
#define PLACEHOLDER "…"

static const struct
{
  const char *id;    /* in GSettings */
  const char *child; /* template child */
  const char *label;
  gboolean numeric; /* right-aligned, header too */
  int sort;         /* a TallyLogSort, or -1: the header does not sort */
} columns[] = {
  { "time", "col_time", N_ ("Time"), FALSE, TALLY_LOG_SORT_TIME },
  { "key", "col_key", N_ ("Key"), FALSE, -1 },
  { "model", "col_model", N_ ("Model"), FALSE, TALLY_LOG_SORT_MODEL },
  { "tokens", "col_tokens", N_ ("Tokens"), TRUE, TALLY_LOG_SORT_TOKENS },
  { "type", "col_type", N_ ("Type"), FALSE, TALLY_LOG_SORT_STREAM },
  { "input", "col_input", N_ ("Input"), TRUE, TALLY_LOG_SORT_INPUT_TOKENS },
  { "output", "col_output", N_ ("Output"), TRUE, TALLY_LOG_SORT_OUTPUT_TOKENS },
  { "cache-write", "col_cache_write", N_ ("Cache Write"), TRUE, TALLY_LOG_SORT_CACHE_WRITE_TOKENS },
  { "cache-read", "col_cache_read", N_ ("Cache Read"), TRUE, TALLY_LOG_SORT_CACHE_READ_TOKENS },
  { "billed", "col_billed", N_ ("Billed"), TRUE, TALLY_LOG_SORT_BILLED },
  { "list", "col_list", N_ ("List Price"), TRUE, TALLY_LOG_SORT_LIST_PRICE },
  { "multiplier", "col_multiplier", N_ ("Multiplier"), TRUE, TALLY_LOG_SORT_MULTIPLIER },
  { "billing", "col_billing", N_ ("Billing"), FALSE, TALLY_LOG_SORT_BILLING_TYPE },
  { "first-token", "col_first_token", N_ ("First Token"), TRUE, TALLY_LOG_SORT_FIRST_TOKEN },
  { "duration", "col_duration", N_ ("Duration"), TRUE, TALLY_LOG_SORT_DURATION },
};

#define N_COLUMNS G_N_ELEMENTS (columns)

typedef struct
{
  TallyUsagePage *self;
  int sort;
} SortProbe;

struct _TallyUsagePage
{
  GtkWidget parent_instance;

  /* Template Widgets */
  GtkWidget *content_box;
  GtkBox *toolbar_box;
  GtkMenuButton *filters_button;
  GtkPopover *filters_popover;
  GtkBox *filters_popover_box;
  GtkWidget *filters_summary_box;
  GtkLabel *filters_summary;
  GtkLabel *filters_range;
  TallyUsageFilterBar *filter_bar;
  GtkSpinner *spinner;
  GtkMenuButton *columns_button;
  GtkFlowBox *totals_box;
  GtkLabel *requests_value;
  GtkLabel *tokens_value;
  GtkLabel *tokens_caption;
  GtkLabel *billed_value;
  GtkLabel *list_value;
  GtkLabel *duration_value;
  GtkLabel *counting_label;
  GtkLabel *updated_label;
  gint64 updated_at; /* our clock (µs) when the totals last arrived */
  GtkRevealer *new_rows_revealer;
  GtkButton *new_rows_button;
  GtkStack *stack;
  GtkColumnView *column_view;
  GtkListView *narrow_list;
  GtkSpinner *loading_spinner;
  GtkLabel *sorting_label;
  AdwStatusPage *error_status;
  GtkColumnViewColumn *col_key; /* columns[1] */

  /* Owned References */
  TallyUsage *usage;
  GSignalGroup *usage_signals;
  GSignalGroup *log_signals;
  GSignalGroup *sorted_signals;
  GtkSingleSelection *selection;
  GSettings *settings;
  GSimpleActionGroup *column_actions;
  GMenu *columns_menu;

  GtkColumnViewColumn *columns[N_COLUMNS];

  /* The headers' sorters only tell which column the user chose (see
   * sort_changed()): each sets probed to its column's TallyLogSort. */
  SortProbe probes[N_COLUMNS];
  int probed;

  gboolean narrow;
};

G_DEFINE_FINAL_TYPE (TallyUsagePage, tally_usage_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_USAGE,
  PROP_NARROW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------ cell closures */

/* "Today 14:03:21", "Yesterday 09:12:00", else the locale's date and time. */
static char *
format_day_and_time (GDateTime *created)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_offset ((gint32) (g_date_time_get_utc_offset (created) / G_TIME_SPAN_SECOND));
  g_autoptr (GDateTime) now = g_date_time_new_now (zone);
  g_autoptr (GDateTime) yesterday = g_date_time_add_days (now, -1);

  if (g_date_time_get_year (created) == g_date_time_get_year (now) && g_date_time_get_day_of_year (created) == g_date_time_get_day_of_year (now))
    /* Translators: a request of today in the usage list, in g_date_time_format() syntax */
    return g_date_time_format (created, _ ("Today %H:%M:%S"));
  if (g_date_time_get_year (created) == g_date_time_get_year (yesterday) && g_date_time_get_day_of_year (created) == g_date_time_get_day_of_year (yesterday))
    /* Translators: a request of yesterday in the usage list, in g_date_time_format() syntax */
    return g_date_time_format (created, _ ("Yesterday %H:%M:%S"));
  /* Translators: the time of an older request in the usage list, in
   * g_date_time_format() syntax: the locale's date and time of day */
  return g_date_time_format (created, _ ("%x %H:%M:%S"));
}

static char *
format_time (gpointer unused,
             TallyUsageLog *log)
{
  GDateTime *created;

  if (log == NULL)
    return g_strdup (PLACEHOLDER);

  /* created_at carries the server's offset: this is server time, and
   * "today" is the day of now in that offset. */
  created = tally_usage_log_get_created_at (log);
  if (created == NULL)
    return g_strdup (tally_usage_log_get_created_at_raw (log));

  return format_day_and_time (created);
}

static char *
format_model (gpointer unused,
              TallyUsageLog *log)
{
  return log != NULL ? g_strdup (tally_usage_log_get_model (log)) : NULL;
}

static char *
format_tokens (gpointer unused,
               TallyUsageLog *log)
{
  return log != NULL ? tally_format_count_styled (tally_usage_log_get_total_tokens (log), tally_number_style_locale ()) : NULL;
}

static char *
format_type (gpointer unused,
             TallyUsageLog *log)
{
  if (log == NULL)
    return NULL;

  return g_strdup (tally_usage_log_get_stream (log) ? _ ("Stream") : _ ("Sync"));
}

static char *
format_input (gpointer unused,
              TallyUsageLog *log)
{
  return log != NULL ? tally_format_count_styled (tally_usage_log_get_input_tokens (log), tally_number_style_locale ()) : NULL;
}

static char *
format_output (gpointer unused,
               TallyUsageLog *log)
{
  return log != NULL ? tally_format_count_styled (tally_usage_log_get_output_tokens (log), tally_number_style_locale ()) : NULL;
}

static char *
format_cache_write (gpointer unused,
                    TallyUsageLog *log)
{
  return log != NULL ? tally_format_count_styled (tally_usage_log_get_cache_creation_tokens (log), tally_number_style_locale ()) : NULL;
}

static char *
format_cache_read (gpointer unused,
                   TallyUsageLog *log)
{
  return log != NULL ? tally_format_count_styled (tally_usage_log_get_cache_read_tokens (log), tally_number_style_locale ()) : NULL;
}

static char *
format_billed (gpointer unused,
               TallyUsageLog *log)
{
  return log != NULL ? tally_format_cost_table_styled (tally_usage_log_get_actual_cost (log), tally_number_style_locale ()) : NULL;
}

static char *
format_list (gpointer unused,
             TallyUsageLog *log)
{
  return log != NULL ? tally_format_cost_table_styled (tally_usage_log_get_total_cost (log), tally_number_style_locale ()) : NULL;
}

static char *
format_multiplier (gpointer unused,
                   TallyUsageLog *log)
{
  g_autofree char *number = NULL;

  if (log == NULL)
    return NULL;

  number = tally_format_number_exact_styled (tally_usage_log_get_rate_multiplier (log), tally_number_style_locale ());
  /* Translators: a price multiplier, e.g. "×1.5" */
  return g_strdup_printf (_ ("×%s"), number);
}

static char *
format_billing (gpointer unused,
                TallyUsageLog *log)
{
  if (log == NULL)
    return NULL;

  switch (tally_usage_log_get_billing_type (log))
    {
      case 0:
        return g_strdup (_ ("Balance"));
      case 1:
        return g_strdup (_ ("Subscription"));
      default:
        /* Translators: an unknown billing type code */
        return g_strdup_printf (_ ("Type %" PRId64), tally_usage_log_get_billing_type (log));
    }
}

static char *
format_first_token (gpointer unused,
                    TallyUsageLog *log)
{
  return log != NULL ? tally_format_duration_ms_styled (tally_usage_log_get_first_token_ms (log), tally_number_style_locale ()) : NULL;
}

static char *
format_duration (gpointer unused,
                 TallyUsageLog *log)
{
  return log != NULL ? tally_format_duration_ms_styled (tally_usage_log_get_duration_ms (log), tally_number_style_locale ()) : NULL;
}

/* The key's name: from the row (S sends it for existing keys), else from the
 * account's key list, else "Deleted key #N". */
static char *
format_key (GtkListItem *item,
            TallyUsageLog *log,
            TallyUsagePage *self)
{
  const char *name;
  gint64 id;

  if (log == NULL)
    return NULL;

  name = tally_usage_log_get_api_key_name (log);
  if (name != NULL && name[0] != '\0')
    return g_strdup (name);

  id = tally_usage_log_get_api_key_id (log);
  name = tally_usage_get_key_name (self->usage, id);
  if (name != NULL && name[0] != '\0')
    return g_strdup (name);

  return g_strdup_printf (_ ("Deleted key #%" PRId64), id);
}

/* The second line of a narrow row: "prod · claude-sonnet-4 · 1,234 tokens". */
static char *
format_row_detail (GtkListItem *item,
                   TallyUsageLog *log,
                   TallyUsagePage *self)
{
  g_autofree char *key = NULL;
  g_autofree char *count = NULL;
  g_autofree char *tokens = NULL;
  gint64 total;

  if (log == NULL)
    return g_strdup (PLACEHOLDER);

  key = format_key (item, log, self);
  total = tally_usage_log_get_total_tokens (log);
  count = tally_format_count_styled (total, tally_number_style_locale ());
  /* Translators: a request's token count in the narrow usage list; %s is a number */
  tokens = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s token", "%s tokens", (gulong) MAX (total, 0)), count);

  /* Translators: the second line of a request in the narrow usage list:
   * the key's name · the model · the tokens */
  return g_strdup_printf (_ ("%s · %s · %s"), key, tally_usage_log_get_model (log), tokens);
}

/* Binds the "text" of @inscription to @func (item, log, self) of the item's row. */
static void
bind_row_text (GtkWidget *inscription,
               GtkListItem *item,
               GCallback func,
               TallyUsagePage *self)
{
  GtkExpression *expression = gtk_property_expression_new (GTK_TYPE_LIST_ITEM, NULL, "item");
  GtkExpression *params[1];

  params[0] = gtk_property_expression_new (TALLY_TYPE_LOG_ROW, expression, "log");
  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, params, func, self, NULL);
  gtk_expression_bind (expression, inscription, "text", item);
}

static void
key_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem *item,
              TallyUsagePage *self)
{
  GtkWidget *label = gtk_inscription_new (NULL);

  /* The table is usually wider than the window, so columns get their minimum:
   * make it wide enough to tell keys apart. */
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (label), 14);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (label), 20);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (label), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);

  bind_row_text (label, item, G_CALLBACK (format_key), self);
  gtk_list_item_set_child (item, label);
}

static GtkWidget *
row_inscription (const char *name,
                 float xalign)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_widget_set_name (inscription, name);
  gtk_inscription_set_xalign (GTK_INSCRIPTION (inscription), xalign);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), 4);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);

  return inscription;
}

/* A narrow row: the time and the billed cost, then key · model · tokens,
 * and the chevron that says the row opens its details. */
static void
narrow_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem *item,
                 TallyUsagePage *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *lines = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *first = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *time = row_inscription ("row-time", 0);
  GtkWidget *billed = row_inscription ("row-billed", 1);
  GtkWidget *detail = row_inscription ("row-detail", 0);
  GtkWidget *chevron = gtk_image_new_from_icon_name ("go-next-symbolic");

  gtk_widget_set_margin_top (row, 9);
  gtk_widget_set_margin_bottom (row, 9);
  gtk_widget_set_margin_start (row, 6);
  gtk_widget_set_margin_end (row, 3);
  gtk_widget_set_hexpand (lines, TRUE);
  gtk_widget_set_hexpand (time, TRUE);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (time), 20);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (billed), 10);
  gtk_widget_add_css_class (billed, "numeric");
  gtk_widget_add_css_class (billed, "heading");
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (chevron, "dim-label");

  bind_row_text (time, item, G_CALLBACK (format_time), self);
  bind_row_text (billed, item, G_CALLBACK (format_billed), self);
  bind_row_text (detail, item, G_CALLBACK (format_row_detail), self);

  gtk_box_append (GTK_BOX (first), time);
  gtk_box_append (GTK_BOX (first), billed);
  gtk_box_append (GTK_BOX (lines), first);
  gtk_box_append (GTK_BOX (lines), detail);
  gtk_box_append (GTK_BOX (row), lines);
  gtk_box_append (GTK_BOX (row), chevron);
  gtk_list_item_set_child (item, row);
}

/* ------------------------------------------------------------------ state */

static void
show_toast (TallyUsagePage *self,
            const char *message)
{
  /* The window shows it (win.toast); outside a window it is only logged. */
  if (!gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message))
    g_debug ("%s", message);
}

/* The rows shown: the lazy list (newest first) or the sorted one. */
static void
get_rows_state (TallyUsagePage *self,
                guint *n_items,
                gboolean *loading,
                gboolean *ready,
                const char **error)
{
  if (tally_usage_get_sorted_active (self->usage))
    {
      TallySortedLog *sorted = tally_usage_get_sorted (self->usage);

      *n_items = g_list_model_get_n_items (G_LIST_MODEL (sorted));
      *loading = tally_sorted_log_get_loading (sorted);
      *ready = tally_sorted_log_get_ready (sorted);
      *error = tally_sorted_log_get_error (sorted);
    }
  else
    {
      TallyLogList *log = tally_usage_get_log (self->usage);

      *n_items = tally_log_list_get_n_items (log);
      *loading = tally_log_list_get_loading (log);
      *ready = tally_log_list_get_ready (log);
      *error = tally_log_list_get_error (log);
    }
}

/* "Sorting… 4,200 of 10,000 requests" under the spinner while every row of
 * the query is collected for a sort. */
static void
update_sorting_label (TallyUsagePage *self)
{
  TallySortedLog *sorted = tally_usage_get_sorted (self->usage);
  const TallyNumberStyle *style = tally_number_style_locale ();
  gint64 total = tally_sorted_log_get_total (sorted);
  g_autofree char *label = NULL;

  if (!tally_usage_get_sorted_active (self->usage) || !tally_sorted_log_get_loading (sorted))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->sorting_label), FALSE);
      return;
    }

  if (total < 0)
    {
      label = g_strdup (_ ("Sorting…"));
    }
  else
    {
      g_autofree char *collected = tally_format_count_styled (tally_sorted_log_get_collected (sorted), style);
      g_autofree char *of = tally_format_count_styled (total, style);

      /* Translators: every request is read to sort them; requests read of all requests */
      label = g_strdup_printf (_ ("Sorting… %s of %s requests"), collected, of);
    }
  gtk_label_set_text (self->sorting_label, label);
  gtk_widget_set_visible (GTK_WIDGET (self->sorting_label), TRUE);
}

static void
update_state (TallyUsagePage *self)
{
  guint n;
  gboolean loading;
  gboolean ready;
  const char *error;
  const char *page;

  get_rows_state (self, &n, &loading, &ready, &error);

  if (n > 0)
    page = self->narrow ? "list" : "table";
  else if (error != NULL)
    page = "error";
  else if (loading || !ready)
    page = tally_usage_get_logged_in (self->usage) ? "loading" : "empty";
  else
    page = "empty";

  if (error != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error, -1);

      adw_status_page_set_description (self->error_status, escaped);
    }

  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (page, "loading"));
  gtk_spinner_set_spinning (self->spinner, tally_usage_get_busy (self->usage));
  update_sorting_label (self);
}

/* "12 new requests · Show": rows that arrived since the list was loaded are
 * offered, never inserted under the user. */
static void
update_new_rows (TallyUsagePage *self)
{
  guint n_new = tally_usage_get_n_new (self->usage);

  if (n_new > 0)
    {
      const TallyNumberStyle *style = tally_number_style_locale ();
      g_autofree char *count = tally_format_count_styled (n_new, style);
      g_autofree char *label = NULL;

      /* Translators: a button over the request log; %s is a number */
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s new request · Show", "%s new requests · Show", n_new),
                               count);
      gtk_button_set_label (self->new_rows_button, label);
    }
  gtk_revealer_set_reveal_child (self->new_rows_revealer, n_new > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "usage.show-new", n_new > 0);
}

static void
log_error_changed (TallyUsagePage *self)
{
  guint n;
  gboolean loading;
  gboolean ready;
  const char *error;

  /* The rows already shown stay; the error is a toast over them. */
  get_rows_state (self, &n, &loading, &ready, &error);
  if (error != NULL && n > 0)
    show_toast (self, error);
  update_state (self);
}

/* A query of more rows than a sort collects: back to newest first, and say
 * why. */
static void
sorted_too_many_changed (TallyUsagePage *self)
{
  TallySortedLog *sorted = tally_usage_get_sorted (self->usage);
  g_autofree char *total = NULL;
  g_autofree char *most = NULL;
  g_autofree char *message = NULL;

  if (!tally_sorted_log_get_too_many (sorted))
    return;

  total = tally_format_count_styled (tally_sorted_log_get_total (sorted), tally_number_style_locale ());
  most = tally_format_count_styled (tally_sorted_log_get_max_rows (sorted), tally_number_style_locale ());
  /* Translators: the first %s is how many requests the filter matches, the second the most a sort reads */
  message = g_strdup_printf (_ ("%s requests are too many to sort (at most %s); showing the newest first. "
                                "Narrow the range or the filters to sort."),
                             total, most);
  gtk_column_view_sort_by_column (self->column_view, self->columns[0], GTK_SORT_DESCENDING);
  show_toast (self, message);
}

static void
rows_changed (TallyUsagePage *self)
{
  gtk_single_selection_set_model (self->selection, tally_usage_get_rows (self->usage));
  update_state (self);
}

/* ------------------------------------------------------------------ sort */

static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer user_data)
{
  SortProbe *probe = user_data;

  probe->self->probed = probe->sort;
  return GTK_ORDERING_LARGER;
}

/* GTK 4.8 has no public way to ask the column view which header sorts (4.10
 * added GtkColumnViewSorter's getters), so its sorter is asked to compare two
 * objects: it asks the primary column's sorter first, which says who it is and
 * "larger", and turns that into "smaller" when the column sorts descending.
 * The rows are never sorted by these sorters; TallyUsage sorts them. */
static void
sort_changed (TallyUsagePage *self)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);
  GtkOrdering order;

  self->probed = -1;
  /* two different objects: GtkSorter answers "equal" for an item and itself
   * without asking */
  order = gtk_sorter_compare (sorter, self, self->column_view);
  if (self->probed < 0)
    {
      /* no column: newest first */
      tally_usage_set_sort (self->usage, TALLY_LOG_SORT_TIME, TRUE);
      return;
    }
  tally_usage_set_sort (self->usage, self->probed, order == GTK_ORDERING_SMALLER);
}

static void
setup_sorting (TallyUsagePage *self)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      g_autoptr (GtkSorter) sorter = NULL;

      if (columns[i].sort < 0)
        continue;
      self->probes[i].self = self;
      self->probes[i].sort = columns[i].sort;
      sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare, &self->probes[i], NULL));
      gtk_column_view_column_set_sorter (self->columns[i], sorter);
    }
  gtk_column_view_sort_by_column (self->column_view, self->columns[0], GTK_SORT_DESCENDING);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (sort_changed), self, G_CONNECT_SWAPPED);
}

static void
stats_error_changed (TallyUsagePage *self)
{
  const char *error = tally_usage_get_stats_error (self->usage);

  /* The last totals stay visible. */
  if (error != NULL)
    show_toast (self, error);
}

/* "Updated 10:42" (the server's clock) under the totals; stale while a
 * refresh of them fails. */
static void
update_updated (TallyUsagePage *self)
{
  TallySession *session = tally_usage_get_session (self->usage);

  tally_updated_label_update (self->updated_label, self->updated_at,
                              session != NULL ? tally_session_get_server_zone (session) : NULL,
                              self->updated_at != 0 ? tally_usage_get_stats_error (self->usage) : NULL);
}

static void
stats_arrived (TallyUsagePage *self)
{
  if (tally_usage_get_stats (self->usage) != NULL)
    self->updated_at = g_get_real_time ();
  update_updated (self);
}

static void
set_label (GtkLabel *label,
           const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : NO_VALUE);
}

static void
update_totals (TallyUsagePage *self)
{
  TallyUsageStats *stats = tally_usage_get_stats (self->usage);

  if (stats == NULL)
    {
      set_label (self->requests_value, NULL);
      set_label (self->tokens_value, NULL);
      gtk_label_set_text (self->tokens_caption, "");
      set_label (self->billed_value, NULL);
      set_label (self->list_value, NULL);
      set_label (self->duration_value, NULL);
      return;
    }

  {
    const TallyNumberStyle *style = tally_number_style_locale ();
    g_autofree char *requests = tally_format_count_styled (tally_usage_stats_get_total_requests (stats), style);
    g_autofree char *tokens = tally_format_tokens_styled (tally_usage_stats_get_total_tokens (stats), style);
    g_autofree char *input = tally_format_tokens_styled (tally_usage_stats_get_total_input_tokens (stats), style);
    g_autofree char *output = tally_format_tokens_styled (tally_usage_stats_get_total_output_tokens (stats), style);
    g_autofree char *cache = tally_format_tokens_styled (tally_usage_stats_get_total_cache_tokens (stats), style);
    g_autofree char *billed = tally_format_cost_styled (tally_usage_stats_get_total_actual_cost (stats), style);
    g_autofree char *list = tally_format_cost_styled (tally_usage_stats_get_total_cost (stats), style);
    g_autofree char *duration = tally_format_duration_ms_styled (tally_usage_stats_get_average_duration_ms (stats), style);
    g_autofree char *split = NULL;
    gint64 cache_write = tally_usage_stats_get_total_cache_creation_tokens (stats);
    gint64 cache_read = tally_usage_stats_get_total_cache_read_tokens (stats);

    if (cache_write >= 0 && cache_read >= 0)
      {
        g_autofree char *write = tally_format_tokens_styled (cache_write, style);
        g_autofree char *read = tally_format_tokens_styled (cache_read, style);

        /* Translators: token split: input, output, cache write, cache read */
        split = g_strdup_printf (_ ("In %s · Out %s · Cache write %s · Cache read %s"),
                                 input, output, write, read);
      }
    else
      {
        /* Translators: token split: input, output, cache (read and write together) */
        split = g_strdup_printf (_ ("In %s · Out %s · Cache %s"), input, output, cache);
      }

    set_label (self->requests_value, requests);
    set_label (self->tokens_value, tokens);
    gtk_label_set_text (self->tokens_caption, split);
    set_label (self->billed_value, billed);
    set_label (self->list_value, list);
    set_label (self->duration_value, duration);
  }
}

/* "Counting… 4,200 of 10,000" while the totals are summed from the rows
 * (a December 2025 server under a model, type or billing filter). */
static void
update_counting (TallyUsagePage *self)
{
  const TallyNumberStyle *style = tally_number_style_locale ();
  gint64 total = tally_usage_get_count_total (self->usage);
  g_autofree char *label = NULL;

  if (!tally_usage_get_counting (self->usage))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->counting_label), FALSE);
      return;
    }

  if (total < 0)
    {
      label = g_strdup (_ ("Counting…"));
    }
  else
    {
      g_autofree char *counted = tally_format_count_styled (tally_usage_get_counted (self->usage), style);
      g_autofree char *of = tally_format_count_styled (total, style);

      /* Translators: the totals are being added up from the requests; rows counted of all rows */
      label = g_strdup_printf (_ ("Counting… %s of %s"), counted, of);
    }
  gtk_label_set_text (self->counting_label, label);
  gtk_widget_set_visible (GTK_WIDGET (self->counting_label), TRUE);
}

static void
usage_session_changed (TallyUsagePage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/* --------------------------------------------------------------- columns */

static void
save_hidden_columns (TallyUsagePage *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) hidden = NULL;

  for (guint i = 0; i < N_COLUMNS; i++)
    if (!gtk_column_view_column_get_visible (self->columns[i]))
      g_strv_builder_add (builder, columns[i].id);

  hidden = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "usage-hidden-columns", (const char *const *) hidden);
}

static void
column_action_change_state (GSimpleAction *action,
                            GVariant *state,
                            gpointer user_data)
{
  TallyUsagePage *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  for (guint i = 0; i < N_COLUMNS; i++)
    if (g_str_equal (columns[i].id, name))
      {
        gtk_column_view_column_set_visible (self->columns[i], g_variant_get_boolean (state));
        g_simple_action_set_state (action, state);
      }

  save_hidden_columns (self);
}

static void
hidden_columns_changed (TallyUsagePage *self)
{
  g_auto (GStrv) hidden = g_settings_get_strv (self->settings, "usage-hidden-columns");

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      gboolean visible = !g_strv_contains ((const char *const *) hidden, columns[i].id);
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->column_actions), columns[i].id);

      gtk_column_view_column_set_visible (self->columns[i], visible);
      g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (visible));
    }
}

/* GTK 4.8 has no API for a header's alignment: the titles are the
 * column view's "header" row, one button per column holding its label.
 * Numeric columns get right-aligned titles, like their cells. */
static void
align_numeric_headers (TallyUsagePage *self)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));

  while (header != NULL && !g_str_equal (gtk_widget_get_css_name (header), "header"))
    header = gtk_widget_get_next_sibling (header);
  g_return_if_fail (header != NULL);

  for (GtkWidget *title = gtk_widget_get_first_child (header); title != NULL; title = gtk_widget_get_next_sibling (title))
    for (GtkWidget *child = gtk_widget_get_first_child (title); child != NULL; child = gtk_widget_get_first_child (child))
      {
        if (!GTK_IS_LABEL (child))
          continue;
        for (guint i = 0; i < N_COLUMNS; i++)
          if (columns[i].numeric && g_str_equal (gtk_label_get_text (GTK_LABEL (child)), _ (columns[i].label)))
            {
              gtk_label_set_xalign (GTK_LABEL (child), 1);
              gtk_widget_set_hexpand (child, TRUE);
            }
        break;
      }
}

static void
setup_columns (TallyUsagePage *self)
{
  g_autoptr (GtkListItemFactory) key_factory = gtk_signal_list_item_factory_new ();

  self->column_actions = g_simple_action_group_new ();
  self->columns_menu = g_menu_new ();

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      g_autoptr (GSimpleAction) action = NULL;
      g_autofree char *detailed = g_strconcat ("columns.", columns[i].id, NULL);

      self->columns[i] = GTK_COLUMN_VIEW_COLUMN (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                                                TALLY_TYPE_USAGE_PAGE,
                                                                                columns[i].child));
      g_assert (GTK_IS_COLUMN_VIEW_COLUMN (self->columns[i]));

      action = g_simple_action_new_stateful (columns[i].id, NULL, g_variant_new_boolean (TRUE));
      g_signal_connect_object (action, "change-state",
                               G_CALLBACK (column_action_change_state), self, 0);
      g_action_map_add_action (G_ACTION_MAP (self->column_actions), G_ACTION (action));
      g_menu_append (self->columns_menu, _ (columns[i].label), detailed);
    }

  /* The key column needs the session's keys: a C factory. */
  self->col_key = self->columns[1];
  g_signal_connect_object (key_factory, "setup", G_CALLBACK (key_setup_cb), self, 0);
  gtk_column_view_column_set_factory (self->col_key, key_factory);

  /* The same menu on the button and on every column header. */
  for (guint i = 0; i < N_COLUMNS; i++)
    gtk_column_view_column_set_header_menu (self->columns[i], G_MENU_MODEL (self->columns_menu));
  gtk_menu_button_set_menu_model (self->columns_button, G_MENU_MODEL (self->columns_menu));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "columns", G_ACTION_GROUP (self->column_actions));
  align_numeric_headers (self);
  setup_sorting (self);

  self->settings = g_settings_new (BASE_ID);
  g_signal_connect_object (self->settings, "changed::usage-hidden-columns",
                           G_CALLBACK (hidden_columns_changed), self, G_CONNECT_SWAPPED);
  hidden_columns_changed (self);
}

/* ---------------------------------------------------------- narrow layout */

/* The cell of a total: value label → its box → the flow box child. */
static GtkWidget *
total_cell (GtkLabel *value)
{
  return gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (value)));
}

/* Wide: the totals flow in one row (wrapping as needed). Narrow: requests
 * and tokens, then billed and list price, in a 2×2 grid; the average
 * duration and the token split stay in the wide layout and the details. */
static void
layout_totals (TallyUsagePage *self)
{
  gboolean narrow = self->narrow;

  gtk_flow_box_set_min_children_per_line (self->totals_box, narrow ? 2 : 1);
  gtk_flow_box_set_max_children_per_line (self->totals_box, narrow ? 2 : 5);
  gtk_flow_box_set_homogeneous (self->totals_box, narrow);
  gtk_flow_box_set_column_spacing (self->totals_box, narrow ? 12 : 36);
  gtk_widget_set_visible (total_cell (self->duration_value), !narrow);
  gtk_widget_set_visible (GTK_WIDGET (self->tokens_caption), !narrow);
}

static void
set_narrow (TallyUsagePage *self,
            gboolean narrow)
{
  g_autoptr (GtkWidget) bar = NULL;

  if (self->narrow == narrow)
    return;
  self->narrow = narrow;

  /* The one filter bar moves between the toolbar and the popover. */
  bar = g_object_ref (GTK_WIDGET (self->filter_bar));
  gtk_box_remove (GTK_BOX (gtk_widget_get_parent (bar)), bar);
  if (narrow)
    {
      gtk_box_append (self->filters_popover_box, bar);
    }
  else
    {
      gtk_popover_popdown (self->filters_popover);
      gtk_box_insert_child_after (self->toolbar_box, bar, self->filters_summary_box);
    }
  tally_usage_filter_bar_set_stacked (self->filter_bar, narrow);
  gtk_widget_set_visible (GTK_WIDGET (self->filters_button), narrow);
  gtk_widget_set_visible (self->filters_summary_box, narrow);
  /* the chooser is the table's */
  gtk_widget_set_visible (GTK_WIDGET (self->columns_button), !narrow);

  layout_totals (self);

  /* Only the view on screen has the rows (a hidden list would still make
   * and bind its rows). */
  gtk_column_view_set_model (self->column_view, narrow ? NULL : GTK_SELECTION_MODEL (self->selection));
  gtk_list_view_set_model (self->narrow_list, narrow ? GTK_SELECTION_MODEL (self->selection) : NULL);
  update_state (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NARROW]);
}

static void
filters_summary_changed (TallyUsagePage *self)
{
  const char *summary = tally_usage_filter_bar_get_summary (self->filter_bar);

  gtk_label_set_text (self->filters_summary, summary);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->filters_summary), summary);
  gtk_label_set_text (self->filters_range, tally_usage_filter_bar_get_range_label (self->filter_bar));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->filters_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary, -1);
}

static void
tally_usage_page_measure (GtkWidget *widget,
                          GtkOrientation orientation,
                          int for_size,
                          int *minimum,
                          int *natural,
                          int *minimum_baseline,
                          int *natural_baseline)
{
  TallyUsagePage *self = TALLY_USAGE_PAGE (widget);

  gtk_widget_measure (self->content_box, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
tally_usage_page_size_allocate (GtkWidget *widget,
                                int width,
                                int height,
                                int baseline)
{
  TallyUsagePage *self = TALLY_USAGE_PAGE (widget);

  if ((width < TALLY_USAGE_PAGE_NARROW_WIDTH) != self->narrow)
    {
      int unused;

      set_narrow (self, width < TALLY_USAGE_PAGE_NARROW_WIDTH);
      /* measured again before it is given a size */
      gtk_widget_measure (self->content_box, GTK_ORIENTATION_HORIZONTAL, -1, &unused, NULL, NULL, NULL);
      gtk_widget_measure (self->content_box, GTK_ORIENTATION_VERTICAL, width, &unused, NULL, NULL, NULL);
    }

  gtk_widget_allocate (self->content_box, width, height, baseline, NULL);
}

/* --------------------------------------------------------------- actions */

static void
column_view_activate_cb (TallyUsagePage *self,
                         guint position)
{
  tally_usage_page_show_details (self, position);
}

static void
focus_filter_action (GtkWidget *widget,
                     const char *action_name,
                     GVariant *parameter)
{
  TallyUsagePage *self = TALLY_USAGE_PAGE (widget);

  if (self->narrow)
    gtk_menu_button_popup (self->filters_button);
  tally_usage_filter_bar_focus_filter (self->filter_bar);
}

static void
show_new_action (GtkWidget *widget,
                 const char *action_name,
                 GVariant *parameter)
{
  TallyUsagePage *self = TALLY_USAGE_PAGE (widget);

  /* back to the head: page 1 again, the new rows on top */
  tally_usage_show_new (self->usage);
}

static void
reload_action (GtkWidget *widget,
               const char *action_name,
               GVariant *parameter)
{
  tally_usage_page_reload (TALLY_USAGE_PAGE (widget));
}

/* ------------------------------------------------------------ GObject */

static void
tally_usage_page_dispose (GObject *object)
{
  TallyUsagePage *self = (TallyUsagePage *) object;

  /* the last reference to a signal group disconnects its handlers */
  g_clear_object (&self->usage_signals);
  g_clear_object (&self->log_signals);
  g_clear_object (&self->sorted_signals);
  /* the columns leave the sorter as the column view goes */
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_func (gtk_column_view_get_sorter (self->column_view), sort_changed, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), TALLY_TYPE_USAGE_PAGE);

  g_clear_object (&self->selection);
  g_clear_object (&self->usage);
  g_clear_object (&self->settings);
  g_clear_object (&self->column_actions);
  g_clear_object (&self->columns_menu);

  G_OBJECT_CLASS (tally_usage_page_parent_class)->dispose (object);
}

static void
tally_usage_page_get_property (GObject *object,
                               guint prop_id,
                               GValue *value,
                               GParamSpec *pspec)
{
  TallyUsagePage *self = TALLY_USAGE_PAGE (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        g_value_set_object (value, tally_usage_page_get_session (self));
        break;

      case PROP_USAGE:
        g_value_set_object (value, self->usage);
        break;

      case PROP_NARROW:
        g_value_set_boolean (value, self->narrow);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_usage_page_set_property (GObject *object,
                               guint prop_id,
                               const GValue *value,
                               GParamSpec *pspec)
{
  TallyUsagePage *self = TALLY_USAGE_PAGE (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        tally_usage_page_set_session (self, g_value_get_object (value));
        break;

      case PROP_USAGE:
        tally_usage_page_set_usage (self, g_value_get_object (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_usage_page_class_init (TallyUsagePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tally_usage_page_dispose;
  object_class->get_property = tally_usage_page_get_property;
  object_class->set_property = tally_usage_page_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL,
                                                  TALLY_TYPE_SESSION,
                                                  (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_USAGE] = g_param_spec_object ("usage", NULL, NULL,
                                                TALLY_TYPE_USAGE,
                                                (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_NARROW] = g_param_spec_boolean ("narrow", NULL, NULL, FALSE,
                                                  (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->measure = tally_usage_page_measure;
  widget_class->size_allocate = tally_usage_page_size_allocate;

  g_type_ensure (TALLY_TYPE_USAGE_FILTER_BAR);
  g_type_ensure (TALLY_TYPE_LOG_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/tally-usage-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, content_box);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, toolbar_box);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, filters_button);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, filters_popover);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, filters_popover_box);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, filters_summary_box);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, filters_summary);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, filters_range);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, columns_button);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, totals_box);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, requests_value);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, tokens_value);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, tokens_caption);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, billed_value);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, list_value);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, duration_value);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, counting_label);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, updated_label);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, stack);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, new_rows_revealer);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, new_rows_button);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, column_view);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, narrow_list);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, sorting_label);
  gtk_widget_class_bind_template_child (widget_class, TallyUsagePage, error_status);
  for (guint i = 0; i < N_COLUMNS; i++)
    gtk_widget_class_bind_template_child_full (widget_class, columns[i].child, FALSE, 0);

  gtk_widget_class_bind_template_callback (widget_class, column_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_time);
  gtk_widget_class_bind_template_callback (widget_class, format_model);
  gtk_widget_class_bind_template_callback (widget_class, format_tokens);
  gtk_widget_class_bind_template_callback (widget_class, format_type);
  gtk_widget_class_bind_template_callback (widget_class, format_input);
  gtk_widget_class_bind_template_callback (widget_class, format_output);
  gtk_widget_class_bind_template_callback (widget_class, format_cache_write);
  gtk_widget_class_bind_template_callback (widget_class, format_cache_read);
  gtk_widget_class_bind_template_callback (widget_class, format_billed);
  gtk_widget_class_bind_template_callback (widget_class, format_list);
  gtk_widget_class_bind_template_callback (widget_class, format_multiplier);
  gtk_widget_class_bind_template_callback (widget_class, format_billing);
  gtk_widget_class_bind_template_callback (widget_class, format_first_token);
  gtk_widget_class_bind_template_callback (widget_class, format_duration);

  gtk_widget_class_install_action (widget_class, "usage.focus-filter", NULL, focus_filter_action);
  gtk_widget_class_install_action (widget_class, "usage.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "usage.show-new", NULL, show_new_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "usage.focus-filter", NULL);
}

static void
tally_usage_page_init (TallyUsagePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tally_a11y_fix_names (GTK_WIDGET (self));

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  self->log_signals = g_signal_group_new (TALLY_TYPE_LOG_LIST);
  g_signal_group_connect_object (self->log_signals, "notify::n-items", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->log_signals, "notify::loading", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->log_signals, "notify::ready", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->log_signals, "notify::error", G_CALLBACK (log_error_changed), self, G_CONNECT_SWAPPED);

  self->sorted_signals = g_signal_group_new (TALLY_TYPE_SORTED_LOG);
  g_signal_group_connect_object (self->sorted_signals, "items-changed", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->sorted_signals, "notify::loading", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->sorted_signals, "notify::ready", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->sorted_signals, "notify::collected", G_CALLBACK (update_sorting_label), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->sorted_signals, "notify::total", G_CALLBACK (update_sorting_label), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->sorted_signals, "notify::error", G_CALLBACK (log_error_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->sorted_signals, "notify::too-many", G_CALLBACK (sorted_too_many_changed), self, G_CONNECT_SWAPPED);

  self->usage_signals = g_signal_group_new (TALLY_TYPE_USAGE);
  g_signal_group_connect_object (self->usage_signals, "notify::session", G_CALLBACK (usage_session_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->usage_signals, "notify::n-new", G_CALLBACK (update_new_rows), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->usage_signals, "notify::stats", G_CALLBACK (update_totals), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->usage_signals, "notify::counting", G_CALLBACK (update_counting), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->usage_signals, "notify::counted", G_CALLBACK (update_counting), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->usage_signals, "notify::count-total", G_CALLBACK (update_counting), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->usage_signals, "notify::stats-error", G_CALLBACK (stats_error_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->usage_signals, "notify::stats", G_CALLBACK (stats_arrived), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->usage_signals, "notify::stats-error", G_CALLBACK (update_updated), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->usage_signals, "notify::busy", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->usage_signals, "notify::logged-in", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->usage_signals, "notify::rows", G_CALLBACK (rows_changed), self, G_CONNECT_SWAPPED);

  setup_columns (self);

  {
    g_autoptr (GtkListItemFactory) narrow_factory = gtk_signal_list_item_factory_new ();

    g_signal_connect_object (narrow_factory, "setup", G_CALLBACK (narrow_setup_cb), self, 0);
    gtk_list_view_set_factory (self->narrow_list, narrow_factory);
  }
  g_signal_connect_object (self->filter_bar, "notify::summary",
                           G_CALLBACK (filters_summary_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_bar, "notify::range-label",
                           G_CALLBACK (filters_summary_changed), self, G_CONNECT_SWAPPED);
  filters_summary_changed (self);

  {
    g_autoptr (TallyUsage) usage = tally_usage_new (NULL);

    tally_usage_page_set_usage (self, usage);
  }
}

GtkWidget *
tally_usage_page_new (void)
{
  return g_object_new (TALLY_TYPE_USAGE_PAGE, NULL);
}

TallySession *
tally_usage_page_get_session (TallyUsagePage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_PAGE (self), NULL);

  return tally_usage_get_session (self->usage);
}

void
tally_usage_page_set_session (TallyUsagePage *self,
                              TallySession *session)
{
  g_return_if_fail (TALLY_IS_USAGE_PAGE (self));
  g_return_if_fail (!session || TALLY_IS_SESSION (session));

  /* the page's TallyUsage follows @session ("session" is notified by it) */
  tally_usage_set_session (self->usage, session);
}

TallyUsage *
tally_usage_page_get_usage (TallyUsagePage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_PAGE (self), NULL);

  return self->usage;
}

void
tally_usage_page_set_usage (TallyUsagePage *self,
                            TallyUsage *usage)
{
  TallySession *old_session;

  g_return_if_fail (TALLY_IS_USAGE_PAGE (self));
  g_return_if_fail (TALLY_IS_USAGE (usage));

  if (self->usage == usage)
    return;

  old_session = self->usage != NULL ? tally_usage_get_session (self->usage) : NULL;
  g_set_object (&self->usage, usage);

  g_signal_group_set_target (self->usage_signals, usage);
  g_signal_group_set_target (self->log_signals, tally_usage_get_log (usage));
  g_signal_group_set_target (self->sorted_signals, tally_usage_get_sorted (usage));
  sort_changed (self);
  gtk_single_selection_set_model (self->selection, tally_usage_get_rows (usage));
  tally_usage_filter_bar_set_usage (self->filter_bar, usage);

  update_totals (self);
  update_counting (self);
  update_state (self);
  update_new_rows (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USAGE]);
  if (tally_usage_get_session (usage) != old_session)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

GListModel *
tally_usage_page_get_log (TallyUsagePage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_PAGE (self), NULL);

  return G_LIST_MODEL (tally_usage_get_log (self->usage));
}

void
tally_usage_page_reload (TallyUsagePage *self)
{
  g_return_if_fail (TALLY_IS_USAGE_PAGE (self));

  tally_usage_refresh (self->usage);
}

GtkWindow *
tally_usage_page_show_details (TallyUsagePage *self,
                               guint position)
{
  g_autoptr (TallyLogRow) row = NULL;
  TallyUsageDetails *details;
  GtkRoot *root;

  g_return_val_if_fail (TALLY_IS_USAGE_PAGE (self), NULL);

  /* the rows shown: sorted by a header, or newest first */
  row = g_list_model_get_item (tally_usage_get_rows (self->usage), position);
  if (row == NULL || tally_log_row_get_log (row) == NULL)
    return NULL;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  details = tally_usage_details_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                     self->usage,
                                     tally_log_row_get_log (row));
  gtk_window_present (GTK_WINDOW (details));

  return GTK_WINDOW (details);
}

gboolean
tally_usage_page_get_narrow (TallyUsagePage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_PAGE (self), FALSE);

  return self->narrow;
}

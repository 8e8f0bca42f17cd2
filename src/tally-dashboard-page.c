/* tally-dashboard-page.c: the cards (and, later, the charts) of the dashboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-dashboard-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "tally-a11y.h"
#include "tally-dashboard-page.h"
#include "tally-dashboard.h"
#include "tally-key-cost-row.h"
#include "tally-month-budget.h"
#include "tally-pie-chart.h"
#include "tally-quota-format.h"
#include "tally-trend-chart.h"
#include "tally-dashboard-stats.h"
#include "tally-format.h"
#include "tally-server-time.h"
#include "tally-server-zone.h"
#include "tally-stat-card.h"
#include "tally-timing.h"
#include "tally-updated-label.h"
#include "tally-user.h"

#define NO_VALUE "—"

static void update_content (TallyDashboardPage *self);
static void maybe_report_filled (TallyDashboardPage *self);

struct _TallyDashboardPage
{
  GtkWidget parent_instance;

  /* Template Widgets */
  GtkWidget *scroller;
  GtkFlowBox *cards_box;
  GtkFlowBox *range_cards_box;
  GtkFlowBox *bottom_box;
  TallyStatCard *balance_card;
  TallyStatCard *today_cost_card;
  TallyStatCard *throughput_card;
  TallyStatCard *keys_card;
  TallyStatCard *month_card;
  GtkWidget *subscriptions_box;
  GtkListBox *subscriptions_list;
  GtkLabel *server_time_label;
  GtkLabel *updated_label;
  GtkStack *content_stack;
  GtkSpinner *loading_spinner;
  AdwStatusPage *error_page;
  GtkBox *sections_box;
  TallyStatCard *range_cost_card;
  TallyStatCard *range_list_card;
  TallyStatCard *range_requests_card;
  TallyStatCard *range_tokens_card;
  GtkDropDown *series_dropdown;
  TallyTrendChart *trend_chart;
  GtkDropDown *measure_dropdown;
  TallyPieChart *pie_chart;
  GtkListBox *keys_list;

  /* Owned References */
  TallySession *session;
  GSignalGroup *session_signals;
  TallyMonthBudget *month_budget;
  GSignalGroup *month_signals;
  TallyDashboard *dashboard;
  GSignalGroup *dashboard_signals;

  guint filled_tick;
  gboolean filled;
};

/* TALLY_DEBUG=timing: "dashboard-data" is printed once per process. */
static gboolean data_reported;

G_DEFINE_FINAL_TYPE (TallyDashboardPage, tally_dashboard_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_DASHBOARD,
  PROP_FILLED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_card (TallyStatCard *card,
          const char *value,
          const char *caption)
{
  tally_stat_card_set_value (card, value != NULL ? value : NO_VALUE);
  tally_stat_card_set_caption (card, caption);
}

static void
update_user (TallyDashboardPage *self)
{
  TallyUser *user = NULL;
  g_autofree char *balance = NULL;
  const char *who = NULL;

  g_assert (TALLY_IS_DASHBOARD_PAGE (self));

  if (self->session != NULL)
    user = tally_session_get_user (self->session);

  if (user != NULL)
    {
      balance = tally_format_cost_styled (tally_user_get_balance (user), tally_number_style_locale ());
      who = tally_user_get_username (user);
      if (who[0] == '\0')
        who = tally_user_get_email (user);
    }

  /* Whose wallet: the account's name (plain text). */
  set_card (self->balance_card, balance, who);
  maybe_report_filled (self);
}

/* The "right now" strip: today so far, throughput and keys (the session's
 * dashboard stats; they do not follow the range). */
/* "This Month": the month's billed cost so far, and "On pace for $412 of
 * $300" (the forecast against the budget), in the error colour when it is
 * over; the tooltip says how the forecast is made. */
static void
update_month (TallyDashboardPage *self)
{
  TallyForecast *forecast = self->month_budget != NULL ? tally_month_budget_get_forecast (self->month_budget) : NULL;
  const TallyNumberStyle *style = tally_number_style_locale ();
  g_autofree char *value = NULL;
  g_autofree char *pace = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *method = NULL;
  double budget;

  if (forecast == NULL)
    {
      set_card (self->month_card, NULL, NULL);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->month_card), NULL);
      gtk_widget_remove_css_class (GTK_WIDGET (self->month_card), "over-budget");
      return;
    }

  budget = tally_month_budget_get_budget (self->month_budget);
  value = tally_format_cost_styled (tally_forecast_get_month_to_date (forecast), style);
  pace = tally_format_cost_styled (tally_forecast_get_forecast (forecast), style);
  if (budget > 0)
    {
      g_autofree char *of = tally_format_cost_styled (budget, style);

      /* Translators: the month-end forecast and the monthly budget: "On pace for $412.00 of $300.00" */
      caption = g_strdup_printf (_ ("On pace for %s of %s"), pace, of);
    }
  else
    {
      /* Translators: the month-end forecast without a budget: "On pace for $412.00" */
      caption = g_strdup_printf (_ ("On pace for %s"), pace);
    }
  set_card (self->month_card, value, caption);

  method = tally_forecast_describe_method (forecast);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->month_card), method);
  if (tally_month_budget_get_over (self->month_budget))
    gtk_widget_add_css_class (GTK_WIDGET (self->month_card), "over-budget");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->month_card), "over-budget");
}

/* One window of a subscription: "Daily" and "$42.10 of $50.00 · resets
 * in 4 h 12 min"; the bar turns the warning colour from 80 % and the error
 * colour when it is used up, and the text says "used up". */
static void
add_window_row (GtkGrid *grid,
                int line,
                TallyQuotaPeriod period,
                TallyQuotaWindow *window)
{
  const TallyNumberStyle *style = tally_number_style_locale ();
  TallyQuotaState state = tally_quota_window_get_state (window);
  double limit = tally_quota_window_get_limit_usd (window);
  double used = tally_quota_window_get_used_usd (window);
  g_autofree char *used_text = tally_format_cost_styled (used, style);
  g_autofree char *limit_text = tally_format_cost_styled (limit, style);
  g_autofree char *resets = tally_format_resets_in (tally_quota_window_get_resets_in_seconds (window));
  g_autofree char *text = NULL;
  GtkWidget *title = gtk_label_new (tally_quota_period_get_title (period));
  GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);
  GtkWidget *label;

  if (state == TALLY_QUOTA_STATE_USED_UP)
    /* Translators: a used-up subscription window: "$50.00 of $50.00 · used up · resets in 4 h 12 min" */
    text = g_strdup_printf (_ ("%s of %s · used up · %s"), used_text, limit_text, resets);
  else
    /* Translators: a subscription window: "$42.10 of $50.00 · resets in 4 h 12 min" */
    text = g_strdup_printf (_ ("%s of %s · %s"), used_text, limit_text, resets);
  label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "dim-label");
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), limit > 0 ? CLAMP (used / limit, 0, 1) : 0);
  gtk_widget_set_hexpand (bar, TRUE);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (bar, "quota");
  if (state == TALLY_QUOTA_STATE_USED_UP)
    gtk_widget_add_css_class (bar, "used-up");
  else if (state == TALLY_QUOTA_STATE_WARNING)
    gtk_widget_add_css_class (bar, "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tally_quota_period_get_title (period), -1);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "numeric");
  if (state == TALLY_QUOTA_STATE_USED_UP)
    gtk_widget_add_css_class (label, "error");

  /* the title and the figures on one line, the bar under them: it keeps its
   * width down to 360 px */
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_valign (title, GTK_ALIGN_START);
  gtk_widget_set_margin_bottom (bar, 4);
  gtk_grid_attach (grid, title, 0, 2 * line, 1, 1);
  gtk_grid_attach (grid, label, 1, 2 * line, 1, 1);
  gtk_grid_attach (grid, bar, 0, 2 * line + 1, 2, 1);
}

static GtkWidget *
subscription_row (TallySubscriptionProgress *progress)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (tally_subscription_progress_get_group_name (progress));
  gint64 days = tally_subscription_progress_get_expires_in_days (progress);
  g_autofree char *expiry_text = tally_format_expires_in_days (days);
  GtkWidget *expiry = gtk_label_new (expiry_text);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *row = gtk_list_box_row_new ();
  int line = 0;

  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (name, "heading");
  gtk_widget_add_css_class (expiry, "caption");
  if (tally_quota_state_for_expiry (days * 86400) != TALLY_QUOTA_STATE_OK)
    gtk_widget_add_css_class (expiry, "warning");
  else
    gtk_widget_add_css_class (expiry, "dim-label");
  gtk_box_append (GTK_BOX (header), name);
  gtk_box_append (GTK_BOX (header), expiry);
  gtk_box_append (GTK_BOX (box), header);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  for (TallyQuotaPeriod period = 0; period < TALLY_QUOTA_N_PERIODS; period++)
    {
      TallyQuotaWindow *window = tally_subscription_progress_get_window (progress, period);

      /* a window the server does not send is not drawn */
      if (window != NULL)
        add_window_row (GTK_GRID (grid), line++, period, window);
    }
  gtk_widget_set_visible (grid, line > 0);
  gtk_box_append (GTK_BOX (box), grid);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  /* nothing to do with a row: no focus stop; its name is what it shows */
  gtk_widget_set_focusable (row, FALSE);
  {
    /* Translators: a subscription for screen readers: "Claude Max, expires in 5 days" */
    g_autofree char *name_text = g_strdup_printf (_ ("%s, %s"), tally_subscription_progress_get_group_name (progress), expiry_text);

    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name_text, -1);
  }
  return row;
}

static void
update_subscriptions (TallyDashboardPage *self)
{
  GListModel *list = self->month_budget != NULL ? tally_month_budget_get_subscriptions (self->month_budget) : NULL;
  guint n = list != NULL ? g_list_model_get_n_items (list) : 0;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->subscriptions_list))) != NULL)
    gtk_list_box_remove (self->subscriptions_list, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallySubscriptionProgress) progress = g_list_model_get_item (list, i);

      gtk_list_box_append (self->subscriptions_list, subscription_row (progress));
    }
  gtk_widget_set_visible (self->subscriptions_box, n > 0);
}

static void
update_stats (TallyDashboardPage *self)
{
  TallyDashboardStats *stats = NULL;

  g_assert (TALLY_IS_DASHBOARD_PAGE (self));

  if (self->session != NULL)
    stats = tally_session_get_dashboard_stats (self->session);

  if (stats == NULL)
    {
      set_card (self->today_cost_card, NULL, NULL);
      set_card (self->throughput_card, NULL, NULL);
      set_card (self->keys_card, NULL, NULL);
      update_content (self);
      return;
    }

  {
    const TallyNumberStyle *style = tally_number_style_locale ();
    g_autofree char *billed = tally_format_cost_styled (tally_dashboard_stats_get_today_actual_cost (stats), style);
    g_autofree char *list = tally_format_cost_styled (tally_dashboard_stats_get_today_cost (stats), style);
    g_autofree char *requests = tally_format_count_styled (tally_dashboard_stats_get_today_requests (stats), style);
    g_autofree char *tokens = tally_format_tokens_styled (tally_dashboard_stats_get_today_tokens (stats), style);
    /* Translators: today so far: list price, requests and tokens, e.g. "List price $1.23 · 312 requests · 1.2M tokens" */
    g_autofree char *caption = g_strdup_printf (_ ("List price %s · %s requests · %s tokens"), list, requests, tokens);

    set_card (self->today_cost_card, billed, caption);
  }

  {
    g_autofree char *rpm = tally_format_count_styled (tally_dashboard_stats_get_rpm (stats), tally_number_style_locale ());
    g_autofree char *tpm = tally_format_tokens_styled (tally_dashboard_stats_get_tpm (stats), tally_number_style_locale ());
    /* Translators: requests per minute / tokens per minute */
    g_autofree char *value = g_strdup_printf (_ ("%s / %s"), rpm, tpm);

    set_card (self->throughput_card, value, _ ("Per minute, last 5 minutes"));
  }

  {
    g_autofree char *active = tally_format_count_styled (tally_dashboard_stats_get_active_api_keys (stats), tally_number_style_locale ());
    g_autofree char *total = tally_format_count_styled (tally_dashboard_stats_get_total_api_keys (stats), tally_number_style_locale ());
    /* Translators: active API keys / all API keys, e.g. "5 / 7" */
    g_autofree char *value = g_strdup_printf (_ ("%s / %s"), active, total);

    set_card (self->keys_card, value, _ ("Active / all"));
  }

  update_content (self);
  maybe_report_filled (self);
}

/* "+12% vs yesterday"; NULL when there is nothing to compare with. */
static char *
format_change (double current,
               double previous,
               const char *versus)
{
  double change = tally_change_fraction (current, previous);
  g_autofree char *percent = NULL;

  if (isnan (change))
    return NULL;

  percent = tally_format_percent_styled (fabs (change), tally_number_style_locale ());
  if (change > 0)
    /* Translators: a rise, e.g. "+12% vs yesterday" */
    return g_strdup_printf (_ ("+%s %s"), percent, versus);
  else if (change < 0)
    /* Translators: a fall, e.g. "−12% vs yesterday" (U+2212 minus sign) */
    return g_strdup_printf (_ ("−%s %s"), percent, versus);
  else
    /* Translators: no change, e.g. "No change vs yesterday" */
    return g_strdup_printf (_ ("No change %s"), versus);
}

static char *
describe_range (const char *start,
                const char *end)
{
  GDate a, b;
  char sa[64], sb[64];

  if (!tally_date_parse (start, &a) || !tally_date_parse (end, &b))
    return NULL;

  /* Translators: strftime format of a day, e.g. "Jan 9, 2026" */
  g_date_strftime (sa, sizeof sa, _ ("%b %-d, %Y"), &a);
  if (g_date_compare (&a, &b) == 0)
    return g_strdup (sa);
  g_date_strftime (sb, sizeof sb, _ ("%b %-d, %Y"), &b);
  /* Translators: a range of days, e.g. "Jan 9, 2026 – Jan 15, 2026" */
  return g_strdup_printf (_ ("%s – %s"), sa, sb);
}

static void
update_server_time (TallyDashboardPage *self)
{
  g_autofree char *text = NULL;
  g_autofree char *zone = NULL;
  g_autofree char *range = NULL;

  g_assert (TALLY_IS_DASHBOARD_PAGE (self));

  if (self->session != NULL && tally_session_get_server_zone (self->session) != NULL)
    {
      TallyServerZone *server_zone = tally_session_get_server_zone (self->session);
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();
      const char *day = self->dashboard != NULL ? tally_dashboard_get_end_date (self->dashboard) : NULL;
      gint64 now_unix = g_date_time_to_unix (now);
      int server_offset;
      int local_offset = (int) (g_date_time_get_utc_offset (now) / G_TIME_SPAN_SECOND);

      if (day == NULL || !tally_date_parse (day, NULL))
        day = tally_session_get_server_today (self->session);
      /* the offset of the days shown, not of the account's creation */
      server_offset = tally_server_zone_get_offset_on (server_zone, day, now_unix);

      /* Say which zone only when it is not the user's own. */
      if (server_offset != local_offset)
        zone = tally_server_zone_describe (server_zone, day, now_unix);
    }

  if (self->dashboard != NULL)
    range = describe_range (tally_dashboard_get_start_date (self->dashboard),
                            tally_dashboard_get_end_date (self->dashboard));

  if (range != NULL && zone != NULL)
    /* Translators: the range shown and the server's time zone, e.g. "Jan 9 – Jan 15 · server time, UTC+08:00" */
    text = g_strdup_printf (_ ("%s · server time, %s"), range, zone);
  else if (zone != NULL)
    text = g_strdup_printf (_ ("Dates in server time, %s"), zone);
  else
    text = g_steal_pointer (&range);

  gtk_label_set_text (self->server_time_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->server_time_label), text != NULL);
}

/* "vs previous 7 days", "vs previous day until 10:00" */
static char *
describe_versus (int n_days,
                 const char *until)
{
  /* (glibc refuses a format that skips a positional argument: no "%2$s"
   * without "%1$d", so the one-day case has a string of its own) */
  if (until != NULL && n_days == 1)
    /* Translators: comparison basis of a day still running, e.g. "vs previous day until 10:00" (both days up to that hour) */
    return g_strdup_printf (_ ("vs previous day until %s"), until);

  if (until != NULL)
    /* Translators: comparison basis of a range still running, e.g. "vs previous 7 days until 10:00" (both periods up to that hour) */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "vs previous %d day until %s", "vs previous %d days until %s",
                                         n_days),
                            n_days, until);

  /* Translators: comparison basis, e.g. "vs previous 7 days" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "vs previous day", "vs previous %d days", n_days), n_days);
}

/* The tooltip of the range cards: what is compared with what. */
static char *
describe_comparison (TallyDashboard *dashboard)
{
  const char *until = tally_dashboard_get_compare_until (dashboard);
  g_autofree char *range = describe_range (tally_dashboard_get_loaded_start_date (dashboard),
                                           tally_dashboard_get_loaded_end_date (dashboard));
  g_autofree char *previous = describe_range (tally_dashboard_get_previous_start_date (dashboard),
                                              tally_dashboard_get_previous_end_date (dashboard));

  if (range == NULL || previous == NULL)
    return NULL;

  if (until != NULL)
    /* Translators: e.g. "Jan 9 – Jan 15 until 10:00 compared with Jan 2 – Jan 8 until 10:00: the same time of the last day (server time)" */
    return g_strdup_printf (_ ("%1$s until %3$s compared with %2$s until %3$s: the range is still running, so both end at the same hour of their last day (server time)"),
                            range, previous, until);

  /* Translators: e.g. "Jan 9 – Jan 15 compared with Jan 2 – Jan 8" */
  return g_strdup_printf (_ ("%s compared with %s"), range, previous);
}

static void
set_range_card (TallyStatCard *card,
                char *value,
                double current,
                double previous,
                const char *versus,
                const char *tooltip)
{
  g_autofree char *owned = value;
  g_autofree char *change = versus != NULL ? format_change (current, previous, versus) : NULL;

  set_card (card, owned, change);
  gtk_widget_set_tooltip_text (GTK_WIDGET (card), tooltip);
}

static void
update_range_cards (TallyDashboardPage *self)
{
  const TallyNumberStyle *style = tally_number_style_locale ();
  const TallyPeriodTotals *totals = NULL;
  const TallyPeriodTotals *compared = NULL;
  const TallyPeriodTotals *previous = NULL;
  g_autofree char *versus = NULL;
  g_autofree char *tooltip = NULL;

  if (self->dashboard != NULL)
    {
      totals = tally_dashboard_get_range_totals (self->dashboard);
      compared = tally_dashboard_get_compared_totals (self->dashboard);
      previous = tally_dashboard_get_previous_totals (self->dashboard);
    }

  if (totals == NULL)
    {
      set_card (self->range_cost_card, NULL, NULL);
      set_card (self->range_list_card, NULL, NULL);
      set_card (self->range_requests_card, NULL, NULL);
      set_card (self->range_tokens_card, NULL, NULL);
      return;
    }

  if (compared == NULL || previous == NULL)
    compared = previous = NULL;
  else
    {
      versus = describe_versus (totals->n_days, tally_dashboard_get_compare_until (self->dashboard));
      tooltip = describe_comparison (self->dashboard);
    }

#define CHANGE(field) (compared != NULL ? (double) compared->field : NAN), (previous != NULL ? (double) previous->field : NAN)
  set_range_card (self->range_cost_card, tally_format_cost_styled (totals->actual_cost, style), CHANGE (actual_cost), versus, tooltip);
  set_range_card (self->range_list_card, tally_format_cost_styled (totals->cost, style), CHANGE (cost), versus, tooltip);
  set_range_card (self->range_requests_card, tally_format_count_styled (totals->requests, style), CHANGE (requests), versus, tooltip);
  set_range_card (self->range_tokens_card, tally_format_tokens_styled (totals->total_tokens, style), CHANGE (total_tokens), versus, tooltip);
#undef CHANGE
}

/* Why the data is missing or old: the dashboard's last failure, else the
 * session's (its load failed: nothing to show the range with). */
static const char *
current_error (TallyDashboardPage *self)
{
  const char *error = NULL;

  if (self->dashboard != NULL)
    error = tally_dashboard_get_last_error (self->dashboard);
  if (error == NULL && self->session != NULL)
    error = tally_session_get_last_error (self->session);
  return error;
}

/* "Updated 10:42" (the server's clock), stale while a refresh fails */
static void
update_updated (TallyDashboardPage *self)
{
  tally_updated_label_update (self->updated_label,
                              self->dashboard != NULL ? tally_dashboard_get_updated_at (self->dashboard) : 0,
                              self->session != NULL ? tally_session_get_server_zone (self->session) : NULL,
                              current_error (self));
}

static void
update_content (TallyDashboardPage *self)
{
  const TallyPeriodTotals *totals = NULL;
  gboolean busy = FALSE;
  const char *error = current_error (self);
  const char *name;

  if (self->dashboard != NULL)
    {
      totals = tally_dashboard_get_range_totals (self->dashboard);
      busy = tally_dashboard_get_busy (self->dashboard);
    }
  if (self->session != NULL)
    busy |= tally_session_get_busy (self->session);

  /* Nothing loaded: the failure, never "no usage". Loaded: the data stays
   * (marked stale by update_updated()). */
  if (totals == NULL && busy)
    name = "loading";
  else if (totals == NULL && error != NULL)
    name = "error";
  else if (totals == NULL)
    name = busy ? "loading" : "empty";
  else if (totals->requests == 0 && totals->actual_cost == 0)
    name = "empty";
  else
    name = "data";

  if (g_str_equal (name, "error"))
    {
      /* AdwStatusPage descriptions are markup: the server's text is not. */
      g_autofree char *escaped = g_markup_escape_text (error, -1);

      adw_status_page_set_description (self->error_page, escaped);
    }

  update_updated (self);

  gtk_spinner_set_spinning (self->loading_spinner, totals == NULL && busy);

  /* The spinner is only a placeholder: replace it at once (no crossfade
   * delaying the first filled frame); fade only between empty and data. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "loading") == 0)
    gtk_stack_set_visible_child_full (self->content_stack, name, GTK_STACK_TRANSITION_TYPE_NONE);
  else
    gtk_stack_set_visible_child_name (self->content_stack, name);

  maybe_report_filled (self);
}

/* The trend is as of the server's clock now: its bucket is "so far", the
 * later ones have no data yet. */
static void
update_trend_now (TallyDashboardPage *self)
{
  TallyServerZone *zone = self->session != NULL ? tally_session_get_server_zone (self->session) : NULL;
  g_autofree char *now = NULL;

  if (zone != NULL)
    now = tally_server_zone_format_time (zone, tally_session_get_server_now (self->session));
  tally_trend_chart_set_now (self->trend_chart, now);
}

static void
update_trend (TallyDashboardPage *self)
{
  update_trend_now (self);
  tally_trend_chart_set_model (self->trend_chart,
                               self->dashboard != NULL ? tally_dashboard_get_trend (self->dashboard) : NULL);
  update_range_cards (self);
  update_content (self);
}

static void
update_models (TallyDashboardPage *self)
{
  tally_pie_chart_set_model (self->pie_chart,
                             self->dashboard != NULL ? tally_dashboard_get_models (self->dashboard) : NULL);
  maybe_report_filled (self);
}

/* Every card has a value, the trend has points and the pie has slices. */
static gboolean
page_filled (TallyDashboardPage *self)
{
  GListModel *trend;
  GListModel *models;

  if (self->session == NULL || self->dashboard == NULL)
    return FALSE;

  if (tally_session_get_user (self->session) == NULL || tally_session_get_dashboard_stats (self->session) == NULL || tally_dashboard_get_range_totals (self->dashboard) == NULL)
    return FALSE;

  trend = tally_dashboard_get_trend (self->dashboard);
  models = tally_dashboard_get_models (self->dashboard);
  if (trend == NULL || g_list_model_get_n_items (trend) == 0 || models == NULL || g_list_model_get_n_items (models) == 0)
    return FALSE;

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "data") == 0;
}

/* On screen, and no stack above it is still fading it in. */
static gboolean
shown_settled (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;

  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget)))
      return FALSE;

  return TRUE;
}

static void
filled_after_paint_cb (GdkFrameClock *clock,
                       TallyDashboardPage *self)
{
  g_signal_handlers_disconnect_by_func (clock, filled_after_paint_cb, self);
  self->filled = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILLED]);
}

/* Runs before the layout and paint of each frame: once the data is in and
 * shown, the frame being made is the first filled one. */
static gboolean
filled_tick_cb (GtkWidget *widget,
                GdkFrameClock *clock,
                gpointer user_data)
{
  TallyDashboardPage *self = TALLY_DASHBOARD_PAGE (widget);

  if (!page_filled (self) || !shown_settled (GTK_WIDGET (self->trend_chart)) || !shown_settled (GTK_WIDGET (self->pie_chart)))
    return G_SOURCE_CONTINUE;

  self->filled_tick = 0;
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (filled_after_paint_cb), self, 0);

  return G_SOURCE_REMOVE;
}

static void
maybe_report_filled (TallyDashboardPage *self)
{
  if (self->filled || self->filled_tick != 0)
    return;

  if (page_filled (self))
    {
      if (!data_reported)
        tally_timing_mark ("dashboard-data");
      data_reported = TRUE;
      self->filled_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), filled_tick_cb, NULL, NULL);
    }
}

static GtkWidget *
create_key_row (gpointer item,
                gpointer user_data)
{
  return tally_key_cost_row_new (TALLY_KEY_COST (item));
}

static void
key_row_activated_cb (TallyDashboardPage *self,
                      GtkListBoxRow *row)
{
  TallyKeyCost *cost;

  if (!TALLY_IS_KEY_COST_ROW (row))
    return;

  cost = tally_key_cost_row_get_cost (TALLY_KEY_COST_ROW (row));
  if (tally_key_cost_get_deleted (cost))
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-key-usage", "x",
                              tally_key_cost_get_key_id (cost));
}

static void
series_changed_cb (TallyDashboardPage *self)
{
  tally_trend_chart_set_series (self->trend_chart,
                                (TallyTrendSeries) gtk_drop_down_get_selected (self->series_dropdown));
}

static void
measure_changed_cb (TallyDashboardPage *self)
{
  tally_pie_chart_set_measure (self->pie_chart,
                               (TallyPieMeasure) gtk_drop_down_get_selected (self->measure_dropdown));
}

static void
update_dashboard (TallyDashboardPage *self)
{
  gtk_list_box_bind_model (self->keys_list,
                           self->dashboard != NULL ? tally_dashboard_get_key_costs (self->dashboard) : NULL,
                           create_key_row, NULL, NULL);
  update_trend (self);
  update_models (self);
  update_server_time (self);
  update_content (self);
}

static void
update_all (TallyDashboardPage *self)
{
  update_user (self);
  update_stats (self);
  update_dashboard (self);
}

static void
tally_dashboard_page_dispose (GObject *object)
{
  TallyDashboardPage *self = (TallyDashboardPage *) object;

  if (self->filled_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->filled_tick);
  self->filled_tick = 0;

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  if (self->month_signals != NULL)
    g_signal_group_set_target (self->month_signals, NULL);
  g_clear_object (&self->month_signals);
  g_clear_object (&self->month_budget);
  if (self->dashboard_signals != NULL)
    g_signal_group_set_target (self->dashboard_signals, NULL);
  g_clear_object (&self->dashboard_signals);
  g_clear_object (&self->dashboard);
  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), TALLY_TYPE_DASHBOARD_PAGE);

  G_OBJECT_CLASS (tally_dashboard_page_parent_class)->dispose (object);
}

static void
tally_dashboard_page_get_property (GObject *object,
                                   guint prop_id,
                                   GValue *value,
                                   GParamSpec *pspec)
{
  TallyDashboardPage *self = TALLY_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        g_value_set_object (value, self->session);
        break;

      case PROP_DASHBOARD:
        g_value_set_object (value, self->dashboard);
        break;

      case PROP_FILLED:
        g_value_set_boolean (value, self->filled);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_dashboard_page_set_property (GObject *object,
                                   guint prop_id,
                                   const GValue *value,
                                   GParamSpec *pspec)
{
  TallyDashboardPage *self = TALLY_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        tally_dashboard_page_set_session (self, g_value_get_object (value));
        break;

      case PROP_DASHBOARD:
        tally_dashboard_page_set_dashboard (self, g_value_get_object (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_dashboard_page_class_init (TallyDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tally_dashboard_page_dispose;
  object_class->get_property = tally_dashboard_page_get_property;
  object_class->set_property = tally_dashboard_page_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL,
                                                  TALLY_TYPE_SESSION,
                                                  (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DASHBOARD] = g_param_spec_object ("dashboard", NULL, NULL,
                                                    TALLY_TYPE_DASHBOARD,
                                                    (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* TRUE once a frame with every card, the trend and the pie filled in has
   * been painted; it stays TRUE (the application times its startup by it). */
  properties[PROP_FILLED] = g_param_spec_boolean ("filled", NULL, NULL,
                                                  FALSE,
                                                  (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TALLY_TYPE_STAT_CARD);
  g_type_ensure (TALLY_TYPE_TREND_CHART);
  g_type_ensure (TALLY_TYPE_PIE_CHART);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/tally-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, cards_box);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, balance_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, today_cost_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, month_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, subscriptions_box);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, subscriptions_list);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, throughput_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, keys_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, server_time_label);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, updated_label);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, range_list_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, sections_box);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, range_cards_box);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, bottom_box);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, range_cost_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, range_requests_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, range_tokens_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, series_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, trend_chart);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, measure_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, pie_chart);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, keys_list);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tally_dashboard_page_init (TallyDashboardPage *self)
{
  GtkWidget *child;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The cards are read-only figures, not items to pick. */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->cards_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);

  self->month_signals = g_signal_group_new (TALLY_TYPE_MONTH_BUDGET);
  g_signal_group_connect_object (self->month_signals, "notify::forecast", G_CALLBACK (update_month), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->month_signals, "notify::budget", G_CALLBACK (update_month), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->month_signals, "notify::subscriptions", G_CALLBACK (update_subscriptions), self, G_CONNECT_SWAPPED);

  self->session_signals = g_signal_group_new (TALLY_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::user",
                                 G_CALLBACK (update_user), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::dashboard-stats",
                                 G_CALLBACK (update_stats), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::server-today",
                                 G_CALLBACK (update_server_time), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::last-error",
                                 G_CALLBACK (update_content), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::busy",
                                 G_CALLBACK (update_content), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::utc-offset",
                                 G_CALLBACK (update_server_time), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::server-zone",
                                 G_CALLBACK (update_server_time), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::server-zone",
                                 G_CALLBACK (update_updated), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::utc-offset-known",
                                 G_CALLBACK (update_server_time), self, G_CONNECT_SWAPPED);

  self->dashboard_signals = g_signal_group_new (TALLY_TYPE_DASHBOARD);
  g_signal_group_connect_object (self->dashboard_signals, "notify::trend",
                                 G_CALLBACK (update_trend), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->dashboard_signals, "notify::models",
                                 G_CALLBACK (update_models), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->dashboard_signals, "notify::previous-totals",
                                 G_CALLBACK (update_range_cards), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->dashboard_signals, "notify::last-error",
                                 G_CALLBACK (update_content), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->dashboard_signals, "notify::updated-at",
                                 G_CALLBACK (update_content), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->dashboard_signals, "notify::compare-until",
                                 G_CALLBACK (update_range_cards), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->dashboard_signals, "notify::busy",
                                 G_CALLBACK (update_content), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->dashboard_signals, "notify::start-date",
                                 G_CALLBACK (update_server_time), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->dashboard_signals, "notify::end-date",
                                 G_CALLBACK (update_server_time), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->keys_list, "row-activated",
                           G_CALLBACK (key_row_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->series_dropdown, "notify::selected",
                           G_CALLBACK (series_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->measure_dropdown, "notify::selected",
                           G_CALLBACK (measure_changed_cb), self, G_CONNECT_SWAPPED);

  /* The trend opens with the series chosen in Preferences; picking another
   * one here is not saved (the key is the default, not the current one). */
  {
    g_autoptr (GSettings) settings = g_settings_new (BASE_ID);

    tally_dashboard_page_set_series (self, (TallyTrendSeries) g_settings_get_enum (settings, "trend-series"));
  }

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->range_cards_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);

  /* The chart cards: Tab goes to their controls and key rows, not to the
   * flow box's wrappers. */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->bottom_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);

  tally_a11y_fix_names (GTK_WIDGET (self));

  update_all (self);
}

GtkWidget *
tally_dashboard_page_new (void)
{
  return g_object_new (TALLY_TYPE_DASHBOARD_PAGE, NULL);
}

TallySession *
tally_dashboard_page_get_session (TallyDashboardPage *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_PAGE (self), NULL);

  return self->session;
}

void
tally_dashboard_page_set_session (TallyDashboardPage *self,
                                  TallySession *session)
{
  g_return_if_fail (TALLY_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (!session || TALLY_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  g_clear_object (&self->month_budget);
  if (session != NULL)
    self->month_budget = tally_month_budget_new (session);
  g_signal_group_set_target (self->month_signals, self->month_budget);
  update_month (self);
  update_subscriptions (self);

  g_signal_group_set_target (self->session_signals, session);
  update_all (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

TallyMonthBudget *
tally_dashboard_page_get_month_budget (TallyDashboardPage *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_PAGE (self), NULL);

  return self->month_budget;
}

TallyDashboard *
tally_dashboard_page_get_dashboard (TallyDashboardPage *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_PAGE (self), NULL);

  return self->dashboard;
}

void
tally_dashboard_page_set_dashboard (TallyDashboardPage *self,
                                    TallyDashboard *dashboard)
{
  g_return_if_fail (TALLY_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (!dashboard || TALLY_IS_DASHBOARD (dashboard));

  if (!g_set_object (&self->dashboard, dashboard))
    return;

  g_signal_group_set_target (self->dashboard_signals, dashboard);
  update_dashboard (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DASHBOARD]);
}

void
tally_dashboard_page_set_series (TallyDashboardPage *self,
                                 TallyTrendSeries series)
{
  g_return_if_fail (TALLY_IS_DASHBOARD_PAGE (self));

  gtk_drop_down_set_selected (self->series_dropdown, series);
}

gboolean
tally_dashboard_page_get_filled (TallyDashboardPage *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_PAGE (self), FALSE);

  return self->filled;
}

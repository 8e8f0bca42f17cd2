/* tally-dashboard-page.c: the cards (and, later, the charts) of the dashboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-dashboard-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tally-dashboard-page.h"
#include "tally-dashboard-stats.h"
#include "tally-format.h"
#include "tally-server-time.h"
#include "tally-stat-card.h"
#include "tally-user.h"

#define NO_VALUE "—"

struct _TallyDashboardPage
{
  GtkWidget parent_instance;

  /* Template Widgets */
  GtkWidget *scroller;
  GtkFlowBox *cards_box;
  TallyStatCard *balance_card;
  TallyStatCard *today_cost_card;
  TallyStatCard *total_cost_card;
  TallyStatCard *requests_card;
  TallyStatCard *tokens_card;
  TallyStatCard *throughput_card;
  TallyStatCard *duration_card;
  TallyStatCard *keys_card;
  GtkLabel *server_time_label;
  GtkBox *sections_box;

  /* Owned References */
  TallySession *session;
  GSignalGroup *session_signals;
};

G_DEFINE_FINAL_TYPE (TallyDashboardPage, tally_dashboard_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
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
      balance = tally_format_cost (tally_user_get_balance (user));
      who = tally_user_get_username (user);
      if (who[0] == '\0')
        who = tally_user_get_email (user);
    }

  /* Whose wallet: the account's name (plain text). */
  set_card (self->balance_card, balance, who);
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
      set_card (self->total_cost_card, NULL, NULL);
      set_card (self->requests_card, NULL, NULL);
      set_card (self->tokens_card, NULL, NULL);
      set_card (self->throughput_card, NULL, NULL);
      set_card (self->duration_card, NULL, NULL);
      set_card (self->keys_card, NULL, NULL);
      return;
    }

  {
    g_autofree char *billed = tally_format_cost (tally_dashboard_stats_get_today_actual_cost (stats));
    g_autofree char *list = tally_format_cost (tally_dashboard_stats_get_today_cost (stats));
    /* Translators: the standard (undiscounted) cost, e.g. "List price $1.23" */
    g_autofree char *caption = g_strdup_printf (_("List price %s"), list);

    set_card (self->today_cost_card, billed, caption);
  }

  {
    g_autofree char *billed = tally_format_cost (tally_dashboard_stats_get_total_actual_cost (stats));
    g_autofree char *list = tally_format_cost (tally_dashboard_stats_get_total_cost (stats));
    g_autofree char *caption = g_strdup_printf (_("List price %s"), list);

    set_card (self->total_cost_card, billed, caption);
  }

  {
    g_autofree char *today = tally_format_count (tally_dashboard_stats_get_today_requests (stats));
    g_autofree char *total = tally_format_count (tally_dashboard_stats_get_total_requests (stats));
    /* Translators: all-time number of requests, e.g. "17,003 in total" */
    g_autofree char *caption = g_strdup_printf (_("%s in total"), total);

    set_card (self->requests_card, today, caption);
  }

  {
    g_autofree char *today = tally_format_tokens (tally_dashboard_stats_get_today_tokens (stats));
    g_autofree char *input = tally_format_tokens (tally_dashboard_stats_get_today_input_tokens (stats));
    g_autofree char *output = tally_format_tokens (tally_dashboard_stats_get_today_output_tokens (stats));
    g_autofree char *cache_read = tally_format_tokens (tally_dashboard_stats_get_today_cache_read_tokens (stats));
    g_autofree char *cache_write = tally_format_tokens (tally_dashboard_stats_get_today_cache_creation_tokens (stats));
    /* Translators: today's token split: input, output, cache read, cache write */
    g_autofree char *caption = g_strdup_printf (_("In %s · Out %s · Cache read %s · Cache write %s"),
                                                input, output, cache_read, cache_write);

    set_card (self->tokens_card, today, caption);
  }

  {
    g_autofree char *rpm = tally_format_count (tally_dashboard_stats_get_rpm (stats));
    g_autofree char *tpm = tally_format_tokens (tally_dashboard_stats_get_tpm (stats));
    /* Translators: requests per minute / tokens per minute */
    g_autofree char *value = g_strdup_printf (_("%s / %s"), rpm, tpm);

    set_card (self->throughput_card, value,
              _("Requests and tokens per minute over the last 5 minutes"));
  }

  {
    g_autofree char *value = tally_format_duration_ms (tally_dashboard_stats_get_average_duration_ms (stats));

    set_card (self->duration_card, value, _("Per request, all time"));
  }

  {
    g_autofree char *active = tally_format_count (tally_dashboard_stats_get_active_api_keys (stats));
    g_autofree char *total = tally_format_count (tally_dashboard_stats_get_total_api_keys (stats));
    /* Translators: active API keys / all API keys, e.g. "5 / 7" */
    g_autofree char *value = g_strdup_printf (_("%s / %s"), active, total);

    set_card (self->keys_card, value, _("Active / all"));
  }
}

static void
update_server_time (TallyDashboardPage *self)
{
  g_autofree char *text = NULL;
  g_autofree char *zone = NULL;
  const char *today = NULL;

  g_assert (TALLY_IS_DASHBOARD_PAGE (self));

  if (self->session != NULL)
    {
      today = tally_session_get_server_today (self->session);
      if (tally_session_get_utc_offset_known (self->session))
        zone = tally_format_utc_offset (tally_session_get_utc_offset (self->session));
    }

  if (zone != NULL && today != NULL)
    /* Translators: the server's time zone and calendar day, e.g. "UTC+08:00" and "2026-01-15" */
    text = g_strdup_printf (_("Dates in server time, %s · today is %s"), zone, today);
  else if (zone != NULL)
    text = g_strdup_printf (_("Dates in server time, %s"), zone);
  else if (today != NULL)
    text = g_strdup_printf (_("Dates in server time · today is %s"), today);

  gtk_label_set_text (self->server_time_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->server_time_label), text != NULL);
}

static void
update_all (TallyDashboardPage *self)
{
  update_user (self);
  update_stats (self);
  update_server_time (self);
}

static void
tally_dashboard_page_dispose (GObject *object)
{
  TallyDashboardPage *self = (TallyDashboardPage *)object;

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
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

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TALLY_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TALLY_TYPE_STAT_CARD);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/tally-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, cards_box);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, balance_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, today_cost_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, total_cost_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, requests_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, tokens_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, throughput_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, duration_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, keys_card);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, server_time_label);
  gtk_widget_class_bind_template_child (widget_class, TallyDashboardPage, sections_box);

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

  self->session_signals = g_signal_group_new (TALLY_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::user",
                                 G_CALLBACK (update_user), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::dashboard-stats",
                                 G_CALLBACK (update_stats), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::server-today",
                                 G_CALLBACK (update_server_time), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::utc-offset",
                                 G_CALLBACK (update_server_time), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::utc-offset-known",
                                 G_CALLBACK (update_server_time), self, G_CONNECT_SWAPPED);

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

  g_signal_group_set_target (self->session_signals, session);
  update_all (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

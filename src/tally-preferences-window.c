/* tally-preferences-window.c: the application's preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-a11y.h"
#include "tally-budget-store.h"
#include "tally-preferences-window.h"
#include "tally-trend-chart.h"
#include "tally-user.h"

struct _TallyPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* Widgets */
  AdwPreferencesGroup *account_group;
  AdwActionRow *server_row;
  AdwActionRow *email_row;
  AdwActionRow *user_name_row;
  GtkWidget *logout_button;
  AdwComboRow *style_row;
  AdwComboRow *auto_refresh_row;
  AdwComboRow *series_row;
  AdwEntryRow *budget_row;
  GtkSpinButton *low_balance_spin;

  /* Owned References */
  TallySession *session;
  GSignalGroup *session_signals;
  TallyMonthBudget *month_budget;
  GSignalGroup *budget_signals;
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (TallyPreferencesWindow, tally_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The choices of the auto-refresh row, in minutes (0 = off). */
static const guint intervals[] = { 0, 1, 5, 15, 30, 60 };

/* The choices of the style row, as nicks of the "color-scheme" key. */
static const char *const color_scheme_nicks[] = { "default", "light", "dark", NULL };

static gboolean
minutes_to_position (GValue *value,
                     GVariant *variant,
                     gpointer user_data)
{
  guint minutes = g_variant_get_uint32 (variant);
  guint position = 0;

  /* An interval set elsewhere picks the nearest choice not below it. */
  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    {
      position = i;
      if (intervals[i] >= minutes)
        break;
    }

  g_value_set_uint (value, position);
  return TRUE;
}

static GVariant *
position_to_minutes (const GValue *value,
                     const GVariantType *expected_type,
                     gpointer user_data)
{
  guint position = g_value_get_uint (value);

  if (position >= G_N_ELEMENTS (intervals))
    position = 0;

  return g_variant_new_uint32 (intervals[position]);
}

static gboolean
color_scheme_to_position (GValue *value,
                          GVariant *variant,
                          gpointer user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; color_scheme_nicks[i] != NULL; i++)
    {
      if (g_str_equal (nick, color_scheme_nicks[i]))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
position_to_color_scheme (const GValue *value,
                          const GVariantType *expected_type,
                          gpointer user_data)
{
  guint position = g_value_get_uint (value);

  if (position >= G_N_ELEMENTS (color_scheme_nicks) - 1)
    return NULL;

  return g_variant_new_string (color_scheme_nicks[position]);
}

/* The "trend-series" key's nicks are TallyTrendSeries's, the rows its values. */
static gboolean
series_to_position (GValue *value,
                    GVariant *variant,
                    gpointer user_data)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (TALLY_TYPE_TREND_SERIES);
  GEnumValue *series = g_enum_get_value_by_nick (klass, g_variant_get_string (variant, NULL));

  if (series == NULL)
    return FALSE;

  g_value_set_uint (value, (guint) series->value);
  return TRUE;
}

static GVariant *
position_to_series (const GValue *value,
                    const GVariantType *expected_type,
                    gpointer user_data)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (TALLY_TYPE_TREND_SERIES);
  guint position = g_value_get_uint (value);
  GEnumValue *series;

  if (position > G_MAXINT)
    return NULL;

  series = g_enum_get_value (klass, (int) position);
  if (series == NULL)
    return NULL;

  return g_variant_new_string (series->value_nick);
}

static void
set_plain_row (AdwActionRow *row,
               const char *value)
{
  g_assert (ADW_IS_ACTION_ROW (row));

  /* Server strings are plain text (see init: use-markup is off). */
  adw_action_row_set_subtitle (row, value != NULL ? value : "");
  gtk_widget_set_visible (GTK_WIDGET (row), value != NULL && value[0] != '\0');
}

static void
update_account (TallyPreferencesWindow *self)
{
  TallySessionState state = TALLY_SESSION_STATE_LOGGED_OUT;
  TallyUser *user = NULL;
  const char *email = NULL;
  const char *user_name = NULL;
  gboolean logged_in;

  g_assert (TALLY_IS_PREFERENCES_WINDOW (self));

  if (self->session != NULL)
    {
      state = tally_session_get_state (self->session);
      user = tally_session_get_user (self->session);
      email = tally_session_get_email (self->session);
    }

  logged_in = state == TALLY_SESSION_STATE_LOADING || state == TALLY_SESSION_STATE_READY;

  if (user != NULL)
    {
      if (tally_user_get_email (user) != NULL && tally_user_get_email (user)[0] != '\0')
        email = tally_user_get_email (user);
      user_name = tally_user_get_username (user);
    }

  if (!logged_in)
    {
      adw_preferences_group_set_description (self->account_group,
                                             state == TALLY_SESSION_STATE_LOGGING_IN
                                                 ? _ ("Logging in…")
                                                 : _ ("Not logged in"));
      set_plain_row (self->server_row, NULL);
      set_plain_row (self->email_row, NULL);
      set_plain_row (self->user_name_row, NULL);
    }
  else
    {
      adw_preferences_group_set_description (self->account_group,
                                             tally_session_get_demo (self->session)
                                                 ? _ ("Demo account: made-up data from a built-in server")
                                                 : NULL);
      set_plain_row (self->server_row, tally_session_get_server_url (self->session));
      set_plain_row (self->email_row, email);
      set_plain_row (self->user_name_row, user_name);
    }

  gtk_widget_set_sensitive (self->logout_button, logged_in);
}

/* The budget as typed ("300", "12.5"); empty without one. */
static void
update_budget (TallyPreferencesWindow *self)
{
  double budget = self->month_budget != NULL ? tally_month_budget_get_budget (self->month_budget) : 0;
  char text[G_ASCII_DTOSTR_BUF_SIZE] = "";

  gtk_widget_set_sensitive (GTK_WIDGET (self->budget_row), self->month_budget != NULL);
  if (budget > 0)
    g_ascii_formatd (text, sizeof text, "%.2f", budget);
  gtk_editable_set_text (GTK_EDITABLE (self->budget_row), text);
}

static void
budget_apply_cb (TallyPreferencesWindow *self)
{
  g_autoptr (GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->budget_row));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  double usd = 0;

  if (self->month_budget == NULL)
    return;
  if (stripped[0] != '\0' && !tally_budget_parse_amount (stripped, &usd))
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_ ("A budget is an amount in US dollars above 0, such as 300 or 12.50")));
      update_budget (self);
      return;
    }
  if (!tally_month_budget_set_budget (self->month_budget, usd, &error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
  update_budget (self);
}

static void
logout_clicked_cb (TallyPreferencesWindow *self)
{
  GtkWindow *parent;

  g_assert (TALLY_IS_PREFERENCES_WINDOW (self));

  parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  /* The main window's action, so that it does what its menu item does. */
  if (parent == NULL || !gtk_widget_activate_action (GTK_WIDGET (parent), "win.logout", NULL))
    {
      if (self->session != NULL)
        tally_session_logout (self->session);
    }

  gtk_window_close (GTK_WINDOW (self));
}

static AdwActionRow *
add_value_row (AdwPreferencesGroup *group,
               const char *title)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* AdwActionRow parses its title and subtitle as markup by default. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_group_add (group, GTK_WIDGET (row));

  return row;
}

static AdwComboRow *
add_combo_row (AdwPreferencesGroup *group,
               const char *title,
               const char *subtitle,
               const char *const *choices)
{
  AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());
  g_autoptr (GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; choices[i] != NULL; i++)
    gtk_string_list_append (model, choices[i]);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  adw_preferences_group_add (group, GTK_WIDGET (row));

  return row;
}

static void
tally_preferences_window_constructed (GObject *object)
{
  TallyPreferencesWindow *self = (TallyPreferencesWindow *) object;

  G_OBJECT_CLASS (tally_preferences_window_parent_class)->constructed (object);

  g_signal_group_set_target (self->session_signals, self->session);
  update_account (self);

  /* Not the first focusable widget, Log Out: Enter must not log out. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->style_row));
}

static void
tally_preferences_window_dispose (GObject *object)
{
  TallyPreferencesWindow *self = (TallyPreferencesWindow *) object;

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  if (self->budget_signals != NULL)
    g_signal_group_set_target (self->budget_signals, NULL);
  g_clear_object (&self->budget_signals);
  g_clear_object (&self->month_budget);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tally_preferences_window_parent_class)->dispose (object);
}

static void
tally_preferences_window_get_property (GObject *object,
                                       guint prop_id,
                                       GValue *value,
                                       GParamSpec *pspec)
{
  TallyPreferencesWindow *self = TALLY_PREFERENCES_WINDOW (object);

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
tally_preferences_window_set_property (GObject *object,
                                       guint prop_id,
                                       const GValue *value,
                                       GParamSpec *pspec)
{
  TallyPreferencesWindow *self = TALLY_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        g_assert (self->session == NULL);
        self->session = g_value_dup_object (value);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_preferences_window_class_init (TallyPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tally_preferences_window_constructed;
  object_class->dispose = tally_preferences_window_dispose;
  object_class->get_property = tally_preferences_window_get_property;
  object_class->set_property = tally_preferences_window_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL,
                                                  TALLY_TYPE_SESSION,
                                                  (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_preferences_window_init (TallyPreferencesWindow *self)
{
  AdwPreferencesPage *page;
  AdwPreferencesGroup *group;
  const char *style_choices[] = {
    _ ("Follow System"),
    _ ("Light"),
    _ ("Dark"),
    NULL,
  };
  const char *refresh_choices[] = {
    _ ("Off"),
    _ ("Every minute"),
    _ ("Every 5 minutes"),
    _ ("Every 15 minutes"),
    _ ("Every 30 minutes"),
    _ ("Every hour"),
    NULL,
  };
  /* The same names, in TallyTrendSeries order, as the dashboard's selector. */
  const char *series_choices[] = {
    _ ("Billed Cost"),
    _ ("List Price"),
    _ ("Requests"),
    _ ("Input Tokens"),
    _ ("Output Tokens"),
    _ ("Cache Tokens"),
    _ ("Cost (Billed and List)"),
    _ ("Tokens (Input, Output, Cache)"),
    NULL,
  };

  gtk_window_set_title (GTK_WINDOW (self), _ ("Preferences"));
  gtk_window_set_default_size (GTK_WINDOW (self), 600, 620);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), FALSE);

  page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  adw_preferences_page_set_title (page, _ ("General"));
  adw_preferences_page_set_icon_name (page, "preferences-system-symbolic");

  /* Account */
  self->account_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->account_group, _ ("Account"));

  self->logout_button = gtk_button_new_with_mnemonic (_ ("_Log Out"));
  gtk_widget_set_valign (self->logout_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->logout_button, "destructive-action");
  g_signal_connect_object (self->logout_button, "clicked",
                           G_CALLBACK (logout_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_set_header_suffix (self->account_group, self->logout_button);

  self->server_row = add_value_row (self->account_group, _ ("Server"));
  self->email_row = add_value_row (self->account_group, _ ("Email"));
  self->user_name_row = add_value_row (self->account_group, _ ("User Name"));
  adw_preferences_page_add (page, self->account_group);

  /* Budget */
  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _ ("Budget"));
  adw_preferences_group_set_description (group, _ ("The dashboard compares this month’s billed cost and its month-end forecast with it; `tally budget` uses the same budget"));
  self->budget_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->budget_row), _ ("Monthly Budget in US Dollars"));
  adw_entry_row_set_show_apply_button (self->budget_row, TRUE);
  adw_entry_row_set_input_purpose (self->budget_row, GTK_INPUT_PURPOSE_NUMBER);
  gtk_widget_set_name (GTK_WIDGET (self->budget_row), "budget-row");
  gtk_widget_set_sensitive (GTK_WIDGET (self->budget_row), FALSE);
  g_signal_connect_object (self->budget_row, "apply", G_CALLBACK (budget_apply_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (group, GTK_WIDGET (self->budget_row));
  adw_preferences_page_add (page, group);
  self->budget_signals = g_signal_group_new (TALLY_TYPE_MONTH_BUDGET);
  g_signal_group_connect_object (self->budget_signals, "notify::budget", G_CALLBACK (update_budget), self, G_CONNECT_SWAPPED);

  /* Notifications */
  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _ ("Notifications"));
  adw_preferences_group_set_description (group, _ ("Tally also notifies when a subscription window or a key’s quota is nearly used up, when a key is about to expire and when the month is on pace to go over the budget"));
  {
    AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
    GtkWidget *spin = gtk_spin_button_new_with_range (0, 1000000, 1);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("Low Balance in US Dollars"));
    adw_action_row_set_subtitle (row, _ ("Notify when the balance falls below it; 0 turns it off. A server that warns of a low balance itself uses its own amount"));
    gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 2);
    gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
    gtk_widget_set_name (spin, "low-balance-spin");
    gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Low balance in US dollars"), -1);
    adw_action_row_add_suffix (row, spin);
    adw_action_row_set_activatable_widget (row, spin);
    adw_preferences_group_add (group, GTK_WIDGET (row));
    self->low_balance_spin = GTK_SPIN_BUTTON (spin);
  }
  adw_preferences_page_add (page, group);

  /* Appearance */
  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _ ("Appearance"));
  self->style_row = add_combo_row (group, _ ("Style"), NULL, style_choices);
  adw_preferences_page_add (page, group);

  /* Dashboard */
  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _ ("Dashboard"));
  self->auto_refresh_row = add_combo_row (group, _ ("Refresh Automatically"),
                                          _ ("Paused while the window is hidden"),
                                          refresh_choices);
  self->series_row = add_combo_row (group, _ ("Trend Shows"),
                                    _ ("The series the trend chart opens with"),
                                    series_choices);
  adw_preferences_page_add (page, group);

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
  tally_a11y_fix_names (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_ID);
  g_settings_bind_with_mapping (self->settings, "auto-refresh-minutes",
                                self->auto_refresh_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                minutes_to_position, position_to_minutes,
                                NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                color_scheme_to_position, position_to_color_scheme,
                                NULL, NULL);
  g_settings_bind (self->settings, "low-balance-threshold", self->low_balance_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "trend-series",
                                self->series_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                series_to_position, position_to_series,
                                NULL, NULL);

  self->session_signals = g_signal_group_new (TALLY_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::state",
                                 G_CALLBACK (update_account), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::server-url",
                                 G_CALLBACK (update_account), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::email",
                                 G_CALLBACK (update_account), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::user",
                                 G_CALLBACK (update_account), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::demo",
                                 G_CALLBACK (update_account), self, G_CONNECT_SWAPPED);
}

GtkWindow *
tally_preferences_window_new (GtkWindow *parent,
                              TallySession *session)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TALLY_IS_SESSION (session), NULL);

  return g_object_new (TALLY_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "session", session,
                       NULL);
}

void
tally_preferences_window_set_month_budget (TallyPreferencesWindow *self,
                                           TallyMonthBudget *month_budget)
{
  g_return_if_fail (TALLY_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (month_budget == NULL || TALLY_IS_MONTH_BUDGET (month_budget));

  if (!g_set_object (&self->month_budget, month_budget))
    return;
  g_signal_group_set_target (self->budget_signals, month_budget);
  update_budget (self);
}

TallySession *
tally_preferences_window_get_session (TallyPreferencesWindow *self)
{
  g_return_val_if_fail (TALLY_IS_PREFERENCES_WINDOW (self), NULL);

  return self->session;
}

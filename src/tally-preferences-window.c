/* tally-preferences-window.c: the application's preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-preferences-window.h"

struct _TallyPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  AdwComboRow *auto_refresh_row;
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (TallyPreferencesWindow, tally_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The choices of the auto-refresh row, in minutes (0 = off). */
static const guint intervals[] = { 0, 1, 5, 15, 30, 60 };

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

static void
tally_preferences_window_dispose (GObject *object)
{
  TallyPreferencesWindow *self = (TallyPreferencesWindow *) object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tally_preferences_window_parent_class)->dispose (object);
}

static void
tally_preferences_window_class_init (TallyPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tally_preferences_window_dispose;
}

static void
tally_preferences_window_init (TallyPreferencesWindow *self)
{
  AdwPreferencesPage *page;
  AdwPreferencesGroup *group;
  g_autoptr (GtkStringList) choices = NULL;

  gtk_window_set_title (GTK_WINDOW (self), _("Preferences"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 360);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), FALSE);

  page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  adw_preferences_page_set_title (page, _("General"));
  adw_preferences_page_set_icon_name (page, "preferences-system-symbolic");

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Dashboard"));

  choices = gtk_string_list_new (NULL);
  gtk_string_list_append (choices, _("Off"));
  gtk_string_list_append (choices, _("Every minute"));
  gtk_string_list_append (choices, _("Every 5 minutes"));
  gtk_string_list_append (choices, _("Every 15 minutes"));
  gtk_string_list_append (choices, _("Every 30 minutes"));
  gtk_string_list_append (choices, _("Every hour"));

  self->auto_refresh_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->auto_refresh_row), _("Refresh Automatically"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->auto_refresh_row),
                               _("Paused while the window is hidden"));
  adw_combo_row_set_model (self->auto_refresh_row, G_LIST_MODEL (choices));
  adw_preferences_group_add (group, GTK_WIDGET (self->auto_refresh_row));

  adw_preferences_page_add (page, group);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);

  self->settings = g_settings_new (BASE_ID);
  g_settings_bind_with_mapping (self->settings, "auto-refresh-minutes",
                                self->auto_refresh_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                minutes_to_position, position_to_minutes,
                                NULL, NULL);
}

GtkWindow *
tally_preferences_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (TALLY_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
}

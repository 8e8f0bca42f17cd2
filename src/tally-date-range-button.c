/* tally-date-range-button.c: a header-bar button that picks a range of server days
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-date-range-button"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "tally-date-range-button.h"
#include "tally-server-time.h"

struct _TallyDateRangeButton
{
  GtkWidget parent_instance;

  /* Template Widgets */
  GtkMenuButton *menu_button;
  GtkLabel *label; /* the button's; an icon stands in when there is no room */
  GtkPopover *popover;
  GtkListBox *presets_list;
  GtkCalendar *start_calendar;
  GtkCalendar *end_calendar;
  GtkButton *apply_button;
  GtkLabel *custom_error_label;

  /* Properties */
  char *start_date;
  char *end_date;
  char *server_today;
};

G_DEFINE_FINAL_TYPE (TallyDateRangeButton, tally_date_range_button, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_START_DATE,
  PROP_END_DATE,
  PROP_SERVER_TODAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  RANGE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
format_day (const char *ymd,
            gboolean with_year)
{
  GDate date;
  char buffer[64];

  if (!tally_date_parse (ymd, &date))
    return g_strdup (ymd);

  /* Translators: strftime formats of a day in a range label, e.g. "Jan 5" / "Jan 5, 2025" */
  if (g_date_strftime (buffer, sizeof buffer, with_year ? _ ("%b %-d, %Y") : _ ("%b %-d"), &date) == 0)
    return g_strdup (ymd);

  return g_strdup (buffer);
}

static char *
describe_range (TallyDateRangeButton *self)
{
  gboolean with_year;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  if (self->start_date == NULL || self->end_date == NULL)
    return g_strdup (_ ("Date Range"));

  if (self->server_today != NULL)
    {
      for (TallyDatePreset i = 0; i < TALLY_DATE_PRESET_N_PRESETS; i++)
        {
          g_autofree char *ps = NULL;
          g_autofree char *pe = NULL;

          tally_date_preset_range (i, self->server_today, &ps, &pe);
          if (g_strcmp0 (ps, self->start_date) == 0 && g_strcmp0 (pe, self->end_date) == 0)
            return g_strdup (_ (tally_date_preset_get_title (i)));
        }
    }

  with_year = strncmp (self->start_date, self->end_date, 4) != 0 || (self->server_today != NULL && strncmp (self->start_date, self->server_today, 4) != 0);
  start = format_day (self->start_date, with_year);
  if (strcmp (self->start_date, self->end_date) == 0)
    return g_steal_pointer (&start);
  end = format_day (self->end_date, with_year);

  /* Translators: a range of days, e.g. "Jan 1 – Jan 31" */
  return g_strdup_printf (_ ("%s – %s"), start, end);
}

static void
update_label (TallyDateRangeButton *self)
{
  g_autofree char *label = describe_range (self);
  g_autofree char *tooltip = NULL;

  gtk_label_set_label (self->label, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  if (self->start_date != NULL && self->end_date != NULL)
    {
      g_autofree char *start = format_day (self->start_date, TRUE);
      g_autofree char *end = format_day (self->end_date, TRUE);

      /* Translators: tooltip of the date range button, e.g. "Jan 9, 2026 to Jan 15, 2026 (server days)" */
      tooltip = g_strdup_printf (_ ("%s to %s (server days)"), start, end);
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), tooltip != NULL ? tooltip : _ ("Choose the date range"));
}

static void
select_calendar_day (GtkCalendar *calendar,
                     const char *ymd)
{
  GDate date;
  g_autoptr (GDateTime) dt = NULL;

  if (ymd == NULL || !tally_date_parse (ymd, &date))
    return;

  dt = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date), 12, 0, 0);
  gtk_calendar_select_day (calendar, dt);
}

static char *
calendar_day (GtkCalendar *calendar)
{
  g_autoptr (GDateTime) dt = gtk_calendar_get_date (calendar);

  return g_date_time_format (dt, "%Y-%m-%d");
}

static void
validate_custom (TallyDateRangeButton *self)
{
  g_autofree char *start = calendar_day (self->start_calendar);
  g_autofree char *end = calendar_day (self->end_calendar);
  gboolean ok = strcmp (start, end) <= 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), ok);
  gtk_widget_set_visible (GTK_WIDGET (self->custom_error_label), !ok);
}

static void
popover_show_cb (TallyDateRangeButton *self)
{
  const char *fallback = self->server_today;

  select_calendar_day (self->start_calendar, self->start_date != NULL ? self->start_date : fallback);
  select_calendar_day (self->end_calendar, self->end_date != NULL ? self->end_date : fallback);
  validate_custom (self);
}

static void
apply_clicked_cb (TallyDateRangeButton *self)
{
  g_autofree char *start = calendar_day (self->start_calendar);
  g_autofree char *end = calendar_day (self->end_calendar);

  if (strcmp (start, end) > 0)
    return;

  gtk_popover_popdown (self->popover);
  tally_date_range_button_set_range (self, start, end);
}

static void
preset_row_activated_cb (TallyDateRangeButton *self,
                         GtkListBoxRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "preset-id");

  gtk_popover_popdown (self->popover);
  tally_date_range_button_apply_preset (self, id);
}

static void
preset_action (GtkWidget *widget,
               const char *action_name,
               GVariant *param)
{
  tally_date_range_button_apply_preset (TALLY_DATE_RANGE_BUTTON (widget),
                                        g_variant_get_string (param, NULL));
}

static void
build_popover (TallyDateRangeButton *self)
{
  GtkWidget *box, *label, *calendars, *column, *buttons;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  self->presets_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->presets_list, GTK_SELECTION_NONE);
  gtk_list_box_set_activate_on_single_click (self->presets_list, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->presets_list), "navigation-sidebar");
  for (TallyDatePreset i = 0; i < TALLY_DATE_PRESET_N_PRESETS; i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *row_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *name = gtk_label_new (_ (tally_date_preset_get_title (i)));
      g_autofree char *accel_text = g_strdup_printf ("Alt+%u", i + 1);
      GtkWidget *accel = gtk_label_new (accel_text);

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_widget_set_hexpand (name, TRUE);
      gtk_widget_add_css_class (accel, "dim-label");
      gtk_box_append (GTK_BOX (row_box), name);
      gtk_box_append (GTK_BOX (row_box), accel);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), row_box);
      g_object_set_data (G_OBJECT (row), "preset-id", (gpointer) tally_date_preset_get_id (i));
      gtk_list_box_append (self->presets_list, row);
    }
  g_signal_connect_object (self->presets_list, "row-activated",
                           G_CALLBACK (preset_row_activated_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->presets_list));

  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  label = gtk_label_new (_ ("Custom Range"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_start (label, 6);
  gtk_box_append (GTK_BOX (box), label);

  calendars = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  label = gtk_label_new (_ ("From"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (column), label);
  self->start_calendar = GTK_CALENDAR (gtk_calendar_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->start_calendar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("First day"), -1);
  gtk_box_append (GTK_BOX (column), GTK_WIDGET (self->start_calendar));
  gtk_box_append (GTK_BOX (calendars), column);

  column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  label = gtk_label_new (_ ("To"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (column), label);
  self->end_calendar = GTK_CALENDAR (gtk_calendar_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->end_calendar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Last day"), -1);
  gtk_box_append (GTK_BOX (column), GTK_WIDGET (self->end_calendar));
  gtk_box_append (GTK_BOX (calendars), column);
  gtk_box_append (GTK_BOX (box), calendars);

  g_signal_connect_object (self->start_calendar, "day-selected",
                           G_CALLBACK (validate_custom), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->end_calendar, "day-selected",
                           G_CALLBACK (validate_custom), self, G_CONNECT_SWAPPED);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->custom_error_label = GTK_LABEL (gtk_label_new (_ ("The first day is after the last day")));
  gtk_widget_add_css_class (GTK_WIDGET (self->custom_error_label), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->custom_error_label), "caption");
  gtk_widget_set_hexpand (GTK_WIDGET (self->custom_error_label), TRUE);
  gtk_label_set_xalign (self->custom_error_label, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->custom_error_label), FALSE);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->custom_error_label));
  self->apply_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_ ("_Apply")));
  gtk_widget_set_halign (GTK_WIDGET (self->apply_button), GTK_ALIGN_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->apply_button), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->apply_button), "suggested-action");
  g_signal_connect_object (self->apply_button, "clicked",
                           G_CALLBACK (apply_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->apply_button));
  gtk_box_append (GTK_BOX (box), buttons);

  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_child (self->popover, box);
  g_signal_connect_object (self->popover, "show",
                           G_CALLBACK (popover_show_cb), self, G_CONNECT_SWAPPED);
  gtk_menu_button_set_popover (self->menu_button, GTK_WIDGET (self->popover));
}

static void
tally_date_range_button_dispose (GObject *object)
{
  TallyDateRangeButton *self = (TallyDateRangeButton *) object;

  g_clear_pointer ((GtkWidget **) &self->menu_button, gtk_widget_unparent);

  G_OBJECT_CLASS (tally_date_range_button_parent_class)->dispose (object);
}

static void
tally_date_range_button_finalize (GObject *object)
{
  TallyDateRangeButton *self = (TallyDateRangeButton *) object;

  g_clear_pointer (&self->start_date, g_free);
  g_clear_pointer (&self->end_date, g_free);
  g_clear_pointer (&self->server_today, g_free);

  G_OBJECT_CLASS (tally_date_range_button_parent_class)->finalize (object);
}

static void
tally_date_range_button_get_property (GObject *object,
                                      guint prop_id,
                                      GValue *value,
                                      GParamSpec *pspec)
{
  TallyDateRangeButton *self = TALLY_DATE_RANGE_BUTTON (object);

  switch (prop_id)
    {
      case PROP_START_DATE:
        g_value_set_string (value, self->start_date);
        break;

      case PROP_END_DATE:
        g_value_set_string (value, self->end_date);
        break;

      case PROP_SERVER_TODAY:
        g_value_set_string (value, self->server_today);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_date_range_button_set_property (GObject *object,
                                      guint prop_id,
                                      const GValue *value,
                                      GParamSpec *pspec)
{
  TallyDateRangeButton *self = TALLY_DATE_RANGE_BUTTON (object);
  const char *text = g_value_get_string (value);

  switch (prop_id)
    {
      case PROP_START_DATE:
        /* One date at a time (bindings): keep start <= end by moving the other. */
        if (text == NULL)
          break;
        tally_date_range_button_set_range (self, text,
                                           self->end_date != NULL && strcmp (self->end_date, text) >= 0
                                               ? self->end_date
                                               : text);
        break;

      case PROP_END_DATE:
        if (text == NULL)
          break;
        tally_date_range_button_set_range (self,
                                           self->start_date != NULL && strcmp (self->start_date, text) <= 0
                                               ? self->start_date
                                               : text,
                                           text);
        break;

      case PROP_SERVER_TODAY:
        tally_date_range_button_set_server_today (self, text);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_date_range_button_class_init (TallyDateRangeButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tally_date_range_button_dispose;
  object_class->finalize = tally_date_range_button_finalize;
  object_class->get_property = tally_date_range_button_get_property;
  object_class->set_property = tally_date_range_button_set_property;

  properties[PROP_START_DATE] = g_param_spec_string ("start-date", NULL, NULL, NULL,
                                                     (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_END_DATE] = g_param_spec_string ("end-date", NULL, NULL, NULL,
                                                   (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SERVER_TODAY] = g_param_spec_string ("server-today", NULL, NULL, NULL,
                                                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RANGE_CHANGED] = g_signal_new ("range-changed",
                                         G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "range.preset", "s", preset_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "daterangebutton");
}

static void
tally_date_range_button_init (TallyDateRangeButton *self)
{
  AdwSqueezer *squeezer;

  self->menu_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  self->label = GTK_LABEL (gtk_label_new (NULL));
  /* In a narrow header bar (a phone) the range shows as a calendar icon; the
   * tooltip and the accessible name still give the whole range. */
  squeezer = ADW_SQUEEZER (adw_squeezer_new ());
  adw_squeezer_set_transition_type (squeezer, ADW_SQUEEZER_TRANSITION_TYPE_NONE);
  adw_squeezer_add (squeezer, GTK_WIDGET (self->label));
  adw_squeezer_add (squeezer, gtk_image_new_from_icon_name ("x-office-calendar-symbolic"));
  gtk_menu_button_set_child (self->menu_button, GTK_WIDGET (squeezer));
  gtk_menu_button_set_always_show_arrow (self->menu_button, TRUE);
  gtk_widget_set_parent (GTK_WIDGET (self->menu_button), GTK_WIDGET (self));
  build_popover (self);
  update_label (self);
}

TallyDateRangeButton *
tally_date_range_button_new (void)
{
  return g_object_new (TALLY_TYPE_DATE_RANGE_BUTTON, NULL);
}

const char *
tally_date_range_button_get_start_date (TallyDateRangeButton *self)
{
  g_return_val_if_fail (TALLY_IS_DATE_RANGE_BUTTON (self), NULL);
  return self->start_date;
}

const char *
tally_date_range_button_get_end_date (TallyDateRangeButton *self)
{
  g_return_val_if_fail (TALLY_IS_DATE_RANGE_BUTTON (self), NULL);
  return self->end_date;
}

const char *
tally_date_range_button_get_server_today (TallyDateRangeButton *self)
{
  g_return_val_if_fail (TALLY_IS_DATE_RANGE_BUTTON (self), NULL);
  return self->server_today;
}

void
tally_date_range_button_set_server_today (TallyDateRangeButton *self,
                                          const char *server_today)
{
  g_return_if_fail (TALLY_IS_DATE_RANGE_BUTTON (self));

  if (server_today != NULL && !tally_date_parse (server_today, NULL))
    server_today = NULL;

  if (g_strcmp0 (self->server_today, server_today) == 0)
    return;

  g_free (self->server_today);
  self->server_today = g_strdup (server_today);
  update_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_TODAY]);
}

void
tally_date_range_button_set_range (TallyDateRangeButton *self,
                                   const char *start_date,
                                   const char *end_date)
{
  gboolean changed = FALSE;

  g_return_if_fail (TALLY_IS_DATE_RANGE_BUTTON (self));
  g_return_if_fail (tally_date_parse (start_date, NULL));
  g_return_if_fail (tally_date_parse (end_date, NULL));
  g_return_if_fail (strcmp (start_date, end_date) <= 0);

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (self->start_date, start_date) != 0)
    {
      g_free (self->start_date);
      self->start_date = g_strdup (start_date);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START_DATE]);
      changed = TRUE;
    }
  if (g_strcmp0 (self->end_date, end_date) != 0)
    {
      g_free (self->end_date);
      self->end_date = g_strdup (end_date);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_DATE]);
      changed = TRUE;
    }
  update_label (self);
  g_object_thaw_notify (G_OBJECT (self));

  if (changed)
    g_signal_emit (self, signals[RANGE_CHANGED], 0);
}

gboolean
tally_date_range_button_apply_preset (TallyDateRangeButton *self,
                                      const char *preset_id)
{
  g_return_val_if_fail (TALLY_IS_DATE_RANGE_BUTTON (self), FALSE);

  TallyDatePreset preset;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  if (!tally_date_preset_from_id (preset_id, &preset))
    return FALSE;

  if (self->server_today == NULL)
    return TRUE;

  tally_date_preset_range (preset, self->server_today, &start, &end);
  if (start != NULL && end != NULL)
    tally_date_range_button_set_range (self, start, end);
  return TRUE;
}

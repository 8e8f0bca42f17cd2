/* test-date-range-button.c: the date-range button driven through its popover (needs a display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The button does no I/O: its presets are anchored on "server-today", the
 * day the window takes from the session (test-dashboard-page checks that
 * wiring against the demo server). Here a fixed server day, 2026-03-31 (a
 * Tuesday, the last day of a 31-day month after a 28-day February), makes
 * every preset's dates exact.
 */

#include "config.h"

#include <adwaita.h>

#include "tally-date-range-button.h"
#include "tally-test-gtk-utils.h"
#include "tally-test-utils.h"

#define TODAY "2026-03-31"

typedef struct
{
  GtkWidget *window;
  TallyDateRangeButton *button;
  GString *events; /* what the button emitted, in order */
} Fixture;

static void
notify_cb (TallyDateRangeButton *button,
           GParamSpec *pspec,
           Fixture *f)
{
  g_string_append_printf (f->events, "notify::%s %s..%s; ", pspec->name,
                          tally_date_range_button_get_start_date (button),
                          tally_date_range_button_get_end_date (button));
}

static void
range_changed_cb (TallyDateRangeButton *button,
                  Fixture *f)
{
  g_string_append_printf (f->events, "range-changed %s..%s; ",
                          tally_date_range_button_get_start_date (button),
                          tally_date_range_button_get_end_date (button));
}

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  f->button = tally_date_range_button_new ();
  f->events = g_string_new (NULL);
  g_signal_connect (f->button, "notify::start-date", G_CALLBACK (notify_cb), f);
  g_signal_connect (f->button, "notify::end-date", G_CALLBACK (notify_cb), f);
  g_signal_connect (f->button, "range-changed", G_CALLBACK (range_changed_cb), f);
  tally_test_open_window (&f->window, GTK_WIDGET (f->button));
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  tally_test_close_window (&f->window);
  g_string_free (f->events, TRUE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The events since the last call, then forgets them. The notifies that come
 * together (the dates are set under one g_object_freeze_notify ()) are
 * sorted: GLib does not promise their order. */
static char *
take_events (Fixture *f)
{
  g_auto (GStrv) events = g_strsplit (f->events->str, "; ", -1);
  g_autoptr (GPtrArray) notifies = g_ptr_array_new ();
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; events[i] != NULL; i++)
    {
      if (g_str_has_prefix (events[i], "notify::"))
        {
          g_ptr_array_add (notifies, events[i]);
          continue;
        }
      g_ptr_array_sort (notifies, compare_strings);
      for (guint k = 0; k < notifies->len; k++)
        g_string_append_printf (out, "%s; ", (char *) g_ptr_array_index (notifies, k));
      g_ptr_array_set_size (notifies, 0);
      if (events[i][0] != '\0')
        g_string_append_printf (out, "%s; ", events[i]);
    }
  g_ptr_array_sort (notifies, compare_strings);
  for (guint k = 0; k < notifies->len; k++)
    g_string_append_printf (out, "%s; ", (char *) g_ptr_array_index (notifies, k));

  g_string_truncate (f->events, 0);
  return g_strdup (out->str);
}

static GtkMenuButton *
menu_button (Fixture *f)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (f->button));

  g_assert_true (GTK_IS_MENU_BUTTON (child));
  return GTK_MENU_BUTTON (child);
}

static GtkWidget *
popover (Fixture *f)
{
  GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (menu_button (f)));

  g_assert_nonnull (popover);
  return popover;
}

/* The text on the button itself (not in its popover). */
static const char *
shown_label (Fixture *f)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  tally_test_collect_widgets (GTK_WIDGET (f->button), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_ancestor (g_ptr_array_index (labels, i), GTK_TYPE_POPOVER) == NULL)
      return gtk_label_get_text (g_ptr_array_index (labels, i));

  g_error ("The button shows no label");
  return NULL;
}

static const char *
tooltip (Fixture *f)
{
  return gtk_widget_get_tooltip_text (GTK_WIDGET (menu_button (f)));
}

/* The texts of a row of the popover's preset list, joined with a space. */
static char *
row_text (GtkWidget *row)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  g_autoptr (GString) text = g_string_new (NULL);

  tally_test_collect_widgets (row, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? " " : "", gtk_label_get_text (g_ptr_array_index (labels, i)));

  return g_strdup (text->str);
}

/* Opens the popover and activates the preset row that shows @name, as a
 * click on it does. */
static void
click_preset (Fixture *f,
              const char *name)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();

  gtk_menu_button_popup (menu_button (f));
  g_assert_true (gtk_widget_get_visible (popover (f)));
  tally_test_collect_widgets (popover (f), GTK_TYPE_LIST_BOX_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *text = row_text (g_ptr_array_index (rows, i));

      if (g_str_has_prefix (text, name) && text[strlen (name)] == ' ')
        {
          g_assert_true (gtk_widget_activate (g_ptr_array_index (rows, i)));
          /* the popover closes on a choice */
          g_assert_false (gtk_widget_get_visible (popover (f)));
          return;
        }
    }

  g_error ("No preset row “%s”", name);
}

static GtkCalendar *
calendar (Fixture *f,
          guint index)
{
  g_autoptr (GPtrArray) calendars = g_ptr_array_new ();

  tally_test_collect_widgets (popover (f), GTK_TYPE_CALENDAR, calendars);
  g_assert_cmpuint (calendars->len, ==, 2);
  return g_ptr_array_index (calendars, index);
}

static char *
calendar_day (GtkCalendar *calendar)
{
  g_autoptr (GDateTime) date = gtk_calendar_get_date (calendar);

  return g_date_time_format (date, "%Y-%m-%d");
}

static void
select_day (GtkCalendar *calendar,
            int year,
            int month,
            int day)
{
  g_autoptr (GDateTime) date = g_date_time_new_local (year, month, day, 12, 0, 0);

  gtk_calendar_select_day (calendar, date);
}

static GtkWidget *
apply_button (Fixture *f)
{
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();

  tally_test_collect_widgets (popover (f), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), "_Apply") == 0)
      return g_ptr_array_index (buttons, i);

  g_error ("No Apply button");
  return NULL;
}

/* The label of the custom range's error ("The first day is after the last day"). */
static GtkWidget *
custom_error (Fixture *f)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  tally_test_collect_widgets (popover (f), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), "The first day is after the last day") == 0)
      return g_ptr_array_index (labels, i);

  g_error ("No custom range error label");
  return NULL;
}

static void
assert_range (Fixture *f,
              const char *start,
              const char *end)
{
  g_autofree char *start_property = NULL;
  g_autofree char *end_property = NULL;

  g_assert_cmpstr (tally_date_range_button_get_start_date (f->button), ==, start);
  g_assert_cmpstr (tally_date_range_button_get_end_date (f->button), ==, end);
  g_object_get (f->button, "start-date", &start_property, "end-date", &end_property, NULL);
  g_assert_cmpstr (start_property, ==, start);
  g_assert_cmpstr (end_property, ==, end);
}

/* Nothing set: a generic label, nothing emitted. */
static void
test_unset (Fixture *f,
            gconstpointer data)
{
  g_autofree char *events = NULL;

  g_assert_null (tally_date_range_button_get_start_date (f->button));
  g_assert_null (tally_date_range_button_get_end_date (f->button));
  g_assert_null (tally_date_range_button_get_server_today (f->button));
  g_assert_cmpstr (shown_label (f), ==, "Date Range");
  g_assert_cmpstr (tooltip (f), ==, "Choose the date range");

  /* no server day yet: a known preset is accepted and does nothing */
  g_assert_true (tally_date_range_button_apply_preset (f->button, "last-7-days"));
  g_assert_null (tally_date_range_button_get_start_date (f->button));
  g_assert_false (tally_date_range_button_apply_preset (f->button, "last-8-days"));

  /* a server day that is not a day reads back as unset */
  tally_date_range_button_set_server_today (f->button, "2026-02-30");
  g_assert_null (tally_date_range_button_get_server_today (f->button));
  events = take_events (f);
  g_assert_cmpstr (events, ==, "");
}

/* Each preset row of the popover: its name and shortcut, the exact dates it
 * sets, the label the button shows then, and what it emits. */
static void
test_presets (Fixture *f,
              gconstpointer data)
{
  static const struct
  {
    const char *row;
    const char *start;
    const char *end;
  } presets[] = {
    { "Today Alt+1", TODAY, TODAY },
    { "Yesterday Alt+2", "2026-03-30", "2026-03-30" },
    { "Last 7 Days Alt+3", "2026-03-25", TODAY },
    { "Last 14 Days Alt+4", "2026-03-18", TODAY },
    { "Last 30 Days Alt+5", "2026-03-02", TODAY },
    { "This Month Alt+6", "2026-03-01", TODAY },
    { "Last Month Alt+7", "2026-02-01", "2026-02-28" },
  };
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();

  g_object_set (f->button, "server-today", TODAY, NULL);
  g_assert_cmpstr (tally_date_range_button_get_server_today (f->button), ==, TODAY);
  g_free (take_events (f));

  tally_test_collect_widgets (popover (f), GTK_TYPE_LIST_BOX_ROW, rows);
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (presets));

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      g_autofree char *text = row_text (g_ptr_array_index (rows, i));
      g_autofree char *name = g_strndup (presets[i].row, strrchr (presets[i].row, ' ') - presets[i].row);
      g_autofree char *expected_events = NULL;
      g_autofree char *events = NULL;

      g_test_message ("%s", presets[i].row);
      g_assert_cmpstr (text, ==, presets[i].row);

      click_preset (f, name);
      assert_range (f, presets[i].start, presets[i].end);
      g_assert_cmpstr (shown_label (f), ==, name);

      /* one notify per date that changed, each with both dates in, then
       * one "range-changed" */
      events = take_events (f);
      if (i == 0)
        expected_events = g_strdup_printf ("notify::end-date %s..%s; notify::start-date %s..%s; range-changed %s..%s; ",
                                           presets[i].start, presets[i].end, presets[i].start, presets[i].end,
                                           presets[i].start, presets[i].end);
      else if (g_strcmp0 (presets[i].end, presets[i - 1].end) == 0)
        expected_events = g_strdup_printf ("notify::start-date %s..%s; range-changed %s..%s; ",
                                           presets[i].start, presets[i].end, presets[i].start, presets[i].end);
      else
        expected_events = g_strdup_printf ("notify::end-date %s..%s; notify::start-date %s..%s; range-changed %s..%s; ",
                                           presets[i].start, presets[i].end, presets[i].start, presets[i].end,
                                           presets[i].start, presets[i].end);
      g_assert_cmpstr (events, ==, expected_events);

      /* the same preset again changes nothing and says nothing */
      click_preset (f, name);
      g_free (events);
      events = take_events (f);
      g_assert_cmpstr (events, ==, "");
    }

  g_assert_cmpstr (tooltip (f), ==, "Feb 1, 2026 to Feb 28, 2026 (server days)");
}

/* The "range.preset" action (what the window's Alt+N shortcuts activate). */
static void
test_preset_action (Fixture *f,
                    gconstpointer data)
{
  g_autofree char *events = NULL;

  tally_date_range_button_set_server_today (f->button, TODAY);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->button), "range.preset", "s", "last-14-days"));
  assert_range (f, "2026-03-18", TODAY);
  g_assert_cmpstr (shown_label (f), ==, "Last 14 Days");
  events = take_events (f);
  g_assert_cmpstr (events, ==,
                   "notify::end-date 2026-03-18..2026-03-31; notify::start-date 2026-03-18..2026-03-31; "
                   "range-changed 2026-03-18..2026-03-31; ");

  /* an unknown id leaves the range alone */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->button), "range.preset", "s", "next-week"));
  assert_range (f, "2026-03-18", TODAY);
  g_free (events);
  events = take_events (f);
  g_assert_cmpstr (events, ==, "");
}

/* A custom range through the two calendars and Apply; the label then names
 * the days, with the year when it is not the server's. */
static void
test_custom_range (Fixture *f,
                   gconstpointer data)
{
  g_autofree char *events = NULL;
  g_autofree char *day = NULL;

  tally_date_range_button_set_server_today (f->button, TODAY);
  tally_date_range_button_apply_preset (f->button, "last-7-days");
  g_free (take_events (f));

  /* the calendars open on the current range */
  gtk_menu_button_popup (menu_button (f));
  day = calendar_day (calendar (f, 0));
  g_assert_cmpstr (day, ==, "2026-03-25");
  g_free (day);
  day = calendar_day (calendar (f, 1));
  g_assert_cmpstr (day, ==, TODAY);
  g_assert_true (gtk_widget_get_sensitive (apply_button (f)));
  g_assert_false (gtk_widget_get_visible (custom_error (f)));

  select_day (calendar (f, 0), 2026, 3, 3);
  select_day (calendar (f, 1), 2026, 3, 12);
  g_signal_emit_by_name (apply_button (f), "clicked");
  g_assert_false (gtk_widget_get_visible (popover (f)));
  assert_range (f, "2026-03-03", "2026-03-12");
  g_assert_cmpstr (shown_label (f), ==, "Mar 3 – Mar 12");
  g_assert_cmpstr (tooltip (f), ==, "Mar 3, 2026 to Mar 12, 2026 (server days)");
  events = take_events (f);
  g_assert_cmpstr (events, ==,
                   "notify::end-date 2026-03-03..2026-03-12; notify::start-date 2026-03-03..2026-03-12; "
                   "range-changed 2026-03-03..2026-03-12; ");

  /* one day, not a preset: the day alone */
  gtk_menu_button_popup (menu_button (f));
  select_day (calendar (f, 0), 2026, 3, 5);
  select_day (calendar (f, 1), 2026, 3, 5);
  g_signal_emit_by_name (apply_button (f), "clicked");
  assert_range (f, "2026-03-05", "2026-03-05");
  g_assert_cmpstr (shown_label (f), ==, "Mar 5");

  /* another year than the server's: with the years */
  gtk_menu_button_popup (menu_button (f));
  select_day (calendar (f, 0), 2025, 12, 1);
  select_day (calendar (f, 1), 2025, 12, 31);
  g_signal_emit_by_name (apply_button (f), "clicked");
  assert_range (f, "2025-12-01", "2025-12-31");
  g_assert_cmpstr (shown_label (f), ==, "Dec 1, 2025 – Dec 31, 2025");

  /* across a new year */
  gtk_menu_button_popup (menu_button (f));
  select_day (calendar (f, 0), 2025, 12, 20);
  select_day (calendar (f, 1), 2026, 1, 10);
  g_signal_emit_by_name (apply_button (f), "clicked");
  assert_range (f, "2025-12-20", "2026-01-10");
  g_assert_cmpstr (shown_label (f), ==, "Dec 20, 2025 – Jan 10, 2026");

  /* a range that equals a preset is named by it */
  gtk_menu_button_popup (menu_button (f));
  select_day (calendar (f, 0), 2026, 2, 1);
  select_day (calendar (f, 1), 2026, 2, 28);
  g_signal_emit_by_name (apply_button (f), "clicked");
  g_assert_cmpstr (shown_label (f), ==, "Last Month");
}

/* The first day after the last: Apply is off and the popover says why; the
 * range stays. */
static void
test_custom_reversed (Fixture *f,
                      gconstpointer data)
{
  g_autofree char *events = NULL;

  tally_date_range_button_set_server_today (f->button, TODAY);
  tally_date_range_button_apply_preset (f->button, "this-month");
  g_free (take_events (f));

  gtk_menu_button_popup (menu_button (f));
  select_day (calendar (f, 0), 2026, 3, 20);
  select_day (calendar (f, 1), 2026, 3, 10);
  g_assert_false (gtk_widget_get_sensitive (apply_button (f)));
  g_assert_true (gtk_widget_get_visible (custom_error (f)));
  g_signal_emit_by_name (apply_button (f), "clicked");
  assert_range (f, "2026-03-01", TODAY);
  g_assert_true (gtk_widget_get_visible (popover (f)));

  /* put right again */
  select_day (calendar (f, 1), 2026, 3, 20);
  g_assert_true (gtk_widget_get_sensitive (apply_button (f)));
  g_assert_false (gtk_widget_get_visible (custom_error (f)));
  events = take_events (f);
  g_assert_cmpstr (events, ==, "");

  /* the API refuses a reversed range too */
  g_test_expect_message ("tally-date-range-button", G_LOG_LEVEL_CRITICAL, "*strcmp (start_date, end_date) <= 0*");
  tally_date_range_button_set_range (f->button, "2026-03-20", "2026-03-10");
  g_test_assert_expected_messages ();
  assert_range (f, "2026-03-01", TODAY);
  g_free (events);
  events = take_events (f);
  g_assert_cmpstr (events, ==, "");
}

/* One date at a time (as a property binding sets them): the other date moves
 * so that the first day is never after the last. */
static void
test_properties (Fixture *f,
                 gconstpointer data)
{
  g_autofree char *events = NULL;

  tally_date_range_button_set_range (f->button, "2026-03-10", "2026-03-20");
  g_assert_cmpstr (shown_label (f), ==, "Mar 10 – Mar 20");
  g_free (take_events (f));

  /* (g_object_set () holds the notifies back until it returns, so here
   * "range-changed" comes first) */
  g_object_set (f->button, "start-date", "2026-03-15", NULL);
  assert_range (f, "2026-03-15", "2026-03-20");
  events = take_events (f);
  g_assert_cmpstr (events, ==, "range-changed 2026-03-15..2026-03-20; notify::start-date 2026-03-15..2026-03-20; ");

  g_object_set (f->button, "start-date", "2026-04-02", NULL);
  assert_range (f, "2026-04-02", "2026-04-02");
  g_free (events);
  events = take_events (f);
  g_assert_cmpstr (events, ==,
                   "range-changed 2026-04-02..2026-04-02; "
                   "notify::end-date 2026-04-02..2026-04-02; notify::start-date 2026-04-02..2026-04-02; ");

  g_object_set (f->button, "end-date", "2026-03-01", NULL);
  assert_range (f, "2026-03-01", "2026-03-01");
  g_free (events);
  events = take_events (f);
  g_assert_cmpstr (events, ==,
                   "range-changed 2026-03-01..2026-03-01; "
                   "notify::end-date 2026-03-01..2026-03-01; notify::start-date 2026-03-01..2026-03-01; ");

  /* the same range again: silent */
  tally_date_range_button_set_range (f->button, "2026-03-01", "2026-03-01");
  g_free (events);
  events = take_events (f);
  g_assert_cmpstr (events, ==, "");

  /* the server day changes what the label calls a range */
  tally_date_range_button_set_server_today (f->button, "2026-03-02");
  g_assert_cmpstr (shown_label (f), ==, "Yesterday");
  tally_date_range_button_set_server_today (f->button, "2027-01-05");
  g_assert_cmpstr (shown_label (f), ==, "Mar 1, 2026");
  g_free (events);
  events = take_events (f);
  g_assert_cmpstr (events, ==, "");
}

/* What a screen reader says: the label, on the button that opens the popover. */
static void
test_accessible_label (Fixture *f,
                       gconstpointer data)
{
  tally_date_range_button_set_server_today (f->button, TODAY);
  click_preset (f, "Last 30 Days");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (menu_button (f)), GTK_ACCESSIBLE_PROPERTY_LABEL, "Last 30 Days");

  tally_date_range_button_set_range (f->button, "2026-03-03", "2026-03-12");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (menu_button (f)), GTK_ACCESSIBLE_PROPERTY_LABEL, "Mar 3 – Mar 12");
}

int
main (int argc,
      char *argv[])
{
  tally_test_gtk_init_a11y (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/date-range-button/unset", test_unset);
  ADD ("/date-range-button/presets", test_presets);
  ADD ("/date-range-button/preset-action", test_preset_action);
  ADD ("/date-range-button/custom-range", test_custom_range);
  ADD ("/date-range-button/custom-reversed", test_custom_reversed);
  ADD ("/date-range-button/properties", test_properties);
  ADD ("/date-range-button/accessible-label", test_accessible_label);
#undef ADD

  return g_test_run ();
}

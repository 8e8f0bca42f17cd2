/* tally-updated-label.c: "Updated 10:42", and why a refresh failed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tally-updated-label.h"

char *
tally_updated_text (gint64 updated_at,
                    const TallyServerZone *zone,
                    const char *error)
{
  g_autoptr (GDateTime) when = NULL;
  g_autofree char *time = NULL;

  if (updated_at <= 0)
    return NULL;

  if (zone != NULL)
    {
      gint64 unix_time = updated_at / G_USEC_PER_SEC;
      g_autoptr (GTimeZone) tz = g_time_zone_new_offset (tally_server_zone_get_offset_at (zone, unix_time));
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);

      when = g_date_time_to_timezone (utc, tz);
    }
  else
    {
      when = g_date_time_new_from_unix_local (updated_at / G_USEC_PER_SEC);
    }
  /* Translators: a time of day (strftime), e.g. "10:42" */
  time = g_date_time_format (when, _ ("%H:%M"));
  if (error != NULL)
    /* Translators: the data shown is from 10:42; the last refresh failed with the reason */
    return g_strdup_printf (_ ("Updated %s · Could not refresh: %s"), time, error);

  /* Translators: when the data shown was loaded, e.g. "Updated 10:42" */
  return g_strdup_printf (_ ("Updated %s"), time);
}

void
tally_updated_label_update (GtkLabel *label,
                            gint64 updated_at,
                            const TallyServerZone *zone,
                            const char *error)
{
  g_autofree char *text = tally_updated_text (updated_at, zone, error);

  g_return_if_fail (GTK_IS_LABEL (label));

  /* server text: never markup */
  gtk_label_set_use_markup (label, FALSE);
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), text != NULL ? error : NULL);
  if (text != NULL && error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "warning");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

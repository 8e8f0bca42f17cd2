/* tally-a11y.c: accessibility fixes for GTK 4.8
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-a11y"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tally-a11y.h"

/* "Try the _Demo" → "Try the Demo", "Save __as" → "Save _as". */
static char *
strip_mnemonic (const char *label)
{
  GString *out = g_string_sized_new (strlen (label));

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          p++;
          if (*p == '\0')
            break;
        }
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static void
name_button (GtkButton *button)
{
  const char *label = gtk_button_get_label (button);
  g_autofree char *name = NULL;

  if (label == NULL || !gtk_button_get_use_underline (button))
    return;

  name = strip_mnemonic (label);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* The toggle button a GtkDropDown is focused through. */
static GtkWidget *
drop_down_button (GtkDropDown *drop_down)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (drop_down));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      return child;

  return NULL;
}

static void
name_drop_down (GtkDropDown *drop_down)
{
  GtkWidget *button = drop_down_button (drop_down);
  const char *purpose = gtk_widget_get_tooltip_text (GTK_WIDGET (drop_down));
  gpointer item = gtk_drop_down_get_selected_item (drop_down);
  g_autofree char *name = NULL;

  if (button == NULL || purpose == NULL)
    return;

  /* "Series: Billed Cost" */
  if (GTK_IS_STRING_OBJECT (item))
    name = g_strdup_printf (_ ("%s: %s"), purpose, gtk_string_object_get_string (item));
  else
    name = g_strdup (purpose);

  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

void
tally_a11y_fix_names (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_DROP_DOWN (root) && g_object_get_data (G_OBJECT (root), "tally-a11y-named") == NULL)
    {
      g_object_set_data (G_OBJECT (root), "tally-a11y-named", GINT_TO_POINTER (TRUE));
      name_drop_down (GTK_DROP_DOWN (root));
      g_signal_connect (root, "notify::selected-item", G_CALLBACK (name_drop_down), NULL);
      g_signal_connect (root, "notify::tooltip-text", G_CALLBACK (name_drop_down), NULL);
    }

  if (GTK_IS_BUTTON (root) && gtk_button_get_use_underline (GTK_BUTTON (root)) && g_object_get_data (G_OBJECT (root), "tally-a11y-named") == NULL)
    {
      g_object_set_data (G_OBJECT (root), "tally-a11y-named", GINT_TO_POINTER (TRUE));
      name_button (GTK_BUTTON (root));
      /* a label set later (a busy state, a translation) is named again */
      g_signal_connect (root, "notify::label", G_CALLBACK (name_button), NULL);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    tally_a11y_fix_names (child);
}

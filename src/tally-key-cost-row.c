/* tally-key-cost-row.c: one API key in the dashboard's per-key cost list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-key-cost-row"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-api-key.h"
#include "tally-format.h"
#include "tally-key-cost-row.h"

struct _TallyKeyCostRow
{
  GtkListBoxRow parent_instance;

  TallyKeyCost *cost;
  GtkLabel *name_label;
  GtkLabel *total_label;
  GtkLabel *today_label;
};

G_DEFINE_FINAL_TYPE (TallyKeyCostRow, tally_key_cost_row, GTK_TYPE_LIST_BOX_ROW)

static void
tally_key_cost_row_dispose (GObject *object)
{
  TallyKeyCostRow *self = (TallyKeyCostRow *) object;

  g_clear_object (&self->cost);

  G_OBJECT_CLASS (tally_key_cost_row_parent_class)->dispose (object);
}

static void
tally_key_cost_row_class_init (TallyKeyCostRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tally_key_cost_row_dispose;
}

static void
tally_key_cost_row_init (TallyKeyCostRow *self)
{
}

static GtkLabel *
plain_label (const char *text)
{
  GtkWidget *label = gtk_label_new (NULL);

  /* Server strings are plain text, never markup. */
  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_text (GTK_LABEL (label), text);
  return GTK_LABEL (label);
}

GtkWidget *
tally_key_cost_row_new (TallyKeyCost *cost)
{
  TallyKeyCostRow *self;
  GtkWidget *box, *left, *title_box, *right, *bar;
  g_autofree char *range = NULL;
  g_autofree char *total = NULL;
  g_autofree char *today = NULL;
  g_autofree char *today_caption = NULL;
  g_autofree char *share = NULL;
  g_autofree char *a11y = NULL;
  TallyApiKey *key;

  g_return_val_if_fail (TALLY_IS_KEY_COST (cost), NULL);

  self = g_object_new (TALLY_TYPE_KEY_COST_ROW, NULL);
  self->cost = g_object_ref (cost);
  key = tally_key_cost_get_key (cost);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_hexpand (left, TRUE);
  gtk_widget_set_valign (left, GTK_ALIGN_CENTER);
  title_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->name_label = plain_label (tally_key_cost_get_name (cost));
  gtk_label_set_xalign (self->name_label, 0);
  gtk_label_set_ellipsize (self->name_label, PANGO_ELLIPSIZE_END);
  if (key == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "dim-label");
  gtk_box_append (GTK_BOX (title_box), GTK_WIDGET (self->name_label));
  if (key != NULL && !tally_key_cost_get_active (cost))
    {
      GtkWidget *badge = gtk_label_new (_ ("Disabled"));

      gtk_widget_add_css_class (badge, "caption");
      gtk_widget_add_css_class (badge, "tally-badge");
      gtk_widget_add_css_class (badge, "warning");
      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (title_box), badge);
    }
  gtk_box_append (GTK_BOX (left), title_box);

  bar = gtk_level_bar_new_for_interval (0, 1);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), tally_key_cost_get_share (cost));
  /* One colour for every share: no low/high offsets. */
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_widget_add_css_class (bar, "tally-share-bar");
  gtk_box_append (GTK_BOX (left), bar);
  gtk_box_append (GTK_BOX (box), left);

  right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  /* A fixed column so that the share bars of all rows line up. */
  gtk_widget_set_size_request (right, 180, -1);
  gtk_widget_set_valign (right, GTK_ALIGN_CENTER);
  range = tally_format_cost_styled (tally_key_cost_get_range_actual_cost (cost), tally_number_style_locale ());
  total = tally_format_cost_styled (tally_key_cost_get_total_actual_cost (cost), tally_number_style_locale ());
  self->total_label = plain_label (range);
  gtk_label_set_xalign (self->total_label, 1);
  gtk_widget_add_css_class (GTK_WIDGET (self->total_label), "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (self->total_label), "heading");
  gtk_box_append (GTK_BOX (right), GTK_WIDGET (self->total_label));
  today = tally_format_cost_styled (tally_key_cost_get_today_actual_cost (cost), tally_number_style_locale ());
  share = tally_format_percent_styled (tally_key_cost_get_share (cost), tally_number_style_locale ());
  /* Translators: under a key's cost in the range: its cost today, all time, and its share of the range */
  today_caption = g_strdup_printf (_ ("%s today · %s all time · %s"), today, total, share);
  self->today_label = plain_label (today_caption);
  gtk_label_set_xalign (self->today_label, 1);
  /* three figures: they wrap on a phone rather than widen the list */
  gtk_label_set_wrap (self->today_label, TRUE);
  gtk_label_set_justify (self->today_label, GTK_JUSTIFY_RIGHT);
  gtk_widget_add_css_class (GTK_WIDGET (self->today_label), "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (self->today_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->today_label), "dim-label");
  gtk_box_append (GTK_BOX (right), GTK_WIDGET (self->today_label));
  gtk_box_append (GTK_BOX (box), right);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), key != NULL);
  if (key != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), _ ("Show this key’s usage"));
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), _ ("Usage of keys that were deleted"));

  /* Translators: accessible description of a key row: name, cost in the range, today, all time, share */
  a11y = g_strdup_printf (_ ("%s: %s in the range, %s today, %s all time, %s of the range"),
                          tally_key_cost_get_name (cost), range, today, total, share);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);

  return GTK_WIDGET (self);
}

TallyKeyCost *
tally_key_cost_row_get_cost (TallyKeyCostRow *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_COST_ROW (self), NULL);
  return self->cost;
}

const char *
tally_key_cost_row_get_name_text (TallyKeyCostRow *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_COST_ROW (self), NULL);
  return gtk_label_get_text (self->name_label);
}

const char *
tally_key_cost_row_get_total_text (TallyKeyCostRow *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_COST_ROW (self), NULL);
  return gtk_label_get_text (self->total_label);
}

const char *
tally_key_cost_row_get_today_text (TallyKeyCostRow *self)
{
  g_return_val_if_fail (TALLY_IS_KEY_COST_ROW (self), NULL);
  return gtk_label_get_text (self->today_label);
}

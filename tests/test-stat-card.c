/* test-stat-card.c: TallyStatCard properties, accessibility and plain text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "tally-resources.h"
#include "tally-stat-card.h"
#include "tally-test-gtk-utils.h"

static void
collect_labels (GtkWidget *widget,
                GPtrArray *labels)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child))
        g_ptr_array_add (labels, child);
      collect_labels (child, labels);
    }
}

/* title, value, caption in that order */
static GtkLabel *
get_label (TallyStatCard *card,
           guint index)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  collect_labels (GTK_WIDGET (card), labels);
  g_assert_cmpuint (labels->len, ==, 3);

  return g_ptr_array_index (labels, index);
}

static void
count_notify_cb (GObject *object,
                 GParamSpec *pspec,
                 gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_properties (void)
{
  TallyStatCard *card = TALLY_STAT_CARD (g_object_ref_sink (tally_stat_card_new ()));
  g_autofree char *title = NULL;
  g_autofree char *value = NULL;
  g_autofree char *caption = NULL;
  guint n_value_notify = 0;

  g_signal_connect (card, "notify::value", G_CALLBACK (count_notify_cb), &n_value_notify);

  g_object_set (card,
                "title", "Balance",
                "value", "$1,234.57",
                "caption", "List price $2.00",
                NULL);
  g_object_get (card,
                "title", &title,
                "value", &value,
                "caption", &caption,
                NULL);
  g_assert_cmpstr (title, ==, "Balance");
  g_assert_cmpstr (value, ==, "$1,234.57");
  g_assert_cmpstr (caption, ==, "List price $2.00");
  g_assert_cmpuint (n_value_notify, ==, 1);

  /* Same value: no notification (explicit notify). */
  tally_stat_card_set_value (card, "$1,234.57");
  g_assert_cmpuint (n_value_notify, ==, 1);
  tally_stat_card_set_value (card, "$0.00");
  g_assert_cmpuint (n_value_notify, ==, 2);
  g_assert_cmpstr (tally_stat_card_get_value (card), ==, "$0.00");

  /* The widgets show the properties. */
  g_assert_cmpstr (gtk_label_get_text (get_label (card, 0)), ==, "Balance");
  g_assert_cmpstr (gtk_label_get_text (get_label (card, 1)), ==, "$0.00");
  g_assert_cmpstr (gtk_label_get_text (get_label (card, 2)), ==, "List price $2.00");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (get_label (card, 2))));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (card), "card"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (get_label (card, 1)), "numeric"));

  /* An empty caption hides its line; NULL reads back as "". */
  tally_stat_card_set_caption (card, NULL);
  g_assert_cmpstr (tally_stat_card_get_caption (card), ==, "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (get_label (card, 2))));

  g_assert_finalize_object (card);
}

static void
test_accessible_label (void)
{
  TallyStatCard *card = TALLY_STAT_CARD (g_object_ref_sink (tally_stat_card_new ()));

  tally_stat_card_set_title (card, "Billed Today");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, "Billed Today");

  tally_stat_card_set_value (card, "$12.35");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, "Billed Today: $12.35");

  tally_stat_card_set_title (card, "Balance");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, "Balance: $12.35");

  tally_stat_card_set_caption (card, "List price $20.00");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "List price $20.00");

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_ROLE_GROUP);

  g_assert_finalize_object (card);
}

static void
test_no_markup (void)
{
  TallyStatCard *card = TALLY_STAT_CARD (g_object_ref_sink (tally_stat_card_new ()));

  tally_stat_card_set_title (card, "CI <b>&amp; bot");
  tally_stat_card_set_value (card, "<b>x</b>");
  tally_stat_card_set_caption (card, "<i>a & b</i>");

  for (guint i = 0; i < 3; i++)
    g_assert_false (gtk_label_get_use_markup (get_label (card, i)));

  /* Shown verbatim: with markup the text would be "x". */
  g_assert_cmpstr (gtk_label_get_text (get_label (card, 0)), ==, "CI <b>&amp; bot");
  g_assert_cmpstr (gtk_label_get_text (get_label (card, 1)), ==, "<b>x</b>");
  g_assert_cmpstr (gtk_label_get_label (get_label (card, 1)), ==, "<b>x</b>");
  g_assert_cmpstr (gtk_label_get_text (get_label (card, 2)), ==, "<i>a & b</i>");
  g_assert_cmpstr (tally_stat_card_get_value (card), ==, "<b>x</b>");

  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "CI <b>&amp; bot: <b>x</b>");

  g_assert_finalize_object (card);
}

int
main (int argc,
      char *argv[])
{
  tally_test_gtk_init_a11y (&argc, &argv);

  g_test_add_func ("/stat-card/properties", test_properties);
  g_test_add_func ("/stat-card/accessible-label", test_accessible_label);
  g_test_add_func ("/stat-card/no-markup", test_no_markup);

  return g_test_run ();
}

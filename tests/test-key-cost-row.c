/* test-key-cost-row.c: the dashboard's per-key cost row, for the demo server's keys (needs a display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "tally-api-key.h"
#include "tally-demo-server.h"
#include "tally-key-cost-row.h"
#include "tally-key-cost.h"
#include "tally-session.h"
#include "tally-test-gtk-utils.h"
#include "tally-test-utils.h"

typedef struct
{
  TallyDemoServer *server;
  TallySession *session;
  JsonObject *raw_keys; /* GET /keys as the server sends it: the full sk- secrets */
  GtkWidget *window;
  GtkListBox *list;
  guint n_activated;
} Fixture;

static void
row_activated_cb (GtkListBox *list,
                  GtkListBoxRow *row,
                  Fixture *f)
{
  f->n_activated++;
}

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  g_autofree char *token = NULL;

  f->server = tally_test_start_demo_server (300, 10);
  token = tally_demo_server_issue_token (f->server, 3600);
  f->session = tally_session_new ();
  tally_test_use_token (f->session, tally_demo_server_get_url (f->server), token);
  tally_test_wait_session_idle (f->session);
  f->raw_keys = tally_test_fetch_data (f->session, "/keys?page=1&page_size=100");

  f->list = GTK_LIST_BOX (gtk_list_box_new ());
  g_signal_connect (f->list, "row-activated", G_CALLBACK (row_activated_cb), f);
  tally_test_open_window (&f->window, GTK_WIDGET (f->list));
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  tally_test_close_window (&f->window);
  json_object_unref (f->raw_keys);
  tally_test_end_demo (f->session, f->server);
}

/* The session's key @id, as the client decoded it from /keys. */
static TallyApiKey *
key (Fixture *f,
     gint64 id)
{
  GListModel *keys = tally_session_get_keys (f->session);

  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);

      if (tally_api_key_get_id (key) == id)
        return key; /* the list keeps it */
    }

  g_error ("No key %" G_GINT64_FORMAT, id);
  return NULL;
}

/* A row for @key (NULL: the "deleted keys" row) in the window's list. */
static TallyKeyCostRow *
add_row (Fixture *f,
         TallyApiKey *key,
         double today,
         double total,
         double share)
{
  g_autoptr (TallyKeyCost) cost = tally_key_cost_new (key, today, total, share);
  GtkWidget *row = tally_key_cost_row_new (cost);

  gtk_list_box_append (f->list, row);
  g_assert_true (tally_key_cost_row_get_cost (TALLY_KEY_COST_ROW (row)) == cost);
  return TALLY_KEY_COST_ROW (row);
}

/* The texts of the row's labels, in order, joined with " | ". */
static char *
row_texts (TallyKeyCostRow *row)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  g_autoptr (GString) text = g_string_new (NULL);

  tally_test_collect_widgets (GTK_WIDGET (row), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      /* every label is plain text: what it shows is what it was given */
      g_assert_false (gtk_label_get_use_markup (label));
      g_assert_cmpstr (gtk_label_get_label (label), ==, gtk_label_get_text (label));
      g_string_append_printf (text, "%s%s", i > 0 ? " | " : "", gtk_label_get_text (label));
    }

  return g_strdup (text->str);
}

static GtkWidget *
label_showing (TallyKeyCostRow *row,
               const char *text)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  tally_test_collect_widgets (GTK_WIDGET (row), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
      return g_ptr_array_index (labels, i);

  return NULL;
}

static double
share_bar_value (TallyKeyCostRow *row)
{
  return gtk_level_bar_get_value (GTK_LEVEL_BAR (tally_test_find_widget (GTK_WIDGET (row), GTK_TYPE_LEVEL_BAR)));
}

/* What a screen reader says for the row. (The expected text goes in through
 * a variable: the GTK macro pastes a literal into its printf format.) */
static void
assert_accessible_label (TallyKeyCostRow *row,
                         const char *expected)
{
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
}

/* Activates @row as a click or Enter does; TRUE if the list said so. */
static gboolean
activate_row (Fixture *f,
              TallyKeyCostRow *row)
{
  guint before = f->n_activated;

  gtk_widget_activate (GTK_WIDGET (row));
  return f->n_activated == before + 1;
}

/* An active key that cost something: its name, total, today and share. */
static void
test_with_cost (Fixture *f,
                gconstpointer data)
{
  TallyKeyCostRow *row = add_row (f, key (f, 1), 0.01234, 12.5, 0.25);
  g_autofree char *texts = row_texts (row);

  g_assert_cmpstr (texts, ==, "default | $12.50 | $0.01 today · $12.50 all time · 25.0%");
  g_assert_cmpstr (tally_key_cost_row_get_name_text (row), ==, "default");
  g_assert_cmpstr (tally_key_cost_row_get_total_text (row), ==, "$12.50");
  g_assert_cmpstr (tally_key_cost_row_get_today_text (row), ==, "$0.01 today · $12.50 all time · 25.0%");
  g_assert_cmpfloat (share_bar_value (row), ==, 0.25);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (label_showing (row, "default")), "dim-label"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (row)), ==, "Show this key’s usage");
  assert_accessible_label (row, "default: $12.50 in the range, $0.01 today, $12.50 all time, 25.0% of the range");
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  g_assert_true (activate_row (f, row));
}

/* The range's cost leads; today and all time are the secondary text. */
static void
test_range (Fixture *f,
            gconstpointer data)
{
  g_autoptr (TallyKeyCost) cost = tally_key_cost_new_for_range (key (f, 1), 3.0, 0.01234, 12.5, 0.25);
  GtkWidget *row = tally_key_cost_row_new (cost);
  g_autofree char *texts = NULL;

  gtk_list_box_append (f->list, row);
  texts = row_texts (TALLY_KEY_COST_ROW (row));
  g_assert_cmpstr (texts, ==, "default | $3.00 | $0.01 today · $12.50 all time · 25.0%");
  g_assert_cmpstr (tally_key_cost_row_get_total_text (TALLY_KEY_COST_ROW (row)), ==, "$3.00");
  assert_accessible_label (TALLY_KEY_COST_ROW (row), "default: $3.00 in the range, $0.01 today, $12.50 all time, 25.0% of the range");
}

/* A key that cost nothing yet: zeros, not dashes. */
static void
test_without_cost (Fixture *f,
                   gconstpointer data)
{
  TallyKeyCostRow *row = add_row (f, key (f, 5), 0, 0, 0);
  g_autofree char *texts = row_texts (row);

  g_assert_cmpstr (texts, ==, "gemini-batch | $0.00 | $0.00 today · $0.00 all time · 0.0%");
  g_assert_cmpfloat (share_bar_value (row), ==, 0);
  assert_accessible_label (row, "gemini-batch: $0.00 in the range, $0.00 today, $0.00 all time, 0.0% of the range");
  g_assert_true (activate_row (f, row));
}

/* A disabled key says so with a badge; an active one has none. */
static void
test_disabled (Fixture *f,
               gconstpointer data)
{
  TallyKeyCostRow *inactive = add_row (f, key (f, 4), 0, 1.5, 0.125);
  TallyKeyCostRow *active = add_row (f, key (f, 2), 0.5, 3, 0.5);
  g_autofree char *inactive_texts = row_texts (inactive);
  g_autofree char *active_texts = row_texts (active);
  GtkWidget *badge = label_showing (inactive, "Disabled");

  g_assert_false (tally_api_key_is_active (key (f, 4)));
  g_assert_cmpstr (inactive_texts, ==, "old-laptop (disabled) | Disabled | $1.50 | $0.00 today · $1.50 all time · 12.5%");
  g_assert_nonnull (badge);
  g_assert_true (gtk_widget_has_css_class (badge, "tally-badge"));
  g_assert_true (gtk_widget_has_css_class (badge, "warning"));
  /* still the key's usage to look at */
  g_assert_true (activate_row (f, inactive));

  g_assert_cmpstr (active_texts, ==, "订阅 Claude Max ⚡ | $3.00 | $0.50 today · $3.00 all time · 50.0%");
  g_assert_null (label_showing (active, "Disabled"));
}

/* The usage of keys gone from /keys: one row, dimmed, that leads nowhere. */
static void
test_deleted_keys (Fixture *f,
                   gconstpointer data)
{
  TallyKeyCostRow *row = add_row (f, NULL, 0.000123, 3.25, 0.1);
  g_autofree char *texts = row_texts (row);

  g_assert_cmpstr (texts, ==, "Deleted keys | $3.25 | < $0.01 today · $3.25 all time · 10.0%");
  g_assert_true (gtk_widget_has_css_class (label_showing (row, "Deleted keys"), "dim-label"));
  g_assert_null (label_showing (row, "Disabled"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (row)), ==, "Usage of keys that were deleted");
  assert_accessible_label (row, "Deleted keys: $3.25 in the range, < $0.01 today, $3.25 all time, 10.0% of the range");
  g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  g_assert_false (activate_row (f, row));
  g_assert_cmpuint (f->n_activated, ==, 0);
}

/* Server strings are plain text: a name that looks like markup (and one like
 * a spreadsheet formula) is shown as sent, never interpreted. */
static void
test_plain_text (Fixture *f,
                 gconstpointer data)
{
  TallyKeyCostRow *markup = add_row (f, key (f, 3), 0, 2, 0.2);
  TallyKeyCostRow *formula = add_row (f, key (f, 6), 0, 2, 0.2);
  g_autofree char *markup_texts = row_texts (markup);
  g_autofree char *formula_texts = row_texts (formula);

  g_assert_cmpstr (markup_texts, ==, "CI <b>&amp; bot | $2.00 | $0.00 today · $2.00 all time · 20.0%");
  g_assert_cmpstr (tally_key_cost_row_get_name_text (markup), ==, "CI <b>&amp; bot");
  assert_accessible_label (markup, "CI <b>&amp; bot: $2.00 in the range, $0.00 today, $2.00 all time, 20.0% of the range");
  g_assert_cmpstr (formula_texts, ==, "=cmd|' /C calc'!A0 | $2.00 | $0.00 today · $2.00 all time · 20.0%");
}

/* The server sends every key's full sk- secret in /keys; no row shows any
 * of it, not even the masked form (the row is not where a key is copied). */
static void
test_no_secret (Fixture *f,
                gconstpointer data)
{
  JsonArray *items = json_object_get_array_member (f->raw_keys, "items");
  GListModel *keys = tally_session_get_keys (f->session);

  g_assert_cmpuint (g_list_model_get_n_items (keys), >, 3);
  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr (TallyApiKey) api_key = g_list_model_get_item (keys, i);
      TallyKeyCostRow *row = add_row (f, api_key, 0.25, 10, 0.5);
      g_autofree char *texts = row_texts (row);
      const char *masked = tally_api_key_get_masked_key (api_key);
      const char *secret = NULL;

      for (guint k = 0; k < json_array_get_length (items); k++)
        {
          JsonObject *item = json_array_get_object_element (items, k);

          if (json_object_get_int_member (item, "id") == tally_api_key_get_id (api_key))
            secret = json_object_get_string_member (item, "key");
        }
      g_test_message ("%s", texts);
      g_assert_nonnull (secret);
      g_assert_true (g_str_has_prefix (secret, "sk-"));
      /* the decoder kept only the masked form */
      g_assert_true (g_str_has_prefix (masked, "sk-"));
      g_assert_cmpuint (strlen (masked), <, strlen (secret));
      g_assert_null (strstr (texts, "sk-"));
      g_assert_null (strstr (texts, secret + 3));
      g_assert_null (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (row)), "sk-"));
    }
}

int
main (int argc,
      char *argv[])
{
  tally_test_gtk_init_a11y (&argc, &argv);

  g_test_add ("/key-cost-row/with-cost", Fixture, NULL, fixture_setup, test_with_cost, fixture_teardown);
  g_test_add ("/key-cost-row/range", Fixture, NULL, fixture_setup, test_range, fixture_teardown);
  g_test_add ("/key-cost-row/without-cost", Fixture, NULL, fixture_setup, test_without_cost, fixture_teardown);
  g_test_add ("/key-cost-row/disabled", Fixture, NULL, fixture_setup, test_disabled, fixture_teardown);
  g_test_add ("/key-cost-row/deleted-keys", Fixture, NULL, fixture_setup, test_deleted_keys, fixture_teardown);
  g_test_add ("/key-cost-row/plain-text", Fixture, NULL, fixture_setup, test_plain_text, fixture_teardown);
  g_test_add ("/key-cost-row/no-secret", Fixture, NULL, fixture_setup, test_no_secret, fixture_teardown);

  return g_test_run ();
}

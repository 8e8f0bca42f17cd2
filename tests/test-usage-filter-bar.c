/* test-usage-filter-bar.c: the usage filter bar bound to a TallyUsage, against the demo server (needs a display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "tally-api-key.h"
#include "tally-demo-server.h"
#include "tally-date-range-button.h"
#include "tally-resources.h"
#include "tally-server-time.h"
#include "tally-session.h"
#include "tally-test-gtk-utils.h"
#include "tally-test-utils.h"
#include "tally-usage-filter-bar.h"
#include "tally-usage-query.h"
#include "tally-usage.h"

#define GUARD_SECONDS 20

typedef struct
{
  TallySession *session;
  TallyDemoServer *server; /* the session's demo */
  SoupSession *soup;
  char *token;
  char *today;
  TallyUsage *usage;
  GtkWidget *window;
  TallyUsageFilterBar *bar;
  guint n_query; /* notify::query of the view model */
} Fixture;

/* The bar writes the query: count the view model's notifications of it. */
static void
query_notified (TallyUsage *usage,
                GParamSpec *pspec,
                Fixture *f)
{
  f->n_query++;
}

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  f->session = tally_session_new ();
  tally_test_start_demo (f->session);
  f->server = TALLY_DEMO_SERVER (tally_session_get_demo_backend (f->session));
  f->token = tally_demo_server_issue_token (f->server, 3600);
  f->today = g_strdup (tally_session_get_server_today (f->session));
  f->soup = soup_session_new ();

  f->usage = tally_usage_new (f->session);
  g_signal_connect (f->usage, "notify::query", G_CALLBACK (query_notified), f);

  f->window = gtk_window_new ();
  f->bar = TALLY_USAGE_FILTER_BAR (tally_usage_filter_bar_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->bar));
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  tally_test_spin (20);
  g_assert_null (f->window);
  g_free (f->token);
  g_free (f->today);
  /* the bar held the view model; the view model the session */
  tally_test_assert_finalized (f->usage);
  tally_test_assert_finalized (f->session);
  tally_test_assert_finalized (f->soup);
}

/* The drop-down @name of the bar. */
static GtkDropDown *
dropdown (Fixture *f,
          const char *name)
{
  g_autoptr (GPtrArray) dropdowns = g_ptr_array_new ();

  tally_test_collect_widgets (GTK_WIDGET (f->bar), GTK_TYPE_DROP_DOWN, dropdowns);
  for (guint i = 0; i < dropdowns->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (dropdowns, i);

      if (g_str_equal (gtk_widget_get_name (widget), name))
        return GTK_DROP_DOWN (widget);
    }

  g_error ("The bar has no drop-down %s", name);
  return NULL;
}

static GtkWidget *
range_button (Fixture *f)
{
  return tally_test_find_widget (GTK_WIDGET (f->bar), TALLY_TYPE_DATE_RANGE_BUTTON);
}

/* Every string the drop-down lists, as one "a|b|c" string. */
static char *
dropdown_items (GtkDropDown *dropdown)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GtkStringObject) item = g_list_model_get_item (model, i);

      if (i > 0)
        g_string_append_c (out, '|');
      g_string_append (out, gtk_string_object_get_string (item));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
selected_text (GtkDropDown *dropdown)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);

  g_assert_nonnull (item);
  return gtk_string_object_get_string (item);
}

/* The range of @preset on the server's day. */
static void
preset_range (Fixture *f,
              TallyDatePreset preset,
              TallyUsageQuery *query)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  tally_date_preset_range (preset, f->today, &start, &end);
  g_assert_true (tally_usage_query_set_range (query, start, end, NULL));
}

/* The server's own answer to GET @path (its `data`). */
static JsonObject *
server_data (Fixture *f,
             const char *path)
{
  const char *url = tally_demo_server_get_url (f->server);
  g_autoptr (JsonNode) data = tally_test_fetch_raw (f->soup, url, f->token, "GET", path, NULL);

  return json_node_dup_object (data);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The model drop-down lists more than "All models". */
static gboolean
model_list_filled (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (gtk_drop_down_get_model (dropdown (f, "model-filter"))) > 1;
}

static void
bind_and_wait (Fixture *f)
{
  tally_usage_filter_bar_set_usage (f->bar, f->usage);
  g_assert_true (tally_usage_filter_bar_get_usage (f->bar) == f->usage);
  tally_test_wait_until (model_list_filled, f, 20, GUARD_SECONDS, "the model list");
}

/* The query the bar wrote equals @expected, and the bar wrote once. */
static void
assert_query (Fixture *f,
              const TallyUsageQuery *expected)
{
  g_autofree char *got = tally_usage_query_describe (tally_usage_get_query (f->usage));
  g_autofree char *want = tally_usage_query_describe (expected);

  g_assert_cmpstr (got, ==, want);
  g_assert_true (tally_usage_query_equal (tally_usage_get_query (f->usage), expected));
  g_assert_true (tally_usage_query_equal (tally_session_get_usage_query (f->session), expected));
  g_assert_cmpuint (f->n_query, ==, 1);
  f->n_query = 0;
}

/* The key and model lists are the server's. */
static void
test_lists (Fixture *f,
            gconstpointer data)
{
  g_autoptr (JsonObject) keys = server_data (f, "/keys?page=1&page_size=100");
  g_autoptr (JsonObject) models = NULL;
  g_autoptr (GString) expected_keys = g_string_new ("All keys");
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autoptr (GString) expected_models = g_string_new ("All models");
  g_autoptr (TallyUsageQuery) week = tally_usage_query_new ();
  g_autofree char *models_path = NULL;
  g_autofree char *items = NULL;
  JsonArray *array = json_object_get_array_member (keys, "items");
  JsonArray *model_array;

  bind_and_wait (f);

  g_assert_cmpint (json_object_get_int_member (keys, "total"), ==, json_array_get_length (array));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *key = json_array_get_object_element (array, i);
      const char *name = json_object_get_string_member (key, "name");

      if (name[0] == '\0')
        g_string_append_printf (expected_keys, "|Key #%" G_GINT64_FORMAT, json_object_get_int_member (key, "id"));
      else if (g_strcmp0 (json_object_get_string_member (key, "status"), "active") != 0)
        g_string_append_printf (expected_keys, "|%s (disabled)", name);
      else
        g_string_append_printf (expected_keys, "|%s", name);
    }
  items = dropdown_items (dropdown (f, "key-filter"));
  g_assert_cmpstr (items, ==, expected_keys->str);
  g_assert_cmpuint (json_array_get_length (array), >=, 3);
  g_assert_cmpstr (selected_text (dropdown (f, "key-filter")), ==, "All keys");
  g_clear_pointer (&items, g_free);

  /* the models of the default range (the last 7 days), sorted */
  preset_range (f, TALLY_DATE_PRESET_LAST_7_DAYS, week);
  models_path = g_strdup_printf ("/usage/dashboard/models?start_date=%s&end_date=%s",
                                 tally_usage_query_get_start_date (week), tally_usage_query_get_end_date (week));
  models = server_data (f, models_path);
  model_array = json_object_get_array_member (models, "models");
  for (guint i = 0; i < json_array_get_length (model_array); i++)
    {
      const char *name = json_object_get_string_member (json_array_get_object_element (model_array, i), "model");

      if (name[0] != '\0')
        g_ptr_array_add (names, (gpointer) name);
    }
  g_assert_cmpuint (names->len, >, 1);
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (expected_models, "|%s", (const char *) g_ptr_array_index (names, i));
  items = dropdown_items (dropdown (f, "model-filter"));
  g_assert_cmpstr (items, ==, expected_models->str);
  g_assert_cmpstr (selected_text (dropdown (f, "model-filter")), ==, "All models");
}

/* Each control writes exactly its part of the query; "All" clears it. */
static void
test_controls (Fixture *f,
               gconstpointer data)
{
  g_autoptr (TallyUsageQuery) expected = NULL;
  GListModel *keys;
  g_autoptr (GtkStringObject) model_item = NULL;
  gint64 second_key;

  bind_and_wait (f);
  /* the default range came from the view model, not from the bar */
  expected = tally_usage_query_new ();
  preset_range (f, TALLY_DATE_PRESET_LAST_7_DAYS, expected);
  g_assert_true (tally_usage_query_equal (tally_usage_get_query (f->usage), expected));
  f->n_query = 0;

  /* key: the drop-down's second key */
  keys = tally_usage_get_keys (f->usage);
  {
    g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, 1);

    second_key = tally_api_key_get_id (key);
  }
  gtk_drop_down_set_selected (dropdown (f, "key-filter"), 2);
  tally_usage_query_set_api_key_id (expected, second_key);
  assert_query (f, expected);
  g_assert_cmpint (tally_usage_filter_bar_get_selected_key (f->bar), ==, second_key);

  /* model: the third model of the list */
  g_assert_cmpuint (g_strv_length ((GStrv) tally_usage_get_models (f->usage)), >=, 3);
  model_item = g_list_model_get_item (gtk_drop_down_get_model (dropdown (f, "model-filter")), 3);
  g_assert_nonnull (model_item);
  gtk_drop_down_set_selected (dropdown (f, "model-filter"), 3);
  tally_usage_query_set_model (expected, gtk_string_object_get_string (model_item));
  assert_query (f, expected);
  g_assert_cmpstr (tally_usage_get_models (f->usage)[2], ==, gtk_string_object_get_string (model_item));

  /* stream: Stream, Sync */
  gtk_drop_down_set_selected (dropdown (f, "stream-filter"), 1);
  tally_usage_query_set_stream (expected, TALLY_STREAM_STREAM);
  assert_query (f, expected);
  gtk_drop_down_set_selected (dropdown (f, "stream-filter"), 2);
  tally_usage_query_set_stream (expected, TALLY_STREAM_SYNC);
  assert_query (f, expected);

  /* billing: Balance, Subscription */
  gtk_drop_down_set_selected (dropdown (f, "billing-filter"), 1);
  tally_usage_query_set_billing (expected, TALLY_BILLING_BALANCE);
  assert_query (f, expected);
  gtk_drop_down_set_selected (dropdown (f, "billing-filter"), 2);
  tally_usage_query_set_billing (expected, TALLY_BILLING_SUBSCRIPTION);
  assert_query (f, expected);

  /* range: a preset of the range button, anchored on the server's day */
  g_assert_true (gtk_widget_activate_action (range_button (f), "range.preset", "s", "yesterday"));
  preset_range (f, TALLY_DATE_PRESET_YESTERDAY, expected);
  g_assert_cmpstr (tally_usage_query_get_start_date (expected), ==, tally_usage_query_get_end_date (expected));
  assert_query (f, expected);
  g_assert_true (gtk_widget_activate_action (range_button (f), "range.preset", "s", "last-month"));
  preset_range (f, TALLY_DATE_PRESET_LAST_MONTH, expected);
  assert_query (f, expected);

  /* clearing, control by control */
  gtk_drop_down_set_selected (dropdown (f, "key-filter"), 0);
  tally_usage_query_set_api_key_id (expected, 0);
  assert_query (f, expected);
  gtk_drop_down_set_selected (dropdown (f, "model-filter"), 0);
  tally_usage_query_set_model (expected, NULL);
  assert_query (f, expected);
  gtk_drop_down_set_selected (dropdown (f, "stream-filter"), 0);
  tally_usage_query_set_stream (expected, TALLY_STREAM_ANY);
  assert_query (f, expected);
  gtk_drop_down_set_selected (dropdown (f, "billing-filter"), 0);
  tally_usage_query_set_billing (expected, TALLY_BILLING_ANY);
  assert_query (f, expected);
}

/* A query set elsewhere (the dashboard's "filter by this key") shows in the
 * controls, and the reflection writes nothing back. */
static void
test_reflect (Fixture *f,
              gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = NULL;
  g_autoptr (TallyUsageQuery) cleared = NULL;
  g_autofree char *items = NULL;

  bind_and_wait (f);
  query = tally_usage_query_copy (tally_usage_get_query (f->usage));
  f->n_query = 0;

  tally_usage_query_set_api_key_id (query, 7); /* a deleted key */
  tally_usage_query_set_model (query, "no-such-model");
  tally_usage_query_set_stream (query, TALLY_STREAM_SYNC);
  tally_usage_query_set_billing (query, TALLY_BILLING_BALANCE);
  tally_session_set_usage_query (f->session, query);
  g_assert_cmpuint (f->n_query, ==, 1);
  g_assert_true (tally_usage_query_equal (tally_usage_get_query (f->usage), query));
  g_assert_cmpstr (selected_text (dropdown (f, "key-filter")), ==, "Deleted key #7");
  g_assert_cmpint (tally_usage_filter_bar_get_selected_key (f->bar), ==, 7);
  g_assert_cmpstr (selected_text (dropdown (f, "model-filter")), ==, "no-such-model");
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown (f, "stream-filter")), ==, 2);
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown (f, "billing-filter")), ==, 1);
  items = dropdown_items (dropdown (f, "key-filter"));
  g_assert_true (g_str_has_suffix (items, "|Deleted key #7"));

  /* a cleared filter from elsewhere clears every control */
  cleared = tally_usage_query_new ();
  preset_range (f, TALLY_DATE_PRESET_LAST_7_DAYS, cleared);
  tally_session_set_usage_query (f->session, cleared);
  g_assert_cmpuint (f->n_query, ==, 2);
  g_assert_true (tally_usage_query_equal (tally_usage_get_query (f->usage), cleared));
  g_assert_cmpstr (selected_text (dropdown (f, "key-filter")), ==, "All keys");
  g_assert_cmpstr (selected_text (dropdown (f, "model-filter")), ==, "All models");
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown (f, "stream-filter")), ==, 0);
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown (f, "billing-filter")), ==, 0);

  /* selecting a key as a user would */
  g_assert_true (tally_usage_filter_bar_select_key (f->bar, 3));
  g_assert_cmpint (tally_usage_query_get_api_key_id (tally_usage_get_query (f->usage)), ==, 3);
  g_assert_false (tally_usage_filter_bar_select_key (f->bar, 99));
}

int
main (int argc,
      char *argv[])
{
  /* the bar's template */
  (void) tally_get_resource ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/usage-filter-bar/lists", Fixture, NULL, fixture_setup, test_lists, fixture_teardown);
  g_test_add ("/usage-filter-bar/controls", Fixture, NULL, fixture_setup, test_controls, fixture_teardown);
  g_test_add ("/usage-filter-bar/reflect", Fixture, NULL, fixture_setup, test_reflect, fixture_teardown);

  return g_test_run ();
}

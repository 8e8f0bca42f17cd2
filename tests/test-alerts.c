/* test-alerts.c: TallyAlerts against the demo server in both generations:
 * each alert fires once, the memory file outlives the object, a window
 * that resets (a new window_start) fires again, the server's low-balance
 * threshold wins over the user's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "tally-alerts.h"
#include "tally-budget-store.h"
#include "tally-month-budget.h"
#include "tally-quota-format.h"
#include "tally-subscription.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"

#define ROWS 3000
#define DAY G_GINT64_CONSTANT (86400)
#define SERVER_THRESHOLD 150.0 /* above the demo user's $123.46 */
#define USER_THRESHOLD 200.0

typedef struct
{
  TallySession *session;
  TallyMonthBudget *budget;
  TallyAlerts *alerts;
  GPtrArray *ids; /* of the alerts received, in order */
  GHashTable *titles;
  GHashTable *bodies;
  GHashTable *actions;
  GHashTable *targets;
  guint subscriptions_changes;
} Fixture;

static void
alert_cb (TallyAlerts *alerts,
          const char *id,
          const char *title,
          const char *body,
          const char *action,
          GVariant *target,
          Fixture *fixture)
{
  g_ptr_array_add (fixture->ids, g_strdup (id));
  g_hash_table_insert (fixture->titles, g_strdup (id), g_strdup (title));
  g_hash_table_insert (fixture->bodies, g_strdup (id), g_strdup (body));
  g_hash_table_insert (fixture->actions, g_strdup (id), g_strdup (action));
  g_hash_table_insert (fixture->targets, g_strdup (id), g_variant_print (target, TRUE));
}

static void
subscriptions_cb (Fixture *fixture)
{
  fixture->subscriptions_changes++;
}

static gboolean
loaded (gpointer data)
{
  Fixture *fixture = data;

  return tally_session_get_state (fixture->session) == TALLY_SESSION_STATE_READY
         && !tally_session_get_busy (fixture->session) && !tally_month_budget_get_loading (fixture->budget)
         && tally_month_budget_get_forecast (fixture->budget) != NULL
         && tally_month_budget_get_subscriptions (fixture->budget) != NULL
         && tally_alerts_get_settings_known (fixture->alerts) && fixture->subscriptions_changes > 0;
}

static void
wait_loaded (Fixture *fixture)
{
  tally_test_wait_until (loaded, fixture, 50, 60, "the session, the budget and the alerts");
}

static void
clear_received (Fixture *fixture)
{
  g_ptr_array_set_size (fixture->ids, 0);
  g_hash_table_remove_all (fixture->titles);
  g_hash_table_remove_all (fixture->bodies);
  g_hash_table_remove_all (fixture->actions);
  g_hash_table_remove_all (fixture->targets);
}

static void
new_alerts (Fixture *fixture)
{
  g_clear_object (&fixture->alerts);
  fixture->alerts = tally_alerts_new (fixture->session, fixture->budget);
  g_signal_connect (fixture->alerts, "alert", G_CALLBACK (alert_cb), fixture);
  tally_alerts_set_balance_threshold (fixture->alerts, USER_THRESHOLD);
}

/* A demo session at @now on @generation with its budget and alerts. */
static void
start (Fixture *fixture,
       TallyDemoGeneration generation,
       gint64 now,
       double server_threshold)
{
  TallyDemoServer *server = g_object_new (TALLY_TYPE_DEMO_SERVER, "seed", (guint64) 11, "rows", ROWS, "now", now,
                                          "utc-offset", TALLY_TEST_DEMO_OFFSET, "generation", generation, NULL);

  tally_demo_server_set_balance_low_notify (server, server_threshold);
  fixture->ids = g_ptr_array_new_with_free_func (g_free);
  fixture->titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fixture->bodies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fixture->actions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fixture->targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fixture->session = tally_session_new ();
  tally_test_session_start_demo (fixture->session, server);
  g_object_unref (server);
  fixture->budget = tally_month_budget_new (fixture->session);
  g_signal_connect_swapped (fixture->budget, "notify::subscriptions", G_CALLBACK (subscriptions_cb), fixture);
  new_alerts (fixture);
  wait_loaded (fixture);
}

static void
stop (Fixture *fixture)
{
  g_clear_object (&fixture->alerts);
  g_clear_object (&fixture->budget);
  tally_session_logout (fixture->session);
  tally_test_assert_finalized (g_steal_pointer (&fixture->session));
  g_clear_pointer (&fixture->ids, g_ptr_array_unref);
  g_clear_pointer (&fixture->titles, g_hash_table_unref);
  g_clear_pointer (&fixture->bodies, g_hash_table_unref);
  g_clear_pointer (&fixture->actions, g_hash_table_unref);
  g_clear_pointer (&fixture->targets, g_hash_table_unref);
}

/* Reloads and waits for the new subscriptions. */
static void
reload (Fixture *fixture)
{
  fixture->subscriptions_changes = 0;
  tally_session_reload (fixture->session);
  wait_loaded (fixture);
}

static gint64
window_start (Fixture *fixture,
              gint64 id,
              TallyQuotaPeriod period)
{
  GListModel *list = tally_month_budget_get_subscriptions (fixture->budget);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (TallySubscriptionProgress) progress = g_list_model_get_item (list, i);
      TallyQuotaWindow *window = tally_subscription_progress_get_window (progress, period);

      if (tally_subscription_progress_get_id (progress) == id && window != NULL)
        return g_date_time_to_unix (tally_quota_window_get_window_start (window));
    }
  g_assert_not_reached ();
}

/* g_ptr_array_sort () passes pointers to the elements */
static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The ids received, sorted, one per line. */
static char *
received (Fixture *fixture)
{
  g_autoptr (GPtrArray) sorted = g_ptr_array_new ();

  for (guint i = 0; i < fixture->ids->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (fixture->ids, i));

  g_ptr_array_sort (sorted, compare_strings);
  g_ptr_array_add (sorted, NULL);
  return g_strjoinv ("\n", (char **) sorted->pdata);
}

static char *
expected_ids (Fixture *fixture,
              TallyDemoGeneration generation,
              const char *month,
              double threshold)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_ptr_array_add (ids, g_strdup_printf ("window:1:daily:100:%" G_GINT64_FORMAT,
                                         window_start (fixture, 1, TALLY_QUOTA_DAILY)));
  g_ptr_array_add (ids, g_strdup_printf ("window:1:weekly:80:%" G_GINT64_FORMAT,
                                         window_start (fixture, 1, TALLY_QUOTA_WEEKLY)));
  g_ptr_array_add (ids, g_strconcat ("balance:", g_ascii_formatd (buffer, sizeof buffer, "%.2f", threshold), NULL));
  g_ptr_array_add (ids, g_strdup_printf ("budget:%s", month));
  if (generation == TALLY_DEMO_GENERATION_CURRENT)
    {
      GListModel *keys = tally_session_get_keys (fixture->session);

      for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
        {
          g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
          g_autoptr (GDateTime) now = g_date_time_new_from_unix_utc (tally_session_get_server_now (fixture->session));
          GDateTime *expires_at = tally_api_key_get_expires_at (key);

          if (tally_api_key_get_quota_state (key) == TALLY_QUOTA_STATE_WARNING)
            g_ptr_array_add (ids, g_strdup_printf ("key-quota:%" G_GINT64_FORMAT ":80", tally_api_key_get_id (key)));
          if (expires_at != NULL && g_date_time_difference (expires_at, now) <= 3 * DAY * G_TIME_SPAN_SECOND
              && g_date_time_difference (expires_at, now) > 0)
            g_ptr_array_add (ids, g_strdup_printf ("key-expiry:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                                   tally_api_key_get_id (key), g_date_time_to_unix (expires_at)));
        }
    }
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv ("\n", (char **) ids->pdata);
}

/* "key-expiry:ID:UNIX\n" of key @id (a static buffer) */
static const char *
expiry_id (Fixture *fixture,
           gint64 id)
{
  static char buffer[64];
  GListModel *keys = tally_session_get_keys (fixture->session);

  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);

      if (tally_api_key_get_id (key) == id)
        {
          g_snprintf (buffer, sizeof buffer, "key-expiry:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT "\n", id,
                      g_date_time_to_unix (tally_api_key_get_expires_at (key)));
          return buffer;
        }
    }
  g_assert_not_reached ();
}

static char *
read_memory (void)
{
  g_autofree char *path = tally_alerts_get_path ();
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

static void
reset_memory (void)
{
  g_autofree char *path = tally_alerts_get_path ();

  g_remove (path);
}

static void
test_once_and_reset (gconstpointer data)
{
  TallyDemoGeneration generation = GPOINTER_TO_UINT (data);
  gboolean current = generation == TALLY_DEMO_GENERATION_CURRENT;
  double threshold = current ? SERVER_THRESHOLD : USER_THRESHOLD;
  Fixture fixture = { 0 };
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *daily = NULL;
  g_autofree char *weekly = NULL;
  g_autofree char *key_target = NULL;
  g_autoptr (GError) error = NULL;

  reset_memory ();
  start (&fixture, generation, TALLY_TEST_DEMO_NOW, SERVER_THRESHOLD);
  g_assert_true (tally_month_budget_set_budget (fixture.budget, 1.0, &error));
  g_assert_no_error (error);
  reload (&fixture);

  /* every state the demo has, once */
  expected = expected_ids (&fixture, generation, "2026-01", threshold);
  got = received (&fixture);
  g_assert_cmpstr (got, ==, expected);
  g_assert_cmpuint (fixture.ids->len, ==, current ? 6 : 4);
  daily = g_strdup_printf ("window:1:daily:100:%" G_GINT64_FORMAT, window_start (&fixture, 1, TALLY_QUOTA_DAILY));
  weekly = g_strdup_printf ("window:1:weekly:80:%" G_GINT64_FORMAT, window_start (&fixture, 1, TALLY_QUOTA_WEEKLY));
  g_assert_cmpstr (g_hash_table_lookup (fixture.titles, daily), ==, "Claude Max 订阅: daily window used up");
  g_assert_cmpstr (g_hash_table_lookup (fixture.bodies, daily), ==, "$50.00 of $50.00 · resets in 12 h");
  g_assert_cmpstr (g_hash_table_lookup (fixture.titles, weekly), ==, "Claude Max 订阅: weekly window at 85 %");
  g_assert_cmpstr (g_hash_table_lookup (fixture.actions, daily), ==, "app.show-dashboard");
  g_assert_cmpstr (g_hash_table_lookup (fixture.targets, daily), ==,
                   "{'server': <'demo'>, 'email': <'demo@example.com'>}");
  g_assert_cmpstr (g_hash_table_lookup (fixture.titles, current ? "balance:150.00" : "balance:200.00"), ==,
                   current ? "Balance below $150.00" : "Balance below $200.00");
  g_assert_cmpstr (g_hash_table_lookup (fixture.bodies, current ? "balance:150.00" : "balance:200.00"), ==,
                   "demo@example.com has $123.46 left");
  if (current)
    {
      for (guint i = 0; i < fixture.ids->len; i++)
        if (g_str_has_prefix (g_ptr_array_index (fixture.ids, i), "key-"))
          {
            const char *id = g_ptr_array_index (fixture.ids, i);

            g_assert_cmpstr (g_hash_table_lookup (fixture.actions, id), ==, "app.show-usage");
            g_assert_true (g_str_has_prefix (g_hash_table_lookup (fixture.targets, id), "{'key': <int64 "));
          }
    }

  /* never on every refresh */
  clear_received (&fixture);
  reload (&fixture);
  g_assert_cmpuint (fixture.ids->len, ==, 0);

  /* remembered across a new TallyAlerts (a restart) */
  memory = read_memory ();
  g_assert_nonnull (strstr (memory, "[demo demo@example.com]"));
  g_assert_nonnull (strstr (memory, daily));
  {
    /* a window first seen used up counts its 80 % alert as sent */
    g_autofree char *daily80 = g_strdup_printf ("window:1:daily:80:%" G_GINT64_FORMAT, window_start (&fixture, 1, TALLY_QUOTA_DAILY));

    g_assert_nonnull (strstr (memory, daily80));
  }
  new_alerts (&fixture);
  reload (&fixture);
  g_assert_cmpuint (fixture.ids->len, ==, 0);

  /* the week used up: its 100 alert, once; its 80 one not again */
  g_assert_true (tally_demo_server_set_subscription_usage (
      TALLY_DEMO_SERVER (tally_session_get_demo_backend (fixture.session)), 1, TALLY_QUOTA_WEEKLY, 300.0));
  reload (&fixture);
  g_clear_pointer (&got, g_free);
  got = received (&fixture);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("window:1:weekly:100:%" G_GINT64_FORMAT, window_start (&fixture, 1, TALLY_QUOTA_WEEKLY));
  g_assert_cmpstr (got, ==, expected);
  g_assert_cmpstr (g_hash_table_lookup (fixture.titles, expected), ==, "Claude Max 订阅: weekly window used up");
  clear_received (&fixture);
  reload (&fixture);
  g_assert_cmpuint (fixture.ids->len, ==, 0);
  stop (&fixture);

  /* a day later the daily window has reset (a new window_start): it fires
   * again, the old one is pruned from the file */
  start (&fixture, generation, TALLY_TEST_DEMO_NOW + DAY, SERVER_THRESHOLD);
  g_clear_pointer (&got, g_free);
  got = received (&fixture);
  g_clear_pointer (&memory, g_free);
  memory = read_memory ();
  g_assert_null (strstr (memory, daily));
  g_clear_pointer (&daily, g_free);
  daily = g_strdup_printf ("window:1:daily:100:%" G_GINT64_FORMAT, window_start (&fixture, 1, TALLY_QUOTA_DAILY));
  g_assert_cmpint (window_start (&fixture, 1, TALLY_QUOTA_DAILY), >, 0);
  g_assert_nonnull (strstr (memory, daily));
  g_clear_pointer (&expected, g_free);
  /* the demo's week and the CI key's expiry are anchored to its clock: they
   * moved too; the balance and the month's budget were sent already */
  expected = g_strdup_printf ("%s%s\nwindow:1:weekly:80:%" G_GINT64_FORMAT, current ? expiry_id (&fixture, 3) : "",
                              daily, window_start (&fixture, 1, TALLY_QUOTA_WEEKLY));
  g_assert_cmpstr (got, ==, expected);
  stop (&fixture);
}

int
main (int argc,
      char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("tally-test-alerts-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  int status;

  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_test_init (&argc, &argv, NULL);

  tally_test_add_data_generations ("/alerts", "once-and-reset", test_once_and_reset);

  status = g_test_run ();
  tally_test_remove_tree (dir);
  return status;
}

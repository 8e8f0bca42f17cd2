/* test-dashboard-scope.c: every dashboard figure follows its range (no display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the demo server as today's server and as a December 2025 one, at
 * 10:42 server time on 2026-01-15: the range totals, the comparison with the
 * previous period up to the same hour while the range runs, and every key's
 * cost in the range, each against the server's own answers.
 */

#include "config.h"

#include <math.h>

#include "tally-api-key.h"
#include "tally-client.h"
#include "tally-dashboard.h"
#include "tally-demo-server.h"
#include "tally-key-cost.h"
#include "tally-session.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"
#include "tally-trend-point.h"
#include "tally-trend.h"

#define TODAY "2026-01-15"
/* 2026-01-15T10:42:00+08:00 */
#define NOW (TALLY_TEST_DEMO_NOW - 78 * 60)

typedef struct
{
  TallyTestDemo demo;
  TallySession *session;
  TallyDashboard *dashboard;
} Fixture;

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  TallyDemoGeneration generation = GPOINTER_TO_UINT (data);

  tally_test_demo_start (&f->demo, "seed", (guint64) 7, "rows", 3000, "now", (gint64) NOW,
                         "utc-offset", TALLY_TEST_DEMO_OFFSET, "generation", generation, NULL);
  g_assert_cmpstr (tally_demo_server_get_today (f->demo.server), ==, TODAY);

  f->session = tally_session_new ();
  tally_test_restore_session (f->session, tally_demo_server_get_url (f->demo.server), f->demo.token);

  f->dashboard = tally_dashboard_new (f->session);
  /* the demo's frozen clock (a session restored by token has no backend) */
  tally_dashboard_set_now (f->dashboard, NOW);
  g_assert_cmpint (tally_dashboard_get_now (f->dashboard), ==, NOW);
  tally_test_wait_dashboard (f->dashboard);
  g_assert_null (tally_dashboard_get_last_error (f->dashboard));
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  g_assert_finalize_object (f->dashboard);
  g_assert_finalize_object (g_steal_pointer (&f->demo.client));
  g_assert_finalize_object (f->session);
  tally_test_demo_stop (&f->demo);
}

/* ------------------------------------------------------------ raw figures */

typedef struct
{
  gint64 requests;
  gint64 tokens;
  double cost;
  double actual_cost;
} Raw;

static Raw
raw_stats (Fixture *f,
           const char *start,
           const char *end,
           gint64 key_id)
{
  g_autofree char *path = NULL;
  g_autoptr (JsonNode) node = NULL;
  JsonObject *object;
  Raw raw;

  if (key_id > 0)
    path = g_strdup_printf ("/usage/stats?api_key_id=%" G_GINT64_FORMAT "&start_date=%s&end_date=%s", key_id, start, end);
  else
    path = g_strdup_printf ("/usage/stats?start_date=%s&end_date=%s", start, end);
  node = tally_test_demo_fetch_raw (&f->demo, "GET", path, NULL);
  object = json_node_get_object (node);
  raw.requests = json_object_get_int_member (object, "total_requests");
  raw.tokens = json_object_get_int_member (object, "total_tokens");
  raw.cost = json_object_get_double_member (object, "total_cost");
  raw.actual_cost = json_object_get_double_member (object, "total_actual_cost");
  return raw;
}

/* The sum of the raw hourly trend of [start, end] with label in [from, before). */
static Raw
raw_hours (Fixture *f,
           const char *start,
           const char *end,
           const char *from,
           const char *before)
{
  g_autofree char *path = g_strdup_printf ("/usage/dashboard/trend?start_date=%s&end_date=%s&granularity=hour", start, end);
  g_autoptr (JsonNode) node = tally_test_demo_fetch_raw (&f->demo, "GET", path, NULL);
  JsonArray *trend = json_object_get_array_member (json_node_get_object (node), "trend");
  Raw raw = { 0 };

  for (guint i = 0; i < json_array_get_length (trend); i++)
    {
      JsonObject *point = json_array_get_object_element (trend, i);
      const char *date = json_object_get_string_member (point, "date");

      if (strcmp (date, from) < 0 || strcmp (date, before) >= 0)
        continue;
      raw.requests += json_object_get_int_member (point, "requests");
      raw.tokens += json_object_get_int_member (point, "total_tokens");
      raw.cost += json_object_get_double_member (point, "cost");
      raw.actual_cost += json_object_get_double_member (point, "actual_cost");
    }
  return raw;
}

static void
assert_totals (const TallyPeriodTotals *totals,
               Raw raw,
               int n_days)
{
  g_assert_nonnull (totals);
  g_assert_cmpint (raw.requests, >, 0);
  g_assert_cmpint (totals->requests, ==, raw.requests);
  g_assert_cmpint (totals->total_tokens, ==, raw.tokens);
  /* sums of the server's buckets against its own decimal sum (API.md §5.3) */
  g_assert_cmpfloat_with_epsilon (totals->actual_cost, raw.actual_cost, 1e-9);
  g_assert_cmpfloat_with_epsilon (totals->cost, raw.cost, 1e-9);
  g_assert_cmpint (totals->n_days, ==, n_days);
}

/* Every key's cost in the range equals the server's per-key stats; the
 * "deleted keys" row is the rest of the range's total. */
static void
assert_key_costs (Fixture *f,
                  const char *start,
                  const char *end,
                  gboolean deleted_used)
{
  GListModel *costs = tally_dashboard_get_key_costs (f->dashboard);
  guint n_keys = g_list_model_get_n_items (tally_session_get_keys (f->session));
  Raw all = raw_stats (f, start, end, 0);
  double sum = 0, previous = G_MAXDOUBLE;

  g_assert_cmpuint (g_list_model_get_n_items (costs), ==, n_keys + 1);
  for (guint i = 0; i < n_keys; i++)
    {
      g_autoptr (TallyKeyCost) row = g_list_model_get_item (costs, i);
      Raw raw = raw_stats (f, start, end, tally_key_cost_get_key_id (row));

      g_assert_false (tally_key_cost_get_deleted (row));
      g_assert_cmpfloat (tally_key_cost_get_range_actual_cost (row), ==, raw.actual_cost);
      g_assert_cmpfloat (tally_key_cost_get_range_actual_cost (row), <=, previous);
      g_assert_cmpfloat_with_epsilon (tally_key_cost_get_share (row), raw.actual_cost / all.actual_cost, 1e-9);
      previous = raw.actual_cost;
      sum += raw.actual_cost;
    }
  g_assert_cmpfloat (sum, >, 0);

  {
    g_autoptr (TallyKeyCost) deleted = g_list_model_get_item (costs, n_keys);

    /* the demo's deleted key was used before it was deleted (all time) */
    g_assert_true (tally_key_cost_get_deleted (deleted));
    if (deleted_used)
      g_assert_cmpfloat (all.actual_cost - sum, >, 1e-6);
    else
      g_assert_cmpfloat (fabs (all.actual_cost - sum), <, 1e-9);
    g_assert_cmpfloat_with_epsilon (tally_key_cost_get_range_actual_cost (deleted), MAX (all.actual_cost - sum, 0), 1e-9);
  }
}

/* ------------------------------------------------------------------ tests */

/* The default range, the last 7 days, runs at 10:42: it is compared with
 * 2026-01-02 … 2026-01-08, both up to 10:00 of their last day. */
static void
test_last_7_days (Fixture *f,
                  gconstpointer data)
{
  g_assert_cmpstr (tally_dashboard_get_loaded_start_date (f->dashboard), ==, "2026-01-09");
  g_assert_cmpstr (tally_dashboard_get_loaded_end_date (f->dashboard), ==, TODAY);
  g_assert_cmpstr (tally_dashboard_get_previous_start_date (f->dashboard), ==, "2026-01-02");
  g_assert_cmpstr (tally_dashboard_get_previous_end_date (f->dashboard), ==, "2026-01-08");
  g_assert_cmpstr (tally_dashboard_get_compare_until (f->dashboard), ==, "10:00");

  assert_totals (tally_dashboard_get_range_totals (f->dashboard), raw_stats (f, "2026-01-09", TODAY, 0), 7);
  assert_totals (tally_dashboard_get_compared_totals (f->dashboard),
                 raw_hours (f, "2026-01-02", TODAY, "2026-01-09 00:00", "2026-01-15 10:00"), 7);
  assert_totals (tally_dashboard_get_previous_totals (f->dashboard),
                 raw_hours (f, "2026-01-02", TODAY, "2026-01-02 00:00", "2026-01-08 10:00"), 7);
  /* the compared side stops before the running hour: less than the range */
  g_assert_cmpint (tally_dashboard_get_compared_totals (f->dashboard)->requests, <,
                   tally_dashboard_get_range_totals (f->dashboard)->requests);

  assert_key_costs (f, "2026-01-09", TODAY, FALSE);
}

/* Today at 10:42 against yesterday 00:00–10:00; the keys' costs are the
 * batch call's today figures (no per-key calls). */
static void
test_today (Fixture *f,
            gconstpointer data)
{
  tally_demo_server_reset_request_counts (f->demo.server);
  tally_dashboard_set_range (f->dashboard, TODAY, TODAY);
  tally_test_wait_dashboard (f->dashboard);
  g_assert_null (tally_dashboard_get_last_error (f->dashboard));

  /* one hourly trend (today and yesterday), the models, the batch call */
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/trend"), ==, 1);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/models"), ==, 1);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/api-keys-usage"), ==, 1);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/stats"), ==, 0);

  g_assert_cmpstr (tally_dashboard_get_compare_until (f->dashboard), ==, "10:00");
  g_assert_cmpstr (tally_dashboard_get_previous_start_date (f->dashboard), ==, "2026-01-14");
  assert_totals (tally_dashboard_get_range_totals (f->dashboard), raw_stats (f, TODAY, TODAY, 0), 1);
  assert_totals (tally_dashboard_get_compared_totals (f->dashboard),
                 raw_hours (f, "2026-01-14", TODAY, "2026-01-15 00:00", "2026-01-15 10:00"), 1);
  assert_totals (tally_dashboard_get_previous_totals (f->dashboard),
                 raw_hours (f, "2026-01-14", TODAY, "2026-01-14 00:00", "2026-01-14 10:00"), 1);

  assert_key_costs (f, TODAY, TODAY, FALSE);
}

/* A finished range: whole periods, no hourly trend; one stats call a key. */
static void
test_past_range (Fixture *f,
                 gconstpointer data)
{
  guint n_keys = g_list_model_get_n_items (tally_session_get_keys (f->session));

  tally_demo_server_reset_request_counts (f->demo.server);
  tally_dashboard_set_range (f->dashboard, "2025-12-01", "2025-12-10");
  tally_test_wait_dashboard (f->dashboard);
  g_assert_null (tally_dashboard_get_last_error (f->dashboard));

  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/trend"), ==, 1);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/stats"), ==, n_keys);

  g_assert_null (tally_dashboard_get_compare_until (f->dashboard));
  g_assert_cmpstr (tally_dashboard_get_previous_start_date (f->dashboard), ==, "2025-11-21");
  g_assert_cmpstr (tally_dashboard_get_previous_end_date (f->dashboard), ==, "2025-11-30");
  assert_totals (tally_dashboard_get_range_totals (f->dashboard), raw_stats (f, "2025-12-01", "2025-12-10", 0), 10);
  assert_totals (tally_dashboard_get_compared_totals (f->dashboard), raw_stats (f, "2025-12-01", "2025-12-10", 0), 10);
  assert_totals (tally_dashboard_get_previous_totals (f->dashboard), raw_stats (f, "2025-11-21", "2025-11-30", 0), 10);

  assert_key_costs (f, "2025-12-01", "2025-12-10", TRUE);
}

/* Without a "now" of its own the dashboard follows the session's clock:
 * ours plus the Date header's skew (the demo stamps our clock), so the
 * demo's January range is over. */
static void
test_session_clock (Fixture *f,
                    gconstpointer data)
{
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  tally_dashboard_set_now (f->dashboard, 0);
  g_assert_cmpint (tally_dashboard_get_now (f->dashboard), >=, before - 2);
  g_assert_cmpint (tally_dashboard_get_now (f->dashboard), <=, g_get_real_time () / G_USEC_PER_SEC + 2);
  tally_dashboard_reload (f->dashboard);
  tally_test_wait_dashboard (f->dashboard);
  g_assert_null (tally_dashboard_get_compare_until (f->dashboard));
  assert_totals (tally_dashboard_get_previous_totals (f->dashboard), raw_stats (f, "2026-01-02", "2026-01-08", 0), 7);
}

#define add(name, func) TALLY_TEST_ADD_GENERATIONS ("/dashboard-scope", name, Fixture, fixture_setup, func, fixture_teardown)

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add ("last-7-days", test_last_7_days);
  add ("today", test_today);
  add ("past-range", test_past_range);
  add ("session-clock", test_session_clock);

  return g_test_run ();
}

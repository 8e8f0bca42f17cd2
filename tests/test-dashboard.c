/* test-dashboard.c: TallyDashboard against the in-process demo server (no display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "tally-api-key.h"
#include "tally-client.h"
#include "tally-dashboard-stats.h"
#include "tally-dashboard.h"
#include "tally-demo-server.h"
#include "tally-key-cost.h"
#include "tally-key-usage.h"
#include "tally-model-breakdown.h"
#include "tally-model-stat.h"
#include "tally-server-time.h"
#include "tally-session.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"
#include "tally-trend-point.h"
#include "tally-trend.h"

#define GUARD_SECONDS 20
#define TODAY "2026-01-15"

typedef struct
{
  TallyTestDemo demo; /* its client is a second one, for the reference figures */
  TallySession *session;
} Fixture;

static gboolean
dashboard_idle (gpointer data)
{
  TallyDashboard *dashboard = data;

  return !tally_dashboard_get_busy (dashboard) && !tally_session_get_busy (tally_dashboard_get_session (dashboard));
}

static void
wait_idle (TallyDashboard *dashboard)
{
  /* Let queued idles run first. */
  tally_test_spin (10);
  tally_test_wait_until (dashboard_idle, dashboard, 20, GUARD_SECONDS, "the dashboard");
}

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  tally_test_demo_start_pinned (&f->demo, 7, 3000, TALLY_DEMO_GENERATION_CURRENT);
  g_assert_cmpstr (tally_demo_server_get_today (f->demo.server), ==, TODAY);

  f->session = tally_session_new ();
  g_setenv ("TALLY_TOKEN", f->demo.token, TRUE);
  tally_session_restore_async (f->session, tally_demo_server_get_url (f->demo.server),
                               NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_unsetenv ("TALLY_TOKEN");
  g_assert_true (tally_session_restore_finish (f->session, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tally_session_get_server_today (f->session), ==, TODAY);
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  g_assert_finalize_object (g_steal_pointer (&f->demo.client));
  g_assert_finalize_object (f->session);
  tally_test_demo_stop (&f->demo);
}

static TallyTrend *
raw_trend (Fixture *f,
           const char *start,
           const char *end,
           TallyGranularity granularity)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  TallyTrend *trend;

  tally_client_get_trend_async (f->demo.client, start, end, granularity, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  trend = tally_client_get_trend_finish (f->demo.client, result, &error);
  g_assert_no_error (error);
  return trend;
}

/* Every point of @model equals the raw point with the same label, or is zero. */
static void
assert_trend_matches (GListModel *model,
                      TallyTrend *raw,
                      guint expected_points,
                      const char *first_label,
                      const char *last_label)
{
  GListModel *raw_points = tally_trend_get_points (raw);
  guint matched = 0;

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected_points);
  for (guint i = 0; i < expected_points; i++)
    {
      g_autoptr (TallyTrendPoint) point = g_list_model_get_item (model, i);
      const char *label = tally_trend_point_get_date (point);
      gboolean found = FALSE;

      if (i == 0)
        g_assert_cmpstr (label, ==, first_label);
      if (i == expected_points - 1)
        g_assert_cmpstr (label, ==, last_label);

      for (guint j = 0; j < g_list_model_get_n_items (raw_points); j++)
        {
          g_autoptr (TallyTrendPoint) rp = g_list_model_get_item (raw_points, j);

          if (g_strcmp0 (tally_trend_point_get_date (rp), label) != 0)
            continue;
          found = TRUE;
          matched++;
          g_assert_cmpint (tally_trend_point_get_requests (point), ==, tally_trend_point_get_requests (rp));
          g_assert_cmpint (tally_trend_point_get_total_tokens (point), ==, tally_trend_point_get_total_tokens (rp));
          g_assert_cmpint (tally_trend_point_get_cache_tokens (point), ==, tally_trend_point_get_cache_tokens (rp));
          g_assert_cmpfloat (tally_trend_point_get_actual_cost (point), ==, tally_trend_point_get_actual_cost (rp));
          g_assert_cmpfloat (tally_trend_point_get_cost (point), ==, tally_trend_point_get_cost (rp));
        }
      if (!found)
        {
          g_assert_cmpint (tally_trend_point_get_requests (point), ==, 0);
          g_assert_cmpfloat (tally_trend_point_get_actual_cost (point), ==, 0);
        }
    }
  /* The demo has usage on most days/hours of the range. */
  g_assert_cmpuint (matched, >, 0);
  g_assert_cmpuint (matched, ==, g_list_model_get_n_items (raw_points) > expected_points ? matched : g_list_model_get_n_items (raw_points));
}

static void
sum_raw (TallyTrend *raw,
         const char *start,
         const char *end,
         gint64 *requests,
         gint64 *tokens,
         double *actual_cost)
{
  GListModel *points = tally_trend_get_points (raw);

  *requests = 0;
  *tokens = 0;
  *actual_cost = 0;
  for (guint i = 0; i < g_list_model_get_n_items (points); i++)
    {
      g_autoptr (TallyTrendPoint) p = g_list_model_get_item (points, i);
      const char *date = tally_trend_point_get_date (p);

      if (strncmp (date, start, 10) < 0 || strncmp (date, end, 10) > 0)
        continue;
      *requests += tally_trend_point_get_requests (p);
      *tokens += tally_trend_point_get_total_tokens (p);
      *actual_cost += tally_trend_point_get_actual_cost (p);
    }
}

static void
test_default_range (Fixture *f,
                    gconstpointer data)
{
  TallyDashboard *dashboard = tally_dashboard_new (f->session);
  g_autoptr (TallyTrend) raw = NULL;
  g_autoptr (TallyTrend) raw_previous = NULL;
  g_autoptr (TallyModelBreakdown) models = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  const TallyPeriodTotals *totals, *previous, *yesterday;
  GAsyncResult *slot = NULL;
  GListModel *got_models;
  gint64 requests, tokens;
  double cost;

  tally_demo_server_reset_request_counts (f->demo.server);
  g_assert_cmpstr (tally_dashboard_get_start_date (dashboard), ==, "2026-01-09");
  g_assert_cmpstr (tally_dashboard_get_end_date (dashboard), ==, TODAY);
  wait_idle (dashboard);
  g_assert_null (tally_dashboard_get_last_error (dashboard));
  g_assert_cmpint (tally_dashboard_get_granularity (dashboard), ==, TALLY_GRANULARITY_DAY);
  g_assert_cmpstr (tally_dashboard_get_loaded_start_date (dashboard), ==, "2026-01-09");
  g_assert_cmpstr (tally_dashboard_get_loaded_end_date (dashboard), ==, TODAY);

  /* The session's default trend covers the range: no second trend request;
   * the previous 7 days come from one /usage/stats, the keys' range costs
   * from one each (the keys with usage: all but none of the demo's).
   * The session's clock (ours) is past the range: it is not running. */
  g_assert_null (tally_dashboard_get_compare_until (dashboard));
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/trend"), ==, 0);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/models"), ==, 1);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/api-keys-usage"), ==, 1);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/stats"), ==,
                    1 + g_list_model_get_n_items (tally_session_get_keys (f->session)));

  raw = raw_trend (f, "2026-01-09", TODAY, TALLY_GRANULARITY_DAY);
  assert_trend_matches (tally_dashboard_get_trend (dashboard), raw, 7, "2026-01-09", TODAY);

  /* Models equal the raw endpoint, in its order. */
  tally_client_get_model_stats_async (f->demo.client, "2026-01-09", TODAY, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  models = tally_client_get_model_stats_finish (f->demo.client, result, &error);
  g_assert_no_error (error);
  got_models = tally_dashboard_get_models (dashboard);
  g_assert_cmpuint (g_list_model_get_n_items (got_models), ==,
                    g_list_model_get_n_items (tally_model_breakdown_get_models (models)));
  g_assert_cmpuint (g_list_model_get_n_items (got_models), >, 2);
  for (guint i = 0; i < g_list_model_get_n_items (got_models); i++)
    {
      g_autoptr (TallyModelStat) a = g_list_model_get_item (got_models, i);
      g_autoptr (TallyModelStat) b = g_list_model_get_item (tally_model_breakdown_get_models (models), i);

      g_assert_cmpstr (tally_model_stat_get_model (a), ==, tally_model_stat_get_model (b));
      g_assert_cmpint (tally_model_stat_get_total_tokens (a), ==, tally_model_stat_get_total_tokens (b));
      g_assert_cmpfloat (tally_model_stat_get_actual_cost (a), ==, tally_model_stat_get_actual_cost (b));
    }

  /* Range totals and the previous 7 days against a raw 14-day trend. */
  raw_previous = raw_trend (f, "2026-01-02", TODAY, TALLY_GRANULARITY_DAY);
  totals = tally_dashboard_get_range_totals (dashboard);
  previous = tally_dashboard_get_previous_totals (dashboard);
  g_assert_nonnull (totals);
  g_assert_nonnull (previous);
  sum_raw (raw_previous, "2026-01-09", TODAY, &requests, &tokens, &cost);
  g_assert_cmpint (totals->requests, ==, requests);
  g_assert_cmpint (totals->total_tokens, ==, tokens);
  g_assert_cmpfloat_with_epsilon (totals->actual_cost, cost, 1e-9);
  g_assert_cmpint (totals->n_days, ==, 7);
  sum_raw (raw_previous, "2026-01-02", "2026-01-08", &requests, &tokens, &cost);
  g_assert_cmpint (requests, >, 0);
  g_assert_cmpint (previous->requests, ==, requests);
  g_assert_cmpint (previous->total_tokens, ==, tokens);
  g_assert_cmpfloat_with_epsilon (previous->actual_cost, cost, 1e-9);
  g_assert_cmpint (previous->n_days, ==, 7);
  g_assert_cmpfloat_with_epsilon (tally_change_fraction (totals->actual_cost, previous->actual_cost),
                                  (totals->actual_cost - cost) / cost, 1e-12);

  yesterday = tally_dashboard_get_yesterday_totals (dashboard);
  g_assert_nonnull (yesterday);
  sum_raw (raw_previous, "2026-01-14", "2026-01-14", &requests, &tokens, &cost);
  g_assert_cmpint (yesterday->requests, ==, requests);
  g_assert_cmpfloat_with_epsilon (yesterday->actual_cost, cost, 1e-9);

  g_assert_finalize_object (dashboard);
}

static void
test_key_costs (Fixture *f,
                gconstpointer data)
{
  TallyDashboard *dashboard = tally_dashboard_new (f->session);
  GListModel *keys = tally_session_get_keys (f->session);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GListModel) usage = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  TallyDashboardStats *stats = tally_session_get_dashboard_stats (f->session);
  GListModel *costs;
  GAsyncResult *slot = NULL;
  gboolean saw_inactive = FALSE;
  double sum = 0, previous_total = G_MAXDOUBLE;
  guint n_keys = g_list_model_get_n_items (keys);

  wait_idle (dashboard);

  for (guint i = 0; i < n_keys; i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
      gint64 id = tally_api_key_get_id (key);

      g_array_append_val (ids, id);
    }
  tally_client_get_keys_usage_async (f->demo.client, (gint64 *) (gpointer) ids->data, ids->len, NULL,
                                     tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  usage = tally_client_get_keys_usage_finish (f->demo.client, result, &error);
  g_assert_no_error (error);

  costs = tally_dashboard_get_key_costs (dashboard);
  g_assert_cmpuint (n_keys, >=, 5);
  /* Every key plus the "deleted keys" row (key 7 of the demo is deleted). */
  g_assert_cmpuint (g_list_model_get_n_items (costs), ==, n_keys + 1);

  for (guint i = 0; i < n_keys; i++)
    {
      g_autoptr (TallyKeyCost) row = g_list_model_get_item (costs, i);
      gboolean found = FALSE;

      g_assert_false (tally_key_cost_get_deleted (row));
      g_assert_nonnull (tally_key_cost_get_key (row));
      g_assert_cmpfloat (tally_key_cost_get_range_actual_cost (row), <=, previous_total);
      previous_total = tally_key_cost_get_range_actual_cost (row);
      sum += tally_key_cost_get_total_actual_cost (row);
      if (!tally_key_cost_get_active (row))
        {
          saw_inactive = TRUE;
          g_assert_cmpstr (tally_key_cost_get_status (row), !=, "active");
        }
      g_assert_cmpstr (tally_key_cost_get_name (row), ==, tally_api_key_get_name (tally_key_cost_get_key (row)));

      for (guint j = 0; j < g_list_model_get_n_items (usage); j++)
        {
          g_autoptr (TallyKeyUsage) u = g_list_model_get_item (usage, j);

          if (tally_key_usage_get_api_key_id (u) != tally_key_cost_get_key_id (row))
            continue;
          found = TRUE;
          g_assert_cmpfloat (tally_key_cost_get_total_actual_cost (row), ==, tally_key_usage_get_total_actual_cost (u));
          g_assert_cmpfloat (tally_key_cost_get_today_actual_cost (row), ==, tally_key_usage_get_today_actual_cost (u));
        }
      g_assert_true (found);
    }
  g_assert_true (saw_inactive);

  {
    g_autoptr (TallyKeyCost) deleted = g_list_model_get_item (costs, n_keys);
    double expected = tally_dashboard_stats_get_total_actual_cost (stats) - sum;

    g_assert_true (tally_key_cost_get_deleted (deleted));
    g_assert_null (tally_key_cost_get_key (deleted));
    g_assert_cmpint (tally_key_cost_get_key_id (deleted), ==, 0);
    g_assert_cmpfloat (expected, >, 0);
    g_assert_cmpfloat_with_epsilon (tally_key_cost_get_total_actual_cost (deleted), expected, 1e-9);
    /* its share is of the range (test-dashboard-scope.c checks the range figures) */
    g_assert_cmpfloat_with_epsilon (tally_key_cost_get_share (deleted),
                                    tally_key_cost_get_range_actual_cost (deleted) / tally_dashboard_get_range_totals (dashboard)->actual_cost,
                                    1e-9);
  }

  g_assert_finalize_object (dashboard);
}

static void
record_trend_cb (TallyDashboard *dashboard,
                 GParamSpec *pspec,
                 GPtrArray *seen)
{
  GListModel *trend = tally_dashboard_get_trend (dashboard);

  if (trend != NULL && g_list_model_get_n_items (trend) > 0)
    {
      g_autoptr (TallyTrendPoint) first = g_list_model_get_item (trend, 0);

      g_ptr_array_add (seen, g_strdup (tally_trend_point_get_date (first)));
    }
}

static void
test_range_twice (Fixture *f,
                  gconstpointer data)
{
  TallyDashboard *dashboard = tally_dashboard_new (f->session);
  g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (TallyTrend) raw = NULL;
  guint trend_requests;

  wait_idle (dashboard);
  g_signal_connect (dashboard, "notify::trend", G_CALLBACK (record_trend_cb), seen);

  tally_demo_server_set_delay (f->demo.server, 200);
  tally_demo_server_reset_request_counts (f->demo.server);

  tally_dashboard_set_range (dashboard, "2025-12-01", "2025-12-31");
  g_assert_true (tally_dashboard_get_busy (dashboard));
  /* Let the first load reach the server, then replace it. */
  while (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/trend") == 0)
    g_main_context_iteration (NULL, TRUE);
  tally_dashboard_set_range (dashboard, "2025-11-01", "2025-11-14");
  g_assert_cmpstr (tally_dashboard_get_start_date (dashboard), ==, "2025-11-01");
  wait_idle (dashboard);
  tally_demo_server_set_delay (f->demo.server, 0);

  trend_requests = tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/trend");
  g_assert_cmpuint (trend_requests, ==, 2);
  /* Only the second range's data ever reached the model. */
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "2025-11-01");
  g_assert_cmpstr (tally_dashboard_get_loaded_start_date (dashboard), ==, "2025-11-01");
  g_assert_cmpstr (tally_dashboard_get_loaded_end_date (dashboard), ==, "2025-11-14");
  raw = raw_trend (f, "2025-11-01", "2025-11-14", TALLY_GRANULARITY_DAY);
  assert_trend_matches (tally_dashboard_get_trend (dashboard), raw, 14, "2025-11-01", "2025-11-14");

  g_signal_handlers_disconnect_by_func (dashboard, record_trend_cb, seen);
  g_assert_finalize_object (dashboard);
}

static void
test_failure_keeps_data (Fixture *f,
                         gconstpointer data)
{
  TallyDashboard *dashboard = tally_dashboard_new (f->session);
  GListModel *trend;
  guint n_costs;

  wait_idle (dashboard);
  trend = tally_dashboard_get_trend (dashboard);
  g_assert_nonnull (trend);
  n_costs = g_list_model_get_n_items (tally_dashboard_get_key_costs (dashboard));

  tally_demo_server_set_fault (f->demo.server, TALLY_DEMO_FAULT_SERVER_ERROR);
  tally_dashboard_set_range (dashboard, "2025-12-01", "2025-12-31");
  wait_idle (dashboard);
  tally_demo_server_set_fault (f->demo.server, TALLY_DEMO_FAULT_NONE);

  g_assert_nonnull (tally_dashboard_get_last_error (dashboard));
  g_assert_cmpstr (tally_dashboard_get_last_error (dashboard), !=, "");
  /* The same model object: nothing was replaced. */
  g_assert_true (tally_dashboard_get_trend (dashboard) == trend);
  g_assert_cmpuint (g_list_model_get_n_items (trend), ==, 7);
  g_assert_cmpstr (tally_dashboard_get_loaded_start_date (dashboard), ==, "2026-01-09");
  g_assert_cmpuint (g_list_model_get_n_items (tally_dashboard_get_key_costs (dashboard)), ==, n_costs);

  /* The next good load clears the error. */
  tally_dashboard_reload (dashboard);
  wait_idle (dashboard);
  g_assert_null (tally_dashboard_get_last_error (dashboard));
  g_assert_cmpstr (tally_dashboard_get_loaded_start_date (dashboard), ==, "2025-12-01");
  g_assert_cmpuint (g_list_model_get_n_items (tally_dashboard_get_trend (dashboard)), ==, 31);

  g_assert_finalize_object (dashboard);
}

static void
test_one_day_hourly (Fixture *f,
                     gconstpointer data)
{
  TallyDashboard *dashboard = tally_dashboard_new (f->session);
  g_autoptr (TallyTrend) raw = NULL;
  const TallyPeriodTotals *previous;
  gint64 requests = 0;

  wait_idle (dashboard);
  tally_dashboard_set_range (dashboard, "2026-01-14", "2026-01-14");
  g_assert_cmpint (tally_dashboard_get_granularity (dashboard), ==, TALLY_GRANULARITY_HOUR);
  wait_idle (dashboard);
  g_assert_null (tally_dashboard_get_last_error (dashboard));

  raw = raw_trend (f, "2026-01-13", "2026-01-14", TALLY_GRANULARITY_HOUR);
  assert_trend_matches (tally_dashboard_get_trend (dashboard), raw, 24,
                        "2026-01-14 00:00", "2026-01-14 23:00");

  previous = tally_dashboard_get_previous_totals (dashboard);
  for (guint i = 0; i < g_list_model_get_n_items (tally_trend_get_points (raw)); i++)
    {
      g_autoptr (TallyTrendPoint) p = g_list_model_get_item (tally_trend_get_points (raw), i);

      if (g_str_has_prefix (tally_trend_point_get_date (p), "2026-01-13"))
        requests += tally_trend_point_get_requests (p);
    }
  g_assert_cmpint (requests, >, 0);
  g_assert_cmpint (previous->requests, ==, requests);
  g_assert_cmpint (previous->n_days, ==, 1);

  g_assert_finalize_object (dashboard);
}

/* The one "Deleted keys" rule, on the values where the old three disagreed:
 * the window showed a row above 1e-4 of total only, `tally keys` above 1e-6
 * of today or total, the PDF whenever requests were left over. */
static void
test_deleted_keys_rule (void)
{
  double today = -1, total = -1;

  /* 5e-5 deleted in total: the window hid it, the CLI showed it; now both show it */
  g_assert_true (tally_deleted_keys (1.25, 10.00005, 1.25, 10.0, &today, &total));
  g_assert_cmpfloat (today, ==, 0);
  g_assert_cmpfloat_with_epsilon (total, 0.00005, 1e-12);

  /* a single server unit (1e-10 USD) is real money */
  g_assert_true (tally_deleted_keys (0, 0.0000000001, 0, 0, &today, &total));
  g_assert_cmpfloat (total, ==, 0.0000000001);

  /* float rounding of the client's sum is not */
  g_assert_false (tally_deleted_keys (0.3, 0.1 + 0.2, 0.1 + 0.2, 0.3, &today, &total));
  g_assert_cmpfloat (today, ==, 0);
  g_assert_cmpfloat (total, ==, 0);
  g_assert_false (tally_deleted_keys (0, 1e6, 0, 1e6 - 1e-7, NULL, &total));
  g_assert_cmpfloat (total, ==, 0);
  g_assert_true (tally_deleted_keys (0, 1e6, 0, 1e6 - 1e-5, NULL, &total));
  g_assert_cmpfloat_with_epsilon (total, 1e-5, 1e-9);

  /* today only (the totals' rounding hid it): total is at least today */
  g_assert_true (tally_deleted_keys (0.002, 5.0, 0.0, 5.0, &today, &total));
  g_assert_cmpfloat (today, ==, 0.002);
  g_assert_cmpfloat (total, ==, 0.002);

  /* listed more than all (a key added after the stats): no row, no negatives */
  g_assert_false (tally_deleted_keys (1.0, 2.0, 1.5, 3.0, &today, &total));
  g_assert_cmpfloat (today, ==, 0);
  g_assert_cmpfloat (total, ==, 0);
  g_assert_false (tally_deleted_keys (NAN, INFINITY, 0, 0, NULL, NULL));
}

/* The hourly trend of a DST day in New York: 23 labels on 8 March (no
 * 02:00), 24 on 1 November, where the 01:00 bucket holds both 01:00 hours
 * (25 hours of rows). */
static void
check_dst_day (gint64 now,
               const char *day,
               guint n_hours,
               const char *missing)
{
  g_autoptr (TallyDemoServer) server = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyClient) raw = NULL;
  g_autoptr (TallyTrend) day_trend = NULL;
  g_autofree char *token = NULL;
  g_autofree char *first = g_strconcat (day, " 00:00", NULL);
  g_autofree char *last = g_strconcat (day, " 23:00", NULL);
  TallySession *session = tally_session_new ();
  TallyDashboard *dashboard;
  GListModel *trend;
  GAsyncResult *slot = NULL;
  gint64 sum = 0;

  server = g_object_new (TALLY_TYPE_DEMO_SERVER, "seed", (guint64) 7, "now", now, "days", 3,
                         "rows", 3000, "timezone", "America/New_York", NULL);
  g_assert_true (tally_demo_server_start (server, &error));
  token = tally_demo_server_issue_token (server, 3600);
  g_setenv ("TALLY_TOKEN", token, TRUE);
  tally_session_restore_async (session, tally_demo_server_get_url (server), NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_unsetenv ("TALLY_TOKEN");
  g_assert_true (tally_session_restore_finish (session, result, &error));
  g_clear_object (&result);
  g_assert_cmpstr (tally_server_zone_get_name (tally_session_get_server_zone (session)), ==, "America/New_York");

  dashboard = tally_dashboard_new (session);
  wait_idle (dashboard);
  tally_dashboard_set_range (dashboard, day, day);
  g_assert_cmpint (tally_dashboard_get_granularity (dashboard), ==, TALLY_GRANULARITY_HOUR);
  wait_idle (dashboard);
  g_assert_null (tally_dashboard_get_last_error (dashboard));

  trend = tally_dashboard_get_trend (dashboard);
  g_assert_cmpuint (g_list_model_get_n_items (trend), ==, n_hours);
  for (guint i = 0; i < n_hours; i++)
    {
      g_autoptr (TallyTrendPoint) p = g_list_model_get_item (trend, i);

      if (i == 0)
        g_assert_cmpstr (tally_trend_point_get_date (p), ==, first);
      if (i == n_hours - 1)
        g_assert_cmpstr (tally_trend_point_get_date (p), ==, last);
      g_assert_true (missing == NULL || !g_str_equal (tally_trend_point_get_date (p), missing));
      sum += tally_trend_point_get_requests (p);
    }

  /* every request of the day is in a bucket */
  raw = tally_client_new (tally_demo_server_get_url (server), &error);
  tally_client_set_token (raw, token);
  tally_client_get_trend_async (raw, day, day, TALLY_GRANULARITY_DAY, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  day_trend = tally_client_get_trend_finish (raw, result, &error);
  g_assert_no_error (error);
  {
    g_autoptr (TallyTrendPoint) p = g_list_model_get_item (tally_trend_get_points (day_trend), 0);

    g_assert_cmpint (tally_trend_point_get_requests (p), >, 0);
    g_assert_cmpint (sum, ==, tally_trend_point_get_requests (p));
  }

  g_assert_finalize_object (dashboard);
  g_assert_finalize_object (session);
  tally_demo_server_stop (server);
}

static void
test_dst_day_hourly (void)
{
  check_dst_day (G_GINT64_CONSTANT (1773072000), "2026-03-08", 23, "2026-03-08 02:00");
  check_dst_day (G_GINT64_CONSTANT (1793638800), "2026-11-01", 24, NULL);
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dashboard/deleted-keys-rule", test_deleted_keys_rule);
  g_test_add_func ("/dashboard/dst-day-hourly", test_dst_day_hourly);
  g_test_add ("/dashboard/default-range", Fixture, NULL, fixture_setup, test_default_range, fixture_teardown);
  g_test_add ("/dashboard/key-costs", Fixture, NULL, fixture_setup, test_key_costs, fixture_teardown);
  g_test_add ("/dashboard/range-twice", Fixture, NULL, fixture_setup, test_range_twice, fixture_teardown);
  g_test_add ("/dashboard/failure-keeps-data", Fixture, NULL, fixture_setup, test_failure_keeps_data, fixture_teardown);
  g_test_add ("/dashboard/one-day-hourly", Fixture, NULL, fixture_setup, test_one_day_hourly, fixture_teardown);

  return g_test_run ();
}

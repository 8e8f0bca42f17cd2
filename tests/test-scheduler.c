/* test-scheduler.c: the request scheduler, retries and page sizes against the demo server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo server's rate limiter and faults, and the client's answers to
 * them: 429 waits (paced, reported, bounded, cancellable), retries of reads
 * (and never of login or other 4xx), priorities of interactive requests over
 * the pages of an export, and the page size learned per server. Windows,
 * backoffs and bounds are short (_tally_scheduler_set_timing()); no test
 * asserts a tight real-time figure.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "tally-api-key.h"
#include "tally-auth-result.h"
#include "tally-client.h"
#include "tally-dashboard-stats.h"
#include "tally-demo-server.h"
#include "tally-error.h"
#include "tally-page.h"
#include "tally-scheduler-private.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"
#include "tally-usage-log.h"

#define WAIT(slot) tally_test_wait_result (&(slot))

typedef struct
{
  TallyTestDemo demo;
} Fixture;

static void
set_timing (double backoff_scale,
            double budget_s,
            double bound_s,
            double heavy_interval_s,
            guint max_in_flight)
{
  const TallySchedTiming timing = {
    .backoff_scale = backoff_scale,
    .retry_budget_us = (gint64) (budget_s * G_USEC_PER_SEC),
    .rate_limit_bound_us = (gint64) (bound_s * G_USEC_PER_SEC),
    .heavy_interval_us = (gint64) (heavy_interval_s * G_USEC_PER_SEC),
    .max_in_flight = max_in_flight,
  };

  _tally_scheduler_set_timing (&timing);
}

static TallyClient *
new_client (TallyDemoServer *server)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *token = tally_demo_server_issue_token (server, 3600);
  TallyClient *client = tally_client_new (tally_demo_server_get_url (server), &error);

  g_assert_no_error (error);
  tally_client_set_token (client, token);

  return client;
}

static void
fixture_setup_rows (Fixture *f,
                    TallyDemoGeneration generation,
                    guint rows)
{
  tally_test_demo_start (&f->demo, "rows", rows, "generation", generation, NULL);
  /* fast backoff, generous budgets, pacing 50 ms */
  set_timing (0.01, 30, 60, 0.05, 6);
}

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  fixture_setup_rows (f, TALLY_DEMO_GENERATION_CURRENT, 2000);
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  g_assert_finalize_object (g_steal_pointer (&f->demo.client));
  tally_test_demo_stop (&f->demo);
  _tally_scheduler_set_timing (NULL);
}

/* ------------------------------------------------------------ helpers */

typedef struct
{
  guint status;
  char *retry_after;
  char *body;
} Raw;

static void
raw_clear (Raw *raw)
{
  g_clear_pointer (&raw->retry_after, g_free);
  g_clear_pointer (&raw->body, g_free);
}

/* one request outside the client (no scheduler, no retries) */
static void
raw_get (TallyDemoServer *server,
         const char *path,
         Raw *raw)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (tally_demo_server_get_url (server), path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *token = tally_demo_server_issue_token (server, 3600);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);

  raw->status = soup_message_get_status (msg);
  raw->retry_after = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"));
  raw->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static TallyDashboardStats *
get_stats (TallyClient *client,
           GCancellable *cancellable,
           GError **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  tally_client_get_dashboard_stats_async (client, cancellable, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  return tally_client_get_dashboard_stats_finish (client, result, error);
}

typedef struct
{
  GHashTable *ids; /* every row id seen → number of times */
  guint rows;
  guint pages;
  gint64 total;
  gint64 page_size;
  gboolean destroyed;
} Walk;

static gboolean
walk_page_cb (TallyPage *page,
              gpointer user_data)
{
  Walk *walk = user_data;
  GListModel *items = tally_page_get_items (page);

  walk->pages++;
  walk->total = tally_page_get_total (page);
  walk->page_size = tally_page_get_page_size (page);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr (TallyUsageLog) log = g_list_model_get_item (items, i);
      gint64 id = tally_usage_log_get_id (log);
      guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (walk->ids, &id));

      g_hash_table_replace (walk->ids, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (seen + 1));
      walk->rows++;
    }

  return TRUE;
}

static void
walk_destroyed_cb (gpointer user_data)
{
  ((Walk *) user_data)->destroyed = TRUE;
}

static gboolean
walk_usage (TallyClient *client,
            gint64 page_size,
            Walk *walk,
            GError **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  gboolean ok;

  walk->ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  tally_client_foreach_usage_page_async (client, NULL, page_size, 4, walk_page_cb, walk, walk_destroyed_cb,
                                         NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  ok = tally_client_foreach_usage_page_finish (client, result, error);
  g_clear_object (&result);
  while (!walk->destroyed)
    g_main_context_iteration (NULL, TRUE);

  return ok;
}

static void
walk_clear (Walk *walk)
{
  g_clear_pointer (&walk->ids, g_hash_table_unref);
}

/* every row once */
static void
assert_walk_exact (const Walk *walk)
{
  GHashTableIter iter;
  gpointer value;

  g_assert_cmpint (walk->total, >, 0);
  g_assert_cmpuint (walk->rows, ==, walk->total);
  g_assert_cmpuint (g_hash_table_size (walk->ids), ==, walk->total);
  g_hash_table_iter_init (&iter, walk->ids);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_assert_cmpuint (GPOINTER_TO_UINT (value), ==, 1);
}

typedef struct
{
  guint waits;      /* notifications with a resume time */
  gint64 max_ahead; /* the longest announced wait, µs */
} WaitLog;

static void
wait_notify_cb (TallyClient *client,
                GParamSpec *pspec,
                gpointer user_data)
{
  WaitLog *log = user_data;
  gint64 resume = tally_client_get_rate_limit_wait (client);

  if (resume == 0)
    return;
  log->waits++;
  log->max_ahead = MAX (log->max_ahead, resume - g_get_monotonic_time ());
}

/* ------------------------------------------------------------ the demo limiter */

static void
test_demo_limiter (Fixture *f,
                   gconstpointer data)
{
  Raw raw = { 0 };
  gint64 start;
  guint64 seconds = 0;

  /* 2 heavy, 3 in all per 2 s window */
  tally_demo_server_set_rate_limit (f->demo.server, 2, 3, 2);
  start = g_get_monotonic_time ();

  for (guint i = 0; i < 2; i++)
    {
      raw_get (f->demo.server, "/api/v1/usage/dashboard/stats", &raw);
      g_assert_cmpuint (raw.status, ==, 200);
      g_assert_null (raw.retry_after);
      raw_clear (&raw);
    }
  raw_get (f->demo.server, "/api/v1/usage?page_size=1", &raw);
  g_assert_cmpuint (raw.status, ==, 429);
  g_assert_cmpstr (raw.body, ==, "{\"code\":\"RATE_LIMITED\",\"message\":\"Too many requests, please try again later\"}");
  g_assert_true (g_ascii_string_to_unsigned (raw.retry_after, 10, 1, 2, &seconds, NULL));
  /* the rest of the window, rounded up */
  if (g_get_monotonic_time () - start < G_USEC_PER_SEC)
    g_assert_cmpuint (seconds, ==, 2);
  raw_clear (&raw);

  /* the general limit is not used up by a refused heavy call: one is left */
  raw_get (f->demo.server, "/api/v1/keys", &raw);
  g_assert_cmpuint (raw.status, ==, 200);
  raw_clear (&raw);
  raw_get (f->demo.server, "/api/v1/keys", &raw);
  g_assert_cmpuint (raw.status, ==, 429);
  raw_clear (&raw);
  g_assert_cmpuint (tally_demo_server_get_rate_limited_count (f->demo.server), ==, 2);
  /* refused requests are counted too */
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/keys"), ==, 2);

  /* public routes are limited per IP, not per user */
  raw_get (f->demo.server, "/api/v1/settings/public", &raw);
  g_assert_cmpuint (raw.status, ==, 200);
  raw_clear (&raw);

  /* the window resets */
  while (g_get_monotonic_time () - start < (gint64) 2100 * 1000)
    tally_test_spin (100);
  raw_get (f->demo.server, "/api/v1/usage/dashboard/stats", &raw);
  g_assert_cmpuint (raw.status, ==, 200);
  raw_clear (&raw);

  /* off */
  tally_demo_server_set_rate_limit (f->demo.server, 0, 0, 0);
  for (guint i = 0; i < 5; i++)
    {
      raw_get (f->demo.server, "/api/v1/usage/dashboard/stats", &raw);
      g_assert_cmpuint (raw.status, ==, 200);
      raw_clear (&raw);
    }
  g_assert_cmpuint (tally_demo_server_get_rate_limited_count (f->demo.server), ==, 2);
}

static void
test_demo_fault_rates (Fixture *f,
                       gconstpointer data)
{
  guint counts[2][3] = { { 0 } };

  /* the same seed meets the same faults */
  for (guint run = 0; run < 2; run++)
    {
      tally_demo_server_set_fault_rates (f->demo.server, 0.3, 0.0);
      for (guint i = 0; i < 40; i++)
        {
          Raw raw = { 0 };

          raw_get (f->demo.server, "/api/v1/keys", &raw);
          if (raw.status == 500)
            {
              g_assert_cmpstr (raw.body, ==, "{\"code\":500,\"message\":\"internal error\"}");
              counts[run][0] += 1u << (i % 16);
              counts[run][1]++;
            }
          else
            g_assert_cmpuint (raw.status, ==, 200);
          raw_clear (&raw);
        }
      /* public settings are never faulted */
      for (guint i = 0; i < 10; i++)
        {
          Raw raw = { 0 };

          raw_get (f->demo.server, "/api/v1/settings/public", &raw);
          g_assert_cmpuint (raw.status, ==, 200);
          raw_clear (&raw);
        }
    }
  g_assert_cmpuint (counts[0][0], ==, counts[1][0]);
  g_assert_cmpuint (counts[0][1], ==, counts[1][1]);
  g_assert_cmpuint (counts[0][1], >, 3);
  g_assert_cmpuint (counts[0][1], <, 30);
  tally_demo_server_set_fault_rates (f->demo.server, 0.0, 0.0);
}

/* ------------------------------------------------------------ rate limits */

static void
test_export_paced (Fixture *f,
                   gconstpointer data)
{
  Walk walk = { 0 };
  WaitLog log = { 0 };
  g_autoptr (GError) error = NULL;
  gulong handler;
  guint pages;

  /* 6 heavy requests per 2 s; 25 pages of 80 rows */
  tally_demo_server_set_rate_limit (f->demo.server, 6, 100, 2);
  handler = g_signal_connect (f->demo.client, "notify::rate-limit-wait", G_CALLBACK (wait_notify_cb), &log);

  g_assert_true (walk_usage (f->demo.client, 80, &walk, &error));
  g_assert_no_error (error);
  assert_walk_exact (&walk);
  pages = walk.pages;
  g_assert_cmpuint (pages, >=, 20);

  /* the waits were reported, and are over */
  g_assert_cmpuint (log.waits, >=, 1);
  g_assert_cmpint (log.max_ahead, >, 0);
  g_assert_cmpint (log.max_ahead, <=, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (tally_client_get_rate_limit_wait (f->demo.client), ==, 0);

  /* paced: after the first 429 the client does not keep knocking. Every
   * window lets 6 through, so ≥ 4 windows were needed; each costs at most
   * the requests in flight when it closed. */
  g_assert_cmpuint (tally_demo_server_get_rate_limited_count (f->demo.server), >=, 1);
  g_assert_cmpuint (tally_demo_server_get_rate_limited_count (f->demo.server), <=, pages / 2);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage"), ==,
                    pages + tally_demo_server_get_rate_limited_count (f->demo.server));

  g_signal_handler_disconnect (f->demo.client, handler);
  walk_clear (&walk);
}

static void
test_dashboard_waits (Fixture *f,
                      gconstpointer data)
{
  g_autoptr (TallyDashboardStats) first = NULL;
  g_autoptr (TallyDashboardStats) second = NULL;
  g_autoptr (GError) error = NULL;
  WaitLog log = { 0 };

  g_signal_connect (f->demo.client, "notify::rate-limit-wait", G_CALLBACK (wait_notify_cb), &log);
  tally_demo_server_set_rate_limit (f->demo.server, 1, 100, 2);

  first = get_stats (f->demo.client, NULL, &error);
  g_assert_no_error (error);
  second = get_stats (f->demo.client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tally_dashboard_stats_get_total_requests (first), ==, tally_dashboard_stats_get_total_requests (second));
  g_assert_cmpint (tally_dashboard_stats_get_total_requests (first), >, 0);

  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/stats"), ==, 3);
  g_assert_cmpuint (tally_demo_server_get_rate_limited_count (f->demo.server), ==, 1);
  g_assert_cmpuint (log.waits, ==, 1);
  g_assert_cmpint (tally_client_get_rate_limit_wait (f->demo.client), ==, 0);
}

static void
test_rate_limit_bounded (Fixture *f,
                         gconstpointer data)
{
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autoptr (GError) error = NULL;

  /* a server that says 429 (Retry-After: 7) forever, a bound of 10 s: one
   * wait of 7 s would fit, a second not. With 5 s nothing fits. */
  set_timing (0.01, 30, 5, 0.05, 6);
  tally_demo_server_set_fault (f->demo.server, TALLY_DEMO_FAULT_RATE_LIMITED);
  stats = get_stats (f->demo.client, NULL, &error);
  g_assert_null (stats);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_RATE_LIMITED);
  g_assert_cmpuint (tally_error_get_retry_after (error), ==, 7);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/stats"), ==, 1);
}

static void
count_done_cb (GObject *object,
               GAsyncResult *result,
               gpointer user_data)
{
  guint *left = user_data;
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autoptr (GError) error = NULL;

  stats = tally_client_get_dashboard_stats_finish (TALLY_CLIENT (object), result, &error);
  g_assert_no_error (error);
  (*left)--;
}

static gboolean
none_left (gpointer data)
{
  return *(guint *) data == 0;
}

static void
test_paced_after_429 (Fixture *f,
                      gconstpointer data)
{
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autoptr (GError) error = NULL;
  guint left = 5;
  gint64 start;

  set_timing (0.01, 30, 60, 0.4, 6);

  /* before any 429: five heavy calls at once leave together */
  for (guint i = 0; i < 5; i++)
    tally_client_get_dashboard_stats_async (f->demo.client, NULL, count_done_cb, &left);
  while (!none_left (&left))
    g_main_context_iteration (NULL, TRUE);

  /* one 429 (a 1 s window of 1 heavy call) */
  tally_demo_server_set_rate_limit (f->demo.server, 1, 100, 1);
  stats = get_stats (f->demo.client, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&stats);
  stats = get_stats (f->demo.client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tally_demo_server_get_rate_limited_count (f->demo.server), ==, 1);
  tally_demo_server_set_rate_limit (f->demo.server, 0, 0, 0);

  /* now they leave one per interval: 4 intervals at least (a lower bound) */
  left = 5;
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 5; i++)
    tally_client_get_dashboard_stats_async (f->demo.client, NULL, count_done_cb, &left);
  while (!none_left (&left))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 4 * 400 * 1000 - 50 * 1000);
}

static gboolean
cancel_when_waiting (gpointer user_data)
{
  GCancellable *cancellable = user_data;

  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
wait_cancel_cb (TallyClient *client,
                GParamSpec *pspec,
                gpointer user_data)
{
  if (tally_client_get_rate_limit_wait (client) != 0)
    g_idle_add (cancel_when_waiting, user_data);
}

static void
test_cancel_during_wait (Fixture *f,
                         gconstpointer data)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start;

  tally_demo_server_set_rate_limit (f->demo.server, 1, 100, 30);
  stats = get_stats (f->demo.client, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&stats);

  g_signal_connect (f->demo.client, "notify::rate-limit-wait", G_CALLBACK (wait_cancel_cb), cancellable);
  start = g_get_monotonic_time ();
  stats = get_stats (f->demo.client, cancellable, &error);
  g_assert_null (stats);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* promptly: long before the 30 s window ends */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 15 * G_USEC_PER_SEC);
  g_assert_cmpint (tally_client_get_rate_limit_wait (f->demo.client), ==, 0);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/stats"), ==, 2);
  /* nothing holds the client any more (teardown asserts it is finalized) */
}

/* ------------------------------------------------------------ retries */

static void
test_retries (Fixture *f,
              gconstpointer data)
{
  static const TallyDemoFault faults[] = {
    TALLY_DEMO_FAULT_SERVER_ERROR,
    TALLY_DEMO_FAULT_HTML_502,
    TALLY_DEMO_FAULT_UNAVAILABLE,
    TALLY_DEMO_FAULT_SPA_HTML,
    TALLY_DEMO_FAULT_RESET,
  };
  g_autoptr (TallyDashboardStats) clean = NULL;
  g_autoptr (GError) error = NULL;

  clean = get_stats (f->demo.client, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr (TallyDashboardStats) stats = NULL;

      g_test_message ("fault %d", faults[i]);
      tally_demo_server_reset_request_counts (f->demo.server);
      tally_demo_server_set_fault (f->demo.server, faults[i]);
      tally_demo_server_set_fault_limit (f->demo.server, 2);
      stats = get_stats (f->demo.client, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (tally_dashboard_stats_get_total_requests (stats), ==, tally_dashboard_stats_get_total_requests (clean));
      g_assert_cmpfloat (tally_dashboard_stats_get_total_actual_cost (stats), ==, tally_dashboard_stats_get_total_actual_cost (clean));
      g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/stats"), ==, 3);
    }
}

static void
test_retry_timeout (Fixture *f,
                    gconstpointer data)
{
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autoptr (GError) error = NULL;

  /* the first answer stalls past the time-out, the second comes */
  tally_client_set_timeout (f->demo.client, 1);
  tally_demo_server_set_fault (f->demo.server, TALLY_DEMO_FAULT_STALL);
  tally_demo_server_set_fault_limit (f->demo.server, 1);
  stats = get_stats (f->demo.client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stats);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/stats"), ==, 2);
}

static void
test_export_with_faults (Fixture *f,
                         gconstpointer data)
{
  Walk clean = { 0 };
  Walk faulty = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_true (walk_usage (f->demo.client, 50, &clean, &error));
  g_assert_no_error (error);
  assert_walk_exact (&clean);

  tally_demo_server_reset_request_counts (f->demo.server);
  tally_demo_server_set_fault_rates (f->demo.server, 0.1, 0.1);
  g_assert_true (walk_usage (f->demo.client, 50, &faulty, &error));
  g_assert_no_error (error);
  assert_walk_exact (&faulty);
  g_assert_cmpuint (faulty.rows, ==, clean.rows);
  g_assert_cmpuint (faulty.pages, ==, clean.pages);
  /* some pages needed a second attempt */
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage"), >, faulty.pages);
  tally_demo_server_set_fault_rates (f->demo.server, 0.0, 0.0);

  walk_clear (&clean);
  walk_clear (&faulty);
}

static void
test_no_retry_4xx (Fixture *f,
                   gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyUsageLog) log = NULL;
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autofree char *expired = tally_demo_server_issue_token (f->demo.server, -60);

  /* 404 */
  tally_client_get_usage_async (f->demo.client, 999999999, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  log = tally_client_get_usage_finish (f->demo.client, result, &error);
  g_assert_null (log);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_NOT_FOUND);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/999999999"), ==, 1);
  g_clear_error (&error);

  /* 401 */
  tally_client_set_token (f->demo.client, expired);
  stats = get_stats (f->demo.client, NULL, &error);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/stats"), ==, 1);
}

static void
test_no_retry_login (Fixture *f,
                     gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyAuthResult) auth = NULL;
  g_autoptr (TallyDashboardStats) stats = NULL;

  /* the server has answered before: a read would be retried */
  stats = get_stats (f->demo.client, NULL, &error);
  g_assert_no_error (error);

  tally_client_set_timeout (f->demo.client, 1);
  tally_demo_server_set_delay (f->demo.server, 2500);
  tally_client_login_async (f->demo.client, tally_demo_server_get_email (f->demo.server), tally_demo_server_get_password (f->demo.server),
                            NULL, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  auth = tally_client_login_finish (f->demo.client, result, &error);
  g_assert_null (auth);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_TIMEOUT);
  /* long enough for a retry to have arrived */
  tally_test_spin (500);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/auth/login"), ==, 1);
  tally_demo_server_set_delay (f->demo.server, 0);
}

static void
test_failing_server_ends (Fixture *f,
                          gconstpointer data)
{
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  tally_demo_server_set_fault (f->demo.server, TALLY_DEMO_FAULT_SERVER_ERROR);
  stats = get_stats (f->demo.client, NULL, &error);
  g_assert_null (stats);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_SERVER);
  g_assert_cmpuint (tally_error_get_http_status (error), ==, 500);
  /* 5 attempts in all */
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/stats"), ==, 5);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * G_USEC_PER_SEC);
  g_clear_error (&error);

  /* within the retry budget: with a budget of 0 there is no second attempt */
  set_timing (0.01, 0, 60, 0.05, 6);
  tally_demo_server_reset_request_counts (f->demo.server);
  stats = get_stats (f->demo.client, NULL, &error);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_SERVER);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/stats"), ==, 1);
}

static void
cancel_on_first_cb (gpointer user_data)
{
}

static gboolean
cancel_after_first (gpointer user_data)
{
  Fixture *f = g_object_get_data (user_data, "fixture");

  if (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/stats") < 1)
    return G_SOURCE_CONTINUE;
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_during_backoff (Fixture *f,
                            gconstpointer data)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start;

  /* backoffs of seconds: the cancel lands in one */
  set_timing (20.0, 600, 60, 0.05, 6);
  tally_demo_server_set_fault (f->demo.server, TALLY_DEMO_FAULT_SERVER_ERROR);
  g_object_set_data_full (G_OBJECT (cancellable), "fixture", f, cancel_on_first_cb);
  g_timeout_add (10, cancel_after_first, cancellable);
  start = g_get_monotonic_time ();
  stats = get_stats (f->demo.client, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage/dashboard/stats"), ==, 1);
}

/* ------------------------------------------------------------ priorities */

typedef struct
{
  Walk *walk;
  guint pages_when_done;
  gboolean done;
} StatsProbe;

static void
probe_stats_cb (GObject *object,
                GAsyncResult *result,
                gpointer user_data)
{
  StatsProbe *probe = user_data;
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autoptr (GError) error = NULL;

  stats = tally_client_get_dashboard_stats_finish (TALLY_CLIENT (object), result, &error);
  g_assert_no_error (error);
  probe->pages_when_done = probe->walk->pages;
  probe->done = TRUE;
}

typedef struct
{
  Walk walk;
  TallyClient *client;
  StatsProbe probe;
  guint pages_when_asked;
} PriorityRun;

static gboolean
priority_page_cb (TallyPage *page,
                  gpointer user_data)
{
  PriorityRun *run = user_data;

  walk_page_cb (page, &run->walk);
  if (run->walk.pages == 2)
    {
      /* the user looks at the dashboard while the export runs */
      run->pages_when_asked = run->walk.pages;
      tally_client_get_dashboard_stats_async (run->client, NULL, probe_stats_cb, &run->probe);
    }
  return TRUE;
}

static void
priority_destroyed_cb (gpointer user_data)
{
  ((PriorityRun *) user_data)->walk.destroyed = TRUE;
}

static void
test_priorities (Fixture *f,
                 gconstpointer data)
{
  PriorityRun run = { 0 };
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  /* one request at a time, slow answers: bulk pages queue up */
  set_timing (0.01, 30, 60, 0.05, 1);
  tally_demo_server_set_delay (f->demo.server, 30);
  run.client = f->demo.client;
  run.probe.walk = &run.walk;
  run.walk.ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  tally_client_foreach_usage_page_async (f->demo.client, NULL, 100, 4, priority_page_cb, &run, priority_destroyed_cb,
                                         NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  g_assert_true (tally_client_foreach_usage_page_finish (f->demo.client, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  while (!run.walk.destroyed)
    g_main_context_iteration (NULL, TRUE);
  tally_test_wait_flag (&run.probe.done);

  assert_walk_exact (&run.walk);
  g_assert_cmpuint (run.walk.pages, >=, 10);
  /* 3 pages were queued ahead of it and one in flight: it went before the
   * queued ones, so only the page in flight (and the one delivered in order
   * with it) can arrive in between, and on a loaded machine (ASan, CI) the
   * next page's answer may be decoded while the probe's is: at most 2, where
   * without the priority all 3 queued pages and the one in flight would */
  g_assert_cmpuint (run.probe.pages_when_done, <=, run.pages_when_asked + 2);

  tally_demo_server_set_delay (f->demo.server, 0);
  walk_clear (&run.walk);
}

/* ------------------------------------------------------------ page sizes */

static void
test_page_size_current (Fixture *f,
                        gconstpointer data)
{
  Walk walk = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (tally_client_get_max_page_size (f->demo.client), ==, 1000);
  g_assert_true (walk_usage (f->demo.client, 0, &walk, &error));
  g_assert_no_error (error);
  assert_walk_exact (&walk);
  g_assert_cmpint (walk.page_size, ==, 1000);
  g_assert_cmpuint (walk.pages, ==, (walk.total + 999) / 1000);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage"), ==, walk.pages);
  g_assert_cmpint (tally_client_get_max_page_size (f->demo.client), ==, 1000);
  walk_clear (&walk);
}

static void
fixture_setup_2025 (Fixture *f,
                    gconstpointer data)
{
  fixture_setup_rows (f, TALLY_DEMO_GENERATION_2025, 2000);
}

static void
test_page_size_2025 (Fixture *f,
                     gconstpointer data)
{
  Walk walk = { 0 };
  Walk again = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyClient) other = new_client (f->demo.server);
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GListModel) keys = NULL;

  g_assert_true (walk_usage (f->demo.client, 0, &walk, &error));
  g_assert_no_error (error);
  assert_walk_exact (&walk);
  g_assert_cmpint (walk.page_size, ==, 100);
  g_assert_cmpuint (walk.pages, ==, (walk.total + 99) / 100);
  /* page 1 was asked for with 1000 (echo 20), then with 100 */
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage"), ==, walk.pages + 1);
  g_assert_cmpint (tally_client_get_max_page_size (f->demo.client), ==, 100);

  /* another client of the same server knows it already */
  g_assert_cmpint (tally_client_get_max_page_size (other), ==, 100);
  tally_demo_server_reset_request_counts (f->demo.server);
  g_assert_true (walk_usage (other, 0, &again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (again.rows, ==, walk.rows);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/usage"), ==, walk.pages);

  /* and so does the list of keys: one page of 100 */
  tally_client_list_all_keys_async (other, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  keys = tally_client_list_all_keys_finish (other, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (keys), >, 0);
  g_assert_cmpuint (tally_demo_server_get_request_count (f->demo.server, "/api/v1/keys"), ==, 1);

  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&keys));
  g_assert_finalize_object (g_steal_pointer (&other));
  walk_clear (&walk);
  walk_clear (&again);
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ((path), Fixture, NULL, fixture_setup, (func), fixture_teardown)
  ADD ("/scheduler/demo-limiter", test_demo_limiter);
  ADD ("/scheduler/demo-fault-rates", test_demo_fault_rates);
  ADD ("/scheduler/export-paced", test_export_paced);
  ADD ("/scheduler/dashboard-waits", test_dashboard_waits);
  ADD ("/scheduler/paced-after-429", test_paced_after_429);
  ADD ("/scheduler/rate-limit-bounded", test_rate_limit_bounded);
  ADD ("/scheduler/cancel-during-wait", test_cancel_during_wait);
  ADD ("/scheduler/retries", test_retries);
  ADD ("/scheduler/retry-timeout", test_retry_timeout);
  ADD ("/scheduler/export-with-faults", test_export_with_faults);
  ADD ("/scheduler/no-retry-4xx", test_no_retry_4xx);
  ADD ("/scheduler/no-retry-login", test_no_retry_login);
  ADD ("/scheduler/failing-server-ends", test_failing_server_ends);
  ADD ("/scheduler/cancel-during-backoff", test_cancel_during_backoff);
  ADD ("/scheduler/priorities", test_priorities);
  ADD ("/scheduler/page-size-current", test_page_size_current);
  g_test_add ("/scheduler/page-size-2025", Fixture, NULL, fixture_setup_2025, test_page_size_2025, fixture_teardown);
#undef ADD

  return g_test_run ();
}

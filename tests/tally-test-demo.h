/* tally-test-demo.h: the demo-server fixture of the core tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A started in-process demo server, a one-hour token of its demo user, a
 * TallyClient holding that token and a plain SoupSession for raw requests:
 * what a test of the client, the reports or the view models sets up before
 * it compares Tally's answers with the server's own JSON. Embed a
 * TallyTestDemo in a test's Fixture (or keep one for the whole program) and
 * pair tally_test_demo_start() with tally_test_demo_stop().
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tally-client.h"
#include "tally-dashboard.h"
#include "tally-demo-data.h"
#include "tally-demo-server.h"
#include "tally-session.h"
#include "tally-test-utils.h"
#include "tally-usage-stats.h"

G_BEGIN_DECLS

/* The clock most tests pin the data to: 2026-01-15T12:00:00+08:00 (the
 * demo's "now" and "utc-offset"). */
#define TALLY_TEST_DEMO_NOW G_GINT64_CONSTANT (1768449600)
#define TALLY_TEST_DEMO_OFFSET 28800

typedef struct
{
  TallyDemoServer *server;
  char *token;         /* a one-hour token of the demo user */
  TallyClient *client; /* a client of @server holding @token */
  SoupSession *soup;   /* a plain session, for tally_test_demo_fetch_raw () */
} TallyTestDemo;

/* Creates a demo server with the given properties (g_object_new () pairs,
 * NULL-terminated), starts it, issues the token and creates the client and
 * the session; fails the test when the server does not start. */
void tally_test_demo_start (TallyTestDemo *demo,
                            const char *first_property_name,
                            ...);

/* tally_test_demo_start () with "seed" @seed, "days" @days, "rows" @rows,
 * the pinned clock (TALLY_TEST_DEMO_NOW, TALLY_TEST_DEMO_OFFSET) and
 * "generation" @generation. */
void tally_test_demo_start_sized (TallyTestDemo *demo,
                                  guint64 seed,
                                  guint days,
                                  guint rows,
                                  TallyDemoGeneration generation);

/* tally_test_demo_start () with "seed" @seed, "rows" @rows, the pinned clock
 * (TALLY_TEST_DEMO_NOW, TALLY_TEST_DEMO_OFFSET) and "generation" @generation. */
void tally_test_demo_start_pinned (TallyTestDemo *demo,
                                   guint64 seed,
                                   guint rows,
                                   TallyDemoGeneration generation);

/* Stops the server, sets the given properties, starts it again and replaces
 * the token and the client (the server may listen elsewhere now). */
void tally_test_demo_restart (TallyTestDemo *demo,
                              const char *first_property_name,
                              ...);

/* Asserts that the client (unless the test took it: NULL), the session and
 * the server are finalized (the client may wait for its pending calls, 20 s
 * guard), after stopping the server; clears @demo. */
void tally_test_demo_stop (TallyTestDemo *demo);

/* tally_test_fetch_raw () against the demo server with the fixture's token:
 * the `data` member of @method /api/v1@path (HTTP 200, code 0 asserted). */
JsonNode *tally_test_demo_fetch_raw (TallyTestDemo *demo,
                                     const char *method,
                                     const char *path,
                                     const char *json_body);

/* Logs @session in with @token on @url (tally_session_use_token_async) and
 * waits; fails the test if it does not succeed. */
void tally_test_use_token (TallySession *session,
                           const char *url,
                           const char *token);

/* Starts @session on the demo @server as `tally --demo` does
 * (tally_session_start_demo_async) and waits; fails the test if it does not
 * succeed. */
void tally_test_session_start_demo (TallySession *session,
                                    TallyDemoServer *server);
/* The sums of the usage rows of one list query, fetched raw (GET /usage,
 * every page of 100) and added up exactly: costs in the server's unit
 * (1e-10 USD, each row's double rounded to it), tokens as integers;
 * duration_sum counts rows without a duration as 0. */
typedef TallyDemoTotals TallyTestRowSums;

/* @list_params: the query string of GET /usage without page and page_size
 * ("" for every row). */
void tally_test_sum_rows (SoupSession *session,
                          const char *base_url,
                          const char *token,
                          const char *list_params,
                          TallyTestRowSums *sums);

/* @units (1e-10 USD) as the shortest exact decimal: 123400000 → "0.01234",
 * 0 → "0", 20000000000 → "2". */
char *tally_test_units_to_decimal (gint64 units);

/* sums->duration_sum / sums->requests, 0 without rows */
double tally_test_row_sums_average_duration (const TallyTestRowSums *sums);

/* Adds @func twice, as "@prefix/@name" against today's server and as
 * "@prefix/@name-2025" against a December 2025 one: the test data is the
 * TallyDemoGeneration (GUINT_TO_POINTER). */
void tally_test_add_generations (const char *prefix,
                                 const char *name,
                                 gsize fixture_size,
                                 GTestFixtureFunc setup,
                                 GTestFixtureFunc func,
                                 GTestFixtureFunc teardown);

/* tally_test_add_generations() for @func (Fixture *, gconstpointer) and the
 * fixture functions @setup and @teardown of the type @Fixture. */
#define TALLY_TEST_ADD_GENERATIONS(prefix, name, Fixture, setup, func, teardown)              \
  tally_test_add_generations ((prefix), (name), sizeof (Fixture), (GTestFixtureFunc) (setup), \
                              (GTestFixtureFunc) (func), (GTestFixtureFunc) (teardown))

/* The same for a test without a fixture. */
void tally_test_add_data_generations (const char *prefix,
                                      const char *name,
                                      GTestDataFunc func);

/* Asserts that @stats are the exact sums of the rows: every count equal, each
 * cost the double nearest to the decimal sum and printed (shortest,
 * tally_format_number_exact ()) as that decimal byte for byte, the average
 * duration as /usage/stats computes it, and the cache split when @stats
 * has one. */
void tally_test_assert_stats_sums (TallyUsageStats *stats,
                                   const TallyTestRowSums *sums);

/* Logs @session in with @token on @url the way `tally` restores a saved
 * login (TALLY_TOKEN); asserts that it worked. */
void tally_test_restore_session (TallySession *session,
                                 const char *url,
                                 const char *token);

/* Iterates until neither @dashboard nor its session is busy (30 s guard). */
void tally_test_wait_dashboard (TallyDashboard *dashboard);

G_END_DECLS

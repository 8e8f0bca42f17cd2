/* tally-test-utils.h: main-loop helpers shared by the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A GAsyncReadyCallback that stores a ref of the result in *(GAsyncResult **) user_data. */
void tally_test_store_result_cb (GObject *source,
                                 GAsyncResult *result,
                                 gpointer user_data);

typedef gboolean (*TallyTestPredicate) (gpointer data);

/* A GSourceFunc that only wakes the main loop (G_SOURCE_CONTINUE). */
gboolean tally_test_wake_cb (gpointer user_data);

/* Iterates the default main context until @predicate (@data) is TRUE, waking
 * it every @wake_ms ms (0: never) for conditions no source signals. Aborts the
 * test with "timed out waiting for @what" after @guard_seconds
 * (TALLY_TEST_GUARD_MS overrides it, for the test of the guard); a timeout
 * source wakes the loop then, so the guard fires on an idle loop too. */
void tally_test_wait_until (TallyTestPredicate predicate,
                            gpointer data,
                            guint wake_ms,
                            guint guard_seconds,
                            const char *what);

/* Iterates the default main context until *slot is non-NULL; aborts the
 * test after 20 s. Returns the (owned) result and clears the slot. */
GAsyncResult *tally_test_wait_result (GAsyncResult **slot);

/* Iterates until *flag is TRUE (20 s guard). */
void tally_test_wait_flag (gboolean *flag);

/* Iterates the main context for @ms milliseconds. */
void tally_test_spin (guint ms);

/* Drops the caller's reference to @object and iterates until the object is
 * finalized: pending async calls may hold references for a while (20 s guard:
 * a leak fails the test). For objects whose finalization waits on I/O. */
void tally_test_assert_finalized (gpointer object);

/* Reads tests/data/@name (G_TEST_SRCDIR) into a GBytes; aborts when missing. */
GBytes *tally_test_load_fixture (const char *name);

/* The `data` member of the answer to @method @base_url/api/v1@path with
 * "Authorization: Bearer @token" and @json_body (or none), sent with plain
 * soup + json-glib on @session: checks for HTTP 200 and code 0. */
JsonNode *tally_test_fetch_raw (SoupSession *session,
                                const char *base_url,
                                const char *token,
                                const char *method,
                                const char *path,
                                const char *json_body);

G_END_DECLS

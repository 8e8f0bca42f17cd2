/* tally-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tally-test-utils.h"

#define GUARD_SECONDS 20

void
tally_test_store_result_cb (GObject *source,
                            GAsyncResult *result,
                            gpointer user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
guard_expired (gint64 start)
{
  return g_get_monotonic_time () - start > GUARD_SECONDS * G_USEC_PER_SEC;
}

GAsyncResult *
tally_test_wait_result (GAsyncResult **slot)
{
  gint64 start = g_get_monotonic_time ();

  while (*slot == NULL)
    {
      if (guard_expired (start))
        g_error ("timed out waiting for an async result");
      g_main_context_iteration (NULL, TRUE);
    }

  return g_steal_pointer (slot);
}

void
tally_test_wait_flag (gboolean *flag)
{
  gint64 start = g_get_monotonic_time ();

  while (!*flag)
    {
      if (guard_expired (start))
        g_error ("timed out waiting for a flag");
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
}

void
tally_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add_once (ms, set_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
finalized_cb (gpointer data,
              GObject *where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

void
tally_test_assert_finalized (gpointer object)
{
  gboolean finalized = FALSE;
  gint64 start = g_get_monotonic_time ();

  g_assert_true (G_IS_OBJECT (object));
  g_object_weak_ref (object, finalized_cb, &finalized);
  g_object_unref (object);

  while (!finalized)
    {
      if (guard_expired (start))
        g_error ("timed out waiting for an object to be finalized");
      /* wakes up at least every 50 ms, whatever is pending */
      tally_test_spin (50);
    }
}

GBytes *
tally_test_load_fixture (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("fixture %s: %s", name, error->message);

  return g_bytes_new_take (contents, len);
}

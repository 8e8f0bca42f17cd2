/* tally-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

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

/* The number of threads, and how many of them other than the caller are
 * running (state R in /proc/self/task/TID/stat). */
static guint
count_threads (guint *n_running)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  g_autofree char *self = g_strdup_printf ("%ld", (long) syscall (SYS_gettid));
  const char *name;
  guint n = 0;

  *n_running = 0;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", name, "stat", NULL);
      g_autofree char *stat = NULL;
      const char *state;

      n++;
      if (g_str_equal (name, self) || !g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      /* "TID (COMM) STATE …"; COMM may hold spaces and parentheses */
      state = strrchr (stat, ')');
      if (state != NULL && state[1] == ' ' && state[2] == 'R')
        (*n_running)++;
    }
  return n;
}

static void
settle_threads (void)
{
  guint running;
  guint last;
  guint calm = 0;

  /* idle pool workers end now: a worker that did a TLS handshake
   * (glib-networking runs them in a thread) holds gnutls' dynamic TLS, which
   * LSan 12 on glibc 2.36 cannot walk */
  g_thread_pool_set_max_unused_threads (0);
  g_thread_pool_stop_unused_threads ();
  last = count_threads (&running);

  /* up to 3 s: the same threads, none of them busy, three samples in a row */
  for (guint i = 0; i < 60 && calm < 3; i++)
    {
      guint now;

      g_usleep (50 * 1000);
      now = count_threads (&running);
      calm = now == last && running == 0 ? calm + 1 : 0;
      last = now;
    }
}

void
tally_test_settle_threads_at_exit (void)
{
  atexit (settle_threads);
}

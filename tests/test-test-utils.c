/* test-test-utils.c: the shared test helpers' own guards
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tally-test-utils.h"

/* A wait on a result that never comes, on a loop with nothing pending: the
 * guard (shortened to 200 ms) must end the child with its message. */
static void
test_wait_result_guard_idle (void)
{
  if (g_test_subprocess ())
    {
      GAsyncResult *slot = NULL;

      g_setenv ("TALLY_TEST_GUARD_MS", "200", TRUE);
      (void) tally_test_wait_result (&slot);
      g_assert_not_reached ();
    }

  /* 30 s: far past the guard, so only a guard that never fires hits it */
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*timed out waiting for an async result*");
}

static void
test_wait_flag_guard_idle (void)
{
  if (g_test_subprocess ())
    {
      gboolean flag = FALSE;

      g_setenv ("TALLY_TEST_GUARD_MS", "200", TRUE);
      tally_test_wait_flag (&flag);
      g_assert_not_reached ();
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*timed out waiting for a flag*");
}

static void
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* A condition met before the guard returns, and removes its sources. */
static void
test_wait_until_met (void)
{
  gboolean flag = FALSE;

  g_timeout_add_once (10, set_flag_cb, &flag);
  tally_test_wait_until (flag_set, &flag, 5, 20, "the flag");
  g_assert_true (flag);
  g_assert_false (g_main_context_pending (NULL));
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/test-utils/wait-result/guard-idle", test_wait_result_guard_idle);
  g_test_add_func ("/test-utils/wait-flag/guard-idle", test_wait_flag_guard_idle);
  g_test_add_func ("/test-utils/wait-until/met", test_wait_until_met);

  return g_test_run ();
}

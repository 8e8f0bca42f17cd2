/* test-timing.c: startup timing marks (TALLY_DEBUG=timing)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "tally-timing.h"

static const char *self_path;

/* Runs this program as the child of main() with TALLY_DEBUG=@debug and
 * returns what it printed on stderr. */
static char *
run_child (const char *debug)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  char *err = NULL;

  g_subprocess_launcher_setenv (launcher, "TALLY_DEBUG", debug, TRUE);
  g_subprocess_launcher_setenv (launcher, "TALLY_TEST_TIMING_CHILD", "1", TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, self_path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (child, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (child));
  g_assert_cmpstr (out, ==, "");

  return err;
}

/* The lines tests/bench-startup.sh parses: "tally-timing: EVENT MS", MS with
 * one decimal and a '.', counted from the process's exec. */
static void
test_marks (void)
{
  g_autofree char *err = run_child ("timing");
  g_auto (GStrv) lines = g_strsplit (err, "\n", -1);
  const char *events[] = { "main", "window-built", "dashboard-filled" };
  double last = 0.0;

  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[3], ==, "");
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("tally-timing: %s ", events[i]);
      const char *ms = lines[i] + strlen (prefix);
      char *end = NULL;
      double value;

      g_assert_true (g_str_has_prefix (lines[i], prefix));
      value = g_ascii_strtod (ms, &end);
      g_assert_cmpstr (end, ==, "");
      g_assert_nonnull (strchr (ms, '.'));
      g_assert_cmpstr (strchr (ms, '.') + 2, ==, "");
      g_assert_cmpfloat (value, >=, last);
      last = value;
    }
}

/* Without TALLY_DEBUG=timing nothing is printed. */
static void
test_off (void)
{
  g_autofree char *err = run_child ("other");

  g_assert_cmpstr (err, ==, "");
}

/* The child: what main() and the application do. */
static int
child_main (void)
{
  tally_timing_init ();
  tally_timing_mark ("window-built");
  tally_timing_init (); /* a second call changes nothing */
  tally_timing_mark ("dashboard-filled");

  return 0;
}

int
main (int argc,
      char *argv[])
{
  if (g_getenv ("TALLY_TEST_TIMING_CHILD") != NULL)
    return child_main ();

  g_test_init (&argc, &argv, NULL);
  self_path = argv[0];

  g_test_add_func ("/timing/marks", test_marks);
  g_test_add_func ("/timing/off", test_off);

  return g_test_run ();
}

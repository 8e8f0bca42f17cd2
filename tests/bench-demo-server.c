/* bench-demo-server.c: a demo server with many rows for tests/bench-export.sh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-demo-server [ROWS]
 * Prints "URL TOKEN" on one line of standard output, then serves until killed.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tally-demo-server.h"

int
main (int argc,
      char **argv)
{
  g_autoptr (TallyDemoServer) server = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  guint rows = 100000;

  if (argc > 1)
    rows = (guint) g_ascii_strtoull (argv[1], NULL, 10);

  server = g_object_new (TALLY_TYPE_DEMO_SERVER,
                         "rows", rows,
                         "days", 90,
                         "seed", (guint64) 42,
                         NULL);
  /* bench-sched.sh: BENCH_RATE_LIMIT=HEAVY/GENERAL/SECONDS, BENCH_FAULTS=RATE_500/RATE_DROP */
  if (g_getenv ("BENCH_RATE_LIMIT") != NULL)
    {
      guint h = 0, g = 0, w = 0;

      if (sscanf (g_getenv ("BENCH_RATE_LIMIT"), "%u/%u/%u", &h, &g, &w) == 3)
        tally_demo_server_set_rate_limit (server, h, g, w);
    }
  if (g_getenv ("BENCH_FAULTS") != NULL)
    {
      double r500 = 0, rdrop = 0;

      if (sscanf (g_getenv ("BENCH_FAULTS"), "%lf/%lf", &r500, &rdrop) == 2)
        tally_demo_server_set_fault_rates (server, r500, rdrop);
    }
  if (!tally_demo_server_start (server, &error))
    {
      g_printerr ("bench-demo-server: %s\n", error->message);
      return EXIT_FAILURE;
    }

  token = tally_demo_server_issue_token (server, 24 * 3600);
  g_print ("%s %s\n", tally_demo_server_get_url (server), token);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (loop);

  return EXIT_SUCCESS;
}

/* tally-timing.c: startup timing marks (TALLY_DEBUG=timing)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tally-timing.h"

/* g_get_monotonic_time () at exec; -1 while timing is off. */
static gint64 timing_origin = -1;

/* Microseconds from exec to now, from the process's start time in
 * /proc/self/stat (clock ticks since boot) and CLOCK_BOOTTIME; 0 if unknown. */
static gint64
time_since_exec (void)
{
  g_autofree char *stat = NULL;
  struct timespec now;
  const char *p;
  guint64 start_ticks;
  long ticks_per_second;
  gint64 elapsed;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL))
    return 0;

  /* The command name may hold spaces and parentheses: skip to the last ')'. */
  p = strrchr (stat, ')');
  if (p == NULL)
    return 0;

  /* Fields 3.. follow; starttime is field 22. */
  for (int field = 2; field < 22 && p != NULL; field++)
    {
      p = strchr (p + 1, ' ');
    }
  if (p == NULL)
    return 0;

  start_ticks = g_ascii_strtoull (p + 1, NULL, 10);
  ticks_per_second = sysconf (_SC_CLK_TCK);
  if (ticks_per_second <= 0 || clock_gettime (CLOCK_BOOTTIME, &now) != 0)
    return 0;

  elapsed = (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000 - (gint64) (start_ticks * G_USEC_PER_SEC / (guint64) ticks_per_second);

  return MAX (elapsed, 0);
}

void
tally_timing_init (void)
{
  static const GDebugKey keys[] = { { "timing", 1 } };
  gint64 now = g_get_monotonic_time ();

  if (timing_origin >= 0)
    return;

  if ((g_parse_debug_string (g_getenv ("TALLY_DEBUG"), keys, G_N_ELEMENTS (keys)) & 1) == 0)
    return;

  timing_origin = now - time_since_exec ();
  tally_timing_mark ("main");
}

gboolean
tally_timing_enabled (void)
{
  return timing_origin >= 0;
}

void
tally_timing_mark (const char *event)
{
  char ms[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (event != NULL);

  if (timing_origin < 0)
    return;

  /* '.' whatever LC_NUMERIC says: scripts parse this line */
  g_ascii_formatd (ms, sizeof ms, "%.1f", (double) (g_get_monotonic_time () - timing_origin) / 1000.0);
  /* Not g_printerr: the line must not depend on print handlers. */
  fprintf (stderr, "tally-timing: %s %s\n", event, ms);
  fflush (stderr);
}

/* tally-timing.h: startup timing marks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TALLY_DEBUG=timing, read once by tally_timing_init() at the top of main().
 * When on, tally_timing_mark() prints one line to stderr:
 * "tally-timing: EVENT MS", MS being milliseconds since the process started
 * (exec, from /proc/self/stat; 10 ms granularity for the exec→main part).
 * tests/bench-startup.sh parses these lines.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void tally_timing_init (void);
gboolean tally_timing_enabled (void);
void tally_timing_mark (const char *event);

G_END_DECLS

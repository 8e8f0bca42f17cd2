/* tally-application.h: the GtkApplication; owns the one TallySession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tally-session.h"

G_BEGIN_DECLS

#define TALLY_TYPE_APPLICATION (tally_application_get_type ())

G_DECLARE_FINAL_TYPE (TallyApplication, tally_application, TALLY, APPLICATION, AdwApplication)

TallyApplication *tally_application_new (void);

TallySession *tally_application_get_session (TallyApplication *self);

/* Startup timing (TALLY_DEBUG=timing, read once by tally_timing_init() at the
 * top of main()). When on, tally_timing_mark() prints one line to stderr:
 * "tally-timing: EVENT MS", MS being milliseconds since the process started
 * (exec, from /proc/self/stat; 10 ms granularity for the exec→main part). */
void tally_timing_init (void);
gboolean tally_timing_enabled (void);
void tally_timing_mark (const char *event);

G_END_DECLS

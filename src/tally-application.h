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

G_END_DECLS

/* tally-preferences-window.h: the application's preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three groups on one page: Account (the session's server and user, and Log
 * Out), Appearance (the "color-scheme" key, which TallyApplication applies)
 * and Dashboard ("auto-refresh-minutes" and the default "trend-series").
 * Server strings are shown as plain text, never as Pango markup.
 */

#pragma once

#include <adwaita.h>

#include "tally-month-budget.h"
#include "tally-session.h"

G_BEGIN_DECLS

#define TALLY_TYPE_PREFERENCES_WINDOW (tally_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (TallyPreferencesWindow, tally_preferences_window, TALLY, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* A new preferences window for @session, transient for @parent (may be NULL).
 * "Log Out" activates "win.logout" on @parent (or, without a parent that has
 * it, logs @session out) and closes the window. */
/* The account's budget (the dashboard's); the Budget row edits it. */
void tally_preferences_window_set_month_budget (TallyPreferencesWindow *self,
                                                TallyMonthBudget *month_budget);
GtkWindow *tally_preferences_window_new (GtkWindow *parent,
                                         TallySession *session);
TallySession *tally_preferences_window_get_session (TallyPreferencesWindow *self);

G_END_DECLS

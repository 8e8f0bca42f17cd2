/* tally-preferences-window.h: the application's preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TALLY_TYPE_PREFERENCES_WINDOW (tally_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (TallyPreferencesWindow, tally_preferences_window, TALLY, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* A new preferences window, transient for @parent (may be NULL). */
GtkWindow *tally_preferences_window_new (GtkWindow *parent);

G_END_DECLS

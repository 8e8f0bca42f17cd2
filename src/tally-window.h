/* tally-window.h: the main window: login, or the dashboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tally-dashboard-page.h"
#include "tally-dashboard.h"
#include "tally-session.h"

G_BEGIN_DECLS

#define TALLY_TYPE_WINDOW (tally_window_get_type ())

G_DECLARE_FINAL_TYPE (TallyWindow, tally_window, TALLY, WINDOW, AdwApplicationWindow)

/* @application may be NULL (tests). @session: the view model (construct-only). */
TallyWindow *tally_window_new (GtkApplication *application,
                               TallySession *session);

TallySession *tally_window_get_session (TallyWindow *self);
/* The dashboard view model the window created for its session. */
TallyDashboard *tally_window_get_dashboard (TallyWindow *self);
/* The dashboard view (its "filled" property times the startup). */
TallyDashboardPage *tally_window_get_dashboard_page (TallyWindow *self);

/* Sets the login page's server and e-mail fields (NULL = leave as is). */
void tally_window_prefill_login (TallyWindow *self,
                                 const char *server_url,
                                 const char *email);

/* Shows @message (plain text) as a toast; views activate "win.toast" with
 * the message as a string parameter instead. */
void tally_window_add_toast (TallyWindow *self,
                             const char *message);

/* Shows the usage view with exactly @query as its filter (app.show-usage). */
void tally_window_show_usage_query (TallyWindow *self,
                                    const TallyUsageQuery *query);

G_END_DECLS

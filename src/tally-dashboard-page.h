/* tally-dashboard-page.h: the cards (and, later, the charts) of the dashboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tally-dashboard.h"
#include "tally-month-budget.h"
#include "tally-session.h"
#include "tally-trend-chart-draw.h"

G_BEGIN_DECLS

#define TALLY_TYPE_DASHBOARD_PAGE (tally_dashboard_page_get_type ())

G_DECLARE_FINAL_TYPE (TallyDashboardPage, tally_dashboard_page, TALLY, DASHBOARD_PAGE, GtkWidget)

GtkWidget *tally_dashboard_page_new (void);

TallySession *tally_dashboard_page_get_session (TallyDashboardPage *self);
void tally_dashboard_page_set_session (TallyDashboardPage *self,
                                       TallySession *session);
TallyDashboard *tally_dashboard_page_get_dashboard (TallyDashboardPage *self);
void tally_dashboard_page_set_dashboard (TallyDashboardPage *self,
                                         TallyDashboard *dashboard);
/* Selects the trend's series (e.g. the default from GSettings). */
void tally_dashboard_page_set_series (TallyDashboardPage *self,
                                      TallyTrendSeries series);
/* "filled": TRUE once a frame with every value in has been painted. */
gboolean tally_dashboard_page_get_filled (TallyDashboardPage *self);

/* This month's billed cost, forecast and budget (NULL without a session). */
TallyMonthBudget *tally_dashboard_page_get_month_budget (TallyDashboardPage *self);

G_END_DECLS

/* tally-month-budget.h: this month's billed cost, its forecast, the budget and the subscriptions, for the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TallyMonthBudget follows a TallySession: after each of its loads that
 * succeeded ("reloaded" without "last-error"; a failed one keeps what is on
 * screen) it asks the daily trend of the days a forecast needs
 * (tally_forecast_trend_range(): the month so far and the 7 days before
 * today) and makes "forecast" from it (tally_forecast_new_from_trend(), the
 * server's clock and zone, the account's first day), the same figures as
 * `tally budget`. "budget" is the account's monthly budget from the budget
 * store (0 = none), the same file the CLI writes; tally_month_budget_set_budget()
 * writes it. The account is the session's server (or TALLY_BUDGET_DEMO_SERVER
 * for the demo) and email.
 *
 * With the same load it asks GET /subscriptions/progress ("subscriptions").
 *
 * A failed load keeps the last forecast and sets "error" (plain text); a new
 * load or logging out cancels the one in flight; logging out clears it all.
 */

#pragma once

#include <gio/gio.h>

#include "tally-forecast.h"
#include "tally-session.h"

G_BEGIN_DECLS

#define TALLY_TYPE_MONTH_BUDGET (tally_month_budget_get_type ())

G_DECLARE_FINAL_TYPE (TallyMonthBudget, tally_month_budget, TALLY, MONTH_BUDGET, GObject)

TallyMonthBudget *tally_month_budget_new (TallySession *session);

/* NULL until the first load of a logged-in session. */
TallyForecast *tally_month_budget_get_forecast (TallyMonthBudget *self);
/* The monthly budget in USD, 0 when none is set. */
double tally_month_budget_get_budget (TallyMonthBudget *self);
/* Writes the budget of the session's account (@usd 0: removes it). FALSE
 * with @error when the file cannot be written or there is no account. */
gboolean tally_month_budget_set_budget (TallyMonthBudget *self,
                                        double usd,
                                        GError **error);
/* "subscriptions": GET /subscriptions/progress of the same load
 * (TallySubscriptionProgress items); NULL until it came. A failure keeps the
 * last list. */
GListModel *tally_month_budget_get_subscriptions (TallyMonthBudget *self);
gboolean tally_month_budget_get_loading (TallyMonthBudget *self);
const char *tally_month_budget_get_error (TallyMonthBudget *self);
/* TRUE when a budget is set and month-to-date or the forecast is above it. */
gboolean tally_month_budget_get_over (TallyMonthBudget *self);
/* Loads now (also what "reloaded" does). */
void tally_month_budget_reload (TallyMonthBudget *self);

G_END_DECLS

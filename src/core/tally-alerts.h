/* tally-alerts.h: the notifications that are due, each once per window or period and account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TallyAlerts follows a TallySession and its TallyMonthBudget. After each
 * change of their data (the session's "reloaded", the budget's
 * "subscriptions", "forecast" and "budget") it computes the alerts that are
 * due and emits "alert" for each one it has not sent before for the account:
 *
 *   window:<subscription id>:<daily|weekly|monthly>:<80|100>:<window_start unix>
 *       a subscription window at 80 % or more / used up
 *   key-quota:<key id>:<80|100>      a key's quota at 80 % or more / exhausted
 *   key-expiry:<key id>:<expires_at unix>   a key expiring within 3 days
 *   balance:<threshold>              the balance below the threshold: the
 *       server's balance_low_notify_threshold when the server enables it
 *       (/settings/public, read once per server), else the user's own
 *       (tally_alerts_set_balance_threshold(); 0 = off)
 *   budget:<YYYY-MM>                 month-to-date or the forecast over the
 *       monthly budget in that server month
 *
 * A used-up window or quota sends only its 100 alert (its 80 one counts as
 * sent). A window that resets has a new window_start, so its alerts fire
 * again; a key whose quota falls back under 80 %, a balance back above the
 * threshold (a recharge) and a new month re-arm theirs the same way.
 *
 * What was sent is remembered across restarts in
 * g_get_user_state_dir()/tally/alerts.ini, one group per account
 * ("SERVER EMAIL", SERVER "demo" for the demo, as the budget store), key
 * "sent": written atomically, only when it changes, and pruned of the ids
 * whose window, key or period is gone. Nothing is sent while the session is
 * not READY.
 */

#pragma once

#include <gio/gio.h>

#include "tally-month-budget.h"
#include "tally-session.h"

G_BEGIN_DECLS

/* A key expiring within this many days is an alert. */
#define TALLY_ALERTS_EXPIRY_DAYS 3

#define TALLY_TYPE_ALERTS (tally_alerts_get_type ())

G_DECLARE_FINAL_TYPE (TallyAlerts, tally_alerts, TALLY, ALERTS, GObject)

/* Signal "alert" (const char *id, const char *title, const char *body,
 * const char *action, GVariant *target): one new alert. @title and @body are
 * plain translated text naming the subscription, key or account; @action is
 * "app.show-usage" (@target a{sv} {"key": <int64 id>}) for key alerts and
 * "app.show-dashboard" (@target a{sv} {"server": <s>, "email": <s>}) for the
 * others. Emitted after the memory file is written. */

/* @budget: the month budget of @session (the forecast and the subscriptions).
 * Nothing is emitted before the main loop runs: the first check follows the
 * server's /settings/public (or the session's first "reloaded"). */
TallyAlerts *tally_alerts_new (TallySession *session,
                               TallyMonthBudget *budget);

/* The user's own low-balance threshold in USD (0 = none, the default), used
 * when the server does not enable its own. Checks again. */
void tally_alerts_set_balance_threshold (TallyAlerts *self,
                                         double usd);
double tally_alerts_get_balance_threshold (TallyAlerts *self);

/* TRUE once the session read /settings/public of its server (or a load
 * finished without it): until then no balance alert is computed. */
gboolean tally_alerts_get_settings_known (TallyAlerts *self);

/* Computes the alerts now (what every change of the data does). */
void tally_alerts_check (TallyAlerts *self);

/* The memory file (g_get_user_state_dir()/tally/alerts.ini). */
char *tally_alerts_get_path (void);

G_END_DECLS

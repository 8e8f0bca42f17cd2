/* tally-subscription.h: subscriptions, their quota windows and per-platform quotas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The models of API-2026.md §5: a UserSubscription (TallySubscription), one
 * row of /subscriptions/progress (TallySubscriptionProgress) with the
 * windows the server sent (TallyQuotaWindow; a window the server omits is
 * NULL: the group has no such limit or the window has not started), and a
 * row of /user/platform-quotas (TallyPlatformQuota, today's servers only).
 */

#pragma once

#include <gio/gio.h>

#include "tally-group.h"

G_BEGIN_DECLS

/**
 * TallyQuotaPeriod:
 * @TALLY_QUOTA_DAILY: 24 hours from the window's start
 * @TALLY_QUOTA_WEEKLY: 7 days
 * @TALLY_QUOTA_MONTHLY: 30 days, rolling (not the calendar month)
 */
typedef enum
{
  TALLY_QUOTA_DAILY,
  TALLY_QUOTA_WEEKLY,
  TALLY_QUOTA_MONTHLY,
} TallyQuotaPeriod;

#define TALLY_QUOTA_N_PERIODS 3

/* "daily", "weekly", "monthly" (the server's member names) */
const char *tally_quota_period_get_id (TallyQuotaPeriod period);
/* "Daily", "Weekly", "Monthly" (translated) */
const char *tally_quota_period_get_title (TallyQuotaPeriod period);

#define TALLY_TYPE_QUOTA_WINDOW (tally_quota_window_get_type ())
G_DECLARE_FINAL_TYPE (TallyQuotaWindow, tally_quota_window, TALLY, QUOTA_WINDOW, GObject)

/* As the server sends them: remaining_usd ≥ 0, percentage 0 … 100. */
double tally_quota_window_get_limit_usd (TallyQuotaWindow *self);
double tally_quota_window_get_used_usd (TallyQuotaWindow *self);
double tally_quota_window_get_remaining_usd (TallyQuotaWindow *self);
double tally_quota_window_get_percentage (TallyQuotaWindow *self);
GDateTime *tally_quota_window_get_window_start (TallyQuotaWindow *self);
GDateTime *tally_quota_window_get_resets_at (TallyQuotaWindow *self);
gint64 tally_quota_window_get_resets_in_seconds (TallyQuotaWindow *self);

#define TALLY_TYPE_SUBSCRIPTION (tally_subscription_get_type ())
G_DECLARE_FINAL_TYPE (TallySubscription, tally_subscription, TALLY, SUBSCRIPTION, GObject)

gint64 tally_subscription_get_id (TallySubscription *self);
gint64 tally_subscription_get_group_id (TallySubscription *self);
const char *tally_subscription_get_status (TallySubscription *self);
GDateTime *tally_subscription_get_starts_at (TallySubscription *self);
GDateTime *tally_subscription_get_expires_at (TallySubscription *self);
/* NULL until the window's first use */
GDateTime *tally_subscription_get_window_start (TallySubscription *self,
                                                TallyQuotaPeriod period);
double tally_subscription_get_usage_usd (TallySubscription *self,
                                         TallyQuotaPeriod period);
/* NULL when the server sent none */
TallyGroup *tally_subscription_get_group (TallySubscription *self);

#define TALLY_TYPE_SUBSCRIPTION_PROGRESS (tally_subscription_progress_get_type ())
G_DECLARE_FINAL_TYPE (TallySubscriptionProgress, tally_subscription_progress, TALLY, SUBSCRIPTION_PROGRESS, GObject)

gint64 tally_subscription_progress_get_id (TallySubscriptionProgress *self);
const char *tally_subscription_progress_get_group_name (TallySubscriptionProgress *self);
GDateTime *tally_subscription_progress_get_expires_at (TallySubscriptionProgress *self);
gint64 tally_subscription_progress_get_expires_in_days (TallySubscriptionProgress *self);
/* NULL when the server left the window out */
TallyQuotaWindow *tally_subscription_progress_get_window (TallySubscriptionProgress *self,
                                                          TallyQuotaPeriod period);
TallySubscription *tally_subscription_progress_get_subscription (TallySubscriptionProgress *self);

#define TALLY_TYPE_PLATFORM_QUOTA (tally_platform_quota_get_type ())
G_DECLARE_FINAL_TYPE (TallyPlatformQuota, tally_platform_quota, TALLY, PLATFORM_QUOTA, GObject)

const char *tally_platform_quota_get_platform (TallyPlatformQuota *self);
double tally_platform_quota_get_usage_usd (TallyPlatformQuota *self,
                                           TallyQuotaPeriod period);
/* NAN: no limit */
double tally_platform_quota_get_limit_usd (TallyPlatformQuota *self,
                                           TallyQuotaPeriod period);
/* NULL: no limit */
GDateTime *tally_platform_quota_get_resets_at (TallyPlatformQuota *self,
                                               TallyQuotaPeriod period);

G_END_DECLS

/* tally-quota-format.h: words and states for quota windows, key quotas and expiry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure helpers for the dashboard and the command line: "resets in 4 h 12 min",
 * "expires in 30 days", and how close a window or key is to its limit.
 */

#pragma once

#include <glib.h>

#include "tally-api-key.h"
#include "tally-subscription.h"

G_BEGIN_DECLS

/**
 * TallyQuotaState:
 * @TALLY_QUOTA_STATE_OK: below 80 % (or no limit, or unknown)
 * @TALLY_QUOTA_STATE_WARNING: 80 % or more of the limit; for an expiry, 7 days or less left
 * @TALLY_QUOTA_STATE_USED_UP: 100 % or nothing remaining; for an expiry, expired
 */
typedef enum
{
  TALLY_QUOTA_STATE_OK,
  TALLY_QUOTA_STATE_WARNING,
  TALLY_QUOTA_STATE_USED_UP,
} TallyQuotaState;

#define TALLY_QUOTA_WARNING_PERCENT 80.0
#define TALLY_QUOTA_WARNING_EXPIRY_DAYS 7

/* @used of @limit (USD): OK when @limit is 0 (none) or not finite (unknown). */
TallyQuotaState tally_quota_state_for_usage (double used,
                                             double limit);
/* A window as the server measured it: used up at 100 % or with nothing
 * remaining, a warning from 80 %. */
TallyQuotaState tally_quota_window_get_state (TallyQuotaWindow *window);
/* @seconds_left until an expiry: used up at 0 or less, a warning within 7 days. */
TallyQuotaState tally_quota_state_for_expiry (gint64 seconds_left);
/* A key's quota: used up when the server says quota_exhausted or when
 * quota_used reaches it; OK without a quota or without the fields. */
TallyQuotaState tally_api_key_get_quota_state (TallyApiKey *key);
/* A key's expiry as of @now: "expired" is used up; OK without one. */
TallyQuotaState tally_api_key_get_expiry_state (TallyApiKey *key,
                                                GDateTime *now);

/* "resets in 4 h 12 min", "resets in 12 min", "resets in 3 days 2 h",
 * "resets in less than a minute" (@seconds ≤ 59; 0: "resets now"). */
char *tally_format_resets_in (gint64 seconds);
/* "expires in 30 days", "expires in 1 day", "expires today" (0),
 * "expired" (negative). */
char *tally_format_expires_in_days (gint64 days);

G_END_DECLS

/* tally-quota-format.c: words and states for quota windows, key quotas and expiry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-quota-format"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "tally-quota-format.h"

TallyQuotaState
tally_quota_state_for_usage (double used,
                             double limit)
{
  if (!isfinite (limit) || limit <= 0 || !isfinite (used))
    return TALLY_QUOTA_STATE_OK;
  if (used >= limit)
    return TALLY_QUOTA_STATE_USED_UP;
  if (used * 100 >= limit * TALLY_QUOTA_WARNING_PERCENT)
    return TALLY_QUOTA_STATE_WARNING;
  return TALLY_QUOTA_STATE_OK;
}

TallyQuotaState
tally_quota_window_get_state (TallyQuotaWindow *window)
{
  double percentage;

  g_return_val_if_fail (TALLY_IS_QUOTA_WINDOW (window), TALLY_QUOTA_STATE_OK);

  percentage = tally_quota_window_get_percentage (window);
  if (percentage >= 100 || tally_quota_window_get_remaining_usd (window) <= 0)
    return TALLY_QUOTA_STATE_USED_UP;
  if (percentage >= TALLY_QUOTA_WARNING_PERCENT)
    return TALLY_QUOTA_STATE_WARNING;
  return TALLY_QUOTA_STATE_OK;
}

TallyQuotaState
tally_quota_state_for_expiry (gint64 seconds_left)
{
  if (seconds_left <= 0)
    return TALLY_QUOTA_STATE_USED_UP;
  if (seconds_left <= TALLY_QUOTA_WARNING_EXPIRY_DAYS * G_GINT64_CONSTANT (86400))
    return TALLY_QUOTA_STATE_WARNING;
  return TALLY_QUOTA_STATE_OK;
}

TallyQuotaState
tally_api_key_get_quota_state (TallyApiKey *key)
{
  g_return_val_if_fail (TALLY_IS_API_KEY (key), TALLY_QUOTA_STATE_OK);

  if (g_strcmp0 (tally_api_key_get_status (key), "quota_exhausted") == 0)
    return TALLY_QUOTA_STATE_USED_UP;
  if (!tally_api_key_has_quota (key))
    return TALLY_QUOTA_STATE_OK;
  return tally_quota_state_for_usage (tally_api_key_get_quota_used (key), tally_api_key_get_quota (key));
}

TallyQuotaState
tally_api_key_get_expiry_state (TallyApiKey *key,
                                GDateTime *now)
{
  GDateTime *expires_at;

  g_return_val_if_fail (TALLY_IS_API_KEY (key), TALLY_QUOTA_STATE_OK);
  g_return_val_if_fail (now != NULL, TALLY_QUOTA_STATE_OK);

  if (g_strcmp0 (tally_api_key_get_status (key), "expired") == 0)
    return TALLY_QUOTA_STATE_USED_UP;
  expires_at = tally_api_key_get_expires_at (key);
  if (expires_at == NULL)
    return TALLY_QUOTA_STATE_OK;
  return tally_quota_state_for_expiry (g_date_time_difference (expires_at, now) / G_TIME_SPAN_SECOND);
}

char *
tally_format_resets_in (gint64 seconds)
{
  gint64 days, hours, minutes;

  if (seconds <= 0)
    return g_strdup (_ ("resets now"));
  if (seconds < 60)
    return g_strdup (_ ("resets in less than a minute"));

  days = seconds / 86400;
  hours = seconds % 86400 / 3600;
  minutes = seconds % 3600 / 60;

  if (days > 0 && hours > 0)
    /* Translators: "resets in 3 days 2 h"; the second %d is hours */
    return g_strdup_printf (ngettext ("resets in %d day %d h", "resets in %d days %d h", days),
                            (int) days, (int) hours);
  if (days > 0)
    return g_strdup_printf (ngettext ("resets in %d day", "resets in %d days", days), (int) days);
  if (hours > 0 && minutes > 0)
    /* Translators: "resets in 4 h 12 min" */
    return g_strdup_printf (_ ("resets in %d h %d min"), (int) hours, (int) minutes);
  if (hours > 0)
    return g_strdup_printf (_ ("resets in %d h"), (int) hours);
  return g_strdup_printf (_ ("resets in %d min"), (int) minutes);
}

char *
tally_format_expires_in_days (gint64 days)
{
  if (days < 0)
    return g_strdup (_ ("expired"));
  if (days == 0)
    return g_strdup (_ ("expires today"));
  return g_strdup_printf (ngettext ("expires in %d day", "expires in %d days", days), (int) days);
}

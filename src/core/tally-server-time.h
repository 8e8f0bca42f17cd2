/* tally-server-time.h: server calendar days, presets and trend gap filling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every date the API takes or returns is a calendar day in the server's time
 * zone (API.md §5.1). The zone name is never sent; only its UTC offset is
 * known (from the suffix of any created_at), so "server today" is computed from
 * a unix time plus that offset. Dates are "YYYY-MM-DD" strings throughout.
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

/* Strict "YYYY-MM-DD": exactly 10 characters, zero-padded, a real calendar
 * date in years 0001..9999 ("2024-02-29" ok; "2026-02-29", "2026-1-5",
 * " 2026-01-05" rejected). @out may be NULL (validation only); it is left
 * untouched when FALSE is returned. */
gboolean tally_date_parse (const char *ymd,
                           GDate *out);

/* "YYYY-MM-DD" of a valid @date. */
char *tally_date_format (const GDate *date);

/* The server's calendar day at @now_unix for a server at @utc_offset_seconds
 * east of UTC, e.g. (1768449600, 28800) → "2026-01-15". */
char *tally_server_today (gint64 now_unix,
                          int utc_offset_seconds);

/* The UTC offset of an RFC 3339 timestamp's suffix: "Z" → 0, "+08:00" → 28800,
 * "-05:30" → -19800. The whole timestamp must be valid
 * ("2026-01-15T11:34:41.016471+08:00"); FALSE when it has no offset or is malformed. */
gboolean tally_utc_offset_from_timestamp (const char *rfc3339,
                                          int *offset_seconds);

/* 28800 → "UTC+08:00", 0 → "UTC", -19800 → "UTC-05:30"
 * (seconds, if any, appended: "UTC+00:09:21"). */
char *tally_format_utc_offset (int seconds);

typedef enum
{
  TALLY_DATE_PRESET_TODAY,
  TALLY_DATE_PRESET_YESTERDAY,
  TALLY_DATE_PRESET_LAST_7_DAYS,
  TALLY_DATE_PRESET_LAST_14_DAYS,
  TALLY_DATE_PRESET_LAST_30_DAYS,
  TALLY_DATE_PRESET_THIS_MONTH,
  TALLY_DATE_PRESET_LAST_MONTH,
  TALLY_DATE_PRESET_N_PRESETS /*< skip >*/
} TallyDatePreset;

/* The one table of presets: a stable id ("today", "yesterday", "last-7-days",
 * "last-14-days", "last-30-days", "this-month", "last-month"), used by the
 * win.range action, the Alt+1…7 shortcuts and saved settings, and an
 * untranslated title ("Last 7 Days", marked with N_(): pass it through _()). */
const char *tally_date_preset_get_id (TallyDatePreset preset);
const char *tally_date_preset_get_title (TallyDatePreset preset);
/* FALSE (and *preset untouched) for an unknown id. */
gboolean tally_date_preset_from_id (const char *id,
                                    TallyDatePreset *preset);

/* Inclusive [start, end] of @preset relative to @server_today ("YYYY-MM-DD"):
 * today … today; yesterday … yesterday; "last N days" = today-(N-1) … today;
 * this month = the 1st … today; last month = the whole previous month.
 * *start_date and *end_date receive new strings (NULL if @server_today is invalid). */
void tally_date_preset_range (TallyDatePreset preset,
                              const char *server_today,
                              char **start_date,
                              char **end_date);

/* Number of days in the inclusive range (same day → 1); 0 when either date is
 * invalid or @end is before @start. */
int tally_date_range_days (const char *start,
                           const char *end);

/* A new GListStore of TallyTrendPoint with exactly one point per day
 * ("YYYY-MM-DD") of [start_date, end_date], or per hour ("YYYY-MM-DD HH:00",
 * hours 00..23 of every day) for TALLY_GRANULARITY_HOUR, in order. Points of
 * @points whose label matches are reused (same object); the others are
 * tally_trend_point_new_empty(). Points outside the range are dropped.
 * If a date is invalid or end < start, the result holds the points of @points
 * unchanged (nothing to fill). */
GListModel *tally_trend_zero_fill (GListModel *points,
                                   const char *start_date,
                                   const char *end_date,
                                   TallyGranularity granularity);

G_END_DECLS

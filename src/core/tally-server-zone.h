/* tally-server-zone.h: the server's time zone, right on every date
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every date the API takes or returns is a calendar day in the server's zone
 * (API.md §5.1). Servers since Jul 2026 name it (`server_timezone` in
 * /settings/public, API-2026.md §4); then a TallyServerZone holds a GTimeZone
 * and knows the offset at any instant, DST included. Older servers only show
 * the offset of their timestamps: then the zone is a fixed offset, taken from
 * the newest timestamp seen (tally_server_zone_is_older_evidence()).
 *
 * A TallyServerZone is immutable and reference counted (a boxed type).
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_SERVER_ZONE (tally_server_zone_get_type ())

typedef struct _TallyServerZone TallyServerZone;

GType tally_server_zone_get_type (void) G_GNUC_CONST;

/* A zone that is always @utc_offset_seconds east of UTC (no name). */
TallyServerZone *tally_server_zone_new_offset (int utc_offset_seconds);

/* The zone named @identifier ("America/New_York"). When the name is empty,
 * NULL or unknown to this machine's tzdata, the result is the fixed
 * @fallback_offset_seconds and has no name. */
TallyServerZone *tally_server_zone_new_identifier (const char *identifier,
                                                   int fallback_offset_seconds);

/* The zone from /settings/public: `server_timezone` when it is a known name,
 * else the fixed `server_utc_offset` ("+08:00", "-05:00", "Z"); NULL when
 * the server sends neither (a server older than Jul 2026). */
TallyServerZone *tally_server_zone_new_from_settings (const char *server_timezone,
                                                      const char *server_utc_offset);

TallyServerZone *tally_server_zone_ref (TallyServerZone *self);
void tally_server_zone_unref (TallyServerZone *self);

/* The IANA name, or NULL for a fixed offset. */
const char *tally_server_zone_get_name (const TallyServerZone *self);

gboolean tally_server_zone_equal (const TallyServerZone *a,
                                  const TallyServerZone *b);

/* Seconds east of UTC at the instant @unix_time. */
int tally_server_zone_get_offset_at (const TallyServerZone *self,
                                     gint64 unix_time);

/* Seconds east of UTC on the server day @ymd ("YYYY-MM-DD"): the offset at
 * that day's noon, the one in force for most of any DST change day (changes
 * happen at night). Returns the offset now for an invalid date. */
int tally_server_zone_get_offset_on (const TallyServerZone *self,
                                     const char *ymd,
                                     gint64 now_unix);

/* The server's wall-clock time at @unix_time, "YYYY-MM-DD HH:MM"
 * (1768449600 in UTC+08:00 → "2026-01-15 12:00"). */
char *tally_server_zone_format_time (const TallyServerZone *self,
                                     gint64 unix_time);

/* The server's calendar day ("YYYY-MM-DD") at @now_unix. */
char *tally_server_zone_today (const TallyServerZone *self,
                               gint64 now_unix);

/* [*start_unix, *end_unix) of the server day @ymd: its midnight and the next
 * day's (25 h apart on a fall-back day, 23 h on a spring-forward day). FALSE
 * for an invalid date. */
gboolean tally_server_zone_day_bounds (const TallyServerZone *self,
                                       const char *ymd,
                                       gint64 *start_unix,
                                       gint64 *end_unix);

/* Which wall-clock hours 0..23 exist on the server day @ymd, as a bit mask
 * (bit h set = "HH:00" happens that day). The server labels hourly buckets
 * with the wall-clock hour (TO_CHAR 'YYYY-MM-DD HH24:00'), so a 23-hour
 * spring-forward day has no "02:00" in New York, and the repeated hour of a
 * 25-hour fall-back day is one bucket, "01:00". 0 for an invalid date. */
guint32 tally_server_zone_hours_on (const TallyServerZone *self,
                                    const char *ymd);

/* The zone for a label about the server day @ymd (or now when NULL):
 * "America/New_York (UTC-05:00)" with a name, "UTC-05:00" without. */
char *tally_server_zone_describe (const TallyServerZone *self,
                                  const char *ymd,
                                  gint64 now_unix);

/* tally_trend_zero_fill() that knows the zone: hourly, only the hours that
 * exist on each day (tally_server_zone_hours_on()). @zone may be NULL
 * (every day has 24 hours, as tally_trend_zero_fill()). */
GListModel *tally_trend_zero_fill_in_zone (GListModel *points,
                                           const char *start_date,
                                           const char *end_date,
                                           TallyGranularity granularity,
                                           const TallyServerZone *zone);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TallyServerZone, tally_server_zone_unref)

G_END_DECLS

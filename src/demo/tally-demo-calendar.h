/* tally-demo-calendar.h: calendar helpers of the demo data for a fixed UTC offset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TALLY_DEMO_US_PER_SECOND G_GINT64_CONSTANT (1000000)
#define TALLY_DEMO_US_PER_DAY (G_GINT64_CONSTANT (86400) * TALLY_DEMO_US_PER_SECOND)

/* ------------------------------------------------------------------------ */
/* Calendar (proleptic Gregorian, fixed offset)                              */

gint64 tally_demo_days_from_civil (gint64 year,
                                   int month,
                                   int day);
void tally_demo_civil_from_days (gint64 days,
                                 gint64 *year,
                                 int *month,
                                 int *day);
/* Strict "YYYY-MM-DD" (zero-padded, real date) → days since 1970-01-01. */
gboolean tally_demo_parse_date (const char *text,
                                gint64 *days);
char *tally_demo_format_date (gint64 days);
/* floor((unix_us / 1e6 + offset) / 86400) */
gint64 tally_demo_local_day (gint64 unix_us,
                             int utc_offset);
gint64 tally_demo_local_hour (gint64 unix_us,
                              int utc_offset);
/* Unix microseconds of the server's midnight starting @days. */
gint64 tally_demo_day_start_us (gint64 days,
                                int utc_offset);

G_END_DECLS

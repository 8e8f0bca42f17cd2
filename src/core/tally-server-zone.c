/* tally-server-zone.c: the server's time zone, right on every date
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-server-zone"

#include "config.h"

#include <string.h>

#include "tally-server-time.h"
#include "tally-server-zone.h"
#include "tally-math-private.h"
#include "tally-trend-point.h"

#define SECONDS_PER_DAY 86400
/* GDate Julian day of 1970-01-01 (day 1 is 0001-01-01). */
#define JULIAN_UNIX_EPOCH 719163
/* Offsets change at most on quarter hours: one probe per quarter finds every
 * wall-clock hour of a day. */
#define PROBE_STEP 900

struct _TallyServerZone
{
  gatomicrefcount ref_count;
  GTimeZone *tz; /* NULL: a fixed offset */
  char *name;    /* NULL with a fixed offset */
  int offset;    /* the fixed offset */
};

G_DEFINE_BOXED_TYPE (TallyServerZone, tally_server_zone, tally_server_zone_ref, tally_server_zone_unref)

TallyServerZone *
tally_server_zone_new_offset (int utc_offset_seconds)
{
  TallyServerZone *self = g_new0 (TallyServerZone, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->offset = CLAMP (utc_offset_seconds, -24 * 3600 + 1, 24 * 3600 - 1);

  return self;
}

TallyServerZone *
tally_server_zone_new_identifier (const char *identifier,
                                  int fallback_offset_seconds)
{
  TallyServerZone *self = tally_server_zone_new_offset (fallback_offset_seconds);
  GTimeZone *tz;

  /* Only names: "+08:00" would make GLib build a fixed zone of its own. */
  if (identifier == NULL || !g_ascii_isalpha (identifier[0]))
    return self;

  /* GLib 2.74: NULL when the name is unknown here. */
  tz = g_time_zone_new_identifier (identifier);
  if (tz == NULL)
    return self;

  self->tz = tz;
  self->name = g_strdup (identifier);
  return self;
}

/* "+08:00", "-05:30", "+0800", "Z" → seconds; FALSE for anything else. */
static gboolean
parse_offset (const char *text,
              int *seconds)
{
  gsize len;
  int sign;
  guint hours, minutes;

  if (text == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (text, "Z") == 0 || g_strcmp0 (text, "UTC") == 0)
    {
      *seconds = 0;
      return TRUE;
    }

  len = strlen (text);
  if (len != 6 && len != 5)
    return FALSE;
  if (text[0] != '+' && text[0] != '-')
    return FALSE;
  sign = text[0] == '-' ? -1 : 1;
  if (!g_ascii_isdigit (text[1]) || !g_ascii_isdigit (text[2]))
    return FALSE;
  if (len == 6 && text[3] != ':')
    return FALSE;
  if (!g_ascii_isdigit (text[len - 2]) || !g_ascii_isdigit (text[len - 1]))
    return FALSE;

  hours = (guint) (text[1] - '0') * 10 + (guint) (text[2] - '0');
  minutes = (guint) (text[len - 2] - '0') * 10 + (guint) (text[len - 1] - '0');
  if (hours > 23 || minutes > 59)
    return FALSE;

  *seconds = sign * (int) (hours * 3600 + minutes * 60);
  return TRUE;
}

TallyServerZone *
tally_server_zone_new_from_settings (const char *server_timezone,
                                     const char *server_utc_offset)
{
  gboolean have_offset;
  int offset = 0;

  have_offset = parse_offset (server_utc_offset, &offset);

  if (server_timezone != NULL && server_timezone[0] != '\0')
    {
      TallyServerZone *zone = tally_server_zone_new_identifier (server_timezone, offset);

      if (zone->tz != NULL || have_offset)
        return zone;
      tally_server_zone_unref (zone);
    }

  return have_offset ? tally_server_zone_new_offset (offset) : NULL;
}

TallyServerZone *
tally_server_zone_ref (TallyServerZone *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tally_server_zone_unref (TallyServerZone *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_free (self->name);
  g_free (self);
}

const char *
tally_server_zone_get_name (const TallyServerZone *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

gboolean
tally_server_zone_equal (const TallyServerZone *a,
                         const TallyServerZone *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  if (a->name != NULL || b->name != NULL)
    return g_strcmp0 (a->name, b->name) == 0;
  return a->offset == b->offset;
}

int
tally_server_zone_get_offset_at (const TallyServerZone *self,
                                 gint64 unix_time)
{
  int interval;

  g_return_val_if_fail (self != NULL, 0);

  if (self->tz == NULL)
    return self->offset;

  interval = g_time_zone_find_interval (self->tz, G_TIME_TYPE_UNIVERSAL, unix_time);
  return g_time_zone_get_offset (self->tz, MAX (interval, 0));
}

/* Days since 1970-01-01 of the server day at @unix_time. */
static gint64
local_day_at (const TallyServerZone *self,
              gint64 unix_time)
{
  return _tally_floor_div (unix_time + tally_server_zone_get_offset_at (self, unix_time), SECONDS_PER_DAY);
}

char *
tally_server_zone_today (const TallyServerZone *self,
                         gint64 now_unix)
{
  g_return_val_if_fail (self != NULL, NULL);

  return tally_server_today (now_unix, tally_server_zone_get_offset_at (self, now_unix));
}

char *
tally_server_zone_format_time (const TallyServerZone *self,
                               gint64 unix_time)
{
  g_autoptr (GDateTime) wall = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  /* the wall clock as UTC fields: no zone database needed twice */
  wall = g_date_time_new_from_unix_utc (unix_time + tally_server_zone_get_offset_at (self, unix_time));
  g_return_val_if_fail (wall != NULL, NULL);

  return g_date_time_format (wall, "%Y-%m-%d %H:%M");
}

/* Days since 1970-01-01 of "YYYY-MM-DD"; FALSE when invalid. */
static gboolean
parse_day (const char *ymd,
           gint64 *days)
{
  GDate date;

  g_date_clear (&date, 1);
  if (!tally_date_parse (ymd, &date))
    return FALSE;

  *days = (gint64) g_date_get_julian (&date) - JULIAN_UNIX_EPOCH;
  return TRUE;
}

/* The first instant of server day @days: the instant whose local day is
 * @days, found from two guesses of the offset (an offset change at midnight
 * moves midnight, one in a gap makes the day start at the first hour that
 * exists). */
static gint64
day_start (const TallyServerZone *self,
           gint64 days)
{
  gint64 local_midnight = days * SECONDS_PER_DAY;
  gint64 t;

  if (self->tz == NULL)
    return local_midnight - self->offset;

  /* Offsets are within ±26 h, so one of these guesses is right or the
   * midnight does not exist; then the day starts where the offset changed. */
  t = local_midnight - tally_server_zone_get_offset_at (self, local_midnight);
  t = local_midnight - tally_server_zone_get_offset_at (self, t);
  if (local_day_at (self, t) == days && local_day_at (self, t - 1) < days)
    return t;

  /* Midnight falls in a gap or an overlap: search the 52 h around it for
   * the first instant of the day (a few dozen probes). */
  {
    gint64 lo = local_midnight - 26 * 3600;
    gint64 hi = local_midnight + 26 * 3600;

    while (hi - lo > 1)
      {
        gint64 mid = lo + (hi - lo) / 2;

        if (local_day_at (self, mid) >= days)
          hi = mid;
        else
          lo = mid;
      }
    return hi;
  }
}

gboolean
tally_server_zone_day_bounds (const TallyServerZone *self,
                              const char *ymd,
                              gint64 *start_unix,
                              gint64 *end_unix)
{
  gint64 days;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!parse_day (ymd, &days))
    return FALSE;

  if (start_unix != NULL)
    *start_unix = day_start (self, days);
  if (end_unix != NULL)
    *end_unix = day_start (self, days + 1);
  return TRUE;
}

int
tally_server_zone_get_offset_on (const TallyServerZone *self,
                                 const char *ymd,
                                 gint64 now_unix)
{
  gint64 start, end;

  g_return_val_if_fail (self != NULL, 0);

  if (!tally_server_zone_day_bounds (self, ymd, &start, &end))
    return tally_server_zone_get_offset_at (self, now_unix);

  return tally_server_zone_get_offset_at (self, start + (end - start) / 2);
}

guint32
tally_server_zone_hours_on (const TallyServerZone *self,
                            const char *ymd)
{
  gint64 days, start, end;
  guint32 mask = 0;

  g_return_val_if_fail (self != NULL, 0);

  if (!parse_day (ymd, &days))
    return 0;
  if (self->tz == NULL)
    return 0xffffff;

  start = day_start (self, days);
  end = day_start (self, days + 1);
  for (gint64 t = start; t < end; t += PROBE_STEP)
    {
      gint64 local = t + tally_server_zone_get_offset_at (self, t) - days * SECONDS_PER_DAY;

      if (local >= 0 && local < SECONDS_PER_DAY)
        mask |= 1u << (local / 3600);
    }
  return mask;
}

char *
tally_server_zone_describe (const TallyServerZone *self,
                            const char *ymd,
                            gint64 now_unix)
{
  g_autofree char *offset = NULL;
  int seconds;

  g_return_val_if_fail (self != NULL, NULL);

  seconds = ymd != NULL ? tally_server_zone_get_offset_on (self, ymd, now_unix)
                        : tally_server_zone_get_offset_at (self, now_unix);
  offset = tally_format_utc_offset (seconds);

  if (self->name == NULL)
    return g_steal_pointer (&offset);
  return g_strdup_printf ("%s (%s)", self->name, offset);
}

GListModel *
tally_trend_zero_fill_in_zone (GListModel *points,
                               const char *start_date,
                               const char *end_date,
                               TallyGranularity granularity,
                               const TallyServerZone *zone)
{
  g_autoptr (GListModel) filled = NULL;
  g_autoptr (GHashTable) given = NULL;
  GListStore *store;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (points), NULL);

  filled = tally_trend_zero_fill (points, start_date, end_date, granularity);
  if (zone == NULL || zone->tz == NULL || granularity != TALLY_GRANULARITY_HOUR)
    return g_steal_pointer (&filled);

  given = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (points); i++)
    {
      g_autoptr (GObject) point = g_list_model_get_item (points, i);
      g_hash_table_add (given, point);
    }

  /* Drop the empty hours that never happen (a spring-forward gap). */
  store = g_list_store_new (TALLY_TYPE_TREND_POINT);
  n = g_list_model_get_n_items (filled);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallyTrendPoint) point = g_list_model_get_item (filled, i);
      const char *label = tally_trend_point_get_date (point);
      char day[11];
      guint hour;

      if (!g_hash_table_contains (given, point) && label != NULL && strlen (label) == 16)
        {
          memcpy (day, label, 10);
          day[10] = '\0';
          hour = (guint) (label[11] - '0') * 10 + (guint) (label[12] - '0');
          if (hour < 24 && (tally_server_zone_hours_on (zone, day) & (1u << hour)) == 0)
            continue;
        }
      g_list_store_append (store, point);
    }

  return G_LIST_MODEL (store);
}

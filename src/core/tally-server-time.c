/* tally-server-time.c: server calendar days, presets and trend gap filling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-server-time"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "tally-server-time.h"
#include "tally-trend-point.h"

/* GDate Julian day of 1970-01-01 (day 1 is 0001-01-01). */
#define JULIAN_UNIX_EPOCH 719163
/* GDate Julian day of 9999-12-31. */
#define JULIAN_MAX 3652059

gboolean
tally_date_parse (const char *ymd,
                  GDate *out)
{
  guint year = 0;
  guint month = 0;
  guint day = 0;

  if (ymd == NULL || strlen (ymd) != 10)
    return FALSE;

  for (int i = 0; i < 10; i++)
    {
      if (i == 4 || i == 7)
        {
          if (ymd[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isdigit (ymd[i]))
        {
          return FALSE;
        }
    }

  for (int i = 0; i < 4; i++)
    year = year * 10 + (guint) (ymd[i] - '0');
  month = (guint) (ymd[5] - '0') * 10 + (guint) (ymd[6] - '0');
  day = (guint) (ymd[8] - '0') * 10 + (guint) (ymd[9] - '0');

  if (year < 1 || month < 1 || month > 12 || day < 1)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  if (out != NULL)
    g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);

  return TRUE;
}

char *
tally_date_format (const GDate *date)
{
  g_return_val_if_fail (date != NULL, NULL);
  g_return_val_if_fail (g_date_valid (date), NULL);

  return g_strdup_printf ("%04u-%02u-%02u",
                          (guint) g_date_get_year (date),
                          (guint) g_date_get_month (date),
                          (guint) g_date_get_day (date));
}

char *
tally_server_today (gint64 now_unix,
                    int utc_offset_seconds)
{
  gint64 local = now_unix + utc_offset_seconds;
  gint64 days = local / 86400;
  gint64 julian;
  GDate date;

  /* floor division */
  if (local % 86400 != 0 && local < 0)
    days--;

  julian = JULIAN_UNIX_EPOCH + days;
  julian = CLAMP (julian, 1, JULIAN_MAX);

  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) julian);

  return tally_date_format (&date);
}

static gboolean
has_offset_suffix (const char *s,
                   gsize len)
{
  if (len > 0 && (s[len - 1] == 'Z' || s[len - 1] == 'z'))
    return TRUE;

  return len > 6 && (s[len - 6] == '+' || s[len - 6] == '-') && g_ascii_isdigit (s[len - 5]) && g_ascii_isdigit (s[len - 4]) && s[len - 3] == ':' && g_ascii_isdigit (s[len - 2]) && g_ascii_isdigit (s[len - 1]);
}

gboolean
tally_utc_offset_from_timestamp (const char *rfc3339,
                                 int *offset_seconds)
{
  g_autoptr (GDateTime) dt = NULL;
  gsize len;

  if (rfc3339 == NULL)
    return FALSE;

  len = strlen (rfc3339);
  /* Shortest valid form: "YYYY-MM-DDTHH:MM:SSZ" */
  if (len < 20 || !has_offset_suffix (rfc3339, len))
    return FALSE;
  if (rfc3339[10] != 'T' && rfc3339[10] != 't' && rfc3339[10] != ' ')
    return FALSE;

  dt = g_date_time_new_from_iso8601 (rfc3339, NULL);
  if (dt == NULL)
    return FALSE;

  if (offset_seconds != NULL)
    *offset_seconds = (int) (g_date_time_get_utc_offset (dt) / G_TIME_SPAN_SECOND);

  return TRUE;
}

char *
tally_format_utc_offset (int seconds)
{
  guint magnitude;
  char sign;

  if (seconds == 0)
    return g_strdup ("UTC");

  sign = seconds < 0 ? '-' : '+';
  magnitude = seconds < 0 ? (guint) (-(gint64) seconds) : (guint) seconds;

  if (magnitude % 60 != 0)
    return g_strdup_printf ("UTC%c%02u:%02u:%02u", sign,
                            magnitude / 3600, (magnitude / 60) % 60, magnitude % 60);

  return g_strdup_printf ("UTC%c%02u:%02u", sign, magnitude / 3600, (magnitude / 60) % 60);
}

static const struct
{
  const char *id;
  const char *title;
} presets[TALLY_DATE_PRESET_N_PRESETS] = {
  [TALLY_DATE_PRESET_TODAY] = { "today", N_ ("Today") },
  [TALLY_DATE_PRESET_YESTERDAY] = { "yesterday", N_ ("Yesterday") },
  [TALLY_DATE_PRESET_LAST_7_DAYS] = { "last-7-days", N_ ("Last 7 Days") },
  [TALLY_DATE_PRESET_LAST_14_DAYS] = { "last-14-days", N_ ("Last 14 Days") },
  [TALLY_DATE_PRESET_LAST_30_DAYS] = { "last-30-days", N_ ("Last 30 Days") },
  [TALLY_DATE_PRESET_THIS_MONTH] = { "this-month", N_ ("This Month") },
  [TALLY_DATE_PRESET_LAST_MONTH] = { "last-month", N_ ("Last Month") },
};

const char *
tally_date_preset_get_id (TallyDatePreset preset)
{
  g_return_val_if_fail (preset < TALLY_DATE_PRESET_N_PRESETS, NULL);

  return presets[preset].id;
}

const char *
tally_date_preset_get_title (TallyDatePreset preset)
{
  g_return_val_if_fail (preset < TALLY_DATE_PRESET_N_PRESETS, NULL);

  return presets[preset].title;
}

gboolean
tally_date_preset_from_id (const char *id,
                           TallyDatePreset *preset)
{
  g_return_val_if_fail (preset != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      if (g_strcmp0 (presets[i].id, id) == 0)
        {
          *preset = i;
          return TRUE;
        }
    }

  return FALSE;
}

void
tally_date_preset_range (TallyDatePreset preset,
                         const char *server_today,
                         char **start_date,
                         char **end_date)
{
  GDate today;
  GDate start;
  GDate end;

  g_return_if_fail (start_date != NULL);
  g_return_if_fail (end_date != NULL);

  *start_date = NULL;
  *end_date = NULL;

  g_date_clear (&today, 1);
  g_return_if_fail (tally_date_parse (server_today, &today));

  start = today;
  end = today;

  switch (preset)
    {
      case TALLY_DATE_PRESET_TODAY:
        break;

      case TALLY_DATE_PRESET_YESTERDAY:
        g_date_subtract_days (&start, 1);
        end = start;
        break;

      case TALLY_DATE_PRESET_LAST_7_DAYS:
        g_date_subtract_days (&start, 6);
        break;

      case TALLY_DATE_PRESET_LAST_14_DAYS:
        g_date_subtract_days (&start, 13);
        break;

      case TALLY_DATE_PRESET_LAST_30_DAYS:
        g_date_subtract_days (&start, 29);
        break;

      case TALLY_DATE_PRESET_THIS_MONTH:
        g_date_set_day (&start, 1);
        break;

      case TALLY_DATE_PRESET_LAST_MONTH:
        g_date_set_day (&start, 1);
        end = start;
        g_date_subtract_days (&end, 1);
        g_date_subtract_months (&start, 1);
        break;

      case TALLY_DATE_PRESET_N_PRESETS:
      default:
        g_return_if_reached ();
    }

  *start_date = tally_date_format (&start);
  *end_date = tally_date_format (&end);
}

int
tally_date_range_days (const char *start,
                       const char *end)
{
  GDate s;
  GDate e;
  int days;

  g_date_clear (&s, 1);
  g_date_clear (&e, 1);

  if (!tally_date_parse (start, &s) || !tally_date_parse (end, &e))
    return 0;

  days = g_date_days_between (&s, &e);
  return days < 0 ? 0 : days + 1;
}

GListModel *
tally_trend_zero_fill (GListModel *points,
                       const char *start_date,
                       const char *end_date,
                       TallyGranularity granularity)
{
  g_autoptr (GHashTable) by_label = NULL;
  GListStore *store;
  GDate day;
  GDate last;
  guint n_points;

  g_return_val_if_fail (G_IS_LIST_MODEL (points), NULL);

  store = g_list_store_new (TALLY_TYPE_TREND_POINT);
  n_points = g_list_model_get_n_items (points);

  g_date_clear (&day, 1);
  g_date_clear (&last, 1);

  if (!tally_date_parse (start_date, &day) || !tally_date_parse (end_date, &last) || g_date_compare (&day, &last) > 0)
    {
      for (guint i = 0; i < n_points; i++)
        {
          g_autoptr (TallyTrendPoint) point = g_list_model_get_item (points, i);
          g_list_store_append (store, point);
        }
      return G_LIST_MODEL (store);
    }

  /* label (borrowed from the point) → point (owned ref); first one wins */
  by_label = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  for (guint i = 0; i < n_points; i++)
    {
      TallyTrendPoint *point = g_list_model_get_item (points, i);
      const char *label = tally_trend_point_get_date (point);

      if (label == NULL || g_hash_table_contains (by_label, label))
        {
          g_object_unref (point);
          continue;
        }
      g_hash_table_insert (by_label, (gpointer) label, point);
    }

  for (;;)
    {
      char label[32];
      guint hours = granularity == TALLY_GRANULARITY_HOUR ? 24 : 1;

      for (guint hour = 0; hour < hours; hour++)
        {
          TallyTrendPoint *found;

          if (granularity == TALLY_GRANULARITY_HOUR)
            g_snprintf (label, sizeof label, "%04u-%02u-%02u %02u:00",
                        (guint) g_date_get_year (&day), (guint) g_date_get_month (&day),
                        (guint) g_date_get_day (&day), hour);
          else
            g_snprintf (label, sizeof label, "%04u-%02u-%02u",
                        (guint) g_date_get_year (&day), (guint) g_date_get_month (&day),
                        (guint) g_date_get_day (&day));

          found = g_hash_table_lookup (by_label, label);
          if (found != NULL)
            {
              g_list_store_append (store, found);
            }
          else
            {
              g_autoptr (TallyTrendPoint) empty = tally_trend_point_new_empty (label);
              g_list_store_append (store, empty);
            }
        }

      if (g_date_compare (&day, &last) >= 0)
        break;
      g_date_add_days (&day, 1);
    }

  return G_LIST_MODEL (store);
}

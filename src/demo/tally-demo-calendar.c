/* tally-demo-calendar.c: the demo data's calendar and random numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-demo-data"

#include "config.h"

#include <math.h>

#include "tally-demo-calendar-private.h"
#include "tally-demo-calendar.h"
#include "tally-math-private.h"

#define US_PER_HOUR (G_GINT64_CONSTANT (3600) * TALLY_DEMO_US_PER_SECOND)

/* ------------------------------------------------------------------------ */
/* PRNG: _tally_demo_splitmix64 seeding xoshiro256**                                    */

guint64
_tally_demo_splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

void
_tally_demo_rng_init (Rng *rng,
                      guint64 seed)
{
  guint64 state = seed;

  for (guint i = 0; i < 4; i++)
    rng->s[i] = _tally_demo_splitmix64 (&state);
}

static inline guint64
rotl (guint64 x,
      int k)
{
  return (x << k) | (x >> (64 - k));
}

guint64
_tally_demo_rng_next (Rng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);

  return result;
}

/* [0, 1) */
double
_tally_demo_rng_double (Rng *rng)
{
  return (double) (_tally_demo_rng_next (rng) >> 11) * 0x1.0p-53;
}

/* [0, n) */
guint64
_tally_demo_rng_below (Rng *rng,
                       guint64 n)
{
  g_assert (n > 0);
  return _tally_demo_rng_next (rng) % n;
}

static double
rng_normal (Rng *rng)
{
  double u1 = 1.0 - _tally_demo_rng_double (rng); /* (0, 1] */
  double u2 = _tally_demo_rng_double (rng);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

guint32
_tally_demo_rng_lognormal (Rng *rng,
                           double median,
                           double sigma,
                           guint32 min,
                           guint32 max)
{
  double v = median * exp (sigma * rng_normal (rng));

  if (v < min)
    return min;
  if (v > max)
    return max;
  return (guint32) v;
}

guint
_tally_demo_rng_pick (Rng *rng,
                      const guint8 *weights,
                      guint n)
{
  guint total = 0;
  guint r;

  for (guint i = 0; i < n; i++)
    total += weights[i];
  r = (guint) _tally_demo_rng_below (rng, total);
  for (guint i = 0; i < n; i++)
    {
      if (r < weights[i])
        return i;
      r -= weights[i];
    }
  return n - 1;
}

/* ------------------------------------------------------------------------ */
/* Calendar                                                                 */

gint64
tally_demo_days_from_civil (gint64 year,
                            int month,
                            int day)
{
  gint64 y = year - (month <= 2);
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;
  gint64 doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + doe - 719468;
}

void
tally_demo_civil_from_days (gint64 days,
                            gint64 *year,
                            int *month,
                            int *day)
{
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 y = yoe + era * 400;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  int d = (int) (doy - (153 * mp + 2) / 5 + 1);
  int m = (int) (mp < 10 ? mp + 3 : mp - 9);

  *year = y + (m <= 2);
  *month = m;
  *day = d;
}

static int
days_in_month (gint64 year,
               int month)
{
  static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gboolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

  return month == 2 && leap ? 29 : dim[month - 1];
}

gboolean
tally_demo_parse_date (const char *text,
                       gint64 *days)
{
  int year, month, day;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  month = (text[5] - '0') * 10 + (text[6] - '0');
  day = (text[8] - '0') * 10 + (text[9] - '0');
  if (month < 1 || month > 12 || day < 1 || day > days_in_month (year, month))
    return FALSE;

  *days = tally_demo_days_from_civil (year, month, day);
  return TRUE;
}

char *
tally_demo_format_date (gint64 days)
{
  gint64 year;
  int month, day;

  tally_demo_civil_from_days (days, &year, &month, &day);
  return g_strdup_printf ("%04" G_GINT64_FORMAT "-%02d-%02d", year, month, day);
}

gint64
tally_demo_local_day (gint64 unix_us,
                      int utc_offset)
{
  return _tally_floor_div (unix_us + utc_offset * TALLY_DEMO_US_PER_SECOND, TALLY_DEMO_US_PER_DAY);
}

gint64
tally_demo_local_hour (gint64 unix_us,
                       int utc_offset)
{
  return _tally_floor_div (unix_us + utc_offset * TALLY_DEMO_US_PER_SECOND, US_PER_HOUR);
}

gint64
tally_demo_day_start_us (gint64 days,
                         int utc_offset)
{
  return days * TALLY_DEMO_US_PER_DAY - utc_offset * TALLY_DEMO_US_PER_SECOND;
}

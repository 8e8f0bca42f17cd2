/* tally-format.c: number formatting, plain (C) and styled (locale)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-format"

#include "config.h"

#include <float.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "tally-format.h"

#define EM_DASH "\xe2\x80\x94"

static const TallyNumberStyle c_style = {
  .decimal_point = ".",
  .thousands_sep = ",",
  .grouping = "\3",
  .currency_format = "$%s",
};

const TallyNumberStyle *
tally_number_style_c (void)
{
  return &c_style;
}

static gboolean
is_c_locale_name (const char *name)
{
  return name == NULL || strcmp (name, "C") == 0 || strcmp (name, "POSIX") == 0 || g_str_has_prefix (name, "C.");
}

/* A localeconv() string as UTF-8 (it is in the locale's charset). */
static char *
locale_string_to_utf8 (const char *str,
                       const char *fallback)
{
  char *utf8;

  if (str == NULL)
    return g_strdup (fallback);
  if (g_utf8_validate (str, -1, NULL))
    return g_strdup (str);

  utf8 = g_locale_to_utf8 (str, -1, NULL, NULL, NULL);
  return utf8 != NULL ? utf8 : g_strdup (fallback);
}

G_LOCK_DEFINE_STATIC (locale_styles);
/* "locale name\x1fdollar template" → TallyNumberStyle, never freed */
static GHashTable *locale_styles;
/* the last answer, for the common case of nothing having changed */
static char *last_name;
static char *last_currency_format;
static const TallyNumberStyle *last_style;

const TallyNumberStyle *
tally_number_style_locale (void)
{
  /* Translators: a US dollar amount; %s is the number ("1,234.57"). Write
   * e.g. "US$%s" or "%s $" to move the sign; the number is always in dollars. */
  const char *currency_format = _ ("$%s");
  const char *name;
  g_autofree char *key = NULL;
  TallyNumberStyle *style;

  G_LOCK (locale_styles);

  name = setlocale (LC_NUMERIC, NULL);
  if (last_style != NULL && g_strcmp0 (name, last_name) == 0 && strcmp (currency_format, last_currency_format) == 0)
    {
      const TallyNumberStyle *same = last_style;

      G_UNLOCK (locale_styles);
      return same;
    }

  key = g_strconcat (name != NULL ? name : "C", "\x1f", currency_format, NULL);

  if (locale_styles == NULL)
    locale_styles = g_hash_table_new (g_str_hash, g_str_equal);

  style = g_hash_table_lookup (locale_styles, key);
  if (style == NULL)
    {
      style = g_new0 (TallyNumberStyle, 1);
      style->currency_format = g_strdup (currency_format);

      if (is_c_locale_name (name))
        {
          style->decimal_point = c_style.decimal_point;
          style->thousands_sep = c_style.thousands_sep;
          style->grouping = c_style.grouping;
        }
      else
        {
          const struct lconv *conv = localeconv ();
          char *decimal_point = locale_string_to_utf8 (conv->decimal_point, ".");
          char *thousands_sep = locale_string_to_utf8 (conv->thousands_sep, "");

          /* A separator that reads like the decimal point would be ambiguous. */
          if (*decimal_point == '\0' || strcmp (thousands_sep, decimal_point) == 0)
            thousands_sep[0] = '\0';

          style->decimal_point = decimal_point;
          style->thousands_sep = thousands_sep;
          style->grouping = g_strdup (conv->grouping != NULL ? conv->grouping : "");
        }

      g_hash_table_insert (locale_styles, g_steal_pointer (&key), style);
    }

  g_free (last_name);
  last_name = g_strdup (name);
  g_free (last_currency_format);
  last_currency_format = g_strdup (currency_format);
  last_style = style;

  G_UNLOCK (locale_styles);

  return style;
}

static const char *
style_decimal_point (const TallyNumberStyle *style)
{
  return style->decimal_point != NULL && *style->decimal_point != '\0' ? style->decimal_point : ".";
}

/* Appends @len decimal digits (an integer part, most significant first),
 * with @style's thousands separator between the groups of @style->grouping. */
static void
append_grouped_digits (GString *out,
                       const char *digits,
                       gsize len,
                       const TallyNumberStyle *style)
{
  g_autofree gboolean *separator_before = NULL;
  const char *sep = style->thousands_sep;
  const char *grouping = style->grouping;

  /* separator_before[i]: a separator goes between digits[i - 1] and digits[i] */
  if (sep != NULL && *sep != '\0' && grouping != NULL && *grouping != '\0' && len > 1)
    {
      gsize from_right = 0;
      guint size = 0;

      separator_before = g_new0 (gboolean, len);
      for (;;)
        {
          guchar c = (guchar) *grouping;

          /* CHAR_MAX (127 or 255) or a negative char: no more grouping */
          if (c >= 127)
            break;
          if (c != 0)
            {
              size = c;
              grouping++;
            }
          /* c == 0: the end of the string, the last size repeats */
          if (size == 0)
            break;

          from_right += size;
          if (from_right >= len)
            break;
          separator_before[len - from_right] = TRUE;
        }
    }

  for (gsize i = 0; i < len; i++)
    {
      if (separator_before != NULL && separator_before[i])
        g_string_append (out, sep);
      g_string_append_c (out, digits[i]);
    }
}

/* Appends a C-formatted unsigned decimal ("1234.5") in @style. */
static void
append_styled_number (GString *out,
                      const char *fixed,
                      const TallyNumberStyle *style)
{
  const char *point = strchr (fixed, '.');

  if (point == NULL)
    point = fixed + strlen (fixed);
  append_grouped_digits (out, fixed, (gsize) (point - fixed), style);
  if (*point == '.')
    {
      g_string_append (out, style_decimal_point (style));
      g_string_append (out, point + 1);
    }
}

static void
append_grouped_u64 (GString *out,
                    guint64 magnitude,
                    const TallyNumberStyle *style)
{
  char digits[32];

  g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, magnitude);
  append_grouped_digits (out, digits, strlen (digits), style);
}

/* Whether @template holds exactly one "%s" and otherwise only "%%". */
static gboolean
is_valid_currency_format (const char *template)
{
  guint n_strings = 0;

  if (template == NULL)
    return FALSE;

  for (const char *p = template; *p != '\0'; p++)
    {
      if (*p != '%')
        continue;
      p++;
      if (*p == 's')
        n_strings++;
      else if (*p != '%')
        return FALSE;
    }

  return n_strings == 1;
}

/* Appends @template with its "%s" replaced by @number. */
static void
append_currency (GString *out,
                 const char *number,
                 const TallyNumberStyle *style)
{
  const char *template = style->currency_format;

  if (!is_valid_currency_format (template))
    template = c_style.currency_format;

  for (const char *p = template; *p != '\0'; p++)
    {
      if (*p != '%')
        g_string_append_c (out, *p);
      else if (*++p == 's')
        g_string_append (out, number);
      else
        g_string_append_c (out, '%');
    }
}

static guint64
magnitude_u64 (gint64 value)
{
  if (value >= 0)
    return (guint64) value;
  return (guint64) (-(value + 1)) + 1;
}

/* Formats |value| with exactly @decimals decimals ("%.Nf", C locale). */
static char *
format_fixed (double value,
              int decimals)
{
  char fmt[16];
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 320];

  g_assert (decimals >= 0 && decimals <= 20);
  g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
  g_ascii_formatd (buf, sizeof buf, fmt, fabs (value));
  return g_strdup (buf);
}

/* Removes trailing zeros after the decimal point, keeping at least
 * @min_decimals decimals; removes the point itself when nothing is left. */
static void
trim_decimals (char *str,
               int min_decimals)
{
  char *point = strchr (str, '.');
  char *end;

  if (point == NULL)
    return;

  end = str + strlen (str);
  while (end > point + 1 + min_decimals && end[-1] == '0')
    end--;
  if (end == point + 1)
    end = point;
  *end = '\0';
}

static gboolean
is_all_zero (const char *str)
{
  for (; *str; str++)
    {
      if (*str != '0' && *str != '.')
        return FALSE;
    }
  return TRUE;
}

char *
tally_format_cost_styled (double usd,
                          const TallyNumberStyle *style)
{
  g_autofree char *fixed = NULL;
  g_autoptr (GString) number = NULL;
  GString *out;

  g_return_val_if_fail (style != NULL, NULL);

  if (!isfinite (usd))
    return g_strdup (EM_DASH);

  if (usd == 0)
    {
      fixed = g_strdup ("0.00");
    }
  else if (fabs (usd) < 1)
    {
      /* 4 significant digits, at most 10 decimals (the server keeps 10). */
      int decimals = 3 - (int) floor (log10 (fabs (usd)));

      decimals = CLAMP (decimals, 2, 10);
      fixed = format_fixed (usd, decimals);
      trim_decimals (fixed, 2);
    }
  else
    {
      fixed = format_fixed (usd, 2);
    }

  number = g_string_new (NULL);
  append_styled_number (number, fixed, style);

  out = g_string_new (NULL);
  if (usd < 0 && !is_all_zero (fixed))
    g_string_append_c (out, '-');
  append_currency (out, number->str, style);

  return g_string_free (out, FALSE);
}

char *
tally_format_cost (double usd)
{
  return tally_format_cost_styled (usd, &c_style);
}

char *
tally_format_count_styled (gint64 value,
                           const TallyNumberStyle *style)
{
  GString *out;

  g_return_val_if_fail (style != NULL, NULL);

  out = g_string_new (NULL);
  if (value < 0)
    g_string_append_c (out, '-');
  append_grouped_u64 (out, magnitude_u64 (value), style);

  return g_string_free (out, FALSE);
}

char *
tally_format_count (gint64 value)
{
  return tally_format_count_styled (value, &c_style);
}

char *
tally_format_tokens_styled (gint64 tokens,
                            const TallyNumberStyle *style)
{
  static const struct
  {
    const char *suffix;
    double divisor;
    int decimals;
  } units[] = {
    { "K", 1e3, 1 },
    { "M", 1e6, 2 },
    { "B", 1e9, 2 },
    { "T", 1e12, 2 },
  };
  guint64 magnitude = magnitude_u64 (tokens);
  g_autofree char *fixed = NULL;
  GString *out;
  guint unit;

  g_return_val_if_fail (style != NULL, NULL);

  out = g_string_new (NULL);
  if (tokens < 0)
    g_string_append_c (out, '-');

  if (magnitude < 1000)
    {
      append_grouped_u64 (out, magnitude, style);
      return g_string_free (out, FALSE);
    }

  for (unit = 0; unit + 1 < G_N_ELEMENTS (units); unit++)
    {
      if ((double) magnitude < units[unit + 1].divisor)
        break;
    }

  for (;;)
    {
      double scaled = (double) magnitude / units[unit].divisor;

      g_clear_pointer (&fixed, g_free);
      fixed = format_fixed (scaled, units[unit].decimals);
      /* 999 960 → "1000.0K" → move on to "1M" */
      if (unit + 1 < G_N_ELEMENTS (units) && g_ascii_strtod (fixed, NULL) >= 1000)
        {
          unit++;
          continue;
        }
      break;
    }

  trim_decimals (fixed, 0);
  append_styled_number (out, fixed, style);
  g_string_append (out, units[unit].suffix);

  return g_string_free (out, FALSE);
}

char *
tally_format_tokens (gint64 tokens)
{
  return tally_format_tokens_styled (tokens, &c_style);
}

char *
tally_format_duration_ms_styled (double ms,
                                 const TallyNumberStyle *style)
{
  double rounded_ms;
  double tenths;
  double seconds;

  g_return_val_if_fail (style != NULL, NULL);

  if (!isfinite (ms) || ms < 0)
    return g_strdup (EM_DASH);

  rounded_ms = round (ms);
  if (rounded_ms < 1000)
    return g_strdup_printf ("%d ms", (int) rounded_ms);

  tenths = round (ms / 100);
  if (tenths < 600)
    return g_strdup_printf ("%d%s%d s", (int) tenths / 10, style_decimal_point (style), (int) tenths % 10);

  seconds = round (ms / 1000);
  if (seconds < 3600)
    {
      guint64 s = (guint64) seconds;

      if (s % 60 == 0)
        return g_strdup_printf ("%" G_GUINT64_FORMAT " min", s / 60);
      return g_strdup_printf ("%" G_GUINT64_FORMAT " min %" G_GUINT64_FORMAT " s",
                              s / 60, s % 60);
    }
  else
    {
      guint64 minutes = (guint64) round (ms / 60000);

      if (minutes % 60 == 0)
        return g_strdup_printf ("%" G_GUINT64_FORMAT " h", minutes / 60);
      return g_strdup_printf ("%" G_GUINT64_FORMAT " h %" G_GUINT64_FORMAT " min",
                              minutes / 60, minutes % 60);
    }
}

char *
tally_format_duration_ms (double ms)
{
  return tally_format_duration_ms_styled (ms, &c_style);
}

char *
tally_format_percent_styled (double fraction,
                             const TallyNumberStyle *style)
{
  g_autofree char *fixed = NULL;
  double percent;
  GString *out;

  g_return_val_if_fail (style != NULL, NULL);

  if (!isfinite (fraction))
    return g_strdup (EM_DASH);

  percent = fraction * 100;
  fixed = format_fixed (percent, 1);
  trim_decimals (fixed, 0);

  out = g_string_new (NULL);
  if (percent < 0 && !is_all_zero (fixed))
    g_string_append_c (out, '-');
  append_styled_number (out, fixed, style);
  g_string_append_c (out, '%');

  return g_string_free (out, FALSE);
}

char *
tally_format_percent (double fraction)
{
  return tally_format_percent_styled (fraction, &c_style);
}

/* "%.<precision>g" in the C locale. */
static void
format_g (char *buf,
          gsize len,
          int precision,
          double value)
{
  char fmt[16];

  g_snprintf (fmt, sizeof fmt, "%%.%dg", precision);
  g_ascii_formatd (buf, (int) len, fmt, value);
}

static gboolean
round_trips (const char *buf,
             double value)
{
  return g_ascii_strtod (buf, NULL) == value;
}

/* Rewrites the output of "%g" (e.g. "-1.2e-07", "0.0299", "1e+21") as a
 * plain decimal without exponent or trailing zeros. */
static char *
plain_from_g (const char *g)
{
  GString *digits = g_string_new (NULL);
  GString *out;
  gboolean negative = FALSE;
  gboolean seen_point = FALSE;
  gint64 point_pos = 0;
  const char *p = g;
  gsize lead = 0;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  else if (*p == '+')
    {
      p++;
    }

  for (; *p && *p != 'e' && *p != 'E'; p++)
    {
      if (*p == '.')
        seen_point = TRUE;
      else
        {
          g_string_append_c (digits, *p);
          if (!seen_point)
            point_pos++;
        }
    }

  if (*p == 'e' || *p == 'E')
    point_pos += g_ascii_strtoll (p + 1, NULL, 10);

  /* Leading zeros: each one moves the point left by one digit. */
  while (lead < digits->len && digits->str[lead] == '0')
    lead++;
  g_string_erase (digits, 0, (gssize) lead);
  point_pos -= (gint64) lead;

  while (digits->len > 0 && digits->str[digits->len - 1] == '0')
    g_string_truncate (digits, digits->len - 1);

  if (digits->len == 0)
    {
      g_string_free (digits, TRUE);
      return g_strdup ("0");
    }

  out = g_string_sized_new (digits->len + 8);
  if (negative)
    g_string_append_c (out, '-');

  if (point_pos <= 0)
    {
      g_string_append (out, "0.");
      for (gint64 i = point_pos; i < 0; i++)
        g_string_append_c (out, '0');
      g_string_append_len (out, digits->str, (gssize) digits->len);
    }
  else if ((gsize) point_pos >= digits->len)
    {
      g_string_append_len (out, digits->str, (gssize) digits->len);
      for (gsize i = digits->len; i < (gsize) point_pos; i++)
        g_string_append_c (out, '0');
    }
  else
    {
      g_string_append_len (out, digits->str, (gssize) point_pos);
      g_string_append_c (out, '.');
      g_string_append_len (out, digits->str + point_pos, (gssize) (digits->len - (gsize) point_pos));
    }

  g_string_free (digits, TRUE);
  return g_string_free (out, FALSE);
}

/* Fast path for the common case, costs with at most 10 decimals (the server
 * stores DECIMAL(20,10)): n = round(|v| × 10^10). (double) n / 1e10 is the
 * correctly rounded double of the decimal n·10^-10 (n and 1e10 are exact and
 * IEEE division rounds correctly), i.e. what strtod would return, so equality
 * means that decimal reads back as v. Below 1e5 an ulp is far smaller than
 * 10^-10, so at most one such decimal reads back as v, and it is the shortest
 * (a shorter round-tripping decimal would have fewer decimals and lie on the
 * same grid). Returns FALSE when v needs more than 10 decimals. */
static gboolean
format_exact_ten_decimals (double value,
                           char *out,
                           gsize out_len)
{
  double magnitude = fabs (value);
  guint64 n;
  guint64 integer;
  guint64 fraction;
  char digits[11];
  int n_digits = 10;

  if (!(magnitude < 1e5))
    return FALSE;

  n = (guint64) llround (magnitude * 1e10);
  if ((double) n / 1e10 != magnitude)
    return FALSE;

  integer = n / G_GUINT64_CONSTANT (10000000000);
  fraction = n % G_GUINT64_CONSTANT (10000000000);

  for (int i = 9; i >= 0; i--)
    {
      digits[i] = (char) ('0' + fraction % 10);
      fraction /= 10;
    }
  while (n_digits > 0 && digits[n_digits - 1] == '0')
    n_digits--;
  digits[n_digits] = '\0';

  {
    char int_digits[24];
    int n_int = 0;
    gsize pos = 0;

    g_assert (out_len >= 40);

    do
      {
        int_digits[n_int++] = (char) ('0' + integer % 10);
        integer /= 10;
      }
    while (integer > 0);

    if (value < 0 && n != 0)
      out[pos++] = '-';
    while (n_int > 0)
      out[pos++] = int_digits[--n_int];
    if (n_digits > 0)
      {
        out[pos++] = '.';
        memcpy (out + pos, digits, (gsize) n_digits);
        pos += (gsize) n_digits;
      }
    out[pos] = '\0';
  }

  return TRUE;
}

char *
tally_format_number_exact (double value)
{
  char buf[64];

  if (!isfinite (value))
    return g_strdup ("");

  if (value == 0)
    return g_strdup ("0");

  if (format_exact_ten_decimals (value, buf, sizeof buf))
    return g_strdup (buf);

  if (fabs (value) >= DBL_MIN)
    {
      /* Normal numbers: when the shortest round-tripping precision p is
       * <= 15, "%.15g" (which drops trailing zeros) prints exactly the same
       * digits, because a 15-digit grid step is wider than two ulps. So at
       * most three attempts find the shortest of 1..17. */
      format_g (buf, sizeof buf, 15, value);
      if (!round_trips (buf, value))
        {
          format_g (buf, sizeof buf, 16, value);
          if (!round_trips (buf, value))
            format_g (buf, sizeof buf, 17, value);
        }
    }
  else
    {
      /* Subnormals have fewer significant bits: search from 1 upwards. */
      for (int precision = 1; precision <= 17; precision++)
        {
          format_g (buf, sizeof buf, precision, value);
          if (round_trips (buf, value))
            break;
        }
    }

  return plain_from_g (buf);
}

char *
tally_format_number_exact_styled (double value,
                                  const TallyNumberStyle *style)
{
  g_autofree char *exact = NULL;
  GString *out;

  g_return_val_if_fail (style != NULL, NULL);

  if (!isfinite (value))
    return g_strdup (EM_DASH);

  exact = tally_format_number_exact (value);
  out = g_string_new (NULL);
  if (exact[0] == '-')
    g_string_append_c (out, '-');
  append_styled_number (out, exact[0] == '-' ? exact + 1 : exact, style);

  return g_string_free (out, FALSE);
}

char *
tally_format_cost_exact_styled (double usd,
                                const TallyNumberStyle *style)
{
  g_autofree char *exact = NULL;
  g_autoptr (GString) number = NULL;
  GString *out;

  g_return_val_if_fail (style != NULL, NULL);

  if (!isfinite (usd))
    return g_strdup (EM_DASH);

  exact = tally_format_number_exact (usd);
  number = g_string_new (NULL);
  append_styled_number (number, exact[0] == '-' ? exact + 1 : exact, style);

  out = g_string_new (NULL);
  if (exact[0] == '-')
    g_string_append_c (out, '-');
  append_currency (out, number->str, style);

  return g_string_free (out, FALSE);
}

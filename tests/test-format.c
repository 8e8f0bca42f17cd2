/* test-format.c: tally-format.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <float.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "tally-format.h"

#define EM_DASH "\xe2\x80\x94"
#define NBSP "\xc2\xa0"
#define NNBSP "\xe2\x80\xaf"

typedef char *(*DoubleFormatter) (double);

static void
check_double (DoubleFormatter func,
              double value,
              const char *expected)
{
  g_autofree char *got = func (value);

  g_assert_cmpstr (got, ==, expected);
}

static void
check_int (char *(*func) (gint64),
           gint64 value,
           const char *expected)
{
  g_autofree char *got = func (value);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_number_exact_api_values (void)
{
  /* API.md §8 values */
  check_double (tally_format_number_exact, 0.02999685, "0.02999685");
  check_double (tally_format_number_exact, 0.032034375, "0.032034375");
  check_double (tally_format_number_exact, 814.5476136625, "814.5476136625");
  check_double (tally_format_number_exact, 10578.062623717833, "10578.062623717833");
  check_double (tally_format_number_exact, 7.4555395125, "7.4555395125");
  check_double (tally_format_number_exact, 10509.960997442455, "10509.960997442455");
  check_double (tally_format_number_exact, 123.45678901, "123.45678901");
  check_double (tally_format_number_exact, 1, "1");
  check_double (tally_format_number_exact, 1.5, "1.5");
  check_double (tally_format_number_exact, 0, "0");
  check_double (tally_format_number_exact, 1.2e-7, "0.00000012");
}

static void
test_number_exact_edges (void)
{
  g_autofree char *denorm = NULL;
  g_autofree char *max = NULL;
  g_autofree char *expected_denorm = NULL;
  g_autofree char *expected_max = NULL;
  g_autofree char *zeros_323 = g_strnfill (323, '0');
  g_autofree char *zeros_292 = g_strnfill (292, '0');

  check_double (tally_format_number_exact, -0.0, "0");
  check_double (tally_format_number_exact, -1.5, "-1.5");
  check_double (tally_format_number_exact, -3, "-3");
  check_double (tally_format_number_exact, 100, "100");
  check_double (tally_format_number_exact, 1e21, "1000000000000000000000");
  check_double (tally_format_number_exact, 1.2345678901234568e20, "123456789012345680000");
  check_double (tally_format_number_exact, 1e-10, "0.0000000001");
  check_double (tally_format_number_exact, -2.5e-8, "-0.000000025");
  check_double (tally_format_number_exact, 0.1, "0.1");
  check_double (tally_format_number_exact, 0.1 + 0.2, "0.30000000000000004");
  check_double (tally_format_number_exact, 1.0 / 3.0, "0.3333333333333333");
  check_double (tally_format_number_exact, 2.0 / 3.0, "0.6666666666666666");
  check_double (tally_format_number_exact, 9007199254740993.0, "9007199254740992");
  check_double (tally_format_number_exact, NAN, "");
  check_double (tally_format_number_exact, INFINITY, "");
  check_double (tally_format_number_exact, -INFINITY, "");

  /* smallest subnormal: "0." + 323 zeros + "5" */
  denorm = tally_format_number_exact (5e-324);
  expected_denorm = g_strdup_printf ("0.%s5", zeros_323);
  g_assert_cmpstr (denorm, ==, expected_denorm);

  max = tally_format_number_exact (DBL_MAX);
  expected_max = g_strdup_printf ("17976931348623157%s", zeros_292);
  g_assert_cmpstr (max, ==, expected_max);
}

/* The significant digits of a decimal or "%g" string: every digit before
 * any exponent, without leading and trailing zeros. */
static char *
significant_digits (const char *str)
{
  GString *digits = g_string_new (NULL);
  gsize lead = 0;

  for (const char *p = str; *p && *p != 'e' && *p != 'E'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
    }
  while (lead < digits->len && digits->str[lead] == '0')
    lead++;
  g_string_erase (digits, 0, (gssize) lead);
  while (digits->len > 0 && digits->str[digits->len - 1] == '0')
    g_string_truncate (digits, digits->len - 1);

  return g_string_free (digits, FALSE);
}

static void
check_shortest (double value)
{
  g_autofree char *got = tally_format_number_exact (value);
  g_autofree char *got_digits = NULL;
  g_autofree char *brute_digits = NULL;
  char brute[64];

  if (!isfinite (value))
    return;

  /* brute force: the first precision 1..17 that reads back exactly */
  for (int precision = 1; precision <= 17; precision++)
    {
      char fmt[16];

      g_snprintf (fmt, sizeof fmt, "%%.%dg", precision);
      g_ascii_formatd (brute, sizeof brute, fmt, value);
      if (g_ascii_strtod (brute, NULL) == value)
        break;
    }

  g_assert_null (strchr (got, 'e'));
  g_assert_null (strchr (got, 'E'));
  g_assert_null (strchr (got, ','));
  g_assert_cmpfloat (g_ascii_strtod (got, NULL), ==, value);
  got_digits = significant_digits (got);
  brute_digits = significant_digits (brute);
  g_assert_cmpstr (got_digits, ==, brute_digits);
  if (strchr (got, '.') != NULL)
    g_assert_cmpint (got[strlen (got) - 1], !=, '0');
}

static void
test_number_exact_shortest (void)
{
  GRand *rand = g_rand_new_with_seed (20260115);

  /* random bit patterns (all magnitudes, subnormals included) */
  for (guint i = 0; i < 20000; i++)
    {
      guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
      double value;

      memcpy (&value, &bits, sizeof value);
      check_shortest (value);
    }

  /* realistic costs: DECIMAL(20,10) values and their products */
  for (guint i = 0; i < 20000; i++)
    {
      gint64 units = (gint64) g_rand_int_range (rand, 0, G_MAXINT32) * g_rand_int_range (rand, 1, 1000);
      double cost = (double) units / 1e10;

      check_shortest (cost);
      check_shortest (cost * 1.5);
      check_shortest (-cost);
    }

  g_rand_free (rand);
}

static void
test_cost (void)
{
  check_double (tally_format_cost, 1234.567, "$1,234.57");
  check_double (tally_format_cost, 0.0123, "$0.01");
  check_double (tally_format_cost, 0.00012, "< $0.01");
  check_double (tally_format_cost, 0, "$0.00");
  check_double (tally_format_cost, -0.0, "$0.00");
  check_double (tally_format_cost, -1.2, "-$1.20");
  check_double (tally_format_cost, 1, "$1.00");
  check_double (tally_format_cost, 0.5, "$0.50");
  check_double (tally_format_cost, 0.123456, "$0.12");
  check_double (tally_format_cost, 0.4049, "$0.40");
  check_double (tally_format_cost, 0.207, "$0.21");
  check_double (tally_format_cost, 0.01, "$0.01");
  check_double (tally_format_cost, 0.0099, "< $0.01");
  check_double (tally_format_cost, 0.005, "< $0.01");
  check_double (tally_format_cost, 0.02999685, "$0.03");
  check_double (tally_format_cost, 0.032034375, "$0.03");
  check_double (tally_format_cost, 0.99999, "$1.00");
  check_double (tally_format_cost, 1.2e-7, "< $0.01");
  check_double (tally_format_cost, 1e-12, "< $0.01");
  check_double (tally_format_cost, DBL_TRUE_MIN, "< $0.01");
  check_double (tally_format_cost, -0.004, "> -$0.01");
  check_double (tally_format_cost, -0.01, "-$0.01");
  check_double (tally_format_cost, 814.5476136625, "$814.55");
  check_double (tally_format_cost, 999.999, "$1,000.00");
  check_double (tally_format_cost, 1234567.891, "$1,234,567.89");
  check_double (tally_format_cost, -98765.4321, "-$98,765.43");
  check_double (tally_format_cost, NAN, EM_DASH);
  check_double (tally_format_cost, INFINITY, EM_DASH);
}

static void
test_count (void)
{
  check_int (tally_format_count, 17003, "17,003");
  check_int (tally_format_count, 0, "0");
  check_int (tally_format_count, 999, "999");
  check_int (tally_format_count, 1000, "1,000");
  check_int (tally_format_count, 100000, "100,000");
  check_int (tally_format_count, 522408742, "522,408,742");
  check_int (tally_format_count, -1234, "-1,234");
  check_int (tally_format_count, -12, "-12");
  check_int (tally_format_count, G_MAXINT64, "9,223,372,036,854,775,807");
  check_int (tally_format_count, G_MININT64, "-9,223,372,036,854,775,808");
}

static void
test_tokens (void)
{
  check_int (tally_format_tokens, 0, "0");
  check_int (tally_format_tokens, 812, "812");
  check_int (tally_format_tokens, 999, "999");
  check_int (tally_format_tokens, 1000, "1K");
  check_int (tally_format_tokens, 1050, "1.1K");
  check_int (tally_format_tokens, 12000, "12K");
  check_int (tally_format_tokens, 964823, "964.8K");
  check_int (tally_format_tokens, 999949, "999.9K");
  check_int (tally_format_tokens, 999960, "1M");
  check_int (tally_format_tokens, 3456626, "3.46M");
  check_int (tally_format_tokens, 44390344, "44.39M");
  check_int (tally_format_tokens, 522408742, "522.41M");
  check_int (tally_format_tokens, 1200000000, "1.2B");
  check_int (tally_format_tokens, 999999999999, "1T");
  check_int (tally_format_tokens, 1234567890123, "1.23T");
  check_int (tally_format_tokens, G_MAXINT64, "9,223,372.04T");
  check_int (tally_format_tokens, -1500, "-1.5K");
  check_int (tally_format_tokens, -7, "-7");
}

static void
test_duration (void)
{
  check_double (tally_format_duration_ms, 820, "820 ms");
  check_double (tally_format_duration_ms, 0, "0 ms");
  check_double (tally_format_duration_ms, 999.4, "999 ms");
  check_double (tally_format_duration_ms, 999.6, "1.0 s");
  check_double (tally_format_duration_ms, 10600, "10.6 s");
  check_double (tally_format_duration_ms, 10578.062623717833, "10.6 s");
  check_double (tally_format_duration_ms, 8188, "8.2 s");
  check_double (tally_format_duration_ms, 59940, "59.9 s");
  check_double (tally_format_duration_ms, 59960, "1 min");
  check_double (tally_format_duration_ms, 125000, "2 min 5 s");
  check_double (tally_format_duration_ms, 120000, "2 min");
  check_double (tally_format_duration_ms, 3599000, "59 min 59 s");
  check_double (tally_format_duration_ms, 3600000, "1 h");
  check_double (tally_format_duration_ms, 3900000, "1 h 5 min");
  check_double (tally_format_duration_ms, -1, EM_DASH);
  check_double (tally_format_duration_ms, NAN, EM_DASH);
  check_double (tally_format_duration_ms, INFINITY, EM_DASH);
}

static void
test_percent (void)
{
  check_double (tally_format_percent, 0.125, "12.5%");
  check_double (tally_format_percent, 0.5, "50.0%");
  check_double (tally_format_percent, 0.411, "41.1%");
  check_double (tally_format_percent, 0.31, "31.0%");
  check_double (tally_format_percent, 0, "0.0%");
  check_double (tally_format_percent, 1, "100.0%");
  check_double (tally_format_percent, 0.1234, "12.3%");
  check_double (tally_format_percent, 0.00049, "0.0%");
  check_double (tally_format_percent, 1.5, "150.0%");
  check_double (tally_format_percent, -0.25, "-25.0%");
  check_double (tally_format_percent, -0.0001, "0.0%");
  check_double (tally_format_percent, NAN, EM_DASH);
}

/* de_DE: "," decimal, "." groups of three, the dollar sign after the number */
static const TallyNumberStyle de_style = { ",", ".", "\3", "%s $" };
/* fr_FR: "," decimal, U+202F groups (3 bytes of UTF-8) */
static const TallyNumberStyle fr_style = { ",", NNBSP, "\3", "%s $" };
/* en_IN / hi_IN: 3 then groups of two */
static const TallyNumberStyle in_style = { ".", ",", "\3\2", "US$%s" };
/* localeconv() of a locale without grouping */
static const TallyNumberStyle plain_style = { ".", "", "\3", NULL };

typedef char *(*DoubleStyledFormatter) (double, const TallyNumberStyle *);
typedef char *(*IntStyledFormatter) (gint64, const TallyNumberStyle *);

static void
check_double_styled (DoubleStyledFormatter func,
                     const TallyNumberStyle *style,
                     double value,
                     const char *expected)
{
  g_autofree char *got = func (value, style);

  g_assert_cmpstr (got, ==, expected);
}

static void
check_int_styled (IntStyledFormatter func,
                  const TallyNumberStyle *style,
                  gint64 value,
                  const char *expected)
{
  g_autofree char *got = func (value, style);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_style_c (void)
{
  const TallyNumberStyle *c = tally_number_style_c ();
  static const double doubles[] = { 0, -0.0, 1, -1.2, 0.0123, 1234.567, 999.999, -98765.4321, 1.2e-7, 0.125, 10600, 125000, NAN, INFINITY };
  static const gint64 ints[] = { 0, 999, 1000, -1234, 999960, 522408742, G_MAXINT64, G_MININT64 };

  g_assert_nonnull (c);
  g_assert_true (c == tally_number_style_c ());
  g_assert_cmpstr (c->decimal_point, ==, ".");
  g_assert_cmpstr (c->thousands_sep, ==, ",");
  g_assert_cmpstr (c->grouping, ==, "\3");
  g_assert_cmpstr (c->currency_format, ==, "$%s");
  g_assert_cmpstr (c->less_than_format, ==, "< %s");
  g_assert_cmpstr (c->greater_than_format, ==, "> %s");

  /* the plain functions are the C-styled ones */
  for (guint i = 0; i < G_N_ELEMENTS (doubles); i++)
    {
      g_autofree char *cost = tally_format_cost (doubles[i]);
      g_autofree char *cost_styled = tally_format_cost_styled (doubles[i], c);
      g_autofree char *percent = tally_format_percent (doubles[i]);
      g_autofree char *percent_styled = tally_format_percent_styled (doubles[i], c);
      g_autofree char *duration = tally_format_duration_ms (doubles[i]);
      g_autofree char *duration_styled = tally_format_duration_ms_styled (doubles[i], c);

      g_assert_cmpstr (cost, ==, cost_styled);
      g_assert_cmpstr (percent, ==, percent_styled);
      g_assert_cmpstr (duration, ==, duration_styled);
    }
  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      g_autofree char *count = tally_format_count (ints[i]);
      g_autofree char *count_styled = tally_format_count_styled (ints[i], c);
      g_autofree char *tokens = tally_format_tokens (ints[i]);
      g_autofree char *tokens_styled = tally_format_tokens_styled (ints[i], c);

      g_assert_cmpstr (count, ==, count_styled);
      g_assert_cmpstr (tokens, ==, tokens_styled);
    }

  check_double_styled (tally_format_cost_styled, c, 1234567.891, "$1,234,567.89");
  check_int_styled (tally_format_count_styled, c, 1234567, "1,234,567");
}

static void
test_style_de (void)
{
  check_double_styled (tally_format_cost_styled, &de_style, 1234.567, "1.234,57 $");
  check_double_styled (tally_format_cost_styled, &de_style, 1234567.891, "1.234.567,89 $");
  check_double_styled (tally_format_cost_styled, &de_style, 0.0123, "0,01 $");
  check_double_styled (tally_format_cost_styled, &de_style, 0.0012, "< 0,01 $");
  check_double_styled (tally_format_cost_table_styled, &de_style, 0.0123, "0,0123 $");
  check_double_styled (tally_format_cost_table_styled, &de_style, 1234.5, "1.234,5000 $");
  check_double_styled (tally_format_cost_styled, &de_style, 0, "0,00 $");
  check_double_styled (tally_format_cost_styled, &de_style, -1.2, "-1,20 $");
  check_double_styled (tally_format_cost_styled, &de_style, -98765.4321, "-98.765,43 $");
  check_double_styled (tally_format_cost_styled, &de_style, -0.004, "> -0,01 $");
  check_double_styled (tally_format_cost_styled, &de_style, -1e-12, "> -0,01 $");
  check_double_styled (tally_format_cost_styled, &de_style, 1000, "1.000,00 $");
  check_double_styled (tally_format_cost_styled, &de_style, 999.5, "999,50 $");
  check_int_styled (tally_format_count_styled, &de_style, 17003, "17.003");
  check_int_styled (tally_format_count_styled, &de_style, 999, "999");
  check_int_styled (tally_format_count_styled, &de_style, -1234567, "-1.234.567");
  check_int_styled (tally_format_count_styled, &de_style, G_MININT64, "-9.223.372.036.854.775.808");
  check_int_styled (tally_format_tokens_styled, &de_style, 3456626, "3,46M");
  check_int_styled (tally_format_tokens_styled, &de_style, 964823, "964,8K");
  check_int_styled (tally_format_tokens_styled, &de_style, 12000, "12K");
  check_int_styled (tally_format_tokens_styled, &de_style, -1500, "-1,5K");
  check_int_styled (tally_format_tokens_styled, &de_style, G_MAXINT64, "9.223.372,04T");
  check_double_styled (tally_format_percent_styled, &de_style, 0.125, "12,5%");
  check_double_styled (tally_format_percent_styled, &de_style, 0.5, "50,0%");
  check_double_styled (tally_format_percent_styled, &de_style, -0.25, "-25,0%");
  check_double_styled (tally_format_percent_styled, &de_style, 12.3456, "1.234,6%");
  check_double_styled (tally_format_duration_ms_styled, &de_style, 10600, "10,6 s");
  check_double_styled (tally_format_duration_ms_styled, &de_style, 820, "820 ms");
  check_double_styled (tally_format_duration_ms_styled, &de_style, 125000, "2 min 5 s");
}

static void
test_style_fr (void)
{
  check_double_styled (tally_format_cost_styled, &fr_style, 1234.567, "1" NNBSP "234,57 $");
  check_double_styled (tally_format_cost_styled, &fr_style, -1234567.891, "-1" NNBSP "234" NNBSP "567,89 $");
  check_double_styled (tally_format_cost_styled, &fr_style, 0.00012, "< 0,01 $");
  check_double_styled (tally_format_cost_table_styled, &fr_style, 0.00012, "0,0001 $");
  check_double_styled (tally_format_cost_table_styled, &fr_style, 1234.56789, "1" NNBSP "234,5679 $");
  check_int_styled (tally_format_count_styled, &fr_style, 522408742, "522" NNBSP "408" NNBSP "742");
  check_int_styled (tally_format_count_styled, &fr_style, 100, "100");
  check_int_styled (tally_format_tokens_styled, &fr_style, 999960, "1M");
  check_int_styled (tally_format_tokens_styled, &fr_style, 44390344, "44,39M");
  check_double_styled (tally_format_percent_styled, &fr_style, 0.1234, "12,3%");
  check_double_styled (tally_format_duration_ms_styled, &fr_style, 59940, "59,9 s");

  {
    /* the older fr_FR separator, U+00A0 */
    static const TallyNumberStyle nbsp_style = { ",", NBSP, "\3", NULL };

    check_int_styled (tally_format_count_styled, &nbsp_style, -1234567, "-1" NBSP "234" NBSP "567");
    check_double_styled (tally_format_cost_styled, &nbsp_style, 1234.5, "$1" NBSP "234,50");
  }
}

static void
test_style_indian_grouping (void)
{
  check_double_styled (tally_format_cost_styled, &in_style, 1234567.891, "US$12,34,567.89");
  check_double_styled (tally_format_cost_styled, &in_style, -1234567.891, "-US$12,34,567.89");
  check_double_styled (tally_format_cost_styled, &in_style, 1234.5, "US$1,234.50");
  check_int_styled (tally_format_count_styled, &in_style, 0, "0");
  check_int_styled (tally_format_count_styled, &in_style, 999, "999");
  check_int_styled (tally_format_count_styled, &in_style, 1000, "1,000");
  check_int_styled (tally_format_count_styled, &in_style, 99999, "99,999");
  check_int_styled (tally_format_count_styled, &in_style, 100000, "1,00,000");
  check_int_styled (tally_format_count_styled, &in_style, 1234567, "12,34,567");
  check_int_styled (tally_format_count_styled, &in_style, G_MAXINT64, "92,23,37,20,36,85,47,75,807");
  check_int_styled (tally_format_count_styled, &in_style, G_MININT64, "-92,23,37,20,36,85,47,75,808");
  check_int_styled (tally_format_tokens_styled, &in_style, G_MAXINT64, "92,23,372.04T");
}

static void
test_style_rounding (void)
{
  /* rounding carries into a new digit group */
  check_double_styled (tally_format_cost_styled, tally_number_style_c (), 999999.999, "$1,000,000.00");
  check_double_styled (tally_format_cost_styled, &de_style, 999999.999, "1.000.000,00 $");
  check_double_styled (tally_format_cost_styled, &fr_style, 99999.996, "100" NNBSP "000,00 $");
  check_double_styled (tally_format_cost_styled, &in_style, 99999.999, "US$1,00,000.00");
  check_double_styled (tally_format_cost_styled, &de_style, 0.99999, "1,00 $");
  check_double_styled (tally_format_cost_styled, &de_style, -999.999, "-1.000,00 $");
  check_int_styled (tally_format_tokens_styled, &de_style, 999949, "999,9K");
  check_int_styled (tally_format_tokens_styled, &de_style, 999999999999, "1T");
  check_double_styled (tally_format_percent_styled, &de_style, 9.9999, "1.000,0%");
  check_double_styled (tally_format_percent_styled, &de_style, -0.0001, "0,0%");
  check_double_styled (tally_format_cost_table_styled, &de_style, 0.99999, "1,0000 $");
  check_double_styled (tally_format_cost_table_styled, &de_style, -0.00005, "> -0,0001 $");
  check_double_styled (tally_format_cost_table_styled, &de_style, -0.00016, "-0,0002 $");
  check_double_styled (tally_format_duration_ms_styled, &de_style, 999.6, "1,0 s");
}

static void
test_style_no_grouping (void)
{
  static const TallyNumberStyle empty_grouping = { ",", ".", "", NULL };
  static const TallyNumberStyle null_fields = { NULL, NULL, NULL, NULL };
  static const char stop_after_three[] = { 3, CHAR_MAX, 0 };
  static const char stop_negative[] = { 3, 2, (char) 0xff, 0 };
  const TallyNumberStyle stop_style = { ".", ",", stop_after_three, NULL };
  const TallyNumberStyle stop_negative_style = { ".", ",", stop_negative, NULL };

  /* empty thousands separator */
  check_double_styled (tally_format_cost_styled, &plain_style, 1234567.891, "$1234567.89");
  check_double_styled (tally_format_cost_styled, &plain_style, -1.2, "-$1.20");
  check_int_styled (tally_format_count_styled, &plain_style, G_MININT64, "-9223372036854775808");
  check_int_styled (tally_format_tokens_styled, &plain_style, G_MAXINT64, "9223372.04T");

  /* empty grouping */
  check_double_styled (tally_format_cost_styled, &empty_grouping, 1234567.891, "$1234567,89");
  check_int_styled (tally_format_count_styled, &empty_grouping, 1234567, "1234567");

  /* NULL fields: '.' and no grouping */
  check_double_styled (tally_format_cost_styled, &null_fields, 1234567.891, "$1234567.89");
  check_double_styled (tally_format_percent_styled, &null_fields, 0.125, "12.5%");
  check_double_styled (tally_format_duration_ms_styled, &null_fields, 10600, "10.6 s");

  /* CHAR_MAX (or a negative char) ends the grouping */
  check_int_styled (tally_format_count_styled, &stop_style, 1234567, "1234,567");
  check_int_styled (tally_format_count_styled, &stop_style, 1234, "1,234");
  check_int_styled (tally_format_count_styled, &stop_style, 123, "123");
  check_int_styled (tally_format_count_styled, &stop_negative_style, 123456789, "1234,56,789");
}

static void
test_style_currency_format (void)
{
  static const TallyNumberStyle prefix = { ".", ",", "\3", "US$%s" };
  static const TallyNumberStyle percent = { ".", ",", "\3", "%s $ (100%%)" };
  static const char *const invalid[] = { "", "$", "%d", "%s%s", "$%", "%1$s", "%s %" };

  check_double_styled (tally_format_cost_styled, &prefix, 12.5, "US$12.50");
  check_double_styled (tally_format_cost_styled, &prefix, -12.5, "-US$12.50");
  check_double_styled (tally_format_cost_styled, &percent, 12.5, "12.50 $ (100%)");

  /* a broken translation falls back to "$%s" */
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      const TallyNumberStyle style = { ",", ".", "\3", invalid[i] };

      check_double_styled (tally_format_cost_styled, &style, -1234.5, "-$1.234,50");
    }
}

static void
test_style_non_finite (void)
{
  const TallyNumberStyle *styles[] = { tally_number_style_c (), &de_style, &fr_style, &in_style, &plain_style };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      check_double_styled (tally_format_cost_styled, styles[i], NAN, EM_DASH);
      check_double_styled (tally_format_cost_styled, styles[i], -INFINITY, EM_DASH);
      check_double_styled (tally_format_percent_styled, styles[i], NAN, EM_DASH);
      check_double_styled (tally_format_percent_styled, styles[i], INFINITY, EM_DASH);
      check_double_styled (tally_format_duration_ms_styled, styles[i], NAN, EM_DASH);
      check_double_styled (tally_format_duration_ms_styled, styles[i], -1, EM_DASH);
    }
}

static void
test_style_exact (void)
{
  const TallyNumberStyle *c = tally_number_style_c ();

  check_double_styled (tally_format_number_exact_styled, c, 10578.062623717833, "10,578.062623717833");
  check_double_styled (tally_format_number_exact_styled, c, 1.5, "1.5");
  check_double_styled (tally_format_number_exact_styled, c, 1, "1");
  check_double_styled (tally_format_number_exact_styled, c, -0.0, "0");
  check_double_styled (tally_format_number_exact_styled, c, -1234567, "-1,234,567");
  check_double_styled (tally_format_number_exact_styled, c, 1.2e-7, "0.00000012");
  check_double_styled (tally_format_number_exact_styled, &de_style, 10578.062623717833, "10.578,062623717833");
  check_double_styled (tally_format_number_exact_styled, &de_style, -2.5e-8, "-0,000000025");
  check_double_styled (tally_format_number_exact_styled, &in_style, 1e21, "1,00,00,00,00,00,00,00,00,00,000");
  check_double_styled (tally_format_number_exact_styled, &plain_style, 1e21, "1000000000000000000000");
  check_double_styled (tally_format_number_exact_styled, c, NAN, EM_DASH);
  check_double_styled (tally_format_number_exact_styled, &de_style, -INFINITY, EM_DASH);

  check_double_styled (tally_format_cost_exact_styled, c, 0.02999685, "$0.02999685");
  check_double_styled (tally_format_cost_exact_styled, c, 814.5476136625, "$814.5476136625");
  check_double_styled (tally_format_cost_exact_styled, c, -1.5, "-$1.5");
  check_double_styled (tally_format_cost_exact_styled, c, 0, "$0");
  check_double_styled (tally_format_cost_exact_styled, c, -0.0, "$0");
  check_double_styled (tally_format_cost_exact_styled, c, 10509.960997442455, "$10,509.960997442455");
  check_double_styled (tally_format_cost_exact_styled, &de_style, -10509.960997442455, "-10.509,960997442455 $");
  check_double_styled (tally_format_cost_exact_styled, &fr_style, 1234, "1" NNBSP "234 $");
  check_double_styled (tally_format_cost_exact_styled, &in_style, 1234567.125, "US$12,34,567.125");
  check_double_styled (tally_format_cost_exact_styled, c, NAN, EM_DASH);
}

static void
assert_style_equal (const TallyNumberStyle *a,
                    const TallyNumberStyle *b)
{
  g_assert_cmpstr (a->decimal_point, ==, b->decimal_point);
  g_assert_cmpstr (a->thousands_sep, ==, b->thousands_sep);
  g_assert_cmpstr (a->grouping, ==, b->grouping);
  g_assert_cmpstr (a->currency_format, ==, b->currency_format);
  /* untranslated: the C templates */
  g_assert_cmpstr (a->less_than_format, ==, b->less_than_format != NULL ? b->less_than_format : "< %s");
  g_assert_cmpstr (a->greater_than_format, ==, b->greater_than_format != NULL ? b->greater_than_format : "> %s");
}

static void
test_cost_table (void)
{
  /* one column: every value has 4 decimals, so the points line up */
  check_double (tally_format_cost_table, 0.4049, "$0.4049");
  check_double (tally_format_cost_table, 0.21, "$0.2100");
  check_double (tally_format_cost_table, 0.207, "$0.2070");
  check_double (tally_format_cost_table, 0.02999685, "$0.0300");
  check_double (tally_format_cost_table, 0.00012, "$0.0001");
  check_double (tally_format_cost_table, 0.0001, "$0.0001");
  check_double (tally_format_cost_table, 0.00009, "< $0.0001");
  check_double (tally_format_cost_table, 1.2e-7, "< $0.0001");
  check_double (tally_format_cost_table, -1.2e-7, "> -$0.0001");
  check_double (tally_format_cost_table, 0, "$0.0000");
  check_double (tally_format_cost_table, -0.0, "$0.0000");
  check_double (tally_format_cost_table, -1.2, "-$1.2000");
  check_double (tally_format_cost_table, 1234.56789, "$1,234.5679");
  check_double (tally_format_cost_table, 999.99999, "$1,000.0000");
  check_double (tally_format_cost_table, NAN, EM_DASH);
  check_double (tally_format_cost_table, -INFINITY, EM_DASH);
}

static void
test_cost_fixed (void)
{
  const TallyNumberStyle *c = tally_number_style_c ();
  static const struct
  {
    double usd;
    guint decimals;
    const char *expected;
  } cases[] = {
    { 0.005, 3, "$0.005" },
    { 0.0002, 4, "$0.0002" },
    { 0, 3, "$0.000" },
    { 5, 0, "$5" },
    { 1234.5, 1, "$1,234.5" },
    { 0.00001, 2, "$0.00" },
    { -0.25, 2, "-$0.25" },
    { NAN, 2, EM_DASH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = tally_format_cost_fixed_styled (cases[i].usd, cases[i].decimals, c);

      g_assert_cmpstr (got, ==, cases[i].expected);
    }
  check_double_styled (tally_format_cost_table_styled, &de_style, 0.25, "0,2500 $");
}

static void
test_style_bounds (void)
{
  static const TallyNumberStyle zh = { ".", ",", "\3", "US$%s", "不足 %s", "%s 以上" };
  static const TallyNumberStyle broken = { ".", ",", "\3", NULL, "%d", "%s%s" };

  check_double_styled (tally_format_cost_styled, &zh, 0.001, "不足 US$0.01");
  check_double_styled (tally_format_cost_styled, &zh, -0.001, "-US$0.01 以上");
  check_double_styled (tally_format_cost_table_styled, &zh, 0.00001, "不足 US$0.0001");
  /* an invalid template falls back to "< %s" and "> %s" */
  check_double_styled (tally_format_cost_styled, &broken, 0.001, "< $0.01");
  check_double_styled (tally_format_cost_styled, &broken, -0.001, "> -$0.01");
}

static void
test_style_locale_c (void)
{
  static const char *const names[] = { "C.UTF-8", "C", "POSIX" };
  const TallyNumberStyle *style = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *cost = NULL;

      g_assert_nonnull (setlocale (LC_NUMERIC, names[i]));
      /* localeconv() has no thousands separator here; the style still groups */
      g_assert_cmpstr (localeconv ()->thousands_sep, ==, "");

      style = tally_number_style_locale ();
      g_assert_nonnull (style);
      assert_style_equal (style, tally_number_style_c ());
      g_assert_true (style == tally_number_style_locale ());

      cost = tally_format_cost_styled (1234.567, style);
      g_assert_cmpstr (cost, ==, "$1,234.57");
    }

  g_assert_nonnull (setlocale (LC_NUMERIC, "C.UTF-8"));
}

/* Removes @path and everything under it. */
static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_assert_cmpint (g_rmdir (path), ==, 0);
    }
  else
    {
      g_assert_cmpint (g_remove (path), ==, 0);
    }
}

/* Selects @name for LC_NUMERIC: the installed locale, or else one compiled
 * with localedef(1) from glibc's sources into @locpath. */
static gboolean
select_numeric_locale (const char *name,
                       const char *source,
                       const char *locpath)
{
  g_autofree char *localedef = NULL;
  g_autofree char *output = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_unsetenv ("LOCPATH");
  if (setlocale (LC_NUMERIC, name) != NULL)
    return TRUE;

  localedef = g_find_program_in_path ("localedef");
  if (localedef == NULL)
    return FALSE;

  output = g_build_filename (locpath, name, NULL);
  {
    const char *argv[] = { localedef, "-i", source, "-f", "UTF-8", output, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, NULL))
      return FALSE;
  }
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("localedef %s: %s", source, err);
      return FALSE;
    }

  g_setenv ("LOCPATH", locpath, TRUE);
  return setlocale (LC_NUMERIC, name) != NULL;
}

static void
test_style_locale_real (void)
{
  static const struct
  {
    const char *name;
    const char *source;
    TallyNumberStyle expected;
    const char *cost;
    const char *count;
  } cases[] = {
    { "de_DE.UTF-8", "de_DE", { ",", ".", "\3\3", "$%s" }, "-$1.234.567,89", "12.345" },
    { "fr_FR.UTF-8", "fr_FR", { ",", NNBSP, "\3", "$%s" }, "-$1" NNBSP "234" NNBSP "567,89", "12" NNBSP "345" },
    { "en_IN.UTF-8", "en_IN", { ".", ",", "\3\2", "$%s" }, "-$12,34,567.89", "12,345" },
  };
  g_autoptr (GError) error = NULL;
  g_autofree char *locpath = g_dir_make_tmp ("tally-test-locale-XXXXXX", &error);
  guint n_tested = 0;

  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const TallyNumberStyle *style;
      g_autofree char *cost = NULL;
      g_autofree char *count = NULL;
      g_autofree char *percent = NULL;

      if (!select_numeric_locale (cases[i].name, cases[i].source, locpath))
        {
          g_test_message ("locale %s is not available", cases[i].name);
          continue;
        }

      style = tally_number_style_locale ();
      assert_style_equal (style, &cases[i].expected);
      g_assert_true (style == tally_number_style_locale ());
      cost = tally_format_cost_styled (-1234567.891, style);
      g_assert_cmpstr (cost, ==, cases[i].cost);
      count = tally_format_count_styled (12345, style);
      g_assert_cmpstr (count, ==, cases[i].count);

      /* the plain functions ignore the locale */
      percent = tally_format_percent (0.125);
      g_assert_cmpstr (percent, ==, "12.5%");
      n_tested++;
    }

  /* back to C: the next call follows the locale */
  g_assert_nonnull (setlocale (LC_NUMERIC, "C.UTF-8"));
  g_unsetenv ("LOCPATH");
  assert_style_equal (tally_number_style_locale (), tally_number_style_c ());

  remove_tree (locpath);

  if (n_tested == 0)
    g_test_skip ("no de_DE, fr_FR or en_IN locale, and localedef cannot build one");
}

int
main (int argc,
      char *argv[])
{
  /* as the app does; under the test environment's LC_ALL=C.UTF-8 */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format/number-exact/api-values", test_number_exact_api_values);
  g_test_add_func ("/format/number-exact/edges", test_number_exact_edges);
  g_test_add_func ("/format/number-exact/shortest", test_number_exact_shortest);
  g_test_add_func ("/format/cost", test_cost);
  g_test_add_func ("/format/cost-table", test_cost_table);
  g_test_add_func ("/format/cost-fixed", test_cost_fixed);
  g_test_add_func ("/format/count", test_count);
  g_test_add_func ("/format/tokens", test_tokens);
  g_test_add_func ("/format/duration", test_duration);
  g_test_add_func ("/format/percent", test_percent);
  g_test_add_func ("/format/style/c", test_style_c);
  g_test_add_func ("/format/style/de", test_style_de);
  g_test_add_func ("/format/style/fr", test_style_fr);
  g_test_add_func ("/format/style/indian-grouping", test_style_indian_grouping);
  g_test_add_func ("/format/style/rounding", test_style_rounding);
  g_test_add_func ("/format/style/no-grouping", test_style_no_grouping);
  g_test_add_func ("/format/style/currency-format", test_style_currency_format);
  g_test_add_func ("/format/style/bounds", test_style_bounds);
  g_test_add_func ("/format/style/non-finite", test_style_non_finite);
  g_test_add_func ("/format/style/exact", test_style_exact);
  g_test_add_func ("/format/style/locale-c", test_style_locale_c);
  g_test_add_func ("/format/style/locale-real", test_style_locale_real);

  return g_test_run ();
}

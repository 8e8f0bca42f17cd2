/* test-format.c: tally-format.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "tally-format.h"

#define EM_DASH "\xe2\x80\x94"

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
  check_double (tally_format_cost, 0.0123, "$0.0123");
  check_double (tally_format_cost, 0.00012, "$0.00012");
  check_double (tally_format_cost, 0, "$0.00");
  check_double (tally_format_cost, -0.0, "$0.00");
  check_double (tally_format_cost, -1.2, "-$1.20");
  check_double (tally_format_cost, 1, "$1.00");
  check_double (tally_format_cost, 0.5, "$0.50");
  check_double (tally_format_cost, 0.123456, "$0.1235");
  check_double (tally_format_cost, 0.02999685, "$0.03");
  check_double (tally_format_cost, 0.032034375, "$0.03203");
  check_double (tally_format_cost, 0.99999, "$1.00");
  check_double (tally_format_cost, 1.2e-7, "$0.00000012");
  check_double (tally_format_cost, 1e-12, "$0.00");
  check_double (tally_format_cost, -0.004, "-$0.004");
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
  check_double (tally_format_percent, 0.5, "50%");
  check_double (tally_format_percent, 0, "0%");
  check_double (tally_format_percent, 1, "100%");
  check_double (tally_format_percent, 0.1234, "12.3%");
  check_double (tally_format_percent, 0.00049, "0%");
  check_double (tally_format_percent, 1.5, "150%");
  check_double (tally_format_percent, -0.25, "-25%");
  check_double (tally_format_percent, -0.0001, "0%");
  check_double (tally_format_percent, NAN, EM_DASH);
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format/number-exact/api-values", test_number_exact_api_values);
  g_test_add_func ("/format/number-exact/edges", test_number_exact_edges);
  g_test_add_func ("/format/number-exact/shortest", test_number_exact_shortest);
  g_test_add_func ("/format/cost", test_cost);
  g_test_add_func ("/format/count", test_count);
  g_test_add_func ("/format/tokens", test_tokens);
  g_test_add_func ("/format/duration", test_duration);
  g_test_add_func ("/format/percent", test_percent);

  return g_test_run ();
}

/* tally-format.h: number formatting for the UI, the CLI and CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every function returns a newly allocated UTF-8 string (free with g_free()).
 * Non-finite input (NAN, ±INF) gives "—" (U+2014), except
 * tally_format_number_exact(), which gives "".
 *
 * Two families:
 * - the plain functions (tally_format_cost() …) never depend on the process
 *   locale or on translations: the decimal point is '.', digit groups of three
 *   are separated with ',', dollars are "$". The CLI, CSV, JSON and file names
 *   use them.
 * - the _styled variants take a #TallyNumberStyle; the UI and the PDF pass
 *   tally_number_style_locale(). The plain functions are the _styled ones with
 *   tally_number_style_c(): there is one implementation of each.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How to write a number. Strings are UTF-8 and borrowed.
 * @decimal_point: NULL or "" means ".".
 * @thousands_sep: inserted between digit groups of the integer part; NULL or
 *   "" means no grouping. May be several bytes (U+00A0, U+202F).
 * @grouping: as localeconv()'s: each byte is the size of a group, counted
 *   from the decimal point leftwards; the last size repeats when the string
 *   ends ("\3" = 1,234,567; "\3\2" = 12,34,567); a byte of CHAR_MAX (or any
 *   value >= 127) stops grouping there; NULL or "" means no grouping.
 * @currency_format: how to write a US dollar amount around the formatted
 *   number: exactly one "%s" (the number), "%%" for a literal '%' ("$%s",
 *   "US$%s", "%s $"). NULL, or a template that is not exactly that, means
 *   "$%s". A minus sign goes before the whole result ("-US$1.20").
 * @less_than_format: a positive amount too small to show, around the smallest
 *   amount shown: exactly one "%s" ("< %s" → "< $0.01"). NULL or invalid
 *   means "< %s".
 * @greater_than_format: the same for a negative amount ("> %s" → "> -$0.01").
 *   NULL or invalid means "> %s".
 */
typedef struct
{
  const char *decimal_point;
  const char *thousands_sep;
  const char *grouping;
  const char *currency_format;
  const char *less_than_format;
  const char *greater_than_format;
} TallyNumberStyle;

/* The style of the plain functions: "." ",", groups of 3, "$%s", "< %s",
 * "> %s". Static. */
const TallyNumberStyle *tally_number_style_c (void);

/* The style of the current LC_NUMERIC locale (localeconv(), copied) with the
 * translated dollar template (Translators: "$%s"), read at call time.
 * Under the "C" and "POSIX" locales and their variants ("C.UTF-8", "C.utf8"),
 * whose localeconv() has no thousands separator, it is the C style (",", groups
 * of 3) so that the untranslated UI reads "1,234.57"; every other locale is
 * taken as it is, including an empty thousands separator (no grouping).
 * Styles are cached per (LC_NUMERIC locale name, templates) and never
 * freed, so the result stays valid for the life of the process; after a
 * setlocale (LC_NUMERIC, …) (or a textdomain change) the next call returns
 * the style of the new locale. Thread-safe. */
const TallyNumberStyle *tally_number_style_locale (void);

/* The _styled variants: like the plain function of the same name, with
 * @style's decimal point, digit grouping and dollar template. */
char *tally_format_cost_styled (double usd,
                                const TallyNumberStyle *style);
char *tally_format_count_styled (gint64 value,
                                 const TallyNumberStyle *style);
char *tally_format_tokens_styled (gint64 tokens,
                                  const TallyNumberStyle *style);
char *tally_format_duration_ms_styled (double ms,
                                       const TallyNumberStyle *style);
char *tally_format_percent_styled (double fraction,
                                   const TallyNumberStyle *style);

/* Money. Three precisions, one per place (src/DESIGN.md, "Numbers"):
 * - cards and totals: tally_format_cost(), 2 decimals;
 * - tables: tally_format_cost_table(), 4 fixed decimals, so that a
 *   right-aligned column in tabular figures lines up on the decimal point;
 * - details, CSV and JSON: every digit, tally_format_cost_exact_styled() and
 *   tally_format_number_exact().
 *
 * US dollars with 2 decimals: "$1,234.57", "$0.41", "$0.00" for 0, "-$1.20";
 * a non-zero amount under a cent is "< $0.01" ("> -$0.01" below zero). */
char *tally_format_cost (double usd);

/* US dollars with 4 fixed decimals: "$0.4049", "$0.2100", "$1,234.5678",
 * "$0.0000" for 0; a non-zero amount under $0.0001 is "< $0.0001"
 * ("> -$0.0001"). */
char *tally_format_cost_table (double usd);
char *tally_format_cost_table_styled (double usd,
                                      const TallyNumberStyle *style);

/* US dollars with exactly @decimals (at most 10) decimals, rounded, no
 * bounds: for axis ticks, where the values are multiples of a step
 * (0.005 with 3 → "$0.005"). */
char *tally_format_cost_fixed_styled (double usd,
                                      guint decimals,
                                      const TallyNumberStyle *style);

/* "17,003", "-1,234", "0". */
char *tally_format_count (gint64 value);

/* Compact token counts: "812", "964.8K" (1 decimal), "3.46M", "1.2B", "4.51T"
 * (2 decimals), trailing zeros trimmed ("12K"); rounding that reaches 1000
 * moves to the next unit ("1M", not "1000.0K"). Negative values get '-'. */
char *tally_format_tokens (gint64 tokens);

/* "820 ms" (< 1 s), "10.6 s" (< 60 s), "2 min 5 s", "2 min", "1 h 5 min";
 * negative or non-finite → "—". */
char *tally_format_duration_ms (double ms);

/* A fraction as a percentage with one fixed decimal: 0.125 → "12.5%",
 * 0.31 → "31.0%", 0.5 → "50.0%", 0.00049 → "0.0%", -0.0001 → "0.0%". */
char *tally_format_percent (double fraction);

/* The shortest decimal that reads back (g_ascii_strtod) as exactly @value,
 * never with an exponent, '.' as decimal point, no trailing ".0":
 * 0.02999685 → "0.02999685", 1 → "1", 1.2e-7 → "0.00000012",
 * 1e21 → "1000000000000000000000", -0.0 → "0". NAN/INF → "".
 * For CSV and JSON output. */
char *tally_format_number_exact (double value);

/* For the UI: the digits of tally_format_number_exact() with @style's decimal
 * point and digit grouping: 10578.062623717833 → "10,578.062623717833" (C),
 * "10.578,062623717833" (de); NAN/INF → "—". */
char *tally_format_number_exact_styled (double value,
                                        const TallyNumberStyle *style);

/* For the UI: every digit of a dollar amount, tally_format_number_exact_styled()
 * in @style's dollar template with '-' first: 0.02999685 → "$0.02999685",
 * -1.5 → "-$1.5", 0 → "$0"; NAN/INF → "—". */
char *tally_format_cost_exact_styled (double usd,
                                      const TallyNumberStyle *style);

G_END_DECLS

/* tally-format.h: pure, deterministic number formatting for the UI, the CLI and CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every function returns a newly allocated UTF-8 string (free with g_free()).
 * None of them depends on the C locale: the decimal point is always '.', and
 * digit groups are separated with ',' (locale-aware formatting comes later).
 * Non-finite input (NAN, ±INF) gives "—" (U+2014), except
 * tally_format_number_exact(), which gives "".
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* US dollars: "$1,234.57" (2 decimals when |usd| >= 1), "$0.0123", "$0.00012"
 * (when 0 < |usd| < 1: 4 significant digits, trailing zeros trimmed, at least 2
 * and at most 10 decimals), "$0.00" for 0, "-$1.20" for negative values. */
char *tally_format_cost (double usd);

/* "17,003", "-1,234", "0". */
char *tally_format_count (gint64 value);

/* Compact token counts: "812", "964.8K" (1 decimal), "3.46M", "1.2B", "4.51T"
 * (2 decimals), trailing zeros trimmed ("12K"); rounding that reaches 1000
 * moves to the next unit ("1M", not "1000.0K"). Negative values get '-'. */
char *tally_format_tokens (gint64 tokens);

/* "820 ms" (< 1 s), "10.6 s" (< 60 s), "2 min 5 s", "2 min", "1 h 5 min";
 * negative or non-finite → "—". */
char *tally_format_duration_ms (double ms);

/* A fraction as a percentage with one decimal: 0.125 → "12.5%", 0.5 → "50%"
 * (".0" trimmed), 0.00049 → "0%". */
char *tally_format_percent (double fraction);

/* The shortest decimal that reads back (g_ascii_strtod) as exactly @value,
 * never with an exponent, '.' as decimal point, no trailing ".0":
 * 0.02999685 → "0.02999685", 1 → "1", 1.2e-7 → "0.00000012",
 * 1e21 → "1000000000000000000000", -0.0 → "0". NAN/INF → "".
 * For CSV and JSON output. */
char *tally_format_number_exact (double value);

G_END_DECLS

/* tally-math-private.h: small integer helpers shared inside core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @a / @b rounded towards minus infinity (C's "/" rounds towards zero). */
static inline gint64
_tally_floor_div (gint64 a,
                  gint64 b)
{
  gint64 q = a / b;

  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

G_END_DECLS

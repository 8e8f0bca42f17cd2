/* tally-demo-calendar-private.h: the demo data's random numbers, shared by
 * tally-demo-calendar.c and the generator in tally-demo-data.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 s[4];
} Rng;

guint64 splitmix64 (guint64 *state);
void rng_init (Rng *rng,
               guint64 seed);
guint64 rng_next (Rng *rng);
double rng_double (Rng *rng);
guint64 rng_below (Rng *rng,
                   guint64 n);
guint32 rng_lognormal (Rng *rng,
                       double median,
                       double sigma,
                       guint32 min,
                       guint32 max);
guint rng_pick (Rng *rng,
                const guint8 *weights,
                guint n);

G_END_DECLS

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

guint64 _tally_demo_splitmix64 (guint64 *state);
void _tally_demo_rng_init (Rng *rng,
                           guint64 seed);
guint64 _tally_demo_rng_next (Rng *rng);
double _tally_demo_rng_double (Rng *rng);
guint64 _tally_demo_rng_below (Rng *rng,
                               guint64 n);
guint32 _tally_demo_rng_lognormal (Rng *rng,
                                   double median,
                                   double sigma,
                                   guint32 min,
                                   guint32 max);
guint _tally_demo_rng_pick (Rng *rng,
                            const guint8 *weights,
                            guint n);

G_END_DECLS

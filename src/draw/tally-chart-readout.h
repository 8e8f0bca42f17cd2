/* tally-chart-readout.h: the box of values a chart shows for one item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A readout is a title ("Wed Jan 14", "claude-sonnet-4-5") over rows of a
 * colour swatch, a name and a value. The values are right-aligned in one
 * column with tabular figures, so that their digits line up. It is placed
 * beside the point it describes, never over it: to the right of the point,
 * or to its left when it would cross the right edge, and only above or below
 * it when neither side has room.
 */

#pragma once

#include <graphene.h>
#include <pango/pangocairo.h>

#include "tally-chart-palette.h"

G_BEGIN_DECLS

typedef struct _TallyChartReadout TallyChartReadout;

/* @context: NULL = a default cairo font map context with "Sans 11".
 * @title: plain text, never markup. */
TallyChartReadout *tally_chart_readout_new (PangoContext *context,
                                            const char *title);
void tally_chart_readout_free (TallyChartReadout *readout);

/* Adds a row; @swatch NULL = none. Plain text. */
void tally_chart_readout_add_row (TallyChartReadout *readout,
                                  const TallyRGBA *swatch,
                                  const char *label,
                                  const char *value);

const char *tally_chart_readout_get_title (const TallyChartReadout *readout);
/* "Title\nlabel value\n…", what the box shows, for tests and logs */
char *tally_chart_readout_to_string (const TallyChartReadout *readout);

/* Places the box beside the point (@x, @y) inside @bounds, at least
 * @clearance away from it horizontally (or vertically when it goes above or
 * below), as described above. */
void tally_chart_readout_place (TallyChartReadout *readout,
                                double x,
                                double y,
                                double clearance,
                                const graphene_rect_t *bounds);
/* The box as placed (at 0, 0 until placed). */
void tally_chart_readout_get_box (const TallyChartReadout *readout,
                                  graphene_rect_t *box);

void tally_chart_readout_draw (cairo_t *cr,
                               const TallyChartReadout *readout,
                               const TallyChartPalette *palette);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TallyChartReadout, tally_chart_readout_free)

G_END_DECLS

/* tally-chart-private.h: what the chart widgets call on their base
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tally-chart-palette.h"
#include "tally-chart.h"

G_BEGIN_DECLS

/* Drops the layout, calls the reload vfunc with the model, clears the hover
 * and updates the summary (the accessible label). Call it when a property
 * the data depends on changed, and once at the end of init. */
void _tally_chart_reload (TallyChart *self);
/* Calls the drop_layout vfunc and forgets the size and font it was made for. */
void _tally_chart_drop_layout (TallyChart *self);
/* Calls the build_layout vfunc unless the layout fits @width × @height and
 * the widget's font. */
void _tally_chart_ensure_layout (TallyChart *self,
                                 int width,
                                 int height);
/* Appends the readout of the item shown, if any, over what was drawn; call
 * it last in the snapshot, after _tally_chart_ensure_layout(). */
void _tally_chart_snapshot_readout (TallyChart *self,
                                    GtkSnapshot *snapshot);
/* The palette of the widget's style, read again after a CSS change. */
const TallyChartPalette *_tally_chart_get_palette (TallyChart *self);

G_END_DECLS

/* tally-chart-palette-gtk.h: a chart palette from a widget's style (widget layer)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tally-chart-palette.h"

G_BEGIN_DECLS

void tally_rgba_from_gdk (TallyRGBA *rgba,
                          const GdkRGBA *gdk);
void tally_chart_palette_init_from_widget (TallyChartPalette *palette,
                                           GtkWidget *widget);

G_END_DECLS

/* tally-chart.h: the base of the dashboard's charts (widget layer)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TallyChart keeps what every chart widget does the same way: the "model"
 * (a GListModel, followed through items-changed), the "summary" that is also
 * the accessible label, the slice or bucket under the pointer, the palette
 * read from the style, and the cached layout, placed again when the size or
 * the font changes. A subclass keeps its data and layout (libtally-draw) and
 * draws them in its snapshot; see tally-chart-private.h for what it calls.
 *
 * One item at a time is shown with a readout (a box of its values beside it,
 * never over it): the item under the pointer, or the one the arrow keys
 * stepped to. The chart takes keyboard focus: Left and Right step through
 * the items, Home and End go to the first and the last, and the accessible
 * description tells the item shown in words.
 */

#pragma once

#include <gtk/gtk.h>

#include "tally-chart-palette.h"
#include "tally-chart-readout.h"

G_BEGIN_DECLS

#define TALLY_TYPE_CHART (tally_chart_get_type ())

G_DECLARE_DERIVABLE_TYPE (TallyChart, tally_chart, TALLY, CHART, GtkWidget)

struct _TallyChartClass
{
  GtkWidgetClass parent_class;

  /* The size request, in pixels. */
  int min_width;
  int natural_width;
  int min_height;
  int natural_height;

  /* Builds the data of @model (NULL = none) again; returns the summary. */
  char *(*reload) (TallyChart *self,
                   GListModel *model);
  /* Places the data in @width × @height with the font of @context. */
  void (*build_layout) (TallyChart *self,
                        int width,
                        int height,
                        PangoContext *context);
  /* Frees the layout and everything drawn from it. */
  void (*drop_layout) (TallyChart *self);
  /* The item at (@x, @y) of the layout, or -1. */
  int (*hit_test) (TallyChart *self,
                   double x,
                   double y);
  /* How many items the arrow keys step through (0 = none). */
  guint (*get_n_items) (TallyChart *self);
  /* Item @index in words, the accessible description while it is shown. */
  char *(*describe_item) (TallyChart *self,
                          int index);
  /* The readout of item @index, placed in the layout; NULL = none. */
  TallyChartReadout *(*new_readout) (TallyChart *self,
                                     int index,
                                     const TallyChartPalette *palette,
                                     PangoContext *context);
  /* Optional: the palette changed (a frame drawn with the old one is stale). */
  void (*palette_changed) (TallyChart *self);
};

GListModel *tally_chart_get_model (TallyChart *self);
void tally_chart_set_model (TallyChart *self,
                            GListModel *model);
/* The text summary that is also the accessible label. */
const char *tally_chart_get_summary (TallyChart *self);
/* The item shown (under the pointer or stepped to with the keys), or -1. */
int tally_chart_get_hover_index (TallyChart *self);
/* The readout of that item, NULL when none is shown or the chart was never
 * laid out (it is built with the layout). */
const TallyChartReadout *tally_chart_get_readout (TallyChart *self);

G_END_DECLS

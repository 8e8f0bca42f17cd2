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
 */

#pragma once

#include <gtk/gtk.h>

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
  /* Sets the text and the area of the tooltip for item @index. */
  void (*set_item_tooltip) (TallyChart *self,
                            int index,
                            int x,
                            int y,
                            GtkTooltip *tooltip);
  /* Optional: the palette changed (a frame drawn with the old one is stale). */
  void (*palette_changed) (TallyChart *self);
};

GListModel *tally_chart_get_model (TallyChart *self);
void tally_chart_set_model (TallyChart *self,
                            GListModel *model);
/* The text summary that is also the accessible label. */
const char *tally_chart_get_summary (TallyChart *self);
/* The item under the pointer, or -1. */
int tally_chart_get_hover_index (TallyChart *self);

G_END_DECLS

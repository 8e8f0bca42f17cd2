/* tally-stat-card.h: one figure on the dashboard: a title, a value and a caption
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TALLY_TYPE_STAT_CARD (tally_stat_card_get_type ())

G_DECLARE_FINAL_TYPE (TallyStatCard, tally_stat_card, TALLY, STAT_CARD, GtkWidget)

GtkWidget *tally_stat_card_new (void);

const char *tally_stat_card_get_title (TallyStatCard *self);
void tally_stat_card_set_title (TallyStatCard *self,
                                const char *title);
const char *tally_stat_card_get_value (TallyStatCard *self);
void tally_stat_card_set_value (TallyStatCard *self,
                                const char *value);
const char *tally_stat_card_get_caption (TallyStatCard *self);
void tally_stat_card_set_caption (TallyStatCard *self,
                                  const char *caption);

G_END_DECLS

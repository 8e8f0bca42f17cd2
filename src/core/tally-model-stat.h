/* tally-model-stat.h: one entry of GET /usage/dashboard/models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_MODEL_STAT (tally_model_stat_get_type ())

G_DECLARE_FINAL_TYPE (TallyModelStat, tally_model_stat, TALLY, MODEL_STAT, GObject)

const char *tally_model_stat_get_model (TallyModelStat *self);
gint64 tally_model_stat_get_requests (TallyModelStat *self);
gint64 tally_model_stat_get_input_tokens (TallyModelStat *self);
gint64 tally_model_stat_get_output_tokens (TallyModelStat *self);
gint64 tally_model_stat_get_total_tokens (TallyModelStat *self);
double tally_model_stat_get_cost (TallyModelStat *self);
double tally_model_stat_get_actual_cost (TallyModelStat *self);

G_END_DECLS

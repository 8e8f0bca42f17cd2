/* tally-model-breakdown.h: GET /usage/dashboard/models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_MODEL_BREAKDOWN (tally_model_breakdown_get_type ())

G_DECLARE_FINAL_TYPE (TallyModelBreakdown, tally_model_breakdown, TALLY, MODEL_BREAKDOWN, GObject)

const char *tally_model_breakdown_get_start_date (TallyModelBreakdown *self);
const char *tally_model_breakdown_get_end_date (TallyModelBreakdown *self);
GListModel *tally_model_breakdown_get_models (TallyModelBreakdown *self);

/* models: TallyModelStat, never NULL. */

G_END_DECLS

/* tally-usage-stats.c: GET /usage/stats (the cache split is L-only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-usage-stats"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-models-private.h"

#define TYPE_NAME N_ ("usage stats")

struct _TallyUsageStats
{
  GObject parent_instance;

  gint64 total_requests;
  gint64 total_input_tokens;
  gint64 total_output_tokens;
  gint64 total_cache_tokens;
  gint64 total_tokens;
  double total_cost;
  double total_actual_cost;
  double average_duration_ms;
  gint64 total_cache_creation_tokens;
  gint64 total_cache_read_tokens;
};

static const TallyField fields[] = {
  TALLY_FIELD (TallyUsageStats, total_requests, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageStats, total_input_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageStats, total_output_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageStats, total_cache_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageStats, total_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageStats, total_cost, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageStats, total_actual_cost, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageStats, average_duration_ms, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyUsageStats, total_cache_creation_tokens, INT_NULLABLE, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyUsageStats, total_cache_read_tokens, INT_NULLABLE, TALLY_FIELD_OPTIONAL),
};

/* what `tally stats --json` writes: the server's field names */
static const TallyJsonModel json_model = { fields, G_N_ELEMENTS (fields), NULL, NULL };

TALLY_DEFINE_JSON_MODEL (TallyUsageStats, tally_usage_stats, fields, &json_model)

TallyUsageStats *
_tally_usage_stats_new_from_json (JsonNode *node,
                                  GError **error)
{
  return _tally_json_fields_new_object (TALLY_TYPE_USAGE_STATS, fields, G_N_ELEMENTS (fields),
                                        node, TYPE_NAME, error);
}

gint64
tally_usage_stats_get_total_requests (TallyUsageStats *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_STATS (self), 0);

  return self->total_requests;
}

gint64
tally_usage_stats_get_total_input_tokens (TallyUsageStats *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_STATS (self), 0);

  return self->total_input_tokens;
}

gint64
tally_usage_stats_get_total_output_tokens (TallyUsageStats *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_STATS (self), 0);

  return self->total_output_tokens;
}

gint64
tally_usage_stats_get_total_cache_tokens (TallyUsageStats *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_STATS (self), 0);

  return self->total_cache_tokens;
}

gint64
tally_usage_stats_get_total_tokens (TallyUsageStats *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_STATS (self), 0);

  return self->total_tokens;
}

double
tally_usage_stats_get_total_cost (TallyUsageStats *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_STATS (self), 0.0);

  return self->total_cost;
}

double
tally_usage_stats_get_total_actual_cost (TallyUsageStats *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_STATS (self), 0.0);

  return self->total_actual_cost;
}

double
tally_usage_stats_get_average_duration_ms (TallyUsageStats *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_STATS (self), 0.0);

  return self->average_duration_ms;
}

gint64
tally_usage_stats_get_total_cache_creation_tokens (TallyUsageStats *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_STATS (self), -1);

  return self->total_cache_creation_tokens;
}

gint64
tally_usage_stats_get_total_cache_read_tokens (TallyUsageStats *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_STATS (self), -1);

  return self->total_cache_read_tokens;
}

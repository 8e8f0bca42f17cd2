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

G_DEFINE_FINAL_TYPE (TallyUsageStats, tally_usage_stats, G_TYPE_OBJECT)

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

enum
{
  PROP_0,
  N_PROPS = G_N_ELEMENTS (fields) + 1,
};

static GParamSpec *properties[N_PROPS];

static void
tally_usage_stats_finalize (GObject *object)
{
  TallyUsageStats *self = (TallyUsageStats *) object;

  _tally_json_fields_clear (fields, G_N_ELEMENTS (fields), self);

  G_OBJECT_CLASS (tally_usage_stats_parent_class)->finalize (object);
}

static void
tally_usage_stats_get_property (GObject *object,
                                guint prop_id,
                                GValue *value,
                                GParamSpec *pspec)
{
  if (!_tally_json_fields_get_property (fields, G_N_ELEMENTS (fields), object, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
tally_usage_stats_class_init (TallyUsageStatsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tally_usage_stats_finalize;
  object_class->get_property = tally_usage_stats_get_property;

  _tally_json_fields_create_pspecs (fields, G_N_ELEMENTS (fields), properties);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_usage_stats_init (TallyUsageStats *self)
{
  _tally_json_fields_init (fields, G_N_ELEMENTS (fields), self);
}

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

/* tally-dashboard-stats.c: GET /usage/dashboard/stats
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-dashboard-stats"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-models-private.h"

#define TYPE_NAME N_ ("dashboard stats")

struct _TallyDashboardStats
{
  GObject parent_instance;

  gint64 total_api_keys;
  gint64 active_api_keys;
  gint64 total_requests;
  gint64 total_input_tokens;
  gint64 total_output_tokens;
  gint64 total_cache_creation_tokens;
  gint64 total_cache_read_tokens;
  gint64 total_tokens;
  double total_cost;
  double total_actual_cost;
  gint64 today_requests;
  gint64 today_input_tokens;
  gint64 today_output_tokens;
  gint64 today_cache_creation_tokens;
  gint64 today_cache_read_tokens;
  gint64 today_tokens;
  double today_cost;
  double today_actual_cost;
  double average_duration_ms;
  gint64 rpm;
  gint64 tpm;
};

G_DEFINE_FINAL_TYPE (TallyDashboardStats, tally_dashboard_stats, G_TYPE_OBJECT)

static const TallyField fields[] = {
  TALLY_FIELD (TallyDashboardStats, total_api_keys, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, active_api_keys, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, total_requests, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, total_input_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, total_output_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, total_cache_creation_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, total_cache_read_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, total_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, total_cost, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, total_actual_cost, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, today_requests, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, today_input_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, today_output_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, today_cache_creation_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, today_cache_read_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, today_tokens, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, today_cost, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, today_actual_cost, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, average_duration_ms, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, rpm, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyDashboardStats, tpm, INT, TALLY_FIELD_REQUIRED),
};

enum
{
  PROP_0,
  N_PROPS = G_N_ELEMENTS (fields) + 1,
};

static GParamSpec *properties[N_PROPS];

static void
tally_dashboard_stats_finalize (GObject *object)
{
  TallyDashboardStats *self = (TallyDashboardStats *) object;

  _tally_json_fields_clear (fields, G_N_ELEMENTS (fields), self);

  G_OBJECT_CLASS (tally_dashboard_stats_parent_class)->finalize (object);
}

static void
tally_dashboard_stats_get_property (GObject *object,
                                    guint prop_id,
                                    GValue *value,
                                    GParamSpec *pspec)
{
  if (!_tally_json_fields_get_property (fields, G_N_ELEMENTS (fields), object, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static const TallyJsonModel json_model = { fields, G_N_ELEMENTS (fields), NULL, NULL };

static void
tally_dashboard_stats_class_init (TallyDashboardStatsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  _tally_json_model_register (G_OBJECT_CLASS_TYPE (klass), &json_model);

  object_class->finalize = tally_dashboard_stats_finalize;
  object_class->get_property = tally_dashboard_stats_get_property;

  _tally_json_fields_create_pspecs (fields, G_N_ELEMENTS (fields), properties);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_dashboard_stats_init (TallyDashboardStats *self)
{
  _tally_json_fields_init (fields, G_N_ELEMENTS (fields), self);
}

TallyDashboardStats *
_tally_dashboard_stats_new_from_json (JsonNode *node,
                                      GError **error)
{
  return _tally_json_fields_new_object (TALLY_TYPE_DASHBOARD_STATS, fields, G_N_ELEMENTS (fields),
                                        node, TYPE_NAME, error);
}

gint64
tally_dashboard_stats_get_total_api_keys (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0);

  return self->total_api_keys;
}

gint64
tally_dashboard_stats_get_active_api_keys (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0);

  return self->active_api_keys;
}

gint64
tally_dashboard_stats_get_total_requests (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0);

  return self->total_requests;
}

gint64
tally_dashboard_stats_get_total_input_tokens (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0);

  return self->total_input_tokens;
}

gint64
tally_dashboard_stats_get_total_output_tokens (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0);

  return self->total_output_tokens;
}

gint64
tally_dashboard_stats_get_total_cache_creation_tokens (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0);

  return self->total_cache_creation_tokens;
}

gint64
tally_dashboard_stats_get_total_cache_read_tokens (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0);

  return self->total_cache_read_tokens;
}

gint64
tally_dashboard_stats_get_total_tokens (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0);

  return self->total_tokens;
}

double
tally_dashboard_stats_get_total_cost (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0.0);

  return self->total_cost;
}

double
tally_dashboard_stats_get_total_actual_cost (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0.0);

  return self->total_actual_cost;
}

gint64
tally_dashboard_stats_get_today_requests (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0);

  return self->today_requests;
}

gint64
tally_dashboard_stats_get_today_input_tokens (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0);

  return self->today_input_tokens;
}

gint64
tally_dashboard_stats_get_today_output_tokens (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0);

  return self->today_output_tokens;
}

gint64
tally_dashboard_stats_get_today_cache_creation_tokens (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0);

  return self->today_cache_creation_tokens;
}

gint64
tally_dashboard_stats_get_today_cache_read_tokens (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0);

  return self->today_cache_read_tokens;
}

gint64
tally_dashboard_stats_get_today_tokens (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0);

  return self->today_tokens;
}

double
tally_dashboard_stats_get_today_cost (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0.0);

  return self->today_cost;
}

double
tally_dashboard_stats_get_today_actual_cost (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0.0);

  return self->today_actual_cost;
}

double
tally_dashboard_stats_get_average_duration_ms (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0.0);

  return self->average_duration_ms;
}

gint64
tally_dashboard_stats_get_rpm (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0);

  return self->rpm;
}

gint64
tally_dashboard_stats_get_tpm (TallyDashboardStats *self)
{
  g_return_val_if_fail (TALLY_IS_DASHBOARD_STATS (self), 0);

  return self->tpm;
}

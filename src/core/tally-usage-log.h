/* tally-usage-log.h: one row of GET /usage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_USAGE_LOG (tally_usage_log_get_type ())

G_DECLARE_FINAL_TYPE (TallyUsageLog, tally_usage_log, TALLY, USAGE_LOG, GObject)

gint64 tally_usage_log_get_id (TallyUsageLog *self);
gint64 tally_usage_log_get_user_id (TallyUsageLog *self);
gint64 tally_usage_log_get_api_key_id (TallyUsageLog *self);
gint64 tally_usage_log_get_account_id (TallyUsageLog *self);
const char *tally_usage_log_get_request_id (TallyUsageLog *self);
const char *tally_usage_log_get_model (TallyUsageLog *self);
gint64 tally_usage_log_get_group_id (TallyUsageLog *self);
gint64 tally_usage_log_get_subscription_id (TallyUsageLog *self);
gint64 tally_usage_log_get_input_tokens (TallyUsageLog *self);
gint64 tally_usage_log_get_output_tokens (TallyUsageLog *self);
gint64 tally_usage_log_get_cache_creation_tokens (TallyUsageLog *self);
gint64 tally_usage_log_get_cache_read_tokens (TallyUsageLog *self);
double tally_usage_log_get_input_cost (TallyUsageLog *self);
double tally_usage_log_get_output_cost (TallyUsageLog *self);
double tally_usage_log_get_cache_creation_cost (TallyUsageLog *self);
double tally_usage_log_get_cache_read_cost (TallyUsageLog *self);
double tally_usage_log_get_total_cost (TallyUsageLog *self);
double tally_usage_log_get_actual_cost (TallyUsageLog *self);
double tally_usage_log_get_rate_multiplier (TallyUsageLog *self);
gint64 tally_usage_log_get_billing_type (TallyUsageLog *self);
gboolean tally_usage_log_get_stream (TallyUsageLog *self);
gint64 tally_usage_log_get_duration_ms (TallyUsageLog *self);
gint64 tally_usage_log_get_first_token_ms (TallyUsageLog *self);
GDateTime *tally_usage_log_get_created_at (TallyUsageLog *self);
const char *tally_usage_log_get_created_at_raw (TallyUsageLog *self);
const char *tally_usage_log_get_api_key_name (TallyUsageLog *self);
const char *tally_usage_log_get_group_name (TallyUsageLog *self);
gint64 tally_usage_log_get_total_tokens (TallyUsageLog *self);

/* group_id, subscription_id, duration_ms and first_token_ms return -1 when null.
 * billing_type is the raw value (0 balance, 1 subscription).
 * created_at_raw is the timestamp exactly as sent.
 * api_key_name / group_name are NULL when the row has no nested api_key / group.
 * total_tokens = input + output + cache_creation + cache_read. */

G_END_DECLS

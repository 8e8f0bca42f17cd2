/* tally-usage-query.h: one filter over the usage log, turned into query parameters in one place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_USAGE_QUERY (tally_usage_query_get_type ())

GType tally_usage_query_get_type (void) G_GNUC_CONST;

/* A value type (GBoxed, refcounted copy-on-write is not needed: copy is cheap).
 * Dates are server calendar days, "YYYY-MM-DD", or NULL for "unbounded". */
TallyUsageQuery *tally_usage_query_new (void);
TallyUsageQuery *tally_usage_query_copy (const TallyUsageQuery *self);
void tally_usage_query_free (TallyUsageQuery *self);
gboolean tally_usage_query_equal (const TallyUsageQuery *a,
                                  const TallyUsageQuery *b);

/* 0 = any key */
gint64 tally_usage_query_get_api_key_id (const TallyUsageQuery *self);
void tally_usage_query_set_api_key_id (TallyUsageQuery *self,
                                       gint64 api_key_id);
/* NULL or "" = any model; exact, case-sensitive match */
const char *tally_usage_query_get_model (const TallyUsageQuery *self);
void tally_usage_query_set_model (TallyUsageQuery *self,
                                  const char *model);
TallyStreamFilter tally_usage_query_get_stream (const TallyUsageQuery *self);
void tally_usage_query_set_stream (TallyUsageQuery *self,
                                   TallyStreamFilter stream);
TallyBillingType tally_usage_query_get_billing (const TallyUsageQuery *self);
void tally_usage_query_set_billing (TallyUsageQuery *self,
                                    TallyBillingType billing);
const char *tally_usage_query_get_start_date (const TallyUsageQuery *self);
const char *tally_usage_query_get_end_date (const TallyUsageQuery *self);
/* Both must be NULL or valid YYYY-MM-DD dates (checked: returns FALSE and sets
 * TALLY_ERROR_INVALID_ARGUMENT otherwise, leaving the query unchanged). */
gboolean tally_usage_query_set_range (TallyUsageQuery *self,
                                      const char *start_date,
                                      const char *end_date,
                                      GError **error);

/* The parameters for GET /usage (list) as an encoded query string without the
 * leading '?', e.g. "api_key_id=3&stream=true&start_date=2026-01-01&end_date=2026-01-31".
 * page/page_size are appended when > 0. Parameters that are "any" are omitted. */
char *tally_usage_query_to_list_params (const TallyUsageQuery *self,
                                        gint64 page,
                                        gint64 page_size);

/* The parameters for GET /usage/stats (API.md §3.5): api_key_id when set, and
 * start_date+end_date only when both are set; otherwise "period=today"
 * (S ignores model/stream/billing there; they are sent anyway since L honours them). */
char *tally_usage_query_to_stats_params (const TallyUsageQuery *self);

/* A short human/diagnostic description, e.g. "key 3, 2026-01-01…2026-01-31, stream" */
char *tally_usage_query_describe (const TallyUsageQuery *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TallyUsageQuery, tally_usage_query_free)

G_END_DECLS

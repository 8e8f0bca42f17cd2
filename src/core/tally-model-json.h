/* tally-model-json.h: the models as JSON, with the server's field names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A model that core decodes through a field table (tally-json-private.h)
 * writes itself back through the same table: its fields in the table's
 * order, then what the model adds to them (an API key's group and masked key,
 * a usage row's key and group names and its token sum, a model breakdown's
 * models). Integers are written as integers and the nullable ones as null when
 * unset; doubles exact and shortest (tally_format_number_exact()), null when
 * not finite; times in ISO 8601 (g_date_time_format_iso8601(); a usage row's
 * created_at exactly as the server sent it), null when unset; strings escaped
 * (invalid UTF-8 made valid), null for NULL. One line, no blanks.
 *
 * Models with a writer: TallyUser, TallyGroup, TallyApiKey, TallyUsageLog,
 * TallyDashboardStats, TallyTrendPoint, TallyModelStat, TallyModelBreakdown,
 * TallySubscription, TallySubscriptionProgress (its windows as the server sent
 * them, then its subscription), TallyQuotaWindow, TallyPlatformQuota. An API
 * key's quota fields follow its masked key when the server sent them.
 * (TallyAuthResult has none: it holds tokens.)
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Appends @model as a JSON object, or null when @model is NULL. */
void tally_model_json_append (GString *out,
                              gpointer model);
/* Appends the models of @models as a JSON array. */
void tally_model_json_append_list (GString *out,
                                   GListModel *models);
/* Appends @text as a JSON string, or null when @text is NULL. */
void tally_model_json_append_string (GString *out,
                                     const char *text);
/* Appends @value as a JSON number, or null when it is not finite. */
void tally_model_json_append_double (GString *out,
                                     double value);

G_END_DECLS

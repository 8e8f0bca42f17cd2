/* tally-usage-details.h: every field of one request (GET /usage/:id)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A modal window. It shows the row it was opened for at once and replaces it
 * with the server's /usage/:id answer, which it asks its TallyUsage for
 * (tally_usage_request_details()); the key name comes from the account's key
 * list (or the row). Upstream account data is never shown. All text is
 * plain (set with gtk_label_set_text).
 */

#pragma once

#include <adwaita.h>

#include "tally-usage.h"

G_BEGIN_DECLS

#define TALLY_TYPE_USAGE_DETAILS (tally_usage_details_get_type ())

G_DECLARE_FINAL_TYPE (TallyUsageDetails, tally_usage_details, TALLY, USAGE_DETAILS, AdwWindow)

/* @parent and @usage may be NULL; @row is the log row from the list (for its
 * id and, for a deleted key, its name). Closing the window cancels its request. */
TallyUsageDetails *tally_usage_details_new (GtkWindow *parent,
                                            TallyUsage *usage,
                                            TallyUsageLog *row);

/* The log shown: the /usage/:id answer once "loaded" is TRUE, else the row. */
TallyUsageLog *tally_usage_details_get_log (TallyUsageDetails *self);
/* Property "loaded": TRUE once /usage/:id has answered (or failed: see "error"). */
gboolean tally_usage_details_get_loaded (TallyUsageDetails *self);
/* Property "error": plain text, or NULL. */
const char *tally_usage_details_get_error (TallyUsageDetails *self);

G_END_DECLS

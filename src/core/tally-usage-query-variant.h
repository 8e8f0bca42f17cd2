/* tally-usage-query-variant.h: a usage filter from a GVariant dictionary (app.show-usage)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tally-core-types.h"

G_BEGIN_DECLS

/* The parameter type of app.show-usage. */

/* A new query from @dict (a{sv}); every filter it does not name is "any":
 *
 *   key      x (int32 i is taken too: gapplication's "<3>")  api key id, 0 = any
 *   model    s   exact model name, "" = any
 *   from     s   first day, YYYY-MM-DD (server calendar day)
 *   to       s   last day, YYYY-MM-DD
 *   stream   b   TRUE streamed only, FALSE synchronous only
 *   billing  s ("balance", "subscription") or an integer (0, 1)
 *
 * Neither from nor to: the usage view's default range, the last 7 days up to
 * @today (a server day, YYYY-MM-DD), or no dates when @today is NULL; one of
 * them: that side only, the other unbounded. Unknown keys are ignored; a
 * value of the wrong type, an unknown billing name or a bad date is warned
 * about (g_warning) and left out. Never NULL. */
TallyUsageQuery *tally_usage_query_new_from_variant (GVariant *dict,
                                                     const char *today);

G_END_DECLS

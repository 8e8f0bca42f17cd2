/* tally-page.h: one page of a paginated list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

#define TALLY_TYPE_PAGE (tally_page_get_type ())

G_DECLARE_FINAL_TYPE (TallyPage, tally_page, TALLY, PAGE, GObject)

GListModel *tally_page_get_items (TallyPage *self);
gint64 tally_page_get_total (TallyPage *self);
gint64 tally_page_get_page (TallyPage *self);
gint64 tally_page_get_page_size (TallyPage *self);
gint64 tally_page_get_pages (TallyPage *self);

/* items: never NULL. TRUE when page >= pages or fewer than page_size items arrived. */

gboolean tally_page_is_last (TallyPage *self);

G_END_DECLS

/* tally-login-page.h: server, e-mail and password; token paste; the demo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tally-session.h"

G_BEGIN_DECLS

#define TALLY_TYPE_LOGIN_PAGE (tally_login_page_get_type ())

G_DECLARE_FINAL_TYPE (TallyLoginPage, tally_login_page, TALLY, LOGIN_PAGE, GtkWidget)

GtkWidget *tally_login_page_new (void);

TallySession *tally_login_page_get_session (TallyLoginPage *self);
void tally_login_page_set_session (TallyLoginPage *self,
                                   TallySession *session);

/* Fills the server and e-mail fields when they are empty (NULL = leave). */
void tally_login_page_prefill (TallyLoginPage *self,
                               const char *server_url,
                               const char *email);
/* Overwrites the server and e-mail fields (NULL = leave). */
void tally_login_page_set_fields (TallyLoginPage *self,
                                  const char *server_url,
                                  const char *email);

/* Shows @message (plain text) as an error under the fields. */
void tally_login_page_show_message (TallyLoginPage *self,
                                    const char *message);

G_END_DECLS

/* tally-demo-sessions-private.h: the demo server's login sessions (refresh tokens)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a today's server keeps per login (API-2026.md §3): a family of
 * refresh tokens ("rt_" + 32 hex digits) that rotate on every use, the
 * family's state (revoked by a password change; moved when session binding
 * sees another network) and the expiry of each token. Pure bookkeeping: no
 * HTTP, no clock of its own (every call gets "now" in unix seconds).
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TALLY_DEMO_SESSION_OK,
  TALLY_DEMO_SESSION_INVALID, /* unknown or already used */
  TALLY_DEMO_SESSION_EXPIRED,
  TALLY_DEMO_SESSION_REVOKED,
  TALLY_DEMO_SESSION_MOVED, /* the binding saw a change: now revoked too */
} TallyDemoSessionStatus;

typedef struct _TallyDemoSessions TallyDemoSessions;

TallyDemoSessions *tally_demo_sessions_new (void);
void tally_demo_sessions_free (TallyDemoSessions *sessions);

/* A new family for @user_id. Returns its first refresh token; *@family its id (≥ 1). */
char *tally_demo_sessions_open (TallyDemoSessions *sessions,
                                gint64 user_id,
                                gint64 now,
                                gint64 lifetime,
                                guint *family);

/* Uses @refresh_token: on OK it is spent, *@new_token is its successor in the
 * same family, *@family and *@user_id are filled in. */
TallyDemoSessionStatus tally_demo_sessions_rotate (TallyDemoSessions *sessions,
                                                   const char *refresh_token,
                                                   gint64 now,
                                                   gint64 lifetime,
                                                   char **new_token,
                                                   guint *family,
                                                   gint64 *user_id);

/* The state of @family for a call with one of its access tokens: OK,
 * REVOKED or MOVED (which revokes it). Family 0 (a token issued without a
 * login, tally_demo_server_issue_token()) is always OK. */
TallyDemoSessionStatus tally_demo_sessions_check (TallyDemoSessions *sessions,
                                                  guint family);

/* Logout: @refresh_token can no longer be used (unknown ones are ignored). */
void tally_demo_sessions_revoke_token (TallyDemoSessions *sessions,
                                       const char *refresh_token);
/* A password change: every family is revoked. */
void tally_demo_sessions_revoke_all (TallyDemoSessions *sessions);
/* Session binding sees another network for every family alive now. */
void tally_demo_sessions_move_all (TallyDemoSessions *sessions);

G_END_DECLS

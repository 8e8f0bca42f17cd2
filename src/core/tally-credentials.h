/* tally-credentials.h: the account token in the Secret Service keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One token per server. Items use the schema "io.github.tallyapp.Tally.Token"
 * with the string attributes server, email and stored (unix time of storing,
 * "SECONDS.MICROSECONDS", used to find the most recently stored account); the
 * label is "Tally: <email> on <server>". One item holds the whole login, so
 * that the access and refresh tokens change together (atomically). Its secret
 * is versioned text:
 *
 *   tally-login 2\n
 *   access <access token>\n
 *   refresh <refresh token>\n      (absent when the server has none: S)
 *   expires <unix seconds>\n       (the access token's expiry; absent when unknown)
 *
 * An item written by Tally 1 holds the bare access token; it is still read
 * (refresh_token NULL), and the next store rewrites it in the new form.
 * Nothing here logs or prints a token.
 *
 * Errors come from libsecret / D-Bus unchanged in domain and code, with a
 * message prefix that says what failed ("Could not read the token from the
 * keyring: …"); cancellation is G_IO_ERROR_CANCELLED.
 */

#pragma once

#include <gio/gio.h>

#include "tally-core-types.h"

G_BEGIN_DECLS

typedef struct
{
  char *server_url;    /* NULL only from tally_account_from_environment() when no server is known */
  char *email;         /* never NULL; "" when unknown */
  char *token;         /* never NULL */
  char *refresh_token; /* NULL when there is none (S servers, TALLY_TOKEN, pasted tokens) */
  gint64 expires_at;   /* the access token's expiry, unix seconds of our clock; 0 = unknown */
} TallyAccount;

TallyAccount *tally_account_new (const char *server_url,
                                 const char *email,
                                 const char *token);
TallyAccount *tally_account_new_full (const char *server_url,
                                      const char *email,
                                      const char *token,
                                      const char *refresh_token,
                                      gint64 expires_at);
TallyAccount *tally_account_copy (const TallyAccount *account);
/* Overwrites the tokens' memory before freeing them. */
void tally_account_free (TallyAccount *account);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TallyAccount, tally_account_free)

/* Non-NULL when the environment variable TALLY_TOKEN is set and not empty
 * (surrounding whitespace is stripped). server_url is @server_url, else
 * $TALLY_SERVER (when set and not empty), else NULL; email is "". */
TallyAccount *tally_account_from_environment (const char *server_url);

/* Stores @token for @server_url, replacing every token stored for that server. */
void tally_credentials_store_async (const char *server_url,
                                    const char *email,
                                    const char *token,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
gboolean tally_credentials_store_finish (GAsyncResult *result,
                                         GError **error);

/* Stores the whole login of @account (server_url, email, token, refresh_token,
 * expires_at) as one item, replacing every item stored for that server.
 * Finish with tally_credentials_store_finish(). */
void tally_credentials_store_account_async (const TallyAccount *account,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data);

/* @server_url NULL = the most recently stored account of any server.
 * The finish function returns NULL without setting @error when nothing is stored. */
void tally_credentials_lookup_async (const char *server_url,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
TallyAccount *tally_credentials_lookup_finish (GAsyncResult *result,
                                               GError **error);

/* Removes the token(s) of @server_url (NULL = every Tally token). Succeeds
 * when there was nothing to remove. */
void tally_credentials_clear_async (const char *server_url,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
gboolean tally_credentials_clear_finish (GAsyncResult *result,
                                         GError **error);

/* A TallyClientReloadFunc (tally-client.h) that reads the login stored for
 * the client's server: install it with tally_client_set_reload_func (client,
 * tally_credentials_reload_tokens, NULL, NULL) on a client whose login comes
 * from (and goes to) the keyring. */
void tally_credentials_reload_tokens (TallyClient *client,
                                      GTask *task,
                                      gpointer user_data);

G_END_DECLS

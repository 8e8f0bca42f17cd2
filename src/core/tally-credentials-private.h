/* tally-credentials-private.h: keyring writes, one at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Core-internal: the session's queue of keyring writes (the login it stores,
 * every rotated token pair, the clear of a logout). libsecret 0.20.5
 * completes one of its own tasks twice when a store and a clear (or two
 * stores) race on the same item, so a queue never has more than one write in
 * flight. A store still queued for a server is dropped when a newer store or a
 * clear for that server is pushed. A write in flight keeps the queue alive, so
 * the writes already pushed land even when the owner drops the queue.
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "tally-credentials.h"

G_BEGIN_DECLS

/* The schema of Tally's keyring items (attributes server, email, stored);
 * also for the tests, which read the keyring with libsecret directly. */
const SecretSchema *_tally_credentials_get_schema (void);

#define TALLY_TYPE_CREDENTIALS_QUEUE (tally_credentials_queue_get_type ())

G_DECLARE_FINAL_TYPE (TallyCredentialsQueue, tally_credentials_queue, TALLY, CREDENTIALS_QUEUE, GObject)

/* TallyCredentialsQueue::store-failed (const GError *error): a store failed
 * (never emitted for a cancelled one, nor for a failed clear, which is only
 * logged). */
TallyCredentialsQueue *tally_credentials_queue_new (void);

/* Stores the whole login of @account (see tally_credentials_store_account_async())
 * after the writes before it. */
void tally_credentials_queue_store (TallyCredentialsQueue *self,
                                    const TallyAccount *account);

/* Removes the login(s) of @server_url after the writes before it. */
void tally_credentials_queue_clear (TallyCredentialsQueue *self,
                                    const char *server_url);

G_END_DECLS

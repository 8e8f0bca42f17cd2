/* tally-budget-store.h: monthly budgets, kept locally per account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A budget is a monthly amount in USD for an account (server URL + email,
 * as the keyring and the preferences name an account) and optionally for
 * one of its API keys (by id). It is not a secret, so it is not in the
 * keyring; and GSettings cannot key a value by account (a relocatable schema
 * would need one path per account and a list of paths to find them), so it is
 * a small key file readable by the app and the CLI alike:
 *
 *   $XDG_CONFIG_HOME/tally/budgets.ini
 *
 *   [account https://api.example.com alice@example.com]
 *   monthly=300
 *   key-12=50
 *
 * The group is "account ", the server URL and the email, each with spaces,
 * brackets and '%' percent-escaped (an IPv6 literal "http://[::1]:8080"
 * stays one group name). Amounts are written as the shortest decimal that
 * reads back exactly. Every change rewrites the file atomically (a complete
 * file or the old one, never half), mode 0600; two processes changing it at
 * the same moment: the last write wins. Groups and keys Tally does not know
 * are kept as they are.
 *
 * The demo's URL changes with every run (an ephemeral port): its account is
 * TALLY_BUDGET_DEMO_SERVER and the demo user's email.
 *
 * The functions are synchronous (a local file of a few lines, like GSettings).
 * @key_id 0 means the account's own budget. Errors are G_FILE_ERROR /
 * G_KEY_FILE_ERROR with a message naming the file; a missing file is no error.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TALLY_BUDGET_DEMO_SERVER "demo"

/* The largest budget accepted: a billion dollars. */
#define TALLY_BUDGET_MAX_USD 1e9

typedef struct
{
  gint64 key_id;
  double usd;
} TallyKeyBudget;

/* The file's path (g_get_user_config_dir()/tally/budgets.ini). */
char *tally_budget_store_get_path (void);

/* TRUE and *usd when a budget is set; FALSE without a budget, or with
 * @error when the file cannot be read (a value that is not a positive
 * amount counts as none). */
gboolean tally_budget_store_get (const char *server_url,
                                 const char *email,
                                 gint64 key_id,
                                 double *usd,
                                 GError **error);

/* Sets the budget; @usd must be > 0 and at most TALLY_BUDGET_MAX_USD. */
gboolean tally_budget_store_set (const char *server_url,
                                 const char *email,
                                 gint64 key_id,
                                 double usd,
                                 GError **error);

/* Removes the budget; succeeds when there was none. The account's group goes
 * when its last budget does. */
gboolean tally_budget_store_clear (const char *server_url,
                                   const char *email,
                                   gint64 key_id,
                                   GError **error);

/* The account's per-key budgets, ordered by key id: a GArray of
 * TallyKeyBudget (empty when there are none), or NULL with @error. */
GArray *tally_budget_store_list_keys (const char *server_url,
                                      const char *email,
                                      GError **error);

/* "300", "12.5", "0.25", or "$300" as a user types a budget: a plain
 * decimal (at most 10 decimals, an optional leading '$'), > 0 and at most
 * TALLY_BUDGET_MAX_USD. FALSE (and *usd untouched) otherwise. */
gboolean tally_budget_parse_amount (const char *text,
                                    double *usd);

G_END_DECLS

/* test-credentials.c: tally-credentials.h against a real keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Under CI this runs inside `dbus-run-session -- tests/headless-session.sh`,
 * i.e. against a throwaway, unlocked gnome-keyring. Without a session bus the
 * libsecret file backend is used instead (PLATFORM.md §6), so the test never
 * hangs waiting for a prompt.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "tally-credentials-private.h"
#include "tally-credentials.h"
#include "tally-test-utils.h"

#define SERVER_A "https://tally-test-a.invalid"
#define SERVER_B "http://127.0.0.1:8080/tally-test-b"
#define SERVER_C "https://tally-test-c.invalid"

static const char *backend_name;
static char *file_backend_dir;

/* ---------------------------------------------------------------- helpers */

static gboolean
store (const char *server,
       const char *email,
       const char *token)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  gboolean ok;

  tally_credentials_store_async (server, email, token, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  ok = tally_credentials_store_finish (result, &error);
  g_assert_no_error (error);

  return ok;
}

static TallyAccount *
lookup (const char *server)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  TallyAccount *account;

  tally_credentials_lookup_async (server, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  account = tally_credentials_lookup_finish (result, &error);
  g_assert_no_error (error);

  return account;
}

static gboolean
clear (const char *server)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  gboolean ok;

  tally_credentials_clear_async (server, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  ok = tally_credentials_clear_finish (result, &error);
  g_assert_no_error (error);

  return ok;
}

/* The product's schema, asserted to be the one the items in users' keyrings
 * were stored with. */
static const SecretSchema *
token_schema (void)
{
  const SecretSchema *schema = _tally_credentials_get_schema ();

  g_assert_cmpstr (schema->name, ==, "io.github.tallyapp.Tally.Token");
  g_assert_cmpint (schema->flags, ==, SECRET_SCHEMA_NONE);
  g_assert_cmpstr (schema->attributes[0].name, ==, "server");
  g_assert_cmpstr (schema->attributes[1].name, ==, "email");
  g_assert_cmpstr (schema->attributes[2].name, ==, "stored");
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (schema->attributes[i].type, ==, SECRET_SCHEMA_ATTRIBUTE_STRING);
  g_assert_null (schema->attributes[3].name);

  return schema;
}

/* Items of the schema for @server, counted with libsecret directly. */
static guint
count_items (const char *server)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  GList *items;
  guint n;

  g_hash_table_insert (attributes, (gpointer) "server", (gpointer) server);
  items = secret_password_searchv_sync (token_schema (), attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  return n;
}

static void
assert_account (TallyAccount *account,
                const char *server,
                const char *email,
                const char *token)
{
  g_assert_nonnull (account);
  g_assert_cmpstr (account->server_url, ==, server);
  g_assert_cmpstr (account->email, ==, email);
  g_assert_cmpstr (account->token, ==, token);
}

/* ---------------------------------------------------------------- tests */

static void
test_account (void)
{
  g_autoptr (TallyAccount) account = tally_account_new (SERVER_A, NULL, "jwt-token");
  g_autoptr (TallyAccount) copy = tally_account_copy (account);

  assert_account (account, SERVER_A, "", "jwt-token");
  assert_account (copy, SERVER_A, "", "jwt-token");
  g_assert_true (copy->token != account->token);
}

static void
test_environment (void)
{
  g_autoptr (TallyAccount) none = NULL;
  g_autoptr (TallyAccount) empty = NULL;
  g_autoptr (TallyAccount) blank = NULL;
  g_autoptr (TallyAccount) with_arg = NULL;
  g_autoptr (TallyAccount) from_env = NULL;
  g_autoptr (TallyAccount) arg_wins = NULL;
  g_autoptr (TallyAccount) no_server = NULL;

  g_unsetenv ("TALLY_TOKEN");
  g_unsetenv ("TALLY_SERVER");
  none = tally_account_from_environment (SERVER_A);
  g_assert_null (none);

  g_setenv ("TALLY_TOKEN", "", TRUE);
  empty = tally_account_from_environment (SERVER_A);
  g_assert_null (empty);

  g_setenv ("TALLY_TOKEN", " \t\n", TRUE);
  blank = tally_account_from_environment (SERVER_A);
  g_assert_null (blank);

  g_setenv ("TALLY_TOKEN", "  eyJhbGciOi.payload.sig\n", TRUE);
  with_arg = tally_account_from_environment (SERVER_A);
  assert_account (with_arg, SERVER_A, "", "eyJhbGciOi.payload.sig");

  g_setenv ("TALLY_SERVER", SERVER_B, TRUE);
  from_env = tally_account_from_environment (NULL);
  assert_account (from_env, SERVER_B, "", "eyJhbGciOi.payload.sig");

  arg_wins = tally_account_from_environment (SERVER_A);
  assert_account (arg_wins, SERVER_A, "", "eyJhbGciOi.payload.sig");

  g_setenv ("TALLY_SERVER", "", TRUE);
  no_server = tally_account_from_environment (NULL);
  g_assert_nonnull (no_server);
  g_assert_null (no_server->server_url);
  g_assert_cmpstr (no_server->email, ==, "");

  g_unsetenv ("TALLY_TOKEN");
  g_unsetenv ("TALLY_SERVER");
}

static void
test_keyring (void)
{
  g_autoptr (TallyAccount) a = NULL;
  g_autoptr (TallyAccount) latest = NULL;
  g_autoptr (TallyAccount) b = NULL;
  g_autoptr (TallyAccount) latest_b = NULL;
  g_autoptr (TallyAccount) a_again = NULL;
  g_autoptr (TallyAccount) latest_a = NULL;
  g_autoptr (TallyAccount) a_gone = NULL;
  g_autoptr (TallyAccount) latest_after_clear = NULL;
  g_autoptr (TallyAccount) b_gone = NULL;
  g_autoptr (TallyAccount) latest_end = NULL;

  g_test_message ("keyring backend: %s", backend_name);

  /* leftovers of an interrupted run */
  g_assert_true (clear (SERVER_A));
  g_assert_true (clear (SERVER_B));

  g_assert_true (store (SERVER_A, "alice@example.com", "token-a-1"));
  a = lookup (SERVER_A);
  assert_account (a, SERVER_A, "alice@example.com", "token-a-1");
  latest = lookup (NULL);
  assert_account (latest, SERVER_A, "alice@example.com", "token-a-1");

  /* a second account, stored later, is the most recent one */
  g_assert_true (store (SERVER_B, "王@example.com", "token-b-1"));
  latest_b = lookup (NULL);
  assert_account (latest_b, SERVER_B, "王@example.com", "token-b-1");
  b = lookup (SERVER_B);
  assert_account (b, SERVER_B, "王@example.com", "token-b-1");

  /* storing again for A replaces its token (one item per server) and makes it the latest */
  g_assert_true (store (SERVER_A, "alice@example.com", "token-a-2"));
  g_assert_cmpuint (count_items (SERVER_A), ==, 1);
  g_assert_cmpuint (count_items (SERVER_B), ==, 1);
  a_again = lookup (SERVER_A);
  assert_account (a_again, SERVER_A, "alice@example.com", "token-a-2");
  latest_a = lookup (NULL);
  assert_account (latest_a, SERVER_A, "alice@example.com", "token-a-2");

  /* clear A: B is what is left */
  g_assert_true (clear (SERVER_A));
  a_gone = lookup (SERVER_A);
  g_assert_null (a_gone);
  g_assert_cmpuint (count_items (SERVER_A), ==, 0);
  latest_after_clear = lookup (NULL);
  assert_account (latest_after_clear, SERVER_B, "王@example.com", "token-b-1");

  g_assert_true (clear (SERVER_B));
  b_gone = lookup (SERVER_B);
  g_assert_null (b_gone);

  /* nothing of ours is left (a developer's own keyring may hold a real account) */
  latest_end = lookup (NULL);
  if (latest_end != NULL)
    {
      g_assert_cmpstr (latest_end->server_url, !=, SERVER_A);
      g_assert_cmpstr (latest_end->server_url, !=, SERVER_B);
    }

  /* clearing again is not an error */
  g_assert_true (clear (SERVER_A));
}

static void
test_cancelled (void)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) lookup_result = NULL;
  g_autoptr (GAsyncResult) store_result = NULL;
  g_autoptr (GError) lookup_error = NULL;
  g_autoptr (GError) store_error = NULL;
  g_autoptr (TallyAccount) account = NULL;
  GAsyncResult *slot = NULL;

  g_cancellable_cancel (cancellable);

  tally_credentials_lookup_async (SERVER_A, cancellable, tally_test_store_result_cb, &slot);
  lookup_result = tally_test_wait_result (&slot);
  account = tally_credentials_lookup_finish (lookup_result, &lookup_error);
  g_assert_null (account);
  g_assert_error (lookup_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  tally_credentials_store_async (SERVER_A, "alice@example.com", "token-x", cancellable,
                                 tally_test_store_result_cb, &slot);
  store_result = tally_test_wait_result (&slot);
  g_assert_false (tally_credentials_store_finish (store_result, &store_error));
  g_assert_error (store_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_assert_cmpuint (count_items (SERVER_A), ==, 0);
}

/* clear (NULL) removes every Tally token: only run against the throwaway
 * file keyring, never a developer's real one. */
static void
test_clear_all (void)
{
  g_autoptr (TallyAccount) none_a = NULL;
  g_autoptr (TallyAccount) none_b = NULL;
  g_autoptr (TallyAccount) latest = NULL;

  if (file_backend_dir == NULL)
    {
      g_test_skip ("only with the file backend");
      return;
    }

  g_assert_true (store (SERVER_A, "alice@example.com", "token-a"));
  g_assert_true (store (SERVER_B, "bob@example.com", "token-b"));
  g_assert_true (clear (NULL));
  none_a = lookup (SERVER_A);
  none_b = lookup (SERVER_B);
  latest = lookup (NULL);
  g_assert_null (none_a);
  g_assert_null (none_b);
  g_assert_null (latest);
}

/* The secret of @server's only item, read with libsecret directly. */
static char *
raw_secret (const char *server)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (SecretValue) value = NULL;
  GList *items;
  char *secret = NULL;

  /* search + retrieve, as the product reads it (secret_password_lookup_sync()
   * of libsecret 0.20.5 loses a D-Bus reply under valgrind) */
  g_hash_table_insert (attributes, (gpointer) "server", (gpointer) server);
  items = secret_password_searchv_sync (token_schema (), attributes,
                                        SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS, NULL, &error);
  g_assert_no_error (error);
  if (items != NULL)
    {
      value = secret_retrievable_retrieve_secret_sync (SECRET_RETRIEVABLE (items->data), NULL, &error);
      g_assert_no_error (error);
      if (value != NULL && secret_value_get_text (value) != NULL)
        secret = g_strdup (secret_value_get_text (value));
    }
  g_list_free_full (items, g_object_unref);

  return secret;
}

static gboolean
store_account (const TallyAccount *account)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  gboolean ok;

  tally_credentials_store_account_async (account, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  ok = tally_credentials_store_finish (result, &error);
  g_assert_no_error (error);

  return ok;
}

/* Access and refresh token (and the expiry) live in one item and come back together. */
static void
test_pair (void)
{
  g_autoptr (TallyAccount) pair = tally_account_new_full (SERVER_A, "alice@example.com",
                                                          "eyJ.access.1", "rt_0123abcd", 1900000000);
  g_autoptr (TallyAccount) copy = tally_account_copy (pair);
  g_autoptr (TallyAccount) back = NULL;
  g_autoptr (TallyAccount) rotated = NULL;
  g_autoptr (TallyAccount) rotated_back = NULL;
  g_autoptr (TallyAccount) plain = NULL;
  g_autoptr (TallyAccount) plain_back = NULL;
  g_autoptr (TallyAccount) bad = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *secret = NULL;
  GAsyncResult *slot = NULL;

  g_assert_cmpstr (copy->refresh_token, ==, "rt_0123abcd");
  g_assert_cmpint (copy->expires_at, ==, 1900000000);

  g_assert_true (clear (SERVER_A));
  g_assert_true (store_account (pair));
  g_assert_cmpuint (count_items (SERVER_A), ==, 1);

  secret = raw_secret (SERVER_A);
  g_assert_cmpstr (secret, ==, "tally-login 2\naccess eyJ.access.1\nrefresh rt_0123abcd\nexpires 1900000000\n");

  back = lookup (SERVER_A);
  assert_account (back, SERVER_A, "alice@example.com", "eyJ.access.1");
  g_assert_cmpstr (back->refresh_token, ==, "rt_0123abcd");
  g_assert_cmpint (back->expires_at, ==, 1900000000);

  /* a rotation replaces both tokens in the one item */
  rotated = tally_account_new_full (SERVER_A, "alice@example.com", "eyJ.access.2", "rt_4567ef", 0);
  g_assert_true (store_account (rotated));
  g_assert_cmpuint (count_items (SERVER_A), ==, 1);
  rotated_back = lookup (SERVER_A);
  assert_account (rotated_back, SERVER_A, "alice@example.com", "eyJ.access.2");
  g_assert_cmpstr (rotated_back->refresh_token, ==, "rt_4567ef");
  g_assert_cmpint (rotated_back->expires_at, ==, 0);

  /* no refresh token (S): none comes back */
  plain = tally_account_new (SERVER_A, "alice@example.com", "eyJ.access.3");
  g_assert_null (plain->refresh_token);
  g_assert_true (store_account (plain));
  plain_back = lookup (SERVER_A);
  assert_account (plain_back, SERVER_A, "alice@example.com", "eyJ.access.3");
  g_assert_null (plain_back->refresh_token);
  g_clear_pointer (&secret, g_free);
  secret = raw_secret (SERVER_A);
  g_assert_cmpstr (secret, ==, "tally-login 2\naccess eyJ.access.3\n");

  /* a token that would break the format is refused, the stored item is kept */
  bad = tally_account_new_full (SERVER_A, "alice@example.com", "eyJ.access.4", "rt_x\naccess evil", 0);
  tally_credentials_store_account_async (bad, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_false (tally_credentials_store_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_pointer (&plain_back, tally_account_free);
  plain_back = lookup (SERVER_A);
  assert_account (plain_back, SERVER_A, "alice@example.com", "eyJ.access.3");

  g_assert_true (clear (SERVER_A));
  g_clear_pointer (&secret, g_free);
}

/* An item written by Tally 1 (the secret is the bare access token) is still read. */
static void
test_old_format (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyAccount) account = NULL;
  g_autoptr (TallyAccount) upgraded = NULL;
  g_autofree char *secret = NULL;
  gboolean stored;

  g_assert_true (clear (SERVER_B));

  stored = secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT,
                                       "Tally: bob@example.com on " SERVER_B, "eyJold.payload.sig",
                                       NULL, &error,
                                       "server", SERVER_B,
                                       "email", "bob@example.com",
                                       "stored", "1700000000.000001",
                                       NULL);
  g_assert_no_error (error);
  g_assert_true (stored);

  account = lookup (SERVER_B);
  assert_account (account, SERVER_B, "bob@example.com", "eyJold.payload.sig");
  g_assert_null (account->refresh_token);
  g_assert_cmpint (account->expires_at, ==, 0);

  /* the next store (a login on a newer server) writes the new form in its place */
  upgraded = tally_account_new_full (SERVER_B, "bob@example.com", "eyJnew.payload.sig", "rt_new", 0);
  g_assert_true (store_account (upgraded));
  g_assert_cmpuint (count_items (SERVER_B), ==, 1);
  secret = raw_secret (SERVER_B);
  g_assert_cmpstr (secret, ==, "tally-login 2\naccess eyJnew.payload.sig\nrefresh rt_new\n");

  g_assert_true (clear (SERVER_B));
  g_clear_pointer (&secret, g_free);
}

/* The write queue: one write at a time, in order; a clear drops the stores
 * still queued for its server; a failed store is reported; the writes pushed
 * land after the owner dropped the queue (a write in flight keeps it alive). */
static void
store_failed_cb (TallyCredentialsQueue *queue,
                 const GError *error,
                 gpointer user_data)
{
  GPtrArray *failures = user_data;

  g_ptr_array_add (failures, g_error_copy (error));
}

static void
test_queue (void)
{
  g_autoptr (GPtrArray) failures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  TallyCredentialsQueue *queue = tally_credentials_queue_new ();
  g_autoptr (TallyAccount) a1 = tally_account_new_full (SERVER_A, "alice@example.com", "eyJ.a.1", "rt_a1", 1900000000);
  g_autoptr (TallyAccount) a2 = tally_account_new_full (SERVER_A, "alice@example.com", "eyJ.a.2", "rt_a2", 1900000100);
  g_autoptr (TallyAccount) a3 = tally_account_new_full (SERVER_A, "alice@example.com", "eyJ.a.3", "rt_a3", 1900000200);
  g_autoptr (TallyAccount) b1 = tally_account_new_full (SERVER_B, "bob@example.com", "eyJ.b.1", NULL, 0);
  g_autoptr (TallyAccount) bad = tally_account_new_full (SERVER_C, "carol@example.com", "eyJ.c.1", "rt_x\naccess evil", 0);
  g_autoptr (TallyAccount) back = NULL;

  g_signal_connect (queue, "store-failed", G_CALLBACK (store_failed_cb), failures);

  /* a1 is written at once; a2 waits and is dropped by the clear, which runs
   * after b1; the next store of A lands after the clear */
  tally_credentials_queue_store (queue, a1);
  tally_credentials_queue_store (queue, a2);
  tally_credentials_queue_store (queue, b1);
  tally_credentials_queue_clear (queue, SERVER_A);
  tally_credentials_queue_store (queue, a3);
  tally_credentials_queue_store (queue, bad);
  tally_test_assert_finalized (queue);

  back = lookup (SERVER_A);
  assert_account (back, SERVER_A, "alice@example.com", "eyJ.a.3");
  g_assert_cmpstr (back->refresh_token, ==, "rt_a3");
  g_assert_cmpint (back->expires_at, ==, 1900000200);
  g_assert_cmpuint (count_items (SERVER_A), ==, 1);
  g_clear_pointer (&back, tally_account_free);

  /* the refused store of C is reported once */
  g_assert_cmpuint (failures->len, ==, 1);
  g_assert_error ((GError *) g_ptr_array_index (failures, 0), G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (count_items (SERVER_C), ==, 0);
  back = lookup (SERVER_B);
  assert_account (back, SERVER_B, "bob@example.com", "eyJ.b.1");
  g_assert_null (back->refresh_token);

  g_assert_true (clear (SERVER_A));
  g_assert_true (clear (SERVER_B));
  g_assert_cmpuint (count_items (SERVER_A), ==, 0);
  g_assert_cmpuint (count_items (SERVER_B), ==, 0);
}

static void
remove_file_backend_dir (void)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (file_backend_dir == NULL)
    return;

  dir = g_dir_open (file_backend_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (file_backend_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (file_backend_dir);
  g_clear_pointer (&file_backend_dir, g_free);
}

int
main (int argc,
      char *argv[])
{
  const char *bus = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  int ret;

  /* Before any libsecret call: without a session bus, use the file backend. */
  if (bus == NULL || bus[0] == '\0')
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *keyring = NULL;

      file_backend_dir = g_dir_make_tmp ("tally-test-credentials-XXXXXX", &error);
      g_assert_no_error (error);
      keyring = g_build_filename (file_backend_dir, "x.keyring", NULL);
      g_setenv ("SECRET_BACKEND", "file", TRUE);
      g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
      g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);
      backend_name = "libsecret file backend (no D-Bus session bus)";
    }
  else
    {
      backend_name = "Secret Service on the D-Bus session bus";
    }

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/credentials/account", test_account);
  g_test_add_func ("/credentials/environment", test_environment);
  g_test_add_func ("/credentials/keyring", test_keyring);
  g_test_add_func ("/credentials/cancelled", test_cancelled);
  g_test_add_func ("/credentials/clear-all", test_clear_all);
  g_test_add_func ("/credentials/pair", test_pair);
  g_test_add_func ("/credentials/old-format", test_old_format);
  g_test_add_func ("/credentials/queue", test_queue);

  ret = g_test_run ();
  remove_file_backend_dir ();

  return ret;
}

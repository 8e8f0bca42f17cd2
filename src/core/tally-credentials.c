/* tally-credentials.c: the account token in the Secret Service keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-credentials"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "tally-client.h"
#include "tally-credentials-private.h"
#include "tally-credentials.h"

static const SecretSchema *
tally_token_schema (void)
{
  static const SecretSchema schema = {
    .name = "io.github.tallyapp.Tally.Token",
    .flags = SECRET_SCHEMA_NONE,
    .attributes = {
        { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "email", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "stored", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { NULL, 0 },
    },
  };

  return &schema;
}

static void
wipe_string (char *str)
{
  volatile char *p = (volatile char *) str;

  if (str == NULL)
    return;
  while (*p)
    *p++ = '\0';
}

static void
wipe_and_free (char *str)
{
  wipe_string (str);
  g_free (str);
}

/* ---------------------------------------------------------------- TallyAccount */

TallyAccount *
tally_account_new (const char *server_url,
                   const char *email,
                   const char *token)
{
  return tally_account_new_full (server_url, email, token, NULL, 0);
}

TallyAccount *
tally_account_new_full (const char *server_url,
                        const char *email,
                        const char *token,
                        const char *refresh_token,
                        gint64 expires_at)
{
  TallyAccount *account;

  g_return_val_if_fail (token != NULL, NULL);

  account = g_new0 (TallyAccount, 1);
  account->server_url = g_strdup (server_url);
  account->email = g_strdup (email != NULL ? email : "");
  account->token = g_strdup (token);
  account->refresh_token = (refresh_token != NULL && refresh_token[0] != '\0') ? g_strdup (refresh_token) : NULL;
  account->expires_at = MAX (expires_at, 0);

  return account;
}

TallyAccount *
tally_account_copy (const TallyAccount *account)
{
  g_return_val_if_fail (account != NULL, NULL);

  return tally_account_new_full (account->server_url, account->email, account->token,
                                 account->refresh_token, account->expires_at);
}

void
tally_account_free (TallyAccount *account)
{
  if (account == NULL)
    return;

  g_free (account->server_url);
  g_free (account->email);
  wipe_and_free (account->token);
  wipe_and_free (account->refresh_token);
  g_free (account);
}

TallyAccount *
tally_account_from_environment (const char *server_url)
{
  const char *env_token = g_getenv ("TALLY_TOKEN");
  const char *env_server = g_getenv ("TALLY_SERVER");
  TallyAccount *account;
  char *token;

  if (env_token == NULL)
    return NULL;

  token = g_strstrip (g_strdup (env_token));
  if (token[0] == '\0')
    {
      g_free (token);
      return NULL;
    }

  if (server_url == NULL && env_server != NULL && env_server[0] != '\0')
    server_url = env_server;

  account = g_new0 (TallyAccount, 1);
  account->server_url = g_strdup (server_url);
  account->email = g_strdup ("");
  account->token = token;

  return account;
}

/* ---------------------------------------------------------------- helpers */

/* GTask source tags (data pointers: -Wpedantic rejects function pointers) */
static char store_tag;
static char lookup_tag;
static char clear_tag;

static void
propagate_prefixed (GTask *task,
                    GError *error,
                    const char *prefix)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (&error, "%s", prefix);
  g_task_return_error (task, error);
}

static gboolean
propagate_boolean (GAsyncResult *result,
                   gconstpointer source_tag,
                   GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* "SECONDS.MICROSECONDS" (or plain seconds) → microseconds; -1 when malformed */
static gint64
parse_stored (const char *stored)
{
  g_auto (GStrv) parts = NULL;
  gint64 seconds = 0;
  gint64 micros = 0;

  if (stored == NULL || stored[0] == '\0')
    return -1;

  parts = g_strsplit (stored, ".", 2);
  if (!g_ascii_string_to_signed (parts[0], 10, 0, G_MAXINT64 / G_USEC_PER_SEC - 1, &seconds, NULL))
    return -1;

  if (parts[1] != NULL)
    {
      char fraction[7] = "000000";
      gsize len = strlen (parts[1]);

      if (len == 0 || strspn (parts[1], "0123456789") != len)
        return -1;
      memcpy (fraction, parts[1], MIN (len, 6));
      micros = g_ascii_strtoll (fraction, NULL, 10);
    }

  return seconds * G_USEC_PER_SEC + micros;
}

static char *
make_stored (void)
{
  static gint64 last_stored;
  gint64 now = g_get_real_time ();

  /* Two stores within one microsecond still order correctly. */
  if (now <= last_stored)
    now = last_stored + 1;
  last_stored = now;

  return g_strdup_printf ("%" G_GINT64_FORMAT ".%06d",
                          now / G_USEC_PER_SEC, (int) (now % G_USEC_PER_SEC));
}

static GHashTable *
new_attributes (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

/* ---------------------------------------------------------------- the secret */

#define SECRET_MAGIC "tally-login 2\n"

/* A token is printable ASCII without spaces (a JWT, "rt_…"): anything else
 * would break the line format, and no server sends it. */
static gboolean
token_is_storable (const char *token)
{
  if (token == NULL || token[0] == '\0')
    return FALSE;
  for (const char *p = token; *p != '\0'; p++)
    if (*p <= ' ' || *p > '~')
      return FALSE;
  return TRUE;
}

static char *
secret_format (const char *token,
               const char *refresh_token,
               gint64 expires_at)
{
  GString *text = g_string_new (SECRET_MAGIC);

  g_string_append_printf (text, "access %s\n", token);
  if (refresh_token != NULL && refresh_token[0] != '\0')
    g_string_append_printf (text, "refresh %s\n", refresh_token);
  if (expires_at > 0)
    g_string_append_printf (text, "expires %" G_GINT64_FORMAT "\n", expires_at);

  return g_string_free (text, FALSE);
}

/* FALSE when @text is in neither format. Fills the three outputs (owned). */
static gboolean
secret_parse (const char *text,
              char **token,
              char **refresh_token,
              gint64 *expires_at)
{
  g_auto (GStrv) lines = NULL;

  *token = NULL;
  *refresh_token = NULL;
  *expires_at = 0;

  if (!g_str_has_prefix (text, SECRET_MAGIC))
    {
      /* Tally 1: the bare access token (surrounding whitespace tolerated) */
      g_autofree char *bare = g_strstrip (g_strdup (text));

      if (!token_is_storable (bare))
        {
          wipe_string (bare);
          return FALSE;
        }
      *token = g_steal_pointer (&bare);
      return TRUE;
    }

  lines = g_strsplit (text + strlen (SECRET_MAGIC), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_str_has_prefix (line, "access ") && *token == NULL)
        *token = g_strdup (line + strlen ("access "));
      else if (g_str_has_prefix (line, "refresh ") && *refresh_token == NULL)
        *refresh_token = g_strdup (line + strlen ("refresh "));
      else if (g_str_has_prefix (line, "expires "))
        {
          gint64 value = 0;

          if (g_ascii_string_to_signed (line + strlen ("expires "), 10, 0, G_MAXINT64, &value, NULL))
            *expires_at = value;
        }
      /* unknown lines (a later version's) are skipped */
    }
  for (guint i = 0; lines[i] != NULL; i++)
    wipe_string (lines[i]);

  if (!token_is_storable (*token) || (*refresh_token != NULL && !token_is_storable (*refresh_token)))
    {
      g_clear_pointer (token, wipe_and_free);
      g_clear_pointer (refresh_token, wipe_and_free);
      *expires_at = 0;
      return FALSE;
    }

  return TRUE;
}

/* ---------------------------------------------------------------- store */

typedef struct
{
  char *server_url;
  char *email;
  char *secret; /* secret_format () */
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_free (data->server_url);
  g_free (data->email);
  wipe_and_free (data->secret);
  g_free (data);
}

static void
on_stored (GObject *source,
           GAsyncResult *result,
           gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      propagate_prefixed (task, error, _ ("Could not save the token in the keyring: "));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_store_cleared (GObject *source,
                  GAsyncResult *result,
                  gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  StoreData *data = g_task_get_task_data (task);
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      propagate_prefixed (task, error, _ ("Could not replace the token in the keyring: "));
      return;
    }

  attributes = new_attributes ();
  g_hash_table_insert (attributes, (gpointer) "server", g_strdup (data->server_url));
  g_hash_table_insert (attributes, (gpointer) "email", g_strdup (data->email));
  g_hash_table_insert (attributes, (gpointer) "stored", make_stored ());

  if (data->email[0] != '\0')
    label = g_strdup_printf ("Tally: %s on %s", data->email, data->server_url);
  else
    label = g_strdup_printf ("Tally: %s", data->server_url);

  secret_password_storev (tally_token_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, data->secret,
                          g_task_get_cancellable (task),
                          on_stored, g_object_ref (task));
}

void
tally_credentials_store_async (const char *server_url,
                               const char *email,
                               const char *token,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (TallyAccount) account = NULL;

  g_return_if_fail (server_url != NULL && server_url[0] != '\0');
  g_return_if_fail (token != NULL && token[0] != '\0');

  account = tally_account_new (server_url, email, token);
  tally_credentials_store_account_async (account, cancellable, callback, user_data);
}

void
tally_credentials_store_account_async (const TallyAccount *account,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GHashTable) attributes = NULL;
  const char *server_url;
  StoreData *data;

  g_return_if_fail (account != NULL);
  g_return_if_fail (account->server_url != NULL && account->server_url[0] != '\0');
  g_return_if_fail (account->token != NULL && account->token[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  server_url = account->server_url;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, &store_tag);

  if (!token_is_storable (account->token) || (account->refresh_token != NULL && !token_is_storable (account->refresh_token)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _ ("Could not save the token in the keyring: it contains spaces or characters that are not plain text"));
      return;
    }

  data = g_new0 (StoreData, 1);
  data->server_url = g_strdup (server_url);
  data->email = g_strdup (account->email != NULL ? account->email : "");
  data->secret = secret_format (account->token, account->refresh_token, account->expires_at);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);

  /* One token per server: drop whatever is stored for it first. */
  attributes = new_attributes ();
  g_hash_table_insert (attributes, (gpointer) "server", g_strdup (server_url));

  secret_password_clearv (tally_token_schema (), attributes, cancellable,
                          on_store_cleared, g_steal_pointer (&task));
}

gboolean
tally_credentials_store_finish (GAsyncResult *result,
                                GError **error)
{
  return propagate_boolean (result, &store_tag, error);
}

/* ---------------------------------------------------------------- lookup */

typedef struct
{
  char *server_url;
  char *email;
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_free (data->server_url);
  g_free (data->email);
  g_free (data);
}

static void
on_secret_retrieved (GObject *source,
                     GAsyncResult *result,
                     gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (SecretValue) value = NULL;
  LookupData *data = g_task_get_task_data (task);
  GError *error = NULL;
  const char *text;
  char *token = NULL;
  char *refresh_token = NULL;
  gint64 expires_at = 0;

  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result, &error);
  if (error != NULL)
    {
      propagate_prefixed (task, error, _ ("Could not read the token from the keyring: "));
      return;
    }

  text = value != NULL ? secret_value_get_text (value) : NULL;
  if (text == NULL || text[0] == '\0' || !secret_parse (text, &token, &refresh_token, &expires_at))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _ ("The token stored in the keyring for “%s” is empty or not text"),
                               data->server_url);
      return;
    }

  g_task_return_pointer (task,
                         tally_account_new_full (data->server_url, data->email, token, refresh_token, expires_at),
                         (GDestroyNotify) tally_account_free);
  wipe_and_free (token);
  wipe_and_free (refresh_token);
}

static void
on_searched (GObject *source,
             GAsyncResult *result,
             gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GList *items;
  SecretRetrievable *best = NULL;
  g_autoptr (GHashTable) best_attributes = NULL;
  gint64 best_stored = G_MININT64;
  LookupData *data;
  GError *error = NULL;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      propagate_prefixed (task, error, _ ("Could not search the keyring: "));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretRetrievable *item = l->data;
      g_autoptr (GHashTable) attributes = secret_retrievable_get_attributes (item);
      const char *server = attributes != NULL ? g_hash_table_lookup (attributes, "server") : NULL;
      gint64 stored;

      if (server == NULL || server[0] == '\0')
        continue;

      stored = parse_stored (g_hash_table_lookup (attributes, "stored"));
      if (best == NULL || stored > best_stored)
        {
          best = item;
          best_stored = stored;
          g_clear_pointer (&best_attributes, g_hash_table_unref);
          best_attributes = g_steal_pointer (&attributes);
        }
    }

  if (best == NULL)
    {
      g_list_free_full (items, g_object_unref);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  data = g_new0 (LookupData, 1);
  data->server_url = g_strdup (g_hash_table_lookup (best_attributes, "server"));
  data->email = g_strdup (g_hash_table_lookup (best_attributes, "email"));
  if (data->email == NULL)
    data->email = g_strdup ("");
  g_task_set_task_data (task, data, (GDestroyNotify) lookup_data_free);

  secret_retrievable_retrieve_secret (best, g_task_get_cancellable (task),
                                      on_secret_retrieved, g_object_ref (task));
  g_list_free_full (items, g_object_unref);
}

static void server_items_async (const char *server_url,
                                gboolean clear,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data);

void
tally_credentials_lookup_async (const char *server_url,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  server_items_async (server_url, FALSE, cancellable, callback, user_data);
}

TallyAccount *
tally_credentials_lookup_finish (GAsyncResult *result,
                                 GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &lookup_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------- clear */

static void
on_cleared (GObject *source,
            GAsyncResult *result,
            gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error means there was nothing to remove. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      propagate_prefixed (task, error, _ ("Could not remove the token from the keyring: "));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* Looks up (@clear FALSE) or removes the items of @server_url (NULL: every item). */
static void
server_items_async (const char *server_url,
                    gboolean clear,
                    GCancellable *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GHashTable) attributes = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, clear ? &clear_tag : &lookup_tag);

  attributes = new_attributes ();
  if (server_url != NULL)
    g_hash_table_insert (attributes, (gpointer) "server", g_strdup (server_url));

  if (clear)
    secret_password_clearv (tally_token_schema (), attributes, cancellable,
                            on_cleared, g_steal_pointer (&task));
  else
    secret_password_searchv (tally_token_schema (), attributes,
                             SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                             cancellable, on_searched, g_steal_pointer (&task));
}

void
tally_credentials_clear_async (const char *server_url,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  server_items_async (server_url, TRUE, cancellable, callback, user_data);
}

gboolean
tally_credentials_clear_finish (GAsyncResult *result,
                                GError **error)
{
  return propagate_boolean (result, &clear_tag, error);
}

/* ---------------------------------------------------------------- reload */

static void
on_reload_looked_up (GObject *source,
                     GAsyncResult *result,
                     gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  TallyAccount *account;

  account = tally_credentials_lookup_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, account, (GDestroyNotify) tally_account_free);
}

void
tally_credentials_reload_tokens (TallyClient *client,
                                 GTask *task,
                                 gpointer user_data)
{
  g_return_if_fail (TALLY_IS_CLIENT (client));
  g_return_if_fail (G_IS_TASK (task));

  tally_credentials_lookup_async (tally_client_get_base_url (client), g_task_get_cancellable (task),
                                  on_reload_looked_up, g_object_ref (task));
}

/* ---------------------------------------------------------------- write queue */

struct _TallyCredentialsQueue
{
  GObject parent_instance;

  GQueue ops; /* KeyringOp*: stores and clears, run one at a time */
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (TallyCredentialsQueue, tally_credentials_queue, G_TYPE_OBJECT)

enum
{
  STORE_FAILED,
  N_QUEUE_SIGNALS
};

static guint queue_signals[N_QUEUE_SIGNALS];

typedef struct
{
  gboolean clear;
  char *server_url;
  TallyAccount *account; /* a store: the login to store */
} KeyringOp;

static void
keyring_op_free (KeyringOp *op)
{
  g_free (op->server_url);
  g_clear_pointer (&op->account, tally_account_free);
  g_free (op);
}

static void keyring_run_next (TallyCredentialsQueue *self);

static void
keyring_op_done (TallyCredentialsQueue *self)
{
  self->busy = FALSE;
  keyring_run_next (self);
}

static void
clear_credentials_cb (GObject *object,
                      GAsyncResult *result,
                      gpointer user_data)
{
  g_autoptr (TallyCredentialsQueue) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!tally_credentials_clear_finish (result, &error))
    g_debug ("Could not clear the stored token: %s", error->message);

  keyring_op_done (self);
}

static void
store_credentials_cb (GObject *object,
                      GAsyncResult *result,
                      gpointer user_data)
{
  g_autoptr (TallyCredentialsQueue) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!tally_credentials_store_finish (result, &error) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Could not store the token: %s", error->message);
      g_signal_emit (self, queue_signals[STORE_FAILED], 0, error);
    }

  keyring_op_done (self);
}

static void
keyring_run_next (TallyCredentialsQueue *self)
{
  KeyringOp *op;

  g_assert (TALLY_IS_CREDENTIALS_QUEUE (self));

  if (self->busy || (op = g_queue_pop_head (&self->ops)) == NULL)
    return;

  self->busy = TRUE;
  if (op->clear)
    tally_credentials_clear_async (op->server_url, NULL, clear_credentials_cb, g_object_ref (self));
  else
    tally_credentials_store_account_async (op->account, NULL, store_credentials_cb, g_object_ref (self));
  keyring_op_free (op);
}

/* Queued stores for @op's server are dropped: a newer store or a clear replaces them. */
static void
keyring_push (TallyCredentialsQueue *self,
              KeyringOp *op)
{
  for (GList *l = self->ops.head; l != NULL;)
    {
      GList *next = l->next;
      KeyringOp *queued = l->data;

      if (!queued->clear && g_strcmp0 (queued->server_url, op->server_url) == 0)
        {
          keyring_op_free (queued);
          g_queue_delete_link (&self->ops, l);
        }
      l = next;
    }

  g_queue_push_tail (&self->ops, op);
  keyring_run_next (self);
}

static void
tally_credentials_queue_finalize (GObject *object)
{
  TallyCredentialsQueue *self = (TallyCredentialsQueue *) object;

  g_queue_clear_full (&self->ops, (GDestroyNotify) keyring_op_free);

  G_OBJECT_CLASS (tally_credentials_queue_parent_class)->finalize (object);
}

static void
tally_credentials_queue_class_init (TallyCredentialsQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tally_credentials_queue_finalize;

  queue_signals[STORE_FAILED] = g_signal_new ("store-failed",
                                              G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST,
                                              0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tally_credentials_queue_init (TallyCredentialsQueue *self)
{
  g_queue_init (&self->ops);
}

TallyCredentialsQueue *
tally_credentials_queue_new (void)
{
  return g_object_new (TALLY_TYPE_CREDENTIALS_QUEUE, NULL);
}

void
tally_credentials_queue_store (TallyCredentialsQueue *self,
                               const TallyAccount *account)
{
  KeyringOp *op;

  g_return_if_fail (TALLY_IS_CREDENTIALS_QUEUE (self));
  g_return_if_fail (account != NULL);

  op = g_new0 (KeyringOp, 1);
  op->server_url = g_strdup (account->server_url);
  op->account = tally_account_copy (account);
  keyring_push (self, op);
}

void
tally_credentials_queue_clear (TallyCredentialsQueue *self,
                               const char *server_url)
{
  KeyringOp *op;

  g_return_if_fail (TALLY_IS_CREDENTIALS_QUEUE (self));

  op = g_new0 (KeyringOp, 1);
  op->clear = TRUE;
  op->server_url = g_strdup (server_url);
  keyring_push (self, op);
}

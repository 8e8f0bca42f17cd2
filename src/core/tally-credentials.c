/* tally-credentials.c: the account token in the Secret Service keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-credentials"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

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
  TallyAccount *account;

  g_return_val_if_fail (token != NULL, NULL);

  account = g_new0 (TallyAccount, 1);
  account->server_url = g_strdup (server_url);
  account->email = g_strdup (email != NULL ? email : "");
  account->token = g_strdup (token);

  return account;
}

TallyAccount *
tally_account_copy (const TallyAccount *account)
{
  g_return_val_if_fail (account != NULL, NULL);

  return tally_account_new (account->server_url, account->email, account->token);
}

void
tally_account_free (TallyAccount *account)
{
  if (account == NULL)
    return;

  g_free (account->server_url);
  g_free (account->email);
  wipe_and_free (account->token);
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

/* ---------------------------------------------------------------- store */

typedef struct
{
  char *server_url;
  char *email;
  char *token;
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_free (data->server_url);
  g_free (data->email);
  wipe_and_free (data->token);
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
      propagate_prefixed (task, error, _("Could not save the token in the keyring: "));
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
      propagate_prefixed (task, error, _("Could not replace the token in the keyring: "));
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
                          label, data->token,
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
  g_autoptr (GTask) task = NULL;
  g_autoptr (GHashTable) attributes = NULL;
  StoreData *data;

  g_return_if_fail (server_url != NULL && server_url[0] != '\0');
  g_return_if_fail (token != NULL && token[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, &store_tag);

  data = g_new0 (StoreData, 1);
  data->server_url = g_strdup (server_url);
  data->email = g_strdup (email != NULL ? email : "");
  data->token = g_strdup (token);
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
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &store_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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

  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result, &error);
  if (error != NULL)
    {
      propagate_prefixed (task, error, _("Could not read the token from the keyring: "));
      return;
    }

  text = value != NULL ? secret_value_get_text (value) : NULL;
  if (text == NULL || text[0] == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The token stored in the keyring for “%s” is empty or not text"),
                                  data->server_url);
      return;
    }

  g_task_return_pointer (task,
                         tally_account_new (data->server_url, data->email, text),
                         (GDestroyNotify) tally_account_free);
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
      propagate_prefixed (task, error, _("Could not search the keyring: "));
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

void
tally_credentials_lookup_async (const char *server_url,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GHashTable) attributes = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, &lookup_tag);

  attributes = new_attributes ();
  if (server_url != NULL)
    g_hash_table_insert (attributes, (gpointer) "server", g_strdup (server_url));

  secret_password_searchv (tally_token_schema (), attributes,
                           SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                           cancellable, on_searched, g_steal_pointer (&task));
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
      propagate_prefixed (task, error, _("Could not remove the token from the keyring: "));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
tally_credentials_clear_async (const char *server_url,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GHashTable) attributes = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, &clear_tag);

  attributes = new_attributes ();
  if (server_url != NULL)
    g_hash_table_insert (attributes, (gpointer) "server", g_strdup (server_url));

  secret_password_clearv (tally_token_schema (), attributes, cancellable,
                          on_cleared, g_steal_pointer (&task));
}

gboolean
tally_credentials_clear_finish (GAsyncResult *result,
                                GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == &clear_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

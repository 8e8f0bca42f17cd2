/* tally-budget-store.c: monthly budgets in $XDG_CONFIG_HOME/tally/budgets.ini
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-budget-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tally-budget-store.h"
#include "tally-format.h"

#define ACCOUNT_KEY "monthly"
#define KEY_PREFIX "key-"

char *
tally_budget_store_get_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "tally", "budgets.ini", NULL);
}

/* "account URL EMAIL", spaces, brackets, '%' and controls escaped */
static char *
group_name (const char *server_url,
            const char *email)
{
  static const char allowed[] = "!$&'()*+,;=:@/?#";
  g_autofree char *url = g_uri_escape_string (server_url, allowed, TRUE);
  g_autofree char *address = g_uri_escape_string (email, allowed, TRUE);

  return g_strconcat ("account ", url, " ", address, NULL);
}

static char *
key_name (gint64 key_id)
{
  if (key_id == 0)
    return g_strdup (ACCOUNT_KEY);
  return g_strdup_printf (KEY_PREFIX "%" G_GINT64_FORMAT, key_id);
}

/* The file's contents; an empty key file when there is none. */
static GKeyFile *
load (const char *path,
      GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&file);
      g_set_error (error, local_error->domain, local_error->code,
                   _ ("Could not read the budgets from %s: %s"), path, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&file);
}

static gboolean
save (GKeyFile *file,
      const char *path,
      GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  gsize length = 0;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _ ("Could not save the budgets in %s: %s"), path, g_strerror (saved));
      return FALSE;
    }

  data = g_key_file_to_data (file, &length, NULL);
  if (!g_file_set_contents_full (path, data, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _ ("Could not save the budgets in %s: %s"), path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
valid_amount (double usd)
{
  return isfinite (usd) && usd > 0 && usd <= TALLY_BUDGET_MAX_USD;
}

/* The value of @key in @group as an amount; FALSE when absent or not one. */
static gboolean
read_amount (GKeyFile *file,
             const char *group,
             const char *key,
             double *usd)
{
  g_autofree char *text = g_key_file_get_value (file, group, key, NULL);
  char *end = NULL;
  double value;

  if (text == NULL)
    return FALSE;
  g_strstrip (text);
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !valid_amount (value))
    return FALSE;

  *usd = value;
  return TRUE;
}

gboolean
tally_budget_store_get (const char *server_url,
                        const char *email,
                        gint64 key_id,
                        double *usd,
                        GError **error)
{
  g_autofree char *path = tally_budget_store_get_path ();
  g_autofree char *group = NULL;
  g_autofree char *key = NULL;
  g_autoptr (GKeyFile) file = NULL;

  g_return_val_if_fail (server_url != NULL && email != NULL, FALSE);
  g_return_val_if_fail (key_id >= 0, FALSE);
  g_return_val_if_fail (usd != NULL, FALSE);

  file = load (path, error);
  if (file == NULL)
    return FALSE;

  group = group_name (server_url, email);
  key = key_name (key_id);
  return read_amount (file, group, key, usd);
}

gboolean
tally_budget_store_set (const char *server_url,
                        const char *email,
                        gint64 key_id,
                        double usd,
                        GError **error)
{
  g_autofree char *path = tally_budget_store_get_path ();
  g_autofree char *group = NULL;
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;
  g_autoptr (GKeyFile) file = NULL;

  g_return_val_if_fail (server_url != NULL && email != NULL, FALSE);
  g_return_val_if_fail (key_id >= 0, FALSE);
  g_return_val_if_fail (valid_amount (usd), FALSE);

  file = load (path, error);
  if (file == NULL)
    return FALSE;

  group = group_name (server_url, email);
  key = key_name (key_id);
  value = tally_format_number_exact (usd);
  g_key_file_set_value (file, group, key, value);
  return save (file, path, error);
}

gboolean
tally_budget_store_clear (const char *server_url,
                          const char *email,
                          gint64 key_id,
                          GError **error)
{
  g_autofree char *path = tally_budget_store_get_path ();
  g_autofree char *group = NULL;
  g_autofree char *key = NULL;
  g_auto (GStrv) left = NULL;
  g_autoptr (GKeyFile) file = NULL;

  g_return_val_if_fail (server_url != NULL && email != NULL, FALSE);
  g_return_val_if_fail (key_id >= 0, FALSE);

  file = load (path, error);
  if (file == NULL)
    return FALSE;

  group = group_name (server_url, email);
  key = key_name (key_id);
  if (!g_key_file_has_key (file, group, key, NULL))
    return TRUE;

  g_key_file_remove_key (file, group, key, NULL);
  left = g_key_file_get_keys (file, group, NULL, NULL);
  if (left == NULL || left[0] == NULL)
    g_key_file_remove_group (file, group, NULL);
  return save (file, path, error);
}

static int
compare_key_budgets (gconstpointer a,
                     gconstpointer b)
{
  const TallyKeyBudget *x = a;
  const TallyKeyBudget *y = b;

  return (x->key_id > y->key_id) - (x->key_id < y->key_id);
}

GArray *
tally_budget_store_list_keys (const char *server_url,
                              const char *email,
                              GError **error)
{
  g_autofree char *path = tally_budget_store_get_path ();
  g_autofree char *group = NULL;
  g_autoptr (GKeyFile) file = NULL;
  g_autoptr (GArray) budgets = g_array_new (FALSE, FALSE, sizeof (TallyKeyBudget));
  g_auto (GStrv) keys = NULL;

  g_return_val_if_fail (server_url != NULL && email != NULL, NULL);

  file = load (path, error);
  if (file == NULL)
    return NULL;

  group = group_name (server_url, email);
  keys = g_key_file_get_keys (file, group, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      TallyKeyBudget budget = { 0, 0 };
      guint64 id;

      if (!g_str_has_prefix (keys[i], KEY_PREFIX)
          || !g_ascii_string_to_unsigned (keys[i] + strlen (KEY_PREFIX), 10, 1, G_MAXINT64, &id, NULL)
          || !read_amount (file, group, keys[i], &budget.usd))
        continue;
      budget.key_id = (gint64) id;
      g_array_append_val (budgets, budget);
    }
  g_array_sort (budgets, compare_key_budgets);

  return g_steal_pointer (&budgets);
}

gboolean
tally_budget_parse_amount (const char *text,
                           double *usd)
{
  const char *p;
  guint integer_digits = 0;
  guint decimals = 0;
  double value;

  g_return_val_if_fail (usd != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  p = text[0] == '$' ? text + 1 : text;
  for (; g_ascii_isdigit (*p); p++)
    integer_digits++;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      decimals++;
  if (*p != '\0' || integer_digits == 0 || decimals > 10 || (strchr (text, '.') != NULL && decimals == 0))
    return FALSE;

  value = g_ascii_strtod (text[0] == '$' ? text + 1 : text, NULL);
  if (!valid_amount (value))
    return FALSE;

  *usd = value;
  return TRUE;
}

/* tally-demo-sessions.c: the demo server's login sessions (refresh tokens)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-demo-sessions"

#include "config.h"

#include "tally-demo-sessions-private.h"

typedef enum
{
  FAMILY_REVOKED = 1 << 0,
  FAMILY_MOVED = 1 << 1,
} FamilyFlags;

typedef struct
{
  guint family;
  gint64 user_id;
  gint64 expires_at;
  gboolean spent;
} RefreshEntry;

struct _TallyDemoSessions
{
  GHashTable *tokens;   /* "rt_…" → RefreshEntry* */
  GHashTable *families; /* family id → GUINT_TO_POINTER (FamilyFlags) (present = exists) */
  guint next_family;
};

TallyDemoSessions *
tally_demo_sessions_new (void)
{
  TallyDemoSessions *sessions = g_new0 (TallyDemoSessions, 1);

  sessions->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sessions->families = g_hash_table_new (NULL, NULL);

  return sessions;
}

void
tally_demo_sessions_free (TallyDemoSessions *sessions)
{
  if (sessions == NULL)
    return;

  g_hash_table_unref (sessions->tokens);
  g_hash_table_unref (sessions->families);
  g_free (sessions);
}

static char *
new_token (TallyDemoSessions *sessions,
           guint family,
           gint64 user_id,
           gint64 now,
           gint64 lifetime)
{
  RefreshEntry *entry = g_new0 (RefreshEntry, 1);
  char *token = g_strdup_printf ("rt_%08x%08x%08x%08x", g_random_int (), g_random_int (),
                                 g_random_int (), g_random_int ());

  entry->family = family;
  entry->user_id = user_id;
  entry->expires_at = now + lifetime;
  g_hash_table_replace (sessions->tokens, g_strdup (token), entry);

  return token;
}

static FamilyFlags
family_flags (TallyDemoSessions *sessions,
              guint family)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (sessions->families, GUINT_TO_POINTER (family)));
}

static void
set_family_flags (TallyDemoSessions *sessions,
                  guint family,
                  FamilyFlags flags)
{
  g_hash_table_insert (sessions->families, GUINT_TO_POINTER (family), GUINT_TO_POINTER (flags));
}

char *
tally_demo_sessions_open (TallyDemoSessions *sessions,
                          gint64 user_id,
                          gint64 now,
                          gint64 lifetime,
                          guint *family)
{
  g_return_val_if_fail (sessions != NULL, NULL);

  *family = ++sessions->next_family;
  set_family_flags (sessions, *family, 0);

  return new_token (sessions, *family, user_id, now, lifetime);
}

TallyDemoSessionStatus
tally_demo_sessions_check (TallyDemoSessions *sessions,
                           guint family)
{
  FamilyFlags flags;

  g_return_val_if_fail (sessions != NULL, TALLY_DEMO_SESSION_INVALID);

  if (family == 0)
    return TALLY_DEMO_SESSION_OK;

  flags = family_flags (sessions, family);
  if (flags & FAMILY_MOVED)
    {
      /* the binding revokes the family, and says why once */
      set_family_flags (sessions, family, FAMILY_REVOKED);
      return TALLY_DEMO_SESSION_MOVED;
    }
  if (flags & FAMILY_REVOKED)
    return TALLY_DEMO_SESSION_REVOKED;

  return TALLY_DEMO_SESSION_OK;
}

TallyDemoSessionStatus
tally_demo_sessions_rotate (TallyDemoSessions *sessions,
                            const char *refresh_token,
                            gint64 now,
                            gint64 lifetime,
                            char **token,
                            guint *family,
                            gint64 *user_id)
{
  RefreshEntry *entry;
  TallyDemoSessionStatus status;

  g_return_val_if_fail (sessions != NULL, TALLY_DEMO_SESSION_INVALID);

  *token = NULL;
  entry = refresh_token != NULL ? g_hash_table_lookup (sessions->tokens, refresh_token) : NULL;
  if (entry == NULL || entry->spent)
    return TALLY_DEMO_SESSION_INVALID;

  status = tally_demo_sessions_check (sessions, entry->family);
  if (status != TALLY_DEMO_SESSION_OK)
    return status;

  if (now >= entry->expires_at)
    return TALLY_DEMO_SESSION_EXPIRED;

  entry->spent = TRUE;
  *family = entry->family;
  *user_id = entry->user_id;
  *token = new_token (sessions, entry->family, entry->user_id, now, lifetime);

  return TALLY_DEMO_SESSION_OK;
}

void
tally_demo_sessions_revoke_token (TallyDemoSessions *sessions,
                                  const char *refresh_token)
{
  RefreshEntry *entry;

  g_return_if_fail (sessions != NULL);

  entry = refresh_token != NULL ? g_hash_table_lookup (sessions->tokens, refresh_token) : NULL;
  if (entry != NULL)
    entry->spent = TRUE;
}

void
tally_demo_sessions_revoke_all (TallyDemoSessions *sessions)
{
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (sessions != NULL);

  g_hash_table_iter_init (&iter, sessions->families);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_iter_replace (&iter, GUINT_TO_POINTER (FAMILY_REVOKED));
}

void
tally_demo_sessions_move_all (TallyDemoSessions *sessions)
{
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_return_if_fail (sessions != NULL);

  g_hash_table_iter_init (&iter, sessions->families);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!(GPOINTER_TO_UINT (value) & FAMILY_REVOKED))
      g_hash_table_iter_replace (&iter, GUINT_TO_POINTER (FAMILY_MOVED));
}

/* tally-error.c: the TALLY_ERROR domain with HTTP status, reason and Retry-After
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-error"

#include "config.h"

#include <gio/gio.h>

#include "tally-error.h"

typedef struct
{
  guint http_status;
  char *reason;
  guint retry_after;
} TallyErrorPrivate;

static void
tally_error_private_init (TallyErrorPrivate *priv)
{
  priv->http_status = 0;
  priv->reason = NULL;
  priv->retry_after = 0;
}

static void
tally_error_private_copy (const TallyErrorPrivate *src,
                          TallyErrorPrivate *dest)
{
  dest->http_status = src->http_status;
  dest->reason = g_strdup (src->reason);
  dest->retry_after = src->retry_after;
}

static void
tally_error_private_clear (TallyErrorPrivate *priv)
{
  g_clear_pointer (&priv->reason, g_free);
}

/* Registers the domain under the quark string "TallyError". */
G_DEFINE_EXTENDED_ERROR (TallyError, tally_error)

static TallyErrorPrivate *
get_private_or_null (const GError *error)
{
  if (error == NULL || error->domain != TALLY_ERROR)
    return NULL;

  return tally_error_get_private (error);
}

guint
tally_error_get_http_status (const GError *error)
{
  TallyErrorPrivate *priv = get_private_or_null (error);

  return priv != NULL ? priv->http_status : 0;
}

const char *
tally_error_get_reason (const GError *error)
{
  TallyErrorPrivate *priv = get_private_or_null (error);

  return priv != NULL ? priv->reason : NULL;
}

guint
tally_error_get_retry_after (const GError *error)
{
  TallyErrorPrivate *priv = get_private_or_null (error);

  return priv != NULL ? priv->retry_after : 0;
}

GError *
tally_error_new_full (TallyError code,
                      guint http_status,
                      const char *reason,
                      guint retry_after,
                      const char *message)
{
  GError *error;
  TallyErrorPrivate *priv;

  error = g_error_new_literal (TALLY_ERROR, code, message != NULL ? message : "");
  priv = tally_error_get_private (error);
  priv->http_status = http_status;
  priv->reason = (reason != NULL && reason[0] != '\0') ? g_strdup (reason) : NULL;
  priv->retry_after = retry_after;

  return error;
}

gboolean
tally_error_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static const char *const session_sentence_reasons[] = {
  "TOKEN_REVOKED",
  "REFRESH_TOKEN_EXPIRED",
  "REFRESH_TOKEN_INVALID",
  "SESSION_BINDING_MISMATCH",
  "USER_NOT_ACTIVE",
  "USER_INACTIVE",
  "BACKEND_MODE_ADMIN_ONLY",
  NULL,
};

gboolean
tally_error_has_session_sentence (const GError *error)
{
  const char *reason = tally_error_get_reason (error);

  if (reason == NULL)
    return FALSE;
  if (!g_error_matches (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED) && !g_error_matches (error, TALLY_ERROR, TALLY_ERROR_FORBIDDEN))
    return FALSE;

  return g_strv_contains (session_sentence_reasons, reason);
}

gboolean
tally_error_ends_session (const GError *error)
{
  const char *reason = tally_error_get_reason (error);

  if (g_error_matches (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED))
    return TRUE;

  return g_error_matches (error, TALLY_ERROR, TALLY_ERROR_FORBIDDEN) && (g_strcmp0 (reason, "USER_NOT_ACTIVE") == 0 || g_strcmp0 (reason, "BACKEND_MODE_ADMIN_ONLY") == 0);
}

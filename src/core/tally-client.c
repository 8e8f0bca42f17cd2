/* tally-client.c: the sub2api panel API over one SoupSession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every endpoint is a thin wrapper around _tally_client_send(): one request, the
 * envelope decoded by _tally_envelope_decode(), the `data` node turned into a
 * model by the endpoint's decoder. The three operations that need several
 * requests (list_all_keys, foreach_usage_page, get_keys_usage) are built on
 * the single-request wrappers. Nothing here logs headers or the token.
 *
 * This file: the object, its properties and the one-request endpoints; the
 * send path: tally-client-send.c; the walks over several pages:
 * tally-client-paging.c; refresh tokens and logout: tally-client-auth.c;
 * what they share: tally-client-private.h.
 */

#define G_LOG_DOMAIN "tally-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "tally-client-private.h"
#include "tally-client.h"
#include "tally-credentials.h"
#include "tally-envelope-private.h"
#include "tally-error.h"
#include "tally-models-private.h"
#include "tally-scheduler-private.h"
#include "tally-usage-query.h"

#define USER_AGENT "Tally/" PACKAGE_VERSION
#define DEFAULT_TIMEOUT_SECONDS 30
#define MAX_CONNS_PER_HOST 8

G_DEFINE_FINAL_TYPE (TallyClient, tally_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_RATE_LIMIT_WAIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define MAX_TOKEN_LENGTH 16384

/* ------------------------------------------------------------------------ */
/* Query strings                                                            */

static void
append_param (GString *query,
              const char *name,
              const char *value)
{
  if (value == NULL)
    return;

  if (query->len > 0)
    g_string_append_c (query, '&');
  g_string_append (query, name);
  g_string_append_c (query, '=');
  g_string_append_uri_escaped (query, value, NULL, FALSE);
}

static void
append_int_param (GString *query,
                  const char *name,
                  gint64 value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  append_param (query, name, buf);
}

/* ------------------------------------------------------------------------ */
/* Decoders used by several endpoints                                       */

static gpointer
decode_key_page (JsonNode *data,
                 GError **error)
{
  return _tally_page_new_from_json (data, (TallyItemFromJson) _tally_api_key_new_from_json, error);
}

static gboolean
complete_auth (TallyClient *self,
               gpointer object,
               GError **error)
{
  TallyAuthResult *result = object;
  const char *access_token;

  g_assert (TALLY_IS_CLIENT (self));
  g_assert (TALLY_IS_AUTH_RESULT (result));

  if (tally_auth_result_get_requires_2fa (result))
    {
      const char *temp_token = tally_auth_result_get_temp_token (result);

      g_clear_pointer (&self->pending_2fa_token, g_free);
      if (temp_token == NULL || temp_token[0] == '\0')
        {
          g_propagate_error (error,
                             tally_error_new_full (TALLY_ERROR_BAD_RESPONSE, 200, NULL, 0,
                                                   _ ("The server asked for a two-factor code but sent no session to use it with")));
          return FALSE;
        }

      self->pending_2fa_token = g_strdup (temp_token);
      g_propagate_error (error,
                         tally_error_new_full (TALLY_ERROR_TWO_FACTOR_REQUIRED, 200, NULL, 0,
                                               _ ("This account uses two-factor authentication — enter the 6-digit code from your authenticator app")));
      return FALSE;
    }

  access_token = tally_auth_result_get_access_token (result);
  if (access_token == NULL || access_token[0] == '\0')
    {
      g_propagate_error (error,
                         tally_error_new_full (TALLY_ERROR_BAD_RESPONSE, 200, NULL, 0,
                                               _ ("The server accepted the login but sent no access token")));
      return FALSE;
    }

  g_clear_pointer (&self->pending_2fa_token, g_free);
  tally_client_set_token (self, access_token);
  _tally_client_auth_logged_in (self, result);

  return TRUE;
}

/* The common case: an authenticated GET. */
static void
client_get (TallyClient *self,
            const char *path,
            const char *query,
            DecodeFunc decode,
            gpointer source_tag,
            GCancellable *cancellable,
            GAsyncReadyCallback callback,
            gpointer user_data)
{
  const Request request = {
    .method = "GET",
    .path = path,
    .query = query,
    .decode = decode,
    .source_tag = source_tag,
  };

  _tally_client_send (self, &request, cancellable, callback, user_data);
}

JsonNode *
_tally_client_string_object_body (const char *first_name,
                                  ...)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL || value[0] == '\0')
        continue;
      json_builder_set_member_name (builder, name);
      json_builder_add_string_value (builder, value);
    }
  va_end (args);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* POST /auth/login and /auth/login/2fa: anonymous, the answer sets the token */
static void
client_authenticate (TallyClient *self,
                     const char *path,
                     JsonNode *body,
                     gpointer source_tag,
                     GCancellable *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer user_data)
{
  const Request request = {
    .method = "POST",
    .path = path,
    .body = body,
    .anonymous = TRUE,
    .decode = (DecodeFunc) _tally_auth_result_new_from_json,
    .complete = complete_auth,
    .source_tag = source_tag,
  };

  _tally_client_send (self, &request, cancellable, callback, user_data);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
tally_client_dispose (GObject *object)
{
  TallyClient *self = (TallyClient *) object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (tally_client_parent_class)->dispose (object);
}

static void
tally_client_finalize (GObject *object)
{
  TallyClient *self = (TallyClient *) object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->pending_2fa_token, g_free);
  g_clear_pointer (&self->scheduler, _tally_scheduler_unref);
  g_clear_pointer (&self->auth, _tally_client_auth_free);

  G_OBJECT_CLASS (tally_client_parent_class)->finalize (object);
}

static void
tally_client_get_property (GObject *object,
                           guint prop_id,
                           GValue *value,
                           GParamSpec *pspec)
{
  TallyClient *self = TALLY_CLIENT (object);

  switch (prop_id)
    {
      case PROP_BASE_URL:
        g_value_set_string (value, self->base_url);
        break;

      case PROP_TOKEN:
        g_value_set_string (value, self->token);
        break;

      case PROP_RATE_LIMIT_WAIT:
        g_value_set_int64 (value, self->rate_limit_wait);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_client_set_property (GObject *object,
                           guint prop_id,
                           const GValue *value,
                           GParamSpec *pspec)
{
  TallyClient *self = TALLY_CLIENT (object);

  switch (prop_id)
    {
      case PROP_BASE_URL:
        g_assert (self->base_url == NULL);
        self->base_url = g_value_dup_string (value);
        break;

      case PROP_TOKEN:
        tally_client_set_token (self, g_value_get_string (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_client_constructed (GObject *object)
{
  TallyClient *self = (TallyClient *) object;
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GInetAddress) address = NULL;
  const char *host = NULL;

  G_OBJECT_CLASS (tally_client_parent_class)->constructed (object);

  if (self->base_url != NULL)
    uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL)
    host = g_uri_get_host (uri);

  self->host = g_strdup (host != NULL ? host : "the server");
  self->scheduler = _tally_scheduler_acquire (self->base_url != NULL ? self->base_url : "");

  if (uri != NULL && host != NULL && g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0)
    {
      address = g_inet_address_new_from_string (host);
      if (address != NULL)
        self->insecure = !g_inet_address_get_is_loopback (address);
      else
        self->insecure = g_ascii_strcasecmp (host, "localhost") != 0 && !g_str_has_suffix (host, ".localhost");
    }
}

static void
tally_client_class_init (TallyClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tally_client_constructed;
  object_class->dispose = tally_client_dispose;
  object_class->finalize = tally_client_finalize;
  object_class->get_property = tally_client_get_property;
  object_class->set_property = tally_client_set_property;

  /* Normalised site origin; set by tally_client_new(). */
  properties[PROP_BASE_URL] = g_param_spec_string ("base-url", NULL, NULL,
                                                   NULL,
                                                   (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TOKEN] = g_param_spec_string ("token", NULL, NULL,
                                                NULL,
                                                (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The monotonic time (µs) at which a request of this client held back by
   * the server's rate limit is sent again; 0 when none is waiting. */
  properties[PROP_RATE_LIMIT_WAIT] = g_param_spec_int64 ("rate-limit-wait", NULL, NULL,
                                                         0, G_MAXINT64, 0,
                                                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
  _tally_client_auth_class_init (object_class);
}

static void
tally_client_init (TallyClient *self)
{
  self->auth = _tally_client_auth_new ();
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "user-agent", USER_AGENT,
                                "max-conns-per-host", MAX_CONNS_PER_HOST,
                                "max-conns", MAX_CONNS_PER_HOST * 2,
                                "timeout", self->timeout,
                                NULL);
}

/* ------------------------------------------------------------------------ */
/* Public API: the client itself                                            */

static char *
normalize_base_url (const char *base_url,
                    GError **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GString) path = NULL;
  const char *scheme;
  const char *host;

  trimmed = g_strstrip (g_strdup (base_url));
  uri = g_uri_parse (trimmed, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a valid server address (expected e.g. https://api.example.com)"), trimmed);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                   _ ("The server address must start with https:// or http://"));
      return NULL;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0')
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                   _ ("The server address has no host name"));
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                   _ ("The server address must not contain a user name or password"));
      return NULL;
    }

  path = g_string_new (g_uri_get_path (uri));
  while (path->len > 0 && path->str[path->len - 1] == '/')
    g_string_truncate (path, path->len - 1);
  if (g_str_has_suffix (path->str, API_PREFIX))
    g_string_truncate (path, path->len - strlen (API_PREFIX));
  while (path->len > 0 && path->str[path->len - 1] == '/')
    g_string_truncate (path, path->len - 1);

  /* query and fragment are dropped */
  return g_uri_join (G_URI_FLAGS_NONE,
                     g_ascii_strcasecmp (scheme, "https") == 0 ? "https" : "http",
                     NULL,
                     host,
                     g_uri_get_port (uri),
                     path->str,
                     NULL,
                     NULL);
}

TallyClient *
tally_client_new (const char *base_url,
                  GError **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  normalized = normalize_base_url (base_url, error);
  if (normalized == NULL)
    return NULL;

  return g_object_new (TALLY_TYPE_CLIENT,
                       "base-url", normalized,
                       NULL);
}

const char *
tally_client_get_base_url (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), NULL);

  return self->base_url;
}

gboolean
tally_client_is_insecure (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), FALSE);

  return self->insecure;
}

const char *
tally_client_get_token (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), NULL);

  return self->token;
}

void
tally_client_set_token (TallyClient *self,
                        const char *token)
{
  g_return_if_fail (TALLY_IS_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;

  g_free (self->token);
  self->token = g_strdup (token);
  _tally_client_auth_token_replaced (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

void
tally_client_set_timeout (TallyClient *self,
                          guint seconds)
{
  g_return_if_fail (TALLY_IS_CLIENT (self));

  self->timeout = seconds;
  g_object_set (self->session, "timeout", seconds, NULL);
}

gint64
tally_client_get_clock_skew (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), 0);

  return self->clock_skew;
}

gint64
tally_client_get_rate_limit_wait (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), 0);

  return self->rate_limit_wait;
}

gint64
tally_client_get_max_page_size (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), TALLY_SCHED_DEFAULT_MAX_PAGE_SIZE);

  return _tally_scheduler_get_max_page_size (self->scheduler);
}

void
_tally_client_set_rate_limit_wait (TallyClient *self,
                                   gint64 rate_limit_wait)
{
  if (rate_limit_wait != self->rate_limit_wait)
    {
      self->rate_limit_wait = rate_limit_wait;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMIT_WAIT]);
    }
}

void
_tally_client_notify_token (TallyClient *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

const char *
tally_client_get_pending_2fa_token (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), NULL);

  return self->pending_2fa_token;
}

/* ------------------------------------------------------------------------ */
/* Public API: one request per endpoint                                     */

void
tally_client_get_public_settings_async (TallyClient *self,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  const Request request = {
    .method = "GET",
    .path = "/settings/public",
    .anonymous = TRUE,
    .decode = (DecodeFunc) _tally_public_settings_new_from_json,
    .source_tag = tally_client_get_public_settings_async,
  };

  g_return_if_fail (TALLY_IS_CLIENT (self));

  _tally_client_send (self, &request, cancellable, callback, user_data);
}

TallyPublicSettings *
tally_client_get_public_settings_finish (TallyClient *self,
                                         GAsyncResult *result,
                                         GError **error)
{
  return _tally_client_send_finish (self, result, tally_client_get_public_settings_async, error);
}

void
tally_client_login_async (TallyClient *self,
                          const char *email,
                          const char *password,
                          const char *turnstile_token,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr (JsonNode) body = NULL;

  g_return_if_fail (TALLY_IS_CLIENT (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);

  body = _tally_client_string_object_body ("email", email,
                                           "password", password,
                                           "turnstile_token", turnstile_token,
                                           NULL);
  client_authenticate (self, "/auth/login", body, tally_client_login_async,
                       cancellable, callback, user_data);
}

TallyAuthResult *
tally_client_login_finish (TallyClient *self,
                           GAsyncResult *result,
                           GError **error)
{
  return _tally_client_send_finish (self, result, tally_client_login_async, error);
}

void
tally_client_login_2fa_async (TallyClient *self,
                              const char *temp_token,
                              const char *totp_code,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (JsonNode) body = NULL;

  g_return_if_fail (TALLY_IS_CLIENT (self));
  g_return_if_fail (temp_token != NULL);
  g_return_if_fail (totp_code != NULL);

  body = _tally_client_string_object_body ("temp_token", temp_token,
                                           "totp_code", totp_code,
                                           NULL);
  client_authenticate (self, "/auth/login/2fa", body, tally_client_login_2fa_async,
                       cancellable, callback, user_data);
}

TallyAuthResult *
tally_client_login_2fa_finish (TallyClient *self,
                               GAsyncResult *result,
                               GError **error)
{
  return _tally_client_send_finish (self, result, tally_client_login_2fa_async, error);
}

void
tally_client_get_me_async (TallyClient *self,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_return_if_fail (TALLY_IS_CLIENT (self));

  client_get (self, "/auth/me", NULL, (DecodeFunc) _tally_user_new_from_json,
              tally_client_get_me_async, cancellable, callback, user_data);
}

TallyUser *
tally_client_get_me_finish (TallyClient *self,
                            GAsyncResult *result,
                            GError **error)
{
  return _tally_client_send_finish (self, result, tally_client_get_me_async, error);
}

void
tally_client_get_profile_async (TallyClient *self,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_return_if_fail (TALLY_IS_CLIENT (self));

  client_get (self, "/user/profile", NULL, (DecodeFunc) _tally_user_new_from_json,
              tally_client_get_profile_async, cancellable, callback, user_data);
}

TallyUser *
tally_client_get_profile_finish (TallyClient *self,
                                 GAsyncResult *result,
                                 GError **error)
{
  return _tally_client_send_finish (self, result, tally_client_get_profile_async, error);
}

void
tally_client_list_keys_async (TallyClient *self,
                              gint64 page,
                              gint64 page_size,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GString) query = g_string_new (NULL);

  g_return_if_fail (TALLY_IS_CLIENT (self));

  if (page > 0)
    append_int_param (query, "page", page);
  if (page_size > 0)
    append_int_param (query, "page_size", page_size);

  client_get (self, "/keys", query->str, decode_key_page,
              tally_client_list_keys_async, cancellable, callback, user_data);
}

TallyPage *
tally_client_list_keys_finish (TallyClient *self,
                               GAsyncResult *result,
                               GError **error)
{
  return _tally_client_send_finish (self, result, tally_client_list_keys_async, error);
}

void
tally_client_get_key_async (TallyClient *self,
                            gint64 id,
                            GCancellable *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autofree char *path = g_strdup_printf ("/keys/%" G_GINT64_FORMAT, id);

  g_return_if_fail (TALLY_IS_CLIENT (self));

  client_get (self, path, NULL, (DecodeFunc) _tally_api_key_new_from_json,
              tally_client_get_key_async, cancellable, callback, user_data);
}

TallyApiKey *
tally_client_get_key_finish (TallyClient *self,
                             GAsyncResult *result,
                             GError **error)
{
  return _tally_client_send_finish (self, result, tally_client_get_key_async, error);
}

void
tally_client_get_usage_async (TallyClient *self,
                              gint64 id,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autofree char *path = g_strdup_printf ("/usage/%" G_GINT64_FORMAT, id);

  g_return_if_fail (TALLY_IS_CLIENT (self));

  client_get (self, path, NULL, (DecodeFunc) _tally_usage_log_new_from_json,
              tally_client_get_usage_async, cancellable, callback, user_data);
}

TallyUsageLog *
tally_client_get_usage_finish (TallyClient *self,
                               GAsyncResult *result,
                               GError **error)
{
  return _tally_client_send_finish (self, result, tally_client_get_usage_async, error);
}

void
tally_client_get_usage_stats_async (TallyClient *self,
                                    const TallyUsageQuery *query,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (TallyUsageQuery) any = NULL;
  g_autofree char *params = NULL;

  g_return_if_fail (TALLY_IS_CLIENT (self));

  if (query == NULL)
    query = any = tally_usage_query_new ();
  params = tally_usage_query_to_stats_params (query);

  client_get (self, "/usage/stats", params, (DecodeFunc) _tally_usage_stats_new_from_json,
              tally_client_get_usage_stats_async, cancellable, callback, user_data);
}

TallyUsageStats *
tally_client_get_usage_stats_finish (TallyClient *self,
                                     GAsyncResult *result,
                                     GError **error)
{
  return _tally_client_send_finish (self, result, tally_client_get_usage_stats_async, error);
}

void
tally_client_get_dashboard_stats_async (TallyClient *self,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  g_return_if_fail (TALLY_IS_CLIENT (self));

  client_get (self, "/usage/dashboard/stats", NULL, (DecodeFunc) _tally_dashboard_stats_new_from_json,
              tally_client_get_dashboard_stats_async, cancellable, callback, user_data);
}

TallyDashboardStats *
tally_client_get_dashboard_stats_finish (TallyClient *self,
                                         GAsyncResult *result,
                                         GError **error)
{
  return _tally_client_send_finish (self, result, tally_client_get_dashboard_stats_async, error);
}

/* start_date, end_date (each when given) and, when set, granularity */
static char *
range_params (const char *start_date,
              const char *end_date,
              const char *granularity)
{
  GString *query = g_string_new (NULL);

  append_param (query, "start_date", start_date);
  append_param (query, "end_date", end_date);
  append_param (query, "granularity", granularity);

  return g_string_free (query, FALSE);
}

void
tally_client_get_trend_async (TallyClient *self,
                              const char *start_date,
                              const char *end_date,
                              TallyGranularity granularity,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autofree char *params = NULL;

  g_return_if_fail (TALLY_IS_CLIENT (self));

  params = range_params (start_date, end_date,
                         granularity == TALLY_GRANULARITY_HOUR ? "hour" : "day");
  client_get (self, "/usage/dashboard/trend", params, (DecodeFunc) _tally_trend_new_from_json,
              tally_client_get_trend_async, cancellable, callback, user_data);
}

TallyTrend *
tally_client_get_trend_finish (TallyClient *self,
                               GAsyncResult *result,
                               GError **error)
{
  return _tally_client_send_finish (self, result, tally_client_get_trend_async, error);
}

void
tally_client_get_model_stats_async (TallyClient *self,
                                    const char *start_date,
                                    const char *end_date,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autofree char *params = NULL;

  g_return_if_fail (TALLY_IS_CLIENT (self));

  params = range_params (start_date, end_date, NULL);
  client_get (self, "/usage/dashboard/models", params, (DecodeFunc) _tally_model_breakdown_new_from_json,
              tally_client_get_model_stats_async, cancellable, callback, user_data);
}

TallyModelBreakdown *
tally_client_get_model_stats_finish (TallyClient *self,
                                     GAsyncResult *result,
                                     GError **error)
{
  return _tally_client_send_finish (self, result, tally_client_get_model_stats_async, error);
}

/* ------------------------------------------------------------------------ */
/* JWT expiry                                                               */

gint64
tally_token_get_expiry (const char *token)
{
  g_auto (GStrv) parts = NULL;
  g_autoptr (GString) payload = NULL;
  g_autofree guchar *decoded = NULL;
  gsize decoded_len = 0;
  g_autoptr (JsonNode) root = NULL;
  JsonNode *exp;

  /* A real JWT is a few hundred bytes; a token is server input, so anything
   * unusual is refused before it reaches the parser. */
  if (token == NULL || strlen (token) > MAX_TOKEN_LENGTH)
    return 0;

  parts = g_strsplit (token, ".", 4);
  if (g_strv_length (parts) != 3 || parts[1][0] == '\0')
    return 0;

  /* base64url → base64, padded */
  payload = g_string_new (parts[1]);
  for (gsize i = 0; i < payload->len; i++)
    {
      char c = payload->str[i];

      if (c == '-')
        payload->str[i] = '+';
      else if (c == '_')
        payload->str[i] = '/';
      else if (!g_ascii_isalnum (c) && c != '+' && c != '/' && c != '=')
        return 0;
    }
  while (payload->len % 4 != 0)
    g_string_append_c (payload, '=');

  decoded = g_base64_decode (payload->str, &decoded_len);
  if (decoded == NULL || decoded_len == 0 || !g_utf8_validate ((const char *) decoded, (gssize) decoded_len, NULL))
    return 0;

  root = _tally_json_read ((const char *) decoded, decoded_len, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  exp = json_object_get_member (json_node_get_object (root), "exp");
  if (exp == NULL || !JSON_NODE_HOLDS_VALUE (exp) || json_node_get_value_type (exp) != G_TYPE_INT64)
    return 0;

  return MAX (json_node_get_int (exp), 0);
}

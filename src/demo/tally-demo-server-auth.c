/* tally-demo-server-auth.c: the demo server's tokens, JWT middleware,
 * request binding and its login, 2FA, refresh and logout routes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-demo-server"

#include "config.h"

#include <string.h>

#include "tally-demo-server-private.h"

/* ------------------------------------------------------------------------ */
/* Tokens                                                                   */

static char *
base64url_encode (const guint8 *bytes,
                  gsize len)
{
  char *text = g_base64_encode (bytes, len);
  char *p;

  for (p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return text;
}

/* strict RawURLEncoding; NULL when invalid */
static guint8 *
base64url_decode (const char *text,
                  gsize text_len,
                  gsize *out_len)
{
  g_autoptr (GString) padded = g_string_sized_new (text_len + 4);

  if (text_len % 4 == 1)
    return NULL;
  for (gsize i = 0; i < text_len; i++)
    {
      char c = text[i];

      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';
      else if (!g_ascii_isalnum (c))
        return NULL;
      g_string_append_c (padded, c);
    }
  while (padded->len % 4 != 0)
    g_string_append_c (padded, '=');
  return g_base64_decode (padded->str, out_len);
}

static char *
sign (TallyDemoServer *self,
      const char *signing_input,
      gsize len)
{
  g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, self->secret, sizeof self->secret);
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_hmac_update (hmac, (const guchar *) signing_input, len);
  g_hmac_get_digest (hmac, digest, &digest_len);
  return base64url_encode (digest, digest_len);
}

static char *
issue_token (TallyDemoServer *self,
             const TallyDemoUser *user,
             gint64 lifetime_seconds,
             guint family)
{
  static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr (GString) payload = g_string_new (NULL);
  g_autofree char *header_b64 = base64url_encode ((const guint8 *) header, strlen (header));
  g_autofree char *payload_b64 = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree char *signature = NULL;
  TallyDemoJson json;

  tally_demo_json_init (&json, payload);
  tally_demo_json_begin_object (&json, NULL);
  tally_demo_json_int (&json, "user_id", user->id);
  tally_demo_json_string (&json, "email", user->email);
  tally_demo_json_string (&json, "role", user->role);
  tally_demo_json_int (&json, "exp", now + lifetime_seconds);
  tally_demo_json_int (&json, "nbf", now);
  tally_demo_json_int (&json, "iat", now);
  /* the login session it belongs to (0: none) and its serial, for the hooks */
  tally_demo_json_int (&json, "sid", family);
  tally_demo_json_int (&json, "jti", (gint64) ++self->last_serial);
  tally_demo_json_end_object (&json);

  payload_b64 = base64url_encode ((const guint8 *) payload->str, payload->len);
  signing_input = g_strconcat (header_b64, ".", payload_b64, NULL);
  signature = sign (self, signing_input, strlen (signing_input));
  return g_strconcat (signing_input, ".", signature, NULL);
}

typedef enum
{
  TOKEN_VALID,
  TOKEN_EXPIRED,
  TOKEN_INVALID,
} TokenStatus;

const TallyDemoValue *
_tally_demo_object_member (const TallyDemoValue *object,
                           const char *name)
{
  const TallyDemoValue *found = NULL;

  if (object == NULL || object->kind != TALLY_DEMO_VALUE_OBJECT)
    return NULL;
  for (guint i = 0; i < object->children->len; i++)
    {
      const TallyDemoValue *member = g_ptr_array_index (object->children, i);

      if (g_str_equal (member->key, name))
        found = member;
    }
  return found;
}

static gboolean
number_member (const TallyDemoValue *object,
               const char *name,
               double *value)
{
  const TallyDemoValue *member = _tally_demo_object_member (object, name);

  if (member == NULL || member->kind != TALLY_DEMO_VALUE_NUMBER)
    return FALSE;
  *value = g_ascii_strtod (member->text, NULL);
  return TRUE;
}

static TallyDemoValue *
decode_segment (const char *text,
                gsize len)
{
  g_autofree guint8 *bytes = NULL;
  g_autofree char *error = NULL;
  gsize n = 0;

  bytes = base64url_decode (text, len, &n);
  if (bytes == NULL)
    return NULL;
  return tally_demo_value_parse ((const char *) bytes, n, &error);
}

static TokenStatus
verify_token (TallyDemoServer *self,
              const char *token,
              gint64 *user_id)
{
  const char *dot1 = strchr (token, '.');
  const char *dot2 = dot1 != NULL ? strchr (dot1 + 1, '.') : NULL;
  g_autoptr (TallyDemoValue) header = NULL;
  g_autoptr (TallyDemoValue) payload = NULL;
  g_autofree char *expected = NULL;
  const TallyDemoValue *alg;
  double now = (double) (g_get_real_time () / G_USEC_PER_SEC);
  double exp_claim, nbf_claim, uid;

  if (dot1 == NULL || dot2 == NULL || strchr (dot2 + 1, '.') != NULL)
    return TOKEN_INVALID;

  header = decode_segment (token, dot1 - token);
  payload = decode_segment (dot1 + 1, dot2 - dot1 - 1);
  if (header == NULL || payload == NULL || payload->kind != TALLY_DEMO_VALUE_OBJECT)
    return TOKEN_INVALID;
  alg = _tally_demo_object_member (header, "alg");
  if (alg == NULL || alg->kind != TALLY_DEMO_VALUE_STRING || !g_str_equal (alg->text, "HS256"))
    return TOKEN_INVALID;

  expected = sign (self, token, dot2 - token);
  if (strlen (expected) != strlen (dot2 + 1))
    return TOKEN_INVALID;
  {
    guint diff = 0;

    for (gsize i = 0; expected[i] != '\0'; i++)
      diff |= (guint) (expected[i] ^ dot2[1 + i]);
    if (diff != 0)
      return TOKEN_INVALID;
  }

  /* golang-jwt v5 validates exp before nbf */
  if (number_member (payload, "exp", &exp_claim) && now >= exp_claim)
    return TOKEN_EXPIRED;
  if (number_member (payload, "nbf", &nbf_claim) && now < nbf_claim)
    return TOKEN_INVALID;
  if (!number_member (payload, "user_id", &uid))
    return TOKEN_INVALID;

  *user_id = (gint64) uid;
  return TOKEN_VALID;
}

/* A valid token of today's server: expired by the test hook, or its login
 * revoked or moved. FALSE: @resp holds the 401. */
static gboolean
check_session (TallyDemoServer *self,
               const char *token,
               Response *resp)
{
  const char *dot1 = strchr (token, '.');
  const char *dot2 = dot1 != NULL ? strchr (dot1 + 1, '.') : NULL;
  g_autoptr (TallyDemoValue) payload = NULL;
  double family = 0;
  double serial = 0;

  if (dot1 == NULL || dot2 == NULL)
    return TRUE;
  payload = decode_segment (dot1 + 1, dot2 - dot1 - 1);
  number_member (payload, "sid", &family);
  number_member (payload, "jti", &serial);

  if (serial > 0 && (guint64) serial <= self->expired_through)
    {
      _tally_demo_respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "TOKEN_EXPIRED", "Token has expired");
      return FALSE;
    }

  switch (tally_demo_sessions_check (self->sessions, (guint) family))
    {
      case TALLY_DEMO_SESSION_REVOKED:
        _tally_demo_respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "TOKEN_REVOKED", "Token has been revoked");
        return FALSE;
      case TALLY_DEMO_SESSION_MOVED:
        _tally_demo_respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "SESSION_BINDING_MISMATCH",
                                        "Session network fingerprint changed, please login again");
        return FALSE;
      case TALLY_DEMO_SESSION_OK:
      case TALLY_DEMO_SESSION_INVALID:
      case TALLY_DEMO_SESSION_EXPIRED:
      default:
        return TRUE;
    }
}

/* The JWT middleware. FALSE: @resp holds the 401. */
gboolean
_tally_demo_authenticate (TallyDemoServer *self,
                          Request *req,
                          Response *resp)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *header = soup_message_headers_get_one (headers, "Authorization");
  const char *space;
  const TallyDemoUser *user;
  gint64 user_id = 0;

  if (header == NULL || *header == '\0')
    {
      _tally_demo_respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "UNAUTHORIZED", "Authorization header is required");
      return FALSE;
    }

  /* strings.SplitN (header, " ", 2); parts[0] must be exactly "Bearer" */
  space = strchr (header, ' ');
  if (space == NULL || space - header != 6 || strncmp (header, "Bearer", 6) != 0)
    {
      _tally_demo_respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "INVALID_AUTH_HEADER",
                                      "Authorization header format must be 'Bearer {token}'");
      return FALSE;
    }
  if (space[1] == '\0')
    {
      _tally_demo_respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "EMPTY_TOKEN", "Token cannot be empty");
      return FALSE;
    }

  switch (verify_token (self, space + 1, &user_id))
    {
      case TOKEN_VALID:
        if (!check_session (self, space + 1, resp))
          return FALSE;
        break;
      case TOKEN_EXPIRED:
        _tally_demo_respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "TOKEN_EXPIRED", "Token has expired");
        return FALSE;
      case TOKEN_INVALID:
      default:
        _tally_demo_respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "INVALID_TOKEN", "Invalid token");
        return FALSE;
    }

  user = tally_demo_data_get_user (self->data, user_id);
  if (user == NULL)
    {
      _tally_demo_respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "USER_NOT_FOUND", "User not found");
      return FALSE;
    }
  if (!g_str_equal (user->status, "active") || self->user_inactive)
    {
      _tally_demo_respond_code_error (resp, SOUP_STATUS_UNAUTHORIZED, "USER_INACTIVE", "User account is not active");
      return FALSE;
    }

  req->user_id = user_id;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Request binding (gin ShouldBindJSON + go-playground validator)           */

typedef struct
{
  const char *json_name; /* tag name, matched case-insensitively like encoding/json */
  const char *go_name;   /* struct field name, for validation messages */
  gboolean required;
  int exact_len; /* "len=N" (runes), 0 = none */
  gboolean email;
  char *value;
} StringField;

static GBytes *
request_body (Request *req)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);

  return soup_message_body_flatten (body);
}

TallyDemoValue *
_tally_demo_parse_body (Request *req,
                        Response *resp)
{
  g_autoptr (GBytes) bytes = request_body (req);
  g_autofree char *error = NULL;
  gsize len = 0;
  const char *text = g_bytes_get_data (bytes, &len);
  TallyDemoValue *value;

  value = tally_demo_value_parse (text != NULL ? text : "", len, &error);
  if (value == NULL)
    _tally_demo_respond_invalid_request (resp, error);
  return value;
}

/* go-playground's email check, simplified: local@label(.label)+ */
static gboolean
looks_like_email (const char *text)
{
  const char *at = strchr (text, '@');
  const char *p;
  gboolean dot = FALSE;
  gsize label_len = 0;

  if (at == NULL || at == text || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (p = text; p < at; p++)
    if ((guchar) *p <= ' ' || strchr ("\"(),:;<>[\\]", *p) != NULL)
      return FALSE;
  if (*text == '.' || at[-1] == '.')
    return FALSE;
  for (p = at + 1; *p != '\0'; p++)
    {
      if (*p == '.')
        {
          if (label_len == 0)
            return FALSE;
          dot = TRUE;
          label_len = 0;
        }
      else if (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || (guchar) *p >= 0x80)
        label_len++;
      else
        return FALSE;
    }
  return dot && label_len > 0;
}

/* Binds the string fields of @struct_name. FALSE: @resp holds the 400. */
static gboolean
bind_strings (const TallyDemoValue *value,
              const char *struct_name,
              StringField *fields,
              guint n_fields,
              Response *resp)
{
  g_autofree char *type_error = NULL;
  g_autoptr (GString) invalid = g_string_new (NULL);

  if (value->kind == TALLY_DEMO_VALUE_OBJECT)
    {
      for (guint i = 0; i < value->children->len; i++)
        {
          const TallyDemoValue *member = g_ptr_array_index (value->children, i);

          for (guint f = 0; f < n_fields; f++)
            {
              if (g_ascii_strcasecmp (member->key, fields[f].json_name) != 0)
                continue;
              if (member->kind == TALLY_DEMO_VALUE_STRING)
                {
                  g_free (fields[f].value);
                  fields[f].value = g_strdup (member->text);
                }
              else if (member->kind != TALLY_DEMO_VALUE_NULL && type_error == NULL)
                type_error = g_strdup_printf ("json: cannot unmarshal %s into Go struct field %s.%s of type string",
                                              tally_demo_value_kind_name (member), struct_name, fields[f].json_name);
              break;
            }
        }
    }
  else if (value->kind != TALLY_DEMO_VALUE_NULL)
    type_error = g_strdup_printf ("json: cannot unmarshal %s into Go value of type handler.%s",
                                  tally_demo_value_kind_name (value), struct_name);

  if (type_error != NULL)
    {
      _tally_demo_respond_invalid_request (resp, type_error);
      return FALSE;
    }

  for (guint f = 0; f < n_fields; f++)
    {
      const char *v = fields[f].value != NULL ? fields[f].value : "";
      const char *tag = NULL;

      if (fields[f].required && *v == '\0')
        tag = "required";
      else if (fields[f].email && !looks_like_email (v))
        tag = "email";
      else if (fields[f].exact_len > 0 && g_utf8_strlen (v, -1) != fields[f].exact_len)
        tag = "len";
      if (tag == NULL)
        continue;
      if (invalid->len > 0)
        g_string_append_c (invalid, '\n');
      g_string_append_printf (invalid, "Key: '%s.%s' Error:Field validation for '%s' failed on the '%s' tag",
                              struct_name, fields[f].go_name, fields[f].go_name, tag);
    }
  if (invalid->len > 0)
    {
      _tally_demo_respond_invalid_request (resp, invalid->str);
      return FALSE;
    }
  return TRUE;
}

static void
clear_fields (StringField *fields,
              guint n_fields)
{
  for (guint f = 0; f < n_fields; f++)
    g_clear_pointer (&fields[f].value, g_free);
}

/* Today's servers open a login session with a refresh token; S has none. */
static void
respond_token (TallyDemoServer *self,
               Response *resp,
               const TallyDemoUser *user)
{
  g_autofree char *refresh_token = NULL;
  g_autofree char *token = NULL;
  guint family = 0;
  TallyDemoJson *json;

  if (self->generation == TALLY_DEMO_GENERATION_CURRENT)
    refresh_token = tally_demo_sessions_open (self->sessions, user->id, g_get_real_time () / G_USEC_PER_SEC,
                                              self->refresh_lifetime, &family);
  token = issue_token (self, user, self->access_lifetime, family);

  json = _tally_demo_success_begin (resp);
  tally_demo_json_begin_object (json, "data");
  tally_demo_json_string (json, "access_token", token);
  if (refresh_token != NULL)
    {
      tally_demo_json_string (json, "refresh_token", refresh_token);
      tally_demo_json_int (json, "expires_in", self->access_lifetime);
    }
  tally_demo_json_string (json, "token_type", "Bearer");
  _tally_demo_write_user (self, json, "user", user, TRUE);
  tally_demo_json_end_object (json);
  _tally_demo_success_end (resp);
}

/* Today's login refusals that come after the password check. FALSE: @resp holds the 403. */
static gboolean
check_may_log_in (TallyDemoServer *self,
                  const TallyDemoUser *user,
                  Response *resp)
{
  if (!g_str_equal (user->status, "active") || self->user_inactive)
    {
      _tally_demo_respond_error (resp, SOUP_STATUS_FORBIDDEN, "user is not active", "USER_NOT_ACTIVE");
      return FALSE;
    }
  if (self->admin_only && !g_str_equal (user->role, "admin"))
    {
      _tally_demo_respond_error (resp, SOUP_STATUS_FORBIDDEN, "backend mode is enabled, only admin can login",
                                 "BACKEND_MODE_ADMIN_ONLY");
      return FALSE;
    }

  return TRUE;
}

static char *
mask_email (const char *email)
{
  const char *at = strchr (email, '@');

  if (at == NULL || at == email)
    return g_strdup ("***");
  return g_strdup_printf ("%.*s***%s", (int) (g_utf8_next_char (email) - email), email, at);
}

void
_tally_demo_handle_login (TallyDemoServer *self,
                          Request *req,
                          Response *resp)
{
  StringField fields[] = {
    { "email", "Email", TRUE, 0, TRUE, NULL },
    { "password", "Password", TRUE, 0, FALSE, NULL },
    { "turnstile_token", "TurnstileToken", FALSE, 0, FALSE, NULL },
    { "captcha_token", "CaptchaToken", FALSE, 0, FALSE, NULL },
  };
  g_autoptr (TallyDemoValue) body = _tally_demo_parse_body (req, resp);
  const TallyDemoUser *user;

  if (body == NULL)
    return;
  if (!bind_strings (body, "LoginRequest", fields, G_N_ELEMENTS (fields), resp))
    goto out;

  if (self->captcha != NULL && g_strcmp0 (fields[3].value, CAPTCHA_TOKEN) != 0)
    {
      if (g_str_equal (self->captcha, "tencent"))
        _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, "tencent captcha verification failed",
                                   "TENCENT_CAPTCHA_VERIFICATION_FAILED");
      else
        _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, "aliyun captcha verification failed",
                                   "ALIYUN_CAPTCHA_VERIFICATION_FAILED");
      goto out;
    }

  if (self->turnstile && g_strcmp0 (fields[2].value, TURNSTILE_TOKEN) != 0)
    {
      _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, "turnstile verification failed", "TURNSTILE_VERIFICATION_FAILED");
      goto out;
    }

  user = tally_demo_data_get_user (self->data, TALLY_DEMO_USER_ID);
  if (!g_str_equal (fields[0].value, user->email) || !g_str_equal (fields[1].value, user->password))
    {
      _tally_demo_respond_error (resp, SOUP_STATUS_UNAUTHORIZED, "invalid email or password", "INVALID_CREDENTIALS");
      goto out;
    }
  if (!check_may_log_in (self, user, resp))
    goto out;

  if (self->two_factor)
    {
      char *temp_token = g_strdup_printf ("%08x%08x%08x%08x", g_random_int (), g_random_int (),
                                          g_random_int (), g_random_int ());
      gint64 *expiry = g_new (gint64, 1);
      g_autofree char *masked = mask_email (user->email);
      TallyDemoJson *json;

      *expiry = g_get_real_time () / G_USEC_PER_SEC + CHALLENGE_LIFETIME_SECONDS;
      g_hash_table_replace (self->challenges, temp_token, expiry);

      json = _tally_demo_success_begin (resp);
      tally_demo_json_begin_object (json, "data");
      tally_demo_json_bool (json, "requires_2fa", TRUE);
      tally_demo_json_string (json, "temp_token", temp_token);
      tally_demo_json_string (json, "user_email_masked", masked);
      tally_demo_json_end_object (json);
      _tally_demo_success_end (resp);
      goto out;
    }

  respond_token (self, resp, user);

out:
  clear_fields (fields, G_N_ELEMENTS (fields));
}

void
_tally_demo_handle_login_2fa (TallyDemoServer *self,
                              Request *req,
                              Response *resp)
{
  StringField fields[] = {
    { "temp_token", "TempToken", TRUE, 0, FALSE, NULL },
    { "totp_code", "TotpCode", TRUE, 6, FALSE, NULL },
  };
  g_autoptr (TallyDemoValue) body = _tally_demo_parse_body (req, resp);
  gint64 *expiry;

  if (body == NULL)
    return;
  if (!bind_strings (body, "Login2FARequest", fields, G_N_ELEMENTS (fields), resp))
    goto out;

  expiry = g_hash_table_lookup (self->challenges, fields[0].value);
  if (expiry == NULL || *expiry <= g_get_real_time () / G_USEC_PER_SEC)
    {
      g_hash_table_remove (self->challenges, fields[0].value);
      _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, "Invalid or expired 2FA session", NULL);
      goto out;
    }
  if (!g_str_equal (fields[1].value, TOTP_CODE))
    {
      _tally_demo_respond_error (resp, SOUP_STATUS_BAD_REQUEST, "invalid verification code", "INVALID_TOTP_CODE");
      goto out;
    }

  g_hash_table_remove (self->challenges, fields[0].value);
  respond_token (self, resp, tally_demo_data_get_user (self->data, TALLY_DEMO_USER_ID));

out:
  clear_fields (fields, G_N_ELEMENTS (fields));
}

/* POST /auth/refresh {"refresh_token"}: the token rotates */
void
_tally_demo_handle_refresh (TallyDemoServer *self,
                            Request *req,
                            Response *resp)
{
  StringField fields[] = {
    { "refresh_token", "RefreshToken", TRUE, 0, FALSE, NULL },
  };
  g_autoptr (TallyDemoValue) body = _tally_demo_parse_body (req, resp);
  g_autofree char *refresh_token = NULL;
  g_autofree char *token = NULL;
  const TallyDemoUser *user;
  gint64 user_id = 0;
  guint family = 0;

  if (body == NULL)
    return;
  if (!bind_strings (body, "RefreshTokenRequest", fields, G_N_ELEMENTS (fields), resp))
    goto out;

  switch (tally_demo_sessions_rotate (self->sessions, fields[0].value, g_get_real_time () / G_USEC_PER_SEC,
                                      self->refresh_lifetime, &refresh_token, &family, &user_id))
    {
      case TALLY_DEMO_SESSION_OK:
        break;
      case TALLY_DEMO_SESSION_EXPIRED:
        _tally_demo_respond_error (resp, SOUP_STATUS_UNAUTHORIZED, "refresh token has expired", "REFRESH_TOKEN_EXPIRED");
        goto out;
      case TALLY_DEMO_SESSION_REVOKED:
        _tally_demo_respond_error (resp, SOUP_STATUS_UNAUTHORIZED, "token has been revoked", "TOKEN_REVOKED");
        goto out;
      case TALLY_DEMO_SESSION_MOVED:
        _tally_demo_respond_error (resp, SOUP_STATUS_UNAUTHORIZED, "Session network fingerprint changed, please login again",
                                   "SESSION_BINDING_MISMATCH");
        goto out;
      case TALLY_DEMO_SESSION_INVALID:
      default:
        _tally_demo_respond_error (resp, SOUP_STATUS_UNAUTHORIZED, "invalid refresh token", "REFRESH_TOKEN_INVALID");
        goto out;
    }

  user = tally_demo_data_get_user (self->data, user_id);
  if (user == NULL || !check_may_log_in (self, user, resp))
    goto out;

  token = issue_token (self, user, self->access_lifetime, family);
  {
    TallyDemoJson *json = _tally_demo_success_begin (resp);

    tally_demo_json_begin_object (json, "data");
    tally_demo_json_string (json, "access_token", token);
    tally_demo_json_string (json, "refresh_token", refresh_token);
    tally_demo_json_int (json, "expires_in", self->access_lifetime);
    tally_demo_json_string (json, "token_type", "Bearer");
    tally_demo_json_end_object (json);
    _tally_demo_success_end (resp);
  }

out:
  clear_fields (fields, G_N_ELEMENTS (fields));
}

/* POST /auth/logout {"refresh_token"?}: revokes it; always 200 */
void
_tally_demo_handle_logout (TallyDemoServer *self,
                           Request *req,
                           Response *resp)
{
  StringField fields[] = {
    { "refresh_token", "RefreshToken", FALSE, 0, FALSE, NULL },
  };
  g_autoptr (TallyDemoValue) body = NULL;
  TallyDemoJson *json;

  if (soup_server_message_get_request_body (req->msg)->length > 0)
    {
      body = _tally_demo_parse_body (req, resp);
      if (body != NULL && bind_strings (body, "LogoutRequest", fields, G_N_ELEMENTS (fields), resp))
        tally_demo_sessions_revoke_token (self->sessions, fields[0].value);
      clear_fields (fields, G_N_ELEMENTS (fields));
    }

  json = _tally_demo_success_begin (resp);
  tally_demo_json_begin_object (json, "data");
  tally_demo_json_string (json, "message", "Logged out successfully");
  tally_demo_json_end_object (json);
  _tally_demo_success_end (resp);
}

void
tally_demo_server_set_captcha (TallyDemoServer *self,
                               const char *kind)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  g_return_if_fail (kind == NULL || g_str_equal (kind, "tencent") || g_str_equal (kind, "aliyun"));

  g_free (self->captcha);
  self->captcha = g_strdup (kind);
}

char *
tally_demo_server_issue_token (TallyDemoServer *self,
                               gint64 lifetime_seconds)
{
  const TallyDemoUser user = {
    .id = TALLY_DEMO_USER_ID,
    .email = "demo@example.com",
    .role = "user",
  };

  g_return_val_if_fail (TALLY_IS_DEMO_SERVER (self), NULL);
  return issue_token (self, &user, lifetime_seconds, 0);
}

void
tally_demo_server_set_turnstile (TallyDemoServer *self,
                                 gboolean enabled)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  self->turnstile = !!enabled;
}

void
tally_demo_server_set_two_factor (TallyDemoServer *self,
                                  gboolean enabled)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  self->two_factor = !!enabled;
}

/* ------------------------------------------------------------------------ */
/* Public API: logins of today's servers                                    */

void
tally_demo_server_set_access_lifetime (TallyDemoServer *self,
                                       gint64 seconds)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  g_return_if_fail (seconds >= 0);

  self->access_lifetime = seconds;
}

void
tally_demo_server_set_refresh_lifetime (TallyDemoServer *self,
                                        gint64 seconds)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));
  g_return_if_fail (seconds >= 0);

  self->refresh_lifetime = seconds;
}

void
tally_demo_server_expire_access_tokens (TallyDemoServer *self)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));

  self->expired_through = self->last_serial;
}

void
tally_demo_server_revoke_sessions (TallyDemoServer *self)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));

  tally_demo_sessions_revoke_all (self->sessions);
}

void
tally_demo_server_change_network (TallyDemoServer *self)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));

  tally_demo_sessions_move_all (self->sessions);
}

void
tally_demo_server_set_user_active (TallyDemoServer *self,
                                   gboolean active)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));

  self->user_inactive = !active;
}

void
tally_demo_server_set_admin_only (TallyDemoServer *self,
                                  gboolean admin_only)
{
  g_return_if_fail (TALLY_IS_DEMO_SERVER (self));

  self->admin_only = !!admin_only;
}

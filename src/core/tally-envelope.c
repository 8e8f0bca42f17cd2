/* tally-envelope.c: every answer shape of API.md §1.3 mapped to data or one TallyError
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-envelope"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tally-envelope-private.h"
#include "tally-json-reader-private.h"

/* How much server-provided text a message may carry. */
#define MAX_SERVER_TEXT 200

typedef enum
{
  BODY_EMPTY,
  BODY_JSON_OBJECT,
  BODY_JSON_OTHER,  /* valid JSON that is not an object */
  BODY_JSON_BROKEN, /* looks like JSON (or says so) but does not parse */
  BODY_HTML,
  BODY_TEXT, /* anything else: plain text, binary, invalid UTF-8 */
} BodyKind;

typedef struct
{
  BodyKind kind;
  JsonNode *root;      /* owned; set for BODY_JSON_* that parsed */
  const char *message; /* borrowed from root */
  const char *reason;  /* borrowed from root: a string "code", else "reason" */
  gboolean has_string_code;
  gboolean has_int_code;
  gint64 int_code;
} Body;

static void
body_clear (Body *body)
{
  g_clear_pointer (&body->root, json_node_unref);
}

char *
_tally_envelope_sanitize_text (const char *text,
                               gsize max_chars)
{
  g_autofree char *valid = NULL;
  GString *out;
  gsize n_chars = 0;
  gboolean pending_space = FALSE;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_new (NULL);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Control characters (incl. newlines and tabs) and other whitespace
       * collapse into a single space. */
      if (g_unichar_iscntrl (c) || g_unichar_isspace (c) || c == 0x2028 || c == 0x2029)
        {
          pending_space = out->len > 0;
          continue;
        }

      /* zero-width and other format characters (e.g. bidi overrides) are dropped */
      if (g_unichar_type (c) == G_UNICODE_FORMAT)
        continue;

      if (n_chars + (pending_space ? 1 : 0) >= max_chars)
        {
          g_string_append (out, "…");
          break;
        }

      if (pending_space)
        {
          g_string_append_c (out, ' ');
          n_chars++;
          pending_space = FALSE;
        }

      if (c == '<')
        g_string_append (out, "‹");
      else if (c == '>')
        g_string_append (out, "›");
      else
        g_string_append_unichar (out, c);
      n_chars++;
    }

  return g_string_free (out, FALSE);
}

static gboolean
content_type_is (const char *content_type,
                 const char *wanted)
{
  gsize len;

  if (content_type == NULL)
    return FALSE;

  while (*content_type == ' ' || *content_type == '\t')
    content_type++;

  len = strlen (wanted);
  if (g_ascii_strncasecmp (content_type, wanted, len) != 0)
    return FALSE;

  return content_type[len] == '\0' || content_type[len] == ';' || content_type[len] == ' ' || content_type[len] == '\t';
}

static gboolean
content_type_is_json (const char *content_type)
{
  const char *semi;
  gsize len;

  if (content_type_is (content_type, "application/json"))
    return TRUE;

  /* application/problem+json and friends */
  if (content_type == NULL)
    return FALSE;
  semi = strchr (content_type, ';');
  len = semi != NULL ? (gsize) (semi - content_type) : strlen (content_type);
  while (len > 0 && (content_type[len - 1] == ' ' || content_type[len - 1] == '\t'))
    len--;

  return len >= 5 && g_ascii_strncasecmp (content_type + len - 5, "+json", 5) == 0;
}

static const char *
skip_space (const char *p,
            const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
    p++;

  return p;
}

static gboolean
looks_like_html (const char *data,
                 gsize len,
                 const char *content_type)
{
  const char *p = skip_space (data, data + len);

  if (content_type_is (content_type, "text/html") || content_type_is (content_type, "application/xhtml+xml"))
    return TRUE;

  return p < data + len && *p == '<';
}

static const char *
object_get_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static void
body_classify (Body *body,
               GBytes *bytes,
               const char *content_type,
               const TallyJsonSkip *skip)
{
  const char *data = NULL;
  gsize len = 0;
  const char *start;
  JsonObject *object;
  JsonNode *code;

  memset (body, 0, sizeof *body);

  if (bytes != NULL)
    data = g_bytes_get_data (bytes, &len);

  if (data == NULL || skip_space (data, data + len) == data + len)
    {
      body->kind = BODY_EMPTY;
      return;
    }

  start = skip_space (data, data + len);
  if (*start == '{' || *start == '[')
    {
      /* the reader validates UTF-8 itself: a success needs no second pass */
      body->root = _tally_json_read (data, len, skip);
      if (body->root == NULL)
        {
          /* g_utf8_validate() also refuses embedded NUL bytes */
          body->kind = g_utf8_validate (data, (gssize) len, NULL) ? BODY_JSON_BROKEN : BODY_TEXT;
          return;
        }
    }
  else
    {
      if (!g_utf8_validate (data, (gssize) len, NULL))
        body->kind = BODY_TEXT;
      else if (looks_like_html (data, len, content_type))
        body->kind = BODY_HTML;
      else if (content_type_is_json (content_type))
        body->kind = BODY_JSON_BROKEN;
      else
        body->kind = BODY_TEXT;
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (body->root))
    {
      body->kind = BODY_JSON_OTHER;
      return;
    }

  body->kind = BODY_JSON_OBJECT;
  object = json_node_get_object (body->root);

  body->message = object_get_string (object, "message");
  if (body->message == NULL)
    {
      /* the gateway's Anthropic-style {"type":"error","error":{"message":…}} */
      JsonNode *inner = json_object_get_member (object, "error");

      if (inner != NULL && JSON_NODE_HOLDS_OBJECT (inner))
        body->message = object_get_string (json_node_get_object (inner), "message");
      else if (inner != NULL)
        body->message = object_get_string (object, "error");
    }

  code = json_object_get_member (object, "code");
  if (code != NULL && JSON_NODE_HOLDS_VALUE (code))
    {
      GType type = json_node_get_value_type (code);

      if (type == G_TYPE_STRING)
        {
          body->has_string_code = TRUE;
          body->reason = json_node_get_string (code);
        }
      else if (type == G_TYPE_INT64)
        {
          body->has_int_code = TRUE;
          body->int_code = json_node_get_int (code);
        }
    }

  if (body->reason == NULL)
    body->reason = object_get_string (object, "reason");
  if (body->reason != NULL && body->reason[0] == '\0')
    body->reason = NULL;
}

static guint
parse_retry_after (const char *value)
{
  g_autofree char *trimmed = NULL;
  guint64 seconds = 0;

  if (value == NULL)
    return 0;

  trimmed = g_strstrip (g_strdup (value));
  if (trimmed[0] == '\0' || !g_ascii_isdigit (trimmed[0]))
    return 0;
  if (!g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXUINT, &seconds, NULL))
    return 0;

  return (guint) seconds;
}

static gboolean
str_equal0 (const char *a,
            const char *b)
{
  return a != NULL && b != NULL && strcmp (a, b) == 0;
}

/* Appends the server's own explanation, when it sent one, as plain text. */
static char *
with_detail (const char *sentence,
             const char *server_message)
{
  g_autofree char *detail = NULL;

  if (server_message == NULL)
    return g_strdup (sentence);

  detail = _tally_envelope_sanitize_text (server_message, MAX_SERVER_TEXT);
  if (detail[0] == '\0')
    return g_strdup (sentence);

  /* TRANSLATORS: a sentence, then the server's own explanation in quotes */
  return g_strdup_printf (_ ("%s (server: “%s”)"), sentence, detail);
}

static char *
server_error_message (guint status,
                      const char *server_message)
{
  g_autofree char *sentence = NULL;

  switch (status)
    {
      case 502:
        sentence = g_strdup_printf (_ ("Bad gateway (HTTP %u) — the server or a proxy in front of it is down"), status);
        break;
      case 503:
        sentence = g_strdup_printf (_ ("Service unavailable (HTTP %u) — the server is down or overloaded; try again later"), status);
        break;
      case 504:
        sentence = g_strdup_printf (_ ("Gateway timeout (HTTP %u) — the server did not answer its proxy in time"), status);
        break;
      case 500:
        sentence = g_strdup_printf (_ ("The server had an internal error (HTTP %u)"), status);
        break;
      default:
        sentence = g_strdup_printf (_ ("The server reported an error (HTTP %u)"), status);
        break;
    }

  return with_detail (sentence, server_message);
}

/* The ends of a login that have their own sentence (tally_error_has_session_sentence()):
 * the server's text is not added, these say all there is to say. NULL for others. */
static char *
session_end_sentence (const char *reason)
{
  if (str_equal0 (reason, "TOKEN_REVOKED"))
    return g_strdup (_ ("Your password was changed or the session was revoked — log in again"));
  if (str_equal0 (reason, "REFRESH_TOKEN_EXPIRED") || str_equal0 (reason, "REFRESH_TOKEN_INVALID"))
    return g_strdup (_ ("Your login has expired — log in again"));
  if (str_equal0 (reason, "SESSION_BINDING_MISMATCH"))
    return g_strdup (_ ("The server noticed a change of network or app and ended the session for safety — log in again"));
  if (str_equal0 (reason, "USER_NOT_ACTIVE") || str_equal0 (reason, "USER_INACTIVE"))
    return g_strdup (_ ("This account is disabled — contact the site’s administrator"));
  if (str_equal0 (reason, "BACKEND_MODE_ADMIN_ONLY"))
    return g_strdup (_ ("This site only lets administrators log in"));

  return NULL;
}

/* Maps an error status (or a non-zero envelope code) and the body to an error. */
static GError *
error_from_status (guint http_status,
                   guint effective_status,
                   const Body *body,
                   const char *retry_after)
{
  const char *reason = body->reason;
  const char *server_message = body->message;
  gboolean json = body->kind == BODY_JSON_OBJECT;
  TallyError code;
  guint retry = 0;
  g_autofree char *message = NULL;

  if ((effective_status == 401 || effective_status == 403) && (message = session_end_sentence (reason)) != NULL)
    code = effective_status == 401 ? TALLY_ERROR_UNAUTHORIZED : TALLY_ERROR_FORBIDDEN;
  else if (effective_status == 401)
    {
      if (str_equal0 (reason, "INVALID_CREDENTIALS"))
        {
          code = TALLY_ERROR_INVALID_CREDENTIALS;
          message = g_strdup (_ ("Wrong e-mail address or password"));
        }
      else
        {
          code = TALLY_ERROR_UNAUTHORIZED;
          message = with_detail (_ ("You are not logged in, or your session has expired — please log in again"),
                                 server_message);
        }
    }
  else if (effective_status == 403)
    {
      code = TALLY_ERROR_FORBIDDEN;
      message = with_detail (_ ("Access denied"), server_message);
    }
  else if (effective_status == 404)
    {
      if (json)
        {
          code = TALLY_ERROR_NOT_FOUND;
          message = with_detail (_ ("Not found"), server_message);
        }
      else
        {
          code = TALLY_ERROR_NOT_SUPPORTED;
          message = g_strdup (_ ("This server does not offer this function (HTTP 404) — it may run an older version, or the server address may be wrong"));
        }
    }
  else if ((effective_status == 400 && str_equal0 (reason, "TURNSTILE_VERIFICATION_FAILED")) || str_equal0 (reason, "TURNSTILE_NOT_CONFIGURED"))
    {
      code = TALLY_ERROR_TURNSTILE_REQUIRED;
      message = g_strdup (_ ("This server requires a Cloudflare Turnstile check for password login, which Tally cannot show — sign in with an access token instead"));
    }
  else if (effective_status == 400 && str_equal0 (reason, "TENCENT_CAPTCHA_VERIFICATION_FAILED"))
    {
      /* like Turnstile: a captcha only a browser can show (API-2026.md §4) */
      code = TALLY_ERROR_TURNSTILE_REQUIRED;
      message = g_strdup (_ ("This server requires a Tencent captcha for password login, which Tally cannot show — sign in with an access token instead"));
    }
  else if (effective_status == 400 && str_equal0 (reason, "ALIYUN_CAPTCHA_VERIFICATION_FAILED"))
    {
      code = TALLY_ERROR_TURNSTILE_REQUIRED;
      message = g_strdup (_ ("This server requires an Aliyun captcha for password login, which Tally cannot show — sign in with an access token instead"));
    }
  else if (effective_status == 429)
    {
      code = TALLY_ERROR_RATE_LIMITED;
      retry = parse_retry_after (retry_after);
      if (retry > 0)
        message = g_strdup_printf (ngettext ("Too many requests — the server asks to wait %u second before trying again",
                                             "Too many requests — the server asks to wait %u seconds before trying again",
                                             retry),
                                   retry);
      else
        message = g_strdup (_ ("Too many requests — please wait a moment before trying again"));
    }
  else if (effective_status >= 500 && effective_status <= 599)
    {
      code = TALLY_ERROR_SERVER;
      if (effective_status == 503)
        retry = parse_retry_after (retry_after);
      message = server_error_message (effective_status, server_message);
    }
  else if (effective_status >= 400 && effective_status <= 499)
    {
      code = TALLY_ERROR_BAD_REQUEST;
      message = with_detail (_ ("The server rejected the request"), server_message);
    }
  else
    {
      /* a non-zero envelope code that is not an HTTP error status */
      code = TALLY_ERROR_SERVER;
      message = with_detail (_ ("The server reported an error"), server_message);
    }

  return tally_error_new_full (code, http_status, reason, retry, message);
}

static GError *
bad_response (guint http_status,
              const char *message)
{
  return tally_error_new_full (TALLY_ERROR_BAD_RESPONSE, http_status, NULL, 0, message);
}

static GError *
bad_response_for_body (guint http_status,
                       const Body *body)
{
  switch (body->kind)
    {
      case BODY_EMPTY:
        return bad_response (http_status, _ ("The server sent an empty answer"));
      case BODY_HTML:
        return bad_response (http_status, _ ("The server answered with a web page instead of data — check the server address"));
      case BODY_JSON_BROKEN:
        return bad_response (http_status, _ ("The server’s answer is incomplete or not valid JSON"));
      case BODY_JSON_OTHER:
        return bad_response (http_status, _ ("The server’s answer has an unexpected shape (not a JSON object)"));
      case BODY_TEXT:
        return bad_response (http_status, _ ("The server’s answer is not data this app understands — check the server address"));
      case BODY_JSON_OBJECT:
      default:
        return bad_response (http_status, _ ("The server’s answer has an unexpected shape"));
    }
}

JsonNode *
_tally_envelope_decode (guint http_status,
                        const char *content_type,
                        GBytes *body_bytes,
                        const char *retry_after,
                        GError **error)
{
  return _tally_envelope_decode_skipping (http_status, content_type, body_bytes, retry_after, NULL, error);
}

JsonNode *
_tally_envelope_decode_skipping (guint http_status,
                                 const char *content_type,
                                 GBytes *body_bytes,
                                 const char *retry_after,
                                 const TallyJsonSkip *skip,
                                 GError **error)
{
  Body body;
  JsonNode *data;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  body_classify (&body, body_bytes, content_type, skip);

  if (http_status >= 400)
    {
      g_propagate_error (error, error_from_status (http_status, http_status, &body, retry_after));
      body_clear (&body);
      return NULL;
    }

  if (http_status < 200 || http_status >= 300)
    {
      g_propagate_error (error,
                         tally_error_new_full (TALLY_ERROR_BAD_RESPONSE, http_status, NULL, 0,
                                               _ ("The server gave an unexpected answer (a redirect or an informational status) — check the server address")));
      body_clear (&body);
      return NULL;
    }

  if (body.kind != BODY_JSON_OBJECT)
    {
      g_propagate_error (error, bad_response_for_body (http_status, &body));
      body_clear (&body);
      return NULL;
    }

  /* A success needs {"code":0,…,"data":…}; anything else that carries a code
   * is an error even with HTTP 200. */
  if (body.has_string_code || (body.has_int_code && body.int_code != 0))
    {
      guint effective = 0;

      if (body.has_int_code && body.int_code >= 400 && body.int_code <= 599)
        effective = (guint) body.int_code;
      else if (str_equal0 (body.reason, "RATE_LIMITED"))
        effective = 429;
      else if (g_str_has_prefix (body.reason ? body.reason : "", "TOKEN_") || str_equal0 (body.reason, "UNAUTHORIZED") || str_equal0 (body.reason, "INVALID_TOKEN"))
        effective = 401;

      g_propagate_error (error, error_from_status (http_status, effective, &body, retry_after));
      body_clear (&body);
      return NULL;
    }

  if (!body.has_int_code)
    {
      g_propagate_error (error,
                         bad_response (http_status, _ ("The server’s answer is not in the API’s format (no result code) — check the server address")));
      body_clear (&body);
      return NULL;
    }

  object = json_node_get_object (body.root);
  data = json_object_get_member (object, "data");
  if (data == NULL)
    {
      g_propagate_error (error, bad_response (http_status, _ ("The server’s answer contains no data")));
      body_clear (&body);
      return NULL;
    }

  data = json_node_copy (data);
  body_clear (&body);

  return data;
}

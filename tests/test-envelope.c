/* test-envelope.c: every answer shape of API.md §1.3 / §8 through _tally_envelope_decode()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "tally-envelope-private.h"
#include "tally-test-utils.h"

#define JSON_CT "application/json; charset=utf-8"
#define TEXT_CT "text/plain; charset=utf-8"
#define HTML_CT "text/html; charset=utf-8"

typedef struct
{
  const char *fixture;
  guint status;
  const char *content_type;
  const char *retry_after;
  TallyError code;
  const char *reason; /* NULL = none expected */
  guint retry;
  const char *message_part; /* a substring the message must contain, or NULL */
} ErrorCase;

static const ErrorCase error_cases[] = {
  /* envelope errors */
  { "envelope-404-reason.json", 404, JSON_CT, NULL, TALLY_ERROR_NOT_FOUND, "API_KEY_NOT_FOUND", 0, "api key not found" },
  { "envelope-404-plain.json", 404, JSON_CT, NULL, TALLY_ERROR_NOT_FOUND, NULL, 0, "API key not found" },
  { "envelope-404-usage.json", 404, JSON_CT, NULL, TALLY_ERROR_NOT_FOUND, "USAGE_LOG_NOT_FOUND", 0, "usage log not found" },
  { "envelope-400-plain.json", 400, JSON_CT, NULL, TALLY_ERROR_BAD_REQUEST, NULL, 0, "Invalid api_key_id" },
  { "envelope-400-validation.json", 400, JSON_CT, NULL, TALLY_ERROR_BAD_REQUEST, NULL, 0, "Invalid request: Key:" },
  { "envelope-400-too-many-ids.json", 400, JSON_CT, NULL, TALLY_ERROR_BAD_REQUEST, NULL, 0, "maximum 100 allowed" },
  { "envelope-400-turnstile.json", 400, JSON_CT, NULL, TALLY_ERROR_TURNSTILE_REQUIRED, "TURNSTILE_VERIFICATION_FAILED", 0, "Turnstile" },
  { "envelope-503-turnstile.json", 503, JSON_CT, NULL, TALLY_ERROR_TURNSTILE_REQUIRED, "TURNSTILE_NOT_CONFIGURED", 0, "Turnstile" },
  { "envelope-400-tencent-captcha.json", 400, JSON_CT, NULL, TALLY_ERROR_TURNSTILE_REQUIRED, "TENCENT_CAPTCHA_VERIFICATION_FAILED", 0, "This server requires a Tencent captcha for password login, which Tally cannot show — sign in with an access token instead" },
  { "envelope-400-aliyun-captcha.json", 400, JSON_CT, NULL, TALLY_ERROR_TURNSTILE_REQUIRED, "ALIYUN_CAPTCHA_VERIFICATION_FAILED", 0, "This server requires an Aliyun captcha for password login, which Tally cannot show — sign in with an access token instead" },
  { "envelope-503-service.json", 503, JSON_CT, NULL, TALLY_ERROR_SERVER, "SERVICE_UNAVAILABLE", 0, "HTTP 503" },
  { "envelope-401-invalid-credentials.json", 401, JSON_CT, NULL, TALLY_ERROR_INVALID_CREDENTIALS, "INVALID_CREDENTIALS", 0, "password" },
  { "envelope-403-user-not-active.json", 403, JSON_CT, NULL, TALLY_ERROR_FORBIDDEN, "USER_NOT_ACTIVE", 0, "This account is disabled — contact the site’s administrator" },
  { "envelope-403-backend-admin-only.json", 403, JSON_CT, NULL, TALLY_ERROR_FORBIDDEN, "BACKEND_MODE_ADMIN_ONLY", 0, "This site only lets administrators log in" },
  { "envelope-401-refresh-expired.json", 401, JSON_CT, NULL, TALLY_ERROR_UNAUTHORIZED, "REFRESH_TOKEN_EXPIRED", 0, "Your login has expired — log in again" },
  { "envelope-401-refresh-invalid.json", 401, JSON_CT, NULL, TALLY_ERROR_UNAUTHORIZED, "REFRESH_TOKEN_INVALID", 0, "Your login has expired — log in again" },
  { "envelope-403-plain.json", 403, JSON_CT, NULL, TALLY_ERROR_FORBIDDEN, NULL, 0, "Not authorized to access this API key's usage records" },
  { "envelope-500-panic.json", 500, JSON_CT, NULL, TALLY_ERROR_SERVER, NULL, 0, "internal error" },
  /* middleware string codes */
  { "envelope-401-unauthorized.json", 401, JSON_CT, NULL, TALLY_ERROR_UNAUTHORIZED, "UNAUTHORIZED", 0, "Authorization header is required" },
  { "envelope-401-token-expired.json", 401, JSON_CT, NULL, TALLY_ERROR_UNAUTHORIZED, "TOKEN_EXPIRED", 0, "Token has expired" },
  { "envelope-401-invalid-token.json", 401, JSON_CT, NULL, TALLY_ERROR_UNAUTHORIZED, "INVALID_TOKEN", 0, "Invalid token" },
  { "envelope-401-token-revoked.json", 401, JSON_CT, NULL, TALLY_ERROR_UNAUTHORIZED, "TOKEN_REVOKED", 0, "Your password was changed or the session was revoked — log in again" },
  { "envelope-401-session-binding.json", 401, JSON_CT, NULL, TALLY_ERROR_UNAUTHORIZED, "SESSION_BINDING_MISMATCH", 0, "The server noticed a change of network or app and ended the session for safety — log in again" },
  { "envelope-403-insufficient-balance.json", 403, JSON_CT, NULL, TALLY_ERROR_FORBIDDEN, "INSUFFICIENT_BALANCE", 0, "Insufficient account balance" },
  /* rate limits: both body shapes, header parsing */
  { "envelope-429-auth.json", 429, JSON_CT, "30", TALLY_ERROR_RATE_LIMITED, NULL, 30, "30 seconds" },
  { "envelope-429-panel.json", 429, JSON_CT, "7", TALLY_ERROR_RATE_LIMITED, "RATE_LIMITED", 7, "7 seconds" },
  { "envelope-429-panel.json", 429, JSON_CT, " 12 ", TALLY_ERROR_RATE_LIMITED, "RATE_LIMITED", 12, NULL },
  { "envelope-429-panel.json", 429, JSON_CT, NULL, TALLY_ERROR_RATE_LIMITED, "RATE_LIMITED", 0, "wait a moment" },
  { "envelope-429-panel.json", 429, JSON_CT, "soon", TALLY_ERROR_RATE_LIMITED, "RATE_LIMITED", 0, NULL },
  { "envelope-429-panel.json", 429, JSON_CT, "-5", TALLY_ERROR_RATE_LIMITED, "RATE_LIMITED", 0, NULL },
  { "envelope-429-panel.json", 429, JSON_CT, "Wed, 21 Oct 2015 07:28:00 GMT", TALLY_ERROR_RATE_LIMITED, "RATE_LIMITED", 0, NULL },
  { "envelope-429-panel.json", 429, JSON_CT, "99999999999999999999", TALLY_ERROR_RATE_LIMITED, "RATE_LIMITED", 0, NULL },
  { "envelope-429-panel.json", 429, JSON_CT, "1.5", TALLY_ERROR_RATE_LIMITED, "RATE_LIMITED", 0, NULL },
  { "envelope-429-usage-limit.json", 429, JSON_CT, NULL, TALLY_ERROR_RATE_LIMITED, "USAGE_LIMIT_EXCEEDED", 0, NULL },
  { "envelope-500-gateway.json", 500, JSON_CT, NULL, TALLY_ERROR_SERVER, NULL, 0, "upstream auth failed" },
  /* non-JSON bodies */
  { "envelope-404-gin.txt", 404, TEXT_CT, NULL, TALLY_ERROR_NOT_SUPPORTED, NULL, 0, "HTTP 404" },
  { "envelope-502-nginx.html", 502, HTML_CT, NULL, TALLY_ERROR_SERVER, NULL, 0, "Bad gateway (HTTP 502) — the server or a proxy in front of it is down" },
  { "envelope-502-caddy.txt", 502, TEXT_CT, NULL, TALLY_ERROR_SERVER, NULL, 0, "Bad gateway (HTTP 502)" },
  { "envelope-502-caddy.txt", 504, NULL, NULL, TALLY_ERROR_SERVER, NULL, 0, "HTTP 504" },
  { "envelope-502-nginx.html", 401, HTML_CT, NULL, TALLY_ERROR_UNAUTHORIZED, NULL, 0, "log in" },
  { "envelope-502-nginx.html", 418, HTML_CT, NULL, TALLY_ERROR_BAD_REQUEST, NULL, 0, NULL },
  /* broken successes */
  { "envelope-spa.html", 200, HTML_CT, NULL, TALLY_ERROR_BAD_RESPONSE, NULL, 0, "web page instead of data — check the server address" },
  { "envelope-spa.html", 200, JSON_CT, NULL, TALLY_ERROR_BAD_RESPONSE, NULL, 0, "web page" },
  { "envelope-200-nonzero.json", 200, JSON_CT, NULL, TALLY_ERROR_FORBIDDEN, NULL, 0, "Not authorized to access this key" },
  { "envelope-500-panic.json", 200, JSON_CT, NULL, TALLY_ERROR_SERVER, NULL, 0, "internal error" },
  { "envelope-401-token-expired.json", 200, JSON_CT, NULL, TALLY_ERROR_UNAUTHORIZED, "TOKEN_EXPIRED", 0, NULL },
  { "envelope-string-zero.json", 200, JSON_CT, NULL, TALLY_ERROR_SERVER, "0", 0, NULL },
  { "envelope-truncated.json", 200, JSON_CT, NULL, TALLY_ERROR_BAD_RESPONSE, NULL, 0, "not valid JSON" },
  { "envelope-truncated.json", 500, JSON_CT, NULL, TALLY_ERROR_SERVER, NULL, 0, "HTTP 500" },
  { "envelope-array.json", 200, JSON_CT, NULL, TALLY_ERROR_BAD_RESPONSE, NULL, 0, "not a JSON object" },
  { "envelope-no-data.json", 200, JSON_CT, NULL, TALLY_ERROR_BAD_RESPONSE, NULL, 0, "no data" },
  { "envelope-no-code.json", 200, JSON_CT, NULL, TALLY_ERROR_BAD_RESPONSE, NULL, 0, NULL },
  { "envelope-404-gin.txt", 200, TEXT_CT, NULL, TALLY_ERROR_BAD_RESPONSE, NULL, 0, NULL },
  { "envelope-404-gin.txt", 200, JSON_CT, NULL, TALLY_ERROR_BAD_RESPONSE, NULL, 0, NULL },
  { "envelope-success.json", 302, JSON_CT, NULL, TALLY_ERROR_BAD_RESPONSE, NULL, 0, NULL },
  /* server text is plain text, never markup, never control characters */
  { "envelope-404-markup.json", 404, JSON_CT, NULL, TALLY_ERROR_NOT_FOUND, "API_KEY_NOT_FOUND", 0, "key ‹script›alert(1)‹/script›" },
};

static void
assert_message_is_plain (const GError *error)
{
  g_assert_nonnull (error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_null (strstr (error->message, "<html"));
  g_assert_null (strchr (error->message, '<'));
  g_assert_null (strchr (error->message, '>'));
  for (const char *p = error->message; *p != '\0'; p++)
    g_assert_false (g_ascii_iscntrl (*p));
  /* ~200 characters of server text plus our own sentence */
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <, 420);
  g_assert_cmpuint (strlen (error->message), >, 0);
}

static GError *
decode_error (guint status,
              const char *content_type,
              GBytes *body,
              const char *retry_after)
{
  GError *error = NULL;
  JsonNode *node;

  node = _tally_envelope_decode (status, content_type, body, retry_after, &error);
  g_assert_null (node);
  g_assert_nonnull (error);
  assert_message_is_plain (error);

  return error;
}

static void
test_error_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr (GBytes) body = tally_test_load_fixture (c->fixture);
      g_autoptr (GError) error = NULL;

      g_test_message ("case %u: %s with HTTP %u", i, c->fixture, c->status);
      error = decode_error (c->status, c->content_type, body, c->retry_after);
      g_test_message ("  → %s", error->message);

      g_assert_error (error, TALLY_ERROR, (int) c->code);
      g_assert_cmpuint (tally_error_get_http_status (error), ==, c->status);
      g_assert_cmpstr (tally_error_get_reason (error), ==, c->reason);
      g_assert_cmpuint (tally_error_get_retry_after (error), ==, c->retry);
      if (c->message_part != NULL)
        g_assert_nonnull (strstr (error->message, c->message_part));
    }
}

/* Which errors end the login, and which have their own sentence. */
static void
test_session_ends (void)
{
  static const struct
  {
    const char *fixture;
    guint status;
    gboolean ends;
    gboolean sentence;
  } cases[] = {
    { "envelope-401-token-revoked.json", 401, TRUE, TRUE },
    { "envelope-401-refresh-expired.json", 401, TRUE, TRUE },
    { "envelope-401-refresh-invalid.json", 401, TRUE, TRUE },
    { "envelope-401-session-binding.json", 401, TRUE, TRUE },
    { "envelope-403-user-not-active.json", 403, TRUE, TRUE },
    { "envelope-403-backend-admin-only.json", 403, TRUE, TRUE },
    { "envelope-401-token-expired.json", 401, TRUE, FALSE },
    { "envelope-401-invalid-credentials.json", 401, FALSE, FALSE },
    { "envelope-403-plain.json", 403, FALSE, FALSE },
    { "envelope-403-insufficient-balance.json", 403, FALSE, FALSE },
    { "envelope-500-panic.json", 500, FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) body = tally_test_load_fixture (cases[i].fixture);
      g_autoptr (GError) error = decode_error (cases[i].status, JSON_CT, body, NULL);

      g_test_message ("%s", cases[i].fixture);
      g_assert_true (tally_error_ends_session (error) == cases[i].ends);
      g_assert_true (tally_error_has_session_sentence (error) == cases[i].sentence);
    }

  g_assert_false (tally_error_ends_session (NULL));
  g_assert_false (tally_error_has_session_sentence (NULL));
}

static void
test_success (void)
{
  g_autoptr (GBytes) body = tally_test_load_fixture ("envelope-success.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  JsonObject *object;

  data = _tally_envelope_decode (200, JSON_CT, body, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (data));
  object = json_node_get_object (data);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, 5);
  /* the decoder does not touch payload strings */
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "CI <b>&amp; bot");

  /* a JSON body without (or with a wrong) content type is still accepted … */
  g_clear_pointer (&data, json_node_unref);
  data = _tally_envelope_decode (200, NULL, body, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);
  g_clear_pointer (&data, json_node_unref);
  data = _tally_envelope_decode (200, "text/plain", body, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);
}

static void
test_success_shapes (void)
{
  static const struct
  {
    const char *body;
    JsonNodeType type;
  } cases[] = {
    { "{\"code\":0,\"message\":\"success\",\"data\":[]}", JSON_NODE_ARRAY },
    { "{\"code\":0,\"message\":\"success\",\"data\":null}", JSON_NODE_NULL },
    { "{\"data\":{\"stats\":{}},\"code\":0}", JSON_NODE_OBJECT },
    { "  \r\n{\"code\":0,\"message\":\"success\",\"data\":{\"a\":1.2e-7}}\n", JSON_NODE_OBJECT },
    { "{\"code\":0,\"message\":\"success\",\"data\":{},\"reason\":\"IGNORED\"}", JSON_NODE_OBJECT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) body = g_bytes_new_static (cases[i].body, strlen (cases[i].body));
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) data = NULL;

      data = _tally_envelope_decode (200, "application/problem+json", body, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (data);
      g_assert_cmpint (JSON_NODE_TYPE (data), ==, cases[i].type);
    }
}

static void
test_empty_body (void)
{
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr (GBytes) blank = g_bytes_new_static (" \r\n ", 4);
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;
  g_autoptr (GError) e4 = NULL;
  g_autoptr (GError) e5 = NULL;

  e1 = decode_error (200, JSON_CT, empty, NULL);
  g_assert_error (e1, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (e1->message, "empty"));
  e2 = decode_error (200, NULL, NULL, NULL);
  g_assert_error (e2, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE);
  e3 = decode_error (200, JSON_CT, blank, NULL);
  g_assert_error (e3, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE);
  /* an empty 404 (no JSON) is an unknown route */
  e4 = decode_error (404, NULL, empty, NULL);
  g_assert_error (e4, TALLY_ERROR, TALLY_ERROR_NOT_SUPPORTED);
  e5 = decode_error (502, NULL, NULL, NULL);
  g_assert_error (e5, TALLY_ERROR, TALLY_ERROR_SERVER);
  g_assert_cmpuint (tally_error_get_http_status (e5), ==, 502);
}

static void
test_invalid_utf8 (void)
{
  static const char bad_json[] = "{\"code\":0,\"message\":\"su\xff\xfe\",\"data\":{}}";
  static const char bad_error[] = "{\"code\":403,\"message\":\"no \xc3\x28 access\"}";
  static const char with_nul[] = "{\"code\":0,\"data\":{}}\0garbage";
  g_autoptr (GBytes) b1 = g_bytes_new_static (bad_json, sizeof bad_json - 1);
  g_autoptr (GBytes) b2 = g_bytes_new_static (bad_error, sizeof bad_error - 1);
  g_autoptr (GBytes) b3 = g_bytes_new_static (with_nul, sizeof with_nul - 1);
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;

  e1 = decode_error (200, JSON_CT, b1, NULL);
  g_assert_error (e1, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE);
  /* an error status is still mapped by status, but the broken body is ignored */
  e2 = decode_error (403, JSON_CT, b2, NULL);
  g_assert_error (e2, TALLY_ERROR, TALLY_ERROR_FORBIDDEN);
  g_assert_null (strstr (e2->message, "access"));
  e3 = decode_error (200, JSON_CT, b3, NULL);
  g_assert_error (e3, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE);
}

static void
test_long_message_truncated (void)
{
  g_autoptr (GString) json = g_string_new ("{\"code\":400,\"message\":\"");
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append (json, "王x");
  g_string_append (json, "\"}");
  body = g_bytes_new (json->str, json->len);

  error = decode_error (400, JSON_CT, body, NULL);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (error->message, "王x王x"));
  g_assert_nonnull (strstr (error->message, "…"));
}

static void
test_garbage (void)
{
  static const guint statuses[] = { 200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 502, 503, 599, 600, 0, 999 };
  static const char *types[] = { NULL, JSON_CT, HTML_CT, TEXT_CT, "", ";;;", "application/json+" };
  static const char *const pieces[] = {
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "\\",
    "\\u",
    "d800",
    "\\udc00",
    "code",
    "data",
    "message",
    "reason",
    "0",
    "-1",
    "1e999",
    "null",
    "true",
    "<",
    "html",
    "\xff",
    "\xc3",
    "\x00",
    " ",
    "\n",
    "王",
  };
  g_autoptr (GRand) rand = g_rand_new_with_seed (20260115);
  g_autofree guint8 *huge = NULL;
  const gsize huge_len = 4 * 1024 * 1024;

  /* a huge body of random bytes */
  huge = g_malloc (huge_len);
  for (gsize i = 0; i < huge_len; i++)
    huge[i] = (guint8) g_rand_int_range (rand, 0, 256);
  for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
    {
      g_autoptr (GBytes) body = g_bytes_new_static (huge, huge_len);
      g_autoptr (GError) error = decode_error (statuses[s], JSON_CT, body, "3");

      if (statuses[s] == 200)
        g_assert_error (error, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE);
    }

  /* deep nesting must not recurse the parser to death */
  {
    g_autofree char *deep = g_strnfill (200000, '[');
    g_autoptr (GBytes) body = g_bytes_new (deep, strlen (deep));
    g_autoptr (GError) error = decode_error (200, JSON_CT, body, NULL);

    g_assert_error (error, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE);
  }

  /* random concatenations of JSON-ish pieces */
  for (guint round = 0; round < 3000; round++)
    {
      g_autoptr (GByteArray) bytes = g_byte_array_new ();
      guint n = g_rand_int_range (rand, 0, 40);
      g_autoptr (GBytes) body = NULL;
      g_autoptr (GError) error = NULL;
      JsonNode *node;

      if (g_rand_boolean (rand))
        g_byte_array_append (bytes, (const guint8 *) "{\"code\":", 8);
      for (guint i = 0; i < n; i++)
        {
          const char *piece = pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))];
          gsize len = piece[0] == '\0' ? 1 : strlen (piece);

          g_byte_array_append (bytes, (const guint8 *) piece, len);
        }
      body = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));

      node = _tally_envelope_decode (statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))],
                                     types[g_rand_int_range (rand, 0, G_N_ELEMENTS (types))],
                                     body, "5", &error);
      if (node != NULL)
        {
          g_assert_no_error (error);
          json_node_unref (node);
        }
      else
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == TALLY_ERROR);
          assert_message_is_plain (error);
        }
    }
}

/* json-glib wraps integers outside gint64 silently (9223372036854775808 →
 * G_MININT64, 99999999999999999999999 → -1) and reads hex and leading zeros:
 * such bodies are refused; numbers inside strings are just text. */
static void
test_numbers (void)
{
  static const char *const refused[] = {
    "{\"code\":0,\"data\":{\"n\":9223372036854775808}}",
    "{\"code\":0,\"data\":{\"n\":-9223372036854775809}}",
    "{\"code\":0,\"data\":{\"n\":99999999999999999999999}}",
    "{\"code\":0,\"data\":[18446744073709551615]}",
    "{\"code\":0,\"data\":{\"n\":0x10}}",
    "{\"code\":0,\"data\":{\"n\":010}}",
    "{\"code\":0,\"data\":{\"n\":-}}",
    "{\"code\":0,\"data\":{\"n\":1.}}",
    "{\"code\":0,\"data\":{\"n\":1e}}",
    "{\"code\":0,\"data\":{\"n\":-Infinity}}",
    "{\"code\":9223372036854775808,\"data\":{}}",
  };
  const char *accepted = "{\"code\":0,\"data\":{\"max\":9223372036854775807,\"min\":-9223372036854775808,"
                         "\"zero\":-0,\"small\":1.5e-7,\"huge\":1e400,\"big\":12345678901234567890.5,"
                         "\"s\":\"99999999999999999999 0x10 \\\" 010 [[[\",\"e\":2E+3}}";

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (GBytes) body = g_bytes_new_static (refused[i], strlen (refused[i]));
      g_autoptr (GError) error = decode_error (200, JSON_CT, body, NULL);

      g_test_message ("%s", refused[i]);
      g_assert_error (error, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE);
      g_assert_nonnull (strstr (error->message, "not valid JSON"));
    }

  /* an error status stays what it is */
  {
    g_autoptr (GBytes) body = g_bytes_new_static (refused[0], strlen (refused[0]));
    g_autoptr (GError) error = decode_error (429, JSON_CT, body, "4");

    g_assert_error (error, TALLY_ERROR, TALLY_ERROR_RATE_LIMITED);
    g_assert_cmpuint (tally_error_get_retry_after (error), ==, 4);
  }

  {
    g_autoptr (GBytes) body = g_bytes_new_static (accepted, strlen (accepted));
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonNode) data = _tally_envelope_decode (200, JSON_CT, body, NULL, &error);
    JsonObject *object;

    g_assert_no_error (error);
    object = json_node_get_object (data);
    g_assert_cmpint (json_object_get_int_member (object, "max"), ==, G_MAXINT64);
    g_assert_cmpint (json_object_get_int_member (object, "min"), ==, G_MININT64);
    g_assert_cmpint (json_object_get_int_member (object, "zero"), ==, 0);
    g_assert_cmpfloat (json_object_get_double_member (object, "small"), ==, 1.5e-7);
    /* a double overflows to inf here; the models refuse it per field */
    g_assert_true (isinf (json_object_get_double_member (object, "huge")));
    g_assert_cmpfloat (json_object_get_double_member (object, "big"), ==, 12345678901234567890.5);
    g_assert_cmpstr (json_object_get_string_member (object, "s"), ==, "99999999999999999999 0x10 \" 010 [[[");
    g_assert_cmpfloat (json_object_get_double_member (object, "e"), ==, 2000.0);
  }
}

/* json-glib 1.6 builds strings that are not UTF-8 from some escapes (found by
 * fuzzing): such bodies are refused, in values and in member names alike. */
static void
test_bad_escapes (void)
{
  static const char *const refused[] = {
    "{\"code\":0,\"data\":{\"name\":\"\\ud\xe5\x80\x8d\"}}",
    "{\"code\":0,\"data\":{\"name\":\"a\\udc00.5 b\"}}",
    "{\"code\":0,\"data\":{\"a\\udc00.5\":1}}",
    "{\"code\":0,\"data\":[[\"\\udc00x\"]]}",
  };
  const char *accepted = "{\"code\":0,\"data\":{\"name\":\"\\ud83d\\ude00 \\u00e9\"}}";

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (GBytes) body = g_bytes_new_static (refused[i], strlen (refused[i]));
      g_autoptr (GError) error = decode_error (200, JSON_CT, body, NULL);

      g_assert_error (error, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE);
    }

  {
    g_autoptr (GBytes) body = g_bytes_new_static (accepted, strlen (accepted));
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonNode) data = _tally_envelope_decode (200, JSON_CT, body, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (data), "name"), ==, "😀 é");
  }
}

/* json-glib's parser recurses per level: 512 levels are parsed, 513 are not,
 * and brackets inside strings do not count. */
static void
test_nesting (void)
{
  const guint limit = 512;
  g_autoptr (GString) ok = g_string_new ("{\"code\":0,\"data\":");
  g_autoptr (GString) deep = NULL;
  g_autoptr (GBytes) ok_body = NULL;
  g_autoptr (GBytes) deep_body = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) data = NULL;
  g_autofree char *brackets = g_strnfill (100000, '[');
  g_autofree char *in_string = g_strdup_printf ("{\"code\":0,\"data\":\"%s\"}", brackets);
  g_autoptr (GBytes) string_body = g_bytes_new (in_string, strlen (in_string));

  /* the envelope's object is level 1 */
  for (guint i = 1; i < limit; i++)
    g_string_append_c (ok, '[');
  for (guint i = 1; i < limit; i++)
    g_string_append_c (ok, ']');
  g_string_append_c (ok, '}');
  deep = g_string_new (ok->str);
  g_string_insert_c (deep, 17, '[');
  g_string_insert_c (deep, deep->len - 1, ']');

  ok_body = g_bytes_new (ok->str, ok->len);
  data = _tally_envelope_decode (200, JSON_CT, ok_body, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (data));
  g_clear_pointer (&data, json_node_unref);

  deep_body = g_bytes_new (deep->str, deep->len);
  g_clear_error (&error);
  error = decode_error (200, JSON_CT, deep_body, NULL);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  data = _tally_envelope_decode (200, JSON_CT, string_body, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (json_node_get_string (data)), ==, 100000);
}

static void
test_error_domain (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) copy = NULL;
  g_autoptr (GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");
  g_autoptr (GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");

  g_assert_cmpstr (g_quark_to_string (TALLY_ERROR), ==, "TallyError");

  error = tally_error_new_full (TALLY_ERROR_RATE_LIMITED, 429, "RATE_LIMITED", 7, "slow down");
  copy = g_error_copy (error);
  g_clear_error (&error);
  g_assert_error (copy, TALLY_ERROR, TALLY_ERROR_RATE_LIMITED);
  g_assert_cmpstr (copy->message, ==, "slow down");
  g_assert_cmpuint (tally_error_get_http_status (copy), ==, 429);
  g_assert_cmpstr (tally_error_get_reason (copy), ==, "RATE_LIMITED");
  g_assert_cmpuint (tally_error_get_retry_after (copy), ==, 7);

  /* other domains answer 0 / NULL, without criticals */
  g_assert_cmpuint (tally_error_get_http_status (other), ==, 0);
  g_assert_null (tally_error_get_reason (other));
  g_assert_cmpuint (tally_error_get_retry_after (other), ==, 0);
  g_assert_cmpuint (tally_error_get_http_status (NULL), ==, 0);

  g_assert_true (tally_error_is_cancelled (cancelled));
  g_assert_false (tally_error_is_cancelled (other));
  g_assert_false (tally_error_is_cancelled (copy));
  g_assert_false (tally_error_is_cancelled (NULL));

  /* a plain g_set_error in the domain has empty private data */
  g_set_error_literal (&error, TALLY_ERROR, TALLY_ERROR_IO, "disk full");
  g_assert_cmpuint (tally_error_get_http_status (error), ==, 0);
  g_assert_null (tally_error_get_reason (error));
}

static void
test_sanitize (void)
{
  static const struct
  {
    const char *in;
    gsize max;
    const char *out;
  } cases[] = {
    { NULL, 10, "" },
    { "", 10, "" },
    { "plain text", 200, "plain text" },
    { "  a\n\tb\r\n", 200, "a b" },
    { "<b>bold</b> & co", 200, "‹b›bold‹/b› & co" },
    { "abcdefghij", 5, "abcde…" },
    { "王王王", 3, "王王王" },
    { "\x1b[31mred\x1b[0m", 200, "[31mred [0m" },
    { "a\xe2\x80\xae"
      "b",
      200, "ab" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = _tally_envelope_sanitize_text (cases[i].in, cases[i].max);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/envelope/success", test_success);
  g_test_add_func ("/envelope/session-ends", test_session_ends);
  g_test_add_func ("/envelope/success-shapes", test_success_shapes);
  g_test_add_func ("/envelope/error-cases", test_error_cases);
  g_test_add_func ("/envelope/empty-body", test_empty_body);
  g_test_add_func ("/envelope/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/envelope/long-message", test_long_message_truncated);
  g_test_add_func ("/envelope/garbage", test_garbage);
  g_test_add_func ("/envelope/numbers", test_numbers);
  g_test_add_func ("/envelope/nesting", test_nesting);
  g_test_add_func ("/envelope/bad-escapes", test_bad_escapes);
  g_test_add_func ("/envelope/error-domain", test_error_domain);
  g_test_add_func ("/envelope/sanitize", test_sanitize);

  return g_test_run ();
}

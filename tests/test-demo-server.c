/* test-demo-server.c: the demo server, spoken to over raw HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tally-demo-data.h"
#include "tally-demo-server.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"

/* 2026-01-15T12:00:00+08:00 */
#define NOW G_GINT64_CONSTANT (1768449600)
#define TODAY "2026-01-15"
#define SEED 7
#define DAYS 30
#define ROWS 6000

static SoupSession *shared_session;

typedef struct
{
  guint status;
  char *content_type;
  SoupMessageHeaders *headers;
  char *body;
  gsize len;
  JsonNode *json;
} Reply;

static void
reply_free (Reply *reply)
{
  g_free (reply->content_type);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply->body);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static TallyDemoServer *
start_server_of (guint64 seed,
                 TallyDemoGeneration generation)
{
  g_autoptr (GError) error = NULL;
  TallyDemoServer *server = tally_demo_server_new ();

  g_object_set (server, "seed", seed, "days", DAYS, "rows", ROWS, "now", NOW, "generation", generation, NULL);
  g_assert_true (tally_demo_server_start (server, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (tally_demo_server_get_url (server), "http://127.0.0.1:"));
  return server;
}

static TallyDemoServer *
start_server (guint64 seed)
{
  return start_server_of (seed, TALLY_DEMO_GENERATION_CURRENT);
}

/* @auth: the whole Authorization header (NULL = none) */
static Reply *
request_full (TallyDemoServer *server,
              const char *method,
              const char *path,
              const char *auth,
              const char *body)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *url = g_strconcat (tally_demo_server_get_url (server), path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GBytes) bytes = NULL;
  Reply *reply = g_new0 (Reply, 1);
  const char *content_type;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autoptr (GBytes) request = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }

  soup_session_send_and_read_async (shared_session, msg, G_PRIORITY_DEFAULT, NULL, tally_test_store_result_cb, &result);
  result = tally_test_wait_result (&result);
  bytes = soup_session_send_and_read_finish (shared_session, result, &error);
  g_assert_no_error (error);

  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  content_type = soup_message_headers_get_one (reply->headers, "Content-Type");
  reply->content_type = g_strdup (content_type != NULL ? content_type : "");
  reply->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  reply->len = g_bytes_get_size (bytes);
  if (g_str_has_prefix (reply->content_type, "application/json"))
    reply->json = json_from_string (reply->body, NULL);

  return reply;
}

static Reply *
get (TallyDemoServer *server,
     const char *path,
     const char *token)
{
  g_autofree char *auth = token != NULL ? g_strconcat ("Bearer ", token, NULL) : NULL;

  return request_full (server, "GET", path, auth, NULL);
}

static Reply *
post (TallyDemoServer *server,
      const char *path,
      const char *token,
      const char *body)
{
  g_autofree char *auth = token != NULL ? g_strconcat ("Bearer ", token, NULL) : NULL;

  return request_full (server, "POST", path, auth, body);
}

static JsonObject *
root (Reply *reply)
{
  g_assert_nonnull (reply->json);
  return json_node_get_object (reply->json);
}

static JsonObject *
data_object (Reply *reply)
{
  JsonObject *object = root (reply);

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (object, "code"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "message"), ==, "success");
  return json_object_get_object_member (object, "data");
}

static void
assert_envelope_error (Reply *reply,
                       guint status,
                       const char *message,
                       const char *reason)
{
  JsonObject *object = root (reply);

  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpint (json_object_get_int_member (object, "code"), ==, status);
  g_assert_cmpstr (json_object_get_string_member (object, "message"), ==, message);
  if (reason != NULL)
    g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, reason);
  else
    g_assert_false (json_object_has_member (object, "reason"));
  g_assert_false (json_object_has_member (object, "data"));
}

static void
assert_code_error (Reply *reply,
                   guint status,
                   const char *code,
                   const char *message)
{
  JsonObject *object = root (reply);

  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (json_object_get_string_member (object, "code"), ==, code);
  g_assert_cmpstr (json_object_get_string_member (object, "message"), ==, message);
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
}

static char *
login (TallyDemoServer *server)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}",
                                           tally_demo_server_get_email (server),
                                           tally_demo_server_get_password (server));
  g_autoptr (Reply) reply = post (server, "/api/v1/auth/login", NULL, body);
  JsonObject *data = data_object (reply);

  return g_strdup (json_object_get_string_member (data, "access_token"));
}

/* ------------------------------------------------------------------------ */

static void
test_float_format (void)
{
  static const struct
  {
    double value;
    const char *text;
  } cases[] = {
    { 0, "0" },
    { 1, "1" },
    { 100, "100" },
    { 1.5, "1.5" },
    { 0.8, "0.8" },
    { 123.45678901, "123.45678901" },
    { 0.02999685, "0.02999685" },
    { 0.000001, "0.000001" },
    { 1.2e-7, "1.2e-7" },
    { 3e-10, "3e-10" },
    { 7.5e-8, "7.5e-8" },
    { 1e20, "100000000000000000000" },
    { 1e21, "1e+21" },
    { 1.25e22, "1.25e+22" },
    { -2.5, "-2.5" },
    { 0.1 + 0.2, "0.30000000000000004" },
    { 10578.062623717833, "10578.062623717833" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GString) out = g_string_new (NULL);

      tally_demo_append_go_float (out, cases[i].value);
      g_assert_cmpstr (out->str, ==, cases[i].text);
    }

  {
    g_autoptr (GString) out = g_string_new (NULL);

    tally_demo_append_go_string (out, "CI <b>&amp; bot \xe2\x80\xa8 \"q\" \\ \n\x01 \xff 用户", -1);
    g_assert_cmpstr (out->str, ==,
                     "\"CI \\u003cb\\u003e\\u0026amp; bot \\u2028 \\\"q\\\" \\\\ \\n\\u0001 \\ufffd 用户\"");
  }
  {
    g_autoptr (GString) out = g_string_new (NULL);

    tally_demo_append_rfc3339 (out, G_GINT64_CONSTANT (1768448081016471), 28800);
    g_assert_cmpstr (out->str, ==, "2026-01-15T11:34:41.016471+08:00");
    g_string_truncate (out, 0);
    tally_demo_append_rfc3339 (out, G_GINT64_CONSTANT (1768448081016470), 28800);
    g_assert_cmpstr (out->str, ==, "2026-01-15T11:34:41.01647+08:00");
    g_string_truncate (out, 0);
    tally_demo_append_rfc3339 (out, G_GINT64_CONSTANT (1768448081000000), 0);
    g_assert_cmpstr (out->str, ==, "2026-01-15T03:34:41Z");
    g_string_truncate (out, 0);
    tally_demo_append_rfc3339 (out, G_GINT64_CONSTANT (1768448081000000), -19800);
    g_assert_cmpstr (out->str, ==, "2026-01-14T22:04:41-05:30");
  }
}

static void
test_go_reader (void)
{
  static const struct
  {
    const char *text;
    const char *error;
  } cases[] = {
    { "", "EOF" },
    { "  \n", "EOF" },
    { "{", "unexpected EOF" },
    { "{\"a\":tru", "unexpected EOF" },
    { "x", "invalid character 'x' looking for beginning of value" },
    { "{x", "invalid character 'x' looking for beginning of object key string" },
    { "{\"a\" 1}", "invalid character '1' after object key" },
    { "{\"a\":1 2}", "invalid character '2' after object key:value pair" },
    { "[1,]", "invalid character ']' looking for beginning of value" },
    { "[1 2]", "invalid character '2' after array element" },
    { "[-x]", "invalid character 'x' in numeric literal" },
    { "[1.]", "invalid character ']' after decimal point in numeric literal" },
    { "[1e]", "invalid character ']' in exponent of numeric literal" },
    { "[trux]", "invalid character 'x' in literal true (expecting 'e')" },
    { "[\"\\q\"]", "invalid character 'q' in string escape code" },
    { "[\"a\nb\"]", "invalid character '\\n' in string literal" },
    { "['a']", "invalid character '\\'' looking for beginning of value" },
  };
  g_autofree char *error = NULL;
  g_autoptr (TallyDemoValue) value = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  gint64 v = 0;
  gboolean b = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = NULL;

      g_assert_null (tally_demo_value_parse (cases[i].text, strlen (cases[i].text), &message));
      g_assert_cmpstr (message, ==, cases[i].error);
    }

  /* the first value only, like json.Decoder */
  {
    const char *text = "{\"a\":[1.50,null,true,\"\\u00e9\\ud83d\\ude00<\"]} trailing";

    value = tally_demo_value_parse (text, strlen (text), &error);
  }
  g_assert_null (error);
  g_assert_nonnull (value);
  tally_demo_value_write (value, out);
  g_assert_cmpstr (out->str, ==, "{\"a\":[1.50,null,true,\"é😀\\u003c\"]}");

  g_assert_true (tally_demo_parse_go_int ("+42", 64, &v));
  g_assert_cmpint (v, ==, 42);
  g_assert_true (tally_demo_parse_go_int ("-128", 8, &v));
  g_assert_cmpint (v, ==, -128);
  g_assert_false (tally_demo_parse_go_int ("128", 8, &v));
  g_assert_false (tally_demo_parse_go_int ("9223372036854775808", 64, &v));
  g_assert_true (tally_demo_parse_go_int ("-9223372036854775808", 64, &v));
  g_assert_cmpint (v, ==, G_MININT64);
  g_assert_false (tally_demo_parse_go_int (" 1", 64, &v));
  g_assert_false (tally_demo_parse_go_int ("1.0", 64, &v));
  g_assert_false (tally_demo_parse_go_int ("", 64, &v));
  g_assert_true (tally_demo_parse_go_bool ("T", &b));
  g_assert_true (b);
  g_assert_true (tally_demo_parse_go_bool ("False", &b));
  g_assert_false (b);
  g_assert_false (tally_demo_parse_go_bool ("yes", &b));
  g_assert_false (tally_demo_parse_go_bool ("tRUE", &b));
}

static void
test_data_generation (void)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr (TallyDemoData) data = tally_demo_data_new (42, 90, 100000, NOW, 28800);
  gint64 elapsed = g_get_monotonic_time () - start;
  guint n_rows;
  const TallyDemoRow *rows = tally_demo_data_get_rows (data, &n_rows);
  TallyDemoTotals totals = { 0 };
  TallyDemoFilter filter;
  gint64 cost = 0;

  g_test_message ("generated %u rows in %" G_GINT64_FORMAT " ms", n_rows, elapsed / 1000);
  g_assert_cmpuint (n_rows, >=, 99990);
  g_assert_cmpuint (n_rows, <=, 100000);
  g_assert_cmpint (elapsed, <, 2 * G_USEC_PER_SEC);

  for (guint i = 1; i < n_rows; i++)
    g_assert_cmpint (rows[i - 1].created_us, <=, rows[i].created_us);
  g_assert_cmpint (rows[n_rows - 1].created_us, <, NOW * G_USEC_PER_SEC);
  g_assert_cmpint (tally_demo_local_day (rows[0].created_us, 28800), ==, tally_demo_data_get_today (data) - 89);

  /* aggregate == sum of rows */
  tally_demo_filter_init (&filter, TALLY_DEMO_USER_ID);
  tally_demo_data_aggregate (data, &filter, TALLY_DEMO_GROUP_NONE, 0, 1, &totals);
  for (guint i = 0; i < n_rows; i++)
    {
      TallyDemoCosts costs;

      if (tally_demo_row_user_id (data, &rows[i]) != TALLY_DEMO_USER_ID)
        continue;
      tally_demo_row_costs (data, &rows[i], &costs);
      g_assert_cmpint (costs.total, ==, costs.input + costs.output + costs.cache_creation + costs.cache_read);
      cost += costs.actual;
    }
  g_assert_cmpint (cost, ==, totals.actual_cost);
}

static void
test_login (void)
{
  g_autoptr (TallyDemoServer) server = start_server (SEED);
  g_autofree char *token = login (server);
  g_auto (GStrv) parts = g_strsplit (token, ".", -1);
  g_autoptr (Reply) reply = NULL;
  JsonObject *data;
  const struct
  {
    const char *body;
    const char *message;
  } bad[] = {
    { "", "Invalid request: EOF" },
    { "{\"email\":", "Invalid request: unexpected EOF" },
    { "email=x", "Invalid request: invalid character 'e' looking for beginning of value" },
    { "{\"email\":1,\"password\":\"x\"}",
      "Invalid request: json: cannot unmarshal number into Go struct field LoginRequest.email of type string" },
    { "{}", "Invalid request: Key: 'LoginRequest.Email' Error:Field validation for 'Email' failed on the 'required' tag\n"
            "Key: 'LoginRequest.Password' Error:Field validation for 'Password' failed on the 'required' tag" },
    { "{\"email\":\"nope\",\"password\":\"x\"}",
      "Invalid request: Key: 'LoginRequest.Email' Error:Field validation for 'Email' failed on the 'email' tag" },
  };

  g_assert_cmpuint (g_strv_length (parts), ==, 3);

  reply = get (server, "/api/v1/settings/public", NULL);
  data = data_object (reply);
  g_assert_cmpstr (reply->content_type, ==, "application/json; charset=utf-8");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Access-Control-Allow-Origin"), ==, "*");
  g_assert_nonnull (soup_message_headers_get_one (reply->headers, "Date"));
  g_assert_true (reply->body[reply->len - 1] == '}');
  g_assert_true (g_str_has_prefix (reply->body, "{\"code\":0,\"message\":\"success\",\"data\":{\"registration_enabled\":"));
  g_assert_false (json_object_get_boolean_member (data, "turnstile_enabled"));
  g_assert_cmpstr (json_object_get_string_member (data, "version"), ==, "0.2.25");
  g_assert_cmpstr (json_object_get_string_member (data, "server_timezone"), ==, "Asia/Shanghai");
  g_assert_cmpstr (json_object_get_string_member (data, "server_utc_offset"), ==, "+08:00");
  g_assert_false (json_object_get_boolean_member (data, "tencent_captcha_enabled"));
  g_assert_false (json_object_get_boolean_member (data, "aliyun_captcha_enabled"));
  g_assert_cmpstr (json_object_get_string_member (data, "site_name"), ==, "Tally Demo");
  g_clear_pointer (&reply, reply_free);

  reply = get (server, "/api/v1/auth/me", token);
  data = data_object (reply);
  g_assert_cmpint (json_object_get_int_member (data, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (data, "email"), ==, "demo@example.com");
  g_assert_cmpstr (json_object_get_string_member (data, "username"), ==, "Demo 用户");
  g_assert_cmpfloat (json_object_get_double_member (data, "balance"), ==, 123.45678901);
  g_assert_cmpstr (json_object_get_string_member (data, "notes"), !=, "");
  g_assert_true (json_node_is_null (json_object_get_member (data, "allowed_groups")));
  g_clear_pointer (&reply, reply_free);

  reply = get (server, "/api/v1/user/profile", token);
  data = data_object (reply);
  g_assert_cmpstr (json_object_get_string_member (data, "notes"), ==, "");
  g_clear_pointer (&reply, reply_free);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      reply = post (server, "/api/v1/auth/login", NULL, bad[i].body);
      assert_envelope_error (reply, 400, bad[i].message, NULL);
      g_clear_pointer (&reply, reply_free);
    }

  reply = post (server, "/api/v1/auth/login", NULL, "{\"email\":\"Demo@example.com\",\"password\":\"tally-demo\"}");
  assert_envelope_error (reply, 401, "invalid email or password", "INVALID_CREDENTIALS");
  g_clear_pointer (&reply, reply_free);

  /* Turnstile */
  tally_demo_server_set_turnstile (server, TRUE);
  reply = get (server, "/api/v1/settings/public", NULL);
  g_assert_true (json_object_get_boolean_member (data_object (reply), "turnstile_enabled"));
  g_assert_cmpstr (json_object_get_string_member (data_object (reply), "turnstile_site_key"), !=, "");
  g_clear_pointer (&reply, reply_free);
  reply = post (server, "/api/v1/auth/login", NULL, "{\"email\":\"demo@example.com\",\"password\":\"tally-demo\"}");
  assert_envelope_error (reply, 400, "turnstile verification failed", "TURNSTILE_VERIFICATION_FAILED");
  g_clear_pointer (&reply, reply_free);
  reply = post (server, "/api/v1/auth/login", NULL,
                "{\"email\":\"demo@example.com\",\"password\":\"tally-demo\",\"turnstile_token\":\"demo-turnstile-ok\"}");
  g_assert_nonnull (json_object_get_string_member (data_object (reply), "access_token"));
  g_clear_pointer (&reply, reply_free);
  tally_demo_server_set_turnstile (server, FALSE);

  /* Two-factor (an L feature): the route exists only while enabled */
  reply = post (server, "/api/v1/auth/login/2fa", NULL, "{}");
  g_assert_cmpuint (reply->status, ==, 404);
  g_assert_cmpstr (reply->body, ==, "404 page not found");
  g_clear_pointer (&reply, reply_free);

  tally_demo_server_set_two_factor (server, TRUE);
  reply = post (server, "/api/v1/auth/login", NULL, "{\"email\":\"demo@example.com\",\"password\":\"tally-demo\"}");
  data = data_object (reply);
  g_assert_true (json_object_get_boolean_member (data, "requires_2fa"));
  g_assert_false (json_object_has_member (data, "access_token"));
  g_assert_cmpstr (json_object_get_string_member (data, "user_email_masked"), ==, "d***@example.com");
  {
    g_autofree char *temp = g_strdup (json_object_get_string_member (data, "temp_token"));
    g_autofree char *wrong = g_strdup_printf ("{\"temp_token\":\"%s\",\"totp_code\":\"000000\"}", temp);
    g_autofree char *right = g_strdup_printf ("{\"temp_token\":\"%s\",\"totp_code\":\"123456\"}", temp);
    g_autofree char *short_code = g_strdup_printf ("{\"temp_token\":\"%s\",\"totp_code\":\"123\"}", temp);

    g_clear_pointer (&reply, reply_free);
    reply = post (server, "/api/v1/auth/login/2fa", NULL, short_code);
    assert_envelope_error (reply, 400,
                           "Invalid request: Key: 'Login2FARequest.TotpCode' Error:Field validation for 'TotpCode' failed on the 'len' tag",
                           NULL);
    g_clear_pointer (&reply, reply_free);
    reply = post (server, "/api/v1/auth/login/2fa", NULL, wrong);
    g_assert_cmpuint (reply->status, ==, 400);
    g_clear_pointer (&reply, reply_free);
    reply = post (server, "/api/v1/auth/login/2fa", NULL, right);
    g_assert_nonnull (json_object_get_string_member (data_object (reply), "access_token"));
    g_clear_pointer (&reply, reply_free);
    reply = post (server, "/api/v1/auth/login/2fa", NULL, right);
    assert_envelope_error (reply, 400, "Invalid or expired 2FA session", NULL);
  }
  tally_demo_server_set_two_factor (server, FALSE);

  g_clear_pointer (&reply, reply_free);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_auth_failures (void)
{
  g_autoptr (TallyDemoServer) server = start_server (SEED);
  g_autoptr (TallyDemoServer) other = start_server (SEED);
  g_autofree char *token = login (server);
  g_autofree char *expired = tally_demo_server_issue_token (server, -10);
  g_autofree char *foreign = tally_demo_server_issue_token (other, 3600);
  g_autofree char *bearer_expired = g_strconcat ("Bearer ", expired, NULL);
  g_autofree char *lowercase = g_strconcat ("bearer ", token, NULL);
  g_autofree char *tampered = g_strdup (token);
  Reply *reply;

  tampered[strlen (tampered) - 2] = tampered[strlen (tampered) - 2] == 'A' ? 'B' : 'A';

  reply = request_full (server, "GET", "/api/v1/keys", NULL, NULL);
  assert_code_error (reply, 401, "UNAUTHORIZED", "Authorization header is required");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Access-Control-Allow-Origin"), ==, "*");
  reply_free (reply);

  reply = request_full (server, "GET", "/api/v1/keys", lowercase, NULL);
  assert_code_error (reply, 401, "INVALID_AUTH_HEADER", "Authorization header format must be 'Bearer {token}'");
  reply_free (reply);

  reply = request_full (server, "GET", "/api/v1/keys", bearer_expired, NULL);
  assert_code_error (reply, 401, "TOKEN_EXPIRED", "Token has expired");
  reply_free (reply);

  reply = request_full (server, "GET", "/api/v1/usage", "Bearer sk-68f4188887e3a8d01454b9bf5c07e1f4e9ae473308b87f3efff28e44631607d2", NULL);
  assert_code_error (reply, 401, "INVALID_TOKEN", "Invalid token");
  reply_free (reply);

  reply = get (server, "/api/v1/usage/stats", tampered);
  assert_code_error (reply, 401, "INVALID_TOKEN", "Invalid token");
  reply_free (reply);

  reply = get (server, "/api/v1/auth/me", foreign);
  assert_code_error (reply, 401, "INVALID_TOKEN", "Invalid token");
  reply_free (reply);

  /* the login route itself needs no token */
  reply = get (server, "/api/v1/auth/me", token);
  g_assert_cmpuint (reply->status, ==, 200);
  reply_free (reply);

  g_assert_finalize_object (g_steal_pointer (&other));
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_routing (void)
{
  g_autoptr (TallyDemoServer) server = start_server (SEED);
  g_autofree char *token = login (server);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  Reply *reply;

  reply = get (server, "/api/v1/nope", token);
  g_assert_cmpuint (reply->status, ==, 404);
  g_assert_cmpstr (reply->content_type, ==, "text/plain");
  g_assert_cmpstr (reply->body, ==, "404 page not found");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Access-Control-Allow-Origin"), ==, "*");
  reply_free (reply);

  reply = request_full (server, "DELETE", "/api/v1/keys", auth, NULL);
  g_assert_cmpuint (reply->status, ==, 404);
  g_assert_cmpstr (reply->body, ==, "404 page not found");
  reply_free (reply);

  reply = request_full (server, "HEAD", "/api/v1/keys", auth, NULL);
  g_assert_cmpuint (reply->status, ==, 404);
  reply_free (reply);

  reply = get (server, "/api/v1/keys/?page=2", token);
  g_assert_cmpuint (reply->status, ==, 301);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Location"), ==, "/api/v1/keys?page=2");
  reply_free (reply);

  reply = request_full (server, "OPTIONS", "/api/v1/usage", NULL, NULL);
  g_assert_cmpuint (reply->status, ==, 204);
  g_assert_cmpuint (reply->len, ==, 0);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Access-Control-Allow-Origin"), ==, "*");
  reply_free (reply);

  reply = get (server, "/dashboard", NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_true (g_str_has_prefix (reply->content_type, "text/html"));
  reply_free (reply);

  /* static routes win over /usage/:id; a non-number is a 400 */
  reply = get (server, "/api/v1/usage/dashboard", token);
  assert_envelope_error (reply, 400, "Invalid usage ID", NULL);
  reply_free (reply);

  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/keys"), ==, 2);
  g_assert_cmpuint (tally_demo_server_get_request_count (server, "/api/v1/keys/"), ==, 1);
  g_assert_cmpuint (tally_demo_server_get_request_count (server, NULL), ==, 8);
  tally_demo_server_reset_request_counts (server);
  g_assert_cmpuint (tally_demo_server_get_request_count (server, NULL), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
assert_page (TallyDemoServer *server,
             const char *token,
             const char *path,
             gint64 n_items,
             gint64 total,
             gint64 page,
             gint64 page_size,
             gint64 pages)
{
  g_autoptr (Reply) reply = get (server, path, token);
  JsonObject *data = data_object (reply);

  g_assert_cmpint (json_array_get_length (json_object_get_array_member (data, "items")), ==, n_items);
  g_assert_cmpint (json_object_get_int_member (data, "total"), ==, total);
  g_assert_cmpint (json_object_get_int_member (data, "page"), ==, page);
  g_assert_cmpint (json_object_get_int_member (data, "page_size"), ==, page_size);
  g_assert_cmpint (json_object_get_int_member (data, "pages"), ==, pages);
}

static void
test_keys (void)
{
  g_autoptr (TallyDemoServer) server = start_server (SEED);
  g_autofree char *token = login (server);
  Reply *reply;
  JsonObject *data;
  JsonArray *items;

  reply = get (server, "/api/v1/keys", token);
  data = data_object (reply);
  items = json_object_get_array_member (data, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      JsonObject *key = json_array_get_object_element (items, i);

      g_assert_cmpint (json_object_get_int_member (key, "id"), ==, 6 - i);
      g_assert_cmpint (strlen (json_object_get_string_member (key, "key")), ==, 67);
      g_assert_false (json_object_has_member (key, "user"));
      if (json_object_get_int_member (key, "id") == 4)
        {
          g_assert_true (json_node_is_null (json_object_get_member (key, "group_id")));
          g_assert_false (json_object_has_member (key, "group"));
          g_assert_cmpstr (json_object_get_string_member (key, "status"), ==, "inactive");
        }
      else
        g_assert_true (json_object_has_member (key, "group"));
      if (json_object_get_int_member (key, "id") == 5)
        g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (key, "group"),
                                                          "rate_multiplier"),
                           ==, 1.5);
    }
  g_assert_nonnull (strstr (reply->body, "\"name\":\"CI \\u003cb\\u003e\\u0026amp; bot\""));
  g_assert_nonnull (strstr (reply->body, "\"name\":\"订阅 Claude Max ⚡\""));
  g_assert_nonnull (strstr (reply->body, "\"rate_multiplier\":1,"));
  g_assert_nonnull (strstr (reply->body, "\"daily_limit_usd\":50,"));
  reply_free (reply);

  /* pagination traps */
  assert_page (server, token, "/api/v1/keys?page_size=1001", 6, 6, 1, 20, 1);
  assert_page (server, token, "/api/v1/keys?page_size=1000", 6, 6, 1, 1000, 1);
  assert_page (server, token, "/api/v1/keys?page_size=0", 6, 6, 1, 20, 1);
  assert_page (server, token, "/api/v1/keys?limit=5", 5, 6, 1, 5, 2);
  assert_page (server, token, "/api/v1/keys?limit=5&page_size=", 5, 6, 1, 5, 2);
  assert_page (server, token, "/api/v1/keys?limit=5&page_size=x", 6, 6, 1, 20, 1);
  assert_page (server, token, "/api/v1/keys?limit=5&page_size=4", 4, 6, 1, 4, 2);
  assert_page (server, token, "/api/v1/keys?page=-1&page_size=2", 2, 6, 1, 2, 3);
  assert_page (server, token, "/api/v1/keys?page=%2B2&page_size=2", 2, 6, 1, 2, 3);
  assert_page (server, token, "/api/v1/keys?page=3&page_size=2", 2, 6, 3, 2, 3);
  assert_page (server, token, "/api/v1/keys?page=9&page_size=2", 0, 6, 9, 2, 3);
  assert_page (server, token, "/api/v1/keys?page=99999999999999999999&page_size=2", 0, 6, 7766279631452241919, 2, 3);

  reply = get (server, "/api/v1/keys/5", token);
  data = data_object (reply);
  g_assert_cmpstr (json_object_get_string_member (data, "name"), ==, "gemini-batch");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (data, "user"), "email"), ==,
                   "demo@example.com");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (data, "group"), "name"), ==,
                   "Gemini Pro");
  reply_free (reply);

  reply = get (server, "/api/v1/keys/x", token);
  assert_envelope_error (reply, 400, "Invalid key ID", NULL);
  reply_free (reply);
  reply = get (server, "/api/v1/keys/7", token);
  assert_envelope_error (reply, 404, "api key not found", "API_KEY_NOT_FOUND");
  reply_free (reply);
  reply = get (server, "/api/v1/keys/8", token);
  assert_envelope_error (reply, 404, "api key not found", "API_KEY_NOT_FOUND");
  reply_free (reply);
  reply = get (server, "/api/v1/keys/9", token);
  assert_envelope_error (reply, 403, "Not authorized to access this key", NULL);
  reply_free (reply);

  g_assert_finalize_object (g_steal_pointer (&server));
}

/* Every row of /usage?@query (paged by 7, to cross pages), as
 * "id:model" strings. */
static GPtrArray *
fetch_sorted (TallyDemoServer *server,
              const char *token,
              const char *query)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint page = 1;; page++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/usage?%s&page=%u&page_size=7", query, page);
      Reply *reply = get (server, path, token);
      JsonArray *items = json_object_get_array_member (data_object (reply), "items");
      guint n = json_array_get_length (items);

      for (guint i = 0; i < n; i++)
        {
          JsonObject *row = json_array_get_object_element (items, i);

          g_ptr_array_add (out, g_strdup_printf ("%" G_GINT64_FORMAT ":%s", json_object_get_int_member (row, "id"),
                                                 json_object_get_string_member (row, "model")));
        }
      reply_free (reply);
      if (n < 7)
        return out;
    }
}

static gint64
entry_id (const char *entry)
{
  return g_ascii_strtoll (entry, NULL, 10);
}

/* By model (in the order of *@direction), ties newest first. */
static int
compare_by_model_then_newest (gconstpointer a,
                              gconstpointer b,
                              gpointer direction)
{
  const char *ea = *(const char *const *) a;
  const char *eb = *(const char *const *) b;
  int order = strcmp (strchr (ea, ':'), strchr (eb, ':')) * *(const int *) direction;

  if (order != 0)
    return order;
  return entry_id (ea) < entry_id (eb) ? 1 : -1;
}

static char *
join_entries (GPtrArray *entries)
{
  g_ptr_array_add (entries, NULL);
  g_ptr_array_set_size (entries, entries->len - 1);
  return g_strjoinv (" ", (char **) entries->pdata);
}

/* sort_by/sort_order on today's server (created_at, model, else id; asc,
 * else desc; ties of a model newest first); S ignores them. */
static void
test_usage_sort (gconstpointer data)
{
  TallyDemoGeneration generation = GPOINTER_TO_INT (data);
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyDemoServer) server = tally_demo_server_new ();
  g_autofree char *token = NULL;
  const char *filter = "start_date=2025-12-30&end_date=2025-12-31&api_key_id=1";
  g_autoptr (GPtrArray) newest = NULL;
  g_autoptr (GPtrArray) expected = NULL;
  g_autofree char *newest_text = NULL;

  g_object_set (server, "seed", SEED, "days", DAYS, "rows", ROWS, "now", NOW, "generation", generation, NULL);
  g_assert_true (tally_demo_server_start (server, &error));
  token = login (server);

  newest = fetch_sorted (server, token, filter);
  g_assert_cmpuint (newest->len, >, 20);
  newest_text = join_entries (newest);

  for (guint i = 0; i < 6; i++)
    {
      static const struct
      {
        const char *sort;
        const char *current; /* how today's server orders */
      } cases[] = {
        { "sort_by=created_at&sort_order=asc", "reversed" },
        { "sort_by=created_at&sort_order=desc", "newest" },
        { "sort_by=id&sort_order=asc", "reversed" },
        { "sort_by=bogus&sort_order=asc", "reversed" },
        { "sort_by=model&sort_order=asc", "model-asc" },
        { "sort_by=model&sort_order=sideways", "model-desc" },
      };
      g_autofree char *query = g_strconcat (filter, "&", cases[i].sort, NULL);
      g_autoptr (GPtrArray) got = fetch_sorted (server, token, query);
      g_autofree char *got_text = join_entries (got);
      const char *order = generation == TALLY_DEMO_GENERATION_2025 ? "newest" : cases[i].current;
      g_autofree char *expected_text = NULL;

      g_clear_pointer (&expected, g_ptr_array_unref);
      expected = g_ptr_array_new_with_free_func (g_free);
      for (guint j = 0; j < newest->len; j++)
        g_ptr_array_add (expected, g_strdup (g_ptr_array_index (newest, g_str_equal (order, "reversed") ? newest->len - 1 - j : j)));
      if (g_str_has_prefix (order, "model-"))
        {
          int direction = g_str_equal (order, "model-asc") ? 1 : -1;

          g_ptr_array_sort_with_data (expected, compare_by_model_then_newest, &direction);
        }
      expected_text = join_entries (expected);

      g_test_message ("%s: %s", cases[i].sort, order);
      g_assert_cmpstr (got_text, ==, expected_text);
    }

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_usage_list (void)
{
  g_autoptr (TallyDemoServer) server = start_server (SEED);
  g_autofree char *token = login (server);
  g_autoptr (GRegex) time_regex = g_regex_new ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?\\+08:00$", 0, 0, NULL);
  const struct
  {
    const char *query;
    guint status;
    const char *message;
  } bad[] = {
    { "api_key_id=x&stream=maybe", 400, "Invalid api_key_id" },
    { "api_key_id=9", 403, "Not authorized to access this API key's usage records" },
    { "stream=yes&billing_type=x", 400, "Invalid stream value, use true or false" },
    { "billing_type=128&start_date=x", 400, "Invalid billing_type" },
    { "start_date=2026-1-05&end_date=x", 400, "Invalid start_date format, use YYYY-MM-DD" },
    { "end_date=2026-02-29", 400, "Invalid end_date format, use YYYY-MM-DD" },
  };
  Reply *reply;
  JsonObject *data;
  JsonArray *items;
  gint64 previous_id = G_MAXINT64;
  gboolean saw_deleted = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_strconcat ("/api/v1/usage?", bad[i].query, NULL);

      reply = get (server, path, token);
      assert_envelope_error (reply, bad[i].status, bad[i].message, NULL);
      reply_free (reply);
    }
  reply = get (server, "/api/v1/usage?api_key_id=7", token);
  assert_envelope_error (reply, 404, "api key not found", "API_KEY_NOT_FOUND");
  reply_free (reply);

  /* newest first, nested objects, the deleted key without api_key */
  reply = get (server, "/api/v1/usage?page_size=100&start_date=2025-12-20&end_date=2025-12-31", token);
  data = data_object (reply);
  items = json_object_get_array_member (data, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 100);
  g_assert_cmpint (json_object_get_int_member (data, "page_size"), ==, 100);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *row = json_array_get_object_element (items, i);
      gint64 id = json_object_get_int_member (row, "id");
      gint64 key_id = json_object_get_int_member (row, "api_key_id");
      const char *created = json_object_get_string_member (row, "created_at");

      g_assert_cmpint (id, <, previous_id);
      previous_id = id;
      g_assert_true (g_regex_match (time_regex, created, 0, NULL));
      g_assert_true (g_str_has_prefix (created, "2025-12-31") || strcmp (created, "2025-12-31") < 0);
      g_assert_cmpint (json_object_get_int_member (row, "user_id"), ==, 1);
      g_assert_true (json_object_has_member (row, "user"));
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                                                          json_object_get_object_member (row, "account"), "credentials"),
                                                      "access_token"),
                       ==,
                       "demo-upstream-secret");
      g_assert_cmpint (json_object_get_int_member (row, "billing_type"), ==, key_id == 2 ? 1 : 0);
      g_assert_cmpint (json_object_has_member (row, "api_key"), ==, key_id != 7);
      g_assert_cmpint (json_object_has_member (row, "group"), ==, key_id != 4);
      if (json_object_has_member (row, "api_key"))
        g_assert_false (json_object_has_member (json_object_get_object_member (row, "api_key"), "group"));
      if (key_id == 7)
        saw_deleted = TRUE;
      if (!json_object_get_boolean_member (row, "stream"))
        g_assert_true (json_node_is_null (json_object_get_member (row, "first_token_ms")));
    }
  g_assert_true (saw_deleted);
  reply_free (reply);

  /* filters */
  reply = get (server, "/api/v1/usage?billing_type=1&stream=T&model=claude-opus-4-1&page_size=50", token);
  data = data_object (reply);
  items = json_object_get_array_member (data, "items");
  g_assert_cmpuint (json_array_get_length (items), >, 0);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *row = json_array_get_object_element (items, i);

      g_assert_cmpint (json_object_get_int_member (row, "api_key_id"), ==, 2);
      g_assert_cmpint (json_object_get_int_member (row, "subscription_id"), ==, 1);
      g_assert_true (json_object_get_boolean_member (row, "stream"));
      g_assert_cmpstr (json_object_get_string_member (row, "model"), ==, "claude-opus-4-1");
    }
  reply_free (reply);

  assert_page (server, token, "/api/v1/usage?billing_type=-3", 0, 0, 1, 20, 1);
  assert_page (server, token, "/api/v1/usage?model=Claude-Opus-4-1", 0, 0, 1, 20, 1);
  assert_page (server, token, "/api/v1/usage?start_date=2026-01-10&end_date=2026-01-09", 0, 0, 1, 20, 1);

  /* a single row: no nested objects */
  reply = get (server, "/api/v1/usage/100", token);
  data = data_object (reply);
  if (json_object_get_int_member (data, "user_id") == 1)
    {
      g_assert_cmpint (json_object_get_int_member (data, "id"), ==, 100);
      g_assert_false (json_object_has_member (data, "user"));
      g_assert_false (json_object_has_member (data, "account"));
      g_assert_false (json_object_has_member (data, "group"));
      g_assert_false (json_object_has_member (data, "api_key"));
    }
  reply_free (reply);
  reply = get (server, "/api/v1/usage/0", token);
  assert_envelope_error (reply, 404, "usage log not found", "USAGE_LOG_NOT_FOUND");
  reply_free (reply);
  reply = get (server, "/api/v1/usage/1x", token);
  assert_envelope_error (reply, 400, "Invalid usage ID", NULL);
  reply_free (reply);

  /* another user's row */
  {
    g_autoptr (TallyDemoData) data_copy = tally_demo_data_new (SEED, DAYS, ROWS, NOW, 28800);
    guint n_rows;
    const TallyDemoRow *rows = tally_demo_data_get_rows (data_copy, &n_rows);

    for (guint i = 0; i < n_rows; i++)
      if (tally_demo_row_user_id (data_copy, &rows[i]) == TALLY_DEMO_OTHER_USER_ID)
        {
          g_autofree char *path = g_strdup_printf ("/api/v1/usage/%u", i + 1);

          reply = get (server, path, token);
          assert_envelope_error (reply, 403, "Not authorized to access this record", NULL);
          reply_free (reply);
          break;
        }
  }

  g_assert_finalize_object (g_steal_pointer (&server));
}

typedef struct
{
  gint64 requests;
  gint64 input, output, cache;
  double cost, actual, duration;
} Sums;

/* pages through /usage?@query with page_size 100; rows of @only_key (0 = all) */
static void
sum_usage (TallyDemoServer *server,
           const char *token,
           const char *query,
           gint64 only_key,
           Sums *sums)
{
  memset (sums, 0, sizeof *sums);
  for (gint64 page = 1;; page++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/usage?%s%spage=%" G_GINT64_FORMAT "&page_size=100",
                                               query, *query ? "&" : "", page);
      g_autoptr (Reply) reply = get (server, path, token);
      JsonObject *data = data_object (reply);
      JsonArray *items = json_object_get_array_member (data, "items");

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *row = json_array_get_object_element (items, i);
          JsonNode *duration = json_object_get_member (row, "duration_ms");

          if (only_key != 0 && json_object_get_int_member (row, "api_key_id") != only_key)
            continue;
          sums->requests++;
          sums->input += json_object_get_int_member (row, "input_tokens");
          sums->output += json_object_get_int_member (row, "output_tokens");
          sums->cache += json_object_get_int_member (row, "cache_creation_tokens") + json_object_get_int_member (row, "cache_read_tokens");
          sums->cost += json_object_get_double_member (row, "total_cost");
          sums->actual += json_object_get_double_member (row, "actual_cost");
          if (!json_node_is_null (duration))
            sums->duration += json_node_get_int (duration);
        }
      if (page >= json_object_get_int_member (data, "pages"))
        break;
    }
}

/* /usage/stats of a December 2025 server (API.md §3.5) */
static void
test_stats (void)
{
  g_autoptr (TallyDemoServer) server = start_server_of (SEED, TALLY_DEMO_GENERATION_2025);
  g_autofree char *token = login (server);
  Reply *reply;
  JsonObject *data;
  Sums sums;
  g_autofree char *today_body = NULL;

  sum_usage (server, token, "api_key_id=3&start_date=2026-01-01&end_date=2026-01-15", 0, &sums);
  g_assert_cmpint (sums.requests, >, 100);

  reply = get (server, "/api/v1/usage/stats?api_key_id=3&start_date=2026-01-01&end_date=2026-01-15", token);
  data = data_object (reply);
  g_assert_cmpuint (json_object_get_size (data), ==, 8);
  g_assert_cmpint (json_object_get_int_member (data, "total_requests"), ==, sums.requests);
  g_assert_cmpint (json_object_get_int_member (data, "total_input_tokens"), ==, sums.input);
  g_assert_cmpint (json_object_get_int_member (data, "total_output_tokens"), ==, sums.output);
  g_assert_cmpint (json_object_get_int_member (data, "total_cache_tokens"), ==, sums.cache);
  g_assert_cmpint (json_object_get_int_member (data, "total_tokens"), ==, sums.input + sums.output + sums.cache);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (data, "total_cost"), sums.cost, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (data, "total_actual_cost"), sums.actual, 1e-9);
  /* NULL durations count as 0 */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (data, "average_duration_ms"),
                                  sums.duration / sums.requests, 1e-6);
  reply_free (reply);

  /* one date alone falls back to period=today; "year" is today too */
  reply = get (server, "/api/v1/usage/stats", token);
  data_object (reply);
  today_body = g_strdup (reply->body);
  reply_free (reply);
  reply = get (server, "/api/v1/usage/stats?start_date=2025-12-01", token);
  g_assert_cmpstr (reply->body, ==, today_body);
  reply_free (reply);
  reply = get (server, "/api/v1/usage/stats?period=year", token);
  g_assert_cmpstr (reply->body, ==, today_body);
  reply_free (reply);

  sum_usage (server, token, "start_date=" TODAY, 0, &sums);
  reply = get (server, "/api/v1/usage/stats?period=today", token);
  g_assert_cmpint (json_object_get_int_member (data_object (reply), "total_requests"), ==, sums.requests);
  reply_free (reply);

  /* week is a rolling 7 × 24 h window ending now */
  reply = get (server, "/api/v1/usage/stats?period=week", token);
  {
    gint64 week = json_object_get_int_member (data_object (reply), "total_requests");
    Sums eight_days, seven_days;

    sum_usage (server, token, "start_date=2026-01-08", 0, &eight_days);
    sum_usage (server, token, "start_date=2026-01-09", 0, &seven_days);
    g_assert_cmpint (week, <, eight_days.requests);
    g_assert_cmpint (week, >, seven_days.requests);
  }
  reply_free (reply);

  reply = get (server, "/api/v1/usage/stats?api_key_id=7", token);
  assert_envelope_error (reply, 404, "API key not found", NULL);
  reply_free (reply);
  reply = get (server, "/api/v1/usage/stats?api_key_id=9", token);
  assert_envelope_error (reply, 403, "Not authorized to access this API key's statistics", NULL);
  reply_free (reply);
  reply = get (server, "/api/v1/usage/stats?start_date=2026-01-01&end_date=2026-13-01", token);
  assert_envelope_error (reply, 400, "Invalid end_date format, use YYYY-MM-DD", NULL);
  reply_free (reply);

  g_assert_finalize_object (g_steal_pointer (&server));
}

/* The answer of /usage/stats?@params against the sums of the rows of
 * /usage?@list_params, exactly. */
static void
assert_stats_of_rows (TallyDemoServer *server,
                      const char *token,
                      const char *params,
                      const char *list_params)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/usage/stats?%s", params);
  g_autoptr (Reply) reply = get (server, path, token);
  JsonObject *data = data_object (reply);
  TallyTestRowSums sums;

  tally_test_sum_rows (shared_session, tally_demo_server_get_url (server), token, list_params, &sums);
  g_assert_cmpint (json_object_get_int_member (data, "total_requests"), ==, sums.requests);
  g_assert_cmpint (json_object_get_int_member (data, "total_input_tokens"), ==, sums.input_tokens);
  g_assert_cmpint (json_object_get_int_member (data, "total_output_tokens"), ==, sums.output_tokens);
  g_assert_cmpint (json_object_get_int_member (data, "total_cache_tokens"), ==, sums.cache_creation_tokens + sums.cache_read_tokens);
  g_assert_cmpfloat (json_object_get_double_member (data, "total_cost"), ==, (double) sums.cost / 1e10);
  g_assert_cmpfloat (json_object_get_double_member (data, "total_actual_cost"), ==, (double) sums.actual_cost / 1e10);
  g_assert_cmpfloat (json_object_get_double_member (data, "average_duration_ms"), ==, tally_test_row_sums_average_duration (&sums));
}

/* Today's servers take the list's filters on /usage/stats, and either date
 * alone; a December 2025 server takes the key and both dates only. */
static void
test_stats_filters (gconstpointer data)
{
  TallyDemoGeneration generation = GPOINTER_TO_UINT (data);
  g_autoptr (TallyDemoServer) server = start_server_of (SEED, generation);
  g_autofree char *token = login (server);
  static const char *const filters[] = {
    "model=claude-sonnet-4-5-20250929",
    "stream=true",
    "stream=0",
    "billing_type=0",
    "billing_type=1",
    "billing_type=5",
    "model=no-such-model",
    "api_key_id=3&model=claude-sonnet-4-5-20250929&stream=false&billing_type=0",
  };
  static const char *const bad[][2] = {
    { "/api/v1/usage/stats?stream=maybe", "Invalid stream value, use true or false" },
    { "/api/v1/usage/stats?billing_type=300", "Invalid billing_type" },
  };
  Reply *reply;

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      g_autofree char *params = g_strdup_printf ("%s&start_date=2026-01-09&end_date=" TODAY, filters[i]);
      g_autofree char *key_only = g_strdup_printf ("%sstart_date=2026-01-09&end_date=" TODAY,
                                                   g_str_has_prefix (filters[i], "api_key_id=3") ? "api_key_id=3&" : "");

      if (generation == TALLY_DEMO_GENERATION_CURRENT)
        assert_stats_of_rows (server, token, params, params);
      else
        assert_stats_of_rows (server, token, params, key_only);
    }

  if (generation == TALLY_DEMO_GENERATION_CURRENT)
    {
      /* either date alone; neither: midnight 7 days ago … midnight tomorrow */
      assert_stats_of_rows (server, token, "start_date=2026-01-12&stream=true", "start_date=2026-01-12&stream=true");
      assert_stats_of_rows (server, token, "end_date=2025-12-31", "end_date=2025-12-31");
      assert_stats_of_rows (server, token, "", "start_date=2026-01-08");
      assert_stats_of_rows (server, token, "period=today&billing_type=1", "start_date=" TODAY "&billing_type=1");
    }
  else
    {
      assert_stats_of_rows (server, token, "start_date=2026-01-12&stream=true", "start_date=" TODAY);
      assert_stats_of_rows (server, token, "", "start_date=" TODAY);
    }

  /* a bad value is the list's 400 on today's servers, ignored by the old one */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      reply = get (server, bad[i][0], token);
      if (generation == TALLY_DEMO_GENERATION_CURRENT)
        assert_envelope_error (reply, 400, bad[i][1], NULL);
      else
        data_object (reply);
      reply_free (reply);
    }

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_dashboard (void)
{
  g_autoptr (TallyDemoServer) server = start_server (SEED);
  g_autofree char *token = login (server);
  Reply *reply;
  JsonObject *data, *stats;
  JsonArray *trend;
  double total_actual, today_actual;
  double batch_total = 0, batch_today = 0;
  Sums deleted;
  g_autoptr (GRegex) hour_regex = g_regex_new ("^\\d{4}-\\d\\d-\\d\\d \\d\\d:00$", 0, 0, NULL);
  const char *p1, *p2, *p4, *p6;

  g_assert_cmpstr (tally_demo_server_get_today (server), ==, TODAY);

  reply = get (server, "/api/v1/usage/dashboard/stats", token);
  data = data_object (reply);
  g_assert_cmpuint (json_object_get_size (data), ==, 21);
  g_assert_cmpint (json_object_get_int_member (data, "total_api_keys"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (data, "active_api_keys"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (data, "total_tokens"), ==,
                   json_object_get_int_member (data, "total_input_tokens") + json_object_get_int_member (data, "total_output_tokens") + json_object_get_int_member (data, "total_cache_creation_tokens") + json_object_get_int_member (data, "total_cache_read_tokens"));
  total_actual = json_object_get_double_member (data, "total_actual_cost");
  today_actual = json_object_get_double_member (data, "today_actual_cost");
  g_assert_cmpint (json_object_get_int_member (data, "today_requests"), >, 0);
  reply_free (reply);

  /* batch: string-sorted keys, deleted / foreign / unknown ids dropped */
  reply = post (server, "/api/v1/usage/dashboard/api-keys-usage", token, "{\"api_key_ids\":[6,1,4,2,7,9,10,1,3,5]}");
  data = data_object (reply);
  stats = json_object_get_object_member (data, "stats");
  g_assert_cmpuint (json_object_get_size (stats), ==, 6);
  p1 = strstr (reply->body, "\"1\":{");
  p2 = strstr (reply->body, "\"2\":{");
  p4 = strstr (reply->body, "\"4\":{");
  p6 = strstr (reply->body, "\"6\":{");
  g_assert_true (p1 != NULL && p1 < p2 && p2 < p4 && p4 < p6);
  g_assert_null (strstr (reply->body, "\"7\":"));
  g_assert_null (strstr (reply->body, "\"9\":"));
  for (guint id = 1; id <= 6; id++)
    {
      g_autofree char *name = g_strdup_printf ("%u", id);
      JsonObject *entry = json_object_get_object_member (stats, name);

      g_assert_cmpint (json_object_get_int_member (entry, "api_key_id"), ==, id);
      batch_total += json_object_get_double_member (entry, "total_actual_cost");
      batch_today += json_object_get_double_member (entry, "today_actual_cost");
    }
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (stats, "4"), "today_actual_cost"), ==, 0);
  reply_free (reply);

  /* dashboard total - Σ batch = the deleted key's usage */
  sum_usage (server, token, "", 7, &deleted);
  g_assert_cmpint (deleted.requests, >, 0);
  g_assert_cmpfloat (total_actual, >=, batch_total);
  g_assert_cmpfloat_with_epsilon (total_actual - batch_total, deleted.actual, 1e-6);
  g_assert_cmpfloat_with_epsilon (today_actual, batch_today, 1e-9);

  reply = post (server, "/api/v1/usage/dashboard/api-keys-usage", token, "{\"api_key_ids\":[]}");
  g_assert_true (g_str_has_suffix (reply->body, "\"data\":{\"stats\":{}}}"));
  reply_free (reply);
  {
    GString *many = g_string_new ("{\"api_key_ids\":[1");

    for (guint i = 0; i < 100; i++)
      g_string_append (many, ",1");
    g_string_append (many, "]}");
    reply = post (server, "/api/v1/usage/dashboard/api-keys-usage", token, many->str);
    assert_envelope_error (reply, 400, "Too many API key IDs (maximum 100 allowed)", NULL);
    reply_free (reply);
    g_string_free (many, TRUE);
  }
  reply = post (server, "/api/v1/usage/dashboard/api-keys-usage", token, "{\"api_key_ids\":[1,1.5]}");
  assert_envelope_error (reply, 400, "Invalid request: json: cannot unmarshal number 1.5 into Go struct field BatchApiKeysUsageRequest.api_key_ids of type int64", NULL);
  reply_free (reply);
  reply = post (server, "/api/v1/usage/dashboard/api-keys-usage", token, "{\"api_key_ids\":null}");
  assert_envelope_error (reply, 400, "Invalid request: Key: 'BatchApiKeysUsageRequest.ApiKeyIDs' Error:Field validation for 'ApiKeyIDs' failed on the 'required' tag", NULL);
  reply_free (reply);

  /* trend: default range is 8 days ending today; keys sorted */
  reply = get (server, "/api/v1/usage/dashboard/trend", token);
  data = data_object (reply);
  g_assert_true (strstr (reply->body, "\"data\":{\"end_date\":\"" TODAY "\",\"granularity\":\"day\",\"start_date\":\"2026-01-08\",\"trend\":[") != NULL);
  trend = json_object_get_array_member (data, "trend");
  g_assert_cmpuint (json_array_get_length (trend), <=, 8);
  g_assert_cmpuint (json_array_get_length (trend), >=, 7);
  {
    gint64 requests = 0;
    Sums range;

    for (guint i = 0; i < json_array_get_length (trend); i++)
      requests += json_object_get_int_member (json_array_get_object_element (trend, i), "requests");
    sum_usage (server, token, "start_date=2026-01-08&end_date=" TODAY, 0, &range);
    g_assert_cmpint (requests, ==, range.requests);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (trend, json_array_get_length (trend) - 1), "date"), ==, TODAY);
  }
  reply_free (reply);

  reply = get (server, "/api/v1/usage/dashboard/trend?granularity=hour&start_date=" TODAY "&end_date=" TODAY, token);
  data = data_object (reply);
  trend = json_object_get_array_member (data, "trend");
  g_assert_cmpuint (json_array_get_length (trend), >, 3);
  g_assert_cmpuint (json_array_get_length (trend), <=, 12); /* now is 12:00 */
  for (guint i = 0; i < json_array_get_length (trend); i++)
    {
      const char *label = json_object_get_string_member (json_array_get_object_element (trend, i), "date");

      g_assert_true (g_regex_match (hour_regex, label, 0, NULL));
      g_assert_true (g_str_has_prefix (label, TODAY " "));
    }
  reply_free (reply);

  reply = get (server, "/api/v1/usage/dashboard/trend?granularity=week&start_date=garbage&end_date=2026-02-30", token);
  data = data_object (reply);
  g_assert_cmpstr (json_object_get_string_member (data, "granularity"), ==, "week");
  g_assert_cmpstr (json_object_get_string_member (data, "start_date"), ==, "2026-01-08");
  g_assert_cmpstr (json_object_get_string_member (data, "end_date"), ==, TODAY);
  reply_free (reply);
  reply = get (server, "/api/v1/usage/dashboard/trend?granularity=", token);
  g_assert_cmpstr (json_object_get_string_member (data_object (reply), "granularity"), ==, "");
  reply_free (reply);

  /* models: sorted by total_tokens, keys sorted */
  reply = get (server, "/api/v1/usage/dashboard/models?start_date=2025-12-20", token);
  data = data_object (reply);
  g_assert_true (strstr (reply->body, "\"data\":{\"end_date\":\"" TODAY "\",\"models\":[") != NULL);
  g_assert_true (g_str_has_suffix (reply->body, "],\"start_date\":\"2025-12-20\"}}"));
  {
    JsonArray *models = json_object_get_array_member (data, "models");
    gint64 previous = G_MAXINT64;

    g_assert_cmpuint (json_array_get_length (models), ==, 8);
    for (guint i = 0; i < json_array_get_length (models); i++)
      {
        gint64 tokens = json_object_get_int_member (json_array_get_object_element (models, i), "total_tokens");

        g_assert_cmpint (tokens, <=, previous);
        previous = tokens;
      }
  }
  reply_free (reply);

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_float_bodies (void)
{
  g_autoptr (TallyDemoServer) server = start_server (SEED);
  g_autofree char *token = login (server);
  g_autoptr (GRegex) trailing_zero = g_regex_new ("\":-?[0-9]+\\.[0-9]*0[,}\\]]|\":-?[0-9.]+e[-+]0", 0, 0, NULL);
  gboolean saw_exponent = FALSE;

  for (gint64 page = 1, pages = 1; page <= pages; page++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/usage?page=%" G_GINT64_FORMAT "&page_size=100", page);
      g_autoptr (Reply) reply = get (server, path, token);

      pages = json_object_get_int_member (data_object (reply), "pages");
      {
        g_autoptr (GMatchInfo) info = NULL;

        if (g_regex_match (trailing_zero, reply->body, 0, &info))
          g_error ("bad number near: %.40s", strstr (reply->body, g_match_info_fetch (info, 0)) - 20);
      }
      g_assert_nonnull (strstr (reply->body, "\"cache_creation_cost\":0,"));
      if (strstr (reply->body, "e-7,") != NULL || strstr (reply->body, "e-8,") != NULL)
        saw_exponent = TRUE;
    }
  g_assert_true (saw_exponent);

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_determinism (void)
{
  g_autoptr (TallyDemoServer) a = start_server (SEED);
  g_autoptr (TallyDemoServer) b = start_server (SEED);
  g_autoptr (TallyDemoServer) c = start_server (SEED + 1);
  g_autofree char *token_a = login (a);
  g_autofree char *token_b = login (b);
  g_autofree char *token_c = login (c);
  const char *paths[] = {
    "/api/v1/usage?page=3&page_size=50",
    "/api/v1/keys",
    "/api/v1/usage/dashboard/stats",
    "/api/v1/usage/dashboard/trend?granularity=hour",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr (Reply) ra = get (a, paths[i], token_a);
      g_autoptr (Reply) rb = get (b, paths[i], token_b);
      g_autoptr (Reply) rc = get (c, paths[i], token_c);

      g_assert_cmpuint (ra->status, ==, 200);
      g_assert_cmpstr (ra->body, ==, rb->body);
      g_assert_cmpstr (ra->body, !=, rc->body);
    }

  g_assert_finalize_object (g_steal_pointer (&c));
  g_assert_finalize_object (g_steal_pointer (&b));
  g_assert_finalize_object (g_steal_pointer (&a));
}

static void
test_faults (void)
{
  g_autoptr (TallyDemoServer) server = start_server (SEED);
  g_autofree char *token = login (server);
  Reply *reply;

  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_HTML_502);
  reply = get (server, "/api/v1/usage/dashboard/stats", token);
  g_assert_cmpuint (reply->status, ==, 502);
  g_assert_true (g_str_has_prefix (reply->content_type, "text/html"));
  g_assert_nonnull (strstr (reply->body, "502 Bad Gateway"));
  reply_free (reply);
  /* login, me and public settings are exempt */
  reply = get (server, "/api/v1/settings/public", NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  reply_free (reply);
  reply = get (server, "/api/v1/auth/me", token);
  g_assert_cmpuint (reply->status, ==, 200);
  reply_free (reply);

  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_SPA_HTML);
  reply = get (server, "/api/v1/keys", token);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_true (g_str_has_prefix (reply->content_type, "text/html"));
  reply_free (reply);

  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_TRUNCATED_JSON);
  reply = get (server, "/api/v1/usage/dashboard/stats", token);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (reply->content_type, ==, "application/json; charset=utf-8");
  g_assert_null (reply->json);
  g_assert_true (g_str_has_prefix (reply->body, "{\"code\":0,"));
  reply_free (reply);

  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_WRONG_TYPES);
  reply = get (server, "/api/v1/usage/dashboard/stats", token);
  g_assert_cmpuint (JSON_NODE_VALUE, ==, json_node_get_node_type (json_object_get_member (data_object (reply), "total_requests")));
  g_assert_cmpuint (G_TYPE_STRING, ==, json_node_get_value_type (json_object_get_member (data_object (reply), "total_requests")));
  g_assert_cmpuint (G_TYPE_STRING, ==, json_node_get_value_type (json_object_get_member (data_object (reply), "total_cost")));
  reply_free (reply);

  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_NULL_ARRAYS);
  reply = get (server, "/api/v1/usage?page_size=5", token);
  g_assert_true (json_node_is_null (json_object_get_member (data_object (reply), "items")));
  g_assert_cmpint (json_object_get_int_member (data_object (reply), "page_size"), ==, 5);
  reply_free (reply);
  reply = get (server, "/api/v1/usage/dashboard/trend", token);
  g_assert_true (json_node_is_null (json_object_get_member (data_object (reply), "trend")));
  reply_free (reply);
  reply = post (server, "/api/v1/usage/dashboard/api-keys-usage", token, "{\"api_key_ids\":[1]}");
  g_assert_true (json_node_is_null (json_object_get_member (data_object (reply), "stats")));
  reply_free (reply);

  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_SERVER_ERROR);
  reply = get (server, "/api/v1/keys", token);
  assert_envelope_error (reply, 500, "internal error", NULL);
  reply_free (reply);

  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_TOKEN_EXPIRED);
  reply = get (server, "/api/v1/keys", token);
  assert_code_error (reply, 401, "TOKEN_EXPIRED", "Token has expired");
  reply_free (reply);

  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_RATE_LIMITED);
  reply = get (server, "/api/v1/usage", token);
  assert_code_error (reply, 429, "RATE_LIMITED", "Too many requests, please slow down and try again later");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Retry-After"), ==, "7");
  reply_free (reply);

  /* RESET: no answer at all */
  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_RESET);
  {
    g_autoptr (SoupSession) session = soup_session_new ();
    g_autofree char *url = g_strconcat (tally_demo_server_get_url (server), "/api/v1/keys", NULL);
    g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
    g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GBytes) bytes = NULL;
    g_autoptr (GError) error = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, tally_test_store_result_cb, &result);
    result = tally_test_wait_result (&result);
    bytes = soup_session_send_and_read_finish (session, result, &error);
    g_assert_null (bytes);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
  }

  /* STALL: nothing within a second; cancelling and stopping leaves no timer behind */
  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_STALL);
  {
    g_autoptr (SoupSession) session = soup_session_new ();
    g_autofree char *url = g_strconcat (tally_demo_server_get_url (server), "/api/v1/keys", NULL);
    g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
    g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GBytes) bytes = NULL;
    g_autoptr (GError) error = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, cancellable, tally_test_store_result_cb, &result);
    tally_test_spin (1000);
    g_assert_null (result);
    g_cancellable_cancel (cancellable);
    result = tally_test_wait_result (&result);
    bytes = soup_session_send_and_read_finish (session, result, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }

  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_NONE);
  reply = get (server, "/api/v1/keys", token);
  g_assert_cmpuint (reply->status, ==, 200);
  reply_free (reply);

  tally_demo_server_stop (server);
  tally_demo_server_stop (server);
  g_assert_null (tally_demo_server_get_url (server));
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_delay (void)
{
  g_autoptr (TallyDemoServer) server = start_server (SEED);
  g_autofree char *token = login (server);
  gint64 start;
  Reply *reply;

  tally_demo_server_set_delay (server, 300);
  start = g_get_monotonic_time ();
  reply = get (server, "/api/v1/usage/dashboard/stats", token);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  reply_free (reply);

  /* the client gives up during the delay; the timer fires later on a dead connection */
  {
    g_autoptr (SoupSession) session = soup_session_new ();
    g_autofree char *url = g_strconcat (tally_demo_server_get_url (server), "/api/v1/usage", NULL);
    g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GBytes) bytes = NULL;
    g_autoptr (GError) error = NULL;

    soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, cancellable, tally_test_store_result_cb, &result);
    tally_test_spin (100);
    g_cancellable_cancel (cancellable);
    result = tally_test_wait_result (&result);
    bytes = soup_session_send_and_read_finish (session, result, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
  tally_test_spin (400);
  reply = get (server, "/api/v1/keys", token);
  g_assert_cmpuint (reply->status, ==, 200);
  reply_free (reply);

  /* a delayed answer still pending when the server goes away */
  {
    g_autoptr (SoupSession) session = soup_session_new ();
    g_autofree char *url = g_strconcat (tally_demo_server_get_url (server), "/api/v1/keys", NULL);
    g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GBytes) bytes = NULL;
    g_autoptr (GError) error = NULL;

    soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, tally_test_store_result_cb, &result);
    while (tally_demo_server_get_request_count (server, "/api/v1/keys") == 0)
      g_main_context_iteration (NULL, TRUE);
    tally_demo_server_stop (server);
    result = tally_test_wait_result (&result);
    bytes = soup_session_send_and_read_finish (session, result, &error);
    g_assert_null (bytes);
    g_assert_nonnull (error);
  }
  tally_test_spin (400);

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_empty_utc (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyDemoServer) server = tally_demo_server_new ();
  g_autofree char *token = NULL;
  Reply *reply;
  JsonObject *data;

  /* no rows at all, a UTC server */
  g_object_set (server, "rows", 0, "utc-offset", 0, "now", NOW, NULL);
  g_assert_true (tally_demo_server_start (server, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tally_demo_server_get_today (server), ==, TODAY);
  token = login (server);

  assert_page (server, token, "/api/v1/usage", 0, 0, 1, 20, 1);
  reply = get (server, "/api/v1/usage/dashboard/trend?granularity=hour", token);
  g_assert_true (g_str_has_suffix (reply->body, "\"trend\":[]}}"));
  reply_free (reply);
  reply = get (server, "/api/v1/usage/dashboard/models", token);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (data_object (reply), "models")), ==, 0);
  reply_free (reply);
  reply = get (server, "/api/v1/usage/stats?period=month", token);
  g_assert_nonnull (strstr (reply->body, "\"total_cost\":0,\"total_actual_cost\":0,\"average_duration_ms\":0}"));
  reply_free (reply);
  reply = get (server, "/api/v1/auth/me", token);
  data = data_object (reply);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (data, "created_at"), "Z"));
  reply_free (reply);

  g_assert_finalize_object (g_steal_pointer (&server));
}

/* 2026-11-02T12:00:00-05:00: the day after New York's fall-back day */
#define NY_NOW G_GINT64_CONSTANT (1793638800)
#define NY_FALL_START_US (G_GINT64_CONSTANT (1793505600) * G_USEC_PER_SEC) /* 2026-11-01 00:00 EDT */
#define NY_FALL_END_US (G_GINT64_CONSTANT (1793595600) * G_USEC_PER_SEC)   /* 2026-11-02 00:00 EST */

static guint
count_rows (TallyDemoData *data,
            gint64 lo_us,
            gint64 hi_us)
{
  guint n_rows, n = 0;
  const TallyDemoRow *rows = tally_demo_data_get_rows (data, &n_rows);

  for (guint i = 0; i < n_rows; i++)
    if (rows[i].created_us >= lo_us && rows[i].created_us < hi_us && tally_demo_row_user_id (data, &rows[i]) == TALLY_DEMO_USER_ID)
      n++;
  return n;
}

static void
test_zone_new_york (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyDemoServer) server = tally_demo_server_new ();
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("America/New_York");
  g_autoptr (TallyDemoData) data = NULL;
  g_autofree char *token = NULL;
  Reply *reply;
  JsonObject *object;
  JsonArray *trend;
  guint hour_1 = 0, day_total = 0;
  gint64 sum = 0;

  g_assert_nonnull (tz);
  g_object_set (server, "seed", SEED, "days", 4, "rows", 4000, "now", NY_NOW, "timezone", "America/New_York", NULL);
  g_assert_true (tally_demo_server_start (server, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tally_demo_server_get_today (server), ==, "2026-11-02");
  token = login (server);

  reply = get (server, "/api/v1/settings/public", NULL);
  object = data_object (reply);
  g_assert_cmpstr (json_object_get_string_member (object, "server_timezone"), ==, "America/New_York");
  g_assert_cmpstr (json_object_get_string_member (object, "server_utc_offset"), ==, "-05:00");
  reply_free (reply);

  /* the account is from June (EDT), today's rows from November (EST) */
  reply = get (server, "/api/v1/auth/me", token);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (data_object (reply), "created_at"), "-04:00"));
  reply_free (reply);
  reply = get (server, "/api/v1/usage?page_size=1", token);
  object = json_array_get_object_element (json_object_get_array_member (data_object (reply), "items"), 0);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "created_at"), "2026-11-02T"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "created_at"), "-05:00"));
  reply_free (reply);

  /* the same data, counted here: the fall-back day has 25 hours */
  data = tally_demo_data_new_in_zone (SEED, 4, 4000, NY_NOW, tz, 28800);
  g_assert_cmpint (tally_demo_data_get_utc_offset (data), ==, -18000);
  g_assert_cmpint (tally_demo_data_day_start_us (data, tally_demo_data_get_today (data) - 1), ==, NY_FALL_START_US);
  g_assert_cmpint (tally_demo_data_day_start_us (data, tally_demo_data_get_today (data)), ==, NY_FALL_END_US);
  day_total = count_rows (data, NY_FALL_START_US, NY_FALL_END_US);
  /* 01:00 EDT and 01:00 EST */
  hour_1 = count_rows (data, NY_FALL_START_US + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC, NY_FALL_START_US + 3 * G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  g_assert_cmpuint (day_total, >, 0);
  g_assert_cmpuint (hour_1, >, 0);
  /* both 01:00 hours have rows, so a bucket of one hour would be short */
  g_assert_cmpuint (count_rows (data, NY_FALL_START_US + 2 * G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC, NY_FALL_START_US + 3 * G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC), >, 0);

  reply = get (server, "/api/v1/usage/dashboard/trend?granularity=hour&start_date=2026-11-01&end_date=2026-11-01", token);
  trend = json_object_get_array_member (data_object (reply), "trend");
  g_assert_cmpuint (json_array_get_length (trend), <=, 24);
  for (guint i = 0; i < json_array_get_length (trend); i++)
    {
      JsonObject *point = json_array_get_object_element (trend, i);
      const char *label = json_object_get_string_member (point, "date");
      g_assert_true (g_str_has_prefix (label, "2026-11-01 "));
      if (g_str_equal (label, "2026-11-01 01:00"))
        g_assert_cmpint (json_object_get_int_member (point, "requests"), ==, hour_1);
      sum += json_object_get_int_member (point, "requests");
    }
  g_assert_cmpint (sum, ==, day_total);
  reply_free (reply);

  reply = get (server, "/api/v1/usage/dashboard/trend?start_date=2026-11-01&end_date=2026-11-01", token);
  trend = json_object_get_array_member (data_object (reply), "trend");
  g_assert_cmpuint (json_array_get_length (trend), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (trend, 0), "requests"), ==, day_total);
  reply_free (reply);

  reply = get (server, "/api/v1/usage/stats?start_date=2026-11-01&end_date=2026-11-01", token);
  g_assert_cmpint (json_object_get_int_member (data_object (reply), "total_requests"), ==, day_total);
  reply_free (reply);

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_zone_near_midnight (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyDemoServer) server = tally_demo_server_new ();
  g_autofree char *token = NULL;
  Reply *reply;
  JsonObject *object;

  /* 2026-12-10T04:30:00Z = 23:30 EST on the 9th */
  g_object_set (server, "seed", SEED, "days", 3, "rows", 300, "now", G_GINT64_CONSTANT (1796877000),
                "timezone", "America/New_York", NULL);
  g_assert_true (tally_demo_server_start (server, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tally_demo_server_get_today (server), ==, "2026-12-09");
  token = login (server);
  reply = get (server, "/api/v1/usage/dashboard/trend", token);
  object = data_object (reply);
  g_assert_cmpstr (json_object_get_string_member (object, "end_date"), ==, "2026-12-09");
  reply_free (reply);
  g_assert_finalize_object (g_steal_pointer (&server));

  /* an unknown zone is an error at start */
  server = tally_demo_server_new ();
  g_object_set (server, "timezone", "Mars/Olympus_Mons", NULL);
  g_assert_false (tally_demo_server_start (server, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_settings_2025 (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyDemoServer) server = tally_demo_server_new ();
  Reply *reply;
  JsonObject *object;

  g_object_set (server, "rows", 10, "now", NOW, "timezone", "America/New_York",
                "generation", TALLY_DEMO_GENERATION_2025, NULL);
  tally_demo_server_set_captcha (server, "tencent");
  g_assert_true (tally_demo_server_start (server, &error));
  reply = get (server, "/api/v1/settings/public", NULL);
  object = data_object (reply);
  g_assert_cmpstr (json_object_get_string_member (object, "version"), ==, "0.1.1");
  g_assert_false (json_object_has_member (object, "server_timezone"));
  g_assert_false (json_object_has_member (object, "server_utc_offset"));
  g_assert_false (json_object_has_member (object, "tencent_captcha_enabled"));
  reply_free (reply);
  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_captcha (void)
{
  const char *kinds[] = { "tencent", "aliyun" };
  const char *codes[] = { "TENCENT_CAPTCHA_VERIFICATION_FAILED", "ALIYUN_CAPTCHA_VERIFICATION_FAILED" };
  const char *messages[] = { "tencent captcha verification failed", "aliyun captcha verification failed" };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TallyDemoServer) server = tally_demo_server_new ();
      g_autofree char *body = NULL;
      g_autofree char *good = NULL;
      Reply *reply;
      JsonObject *object;

      g_object_set (server, "rows", 10, "now", NOW, NULL);
      tally_demo_server_set_captcha (server, kinds[i]);
      g_assert_true (tally_demo_server_start (server, &error));

      reply = get (server, "/api/v1/settings/public", NULL);
      object = data_object (reply);
      g_assert_cmpint (json_object_get_boolean_member (object, "tencent_captcha_enabled"), ==, i == 0);
      g_assert_cmpint (json_object_get_boolean_member (object, "aliyun_captcha_enabled"), ==, i == 1);
      reply_free (reply);

      body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}",
                              tally_demo_server_get_email (server), tally_demo_server_get_password (server));
      reply = post (server, "/api/v1/auth/login", NULL, body);
      assert_envelope_error (reply, 400, messages[i], codes[i]);
      reply_free (reply);

      good = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\",\"captcha_token\":\"demo-captcha-ok\"}",
                              tally_demo_server_get_email (server), tally_demo_server_get_password (server));
      reply = post (server, "/api/v1/auth/login", NULL, good);
      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_nonnull (json_object_get_string_member (data_object (reply), "access_token"));
      reply_free (reply);

      tally_demo_server_set_captcha (server, NULL);
      reply = post (server, "/api/v1/auth/login", NULL, body);
      g_assert_cmpuint (reply->status, ==, 200);
      reply_free (reply);
      g_assert_finalize_object (g_steal_pointer (&server));
    }
}

/* ------------------------------------------------------------------------ */
/* Subscriptions and quotas (API-2026.md §5)                                */

static void
assert_window (JsonObject *progress,
               const char *name,
               double limit,
               double used,
               double remaining,
               double percentage,
               const char *window_start,
               const char *resets_at,
               gint64 resets_in_seconds)
{
  JsonObject *window = json_object_get_object_member (progress, name);

  g_assert_nonnull (window);
  g_assert_cmpuint (json_object_get_size (window), ==, 7);
  g_assert_cmpfloat (json_object_get_double_member (window, "limit_usd"), ==, limit);
  g_assert_cmpfloat (json_object_get_double_member (window, "used_usd"), ==, used);
  g_assert_cmpfloat (json_object_get_double_member (window, "remaining_usd"), ==, remaining);
  g_assert_cmpfloat (json_object_get_double_member (window, "percentage"), ==, percentage);
  g_assert_cmpstr (json_object_get_string_member (window, "window_start"), ==, window_start);
  g_assert_cmpstr (json_object_get_string_member (window, "resets_at"), ==, resets_at);
  g_assert_cmpint (json_object_get_int_member (window, "resets_in_seconds"), ==, resets_in_seconds);
}

static void
test_subscriptions (gconstpointer data)
{
  TallyDemoGeneration generation = GPOINTER_TO_UINT (data);
  g_autoptr (TallyDemoServer) server = start_server_of (SEED, generation);
  g_autofree char *token = login (server);
  const char *lists[] = { "/api/v1/subscriptions", "/api/v1/subscriptions/active" };
  Reply *reply;
  JsonArray *items;
  JsonObject *item, *sub, *progress;

  /* the same handler since December 2025: the same answer in both generations */
  reply = get (server, "/api/v1/subscriptions/progress", token);
  g_assert_cmpuint (reply->status, ==, 200);
  items = json_object_get_array_member (root (reply), "data");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);

  item = json_array_get_object_element (items, 0);
  sub = json_object_get_object_member (item, "subscription");
  progress = json_object_get_object_member (item, "progress");
  g_assert_cmpint (json_object_get_int_member (sub, "id"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (sub, "group_id"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (sub, "group"), "name"), ==, "Claude Max 订阅");
  g_assert_cmpint (json_object_get_int_member (progress, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (progress, "group_name"), ==, "Claude Max 订阅");
  g_assert_cmpstr (json_object_get_string_member (progress, "expires_at"), ==, "2026-01-21T00:00:00+08:00");
  g_assert_cmpint (json_object_get_int_member (progress, "expires_in_days"), ==, 5);
  /* used up: remaining 0, percentage 100 */
  assert_window (progress, "daily", 50, 50, 0, 100, "2026-01-15T00:00:00+08:00", "2026-01-16T00:00:00+08:00", 12 * 3600);
  assert_window (progress, "weekly", 300, 255, 45, 85, "2026-01-13T00:00:00+08:00", "2026-01-20T00:00:00+08:00", 108 * 3600);
  /* 30 days, rolling: not the calendar month */
  assert_window (progress, "monthly", 1000, 400, 600, 40, "2026-01-04T00:00:00+08:00", "2026-02-03T00:00:00+08:00", 444 * 3600);

  item = json_array_get_object_element (items, 1);
  sub = json_object_get_object_member (item, "subscription");
  progress = json_object_get_object_member (item, "progress");
  g_assert_cmpint (json_object_get_int_member (progress, "id"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (progress, "group_name"), ==, "GPT Plus 订阅");
  g_assert_cmpint (json_object_get_int_member (progress, "expires_in_days"), ==, 40);
  /* no daily or weekly limit, windows not started: absent, not null */
  g_assert_false (json_object_has_member (progress, "daily"));
  g_assert_false (json_object_has_member (progress, "weekly"));
  g_assert_cmpuint (json_object_get_size (progress), ==, 5);
  assert_window (progress, "monthly", 100, 20, 80, 20, "2026-01-09T00:00:00+08:00", "2026-02-08T00:00:00+08:00", 564 * 3600);
  g_assert_true (json_node_is_null (json_object_get_member (sub, "daily_window_start")));
  g_assert_true (json_node_is_null (json_object_get_member (sub, "weekly_window_start")));
  g_assert_cmpfloat (json_object_get_double_member (sub, "monthly_usage_usd"), ==, 20);
  reply_free (reply);

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      reply = get (server, lists[i], token);
      g_assert_cmpuint (reply->status, ==, 200);
      items = json_object_get_array_member (root (reply), "data");
      g_assert_cmpuint (json_array_get_length (items), ==, 2);
      sub = json_array_get_object_element (items, 0);
      g_assert_cmpint (json_object_get_int_member (sub, "user_id"), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (sub, "status"), ==, "active");
      g_assert_cmpstr (json_object_get_string_member (sub, "starts_at"), ==, "2025-12-21T00:00:00+08:00");
      g_assert_cmpstr (json_object_get_string_member (sub, "expires_at"), ==, "2026-01-21T00:00:00+08:00");
      g_assert_cmpstr (json_object_get_string_member (sub, "daily_window_start"), ==, "2026-01-15T00:00:00+08:00");
      g_assert_cmpfloat (json_object_get_double_member (sub, "daily_usage_usd"), ==, 50);
      g_assert_cmpfloat (json_object_get_double_member (sub, "weekly_usage_usd"), ==, 255);
      g_assert_cmpfloat (json_object_get_double_member (sub, "monthly_usage_usd"), ==, 400);
      g_assert_false (json_object_has_member (sub, "revoked_at"));
      reply_free (reply);
    }

  /* per-platform quotas: today's servers only */
  reply = get (server, "/api/v1/user/platform-quotas", token);
  if (generation == TALLY_DEMO_GENERATION_2025)
    {
      g_assert_cmpuint (reply->status, ==, 404);
      g_assert_cmpstr (reply->body, ==, "404 page not found");
    }
  else
    {
      JsonObject *quota;

      items = json_object_get_array_member (data_object (reply), "platform_quotas");
      g_assert_cmpuint (json_array_get_length (items), ==, 2);
      quota = json_array_get_object_element (items, 0);
      g_assert_cmpstr (json_object_get_string_member (quota, "platform"), ==, "anthropic");
      g_assert_cmpfloat (json_object_get_double_member (quota, "daily_limit_usd"), ==, 20);
      g_assert_cmpfloat (json_object_get_double_member (quota, "daily_usage_usd"), >, 0);
      g_assert_cmpstr (json_object_get_string_member (quota, "daily_window_resets_at"), ==, "2026-01-16T00:00:00+08:00");
      g_assert_true (json_node_is_null (json_object_get_member (quota, "weekly_limit_usd")));
      g_assert_true (json_node_is_null (json_object_get_member (quota, "weekly_window_resets_at")));
      /* 2026-01-15 is a Thursday; the month ends on the 31st */
      g_assert_cmpstr (json_object_get_string_member (quota, "monthly_window_resets_at"), ==, "2026-02-01T00:00:00+08:00");
      g_assert_cmpfloat (json_object_get_double_member (quota, "monthly_usage_usd"), >=,
                         json_object_get_double_member (quota, "daily_usage_usd"));
      quota = json_array_get_object_element (items, 1);
      g_assert_cmpstr (json_object_get_string_member (quota, "platform"), ==, "openai");
      g_assert_cmpstr (json_object_get_string_member (quota, "weekly_window_resets_at"), ==, "2026-01-19T00:00:00+08:00");
      g_assert_true (json_node_is_null (json_object_get_member (quota, "daily_limit_usd")));
    }
  reply_free (reply);

  g_assert_finalize_object (g_steal_pointer (&server));
}

static JsonObject *
find_key (JsonArray *keys,
          gint64 id)
{
  for (guint i = 0; i < json_array_get_length (keys); i++)
    if (json_object_get_int_member (json_array_get_object_element (keys, i), "id") == id)
      return json_array_get_object_element (keys, i);
  g_assert_not_reached ();
  return NULL;
}

static void
test_key_quotas (gconstpointer data)
{
  TallyDemoGeneration generation = GPOINTER_TO_UINT (data);
  g_autoptr (TallyDemoServer) server = start_server_of (SEED, generation);
  g_autofree char *token = login (server);
  g_autoptr (Reply) reply = get (server, "/api/v1/keys?page_size=100", token);
  JsonArray *keys = json_object_get_array_member (data_object (reply), "items");
  JsonObject *key;
  const char *members[] = { "quota", "quota_used", "expires_at", "rate_limit_5h", "usage_5h", "window_5h_start" };

  if (generation == TALLY_DEMO_GENERATION_2025)
    {
      for (guint i = 0; i < json_array_get_length (keys); i++)
        for (guint j = 0; j < G_N_ELEMENTS (members); j++)
          g_assert_false (json_object_has_member (json_array_get_object_element (keys, i), members[j]));
      g_assert_finalize_object (g_steal_pointer (&server));
      return;
    }

  /* "default": about 90 % of a quota in whole dollars, what it billed in total */
  key = find_key (keys, 1);
  {
    double quota = json_object_get_double_member (key, "quota");
    double used = json_object_get_double_member (key, "quota_used");
    g_autoptr (Reply) usage = post (server, "/api/v1/usage/dashboard/api-keys-usage", token, "{\"api_key_ids\":[1]}");
    JsonObject *stats = json_object_get_object_member (json_object_get_object_member (data_object (usage), "stats"), "1");

    g_assert_cmpfloat (fmod (quota, 1), ==, 0);
    g_assert_cmpfloat (used / quota, >=, 0.8);
    g_assert_cmpfloat (used / quota, <, 1.0);
    g_assert_cmpfloat_with_epsilon (used, json_object_get_double_member (stats, "total_actual_cost"), 1e-6);
  }
  g_assert_cmpstr (json_object_get_string_member (key, "status"), ==, "active");
  g_assert_true (json_node_is_null (json_object_get_member (key, "expires_at")));
  g_assert_cmpfloat (json_object_get_double_member (key, "rate_limit_5h"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (key, "rate_limit_1d"), ==, 5);
  g_assert_cmpfloat (json_object_get_double_member (key, "rate_limit_7d"), ==, 30);
  g_assert_cmpfloat (json_object_get_double_member (key, "usage_5h"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (key, "usage_1d"), >, 0);
  g_assert_cmpfloat (json_object_get_double_member (key, "usage_7d"), >=, json_object_get_double_member (key, "usage_1d"));
  g_assert_true (json_node_is_null (json_object_get_member (key, "window_5h_start")));
  g_assert_false (json_object_has_member (key, "reset_5h_at"));
  {
    g_autoptr (GDateTime) start = g_date_time_new_from_iso8601 (json_object_get_string_member (key, "window_1d_start"), NULL);
    g_autoptr (GDateTime) reset = g_date_time_new_from_iso8601 (json_object_get_string_member (key, "reset_1d_at"), NULL);

    /* the window began with the key's first request of the last day */
    g_assert_cmpint (g_date_time_difference (reset, start), ==, G_TIME_SPAN_DAY);
    g_assert_cmpint (g_date_time_to_unix (start), >=, NOW - 86400);
    g_assert_cmpint (g_date_time_to_unix (start), <=, NOW);
  }

  /* the CI key expires in 2 days and 6 hours */
  key = find_key (keys, 3);
  g_assert_cmpstr (json_object_get_string_member (key, "expires_at"), ==, "2026-01-17T18:00:00+08:00");
  g_assert_cmpfloat (json_object_get_double_member (key, "quota"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (key, "quota_used"), ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      const char *windows[] = { "5h", "1d", "7d" };
      g_autofree char *start = g_strdup_printf ("window_%s_start", windows[i]);
      g_autofree char *reset = g_strdup_printf ("reset_%s_at", windows[i]);

      g_assert_true (json_node_is_null (json_object_get_member (key, start)));
      g_assert_false (json_object_has_member (key, reset));
    }

  /* the nested key of a usage row has none of it */
  {
    g_autoptr (Reply) rows = get (server, "/api/v1/usage?page_size=1", token);
    JsonObject *row = json_array_get_object_element (json_object_get_array_member (data_object (rows), "items"), 0);

    g_assert_false (json_object_has_member (json_object_get_object_member (row, "api_key"), "quota"));
  }

  g_assert_finalize_object (g_steal_pointer (&server));
}

int
main (int argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo-server/float-format", test_float_format);
  g_test_add_func ("/demo-server/go-reader", test_go_reader);
  g_test_add_func ("/demo-server/data-generation", test_data_generation);
  g_test_add_func ("/demo-server/login", test_login);
  g_test_add_func ("/demo-server/auth-failures", test_auth_failures);
  g_test_add_func ("/demo-server/routing", test_routing);
  g_test_add_func ("/demo-server/keys", test_keys);
  g_test_add_func ("/demo-server/usage-list", test_usage_list);
  g_test_add_data_func ("/demo-server/usage-sort", GINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT), test_usage_sort);
  g_test_add_data_func ("/demo-server/usage-sort-2025", GINT_TO_POINTER (TALLY_DEMO_GENERATION_2025), test_usage_sort);
  g_test_add_func ("/demo-server/stats", test_stats);
  g_test_add_data_func ("/demo-server/stats-filters", GUINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT), test_stats_filters);
  g_test_add_data_func ("/demo-server/stats-filters-2025", GUINT_TO_POINTER (TALLY_DEMO_GENERATION_2025), test_stats_filters);
  g_test_add_func ("/demo-server/dashboard", test_dashboard);
  g_test_add_func ("/demo-server/float-bodies", test_float_bodies);
  g_test_add_func ("/demo-server/determinism", test_determinism);
  g_test_add_func ("/demo-server/faults", test_faults);
  g_test_add_func ("/demo-server/delay", test_delay);
  g_test_add_func ("/demo-server/empty-utc", test_empty_utc);
  g_test_add_func ("/demo-server/zone/new-york", test_zone_new_york);
  g_test_add_func ("/demo-server/zone/near-midnight", test_zone_near_midnight);
  g_test_add_func ("/demo-server/zone/settings-2025", test_settings_2025);
  g_test_add_func ("/demo-server/captcha", test_captcha);
  g_test_add_data_func ("/demo-server/subscriptions", GUINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT), test_subscriptions);
  g_test_add_data_func ("/demo-server/subscriptions-2025", GUINT_TO_POINTER (TALLY_DEMO_GENERATION_2025), test_subscriptions);
  g_test_add_data_func ("/demo-server/key-quotas", GUINT_TO_POINTER (TALLY_DEMO_GENERATION_CURRENT), test_key_quotas);
  g_test_add_data_func ("/demo-server/key-quotas-2025", GUINT_TO_POINTER (TALLY_DEMO_GENERATION_2025), test_key_quotas);

  shared_session = soup_session_new ();
  ret = g_test_run ();
  g_assert_finalize_object (shared_session);
  return ret;
}

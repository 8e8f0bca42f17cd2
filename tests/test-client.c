/* test-client.c: every TallyClient endpoint against the demo server, values
 * compared field by field with the raw JSON of the same request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tally-api-key.h"
#include "tally-auth-result.h"
#include "tally-client.h"
#include "tally-dashboard-stats.h"
#include "tally-demo-server.h"
#include "tally-error.h"
#include "tally-key-usage.h"
#include "tally-model-breakdown.h"
#include "tally-page.h"
#include "tally-public-settings.h"
#include "tally-soup-listen-private.h"
#include "tally-test-demo.h"
#include "tally-test-utils.h"
#include "tally-trend.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-usage-stats.h"
#include "tally-user.h"

#define DEMO_ROWS 3000

/* One demo server for the whole program (generating the data takes time);
 * every test resets the knobs it turned. */
static TallyTestDemo demo;

/* ------------------------------------------------------------------------ */
/* Raw access: a plain SoupSession and json-glib, no Tally code             */

static GBytes *
raw_request (const char *method,
             const char *path_and_query,
             const char *json_body,
             guint *status)
{
  g_autofree char *url = g_strconcat (tally_demo_server_get_url (demo.server), "/api/v1", path_and_query, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autofree char *auth = g_strconcat ("Bearer ", demo.token, NULL);
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GError) error = NULL;
  GBytes *body;

  g_assert_nonnull (msg);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (json_body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (json_body, strlen (json_body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  soup_session_send_and_read_async (demo.soup, msg, G_PRIORITY_DEFAULT, NULL,
                                    tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  body = soup_session_send_and_read_finish (demo.soup, result, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);

  return body;
}

/* The envelope's data of a 200 answer. */
static JsonNode *
raw_data (const char *method,
          const char *path_and_query,
          const char *json_body)
{
  guint status = 0;
  g_autoptr (GBytes) body = raw_request (method, path_and_query, json_body, &status);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *root;

  g_assert_cmpuint (status, ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "code"), ==, 0);

  return json_node_copy (json_object_get_member (root, "data"));
}

static JsonNode *
raw_get (const char *path_and_query)
{
  return raw_data ("GET", path_and_query, NULL);
}

/* ------------------------------------------------------------------------ */
/* Field-by-field comparison through the models' read-only properties       */

static guint assert_object_matches (GObject *object,
                                    JsonNode *node);

static guint
assert_list_matches (GListModel *list,
                     JsonNode *node)
{
  JsonArray *array;
  guint n = 0;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
      return 1;
    }

  array = json_node_get_array (node);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, json_array_get_length (array));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (list, i);

      n += assert_object_matches (item, json_array_get_element (array, i));
    }

  return n + 1;
}

/* Compares every JSON member for which the object has a property of the same
 * name ('_' → '-'). Returns how many values were compared. */
static guint
assert_object_matches (GObject *object,
                       JsonNode *node)
{
  JsonObject *json;
  g_autoptr (GList) members = NULL;
  guint n_compared = 0;

  g_assert_true (G_IS_OBJECT (object));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  json = json_node_get_object (node);
  members = json_object_get_members (json);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *prop = g_strdelimit (g_strdup (name), "_", '-');
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), prop);
      JsonNode *member = json_object_get_member (json, name);
      gboolean is_null = JSON_NODE_HOLDS_NULL (member);
      g_auto (GValue) value = G_VALUE_INIT;
      GType type;

      if (pspec == NULL)
        continue;

      type = pspec->value_type;
      g_value_init (&value, type);
      g_object_get_property (object, prop, &value);

      if (type == G_TYPE_INT64)
        {
          if (is_null)
            g_assert_cmpint (g_value_get_int64 (&value), ==, -1);
          else
            g_assert_cmpint (g_value_get_int64 (&value), ==, json_node_get_int (member));
        }
      else if (type == G_TYPE_DOUBLE)
        {
          if (is_null)
            g_assert_true (isnan (g_value_get_double (&value)));
          else
            g_assert_cmpfloat_with_epsilon (g_value_get_double (&value), json_node_get_double (member), 1e-12);
        }
      else if (type == G_TYPE_BOOLEAN)
        g_assert_cmpint (g_value_get_boolean (&value), ==, json_node_get_boolean (member));
      else if (type == G_TYPE_STRING)
        {
          if (is_null)
            g_assert_true (g_value_get_string (&value) == NULL || g_value_get_string (&value)[0] == '\0');
          else
            g_assert_cmpstr (g_value_get_string (&value), ==, json_node_get_string (member));
        }
      else if (type == G_TYPE_DATE_TIME)
        {
          GDateTime *have = g_value_get_boxed (&value);

          if (is_null)
            g_assert_null (have);
          else
            {
              g_autoptr (GDateTime) want = g_date_time_new_from_iso8601 (json_node_get_string (member), NULL);

              g_assert_nonnull (have);
              g_assert_nonnull (want);
              g_assert_true (g_date_time_equal (have, want));
              g_assert_cmpint (g_date_time_get_utc_offset (have), ==, g_date_time_get_utc_offset (want));
            }
        }
      else if (g_type_is_a (type, G_TYPE_LIST_MODEL))
        n_compared += assert_list_matches (g_value_get_object (&value), member);
      else if (g_type_is_a (type, G_TYPE_OBJECT))
        {
          if (is_null)
            g_assert_null (g_value_get_object (&value));
          else
            n_compared += assert_object_matches (g_value_get_object (&value), member);
        }
      else
        continue;

      n_compared++;
    }

  return n_compared;
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */

static TallyClient *
new_client (gboolean with_token)
{
  g_autoptr (GError) error = NULL;
  TallyClient *client = tally_client_new (tally_demo_server_get_url (demo.server), &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  if (with_token)
    tally_client_set_token (client, demo.token);

  return client;
}

static void
reset_server (void)
{
  tally_demo_server_set_fault (demo.server, TALLY_DEMO_FAULT_NONE);
  tally_demo_server_set_delay (demo.server, 0);
  tally_demo_server_set_turnstile (demo.server, FALSE);
  tally_demo_server_set_two_factor (demo.server, FALSE);
  tally_demo_server_reset_request_counts (demo.server);
}

#define WAIT(slot) tally_test_wait_result (&(slot))

/* ------------------------------------------------------------------------ */
/* Tests without a server                                                   */

static void
test_base_url (void)
{
  static const struct
  {
    const char *in;
    const char *out;
    gboolean insecure;
  } good[] = {
    { "https://api.example.com", "https://api.example.com", FALSE },
    { "https://api.example.com/", "https://api.example.com", FALSE },
    { "  https://api.example.com/api/v1/ ", "https://api.example.com", FALSE },
    { "https://api.example.com/api/v1", "https://api.example.com", FALSE },
    { "HTTPS://api.example.com:8443/sub/api/v1", "https://api.example.com:8443/sub", FALSE },
    { "http://api.example.com", "http://api.example.com", TRUE },
    { "http://127.0.0.1:8080/api/v1", "http://127.0.0.1:8080", FALSE },
    { "http://localhost:8080", "http://localhost:8080", FALSE },
    { "http://[::1]:8080/", "http://[::1]:8080", FALSE },
    { "http://10.0.0.5", "http://10.0.0.5", TRUE },
    { "https://api.example.com/?x=1#frag", "https://api.example.com", FALSE },
  };
  static const char *bad[] = {
    "",
    "api.example.com",
    "ftp://api.example.com",
    "https://",
    "not a url",
    "file:///etc/passwd",
    "https://user:secret@api.example.com",
    "javascript:alert(1)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TallyClient) client = tally_client_new (good[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (tally_client_get_base_url (client), ==, good[i].out);
      g_assert_cmpint (tally_client_is_insecure (client), ==, good[i].insecure);
      g_assert_null (tally_client_get_token (client));
      g_assert_cmpint (tally_client_get_clock_skew (client), ==, 0);
      g_assert_finalize_object (g_steal_pointer (&client));
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      TallyClient *client = tally_client_new (bad[i], &error);

      g_assert_null (client);
      g_assert_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT);
      g_assert_null (strstr (error->message, "secret"));
    }
}

static char *
make_jwt (const char *payload)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *) payload, strlen (payload));
  gsize len = strlen (b64);

  /* base64url without padding */
  while (len > 0 && b64[len - 1] == '=')
    b64[--len] = '\0';
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');

  return g_strconcat ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", b64, ".c2ln", NULL);
}

static void
test_token_expiry (void)
{
  static const char *sample = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX2lkIjoxLCJlbWFpbCI6ImFsaWNlQGV4YW1wbGUuY29tIiwicm9sZSI6InVzZXIiLCJleHAiOjE3Njg1MzYwMDAsIm5iZiI6MTc2ODQ0OTYwMCwiaWF0IjoxNzY4NDQ5NjAwfQ.sig";
  g_autofree char *unicode = make_jwt ("{\"email\":\"王?>>\",\"exp\":1768536001}");
  g_autofree char *no_exp = make_jwt ("{\"user_id\":1}");
  g_autofree char *string_exp = make_jwt ("{\"exp\":\"1768536000\"}");
  g_autofree char *float_exp = make_jwt ("{\"exp\":1.5}");
  g_autofree char *array = make_jwt ("[1,2]");
  g_autofree char *not_json = make_jwt ("exp=5");

  g_assert_cmpint (tally_token_get_expiry (sample), ==, 1768536000);
  g_assert_cmpint (tally_token_get_expiry (unicode), ==, 1768536001);
  g_assert_cmpint (tally_token_get_expiry (no_exp), ==, 0);
  g_assert_cmpint (tally_token_get_expiry (string_exp), ==, 0);
  g_assert_cmpint (tally_token_get_expiry (float_exp), ==, 0);
  g_assert_cmpint (tally_token_get_expiry (array), ==, 0);
  g_assert_cmpint (tally_token_get_expiry (not_json), ==, 0);
  g_assert_cmpint (tally_token_get_expiry (NULL), ==, 0);
  g_assert_cmpint (tally_token_get_expiry (""), ==, 0);
  g_assert_cmpint (tally_token_get_expiry ("sk-68f4188887e3a8d01454b9bf5c07e1f4"), ==, 0);
  g_assert_cmpint (tally_token_get_expiry ("a.b"), ==, 0);
  g_assert_cmpint (tally_token_get_expiry ("a.!!!!.c"), ==, 0);
  g_assert_cmpint (tally_token_get_expiry ("a..c"), ==, 0);
  g_assert_cmpint (tally_token_get_expiry ("a.\xff\xfe.c"), ==, 0);

  /* Hostile payloads from a server: deep nesting within the length limit
   * (json-glib recurses per level), and an oversized token. */
  {
    g_autofree char *nested = g_strnfill (9000, '[');
    g_autofree char *encoded = g_base64_encode ((const guchar *) nested, strlen (nested));
    g_autofree char *deep = g_strconcat ("eyJhbGciOiJIUzI1NiJ9.", encoded, ".sig", NULL);
    g_autofree char *huge_payload = g_strnfill (300000, 'A');
    g_autofree char *huge = g_strconcat ("eyJhbGciOiJIUzI1NiJ9.", huge_payload, ".sig", NULL);

    g_assert_cmpuint (strlen (deep), <, 16384);
    g_assert_cmpint (tally_token_get_expiry (deep), ==, 0);
    g_assert_cmpint (tally_token_get_expiry (huge), ==, 0);
  }
}

/* ------------------------------------------------------------------------ */
/* Endpoints                                                                */

static void
test_public_settings (void)
{
  g_autoptr (TallyClient) client = new_client (FALSE);
  g_autoptr (TallyPublicSettings) settings = NULL;
  g_autoptr (JsonNode) raw = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  tally_demo_server_set_turnstile (demo.server, TRUE);
  tally_client_get_public_settings_async (client, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  settings = tally_client_get_public_settings_finish (client, result, &error);
  g_assert_no_error (error);

  raw = raw_get ("/settings/public");
  g_assert_cmpuint (assert_object_matches (G_OBJECT (settings), raw), >=, 6);
  g_assert_true (tally_public_settings_get_turnstile_enabled (settings));

  g_clear_object (&result);
  reset_server ();
  g_assert_finalize_object (g_steal_pointer (&settings));
  g_assert_finalize_object (g_steal_pointer (&client));
}

static TallyAuthResult *
login (TallyClient *client,
       const char *email,
       const char *password,
       GError **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  tally_client_login_async (client, email, password, NULL, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);

  return tally_client_login_finish (client, result, error);
}

static TallyUser *
get_me (TallyClient *client,
        GError **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  tally_client_get_me_async (client, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);

  return tally_client_get_me_finish (client, result, error);
}

static void
test_login (void)
{
  g_autoptr (TallyClient) client = new_client (FALSE);
  g_autoptr (TallyAuthResult) auth = NULL;
  g_autoptr (TallyUser) me = NULL;
  g_autoptr (GError) error = NULL;
  const char *email = tally_demo_server_get_email (demo.server);
  const char *password = tally_demo_server_get_password (demo.server);

  /* wrong password: a 401 with the envelope shape */
  auth = login (client, email, "wrong-password", &error);
  g_assert_null (auth);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_CREDENTIALS);
  g_assert_cmpuint (tally_error_get_http_status (error), ==, 401);
  g_assert_cmpstr (tally_error_get_reason (error), ==, "INVALID_CREDENTIALS");
  g_assert_null (tally_client_get_token (client));
  g_clear_error (&error);

  /* good password */
  auth = login (client, email, password, &error);
  g_assert_no_error (error);
  g_assert_nonnull (auth);
  g_assert_nonnull (tally_auth_result_get_access_token (auth));
  g_assert_cmpstr (tally_client_get_token (client), ==, tally_auth_result_get_access_token (auth));
  g_assert_cmpstr (tally_user_get_email (tally_auth_result_get_user (auth)), ==, email);
  g_assert_cmpint (tally_token_get_expiry (tally_client_get_token (client)), >, 0);

  /* the token works */
  me = get_me (client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tally_user_get_email (me), ==, email);

  g_assert_finalize_object (g_steal_pointer (&auth));
  g_assert_finalize_object (g_steal_pointer (&me));
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_login_turnstile (void)
{
  g_autoptr (TallyClient) client = new_client (FALSE);
  g_autoptr (TallyAuthResult) auth = NULL;
  g_autoptr (GError) error = NULL;

  tally_demo_server_set_turnstile (demo.server, TRUE);
  auth = login (client, tally_demo_server_get_email (demo.server), tally_demo_server_get_password (demo.server), &error);
  g_assert_null (auth);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_TURNSTILE_REQUIRED);
  g_assert_null (tally_client_get_token (client));
  g_clear_error (&error);

  /* with a token made by the (browser) widget the login goes through */
  {
    GAsyncResult *slot = NULL;
    g_autoptr (GAsyncResult) result = NULL;

    tally_client_login_async (client, tally_demo_server_get_email (demo.server), tally_demo_server_get_password (demo.server),
                              "demo-turnstile-ok", NULL, tally_test_store_result_cb, &slot);
    result = WAIT (slot);
    auth = tally_client_login_finish (client, result, &error);
    g_assert_no_error (error);
    g_assert_nonnull (tally_client_get_token (client));
    g_assert_finalize_object (g_steal_pointer (&auth));
  }

  reset_server ();
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_login_two_factor (void)
{
  g_autoptr (TallyClient) client = new_client (FALSE);
  g_autoptr (TallyAuthResult) auth = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *temp_token = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  tally_demo_server_set_two_factor (demo.server, TRUE);
  auth = login (client, tally_demo_server_get_email (demo.server), tally_demo_server_get_password (demo.server), &error);
  g_assert_null (auth);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_TWO_FACTOR_REQUIRED);
  g_assert_null (tally_client_get_token (client));
  g_assert_nonnull (tally_client_get_pending_2fa_token (client));
  temp_token = g_strdup (tally_client_get_pending_2fa_token (client));
  g_clear_error (&error);

  /* a wrong code is a 400-class error and keeps the session */
  tally_client_login_2fa_async (client, temp_token, "000000", NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  auth = tally_client_login_2fa_finish (client, result, &error);
  g_assert_null (auth);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_BAD_REQUEST);
  g_assert_null (tally_client_get_token (client));
  g_clear_error (&error);
  g_clear_object (&result);

  tally_client_login_2fa_async (client, temp_token, "123456", NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  auth = tally_client_login_2fa_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (auth);
  g_assert_nonnull (tally_client_get_token (client));
  g_assert_cmpstr (tally_client_get_token (client), ==, tally_auth_result_get_access_token (auth));
  g_assert_null (tally_client_get_pending_2fa_token (client));

  g_clear_object (&result);
  reset_server ();
  g_assert_finalize_object (g_steal_pointer (&auth));
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_me_and_profile (void)
{
  g_autoptr (TallyClient) client = new_client (TRUE);
  g_autoptr (TallyUser) me = NULL;
  g_autoptr (TallyUser) profile = NULL;
  g_autoptr (JsonNode) raw_me = raw_get ("/auth/me");
  g_autoptr (JsonNode) raw_profile = raw_get ("/user/profile");
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  me = get_me (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assert_object_matches (G_OBJECT (me), raw_me), >=, 8);

  tally_client_get_profile_async (client, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  profile = tally_client_get_profile_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assert_object_matches (G_OBJECT (profile), raw_profile), >=, 8);

  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&me));
  g_assert_finalize_object (g_steal_pointer (&profile));
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_keys (void)
{
  g_autoptr (TallyClient) client = new_client (TRUE);
  g_autoptr (TallyPage) page = NULL;
  g_autoptr (TallyPage) small = NULL;
  g_autoptr (GListModel) all = NULL;
  g_autoptr (JsonNode) raw = raw_get ("/keys?page=1&page_size=100");
  g_autoptr (JsonNode) raw_small = raw_get ("/keys?page=2&page_size=2");
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  JsonObject *raw_object = json_node_get_object (raw);
  gint64 total;

  tally_client_list_keys_async (client, 1, 100, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  page = tally_client_list_keys_finish (client, result, &error);
  g_assert_no_error (error);
  /* items (each key, its group), total, page, page_size, pages */
  g_assert_cmpuint (assert_object_matches (G_OBJECT (page), raw), >=, 5 + 8 * 3);
  total = json_object_get_int_member (raw_object, "total");
  g_assert_cmpint (tally_page_get_total (page), ==, total);
  g_assert_cmpint (total, >, 2);
  g_clear_object (&result);

  tally_client_list_keys_async (client, 2, 2, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  small = tally_client_list_keys_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assert_object_matches (G_OBJECT (small), raw_small), >=, 5 + 8);
  g_assert_cmpint (tally_page_get_page (small), ==, 2);
  g_clear_object (&result);

  tally_demo_server_reset_request_counts (demo.server);
  tally_client_list_all_keys_async (client, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  all = tally_client_list_all_keys_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_list_model_get_n_items (all), ==, total);
  g_assert_cmpuint (assert_list_matches (all, json_object_get_member (raw_object, "items")), >, total);
  g_assert_cmpuint (tally_demo_server_get_request_count (demo.server, "/api/v1/keys"), ==, 1);

  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&page));
  g_assert_finalize_object (g_steal_pointer (&small));
  g_assert_finalize_object (g_steal_pointer (&client));
}

static TallyApiKey *
get_key (TallyClient *client,
         gint64 id,
         GError **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  tally_client_get_key_async (client, id, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);

  return tally_client_get_key_finish (client, result, error);
}

static void
test_get_key (void)
{
  g_autoptr (TallyClient) client = new_client (TRUE);
  g_autoptr (TallyApiKey) key = NULL;
  g_autoptr (JsonNode) raw = raw_get ("/keys/1");
  g_autoptr (GError) error = NULL;

  key = get_key (client, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assert_object_matches (G_OBJECT (key), raw), >=, 7);
  g_assert_cmpint (tally_api_key_get_id (key), ==, 1);
  g_assert_null (strstr (tally_api_key_get_masked_key (key),
                         json_object_get_string_member (json_node_get_object (raw), "key") + 8));

  /* deleted and unknown keys: 404 with an envelope */
  for (gint64 id = 7; id <= 10; id += 3)
    {
      g_autoptr (TallyApiKey) missing = get_key (client, id, &error);

      g_assert_null (missing);
      g_assert_error (error, TALLY_ERROR, TALLY_ERROR_NOT_FOUND);
      g_assert_cmpuint (tally_error_get_http_status (error), ==, 404);
      g_assert_cmpstr (tally_error_get_reason (error), ==, "API_KEY_NOT_FOUND");
      g_clear_error (&error);
    }

  /* another user's key */
  {
    g_autoptr (TallyApiKey) foreign = get_key (client, 9, &error);

    g_assert_null (foreign);
    g_assert_error (error, TALLY_ERROR, TALLY_ERROR_FORBIDDEN);
    g_assert_cmpuint (tally_error_get_http_status (error), ==, 403);
  }

  g_assert_finalize_object (g_steal_pointer (&key));
  g_assert_finalize_object (g_steal_pointer (&client));
}

static TallyPage *
list_usage (TallyClient *client,
            TallyUsageQuery *query,
            gint64 page,
            gint64 page_size,
            GError **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  tally_client_list_usage_async (client, query, page, page_size, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);

  return tally_client_list_usage_finish (client, result, error);
}

static void
test_usage (void)
{
  g_autoptr (TallyClient) client = new_client (TRUE);
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autoptr (TallyPage) page = NULL;
  g_autoptr (TallyPage) filtered = NULL;
  g_autoptr (TallyUsageLog) one = NULL;
  g_autoptr (TallyUsageLog) first = NULL;
  g_autoptr (JsonNode) raw = raw_get ("/usage?page=2&page_size=50");
  g_autoptr (JsonNode) raw_latest = raw_get ("/usage?api_key_id=3&page_size=1");
  g_autoptr (JsonNode) raw_filtered = NULL;
  g_autofree char *filtered_path = NULL;
  gint64 billing;
  g_autoptr (JsonNode) raw_one = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *one_path = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  page = list_usage (client, NULL, 2, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tally_page_get_items (page)), ==, 50);
  /* 50 rows of 24 compared fields each */
  g_assert_cmpuint (assert_object_matches (G_OBJECT (page), raw), >=, 50 * 24);

  /* key 3's billing type, so that the filter matches rows */
  {
    JsonArray *items = json_object_get_array_member (json_node_get_object (raw_latest), "items");

    billing = json_object_get_int_member (json_array_get_object_element (items, 0), "billing_type");
  }
  filtered_path = g_strdup_printf ("/usage?api_key_id=3&stream=true&billing_type=%" G_GINT64_FORMAT
                                   "&start_date=2025-12-01&end_date=2026-01-15&page=1&page_size=30",
                                   billing);
  raw_filtered = raw_get (filtered_path);
  tally_usage_query_set_api_key_id (query, 3);
  tally_usage_query_set_stream (query, TALLY_STREAM_STREAM);
  tally_usage_query_set_billing (query, billing == 1 ? TALLY_BILLING_SUBSCRIPTION : TALLY_BILLING_BALANCE);
  tally_usage_query_set_range (query, "2025-12-01", "2026-01-15", &error);
  g_assert_no_error (error);
  filtered = list_usage (client, query, 1, 30, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tally_page_get_items (filtered)), >, 0);
  g_assert_cmpuint (assert_object_matches (G_OBJECT (filtered), raw_filtered), >=,
                    5 + 24 * g_list_model_get_n_items (tally_page_get_items (filtered)));
  for (guint i = 0; i < g_list_model_get_n_items (tally_page_get_items (filtered)); i++)
    {
      g_autoptr (TallyUsageLog) row = g_list_model_get_item (tally_page_get_items (filtered), i);

      g_assert_cmpint (tally_usage_log_get_api_key_id (row), ==, 3);
      g_assert_true (tally_usage_log_get_stream (row));
      g_assert_cmpint (tally_usage_log_get_billing_type (row), ==, billing);
    }

  /* a single row has no nested objects */
  first = g_list_model_get_item (tally_page_get_items (page), 0);
  one_path = g_strdup_printf ("/usage/%" G_GINT64_FORMAT, tally_usage_log_get_id (first));
  raw_one = raw_get (one_path);
  tally_client_get_usage_async (client, tally_usage_log_get_id (first), NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  one = tally_client_get_usage_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assert_object_matches (G_OBJECT (one), raw_one), ==, 24);
  g_assert_cmpint (tally_usage_log_get_id (one), ==, tally_usage_log_get_id (first));
  g_clear_object (&result);

  {
    g_autoptr (TallyUsageLog) missing = NULL;

    tally_client_get_usage_async (client, 999999999, NULL, tally_test_store_result_cb, &slot);
    result = WAIT (slot);
    missing = tally_client_get_usage_finish (client, result, &error);
    g_assert_null (missing);
    g_assert_error (error, TALLY_ERROR, TALLY_ERROR_NOT_FOUND);
    g_assert_cmpstr (tally_error_get_reason (error), ==, "USAGE_LOG_NOT_FOUND");
  }

  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&page));
  g_assert_finalize_object (g_steal_pointer (&filtered));
  g_assert_finalize_object (g_steal_pointer (&one));
  g_assert_finalize_object (g_steal_pointer (&first));
  g_assert_finalize_object (g_steal_pointer (&client));
}

static TallyUsageStats *
usage_stats (TallyClient *client,
             TallyUsageQuery *query)
{
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  TallyUsageStats *stats;

  tally_client_get_usage_stats_async (client, query, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  stats = tally_client_get_usage_stats_finish (client, result, &error);
  g_assert_no_error (error);

  return stats;
}

static void
test_usage_stats (void)
{
  g_autoptr (TallyClient) client = new_client (TRUE);
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autoptr (TallyUsageStats) today = NULL;
  g_autoptr (TallyUsageStats) range = NULL;
  g_autoptr (TallyUsageStats) key = NULL;
  g_autoptr (JsonNode) raw_today = raw_get ("/usage/stats?period=today");
  g_autoptr (JsonNode) raw_range = raw_get ("/usage/stats?start_date=2026-01-01&end_date=2026-01-15");
  g_autoptr (JsonNode) raw_key = raw_get ("/usage/stats?api_key_id=2&start_date=2025-12-01&end_date=2026-01-15");
  g_autoptr (GError) error = NULL;

  today = usage_stats (client, query);
  g_assert_cmpuint (assert_object_matches (G_OBJECT (today), raw_today), ==, 8);

  tally_usage_query_set_range (query, "2026-01-01", "2026-01-15", &error);
  g_assert_no_error (error);
  range = usage_stats (client, query);
  g_assert_cmpuint (assert_object_matches (G_OBJECT (range), raw_range), ==, 8);

  tally_usage_query_set_api_key_id (query, 2);
  tally_usage_query_set_range (query, "2025-12-01", "2026-01-15", &error);
  g_assert_no_error (error);
  key = usage_stats (client, query);
  g_assert_cmpuint (assert_object_matches (G_OBJECT (key), raw_key), ==, 8);
  g_assert_cmpint (tally_usage_stats_get_total_requests (key), <, tally_usage_stats_get_total_requests (range) * 10);
  g_assert_cmpint (tally_usage_stats_get_total_requests (range), >, tally_usage_stats_get_total_requests (today));

  g_assert_finalize_object (g_steal_pointer (&today));
  g_assert_finalize_object (g_steal_pointer (&range));
  g_assert_finalize_object (g_steal_pointer (&key));
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_dashboard (void)
{
  g_autoptr (TallyClient) client = new_client (TRUE);
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autoptr (JsonNode) raw = raw_get ("/usage/dashboard/stats");
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  tally_client_get_dashboard_stats_async (client, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  stats = tally_client_get_dashboard_stats_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assert_object_matches (G_OBJECT (stats), raw), ==, 21);
  g_assert_cmpint (tally_dashboard_stats_get_total_requests (stats), >, 0);

  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&stats));
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
assert_trend (TallyClient *client,
              const char *start,
              const char *end,
              TallyGranularity granularity,
              const char *raw_path)
{
  g_autoptr (TallyTrend) trend = NULL;
  g_autoptr (JsonNode) raw = raw_get (raw_path);
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  JsonNode *raw_points = json_object_get_member (json_node_get_object (raw), "trend");

  tally_client_get_trend_async (client, start, end, granularity, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  trend = tally_client_get_trend_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assert_object_matches (G_OBJECT (trend), raw), >=, 3);
  g_assert_cmpuint (g_list_model_get_n_items (tally_trend_get_points (trend)), >, 0);
  g_assert_cmpuint (assert_list_matches (tally_trend_get_points (trend), raw_points), >=,
                    8 * g_list_model_get_n_items (tally_trend_get_points (trend)));

  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&trend));
}

static void
test_trend_and_models (void)
{
  g_autoptr (TallyClient) client = new_client (TRUE);
  g_autoptr (TallyModelBreakdown) models = NULL;
  g_autoptr (TallyModelBreakdown) default_models = NULL;
  g_autoptr (JsonNode) raw_models = raw_get ("/usage/dashboard/models?start_date=2025-12-01&end_date=2026-01-15");
  g_autoptr (JsonNode) raw_default_models = raw_get ("/usage/dashboard/models");
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  assert_trend (client, "2026-01-01", "2026-01-15", TALLY_GRANULARITY_DAY,
                "/usage/dashboard/trend?start_date=2026-01-01&end_date=2026-01-15&granularity=day");
  assert_trend (client, "2026-01-14", "2026-01-15", TALLY_GRANULARITY_HOUR,
                "/usage/dashboard/trend?start_date=2026-01-14&end_date=2026-01-15&granularity=hour");
  assert_trend (client, NULL, NULL, TALLY_GRANULARITY_DAY, "/usage/dashboard/trend");

  tally_client_get_model_stats_async (client, "2025-12-01", "2026-01-15", NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  models = tally_client_get_model_stats_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tally_model_breakdown_get_models (models)), >, 1);
  g_assert_cmpuint (assert_object_matches (G_OBJECT (models), raw_models), >=,
                    2 + 7 * g_list_model_get_n_items (tally_model_breakdown_get_models (models)));
  g_clear_object (&result);

  tally_client_get_model_stats_async (client, NULL, NULL, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  default_models = tally_client_get_model_stats_finish (client, result, &error);
  g_assert_no_error (error);
  assert_object_matches (G_OBJECT (default_models), raw_default_models);
  g_assert_cmpstr (tally_model_breakdown_get_end_date (default_models), ==, tally_demo_server_get_today (demo.server));

  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&models));
  g_assert_finalize_object (g_steal_pointer (&default_models));
  g_assert_finalize_object (g_steal_pointer (&client));
}

static GListModel *
keys_usage (TallyClient *client,
            const gint64 *ids,
            gsize n_ids,
            GError **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  tally_client_get_keys_usage_async (client, ids, n_ids, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);

  return tally_client_get_keys_usage_finish (client, result, error);
}

/* Compares the merged list with the raw "stats" map of one request. */
static void
assert_keys_usage_matches (GListModel *list,
                           JsonNode *raw)
{
  JsonObject *stats = json_object_get_object_member (json_node_get_object (raw), "stats");
  guint n = g_list_model_get_n_items (list);
  gint64 previous = G_MININT64;

  g_assert_cmpuint (n, ==, json_object_get_size (stats));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallyKeyUsage) usage = g_list_model_get_item (list, i);
      gint64 id = tally_key_usage_get_api_key_id (usage);
      g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_assert_cmpint (id, >, previous);
      previous = id;
      g_assert_true (json_object_has_member (stats, name));
      g_assert_cmpuint (assert_object_matches (G_OBJECT (usage), json_object_get_member (stats, name)), ==, 3);
    }
}

static void
test_keys_usage (void)
{
  static const gint64 mixed[] = { 5, 1, 2, 3, 4, 10, 7, 9, 3, 1 };
  g_autoptr (TallyClient) client = new_client (TRUE);
  g_autoptr (GListModel) owned = NULL;
  g_autoptr (GListModel) empty = NULL;
  g_autoptr (GListModel) many = NULL;
  g_autoptr (JsonNode) raw_owned = raw_data ("POST", "/usage/dashboard/api-keys-usage", "{\"api_key_ids\":[1,2,3,4,5,6,7,8,9,10]}");
  g_autoptr (GError) error = NULL;
  gint64 ids[250];

  tally_demo_server_reset_request_counts (demo.server);

  owned = keys_usage (client, mixed, G_N_ELEMENTS (mixed), &error);
  g_assert_no_error (error);
  /* the deleted (7), foreign (9) and unknown (10) ids are dropped */
  for (guint i = 0; i < g_list_model_get_n_items (owned); i++)
    {
      g_autoptr (TallyKeyUsage) usage = g_list_model_get_item (owned, i);
      gint64 id = tally_key_usage_get_api_key_id (usage);

      g_assert_true (id != 7 && id != 9 && id != 10);
    }
  g_assert_cmpuint (g_list_model_get_n_items (owned), ==, 5);
  g_assert_cmpuint (tally_demo_server_get_request_count (demo.server, "/api/v1/usage/dashboard/api-keys-usage"), ==, 1);

  /* an empty list completes without a request */
  empty = keys_usage (client, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (empty), ==, 0);
  g_assert_cmpuint (tally_demo_server_get_request_count (demo.server, "/api/v1/usage/dashboard/api-keys-usage"), ==, 1);

  /* 250 ids: three requests of ≤ 100, no 400 */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = (gint64) G_N_ELEMENTS (ids) - i;
  many = keys_usage (client, ids, G_N_ELEMENTS (ids), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tally_demo_server_get_request_count (demo.server, "/api/v1/usage/dashboard/api-keys-usage"), ==, 1 + 3);
  assert_keys_usage_matches (many, raw_owned);

  g_assert_finalize_object (g_steal_pointer (&owned));
  g_assert_finalize_object (g_steal_pointer (&empty));
  g_assert_finalize_object (g_steal_pointer (&many));
  g_assert_finalize_object (g_steal_pointer (&client));
}

/* ------------------------------------------------------------------------ */
/* Paging                                                                   */

typedef struct
{
  GHashTable *seen;
  gint64 last_id;
  guint pages;
  guint stop_after; /* 0 = never */
  guint64 rows;
  gint64 total;
  gboolean destroyed;
} Walk;

static gboolean
walk_page_cb (TallyPage *page,
              gpointer user_data)
{
  Walk *walk = user_data;
  GListModel *items = tally_page_get_items (page);

  walk->pages++;
  g_assert_cmpint (tally_page_get_page (page), ==, walk->pages);
  walk->total = tally_page_get_total (page);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr (TallyUsageLog) row = g_list_model_get_item (items, i);
      gint64 id = tally_usage_log_get_id (row);

      g_assert_cmpint (id, <, walk->last_id);
      walk->last_id = id;
      g_assert_false (g_hash_table_contains (walk->seen, &id));
      g_hash_table_add (walk->seen, g_memdup2 (&id, sizeof id));
      walk->rows++;
    }

  return walk->stop_after == 0 || walk->pages < walk->stop_after;
}

static void
walk_destroyed_cb (gpointer user_data)
{
  Walk *walk = user_data;

  g_assert_false (walk->destroyed);
  walk->destroyed = TRUE;
}

static gboolean
walk_usage (TallyClient *client,
            TallyUsageQuery *query,
            gint64 page_size,
            guint max_in_flight,
            Walk *walk,
            GCancellable *cancellable,
            GError **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  gboolean ok;

  walk->seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  walk->last_id = G_MAXINT64;
  tally_client_foreach_usage_page_async (client, query, page_size, max_in_flight,
                                         walk_page_cb, walk, walk_destroyed_cb,
                                         cancellable, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  ok = tally_client_foreach_usage_page_finish (client, result, error);
  g_clear_object (&result);
  /* outstanding page requests are cancelled; let them come back */
  while (!walk->destroyed)
    g_main_context_iteration (NULL, TRUE);
  g_clear_pointer (&walk->seen, g_hash_table_unref);

  return ok;
}

static void
test_foreach_page_size_trap (void)
{
  g_autoptr (TallyClient) client = new_client (TRUE);
  g_autoptr (JsonNode) raw = raw_get ("/usage?page_size=5000");
  JsonObject *raw_object = json_node_get_object (raw);
  gint64 total = json_object_get_int_member (raw_object, "total");
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyPage) page = NULL;
  Walk walk = { 0 };

  /* the server silently answers a page_size it does not take (S: > 100, today: > 1000) with 20 */
  g_assert_cmpint (json_object_get_int_member (raw_object, "page_size"), ==, 20);
  page = list_usage (client, NULL, 1, 5000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tally_page_get_page_size (page), ==, 20);
  g_assert_cmpuint (g_list_model_get_n_items (tally_page_get_items (page)), ==, 20);

  tally_demo_server_reset_request_counts (demo.server);
  g_assert_true (walk_usage (client, NULL, 5000, 4, &walk, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (walk.rows, ==, total);
  g_assert_cmpint (walk.total, ==, total);
  g_assert_cmpuint (walk.pages, ==, (total + 19) / 20);
  /* every page once, none beyond the end */
  g_assert_cmpuint (tally_demo_server_get_request_count (demo.server, "/api/v1/usage"), ==, walk.pages);
  tally_demo_server_set_generation (demo.server, TALLY_DEMO_GENERATION_CURRENT);

  g_assert_finalize_object (g_steal_pointer (&page));
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_foreach_filtered (void)
{
  g_autoptr (TallyClient) client = new_client (TRUE);
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autoptr (JsonNode) raw = raw_get ("/usage?api_key_id=1&start_date=2025-12-01&end_date=2026-01-15&page_size=1");
  gint64 total = json_object_get_int_member (json_node_get_object (raw), "total");
  g_autoptr (GError) error = NULL;
  Walk one_at_a_time = { 0 };
  Walk stopped = { 0 };

  tally_usage_query_set_api_key_id (query, 1);
  tally_usage_query_set_range (query, "2025-12-01", "2026-01-15", &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, >, 100);

  g_assert_true (walk_usage (client, query, 100, 1, &one_at_a_time, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (one_at_a_time.rows, ==, total);

  /* page_func returning FALSE stops the walk; it still completes with TRUE */
  tally_demo_server_reset_request_counts (demo.server);
  stopped.stop_after = 2;
  g_assert_true (walk_usage (client, NULL, 20, 3, &stopped, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stopped.pages, ==, 2);
  g_assert_cmpuint (stopped.rows, ==, 40);
  g_assert_cmpuint (tally_demo_server_get_request_count (demo.server, "/api/v1/usage"), <=, 2 + 3);

  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_foreach_error (void)
{
  g_autoptr (TallyClient) client = new_client (TRUE);
  g_autoptr (GError) error = NULL;
  Walk walk = { 0 };

  tally_demo_server_set_fault (demo.server, TALLY_DEMO_FAULT_SERVER_ERROR);
  g_assert_false (walk_usage (client, NULL, 100, 4, &walk, NULL, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_SERVER);
  g_assert_cmpuint (walk.pages, ==, 0);

  reset_server ();
  g_assert_finalize_object (g_steal_pointer (&client));
}

/* ------------------------------------------------------------------------ */
/* Cancellation                                                             */

static void
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
}

static void
test_cancel (void)
{
  g_autoptr (TallyClient) client = new_client (TRUE);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  gint64 start = g_get_monotonic_time ();
  Walk walk = { 0 };

  tally_demo_server_set_delay (demo.server, 500);
  tally_client_get_dashboard_stats_async (client, cancellable, tally_test_store_result_cb, &slot);
  g_timeout_add_once (50, cancel_cb, cancellable);
  result = WAIT (slot);
  stats = tally_client_get_dashboard_stats_finish (client, result, &error);
  g_assert_null (stats);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (tally_error_is_cancelled (error));
  /* before the delayed answer would have arrived */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 490 * 1000);
  g_clear_error (&error);

  /* the paging walk too */
  g_cancellable_reset (cancellable);
  g_timeout_add_once (50, cancel_cb, cancellable);
  g_assert_false (walk_usage (client, NULL, 20, 4, &walk, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* let the paused server answers go out before the next test */
  tally_test_spin (600);
  g_clear_object (&result);
  reset_server ();
  g_assert_finalize_object (g_steal_pointer (&client));
}

typedef struct
{
  guint calls;
  GError *error;
} CallbackCount;

static void
count_me_cb (GObject *source,
             GAsyncResult *result,
             gpointer user_data)
{
  CallbackCount *count = user_data;
  g_autoptr (TallyUser) user = NULL;

  count->calls++;
  user = tally_client_get_me_finish (TALLY_CLIENT (source), result, &count->error);
  g_assert_null (user);
}

static void
test_cancel_after_unref (void)
{
  TallyClient *client = new_client (TRUE);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  CallbackCount count = { 0 };

  tally_demo_server_set_delay (demo.server, 300);
  tally_client_get_me_async (client, cancellable, count_me_cb, &count);
  g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);
  g_object_unref (client);
  /* the request holds the client */
  g_assert_nonnull (client);
  g_cancellable_cancel (cancellable);

  while (count.calls == 0)
    g_main_context_iteration (NULL, TRUE);
  tally_test_spin (400);

  g_assert_cmpuint (count.calls, ==, 1);
  g_assert_error (count.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&count.error);
  g_assert_null (client);

  reset_server ();
}

/* ------------------------------------------------------------------------ */
/* Faults                                                                   */

static GError *
dashboard_error (TallyClient *client)
{
  g_autoptr (TallyDashboardStats) stats = NULL;
  GError *error = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  tally_client_get_dashboard_stats_async (client, NULL, tally_test_store_result_cb, &slot);
  result = WAIT (slot);
  stats = tally_client_get_dashboard_stats_finish (client, result, &error);
  g_assert_null (stats);
  g_assert_nonnull (error);
  g_assert_null (strchr (error->message, '<'));

  return error;
}

static void
test_faults (void)
{
  static const struct
  {
    TallyDemoFault fault;
    TallyError code;
    guint status;
    const char *reason;
    guint retry_after;
  } cases[] = {
    { TALLY_DEMO_FAULT_HTML_502, TALLY_ERROR_SERVER, 502, NULL, 0 },
    { TALLY_DEMO_FAULT_SPA_HTML, TALLY_ERROR_BAD_RESPONSE, 200, NULL, 0 },
    { TALLY_DEMO_FAULT_TRUNCATED_JSON, TALLY_ERROR_BAD_RESPONSE, 200, NULL, 0 },
    { TALLY_DEMO_FAULT_WRONG_TYPES, TALLY_ERROR_BAD_RESPONSE, 0, NULL, 0 },
    { TALLY_DEMO_FAULT_SERVER_ERROR, TALLY_ERROR_SERVER, 500, NULL, 0 },
    { TALLY_DEMO_FAULT_TOKEN_EXPIRED, TALLY_ERROR_UNAUTHORIZED, 401, "TOKEN_EXPIRED", 0 },
    { TALLY_DEMO_FAULT_RATE_LIMITED, TALLY_ERROR_RATE_LIMITED, 429, "RATE_LIMITED", 7 },
    { TALLY_DEMO_FAULT_RESET, TALLY_ERROR_NETWORK, 0, NULL, 0 },
  };
  g_autoptr (TallyClient) client = new_client (TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;

      g_test_message ("fault %d", cases[i].fault);
      tally_demo_server_set_fault (demo.server, cases[i].fault);
      error = dashboard_error (client);
      g_test_message ("  → %s", error->message);
      g_assert_error (error, TALLY_ERROR, (int) cases[i].code);
      g_assert_cmpuint (tally_error_get_http_status (error), ==, cases[i].status);
      g_assert_cmpstr (tally_error_get_reason (error), ==, cases[i].reason);
      g_assert_cmpuint (tally_error_get_retry_after (error), ==, cases[i].retry_after);
      if (cases[i].code == TALLY_ERROR_NETWORK)
        g_assert_nonnull (strstr (error->message, "127.0.0.1"));
    }

  /* null arrays are empty lists, not errors */
  {
    g_autoptr (TallyTrend) trend = NULL;
    g_autoptr (GError) error = NULL;
    GAsyncResult *slot = NULL;
    g_autoptr (GAsyncResult) result = NULL;

    tally_demo_server_set_fault (demo.server, TALLY_DEMO_FAULT_NULL_ARRAYS);
    tally_client_get_trend_async (client, NULL, NULL, TALLY_GRANULARITY_DAY, NULL, tally_test_store_result_cb, &slot);
    result = WAIT (slot);
    trend = tally_client_get_trend_finish (client, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (tally_trend_get_points (trend)), ==, 0);
    g_assert_finalize_object (g_steal_pointer (&trend));
  }

  /* faults never touch login and public settings */
  tally_demo_server_set_fault (demo.server, TALLY_DEMO_FAULT_SERVER_ERROR);
  {
    g_autoptr (TallyAuthResult) auth = NULL;
    g_autoptr (GError) error = NULL;

    auth = login (client, tally_demo_server_get_email (demo.server), tally_demo_server_get_password (demo.server), &error);
    g_assert_no_error (error);
    g_assert_finalize_object (g_steal_pointer (&auth));
  }

  reset_server ();
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_stall_timeout (void)
{
  g_autoptr (TallyClient) client = new_client (TRUE);
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  tally_demo_server_set_fault (demo.server, TALLY_DEMO_FAULT_STALL);
  tally_client_set_timeout (client, 1);
  error = dashboard_error (client);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);

  reset_server ();
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_unauthorized (void)
{
  g_autoptr (TallyClient) client = new_client (FALSE);
  g_autofree char *expired = tally_demo_server_issue_token (demo.server, -60);
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyUser) me = NULL;

  /* no token at all */
  me = get_me (client, &error);
  g_assert_null (me);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (tally_error_get_http_status (error), ==, 401);
  g_assert_cmpstr (tally_error_get_reason (error), ==, "UNAUTHORIZED");
  g_clear_error (&error);

  /* a token that expired mid-session */
  tally_client_set_token (client, expired);
  me = get_me (client, &error);
  g_assert_null (me);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (tally_error_get_reason (error), ==, "TOKEN_EXPIRED");
  g_assert_null (strstr (error->message, expired));
  g_clear_error (&error);

  /* an sk- key is not a JWT */
  tally_client_set_token (client, "sk-68f4188887e3a8d01454b9bf5c07e1f4e9ae473308b87f3efff28e44631607d2");
  me = get_me (client, &error);
  g_assert_null (me);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (error->message, "sk-68f4"));

  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_clock_skew (void)
{
  g_autoptr (TallyClient) client = new_client (TRUE);
  g_autoptr (TallyUser) me = NULL;
  g_autoptr (GError) error = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  me = get_me (client, &error);
  g_assert_no_error (error);
  /* SoupServer stamps Date with its own (= our) clock: no skew beyond rounding */
  g_assert_cmpint (ABS (tally_client_get_clock_skew (client)), <=, 1 + (g_get_real_time () / G_USEC_PER_SEC - before));

  g_assert_finalize_object (g_steal_pointer (&me));
  g_assert_finalize_object (g_steal_pointer (&client));
}

/* ------------------------------------------------------------------------ */
/* Network and TLS                                                          */

static void
test_connection_refused (void)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyClient) client = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* take a free port, then give it back: nobody listens there */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  client = tally_client_new (url, &error);
  g_assert_no_error (error);
  tally_client_set_token (client, demo.token);
  g_clear_error (&error);
  error = dashboard_error (client);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));

  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_tls_plain_port (void)
{
  g_autofree char *url = NULL;
  g_autoptr (TallyClient) client = NULL;
  g_autoptr (GError) error = NULL;
  const char *plain = tally_demo_server_get_url (demo.server);

  g_assert_true (g_str_has_prefix (plain, "http://"));
  url = g_strconcat ("https://", plain + strlen ("http://"), NULL);
  client = tally_client_new (url, &error);
  g_assert_no_error (error);
  tally_client_set_token (client, demo.token);
  /* the plain server waits for a request line that never comes */
  tally_client_set_timeout (client, 1);

  error = dashboard_error (client);
  g_test_message ("https to a plain port: %s", error->message);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_TLS);
  g_assert_cmpstr (tally_error_get_reason (error), ==, "HANDSHAKE");
  g_assert_nonnull (strstr (error->message, "TLS"));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));

  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_tls_self_signed (void)
{
  g_autofree char *pem_path = g_test_build_filename (G_TEST_DIST, "data", "envelope-selfsigned.pem", NULL);
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (SoupServer) tls_server = NULL;
  g_autoptr (GError) error = NULL;
  GSocketService *service;
  static const struct
  {
    const char *host;
    const char *reason;
    const char *words;
  } cases[] = {
    { "localhost", "UNKNOWN_CA", "trusted authority" },
    { "127.0.0.1", "UNKNOWN_CA", "does not belong to this host name" },
  };
  guint16 port = 0;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend");
      return;
    }

  certificate = g_tls_certificate_new_from_file (pem_path, &error);
  g_assert_no_error (error);
  tls_server = soup_server_new (NULL, NULL);
  service = _tally_soup_listen_loopback (tls_server, certificate, &port, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = g_strdup_printf ("https://%s:%u", cases[i].host, port);
      g_autoptr (TallyClient) client = tally_client_new (url, &error);
      g_autoptr (GError) tls_error = NULL;

      g_assert_no_error (error);
      tally_client_set_token (client, demo.token);
      tls_error = dashboard_error (client);
      g_test_message ("%s: %s", cases[i].host, tls_error->message);
      g_assert_error (tls_error, TALLY_ERROR, TALLY_ERROR_TLS);
      g_assert_cmpstr (tally_error_get_reason (tls_error), ==, cases[i].reason);
      g_assert_nonnull (strstr (tls_error->message, cases[i].words));
      g_assert_nonnull (strstr (tls_error->message, cases[i].host));
      g_assert_finalize_object (g_steal_pointer (&client));
    }

  _tally_soup_listen_stop (service);
  soup_server_disconnect (tls_server);
}

/* The TLS cases run in a child that ends with _exit (), skipping the exit
 * handlers: the pool worker that ran the TLS handshake (glib-networking does
 * it in a thread) holds gnutls' dynamic TLS, and the LeakSanitizer of GCC 12
 * crashes on it at exit on glibc 2.36 ("Tracer caught signal 11" on a bogus
 * "DTLS" range, seen with LSAN_OPTIONS=verbosity=1:log_threads=1). */
static void
run_tls_case (GTestFunc func)
{
  if (g_test_subprocess ())
    {
      func ();
      fflush (stdout);
      fflush (stderr);
      _exit (0);
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_tls_plain_port_child (void)
{
  run_tls_case (test_tls_plain_port);
}

static void
test_tls_self_signed_child (void)
{
  run_tls_case (test_tls_self_signed);
}

int
main (int argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  tally_test_demo_start_pinned (&demo, 42, DEMO_ROWS, TALLY_DEMO_GENERATION_CURRENT);

  g_test_add_func ("/client/base-url", test_base_url);
  g_test_add_func ("/client/token-expiry", test_token_expiry);
  g_test_add_func ("/client/public-settings", test_public_settings);
  g_test_add_func ("/client/login", test_login);
  g_test_add_func ("/client/login-turnstile", test_login_turnstile);
  g_test_add_func ("/client/login-two-factor", test_login_two_factor);
  g_test_add_func ("/client/me-and-profile", test_me_and_profile);
  g_test_add_func ("/client/keys", test_keys);
  g_test_add_func ("/client/get-key", test_get_key);
  g_test_add_func ("/client/usage", test_usage);
  g_test_add_func ("/client/usage-stats", test_usage_stats);
  g_test_add_func ("/client/dashboard", test_dashboard);
  g_test_add_func ("/client/trend-and-models", test_trend_and_models);
  g_test_add_func ("/client/keys-usage", test_keys_usage);
  g_test_add_func ("/client/foreach/page-size-trap", test_foreach_page_size_trap);
  g_test_add_func ("/client/foreach/filtered", test_foreach_filtered);
  g_test_add_func ("/client/foreach/error", test_foreach_error);
  g_test_add_func ("/client/cancel", test_cancel);
  g_test_add_func ("/client/cancel-after-unref", test_cancel_after_unref);
  g_test_add_func ("/client/faults", test_faults);
  g_test_add_func ("/client/stall-timeout", test_stall_timeout);
  g_test_add_func ("/client/unauthorized", test_unauthorized);
  g_test_add_func ("/client/clock-skew", test_clock_skew);
  g_test_add_func ("/client/connection-refused", test_connection_refused);
  g_test_add_func ("/client/tls-plain-port", test_tls_plain_port_child);
  g_test_add_func ("/client/tls-self-signed", test_tls_self_signed_child);

  ret = g_test_run ();

  tally_test_demo_stop (&demo);
  /* let the closed connections be freed */
  tally_test_spin (50);

  return ret;
}

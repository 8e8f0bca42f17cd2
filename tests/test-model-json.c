/* test-model-json.c: the models written back as JSON from their field tables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "tally-model-json.h"
#include "tally-models-private.h"

typedef gpointer (*FromJson) (JsonNode *node,
                              GError **error);

static gpointer
decode (FromJson from_json,
        const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (text, &error);
  gpointer model;

  g_assert_no_error (error);
  model = from_json (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);

  return model;
}

static char *
write_model (gpointer model)
{
  GString *out = g_string_new (NULL);

  tally_model_json_append (out, model);

  return g_string_free (out, FALSE);
}

/* The writer's members are the model's readable properties, in their order
 * (names with '-' → '_'), less what it leaves out on purpose. */
static void
assert_members_are_properties (gpointer model,
                               const char *json,
                               const char *const *left_out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);
  g_autoptr (GList) members = NULL;
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs = 0;
  GList *m;

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  members = json_object_get_members (json_node_get_object (node));
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (model), &n_pspecs);

  m = members;
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_autofree char *name = g_strdelimit (g_strdup (pspecs[i]->name), "-", '_');

      if (left_out != NULL && g_strv_contains (left_out, name))
        continue;
      g_assert_nonnull (m);
      g_assert_cmpstr (m->data, ==, name);
      m = m->next;
    }
  g_assert_null (m);
}

static void
test_string (void)
{
  g_autoptr (GString) out = g_string_new (NULL);

  tally_model_json_append_string (out, "plain");
  g_string_append_c (out, ' ');
  tally_model_json_append_string (out, "");
  g_string_append_c (out, ' ');
  tally_model_json_append_string (out, NULL);
  g_string_append_c (out, ' ');
  tally_model_json_append_string (out, "a\"b\\c\nd\re\tf");
  g_string_append_c (out, ' ');
  tally_model_json_append_string (out, "\001\037\177\b\f/<>&");
  g_string_append_c (out, ' ');
  /* multi-byte characters pass as they are, U+2028 too */
  tally_model_json_append_string (out, "订阅 ⚡ \342\200\250\"");
  g_string_append_c (out, ' ');
  /* invalid UTF-8 becomes U+FFFD */
  tally_model_json_append_string (out, "a\377b\300\"");

  g_assert_cmpstr (out->str, ==,
                   "\"plain\" \"\" null "
                   "\"a\\\"b\\\\c\\nd\\re\\tf\" "
                   "\"\\u0001\\u001f\\u007f\\u0008\\u000c/<>&\" "
                   "\"订阅 ⚡ \342\200\250\\\"\" "
                   "\"a\357\277\275b\357\277\275\\\"\"");
}

static void
test_double (void)
{
  g_autoptr (GString) out = g_string_new (NULL);
  const double values[] = { 0.0, 1.0, -2.5, 0.1, 13278.571699963231, 1e-10, 123456789012.0, NAN, INFINITY, -INFINITY };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      tally_model_json_append_double (out, values[i]);
    }

  g_assert_cmpstr (out->str, ==, "0,1,-2.5,0.1,13278.571699963231,0.0000000001,123456789012,null,null,null");
}

static void
test_null (void)
{
  g_autofree char *json = write_model (NULL);

  g_assert_cmpstr (json, ==, "null");
}

static void
test_user (void)
{
  g_autoptr (TallyUser) user = decode ((FromJson) _tally_user_new_from_json,
                                       "{\"id\":7,\"email\":\"a@example.com\",\"username\":\"Demo \\\"用户\\\"\","
                                       "\"role\":\"user\",\"balance\":123.45678901,\"concurrency\":-5,"
                                       "\"status\":\"active\",\"created_at\":\"2026-04-05T00:00:00+08:00\","
                                       "\"unknown\":1}");
  g_autofree char *json = write_model (user);

  g_assert_cmpstr (json, ==,
                   "{\"id\":7,\"email\":\"a@example.com\",\"username\":\"Demo \\\"用户\\\"\",\"role\":\"user\","
                   "\"balance\":123.45678901,\"concurrency\":-5,\"status\":\"active\","
                   "\"created_at\":\"2026-04-05T00:00:00+08\"}");
  assert_members_are_properties (user, json, NULL);
}

#define GROUP_JSON                                                                                          \
  "{\"id\":1,\"name\":\"Claude Standard\",\"description\":\"标准\",\"platform\":\"anthropic\","           \
  "\"rate_multiplier\":1.5,\"is_exclusive\":true,\"status\":\"active\",\"subscription_type\":\"standard\"," \
  "\"daily_limit_usd\":null,\"weekly_limit_usd\":25,\"monthly_limit_usd\":99.99}"

static void
test_group (void)
{
  g_autoptr (TallyGroup) group = decode ((FromJson) _tally_group_new_from_json, GROUP_JSON);
  g_autofree char *json = write_model (group);

  g_assert_cmpstr (json, ==, GROUP_JSON);
  assert_members_are_properties (group, json, NULL);
}

static void
test_api_key (void)
{
  g_autoptr (TallyApiKey) with_group = decode ((FromJson) _tally_api_key_new_from_json,
                                               "{\"id\":6,\"user_id\":1,\"key\":\"sk-68f4188887e3a8d01454b9bf5c07e1f4e9ae\","
                                               "\"name\":\"=cmd|' /C calc'!A0\",\"status\":\"active\",\"group_id\":1,"
                                               "\"created_at\":\"2026-11-12T10:54:40+08:00\","
                                               "\"updated_at\":\"2026-11-14T10:54:40.25Z\",\"group\":" GROUP_JSON "}");
  g_autoptr (TallyApiKey) without = decode ((FromJson) _tally_api_key_new_from_json,
                                            "{\"id\":4,\"user_id\":1,\"name\":\"old\",\"status\":\"inactive\","
                                            "\"group_id\":null,\"created_at\":\"2026-07-13T00:00:00-05:00\","
                                            "\"updated_at\":\"2026-10-21T03:41:20+08:00\",\"group\":null}");
  g_autofree char *json = write_model (with_group);
  g_autofree char *json_without = write_model (without);
  const char *const no_group[] = { "group", NULL };

  g_assert_cmpstr (json, ==,
                   "{\"id\":6,\"user_id\":1,\"name\":\"=cmd|' /C calc'!A0\",\"status\":\"active\",\"group_id\":1,"
                   "\"created_at\":\"2026-11-12T10:54:40+08\",\"updated_at\":\"2026-11-14T10:54:40.250000Z\","
                   "\"group\":" GROUP_JSON ",\"masked_key\":\"sk-68f4…e9ae\"}");
  assert_members_are_properties (with_group, json, NULL);
  /* no key sent: masked_key is "", no group: the member is left out */
  g_assert_cmpstr (json_without, ==,
                   "{\"id\":4,\"user_id\":1,\"name\":\"old\",\"status\":\"inactive\",\"group_id\":null,"
                   "\"created_at\":\"2026-07-13T00:00:00-05\",\"updated_at\":\"2026-10-21T03:41:20+08\","
                   "\"masked_key\":\"\"}");
  assert_members_are_properties (without, json_without, no_group);
}

/* The table fields of a usage row, as the server sends them and as they are written back */
#define USAGE_LOG_TABLE                                                                         \
  "\"id\":16997,\"user_id\":1,\"api_key_id\":2,\"account_id\":2,\"request_id\":\"msg_013B\","   \
  "\"model\":\"claude-opus-4-1\",\"group_id\":2,\"subscription_id\":null,\"input_tokens\":758," \
  "\"output_tokens\":892,\"cache_creation_tokens\":677,\"cache_read_tokens\":85168,"            \
  "\"input_cost\":0.01137,\"output_cost\":0.0669,\"cache_creation_cost\":0.01269375,"           \
  "\"cache_read_cost\":0.127752,\"total_cost\":0.21871575,\"actual_cost\":0.21871575,"          \
  "\"rate_multiplier\":1,\"billing_type\":1,\"stream\":true,\"duration_ms\":21376,"             \
  "\"first_token_ms\":null,\"created_at\":\"2026-11-30T08:38:04.542369+08:00\""

static void
test_usage_log (void)
{
  g_autoptr (TallyUsageLog) log = decode ((FromJson) _tally_usage_log_new_from_json,
                                          "{" USAGE_LOG_TABLE ",\"api_key\":{\"id\":2,\"name\":\"订阅 ⚡\"},\"group\":null,"
                                          "\"account\":{\"id\":2,\"name\":\"upstream\",\"credentials\":\"secret\"}}");
  g_autofree char *json = write_model (log);
  const char *const raw[] = { "created_at_raw", NULL };

  /* created_at as the server sent it (microseconds, +08:00); of the nested
   * objects only the names, never the account */
  g_assert_cmpstr (json, ==, "{" USAGE_LOG_TABLE ",\"api_key_name\":\"订阅 ⚡\",\"group_name\":null,\"total_tokens\":87495}");
  assert_members_are_properties (log, json, raw);
}

/* Written back exactly as read */
#define DASHBOARD_JSON                                                                             \
  "{\"total_api_keys\":6,\"active_api_keys\":5,\"total_requests\":16404,"                          \
  "\"total_input_tokens\":44000671,\"total_output_tokens\":11718126,"                              \
  "\"total_cache_creation_tokens\":27026936,\"total_cache_read_tokens\":440384175,"                \
  "\"total_tokens\":523129908,\"total_cost\":604.0664507625,\"total_actual_cost\":609.1154847229," \
  "\"today_requests\":26,\"today_input_tokens\":74254,\"today_output_tokens\":17995,"              \
  "\"today_cache_creation_tokens\":38335,\"today_cache_read_tokens\":603066,"                      \
  "\"today_tokens\":733650,\"today_cost\":1.112333325,\"today_actual_cost\":0,"                    \
  "\"average_duration_ms\":13278.571699963231,\"rpm\":0,\"tpm\":9007199254740993}"

static void
test_dashboard_stats (void)
{
  g_autoptr (TallyDashboardStats) stats = decode ((FromJson) _tally_dashboard_stats_new_from_json, DASHBOARD_JSON);
  g_autofree char *json = write_model (stats);

  g_assert_cmpstr (json, ==, DASHBOARD_JSON);
  assert_members_are_properties (stats, json, NULL);
}

static void
test_trend_point (void)
{
  g_autoptr (TallyTrendPoint) point = decode ((FromJson) _tally_trend_point_new_from_json,
                                              "{\"date\":\"2026-11-30 08:00\",\"requests\":3,\"input_tokens\":10,"
                                              "\"output_tokens\":20,\"cache_creation_tokens\":1,\"cache_read_tokens\":2,"
                                              "\"total_tokens\":33,\"cost\":0.5,\"actual_cost\":0.25}");
  g_autofree char *json = write_model (point);

  /* cache_tokens (absent) is the sum of the split the server sent */
  g_assert_cmpstr (json, ==,
                   "{\"date\":\"2026-11-30 08:00\",\"requests\":3,\"input_tokens\":10,\"output_tokens\":20,"
                   "\"cache_tokens\":3,\"total_tokens\":33,\"cost\":0.5,\"actual_cost\":0.25}");
  assert_members_are_properties (point, json, NULL);
}

/* Written back exactly as read */
#define BREAKDOWN_JSON                                                                                    \
  "{\"start_date\":\"2026-01-08\",\"end_date\":\"2026-01-15\",\"models\":["                               \
  "{\"model\":\"claude-sonnet-4-5\",\"requests\":476,\"input_tokens\":2295001,"                           \
  "\"output_tokens\":431651,\"total_tokens\":16175122,\"cost\":20.99548455,\"actual_cost\":20.99548455}," \
  "{\"model\":\"gpt\\t5\",\"requests\":1,\"input_tokens\":2,\"output_tokens\":3,"                         \
  "\"total_tokens\":5,\"cost\":0.0000000001,\"actual_cost\":0}]}"

static void
test_model_breakdown (void)
{
  g_autoptr (TallyModelBreakdown) breakdown = decode ((FromJson) _tally_model_breakdown_new_from_json, BREAKDOWN_JSON);
  g_autoptr (TallyModelBreakdown) empty = decode ((FromJson) _tally_model_breakdown_new_from_json,
                                                  "{\"start_date\":\"2026-01-08\",\"end_date\":\"2026-01-15\",\"models\":null}");
  g_autoptr (TallyModelStat) first = g_list_model_get_item (tally_model_breakdown_get_models (breakdown), 0);
  g_autofree char *json = write_model (breakdown);
  g_autofree char *json_empty = write_model (empty);
  g_autofree char *json_first = write_model (first);

  g_assert_cmpstr (json, ==, BREAKDOWN_JSON);
  assert_members_are_properties (breakdown, json, NULL);
  assert_members_are_properties (first, json_first, NULL);
  g_assert_cmpstr (json_empty, ==, "{\"start_date\":\"2026-01-08\",\"end_date\":\"2026-01-15\",\"models\":[]}");
}

static void
test_list (void)
{
  g_autoptr (GListStore) store = g_list_store_new (TALLY_TYPE_TREND_POINT);
  g_autoptr (GString) out = g_string_new (NULL);

  tally_model_json_append_list (out, G_LIST_MODEL (store));
  g_assert_cmpstr (out->str, ==, "[]");

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"date\":\"2026-11-0%u\",\"requests\":%u,\"input_tokens\":0,"
                                               "\"output_tokens\":0,\"cache_tokens\":4,\"total_tokens\":0,\"cost\":0,"
                                               "\"actual_cost\":0}",
                                               i + 1, i);
      g_autoptr (TallyTrendPoint) point = decode ((FromJson) _tally_trend_point_new_from_json, text);

      g_list_store_append (store, point);
    }

  g_string_truncate (out, 0);
  tally_model_json_append_list (out, G_LIST_MODEL (store));
  g_assert_cmpstr (out->str, ==,
                   "[{\"date\":\"2026-11-01\",\"requests\":0,\"input_tokens\":0,\"output_tokens\":0,\"cache_tokens\":4,"
                   "\"total_tokens\":0,\"cost\":0,\"actual_cost\":0},"
                   "{\"date\":\"2026-11-02\",\"requests\":1,\"input_tokens\":0,\"output_tokens\":0,\"cache_tokens\":4,"
                   "\"total_tokens\":0,\"cost\":0,\"actual_cost\":0}]");
}

/* A model without a writer (the login result holds tokens) writes nothing. */
static void
test_no_writer (void)
{
  g_autoptr (TallyAuthResult) auth = decode ((FromJson) _tally_auth_result_new_from_json,
                                             "{\"access_token\":\"secret-token\",\"token_type\":\"Bearer\"}");
  g_autoptr (GString) out = g_string_new ("x");

  g_test_expect_message ("tally-model-json", G_LOG_LEVEL_CRITICAL, "*json_model != NULL*");
  tally_model_json_append (out, auth);
  g_test_assert_expected_messages ();
  g_assert_cmpstr (out->str, ==, "x");
}

int
main (int argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model-json/string", test_string);
  g_test_add_func ("/model-json/double", test_double);
  g_test_add_func ("/model-json/null", test_null);
  g_test_add_func ("/model-json/user", test_user);
  g_test_add_func ("/model-json/group", test_group);
  g_test_add_func ("/model-json/api-key", test_api_key);
  g_test_add_func ("/model-json/usage-log", test_usage_log);
  g_test_add_func ("/model-json/dashboard-stats", test_dashboard_stats);
  g_test_add_func ("/model-json/trend-point", test_trend_point);
  g_test_add_func ("/model-json/model-breakdown", test_model_breakdown);
  g_test_add_func ("/model-json/list", test_list);
  g_test_add_func ("/model-json/no-writer", test_no_writer);

  return g_test_run ();
}

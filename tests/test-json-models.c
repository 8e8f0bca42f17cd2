/* test-json-models.c: decoding of every model from the API.md §8 bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "tally-error.h"
#include "tally-models-private.h"
#include "tally-test-utils.h"

#define KEY5 "sk-68f4188887e3a8d01454b9bf5c07e1f4e9ae473308b87f3efff28e44631607d2"
#define KEY4 "sk-85d4ac7a4da694a4cd5f0fc6101a968c5c923dfbb0950abc37d8f52c06a3f9b3"
#define EPS 1e-12

/* ------------------------------------------------------------------ helpers */

static JsonNode *
parse_json (const char *text,
            gsize len)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, len, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

/* The `data` member of a fixture holding a whole success envelope. */
static JsonNode *
load_data (const char *fixture)
{
  g_autoptr (GBytes) bytes = tally_test_load_fixture (fixture);
  g_autoptr (JsonNode) root = NULL;
  JsonObject *envelope;
  gsize len;
  const char *text = g_bytes_get_data (bytes, &len);

  root = parse_json (text, len);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  envelope = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (envelope, "code"), ==, 0);

  return json_node_copy (json_object_get_member (envelope, "data"));
}

static JsonNode *
parse_inline (const char *text)
{
  return parse_json (text, -1);
}

/* TRUE if any readable property of @object (recursively through nested
 * objects and list models) renders to a string containing @needle. */
static gboolean
property_contains (GObject *object,
                   const char *needle)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  if (G_IS_LIST_MODEL (object))
    {
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (object)); i++)
        {
          g_autoptr (GObject) item = g_list_model_get_item (G_LIST_MODEL (object), i);

          if (property_contains (item, needle))
            return TRUE;
        }
    }

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);

  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto (GValue) value = G_VALUE_INIT;
      g_auto (GValue) string = G_VALUE_INIT;
      GType type = pspecs[i]->value_type;

      if (!(pspecs[i]->flags & G_PARAM_READABLE) || type == G_TYPE_GTYPE)
        continue;

      g_value_init (&value, type);
      g_object_get_property (object, pspecs[i]->name, &value);

      if (g_type_is_a (type, G_TYPE_OBJECT))
        {
          if (g_value_get_object (&value) != NULL && property_contains (g_value_get_object (&value), needle))
            return TRUE;
        }
      else if (type == G_TYPE_DATE_TIME)
        {
          GDateTime *dt = g_value_get_boxed (&value);
          g_autofree char *text = dt ? g_date_time_format_iso8601 (dt) : NULL;

          if (text != NULL && strstr (text, needle) != NULL)
            return TRUE;
        }
      else
        {
          g_assert_true (g_value_type_transformable (type, G_TYPE_STRING));
          g_value_init (&string, G_TYPE_STRING);
          g_assert_true (g_value_transform (&value, &string));
          if (g_value_get_string (&string) != NULL && strstr (g_value_get_string (&string), needle) != NULL)
            return TRUE;
        }
    }

  return FALSE;
}

#define assert_no_property_contains(object, needle) \
  g_assert_false (property_contains ((object), (needle)))

static void
assert_no_property_named (GObject *object,
                          const char *name)
{
  g_assert_null (g_object_class_find_property (G_OBJECT_GET_CLASS (object), name));
}

static void
assert_time (GDateTime *dt,
             gint64 unix_seconds,
             int microsecond,
             GTimeSpan utc_offset)
{
  g_assert_nonnull (dt);
  g_assert_cmpint (g_date_time_to_unix (dt), ==, unix_seconds);
  g_assert_cmpint (g_date_time_get_microsecond (dt), ==, microsecond);
  g_assert_cmpint (g_date_time_get_utc_offset (dt), ==, utc_offset);
}

static void
assert_bad_response (const GError *error,
                     const char *expected)
{
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE);
  if (strstr (error->message, expected) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, expected);
}

#define HOUR G_TIME_SPAN_HOUR

/* ------------------------------------------------------------------ keys */

static void
test_keys_page (void)
{
  g_autoptr (JsonNode) data = load_data ("models-keys-page.json");
  g_autoptr (GError) error = NULL;
  TallyPage *page;
  GListModel *items;
  TallyApiKey *key5;
  TallyApiKey *key4;
  TallyGroup *group;
  gpointer weak_key5;

  page = _tally_page_new_from_json (data, (TallyItemFromJson) _tally_api_key_new_from_json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);

  g_assert_cmpint (tally_page_get_total (page), ==, 5);
  g_assert_cmpint (tally_page_get_page (page), ==, 1);
  g_assert_cmpint (tally_page_get_page_size (page), ==, 2);
  g_assert_cmpint (tally_page_get_pages (page), ==, 3);
  g_assert_false (tally_page_is_last (page));

  items = tally_page_get_items (page);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 2);

  key5 = g_list_model_get_item (items, 0);
  key4 = g_list_model_get_item (items, 1);
  g_assert_true (TALLY_IS_API_KEY (key5));
  g_assert_true (TALLY_IS_API_KEY (key4));

  g_assert_cmpint (tally_api_key_get_id (key5), ==, 5);
  g_assert_cmpint (tally_api_key_get_user_id (key5), ==, 1);
  g_assert_cmpstr (tally_api_key_get_name (key5), ==, "gemini-batch");
  g_assert_cmpint (tally_api_key_get_group_id (key5), ==, 4);
  g_assert_cmpstr (tally_api_key_get_status (key5), ==, "active");
  g_assert_true (tally_api_key_is_active (key5));
  g_assert_cmpstr (tally_api_key_get_masked_key (key5), ==, "sk-68f4…07d2");
  assert_time (tally_api_key_get_created_at (key5), 1760500800, 0, 8 * HOUR);
  assert_time (tally_api_key_get_updated_at (key5), 1760500800, 0, 8 * HOUR);

  group = tally_api_key_get_group (key5);
  g_assert_nonnull (group);
  g_assert_cmpint (tally_group_get_id (group), ==, 4);
  g_assert_cmpstr (tally_group_get_name (group), ==, "Gemini Pro");
  g_assert_cmpstr (tally_group_get_description (group), ==, "Gemini 渠道, 1.5 倍率");
  g_assert_cmpstr (tally_group_get_platform (group), ==, "gemini");
  g_assert_cmpfloat_with_epsilon (tally_group_get_rate_multiplier (group), 1.5, EPS);
  g_assert_false (tally_group_get_is_exclusive (group));
  g_assert_cmpstr (tally_group_get_status (group), ==, "active");
  g_assert_cmpstr (tally_group_get_subscription_type (group), ==, "standard");
  g_assert_true (isnan (tally_group_get_daily_limit_usd (group)));
  g_assert_true (isnan (tally_group_get_weekly_limit_usd (group)));
  g_assert_true (isnan (tally_group_get_monthly_limit_usd (group)));

  g_assert_cmpint (tally_api_key_get_id (key4), ==, 4);
  g_assert_cmpstr (tally_api_key_get_name (key4), ==, "old-laptop (disabled)");
  g_assert_cmpint (tally_api_key_get_group_id (key4), ==, -1);
  g_assert_null (tally_api_key_get_group (key4));
  g_assert_cmpstr (tally_api_key_get_status (key4), ==, "inactive");
  g_assert_false (tally_api_key_is_active (key4));
  g_assert_cmpstr (tally_api_key_get_masked_key (key4), ==, "sk-85d4…f9b3");
  assert_time (tally_api_key_get_created_at (key4), 1758081600, 0, 8 * HOUR);
  assert_time (tally_api_key_get_updated_at (key4), 1765425600, 0, 8 * HOUR);

  /* The scanner sees nested values (positive controls)... */
  g_assert_true (property_contains (G_OBJECT (page), "gemini-batch"));
  g_assert_true (property_contains (G_OBJECT (page), "Gemini 渠道"));
  g_assert_true (property_contains (G_OBJECT (page), "sk-85d4…f9b3"));
  g_assert_true (property_contains (G_OBJECT (page), "2025-12-11T12:00:00"));
  /* ...but the secret is nowhere, not even a long piece of it. */
  assert_no_property_contains (G_OBJECT (page), KEY5);
  assert_no_property_contains (G_OBJECT (page), KEY4);
  assert_no_property_contains (G_OBJECT (page), "88887e3a8d01454b9bf5");
  assert_no_property_contains (G_OBJECT (page), "4da694a4cd5f0fc6101a");
  assert_no_property_named (G_OBJECT (key5), "key");

  /* Properties mirror the getters. */
  {
    g_autofree char *masked = NULL;
    g_autoptr (TallyGroup) prop_group = NULL;
    gint64 group_id;

    g_object_get (key4, "masked-key", &masked, "group-id", &group_id, "group", &prop_group, NULL);
    g_assert_cmpstr (masked, ==, "sk-85d4…f9b3");
    g_assert_cmpint (group_id, ==, -1);
    g_assert_null (prop_group);
  }

  weak_key5 = key5;
  g_object_add_weak_pointer (G_OBJECT (key5), &weak_key5);
  g_object_unref (key5);
  g_object_unref (key4);
  g_assert_finalize_object (page);
  g_assert_null (weak_key5);
}

/* tally_api_key_collect_ids: the ids of a page's keys, in order */
static void
test_key_ids (void)
{
  g_autoptr (JsonNode) data = load_data ("models-keys-page.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyPage) page = _tally_page_new_from_json (data, (TallyItemFromJson) _tally_api_key_new_from_json, &error);
  g_autoptr (GListStore) none = g_list_store_new (TALLY_TYPE_API_KEY);
  g_autoptr (GArray) ids = NULL;
  g_autoptr (GArray) no_ids = NULL;

  g_assert_no_error (error);
  ids = tally_api_key_collect_ids (tally_page_get_items (page));
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 5);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 4);

  no_ids = tally_api_key_collect_ids (G_LIST_MODEL (none));
  g_assert_cmpuint (no_ids->len, ==, 0);
}

static void
test_key_masking (void)
{
  static const struct
  {
    const char *key;
    const char *masked;
  } cases[] = {
    { KEY5, "sk-68f4…07d2" },
    { "sk-0123456789abcdef", "sk-0123…cdef" },
    { "short", "••••" },
    { "", "••••" },
    { "sk-12345678", "••••" },       /* 11 characters */
    { "sk-123456789", "sk-1…6789" }, /* 12: with the prefix too little would stay hidden */
    { "AbCdEfGhIjKlMnOpQr", "AbCd…OpQr" },
    { "my_key-abcdefghijklmnop", "my_key-abcd…mnop" },
    { "verylongprefix-abcdefghijkl", "very…ijkl" }, /* prefix > 8 characters is not kept */
    { "sk-ключ-ключ-ключ-ключ", "sk-ключ…ключ" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;
      g_autoptr (GError) error = NULL;
      TallyApiKey *key;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, 1);
      json_builder_set_member_name (builder, "user_id");
      json_builder_add_int_value (builder, 1);
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, cases[i].key);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, "k");
      json_builder_set_member_name (builder, "group_id");
      json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, "active");
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, "2025-10-15T12:00:00+08:00");
      json_builder_set_member_name (builder, "updated_at");
      json_builder_add_string_value (builder, "2025-10-15T12:00:00Z");
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);

      key = _tally_api_key_new_from_json (node, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (tally_api_key_get_masked_key (key), ==, cases[i].masked);
      if (strlen (cases[i].key) >= 8)
        assert_no_property_contains (G_OBJECT (key), cases[i].key);
      assert_time (tally_api_key_get_updated_at (key), 1760529600, 0, 0);
      g_assert_finalize_object (key);
    }
}

/* ------------------------------------------------------------------ usage */

static void
test_usage_page (void)
{
  g_autoptr (JsonNode) data = load_data ("models-usage-page.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyUsageLog) log = NULL;
  TallyPage *page;
  TallyGroup *group;
  JsonNode *item_node;

  page = _tally_page_new_from_json (data, (TallyItemFromJson) _tally_usage_log_new_from_json, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tally_page_get_total (page), ==, 2430);
  g_assert_cmpint (tally_page_get_page (page), ==, 1);
  g_assert_cmpint (tally_page_get_page_size (page), ==, 3);
  g_assert_cmpint (tally_page_get_pages (page), ==, 810);
  /* page < pages, but a page shorter than page_size is the last one */
  g_assert_true (tally_page_is_last (page));
  g_assert_cmpuint (g_list_model_get_n_items (tally_page_get_items (page)), ==, 1);

  log = g_list_model_get_item (tally_page_get_items (page), 0);
  g_assert_cmpint (tally_usage_log_get_id (log), ==, 19954);
  g_assert_cmpint (tally_usage_log_get_user_id (log), ==, 1);
  g_assert_cmpint (tally_usage_log_get_api_key_id (log), ==, 3);
  g_assert_cmpint (tally_usage_log_get_account_id (log), ==, 2);
  g_assert_cmpstr (tally_usage_log_get_request_id (log), ==, "msg_01R9g9et4XeJU7zv54B2VYFG");
  g_assert_cmpstr (tally_usage_log_get_model (log), ==, "claude-sonnet-4-5");
  g_assert_cmpint (tally_usage_log_get_group_id (log), ==, 2);
  g_assert_cmpint (tally_usage_log_get_subscription_id (log), ==, 1);
  g_assert_cmpint (tally_usage_log_get_input_tokens (log), ==, 1128);
  g_assert_cmpint (tally_usage_log_get_output_tokens (log), ==, 133);
  g_assert_cmpint (tally_usage_log_get_cache_creation_tokens (log), ==, 2939);
  g_assert_cmpint (tally_usage_log_get_cache_read_tokens (log), ==, 45322);
  g_assert_cmpint (tally_usage_log_get_total_tokens (log), ==, 1128 + 133 + 2939 + 45322);
  g_assert_cmpfloat_with_epsilon (tally_usage_log_get_input_cost (log), 0.003384, EPS);
  g_assert_cmpfloat_with_epsilon (tally_usage_log_get_output_cost (log), 0.001995, EPS);
  g_assert_cmpfloat_with_epsilon (tally_usage_log_get_cache_creation_cost (log), 0.01102125, EPS);
  g_assert_cmpfloat_with_epsilon (tally_usage_log_get_cache_read_cost (log), 0.0135966, EPS);
  g_assert_cmpfloat_with_epsilon (tally_usage_log_get_total_cost (log), 0.02999685, EPS);
  g_assert_cmpfloat_with_epsilon (tally_usage_log_get_actual_cost (log), 0.02999685, EPS);
  g_assert_cmpfloat (tally_usage_log_get_rate_multiplier (log), ==, 1.0); /* int token `1` */
  g_assert_cmpint (tally_usage_log_get_billing_type (log), ==, TALLY_BILLING_SUBSCRIPTION);
  g_assert_true (tally_usage_log_get_stream (log));
  g_assert_cmpint (tally_usage_log_get_duration_ms (log), ==, 8188);
  g_assert_cmpint (tally_usage_log_get_first_token_ms (log), ==, 820);
  g_assert_cmpstr (tally_usage_log_get_created_at_raw (log), ==, "2026-01-15T11:34:41.016471+08:00");
  assert_time (tally_usage_log_get_created_at (log), 1768448081, 16471, 8 * HOUR);
  g_assert_cmpstr (tally_usage_log_get_api_key_name (log), ==, "订阅 Claude Max ⚡");
  g_assert_cmpstr (tally_usage_log_get_group_name (log), ==, "Claude Max 订阅");

  /* Nothing of `account` (credentials) or `user` is kept. */
  assert_no_property_named (G_OBJECT (log), "account");
  assert_no_property_named (G_OBJECT (log), "credentials");
  assert_no_property_named (G_OBJECT (log), "user");
  assert_no_property_contains (G_OBJECT (log), "claude-setup-02");
  assert_no_property_contains (G_OBJECT (log), "setup-token");

  {
    gint64 total_tokens;
    g_autofree char *raw = NULL;
    g_autofree char *key_name = NULL;
    double actual_cost;

    g_object_get (log,
                  "total-tokens", &total_tokens,
                  "created-at-raw", &raw,
                  "api-key-name", &key_name,
                  "actual-cost", &actual_cost,
                  NULL);
    g_assert_cmpint (total_tokens, ==, 49522);
    g_assert_cmpstr (raw, ==, "2026-01-15T11:34:41.016471+08:00");
    g_assert_cmpstr (key_name, ==, "订阅 Claude Max ⚡");
    g_assert_cmpfloat_with_epsilon (actual_cost, 0.02999685, EPS);
  }

  /* The nested group of the row, decoded as a TallyGroup: non-null limits. */
  item_node = json_array_get_element (json_object_get_array_member (json_node_get_object (data), "items"), 0);
  group = _tally_group_new_from_json (json_object_get_member (json_node_get_object (item_node), "group"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tally_group_get_id (group), ==, 2);
  g_assert_cmpstr (tally_group_get_name (group), ==, "Claude Max 订阅");
  g_assert_cmpstr (tally_group_get_description (group), ==, "Claude 订阅套餐（日/周/月限额）");
  g_assert_cmpstr (tally_group_get_platform (group), ==, "anthropic");
  g_assert_cmpfloat (tally_group_get_rate_multiplier (group), ==, 1.0);
  g_assert_true (tally_group_get_is_exclusive (group));
  g_assert_cmpstr (tally_group_get_subscription_type (group), ==, "subscription");
  g_assert_cmpfloat (tally_group_get_daily_limit_usd (group), ==, 50.0);
  g_assert_cmpfloat (tally_group_get_weekly_limit_usd (group), ==, 300.0);
  g_assert_cmpfloat (tally_group_get_monthly_limit_usd (group), ==, 1000.0);
  g_assert_finalize_object (group);

  g_assert_finalize_object (page);
  g_assert_finalize_object (g_steal_pointer (&log));
}

static void
test_usage_single (void)
{
  g_autoptr (JsonNode) data = load_data ("models-usage-123.json");
  g_autoptr (GError) error = NULL;
  TallyUsageLog *log;

  log = _tally_usage_log_new_from_json (data, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tally_usage_log_get_id (log), ==, 123);
  g_assert_cmpint (tally_usage_log_get_user_id (log), ==, 1);
  g_assert_cmpint (tally_usage_log_get_api_key_id (log), ==, 5);
  g_assert_cmpint (tally_usage_log_get_account_id (log), ==, 4);
  g_assert_cmpstr (tally_usage_log_get_request_id (log), ==, "21363b56-ccce-ae7f-bbd0-56f823bc8054");
  g_assert_cmpstr (tally_usage_log_get_model (log), ==, "gemini-2.5-pro");
  g_assert_cmpint (tally_usage_log_get_group_id (log), ==, 4);
  g_assert_cmpint (tally_usage_log_get_subscription_id (log), ==, -1);
  g_assert_cmpint (tally_usage_log_get_input_tokens (log), ==, 4053);
  g_assert_cmpint (tally_usage_log_get_output_tokens (log), ==, 1629);
  g_assert_cmpint (tally_usage_log_get_cache_creation_tokens (log), ==, 0);
  g_assert_cmpint (tally_usage_log_get_cache_read_tokens (log), ==, 0);
  g_assert_cmpint (tally_usage_log_get_total_tokens (log), ==, 5682);
  g_assert_cmpfloat_with_epsilon (tally_usage_log_get_input_cost (log), 0.00506625, EPS);
  g_assert_cmpfloat_with_epsilon (tally_usage_log_get_output_cost (log), 0.01629, EPS);
  g_assert_cmpfloat (tally_usage_log_get_cache_creation_cost (log), ==, 0.0);
  g_assert_cmpfloat (tally_usage_log_get_cache_read_cost (log), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (tally_usage_log_get_total_cost (log), 0.02135625, EPS);
  g_assert_cmpfloat_with_epsilon (tally_usage_log_get_actual_cost (log), 0.032034375, EPS);
  g_assert_cmpfloat_with_epsilon (tally_usage_log_get_rate_multiplier (log), 1.5, EPS);
  g_assert_cmpint (tally_usage_log_get_billing_type (log), ==, TALLY_BILLING_BALANCE);
  g_assert_true (tally_usage_log_get_stream (log));
  g_assert_cmpint (tally_usage_log_get_duration_ms (log), ==, 10789);
  g_assert_cmpint (tally_usage_log_get_first_token_ms (log), ==, 1323);
  g_assert_cmpstr (tally_usage_log_get_created_at_raw (log), ==, "2025-10-18T08:18:12.165652+08:00");
  assert_time (tally_usage_log_get_created_at (log), 1760746692, 165652, 8 * HOUR);
  /* /usage/:id has no nested objects */
  g_assert_null (tally_usage_log_get_api_key_name (log));
  g_assert_null (tally_usage_log_get_group_name (log));

  g_assert_finalize_object (log);
}

static void
test_usage_edge (void)
{
  g_autoptr (JsonNode) data = load_data ("models-usage-edge.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyUsageLog) big = NULL;
  g_autoptr (TallyUsageLog) l_row = NULL;
  TallyPage *page;

  page = _tally_page_new_from_json (data, (TallyItemFromJson) _tally_usage_log_new_from_json, &error);
  g_assert_no_error (error);
  g_assert_true (tally_page_is_last (page));
  g_assert_cmpuint (g_list_model_get_n_items (tally_page_get_items (page)), ==, 2);

  big = g_list_model_get_item (tally_page_get_items (page), 0);
  g_assert_cmpint (tally_usage_log_get_id (big), ==, G_GINT64_CONSTANT (10000000000));
  g_assert_cmpint (tally_usage_log_get_api_key_id (big), ==, G_GINT64_CONSTANT (10000000001));
  g_assert_cmpstr (tally_usage_log_get_request_id (big), ==, "");
  g_assert_cmpint (tally_usage_log_get_group_id (big), ==, -1);
  g_assert_cmpint (tally_usage_log_get_subscription_id (big), ==, -1);
  g_assert_cmpint (tally_usage_log_get_input_tokens (big), ==, G_GINT64_CONSTANT (10000000000));
  g_assert_cmpint (tally_usage_log_get_output_tokens (big), ==, G_GINT64_CONSTANT (3000000000));
  /* `2.0e10` is an integral double: accepted for an int field */
  g_assert_cmpint (tally_usage_log_get_cache_read_tokens (big), ==, G_GINT64_CONSTANT (20000000000));
  g_assert_cmpint (tally_usage_log_get_total_tokens (big), ==, G_GINT64_CONSTANT (33000000000));
  g_assert_cmpfloat_with_epsilon (tally_usage_log_get_input_cost (big), 1.2e-7, EPS);
  g_assert_cmpfloat (tally_usage_log_get_input_cost (big), >, 0.0);
  g_assert_cmpfloat (tally_usage_log_get_cache_creation_cost (big), ==, 1.0);
  g_assert_cmpfloat_with_epsilon (tally_usage_log_get_actual_cost (big), 1.00000012, EPS);
  g_assert_false (tally_usage_log_get_stream (big));
  g_assert_cmpint (tally_usage_log_get_duration_ms (big), ==, -1);
  g_assert_cmpint (tally_usage_log_get_first_token_ms (big), ==, -1);
  g_assert_cmpstr (tally_usage_log_get_created_at_raw (big), ==, "2026-01-15T03:34:41Z");
  assert_time (tally_usage_log_get_created_at (big), 1768448081, 0, 0);
  /* `\u003cb\u003e\u0026amp;` arrives as plain text `<b>&amp;` */
  g_assert_cmpstr (tally_usage_log_get_api_key_name (big), ==, "CI <b>&amp; bot \u2028🚀");
  g_assert_null (tally_usage_log_get_group_name (big));
  g_assert_true (property_contains (G_OBJECT (big), "CI <b>&amp;"));
  assert_no_property_contains (G_OBJECT (big), "UPSTREAM-");
  assert_no_property_contains (G_OBJECT (big), "0123456789abcdef0123");

  /* An L row: no account, no api_key (deleted key), extra fields, a
   * negative nullable id and a 5-digit fraction. */
  l_row = g_list_model_get_item (tally_page_get_items (page), 1);
  g_assert_cmpint (tally_usage_log_get_id (l_row), ==, 19955);
  g_assert_cmpint (tally_usage_log_get_group_id (l_row), ==, 3);
  g_assert_cmpint (tally_usage_log_get_subscription_id (l_row), ==, -1);
  g_assert_cmpfloat_with_epsilon (tally_usage_log_get_input_cost (l_row), 0.0000015, EPS);
  g_assert_cmpfloat_with_epsilon (tally_usage_log_get_actual_cost (l_row), 0.000683, EPS);
  g_assert_cmpfloat (tally_usage_log_get_rate_multiplier (l_row), ==, 2.0);
  g_assert_cmpint (tally_usage_log_get_billing_type (l_row), ==, 1);
  g_assert_cmpint (tally_usage_log_get_duration_ms (l_row), ==, 820);
  g_assert_cmpint (tally_usage_log_get_first_token_ms (l_row), ==, -1);
  g_assert_null (tally_usage_log_get_api_key_name (l_row));
  g_assert_null (tally_usage_log_get_group_name (l_row));
  g_assert_cmpstr (tally_usage_log_get_created_at_raw (l_row), ==, "2026-01-15T11:34:41.01647+08:00");
  assert_time (tally_usage_log_get_created_at (l_row), 1768448081, 16470, 8 * HOUR);

  g_assert_finalize_object (page);
  g_assert_finalize_object (g_steal_pointer (&big));
  g_assert_finalize_object (g_steal_pointer (&l_row));
}

/* ------------------------------------------------------------------ stats */

static void
test_usage_stats (void)
{
  g_autoptr (JsonNode) data = load_data ("models-usage-stats.json");
  g_autoptr (JsonNode) l_data = NULL;
  g_autoptr (GError) error = NULL;
  TallyUsageStats *stats;

  stats = _tally_usage_stats_new_from_json (data, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tally_usage_stats_get_total_requests (stats), ==, 1564);
  g_assert_cmpint (tally_usage_stats_get_total_input_tokens (stats), ==, 10358829);
  g_assert_cmpint (tally_usage_stats_get_total_output_tokens (stats), ==, 1882294);
  g_assert_cmpint (tally_usage_stats_get_total_cache_tokens (stats), ==, 32149221);
  g_assert_cmpint (tally_usage_stats_get_total_tokens (stats), ==, 44390344);
  g_assert_cmpfloat_with_epsilon (tally_usage_stats_get_total_cost (stats), 74.705904985, EPS);
  g_assert_cmpfloat_with_epsilon (tally_usage_stats_get_total_actual_cost (stats), 74.9086003275, EPS);
  g_assert_cmpfloat_with_epsilon (tally_usage_stats_get_average_duration_ms (stats), 10509.960997442455, EPS);
  g_assert_cmpint (tally_usage_stats_get_total_cache_creation_tokens (stats), ==, -1);
  g_assert_cmpint (tally_usage_stats_get_total_cache_read_tokens (stats), ==, -1);
  g_assert_finalize_object (stats);

  /* L: the cache split, average_latency_ms (ignored), an integer average */
  l_data = parse_inline ("{\"total_requests\":0,\"total_input_tokens\":0,\"total_output_tokens\":0,"
                         "\"total_cache_tokens\":12,\"total_tokens\":12,\"total_cost\":0,"
                         "\"total_actual_cost\":0,\"average_duration_ms\":0,"
                         "\"total_cache_creation_tokens\":2,\"total_cache_read_tokens\":10,"
                         "\"average_latency_ms\":null}");
  stats = _tally_usage_stats_new_from_json (l_data, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tally_usage_stats_get_total_cache_creation_tokens (stats), ==, 2);
  g_assert_cmpint (tally_usage_stats_get_total_cache_read_tokens (stats), ==, 10);
  g_assert_cmpfloat (tally_usage_stats_get_average_duration_ms (stats), ==, 0.0);
  g_assert_finalize_object (stats);
}

static void
test_dashboard_stats (void)
{
  g_autoptr (JsonNode) data = load_data ("models-dashboard-stats.json");
  g_autoptr (GError) error = NULL;
  TallyDashboardStats *s;
  gint64 rpm;

  s = _tally_dashboard_stats_new_from_json (data, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tally_dashboard_stats_get_total_api_keys (s), ==, 5);
  g_assert_cmpint (tally_dashboard_stats_get_active_api_keys (s), ==, 4);
  g_assert_cmpint (tally_dashboard_stats_get_total_requests (s), ==, 17003);
  g_assert_cmpint (tally_dashboard_stats_get_total_input_tokens (s), ==, 107164703);
  g_assert_cmpint (tally_dashboard_stats_get_total_output_tokens (s), ==, 20225754);
  g_assert_cmpint (tally_dashboard_stats_get_total_cache_creation_tokens (s), ==, 26361940);
  g_assert_cmpint (tally_dashboard_stats_get_total_cache_read_tokens (s), ==, 368656345);
  g_assert_cmpint (tally_dashboard_stats_get_total_tokens (s), ==, 522408742);
  g_assert_cmpfloat_with_epsilon (tally_dashboard_stats_get_total_cost (s), 812.83480305, EPS);
  g_assert_cmpfloat_with_epsilon (tally_dashboard_stats_get_total_actual_cost (s), 814.5476136625, EPS);
  g_assert_cmpint (tally_dashboard_stats_get_today_requests (s), ==, 134);
  g_assert_cmpint (tally_dashboard_stats_get_today_input_tokens (s), ==, 964823);
  g_assert_cmpint (tally_dashboard_stats_get_today_output_tokens (s), ==, 183079);
  g_assert_cmpint (tally_dashboard_stats_get_today_cache_creation_tokens (s), ==, 158852);
  g_assert_cmpint (tally_dashboard_stats_get_today_cache_read_tokens (s), ==, 2149872);
  g_assert_cmpint (tally_dashboard_stats_get_today_tokens (s), ==, 3456626);
  g_assert_cmpfloat_with_epsilon (tally_dashboard_stats_get_today_cost (s), 7.44994745, EPS);
  g_assert_cmpfloat_with_epsilon (tally_dashboard_stats_get_today_actual_cost (s), 7.4555395125, EPS);
  g_assert_cmpfloat_with_epsilon (tally_dashboard_stats_get_average_duration_ms (s), 10578.062623717833, EPS);
  g_assert_cmpint (tally_dashboard_stats_get_rpm (s), ==, 8);
  g_assert_cmpint (tally_dashboard_stats_get_tpm (s), ==, 50967);

  g_object_get (s, "rpm", &rpm, NULL);
  g_assert_cmpint (rpm, ==, 8);

  g_assert_finalize_object (s);
}

/* ------------------------------------------------------------------ trend, models */

static void
assert_point (TallyTrendPoint *p,
              const char *date,
              gint64 requests,
              gint64 input,
              gint64 output,
              gint64 cache,
              gint64 total,
              double cost,
              double actual_cost)
{
  g_assert_cmpstr (tally_trend_point_get_date (p), ==, date);
  g_assert_cmpint (tally_trend_point_get_requests (p), ==, requests);
  g_assert_cmpint (tally_trend_point_get_input_tokens (p), ==, input);
  g_assert_cmpint (tally_trend_point_get_output_tokens (p), ==, output);
  g_assert_cmpint (tally_trend_point_get_cache_tokens (p), ==, cache);
  g_assert_cmpint (tally_trend_point_get_total_tokens (p), ==, total);
  g_assert_cmpfloat_with_epsilon (tally_trend_point_get_cost (p), cost, EPS);
  g_assert_cmpfloat_with_epsilon (tally_trend_point_get_actual_cost (p), actual_cost, EPS);
}

static void
test_trend (void)
{
  g_autoptr (JsonNode) data = load_data ("models-trend.json");
  g_autoptr (GError) error = NULL;
  TallyTrend *trend;
  GListModel *points;

  trend = _tally_trend_new_from_json (data, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tally_trend_get_start_date (trend), ==, "2026-01-13");
  g_assert_cmpstr (tally_trend_get_end_date (trend), ==, "2026-01-15");
  g_assert_cmpstr (tally_trend_get_granularity (trend), ==, "day");

  points = tally_trend_get_points (trend);
  g_assert_true (g_list_model_get_item_type (points) == TALLY_TYPE_TREND_POINT);
  g_assert_cmpuint (g_list_model_get_n_items (points), ==, 3);
  {
    g_autoptr (TallyTrendPoint) p0 = g_list_model_get_item (points, 0);
    g_autoptr (TallyTrendPoint) p1 = g_list_model_get_item (points, 1);
    g_autoptr (TallyTrendPoint) p2 = g_list_model_get_item (points, 2);

    assert_point (p0, "2026-01-13", 248, 1379964, 316677, 4631782, 6328423, 10.15245711, 10.181097565);
    assert_point (p1, "2026-01-14", 263, 1751277, 326027, 6285626, 8362930, 13.223646005, 13.3660264325);
    assert_point (p2, "2026-01-15", 134, 964823, 183079, 2308724, 3456626, 7.44994745, 7.4555395125);
  }

  g_assert_finalize_object (trend);
}

static void
test_trend_l (void)
{
  g_autoptr (JsonNode) data = load_data ("models-trend-l.json");
  g_autoptr (JsonNode) null_trend = NULL;
  g_autoptr (JsonNode) no_trend = NULL;
  g_autoptr (GError) error = NULL;
  TallyTrend *trend;

  trend = _tally_trend_new_from_json (data, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tally_trend_get_granularity (trend), ==, "hour");
  g_assert_cmpuint (g_list_model_get_n_items (tally_trend_get_points (trend)), ==, 2);
  {
    g_autoptr (TallyTrendPoint) p0 = g_list_model_get_item (tally_trend_get_points (trend), 0);
    g_autoptr (TallyTrendPoint) p1 = g_list_model_get_item (tally_trend_get_points (trend), 1);

    /* cache_tokens = cache_creation_tokens + cache_read_tokens */
    assert_point (p0, "2026-01-15 01:00", 3, 100, 50, 21000, 21150, 0.5, 0.75);
    assert_point (p1, "2026-01-15 13:00", 1, 7, 3, G_GINT64_CONSTANT (4000000000),
                  G_GINT64_CONSTANT (4000000010), 1.2e-7, 0.0);
  }
  g_assert_finalize_object (trend);

  /* Some L builds send "trend": null */
  null_trend = parse_inline ("{\"end_date\":\"2026-01-15\",\"granularity\":\"\",\"start_date\":\"2026-01-08\",\"trend\":null}");
  trend = _tally_trend_new_from_json (null_trend, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tally_trend_get_granularity (trend), ==, "");
  g_assert_nonnull (tally_trend_get_points (trend));
  g_assert_cmpuint (g_list_model_get_n_items (tally_trend_get_points (trend)), ==, 0);
  g_assert_finalize_object (trend);

  no_trend = parse_inline ("{\"end_date\":\"2026-01-15\",\"granularity\":\"week\",\"start_date\":\"2026-01-08\"}");
  trend = _tally_trend_new_from_json (no_trend, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tally_trend_get_points (trend)), ==, 0);
  g_assert_finalize_object (trend);
}

static void
test_trend_point_empty (void)
{
  TallyTrendPoint *p = tally_trend_point_new_empty ("2026-01-14 05:00");
  g_autofree char *date = NULL;

  assert_point (p, "2026-01-14 05:00", 0, 0, 0, 0, 0, 0.0, 0.0);
  g_object_get (p, "date", &date, NULL);
  g_assert_cmpstr (date, ==, "2026-01-14 05:00");
  g_assert_finalize_object (p);
}

static void
test_model_breakdown (void)
{
  g_autoptr (JsonNode) data = load_data ("models-models.json");
  g_autoptr (JsonNode) null_models = NULL;
  g_autoptr (GError) error = NULL;
  TallyModelBreakdown *mb;
  GListModel *models;

  mb = _tally_model_breakdown_new_from_json (data, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tally_model_breakdown_get_start_date (mb), ==, "2026-01-08");
  g_assert_cmpstr (tally_model_breakdown_get_end_date (mb), ==, "2026-01-15");
  models = tally_model_breakdown_get_models (mb);
  g_assert_true (g_list_model_get_item_type (models) == TALLY_TYPE_MODEL_STAT);
  g_assert_cmpuint (g_list_model_get_n_items (models), ==, 2);
  {
    g_autoptr (TallyModelStat) m0 = g_list_model_get_item (models, 0);
    g_autoptr (TallyModelStat) m1 = g_list_model_get_item (models, 1);

    g_assert_cmpstr (tally_model_stat_get_model (m0), ==, "claude-sonnet-4-5");
    g_assert_cmpint (tally_model_stat_get_requests (m0), ==, 476);
    g_assert_cmpint (tally_model_stat_get_input_tokens (m0), ==, 2295001);
    g_assert_cmpint (tally_model_stat_get_output_tokens (m0), ==, 431651);
    g_assert_cmpint (tally_model_stat_get_total_tokens (m0), ==, 16175122);
    g_assert_cmpfloat_with_epsilon (tally_model_stat_get_cost (m0), 20.99548455, EPS);
    g_assert_cmpfloat_with_epsilon (tally_model_stat_get_actual_cost (m0), 20.99548455, EPS);

    g_assert_cmpstr (tally_model_stat_get_model (m1), ==, "claude-sonnet-4");
    g_assert_cmpint (tally_model_stat_get_requests (m1), ==, 215);
    g_assert_cmpint (tally_model_stat_get_input_tokens (m1), ==, 1275115);
    g_assert_cmpint (tally_model_stat_get_output_tokens (m1), ==, 218159);
    g_assert_cmpint (tally_model_stat_get_total_tokens (m1), ==, 8498445);
    g_assert_cmpfloat_with_epsilon (tally_model_stat_get_cost (m1), 11.01377775, EPS);
    g_assert_cmpfloat_with_epsilon (tally_model_stat_get_actual_cost (m1), 11.01377775, EPS);
  }
  g_assert_finalize_object (mb);

  null_models = parse_inline ("{\"end_date\":\"2026-01-15\",\"models\":null,\"start_date\":\"2026-01-08\"}");
  mb = _tally_model_breakdown_new_from_json (null_models, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tally_model_breakdown_get_models (mb)), ==, 0);
  g_assert_finalize_object (mb);
}

/* ------------------------------------------------------------------ key usage */

static void
assert_key_usage (GListModel *list,
                  guint position,
                  gint64 id,
                  double today,
                  double total)
{
  g_autoptr (TallyKeyUsage) usage = g_list_model_get_item (list, position);

  g_assert_nonnull (usage);
  g_assert_cmpint (tally_key_usage_get_api_key_id (usage), ==, id);
  g_assert_cmpfloat_with_epsilon (tally_key_usage_get_today_actual_cost (usage), today, EPS);
  g_assert_cmpfloat_with_epsilon (tally_key_usage_get_total_actual_cost (usage), total, EPS);
}

static void
test_key_usage_list (void)
{
  static const char *empty[] = { "{\"stats\":{}}", "{\"stats\":null}", "{}" };
  g_autoptr (JsonNode) data = load_data ("models-batch.json");
  g_autoptr (JsonNode) unsorted = NULL;
  g_autoptr (GError) error = NULL;
  GListModel *list;

  list = _tally_key_usage_list_new_from_json (data, &error);
  g_assert_no_error (error);
  g_assert_true (g_list_model_get_item_type (list) == TALLY_TYPE_KEY_USAGE);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 5);
  assert_key_usage (list, 0, 1, 4.70809665, 389.10499815);
  assert_key_usage (list, 1, 2, 0.8960943, 68.2786291);
  assert_key_usage (list, 2, 3, 1.16250165, 145.673231);
  assert_key_usage (list, 3, 4, 0.0, 66.06855635);
  assert_key_usage (list, 4, 5, 0.6888469125, 56.3474036625);
  g_assert_finalize_object (list);

  /* Keys arrive in string order; the result is in numeric order. */
  unsorted = parse_inline ("{\"stats\":{"
                           "\"1\":{\"api_key_id\":1,\"today_actual_cost\":0,\"total_actual_cost\":1},"
                           "\"10\":{\"api_key_id\":10,\"today_actual_cost\":1.2e-7,\"total_actual_cost\":10},"
                           "\"10000000000\":{\"api_key_id\":10000000000,\"today_actual_cost\":0,\"total_actual_cost\":3},"
                           "\"2\":{\"api_key_id\":2,\"today_actual_cost\":0.5,\"total_actual_cost\":2}}}");
  list = _tally_key_usage_list_new_from_json (unsorted, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 4);
  assert_key_usage (list, 0, 1, 0.0, 1.0);
  assert_key_usage (list, 1, 2, 0.5, 2.0);
  assert_key_usage (list, 2, 10, 1.2e-7, 10.0);
  assert_key_usage (list, 3, G_GINT64_CONSTANT (10000000000), 0.0, 3.0);
  g_assert_finalize_object (list);

  for (guint i = 0; i < G_N_ELEMENTS (empty); i++)
    {
      g_autoptr (JsonNode) node = parse_inline (empty[i]);

      list = _tally_key_usage_list_new_from_json (node, &error);
      g_assert_no_error (error);
      g_assert_nonnull (list);
      g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
      g_assert_finalize_object (list);
    }
}

/* ------------------------------------------------------------------ auth */

static void
assert_alice (TallyUser *user)
{
  g_assert_nonnull (user);
  g_assert_cmpint (tally_user_get_id (user), ==, 1);
  g_assert_cmpstr (tally_user_get_email (user), ==, "alice@example.com");
  g_assert_cmpstr (tally_user_get_username (user), ==, "Alice 王");
  g_assert_cmpstr (tally_user_get_role (user), ==, "user");
  g_assert_cmpfloat_with_epsilon (tally_user_get_balance (user), 123.45678901, EPS);
  g_assert_cmpint (tally_user_get_concurrency (user), ==, 5);
  g_assert_cmpstr (tally_user_get_status (user), ==, "active");
  assert_time (tally_user_get_created_at (user), 1755403200, 0, 8 * HOUR);
  /* wechat and notes are not kept */
  assert_no_property_named (G_OBJECT (user), "wechat");
  assert_no_property_named (G_OBJECT (user), "notes");
  assert_no_property_contains (G_OBJECT (user), "alice_wx");
  assert_no_property_contains (G_OBJECT (user), "内部测试账号");
}

/* tally_key_usage_index_by_id: every entry under its id, the last of a repeated id */
static void
test_key_usage_index (void)
{
  g_autoptr (JsonNode) node = parse_inline ("{\"stats\":{"
                                            "\"2\":{\"api_key_id\":2,\"today_actual_cost\":0.5,\"total_actual_cost\":2},"
                                            "\"10000000000\":{\"api_key_id\":10000000000,\"today_actual_cost\":0,\"total_actual_cost\":3},"
                                            "\"7\":{\"api_key_id\":2,\"today_actual_cost\":0.25,\"total_actual_cost\":4}}}");
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) list = _tally_key_usage_list_new_from_json (node, &error);
  g_autoptr (GHashTable) index = NULL;
  gint64 id;
  TallyKeyUsage *entry;

  g_assert_no_error (error);
  index = tally_key_usage_index_by_id (list);
  g_assert_cmpuint (g_hash_table_size (index), ==, 2);

  id = 10000000000;
  entry = g_hash_table_lookup (index, &id);
  g_assert_nonnull (entry);
  g_assert_cmpfloat (tally_key_usage_get_total_actual_cost (entry), ==, 3.0);

  /* the list is in numeric order of the members: "7" (id 2) comes last */
  id = 2;
  entry = g_hash_table_lookup (index, &id);
  g_assert_nonnull (entry);
  g_assert_cmpfloat (tally_key_usage_get_total_actual_cost (entry), ==, 4.0);

  id = 7;
  g_assert_null (g_hash_table_lookup (index, &id));

  /* the table holds its own references */
  g_clear_object (&list);
  id = 2;
  g_assert_cmpfloat (tally_key_usage_get_today_actual_cost (g_hash_table_lookup (index, &id)), ==, 0.25);
}

static void
test_user (void)
{
  g_autoptr (JsonNode) data = load_data ("models-auth-me.json");
  g_autoptr (GError) error = NULL;
  TallyUser *user;

  user = _tally_user_new_from_json (data, &error);
  g_assert_no_error (error);
  assert_alice (user);
  g_assert_finalize_object (user);
}

static void
test_public_settings (void)
{
  g_autoptr (JsonNode) data = load_data ("models-settings-public.json");
  g_autoptr (JsonNode) data_2026 = load_data ("models-settings-public-2026.json");
  g_autoptr (JsonNode) empty = parse_inline ("{\"backend_mode\":true,\"oauth_providers\":[]}");
  g_autoptr (GError) error = NULL;
  TallyPublicSettings *s;

  s = _tally_public_settings_new_from_json (data, &error);
  g_assert_no_error (error);
  g_assert_true (tally_public_settings_get_registration_enabled (s));
  g_assert_false (tally_public_settings_get_turnstile_enabled (s));
  g_assert_cmpstr (tally_public_settings_get_turnstile_site_key (s), ==, "");
  g_assert_cmpstr (tally_public_settings_get_site_name (s), ==, "Sub2API");
  g_assert_cmpstr (tally_public_settings_get_site_subtitle (s), ==, "Subscription to API Conversion Platform");
  g_assert_cmpstr (tally_public_settings_get_version (s), ==, "0.1.1");
  /* S sends none of the 2026 fields */
  g_assert_cmpstr (tally_public_settings_get_server_timezone (s), ==, "");
  g_assert_cmpstr (tally_public_settings_get_server_utc_offset (s), ==, "");
  g_assert_false (tally_public_settings_get_tencent_captcha_enabled (s));
  g_assert_false (tally_public_settings_get_aliyun_captcha_enabled (s));
  g_assert_finalize_object (s);

  s = _tally_public_settings_new_from_json (data_2026, &error);
  g_assert_no_error (error);
  g_assert_false (tally_public_settings_get_registration_enabled (s));
  g_assert_false (tally_public_settings_get_turnstile_enabled (s));
  g_assert_true (tally_public_settings_get_tencent_captcha_enabled (s));
  g_assert_false (tally_public_settings_get_aliyun_captcha_enabled (s));
  g_assert_cmpstr (tally_public_settings_get_site_name (s), ==, "Example Gateway");
  g_assert_cmpstr (tally_public_settings_get_server_timezone (s), ==, "America/New_York");
  g_assert_cmpstr (tally_public_settings_get_server_utc_offset (s), ==, "-05:00");
  g_assert_cmpstr (tally_public_settings_get_version (s), ==, "0.2.25");
  g_assert_finalize_object (s);

  s = _tally_public_settings_new_from_json (empty, &error);
  g_assert_no_error (error);
  g_assert_false (tally_public_settings_get_registration_enabled (s));
  g_assert_false (tally_public_settings_get_turnstile_enabled (s));
  g_assert_cmpstr (tally_public_settings_get_turnstile_site_key (s), ==, "");
  g_assert_cmpstr (tally_public_settings_get_site_name (s), ==, "");
  g_assert_cmpstr (tally_public_settings_get_site_subtitle (s), ==, "");
  g_assert_cmpstr (tally_public_settings_get_version (s), ==, "");
  g_assert_cmpstr (tally_public_settings_get_server_timezone (s), ==, "");
  g_assert_false (tally_public_settings_get_aliyun_captcha_enabled (s));
  g_assert_finalize_object (s);
}

static void
test_auth_result (void)
{
  g_autoptr (JsonNode) login = load_data ("models-login.json");
  g_autoptr (JsonNode) two_fa = load_data ("models-login-2fa-l.json");
  g_autoptr (JsonNode) login_l = load_data ("models-login-l.json");
  g_autoptr (GError) error = NULL;
  TallyAuthResult *r;
  gpointer weak_user;

  r = _tally_auth_result_new_from_json (login, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (tally_auth_result_get_access_token (r), "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."));
  g_assert_true (g_str_has_suffix (tally_auth_result_get_access_token (r), ".<sig>"));
  g_assert_cmpstr (tally_auth_result_get_token_type (r), ==, "Bearer");
  g_assert_null (tally_auth_result_get_refresh_token (r));
  g_assert_cmpint (tally_auth_result_get_expires_in (r), ==, -1);
  g_assert_false (tally_auth_result_get_requires_2fa (r));
  g_assert_cmpstr (tally_auth_result_get_temp_token (r), ==, "");
  g_assert_cmpstr (tally_auth_result_get_user_email_masked (r), ==, "");
  assert_alice (tally_auth_result_get_user (r));
  weak_user = tally_auth_result_get_user (r);
  g_object_add_weak_pointer (weak_user, &weak_user);
  g_assert_finalize_object (r);
  g_assert_null (weak_user);

  r = _tally_auth_result_new_from_json (two_fa, &error);
  g_assert_no_error (error);
  g_assert_null (tally_auth_result_get_access_token (r));
  g_assert_true (tally_auth_result_get_requires_2fa (r));
  g_assert_cmpstr (tally_auth_result_get_temp_token (r), ==, "…");
  g_assert_cmpstr (tally_auth_result_get_user_email_masked (r), ==, "d***@example.com");
  g_assert_null (tally_auth_result_get_user (r));
  g_assert_null (tally_auth_result_get_refresh_token (r));
  g_assert_cmpint (tally_auth_result_get_expires_in (r), ==, -1);
  g_assert_finalize_object (r);

  r = _tally_auth_result_new_from_json (login_l, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tally_auth_result_get_access_token (r), ==, "…");
  g_assert_cmpstr (tally_auth_result_get_refresh_token (r), ==, "…");
  g_assert_cmpint (tally_auth_result_get_expires_in (r), ==, 86400);
  g_assert_cmpstr (tally_auth_result_get_token_type (r), ==, "Bearer");
  g_assert_false (tally_auth_result_get_requires_2fa (r));
  g_assert_cmpstr (tally_user_get_username (tally_auth_result_get_user (r)), ==, "Alice 王");
  g_assert_finalize_object (r);
}

/* ------------------------------------------------------------------ errors */

typedef gpointer (*Decoder) (JsonNode *node, GError **error);

typedef struct
{
  const char *fixture;  /* base object: data of this fixture (NULL: @json) */
  const char *member;   /* member to replace (NULL: none) */
  const char *value;    /* its new JSON value; NULL removes it */
  const char *expected; /* substring of the message */
} BadCase;

static gpointer
decode_page_of_logs (JsonNode *node,
                     GError **error)
{
  return _tally_page_new_from_json (node, (TallyItemFromJson) _tally_usage_log_new_from_json, error);
}

static gpointer
decode_key_usage_list (JsonNode *node,
                       GError **error)
{
  return _tally_key_usage_list_new_from_json (node, error);
}

static void
run_bad_case (Decoder decoder,
              const BadCase *c)
{
  g_autoptr (JsonNode) base = load_data (c->fixture);
  g_autoptr (GError) error = NULL;
  gpointer result;

  if (c->member != NULL)
    {
      JsonObject *object = json_node_get_object (base);

      if (c->value == NULL)
        {
          g_assert_true (json_object_has_member (object, c->member));
          json_object_remove_member (object, c->member);
        }
      else
        json_object_set_member (object, c->member, parse_inline (c->value));
    }

  result = decoder (base, &error);
  g_assert_null (result);
  g_assert_nonnull (error);
  assert_bad_response (error, c->expected);
  g_test_message ("%s", error->message);
}

static void
test_errors_usage_log (void)
{
  static const BadCase cases[] = {
    { "models-usage-123.json", "input_tokens", "\"1128\"", "usage log: “input_tokens” is not a number" },
    { "models-usage-123.json", "input_tokens", "1128.5", "usage log: “input_tokens” is not an integer" },
    { "models-usage-123.json", "input_tokens", "1e19", "“input_tokens” is not an integer" },
    { "models-usage-123.json", "input_tokens", "true", "“input_tokens” is not a number" },
    { "models-usage-123.json", "input_tokens", "null", "“input_tokens” is null" },
    { "models-usage-123.json", "input_tokens", NULL, "usage log: “input_tokens” is missing" },
    { "models-usage-123.json", "id", "[19954]", "“id” is an array" },
    { "models-usage-123.json", "actual_cost", NULL, "usage log: “actual_cost” is missing" },
    { "models-usage-123.json", "actual_cost", "\"0.03\"", "“actual_cost” is not a number" },
    { "models-usage-123.json", "rate_multiplier", "false", "“rate_multiplier” is not a number" },
    { "models-usage-123.json", "model", "{\"name\":\"x\"}", "usage log: “model” is an object" },
    { "models-usage-123.json", "model", "42", "“model” is not a string" },
    { "models-usage-123.json", "request_id", "null", "“request_id” is null" },
    { "models-usage-123.json", "stream", "1", "usage log: “stream” is not a boolean" },
    { "models-usage-123.json", "stream", "\"true\"", "“stream” is not a boolean" },
    { "models-usage-123.json", "duration_ms", "\"8188\"", "“duration_ms” is not a number" },
    { "models-usage-123.json", "group_id", "4.5", "“group_id” is not an integer" },
    { "models-usage-123.json", "created_at", "\"yesterday\"", "usage log: “created_at” is not a valid time" },
    { "models-usage-123.json", "created_at", "1768448081", "“created_at” is not a valid time" },
    { "models-usage-123.json", "created_at", NULL, "“created_at” is missing" },
    { "models-usage-123.json", "api_key", "\"sk-x\"", "usage log: “api_key” is not an object" },
    { "models-usage-123.json", "api_key", "{\"id\":3}", "usage log: API key: “name” is missing" },
    { "models-usage-123.json", "api_key", "{\"name\":7}", "API key: “name” is not a string" },
    { "models-usage-123.json", "group", "[]", "usage log: “group” is not an object" },
    { "models-usage-123.json", "group", "{\"name\":null}", "usage log: group: “name” is null" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    run_bad_case ((Decoder) _tally_usage_log_new_from_json, &cases[i]);
}

static void
test_errors_other (void)
{
  static const struct
  {
    Decoder decoder;
    BadCase c;
  } cases[] = {
    { (Decoder) _tally_api_key_new_from_json, { "models-auth-me.json", NULL, NULL, "API key: “user_id” is missing" } },
    { (Decoder) _tally_user_new_from_json, { "models-auth-me.json", "balance", "\"123.45\"", "user: “balance” is not a number" } },
    { (Decoder) _tally_user_new_from_json, { "models-auth-me.json", "id", "\"1\"", "user: “id” is not a number" } },
    { (Decoder) _tally_user_new_from_json, { "models-auth-me.json", "email", NULL, "user: “email” is missing" } },
    { (Decoder) _tally_user_new_from_json, { "models-auth-me.json", "created_at", "\"2025-13-45\"", "user: “created_at” is not a valid time" } },
    { (Decoder) _tally_usage_stats_new_from_json, { "models-usage-stats.json", "total_tokens", "4.4e7", NULL } },
    { (Decoder) _tally_usage_stats_new_from_json, { "models-usage-stats.json", "total_requests", "1564.25", "usage stats: “total_requests” is not an integer" } },
    { (Decoder) _tally_usage_stats_new_from_json, { "models-usage-stats.json", "total_cache_read_tokens", "\"5\"", "usage stats: “total_cache_read_tokens” is not a number" } },
    { (Decoder) _tally_dashboard_stats_new_from_json, { "models-dashboard-stats.json", "rpm", NULL, "dashboard stats: “rpm” is missing" } },
    { (Decoder) _tally_dashboard_stats_new_from_json, { "models-dashboard-stats.json", "today_cost", "null", "dashboard stats: “today_cost” is null" } },
    { (Decoder) _tally_trend_new_from_json, { "models-trend.json", "trend", "{}", "trend: “trend” is not an array" } },
    { (Decoder) _tally_trend_new_from_json, { "models-trend.json", "start_date", NULL, "trend: “start_date” is missing" } },
    { (Decoder) _tally_trend_new_from_json, { "models-trend.json", "trend", "[{\"date\":\"2026-01-13\",\"requests\":\"248\"}]", "trend: “trend” item 0: trend point: “requests” is not a number" } },
    { (Decoder) _tally_trend_new_from_json, { "models-trend.json", "trend", "[null]", "trend: “trend” item 0: trend point: not an object" } },
    /* neither cache_tokens (S) nor the L split */
    { (Decoder) _tally_trend_new_from_json, { "models-trend.json", "trend", "[{\"date\":\"2026-01-13\",\"requests\":1,\"input_tokens\":1,\"output_tokens\":1,\"total_tokens\":2,\"cost\":0,\"actual_cost\":0}]", "trend point: “cache_creation_tokens” is missing" } },
    { (Decoder) _tally_trend_new_from_json, { "models-trend.json", "trend", "[{\"date\":\"2026-01-13\",\"requests\":1,\"input_tokens\":1,\"output_tokens\":1,\"cache_tokens\":\"9\",\"total_tokens\":2,\"cost\":0,\"actual_cost\":0}]", "trend point: “cache_tokens” is not a number" } },
    { (Decoder) _tally_model_breakdown_new_from_json, { "models-models.json", "models", "\"none\"", "model breakdown: “models” is not an array" } },
    { (Decoder) _tally_model_breakdown_new_from_json, { "models-models.json", "models", "[{\"model\":1}]", "model breakdown: “models” item 0: model stat: “model” is not a string" } },
    { (Decoder) _tally_public_settings_new_from_json, { "models-settings-public.json", "turnstile_enabled", "\"false\"", "public settings: “turnstile_enabled” is not a boolean" } },
    { (Decoder) _tally_public_settings_new_from_json, { "models-settings-public.json", "version", "0.1", "public settings: “version” is not a string" } },
    { (Decoder) _tally_public_settings_new_from_json, { "models-settings-public-2026.json", "server_timezone", "-5", "public settings: “server_timezone” is not a string" } },
    { (Decoder) _tally_public_settings_new_from_json, { "models-settings-public-2026.json", "aliyun_captcha_enabled", "1", "public settings: “aliyun_captcha_enabled” is not a boolean" } },
    { decode_key_usage_list, { "models-batch.json", "stats", "[]", "key usage list: “stats” is not an object" } },
    { decode_key_usage_list, { "models-batch.json", "stats", "{\"abc\":{\"api_key_id\":1,\"today_actual_cost\":0,\"total_actual_cost\":0}}", "key usage list: “abc” is not a key id" } },
    { decode_key_usage_list, { "models-batch.json", "stats", "{\"1\":{\"api_key_id\":1.5,\"today_actual_cost\":0,\"total_actual_cost\":0}}", "key usage list: “1”: key usage: “api_key_id” is not an integer" } },
    { decode_key_usage_list, { "models-batch.json", "stats", "{\"1\":7}", "key usage: not an object" } },
    { decode_key_usage_list, { "models-batch.json", "stats", "{\"1\":{\"api_key_id\":1,\"total_actual_cost\":0}}", "key usage: “today_actual_cost” is missing" } },
    { decode_page_of_logs, { "models-usage-page.json", "items", NULL, "page: “items” is missing" } },
    { decode_page_of_logs, { "models-usage-page.json", "items", "{}", "page: “items” is not an array" } },
    { decode_page_of_logs, { "models-usage-page.json", "total", "\"2430\"", "page: “total” is not a number" } },
    { decode_page_of_logs, { "models-usage-page.json", "pages", NULL, "page: “pages” is missing" } },
    { decode_page_of_logs, { "models-usage-page.json", "items", "[{\"id\":1}]", "page: “items” item 0: usage log: “user_id” is missing" } },
    { (Decoder) _tally_auth_result_new_from_json, { "models-login.json", "access_token", NULL, "login result: “access_token” is missing" } },
    { (Decoder) _tally_auth_result_new_from_json, { "models-login.json", "access_token", "12", "login result: “access_token” is not a string" } },
    { (Decoder) _tally_auth_result_new_from_json, { "models-login.json", "user", "{\"id\":1}", "login result: user: “email” is missing" } },
    { (Decoder) _tally_auth_result_new_from_json, { "models-login.json", "user", "[]", "login result: user: not an object" } },
    { (Decoder) _tally_auth_result_new_from_json, { "models-login-2fa-l.json", "temp_token", NULL, "login result: “temp_token” is missing" } },
    { (Decoder) _tally_auth_result_new_from_json, { "models-login-2fa-l.json", "requires_2fa", "false", "login result: “access_token” is missing" } },
    { (Decoder) _tally_auth_result_new_from_json, { "models-login-2fa-l.json", "requires_2fa", "\"true\"", "login result: “requires_2fa” is not a boolean" } },
    /* fuzzing: json-glib reads 1e400 as inf */
    { (Decoder) _tally_user_new_from_json, { "models-auth-me.json", "balance", "1e400", "user: “balance” is out of range" } },
    { (Decoder) _tally_usage_stats_new_from_json, { "models-usage-stats.json", "total_cost", "-1e400", "usage stats: “total_cost” is out of range" } },
    { (Decoder) _tally_trend_new_from_json, { "models-trend.json", "trend", "[{\"date\":\"2026-01-13\",\"requests\":1,\"input_tokens\":1,\"output_tokens\":1,\"cache_tokens\":0,\"total_tokens\":2,\"cost\":1e999,\"actual_cost\":0}]", "trend: “trend” item 0: trend point: “cost” is out of range" } },
    /* fuzzing: a bad key id is server text: plain, no control characters, short */
    { decode_key_usage_list, { "models-batch.json", "stats", "{\"<b>\\r</b>\":{}}", "key usage list: “‹b› ‹/b›” is not a key id" } },
    { decode_key_usage_list, { "models-batch.json", "stats", "{\"0000000000000000000000000000000000000000000000000000000000007\":{\"api_key_id\":7}}", "key usage list: “7”: key usage: “today_actual_cost” is missing" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (cases[i].c.expected == NULL)
        {
          /* an integral double is fine: 4.4e7 → 44000000 */
          g_autoptr (JsonNode) base = load_data (cases[i].c.fixture);
          g_autoptr (GError) error = NULL;
          TallyUsageStats *stats;

          json_object_set_member (json_node_get_object (base), cases[i].c.member, parse_inline (cases[i].c.value));
          stats = cases[i].decoder (base, &error);
          g_assert_no_error (error);
          g_assert_cmpint (tally_usage_stats_get_total_tokens (stats), ==, 44000000);
          g_assert_finalize_object (stats);
          continue;
        }

      run_bad_case (cases[i].decoder, &cases[i].c);
    }
}

/* fuzzing: token sums of server values must not overflow (UBSan) */
static void
test_token_sums_saturate (void)
{
  static const struct
  {
    const char *a;
    const char *b;
    gint64 log_total;   /* a + b + a + b */
    gint64 cache_total; /* a + b */
  } cases[] = {
    { "9223372036854775807", "1", G_MAXINT64, G_MAXINT64 },
    { "9223372036854775807", "9223372036854775807", G_MAXINT64, G_MAXINT64 },
    { "-9223372036854775808", "-1", G_MININT64, G_MININT64 },
    { "-5", "7", 4, 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) log_data = load_data ("models-usage-123.json");
      g_autoptr (JsonNode) trend_data = load_data ("models-trend-l.json");
      g_autoptr (GError) error = NULL;
      JsonObject *log_object = json_node_get_object (log_data);
      JsonArray *points = json_object_get_array_member (json_node_get_object (trend_data), "trend");
      JsonObject *point = json_array_get_object_element (points, 0);
      TallyUsageLog *log;
      TallyTrend *trend;
      g_autoptr (TallyTrendPoint) first = NULL;

      json_object_set_member (log_object, "input_tokens", parse_inline (cases[i].a));
      json_object_set_member (log_object, "output_tokens", parse_inline (cases[i].b));
      json_object_set_member (log_object, "cache_creation_tokens", parse_inline (cases[i].a));
      json_object_set_member (log_object, "cache_read_tokens", parse_inline (cases[i].b));
      log = _tally_usage_log_new_from_json (log_data, &error);
      g_assert_no_error (error);
      g_assert_cmpint (tally_usage_log_get_total_tokens (log), ==, cases[i].log_total);
      g_assert_finalize_object (log);

      g_assert_false (json_object_has_member (point, "cache_tokens"));
      json_object_set_member (point, "cache_creation_tokens", parse_inline (cases[i].a));
      json_object_set_member (point, "cache_read_tokens", parse_inline (cases[i].b));
      trend = _tally_trend_new_from_json (trend_data, &error);
      g_assert_no_error (error);
      first = g_list_model_get_item (tally_trend_get_points (trend), 0);
      g_assert_cmpint (tally_trend_point_get_cache_tokens (first), ==, cases[i].cache_total);
      g_clear_object (&first);
      g_assert_finalize_object (trend);
    }
}

static void
test_errors_api_key (void)
{
  static const BadCase cases[] = {
    { "models-keys-page.json", "items", "[{\"id\":5,\"user_id\":1,\"key\":5,\"name\":\"k\",\"group_id\":null,\"status\":\"active\",\"created_at\":\"2025-10-15T12:00:00+08:00\",\"updated_at\":\"2025-10-15T12:00:00+08:00\"}]",
      "page: “items” item 0: API key: “key” is not a string" },
    { "models-keys-page.json", "items", "[{\"id\":5,\"user_id\":1,\"key\":\"" KEY5 "\",\"name\":\"k\",\"group_id\":4,\"status\":\"active\",\"created_at\":\"2025-10-15T12:00:00+08:00\",\"updated_at\":\"2025-10-15T12:00:00+08:00\",\"group\":{\"id\":\"4\"}}]",
      "page: “items” item 0: API key: group: “id” is not a number" },
    { "models-keys-page.json", "items", "[{\"id\":5,\"user_id\":1,\"key\":\"" KEY5 "\",\"name\":\"k\",\"group_id\":4,\"status\":\"active\",\"created_at\":\"2025-10-15T12:00:00+08:00\",\"updated_at\":\"2025-10-15T12:00:00+08:00\",\"group\":\"Gemini Pro\"}]",
      "API key: group: not an object" },
    { "models-keys-page.json", "items", "[{\"id\":5,\"user_id\":1,\"name\":\"k\",\"group_id\":4,\"status\":\"active\",\"created_at\":\"2025-10-15T12:00:00+08:00\",\"updated_at\":\"2025-10-15T12:00:00+08:00\",\"group\":{\"id\":4,\"name\":\"g\",\"description\":\"\",\"platform\":\"gemini\",\"rate_multiplier\":\"1.5\",\"is_exclusive\":false,\"status\":\"active\",\"subscription_type\":\"standard\"}}]",
      "API key: group: “rate_multiplier” is not a number" },
    { "models-keys-page.json", "items", "[{\"id\":5,\"user_id\":1,\"name\":\"k\",\"group_id\":4,\"status\":\"active\",\"created_at\":\"2025-10-15T12:00:00+08:00\",\"updated_at\":\"2025-10-15T12:00:00+08:00\",\"group\":{\"id\":4,\"name\":\"g\",\"description\":\"\",\"platform\":\"gemini\",\"rate_multiplier\":1,\"is_exclusive\":0,\"status\":\"active\",\"subscription_type\":\"standard\"}}]",
      "API key: group: “is_exclusive” is not a boolean" },
    { "models-keys-page.json", "items", "[{\"id\":5,\"user_id\":1,\"name\":\"k\",\"group_id\":4,\"status\":\"active\",\"created_at\":\"2025-10-15T12:00:00+08:00\",\"updated_at\":\"2025-10-15T12:00:00+08:00\",\"group\":{\"id\":4,\"name\":\"g\",\"description\":\"\",\"platform\":\"gemini\",\"rate_multiplier\":1,\"is_exclusive\":false,\"status\":\"active\",\"subscription_type\":\"standard\",\"daily_limit_usd\":\"50\"}}]",
      "API key: group: “daily_limit_usd” is not a number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) base = load_data (cases[i].fixture);
      g_autoptr (GError) error = NULL;
      TallyPage *page;

      json_object_set_member (json_node_get_object (base), cases[i].member, parse_inline (cases[i].value));
      page = _tally_page_new_from_json (base, (TallyItemFromJson) _tally_api_key_new_from_json, &error);
      g_assert_null (page);
      assert_bad_response (error, cases[i].expected);
      /* The secret never reaches an error message either. */
      g_assert_null (strstr (error->message, "68f4188887"));
    }
}

static void
test_errors_not_object (void)
{
  static const char *not_objects[] = { "[]", "[{\"id\":1}]", "\"usage\"", "42", "null", "true" };
  static const struct
  {
    Decoder decoder;
    const char *expected;
  } decoders[] = {
    { (Decoder) _tally_user_new_from_json, "user: not an object" },
    { (Decoder) _tally_group_new_from_json, "group: not an object" },
    { (Decoder) _tally_api_key_new_from_json, "API key: not an object" },
    { (Decoder) _tally_usage_log_new_from_json, "usage log: not an object" },
    { (Decoder) _tally_usage_stats_new_from_json, "usage stats: not an object" },
    { (Decoder) _tally_dashboard_stats_new_from_json, "dashboard stats: not an object" },
    { (Decoder) _tally_trend_point_new_from_json, "trend point: not an object" },
    { (Decoder) _tally_trend_new_from_json, "trend: not an object" },
    { (Decoder) _tally_model_stat_new_from_json, "model stat: not an object" },
    { (Decoder) _tally_model_breakdown_new_from_json, "model breakdown: not an object" },
    { (Decoder) _tally_key_usage_new_from_json, "key usage: not an object" },
    { (Decoder) _tally_public_settings_new_from_json, "public settings: not an object" },
    { (Decoder) _tally_auth_result_new_from_json, "login result: not an object" },
    { decode_page_of_logs, "page: not an object" },
    { decode_key_usage_list, "key usage list: not an object" },
  };

  for (guint d = 0; d < G_N_ELEMENTS (decoders); d++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (not_objects); i++)
        {
          g_autoptr (JsonNode) node = parse_inline (not_objects[i]);
          g_autoptr (GError) error = NULL;

          g_assert_null (decoders[d].decoder (node, &error));
          assert_bad_response (error, decoders[d].expected);
        }

      /* no node at all (e.g. an envelope without data) */
      {
        g_autoptr (GError) error = NULL;

        g_assert_null (decoders[d].decoder (NULL, &error));
        assert_bad_response (error, decoders[d].expected);
      }
    }
}

/* A body cut off mid-object does not parse (the caller's error), but an
 * object holding only the members before the cut must not decode. */
static void
test_errors_partial_object (void)
{
  static const char *truncated = "{\"id\":123,\"user_id\":1,\"api_key_id\":5,\"account_id\":4,\"request_id\":\"21363b56\",\"model\":\"gemini-2.5-pro\",\"group_id\":4,\"subscription_id\":null,\"input_tokens\":4053,\"output_tok";
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) partial = NULL;
  g_autoptr (GError) parse_error = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_false (json_parser_load_from_data (parser, truncated, -1, &parse_error));
  g_assert_nonnull (parse_error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, 123);
  json_builder_set_member_name (builder, "user_id");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "api_key_id");
  json_builder_add_int_value (builder, 5);
  json_builder_set_member_name (builder, "account_id");
  json_builder_add_int_value (builder, 4);
  json_builder_set_member_name (builder, "request_id");
  json_builder_add_string_value (builder, "21363b56");
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, "gemini-2.5-pro");
  json_builder_set_member_name (builder, "group_id");
  json_builder_add_int_value (builder, 4);
  json_builder_set_member_name (builder, "subscription_id");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "input_tokens");
  json_builder_add_int_value (builder, 4053);
  json_builder_end_object (builder);
  partial = json_builder_get_root (builder);

  g_assert_null (_tally_usage_log_new_from_json (partial, &error));
  assert_bad_response (error, "usage log: “output_tokens” is missing");
}

/* ------------------------------------------------------------------ main */

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/models/keys-page", test_keys_page);
  g_test_add_func ("/models/key-masking", test_key_masking);
  g_test_add_func ("/models/key-ids", test_key_ids);
  g_test_add_func ("/models/usage-page", test_usage_page);
  g_test_add_func ("/models/usage-single", test_usage_single);
  g_test_add_func ("/models/usage-edge", test_usage_edge);
  g_test_add_func ("/models/usage-stats", test_usage_stats);
  g_test_add_func ("/models/dashboard-stats", test_dashboard_stats);
  g_test_add_func ("/models/trend", test_trend);
  g_test_add_func ("/models/trend-l", test_trend_l);
  g_test_add_func ("/models/trend-point-empty", test_trend_point_empty);
  g_test_add_func ("/models/model-breakdown", test_model_breakdown);
  g_test_add_func ("/models/key-usage-list", test_key_usage_list);
  g_test_add_func ("/models/key-usage-index", test_key_usage_index);
  g_test_add_func ("/models/user", test_user);
  g_test_add_func ("/models/public-settings", test_public_settings);
  g_test_add_func ("/models/auth-result", test_auth_result);
  g_test_add_func ("/models/errors/usage-log", test_errors_usage_log);
  g_test_add_func ("/models/errors/other", test_errors_other);
  g_test_add_func ("/models/errors/api-key", test_errors_api_key);
  g_test_add_func ("/models/token-sums-saturate", test_token_sums_saturate);
  g_test_add_func ("/models/errors/not-object", test_errors_not_object);
  g_test_add_func ("/models/errors/partial-object", test_errors_partial_object);

  return g_test_run ();
}

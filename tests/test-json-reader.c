/* test-json-reader.c: the strict JSON reader against json-glib and RFC 8259
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "tally-json-reader-private.h"
#include "tally-test-utils.h"

static JsonNode *
read_text (const char *text)
{
  return _tally_json_read (text, strlen (text), NULL);
}

static JsonNode *
glib_parse (const char *data,
            gsize len)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);

  return json_node_ref (json_parser_get_root (parser));
}

/* Every JSON fixture reads to the tree json-glib builds. */
static void
test_fixtures_equal_json_glib (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n_compared = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (JsonNode) ours = NULL;
      g_autoptr (JsonNode) theirs = NULL;
      const char *data;
      gsize len;

      if (!g_str_has_suffix (name, ".json") || strcmp (name, "envelope-truncated.json") == 0)
        continue;

      bytes = tally_test_load_fixture (name);
      data = g_bytes_get_data (bytes, &len);
      ours = _tally_json_read (data, len, NULL);
      g_assert_nonnull (ours);
      theirs = glib_parse (data, len);
      if (!json_node_equal (ours, theirs))
        g_error ("%s: the trees differ", name);
      g_assert_true (json_node_is_immutable (ours));
      n_compared++;
    }

  g_assert_cmpuint (n_compared, >=, 40);
}

/* Random documents written by JsonGenerator read back equal. */
static JsonNode *
random_node (GRand *rand,
             guint depth)
{
  guint kind = g_rand_int_range (rand, 0, depth > 4 ? 6 : 8);
  JsonNode *node = json_node_alloc ();

  switch (kind)
    {
      case 0:
        return json_node_init_null (node);
      case 1:
        return json_node_init_boolean (node, g_rand_boolean (rand));
      case 2:
        return json_node_init_int (node, (gint64) g_rand_int (rand) * (g_rand_boolean (rand) ? 1 : -1) * (gint64) g_rand_int_range (rand, 1, 1 << 30));
      case 3:
        /* a double that prints with a '.' or an exponent */
        return json_node_init_double (node, g_rand_double_range (rand, -1e6, 1e6) + 0.5);
      case 4:
      case 5:
        {
          GString *text = g_string_new (NULL);
          guint n = g_rand_int_range (rand, 0, 12);

          /* not 0x1f: json-glib 1.6's generator writes it unescaped, which is
           * not JSON (the reader refuses it, see test_rejects) */
          for (guint i = 0; i < n; i++)
            {
              static const gunichar pool[] = { 'a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', 0x01, 0x1e, 0xe9, 0x7528, 0x26a1, 0x1f600, 0x10ffff };
              g_string_append_unichar (text, pool[g_rand_int_range (rand, 0, G_N_ELEMENTS (pool))]);
            }
          json_node_init_string (node, text->str);
          g_string_free (text, TRUE);
          return node;
        }
      case 6:
        {
          JsonArray *array = json_array_new ();
          guint n = g_rand_int_range (rand, 0, 5);

          for (guint i = 0; i < n; i++)
            json_array_add_element (array, random_node (rand, depth + 1));
          json_node_init_array (node, array);
          json_array_unref (array);
          return node;
        }
      case 7:
      default:
        {
          JsonObject *object = json_object_new ();
          guint n = g_rand_int_range (rand, 0, 5);

          for (guint i = 0; i < n; i++)
            {
              g_autofree char *member = g_strdup_printf ("m%u\xe2\x9a\xa1", g_rand_int_range (rand, 0, 6));

              json_object_set_member (object, member, random_node (rand, depth + 1));
            }
          json_node_init_object (node, object);
          json_object_unref (object);
          return node;
        }
    }
}

static void
test_random_documents (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261127);

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr (JsonNode) tree = random_node (rand, 0);
      g_autoptr (JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;
      g_autoptr (JsonNode) ours = NULL;
      gsize len;

      json_generator_set_root (generator, tree);
      json_generator_set_pretty (generator, g_rand_boolean (rand));
      text = json_generator_to_data (generator, &len);
      ours = _tally_json_read (text, len, NULL);
      if (ours == NULL || !json_node_equal (ours, tree))
        g_error ("document %u read differently: %s", i, text);
    }
}

static void
test_values (void)
{
  struct
  {
    const char *text;
    GType type;
    gint64 int_value;
    double double_value;
    const char *string_value;
  } cases[] = {
    { "0", G_TYPE_INT64, 0, 0, NULL },
    { "-0", G_TYPE_INT64, 0, 0, NULL },
    { "9223372036854775807", G_TYPE_INT64, G_MAXINT64, 0, NULL },
    { "-9223372036854775808", G_TYPE_INT64, G_MININT64, 0, NULL },
    { "1.0", G_TYPE_DOUBLE, 0, 1.0, NULL },
    { "0.1", G_TYPE_DOUBLE, 0, 0.1, NULL },
    { "0.02999685", G_TYPE_DOUBLE, 0, 0.02999685, NULL },
    { "-1.5E+2", G_TYPE_DOUBLE, 0, -150.0, NULL },
    { "1e-7", G_TYPE_DOUBLE, 0, 1e-7, NULL },
    { "123456789012345678901234567890.0", G_TYPE_DOUBLE, 0, 123456789012345678901234567890.0, NULL },
    { " \t\r\n\"x\"\n", G_TYPE_STRING, 0, 0, "x" },
    { "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", G_TYPE_STRING, 0, 0, "a\"b\\c/d\b\f\n\r\t" },
    { "\"\\u00e9\\u7528\\u26A1\"", G_TYPE_STRING, 0, 0, "é用⚡" },
    { "\"\\ud83d\\ude00\"", G_TYPE_STRING, 0, 0, "😀" },
    { "\"\\udbff\\udfff\"", G_TYPE_STRING, 0, 0, "\xf4\x8f\xbf\xbf" },
    { "\"a\\u0000b\"", G_TYPE_STRING, 0, 0, "a\xef\xbf\xbd"
                                            "b" },
    { "\"订阅 Claude Max ⚡\"", G_TYPE_STRING, 0, 0, "订阅 Claude Max ⚡" },
    { "true", G_TYPE_BOOLEAN, TRUE, 0, NULL },
    { "false", G_TYPE_BOOLEAN, FALSE, 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) node = read_text (cases[i].text);

      g_test_message ("%s", cases[i].text);
      g_assert_nonnull (node);
      g_assert_true (JSON_NODE_HOLDS_VALUE (node));
      g_assert_true (json_node_get_value_type (node) == cases[i].type);
      if (cases[i].type == G_TYPE_INT64)
        g_assert_cmpint (json_node_get_int (node), ==, cases[i].int_value);
      else if (cases[i].type == G_TYPE_DOUBLE)
        g_assert_cmpfloat (json_node_get_double (node), ==, cases[i].double_value);
      else if (cases[i].type == G_TYPE_STRING)
        g_assert_cmpstr (json_node_get_string (node), ==, cases[i].string_value);
      else
        g_assert_cmpint (json_node_get_boolean (node), ==, cases[i].int_value);
    }

  /* beyond the double range: ±inf, refused later by the model decoders */
  {
    g_autoptr (JsonNode) node = read_text ("-1e400");

    g_assert_nonnull (node);
    g_assert_true (isinf (json_node_get_double (node)) && json_node_get_double (node) < 0);
  }

  /* null, and a duplicate member keeps the last value in the first position */
  {
    g_autoptr (JsonNode) node = read_text ("{\"a\":1,\"b\":null,\"a\":[2]}");
    JsonObject *object = json_node_get_object (node);
    g_autoptr (GList) names = json_object_get_members (object);

    g_assert_cmpuint (json_object_get_size (object), ==, 2);
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "b")));
    g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (object, "a"), 0), ==, 2);
    g_assert_cmpstr (names->data, ==, "a");
  }
}

static void
test_rejects (void)
{
  g_autoptr (GString) deep_ok = g_string_new (NULL);
  g_autoptr (GString) too_deep = g_string_new (NULL);
  const char *bad[] = {
    "",
    "   ",
    "{",
    "[1,]",
    "{\"a\":1,}",
    "[1 2]",
    "{\"a\" 1}",
    "{a:1}",
    "{'a':1}",
    "[01]",
    "[-01]",
    "[1.]",
    "[.5]",
    "[1e]",
    "[1e+]",
    "[+1]",
    "[0x1f]",
    "[1x]",
    "[1.5.2]",
    "[NaN]",
    "[Infinity]",
    "[-]",
    "[tru]",
    "[nul]",
    "[True]",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "123456789012345678901234567890",
    "\"unterminated",
    "\"tab\there\"",
    "\"newline\nhere\"",
    "\"unit separator \x1f\"",
    "\"\\x41\"",
    "\"\\u12\"",
    "\"\\u12G4\"",
    "\"\\ud83d\"",
    "\"\\ud83dx\"",
    "\"\\ud83d\\u0041\"",
    "\"\\ude00\"",
    "\"\\",
    "{} {}",
    "{}x",
    "[1]]",
    "\xef\xbb\xbf{}",
    "[1]\f",
    "/* comment */ {}",
    "{\"a\":1} // comment",
    "\"bad utf-8 \xc3\x28\"",
    "\"overlong \xc0\xaf\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonNode) node = read_text (bad[i]);

      if (node != NULL)
        g_error ("accepted %s", bad[i]);
    }

  /* an embedded NUL byte */
  g_assert_null (_tally_json_read ("[\"a\0b\"]", 7, NULL));
  /* the length is honoured: no terminator needed, none read */
  {
    g_autoptr (JsonNode) node = _tally_json_read ("[12]345", 4, NULL);

    g_assert_cmpint (json_array_get_int_element (json_node_get_array (node), 0), ==, 12);
  }
  g_assert_null (_tally_json_read ("[12]345", 3, NULL));
  g_assert_null (_tally_json_read ("12345", 0, NULL));

  /* 512 nested containers are fine, 513 are not */
  for (guint i = 0; i < TALLY_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep_ok, '[');
  for (guint i = 0; i < TALLY_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep_ok, ']');
  g_string_append (too_deep, "[");
  g_string_append (too_deep, deep_ok->str);
  g_string_append (too_deep, "]");
  {
    g_autoptr (JsonNode) ok = read_text (deep_ok->str);

    g_assert_nonnull (ok);
  }
  g_assert_null (read_text (too_deep->str));
}

/* A usage page read with the client's skip list: the rows keep every field
 * the usage log model reads, lose the nested user and account, and "user" at
 * a shallower depth stays. */
static void
test_skip (void)
{
  static const char *const names[] = { "user", "account", NULL };
  static const char *const keep[] = { "id", "name", NULL };
  const TallyJsonSkip skip = { names, 3, keep };
  g_autoptr (GBytes) bytes = tally_test_load_fixture ("models-usage-page.json");
  g_autoptr (JsonNode) full = NULL;
  g_autoptr (JsonNode) skipped = NULL;
  JsonArray *full_items;
  JsonArray *skipped_items;
  const char *data;
  gsize len;
  guint n;

  data = g_bytes_get_data (bytes, &len);
  full = _tally_json_read (data, len, NULL);
  skipped = _tally_json_read (data, len, &skip);
  g_assert_nonnull (full);
  g_assert_nonnull (skipped);

  full_items = json_object_get_array_member (json_object_get_object_member (json_node_get_object (full), "data"), "items");
  skipped_items = json_object_get_array_member (json_object_get_object_member (json_node_get_object (skipped), "data"), "items");
  n = json_array_get_length (full_items);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (json_array_get_length (skipped_items), ==, n);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *full_row = json_array_get_object_element (full_items, i);
      JsonObject *skipped_row = json_array_get_object_element (skipped_items, i);
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;
      guint kept = 0;

      g_assert_true (json_object_has_member (full_row, "user"));
      g_assert_false (json_object_has_member (skipped_row, "user"));
      g_assert_false (json_object_has_member (skipped_row, "account"));

      json_object_iter_init (&iter, full_row);
      while (json_object_iter_next (&iter, &name, &member))
        {
          JsonNode *skipped_member;

          if (g_strv_contains (names, name))
            continue;
          skipped_member = json_object_get_member (skipped_row, name);
          g_assert_nonnull (skipped_member);
          kept++;
          if (!JSON_NODE_HOLDS_OBJECT (member))
            {
              g_assert_true (json_node_equal (member, skipped_member));
              continue;
            }

          /* nested objects (api_key, group) keep "id" and "name" only */
          {
            JsonObject *nested = json_node_get_object (member);
            JsonObject *skipped_nested = json_node_get_object (skipped_member);

            g_assert_cmpuint (json_object_get_size (skipped_nested), ==, 2);
            g_assert_cmpstr (json_object_get_string_member (skipped_nested, "name"), ==,
                             json_object_get_string_member (nested, "name"));
            g_assert_cmpint (json_object_get_int_member (skipped_nested, "id"), ==,
                             json_object_get_int_member (nested, "id"));
            g_assert_false (json_object_has_member (skipped_nested, "key"));
          }
        }
      g_assert_cmpuint (kept, ==, json_object_get_size (skipped_row));
    }

  /* at depth 1 (below min_depth) "user" is kept */
  {
    g_autoptr (JsonNode) shallow = read_text ("{\"data\":{\"user\":{\"id\":1}}}");
    g_autoptr (JsonNode) shallow_skipped = _tally_json_read ("{\"data\":{\"user\":{\"id\":1}}}", 26, &skip);

    g_assert_true (json_node_equal (shallow, shallow_skipped));
  }

  /* a skipped member is still checked: broken JSON inside it is refused */
  {
    const char *broken = "{\"data\":{\"items\":[{\"id\":1,\"user\":{\"id\":01}}]}}";
    const char *bad_escape = "{\"data\":{\"items\":[{\"id\":1,\"account\":\"\\ud800\"}]}}";

    g_assert_null (_tally_json_read (broken, strlen (broken), &skip));
    g_assert_null (_tally_json_read (bad_escape, strlen (bad_escape), &skip));
  }
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-reader/fixtures-equal-json-glib", test_fixtures_equal_json_glib);
  g_test_add_func ("/json-reader/random-documents", test_random_documents);
  g_test_add_func ("/json-reader/values", test_values);
  g_test_add_func ("/json-reader/rejects", test_rejects);
  g_test_add_func ("/json-reader/skip", test_skip);

  return g_test_run ();
}

/* fuzz-decoders-entry.h: one fuzz input through the envelope decoder and every JSON → model constructor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Header-only so that both the libFuzzer target (tests/fuzz/fuzz-decoders.c,
 * clang) and the regression test (tests/test-fuzz-regressions.c, the normal
 * build) run exactly the same code without a shared object file.
 *
 * Input layout:
 *   byte 0       HTTP status: tally_fuzz_statuses[byte % N]
 *   byte 1       bits 0-1: Content-Type (tally_fuzz_content_types)
 *                bits 2-4: Retry-After variant (tally_fuzz_retry_afters; the
 *                          last one uses the body itself as the header value)
 *                bits 5-7: max_chars for _tally_envelope_sanitize_text()
 *   bytes 2..    the body (missing bytes count as 0; no body bytes → NULL body)
 *
 * Everything that can be checked without knowing the input is asserted, so a
 * broken invariant is a finding just like a sanitizer report: errors are
 * TALLY_ERRORs with plain-text messages, decoded objects have property values
 * inside their GParamSpec ranges, list items have the list's item type, and
 * every object is finalized when the decoder's caller drops it.
 */

#pragma once

#include <math.h>
#include <string.h>

#include "tally-client.h"
#include "tally-envelope-private.h"
#include "tally-error.h"
#include "tally-json-reader-private.h"
#include "tally-models-private.h"

/* The first nine are the statuses the panel API really sends. */
static const guint tally_fuzz_statuses[] = {
  200,
  400,
  401,
  403,
  404,
  429,
  500,
  502,
  503,
  204,
  302,
  504,
};

static const char *const tally_fuzz_content_types[] = {
  "application/json; charset=utf-8",
  "text/html",
  "text/plain",
  NULL,
};

#define TALLY_FUZZ_CT_JSON 0
#define TALLY_FUZZ_CT_HTML 1
#define TALLY_FUZZ_CT_TEXT 2
#define TALLY_FUZZ_CT_NONE 3

/* NULL at the end = the body as a string */
static const char *const tally_fuzz_retry_afters[] = {
  NULL,
  "0",
  "7",
  " 120 ",
  "-5",
  "Wed, 21 Oct 2015 07:28:00 GMT",
  "18446744073709551616",
  NULL,
};

static const gsize tally_fuzz_sanitize_max[] = {
  0,
  1,
  2,
  8,
  40,
  200,
  1000,
  G_MAXSIZE,
};

/* How many JSON nodes (the data node, its members and array elements, and the
 * elements of array members) go through every constructor. */
#define TALLY_FUZZ_MAX_NODES 24

typedef gpointer (*TallyFuzzDecoder) (JsonNode *node,
                                      GError **error);

static const TallyFuzzDecoder tally_fuzz_item_decoders[] = {
  (TallyFuzzDecoder) _tally_user_new_from_json,
  (TallyFuzzDecoder) _tally_group_new_from_json,
  (TallyFuzzDecoder) _tally_api_key_new_from_json,
  (TallyFuzzDecoder) _tally_usage_log_new_from_json,
  (TallyFuzzDecoder) _tally_usage_stats_new_from_json,
  (TallyFuzzDecoder) _tally_dashboard_stats_new_from_json,
  (TallyFuzzDecoder) _tally_trend_point_new_from_json,
  (TallyFuzzDecoder) _tally_trend_new_from_json,
  (TallyFuzzDecoder) _tally_model_stat_new_from_json,
  (TallyFuzzDecoder) _tally_model_breakdown_new_from_json,
  (TallyFuzzDecoder) _tally_key_usage_new_from_json,
  (TallyFuzzDecoder) _tally_public_settings_new_from_json,
  (TallyFuzzDecoder) _tally_auth_result_new_from_json,
};

/* Builds the fuzzer input for @body sent with @status_index and @content_type
 * (the other selector bits 0): the layout make-seeds.sh writes. */
static inline GBytes *
tally_fuzz_make_input (guint status_index,
                       guint content_type,
                       const void *body,
                       gsize body_len)
{
  GByteArray *input = g_byte_array_sized_new (body_len + 2);
  guint8 selector[2] = { (guint8) status_index, (guint8) content_type };

  g_byte_array_append (input, selector, 2);
  g_byte_array_append (input, body, body_len);

  return g_byte_array_free_to_bytes (input);
}

/* Text shown to users: valid UTF-8, no markup brackets, no control characters, bounded. */
static void
tally_fuzz_check_message (const char *message,
                          glong max_chars)
{
  g_assert_nonnull (message);
  g_assert_true (g_utf8_validate (message, -1, NULL));
  g_assert_null (strchr (message, '<'));
  g_assert_null (strchr (message, '>'));
  for (const char *p = message; *p != '\0'; p++)
    g_assert_false (g_ascii_iscntrl (*p));
  g_assert_cmpint (g_utf8_strlen (message, -1), <=, max_chars);
}

static void tally_fuzz_check_object (GObject *object,
                                     guint depth);

static void
tally_fuzz_check_value (GParamSpec *pspec,
                        const GValue *value,
                        guint depth)
{
  g_auto (GValue) copy = G_VALUE_INIT;

  /* Every value lies inside its pspec's range (e.g. no infinite cost, no
   * nullable id below -1). A nullable double reads as NAN, which has no range. */
  if (!(G_VALUE_HOLDS_DOUBLE (value) && isnan (g_value_get_double (value))))
    {
      g_value_init (&copy, G_VALUE_TYPE (value));
      g_value_copy (value, &copy);
      g_assert_false (g_param_value_validate (pspec, &copy));
    }

  if (G_VALUE_HOLDS_STRING (value))
    {
      const char *s = g_value_get_string (value);

      g_assert_true (s == NULL || g_utf8_validate (s, -1, NULL));
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_DATE_TIME))
    {
      GDateTime *dt = g_value_get_boxed (value);

      if (dt != NULL)
        {
          g_autofree char *text = g_date_time_format_iso8601 (dt);

          g_assert_nonnull (text);
          (void) g_date_time_to_unix (dt);
        }
    }
  else if (G_VALUE_HOLDS_OBJECT (value))
    {
      GObject *child = g_value_get_object (value);

      if (child != NULL)
        tally_fuzz_check_object (child, depth + 1);
    }
}

static void
tally_fuzz_check_object (GObject *object,
                         guint depth)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  g_assert_true (G_IS_OBJECT (object));
  g_assert_cmpuint (depth, <, 8);

  if (G_IS_LIST_MODEL (object))
    {
      GListModel *model = G_LIST_MODEL (object);
      GType item_type = g_list_model_get_item_type (model);
      guint n_items = g_list_model_get_n_items (model);

      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr (GObject) item = g_list_model_get_item (model, i);

          g_assert_nonnull (item);
          g_assert_true (g_type_is_a (G_OBJECT_TYPE (item), item_type));
          tally_fuzz_check_object (item, depth + 1);
        }
      g_assert_null (g_list_model_get_item (model, n_items));
    }

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto (GValue) value = G_VALUE_INIT;

      if ((pspecs[i]->flags & G_PARAM_READABLE) == 0)
        continue;

      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (object, pspecs[i]->name, &value);
      tally_fuzz_check_value (pspecs[i], &value, depth);
    }

  /* the getters that are not properties */
  if (TALLY_IS_PAGE (object))
    (void) tally_page_is_last (TALLY_PAGE (object));
  if (TALLY_IS_API_KEY (object))
    (void) tally_api_key_is_active (TALLY_API_KEY (object));
}

/* A constructor either returns an object whose values all check out and that
 * dies with its last reference, or a TALLY_ERROR_BAD_RESPONSE. */
static void
tally_fuzz_check_decoded (gpointer object,
                          GError *error)
{
  if (object != NULL)
    {
      g_assert_no_error (error);
      tally_fuzz_check_object (object, 0);
      g_assert_finalize_object (object);
    }
  else
    {
      g_assert_error (error, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE);
      /* our own sentences, field names and at most a short piece of server text */
      tally_fuzz_check_message (error->message, 1000);
      g_error_free (error);
    }
}

static void
tally_fuzz_decode_node (JsonNode *node)
{
  for (guint i = 0; i < G_N_ELEMENTS (tally_fuzz_item_decoders); i++)
    {
      GError *error = NULL;
      gpointer object = tally_fuzz_item_decoders[i](node, &error);

      tally_fuzz_check_decoded (object, error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (tally_fuzz_item_decoders); i++)
    {
      GError *error = NULL;
      TallyPage *page = _tally_page_new_from_json (node, (TallyItemFromJson) tally_fuzz_item_decoders[i],
                                                   &error);

      tally_fuzz_check_decoded (page, error);
    }

  {
    GError *error = NULL;
    GListModel *list = _tally_key_usage_list_new_from_json (node, &error);

    if (list != NULL)
      g_assert_true (g_list_model_get_item_type (list) == TALLY_TYPE_KEY_USAGE);
    tally_fuzz_check_decoded (list, error);
  }
}

/* @data and, breadth first, its members and elements (two levels down). */
static void
tally_fuzz_decode_tree (JsonNode *data)
{
  g_autoptr (GPtrArray) nodes = g_ptr_array_new ();
  g_autoptr (GArray) depths = g_array_new (FALSE, FALSE, sizeof (guint));
  guint zero = 0;

  g_ptr_array_add (nodes, data);
  g_array_append_val (depths, zero);

  for (guint i = 0; i < nodes->len && i < TALLY_FUZZ_MAX_NODES; i++)
    {
      JsonNode *node = g_ptr_array_index (nodes, i);
      guint depth = g_array_index (depths, guint, i) + 1;
      g_autoptr (GList) members = NULL;

      tally_fuzz_decode_node (node);

      if (depth > 2 || nodes->len >= TALLY_FUZZ_MAX_NODES)
        continue;

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *object = json_node_get_object (node);

          members = json_object_get_values (object);
          for (const GList *l = members; l != NULL && nodes->len < TALLY_FUZZ_MAX_NODES; l = l->next)
            {
              g_ptr_array_add (nodes, l->data);
              g_array_append_val (depths, depth);
            }
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint j = 0; j < json_array_get_length (array) && nodes->len < TALLY_FUZZ_MAX_NODES; j++)
            {
              g_ptr_array_add (nodes, json_array_get_element (array, j));
              g_array_append_val (depths, depth);
            }
        }
    }
}

static void
tally_fuzz_check_envelope_error (const GError *error,
                                 guint status)
{
  guint retry;
  const char *reason;

  g_assert_nonnull (error);
  g_assert_true (error->domain == TALLY_ERROR);
  /* ~200 characters of server text plus our own sentence */
  tally_fuzz_check_message (error->message, 420);
  g_assert_cmpuint (tally_error_get_http_status (error), ==, status);

  reason = tally_error_get_reason (error);
  g_assert_true (reason == NULL || (reason[0] != '\0' && g_utf8_validate (reason, -1, NULL)));

  retry = tally_error_get_retry_after (error);
  if (retry != 0)
    g_assert_true (error->code == TALLY_ERROR_RATE_LIMITED || error->code == TALLY_ERROR_SERVER);

  /* an HTTP error status is always reported as what it is */
  if (status >= 400)
    g_assert_cmpint (error->code, !=, TALLY_ERROR_BAD_RESPONSE);
}

static void
tally_fuzz_check_sanitize (const char *text,
                           gsize max_chars)
{
  g_autofree char *out = _tally_envelope_sanitize_text (text, max_chars);

  g_assert_nonnull (out);
  g_assert_true (g_utf8_validate (out, -1, NULL));
  g_assert_null (strchr (out, '<'));
  g_assert_null (strchr (out, '>'));
  for (const char *p = out; *p != '\0'; p++)
    g_assert_false (g_ascii_iscntrl (*p));
  g_assert_true (out[0] != ' ' && !g_str_has_suffix (out, " "));
  if (max_chars < G_MAXSIZE)
    g_assert_cmpuint ((gsize) g_utf8_strlen (out, -1), <=, max_chars + 1);
}

/* @skipped is @full (at @depth) without the members @skip names. */
static void
tally_fuzz_check_skipped (JsonNode *full,
                          JsonNode *skipped,
                          const TallyJsonSkip *skip,
                          guint depth)
{
  g_assert_cmpint (json_node_get_node_type (full), ==, json_node_get_node_type (skipped));

  if (JSON_NODE_HOLDS_OBJECT (full))
    {
      JsonObject *full_object = json_node_get_object (full);
      JsonObject *skipped_object = json_node_get_object (skipped);
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;
      guint kept = 0;

      json_object_iter_init (&iter, full_object);
      while (json_object_iter_next (&iter, &name, &member))
        {
          if (depth >= skip->min_depth && (g_strv_contains (skip->names, name) || (depth > skip->min_depth && skip->nested_keep != NULL && !g_strv_contains (skip->nested_keep, name))))
            {
              g_assert_false (json_object_has_member (skipped_object, name));
              continue;
            }
          g_assert_true (json_object_has_member (skipped_object, name));
          tally_fuzz_check_skipped (member, json_object_get_member (skipped_object, name), skip, depth + 1);
          kept++;
        }
      g_assert_cmpuint (kept, ==, json_object_get_size (skipped_object));
    }
  else if (JSON_NODE_HOLDS_ARRAY (full))
    {
      JsonArray *full_array = json_node_get_array (full);
      JsonArray *skipped_array = json_node_get_array (skipped);
      guint n = json_array_get_length (full_array);

      g_assert_cmpuint (n, ==, json_array_get_length (skipped_array));
      for (guint i = 0; i < n; i++)
        tally_fuzz_check_skipped (json_array_get_element (full_array, i),
                                  json_array_get_element (skipped_array, i), skip, depth + 1);
    }
  else
    {
      g_assert_true (json_node_equal (full, skipped));
    }
}

/* The JSON reader against itself and against json-glib. Whatever the reader
 * accepts, json-glib reads to an equal tree (the reader is only stricter:
 * "\u0000", which json-glib cuts a string at, is the one documented
 * difference); skipping members never changes whether a body is accepted, and
 * a skipped tree is the full tree without exactly those members. */
static void
tally_fuzz_check_reader (const char *data,
                         gsize len)
{
  static const char *const names[] = { "user", "account", "data", NULL };
  static const char *const keep[] = { "id", "name", NULL };
  const TallyJsonSkip skip = { names, 1, keep };
  g_autoptr (JsonNode) full = _tally_json_read (data, len, NULL);
  g_autoptr (JsonNode) skipped = _tally_json_read (data, len, &skip);
  g_autoptr (JsonParser) parser = NULL;

  g_assert_true ((full == NULL) == (skipped == NULL));
  if (full == NULL)
    return;

  g_assert_true (json_node_is_immutable (full));

  tally_fuzz_check_skipped (full, skipped, &skip, 0);

  for (gsize i = 0; i + 5 < len; i++)
    if (data[i] == '\\' && data[i + 1] == 'u' && data[i + 2] == '0' && data[i + 3] == '0' && data[i + 4] == '0' && data[i + 5] == '0')
      return;

  parser = json_parser_new_immutable ();
  g_assert_true (json_parser_load_from_data (parser, data, (gssize) len, NULL));
  g_assert_true (json_node_equal (json_parser_get_root (parser), full));
}

/* The fuzz entry: never fails for any input, unless a decoder misbehaves. */
static void
tally_fuzz_decoders_run (const guint8 *input,
                         gsize size)
{
  guint8 s0 = size > 0 ? input[0] : 0;
  guint8 s1 = size > 1 ? input[1] : 0;
  guint status = tally_fuzz_statuses[s0 % G_N_ELEMENTS (tally_fuzz_statuses)];
  const char *content_type = tally_fuzz_content_types[s1 & 3];
  guint retry_variant = (s1 >> 2) & 7;
  gsize sanitize_max = tally_fuzz_sanitize_max[(s1 >> 5) & 7];
  const guint8 *body_data = size > 2 ? input + 2 : NULL;
  gsize body_len = size > 2 ? size - 2 : 0;
  g_autoptr (GBytes) body = body_data != NULL ? g_bytes_new (body_data, body_len) : NULL;
  /* the body as a C string (cut at the first NUL), for the string-taking functions */
  g_autofree char *text = g_strndup ((const char *) body_data, body_len);
  const char *retry_after = tally_fuzz_retry_afters[retry_variant];
  GError *error = NULL;
  JsonNode *data;

  if (retry_variant == G_N_ELEMENTS (tally_fuzz_retry_afters) - 1)
    retry_after = text;

  data = _tally_envelope_decode (status, content_type, body, retry_after, &error);
  if (data != NULL)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (status, >=, 200);
      g_assert_cmpuint (status, <, 300);
      tally_fuzz_decode_tree (data);
      json_node_unref (data);
    }
  else
    {
      tally_fuzz_check_envelope_error (error, status);
      g_error_free (error);
    }

  tally_fuzz_check_sanitize (text, sanitize_max);

  if (body_data != NULL)
    tally_fuzz_check_reader ((const char *) body_data, body_len);

  /* JWT payload decoding of an untrusted string */
  g_assert_cmpint (tally_token_get_expiry (text), >=, 0);
}

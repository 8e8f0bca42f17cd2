/* tally-demo-json.h: the pieces of Go's encoding/json the demo server must
 * reproduce byte for byte: a writer with Go's escaping and float format, and a
 * reader that reports Go's decoder error strings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* ------------------------------------------------------------------------ */
/* Go encoding/json text                                                     */

/* A compact writer that tracks commas. @key NULL inside arrays and at the top. */
typedef struct
{
  GString *out;
  guint depth;
  gboolean need_comma[64];
} TallyDemoJson;

void tally_demo_json_init (TallyDemoJson *json,
                           GString *out);
void tally_demo_json_begin_object (TallyDemoJson *json,
                                   const char *key);
void tally_demo_json_end_object (TallyDemoJson *json);
void tally_demo_json_begin_array (TallyDemoJson *json,
                                  const char *key);
void tally_demo_json_end_array (TallyDemoJson *json);
void tally_demo_json_int (TallyDemoJson *json,
                          const char *key,
                          gint64 value);
/* @value < 0 → null */
void tally_demo_json_nullable_int (TallyDemoJson *json,
                                   const char *key,
                                   gint64 value);
void tally_demo_json_double (TallyDemoJson *json,
                             const char *key,
                             double value);
/* isnan → null */
void tally_demo_json_nullable_double (TallyDemoJson *json,
                                      const char *key,
                                      double value);
/* units of 1e-10 USD, written as a float64 */
void tally_demo_json_money (TallyDemoJson *json,
                            const char *key,
                            gint64 units);
void tally_demo_json_string (TallyDemoJson *json,
                             const char *key,
                             const char *value);
void tally_demo_json_bool (TallyDemoJson *json,
                           const char *key,
                           gboolean value);
void tally_demo_json_null (TallyDemoJson *json,
                           const char *key);
/* RFC 3339 with Go's trimmed fraction, in the server offset ("Z" for 0). */
void tally_demo_json_time (TallyDemoJson *json,
                           const char *key,
                           gint64 unix_us,
                           int utc_offset);
/* Appends an already encoded JSON value verbatim. */
void tally_demo_json_raw (TallyDemoJson *json,
                          const char *key,
                          const char *raw);

/* The primitives: Go's float64 form ('f' for 1e-6 <= |x| < 1e21, else 'e'
 * with "e-07" cleaned to "e-7"; shortest round-trip digits) and Go's string
 * escaping (HTML-safe, U+2028/2029, invalid UTF-8 → \ufffd). */
void tally_demo_append_go_float (GString *out,
                                 double value);
void tally_demo_append_go_string (GString *out,
                                  const char *value,
                                  gssize length);
void tally_demo_append_rfc3339 (GString *out,
                                gint64 unix_us,
                                int utc_offset);

/* A parsed JSON value. Numbers keep their literal text. */
typedef enum
{
  TALLY_DEMO_VALUE_NULL,
  TALLY_DEMO_VALUE_BOOL,
  TALLY_DEMO_VALUE_NUMBER,
  TALLY_DEMO_VALUE_STRING,
  TALLY_DEMO_VALUE_ARRAY,
  TALLY_DEMO_VALUE_OBJECT,
} TallyDemoValueKind;

typedef struct _TallyDemoValue TallyDemoValue;
struct _TallyDemoValue
{
  TallyDemoValueKind kind;
  gboolean boolean;
  char *text;          /* STRING (decoded UTF-8) or NUMBER (the literal) */
  char *key;           /* the member name, on members of an OBJECT */
  GPtrArray *children; /* ARRAY elements, OBJECT members (each with ->key) */
};

void tally_demo_value_free (TallyDemoValue *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TallyDemoValue, tally_demo_value_free)

/* Decodes the first JSON value of @text like Go's json.Decoder.Decode (trailing
 * data ignored). On failure returns NULL and sets *@go_error to Go's message
 * ("EOF", "unexpected EOF", "invalid character 'x' looking for beginning of value"…). */
TallyDemoValue *tally_demo_value_parse (const char *text,
                                        gsize length,
                                        char **go_error);
/* Go's name for the JSON kind in UnmarshalTypeError ("number", "string", …). */
const char *tally_demo_value_kind_name (const TallyDemoValue *value);
/* Re-encodes @value like Go would (compact, numbers verbatim). */
void tally_demo_value_write (const TallyDemoValue *value,
                             GString *out);

/* Go's strconv.ParseInt (@text, 10, @bits) and strconv.ParseBool. */
gboolean tally_demo_parse_go_int (const char *text,
                                  int bits,
                                  gint64 *value);
gboolean tally_demo_parse_go_bool (const char *text,
                                   gboolean *value);

G_END_DECLS

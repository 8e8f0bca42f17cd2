/* tally-demo-json.c: the pieces of Go's encoding/json the demo server reproduces
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-demo-data"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tally-demo-calendar.h"
#include "tally-demo-json.h"
#include "tally-math-private.h"

/* ------------------------------------------------------------------------ */
/* Go encoding/json: writer                                                 */

void
tally_demo_append_go_float (GString *out,
                            double value)
{
  static const char *const formats[] = {
    "%.0e",
    "%.1e",
    "%.2e",
    "%.3e",
    "%.4e",
    "%.5e",
    "%.6e",
    "%.7e",
    "%.8e",
    "%.9e",
    "%.10e",
    "%.11e",
    "%.12e",
    "%.13e",
    "%.14e",
    "%.15e",
    "%.16e",
  };
  char buf[64];
  char digits[24];
  guint n_digits = 0;
  int exponent;
  double abs_value = fabs (value);
  const char *p;

  g_return_if_fail (isfinite (value));

  if (value == 0)
    {
      g_string_append (out, signbit (value) ? "-0" : "0");
      return;
    }

  /* The shortest precision that round-trips. Round-tripping is monotonic
   * (more correctly rounded digits are never further away) and 17 significant
   * digits always do: a binary search needs at most five tries. */
  {
    guint low = 0, high = G_N_ELEMENTS (formats) - 1;

    while (low < high)
      {
        guint mid = (low + high) / 2;

        g_ascii_formatd (buf, sizeof buf, formats[mid], value);
        if (g_ascii_strtod (buf, NULL) == value)
          high = mid;
        else
          low = mid + 1;
      }
    g_ascii_formatd (buf, sizeof buf, formats[low], value);
  }

  /* buf = [-]d[.ddd]e±XX */
  p = buf;
  if (*p == '-')
    {
      g_string_append_c (out, '-');
      p++;
    }
  for (; *p != 'e'; p++)
    if (g_ascii_isdigit (*p))
      digits[n_digits++] = *p;
  exponent = atoi (p + 1);
  while (n_digits > 1 && digits[n_digits - 1] == '0')
    n_digits--;

  if (abs_value < 1e-6 || abs_value >= 1e21)
    {
      g_string_append_c (out, digits[0]);
      if (n_digits > 1)
        {
          g_string_append_c (out, '.');
          g_string_append_len (out, digits + 1, n_digits - 1);
        }
      /* strconv writes at least two exponent digits; encoding/json turns e-07 into e-7 */
      if (exponent < 0)
        g_string_append_printf (out, "e-%d", -exponent);
      else
        g_string_append_printf (out, "e+%02d", exponent);
    }
  else if (exponent >= 0)
    {
      for (int i = 0; i <= exponent; i++)
        g_string_append_c (out, i < (int) n_digits ? digits[i] : '0');
      if ((int) n_digits > exponent + 1)
        {
          g_string_append_c (out, '.');
          g_string_append_len (out, digits + exponent + 1, n_digits - exponent - 1);
        }
    }
  else
    {
      g_string_append (out, "0.");
      for (int i = 0; i < -exponent - 1; i++)
        g_string_append_c (out, '0');
      g_string_append_len (out, digits, n_digits);
    }
}

void
tally_demo_append_go_string (GString *out,
                             const char *value,
                             gssize length)
{
  static const char hex[] = "0123456789abcdef";
  const char *p = value;
  const char *end;

  if (length < 0)
    length = strlen (value);
  end = value + length;

  g_string_append_c (out, '"');
  while (p < end)
    {
      const char *run = p;
      guchar c;

      /* plain ASCII in one piece */
      while (p < end && (guchar) *p >= 0x20 && (guchar) *p < 0x80 && *p != '"' && *p != '\\' && *p != '<' && *p != '>' && *p != '&')
        p++;
      if (p > run)
        g_string_append_len (out, run, p - run);
      if (p >= end)
        break;

      c = (guchar) *p;
      if (c < 0x80)
        {
          switch (c)
            {
              case '"':
                g_string_append (out, "\\\"");
                break;
              case '\\':
                g_string_append (out, "\\\\");
                break;
              case '\b':
                g_string_append (out, "\\b");
                break;
              case '\f':
                g_string_append (out, "\\f");
                break;
              case '\n':
                g_string_append (out, "\\n");
                break;
              case '\r':
                g_string_append (out, "\\r");
                break;
              case '\t':
                g_string_append (out, "\\t");
                break;
              default:
                if (c < 0x20 || c == '<' || c == '>' || c == '&')
                  {
                    g_string_append (out, "\\u00");
                    g_string_append_c (out, hex[c >> 4]);
                    g_string_append_c (out, hex[c & 0xf]);
                  }
                else
                  g_string_append_c (out, (char) c);
                break;
            }
          p++;
        }
      else
        {
          gunichar ch = g_utf8_get_char_validated (p, end - p);

          if (ch == (gunichar) -1 || ch == (gunichar) -2)
            {
              g_string_append (out, "\\ufffd");
              p++;
            }
          else
            {
              const char *next = g_utf8_next_char (p);

              if (ch == 0x2028 || ch == 0x2029)
                g_string_append_printf (out, "\\u%04x", ch);
              else
                g_string_append_len (out, p, next - p);
              p = next;
            }
        }
    }
  g_string_append_c (out, '"');
}

void
tally_demo_append_rfc3339 (GString *out,
                           gint64 unix_us,
                           int utc_offset)
{
  gint64 local = unix_us + utc_offset * TALLY_DEMO_US_PER_SECOND;
  gint64 days = _tally_floor_div (local, TALLY_DEMO_US_PER_DAY);
  gint64 rest = local - days * TALLY_DEMO_US_PER_DAY;
  gint64 seconds = rest / TALLY_DEMO_US_PER_SECOND;
  int fraction = (int) (rest % TALLY_DEMO_US_PER_SECOND);
  gint64 year;
  int month, day;

  tally_demo_civil_from_days (days, &year, &month, &day);
  g_string_append_printf (out, "%04" G_GINT64_FORMAT "-%02d-%02dT%02d:%02d:%02d",
                          year, month, day,
                          (int) (seconds / 3600), (int) (seconds / 60 % 60), (int) (seconds % 60));
  if (fraction != 0)
    {
      char frac[8];
      int len = 6;

      g_snprintf (frac, sizeof frac, "%06d", fraction);
      while (len > 0 && frac[len - 1] == '0')
        len--;
      g_string_append_c (out, '.');
      g_string_append_len (out, frac, len);
    }
  if (utc_offset == 0)
    g_string_append_c (out, 'Z');
  else
    {
      int abs_offset = ABS (utc_offset);

      g_string_append_printf (out, "%c%02d:%02d", utc_offset < 0 ? '-' : '+',
                              abs_offset / 3600, abs_offset / 60 % 60);
    }
}

void
tally_demo_json_init (TallyDemoJson *json,
                      GString *out)
{
  memset (json, 0, sizeof *json);
  json->out = out;
}

static void
json_prefix (TallyDemoJson *json,
             const char *key)
{
  if (json->need_comma[json->depth])
    g_string_append_c (json->out, ',');
  json->need_comma[json->depth] = TRUE;
  if (key != NULL)
    {
      tally_demo_append_go_string (json->out, key, -1);
      g_string_append_c (json->out, ':');
    }
}

void
tally_demo_json_begin_object (TallyDemoJson *json,
                              const char *key)
{
  json_prefix (json, key);
  g_string_append_c (json->out, '{');
  g_assert (json->depth + 1 < G_N_ELEMENTS (json->need_comma));
  json->need_comma[++json->depth] = FALSE;
}

void
tally_demo_json_end_object (TallyDemoJson *json)
{
  g_assert (json->depth > 0);
  json->depth--;
  g_string_append_c (json->out, '}');
}

void
tally_demo_json_begin_array (TallyDemoJson *json,
                             const char *key)
{
  json_prefix (json, key);
  g_string_append_c (json->out, '[');
  g_assert (json->depth + 1 < G_N_ELEMENTS (json->need_comma));
  json->need_comma[++json->depth] = FALSE;
}

void
tally_demo_json_end_array (TallyDemoJson *json)
{
  g_assert (json->depth > 0);
  json->depth--;
  g_string_append_c (json->out, ']');
}

void
tally_demo_json_int (TallyDemoJson *json,
                     const char *key,
                     gint64 value)
{
  json_prefix (json, key);
  g_string_append_printf (json->out, "%" G_GINT64_FORMAT, value);
}

void
tally_demo_json_nullable_int (TallyDemoJson *json,
                              const char *key,
                              gint64 value)
{
  if (value < 0)
    tally_demo_json_null (json, key);
  else
    tally_demo_json_int (json, key, value);
}

void
tally_demo_json_double (TallyDemoJson *json,
                        const char *key,
                        double value)
{
  json_prefix (json, key);
  tally_demo_append_go_float (json->out, value);
}

void
tally_demo_json_nullable_double (TallyDemoJson *json,
                                 const char *key,
                                 double value)
{
  if (isnan (value))
    tally_demo_json_null (json, key);
  else
    tally_demo_json_double (json, key, value);
}

void
tally_demo_json_money (TallyDemoJson *json,
                       const char *key,
                       gint64 units)
{
  /* exact integer / exact power of ten, correctly rounded: the double
   * nearest to the decimal, as Go gets when it scans a DECIMAL(20,10) */
  tally_demo_json_double (json, key, (double) units / 1e10);
}

void
tally_demo_json_string (TallyDemoJson *json,
                        const char *key,
                        const char *value)
{
  json_prefix (json, key);
  tally_demo_append_go_string (json->out, value != NULL ? value : "", -1);
}

void
tally_demo_json_bool (TallyDemoJson *json,
                      const char *key,
                      gboolean value)
{
  json_prefix (json, key);
  g_string_append (json->out, value ? "true" : "false");
}

void
tally_demo_json_null (TallyDemoJson *json,
                      const char *key)
{
  json_prefix (json, key);
  g_string_append (json->out, "null");
}

void
tally_demo_json_time (TallyDemoJson *json,
                      const char *key,
                      gint64 unix_us,
                      int utc_offset)
{
  json_prefix (json, key);
  g_string_append_c (json->out, '"');
  tally_demo_append_rfc3339 (json->out, unix_us, utc_offset);
  g_string_append_c (json->out, '"');
}

void
tally_demo_json_raw (TallyDemoJson *json,
                     const char *key,
                     const char *raw)
{
  json_prefix (json, key);
  g_string_append (json->out, raw);
}

/* ------------------------------------------------------------------------ */
/* Go encoding/json: reader                                                 */

#define MAX_DEPTH 10000

typedef struct
{
  const char *p;
  const char *end;
  guint depth;
  char *error;
} Reader;

/* encoding/json quoteChar */
static char *
go_quote_char (guchar c)
{
  if (c == '\'')
    return g_strdup ("'\\''");
  if (c == '"')
    return g_strdup ("'\"'");
  switch (c)
    {
      case '\a':
        return g_strdup ("'\\a'");
      case '\b':
        return g_strdup ("'\\b'");
      case '\f':
        return g_strdup ("'\\f'");
      case '\n':
        return g_strdup ("'\\n'");
      case '\r':
        return g_strdup ("'\\r'");
      case '\t':
        return g_strdup ("'\\t'");
      case '\v':
        return g_strdup ("'\\v'");
      case '\\':
        return g_strdup ("'\\\\'");
      default:
        break;
    }
  if (c < 0x20 || c == 0x7f)
    return g_strdup_printf ("'\\x%02x'", c);
  if (c < 0x80)
    return g_strdup_printf ("'%c'", c);
  if (c < 0xa1 || c == 0xad)
    return g_strdup_printf ("'\\u%04x'", c);
  {
    char utf8[8] = { 0 };

    g_unichar_to_utf8 (c, utf8);
    return g_strdup_printf ("'%s'", utf8);
  }
}

static gboolean
reader_fail (Reader *reader,
             const char *context)
{
  if (reader->error == NULL)
    {
      if (reader->p >= reader->end)
        reader->error = g_strdup ("unexpected EOF");
      else
        {
          g_autofree char *quoted = go_quote_char ((guchar) *reader->p);

          reader->error = g_strdup_printf ("invalid character %s %s", quoted, context);
        }
    }
  return FALSE;
}

static void
reader_skip_space (Reader *reader)
{
  while (reader->p < reader->end && (*reader->p == ' ' || *reader->p == '\t' || *reader->p == '\n' || *reader->p == '\r'))
    reader->p++;
}

static TallyDemoValue *
value_new (TallyDemoValueKind kind)
{
  TallyDemoValue *value = g_new0 (TallyDemoValue, 1);

  value->kind = kind;
  if (kind == TALLY_DEMO_VALUE_ARRAY || kind == TALLY_DEMO_VALUE_OBJECT)
    value->children = g_ptr_array_new_with_free_func ((GDestroyNotify) tally_demo_value_free);
  return value;
}

void
tally_demo_value_free (TallyDemoValue *value)
{
  if (value == NULL)
    return;
  g_free (value->text);
  g_free (value->key);
  g_clear_pointer (&value->children, g_ptr_array_unref);
  g_free (value);
}

static TallyDemoValue *read_value (Reader *reader);

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Reader *reader,
           gunichar *out)
{
  *out = 0;
  for (guint i = 0; i < 4; i++)
    {
      int v;

      if (reader->p >= reader->end)
        return reader_fail (reader, NULL);
      v = hex_value (*reader->p);
      if (v < 0)
        return reader_fail (reader, "in \\u hexadecimal character escape");
      *out = *out * 16 + v;
      reader->p++;
    }
  return TRUE;
}

/* *reader->p == '"' */
static char *
read_string (Reader *reader)
{
  g_autoptr (GString) raw = g_string_new (NULL);

  reader->p++;
  for (;;)
    {
      guchar c;

      if (reader->p >= reader->end)
        {
          reader_fail (reader, NULL);
          return NULL;
        }
      c = (guchar) *reader->p;
      if (c == '"')
        {
          reader->p++;
          break;
        }
      if (c < 0x20)
        {
          reader_fail (reader, "in string literal");
          return NULL;
        }
      if (c != '\\')
        {
          g_string_append_c (raw, (char) c);
          reader->p++;
          continue;
        }

      reader->p++;
      if (reader->p >= reader->end)
        {
          reader_fail (reader, NULL);
          return NULL;
        }
      c = (guchar) *reader->p;
      reader->p++;
      switch (c)
        {
          case '"':
          case '\\':
          case '/':
            g_string_append_c (raw, (char) c);
            break;
          case 'b':
            g_string_append_c (raw, '\b');
            break;
          case 'f':
            g_string_append_c (raw, '\f');
            break;
          case 'n':
            g_string_append_c (raw, '\n');
            break;
          case 'r':
            g_string_append_c (raw, '\r');
            break;
          case 't':
            g_string_append_c (raw, '\t');
            break;
          case 'u':
            {
              gunichar ch;

              if (!read_hex4 (reader, &ch))
                return NULL;
              if (ch >= 0xd800 && ch < 0xdc00 && reader->end - reader->p >= 6 && reader->p[0] == '\\' && reader->p[1] == 'u')
                {
                  const char *save = reader->p;
                  gunichar low;

                  reader->p += 2;
                  if (!read_hex4 (reader, &low))
                    return NULL;
                  if (low >= 0xdc00 && low < 0xe000)
                    ch = 0x10000 + ((ch - 0xd800) << 10) + (low - 0xdc00);
                  else
                    reader->p = save;
                }
              if (ch >= 0xd800 && ch < 0xe000)
                ch = 0xfffd;
              g_string_append_unichar (raw, ch);
            }
            break;
          default:
            reader->p--;
            reader_fail (reader, "in string escape code");
            return NULL;
        }
    }

  /* encoding/json replaces invalid UTF-8 with U+FFFD */
  return g_utf8_make_valid (raw->str, raw->len);
}

static gboolean
read_digits (Reader *reader)
{
  const char *start = reader->p;

  while (reader->p < reader->end && g_ascii_isdigit (*reader->p))
    reader->p++;
  return reader->p > start;
}

static TallyDemoValue *
read_number (Reader *reader)
{
  const char *start = reader->p;
  TallyDemoValue *value;

  if (*reader->p == '-')
    {
      reader->p++;
      if (reader->p >= reader->end || !g_ascii_isdigit (*reader->p))
        {
          reader_fail (reader, "in numeric literal");
          return NULL;
        }
    }
  if (*reader->p == '0')
    reader->p++;
  else
    read_digits (reader);

  if (reader->p < reader->end && *reader->p == '.')
    {
      reader->p++;
      if (!read_digits (reader))
        {
          reader_fail (reader, "after decimal point in numeric literal");
          return NULL;
        }
    }
  if (reader->p < reader->end && (*reader->p == 'e' || *reader->p == 'E'))
    {
      reader->p++;
      if (reader->p < reader->end && (*reader->p == '+' || *reader->p == '-'))
        reader->p++;
      if (!read_digits (reader))
        {
          reader_fail (reader, "in exponent of numeric literal");
          return NULL;
        }
    }

  value = value_new (TALLY_DEMO_VALUE_NUMBER);
  value->text = g_strndup (start, reader->p - start);
  return value;
}

static TallyDemoValue *
read_literal (Reader *reader,
              const char *word,
              TallyDemoValueKind kind,
              gboolean boolean)
{
  TallyDemoValue *value;

  reader->p++;
  for (const char *w = word + 1; *w != '\0'; w++)
    {
      if (reader->p >= reader->end || *reader->p != *w)
        {
          g_autofree char *context = g_strdup_printf ("in literal %s (expecting '%c')", word, *w);

          reader_fail (reader, context);
          return NULL;
        }
      reader->p++;
    }

  value = value_new (kind);
  value->boolean = boolean;
  return value;
}

static TallyDemoValue *
read_container (Reader *reader,
                gboolean is_object)
{
  g_autoptr (TallyDemoValue) value = value_new (is_object ? TALLY_DEMO_VALUE_OBJECT : TALLY_DEMO_VALUE_ARRAY);
  char close = is_object ? '}' : ']';

  if (++reader->depth > MAX_DEPTH)
    {
      if (reader->error == NULL)
        reader->error = g_strdup ("exceeded max depth");
      return NULL;
    }

  reader->p++;
  reader_skip_space (reader);
  if (reader->p >= reader->end)
    {
      reader_fail (reader, NULL);
      return NULL;
    }
  if (*reader->p == close)
    {
      reader->p++;
      reader->depth--;
      return g_steal_pointer (&value);
    }

  for (;;)
    {
      g_autofree char *key = NULL;
      TallyDemoValue *child;

      if (is_object)
        {
          if (reader->p >= reader->end || *reader->p != '"')
            {
              reader_fail (reader, "looking for beginning of object key string");
              return NULL;
            }
          key = read_string (reader);
          if (key == NULL)
            return NULL;
          reader_skip_space (reader);
          if (reader->p >= reader->end || *reader->p != ':')
            {
              reader_fail (reader, "after object key");
              return NULL;
            }
          reader->p++;
          reader_skip_space (reader);
        }

      child = read_value (reader);
      if (child == NULL)
        return NULL;
      child->key = g_steal_pointer (&key);
      g_ptr_array_add (value->children, child);

      reader_skip_space (reader);
      if (reader->p >= reader->end)
        {
          reader_fail (reader, NULL);
          return NULL;
        }
      if (*reader->p == ',')
        {
          reader->p++;
          reader_skip_space (reader);
          continue;
        }
      if (*reader->p == close)
        {
          reader->p++;
          reader->depth--;
          return g_steal_pointer (&value);
        }
      reader_fail (reader, is_object ? "after object key:value pair" : "after array element");
      return NULL;
    }
}

static TallyDemoValue *
read_value (Reader *reader)
{
  if (reader->p >= reader->end)
    {
      reader_fail (reader, NULL);
      return NULL;
    }

  switch (*reader->p)
    {
      case '{':
        return read_container (reader, TRUE);
      case '[':
        return read_container (reader, FALSE);
      case '"':
        {
          char *text = read_string (reader);
          TallyDemoValue *value;

          if (text == NULL)
            return NULL;
          value = value_new (TALLY_DEMO_VALUE_STRING);
          value->text = text;
          return value;
        }
      case 't':
        return read_literal (reader, "true", TALLY_DEMO_VALUE_BOOL, TRUE);
      case 'f':
        return read_literal (reader, "false", TALLY_DEMO_VALUE_BOOL, FALSE);
      case 'n':
        return read_literal (reader, "null", TALLY_DEMO_VALUE_NULL, FALSE);
      default:
        if (*reader->p == '-' || g_ascii_isdigit (*reader->p))
          return read_number (reader);
        reader_fail (reader, "looking for beginning of value");
        return NULL;
    }
}

TallyDemoValue *
tally_demo_value_parse (const char *text,
                        gsize length,
                        char **go_error)
{
  Reader reader = { text, text + length, 0, NULL };
  TallyDemoValue *value;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (go_error != NULL && *go_error == NULL, NULL);

  reader_skip_space (&reader);
  if (reader.p >= reader.end)
    {
      *go_error = g_strdup ("EOF");
      return NULL;
    }

  value = read_value (&reader);
  if (value == NULL)
    {
      *go_error = reader.error != NULL ? reader.error : g_strdup ("unexpected EOF");
      return NULL;
    }
  g_free (reader.error);
  return value;
}

const char *
tally_demo_value_kind_name (const TallyDemoValue *value)
{
  switch (value->kind)
    {
      case TALLY_DEMO_VALUE_NULL:
        return "null";
      case TALLY_DEMO_VALUE_BOOL:
        return "bool";
      case TALLY_DEMO_VALUE_NUMBER:
        return "number";
      case TALLY_DEMO_VALUE_STRING:
        return "string";
      case TALLY_DEMO_VALUE_ARRAY:
        return "array";
      case TALLY_DEMO_VALUE_OBJECT:
        return "object";
      default:
        g_assert_not_reached ();
    }
}

void
tally_demo_value_write (const TallyDemoValue *value,
                        GString *out)
{
  switch (value->kind)
    {
      case TALLY_DEMO_VALUE_NULL:
        g_string_append (out, "null");
        break;
      case TALLY_DEMO_VALUE_BOOL:
        g_string_append (out, value->boolean ? "true" : "false");
        break;
      case TALLY_DEMO_VALUE_NUMBER:
        g_string_append (out, value->text);
        break;
      case TALLY_DEMO_VALUE_STRING:
        tally_demo_append_go_string (out, value->text, -1);
        break;
      case TALLY_DEMO_VALUE_ARRAY:
      case TALLY_DEMO_VALUE_OBJECT:
        {
          gboolean is_object = value->kind == TALLY_DEMO_VALUE_OBJECT;

          g_string_append_c (out, is_object ? '{' : '[');
          for (guint i = 0; i < value->children->len; i++)
            {
              const TallyDemoValue *child = g_ptr_array_index (value->children, i);

              if (i > 0)
                g_string_append_c (out, ',');
              if (is_object)
                {
                  tally_demo_append_go_string (out, child->key, -1);
                  g_string_append_c (out, ':');
                }
              tally_demo_value_write (child, out);
            }
          g_string_append_c (out, is_object ? '}' : ']');
        }
        break;
      default:
        g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------------ */
/* strconv                                                                  */

gboolean
tally_demo_parse_go_int (const char *text,
                         int bits,
                         gint64 *value)
{
  guint64 cutoff;
  guint64 v = 0;
  gboolean negative = FALSE;
  const char *p = text;

  g_return_val_if_fail (bits > 0 && bits <= 64, FALSE);

  if (p == NULL || *p == '\0')
    return FALSE;
  if (*p == '+' || *p == '-')
    negative = *p++ == '-';
  if (*p == '\0')
    return FALSE;

  /* magnitude limit: 2^(bits-1) - 1, or 2^(bits-1) when negative */
  cutoff = (G_GUINT64_CONSTANT (1) << (bits - 1)) - (negative ? 0 : 1);
  for (; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      if (v > (cutoff - (guint64) (*p - '0')) / 10)
        return FALSE;
      v = v * 10 + (guint64) (*p - '0');
    }

  *value = negative ? (gint64) (0 - v) : (gint64) v;
  return TRUE;
}

gboolean
tally_demo_parse_go_bool (const char *text,
                          gboolean *value)
{
  static const char *const truthy[] = { "1", "t", "T", "TRUE", "true", "True" };
  static const char *const falsy[] = { "0", "f", "F", "FALSE", "false", "False" };

  for (guint i = 0; i < G_N_ELEMENTS (truthy); i++)
    {
      if (g_str_equal (text, truthy[i]))
        {
          *value = TRUE;
          return TRUE;
        }
      if (g_str_equal (text, falsy[i]))
        {
          *value = FALSE;
          return TRUE;
        }
    }
  return FALSE;
}

/* tally-json-reader.c: a strict, fast JSON reader that builds json-glib trees
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A recursive-descent reader over a byte range. One function reads a value
 * either into a JsonNode or, when the caller passes no place for it, only
 * checks it: skipped members get exactly the same checks as built ones, so
 * skipping never changes what is accepted.
 */

#define G_LOG_DOMAIN "tally-json-reader"

#include "config.h"

#include <string.h>

#include "tally-json-reader-private.h"

typedef struct
{
  const char *p;
  const char *end;
  const TallyJsonSkip *skip;
  GString *scratch; /* the current string, unescaped and NUL-terminated */
} Reader;

static gboolean read_value (Reader *reader,
                            guint depth,
                            JsonNode **out);

static inline void
skip_space (Reader *reader)
{
  while (reader->p < reader->end && (*reader->p == ' ' || *reader->p == '\n' || *reader->p == '\r' || *reader->p == '\t'))
    reader->p++;
}

static inline gboolean
expect_char (Reader *reader,
             char c)
{
  skip_space (reader);
  if (reader->p < reader->end && *reader->p == c)
    {
      reader->p++;
      return TRUE;
    }
  return FALSE;
}

static gboolean
read_literal (Reader *reader,
              const char *word,
              gsize word_len)
{
  if ((gsize) (reader->end - reader->p) < word_len || memcmp (reader->p, word, word_len) != 0)
    return FALSE;

  reader->p += word_len;
  return TRUE;
}

static gboolean
read_hex4 (Reader *reader,
           gunichar *out)
{
  gunichar value = 0;

  if (reader->end - reader->p < 4)
    return FALSE;

  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (reader->p[i]);

      if (digit < 0)
        return FALSE;
      value = (value << 4) | (gunichar) digit;
    }

  reader->p += 4;
  *out = value;
  return TRUE;
}

/* After a backslash: one escape, appended to @out when it is not NULL. */
static gboolean
read_escape (Reader *reader,
             GString *out)
{
  gunichar c;
  char utf8[6];

  if (reader->p >= reader->end)
    return FALSE;

  switch (*reader->p++)
    {
      case '"':
        c = '"';
        break;
      case '\\':
        c = '\\';
        break;
      case '/':
        c = '/';
        break;
      case 'b':
        c = '\b';
        break;
      case 'f':
        c = '\f';
        break;
      case 'n':
        c = '\n';
        break;
      case 'r':
        c = '\r';
        break;
      case 't':
        c = '\t';
        break;
      case 'u':
        if (!read_hex4 (reader, &c))
          return FALSE;
        if (c >= 0xDC00 && c <= 0xDFFF)
          return FALSE; /* a low surrogate first */
        if (c >= 0xD800 && c <= 0xDBFF)
          {
            gunichar low;

            if (reader->end - reader->p < 2 || reader->p[0] != '\\' || reader->p[1] != 'u')
              return FALSE;
            reader->p += 2;
            if (!read_hex4 (reader, &low) || low < 0xDC00 || low > 0xDFFF)
              return FALSE;
            c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
          }
        else if (c == 0)
          c = 0xFFFD; /* never an embedded NUL */
        break;
      default:
        return FALSE;
    }

  if (out != NULL)
    g_string_append_len (out, utf8, g_unichar_to_utf8 (c, utf8));

  return TRUE;
}

/* At the opening quote. With @unescape, the text ends up in reader->scratch. */
static gboolean
read_string (Reader *reader,
             gboolean unescape)
{
  GString *out = unescape ? reader->scratch : NULL;
  const char *run;

  g_assert (*reader->p == '"');
  reader->p++;

  if (out != NULL)
    g_string_truncate (out, 0);

  for (;;)
    {
      run = reader->p;
      /* the input is valid UTF-8: bytes >= 0x80 are parts of characters */
      while (reader->p < reader->end && *reader->p != '"' && *reader->p != '\\' && (guchar) *reader->p >= 0x20)
        reader->p++;

      if (out != NULL)
        g_string_append_len (out, run, reader->p - run);

      if (reader->p >= reader->end || (guchar) *reader->p < 0x20)
        return FALSE; /* unterminated, or a raw control character */

      if (*reader->p++ == '"')
        return TRUE;

      if (!read_escape (reader, out))
        return FALSE;
    }
}

static gboolean
read_number (Reader *reader,
             JsonNode **out)
{
  const char *start = reader->p;
  const char *p = reader->p;
  gboolean negative = FALSE;
  gboolean integer = TRUE;
  guint64 magnitude = 0;
  gboolean overflow = FALSE;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }

  if (p >= reader->end || !g_ascii_isdigit (*p))
    return FALSE;

  if (*p == '0')
    p++;
  else
    while (p < reader->end && g_ascii_isdigit (*p))
      {
        guint digit = (guint) (*p - '0');

        if (magnitude > (G_MAXUINT64 - digit) / 10)
          overflow = TRUE;
        else
          magnitude = magnitude * 10 + digit;
        p++;
      }

  if (p < reader->end && *p == '.')
    {
      integer = FALSE;
      p++;
      if (p >= reader->end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < reader->end && g_ascii_isdigit (*p))
        p++;
    }

  if (p < reader->end && (*p == 'e' || *p == 'E'))
    {
      integer = FALSE;
      p++;
      if (p < reader->end && (*p == '+' || *p == '-'))
        p++;
      if (p >= reader->end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < reader->end && g_ascii_isdigit (*p))
        p++;
    }

  /* "01", "1x", "1.5.2": the grammar allows nothing else to follow directly */
  if (p < reader->end && (g_ascii_isalnum (*p) || *p == '.' || *p == '+' || *p == '-' || *p == '_'))
    return FALSE;

  reader->p = p;

  if (integer)
    {
      gint64 value;

      if (overflow || magnitude > (guint64) G_MAXINT64 + (negative ? 1 : 0))
        return FALSE; /* would not be read as sent */

      value = negative ? (gint64) (0 - magnitude) : (gint64) magnitude;
      if (out != NULL)
        {
          *out = json_node_alloc ();
          json_node_init_int (*out, value);
        }
      return TRUE;
    }

  if (out != NULL)
    {
      g_string_truncate (reader->scratch, 0);
      g_string_append_len (reader->scratch, start, p - start);
      *out = json_node_alloc ();
      json_node_init_double (*out, g_ascii_strtod (reader->scratch->str, NULL));
    }

  return TRUE;
}

static gboolean
name_in (const char *const *names,
         const char *name)
{
  for (; *names != NULL; names++)
    if (strcmp (*names, name) == 0)
      return TRUE;

  return FALSE;
}

/* Whether the member @name of an object at @depth is left out. */
static gboolean
skip_member (Reader *reader,
             guint depth,
             const char *name)
{
  const TallyJsonSkip *skip = reader->skip;

  if (skip == NULL || depth < skip->min_depth)
    return FALSE;

  if (name_in (skip->names, name))
    return TRUE;

  return depth > skip->min_depth && skip->nested_keep != NULL && !name_in (skip->nested_keep, name);
}

/* At '{'; @depth is the object's own depth. */
static gboolean
read_object (Reader *reader,
             guint depth,
             JsonNode **out)
{
  g_autoptr (JsonObject) object = NULL;

  reader->p++;
  if (out != NULL)
    object = json_object_new ();

  if (expect_char (reader, '}'))
    goto done;

  do
    {
      g_autofree char *name = NULL;
      JsonNode *member = NULL;
      gboolean build;

      skip_space (reader);
      if (reader->p >= reader->end || *reader->p != '"' || !read_string (reader, out != NULL))
        return FALSE;

      build = out != NULL && !skip_member (reader, depth, reader->scratch->str);
      if (build)
        name = g_strndup (reader->scratch->str, reader->scratch->len);

      if (!expect_char (reader, ':') || !read_value (reader, depth + 1, build ? &member : NULL))
        return FALSE;

      if (build)
        json_object_set_member (object, name, member);
    }
  while (expect_char (reader, ','));

  if (!expect_char (reader, '}'))
    return FALSE;

done:
  if (out != NULL)
    {
      *out = json_node_alloc ();
      json_node_init_object (*out, object);
    }
  return TRUE;
}

/* At '['; @depth is the array's own depth. */
static gboolean
read_array (Reader *reader,
            guint depth,
            JsonNode **out)
{
  g_autoptr (JsonArray) array = NULL;

  reader->p++;
  if (out != NULL)
    array = json_array_new ();

  if (expect_char (reader, ']'))
    goto done;

  do
    {
      JsonNode *element = NULL;

      if (!read_value (reader, depth + 1, out != NULL ? &element : NULL))
        return FALSE;

      if (out != NULL)
        json_array_add_element (array, element);
    }
  while (expect_char (reader, ','));

  if (!expect_char (reader, ']'))
    return FALSE;

done:
  if (out != NULL)
    {
      *out = json_node_alloc ();
      json_node_init_array (*out, array);
    }
  return TRUE;
}

/* Reads one value at @depth into *@out (a new node), or only checks it when
 * @out is NULL. On failure *@out is left NULL. */
static gboolean
read_value (Reader *reader,
            guint depth,
            JsonNode **out)
{
  skip_space (reader);
  if (reader->p >= reader->end)
    return FALSE;

  switch (*reader->p)
    {
      case '{':
      case '[':
        {
          JsonNode *node = NULL;
          gboolean ok;

          /* depth counts from 0: the TALLY_JSON_MAX_DEPTH-th container is at depth MAX - 1 */
          if (depth >= TALLY_JSON_MAX_DEPTH)
            return FALSE;

          ok = *reader->p == '{'
                   ? read_object (reader, depth, out != NULL ? &node : NULL)
                   : read_array (reader, depth, out != NULL ? &node : NULL);
          if (out != NULL)
            *out = node;
          return ok;
        }

      case '"':
        if (!read_string (reader, out != NULL))
          return FALSE;
        if (out != NULL)
          {
            *out = json_node_alloc ();
            json_node_init_string (*out, reader->scratch->str);
          }
        return TRUE;

      case 't':
      case 'f':
        {
          gboolean value = *reader->p == 't';

          if (!(value ? read_literal (reader, "true", 4) : read_literal (reader, "false", 5)))
            return FALSE;
          if (out != NULL)
            {
              *out = json_node_alloc ();
              json_node_init_boolean (*out, value);
            }
          return TRUE;
        }

      case 'n':
        if (!read_literal (reader, "null", 4))
          return FALSE;
        if (out != NULL)
          {
            *out = json_node_alloc ();
            json_node_init_null (*out);
          }
        return TRUE;

      default:
        return read_number (reader, out);
    }
}

JsonNode *
_tally_json_read (const char *data,
                  gsize len,
                  const TallyJsonSkip *skip)
{
  Reader reader = { 0 };
  g_autoptr (GString) scratch = NULL;
  g_autoptr (JsonNode) root = NULL;
  gboolean ok;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (skip == NULL || skip->names != NULL, NULL);

  /* also refuses NUL bytes */
  if (len > G_MAXSSIZE || !g_utf8_validate (data, (gssize) len, NULL))
    return NULL;

  scratch = g_string_sized_new (256);
  reader.p = data;
  reader.end = data + len;
  reader.skip = skip;
  reader.scratch = scratch;

  ok = read_value (&reader, 0, &root);
  if (!ok)
    return NULL;

  skip_space (&reader);
  if (reader.p != reader.end)
    return NULL;

  json_node_seal (root);
  return g_steal_pointer (&root);
}

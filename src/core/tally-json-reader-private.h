/* tally-json-reader-private.h: a strict, fast JSON reader that builds json-glib trees
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Core-internal. Every document from a server goes through _tally_json_read():
 * it replaces json-glib's JsonParser, which is slow (a GScanner per
 * character, half of an export's CPU time), recurses without a limit, reads
 * integers beyond 64 bits modulo 2^64 and can build strings that are not
 * UTF-8. The reader accepts exactly RFC 8259 JSON and builds the same tree
 * JsonParser would for it, with these rules:
 *
 * - the input must be valid UTF-8 (no NUL bytes); only ' ', '\t', '\n', '\r'
 *   count as white space; nothing but white space may follow the value;
 * - containers nest at most TALLY_JSON_MAX_DEPTH levels;
 * - a number without fraction or exponent is a gint64 and must fit in one; any
 *   other number is a double (one beyond the double range reads as ±inf, as
 *   with JsonParser, and the model decoders refuse it);
 * - string escapes must be complete; a surrogate pair gives one character, a
 *   lone surrogate is an error; "\u0000" becomes U+FFFD, so strings never
 *   carry an embedded NUL;
 * - a member name seen twice keeps the last value (as JsonParser does);
 * - the tree is sealed (immutable), as from json_parser_new_immutable().
 *
 * Skipping: in objects nested at least @skip->min_depth levels deep (the root
 * value is depth 0), members named in @skip->names are left out, and in
 * objects deeper than that, when @skip->nested_keep is set, every member it
 * does not name. Left-out members are read and checked like everything else,
 * only not built, so skipping never changes what is accepted. A usage page
 * ({"data":{"items":[{…}]}}: the rows are at depth 3) leaves out the nested
 * user and account objects and keeps only "id" and "name" of the api_key and
 * group objects: four fifths of its nodes, none of which Tally reads (one of
 * them is the key's full secret).
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TALLY_JSON_MAX_DEPTH 512

typedef struct
{
  const char *const *names; /* NULL-terminated */
  guint min_depth;
  const char *const *nested_keep; /* NULL-terminated, or NULL: keep all */
} TallyJsonSkip;

/* Returns the tree of @data (@len bytes, need not be NUL-terminated), or NULL
 * when it is not one JSON value under the rules above. @skip may be NULL. */
JsonNode *_tally_json_read (const char *data,
                            gsize len,
                            const TallyJsonSkip *skip);

G_END_DECLS

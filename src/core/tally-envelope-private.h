/* tally-envelope-private.h: turn an HTTP answer of the panel API into data or a TallyError
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "tally-error.h"
#include "tally-json-reader-private.h"

G_BEGIN_DECLS

/* Decodes one answer of the panel API (API.md §1.3, §1.4, §7).
 *
 * @http_status: the HTTP status code
 * @content_type: the Content-Type header value, or NULL
 * @body: the (decoded) body, or NULL for none
 * @retry_after: the Retry-After header value, or NULL
 *
 * Returns the envelope's `data` member (a new node, owned by the caller), or
 * NULL and a TALLY_ERROR carrying the HTTP status, the server's reason code and
 * the Retry-After seconds. Pure: no I/O, any bytes are accepted. Messages are
 * plain text for users: never markup, never raw HTML, at most ~200 characters
 * of server-provided text. */
JsonNode *_tally_envelope_decode (guint http_status,
                                  const char *content_type,
                                  GBytes *body,
                                  const char *retry_after,
                                  GError **error);

/* The same, with members of the answer left out as _tally_json_read()
 * describes (@skip may be NULL). The checks are the same: a body is accepted
 * or refused exactly as without @skip. */
JsonNode *_tally_envelope_decode_skipping (guint http_status,
                                           const char *content_type,
                                           GBytes *body,
                                           const char *retry_after,
                                           const TallyJsonSkip *skip,
                                           GError **error);

/* Server text made safe to show: valid UTF-8, control characters replaced,
 * '<' and '>' replaced by '‹' and '›', at most @max_chars characters (an
 * ellipsis marks a cut). NULL → "". */

char *_tally_envelope_sanitize_text (const char *text,
                                     gsize max_chars);

G_END_DECLS

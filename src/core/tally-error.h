/* tally-error.h: the one error domain of libtally-core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TALLY_ERROR (tally_error_quark ())

/**
 * TallyError:
 * @TALLY_ERROR_UNAUTHORIZED: the token is missing, invalid, expired or revoked
 *   (any 401 from the JWT middleware). The UI returns to the login page.
 * @TALLY_ERROR_INVALID_CREDENTIALS: login refused: wrong e-mail or password
 * @TALLY_ERROR_FORBIDDEN: 403: another user's resource, disabled user, admin-only backend
 * @TALLY_ERROR_NOT_FOUND: 404 with a JSON body (id not found)
 * @TALLY_ERROR_NOT_SUPPORTED: 404 with a non-JSON body: the route does not exist on this server
 * @TALLY_ERROR_BAD_REQUEST: 400: validation failed
 * @TALLY_ERROR_RATE_LIMITED: 429; see tally_error_get_retry_after()
 * @TALLY_ERROR_TURNSTILE_REQUIRED: the server requires a captcha for login that only a browser
 *   can show: Cloudflare Turnstile, or (reason TENCENT_CAPTCHA_VERIFICATION_FAILED /
 *   ALIYUN_CAPTCHA_VERIFICATION_FAILED, tally_error_get_reason()) a Tencent or Aliyun captcha
 * @TALLY_ERROR_TWO_FACTOR_REQUIRED: login needs a TOTP code (tally_auth_result_get_temp_token())
 * @TALLY_ERROR_SERVER: 5xx or a non-zero envelope code with HTTP 200
 * @TALLY_ERROR_BAD_RESPONSE: the body is not what the API sends: HTML, truncated or
 *   wrong-typed JSON, missing fields
 * @TALLY_ERROR_NETWORK: could not connect, connection reset, DNS failure
 * @TALLY_ERROR_TIMEOUT: the server did not answer in time
 * @TALLY_ERROR_TLS: the TLS certificate was rejected; the message says why
 * @TALLY_ERROR_INVALID_ARGUMENT: the caller passed something unusable (a bad URL, a bad date)
 * @TALLY_ERROR_IO: a local file could not be written
 *
 * Cancellation is always reported as %G_IO_ERROR_CANCELLED, never in this domain.
 */
typedef enum
{
  TALLY_ERROR_UNAUTHORIZED,
  TALLY_ERROR_INVALID_CREDENTIALS,
  TALLY_ERROR_FORBIDDEN,
  TALLY_ERROR_NOT_FOUND,
  TALLY_ERROR_NOT_SUPPORTED,
  TALLY_ERROR_BAD_REQUEST,
  TALLY_ERROR_RATE_LIMITED,
  TALLY_ERROR_TURNSTILE_REQUIRED,
  TALLY_ERROR_TWO_FACTOR_REQUIRED,
  TALLY_ERROR_SERVER,
  TALLY_ERROR_BAD_RESPONSE,
  TALLY_ERROR_NETWORK,
  TALLY_ERROR_TIMEOUT,
  TALLY_ERROR_TLS,
  TALLY_ERROR_INVALID_ARGUMENT,
  TALLY_ERROR_IO,
} TallyError;

GQuark tally_error_quark (void);

/* Extra data carried by errors of the TALLY_ERROR domain (G_DEFINE_EXTENDED_ERROR).
 * All return 0 / NULL for errors of other domains. */
guint tally_error_get_http_status (const GError *error);
const char *tally_error_get_reason (const GError *error);
guint tally_error_get_retry_after (const GError *error);

GError *tally_error_new_full (TallyError code,
                              guint http_status,
                              const char *reason,
                              guint retry_after,
                              const char *message);

gboolean tally_error_is_cancelled (const GError *error);

/* TRUE when @error ends the login: the user has to log in again (or cannot
 * log in at all). Every TALLY_ERROR_UNAUTHORIZED, and the 403s whose reason is
 * USER_NOT_ACTIVE or BACKEND_MODE_ADMIN_ONLY (a refresh refused for them). */
gboolean tally_error_ends_session (const GError *error);

/* TRUE when the message of @error is a sentence of its own about how the
 * login ended (reasons TOKEN_REVOKED, REFRESH_TOKEN_EXPIRED,
 * REFRESH_TOKEN_INVALID, SESSION_BINDING_MISMATCH, USER_NOT_ACTIVE,
 * USER_INACTIVE, BACKEND_MODE_ADMIN_ONLY): show it as it is, without a prefix. */
gboolean tally_error_has_session_sentence (const GError *error);

G_END_DECLS

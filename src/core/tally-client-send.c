/* tally-client-send.c: the send path of TallyClient: scheduler, attempt,
 * retry or rate-limit wait, and the envelope decoded in a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "tally-client-private.h"
#include "tally-client.h"
#include "tally-credentials.h"
#include "tally-envelope-private.h"
#include "tally-error.h"
#include "tally-models-private.h"
#include "tally-scheduler-private.h"
#include "tally-usage-query.h"

/* retries: at most this many attempts in all, backoff 0.5 s · 2^attempt, capped */
#define MAX_ATTEMPTS 5
#define BACKOFF_BASE_SECONDS 0.5
#define BACKOFF_CAP_SECONDS 8.0
/* a 429 without a usable Retry-After */
#define DEFAULT_RETRY_AFTER_SECONDS 10

/* ------------------------------------------------------------------------ */
/* One request                                                              */

/* The task data of one call: the request, kept to send it again (retries,
 * rate limits, and a future token refresh), and the state of the attempt. */
typedef struct
{
  /* the request */
  char *method;
  char *path;
  char *query;
  JsonNode *body;
  gboolean anonymous;
  DecodeFunc decode;
  const TallyJsonSkip *skip;
  CompleteFunc complete;
  TallySchedClass klass;
  TallySchedPriority priority;
  gboolean idempotent;

  /* the current attempt */
  SoupMessage *msg;
  GTlsCertificateFlags tls_errors;
  gboolean tls_started;
  gboolean tls_done;

  /* retries and waits */
  guint attempts;         /* sent so far */
  gint64 first_failure;   /* monotonic µs of the first retryable failure, 0 = none */
  gint64 rate_limit_wait; /* µs waited for rate limits so far */
  gboolean rate_waiting;  /* counted in the client's n_rate_waiting */
  GSource *backoff;
  GSource *backoff_cancel;
} RequestData;

static void
request_data_free (RequestData *data)
{
  _tally_clear_source (&data->backoff);
  _tally_clear_source (&data->backoff_cancel);
  g_clear_object (&data->msg);
  g_clear_pointer (&data->body, json_node_unref);
  g_free (data->method);
  g_free (data->path);
  g_free (data->query);
  g_free (data);
}

static gboolean
accept_certificate_cb (SoupMessage *msg,
                       GTlsCertificate *certificate,
                       GTlsCertificateFlags errors,
                       gpointer user_data)
{
  RequestData *data = user_data;

  g_assert (SOUP_IS_MESSAGE (msg));

  /* Never accept a certificate the system does not trust; remember why. */
  data->tls_errors = errors;

  return FALSE;
}

static void
network_event_cb (SoupMessage *msg,
                  GSocketClientEvent event,
                  GIOStream *connection,
                  gpointer user_data)
{
  RequestData *data = user_data;

  g_assert (SOUP_IS_MESSAGE (msg));

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    data->tls_started = TRUE;
  else if (event == G_SOCKET_CLIENT_TLS_HANDSHAKED)
    data->tls_done = TRUE;
}

static char *
describe_tls_problem (GTlsCertificateFlags flags,
                      const char *host,
                      const char **reason)
{
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    {
      *reason = "EXPIRED";
      return g_strdup_printf (_ ("The security certificate of %s has expired"), host);
    }
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    {
      *reason = "NOT_ACTIVATED";
      return g_strdup_printf (_ ("The security certificate of %s is not valid yet — check your computer’s clock"), host);
    }
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    {
      *reason = "REVOKED";
      return g_strdup_printf (_ ("The security certificate of %s has been revoked"), host);
    }
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    {
      *reason = "UNKNOWN_CA";
      if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
        return g_strdup_printf (_ ("The security certificate of %s is not issued by a trusted authority (it may be self-signed) and does not belong to this host name"), host);
      return g_strdup_printf (_ ("The security certificate of %s is not issued by a trusted authority (unknown CA; it may be self-signed)"), host);
    }
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    {
      *reason = "BAD_IDENTITY";
      return g_strdup_printf (_ ("The security certificate of %s belongs to a different host name"), host);
    }
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    {
      *reason = "INSECURE";
      return g_strdup_printf (_ ("The security certificate of %s uses an insecure algorithm"), host);
    }

  *reason = "BAD_CERTIFICATE";
  return g_strdup_printf (_ ("The security certificate of %s was rejected"), host);
}

/* A transport failure (no HTTP answer) as a TALLY_ERROR, or CANCELLED as is. */
static GError *
map_transport_error (TallyClient *self,
                     GError *error,
                     RequestData *data)
{
  g_autofree char *message = NULL;
  const char *reason = NULL;
  TallyError code = TALLY_ERROR_NETWORK;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (data->tls_errors != 0)
    {
      code = TALLY_ERROR_TLS;
      message = describe_tls_problem (data->tls_errors, self->host, &reason);
    }
  else if (error->domain == G_TLS_ERROR || (data->tls_started && !data->tls_done))
    {
      code = TALLY_ERROR_TLS;
      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS) || g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_MISC))
        {
          reason = "NOT_TLS";
          message = g_strdup_printf (_ ("Could not establish a secure (https) connection to %s — the server may not speak TLS on this port"), self->host);
        }
      else if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
        message = describe_tls_problem (0, self->host, &reason);
      else
        {
          /* e.g. a plain-HTTP port that never answers the TLS hello */
          reason = "HANDSHAKE";
          message = g_strdup_printf (_ ("Could not establish a secure (https) connection to %s — the TLS handshake did not complete; the server may not speak TLS on this port"), self->host);
        }
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      code = TALLY_ERROR_TIMEOUT;
      message = g_strdup_printf (_ ("%s did not answer in time"), self->host);
    }
  else if (error->domain == G_RESOLVER_ERROR)
    message = g_strdup_printf (_ ("Could not find the server %s — check the address and your internet connection"), self->host);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    message = g_strdup_printf (_ ("%s refused the connection — is the server running?"), self->host);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    message = g_strdup_printf (_ ("%s cannot be reached — check your internet connection"), self->host);
  else if (error->domain == SOUP_SESSION_ERROR && (error->code == SOUP_SESSION_ERROR_PARSING || error->code == SOUP_SESSION_ERROR_ENCODING || error->code == SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS || error->code == SOUP_SESSION_ERROR_REDIRECT_BAD_URI))
    {
      code = TALLY_ERROR_BAD_RESPONSE;
      message = g_strdup_printf (_ ("%s sent an answer that is not valid HTTP"), self->host);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) || error->domain == SOUP_SESSION_ERROR)
    message = g_strdup_printf (_ ("The connection to %s was interrupted — try again"), self->host);
  else
    {
      g_autofree char *detail = _tally_envelope_sanitize_text (error->message, 200);

      message = g_strdup_printf (_ ("Could not connect to %s: %s"), self->host, detail);
    }

  return tally_error_new_full (code, 0, reason, 0, message);
}

static void
update_clock_skew (TallyClient *self,
                   SoupMessage *msg)
{
  const char *date;
  g_autoptr (GDateTime) server_time = NULL;

  date = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Date");
  if (date == NULL)
    return;

  server_time = soup_date_time_new_from_http_string (date);
  if (server_time == NULL)
    return;

  self->clock_skew = g_date_time_to_unix (server_time) - g_get_real_time () / G_USEC_PER_SEC;
}

/* Decoding a page of 100 usage rows (about 200 KB of JSON with the nested
 * objects S sends) takes milliseconds, so it runs in a worker thread: the main
 * loop stays responsive and pages in flight decode on several cores. The
 * decoders are pure functions of the body. */
typedef struct
{
  GBytes *body;
  guint status;
  char *content_type;
  char *retry_after;
  DecodeFunc decode;
  const TallyJsonSkip *skip;
} DecodeJob;

static void
decode_job_free (DecodeJob *job)
{
  g_bytes_unref (job->body);
  g_free (job->content_type);
  g_free (job->retry_after);
  g_free (job);
}

static void
decode_in_thread (GTask *task,
                  gpointer source_object,
                  gpointer task_data,
                  GCancellable *cancellable)
{
  DecodeJob *job = task_data;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) error = NULL;
  gpointer decoded;

  node = _tally_envelope_decode_skipping (job->status, job->content_type, job->body,
                                          job->retry_after, job->skip, &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  decoded = job->decode (node, &error);
  if (decoded == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, decoded, g_object_unref);
}

static void
client_decoded_cb (GObject *object,
                   GAsyncResult *result,
                   gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TallyClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  g_autoptr (GObject) decoded = NULL;
  g_autoptr (GError) error = NULL;

  decoded = g_task_propagate_pointer (G_TASK (result), &error);
  if (decoded == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->complete != NULL && !data->complete (self, decoded, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&decoded), g_object_unref);
}

/* ------------------------------------------------------------------------ */
/* The send path: scheduler → attempt → retry or decode                     */

static void request_queue (GTask *task);

static void
rate_wait_begin (TallyClient *self,
                 RequestData *data,
                 gint64 resume_at)
{
  if (!data->rate_waiting)
    {
      data->rate_waiting = TRUE;
      self->n_rate_waiting++;
    }

  _tally_client_set_rate_limit_wait (self, resume_at);
}

static void
rate_wait_end (TallyClient *self,
               RequestData *data)
{
  if (!data->rate_waiting)
    return;

  data->rate_waiting = FALSE;
  g_assert (self->n_rate_waiting > 0);
  if (--self->n_rate_waiting == 0)
    _tally_client_set_rate_limit_wait (self, 0);
}

static void
request_return_cancelled (GTask *task)
{
  TallyClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  rate_wait_end (self, data);
  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  g_task_return_error (task, g_steal_pointer (&error));
}

static gboolean
backoff_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  RequestData *data = g_task_get_task_data (task);

  _tally_clear_source (&data->backoff_cancel);
  _tally_clear_source (&data->backoff);
  request_queue (task);

  return G_SOURCE_REMOVE;
}

static gboolean
backoff_cancelled_cb (GCancellable *cancellable,
                      gpointer user_data)
{
  GTask *task = user_data;
  RequestData *data = g_task_get_task_data (task);

  _tally_clear_source (&data->backoff);
  _tally_clear_source (&data->backoff_cancel);
  request_return_cancelled (task);

  return G_SOURCE_REMOVE;
}

/* Schedules another attempt after a backoff (full jitter), or returns FALSE
 * when the request has had all its attempts or its time. @retry_after is the
 * server's Retry-After in seconds (503), or 0. */
static gboolean
request_retry_later (GTask *task,
                     guint retry_after)
{
  RequestData *data = g_task_get_task_data (task);
  const TallySchedTiming *timing = _tally_scheduler_get_timing ();
  gint64 now = g_get_monotonic_time ();
  double cap;
  gint64 delay;

  if (!data->idempotent || data->attempts >= MAX_ATTEMPTS)
    return FALSE;

  if (data->first_failure == 0)
    data->first_failure = now;

  cap = MIN (BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * (double) (1u << MIN (data->attempts, 16u)));
  delay = (gint64) (g_random_double_range (0.0, cap) * timing->backoff_scale * G_USEC_PER_SEC);
  delay = MAX (delay, (gint64) retry_after * G_USEC_PER_SEC);
  if (now + delay - data->first_failure > timing->retry_budget_us)
    return FALSE;

  g_debug ("%s %s: attempt %u failed, again in %" G_GINT64_FORMAT " ms",
           data->method, data->path, data->attempts, delay / 1000);

  /* the task is kept alive by the sources (the callbacks take it back) */
  data->backoff = g_timeout_source_new ((guint) (delay / 1000));
  g_source_set_callback (data->backoff, backoff_done_cb, g_object_ref (task), g_object_unref);
  g_source_set_static_name (data->backoff, "[tally] retry backoff");
  g_source_attach (data->backoff, g_task_get_context (task));

  if (g_task_get_cancellable (task) != NULL)
    {
      data->backoff_cancel = g_cancellable_source_new (g_task_get_cancellable (task));
      g_source_set_callback (data->backoff_cancel, (GSourceFunc) (GCallback) backoff_cancelled_cb,
                             g_object_ref (task), g_object_unref);
      g_source_set_static_name (data->backoff_cancel, "[tally] retry backoff cancel");
      g_source_attach (data->backoff_cancel, g_task_get_context (task));
    }

  return TRUE;
}

/* A 429: the class pauses until Retry-After and the request waits in the queue
 * again, unless it has waited for rate limits long enough (then FALSE). */
static gboolean
request_rate_limited (GTask *task,
                      const char *retry_after_header)
{
  TallyClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  const TallySchedTiming *timing = _tally_scheduler_get_timing ();
  guint64 seconds = 0;
  gint64 wait;

  if (retry_after_header == NULL || !g_ascii_string_to_unsigned (retry_after_header, 10, 0, 24 * 3600, &seconds, NULL) || seconds == 0)
    seconds = DEFAULT_RETRY_AFTER_SECONDS;
  wait = (gint64) seconds * G_USEC_PER_SEC;

  if (data->rate_limit_wait + wait > timing->rate_limit_bound_us)
    return FALSE;

  data->rate_limit_wait += wait;
  g_debug ("%s %s: rate limited, waiting %" G_GUINT64_FORMAT " s", data->method, data->path, seconds);
  _tally_scheduler_rate_limited (self->scheduler, data->klass, g_get_monotonic_time () + wait);
  request_queue (task);

  return TRUE;
}

/* A transport failure that another attempt may cure: time-outs, and a lost
 * connection to a server that has answered before (not DNS, never TLS). */
static gboolean
transport_error_is_transient (TallyClient *self,
                              const GError *mapped)
{
  if (g_error_matches (mapped, TALLY_ERROR, TALLY_ERROR_TIMEOUT))
    return TRUE;

  return g_error_matches (mapped, TALLY_ERROR, TALLY_ERROR_NETWORK) && _tally_scheduler_has_answered (self->scheduler);
}

static gboolean
is_html (const char *content_type,
         GBytes *body)
{
  gsize len = 0;
  const char *text = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  if (content_type != NULL && (g_ascii_strncasecmp (content_type, "text/html", 9) == 0 || g_ascii_strncasecmp (content_type, "application/xhtml+xml", 21) == 0))
    return TRUE;

  while (len > 0 && g_ascii_isspace (*text))
    text++, len--;

  return len > 0 && *text == '<';
}

static void
client_send_cb (GObject *object,
                GAsyncResult *result,
                gpointer user_data)
{
  SoupSession *session = SOUP_SESSION (object);
  g_autoptr (GTask) task = user_data;
  g_autoptr (GTask) decode_task = NULL;
  TallyClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *headers;
  const char *content_type;
  const char *retry_after;
  DecodeJob *job;
  guint status;

  g_assert (TALLY_IS_CLIENT (self));

  _tally_scheduler_done (self->scheduler);

  body = soup_session_send_and_read_finish (session, result, &error);
  if (body == NULL)
    {
      g_autoptr (GError) mapped = map_transport_error (self, error, data);

      if (!g_error_matches (mapped, G_IO_ERROR, G_IO_ERROR_CANCELLED) && transport_error_is_transient (self, mapped) && request_retry_later (task, 0))
        return;

      g_task_return_error (task, g_steal_pointer (&mapped));
      return;
    }

  _tally_scheduler_note_answer (self->scheduler);
  update_clock_skew (self, data->msg);

  headers = soup_message_get_response_headers (data->msg);
  status = soup_message_get_status (data->msg);
  content_type = soup_message_headers_get_one (headers, "Content-Type");
  retry_after = soup_message_headers_get_one (headers, "Retry-After");

  if (status == 429 && request_rate_limited (task, retry_after))
    return;

  if (data->idempotent && (status == 500 || status == 502 || status == 503 || status == 504 || (status >= 200 && status < 300 && is_html (content_type, body))))
    {
      guint64 seconds = 0;

      if (status != 503 || retry_after == NULL || !g_ascii_string_to_unsigned (retry_after, 10, 0, 60, &seconds, NULL))
        seconds = 0;
      if (request_retry_later (task, (guint) seconds))
        return;
    }

  job = g_new0 (DecodeJob, 1);
  job->body = g_steal_pointer (&body);
  job->status = status;
  job->content_type = g_strdup (content_type);
  job->retry_after = g_strdup (retry_after);
  job->decode = data->decode;
  job->skip = data->skip;

  /* No source object: the worker thread must not hold (and possibly drop the
   * last) reference to the client. The outer task keeps the client alive. */
  decode_task = g_task_new (NULL, g_task_get_cancellable (task), client_decoded_cb, g_object_ref (task));
  g_task_set_source_tag (decode_task, decode_in_thread);
  g_task_set_task_data (decode_task, job, (GDestroyNotify) decode_job_free);
  g_task_set_return_on_cancel (decode_task, FALSE);
  g_task_run_in_thread (decode_task, decode_in_thread);
}

/* One attempt: a new message for the kept request, sent now (the scheduler
 * has given it a slot). The token is the client's current one. */
static void
request_send_now (GTask *task)
{
  TallyClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  g_autoptr (GUri) uri = NULL;
  SoupMessageHeaders *headers;

  url = g_strconcat (self->base_url, API_PREFIX, data->path,
                     data->query != NULL && data->query[0] != '\0' ? "?" : "",
                     data->query != NULL ? data->query : "",
                     NULL);
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  g_assert (uri != NULL); /* checked by _tally_client_send() */

  g_clear_object (&data->msg);
  data->tls_errors = 0;
  data->tls_started = FALSE;
  data->tls_done = FALSE;
  data->attempts++;
  data->msg = soup_message_new_from_uri (data->method, uri);

  headers = soup_message_get_request_headers (data->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (!data->anonymous && self->token != NULL && self->token[0] != '\0')
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }

  if (data->body != NULL)
    {
      g_autofree char *json = json_to_string (data->body, FALSE);
      gsize len = strlen (json);
      g_autoptr (GBytes) bytes = g_bytes_new_take (g_steal_pointer (&json), len);

      soup_message_set_request_body_from_bytes (data->msg, "application/json", bytes);
    }

  g_signal_connect (data->msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), data);
  g_signal_connect (data->msg, "network-event", G_CALLBACK (network_event_cb), data);

  soup_session_send_and_read_async (self->session,
                                    data->msg,
                                    G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task),
                                    client_send_cb,
                                    g_object_ref (task));
}

static void
request_ready_cb (gpointer user_data,
                  gboolean cancelled)
{
  g_autoptr (GTask) task = user_data;
  TallyClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);

  rate_wait_end (self, data);

  if (cancelled)
    {
      request_return_cancelled (task);
      return;
    }

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      _tally_scheduler_done (self->scheduler);
      request_return_cancelled (task);
      return;
    }

  request_send_now (task);
}

/* Sends the task's request (again): it waits for its turn in the scheduler.
 * This is the one primitive for every new attempt — a retry, a rate-limit
 * wait, and a re-send after refreshing the access token. */
static void
request_queue (GTask *task)
{
  TallyClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  gint64 hold;

  hold = _tally_scheduler_queue (self->scheduler, data->klass, data->priority,
                                 g_task_get_cancellable (task),
                                 request_ready_cb, g_object_ref (task));
  if (hold != 0)
    rate_wait_begin (self, data, hold);
}

/* Heavy routes (API-2026.md §1): everything under /usage and the per-key daily series. */
static gboolean
path_is_heavy (const char *path)
{
  return g_str_equal (path, "/usage") || g_str_has_prefix (path, "/usage/") || (g_str_has_prefix (path, "/user/api-keys/") && g_str_has_suffix (path, "/usage/daily"));
}

void
_tally_client_send (TallyClient *self,
                    const Request *request,
                    GCancellable *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *url = NULL;
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) error = NULL;
  RequestData *data;

  g_assert (TALLY_IS_CLIENT (self));
  g_assert (request->decode != NULL);

  /* authenticated calls go through the refresh-token section first */
  if (_tally_client_auth_intercept (self, request, cancellable, callback, user_data))
    return;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, request->source_tag);

  url = g_strconcat (self->base_url, API_PREFIX, request->path,
                     request->query != NULL && request->query[0] != '\0' ? "?" : "",
                     request->query != NULL ? request->query : "",
                     NULL);
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL)
    {
      g_task_return_new_error (task, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                               _ ("Cannot build a request address from “%s”"), request->path);
      return;
    }

  data = g_new0 (RequestData, 1);
  data->method = g_strdup (request->method);
  data->path = g_strdup (request->path);
  data->query = g_strdup (request->query);
  data->body = request->body != NULL ? json_node_copy (request->body) : NULL;
  data->anonymous = request->anonymous;
  data->decode = request->decode;
  data->skip = request->skip;
  data->complete = request->complete;
  data->klass = path_is_heavy (request->path) ? TALLY_SCHED_HEAVY : TALLY_SCHED_GENERAL;
  data->priority = request->bulk ? TALLY_SCHED_BULK : TALLY_SCHED_INTERACTIVE;
  /* reads only; never login, 2FA, logout or refresh (any POST under /auth) */
  data->idempotent = g_str_equal (request->method, "GET") || (request->idempotent && !g_str_has_prefix (request->path, "/auth/"));
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  request_queue (task);
}

gpointer
_tally_client_send_finish (TallyClient *self,
                           GAsyncResult *result,
                           gpointer source_tag,
                           GError **error)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

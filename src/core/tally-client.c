/* tally-client.c: the sub2api panel API over one SoupSession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every endpoint is a thin wrapper around client_send(): one request, the
 * envelope decoded by _tally_envelope_decode(), the `data` node turned into a
 * model by the endpoint's decoder. The three operations that need several
 * requests (list_all_keys, foreach_usage_page, get_keys_usage) are built on
 * the single-request wrappers. Nothing here logs headers or the token.
 */

#define G_LOG_DOMAIN "tally-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "tally-client.h"
#include "tally-credentials.h"
#include "tally-envelope-private.h"
#include "tally-error.h"
#include "tally-models-private.h"
#include "tally-scheduler-private.h"
#include "tally-usage-query.h"

#define API_PREFIX "/api/v1"
#define USER_AGENT "Tally/" PACKAGE_VERSION
#define DEFAULT_TIMEOUT_SECONDS 30
#define MAX_CONNS_PER_HOST 8
/* the largest page_size S accepts; larger values silently become 20 */
#define LARGE_PAGE_SIZE 100
/* what S answers for a page_size it does not accept */
#define S_DEFAULT_PAGE_SIZE 20
/* retries: at most this many attempts in all, backoff 0.5 s · 2^attempt, capped */
#define MAX_ATTEMPTS 5
#define BACKOFF_BASE_SECONDS 0.5
#define BACKOFF_CAP_SECONDS 8.0
/* a 429 without a usable Retry-After */
#define DEFAULT_RETRY_AFTER_SECONDS 10
/* a server that never says "last page" must not keep us looping */
#define MAX_KEY_PAGES 1000
#define MAX_USAGE_PAGES 1000000
#define KEYS_USAGE_CHUNK 100

typedef struct _ClientAuth ClientAuth; /* the refresh-token section at the end */

struct _TallyClient
{
  GObject parent_instance;

  /* Owned References */
  SoupSession *session;

  /* Owned memory */
  char *base_url;
  char *host; /* for messages */
  char *token;
  char *pending_2fa_token;
  ClientAuth *auth;

  guint timeout;
  gint64 clock_skew;
  gboolean insecure;

  /* the request queue of this origin, shared with other clients (tally-scheduler-private.h) */
  TallyScheduler *scheduler;
  guint n_rate_waiting; /* requests of this client held back by a rate limit */
  gint64 rate_limit_wait;
};

G_DEFINE_FINAL_TYPE (TallyClient, tally_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_RATE_LIMIT_WAIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------ */
/* One request                                                              */

#define MAX_TOKEN_LENGTH 16384

typedef gpointer (*DecodeFunc) (JsonNode *data,
                                GError **error);
/* Runs after a successful decode; may refuse the result with an error. */
typedef gboolean (*CompleteFunc) (TallyClient *self,
                                  gpointer object,
                                  GError **error);

typedef struct
{
  const char *method;
  const char *path;   /* below /api/v1 */
  const char *query;  /* encoded, without '?', or NULL */
  JsonNode *body;     /* borrowed, or NULL */
  gboolean anonymous; /* no Authorization header */
  DecodeFunc decode;
  const TallyJsonSkip *skip; /* members the decoder never reads, or NULL */
  CompleteFunc complete;
  gpointer source_tag;
  gboolean idempotent;   /* a read sent with POST (GET always is) */
  gboolean bulk;         /* a page of a long walk: after what the user looks at */
  gboolean auth_handled; /* the refresh-token section sends it: send as is */
} Request;

/* The refresh-token section, at the end of this file */
static ClientAuth *client_auth_new (void);
static void client_auth_free (ClientAuth *auth);
static void client_auth_class_init (GObjectClass *object_class);
static gboolean client_auth_intercept (TallyClient *self,
                                       const Request *request,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
static void client_auth_token_replaced (TallyClient *self);
static void client_auth_logged_in (TallyClient *self,
                                   TallyAuthResult *result);

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
      return g_strdup_printf (_("The security certificate of %s has expired"), host);
    }
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    {
      *reason = "NOT_ACTIVATED";
      return g_strdup_printf (_("The security certificate of %s is not valid yet — check your computer’s clock"), host);
    }
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    {
      *reason = "REVOKED";
      return g_strdup_printf (_("The security certificate of %s has been revoked"), host);
    }
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    {
      *reason = "UNKNOWN_CA";
      if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
        return g_strdup_printf (_("The security certificate of %s is not issued by a trusted authority (it may be self-signed) and does not belong to this host name"), host);
      return g_strdup_printf (_("The security certificate of %s is not issued by a trusted authority (unknown CA; it may be self-signed)"), host);
    }
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    {
      *reason = "BAD_IDENTITY";
      return g_strdup_printf (_("The security certificate of %s belongs to a different host name"), host);
    }
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    {
      *reason = "INSECURE";
      return g_strdup_printf (_("The security certificate of %s uses an insecure algorithm"), host);
    }

  *reason = "BAD_CERTIFICATE";
  return g_strdup_printf (_("The security certificate of %s was rejected"), host);
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
          message = g_strdup_printf (_("Could not establish a secure (https) connection to %s — the server may not speak TLS on this port"), self->host);
        }
      else if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
        message = describe_tls_problem (0, self->host, &reason);
      else
        {
          /* e.g. a plain-HTTP port that never answers the TLS hello */
          reason = "HANDSHAKE";
          message = g_strdup_printf (_("Could not establish a secure (https) connection to %s — the TLS handshake did not complete; the server may not speak TLS on this port"), self->host);
        }
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      code = TALLY_ERROR_TIMEOUT;
      message = g_strdup_printf (_("%s did not answer in time"), self->host);
    }
  else if (error->domain == G_RESOLVER_ERROR)
    message = g_strdup_printf (_("Could not find the server %s — check the address and your internet connection"), self->host);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    message = g_strdup_printf (_("%s refused the connection — is the server running?"), self->host);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    message = g_strdup_printf (_("%s cannot be reached — check your internet connection"), self->host);
  else if (error->domain == SOUP_SESSION_ERROR && (error->code == SOUP_SESSION_ERROR_PARSING || error->code == SOUP_SESSION_ERROR_ENCODING || error->code == SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS || error->code == SOUP_SESSION_ERROR_REDIRECT_BAD_URI))
    {
      code = TALLY_ERROR_BAD_RESPONSE;
      message = g_strdup_printf (_("%s sent an answer that is not valid HTTP"), self->host);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) || error->domain == SOUP_SESSION_ERROR)
    message = g_strdup_printf (_("The connection to %s was interrupted — try again"), self->host);
  else
    {
      g_autofree char *detail = _tally_envelope_sanitize_text (error->message, 200);

      message = g_strdup_printf (_("Could not connect to %s: %s"), self->host, detail);
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

  if (resume_at != self->rate_limit_wait)
    {
      self->rate_limit_wait = resume_at;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMIT_WAIT]);
    }
}

static void
rate_wait_end (TallyClient *self,
               RequestData *data)
{
  if (!data->rate_waiting)
    return;

  data->rate_waiting = FALSE;
  g_assert (self->n_rate_waiting > 0);
  if (--self->n_rate_waiting == 0 && self->rate_limit_wait != 0)
    {
      self->rate_limit_wait = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMIT_WAIT]);
    }
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
  g_assert (uri != NULL); /* checked by client_send() */

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

static void
client_send (TallyClient *self,
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
  if (client_auth_intercept (self, request, cancellable, callback, user_data))
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
                               _("Cannot build a request address from “%s”"), request->path);
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

static gpointer
client_send_finish (TallyClient *self,
                    GAsyncResult *result,
                    gpointer source_tag,
                    GError **error)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Query strings                                                            */

static void
append_param (GString *query,
              const char *name,
              const char *value)
{
  if (value == NULL)
    return;

  if (query->len > 0)
    g_string_append_c (query, '&');
  g_string_append (query, name);
  g_string_append_c (query, '=');
  g_string_append_uri_escaped (query, value, NULL, FALSE);
}

static void
append_int_param (GString *query,
                  const char *name,
                  gint64 value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  append_param (query, name, buf);
}

/* ------------------------------------------------------------------------ */
/* Decoders used by several endpoints                                       */

static gpointer
decode_key_page (JsonNode *data,
                 GError **error)
{
  return _tally_page_new_from_json (data, (TallyItemFromJson) _tally_api_key_new_from_json, error);
}

/* A usage row ({"data":{"items":[row]}}: depth 3) carries the whole user,
 * account (with the upstream account's settings), API key (with its secret)
 * and group objects, and in some versions a subscription: four fifths of a
 * page. Tally reads the names of the key and the group, nothing else. */
static const char *const usage_row_unread[] = { "user", "account", "subscription", NULL };
static const char *const usage_row_nested_read[] = { "id", "name", NULL };
static const TallyJsonSkip usage_page_skip = { usage_row_unread, 3, usage_row_nested_read };

static gpointer
decode_usage_page (JsonNode *data,
                   GError **error)
{
  return _tally_page_new_from_json (data, (TallyItemFromJson) _tally_usage_log_new_from_json, error);
}

static gpointer
decode_key_usage_list (JsonNode *data,
                       GError **error)
{
  return _tally_key_usage_list_new_from_json (data, error);
}

static gboolean
complete_auth (TallyClient *self,
               gpointer object,
               GError **error)
{
  TallyAuthResult *result = object;
  const char *access_token;

  g_assert (TALLY_IS_CLIENT (self));
  g_assert (TALLY_IS_AUTH_RESULT (result));

  if (tally_auth_result_get_requires_2fa (result))
    {
      const char *temp_token = tally_auth_result_get_temp_token (result);

      g_clear_pointer (&self->pending_2fa_token, g_free);
      if (temp_token == NULL || temp_token[0] == '\0')
        {
          g_propagate_error (error,
                             tally_error_new_full (TALLY_ERROR_BAD_RESPONSE, 200, NULL, 0,
                                                   _("The server asked for a two-factor code but sent no session to use it with")));
          return FALSE;
        }

      self->pending_2fa_token = g_strdup (temp_token);
      g_propagate_error (error,
                         tally_error_new_full (TALLY_ERROR_TWO_FACTOR_REQUIRED, 200, NULL, 0,
                                               _("This account uses two-factor authentication — enter the 6-digit code from your authenticator app")));
      return FALSE;
    }

  access_token = tally_auth_result_get_access_token (result);
  if (access_token == NULL || access_token[0] == '\0')
    {
      g_propagate_error (error,
                         tally_error_new_full (TALLY_ERROR_BAD_RESPONSE, 200, NULL, 0,
                                               _("The server accepted the login but sent no access token")));
      return FALSE;
    }

  g_clear_pointer (&self->pending_2fa_token, g_free);
  tally_client_set_token (self, access_token);
  client_auth_logged_in (self, result);

  return TRUE;
}

/* The common case: an authenticated GET. */
static void
client_get (TallyClient *self,
            const char *path,
            const char *query,
            DecodeFunc decode,
            gpointer source_tag,
            GCancellable *cancellable,
            GAsyncReadyCallback callback,
            gpointer user_data)
{
  const Request request = {
    .method = "GET",
    .path = path,
    .query = query,
    .decode = decode,
    .source_tag = source_tag,
  };

  client_send (self, &request, cancellable, callback, user_data);
}

/* {"name": "value", …} from NULL-terminated name/value pairs; NULL or empty
 * values are left out. */
static JsonNode *
string_object_body (const char *first_name,
                    ...)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL || value[0] == '\0')
        continue;
      json_builder_set_member_name (builder, name);
      json_builder_add_string_value (builder, value);
    }
  va_end (args);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* POST /auth/login and /auth/login/2fa: anonymous, the answer sets the token */
static void
client_authenticate (TallyClient *self,
                     const char *path,
                     JsonNode *body,
                     gpointer source_tag,
                     GCancellable *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer user_data)
{
  const Request request = {
    .method = "POST",
    .path = path,
    .body = body,
    .anonymous = TRUE,
    .decode = (DecodeFunc) _tally_auth_result_new_from_json,
    .complete = complete_auth,
    .source_tag = source_tag,
  };

  client_send (self, &request, cancellable, callback, user_data);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                  */

static void
tally_client_dispose (GObject *object)
{
  TallyClient *self = (TallyClient *) object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (tally_client_parent_class)->dispose (object);
}

static void
tally_client_finalize (GObject *object)
{
  TallyClient *self = (TallyClient *) object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->pending_2fa_token, g_free);
  g_clear_pointer (&self->scheduler, _tally_scheduler_unref);
  g_clear_pointer (&self->auth, client_auth_free);

  G_OBJECT_CLASS (tally_client_parent_class)->finalize (object);
}

static void
tally_client_get_property (GObject *object,
                           guint prop_id,
                           GValue *value,
                           GParamSpec *pspec)
{
  TallyClient *self = TALLY_CLIENT (object);

  switch (prop_id)
    {
      case PROP_BASE_URL:
        g_value_set_string (value, self->base_url);
        break;

      case PROP_TOKEN:
        g_value_set_string (value, self->token);
        break;

      case PROP_RATE_LIMIT_WAIT:
        g_value_set_int64 (value, self->rate_limit_wait);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_client_set_property (GObject *object,
                           guint prop_id,
                           const GValue *value,
                           GParamSpec *pspec)
{
  TallyClient *self = TALLY_CLIENT (object);

  switch (prop_id)
    {
      case PROP_BASE_URL:
        g_assert (self->base_url == NULL);
        self->base_url = g_value_dup_string (value);
        break;

      case PROP_TOKEN:
        tally_client_set_token (self, g_value_get_string (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_client_constructed (GObject *object)
{
  TallyClient *self = (TallyClient *) object;
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GInetAddress) address = NULL;
  const char *host = NULL;

  G_OBJECT_CLASS (tally_client_parent_class)->constructed (object);

  if (self->base_url != NULL)
    uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL)
    host = g_uri_get_host (uri);

  self->host = g_strdup (host != NULL ? host : "the server");
  self->scheduler = _tally_scheduler_acquire (self->base_url != NULL ? self->base_url : "");

  if (uri != NULL && host != NULL && g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0)
    {
      address = g_inet_address_new_from_string (host);
      if (address != NULL)
        self->insecure = !g_inet_address_get_is_loopback (address);
      else
        self->insecure = g_ascii_strcasecmp (host, "localhost") != 0 && !g_str_has_suffix (host, ".localhost");
    }
}

static void
tally_client_class_init (TallyClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tally_client_constructed;
  object_class->dispose = tally_client_dispose;
  object_class->finalize = tally_client_finalize;
  object_class->get_property = tally_client_get_property;
  object_class->set_property = tally_client_set_property;

  /* Normalised site origin; set by tally_client_new(). */
  properties[PROP_BASE_URL] = g_param_spec_string ("base-url", NULL, NULL,
                                                   NULL,
                                                   (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TOKEN] = g_param_spec_string ("token", NULL, NULL,
                                                NULL,
                                                (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The monotonic time (µs) at which a request of this client held back by
   * the server's rate limit is sent again; 0 when none is waiting. */
  properties[PROP_RATE_LIMIT_WAIT] = g_param_spec_int64 ("rate-limit-wait", NULL, NULL,
                                                         0, G_MAXINT64, 0,
                                                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
  client_auth_class_init (object_class);
}

static void
tally_client_init (TallyClient *self)
{
  self->auth = client_auth_new ();
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "user-agent", USER_AGENT,
                                "max-conns-per-host", MAX_CONNS_PER_HOST,
                                "max-conns", MAX_CONNS_PER_HOST * 2,
                                "timeout", self->timeout,
                                NULL);
}

/* ------------------------------------------------------------------------ */
/* Public API: the client itself                                            */

static char *
normalize_base_url (const char *base_url,
                    GError **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GString) path = NULL;
  const char *scheme;
  const char *host;

  trimmed = g_strstrip (g_strdup (base_url));
  uri = g_uri_parse (trimmed, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid server address (expected e.g. https://api.example.com)"), trimmed);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                   _("The server address must start with https:// or http://"));
      return NULL;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0')
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                   _("The server address has no host name"));
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                   _("The server address must not contain a user name or password"));
      return NULL;
    }

  path = g_string_new (g_uri_get_path (uri));
  while (path->len > 0 && path->str[path->len - 1] == '/')
    g_string_truncate (path, path->len - 1);
  if (g_str_has_suffix (path->str, API_PREFIX))
    g_string_truncate (path, path->len - strlen (API_PREFIX));
  while (path->len > 0 && path->str[path->len - 1] == '/')
    g_string_truncate (path, path->len - 1);

  /* query and fragment are dropped */
  return g_uri_join (G_URI_FLAGS_NONE,
                     g_ascii_strcasecmp (scheme, "https") == 0 ? "https" : "http",
                     NULL,
                     host,
                     g_uri_get_port (uri),
                     path->str,
                     NULL,
                     NULL);
}

TallyClient *
tally_client_new (const char *base_url,
                  GError **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  normalized = normalize_base_url (base_url, error);
  if (normalized == NULL)
    return NULL;

  return g_object_new (TALLY_TYPE_CLIENT,
                       "base-url", normalized,
                       NULL);
}

const char *
tally_client_get_base_url (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), NULL);

  return self->base_url;
}

gboolean
tally_client_is_insecure (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), FALSE);

  return self->insecure;
}

const char *
tally_client_get_token (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), NULL);

  return self->token;
}

void
tally_client_set_token (TallyClient *self,
                        const char *token)
{
  g_return_if_fail (TALLY_IS_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;

  g_free (self->token);
  self->token = g_strdup (token);
  client_auth_token_replaced (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

void
tally_client_set_timeout (TallyClient *self,
                          guint seconds)
{
  g_return_if_fail (TALLY_IS_CLIENT (self));

  self->timeout = seconds;
  g_object_set (self->session, "timeout", seconds, NULL);
}

gint64
tally_client_get_clock_skew (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), 0);

  return self->clock_skew;
}

gint64
tally_client_get_rate_limit_wait (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), 0);

  return self->rate_limit_wait;
}

gint64
tally_client_get_max_page_size (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), TALLY_SCHED_DEFAULT_MAX_PAGE_SIZE);

  return _tally_scheduler_get_max_page_size (self->scheduler);
}

const char *
tally_client_get_pending_2fa_token (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), NULL);

  return self->pending_2fa_token;
}

/* ------------------------------------------------------------------------ */
/* Public API: one request per endpoint                                     */

void
tally_client_get_public_settings_async (TallyClient *self,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  const Request request = {
    .method = "GET",
    .path = "/settings/public",
    .anonymous = TRUE,
    .decode = (DecodeFunc) _tally_public_settings_new_from_json,
    .source_tag = tally_client_get_public_settings_async,
  };

  g_return_if_fail (TALLY_IS_CLIENT (self));

  client_send (self, &request, cancellable, callback, user_data);
}

TallyPublicSettings *
tally_client_get_public_settings_finish (TallyClient *self,
                                         GAsyncResult *result,
                                         GError **error)
{
  return client_send_finish (self, result, tally_client_get_public_settings_async, error);
}

void
tally_client_login_async (TallyClient *self,
                          const char *email,
                          const char *password,
                          const char *turnstile_token,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr (JsonNode) body = NULL;

  g_return_if_fail (TALLY_IS_CLIENT (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);

  body = string_object_body ("email", email,
                             "password", password,
                             "turnstile_token", turnstile_token,
                             NULL);
  client_authenticate (self, "/auth/login", body, tally_client_login_async,
                       cancellable, callback, user_data);
}

TallyAuthResult *
tally_client_login_finish (TallyClient *self,
                           GAsyncResult *result,
                           GError **error)
{
  return client_send_finish (self, result, tally_client_login_async, error);
}

void
tally_client_login_2fa_async (TallyClient *self,
                              const char *temp_token,
                              const char *totp_code,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (JsonNode) body = NULL;

  g_return_if_fail (TALLY_IS_CLIENT (self));
  g_return_if_fail (temp_token != NULL);
  g_return_if_fail (totp_code != NULL);

  body = string_object_body ("temp_token", temp_token,
                             "totp_code", totp_code,
                             NULL);
  client_authenticate (self, "/auth/login/2fa", body, tally_client_login_2fa_async,
                       cancellable, callback, user_data);
}

TallyAuthResult *
tally_client_login_2fa_finish (TallyClient *self,
                               GAsyncResult *result,
                               GError **error)
{
  return client_send_finish (self, result, tally_client_login_2fa_async, error);
}

void
tally_client_get_me_async (TallyClient *self,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_return_if_fail (TALLY_IS_CLIENT (self));

  client_get (self, "/auth/me", NULL, (DecodeFunc) _tally_user_new_from_json,
              tally_client_get_me_async, cancellable, callback, user_data);
}

TallyUser *
tally_client_get_me_finish (TallyClient *self,
                            GAsyncResult *result,
                            GError **error)
{
  return client_send_finish (self, result, tally_client_get_me_async, error);
}

void
tally_client_get_profile_async (TallyClient *self,
                                GCancellable *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_return_if_fail (TALLY_IS_CLIENT (self));

  client_get (self, "/user/profile", NULL, (DecodeFunc) _tally_user_new_from_json,
              tally_client_get_profile_async, cancellable, callback, user_data);
}

TallyUser *
tally_client_get_profile_finish (TallyClient *self,
                                 GAsyncResult *result,
                                 GError **error)
{
  return client_send_finish (self, result, tally_client_get_profile_async, error);
}

void
tally_client_list_keys_async (TallyClient *self,
                              gint64 page,
                              gint64 page_size,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GString) query = g_string_new (NULL);

  g_return_if_fail (TALLY_IS_CLIENT (self));

  if (page > 0)
    append_int_param (query, "page", page);
  if (page_size > 0)
    append_int_param (query, "page_size", page_size);

  client_get (self, "/keys", query->str, decode_key_page,
              tally_client_list_keys_async, cancellable, callback, user_data);
}

TallyPage *
tally_client_list_keys_finish (TallyClient *self,
                               GAsyncResult *result,
                               GError **error)
{
  return client_send_finish (self, result, tally_client_list_keys_async, error);
}

void
tally_client_get_key_async (TallyClient *self,
                            gint64 id,
                            GCancellable *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autofree char *path = g_strdup_printf ("/keys/%" G_GINT64_FORMAT, id);

  g_return_if_fail (TALLY_IS_CLIENT (self));

  client_get (self, path, NULL, (DecodeFunc) _tally_api_key_new_from_json,
              tally_client_get_key_async, cancellable, callback, user_data);
}

TallyApiKey *
tally_client_get_key_finish (TallyClient *self,
                             GAsyncResult *result,
                             GError **error)
{
  return client_send_finish (self, result, tally_client_get_key_async, error);
}

static void
list_usage_page_async (TallyClient *self,
                       const TallyUsageQuery *query,
                       gint64 page,
                       gint64 page_size,
                       gboolean bulk,
                       GCancellable *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer user_data)
{
  g_autoptr (TallyUsageQuery) any = NULL;
  g_autofree char *params = NULL;

  if (query == NULL)
    query = any = tally_usage_query_new ();
  params = tally_usage_query_to_list_params (query, page, page_size);

  client_send (self,
               &(const Request){
                   .method = "GET",
                   .path = "/usage",
                   .query = params,
                   .decode = decode_usage_page,
                   .skip = &usage_page_skip,
                   .source_tag = tally_client_list_usage_async,
                   .bulk = bulk,
               },
               cancellable, callback, user_data);
}

void
tally_client_list_usage_async (TallyClient *self,
                               const TallyUsageQuery *query,
                               gint64 page,
                               gint64 page_size,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_return_if_fail (TALLY_IS_CLIENT (self));

  list_usage_page_async (self, query, page, page_size, FALSE, cancellable, callback, user_data);
}

TallyPage *
tally_client_list_usage_finish (TallyClient *self,
                                GAsyncResult *result,
                                GError **error)
{
  return client_send_finish (self, result, tally_client_list_usage_async, error);
}

void
tally_client_get_usage_async (TallyClient *self,
                              gint64 id,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autofree char *path = g_strdup_printf ("/usage/%" G_GINT64_FORMAT, id);

  g_return_if_fail (TALLY_IS_CLIENT (self));

  client_get (self, path, NULL, (DecodeFunc) _tally_usage_log_new_from_json,
              tally_client_get_usage_async, cancellable, callback, user_data);
}

TallyUsageLog *
tally_client_get_usage_finish (TallyClient *self,
                               GAsyncResult *result,
                               GError **error)
{
  return client_send_finish (self, result, tally_client_get_usage_async, error);
}

void
tally_client_get_usage_stats_async (TallyClient *self,
                                    const TallyUsageQuery *query,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (TallyUsageQuery) any = NULL;
  g_autofree char *params = NULL;

  g_return_if_fail (TALLY_IS_CLIENT (self));

  if (query == NULL)
    query = any = tally_usage_query_new ();
  params = tally_usage_query_to_stats_params (query);

  client_get (self, "/usage/stats", params, (DecodeFunc) _tally_usage_stats_new_from_json,
              tally_client_get_usage_stats_async, cancellable, callback, user_data);
}

TallyUsageStats *
tally_client_get_usage_stats_finish (TallyClient *self,
                                     GAsyncResult *result,
                                     GError **error)
{
  return client_send_finish (self, result, tally_client_get_usage_stats_async, error);
}

void
tally_client_get_dashboard_stats_async (TallyClient *self,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  g_return_if_fail (TALLY_IS_CLIENT (self));

  client_get (self, "/usage/dashboard/stats", NULL, (DecodeFunc) _tally_dashboard_stats_new_from_json,
              tally_client_get_dashboard_stats_async, cancellable, callback, user_data);
}

TallyDashboardStats *
tally_client_get_dashboard_stats_finish (TallyClient *self,
                                         GAsyncResult *result,
                                         GError **error)
{
  return client_send_finish (self, result, tally_client_get_dashboard_stats_async, error);
}

/* start_date, end_date (each when given) and, when set, granularity */
static char *
range_params (const char *start_date,
              const char *end_date,
              const char *granularity)
{
  GString *query = g_string_new (NULL);

  append_param (query, "start_date", start_date);
  append_param (query, "end_date", end_date);
  append_param (query, "granularity", granularity);

  return g_string_free (query, FALSE);
}

void
tally_client_get_trend_async (TallyClient *self,
                              const char *start_date,
                              const char *end_date,
                              TallyGranularity granularity,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autofree char *params = NULL;

  g_return_if_fail (TALLY_IS_CLIENT (self));

  params = range_params (start_date, end_date,
                         granularity == TALLY_GRANULARITY_HOUR ? "hour" : "day");
  client_get (self, "/usage/dashboard/trend", params, (DecodeFunc) _tally_trend_new_from_json,
              tally_client_get_trend_async, cancellable, callback, user_data);
}

TallyTrend *
tally_client_get_trend_finish (TallyClient *self,
                               GAsyncResult *result,
                               GError **error)
{
  return client_send_finish (self, result, tally_client_get_trend_async, error);
}

void
tally_client_get_model_stats_async (TallyClient *self,
                                    const char *start_date,
                                    const char *end_date,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autofree char *params = NULL;

  g_return_if_fail (TALLY_IS_CLIENT (self));

  params = range_params (start_date, end_date, NULL);
  client_get (self, "/usage/dashboard/models", params, (DecodeFunc) _tally_model_breakdown_new_from_json,
              tally_client_get_model_stats_async, cancellable, callback, user_data);
}

TallyModelBreakdown *
tally_client_get_model_stats_finish (TallyClient *self,
                                     GAsyncResult *result,
                                     GError **error)
{
  return client_send_finish (self, result, tally_client_get_model_stats_async, error);
}

/* ------------------------------------------------------------------------ */
/* Every key: pages of 100, one after the other                             */

typedef struct
{
  GListStore *keys;
  gint64 page;
  gint64 page_size;
  gboolean size_retried;
} AllKeysData;

static void
all_keys_data_free (AllKeysData *data)
{
  g_clear_object (&data->keys);
  g_free (data);
}

static void all_keys_page_cb (GObject *object,
                              GAsyncResult *result,
                              gpointer user_data);

/* Learns the server's largest page from the echo of page 1, asked with
 * *@page_size. S answers anything above 100 with its default of 20: then page
 * 1 must be asked again with 100 (returns TRUE, *@page_size changed). A
 * server that takes less than asked for keeps what it echoed. */
static gboolean
learn_page_size (TallyClient *self,
                 TallyPage *first,
                 gint64 *page_size,
                 gboolean may_ask_again)
{
  gint64 echoed = tally_page_get_page_size (first);

  if (echoed >= *page_size)
    return FALSE;

  if (may_ask_again && *page_size > LARGE_PAGE_SIZE && echoed == S_DEFAULT_PAGE_SIZE)
    {
      _tally_scheduler_set_max_page_size (self->scheduler, LARGE_PAGE_SIZE);
      *page_size = LARGE_PAGE_SIZE;
      return TRUE;
    }

  _tally_scheduler_set_max_page_size (self->scheduler, echoed);
  return FALSE;
}

static void
all_keys_request_next (GTask *task)
{
  TallyClient *self = g_task_get_source_object (task);
  AllKeysData *data = g_task_get_task_data (task);

  tally_client_list_keys_async (self, data->page, data->page_size,
                                g_task_get_cancellable (task),
                                all_keys_page_cb,
                                g_object_ref (task));
}

/* A page whose echo does not match what was asked for cannot be trusted to
 * continue a walk through the list. */
static gboolean
check_page_echo (TallyPage *page,
                 gint64 expected_page,
                 GError **error)
{
  if (tally_page_get_page (page) == expected_page && tally_page_get_page_size (page) > 0)
    return TRUE;

  g_propagate_error (error,
                     tally_error_new_full (TALLY_ERROR_BAD_RESPONSE, 200, NULL, 0,
                                           _("The server answered with a different page than the one asked for")));
  return FALSE;
}

static void
all_keys_page_cb (GObject *object,
                  GAsyncResult *result,
                  gpointer user_data)
{
  TallyClient *self = TALLY_CLIENT (object);
  g_autoptr (GTask) task = user_data;
  AllKeysData *data = g_task_get_task_data (task);
  g_autoptr (TallyPage) page = NULL;
  g_autoptr (GError) error = NULL;
  GListModel *items;
  guint n_items;

  page = tally_client_list_keys_finish (self, result, &error);
  if (page == NULL || !check_page_echo (page, data->page, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->page == 1 && learn_page_size (self, page, &data->page_size, !data->size_retried))
    {
      data->size_retried = TRUE;
      all_keys_request_next (task);
      return;
    }

  items = tally_page_get_items (page);
  n_items = g_list_model_get_n_items (items);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (GObject) key = g_list_model_get_item (items, i);

      g_list_store_append (data->keys, key);
    }

  if (n_items == 0 || tally_page_is_last (page) || data->page >= MAX_KEY_PAGES)
    {
      g_task_return_pointer (task, g_object_ref (data->keys), g_object_unref);
      return;
    }

  data->page++;
  data->page_size = tally_page_get_page_size (page);
  all_keys_request_next (task);
}

void
tally_client_list_all_keys_async (TallyClient *self,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  AllKeysData *data;

  g_return_if_fail (TALLY_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_client_list_all_keys_async);

  data = g_new0 (AllKeysData, 1);
  data->keys = g_list_store_new (TALLY_TYPE_API_KEY);
  data->page = 1;
  data->page_size = _tally_scheduler_get_max_page_size (self->scheduler);
  g_task_set_task_data (task, data, (GDestroyNotify) all_keys_data_free);

  all_keys_request_next (task);
}

GListModel *
tally_client_list_all_keys_finish (TallyClient *self,
                                   GAsyncResult *result,
                                   GError **error)
{
  return client_send_finish (self, result, tally_client_list_all_keys_async, error);
}

/* ------------------------------------------------------------------------ */
/* Every usage page, several in flight, delivered in order                  */

typedef struct
{
  TallyUsageQuery *query;
  TallyPageFunc page_func;
  gpointer page_func_data;
  GDestroyNotify page_func_data_destroy;

  /* cancels the outstanding page requests: linked to the caller's
   * cancellable, and cancelled by us once the walk is over */
  GCancellable *pages_cancellable;
  GCancellable *caller_cancellable;
  gulong caller_cancelled_id;

  GHashTable *ready;  /* page number → TallyPage, arrived early */
  gint64 page_size;   /* the effective (echoed) page size */
  gint64 known_pages; /* the largest "pages" seen so far */
  gint64 next_request;
  gint64 next_delivery;
  guint max_in_flight;
  guint in_flight;
  gboolean finished;
  gboolean auto_size;    /* the caller left the page size to us */
  gboolean size_retried; /* page 1 was asked again with a smaller size */
} ForeachData;

typedef struct
{
  GTask *task;
  gint64 page;
} PageRequest;

static void
foreach_data_free (ForeachData *data)
{
  if (data->caller_cancelled_id != 0)
    g_cancellable_disconnect (data->caller_cancellable, data->caller_cancelled_id);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->pages_cancellable);
  g_clear_pointer (&data->query, tally_usage_query_free);
  g_clear_pointer (&data->ready, g_hash_table_unref);
  if (data->page_func_data_destroy != NULL)
    data->page_func_data_destroy (data->page_func_data);
  g_free (data);
}

static void foreach_page_cb (GObject *object,
                             GAsyncResult *result,
                             gpointer user_data);

static void
foreach_finish_walk (GTask *task,
                     GError *error)
{
  ForeachData *data = g_task_get_task_data (task);

  g_assert (!data->finished);

  data->finished = TRUE;
  g_cancellable_cancel (data->pages_cancellable);
  g_hash_table_remove_all (data->ready);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
foreach_request_more (GTask *task)
{
  TallyClient *self = g_task_get_source_object (task);
  ForeachData *data = g_task_get_task_data (task);

  while (!data->finished && data->in_flight < data->max_in_flight && data->next_request <= data->known_pages && data->next_request < data->next_delivery + data->max_in_flight && data->next_request <= MAX_USAGE_PAGES)
    {
      PageRequest *request = g_new0 (PageRequest, 1);

      request->task = g_object_ref (task);
      request->page = data->next_request++;
      data->in_flight++;
      list_usage_page_async (self, data->query, request->page, data->page_size, TRUE,
                             data->pages_cancellable,
                             foreach_page_cb,
                             request);
    }
}

/* Hands every page that is next in line to page_func. */
static void
foreach_deliver (GTask *task)
{
  ForeachData *data = g_task_get_task_data (task);
  TallyPage *page;

  while (!data->finished && (page = g_hash_table_lookup (data->ready, &data->next_delivery)) != NULL)
    {
      g_autoptr (TallyPage) delivered = g_object_ref (page);
      gboolean more;

      g_hash_table_remove (data->ready, &data->next_delivery);
      data->next_delivery++;

      more = data->page_func (delivered, data->page_func_data);
      if (!more || tally_page_is_last (delivered) || g_list_model_get_n_items (tally_page_get_items (delivered)) == 0 || data->next_delivery > MAX_USAGE_PAGES)
        foreach_finish_walk (task, NULL);
    }
}

static void
foreach_page_cb (GObject *object,
                 GAsyncResult *result,
                 gpointer user_data)
{
  TallyClient *self = TALLY_CLIENT (object);
  PageRequest *request = user_data;
  g_autoptr (GTask) task = request->task;
  ForeachData *data = g_task_get_task_data (task);
  g_autoptr (TallyPage) page = NULL;
  g_autoptr (GError) error = NULL;
  gint64 page_number = request->page;

  g_free (request);
  data->in_flight--;

  page = tally_client_list_usage_finish (self, result, &error);
  if (data->finished)
    return;

  if (page == NULL || !check_page_echo (page, page_number, &error))
    {
      foreach_finish_walk (task, g_steal_pointer (&error));
      return;
    }

  if (page_number == 1)
    {
      if (data->auto_size && learn_page_size (self, page, &data->page_size, !data->size_retried))
        {
          PageRequest *again = g_new0 (PageRequest, 1);

          data->size_retried = TRUE;
          again->task = g_object_ref (task);
          again->page = 1;
          data->in_flight++;
          list_usage_page_async (self, data->query, 1, data->page_size, TRUE,
                                 data->pages_cancellable, foreach_page_cb, again);
          return;
        }

      /* S answers page_size=500 with 20: continue with what it really uses */
      data->page_size = tally_page_get_page_size (page);
    }
  else if (tally_page_get_page_size (page) != data->page_size)
    {
      foreach_finish_walk (task,
                           tally_error_new_full (TALLY_ERROR_BAD_RESPONSE, 200, NULL, 0,
                                                 _("The server changed its page size in the middle of a list")));
      return;
    }

  data->known_pages = MAX (data->known_pages, tally_page_get_pages (page));
  g_hash_table_insert (data->ready, g_memdup2 (&page_number, sizeof page_number), g_steal_pointer (&page));

  foreach_deliver (task);
  foreach_request_more (task);

  /* nothing left to wait for, but no page said it was the last one */
  if (!data->finished && data->in_flight == 0)
    foreach_finish_walk (task, NULL);
}

static void
foreach_caller_cancelled_cb (GCancellable *cancellable,
                             GCancellable *pages_cancellable)
{
  g_cancellable_cancel (pages_cancellable);
}

void
tally_client_foreach_usage_page_async (TallyClient *self,
                                       const TallyUsageQuery *query,
                                       gint64 page_size,
                                       guint max_in_flight,
                                       TallyPageFunc page_func,
                                       gpointer page_func_data,
                                       GDestroyNotify page_func_data_destroy,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  ForeachData *data;
  PageRequest *first;

  g_return_if_fail (TALLY_IS_CLIENT (self));
  g_return_if_fail (page_func != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_client_foreach_usage_page_async);

  data = g_new0 (ForeachData, 1);
  data->query = query != NULL ? tally_usage_query_copy (query) : tally_usage_query_new ();
  data->page_func = page_func;
  data->page_func_data = page_func_data;
  data->page_func_data_destroy = page_func_data_destroy;
  data->pages_cancellable = g_cancellable_new ();
  data->ready = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  data->auto_size = page_size <= 0;
  data->page_size = page_size > 0 ? page_size : _tally_scheduler_get_max_page_size (self->scheduler);
  data->max_in_flight = MAX (max_in_flight, 1);
  data->next_request = 2;
  data->next_delivery = 1;
  data->in_flight = 1;
  g_task_set_task_data (task, data, (GDestroyNotify) foreach_data_free);

  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->caller_cancelled_id = g_cancellable_connect (cancellable,
                                                         G_CALLBACK (foreach_caller_cancelled_cb),
                                                         g_object_ref (data->pages_cancellable),
                                                         g_object_unref);
    }

  /* page 1 alone first: it tells how many pages there are and the real page size */
  first = g_new0 (PageRequest, 1);
  first->task = g_object_ref (task);
  first->page = 1;
  list_usage_page_async (self, data->query, 1, data->page_size, TRUE,
                         data->pages_cancellable,
                         foreach_page_cb,
                         first);
}

gboolean
tally_client_foreach_usage_page_finish (TallyClient *self,
                                        GAsyncResult *result,
                                        GError **error)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Per-key usage: chunks of 100 ids, concurrently, merged                   */

typedef struct
{
  GListStore *merged;
  guint pending;
  gboolean failed;
} KeysUsageData;

static void
keys_usage_data_free (KeysUsageData *data)
{
  g_clear_object (&data->merged);
  g_free (data);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y ? 1
                            : 0;
}

static int
compare_key_usage (gconstpointer a,
                   gconstpointer b,
                   gpointer user_data)
{
  gint64 x = tally_key_usage_get_api_key_id ((TallyKeyUsage *) a);
  gint64 y = tally_key_usage_get_api_key_id ((TallyKeyUsage *) b);

  return x < y ? -1 : x > y ? 1
                            : 0;
}

static void keys_usage_chunk_async (TallyClient *self,
                                    const gint64 *ids,
                                    gsize n_ids,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);

static void
keys_usage_chunk_cb (GObject *object,
                     GAsyncResult *result,
                     gpointer user_data)
{
  TallyClient *self = TALLY_CLIENT (object);
  g_autoptr (GTask) task = user_data;
  KeysUsageData *data = g_task_get_task_data (task);
  g_autoptr (GListModel) chunk = NULL;
  g_autoptr (GError) error = NULL;
  guint n_items;

  data->pending--;
  chunk = client_send_finish (self, result, keys_usage_chunk_async, &error);
  if (data->failed)
    return;

  if (chunk == NULL)
    {
      data->failed = TRUE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  n_items = g_list_model_get_n_items (chunk);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (chunk, i);

      g_list_store_append (data->merged, item);
    }

  if (data->pending == 0)
    {
      g_list_store_sort (data->merged, compare_key_usage, NULL);
      g_task_return_pointer (task, g_object_ref (data->merged), g_object_unref);
    }
}

static void
keys_usage_chunk_async (TallyClient *self,
                        const gint64 *ids,
                        gsize n_ids,
                        GCancellable *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer user_data)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;
  Request request = {
    .method = "POST",
    .path = "/usage/dashboard/api-keys-usage",
    .decode = decode_key_usage_list,
    .source_tag = keys_usage_chunk_async,
    .idempotent = TRUE,
  };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "api_key_ids");
  json_builder_begin_array (builder);
  for (gsize i = 0; i < n_ids; i++)
    json_builder_add_int_value (builder, ids[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  request.body = body = json_builder_get_root (builder);

  client_send (self, &request, cancellable, callback, user_data);
}

void
tally_client_get_keys_usage_async (TallyClient *self,
                                   const gint64 *ids,
                                   gsize n_ids,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree gint64 *unique = NULL;
  gsize n_unique = 0;
  KeysUsageData *data;

  g_return_if_fail (TALLY_IS_CLIENT (self));
  g_return_if_fail (ids != NULL || n_ids == 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_client_get_keys_usage_async);

  data = g_new0 (KeysUsageData, 1);
  data->merged = g_list_store_new (TALLY_TYPE_KEY_USAGE);
  g_task_set_task_data (task, data, (GDestroyNotify) keys_usage_data_free);

  if (n_ids == 0)
    {
      g_task_return_pointer (task, g_object_ref (data->merged), g_object_unref);
      return;
    }

  /* duplicates count against the server's limit of 100: drop them first */
  unique = g_memdup2 (ids, n_ids * sizeof *ids);
  qsort (unique, n_ids, sizeof *unique, compare_ids);
  for (gsize i = 0; i < n_ids; i++)
    if (n_unique == 0 || unique[n_unique - 1] != unique[i])
      unique[n_unique++] = unique[i];

  for (gsize offset = 0; offset < n_unique; offset += KEYS_USAGE_CHUNK)
    {
      data->pending++;
      keys_usage_chunk_async (self,
                              unique + offset,
                              MIN (KEYS_USAGE_CHUNK, n_unique - offset),
                              cancellable,
                              keys_usage_chunk_cb,
                              g_object_ref (task));
    }
}

GListModel *
tally_client_get_keys_usage_finish (TallyClient *self,
                                    GAsyncResult *result,
                                    GError **error)
{
  return client_send_finish (self, result, tally_client_get_keys_usage_async, error);
}

/* ------------------------------------------------------------------------ */
/* JWT expiry                                                               */

gint64
tally_token_get_expiry (const char *token)
{
  g_auto (GStrv) parts = NULL;
  g_autoptr (GString) payload = NULL;
  g_autofree guchar *decoded = NULL;
  gsize decoded_len = 0;
  g_autoptr (JsonNode) root = NULL;
  JsonNode *exp;

  /* A real JWT is a few hundred bytes; a token is server input, so anything
   * unusual is refused before it reaches the parser. */
  if (token == NULL || strlen (token) > MAX_TOKEN_LENGTH)
    return 0;

  parts = g_strsplit (token, ".", 4);
  if (g_strv_length (parts) != 3 || parts[1][0] == '\0')
    return 0;

  /* base64url → base64, padded */
  payload = g_string_new (parts[1]);
  for (gsize i = 0; i < payload->len; i++)
    {
      char c = payload->str[i];

      if (c == '-')
        payload->str[i] = '+';
      else if (c == '_')
        payload->str[i] = '/';
      else if (!g_ascii_isalnum (c) && c != '+' && c != '/' && c != '=')
        return 0;
    }
  while (payload->len % 4 != 0)
    g_string_append_c (payload, '=');

  decoded = g_base64_decode (payload->str, &decoded_len);
  if (decoded == NULL || decoded_len == 0 || !g_utf8_validate ((const char *) decoded, (gssize) decoded_len, NULL))
    return 0;

  root = _tally_json_read ((const char *) decoded, decoded_len, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  exp = json_object_get_member (json_node_get_object (root), "exp");
  if (exp == NULL || !JSON_NODE_HOLDS_VALUE (exp) || json_node_get_value_type (exp) != G_TYPE_INT64)
    return 0;

  return MAX (json_node_get_int (exp), 0);
}

/* ------------------------------------------------------------------------ */
/* Refresh tokens (today's servers, API-2026.md §3)                         */
/*                                                                          */
/* The one hook in the send path is client_auth_intercept() at the top of   */
/* client_send(): an authenticated request is wrapped in an outer task      */
/* (AuthCall) that sends a copy of it (auth_handled set, so it goes out as  */
/* is), and on 401 TOKEN_EXPIRED waits for the single refresh and sends it  */
/* once more. A request whose token is due waits for the refresh first.     */

#define REFRESH_MARGIN_SECONDS 60
#define LOGOUT_TIMEOUT_SECONDS 5

struct _ClientAuth
{
  char *refresh_token; /* NULL: no refresh (S, TALLY_TOKEN, pasted token) */
  gint64 expires_at;   /* the access token's expiry, our clock; 0 = unknown */
  gint64 margin;       /* refresh this many seconds before expires_at */
  guint serial;        /* bumped on every change of the access token */

  /* single flight: GTask* waiting for the refresh in flight; NULL = none runs */
  GPtrArray *waiters;
  GError *ended; /* why the last refresh ended the login, until new tokens come */

  TallyClientReloadFunc reload_func;
  gpointer reload_data;
  GDestroyNotify reload_destroy;
};

enum
{
  TOKENS_CHANGED,
  N_AUTH_SIGNALS
};

static guint auth_signals[N_AUTH_SIGNALS];

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static ClientAuth *
client_auth_new (void)
{
  return g_new0 (ClientAuth, 1);
}

static void
client_auth_free (ClientAuth *auth)
{
  /* every waiter holds a reference to the client: none is left here */
  g_assert (auth->waiters == NULL || auth->waiters->len == 0);

  g_clear_pointer (&auth->waiters, g_ptr_array_unref);
  g_clear_error (&auth->ended);
  wipe_free (auth->refresh_token);
  if (auth->reload_destroy != NULL)
    auth->reload_destroy (auth->reload_data);
  g_free (auth);
}

static void
client_auth_class_init (GObjectClass *object_class)
{
  /* A login or a refresh gave a new token pair: store it. */
  auth_signals[TOKENS_CHANGED] = g_signal_new ("tokens-changed",
                                               G_TYPE_FROM_CLASS (object_class),
                                               G_SIGNAL_RUN_LAST,
                                               0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 0);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* @expires_at of our clock (0 = from the JWT's "exp" and the server's clock) */
static void
auth_set_expiry (TallyClient *self,
                 gint64 expires_at)
{
  ClientAuth *auth = self->auth;

  if (expires_at <= 0 && self->token != NULL)
    {
      gint64 exp = tally_token_get_expiry (self->token);

      expires_at = exp > 0 ? exp - self->clock_skew : 0;
    }

  auth->expires_at = MAX (expires_at, 0);
  auth->margin = auth->expires_at > 0 ? CLAMP ((auth->expires_at - now_seconds ()) / 10, 0, REFRESH_MARGIN_SECONDS) : 0;
}

static void
auth_set_refresh_token (ClientAuth *auth,
                        const char *refresh_token)
{
  wipe_free (auth->refresh_token);
  auth->refresh_token = (refresh_token != NULL && refresh_token[0] != '\0') ? g_strdup (refresh_token) : NULL;
}

/* tally_client_set_token(): a token from elsewhere has no refresh token */
static void
client_auth_token_replaced (TallyClient *self)
{
  g_clear_error (&self->auth->ended);
  self->auth->serial++;
  auth_set_refresh_token (self->auth, NULL);
  auth_set_expiry (self, 0);
}

/* Sets both tokens (and the expiry) without dropping the refresh token. */
static void
auth_set_pair (TallyClient *self,
               const char *token,
               const char *refresh_token,
               gint64 expires_at)
{
  if (g_strcmp0 (self->token, token) != 0)
    {
      wipe_free (self->token);
      self->token = g_strdup (token);
      self->auth->serial++;
      g_clear_error (&self->auth->ended);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
    }
  auth_set_refresh_token (self->auth, refresh_token);
  auth_set_expiry (self, expires_at);
}

/* complete_auth(): the login's token is set; add the refresh token and lifetime */
static void
client_auth_logged_in (TallyClient *self,
                       TallyAuthResult *result)
{
  gint64 expires_in = tally_auth_result_get_expires_in (result);

  auth_set_refresh_token (self->auth, tally_auth_result_get_refresh_token (result));
  auth_set_expiry (self, expires_in >= 0 ? now_seconds () + expires_in : 0);
  g_signal_emit (self, auth_signals[TOKENS_CHANGED], 0);
}

static gboolean
auth_refresh_due (TallyClient *self)
{
  ClientAuth *auth = self->auth;

  return auth->refresh_token != NULL && auth->expires_at > 0 && now_seconds () >= auth->expires_at - auth->margin;
}

static gboolean
is_token_expired (const GError *error)
{
  return g_error_matches (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED) && g_strcmp0 (tally_error_get_reason (error), "TOKEN_EXPIRED") == 0;
}

/* -- one authenticated call ---------------------------------------------- */

typedef struct
{
  Request request; /* the copy that is sent; points into the fields below */
  char *path;
  char *query;
  JsonNode *body;
  guint serial; /* the access token it was sent with */
  gboolean resent;
} AuthCall;

static void
auth_call_free (AuthCall *call)
{
  g_free (call->path);
  g_free (call->query);
  g_clear_pointer (&call->body, json_node_unref);
  g_free (call);
}

static AuthCall *
auth_call_new (const Request *request)
{
  AuthCall *call = g_new0 (AuthCall, 1);

  call->request = *request;
  call->path = g_strdup (request->path);
  call->query = g_strdup (request->query);
  call->body = request->body != NULL ? json_node_copy (request->body) : NULL;
  call->request.path = call->path;
  call->request.query = call->query;
  call->request.body = call->body;
  call->request.auth_handled = TRUE;

  return call;
}

static void auth_call_send (TallyClient *self,
                            GTask *task);
static void auth_wait_for_refresh (TallyClient *self,
                                   GTask *task);

static void
auth_call_sent_cb (GObject *object,
                   GAsyncResult *result,
                   gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TallyClient *self = g_task_get_source_object (task);
  AuthCall *call = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  gpointer value;

  g_assert (TALLY_IS_CLIENT (self));

  value = g_task_propagate_pointer (G_TASK (result), &error);
  if (value != NULL)
    {
      g_task_return_pointer (task, value, g_object_unref);
      return;
    }

  /* Once per call, and only with a refresh token: never loop. */
  if (is_token_expired (error) && !call->resent && self->auth->refresh_token != NULL && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      call->resent = TRUE;
      if (call->serial != self->auth->serial)
        /* another call refreshed meanwhile: the new token is there */
        auth_call_send (self, task);
      else
        auth_wait_for_refresh (self, task);
      return;
    }

  if (is_token_expired (error) && self->auth->ended != NULL)
    {
      g_task_return_error (task, g_error_copy (self->auth->ended));
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

static void
auth_call_send (TallyClient *self,
                GTask *task)
{
  AuthCall *call = g_task_get_task_data (task);

  call->serial = self->auth->serial;
  client_send (self, &call->request, g_task_get_cancellable (task), auth_call_sent_cb, g_object_ref (task));
}

static gboolean
client_auth_intercept (TallyClient *self,
                       const Request *request,
                       GCancellable *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  if (request->anonymous || request->auth_handled)
    return FALSE;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, request->source_tag);
  g_task_set_task_data (task, auth_call_new (request), (GDestroyNotify) auth_call_free);

  if (auth_refresh_due (self))
    auth_wait_for_refresh (self, task);
  else
    auth_call_send (self, task);

  return TRUE;
}

/* -- the single refresh -------------------------------------------------- */

typedef struct
{
  char *used;        /* the refresh token sent */
  gboolean reloaded; /* the reload func was asked already */
  GError *error;     /* the refusal that made us ask it */
} RefreshRun;

static void
refresh_run_free (RefreshRun *run)
{
  wipe_free (run->used);
  g_clear_error (&run->error);
  g_free (run);
}

static void auth_send_refresh (TallyClient *self,
                               RefreshRun *run);

/* Completes every waiter: public refreshes with the outcome, calls are sent
 * again (or fail with the refresh's error). */
static void
auth_finish_refresh (TallyClient *self,
                     RefreshRun *run,
                     const GError *error)
{
  g_autoptr (GPtrArray) waiters = g_steal_pointer (&self->auth->waiters);

  refresh_run_free (run);

  /* a refresh token the server refused for good is of no more use; later
   * calls that find the token expired say why the login ended */
  if (error != NULL && tally_error_ends_session (error))
    {
      auth_set_refresh_token (self->auth, NULL);
      g_clear_error (&self->auth->ended);
      self->auth->ended = g_error_copy (error);
    }

  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (g_task_get_source_tag (task) == tally_client_refresh_async)
        {
          if (error != NULL)
            g_task_return_error (task, g_error_copy (error));
          else
            g_task_return_boolean (task, TRUE);
        }
      else if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else if (!g_task_return_error_if_cancelled (task))
        auth_call_send (self, task);
    }
}

static void
auth_reloaded_cb (GObject *object,
                  GAsyncResult *result,
                  gpointer user_data)
{
  TallyClient *self = TALLY_CLIENT (object);
  RefreshRun *run = user_data;
  g_autoptr (TallyAccount) account = NULL;
  g_autoptr (GError) error = NULL;

  account = g_task_propagate_pointer (G_TASK (result), &error);
  if (error != NULL)
    g_debug ("Could not re-read the stored login: %s", error->message);

  if (account == NULL || account->refresh_token == NULL || account->token == NULL || g_strcmp0 (account->refresh_token, run->used) == 0)
    {
      g_autoptr (GError) refused = g_steal_pointer (&run->error);

      auth_finish_refresh (self, run, refused);
      return;
    }

  /* Another process rotated the pair and stored it: take it. */
  auth_set_pair (self, account->token, account->refresh_token, account->expires_at);
  g_clear_error (&run->error);

  if (auth_refresh_due (self))
    auth_send_refresh (self, run);
  else
    auth_finish_refresh (self, run, NULL);
}

static void
auth_refreshed_cb (GObject *object,
                   GAsyncResult *result,
                   gpointer user_data)
{
  TallyClient *self = TALLY_CLIENT (object);
  RefreshRun *run = user_data;
  g_autoptr (TallyAuthResult) answer = NULL;
  g_autoptr (GError) error = NULL;
  const char *access_token = NULL;

  answer = g_task_propagate_pointer (G_TASK (result), &error);
  if (answer != NULL)
    access_token = tally_auth_result_get_access_token (answer);

  if (access_token != NULL && access_token[0] != '\0')
    {
      const char *refresh_token = tally_auth_result_get_refresh_token (answer);
      gint64 expires_in = tally_auth_result_get_expires_in (answer);

      /* a server that does not rotate keeps the old refresh token valid */
      auth_set_pair (self, access_token,
                     refresh_token != NULL ? refresh_token : run->used,
                     expires_in >= 0 ? now_seconds () + expires_in : 0);
      g_signal_emit (self, auth_signals[TOKENS_CHANGED], 0);
      auth_finish_refresh (self, run, NULL);
      return;
    }

  if (error == NULL)
    error = tally_error_new_full (TALLY_ERROR_BAD_RESPONSE, 200, NULL, 0,
                                  _("The server renewed the login but sent no access token"));

  if (g_strcmp0 (tally_error_get_reason (error), "REFRESH_TOKEN_INVALID") == 0 && !run->reloaded && self->auth->reload_func != NULL)
    {
      g_autoptr (GTask) reload = g_task_new (self, NULL, auth_reloaded_cb, run);

      run->reloaded = TRUE;
      run->error = g_steal_pointer (&error);
      self->auth->reload_func (self, reload, self->auth->reload_data);
      return;
    }

  auth_finish_refresh (self, run, error);
}

static gpointer
decode_auth_result (JsonNode *data,
                    GError **error)
{
  return _tally_auth_result_new_from_json (data, error);
}

static void
auth_send_refresh (TallyClient *self,
                   RefreshRun *run)
{
  g_autoptr (JsonNode) body = NULL;
  Request request = {
    .method = "POST",
    .path = "/auth/refresh",
    .anonymous = TRUE,
    .decode = decode_auth_result,
    .source_tag = auth_send_refresh,
  };

  g_assert (self->auth->refresh_token != NULL);

  wipe_free (run->used);
  run->used = g_strdup (self->auth->refresh_token);
  body = string_object_body ("refresh_token", run->used, NULL);
  request.body = body;

  /* Not cancellable: one waiter going away must not fail the others; every
   * waiter keeps the client alive. */
  client_send (self, &request, NULL, auth_refreshed_cb, run);
}

/* Queues @task for the refresh in flight, starting one if none runs. */
static void
auth_wait_for_refresh (TallyClient *self,
                       GTask *task)
{
  ClientAuth *auth = self->auth;

  if (auth->waiters != NULL)
    {
      g_ptr_array_add (auth->waiters, g_object_ref (task));
      return;
    }

  if (auth->refresh_token == NULL)
    {
      /* a refresh just failed for good: nothing to renew with */
      if (g_task_get_source_tag (task) == tally_client_refresh_async)
        g_task_return_new_error (task, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED,
                                 _("There is no login to renew — log in again"));
      else
        auth_call_send (self, task);
      return;
    }

  auth->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (auth->waiters, g_object_ref (task));
  auth_send_refresh (self, g_new0 (RefreshRun, 1));
}

/* -- public API ---------------------------------------------------------- */

const char *
tally_client_get_refresh_token (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), NULL);

  return self->auth->refresh_token;
}

gint64
tally_client_get_token_expires_at (TallyClient *self)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), 0);

  return self->auth->expires_at;
}

void
tally_client_set_tokens (TallyClient *self,
                         const char *token,
                         const char *refresh_token,
                         gint64 expires_at)
{
  g_return_if_fail (TALLY_IS_CLIENT (self));

  auth_set_pair (self, token, token != NULL ? refresh_token : NULL, expires_at);
}

void
tally_client_set_reload_func (TallyClient *self,
                              TallyClientReloadFunc func,
                              gpointer user_data,
                              GDestroyNotify destroy)
{
  ClientAuth *auth;

  g_return_if_fail (TALLY_IS_CLIENT (self));

  auth = self->auth;
  if (auth->reload_destroy != NULL)
    auth->reload_destroy (auth->reload_data);
  auth->reload_func = func;
  auth->reload_data = user_data;
  auth->reload_destroy = destroy;
}

void
tally_client_refresh_async (TallyClient *self,
                            GCancellable *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (TALLY_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_client_refresh_async);

  if (self->auth->refresh_token == NULL && self->auth->waiters == NULL)
    {
      g_task_return_new_error (task, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED,
                               _("There is no login to renew — log in again"));
      return;
    }

  auth_wait_for_refresh (self, task);
}

gboolean
tally_client_refresh_finish (TallyClient *self,
                             GAsyncResult *result,
                             GError **error)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tally_client_refresh_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GCancellable *cancellable; /* ours: the caller's or the timer cancels it */
  GCancellable *caller;
  gulong caller_handler;
  guint timer;
  gboolean timed_out;
} LogoutData;

static void
logout_data_free (LogoutData *data)
{
  g_clear_handle_id (&data->timer, g_source_remove);
  if (data->caller != NULL)
    g_cancellable_disconnect (data->caller, data->caller_handler);
  g_clear_object (&data->caller);
  g_clear_object (&data->cancellable);
  g_free (data);
}

static gboolean
logout_timeout_cb (gpointer user_data)
{
  LogoutData *data = user_data;

  data->timer = 0;
  data->timed_out = TRUE;
  g_cancellable_cancel (data->cancellable);

  return G_SOURCE_REMOVE;
}

static void
logout_caller_cancelled_cb (GCancellable *caller,
                            gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* The answer carries nothing Tally reads: any {"code":0,"data":…} is a success. */
static gpointer
decode_logout (JsonNode *data,
               GError **error)
{
  return g_object_new (G_TYPE_OBJECT, NULL);
}

static void
logout_cb (GObject *object,
           GAsyncResult *result,
           gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TallyClient *self = g_task_get_source_object (task);
  LogoutData *data = g_task_get_task_data (task);
  g_autoptr (GObject) answer = NULL;
  g_autoptr (GError) error = NULL;

  answer = g_task_propagate_pointer (G_TASK (result), &error);
  if (answer != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (data->timed_out && tally_error_is_cancelled (error))
    {
      g_autofree char *message = g_strdup_printf (_("%s did not answer in time"), self->host);

      g_task_return_error (task, tally_error_new_full (TALLY_ERROR_TIMEOUT, 0, NULL, 0, message));
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

void
tally_client_logout_async (TallyClient *self,
                           GCancellable *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonNode) body = NULL;
  char *refresh_token;
  LogoutData *data;
  Request request = {
    .method = "POST",
    .path = "/auth/logout",
    .anonymous = TRUE,
    .decode = decode_logout,
    .source_tag = tally_client_logout_async,
  };

  g_return_if_fail (TALLY_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_client_logout_async);

  /* Forget first: nothing local waits for the server. */
  refresh_token = g_steal_pointer (&self->auth->refresh_token);
  tally_client_set_token (self, NULL);

  if (refresh_token == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  data = g_new0 (LogoutData, 1);
  data->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->caller = g_object_ref (cancellable);
      data->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (logout_caller_cancelled_cb),
                                                    data->cancellable, NULL);
    }
  data->timer = g_timeout_add_seconds (self->timeout > 0 ? MIN (self->timeout, LOGOUT_TIMEOUT_SECONDS) : LOGOUT_TIMEOUT_SECONDS,
                                       logout_timeout_cb, data);
  g_task_set_task_data (task, data, (GDestroyNotify) logout_data_free);

  body = string_object_body ("refresh_token", refresh_token, NULL);
  wipe_free (refresh_token);
  request.body = body;

  client_send (self, &request, data->cancellable, logout_cb, g_object_ref (task));
}

gboolean
tally_client_logout_finish (TallyClient *self,
                            GAsyncResult *result,
                            GError **error)
{
  g_return_val_if_fail (TALLY_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tally_client_logout_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

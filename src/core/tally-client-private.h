/* tally-client-private.h: what the parts of TallyClient share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tally-client.c: the object, its properties and the one-request endpoints;
 * tally-client-send.c: the send path (scheduler, retries, rate limits, decoding);
 * tally-client-paging.c: the walks over several pages;
 * tally-client-auth.c: refresh tokens and logout.
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tally-client.h"
#include "tally-json-reader-private.h"
#include "tally-scheduler-private.h"

G_BEGIN_DECLS

#define API_PREFIX "/api/v1"

typedef struct _ClientAuth ClientAuth; /* tally-client-auth.c */

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

  /* /user/platform-quotas answered a plain 404 once (tally-client-quotas.c) */
  gboolean no_platform_quotas;
};

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

/* tally-client.c */
void _tally_client_set_rate_limit_wait (TallyClient *self,
                                        gint64 rate_limit_wait);
void _tally_client_notify_token (TallyClient *self);
/* {"name": "value", …} from NULL-terminated name/value pairs; NULL or empty
 * values are left out. */
JsonNode *_tally_client_string_object_body (const char *first_name,
                                            ...) G_GNUC_NULL_TERMINATED;

/* tally-client-send.c: sends @request (authenticated ones through
 * _tally_client_auth_intercept() first) and decodes its answer */
void _tally_client_send (TallyClient *self,
                         const Request *request,
                         GCancellable *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer user_data);
gpointer _tally_client_send_finish (TallyClient *self,
                                    GAsyncResult *result,
                                    gpointer source_tag,
                                    GError **error);

/* tally-client-auth.c: the refresh-token section */
ClientAuth *_tally_client_auth_new (void);
void _tally_client_auth_free (ClientAuth *auth);
void _tally_client_auth_class_init (GObjectClass *object_class);
gboolean _tally_client_auth_intercept (TallyClient *self,
                                       const Request *request,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
void _tally_client_auth_token_replaced (TallyClient *self);
void _tally_client_auth_logged_in (TallyClient *self,
                                   TallyAuthResult *result);

G_END_DECLS

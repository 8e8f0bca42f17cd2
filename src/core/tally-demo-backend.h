/* tally-demo-backend.h: what a session needs of an in-process demo server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Core never links the demo server (libtally-demo, src/demo/): the app and
 * the command line create one (tally_demo_server_new_from_environment()) and
 * hand it to tally_session_start_demo_async(), which starts it, logs in with
 * its credentials, logs in again with them when a short token expires, and
 * stops it when the demo ends. TallyDemoServer implements this interface.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TALLY_TYPE_DEMO_BACKEND (tally_demo_backend_get_type ())

G_DECLARE_INTERFACE (TallyDemoBackend, tally_demo_backend, TALLY, DEMO_BACKEND, GObject)

struct _TallyDemoBackendInterface
{
  GTypeInterface parent_iface;

  gboolean (*start) (TallyDemoBackend *self,
                     GError **error);
  void (*stop) (TallyDemoBackend *self);
  const char *(*get_url) (TallyDemoBackend *self);
  const char *(*get_email) (TallyDemoBackend *self);
  const char *(*get_password) (TallyDemoBackend *self);
  /* Optional: the frozen clock, unix seconds (0 = the real clock). */
  gint64 (*get_now) (TallyDemoBackend *self);
};

/* Listens in the thread-default main context of the caller. */
gboolean tally_demo_backend_start (TallyDemoBackend *self,
                                   GError **error);
/* Disconnects every client. Safe to call twice. */
void tally_demo_backend_stop (TallyDemoBackend *self);
/* The base URL while started, else NULL. */
const char *tally_demo_backend_get_url (TallyDemoBackend *self);
const char *tally_demo_backend_get_email (TallyDemoBackend *self);
const char *tally_demo_backend_get_password (TallyDemoBackend *self);
/* The server's clock when it is frozen (TALLY_DEMO_NOW: its data ends then),
 * unix seconds; 0 when it follows the real clock. */
gint64 tally_demo_backend_get_now (TallyDemoBackend *self);

G_END_DECLS

/* tally-soup-listen-private.h: serve a SoupServer on the loopback interface
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Core-internal (and for tests). libsoup 3.2.3's own listener
 * (soup_server_listen_local()) keeps a reference to every GSocket it accepted,
 * even after soup_server_disconnect(): a leak per connection, which also keeps
 * LeakSanitizer from checking anything that runs a server. Here a
 * GSocketService of our own accepts the connections and hands each one to the
 * server with soup_server_accept_iostream().
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Serves @server on a new port of 127.0.0.1 (written to *@port), over TLS
 * with @certificate when it is not NULL. Connections are accepted in the
 * thread-default main context of the caller. To shut down:
 * _tally_soup_listen_stop (service), then soup_server_disconnect (server). */
GSocketService *_tally_soup_listen_loopback (SoupServer *server,
                                             GTlsCertificate *certificate,
                                             guint16 *port,
                                             GError **error);

/* Stops accepting and closes the listening socket; drops @service. */
void _tally_soup_listen_stop (GSocketService *service);

G_END_DECLS

/* tally-soup-listen.c: serve a SoupServer on the loopback interface
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-soup-listen"

#include "config.h"

#include "tally-soup-listen-private.h"

static gboolean
incoming_cb (GSocketService *service,
             GSocketConnection *connection,
             GObject *source_object,
             gpointer user_data)
{
  SoupServer *server = g_object_get_data (G_OBJECT (service), "tally-soup-server");
  GTlsCertificate *certificate = g_object_get_data (G_OBJECT (service), "tally-certificate");
  g_autoptr (GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr (GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr (GIOStream) stream = NULL;
  g_autoptr (GError) error = NULL;

  if (server == NULL)
    return FALSE; /* stopped */

  if (certificate != NULL)
    stream = g_tls_server_connection_new (G_IO_STREAM (connection), certificate, &error);
  else
    stream = g_object_ref (G_IO_STREAM (connection));

  if (stream == NULL || !soup_server_accept_iostream (server, stream, local, remote, &error))
    g_debug ("A connection was refused: %s", error->message);

  return TRUE;
}

GSocketService *
_tally_soup_listen_loopback (SoupServer *server,
                             GTlsCertificate *certificate,
                             guint16 *port,
                             GError **error)
{
  g_autoptr (GSocketService) service = g_socket_service_new ();
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);
  g_return_val_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate), NULL);
  g_return_val_if_fail (port != NULL, NULL);

  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), any_port, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &bound, error))
    return NULL;

  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_object_set_data_full (G_OBJECT (service), "tally-soup-server", g_object_ref (server), g_object_unref);
  if (certificate != NULL)
    g_object_set_data_full (G_OBJECT (service), "tally-certificate", g_object_ref (certificate), g_object_unref);
  g_signal_connect (service, "incoming", G_CALLBACK (incoming_cb), NULL);
  g_socket_service_start (service);

  return g_steal_pointer (&service);
}

void
_tally_soup_listen_stop (GSocketService *service)
{
  if (service == NULL)
    return;

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  /* the cancelled accept keeps the service alive until the main loop runs
   * again: it must not keep the server (or anything else) alive with it */
  g_object_set_data (G_OBJECT (service), "tally-soup-server", NULL);
  g_object_set_data (G_OBJECT (service), "tally-certificate", NULL);
  g_object_unref (service);
}

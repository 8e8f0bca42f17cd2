/* tally-demo-backend.c: what a session needs of an in-process demo server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tally-demo-backend.h"

G_DEFINE_INTERFACE (TallyDemoBackend, tally_demo_backend, G_TYPE_OBJECT)

static void
tally_demo_backend_default_init (TallyDemoBackendInterface *iface)
{
}

gboolean
tally_demo_backend_start (TallyDemoBackend *self,
                          GError **error)
{
  g_return_val_if_fail (TALLY_IS_DEMO_BACKEND (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return TALLY_DEMO_BACKEND_GET_IFACE (self)->start (self, error);
}

void
tally_demo_backend_stop (TallyDemoBackend *self)
{
  g_return_if_fail (TALLY_IS_DEMO_BACKEND (self));

  TALLY_DEMO_BACKEND_GET_IFACE (self)->stop (self);
}

const char *
tally_demo_backend_get_url (TallyDemoBackend *self)
{
  g_return_val_if_fail (TALLY_IS_DEMO_BACKEND (self), NULL);

  return TALLY_DEMO_BACKEND_GET_IFACE (self)->get_url (self);
}

const char *
tally_demo_backend_get_email (TallyDemoBackend *self)
{
  g_return_val_if_fail (TALLY_IS_DEMO_BACKEND (self), NULL);

  return TALLY_DEMO_BACKEND_GET_IFACE (self)->get_email (self);
}

const char *
tally_demo_backend_get_password (TallyDemoBackend *self)
{
  g_return_val_if_fail (TALLY_IS_DEMO_BACKEND (self), NULL);

  return TALLY_DEMO_BACKEND_GET_IFACE (self)->get_password (self);
}

gint64
tally_demo_backend_get_now (TallyDemoBackend *self)
{
  g_return_val_if_fail (TALLY_IS_DEMO_BACKEND (self), 0);

  if (TALLY_DEMO_BACKEND_GET_IFACE (self)->get_now == NULL)
    return 0;

  return TALLY_DEMO_BACKEND_GET_IFACE (self)->get_now (self);
}

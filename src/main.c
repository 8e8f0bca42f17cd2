/* main.c: the tally executable: a subcommand runs headless, anything else opens the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tally-application.h"
#include "tally-cli.h"
#include "tally-timing.h"

/* Whether this machine has a GPU render node: without one, Mesa can only
 * rasterise OpenGL in software (llvmpipe). */
static gboolean
have_gpu_render_node (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;

  return FALSE;
}

/* Without a GPU, GDK would still load Mesa's software OpenGL (llvmpipe) to
 * pick a visual and render with it. For this app's flat 2D drawing that
 * costs, measured under Xvfb on 2 cores, about 300 ms before the first
 * filled frame and about 95 MiB PSS (147 → 49 MiB); Cairo draws the same
 * frames. With a GPU, or when the user chose (GSK_RENDERER or GDK_DEBUG is
 * set), nothing changes. Called before GTK starts and before any thread. */
static void
avoid_software_gl (void)
{
  if (g_getenv ("GSK_RENDERER") != NULL || g_getenv ("GDK_DEBUG") != NULL)
    return;

  if (!have_gpu_render_node ())
    g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
}

int
main (int argc,
      char *argv[])
{
  tally_timing_init ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Subcommands, --help and --version never touch GTK, so they work without a display. */
  if (tally_cli_handles (argc, argv))
    return tally_cli_run (argc, argv);

  avoid_software_gl ();

  g_autoptr (TallyApplication) app = tally_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

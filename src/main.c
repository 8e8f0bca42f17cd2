/* main.c: the tally executable: a subcommand runs headless, anything else opens the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tally-application.h"
#include "tally-cli.h"

int
main (int argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Subcommands never touch GTK, so they work without a display. */
  if (argc > 1 && tally_cli_is_command (argv[1]))
    return tally_cli_run (argc, argv);

  g_autoptr (TallyApplication) app = tally_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

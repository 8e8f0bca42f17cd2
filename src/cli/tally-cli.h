/* tally-cli.h: the headless command line (core only, never opens a display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses, DESIGN.md §4 */
typedef enum
{
  TALLY_CLI_EXIT_OK = 0,
  TALLY_CLI_EXIT_USAGE = 1,
  TALLY_CLI_EXIT_AUTH = 2,
  TALLY_CLI_EXIT_SERVER = 3,
  TALLY_CLI_EXIT_IO = 4,
  /* `tally budget`: a month-to-date or forecast over its budget, or a limit used up */
  TALLY_CLI_EXIT_OVER_BUDGET = 5,
} TallyCliExit;

/* TRUE when @arg names a subcommand (login, logout, summary, keys, trend, models, logs, ...) */
gboolean tally_cli_is_command (const char *arg);

/* TRUE when the command line, not the window, answers @argv: a subcommand,
 * `--help`, `-h`, `--version`, or a word that is no command (`tally frobnicate`,
 * which gets one line on stderr and exit 1). */
gboolean tally_cli_handles (int argc,
                            char **argv);

/* Runs what tally_cli_handles() accepted; returns a TallyCliExit. */
int tally_cli_run (int argc,
                   char **argv);

G_END_DECLS

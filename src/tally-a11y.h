/* tally-a11y.h: accessibility fixes for GTK 4.8
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* GTK 4.8 gives a button with a mnemonic label two accessible names at once:
 * the raw label and the label widget it is labelled by ("Try the _Demo Try
 * the Demo"). This names every such button under @root (@root included) once,
 * with the mnemonic underscore removed, now and whenever its label changes.
 *
 * It also names the button a GtkDropDown is focused through, which GTK 4.8
 * leaves as "GtkToggleButton": "<the drop-down's tooltip>: <selected text>",
 * kept up to date.
 *
 * Call it after the widget's template is built. */
void tally_a11y_fix_names (GtkWidget *root);

G_END_DECLS

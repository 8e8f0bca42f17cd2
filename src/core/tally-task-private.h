/* tally-task-private.h: a GTask made of several parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Core-internal. A load that sends several requests at once counts the parts
 * still out and keeps one error; the last part to finish completes the task.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One part of @task is done: when it was the last of *@pending, @task
 * returns cancelled (its cancellable was cancelled), *@error (stolen) or TRUE. */
static inline void
_tally_task_part_done (GTask *task,
                       guint *pending,
                       GError **error)
{
  g_assert (*pending > 0);

  if (--*pending > 0)
    return;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (*error != NULL)
    g_task_return_error (task, g_steal_pointer (error));
  else
    g_task_return_boolean (task, TRUE);
}

G_END_DECLS

/* tally-log-row.c: one position of a TallyLogList; a placeholder until its page arrives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-log-row"

#include "config.h"

#include "tally-log-row.h"
#include "tally-usage-log.h"

struct _TallyLogRow
{
  GObject parent_instance;

  guint position;
  TallyUsageLog *log;
};

G_DEFINE_FINAL_TYPE (TallyLogRow, tally_log_row, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_POSITION,
  PROP_LOG,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tally_log_row_dispose (GObject *object)
{
  TallyLogRow *self = (TallyLogRow *) object;

  g_clear_object (&self->log);

  G_OBJECT_CLASS (tally_log_row_parent_class)->dispose (object);
}

static void
tally_log_row_get_property (GObject *object,
                            guint prop_id,
                            GValue *value,
                            GParamSpec *pspec)
{
  TallyLogRow *self = TALLY_LOG_ROW (object);

  switch (prop_id)
    {
      case PROP_POSITION:
        g_value_set_uint (value, self->position);
        break;

      case PROP_LOG:
        g_value_set_object (value, self->log);
        break;

      case PROP_LOADED:
        g_value_set_boolean (value, self->log != NULL);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_log_row_class_init (TallyLogRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tally_log_row_dispose;
  object_class->get_property = tally_log_row_get_property;

  properties[PROP_POSITION] = g_param_spec_uint ("position", NULL, NULL,
                                                 0, G_MAXUINT, 0,
                                                 (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOG] = g_param_spec_object ("log", NULL, NULL,
                                              TALLY_TYPE_USAGE_LOG,
                                              (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL,
                                                  FALSE,
                                                  (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_log_row_init (TallyLogRow *self)
{
}

guint
tally_log_row_get_position (TallyLogRow *self)
{
  g_return_val_if_fail (TALLY_IS_LOG_ROW (self), 0);

  return self->position;
}

TallyUsageLog *
tally_log_row_get_log (TallyLogRow *self)
{
  g_return_val_if_fail (TALLY_IS_LOG_ROW (self), NULL);

  return self->log;
}

gboolean
tally_log_row_get_loaded (TallyLogRow *self)
{
  g_return_val_if_fail (TALLY_IS_LOG_ROW (self), FALSE);

  return self->log != NULL;
}

TallyLogRow *
_tally_log_row_new (guint position,
                    TallyUsageLog *log)
{
  TallyLogRow *self = g_object_new (TALLY_TYPE_LOG_ROW, NULL);

  self->position = position;
  if (log != NULL)
    self->log = g_object_ref (log);

  return self;
}

void
_tally_log_row_set_log (TallyLogRow *self,
                        TallyUsageLog *log)
{
  gboolean was_loaded;

  g_return_if_fail (TALLY_IS_LOG_ROW (self));

  was_loaded = self->log != NULL;
  if (!g_set_object (&self->log, log))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG]);
  if (was_loaded != (self->log != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

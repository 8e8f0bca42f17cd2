/* tally-stat-card.c: one figure on the dashboard: a title, a value and a caption
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-stat-card"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-stat-card.h"

struct _TallyStatCard
{
  GtkWidget parent_instance;

  /* Template Widgets */
  GtkWidget *box;
  GtkLabel *title_label;
  GtkLabel *value_label;
  GtkLabel *caption_label;
};

G_DEFINE_FINAL_TYPE (TallyStatCard, tally_stat_card, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TITLE,
  PROP_VALUE,
  PROP_CAPTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_accessible_label (TallyStatCard *self)
{
  const char *title;
  const char *value;
  g_autofree char *label = NULL;

  g_assert (TALLY_IS_STAT_CARD (self));

  title = gtk_label_get_text (self->title_label);
  value = gtk_label_get_text (self->value_label);

  if (value[0] == '\0')
    label = g_strdup (title);
  else
    /* Translators: the accessible name of a dashboard card, e.g. "Balance: $12.34" */
    label = g_strdup_printf (_ ("%s: %s"), title, value);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);

  if (gtk_widget_get_visible (GTK_WIDGET (self->caption_label)))
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    gtk_label_get_text (self->caption_label),
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static gboolean
set_label_text (GtkLabel *label,
                const char *text)
{
  if (text == NULL)
    text = "";

  if (g_strcmp0 (gtk_label_get_text (label), text) == 0)
    return FALSE;

  /* Server strings are plain text: never markup. */
  gtk_label_set_text (label, text);
  return TRUE;
}

static void
tally_stat_card_dispose (GObject *object)
{
  TallyStatCard *self = (TallyStatCard *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TALLY_TYPE_STAT_CARD);

  G_OBJECT_CLASS (tally_stat_card_parent_class)->dispose (object);
}

static void
tally_stat_card_get_property (GObject *object,
                              guint prop_id,
                              GValue *value,
                              GParamSpec *pspec)
{
  TallyStatCard *self = TALLY_STAT_CARD (object);

  switch (prop_id)
    {
      case PROP_TITLE:
        g_value_set_string (value, tally_stat_card_get_title (self));
        break;

      case PROP_VALUE:
        g_value_set_string (value, tally_stat_card_get_value (self));
        break;

      case PROP_CAPTION:
        g_value_set_string (value, tally_stat_card_get_caption (self));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_stat_card_set_property (GObject *object,
                              guint prop_id,
                              const GValue *value,
                              GParamSpec *pspec)
{
  TallyStatCard *self = TALLY_STAT_CARD (object);

  switch (prop_id)
    {
      case PROP_TITLE:
        tally_stat_card_set_title (self, g_value_get_string (value));
        break;

      case PROP_VALUE:
        tally_stat_card_set_value (self, g_value_get_string (value));
        break;

      case PROP_CAPTION:
        tally_stat_card_set_caption (self, g_value_get_string (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_stat_card_class_init (TallyStatCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tally_stat_card_dispose;
  object_class->get_property = tally_stat_card_get_property;
  object_class->set_property = tally_stat_card_set_property;

  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL,
                                                NULL,
                                                (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_VALUE] = g_param_spec_string ("value", NULL, NULL,
                                                NULL,
                                                (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CAPTION] = g_param_spec_string ("caption", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/tally-stat-card.ui");
  gtk_widget_class_bind_template_child (widget_class, TallyStatCard, box);
  gtk_widget_class_bind_template_child (widget_class, TallyStatCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, TallyStatCard, value_label);
  gtk_widget_class_bind_template_child (widget_class, TallyStatCard, caption_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statcard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tally_stat_card_init (TallyStatCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_accessible_label (self);
}

GtkWidget *
tally_stat_card_new (void)
{
  return g_object_new (TALLY_TYPE_STAT_CARD, NULL);
}

const char *
tally_stat_card_get_title (TallyStatCard *self)
{
  g_return_val_if_fail (TALLY_IS_STAT_CARD (self), NULL);

  return gtk_label_get_text (self->title_label);
}

void
tally_stat_card_set_title (TallyStatCard *self,
                           const char *title)
{
  g_return_if_fail (TALLY_IS_STAT_CARD (self));

  if (set_label_text (self->title_label, title))
    {
      update_accessible_label (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
}

const char *
tally_stat_card_get_value (TallyStatCard *self)
{
  g_return_val_if_fail (TALLY_IS_STAT_CARD (self), NULL);

  return gtk_label_get_text (self->value_label);
}

void
tally_stat_card_set_value (TallyStatCard *self,
                           const char *value)
{
  g_return_if_fail (TALLY_IS_STAT_CARD (self));

  if (set_label_text (self->value_label, value))
    {
      update_accessible_label (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
    }
}

const char *
tally_stat_card_get_caption (TallyStatCard *self)
{
  g_return_val_if_fail (TALLY_IS_STAT_CARD (self), NULL);

  return gtk_label_get_text (self->caption_label);
}

void
tally_stat_card_set_caption (TallyStatCard *self,
                             const char *caption)
{
  g_return_if_fail (TALLY_IS_STAT_CARD (self));

  if (set_label_text (self->caption_label, caption))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->caption_label),
                              caption != NULL && caption[0] != '\0');
      update_accessible_label (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPTION]);
    }
}

/* tally-usage-details.c: every field of one request (GET /usage/:id)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window asks its TallyUsage for the row's details and shows them when
 * the TallyUsage has them ("details-loaded" for this row); it does no I/O.
 */

#define G_LOG_DOMAIN "tally-usage-details"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "tally-format.h"
#include "tally-server-time.h"
#include "tally-usage-details.h"
#include "tally-usage-log.h"
#include "tally-usage.h"

#define NO_VALUE "—"

struct _TallyUsageDetails
{
  AdwWindow parent_instance;

  /* Template Widgets */
  GtkSpinner *spinner;
  GtkLabel *error_label;
  GtkLabel *billed_label;
  GtkBox *groups;

  /* Owned References */
  TallyUsage *usage;
  TallyUsageLog *row; /* from the list: the key name of a deleted key */
  TallyUsageLog *log; /* from /usage/:id */
  char *error;
  GHashTable *values; /* field id → value GtkLabel (borrowed) */
  GHashTable *lists;  /* group id → its GtkListBox (borrowed) */
  GtkWidget *copy_button;

  gboolean loaded;
};

G_DEFINE_FINAL_TYPE (TallyUsageDetails, tally_usage_details, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_LOADED,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
dollars (double value)
{
  return tally_format_cost_exact_styled (value, tally_number_style_locale ());
}

static char *
key_name (TallyUsageDetails *self,
          TallyUsageLog *log)
{
  gint64 id = tally_usage_log_get_api_key_id (log);
  const char *name = self->usage != NULL ? tally_usage_get_key_name (self->usage, id) : NULL;

  if ((name == NULL || name[0] == '\0') && self->row != NULL)
    name = tally_usage_log_get_api_key_name (self->row);

  if (name == NULL || name[0] == '\0')
    return g_strdup_printf (_ ("Deleted key #%" PRId64), id);

  /* Translators: an API key's name and number, e.g. "ci-bot (#3)" */
  return g_strdup_printf (_ ("%s (#%" PRId64 ")"), name, id);
}

static void
copy_clicked_cb (GtkButton *button,
                 TallyUsageDetails *self)
{
  const char *text = g_object_get_data (G_OBJECT (button), "text");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

/* The boxed list of group @id ("group-request" …) under its heading, made
 * the first time and appended: the groups come in the order of
 * update_fields(). */
static GtkListBox *
group (TallyUsageDetails *self,
       const char *id,
       const char *title)
{
  GtkWidget *list = g_hash_table_lookup (self->lists, id);

  if (list == NULL)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *heading = gtk_label_new (title);

      gtk_widget_set_name (box, id);
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "heading");
      gtk_box_append (GTK_BOX (box), heading);

      list = gtk_list_box_new ();
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_accessible_update_relation (GTK_ACCESSIBLE (list),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, heading, NULL,
                                      -1);
      gtk_box_append (GTK_BOX (box), list);

      gtk_box_append (self->groups, box);
      g_hash_table_insert (self->lists, (gpointer) id, list);
    }

  return GTK_LIST_BOX (list);
}

/* One "name  value" row of @list; the value is plain, selectable text. The
 * rows are made once and only their text changes (never remove a label that
 * may have the focus). */
static GtkWidget *
add_field (TallyUsageDetails *self,
           GtkListBox *list,
           const char *id,
           const char *title,
           const char *value)
{
  GtkWidget *value_label = g_hash_table_lookup (self->values, id);

  if (value_label == NULL)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *name_label = gtk_label_new (title);

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      gtk_widget_set_margin_top (box, 10);
      gtk_widget_set_margin_bottom (box, 10);

      gtk_label_set_xalign (GTK_LABEL (name_label), 0);
      gtk_widget_set_valign (name_label, GTK_ALIGN_BASELINE);

      value_label = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (value_label), 1);
      gtk_label_set_justify (GTK_LABEL (value_label), GTK_JUSTIFY_RIGHT);
      gtk_widget_add_css_class (value_label, "dim-label");
      gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
      gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_set_hexpand (value_label, TRUE);
      gtk_widget_set_valign (value_label, GTK_ALIGN_BASELINE);
      gtk_widget_set_name (value_label, id);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (value_label),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, name_label, NULL,
                                      -1);

      gtk_box_append (GTK_BOX (box), name_label);
      gtk_box_append (GTK_BOX (box), value_label);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_list_box_append (list, row);
      g_hash_table_insert (self->values, (gpointer) id, value_label);
    }

  gtk_label_set_text (GTK_LABEL (value_label), value != NULL && value[0] != '\0' ? value : NO_VALUE);

  return value_label;
}

static void
add_count (TallyUsageDetails *self,
           GtkListBox *list,
           const char *id,
           const char *title,
           gint64 value)
{
  g_autofree char *text = tally_format_count_styled (value, tally_number_style_locale ());

  add_field (self, list, id, title, text);
}

static void
add_cost (TallyUsageDetails *self,
          GtkListBox *list,
          const char *id,
          const char *title,
          double value)
{
  g_autofree char *text = dollars (value);

  add_field (self, list, id, title, text);
}

static void
add_duration (TallyUsageDetails *self,
              GtkListBox *list,
              const char *id,
              const char *title,
              gint64 ms)
{
  g_autofree char *text = ms >= 0 ? tally_format_duration_ms_styled (ms, tally_number_style_locale ()) : NULL;

  add_field (self, list, id, title, text);
}

/* The billed amount first, large and with every digit, then the groups:
 * request, tokens, cost, timing. */
static void
update_fields (TallyUsageDetails *self)
{
  TallyUsageLog *log = self->log != NULL ? self->log : self->row;
  GtkListBox *list;

  if (log == NULL)
    return;

  {
    g_autofree char *billed = dollars (tally_usage_log_get_actual_cost (log));

    gtk_label_set_text (self->billed_label, billed);
  }

  /* Translators: a group of the request details */
  list = group (self, "group-request", _ ("Request"));
  {
    GDateTime *created = tally_usage_log_get_created_at (log);
    g_autofree char *text = NULL;

    if (created != NULL)
      {
        /* Translators: the time of a request, in the server's zone, in
         * g_date_time_format() syntax ("2026-01-15 11:59:58") */
        g_autofree char *time = g_date_time_format (created, _ ("%Y-%m-%d %H:%M:%S"));
        g_autofree char *zone = tally_format_utc_offset ((int) (g_date_time_get_utc_offset (created) / G_USEC_PER_SEC));

        /* Translators: a time and the server's zone, e.g. "2026-01-15 11:59:58 (UTC+08:00)" */
        text = g_strdup_printf (_ ("%s (%s)"), time, zone);
      }
    add_field (self, list, "time-value", _ ("Time"), text != NULL ? text : tally_usage_log_get_created_at_raw (log));
  }

  {
    const char *request_id = tally_usage_log_get_request_id (log);
    GtkWidget *label = add_field (self, list, "request-id-value", _ ("Request ID"), request_id);

    if (self->copy_button == NULL)
      {
        self->copy_button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
        gtk_widget_set_tooltip_text (self->copy_button, _ ("Copy Request ID"));
        gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_button),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Copy Request ID"), -1);
        gtk_widget_add_css_class (self->copy_button, "flat");
        gtk_widget_set_valign (self->copy_button, GTK_ALIGN_CENTER);
        gtk_widget_set_name (self->copy_button, "copy-request-id");
        g_signal_connect_object (self->copy_button, "clicked", G_CALLBACK (copy_clicked_cb), self, 0);
        gtk_box_append (GTK_BOX (gtk_widget_get_parent (label)), self->copy_button);
      }
    g_object_set_data_full (G_OBJECT (self->copy_button), "text", g_strdup (request_id), g_free);
    gtk_widget_set_sensitive (self->copy_button, request_id[0] != '\0');
  }

  {
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, tally_usage_log_get_id (log));
    g_autofree char *key = key_name (self, log);

    add_field (self, list, "log-id-value", _ ("Log Number"), id);
    add_field (self, list, "key-value", _ ("API Key"), key);
  }

  add_field (self, list, "model-value", _ ("Model"), tally_usage_log_get_model (log));
  add_field (self, list, "type-value", _ ("Type"), tally_usage_log_get_stream (log) ? _ ("Stream") : _ ("Sync"));

  {
    gint64 billing = tally_usage_log_get_billing_type (log);
    g_autofree char *other = g_strdup_printf (_ ("Type %" PRId64), billing);

    add_field (self, list, "billing-value", _ ("Billing"), billing == 0 ? _ ("Balance") : billing == 1 ? _ ("Subscription")
                                                                                                       : other);
  }

  {
    gint64 subscription = tally_usage_log_get_subscription_id (log);
    g_autofree char *text = subscription >= 0 ? g_strdup_printf ("#%" G_GINT64_FORMAT, subscription) : NULL;

    add_field (self, list, "subscription-value", _ ("Subscription"), text);
  }

  /* Translators: a group of the request details */
  list = group (self, "group-tokens", _ ("Tokens"));
  add_count (self, list, "input-tokens-value", _ ("Input"), tally_usage_log_get_input_tokens (log));
  add_count (self, list, "output-tokens-value", _ ("Output"), tally_usage_log_get_output_tokens (log));
  add_count (self, list, "cache-write-tokens-value", _ ("Cache Write"), tally_usage_log_get_cache_creation_tokens (log));
  add_count (self, list, "cache-read-tokens-value", _ ("Cache Read"), tally_usage_log_get_cache_read_tokens (log));
  add_count (self, list, "total-tokens-value", _ ("Total"), tally_usage_log_get_total_tokens (log));

  /* Translators: a group of the request details */
  list = group (self, "group-cost", _ ("Cost"));
  add_cost (self, list, "billed-cost-value", _ ("Billed"), tally_usage_log_get_actual_cost (log));
  add_cost (self, list, "list-cost-value", _ ("List Price"), tally_usage_log_get_total_cost (log));
  {
    g_autofree char *number = tally_format_number_exact_styled (tally_usage_log_get_rate_multiplier (log), tally_number_style_locale ());
    g_autofree char *text = g_strdup_printf (_ ("×%s"), number);

    add_field (self, list, "multiplier-value", _ ("Multiplier"), text);
  }
  add_cost (self, list, "input-cost-value", _ ("Input Cost"), tally_usage_log_get_input_cost (log));
  add_cost (self, list, "output-cost-value", _ ("Output Cost"), tally_usage_log_get_output_cost (log));
  add_cost (self, list, "cache-write-cost-value", _ ("Cache Write Cost"), tally_usage_log_get_cache_creation_cost (log));
  add_cost (self, list, "cache-read-cost-value", _ ("Cache Read Cost"), tally_usage_log_get_cache_read_cost (log));

  /* Translators: a group of the request details */
  list = group (self, "group-timing", _ ("Timing"));
  add_duration (self, list, "first-token-value", _ ("First Token"), tally_usage_log_get_first_token_ms (log));
  add_duration (self, list, "duration-value", _ ("Duration"), tally_usage_log_get_duration_ms (log));
}

static void
details_loaded_cb (TallyUsageDetails *self)
{
  const char *error;

  /* only the answer for this window's row, once */
  if (self->loaded || tally_usage_get_details_row (self->usage) != self->row || !tally_usage_get_details_loaded (self->usage))
    return;

  gtk_spinner_set_spinning (self->spinner, FALSE);

  error = tally_usage_get_details_error (self->usage);
  if (error != NULL)
    {
      /* The row from the list stays shown. */
      self->error = g_strdup (error);
      gtk_label_set_text (self->error_label, error);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  else if (tally_usage_get_details (self->usage) != NULL)
    {
      g_set_object (&self->log, tally_usage_get_details (self->usage));
      update_fields (self);
    }

  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
close_action (GtkWidget *widget,
              const char *action_name,
              GVariant *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
tally_usage_details_dispose (GObject *object)
{
  TallyUsageDetails *self = (TallyUsageDetails *) object;

  if (self->usage != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->usage, self);
      /* closing the window cancels its request */
      tally_usage_cancel_details (self->usage, self->row);
    }
  g_clear_object (&self->usage);
  g_clear_object (&self->row);
  g_clear_object (&self->log);
  if (self->values != NULL)
    g_hash_table_remove_all (self->values);
  if (self->lists != NULL)
    g_hash_table_remove_all (self->lists);
  self->copy_button = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), TALLY_TYPE_USAGE_DETAILS);

  G_OBJECT_CLASS (tally_usage_details_parent_class)->dispose (object);
}

static void
tally_usage_details_finalize (GObject *object)
{
  TallyUsageDetails *self = (TallyUsageDetails *) object;

  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->lists, g_hash_table_unref);

  G_OBJECT_CLASS (tally_usage_details_parent_class)->finalize (object);
}

static void
tally_usage_details_get_property (GObject *object,
                                  guint prop_id,
                                  GValue *value,
                                  GParamSpec *pspec)
{
  TallyUsageDetails *self = TALLY_USAGE_DETAILS (object);

  switch (prop_id)
    {
      case PROP_LOADED:
        g_value_set_boolean (value, self->loaded);
        break;

      case PROP_ERROR:
        g_value_set_string (value, self->error);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_usage_details_class_init (TallyUsageDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tally_usage_details_dispose;
  object_class->finalize = tally_usage_details_finalize;
  object_class->get_property = tally_usage_details_get_property;

  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL,
                                                  FALSE,
                                                  (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL,
                                                NULL,
                                                (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/tally-usage-details.ui");
  gtk_widget_class_bind_template_child (widget_class, TallyUsageDetails, spinner);
  gtk_widget_class_bind_template_child (widget_class, TallyUsageDetails, error_label);
  gtk_widget_class_bind_template_child (widget_class, TallyUsageDetails, billed_label);
  gtk_widget_class_bind_template_child (widget_class, TallyUsageDetails, groups);

  gtk_widget_class_install_action (widget_class, "details.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "details.close", NULL);
}

static void
tally_usage_details_init (TallyUsageDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->values = g_hash_table_new (g_str_hash, g_str_equal);
  self->lists = g_hash_table_new (g_str_hash, g_str_equal);
}

TallyUsageDetails *
tally_usage_details_new (GtkWindow *parent,
                         TallyUsage *usage,
                         TallyUsageLog *row)
{
  TallyUsageDetails *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (!usage || TALLY_IS_USAGE (usage), NULL);
  g_return_val_if_fail (TALLY_IS_USAGE_LOG (row), NULL);

  self = g_object_new (TALLY_TYPE_USAGE_DETAILS,
                       "transient-for", parent,
                       NULL);
  self->usage = usage != NULL ? g_object_ref (usage) : NULL;
  self->row = g_object_ref (row);
  update_fields (self);
  /* Not the first selectable label: it would start with its text selected. */
  gtk_window_set_focus (GTK_WINDOW (self), self->copy_button);

  if (usage == NULL)
    {
      self->loaded = TRUE;
      return self;
    }

  g_signal_connect_object (usage, "notify::details-loaded", G_CALLBACK (details_loaded_cb), self, G_CONNECT_SWAPPED);
  tally_usage_request_details (usage, row);
  /* without a client the answer is already there (and is no answer) */
  gtk_spinner_set_spinning (self->spinner, !tally_usage_get_details_loaded (usage));
  details_loaded_cb (self);

  return self;
}

TallyUsageLog *
tally_usage_details_get_log (TallyUsageDetails *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_DETAILS (self), NULL);

  return self->log != NULL ? self->log : self->row;
}

gboolean
tally_usage_details_get_loaded (TallyUsageDetails *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_DETAILS (self), FALSE);

  return self->loaded;
}

const char *
tally_usage_details_get_error (TallyUsageDetails *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_DETAILS (self), NULL);

  return self->error;
}

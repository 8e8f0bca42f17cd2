/* tally-usage-filter-bar.c: the usage view's filters, reading and writing a TallyUsage's query
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every drop-down writes a copy of the TallyUsage's query; a change of the
 * query from elsewhere (the dashboard's "filter by this key") is reflected
 * back, with "updating" set so that the reflection writes nothing. The keys
 * and the models come from the TallyUsage too: the bar does no I/O.
 */

#define G_LOG_DOMAIN "tally-usage-filter-bar"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "tally-api-key.h"
#include "tally-date-range-button.h"
#include "tally-usage-filter-bar.h"
#include "tally-usage-query.h"

struct _TallyUsageFilterBar
{
  GtkWidget parent_instance;

  /* Template Widgets */
  GtkWidget *box;
  GtkDropDown *key_dropdown;
  GtkDropDown *model_dropdown;
  GtkDropDown *stream_dropdown;
  GtkDropDown *billing_dropdown;
  TallyDateRangeButton *range_button;

  /* Owned References */
  TallyUsage *usage;
  GSignalGroup *usage_signals;
  GSignalGroup *keys_signals;
  GtkStringList *key_names;
  GArray *key_ids;            /* gint64 per key_names item */
  GtkStringList *model_names; /* item 0 is "All models" */

  gboolean updating;
};

G_DEFINE_FINAL_TYPE (TallyUsageFilterBar, tally_usage_filter_bar, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_USAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void sync_from_query (TallyUsageFilterBar *self);

static const TallyUsageQuery *
current_query (TallyUsageFilterBar *self)
{
  return self->usage != NULL ? tally_usage_get_query (self->usage) : NULL;
}

static void
write_query (TallyUsageFilterBar *self,
             TallyUsageQuery *query)
{
  tally_usage_set_query (self->usage, query);
}

/* ------------------------------------------------------------------ keys */

static guint
find_key (TallyUsageFilterBar *self,
          gint64 id)
{
  for (guint i = 0; i < self->key_ids->len; i++)
    if (g_array_index (self->key_ids, gint64, i) == id)
      return i;

  return GTK_INVALID_LIST_POSITION;
}

/* All keys, every key of the account (inactive ones marked), and the key of
 * the query when it is not listed any more (a deleted key). */
static void
rebuild_keys (TallyUsageFilterBar *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) names = NULL;
  GListModel *keys = self->usage != NULL ? tally_usage_get_keys (self->usage) : NULL;
  const TallyUsageQuery *query = current_query (self);
  gint64 wanted = query != NULL ? tally_usage_query_get_api_key_id (query) : 0;
  gboolean wanted_listed = wanted == 0;
  guint n = keys != NULL ? g_list_model_get_n_items (keys) : 0;
  gboolean was_updating = self->updating;
  gint64 all = 0;
  guint old;

  g_array_set_size (self->key_ids, 0);
  g_strv_builder_add (builder, _ ("All keys"));
  g_array_append_val (self->key_ids, all);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
      gint64 id = tally_api_key_get_id (key);
      const char *name = tally_api_key_get_name (key);
      g_autofree char *label = NULL;

      if (name[0] == '\0')
        /* Translators: an API key without a name, by its number */
        label = g_strdup_printf (_ ("Key #%" PRId64), id);
      else if (!tally_api_key_is_active (key))
        /* Translators: the name of an API key that is disabled */
        label = g_strdup_printf (_ ("%s (disabled)"), name);
      else
        label = g_strdup (name);

      g_strv_builder_add (builder, label);
      g_array_append_val (self->key_ids, id);
      if (id == wanted)
        wanted_listed = TRUE;
    }

  if (!wanted_listed)
    {
      /* Translators: an API key that was deleted but still has usage */
      g_autofree char *label = g_strdup_printf (_ ("Deleted key #%" PRId64), wanted);

      g_strv_builder_add (builder, label);
      g_array_append_val (self->key_ids, wanted);
    }

  names = g_strv_builder_end (builder);

  self->updating = TRUE;
  old = g_list_model_get_n_items (G_LIST_MODEL (self->key_names));
  gtk_string_list_splice (self->key_names, 0, old, (const char *const *) names);
  gtk_drop_down_set_selected (self->key_dropdown, find_key (self, wanted));
  self->updating = was_updating;
}

static void
key_selected_cb (TallyUsageFilterBar *self)
{
  g_autoptr (TallyUsageQuery) query = NULL;
  guint selected;

  if (self->updating || current_query (self) == NULL)
    return;

  selected = gtk_drop_down_get_selected (self->key_dropdown);
  if (selected >= self->key_ids->len)
    return;

  query = tally_usage_query_copy (current_query (self));
  tally_usage_query_set_api_key_id (query, g_array_index (self->key_ids, gint64, selected));
  write_query (self, query);
}

/* ---------------------------------------------------------------- models */

static guint
find_model (TallyUsageFilterBar *self,
            const char *model)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model_names));

  if (model == NULL)
    return 0;

  for (guint i = 1; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->model_names, i), model) == 0)
      return i;

  return GTK_INVALID_LIST_POSITION;
}

/* Selects the query's model, adding it when the range's list lacks it. */
static void
select_model (TallyUsageFilterBar *self)
{
  const TallyUsageQuery *query = current_query (self);
  const char *model = query != NULL ? tally_usage_query_get_model (query) : NULL;
  gboolean was_updating = self->updating;
  guint pos = find_model (self, model);

  self->updating = TRUE;
  if (pos == GTK_INVALID_LIST_POSITION)
    {
      gtk_string_list_append (self->model_names, model);
      pos = g_list_model_get_n_items (G_LIST_MODEL (self->model_names)) - 1;
    }
  gtk_drop_down_set_selected (self->model_dropdown, pos);
  self->updating = was_updating;
}

/* The models of the query's range, as the TallyUsage loaded them. */
static void
models_changed (TallyUsageFilterBar *self)
{
  const char *const *names = self->usage != NULL ? tally_usage_get_models (self->usage) : NULL;
  gboolean was_updating = self->updating;

  if (names == NULL)
    return;

  self->updating = TRUE;
  gtk_string_list_splice (self->model_names, 1,
                          g_list_model_get_n_items (G_LIST_MODEL (self->model_names)) - 1,
                          names);
  self->updating = was_updating;
  select_model (self);
}

static void
model_selected_cb (TallyUsageFilterBar *self)
{
  g_autoptr (TallyUsageQuery) query = NULL;
  guint selected;

  if (self->updating || current_query (self) == NULL)
    return;

  selected = gtk_drop_down_get_selected (self->model_dropdown);
  if (selected == GTK_INVALID_LIST_POSITION)
    return;

  query = tally_usage_query_copy (current_query (self));
  tally_usage_query_set_model (query, selected == 0 ? NULL : gtk_string_list_get_string (self->model_names, selected));
  write_query (self, query);
}

/* --------------------------------------------------- stream, billing, range */

static void
stream_selected_cb (TallyUsageFilterBar *self)
{
  static const TallyStreamFilter values[] = { TALLY_STREAM_ANY, TALLY_STREAM_STREAM, TALLY_STREAM_SYNC };
  g_autoptr (TallyUsageQuery) query = NULL;
  guint selected;

  if (self->updating || current_query (self) == NULL)
    return;

  selected = gtk_drop_down_get_selected (self->stream_dropdown);
  if (selected >= G_N_ELEMENTS (values))
    return;

  query = tally_usage_query_copy (current_query (self));
  tally_usage_query_set_stream (query, values[selected]);
  write_query (self, query);
}

static void
billing_selected_cb (TallyUsageFilterBar *self)
{
  static const TallyBillingType values[] = { TALLY_BILLING_ANY, TALLY_BILLING_BALANCE, TALLY_BILLING_SUBSCRIPTION };
  g_autoptr (TallyUsageQuery) query = NULL;
  guint selected;

  if (self->updating || current_query (self) == NULL)
    return;

  selected = gtk_drop_down_get_selected (self->billing_dropdown);
  if (selected >= G_N_ELEMENTS (values))
    return;

  query = tally_usage_query_copy (current_query (self));
  tally_usage_query_set_billing (query, values[selected]);
  write_query (self, query);
}

static void
range_changed_cb (TallyUsageFilterBar *self)
{
  g_autoptr (TallyUsageQuery) query = NULL;
  g_autoptr (GError) error = NULL;

  if (self->updating || current_query (self) == NULL)
    return;

  query = tally_usage_query_copy (current_query (self));
  if (!tally_usage_query_set_range (query,
                                    tally_date_range_button_get_start_date (self->range_button),
                                    tally_date_range_button_get_end_date (self->range_button),
                                    &error))
    {
      g_debug ("Ignoring range: %s", error->message);
      return;
    }
  write_query (self, query);
}

/* Anchors the presets on the server's day (a query without dates gets the
 * default range from the TallyUsage). */
static void
server_today_changed (TallyUsageFilterBar *self)
{
  const char *today = self->usage != NULL ? tally_usage_get_server_today (self->usage) : NULL;

  tally_date_range_button_set_server_today (self->range_button, today);
}

/* --------------------------------------------------------------- sync */

static void
sync_from_query (TallyUsageFilterBar *self)
{
  const TallyUsageQuery *query = current_query (self);
  gboolean was_updating = self->updating;
  guint billing_pos;

  if (query == NULL)
    return;

  self->updating = TRUE;

  rebuild_keys (self);
  select_model (self);

  gtk_drop_down_set_selected (self->stream_dropdown,
                              tally_usage_query_get_stream (query) == TALLY_STREAM_STREAM ? 1 : tally_usage_query_get_stream (query) == TALLY_STREAM_SYNC ? 2
                                                                                                                                                          : 0);
  switch (tally_usage_query_get_billing (query))
    {
      case TALLY_BILLING_BALANCE:
        billing_pos = 1;
        break;

      case TALLY_BILLING_SUBSCRIPTION:
        billing_pos = 2;
        break;

      case TALLY_BILLING_ANY:
      default:
        billing_pos = 0;
        break;
    }
  gtk_drop_down_set_selected (self->billing_dropdown, billing_pos);

  if (tally_usage_query_get_start_date (query) != NULL && tally_usage_query_get_end_date (query) != NULL)
    tally_date_range_button_set_range (self->range_button,
                                       tally_usage_query_get_start_date (query),
                                       tally_usage_query_get_end_date (query));

  self->updating = was_updating;
}

static void
keys_changed (TallyUsageFilterBar *self)
{
  g_signal_group_set_target (self->keys_signals,
                             self->usage != NULL ? tally_usage_get_keys (self->usage) : NULL);
  rebuild_keys (self);
}

/* ------------------------------------------------------------ GObject */

static void
tally_usage_filter_bar_dispose (GObject *object)
{
  TallyUsageFilterBar *self = (TallyUsageFilterBar *) object;

  if (self->usage_signals != NULL)
    g_signal_group_set_target (self->usage_signals, NULL);
  if (self->keys_signals != NULL)
    g_signal_group_set_target (self->keys_signals, NULL);
  g_clear_object (&self->usage_signals);
  g_clear_object (&self->keys_signals);
  g_clear_object (&self->usage);

  gtk_widget_dispose_template (GTK_WIDGET (self), TALLY_TYPE_USAGE_FILTER_BAR);

  g_clear_object (&self->key_names);
  g_clear_object (&self->model_names);

  G_OBJECT_CLASS (tally_usage_filter_bar_parent_class)->dispose (object);
}

static void
tally_usage_filter_bar_finalize (GObject *object)
{
  TallyUsageFilterBar *self = (TallyUsageFilterBar *) object;

  g_clear_pointer (&self->key_ids, g_array_unref);

  G_OBJECT_CLASS (tally_usage_filter_bar_parent_class)->finalize (object);
}

static void
tally_usage_filter_bar_get_property (GObject *object,
                                     guint prop_id,
                                     GValue *value,
                                     GParamSpec *pspec)
{
  TallyUsageFilterBar *self = TALLY_USAGE_FILTER_BAR (object);

  switch (prop_id)
    {
      case PROP_USAGE:
        g_value_set_object (value, tally_usage_filter_bar_get_usage (self));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_usage_filter_bar_set_property (GObject *object,
                                     guint prop_id,
                                     const GValue *value,
                                     GParamSpec *pspec)
{
  TallyUsageFilterBar *self = TALLY_USAGE_FILTER_BAR (object);

  switch (prop_id)
    {
      case PROP_USAGE:
        tally_usage_filter_bar_set_usage (self, g_value_get_object (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_usage_filter_bar_class_init (TallyUsageFilterBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tally_usage_filter_bar_dispose;
  object_class->finalize = tally_usage_filter_bar_finalize;
  object_class->get_property = tally_usage_filter_bar_get_property;
  object_class->set_property = tally_usage_filter_bar_set_property;

  properties[PROP_USAGE] = g_param_spec_object ("usage", NULL, NULL,
                                                TALLY_TYPE_USAGE,
                                                (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TALLY_TYPE_DATE_RANGE_BUTTON);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/tally-usage-filter-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, TallyUsageFilterBar, box);
  gtk_widget_class_bind_template_child (widget_class, TallyUsageFilterBar, key_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TallyUsageFilterBar, model_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TallyUsageFilterBar, stream_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TallyUsageFilterBar, billing_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TallyUsageFilterBar, range_button);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "usagefilterbar");
}

static void
tally_usage_filter_bar_init (TallyUsageFilterBar *self)
{
  g_autoptr (GtkExpression) expression = NULL;
  const char *all_models[] = { _ ("All models"), NULL };

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The flow box only wraps the controls at narrow widths: its own children
   * take no focus, so Tab goes from one control to the next. */
  for (GtkWidget *child = gtk_widget_get_first_child (self->box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);

  self->key_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->key_names = gtk_string_list_new (NULL);
  self->model_names = gtk_string_list_new (all_models);

  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->key_dropdown, expression);
  gtk_drop_down_set_expression (self->model_dropdown, expression);
  gtk_drop_down_set_model (self->key_dropdown, G_LIST_MODEL (self->key_names));
  gtk_drop_down_set_model (self->model_dropdown, G_LIST_MODEL (self->model_names));

  g_signal_connect_object (self->key_dropdown, "notify::selected",
                           G_CALLBACK (key_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model_dropdown, "notify::selected",
                           G_CALLBACK (model_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stream_dropdown, "notify::selected",
                           G_CALLBACK (stream_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->billing_dropdown, "notify::selected",
                           G_CALLBACK (billing_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->range_button, "range-changed",
                           G_CALLBACK (range_changed_cb), self, G_CONNECT_SWAPPED);

  self->usage_signals = g_signal_group_new (TALLY_TYPE_USAGE);
  g_signal_group_connect_object (self->usage_signals, "notify::query",
                                 G_CALLBACK (sync_from_query), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->usage_signals, "notify::server-today",
                                 G_CALLBACK (server_today_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->usage_signals, "notify::models",
                                 G_CALLBACK (models_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->usage_signals, "notify::keys",
                                 G_CALLBACK (keys_changed), self, G_CONNECT_SWAPPED);

  self->keys_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_object (self->keys_signals, "items-changed",
                                 G_CALLBACK (rebuild_keys), self, G_CONNECT_SWAPPED);

  rebuild_keys (self);
}

GtkWidget *
tally_usage_filter_bar_new (void)
{
  return g_object_new (TALLY_TYPE_USAGE_FILTER_BAR, NULL);
}

TallyUsage *
tally_usage_filter_bar_get_usage (TallyUsageFilterBar *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_FILTER_BAR (self), NULL);

  return self->usage;
}

void
tally_usage_filter_bar_set_usage (TallyUsageFilterBar *self,
                                  TallyUsage *usage)
{
  g_return_if_fail (TALLY_IS_USAGE_FILTER_BAR (self));
  g_return_if_fail (!usage || TALLY_IS_USAGE (usage));

  if (!g_set_object (&self->usage, usage))
    return;

  g_signal_group_set_target (self->usage_signals, usage);
  g_signal_group_set_target (self->keys_signals,
                             usage != NULL ? tally_usage_get_keys (usage) : NULL);

  models_changed (self);
  sync_from_query (self);
  server_today_changed (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USAGE]);
}

gboolean
tally_usage_filter_bar_focus_filter (TallyUsageFilterBar *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE_FILTER_BAR (self), FALSE);

  return gtk_widget_grab_focus (GTK_WIDGET (self->key_dropdown));
}

gint64
tally_usage_filter_bar_get_selected_key (TallyUsageFilterBar *self)
{
  guint selected;

  g_return_val_if_fail (TALLY_IS_USAGE_FILTER_BAR (self), 0);

  selected = gtk_drop_down_get_selected (self->key_dropdown);
  if (selected >= self->key_ids->len)
    return 0;

  return g_array_index (self->key_ids, gint64, selected);
}

gboolean
tally_usage_filter_bar_select_key (TallyUsageFilterBar *self,
                                   gint64 api_key_id)
{
  guint pos;

  g_return_val_if_fail (TALLY_IS_USAGE_FILTER_BAR (self), FALSE);

  pos = find_key (self, api_key_id);
  if (pos == GTK_INVALID_LIST_POSITION)
    return FALSE;

  gtk_drop_down_set_selected (self->key_dropdown, pos);
  return TRUE;
}

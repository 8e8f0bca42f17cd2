/* tally-sorted-log.c: every row of a usage query, sorted by one column
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tally-client.h"
#include "tally-log-row.h"
#include "tally-models-private.h"
#include "tally-sorted-log.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-usage-snapshot.h"

#define COLLECT_PAGE_SIZE 0 /* the largest the server takes */
#define COLLECT_MAX_IN_FLIGHT 4

struct _TallySortedLog
{
  GObject parent_instance;

  TallyClient *client;
  TallyUsageQuery *query;
  TallyLogSort sort;
  gboolean descending;
  gint64 max_rows;

  /* TallyUsageLog in server order (newest first): the last complete
   * collection; rows are what the list shows, sorted. */
  GPtrArray *logs;
  GPtrArray *rows;

  /* the collection in flight */
  GCancellable *cancellable;
  GPtrArray *collecting;
  gint64 collected;
  gint64 total;

  gboolean ready;
  gboolean too_many;
  char *error;
};

enum
{
  PROP_0,
  PROP_LOADING,
  PROP_READY,
  PROP_TOO_MANY,
  PROP_COLLECTED,
  PROP_TOTAL,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TallySortedLog, tally_sorted_log, G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* -------------------------------------------------------------- the order */

static int
compare_int (gint64 a,
             gint64 b)
{
  return (a > b) - (a < b);
}

static int
compare_double (double a,
                double b)
{
  return (a > b) - (a < b);
}

static int
compare_time (GDateTime *a,
              GDateTime *b)
{
  if (a == NULL || b == NULL)
    return (a == NULL) - (b == NULL);
  return g_date_time_compare (a, b);
}

/* -1 (null) or a value; nulls compared by the caller */
static gint64
nullable_ms (TallyUsageLog *log,
             TallyLogSort sort)
{
  return sort == TALLY_LOG_SORT_FIRST_TOKEN ? tally_usage_log_get_first_token_ms (log)
                                            : tally_usage_log_get_duration_ms (log);
}

int
tally_log_sort_compare (TallyUsageLog *a,
                        TallyUsageLog *b,
                        TallyLogSort sort,
                        gboolean descending)
{
  int result = 0;

  switch (sort)
    {
      case TALLY_LOG_SORT_TIME:
        {
          GDateTime *ta = tally_usage_log_get_created_at (a);
          GDateTime *tb = tally_usage_log_get_created_at (b);

          if (ta == NULL || tb == NULL)
            return compare_time (ta, tb);
          result = g_date_time_compare (ta, tb);
        }
        break;

      case TALLY_LOG_SORT_MODEL:
        result = g_strcmp0 (tally_usage_log_get_model (a), tally_usage_log_get_model (b));
        break;

      case TALLY_LOG_SORT_TOKENS:
        result = compare_int (tally_usage_log_get_total_tokens (a), tally_usage_log_get_total_tokens (b));
        break;

      case TALLY_LOG_SORT_STREAM:
        result = compare_int (tally_usage_log_get_stream (a), tally_usage_log_get_stream (b));
        break;

      case TALLY_LOG_SORT_INPUT_TOKENS:
        result = compare_int (tally_usage_log_get_input_tokens (a), tally_usage_log_get_input_tokens (b));
        break;

      case TALLY_LOG_SORT_OUTPUT_TOKENS:
        result = compare_int (tally_usage_log_get_output_tokens (a), tally_usage_log_get_output_tokens (b));
        break;

      case TALLY_LOG_SORT_CACHE_WRITE_TOKENS:
        result = compare_int (tally_usage_log_get_cache_creation_tokens (a), tally_usage_log_get_cache_creation_tokens (b));
        break;

      case TALLY_LOG_SORT_CACHE_READ_TOKENS:
        result = compare_int (tally_usage_log_get_cache_read_tokens (a), tally_usage_log_get_cache_read_tokens (b));
        break;

      case TALLY_LOG_SORT_BILLED:
        result = compare_double (tally_usage_log_get_actual_cost (a), tally_usage_log_get_actual_cost (b));
        break;

      case TALLY_LOG_SORT_LIST_PRICE:
        result = compare_double (tally_usage_log_get_total_cost (a), tally_usage_log_get_total_cost (b));
        break;

      case TALLY_LOG_SORT_MULTIPLIER:
        result = compare_double (tally_usage_log_get_rate_multiplier (a), tally_usage_log_get_rate_multiplier (b));
        break;

      case TALLY_LOG_SORT_BILLING_TYPE:
        result = compare_int (tally_usage_log_get_billing_type (a), tally_usage_log_get_billing_type (b));
        break;

      case TALLY_LOG_SORT_FIRST_TOKEN:
      case TALLY_LOG_SORT_DURATION:
        {
          gint64 ma = nullable_ms (a, sort);
          gint64 mb = nullable_ms (b, sort);

          if (ma < 0 || mb < 0)
            return (ma < 0) - (mb < 0);
          result = compare_int (ma, mb);
        }
        break;

      default:
        g_return_val_if_reached (0);
    }

  return descending ? -result : result;
}

typedef struct
{
  TallyLogSort sort;
  gboolean descending;
} SortSpec;

/* Rows are TallyLogRow whose position is the server order: ties keep it. */
static int
compare_rows (gconstpointer pa,
              gconstpointer pb,
              gpointer user_data)
{
  TallyLogRow *a = *(TallyLogRow **) pa;
  TallyLogRow *b = *(TallyLogRow **) pb;
  const SortSpec *spec = user_data;
  int result;

  result = tally_log_sort_compare (tally_log_row_get_log (a), tally_log_row_get_log (b),
                                   spec->sort, spec->descending);
  if (result != 0)
    return result;
  return compare_int (tally_log_row_get_position (a), tally_log_row_get_position (b));
}

/* Builds the rows from the collected logs, sorted, and tells the list's
 * readers every item changed. */
static void
resort (TallySortedLog *self)
{
  SortSpec spec = { self->sort, self->descending };
  guint old = self->rows->len;

  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; i < self->logs->len; i++)
    g_ptr_array_add (self->rows, _tally_log_row_new (i, g_ptr_array_index (self->logs, i)));
  g_ptr_array_sort_with_data (self->rows, compare_rows, &spec);

  if (old > 0 || self->rows->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->rows->len);
}

/* ------------------------------------------------------------- list model */

static GType
list_model_get_item_type (GListModel *model)
{
  return TALLY_TYPE_LOG_ROW;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return TALLY_SORTED_LOG (model)->rows->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint position)
{
  TallySortedLog *self = TALLY_SORTED_LOG (model);

  if (position >= self->rows->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->rows, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

/* ------------------------------------------------------------ collecting */

static void
set_error (TallySortedLog *self,
           const char *error)
{
  _tally_set_string_notify (G_OBJECT (self), &self->error, error, properties[PROP_ERROR]);
}

static void
set_counts (TallySortedLog *self,
            gint64 collected,
            gint64 total)
{
  if (self->collected != collected)
    {
      self->collected = collected;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLLECTED]);
    }
  if (self->total != total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
}

static void
set_flag (TallySortedLog *self,
          gboolean *flag,
          gboolean value,
          int prop)
{
  if (*flag == value)
    return;
  *flag = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* Stops the collection in flight: its callbacks change nothing after this. */
static gboolean
stop_collecting (TallySortedLog *self)
{
  if (self->cancellable == NULL)
    return FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->collecting, g_ptr_array_unref);
  return TRUE;
}

typedef struct
{
  TallySortedLog *self; /* weak: the cancellable says whether it still matters */
  GCancellable *cancellable;
} Collect;

static void
collect_free (Collect *collect)
{
  g_object_unref (collect->cancellable);
  g_free (collect);
}

static gboolean
collect_rows_cb (TallyUsageSnapshot *snapshot,
                 GListModel *rows,
                 gpointer user_data)
{
  Collect *collect = user_data;
  TallySortedLog *self = collect->self;
  gint64 total = tally_usage_snapshot_get_total (snapshot);
  guint n = g_list_model_get_n_items (rows);

  if (g_cancellable_is_cancelled (collect->cancellable))
    return FALSE;

  if (total > self->max_rows)
    {
      set_counts (self, 0, total);
      set_flag (self, &self->too_many, TRUE, PROP_TOO_MANY);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->collecting, g_list_model_get_item (rows, i));
  set_counts (self, self->collecting->len, total);
  return TRUE;
}

static void
collect_done_cb (GObject *object,
                 GAsyncResult *result,
                 gpointer user_data)
{
  Collect *collect = user_data;
  TallySortedLog *self = collect->self;
  g_autoptr (GError) error = NULL;
  gboolean ok = tally_usage_snapshot_foreach_finish (result, NULL, &error);

  if (g_cancellable_is_cancelled (collect->cancellable))
    {
      collect_free (collect);
      return;
    }
  collect_free (collect);

  g_object_freeze_notify (G_OBJECT (self));
  if (!ok)
    {
      set_error (self, error->message);
      g_clear_pointer (&self->collecting, g_ptr_array_unref);
    }
  else
    {
      set_error (self, NULL);
      g_ptr_array_unref (self->logs);
      self->logs = g_steal_pointer (&self->collecting);
      if (self->too_many)
        g_ptr_array_set_size (self->logs, 0);
      resort (self);
      set_flag (self, &self->ready, TRUE, PROP_READY);
    }
  g_clear_object (&self->cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
collect (TallySortedLog *self)
{
  Collect *data;

  stop_collecting (self);
  if (self->client == NULL || self->query == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  self->collecting = g_ptr_array_new_with_free_func (g_object_unref);
  set_counts (self, 0, -1);
  set_flag (self, &self->too_many, FALSE, PROP_TOO_MANY);

  data = g_new0 (Collect, 1);
  data->self = self;
  data->cancellable = g_object_ref (self->cancellable);
  /* The walk holds only the cancellable's data; the list cancels it before
   * it goes away (dispose). */
  tally_usage_snapshot_foreach_async (self->client, self->query, COLLECT_PAGE_SIZE, COLLECT_MAX_IN_FLIGHT,
                                      collect_rows_cb, data, NULL,
                                      self->cancellable, collect_done_cb, data);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* ---------------------------------------------------------------- public */

TallySortedLog *
tally_sorted_log_new (void)
{
  return g_object_new (TALLY_TYPE_SORTED_LOG, NULL);
}

void
tally_sorted_log_set_source (TallySortedLog *self,
                             TallyClient *client,
                             const TallyUsageQuery *query)
{
  guint old;

  g_return_if_fail (TALLY_IS_SORTED_LOG (self));

  if (self->client == client && tally_usage_query_equal (self->query, query))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (stop_collecting (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_set_object (&self->client, client);
  g_clear_pointer (&self->query, tally_usage_query_free);
  if (query != NULL)
    self->query = tally_usage_query_copy (query);

  old = self->rows->len;
  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_set_size (self->logs, 0);
  if (old > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, 0);
  set_counts (self, 0, -1);
  set_flag (self, &self->ready, FALSE, PROP_READY);
  set_flag (self, &self->too_many, FALSE, PROP_TOO_MANY);
  set_error (self, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

void
tally_sorted_log_set_sort (TallySortedLog *self,
                           TallyLogSort sort,
                           gboolean descending)
{
  g_return_if_fail (TALLY_IS_SORTED_LOG (self));

  if (self->sort != sort || self->descending != descending)
    {
      self->sort = sort;
      self->descending = descending;
      resort (self);
    }
  if (!self->ready && self->cancellable == NULL)
    collect (self);
}

void
tally_sorted_log_set_max_rows (TallySortedLog *self,
                               gint64 max_rows)
{
  g_return_if_fail (TALLY_IS_SORTED_LOG (self));
  self->max_rows = max_rows;
}

gint64
tally_sorted_log_get_max_rows (TallySortedLog *self)
{
  g_return_val_if_fail (TALLY_IS_SORTED_LOG (self), 0);
  return self->max_rows;
}

void
tally_sorted_log_reload (TallySortedLog *self)
{
  g_return_if_fail (TALLY_IS_SORTED_LOG (self));
  collect (self);
}

gboolean
tally_sorted_log_get_loading (TallySortedLog *self)
{
  g_return_val_if_fail (TALLY_IS_SORTED_LOG (self), FALSE);
  return self->cancellable != NULL;
}

gboolean
tally_sorted_log_get_ready (TallySortedLog *self)
{
  g_return_val_if_fail (TALLY_IS_SORTED_LOG (self), FALSE);
  return self->ready;
}

gboolean
tally_sorted_log_get_too_many (TallySortedLog *self)
{
  g_return_val_if_fail (TALLY_IS_SORTED_LOG (self), FALSE);
  return self->too_many;
}

gint64
tally_sorted_log_get_collected (TallySortedLog *self)
{
  g_return_val_if_fail (TALLY_IS_SORTED_LOG (self), 0);
  return self->collected;
}

gint64
tally_sorted_log_get_total (TallySortedLog *self)
{
  g_return_val_if_fail (TALLY_IS_SORTED_LOG (self), -1);
  return self->total;
}

const char *
tally_sorted_log_get_error (TallySortedLog *self)
{
  g_return_val_if_fail (TALLY_IS_SORTED_LOG (self), NULL);
  return self->error;
}

/* ---------------------------------------------------------------- GObject */

static void
tally_sorted_log_dispose (GObject *object)
{
  TallySortedLog *self = TALLY_SORTED_LOG (object);

  stop_collecting (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (tally_sorted_log_parent_class)->dispose (object);
}

static void
tally_sorted_log_finalize (GObject *object)
{
  TallySortedLog *self = TALLY_SORTED_LOG (object);

  g_clear_pointer (&self->query, tally_usage_query_free);
  g_ptr_array_unref (self->logs);
  g_ptr_array_unref (self->rows);
  g_free (self->error);

  G_OBJECT_CLASS (tally_sorted_log_parent_class)->finalize (object);
}

static void
tally_sorted_log_get_property (GObject *object,
                               guint prop_id,
                               GValue *value,
                               GParamSpec *pspec)
{
  TallySortedLog *self = TALLY_SORTED_LOG (object);

  switch (prop_id)
    {
      case PROP_LOADING:
        g_value_set_boolean (value, tally_sorted_log_get_loading (self));
        break;
      case PROP_READY:
        g_value_set_boolean (value, self->ready);
        break;
      case PROP_TOO_MANY:
        g_value_set_boolean (value, self->too_many);
        break;
      case PROP_COLLECTED:
        g_value_set_int64 (value, self->collected);
        break;
      case PROP_TOTAL:
        g_value_set_int64 (value, self->total);
        break;
      case PROP_ERROR:
        g_value_set_string (value, self->error);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_sorted_log_class_init (TallySortedLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tally_sorted_log_dispose;
  object_class->finalize = tally_sorted_log_finalize;
  object_class->get_property = tally_sorted_log_get_property;

  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                                                 G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOO_MANY] = g_param_spec_boolean ("too-many", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLLECTED] = g_param_spec_int64 ("collected", NULL, NULL, 0, G_MAXINT64, 0,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] = g_param_spec_int64 ("total", NULL, NULL, -1, G_MAXINT64, -1,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_sorted_log_init (TallySortedLog *self)
{
  self->sort = TALLY_LOG_SORT_TIME;
  self->descending = TRUE;
  self->logs = g_ptr_array_new_with_free_func (g_object_unref);
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->total = -1;
  self->max_rows = TALLY_SORTED_LOG_MAX_ROWS;
}

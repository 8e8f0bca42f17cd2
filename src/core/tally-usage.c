/* tally-usage.c: the usage view's view model (filter, lazy list, totals, details)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-usage"

#include "config.h"

#include "tally-api-key.h"
#include "tally-client.h"
#include "tally-model-breakdown.h"
#include "tally-model-stat.h"
#include "tally-server-time.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-usage-stats.h"
#include "tally-usage-totals.h"
#include "tally-sorted-log.h"
#include "tally-usage.h"

struct _TallyUsage
{
  GObject parent_instance;

  /* Owned References */
  TallySession *session;
  GSignalGroup *session_signals;
  TallyLogList *log;
  TallySortedLog *sorted;
  GCancellable *stats_cancellable;
  TallyUsageStats *stats;
  GCancellable *models_cancellable;
  GCancellable *details_cancellable;
  TallyUsageLog *details_row;
  TallyUsageLog *details;

  /* Properties */
  char *stats_error;
  char **models;
  char *models_range; /* "start end" the models were asked for */
  char *details_error;
  gboolean logged_in;
  gboolean stats_loading;
  gboolean counting;
  gint64 counted;
  gint64 count_total;
  gboolean busy;
  gboolean details_loaded;
  TallyLogSort sort;
  gboolean descending;
};

G_DEFINE_FINAL_TYPE (TallyUsage, tally_usage, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_QUERY,
  PROP_LOG,
  PROP_ROWS,
  PROP_SORTED,
  PROP_LOGGED_IN,
  PROP_N_NEW,
  PROP_BUSY,
  PROP_STATS,
  PROP_STATS_LOADING,
  PROP_STATS_ERROR,
  PROP_COUNTING,
  PROP_COUNTED,
  PROP_COUNT_TOTAL,
  PROP_MODELS,
  PROP_KEYS,
  PROP_SERVER_TODAY,
  PROP_DETAILS_ROW,
  PROP_DETAILS,
  PROP_DETAILS_LOADED,
  PROP_DETAILS_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------ requests */

/* What a callback carries: the view model, weakly (the request never keeps
 * it alive), and the cancellable of its slot when it was sent. */
typedef struct
{
  GWeakRef self;
  GCancellable *cancellable;
} Request;

static Request *
request_new (TallyUsage *self,
             GCancellable *cancellable)
{
  Request *request = g_new0 (Request, 1);

  g_weak_ref_init (&request->self, self);
  request->cancellable = g_object_ref (cancellable);

  return request;
}

static void
request_free (Request *request)
{
  g_weak_ref_clear (&request->self);
  g_clear_object (&request->cancellable);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

/* The view model (a new reference) when @request is still the one in @slot. */
static TallyUsage *
request_claim (Request *request,
               gsize slot_offset)
{
  TallyUsage *self = g_weak_ref_get (&request->self);

  if (self == NULL)
    return NULL;

  if (g_cancellable_is_cancelled (request->cancellable) || G_STRUCT_MEMBER (GCancellable *, self, slot_offset) != request->cancellable)
    {
      g_object_unref (self);
      return NULL;
    }

  return self;
}

static void
cancel_slot (GCancellable **slot)
{
  if (*slot != NULL)
    {
      g_cancellable_cancel (*slot);
      g_clear_object (slot);
    }
}

/* -------------------------------------------------------------- state */

static const TallyUsageQuery *
current_query (TallyUsage *self)
{
  return self->session != NULL ? tally_session_get_usage_query (self->session) : NULL;
}

/* The session's client while it is logged in: the list and the totals load
 * only then. */
static TallyClient *
logged_in_client (TallyUsage *self)
{
  TallySessionState state;

  if (self->session == NULL)
    return NULL;

  state = tally_session_get_state (self->session);
  if (state != TALLY_SESSION_STATE_LOADING && state != TALLY_SESSION_STATE_READY)
    return NULL;

  return tally_session_get_client (self->session);
}

static void
update_busy (TallyUsage *self)
{
  gboolean busy = self->stats_loading || tally_log_list_get_loading (self->log) || tally_sorted_log_get_loading (self->sorted);

  if (busy != self->busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

static void
set_stats_loading (TallyUsage *self,
                   gboolean loading)
{
  if (loading != self->stats_loading)
    {
      self->stats_loading = loading;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATS_LOADING]);
    }
  update_busy (self);
}

static void
set_stats (TallyUsage *self,
           TallyUsageStats *stats)
{
  if (g_set_object (&self->stats, stats))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATS]);
}

/* Notifies whenever @message is not NULL, so a repeated failure shows again. */
static void
set_stats_error (TallyUsage *self,
                 const char *message)
{
  if (message == NULL && self->stats_error == NULL)
    return;

  g_free (self->stats_error);
  self->stats_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATS_ERROR]);
}

static void
set_counting (TallyUsage *self,
              gboolean counting,
              gint64 counted,
              gint64 total)
{
  GObject *object = G_OBJECT (self);

  g_object_freeze_notify (object);
  if (counting != self->counting)
    {
      self->counting = counting;
      g_object_notify_by_pspec (object, properties[PROP_COUNTING]);
    }
  if (counted != self->counted)
    {
      self->counted = counted;
      g_object_notify_by_pspec (object, properties[PROP_COUNTED]);
    }
  if (total != self->count_total)
    {
      self->count_total = total;
      g_object_notify_by_pspec (object, properties[PROP_COUNT_TOTAL]);
    }
  g_object_thaw_notify (object);
}

static void
set_logged_in (TallyUsage *self,
               gboolean logged_in)
{
  if (logged_in != self->logged_in)
    {
      self->logged_in = logged_in;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGGED_IN]);
    }
}

/* ------------------------------------------------------------- totals */

static void
stats_cb (GObject *object,
          GAsyncResult *result,
          gpointer user_data)
{
  g_autoptr (Request) request = user_data;
  g_autoptr (TallyUsageStats) stats = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyUsage) self = NULL;

  stats = tally_usage_totals_finish (result, &error);
  self = request_claim (request, G_STRUCT_OFFSET (TallyUsage, stats_cancellable));
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->stats_cancellable);

  g_object_freeze_notify (G_OBJECT (self));
  if (stats == NULL)
    {
      /* The last totals stay. */
      set_stats_error (self, error->message);
    }
  else
    {
      set_stats_error (self, NULL);
      set_stats (self, stats);
    }
  set_counting (self, FALSE, 0, -1);
  set_stats_loading (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Rows counted for totals a server cannot give (tally-usage-totals.h). */
static void
stats_progress_cb (gint64 counted,
                   gint64 total,
                   gpointer user_data)
{
  Request *request = user_data;
  g_autoptr (TallyUsage) self = request_claim (request, G_STRUCT_OFFSET (TallyUsage, stats_cancellable));

  if (self != NULL)
    set_counting (self, TRUE, counted, total);
}

/* The totals of the whole filter (tally_usage_totals_async()): /usage/stats,
 * or the filtered rows counted where the server's totals would ignore a
 * filter. Only with both dates: the default range comes once the server's
 * day is known, and counting every row there is before that is not worth it. */
static void
load_stats (TallyUsage *self)
{
  TallyClient *client = logged_in_client (self);
  const TallyUsageQuery *query = current_query (self);

  cancel_slot (&self->stats_cancellable);
  set_counting (self, FALSE, 0, -1);

  if (client == NULL || query == NULL || tally_usage_query_get_start_date (query) == NULL || tally_usage_query_get_end_date (query) == NULL)
    {
      set_stats (self, NULL);
      set_stats_loading (self, FALSE);
      return;
    }

  self->stats_cancellable = g_cancellable_new ();
  tally_usage_totals_async (client, query,
                            stats_progress_cb, request_new (self, self->stats_cancellable), (GDestroyNotify) request_free,
                            self->stats_cancellable,
                            stats_cb, request_new (self, self->stats_cancellable));
  set_stats_loading (self, TRUE);
}

/* ------------------------------------------------------------- models */

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer user_data)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static void
model_stats_cb (GObject *object,
                GAsyncResult *result,
                gpointer user_data)
{
  g_autoptr (Request) request = user_data;
  g_autoptr (TallyModelBreakdown) breakdown = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyUsage) self = NULL;
  g_autoptr (GStrvBuilder) builder = NULL;
  GListModel *models;
  guint n;

  breakdown = tally_client_get_model_stats_finish (TALLY_CLIENT (object), result, &error);
  self = request_claim (request, G_STRUCT_OFFSET (TallyUsage, models_cancellable));
  if (self == NULL)
    return;

  if (breakdown == NULL)
    {
      /* The list stays as it was; the log itself reports errors. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not load the models: %s", error->message);
      return;
    }
  g_clear_object (&self->models_cancellable);

  models = tally_model_breakdown_get_models (breakdown);
  n = g_list_model_get_n_items (models);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallyModelStat) stat = g_list_model_get_item (models, i);
      const char *name = tally_model_stat_get_model (stat);

      if (name[0] != '\0')
        g_strv_builder_add (builder, name);
    }

  g_strfreev (self->models);
  self->models = g_strv_builder_end (builder);
  g_qsort_with_data (self->models, g_strv_length (self->models), sizeof (char *), compare_names, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODELS]);
}

/* The models seen in the query's range (/usage/dashboard/models), once per range. */
static void
load_models (TallyUsage *self)
{
  const TallyUsageQuery *query = current_query (self);
  TallyClient *client;
  g_autofree char *range = NULL;

  if (query == NULL)
    return;
  client = tally_session_get_client (self->session);
  if (client == NULL || tally_client_get_token (client) == NULL)
    return;

  range = g_strdup_printf ("%s %s",
                           tally_usage_query_get_start_date (query),
                           tally_usage_query_get_end_date (query));
  if (g_strcmp0 (range, self->models_range) == 0)
    return;
  g_free (self->models_range);
  self->models_range = g_steal_pointer (&range);

  cancel_slot (&self->models_cancellable);
  self->models_cancellable = g_cancellable_new ();
  tally_client_get_model_stats_async (client,
                                      tally_usage_query_get_start_date (query),
                                      tally_usage_query_get_end_date (query),
                                      self->models_cancellable,
                                      model_stats_cb,
                                      request_new (self, self->models_cancellable));
}

/* ------------------------------------------------------------ details */

static void
details_cb (GObject *object,
            GAsyncResult *result,
            gpointer user_data)
{
  g_autoptr (Request) request = user_data;
  g_autoptr (TallyUsageLog) log = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyUsage) self = NULL;

  log = tally_client_get_usage_finish (TALLY_CLIENT (object), result, &error);
  self = request_claim (request, G_STRUCT_OFFSET (TallyUsage, details_cancellable));
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->details_cancellable);

  g_object_freeze_notify (G_OBJECT (self));
  if (log == NULL)
    {
      self->details_error = g_strdup (error->message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS_ERROR]);
    }
  else
    {
      g_set_object (&self->details, log);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS]);
    }
  self->details_loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS_LOADED]);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Empties the details slot, notifying what changed. */
static void
clear_details (TallyUsage *self)
{
  cancel_slot (&self->details_cancellable);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->details_row != NULL)
    {
      g_clear_object (&self->details_row);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS_ROW]);
    }
  if (self->details != NULL)
    {
      g_clear_object (&self->details);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS]);
    }
  if (self->details_error != NULL)
    {
      g_clear_pointer (&self->details_error, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS_ERROR]);
    }
  if (self->details_loaded)
    {
      self->details_loaded = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS_LOADED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* ------------------------------------------------------ session signals */

/* Until the user picks a range, a query without dates gets the last 7 days
 * ending on the server's day. */
static void
apply_default_range (TallyUsage *self)
{
  const TallyUsageQuery *query = current_query (self);
  const char *today = self->session != NULL ? tally_session_get_server_today (self->session) : NULL;
  g_autoptr (TallyUsageQuery) ranged = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  if (today == NULL || query == NULL || tally_usage_query_get_start_date (query) != NULL || tally_usage_query_get_end_date (query) != NULL)
    return;

  tally_date_preset_range (TALLY_DATE_PRESET_LAST_7_DAYS, today, &start, &end);
  if (start == NULL || end == NULL)
    return;

  ranged = tally_usage_query_copy (query);
  if (tally_usage_query_set_range (ranged, start, end, NULL))
    tally_session_set_usage_query (self->session, ranged);
}

/* Newest first is the lazy list; any other order is the sorted list, which
 * follows the client and the query only while it is shown. */
static gboolean
is_sorted (TallyUsage *self)
{
  return self->sort != TALLY_LOG_SORT_TIME || !self->descending;
}

static void
update_sorted (TallyUsage *self)
{
  if (!is_sorted (self))
    {
      tally_sorted_log_set_source (self->sorted, NULL, NULL);
      return;
    }
  tally_sorted_log_set_source (self->sorted, logged_in_client (self), current_query (self));
  tally_sorted_log_set_sort (self->sorted, self->sort, self->descending);
}

static void
query_changed (TallyUsage *self)
{
  g_object_freeze_notify (G_OBJECT (self));

  /* New filter: the old totals do not apply any more. */
  set_stats (self, NULL);
  tally_log_list_set_query (self->log, current_query (self));
  update_sorted (self);
  load_stats (self);
  load_models (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
client_changed (TallyUsage *self)
{
  TallyClient *client = logged_in_client (self);

  g_object_freeze_notify (G_OBJECT (self));
  set_logged_in (self, client != NULL);
  tally_log_list_set_client (self->log, client);
  update_sorted (self);
  set_stats (self, NULL);
  load_stats (self);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
state_changed (TallyUsage *self)
{
  client_changed (self);

  /* After a (re)login the models can be loaded. */
  g_clear_pointer (&self->models_range, g_free);
  load_models (self);
}

static void
server_today_changed (TallyUsage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_TODAY]);
  apply_default_range (self);
}

static void
log_loading_changed (TallyUsage *self)
{
  update_busy (self);
}

static void
sorted_loading_changed (TallyUsage *self)
{
  update_busy (self);
}

static void
log_n_new_changed (TallyUsage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_NEW]);
}

/* ------------------------------------------------------------ GObject */

static void
tally_usage_dispose (GObject *object)
{
  TallyUsage *self = (TallyUsage *) object;

  cancel_slot (&self->stats_cancellable);
  cancel_slot (&self->models_cancellable);
  cancel_slot (&self->details_cancellable);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  g_clear_object (&self->log);
  /* a view may still hold the sorted list: stop its walk and its signals */
  if (self->sorted != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->sorted, self);
      tally_sorted_log_set_source (self->sorted, NULL, NULL);
    }
  g_clear_object (&self->sorted);
  g_clear_object (&self->session);
  g_clear_object (&self->stats);
  g_clear_object (&self->details_row);
  g_clear_object (&self->details);

  G_OBJECT_CLASS (tally_usage_parent_class)->dispose (object);
}

static void
tally_usage_finalize (GObject *object)
{
  TallyUsage *self = (TallyUsage *) object;

  g_clear_pointer (&self->stats_error, g_free);
  g_clear_pointer (&self->models, g_strfreev);
  g_clear_pointer (&self->models_range, g_free);
  g_clear_pointer (&self->details_error, g_free);

  G_OBJECT_CLASS (tally_usage_parent_class)->finalize (object);
}

static void
tally_usage_get_property (GObject *object,
                          guint prop_id,
                          GValue *value,
                          GParamSpec *pspec)
{
  TallyUsage *self = TALLY_USAGE (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        g_value_set_object (value, self->session);
        break;

      case PROP_QUERY:
        g_value_set_boxed (value, tally_usage_get_query (self));
        break;

      case PROP_LOG:
        g_value_set_object (value, self->log);
        break;

      case PROP_ROWS:
        g_value_set_object (value, tally_usage_get_rows (self));
        break;

      case PROP_SORTED:
        g_value_set_object (value, self->sorted);
        break;

      case PROP_LOGGED_IN:
        g_value_set_boolean (value, self->logged_in);
        break;

      case PROP_N_NEW:
        g_value_set_uint (value, tally_usage_get_n_new (self));
        break;

      case PROP_BUSY:
        g_value_set_boolean (value, self->busy);
        break;

      case PROP_STATS:
        g_value_set_object (value, self->stats);
        break;

      case PROP_STATS_LOADING:
        g_value_set_boolean (value, self->stats_loading);
        break;

      case PROP_STATS_ERROR:
        g_value_set_string (value, self->stats_error);
        break;

      case PROP_COUNTING:
        g_value_set_boolean (value, self->counting);
        break;

      case PROP_COUNTED:
        g_value_set_int64 (value, self->counted);
        break;

      case PROP_COUNT_TOTAL:
        g_value_set_int64 (value, self->count_total);
        break;

      case PROP_MODELS:
        g_value_set_boxed (value, self->models);
        break;

      case PROP_KEYS:
        g_value_set_object (value, tally_usage_get_keys (self));
        break;

      case PROP_SERVER_TODAY:
        g_value_set_string (value, tally_usage_get_server_today (self));
        break;

      case PROP_DETAILS_ROW:
        g_value_set_object (value, self->details_row);
        break;

      case PROP_DETAILS:
        g_value_set_object (value, self->details);
        break;

      case PROP_DETAILS_LOADED:
        g_value_set_boolean (value, self->details_loaded);
        break;

      case PROP_DETAILS_ERROR:
        g_value_set_string (value, self->details_error);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_usage_set_property (GObject *object,
                          guint prop_id,
                          const GValue *value,
                          GParamSpec *pspec)
{
  TallyUsage *self = TALLY_USAGE (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        tally_usage_set_session (self, g_value_get_object (value));
        break;

      case PROP_QUERY:
        tally_usage_set_query (self, g_value_get_boxed (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_usage_class_init (TallyUsageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tally_usage_dispose;
  object_class->finalize = tally_usage_finalize;
  object_class->get_property = tally_usage_get_property;
  object_class->set_property = tally_usage_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL,
                                                  TALLY_TYPE_SESSION,
                                                  (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_QUERY] = g_param_spec_boxed ("query", NULL, NULL,
                                               TALLY_TYPE_USAGE_QUERY,
                                               (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOG] = g_param_spec_object ("log", NULL, NULL, TALLY_TYPE_LOG_LIST, ro);
  properties[PROP_ROWS] = g_param_spec_object ("rows", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_SORTED] = g_param_spec_object ("sorted", NULL, NULL, TALLY_TYPE_SORTED_LOG, ro);
  properties[PROP_LOGGED_IN] = g_param_spec_boolean ("logged-in", NULL, NULL, FALSE, ro);
  properties[PROP_N_NEW] = g_param_spec_uint ("n-new", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  properties[PROP_STATS] = g_param_spec_object ("stats", NULL, NULL, TALLY_TYPE_USAGE_STATS, ro);
  properties[PROP_STATS_LOADING] = g_param_spec_boolean ("stats-loading", NULL, NULL, FALSE, ro);
  properties[PROP_STATS_ERROR] = g_param_spec_string ("stats-error", NULL, NULL, NULL, ro);
  properties[PROP_COUNTING] = g_param_spec_boolean ("counting", NULL, NULL, FALSE, ro);
  properties[PROP_COUNTED] = g_param_spec_int64 ("counted", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_COUNT_TOTAL] = g_param_spec_int64 ("count-total", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_MODELS] = g_param_spec_boxed ("models", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_KEYS] = g_param_spec_object ("keys", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_SERVER_TODAY] = g_param_spec_string ("server-today", NULL, NULL, NULL, ro);
  properties[PROP_DETAILS_ROW] = g_param_spec_object ("details-row", NULL, NULL, TALLY_TYPE_USAGE_LOG, ro);
  properties[PROP_DETAILS] = g_param_spec_object ("details", NULL, NULL, TALLY_TYPE_USAGE_LOG, ro);
  properties[PROP_DETAILS_LOADED] = g_param_spec_boolean ("details-loaded", NULL, NULL, FALSE, ro);
  properties[PROP_DETAILS_ERROR] = g_param_spec_string ("details-error", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_usage_init (TallyUsage *self)
{
  self->count_total = -1;
  self->log = tally_log_list_new (NULL, NULL);
  g_signal_connect_object (self->log, "notify::loading", G_CALLBACK (log_loading_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->log, "notify::n-new", G_CALLBACK (log_n_new_changed), self, G_CONNECT_SWAPPED);
  self->sort = TALLY_LOG_SORT_TIME;
  self->descending = TRUE;
  self->sorted = tally_sorted_log_new ();
  g_signal_connect_object (self->sorted, "notify::loading", G_CALLBACK (sorted_loading_changed), self, G_CONNECT_SWAPPED);

  self->session_signals = g_signal_group_new (TALLY_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::usage-query",
                                 G_CALLBACK (query_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::client",
                                 G_CALLBACK (client_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::state",
                                 G_CALLBACK (state_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::server-today",
                                 G_CALLBACK (server_today_changed), self, G_CONNECT_SWAPPED);
}

/* ---------------------------------------------------------------- API */

TallyUsage *
tally_usage_new (TallySession *session)
{
  g_return_val_if_fail (session == NULL || TALLY_IS_SESSION (session), NULL);

  return g_object_new (TALLY_TYPE_USAGE, "session", session, NULL);
}

TallySession *
tally_usage_get_session (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), NULL);

  return self->session;
}

void
tally_usage_set_session (TallyUsage *self,
                         TallySession *session)
{
  g_return_if_fail (TALLY_IS_USAGE (self));
  g_return_if_fail (session == NULL || TALLY_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  g_object_freeze_notify (G_OBJECT (self));

  cancel_slot (&self->models_cancellable);
  g_clear_pointer (&self->models_range, g_free);
  clear_details (self);
  g_signal_group_set_target (self->session_signals, session);

  tally_log_list_set_query (self->log, current_query (self));
  client_changed (self);
  load_models (self);
  apply_default_range (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_TODAY]);
  g_object_thaw_notify (G_OBJECT (self));
}

const TallyUsageQuery *
tally_usage_get_query (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), NULL);

  return current_query (self);
}

void
tally_usage_set_query (TallyUsage *self,
                       const TallyUsageQuery *query)
{
  g_return_if_fail (TALLY_IS_USAGE (self));

  /* the session notifies; query_changed() follows */
  if (self->session != NULL)
    tally_session_set_usage_query (self->session, query);
}

TallyLogList *
tally_usage_get_log (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), NULL);

  return self->log;
}

TallySortedLog *
tally_usage_get_sorted (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), NULL);

  return self->sorted;
}

GListModel *
tally_usage_get_rows (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), NULL);

  return is_sorted (self) ? G_LIST_MODEL (self->sorted) : G_LIST_MODEL (self->log);
}

gboolean
tally_usage_get_sorted_active (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), FALSE);

  return is_sorted (self);
}

void
tally_usage_set_sort (TallyUsage *self,
                      TallyLogSort sort,
                      gboolean descending)
{
  gboolean was_sorted;

  g_return_if_fail (TALLY_IS_USAGE (self));

  descending = !!descending;
  if (self->sort == sort && self->descending == descending)
    return;

  was_sorted = is_sorted (self);
  self->sort = sort;
  self->descending = descending;
  update_sorted (self);
  if (was_sorted != is_sorted (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROWS]);
}

TallyLogSort
tally_usage_get_sort (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), TALLY_LOG_SORT_TIME);

  return self->sort;
}

gboolean
tally_usage_get_descending (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), TRUE);

  return self->descending;
}

gboolean
tally_usage_get_logged_in (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), FALSE);

  return self->logged_in;
}

guint
tally_usage_get_n_new (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), 0);

  return tally_log_list_get_n_new (self->log);
}

gboolean
tally_usage_get_busy (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), FALSE);

  return self->busy;
}

TallyUsageStats *
tally_usage_get_stats (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), NULL);

  return self->stats;
}

gboolean
tally_usage_get_stats_loading (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), FALSE);

  return self->stats_loading;
}

const char *
tally_usage_get_stats_error (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), NULL);

  return self->stats_error;
}

gboolean
tally_usage_get_counting (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), FALSE);

  return self->counting;
}

gint64
tally_usage_get_counted (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), 0);

  return self->counted;
}

gint64
tally_usage_get_count_total (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), -1);

  return self->count_total;
}

const char *const *
tally_usage_get_models (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), NULL);

  return (const char *const *) self->models;
}

GListModel *
tally_usage_get_keys (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), NULL);

  return self->session != NULL ? tally_session_get_keys (self->session) : NULL;
}

const char *
tally_usage_get_server_today (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), NULL);

  return self->session != NULL ? tally_session_get_server_today (self->session) : NULL;
}

const char *
tally_usage_get_key_name (TallyUsage *self,
                          gint64 api_key_id)
{
  GListModel *keys;
  guint n;

  g_return_val_if_fail (TALLY_IS_USAGE (self), NULL);

  keys = tally_usage_get_keys (self);
  n = keys != NULL ? g_list_model_get_n_items (keys) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);

      /* the list holds the key: the name outlives this reference */
      if (tally_api_key_get_id (key) == api_key_id)
        return tally_api_key_get_name (key);
    }

  return NULL;
}

void
tally_usage_refresh (TallyUsage *self)
{
  g_return_if_fail (TALLY_IS_USAGE (self));

  /* a list on screen stays put: a refresh only looks for new rows (offered
   * above the list); one that failed or never loaded is loaded again. A
   * sorted list is collected again (its rows stay until then). */
  if (is_sorted (self))
    tally_sorted_log_reload (self->sorted);
  else if (tally_log_list_get_ready (self->log) && tally_log_list_get_error (self->log) == NULL)
    tally_log_list_check_new (self->log);
  else
    tally_log_list_reload (self->log);
  load_stats (self);
}

void
tally_usage_show_new (TallyUsage *self)
{
  g_return_if_fail (TALLY_IS_USAGE (self));

  /* back to the head: page 1 again, the new rows on top (a sorted list
   * takes them in where they sort) */
  if (is_sorted (self))
    tally_sorted_log_reload (self->sorted);
  else
    tally_log_list_reload (self->log);
  load_stats (self);
}

void
tally_usage_request_details (TallyUsage *self,
                             TallyUsageLog *row)
{
  TallyClient *client;

  g_return_if_fail (TALLY_IS_USAGE (self));
  g_return_if_fail (TALLY_IS_USAGE_LOG (row));

  g_object_freeze_notify (G_OBJECT (self));
  clear_details (self);
  self->details_row = g_object_ref (row);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS_ROW]);

  client = self->session != NULL ? tally_session_get_client (self->session) : NULL;
  if (client != NULL)
    {
      self->details_cancellable = g_cancellable_new ();
      tally_client_get_usage_async (client, tally_usage_log_get_id (row), self->details_cancellable,
                                    details_cb, request_new (self, self->details_cancellable));
    }
  else
    {
      self->details_loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS_LOADED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
tally_usage_cancel_details (TallyUsage *self,
                            TallyUsageLog *row)
{
  g_return_if_fail (TALLY_IS_USAGE (self));

  if (row == NULL || row == self->details_row)
    clear_details (self);
}

TallyUsageLog *
tally_usage_get_details_row (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), NULL);

  return self->details_row;
}

TallyUsageLog *
tally_usage_get_details (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), NULL);

  return self->details;
}

gboolean
tally_usage_get_details_loaded (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), FALSE);

  return self->details_loaded;
}

const char *
tally_usage_get_details_error (TallyUsage *self)
{
  g_return_val_if_fail (TALLY_IS_USAGE (self), NULL);

  return self->details_error;
}

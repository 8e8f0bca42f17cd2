/* tally-subscription.c: subscriptions, their quota windows and per-platform quotas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-subscription"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "tally-error.h"
#include "tally-json-private.h"
#include "tally-model-json.h"
#include "tally-models-private.h"
#include "tally-subscription-private.h"

static const char *const period_ids[TALLY_QUOTA_N_PERIODS] = { "daily", "weekly", "monthly" };

const char *
tally_quota_period_get_id (TallyQuotaPeriod period)
{
  g_return_val_if_fail (period < TALLY_QUOTA_N_PERIODS, NULL);

  return period_ids[period];
}

const char *
tally_quota_period_get_title (TallyQuotaPeriod period)
{
  static const char *const titles[TALLY_QUOTA_N_PERIODS] = { N_ ("Daily"), N_ ("Weekly"), N_ ("Monthly") };

  g_return_val_if_fail (period < TALLY_QUOTA_N_PERIODS, NULL);

  return _ (titles[period]);
}

/* ------------------------------------------------------------------------ */
/* TallyQuotaWindow                                                         */

struct _TallyQuotaWindow
{
  GObject parent_instance;

  double limit_usd;
  double used_usd;
  double remaining_usd;
  double percentage;
  GDateTime *window_start;
  GDateTime *resets_at;
  gint64 resets_in_seconds;
};

static const TallyField window_fields[] = {
  TALLY_FIELD (TallyQuotaWindow, limit_usd, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyQuotaWindow, used_usd, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyQuotaWindow, remaining_usd, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyQuotaWindow, percentage, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyQuotaWindow, window_start, TIME, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyQuotaWindow, resets_at, TIME, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyQuotaWindow, resets_in_seconds, INT, TALLY_FIELD_REQUIRED),
};

static const TallyJsonModel window_json_model = { window_fields, G_N_ELEMENTS (window_fields), NULL, NULL };

TALLY_DEFINE_JSON_MODEL (TallyQuotaWindow, tally_quota_window, window_fields, &window_json_model)

TallyQuotaWindow *
_tally_quota_window_new_from_json (JsonNode *node,
                                   GError **error)
{
  return _tally_json_fields_new_object (TALLY_TYPE_QUOTA_WINDOW, window_fields, G_N_ELEMENTS (window_fields),
                                        node, N_ ("quota window"), error);
}

double
tally_quota_window_get_limit_usd (TallyQuotaWindow *self)
{
  g_return_val_if_fail (TALLY_IS_QUOTA_WINDOW (self), NAN);

  return self->limit_usd;
}

double
tally_quota_window_get_used_usd (TallyQuotaWindow *self)
{
  g_return_val_if_fail (TALLY_IS_QUOTA_WINDOW (self), NAN);

  return self->used_usd;
}

double
tally_quota_window_get_remaining_usd (TallyQuotaWindow *self)
{
  g_return_val_if_fail (TALLY_IS_QUOTA_WINDOW (self), NAN);

  return self->remaining_usd;
}

double
tally_quota_window_get_percentage (TallyQuotaWindow *self)
{
  g_return_val_if_fail (TALLY_IS_QUOTA_WINDOW (self), NAN);

  return self->percentage;
}

GDateTime *
tally_quota_window_get_window_start (TallyQuotaWindow *self)
{
  g_return_val_if_fail (TALLY_IS_QUOTA_WINDOW (self), NULL);

  return self->window_start;
}

GDateTime *
tally_quota_window_get_resets_at (TallyQuotaWindow *self)
{
  g_return_val_if_fail (TALLY_IS_QUOTA_WINDOW (self), NULL);

  return self->resets_at;
}

gint64
tally_quota_window_get_resets_in_seconds (TallyQuotaWindow *self)
{
  g_return_val_if_fail (TALLY_IS_QUOTA_WINDOW (self), 0);

  return self->resets_in_seconds;
}

/* ------------------------------------------------------------------------ */
/* TallySubscription                                                        */

#define SUBSCRIPTION_TYPE_NAME N_ ("subscription")

struct _TallySubscription
{
  GObject parent_instance;

  gint64 id;
  gint64 user_id;
  gint64 group_id;
  GDateTime *starts_at;
  GDateTime *expires_at;
  char *status;
  GDateTime *daily_window_start;
  GDateTime *weekly_window_start;
  GDateTime *monthly_window_start;
  double daily_usage_usd;
  double weekly_usage_usd;
  double monthly_usage_usd;
  GDateTime *created_at;
  GDateTime *updated_at;
  GDateTime *revoked_at;

  TallyGroup *group;
};

/* the window starts are null until first use; revoked_at may be absent */
static const TallyField subscription_fields[] = {
  TALLY_FIELD (TallySubscription, id, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallySubscription, user_id, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallySubscription, group_id, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallySubscription, starts_at, TIME, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallySubscription, expires_at, TIME, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallySubscription, status, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallySubscription, daily_window_start, TIME, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallySubscription, weekly_window_start, TIME, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallySubscription, monthly_window_start, TIME, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallySubscription, daily_usage_usd, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallySubscription, weekly_usage_usd, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallySubscription, monthly_usage_usd, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallySubscription, created_at, TIME, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallySubscription, updated_at, TIME, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallySubscription, revoked_at, TIME, TALLY_FIELD_OPTIONAL),
};

enum
{
  SUBSCRIPTION_PROP_GROUP = G_N_ELEMENTS (subscription_fields) + 1,
  SUBSCRIPTION_N_PROPS,
};

static GParamSpec *subscription_properties[SUBSCRIPTION_N_PROPS];

G_DEFINE_FINAL_TYPE (TallySubscription, tally_subscription, G_TYPE_OBJECT)

static void
tally_subscription_dispose (GObject *object)
{
  TallySubscription *self = (TallySubscription *) object;

  g_clear_object (&self->group);

  G_OBJECT_CLASS (tally_subscription_parent_class)->dispose (object);
}

static void
tally_subscription_finalize (GObject *object)
{
  _tally_json_fields_clear (subscription_fields, G_N_ELEMENTS (subscription_fields), object);

  G_OBJECT_CLASS (tally_subscription_parent_class)->finalize (object);
}

static void
tally_subscription_get_property (GObject *object,
                                 guint prop_id,
                                 GValue *value,
                                 GParamSpec *pspec)
{
  TallySubscription *self = TALLY_SUBSCRIPTION (object);

  if (_tally_json_fields_get_property (subscription_fields, G_N_ELEMENTS (subscription_fields), self, prop_id, value))
    return;

  if (prop_id == SUBSCRIPTION_PROP_GROUP)
    g_value_set_object (value, self->group);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

/* After the table: the group, left out when the server sent none. */
static void
subscription_write_group (gconstpointer instance,
                          GString *out)
{
  const TallySubscription *self = instance;

  if (self->group != NULL)
    {
      _tally_json_append_member (out, "group");
      tally_model_json_append (out, self->group);
    }
}

static const TallyJsonModel subscription_json_model = {
  subscription_fields, G_N_ELEMENTS (subscription_fields), NULL, subscription_write_group
};

static void
tally_subscription_class_init (TallySubscriptionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  _tally_json_model_register (G_OBJECT_CLASS_TYPE (klass), &subscription_json_model);

  object_class->dispose = tally_subscription_dispose;
  object_class->finalize = tally_subscription_finalize;
  object_class->get_property = tally_subscription_get_property;

  _tally_json_fields_create_pspecs (subscription_fields, G_N_ELEMENTS (subscription_fields), subscription_properties);
  subscription_properties[SUBSCRIPTION_PROP_GROUP] = g_param_spec_object ("group", NULL, NULL, TALLY_TYPE_GROUP,
                                                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, SUBSCRIPTION_N_PROPS, subscription_properties);
}

static void
tally_subscription_init (TallySubscription *self)
{
  _tally_json_fields_init (subscription_fields, G_N_ELEMENTS (subscription_fields), self);
}

TallySubscription *
_tally_subscription_new_from_json (JsonNode *node,
                                   GError **error)
{
  g_autoptr (TallySubscription) self = NULL;

  self = _tally_json_fields_new_object (TALLY_TYPE_SUBSCRIPTION, subscription_fields, G_N_ELEMENTS (subscription_fields),
                                        node, SUBSCRIPTION_TYPE_NAME, error);
  if (self == NULL)
    return NULL;

  if (!_tally_json_decode_optional (json_node_get_object (node), "group", SUBSCRIPTION_TYPE_NAME,
                                    (TallyItemFromJson) _tally_group_new_from_json,
                                    (gpointer *) &self->group, error))
    return NULL;

  return g_steal_pointer (&self);
}

gint64
tally_subscription_get_id (TallySubscription *self)
{
  g_return_val_if_fail (TALLY_IS_SUBSCRIPTION (self), 0);

  return self->id;
}

gint64
tally_subscription_get_group_id (TallySubscription *self)
{
  g_return_val_if_fail (TALLY_IS_SUBSCRIPTION (self), 0);

  return self->group_id;
}

const char *
tally_subscription_get_status (TallySubscription *self)
{
  g_return_val_if_fail (TALLY_IS_SUBSCRIPTION (self), NULL);

  return self->status;
}

GDateTime *
tally_subscription_get_starts_at (TallySubscription *self)
{
  g_return_val_if_fail (TALLY_IS_SUBSCRIPTION (self), NULL);

  return self->starts_at;
}

GDateTime *
tally_subscription_get_expires_at (TallySubscription *self)
{
  g_return_val_if_fail (TALLY_IS_SUBSCRIPTION (self), NULL);

  return self->expires_at;
}

GDateTime *
tally_subscription_get_window_start (TallySubscription *self,
                                     TallyQuotaPeriod period)
{
  g_return_val_if_fail (TALLY_IS_SUBSCRIPTION (self), NULL);
  g_return_val_if_fail (period < TALLY_QUOTA_N_PERIODS, NULL);

  return (GDateTime *[]){ self->daily_window_start, self->weekly_window_start, self->monthly_window_start }[period];
}

double
tally_subscription_get_usage_usd (TallySubscription *self,
                                  TallyQuotaPeriod period)
{
  g_return_val_if_fail (TALLY_IS_SUBSCRIPTION (self), NAN);
  g_return_val_if_fail (period < TALLY_QUOTA_N_PERIODS, NAN);

  return (double[]){ self->daily_usage_usd, self->weekly_usage_usd, self->monthly_usage_usd }[period];
}

TallyGroup *
tally_subscription_get_group (TallySubscription *self)
{
  g_return_val_if_fail (TALLY_IS_SUBSCRIPTION (self), NULL);

  return self->group;
}

/* ------------------------------------------------------------------------ */
/* TallySubscriptionProgress                                                */

#define PROGRESS_TYPE_NAME N_ ("subscription progress")

struct _TallySubscriptionProgress
{
  GObject parent_instance;

  gint64 id;
  char *group_name;
  GDateTime *expires_at;
  gint64 expires_in_days;

  TallyQuotaWindow *windows[TALLY_QUOTA_N_PERIODS];
  TallySubscription *subscription;
};

/* the members of "progress"; its windows and "subscription" come after */
static const TallyField progress_fields[] = {
  TALLY_FIELD (TallySubscriptionProgress, id, INT, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallySubscriptionProgress, group_name, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallySubscriptionProgress, expires_at, TIME, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallySubscriptionProgress, expires_in_days, INT, TALLY_FIELD_REQUIRED),
};

enum
{
  PROGRESS_PROP_DAILY = G_N_ELEMENTS (progress_fields) + 1,
  PROGRESS_PROP_WEEKLY,
  PROGRESS_PROP_MONTHLY,
  PROGRESS_PROP_SUBSCRIPTION,
  PROGRESS_N_PROPS,
};

static GParamSpec *progress_properties[PROGRESS_N_PROPS];

G_DEFINE_FINAL_TYPE (TallySubscriptionProgress, tally_subscription_progress, G_TYPE_OBJECT)

static void
tally_subscription_progress_dispose (GObject *object)
{
  TallySubscriptionProgress *self = (TallySubscriptionProgress *) object;

  for (guint i = 0; i < TALLY_QUOTA_N_PERIODS; i++)
    g_clear_object (&self->windows[i]);
  g_clear_object (&self->subscription);

  G_OBJECT_CLASS (tally_subscription_progress_parent_class)->dispose (object);
}

static void
tally_subscription_progress_finalize (GObject *object)
{
  _tally_json_fields_clear (progress_fields, G_N_ELEMENTS (progress_fields), object);

  G_OBJECT_CLASS (tally_subscription_progress_parent_class)->finalize (object);
}

static void
tally_subscription_progress_get_property (GObject *object,
                                          guint prop_id,
                                          GValue *value,
                                          GParamSpec *pspec)
{
  TallySubscriptionProgress *self = TALLY_SUBSCRIPTION_PROGRESS (object);

  if (_tally_json_fields_get_property (progress_fields, G_N_ELEMENTS (progress_fields), self, prop_id, value))
    return;

  switch (prop_id)
    {
      case PROGRESS_PROP_DAILY:
      case PROGRESS_PROP_WEEKLY:
      case PROGRESS_PROP_MONTHLY:
        g_value_set_object (value, self->windows[prop_id - PROGRESS_PROP_DAILY]);
        break;

      case PROGRESS_PROP_SUBSCRIPTION:
        g_value_set_object (value, self->subscription);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* After the table: the windows the server sent (absent ones stay absent),
 * then the subscription. */
static void
progress_write_windows (gconstpointer instance,
                        GString *out)
{
  const TallySubscriptionProgress *self = instance;

  for (guint i = 0; i < TALLY_QUOTA_N_PERIODS; i++)
    if (self->windows[i] != NULL)
      {
        _tally_json_append_member (out, period_ids[i]);
        tally_model_json_append (out, self->windows[i]);
      }
  _tally_json_append_member (out, "subscription");
  tally_model_json_append (out, self->subscription);
}

static const TallyJsonModel progress_json_model = {
  progress_fields, G_N_ELEMENTS (progress_fields), NULL, progress_write_windows
};

static void
tally_subscription_progress_class_init (TallySubscriptionProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  _tally_json_model_register (G_OBJECT_CLASS_TYPE (klass), &progress_json_model);

  object_class->dispose = tally_subscription_progress_dispose;
  object_class->finalize = tally_subscription_progress_finalize;
  object_class->get_property = tally_subscription_progress_get_property;

  _tally_json_fields_create_pspecs (progress_fields, G_N_ELEMENTS (progress_fields), progress_properties);
  progress_properties[PROGRESS_PROP_DAILY] = g_param_spec_object ("daily", NULL, NULL, TALLY_TYPE_QUOTA_WINDOW, flags);
  progress_properties[PROGRESS_PROP_WEEKLY] = g_param_spec_object ("weekly", NULL, NULL, TALLY_TYPE_QUOTA_WINDOW, flags);
  progress_properties[PROGRESS_PROP_MONTHLY] = g_param_spec_object ("monthly", NULL, NULL, TALLY_TYPE_QUOTA_WINDOW, flags);
  progress_properties[PROGRESS_PROP_SUBSCRIPTION] = g_param_spec_object ("subscription", NULL, NULL, TALLY_TYPE_SUBSCRIPTION, flags);

  g_object_class_install_properties (object_class, PROGRESS_N_PROPS, progress_properties);
}

static void
tally_subscription_progress_init (TallySubscriptionProgress *self)
{
  _tally_json_fields_init (progress_fields, G_N_ELEMENTS (progress_fields), self);
}

TallySubscriptionProgress *
_tally_subscription_progress_new_from_json (JsonNode *node,
                                            GError **error)
{
  g_autoptr (TallySubscriptionProgress) self = NULL;
  JsonObject *object;
  JsonObject *progress;
  JsonNode *member;

  if (!(object = _tally_json_node_get_object (node, PROGRESS_TYPE_NAME, error)))
    return NULL;

  member = json_object_get_member (object, "progress");
  if (!(progress = _tally_json_node_get_object (member, PROGRESS_TYPE_NAME, error)))
    return NULL;

  self = g_object_new (TALLY_TYPE_SUBSCRIPTION_PROGRESS, NULL);
  if (!_tally_json_fields_decode (progress_fields, G_N_ELEMENTS (progress_fields), progress,
                                  PROGRESS_TYPE_NAME, self, error))
    return NULL;

  for (guint i = 0; i < TALLY_QUOTA_N_PERIODS; i++)
    if (!_tally_json_decode_optional (progress, period_ids[i], PROGRESS_TYPE_NAME,
                                      (TallyItemFromJson) _tally_quota_window_new_from_json,
                                      (gpointer *) &self->windows[i], error))
      return NULL;

  member = json_object_get_member (object, "subscription");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE,
                   _ ("%s: “%s” %s"), _ (PROGRESS_TYPE_NAME), "subscription", _ ("is missing"));
      return NULL;
    }
  if (!(self->subscription = _tally_subscription_new_from_json (member, error)))
    {
      g_prefix_error (error, "%s: ", _ (PROGRESS_TYPE_NAME));
      return NULL;
    }

  return g_steal_pointer (&self);
}

gint64
tally_subscription_progress_get_id (TallySubscriptionProgress *self)
{
  g_return_val_if_fail (TALLY_IS_SUBSCRIPTION_PROGRESS (self), 0);

  return self->id;
}

const char *
tally_subscription_progress_get_group_name (TallySubscriptionProgress *self)
{
  g_return_val_if_fail (TALLY_IS_SUBSCRIPTION_PROGRESS (self), NULL);

  return self->group_name;
}

GDateTime *
tally_subscription_progress_get_expires_at (TallySubscriptionProgress *self)
{
  g_return_val_if_fail (TALLY_IS_SUBSCRIPTION_PROGRESS (self), NULL);

  return self->expires_at;
}

gint64
tally_subscription_progress_get_expires_in_days (TallySubscriptionProgress *self)
{
  g_return_val_if_fail (TALLY_IS_SUBSCRIPTION_PROGRESS (self), 0);

  return self->expires_in_days;
}

TallyQuotaWindow *
tally_subscription_progress_get_window (TallySubscriptionProgress *self,
                                        TallyQuotaPeriod period)
{
  g_return_val_if_fail (TALLY_IS_SUBSCRIPTION_PROGRESS (self), NULL);
  g_return_val_if_fail (period < TALLY_QUOTA_N_PERIODS, NULL);

  return self->windows[period];
}

TallySubscription *
tally_subscription_progress_get_subscription (TallySubscriptionProgress *self)
{
  g_return_val_if_fail (TALLY_IS_SUBSCRIPTION_PROGRESS (self), NULL);

  return self->subscription;
}

/* ------------------------------------------------------------------------ */
/* TallyPlatformQuota                                                       */

struct _TallyPlatformQuota
{
  GObject parent_instance;

  char *platform;
  double daily_usage_usd;
  double daily_limit_usd;
  GDateTime *daily_window_resets_at;
  double weekly_usage_usd;
  double weekly_limit_usd;
  GDateTime *weekly_window_resets_at;
  double monthly_usage_usd;
  double monthly_limit_usd;
  GDateTime *monthly_window_resets_at;
};

/* a null limit is none; its reset time is null then */
static const TallyField platform_fields[] = {
  TALLY_FIELD (TallyPlatformQuota, platform, STRING, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyPlatformQuota, daily_usage_usd, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyPlatformQuota, daily_limit_usd, DOUBLE_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyPlatformQuota, daily_window_resets_at, TIME, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyPlatformQuota, weekly_usage_usd, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyPlatformQuota, weekly_limit_usd, DOUBLE_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyPlatformQuota, weekly_window_resets_at, TIME, TALLY_FIELD_OPTIONAL),
  TALLY_FIELD (TallyPlatformQuota, monthly_usage_usd, DOUBLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyPlatformQuota, monthly_limit_usd, DOUBLE_NULLABLE, TALLY_FIELD_REQUIRED),
  TALLY_FIELD (TallyPlatformQuota, monthly_window_resets_at, TIME, TALLY_FIELD_OPTIONAL),
};

static const TallyJsonModel platform_json_model = { platform_fields, G_N_ELEMENTS (platform_fields), NULL, NULL };

TALLY_DEFINE_JSON_MODEL (TallyPlatformQuota, tally_platform_quota, platform_fields, &platform_json_model)

TallyPlatformQuota *
_tally_platform_quota_new_from_json (JsonNode *node,
                                     GError **error)
{
  return _tally_json_fields_new_object (TALLY_TYPE_PLATFORM_QUOTA, platform_fields, G_N_ELEMENTS (platform_fields),
                                        node, N_ ("platform quota"), error);
}

const char *
tally_platform_quota_get_platform (TallyPlatformQuota *self)
{
  g_return_val_if_fail (TALLY_IS_PLATFORM_QUOTA (self), NULL);

  return self->platform;
}

double
tally_platform_quota_get_usage_usd (TallyPlatformQuota *self,
                                    TallyQuotaPeriod period)
{
  g_return_val_if_fail (TALLY_IS_PLATFORM_QUOTA (self), NAN);
  g_return_val_if_fail (period < TALLY_QUOTA_N_PERIODS, NAN);

  return (double[]){ self->daily_usage_usd, self->weekly_usage_usd, self->monthly_usage_usd }[period];
}

double
tally_platform_quota_get_limit_usd (TallyPlatformQuota *self,
                                    TallyQuotaPeriod period)
{
  g_return_val_if_fail (TALLY_IS_PLATFORM_QUOTA (self), NAN);
  g_return_val_if_fail (period < TALLY_QUOTA_N_PERIODS, NAN);

  return (double[]){ self->daily_limit_usd, self->weekly_limit_usd, self->monthly_limit_usd }[period];
}

GDateTime *
tally_platform_quota_get_resets_at (TallyPlatformQuota *self,
                                    TallyQuotaPeriod period)
{
  g_return_val_if_fail (TALLY_IS_PLATFORM_QUOTA (self), NULL);
  g_return_val_if_fail (period < TALLY_QUOTA_N_PERIODS, NULL);

  return (GDateTime *[]){ self->daily_window_resets_at, self->weekly_window_resets_at, self->monthly_window_resets_at }[period];
}

/* ------------------------------------------------------------------------ */

GListModel *
_tally_json_decode_array (JsonNode *node,
                          const char *type_name,
                          GType item_type,
                          TallyItemFromJson item_func,
                          GError **error)
{
  g_autoptr (GListStore) store = g_list_store_new (item_type);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return G_LIST_MODEL (g_steal_pointer (&store));

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE, _ ("%s: not an array"), _ (type_name));
      return NULL;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr (GObject) item = item_func (json_array_get_element (array, i), error);

      if (item == NULL)
        {
          g_prefix_error (error, _ ("%s: item %u: "), _ (type_name), i);
          return NULL;
        }
      g_list_store_append (store, item);
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/* tally-month-budget.c: this month's billed cost, its forecast and the budget, for the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-month-budget"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-budget-store.h"
#include "tally-client-quotas.h"
#include "tally-client.h"
#include "tally-error.h"
#include "tally-models-private.h"
#include "tally-month-budget.h"
#include "tally-server-zone.h"
#include "tally-trend.h"
#include "tally-user.h"

struct _TallyMonthBudget
{
  GObject parent_instance;

  TallySession *session;
  GCancellable *cancellable;
  TallyForecast *forecast;
  GListModel *subscriptions;
  GCancellable *subscriptions_cancellable;
  double budget;
  char *error;
};

enum
{
  PROP_0,
  PROP_FORECAST,
  PROP_BUDGET,
  PROP_LOADING,
  PROP_ERROR,
  PROP_OVER,
  PROP_SUBSCRIPTIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TallyMonthBudget, tally_month_budget, G_TYPE_OBJECT)

/* The budget store's name of the session's account; FALSE without one. */
static gboolean
get_account (TallyMonthBudget *self,
             const char **server,
             const char **email)
{
  TallyClient *client;

  if (self->session == NULL || (client = tally_session_get_client (self->session)) == NULL)
    return FALSE;
  *email = tally_session_get_email (self->session);
  *server = tally_session_get_demo (self->session) ? TALLY_BUDGET_DEMO_SERVER : tally_client_get_base_url (client);
  return *email != NULL && *server != NULL;
}

static void
set_error (TallyMonthBudget *self,
           const char *error)
{
  _tally_set_string_notify (G_OBJECT (self), &self->error, error, properties[PROP_ERROR]);
}

static void
read_budget (TallyMonthBudget *self)
{
  g_autoptr (GError) error = NULL;
  const char *server;
  const char *email;
  double budget = 0;

  if (get_account (self, &server, &email) && !tally_budget_store_get (server, email, 0, &budget, &error))
    {
      budget = 0;
      if (error != NULL)
        set_error (self, error->message);
    }

  if (budget != self->budget)
    {
      self->budget = budget;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUDGET]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVER]);
    }
}

static void
set_forecast (TallyMonthBudget *self,
              TallyForecast *forecast)
{
  if (!g_set_object (&self->forecast, forecast))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORECAST]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVER]);
}

/* The account's first server day: days before it are no history. */
static char *
first_day (TallySession *session,
           const TallyServerZone *zone)
{
  TallyUser *user = tally_session_get_user (session);
  GDateTime *created = user != NULL ? tally_user_get_created_at (user) : NULL;

  if (created == NULL)
    return NULL;
  return tally_server_zone_today (zone, g_date_time_to_unix (created));
}

typedef struct
{
  TallyMonthBudget *self; /* weak: the cancellable says whether it matters */
  GCancellable *cancellable;
  char *today;
} Load;

static void
load_free (Load *load)
{
  g_object_unref (load->cancellable);
  g_free (load->today);
  g_free (load);
}

static void
trend_cb (GObject *object,
          GAsyncResult *result,
          gpointer user_data)
{
  Load *load = user_data;
  TallyMonthBudget *self = load->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (TallyTrend) trend = tally_client_get_trend_finish (TALLY_CLIENT (object), result, &error);
  g_autoptr (TallyServerZone) zone = NULL;
  g_autoptr (TallyForecast) forecast = NULL;
  g_autofree char *first = NULL;

  if (g_cancellable_is_cancelled (load->cancellable))
    {
      load_free (load);
      return;
    }

  g_object_freeze_notify (G_OBJECT (self));
  g_clear_object (&self->cancellable);
  if (trend == NULL)
    {
      set_error (self, error->message);
    }
  else
    {
      TallyServerZone *session_zone = tally_session_get_server_zone (self->session);

      zone = session_zone != NULL ? tally_server_zone_ref (session_zone)
                                  : tally_server_zone_new_offset (tally_session_get_utc_offset (self->session));
      first = first_day (self->session, zone);
      forecast = tally_forecast_new_from_trend (tally_trend_get_points (trend), load->today,
                                                tally_session_get_server_now (self->session), zone, first);
      set_error (self, NULL);
      set_forecast (self, forecast);
    }
  read_budget (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_object_thaw_notify (G_OBJECT (self));
  load_free (load);
}

static void
subscriptions_cb (GObject *object,
                  GAsyncResult *result,
                  gpointer user_data)
{
  g_autoptr (GCancellable) cancellable = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) list = tally_client_get_subscription_progress_finish (TALLY_CLIENT (object), result, &error);
  TallyMonthBudget *self;

  if (g_cancellable_is_cancelled (cancellable))
    return;
  self = g_object_get_data (G_OBJECT (cancellable), "tally-month-budget");
  g_clear_object (&self->subscriptions_cancellable);
  /* a failure keeps the last list; the forecast's error is what the card says */
  if (list == NULL)
    return;
  g_set_object (&self->subscriptions, list);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBSCRIPTIONS]);
}

static void
stop_subscriptions (TallyMonthBudget *self)
{
  if (self->subscriptions_cancellable != NULL)
    g_cancellable_cancel (self->subscriptions_cancellable);
  g_clear_object (&self->subscriptions_cancellable);
}

static void
load_subscriptions (TallyMonthBudget *self,
                    TallyClient *client)
{
  stop_subscriptions (self);
  self->subscriptions_cancellable = g_cancellable_new ();
  /* the cancellable carries the object: it is cancelled before that goes */
  g_object_set_data (G_OBJECT (self->subscriptions_cancellable), "tally-month-budget", self);
  tally_client_get_subscription_progress_async (client, self->subscriptions_cancellable, subscriptions_cb,
                                                g_object_ref (self->subscriptions_cancellable));
}

static void
cancel_load (TallyMonthBudget *self)
{
  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
tally_month_budget_reload (TallyMonthBudget *self)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  TallyClient *client;
  const char *today;
  Load *load;

  g_return_if_fail (TALLY_IS_MONTH_BUDGET (self));

  cancel_load (self);
  read_budget (self);
  if (self->session == NULL || tally_session_get_state (self->session) != TALLY_SESSION_STATE_READY)
    return;
  client = tally_session_get_client (self->session);
  today = tally_session_get_server_today (self->session);
  if (client == NULL || today == NULL || !tally_forecast_trend_range (today, &start, &end))
    return;

  self->cancellable = g_cancellable_new ();
  load = g_new0 (Load, 1);
  load->self = self;
  load->cancellable = g_object_ref (self->cancellable);
  load->today = g_strdup (today);
  tally_client_get_trend_async (client, start, end, TALLY_GRANULARITY_DAY, self->cancellable, trend_cb, load);
  load_subscriptions (self, client);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* A load that failed kept the session's last data: so do we. */
static void
session_reloaded_cb (TallyMonthBudget *self)
{
  if (tally_session_get_last_error (self->session) == NULL || self->forecast == NULL)
    tally_month_budget_reload (self);
}

static void
session_state_cb (TallyMonthBudget *self)
{
  if (tally_session_get_state (self->session) != TALLY_SESSION_STATE_LOGGED_OUT)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  cancel_load (self);
  stop_subscriptions (self);
  if (self->subscriptions != NULL)
    {
      g_clear_object (&self->subscriptions);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBSCRIPTIONS]);
    }
  set_forecast (self, NULL);
  set_error (self, NULL);
  read_budget (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/* ---------------------------------------------------------------- public */

TallyMonthBudget *
tally_month_budget_new (TallySession *session)
{
  TallyMonthBudget *self;

  g_return_val_if_fail (TALLY_IS_SESSION (session), NULL);

  self = g_object_new (TALLY_TYPE_MONTH_BUDGET, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "reloaded", G_CALLBACK (session_reloaded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::state", G_CALLBACK (session_state_cb), self, G_CONNECT_SWAPPED);
  tally_month_budget_reload (self);

  return self;
}

TallyForecast *
tally_month_budget_get_forecast (TallyMonthBudget *self)
{
  g_return_val_if_fail (TALLY_IS_MONTH_BUDGET (self), NULL);
  return self->forecast;
}

double
tally_month_budget_get_budget (TallyMonthBudget *self)
{
  g_return_val_if_fail (TALLY_IS_MONTH_BUDGET (self), 0);
  return self->budget;
}

gboolean
tally_month_budget_set_budget (TallyMonthBudget *self,
                               double usd,
                               GError **error)
{
  const char *server;
  const char *email;
  gboolean ok;

  g_return_val_if_fail (TALLY_IS_MONTH_BUDGET (self), FALSE);

  if (!get_account (self, &server, &email))
    {
      g_set_error_literal (error, TALLY_ERROR, TALLY_ERROR_IO, _ ("Log in to keep a budget for the account"));
      return FALSE;
    }
  ok = usd > 0 ? tally_budget_store_set (server, email, 0, usd, error)
               : tally_budget_store_clear (server, email, 0, error);
  read_budget (self);
  return ok;
}

GListModel *
tally_month_budget_get_subscriptions (TallyMonthBudget *self)
{
  g_return_val_if_fail (TALLY_IS_MONTH_BUDGET (self), NULL);
  return self->subscriptions;
}

gboolean
tally_month_budget_get_loading (TallyMonthBudget *self)
{
  g_return_val_if_fail (TALLY_IS_MONTH_BUDGET (self), FALSE);
  return self->cancellable != NULL;
}

const char *
tally_month_budget_get_error (TallyMonthBudget *self)
{
  g_return_val_if_fail (TALLY_IS_MONTH_BUDGET (self), NULL);
  return self->error;
}

gboolean
tally_month_budget_get_over (TallyMonthBudget *self)
{
  g_return_val_if_fail (TALLY_IS_MONTH_BUDGET (self), FALSE);
  return self->forecast != NULL && self->budget > 0 && tally_forecast_is_over (self->forecast, self->budget);
}

/* ---------------------------------------------------------------- GObject */

static void
tally_month_budget_dispose (GObject *object)
{
  TallyMonthBudget *self = TALLY_MONTH_BUDGET (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  stop_subscriptions (self);
  g_clear_object (&self->subscriptions);
  g_clear_object (&self->session);
  g_clear_object (&self->forecast);

  G_OBJECT_CLASS (tally_month_budget_parent_class)->dispose (object);
}

static void
tally_month_budget_finalize (GObject *object)
{
  TallyMonthBudget *self = TALLY_MONTH_BUDGET (object);

  g_free (self->error);

  G_OBJECT_CLASS (tally_month_budget_parent_class)->finalize (object);
}

static void
tally_month_budget_get_property (GObject *object,
                                 guint prop_id,
                                 GValue *value,
                                 GParamSpec *pspec)
{
  TallyMonthBudget *self = TALLY_MONTH_BUDGET (object);

  switch (prop_id)
    {
      case PROP_FORECAST:
        g_value_set_object (value, self->forecast);
        break;
      case PROP_BUDGET:
        g_value_set_double (value, self->budget);
        break;
      case PROP_LOADING:
        g_value_set_boolean (value, tally_month_budget_get_loading (self));
        break;
      case PROP_ERROR:
        g_value_set_string (value, self->error);
        break;
      case PROP_OVER:
        g_value_set_boolean (value, tally_month_budget_get_over (self));
        break;
      case PROP_SUBSCRIPTIONS:
        g_value_set_object (value, self->subscriptions);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_month_budget_class_init (TallyMonthBudgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tally_month_budget_dispose;
  object_class->finalize = tally_month_budget_finalize;
  object_class->get_property = tally_month_budget_get_property;

  properties[PROP_FORECAST] = g_param_spec_object ("forecast", NULL, NULL, TALLY_TYPE_FORECAST, ro);
  properties[PROP_BUDGET] = g_param_spec_double ("budget", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  properties[PROP_OVER] = g_param_spec_boolean ("over", NULL, NULL, FALSE, ro);
  properties[PROP_SUBSCRIPTIONS] = g_param_spec_object ("subscriptions", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tally_month_budget_init (TallyMonthBudget *self)
{
}

/* tally-alerts.c: the notifications that are due, each once per window or period and account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-alerts"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "tally-alerts.h"
#include "tally-api-key.h"
#include "tally-budget-store.h"
#include "tally-client.h"
#include "tally-format.h"
#include "tally-public-settings.h"
#include "tally-quota-format.h"
#include "tally-subscription.h"
#include "tally-user.h"

#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)
#define SENT_KEY "sent"

struct _TallyAlerts
{
  GObject parent_instance;

  TallySession *session;
  TallyMonthBudget *budget;
  double balance_threshold;

  guint first_check_id; /* the first check, after the caller connected */
};

enum
{
  SIGNAL_ALERT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TallyAlerts, tally_alerts, G_TYPE_OBJECT)

typedef struct
{
  char *id;
  char *title;
  char *body;
  const char *action;
  GVariant *target; /* floating until emitted */
} Alert;

static void
alert_free (Alert *alert)
{
  g_free (alert->id);
  g_free (alert->title);
  g_free (alert->body);
  g_clear_pointer (&alert->target, g_variant_unref);
  g_free (alert);
}

typedef struct
{
  const char *server;
  const char *email;
  GPtrArray *due;           /* Alert: sent unless already */
  GHashTable *quiet;        /* ids counted as sent without an alert */
  GHashTable *live;         /* ids whose window, key or period still runs */
  GPtrArray *keep_prefixes; /* ids of data not loaded: kept as they are */
} Check;

static void
add_alert (Check *check,
           char *id,
           char *title,
           char *body,
           const char *action,
           GVariant *target)
{
  Alert *alert = g_new0 (Alert, 1);

  alert->id = id;
  alert->title = title;
  alert->body = body;
  alert->action = action;
  alert->target = g_variant_ref_sink (target);
  g_hash_table_add (check->live, g_strdup (id));
  g_ptr_array_add (check->due, alert);
}

static GVariant *
dashboard_target (Check *check)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "server", g_variant_new_string (check->server));
  g_variant_builder_add (&builder, "{sv}", "email", g_variant_new_string (check->email));
  return g_variant_builder_end (&builder);
}

static GVariant *
key_target (TallyApiKey *key)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "key", g_variant_new_int64 (tally_api_key_get_id (key)));
  return g_variant_builder_end (&builder);
}

static char *
window_title (const char *name,
              TallyQuotaPeriod period,
              gboolean used_up,
              double percentage)
{
  switch (period)
    {
      case TALLY_QUOTA_DAILY:
        return used_up ? g_strdup_printf (_ ("%s: daily window used up"), name)
                       : g_strdup_printf (_ ("%s: daily window at %.0f %%"), name, percentage);
      case TALLY_QUOTA_WEEKLY:
        return used_up ? g_strdup_printf (_ ("%s: weekly window used up"), name)
                       : g_strdup_printf (_ ("%s: weekly window at %.0f %%"), name, percentage);
      case TALLY_QUOTA_MONTHLY:
      default:
        return used_up ? g_strdup_printf (_ ("%s: monthly window used up"), name)
                       : g_strdup_printf (_ ("%s: monthly window at %.0f %%"), name, percentage);
    }
}

static void
check_subscriptions (TallyAlerts *self,
                     Check *check)
{
  GListModel *list = tally_month_budget_get_subscriptions (self->budget);
  guint n;

  if (list == NULL)
    {
      /* not loaded (yet): what was sent stays */
      g_ptr_array_add (check->keep_prefixes, (gpointer) "window:");
      return;
    }

  n = g_list_model_get_n_items (list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallySubscriptionProgress) progress = g_list_model_get_item (list, i);
      const char *name = tally_subscription_progress_get_group_name (progress);
      gint64 id = tally_subscription_progress_get_id (progress);

      for (TallyQuotaPeriod period = 0; period < TALLY_QUOTA_N_PERIODS; period++)
        {
          TallyQuotaWindow *window = tally_subscription_progress_get_window (progress, period);
          GDateTime *start = window != NULL ? tally_quota_window_get_window_start (window) : NULL;
          g_autofree char *id80 = NULL;
          g_autofree char *id100 = NULL;
          g_autofree char *used = NULL;
          g_autofree char *limit = NULL;
          g_autofree char *resets = NULL;
          TallyQuotaState state;

          if (start == NULL)
            continue;
          id80 = g_strdup_printf ("window:%" G_GINT64_FORMAT ":%s:80:%" G_GINT64_FORMAT, id,
                                  tally_quota_period_get_id (period), g_date_time_to_unix (start));
          id100 = g_strdup_printf ("window:%" G_GINT64_FORMAT ":%s:100:%" G_GINT64_FORMAT, id,
                                   tally_quota_period_get_id (period), g_date_time_to_unix (start));
          g_hash_table_add (check->live, g_strdup (id80));
          g_hash_table_add (check->live, g_strdup (id100));

          state = tally_quota_window_get_state (window);
          if (state == TALLY_QUOTA_STATE_OK)
            continue;
          used = tally_format_cost (tally_quota_window_get_used_usd (window));
          limit = tally_format_cost (tally_quota_window_get_limit_usd (window));
          resets = tally_format_resets_in (tally_quota_window_get_resets_in_seconds (window));
          if (state == TALLY_QUOTA_STATE_USED_UP)
            g_hash_table_add (check->quiet, g_strdup (id80));
          add_alert (check, g_strdup (state == TALLY_QUOTA_STATE_USED_UP ? id100 : id80),
                     window_title (name != NULL && *name != '\0' ? name : _ ("Subscription"), period,
                                   state == TALLY_QUOTA_STATE_USED_UP,
                                   tally_quota_window_get_percentage (window)),
                     /* TRANSLATORS: "$42.10 of $50.00 · resets in 4 h 12 min" */
                     g_strdup_printf (_ ("%s of %s · %s"), used, limit, resets),
                     "app.show-dashboard", dashboard_target (check));
        }
    }
}

static void
check_keys (TallyAlerts *self,
            Check *check)
{
  GListModel *keys = tally_session_get_keys (self->session);
  gint64 now = tally_session_get_server_now (self->session);
  guint n = keys != NULL ? g_list_model_get_n_items (keys) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
      gint64 id = tally_api_key_get_id (key);
      const char *name = tally_api_key_get_name (key);
      GDateTime *expires_at = tally_api_key_get_expires_at (key);
      g_autofree char *id80 = g_strdup_printf ("key-quota:%" G_GINT64_FORMAT ":80", id);
      g_autofree char *id100 = g_strdup_printf ("key-quota:%" G_GINT64_FORMAT ":100", id);
      TallyQuotaState state = tally_api_key_get_quota_state (key);

      g_hash_table_add (check->live, g_strdup (id80));
      g_hash_table_add (check->live, g_strdup (id100));
      if (state != TALLY_QUOTA_STATE_OK)
        {
          gboolean used_up = state == TALLY_QUOTA_STATE_USED_UP;
          double quota = tally_api_key_get_quota (key);
          double quota_used = tally_api_key_get_quota_used (key);
          g_autofree char *used = tally_format_cost (isfinite (quota_used) ? quota_used : 0);
          g_autofree char *limit = tally_format_cost (isfinite (quota) ? quota : 0);

          if (used_up)
            g_hash_table_add (check->quiet, g_strdup (id80));
          add_alert (check, g_strdup (used_up ? id100 : id80),
                     used_up ? g_strdup_printf (_ ("Key “%s” has used up its quota"), name)
                             : g_strdup_printf (_ ("Key “%s” at %.0f %% of its quota"), name,
                                                floor (quota_used / quota * 100)),
                     /* TRANSLATORS: "$45.00 of $50.00 used" */
                     g_strdup_printf (_ ("%s of %s used"), used, limit), "app.show-usage", key_target (key));
        }

      if (expires_at != NULL && g_strcmp0 (tally_api_key_get_status (key), "expired") != 0)
        {
          gint64 expiry = g_date_time_to_unix (expires_at);
          gint64 left = expiry - now;
          char *id_expiry = g_strdup_printf ("key-expiry:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, id, expiry);

          if (left > 0 && left <= TALLY_ALERTS_EXPIRY_DAYS * SECONDS_PER_DAY)
            {
              guint days = (guint) (left / SECONDS_PER_DAY);

              add_alert (check, id_expiry, g_strdup_printf (_ ("Key “%s” expires soon"), name),
                         days == 0 ? g_strdup (_ ("It stops working today."))
                                   : g_strdup_printf (ngettext ("It stops working in %u day.",
                                                                "It stops working in %u days.", days),
                                                      days),
                         "app.show-usage", key_target (key));
            }
          else
            {
              g_hash_table_add (check->live, id_expiry);
            }
        }
    }
}

/* ---------------------------------------------------------------- settings */

/* The server's low-balance threshold from the /settings/public the session
 * read; 0 when the server does not warn (or the settings are not known). */
static double
server_threshold (TallyAlerts *self)
{
  TallyPublicSettings *settings = tally_session_get_public_settings (self->session);
  double threshold;

  if (settings == NULL || !tally_public_settings_get_balance_low_notify_enabled (settings))
    return 0;
  threshold = tally_public_settings_get_balance_low_notify_threshold (settings);
  return isfinite (threshold) && threshold > 0 ? threshold : 0;
}

static void
check_balance (TallyAlerts *self,
               Check *check)
{
  TallyUser *user = tally_session_get_user (self->session);
  double threshold;
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *limit = NULL;
  g_autofree char *left = NULL;

  if (!tally_alerts_get_settings_known (self) || user == NULL)
    {
      g_ptr_array_add (check->keep_prefixes, (gpointer) "balance:");
      return;
    }
  threshold = server_threshold (self);
  if (threshold <= 0)
    threshold = self->balance_threshold;
  if (threshold <= 0 || !(tally_user_get_balance (user) < threshold))
    return; /* a balance back above the threshold re-arms it */

  limit = tally_format_cost (threshold);
  left = tally_format_cost (tally_user_get_balance (user));
  add_alert (check, g_strconcat ("balance:", g_ascii_formatd (buffer, sizeof buffer, "%.2f", threshold), NULL),
             g_strdup_printf (_ ("Balance below %s"), limit),
             /* TRANSLATORS: "someone@example.com has $3.20 left" */
             g_strdup_printf (_ ("%s has %s left"), check->email, left),
             "app.show-dashboard", dashboard_target (check));
}

static void
check_budget (TallyAlerts *self,
              Check *check)
{
  TallyForecast *forecast = tally_month_budget_get_forecast (self->budget);
  double budget = tally_month_budget_get_budget (self->budget);
  const char *month_start;
  g_autofree char *id = NULL;
  g_autofree char *pace = NULL;
  g_autofree char *limit = NULL;

  if (forecast == NULL)
    {
      g_ptr_array_add (check->keep_prefixes, (gpointer) "budget:");
      return;
    }
  month_start = tally_forecast_get_month_start (forecast);
  if (budget <= 0 || month_start == NULL || strlen (month_start) < 7)
    return;
  id = g_strdup_printf ("budget:%.7s", month_start);
  g_hash_table_add (check->live, g_strdup (id));
  if (!tally_month_budget_get_over (self->budget))
    return;

  pace = tally_format_cost (tally_forecast_get_forecast (forecast));
  limit = tally_format_cost (budget);
  add_alert (check, g_steal_pointer (&id),
             tally_forecast_get_month_to_date (forecast) > budget
                 ? g_strdup_printf (_ ("%s is over the monthly budget"), check->email)
                 : g_strdup_printf (_ ("%s is on pace to go over the monthly budget"), check->email),
             /* TRANSLATORS: "On pace for $412.00 of $300.00 this month" */
             g_strdup_printf (_ ("On pace for %s of %s this month"), pace, limit),
             "app.show-dashboard", dashboard_target (check));
}

/* ---------------------------------------------------------------- memory */

char *
tally_alerts_get_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "tally", "alerts.ini", NULL);
}

static gboolean
is_kept (Check *check,
         const char *id)
{
  if (g_hash_table_contains (check->live, id))
    return TRUE;
  for (guint i = 0; i < check->keep_prefixes->len; i++)
    if (g_str_has_prefix (id, g_ptr_array_index (check->keep_prefixes, i)))
      return TRUE;
  return FALSE;
}

static void
save (GKeyFile *file,
      const char *group,
      GPtrArray *sent)
{
  g_autofree char *path = tally_alerts_get_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  g_autoptr (GError) error = NULL;
  gsize length;

  if (sent->len == 0)
    g_key_file_remove_group (file, group, NULL);
  else
    g_key_file_set_string_list (file, group, SENT_KEY, (const char *const *) sent->pdata, sent->len);
  data = g_key_file_to_data (file, &length, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0
      || !g_file_set_contents_full (path, data, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_warning ("Could not remember the alerts sent in %s: %s", path,
               error != NULL ? error->message : g_strerror (errno));
}

static void
check_now (TallyAlerts *self)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autofree char *path = NULL;
  g_autofree char *group = NULL;
  g_auto (GStrv) sent = NULL;
  g_autoptr (GHashTable) was_sent = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) now_sent = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) fresh = g_ptr_array_new ();
  g_autoptr (GPtrArray) due = g_ptr_array_new_with_free_func ((GDestroyNotify) alert_free);
  g_autoptr (GHashTable) quiet = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) keep_prefixes = g_ptr_array_new ();
  g_autoptr (GHashTable) added = g_hash_table_new (g_str_hash, g_str_equal);
  TallyClient *client = tally_session_get_client (self->session);
  GHashTableIter iter;
  gpointer id;
  gboolean changed = FALSE;
  Check check = { 0 };

  if (tally_session_get_state (self->session) != TALLY_SESSION_STATE_READY || client == NULL
      || tally_session_get_email (self->session) == NULL)
    return;

  check.server = tally_session_get_demo (self->session) ? TALLY_BUDGET_DEMO_SERVER : tally_client_get_base_url (client);
  check.email = tally_session_get_email (self->session);
  check.due = due;
  check.quiet = quiet;
  check.live = live;
  check.keep_prefixes = keep_prefixes;
  check_subscriptions (self, &check);
  check_keys (self, &check);
  check_balance (self, &check);
  check_budget (self, &check);

  path = tally_alerts_get_path ();
  group = g_strdup_printf ("%s %s", check.server, check.email);
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, NULL))
    g_key_file_remove_group (file, group, NULL); /* a missing or broken file: nothing sent */
  sent = g_key_file_get_string_list (file, group, SENT_KEY, NULL, NULL);

  /* what stays: what was sent and still runs (or is not loaded) */
  for (guint i = 0; sent != NULL && sent[i] != NULL; i++)
    {
      g_hash_table_add (was_sent, sent[i]);
      if (is_kept (&check, sent[i]) && g_hash_table_add (added, sent[i]))
        g_ptr_array_add (now_sent, g_strdup (sent[i]));
      else
        changed = TRUE;
    }
  for (guint i = 0; i < due->len; i++)
    {
      Alert *alert = g_ptr_array_index (due, i);

      if (g_hash_table_contains (was_sent, alert->id) || g_hash_table_contains (added, alert->id))
        continue;
      g_ptr_array_add (now_sent, g_strdup (alert->id));
      g_hash_table_add (added, alert->id);
      g_ptr_array_add (fresh, alert);
      changed = TRUE;
    }
  g_hash_table_iter_init (&iter, quiet);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    if (!g_hash_table_contains (was_sent, id) && g_hash_table_add (added, id))
      {
        g_ptr_array_add (now_sent, g_strdup (id));
        changed = TRUE;
      }

  if (changed)
    save (file, group, now_sent);

  for (guint i = 0; i < fresh->len; i++)
    {
      Alert *alert = g_ptr_array_index (fresh, i);

      g_signal_emit (self, signals[SIGNAL_ALERT], 0, alert->id, alert->title, alert->body, alert->action,
                     alert->target);
    }
}

static void
data_changed_cb (TallyAlerts *self)
{
  check_now (self);
}

static gboolean
first_check_cb (gpointer data)
{
  TallyAlerts *self = data;

  self->first_check_id = 0;
  check_now (self);
  return G_SOURCE_REMOVE;
}

/* ---------------------------------------------------------------- public */

TallyAlerts *
tally_alerts_new (TallySession *session,
                  TallyMonthBudget *budget)
{
  TallyAlerts *self;

  g_return_val_if_fail (TALLY_IS_SESSION (session), NULL);
  g_return_val_if_fail (TALLY_IS_MONTH_BUDGET (budget), NULL);

  self = g_object_new (TALLY_TYPE_ALERTS, NULL);
  self->session = g_object_ref (session);
  self->budget = g_object_ref (budget);
  g_signal_connect_object (session, "reloaded", G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (budget, "notify::subscriptions", G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (budget, "notify::forecast", G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (budget, "notify::budget", G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);
  /* the first check: never before the caller connects to "alert" */
  self->first_check_id = g_idle_add (first_check_cb, self);

  return self;
}

void
tally_alerts_set_balance_threshold (TallyAlerts *self,
                                    double usd)
{
  g_return_if_fail (TALLY_IS_ALERTS (self));
  g_return_if_fail (isfinite (usd) && usd >= 0);

  if (self->balance_threshold == usd)
    return;
  self->balance_threshold = usd;
  check_now (self);
}

double
tally_alerts_get_balance_threshold (TallyAlerts *self)
{
  g_return_val_if_fail (TALLY_IS_ALERTS (self), 0);
  return self->balance_threshold;
}

gboolean
tally_alerts_get_settings_known (TallyAlerts *self)
{
  g_return_val_if_fail (TALLY_IS_ALERTS (self), FALSE);
  /* a finished load read /settings/public, or it failed: then the user's
   * threshold applies */
  return tally_session_get_public_settings (self->session) != NULL
         || tally_session_get_state (self->session) == TALLY_SESSION_STATE_READY;
}

void
tally_alerts_check (TallyAlerts *self)
{
  g_return_if_fail (TALLY_IS_ALERTS (self));
  data_changed_cb (self);
}

/* ---------------------------------------------------------------- GObject */

static void
tally_alerts_dispose (GObject *object)
{
  TallyAlerts *self = TALLY_ALERTS (object);

  g_clear_handle_id (&self->first_check_id, g_source_remove);
  g_clear_object (&self->budget);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (tally_alerts_parent_class)->dispose (object);
}

static void
tally_alerts_class_init (TallyAlertsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tally_alerts_dispose;

  signals[SIGNAL_ALERT] = g_signal_new ("alert", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 5, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                        G_TYPE_VARIANT);
}

static void
tally_alerts_init (TallyAlerts *self)
{
}

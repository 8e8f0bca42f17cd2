/* tally-cli-budget.c: `tally budget`, the month so far against a budget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `tally budget --set AMOUNT [--key ID|NAME]` and `--clear [--key …]` keep a
 * monthly budget for the account (tally-budget-store.h); `tally budget
 * [--json]` prints the month-to-date billed cost of the server's calendar
 * month, the budget, the month-end forecast (tally-forecast.h) and its
 * method, for the account and every key with a budget. For cron: the exit
 * status is TALLY_CLI_EXIT_OVER_BUDGET (5) when a month-to-date or a
 * forecast is over its budget, or a subscription window or a key quota is
 * used up (budget_collect_limits()); 0 otherwise.
 *
 * "Now" is the server's: ours plus the skew of its Date header, or the
 * frozen clock of an in-process demo; held inside the server's today.
 */

#define G_LOG_DOMAIN "tally-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "tally-api-key.h"
#include "tally-budget-store.h"
#include "tally-client-quotas.h"
#include "tally-demo-backend.h"
#include "tally-forecast.h"
#include "tally-format.h"
#include "tally-model-json.h"
#include "tally-quota-format.h"
#include "tally-server-zone.h"
#include "tally-trend.h"
#include "tally-usage-stats.h"
#include "tally-usage-totals.h"
#include "tally-user.h"

#include "tally-cli-private.h"

/* The account as budgets.ini names it. */
typedef struct
{
  char *server;
  char *email;
  GDateTime *created_at; /* borrowed from the user */
  TallyUser *user;
} Account;

static void
account_clear (Account *account)
{
  g_clear_pointer (&account->server, g_free);
  g_clear_pointer (&account->email, g_free);
  g_clear_object (&account->user);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Account, account_clear)

static gboolean
learn_account (Cli *cli,
               Account *account,
               GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  tally_client_get_me_async (cli->client, NULL, tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  account->user = tally_client_get_me_finish (cli->client, result, error);
  if (account->user == NULL)
    return FALSE;

  /* the demo listens on another port every run: one account for all of them */
  account->server = g_strdup (cli->demo_server != NULL ? TALLY_BUDGET_DEMO_SERVER
                                                       : tally_client_get_base_url (cli->client));
  account->email = g_strdup (tally_user_get_email (account->user));
  account->created_at = tally_user_get_created_at (account->user);
  return TRUE;
}

/* The key of --key, by id (already in the query) or by name. */
static int
budget_key_id (Cli *cli,
               gint64 *key_id)
{
  int status;

  *key_id = 0;
  if (cli->key_text == NULL)
    return TALLY_CLI_EXIT_OK;

  status = tally_cli_resolve_key (cli);
  if (status != TALLY_CLI_EXIT_OK)
    return status;
  *key_id = tally_usage_query_get_api_key_id (cli->query);
  return TALLY_CLI_EXIT_OK;
}

static int
fail_store (const GError *error)
{
  tally_cli_print_error ("%s", error->message);
  return TALLY_CLI_EXIT_IO;
}

/* ------------------------------------------------------- --set, --clear */

static int
run_change (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_auto (Account) account = { 0 };
  g_autoptr (GString) out = g_string_new (NULL);
  gint64 key_id = 0;
  double usd = 0;
  int status;

  /* checked by tally_cli_validate_budget() */
  if (cli->budget_set != NULL && !tally_budget_parse_amount (cli->budget_set, &usd))
    g_assert_not_reached ();

  status = budget_key_id (cli, &key_id);
  if (status != TALLY_CLI_EXIT_OK)
    return status;
  if (!learn_account (cli, &account, &error))
    return tally_cli_fail_with_error (cli, error);

  if (cli->budget_set != NULL)
    {
      g_autofree char *amount = tally_format_cost (usd);

      if (!tally_budget_store_set (account.server, account.email, key_id, usd, &error))
        return fail_store (error);
      if (key_id != 0)
        /* Translators: "Budget of API key 12: $50.00 a month" */
        g_string_append_printf (out, _ ("Budget of API key %" PRId64 ": %s a month\n"), key_id, amount);
      else
        /* Translators: "Budget of alice@example.com: $300.00 a month" */
        g_string_append_printf (out, _ ("Budget of %s: %s a month\n"), account.email, amount);
    }
  else
    {
      if (!tally_budget_store_clear (account.server, account.email, key_id, &error))
        return fail_store (error);
      if (key_id != 0)
        g_string_append_printf (out, _ ("No budget for API key %" PRId64 "\n"), key_id);
      else
        g_string_append_printf (out, _ ("No budget for %s\n"), account.email);
    }

  return tally_cli_write_and_close (cli, out);
}

/* -------------------------------------------------------------- limits */

/* A limit that bears on the exit status besides the budgets. */
typedef struct
{
  char *name; /* plain text: "Pro plan · daily", "API key 12 · quota" */
  double used_usd;
  double limit_usd;
  gboolean used_up;
} BudgetLimit;

static void
budget_limit_free (BudgetLimit *limit)
{
  g_free (limit->name);
  g_free (limit);
}

static void
add_limit (GPtrArray *limits,
           char *name,
           double used,
           double limit,
           gboolean used_up)
{
  BudgetLimit *item = g_new0 (BudgetLimit, 1);

  item->name = name;
  item->used_usd = used;
  item->limit_usd = limit;
  item->used_up = used_up;
  g_ptr_array_add (limits, item);
}

/* The limits besides the budgets: every window of every subscription
 * (GET /subscriptions/progress), used up as the server measured it, and the
 * quota of every key that has one (newer servers), used up at 100 % or with
 * the status quota_exhausted. */
static GPtrArray *
budget_collect_limits (Cli *cli,
                       GError **error)
{
  g_autoptr (GPtrArray) limits = g_ptr_array_new_with_free_func ((GDestroyNotify) budget_limit_free);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GAsyncResult) keys_result = NULL;
  g_autoptr (GListModel) progress = NULL;
  g_autoptr (GListModel) keys = NULL;
  GAsyncResult *slot = NULL;

  tally_client_get_subscription_progress_async (cli->client, NULL, tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  progress = tally_client_get_subscription_progress_finish (cli->client, result, error);
  if (progress == NULL)
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (progress); i++)
    {
      g_autoptr (TallySubscriptionProgress) item = g_list_model_get_item (progress, i);

      for (TallyQuotaPeriod period = 0; period < TALLY_QUOTA_N_PERIODS; period++)
        {
          TallyQuotaWindow *window = tally_subscription_progress_get_window (item, period);

          if (window == NULL)
            continue;
          /* Translators: a subscription window: "Claude Max · Daily" */
          add_limit (limits, g_strdup_printf (_ ("%s · %s"), tally_subscription_progress_get_group_name (item), tally_quota_period_get_title (period)),
                     tally_quota_window_get_used_usd (window), tally_quota_window_get_limit_usd (window),
                     tally_quota_window_get_state (window) == TALLY_QUOTA_STATE_USED_UP);
        }
    }

  tally_client_list_all_keys_async (cli->client, NULL, tally_cli_store_result_cb, &slot);
  keys_result = tally_cli_wait_result (&slot);
  keys = tally_client_list_all_keys_finish (cli->client, keys_result, error);
  if (keys == NULL)
    return NULL;
  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);

      if (!tally_api_key_has_quota (key) || !(tally_api_key_get_quota (key) > 0))
        continue;
      /* Translators: a key's quota: "ci-runner · quota" */
      add_limit (limits, g_strdup_printf (_ ("%s · quota"), tally_api_key_get_name (key)),
                 tally_api_key_get_quota_used (key), tally_api_key_get_quota (key),
                 tally_api_key_get_quota_state (key) == TALLY_QUOTA_STATE_USED_UP);
    }

  return g_steal_pointer (&limits);
}

/* --------------------------------------------------------------- report */

/* One budget and how the month goes for it. */
typedef struct
{
  gint64 key_id; /* 0: the account */
  char *name;    /* a key's name ("" when the key is gone) */
  gboolean has_budget;
  double budget;
  TallyForecast *forecast;
} BudgetLine;

static void
budget_line_free (BudgetLine *line)
{
  g_free (line->name);
  g_clear_object (&line->forecast);
  g_free (line);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BudgetLine, budget_line_free)

static gboolean
budget_line_is_over (BudgetLine *line)
{
  return line->has_budget && tally_forecast_is_over (line->forecast, line->budget);
}

/* The server's now (tally-cli-budget.c's top). */
static gint64
server_now (Cli *cli)
{
  if (cli->demo_server != NULL && tally_demo_backend_get_now (TALLY_DEMO_BACKEND (cli->demo_server)) > 0)
    return tally_demo_backend_get_now (TALLY_DEMO_BACKEND (cli->demo_server));

  return g_get_real_time () / G_USEC_PER_SEC + tally_client_get_clock_skew (cli->client);
}

/* The account's first server day, NULL when unknown. */
static char *
first_day (const Account *account,
           const TallyServerZone *zone)
{
  if (account->created_at == NULL)
    return NULL;
  if (zone != NULL)
    return tally_server_zone_today (zone, g_date_time_to_unix (account->created_at));
  return g_date_time_format (account->created_at, "%Y-%m-%d");
}

static TallyUsageStats *
key_totals (Cli *cli,
            gint64 key_id,
            const char *start,
            const char *end,
            GError **error)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  tally_usage_query_set_api_key_id (query, key_id);
  if (!tally_usage_query_set_range (query, start, end, error))
    return NULL;
  tally_usage_totals_async (cli->client, query, NULL, NULL, NULL, NULL, tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  return tally_usage_totals_finish (result, error);
}

/* A key's month so far and its last full days, from /usage/stats of the key
 * (the trend cannot be filtered by key on a December 2025 server). */
static TallyForecast *
key_forecast (Cli *cli,
              gint64 key_id,
              TallyForecast *account,
              gint64 now,
              const TallyServerZone *zone,
              const char *first,
              GError **error)
{
  const char *today = tally_forecast_get_today (account);
  g_autoptr (TallyUsageStats) month = NULL;
  g_autoptr (TallyUsageStats) history = NULL;
  g_autofree char *history_start = NULL;
  g_autofree char *history_end = NULL;
  double history_cost = 0;

  month = key_totals (cli, key_id, tally_forecast_get_month_start (account), today, error);
  if (month == NULL)
    return NULL;
  if (tally_forecast_history_range (today, first, &history_start, &history_end) > 0)
    {
      history = key_totals (cli, key_id, history_start, history_end, error);
      if (history == NULL)
        return NULL;
      history_cost = tally_usage_stats_get_total_actual_cost (history);
    }

  return tally_forecast_new_from_totals (tally_usage_stats_get_total_actual_cost (month), history_cost, today, now,
                                         zone, first);
}

/* "alpha" for key 12, "" for a key the server no longer lists. */
static char *
key_name (GListModel *keys,
          gint64 key_id)
{
  guint n = keys != NULL ? g_list_model_get_n_items (keys) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);

      if (tally_api_key_get_id (key) == key_id)
        return g_strdup (tally_api_key_get_name (key));
    }
  return g_strdup ("");
}

static void
append_json_number (GString *out,
                    const char *name,
                    double value)
{
  g_autofree char *text = tally_format_number_exact (value);

  g_string_append_printf (out, ",\"%s\":%s", name, text);
}

static void
append_json_line (GString *out,
                  BudgetLine *line)
{
  TallyForecast *forecast = line->forecast;

  g_string_append (out, "\"budget\":");
  if (line->has_budget)
    {
      g_autofree char *budget = tally_format_number_exact (line->budget);

      g_string_append (out, budget);
    }
  else
    g_string_append (out, "null");
  append_json_number (out, "month_to_date", tally_forecast_get_month_to_date (forecast));
  append_json_number (out, "daily_rate", tally_forecast_get_daily_rate (forecast));
  append_json_number (out, "forecast", tally_forecast_get_forecast (forecast));
  g_string_append_printf (out, ",\"over_budget\":%s", budget_line_is_over (line) ? "true" : "false");
}

static void
append_json (Account *account,
             BudgetLine *total,
             GPtrArray *key_lines,
             GPtrArray *limits,
             GString *out)
{
  TallyForecast *forecast = total->forecast;
  g_autofree char *method = tally_forecast_describe_method (forecast);

  g_string_append (out, "{\"server\":");
  tally_model_json_append_string (out, account->server);
  g_string_append (out, ",\"email\":");
  tally_model_json_append_string (out, account->email);
  g_string_append (out, ",\"server_date\":");
  tally_model_json_append_string (out, tally_forecast_get_today (forecast));
  g_string_append (out, ",\"month_start\":");
  tally_model_json_append_string (out, tally_forecast_get_month_start (forecast));
  g_string_append (out, ",\"month_end\":");
  tally_model_json_append_string (out, tally_forecast_get_month_end (forecast));
  append_json_number (out, "today_elapsed", tally_forecast_get_today_elapsed (forecast));
  g_string_append_printf (out, ",\"days_left\":%u", tally_forecast_get_days_left (forecast));
  append_json_number (out, "remaining_days", tally_forecast_get_remaining_days (forecast));
  g_string_append_printf (out, ",\"history_days\":%u", tally_forecast_get_history_days (forecast));
  g_string_append_printf (out, ",\"enough_history\":%s", tally_forecast_get_enough_history (forecast) ? "true" : "false");
  g_string_append (out, ",\"method\":");
  tally_model_json_append_string (out, method);
  g_string_append_c (out, ',');
  append_json_line (out, total);

  g_string_append (out, ",\"keys\":[");
  for (guint i = 0; i < key_lines->len; i++)
    {
      BudgetLine *line = g_ptr_array_index (key_lines, i);

      g_string_append_printf (out, "%s{\"api_key_id\":%" G_GINT64_FORMAT ",\"name\":", i > 0 ? "," : "", line->key_id);
      tally_model_json_append_string (out, line->name);
      g_string_append_c (out, ',');
      append_json_line (out, line);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "],\"limits\":[");
  for (guint i = 0; i < limits->len; i++)
    {
      BudgetLimit *limit = g_ptr_array_index (limits, i);

      g_string_append (out, i > 0 ? ",{\"name\":" : "{\"name\":");
      tally_model_json_append_string (out, limit->name);
      append_json_number (out, "used_usd", limit->used_usd);
      append_json_number (out, "limit_usd", limit->limit_usd);
      g_string_append_printf (out, ",\"used_up\":%s}", limit->used_up ? "true" : "false");
    }
  g_string_append (out, "]}\n");
}

/* "On pace for $412.00 of $300.00", "Over budget: …", "No budget set" */
static char *
describe_pace (BudgetLine *line)
{
  g_autofree char *forecast = tally_format_cost (tally_forecast_get_forecast (line->forecast));
  g_autofree char *budget = NULL;

  if (!line->has_budget)
    /* Translators: the month-end forecast without a budget: "On pace for $412.00" */
    return g_strdup_printf (_ ("On pace for %s"), forecast);

  budget = tally_format_cost (line->budget);
  /* Translators: the month-end forecast and the monthly budget: "On pace for $412.00 of $300.00" */
  return g_strdup_printf (_ ("On pace for %s of %s"), forecast, budget);
}

static const char *
describe_state (BudgetLine *line)
{
  if (!line->has_budget)
    return _ ("no budget");
  if (tally_forecast_get_month_to_date (line->forecast) > line->budget)
    return _ ("over budget");
  if (budget_line_is_over (line))
    return _ ("on pace to go over");
  return _ ("within budget");
}

static void
append_table (Account *account,
              BudgetLine *total,
              GPtrArray *key_lines,
              GPtrArray *limits,
              GString *out)
{
  TallyForecast *forecast = total->forecast;
  g_autoptr (Table) head = tally_cli_table_new (2, 0);
  g_autofree char *account_text = NULL;
  g_autofree char *month = NULL;
  g_autofree char *billed = tally_format_cost (tally_forecast_get_month_to_date (forecast));
  g_autofree char *budget = NULL;
  g_autofree char *pace = describe_pace (total);
  g_autofree char *method = tally_forecast_describe_method (forecast);
  guint days_left = tally_forecast_get_days_left (forecast);

  /* Translators: "alice@example.com on https://api.example.com" */
  account_text = g_strdup_printf (_ ("%s on %s"), account->email, account->server);
  /* Translators: "2026-01-01 to 2026-01-15, 16 days left" (server days) */
  month = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s to %s, %u day left", "%s to %s, %u days left", days_left),
                           tally_forecast_get_month_start (forecast), tally_forecast_get_today (forecast), days_left);
  budget = total->has_budget ? tally_format_cost (total->budget)
                             : g_strdup (_ ("none (set one with `tally budget --set AMOUNT`)"));

  tally_cli_table_add_row (head, _ ("Account"), account_text);
  tally_cli_table_add_row (head, _ ("This month"), month);
  tally_cli_table_add_row (head, _ ("Billed so far"), billed);
  tally_cli_table_add_row (head, _ ("Budget"), budget);
  tally_cli_table_add_row (head, _ ("Forecast"), pace);
  tally_cli_table_add_row (head, _ ("Status"), describe_state (total));
  tally_cli_table_add_row (head, _ ("Method"), method);
  tally_cli_table_render (head, out);

  if (key_lines->len > 0)
    {
      g_autoptr (Table) keys = tally_cli_table_new (5, 0xe);

      g_string_append_c (out, '\n');
      tally_cli_table_add_row (keys, _ ("API key"), _ ("Billed so far"), _ ("Budget"), _ ("Forecast"), _ ("Status"));
      for (guint i = 0; i < key_lines->len; i++)
        {
          BudgetLine *line = g_ptr_array_index (key_lines, i);
          g_autofree char *name = NULL;
          g_autofree char *key_billed = tally_format_cost (tally_forecast_get_month_to_date (line->forecast));
          g_autofree char *key_budget = tally_format_cost (line->budget);
          g_autofree char *key_forecast = tally_format_cost (tally_forecast_get_forecast (line->forecast));
          g_autofree char *clean = tally_cli_sanitize (line->name);

          if (line->name[0] != '\0')
            /* Translators: an API key: "alpha (12)" */
            name = g_strdup_printf (_ ("%s (%" PRId64 ")"), clean, line->key_id);
          else
            /* Translators: an API key the server no longer lists */
            name = g_strdup_printf (_ ("deleted key (%" PRId64 ")"), line->key_id);
          tally_cli_table_add_row (keys, name, key_billed, key_budget, key_forecast, describe_state (line));
        }
      tally_cli_table_render (keys, out);
    }

  if (limits->len > 0)
    {
      g_autoptr (Table) table = tally_cli_table_new (3, 0x6);

      g_string_append_c (out, '\n');
      tally_cli_table_add_row (table, _ ("Limit"), _ ("Used"), _ ("Of"));
      for (guint i = 0; i < limits->len; i++)
        {
          BudgetLimit *limit = g_ptr_array_index (limits, i);
          g_autofree char *clean = tally_cli_sanitize (limit->name);
          g_autofree char *used = tally_format_cost (limit->used_usd);
          g_autofree char *of = tally_format_cost (limit->limit_usd);

          tally_cli_table_add_row (table, clean, used, of);
        }
      tally_cli_table_render (table, out);
    }
}

static int
run_report (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_auto (Account) account = { 0 };
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyTrend) trend = NULL;
  g_autoptr (TallyServerZone) zone = NULL;
  g_autoptr (BudgetLine) total = g_new0 (BudgetLine, 1);
  g_autoptr (GPtrArray) key_lines = g_ptr_array_new_with_free_func ((GDestroyNotify) budget_line_free);
  g_autoptr (GPtrArray) limits = NULL;
  g_autoptr (GArray) key_budgets = NULL;
  g_autoptr (GListModel) keys = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *today = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *first = NULL;
  GAsyncResult *slot = NULL;
  gboolean over = FALSE;
  gint64 now;
  int status;

  if (!learn_account (cli, &account, &error))
    return tally_cli_fail_with_error (cli, error);
  today = tally_cli_learn_server_today (cli, &error);
  if (today == NULL)
    return tally_cli_fail_with_error (cli, error);
  zone = tally_cli_learn_server_zone (cli);
  now = server_now (cli);
  first = first_day (&account, zone);

  /* the month so far and the full days before today, one bucket a day */
  tally_forecast_trend_range (today, &start, &end);
  tally_client_get_trend_async (cli->client, start, end, TALLY_GRANULARITY_DAY, NULL, tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  trend = tally_client_get_trend_finish (cli->client, result, &error);
  if (trend == NULL)
    return tally_cli_fail_with_error (cli, error);
  total->forecast = tally_forecast_new_from_trend (tally_trend_get_points (trend), today, now, zone, first);
  total->name = g_strdup ("");
  if (!tally_budget_store_get (account.server, account.email, 0, &total->budget, &error) && error != NULL)
    return fail_store (error);
  total->has_budget = total->budget > 0;
  over |= budget_line_is_over (total);

  key_budgets = tally_budget_store_list_keys (account.server, account.email, &error);
  if (key_budgets == NULL)
    return fail_store (error);
  if (key_budgets->len > 0)
    {
      g_clear_object (&result);
      tally_client_list_all_keys_async (cli->client, NULL, tally_cli_store_result_cb, &slot);
      result = tally_cli_wait_result (&slot);
      keys = tally_client_list_all_keys_finish (cli->client, result, &error);
      if (keys == NULL)
        return tally_cli_fail_with_error (cli, error);
    }
  for (guint i = 0; i < key_budgets->len; i++)
    {
      const TallyKeyBudget *budget = &g_array_index (key_budgets, TallyKeyBudget, i);
      BudgetLine *line = g_new0 (BudgetLine, 1);

      g_ptr_array_add (key_lines, line);
      line->key_id = budget->key_id;
      line->name = key_name (keys, budget->key_id);
      line->has_budget = TRUE;
      line->budget = budget->usd;
      line->forecast = key_forecast (cli, budget->key_id, total->forecast, now, zone, first, &error);
      if (line->forecast == NULL)
        return tally_cli_fail_with_error (cli, error);
      over |= budget_line_is_over (line);
    }

  limits = budget_collect_limits (cli, &error);
  if (limits == NULL)
    return tally_cli_fail_with_error (cli, error);
  for (guint i = 0; i < limits->len; i++)
    over |= ((BudgetLimit *) g_ptr_array_index (limits, i))->used_up;

  if (cli->format == FORMAT_JSON)
    append_json (&account, total, key_lines, limits, out);
  else
    append_table (&account, total, key_lines, limits, out);

  status = tally_cli_write_and_close (cli, out);
  if (status != TALLY_CLI_EXIT_OK)
    return status;
  return over ? TALLY_CLI_EXIT_OVER_BUDGET : TALLY_CLI_EXIT_OK;
}

int
tally_cli_validate_budget (Cli *cli)
{
  double usd;

  if (cli->budget_set != NULL && cli->budget_clear)
    return tally_cli_usage_error (_ ("--set and --clear cannot be combined"));
  if ((cli->budget_set != NULL || cli->budget_clear) && cli->format != FORMAT_TABLE)
    return tally_cli_usage_error (_ ("--json goes with the report, not with --set or --clear"));
  if (cli->key_text != NULL && cli->budget_set == NULL && !cli->budget_clear)
    return tally_cli_usage_error (_ ("--key goes with --set or --clear; `tally budget` shows every key’s budget"));
  if (cli->budget_set != NULL && !tally_budget_parse_amount (cli->budget_set, &usd))
    return tally_cli_usage_error (_ ("--set needs an amount in US dollars above 0 and up to 1,000,000,000, "
                                     "such as 300 or 12.50, not “%s”"),
                                  cli->budget_set);

  return TALLY_CLI_EXIT_OK;
}

int
tally_cli_run_budget (Cli *cli)
{
  if (cli->budget_set != NULL || cli->budget_clear)
    return run_change (cli);
  return run_report (cli);
}

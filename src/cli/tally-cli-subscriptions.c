/* tally-cli-subscriptions.c: `tally subscriptions`, each window of each subscription
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-client-quotas.h"
#include "tally-format.h"
#include "tally-model-json.h"
#include "tally-quota-format.h"
#include "tally-subscription.h"

#include "tally-cli-private.h"

/* A time in the offset the server sent it with: "2026-01-16 00:00:00 +08:00". */
static char *
format_server_time (GDateTime *time)
{
  if (time == NULL)
    return g_strdup ("—");
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S %:z");
}

static const char *
state_word (TallyQuotaState state)
{
  switch (state)
    {
      case TALLY_QUOTA_STATE_USED_UP:
        return _ ("used up");
      case TALLY_QUOTA_STATE_WARNING:
        return _ ("nearly used up");
      case TALLY_QUOTA_STATE_OK:
      default:
        return "";
    }
}

static void
add_window_rows (Table *table,
                 TallySubscriptionProgress *progress)
{
  const char *group = tally_subscription_progress_get_group_name (progress);
  g_autofree char *expires = tally_format_expires_in_days (tally_subscription_progress_get_expires_in_days (progress));
  g_autofree char *expires_at = format_server_time (tally_subscription_progress_get_expires_at (progress));
  g_autofree char *expiry = g_strdup_printf ("%s (%s)", expires, expires_at);
  gboolean any = FALSE;

  for (guint p = 0; p < TALLY_QUOTA_N_PERIODS; p++)
    {
      TallyQuotaWindow *window = tally_subscription_progress_get_window (progress, p);
      g_autofree char *used = NULL;
      g_autofree char *limit = NULL;
      g_autofree char *remaining = NULL;
      g_autofree char *percent = NULL;
      g_autofree char *start = NULL;
      g_autofree char *resets_at = NULL;
      g_autofree char *resets_in = NULL;
      g_autofree char *resets = NULL;

      /* a window the server leaves out does not exist */
      if (window == NULL)
        continue;

      used = tally_format_cost_table (tally_quota_window_get_used_usd (window));
      limit = tally_format_cost_table (tally_quota_window_get_limit_usd (window));
      remaining = tally_format_cost_table (tally_quota_window_get_remaining_usd (window));
      percent = tally_format_percent (tally_quota_window_get_percentage (window) / 100);
      start = format_server_time (tally_quota_window_get_window_start (window));
      resets_at = format_server_time (tally_quota_window_get_resets_at (window));
      resets_in = tally_format_resets_in (tally_quota_window_get_resets_in_seconds (window));
      resets = g_strdup_printf ("%s (%s)", resets_at, resets_in);

      tally_cli_table_add_row (table, any ? "" : group, tally_quota_period_get_title (p), used, limit, remaining,
                               percent, state_word (tally_quota_window_get_state (window)), start, resets,
                               any ? "" : expiry);
      any = TRUE;
    }

  if (!any)
    tally_cli_table_add_row (table, group, "—", "", "", "", "", "", "", "", expiry);
}

int
tally_cli_run_subscriptions (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GListModel) progress = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  GAsyncResult *slot = NULL;
  guint n_items;

  tally_client_get_subscription_progress_async (cli->client, NULL, tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  progress = tally_client_get_subscription_progress_finish (cli->client, result, &error);
  if (progress == NULL)
    return tally_cli_fail_with_error (cli, error);

  n_items = g_list_model_get_n_items (progress);

  if (cli->format == FORMAT_JSON)
    {
      tally_model_json_append_list (out, progress);
      g_string_append_c (out, '\n');
    }
  else if (n_items == 0)
    {
      g_string_append_printf (out, "%s\n", _ ("No active subscriptions"));
    }
  else
    {
      /* Used, Limit, Remaining and % are numbers */
      g_autoptr (Table) table = tally_cli_table_new (10, 0x3c);

      tally_cli_table_add_row (table, _ ("Group"), _ ("Window"), _ ("Used"), _ ("Limit"), _ ("Remaining"), "%",
                               _ ("State"), _ ("Window start"), _ ("Resets"), _ ("Expires"));
      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr (TallySubscriptionProgress) item = g_list_model_get_item (progress, i);

          add_window_rows (table, item);
        }
      tally_cli_table_render (table, out);
    }

  return tally_cli_write_and_close (cli, out);
}

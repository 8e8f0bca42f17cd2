/* tally-cli-usage.c: summary, keys, trend and models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "tally-api-key.h"
#include "tally-dashboard-stats.h"
#include "tally-format.h"
#include "tally-key-cost.h"
#include "tally-key-usage.h"
#include "tally-model-breakdown.h"
#include "tally-model-json.h"
#include "tally-model-stat.h"
#include "tally-page.h"
#include "tally-public-settings.h"
#include "tally-report.h"
#include "tally-server-time.h"
#include "tally-server-zone.h"
#include "tally-trend-point.h"
#include "tally-trend.h"
#include "tally-usage-log.h"
#include "tally-user.h"

#include "tally-cli-private.h"

/* ------------------------------------------------------------- summary */

/* The server's zone (API-2026.md §4): the one /settings/public names, else
 * the fixed offset of the newest usage row; NULL when neither is known
 * (errors here only cost the label, never the command). */
TallyServerZone *
tally_cli_learn_server_zone (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyPublicSettings) settings = NULL;
  g_autoptr (TallyPage) page = NULL;
  g_autoptr (TallyUsageLog) newest = NULL;
  GAsyncResult *slot = NULL;
  GDateTime *created_at;

  tally_client_get_public_settings_async (cli->client, NULL, tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  settings = tally_client_get_public_settings_finish (cli->client, result, &error);
  if (settings != NULL)
    {
      TallyServerZone *zone = tally_server_zone_new_from_settings (tally_public_settings_get_server_timezone (settings),
                                                                   tally_public_settings_get_server_utc_offset (settings));
      if (zone != NULL)
        return zone;
    }
  g_clear_error (&error);
  g_clear_object (&result);

  /* An older server: the newest timestamp, never the account's creation
   * (it may be on the other side of a DST change). */
  tally_client_list_usage_async (cli->client, NULL, 1, 1, NULL, tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  page = tally_client_list_usage_finish (cli->client, result, &error);
  if (page == NULL || g_list_model_get_n_items (tally_page_get_items (page)) == 0)
    return NULL;
  newest = g_list_model_get_item (tally_page_get_items (page), 0);
  created_at = tally_usage_log_get_created_at (newest);
  if (created_at == NULL)
    return NULL;
  return tally_server_zone_new_offset ((int) (g_date_time_get_utc_offset (created_at) / G_TIME_SPAN_SECOND));
}

int
tally_cli_run_summary (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) me_result = NULL;
  g_autoptr (GAsyncResult) stats_result = NULL;
  g_autoptr (GAsyncResult) trend_result = NULL;
  g_autoptr (TallyUser) user = NULL;
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autoptr (TallyTrend) trend = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *offset_label = NULL;
  GAsyncResult *me_slot = NULL;
  GAsyncResult *stats_slot = NULL;
  GAsyncResult *trend_slot = NULL;
  g_autoptr (TallyServerZone) zone = NULL;

  tally_client_get_me_async (cli->client, NULL, tally_cli_store_result_cb, &me_slot);
  tally_client_get_dashboard_stats_async (cli->client, NULL, tally_cli_store_result_cb, &stats_slot);
  tally_client_get_trend_async (cli->client, NULL, NULL, TALLY_GRANULARITY_DAY, NULL,
                                tally_cli_store_result_cb, &trend_slot);
  me_result = tally_cli_wait_result (&me_slot);
  stats_result = tally_cli_wait_result (&stats_slot);
  trend_result = tally_cli_wait_result (&trend_slot);

  user = tally_client_get_me_finish (cli->client, me_result, &error);
  if (user == NULL)
    return tally_cli_fail_with_error (cli, error);
  stats = tally_client_get_dashboard_stats_finish (cli->client, stats_result, &error);
  if (stats == NULL)
    return tally_cli_fail_with_error (cli, error);
  trend = tally_client_get_trend_finish (cli->client, trend_result, &error);
  if (trend == NULL)
    return tally_cli_fail_with_error (cli, error);

  /* The server's zone, with the offset of the server's today. */
  zone = tally_cli_learn_server_zone (cli);
  if (zone != NULL)
    offset_label = tally_format_utc_offset (tally_server_zone_get_offset_on (zone, tally_trend_get_end_date (trend),
                                                                             g_get_real_time () / G_USEC_PER_SEC));

  if (cli->format == FORMAT_JSON)
    {
      g_string_append (out, "{\"server\":");
      tally_model_json_append_string (out, tally_client_get_base_url (cli->client));
      g_string_append (out, ",\"server_date\":");
      tally_model_json_append_string (out, tally_trend_get_end_date (trend));
      g_string_append (out, ",\"server_utc_offset\":");
      tally_model_json_append_string (out, offset_label);
      if (zone != NULL && tally_server_zone_get_name (zone) != NULL)
        {
          g_string_append (out, ",\"server_timezone\":");
          tally_model_json_append_string (out, tally_server_zone_get_name (zone));
        }
      g_string_append (out, ",\"user\":");
      tally_model_json_append (out, user);
      g_string_append (out, ",\"stats\":");
      tally_model_json_append (out, stats);
      g_string_append (out, "}\n");
    }
  else
    {
      g_autoptr (Table) head = tally_cli_table_new (2, 0);
      g_autoptr (Table) body = tally_cli_table_new (3, 0x6);
      g_autofree char *server_day = NULL;
      g_autofree char *balance = tally_format_cost (tally_user_get_balance (user));
      g_autofree char *today_billed = tally_format_cost (tally_dashboard_stats_get_today_actual_cost (stats));
      g_autofree char *total_billed = tally_format_cost (tally_dashboard_stats_get_total_actual_cost (stats));
      g_autofree char *today_list = tally_format_cost (tally_dashboard_stats_get_today_cost (stats));
      g_autofree char *total_list = tally_format_cost (tally_dashboard_stats_get_total_cost (stats));
      g_autofree char *today_requests = tally_format_count (tally_dashboard_stats_get_today_requests (stats));
      g_autofree char *total_requests = tally_format_count (tally_dashboard_stats_get_total_requests (stats));
      g_autofree char *today_tokens = tally_format_count (tally_dashboard_stats_get_today_tokens (stats));
      g_autofree char *total_tokens = tally_format_count (tally_dashboard_stats_get_total_tokens (stats));
      g_autofree char *today_input = tally_format_count (tally_dashboard_stats_get_today_input_tokens (stats));
      g_autofree char *total_input = tally_format_count (tally_dashboard_stats_get_total_input_tokens (stats));
      g_autofree char *today_output = tally_format_count (tally_dashboard_stats_get_today_output_tokens (stats));
      g_autofree char *total_output = tally_format_count (tally_dashboard_stats_get_total_output_tokens (stats));
      g_autofree char *today_cw = tally_format_count (tally_dashboard_stats_get_today_cache_creation_tokens (stats));
      g_autofree char *total_cw = tally_format_count (tally_dashboard_stats_get_total_cache_creation_tokens (stats));
      g_autofree char *today_cr = tally_format_count (tally_dashboard_stats_get_today_cache_read_tokens (stats));
      g_autofree char *total_cr = tally_format_count (tally_dashboard_stats_get_total_cache_read_tokens (stats));
      g_autofree char *rpm = tally_format_count (tally_dashboard_stats_get_rpm (stats));
      g_autofree char *tpm = tally_format_count (tally_dashboard_stats_get_tpm (stats));
      g_autofree char *duration = tally_format_duration_ms (tally_dashboard_stats_get_average_duration_ms (stats));
      g_autofree char *active = tally_format_count (tally_dashboard_stats_get_active_api_keys (stats));
      g_autofree char *total_keys = tally_format_count (tally_dashboard_stats_get_total_api_keys (stats));
      g_autofree char *keys = NULL;
      g_autofree char *rates = NULL;

      if (zone != NULL && tally_server_zone_get_name (zone) != NULL)
        /* Translators: "2026-12-10 (server time America/New_York, UTC-05:00)" */
        server_day = g_strdup_printf (_ ("%s (server time %s, %s)"), tally_trend_get_end_date (trend),
                                      tally_server_zone_get_name (zone), offset_label);
      else if (offset_label != NULL)
        /* Translators: "2026-01-15 (server time UTC+08:00)" */
        server_day = g_strdup_printf (_ ("%s (server time %s)"), tally_trend_get_end_date (trend), offset_label);
      else
        server_day = g_strdup_printf (_ ("%s (server time)"), tally_trend_get_end_date (trend));

      /* Translators: "4 active of 5" API keys */
      keys = g_strdup_printf (_ ("%s active of %s"), active, total_keys);
      /* Translators: "8 requests, 50,967 tokens" (per minute) */
      rates = g_strdup_printf (_ ("%s requests, %s tokens"), rpm, tpm);

      tally_cli_table_add_row (head, _ ("Server"), tally_client_get_base_url (cli->client));
      tally_cli_table_add_row (head, _ ("Account"), tally_user_get_email (user));
      tally_cli_table_add_row (head, _ ("Server day"), server_day);
      tally_cli_table_add_row (head, _ ("Balance"), balance);
      tally_cli_table_render (head, out);
      g_string_append_c (out, '\n');

      tally_cli_table_add_row (body, "", _ ("Today"), _ ("All time"));
      tally_cli_table_add_row (body, _ ("Billed cost"), today_billed, total_billed);
      tally_cli_table_add_row (body, _ ("List cost"), today_list, total_list);
      tally_cli_table_add_row (body, _ ("Requests"), today_requests, total_requests);
      tally_cli_table_add_row (body, _ ("Tokens"), today_tokens, total_tokens);
      tally_cli_table_add_row (body, _ ("  Input"), today_input, total_input);
      tally_cli_table_add_row (body, _ ("  Output"), today_output, total_output);
      tally_cli_table_add_row (body, _ ("  Cache write"), today_cw, total_cw);
      tally_cli_table_add_row (body, _ ("  Cache read"), today_cr, total_cr);
      tally_cli_table_render (body, out);
      g_string_append_c (out, '\n');

      g_clear_pointer (&head, tally_cli_table_free);
      head = tally_cli_table_new (2, 0);
      tally_cli_table_add_row (head, _ ("Per minute"), rates);
      tally_cli_table_add_row (head, _ ("Average duration"), duration);
      tally_cli_table_add_row (head, _ ("API keys"), keys);
      tally_cli_table_render (head, out);
    }

  return tally_cli_write_and_close (cli, out);
}

/* ---------------------------------------------------------------- keys */

/* The key status for people: the known values of API.md §6 translated,
 * anything else as the server sent it. */
static const char *
key_status_label (const char *status)
{
  if (g_strcmp0 (status, "active") == 0)
    return C_ ("key status", "active");
  if (g_strcmp0 (status, "inactive") == 0)
    return C_ ("key status", "inactive");
  if (g_strcmp0 (status, "disabled") == 0)
    return C_ ("key status", "disabled");
  if (g_strcmp0 (status, "quota_exhausted") == 0)
    return C_ ("key status", "quota exhausted");
  if (g_strcmp0 (status, "expired") == 0)
    return C_ ("key status", "expired");
  return status;
}

int
tally_cli_run_keys (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) keys_result = NULL;
  g_autoptr (GAsyncResult) stats_result = NULL;
  g_autoptr (GAsyncResult) usage_result = NULL;
  g_autoptr (GListModel) keys = NULL;
  g_autoptr (GListModel) usage = NULL;
  g_autoptr (TallyDashboardStats) stats = NULL;
  g_autoptr (GArray) ids = NULL;
  g_autoptr (GHashTable) usage_by_id = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  GAsyncResult *keys_slot = NULL;
  GAsyncResult *stats_slot = NULL;
  GAsyncResult *usage_slot = NULL;
  double sum_today = 0.0;
  double sum_total = 0.0;
  guint n_keys;

  if (cli->format == FORMAT_CSV)
    return tally_cli_run_csv_report (cli, TALLY_REPORT_KEYS);

  tally_client_list_all_keys_async (cli->client, NULL, tally_cli_store_result_cb, &keys_slot);
  tally_client_get_dashboard_stats_async (cli->client, NULL, tally_cli_store_result_cb, &stats_slot);
  keys_result = tally_cli_wait_result (&keys_slot);
  stats_result = tally_cli_wait_result (&stats_slot);

  keys = tally_client_list_all_keys_finish (cli->client, keys_result, &error);
  if (keys == NULL)
    return tally_cli_fail_with_error (cli, error);
  stats = tally_client_get_dashboard_stats_finish (cli->client, stats_result, &error);
  if (stats == NULL)
    return tally_cli_fail_with_error (cli, error);

  n_keys = g_list_model_get_n_items (keys);
  ids = tally_api_key_collect_ids (keys);

  tally_client_get_keys_usage_async (cli->client, (const gint64 *) (gpointer) ids->data, ids->len,
                                     NULL, tally_cli_store_result_cb, &usage_slot);
  usage_result = tally_cli_wait_result (&usage_slot);
  usage = tally_client_get_keys_usage_finish (cli->client, usage_result, &error);
  if (usage == NULL)
    return tally_cli_fail_with_error (cli, error);

  usage_by_id = tally_key_usage_index_by_id (usage);

  if (cli->format == FORMAT_JSON)
    {
      g_string_append_c (out, '[');
      for (guint i = 0; i < n_keys; i++)
        {
          g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
          gint64 id = tally_api_key_get_id (key);
          TallyKeyUsage *key_usage = g_hash_table_lookup (usage_by_id, &id);

          if (i > 0)
            g_string_append_c (out, ',');
          tally_model_json_append (out, key);
          /* reopen the object to add the batch figures */
          g_string_truncate (out, out->len - 1);
          g_string_append (out, ",\"today_actual_cost\":");
          tally_model_json_append_double (out, key_usage != NULL ? tally_key_usage_get_today_actual_cost (key_usage) : 0.0);
          g_string_append (out, ",\"total_actual_cost\":");
          tally_model_json_append_double (out, key_usage != NULL ? tally_key_usage_get_total_actual_cost (key_usage) : 0.0);
          g_string_append_c (out, '}');
        }
      g_string_append (out, "]\n");
    }
  else
    {
      g_autoptr (Table) table = tally_cli_table_new (6, 0x19);
      double deleted_today;
      double deleted_total;

      tally_cli_table_add_row (table, _ ("ID"), _ ("Name"), _ ("Status"), _ ("Today"), _ ("Total"), _ ("Key"));
      for (guint i = 0; i < n_keys; i++)
        {
          g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
          gint64 id = tally_api_key_get_id (key);
          TallyKeyUsage *key_usage = g_hash_table_lookup (usage_by_id, &id);
          double today = key_usage != NULL ? tally_key_usage_get_today_actual_cost (key_usage) : 0.0;
          double total = key_usage != NULL ? tally_key_usage_get_total_actual_cost (key_usage) : 0.0;
          g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
          g_autofree char *today_text = tally_format_cost_table (today);
          g_autofree char *total_text = tally_format_cost_table (total);

          sum_today += today;
          sum_total += total;
          tally_cli_table_add_row (table, id_text, tally_api_key_get_name (key), key_status_label (tally_api_key_get_status (key)),
                                   today_text, total_text, tally_api_key_get_masked_key (key));
        }
      tally_cli_table_render (table, out);

      /* Σ listed keys ≤ dashboard totals; the rest belongs to deleted keys (API.md §5.6). */
      if (tally_deleted_keys (tally_dashboard_stats_get_today_actual_cost (stats),
                              tally_dashboard_stats_get_total_actual_cost (stats),
                              sum_today, sum_total, &deleted_today, &deleted_total))
        {
          g_autofree char *today_text = tally_format_cost (deleted_today);
          g_autofree char *total_text = tally_format_cost (deleted_total);

          g_string_append_printf (out, _ ("Deleted keys: %s today, %s in total"), today_text, total_text);
          g_string_append_c (out, '\n');
        }
    }

  return tally_cli_write_and_close (cli, out);
}

/* --------------------------------------------------------------- trend */

int
tally_cli_run_trend (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyTrend) trend = NULL;
  g_autoptr (GListModel) filled = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (TallyServerZone) zone = NULL;
  GAsyncResult *slot = NULL;
  guint n_points;

  if (cli->format == FORMAT_CSV)
    return tally_cli_run_csv_report (cli, TALLY_REPORT_DAILY);

  tally_client_get_trend_async (cli->client, cli->from, cli->to, cli->granularity, NULL,
                                tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  trend = tally_client_get_trend_finish (cli->client, result, &error);
  if (trend == NULL)
    return tally_cli_fail_with_error (cli, error);

  /* Hourly: only the hours the server's days have (a DST day has 23 or 25). */
  if (cli->granularity == TALLY_GRANULARITY_HOUR)
    zone = tally_cli_learn_server_zone (cli);
  filled = tally_trend_zero_fill_in_zone (tally_trend_get_points (trend),
                                          tally_trend_get_start_date (trend),
                                          tally_trend_get_end_date (trend),
                                          cli->granularity, zone);
  n_points = g_list_model_get_n_items (filled);

  if (cli->format == FORMAT_JSON)
    {
      g_string_append (out, "{\"start_date\":");
      tally_model_json_append_string (out, tally_trend_get_start_date (trend));
      g_string_append (out, ",\"end_date\":");
      tally_model_json_append_string (out, tally_trend_get_end_date (trend));
      g_string_append (out, ",\"granularity\":");
      tally_model_json_append_string (out, tally_trend_get_granularity (trend));
      g_string_append (out, ",\"trend\":");
      tally_model_json_append_list (out, filled);
      g_string_append (out, "}\n");
    }
  else
    {
      g_autoptr (Table) table = tally_cli_table_new (5, 0x1e);
      gint64 requests = 0;
      gint64 tokens = 0;
      double cost = 0.0;
      double actual_cost = 0.0;
      g_autofree char *requests_text = NULL;
      g_autofree char *tokens_text = NULL;
      g_autofree char *cost_text = NULL;
      g_autofree char *actual_text = NULL;

      tally_cli_table_add_row (table, _ ("Date"), _ ("Requests"), _ ("Tokens"), _ ("List cost"), _ ("Billed cost"));
      for (guint i = 0; i < n_points; i++)
        {
          g_autoptr (TallyTrendPoint) point = g_list_model_get_item (filled, i);
          g_autofree char *r = tally_format_count (tally_trend_point_get_requests (point));
          g_autofree char *t = tally_format_count (tally_trend_point_get_total_tokens (point));
          g_autofree char *c = tally_format_cost_table (tally_trend_point_get_cost (point));
          g_autofree char *a = tally_format_cost_table (tally_trend_point_get_actual_cost (point));

          requests += tally_trend_point_get_requests (point);
          tokens += tally_trend_point_get_total_tokens (point);
          cost += tally_trend_point_get_cost (point);
          actual_cost += tally_trend_point_get_actual_cost (point);
          tally_cli_table_add_row (table, tally_trend_point_get_date (point), r, t, c, a);
        }

      requests_text = tally_format_count (requests);
      tokens_text = tally_format_count (tokens);
      cost_text = tally_format_cost_table (cost);
      actual_text = tally_format_cost_table (actual_cost);
      tally_cli_table_add_row (table, _ ("Total"), requests_text, tokens_text, cost_text, actual_text);
      tally_cli_table_render (table, out);
    }

  return tally_cli_write_and_close (cli, out);
}

/* -------------------------------------------------------------- models */

int
tally_cli_run_models (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyModelBreakdown) breakdown = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  GAsyncResult *slot = NULL;
  GListModel *models;
  guint n_models;

  if (cli->format == FORMAT_CSV)
    return tally_cli_run_csv_report (cli, TALLY_REPORT_MODELS);

  tally_client_get_model_stats_async (cli->client, cli->from, cli->to, NULL, tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  breakdown = tally_client_get_model_stats_finish (cli->client, result, &error);
  if (breakdown == NULL)
    return tally_cli_fail_with_error (cli, error);

  models = tally_model_breakdown_get_models (breakdown);
  n_models = g_list_model_get_n_items (models);

  if (cli->format == FORMAT_JSON)
    {
      tally_model_json_append (out, breakdown);
      g_string_append_c (out, '\n');
    }
  else
    {
      g_autoptr (Table) table = tally_cli_table_new (7, 0x7e);

      g_string_append_printf (out, _ ("%s … %s (server days)"),
                              tally_model_breakdown_get_start_date (breakdown),
                              tally_model_breakdown_get_end_date (breakdown));
      g_string_append (out, "\n\n");

      tally_cli_table_add_row (table, _ ("Model"), _ ("Requests"), _ ("Input"), _ ("Output"), _ ("Tokens"),
                               _ ("List cost"), _ ("Billed cost"));
      for (guint i = 0; i < n_models; i++)
        {
          g_autoptr (TallyModelStat) stat = g_list_model_get_item (models, i);
          g_autofree char *r = tally_format_count (tally_model_stat_get_requests (stat));
          g_autofree char *in = tally_format_count (tally_model_stat_get_input_tokens (stat));
          g_autofree char *o = tally_format_count (tally_model_stat_get_output_tokens (stat));
          g_autofree char *t = tally_format_count (tally_model_stat_get_total_tokens (stat));
          g_autofree char *c = tally_format_cost_table (tally_model_stat_get_cost (stat));
          g_autofree char *a = tally_format_cost_table (tally_model_stat_get_actual_cost (stat));

          tally_cli_table_add_row (table, tally_model_stat_get_model (stat), r, in, o, t, c, a);
        }
      tally_cli_table_render (table, out);
    }

  return tally_cli_write_and_close (cli, out);
}

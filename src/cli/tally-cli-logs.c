/* tally-cli-logs.c: logs and the PDF report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-cli"

#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "tally-api-key.h"
#include "tally-auth-result.h"
#include "tally-client.h"
#include "tally-credentials.h"
#include "tally-csv.h"
#include "tally-dashboard-stats.h"
#include "tally-demo-server.h"
#include "tally-error.h"
#include "tally-format.h"
#include "tally-key-cost.h"
#include "tally-key-usage.h"
#include "tally-model-breakdown.h"
#include "tally-model-stat.h"
#include "tally-page.h"
#include "tally-public-settings.h"
#include "tally-report-pdf.h"
#include "tally-report.h"
#include "tally-server-time.h"
#include "tally-server-zone.h"
#include "tally-trend-point.h"
#include "tally-trend.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-usage-snapshot.h"
#include "tally-user.h"

#include "tally-cli.h"

#include "tally-cli-private.h"

#define LOGS_PAGE_SIZE 0 /* the largest the server takes */
#define LOGS_MAX_IN_FLIGHT 4

/* ---------------------------------------------------------------- logs */

typedef struct
{
  Cli *cli;
  GHashTable *key_names; /* id → name, from /keys */
  GError *error;         /* a failed write */
  guint64 rows;
  gint64 sum_tokens;
  double sum_cost;
  double sum_actual_cost;
} LogsState;

/* Fixed widths, since rows stream out before the widths of later rows are known. */
enum
{
  W_TIME = 19,
  W_KEY = 20,
  W_MODEL = 26,
  W_TYPE = 6,
  W_TOKENS = 11,
  W_COST = 9,
  W_DURATION = 9
};

static void
append_log_header (GString *out)
{
  append_padded (out, _("Time"), W_TIME, FALSE);
  g_string_append (out, "  ");
  append_padded (out, _("Key"), W_KEY, FALSE);
  g_string_append (out, "  ");
  append_padded (out, _("Model"), W_MODEL, FALSE);
  g_string_append (out, "  ");
  append_padded (out, _("Type"), W_TYPE, FALSE);
  g_string_append (out, "  ");
  append_padded (out, _("Input"), W_TOKENS, TRUE);
  g_string_append (out, "  ");
  append_padded (out, _("Output"), W_TOKENS, TRUE);
  g_string_append (out, "  ");
  append_padded (out, _("Cache W"), W_TOKENS, TRUE);
  g_string_append (out, "  ");
  append_padded (out, _("Cache R"), W_TOKENS, TRUE);
  g_string_append (out, "  ");
  append_padded (out, _("Cost"), W_COST, TRUE);
  g_string_append (out, "  ");
  append_padded (out, _("Billed"), W_COST, TRUE);
  g_string_append (out, "  ");
  append_padded (out, _("Duration"), W_DURATION, TRUE);
  g_string_append_c (out, '\n');
}

static void
append_cell (GString *out,
             const char *raw,
             guint width,
             gboolean right,
             gboolean last)
{
  g_autofree char *clean = sanitize_for_terminal (raw);
  g_autofree char *cut = truncate_to_width (clean, width);

  append_padded (out, cut, last && !right ? 0 : width, right);
  if (!last)
    g_string_append (out, "  ");
}

static void
append_log_row (LogsState *state,
                GString *out,
                TallyUsageLog *log)
{
  const char *raw_time = tally_usage_log_get_created_at_raw (log);
  const char *key_name = tally_usage_log_get_api_key_name (log);
  gint64 api_key_id = tally_usage_log_get_api_key_id (log);
  g_autofree char *time = NULL;
  g_autofree char *key = NULL;
  g_autofree char *input = format_count (tally_usage_log_get_input_tokens (log));
  g_autofree char *output = format_count (tally_usage_log_get_output_tokens (log));
  g_autofree char *cache_w = format_count (tally_usage_log_get_cache_creation_tokens (log));
  g_autofree char *cache_r = format_count (tally_usage_log_get_cache_read_tokens (log));
  g_autofree char *cost = format_cost (tally_usage_log_get_total_cost (log));
  g_autofree char *actual = format_cost (tally_usage_log_get_actual_cost (log));
  g_autofree char *duration = NULL;
  gint64 duration_ms = tally_usage_log_get_duration_ms (log);

  /* the server's wall clock, as sent (server time zone) */
  if (raw_time != NULL && strlen (raw_time) >= 19)
    {
      time = g_strndup (raw_time, 19);
      time[10] = ' ';
    }
  else
    time = g_strdup (raw_time != NULL ? raw_time : "");

  if (key_name == NULL)
    key_name = g_hash_table_lookup (state->key_names, &api_key_id);
  if (key_name != NULL)
    key = g_strdup_printf ("%s (%" G_GINT64_FORMAT ")", key_name, api_key_id);
  else
    /* Translators: an API key that no longer exists */
    key = g_strdup_printf (_("deleted (%" PRId64 ")"), api_key_id);

  duration = tally_format_duration_ms (duration_ms >= 0 ? (double) duration_ms : -1.0);

  append_cell (out, time, W_TIME, FALSE, FALSE);
  append_cell (out, key, W_KEY, FALSE, FALSE);
  append_cell (out, tally_usage_log_get_model (log), W_MODEL, FALSE, FALSE);
  append_cell (out, tally_usage_log_get_stream (log) ? _("stream") : _("sync"), W_TYPE, FALSE, FALSE);
  append_cell (out, input, W_TOKENS, TRUE, FALSE);
  append_cell (out, output, W_TOKENS, TRUE, FALSE);
  append_cell (out, cache_w, W_TOKENS, TRUE, FALSE);
  append_cell (out, cache_r, W_TOKENS, TRUE, FALSE);
  append_cell (out, cost, W_COST, TRUE, FALSE);
  append_cell (out, actual, W_COST, TRUE, FALSE);
  append_cell (out, duration, W_DURATION, TRUE, TRUE);
  g_string_append_c (out, '\n');
}

/* Rows of the snapshot: each once, none newer than the first page, so the
 * trailer's sums are those of the rows printed. */
static gboolean
logs_page_cb (TallyUsageSnapshot *snapshot,
              GListModel *items,
              gpointer user_data)
{
  LogsState *state = user_data;
  Cli *cli = state->cli;
  guint n_items = g_list_model_get_n_items (items);
  g_autoptr (GString) out = g_string_new (NULL);

  if (state->error != NULL)
    return FALSE;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (TallyUsageLog) log = g_list_model_get_item (items, i);

      if (cli->format == FORMAT_JSON)
        {
          if (state->rows > 0)
            g_string_append (out, ",\n");
          json_append_object (out, G_OBJECT (log));
        }
      else
        append_log_row (state, out, log);

      state->rows++;
      state->sum_tokens += tally_usage_log_get_total_tokens (log);
      state->sum_cost += tally_usage_log_get_total_cost (log);
      state->sum_actual_cost += tally_usage_log_get_actual_cost (log);
    }

  if (!write_string (cli, out, &state->error))
    return FALSE;

  return TRUE;
}

int
run_logs (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) keys_result = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GListModel) keys = NULL;
  g_autoptr (GHashTable) key_names = NULL;
  g_autoptr (GString) head = g_string_new (NULL);
  g_autoptr (GString) tail = g_string_new (NULL);
  GAsyncResult *slot = NULL;
  LogsState state = {
    0,
  };
  guint n_keys;
  int status;

  if (cli->format == FORMAT_CSV)
    return run_report (cli, TALLY_REPORT_LOGS);

  key_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  if (cli->format == FORMAT_TABLE)
    {
      /* names of keys whose rows come without a nested api_key */
      tally_client_list_all_keys_async (cli->client, NULL, store_result_cb, &slot);
      keys_result = wait_result (&slot);
      keys = tally_client_list_all_keys_finish (cli->client, keys_result, &error);
      if (keys == NULL)
        return fail_with_error (cli, error);

      n_keys = g_list_model_get_n_items (keys);
      for (guint i = 0; i < n_keys; i++)
        {
          g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
          gint64 *id = g_new (gint64, 1);

          *id = tally_api_key_get_id (key);
          g_hash_table_replace (key_names, id, g_strdup (tally_api_key_get_name (key)));
        }
    }

  status = open_output (cli);
  if (status != TALLY_CLI_EXIT_OK)
    return status;

  if (cli->format == FORMAT_JSON)
    g_string_append (head, "[\n");
  else
    append_log_header (head);
  if (!write_string (cli, head, &error))
    return fail_with_error (cli, error);

  state.cli = cli;
  state.key_names = key_names;

  tally_usage_snapshot_foreach_async (cli->client, cli->query, LOGS_PAGE_SIZE, LOGS_MAX_IN_FLIGHT,
                                      logs_page_cb, &state, NULL, NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  if (!tally_usage_snapshot_foreach_finish (result, NULL, &error))
    {
      g_clear_error (&state.error);
      return fail_with_error (cli, error);
    }
  if (state.error != NULL)
    {
      status = fail_with_error (cli, state.error);
      g_clear_error (&state.error);
      return status;
    }

  if (cli->format == FORMAT_JSON)
    g_string_append (tail, state.rows > 0 ? "\n]\n" : "]\n");
  else
    {
      g_autofree char *rows = format_count ((gint64) state.rows);
      g_autofree char *tokens = format_count (state.sum_tokens);
      g_autofree char *cost = format_cost (state.sum_cost);
      g_autofree char *actual = format_cost (state.sum_actual_cost);

      g_string_append_printf (tail, _("%s requests, %s tokens, list cost %s, billed %s"),
                                       rows, tokens, cost, actual);
      g_string_append_c (tail, '\n');
    }
  if (!write_string (cli, tail, &error))
    return fail_with_error (cli, error);

  return close_output (cli);
}

/* -------------------------------------------------------------- report */

/* `tally report --pdf --output FILE`: the same one-page summary as the window's Export. */
int
run_report_pdf (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) me_result = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyUser) user = NULL;
  g_autoptr (GFile) file = NULL;
  GAsyncResult *slot = NULL;

  /* the account line of the header */
  tally_client_get_me_async (cli->client, NULL, store_result_cb, &slot);
  me_result = wait_result (&slot);
  user = tally_client_get_me_finish (cli->client, me_result, &error);
  if (user == NULL)
    return fail_with_error (cli, error);

  file = g_file_new_for_commandline_arg (cli->output);
  tally_report_pdf_export_async (cli->client, cli->query,
                                 tally_client_get_base_url (cli->client),
                                 tally_user_get_email (user),
                                 file, NULL, store_result_cb, &slot);
  result = wait_result (&slot);
  if (!tally_report_pdf_export_finish (result, &error))
    return fail_with_error (cli, error);

  return TALLY_CLI_EXIT_OK;
}

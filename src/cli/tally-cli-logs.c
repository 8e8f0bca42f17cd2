/* tally-cli-logs.c: logs and the PDF report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-cli"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "tally-api-key.h"
#include "tally-format.h"
#include "tally-model-json.h"
#include "tally-report-pdf.h"
#include "tally-report.h"
#include "tally-usage-log.h"
#include "tally-usage-snapshot.h"
#include "tally-user.h"

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
  tally_cli_append_padded (out, _ ("Time"), W_TIME, FALSE);
  g_string_append (out, "  ");
  tally_cli_append_padded (out, _ ("Key"), W_KEY, FALSE);
  g_string_append (out, "  ");
  tally_cli_append_padded (out, _ ("Model"), W_MODEL, FALSE);
  g_string_append (out, "  ");
  tally_cli_append_padded (out, _ ("Type"), W_TYPE, FALSE);
  g_string_append (out, "  ");
  tally_cli_append_padded (out, _ ("Input"), W_TOKENS, TRUE);
  g_string_append (out, "  ");
  tally_cli_append_padded (out, _ ("Output"), W_TOKENS, TRUE);
  g_string_append (out, "  ");
  tally_cli_append_padded (out, _ ("Cache W"), W_TOKENS, TRUE);
  g_string_append (out, "  ");
  tally_cli_append_padded (out, _ ("Cache R"), W_TOKENS, TRUE);
  g_string_append (out, "  ");
  tally_cli_append_padded (out, _ ("Cost"), W_COST, TRUE);
  g_string_append (out, "  ");
  tally_cli_append_padded (out, _ ("Billed"), W_COST, TRUE);
  g_string_append (out, "  ");
  tally_cli_append_padded (out, _ ("Duration"), W_DURATION, TRUE);
  g_string_append_c (out, '\n');
}

static void
append_cell (GString *out,
             const char *raw,
             guint width,
             gboolean right,
             gboolean last)
{
  g_autofree char *clean = tally_cli_sanitize (raw);
  g_autofree char *cut = tally_cli_truncate_to_width (clean, width);

  tally_cli_append_padded (out, cut, last && !right ? 0 : width, right);
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
  g_autofree char *input = tally_format_count (tally_usage_log_get_input_tokens (log));
  g_autofree char *output = tally_format_count (tally_usage_log_get_output_tokens (log));
  g_autofree char *cache_w = tally_format_count (tally_usage_log_get_cache_creation_tokens (log));
  g_autofree char *cache_r = tally_format_count (tally_usage_log_get_cache_read_tokens (log));
  g_autofree char *cost = tally_format_cost (tally_usage_log_get_total_cost (log));
  g_autofree char *actual = tally_format_cost (tally_usage_log_get_actual_cost (log));
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
    key = g_strdup_printf (_ ("deleted (%" PRId64 ")"), api_key_id);

  duration = tally_format_duration_ms (duration_ms >= 0 ? (double) duration_ms : -1.0);

  append_cell (out, time, W_TIME, FALSE, FALSE);
  append_cell (out, key, W_KEY, FALSE, FALSE);
  append_cell (out, tally_usage_log_get_model (log), W_MODEL, FALSE, FALSE);
  append_cell (out, tally_usage_log_get_stream (log) ? _ ("stream") : _ ("sync"), W_TYPE, FALSE, FALSE);
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
          tally_model_json_append (out, log);
        }
      else
        append_log_row (state, out, log);

      state->rows++;
      state->sum_tokens += tally_usage_log_get_total_tokens (log);
      state->sum_cost += tally_usage_log_get_total_cost (log);
      state->sum_actual_cost += tally_usage_log_get_actual_cost (log);
    }

  if (!tally_cli_write_string (cli, out, &state->error))
    return FALSE;

  return TRUE;
}

int
tally_cli_run_logs (Cli *cli)
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
    return tally_cli_run_csv_report (cli, TALLY_REPORT_LOGS);

  key_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  if (cli->format == FORMAT_TABLE)
    {
      /* names of keys whose rows come without a nested api_key */
      tally_client_list_all_keys_async (cli->client, NULL, tally_cli_store_result_cb, &slot);
      keys_result = tally_cli_wait_result (&slot);
      keys = tally_client_list_all_keys_finish (cli->client, keys_result, &error);
      if (keys == NULL)
        return tally_cli_fail_with_error (cli, error);

      n_keys = g_list_model_get_n_items (keys);
      for (guint i = 0; i < n_keys; i++)
        {
          g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
          gint64 *id = g_new (gint64, 1);

          *id = tally_api_key_get_id (key);
          g_hash_table_replace (key_names, id, g_strdup (tally_api_key_get_name (key)));
        }
    }

  status = tally_cli_open_output (cli);
  if (status != TALLY_CLI_EXIT_OK)
    return status;

  if (cli->format == FORMAT_JSON)
    g_string_append (head, "[\n");
  else
    append_log_header (head);
  if (!tally_cli_write_string (cli, head, &error))
    return tally_cli_fail_with_error (cli, error);

  state.cli = cli;
  state.key_names = key_names;

  tally_usage_snapshot_foreach_async (cli->client, cli->query, LOGS_PAGE_SIZE, LOGS_MAX_IN_FLIGHT,
                                      logs_page_cb, &state, NULL, NULL, tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  if (!tally_usage_snapshot_foreach_finish (result, NULL, &error))
    {
      g_clear_error (&state.error);
      return tally_cli_fail_with_error (cli, error);
    }
  if (state.error != NULL)
    {
      status = tally_cli_fail_with_error (cli, state.error);
      g_clear_error (&state.error);
      return status;
    }

  if (cli->format == FORMAT_JSON)
    g_string_append (tail, state.rows > 0 ? "\n]\n" : "]\n");
  else
    {
      g_autofree char *rows = tally_format_count ((gint64) state.rows);
      g_autofree char *tokens = tally_format_count (state.sum_tokens);
      g_autofree char *cost = tally_format_cost (state.sum_cost);
      g_autofree char *actual = tally_format_cost (state.sum_actual_cost);

      g_string_append_printf (tail, _ ("%s requests, %s tokens, list cost %s, billed %s"),
                              rows, tokens, cost, actual);
      g_string_append_c (tail, '\n');
    }
  if (!tally_cli_write_string (cli, tail, &error))
    return tally_cli_fail_with_error (cli, error);

  return tally_cli_close_output (cli);
}

/* -------------------------------------------------------------- report */

/* `tally report --pdf --output FILE`: the same one-page summary as the window's Export. */
int
tally_cli_run_report_pdf (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) me_result = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyUser) user = NULL;
  g_autoptr (GFile) file = NULL;
  GAsyncResult *slot = NULL;

  /* the account line of the header */
  tally_client_get_me_async (cli->client, NULL, tally_cli_store_result_cb, &slot);
  me_result = tally_cli_wait_result (&slot);
  user = tally_client_get_me_finish (cli->client, me_result, &error);
  if (user == NULL)
    return tally_cli_fail_with_error (cli, error);

  file = g_file_new_for_commandline_arg (cli->output);
  tally_report_export_pdf_async (cli->client, cli->query,
                                 tally_client_get_base_url (cli->client),
                                 tally_user_get_email (user),
                                 file, tally_report_pdf_write, NULL, tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  if (!tally_report_export_pdf_finish (result, &error))
    return tally_cli_fail_with_error (cli, error);

  return TALLY_CLI_EXIT_OK;
}

/* tally-cli-stats.c: `tally stats`, the totals of a filter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same totals as the usage view's (tally_usage_totals_async()): every
 * filter honoured on every server, counted from the rows where the server's
 * own totals would ignore one. Without --from and --to the range is the
 * window's "Last 7 Days" ending on the server's day; with --from alone it
 * ends on the server's day.
 */

#define G_LOG_DOMAIN "tally-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "tally-format.h"
#include "tally-model-json.h"
#include "tally-server-time.h"
#include "tally-usage-stats.h"
#include "tally-usage-totals.h"

#include "tally-cli-private.h"

/* Fills the range the options left open, as described at the top. */
static gboolean
complete_range (Cli *cli,
                GError **error)
{
  const char *start = tally_usage_query_get_start_date (cli->query);
  g_autofree char *today = NULL;

  /* without --from, tally_cli_apply_default_range() set both dates */
  if (tally_usage_query_get_end_date (cli->query) != NULL)
    return TRUE;

  today = tally_cli_learn_server_today (cli, error);
  if (today == NULL)
    return FALSE;
  return tally_usage_query_set_range (cli->query, start, today, error);
}

/* "Counting… 4,200 of 10,000" on one terminal line, redrawn in place. */
static void
progress_cb (gint64 counted,
             gint64 total,
             gpointer user_data)
{
  gboolean *shown = user_data;
  g_autofree char *line = NULL;

  if (total < 0)
    {
      line = g_strdup (_ ("Counting…"));
    }
  else
    {
      g_autofree char *done = tally_format_count (counted);
      g_autofree char *all = tally_format_count (total);

      /* Translators: rows added up so far of all rows of the filter */
      line = g_strdup_printf (_ ("Counting… %s of %s"), done, all);
    }
  fprintf (stderr, "\r\033[K%s", line);
  fflush (stderr);
  *shown = TRUE;
}

static void
append_json (Cli *cli,
             TallyUsageStats *stats,
             GString *out)
{
  g_string_append (out, "{\"start_date\":");
  tally_model_json_append_string (out, tally_usage_query_get_start_date (cli->query));
  g_string_append (out, ",\"end_date\":");
  tally_model_json_append_string (out, tally_usage_query_get_end_date (cli->query));
  g_string_append (out, ",\"stats\":");
  tally_model_json_append (out, stats);
  g_string_append (out, "}\n");
}

static void
append_table (Cli *cli,
              TallyUsageStats *stats,
              GString *out)
{
  g_autoptr (Table) table = tally_cli_table_new (2, 0x2);
  g_autofree char *filter = tally_usage_query_describe (cli->query);
  g_autofree char *billed = tally_format_cost (tally_usage_stats_get_total_actual_cost (stats));
  g_autofree char *list = tally_format_cost (tally_usage_stats_get_total_cost (stats));
  g_autofree char *requests = tally_format_count (tally_usage_stats_get_total_requests (stats));
  g_autofree char *tokens = tally_format_count (tally_usage_stats_get_total_tokens (stats));
  g_autofree char *input = tally_format_count (tally_usage_stats_get_total_input_tokens (stats));
  g_autofree char *output = tally_format_count (tally_usage_stats_get_total_output_tokens (stats));
  g_autofree char *duration = tally_format_duration_ms (tally_usage_stats_get_average_duration_ms (stats));
  gint64 cache_write = tally_usage_stats_get_total_cache_creation_tokens (stats);
  gint64 cache_read = tally_usage_stats_get_total_cache_read_tokens (stats);

  g_string_append_printf (out, "%s\n\n", filter);
  tally_cli_table_add_row (table, _ ("Billed cost"), billed);
  tally_cli_table_add_row (table, _ ("List cost"), list);
  tally_cli_table_add_row (table, _ ("Requests"), requests);
  tally_cli_table_add_row (table, _ ("Tokens"), tokens);
  tally_cli_table_add_row (table, _ ("  Input"), input);
  tally_cli_table_add_row (table, _ ("  Output"), output);
  if (cache_write >= 0 && cache_read >= 0)
    {
      g_autofree char *write = tally_format_count (cache_write);
      g_autofree char *read = tally_format_count (cache_read);

      tally_cli_table_add_row (table, _ ("  Cache write"), write);
      tally_cli_table_add_row (table, _ ("  Cache read"), read);
    }
  else
    {
      g_autofree char *cache = tally_format_count (tally_usage_stats_get_total_cache_tokens (stats));

      tally_cli_table_add_row (table, _ ("  Cache"), cache);
    }
  tally_cli_table_add_row (table, _ ("Average duration"), duration);
  tally_cli_table_render (table, out);
}

int
tally_cli_run_stats (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyUsageStats) stats = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  GAsyncResult *slot = NULL;
  gboolean show_progress = !cli->quiet && isatty (STDERR_FILENO);
  gboolean shown = FALSE;

  if (!complete_range (cli, &error))
    return tally_cli_fail_with_error (cli, error);

  tally_usage_totals_async (cli->client, cli->query,
                            show_progress ? progress_cb : NULL, &shown, NULL,
                            NULL, tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  stats = tally_usage_totals_finish (result, &error);
  if (shown)
    fputs ("\r\033[K", stderr);
  if (stats == NULL)
    return tally_cli_fail_with_error (cli, error);

  if (cli->format == FORMAT_JSON)
    append_json (cli, stats, out);
  else
    append_table (cli, stats, out);

  return tally_cli_write_and_close (cli, out);
}

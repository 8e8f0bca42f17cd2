/* tally-report-pdf.c: the one-page PDF usage summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-report-pdf"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "tally-api-key.h"
#include "tally-chart-palette.h"
#include "tally-client.h"
#include "tally-csv.h"
#include "tally-error.h"
#include "tally-format.h"
#include "tally-key-cost.h"
#include "tally-model-breakdown.h"
#include "tally-model-stat.h"
#include "tally-page.h"
#include "tally-public-settings.h"
#include "tally-report-pdf.h"
#include "tally-server-time.h"
#include "tally-server-zone.h"
#include "tally-trend-chart-draw.h"
#include "tally-trend.h"
#include "tally-usage-log.h"
#include "tally-usage-query.h"
#include "tally-usage-stats.h"

/* A4 in points */
#define PAGE_WIDTH 595.276
#define PAGE_HEIGHT 841.89
#define MARGIN 42.0
#define CONTENT_WIDTH (PAGE_WIDTH - 2 * MARGIN)
#define CHART_HEIGHT 190
#define ROW_HEIGHT 13.0
/* Rows per table before the rest is folded into one summed row */
#define MAX_TABLE_ROWS 10

typedef struct
{
  TallyApiKey *key;
  TallyUsageStats *stats;
} KeyRow;

typedef struct
{
  TallyClient *client;
  TallyUsageQuery *query;
  char *server_label;
  char *account_label;
  GOutputStream *out;

  /* fetched */
  char *start_date;
  char *end_date;
  GListModel *points; /* zero-filled TallyTrendPoint */
  TallyUsageStats *stats;
  TallyModelBreakdown *models;
  GPtrArray *key_rows; /* KeyRow */
  gboolean offset_known;
  int utc_offset;        /* older servers: the newest row's offset */
  TallyServerZone *zone; /* the zone /settings/public names, or NULL */

  guint pending;
  GError *error; /* the first failure */

  /* while writing */
  GError *write_error;
} PdfReport;

static void
key_row_free (gpointer data)
{
  KeyRow *row = data;

  g_clear_object (&row->key);
  g_clear_object (&row->stats);
  g_free (row);
}

static void
pdf_report_free (gpointer data)
{
  PdfReport *report = data;

  if (report->out != NULL)
    tally_atomic_file_abort (report->out);
  g_clear_object (&report->out);
  g_clear_object (&report->client);
  g_clear_pointer (&report->query, tally_usage_query_free);
  g_clear_pointer (&report->server_label, g_free);
  g_clear_pointer (&report->account_label, g_free);
  g_clear_pointer (&report->start_date, g_free);
  g_clear_pointer (&report->end_date, g_free);
  g_clear_object (&report->points);
  g_clear_object (&report->stats);
  g_clear_object (&report->models);
  g_clear_pointer (&report->key_rows, g_ptr_array_unref);
  g_clear_pointer (&report->zone, tally_server_zone_unref);
  g_clear_error (&report->error);
  g_clear_error (&report->write_error);
  g_free (report);
}

/* ------------------------------------------------------------- drawing */

static PangoLayout *
new_layout (cairo_t *cr,
            const char *font,
            const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr (PangoFontDescription) desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);

  return layout;
}

/* Draws @text (plain text, never markup) at (@x, @y); @align 0 = left edge at
 * x, 1 = right edge at x. Text wider than @max_width (> 0) is ellipsized.
 * Returns the height in points. */
static double
draw_text (cairo_t *cr,
           const char *font,
           const char *text,
           double x,
           double y,
           double max_width,
           double align,
           const TallyRGBA *color)
{
  g_autoptr (PangoLayout) layout = new_layout (cr, font, text != NULL ? text : "");
  int width;
  int height;

  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_size (layout, &width, &height);

  tally_rgba_set_source (cr, color);
  cairo_move_to (cr, x - align * width / (double) PANGO_SCALE, y);
  pango_cairo_show_layout (cr, layout);

  return height / (double) PANGO_SCALE;
}

/* A paragraph wrapped to @width; returns its height. */
static double
draw_paragraph (cairo_t *cr,
                const char *font,
                const char *text,
                double x,
                double y,
                double width,
                const TallyRGBA *color)
{
  g_autoptr (PangoLayout) layout = new_layout (cr, font, text);
  int height;

  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_get_size (layout, NULL, &height);

  tally_rgba_set_source (cr, color);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);

  return height / (double) PANGO_SCALE;
}

static void
draw_rule (cairo_t *cr,
           double y,
           const TallyRGBA *color)
{
  tally_rgba_set_source (cr, color);
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, MARGIN, y + 0.25);
  cairo_line_to (cr, PAGE_WIDTH - MARGIN, y + 0.25);
  cairo_stroke (cr);
}

typedef struct
{
  const char *title;
  double width;     /* fraction of CONTENT_WIDTH */
  gboolean numeric; /* right-aligned */
} Column;

/* One table row; @cells has one text per column. Returns the row height. */
static double
draw_table_row (cairo_t *cr,
                const Column *columns,
                guint n_columns,
                const char *const *cells,
                double y,
                gboolean bold,
                const TallyChartPalette *palette)
{
  const char *font = bold ? "Sans Bold 8" : "Sans 8";
  double x = MARGIN;

  for (guint i = 0; i < n_columns; i++)
    {
      double width = columns[i].width * CONTENT_WIDTH;

      if (columns[i].numeric)
        draw_text (cr, font, cells[i], x + width - 2, y, width - 6, 1.0, &palette->foreground);
      else
        draw_text (cr, font, cells[i], x, y, width - 6, 0.0, &palette->foreground);
      x += width;
    }

  return ROW_HEIGHT;
}

static double
draw_table_header (cairo_t *cr,
                   const Column *columns,
                   guint n_columns,
                   double y,
                   const TallyChartPalette *palette)
{
  double x = MARGIN;

  for (guint i = 0; i < n_columns; i++)
    {
      double width = columns[i].width * CONTENT_WIDTH;

      if (columns[i].numeric)
        draw_text (cr, "Sans Bold 8", _ (columns[i].title), x + width - 2, y, width - 6, 1.0, &palette->dim_foreground);
      else
        draw_text (cr, "Sans Bold 8", _ (columns[i].title), x, y, width - 6, 0.0, &palette->dim_foreground);
      x += width;
    }
  draw_rule (cr, y + ROW_HEIGHT, &palette->grid);

  return ROW_HEIGHT + 3;
}

static double
draw_section_title (cairo_t *cr,
                    const char *title,
                    double y,
                    const TallyChartPalette *palette)
{
  return draw_text (cr, "Sans Bold 11", title, MARGIN, y, CONTENT_WIDTH, 0.0, &palette->foreground) + 4;
}

static const Column model_columns[] = {
  { N_ ("Model"), 0.31, FALSE },
  { N_ ("Requests"), 0.10, TRUE },
  { N_ ("Input"), 0.10, TRUE },
  { N_ ("Output"), 0.10, TRUE },
  { N_ ("Tokens"), 0.11, TRUE },
  { N_ ("List price"), 0.14, TRUE },
  { N_ ("Billed"), 0.14, TRUE },
};

static double
draw_model_row (cairo_t *cr,
                const char *name,
                gint64 requests,
                gint64 input_tokens,
                gint64 output_tokens,
                gint64 total_tokens,
                double cost,
                double actual_cost,
                double y,
                gboolean bold,
                const TallyChartPalette *palette)
{
  const TallyNumberStyle *style = tally_number_style_locale ();
  g_autofree char *r = tally_format_count_styled (requests, style);
  g_autofree char *in = tally_format_tokens_styled (input_tokens, style);
  g_autofree char *out = tally_format_tokens_styled (output_tokens, style);
  g_autofree char *t = tally_format_tokens_styled (total_tokens, style);
  g_autofree char *c = tally_format_cost_styled (cost, style);
  g_autofree char *a = tally_format_cost_styled (actual_cost, style);
  const char *cells[] = { name, r, in, out, t, c, a };

  return draw_table_row (cr, model_columns, G_N_ELEMENTS (model_columns), cells, y, bold, palette);
}

static double
draw_models (cairo_t *cr,
             PdfReport *report,
             double y,
             const TallyChartPalette *palette)
{
  GListModel *models = tally_model_breakdown_get_models (report->models);
  guint n_models = g_list_model_get_n_items (models);
  guint shown = n_models > MAX_TABLE_ROWS + 1 ? MAX_TABLE_ROWS : n_models;
  gint64 requests = 0, input = 0, output = 0, total = 0;
  double cost = 0, actual = 0;
  gint64 o_requests = 0, o_input = 0, o_output = 0, o_total = 0;
  double o_cost = 0, o_actual = 0;

  y += draw_section_title (cr, _ ("By model"), y, palette);
  y += draw_table_header (cr, model_columns, G_N_ELEMENTS (model_columns), y, palette);

  if (n_models == 0)
    return y + draw_text (cr, "Sans Italic 8", _ ("No usage in this range"), MARGIN, y, CONTENT_WIDTH, 0.0, &palette->dim_foreground);

  for (guint i = 0; i < n_models; i++)
    {
      g_autoptr (TallyModelStat) stat = g_list_model_get_item (models, i);

      requests += tally_model_stat_get_requests (stat);
      input += tally_model_stat_get_input_tokens (stat);
      output += tally_model_stat_get_output_tokens (stat);
      total += tally_model_stat_get_total_tokens (stat);
      cost += tally_model_stat_get_cost (stat);
      actual += tally_model_stat_get_actual_cost (stat);

      if (i < shown)
        {
          y += draw_model_row (cr, tally_model_stat_get_model (stat),
                               tally_model_stat_get_requests (stat),
                               tally_model_stat_get_input_tokens (stat),
                               tally_model_stat_get_output_tokens (stat),
                               tally_model_stat_get_total_tokens (stat),
                               tally_model_stat_get_cost (stat),
                               tally_model_stat_get_actual_cost (stat),
                               y, FALSE, palette);
        }
      else
        {
          o_requests += tally_model_stat_get_requests (stat);
          o_input += tally_model_stat_get_input_tokens (stat);
          o_output += tally_model_stat_get_output_tokens (stat);
          o_total += tally_model_stat_get_total_tokens (stat);
          o_cost += tally_model_stat_get_cost (stat);
          o_actual += tally_model_stat_get_actual_cost (stat);
        }
    }

  if (shown < n_models)
    {
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u other model",
                                                             "%u other models", n_models - shown),
                                                n_models - shown);

      y += draw_model_row (cr, label, o_requests, o_input, o_output, o_total, o_cost, o_actual,
                           y, FALSE, palette);
    }

  draw_rule (cr, y, &palette->grid);
  y += 2;
  y += draw_model_row (cr, _ ("Total"), requests, input, output, total, cost, actual, y, TRUE, palette);

  return y;
}

static const Column key_columns[] = {
  { N_ ("Key"), 0.37, FALSE },
  { N_ ("Status"), 0.12, FALSE },
  { N_ ("Requests"), 0.10, TRUE },
  { N_ ("Tokens"), 0.13, TRUE },
  { N_ ("List price"), 0.14, TRUE },
  { N_ ("Billed"), 0.14, TRUE },
};

static double
draw_key_row (cairo_t *cr,
              const char *name,
              const char *status,
              gint64 requests,
              gint64 tokens,
              double cost,
              double actual_cost,
              double y,
              gboolean bold,
              const TallyChartPalette *palette)
{
  const TallyNumberStyle *style = tally_number_style_locale ();
  g_autofree char *r = requests >= 0 ? tally_format_count_styled (requests, style) : g_strdup ("");
  g_autofree char *t = tokens >= 0 ? tally_format_tokens_styled (tokens, style) : g_strdup ("");
  g_autofree char *c = tally_format_cost_styled (cost, style);
  g_autofree char *a = tally_format_cost_styled (actual_cost, style);
  const char *cells[] = { name, status, r, t, c, a };

  return draw_table_row (cr, key_columns, G_N_ELEMENTS (key_columns), cells, y, bold, palette);
}

static int
compare_key_rows (gconstpointer a,
                  gconstpointer b)
{
  const KeyRow *ra = *(const KeyRow *const *) a;
  const KeyRow *rb = *(const KeyRow *const *) b;
  double ca = tally_usage_stats_get_total_actual_cost (ra->stats);
  double cb = tally_usage_stats_get_total_actual_cost (rb->stats);
  gint64 ia = tally_api_key_get_id (ra->key);
  gint64 ib = tally_api_key_get_id (rb->key);

  if (ca != cb)
    return ca > cb ? -1 : 1;
  return ia < ib ? -1 : ia > ib ? 1
                                : 0;
}

static double
draw_keys (cairo_t *cr,
           PdfReport *report,
           double y,
           const TallyChartPalette *palette)
{
  guint n_keys = report->key_rows->len;
  guint shown = n_keys > MAX_TABLE_ROWS + 1 ? MAX_TABLE_ROWS : n_keys;
  gint64 o_requests = 0, o_tokens = 0;
  double o_cost = 0, o_actual = 0;
  gint64 sum_requests = 0, sum_tokens = 0;
  double sum_cost = 0, sum_actual = 0;
  gint64 d_requests, d_tokens;
  double d_cost, d_actual;

  g_ptr_array_sort (report->key_rows, compare_key_rows);

  y += draw_section_title (cr, _ ("By API key"), y, palette);
  y += draw_table_header (cr, key_columns, G_N_ELEMENTS (key_columns), y, palette);

  for (guint i = 0; i < n_keys; i++)
    {
      const KeyRow *row = g_ptr_array_index (report->key_rows, i);
      gint64 requests = tally_usage_stats_get_total_requests (row->stats);
      gint64 tokens = tally_usage_stats_get_total_tokens (row->stats);
      double cost = tally_usage_stats_get_total_cost (row->stats);
      double actual = tally_usage_stats_get_total_actual_cost (row->stats);

      sum_requests += requests;
      sum_tokens += tokens;
      sum_cost += cost;
      sum_actual += actual;

      if (i < shown)
        {
          g_autofree char *name = g_strdup_printf ("%s (%" G_GINT64_FORMAT ")",
                                                   tally_api_key_get_name (row->key),
                                                   tally_api_key_get_id (row->key));

          y += draw_key_row (cr, name, tally_api_key_get_status (row->key), requests, tokens, cost,
                             actual, y, FALSE, palette);
        }
      else
        {
          o_requests += requests;
          o_tokens += tokens;
          o_cost += cost;
          o_actual += actual;
        }
    }

  if (shown < n_keys)
    {
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u other key",
                                                             "%u other keys", n_keys - shown),
                                                n_keys - shown);

      y += draw_key_row (cr, label, "", o_requests, o_tokens, o_cost, o_actual, y, FALSE, palette);
    }

  /* Usage of deleted keys counts in the totals but no key lists it (API.md §5.6). */
  d_requests = MAX (tally_usage_stats_get_total_requests (report->stats) - sum_requests, 0);
  d_tokens = MAX (tally_usage_stats_get_total_tokens (report->stats) - sum_tokens, 0);
  d_cost = MAX (tally_usage_stats_get_total_cost (report->stats) - sum_cost, 0.0);
  /* the rule of the window and `tally keys`, over the report's range */
  if (tally_deleted_keys (0, tally_usage_stats_get_total_actual_cost (report->stats), 0, sum_actual, NULL, &d_actual))
    y += draw_key_row (cr, _ ("Deleted keys"), "", d_requests, d_tokens, d_cost, d_actual, y, FALSE, palette);

  draw_rule (cr, y, &palette->grid);
  y += 2;
  y += draw_key_row (cr, _ ("Total"), "",
                     tally_usage_stats_get_total_requests (report->stats),
                     tally_usage_stats_get_total_tokens (report->stats),
                     tally_usage_stats_get_total_cost (report->stats),
                     tally_usage_stats_get_total_actual_cost (report->stats),
                     y, TRUE, palette);

  return y;
}

static double
draw_header (cairo_t *cr,
             PdfReport *report,
             double y,
             const TallyChartPalette *palette)
{
  g_autofree char *server = NULL;
  g_autofree char *account = NULL;
  g_autofree char *range = NULL;
  g_autofree char *zone = NULL;
  int n_days = tally_date_range_days (report->start_date, report->end_date);

  y += draw_text (cr, "Sans Bold 18", _ ("Usage summary"), MARGIN, y, CONTENT_WIDTH, 0.0, &palette->foreground) + 6;

  server = g_strdup_printf (_ ("Server: %s"), report->server_label != NULL ? report->server_label : "—");
  y += draw_text (cr, "Sans 9", server, MARGIN, y, CONTENT_WIDTH, 0.0, &palette->foreground) + 1;

  account = g_strdup_printf (_ ("Account: %s"), report->account_label != NULL ? report->account_label : "—");
  y += draw_text (cr, "Sans 9", account, MARGIN, y, CONTENT_WIDTH, 0.0, &palette->foreground) + 1;

  range = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Range: %s to %s (%d day, server days)",
                                        "Range: %s to %s (%d days, server days)", n_days),
                           report->start_date, report->end_date, n_days);
  y += draw_text (cr, "Sans 9", range, MARGIN, y, CONTENT_WIDTH, 0.0, &palette->foreground) + 1;

  if (report->zone != NULL)
    {
      /* the offset of the range's last day, with the zone's name */
      g_autofree char *offset = tally_server_zone_describe (report->zone, report->end_date,
                                                            g_get_real_time () / G_USEC_PER_SEC);

      zone = g_strdup_printf (_ ("Time zone: %s (the server’s; days start at its midnight)"), offset);
    }
  else if (report->offset_known)
    {
      g_autofree char *offset = tally_format_utc_offset (report->utc_offset);

      zone = g_strdup_printf (_ ("Time zone: %s (the server’s; days start at its midnight)"), offset);
    }
  else
    zone = g_strdup (_ ("Time zone: the server’s (no request in the log to tell its offset)"));
  y += draw_text (cr, "Sans 9", zone, MARGIN, y, CONTENT_WIDTH, 0.0, &palette->foreground) + 10;

  draw_rule (cr, y, &palette->grid);

  return y + 10;
}

static double
draw_totals (cairo_t *cr,
             PdfReport *report,
             double y,
             const TallyChartPalette *palette)
{
  double billed = tally_usage_stats_get_total_actual_cost (report->stats);
  double list = tally_usage_stats_get_total_cost (report->stats);
  const TallyNumberStyle *style = tally_number_style_locale ();
  g_autofree char *billed_text = tally_format_cost_styled (billed, style);
  g_autofree char *list_text = tally_format_cost_styled (list, style);
  g_autofree char *requests = tally_format_count_styled (tally_usage_stats_get_total_requests (report->stats), style);
  g_autofree char *tokens = tally_format_count_styled (tally_usage_stats_get_total_tokens (report->stats), style);
  g_autofree char *counts = NULL;
  g_autofree char *explain = NULL;
  double column = CONTENT_WIDTH / 3;
  double height;

  draw_text (cr, "Sans 9", _ ("Billed"), MARGIN, y, column, 0.0, &palette->dim_foreground);
  draw_text (cr, "Sans 9", _ ("At list price"), MARGIN + column, y, column, 0.0, &palette->dim_foreground);
  draw_text (cr, "Sans 9", _ ("Requests and tokens"), MARGIN + 2 * column, y, column, 0.0, &palette->dim_foreground);
  y += 14;

  height = draw_text (cr, "Sans Bold 16", billed_text, MARGIN, y, column, 0.0, &palette->foreground);
  draw_text (cr, "Sans 16", list_text, MARGIN + column, y, column, 0.0, &palette->foreground);
  counts = g_strdup_printf (_ ("%s requests\n%s tokens"), requests, tokens);
  draw_paragraph (cr, "Sans 9", counts, MARGIN + 2 * column, y, column, &palette->foreground);
  y += height + 8;

  if (list > 0)
    {
      g_autofree char *ratio = tally_format_number_exact_styled (round (billed / list * 1000) / 1000, style);

      explain = g_strdup_printf (_ ("Billed = list price × group rate multiplier. The list price is what "
                                    "the requests cost at the models’ standard rates; each API key’s group "
                                    "applies its multiplier (for example 1.5 for a premium group, 0.8 for a "
                                    "discounted one), and the billed amount is what was charged to the "
                                    "balance or subscription. Over this range, billed ÷ list = %s."),
                                 ratio);
    }
  else
    explain = g_strdup (_ ("Billed = list price × group rate multiplier. The list price is what the "
                           "requests cost at the models’ standard rates; each API key’s group applies its "
                           "multiplier, and the billed amount is what was charged to the balance or "
                           "subscription."));
  y += draw_paragraph (cr, "Sans 8", explain, MARGIN, y, CONTENT_WIDTH, &palette->dim_foreground);

  return y + 12;
}

static double
draw_trend (cairo_t *cr,
            PdfReport *report,
            double y,
            const TallyChartPalette *palette)
{
  PangoContext *context = pango_cairo_create_context (cr);
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string ("Sans 7");
  g_autoptr (TallyTrendChartLayout) layout = NULL;

  y += draw_section_title (cr, _ ("Billed cost per day"), y, palette);

  pango_context_set_font_description (context, font);
  layout = tally_trend_chart_layout_new_for_model (report->points, TALLY_TREND_SERIES_BILLED_COST,
                                                   (int) CONTENT_WIDTH, CHART_HEIGHT, context);
  cairo_save (cr);
  cairo_translate (cr, MARGIN, y);
  tally_trend_chart_draw (cr, layout, palette, -1);
  cairo_restore (cr);
  g_object_unref (context);

  return y + CHART_HEIGHT + 12;
}

static void
draw_footer (cairo_t *cr,
             const TallyChartPalette *palette)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  /* Translators: when the PDF report was made, in g_date_time_format()
   * syntax ("2026-01-15 11:59 +08:00") */
  g_autofree char *stamp = g_date_time_format (now, _ ("%Y-%m-%d %H:%M %:z"));
  g_autofree char *text = g_strdup_printf (_ ("Generated by Tally on %s. Figures as reported by the server."),
                                           stamp);

  draw_text (cr, "Sans 7", text, MARGIN, PAGE_HEIGHT - MARGIN + 8, CONTENT_WIDTH, 0.0, &palette->dim_foreground);
}

static cairo_status_t
write_to_stream (void *closure,
                 const unsigned char *data,
                 unsigned int length)
{
  PdfReport *report = closure;

  if (report->write_error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;

  if (!g_output_stream_write_all (report->out, data, length, NULL, NULL, &report->write_error))
    return CAIRO_STATUS_WRITE_ERROR;

  return CAIRO_STATUS_SUCCESS;
}

static gboolean
render (PdfReport *report,
        GError **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  TallyChartPalette palette;
  cairo_status_t status;
  double y = MARGIN;

  tally_chart_palette_init_light (&palette);

  surface = cairo_pdf_surface_create_for_stream (write_to_stream, report, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_restrict_to_version (surface, CAIRO_PDF_VERSION_1_5);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _ ("Usage summary"));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Tally");
  cr = cairo_create (surface);

  y = draw_header (cr, report, y, &palette);
  y = draw_totals (cr, report, y, &palette);
  y = draw_trend (cr, report, y, &palette);
  y = draw_models (cr, report, y, &palette);
  y += 12;
  draw_keys (cr, report, y, &palette);
  draw_footer (cr, &palette);

  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (report->write_error != NULL)
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_IO, "%s", report->write_error->message);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_IO, _ ("Could not draw the PDF: %s"), cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------ fetching */

/* Fails the task; the temporary file goes at once (the target is untouched). */
static void
report_fail (GTask *task,
             GError *error)
{
  PdfReport *report = g_task_get_task_data (task);

  if (report->out != NULL)
    tally_atomic_file_abort (report->out);
  g_task_return_error (task, error);
}

static gboolean
report_fail_if_cancelled (GTask *task)
{
  GError *error = NULL;

  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    return FALSE;

  report_fail (task, error);
  return TRUE;
}

static void
report_complete (GTask *task)
{
  PdfReport *report = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (GOutputStream) out = NULL;
  g_autoptr (GError) error = NULL;

  if (report->error != NULL)
    {
      report_fail (task, g_steal_pointer (&report->error));
      return;
    }

  if (report_fail_if_cancelled (task))
    return;

  if (!render (report, &error))
    {
      report_fail (task, g_steal_pointer (&error));
      return;
    }

  /* A cancel that arrives while drawing still wins: no file. */
  if (report_fail_if_cancelled (task))
    return;

  out = g_steal_pointer (&report->out);
  if (!tally_atomic_file_commit (out, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* One fetch of the second stage finished (successfully or with @error). */
static void
report_step_done (GTask *task,
                  GError *error)
{
  PdfReport *report = g_task_get_task_data (task);

  if (error != NULL)
    {
      if (report->error == NULL)
        report->error = error;
      else
        g_error_free (error);
    }

  g_assert (report->pending > 0);
  if (--report->pending == 0)
    report_complete (task);
}

static void
stats_cb (GObject *object,
          GAsyncResult *result,
          gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PdfReport *report = g_task_get_task_data (task);
  GError *error = NULL;

  report->stats = tally_client_get_usage_stats_finish (report->client, result, &error);
  report_step_done (task, error);
}

static void
models_cb (GObject *object,
           GAsyncResult *result,
           gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PdfReport *report = g_task_get_task_data (task);
  GError *error = NULL;

  report->models = tally_client_get_model_stats_finish (report->client, result, &error);
  report_step_done (task, error);
}

static void
offset_cb (GObject *object,
           GAsyncResult *result,
           gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PdfReport *report = g_task_get_task_data (task);
  g_autoptr (TallyPage) page = NULL;
  GError *error = NULL;

  page = tally_client_list_usage_finish (report->client, result, &error);
  if (page != NULL)
    {
      GListModel *items = tally_page_get_items (page);

      if (g_list_model_get_n_items (items) > 0)
        {
          g_autoptr (TallyUsageLog) log = g_list_model_get_item (items, 0);

          report->offset_known = tally_utc_offset_from_timestamp (tally_usage_log_get_created_at_raw (log), &report->utc_offset);
        }
    }

  report_step_done (task, error);
}

static void
settings_cb (GObject *object,
             GAsyncResult *result,
             gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PdfReport *report = g_task_get_task_data (task);
  g_autoptr (TallyPublicSettings) settings = NULL;
  g_autoptr (GError) error = NULL;

  /* Best effort: without it the newest row's offset is used. */
  settings = tally_client_get_public_settings_finish (report->client, result, &error);
  if (settings != NULL)
    report->zone = tally_server_zone_new_from_settings (tally_public_settings_get_server_timezone (settings),
                                                        tally_public_settings_get_server_utc_offset (settings));

  report_step_done (task, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? g_steal_pointer (&error) : NULL);
}

typedef struct
{
  GTask *task;
  KeyRow *row;
} KeyStep;

static void
key_stats_cb (GObject *object,
              GAsyncResult *result,
              gpointer user_data)
{
  KeyStep *step = user_data;
  g_autoptr (GTask) task = step->task;
  PdfReport *report = g_task_get_task_data (task);
  GError *error = NULL;

  step->row->stats = tally_client_get_usage_stats_finish (report->client, result, &error);
  g_free (step);
  report_step_done (task, error);
}

static void
keys_cb (GObject *object,
         GAsyncResult *result,
         gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PdfReport *report = g_task_get_task_data (task);
  g_autoptr (GListModel) keys = NULL;
  GError *error = NULL;
  guint n_keys;

  keys = tally_client_list_all_keys_finish (report->client, result, &error);
  if (keys == NULL)
    {
      report_step_done (task, error);
      return;
    }

  n_keys = g_list_model_get_n_items (keys);
  for (guint i = 0; i < n_keys; i++)
    {
      g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
      KeyStep *step = g_new0 (KeyStep, 1);
      KeyRow *row = g_new0 (KeyRow, 1);

      row->key = g_list_model_get_item (keys, i);
      g_ptr_array_add (report->key_rows, row);

      tally_usage_query_set_api_key_id (query, tally_api_key_get_id (row->key));
      tally_usage_query_set_range (query, report->start_date, report->end_date, NULL);

      step->task = g_object_ref (task);
      step->row = row;
      report->pending++;
      tally_client_get_usage_stats_async (report->client, query, g_task_get_cancellable (task),
                                          key_stats_cb, step);
    }

  report_step_done (task, NULL);
}

static void
trend_cb (GObject *object,
          GAsyncResult *result,
          gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PdfReport *report = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (TallyTrend) trend = NULL;
  g_autoptr (TallyUsageQuery) range = tally_usage_query_new ();
  g_autoptr (GError) error = NULL;

  trend = tally_client_get_trend_finish (report->client, result, &error);
  if (trend == NULL)
    {
      report_fail (task, g_steal_pointer (&error));
      return;
    }

  /* The range the server resolved (it fills in defaults for missing dates). */
  report->start_date = g_strdup (tally_trend_get_start_date (trend));
  report->end_date = g_strdup (tally_trend_get_end_date (trend));
  report->points = tally_trend_zero_fill (tally_trend_get_points (trend), report->start_date,
                                          report->end_date, TALLY_GRANULARITY_DAY);

  if (!tally_usage_query_set_range (range, report->start_date, report->end_date, NULL))
    {
      report_fail (task, g_error_new (TALLY_ERROR, TALLY_ERROR_BAD_RESPONSE,
                                      _ ("The server answered with an invalid range (%s to %s)"),
                                      report->start_date, report->end_date));
      return;
    }

  report->pending = 5;
  tally_client_get_usage_stats_async (report->client, range, cancellable, stats_cb, g_object_ref (task));
  tally_client_get_model_stats_async (report->client, report->start_date, report->end_date, cancellable,
                                      models_cb, g_object_ref (task));
  tally_client_list_all_keys_async (report->client, cancellable, keys_cb, g_object_ref (task));
  /* The newest row carries the server's UTC offset in its timestamp. */
  tally_client_list_usage_async (report->client, NULL, 1, 1, cancellable, offset_cb, g_object_ref (task));
  /* A today's server names its zone. */
  tally_client_get_public_settings_async (report->client, cancellable, settings_cb, g_object_ref (task));
}

/* ---------------------------------------------------------- public API */

void
tally_report_pdf_export_async (TallyClient *client,
                               const TallyUsageQuery *query,
                               const char *server_label,
                               const char *account_label,
                               GFile *target,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  PdfReport *report;

  g_return_if_fail (TALLY_IS_CLIENT (client));
  g_return_if_fail (G_IS_FILE (target));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  report = g_new0 (PdfReport, 1);
  report->client = g_object_ref (client);
  report->query = query != NULL ? tally_usage_query_copy (query) : tally_usage_query_new ();
  report->server_label = g_strdup (server_label);
  report->account_label = g_strdup (account_label);
  report->key_rows = g_ptr_array_new_with_free_func (key_row_free);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tally_report_pdf_export_async);
  g_task_set_task_data (task, report, pdf_report_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  report->out = tally_atomic_file_open (target, cancellable, &error);
  if (report->out == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  tally_client_get_trend_async (client,
                                tally_usage_query_get_start_date (report->query),
                                tally_usage_query_get_end_date (report->query),
                                TALLY_GRANULARITY_DAY,
                                cancellable,
                                trend_cb,
                                g_object_ref (task));
}

gboolean
tally_report_pdf_export_finish (GAsyncResult *result,
                                GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tally_report_pdf_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

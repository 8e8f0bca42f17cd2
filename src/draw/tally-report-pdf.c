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
#include "tally-error.h"
#include "tally-format.h"
#include "tally-model-stat.h"
#include "tally-report-pdf.h"
#include "tally-server-time.h"
#include "tally-server-zone.h"
#include "tally-trend-chart-draw.h"
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

/* Where cairo's PDF surface writes to */
typedef struct
{
  GOutputStream *out;
  GError *error; /* the first failure */
} PdfStream;

/* ------------------------------------------------------------- drawing */

/* tally_report_pdf_count_cut_texts() counts, through the cairo_t, the texts
 * drawn shorter than they are (ellipsized). */
static const cairo_user_data_key_t cut_texts_key;

static void
note_if_cut (cairo_t *cr,
             PangoLayout *layout)
{
  guint *cut = cairo_get_user_data (cr, &cut_texts_key);

  if (cut != NULL && pango_layout_is_ellipsized (layout))
    (*cut)++;
}

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
  note_if_cut (cr, layout);

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
  double weight;    /* a share of the width the others leave; 0: as wide as its widest cell */
  gboolean numeric; /* right-aligned */
} Column;

#define MAX_COLUMNS 8
#define CELL_PADDING 8.0
/* Text cells wrap onto this many lines before the end is ellipsized */
#define MAX_CELL_LINES 2

/* One row of a table: its cells (owned) and whether it is the total */
typedef struct
{
  GStrv cells;
  gboolean total;
} TableRow;

static void
table_row_free (TableRow *row)
{
  g_strfreev (row->cells);
  g_free (row);
}

static void
table_add (GPtrArray *rows,
           GStrv cells,
           gboolean total)
{
  TableRow *row = g_new0 (TableRow, 1);

  row->cells = cells;
  row->total = total;
  g_ptr_array_add (rows, row);
}

static double
text_width (cairo_t *cr,
            const char *font,
            const char *text)
{
  g_autoptr (PangoLayout) layout = new_layout (cr, font, text);
  int width;

  pango_layout_get_size (layout, &width, NULL);
  return width / (double) PANGO_SCALE;
}

/* Numbers and headers are never cut: a column of weight 0 (the numbers, a
 * status) is as wide as its widest cell or title; the others share the rest
 * by weight. */
static void
table_widths (cairo_t *cr,
              const Column *columns,
              guint n_columns,
              GPtrArray *rows,
              double *widths)
{
  double rest = CONTENT_WIDTH;
  double weights = 0;

  for (guint i = 0; i < n_columns; i++)
    {
      widths[i] = text_width (cr, "Sans Bold 8", _ (columns[i].title)) + CELL_PADDING;
      if (columns[i].weight > 0)
        {
          weights += columns[i].weight;
          continue;
        }
      for (guint r = 0; r < rows->len; r++)
        {
          const TableRow *row = g_ptr_array_index (rows, r);

          widths[i] = MAX (widths[i], text_width (cr, row->total ? "Sans Bold 8" : "Sans 8", row->cells[i]) + CELL_PADDING);
        }
      rest -= widths[i];
    }

  for (guint i = 0; i < n_columns; i++)
    if (columns[i].weight > 0)
      widths[i] = MAX (widths[i], rest * columns[i].weight / weights);
}

/* A text cell: wrapped at @width, at most MAX_CELL_LINES lines. Returns its
 * height. */
static double
draw_cell_text (cairo_t *cr,
                const char *font,
                const char *text,
                double x,
                double y,
                double width,
                const TallyRGBA *color)
{
  g_autoptr (PangoLayout) layout = new_layout (cr, font, text != NULL ? text : "");
  int height;

  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_height (layout, -MAX_CELL_LINES);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_size (layout, NULL, &height);
  note_if_cut (cr, layout);

  tally_rgba_set_source (cr, color);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);

  return height / (double) PANGO_SCALE;
}

/* One row: @cells has one text per column. Returns the row height. */
static double
draw_cells (cairo_t *cr,
            const Column *columns,
            guint n_columns,
            const double *widths,
            const char *const *cells,
            const char *font,
            double y,
            const TallyRGBA *color)
{
  double x = MARGIN;
  double height = ROW_HEIGHT;

  for (guint i = 0; i < n_columns; i++)
    {
      if (columns[i].numeric)
        draw_text (cr, font, cells[i], x + widths[i] - 2, y, 0, 1.0, color);
      else
        height = MAX (height, draw_cell_text (cr, font, cells[i], x, y, widths[i] - CELL_PADDING, color) + 1);
      x += widths[i];
    }

  return height;
}

/* The header, the rows, and a rule above the total. Returns the new y. */
static double
draw_table (cairo_t *cr,
            const Column *columns,
            guint n_columns,
            GPtrArray *rows,
            double y,
            const TallyChartPalette *palette)
{
  double widths[MAX_COLUMNS];
  const char *titles[MAX_COLUMNS];

  g_assert (n_columns <= MAX_COLUMNS);
  table_widths (cr, columns, n_columns, rows, widths);

  for (guint i = 0; i < n_columns; i++)
    titles[i] = _ (columns[i].title);
  y += draw_cells (cr, columns, n_columns, widths, titles, "Sans Bold 8", y, &palette->dim_foreground);
  draw_rule (cr, y, &palette->grid);
  y += 3;

  for (guint r = 0; r < rows->len; r++)
    {
      const TableRow *row = g_ptr_array_index (rows, r);

      if (row->total)
        {
          draw_rule (cr, y, &palette->grid);
          y += 2;
        }
      y += draw_cells (cr, columns, n_columns, widths, (const char *const *) row->cells,
                       row->total ? "Sans Bold 8" : "Sans 8", y, &palette->foreground);
    }

  return y;
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
  { N_ ("Model"), 1, FALSE },
  { N_ ("Requests"), 0, TRUE },
  { N_ ("Input"), 0, TRUE },
  { N_ ("Output"), 0, TRUE },
  { N_ ("Tokens"), 0, TRUE },
  { N_ ("List price"), 0, TRUE },
  { N_ ("Billed"), 0, TRUE },
};

/* The figures of one table row */
typedef struct
{
  gint64 requests;
  gint64 input_tokens;
  gint64 output_tokens;
  gint64 tokens;
  double cost;
  double actual_cost;
} Figures;

static void
figures_add (Figures *sum,
             const Figures *row)
{
  sum->requests += row->requests;
  sum->input_tokens += row->input_tokens;
  sum->output_tokens += row->output_tokens;
  sum->tokens += row->tokens;
  sum->cost += row->cost;
  sum->actual_cost += row->actual_cost;
}

static Figures
model_figures (TallyModelStat *stat)
{
  return (Figures){
    tally_model_stat_get_requests (stat),
    tally_model_stat_get_input_tokens (stat),
    tally_model_stat_get_output_tokens (stat),
    tally_model_stat_get_total_tokens (stat),
    tally_model_stat_get_cost (stat),
    tally_model_stat_get_actual_cost (stat),
  };
}

/* /usage/stats has no input and output split: those stay 0. */
static Figures
stats_figures (TallyUsageStats *stats)
{
  return (Figures){
    tally_usage_stats_get_total_requests (stats),
    0,
    0,
    tally_usage_stats_get_total_tokens (stats),
    tally_usage_stats_get_total_cost (stats),
    tally_usage_stats_get_total_actual_cost (stats),
  };
}

static void
add_model_row (GPtrArray *rows,
               const char *name,
               const Figures *figures,
               gboolean total)
{
  const TallyNumberStyle *style = tally_number_style_locale ();
  GStrv cells = g_new0 (char *, G_N_ELEMENTS (model_columns) + 1);

  cells[0] = g_strdup (name);
  cells[1] = tally_format_count_styled (figures->requests, style);
  cells[2] = tally_format_tokens_styled (figures->input_tokens, style);
  cells[3] = tally_format_tokens_styled (figures->output_tokens, style);
  cells[4] = tally_format_tokens_styled (figures->tokens, style);
  cells[5] = tally_format_cost_table_styled (figures->cost, style);
  cells[6] = tally_format_cost_table_styled (figures->actual_cost, style);
  table_add (rows, cells, total);
}

static double
draw_models (cairo_t *cr,
             TallyReportPdfData *data,
             double y,
             const TallyChartPalette *palette)
{
  GListModel *models = tally_report_pdf_data_get_models (data);
  guint n_models = g_list_model_get_n_items (models);
  guint shown = n_models > MAX_TABLE_ROWS + 1 ? MAX_TABLE_ROWS : n_models;
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) table_row_free);
  Figures total = { 0 };
  Figures others = { 0 };

  y += draw_section_title (cr, _ ("By model"), y, palette);

  if (n_models == 0)
    {
      y = draw_table (cr, model_columns, G_N_ELEMENTS (model_columns), rows, y, palette);
      return y + draw_text (cr, "Sans Italic 8", _ ("No usage in this range"), MARGIN, y, CONTENT_WIDTH, 0.0, &palette->dim_foreground);
    }

  for (guint i = 0; i < n_models; i++)
    {
      g_autoptr (TallyModelStat) stat = g_list_model_get_item (models, i);
      Figures row = model_figures (stat);

      figures_add (&total, &row);

      if (i < shown)
        add_model_row (rows, tally_model_stat_get_model (stat), &row, FALSE);
      else
        figures_add (&others, &row);
    }

  if (shown < n_models)
    {
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u other model",
                                                             "%u other models", n_models - shown),
                                                n_models - shown);

      add_model_row (rows, label, &others, FALSE);
    }

  add_model_row (rows, _ ("Total"), &total, TRUE);

  return draw_table (cr, model_columns, G_N_ELEMENTS (model_columns), rows, y, palette);
}

static const Column key_columns[] = {
  { N_ ("Key"), 1, FALSE },
  { N_ ("Status"), 0, FALSE },
  { N_ ("Requests"), 0, TRUE },
  { N_ ("Tokens"), 0, TRUE },
  { N_ ("List price"), 0, TRUE },
  { N_ ("Billed"), 0, TRUE },
};

static void
add_key_row (GPtrArray *rows,
             const char *name,
             const char *status,
             const Figures *figures,
             gboolean total)
{
  const TallyNumberStyle *style = tally_number_style_locale ();
  GStrv cells = g_new0 (char *, G_N_ELEMENTS (key_columns) + 1);

  cells[0] = g_strdup (name);
  cells[1] = g_strdup (status);
  cells[2] = figures->requests >= 0 ? tally_format_count_styled (figures->requests, style) : g_strdup ("");
  cells[3] = figures->tokens >= 0 ? tally_format_tokens_styled (figures->tokens, style) : g_strdup ("");
  cells[4] = tally_format_cost_table_styled (figures->cost, style);
  cells[5] = tally_format_cost_table_styled (figures->actual_cost, style);
  table_add (rows, cells, total);
}

static double
draw_keys (cairo_t *cr,
           TallyReportPdfData *data,
           double y,
           const TallyChartPalette *palette)
{
  guint n_keys = tally_report_pdf_data_get_n_keys (data);
  guint shown = n_keys > MAX_TABLE_ROWS + 1 ? MAX_TABLE_ROWS : n_keys;
  Figures others = { 0 };
  Figures deleted = { 0 };
  Figures total = stats_figures (tally_report_pdf_data_get_totals (data));
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) table_row_free);

  y += draw_section_title (cr, _ ("By API key"), y, palette);

  for (guint i = 0; i < n_keys; i++)
    {
      TallyApiKey *key = tally_report_pdf_data_get_key (data, i);
      Figures row = stats_figures (tally_report_pdf_data_get_key_stats (data, i));

      if (i < shown)
        {
          g_autofree char *name = g_strdup_printf ("%s (%" G_GINT64_FORMAT ")",
                                                   tally_api_key_get_name (key),
                                                   tally_api_key_get_id (key));

          add_key_row (rows, name, tally_api_key_get_status (key), &row, FALSE);
        }
      else
        figures_add (&others, &row);
    }

  if (shown < n_keys)
    {
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u other key",
                                                             "%u other keys", n_keys - shown),
                                                n_keys - shown);

      add_key_row (rows, label, "", &others, FALSE);
    }

  /* Usage of deleted keys counts in the totals but no key lists it (API.md §5.6). */
  if (tally_report_pdf_data_get_deleted_keys (data, &deleted.requests, &deleted.tokens, &deleted.cost,
                                              &deleted.actual_cost))
    add_key_row (rows, _ ("Deleted keys"), "", &deleted, FALSE);

  add_key_row (rows, _ ("Total"), "", &total, TRUE);

  return draw_table (cr, key_columns, G_N_ELEMENTS (key_columns), rows, y, palette);
}

static double
draw_header (cairo_t *cr,
             TallyReportPdfData *data,
             double y,
             const TallyChartPalette *palette)
{
  g_autofree char *server = NULL;
  g_autofree char *account = NULL;
  g_autofree char *range = NULL;
  g_autofree char *zone = NULL;
  const char *server_label = tally_report_pdf_data_get_server_label (data);
  const char *account_label = tally_report_pdf_data_get_account_label (data);
  const char *start_date = tally_report_pdf_data_get_start_date (data);
  const char *end_date = tally_report_pdf_data_get_end_date (data);
  TallyServerZone *server_zone = tally_report_pdf_data_get_zone (data);
  int utc_offset;
  int n_days = tally_date_range_days (start_date, end_date);

  y += draw_text (cr, "Sans Bold 18", _ ("Usage summary"), MARGIN, y, CONTENT_WIDTH, 0.0, &palette->foreground) + 6;

  server = g_strdup_printf (_ ("Server: %s"), server_label != NULL ? server_label : "—");
  y += draw_text (cr, "Sans 9", server, MARGIN, y, CONTENT_WIDTH, 0.0, &palette->foreground) + 1;

  account = g_strdup_printf (_ ("Account: %s"), account_label != NULL ? account_label : "—");
  y += draw_text (cr, "Sans 9", account, MARGIN, y, CONTENT_WIDTH, 0.0, &palette->foreground) + 1;

  range = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Range: %s to %s (%d day, server days)",
                                        "Range: %s to %s (%d days, server days)", n_days),
                           start_date, end_date, n_days);
  y += draw_text (cr, "Sans 9", range, MARGIN, y, CONTENT_WIDTH, 0.0, &palette->foreground) + 1;

  if (server_zone != NULL)
    {
      /* the offset of the range's last day, with the zone's name */
      g_autofree char *offset = tally_server_zone_describe (server_zone, end_date,
                                                            g_get_real_time () / G_USEC_PER_SEC);

      zone = g_strdup_printf (_ ("Time zone: %s (the server’s; days start at its midnight)"), offset);
    }
  else if (tally_report_pdf_data_get_utc_offset (data, &utc_offset))
    {
      g_autofree char *offset = tally_format_utc_offset (utc_offset);

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
             TallyReportPdfData *data,
             double y,
             const TallyChartPalette *palette)
{
  TallyUsageStats *totals = tally_report_pdf_data_get_totals (data);
  double billed = tally_usage_stats_get_total_actual_cost (totals);
  double list = tally_usage_stats_get_total_cost (totals);
  const TallyNumberStyle *style = tally_number_style_locale ();
  g_autofree char *billed_text = tally_format_cost_styled (billed, style);
  g_autofree char *list_text = tally_format_cost_styled (list, style);
  g_autofree char *requests = tally_format_count_styled (tally_usage_stats_get_total_requests (totals), style);
  g_autofree char *tokens = tally_format_count_styled (tally_usage_stats_get_total_tokens (totals), style);
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
            TallyReportPdfData *data,
            double y,
            const TallyChartPalette *palette)
{
  PangoContext *context = pango_cairo_create_context (cr);
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string ("Sans 7");
  g_autoptr (TallyTrendChartLayout) layout = NULL;

  y += draw_section_title (cr, _ ("Billed cost per day"), y, palette);

  pango_context_set_font_description (context, font);
  /* today so far is drawn as "so far", as in the window */
  {
    g_autofree char *now = tally_report_pdf_data_format_server_now (data);
    g_autoptr (TallyTrendChartData) chart_data = tally_trend_chart_data_new_at (tally_report_pdf_data_get_days (data),
                                                                                TALLY_TREND_SERIES_BILLED_COST, now);

    layout = tally_trend_chart_layout_new (chart_data, (int) CONTENT_WIDTH, CHART_HEIGHT, context);
  }
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
  PdfStream *stream = closure;

  if (stream->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;

  if (!g_output_stream_write_all (stream->out, data, length, NULL, NULL, &stream->error))
    return CAIRO_STATUS_WRITE_ERROR;

  return CAIRO_STATUS_SUCCESS;
}

/**
 * tally_report_pdf_write:
 *
 * Lays out @data on one page and writes it to @out (a TallyReportPdfWriteFunc).
 *
 * Returns: %TRUE, or %FALSE with a TALLY_ERROR_IO in @error
 */
static void
draw_page (cairo_t *cr,
           TallyReportPdfData *data,
           const TallyChartPalette *palette)
{
  double y = MARGIN;

  y = draw_header (cr, data, y, palette);
  y = draw_totals (cr, data, y, palette);
  y = draw_trend (cr, data, y, palette);
  y = draw_models (cr, data, y, palette);
  y += 12;
  draw_keys (cr, data, y, palette);
  draw_footer (cr, palette);
}

guint
tally_report_pdf_count_cut_texts (TallyReportPdfData *data)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  TallyChartPalette palette;
  guint cut = 0;

  g_return_val_if_fail (TALLY_IS_REPORT_PDF_DATA (data), 0);

  tally_chart_palette_init_light (&palette);
  surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cr = cairo_create (surface);
  cairo_set_user_data (cr, &cut_texts_key, &cut, NULL);
  draw_page (cr, data, &palette);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  return cut;
}

gboolean
tally_report_pdf_write (TallyReportPdfData *data,
                        GOutputStream *out,
                        GError **error)
{
  PdfStream stream = { out, NULL };
  cairo_surface_t *surface;
  cairo_t *cr;
  TallyChartPalette palette;
  cairo_status_t status;

  g_return_val_if_fail (TALLY_IS_REPORT_PDF_DATA (data), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  tally_chart_palette_init_light (&palette);

  surface = cairo_pdf_surface_create_for_stream (write_to_stream, &stream, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_restrict_to_version (surface, CAIRO_PDF_VERSION_1_5);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _ ("Usage summary"));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Tally");
  cr = cairo_create (surface);

  draw_page (cr, data, &palette);

  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (stream.error != NULL)
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_IO, "%s", stream.error->message);
      g_error_free (stream.error);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_IO, _ ("Could not draw the PDF: %s"), cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

/* tally-trend-chart-dense.c: the trend chart's dense series, rasterised by pixel column
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-trend-chart-draw"

#include "config.h"

#include <math.h>

#include "tally-trend-chart-draw-private.h"

/* The polyline's y at device x @x (points already in device units). */
static double
polyline_y_at (const double *xy,
               guint n,
               double scale,
               guint *segment,
               double x)
{
  guint j = *segment;
  double x0;
  double x1;

  while (j + 2 < n && xy[2 * (j + 1)] * scale <= x)
    j++;
  *segment = j;

  x0 = xy[2 * j] * scale;
  x1 = xy[2 * (j + 1)] * scale;
  if (x <= x0)
    return xy[2 * j + 1] * scale;
  if (x >= x1)
    return xy[2 * (j + 1) + 1] * scale;

  return (xy[2 * j + 1] + (xy[2 * (j + 1) + 1] - xy[2 * j + 1]) * (x - x0) / (x1 - x0)) * scale;
}

/* Fraction of device row [row, row + 1) covered by [top, bottom] */
static inline double
row_coverage (double row,
              double top,
              double bottom)
{
  double covered = MIN (row + 1, bottom) - MAX (row, top);

  return CLAMP (covered, 0, 1);
}

/* Rasterises the series by device pixel column: in each column the line
 * covers the range of the polyline there (its ends and every point inside),
 * thickened by the line width, and the area fills from the column's highest
 * point down to the baseline with the gradient's alpha baked in. With
 * several points per pixel this is what a stroked path looks like, at the
 * cost of two mask composites per frame instead of scan-converting thousands
 * of overlapping edges. */
static void
build_series_masks (TallyTrendChartLayout *layout,
                    double scale)
{
  const double *xy = layout->xy;
  guint n = layout->n_drawn;
  double first_x = xy[0] * scale;
  double last_x = xy[2 * (n - 1)] * scale;
  double top = layout->plot.origin.y * scale;
  double baseline = (layout->plot.origin.y + layout->plot.size.height) * scale;
  double half_line = layout->line_width * scale / 2;
  int x0 = (int) floor (first_x);
  int x1 = (int) ceil (last_x);
  int y0 = (int) floor (top - half_line - 1);
  int y1 = (int) ceil (baseline + half_line + 1);
  int width = MAX (1, x1 - x0);
  int height = MAX (1, y1 - y0);
  guchar *line_data;
  guchar *area_data;
  int line_stride;
  int area_stride;
  guint segment = 0;
  guint next_point = 0;
  g_autofree double *area_alpha = g_new (double, height);
  g_autofree double *line_top = g_new (double, width);
  g_autofree double *line_bottom = g_new (double, width);
  g_autofree double *coverage = g_new0 (double, width);
  /* A stroke wider than a pixel spills into the neighbouring columns. */
  double spill = CLAMP (half_line - 0.5, 0, 1);

  g_clear_pointer (&layout->line_mask, cairo_surface_destroy);
  g_clear_pointer (&layout->area_mask, cairo_surface_destroy);

  layout->mask_scale = scale;
  layout->mask_x = x0;
  layout->mask_y = y0;
  layout->line_mask = cairo_image_surface_create (CAIRO_FORMAT_A8, width, height);
  layout->area_mask = cairo_image_surface_create (CAIRO_FORMAT_A8, width, height);
  cairo_surface_flush (layout->line_mask);
  cairo_surface_flush (layout->area_mask);
  line_data = cairo_image_surface_get_data (layout->line_mask);
  area_data = cairo_image_surface_get_data (layout->area_mask);
  line_stride = cairo_image_surface_get_stride (layout->line_mask);
  area_stride = cairo_image_surface_get_stride (layout->area_mask);

  for (int r = 0; r < height; r++)
    {
      double t = CLAMP ((y0 + r + 0.5 - top) / MAX (1, baseline - top), 0, 1);

      area_alpha[r] = AREA_ALPHA_TOP + (AREA_ALPHA_BOTTOM - AREA_ALPHA_TOP) * t;
    }

  for (int c = 0; c < width; c++)
    {
      double left = MAX (x0 + c, first_x);
      double right = MIN (x0 + c + 1, last_x);
      double lo;
      double hi;
      double horizontal;
      int r_start;
      int r_end;

      if (right <= left)
        continue;

      /* Partial columns at both ends are covered in proportion. */
      horizontal = right - left;
      lo = hi = polyline_y_at (xy, n, scale, &segment, left);
      while (next_point < n && xy[2 * next_point] * scale < right)
        {
          if (xy[2 * next_point] * scale >= left)
            {
              double y = xy[2 * next_point + 1] * scale;

              lo = MIN (lo, y);
              hi = MAX (hi, y);
            }
          next_point++;
        }
      {
        double y = polyline_y_at (xy, n, scale, &segment, right);

        lo = MIN (lo, y);
        hi = MAX (hi, y);
      }

      line_top[c] = lo - half_line;
      line_bottom[c] = hi + half_line;
      coverage[c] = horizontal;

      r_start = CLAMP ((int) floor (lo) - y0, 0, height);
      r_end = CLAMP ((int) ceil (baseline) - y0, 0, height);
      for (int r = r_start; r < r_end; r++)
        area_data[r * area_stride + c] = (guchar) (255 * horizontal * area_alpha[r] * row_coverage (y0 + r, lo, baseline) + 0.5);
    }

  /* The line: each column's span, plus what its neighbours' spans spill */
  for (int c = 0; c < width; c++)
    {
      double top_c = G_MAXDOUBLE;
      double bottom_c = -G_MAXDOUBLE;
      int r_start;
      int r_end;

      for (int k = MAX (0, c - 1); k <= MIN (width - 1, c + 1); k++)
        if (coverage[k] > 0)
          {
            top_c = MIN (top_c, line_top[k]);
            bottom_c = MAX (bottom_c, line_bottom[k]);
          }

      if (top_c > bottom_c)
        continue;

      r_start = CLAMP ((int) floor (top_c) - y0, 0, height);
      r_end = CLAMP ((int) ceil (bottom_c) - y0, 0, height);
      for (int r = r_start; r < r_end; r++)
        {
          double value = coverage[c] * row_coverage (y0 + r, line_top[c], line_bottom[c]);

          if (c > 0)
            value = MAX (value, spill * coverage[c - 1] * row_coverage (y0 + r, line_top[c - 1], line_bottom[c - 1]));
          if (c + 1 < width)
            value = MAX (value, spill * coverage[c + 1] * row_coverage (y0 + r, line_top[c + 1], line_bottom[c + 1]));

          line_data[r * line_stride + c] = (guchar) (255 * value + 0.5);
        }
    }

  cairo_surface_mark_dirty (layout->line_mask);
  cairo_surface_mark_dirty (layout->area_mask);
  cairo_surface_set_device_scale (layout->line_mask, scale, scale);
  cairo_surface_set_device_scale (layout->area_mask, scale, scale);
}

gboolean
_tally_trend_chart_draw_dense (cairo_t *cr,
                               const TallyTrendChartLayout *const_layout,
                               const TallyChartPalette *palette)
{
  TallyTrendChartLayout *layout = (TallyTrendChartLayout *) const_layout;
  cairo_surface_t *target = cairo_get_target (cr);
  cairo_matrix_t matrix;
  double scale_x;
  double scale_y;

  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE)
    return FALSE;

  cairo_get_matrix (cr, &matrix);
  if (matrix.xx != 1 || matrix.yy != 1 || matrix.xy != 0 || matrix.yx != 0)
    return FALSE;

  cairo_surface_get_device_scale (target, &scale_x, &scale_y);
  if (scale_x != scale_y || layout->bucket_width * scale_x >= DENSE_BUCKET_PIXELS)
    return FALSE;

  if (layout->line_mask == NULL || layout->mask_scale != scale_x)
    build_series_masks (layout, scale_x);

  tally_rgba_set_source (cr, &palette->accent);
  cairo_mask_surface (cr, layout->area_mask, layout->mask_x / scale_x, layout->mask_y / scale_x);
  cairo_mask_surface (cr, layout->line_mask, layout->mask_x / scale_x, layout->mask_y / scale_x);

  return TRUE;
}

/* tally-dashboard-keys.c: the dashboard's per-key costs for its range
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every key of the session with its billed cost in the range (one
 * GET /usage/stats?api_key_id=&start_date=&end_date= per key that has any
 * usage at all; none for the range "today", which the batch call answers),
 * today and in total (the batch call), sorted by the range cost. What the
 * listed keys do not explain of the range's total (the trend) is the usage
 * of deleted keys (API.md §5.6): the last row.
 */

#define G_LOG_DOMAIN "tally-dashboard"

#include "config.h"

#include <math.h>

#include "tally-api-key.h"
#include "tally-dashboard-private.h"
#include "tally-key-cost.h"
#include "tally-key-usage.h"

static int
compare_key_costs (gconstpointer a,
                   gconstpointer b)
{
  TallyKeyCost *ka = *(TallyKeyCost **) a;
  TallyKeyCost *kb = *(TallyKeyCost **) b;
  double ta = tally_key_cost_get_range_actual_cost (ka);
  double tb = tally_key_cost_get_range_actual_cost (kb);
  gint64 ia, ib;

  if (ta != tb)
    return ta > tb ? -1 : 1;

  ta = tally_key_cost_get_total_actual_cost (ka);
  tb = tally_key_cost_get_total_actual_cost (kb);
  if (ta != tb)
    return ta > tb ? -1 : 1;

  ia = tally_key_cost_get_key_id (ka);
  ib = tally_key_cost_get_key_id (kb);
  return ia < ib ? -1 : ia > ib;
}

GPtrArray *
_tally_dashboard_build_key_costs (GListModel *keys,
                                  GListModel *usage,
                                  GHashTable *range_costs,
                                  gboolean range_is_today,
                                  double range_total,
                                  double all_today,
                                  double all_total)
{
  g_autoptr (GHashTable) usage_by_id = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  GPtrArray *result;
  double sum_range = 0;
  double sum_today = 0;
  double sum_total = 0;
  double denominator;
  double deleted_range = 0;
  double deleted_today = 0;
  double deleted_total = 0;
  gboolean deleted_row = FALSE;
  guint n;

  usage_by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  n = g_list_model_get_n_items (usage);
  for (guint i = 0; i < n; i++)
    {
      TallyKeyUsage *item = g_list_model_get_item (usage, i);

      g_hash_table_replace (usage_by_id, g_memdup2 (&(gint64){ tally_key_usage_get_api_key_id (item) }, sizeof (gint64)), item);
    }

  rows = g_ptr_array_new_with_free_func (g_object_unref);
  n = g_list_model_get_n_items (keys);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);
      gint64 id = tally_api_key_get_id (key);
      TallyKeyUsage *item = g_hash_table_lookup (usage_by_id, &id);
      double today = item != NULL ? tally_key_usage_get_today_actual_cost (item) : 0;
      double total = item != NULL ? tally_key_usage_get_total_actual_cost (item) : 0;
      double *in_range = range_costs != NULL ? g_hash_table_lookup (range_costs, &id) : NULL;
      double range = range_is_today ? today : in_range != NULL ? *in_range
                                                               : 0;

      sum_range += range;
      sum_today += today;
      sum_total += total;
      g_ptr_array_add (rows, tally_key_cost_new_for_range (key, range, today, total, 0));
    }

  /* the rest of the range's total (and of today's and the all-time
   * total): keys that are gone from /keys; one rule for every period */
  deleted_row = tally_deleted_keys (isfinite (range_total) ? range_total : 0, 0, sum_range, 0,
                                    &deleted_range, NULL);
  deleted_row |= tally_deleted_keys (isfinite (all_today) ? all_today : 0, isfinite (all_total) ? all_total : 0,
                                     sum_today, sum_total, &deleted_today, &deleted_total);

  denominator = MAX (sum_range + deleted_range, isfinite (range_total) ? range_total : 0);

  result = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      TallyKeyCost *row = g_ptr_array_index (rows, i);
      double range = tally_key_cost_get_range_actual_cost (row);

      g_ptr_array_add (result, tally_key_cost_new_for_range (tally_key_cost_get_key (row), range,
                                                             tally_key_cost_get_today_actual_cost (row),
                                                             tally_key_cost_get_total_actual_cost (row),
                                                             denominator > 0 ? range / denominator : 0));
    }
  g_ptr_array_sort (result, compare_key_costs);

  if (deleted_row)
    g_ptr_array_add (result, tally_key_cost_new_for_range (NULL, deleted_range, deleted_today, deleted_total,
                                                           denominator > 0 ? deleted_range / denominator : 0));

  return result;
}

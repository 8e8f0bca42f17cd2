/* test-server-time.c: tally-server-time.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "tally-models-private.h"
#include "tally-core-enums.h"
#include "tally-server-time.h"
#include "tally-server-zone.h"

static void
check_parse_ok (const char *ymd,
                guint year,
                guint month,
                guint day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_assert_true (tally_date_parse (ymd, &date));
  g_assert_true (g_date_valid (&date));
  g_assert_cmpuint (g_date_get_year (&date), ==, year);
  g_assert_cmpuint (g_date_get_month (&date), ==, month);
  g_assert_cmpuint (g_date_get_day (&date), ==, day);
  g_assert_true (tally_date_parse (ymd, NULL));
}

static void
test_date_parse (void)
{
  static const char *const rejected[] = {
    "2026-02-29",
    "2026-1-5",
    " 2026-01-05",
    "2026-01-05 ",
    "2026-13-01",
    "2026-00-10",
    "2026-01-00",
    "2026-01-32",
    "2026-04-31",
    "2100-02-29",
    "0000-01-01",
    "2026/01/05",
    "2026-01-05T00:00:00",
    "20260105",
    "",
    "+026-01-05",
    "2026-01-0a",
    "２026-01-05",
    "2026-01-5 ",
    "-2026-01-05",
  };
  GDate untouched;

  check_parse_ok ("2024-02-29", 2024, 2, 29);
  check_parse_ok ("2000-02-29", 2000, 2, 29);
  check_parse_ok ("2026-01-05", 2026, 1, 5);
  check_parse_ok ("2025-12-31", 2025, 12, 31);
  check_parse_ok ("0001-01-01", 1, 1, 1);
  check_parse_ok ("9999-12-31", 9999, 12, 31);

  g_date_clear (&untouched, 1);
  g_date_set_dmy (&untouched, 15, 1, 2026);
  for (guint i = 0; i < G_N_ELEMENTS (rejected); i++)
    {
      g_test_message ("rejecting “%s”", rejected[i]);
      g_assert_false (tally_date_parse (rejected[i], &untouched));
      g_assert_false (tally_date_parse (rejected[i], NULL));
    }
  g_assert_false (tally_date_parse (NULL, NULL));
  /* a rejected date leaves the output as it was */
  g_assert_cmpuint (g_date_get_day (&untouched), ==, 15);
}

static void
test_date_format (void)
{
  GDate date;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 5, 1, 2026);
  a = tally_date_format (&date);
  g_assert_cmpstr (a, ==, "2026-01-05");

  g_date_set_dmy (&date, 1, 1, 1);
  b = tally_date_format (&date);
  g_assert_cmpstr (b, ==, "0001-01-01");
}

static void
check_today (gint64 now,
             int offset,
             const char *expected)
{
  g_autofree char *today = tally_server_today (now, offset);

  g_assert_cmpstr (today, ==, expected);
}

static void
test_server_today (void)
{
  /* 2026-01-15T12:00:00+08:00 */
  check_today (1768449600, 28800, "2026-01-15");
  check_today (1768449600, 0, "2026-01-15");
  check_today (1768449600, -5 * 3600, "2026-01-14");
  /* 2026-01-15T00:00:00+08:00 exactly, and one second before */
  check_today (1768406400, 28800, "2026-01-15");
  check_today (1768406399, 28800, "2026-01-14");
  check_today (1768406400, 0, "2026-01-14");
  /* 2026-01-15T03:00Z: 22:00 the day before in UTC-05:00, 08:30 in UTC+05:30 */
  check_today (1768446000, -18000, "2026-01-14");
  check_today (1768446000, 19800, "2026-01-15");
  /* leap day */
  check_today (1709249400, 0, "2024-02-29");
  check_today (1709249400, 3600, "2024-03-01");
  /* around the epoch */
  check_today (0, 0, "1970-01-01");
  check_today (-1, 0, "1969-12-31");
  check_today (-86400, 0, "1969-12-31");
  check_today (-86401, 0, "1969-12-30");
}

static void
check_offset (const char *timestamp,
              gboolean ok,
              int expected)
{
  int offset = 12345;

  g_test_message ("offset of “%s”", timestamp);
  g_assert_cmpint (tally_utc_offset_from_timestamp (timestamp, &offset), ==, ok);
  if (ok)
    g_assert_cmpint (offset, ==, expected);
  else
    g_assert_cmpint (offset, ==, 12345);
}

static void
test_utc_offset (void)
{
  check_offset ("2026-01-15T11:34:41.016471+08:00", TRUE, 28800);
  check_offset ("2026-01-15T11:34:41.01647+08:00", TRUE, 28800);
  check_offset ("2026-01-15T11:34:41+08:00", TRUE, 28800);
  check_offset ("2026-01-15T11:34:41Z", TRUE, 0);
  check_offset ("2026-01-15T11:34:41.5Z", TRUE, 0);
  check_offset ("2026-01-15T11:34:41+00:00", TRUE, 0);
  check_offset ("2026-01-15T11:34:41.01647-05:30", TRUE, -19800);
  check_offset ("2026-01-15T11:34:41.123456789+05:45", TRUE, 20700);
  check_offset ("2026-01-15T11:34:41", FALSE, 0);
  check_offset ("2026-01-15", FALSE, 0);
  check_offset ("garbage-garbage+08:00", FALSE, 0);
  check_offset ("2026-02-30T11:34:41Z", FALSE, 0);
  check_offset ("2026-01-15X11:34:41Z", FALSE, 0);
  check_offset ("+08:00", FALSE, 0);
  check_offset ("", FALSE, 0);
  g_assert_false (tally_utc_offset_from_timestamp (NULL, NULL));
  g_assert_true (tally_utc_offset_from_timestamp ("2026-01-15T11:34:41Z", NULL));
}

static void
check_offset_label (int seconds,
                    const char *expected)
{
  g_autofree char *label = tally_format_utc_offset (seconds);

  g_assert_cmpstr (label, ==, expected);
}

static void
test_format_utc_offset (void)
{
  check_offset_label (28800, "UTC+08:00");
  check_offset_label (0, "UTC");
  check_offset_label (-19800, "UTC-05:30");
  check_offset_label (20700, "UTC+05:45");
  check_offset_label (-36000, "UTC-10:00");
  check_offset_label (50400, "UTC+14:00");
  check_offset_label (561, "UTC+00:09:21");
}

static void
check_preset (TallyDatePreset preset,
              const char *today,
              const char *expected_start,
              const char *expected_end)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  tally_date_preset_range (preset, today, &start, &end);
  g_assert_cmpstr (start, ==, expected_start);
  g_assert_cmpstr (end, ==, expected_end);
}

static void
test_presets (void)
{
  /* new year's day */
  check_preset (TALLY_DATE_PRESET_TODAY, "2026-01-01", "2026-01-01", "2026-01-01");
  check_preset (TALLY_DATE_PRESET_YESTERDAY, "2026-01-01", "2025-12-31", "2025-12-31");
  check_preset (TALLY_DATE_PRESET_LAST_7_DAYS, "2026-01-01", "2025-12-26", "2026-01-01");
  check_preset (TALLY_DATE_PRESET_LAST_14_DAYS, "2026-01-01", "2025-12-19", "2026-01-01");
  check_preset (TALLY_DATE_PRESET_LAST_30_DAYS, "2026-01-01", "2025-12-03", "2026-01-01");
  check_preset (TALLY_DATE_PRESET_THIS_MONTH, "2026-01-01", "2026-01-01", "2026-01-01");
  check_preset (TALLY_DATE_PRESET_LAST_MONTH, "2026-01-01", "2025-12-01", "2025-12-31");

  /* the API.md "now" */
  check_preset (TALLY_DATE_PRESET_LAST_7_DAYS, "2026-01-15", "2026-01-09", "2026-01-15");
  check_preset (TALLY_DATE_PRESET_THIS_MONTH, "2026-01-15", "2026-01-01", "2026-01-15");

  /* leap years and month ends */
  check_preset (TALLY_DATE_PRESET_LAST_MONTH, "2024-03-31", "2024-02-01", "2024-02-29");
  check_preset (TALLY_DATE_PRESET_LAST_MONTH, "2026-03-31", "2026-02-01", "2026-02-28");
  check_preset (TALLY_DATE_PRESET_THIS_MONTH, "2024-03-31", "2024-03-01", "2024-03-31");
  check_preset (TALLY_DATE_PRESET_YESTERDAY, "2024-03-01", "2024-02-29", "2024-02-29");
  check_preset (TALLY_DATE_PRESET_YESTERDAY, "2026-03-01", "2026-02-28", "2026-02-28");
  check_preset (TALLY_DATE_PRESET_LAST_7_DAYS, "2026-03-01", "2026-02-23", "2026-03-01");
  check_preset (TALLY_DATE_PRESET_LAST_30_DAYS, "2024-03-01", "2024-02-01", "2024-03-01");
  check_preset (TALLY_DATE_PRESET_LAST_30_DAYS, "2026-03-01", "2026-01-31", "2026-03-01");
  check_preset (TALLY_DATE_PRESET_LAST_MONTH, "2026-05-31", "2026-04-01", "2026-04-30");
}

static void
test_preset_ids (void)
{
  static const char *ids[] = {
    "today",
    "yesterday",
    "last-7-days",
    "last-14-days",
    "last-30-days",
    "this-month",
    "last-month",
  };
  static const char *titles[] = {
    "Today",
    "Yesterday",
    "Last 7 Days",
    "Last 14 Days",
    "Last 30 Days",
    "This Month",
    "Last Month",
  };
  TallyDatePreset preset = TALLY_DATE_PRESET_N_PRESETS;
  g_autoptr (GEnumClass) klass = g_type_class_ref (TALLY_TYPE_DATE_PRESET);

  g_assert_cmpint (G_N_ELEMENTS (ids), ==, TALLY_DATE_PRESET_N_PRESETS);
  for (TallyDatePreset i = 0; i < TALLY_DATE_PRESET_N_PRESETS; i++)
    {
      g_assert_cmpstr (tally_date_preset_get_id (i), ==, ids[i]);
      g_assert_cmpstr (tally_date_preset_get_title (i), ==, titles[i]);
      g_assert_true (tally_date_preset_from_id (ids[i], &preset));
      g_assert_cmpint (preset, ==, i);
      /* the generated GEnum's nicks are the ids */
      g_assert_cmpstr (g_enum_get_value (klass, i)->value_nick, ==, ids[i]);
    }
  g_assert_cmpuint (klass->n_values, ==, TALLY_DATE_PRESET_N_PRESETS);

  preset = TALLY_DATE_PRESET_TODAY;
  g_assert_false (tally_date_preset_from_id ("last-8-days", &preset));
  g_assert_false (tally_date_preset_from_id (NULL, &preset));
  g_assert_cmpint (preset, ==, TALLY_DATE_PRESET_TODAY);
}

static void
test_presets_invalid_today (void)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  g_test_expect_message ("tally-server-time", G_LOG_LEVEL_CRITICAL, "*tally_date_parse*");
  tally_date_preset_range (TALLY_DATE_PRESET_TODAY, "2026-1-1", &start, &end);
  g_test_assert_expected_messages ();
  g_assert_null (start);
  g_assert_null (end);
}

static void
test_range_days (void)
{
  g_assert_cmpint (tally_date_range_days ("2026-01-01", "2026-01-01"), ==, 1);
  g_assert_cmpint (tally_date_range_days ("2025-12-26", "2026-01-01"), ==, 7);
  g_assert_cmpint (tally_date_range_days ("2026-01-08", "2026-01-15"), ==, 8);
  g_assert_cmpint (tally_date_range_days ("2024-02-01", "2024-03-01"), ==, 30);
  g_assert_cmpint (tally_date_range_days ("2026-02-01", "2026-03-01"), ==, 29);
  g_assert_cmpint (tally_date_range_days ("2025-01-01", "2025-12-31"), ==, 365);
  g_assert_cmpint (tally_date_range_days ("2024-01-01", "2024-12-31"), ==, 366);
  g_assert_cmpint (tally_date_range_days ("2026-01-02", "2026-01-01"), ==, 0);
  g_assert_cmpint (tally_date_range_days ("2026-1-1", "2026-01-01"), ==, 0);
  g_assert_cmpint (tally_date_range_days ("2026-01-01", NULL), ==, 0);
}

/* ---------------------------------------------------------------- zero fill */

static TallyTrendPoint *
point_from_json (const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);
  TallyTrendPoint *point;

  g_assert_no_error (error);
  point = _tally_trend_point_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (point);

  return point;
}

static GListStore *
sparse_points (const char *const *json, guint n)
{
  GListStore *store = g_list_store_new (TALLY_TYPE_TREND_POINT);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallyTrendPoint) point = point_from_json (json[i]);
      g_list_store_append (store, point);
    }

  return store;
}

static void
assert_empty_point (TallyTrendPoint *point,
                    const char *label)
{
  g_assert_cmpstr (tally_trend_point_get_date (point), ==, label);
  g_assert_cmpint (tally_trend_point_get_requests (point), ==, 0);
  g_assert_cmpint (tally_trend_point_get_input_tokens (point), ==, 0);
  g_assert_cmpint (tally_trend_point_get_output_tokens (point), ==, 0);
  g_assert_cmpint (tally_trend_point_get_cache_tokens (point), ==, 0);
  g_assert_cmpint (tally_trend_point_get_total_tokens (point), ==, 0);
  g_assert_cmpfloat (tally_trend_point_get_cost (point), ==, 0);
  g_assert_cmpfloat (tally_trend_point_get_actual_cost (point), ==, 0);
}

static void
test_zero_fill_days (void)
{
  static const char *const json[] = {
    /* outside the range: dropped */
    "{\"date\":\"2026-01-07\",\"requests\":1,\"input_tokens\":1,\"output_tokens\":1,\"cache_tokens\":0,\"total_tokens\":2,\"cost\":0.5,\"actual_cost\":0.5}",
    "{\"date\":\"2026-01-08\",\"requests\":7,\"input_tokens\":70,\"output_tokens\":7,\"cache_tokens\":700,\"total_tokens\":777,\"cost\":0.07,\"actual_cost\":0.105}",
    "{\"date\":\"2026-01-13\",\"requests\":248,\"input_tokens\":1379964,\"output_tokens\":316677,\"cache_tokens\":4631782,\"total_tokens\":6328423,\"cost\":10.15245711,\"actual_cost\":10.181097565}",
    "{\"date\":\"2026-01-15\",\"requests\":134,\"input_tokens\":964823,\"output_tokens\":183079,\"cache_tokens\":2308724,\"total_tokens\":3456626,\"cost\":7.44994745,\"actual_cost\":7.4555395125}",
    "{\"date\":\"2026-01-16\",\"requests\":1,\"input_tokens\":1,\"output_tokens\":1,\"cache_tokens\":0,\"total_tokens\":2,\"cost\":0.5,\"actual_cost\":0.5}",
  };
  static const char *const labels[] = {
    "2026-01-08",
    "2026-01-09",
    "2026-01-10",
    "2026-01-11",
    "2026-01-12",
    "2026-01-13",
    "2026-01-14",
    "2026-01-15",
  };
  g_autoptr (GListStore) sparse = sparse_points (json, G_N_ELEMENTS (json));
  g_autoptr (GListModel) filled = NULL;
  TallyTrendPoint *p;

  filled = tally_trend_zero_fill (G_LIST_MODEL (sparse), "2026-01-08", "2026-01-15", TALLY_GRANULARITY_DAY);
  g_assert_true (g_list_model_get_item_type (filled) == TALLY_TYPE_TREND_POINT);
  g_assert_cmpuint (g_list_model_get_n_items (filled), ==, 8);

  for (guint i = 0; i < 8; i++)
    {
      g_autoptr (TallyTrendPoint) point = g_list_model_get_item (filled, i);

      g_assert_cmpstr (tally_trend_point_get_date (point), ==, labels[i]);
      if (i != 0 && i != 5 && i != 7)
        assert_empty_point (point, labels[i]);
    }

  /* existing points are reused, values kept */
  p = g_list_model_get_item (filled, 0);
  {
    g_autoptr (TallyTrendPoint) original = g_list_model_get_item (G_LIST_MODEL (sparse), 1);
    g_assert_true (p == original);
  }
  g_assert_cmpint (tally_trend_point_get_requests (p), ==, 7);
  g_assert_cmpfloat (tally_trend_point_get_actual_cost (p), ==, 0.105);
  g_object_unref (p);

  p = g_list_model_get_item (filled, 5);
  g_assert_cmpint (tally_trend_point_get_requests (p), ==, 248);
  g_assert_cmpint (tally_trend_point_get_input_tokens (p), ==, 1379964);
  g_assert_cmpint (tally_trend_point_get_output_tokens (p), ==, 316677);
  g_assert_cmpint (tally_trend_point_get_cache_tokens (p), ==, 4631782);
  g_assert_cmpint (tally_trend_point_get_total_tokens (p), ==, 6328423);
  g_assert_cmpfloat (tally_trend_point_get_cost (p), ==, 10.15245711);
  g_assert_cmpfloat (tally_trend_point_get_actual_cost (p), ==, 10.181097565);
  g_object_unref (p);

  p = g_list_model_get_item (filled, 7);
  g_assert_cmpint (tally_trend_point_get_requests (p), ==, 134);
  g_assert_cmpfloat (tally_trend_point_get_actual_cost (p), ==, 7.4555395125);
  g_object_unref (p);

  g_clear_object (&filled);
  g_assert_finalize_object (g_steal_pointer (&sparse));
}

static void
test_zero_fill_month_boundary (void)
{
  g_autoptr (GListStore) empty = g_list_store_new (TALLY_TYPE_TREND_POINT);
  g_autoptr (GListModel) filled = NULL;
  g_autoptr (TallyTrendPoint) first = NULL;
  g_autoptr (TallyTrendPoint) last = NULL;
  g_autoptr (TallyTrendPoint) leap = NULL;

  filled = tally_trend_zero_fill (G_LIST_MODEL (empty), "2024-02-27", "2024-03-02", TALLY_GRANULARITY_DAY);
  g_assert_cmpuint (g_list_model_get_n_items (filled), ==, 5);
  first = g_list_model_get_item (filled, 0);
  leap = g_list_model_get_item (filled, 2);
  last = g_list_model_get_item (filled, 4);
  assert_empty_point (first, "2024-02-27");
  assert_empty_point (leap, "2024-02-29");
  assert_empty_point (last, "2024-03-02");
}

static void
test_zero_fill_hours (void)
{
  static const char *const json[] = {
    "{\"date\":\"2026-01-15 01:00\",\"requests\":3,\"input_tokens\":30,\"output_tokens\":3,\"cache_tokens\":0,\"total_tokens\":33,\"cost\":0.3,\"actual_cost\":0.3}",
    "{\"date\":\"2026-01-15 13:00\",\"requests\":5,\"input_tokens\":50,\"output_tokens\":5,\"cache_tokens\":0,\"total_tokens\":55,\"cost\":0.5,\"actual_cost\":0.75}",
    /* a daily label and another day: dropped */
    "{\"date\":\"2026-01-15\",\"requests\":9,\"input_tokens\":1,\"output_tokens\":1,\"cache_tokens\":0,\"total_tokens\":2,\"cost\":0.5,\"actual_cost\":0.5}",
    "{\"date\":\"2026-01-16 00:00\",\"requests\":9,\"input_tokens\":1,\"output_tokens\":1,\"cache_tokens\":0,\"total_tokens\":2,\"cost\":0.5,\"actual_cost\":0.5}",
  };
  g_autoptr (GListStore) sparse = sparse_points (json, G_N_ELEMENTS (json));
  g_autoptr (GListModel) filled = NULL;
  g_autoptr (GListModel) two_days = NULL;

  filled = tally_trend_zero_fill (G_LIST_MODEL (sparse), "2026-01-15", "2026-01-15", TALLY_GRANULARITY_HOUR);
  g_assert_cmpuint (g_list_model_get_n_items (filled), ==, 24);

  for (guint hour = 0; hour < 24; hour++)
    {
      g_autoptr (TallyTrendPoint) point = g_list_model_get_item (filled, hour);
      g_autofree char *label = g_strdup_printf ("2026-01-15 %02u:00", hour);

      g_assert_cmpstr (tally_trend_point_get_date (point), ==, label);
      if (hour == 1)
        g_assert_cmpint (tally_trend_point_get_requests (point), ==, 3);
      else if (hour == 13)
        {
          g_assert_cmpint (tally_trend_point_get_requests (point), ==, 5);
          g_assert_cmpfloat (tally_trend_point_get_actual_cost (point), ==, 0.75);
        }
      else
        assert_empty_point (point, label);
    }

  two_days = tally_trend_zero_fill (G_LIST_MODEL (sparse), "2025-12-31", "2026-01-01", TALLY_GRANULARITY_HOUR);
  g_assert_cmpuint (g_list_model_get_n_items (two_days), ==, 48);
  {
    g_autoptr (TallyTrendPoint) p23 = g_list_model_get_item (two_days, 23);
    g_autoptr (TallyTrendPoint) p24 = g_list_model_get_item (two_days, 24);

    assert_empty_point (p23, "2025-12-31 23:00");
    assert_empty_point (p24, "2026-01-01 00:00");
  }

  g_clear_object (&filled);
  g_clear_object (&two_days);
  g_assert_finalize_object (g_steal_pointer (&sparse));
}

static void
test_zero_fill_invalid_range (void)
{
  static const char *const json[] = {
    "{\"date\":\"2026-01-13\",\"requests\":2,\"input_tokens\":1,\"output_tokens\":1,\"cache_tokens\":0,\"total_tokens\":2,\"cost\":0.5,\"actual_cost\":0.5}",
  };
  g_autoptr (GListStore) sparse = sparse_points (json, G_N_ELEMENTS (json));
  g_autoptr (GListModel) reversed = NULL;
  g_autoptr (GListModel) invalid = NULL;

  reversed = tally_trend_zero_fill (G_LIST_MODEL (sparse), "2026-01-15", "2026-01-08", TALLY_GRANULARITY_DAY);
  g_assert_cmpuint (g_list_model_get_n_items (reversed), ==, 1);
  invalid = tally_trend_zero_fill (G_LIST_MODEL (sparse), "2026-1-8", "2026-01-15", TALLY_GRANULARITY_DAY);
  g_assert_cmpuint (g_list_model_get_n_items (invalid), ==, 1);
}

/* 2026 in New York: EDT (-04:00) from 8 March to 1 November, EST otherwise. */
#define NY_FALL_BACK_START G_GINT64_CONSTANT (1793505600) /* 2026-11-01 00:00 EDT */
#define NY_FALL_BACK_END G_GINT64_CONSTANT (1793595600)   /* 2026-11-02 00:00 EST */
#define NY_SPRING_START G_GINT64_CONSTANT (1772946000)    /* 2026-03-08 00:00 EST */
#define NY_SPRING_END G_GINT64_CONSTANT (1773028800)      /* 2026-03-09 00:00 EDT */
#define DEC_10_0430Z G_GINT64_CONSTANT (1796877000)       /* 2026-12-09 23:30 EST */
#define JUL_1_NOON_Z G_GINT64_CONSTANT (1782907200)

static void
test_zone_offsets (void)
{
  g_autoptr (TallyServerZone) ny = tally_server_zone_new_identifier ("America/New_York", 0);
  g_autoptr (TallyServerZone) fixed = tally_server_zone_new_offset (-14400);
  g_autofree char *december = NULL;
  g_autofree char *july = NULL;
  g_autofree char *fixed_label = NULL;

  g_assert_cmpstr (tally_server_zone_get_name (ny), ==, "America/New_York");
  g_assert_null (tally_server_zone_get_name (fixed));
  g_assert_cmpint (tally_server_zone_get_offset_at (ny, DEC_10_0430Z), ==, -18000);
  g_assert_cmpint (tally_server_zone_get_offset_at (ny, JUL_1_NOON_Z), ==, -14400);
  g_assert_cmpint (tally_server_zone_get_offset_at (fixed, DEC_10_0430Z), ==, -14400);

  /* the offset of the day in question, not of now */
  g_assert_cmpint (tally_server_zone_get_offset_on (ny, "2026-12-09", JUL_1_NOON_Z), ==, -18000);
  g_assert_cmpint (tally_server_zone_get_offset_on (ny, "2026-07-15", DEC_10_0430Z), ==, -14400);
  g_assert_cmpint (tally_server_zone_get_offset_on (ny, "2026-11-01", DEC_10_0430Z), ==, -18000);
  g_assert_cmpint (tally_server_zone_get_offset_on (ny, "nonsense", DEC_10_0430Z), ==, -18000);

  december = tally_server_zone_describe (ny, NULL, DEC_10_0430Z);
  july = tally_server_zone_describe (ny, "2026-07-15", DEC_10_0430Z);
  fixed_label = tally_server_zone_describe (fixed, "2026-12-09", DEC_10_0430Z);
  g_assert_cmpstr (december, ==, "America/New_York (UTC-05:00)");
  g_assert_cmpstr (july, ==, "America/New_York (UTC-04:00)");
  g_assert_cmpstr (fixed_label, ==, "UTC-04:00");

  g_assert_true (tally_server_zone_equal (ny, ny));
  g_assert_false (tally_server_zone_equal (ny, fixed));
  g_assert_false (tally_server_zone_equal (NULL, fixed));
}

static void
test_zone_new (void)
{
  TallyServerZone *zone;

  /* unknown to tzdata: the fixed fallback, no name */
  zone = tally_server_zone_new_identifier ("Mars/Olympus_Mons", 3600);
  g_assert_null (tally_server_zone_get_name (zone));
  g_assert_cmpint (tally_server_zone_get_offset_at (zone, JUL_1_NOON_Z), ==, 3600);
  tally_server_zone_unref (zone);

  /* an offset is not a name */
  zone = tally_server_zone_new_identifier ("+05:00", 3600);
  g_assert_null (tally_server_zone_get_name (zone));
  g_assert_cmpint (tally_server_zone_get_offset_at (zone, JUL_1_NOON_Z), ==, 3600);
  tally_server_zone_unref (zone);

  g_assert_null (tally_server_zone_new_from_settings (NULL, NULL));
  g_assert_null (tally_server_zone_new_from_settings ("", ""));
  g_assert_null (tally_server_zone_new_from_settings ("Mars/Olympus_Mons", "8"));

  zone = tally_server_zone_new_from_settings ("Asia/Shanghai", "+08:00");
  g_assert_cmpstr (tally_server_zone_get_name (zone), ==, "Asia/Shanghai");
  g_assert_cmpint (tally_server_zone_get_offset_at (zone, JUL_1_NOON_Z), ==, 28800);
  tally_server_zone_unref (zone);

  zone = tally_server_zone_new_from_settings ("Mars/Olympus_Mons", "-05:30");
  g_assert_null (tally_server_zone_get_name (zone));
  g_assert_cmpint (tally_server_zone_get_offset_at (zone, JUL_1_NOON_Z), ==, -19800);
  tally_server_zone_unref (zone);

  zone = tally_server_zone_new_from_settings ("", "Z");
  g_assert_null (tally_server_zone_get_name (zone));
  g_assert_cmpint (tally_server_zone_get_offset_at (zone, JUL_1_NOON_Z), ==, 0);
  tally_server_zone_unref (zone);
}

static void
test_zone_today (void)
{
  g_autoptr (TallyServerZone) ny = tally_server_zone_new_identifier ("America/New_York", 0);
  g_autoptr (TallyServerZone) july = tally_server_zone_new_offset (-14400);
  g_autofree char *before = tally_server_zone_today (ny, DEC_10_0430Z);
  g_autofree char *after = tally_server_zone_today (ny, DEC_10_0430Z + 3600);
  g_autofree char *wrong = tally_server_zone_today (july, DEC_10_0430Z);
  g_autofree char *last_second = tally_server_zone_today (ny, NY_FALL_BACK_END - 1);
  g_autofree char *first_second = tally_server_zone_today (ny, NY_FALL_BACK_END);

  /* 23:30 EST on 9 December; the summer offset would say 00:30 on the 10th */
  g_assert_cmpstr (before, ==, "2026-12-09");
  g_assert_cmpstr (after, ==, "2026-12-10");
  g_assert_cmpstr (wrong, ==, "2026-12-10");
  g_assert_cmpstr (last_second, ==, "2026-11-01");
  g_assert_cmpstr (first_second, ==, "2026-11-02");
}

static void
test_zone_day_bounds (void)
{
  g_autoptr (TallyServerZone) ny = tally_server_zone_new_identifier ("America/New_York", 0);
  g_autoptr (TallyServerZone) shanghai = tally_server_zone_new_offset (28800);
  gint64 start = 0, end = 0;

  g_assert_true (tally_server_zone_day_bounds (ny, "2026-11-01", &start, &end));
  g_assert_cmpint (start, ==, NY_FALL_BACK_START);
  g_assert_cmpint (end, ==, NY_FALL_BACK_END);
  g_assert_cmpint (end - start, ==, 25 * 3600);

  g_assert_true (tally_server_zone_day_bounds (ny, "2026-03-08", &start, &end));
  g_assert_cmpint (start, ==, NY_SPRING_START);
  g_assert_cmpint (end, ==, NY_SPRING_END);
  g_assert_cmpint (end - start, ==, 23 * 3600);

  g_assert_true (tally_server_zone_day_bounds (shanghai, "2026-01-15", &start, &end));
  g_assert_cmpint (start, ==, G_GINT64_CONSTANT (1768406400));
  g_assert_cmpint (end - start, ==, 86400);

  g_assert_false (tally_server_zone_day_bounds (ny, "2026-02-30", &start, &end));
}

static void
test_zone_hours (void)
{
  g_autoptr (TallyServerZone) ny = tally_server_zone_new_identifier ("America/New_York", 0);
  g_autoptr (TallyServerZone) fixed = tally_server_zone_new_offset (-18000);

  g_assert_cmphex (tally_server_zone_hours_on (ny, "2026-11-01"), ==, 0xffffff);
  g_assert_cmphex (tally_server_zone_hours_on (ny, "2026-03-08"), ==, 0xffffff & ~(1u << 2));
  g_assert_cmphex (tally_server_zone_hours_on (ny, "2026-03-09"), ==, 0xffffff);
  g_assert_cmphex (tally_server_zone_hours_on (fixed, "2026-03-08"), ==, 0xffffff);
  g_assert_cmphex (tally_server_zone_hours_on (ny, "bad"), ==, 0);
}

static void
test_zone_zero_fill_hours (void)
{
  const char *json[] = {
    /* on the fall-back day both 01:00 hours are one server bucket */
    "{\"date\":\"2026-11-01 01:00\",\"requests\":7,\"input_tokens\":1,\"output_tokens\":1,\"cache_tokens\":0,\"total_tokens\":2,\"cost\":0.5,\"actual_cost\":0.5}",
    "{\"date\":\"2026-03-08 03:00\",\"requests\":2,\"input_tokens\":1,\"output_tokens\":1,\"cache_tokens\":0,\"total_tokens\":2,\"cost\":0.5,\"actual_cost\":0.5}",
  };
  g_autoptr (GListStore) sparse = sparse_points (json, G_N_ELEMENTS (json));
  g_autoptr (TallyServerZone) ny = tally_server_zone_new_identifier ("America/New_York", 0);
  g_autoptr (GListModel) fall = NULL;
  g_autoptr (GListModel) spring = NULL;
  g_autoptr (GListModel) plain = NULL;
  g_autoptr (TallyTrendPoint) p1 = NULL;
  g_autoptr (TallyTrendPoint) p2 = NULL;
  g_autoptr (TallyTrendPoint) p3 = NULL;

  fall = tally_trend_zero_fill_in_zone (G_LIST_MODEL (sparse), "2026-11-01", "2026-11-01", TALLY_GRANULARITY_HOUR, ny);
  g_assert_cmpuint (g_list_model_get_n_items (fall), ==, 24);
  p1 = g_list_model_get_item (fall, 1);
  g_assert_cmpstr (tally_trend_point_get_date (p1), ==, "2026-11-01 01:00");
  g_assert_cmpint (tally_trend_point_get_requests (p1), ==, 7);

  spring = tally_trend_zero_fill_in_zone (G_LIST_MODEL (sparse), "2026-03-08", "2026-03-08", TALLY_GRANULARITY_HOUR, ny);
  g_assert_cmpuint (g_list_model_get_n_items (spring), ==, 23);
  p2 = g_list_model_get_item (spring, 2);
  g_assert_cmpstr (tally_trend_point_get_date (p2), ==, "2026-03-08 03:00");
  g_assert_cmpint (tally_trend_point_get_requests (p2), ==, 2);

  /* without a zone every day has 24 hours; days are never dropped */
  plain = tally_trend_zero_fill_in_zone (G_LIST_MODEL (sparse), "2026-03-08", "2026-03-09", TALLY_GRANULARITY_HOUR, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (plain), ==, 48);
  g_clear_object (&plain);
  plain = tally_trend_zero_fill_in_zone (G_LIST_MODEL (sparse), "2026-03-08", "2026-03-09", TALLY_GRANULARITY_DAY, ny);
  g_assert_cmpuint (g_list_model_get_n_items (plain), ==, 2);
  p3 = g_list_model_get_item (plain, 0);
  g_assert_cmpstr (tally_trend_point_get_date (p3), ==, "2026-03-08");
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-time/date-parse", test_date_parse);
  g_test_add_func ("/server-time/date-format", test_date_format);
  g_test_add_func ("/server-time/server-today", test_server_today);
  g_test_add_func ("/server-time/utc-offset", test_utc_offset);
  g_test_add_func ("/server-time/format-utc-offset", test_format_utc_offset);
  g_test_add_func ("/server-time/presets", test_presets);
  g_test_add_func ("/server-time/preset-ids", test_preset_ids);
  g_test_add_func ("/server-time/presets-invalid-today", test_presets_invalid_today);
  g_test_add_func ("/server-time/range-days", test_range_days);
  g_test_add_func ("/server-time/zero-fill/days", test_zero_fill_days);
  g_test_add_func ("/server-time/zero-fill/month-boundary", test_zero_fill_month_boundary);
  g_test_add_func ("/server-time/zero-fill/hours", test_zero_fill_hours);
  g_test_add_func ("/server-time/zero-fill/invalid-range", test_zero_fill_invalid_range);
  g_test_add_func ("/server-time/zone/offsets", test_zone_offsets);
  g_test_add_func ("/server-time/zone/new", test_zone_new);
  g_test_add_func ("/server-time/zone/today", test_zone_today);
  g_test_add_func ("/server-time/zone/day-bounds", test_zone_day_bounds);
  g_test_add_func ("/server-time/zone/hours", test_zone_hours);
  g_test_add_func ("/server-time/zone/zero-fill-hours", test_zone_zero_fill_hours);

  return g_test_run ();
}

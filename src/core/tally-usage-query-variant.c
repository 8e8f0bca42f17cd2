/* tally-usage-query-variant.c: a usage filter from a GVariant dictionary (app.show-usage)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-usage-query"

#include "config.h"

#include "tally-server-time.h"
#include "tally-usage-query-variant.h"
#include "tally-usage-query.h"

static void
warn_type (const char *key,
           GVariant *value,
           const char *expected)
{
  g_warning ("show-usage: “%s” must be %s, not %s; ignored", key, expected, g_variant_get_type_string (value));
}

static gboolean
get_integer (GVariant *value,
             gint64 *out)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    *out = g_variant_get_int64 (value);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    *out = g_variant_get_int32 (value);
  else
    return FALSE;

  return TRUE;
}

static void
set_billing (TallyUsageQuery *query,
             GVariant *value)
{
  gint64 code;

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      const char *name = g_variant_get_string (value, NULL);

      if (g_str_equal (name, "balance"))
        tally_usage_query_set_billing (query, TALLY_BILLING_BALANCE);
      else if (g_str_equal (name, "subscription"))
        tally_usage_query_set_billing (query, TALLY_BILLING_SUBSCRIPTION);
      else
        g_warning ("show-usage: unknown billing “%s” (balance, subscription); ignored", name);
      return;
    }

  if (!get_integer (value, &code))
    {
      warn_type ("billing", value, "a string or an integer");
      return;
    }

  if (code == TALLY_BILLING_BALANCE || code == TALLY_BILLING_SUBSCRIPTION)
    tally_usage_query_set_billing (query, (TallyBillingType) code);
  else
    g_warning ("show-usage: unknown billing %" G_GINT64_FORMAT " (0, 1); ignored", code);
}

static char *
get_date (GVariant *dict,
          const char *key)
{
  g_autoptr (GVariant) value = g_variant_lookup_value (dict, key, NULL);

  if (value == NULL)
    return NULL;
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      warn_type (key, value, "a string (YYYY-MM-DD)");
      return NULL;
    }

  return g_variant_dup_string (value, NULL);
}

TallyUsageQuery *
tally_usage_query_new_from_variant (GVariant *dict,
                                    const char *today)
{
  TallyUsageQuery *query = tally_usage_query_new ();
  g_autoptr (GError) error = NULL;
  GVariant *value;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  g_return_val_if_fail (dict != NULL, query);
  g_return_val_if_fail (g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT), query);

  if ((value = g_variant_lookup_value (dict, "key", NULL)) != NULL)
    {
      gint64 id;

      if (!get_integer (value, &id))
        warn_type ("key", value, "an int64");
      else if (id < 0)
        g_warning ("show-usage: “key” %" G_GINT64_FORMAT " is not a key id; ignored", id);
      else
        tally_usage_query_set_api_key_id (query, id);
      g_variant_unref (value);
    }

  if ((value = g_variant_lookup_value (dict, "model", NULL)) != NULL)
    {
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        tally_usage_query_set_model (query, g_variant_get_string (value, NULL));
      else
        warn_type ("model", value, "a string");
      g_variant_unref (value);
    }

  if ((value = g_variant_lookup_value (dict, "stream", NULL)) != NULL)
    {
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        tally_usage_query_set_stream (query, g_variant_get_boolean (value) ? TALLY_STREAM_STREAM : TALLY_STREAM_SYNC);
      else
        warn_type ("stream", value, "a boolean");
      g_variant_unref (value);
    }

  if ((value = g_variant_lookup_value (dict, "billing", NULL)) != NULL)
    {
      set_billing (query, value);
      g_variant_unref (value);
    }

  from = get_date (dict, "from");
  to = get_date (dict, "to");
  if (from == NULL && to == NULL && today != NULL)
    tally_date_preset_range (TALLY_DATE_PRESET_LAST_7_DAYS, today, &from, &to);
  if ((from != NULL || to != NULL) && !tally_usage_query_set_range (query, from, to, &error))
    g_warning ("show-usage: bad range “%s” … “%s”: %s; ignored", from ? from : "", to ? to : "", error->message);

  return query;
}

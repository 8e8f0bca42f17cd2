/* tally-usage-query.c: one filter over the usage log, turned into query parameters in one place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parameter order is fixed, so equal queries give byte-identical strings
 * (useful for caches and tests):
 *
 *   list:  api_key_id, model, stream, billing_type, start_date, end_date, page, page_size
 *   stats: api_key_id, model, stream, billing_type, then start_date+end_date
 *          (only when both are set) or period=today
 *
 * Values are percent-encoded with g_uri_escape_string (everything except
 * RFC 3986 unreserved characters, UTF-8 bytes included), so a model named
 * "a b&c=ü" is sent as "a%20b%26c%3D%C3%BC".
 */

#define G_LOG_DOMAIN "tally-usage-query"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "tally-error.h"
#include "tally-server-time.h"
#include "tally-usage-query.h"

struct _TallyUsageQuery
{
  gint64 api_key_id;
  char *model;
  TallyStreamFilter stream;
  TallyBillingType billing;
  char *start_date;
  char *end_date;
};

/* G_DEFINE_BOXED_TYPE passes the copy function through a transparent union,
 * which -Wpedantic (warning_level=3) reports; the code is fine. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
G_DEFINE_BOXED_TYPE (TallyUsageQuery, tally_usage_query, tally_usage_query_copy, tally_usage_query_free)
#pragma GCC diagnostic pop

TallyUsageQuery *
tally_usage_query_new (void)
{
  TallyUsageQuery *self = g_new0 (TallyUsageQuery, 1);

  self->api_key_id = 0;
  self->stream = TALLY_STREAM_ANY;
  self->billing = TALLY_BILLING_ANY;

  return self;
}

TallyUsageQuery *
tally_usage_query_copy (const TallyUsageQuery *self)
{
  TallyUsageQuery *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (TallyUsageQuery, 1);
  copy->api_key_id = self->api_key_id;
  copy->model = g_strdup (self->model);
  copy->stream = self->stream;
  copy->billing = self->billing;
  copy->start_date = g_strdup (self->start_date);
  copy->end_date = g_strdup (self->end_date);

  return copy;
}

void
tally_usage_query_free (TallyUsageQuery *self)
{
  if (self == NULL)
    return;

  g_free (self->model);
  g_free (self->start_date);
  g_free (self->end_date);
  g_free (self);
}

gboolean
tally_usage_query_equal (const TallyUsageQuery *a,
                         const TallyUsageQuery *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return a->api_key_id == b->api_key_id && g_strcmp0 (a->model, b->model) == 0 && a->stream == b->stream && a->billing == b->billing && g_strcmp0 (a->start_date, b->start_date) == 0 && g_strcmp0 (a->end_date, b->end_date) == 0;
}

gint64
tally_usage_query_get_api_key_id (const TallyUsageQuery *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->api_key_id;
}

void
tally_usage_query_set_api_key_id (TallyUsageQuery *self,
                                  gint64 api_key_id)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (api_key_id >= 0);

  self->api_key_id = api_key_id;
}

/* NULL when any model matches */
const char *
tally_usage_query_get_model (const TallyUsageQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->model;
}

void
tally_usage_query_set_model (TallyUsageQuery *self,
                             const char *model)
{
  g_return_if_fail (self != NULL);

  if (model != NULL && model[0] == '\0')
    model = NULL;

  if (g_strcmp0 (self->model, model) == 0)
    return;

  g_free (self->model);
  self->model = g_strdup (model);
}

TallyStreamFilter
tally_usage_query_get_stream (const TallyUsageQuery *self)
{
  g_return_val_if_fail (self != NULL, TALLY_STREAM_ANY);

  return self->stream;
}

void
tally_usage_query_set_stream (TallyUsageQuery *self,
                              TallyStreamFilter stream)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (stream == TALLY_STREAM_ANY || stream == TALLY_STREAM_STREAM || stream == TALLY_STREAM_SYNC);

  self->stream = stream;
}

TallyBillingType
tally_usage_query_get_billing (const TallyUsageQuery *self)
{
  g_return_val_if_fail (self != NULL, TALLY_BILLING_ANY);

  return self->billing;
}

void
tally_usage_query_set_billing (TallyUsageQuery *self,
                               TallyBillingType billing)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (billing == TALLY_BILLING_ANY || billing == TALLY_BILLING_BALANCE || billing == TALLY_BILLING_SUBSCRIPTION);

  self->billing = billing;
}

const char *
tally_usage_query_get_start_date (const TallyUsageQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->start_date;
}

const char *
tally_usage_query_get_end_date (const TallyUsageQuery *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->end_date;
}

gboolean
tally_usage_query_set_range (TallyUsageQuery *self,
                             const char *start_date,
                             const char *end_date,
                             GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* "" means unbounded, like NULL */
  if (start_date != NULL && start_date[0] == '\0')
    start_date = NULL;
  if (end_date != NULL && end_date[0] == '\0')
    end_date = NULL;

  if (start_date != NULL && !tally_date_parse (start_date, NULL))
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                   _ ("Invalid start date “%s”, use YYYY-MM-DD"), start_date);
      return FALSE;
    }

  if (end_date != NULL && !tally_date_parse (end_date, NULL))
    {
      g_set_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT,
                   _ ("Invalid end date “%s”, use YYYY-MM-DD"), end_date);
      return FALSE;
    }

  if (g_strcmp0 (self->start_date, start_date) != 0)
    {
      g_free (self->start_date);
      self->start_date = g_strdup (start_date);
    }

  if (g_strcmp0 (self->end_date, end_date) != 0)
    {
      g_free (self->end_date);
      self->end_date = g_strdup (end_date);
    }

  return TRUE;
}

static void
append_param (GString *out,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  if (out->len > 0)
    g_string_append_c (out, '&');
  g_string_append (out, name);
  g_string_append_c (out, '=');
  g_string_append (out, escaped);
}

static void
append_int_param (GString *out,
                  const char *name,
                  gint64 value)
{
  if (out->len > 0)
    g_string_append_c (out, '&');
  g_string_append_printf (out, "%s=%" G_GINT64_FORMAT, name, value);
}

/* api_key_id, model, stream, billing_type: shared by list and stats */
static void
append_filters (GString *out,
                const TallyUsageQuery *self)
{
  if (self->api_key_id > 0)
    append_int_param (out, "api_key_id", self->api_key_id);

  if (self->model != NULL)
    append_param (out, "model", self->model);

  switch (self->stream)
    {
      case TALLY_STREAM_STREAM:
        append_param (out, "stream", "true");
        break;
      case TALLY_STREAM_SYNC:
        append_param (out, "stream", "false");
        break;
      case TALLY_STREAM_ANY:
      default:
        break;
    }

  switch (self->billing)
    {
      case TALLY_BILLING_BALANCE:
        append_param (out, "billing_type", "0");
        break;
      case TALLY_BILLING_SUBSCRIPTION:
        append_param (out, "billing_type", "1");
        break;
      case TALLY_BILLING_ANY:
      default:
        break;
    }
}

char *
tally_usage_query_to_list_params (const TallyUsageQuery *self,
                                  gint64 page,
                                  gint64 page_size)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  append_filters (out, self);

  if (self->start_date != NULL)
    append_param (out, "start_date", self->start_date);
  if (self->end_date != NULL)
    append_param (out, "end_date", self->end_date);

  if (page > 0)
    append_int_param (out, "page", page);
  if (page_size > 0)
    append_int_param (out, "page_size", page_size);

  return g_string_free (out, FALSE);
}

char *
tally_usage_query_to_stats_params (const TallyUsageQuery *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  append_filters (out, self);

  /* S uses a custom range only when both dates are non-empty; otherwise it
   * silently falls back to `period` (API.md §3.5). Say so explicitly. */
  if (self->start_date != NULL && self->end_date != NULL)
    {
      append_param (out, "start_date", self->start_date);
      append_param (out, "end_date", self->end_date);
    }
  else
    {
      append_param (out, "period", "today");
    }

  return g_string_free (out, FALSE);
}

char *
tally_usage_query_describe (const TallyUsageQuery *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);

#define SEP()                      \
  G_STMT_START                     \
  {                                \
    if (out->len > 0)              \
      g_string_append (out, ", "); \
  }                                \
  G_STMT_END

  if (self->api_key_id > 0)
    {
      SEP ();
      g_string_append_printf (out, C_ ("filter", "key %" PRId64), self->api_key_id);
    }

  if (self->model != NULL)
    {
      SEP ();
      g_string_append_printf (out, C_ ("filter", "model “%s”"), self->model);
    }

  if (self->start_date != NULL && self->end_date != NULL)
    {
      SEP ();
      g_string_append_printf (out, "%s…%s", self->start_date, self->end_date);
    }
  else if (self->start_date != NULL)
    {
      SEP ();
      g_string_append_printf (out, C_ ("filter", "from %s"), self->start_date);
    }
  else if (self->end_date != NULL)
    {
      SEP ();
      g_string_append_printf (out, C_ ("filter", "until %s"), self->end_date);
    }

  switch (self->stream)
    {
      case TALLY_STREAM_STREAM:
        SEP ();
        g_string_append (out, C_ ("filter", "stream"));
        break;
      case TALLY_STREAM_SYNC:
        SEP ();
        g_string_append (out, C_ ("filter", "sync"));
        break;
      case TALLY_STREAM_ANY:
      default:
        break;
    }

  switch (self->billing)
    {
      case TALLY_BILLING_BALANCE:
        SEP ();
        g_string_append (out, C_ ("filter", "balance"));
        break;
      case TALLY_BILLING_SUBSCRIPTION:
        SEP ();
        g_string_append (out, C_ ("filter", "subscription"));
        break;
      case TALLY_BILLING_ANY:
      default:
        break;
    }

#undef SEP

  if (out->len == 0)
    g_string_append (out, C_ ("filter", "all requests"));

  return g_string_free (out, FALSE);
}

/* tally-export-dialog.c: export the request log, summaries (CSV) or a PDF summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CSV kinds run tally_report_export_csv_async() and the PDF kind
 * tally_report_export_pdf_async() with tally_report_pdf_write(): the same code
 * paths as `tally logs|trend|models|keys --csv --output` and `tally report
 * --pdf --output`. Both write
 * atomically, so a failed or cancelled export leaves the target untouched.
 */

#define G_LOG_DOMAIN "tally-export-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "tally-a11y.h"
#include "tally-api-key.h"
#include "tally-client.h"
#include "tally-export-dialog.h"
#include "tally-format.h"
#include "tally-report-pdf.h"
#include "tally-report.h"
#include "tally-usage-query.h"

#define PULSE_INTERVAL_MS 120

struct _TallyExportDialog
{
  AdwWindow parent_instance;

  TallySession *session;
  TallyUsageQuery *query;
  GFile *file;
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;
  char *progress_text;
  char *error_text;
  guint pulse_id;
  gboolean running;

  /* the server's rate limit: a countdown in the progress while it holds the export back */
  TallyClient *wait_client;
  gulong wait_handler;
  guint countdown_id;
  char *rows_text; /* the progress to show again when the wait is over */

  /* template */
  GtkStack *stack;
  AdwComboRow *kind_row;
  AdwActionRow *range_row;
  AdwActionRow *filter_row;
  GtkLabel *note_label;
  GtkLabel *error_label;
  GtkProgressBar *progress_bar;
  GtkLabel *progress_label;
};

G_DEFINE_FINAL_TYPE (TallyExportDialog, tally_export_dialog, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_QUERY,
  PROP_KIND,
  PROP_FILE,
  PROP_RUNNING,
  PROP_PROGRESS_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  DONE,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------- helpers */

char *
tally_export_dialog_default_name (TallyExportKind kind,
                                  const char *start_date,
                                  const char *end_date)
{
  static const char *const prefixes[] = { "tally-usage", "tally-daily", "tally-models", "tally-keys",
                                          "tally-summary" };
  const char *extension = kind == TALLY_EXPORT_PDF ? "pdf" : "csv";

  g_return_val_if_fail (kind <= TALLY_EXPORT_PDF, NULL);

  if (start_date != NULL && end_date != NULL)
    return g_strdup_printf ("%s-%s_to_%s.%s", prefixes[kind], start_date, end_date, extension);
  if (start_date != NULL)
    return g_strdup_printf ("%s-from_%s.%s", prefixes[kind], start_date, extension);
  if (end_date != NULL)
    return g_strdup_printf ("%s-to_%s.%s", prefixes[kind], end_date, extension);

  return g_strdup_printf ("%s-all.%s", prefixes[kind], extension);
}

static char *
default_name (TallyExportDialog *self)
{
  return tally_export_dialog_default_name (tally_export_dialog_get_kind (self),
                                           tally_usage_query_get_start_date (self->query),
                                           tally_usage_query_get_end_date (self->query));
}

static void
update_actions (TallyExportDialog *self)
{
  /* Export asks for the file first (choose_file()), then exports */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.start", !self->running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.cancel", self->running);
}

static const char *
find_key_name (TallyExportDialog *self,
               gint64 id)
{
  GListModel *keys = tally_session_get_keys (self->session);
  guint n = keys != NULL ? g_list_model_get_n_items (keys) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TallyApiKey) key = g_list_model_get_item (keys, i);

      if (tally_api_key_get_id (key) == id)
        return tally_api_key_get_name (key);
    }

  return NULL;
}

/* The filter without the dates (the range row shows them), with the key's
 * name, not its id; it follows the session's key list as it loads. */
static void
update_filter_row (TallyExportDialog *self)
{
  g_autoptr (TallyUsageQuery) rest = tally_usage_query_copy (self->query);
  g_autoptr (TallyUsageQuery) everything = tally_usage_query_new ();
  gint64 key_id = tally_usage_query_get_api_key_id (self->query);
  g_autofree char *key = NULL;
  g_autofree char *others = NULL;
  g_autofree char *filter = NULL;

  tally_usage_query_set_range (rest, NULL, NULL, NULL);
  if (tally_usage_query_equal (rest, everything))
    {
      adw_action_row_set_subtitle (self->filter_row, _ ("None: every key, model and request type"));
      return;
    }

  if (key_id > 0)
    {
      const char *name = find_key_name (self, key_id);

      if (name != NULL && name[0] != '\0')
        /* Translators: the key filter of an export, with the key's name */
        key = g_strdup_printf (_ ("key “%s”"), name);
      else
        /* Translators: the key filter of an export, a key whose name is not known */
        key = g_strdup_printf (_ ("key #%" PRId64), key_id);
      tally_usage_query_set_api_key_id (rest, 0);
    }

  if (!tally_usage_query_equal (rest, everything))
    others = tally_usage_query_describe (rest);

  if (key != NULL && others != NULL)
    /* Translators: the key filter, then the other filters */
    filter = g_strdup_printf (_ ("%s, %s"), key, others);
  else
    filter = g_strdup (key != NULL ? key : others);
  adw_action_row_set_subtitle (self->filter_row, filter);
}

static void
update_note (TallyExportDialog *self)
{
  TallyExportKind kind = tally_export_dialog_get_kind (self);
  const char *note;

  switch (kind)
    {
      case TALLY_EXPORT_LOGS:
        note = _ ("Every request of the range and filter, one row each, with costs at full precision.");
        break;
      case TALLY_EXPORT_DAILY:
        note = _ ("One row per server day of the range, days without usage included.");
        break;
      case TALLY_EXPORT_MODELS:
        note = _ ("One row per model over the range.");
        break;
      case TALLY_EXPORT_KEYS:
        note = _ ("One row per API key with today’s and all-time billed cost (the range does not apply).");
        break;
      case TALLY_EXPORT_PDF:
        note = _ ("One A4 page: totals billed and at list price, the daily chart, and the model and key "
                  "tables for the range, over all keys (the filter does not apply).");
        break;
      default:
        g_assert_not_reached ();
    }

  gtk_label_set_text (self->note_label, note);
}

static void
set_error_text (TallyExportDialog *self,
                const char *text)
{
  g_free (self->error_text);
  self->error_text = g_strdup (text);
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
set_progress_text (TallyExportDialog *self,
                   const char *text)
{
  if (g_strcmp0 (self->progress_text, text) == 0)
    return;

  g_free (self->progress_text);
  self->progress_text = g_strdup (text);
  gtk_label_set_text (self->progress_label, text != NULL ? text : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_TEXT]);
}

static gboolean
pulse_cb (gpointer user_data)
{
  TallyExportDialog *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);

  return G_SOURCE_CONTINUE;
}

static void
set_running (TallyExportDialog *self,
             gboolean running)
{
  if (self->running == running)
    return;

  self->running = running;
  gtk_stack_set_visible_child_name (self->stack, running ? "progress" : "form");
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (running)
    self->pulse_id = g_timeout_add (PULSE_INTERVAL_MS, pulse_cb, self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* ---------------------------------------------------------- the export */

static void
progress_cb (guint64 rows,
             guint pages,
             gpointer user_data)
{
  TallyExportDialog *self = user_data;
  g_autofree char *rows_text = NULL;
  g_autofree char *pages_text = tally_format_count_styled (pages, tally_number_style_locale ());
  g_autofree char *rows_part = NULL;
  g_autofree char *text = NULL;

  /* closed (and disposed) while the export wound down */
  if (self->session == NULL)
    return;

  rows_text = tally_format_count_styled ((gint64) rows, tally_number_style_locale ());
  /* Translators: the first part of "12,300 rows, 123 pages" */
  rows_part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row", "%s rows", rows), rows_text);
  /* Translators: "12,300 rows, 123 pages" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %s page", "%s, %s pages", pages),
                          rows_part, pages_text);
  g_free (self->rows_text);
  self->rows_text = g_strdup (text);
  if (self->countdown_id == 0)
    set_progress_text (self, text);
}

/* "Waiting for the server's rate limit — resuming in 42 s", once a second */
static gboolean
countdown_cb (gpointer user_data)
{
  TallyExportDialog *self = user_data;
  gint64 resume = self->wait_client != NULL ? tally_client_get_rate_limit_wait (self->wait_client) : 0;
  gint64 seconds;
  g_autofree char *text = NULL;

  if (resume == 0)
    {
      self->countdown_id = 0;
      set_progress_text (self, self->rows_text != NULL ? self->rows_text : "");
      return G_SOURCE_REMOVE;
    }

  seconds = MAX ((resume - g_get_monotonic_time () + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 1);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Waiting for the server’s rate limit — resuming in %d s",
                                       "Waiting for the server’s rate limit — resuming in %d s",
                                       (gulong) seconds),
                          (int) MIN (seconds, G_MAXINT));
  set_progress_text (self, text);

  return G_SOURCE_CONTINUE;
}

static void
rate_limit_wait_cb (TallyClient *client,
                    GParamSpec *pspec,
                    gpointer user_data)
{
  TallyExportDialog *self = user_data;

  if (tally_client_get_rate_limit_wait (client) == 0)
    {
      if (self->countdown_id != 0)
        {
          g_clear_handle_id (&self->countdown_id, g_source_remove);
          set_progress_text (self, self->rows_text != NULL ? self->rows_text : "");
        }
      return;
    }

  if (self->countdown_id == 0)
    self->countdown_id = g_timeout_add_seconds (1, countdown_cb, self);
  countdown_cb (self);
}

static void
watch_rate_limit (TallyExportDialog *self,
                  TallyClient *client)
{
  if (self->wait_client != NULL)
    {
      g_clear_signal_handler (&self->wait_handler, self->wait_client);
      g_clear_object (&self->wait_client);
    }
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  g_clear_pointer (&self->rows_text, g_free);

  if (client != NULL)
    {
      self->wait_client = g_object_ref (client);
      self->wait_handler = g_signal_connect (client, "notify::rate-limit-wait",
                                             G_CALLBACK (rate_limit_wait_cb), self);
    }
}

static void
export_done (TallyExportDialog *self,
             gboolean ok,
             GError *error)
{
  g_autoptr (GFile) file = self->file != NULL ? g_object_ref (self->file) : NULL;

  /* closed while running: the export was cancelled and the widgets are gone */
  if (self->session == NULL)
    return;

  g_clear_object (&self->cancellable);
  watch_rate_limit (self, NULL);
  set_running (self, FALSE);

  if (ok)
    {
      g_signal_emit (self, signals[DONE], 0, file);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* never shown as an error; the file is untouched */
      set_error_text (self, NULL);
      return;
    }

  {
    g_autofree char *message = g_strdup_printf (_ ("The export failed: %s. No file was written; an "
                                                   "existing file is unchanged."),
                                                error->message);

    set_error_text (self, message);
    g_signal_emit (self, signals[FAILED], 0, message);
  }
}

static void
csv_exported_cb (GObject *object,
                 GAsyncResult *result,
                 gpointer user_data)
{
  g_autoptr (TallyExportDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean ok;

  ok = tally_report_export_csv_finish (result, &error);
  export_done (self, ok, error);
}

static void
pdf_exported_cb (GObject *object,
                 GAsyncResult *result,
                 gpointer user_data)
{
  g_autoptr (TallyExportDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean ok;

  ok = tally_report_export_pdf_finish (result, &error);
  export_done (self, ok, error);
}

void
tally_export_dialog_start (TallyExportDialog *self)
{
  TallyClient *client;
  TallyExportKind kind;

  g_return_if_fail (TALLY_IS_EXPORT_DIALOG (self));
  g_return_if_fail (self->file != NULL);

  if (self->running)
    return;

  client = tally_session_get_client (self->session);
  if (client == NULL)
    {
      set_error_text (self, _ ("Not connected to a server."));
      return;
    }

  kind = tally_export_dialog_get_kind (self);
  set_error_text (self, NULL);
  set_progress_text (self, kind == TALLY_EXPORT_PDF ? _ ("Fetching the figures…") : "");
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  watch_rate_limit (self, client);
  self->rows_text = g_strdup (self->progress_text);

  if (kind == TALLY_EXPORT_PDF)
    {
      const char *email = tally_session_get_email (self->session);

      tally_report_export_pdf_async (client, self->query,
                                     tally_session_get_server_url (self->session),
                                     email != NULL && email[0] != '\0' ? email : NULL,
                                     self->file, tally_report_pdf_write, self->cancellable,
                                     pdf_exported_cb, g_object_ref (self));
    }
  else
    {
      /* progress_cb runs only while the task runs, and the task holds a ref on self */
      tally_report_export_csv_async (client, (TallyReportKind) kind, self->query, TALLY_GRANULARITY_DAY,
                                     self->file, progress_cb, self, self->cancellable,
                                     csv_exported_cb, g_object_ref (self));
    }
}

void
tally_export_dialog_cancel (TallyExportDialog *self)
{
  g_return_if_fail (TALLY_IS_EXPORT_DIALOG (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* ------------------------------------------------------- file chooser */

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int response,
                     gpointer user_data)
{
  TallyExportDialog *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        {
          tally_export_dialog_set_file (self, file);
          tally_export_dialog_start (self);
        }
    }

  g_clear_object (&self->chooser);
}

static void
choose_file (TallyExportDialog *self)
{
  g_autofree char *name = default_name (self);
  GtkFileFilter *filter;

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }

  self->chooser = gtk_file_chooser_native_new (_ ("Export To"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  filter = gtk_file_filter_new ();
  if (tally_export_dialog_get_kind (self) == TALLY_EXPORT_PDF)
    {
      gtk_file_filter_set_name (filter, _ ("PDF documents"));
      gtk_file_filter_add_mime_type (filter, "application/pdf");
    }
  else
    {
      gtk_file_filter_set_name (filter, _ ("CSV files"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
      gtk_file_filter_add_pattern (filter, "*.csv");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);

  if (self->file != NULL)
    {
      g_autoptr (GFile) parent = g_file_get_parent (self->file);

      if (parent != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), parent, NULL);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);

  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ------------------------------------------------------------- actions */

/* Export opens the save dialog; accepting it starts the export. */
static void
start_action (GtkWidget *widget,
              const char *action_name,
              GVariant *parameter)
{
  choose_file (TALLY_EXPORT_DIALOG (widget));
}

static void
cancel_action (GtkWidget *widget,
               const char *action_name,
               GVariant *parameter)
{
  tally_export_dialog_cancel (TALLY_EXPORT_DIALOG (widget));
}

/* When the kind changes, a chosen file keeps its folder and takes the new default name. */
static void
kind_changed_cb (TallyExportDialog *self)
{
  update_note (self);

  if (self->file != NULL)
    {
      g_autoptr (GFile) parent = g_file_get_parent (self->file);
      g_autofree char *name = default_name (self);
      g_autofree char *old_name = g_file_get_basename (self->file);
      TallyExportKind kind;
      gboolean was_default = FALSE;

      /* only a name we proposed follows the kind; a name the user typed stays */
      for (kind = TALLY_EXPORT_LOGS; kind <= TALLY_EXPORT_PDF; kind++)
        {
          g_autofree char *candidate = tally_export_dialog_default_name (kind,
                                                                         tally_usage_query_get_start_date (self->query),
                                                                         tally_usage_query_get_end_date (self->query));

          if (g_strcmp0 (candidate, old_name) == 0)
            was_default = TRUE;
        }

      if (was_default && parent != NULL)
        {
          g_autoptr (GFile) file = g_file_get_child (parent, name);

          tally_export_dialog_set_file (self, file);
        }
    }

  g_clear_object (&self->chooser);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

/* ------------------------------------------------------------- GObject */

static gboolean
tally_export_dialog_close_request (GtkWindow *window)
{
  TallyExportDialog *self = TALLY_EXPORT_DIALOG (window);

  /* closing while exporting cancels: nothing is written */
  tally_export_dialog_cancel (self);

  return GTK_WINDOW_CLASS (tally_export_dialog_parent_class)->close_request (window);
}

static void
tally_export_dialog_constructed (GObject *object)
{
  TallyExportDialog *self = TALLY_EXPORT_DIALOG (object);
  const char *start;
  const char *end;
  g_autofree char *range = NULL;

  G_OBJECT_CLASS (tally_export_dialog_parent_class)->constructed (object);

  g_assert (TALLY_IS_SESSION (self->session));
  if (self->query == NULL)
    self->query = tally_usage_query_new ();

  start = tally_usage_query_get_start_date (self->query);
  end = tally_usage_query_get_end_date (self->query);
  if (start != NULL && end != NULL)
    /* Translators: a range of server days */
    range = g_strdup_printf (_ ("%s to %s (server days)"), start, end);
  else if (start != NULL)
    range = g_strdup_printf (_ ("From %s (server days)"), start);
  else if (end != NULL)
    range = g_strdup_printf (_ ("Up to %s (server days)"), end);
  else
    range = g_strdup (_ ("All time (the summaries use the server’s default range)"));
  adw_action_row_set_subtitle (self->range_row, range);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->range_row), FALSE);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->filter_row), FALSE);

  update_filter_row (self);
  g_signal_connect_object (self->session, "notify::keys", G_CALLBACK (update_filter_row), self, G_CONNECT_SWAPPED);
  update_note (self);
  update_actions (self);
}

static void
tally_export_dialog_dispose (GObject *object)
{
  TallyExportDialog *self = TALLY_EXPORT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  /* an export in flight keeps the dialog alive past dispose */
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TALLY_TYPE_EXPORT_DIALOG);

  watch_rate_limit (self, NULL);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (tally_export_dialog_parent_class)->dispose (object);
}

static void
tally_export_dialog_finalize (GObject *object)
{
  TallyExportDialog *self = TALLY_EXPORT_DIALOG (object);

  g_clear_pointer (&self->query, tally_usage_query_free);
  g_clear_pointer (&self->progress_text, g_free);
  g_clear_pointer (&self->error_text, g_free);

  G_OBJECT_CLASS (tally_export_dialog_parent_class)->finalize (object);
}

static void
tally_export_dialog_get_property (GObject *object,
                                  guint prop_id,
                                  GValue *value,
                                  GParamSpec *pspec)
{
  TallyExportDialog *self = TALLY_EXPORT_DIALOG (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        g_value_set_object (value, self->session);
        break;

      case PROP_QUERY:
        g_value_set_boxed (value, self->query);
        break;

      case PROP_KIND:
        g_value_set_int (value, tally_export_dialog_get_kind (self));
        break;

      case PROP_FILE:
        g_value_set_object (value, self->file);
        break;

      case PROP_RUNNING:
        g_value_set_boolean (value, self->running);
        break;

      case PROP_PROGRESS_TEXT:
        g_value_set_string (value, self->progress_text);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_export_dialog_set_property (GObject *object,
                                  guint prop_id,
                                  const GValue *value,
                                  GParamSpec *pspec)
{
  TallyExportDialog *self = TALLY_EXPORT_DIALOG (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        self->session = g_value_dup_object (value);
        break;

      case PROP_QUERY:
        /* copied: the export never sees later changes of the view's query */
        self->query = g_value_dup_boxed (value);
        break;

      case PROP_KIND:
        tally_export_dialog_set_kind (self, g_value_get_int (value));
        break;

      case PROP_FILE:
        tally_export_dialog_set_file (self, g_value_get_object (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_export_dialog_class_init (TallyExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = tally_export_dialog_constructed;
  object_class->dispose = tally_export_dialog_dispose;
  object_class->finalize = tally_export_dialog_finalize;
  object_class->get_property = tally_export_dialog_get_property;
  object_class->set_property = tally_export_dialog_set_property;

  window_class->close_request = tally_export_dialog_close_request;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL,
                                                  TALLY_TYPE_SESSION,
                                                  G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUERY] = g_param_spec_boxed ("query", NULL, NULL,
                                               TALLY_TYPE_USAGE_QUERY,
                                               G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] = g_param_spec_int ("kind", NULL, NULL,
                                            TALLY_EXPORT_LOGS, TALLY_EXPORT_PDF, TALLY_EXPORT_LOGS,
                                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FILE] = g_param_spec_object ("file", NULL, NULL,
                                               G_TYPE_FILE,
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS_TEXT] = g_param_spec_string ("progress-text", NULL, NULL, NULL,
                                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TallyExportDialog::done:
   * @file: the file written
   *
   * The export finished; the dialog closes right after.
   */
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);
  /**
   * TallyExportDialog::failed:
   * @message: plain text, also shown in the dialog
   *
   * The export failed (not emitted for a cancel); the target is untouched.
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tallyapp/Tally/tally-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TallyExportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TallyExportDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, TallyExportDialog, range_row);
  gtk_widget_class_bind_template_child (widget_class, TallyExportDialog, filter_row);
  gtk_widget_class_bind_template_child (widget_class, TallyExportDialog, note_label);
  gtk_widget_class_bind_template_child (widget_class, TallyExportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, TallyExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TallyExportDialog, progress_label);

  gtk_widget_class_install_action (widget_class, "export.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tally_export_dialog_init (TallyExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tally_a11y_fix_names (GTK_WIDGET (self));

  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (kind_changed_cb), self);
}

/* ---------------------------------------------------------- public API */

TallyExportDialog *
tally_export_dialog_new (GtkWindow *parent,
                         TallySession *session,
                         const TallyUsageQuery *query)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TALLY_IS_SESSION (session), NULL);

  return g_object_new (TALLY_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       "session", session,
                       "query", query,
                       NULL);
}

const TallyUsageQuery *
tally_export_dialog_get_query (TallyExportDialog *self)
{
  g_return_val_if_fail (TALLY_IS_EXPORT_DIALOG (self), NULL);

  return self->query;
}

TallyExportKind
tally_export_dialog_get_kind (TallyExportDialog *self)
{
  guint selected;

  g_return_val_if_fail (TALLY_IS_EXPORT_DIALOG (self), TALLY_EXPORT_LOGS);

  selected = adw_combo_row_get_selected (self->kind_row);
  if (selected > TALLY_EXPORT_PDF)
    return TALLY_EXPORT_LOGS;

  return (TallyExportKind) selected;
}

void
tally_export_dialog_set_kind (TallyExportDialog *self,
                              TallyExportKind kind)
{
  g_return_if_fail (TALLY_IS_EXPORT_DIALOG (self));
  g_return_if_fail (kind <= TALLY_EXPORT_PDF);
  g_return_if_fail (!self->running);

  adw_combo_row_set_selected (self->kind_row, kind);
}

GFile *
tally_export_dialog_get_file (TallyExportDialog *self)
{
  g_return_val_if_fail (TALLY_IS_EXPORT_DIALOG (self), NULL);

  return self->file;
}

void
tally_export_dialog_set_file (TallyExportDialog *self,
                              GFile *file)
{
  g_return_if_fail (TALLY_IS_EXPORT_DIALOG (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));
  g_return_if_fail (!self->running);

  if (self->file == file || (self->file != NULL && file != NULL && g_file_equal (self->file, file)))
    return;

  g_set_object (&self->file, file);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

GtkFileChooser *
tally_export_dialog_get_chooser (TallyExportDialog *self)
{
  g_return_val_if_fail (TALLY_IS_EXPORT_DIALOG (self), NULL);

  return self->chooser != NULL ? GTK_FILE_CHOOSER (self->chooser) : NULL;
}

gboolean
tally_export_dialog_get_running (TallyExportDialog *self)
{
  g_return_val_if_fail (TALLY_IS_EXPORT_DIALOG (self), FALSE);

  return self->running;
}

const char *
tally_export_dialog_get_progress_text (TallyExportDialog *self)
{
  g_return_val_if_fail (TALLY_IS_EXPORT_DIALOG (self), NULL);

  return self->progress_text;
}

const char *
tally_export_dialog_get_error_text (TallyExportDialog *self)
{
  g_return_val_if_fail (TALLY_IS_EXPORT_DIALOG (self), NULL);

  return self->error_text;
}

/* --------------------------------------------------------- presenting */

static void
toast_open_cb (AdwToast *toast,
               gpointer user_data)
{
  const char *uri = g_object_get_data (G_OBJECT (toast), "tally-export-uri");
  GtkWindow *parent = g_object_get_data (G_OBJECT (toast), "tally-export-parent");

  if (uri != NULL)
    gtk_show_uri (parent, uri, GDK_CURRENT_TIME);
}

AdwToast *
tally_export_dialog_new_done_toast (GtkWindow *parent,
                                    GFile *file)
{
  g_autofree char *name = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  name = g_file_get_basename (file);
  escaped = g_markup_escape_text (name, -1);
  title = g_strdup_printf (_ ("Exported “%s”"), escaped);

  /* libadwaita 1.2 toast titles are Pango markup: the file name is escaped */
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _ ("_Open"));
  adw_toast_set_timeout (toast, 8);
  g_object_set_data_full (G_OBJECT (toast), "tally-export-uri", g_file_get_uri (file), g_free);
  if (parent != NULL)
    g_object_set_data (G_OBJECT (toast), "tally-export-parent", parent);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (toast_open_cb), NULL);

  return toast;
}

TallyExportDialog *
tally_export_dialog_present (GtkWindow *parent,
                             TallySession *session,
                             const TallyUsageQuery *query)
{
  TallyExportDialog *dialog;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TALLY_IS_SESSION (session), NULL);

  dialog = tally_export_dialog_new (parent, session, query);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

/* test-export-dialog.c: the Export dialog against the demo server (needs a display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tally-api-key.h"
#include "tally-client.h"
#include "tally-csv.h"
#include "tally-demo-server.h"
#include "tally-export-dialog.h"
#include "tally-format.h"
#include "tally-report.h"
#include "tally-resources.h"
#include "tally-server-time.h"
#include "tally-session.h"
#include "tally-test-gtk-utils.h"
#include "tally-test-utils.h"
#include "tally-usage-query.h"

typedef struct
{
  TallySession *session;
  char *dir;
  GFile *done_file;
  char *failed_message;
  guint n_done;
  guint n_failed;
  guint n_progress_updates;
} Fixture;

static void
fixture_setup (Fixture *f,
               gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->session = tally_session_new ();
  tally_test_start_demo (f->session);
  f->dir = g_dir_make_tmp ("tally-export-XXXXXX", &error);
  g_assert_no_error (error);
}

/* The demo with a tight rate limit on its heavy routes: two in three seconds. */
static void
fixture_setup_limited (Fixture *f,
                       gconstpointer data)
{
  g_setenv ("TALLY_DEMO_RATE_LIMIT", "2/1000/3", TRUE);
  fixture_setup (f, data);
  g_setenv ("TALLY_DEMO_RATE_LIMIT", "off", TRUE);
}

static void
fixture_teardown (Fixture *f,
                  gconstpointer data)
{
  tally_test_spin (50);
  g_assert_finalize_object (f->session);
  g_clear_object (&f->done_file);
  g_clear_pointer (&f->failed_message, g_free);
  tally_test_remove_dir (f->dir);
  g_free (f->dir);
}

static void
done_cb (TallyExportDialog *dialog,
         GFile *file,
         Fixture *f)
{
  g_set_object (&f->done_file, file);
  f->n_done++;
}

static void
failed_cb (TallyExportDialog *dialog,
           const char *message,
           Fixture *f)
{
  g_free (f->failed_message);
  f->failed_message = g_strdup (message);
  f->n_failed++;
}

static void
progress_cb (TallyExportDialog *dialog,
             GParamSpec *pspec,
             Fixture *f)
{
  f->n_progress_updates++;
}

/* The last three server days, with a key filter when @key_id > 0 */
static TallyUsageQuery *
make_query (Fixture *f,
            gint64 key_id)
{
  const char *today = tally_session_get_server_today (f->session);
  TallyUsageQuery *query = tally_usage_query_new ();
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autoptr (GError) error = NULL;
  GDate date;

  g_assert_nonnull (today);
  g_assert_true (tally_date_parse (today, &date));
  end = tally_date_format (&date);
  g_date_subtract_days (&date, 2);
  start = tally_date_format (&date);
  g_assert_true (tally_usage_query_set_range (query, start, end, &error));
  g_assert_no_error (error);
  tally_usage_query_set_api_key_id (query, key_id);

  return query;
}

static TallyExportDialog *
new_dialog (Fixture *f,
            const TallyUsageQuery *query)
{
  TallyExportDialog *dialog = tally_export_dialog_new (NULL, f->session, query);

  g_signal_connect (dialog, "done", G_CALLBACK (done_cb), f);
  g_signal_connect (dialog, "failed", G_CALLBACK (failed_cb), f);
  g_signal_connect (dialog, "notify::progress-text", G_CALLBACK (progress_cb), f);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

static void
wait_not_running (TallyExportDialog *dialog)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (tally_export_dialog_get_running (dialog))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the export did not finish");
      g_main_context_iteration (NULL, TRUE);
    }
}

/* What the report module writes for the same query (the CLI's code path). */
static char *
expected_csv (Fixture *f,
              TallyReportKind kind,
              const TallyUsageQuery *query)
{
  g_autoptr (GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  tally_report_write_csv_async (tally_session_get_client (f->session), kind, query, TALLY_GRANULARITY_DAY,
                                stream, NULL, NULL, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (tally_report_write_csv_finish (result, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (stream, NULL, NULL));

  return g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)));
}

typedef struct
{
  GtkFileChooser *chooser;
  GFile *folder;
  GFile *file;
} ChooserWait;

static gboolean
chooser_has_file (gpointer data)
{
  ChooserWait *wait = data;
  g_autoptr (GFile) file = gtk_file_chooser_get_file (wait->chooser);

  return file != NULL && g_file_equal (file, wait->file);
}

static gboolean
chooser_in_folder (gpointer data)
{
  ChooserWait *wait = data;
  g_autoptr (GFile) folder = gtk_file_chooser_get_current_folder (wait->chooser);

  if (folder != NULL && g_file_equal (folder, wait->folder))
    return TRUE;

  /* GTK's own chooser may still move to its start folder once while it maps:
   * ask again */
  gtk_file_chooser_set_current_folder (wait->chooser, wait->folder, NULL);
  return FALSE;
}

/* Export as a person does: the Export button opens the save dialog, which
 * proposes the default name; accepting it in @dir as @name (owned) starts the
 * export. Returns the dialog's file. */
static GFile *
export_through_save_dialog (TallyExportDialog *dialog,
                            const char *dir,
                            char *name)
{
  g_autoptr (GFile) folder = g_file_new_for_path (dir);
  g_autoptr (GFile) target = g_file_get_child (folder, name);
  ChooserWait wait;
  g_autoptr (GError) error = NULL;
  g_autofree char *proposed = NULL;
  g_autofree char *expected = NULL;
  const TallyUsageQuery *query = tally_export_dialog_get_query (dialog);
  GtkFileChooser *chooser;

  g_assert_null (tally_export_dialog_get_chooser (dialog));
  g_assert_false (tally_export_dialog_get_running (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.start", NULL));
  chooser = tally_export_dialog_get_chooser (dialog);
  g_assert_nonnull (chooser);
  g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==, GTK_FILE_CHOOSER_ACTION_SAVE);
  /* Export alone writes nothing until the save dialog is accepted */
  g_assert_false (tally_export_dialog_get_running (dialog));
  proposed = gtk_file_chooser_get_current_name (chooser);
  expected = tally_export_dialog_default_name (tally_export_dialog_get_kind (dialog),
                                               tally_usage_query_get_start_date (query),
                                               tally_usage_query_get_end_date (query));
  g_assert_cmpstr (proposed, ==, expected);

  /* the chooser loads the folder, then takes the name */
  wait.chooser = chooser;
  wait.folder = folder;
  wait.file = target;
  g_assert_true (gtk_file_chooser_set_current_folder (chooser, folder, &error));
  g_assert_no_error (error);
  tally_test_wait_until (chooser_in_folder, &wait, 100, 20, "the save dialog is in the folder");
  gtk_file_chooser_set_current_name (chooser, name);
  g_free (name);
  tally_test_wait_until (chooser_has_file, &wait, 20, 20, "the save dialog has the file");
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
  g_assert_null (tally_export_dialog_get_chooser (dialog));

  return tally_export_dialog_get_file (dialog);
}

/* Cancelling the save dialog exports nothing; Export opens it again. */
static void
test_save_dialog_cancel (Fixture *f,
                         gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = make_query (f, 0);
  TallyExportDialog *dialog = new_dialog (f, query);
  g_autofree char *names = NULL;
  GtkFileChooser *chooser;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.start", NULL));
  chooser = tally_export_dialog_get_chooser (dialog);
  g_assert_nonnull (chooser);
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_CANCEL);
  g_assert_null (tally_export_dialog_get_chooser (dialog));
  g_assert_false (tally_export_dialog_get_running (dialog));
  g_assert_null (tally_export_dialog_get_file (dialog));
  tally_test_spin (20);
  g_assert_cmpuint (f->n_done, ==, 0);
  names = tally_test_list_dir (f->dir);
  g_assert_cmpstr (names, ==, "");

  /* the second time through, accepting exports */
  export_through_save_dialog (dialog, f->dir, g_strdup ("second.csv"));
  g_assert_true (tally_export_dialog_get_running (dialog));
  g_object_ref (dialog);
  wait_not_running (dialog);
  g_assert_cmpuint (f->n_done, ==, 1);
  g_assert_true (g_file_test (f->dir, G_FILE_TEST_IS_DIR));
  g_clear_pointer (&names, g_free);
  names = tally_test_list_dir (f->dir);
  g_assert_cmpstr (names, ==, "second.csv");
  g_object_unref (dialog);
  tally_test_spin (20);
}

static gboolean
keys_loaded (gpointer data)
{
  GListModel *keys = tally_session_get_keys (data);

  return keys != NULL && g_list_model_get_n_items (keys) > 0;
}

/* The filter row names the key by its name, never by its id alone. */
static void
test_filter_key_name (Fixture *f,
                      gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = NULL;
  g_autoptr (TallyApiKey) key = NULL;
  g_autofree char *expected = NULL;
  TallyExportDialog *dialog;
  AdwActionRow *row;

  tally_test_wait_until (keys_loaded, f->session, 50, 20, "the keys are loaded");
  key = g_list_model_get_item (tally_session_get_keys (f->session), 0);
  g_assert_cmpstr (tally_api_key_get_name (key), !=, "");

  /* the key alone */
  query = make_query (f, tally_api_key_get_id (key));
  dialog = new_dialog (f, query);
  row = ADW_ACTION_ROW (tally_test_find_named (GTK_WIDGET (dialog), "filter-row"));
  expected = g_strdup_printf ("key “%s”", tally_api_key_get_name (key));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, expected);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_clear_pointer (&expected, g_free);

  /* the key with another filter */
  tally_usage_query_set_model (query, "gpt-4o");
  dialog = new_dialog (f, query);
  row = ADW_ACTION_ROW (tally_test_find_named (GTK_WIDGET (dialog), "filter-row"));
  expected = g_strdup_printf ("key “%s”, model “gpt-4o”", tally_api_key_get_name (key));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, expected);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_clear_pointer (&expected, g_free);

  /* a key the session does not know (deleted): its number */
  tally_usage_query_set_model (query, NULL);
  tally_usage_query_set_api_key_id (query, 987654);
  dialog = new_dialog (f, query);
  row = ADW_ACTION_ROW (tally_test_find_named (GTK_WIDGET (dialog), "filter-row"));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "key #987654");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* no filter */
  tally_usage_query_set_api_key_id (query, 0);
  dialog = new_dialog (f, query);
  row = ADW_ACTION_ROW (tally_test_find_named (GTK_WIDGET (dialog), "filter-row"));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "None: every key, model and request type");
  gtk_window_destroy (GTK_WINDOW (dialog));
  tally_test_spin (20);
}

static void
collect_mnemonics (GtkWidget *widget,
                   GHashTable *seen)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)))
    {
      guint keyval = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));

      if (keyval != GDK_KEY_VoidSymbol)
        {
          const char *other = g_hash_table_lookup (seen, GUINT_TO_POINTER (keyval));

          if (other != NULL)
            g_error ("“%s” and “%s” share the mnemonic %s", other, gtk_label_get_label (GTK_LABEL (widget)),
                     gdk_keyval_name (keyval));
          g_hash_table_insert (seen, GUINT_TO_POINTER (keyval), (gpointer) gtk_label_get_label (GTK_LABEL (widget)));
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_mnemonics (child, seen);
}

/* Each underlined letter of the dialog belongs to one widget only. */
static void
test_mnemonics (Fixture *f,
                gconstpointer data)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  TallyExportDialog *dialog = new_dialog (f, NULL);

  collect_mnemonics (GTK_WIDGET (dialog), seen);
  /* _Cancel, _Export, _What, C_ancel Export */
  g_assert_cmpuint (g_hash_table_size (seen), ==, 4);
  g_assert_nonnull (g_hash_table_lookup (seen, GUINT_TO_POINTER (GDK_KEY_e)));
  g_assert_nonnull (g_hash_table_lookup (seen, GUINT_TO_POINTER (GDK_KEY_w)));

  gtk_window_destroy (GTK_WINDOW (dialog));
  tally_test_spin (20);
}

static void
test_defaults (Fixture *f,
               gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = make_query (f, 0);
  TallyExportDialog *dialog = new_dialog (f, query);
  g_autofree char *name = NULL;

  g_assert_cmpint (tally_export_dialog_get_kind (dialog), ==, TALLY_EXPORT_LOGS);
  g_assert_null (tally_export_dialog_get_file (dialog));
  g_assert_false (tally_export_dialog_get_running (dialog));
  g_assert_true (tally_usage_query_equal (tally_export_dialog_get_query (dialog), query));
  /* nothing to export to yet: Export asks for the file first */
  g_assert_null (tally_export_dialog_get_chooser (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.start", NULL));
  g_assert_nonnull (tally_export_dialog_get_chooser (dialog));
  g_assert_false (tally_export_dialog_get_running (dialog));
  g_assert_null (tally_export_dialog_get_file (dialog));

  name = tally_export_dialog_default_name (TALLY_EXPORT_LOGS, "2026-01-01", "2026-01-31");
  g_assert_cmpstr (name, ==, "tally-usage-2026-01-01_to_2026-01-31.csv");
  g_clear_pointer (&name, g_free);
  name = tally_export_dialog_default_name (TALLY_EXPORT_DAILY, "2026-01-01", "2026-01-31");
  g_assert_cmpstr (name, ==, "tally-daily-2026-01-01_to_2026-01-31.csv");
  g_clear_pointer (&name, g_free);
  name = tally_export_dialog_default_name (TALLY_EXPORT_MODELS, "2026-01-01", "2026-01-31");
  g_assert_cmpstr (name, ==, "tally-models-2026-01-01_to_2026-01-31.csv");
  g_clear_pointer (&name, g_free);
  name = tally_export_dialog_default_name (TALLY_EXPORT_KEYS, "2026-01-01", "2026-01-31");
  g_assert_cmpstr (name, ==, "tally-keys-2026-01-01_to_2026-01-31.csv");
  g_clear_pointer (&name, g_free);
  name = tally_export_dialog_default_name (TALLY_EXPORT_PDF, "2026-01-01", "2026-01-31");
  g_assert_cmpstr (name, ==, "tally-summary-2026-01-01_to_2026-01-31.pdf");
  g_clear_pointer (&name, g_free);
  name = tally_export_dialog_default_name (TALLY_EXPORT_LOGS, NULL, NULL);
  g_assert_cmpstr (name, ==, "tally-usage-all.csv");

  gtk_window_destroy (GTK_WINDOW (dialog));
  tally_test_spin (20);
}

/* Each CSV kind: the file equals what the report module writes for the
 * frozen query, even when the view's query changes mid-export. */
static void
test_csv_kinds (Fixture *f,
                gconstpointer data)
{
  static const TallyExportKind kinds[] = { TALLY_EXPORT_LOGS, TALLY_EXPORT_DAILY, TALLY_EXPORT_MODELS,
                                           TALLY_EXPORT_KEYS };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr (TallyUsageQuery) query = make_query (f, i == 0 ? 0 : 1);
      g_autofree char *path = g_strdup_printf ("%s/export-%u.csv", f->dir, i);
      g_autoptr (GFile) file = g_file_new_for_path (path);
      g_autofree char *contents = NULL;
      g_autofree char *expected = NULL;
      g_autoptr (GPtrArray) rows = NULL;
      g_autoptr (GError) error = NULL;
      TallyExportDialog *dialog = new_dialog (f, query);
      gpointer weak = dialog;
      guint done_before = f->n_done;

      g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
      f->n_progress_updates = 0;
      tally_export_dialog_set_kind (dialog, kinds[i]);
      g_assert_true (g_file_equal (export_through_save_dialog (dialog, f->dir, g_path_get_basename (path)), file));
      g_assert_true (tally_export_dialog_get_running (dialog));

      /* the view moves on: the export keeps its own copy */
      tally_usage_query_set_api_key_id (query, 3);
      tally_usage_query_set_range (query, "2020-01-01", "2020-01-02", NULL);

      g_object_ref (dialog);
      wait_not_running (dialog);
      g_assert_cmpuint (f->n_done, ==, done_before + 1);
      g_assert_true (g_file_equal (f->done_file, file));
      g_assert_cmpuint (f->n_failed, ==, 0);
      g_assert_null (tally_export_dialog_get_error_text (dialog));
      g_assert_cmpuint (f->n_progress_updates, >, 0);

      g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
      g_assert_no_error (error);
      rows = tally_csv_parse (contents, strlen (contents), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, >, 1);

      /* "N rows, M pages" with the rows written */
      {
        g_autofree char *count = tally_format_count ((gint64) rows->len - 1);
        const char *progress = tally_export_dialog_get_progress_text (dialog);

        g_assert_nonnull (progress);
        g_assert_true (g_str_has_prefix (progress, count));
        g_assert_nonnull (strstr (progress, "row"));
        g_assert_nonnull (strstr (progress, "page"));
      }

      /* the frozen query: the view's later change did not reach the export */
      expected = expected_csv (f, (TallyReportKind) kinds[i], tally_export_dialog_get_query (dialog));
      g_assert_cmpstr (contents, ==, expected);

      /* done closes the dialog */
      g_object_unref (dialog);
      tally_test_spin (20);
      g_assert_null (weak);
    }
}

static void
record_progress_cb (TallyExportDialog *dialog,
                    GParamSpec *pspec,
                    GPtrArray *texts)
{
  const char *text = tally_export_dialog_get_progress_text (dialog);

  if (text != NULL && (texts->len == 0 || g_strcmp0 (g_ptr_array_index (texts, texts->len - 1), text) != 0))
    g_ptr_array_add (texts, g_strdup (text));
}

/* The server's rate limit holds the export back: the progress says so and
 * counts down, then goes back to the rows; the file is complete and exact. */
static void
test_rate_limit_wait (Fixture *f,
                      gconstpointer data)
{
  const char *waiting = "Waiting for the server’s rate limit — resuming in ";
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autofree char *path = g_build_filename (f->dir, "limited.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  TallyExportDialog *dialog;
  gboolean waited = FALSE;
  guint n_rows_texts = 0;

  /* two weeks: about 3 pages of 1000, two heavy requests in three seconds */
  {
    GDate date;
    g_autofree char *start = NULL;
    g_autofree char *end = NULL;

    g_assert_true (tally_date_parse (tally_session_get_server_today (f->session), &date));
    end = tally_date_format (&date);
    g_date_subtract_days (&date, 13);
    start = tally_date_format (&date);
    g_assert_true (tally_usage_query_set_range (query, start, end, NULL));
  }
  dialog = new_dialog (f, query);
  g_signal_connect (dialog, "notify::progress-text", G_CALLBACK (record_progress_cb), texts);
  tally_export_dialog_set_kind (dialog, TALLY_EXPORT_LOGS);
  tally_export_dialog_set_file (dialog, file);
  g_object_ref (dialog);
  tally_export_dialog_start (dialog);
  {
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    while (tally_export_dialog_get_running (dialog))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
  }

  g_assert_cmpuint (f->n_failed, ==, 0);
  g_assert_cmpuint (f->n_done, ==, 1);
  for (guint i = 0; i < texts->len; i++)
    {
      const char *text = g_ptr_array_index (texts, i);

      if (g_str_has_prefix (text, waiting))
        {
          waited = TRUE;
          g_assert_true (g_str_has_suffix (text, " s"));
          g_assert_cmpint (g_ascii_strtoll (text + strlen (waiting), NULL, 10), >=, 1);
        }
      else if (waited && strstr (text, "row") != NULL)
        n_rows_texts++;
    }
  g_assert_true (waited);
  /* after a wait the progress shows the rows again */
  g_assert_cmpuint (n_rows_texts, >, 0);
  g_assert_false (g_str_has_prefix (tally_export_dialog_get_progress_text (dialog), waiting));

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  expected = expected_csv (f, TALLY_REPORT_LOGS, query);
  g_assert_cmpstr (contents, ==, expected);

  g_object_unref (dialog);
  tally_test_spin (20);
}

static void
test_pdf (Fixture *f,
          gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = make_query (f, 0);
  g_autofree char *path = g_build_filename (f->dir, "summary.pdf", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  gsize length = 0;
  TallyExportDialog *dialog = new_dialog (f, query);

  tally_export_dialog_set_kind (dialog, TALLY_EXPORT_PDF);
  tally_export_dialog_set_file (dialog, file);
  tally_export_dialog_start (dialog);
  g_object_ref (dialog);
  wait_not_running (dialog);
  g_assert_cmpuint (f->n_done, ==, 1);
  g_object_unref (dialog);

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF-1.5"));
}

/* Cancel mid-export: no file, no temporary file, no signal; the form is back. */
static void
test_cancel (Fixture *f,
             gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autofree char *path = g_build_filename (f->dir, "cancelled.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *names = NULL;
  TallyDemoServer *server = TALLY_DEMO_SERVER (tally_session_get_demo_backend (f->session));
  TallyExportDialog *dialog = new_dialog (f, query);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  tally_demo_server_set_delay (server, 40);
  tally_export_dialog_set_file (dialog, file);
  tally_export_dialog_start (dialog);

  /* wait until a few pages are in */
  tally_demo_server_reset_request_counts (server);
  while (tally_demo_server_get_request_count (server, "/api/v1/usage") < 3)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (tally_export_dialog_get_running (dialog));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.cancel", NULL));
  wait_not_running (dialog);

  g_assert_cmpuint (f->n_done, ==, 0);
  g_assert_cmpuint (f->n_failed, ==, 0);
  g_assert_null (tally_export_dialog_get_error_text (dialog));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  names = tally_test_list_dir (f->dir);
  g_assert_cmpstr (names, ==, "");

  tally_demo_server_set_delay (server, 0);
  gtk_window_destroy (GTK_WINDOW (dialog));
  tally_test_spin (100);
}

/* Closing the dialog while it exports cancels: no file, no warning. */
static void
test_close_while_running (Fixture *f,
                          gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autofree char *path = g_build_filename (f->dir, "closed.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *names = NULL;
  TallyDemoServer *server = TALLY_DEMO_SERVER (tally_session_get_demo_backend (f->session));
  TallyExportDialog *dialog = new_dialog (f, query);
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  tally_demo_server_set_delay (server, 40);
  tally_export_dialog_set_file (dialog, file);
  tally_export_dialog_start (dialog);
  tally_test_spin (150);
  g_assert_true (tally_export_dialog_get_running (dialog));

  gtk_window_close (GTK_WINDOW (dialog));
  while (weak != NULL)
    g_main_context_iteration (NULL, TRUE);
  tally_test_spin (100);

  g_assert_cmpuint (f->n_done, ==, 0);
  g_assert_cmpuint (f->n_failed, ==, 0);
  names = tally_test_list_dir (f->dir);
  g_assert_cmpstr (names, ==, "");
  tally_demo_server_set_delay (server, 0);
}

/* A failure mid-export: a clear error in the dialog, "failed", and the
 * existing file byte-identical. */
static void
test_failure_keeps_file (Fixture *f,
                         gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = tally_usage_query_new ();
  g_autofree char *path = g_build_filename (f->dir, "existing.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_autofree char *names = NULL;
  g_autoptr (GError) error = NULL;
  TallyDemoServer *server = TALLY_DEMO_SERVER (tally_session_get_demo_backend (f->session));
  TallyExportDialog *dialog = new_dialog (f, query);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_true (g_file_set_contents (path, "id\r\n1\r\n", -1, &error));
  g_assert_no_error (error);

  tally_demo_server_set_delay (server, 20);
  tally_export_dialog_set_file (dialog, file);
  tally_export_dialog_start (dialog);
  tally_demo_server_reset_request_counts (server);
  while (tally_demo_server_get_request_count (server, "/api/v1/usage") < 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_HTML_502);
  wait_not_running (dialog);

  g_assert_cmpuint (f->n_done, ==, 0);
  g_assert_cmpuint (f->n_failed, ==, 1);
  g_assert_nonnull (tally_export_dialog_get_error_text (dialog));
  g_assert_cmpstr (tally_export_dialog_get_error_text (dialog), ==, f->failed_message);
  g_assert_true (g_str_has_prefix (f->failed_message, "The export failed: "));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "id\r\n1\r\n");
  names = tally_test_list_dir (f->dir);
  g_assert_cmpstr (names, ==, "existing.csv");

  tally_demo_server_set_fault (server, TALLY_DEMO_FAULT_NONE);
  tally_demo_server_set_delay (server, 0);
  gtk_window_destroy (GTK_WINDOW (dialog));
  tally_test_spin (50);
}

/* tally_export_dialog_present(): the dialog's "done" gives the file; its toast has an "Open" button */
static void
present_done_cb (TallyExportDialog *dialog,
                 GFile *file,
                 gpointer user_data)
{
  AdwToast **slot = user_data;

  *slot = g_object_ref_sink (tally_export_dialog_new_done_toast (gtk_window_get_transient_for (GTK_WINDOW (dialog)), file));
}

static void
test_present_toast (Fixture *f,
                    gconstpointer data)
{
  g_autoptr (TallyUsageQuery) query = make_query (f, 0);
  g_autofree char *path = g_build_filename (f->dir, "keys <&>.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
  g_autoptr (AdwToast) toast = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();
  TallyExportDialog *dialog = NULL;
  TallyExportDialog *presented;

  gtk_window_present (parent);
  presented = tally_export_dialog_present (parent, f->session, query);
  g_signal_connect (presented, "done", G_CALLBACK (present_done_cb), &toast);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (TALLY_IS_EXPORT_DIALOG (window))
        dialog = TALLY_EXPORT_DIALOG (window);
    }
  g_assert_nonnull (dialog);
  g_assert_true (dialog == presented);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == parent);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));

  tally_export_dialog_set_kind (dialog, TALLY_EXPORT_KEYS);
  tally_export_dialog_set_file (dialog, file);
  tally_export_dialog_start (dialog);
  while (toast == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpstr (adw_toast_get_title (toast), ==, "Exported “keys &lt;&amp;&gt;.csv”");
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Open");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  gtk_window_destroy (parent);
  tally_test_spin (50);
}

int
main (int argc,
      char *argv[])
{
  tally_test_gtk_init (&argc, &argv);

  g_test_add ("/export-dialog/defaults", Fixture, NULL, fixture_setup, test_defaults, fixture_teardown);
  g_test_add ("/export-dialog/save-dialog-cancel", Fixture, NULL, fixture_setup, test_save_dialog_cancel,
              fixture_teardown);
  g_test_add ("/export-dialog/filter-key-name", Fixture, NULL, fixture_setup, test_filter_key_name,
              fixture_teardown);
  g_test_add ("/export-dialog/mnemonics", Fixture, NULL, fixture_setup, test_mnemonics, fixture_teardown);
  g_test_add ("/export-dialog/csv-kinds", Fixture, NULL, fixture_setup, test_csv_kinds, fixture_teardown);
  g_test_add ("/export-dialog/rate-limit-wait", Fixture, NULL, fixture_setup_limited, test_rate_limit_wait,
              fixture_teardown);
  g_test_add ("/export-dialog/pdf", Fixture, NULL, fixture_setup, test_pdf, fixture_teardown);
  g_test_add ("/export-dialog/cancel", Fixture, NULL, fixture_setup, test_cancel, fixture_teardown);
  g_test_add ("/export-dialog/close-while-running", Fixture, NULL, fixture_setup, test_close_while_running,
              fixture_teardown);
  g_test_add ("/export-dialog/failure-keeps-file", Fixture, NULL, fixture_setup, test_failure_keeps_file,
              fixture_teardown);
  g_test_add ("/export-dialog/present-toast", Fixture, NULL, fixture_setup, test_present_toast,
              fixture_teardown);

  return g_test_run ();
}

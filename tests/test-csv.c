/* test-csv.c: tally-csv.h (writer, parser, atomic files)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "tally-csv.h"
#include "tally-error.h"
#include "tally-test-utils.h"

/* ---------------------------------------------------------------- a counting stream */

/* A GMemoryOutputStream that counts write calls, to check the buffering. */
typedef struct
{
  GMemoryOutputStream parent_instance;
  guint n_writes;
} CountingStream;

typedef struct
{
  GMemoryOutputStreamClass parent_class;
} CountingStreamClass;

static GType counting_stream_get_type (void);
G_DEFINE_TYPE (CountingStream, counting_stream, G_TYPE_MEMORY_OUTPUT_STREAM)

static gssize
counting_stream_write (GOutputStream *stream,
                       const void *buffer,
                       gsize count,
                       GCancellable *cancellable,
                       GError **error)
{
  ((CountingStream *) stream)->n_writes++;

  return G_OUTPUT_STREAM_CLASS (counting_stream_parent_class)->write_fn (stream, buffer, count, cancellable, error);
}

static void
counting_stream_class_init (CountingStreamClass *klass)
{
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = counting_stream_write;
}

static void
counting_stream_init (CountingStream *self)
{
}

static GOutputStream *
counting_stream_new (void)
{
  return g_object_new (counting_stream_get_type (),
                       "realloc-function", g_realloc,
                       "destroy-function", g_free,
                       NULL);
}

static char *
memory_stream_text (GOutputStream *stream)
{
  GMemoryOutputStream *mem = G_MEMORY_OUTPUT_STREAM (stream);
  gsize size = g_memory_output_stream_get_data_size (mem);

  return g_strndup (g_memory_output_stream_get_data (mem), size);
}

/* ---------------------------------------------------------------- escaping */

static void
check_escape (const char *cell,
              const char *expected)
{
  g_autofree char *got = tally_csv_escape_cell (cell);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_escape (void)
{
  check_escape (NULL, "");
  check_escape ("", "");
  check_escape ("plain", "plain");
  check_escape ("claude-sonnet-4-5", "claude-sonnet-4-5");
  check_escape ("a,b", "\"a,b\"");
  check_escape ("say \"hi\"", "\"say \"\"hi\"\"\"");
  check_escape ("\"", "\"\"\"\"");
  check_escape ("line1\r\nline2", "\"line1\r\nline2\"");
  check_escape ("x\ny", "\"x\ny\"");
  check_escape ("a\rb", "\"a\rb\"");
  check_escape ("订阅 Claude ⚡", "订阅 Claude ⚡");
  check_escape ("CI <b>&amp; bot", "CI <b>&amp; bot");
  check_escape ("a=b", "a=b");
  check_escape (" =x", " =x");
  check_escape ("'quoted", "'quoted");

  /* formula guard */
  check_escape ("=1+2", "'=1+2");
  check_escape ("+x", "'+x");
  check_escape ("-x", "'-x");
  check_escape ("@x", "'@x");
  check_escape ("\tx", "'\tx");
  check_escape ("\rx", "\"'\rx\"");
  check_escape ("-1", "'-1");
  check_escape ("-1.5", "'-1.5");
  check_escape ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  check_escape ("=1,2", "\"'=1,2\"");
}

/* ---------------------------------------------------------------- writer */

static void
test_writer_exact (void)
{
  g_autoptr (GOutputStream) stream = counting_stream_new ();
  g_autoptr (TallyCsvWriter) writer = tally_csv_writer_new (stream);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  tally_csv_writer_add (writer, "id");
  tally_csv_writer_add (writer, "model");
  tally_csv_writer_add (writer, "cost");
  tally_csv_writer_add (writer, "duration_ms");
  tally_csv_writer_add (writer, "note");
  g_assert_true (tally_csv_writer_end_row (writer, NULL, &error));
  g_assert_no_error (error);

  tally_csv_writer_add_int (writer, 19954);
  tally_csv_writer_add (writer, "-1");
  tally_csv_writer_add_double (writer, 0.02999685);
  tally_csv_writer_add_nullable_int (writer, 8188);
  tally_csv_writer_add (writer, "a,\"b\"\r\nc");
  g_assert_true (tally_csv_writer_end_row (writer, NULL, &error));

  tally_csv_writer_add_int (writer, -3);
  tally_csv_writer_add (writer, NULL);
  tally_csv_writer_add_double (writer, -1.5);
  tally_csv_writer_add_nullable_int (writer, -1);
  tally_csv_writer_add (writer, "=1+2");
  g_assert_true (tally_csv_writer_end_row (writer, NULL, &error));

  tally_csv_writer_add_int (writer, G_MININT64);
  tally_csv_writer_add (writer, "订阅 ⚡");
  tally_csv_writer_add_double (writer, 1.2e-7);
  tally_csv_writer_add_nullable_int (writer, 0);
  tally_csv_writer_add_double (writer, NAN);
  g_assert_true (tally_csv_writer_end_row (writer, NULL, &error));

  tally_csv_writer_add_double (writer, 1e21);
  tally_csv_writer_add_double (writer, -0.0);
  tally_csv_writer_add_double (writer, INFINITY);
  tally_csv_writer_add_int (writer, 0);
  tally_csv_writer_add (writer, "");
  g_assert_true (tally_csv_writer_end_row (writer, NULL, &error));

  /* buffered: nothing reached the stream yet */
  g_assert_cmpuint (((CountingStream *) stream)->n_writes, ==, 0);
  g_assert_true (tally_csv_writer_flush (writer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (((CountingStream *) stream)->n_writes, ==, 1);

  text = memory_stream_text (stream);
  g_assert_cmpstr (text, ==,
                   "id,model,cost,duration_ms,note\r\n"
                   "19954,'-1,0.02999685,8188,\"a,\"\"b\"\"\r\nc\"\r\n"
                   "-3,,-1.5,,'=1+2\r\n"
                   "-9223372036854775808,订阅 ⚡,0.00000012,0,\r\n"
                   "1000000000000000000000,0,,0,\r\n");

  g_clear_pointer (&writer, tally_csv_writer_free);
  g_assert_finalize_object (g_steal_pointer (&stream));
}

static void
test_writer_cancelled (void)
{
  g_autoptr (GOutputStream) stream = counting_stream_new ();
  g_autoptr (TallyCsvWriter) writer = tally_csv_writer_new (stream);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;

  tally_csv_writer_add (writer, "x");
  g_cancellable_cancel (cancellable);
  g_assert_false (tally_csv_writer_end_row (writer, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_writer_io_error (void)
{
  g_autoptr (GFile) full = g_file_new_for_path ("/dev/full");
  g_autoptr (GFileOutputStream) stream = NULL;
  g_autoptr (TallyCsvWriter) writer = NULL;
  g_autoptr (GError) error = NULL;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }

  stream = g_file_append_to (full, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  writer = tally_csv_writer_new (G_OUTPUT_STREAM (stream));
  tally_csv_writer_add (writer, "data");
  g_assert_true (tally_csv_writer_end_row (writer, NULL, &error));
  g_assert_false (tally_csv_writer_flush (writer, NULL, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_IO);
  g_test_message ("write error: %s", error->message);
}

/* 100 000 rows × 18 columns, like the request-log export. Timing is only
 * reported (DESIGN.md §5: no timed unit tests); the buffering is asserted. */
static void
test_writer_large (void)
{
  g_autoptr (GOutputStream) stream = counting_stream_new ();
  g_autoptr (TallyCsvWriter) writer = tally_csv_writer_new (stream);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *text = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;
  gsize size;
  char **row;

  for (guint i = 0; i < 100000; i++)
    {
      tally_csv_writer_add_int (writer, 100000 - (gint64) i);
      tally_csv_writer_add (writer, "2026-01-15T11:34:41.016471+08:00");
      tally_csv_writer_add_int (writer, 3);
      tally_csv_writer_add (writer, i % 7 == 0 ? "订阅 Claude Max ⚡" : "gemini-batch");
      tally_csv_writer_add (writer, i % 11 == 0 ? "weird, \"model\"" : "claude-sonnet-4-5");
      tally_csv_writer_add (writer, i % 2 ? "true" : "false");
      tally_csv_writer_add (writer, i % 3 ? "subscription" : "balance");
      tally_csv_writer_add_int (writer, 1128 + i);
      tally_csv_writer_add_int (writer, 133);
      tally_csv_writer_add_int (writer, 2939);
      tally_csv_writer_add_int (writer, 45322);
      tally_csv_writer_add_int (writer, 49522 + i);
      tally_csv_writer_add_double (writer, 0.02999685 + i * 1e-8);
      tally_csv_writer_add_double (writer, 0.032034375 * (i % 5));
      tally_csv_writer_add_double (writer, i % 2 ? 1 : 1.5);
      tally_csv_writer_add_nullable_int (writer, i % 13 ? 8188 : -1);
      tally_csv_writer_add_nullable_int (writer, i % 17 ? 820 : -1);
      tally_csv_writer_add (writer, "msg_01R9g9et4XeJU7zv54B2VYFG");
      g_assert_true (tally_csv_writer_end_row (writer, NULL, &error));
    }
  g_assert_true (tally_csv_writer_flush (writer, NULL, &error));
  g_assert_no_error (error);
  elapsed = g_get_monotonic_time () - start;

  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream));
  g_test_message ("100000 rows x 18 columns: %" G_GSIZE_FORMAT " bytes in %.1f ms, %u writes",
                  size, elapsed / 1000.0, ((CountingStream *) stream)->n_writes);
  /* about one write per 64 KiB */
  g_assert_cmpuint (((CountingStream *) stream)->n_writes, <=, size / (64 * 1024) + 1);
  g_assert_cmpuint (((CountingStream *) stream)->n_writes, >=, size / (80 * 1024));

  text = memory_stream_text (stream);
  rows = tally_csv_parse (text, size, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 100000);

  row = g_ptr_array_index (rows, 0);
  g_assert_cmpuint (g_strv_length (row), ==, 18);
  g_assert_cmpstr (row[0], ==, "100000");
  g_assert_cmpstr (row[3], ==, "订阅 Claude Max ⚡");
  g_assert_cmpstr (row[4], ==, "weird, \"model\"");
  g_assert_cmpstr (row[12], ==, "0.02999685");
  g_assert_cmpstr (row[13], ==, "0");
  g_assert_cmpstr (row[15], ==, "");

  row = g_ptr_array_index (rows, 99999);
  g_assert_cmpuint (g_strv_length (row), ==, 18);
  g_assert_cmpstr (row[0], ==, "1");
  g_assert_cmpstr (row[7], ==, "101127");
  g_assert_cmpfloat (g_ascii_strtod (row[12], NULL), ==, 0.02999685 + 99999 * 1e-8);
  g_assert_cmpfloat (g_ascii_strtod (row[13], NULL), ==, 0.032034375 * 4);
  g_assert_cmpstr (row[14], ==, "1");
  g_assert_cmpstr (row[17], ==, "msg_01R9g9et4XeJU7zv54B2VYFG");
}

/* ---------------------------------------------------------------- parser */

static void
assert_row (GPtrArray *rows,
            guint index,
            const char *const *expected)
{
  char **row = g_ptr_array_index (rows, index);

  g_assert_cmpstrv (row, expected);
}

static void
test_parse (void)
{
  static const char text[] = "\xef\xbb\xbf"
                             "a,b,c\r\n"
                             "1,\"x,y\",\"he said \"\"hi\"\"\"\r\n"
                             "\"multi\r\nline\",,\n"
                             "\"\",last\r\n"
                             "\r\n"
                             "no,newline";
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = tally_csv_parse (text, strlen (text), &error);
  g_autoptr (GPtrArray) empty = NULL;
  g_autoptr (GPtrArray) lone_cr = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 6);
  assert_row (rows, 0, (const char *const[]){ "a", "b", "c", NULL });
  assert_row (rows, 1, (const char *const[]){ "1", "x,y", "he said \"hi\"", NULL });
  assert_row (rows, 2, (const char *const[]){ "multi\r\nline", "", "", NULL });
  assert_row (rows, 3, (const char *const[]){ "", "last", NULL });
  assert_row (rows, 4, (const char *const[]){ "", NULL });
  assert_row (rows, 5, (const char *const[]){ "no", "newline", NULL });

  empty = tally_csv_parse ("", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->len, ==, 0);

  lone_cr = tally_csv_parse ("a\rb\r", 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lone_cr->len, ==, 2);
  assert_row (lone_cr, 1, (const char *const[]){ "b", NULL });
}

static void
check_parse_error (const char *text,
                   const char *message_part)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = tally_csv_parse (text, strlen (text), &error);

  g_assert_null (rows);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_INVALID_ARGUMENT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, message_part));
}

static void
test_parse_errors (void)
{
  check_parse_error ("a,b\r\n\"abc", "line 2");
  check_parse_error ("a,b\r\n\"abc", "not terminated");
  check_parse_error ("ab\"c", "quote inside");
  check_parse_error ("x\n\"a\"b", "line 2");
  check_parse_error ("\"a\"b", "after a closing quote");
  check_parse_error ("\xff\xfe", "UTF-8");
}

static void
test_round_trip (void)
{
  static const char *const cells[] = {
    "plain",
    "",
    "a,b",
    "say \"hi\"",
    "line1\r\nline2",
    "x\ny",
    "\"",
    ",",
    "\r\n",
    "订阅 Claude Max ⚡",
    "CI <b>&amp; bot",
    "  spaces  ",
    "'already quoted",
    "=1+2",
    "+x",
    "-x",
    "@x",
    "\tx",
    "\rx",
    "-1",
    "=\"a,b\"",
  };
  g_autoptr (GOutputStream) stream = counting_stream_new ();
  g_autoptr (TallyCsvWriter) writer = tally_csv_writer_new (stream);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *text = NULL;
  char **row;

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    tally_csv_writer_add (writer, cells[i]);
  g_assert_true (tally_csv_writer_end_row (writer, NULL, &error));
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      tally_csv_writer_add (writer, cells[i]);
      g_assert_true (tally_csv_writer_end_row (writer, NULL, &error));
    }
  tally_csv_writer_add_int (writer, -42);
  tally_csv_writer_add_double (writer, -0.5);
  tally_csv_writer_add_nullable_int (writer, -1);
  g_assert_true (tally_csv_writer_end_row (writer, NULL, &error));
  g_assert_true (tally_csv_writer_flush (writer, NULL, &error));
  g_assert_no_error (error);

  text = memory_stream_text (stream);
  rows = tally_csv_parse (text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1 + G_N_ELEMENTS (cells) + 1);

  row = g_ptr_array_index (rows, 0);
  g_assert_cmpuint (g_strv_length (row), ==, G_N_ELEMENTS (cells));
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      char **single = g_ptr_array_index (rows, 1 + i);
      gboolean guarded = strchr ("=+-@\t\r", cells[i][0]) != NULL && cells[i][0] != '\0';
      g_autofree char *expected = guarded ? g_strconcat ("'", cells[i], NULL) : g_strdup (cells[i]);

      g_assert_cmpstr (row[i], ==, expected);
      g_assert_cmpuint (g_strv_length (single), ==, 1);
      g_assert_cmpstr (single[0], ==, expected);
    }

  /* numbers are not guarded */
  assert_row (rows, 1 + G_N_ELEMENTS (cells), (const char *const[]){ "-42", "-0.5", "", NULL });
}

/* ---------------------------------------------------------------- atomic files */

typedef struct
{
  char *dir;
  GFile *target;
} Fixture;

static void
fixture_set_up (Fixture *fixture,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("tally-test-csv-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "usage export.csv", NULL);
  fixture->target = g_file_new_for_path (path);
}

static void
fixture_tear_down (Fixture *fixture,
                   gconstpointer data)
{
  tally_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_assert_finalize_object (fixture->target);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

/* The directory's entries, sorted, joined with '|'; temp files shown as "TEMP". */
static char *
list_dir (Fixture *fixture)
{
  g_autoptr (GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, ".tally-export-") && g_str_has_suffix (name, ".tmp"))
        g_ptr_array_add (names, g_strdup ("TEMP"));
      else
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return g_strjoinv ("|", (char **) names->pdata);
}

static void
assert_dir (Fixture *fixture,
            const char *expected)
{
  g_autofree char *listing = list_dir (fixture);

  g_assert_cmpstr (listing, ==, expected);
}

static void
assert_target_contents (Fixture *fixture,
                        const char *expected)
{
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (g_file_peek_path (fixture->target), &contents, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, strlen (expected));
  g_assert_cmpmem (contents, len, expected, strlen (expected));
}

static void
write_old (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (g_file_peek_path (fixture->target), "old,content\r\n\xe2\x9a\xa1\r\n", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (g_file_peek_path (fixture->target), 0640), ==, 0);
}

static void
write_rows (GOutputStream *stream,
            guint n_rows)
{
  g_autoptr (TallyCsvWriter) writer = tally_csv_writer_new (stream);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < n_rows; i++)
    {
      tally_csv_writer_add_int (writer, i);
      tally_csv_writer_add (writer, "new");
      g_assert_true (tally_csv_writer_end_row (writer, NULL, &error));
    }
  g_assert_true (tally_csv_writer_flush (writer, NULL, &error));
  g_assert_no_error (error);
}

static void
test_atomic_commit_new (Fixture *fixture,
                        gconstpointer data)
{
  g_autoptr (GOutputStream) stream = NULL;
  g_autoptr (GError) error = NULL;

  stream = tally_atomic_file_open (fixture->target, NULL, &error);
  g_assert_no_error (error);
  write_rows (stream, 2);

  /* not visible before the commit */
  g_assert_false (g_file_query_exists (fixture->target, NULL));
  assert_dir (fixture, "TEMP");

  g_assert_true (tally_atomic_file_commit (stream, NULL, &error));
  g_assert_no_error (error);
  assert_dir (fixture, "usage export.csv");
  assert_target_contents (fixture, "0,new\r\n1,new\r\n");

  /* abort after commit is a no-op */
  tally_atomic_file_abort (stream);
  assert_target_contents (fixture, "0,new\r\n1,new\r\n");
  g_assert_finalize_object (g_steal_pointer (&stream));
}

static void
test_atomic_commit_replace (Fixture *fixture,
                            gconstpointer data)
{
  g_autoptr (GOutputStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  GStatBuf st;

  write_old (fixture);
  stream = tally_atomic_file_open (fixture->target, NULL, &error);
  g_assert_no_error (error);
  write_rows (stream, 1);

  assert_target_contents (fixture, "old,content\r\n\xe2\x9a\xa1\r\n");
  assert_dir (fixture, "TEMP|usage export.csv");

  g_assert_true (tally_atomic_file_commit (stream, NULL, &error));
  g_assert_no_error (error);
  assert_dir (fixture, "usage export.csv");
  assert_target_contents (fixture, "0,new\r\n");

  /* the mode of the replaced file is kept */
  g_assert_cmpint (g_stat (g_file_peek_path (fixture->target), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  g_assert_finalize_object (g_steal_pointer (&stream));
}

static void
test_atomic_abort_existing (Fixture *fixture,
                            gconstpointer data)
{
  g_autoptr (GOutputStream) stream = NULL;
  g_autoptr (GError) error = NULL;

  write_old (fixture);
  stream = tally_atomic_file_open (fixture->target, NULL, &error);
  g_assert_no_error (error);
  write_rows (stream, 5000);
  assert_dir (fixture, "TEMP|usage export.csv");

  tally_atomic_file_abort (stream);
  g_assert_true (g_output_stream_is_closed (stream));
  assert_dir (fixture, "usage export.csv");
  assert_target_contents (fixture, "old,content\r\n\xe2\x9a\xa1\r\n");
  g_assert_finalize_object (g_steal_pointer (&stream));
}

static void
test_atomic_abort_new (Fixture *fixture,
                       gconstpointer data)
{
  g_autoptr (GOutputStream) stream = NULL;
  g_autoptr (GError) error = NULL;

  stream = tally_atomic_file_open (fixture->target, NULL, &error);
  g_assert_no_error (error);
  write_rows (stream, 3);
  tally_atomic_file_abort (stream);
  tally_atomic_file_abort (stream); /* twice is harmless */
  assert_dir (fixture, "");
  g_assert_finalize_object (g_steal_pointer (&stream));
}

static void
test_atomic_cancelled_while_writing (Fixture *fixture,
                                     gconstpointer data)
{
  g_autoptr (GOutputStream) stream = NULL;
  g_autoptr (TallyCsvWriter) writer = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  guint written = 0;

  write_old (fixture);
  stream = tally_atomic_file_open (fixture->target, cancellable, &error);
  g_assert_no_error (error);
  writer = tally_csv_writer_new (stream);

  for (guint i = 0; i < 100000; i++)
    {
      if (i == 20000)
        g_cancellable_cancel (cancellable);
      tally_csv_writer_add_int (writer, i);
      tally_csv_writer_add (writer, "a row that is long enough to reach the 64 KiB buffer");
      if (!tally_csv_writer_end_row (writer, cancellable, &error))
        break;
      written++;
    }
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (written, ==, 20000);
  assert_dir (fixture, "TEMP|usage export.csv");

  tally_atomic_file_abort (stream);
  assert_dir (fixture, "usage export.csv");
  assert_target_contents (fixture, "old,content\r\n\xe2\x9a\xa1\r\n");

  g_clear_pointer (&writer, tally_csv_writer_free);
  g_assert_finalize_object (g_steal_pointer (&stream));
}

static void
test_atomic_commit_cancelled (Fixture *fixture,
                              gconstpointer data)
{
  g_autoptr (GOutputStream) stream = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;

  write_old (fixture);
  stream = tally_atomic_file_open (fixture->target, NULL, &error);
  g_assert_no_error (error);
  write_rows (stream, 2);

  g_cancellable_cancel (cancellable);
  g_assert_false (tally_atomic_file_commit (stream, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_dir (fixture, "usage export.csv");
  assert_target_contents (fixture, "old,content\r\n\xe2\x9a\xa1\r\n");
  tally_atomic_file_abort (stream);
  g_assert_finalize_object (g_steal_pointer (&stream));
}

static void
test_atomic_dropped_stream (Fixture *fixture,
                            gconstpointer data)
{
  GOutputStream *stream;
  g_autoptr (GError) error = NULL;

  write_old (fixture);
  stream = tally_atomic_file_open (fixture->target, NULL, &error);
  g_assert_no_error (error);
  write_rows (stream, 2);
  assert_dir (fixture, "TEMP|usage export.csv");

  /* neither commit nor abort: the last unref removes the temporary file */
  g_assert_finalize_object (stream);
  assert_dir (fixture, "usage export.csv");
  assert_target_contents (fixture, "old,content\r\n\xe2\x9a\xa1\r\n");
}

static void
check_open_fails (Fixture *fixture,
                  GFile *target,
                  const char *expected_listing)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOutputStream) stream = tally_atomic_file_open (target, NULL, &error);
  g_autofree char *name = g_file_get_parse_name (target);

  g_assert_null (stream);
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_IO);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, name));
  assert_dir (fixture, expected_listing);
}

static void
test_atomic_open_errors (Fixture *fixture,
                         gconstpointer data)
{
  g_autofree char *file_path = g_build_filename (fixture->dir, "plain-file", NULL);
  g_autofree char *under_file = g_build_filename (file_path, "out.csv", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "no-such-dir", "out.csv", NULL);
  g_autofree char *sub_dir = g_build_filename (fixture->dir, "a-directory", NULL);
  g_autoptr (GFile) under_file_target = g_file_new_for_path (under_file);
  g_autoptr (GFile) missing_target = g_file_new_for_path (missing);
  g_autoptr (GFile) dir_target = g_file_new_for_path (sub_dir);

  g_assert_true (g_file_set_contents (file_path, "x", 1, NULL));
  g_assert_cmpint (g_mkdir (sub_dir, 0700), ==, 0);

  /* the parent is a regular file: NOT_DIRECTORY underneath */
  check_open_fails (fixture, under_file_target, "a-directory|plain-file");
  /* the parent does not exist */
  check_open_fails (fixture, missing_target, "a-directory|plain-file");
  /* the target is a directory */
  check_open_fails (fixture, dir_target, "a-directory|plain-file");
  assert_dir (fixture, "a-directory|plain-file");
  g_assert_true (g_file_test (sub_dir, G_FILE_TEST_IS_DIR));
}

static void
test_atomic_commit_error (Fixture *fixture,
                          gconstpointer data)
{
  g_autoptr (GOutputStream) stream = NULL;
  g_autoptr (GError) error = NULL;

  stream = tally_atomic_file_open (fixture->target, NULL, &error);
  g_assert_no_error (error);
  write_rows (stream, 2);

  /* the target became a non-empty directory in the meantime: the rename fails */
  g_assert_cmpint (g_mkdir (g_file_peek_path (fixture->target), 0700), ==, 0);
  {
    g_autofree char *inside = g_build_filename (g_file_peek_path (fixture->target), "keep", NULL);
    g_assert_true (g_file_set_contents (inside, "k", 1, NULL));
  }

  g_assert_false (tally_atomic_file_commit (stream, NULL, &error));
  g_assert_error (error, TALLY_ERROR, TALLY_ERROR_IO);
  g_test_message ("%s", error->message);
  assert_dir (fixture, "usage export.csv");
  g_assert_true (g_file_test (g_file_peek_path (fixture->target), G_FILE_TEST_IS_DIR));
  g_assert_finalize_object (g_steal_pointer (&stream));
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/escape", test_escape);
  g_test_add_func ("/csv/writer/exact", test_writer_exact);
  g_test_add_func ("/csv/writer/cancelled", test_writer_cancelled);
  g_test_add_func ("/csv/writer/io-error", test_writer_io_error);
  g_test_add_func ("/csv/writer/large", test_writer_large);
  g_test_add_func ("/csv/parse", test_parse);
  g_test_add_func ("/csv/parse-errors", test_parse_errors);
  g_test_add_func ("/csv/round-trip", test_round_trip);

#define ADD_ATOMIC(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_ATOMIC ("/csv/atomic/commit-new", test_atomic_commit_new);
  ADD_ATOMIC ("/csv/atomic/commit-replace", test_atomic_commit_replace);
  ADD_ATOMIC ("/csv/atomic/abort-existing", test_atomic_abort_existing);
  ADD_ATOMIC ("/csv/atomic/abort-new", test_atomic_abort_new);
  ADD_ATOMIC ("/csv/atomic/cancelled-while-writing", test_atomic_cancelled_while_writing);
  ADD_ATOMIC ("/csv/atomic/commit-cancelled", test_atomic_commit_cancelled);
  ADD_ATOMIC ("/csv/atomic/dropped-stream", test_atomic_dropped_stream);
  ADD_ATOMIC ("/csv/atomic/open-errors", test_atomic_open_errors);
  ADD_ATOMIC ("/csv/atomic/commit-error", test_atomic_commit_error);

#undef ADD_ATOMIC

  return g_test_run ();
}

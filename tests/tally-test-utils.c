/* tally-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tally-test-utils.h"

#include <glib/gstdio.h>
#include <string.h>

#define GUARD_SECONDS 20

void
tally_test_store_result_cb (GObject *source,
                            GAsyncResult *result,
                            gpointer user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
guard_expired (gint64 start)
{
  return g_get_monotonic_time () - start > GUARD_SECONDS * G_USEC_PER_SEC;
}

static void
guard_fired_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
}

/* The guard of the waits below, in ms: 20 s, or TALLY_TEST_GUARD_MS (for the
 * test of the guard itself); TALLY_TEST_GUARD_SCALE multiplies it (the
 * valgrind and ASan setups, where everything, the `tally` processes a test
 * starts included, runs several times slower). */
static guint
guard_ms (guint guard_seconds)
{
  const char *env = g_getenv ("TALLY_TEST_GUARD_MS");
  const char *scale_env = g_getenv ("TALLY_TEST_GUARD_SCALE");
  guint64 ms = 0;
  guint64 scale = 1;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, G_MAXUINT, &ms, NULL))
    return (guint) ms;
  if (scale_env != NULL && !g_ascii_string_to_unsigned (scale_env, 10, 1, 20, &scale, NULL))
    scale = 1;

  return (guint) (guard_seconds * 1000 * scale);
}

gboolean
tally_test_wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
tally_test_wait_until (TallyTestPredicate predicate,
                       gpointer data,
                       guint wake_ms,
                       guint guard_seconds,
                       const char *what)
{
  gboolean expired = FALSE;
  guint guard = g_timeout_add_once (guard_ms (guard_seconds), guard_fired_cb, &expired);
  guint wake = wake_ms > 0 ? g_timeout_add (wake_ms, tally_test_wake_cb, NULL) : 0;

  while (!predicate (data))
    {
      if (expired)
        g_error ("timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }

  if (wake != 0)
    g_source_remove (wake);
  g_source_remove (guard);
}

static gboolean
slot_filled (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

GAsyncResult *
tally_test_wait_result (GAsyncResult **slot)
{
  tally_test_wait_until (slot_filled, slot, 0, GUARD_SECONDS, "an async result");

  return g_steal_pointer (slot);
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

void
tally_test_wait_flag (gboolean *flag)
{
  tally_test_wait_until (flag_set, flag, 0, GUARD_SECONDS, "a flag");
}

static void
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
}

void
tally_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add_once (ms, set_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
finalized_cb (gpointer data,
              GObject *where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

void
tally_test_assert_finalized (gpointer object)
{
  gboolean finalized = FALSE;
  gint64 start = g_get_monotonic_time ();

  g_assert_true (G_IS_OBJECT (object));
  g_object_weak_ref (object, finalized_cb, &finalized);
  g_object_unref (object);

  while (!finalized)
    {
      if (guard_expired (start))
        g_error ("timed out waiting for an object to be finalized");
      /* wakes up at least every 50 ms, whatever is pending */
      tally_test_spin (50);
    }
}

GBytes *
tally_test_load_fixture (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("fixture %s: %s", name, error->message);

  return g_bytes_new_take (contents, len);
}

JsonNode *
tally_test_fetch_raw (SoupSession *session,
                      const char *base_url,
                      const char *token,
                      const char *method,
                      const char *path,
                      const char *json_body)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1%s", base_url, path);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;
  JsonObject *root;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (json_body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (json_body, strlen (json_body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "code"), ==, 0);

  return json_node_copy (json_object_get_member (root, "data"));
}

char *
tally_test_list_dir (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) (gpointer) g_strcmp0);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (" ", (char **) names->pdata);
}

void
tally_test_remove_dir (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  g_rmdir (path);
}

void
tally_test_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          tally_test_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

gint64
tally_test_parse_int (const char *cell)
{
  gint64 value = 0;

  g_assert_true (g_ascii_string_to_signed (cell, 10, G_MININT64, G_MAXINT64, &value, NULL));
  return value;
}

double
tally_test_parse_double (const char *cell)
{
  char *end = NULL;
  double value = g_ascii_strtod (cell, &end);

  g_assert_true (end != cell && *end == '\0');
  return value;
}

GSubprocessLauncher *
tally_test_cli_launcher (const char *token)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_launcher_setenv (launcher, "TALLY_TOKEN", token, TRUE);

  return launcher;
}

void
tally_test_communicate (GSubprocess *process,
                        char **out,
                        char **err)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *slot = NULL;

  g_subprocess_communicate_utf8_async (process, NULL, NULL, tally_test_store_result_cb, &slot);
  result = tally_test_wait_result (&slot);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, result, out, err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
}

/* test-fuzz-regressions.c: the fuzzer's crashers and the fixtures through the fuzz entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs tests/fuzz/fuzz-decoders-entry.h (the code of the libFuzzer target) in
 * the normal build, so that every input that once crashed or broke an
 * invariant (tests/data/fuzz-crash-*.bin) stays fixed, and so that the
 * invariants it asserts hold for every fixture under every HTTP status,
 * Content-Type and Retry-After the fuzzer can choose.
 */

#include "config.h"

#include "fuzz/fuzz-decoders-entry.h"
#include "tally-test-utils.h"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* Sorted names in tests/data accepted by @filter. */
static GPtrArray *
list_data_files (gboolean (*filter) (const char *name))
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, &error);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    if (filter (name))
      g_ptr_array_add (names, g_strdup (name));

  g_ptr_array_sort (names, compare_names);

  return names;
}

static gboolean
is_crasher (const char *name)
{
  return g_str_has_prefix (name, "fuzz-crash-") && g_str_has_suffix (name, ".bin");
}

static gboolean
is_seed_fixture (const char *name)
{
  return g_str_has_suffix (name, ".json") || g_str_has_suffix (name, ".txt") || g_str_has_suffix (name, ".html");
}

static void
test_crashers (void)
{
  g_autoptr (GPtrArray) names = list_data_files (is_crasher);

  /* the fuzzer found bugs; each input is kept */
  g_assert_cmpuint (names->len, >=, 5);

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr (GBytes) input = tally_test_load_fixture (g_ptr_array_index (names, i));
      gsize size;
      const guint8 *data = g_bytes_get_data (input, &size);

      g_test_message ("%s (%" G_GSIZE_FORMAT " bytes)", (const char *) g_ptr_array_index (names, i), size);
      tally_fuzz_decoders_run (data, size);
    }
}

static void
test_fixtures (void)
{
  g_autoptr (GPtrArray) names = list_data_files (is_seed_fixture);
  guint runs = 0;

  g_assert_cmpuint (names->len, >=, 40);

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr (GBytes) fixture = tally_test_load_fixture (g_ptr_array_index (names, i));
      gsize len;
      const guint8 *body = g_bytes_get_data (fixture, &len);

      for (guint s = 0; s < G_N_ELEMENTS (tally_fuzz_statuses); s++)
        for (guint ct = 0; ct < G_N_ELEMENTS (tally_fuzz_content_types); ct++)
          {
            /* walk the Retry-After and max_chars variants along */
            guint selector = ct | ((s % 8) << 2) | (((i + s) % 8) << 5);
            g_autoptr (GBytes) input = tally_fuzz_make_input (s, selector, body, len);
            gsize size;
            const guint8 *data = g_bytes_get_data (input, &size);

            tally_fuzz_decoders_run (data, size);
            runs++;
          }
    }

  g_assert_cmpuint (runs, ==, names->len * G_N_ELEMENTS (tally_fuzz_statuses) * G_N_ELEMENTS (tally_fuzz_content_types));
}

/* Inputs shorter than the two selector bytes and empty bodies. */
static void
test_short_inputs (void)
{
  static const guint8 bytes[] = { 0x00, 0xff, 0x7f };

  tally_fuzz_decoders_run (NULL, 0);
  for (gsize size = 1; size <= sizeof bytes; size++)
    tally_fuzz_decoders_run (bytes, size);

  for (guint b0 = 0; b0 < 256; b0++)
    for (guint b1 = 0; b1 < 256; b1 += 1)
      {
        guint8 input[2] = { (guint8) b0, (guint8) b1 };

        tally_fuzz_decoders_run (input, 2);
      }
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fuzz-regressions/crashers", test_crashers);
  g_test_add_func ("/fuzz-regressions/fixtures", test_fixtures);
  g_test_add_func ("/fuzz-regressions/short-inputs", test_short_inputs);

  return g_test_run ();
}

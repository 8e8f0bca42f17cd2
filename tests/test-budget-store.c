/* test-budget-store.c: budgets per account in $XDG_CONFIG_HOME/tally/budgets.ini
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "tally-budget-store.h"
#include "tally-test-utils.h"

#define SERVER "https://api.example.com"
#define EMAIL "alice@example.com"

static char *config_dir;

static char *
read_file (void)
{
  g_autofree char *path = tally_budget_store_get_path ();
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
      return NULL;
    }
  return contents;
}

static void
remove_file (void)
{
  g_autofree char *path = tally_budget_store_get_path ();

  g_remove (path);
}

static void
test_path (void)
{
  g_autofree char *path = tally_budget_store_get_path ();
  g_autofree char *expected = g_build_filename (config_dir, "tally", "budgets.ini", NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_account (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *path = tally_budget_store_get_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GDir) listing = NULL;
  GStatBuf st;
  double usd = -1;

  remove_file ();

  /* no file: no budget, no error */
  g_assert_false (tally_budget_store_get (SERVER, EMAIL, 0, &usd, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (usd, ==, -1);

  g_assert_true (tally_budget_store_set (SERVER, EMAIL, 0, 300, &error));
  g_assert_no_error (error);
  g_assert_true (tally_budget_store_get (SERVER, EMAIL, 0, &usd, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (usd, ==, 300);

  contents = read_file ();
  g_assert_cmpstr (contents, ==, "[account https://api.example.com alice@example.com]\nmonthly=300\n");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* another account of the same server, and the same email elsewhere, are others */
  g_assert_false (tally_budget_store_get (SERVER, "bob@example.com", 0, &usd, &error));
  g_assert_false (tally_budget_store_get ("https://other.example.com", EMAIL, 0, &usd, &error));
  g_assert_no_error (error);

  /* replaced, then cleared: the group goes with its last budget */
  g_assert_true (tally_budget_store_set (SERVER, EMAIL, 0, 12.5, &error));
  g_assert_true (tally_budget_store_get (SERVER, EMAIL, 0, &usd, &error));
  g_assert_cmpfloat (usd, ==, 12.5);
  g_assert_true (tally_budget_store_clear (SERVER, EMAIL, 0, &error));
  g_assert_no_error (error);
  g_assert_false (tally_budget_store_get (SERVER, EMAIL, 0, &usd, &error));
  g_clear_pointer (&contents, g_free);
  contents = read_file ();
  g_assert_cmpstr (contents, ==, "");

  /* clearing what is not there succeeds */
  g_assert_true (tally_budget_store_clear (SERVER, EMAIL, 0, &error));
  g_assert_no_error (error);

  /* written atomically: nothing but the file in its folder */
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_dir_read_name (listing), ==, "budgets.ini");
  g_assert_null (g_dir_read_name (listing));
}

static void
test_keys (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) keys = NULL;
  g_autofree char *contents = NULL;
  double usd = 0;

  remove_file ();

  keys = tally_budget_store_list_keys (SERVER, EMAIL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 0);
  g_clear_pointer (&keys, g_array_unref);

  g_assert_true (tally_budget_store_set (SERVER, EMAIL, 12, 50, &error));
  g_assert_true (tally_budget_store_set (SERVER, EMAIL, 3, 0.25, &error));
  g_assert_true (tally_budget_store_set (SERVER, EMAIL, 0, 300, &error));
  g_assert_true (tally_budget_store_set (SERVER, "bob@example.com", 7, 9, &error));
  g_assert_no_error (error);

  keys = tally_budget_store_list_keys (SERVER, EMAIL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 2);
  g_assert_cmpint (g_array_index (keys, TallyKeyBudget, 0).key_id, ==, 3);
  g_assert_cmpfloat (g_array_index (keys, TallyKeyBudget, 0).usd, ==, 0.25);
  g_assert_cmpint (g_array_index (keys, TallyKeyBudget, 1).key_id, ==, 12);
  g_assert_cmpfloat (g_array_index (keys, TallyKeyBudget, 1).usd, ==, 50);
  g_clear_pointer (&keys, g_array_unref);

  g_assert_true (tally_budget_store_get (SERVER, EMAIL, 12, &usd, &error));
  g_assert_cmpfloat (usd, ==, 50);
  g_assert_false (tally_budget_store_get (SERVER, EMAIL, 13, &usd, &error));

  contents = read_file ();
  g_assert_cmpstr (contents, ==,
                   "[account https://api.example.com alice@example.com]\nkey-12=50\nkey-3=0.25\nmonthly=300\n\n"
                   "[account https://api.example.com bob@example.com]\nkey-7=9\n");

  /* clearing a key keeps the account's budget */
  g_assert_true (tally_budget_store_clear (SERVER, EMAIL, 12, &error));
  g_assert_true (tally_budget_store_get (SERVER, EMAIL, 0, &usd, &error));
  g_assert_cmpfloat (usd, ==, 300);
  keys = tally_budget_store_list_keys (SERVER, EMAIL, &error);
  g_assert_cmpuint (keys->len, ==, 1);
  g_assert_cmpint (g_array_index (keys, TallyKeyBudget, 0).key_id, ==, 3);
}

/* Odd servers and emails stay one group each; odd values are no budget;
 * what Tally does not know is kept. */
static void
test_odd (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) keys = NULL;
  g_autofree char *path = tally_budget_store_get_path ();
  g_autofree char *contents = NULL;
  double usd = 0;

  remove_file ();
  g_assert_true (g_file_set_contents (path,
                                      "# a comment\n[other]\nx=1\n\n"
                                      "[account https://api.example.com alice@example.com]\n"
                                      "monthly=-5\nkey-4=abc\nkey-x=3\nkey-5=nan\nkey-6= 7 \nnote=hello\n",
                                      -1, NULL));
  g_assert_false (tally_budget_store_get (SERVER, EMAIL, 0, &usd, &error));
  g_assert_no_error (error);
  keys = tally_budget_store_list_keys (SERVER, EMAIL, &error);
  g_assert_cmpuint (keys->len, ==, 1);
  g_assert_cmpint (g_array_index (keys, TallyKeyBudget, 0).key_id, ==, 6);
  g_assert_cmpfloat (g_array_index (keys, TallyKeyBudget, 0).usd, ==, 7);

  g_assert_true (tally_budget_store_set (SERVER, EMAIL, 0, 1e9, &error));
  contents = read_file ();
  g_assert_true (g_str_has_prefix (contents, "# a comment\n\n[other]\nx=1\n"));
  g_assert_nonnull (strstr (contents, "monthly=1000000000\n"));
  g_assert_nonnull (strstr (contents, "note=hello\n"));
  g_clear_pointer (&contents, g_free);

  /* an IPv6 literal and a space in an email */
  remove_file ();
  g_assert_true (tally_budget_store_set ("http://[::1]:8080", "a b@x", 0, 1, &error));
  g_assert_true (tally_budget_store_set (TALLY_BUDGET_DEMO_SERVER, "demo@tally.invalid", 0, 2, &error));
  g_assert_no_error (error);
  contents = read_file ();
  g_assert_cmpstr (contents, ==,
                   "[account http://%5B::1%5D:8080 a%20b@x]\nmonthly=1\n\n"
                   "[account demo demo@tally.invalid]\nmonthly=2\n");
  g_assert_true (tally_budget_store_get ("http://[::1]:8080", "a b@x", 0, &usd, &error));
  g_assert_cmpfloat (usd, ==, 1);

  /* a file that is no key file: an error naming it, and nothing written over it */
  g_assert_true (g_file_set_contents (path, "[broken\n", -1, NULL));
  g_assert_false (tally_budget_store_get (SERVER, EMAIL, 0, &usd, &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_false (tally_budget_store_set (SERVER, EMAIL, 0, 5, &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE);
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);
  contents = read_file ();
  g_assert_cmpstr (contents, ==, "[broken\n");
  remove_file ();
}

static void
test_parse_amount (void)
{
  static const struct
  {
    const char *text;
    gboolean ok;
    double usd;
  } cases[] = {
    { "300", TRUE, 300 },
    { "$300", TRUE, 300 },
    { "12.5", TRUE, 12.5 },
    { "0.25", TRUE, 0.25 },
    { "0.0000000001", TRUE, 1e-10 },
    { "1000000000", TRUE, 1e9 },
    { "1000000000.01", FALSE, 0 },
    { "0.00000000001", FALSE, 0 },
    { "0", FALSE, 0 },
    { "0.00", FALSE, 0 },
    { "-5", FALSE, 0 },
    { "", FALSE, 0 },
    { "$", FALSE, 0 },
    { ".5", FALSE, 0 },
    { "5.", FALSE, 0 },
    { "1e3", FALSE, 0 },
    { "1,000", FALSE, 0 },
    { " 5", FALSE, 0 },
    { "5 ", FALSE, 0 },
    { "nan", FALSE, 0 },
    { "inf", FALSE, 0 },
    { "0x10", FALSE, 0 },
    { "$$5", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double usd = -1;

      g_assert_cmpint (tally_budget_parse_amount (cases[i].text, &usd), ==, cases[i].ok);
      g_assert_cmpfloat (usd, ==, cases[i].ok ? cases[i].usd : -1);
    }
  {
    double usd = -1;

    g_assert_false (tally_budget_parse_amount (NULL, &usd));
  }
}

int
main (int argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  config_dir = g_dir_make_tmp ("tally-budgets-XXXXXX", &error);
  g_assert_no_error (error);
  /* before anything asks GLib for the folder (it keeps the first answer) */
  g_setenv ("XDG_CONFIG_HOME", config_dir, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/budget-store/path", test_path);
  g_test_add_func ("/budget-store/account", test_account);
  g_test_add_func ("/budget-store/keys", test_keys);
  g_test_add_func ("/budget-store/odd", test_odd);
  g_test_add_func ("/budget-store/parse-amount", test_parse_amount);

  status = g_test_run ();
  tally_test_remove_tree (config_dir);
  g_free (config_dir);
  return status;
}

/* tally-cli-auth.c: connecting (the demo, TALLY_TOKEN, the keyring), login and logout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "tally-auth-result.h"
#include "tally-client.h"
#include "tally-credentials.h"
#include "tally-demo-server.h"
#include "tally-error.h"
#include "tally-public-settings.h"

#include "tally-cli-private.h"

/* ------------------------------------------------------------ connecting */

/* One line on standard error per wait for the server's rate limit (none with --quiet). */
static void
rate_limit_wait_cb (TallyClient *client,
                    GParamSpec *pspec,
                    gpointer user_data)
{
  gboolean *waiting = user_data;
  gint64 resume = tally_client_get_rate_limit_wait (client);
  gint64 seconds;
  g_autofree char *line = NULL;

  if (resume == 0)
    {
      *waiting = FALSE;
      return;
    }
  if (*waiting)
    return;

  *waiting = TRUE;
  seconds = MAX ((resume - g_get_monotonic_time () + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 1);
  line = g_strdup_printf (ngettext ("waiting for the server’s rate limit — resuming in %d s",
                                    "waiting for the server’s rate limit — resuming in %d s",
                                    (unsigned long) seconds),
                          (int) MIN (seconds, G_MAXINT));
  tally_cli_print_error ("%s", line);
}

static void
watch_rate_limit (Cli *cli)
{
  static gboolean waiting;

  if (!cli->quiet)
    g_signal_connect (cli->client, "notify::rate-limit-wait", G_CALLBACK (rate_limit_wait_cb), &waiting);
}

static int
connect_demo (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyAuthResult) auth = NULL;
  GAsyncResult *slot = NULL;

  cli->demo_server = tally_demo_server_new_from_environment ();
  if (!tally_demo_server_start (cli->demo_server, &error))
    {
      tally_cli_print_error (_ ("could not start the demo server: %s"), error->message);
      return TALLY_CLI_EXIT_SERVER;
    }

  cli->client = tally_client_new (tally_demo_server_get_url (cli->demo_server), &error);
  if (cli->client == NULL)
    return tally_cli_fail_with_error (cli, error);
  watch_rate_limit (cli);

  tally_client_login_async (cli->client,
                            tally_demo_server_get_email (cli->demo_server),
                            tally_demo_server_get_password (cli->demo_server),
                            NULL, NULL, tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  auth = tally_client_login_finish (cli->client, result, &error);
  if (auth == NULL)
    return tally_cli_fail_with_error (cli, error);

  return TALLY_CLI_EXIT_OK;
}

static int
lookup_account (const char *server_url,
                TallyAccount **account)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  tally_credentials_lookup_async (server_url, NULL, tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  *account = tally_credentials_lookup_finish (result, &error);
  if (error != NULL)
    {
      tally_cli_print_error (_ ("could not read the keyring: %s"), error->message);
      return TALLY_CLI_EXIT_AUTH;
    }

  return TALLY_CLI_EXIT_OK;
}

static int
not_logged_in (const char *server_url)
{
  if (server_url != NULL)
    tally_cli_print_error (_ ("not logged in to %s; run `tally login --server %s --email …`"),
                           server_url, server_url);
  else
    tally_cli_print_error (_ ("not logged in; run `tally login --server URL --email ADDRESS`"));

  return TALLY_CLI_EXIT_AUTH;
}

static int
make_client (Cli *cli,
             const char *server_url)
{
  g_autoptr (GError) error = NULL;

  cli->client = tally_client_new (server_url, &error);
  if (cli->client == NULL)
    return tally_cli_usage_error (_ ("invalid server address “%s”: %s"), server_url, error->message);
  watch_rate_limit (cli);

  if (tally_client_is_insecure (cli->client))
    tally_cli_print_error (_ ("warning: %s is not encrypted (http:// to another host)"),
                           tally_client_get_base_url (cli->client));

  return TALLY_CLI_EXIT_OK;
}

static void store_tokens (Cli *cli);

static void
tokens_stored_cb (GObject *object,
                  GAsyncResult *result,
                  gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr (GError) error = NULL;

  cli->store_busy = FALSE;
  if (!tally_credentials_store_finish (result, &error))
    tally_cli_print_error (_ ("could not save the renewed login in the keyring: %s"), error->message);

  if (cli->store_again)
    store_tokens (cli);
}

static void
store_tokens (Cli *cli)
{
  g_autoptr (TallyAccount) account = NULL;
  const char *token = tally_client_get_token (cli->client);

  cli->store_again = FALSE;
  if (token == NULL || token[0] == '\0')
    return;

  account = tally_account_new_full (tally_client_get_base_url (cli->client), cli->account_email, token,
                                    tally_client_get_refresh_token (cli->client),
                                    tally_client_get_token_expires_at (cli->client));
  cli->store_busy = TRUE;
  tally_credentials_store_account_async (account, NULL, tokens_stored_cb, cli);
}

/* One keyring write at a time; the latest pair wins. */
static void
tokens_changed_cb (Cli *cli)
{
  if (cli->store_busy)
    cli->store_again = TRUE;
  else
    store_tokens (cli);
}

/* Before exiting: the last rotated pair must be in the keyring. */
void
tally_cli_wait_for_stores (Cli *cli)
{
  while (cli->store_busy)
    g_main_context_iteration (NULL, TRUE);
}

/* Server: --server, else TALLY_SERVER (with TALLY_TOKEN), else the saved account.
 * Token: TALLY_TOKEN, else the keyring entry for that server. */
static int
connect_saved (Cli *cli)
{
  g_autoptr (TallyAccount) env_account = tally_account_from_environment (cli->server);
  g_autoptr (TallyAccount) saved = NULL;
  const char *server_url = cli->server;
  int status;

  if (env_account != NULL && env_account->server_url != NULL && env_account->server_url[0] != '\0')
    server_url = env_account->server_url;

  if (server_url == NULL)
    {
      /* the most recently saved account decides the server */
      status = lookup_account (NULL, &saved);
      if (status != TALLY_CLI_EXIT_OK)
        return status;
      if (saved == NULL)
        return not_logged_in (NULL);
      server_url = saved->server_url;
    }

  status = make_client (cli, server_url);
  if (status != TALLY_CLI_EXIT_OK)
    return status;

  if (env_account != NULL && env_account->token != NULL && env_account->token[0] != '\0')
    {
      tally_client_set_token (cli->client, env_account->token);
      return TALLY_CLI_EXIT_OK;
    }

  if (saved == NULL || g_strcmp0 (saved->server_url, tally_client_get_base_url (cli->client)) != 0)
    {
      g_clear_pointer (&saved, tally_account_free);
      status = lookup_account (tally_client_get_base_url (cli->client), &saved);
      if (status != TALLY_CLI_EXIT_OK)
        return status;
    }

  if (saved == NULL || saved->token == NULL || saved->token[0] == '\0')
    return not_logged_in (tally_client_get_base_url (cli->client));

  tally_client_set_tokens (cli->client, saved->token, saved->refresh_token, saved->expires_at);
  cli->account_email = g_strdup (saved->email);
  /* a refresh rotates the pair: keep the keyring in step (and follow another
   * process that rotated it first) */
  tally_client_set_reload_func (cli->client, tally_credentials_reload_tokens, NULL, NULL);
  g_signal_connect_swapped (cli->client, "tokens-changed", G_CALLBACK (tokens_changed_cb), cli);

  return TALLY_CLI_EXIT_OK;
}

int
tally_cli_connect (Cli *cli)
{
  if (cli->demo)
    return connect_demo (cli);

  return connect_saved (cli);
}

/* --------------------------------------------------------------- login */

/* One line from stdin without its line end; NULL at end of input. With
 * @hidden and a terminal, echo is off while typing. The prompt goes to stderr. */
static char *
read_line (const char *prompt,
           gboolean hidden)
{
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved;
  gboolean restore = FALSE;
  char *line = NULL;
  size_t size = 0;
  ssize_t len;

  if (tty)
    {
      fputs (prompt, stderr);
      fflush (stderr);

      if (hidden && tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          struct termios quiet = saved;

          quiet.c_lflag &= ~(tcflag_t) ECHO;
          quiet.c_lflag |= ECHONL;
          restore = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }

  len = getline (&line, &size, stdin);

  if (restore)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);

  if (len < 0)
    {
      free (line);
      return NULL;
    }

  while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    line[--len] = '\0';

  /* hand back GLib memory so that callers can g_free */
  {
    char *copy = g_strdup (line);

    explicit_bzero (line, size);
    free (line);
    return copy;
  }
}

static void
free_secret (char *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

static int
turnstile_required (const char *server_url)
{
  tally_cli_print_error (_ ("%s needs a browser check (Cloudflare Turnstile) to log in; log in on its web page "
                            "and pass the access token in the TALLY_TOKEN environment variable instead"),
                         server_url);
  return TALLY_CLI_EXIT_AUTH;
}

/* Tencent and Aliyun captchas (API-2026.md §4), worded like Turnstile. */
static int
captcha_required (const char *server_url,
                  const char *reason)
{
  if (g_strcmp0 (reason, "TENCENT_CAPTCHA_VERIFICATION_FAILED") == 0)
    tally_cli_print_error (_ ("%s asks for a Tencent captcha to log in, which Tally cannot show; log in on its web page "
                              "and pass the access token in the TALLY_TOKEN environment variable instead"),
                           server_url);
  else if (g_strcmp0 (reason, "ALIYUN_CAPTCHA_VERIFICATION_FAILED") == 0)
    tally_cli_print_error (_ ("%s asks for an Aliyun captcha to log in, which Tally cannot show; log in on its web page "
                              "and pass the access token in the TALLY_TOKEN environment variable instead"),
                           server_url);
  else
    return turnstile_required (server_url);
  return TALLY_CLI_EXIT_AUTH;
}

int
tally_cli_run_login (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyPublicSettings) settings = NULL;
  g_autoptr (TallyAuthResult) auth = NULL;
  g_autofree char *prompt = NULL;
  const char *base_url;
  char *password;
  GAsyncResult *slot = NULL;
  int status;

  if (cli->server == NULL)
    return tally_cli_usage_error (_ ("`tally login` needs --server URL"));
  if (cli->email == NULL || cli->email[0] == '\0')
    return tally_cli_usage_error (_ ("`tally login` needs --email ADDRESS"));

  status = make_client (cli, cli->server);
  if (status != TALLY_CLI_EXIT_OK)
    return status;
  base_url = tally_client_get_base_url (cli->client);

  /* Turnstile needs a browser: say so before asking for a password. */
  tally_client_get_public_settings_async (cli->client, NULL, tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  settings = tally_client_get_public_settings_finish (cli->client, result, &error);
  g_clear_object (&result);
  if (settings == NULL)
    {
      if (g_error_matches (error, TALLY_ERROR, TALLY_ERROR_NETWORK)
          || g_error_matches (error, TALLY_ERROR, TALLY_ERROR_TIMEOUT)
          || g_error_matches (error, TALLY_ERROR, TALLY_ERROR_TLS))
        return tally_cli_fail_with_error (cli, error);
      g_clear_error (&error);
    }
  else if (tally_public_settings_get_turnstile_enabled (settings))
    return turnstile_required (base_url);
  else if (tally_public_settings_get_tencent_captcha_enabled (settings))
    return captcha_required (base_url, "TENCENT_CAPTCHA_VERIFICATION_FAILED");
  else if (tally_public_settings_get_aliyun_captcha_enabled (settings))
    return captcha_required (base_url, "ALIYUN_CAPTCHA_VERIFICATION_FAILED");

  /* Translators: the prompt for the password, e.g. "Password for a@b.c on https://x: " */
  prompt = g_strdup_printf (_ ("Password for %s on %s: "), cli->email, base_url);
  password = read_line (prompt, TRUE);
  if (password == NULL || password[0] == '\0')
    {
      free_secret (password);
      return tally_cli_usage_error (_ ("no password given"));
    }

  tally_client_login_async (cli->client, cli->email, password, NULL, NULL, tally_cli_store_result_cb, &slot);
  free_secret (password);
  result = tally_cli_wait_result (&slot);
  auth = tally_client_login_finish (cli->client, result, &error);
  g_clear_object (&result);

  if (auth == NULL && g_error_matches (error, TALLY_ERROR, TALLY_ERROR_TWO_FACTOR_REQUIRED))
    {
      g_autofree char *temp_token = g_strdup (tally_client_get_pending_2fa_token (cli->client));
      char *code;

      g_clear_error (&error);
      code = read_line (_ ("Two-factor code: "), FALSE);
      if (code != NULL)
        g_strstrip (code);
      if (code == NULL || strlen (code) != 6 || strspn (code, "0123456789") != 6)
        {
          free_secret (code);
          return tally_cli_usage_error (_ ("a two-factor code is 6 digits"));
        }
      if (temp_token == NULL)
        {
          free_secret (code);
          tally_cli_print_error (_ ("the server asked for a two-factor code but sent no session"));
          return TALLY_CLI_EXIT_SERVER;
        }

      tally_client_login_2fa_async (cli->client, temp_token, code, NULL, tally_cli_store_result_cb, &slot);
      free_secret (code);
      result = tally_cli_wait_result (&slot);
      auth = tally_client_login_2fa_finish (cli->client, result, &error);
      g_clear_object (&result);
    }

  if (auth == NULL)
    {
      if (g_error_matches (error, TALLY_ERROR, TALLY_ERROR_TURNSTILE_REQUIRED))
        return captcha_required (base_url, tally_error_get_reason (error));
      if (g_error_matches (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED)
          || g_error_matches (error, TALLY_ERROR, TALLY_ERROR_INVALID_CREDENTIALS))
        {
          tally_cli_print_error ("%s", error->message);
          return TALLY_CLI_EXIT_AUTH;
        }
      return tally_cli_fail_with_error (cli, error);
    }

  if (tally_client_get_token (cli->client) == NULL)
    {
      tally_cli_print_error (_ ("the server accepted the login but sent no access token"));
      return TALLY_CLI_EXIT_SERVER;
    }

  {
    g_autoptr (TallyAccount) account = tally_account_new_full (base_url, cli->email, tally_client_get_token (cli->client),
                                                               tally_client_get_refresh_token (cli->client),
                                                               tally_client_get_token_expires_at (cli->client));

    tally_credentials_store_account_async (account, NULL, tally_cli_store_result_cb, &slot);
  }
  result = tally_cli_wait_result (&slot);
  if (!tally_credentials_store_finish (result, &error))
    {
      tally_cli_print_error (_ ("could not save the token in the keyring: %s"), error->message);
      return TALLY_CLI_EXIT_IO;
    }

  {
    g_autoptr (GString) out = g_string_new (NULL);
    g_autofree char *clean_url = tally_cli_sanitize (base_url);
    g_autofree char *clean_email = tally_cli_sanitize (cli->email);

    g_string_append_printf (out, _ ("Logged in to %s as %s"), clean_url, clean_email);
    g_string_append_c (out, '\n');
    return tally_cli_write_and_close (cli, out);
  }
}

int
tally_cli_run_logout (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TallyAccount) saved = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *server_url = NULL;
  g_autofree char *clean = NULL;
  GAsyncResult *slot = NULL;
  int status;

  if (cli->server != NULL)
    {
      status = make_client (cli, cli->server);
      if (status != TALLY_CLI_EXIT_OK)
        return status;
      server_url = g_strdup (tally_client_get_base_url (cli->client));
    }
  else
    {
      status = lookup_account (NULL, &saved);
      if (status != TALLY_CLI_EXIT_OK)
        return status;
      if (saved == NULL)
        {
          g_string_append (out, _ ("Not logged in."));
          g_string_append_c (out, '\n');
          return tally_cli_write_and_close (cli, out);
        }
      server_url = g_strdup (saved->server_url);
    }

  if (saved == NULL || g_strcmp0 (saved->server_url, server_url) != 0)
    {
      g_clear_pointer (&saved, tally_account_free);
      status = lookup_account (server_url, &saved);
      if (status != TALLY_CLI_EXIT_OK)
        return status;
    }

  /* The keyring first: it must not wait for a server that is gone. */
  tally_credentials_clear_async (server_url, NULL, tally_cli_store_result_cb, &slot);
  result = tally_cli_wait_result (&slot);
  if (!tally_credentials_clear_finish (result, &error))
    {
      tally_cli_print_error (_ ("could not remove the token from the keyring: %s"), error->message);
      return TALLY_CLI_EXIT_IO;
    }
  g_clear_object (&result);

  /* Then end the session on the server (today's servers; a few seconds at most). */
  if (saved != NULL && saved->refresh_token != NULL)
    {
      if (cli->client == NULL)
        {
          status = make_client (cli, server_url);
          if (status != TALLY_CLI_EXIT_OK)
            return status;
        }
      tally_client_set_tokens (cli->client, saved->token, saved->refresh_token, saved->expires_at);
      tally_client_logout_async (cli->client, NULL, tally_cli_store_result_cb, &slot);
      result = tally_cli_wait_result (&slot);
      if (!tally_client_logout_finish (cli->client, result, &error))
        tally_cli_print_error (_ ("warning: the server could not be told to end the session (%s); the login was removed from this computer"),
                               error->message);
    }

  clean = tally_cli_sanitize (server_url);
  g_string_append_printf (out, _ ("Logged out of %s"), clean);
  g_string_append_c (out, '\n');

  return tally_cli_write_and_close (cli, out);
}

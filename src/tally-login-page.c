/* tally-login-page.c: server, e-mail and password; token paste; the demo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tally-login-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tally-a11y.h"
#include "tally-client.h"
#include "tally-demo-server.h"
#include "tally-error.h"
#include "tally-login-page.h"
#include "tally-public-settings.h"

#define CHECK_DELAY_MS 700

/* Captchas a login may need; Tally can show none of them. */
typedef enum
{
  CAPTCHA_NONE,
  CAPTCHA_TURNSTILE,
  CAPTCHA_TENCENT,
  CAPTCHA_ALIYUN,
} Captcha;

struct _TallyLoginPage
{
  GtkWidget parent_instance;

  /* Template Widgets */
  AdwStatusPage *status_page;
  AdwEntryRow *server_row;
  AdwEntryRow *email_row;
  AdwEntryRow *password_row;
  AdwEntryRow *code_row;
  GtkLabel *server_hint_label;
  GtkLabel *insecure_label;
  GtkLabel *message_label;
  GtkSpinner *login_spinner;
  GtkLabel *login_label;
  AdwExpanderRow *token_expander;
  AdwEntryRow *token_row;

  /* Owned References */
  TallySession *session;
  GSignalGroup *session_signals;
  GCancellable *cancellable;       /* login, token, demo */
  GCancellable *check_cancellable; /* settings/public */
  char *checked_url;               /* the server the last check answered for */
  guint check_source;

  guint working : 1;
  guint check_then_log_in : 1;
  guint turnstile : 1; /* a captcha (self->captcha) Tally cannot show */
  Captcha captcha;
  guint two_factor : 1;
};

G_DEFINE_FINAL_TYPE (TallyLoginPage, tally_login_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  MESSAGE_NONE,
  MESSAGE_INFO,
  MESSAGE_ERROR,
} MessageKind;

static void check_server (TallyLoginPage *self,
                          gboolean then_log_in);

static void
show_message (TallyLoginPage *self,
              MessageKind kind,
              const char *text)
{
  g_assert (TALLY_IS_LOGIN_PAGE (self));

  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "dim-label");

  if (kind == MESSAGE_NONE || text == NULL || text[0] == '\0')
    {
      gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);
      gtk_label_set_text (self->message_label, "");
      return;
    }

  /* Messages may quote the server: always plain text, never markup. */
  gtk_label_set_text (self->message_label, text);
  if (kind == MESSAGE_ERROR)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), TRUE);
}

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static char *
row_text_stripped (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (row_text (row)));
}

/* "api.example.com" → "https://api.example.com"; the client validates the rest. */
static char *
normalize_server (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (stripped[0] == '\0')
    return NULL;

  if (strstr (stripped, "://") == NULL)
    return g_strconcat ("https://", stripped, NULL);

  return g_steal_pointer (&stripped);
}

static void
update_actions (TallyLoginPage *self)
{
  g_autofree char *server = NULL;
  g_autofree char *email = NULL;
  gboolean can_log_in;

  g_assert (TALLY_IS_LOGIN_PAGE (self));

  server = row_text_stripped (self->server_row);
  email = row_text_stripped (self->email_row);

  if (self->two_factor)
    can_log_in = strlen (row_text (self->code_row)) > 0;
  else
    can_log_in = server[0] != '\0' && email[0] != '\0' && row_text (self->password_row)[0] != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "login.log-in",
                                 self->session != NULL && !self->working && can_log_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "login.demo",
                                 self->session != NULL && !self->working);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "login.use-token",
                                 self->session != NULL && !self->working && server[0] != '\0');
}

static void
set_working (TallyLoginPage *self,
             gboolean working)
{
  g_assert (TALLY_IS_LOGIN_PAGE (self));

  self->working = !!working;

  gtk_widget_set_visible (GTK_WIDGET (self->login_spinner), self->working);
  gtk_spinner_set_spinning (self->login_spinner, self->working);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), !self->working);
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_row), !self->working);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !self->working);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_row), !self->working);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), !self->working);

  update_actions (self);
}

static void
set_two_factor (TallyLoginPage *self,
                gboolean two_factor)
{
  self->two_factor = !!two_factor;

  gtk_widget_set_visible (GTK_WIDGET (self->code_row), self->two_factor);
  if (!self->two_factor)
    gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  gtk_label_set_text_with_mnemonic (self->login_label,
                                    self->two_factor ? _ ("_Verify") : _ ("_Log In"));
  update_actions (self);
}

static void
set_turnstile (TallyLoginPage *self,
               gboolean turnstile)
{
  self->turnstile = !!turnstile;

  if (self->turnstile)
    {
      if (self->captcha == CAPTCHA_TENCENT)
        show_message (self, MESSAGE_INFO,
                      _ ("This server asks for a Tencent captcha when logging in, "
                         "which Tally cannot show. Log in on the website, then paste your access token below."));
      else if (self->captcha == CAPTCHA_ALIYUN)
        show_message (self, MESSAGE_INFO,
                      _ ("This server asks for an Aliyun captcha when logging in, "
                         "which Tally cannot show. Log in on the website, then paste your access token below."));
      else
        show_message (self, MESSAGE_INFO,
                      _ ("This server asks for a browser check (Cloudflare Turnstile) when logging in, "
                         "which Tally cannot show. Log in on the website, then paste your access token below."));
      adw_expander_row_set_expanded (self->token_expander, TRUE);
    }
}

/* Which captcha a login error or the server's settings ask for. */
static Captcha
captcha_of_error (const GError *error)
{
  const char *reason = tally_error_get_reason (error);

  if (g_strcmp0 (reason, "TENCENT_CAPTCHA_VERIFICATION_FAILED") == 0)
    return CAPTCHA_TENCENT;
  if (g_strcmp0 (reason, "ALIYUN_CAPTCHA_VERIFICATION_FAILED") == 0)
    return CAPTCHA_ALIYUN;
  return CAPTCHA_TURNSTILE;
}

static Captcha
captcha_of_settings (TallyPublicSettings *settings)
{
  if (tally_public_settings_get_turnstile_enabled (settings))
    return CAPTCHA_TURNSTILE;
  if (tally_public_settings_get_tencent_captcha_enabled (settings))
    return CAPTCHA_TENCENT;
  if (tally_public_settings_get_aliyun_captcha_enabled (settings))
    return CAPTCHA_ALIYUN;
  return CAPTCHA_NONE;
}

/* Makes the session use the server in the entry. FALSE + inline error if unusable. */
static gboolean
apply_server (TallyLoginPage *self)
{
  g_autofree char *url = NULL;
  g_autoptr (GError) error = NULL;
  TallyClient *client;

  g_assert (TALLY_IS_LOGIN_PAGE (self));

  url = normalize_server (row_text (self->server_row));
  if (url == NULL)
    {
      show_message (self, MESSAGE_ERROR, _ ("Enter the address of your server."));
      return FALSE;
    }

  if (!tally_session_set_server (self->session, url, &error))
    {
      show_message (self, MESSAGE_ERROR, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->insecure_label), FALSE);
      return FALSE;
    }

  client = tally_session_get_client (self->session);
  gtk_widget_set_visible (GTK_WIDGET (self->insecure_label),
                          client != NULL && tally_client_is_insecure (client));

  return TRUE;
}

static char *
describe_login_error (const GError *error)
{
  if (g_error_matches (error, TALLY_ERROR, TALLY_ERROR_INVALID_CREDENTIALS))
    return g_strdup (_ ("The e-mail address or the password is not correct."));

  /* revoked, expired, disabled, admin-only: a sentence of its own */
  if (tally_error_has_session_sentence (error))
    return g_strdup (error->message);

  if (g_error_matches (error, TALLY_ERROR, TALLY_ERROR_UNAUTHORIZED))
    return g_strdup_printf (_ ("The server refused the access token: %s"), error->message);

  return g_strdup (error->message);
}

static void
login_finished (TallyLoginPage *self,
                GError *error)
{
  g_assert (TALLY_IS_LOGIN_PAGE (self));

  set_working (self, FALSE);

  if (error == NULL)
    {
      /* The window switches to the dashboard; forget the secrets. */
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
      set_two_factor (self, FALSE);
      show_message (self, MESSAGE_NONE, NULL);
      return;
    }

  if (g_error_matches (error, TALLY_ERROR, TALLY_ERROR_TWO_FACTOR_REQUIRED))
    {
      set_two_factor (self, TRUE);
      show_message (self, MESSAGE_INFO,
                    _ ("Enter the six-digit code from your authenticator app."));
      gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
      return;
    }

  if (g_error_matches (error, TALLY_ERROR, TALLY_ERROR_TURNSTILE_REQUIRED))
    {
      self->captcha = captcha_of_error (error);
      set_turnstile (self, TRUE);
      return;
    }

  {
    g_autofree char *message = describe_login_error (error);

    show_message (self, MESSAGE_ERROR, message);
  }
}

static void
login_cb (GObject *object,
          GAsyncResult *result,
          gpointer user_data)
{
  g_autoptr (TallyLoginPage) self = user_data;
  g_autoptr (GError) error = NULL;

  tally_session_login_finish (TALLY_SESSION (object), result, &error);
  if (tally_error_is_cancelled (error))
    return;

  login_finished (self, g_steal_pointer (&error));
}

static void
login_2fa_cb (GObject *object,
              GAsyncResult *result,
              gpointer user_data)
{
  g_autoptr (TallyLoginPage) self = user_data;
  g_autoptr (GError) error = NULL;

  tally_session_login_2fa_finish (TALLY_SESSION (object), result, &error);
  if (tally_error_is_cancelled (error))
    return;

  login_finished (self, g_steal_pointer (&error));
}

static void
use_token_cb (GObject *object,
              GAsyncResult *result,
              gpointer user_data)
{
  g_autoptr (TallyLoginPage) self = user_data;
  g_autoptr (GError) error = NULL;

  tally_session_use_token_finish (TALLY_SESSION (object), result, &error);
  if (tally_error_is_cancelled (error))
    return;

  login_finished (self, g_steal_pointer (&error));
}

static void
demo_cb (GObject *object,
         GAsyncResult *result,
         gpointer user_data)
{
  g_autoptr (TallyLoginPage) self = user_data;
  g_autoptr (GError) error = NULL;

  tally_session_start_demo_finish (TALLY_SESSION (object), result, &error);
  if (tally_error_is_cancelled (error))
    return;

  set_working (self, FALSE);
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_ ("The demo could not start: %s"), error->message);

      show_message (self, MESSAGE_ERROR, message);
    }
  else
    show_message (self, MESSAGE_NONE, NULL);
}

static GCancellable *
replace_cancellable (GCancellable **slot)
{
  if (*slot != NULL)
    g_cancellable_cancel (*slot);
  g_clear_object (slot);
  *slot = g_cancellable_new ();
  return *slot;
}

static void
do_log_in (TallyLoginPage *self)
{
  g_autofree char *email = NULL;

  g_assert (TALLY_IS_LOGIN_PAGE (self));

  if (self->turnstile)
    {
      set_turnstile (self, TRUE);
      return;
    }

  email = row_text_stripped (self->email_row);
  show_message (self, MESSAGE_NONE, NULL);
  set_working (self, TRUE);
  tally_session_login_async (self->session,
                             email,
                             row_text (self->password_row),
                             NULL,
                             replace_cancellable (&self->cancellable),
                             login_cb,
                             g_object_ref (self));
}

static void
check_server_cb (GObject *object,
                 GAsyncResult *result,
                 gpointer user_data)
{
  g_autoptr (TallyLoginPage) self = user_data;
  g_autoptr (TallyPublicSettings) settings = NULL;
  g_autoptr (GError) error = NULL;
  gboolean then_log_in;

  settings = tally_session_check_server_finish (TALLY_SESSION (object), result, &error);
  if (tally_error_is_cancelled (error))
    return;

  then_log_in = self->check_then_log_in;
  self->check_then_log_in = FALSE;

  if (settings == NULL)
    {
      /* Seen while typing: a hint only. Before a login: the error. */
      if (then_log_in)
        {
          set_working (self, FALSE);
          show_message (self, MESSAGE_ERROR, error->message);
        }
      else
        gtk_label_set_text (self->server_hint_label, error->message);
      return;
    }

  g_free (self->checked_url);
  self->checked_url = g_strdup (tally_session_get_server_url (self->session));

  {
    const char *name = tally_public_settings_get_site_name (settings);
    const char *version = tally_public_settings_get_version (settings);
    g_autofree char *hint = NULL;

    if (name[0] != '\0' && version[0] != '\0')
      /* Translators: site name and server version, e.g. “Sub2API” (version 0.1.1) */
      hint = g_strdup_printf (_ ("Found “%s” (version %s)"), name, version);
    else if (name[0] != '\0')
      hint = g_strdup_printf (_ ("Found “%s”"), name);
    else
      hint = g_strdup (_ ("Found a sub2api server"));

    gtk_label_set_text (self->server_hint_label, hint);
  }

  self->turnstile = FALSE;
  self->captcha = captcha_of_settings (settings);
  if (self->captcha != CAPTCHA_NONE)
    set_turnstile (self, TRUE);
  else if (!then_log_in && !self->two_factor)
    show_message (self, MESSAGE_NONE, NULL);

  if (then_log_in)
    {
      set_working (self, FALSE);
      if (!self->turnstile)
        do_log_in (self);
    }
}

static void
check_server (TallyLoginPage *self,
              gboolean then_log_in)
{
  g_assert (TALLY_IS_LOGIN_PAGE (self));

  g_clear_handle_id (&self->check_source, g_source_remove);

  if (self->session == NULL)
    return;

  /* While typing, never switch servers under a login that is in progress
   * (restoring the saved one) or done. */
  if (!then_log_in && tally_session_get_state (self->session) != TALLY_SESSION_STATE_LOGGED_OUT)
    return;

  if (!apply_server (self))
    return;

  if (then_log_in)
    {
      show_message (self, MESSAGE_NONE, NULL);
      set_working (self, TRUE);
    }

  self->check_then_log_in = !!then_log_in;
  tally_session_check_server_async (self->session,
                                    replace_cancellable (&self->check_cancellable),
                                    check_server_cb,
                                    g_object_ref (self));
}

static gboolean
check_timeout_cb (gpointer user_data)
{
  TallyLoginPage *self = user_data;

  self->check_source = 0;
  if (!self->working)
    check_server (self, FALSE);

  return G_SOURCE_REMOVE;
}

static void
server_changed_cb (TallyLoginPage *self)
{
  g_assert (TALLY_IS_LOGIN_PAGE (self));

  /* A different server: what we knew about the old one no longer applies. */
  g_clear_pointer (&self->checked_url, g_free);
  self->turnstile = FALSE;
  if (self->two_factor)
    set_two_factor (self, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->insecure_label), FALSE);
  gtk_label_set_text (self->server_hint_label,
                      _ ("The address of the site, for example https://api.example.com"));
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);

  g_clear_handle_id (&self->check_source, g_source_remove);
  if (row_text (self->server_row)[0] != '\0')
    self->check_source = g_timeout_add (CHECK_DELAY_MS, check_timeout_cb, self);

  update_actions (self);
}

static void
field_changed_cb (TallyLoginPage *self)
{
  update_actions (self);
}

static void
field_activated_cb (TallyLoginPage *self)
{
  g_assert (TALLY_IS_LOGIN_PAGE (self));

  if (gtk_widget_activate_action (GTK_WIDGET (self), "login.log-in", NULL))
    return;

  /* Move on to the first empty field. */
  if (row_text (self->server_row)[0] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
  else if (row_text (self->email_row)[0] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
  else if (row_text (self->password_row)[0] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
token_apply_cb (TallyLoginPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "login.use-token", NULL);
}

static void
log_in_action (GtkWidget *widget,
               const char *action_name,
               GVariant *param)
{
  TallyLoginPage *self = TALLY_LOGIN_PAGE (widget);
  g_autofree char *code = NULL;

  if (self->session == NULL || self->working)
    return;

  if (self->two_factor)
    {
      code = row_text_stripped (self->code_row);
      if (strlen (code) != 6)
        {
          show_message (self, MESSAGE_ERROR, _ ("The code has six digits."));
          return;
        }

      show_message (self, MESSAGE_NONE, NULL);
      set_working (self, TRUE);
      tally_session_login_2fa_async (self->session,
                                     code,
                                     replace_cancellable (&self->cancellable),
                                     login_2fa_cb,
                                     g_object_ref (self));
      return;
    }

  /* Check the server first (Turnstile?) unless we already know it. */
  if (!apply_server (self))
    return;

  if (self->checked_url == NULL || g_strcmp0 (self->checked_url, tally_session_get_server_url (self->session)) != 0)
    {
      check_server (self, TRUE);
      return;
    }

  do_log_in (self);
}

static void
use_token_action (GtkWidget *widget,
                  const char *action_name,
                  GVariant *param)
{
  TallyLoginPage *self = TALLY_LOGIN_PAGE (widget);
  g_autofree char *url = NULL;

  if (self->session == NULL || self->working)
    return;

  url = normalize_server (row_text (self->server_row));
  if (url == NULL)
    {
      show_message (self, MESSAGE_ERROR, _ ("Enter the address of your server."));
      gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      return;
    }

  if (!apply_server (self))
    return;

  show_message (self, MESSAGE_NONE, NULL);
  set_working (self, TRUE);
  tally_session_use_token_async (self->session,
                                 NULL,
                                 row_text (self->token_row),
                                 replace_cancellable (&self->cancellable),
                                 use_token_cb,
                                 g_object_ref (self));
}

static void
demo_action (GtkWidget *widget,
             const char *action_name,
             GVariant *param)
{
  TallyLoginPage *self = TALLY_LOGIN_PAGE (widget);
  g_autoptr (TallyDemoServer) demo = NULL;

  if (self->session == NULL || self->working)
    return;

  show_message (self, MESSAGE_NONE, NULL);
  set_working (self, TRUE);
  demo = tally_demo_server_new_from_environment ();
  tally_session_start_demo_async (self->session,
                                  TALLY_DEMO_BACKEND (demo),
                                  replace_cancellable (&self->cancellable),
                                  demo_cb,
                                  g_object_ref (self));
}

static void
session_state_changed_cb (TallyLoginPage *self)
{
  g_assert (TALLY_IS_LOGIN_PAGE (self));

  /* Back on the login page (logout, expiry): offer what we know. */
  if (self->session != NULL && tally_session_get_state (self->session) == TALLY_SESSION_STATE_LOGGED_OUT && !tally_session_get_demo (self->session))
    tally_login_page_prefill (self,
                              tally_session_get_server_url (self->session),
                              tally_session_get_email (self->session));
}

/* Why we are back here (e.g. the session expired): said on the page itself,
 * not only in a toast that may be missed. */
static void
session_error_changed_cb (TallyLoginPage *self)
{
  const char *message;

  g_assert (TALLY_IS_LOGIN_PAGE (self));

  if (self->session == NULL || tally_session_get_state (self->session) != TALLY_SESSION_STATE_LOGGED_OUT || self->working)
    return;

  message = tally_session_get_last_error (self->session);
  if (message != NULL)
    show_message (self, MESSAGE_ERROR, message);
}

static void
tally_login_page_dispose (GObject *object)
{
  TallyLoginPage *self = (TallyLoginPage *) object;

  g_clear_handle_id (&self->check_source, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->check_cancellable);

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), TALLY_TYPE_LOGIN_PAGE);

  G_OBJECT_CLASS (tally_login_page_parent_class)->dispose (object);
}

static void
tally_login_page_finalize (GObject *object)
{
  TallyLoginPage *self = (TallyLoginPage *) object;

  g_clear_pointer (&self->checked_url, g_free);

  G_OBJECT_CLASS (tally_login_page_parent_class)->finalize (object);
}

static void
tally_login_page_get_property (GObject *object,
                               guint prop_id,
                               GValue *value,
                               GParamSpec *pspec)
{
  TallyLoginPage *self = TALLY_LOGIN_PAGE (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        g_value_set_object (value, self->session);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_login_page_set_property (GObject *object,
                               guint prop_id,
                               const GValue *value,
                               GParamSpec *pspec)
{
  TallyLoginPage *self = TALLY_LOGIN_PAGE (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        tally_login_page_set_session (self, g_value_get_object (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tally_login_page_class_init (TallyLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tally_login_page_dispose;
  object_class->finalize = tally_login_page_finalize;
  object_class->get_property = tally_login_page_get_property;
  object_class->set_property = tally_login_page_set_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL,
                                                  TALLY_TYPE_SESSION,
                                                  (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/tally-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TallyLoginPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, TallyLoginPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, TallyLoginPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, TallyLoginPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, TallyLoginPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, TallyLoginPage, server_hint_label);
  gtk_widget_class_bind_template_child (widget_class, TallyLoginPage, insecure_label);
  gtk_widget_class_bind_template_child (widget_class, TallyLoginPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, TallyLoginPage, login_spinner);
  gtk_widget_class_bind_template_child (widget_class, TallyLoginPage, login_label);
  gtk_widget_class_bind_template_child (widget_class, TallyLoginPage, token_expander);
  gtk_widget_class_bind_template_child (widget_class, TallyLoginPage, token_row);
  gtk_widget_class_bind_template_callback (widget_class, server_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, token_apply_cb);

  gtk_widget_class_install_action (widget_class, "login.log-in", NULL, log_in_action);
  gtk_widget_class_install_action (widget_class, "login.use-token", NULL, use_token_action);
  gtk_widget_class_install_action (widget_class, "login.demo", NULL, demo_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tally_login_page_init (TallyLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tally_a11y_fix_names (GTK_WIDGET (self));

  self->session_signals = g_signal_group_new (TALLY_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals,
                                 "notify::state",
                                 G_CALLBACK (session_state_changed_cb),
                                 self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals,
                                 "notify::last-error",
                                 G_CALLBACK (session_error_changed_cb),
                                 self,
                                 G_CONNECT_SWAPPED);

  update_actions (self);
}

GtkWidget *
tally_login_page_new (void)
{
  return g_object_new (TALLY_TYPE_LOGIN_PAGE, NULL);
}

TallySession *
tally_login_page_get_session (TallyLoginPage *self)
{
  g_return_val_if_fail (TALLY_IS_LOGIN_PAGE (self), NULL);

  return self->session;
}

void
tally_login_page_set_session (TallyLoginPage *self,
                              TallySession *session)
{
  g_return_if_fail (TALLY_IS_LOGIN_PAGE (self));
  g_return_if_fail (!session || TALLY_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  g_signal_group_set_target (self->session_signals, session);
  if (session != NULL)
    session_state_changed_cb (self);
  update_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
tally_login_page_prefill (TallyLoginPage *self,
                          const char *server_url,
                          const char *email)
{
  g_return_if_fail (TALLY_IS_LOGIN_PAGE (self));

  if (server_url != NULL && server_url[0] != '\0' && row_text (self->server_row)[0] == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url);

  if (email != NULL && email[0] != '\0' && row_text (self->email_row)[0] == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);

  update_actions (self);
}

void
tally_login_page_set_fields (TallyLoginPage *self,
                             const char *server_url,
                             const char *email)
{
  g_return_if_fail (TALLY_IS_LOGIN_PAGE (self));

  if (server_url != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url);

  if (email != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);

  update_actions (self);
}

void
tally_login_page_show_message (TallyLoginPage *self,
                               const char *message)
{
  g_return_if_fail (TALLY_IS_LOGIN_PAGE (self));

  show_message (self, MESSAGE_ERROR, message);
}

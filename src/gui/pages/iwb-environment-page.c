/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbEnvironmentPage: the integration's Python environment in the window
 * (see iwb-environment-page.h). The page shows an IwbPyenv and drives its
 * creation and deletion; the window owns the IwbPyenv and reloads the
 * integration on "environment-changed".
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "iwb-environment-page.h"
#include "iwb-error.h"

#define MAX_OUTPUT_LINES 5000 /* older lines leave the view */

typedef enum
{
  OP_NONE,
  OP_CREATE,
  OP_DELETE,
} Operation;

struct _IwbEnvironmentPage
{
  GtkWidget         parent_instance;

  IwbPyenv         *env;
  GSettings        *settings;
  GCancellable     *cancellable;
  Operation         operation;
  char             *error;
  char             *status;
  AdwMessageDialog *confirm;   /* weak: the delete confirmation while shown */
  guint             n_lines;

  /* template */
  GtkWidget        *scrolled;
  GtkImage         *status_icon;
  GtkLabel         *status_label;
  GtkLabel         *problem_label;
  GtkButton        *create_button;
  GtkWidget        *cancel_button;
  GtkWidget        *delete_button;
  GtkWidget        *progress_box;
  GtkLabel         *progress_label;
  GtkProgressBar   *progress_bar;
  GtkWidget        *error_box;
  GtkLabel         *error_title;
  GtkLabel         *error_label;
  AdwActionRow     *interpreter_row;
  AdwActionRow     *path_row;
  AdwActionRow     *requirements_row;
  AdwActionRow     *sources_row;
  GtkWidget        *output_box;
  GtkScrolledWindow *output_scrolled;
  GtkTextView      *output_view;
};

G_DEFINE_FINAL_TYPE (IwbEnvironmentPage, iwb_environment_page, GTK_TYPE_WIDGET)

enum {
  SIGNAL_ENVIRONMENT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- the package index settings ----------------------------------------------- */

static char *
settings_string (IwbEnvironmentPage *self,
                 const char         *key)
{
  char *value;

  if (self->settings == NULL)
    return NULL;
  value = g_settings_get_string (self->settings, key);
  g_strstrip (value);
  if (value[0] == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

/* Index URLs and proxies may carry credentials: never shown. */
static char *
redact_url (const char *url)
{
  const char *scheme = strstr (url, "://");
  const char *at;
  const char *slash;

  if (scheme == NULL)
    return g_strdup (url);
  at = strchr (scheme + 3, '@');
  slash = strchr (scheme + 3, '/');
  if (at == NULL || (slash != NULL && slash < at))
    return g_strdup (url);
  return g_strdup_printf ("%.*s****%s", (int) (scheme + 3 - url), url, at);
}

/* One line for the "Package Sources" row. */
static char *
describe_sources (IwbEnvironmentPage *self)
{
  g_autofree char *index = settings_string (self, "pip-index-url");
  g_autofree char *extra = settings_string (self, "pip-extra-index-url");
  g_autofree char *links = settings_string (self, "pip-find-links");
  g_autofree char *proxy = settings_string (self, "pip-proxy");
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (links != NULL)
    /* Translators: %s is a folder of wheels or a URL */
    g_ptr_array_add (parts, g_strdup_printf (_("wheels from %s"), links));
  if (index != NULL)
    {
      g_autofree char *shown = redact_url (index);

      /* Translators: %s is the URL of a package index */
      g_ptr_array_add (parts, g_strdup_printf (_("index %s"), shown));
    }
  if (extra != NULL)
    {
      g_autofree char *shown = redact_url (extra);

      /* Translators: %s is the URL of a package index */
      g_ptr_array_add (parts, g_strdup_printf (_("extra index %s"), shown));
    }
  if (proxy != NULL)
    {
      g_autofree char *shown = redact_url (proxy);

      /* Translators: %s is the URL of a proxy */
      g_ptr_array_add (parts, g_strdup_printf (_("proxy %s"), shown));
    }
  if (parts->len == 0)
    return g_strdup (_("pip’s own configuration (pip.conf, PIP_INDEX_URL, PIP_FIND_LINKS, "
                       "HTTPS_PROXY), else PyPI"));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

/* The preferences, applied to the next creation. FALSE (and @error) when
 * they cannot work (a find-links folder that is not there). */
static gboolean
apply_settings (IwbEnvironmentPage  *self,
                GError             **error)
{
  g_autofree char *index = settings_string (self, "pip-index-url");
  g_autofree char *extra = settings_string (self, "pip-extra-index-url");
  g_autofree char *links = settings_string (self, "pip-find-links");
  g_autofree char *proxy = settings_string (self, "pip-proxy");
  g_auto(GStrv) extra_v = NULL;
  const char *links_v[] = { links, NULL };

  if (links != NULL && strstr (links, "://") == NULL)
    {
      if (!g_path_is_absolute (links) || !g_file_test (links, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                       _("The folder of wheels “%s” set in Preferences → Package Index does not "
                         "exist (or is not an absolute path): choose another one there, or "
                         "clear it to use pip’s own configuration."), links);
          return FALSE;
        }
    }
  if (extra != NULL)
    extra_v = g_strsplit_set (extra, " \t\n", -1);
  if (extra_v != NULL)
    {
      /* g_strsplit_set leaves empty strings between repeated spaces. */
      guint j = 0;

      for (guint i = 0; extra_v[i] != NULL; i++)
        {
          if (extra_v[i][0] != '\0')
            extra_v[j++] = extra_v[i];
          else
            g_free (extra_v[i]);
        }
      extra_v[j] = NULL;
    }
  iwb_pyenv_set_index_url (self->env, index);
  iwb_pyenv_set_extra_index_urls (self->env, (const char * const *) extra_v);
  iwb_pyenv_set_find_links (self->env, links != NULL ? links_v : NULL);
  iwb_pyenv_set_proxy (self->env, proxy);
  return TRUE;
}

/* --- showing the state ------------------------------------------------------------ */

static void
set_status_icon (IwbEnvironmentPage *self,
                 const char         *icon,
                 const char         *css_class)
{
  static const char * const classes[] = { "success", "warning", "error", NULL };

  gtk_image_set_from_icon_name (self->status_icon, icon);
  for (guint i = 0; classes[i] != NULL; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), classes[i]);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), css_class);
}

static void
update (IwbEnvironmentPage *self)
{
  IwbPyenvState state = iwb_pyenv_get_state (self->env);
  gboolean busy = self->operation != OP_NONE || iwb_pyenv_get_busy (self->env);
  gboolean has_requirements = iwb_pyenv_has_requirements (self->env);
  const char *path = iwb_pyenv_get_path (self->env);
  const char *problem = iwb_pyenv_get_problem (self->env);
  const char *version = iwb_pyenv_get_python_version (self->env);
  const char *base = iwb_python_resolve (iwb_pyenv_get_base (self->env), NULL);
  g_autofree char *folder = g_file_get_path (iwb_pyenv_get_folder (self->env));
  g_autofree char *requirements = g_build_filename (folder, "requirements.txt", NULL);
  g_autofree char *sources = describe_sources (self);
  g_autofree char *made_from = NULL;
  const char *title;
  const char *text;

  if (self->operation == OP_CREATE)
    {
      title = _("Creating the Environment…");
      text = _("venv, then pip install -r requirements.txt. Cancel stops them and removes the "
               "unfinished environment.");
      set_status_icon (self, "content-loading-symbolic", NULL);
    }
  else if (self->operation == OP_DELETE)
    {
      title = _("Deleting the Environment…");
      text = "";
      set_status_icon (self, "user-trash-symbolic", NULL);
    }
  else if (path == NULL)
    {
      title = _("No Python Interpreter");
      text = problem ? problem : "";
      set_status_icon (self, "dialog-error-symbolic", "error");
    }
  else
    switch (state)
      {
      case IWB_PYENV_STATE_READY:
        title = _("Environment Ready");
        text = _("Loads, validations and runs of this integration use its interpreter.");
        set_status_icon (self, "emblem-ok-symbolic", "success");
        break;
      case IWB_PYENV_STATE_STALE:
        title = _("Environment Out of Date");
        text = problem ? problem : "";
        set_status_icon (self, "dialog-warning-symbolic", "warning");
        break;
      case IWB_PYENV_STATE_BROKEN:
        title = _("Environment Broken");
        text = problem ? problem : "";
        set_status_icon (self, "dialog-error-symbolic", "error");
        break;
      case IWB_PYENV_STATE_NONE:
      default:
        if (has_requirements)
          {
            title = _("No Environment Yet");
            text = _("requirements.txt lists the integration’s packages. Create its own "
                     "environment to install them, as the platform does for its container; "
                     "the system’s Python packages stay visible in it.");
          }
        else
          {
            title = _("No Environment Needed");
            text = _("The folder has no requirements.txt: the integration runs with the "
                     "interpreter of the Preferences. List its packages in requirements.txt "
                     "to give it an environment of its own.");
          }
        set_status_icon (self, "package-x-generic-symbolic", NULL);
        break;
      }
  g_free (self->status);
  self->status = g_strdup (title);
  gtk_label_set_text (self->status_label, title);
  gtk_label_set_text (self->problem_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), text[0] != '\0');

  /* Buttons: Create (or Rebuild), Cancel while creating, Delete. */
  gtk_button_set_label (self->create_button,
                        state == IWB_PYENV_STATE_READY || state == IWB_PYENV_STATE_STALE
                          ? _("_Rebuild Environment") : _("_Create Environment"));
  if (state == IWB_PYENV_STATE_READY)
    gtk_widget_remove_css_class (GTK_WIDGET (self->create_button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->create_button), "suggested-action");
  gtk_widget_set_visible (GTK_WIDGET (self->create_button), !busy && has_requirements && path != NULL);
  gtk_widget_set_visible (self->cancel_button, self->operation == OP_CREATE);
  gtk_widget_set_visible (self->delete_button, !busy && state != IWB_PYENV_STATE_NONE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "env.create",
                                 !busy && has_requirements && path != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "env.cancel", self->operation == OP_CREATE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "env.delete",
                                 !busy && state != IWB_PYENV_STATE_NONE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "env.open-folder",
                                 path != NULL && g_file_test (path, G_FILE_TEST_IS_DIR));

  if (base == NULL)
    made_from = g_strdup (_("No interpreter found"));
  else if (version != NULL && version[0] != '\0')
    /* Translators: %s is an interpreter's path, then its version */
    made_from = g_strdup_printf (_("%s (Python %s)"), base, version);
  else
    made_from = g_strdup (base);
  adw_action_row_set_subtitle (self->interpreter_row, made_from);
  adw_action_row_set_subtitle (self->path_row,
                               path != NULL ? path : _("None: no interpreter to make it from"));
  adw_action_row_set_subtitle (self->requirements_row,
                               has_requirements ? requirements
                                                : _("None in the integration’s folder"));
  adw_action_row_set_subtitle (self->sources_row, sources);
}

static void
set_error (IwbEnvironmentPage *self,
           const char         *title,
           const char         *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_title, title ? title : "");
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (self->error_box, message != NULL);
}

/* --- output and progress ----------------------------------------------------------- */

static void
append_output (IwbEnvironmentPage *self,
               const char         *line,
               gboolean            from_stderr)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->output_view);
  GtkTextIter end;

  gtk_widget_set_visible (self->output_box, TRUE);
  gtk_text_buffer_get_end_iter (buffer, &end);
  if (from_stderr)
    gtk_text_buffer_insert_with_tags_by_name (buffer, &end, line, -1, "stderr", NULL);
  else
    gtk_text_buffer_insert (buffer, &end, line, -1);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, "\n", 1);
  if (++self->n_lines > MAX_OUTPUT_LINES)
    {
      GtkTextIter start, second;

      gtk_text_buffer_get_start_iter (buffer, &start);
      gtk_text_buffer_get_iter_at_line (buffer, &second, 1);
      gtk_text_buffer_delete (buffer, &start, &second);
      self->n_lines--;
    }
  /* Follow the output, as a terminal does. */
  gtk_text_view_scroll_to_mark (self->output_view, gtk_text_buffer_get_insert (buffer),
                                0.0, FALSE, 0.0, 1.0);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
}

static void
on_output (IwbPyenv           *env,
           const char         *line,
           gboolean            from_stderr,
           IwbEnvironmentPage *self)
{
  append_output (self, line, from_stderr);
}

static void
on_progress (IwbPyenv           *env,
             double              fraction,
             const char         *step,
             IwbEnvironmentPage *self)
{
  gtk_widget_set_visible (self->progress_box, TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_label_set_text (self->progress_label, step ? step : "");
}

static void
on_state (IwbEnvironmentPage *self)
{
  update (self);
}

/* --- create, cancel, delete ---------------------------------------------------------- */

static void
created (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(IwbEnvironmentPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = iwb_pyenv_create_finish (IWB_PYENV (source), result, &error);

  self->operation = OP_NONE;
  g_clear_object (&self->cancellable);
  if (ok)
    {
      gtk_label_set_text (self->progress_label, _("Environment ready"));
      gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
    }
  else if (g_error_matches (error, IWB_ERROR, IWB_ERROR_CANCELLED))
    {
      gtk_widget_set_visible (self->progress_box, TRUE);
      gtk_label_set_text (self->progress_label,
                          _("Cancelled: venv and pip were stopped and the unfinished "
                            "environment removed"));
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
    }
  else
    {
      gtk_widget_set_visible (self->progress_box, FALSE);
      set_error (self, _("The environment could not be created"), error->message);
    }
  update (self);
  if (ok)
    g_signal_emit (self, signals[SIGNAL_ENVIRONMENT_CHANGED], 0);
}

void
iwb_environment_page_create (IwbEnvironmentPage *self)
{
  g_autoptr(GError) error = NULL;
  GtkTextBuffer *buffer;

  g_return_if_fail (IWB_IS_ENVIRONMENT_PAGE (self));

  if (self->operation != OP_NONE || iwb_pyenv_get_busy (self->env))
    return;
  set_error (self, NULL, NULL);
  if (!apply_settings (self, &error))
    {
      set_error (self, _("The environment could not be created"), error->message);
      return;
    }
  buffer = gtk_text_view_get_buffer (self->output_view);
  gtk_text_buffer_set_text (buffer, "", 0);
  self->n_lines = 0;
  gtk_widget_set_visible (self->output_box, TRUE);
  gtk_widget_set_visible (self->progress_box, TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_label_set_text (self->progress_label, _("Preparing"));

  self->operation = OP_CREATE;
  self->cancellable = g_cancellable_new ();
  update (self);
  iwb_pyenv_create_async (self->env, self->cancellable, created, g_object_ref (self));
}

void
iwb_environment_page_cancel (IwbEnvironmentPage *self)
{
  g_return_if_fail (IWB_IS_ENVIRONMENT_PAGE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
deleted (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(IwbEnvironmentPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = iwb_pyenv_delete_finish (IWB_PYENV (source), result, &error);

  self->operation = OP_NONE;
  if (!ok)
    set_error (self, _("The environment could not be deleted"), error->message);
  else
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->output_view);

      gtk_text_buffer_set_text (buffer, "", 0);
      self->n_lines = 0;
      gtk_widget_set_visible (self->output_box, FALSE);
      gtk_widget_set_visible (self->progress_box, FALSE);
    }
  update (self);
  if (ok)
    g_signal_emit (self, signals[SIGNAL_ENVIRONMENT_CHANGED], 0);
}

static void
confirm_response (AdwMessageDialog   *dialog,
                  const char         *response,
                  IwbEnvironmentPage *self)
{
  if (!g_str_equal (response, "delete") || self->operation != OP_NONE)
    return;
  set_error (self, NULL, NULL);
  self->operation = OP_DELETE;
  update (self);
  iwb_pyenv_delete_async (self->env, NULL, deleted, g_object_ref (self));
}

void
iwb_environment_page_delete (IwbEnvironmentPage *self)
{
  GtkRoot *root;
  GtkWidget *dialog;
  g_autofree char *body = NULL;

  g_return_if_fail (IWB_IS_ENVIRONMENT_PAGE (self));

  if (self->operation != OP_NONE || self->confirm != NULL)
    return;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  /* Translators: %s is the environment's folder */
  body = g_strdup_printf (_("%s and every package installed in it are removed. The integration "
                            "then runs with the interpreter of the Preferences, until the "
                            "environment is created again."),
                          iwb_pyenv_get_path (self->env));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete the Environment?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response), self, 0);
  self->confirm = ADW_MESSAGE_DIALOG (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->confirm);
  gtk_window_present (GTK_WINDOW (dialog));
}

AdwMessageDialog *
iwb_environment_page_get_confirm_dialog (IwbEnvironmentPage *self)
{
  g_return_val_if_fail (IWB_IS_ENVIRONMENT_PAGE (self), NULL);
  return self->confirm;
}

static void
open_folder (IwbEnvironmentPage *self)
{
  const char *path = iwb_pyenv_get_path (self->env);
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (path == NULL)
    return;
  file = g_file_new_for_path (path);
  uri = g_file_get_uri (file);
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
page_action (GtkWidget  *widget,
             const char *name,
             GVariant   *parameter)
{
  IwbEnvironmentPage *self = IWB_ENVIRONMENT_PAGE (widget);

  if (g_str_equal (name, "env.create"))
    iwb_environment_page_create (self);
  else if (g_str_equal (name, "env.cancel"))
    iwb_environment_page_cancel (self);
  else if (g_str_equal (name, "env.delete"))
    iwb_environment_page_delete (self);
  else if (g_str_equal (name, "env.open-folder"))
    open_folder (self);
}

/* --- accessors ------------------------------------------------------------------------ */

IwbPyenv *
iwb_environment_page_get_env (IwbEnvironmentPage *self)
{
  g_return_val_if_fail (IWB_IS_ENVIRONMENT_PAGE (self), NULL);
  return self->env;
}

char *
iwb_environment_page_dup_output (IwbEnvironmentPage *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (IWB_IS_ENVIRONMENT_PAGE (self), NULL);

  buffer = gtk_text_view_get_buffer (self->output_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

const char *
iwb_environment_page_get_error (IwbEnvironmentPage *self)
{
  g_return_val_if_fail (IWB_IS_ENVIRONMENT_PAGE (self), NULL);
  return self->error;
}

const char *
iwb_environment_page_get_status (IwbEnvironmentPage *self)
{
  g_return_val_if_fail (IWB_IS_ENVIRONMENT_PAGE (self), NULL);
  return self->status;
}

const char *
iwb_environment_page_get_progress_text (IwbEnvironmentPage *self)
{
  g_return_val_if_fail (IWB_IS_ENVIRONMENT_PAGE (self), NULL);
  return gtk_label_get_text (self->progress_label);
}

gboolean
iwb_environment_page_get_busy (IwbEnvironmentPage *self)
{
  g_return_val_if_fail (IWB_IS_ENVIRONMENT_PAGE (self), FALSE);
  return self->operation != OP_NONE;
}

/* --- object ----------------------------------------------------------------------------- */

static void
iwb_environment_page_dispose (GObject *object)
{
  IwbEnvironmentPage *self = IWB_ENVIRONMENT_PAGE (object);

  /* A creation still running ends with the page: its process group is
   * killed and the unfinished environment removed. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->confirm != NULL)
    gtk_window_destroy (GTK_WINDOW (self->confirm));
  if (self->env != NULL)
    g_signal_handlers_disconnect_by_data (self->env, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), IWB_TYPE_ENVIRONMENT_PAGE);
  G_OBJECT_CLASS (iwb_environment_page_parent_class)->dispose (object);
}

static void
iwb_environment_page_finalize (GObject *object)
{
  IwbEnvironmentPage *self = IWB_ENVIRONMENT_PAGE (object);

  g_clear_object (&self->env);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->status, g_free);
  G_OBJECT_CLASS (iwb_environment_page_parent_class)->finalize (object);
}

static void
iwb_environment_page_class_init (IwbEnvironmentPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = iwb_environment_page_dispose;
  object_class->finalize = iwb_environment_page_finalize;

  /**
   * IwbEnvironmentPage::environment-changed:
   *
   * An environment was created or deleted: the interpreter of the
   * integration's loads and runs changed.
   */
  signals[SIGNAL_ENVIRONMENT_CHANGED] =
    g_signal_new ("environment-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lhub/IntegrationWorkbench/iwb-environment-page.ui");
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, scrolled);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, create_button);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, delete_button);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, progress_box);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, error_box);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, error_title);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, interpreter_row);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, path_row);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, requirements_row);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, sources_row);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, output_box);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, output_scrolled);
  gtk_widget_class_bind_template_child (widget_class, IwbEnvironmentPage, output_view);

  gtk_widget_class_install_action (widget_class, "env.create", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "env.cancel", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "env.delete", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "env.open-folder", NULL, page_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "env.cancel", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "environmentpage");
}

static void
iwb_environment_page_init (IwbEnvironmentPage *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));
  buffer = gtk_text_view_get_buffer (self->output_view);
  gtk_text_buffer_create_tag (buffer, "stderr", "foreground", "#c01c28", NULL);
}

IwbEnvironmentPage *
iwb_environment_page_new (IwbPyenv  *env,
                          GSettings *settings)
{
  IwbEnvironmentPage *self;

  g_return_val_if_fail (IWB_IS_PYENV (env), NULL);

  self = g_object_new (IWB_TYPE_ENVIRONMENT_PAGE, NULL);
  self->env = g_object_ref (env);
  self->settings = settings ? g_object_ref (settings) : NULL;
  g_signal_connect (env, "output", G_CALLBACK (on_output), self);
  g_signal_connect (env, "progress", G_CALLBACK (on_progress), self);
  g_signal_connect_swapped (env, "notify::state", G_CALLBACK (on_state), self);
  g_signal_connect_swapped (env, "notify::busy", G_CALLBACK (on_state), self);
  if (settings != NULL)
    g_signal_connect_swapped (settings, "changed", G_CALLBACK (on_state), self);
  update (self);
  return self;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbPreferences: interpreter (with a check of its version and of an
 * installed lhub_integ), SDK choice, the package index of the integrations'
 * environments, timeouts, TLS verification — all GSettings keys, bound
 * both ways.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "iwb-preferences.h"
#include "iwb-python.h"

struct _IwbPreferences
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *check_cancellable;
  GPid                  check_pid;       /* its own process group */
  guint                 check_timeout;
  char                 *check_result;

  AdwEntryRow          *interpreter_row;
  AdwActionRow         *check_row;
  GtkSpinner           *check_spinner;
  GtkWidget            *check_button;
  AdwComboRow          *sdk_row;
  GtkSpinButton        *load_spin;
  GtkSpinButton        *validate_spin;
  GtkSpinButton        *run_spin;
  GtkSwitch            *ssl_switch;
  AdwEntryRow          *index_url_row;
  AdwEntryRow          *extra_index_row;
  AdwEntryRow          *find_links_row;
  AdwEntryRow          *proxy_row;
  GtkLabel             *pip_problem_label;
  GtkFileChooserNative *find_links_chooser;
};

G_DEFINE_FINAL_TYPE (IwbPreferences, iwb_preferences, ADW_TYPE_PREFERENCES_WINDOW)

/* Prints the version, then whether the interpreter itself (without our
 * runtime on PYTHONPATH) can import lhub_integ, and which version. */
static const char check_script[] =
  "import sys\n"
  "print(sys.version.split()[0])\n"
  "try:\n"
  "    import lhub_integ\n"
  "except Exception:\n"
  "    print('-')\n"
  "else:\n"
  "    try:\n"
  "        from importlib import metadata\n"
  "        print(metadata.version('lhub_integ'))\n"
  "    except Exception:\n"
  "        print('?')\n";

static void
interpreter_changed (IwbPreferences *self)
{
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "python-interpreter",
                           gtk_editable_get_text (GTK_EDITABLE (self->interpreter_row)));
}

static void
set_check_result (IwbPreferences *self,
                  const char     *text)
{
  g_free (self->check_result);
  self->check_result = g_strdup (text);
  adw_action_row_set_subtitle (self->check_row, text);
  gtk_spinner_set_spinning (self->check_spinner, FALSE);
  gtk_widget_set_sensitive (self->check_button, TRUE);
}

#define CHECK_TIMEOUT_SECONDS 10

/* Ends a running check and kills its process group (a new check, the
 * window closing, or the timeout). */
static void
stop_check (IwbPreferences *self)
{
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_handle_id (&self->check_timeout, g_source_remove);
  if (self->check_pid > 0)
    iwb_kill_process_group (self->check_pid);
  self->check_pid = 0;
}

static gboolean
check_timed_out (gpointer user_data)
{
  IwbPreferences *self = user_data;
  g_autofree char *text = NULL;

  self->check_timeout = 0;
  stop_check (self);
  /* Translators: %d is a number of seconds */
  text = g_strdup_printf (_("The interpreter did not answer within %d s and was stopped; "
                            "choose another one"), CHECK_TIMEOUT_SECONDS);
  set_check_result (self, text);
  return G_SOURCE_REMOVE;
}

static void
check_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(IwbPreferences) self = user_data;
  GSubprocess *subprocess = G_SUBPROCESS (source);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  gboolean ok = g_subprocess_communicate_utf8_finish (subprocess, result, &out, NULL, &error);

  /* Stopped (a newer check, the timeout, or the window closed): nothing of
   * this check may touch the window any more. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->check_cancellable);
  g_clear_handle_id (&self->check_timeout, g_source_remove);
  self->check_pid = 0;
  if (!ok)
    {
      /* Translators: %s is an error message */
      text = g_strdup_printf (_("The check failed: %s"), error->message);
      set_check_result (self, text);
      return;
    }
  lines = g_strsplit (out ? g_strstrip (out) : "", "\n", -1);
  if (!g_subprocess_get_successful (subprocess) || g_strv_length (lines) < 2)
    {
      /* Translators: %s is the interpreter's output */
      text = g_strdup_printf (_("The interpreter did not answer as Python 3 does: %s"), out ? out : "");
      set_check_result (self, text);
      return;
    }
  if (g_str_equal (lines[1], "-"))
    /* Translators: %s is a Python version */
    text = g_strdup_printf (_("Python %s · lhub_integ is not installed for it: the bundled runtime is used"),
                            lines[0]);
  else if (g_str_equal (lines[1], "?"))
    text = g_strdup_printf (_("Python %s · lhub_integ is installed (version unknown)"), lines[0]);
  else
    /* Translators: first %s is the Python version, second the lhub_integ version */
    text = g_strdup_printf (_("Python %s · lhub_integ %s is installed"), lines[0], lines[1]);
  set_check_result (self, text);
}

void
iwb_preferences_check_interpreter (IwbPreferences *self)
{
  const char *interpreter = gtk_editable_get_text (GTK_EDITABLE (self->interpreter_row));
  g_autoptr(IwbPython) python = iwb_python_new (interpreter[0] ? interpreter : NULL, IWB_SDK_INSTALLED);
  g_auto(GStrv) envp = iwb_python_build_environ (python, NULL);
  const char *args[] = { "-c", check_script, NULL };
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (IWB_IS_PREFERENCES (self));

  stop_check (self);

  subprocess = iwb_python_spawn (python, g_get_tmp_dir (), args, envp,
                                 G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  if (subprocess == NULL)
    {
      set_check_result (self, error->message);
      return;
    }
  self->check_pid = iwb_subprocess_get_pid (subprocess);
  self->check_cancellable = g_cancellable_new ();
  self->check_timeout = g_timeout_add_seconds (CHECK_TIMEOUT_SECONDS, check_timed_out, self);
  gtk_spinner_set_spinning (self->check_spinner, TRUE);
  gtk_widget_set_sensitive (self->check_button, FALSE);
  g_subprocess_communicate_utf8_async (subprocess, NULL, self->check_cancellable, check_done, g_object_ref (self));
}

static void
check_clicked (IwbPreferences *self)
{
  iwb_preferences_check_interpreter (self);
}

const char *
iwb_preferences_get_check_result (IwbPreferences *self)
{
  g_return_val_if_fail (IWB_IS_PREFERENCES (self), NULL);
  return self->check_result;
}

gboolean
iwb_preferences_get_checking (IwbPreferences *self)
{
  g_return_val_if_fail (IWB_IS_PREFERENCES (self), FALSE);
  return self->check_cancellable != NULL;
}

/* --- package index ------------------------------------------------------------ */

/* "scheme://user:password@host": the settings are stored in clear, so a
 * password has no place in them (pip reads it from ~/.netrc, pip.conf or
 * PIP_INDEX_URL / HTTPS_PROXY instead). */
static gboolean
url_has_password (const char *text)
{
  const char *p = text;

  while ((p = strstr (p, "://")) != NULL)
    {
      const char *host = p + 3;
      const char *end = host + strcspn (host, "/ \t");
      const char *at = g_strstr_len (host, end - host, "@");

      if (at != NULL && memchr (host, ':', at - host) != NULL)
        return TRUE;
      p = host;
    }
  return FALSE;
}

static void
pip_row_changed (AdwEntryRow    *row,
                 IwbPreferences *self)
{
  const char *key = g_object_get_data (G_OBJECT (row), "settings-key");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autofree char *problem = NULL;

  if (url_has_password (text))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      /* Translators: %s is the title of a field of the preferences */
      problem = g_strdup_printf (_("%s: not saved, it holds a password, which the settings "
                                   "would keep in clear. Put the credentials in ~/.netrc or "
                                   "pip.conf instead, or set PIP_INDEX_URL / HTTPS_PROXY "
                                   "where the workbench starts."),
                                 adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      if (self->settings != NULL)
        g_settings_set_string (self->settings, key, text);
    }
  gtk_label_set_text (self->pip_problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->pip_problem_label), problem != NULL);
}

static void
bind_pip_row (IwbPreferences *self,
              AdwEntryRow    *row,
              const char     *key)
{
  g_object_set_data (G_OBJECT (row), "settings-key", (gpointer) key);
  if (self->settings != NULL)
    {
      g_autofree char *value = g_settings_get_string (self->settings, key);

      gtk_editable_set_text (GTK_EDITABLE (row), value);
    }
  g_signal_connect (row, "changed", G_CALLBACK (pip_row_changed), self);
}

static void
find_links_chosen (GtkNativeDialog *chooser,
                   int              response,
                   IwbPreferences  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = folder ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->find_links_row), path);
    }
  g_clear_object (&self->find_links_chooser);
}

static void
choose_find_links (IwbPreferences *self)
{
  if (self->find_links_chooser != NULL)
    return;
  self->find_links_chooser =
    gtk_file_chooser_native_new (_("Folder of Wheels"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->find_links_chooser), TRUE);
  g_signal_connect (self->find_links_chooser, "response", G_CALLBACK (find_links_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->find_links_chooser));
}

static gboolean
sdk_get_mapping (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  IwbSdkChoice choice = IWB_SDK_BUNDLED;

  iwb_sdk_choice_from_string (g_variant_get_string (variant, NULL), &choice);
  g_value_set_uint (value, choice == IWB_SDK_INSTALLED ? 1 : 0);
  return TRUE;
}

static GVariant *
sdk_set_mapping (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  return g_variant_new_string (g_value_get_uint (value) == 1 ? "installed" : "bundled");
}

static void
iwb_preferences_dispose (GObject *object)
{
  IwbPreferences *self = IWB_PREFERENCES (object);

  stop_check (self);
  if (self->find_links_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->find_links_chooser));
  g_clear_object (&self->find_links_chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), IWB_TYPE_PREFERENCES);
  G_OBJECT_CLASS (iwb_preferences_parent_class)->dispose (object);
}

static void
iwb_preferences_finalize (GObject *object)
{
  IwbPreferences *self = IWB_PREFERENCES (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->check_cancellable);
  g_clear_pointer (&self->check_result, g_free);
  G_OBJECT_CLASS (iwb_preferences_parent_class)->finalize (object);
}

static void
iwb_preferences_class_init (IwbPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = iwb_preferences_dispose;
  object_class->finalize = iwb_preferences_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lhub/IntegrationWorkbench/iwb-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, IwbPreferences, interpreter_row);
  gtk_widget_class_bind_template_child (widget_class, IwbPreferences, check_row);
  gtk_widget_class_bind_template_child (widget_class, IwbPreferences, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, IwbPreferences, check_button);
  gtk_widget_class_bind_template_child (widget_class, IwbPreferences, sdk_row);
  gtk_widget_class_bind_template_child (widget_class, IwbPreferences, load_spin);
  gtk_widget_class_bind_template_child (widget_class, IwbPreferences, validate_spin);
  gtk_widget_class_bind_template_child (widget_class, IwbPreferences, run_spin);
  gtk_widget_class_bind_template_child (widget_class, IwbPreferences, ssl_switch);
  gtk_widget_class_bind_template_child (widget_class, IwbPreferences, index_url_row);
  gtk_widget_class_bind_template_child (widget_class, IwbPreferences, extra_index_row);
  gtk_widget_class_bind_template_child (widget_class, IwbPreferences, find_links_row);
  gtk_widget_class_bind_template_child (widget_class, IwbPreferences, proxy_row);
  gtk_widget_class_bind_template_child (widget_class, IwbPreferences, pip_problem_label);
  gtk_widget_class_bind_template_callback (widget_class, choose_find_links);
  gtk_widget_class_bind_template_callback (widget_class, interpreter_changed);
  gtk_widget_class_bind_template_callback (widget_class, check_clicked);
}

static void
iwb_preferences_init (IwbPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

IwbPreferences *
iwb_preferences_new (GSettings *settings)
{
  IwbPreferences *self = g_object_new (IWB_TYPE_PREFERENCES, NULL);

  if (settings == NULL)
    return self;

  self->settings = g_object_ref (settings);
  {
    g_autofree char *interpreter = g_settings_get_string (settings, "python-interpreter");

    gtk_editable_set_text (GTK_EDITABLE (self->interpreter_row), interpreter);
  }
  g_settings_bind_with_mapping (settings, "sdk", self->sdk_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                sdk_get_mapping, sdk_set_mapping, NULL, NULL);
  g_settings_bind (settings, "load-timeout", gtk_spin_button_get_adjustment (self->load_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "validate-timeout", gtk_spin_button_get_adjustment (self->validate_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "run-timeout", gtk_spin_button_get_adjustment (self->run_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "ssl-verify", self->ssl_switch, "active", G_SETTINGS_BIND_DEFAULT);
  bind_pip_row (self, self->index_url_row, "pip-index-url");
  bind_pip_row (self, self->extra_index_row, "pip-extra-index-url");
  bind_pip_row (self, self->find_links_row, "pip-find-links");
  bind_pip_row (self, self->proxy_row, "pip-proxy");
  return self;
}

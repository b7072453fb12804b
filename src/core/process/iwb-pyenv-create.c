/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Creating an IwbPyenv: `BASE -m venv [--system-site-packages] PATH`, then
 * `PATH/bin/python -m pip install -r requirements.txt` in the integration
 * folder. Each child runs in its own process group (iwb_python_spawn); its
 * stdout and stderr are read line by line and emitted as "output"; pip's
 * lines drive "progress". A cancel kills the current child's whole group;
 * a failure or a cancel removes the half-made folder. The stamp is written
 * last, so only a complete environment is ever READY.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-pyenv-private.h"

#define MAX_LINE        (64 * 1024) /* longer lines are cut for "output" */
#define STDERR_TAIL     30          /* lines kept for the error message */
#define MAX_ERROR_LINES 20

/* Fractions of the whole creation. */
#define FRACTION_VENV      0.02
#define FRACTION_PIP       0.20
#define FRACTION_COLLECTED 0.75
#define FRACTION_INSTALL   0.85
#define FRACTION_DONE      1.00

typedef enum
{
  STEP_VENV,
  STEP_PIP,
} Step;

typedef struct
{
  char         *req_hash;
  guint         n_requirements;
  guint         n_collected;
  Step          step;
  GCancellable *cancellable;
  gulong        cancel_id;
  gint          pid;          /* atomic: the current child's group */
  GSubprocess  *proc;
  guint         open_streams;
  gboolean      exited;
  GQueue       *stderr_tail;  /* char* */
  GPtrArray    *error_lines;  /* pip's "ERROR: ..." */
  GError       *failure;      /* returned once the folder is removed */
  int           lock_fd;
} CreateData;

static void
create_data_free (gpointer p)
{
  CreateData *data = p;

  if (data->cancel_id != 0)
    g_cancellable_disconnect (data->cancellable, data->cancel_id);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->proc);
  g_free (data->req_hash);
  g_queue_free_full (data->stderr_tail, g_free);
  g_ptr_array_unref (data->error_lines);
  g_clear_error (&data->failure);
  _iwb_pyenv_unlock (data->lock_fd);
  g_free (data);
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  CreateData *data = user_data;

  /* May run in another thread: kill() is safe anywhere. */
  iwb_kill_process_group ((GPid) g_atomic_int_get (&data->pid));
}

static void start_pip (GTask *task);
static void see_base_venv (GTask *task);

/* ---------------------------------------------------------------------- */
/* Ending                                                                 */

static void
finish (GTask  *task,
        GError *error /* transfer full, nullable */)
{
  IwbPyenv *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);

  /* Before the callback runs: it may create again at once. */
  _iwb_pyenv_unlock (data->lock_fd);
  data->lock_fd = -1;
  _iwb_pyenv_set_busy (self, FALSE);
  iwb_pyenv_refresh (self);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_partial_removed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  CreateData *data = g_task_get_task_data (task);

  g_task_propagate_boolean (G_TASK (result), NULL);
  finish (task, g_steal_pointer (&data->failure));
}

/* Fails the creation with @error after removing the half-made folder. */
static void
fail (GTask  *task,
      GError *error /* transfer full */)
{
  IwbPyenv *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);

  g_clear_error (&data->failure);
  data->failure = error;
  _iwb_pyenv_set_progress (self, self->fraction, _("Removing the unfinished environment"));
  _iwb_pyenv_remove_tree_async (self->path, on_partial_removed, task);
}

static GError *
cancelled_error (IwbPyenv *self)
{
  return g_error_new (IWB_ERROR, IWB_ERROR_CANCELLED,
                      _("Creating the environment of %s was cancelled"), self->folder_path);
}

/* ---------------------------------------------------------------------- */
/* Progress from pip's lines                                              */

static void
parse_pip_line (IwbPyenv   *self,
                CreateData *data,
                const char *line)
{
  g_autofree char *step = NULL;
  double fraction = self->fraction;
  guint n = MAX (data->n_requirements, 1);

  if (g_str_has_prefix (line, "Collecting ") || g_str_has_prefix (line, "Processing ") ||
      g_str_has_prefix (line, "Requirement already satisfied: "))
    {
      const char *what = strchr (line, ' ') + 1;

      if (g_str_has_prefix (line, "Requirement"))
        what = line + strlen ("Requirement already satisfied: ");
      data->n_collected++;
      fraction = FRACTION_PIP + (FRACTION_COLLECTED - FRACTION_PIP) *
                                MIN (data->n_collected, n) / (double) n;
      step = g_str_has_prefix (line, "Requirement")
               ? g_strdup_printf (_("Already installed: %s"), what)
               : g_strdup_printf (_("Collecting %s"), what);
    }
  else if (g_str_has_prefix (line, "  Downloading ") || g_str_has_prefix (line, "Downloading "))
    {
      g_autofree char *copy = g_strstrip (g_strdup (line));

      step = g_strdup_printf (_("Downloading %s"), copy + strlen ("Downloading "));
    }
  else if (g_str_has_prefix (line, "Building wheel") || g_str_has_prefix (line, "  Building wheel"))
    step = g_strdup (_("Building wheels"));
  else if (g_str_has_prefix (line, "Installing collected packages: "))
    {
      fraction = FRACTION_INSTALL;
      step = g_strdup_printf (_("Installing %s"), line + strlen ("Installing collected packages: "));
    }
  else if (g_str_has_prefix (line, "Successfully installed"))
    {
      fraction = MAX (fraction, 0.95);
      step = g_strdup (_("Installed"));
    }
  if (step != NULL)
    _iwb_pyenv_set_progress (self, fraction, step);
}

/* ---------------------------------------------------------------------- */
/* One child                                                              */

typedef struct
{
  GTask            *task;   /* ref */
  GDataInputStream *stream;
  gboolean          is_stderr;
} LineReader;

static void child_maybe_done (GTask *task);

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  LineReader *reader = user_data;
  GTask *task = reader->task;
  IwbPyenv *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  g_autofree char *raw = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *line = NULL;
  gsize len = 0;

  raw = g_data_input_stream_read_line_finish (reader->stream, result, &len, NULL);
  if (raw == NULL)
    {
      data->open_streams--;
      g_object_unref (reader->stream);
      g_free (reader);
      child_maybe_done (task);
      g_object_unref (task);
      return;
    }

  if (len > 0 && raw[len - 1] == '\r')
    raw[--len] = '\0';
  if (len > MAX_LINE)
    raw[len = MAX_LINE] = '\0';
  valid = g_utf8_make_valid (raw, len);
  line = _iwb_pyenv_redact_url (valid);

  _iwb_pyenv_emit_output (self, line, reader->is_stderr);
  if (data->step == STEP_PIP)
    parse_pip_line (self, data, line);
  if (g_str_has_prefix (line, "ERROR: ") && data->error_lines->len < MAX_ERROR_LINES)
    g_ptr_array_add (data->error_lines, g_strdup (line));
  if (reader->is_stderr)
    {
      g_queue_push_tail (data->stderr_tail, g_strdup (line));
      if (g_queue_get_length (data->stderr_tail) > STDERR_TAIL)
        g_free (g_queue_pop_head (data->stderr_tail));
    }

  g_data_input_stream_read_line_async (reader->stream, G_PRIORITY_DEFAULT, NULL, on_line, reader);
}

static void
read_lines (GTask        *task,
            GInputStream *stream,
            gboolean      is_stderr)
{
  CreateData *data = g_task_get_task_data (task);
  LineReader *reader = g_new0 (LineReader, 1);

  reader->task = g_object_ref (task);
  reader->stream = g_data_input_stream_new (stream);
  reader->is_stderr = is_stderr;
  data->open_streams++;
  g_data_input_stream_read_line_async (reader->stream, G_PRIORITY_DEFAULT, NULL, on_line, reader);
}

static void
on_child_exited (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  CreateData *data = g_task_get_task_data (task);

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  data->exited = TRUE;
  child_maybe_done (task);
  g_object_unref (task);
}

/* Environment of venv and pip: the workbench's clean child environment plus
 * pip's own settings, which the user may rely on (index, links, config). */
static char **
child_environ (IwbPyenv *self)
{
  g_autoptr(IwbPython) python = iwb_python_new (self->base_path, IWB_SDK_INSTALLED);
  g_auto(GStrv) parent = g_get_environ ();
  g_autoptr(GStrvBuilder) extra = g_strv_builder_new ();
  g_auto(GStrv) extra_v = NULL;
  static const char * const pass[] = { "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_DIRS",
                                       "PIP_CONFIG_FILE", "NETRC", "CURL_CA_BUNDLE", NULL };
  gboolean version_check_set = FALSE;

  for (guint i = 0; parent[i] != NULL; i++)
    {
      /* Settings that would install somewhere else than the environment. */
      if (g_str_has_prefix (parent[i], "PIP_USER=") || g_str_has_prefix (parent[i], "PIP_TARGET=") ||
          g_str_has_prefix (parent[i], "PIP_PREFIX=") || g_str_has_prefix (parent[i], "PIP_ROOT="))
        continue;
      if (g_str_has_prefix (parent[i], "PIP_"))
        {
          g_strv_builder_add (extra, parent[i]);
          if (g_str_has_prefix (parent[i], "PIP_DISABLE_PIP_VERSION_CHECK="))
            version_check_set = TRUE;
        }
    }
  for (guint i = 0; pass[i] != NULL; i++)
    {
      const char *value = g_environ_getenv (parent, pass[i]);

      if (value != NULL)
        {
          g_autofree char *kv = g_strdup_printf ("%s=%s", pass[i], value);
          g_strv_builder_add (extra, kv);
        }
    }
  /* "user = true" in pip.conf would install into ~/.local, which the
   * environment sees (system site-packages), instead of the environment. */
  g_strv_builder_add (extra, "PIP_USER=0");
  /* Asking PyPI for pip's latest version only slows an offline set-up. */
  if (!version_check_set)
    g_strv_builder_add (extra, "PIP_DISABLE_PIP_VERSION_CHECK=1");
  extra_v = g_strv_builder_end (extra);
  return iwb_python_build_environ (python, (const char * const *) extra_v);
}

static gboolean
spawn_child (GTask              *task,
             const char         *interpreter,
             const char * const *args,
             const char * const *extra_env,
             GError            **error)
{
  IwbPyenv *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(IwbPython) python = iwb_python_new (interpreter, IWB_SDK_INSTALLED);
  g_auto(GStrv) envp = child_environ (self);
  GSubprocess *proc;

  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    {
      const char *eq = strchr (extra_env[i], '=');
      g_autofree char *key = g_strndup (extra_env[i], eq - extra_env[i]);

      envp = g_environ_setenv (envp, key, eq + 1, TRUE);
    }

  if (g_cancellable_is_cancelled (data->cancellable))
    {
      g_propagate_error (error, cancelled_error (self));
      return FALSE;
    }
  proc = iwb_python_spawn (python, self->folder_path, args, envp,
                           G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           error);
  if (proc == NULL)
    return FALSE;

  g_clear_object (&data->proc);
  data->proc = proc;
  data->exited = FALSE;
  g_atomic_int_set (&data->pid, (gint) iwb_subprocess_get_pid (proc));
  g_queue_clear_full (data->stderr_tail, g_free);
  /* A cancel that came while spawning: the group exists now. */
  if (g_cancellable_is_cancelled (data->cancellable))
    iwb_kill_process_group ((GPid) g_atomic_int_get (&data->pid));

  read_lines (task, g_subprocess_get_stdout_pipe (proc), FALSE);
  read_lines (task, g_subprocess_get_stderr_pipe (proc), TRUE);
  g_subprocess_wait_async (proc, NULL, on_child_exited, g_object_ref (task));
  return TRUE;
}

/* What venv or pip said about their failure: pip's ERROR lines, else the
 * last lines of stderr. */
static char *
child_failure_text (CreateData *data)
{
  GString *s = g_string_new (NULL);

  if (data->error_lines->len > 0)
    {
      for (guint i = 0; i < data->error_lines->len; i++)
        g_string_append_printf (s, "\n%s", (char *) data->error_lines->pdata[i]);
    }
  else
    {
      for (GList *l = data->stderr_tail->head; l != NULL; l = l->next)
        g_string_append_printf (s, "\n%s", (char *) l->data);
    }
  if (s->len == 0)
    g_string_append (s, _("\n(no output)"));
  return g_string_free (s, FALSE);
}

static char *
describe_status (GSubprocess *proc)
{
  if (g_subprocess_get_if_signaled (proc))
    return g_strdup_printf (_("killed by signal %d"), g_subprocess_get_term_sig (proc));
  return g_strdup_printf (_("exit status %d"), g_subprocess_get_exit_status (proc));
}

static void
child_maybe_done (GTask *task)
{
  IwbPyenv *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  g_autofree char *status = NULL;
  g_autofree char *text = NULL;

  if (!data->exited || data->open_streams > 0)
    return;
  g_atomic_int_set (&data->pid, 0);

  if (g_cancellable_is_cancelled (data->cancellable))
    {
      fail (task, cancelled_error (self));
      return;
    }
  if (g_subprocess_get_successful (data->proc))
    {
      if (data->step == STEP_VENV)
        see_base_venv (task);
      else
        {
          GError *error = NULL;

          if (!_iwb_pyenv_write_stamp (self, data->req_hash, &error))
            {
              fail (task, error);
              return;
            }
          _iwb_pyenv_set_progress (self, FRACTION_DONE, _("Environment ready"));
          finish (task, NULL);
        }
      return;
    }

  status = describe_status (data->proc);
  text = child_failure_text (data);
  if (data->step == STEP_VENV)
    fail (task, g_error_new (IWB_ERROR, IWB_ERROR_FAILED,
                             _("Could not create a virtual environment with %s -m venv (%s). "
                               "On Debian, install python3-venv. Its output:%s"),
                             self->base_path, status, text));
  else
    fail (task, g_error_new (IWB_ERROR, IWB_ERROR_FAILED,
                             _("pip could not install %s/requirements.txt (%s). Check the "
                               "requirements and the package index settings (--index-url, "
                               "--find-links, PIP_INDEX_URL, pip.conf). pip said:%s"),
                             self->folder_path, status, text));
}

/* ---------------------------------------------------------------------- */
/* Steps                                                                  */

static void
start_pip (GTask *task)
{
  IwbPyenv *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) env = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_auto(GStrv) env_v = NULL;
  GError *error = NULL;

  data->step = STEP_PIP;
  g_strv_builder_add_many (b, "-m", "pip", "install", "--disable-pip-version-check",
                           "--no-input", "--progress-bar", "off", "-r", "requirements.txt", NULL);
  /* Index URLs and the proxy may carry credentials: they go to pip in its
   * environment variables (readable by the user only), never on its
   * command line (readable by every user in /proc). */
  if (self->index_url != NULL)
    {
      g_autofree char *kv = g_strconcat ("PIP_INDEX_URL=", self->index_url, NULL);

      g_strv_builder_add (env, kv);
    }
  if (self->extra_index_urls != NULL && self->extra_index_urls[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (" ", self->extra_index_urls);
      g_autofree char *kv = g_strconcat ("PIP_EXTRA_INDEX_URL=", joined, NULL);

      g_strv_builder_add (env, kv);
    }
  if (self->proxy != NULL)
    {
      g_autofree char *kv = g_strconcat ("PIP_PROXY=", self->proxy, NULL);

      g_strv_builder_add (env, kv);
    }
  /* Folders of wheels may have spaces in their names: options. */
  for (guint i = 0; self->find_links != NULL && self->find_links[i] != NULL; i++)
    g_strv_builder_add_many (b, "--find-links", self->find_links[i], NULL);
  if (self->no_index)
    g_strv_builder_add (b, "--no-index");
  args = g_strv_builder_end (b);
  env_v = g_strv_builder_end (env);

  _iwb_pyenv_set_progress (self, FRACTION_PIP, _("Installing requirements.txt with pip"));
  if (!spawn_child (task, self->interpreter, (const char * const *) args,
                    (const char * const *) env_v, &error))
    fail (task, error);
}

/* A base interpreter that is itself a virtual environment (the user's venv
 * with the real SDK in it): `-m venv` builds on *its* base interpreter, so
 * the new environment would not see the packages of the user's venv. A
 * .pth file adds them after the environment's own, as
 * --system-site-packages does for the system's. */
static const char base_paths_script[] =
  "import sys, sysconfig\n"
  "if sys.prefix != sys.base_prefix:\n"
  "    for p in dict.fromkeys([sysconfig.get_path('purelib'), sysconfig.get_path('platlib')]):\n"
  "        print(p)\n";

static char *
env_site_packages (IwbPyenv *self)
{
  g_autofree char *lib = g_build_filename (self->path, "lib", NULL);
  g_autoptr(GDir) dir = g_dir_open (lib, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "python"))
      {
        char *site = g_build_filename (lib, name, "site-packages", NULL);

        if (g_file_test (site, G_FILE_TEST_IS_DIR))
          return site;
        g_free (site);
      }
  return NULL;
}

static void
on_base_paths (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  IwbPyenv *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  g_autofree char *out = NULL;
  g_autofree char *site = NULL;
  GError *error = NULL;

  g_atomic_int_set (&data->pid, 0);
  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &out, NULL, &error) ||
      g_cancellable_is_cancelled (data->cancellable))
    {
      g_clear_error (&error);
      fail (task, cancelled_error (self));
      return;
    }
  site = env_site_packages (self);
  if (g_subprocess_get_successful (G_SUBPROCESS (source)) && out != NULL &&
      g_strstrip (out)[0] != '\0' && site != NULL)
    {
      g_autofree char *pth = g_build_filename (site, "_iwb_base_venv.pth", NULL);
      g_autofree char *text = g_strconcat (out, "\n", NULL);

      g_autofree char *note = g_strdup_printf (_("The interpreter is a virtual environment: "
                                                  "its packages stay visible (%s)"), out);

      _iwb_pyenv_emit_output (self, note, FALSE);
      if (!g_file_set_contents (pth, text, -1, &error))
        {
          fail (task, error);
          return;
        }
    }
  start_pip (task);
}

static void
see_base_venv (GTask *task)
{
  IwbPyenv *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(IwbPython) python = NULL;
  g_auto(GStrv) envp = NULL;
  const char *args[] = { "-c", base_paths_script, NULL };
  GSubprocess *proc;
  GError *error = NULL;

  if (self->isolated)
    {
      start_pip (task);
      return;
    }
  python = iwb_python_new (self->base_path, IWB_SDK_INSTALLED);
  envp = child_environ (self);
  proc = iwb_python_spawn (python, self->folder_path, args, envp,
                           G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error);
  if (proc == NULL)
    {
      fail (task, error);
      return;
    }
  g_clear_object (&data->proc);
  data->proc = proc;
  g_atomic_int_set (&data->pid, (gint) iwb_subprocess_get_pid (proc));
  if (g_cancellable_is_cancelled (data->cancellable))
    iwb_kill_process_group ((GPid) g_atomic_int_get (&data->pid));
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, on_base_paths, task);
}

static void
start_venv (GTask *task)
{
  IwbPyenv *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  const char *args[] = { "-m", "venv", NULL, NULL, NULL };
  GError *error = NULL;
  guint i = 2;

  data->step = STEP_VENV;
  if (!self->isolated)
    args[i++] = "--system-site-packages";
  args[i] = self->path;
  _iwb_pyenv_set_progress (self, FRACTION_VENV, _("Creating the virtual environment"));
  if (!spawn_child (task, self->base_path, args, NULL, &error))
    fail (task, error);
}

static void
on_old_removed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  IwbPyenv *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      finish (task, error);
      return;
    }
  iwb_pyenv_refresh (self);
  if (g_cancellable_is_cancelled (data->cancellable))
    {
      finish (task, cancelled_error (self));
      return;
    }
  start_venv (task);
}

/**
 * iwb_pyenv_create_async:
 *
 * Creates the environment, replacing the one there was (any state). Options
 * are those set before the call.
 */
void
iwb_pyenv_create_async (IwbPyenv            *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = NULL;
  CreateData *data;

  g_return_if_fail (IWB_IS_PYENV (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, iwb_pyenv_create_async);
  /* A cancel is IWB_ERROR_CANCELLED, once the folder is cleaned up. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->busy)
    {
      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_FAILED,
                               _("The environment of %s is already being created or deleted"),
                               self->folder_path);
      return;
    }
  if (self->path == NULL)
    {
      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_PYTHON_NOT_FOUND, "%s",
                               self->problem ? self->problem : _("No Python interpreter"));
      return;
    }

  data = g_new0 (CreateData, 1);
  data->lock_fd = -1;
  data->stderr_tail = g_queue_new ();
  data->error_lines = g_ptr_array_new_with_free_func (g_free);
  data->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  g_task_set_task_data (task, data, create_data_free);

  data->req_hash = _iwb_pyenv_hash_requirements (self, &data->n_requirements, &error);
  if (data->req_hash == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  parent = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (parent, 0700) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_FAILED,
                               _("Cannot create the folder %s for environments: %s"),
                               parent, g_strerror (saved));
      return;
    }

  data->lock_fd = _iwb_pyenv_lock (self, &error);
  if (data->lock_fd < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->cancel_id = g_cancellable_connect (data->cancellable, G_CALLBACK (on_cancelled),
                                           data, NULL);
  _iwb_pyenv_set_busy (self, TRUE);
  _iwb_pyenv_set_progress (self, 0.0, _("Preparing"));
  _iwb_pyenv_remove_tree_async (self->path, on_old_removed, g_steal_pointer (&task));
}

gboolean
iwb_pyenv_create_finish (IwbPyenv      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Per-integration environments, offline: each test writes a tiny package as
 * a wheel (tests/pyenv-fixtures/make-wheel.py), an integration whose main.py
 * imports it and whose requirements.txt names it, and builds the
 * environment from that folder of wheels with real venv and pip children.
 * G_TEST_OPTION_ISOLATE_DIRS gives every test its own XDG_CACHE_HOME, so the
 * environments land in a temporary folder.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "iwb-core.h"
#include "test-iwb-util.h"
#include "test-pyenv-util.h"
#include "test-process-util.h"

typedef struct
{
  char *root;
  char *wheels;
  char *folder;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *script = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "pyenv-fixtures",
                                              "make-wheel.py", NULL);

  /* GLib points the XDG variables of the environment at /dev/null for the
   * isolated test: give the children (iwb, pip) the test's own folders. */
  g_setenv ("HOME", g_get_home_dir (), TRUE);
  g_setenv ("XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_setenv ("XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_setenv ("XDG_DATA_HOME", g_get_user_data_dir (), TRUE);

  /* Under the per-test isolated data folder, removed after the test. */
  f->root = g_build_filename (g_get_user_data_dir (), "pyenv-test", NULL);
  iwb_test_pyenv_greeter (f->root, script, &f->wheels, &f->folder);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->root);
  g_free (f->wheels);
  g_free (f->folder);
}

static void
write_requirements (Fixture    *f,
                    const char *text)
{
  g_autofree char *req = g_build_filename (f->folder, "requirements.txt", NULL);

  g_assert_true (g_file_set_contents (req, text, -1, NULL));
}

static IwbPyenv *
new_env (Fixture *f)
{
  g_autoptr(GFile) folder = g_file_new_for_path (f->folder);
  g_autoptr(IwbPython) base = iwb_python_new (NULL, IWB_SDK_BUNDLED);

  return iwb_pyenv_new (folder, base);
}

/* No process whose command line contains @text is running. */
static void
assert_no_process_in (const char *text)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *cmdline_path = NULL;
      g_autofree char *cmdline = NULL;
      gsize len = 0;
      GPid pid = (GPid) g_ascii_strtoll (name, NULL, 10);

      if (pid <= 0)
        continue;
      cmdline_path = g_strdup_printf ("/proc/%s/cmdline", name);
      if (!g_file_get_contents (cmdline_path, &cmdline, &len, NULL))
        continue;
      for (gsize i = 0; i + 1 < len; i++)
        if (cmdline[i] == '\0')
          cmdline[i] = ' ';
      if (strstr (cmdline, text) != NULL && !process_gone (pid))
        g_error ("process %d is still running: %s", (int) pid, cmdline);
    }
}

/* ---------------------------------------------------------------------- */
/* The user's story, with `iwb`                                           */

static void
test_cli_lifecycle (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(IwbCliResult) r = { 0 };
  g_autofree char *envs = iwb_pyenv_dup_envs_dir ();
  g_autoptr(IwbPyenv) env = NULL;
  g_autofree char *env_path = NULL;

  /* Before: loading fails and names the missing module. */
  iwb_cli_run (&r, NULL, NULL, "inspect", f->folder, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "iwbtestpkg"));
  iwb_cli_result_clear (&r);

  iwb_cli_run (&r, NULL, NULL, "env", "status", f->folder, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, ": none"));
  g_assert_nonnull (strstr (r.out, "iwb env create"));
  iwb_cli_result_clear (&r);

  /* pip's own variable keeps it offline; the wheel comes from the folder. */
  g_setenv ("PIP_NO_INDEX", "1", TRUE);
  /* A user-wide "install into ~/.local" must not send it elsewhere. */
  g_setenv ("PIP_USER", "1", TRUE);
  iwb_cli_run (&r, NULL, NULL, "env", "create", f->folder, "--find-links", f->wheels, NULL);
  g_unsetenv ("PIP_NO_INDEX");
  g_unsetenv ("PIP_USER");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Successfully installed iwbtestpkg-1.0"));
  iwb_cli_result_clear (&r);
  {
    g_autofree char *user_site = g_build_filename (g_get_home_dir (), ".local", NULL);

    g_assert_false (g_file_test (user_site, G_FILE_TEST_EXISTS));
  }

  env = new_env (f);
  g_assert_cmpint (iwb_pyenv_get_state (env), ==, IWB_PYENV_STATE_READY);
  env_path = g_strdup (iwb_pyenv_get_path (env));
  g_assert_true (g_str_has_prefix (env_path, envs));
  g_assert_true (g_file_test (env_path, G_FILE_TEST_IS_DIR));

  iwb_cli_run (&r, NULL, NULL, "env", "status", "--format", "json", f->folder, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"state\":\"ready\""));
  iwb_cli_result_clear (&r);

  /* Now loading and running use the environment. */
  iwb_cli_run (&r, NULL, NULL, "inspect", f->folder, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "greet"));
  iwb_cli_result_clear (&r);

  iwb_cli_run (&r, NULL, "{\"name\": \"bob\"}\n", "run", f->folder, "greet", "--input", "-",
               "--format", "jsonl", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "hello bob"));
  iwb_cli_result_clear (&r);

  /* --python still wins: that interpreter does not have the package. */
  iwb_cli_run (&r, NULL, NULL, "inspect", "--python", g_getenv ("IWB_PYTHON"), f->folder, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "iwbtestpkg"));
  iwb_cli_result_clear (&r);

  /* A changed requirements.txt makes it stale; it is still used, with a note. */
  write_requirements (f, "iwbtestpkg>=1.0\n");
  iwb_cli_run (&r, NULL, NULL, "env", "status", f->folder, NULL);
  g_assert_nonnull (strstr (r.out, ": stale"));
  g_assert_nonnull (strstr (r.out, "requirements.txt changed"));
  iwb_cli_result_clear (&r);
  iwb_cli_run (&r, NULL, NULL, "inspect", f->folder, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "requirements.txt changed"));
  iwb_cli_result_clear (&r);

  /* Delete removes it. */
  iwb_cli_run (&r, NULL, NULL, "env", "delete", f->folder, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_false (g_file_test (env_path, G_FILE_TEST_EXISTS));
  iwb_cli_result_clear (&r);
  iwb_cli_run (&r, NULL, NULL, "env", "status", f->folder, NULL);
  g_assert_nonnull (strstr (r.out, ": none"));
  iwb_cli_result_clear (&r);

  iwb_cli_run (&r, NULL, NULL, "env", "frobnicate", f->folder, NULL);
  g_assert_cmpint (r.status, ==, 64);
  g_assert_nonnull (strstr (r.err, "frobnicate"));
}

/* ---------------------------------------------------------------------- */
/* The core API the window uses                                           */

typedef struct
{
  GPtrArray    *lines;
  GArray       *fractions;
  guint         state_notifies;
  GAsyncResult *result;
} Watch;

static void
on_output (IwbPyenv   *env,
           const char *line,
           gboolean    from_stderr,
           Watch      *w)
{
  g_ptr_array_add (w->lines, g_strdup (line));
}

static void
on_progress (IwbPyenv   *env,
             double      fraction,
             const char *step,
             Watch      *w)
{
  g_assert_nonnull (step);
  g_array_append_val (w->fractions, fraction);
}

static void
on_state (IwbPyenv   *env,
          GParamSpec *pspec,
          Watch      *w)
{
  w->state_notifies++;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Watch *w = user_data;

  w->result = g_object_ref (result);
}

static void
watch_init (Watch    *w,
            IwbPyenv *env)
{
  memset (w, 0, sizeof *w);
  w->lines = g_ptr_array_new_with_free_func (g_free);
  w->fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_signal_connect (env, "output", G_CALLBACK (on_output), w);
  g_signal_connect (env, "progress", G_CALLBACK (on_progress), w);
  g_signal_connect (env, "notify::state", G_CALLBACK (on_state), w);
}

static void
watch_clear (Watch    *w,
             IwbPyenv *env)
{
  g_signal_handlers_disconnect_by_data (env, w);
  g_ptr_array_unref (w->lines);
  g_array_unref (w->fractions);
  g_clear_object (&w->result);
}

static gboolean
watch_has_line (Watch      *w,
                const char *needle)
{
  for (guint i = 0; i < w->lines->len; i++)
    if (strstr (w->lines->pdata[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
create_and_wait (IwbPyenv     *env,
                 Watch        *w,
                 GCancellable *cancellable,
                 GError      **error)
{
  gint64 deadline = g_get_monotonic_time () + 240 * G_USEC_PER_SEC;

  iwb_pyenv_create_async (env, cancellable, on_done, w);
  while (w->result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (w->result);
  g_assert_false (iwb_pyenv_get_busy (env));
  return iwb_pyenv_create_finish (env, w->result, error);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_core_create (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(IwbPyenv) env = new_env (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (f->folder);
  g_autoptr(IwbPython) base = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  g_autoptr(IwbPython) python = NULL;
  g_autoptr(IwbLoader) loader = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  g_autoptr(GAsyncResult) loaded = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *advice = NULL;
  const char *links[] = { f->wheels, NULL };
  IwbPyenvState state;
  Watch w;

  g_assert_cmpint (iwb_pyenv_get_state (env), ==, IWB_PYENV_STATE_NONE);
  g_assert_true (iwb_pyenv_has_requirements (env));
  advice = iwb_pyenv_advice_for_missing_module (folder, base, "iwbtestpkg");
  g_assert_nonnull (strstr (advice, "iwb env create"));

  watch_init (&w, env);
  iwb_pyenv_set_find_links (env, links);
  iwb_pyenv_set_no_index (env, TRUE);
  g_assert_true (create_and_wait (env, &w, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (iwb_pyenv_get_state (env), ==, IWB_PYENV_STATE_READY);
  g_assert_cmpuint (w.state_notifies, >=, 1);
  g_assert_true (watch_has_line (&w, "Processing"));
  g_assert_true (watch_has_line (&w, "Successfully installed iwbtestpkg-1.0"));
  /* Progress: several steps, never backwards, ends at 1. */
  g_assert_cmpuint (w.fractions->len, >=, 4);
  for (guint i = 1; i < w.fractions->len; i++)
    g_assert_cmpfloat (g_array_index (w.fractions, double, i), >=,
                       g_array_index (w.fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (w.fractions, double, w.fractions->len - 1), ==, 1.0);
  g_assert_cmpstr (iwb_pyenv_get_python_version (env), !=, "");
  g_assert_false (iwb_pyenv_get_isolated (env));

  /* The loader with the environment's interpreter: the bundled runtime
   * and the package are both there. */
  python = iwb_pyenv_python_for_folder (folder, base, &state);
  g_assert_cmpint (state, ==, IWB_PYENV_STATE_READY);
  g_assert_cmpstr (iwb_python_get_requested (python), ==, iwb_pyenv_get_interpreter (env));
  g_assert_cmpint (iwb_python_get_sdk (python), ==, IWB_SDK_BUNDLED);
  loader = iwb_loader_new (python);
  iwb_loader_load_async (loader, folder, NULL, on_loaded, &loaded);
  while (loaded == NULL)
    g_main_context_iteration (NULL, TRUE);
  integration = iwb_loader_load_finish (loader, loaded, &error);
  g_assert_no_error (error);
  g_assert_nonnull (iwb_integration_find_action (integration, "greet"));
  g_clear_object (&python);

  /* Missing module although the environment is ready: say what to add. */
  g_free (advice);
  advice = iwb_pyenv_advice_for_missing_module (folder, base, "yaml_extra");
  g_assert_nonnull (strstr (advice, "does not provide"));

  /* An interrupted creation (no stamp) is broken, and not used. */
  stamp = g_build_filename (iwb_pyenv_get_path (env), IWB_PYENV_STAMP, NULL);
  g_assert_cmpint (g_unlink (stamp), ==, 0);
  g_assert_cmpint (iwb_pyenv_refresh (env), ==, IWB_PYENV_STATE_BROKEN);
  g_assert_nonnull (strstr (iwb_pyenv_get_problem (env), "incomplete"));
  python = iwb_pyenv_python_for_folder (folder, base, &state);
  g_assert_cmpint (state, ==, IWB_PYENV_STATE_BROKEN);
  g_assert_true (python == base);

  g_assert_true (iwb_pyenv_delete (env, &error));
  g_assert_no_error (error);
  g_assert_cmpint (iwb_pyenv_get_state (env), ==, IWB_PYENV_STATE_NONE);
  g_assert_false (g_file_test (iwb_pyenv_get_path (env), G_FILE_TEST_EXISTS));
  watch_clear (&w, env);
}

static void
iterate_until (gboolean *flag)
{
  gint64 deadline = g_get_monotonic_time () + 240 * G_USEC_PER_SEC;

  while (!*flag && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (*flag);
}

static void
test_core_cancel (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(IwbPyenv) env = new_env (f);
  g_autoptr(IwbPyenv) other = NULL;
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *index = NULL;
  g_autofree char *credentialed = NULL;
  gboolean connected = FALSE;
  Watch w, w2;

  watch_init (&w, env);
  index = iwb_test_silent_index_start (service, &connected);
  /* An index with credentials in its URL. */
  g_assert_true (g_str_has_prefix (index, "http://"));
  credentialed = g_strconcat ("http://builder:S3cretT0ken@", index + strlen ("http://"), NULL);
  iwb_pyenv_set_index_url (env, credentialed);
  iwb_pyenv_create_async (env, cancellable, on_done, &w);
  g_assert_true (iwb_pyenv_get_busy (env));
  iterate_until (&connected); /* pip is asking the index */
  g_assert_null (w.result);
  /* pip got it in its environment, not on its command line, which every
   * user can read in /proc. */
  assert_no_process_in ("S3cretT0ken");

  /* Meanwhile, a second iwb or window sees it being made and cannot
   * create or delete it. */
  other = new_env (f);
  g_assert_cmpint (iwb_pyenv_get_state (other), ==, IWB_PYENV_STATE_BROKEN);
  g_assert_nonnull (strstr (iwb_pyenv_get_problem (other), "being created right now"));
  g_assert_false (iwb_pyenv_delete (other, &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "another iwb or window"));
  g_clear_error (&error);
  watch_init (&w2, other);
  g_assert_false (create_and_wait (other, &w2, NULL, &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "another iwb or window"));
  g_clear_error (&error);
  watch_clear (&w2, other);

  g_cancellable_cancel (cancellable);
  while (w.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (iwb_pyenv_create_finish (env, w.result, &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_CANCELLED);
  g_assert_false (iwb_pyenv_get_busy (env));
  g_assert_true (watch_has_line (&w, "Looking in indexes: http://****@127.0.0.1"));
  for (guint i = 0; i < w.lines->len; i++)
    g_assert_null (strstr (w.lines->pdata[i], "S3cretT0ken"));
  g_assert_null (strstr (error->message, "S3cretT0ken"));
  assert_no_process_in (iwb_pyenv_get_path (env));
  /* The half-made environment is gone. */
  g_assert_cmpint (iwb_pyenv_get_state (env), ==, IWB_PYENV_STATE_NONE);
  g_assert_false (g_file_test (iwb_pyenv_get_path (env), G_FILE_TEST_EXISTS));
  g_socket_service_stop (service);
  watch_clear (&w, env);
}

static void
on_cli_exited (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
}

/* Ctrl+C, SIGTERM, a closed terminal (SIGHUP) and the other signals that
 * end iwb, while pip waits for an index that never answers: the creation is
 * cancelled ("cancelled" on stderr), no process and no half-made folder are
 * left, and iwb dies of the signal like every other command (SIGHUP, QUIT
 * and USR1 used to kill it at once and leave a broken environment). */
static void
test_cli_interrupt (Fixture       *f,
                    gconstpointer  data)
{
  const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 };

  for (guint i = 0; i < G_N_ELEMENTS (sigs); i++)
    {
      g_autoptr(GSocketService) service = g_socket_service_new ();
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(IwbPyenv) env = new_env (f);
      g_autofree char *index = NULL;
      g_autofree char *iwb = iwb_cli_path ();
      char err[65536];
      gsize len = 0;
      gboolean connected = FALSE, exited = FALSE;

      g_test_message ("signal %d", sigs[i]);
      index = iwb_test_silent_index_start (service, &connected);
      g_subprocess_launcher_set_child_setup (launcher, process_no_core_dump, NULL, NULL);
      proc = g_subprocess_launcher_spawn (launcher, &error, iwb, "env", "create", f->folder,
                                          "--index-url", index, NULL);
      g_assert_no_error (error);
      g_subprocess_wait_async (proc, NULL, on_cli_exited, &exited);
      iterate_until (&connected);
      g_subprocess_send_signal (proc, sigs[i]);
      iterate_until (&exited);
      g_assert_true (g_subprocess_get_if_signaled (proc));
      g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, sigs[i]);
      g_input_stream_read_all (g_subprocess_get_stderr_pipe (proc), err, sizeof err - 1, &len,
                               NULL, NULL);
      err[len] = '\0';
      g_assert_nonnull (strstr (err, "cancelled"));
      assert_no_process_in (iwb_pyenv_get_path (env));
      g_assert_cmpint (iwb_pyenv_refresh (env), ==, IWB_PYENV_STATE_NONE);
      g_assert_false (g_file_test (iwb_pyenv_get_path (env), G_FILE_TEST_EXISTS));
      g_socket_service_stop (service);
    }
}

/* The user's interpreter is itself a venv (the real SDK installed in it):
 * the environment built on it still sees that venv's packages. */
static void
test_core_base_venv (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *venv = g_build_filename (f->root, "user-venv", NULL);
  g_autofree char *venv_python = g_build_filename (venv, "bin", "python", NULL);
  g_autofree char *site = NULL;
  g_autofree char *pkg = NULL;
  g_autofree char *init = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (f->folder);
  g_autoptr(IwbPython) system_base = iwb_python_new (NULL, IWB_SDK_INSTALLED);
  g_autoptr(IwbPython) venv_base = NULL;
  g_autoptr(IwbPyenv) system_env = NULL;
  g_autoptr(IwbPyenv) env = NULL;
  g_autoptr(GError) error = NULL;
  const char *links[] = { f->wheels, NULL };
  const char *mkvenv[] = { g_getenv ("IWB_PYTHON"), "-m", "venv", "--without-pip", venv, NULL };
  int status = 0;
  Watch w;

  g_spawn_sync (NULL, (char **) mkvenv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  {
    const char *argv[] = { venv_python, "-c",
                           "import sysconfig; print(sysconfig.get_path('purelib'))", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &site, NULL,
                  &status, &error);
    g_assert_no_error (error);
    g_strstrip (site);
  }
  pkg = g_build_filename (site, "iwbbasepkg", NULL);
  init = g_build_filename (pkg, "__init__.py", NULL);
  g_assert_cmpint (g_mkdir_with_parents (pkg, 0700), ==, 0);
  g_assert_true (g_file_set_contents (init, "WHERE = 'user venv'\n", -1, NULL));

  venv_base = iwb_python_new (venv_python, IWB_SDK_INSTALLED);
  env = iwb_pyenv_new (folder, venv_base);
  system_env = iwb_pyenv_new (folder, system_base);
  /* Another interpreter, another environment, though both run the same
   * binary in the end. */
  g_assert_cmpstr (iwb_pyenv_get_path (env), !=, iwb_pyenv_get_path (system_env));

  watch_init (&w, env);
  iwb_pyenv_set_find_links (env, links);
  iwb_pyenv_set_no_index (env, TRUE);
  g_assert_true (create_and_wait (env, &w, NULL, &error));
  g_assert_no_error (error);
  {
    const char *argv[] = { iwb_pyenv_get_interpreter (env), "-c",
                           "import iwbbasepkg, iwbtestpkg; print(iwbbasepkg.WHERE)", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                  &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_cmpstr (g_strstrip (out), ==, "user venv");
  }
  g_assert_cmpint (iwb_pyenv_refresh (system_env), ==, IWB_PYENV_STATE_NONE);
  g_assert_true (iwb_pyenv_delete (env, &error));
  watch_clear (&w, env);
}

static void
test_core_pip_error (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(IwbPyenv) env = NULL;
  g_autoptr(GError) error = NULL;
  const char *links[] = { f->wheels, NULL };
  Watch w;

  write_requirements (f, "iwb-no-such-package==9.9\n");
  env = new_env (f);
  watch_init (&w, env);
  iwb_pyenv_set_find_links (env, links);
  iwb_pyenv_set_no_index (env, TRUE);
  g_assert_false (create_and_wait (env, &w, NULL, &error));
  /* pip's own words, in the error. */
  g_assert_error (error, IWB_ERROR, IWB_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "No matching distribution found for "
                                            "iwb-no-such-package"));
  g_assert_nonnull (strstr (error->message, "requirements.txt"));
  g_assert_cmpint (iwb_pyenv_get_state (env), ==, IWB_PYENV_STATE_NONE);
  g_assert_false (g_file_test (iwb_pyenv_get_path (env), G_FILE_TEST_EXISTS));
  watch_clear (&w, env);
}

static void
test_core_credentials_hidden (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(IwbPyenv) env = new_env (f);
  g_autoptr(GError) error = NULL;
  Watch w;

  /* Port 1 refuses at once; no retries. */
  g_setenv ("PIP_RETRIES", "0", TRUE);
  watch_init (&w, env);
  iwb_pyenv_set_index_url (env, "http://builder:S3cretT0ken@127.0.0.1:1/simple");
  g_assert_false (create_and_wait (env, &w, NULL, &error));
  g_unsetenv ("PIP_RETRIES");
  g_assert_error (error, IWB_ERROR, IWB_ERROR_FAILED);
  g_assert_null (strstr (error->message, "S3cretT0ken"));
  for (guint i = 0; i < w.lines->len; i++)
    g_assert_null (strstr (w.lines->pdata[i], "S3cretT0ken"));
  g_assert_true (watch_has_line (&w, "127.0.0.1"));
  watch_clear (&w, env);
}

static void
test_core_no_requirements (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *req = g_build_filename (f->folder, "requirements.txt", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (f->folder);
  g_autoptr(IwbPython) base = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  g_autoptr(IwbPyenv) env = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *advice = NULL;
  Watch w;

  g_assert_cmpint (g_unlink (req), ==, 0);
  g_assert_false (iwb_pyenv_folder_has_requirements (folder));
  advice = iwb_pyenv_advice_for_missing_module (folder, base, "iwbtestpkg");
  g_assert_nonnull (strstr (advice, "no requirements.txt"));
  g_assert_nonnull (strstr (advice, "iwbtestpkg"));
  g_assert_null (strstr (advice, "pip install"));

  env = new_env (f);
  g_assert_false (iwb_pyenv_has_requirements (env));
  watch_init (&w, env);
  g_assert_false (create_and_wait (env, &w, NULL, &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "requirements.txt"));
  g_assert_cmpuint (w.lines->len, ==, 0); /* nothing was started */
  watch_clear (&w, env);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/pyenv/no-requirements", test_core_no_requirements);
  ADD ("/pyenv/create", test_core_create);
  ADD ("/pyenv/pip-error", test_core_pip_error);
  ADD ("/pyenv/base-venv", test_core_base_venv);
  ADD ("/pyenv/credentials-hidden", test_core_credentials_hidden);
  ADD ("/pyenv/cancel", test_core_cancel);
  ADD ("/pyenv/cli-lifecycle", test_cli_lifecycle);
  ADD ("/pyenv/cli-interrupt", test_cli_interrupt);
#undef ADD

  return g_test_run ();
}

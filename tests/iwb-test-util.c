/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helpers: running the built iwb, a private XDG home, removing a tree (declared in test-iwb-util.h). */
#include "config.h"

#include "test-iwb-util.h"

#include "iwb-core.h"
#include "iwb-session.h"

void
iwb_cli_result_clear (IwbCliResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

char *
iwb_cli_path (void)
{
  const char *root = g_getenv ("IWB_BUILD_ROOT");

  g_assert_nonnull (root);
  return g_build_filename (root, "src", "cli", "iwb", NULL);
}

void
iwb_cli_on_communicated (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

void
iwb_cli_runv (IwbCliResult       *r,
              const char         *cwd,
              const char         *input,
              const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  g_ptr_array_add (argv, iwb_cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "NO_COLOR", "1", TRUE);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, input ? input : "", NULL,
                                       iwb_cli_on_communicated, &result);
  while (result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (result);
  g_subprocess_communicate_utf8_finish (proc, result, &r->out, &r->err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (proc))
    g_test_message ("iwb killed by signal %d\nstdout:\n%s\nstderr:\n%s",
                    g_subprocess_get_term_sig (proc), r->out, r->err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  r->status = g_subprocess_get_exit_status (proc);
  g_test_message ("iwb exit %d\nstdout:\n%s\nstderr:\n%s", r->status, r->out, r->err);
}

void
iwb_cli_run (IwbCliResult *r,
             const char   *cwd,
             const char   *input,
             ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, input);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  iwb_cli_runv (r, cwd, input, (const char * const *) args->pdata);
}

void
iwb_test_use_private_xdg (const char *dir)
{
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *cache = g_build_filename (dir, "cache", NULL);

  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
}

void
iwb_test_write_file (const char *dir,
                     const char *name,
                     const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

void
iwb_test_remove_tree (const char *dir)
{
  const char *rm[] = { "rm", "-rf", dir, NULL };

  g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

/* -- sessions on a loaded integration ------------------------------------- */

GFile *
iwb_test_workbench_folder (void)
{
  const char *root = g_getenv ("IWB_SOURCE_ROOT");

  g_assert_nonnull (root);
  return g_file_new_build_filename (root, "tests", "ui-fixtures", "workbench", NULL);
}

static void
session_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  IwbIntegration **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = iwb_loader_load_finish (IWB_LOADER (source), result, &error);
  g_assert_no_error (error);
}

gpointer
iwb_test_session_load (GFile *folder)
{
  IwbSession *session = iwb_session_new ();
  g_autoptr(IwbLoader) loader = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  g_autoptr(JsonNode) descriptor = NULL;

  iwb_session_set_folder (session, folder);
  loader = iwb_session_create_loader (session);
  iwb_loader_load_async (loader, folder, NULL, session_loaded, &integration);
  while (integration == NULL)
    g_main_context_iteration (NULL, TRUE);
  descriptor = iwb_descriptor_build (integration);
  iwb_session_set_integration (session, integration, descriptor, descriptor);
  return session;
}

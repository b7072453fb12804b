/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The integration-workbench app stopped by any signal that ends a process
 * (TERM, INT, HUP, QUIT, ALRM, USR1, USR2) while it runs an action whose
 * process daemonized (run-fixtures/trees): the app quits, dies of that
 * signal, and not one process with the test's marker in its environment
 * (TMPDIR, which the children inherit) is left.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "test-process-util.h"

static void
signal_app (int sig)
{
  g_autofree char *app = g_build_filename (g_getenv ("IWB_BUILD_ROOT"), "src",
                                           "integration-workbench", NULL);
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "run-fixtures", "trees", NULL);
  const char *argv[] = { app, "--run", "main.daemonize_hang", folder, NULL };
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("iwb-marker-XXXXXX", &error);
  g_autofree char *marker = g_strconcat ("TMPDIR=", dir, NULL);

  g_assert_no_error (error);
  g_subprocess_launcher_setenv (launcher, "TMPDIR", dir, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  /* the action's process tells when its daemons are up */
  {
    g_autofree char *started = g_build_filename (dir, "started", NULL);

    wait_for_file (started);
    g_unlink (started);
  }
  /* the app, the action's process and its two daemons */
  wait_for_marked_processes (marker, 4);
  g_subprocess_send_signal (proc, sig);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (proc));
  g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, sig);
  g_assert_cmpuint (count_marked_processes (marker), ==, 0);
  g_rmdir (dir);
}

static void
test_sigterm (void)
{
  signal_app (SIGTERM);
}

static void
test_sigint (void)
{
  signal_app (SIGINT);
}

static void
test_sighup (void)
{
  signal_app (SIGHUP);
}

/* The ones GLib's g_unix_signal_add() cannot watch, and two it can. */
static void
test_other (gconstpointer data)
{
  signal_app (GPOINTER_TO_INT (data));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app-signals/sigterm", test_sigterm);
  g_test_add_func ("/app-signals/sigint", test_sigint);
  g_test_add_func ("/app-signals/sighup", test_sighup);
  g_test_add_data_func ("/app-signals/sigquit", GINT_TO_POINTER (SIGQUIT), test_other);
  g_test_add_data_func ("/app-signals/sigalrm", GINT_TO_POINTER (SIGALRM), test_other);
  g_test_add_data_func ("/app-signals/sigusr1", GINT_TO_POINTER (SIGUSR1), test_other);
  return g_test_run ();
}

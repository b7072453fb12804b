/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The integration-workbench app stopped by any signal that ends a process
 * (TERM, INT, HUP, QUIT, ALRM, USR1, USR2) while it runs an action whose
 * process daemonized (run-fixtures/trees): the app quits, dies of that
 * signal, and not one process with the test's marker in its environment
 * (TMPDIR, which the children inherit) is left.
 *
 * The same with the signals the app cannot catch or does not handle
 * (SIGKILL; SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS as a
 * crash raises them), mid-run and mid-load (run-fixtures/import-daemon
 * starts a daemon when imported): the app dies at once, and the supervisor
 * of each child (iwb-reaper) must end the whole tree by itself.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "test-process-util.h"

/* The app on run-fixtures/@fixture (running @action, or just loading the
 * folder when NULL) until its processes are up (at least @min with the
 * marker), then @sig. */
static void
signal_app_with (int         sig,
                 const char *fixture,
                 const char *action,
                 guint       min)
{
  g_autofree char *app = g_build_filename (g_getenv ("IWB_BUILD_ROOT"), "src",
                                           "integration-workbench", NULL);
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "run-fixtures", fixture, NULL);
  const char *run_argv[] = { app, "--run", action, folder, NULL };
  const char *load_argv[] = { app, folder, NULL };
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("iwb-marker-XXXXXX", &error);
  g_autofree char *marker = g_strconcat ("TMPDIR=", dir, NULL);

  g_assert_no_error (error);
  g_test_message ("the app on %s, killed by signal %d", fixture, sig);
  g_subprocess_launcher_setenv (launcher, "TMPDIR", dir, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, process_no_core_dump, NULL, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, action != NULL ? run_argv : load_argv, &error);
  g_assert_no_error (error);
  /* the action's (or the loader's) process tells when its daemons are up */
  {
    g_autofree char *started = g_build_filename (dir, "started", NULL);

    wait_for_file (started);
    g_unlink (started);
  }
  wait_for_marked_processes (marker, min);
  g_subprocess_send_signal (proc, sig);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (proc));
  g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, sig);
  g_assert_cmpuint (wait_for_no_marked_processes (marker), ==, 0);
  g_rmdir (dir);
}

static void
signal_app (int sig)
{
  /* the app, the action's process and its two daemons */
  signal_app_with (sig, "trees", "main.daemonize_hang", 4);
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

/* Killed while loading a folder whose import starts a daemon: the app, the
 * loader's process, its daemon and its forked child. */
static void
test_load (gconstpointer data)
{
  signal_app_with (GPOINTER_TO_INT (data), "import-daemon", NULL, 4);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  process_faults_kill_under_asan ();

  g_test_add_func ("/app-signals/sigterm", test_sigterm);
  g_test_add_func ("/app-signals/sigint", test_sigint);
  g_test_add_func ("/app-signals/sighup", test_sighup);
  g_test_add_data_func ("/app-signals/sigquit", GINT_TO_POINTER (SIGQUIT), test_other);
  g_test_add_data_func ("/app-signals/sigalrm", GINT_TO_POINTER (SIGALRM), test_other);
  g_test_add_data_func ("/app-signals/sigusr1", GINT_TO_POINTER (SIGUSR1), test_other);
  /* Uncatchable, or a crash: the reapers alone clean up. */
  g_test_add_data_func ("/app-signals/crash/sigkill", GINT_TO_POINTER (SIGKILL), test_other);
  g_test_add_data_func ("/app-signals/crash/sigsegv", GINT_TO_POINTER (SIGSEGV), test_other);
  g_test_add_data_func ("/app-signals/crash/sigabrt", GINT_TO_POINTER (SIGABRT), test_other);
  g_test_add_data_func ("/app-signals/crash/sigbus", GINT_TO_POINTER (SIGBUS), test_other);
  g_test_add_data_func ("/app-signals/crash/sigfpe", GINT_TO_POINTER (SIGFPE), test_other);
  g_test_add_data_func ("/app-signals/crash/sigill", GINT_TO_POINTER (SIGILL), test_other);
  g_test_add_data_func ("/app-signals/crash/sigtrap", GINT_TO_POINTER (SIGTRAP), test_other);
  g_test_add_data_func ("/app-signals/crash/sigsys", GINT_TO_POINTER (SIGSYS), test_other);
  g_test_add_data_func ("/app-signals/crash/load-sigkill", GINT_TO_POINTER (SIGKILL), test_load);
  g_test_add_data_func ("/app-signals/crash/load-sigsegv", GINT_TO_POINTER (SIGSEGV), test_load);
  return g_test_run ();
}

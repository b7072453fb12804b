/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The integration-workbench app stopped by SIGTERM, SIGINT or SIGHUP while
 * it runs an action whose process daemonized (run-fixtures/trees): the app
 * quits, and not one process with the test's marker in its environment
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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app-signals/sigterm", test_sigterm);
  g_test_add_func ("/app-signals/sigint", test_sigint);
  g_test_add_func ("/app-signals/sighup", test_sighup);
  return g_test_run ();
}

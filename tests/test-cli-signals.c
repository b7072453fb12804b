/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `iwb run` and `iwb validate` stopped mid-run by SIGINT, SIGTERM,
 * SIGHUP (and `iwb run` by SIGUSR1, SIGUSR2, SIGQUIT, SIGALRM and SIGXCPU),
 * timed out, or left by an action that daemonized: the built `iwb` on
 * run-fixtures/trees (forks, double forks, setsid daemons, children deaf to
 * SIGTERM), and afterwards not one process with the test's marker in its
 * environment may be left. iwb dies of the signal it got (the shell sees
 * 128 + N) after reporting the run as cancelled.
 *
 * Then the signals iwb cannot catch or does not handle (SIGKILL, and
 * SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS as a crash would
 * raise them), mid-run, mid-validation and mid-load (run-fixtures/
 * import-daemon starts a daemon when imported): iwb dies at once, and the
 * supervisor of each child (iwb-reaper) must kill the whole tree by itself.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "iwb-core.h"
#include "test-iwb-util.h"
#include "test-process-util.h"

static char *tmpdir;

static char *
trees (void)
{
  return g_test_build_filename (G_TEST_DIST, "run-fixtures", "trees", NULL);
}

/* iwb ARGS… with TMPDIR set to a folder of its own: the marker every
 * process it starts inherits (children get TMPDIR from the allow-list). */
static GSubprocess *
spawn_iwb (char               **marker,
           const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  GSubprocess *proc;

  value = g_dir_make_tmp ("iwb-marker-XXXXXX", &error);
  g_assert_no_error (error);
  *marker = g_strconcat ("TMPDIR=", value, NULL);
  g_ptr_array_add (argv, iwb_cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_setenv (launcher, "TMPDIR", value, TRUE);
  g_subprocess_launcher_setenv (launcher, "NO_COLOR", "1", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, process_no_core_dump, NULL, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return proc;
}

/* Reads lines until one contains @until (NULL: to the end); returns all. */
static char *
read_until (GDataInputStream *out,
            const char       *until)
{
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char *line;

  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL)
    {
      gboolean found = until != NULL && strstr (line, until) != NULL;

      g_string_append_printf (seen, "%s\n", line);
      g_free (line);
      if (found)
        return g_string_free (g_steal_pointer (&seen), FALSE);
    }
  g_assert_no_error (error);
  if (until != NULL)
    g_error ("“%s” never came; the output was:\n%s", until, seen->str);
  return g_string_free (g_steal_pointer (&seen), FALSE);
}

/* The folder TMPDIR names in @marker ("TMPDIR=folder"). */
static const char *
marker_dir (const char *marker)
{
  return marker + strlen ("TMPDIR=");
}

/* Once the integration's processes are up (the "started" file written in
 * the marker's folder, at least @min_processes with @marker), sends @sig
 * to @proc, reads @out to the end and checks that iwb died of @sig.
 * Returns what it read. */
static char *
signal_when_up (GSubprocess      *proc,
                GDataInputStream *out,
                const char       *marker,
                guint             min_processes,
                int               sig)
{
  g_autofree char *file = g_build_filename (marker_dir (marker), "started", NULL);
  g_autoptr(GError) error = NULL;
  char *after;

  wait_for_file (file);
  g_unlink (file);
  wait_for_marked_processes (marker, min_processes);
  g_subprocess_send_signal (proc, sig);
  after = read_until (out, NULL);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", after);
  g_assert_true (g_subprocess_get_if_signaled (proc));
  g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, sig);
  return after;
}

/* iwb ARGS… until it printed a line with @started (NULL: no line is waited
 * for) and its processes are up, then @sig: iwb reports @cancelled and
 * dies of @sig, and no process is left. */
static void
signal_mid_run (const char * const *args,
                const char         *started,
                guint               min_processes,
                int                 sig,
                const char         *cancelled)
{
  g_autofree char *marker = NULL;
  g_autoptr(GSubprocess) proc = spawn_iwb (&marker, args);
  g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  g_autofree char *after = NULL;

  if (started != NULL)
    {
      g_autofree char *before = read_until (out, started);

      g_test_message ("%s", before);
    }
  /* iwb, the shim and what it started are up */
  after = signal_when_up (proc, out, marker, min_processes, sig);
  g_assert_nonnull (strstr (after, cancelled));
  g_assert_cmpuint (count_marked_processes (marker), ==, 0);
  g_rmdir (marker_dir (marker));
}

static void
test_run_signals (void)
{
  g_autofree char *folder = trees ();
  const char *hang[] = { "run", folder, "main.daemonize_hang", "--format", "jsonl", NULL };
  const char *deaf[] = { "run", folder, "main.ignore_term", "--format", "jsonl", NULL };
  const char *tree[] = { "run", folder, "main.fork_tree", "--format", "jsonl", NULL };
  const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGQUIT, SIGALRM, SIGXCPU };

  for (guint i = 0; i < G_N_ELEMENTS (sigs); i++)
    signal_mid_run (hang, "daemons started", 4, sigs[i], "ancelled");
  signal_mid_run (deaf, "ignoring SIGTERM", 4, SIGTERM, "ancelled");
  signal_mid_run (tree, "tree started", 7, SIGINT, "ancelled");
}

static void
test_validate_signals (void)
{
  g_autofree char *folder = trees ();
  const char *hang[] = { "validate", folder, "--set", "MODE=hang", "--format", "json", NULL };
  const char *text[] = { "validate", folder, "--set", "MODE=hang", NULL };

  signal_mid_run (hang, "validator hangs", 3, SIGTERM, "ancelled");
  signal_mid_run (hang, "validator hangs", 3, SIGHUP, "ancelled");
  /* Text output prints the report at the end: wait for the processes only. */
  signal_mid_run (text, NULL, 3, SIGINT, "✗ Cancelled");
}

static void
test_timeout_and_exit (void)
{
  g_autofree char *folder = trees ();
  const char *timeout[] = { "run", folder, "main.daemonize_hang", "--timeout", "1", NULL };
  const char *leave[] = { "run", folder, "main.daemonize_leave", "--format", "jsonl", NULL };
  const char *validate[] = { "validate", folder, "--set", "MODE=hang", "--timeout", "1", NULL };
  const char * const *cases[] = { timeout, leave, validate };
  const int statuses[] = { 3, 0, 3 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *marker = NULL;
      g_autoptr(GSubprocess) proc = spawn_iwb (&marker, cases[i]);
      g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
      g_autofree char *all = read_until (out, NULL);
      g_autoptr(GError) error = NULL;

      g_subprocess_wait (proc, NULL, &error);
      g_test_message ("%s", all);
      g_assert_true (g_subprocess_get_if_exited (proc));
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, statuses[i]);
      g_assert_cmpuint (count_marked_processes (marker), ==, 0);
      {
        g_autofree char *file = g_build_filename (marker_dir (marker), "started", NULL);
        g_unlink (file);
        g_rmdir (marker_dir (marker));
      }
    }
}

/* iwb ARGS… until the integration's processes are up (at least
 * @min_processes with the marker, the "started" file written), then @sig,
 * which iwb does not survive; afterwards nothing may remain. */
static void
crash_mid_run (const char * const *args,
               guint               min_processes,
               int                 sig)
{
  g_autofree char *marker = NULL;
  g_autoptr(GSubprocess) proc = spawn_iwb (&marker, args);
  g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));

  g_test_message ("iwb %s %s… killed by signal %d", args[0], args[2], sig);
  g_free (signal_when_up (proc, out, marker, min_processes, sig));
  g_assert_cmpuint (wait_for_no_marked_processes (marker), ==, 0);
  g_rmdir (marker_dir (marker));
}

static const int crash_signals[] = {
  SIGKILL, SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS,
};

static void
test_run_crash (void)
{
  g_autofree char *folder = trees ();
  const char *hang[] = { "run", folder, "main.daemonize_hang", "--format", "jsonl", NULL };
  const char *deaf[] = { "run", folder, "main.ignore_term", "--format", "jsonl", NULL };
  const char *tree[] = { "run", folder, "main.fork_tree", "--format", "jsonl", NULL };

  /* iwb, the reaper, the action's process, its two daemons */
  for (guint i = 0; i < G_N_ELEMENTS (crash_signals); i++)
    crash_mid_run (hang, 4, crash_signals[i]);
  crash_mid_run (deaf, 4, SIGKILL);
  crash_mid_run (tree, 7, SIGKILL);
  crash_mid_run (tree, 7, SIGSEGV);
}

static void
test_validate_crash (void)
{
  g_autofree char *folder = trees ();
  const char *hang[] = { "validate", folder, "--set", "MODE=hang", "--format", "json", NULL };

  crash_mid_run (hang, 3, SIGKILL);
  crash_mid_run (hang, 3, SIGABRT);
}

static void
test_load_crash (void)
{
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "run-fixtures", "import-daemon", NULL);
  const char *run[] = { "run", folder, "main.anything", NULL };
  const char *validate[] = { "validate", folder, NULL };

  /* iwb, the loader's process, its daemon and its forked child */
  crash_mid_run (run, 4, SIGKILL);
  crash_mid_run (run, 4, SIGSEGV);
  crash_mid_run (validate, 4, SIGBUS);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  process_faults_kill_under_asan ();

  tmpdir = g_dir_make_tmp ("iwb-test-cli-signals-XXXXXX", &error);
  g_assert_no_error (error);
  iwb_test_use_private_xdg (tmpdir);

  g_test_add_func ("/cli-signals/run", test_run_signals);
  g_test_add_func ("/cli-signals/validate", test_validate_signals);
  g_test_add_func ("/cli-signals/timeout-and-exit", test_timeout_and_exit);
  g_test_add_func ("/cli-signals/crash/run", test_run_crash);
  g_test_add_func ("/cli-signals/crash/validate", test_validate_crash);
  g_test_add_func ("/cli-signals/crash/load", test_load_crash);
  ret = g_test_run ();

  iwb_test_remove_tree (tmpdir);
  return ret;
}

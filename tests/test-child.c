/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbChild with real children (sh, python3): lines, the events pipe, exit
 * statuses, timeouts, cancels, and the promise that nothing a child starts
 * outlives it — forks, double forks, setsid() daemons, processes that
 * ignore SIGTERM — counted afterwards by a marker in their environment.
 * Then the same through IwbRun with the run-fixtures/trees integration.
 *
 * Every child runs under iwb-reaper (the supervisor that kills the tree if
 * the workbench dies): its exit status and its death by a signal are passed
 * on exactly, a program that cannot be started is a spawn error, the
 * supervisor holds none of the child's pipes, and a child that handles
 * SIGTERM keeps its grace period.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "iwb-core.h"
#include "test-process-util.h"

typedef struct
{
  GPtrArray *lines[3]; /* char*, per stream */
  guint64    dropped;
  guint      invalid;
  gboolean   done;
} Collect;

static void
collect_init (Collect *c)
{
  for (guint i = 0; i < 3; i++)
    c->lines[i] = g_ptr_array_new_with_free_func (g_free);
  c->dropped = 0;
  c->invalid = 0;
  c->done = FALSE;
}

static void
collect_clear (Collect *c)
{
  for (guint i = 0; i < 3; i++)
    g_ptr_array_unref (c->lines[i]);
}

static void
on_line (IwbChild       *child,
         IwbChildStream  stream,
         const char     *text,
         gsize           len,
         guint64         dropped,
         gboolean        was_valid,
         gpointer        user_data)
{
  Collect *c = user_data;

  g_assert_cmpuint (strlen (text), ==, len);
  g_assert_true (g_utf8_validate (text, len, NULL));
  g_ptr_array_add (c->lines[stream], g_strdup (text));
  c->dropped += dropped;
  c->invalid += !was_valid;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Collect *c = user_data;

  g_assert_true (iwb_child_wait_finish (IWB_CHILD (source), result, NULL));
  c->done = TRUE;
}

/* A child of `sh -c SCRIPT` with @marker in its environment. */
static IwbChild *
sh_child (const char    *script,
          const char    *marker,
          IwbChildFlags  flags)
{
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  g_auto(GStrv) envp = g_get_environ ();

  if (marker != NULL)
    {
      g_autofree char *name = g_strndup (marker, strchr (marker, '=') - marker);
      envp = g_environ_setenv (envp, name, strchr (marker, '=') + 1, TRUE);
    }
  return iwb_child_new (argv, NULL, (const char * const *) envp, flags);
}

static void
run_to_end (IwbChild     *child,
            Collect      *c,
            GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  iwb_child_set_line_func (child, on_line, c);
  g_assert_true (iwb_child_spawn (child, &error));
  g_assert_no_error (error);
  iwb_child_wait_async (child, cancellable, on_done, c);
  while (!c->done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_lines (void)
{
  g_autoptr(IwbChild) child =
    sh_child ("printf 'one\\r\\ntwo\\000nul\\nbad \\377 byte\\n'; printf 'err' >&2; "
              "head -c 5000 /dev/zero | tr '\\0' x; echo; printf 'last'; exit 3",
              NULL, IWB_CHILD_FLAGS_NONE);
  Collect c;

  collect_init (&c);
  iwb_child_set_line_limit (child, 1000);
  run_to_end (child, &c, NULL);
  g_assert_cmpint (iwb_child_get_outcome (child), ==, IWB_CHILD_OUTCOME_EXITED);
  g_assert_cmpint (iwb_child_get_exit_status (child), ==, 3);
  g_assert_cmpuint (c.lines[IWB_CHILD_STDOUT]->len, ==, 5);
  g_assert_cmpstr (c.lines[IWB_CHILD_STDOUT]->pdata[0], ==, "one");
  g_assert_cmpstr (c.lines[IWB_CHILD_STDOUT]->pdata[1], ==, "two\xef\xbf\xbdnul");
  g_assert_cmpstr (c.lines[IWB_CHILD_STDOUT]->pdata[2], ==, "bad \xef\xbf\xbd byte");
  g_assert_cmpuint (strlen (c.lines[IWB_CHILD_STDOUT]->pdata[3]), ==, 1000);
  g_assert_cmpuint (c.dropped, ==, 4000);
  /* a last line without a newline is delivered at the end */
  g_assert_cmpstr (c.lines[IWB_CHILD_STDOUT]->pdata[4], ==, "last");
  g_assert_cmpuint (c.invalid, ==, 2);
  g_assert_cmpuint (c.lines[IWB_CHILD_STDERR]->len, ==, 1);
  g_assert_cmpstr (c.lines[IWB_CHILD_STDERR]->pdata[0], ==, "err");
  collect_clear (&c);
}

static void
test_events_pipe (void)
{
  /* fd 3 is the events pipe; IWB_EVENTS_FD says so. */
  g_autoptr(IwbChild) child =
    sh_child ("echo \"fd=$IWB_EVENTS_FD\" >&3; echo '{\"event\": 1}' >&3; echo out",
              NULL, IWB_CHILD_FLAGS_EVENTS_PIPE);
  g_autoptr(IwbChild) without = sh_child ("echo x >&3 || echo no-fd-3", NULL, IWB_CHILD_FLAGS_NONE);
  Collect c, c2;

  collect_init (&c);
  run_to_end (child, &c, NULL);
  g_assert_cmpuint (c.lines[IWB_CHILD_EVENTS]->len, ==, 2);
  g_assert_cmpstr (c.lines[IWB_CHILD_EVENTS]->pdata[0], ==, "fd=3");
  g_assert_cmpstr (c.lines[IWB_CHILD_EVENTS]->pdata[1], ==, "{\"event\": 1}");
  g_assert_cmpstr (c.lines[IWB_CHILD_STDOUT]->pdata[0], ==, "out");
  collect_clear (&c);

  /* without the flag the child has no fd 3 */
  collect_init (&c2);
  run_to_end (without, &c2, NULL);
  g_assert_cmpuint (c2.lines[IWB_CHILD_EVENTS]->len, ==, 0);
  g_assert_cmpstr (c2.lines[IWB_CHILD_STDOUT]->pdata[0], ==, "no-fd-3");
  collect_clear (&c2);
}

/* sh scripts that leave processes behind in every way we know */
#define DAEMONS \
  "( setsid sleep 300 & ); " \
  "( trap '' TERM; setsid sh -c 'trap \"\" TERM; sleep 300 & sleep 300' & ); " \
  "sh -c 'sleep 300 & sleep 300' & " \
  "( ( sleep 300 & ) & ); "

static void
test_timeout_tree (void)
{
  g_autofree char *marker = new_process_marker ("IWB_TEST_MARKER");
  g_autoptr(IwbChild) child =
    sh_child (DAEMONS "trap '' TERM; echo started; while :; do sleep 1; done", marker,
              IWB_CHILD_FLAGS_NONE);
  Collect c;

  collect_init (&c);
  iwb_child_set_timeout_ms (child, 1000);
  iwb_child_set_grace_ms (child, 200);
  run_to_end (child, &c, NULL);
  g_assert_cmpint (iwb_child_get_outcome (child), ==, IWB_CHILD_OUTCOME_TIMED_OUT);
  g_assert_cmpstr (c.lines[IWB_CHILD_STDOUT]->pdata[0], ==, "started");
  g_assert_cmpuint (count_marked_processes (marker), ==, 0);
  collect_clear (&c);
}

static void
test_cancel_tree (void)
{
  g_autofree char *marker = new_process_marker ("IWB_TEST_MARKER");
  g_autoptr(IwbChild) child =
    sh_child (DAEMONS "echo started; while :; do sleep 1; done", marker, IWB_CHILD_FLAGS_NONE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Collect c;

  collect_init (&c);
  iwb_child_set_line_func (child, on_line, &c);
  g_assert_true (iwb_child_spawn (child, &error));
  iwb_child_wait_async (child, cancellable, on_done, &c);
  /* the sh leader, its sleep, and the daemons' sleeps and shells */
  wait_for_marked_processes (marker, 7);
  g_cancellable_cancel (cancellable);
  while (!c.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (iwb_child_get_outcome (child), ==, IWB_CHILD_OUTCOME_CANCELLED);
  g_assert_cmpuint (count_marked_processes (marker), ==, 0);
  collect_clear (&c);
}

static void
test_exit_leaves_daemons (void)
{
  g_autofree char *marker = new_process_marker ("IWB_TEST_MARKER");
  /* The daemons keep stdout open: the wait must still end, and take them. */
  g_autoptr(IwbChild) child = sh_child (DAEMONS "echo bye", marker, IWB_CHILD_FLAGS_NONE);
  Collect c;

  collect_init (&c);
  run_to_end (child, &c, NULL);
  g_assert_cmpint (iwb_child_get_outcome (child), ==, IWB_CHILD_OUTCOME_EXITED);
  g_assert_cmpint (iwb_child_get_exit_status (child), ==, 0);
  g_assert_cmpuint (count_marked_processes (marker), ==, 0);
  collect_clear (&c);
}

static void
test_many_timeouts (void)
{
  g_autofree char *marker = new_process_marker ("IWB_TEST_MARKER");

  /* The 100-timeouts case of issue 9, shortened: every one clean. */
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(IwbChild) child =
        sh_child (DAEMONS "trap '' TERM; while :; do sleep 1; done", marker, IWB_CHILD_FLAGS_NONE);
      Collect c;

      collect_init (&c);
      iwb_child_set_timeout_ms (child, 300);
      iwb_child_set_grace_ms (child, i % 2 ? 0 : 100);
      run_to_end (child, &c, NULL);
      g_assert_cmpint (iwb_child_get_outcome (child), ==, IWB_CHILD_OUTCOME_TIMED_OUT);
      collect_clear (&c);
    }
  g_assert_cmpuint (count_marked_processes (marker), ==, 0);
}

/* Children started and ended on several threads at once, as runs of the
 * window do (a validation beside a run, runs one after the other): each
 * child's end cleans up what it left behind, and that never touches a
 * child another thread has just started — each ends with its own exit
 * status, none killed, none reaped from under its watch. (The cleanup
 * read the process table before taking the registry's lock, and took a
 * child started in between for a stray.) */
#define PARALLEL_THREADS  3
#define PARALLEL_CHILDREN 40

static gpointer
parallel_thread (gpointer data)
{
  guint *n_ok = data;
  g_autoptr(GMainContext) context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  for (guint i = 0; i < PARALLEL_CHILDREN; i++)
    {
      /* some end at once, some a moment later */
      g_autoptr(IwbChild) child = sh_child (i % 2 ? "exit 3" : "sleep 0.01; exit 3", NULL, IWB_CHILD_FLAGS_NONE);
      g_autoptr(GError) error = NULL;
      Collect c;

      collect_init (&c);
      iwb_child_set_line_func (child, on_line, &c);
      if (!iwb_child_spawn (child, &error))
        g_error ("spawn: %s", error->message);
      iwb_child_wait_async (child, NULL, on_done, &c);
      while (!c.done)
        g_main_context_iteration (context, TRUE);
      if (iwb_child_get_outcome (child) == IWB_CHILD_OUTCOME_EXITED && iwb_child_get_exit_status (child) == 3)
        g_atomic_int_inc (n_ok);
      else
        g_test_message ("child %u: outcome %d, status %d", i, iwb_child_get_outcome (child),
                        iwb_child_get_exit_status (child));
      collect_clear (&c);
    }
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
test_parallel_children (void)
{
  GThread *threads[PARALLEL_THREADS];
  guint n_ok = 0;

  for (guint t = 0; t < PARALLEL_THREADS; t++)
    threads[t] = g_thread_new ("children", parallel_thread, &n_ok);
  for (guint t = 0; t < PARALLEL_THREADS; t++)
    g_thread_join (threads[t]);
  g_assert_cmpuint (n_ok, ==, PARALLEL_THREADS * PARALLEL_CHILDREN);
}

static void
test_kill_all (void)
{
  g_autofree char *marker = new_process_marker ("IWB_TEST_MARKER");
  g_autoptr(IwbChild) a = sh_child (DAEMONS "while :; do sleep 1; done", marker, IWB_CHILD_FLAGS_NONE);
  g_autoptr(IwbChild) b = sh_child (DAEMONS "trap '' TERM; while :; do sleep 1; done", marker,
                                    IWB_CHILD_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  Collect ca, cb;

  collect_init (&ca);
  collect_init (&cb);
  iwb_child_set_line_func (a, on_line, &ca);
  iwb_child_set_line_func (b, on_line, &cb);
  g_assert_true (iwb_child_spawn (a, &error));
  g_assert_true (iwb_child_spawn (b, &error));
  iwb_child_wait_async (a, NULL, on_done, &ca);
  iwb_child_wait_async (b, NULL, on_done, &cb);
  wait_for_marked_processes (marker, 14);
  /* what a SIGTERM handler of the app or the CLI does */
  g_assert_cmpuint (iwb_child_kill_all (), >=, 14);
  g_assert_cmpuint (count_marked_processes (marker), ==, 0);
  while (!ca.done || !cb.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (iwb_child_get_outcome (a), ==, IWB_CHILD_OUTCOME_SIGNALED);
  g_assert_cmpint (iwb_child_get_term_sig (a), ==, SIGKILL);
  collect_clear (&ca);
  collect_clear (&cb);
}

static void
test_dispose_running (void)
{
  g_autofree char *marker = new_process_marker ("IWB_TEST_MARKER");
  IwbChild *child = sh_child (DAEMONS "while :; do sleep 1; done", marker, IWB_CHILD_FLAGS_NONE);
  g_autoptr(GError) error = NULL;

  g_assert_true (iwb_child_spawn (child, &error));
  wait_for_marked_processes (marker, 7);
  iwb_child_force_exit (child);
  g_assert_cmpuint (count_marked_processes (marker), ==, 0);
  g_object_unref (child);
}

static void
test_reaper_exit_status (void)
{
  /* ulimit -c 0: the signals below would dump a core into the test folder */
  const char *scripts[] = { "exit 42", "ulimit -c 0; kill -SEGV $$", "kill -KILL $$",
                            "ulimit -c 0; kill -ABRT $$", "trap '' TERM; kill -TERM $$; exit 7" };
  const int exits[] = { 42, -1, -1, -1, 7 };
  const int sigs[] = { 0, SIGSEGV, SIGKILL, SIGABRT, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (scripts); i++)
    {
      g_autoptr(IwbChild) child = sh_child (scripts[i], NULL, IWB_CHILD_FLAGS_NONE);
      Collect c;

      collect_init (&c);
      run_to_end (child, &c, NULL);
      g_test_message ("%s", scripts[i]);
      g_assert_cmpint (iwb_child_get_outcome (child), ==,
                       sigs[i] ? IWB_CHILD_OUTCOME_SIGNALED : IWB_CHILD_OUTCOME_EXITED);
      g_assert_cmpint (iwb_child_get_exit_status (child), ==, exits[i]);
      g_assert_cmpint (iwb_child_get_term_sig (child), ==, sigs[i]);
      collect_clear (&c);
    }
}

/* Children of this process, zombies included, that are supervisors. */
static guint
count_own_reapers (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/stat", name);
      g_autofree char *stat = NULL;
      const char *paren;
      int ppid = 0;
      char state;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      paren = strrchr (stat, ')');
      if (paren == NULL || sscanf (paren + 1, " %c %d", &state, &ppid) != 2)
        continue;
      if (ppid == (int) getpid () && strstr (stat, "(iwb-reaper)") != NULL)
        n++;
    }
  return n;
}

static void
test_reaper_spawn_error (void)
{
  const char *argv[] = { "/nonexistent/iwb-test-program", "x", NULL };
  const char *not_exec[] = { "/dev/null", NULL };
  g_autoptr(IwbChild) child = iwb_child_new (argv, NULL, NULL, IWB_CHILD_FLAGS_STDIN_PIPE);
  g_autoptr(IwbChild) child2 = iwb_child_new (not_exec, NULL, NULL, IWB_CHILD_FLAGS_EVENTS_PIPE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  g_assert_false (iwb_child_spawn (child, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/nonexistent/iwb-test-program"));
  g_assert_nonnull (strstr (error->message, g_strerror (ENOENT)));
  g_assert_false (iwb_child_spawn (child2, &error2));
  g_assert_nonnull (strstr (error2->message, g_strerror (EACCES)));
  /* a working folder that is gone is named as such, not the program */
  {
    const char *sh[] = { "/bin/sh", "-c", "true", NULL };
    g_autoptr(IwbChild) child3 = iwb_child_new (sh, "/nonexistent/iwb-test-folder", NULL, 0);
    g_autoptr(GError) error3 = NULL;

    g_assert_false (iwb_child_spawn (child3, &error3));
    g_assert_nonnull (strstr (error3->message, "/nonexistent/iwb-test-folder"));
    g_assert_nonnull (strstr (error3->message, "change to directory"));
    g_assert_null (strstr (error3->message, "interpreter"));
  }
  /* the supervisors were reaped: none is left, not even a zombie */
  g_assert_cmpuint (count_own_reapers (), ==, 0);
}

/* The pipes reach end of file when the program and its processes close
 * them, not later: the supervisor keeps no copy (its 0, 1 and 2 are
 * /dev/null, it has no fd 3). */
static void
test_reaper_no_pipes (void)
{
  g_autofree char *marker = new_process_marker ("IWB_TEST_MARKER");
  g_autoptr(IwbChild) child = sh_child ("echo started; exec sleep 300", marker,
                                        IWB_CHILD_FLAGS_STDIN_PIPE | IWB_CHILD_FLAGS_EVENTS_PIPE);
  g_autoptr(GError) error = NULL;
  g_autofree char *exe_link = NULL;
  g_autofree char *exe = NULL;
  g_autofree char *base = NULL;
  GPid pid;

  g_assert_true (iwb_child_spawn (child, &error));
  pid = iwb_child_get_pid (child);
  /* the supervisor itself and the program */
  wait_for_marked_processes (marker, 2);
  exe_link = g_strdup_printf ("/proc/%d/exe", (int) pid);
  exe = g_file_read_link (exe_link, NULL);
  g_assert_nonnull (exe);
  base = g_path_get_basename (exe);
  g_assert_cmpstr (base, ==, "iwb-reaper");
  for (int fd = 0; fd <= 2; fd++)
    {
      g_autofree char *link = g_strdup_printf ("/proc/%d/fd/%d", (int) pid, fd);
      g_autofree char *target = g_file_read_link (link, NULL);

      g_assert_cmpstr (target, ==, "/dev/null");
    }
  {
    g_autofree char *link = g_strdup_printf ("/proc/%d/fd/3", (int) pid);

    g_assert_false (g_file_test (link, G_FILE_TEST_EXISTS));
  }
  iwb_child_force_exit (child);
  g_assert_cmpuint (count_marked_processes (marker), ==, 0);
}

/* A cancel sends SIGTERM to the whole tree: the supervisor must not die of
 * it and take the program down early; the program's own exit status after
 * its clean-up comes through. */
static void
test_reaper_term_grace (void)
{
  g_autoptr(IwbChild) child =
    sh_child ("trap 'echo cleaned; exit 5' TERM; echo started; while :; do sleep 0.05; done",
              NULL, IWB_CHILD_FLAGS_NONE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 start;
  Collect c;

  collect_init (&c);
  iwb_child_set_line_func (child, on_line, &c);
  iwb_child_set_grace_ms (child, 5000);
  g_assert_true (iwb_child_spawn (child, &error));
  iwb_child_wait_async (child, cancellable, on_done, &c);
  while (c.lines[IWB_CHILD_STDOUT]->len == 0)
    g_main_context_iteration (NULL, TRUE);
  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  while (!c.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (iwb_child_get_outcome (child), ==, IWB_CHILD_OUTCOME_CANCELLED);
  g_assert_cmpint (iwb_child_get_exit_status (child), ==, 5);
  g_assert_cmpuint (c.lines[IWB_CHILD_STDOUT]->len, ==, 2);
  g_assert_cmpstr (c.lines[IWB_CHILD_STDOUT]->pdata[1], ==, "cleaned");
  /* answered by the program, not by the 5 s grace running out */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  collect_clear (&c);
}

/* A cancel's SIGTERM reaches each process of the tree once: the program
 * gets it by its group (the supervisor's) and not a second time by its
 * pid. Twice, a handler installed with SA_NODEFER ran again inside itself
 * (Python's faulthandler, chained to the default action, died in the
 * middle of its traceback: the load timeout's "It was at ..." was lost
 * under load), and programs take a second SIGTERM as "force quit". The
 * program blocks SIGTERM and takes each instance with sigtimedwait(), so
 * a second one sent after the first was taken is counted. */
static void
test_term_once (void)
{
  const char *script =
    "import signal, sys, time\n"
    "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})\n"
    "print('started', flush=True)\n"
    "n, end = 0, None\n"
    "while end is None or time.monotonic() < end:\n"
    "    if signal.sigtimedwait({signal.SIGTERM}, 0.02) is not None:\n"
    "        n += 1\n"
    "        end = end or time.monotonic() + 1.0\n"
    "print('terms %d' % n, flush=True)\n"
    "sys.exit(3)\n";
  const char *argv[] = { "python3", "-c", script, NULL };

  for (int round = 0; round < 5; round++)
    {
      g_autoptr(IwbChild) child = iwb_child_new (argv, NULL, NULL, IWB_CHILD_FLAGS_NONE);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      Collect c;

      collect_init (&c);
      iwb_child_set_line_func (child, on_line, &c);
      iwb_child_set_grace_ms (child, 10000);
      g_assert_true (iwb_child_spawn (child, &error));
      g_assert_no_error (error);
      iwb_child_wait_async (child, cancellable, on_done, &c);
      while (c.lines[IWB_CHILD_STDOUT]->len == 0 && !c.done)
        g_main_context_iteration (NULL, TRUE);
      g_cancellable_cancel (cancellable);
      while (!c.done)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (iwb_child_get_exit_status (child), ==, 3);
      g_assert_cmpuint (c.lines[IWB_CHILD_STDOUT]->len, ==, 2);
      g_assert_cmpstr (c.lines[IWB_CHILD_STDOUT]->pdata[1], ==, "terms 1");
      collect_clear (&c);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/child/tree/term-once", test_term_once);
  g_test_add_func ("/child/lines", test_lines);
  g_test_add_func ("/child/events-pipe", test_events_pipe);
  g_test_add_func ("/child/tree/timeout", test_timeout_tree);
  g_test_add_func ("/child/tree/cancel", test_cancel_tree);
  g_test_add_func ("/child/tree/exit-leaves-daemons", test_exit_leaves_daemons);
  g_test_add_func ("/child/tree/many-timeouts", test_many_timeouts);
  g_test_add_func ("/child/tree/kill-all", test_kill_all);
  g_test_add_func ("/child/tree/parallel-children", test_parallel_children);
  g_test_add_func ("/child/tree/force-exit", test_dispose_running);
  g_test_add_func ("/child/reaper/exit-status", test_reaper_exit_status);
  g_test_add_func ("/child/reaper/spawn-error", test_reaper_spawn_error);
  g_test_add_func ("/child/reaper/no-pipes", test_reaper_no_pipes);
  g_test_add_func ("/child/reaper/term-grace", test_reaper_term_grace);

  return g_test_run ();
}

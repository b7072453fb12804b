/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Second sweep of hostile children and hostile readers, through the built
 * `iwb` (hostile-fixtures/children):
 *
 * - a validator that ends in every odd way a child can: half a [result]
 *   line then a hang, stdout closed while it keeps running, its own process
 *   group (itself, or a grandchild holding the pipes), SIGSTOP to itself,
 *   SIGTERM or SIGKILL to its supervisor (with daemons started before),
 *   exec() of a program that hangs or of one that exits at once, a [result]
 *   line over the line limit (alone or before the SDK's), a raise in
 *   __del__ at exit, every fd closed. Each gets its exit status and a
 *   message that says what happened, and no process is left.
 * - the integration signals iwb itself (TERM, INT, HUP, QUIT, USR1, ALRM):
 *   ignored and said, the run goes on.
 * - a reader that goes away: `iwb run --format jsonl | head -1` on an
 *   action that never stops must end at once (iwb dies of SIGPIPE, as any
 *   filter does, the child tree ended first), not at its timeout; output to
 *   a full disk (/dev/full) is an error (exit 2, said on stderr), never a
 *   success with the output lost, for every command that prints.
 * - loading that hangs in the integration's imports: the timeout message
 *   names the file:line and the import that led there.
 * - --set of a select to a value that is none of its options: said.
 * - a relative $XDG_DATA_HOME / $XDG_CACHE_HOME: ignored as the XDG spec
 *   says, so nothing lands in the current folder or the integration's.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "iwb-core.h"
#include "test-iwb-util.h"
#include "test-process-util.h"

static char *
children (void)
{
  return g_test_build_filename (G_TEST_DIST, "hostile-fixtures", "children", NULL);
}

/* A launcher whose children get TMPDIR=@dir (the marker every process the
 * integration starts inherits) and a private XDG (no history of the
 * user's). */
static GSubprocessLauncher *
launcher_new (GSubprocessFlags  flags,
              const char       *dir)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_setenv (launcher, "TMPDIR", dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "NO_COLOR", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", dir, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, process_no_core_dump, NULL, NULL);
  return launcher;
}

static GSubprocess *
spawn (GSubprocessLauncher *launcher,
       const char * const  *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  g_ptr_array_add (argv, iwb_cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return proc;
}

typedef struct
{
  const char *mode;
  const char *timeout;   /* --timeout: short for the modes that hang */
  int         status;
  const char *says;      /* in the output */
} ChildCase;

static const ChildCase child_cases[] = {
  { "ok", "120", 0, "connection is valid" },
  { "partial_result_hang", "3", 3, "not valid JSON" },
  { "stdout_closed_hang", "3", 3, "Timed out after 3 s" },
  { "own_group_grandchild", "120", 0, "connection is valid" },
  { "own_group_hang", "3", 3, "Timed out after 3 s" },
  { "sigstop", "3", 3, "Timed out after 3 s" },
  /* the supervisor keeps its grace period: the validator goes on */
  { "term_parent", "120", 0, "connection is valid" },
  /* the supervisor killed: its child dies with it, daemons included */
  { "kill_parent", "120", 2, "Killed by signal 9" },
  { "exec_hang", "3", 3, "Timed out after 3 s" },
  { "exec_true", "120", 2, "without a result" },
  { "del_raises", "120", 0, "raised from __del__ at exit" },
  { "all_fds_closed", "120", 2, "without a result" },
  /* dropped unread: "longer than the line limit", not "not valid JSON" */
  { "overlong_result", "120", 0, "1 [result] line longer than the line limit" },
  { "overlong_only", "120", 2, "the only [result] lines were longer than the line limit" },
};

static void
test_child_endings (void)
{
  g_autofree char *folder = children ();

  for (guint i = 0; i < G_N_ELEMENTS (child_cases); i++)
    {
      const ChildCase *c = &child_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("iwb-children-XXXXXX", &error);
      g_autofree char *marker = g_strconcat ("TMPDIR=", dir, NULL);
      g_autofree char *set = g_strconcat ("MODE=", c->mode, NULL);
      const char *args[] = { "validate", folder, "--set", set, "--timeout", c->timeout,
                             "--no-history", NULL };
      g_autoptr(GSubprocessLauncher) launcher =
        launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, dir);
      g_autoptr(GSubprocess) proc = NULL;
      g_autofree char *out = NULL;

      g_assert_no_error (error);
      g_test_message ("mode %s", c->mode);
      proc = spawn (launcher, args);
      g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      g_test_message ("%s", out);
      g_assert_true (g_subprocess_get_if_exited (proc));
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, c->status);
      if (strstr (out, c->says) == NULL)
        g_error ("%s: “%s” not in the output", c->mode, c->says);
      g_assert_cmpuint (wait_for_no_marked_processes (marker), ==, 0);
      iwb_test_remove_tree (dir);
    }
}

/* `iwb run … --format jsonl | head -1`: the reader closes the pipe after
 * one line; iwb must end the run then and die of SIGPIPE. The run's
 * timeout (120 s) is far beyond the test's own: waiting for it would fail
 * the status checks (it ends with exit 3). */
static void
test_reader_gone (void)
{
  g_autofree char *folder = children ();
  const char *run[] = { "run", folder, "main.endless", "--format", "jsonl", "--timeout", "120", NULL };
  const char *history[] = { "history", "list", "--format", "jsonl", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("iwb-children-XXXXXX", &error);
  g_autofree char *marker = g_strconcat ("TMPDIR=", dir, NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, dir);
  g_autoptr(GSubprocess) proc = spawn (launcher, run);
  g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_autoptr(GSubprocess) list = NULL;
  g_autofree char *listed = NULL;
  gint64 closed;

  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "{\"event\":\"result\""));
  g_input_stream_close (G_INPUT_STREAM (out), NULL, NULL);
  g_input_stream_close (g_subprocess_get_stdout_pipe (proc), NULL, NULL);
  closed = g_get_monotonic_time ();
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("iwb ended %.1f s after the pipe closed",
                  (g_get_monotonic_time () - closed) / 1e6);
  g_assert_true (g_subprocess_get_if_signaled (proc));
  g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGPIPE);
  g_assert_cmpuint (wait_for_no_marked_processes (marker), ==, 0);

  /* The run is in the history as cancelled, and the history is readable. */
  list = spawn (launcher, history);
  g_subprocess_communicate_utf8 (list, NULL, NULL, &listed, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (list));
  g_assert_cmpint (g_subprocess_get_exit_status (list), ==, 0);
  g_assert_nonnull (strstr (listed, "\"status\":\"cancelled\""));
  iwb_test_remove_tree (dir);
}

/* Every command that prints, with stdout on a full disk: exit 2 and the
 * error on stderr, in a bounded time (the endless run included). */
static void
test_output_full (void)
{
  g_autofree char *folder = children ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("iwb-children-XXXXXX", &error);
  g_autofree char *a = g_build_filename (dir, "a.json", NULL);
  g_autofree char *b = g_build_filename (dir, "b.json", NULL);
  const char *run[] = { "run", folder, "main.endless", "--format", "jsonl", "--timeout", "120", NULL };
  const char *run_text[] = { "run", folder, "main.endless", "--timeout", "3", NULL };
  const char *validate[] = { "validate", folder, "--format", "json", NULL };
  const char *validate_text[] = { "validate", folder, NULL };
  const char *inspect[] = { "inspect", folder, "--format", "descriptor", NULL };
  const char *diff[] = { "diff", a, b, NULL };
  const char *history[] = { "history", "list", NULL };
  const char * const *cases[] = { run, run_text, validate, validate_text, inspect, diff, history };

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (a, "{\"a\": 1}", -1, NULL));
  g_assert_true (g_file_set_contents (b, "{\"a\": 2}", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GSubprocessLauncher) launcher =
        launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE, dir);
      g_autoptr(GSubprocess) proc = NULL;
      g_autofree char *err = NULL;

      g_test_message ("iwb %s %s > /dev/full", cases[i][0], cases[i][2] ? cases[i][2] : "");
      g_subprocess_launcher_set_stdout_file_path (launcher, "/dev/full");
      proc = spawn (launcher, cases[i]);
      g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
      g_assert_no_error (error);
      g_test_message ("%s", err);
      g_assert_true (g_subprocess_get_if_exited (proc));
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
      g_assert_nonnull (strstr (err, "could not write the output"));
    }
  iwb_test_remove_tree (dir);
}

/* A relative $XDG_DATA_HOME / $XDG_CACHE_HOME is invalid (XDG Base
 * Directory spec) and ignored: the history, the integration's files and
 * the bytecode go under $HOME, never under the current folder, and never
 * into the integration's own folder (the child runs there: a relative
 * INTEGRATIONS_FILES_PATH put the action's files beside its code). */
static void
test_relative_xdg (void)
{
  static const char *values[] = { "relxdg", "./rel/xdg", "../up", "~/not-expanded" };
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "run-fixtures", "misbehave",
                                                    "main.py", NULL);
  g_autofree char *code = NULL;

  g_assert_true (g_file_get_contents (fixture, &code, NULL, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("iwb-children-XXXXXX", &error);
      g_autofree char *cwd = g_build_filename (dir, "cwd", "deeper", NULL);
      g_autofree char *home = g_build_filename (dir, "home", NULL);
      g_autofree char *folder = g_build_filename (dir, "integration", NULL);
      g_autofree char *code_path = g_build_filename (folder, "main.py", NULL);
      g_autofree char *history = g_build_filename (home, ".local", "share", "integration-workbench",
                                                   "history.sqlite", NULL);
      g_autofree char *files = g_build_filename (home, ".local", "share", "integration-workbench",
                                                 "files", NULL);
      const char *args[] = { "run", folder, "main.write_file", "--format", "jsonl", NULL };
      g_autoptr(GSubprocessLauncher) launcher =
        launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, dir);
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GDir) listing = NULL;
      g_autofree char *out = NULL;
      const char *name;
      guint n = 0;

      g_assert_no_error (error);
      g_test_message ("XDG_DATA_HOME=XDG_CACHE_HOME=%s", values[i]);
      g_assert_cmpint (g_mkdir_with_parents (cwd, 0700), ==, 0);
      g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
      g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
      g_assert_true (g_file_set_contents (code_path, code, -1, NULL));
      g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", values[i], TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", values[i], TRUE);
      g_subprocess_launcher_set_cwd (launcher, cwd);
      proc = spawn (launcher, args);
      g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      g_test_message ("%s", out);
      g_assert_true (g_subprocess_get_if_exited (proc));
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
      g_assert_nonnull (strstr (out, files));
      g_assert_true (g_file_test (history, G_FILE_TEST_IS_REGULAR));
      /* nothing beside the code, nothing in the current folder */
      listing = g_dir_open (folder, 0, &error);
      g_assert_no_error (error);
      while ((name = g_dir_read_name (listing)) != NULL)
        {
          g_test_message ("in the integration's folder: %s", name);
          n++;
        }
      g_assert_cmpuint (n, ==, 1);
      g_clear_pointer (&listing, g_dir_close);
      listing = g_dir_open (cwd, 0, &error);
      g_assert_no_error (error);
      g_assert_null (g_dir_read_name (listing));
      iwb_test_remove_tree (dir);
    }
}

/* The integration signals the workbench (the parent of its supervisor)
 * with what would end it from outside: iwb ignores a signal from its own
 * descendants, says so on stderr, and the run ends normally (it used to
 * die of it, the run reported as cancelled by the user). */
static void
test_signal_from_child (void)
{
  const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGALRM };
  g_autofree char *folder = children ();

  for (guint i = 0; i < G_N_ELEMENTS (sigs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("iwb-children-XXXXXX", &error);
      g_autofree char *marker = g_strconcat ("TMPDIR=", dir, NULL);
      g_autofree char *set = g_strdup_printf ("SIGNO=%d", sigs[i]);
      g_autofree char *says = g_strdup_printf ("ignored signal %d", sigs[i]);
      const char *args[] = { "run", folder, "main.signal_workbench", "--set", set,
                             "--format", "jsonl", "--timeout", "120", NULL };
      g_autoptr(GSubprocessLauncher) launcher =
        launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, dir);
      g_autoptr(GSubprocess) proc = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_no_error (error);
      g_test_message ("signal %d", sigs[i]);
      proc = spawn (launcher, args);
      g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_test_message ("%s%s", out, err);
      g_assert_true (g_subprocess_get_if_exited (proc));
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
      g_assert_nonnull (strstr (out, "\"after\":\"the signal\""));
      g_assert_nonnull (strstr (err, says));
      g_assert_cmpuint (wait_for_no_marked_processes (marker), ==, 0);
      iwb_test_remove_tree (dir);
    }
}

/* Loading that hangs in the integration's import code: the timeout message
 * says where (file:line of the folder's code, and the import that led
 * there), from the stack the loader's bootstrap dumps on the timeout's
 * SIGTERM. It said only "Code that runs when the modules are imported
 * blocks". */
typedef struct
{
  const char *main_py;
  const char *helper_py;  /* nullable */
  const char *says;
} HangCase;

#define HEADER "\"\"\"\nname: Hangs\ndescription: at import\n\"\"\"\n"
#define ACTION "from lhub_integ import action\n\n\n@action(\"Act\")\ndef act(v):\n" \
               "    \"\"\"\n    :param v: a column\n    \"\"\"\n    return {}\n"

static const HangCase hang_cases[] = {
  { HEADER "import helper\n" ACTION,
    "import time\n\n\ndef _connect():\n    time.sleep(600)\n\n\n_connect()\n",
    "It was at helper.py:5 (in _connect), imported from main.py:5, when it was stopped." },
  { HEADER "import time\nwhile True:\n    time.sleep(0.01)\n" ACTION, NULL,
    "It was at main.py:7 when it was stopped." },
  { HEADER "import socket\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\ns.listen(1)\n"
    "c = socket.create_connection(s.getsockname())\nc.recv(1)\n" ACTION, NULL,
    "It was at main.py:10 when it was stopped." },
  { HEADER "from pkg import sub\n" ACTION, NULL,
    "It was at pkg/sub.py:2, imported from main.py:5, when it was stopped." },
};

static void
test_load_hangs (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hang_cases); i++)
    {
      const HangCase *c = &hang_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("iwb-children-XXXXXX", &error);
      g_autofree char *folder = g_build_filename (dir, "hangs", NULL);
      g_autofree char *marker = g_strconcat ("TMPDIR=", dir, NULL);
      const char *args[] = { "inspect", folder, "--load-timeout", "10", NULL };
      g_autoptr(GSubprocessLauncher) launcher =
        launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, dir);
      g_autoptr(GSubprocess) proc = NULL;
      g_autofree char *err = NULL;

      g_assert_no_error (error);
      g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
      iwb_test_write_file (folder, "main.py", c->main_py);
      if (c->helper_py != NULL)
        iwb_test_write_file (folder, "helper.py", c->helper_py);
      if (strstr (c->main_py, "from pkg") != NULL)
        {
          g_autofree char *pkg = g_build_filename (folder, "pkg", NULL);

          g_assert_cmpint (g_mkdir_with_parents (pkg, 0700), ==, 0);
          iwb_test_write_file (pkg, "__init__.py", "");
          iwb_test_write_file (pkg, "sub.py", "import time\ntime.sleep(600)\n");
        }
      proc = spawn (launcher, args);
      g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
      g_assert_no_error (error);
      g_test_message ("%s", err);
      g_assert_true (g_subprocess_get_if_exited (proc));
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
      g_assert_nonnull (strstr (err, "loading timed out"));
      if (strstr (err, c->says) == NULL)
        g_error ("“%s” not in the message:\n%s", c->says, err);
      g_assert_cmpuint (wait_for_no_marked_processes (marker), ==, 0);
      iwb_test_remove_tree (dir);
    }
}

/* --set of a select to a value none of its options has: the SDK takes it
 * (and so does iwb: a validator may change the options), but it is said on
 * stderr, naming the input and its options; a listed value, an empty one
 * and a ${NAME} reference are not warned about. */
static void
test_select_not_an_option (void)
{
  static const struct { const char *value; gboolean warned; } cases[] = {
    { "zz", TRUE }, { "A", TRUE }, { "a ", TRUE }, { "a", FALSE }, { "b", FALSE }, { "", FALSE },
    { "${CHANNEL_FROM_ENV}", FALSE },
  };
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "run-fixtures", "overrides", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("iwb-children-XXXXXX", &error);
      g_autofree char *set = g_strconcat ("CHANNEL=", cases[i].value, NULL);
      const char *args[] = { "validate", folder, "--action", "main.post", "--set", set,
                             "--no-history", NULL };
      g_autoptr(GSubprocessLauncher) launcher =
        launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, dir);
      g_autoptr(GSubprocess) proc = NULL;
      g_autofree char *err = NULL;

      g_assert_no_error (error);
      g_test_message ("CHANNEL=%s", cases[i].value);
      g_subprocess_launcher_setenv (launcher, "CHANNEL_FROM_ENV", "a", TRUE);
      proc = spawn (launcher, args);
      g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
      g_assert_no_error (error);
      g_test_message ("%s", err);
      g_assert_true (g_subprocess_get_if_exited (proc));
      if (cases[i].warned)
        {
          g_autofree char *says = g_strdup_printf ("--set CHANNEL: “%s” is not one of its options (a, b)",
                                                   cases[i].value);

          g_assert_nonnull (strstr (err, says));
        }
      else
        g_assert_null (strstr (err, "not one of its options"));
      iwb_test_remove_tree (dir);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hostile/children/endings", test_child_endings);
  g_test_add_func ("/hostile/children/reader-gone", test_reader_gone);
  g_test_add_func ("/hostile/children/output-full", test_output_full);
  g_test_add_func ("/hostile/children/signal-from-child", test_signal_from_child);
  g_test_add_func ("/hostile/stores/relative-xdg", test_relative_xdg);
  g_test_add_func ("/hostile/children/load-hangs", test_load_hangs);
  g_test_add_func ("/hostile/cli/select-not-an-option", test_select_not_an_option);
  return g_test_run ();
}

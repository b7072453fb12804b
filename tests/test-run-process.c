/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRun: the child process: prestart (gated), timeout, cancel, forked children, floods, non-UTF-8, stdin, files folders, spilled rows, exit codes, dispose while running.
 * Real python3 children running the bundled SDK's shims on the fixtures in
 * tests/run-fixtures, against the demo service over real HTTP on 127.0.0.1
 * (helpers: test-run-util.h).
 */
#include "config.h"

#include <sys/stat.h>

#include "test-run-util.h"

/* A [result] line longer than the line limit cannot be parsed: it is
 * dropped with a warning that says so, and counted as truncated. */
static void
test_result_over_line_limit (void)
{
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_EXECUTE, "main.echo");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *big = g_strnfill (2000, 'b');
  IwbRunEvent *w;

  g_ptr_array_add (rows, row_new ("value", big));
  g_ptr_array_add (rows, row_new ("value", "small"));
  set_basic_connection (run);
  iwb_run_set_rows (run, rows);
  iwb_run_set_line_limit (run, 1000);
  events = run_ok (run);
  g_assert_cmpuint (count_kind (events, IWB_RUN_EVENT_RESULT), ==, 1);
  g_assert_cmpstr (payload_string (nth_kind (events, IWB_RUN_EVENT_RESULT, 0), "value"), ==, "small");
  w = nth_kind (events, IWB_RUN_EVENT_WARNING, 0);
  g_assert_nonnull (w);
  g_assert_nonnull (strstr (iwb_run_event_get_text (w), "longer than the line limit (1000 bytes)"));
  /* the log line "echo of bbbb…" was cut too, with a marker */
  g_assert_cmpuint (iwb_run_get_counts (run)->truncated_lines, ==, 2);
  g_assert_true (log_contains (events, "stdout", "more bytes]"));
}

static void
test_timeout (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.sleep_forever");
  g_autoptr(GPtrArray) events = NULL;
  IwbRunEvent *fin;

  /* long enough for Python to start and print on a busy machine */
  iwb_run_set_timeout (run, 4);
  events = run_ok (run);
  fin = last_event (events);
  g_assert_cmpint (iwb_run_event_get_status (fin), ==, IWB_RUN_STATUS_TIMED_OUT);
  g_assert_cmpint (iwb_run_event_get_exit_code (fin), ==, -1);
  g_assert_nonnull (strstr (iwb_run_event_get_exit_meaning (fin), "Timed out after 4 s"));
  /* what arrived before the kill is kept */
  g_assert_cmpstr (payload_string (nth_kind (events, IWB_RUN_EVENT_RESULT, 0), "before"), ==, "the hang");
  g_assert_true (log_contains (events, "stdout", "going to sleep"));
  g_assert_cmpuint (iwb_run_get_results (run)->len, ==, 1);
  g_assert_cmpint (iwb_run_event_get_duration_us (fin), <, 30 * G_USEC_PER_SEC);
}

static void
test_cancel (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.sleep_forever");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) events = NULL;
  gboolean ok = FALSE;
  IwbRunEvent *fin;

  events = run_collect (run, cancellable, "going to sleep", &ok, NULL);
  g_assert_true (ok);
  fin = last_event (events);
  g_assert_cmpint (iwb_run_event_get_status (fin), ==, IWB_RUN_STATUS_CANCELLED);
  g_assert_nonnull (strstr (iwb_run_event_get_exit_meaning (fin), "Cancelled"));
  g_assert_nonnull (nth_kind (events, IWB_RUN_EVENT_RESULT, 0));
}

static gint64
grandchild_pid (GPtrArray *events)
{
  IwbRunEvent *e = nth_kind (events, IWB_RUN_EVENT_RESULT, 0);

  g_assert_nonnull (e);
  return json_object_get_int_member (json_node_get_object (iwb_run_event_get_payload (e)), "grandchild");
}

static void
test_fork_cancel (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.fork_and_hang");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) events = NULL;
  GPid pid;

  events = run_collect (run, cancellable, "grandchild", NULL, NULL);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_CANCELLED);
  pid = (GPid) grandchild_pid (events);
  assert_process_goes_away (pid);
}

static void
test_fork_leave (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.fork_and_leave");
  g_autoptr(GPtrArray) events = NULL;
  GPid pid;

  /* The grandchild keeps stdout open: the run must still end when the
   * action's process exits, and take the grandchild with it. */
  events = run_ok (run);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_SUCCEEDED);
  g_assert_cmpint (iwb_run_event_get_duration_us (last_event (events)), <, 30 * G_USEC_PER_SEC);
  pid = (GPid) grandchild_pid (events);
  assert_process_goes_away (pid);
}

static void
test_flood_line (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.flood_line");
  g_autoptr(GPtrArray) events = NULL;
  const IwbRunCounts *counts;
  IwbRunEvent *log;

  iwb_run_set_value (run, "SIZE", "100");   /* one 100 MiB line */
  events = run_ok (run);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_SUCCEEDED);
  counts = iwb_run_get_counts (run);
  g_assert_cmpuint (counts->truncated_lines, ==, 1);
  g_assert_cmpuint (counts->truncated_bytes, ==, 100 * 1024 * 1024 - IWB_RUN_DEFAULT_LINE_LIMIT);
  log = nth_kind (events, IWB_RUN_EVENT_LOG, 0);
  g_assert_true (iwb_run_event_get_truncated (log));
  g_assert_cmpuint (strlen (iwb_run_event_get_text (log)), <, IWB_RUN_DEFAULT_LINE_LIMIT + 100);
  g_assert_nonnull (strstr (iwb_run_event_get_text (log), "truncated"));
  g_assert_cmpstr (payload_string (nth_kind (events, IWB_RUN_EVENT_RESULT, 0), "after"), ==, "flood");
}

static void
test_flood_lines (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.flood_lines");
  g_autoptr(GPtrArray) events = NULL;

  iwb_run_set_value (run, "SIZE", "500000");   /* 50 MB in 100-byte lines */
  events = run_ok (run);
  g_assert_cmpuint (iwb_run_get_counts (run)->log_lines, ==, 500000);
  g_assert_cmpuint (iwb_run_get_counts (run)->truncated_lines, ==, 0);
  g_assert_cmpuint (count_kind (events, IWB_RUN_EVENT_RESULT), ==, 1);
}

static void
test_non_utf8 (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.garbled");
  g_autoptr(GPtrArray) events = NULL;

  events = run_ok (run);
  g_assert_cmpuint (count_kind (events, IWB_RUN_EVENT_LOG), ==, 2);
  for (guint i = 0; i < events->len; i++)
    if (iwb_run_event_get_kind (events->pdata[i]) == IWB_RUN_EVENT_LOG)
      g_assert_true (g_utf8_validate (iwb_run_event_get_text (events->pdata[i]), -1, NULL));
  g_assert_true (log_contains (events, "stdout", "caf\xef\xbf\xbd latin-1"));
  g_assert_true (log_contains (events, "stderr", "nul\xef\xbf\xbd" "byte"));
  g_assert_cmpstr (payload_string (nth_kind (events, IWB_RUN_EVENT_RESULT, 0), "ok"), ==, "after garbage");
}

static void
test_stdin_closed (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.close_stdin");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *big = g_strnfill (1000, 'r');

  /* 20 MB of rows: far more than a pipe buffer */
  for (guint i = 0; i < 20000; i++)
    g_ptr_array_add (rows, row_new ("payload", big));
  iwb_run_set_rows (run, rows);
  events = run_ok (run);
  g_assert_cmpint (iwb_run_get_exit_code (run), ==, 0);
  g_assert_cmpuint (iwb_run_get_counts (run)->rows_in, <, 20000);
  g_assert_nonnull (nth_kind (events, IWB_RUN_EVENT_WARNING, 0));
  g_assert_nonnull (strstr (iwb_run_event_get_text (nth_kind (events, IWB_RUN_EVENT_WARNING, 0)),
                            "stopped reading its input"));
  g_assert_true (json_object_get_boolean_member (single_result_object (events), "closed"));
}

static void
test_files (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.write_file");
  g_autoptr(GPtrArray) events = NULL;
  IwbRunEvent *f;
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;

  events = run_ok (run);
  f = nth_kind (events, IWB_RUN_EVENT_FILE, 0);
  g_assert_nonnull (f);
  g_assert_cmpuint (count_kind (events, IWB_RUN_EVENT_FILE), ==, 1);
  g_assert_true (g_str_has_prefix (iwb_run_event_get_text (f), iwb_run_get_files_dir (run)));
  expected = g_build_filename (iwb_run_get_files_dir (run),
                               payload_string (nth_kind (events, IWB_RUN_EVENT_RESULT, 0), "lhub_file_id"),
                               NULL);
  g_assert_cmpstr (iwb_run_event_get_text (f), ==, expected);
  g_assert_true (g_file_get_contents (expected, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "hello from the fixture\n");
  g_assert_cmpuint (iwb_run_get_files (run)->len, ==, 1);
  g_assert_cmpuint (iwb_run_get_counts (run)->files, ==, 1);
}

static void
test_spill (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.many_results");
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *run_dir = g_build_filename (test_run_files_root (), "run-dir", NULL);
  g_autofree char *contents = NULL;
  const IwbRunCounts *counts;
  guint lines = 0;

  iwb_run_set_value (run, "SIZE", "2000");
  iwb_run_set_result_memory_limit (run, 100 * 1024);
  iwb_run_set_run_dir (run, run_dir);
  events = run_ok (run);
  counts = iwb_run_get_counts (run);
  g_assert_cmpuint (counts->results, ==, 2000);
  g_assert_cmpuint (iwb_run_get_results (run)->len, <, 2000);
  g_assert_cmpuint (iwb_run_get_results (run)->len, >, 0);
  g_assert_cmpuint (iwb_run_get_results (run)->len + counts->spilled_results, ==, 2000);
  g_assert_nonnull (iwb_run_get_spill_path (run));
  g_assert_true (g_str_has_prefix (iwb_run_get_spill_path (run), run_dir));
  g_assert_true (g_file_get_contents (iwb_run_get_spill_path (run), &contents, NULL, NULL));
  for (const char *p = contents; *p; p++)
    if (*p == '\n')
      lines++;
  g_assert_cmpuint (lines, ==, counts->spilled_results);
  g_assert_nonnull (strstr (contents, "\"i\":1999"));
  g_assert_cmpuint (count_kind (events, IWB_RUN_EVENT_RESULT), ==, 2000);
}

/* Spilled rows go with their run; what dead processes left is pruned to a
 * cap, newest first, and live processes' folders are left alone. */
static void
test_spill_cleanup (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.many_results");
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *spill = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *root = g_build_filename (g_get_user_cache_dir (), "integration-workbench",
                                            "runs", NULL);
  const char *leaves[] = { "20200101-000001-2147483600-00000001", "20200101-000002-2147483601-00000002",
                           "20200101-000003-2147483602-00000003", NULL };
  g_autofree char *live = g_strdup_printf ("20200101-000004-%d-00000004", (int) getpid ());

  iwb_run_set_value (run, "SIZE", "500");
  iwb_run_set_result_memory_limit (run, 10 * 1024);
  events = run_ok (run);
  spill = g_strdup (iwb_run_get_spill_path (run));
  g_assert_nonnull (spill);
  g_assert_true (g_str_has_prefix (spill, root));
  g_assert_true (g_file_test (spill, G_FILE_TEST_EXISTS));
  dir = g_path_get_dirname (spill);
  g_clear_pointer (&events, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&run));
  g_assert_false (g_file_test (spill, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  /* three folders of dead processes (600 bytes each, oldest first) and one of ours */
  for (guint i = 0; i <= 3; i++)
    {
      g_autofree char *d = g_build_filename (root, leaves[i] ? leaves[i] : live, NULL);
      g_autofree char *f = g_build_filename (d, "results.jsonl", NULL);
      g_autofree char *text = g_strnfill (600, 'r');
      struct utimbuf times = { 1000000 + i * 100, 1000000 + i * 100 };

      g_assert_cmpint (g_mkdir_with_parents (d, 0700), ==, 0);
      g_assert_true (g_file_set_contents (f, text, -1, NULL));
      g_assert_cmpint (utime (d, &times), ==, 0);
      if (leaves[i] == NULL)
        break;
    }
  _iwb_run_prune_spills (root, 1000);
  for (guint i = 0; i <= 3; i++)
    {
      g_autofree char *d = g_build_filename (root, leaves[i] ? leaves[i] : live, NULL);

      /* the newest dead one fits the cap; ours is alive */
      g_assert_cmpint (g_file_test (d, G_FILE_TEST_IS_DIR), ==, i >= 2);
      if (leaves[i] == NULL)
        break;
    }
}

static void
test_exit_codes (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.exit_three");
  g_autoptr(IwbRun) run2 = make_run ("misbehave", IWB_RUN_EXECUTE, "main.crash");
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) events2 = NULL;
  IwbRunEvent *fin;

  events = run_ok (run);
  fin = last_event (events);
  g_assert_cmpint (iwb_run_event_get_exit_code (fin), ==, 3);
  g_assert_cmpint (iwb_run_event_get_status (fin), ==, IWB_RUN_STATUS_FAILED);
  /* the meaning names the code the child exited with */
  g_assert_true (g_str_has_prefix (iwb_run_event_get_exit_meaning (fin),
                                   "Exit 3: unexpected exit code"));
  g_assert_true (log_contains (events, "stderr", "leaving with 3"));

  events2 = run_ok (run2);
  fin = last_event (events2);
  g_assert_cmpint (iwb_run_event_get_status (fin), ==, IWB_RUN_STATUS_FAILED);
  g_assert_nonnull (strstr (iwb_run_event_get_exit_meaning (fin), "signal 9"));
}

static void
test_dispose_while_running (void)
{
  IwbRun *run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.fork_and_hang");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Collect c = { g_ptr_array_new_with_free_func (g_object_unref), FALSE, FALSE, NULL, NULL, NULL };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gulong handler = g_signal_connect (run, "event", G_CALLBACK (run_collect_on_event), &c);
  GPid pid = 0;

  iwb_run_start_async (run, cancellable, run_collect_on_done, &c);
  while (count_kind (c.events, IWB_RUN_EVENT_RESULT) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  pid = (GPid) grandchild_pid (c.events);
  /* the app cancels and drops the run at once (window closed) */
  g_cancellable_cancel (cancellable);
  while (!c.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (c.done);
  g_signal_handler_disconnect (run, handler);
  g_assert_finalize_object (run);
  assert_process_goes_away (pid);
  g_ptr_array_unref (c.events);
}

/* ---- iwb_run_prestart(): a gated child, started while the rows are read ---- */

/* Spins the main context for @ms milliseconds: the gated child loads, and a
 * timeout armed at its spawn would fire. */
static void
spin_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

/* The basic fixture in a folder of its own whose main.py, when imported,
 * leaves a file "imported" in its files folder, and a run of it with two
 * rows; the folder goes with the fixture. */
typedef struct
{
  char      *dir;
  char      *files_dir;
  char      *marker;
  IwbPython *python;
  IwbRun    *run;
} Marking;

static void
marking_setup (Marking       *m,
               gconstpointer  data)
{
  g_autofree char *src_path = g_build_filename (g_file_peek_path (fixture_folder ("basic")), "main.py",
                                                NULL);
  g_autofree char *text = NULL;
  g_autofree char *marked = NULL;
  g_autofree char *dest = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  m->dir = g_dir_make_tmp ("iwb-prestart-XXXXXX", NULL);
  g_assert_nonnull (m->dir);
  dest = g_build_filename (m->dir, "main.py", NULL);
  g_assert_true (g_file_get_contents (src_path, &text, NULL, NULL));
  marked = g_strconcat (text, "\nopen(os.path.join(os.environ['INTEGRATIONS_FILES_PATH'], 'imported'), "
                        "'w').close()\n", NULL);
  g_assert_true (g_file_set_contents (dest, marked, -1, NULL));
  m->files_dir = g_build_filename (m->dir, "files", NULL);
  g_assert_cmpint (g_mkdir_with_parents (m->files_dir, 0700), ==, 0);
  m->marker = g_build_filename (m->files_dir, "imported", NULL);

  m->python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  folder = g_file_new_for_path (m->dir);
  m->run = iwb_run_new (m->python, folder, fixture_descriptor ("basic"), IWB_RUN_EXECUTE, "main.echo");
  iwb_run_set_files_dir (m->run, m->files_dir);
  set_basic_connection (m->run);
  g_ptr_array_add (rows, row_new ("value", "one"));
  g_ptr_array_add (rows, row_new ("value", "two"));
  iwb_run_set_rows (m->run, rows);
}

static void
marking_teardown (Marking       *m,
                  gconstpointer  data)
{
  g_clear_object (&m->run);
  g_clear_object (&m->python);
  iwb_test_remove_tree (m->dir);
  g_free (m->dir);
  g_free (m->files_dir);
  g_free (m->marker);
}

/* Prestarted, then started: the same run as without; the timeout counts
 * from the start, not from the spawn; and the integration was imported only
 * after the start. */
static void
test_prestart_go (Marking       *m,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) events = NULL;

  iwb_run_set_timeout (m->run, 3);
  g_assert_true (iwb_run_prestart (m->run));
  g_assert_false (iwb_run_prestart (m->run)); /* once */
  spin_ms (4000);
  g_assert_false (g_file_test (m->marker, G_FILE_TEST_EXISTS));
  events = run_ok (m->run);
  g_assert_cmpint (iwb_run_get_status (m->run), ==, IWB_RUN_STATUS_SUCCEEDED);
  g_assert_cmpuint (count_kind (events, IWB_RUN_EVENT_RESULT), ==, 2);
  g_assert_cmpstr (payload_string (nth_kind (events, IWB_RUN_EVENT_RESULT, 1), "value"), ==, "two");
  g_assert_true (g_file_test (m->marker, G_FILE_TEST_EXISTS));
}

/* Prestarted and dropped (the rows were broken, the user pressed Ctrl+C):
 * the child goes, and nothing of the integration ran. */
static void
test_prestart_drop (Marking       *m,
                    gconstpointer  data)
{
  IwbRun *run = g_steal_pointer (&m->run);
  GPid pid;

  g_assert_true (iwb_run_prestart (run));
  pid = iwb_child_get_pid (run->child);
  g_assert_cmpint (pid, >, 0);
  spin_ms (1500);
  g_assert_cmpint (kill (pid, 0), ==, 0); /* it waits */
  g_assert_finalize_object (run);
  assert_process_goes_away (pid);
  g_assert_false (g_file_test (m->marker, G_FILE_TEST_EXISTS));
}

/* What the interpreter says before the start (here: a wrapper's line on
 * stderr, as Python's own warnings would be) is not lost: it is reported
 * once the run starts, before the results. Only the capture host knows the
 * gate: without it there is no prestart. */
static void
test_prestart_early_lines (void)
{
  g_autofree char *dir = g_dir_make_tmp ("iwb-prestart-py-XXXXXX", NULL);
  g_autofree char *wrapper = g_build_filename (dir, "python3", NULL);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\necho 'said before the gate' >&2\nexec %s \"$@\"\n",
                                             g_getenv ("IWB_PYTHON") ? g_getenv ("IWB_PYTHON") : "python3");
  g_autoptr(IwbPython) python = NULL;
  g_autoptr(IwbRun) run = NULL;
  g_autoptr(IwbRun) plain = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) no_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  g_assert_true (g_file_set_contents (wrapper, script, -1, NULL));
  g_assert_cmpint (chmod (wrapper, 0755), ==, 0);
  python = iwb_python_new (wrapper, IWB_SDK_BUNDLED);
  run = iwb_run_new (python, fixture_folder ("basic"), fixture_descriptor ("basic"), IWB_RUN_EXECUTE,
                     "main.echo");
  set_basic_connection (run);
  iwb_run_set_rows (run, no_rows);
  g_assert_true (iwb_run_prestart (run));
  spin_ms (1000);
  events = run_ok (run);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_SUCCEEDED);
  g_assert_true (log_contains (events, "stderr", "said before the gate"));

  plain = make_run ("basic", IWB_RUN_EXECUTE, "main.echo");
  iwb_run_set_capture (plain, FALSE);
  g_assert_false (iwb_run_prestart (plain));
  iwb_test_remove_tree (dir);
}

static void
add_tests (void)
{
  g_test_add_func ("/run/timeout", test_timeout);
  g_test_add_func ("/run/cancel", test_cancel);
  g_test_add_func ("/run/fork/cancel", test_fork_cancel);
  g_test_add_func ("/run/fork/leave", test_fork_leave);
  g_test_add_func ("/run/fork/dispose", test_dispose_while_running);
  g_test_add_func ("/run/flood/line", test_flood_line);
  g_test_add_func ("/run/flood/result-over-limit", test_result_over_line_limit);
  g_test_add_func ("/run/flood/lines", test_flood_lines);
  g_test_add_func ("/run/non-utf8", test_non_utf8);
  g_test_add_func ("/run/stdin-closed", test_stdin_closed);
  g_test_add_func ("/run/files", test_files);
  g_test_add_func ("/run/spill", test_spill);
  g_test_add_func ("/run/spill/cleanup", test_spill_cleanup);
  g_test_add_func ("/run/exit-codes", test_exit_codes);
  g_test_add ("/run/prestart/go", Marking, NULL, marking_setup, test_prestart_go, marking_teardown);
  g_test_add ("/run/prestart/drop", Marking, NULL, marking_setup, test_prestart_drop, marking_teardown);
  g_test_add_func ("/run/prestart/early-lines", test_prestart_early_lines);
}

int
main (int    argc,
      char **argv)
{
  return test_run_main (argc, argv, add_tests);
}

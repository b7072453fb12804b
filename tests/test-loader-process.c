/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbLoader with children that hang, flood or fork: a timeout or a cancel
 * ends the whole process group, nothing is left behind, memory stays bounded
 * (fixtures in tests/fixtures, helpers in test-loader-util.h). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "iwb-core.h"
#include "test-loader-util.h"
#include "test-process-util.h"

/* ---- hang, cancel: the whole process group goes, nothing is left behind ---- */

static void
assert_no_children (void)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task/%d/children", (int) getpid (), (int) getpid ());
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return; /* kernel without CONFIG_PROC_CHILDREN */
  g_assert_cmpstr (g_strstrip (contents), ==, "");
}

static GPid
wait_for_grandchild (const char *pid_file,
                     guint       seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  g_autofree char *contents = NULL;

  while (g_get_monotonic_time () < deadline)
    {
      if (g_file_get_contents (pid_file, &contents, NULL, NULL) && contents[0] != '\0')
        return (GPid) g_ascii_strtoll (contents, NULL, 10);
      g_clear_pointer (&contents, g_free);
      iterate_once ();
    }
  g_error ("the fixture did not write %s", pid_file);
}

static void
assert_eventually_gone (GPid pid)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!process_gone (pid) && g_get_monotonic_time () < deadline)
    iterate_once ();
  g_assert_true (process_gone (pid));
}

/* TMPDIR of the children (iwb_python_build_environ() passes it on): the hang
 * fixture writes its grandchild's pid there. Set in main(), before any
 * thread exists. */

static char *
grandchild_pid_file (void)
{
  char *pid_file = g_build_filename (test_tmpdir, "iwb-fixture-grandchild.pid", NULL);

  g_unlink (pid_file);
  return pid_file;
}

static void
test_hang_times_out (void)
{
  g_autofree char *pid_file = grandchild_pid_file ();
  g_autoptr(IwbLoader) loader = new_loader (5);
  g_autofree char *path = fixture ("broken-hang");
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;
  GPid grandchild;

  integration = load_path (loader, path, NULL, &error);
  elapsed = g_get_monotonic_time () - start;

  g_assert_null (integration);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "within 5 s"));
  g_assert_cmpint (elapsed, >=, 5 * G_USEC_PER_SEC - G_USEC_PER_SEC / 10);
  g_assert_cmpint (elapsed, <, 30 * G_USEC_PER_SEC);

  grandchild = wait_for_grandchild (pid_file, 1);
  assert_eventually_gone (grandchild);
  assert_no_children ();
  g_unlink (pid_file);
}

static void
test_cancel (void)
{
  g_autofree char *pid_file = grandchild_pid_file ();
  g_autoptr(IwbLoader) loader = new_loader (60);
  g_autofree char *path = fixture ("broken-hang");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  LoadResult result = { FALSE, NULL, NULL };
  GPid grandchild;

  iwb_loader_load_async (loader, folder, cancellable, load_cb, &result);
  grandchild = wait_for_grandchild (pid_file, 30);
  g_assert_false (result.done);
  g_cancellable_cancel (cancellable);
  iterate_until (&result.done, 10);

  g_assert_null (result.integration);
  g_assert_error (result.error, IWB_ERROR, IWB_ERROR_CANCELLED);
  g_clear_error (&result.error);
  assert_eventually_gone (grandchild);
  assert_no_children ();
  g_unlink (pid_file);
}

/* What the app does when it quits: every process group a child was started
 * in dies, the one a load that nobody cancels runs in included. */
static void
test_kill_all_process_groups (void)
{
  g_autofree char *pid_file = grandchild_pid_file ();
  g_autoptr(IwbLoader) loader = new_loader (60);
  g_autofree char *path = fixture ("broken-hang");
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  LoadResult result = { FALSE, NULL, NULL };
  GPid grandchild;

  iwb_loader_load_async (loader, folder, NULL, load_cb, &result);
  grandchild = wait_for_grandchild (pid_file, 30);
  g_assert_false (result.done);
  iwb_kill_all_process_groups ();
  assert_eventually_gone (grandchild);
  iterate_until (&result.done, 10);
  g_assert_null (result.integration);
  g_assert_nonnull (result.error); /* killed by signal 9 */
  g_clear_error (&result.error);
  assert_no_children ();
  g_unlink (pid_file);
}

static void
test_cancelled_before (void)
{
  g_autoptr(IwbLoader) loader = new_loader (0);
  g_autofree char *path = fixture ("good-minimal");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbIntegration) integration = NULL;

  g_cancellable_cancel (cancellable);
  integration = load_path (loader, path, cancellable, &error);
  g_assert_null (integration);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_CANCELLED);
}

static gsize
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return (gsize) g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10);
}

/* 128 MiB on stdout (half of it one line) and 64 MiB on stderr: loads, and
 * the capture stays bounded. */
static void
test_flood (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  gsize before = peak_rss_kib ();
  gsize after;

  integration = load_fixture ("flood", &error);
  after = peak_rss_kib ();

  g_assert_no_error (error);
  g_assert_nonnull (iwb_integration_find_action (integration, "main.survived"));
  g_test_message ("peak RSS grew by %zu KiB", after - before);
  g_assert_cmpuint (after - before, <, 80 * 1024);
}

/* Two loads at once from one loader, and the same folder twice in a row. */
static void
test_concurrent (void)
{
  g_autoptr(IwbLoader) loader = new_loader (0);
  g_autofree char *a_path = fixture ("good-full");
  g_autofree char *b_path = fixture ("lint");
  g_autoptr(GFile) a = g_file_new_for_path (a_path);
  g_autoptr(GFile) b = g_file_new_for_path (b_path);
  LoadResult ra = { FALSE, NULL, NULL };
  LoadResult rb = { FALSE, NULL, NULL };

  iwb_loader_load_async (loader, a, NULL, load_cb, &ra);
  iwb_loader_load_async (loader, b, NULL, load_cb, &rb);
  iterate_until (&ra.done, 60);
  iterate_until (&rb.done, 60);
  g_assert_no_error (ra.error);
  g_assert_no_error (rb.error);
  g_assert_cmpstr (iwb_integration_get_name (ra.integration), ==, "Full Fixture");
  g_assert_cmpuint (iwb_integration_get_warnings (rb.integration)->len, ==, 8);
  g_clear_object (&ra.integration);
  g_clear_object (&rb.integration);
  assert_no_children ();
}

static void
add_tests (void)
{
  g_test_add_func ("/loader/hang-times-out", test_hang_times_out);
  g_test_add_func ("/loader/cancel", test_cancel);
  g_test_add_func ("/loader/kill-all-process-groups", test_kill_all_process_groups);
  g_test_add_func ("/loader/cancelled-before", test_cancelled_before);
  g_test_add_func ("/loader/flood", test_flood);
  g_test_add_func ("/loader/concurrent", test_concurrent);
}

int
main (int    argc,
      char **argv)
{
  return loader_test_main (argc, argv, add_tests);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `iwb run --input` with inputs that are not a rows file: a device without
 * lines (/dev/zero), a huge line, a folder, a closed stdin, a FIFO nothing
 * is written to. Each gets a clear error that names the source, or (the
 * FIFO) a notice and a clean stop on Ctrl+C; never an exhausted memory or a
 * hang without recourse.
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "iwb-core.h"
#include "test-iwb-util.h"

static char *tmpdir;

static char *
basic (void)
{
  return g_test_build_filename (G_TEST_DIST, "run-fixtures", "basic", NULL);
}

static void
test_device (void)
{
  g_autofree char *folder = basic ();
  g_auto(IwbCliResult) r = { 0 };

  iwb_cli_run (&r, NULL, NULL, "run", folder, "main.echo", "--input", "/dev/zero", NULL);
  g_assert_cmpint (r.status, ==, 64);
  g_assert_nonnull (strstr (r.err, "/dev/zero:1: a line longer than 16 MiB"));
}

static void
test_huge_line (void)
{
  g_autofree char *folder = basic ();
  g_autofree char *path = g_build_filename (tmpdir, "huge.jsonl", NULL);
  g_autoptr(GString) text = g_string_new ("{\"value\": \"a\"}\n{\"value\": \"");
  g_auto(IwbCliResult) r = { 0 };

  for (guint i = 0; i < 17 * 1024; i++)
    g_string_append (text, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                           "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (text, "\"}\n");
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  iwb_cli_run (&r, NULL, NULL, "run", folder, "main.echo", "--input", path, NULL);
  g_assert_cmpint (r.status, ==, 64);
  g_assert_nonnull (strstr (r.err, "huge.jsonl:2: a line longer than 16 MiB"));
  g_unlink (path);
}

static void
test_folder (void)
{
  g_autofree char *folder = basic ();
  g_auto(IwbCliResult) r = { 0 };

  iwb_cli_run (&r, NULL, NULL, "run", folder, "main.echo", "--input", tmpdir, NULL);
  g_assert_cmpint (r.status, ==, 64);
  g_assert_nonnull (strstr (r.err, "is a folder"));
  g_assert_nonnull (strstr (r.err, tmpdir));
}

static void
test_closed_stdin (void)
{
  g_autofree char *folder = basic ();
  g_autofree char *iwb = iwb_cli_path ();
  g_autofree char *script = g_strdup_printf ("exec <&-; exec '%s' run '%s' main.echo --input -",
                                             iwb, folder);
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("%s%s", out, err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 64);
  g_assert_nonnull (strstr (err, "stdin is closed"));
}

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  char **line = user_data;
  g_autoptr(GError) error = NULL;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                     NULL, &error);
  if (*line == NULL)
    *line = g_strdup ("");
}

static void
test_silent_fifo (void)
{
  g_autofree char *folder = basic ();
  g_autofree char *fifo = g_build_filename (tmpdir, "rows.fifo", NULL);
  g_autofree char *iwb = iwb_cli_path ();
  const char *argv[] = { iwb, "run", folder, "main.echo", "--input", fifo, NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (proc));
  /* iwb says it waits, and Ctrl+C stops it */
  while (strstr (seen->str, "waiting for input rows on") == NULL)
    {
      char *line = NULL;

      g_data_input_stream_read_line_async (err, G_PRIORITY_DEFAULT, NULL, on_line, &line);
      while (line == NULL)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_main_context_iteration (NULL, TRUE);
        }
      g_assert_cmpstr (line, !=, "");
      g_string_append_printf (seen, "%s\n", line);
      g_free (line);
    }
  g_assert_nonnull (strstr (seen->str, fifo));
  g_subprocess_send_signal (proc, SIGINT);
  {
    g_autofree char *rest = g_data_input_stream_read_upto (err, "", 0, NULL, NULL, &error);
    g_string_append (seen, rest ? rest : "");
  }
  g_subprocess_wait (proc, NULL, &error);
  g_test_message ("%s", seen->str);
  g_assert_true (g_subprocess_get_if_signaled (proc));
  g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGINT);
  g_assert_nonnull (strstr (seen->str, "stopped before the input rows were read"));
  g_unlink (fifo);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("iwb-test-cli-input-XXXXXX", &error);
  g_assert_no_error (error);
  iwb_test_use_private_xdg (tmpdir);

  g_test_add_func ("/cli-input/device", test_device);
  g_test_add_func ("/cli-input/huge-line", test_huge_line);
  g_test_add_func ("/cli-input/folder", test_folder);
  g_test_add_func ("/cli-input/closed-stdin", test_closed_stdin);
  g_test_add_func ("/cli-input/silent-fifo", test_silent_fifo);
  ret = g_test_run ();

  iwb_test_remove_tree (tmpdir);
  return ret;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the subcommands: assignments and value files, loading,
 * signals and the exit, colours, JSON lines. The reporters are in
 * iwb-cli-report.c, the run options and the run flow in iwb-cli-options.c. */
#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "iwb-cli.h"
#include "iwb-cli-common.h"
#include "iwb-file.h"
#include "iwb-json.h"
#include "iwb-signal-watch.h"

gboolean
iwb_cli_split_assignment (const char  *arg,
                          const char  *option,
                          char       **key,
                          char       **value,
                          GError     **error)
{
  const char *eq = strchr (arg, '=');

  if (eq == NULL || eq == arg)
    {
      const char *example = g_str_equal (option, "--set-file") ? "API_TOKEN=token.txt"
                            : g_str_equal (option, "--map") ? "query=text"
                            : g_str_equal (option, "--template") ? "'message={{ title }}'"
                            : "API_URL=https://…";

      /* A --set value may be a secret: never repeat it. */
      if (g_str_equal (option, "--set"))
        g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                     /* Translators: the option (--set), the text given, then the option and an example assignment. */
                     _("%s: %s; expected ID=VALUE (for example %s %s)"), option,
                     eq == NULL ? "a value has no “=”" : "a value has no ID before “=”",
                     option, example);
      else
        g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                     /* Translators: the option, the text given, the expected form (ID=VALUE), the option and an example. */
                     _("%s “%s”: expected %s (for example %s %s)"), option, arg,
                     g_str_equal (option, "--set-file") ? "ID=PATH"
                     : g_str_equal (option, "--map") ? "ARG=COLUMN" : "ARG=TEXT",
                     option, example);
      return FALSE;
    }
  *key = g_strndup (arg, eq - arg);
  *value = g_strdup (eq + 1);
  return TRUE;
}

char *
iwb_cli_read_value_file (const char  *path,
                         GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;

  /* Bounded (/dev/zero, a huge file); a pipe is fine: --set-file ID=<(pass show x) */
  contents = iwb_file_read_bounded (path, IWB_CLI_VALUE_FILE_MAX, IWB_FILE_READ_DEFAULT, &len,
                                    &local_error);
  if (contents == NULL)
    {
      g_set_error (error, IWB_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                     ? IWB_ERROR_NOT_FOUND : IWB_ERROR_INVALID_VALUE,
                   _("--set-file: cannot read %s: %s"), path, local_error->message);
      return NULL;
    }
  if (len > 0 && contents[len - 1] == '\n')
    contents[--len] = '\0';
  if (len > 0 && contents[len - 1] == '\r')
    contents[--len] = '\0';
  if (strlen (contents) != len)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                   _("--set-file: %s contains a NUL byte; environment variables cannot hold one"),
                   path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

typedef struct
{
  GAsyncResult *result;
} LoadData;

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LoadData *data = user_data;

  data->result = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

/* ---------------------------------------------------------------------- */
/* Signals                                                                */

static GCancellable *cli_cancellable;
static int cli_signal;
static int cli_output_errno;

/* Every signal that would end iwb (iwb-signal-watch.h: INT, TERM, HUP,
 * QUIT, ALRM, USR1, USR2, ...): cancel what runs, which ends the child's
 * whole tree; iwb_cli_finish() then dies of the same signal. Dying of it
 * at once instead would leave the children the integration started
 * (PR_SET_PDEATHSIG reaches only the direct child). */
static void
on_signal (int      signum,
           gpointer user_data)
{
  if (cli_signal == 0)
    cli_signal = signum;
  g_cancellable_cancel (cli_cancellable);
}

/* A process the integration started signalled iwb: that is not Ctrl+C.
 * Said once per signal; the run goes on (its timeout still holds). */
static void
on_signal_from_child (int      signum,
                      pid_t    sender,
                      gpointer user_data)
{
  fprintf (stderr, _("iwb: ignored signal %d (%s) from process %d, which the integration started; "
                     "stop iwb with Ctrl+C or --timeout\n"),
           signum, g_strsignal (signum), (int) sender);
  fflush (stderr);
}

GCancellable *
iwb_cli_signals_install (void)
{
  if (cli_cancellable != NULL)
    return cli_cancellable;
  cli_cancellable = g_cancellable_new ();
  /* Orphans of the integration's processes come to us, not to init. */
  iwb_child_become_subreaper ();
  iwb_signal_watch_install (on_signal, NULL);
  iwb_signal_watch_set_from_child_func (on_signal_from_child, NULL);
  return cli_cancellable;
}

gboolean
iwb_cli_check_output (void)
{
  int err;

  if (cli_output_errno != 0)
    return TRUE;
  err = iwb_cli_redact_stdout_errno ();
  if (err == 0)
    return FALSE;
  cli_output_errno = err;
  if (cli_cancellable != NULL)
    g_cancellable_cancel (cli_cancellable);
  return TRUE;
}

int
iwb_cli_finish (int exit_code)
{
  iwb_cli_redact_flush ();
  iwb_cli_check_output ();
  if (cli_cancellable != NULL)
    iwb_child_kill_all ();
  /* The conventional end: die of the signal, so that the shell sees
   * 128 + N and a script stops on Ctrl+C. */
  if (cli_signal != 0)
    iwb_signal_watch_die_of (cli_signal);
  /* Output that was lost is never a success: a closed pipe ends iwb as it
   * ends every filter (128 + SIGPIPE, nothing said: the reader left on
   * purpose); another error is said on stderr. */
  if (cli_output_errno == EPIPE)
    iwb_signal_watch_die_of (SIGPIPE);
  if (cli_output_errno != 0)
    {
      fprintf (stderr, _("iwb: could not write the output: %s\n"), g_strerror (cli_output_errno));
      fflush (stderr);
      if (exit_code != IWB_EXIT_USAGE)
        exit_code = IWB_EXIT_FAILED;
    }
  return exit_code;
}

static gboolean stdin_was_closed;

void
iwb_cli_guard_std_fds (void)
{
  /* A closed 0, 1 or 2 would be reused by the next open() (GLib's own
   * wakeup fd, a pipe to a child), and reading "stdin" or printing would
   * then go there: give them /dev/null, and remember stdin was closed. */
  for (int fd = 0; fd <= 2; fd++)
    if (fcntl (fd, F_GETFD) < 0 && errno == EBADF)
      {
        int null = open ("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);

        if (fd == 0)
          stdin_was_closed = TRUE;
        if (null >= 0 && null != fd)
          {
            dup2 (null, fd);
            close (null);
          }
      }
}

gboolean
iwb_cli_stdin_was_closed (void)
{
  return stdin_was_closed;
}

void
iwb_cli_exit (int exit_code)
{
  exit (iwb_cli_finish (exit_code));
}

IwbIntegration *
iwb_cli_load_integration (IwbPython   *python,
                          const char  *folder,
                          guint        timeout,
                          GError     **error)
{
  return iwb_cli_load_integration_full (python, folder, timeout, NULL, error);
}

IwbIntegration *
iwb_cli_load_integration_full (IwbPython   *python,
                               const char  *folder,
                               guint        timeout,
                               char       **result_text,
                               GError     **error)
{
  g_autoptr(IwbLoader) loader = iwb_loader_new (python);
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (folder);
  GCancellable *cancellable = iwb_cli_signals_install ();
  LoadData data = { NULL };
  IwbIntegration *integration;

  if (timeout > 0)
    iwb_loader_set_timeout (loader, timeout);
  /* A folder loaded before, unchanged: no second import of the same code. */
  iwb_loader_set_use_cache (loader, TRUE);
  iwb_loader_load_async (loader, file, cancellable, on_loaded, &data);
  while (data.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  integration = iwb_loader_load_finish (loader, data.result, error);
  if (result_text != NULL)
    *result_text = iwb_loader_dup_result_text (loader, data.result);
  g_object_unref (data.result);
  return integration;
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;

  iwb_run_start_finish (IWB_RUN (source), result, NULL);
  *done = TRUE;
  g_main_context_wakeup (NULL);
}

void
iwb_cli_run_to_end (IwbRun *run)
{
  GCancellable *cancellable = iwb_cli_signals_install ();
  gboolean done = FALSE;

  iwb_run_start_async (run, cancellable, on_run_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

int
iwb_cli_exit_code_for_run (IwbRun *run)
{
  switch (iwb_run_get_status (run))
    {
    case IWB_RUN_STATUS_SUCCEEDED:
      return IWB_EXIT_OK;
    case IWB_RUN_STATUS_REPORTED_ERRORS:
      return IWB_EXIT_REPORTED;
    case IWB_RUN_STATUS_TIMED_OUT:
    case IWB_RUN_STATUS_CANCELLED:
      return IWB_EXIT_TIMEOUT;
    case IWB_RUN_STATUS_FAILED:
    default:
      return IWB_EXIT_FAILED;
    }
}

gboolean
iwb_cli_use_color (FILE *stream)
{
  const char *no_color = g_getenv ("NO_COLOR");

  if (no_color != NULL && no_color[0] != '\0')
    return FALSE;
  return isatty (fileno (stream)) && g_strcmp0 (g_getenv ("TERM"), "dumb") != 0;
}

const char *
iwb_cli_color (FILE       *stream,
               const char *sgr)
{
  return iwb_cli_use_color (stream) ? sgr : "";
}

void
iwb_cli_print_json_line (FILE     *stream,
                         JsonNode *node)
{
  /* One buffer for every line: `iwb run --format jsonl` prints one line per
   * result. iwb_json_write prints NaN/Infinity as Python's json.dumps does. */
  static GString *line;

  if (line == NULL)
    line = g_string_sized_new (4096);
  g_string_truncate (line, 0);
  iwb_json_write (line, node, FALSE);
  g_string_append_c (line, '\n');
  fwrite (line->str, 1, line->len, stream);
  if (line->allocated_len > 1024 * 1024)
    {
      g_string_free (line, TRUE);
      line = g_string_sized_new (4096);
    }
}

char *
iwb_cli_format_duration (gint64 us)
{
  if (us < 60 * G_USEC_PER_SEC)
    return g_strdup_printf ("%.2f s", us / 1e6);
  return g_strdup_printf (_("%d min %d s"), (int) (us / (60 * G_USEC_PER_SEC)),
                          (int) ((us / G_USEC_PER_SEC) % 60));
}

char *
iwb_cli_format_row_counts (guint64 rows_in,
                           guint64 results,
                           guint64 row_errors)
{
  /* Translators: the first count of a finished run, e.g. "1 row in" */
  g_autofree char *in = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu row in", "%llu rows in",
                                                      (gulong) rows_in),
                                         (unsigned long long) rows_in);
  /* Translators: the second count of a finished run, e.g. "2 results" */
  g_autofree char *out = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu result", "%llu results",
                                                       (gulong) results),
                                          (unsigned long long) results);
  /* Translators: the third count of a finished run, e.g. "0 row errors" */
  g_autofree char *errors = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu row error",
                                                          "%llu row errors", (gulong) row_errors),
                                             (unsigned long long) row_errors);

  /* Translators: the counts of a finished run: rows in, results, row errors */
  return g_strdup_printf (_("%s, %s, %s"), in, out, errors);
}


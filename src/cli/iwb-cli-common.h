/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by `iwb inspect`, `iwb validate`, `iwb run` and `iwb demo-service`. */
#pragma once

#include <stdio.h>

#include "iwb-core.h"

G_BEGIN_DECLS

/* "KEY=VALUE" -> key, value. FALSE with a message in the syntax of
 * @option ("--set", "--set-file", "--map", "--template") when there is no
 * '=' or the key is empty; a --set argument is never repeated (a secret). */
gboolean        iwb_cli_split_assignment     (const char   *arg,
                                              const char   *option,
                                              char        **key,
                                              char        **value,
                                              GError      **error);
/* Reads the value of --set-file ID=PATH; one trailing newline is removed.
 * At most IWB_CLI_VALUE_FILE_MAX bytes (a value goes to the integration in
 * an environment variable, which Linux limits to 128 KiB anyway). */
#define IWB_CLI_VALUE_FILE_MAX ((gsize) 1024 * 1024)
char           *iwb_cli_read_value_file      (const char   *path,
                                              GError      **error);
/* iwb-cli-redact.c: stdout and stderr replaced by streams that write every
 * form of each secret value (iwb-redact.h) as "[secret]". Install once at
 * the start; add each secret value as soon as it is known (before anything
 * that may print it); flush before dying of a signal. */
void            iwb_cli_redact_install       (void);
void            iwb_cli_redact_add_secret    (const char   *value);
void            iwb_cli_redact_flush         (void);
/* The errno of the first write to fd 1 that failed (EPIPE: the reader of a
 * pipe went away; ENOSPC...), 0 while every write succeeded. */
int             iwb_cli_redact_stdout_errno  (void);
/* TRUE once writing stdout failed; the first time, cancels what runs (the
 * cancellable of iwb_cli_signals_install()), so a run nobody can read the
 * output of ends at once instead of at its timeout. iwb_cli_finish() then
 * dies of SIGPIPE for a closed pipe (as `seq 1e9 | head -1` does), or says
 * the error and exits 2. Cheap: call it after each write of a stream. */
gboolean        iwb_cli_check_output         (void);
/* SIGINT, SIGTERM and SIGHUP cancel the returned cancellable (loads and
 * runs use it, which ends the child's whole tree), and iwb_cli_finish()
 * then dies of the signal. Makes iwb a child subreaper. Idempotent. */
GCancellable   *iwb_cli_signals_install      (void);
/* Kills whatever children are left; dies of the signal received, if any
 * (the shell sees 128 + N); else returns @exit_code. */
int             iwb_cli_finish               (int           exit_code);
G_GNUC_NORETURN
void            iwb_cli_exit                 (int           exit_code);
/* First thing in main(): closed fds 0-2 get /dev/null (so nothing else
 * reuses them); iwb_cli_stdin_was_closed() then tells --input - the truth. */
void            iwb_cli_guard_std_fds        (void);
gboolean        iwb_cli_stdin_was_closed     (void);
/* Loads FOLDER with the SDK's generate_metadata, iterating the default main
 * context until done; Ctrl+C (SIGINT/SIGTERM/SIGHUP) cancels it
 * (IWB_ERROR_CANCELLED) and ends the child's tree. */
IwbIntegration *iwb_cli_load_integration     (IwbPython    *python,
                                              const char   *folder,
                                              guint         timeout,
                                              GError      **error);
/* Same; @result_text (nullable) receives what generate_metadata printed as
 * its result (iwb_loader_dup_result_text()), also when loading failed. */
IwbIntegration *iwb_cli_load_integration_full (IwbPython   *python,
                                               const char  *folder,
                                               guint        timeout,
                                               char       **result_text,
                                               GError     **error);
/* Runs @run to its end; Ctrl+C (SIGINT/SIGTERM/SIGHUP) cancels it. */
void            iwb_cli_run_to_end           (IwbRun       *run);
/* The exit code of `iwb` for a finished run. */
int             iwb_cli_exit_code_for_run    (IwbRun       *run);
/* Colour when stdout is a terminal and NO_COLOR is unset. */
gboolean        iwb_cli_use_color            (FILE         *stream);
const char     *iwb_cli_color                (FILE         *stream,
                                              const char   *sgr);
/* One JSON value on one line. */
void            iwb_cli_print_json_line      (FILE         *stream,
                                              JsonNode     *node);
/* A readable duration ("0.84 s", "2 min 3 s"). */
char           *iwb_cli_format_duration      (gint64        us);
/* "1 row in, 2 results, 0 row errors", each count with its plural form. */
char           *iwb_cli_format_row_counts    (guint64       rows_in,
                                              guint64       results,
                                              guint64       row_errors);

G_END_DECLS

G_BEGIN_DECLS

/* Prints what a run does: as JSON lines while it runs (machine), or as a
 * report for people after it finished (text). */
typedef struct _IwbCliReporter IwbCliReporter;

IwbCliReporter *iwb_cli_reporter_new          (IwbRun         *run,
                                               gboolean        machine);
void            iwb_cli_reporter_print_report (IwbCliReporter *self);
/* Text: list every HTTP call (else a summary and the failed calls). */
void            iwb_cli_reporter_set_show_http (IwbCliReporter *self,
                                                gboolean        show_http);
void            iwb_cli_reporter_free         (IwbCliReporter *self);
/* For --format json / jsonl, called once the options are parsed: every
 * message built from here on (ours, GLib's, strerror's) is in the C
 * locale, so what iwb prints for programs is byte-identical in every
 * locale. --format text stays translated. */
void            iwb_cli_report_machine_locale (void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IwbCliReporter, iwb_cli_reporter_free)

/* Options every running subcommand takes. */
typedef struct
{
  char    **set;        /* ID=VALUE */
  char    **set_file;   /* ID=PATH */
  int       timeout;
  int       load_timeout; /* seconds for generate_metadata; 0: the loader's default */
  char     *format;
  char     *python;
  char     *sdk;
  gboolean  no_ssl_verify;
  /* HTTP capture (iwb-cli-options.c) */
  char     *har;        /* --har FILE */
  char     *record;     /* --record CASSETTE */
  char     *replay;     /* --replay CASSETTE */
  gboolean  strict;     /* --strict */
  gboolean  show_http;  /* --show-http */
  gboolean  no_capture; /* --no-capture */
} IwbCliRunOptions;

/* What happens with a run's HTTP exchanges once it finished: taken out of
 * IwbCliRunOptions (iwb_cli_http_output_take()) before those are cleared. */
typedef struct
{
  char     *har;
  gboolean  show_http;
} IwbCliHttpOutput;

void            iwb_cli_http_output_take      (IwbCliHttpOutput *output,
                                               IwbCliRunOptions *options);
void            iwb_cli_http_output_clear     (IwbCliHttpOutput *output);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (IwbCliHttpOutput, iwb_cli_http_output_clear)
/* --record / --replay / --strict, else the mode of @profile (nullable):
 * sets the run's HTTP mode. FALSE after printing a usage problem. */
gboolean        iwb_cli_apply_http_mode       (IwbRun           *run,
                                               IwbCliRunOptions *options,
                                               IwbProfile       *profile,
                                               int              *exit_code);

void            iwb_cli_run_options_clear     (IwbCliRunOptions *options);
/* Adds --set, --set-file, --timeout, --load-timeout, --format, --python,
 * --sdk, --no-ssl-verify, --har, --record, --replay, --strict and
 * --show-http to @context's main group, stored in @options;
 * @run: the help speaks of a run (formats text|jsonl), else of a validation
 * (text|json). */
void            iwb_cli_run_options_add_entries (IwbCliRunOptions *options,
                                                 GOptionContext   *context,
                                                 gboolean          run);
/* Applies --set / --set-file to @run, checking ids against the descriptor
 * inputs in @known_ids (NULL: no check). FALSE with a usage message. */
gboolean        iwb_cli_apply_values          (IwbRun           *run,
                                               IwbCliRunOptions *options,
                                               GPtrArray        *known_ids,
                                               GError          **error);
/* Ids of the connection inputs and, if @action_entrypoint, that action's
 * inputs with the given sources ("connection,param" or "column,template"). */
GPtrArray      *iwb_cli_descriptor_ids        (JsonNode         *descriptor,
                                               const char       *action_entrypoint,
                                               gboolean          connection,
                                               const char       *sources);

G_END_DECLS

G_BEGIN_DECLS

/* The shared flow of `iwb validate` and `iwb run` up to a ready IwbRun:
 * interpreter, loading, descriptor, action lookup, --set values. Returns
 * NULL and sets *exit_code (2: loading failed, 64: usage) after printing
 * the problem on stderr. */
IwbRun         *iwb_cli_prepare_run           (IwbCliRunOptions *options,
                                               const char       *folder,
                                               const char       *action,
                                               IwbRunOperation   operation,
                                               int              *exit_code);
/* Local check (iwb_run_check); prints problems and returns FALSE. */
gboolean        iwb_cli_check_run             (IwbRun           *run,
                                               gboolean          machine);
/* Runs @run with a reporter, writes the HAR file of @http (nullable), and
 * returns the exit code. */
int             iwb_cli_execute_run           (IwbRun           *run,
                                               gboolean          machine,
                                               IwbCliHttpOutput *http);

G_END_DECLS

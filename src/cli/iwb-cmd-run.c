/* SPDX-License-Identifier: GPL-3.0-or-later */
/* iwb run: run one action over input rows, like the platform. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "iwb-cli.h"
#include "iwb-cli-common.h"
#include "iwb-cli-session.h" /* -- --profile, --no-history (helper stores) */

static const char run_description[] =
  N_("Runs python3 -m lhub_integ.shim_exec -e ENTRYPOINT in FOLDER exactly like the platform:\n"
  "parameters as environment variables named by their id, column mappings as ___ARG,\n"
  "rows as {\"row\": {...}} lines on stdin (each gets an lhub_id so results correlate\n"
  "to their row), results read back from [result] lines.\n"
  "\n"
  "ACTION is an entrypoint (main.post_message), an action name (\"Post message\"), or\n"
  "the function name alone (post_message) when only one module has it.\n"
  "--map defaults each argument to the column of the same name; JinjaTemplatedStr\n"
  "arguments take their template with --template ARG=TEXT. Input rows: JSON Lines, a\n"
  "JSON array of objects, or CSV with a header (values stay strings like on the\n"
  "platform); --input - reads them from stdin.\n"
  "\n"
  "  iwb run examples/ticket-tracker main.search_tickets --input queries.csv \\\n"
  "          --set TRACKER_URL=http://127.0.0.1:8765 --set TRACKER_USER=demo \\\n"
  "          --set-file TRACKER_PASSWORD=password.txt\n"
  "\n"
  "Output: --format text (results as a table when they are flat objects, errors\n"
  "highlighted, logs after) or jsonl (one JSON object per event and line, as they come).\n"
  "\n"
  "HTTP: the child runs under the capture host (python3 -m iwb_host.launch SHIM ...):\n"
  "every call the integration makes (requests, urllib3, urllib, http.client; HTTPS too)\n"
  "is captured, secrets redacted. The text output summarizes them and lists the failed\n"
  "ones (--show-http: every call, METHOD URL -> STATUS, time); json/jsonl have one\n"
  "\"http\" event per call; --har FILE writes HAR 1.2. --record FILE keeps them in a\n"
  "cassette; --replay FILE answers from it without the network (--strict: an unrecorded\n"
  "call fails, naming its method and URL). A --profile in record/replay mode does that\n"
  "unless a flag says otherwise.\n"
  "\n"
  "Exit status:\n"
  "  0   success\n"
  "  1   the integration reported errors (validation errors, row errors)\n"
  "  2   the integration could not be loaded, or its process failed hard\n"
  "  3   timed out\n"
  "  64  usage error\n"
  "  128+N  stopped by signal N (130: Ctrl+C, 143: SIGTERM, 129: SIGHUP), after\n"
  "         the integration's processes were ended\n");

typedef struct
{
  char           *input;
  IwbInputFormat  fmt;
  /* out: JSON Lines stay text (bytes + spans), other formats become rows */
  GBytes         *bytes;
  GArray         *spans;
  gboolean        any_lhub_id;
  GPtrArray      *rows;
  GError         *error;
  gint            done;   /* atomic */
} RowsJob;

static gboolean
read_input (RowsJob *job)
{
  gboolean is_stdin = g_strcmp0 (job->input, "-") == 0;
  const char *name = is_stdin ? "stdin" : job->input;
  const char *data;
  gsize len;

  if (is_stdin && iwb_cli_stdin_was_closed ())
    {
      g_set_error (&job->error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                   _("--input -: stdin is closed, so no rows can be read from it; pipe the "
                     "rows in (… --input - < rows.jsonl) or give a file (--input rows.jsonl)"));
      return FALSE;
    }
  /* Bounded: /dev/zero, a runaway producer or a huge line is an error that
   * names the source, not the end of the memory. */
  job->bytes = iwb_input_rows_read (job->input, IWB_INPUT_MAX_BYTES, IWB_INPUT_MAX_LINE,
                                    &job->error);
  if (job->bytes == NULL)
    return FALSE;

  data = g_bytes_get_data (job->bytes, &len);
  if (job->fmt == IWB_INPUT_FORMAT_AUTO)
    job->fmt = iwb_input_format_guess (is_stdin ? NULL : job->input, data, len);
  /* JSON Lines stay text: a million rows cost their bytes, not a tree. */
  if (job->fmt == IWB_INPUT_FORMAT_JSONL)
    job->spans = iwb_input_rows_index_jsonl (data, len, name, &job->any_lhub_id, &job->error);
  else
    job->rows = iwb_input_rows_parse_named (data, len, job->fmt, name, &job->error);
  return job->error == NULL;
}

static gpointer
read_rows_thread (gpointer data)
{
  RowsJob *job = data;

  read_input (job);
  g_atomic_int_set (&job->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

static gboolean
say_waiting (gpointer data)
{
  RowsJob *job = data;

  fprintf (stderr, _("iwb run: waiting for input rows on %s (nothing complete yet; "
                     "Ctrl+C stops)\n"), g_strcmp0 (job->input, "-") == 0 ? "stdin" : job->input);
  return G_SOURCE_REMOVE;
}

/* Waits for the rows thread while the main context runs, so that Ctrl+C
 * (or SIGTERM, SIGHUP) still works when the rows never come (a FIFO
 * nothing writes to, a terminal). FALSE when a signal came first. */
static gboolean
wait_for_rows (RowsJob *job)
{
  GCancellable *cancellable = iwb_cli_signals_install ();
  guint notice = g_timeout_add_seconds (5, say_waiting, job);

  while (!g_atomic_int_get (&job->done) && !g_cancellable_is_cancelled (cancellable))
    g_main_context_iteration (NULL, TRUE);
  if (!g_atomic_int_get (&job->done))
    {
      fprintf (stderr, _("iwb run: stopped before the input rows were read (%s had not "
                         "ended)\n"), g_strcmp0 (job->input, "-") == 0 ? "stdin" : job->input);
      return FALSE;
    }
  g_source_remove (notice);
  return TRUE;
}

static gboolean
apply_mappings (IwbRun      *run,
                char       **assignments,
                const char  *option,
                GPtrArray   *known,
                GError     **error)
{
  for (guint i = 0; assignments != NULL && assignments[i] != NULL; i++)
    {
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;
      gboolean found = FALSE;

      if (!iwb_cli_split_assignment (assignments[i], option, &key, &value, error))
        return FALSE;
      for (guint k = 0; k < known->len && !found; k++)
        found = g_str_equal (known->pdata[k], key);
      if (!found)
        {
          g_autoptr(GString) list = g_string_new (NULL);

          for (guint k = 0; k < known->len; k++)
            g_string_append_printf (list, "%s%s", k ? ", " : "", (char *) known->pdata[k]);
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                       _("%s %s: the action has no such %s argument; its %s arguments: %s"),
                       option, key, g_str_equal (option, "--map") ? "column" : "template",
                       g_str_equal (option, "--map") ? "column" : "template",
                       list->len ? list->str : _("(none)"));
          return FALSE;
        }
      iwb_run_set_mapping (run, key, value);
    }
  return TRUE;
}

int
iwb_cmd_run (int    argc,
             char **argv)
{
  IwbCliRunOptions options = { .timeout = IWB_RUN_DEFAULT_TIMEOUT };
  g_auto(GStrv) maps = NULL;
  g_auto(GStrv) templates = NULL;
  g_autofree char *input = NULL;
  g_autofree char *input_format = NULL;
  g_autofree char *files_dir = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbRun) run = NULL;
  g_auto(IwbCliSession) session = { 0 }; /* -- --profile, --no-history (helper stores) */
  g_auto(IwbCliHttpOutput) http = { 0 };
  g_autoptr(GPtrArray) columns = NULL;
  g_autoptr(GPtrArray) tmpl_args = NULL;
  g_autoptr(GError) map_error = NULL;
  gboolean mapped = FALSE;
  IwbInputFormat fmt = IWB_INPUT_FORMAT_AUTO;
  GThread *rows_thread = NULL;
  RowsJob *job = NULL;
  gboolean machine;
  int exit_code;
  GOptionEntry entries[] = {
    { "map", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &maps,
      N_("Input column of an argument (default: the column named like the argument)"), N_("ARG=COLUMN") },
    { "template", 0, 0, G_OPTION_ARG_STRING_ARRAY, &templates,
      N_("Jinja template text of a JinjaTemplatedStr argument"), N_("ARG=TEXT") },
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &input,
      N_("Input rows: a .jsonl, .json or .csv file, or - for stdin"), "FILE|-" },
    { "input-format", 0, 0, G_OPTION_ARG_STRING, &input_format,
      N_("Format of --input: auto (default), jsonl, json, csv"), N_("FORMAT") },
    { "files-dir", 0, 0, G_OPTION_ARG_FILENAME, &files_dir,
      N_("INTEGRATIONS_FILES_PATH for the action (default: a folder per integration under "
      "~/.local/share/integration-workbench/files)"), N_("DIR") },
    { NULL }
  };

  context = g_option_context_new (_("FOLDER ACTION — run an action over input rows"));
  g_option_context_set_summary (context, _("Run ACTION of the integration in FOLDER."));
  g_option_context_set_description (context, _(run_description));
  iwb_cli_run_options_add_entries (&options, context, TRUE);
  iwb_cli_session_add_entries (&session, context); /* -- helper stores */
  g_set_prgname ("iwb run"); /* --help says "iwb run [OPTION…]" */
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, _("iwb run: %s\nRun “iwb run --help” for the options.\n"), error->message);
      iwb_cli_run_options_clear (&options);
      return IWB_EXIT_USAGE;
    }
  if (argc != 3)
    {
      fprintf (stderr, _("iwb run: expected FOLDER and ACTION\n"
               "Usage: iwb run FOLDER ACTION [--set ID=VALUE]… [--map ARG=COLUMN]… [--input FILE|-]\n"));
      iwb_cli_run_options_clear (&options);
      return IWB_EXIT_USAGE;
    }
  if (options.format != NULL && !g_str_equal (options.format, "text") &&
      !g_str_equal (options.format, "jsonl"))
    {
      fprintf (stderr, _("iwb run: --format %s: expected text or jsonl\n"), options.format);
      iwb_cli_run_options_clear (&options);
      return IWB_EXIT_USAGE;
    }
  if (input_format != NULL && !iwb_input_format_from_string (input_format, &fmt))
    {
      fprintf (stderr, _("iwb run: --input-format %s: expected auto, jsonl, json or csv\n"),
               input_format);
      iwb_cli_run_options_clear (&options);
      return IWB_EXIT_USAGE;
    }
  machine = g_strcmp0 (options.format, "jsonl") == 0;
  if (machine)
    iwb_cli_report_machine_locale ();

  /* Parse the rows in a thread while the integration loads (a Python
   * child): a big input costs no extra wall time. */
  if (input != NULL)
    {
      job = g_new0 (RowsJob, 1);
      job->input = g_strdup (input);
      job->fmt = fmt;
      iwb_cli_signals_install ();
      rows_thread = g_thread_new ("iwb-read-rows", read_rows_thread, job);
    }

  run = iwb_cli_prepare_run (&options, argv[1], argv[2], IWB_RUN_EXECUTE, &exit_code);
  /* -- --profile (helper stores) */
  if (run != NULL && !iwb_cli_session_prepare (&session, run, argv[1], &options, &exit_code))
    g_clear_object (&run);
  /* --record / --replay / --strict, else the profile's HTTP mode */
  if (run != NULL && !iwb_cli_apply_http_mode (run, &options, session.loaded, &exit_code))
    g_clear_object (&run);
  /* secrets the profile marks (beyond password / encryptedFile inputs) */
  for (guint i = 0; run != NULL && session.secret_ids != NULL && i < session.secret_ids->len; i++)
    if (session.secret_ids->pdata[i] != NULL)
      iwb_run_add_secret_param (run, session.secret_ids->pdata[i]);
  iwb_cli_http_output_take (&http, &options);
  iwb_cli_run_options_clear (&options);

  if (run != NULL)
    {
      /* Everything the child's environment needs is known before the rows:
       * the mappings now (their errors are told after the rows', as ever). */
      columns = iwb_cli_descriptor_ids (iwb_run_get_descriptor (run), iwb_run_get_entrypoint (run),
                                        FALSE, "column");
      tmpl_args = iwb_cli_descriptor_ids (iwb_run_get_descriptor (run), iwb_run_get_entrypoint (run),
                                          FALSE, "template");
      mapped = apply_mappings (run, maps, "--map", columns, &map_error) &&
               apply_mappings (run, templates, "--template", tmpl_args, &map_error);
      if (files_dir != NULL)
        iwb_run_set_files_dir (run, files_dir);
      /* While the rows are read, Python and the capture host load (about a
       * tenth of a second): gated, the integration itself waits for the
       * start. Nothing is prestarted that the checks below would refuse. */
      if (mapped && rows_thread != NULL)
        iwb_run_prestart (run);
    }

  if (rows_thread != NULL)
    {
      /* A reader blocked for good is left to the exit. */
      if (!wait_for_rows (job))
        return exit_code == IWB_EXIT_OK ? IWB_EXIT_TIMEOUT : exit_code;
      g_thread_join (rows_thread);
      if (job->error != NULL && run != NULL)
        {
          fprintf (stderr, "iwb run: %s\n", job->error->message);
          exit_code = IWB_EXIT_USAGE;
          g_clear_object (&run);
        }
      else if (run != NULL && job->spans != NULL)
        iwb_run_set_rows_jsonl (run, job->bytes, job->spans, job->any_lhub_id);
      else if (run != NULL && job->rows != NULL)
        iwb_run_take_rows (run, g_steal_pointer (&job->rows)); /* read here, no one else holds them */
      g_clear_error (&job->error);
      g_clear_pointer (&job->bytes, g_bytes_unref);
      g_clear_pointer (&job->spans, g_array_unref);
      g_clear_pointer (&job->rows, g_ptr_array_unref);
      g_free (job->input);
      g_free (job);
    }
  if (run == NULL)
    return exit_code;

  if (!mapped)
    {
      fprintf (stderr, "iwb run: %s\n", map_error->message);
      return IWB_EXIT_USAGE;
    }

  if (!iwb_cli_check_run (run, machine))
    return IWB_EXIT_REPORTED;
  iwb_cli_session_record (&session, run); /* -- history (helper stores) */
  exit_code = iwb_cli_execute_run (run, machine, &http);
  iwb_cli_session_finish (&session); /* -- history (helper stores) */
  /* The process ends here: tearing down every input row and stored result
   * one by one would only make a big run's exit slower. */
  iwb_cli_exit (exit_code);
}

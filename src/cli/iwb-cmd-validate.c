/* SPDX-License-Identifier: GPL-3.0-or-later */
/* iwb validate: the connection validator, or an action's input validation. */
#include "config.h"

#include <glib/gi18n.h>

#include <stdio.h>

#include "iwb-cli.h"
#include "iwb-cli-common.h"
#include "iwb-cli-session.h" /* -- --profile, --no-history (helper stores) */

static const char validate_description[] =
  N_("Runs the SDK's validation shim in FOLDER exactly like the platform:\n"
  "  without --action: python3 -m lhub_integ.shim_validate --validate-connections\n"
  "                    (the connection params, then the @connection_validator; the\n"
  "                    platform descriptor is passed in __integration_descriptor so a\n"
  "                    validator can return dynamic actionOverrides)\n"
  "  with --action:    python3 -m lhub_integ.shim_validate -e ENTRYPOINT\n"
  "                    (column mappings default to the column of the same name)\n"
  "\n"
  "Values are checked locally with the SDK's coercion rules first; every problem is\n"
  "reported at once without starting Python. Keep secrets out of command lines:\n"
  "  iwb validate examples/chat-notify --set CHAT_URL=http://127.0.0.1:8765 \\\n"
  "               --set-file CHAT_TOKEN=token.txt\n"
  "\n"
  "Output: --format text (for people) or json (one JSON object per event and line).\n"
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
  "  0   validation passed\n"
  "  1   the integration reported errors (validation errors)\n"
  "  2   the integration could not be loaded, or its process failed hard\n"
  "  3   timed out\n"
  "  64  usage error\n"
  "  128+N  stopped by signal N (130: Ctrl+C, 143: SIGTERM, 129: SIGHUP), after\n"
  "         the integration's processes were ended\n");

int
iwb_cmd_validate (int    argc,
                  char **argv)
{
  IwbCliRunOptions options = { .timeout = IWB_RUN_DEFAULT_TIMEOUT };
  g_autofree char *action = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbRun) run = NULL;
  g_auto(IwbCliSession) session = { 0 }; /* -- --profile, --no-history (helper stores) */
  g_auto(IwbCliHttpOutput) http = { 0 };
  gboolean machine;
  int exit_code;
  gboolean show_overrides = FALSE; /* -- --show-overrides (helper diff) */
  GOptionEntry entries[] = {
    { "action", 'a', 0, G_OPTION_ARG_STRING, &action,
      N_("Validate the inputs of ACTION (entrypoint like main.post, or the action's name) "
      "instead of the connection"), N_("ACTION") },
    /* -- --show-overrides (helper diff) */
    { "show-overrides", 0, 0, G_OPTION_ARG_NONE, &show_overrides,
      N_("After the connection validation, print the effective descriptor's diff against the "
      "base descriptor (the validator's actionOverrides applied; exit 1 if they cannot be)"),
      NULL },
    { NULL }
  };

  context = g_option_context_new (_("FOLDER — validate a connection or an action's inputs"));
  g_option_context_set_summary (context, _("Validate the connection of the integration in FOLDER, "
                                         "or the inputs of one of its actions."));
  g_option_context_set_description (context, _(validate_description));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  iwb_cli_run_options_add_entries (&options, context, FALSE);
  iwb_cli_session_add_entries (&session, context); /* -- helper stores */
  g_set_prgname ("iwb validate"); /* --help says "iwb validate [OPTION…]" */
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, _("iwb validate: %s\nRun “iwb validate --help” for the options.\n"),
               error->message);
      iwb_cli_run_options_clear (&options);
      return IWB_EXIT_USAGE;
    }
  if (argc != 2)
    {
      fprintf (stderr, _("iwb validate: expected exactly one FOLDER%s\n"
               "Usage: iwb validate FOLDER [--action ACTION] [--set ID=VALUE]…\n"),
               argc > 2 ? " (give the action with --action)" : "");
      iwb_cli_run_options_clear (&options);
      return IWB_EXIT_USAGE;
    }
  if (options.format != NULL && !g_str_equal (options.format, "text") &&
      !g_str_equal (options.format, "json"))
    {
      fprintf (stderr, _("iwb validate: --format %s: expected text or json\n"), options.format);
      iwb_cli_run_options_clear (&options);
      return IWB_EXIT_USAGE;
    }
  machine = g_strcmp0 (options.format, "json") == 0;
  if (machine)
    iwb_cli_report_machine_locale ();
  /* -- --show-overrides (helper diff) */
  if (show_overrides && action != NULL)
    {
      fprintf (stderr, _("iwb validate: --show-overrides applies to the connection validation; "
               "leave out --action\n"));
      iwb_cli_run_options_clear (&options);
      return IWB_EXIT_USAGE;
    }

  run = iwb_cli_prepare_run (&options, argv[1], action,
                             action ? IWB_RUN_VALIDATE_ACTION : IWB_RUN_VALIDATE_CONNECTION,
                             &exit_code);
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
  if (run == NULL)
    return exit_code;
  if (!iwb_cli_check_run (run, machine))
    return IWB_EXIT_REPORTED;
  /* -- --show-overrides (helper diff) */
  iwb_cli_session_record (&session, run); /* -- history (helper stores) */
  exit_code = iwb_cli_execute_run (run, machine, &http);
  iwb_cli_session_finish (&session); /* -- history (helper stores) */
  if (show_overrides)
    exit_code = iwb_cmd_diff_show_overrides (run, machine, exit_code);
  return exit_code;
}

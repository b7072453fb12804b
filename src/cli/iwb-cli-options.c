/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The options every running subcommand takes (--set, --set-file, --timeout,
 * …), and the shared flow of `iwb validate` and `iwb run` up to a finished
 * run: interpreter, loading, descriptor, action, values, local check. */
#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include <glib/gi18n.h>

#include "iwb-cli.h"
#include "iwb-cli-common.h"
#include "iwb-descriptor.h"
#include "iwb-json.h"

void
iwb_cli_run_options_clear (IwbCliRunOptions *options)
{
  g_clear_pointer (&options->set, g_strfreev);
  g_clear_pointer (&options->set_file, g_strfreev);
  g_clear_pointer (&options->format, g_free);
  g_clear_pointer (&options->python, g_free);
  g_clear_pointer (&options->sdk, g_free);
  g_clear_pointer (&options->har, g_free);
  g_clear_pointer (&options->record, g_free);
  g_clear_pointer (&options->replay, g_free);
}

void
iwb_cli_http_output_take (IwbCliHttpOutput *output,
                          IwbCliRunOptions *options)
{
  g_free (output->har);
  output->har = g_steal_pointer (&options->har);
  output->show_http = options->show_http;
}

void
iwb_cli_http_output_clear (IwbCliHttpOutput *output)
{
  g_clear_pointer (&output->har, g_free);
}

void
iwb_cli_run_options_add_entries (IwbCliRunOptions *options,
                                 GOptionContext   *context,
                                 gboolean          run)
{
  /* g_option_context_add_main_entries() copies the array. */
  const GOptionEntry entries[] = {
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &options->set,
      N_("Value of a connection or action parameter (repeatable)"), N_("ID=VALUE") },
    { "set-file", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->set_file,
      N_("Read the value from a file, for secrets and JSON (one trailing newline is removed)"),
      N_("ID=PATH") },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &options->timeout,
      run ? N_("Kill the run after S seconds (default 60, 0 = never)")
          : N_("Kill the validation after S seconds (default 60, 0 = never)"), N_("S") },
    { "load-timeout", 0, 0, G_OPTION_ARG_INT, &options->load_timeout,
      N_("Kill loading the integration (generate_metadata) after S seconds (default 30)"), N_("S") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &options->format,
      run ? N_("Output format: text (default) or jsonl") : N_("Output format: text (default) or json"),
      N_("FORMAT") },
    { "python", 0, 0, G_OPTION_ARG_FILENAME, &options->python,
      N_("Python interpreter (default: $IWB_PYTHON, else python3 on PATH)"), N_("PATH") },
    { "sdk", 0, 0, G_OPTION_ARG_STRING, &options->sdk,
      N_("lhub_integ to use: bundled (default) or installed"), "bundled|installed" },
    { "no-ssl-verify", 0, 0, G_OPTION_ARG_NONE, &options->no_ssl_verify,
      N_("Set __lh_ssl_verify=False like the platform's “verify SSL” switch"), NULL },
    { "har", 0, 0, G_OPTION_ARG_FILENAME, &options->har,
      N_("Write the HTTP calls the integration made to FILE as HAR 1.2 (opens in browsers' "
         "developer tools); secrets are redacted"), N_("FILE") },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &options->record,
      N_("Record every HTTP call into the cassette FILE (created, or extended when it exists; "
         "redacted)"), N_("FILE") },
    { "replay", 0, 0, G_OPTION_ARG_FILENAME, &options->replay,
      N_("Answer the HTTP calls from the cassette FILE: no connection is opened for a recorded "
         "call; an unrecorded one goes to the network (stderr says so) unless --strict"),
      N_("FILE") },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &options->strict,
      N_("With --replay: an unrecorded HTTP call fails (“METHOD URL was not recorded”) instead of "
         "going to the network"), NULL },
    { "no-capture", 0, 0, G_OPTION_ARG_NONE, &options->no_capture,
      N_("Start the integration without the HTTP capture host (python3 -m SHIM): no HTTP calls "
         "are seen; for an integration the capture disturbs"), NULL },
    { "show-http", 0, 0, G_OPTION_ARG_NONE, &options->show_http,
      N_("Text output: list every HTTP call (METHOD URL → STATUS, time); without it only a "
         "summary and the failed calls"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static gboolean
check_known (GPtrArray  *known,
             const char *id,
             const char *option,
             GError    **error)
{
  g_autoptr(GString) list = NULL;

  if (known == NULL)
    return TRUE;
  for (guint i = 0; i < known->len; i++)
    if (g_str_equal (known->pdata[i], id))
      return TRUE;
  list = g_string_new (NULL);
  for (guint i = 0; i < known->len; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", (char *) known->pdata[i]);
  g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
               /* Translators: the option (--set), the id given, the list of known ids. */
               _("%s %s: no such input; known: %s"), option, id,
               list->len ? list->str : _("(none)"));
  return FALSE;
}

/* The input @id of @run's connection or action, or NULL. */
static JsonObject *
find_input (IwbRun     *run,
            const char *id)
{
  JsonNode *descriptor = iwb_run_get_descriptor (run);
  const char *scopes[] = { NULL, iwb_run_get_entrypoint (run) };

  for (guint s = 0; descriptor != NULL && s < G_N_ELEMENTS (scopes); s++)
    {
      JsonArray *inputs = iwb_descriptor_get_inputs (descriptor, scopes[s], NULL);

      for (guint i = 0; inputs != NULL && i < json_array_get_length (inputs); i++)
        {
          JsonNode *node = json_array_get_element (inputs, i);
          JsonObject *input = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

          if (input != NULL && g_strcmp0 (iwb_json_get_string (input, "id"), id) == 0)
            return input;
        }
    }
  return NULL;
}

/* A select's value that is none of its options: the SDK does not check it
 * (nor does iwb refuse it: a validator may change the options), but the
 * platform's form would never send it, so say so instead of running with a
 * value no user could give. Options are strings or {"label", "value"}. */
static void
warn_unknown_option (IwbRun     *run,
                     const char *id,
                     const char *value)
{
  JsonObject *input = find_input (run, id);
  JsonArray *options = input ? iwb_descriptor_input_get_options (input) : NULL;
  g_autoptr(GString) known = NULL;

  /* never a secret's value in a message */
  if (input == NULL || iwb_descriptor_input_is_secret (input))
    return;
  if (options == NULL || json_array_get_length (options) < 2 || value == NULL ||
      *value == '\0' || strstr (value, "${") != NULL)
    return;
  known = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (options); i++)
    {
      JsonNode *o = json_array_get_element (options, i);
      g_autofree char *text = NULL;

      if (JSON_NODE_HOLDS_OBJECT (o))
        o = json_object_get_member (json_node_get_object (o), "value");
      if (o == NULL)
        continue;
      text = JSON_NODE_HOLDS_VALUE (o) && json_node_get_value_type (o) == G_TYPE_STRING
               ? g_strdup (json_node_get_string (o))
               : iwb_json_to_string (o, FALSE);
      if (g_strcmp0 (text, value) == 0)
        return;
      g_string_append_printf (known, "%s%s", known->len ? ", " : "", text);
    }
  fprintf (stderr, _("iwb: warning: --set %s: “%s” is not one of its options (%s); the "
                     "platform's form would not offer it\n"), id, value, known->str);
}

gboolean
iwb_cli_apply_values (IwbRun           *run,
                      IwbCliRunOptions *options,
                      GPtrArray        *known_ids,
                      GError          **error)
{
  for (guint i = 0; options->set != NULL && options->set[i] != NULL; i++)
    {
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (!iwb_cli_split_assignment (options->set[i], "--set", &key, &value, error) ||
          !check_known (known_ids, key, "--set", error))
        return FALSE;
      warn_unknown_option (run, key, value);
      iwb_run_set_value (run, key, value);
    }
  for (guint i = 0; options->set_file != NULL && options->set_file[i] != NULL; i++)
    {
      g_autofree char *key = NULL;
      g_autofree char *path = NULL;
      g_autofree char *value = NULL;

      if (!iwb_cli_split_assignment (options->set_file[i], "--set-file", &key, &path, error) ||
          !check_known (known_ids, key, "--set-file", error))
        return FALSE;
      value = iwb_cli_read_value_file (path, error);
      if (value == NULL)
        return FALSE;
      iwb_run_set_value (run, key, value);
    }
  return TRUE;
}

static void
add_ids (GPtrArray  *ids,
         JsonArray  *inputs,
         gboolean    connection,
         const char *sources)
{
  g_auto(GStrv) wanted = g_strsplit (sources, ",", -1);

  if (inputs == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonObject *o = iwb_json_array_get_object (inputs, i);
      const char *id;

      if (o == NULL ||
          !g_strv_contains ((const char * const *) wanted,
                            iwb_descriptor_input_get_source (o, connection)) ||
          !json_object_has_member (o, "id"))
        continue;
      id = iwb_descriptor_input_get_id (o);
      g_ptr_array_add (ids, g_strdup (id ? id : ""));
    }
}

GPtrArray *
iwb_cli_descriptor_ids (JsonNode   *descriptor,
                        const char *action_entrypoint,
                        gboolean    connection,
                        const char *sources)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  if (connection)
    add_ids (ids, iwb_descriptor_get_connection_inputs (descriptor, NULL), TRUE, sources);
  if (action_entrypoint != NULL)
    add_ids (ids, iwb_descriptor_action_get_inputs (iwb_descriptor_find_action (descriptor,
                                                                                action_entrypoint),
                                                    NULL),
             FALSE, sources);
  return ids;
}

/* ---------------------------------------------------------------------- */

IwbRun *
iwb_cli_prepare_run (IwbCliRunOptions *options,
                     const char       *folder,
                     const char       *action_name,
                     IwbRunOperation   operation,
                     int              *exit_code)
{
  g_autoptr(IwbPython) python = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  g_autoptr(JsonNode) descriptor = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbRun) run = NULL;
  g_autoptr(GPtrArray) known = NULL;
  g_autoptr(GFile) file = NULL;
  const char *entrypoint = NULL;
  IwbSdkChoice sdk = IWB_SDK_BUNDLED;

  if (options->sdk != NULL && !iwb_sdk_choice_from_string (options->sdk, &sdk))
    {
      fprintf (stderr, _("iwb: --sdk %s: expected “bundled” or “installed”\n"), options->sdk);
      *exit_code = IWB_EXIT_USAGE;
      return NULL;
    }
  if (options->timeout < 0)
    {
      fprintf (stderr, _("iwb: --timeout must be 0 (no timeout) or a number of seconds\n"));
      *exit_code = IWB_EXIT_USAGE;
      return NULL;
    }
  if (options->load_timeout < 0)
    {
      fprintf (stderr, _("iwb: --load-timeout must be a number of seconds\n"));
      *exit_code = IWB_EXIT_USAGE;
      return NULL;
    }

  /* pyenv hook: the integration's environment unless --python was given. */
  python = iwb_cli_python_for_folder (options->python, sdk, folder);
  if (iwb_python_resolve (python, &error) == NULL)
    {
      fprintf (stderr, "iwb: %s\n", error->message);
      *exit_code = IWB_EXIT_FAILED;
      return NULL;
    }

  integration = iwb_cli_load_integration (python, folder, (guint) options->load_timeout, &error);
  if (integration == NULL)
    {
      fprintf (stderr, _("iwb: cannot load the integration in %s:\n  %s\n"), folder, error->message);
      *exit_code = g_error_matches (error, IWB_ERROR, IWB_ERROR_CANCELLED) ? IWB_EXIT_TIMEOUT
                                                                          : IWB_EXIT_FAILED;
      return NULL;
    }
  {
    const char * const *errors = iwb_integration_get_errors (integration);

    if (errors != NULL && errors[0] != NULL)
      {
        fprintf (stderr, _("iwb: the SDK reported problems with %s:\n"), folder);
        for (guint i = 0; errors[i] != NULL; i++)
          fprintf (stderr, "  %s\n", errors[i]);
        if (iwb_integration_get_actions (integration) == NULL ||
            g_list_model_get_n_items (iwb_integration_get_actions (integration)) == 0)
          {
            *exit_code = IWB_EXIT_FAILED;
            return NULL;
          }
      }
  }

  if (action_name != NULL)
    {
      IwbAction *action = iwb_integration_find_action (integration, action_name);

      if (action == NULL)
        {
          GListModel *actions = iwb_integration_get_actions (integration);

          fprintf (stderr, _("iwb: %s has no action “%s”. Its actions (entrypoint, name):\n"),
                   folder, action_name);
          for (guint i = 0; i < g_list_model_get_n_items (actions); i++)
            {
              g_autoptr(IwbAction) a = g_list_model_get_item (actions, i);
              fprintf (stderr, "  %-28s %s\n", iwb_action_get_entrypoint (a), iwb_action_get_name (a));
            }
          *exit_code = IWB_EXIT_USAGE;
          return NULL;
        }
      entrypoint = iwb_action_get_entrypoint (action);
    }

  descriptor = iwb_descriptor_build (integration);
  file = g_file_new_for_commandline_arg (folder);
  run = iwb_run_new (python, file, descriptor, operation, entrypoint);
  if (options->timeout >= 0)
    iwb_run_set_timeout (run, (guint) options->timeout);
  iwb_run_set_ssl_verify (run, !options->no_ssl_verify);

  known = iwb_cli_descriptor_ids (descriptor, entrypoint, TRUE, "connection,param");
  if (!iwb_cli_apply_values (run, options, known, &error))
    {
      fprintf (stderr, "iwb: %s\n", error->message);
      *exit_code = IWB_EXIT_USAGE;
      return NULL;
    }

  *exit_code = IWB_EXIT_OK;
  return g_steal_pointer (&run);
}

gboolean
iwb_cli_apply_http_mode (IwbRun           *run,
                         IwbCliRunOptions *options,
                         IwbProfile       *profile,
                         int              *exit_code)
{
  IwbHttpMode mode = IWB_HTTP_MODE_LIVE;
  const char *cassette = NULL;
  gboolean strict = options->strict;

  *exit_code = IWB_EXIT_USAGE;
  if (options->record != NULL && options->replay != NULL)
    {
      fprintf (stderr, _("iwb: --record and --replay exclude each other: record against the "
                         "live service first, then replay that cassette\n"));
      return FALSE;
    }
  if ((options->record && options->record[0] == '\0') || (options->replay && options->replay[0] == '\0'))
    {
      fprintf (stderr, _("iwb: --record and --replay need a cassette file name\n"));
      return FALSE;
    }
  if (options->record != NULL)
    mode = IWB_HTTP_MODE_RECORD, cassette = options->record;
  else if (options->replay != NULL)
    mode = IWB_HTTP_MODE_REPLAY, cassette = options->replay;
  else if (profile != NULL && iwb_profile_get_http_mode (profile) != IWB_HTTP_MODE_LIVE)
    {
      /* The profile's mode, unless a flag says otherwise. */
      mode = iwb_profile_get_http_mode (profile);
      cassette = iwb_profile_get_cassette_path (profile);
      strict = strict || iwb_profile_get_replay_strict (profile);
      if (cassette == NULL)
        {
          fprintf (stderr, _("iwb: profile “%s” is in %s mode but names no cassette; set one "
                             "with “iwb profile” or give --record / --replay FILE\n"),
                   iwb_profile_get_name (profile), iwb_http_mode_to_string (mode));
          return FALSE;
        }
    }
  if (options->no_capture && (options->record != NULL || options->replay != NULL || options->har != NULL))
    {
      fprintf (stderr, _("iwb: --no-capture excludes --record, --replay and --har (they need the "
                         "capture)\n"));
      return FALSE;
    }
  if (options->no_capture)
    mode = IWB_HTTP_MODE_LIVE, cassette = NULL, strict = FALSE;
  if (strict && mode != IWB_HTTP_MODE_REPLAY)
    {
      fprintf (stderr, _("iwb: --strict applies to --replay FILE only\n"));
      return FALSE;
    }
  if (options->har != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (options->har);

      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        {
          fprintf (stderr, _("iwb: --har %s: the folder %s does not exist\n"), options->har, dir);
          return FALSE;
        }
      if (g_file_test (options->har, G_FILE_TEST_IS_DIR))
        {
          fprintf (stderr, _("iwb: --har %s: it is a folder; give a file name such as %s/calls.har\n"),
                   options->har, options->har);
          return FALSE;
        }
    }
  iwb_run_set_http_mode (run, mode, cassette, strict);
  iwb_run_set_capture (run, !options->no_capture);
  *exit_code = IWB_EXIT_OK;
  return TRUE;
}

gboolean
iwb_cli_check_run (IwbRun   *run,
                   gboolean  machine)
{
  g_autoptr(GPtrArray) problems = iwb_run_check (run);

  if (problems->len == 0)
    return TRUE;

  if (machine)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "event");
      json_builder_add_string_value (b, "validation-errors");
      json_builder_set_member_name (b, "local");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, "Checked locally with the SDK's coercion rules; "
                                        "no process was started.");
      json_builder_set_member_name (b, "errors");
      json_builder_begin_array (b);
      for (guint i = 0; i < problems->len; i++)
        {
          IwbFieldError *e = problems->pdata[i];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "field");
          json_builder_add_string_value (b, e->field);
          json_builder_set_member_name (b, "inputId");
          json_builder_add_string_value (b, e->input_id);
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, e->message);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      iwb_cli_print_json_line (stdout, root);
      fflush (stdout);
    }
  else
    {
      const char *red = iwb_cli_color (stdout, "\033[1;31m");
      const char *reset = iwb_cli_color (stdout, "\033[0m");

      printf (_("%sValidation errors%s (checked locally with the SDK's rules; no process was started)\n"),
              red, reset);
      for (guint i = 0; i < problems->len; i++)
        {
          IwbFieldError *e = problems->pdata[i];

          printf ("  %s%s%s: %s\n", red, e->field ? e->field : _("(action)"), reset, e->message);
        }
      printf (_("Give the values with --set ID=VALUE or --set-file ID=PATH%s.\n"),
              iwb_run_get_operation (run) == IWB_RUN_EXECUTE
                ? ", column mappings with --map ARG=COLUMN, templates with --template ARG=TEXT" : "");
    }
  return FALSE;
}

int
iwb_cli_execute_run (IwbRun           *run,
                     gboolean          machine,
                     IwbCliHttpOutput *http)
{
  g_autoptr(IwbCliReporter) reporter = iwb_cli_reporter_new (run, machine);
  g_autoptr(GError) error = NULL;
  int exit_code;

  if (http != NULL)
    iwb_cli_reporter_set_show_http (reporter, http->show_http);
  iwb_cli_run_to_end (run);
  iwb_cli_reporter_print_report (reporter);
  exit_code = iwb_cli_exit_code_for_run (run);
  if (http != NULL && http->har != NULL)
    {
      if (!iwb_har_write_file (iwb_run_get_exchanges (run), http->har, &error))
        {
          fprintf (stderr, "iwb: %s\n", error->message);
          if (exit_code == IWB_EXIT_OK)
            exit_code = IWB_EXIT_FAILED;
        }
      else if (!machine)
        fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "iwb: %u HTTP call written to %s\n",
                                      "iwb: %u HTTP calls written to %s\n",
                                      g_list_model_get_n_items (iwb_run_get_exchanges (run))),
                 g_list_model_get_n_items (iwb_run_get_exchanges (run)), http->har);
    }
  return exit_code;
}

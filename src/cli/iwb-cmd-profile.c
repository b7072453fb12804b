/* SPDX-License-Identifier: GPL-3.0-or-later */
/* iwb profile: list, save, show and delete the connection profiles of an integration. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "iwb-cli.h"
#include "iwb-cli-common.h"
#include "iwb-cli-session.h"

#define SECRET_MASK "••••••••"

static const char profile_description[] =
  N_("Commands:\n"
     "  list FOLDER                 the profiles of the integration in FOLDER\n"
     "  save FOLDER NAME [OPTION…]  create profile NAME, or change the values given\n"
     "  show FOLDER NAME            its values, secrets masked\n"
     "  delete FOLDER NAME          remove it and its secrets\n"
     "\n"
     "A profile holds connection parameter values and, per action (--action),\n"
     "action parameter values. Secret values (input type password or\n"
     "encryptedFile, or marked with --secret) go to the Secret Service keyring,\n"
     "never to the profiles file. A value may name an environment variable:\n"
     "--set API_KEY='${MY_API_KEY}' is read from the environment at each run.\n"
     "\n"
     "  iwb profile save examples/ticket-tracker demo --set TRACKER_URL=http://127.0.0.1:8765 \\\n"
     "                   --set TRACKER_USER=demo --set-file TRACKER_PASSWORD=password.txt\n"
     "  iwb run examples/ticket-tracker main.search_tickets --profile demo --input q.csv\n");

static int
usage (const char *message)
{
  fprintf (stderr, "iwb profile: %s\n%s", message,
           _("Usage: iwb profile list|save|show|delete FOLDER [NAME] [OPTION…]\n"
             "Run “iwb profile --help” for the options.\n"));
  return IWB_EXIT_USAGE;
}

static char *
folder_key (const char  *folder,
            GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (folder);

  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_A_FOLDER,
                   _("%s is not a folder (give the integration's folder)"), folder);
      return NULL;
    }
  return iwb_store_integration_key (file);
}

static int
cmd_list (IwbStore   *store,
          const char *folder,
          const char *key)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = iwb_store_list_profiles (store, key, &error);
  g_autofree char *last = NULL;

  iwb_cli_print_store_warnings (store);
  if (names == NULL)
    {
      fprintf (stderr, "iwb profile: %s\n", error->message);
      return IWB_EXIT_FAILED;
    }
  last = iwb_store_dup_last_profile (store, key, NULL);
  if (names[0] == NULL)
    fprintf (stderr, _("No profiles for %s yet: “iwb profile save %s NAME --set ID=VALUE…” "
                       "saves one.\n"), folder, folder);
  for (guint i = 0; names[i] != NULL; i++)
    printf ("%s%s\n", names[i], g_strcmp0 (names[i], last) == 0 ? _("  (last used)") : "");
  return IWB_EXIT_OK;
}

static void
print_scope (IwbProfile *profile,
             const char *action)
{
  g_auto(GStrv) ids = iwb_profile_dup_ids (profile, action);
  g_auto(GStrv) secrets = iwb_profile_dup_secret_ids (profile, action);
  JsonArray *rows = iwb_profile_get_rows (profile, action);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      const char *value = iwb_profile_get_value (profile, action, ids[i]);
      g_auto(GStrv) names = NULL;
      gboolean env = iwb_profile_value_is_env_reference (value, &names);

      if (iwb_profile_is_secret (profile, action, ids[i]) && !env)
        printf ("  %-24s %s  %s\n", ids[i], SECRET_MASK, _("(secret, in the keyring)"));
      else if (env)
        printf ("  %-24s %s  %s\n", ids[i], value, _("(from the environment)"));
      else
        printf ("  %-24s %s\n", ids[i], value);
    }
  for (guint i = 0; secrets[i] != NULL; i++)
    if (iwb_profile_get_value (profile, action, secrets[i]) == NULL)
      printf ("  %-24s %s\n", secrets[i], _("(secret, missing: give it again)"));
  if (rows != NULL)
    printf (g_dngettext (GETTEXT_PACKAGE, "  %u input row\n", "  %u input rows\n",
                         json_array_get_length (rows)), json_array_get_length (rows));
}

static int
cmd_show (IwbStore   *store,
          const char *key,
          const char *name,
          gboolean    json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbProfile) profile = iwb_store_load_profile (store, key, name, NULL, &error);
  g_auto(GStrv) actions = NULL;

  iwb_cli_print_store_warnings (store);
  if (profile == NULL)
    {
      fprintf (stderr, "iwb profile: %s\n", error->message);
      return g_error_matches (error, IWB_ERROR, IWB_ERROR_NOT_FOUND) ? IWB_EXIT_USAGE
                                                                     : IWB_EXIT_FAILED;
    }
  if (json)
    {
      g_autoptr(JsonNode) node = iwb_profile_to_json (profile, FALSE);

      iwb_cli_print_json_line (stdout, node);
      return IWB_EXIT_OK;
    }
  actions = iwb_profile_dup_actions (profile);
  printf (_("Profile “%s” of %s\n"), name, key);
  printf (_("Connection:\n"));
  print_scope (profile, NULL);
  for (guint i = 0; actions[i] != NULL; i++)
    {
      printf (_("Action %s:\n"), actions[i]);
      print_scope (profile, actions[i]);
    }
  if (iwb_profile_get_http_mode (profile) == IWB_HTTP_MODE_RECORD)
    printf (_("HTTP: record into %s\n"), iwb_profile_get_cassette_path (profile));
  else if (iwb_profile_get_http_mode (profile) == IWB_HTTP_MODE_REPLAY)
    printf (_("HTTP: replay from %s%s\n"), iwb_profile_get_cassette_path (profile),
            iwb_profile_get_replay_strict (profile) ? _(" (strict)") : "");
  if (iwb_store_get_secrets_in_memory (store))
    printf (_("Secrets are not saved: there is no keyring in this session.\n"));
  return IWB_EXIT_OK;
}

static gboolean
find_input (GPtrArray   *inputs,
            const char  *id,
            JsonObject **input)
{
  for (guint i = 0; i < inputs->len; i++)
    if (g_str_equal (json_object_get_string_member_with_default (inputs->pdata[i], "id", ""), id))
      {
        *input = inputs->pdata[i];
        return TRUE;
      }
  return FALSE;
}

static char *
known_list (GPtrArray *inputs)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < inputs->len; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "",
                            json_object_get_string_member_with_default (inputs->pdata[i], "id", ""));
  return g_string_free (g_steal_pointer (&list), FALSE);
}

static int
cmd_save (IwbStore          *store,
          const char        *folder,
          const char        *key,
          const char        *name,
          IwbCliRunOptions  *options,
          const char        *action_name,
          char             **secret_ids,
          char             **unset_ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbPython) python = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  g_autoptr(JsonNode) descriptor = NULL;
  g_autoptr(IwbProfile) profile = NULL;
  g_autoptr(GPtrArray) conn = NULL;
  g_autoptr(GPtrArray) act = NULL;
  const char *entrypoint = NULL;
  IwbSdkChoice sdk = IWB_SDK_BUNDLED;

  if (options->sdk != NULL && !iwb_sdk_choice_from_string (options->sdk, &sdk))
    return usage (_("--sdk: expected “bundled” or “installed”"));
  /* The integration says which parameters are secret. */
  python = iwb_python_new (options->python, sdk);
  if (iwb_python_resolve (python, &error) == NULL)
    {
      fprintf (stderr, "iwb profile: %s\n", error->message);
      return IWB_EXIT_FAILED;
    }
  integration = iwb_cli_load_integration (python, folder, (guint) MAX (options->load_timeout, 0), &error);
  if (integration == NULL)
    {
      fprintf (stderr, _("iwb profile: cannot load the integration in %s, so which of its "
                         "parameters are secret is unknown; nothing was saved:\n  %s\n"),
               folder, error->message);
      return IWB_EXIT_FAILED;
    }
  if (action_name != NULL)
    {
      IwbAction *action = iwb_integration_find_action (integration, action_name);

      if (action == NULL)
        {
          fprintf (stderr, _("iwb profile: %s has no action “%s”\n"), folder, action_name);
          return IWB_EXIT_USAGE;
        }
      entrypoint = iwb_action_get_entrypoint (action);
    }
  descriptor = iwb_descriptor_build (integration);
  conn = iwb_cli_descriptor_inputs (descriptor, NULL);
  act = entrypoint ? iwb_cli_descriptor_inputs (descriptor, entrypoint) : NULL;

  profile = iwb_store_load_profile (store, key, name, NULL, &error);
  if (profile == NULL && !g_error_matches (error, IWB_ERROR, IWB_ERROR_NOT_FOUND))
    {
      iwb_cli_print_store_warnings (store);
      fprintf (stderr, "iwb profile: %s\n", error->message);
      return IWB_EXIT_FAILED;
    }
  g_clear_error (&error);
  if (profile == NULL)
    profile = iwb_profile_new (name);

  for (int pass = 0; pass < 4; pass++)
    {
      char **list = pass == 0 ? options->set : pass == 1 ? options->set_file
                    : pass == 2 ? secret_ids : unset_ids;
      const char *option = pass == 0 ? "--set" : pass == 1 ? "--set-file"
                           : pass == 2 ? "--secret" : "--unset";

      for (guint i = 0; list != NULL && list[i] != NULL; i++)
        {
          g_autofree char *id = NULL;
          g_autofree char *value = NULL;
          JsonObject *input = NULL;
          const char *scope = NULL;

          if (pass < 2)
            {
              if (!iwb_cli_split_assignment (list[i], option, &id, &value, &error))
                {
                  fprintf (stderr, "iwb profile: %s\n", error->message);
                  return IWB_EXIT_USAGE;
                }
            }
          else
            id = g_strdup (list[i]);
          if (act != NULL && find_input (act, id, &input))
            scope = entrypoint;
          else if (!find_input (conn, id, &input))
            {
              g_autofree char *known = known_list (act ? act : conn);

              fprintf (stderr, _("iwb profile: %s %s: %s has no such parameter; its parameters: %s\n"),
                       option, id, entrypoint ? entrypoint : _("the connection"),
                       *known ? known : _("(none)"));
              return IWB_EXIT_USAGE;
            }
          if (pass == 1)
            {
              g_autofree char *path = g_steal_pointer (&value);

              value = iwb_cli_read_value_file (path, &error);
              if (value == NULL)
                {
                  fprintf (stderr, "iwb profile: %s\n", error->message);
                  return IWB_EXIT_USAGE;
                }
            }
          if (pass < 2)
            {
              const char *no_env[] = { NULL };
              g_autofree char *what = g_strdup_printf ("%s %s", option, id);
              g_autofree char *checked = NULL;

              /* only the syntax of `${NAME}`: the variable is read at run time */
              checked = iwb_profile_expand_value (value, no_env, what, &error);
              if (checked == NULL && !g_error_matches (error, IWB_ERROR, IWB_ERROR_ENV_MISSING))
                {
                  fprintf (stderr, "iwb profile: %s\n", error->message);
                  return IWB_EXIT_USAGE;
                }
              g_clear_error (&error);
              iwb_profile_set_value (profile, scope, id, value);
              if (iwb_cli_input_is_secret (input))
                iwb_profile_set_secret (profile, scope, id, TRUE);
            }
          else if (pass == 2)
            iwb_profile_set_secret (profile, scope, id, TRUE);
          else
            iwb_profile_set_value (profile, scope, id, NULL);
        }
    }

  /* -- HTTP mode (helper wire): --live (no_capture here), --record, --replay, --strict */
  if ((options->record != NULL) + (options->replay != NULL) + (options->no_capture != FALSE) > 1 ||
      (options->strict && options->replay == NULL))
    {
      fprintf (stderr, _("iwb profile: give one of --live, --record FILE, --replay FILE "
                         "(--strict goes with --replay)\n"));
      return IWB_EXIT_USAGE;
    }
  if (options->no_capture)
    iwb_profile_set_http_mode (profile, IWB_HTTP_MODE_LIVE, NULL);
  else if (options->record != NULL || options->replay != NULL)
    {
      iwb_profile_set_http_mode (profile, options->record ? IWB_HTTP_MODE_RECORD : IWB_HTTP_MODE_REPLAY,
                                 options->record ? options->record : options->replay);
      iwb_profile_set_replay_strict (profile, options->strict);
    }

  if (!iwb_store_save_profile (store, key, profile, NULL, &error))
    {
      iwb_cli_print_store_warnings (store);
      fprintf (stderr, "iwb profile: %s\n", error->message);
      return IWB_EXIT_FAILED;
    }
  iwb_cli_print_store_warnings (store);
  fprintf (stderr, _("Saved profile “%s” of %s in %s%s.\n"), name, key, iwb_store_get_path (store),
           iwb_store_get_secrets_in_memory (store) ? _(" (secrets not saved: no keyring)")
                                                   : _(" (secrets in the keyring)"));
  return IWB_EXIT_OK;
}

int
iwb_cmd_profile (int    argc,
                 char **argv)
{
  IwbCliRunOptions options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbStore) store = NULL;
  g_autofree char *key = NULL;
  g_autofree char *action = NULL;
  g_autofree char *format = NULL;
  g_auto(GStrv) secrets = NULL;
  g_auto(GStrv) unset = NULL;
  const char *command;
  int status;
  GOptionEntry entries[] = {
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &options.set,
      N_("save: the value of a parameter (a `${NAME}` is read from the environment at run time)"),
      N_("ID=VALUE") },
    { "set-file", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.set_file,
      N_("save: the value of a parameter from a file (for secrets)"), N_("ID=PATH") },
    { "secret", 0, 0, G_OPTION_ARG_STRING_ARRAY, &secrets,
      N_("save: keep this parameter in the keyring even if it is not a password"), N_("ID") },
    { "unset", 0, 0, G_OPTION_ARG_STRING_ARRAY, &unset,
      N_("save: remove the value of a parameter"), N_("ID") },
    { "action", 'a', 0, G_OPTION_ARG_STRING, &action,
      N_("save: the values are the parameters of ACTION (else of the connection)"), N_("ACTION") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("show: text (default) or json"), N_("FORMAT") },
    { "python", 0, 0, G_OPTION_ARG_FILENAME, &options.python,
      N_("save: the Python interpreter that loads the integration"), N_("PATH") },
    { "sdk", 0, 0, G_OPTION_ARG_STRING, &options.sdk,
      N_("save: bundled (default) or installed lhub_integ"), N_("SDK") },
    /* -- HTTP mode of the profile's runs (helper wire) */
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &options.record,
      N_("save: the profile's runs record their HTTP calls into the cassette FILE"), N_("FILE") },
    { "replay", 0, 0, G_OPTION_ARG_FILENAME, &options.replay,
      N_("save: the profile's runs answer their HTTP calls from the cassette FILE"), N_("FILE") },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &options.strict,
      N_("save: with --replay, an unrecorded call fails"), NULL },
    { "live", 0, 0, G_OPTION_ARG_NONE, &options.no_capture,
      N_("save: the profile's runs go to the network (no record or replay)"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("list|save|show|delete FOLDER [NAME] — connection profiles"));
  g_option_context_set_summary (context, _("Named sets of connection values of an integration."));
  g_option_context_set_description (context, _(profile_description));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("iwb profile");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      iwb_cli_run_options_clear (&options);
      return usage (error->message);
    }
  if (argc < 3)
    {
      iwb_cli_run_options_clear (&options);
      return usage (_("expected a command and a FOLDER"));
    }
  command = argv[1];
  if (g_str_equal (command, "list") ? argc != 3
      : (g_str_equal (command, "save") || g_str_equal (command, "show") ||
         g_str_equal (command, "delete")) ? argc != 4 : TRUE)
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s”: expected list FOLDER, or save|show|delete FOLDER NAME"), command);

      iwb_cli_run_options_clear (&options);
      return usage (message);
    }
  if (format != NULL && !g_str_equal (format, "text") && !g_str_equal (format, "json"))
    {
      iwb_cli_run_options_clear (&options);
      return usage (_("--format: expected text or json"));
    }
  key = folder_key (argv[2], &error);
  if (key == NULL)
    {
      iwb_cli_run_options_clear (&options);
      fprintf (stderr, "iwb profile: %s\n", error->message);
      return IWB_EXIT_USAGE;
    }
  store = iwb_store_new (NULL);
  if (g_str_equal (command, "list"))
    status = cmd_list (store, argv[2], key);
  else if (g_str_equal (command, "show"))
    status = cmd_show (store, key, argv[3], g_strcmp0 (format, "json") == 0);
  else if (g_str_equal (command, "save"))
    status = cmd_save (store, argv[2], key, argv[3], &options, action, secrets, unset);
  else
    {
      if (iwb_store_delete_profile (store, key, argv[3], NULL, &error))
        {
          fprintf (stderr, _("Deleted profile “%s” and its secrets.\n"), argv[3]);
          status = IWB_EXIT_OK;
        }
      else
        {
          fprintf (stderr, "iwb profile: %s\n", error->message);
          status = g_error_matches (error, IWB_ERROR, IWB_ERROR_NOT_FOUND) ? IWB_EXIT_USAGE
                                                                          : IWB_EXIT_FAILED;
        }
      iwb_cli_print_store_warnings (store);
    }
  iwb_cli_run_options_clear (&options);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iwb inspect FOLDER [--format text|metadata|descriptor] [--python PATH]
 *                    [--sdk bundled|installed] [--load-timeout S]
 *
 * Loads an integration folder the way the platform introspects it and
 * prints a summary, the SDK metadata exactly as generate_metadata printed
 * it, or the platform descriptor.
 *
 * --format metadata prints generate_metadata's result text even when the
 * integration does not load (a module fails to import, no action): the SDK
 * prints its metadata with "ok": false then, and so does stdout here, while
 * the explanation goes to stderr and the exit status is 2.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "iwb-cli.h"
#include "iwb-cli-common.h"
#include "iwb-core.h"

static void
print_wrapped (const char *indent,
               const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    printf ("%s%s\n", indent, lines[i]);
}

static void
print_param (IwbParam *param)
{
  g_autoptr(GString) attrs = g_string_new (NULL);
  const char *label = iwb_param_get_label (param);
  const char *description = iwb_param_get_description (param);
  JsonNode *default_value = iwb_param_get_default (param);
  JsonArray *options = iwb_param_get_options (param);

  g_string_append_printf (attrs, "%s, %s, %s", iwb_param_get_data_type (param),
                          iwb_param_get_input_type (param),
                          iwb_param_get_optional (param) ? _("optional") : _("required"));
  if (default_value != NULL)
    {
      g_autofree char *json = iwb_json_to_string (default_value, FALSE);

      g_string_append_printf (attrs, _(", default %s"), json);
    }
  if (options != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), options);
      g_autofree char *json = iwb_json_to_string (node, FALSE);

      g_string_append_printf (attrs, _(", options %s"), json);
    }

  if (label != NULL && g_strcmp0 (label, iwb_param_get_id (param)) != 0)
    printf ("    %s “%s” (%s)\n", iwb_param_get_id (param), label, attrs->str);
  else
    printf ("    %s (%s)\n", iwb_param_get_id (param), attrs->str);
  if (description != NULL && description[0] != '\0')
    print_wrapped ("        ", description);
}

static void
print_params (const char *title,
              GListModel *params)
{
  guint n = g_list_model_get_n_items (params);

  printf ("  %s:%s\n", title, n == 0 ? _(" none") : "");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IwbParam) param = g_list_model_get_item (params, i);

      print_param (param);
    }
}

static void
print_text (IwbIntegration *integration)
{
  GListModel *connection = iwb_integration_get_connection_params (integration);
  GListModel *actions = iwb_integration_get_actions (integration);
  GPtrArray *warnings = iwb_integration_get_warnings (integration);
  g_autofree char *folder = g_file_get_path (iwb_integration_get_folder (integration));
  const char *description = iwb_integration_get_description (integration);
  guint n;

  printf (_("Name:        %s\n"), iwb_integration_get_name (integration)
                                  ? iwb_integration_get_name (integration) : _("(none)"));
  printf (_("Folder:      %s\n"), folder);
  printf (_("Logo URL:    %s\n"), iwb_integration_get_logo_url (integration)
                                  ? iwb_integration_get_logo_url (integration) : _("(none)"));
  printf (_("Description:\n"));
  print_wrapped ("  ", description ? description : _("(none)"));

  n = g_list_model_get_n_items (connection);
  printf (_("\nConnection parameters (%u):\n"), n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IwbParam) param = g_list_model_get_item (connection, i);

      print_param (param);
    }

  n = g_list_model_get_n_items (actions);
  printf (_("\nActions (%u):\n"), n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IwbAction) action = g_list_model_get_item (actions, i);
      const char * const *errors = iwb_action_get_errors (action);

      printf ("\n%s (%s)\n", iwb_action_get_name (action), iwb_action_get_entrypoint (action));
      if (iwb_action_get_description (action) != NULL)
        print_wrapped ("  ", iwb_action_get_description (action));
      print_params (_("Parameters"), iwb_action_get_params (action));
      print_params (_("Arguments (input columns)"), iwb_action_get_args (action));
      if (errors[0] != NULL)
        {
          printf (_("  Errors reported by the SDK:\n"));
          for (guint e = 0; errors[e] != NULL; e++)
            printf ("    %s\n", errors[e]);
        }
    }

  printf (_("\nWarnings (%u):%s\n"), warnings->len, warnings->len == 0 ? _(" none") : "");
  for (guint i = 0; i < warnings->len; i++)
    {
      g_autofree char *text = iwb_diagnostic_to_string (g_ptr_array_index (warnings, i));

      printf ("  %s\n", text);
    }
}

static void
print_warnings_to_stderr (IwbIntegration *integration)
{
  GPtrArray *warnings = iwb_integration_get_warnings (integration);

  for (guint i = 0; i < warnings->len; i++)
    {
      g_autofree char *text = iwb_diagnostic_to_string (g_ptr_array_index (warnings, i));

      fprintf (stderr, _("warning: %s\n"), text);
    }
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  fprintf (stderr, _("iwb inspect: %s\nRun “iwb inspect --help” for usage.\n"), message);
  return IWB_EXIT_USAGE;
}

int
iwb_cmd_inspect (int    argc,
                 char **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *python_path = NULL;
  g_autofree char *sdk_name = NULL;
  int load_timeout = 0;
  g_auto(GStrv) rest = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("What to print: text (a summary, the default), metadata (the SDK metadata JSON exactly "
      "as generate_metadata printed it) or descriptor (the platform descriptor)"),
      "text|metadata|descriptor" },
    { "python", 0, 0, G_OPTION_ARG_FILENAME, &python_path,
      N_("The Python interpreter (default: $IWB_PYTHON, else python3 on PATH)"), N_("PATH") },
    { "sdk", 0, 0, G_OPTION_ARG_STRING, &sdk_name,
      N_("Which lhub_integ to use: bundled (the workbench's runtime, the default) or installed "
      "(the interpreter's own)"), "bundled|installed" },
    { "load-timeout", 0, 0, G_OPTION_ARG_INT, &load_timeout,
      N_("Kill loading (generate_metadata) after S seconds (default 30)"), N_("S") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, N_("FOLDER") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbPython) python = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  g_autofree char *result_text = NULL;
  IwbSdkChoice sdk = IWB_SDK_BUNDLED;
  int status;

  g_option_context_set_summary (context,
    _("Load an integration folder the way the platform introspects it (python3 -m "
    "lhub_integ.generate_metadata in the folder) and print what it declares: name, "
    "description, connection parameters, actions with their parameters and arguments, and "
    "warnings about problems the SDK does not report."));
  g_option_context_set_description (context,
    _("With --format metadata or descriptor, stdout holds only the JSON; warnings go to "
    "stderr as “warning: FILE:LINE: …”.\n\n"
    "Exit status:\n"
    "  0   the integration loaded\n"
    "  2   it could not be loaded (the reason is printed on stderr)\n"
    "  3   cancelled (Ctrl+C)\n"
    "  64  usage error\n"
    "\n"
    "With --format metadata and exit status 2, stdout still holds what "
    "generate_metadata printed, as the SDK prints it: when a module cannot be "
    "imported (a missing package, a syntax error) or no action is found, that "
    "is the metadata with \"ok\": false and the reason in \"errors\". It is "
    "empty when generate_metadata printed no result (it crashed, timed out, or "
    "a module ended the process).\n"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* argv[0] is "inspect": show "iwb inspect" in --help */
  g_set_prgname ("iwb inspect");

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);

  if (rest == NULL || rest[0] == NULL)
    return usage_error (context, "missing FOLDER (the integration folder to inspect)");
  if (rest[1] != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”: give one FOLDER"),
                                                  rest[1]);
      return usage_error (context, message);
    }
  if (format == NULL)
    format = g_strdup ("text");
  if (!g_str_equal (format, "text") && !g_str_equal (format, "metadata") &&
      !g_str_equal (format, "descriptor"))
    {
      g_autofree char *message =
        g_strdup_printf (_("unknown --format “%s”: use text, metadata or descriptor"), format);
      return usage_error (context, message);
    }
  if (sdk_name != NULL && !iwb_sdk_choice_from_string (sdk_name, &sdk))
    {
      g_autofree char *message =
        g_strdup_printf (_("unknown --sdk “%s”: use bundled or installed"), sdk_name);
      return usage_error (context, message);
    }

  if (load_timeout < 0)
    return usage_error (context, "--load-timeout must be a number of seconds");

  /* pyenv hook: the integration's environment unless --python was given. */
  python = iwb_cli_python_for_folder (python_path, sdk, rest[0]);
  integration = iwb_cli_load_integration_full (python, rest[0], (guint) load_timeout,
                                               &result_text, &error);
  if (integration == NULL)
    {
      /* What the SDK printed comes first, on stdout, exactly as printed. */
      if (g_str_equal (format, "metadata") && result_text != NULL)
        {
          fwrite (result_text, 1, strlen (result_text), stdout);
          fputc ('\n', stdout);
          fflush (stdout);
        }
      fprintf (stderr, "iwb inspect: %s\n", error->message);
      return g_error_matches (error, IWB_ERROR, IWB_ERROR_CANCELLED) ? IWB_EXIT_TIMEOUT
                                                                     : IWB_EXIT_FAILED;
    }

  if (g_str_equal (format, "metadata"))
    {
      printf ("%s\n", iwb_integration_get_metadata_json (integration));
      print_warnings_to_stderr (integration);
    }
  else if (g_str_equal (format, "descriptor"))
    {
      g_autoptr(JsonNode) descriptor = iwb_descriptor_build (integration);
      g_autofree char *text = iwb_descriptor_to_string (descriptor, TRUE);

      printf ("%s\n", text);
      print_warnings_to_stderr (integration);
    }
  else
    print_text (integration);

  status = fflush (stdout) == 0 ? IWB_EXIT_OK : IWB_EXIT_FAILED;
  return status;
}

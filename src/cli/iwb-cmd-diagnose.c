/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iwb diagnose [FOLDER] [--profile NAME] [--set ID=VALUE]... [--url URL]... [--ca-file PEM]
 *              [--timeout S] [--format text|json]
 *
 * For every connection value of FOLDER that is an http(s) URL (its --set
 * value, else the profile's, else its default) and every --url: which layer of the connection
 * fails — proxy, name resolution, TCP, TLS, HTTP status (iwb-diagnose.h).
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "iwb-cli.h"
#include "iwb-cli-common.h"
#include "iwb-cli-session.h"
#include "iwb-diagnose.h"
#include "iwb-diagnose-call.h"

static int
usage_error (const char *message)
{
  fprintf (stderr, _("iwb diagnose: %s\nRun “iwb diagnose --help” for usage.\n"), message);
  return IWB_EXIT_USAGE;
}

static gboolean
is_http_url (const char *value)
{
  g_autofree char *v = g_strstrip (g_strdup (value));

  return g_ascii_strncasecmp (v, "http://", 7) == 0 || g_ascii_strncasecmp (v, "https://", 8) == 0;
}

static gboolean
is_secret_param (IwbParam *param)
{
  const char *input = iwb_param_get_input_type (param);

  return iwb_descriptor_input_type_is_secret (input);
}

static gboolean
cancel_on_signal (gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
  return G_SOURCE_CONTINUE;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static void
print_text (IwbDiagnose *d,
            FILE        *out)
{
  const char *bold = iwb_cli_color (out, "1");
  const char *reset = iwb_cli_color (out, "0");

  if (iwb_diagnose_get_label (d) != NULL)
    fprintf (out, _("%s%s%s = %s\n"), bold, iwb_diagnose_get_label (d), reset, iwb_diagnose_get_display_url (d));
  else
    fprintf (out, "%s%s%s\n", bold, iwb_diagnose_get_display_url (d), reset);
  for (guint i = 0; i < IWB_DIAGNOSE_N_LAYERS; i++)
    {
      IwbDiagnoseState state = iwb_diagnose_get_state (d, i);
      const char *color = state == IWB_DIAGNOSE_PASSED ? "32" : state == IWB_DIAGNOSE_FAILED ? "1;31" : "2";
      const char *detail = iwb_diagnose_get_detail (d, i);

      fprintf (out, "  %s%-11s%s %-16s %s\n", iwb_cli_color (out, color),
               iwb_diagnose_state_to_string (state), reset, iwb_diagnose_layer_to_string (i),
               detail ? detail : "");
    }
  if (iwb_diagnose_get_passed (d))
    fprintf (out, _("  Every layer passed.\n"));
  else
    for (guint i = 0; i < IWB_DIAGNOSE_N_LAYERS; i++)
      if (iwb_diagnose_get_state (d, i) == IWB_DIAGNOSE_FAILED)
        {
          fprintf (out, _("  %sFirst failing layer: %s%s\n"), bold, iwb_diagnose_layer_to_string (i), reset);
          break;
        }
}

/* The last layer: the connection validation, run with capture; the
 * first call of it that failed. */
static IwbRun *
run_validator (IwbPython      *python,
               const char     *folder,
               IwbIntegration *integration,
               GHashTable     *values)
{
  g_autoptr(JsonNode) descriptor = iwb_descriptor_build (integration);
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (folder);
  IwbRun *run = iwb_run_new (python, file, descriptor, IWB_RUN_VALIDATE_CONNECTION, NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    iwb_run_set_value (run, key, value);
  iwb_cli_run_to_end (run);
  return run;
}

static gboolean
validator_passed (IwbRun *run)
{
  g_autoptr(IwbHttpExchange) failing = iwb_diagnose_find_failing_call (iwb_run_get_exchanges (run));

  return failing == NULL && iwb_run_get_status (run) == IWB_RUN_STATUS_SUCCEEDED;
}

static char *
validator_detail (IwbRun *run)
{
  GListModel *calls = iwb_run_get_exchanges (run);
  g_autoptr(IwbHttpExchange) failing = iwb_diagnose_find_failing_call (calls);
  guint n = g_list_model_get_n_items (calls);
  IwbRunEvent *fin = iwb_run_get_finished_event (run);

  if (failing != NULL)
    {
      g_autofree char *call = iwb_diagnose_describe_call (failing);

      return g_strdup_printf (_("the validator’s call %s"), call);
    }
  if (iwb_run_get_status (run) != IWB_RUN_STATUS_SUCCEEDED)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "its %u HTTP call succeeded, but the validation did not "
                                         "pass (%s): see “iwb validate”",
                                         "its %u HTTP calls succeeded, but the validation did not "
                                         "pass (%s): see “iwb validate”", n),
                            n, fin ? iwb_run_event_get_exit_meaning (fin) : "");
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "the validation passed; its %u HTTP call "
                                       "succeeded", "the validation passed; its %u HTTP calls "
                                       "succeeded", n), n);
}

static void
print_validator (IwbRun *run,
                 FILE   *out,
                 gboolean json)
{
  g_autofree char *detail = validator_detail (run);
  gboolean passed = validator_passed (run);
  g_autoptr(IwbHttpExchange) failing = iwb_diagnose_find_failing_call (iwb_run_get_exchanges (run));

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "validator");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "passed");
      json_builder_add_boolean_value (b, passed);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, iwb_run_status_to_string (iwb_run_get_status (run)));
      json_builder_set_member_name (b, "calls");
      json_builder_add_int_value (b, g_list_model_get_n_items (iwb_run_get_exchanges (run)));
      json_builder_set_member_name (b, "detail");
      json_builder_add_string_value (b, detail);
      if (failing != NULL)
        {
          json_builder_set_member_name (b, "failing_call");
          json_builder_add_value (b, json_node_copy (iwb_http_exchange_get_json (failing)));
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      iwb_cli_print_json_line (out, root);
      return;
    }
  fprintf (out, _("\n%sThe connection validator%s (run with HTTP capture)\n"),
           iwb_cli_color (out, "\033[1m"), iwb_cli_color (out, "\033[0m"));
  fprintf (out, "  %s%-11s%s %s: %s\n",
           iwb_cli_color (out, passed ? "\033[32m" : "\033[1;31m"),
           iwb_diagnose_state_to_string (passed ? IWB_DIAGNOSE_PASSED : IWB_DIAGNOSE_FAILED),
           iwb_cli_color (out, "\033[0m"), _("Validator’s own calls"), detail);
}

/* The profile's connection values (secrets from the keyring, ${NAME} from the
 * environment) into @values, where --set did not give one. */
static gboolean
add_profile_values (const char  *folder,
                    const char  *name,
                    GHashTable  *values,
                    GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (folder);
  g_autofree char *key = iwb_store_integration_key (file);
  g_autoptr(IwbStore) store = iwb_store_new (NULL);
  g_autoptr(IwbProfile) profile = iwb_store_load_profile (store, key, name, NULL, error);
  g_auto(GStrv) ids = NULL;

  iwb_cli_print_store_warnings (store);
  if (profile == NULL)
    return FALSE;
  ids = iwb_profile_dup_ids (profile, NULL);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autofree char *what = g_strdup_printf (_("parameter %s of profile %s"), ids[i], name);
      char *value;

      if (g_hash_table_contains (values, ids[i]))
        continue;
      value = iwb_profile_expand_value (iwb_profile_get_value (profile, NULL, ids[i]), NULL, what, error);
      if (value == NULL)
        return FALSE;
      g_hash_table_insert (values, g_strdup (ids[i]), value);
    }
  return TRUE;
}

int
iwb_cmd_diagnose (int    argc,
                  char **argv)
{
  g_auto(GStrv) sets = NULL;
  g_auto(GStrv) set_files = NULL;
  g_auto(GStrv) urls = NULL;
  g_auto(GStrv) rest = NULL;
  g_autofree char *format = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *python_path = NULL;
  g_autofree char *sdk_name = NULL;
  g_autofree char *profile_name = NULL;
  int timeout = 10;
  int load_timeout = 0;
  gboolean no_validator = FALSE;
  const GOptionEntry entries[] = {
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      N_("The value of a connection input (repeatable)"), N_("ID=VALUE") },
    { "set-file", 0, 0, G_OPTION_ARG_STRING_ARRAY, &set_files,
      N_("The value of a connection input, read from a file (repeatable)"), N_("ID=PATH") },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name,
      N_("Take the connection values of this saved profile (--set overrides single values)"), N_("NAME") },
    { "url", 'u', 0, G_OPTION_ARG_STRING_ARRAY, &urls,
      N_("Also check this URL (repeatable; FOLDER is optional then)"), N_("URL") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Trust the CA certificates of this PEM file instead of the system’s"), N_("PEM") },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout,
      N_("Seconds each layer may take (default 10)"), N_("S") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("text (the default) or json (one object per URL, one per line)"), "text|json" },
    { "python", 0, 0, G_OPTION_ARG_FILENAME, &python_path,
      N_("The Python interpreter that loads FOLDER (default: $IWB_PYTHON, else python3)"), N_("PATH") },
    { "sdk", 0, 0, G_OPTION_ARG_STRING, &sdk_name,
      N_("Which lhub_integ loads FOLDER: bundled (default) or installed"), "bundled|installed" },
    { "load-timeout", 0, 0, G_OPTION_ARG_INT, &load_timeout,
      N_("Kill loading (generate_metadata) after S seconds (default 30)"), N_("S") },
    { "no-validator", 0, 0, G_OPTION_ARG_NONE, &no_validator,
      N_("Do not run the connection validator (by default it runs with HTTP capture, its hosts "
         "are checked too, and its first failing call is the last layer)"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, N_("FOLDER") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("[FOLDER] — why a connection fails, layer by layer"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean json;
  gboolean all_passed = TRUE;
  guint sigint, sigterm;
  g_autoptr(IwbPython) python = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  g_autoptr(IwbRun) validation = NULL;

  g_option_context_set_summary (context,
    _("For every connection value of FOLDER that is an http(s) URL (given with --set, else its "
      "default) and every --url, check the connection layer by layer: proxy in use, name "
      "resolution, TCP connect, TLS handshake (expired, unknown issuer, name mismatch, with the "
      "certificate’s subject, issuer and dates) and the HTTP status of the URL. Each layer "
      "passed, failed (why, in plain words) or was not reached."));
  g_option_context_set_description (context,
    _("Exit status:\n"
      "  0   every layer of every URL passed, and the connection validator's calls\n"
      "  1   a layer failed\n"
      "  2   FOLDER could not be loaded\n"
      "  3   cancelled (Ctrl+C)\n"
      "  64  usage error (also: no value is an http(s) URL)\n"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("iwb diagnose");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (format == NULL)
    format = g_strdup ("text");
  if (!g_str_equal (format, "text") && !g_str_equal (format, "json"))
    return usage_error (_("--format is text or json"));
  json = g_str_equal (format, "json");
  if (json)
    iwb_cli_report_machine_locale ();
  if (timeout <= 0 || timeout > 600)
    return usage_error (_("--timeout is a number of seconds from 1 to 600"));
  if (rest != NULL && rest[0] != NULL && rest[1] != NULL)
    return usage_error (_("give one FOLDER"));
  if ((rest == NULL || rest[0] == NULL) && (urls == NULL || urls[0] == NULL))
    return usage_error (_("give the integration FOLDER, or a URL with --url"));
  if ((rest == NULL || rest[0] == NULL) && (sets != NULL || set_files != NULL || profile_name != NULL))
    return usage_error (_("--set, --set-file and --profile need the integration FOLDER"));

  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      char *key = NULL, *value = NULL;

      if (!iwb_cli_split_assignment (sets[i], "--set", &key, &value, &error))
        return usage_error (error->message);
      g_hash_table_replace (values, key, value);
    }
  for (guint i = 0; set_files != NULL && set_files[i] != NULL; i++)
    {
      g_autofree char *path = NULL;
      char *key = NULL, *value;

      if (!iwb_cli_split_assignment (set_files[i], "--set-file", &key, &path, &error))
        return usage_error (error->message);
      value = iwb_cli_read_value_file (path, &error);
      if (value == NULL)
        {
          g_free (key);
          return usage_error (error->message);
        }
      g_hash_table_replace (values, key, value);
    }

  if (rest != NULL && rest[0] != NULL)
    {
      IwbSdkChoice sdk = IWB_SDK_BUNDLED;
      GListModel *params;
      g_autoptr(GString) ids = g_string_new (NULL);
      GHashTableIter iter;
      gpointer key;

      if (sdk_name != NULL && !iwb_sdk_choice_from_string (sdk_name, &sdk))
        return usage_error (_("--sdk is bundled or installed"));
      python = iwb_python_new (python_path, sdk);
      integration = iwb_cli_load_integration (python, rest[0], (guint) MAX (load_timeout, 0), &error);
      if (integration == NULL)
        {
          fprintf (stderr, _("iwb diagnose: cannot load the integration in %s:\n  %s\n"), rest[0], error->message);
          return g_error_matches (error, IWB_ERROR, IWB_ERROR_CANCELLED) ? IWB_EXIT_TIMEOUT : IWB_EXIT_FAILED;
        }
      params = iwb_integration_get_connection_params (integration);
      for (guint i = 0; i < g_list_model_get_n_items (params); i++)
        {
          g_autoptr(IwbParam) param = g_list_model_get_item (params, i);

          g_string_append_printf (ids, "%s%s", ids->len ? ", " : "", iwb_param_get_id (param));
        }
      g_hash_table_iter_init (&iter, values);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          gboolean known = FALSE;

          for (guint i = 0; i < g_list_model_get_n_items (params) && !known; i++)
            {
              g_autoptr(IwbParam) param = g_list_model_get_item (params, i);

              known = g_str_equal (iwb_param_get_id (param), key);
            }
          if (!known)
            {
              g_autofree char *message =
                g_strdup_printf (_("“%s” is not a connection input of %s (its connection inputs: %s)"),
                                 (char *) key, rest[0], ids->len ? ids->str : _("none"));
              return usage_error (message);
            }
        }
      if (profile_name != NULL && !add_profile_values (rest[0], profile_name, values, &error))
        {
          fprintf (stderr, _("iwb diagnose: --profile %s: %s\n"), profile_name, error->message);
          return g_error_matches (error, IWB_ERROR, IWB_ERROR_NOT_FOUND) ? IWB_EXIT_USAGE : IWB_EXIT_FAILED;
        }
      for (guint i = 0; i < g_list_model_get_n_items (params); i++)
        {
          g_autoptr(IwbParam) param = g_list_model_get_item (params, i);
          const char *id = iwb_param_get_id (param);
          const char *given = g_hash_table_lookup (values, id);
          g_autofree char *def = iwb_param_dup_default_text (param);
          const char *value = given ? given : def;

          if (value != NULL && is_secret_param (param))
            iwb_cli_redact_add_secret (value);
          if (value != NULL && is_http_url (value))
            {
              IwbDiagnose *d = iwb_diagnose_new (value, id);

              iwb_diagnose_set_secret (d, is_secret_param (param));
              g_ptr_array_add (checks, d);
            }
        }
      if (checks->len == 0 && (urls == NULL || urls[0] == NULL))
        {
          g_autofree char *message =
            g_strdup_printf (_("no connection value of %s is an http(s) URL (its connection inputs: "
                               "%s); give one with --set ID=URL, or a URL with --url"),
                             rest[0], ids->len ? ids->str : _("none"));
          return usage_error (message);
        }
    }
  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    g_ptr_array_add (checks, iwb_diagnose_new (urls[i], NULL));

  /* The validator, with capture: the hosts it called are checked too (when
   * no value named them), and its first failing call comes last. */
  if (integration != NULL && !no_validator)
    {
      g_auto(GStrv) bases = NULL;

      validation = run_validator (python, rest[0], integration, values);
      bases = iwb_diagnose_called_bases (iwb_run_get_exchanges (validation));
      for (guint i = 0; bases[i] != NULL; i++)
        {
          gboolean covered = FALSE;
          g_autoptr(GUri) base = g_uri_parse (bases[i], G_URI_FLAGS_NONE, NULL);

          for (guint k = 0; k < checks->len && !covered; k++)
            {
              g_autoptr(GUri) other = g_uri_parse (iwb_diagnose_get_url (checks->pdata[k]),
                                                   G_URI_FLAGS_NONE, NULL);

              covered = other != NULL && base != NULL &&
                        g_strcmp0 (g_uri_get_scheme (other), g_uri_get_scheme (base)) == 0 &&
                        g_ascii_strcasecmp (g_uri_get_host (other), g_uri_get_host (base)) == 0 &&
                        g_uri_get_port (other) == g_uri_get_port (base);
            }
          if (!covered)
            g_ptr_array_add (checks, iwb_diagnose_new (bases[i], _("called by the validator")));
        }
    }

  sigint = g_unix_signal_add (SIGINT, cancel_on_signal, cancellable);
  sigterm = g_unix_signal_add (SIGTERM, cancel_on_signal, cancellable);
  for (guint i = 0; i < checks->len; i++)
    {
      IwbDiagnose *d = g_ptr_array_index (checks, i);
      g_autoptr(GAsyncResult) result = NULL;

      iwb_diagnose_set_timeout (d, (guint) timeout);
      if (ca_file != NULL)
        iwb_diagnose_set_ca_file (d, ca_file);
      iwb_diagnose_run_async (d, cancellable, on_done, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      if (!iwb_diagnose_run_finish (d, result, &error))
        {
          g_source_remove (sigint);
          g_source_remove (sigterm);
          if (g_error_matches (error, IWB_ERROR, IWB_ERROR_CANCELLED))
            {
              fprintf (stderr, _("iwb diagnose: cancelled\n"));
              return IWB_EXIT_TIMEOUT;
            }
          return usage_error (error->message);
        }
      if (json)
        {
          g_autoptr(JsonNode) node = iwb_diagnose_to_json (d);

          iwb_cli_print_json_line (stdout, node);
        }
      else
        {
          if (i > 0)
            printf ("\n");
          print_text (d, stdout);
        }
      fflush (stdout);
      all_passed = all_passed && iwb_diagnose_get_passed (d);
    }
  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (validation != NULL)
    {
      print_validator (validation, stdout, json);
      fflush (stdout);
      all_passed = all_passed && validator_passed (validation);
    }
  return all_passed ? IWB_EXIT_OK : IWB_EXIT_REPORTED;
}

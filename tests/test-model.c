/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The model (IwbParam, IwbAction, IwbIntegration) and the metadata parser,
 * from metadata JSON as generate_metadata prints it. */
#include "config.h"

#include "iwb-core.h"

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static void
test_param_full (void)
{
  g_autoptr(JsonObject) object = parse_object (
    "{\"id\":\"API_KEY\",\"label\":\"API key\",\"data_type\":\"string\","
    "\"input_type\":\"password\",\"optional\":true,\"description\":\"The key\","
    "\"default\":\"abc\",\"options\":[\"a\",{\"label\":\"B\",\"value\":\"b\"}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbParam) param = iwb_param_new_from_json (object, IWB_PARAM_SOURCE_CONNECTION, &error);
  g_autofree char *text = NULL;
  g_autofree char *env = NULL;
  g_autofree char *prop_id = NULL;
  IwbParamSource source;

  g_assert_no_error (error);
  g_assert_cmpstr (iwb_param_get_id (param), ==, "API_KEY");
  g_assert_cmpstr (iwb_param_get_label (param), ==, "API key");
  g_assert_cmpstr (iwb_param_get_data_type (param), ==, "string");
  g_assert_cmpstr (iwb_param_get_input_type (param), ==, "password");
  g_assert_true (iwb_param_get_optional (param));
  g_assert_cmpstr (iwb_param_get_description (param), ==, "The key");
  g_assert_cmpstr (json_node_get_string (iwb_param_get_default (param)), ==, "abc");
  g_assert_cmpuint (json_array_get_length (iwb_param_get_options (param)), ==, 2);
  g_assert_cmpint (iwb_param_get_source (param), ==, IWB_PARAM_SOURCE_CONNECTION);
  g_assert_false (iwb_param_is_argument (param));
  text = iwb_param_dup_default_text (param);
  g_assert_cmpstr (text, ==, "abc");
  env = iwb_param_dup_env_name (param);
  g_assert_cmpstr (env, ==, "API_KEY");

  g_object_get (param, "id", &prop_id, "source", &source, NULL);
  g_assert_cmpstr (prop_id, ==, "API_KEY");
  g_assert_cmpint (source, ==, IWB_PARAM_SOURCE_CONNECTION);

  /* the model keeps its own copy of the options */
  json_array_add_string_element (json_object_get_array_member (object, "options"), "c");
  g_assert_cmpuint (json_array_get_length (iwb_param_get_options (param)), ==, 2);
}

static void
test_param_defaults (void)
{
  g_autoptr(JsonObject) object = parse_object (
    "{\"id\":\"x\",\"label\":null,\"description\":null,\"default\":null,\"options\":null}");
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbParam) param = iwb_param_new_from_json (object, IWB_PARAM_SOURCE_COLUMN, &error);
  g_autofree char *env = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (iwb_param_get_label (param), ==, "x");
  g_assert_cmpstr (iwb_param_get_data_type (param), ==, "string");
  g_assert_cmpstr (iwb_param_get_input_type (param), ==, "text");
  g_assert_false (iwb_param_get_optional (param));
  g_assert_null (iwb_param_get_description (param));
  g_assert_null (iwb_param_get_default (param));
  g_assert_null (iwb_param_dup_default_text (param));
  g_assert_null (iwb_param_get_options (param));
  g_assert_true (iwb_param_is_argument (param));
  env = iwb_param_dup_env_name (param);
  g_assert_cmpstr (env, ==, "___x");
}

static void
test_param_default_not_string (void)
{
  g_autoptr(JsonObject) object = parse_object (
    "{\"id\":\"N\",\"data_type\":\"int\",\"input_type\":\"text\",\"optional\":true,"
    "\"default\":10}");
  g_autoptr(IwbParam) param = iwb_param_new_from_json (object, IWB_PARAM_SOURCE_PARAM, NULL);
  g_autofree char *text = iwb_param_dup_default_text (param);

  g_assert_cmpstr (text, ==, "10");
}

static void
test_param_invalid (void)
{
  const char *cases[] = {
    "{\"label\":\"no id\"}",
    "{\"id\":\"\"}",
    "{\"id\":3}",
    "{\"id\":\"x\",\"label\":4}",
    "{\"id\":\"x\",\"optional\":\"yes\"}",
    "{\"id\":\"x\",\"options\":\"a,b\"}",
    "{\"id\":\"x\",\"data_type\":[]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) object = parse_object (cases[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(IwbParam) param = iwb_param_new_from_json (object, IWB_PARAM_SOURCE_PARAM, &error);

      g_assert_null (param);
      g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON);
    }
}

static void
test_param_source_strings (void)
{
  const char *names[] = { "connection", "param", "column", "template" };
  IwbParamSource out;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (iwb_param_source_from_string (names[i], &out));
      g_assert_cmpstr (iwb_param_source_to_string (out), ==, names[i]);
    }
  g_assert_false (iwb_param_source_from_string ("Column", &out));
  g_assert_false (iwb_param_source_from_string (NULL, &out));
}

static void
test_param_from_input (void)
{
  g_autoptr(JsonObject) with_source = parse_object ("{\"id\":\"t\",\"source\":\"template\"}");
  g_autoptr(JsonObject) without = parse_object ("{\"id\":\"NEW\"}");
  g_autoptr(JsonObject) bad = parse_object ("{\"id\":\"b\",\"source\":\"env\"}");
  g_autoptr(IwbParam) a = iwb_param_new_from_input (with_source, NULL);
  g_autoptr(IwbParam) b = iwb_param_new_from_input (without, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbParam) c = iwb_param_new_from_input (bad, &error);

  g_assert_cmpint (iwb_param_get_source (a), ==, IWB_PARAM_SOURCE_TEMPLATE);
  /* an input added by an override without a source is an ActionParam */
  g_assert_cmpint (iwb_param_get_source (b), ==, IWB_PARAM_SOURCE_PARAM);
  g_assert_null (c);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON);
  g_assert_nonnull (strstr (error->message, "env"));
}

static const char action_json[] =
  "{\"name\":\"Post\",\"entrypoint\":\"main.post\","
  "\"args\":[{\"id\":\"channel\",\"label\":\"channel\",\"data_type\":\"column\","
  "\"input_type\":\"columnSelect\",\"optional\":false,\"description\":null,\"default\":null,"
  "\"options\":null},{\"id\":\"message\",\"label\":\"message\",\"data_type\":\"jinja\","
  "\"input_type\":\"textarea\",\"optional\":true,\"description\":\"Template\",\"default\":null,"
  "\"options\":null}],"
  "\"params\":[{\"id\":\"MODE\",\"label\":\"MODE\",\"data_type\":\"string\","
  "\"input_type\":\"select\",\"optional\":false,\"description\":null,\"default\":null,"
  "\"options\":[\"a\",\"b\"]}],"
  "\"description\":\"Post a message\","
  "\"errors\":[\"Docstring referenced x but there were no matching arguments\"]}";

static void
test_action_from_json (void)
{
  g_autoptr(JsonObject) object = parse_object (action_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbAction) action = iwb_metadata_parse_action (object, &error);
  g_autoptr(IwbParam) mode = NULL;
  g_autoptr(IwbParam) channel = NULL;
  g_autoptr(IwbParam) message = NULL;
  g_autoptr(IwbParam) first = NULL;
  const char * const *errors;

  g_assert_no_error (error);
  g_assert_cmpstr (iwb_action_get_name (action), ==, "Post");
  g_assert_cmpstr (iwb_action_get_entrypoint (action), ==, "main.post");
  g_assert_cmpstr (iwb_action_get_description (action), ==, "Post a message");
  g_assert_cmpuint (g_list_model_get_n_items (iwb_action_get_params (action)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (iwb_action_get_args (action)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (iwb_action_get_inputs (action)), ==, 3);
  g_assert_true (g_list_model_get_item_type (iwb_action_get_args (action)) == IWB_TYPE_PARAM);

  mode = g_list_model_get_item (iwb_action_get_params (action), 0);
  channel = g_list_model_get_item (iwb_action_get_args (action), 0);
  message = g_list_model_get_item (iwb_action_get_args (action), 1);
  g_assert_cmpint (iwb_param_get_source (mode), ==, IWB_PARAM_SOURCE_PARAM);
  g_assert_cmpint (iwb_param_get_source (channel), ==, IWB_PARAM_SOURCE_COLUMN);
  g_assert_cmpint (iwb_param_get_source (message), ==, IWB_PARAM_SOURCE_TEMPLATE);

  /* inputs: params first, then arguments */
  first = g_list_model_get_item (iwb_action_get_inputs (action), 0);
  g_assert_true (first == mode);
  g_assert_true (iwb_action_find_input (action, "message") == message);
  g_assert_null (iwb_action_find_input (action, "nope"));

  errors = iwb_action_get_errors (action);
  g_assert_cmpuint (g_strv_length ((char **) errors), ==, 1);
  g_assert_cmpstr (errors[0], ==, "Docstring referenced x but there were no matching arguments");
}

static void
test_action_invalid (void)
{
  const char *cases[] = {
    "{\"name\":\"no entrypoint\"}",
    "{\"entrypoint\":\"main.a\",\"args\":{}}",
    "{\"entrypoint\":\"main.a\",\"params\":[3]}",
    "{\"entrypoint\":\"main.a\",\"params\":[{\"label\":\"no id\"}]}",
    "{\"entrypoint\":\"main.a\",\"description\":5}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) object = parse_object (cases[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(IwbAction) action = iwb_metadata_parse_action (object, &error);

      g_assert_null (action);
      g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON);
    }
}

static void
test_action_name_defaults_to_entrypoint (void)
{
  g_autoptr(JsonObject) object = parse_object ("{\"name\":null,\"entrypoint\":\"main.bare\"}");
  g_autoptr(IwbAction) action = iwb_metadata_parse_action (object, NULL);

  g_assert_cmpstr (iwb_action_get_name (action), ==, "main.bare");
  g_assert_null (iwb_action_get_description (action));
  g_assert_nonnull (iwb_action_get_errors (action));
  g_assert_null (iwb_action_get_errors (action)[0]);
}

static const char metadata_json[] =
  "{\"connection_params\":[{\"id\":\"URL\",\"label\":\"Server\",\"data_type\":\"string\","
  "\"input_type\":\"text\",\"optional\":false,\"description\":\"Base URL\",\"default\":null,"
  "\"options\":null}],"
  "\"integration_name\":\"Demo\",\"integration_description\":\"A demo\","
  "\"integration_logo_url\":null,\"supported_IOs\":[\"FileIO\",\"PipeIO\"],"
  "\"actions\":[{\"name\":\"Scan\",\"entrypoint\":\"main.scan\",\"args\":[],\"params\":[],"
  "\"description\":null,\"errors\":[]},"
  "{\"name\":\"Other\",\"entrypoint\":\"main.Scan\",\"args\":[],\"params\":[],"
  "\"description\":null,\"errors\":[]}],"
  "\"errors\":[],\"ok\":true}";

static void
test_metadata_parse (void)
{
  g_autoptr(GFile) folder = g_file_new_for_path ("/tmp/somewhere");
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbIntegration) integration = iwb_metadata_parse (metadata_json, folder, &error);
  g_autoptr(IwbParam) url = NULL;

  g_assert_no_error (error);
  g_assert_true (iwb_integration_get_folder (integration) == folder);
  g_assert_cmpstr (iwb_integration_get_name (integration), ==, "Demo");
  g_assert_cmpstr (iwb_integration_get_description (integration), ==, "A demo");
  g_assert_null (iwb_integration_get_logo_url (integration));
  g_assert_cmpstr (iwb_integration_get_metadata_json (integration), ==, metadata_json);
  g_assert_null (iwb_integration_get_errors (integration)[0]);
  g_assert_cmpuint (iwb_integration_get_warnings (integration)->len, ==, 0);

  g_assert_cmpuint (g_list_model_get_n_items (iwb_integration_get_connection_params (integration)), ==, 1);
  url = g_list_model_get_item (iwb_integration_get_connection_params (integration), 0);
  g_assert_cmpint (iwb_param_get_source (url), ==, IWB_PARAM_SOURCE_CONNECTION);
  g_assert_cmpstr (iwb_param_get_label (url), ==, "Server");

  g_assert_cmpuint (g_list_model_get_n_items (iwb_integration_get_actions (integration)), ==, 2);
  g_assert_cmpstr (iwb_action_get_entrypoint (iwb_integration_find_action (integration, "main.scan")), ==, "main.scan");
  /* an entrypoint wins over a display name */
  g_assert_cmpstr (iwb_action_get_name (iwb_integration_find_action (integration, "main.Scan")), ==, "Other");
  g_assert_cmpstr (iwb_action_get_entrypoint (iwb_integration_find_action (integration, "Other")), ==, "main.Scan");
  /* the function name alone, when one action has it */
  g_assert_cmpstr (iwb_action_get_entrypoint (iwb_integration_find_action (integration, "scan")), ==, "main.scan");
  /* a display name wins over a function name: "Scan" is main.scan's name */
  g_assert_cmpstr (iwb_action_get_entrypoint (iwb_integration_find_action (integration, "Scan")), ==, "main.scan");
  g_assert_null (iwb_integration_find_action (integration, "missing"));
  g_assert_null (iwb_integration_find_action (integration, NULL));
}

static void
test_metadata_errors_kept (void)
{
  g_autoptr(IwbIntegration) integration = NULL;
  const char * const *errors;

  integration = iwb_metadata_parse (
    "{\"connection_params\":[],\"integration_name\":null,\"integration_description\":"
    "\"No description provided\",\"integration_logo_url\":null,\"actions\":[],"
    "\"errors\":[\"No actions found. Did you forget to use @action?\"],\"ok\":false}",
    NULL, NULL);
  errors = iwb_integration_get_errors (integration);
  g_assert_cmpuint (g_strv_length ((char **) errors), ==, 1);
  g_assert_cmpstr (errors[0], ==, "No actions found. Did you forget to use @action?");
  g_clear_object (&integration);

  /* the instantiation-error shape of a module that exits during import */
  integration = iwb_metadata_parse (
    "{\"errors\": [{\"message\": \"Environment variable X must be defined\"}], "
    "\"message\": \"Integration validation failed.\"}", NULL, NULL);
  errors = iwb_integration_get_errors (integration);
  g_assert_cmpstr (errors[0], ==, "Environment variable X must be defined");
  g_assert_cmpuint (g_list_model_get_n_items (iwb_integration_get_actions (integration)), ==, 0);
}

static void
test_metadata_invalid (void)
{
  const char *cases[] = {
    "{not json",
    "[1, 2]",
    "\"text\"",
    "{\"actions\":{}}",
    "{\"actions\":[1]}",
    "{\"connection_params\":[{\"id\":1}]}",
    "{\"integration_name\":[]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(IwbIntegration) integration = iwb_metadata_parse (cases[i], NULL, &error);

      g_assert_null (integration);
      g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON);
    }
}

static void
test_diagnostic (void)
{
  g_autoptr(IwbDiagnostic) a = iwb_diagnostic_new ("main.py", 12, "code", "Something");
  g_autoptr(IwbDiagnostic) b = iwb_diagnostic_copy (a);
  g_autoptr(IwbDiagnostic) c = iwb_diagnostic_new ("main.py", 0, "code", "No line");
  g_autoptr(IwbDiagnostic) d = iwb_diagnostic_new (NULL, 0, "code", "Nowhere");
  g_autofree char *sa = iwb_diagnostic_to_string (b);
  g_autofree char *sc = iwb_diagnostic_to_string (c);
  g_autofree char *sd = iwb_diagnostic_to_string (d);

  g_assert_cmpstr (sa, ==, "main.py:12: Something");
  g_assert_cmpstr (sc, ==, "main.py: No line");
  g_assert_cmpstr (sd, ==, "Nowhere");
  g_assert_true (G_TYPE_IS_BOXED (IWB_TYPE_DIAGNOSTIC));
}

static void
test_finalize (void)
{
  IwbIntegration *integration = iwb_metadata_parse (metadata_json, NULL, NULL);

  iwb_integration_add_warning (integration, iwb_diagnostic_new ("a.py", 1, "x", "y"));
  g_assert_finalize_object (integration);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/param/full", test_param_full);
  g_test_add_func ("/model/param/defaults", test_param_defaults);
  g_test_add_func ("/model/param/default-not-string", test_param_default_not_string);
  g_test_add_func ("/model/param/invalid", test_param_invalid);
  g_test_add_func ("/model/param/source-strings", test_param_source_strings);
  g_test_add_func ("/model/param/from-input", test_param_from_input);
  g_test_add_func ("/model/action/from-json", test_action_from_json);
  g_test_add_func ("/model/action/invalid", test_action_invalid);
  g_test_add_func ("/model/action/name-defaults", test_action_name_defaults_to_entrypoint);
  g_test_add_func ("/model/metadata/parse", test_metadata_parse);
  g_test_add_func ("/model/metadata/errors-kept", test_metadata_errors_kept);
  g_test_add_func ("/model/metadata/invalid", test_metadata_invalid);
  g_test_add_func ("/model/diagnostic", test_diagnostic);
  g_test_add_func ("/model/finalize", test_finalize);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The platform descriptor built from the model: key order, sources, nulls. */
#include "config.h"

#include <string.h>

#include "iwb-core.h"

static const char metadata_json[] =
  "{\"connection_params\":[{\"id\":\"URL\",\"label\":\"Server\",\"data_type\":\"string\","
  "\"input_type\":\"text\",\"optional\":false,\"description\":\"Base URL\",\"default\":null,"
  "\"options\":null},{\"id\":\"TIMEOUT\",\"label\":\"TIMEOUT\",\"data_type\":\"number\","
  "\"input_type\":\"text\",\"optional\":true,\"description\":null,\"default\":\"2.5\","
  "\"options\":null}],"
  "\"integration_name\":\"Demo\",\"integration_description\":\"A demo\","
  "\"integration_logo_url\":null,\"supported_IOs\":[\"FileIO\",\"PipeIO\"],"
  "\"actions\":[{\"name\":\"Post\",\"entrypoint\":\"main.post\","
  "\"args\":[{\"id\":\"channel\",\"label\":\"channel\",\"data_type\":\"column\","
  "\"input_type\":\"columnSelect\",\"optional\":false,\"description\":null,\"default\":null,"
  "\"options\":null},{\"id\":\"message\",\"label\":\"message\",\"data_type\":\"jinja\","
  "\"input_type\":\"textarea\",\"optional\":false,\"description\":null,\"default\":null,"
  "\"options\":null}],"
  "\"params\":[{\"id\":\"MODE\",\"label\":\"Mode\",\"data_type\":\"string\","
  "\"input_type\":\"select\",\"optional\":false,\"description\":\"How\",\"default\":null,"
  "\"options\":[{\"label\":\"Fast\",\"value\":\"fast\"},\"full\"]}],"
  "\"description\":null,\"errors\":[\"an action error\"]}],"
  "\"errors\":[],\"ok\":true}";

/* The exact text: key order of descriptor-and-overrides.md, nulls kept. */
static const char expected[] =
  "{\"name\":\"Demo\",\"description\":\"A demo\",\"logoUrl\":null,"
  "\"connection\":{\"inputs\":["
  "{\"id\":\"URL\",\"label\":\"Server\",\"data_type\":\"string\",\"input_type\":\"text\","
  "\"optional\":false,\"description\":\"Base URL\",\"default\":null,\"options\":null,"
  "\"source\":\"connection\"},"
  "{\"id\":\"TIMEOUT\",\"label\":\"TIMEOUT\",\"data_type\":\"number\",\"input_type\":\"text\","
  "\"optional\":true,\"description\":null,\"default\":\"2.5\",\"options\":null,"
  "\"source\":\"connection\"}]},"
  "\"actions\":[{\"name\":\"Post\",\"entrypoint\":\"main.post\",\"description\":null,"
  "\"instantiation\":{\"steps\":[{\"inputs\":["
  "{\"id\":\"MODE\",\"label\":\"Mode\",\"data_type\":\"string\",\"input_type\":\"select\","
  "\"optional\":false,\"description\":\"How\",\"default\":null,"
  "\"options\":[{\"label\":\"Fast\",\"value\":\"fast\"},\"full\"],\"source\":\"param\"},"
  "{\"id\":\"channel\",\"label\":\"channel\",\"data_type\":\"column\","
  "\"input_type\":\"columnSelect\",\"optional\":false,\"description\":null,\"default\":null,"
  "\"options\":null,\"source\":\"column\"},"
  "{\"id\":\"message\",\"label\":\"message\",\"data_type\":\"jinja\",\"input_type\":\"textarea\","
  "\"optional\":false,\"description\":null,\"default\":null,\"options\":null,"
  "\"source\":\"template\"}]}]}}]}";

static IwbIntegration *
load (void)
{
  g_autoptr(GError) error = NULL;
  IwbIntegration *integration = iwb_metadata_parse (metadata_json, NULL, &error);

  g_assert_no_error (error);
  return integration;
}

static void
test_exact_text (void)
{
  g_autoptr(IwbIntegration) integration = load ();
  g_autoptr(JsonNode) descriptor = iwb_descriptor_build (integration);
  g_autofree char *text = iwb_descriptor_to_string (descriptor, FALSE);

  g_assert_cmpstr (text, ==, expected);
}

static void
collect_keys (JsonObject *object,
              GString    *out)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    g_string_append_printf (out, "%s,", name);
}

static void
test_key_order (void)
{
  g_autoptr(IwbIntegration) integration = load ();
  g_autoptr(JsonNode) descriptor = iwb_descriptor_build (integration);
  g_autofree char *pretty = iwb_descriptor_to_string (descriptor, TRUE);
  g_autoptr(JsonNode) reparsed = json_from_string (pretty, NULL);
  JsonObject *root = json_node_get_object (reparsed);
  JsonObject *action = json_array_get_object_element (json_object_get_array_member (root, "actions"), 0);
  JsonObject *step = json_array_get_object_element (
    json_object_get_array_member (json_object_get_object_member (action, "instantiation"), "steps"), 0);
  JsonObject *input = json_array_get_object_element (json_object_get_array_member (step, "inputs"), 0);
  g_autoptr(GString) keys = g_string_new (NULL);

  /* the pretty form is the same document, in the same order */
  collect_keys (root, keys);
  g_assert_cmpstr (keys->str, ==, "name,description,logoUrl,connection,actions,");
  g_string_truncate (keys, 0);
  collect_keys (action, keys);
  g_assert_cmpstr (keys->str, ==, "name,entrypoint,description,instantiation,");
  g_string_truncate (keys, 0);
  collect_keys (input, keys);
  g_assert_cmpstr (keys->str, ==,
                   "id,label,data_type,input_type,optional,description,default,options,source,");
  g_assert_nonnull (strstr (pretty, "\n  \"connection\""));
}

static void
test_null_integration_fields (void)
{
  g_autoptr(IwbIntegration) integration = iwb_metadata_parse (
    "{\"connection_params\":[],\"integration_name\":null,\"integration_description\":null,"
    "\"integration_logo_url\":null,\"actions\":[{\"name\":\"main.a\",\"entrypoint\":\"main.a\","
    "\"args\":[],\"params\":[],\"description\":null,\"errors\":[]}],\"errors\":[],\"ok\":true}",
    NULL, NULL);
  g_autoptr(JsonNode) descriptor = iwb_descriptor_build (integration);
  g_autofree char *text = iwb_descriptor_to_string (descriptor, FALSE);

  g_assert_cmpstr (text, ==,
                   "{\"name\":null,\"description\":null,\"logoUrl\":null,"
                   "\"connection\":{\"inputs\":[]},\"actions\":[{\"name\":\"main.a\","
                   "\"entrypoint\":\"main.a\",\"description\":null,"
                   "\"instantiation\":{\"steps\":[{\"inputs\":[]}]}}]}");
}

/* Editing a descriptor (as overrides do) must not change the model. */
static void
test_independent_copy (void)
{
  g_autoptr(IwbIntegration) integration = load ();
  g_autoptr(JsonNode) first = iwb_descriptor_build (integration);
  g_autoptr(JsonNode) second = NULL;
  g_autofree char *text = NULL;
  JsonObject *action = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (first), "actions"), 0);
  JsonObject *step = json_array_get_object_element (
    json_object_get_array_member (json_object_get_object_member (action, "instantiation"), "steps"), 0);
  JsonObject *mode = json_array_get_object_element (json_object_get_array_member (step, "inputs"), 0);

  json_array_add_string_element (json_object_get_array_member (mode, "options"), "extra");
  json_object_set_string_member (mode, "label", "Changed");

  second = iwb_descriptor_build (integration);
  text = iwb_descriptor_to_string (second, FALSE);
  g_assert_cmpstr (text, ==, expected);
}

/* An effective descriptor action read back into the model keeps sources and order. */
static void
test_action_round_trip (void)
{
  g_autoptr(IwbIntegration) integration = load ();
  IwbAction *action = iwb_integration_find_action (integration, "main.post");
  g_autoptr(JsonNode) node = iwb_descriptor_build_action (action);
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbAction) again = iwb_descriptor_read_action (json_node_get_object (node), &error);
  g_autoptr(JsonNode) node_again = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (iwb_action_get_params (again)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (iwb_action_get_args (again)), ==, 2);
  node_again = iwb_descriptor_build_action (again);
  a = json_to_string (node, FALSE);
  b = json_to_string (node_again, FALSE);
  g_assert_cmpstr (a, ==, b);
}

static void
test_action_from_descriptor_order_and_errors (void)
{
  g_autoptr(JsonNode) node = json_from_string (
    "{\"entrypoint\":\"main.post\",\"name\":\"Renamed\",\"instantiation\":{\"steps\":[{\"inputs\":["
    "{\"id\":\"channel\",\"source\":\"column\"},{\"id\":\"ADDED\"},{\"id\":\"MODE\",\"source\":\"param\"}]}]}}",
    NULL);
  g_autoptr(IwbAction) action = iwb_descriptor_read_action (json_node_get_object (node), NULL);
  g_autoptr(IwbParam) first = g_list_model_get_item (iwb_action_get_inputs (action), 0);
  g_autoptr(IwbParam) second = g_list_model_get_item (iwb_action_get_inputs (action), 1);
  static const struct { const char *json; int code; const char *needle; } bad[] = {
    { "{\"name\":\"x\"}", IWB_ERROR_INVALID_JSON, "no “entrypoint”" },
    { "{\"entrypoint\":\"m.a\",\"name\":7}", IWB_ERROR_INVALID_JSON, "“name” must be a string" },
    { "{\"entrypoint\":\"m.a\",\"instantiation\":[]}", IWB_ERROR_INVALID_DESCRIPTOR,
      "actions[entrypoint=m.a].instantiation is a list, not an object" },
    { "{\"entrypoint\":\"m.a\",\"instantiation\":{\"steps\":{}}}", IWB_ERROR_INVALID_DESCRIPTOR,
      "actions[entrypoint=m.a].instantiation.steps is an object, not a list" },
    { "{\"entrypoint\":\"m.a\",\"instantiation\":{\"steps\":[{\"inputs\":[]},3]}}",
      IWB_ERROR_INVALID_DESCRIPTOR, "actions[entrypoint=m.a].instantiation.steps[1] is a number" },
    { "{\"entrypoint\":\"m.a\",\"instantiation\":{\"steps\":[{\"inputs\":\"A\"}]}}",
      IWB_ERROR_INVALID_DESCRIPTOR, "instantiation.steps[0].inputs is a string, not a list" },
    { "{\"entrypoint\":\"m.a\",\"instantiation\":{\"steps\":[{\"inputs\":[{\"id\":\"a\"},5]}]}}",
      IWB_ERROR_INVALID_DESCRIPTOR, "instantiation.steps[0].inputs[1] is a number, not an object" },
    { "{\"entrypoint\":\"m.a\",\"instantiation\":{\"steps\":[{\"inputs\":[{\"id\":\"a\",\"source\":\"env\"}]}]}}",
      IWB_ERROR_INVALID_JSON, "Action “m.a”: Input “a”: unknown “source”" },
  };
  static const char * const empty[] = {
    "{\"entrypoint\":\"m.a\",\"instantiation\":null}",
    "{\"entrypoint\":\"m.a\",\"instantiation\":{\"steps\":null}}",
    "{\"entrypoint\":\"m.a\",\"instantiation\":{\"steps\":[{\"inputs\":null},{}]}}",
  };

  g_assert_cmpstr (iwb_action_get_name (action), ==, "Renamed");
  /* order of the override kept; a missing source is "param" */
  g_assert_cmpstr (iwb_param_get_id (first), ==, "channel");
  g_assert_cmpstr (iwb_param_get_id (second), ==, "ADDED");
  g_assert_cmpint (iwb_param_get_source (second), ==, IWB_PARAM_SOURCE_PARAM);
  g_assert_cmpuint (g_list_model_get_n_items (iwb_action_get_params (action)), ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) b = json_from_string (bad[i].json, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(IwbAction) none = iwb_descriptor_read_action (json_node_get_object (b), &error);

      g_assert_null (none);
      g_assert_error (error, IWB_ERROR, bad[i].code);
      if (strstr (error->message, bad[i].needle) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, bad[i].needle);
    }
  /* null or missing instantiation, steps, inputs: an action without inputs */
  for (guint i = 0; i < G_N_ELEMENTS (empty); i++)
    {
      g_autoptr(JsonNode) e = json_from_string (empty[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(IwbAction) none = iwb_descriptor_read_action (json_node_get_object (e), &error);

      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (iwb_action_get_inputs (none)), ==, 0);
    }
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

/* The reader on the descriptor the writer made: every accessor. */
static void
test_reader_accessors (void)
{
  g_autoptr(IwbIntegration) integration = load ();
  g_autoptr(JsonNode) descriptor = iwb_descriptor_build (integration);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) entrypoints = iwb_descriptor_dup_entrypoints (descriptor);
  JsonArray *actions = iwb_descriptor_get_actions (descriptor, &error);
  JsonArray *connection = iwb_descriptor_get_connection_inputs (descriptor, &error);
  JsonObject *action = iwb_descriptor_find_action (descriptor, "main.post");
  JsonArray *inputs;
  JsonObject *mode, *channel, *url, *timeout;
  JsonArray *options;

  g_assert_no_error (error);
  g_assert_nonnull (actions);
  g_assert_cmpuint (json_array_get_length (actions), ==, 1);
  g_assert_cmpuint (g_strv_length (entrypoints), ==, 1);
  g_assert_cmpstr (entrypoints[0], ==, "main.post");
  g_assert_nonnull (action);
  g_assert_null (iwb_descriptor_find_action (descriptor, "main.nothing"));
  g_assert_null (iwb_descriptor_find_action (descriptor, NULL));
  g_assert_cmpstr (iwb_descriptor_action_get_entrypoint (action), ==, "main.post");
  g_assert_cmpstr (iwb_descriptor_action_get_name (action), ==, "Post");

  g_assert_cmpuint (json_array_get_length (connection), ==, 2);
  g_assert_true (iwb_descriptor_get_inputs (descriptor, NULL, NULL) == connection);
  url = json_array_get_object_element (connection, 0);
  timeout = json_array_get_object_element (connection, 1);
  g_assert_cmpstr (iwb_descriptor_input_get_id (url), ==, "URL");
  g_assert_cmpstr (iwb_descriptor_input_get_label (url), ==, "Server");
  g_assert_cmpstr (iwb_descriptor_input_get_description (url), ==, "Base URL");
  g_assert_cmpstr (iwb_descriptor_input_get_source (url, TRUE), ==, "connection");
  g_assert_false (iwb_descriptor_input_get_optional (url));
  g_assert_true (JSON_NODE_HOLDS_NULL (iwb_descriptor_input_get_default (url)));
  g_assert_true (iwb_descriptor_input_get_optional (timeout));
  g_assert_cmpstr (iwb_descriptor_input_get_data_type (timeout), ==, "number");
  g_assert_cmpstr (json_node_get_string (iwb_descriptor_input_get_default (timeout)), ==, "2.5");
  g_assert_null (iwb_descriptor_input_get_description (timeout));

  inputs = iwb_descriptor_action_get_inputs (action, &error);
  g_assert_no_error (error);
  g_assert_true (iwb_descriptor_get_inputs (descriptor, "main.post", NULL) == inputs);
  g_assert_null (iwb_descriptor_get_inputs (descriptor, "main.nothing", NULL));
  g_assert_cmpuint (json_array_get_length (inputs), ==, 3);
  mode = json_array_get_object_element (inputs, 0);
  channel = json_array_get_object_element (inputs, 1);
  g_assert_cmpstr (iwb_descriptor_input_get_input_type (mode), ==, "select");
  g_assert_cmpstr (iwb_descriptor_input_get_source (mode, FALSE), ==, "param");
  options = iwb_descriptor_input_get_options (mode);
  g_assert_nonnull (options);
  g_assert_cmpuint (json_array_get_length (options), ==, 2);
  g_assert_null (iwb_descriptor_input_get_options (channel)); /* null */
  g_assert_cmpstr (iwb_descriptor_input_get_source (channel, FALSE), ==, "column");
  g_assert_cmpstr (iwb_descriptor_input_get_data_type (channel), ==, "column");
  g_assert_false (iwb_descriptor_input_is_secret (channel));
  for (guint i = 0; i < json_array_get_length (inputs); i++)
    g_assert_true (iwb_descriptor_input_check (json_array_get_object_element (inputs, i),
                                               "inputs[i]", NULL));
}

/* Secrets, and the fallbacks of a sparse INPUT. */
static void
test_reader_inputs (void)
{
  g_autoptr(JsonNode) pw = parse ("{\"id\": \"KEY\", \"input_type\": \"password\"}");
  g_autoptr(JsonNode) file = parse ("{\"id\": \"CERT\", \"input_type\": \"encryptedFile\", \"label\": \"\"}");
  g_autoptr(JsonNode) text = parse ("{\"id\": \"X\", \"input_type\": \"text\", \"optional\": \"yes\"}");
  JsonObject *o;

  g_assert_true (iwb_descriptor_input_is_secret (json_node_get_object (pw)));
  g_assert_true (iwb_descriptor_input_is_secret (json_node_get_object (file)));
  g_assert_false (iwb_descriptor_input_is_secret (json_node_get_object (text)));
  g_assert_true (iwb_descriptor_input_type_is_secret ("password"));
  g_assert_false (iwb_descriptor_input_type_is_secret (NULL));

  o = json_node_get_object (pw);
  g_assert_cmpstr (iwb_descriptor_input_get_label (o), ==, "KEY"); /* no label: the id */
  g_assert_cmpstr (iwb_descriptor_input_get_label (json_node_get_object (file)), ==, "CERT");
  g_assert_null (iwb_descriptor_input_get_default (o));
  g_assert_null (iwb_descriptor_input_get_options (o));
  g_assert_cmpstr (iwb_descriptor_input_get_source (o, TRUE), ==, "connection");
  g_assert_cmpstr (iwb_descriptor_input_get_source (o, FALSE), ==, "param");
  /* "optional": "yes" is not a boolean: not optional */
  g_assert_false (iwb_descriptor_input_get_optional (json_node_get_object (text)));
  g_assert_null (iwb_descriptor_input_get_id (NULL));
}

/* Members of the wrong type: NULL, never a warning, and an error that
 * names the member's path where one is asked for. */
static void
test_reader_malformed (void)
{
  static const struct { const char *json; const char *entrypoint; const char *needle; } cases[] = {
    { "[1, 2]", NULL, "the document is a list" },
    { "{\"connection\": []}", NULL, "connection is a list, not an object" },
    { "{\"connection\": {\"inputs\": {}}}", NULL, "connection.inputs is an object, not a list" },
    { "{\"actions\": {}}", "main.a", NULL },
    { "{\"actions\": [{\"entrypoint\": \"main.a\", \"instantiation\": 3}]}", "main.a",
      "actions[entrypoint=main.a].instantiation is a number, not an object" },
    { "{\"actions\": [{\"entrypoint\": \"main.a\", \"instantiation\": {\"steps\": \"x\"}}]}",
      "main.a", "actions[entrypoint=main.a].instantiation.steps is a string, not a list" },
    { "{\"actions\": [{\"entrypoint\": \"main.a\", \"instantiation\": {\"steps\": [7]}}]}",
      "main.a", "instantiation.steps[0] is a number, not an object" },
    { "{\"actions\": [{\"entrypoint\": \"main.a\", \"instantiation\": {\"steps\": [{\"inputs\": null}]}}]}",
      "main.a", "steps[0].inputs is null, not a list" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse (cases[i].json);
      g_autoptr(GError) error = NULL;
      JsonArray *inputs;

      g_test_message ("case %u: %s", i, cases[i].json);
      inputs = iwb_descriptor_get_inputs (node, cases[i].entrypoint, &error);
      g_assert_null (inputs);
      if (cases[i].needle == NULL)
        {
          /* "actions" is not a list: no such action (and get_actions says why) */
          g_assert_no_error (error);
          g_assert_null (iwb_descriptor_get_actions (node, &error));
          g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_DESCRIPTOR);
          g_assert_nonnull (strstr (error->message, "actions is an object, not a list"));
          continue;
        }
      g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_DESCRIPTOR);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].needle);
    }

  /* The lenient calls (no GError) on the same documents never warn. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse (cases[i].json);
      g_auto(GStrv) eps = iwb_descriptor_dup_entrypoints (node);

      g_assert_null (iwb_descriptor_get_connection_inputs (node, NULL));
      g_assert_nonnull (eps);
    }
  g_assert_null (iwb_descriptor_get_actions (NULL, NULL));
}

/* iwb_descriptor_input_check names the member of the wrong type. */
static void
test_reader_input_check (void)
{
  static const struct { const char *json; const char *needle; } cases[] = {
    { "{\"id\": 3}", "in.id is a number, not a string" },
    { "{\"label\": \"x\"}", "in.id is null, not a string" },
    { "{\"id\": \"A\", \"optional\": \"no\"}", "in.optional is a string, not a boolean" },
    { "{\"id\": \"A\", \"options\": \"a,b\"}", "in.options is a string, not a list" },
    { "{\"id\": \"A\", \"input_type\": [\"text\"]}", "in.input_type is a list, not a string" },
    { "{\"id\": \"A\", \"source\": {}}", "in.source is an object, not a string" },
  };
  g_autoptr(JsonNode) good = parse ("{\"id\": \"A\", \"label\": null, \"options\": null, \"optional\": true}");
  g_autoptr(GError) error = NULL;

  g_assert_true (iwb_descriptor_input_check (json_node_get_object (good), "in", &error));
  g_assert_no_error (error);
  g_assert_false (iwb_descriptor_input_check (NULL, "in", &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_DESCRIPTOR);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse (cases[i].json);
      g_autoptr(GError) e = NULL;

      g_assert_false (iwb_descriptor_input_check (json_node_get_object (node), "in", &e));
      g_assert_error (e, IWB_ERROR, IWB_ERROR_INVALID_DESCRIPTOR);
      if (strstr (e->message, cases[i].needle) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, e->message, cases[i].needle);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/descriptor/exact-text", test_exact_text);
  g_test_add_func ("/descriptor/key-order", test_key_order);
  g_test_add_func ("/descriptor/null-fields", test_null_integration_fields);
  g_test_add_func ("/descriptor/independent-copy", test_independent_copy);
  g_test_add_func ("/descriptor/action-round-trip", test_action_round_trip);
  g_test_add_func ("/descriptor/action-from-descriptor", test_action_from_descriptor_order_and_errors);
  g_test_add_func ("/descriptor/reader/accessors", test_reader_accessors);
  g_test_add_func ("/descriptor/reader/inputs", test_reader_inputs);
  g_test_add_func ("/descriptor/reader/malformed", test_reader_malformed);
  g_test_add_func ("/descriptor/reader/input-check", test_reader_input_check);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The platform descriptor built from the model: key order, sources, nulls. */
#include "config.h"

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
  g_autoptr(IwbAction) again = iwb_action_new_from_descriptor (json_node_get_object (node), &error);
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
  g_autoptr(IwbAction) action = iwb_action_new_from_descriptor (json_node_get_object (node), NULL);
  g_autoptr(IwbParam) first = g_list_model_get_item (iwb_action_get_inputs (action), 0);
  g_autoptr(IwbParam) second = g_list_model_get_item (iwb_action_get_inputs (action), 1);
  const char *bad[] = {
    "{\"name\":\"x\"}",
    "{\"entrypoint\":\"m.a\",\"instantiation\":[]}",
    "{\"entrypoint\":\"m.a\",\"instantiation\":{\"steps\":[{\"inputs\":[5]}]}}",
    "{\"entrypoint\":\"m.a\",\"instantiation\":{\"steps\":[{\"inputs\":[{\"id\":\"a\",\"source\":\"env\"}]}]}}",
  };

  g_assert_cmpstr (iwb_action_get_name (action), ==, "Renamed");
  /* order of the override kept; a missing source is "param" */
  g_assert_cmpstr (iwb_param_get_id (first), ==, "channel");
  g_assert_cmpstr (iwb_param_get_id (second), ==, "ADDED");
  g_assert_cmpint (iwb_param_get_source (second), ==, IWB_PARAM_SOURCE_PARAM);
  g_assert_cmpuint (g_list_model_get_n_items (iwb_action_get_params (action)), ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) b = json_from_string (bad[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(IwbAction) none = iwb_action_new_from_descriptor (json_node_get_object (b), &error);

      g_assert_null (none);
      g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON);
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

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Model -> the platform descriptor (`__integration_descriptor`), in the key
 * order of descriptor-and-overrides.md.
 */
#include "config.h"

#include "iwb-descriptor.h"
#include "iwb-json.h"

static void
set_nullable_string (JsonObject *object,
                     const char *member,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

static JsonArray *
inputs_of (GListModel *model)
{
  JsonArray *inputs = json_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(IwbParam) param = g_list_model_get_item (model, i);

      json_array_add_element (inputs, iwb_param_to_json (param));
    }
  return inputs;
}

/**
 * iwb_descriptor_build_action:
 *
 * Returns: (transfer full): `{"name", "entrypoint", "description",
 *   "instantiation": {"steps": [{"inputs": [...]}]}}` with the inputs of
 *   iwb_action_get_inputs() (params, then arguments)
 */
JsonNode *
iwb_descriptor_build_action (IwbAction *action)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonObject *instantiation = json_object_new ();
  JsonObject *step = json_object_new ();
  JsonArray *steps = json_array_new ();

  g_return_val_if_fail (IWB_IS_ACTION (action), NULL);

  json_object_set_string_member (object, "name", iwb_action_get_name (action));
  json_object_set_string_member (object, "entrypoint", iwb_action_get_entrypoint (action));
  set_nullable_string (object, "description", iwb_action_get_description (action));

  json_object_set_array_member (step, "inputs", inputs_of (iwb_action_get_inputs (action)));
  json_array_add_object_element (steps, step);
  json_object_set_array_member (instantiation, "steps", steps);
  json_object_set_object_member (object, "instantiation", instantiation);

  return json_node_init_object (json_node_alloc (), object);
}

/**
 * iwb_descriptor_build:
 *
 * Returns: (transfer full): the platform descriptor: `name`, `description`,
 *   `logoUrl` (null where the metadata has null), `connection.inputs`,
 *   `actions`
 */
JsonNode *
iwb_descriptor_build (IwbIntegration *integration)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonObject *connection = json_object_new ();
  JsonArray *actions = json_array_new ();
  GListModel *model;

  g_return_val_if_fail (IWB_IS_INTEGRATION (integration), NULL);

  set_nullable_string (object, "name", iwb_integration_get_name (integration));
  set_nullable_string (object, "description", iwb_integration_get_description (integration));
  set_nullable_string (object, "logoUrl", iwb_integration_get_logo_url (integration));

  json_object_set_array_member (connection, "inputs",
                                inputs_of (iwb_integration_get_connection_params (integration)));
  json_object_set_object_member (object, "connection", connection);

  model = iwb_integration_get_actions (integration);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(IwbAction) action = g_list_model_get_item (model, i);

      json_array_add_element (actions, iwb_descriptor_build_action (action));
    }
  json_object_set_array_member (object, "actions", actions);

  return json_node_init_object (json_node_alloc (), object);
}

/**
 * iwb_descriptor_to_string:
 * @pretty: indent with two spaces (for people) or not (for
 *   `__integration_descriptor`)
 *
 * Returns: (transfer full): the JSON text, keys in order
 */
char *
iwb_descriptor_to_string (JsonNode *descriptor,
                          gboolean  pretty)
{
  g_return_val_if_fail (descriptor != NULL, NULL);

  return iwb_json_to_string (descriptor, pretty); /* pretty: 2-space indent */
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Model -> the platform descriptor (`__integration_descriptor`), in the key
 * order of descriptor-and-overrides.md; and the one reader of descriptor JSON
 * (no other file walks its members: tests/test-descriptor.c checks that).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-descriptor.h"
#include "iwb-error.h"
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

/* ---- reading ------------------------------------------------------------ */

/* Member @name of @object when it holds @type; NULL when missing; NULL and
 * an error naming "@where.@name" when of another type. */
static JsonNode *
typed_member (JsonObject   *object,
              const char   *where,
              const char   *name,
              JsonNodeType  type,
              const char   *expected,
              GError      **error)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, name);
  if (node == NULL)
    return NULL;
  if (JSON_NODE_TYPE (node) == type)
    return node;
  g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_DESCRIPTOR,
               _("descriptor: %s%s%s is %s, not %s; fix the descriptor or the override that "
                 "produced it"),
               where ? where : "", where ? "." : "", name, iwb_json_type_name (node), expected);
  return NULL;
}

/* Member @name of @object as typed_member (), but null counts as missing:
 * FALSE only when it is of another type. */
static gboolean
optional_member (JsonObject    *object,
                 const char    *where,
                 const char    *name,
                 JsonNodeType   type,
                 const char    *expected,
                 JsonNode     **out,
                 GError       **error)
{
  *out = NULL;
  if (iwb_json_get_present (object, name) == NULL)
    return TRUE;
  *out = typed_member (object, where, name, type, expected, error);
  return *out != NULL;
}

/* Element @index of the list @where.@name when it is an object; else NULL
 * and an error naming "@where.@name[@index]". */
static JsonObject *
object_element (JsonArray   *array,
                guint        index,
                const char  *where,
                const char  *name,
                GError     **error)
{
  JsonObject *object = iwb_json_array_get_object (array, index);

  if (object == NULL)
    g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_DESCRIPTOR,
                 _("descriptor: %s.%s[%u] is %s, not an object; fix the descriptor or the "
                   "override that produced it"),
                 where, name, index, iwb_json_type_name (json_array_get_element (array, index)));
  return object;
}

static JsonObject *
root_object (JsonNode  *descriptor,
             GError   **error)
{
  if (descriptor != NULL && JSON_NODE_HOLDS_OBJECT (descriptor))
    return json_node_get_object (descriptor);
  g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_DESCRIPTOR,
               _("descriptor: the document is %s, not an object"),
               iwb_json_type_name (descriptor));
  return NULL;
}

JsonArray *
iwb_descriptor_get_actions (JsonNode  *descriptor,
                            GError   **error)
{
  JsonObject *root = root_object (descriptor, error);
  JsonNode *node;

  if (root == NULL)
    return NULL;
  node = typed_member (root, NULL, "actions", JSON_NODE_ARRAY, _("a list"), error);
  return node ? json_node_get_array (node) : NULL;
}

const char *
iwb_descriptor_action_get_entrypoint (JsonObject *action)
{
  return iwb_json_get_string (action, "entrypoint");
}

const char *
iwb_descriptor_action_get_name (JsonObject *action)
{
  return iwb_json_get_string (action, "name");
}

const char *
iwb_descriptor_action_get_description (JsonObject *action)
{
  return iwb_json_get_string (action, "description");
}

JsonObject *
iwb_descriptor_find_action (JsonNode   *descriptor,
                            const char *entrypoint)
{
  JsonArray *actions = iwb_descriptor_get_actions (descriptor, NULL);

  if (entrypoint == NULL)
    return NULL;
  for (guint i = 0; actions != NULL && i < json_array_get_length (actions); i++)
    {
      JsonObject *action = iwb_json_array_get_object (actions, i);

      if (g_strcmp0 (iwb_descriptor_action_get_entrypoint (action), entrypoint) == 0)
        return action;
    }
  return NULL;
}

GStrv
iwb_descriptor_dup_entrypoints (JsonNode *descriptor)
{
  JsonArray *actions = iwb_descriptor_get_actions (descriptor, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; actions != NULL && i < json_array_get_length (actions); i++)
    {
      const char *ep = iwb_descriptor_action_get_entrypoint (iwb_json_array_get_object (actions, i));

      if (ep != NULL)
        g_strv_builder_add (builder, ep);
    }
  return g_strv_builder_end (builder);
}

JsonArray *
iwb_descriptor_get_connection_inputs (JsonNode  *descriptor,
                                      GError   **error)
{
  JsonObject *root = root_object (descriptor, error);
  JsonNode *connection, *inputs;

  if (root == NULL)
    return NULL;
  connection = typed_member (root, NULL, "connection", JSON_NODE_OBJECT, _("an object"), error);
  if (connection == NULL)
    return NULL;
  inputs = typed_member (json_node_get_object (connection), "connection", "inputs",
                         JSON_NODE_ARRAY, _("a list"), error);
  return inputs ? json_node_get_array (inputs) : NULL;
}

JsonArray *
iwb_descriptor_action_get_inputs (JsonObject  *action,
                                  GError     **error)
{
  g_autofree char *where = NULL;
  JsonNode *inst, *steps, *inputs;
  JsonArray *array;
  JsonObject *step;

  if (action == NULL)
    return NULL;
  where = g_strdup_printf ("actions[entrypoint=%s]",
                           iwb_json_get_string_or (action, "entrypoint", "?"));
  inst = typed_member (action, where, "instantiation", JSON_NODE_OBJECT, _("an object"), error);
  if (inst == NULL)
    return NULL;
  g_free (g_steal_pointer (&where));
  where = g_strdup_printf ("actions[entrypoint=%s].instantiation",
                           iwb_json_get_string_or (action, "entrypoint", "?"));
  steps = typed_member (json_node_get_object (inst), where, "steps", JSON_NODE_ARRAY,
                        _("a list"), error);
  if (steps == NULL)
    return NULL;
  array = json_node_get_array (steps);
  if (json_array_get_length (array) == 0)
    return NULL;
  step = object_element (array, 0, where, "steps", error);
  if (step == NULL)
    return NULL;
  g_free (g_steal_pointer (&where));
  where = g_strdup_printf ("actions[entrypoint=%s].instantiation.steps[0]",
                           iwb_json_get_string_or (action, "entrypoint", "?"));
  inputs = typed_member (step, where, "inputs", JSON_NODE_ARRAY, _("a list"), error);
  return inputs ? json_node_get_array (inputs) : NULL;
}

JsonArray *
iwb_descriptor_get_inputs (JsonNode    *descriptor,
                           const char  *entrypoint,
                           GError     **error)
{
  if (entrypoint == NULL)
    return iwb_descriptor_get_connection_inputs (descriptor, error);
  return iwb_descriptor_action_get_inputs (iwb_descriptor_find_action (descriptor, entrypoint),
                                           error);
}

IwbAction *
iwb_descriptor_read_action (JsonObject  *object,
                            GError     **error)
{
  g_autoptr(IwbAction) action = NULL;
  g_autofree char *where = NULL;
  JsonNode *inst = NULL, *steps = NULL;
  JsonArray *steps_array;

  g_return_val_if_fail (object != NULL, NULL);

  action = iwb_action_new_checked (json_object_get_member (object, "entrypoint"),
                                   json_object_get_member (object, "name"),
                                   json_object_get_member (object, "description"), error);
  if (action == NULL)
    return NULL;
  where = g_strdup_printf ("actions[entrypoint=%s]", iwb_action_get_entrypoint (action));
  if (!optional_member (object, where, "instantiation", JSON_NODE_OBJECT, _("an object"),
                        &inst, error))
    return NULL;
  g_free (g_steal_pointer (&where));
  where = g_strdup_printf ("actions[entrypoint=%s].instantiation",
                           iwb_action_get_entrypoint (action));
  if (inst != NULL &&
      !optional_member (json_node_get_object (inst), where, "steps", JSON_NODE_ARRAY, _("a list"),
                        &steps, error))
    return NULL;
  steps_array = steps != NULL ? json_node_get_array (steps) : NULL;

  for (guint s = 0; steps_array != NULL && s < json_array_get_length (steps_array); s++)
    {
      JsonObject *step = object_element (steps_array, s, where, "steps", error);
      g_autofree char *step_where = NULL;
      JsonNode *inputs = NULL;
      JsonArray *inputs_array;

      if (step == NULL)
        return NULL;
      step_where = g_strdup_printf ("%s.steps[%u]", where, s);
      if (!optional_member (step, step_where, "inputs", JSON_NODE_ARRAY, _("a list"), &inputs,
                            error))
        return NULL;
      inputs_array = inputs != NULL ? json_node_get_array (inputs) : NULL;
      for (guint i = 0; inputs_array != NULL && i < json_array_get_length (inputs_array); i++)
        {
          JsonObject *input = object_element (inputs_array, i, step_where, "inputs", error);
          g_autoptr(IwbParam) param = NULL;

          if (input == NULL)
            return NULL;
          param = iwb_param_new_from_input (input, error);
          if (param == NULL)
            {
              g_prefix_error (error, _("Action “%s”: "), iwb_action_get_entrypoint (action));
              return NULL;
            }
          iwb_action_append_input (action, param);
        }
    }

  return g_steal_pointer (&action);
}

const char *
iwb_descriptor_input_get_id (JsonObject *input)
{
  return iwb_json_get_string (input, "id");
}

const char *
iwb_descriptor_input_get_label (JsonObject *input)
{
  const char *label = iwb_json_get_string (input, "label");

  return label != NULL && label[0] != '\0' ? label : iwb_descriptor_input_get_id (input);
}

const char *
iwb_descriptor_input_get_description (JsonObject *input)
{
  return iwb_json_get_string (input, "description");
}

const char *
iwb_descriptor_input_get_data_type (JsonObject *input)
{
  return iwb_json_get_string (input, "data_type");
}

const char *
iwb_descriptor_input_get_input_type (JsonObject *input)
{
  return iwb_json_get_string (input, "input_type");
}

gboolean
iwb_descriptor_input_get_optional (JsonObject *input)
{
  return iwb_json_get_boolean (input, "optional", FALSE);
}

JsonNode *
iwb_descriptor_input_get_default (JsonObject *input)
{
  return input != NULL ? json_object_get_member (input, "default") : NULL;
}

JsonArray *
iwb_descriptor_input_get_options (JsonObject *input)
{
  return iwb_json_get_array (input, "options");
}

const char *
iwb_descriptor_input_get_source (JsonObject *input,
                                 gboolean    connection)
{
  const char *source = iwb_json_get_string (input, "source");

  if (source == NULL)
    return connection ? "connection" : "param";
  return source;
}

gboolean
iwb_descriptor_input_type_is_secret (const char *input_type)
{
  return g_strcmp0 (input_type, "password") == 0 || g_strcmp0 (input_type, "encryptedFile") == 0;
}

gboolean
iwb_descriptor_input_is_secret (JsonObject *input)
{
  return iwb_descriptor_input_type_is_secret (iwb_descriptor_input_get_input_type (input));
}

gboolean
iwb_descriptor_input_check (JsonObject  *input,
                            const char  *where,
                            GError     **error)
{
  static const struct { const char *name; JsonNodeType type; gboolean nullable; } members[] = {
    { "id", JSON_NODE_VALUE, FALSE },
    { "label", JSON_NODE_VALUE, TRUE },
    { "data_type", JSON_NODE_VALUE, TRUE },
    { "input_type", JSON_NODE_VALUE, TRUE },
    { "optional", JSON_NODE_VALUE, TRUE },
    { "description", JSON_NODE_VALUE, TRUE },
    { "options", JSON_NODE_ARRAY, TRUE },
    { "source", JSON_NODE_VALUE, TRUE },
  };

  if (input == NULL)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_DESCRIPTOR,
                   _("descriptor: %s is not an object"), where);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      JsonNode *node = json_object_get_member (input, members[i].name);
      GType want = g_str_equal (members[i].name, "optional") ? G_TYPE_BOOLEAN : G_TYPE_STRING;
      gboolean ok;

      if (node == NULL)
        ok = !g_str_equal (members[i].name, "id");
      else if (JSON_NODE_HOLDS_NULL (node))
        ok = members[i].nullable;
      else if (members[i].type == JSON_NODE_ARRAY)
        ok = JSON_NODE_HOLDS_ARRAY (node);
      else
        ok = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == want;
      if (!ok)
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_DESCRIPTOR,
                       _("descriptor: %s.%s is %s, not %s; fix the descriptor or the override "
                         "that produced it"),
                       where, members[i].name, iwb_json_type_name (node),
                       members[i].type == JSON_NODE_ARRAY ? _("a list")
                       : want == G_TYPE_BOOLEAN ? _("a boolean") : _("a string"));
          return FALSE;
        }
    }
  return TRUE;
}

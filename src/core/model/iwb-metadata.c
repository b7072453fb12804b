/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The SDK metadata JSON (what `generate_metadata` prints after `[result] `)
 * -> IwbIntegration.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-error.h"
#include "iwb-json.h"
#include "iwb-metadata.h"

static gboolean
get_string (JsonObject  *root,
            const char  *member,
            char       **out,
            GError     **error)
{
  JsonNode *node = iwb_json_get_present (root, member);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *out = g_strdup (json_node_get_string (node));
      return TRUE;
    }
  g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
               _("The metadata's “%s” is neither a string nor null; "
               "check which lhub_integ the interpreter imports (--sdk)"), member);
  return FALSE;
}

/* A list member of the metadata (@owner NULL) or of the action whose
 * entrypoint is @owner: absent or null is the empty list. */
static gboolean
get_array (JsonObject  *object,
           const char  *member,
           const char  *owner,
           JsonArray  **out,
           GError     **error)
{
  JsonNode *node = iwb_json_get_present (object, member);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      *out = json_node_get_array (node);
      return TRUE;
    }
  if (owner != NULL)
    g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                 /* Translators: the action entrypoint, then the member name (inputs, steps…). */
                 _("Action “%s”: “%s” must be a list; "
                 "fix the metadata or the override that produced it"), owner, member);
  else
    g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                 _("The metadata's “%s” is not a list; "
                 "check which lhub_integ the interpreter imports (--sdk)"), member);
  return FALSE;
}

/* Error entries are strings; the instantiation-error shape
 * ({"errors": [{"message": ...}]}) of a module that exits at import has
 * objects: keep their message. */
static char *
error_to_string (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *message = json_object_get_member (json_node_get_object (node), "message");

      if (message != NULL && JSON_NODE_HOLDS_VALUE (message) &&
          json_node_get_value_type (message) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (message));
    }
  return iwb_json_to_string (node, FALSE);
}

/* The params (@is_args FALSE) or function arguments of an action: an
 * argument whose data type is "jinja" is a template, any other a column. */
static gboolean
add_params_from_array (IwbAction   *action,
                       JsonArray   *array,
                       const char  *member,
                       gboolean     is_args,
                       GError     **error)
{
  const char *entrypoint = iwb_action_get_entrypoint (action);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(IwbParam) param = NULL;
      IwbParamSource source = IWB_PARAM_SOURCE_PARAM;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                       _("Action “%s”: item %u of “%s” is not an object; "
                       "fix the metadata or the override that produced it"),
                       entrypoint, i + 1, member);
          return FALSE;
        }
      if (is_args)
        source = g_strcmp0 (iwb_json_get_string (json_node_get_object (node), "data_type"),
                            "jinja") == 0
                   ? IWB_PARAM_SOURCE_TEMPLATE : IWB_PARAM_SOURCE_COLUMN;
      param = iwb_param_new_from_json (json_node_get_object (node), source, error);
      if (param == NULL)
        {
          g_prefix_error (error, _("Action “%s”: "), entrypoint);
          return FALSE;
        }
      iwb_action_append_input (action, param);
    }
  return TRUE;
}

/**
 * iwb_metadata_parse_action:
 * @object: an Action object of the SDK metadata (`name`, `entrypoint`,
 *   `args`, `params`, `description`, `errors`)
 *
 * Arguments whose data type is "jinja" get %IWB_PARAM_SOURCE_TEMPLATE, the
 * other arguments %IWB_PARAM_SOURCE_COLUMN, params %IWB_PARAM_SOURCE_PARAM;
 * the inputs are the params, then the arguments.
 *
 * Returns: (transfer full): a new #IwbAction, or %NULL with @error set
 *   (%IWB_ERROR_INVALID_JSON).
 */
IwbAction *
iwb_metadata_parse_action (JsonObject  *object,
                           GError     **error)
{
  g_autoptr(IwbAction) action = NULL;
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  const char *entrypoint;
  JsonArray *params, *args, *errs;

  g_return_val_if_fail (object != NULL, NULL);

  action = iwb_action_new_checked (json_object_get_member (object, "entrypoint"),
                                   json_object_get_member (object, "name"),
                                   json_object_get_member (object, "description"), error);
  if (action == NULL)
    return NULL;
  entrypoint = iwb_action_get_entrypoint (action);

  if (!get_array (object, "params", entrypoint, &params, error) ||
      !get_array (object, "args", entrypoint, &args, error) ||
      !get_array (object, "errors", entrypoint, &errs, error))
    return NULL;

  if (!add_params_from_array (action, params, "params", FALSE, error) ||
      !add_params_from_array (action, args, "args", TRUE, error))
    return NULL;

  for (guint i = 0; errs != NULL && i < json_array_get_length (errs); i++)
    {
      JsonNode *node = json_array_get_element (errs, i);
      const char *text = iwb_json_node_string (node);

      g_ptr_array_add (errors, text != NULL ? g_strdup (text) : iwb_json_to_string (node, FALSE));
    }
  g_ptr_array_add (errors, NULL);
  iwb_action_set_errors (action, (const char * const *) errors->pdata);

  return g_steal_pointer (&action);
}

/**
 * iwb_metadata_parse:
 * @json: the metadata text (without the `[result] ` prefix)
 * @folder: (nullable): the integration folder it came from
 *
 * Parses the metadata as is: top-level `errors` are kept on the model
 * (iwb_integration_get_errors()), not turned into a #GError; the loader
 * decides what is fatal.
 *
 * Returns: (transfer full): the model, or %NULL with @error set
 *   (%IWB_ERROR_INVALID_JSON) when @json is not metadata
 */
IwbIntegration *
iwb_metadata_parse (const char  *json,
                    GFile       *folder,
                    GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) connection_params = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  g_autofree char *logo_url = NULL;
  JsonArray *array;
  JsonObject *object;

  g_return_val_if_fail (json != NULL, NULL);

  /* iwb-json: the program's one depth rule, NaN / Infinity as Python's
   * json.dumps prints them, and no recursion on hostile nesting. */
  root = iwb_json_parse_full (json, -1, IWB_JSON_PARSE_DEFAULT, NULL, &local_error);
  if (root == NULL)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                   _("The metadata is not valid JSON (%s); check which lhub_integ the "
                   "interpreter imports (--sdk) and whether the integration prints "
                   "“[result]” lines itself at import"),
                   local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                   _("The metadata is JSON but not an object; check which lhub_integ the "
                   "interpreter imports (--sdk) and whether the integration prints "
                   "“[result]” lines itself at import"));
      return NULL;
    }
  object = json_node_get_object (root);

  if (!get_string (object, "integration_name", &name, error) ||
      !get_string (object, "integration_description", &description, error) ||
      !get_string (object, "integration_logo_url", &logo_url, error))
    return NULL;

  if (!get_array (object, "connection_params", NULL, &array, error))
    return NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      IwbParam *param;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                       _("Connection param %u of the metadata is not an object; "
                       "check which lhub_integ the interpreter imports (--sdk)"), i + 1);
          return NULL;
        }
      param = iwb_param_new_from_json (json_node_get_object (node),
                                       IWB_PARAM_SOURCE_CONNECTION, error);
      if (param == NULL)
        return NULL;
      g_ptr_array_add (connection_params, param);
    }

  if (!get_array (object, "actions", NULL, &array, error))
    return NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      IwbAction *action;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                       _("Action %u of the metadata is not an object; "
                       "check which lhub_integ the interpreter imports (--sdk)"), i + 1);
          return NULL;
        }
      action = iwb_metadata_parse_action (json_node_get_object (node), error);
      if (action == NULL)
        return NULL;
      g_ptr_array_add (actions, action);
    }

  if (!get_array (object, "errors", NULL, &array, error))
    return NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    g_ptr_array_add (errors, error_to_string (json_array_get_element (array, i)));
  g_ptr_array_add (errors, NULL);

  return iwb_integration_new (folder, name, description, logo_url,
                              connection_params, actions,
                              (const char * const *) errors->pdata, json);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One `@action` of an integration: its ActionParams and its function
 * arguments, as GListModels of IwbParam, and the SDK's own errors for it
 * (kept on the action: they do not stop the integration from loading).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-action.h"
#include "iwb-error.h"
#include "iwb-json.h"

struct _IwbAction
{
  GObject     parent_instance;

  char       *name;
  char       *entrypoint;
  char       *description;
  GListStore *params;
  GListStore *args;
  GListStore *inputs;
  GStrv       errors;
};

G_DEFINE_FINAL_TYPE (IwbAction, iwb_action, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ENTRYPOINT,
  PROP_DESCRIPTION,
  PROP_PARAMS,
  PROP_ARGS,
  PROP_INPUTS,
  PROP_ERRORS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
iwb_action_finalize (GObject *object)
{
  IwbAction *self = IWB_ACTION (object);

  g_free (self->name);
  g_free (self->entrypoint);
  g_free (self->description);
  g_clear_object (&self->params);
  g_clear_object (&self->args);
  g_clear_object (&self->inputs);
  g_strfreev (self->errors);

  G_OBJECT_CLASS (iwb_action_parent_class)->finalize (object);
}

static void
iwb_action_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  IwbAction *self = IWB_ACTION (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ENTRYPOINT:
      g_value_set_string (value, self->entrypoint);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_PARAMS:
      g_value_set_object (value, self->params);
      break;
    case PROP_ARGS:
      g_value_set_object (value, self->args);
      break;
    case PROP_INPUTS:
      g_value_set_object (value, self->inputs);
      break;
    case PROP_ERRORS:
      g_value_set_boxed (value, self->errors);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_action_class_init (IwbActionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = iwb_action_finalize;
  object_class->get_property = iwb_action_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_ENTRYPOINT] = g_param_spec_string ("entrypoint", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_PARAMS] = g_param_spec_object ("params", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  properties[PROP_ARGS] = g_param_spec_object ("args", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  properties[PROP_INPUTS] = g_param_spec_object ("inputs", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  properties[PROP_ERRORS] = g_param_spec_boxed ("errors", NULL, NULL, G_TYPE_STRV, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
iwb_action_init (IwbAction *self)
{
  self->params = g_list_store_new (IWB_TYPE_PARAM);
  self->args = g_list_store_new (IWB_TYPE_PARAM);
  self->inputs = g_list_store_new (IWB_TYPE_PARAM);
  self->errors = g_new0 (char *, 1);
}

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* name (falls back to the entrypoint), entrypoint (required), description */
static IwbAction *
new_with_header (JsonObject  *object,
                 GError     **error)
{
  g_autoptr(IwbAction) self = g_object_new (IWB_TYPE_ACTION, NULL);
  JsonNode *entrypoint = json_object_get_member (object, "entrypoint");
  JsonNode *name = json_object_get_member (object, "name");
  JsonNode *description = json_object_get_member (object, "description");

  if (!node_is_string (entrypoint) || json_node_get_string (entrypoint)[0] == '\0')
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                   _("An action%s%s%s has no “entrypoint” (a string “module.function” "
                   "is required); fix the metadata or the override that produced it"),
                   node_is_string (name) ? " (“" : "",
                   node_is_string (name) ? json_node_get_string (name) : "",
                   node_is_string (name) ? "”)" : "");
      return NULL;
    }
  self->entrypoint = g_strdup (json_node_get_string (entrypoint));

  if (node_is_string (name) && json_node_get_string (name)[0] != '\0')
    self->name = g_strdup (json_node_get_string (name));
  else if (node_is_null (name))
    self->name = g_strdup (self->entrypoint);
  else
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                   _("Action “%s”: “name” must be a string; "
                   "fix the metadata or the override that produced it"), self->entrypoint);
      return NULL;
    }

  if (node_is_string (description))
    self->description = g_strdup (json_node_get_string (description));
  else if (!node_is_null (description))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                   _("Action “%s”: “description” must be a string or null; "
                   "fix the metadata or the override that produced it"), self->entrypoint);
      return NULL;
    }

  return g_steal_pointer (&self);
}

static void
add_param (IwbAction *self,
           IwbParam  *param)
{
  if (iwb_param_is_argument (param))
    g_list_store_append (self->args, param);
  else
    g_list_store_append (self->params, param);
}

/* A list member: absent or null is the empty list. */
static gboolean
get_array (JsonObject  *object,
           const char  *member,
           const char  *owner,
           JsonArray  **out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node_is_null (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                   /* Translators: the action entrypoint, then the member name (inputs, steps…). */
                   _("Action “%s”: “%s” must be a list; "
                   "fix the metadata or the override that produced it"), owner, member);
      return FALSE;
    }
  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
add_params_from_array (IwbAction   *self,
                       JsonArray   *array,
                       const char  *member,
                       gboolean     is_args,
                       GError     **error)
{
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
                       self->entrypoint, i + 1, member);
          return FALSE;
        }
      if (is_args)
        {
          JsonObject *object = json_node_get_object (node);
          JsonNode *data_type = json_object_get_member (object, "data_type");

          source = node_is_string (data_type) && g_str_equal (json_node_get_string (data_type), "jinja")
                     ? IWB_PARAM_SOURCE_TEMPLATE : IWB_PARAM_SOURCE_COLUMN;
          param = iwb_param_new_from_json (object, source, error);
        }
      else
        param = iwb_param_new_from_json (json_node_get_object (node), source, error);

      if (param == NULL)
        {
          g_prefix_error (error, _("Action “%s”: "), self->entrypoint);
          return FALSE;
        }
      add_param (self, param);
    }
  return TRUE;
}

static void
fill_inputs (IwbAction *self)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->params)); i++)
    {
      g_autoptr(IwbParam) param = g_list_model_get_item (G_LIST_MODEL (self->params), i);
      g_list_store_append (self->inputs, param);
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->args)); i++)
    {
      g_autoptr(IwbParam) param = g_list_model_get_item (G_LIST_MODEL (self->args), i);
      g_list_store_append (self->inputs, param);
    }
}

/**
 * iwb_action_new_from_json:
 * @object: an Action object of the SDK metadata (`name`, `entrypoint`,
 *   `args`, `params`, `description`, `errors`)
 *
 * Arguments whose data type is "jinja" get %IWB_PARAM_SOURCE_TEMPLATE, the
 * other arguments %IWB_PARAM_SOURCE_COLUMN, params %IWB_PARAM_SOURCE_PARAM.
 *
 * Returns: (transfer full): a new #IwbAction, or %NULL with @error set
 *   (%IWB_ERROR_INVALID_JSON).
 */
IwbAction *
iwb_action_new_from_json (JsonObject  *object,
                          GError     **error)
{
  g_autoptr(IwbAction) self = NULL;
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  JsonArray *params, *args, *errs;

  g_return_val_if_fail (object != NULL, NULL);

  self = new_with_header (object, error);
  if (self == NULL)
    return NULL;

  if (!get_array (object, "params", self->entrypoint, &params, error) ||
      !get_array (object, "args", self->entrypoint, &args, error) ||
      !get_array (object, "errors", self->entrypoint, &errs, error))
    return NULL;

  if (!add_params_from_array (self, params, "params", FALSE, error) ||
      !add_params_from_array (self, args, "args", TRUE, error))
    return NULL;
  fill_inputs (self);

  for (guint i = 0; errs != NULL && i < json_array_get_length (errs); i++)
    {
      JsonNode *node = json_array_get_element (errs, i);

      if (node_is_string (node))
        g_ptr_array_add (errors, g_strdup (json_node_get_string (node)));
      else
        g_ptr_array_add (errors, iwb_json_to_string (node, FALSE));
    }
  g_ptr_array_add (errors, NULL);
  g_strfreev (self->errors);
  self->errors = (GStrv) g_ptr_array_free (g_steal_pointer (&errors), FALSE);

  return g_steal_pointer (&self);
}

/**
 * iwb_action_new_from_descriptor:
 * @object: an action of the platform descriptor (`name`, `entrypoint`,
 *   `description`, `instantiation.steps[].inputs[]`), e.g. an effective
 *   action after overrides
 *
 * Inputs are sorted into params and args by their `source` (missing =
 * "param"); the order of the inputs is kept in iwb_action_get_inputs().
 *
 * Returns: (transfer full): a new #IwbAction, or %NULL with @error set.
 */
IwbAction *
iwb_action_new_from_descriptor (JsonObject  *object,
                                GError     **error)
{
  g_autoptr(IwbAction) self = NULL;
  JsonNode *instantiation;
  JsonArray *steps = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = new_with_header (object, error);
  if (self == NULL)
    return NULL;

  instantiation = json_object_get_member (object, "instantiation");
  if (!node_is_null (instantiation))
    {
      if (!JSON_NODE_HOLDS_OBJECT (instantiation) ||
          !get_array (json_node_get_object (instantiation), "steps", self->entrypoint,
                      &steps, error))
        {
          g_clear_error (error);
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                       _("Action “%s”: “instantiation” must be an object with a list "
                       "“steps”; fix the override"), self->entrypoint);
          return NULL;
        }
    }

  for (guint s = 0; steps != NULL && s < json_array_get_length (steps); s++)
    {
      JsonNode *step = json_array_get_element (steps, s);
      JsonArray *inputs = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (step) ||
          !get_array (json_node_get_object (step), "inputs", self->entrypoint, &inputs, error))
        {
          g_clear_error (error);
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                       _("Action “%s”: step %u must be an object with a list “inputs”; "
                       "fix the override"), self->entrypoint, s + 1);
          return NULL;
        }
      for (guint i = 0; inputs != NULL && i < json_array_get_length (inputs); i++)
        {
          JsonNode *node = json_array_get_element (inputs, i);
          g_autoptr(IwbParam) param = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                           _("Action “%s”: input %u is not an object; fix the override"),
                           self->entrypoint, i + 1);
              return NULL;
            }
          param = iwb_param_new_from_input (json_node_get_object (node), error);
          if (param == NULL)
            {
              g_prefix_error (error, _("Action “%s”: "), self->entrypoint);
              return NULL;
            }
          add_param (self, param);
          g_list_store_append (self->inputs, param);
        }
    }

  return g_steal_pointer (&self);
}

const char *
iwb_action_get_name (IwbAction *self)
{
  g_return_val_if_fail (IWB_IS_ACTION (self), NULL);
  return self->name;
}

const char *
iwb_action_get_entrypoint (IwbAction *self)
{
  g_return_val_if_fail (IWB_IS_ACTION (self), NULL);
  return self->entrypoint;
}

const char *
iwb_action_get_description (IwbAction *self)
{
  g_return_val_if_fail (IWB_IS_ACTION (self), NULL);
  return self->description;
}

/**
 * iwb_action_get_params:
 *
 * Returns: (transfer none): the ActionParams (#IwbParam), registration order
 */
GListModel *
iwb_action_get_params (IwbAction *self)
{
  g_return_val_if_fail (IWB_IS_ACTION (self), NULL);
  return G_LIST_MODEL (self->params);
}

/**
 * iwb_action_get_args:
 *
 * Returns: (transfer none): the function arguments (#IwbParam), signature order
 */
GListModel *
iwb_action_get_args (IwbAction *self)
{
  g_return_val_if_fail (IWB_IS_ACTION (self), NULL);
  return G_LIST_MODEL (self->args);
}

/**
 * iwb_action_get_inputs:
 *
 * Returns: (transfer none): every input in descriptor order (params, then
 *   arguments, unless an override reordered them)
 */
GListModel *
iwb_action_get_inputs (IwbAction *self)
{
  g_return_val_if_fail (IWB_IS_ACTION (self), NULL);
  return G_LIST_MODEL (self->inputs);
}

/**
 * iwb_action_find_input:
 *
 * Returns: (transfer none) (nullable): the first input with @id
 */
IwbParam *
iwb_action_find_input (IwbAction  *self,
                       const char *id)
{
  g_return_val_if_fail (IWB_IS_ACTION (self), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->inputs)); i++)
    {
      g_autoptr(IwbParam) param = g_list_model_get_item (G_LIST_MODEL (self->inputs), i);

      if (g_strcmp0 (iwb_param_get_id (param), id) == 0)
        return param; /* the store keeps it alive */
    }
  return NULL;
}

/**
 * iwb_action_get_errors:
 *
 * Returns: (transfer none): the SDK's errors for this action (e.g.
 *   "Docstring referenced x but there were no matching arguments"); empty,
 *   never %NULL
 */
const char * const *
iwb_action_get_errors (IwbAction *self)
{
  g_return_val_if_fail (IWB_IS_ACTION (self), NULL);
  return (const char * const *) self->errors;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One `@action` of an integration: its ActionParams and its function
 * arguments, as GListModels of IwbParam, and the SDK's own errors for it
 * (kept on the action: they do not stop the integration from loading).
 * It reads no JSON: iwb_metadata_parse_action () and
 * iwb_descriptor_read_action () build it from their formats.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-action.h"
#include "iwb-error.h"

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

/**
 * iwb_action_new_checked:
 * @entrypoint: (nullable): the action's entrypoint as read (required: a
 *   non-empty string)
 * @name: (nullable): its name (a string; missing or null: the entrypoint)
 * @description: (nullable): its description (a string or null)
 *
 * The header of an action, as both of its formats hold it (the SDK
 * metadata read by iwb-metadata.c, a descriptor action read by
 * iwb-descriptor.c): the readers pass the members they found, unchecked.
 *
 * Returns: (transfer full): a new #IwbAction without inputs, or %NULL with
 *   @error set (%IWB_ERROR_INVALID_JSON) saying which member is wrong
 */
IwbAction *
iwb_action_new_checked (JsonNode  *entrypoint,
                        JsonNode  *name,
                        JsonNode  *description,
                        GError   **error)
{
  g_autoptr(IwbAction) self = g_object_new (IWB_TYPE_ACTION, NULL);

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

/**
 * iwb_action_append_input:
 *
 * Appends @param to the inputs, and to the params or the arguments by its
 * source (iwb_param_is_argument()). For the readers, while they build the
 * action.
 */
void
iwb_action_append_input (IwbAction *self,
                         IwbParam  *param)
{
  g_return_if_fail (IWB_IS_ACTION (self));
  g_return_if_fail (IWB_IS_PARAM (param));

  if (iwb_param_is_argument (param))
    g_list_store_append (self->args, param);
  else
    g_list_store_append (self->params, param);
  g_list_store_append (self->inputs, param);
}

/**
 * iwb_action_set_errors:
 * @errors: (array zero-terminated=1): the SDK's errors for this action
 */
void
iwb_action_set_errors (IwbAction          *self,
                       const char * const *errors)
{
  g_return_if_fail (IWB_IS_ACTION (self));

  g_strfreev (self->errors);
  self->errors = errors != NULL ? g_strdupv ((char **) errors) : g_new0 (char *, 1);
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One input of an integration: a connection param, an action param, or an
 * action function argument (a column mapping or a Jinja template). Built from
 * the SDK metadata's param object; immutable once built.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-error.h"
#include "iwb-json.h"
#include "iwb-param.h"

struct _IwbParam
{
  GObject         parent_instance;

  char           *id;
  char           *label;
  char           *description;
  char           *data_type;
  char           *input_type;
  JsonNode       *default_value; /* NULL when the metadata has null */
  JsonArray      *options;       /* NULL when the metadata has null */
  IwbParamSource  source;
  guint           optional : 1;
};

G_DEFINE_FINAL_TYPE (IwbParam, iwb_param, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_LABEL,
  PROP_DESCRIPTION,
  PROP_DATA_TYPE,
  PROP_INPUT_TYPE,
  PROP_OPTIONAL,
  PROP_DEFAULT,
  PROP_OPTIONS,
  PROP_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GEnumValue source_values[] = {
  { IWB_PARAM_SOURCE_CONNECTION, "IWB_PARAM_SOURCE_CONNECTION", "connection" },
  { IWB_PARAM_SOURCE_PARAM, "IWB_PARAM_SOURCE_PARAM", "param" },
  { IWB_PARAM_SOURCE_COLUMN, "IWB_PARAM_SOURCE_COLUMN", "column" },
  { IWB_PARAM_SOURCE_TEMPLATE, "IWB_PARAM_SOURCE_TEMPLATE", "template" },
  { 0, NULL, NULL }
};

GType
iwb_param_source_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      GType type = g_enum_register_static (g_intern_static_string ("IwbParamSource"),
                                           source_values);
      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

/**
 * iwb_param_source_to_string:
 *
 * Returns: the descriptor's `source` value: "connection", "param", "column"
 *   or "template".
 */
const char *
iwb_param_source_to_string (IwbParamSource source)
{
  for (guint i = 0; source_values[i].value_nick != NULL; i++)
    if ((IwbParamSource) source_values[i].value == source)
      return source_values[i].value_nick;
  g_return_val_if_reached (NULL);
}

gboolean
iwb_param_source_from_string (const char     *str,
                              IwbParamSource *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  for (guint i = 0; str != NULL && source_values[i].value_nick != NULL; i++)
    if (g_str_equal (source_values[i].value_nick, str))
      {
        *out = source_values[i].value;
        return TRUE;
      }
  return FALSE;
}

static void
iwb_param_finalize (GObject *object)
{
  IwbParam *self = IWB_PARAM (object);

  g_free (self->id);
  g_free (self->label);
  g_free (self->description);
  g_free (self->data_type);
  g_free (self->input_type);
  g_clear_pointer (&self->default_value, json_node_unref);
  g_clear_pointer (&self->options, json_array_unref);

  G_OBJECT_CLASS (iwb_param_parent_class)->finalize (object);
}

static void
iwb_param_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  IwbParam *self = IWB_PARAM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_DATA_TYPE:
      g_value_set_string (value, self->data_type);
      break;
    case PROP_INPUT_TYPE:
      g_value_set_string (value, self->input_type);
      break;
    case PROP_OPTIONAL:
      g_value_set_boolean (value, self->optional);
      break;
    case PROP_DEFAULT:
      g_value_set_boxed (value, self->default_value);
      break;
    case PROP_OPTIONS:
      g_value_set_boxed (value, self->options);
      break;
    case PROP_SOURCE:
      g_value_set_enum (value, self->source);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_param_class_init (IwbParamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = iwb_param_finalize;
  object_class->get_property = iwb_param_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_DATA_TYPE] = g_param_spec_string ("data-type", NULL, NULL, NULL, flags);
  properties[PROP_INPUT_TYPE] = g_param_spec_string ("input-type", NULL, NULL, NULL, flags);
  properties[PROP_OPTIONAL] = g_param_spec_boolean ("optional", NULL, NULL, FALSE, flags);
  properties[PROP_DEFAULT] = g_param_spec_boxed ("default", NULL, NULL, JSON_TYPE_NODE, flags);
  properties[PROP_OPTIONS] = g_param_spec_boxed ("options", NULL, NULL, JSON_TYPE_ARRAY, flags);
  properties[PROP_SOURCE] = g_param_spec_enum ("source", NULL, NULL, IWB_TYPE_PARAM_SOURCE,
                                               IWB_PARAM_SOURCE_PARAM, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
iwb_param_init (IwbParam *self)
{
}

/* iwb_json_deep_copy(): json_node_copy() shares arrays and objects; the
 * model must not change when a caller edits a descriptor it got from us,
 * nor the other way round. */

/* A string member that may be absent or null (then @fallback). */
static gboolean
get_optional_string (JsonObject  *object,
                     const char  *member,
                     const char  *fallback,
                     const char  *param_id,
                     char       **out,
                     GError     **error)
{
  JsonNode *node = iwb_json_get_present (object, member);

  if (node == NULL)
    {
      *out = g_strdup (fallback);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                   _("Input “%s”: “%s” must be a string or null, not %s; "
                   "fix the metadata or the override that produced it"),
                   param_id, member, iwb_json_type_name (node));
      return FALSE;
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/**
 * iwb_param_new_from_json:
 * @object: a Param object of the SDK metadata (`id`, `label`, `data_type`,
 *   `input_type`, `optional`, `description`, `default`, `options`)
 * @source: where its value comes from (the metadata does not say)
 *
 * Missing members take the SDK's defaults (label = id, data type "string",
 * input type "text", not optional); members of the wrong type are an error.
 *
 * Returns: (transfer full): a new #IwbParam, or %NULL with @error set
 *   (%IWB_ERROR_INVALID_JSON).
 */
IwbParam *
iwb_param_new_from_json (JsonObject      *object,
                         IwbParamSource   source,
                         GError         **error)
{
  g_autoptr(IwbParam) self = NULL;
  JsonNode *node;
  const char *id;

  g_return_val_if_fail (object != NULL, NULL);

  node = json_object_get_member (object, "id");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      json_node_get_string (node)[0] == '\0')
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                   _("An input has no “id” (a non-empty string is required, found %s); "
                   "fix the metadata or the override that produced it"),
                   node == NULL ? "nothing" : iwb_json_type_name (node));
      return NULL;
    }
  id = json_node_get_string (node);

  self = g_object_new (IWB_TYPE_PARAM, NULL);
  self->id = g_strdup (id);
  self->source = source;

  if (!get_optional_string (object, "label", NULL, id, &self->label, error) ||
      !get_optional_string (object, "description", NULL, id, &self->description, error) ||
      !get_optional_string (object, "data_type", "string", id, &self->data_type, error) ||
      !get_optional_string (object, "input_type", "text", id, &self->input_type, error))
    return NULL;
  if (self->label == NULL || self->label[0] == '\0')
    {
      g_free (self->label);
      self->label = g_strdup (id);
    }

  node = json_object_get_member (object, "optional");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                       _("Input “%s”: “optional” must be true or false, not %s; "
                       "fix the metadata or the override that produced it"),
                       id, iwb_json_type_name (node));
          return NULL;
        }
      self->optional = json_node_get_boolean (node);
    }

  node = json_object_get_member (object, "default");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    self->default_value = iwb_json_deep_copy (node);

  node = json_object_get_member (object, "options");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      g_autoptr(JsonNode) copy = NULL;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                       _("Input “%s”: “options” must be a list or null, not %s; "
                       "fix the metadata or the override that produced it"),
                       id, iwb_json_type_name (node));
          return NULL;
        }
      copy = iwb_json_deep_copy (node);
      self->options = json_array_ref (json_node_get_array (copy));
    }

  return g_steal_pointer (&self);
}

/**
 * iwb_param_new_from_input:
 * @input: an INPUT object of the platform descriptor (a Param object plus
 *   `source`; a missing `source` means "param", as for inputs added by an
 *   override)
 *
 * Returns: (transfer full): a new #IwbParam, or %NULL with @error set.
 */
IwbParam *
iwb_param_new_from_input (JsonObject  *input,
                          GError     **error)
{
  IwbParamSource source = IWB_PARAM_SOURCE_PARAM;
  JsonNode *node;

  g_return_val_if_fail (input != NULL, NULL);

  node = json_object_get_member (input, "source");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      const char *str = NULL;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        str = json_node_get_string (node);
      if (!iwb_param_source_from_string (str, &source))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                       _("Input “%s”: unknown “source” %s%s%s; use one of "
                       "\"connection\", \"param\", \"column\", \"template\""),
                       json_object_has_member (input, "id") &&
                       JSON_NODE_HOLDS_VALUE (json_object_get_member (input, "id"))
                         ? iwb_json_get_string (input, "id") : "?",
                       str ? "“" : "", str ? str : iwb_json_type_name (node), str ? "”" : "");
          return NULL;
        }
    }

  return iwb_param_new_from_json (input, source, error);
}

const char *
iwb_param_get_id (IwbParam *self)
{
  g_return_val_if_fail (IWB_IS_PARAM (self), NULL);
  return self->id;
}

const char *
iwb_param_get_label (IwbParam *self)
{
  g_return_val_if_fail (IWB_IS_PARAM (self), NULL);
  return self->label;
}

const char *
iwb_param_get_description (IwbParam *self)
{
  g_return_val_if_fail (IWB_IS_PARAM (self), NULL);
  return self->description;
}

/* The SDK's DataType value: "string", "column", "number", "bool", "int", "json", "jinja". */
const char *
iwb_param_get_data_type (IwbParam *self)
{
  g_return_val_if_fail (IWB_IS_PARAM (self), NULL);
  return self->data_type;
}

/* The SDK's InputType value: "text", "textarea", "email", "password", "select",
 * "columnSelect", "file", "encryptedFile". */
const char *
iwb_param_get_input_type (IwbParam *self)
{
  g_return_val_if_fail (IWB_IS_PARAM (self), NULL);
  return self->input_type;
}

gboolean
iwb_param_get_optional (IwbParam *self)
{
  g_return_val_if_fail (IWB_IS_PARAM (self), FALSE);
  return self->optional;
}

/**
 * iwb_param_get_default:
 *
 * Returns: (transfer none) (nullable): the default as given to the SDK
 *   (usually a string), %NULL when there is none
 */
JsonNode *
iwb_param_get_default (IwbParam *self)
{
  g_return_val_if_fail (IWB_IS_PARAM (self), NULL);
  return self->default_value;
}

/**
 * iwb_param_dup_default_text:
 *
 * Returns: (transfer full) (nullable): the default as the text an
 *   environment variable would hold: a string as is, anything else as JSON;
 *   %NULL when there is no default
 */
char *
iwb_param_dup_default_text (IwbParam *self)
{
  g_return_val_if_fail (IWB_IS_PARAM (self), NULL);

  if (self->default_value == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (self->default_value) &&
      json_node_get_value_type (self->default_value) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (self->default_value));
  return iwb_json_to_string (self->default_value, FALSE);
}

/**
 * iwb_param_get_options:
 *
 * Returns: (transfer none) (nullable): the options verbatim (strings or
 *   `{"label", "value"}` objects), %NULL when there are none
 */
JsonArray *
iwb_param_get_options (IwbParam *self)
{
  g_return_val_if_fail (IWB_IS_PARAM (self), NULL);
  return self->options;
}

IwbParamSource
iwb_param_get_source (IwbParam *self)
{
  g_return_val_if_fail (IWB_IS_PARAM (self), IWB_PARAM_SOURCE_PARAM);
  return self->source;
}

/* TRUE for function arguments (column or template), which travel as `___<id>`. */
gboolean
iwb_param_is_argument (IwbParam *self)
{
  g_return_val_if_fail (IWB_IS_PARAM (self), FALSE);
  return self->source == IWB_PARAM_SOURCE_COLUMN || self->source == IWB_PARAM_SOURCE_TEMPLATE;
}

/**
 * iwb_param_dup_env_name:
 *
 * Returns: (transfer full): the environment variable that carries the value
 *   into the child: the id for params, `___<id>` for arguments
 */
char *
iwb_param_dup_env_name (IwbParam *self)
{
  g_return_val_if_fail (IWB_IS_PARAM (self), NULL);

  if (iwb_param_is_argument (self))
    return g_strconcat ("___", self->id, NULL);
  return g_strdup (self->id);
}

/**
 * iwb_param_to_json:
 *
 * Returns: (transfer full): the descriptor INPUT object, keys in the order
 *   of the spec: id, label, data_type, input_type, optional, description,
 *   default, options, source
 */
JsonNode *
iwb_param_to_json (IwbParam *self)
{
  g_autoptr(JsonObject) object = json_object_new ();

  g_return_val_if_fail (IWB_IS_PARAM (self), NULL);

  json_object_set_string_member (object, "id", self->id);
  json_object_set_string_member (object, "label", self->label);
  json_object_set_string_member (object, "data_type", self->data_type);
  json_object_set_string_member (object, "input_type", self->input_type);
  json_object_set_boolean_member (object, "optional", self->optional);
  if (self->description != NULL)
    json_object_set_string_member (object, "description", self->description);
  else
    json_object_set_null_member (object, "description");
  if (self->default_value != NULL)
    json_object_set_member (object, "default", iwb_json_deep_copy (self->default_value));
  else
    json_object_set_null_member (object, "default");
  if (self->options != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (node, self->options);
      json_object_set_member (object, "options", iwb_json_deep_copy (node));
    }
  else
    json_object_set_null_member (object, "options");
  json_object_set_string_member (object, "source", iwb_param_source_to_string (self->source));

  return json_node_init_object (json_node_alloc (), object);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One loaded integration folder: what `generate_metadata` said about it
 * (name, description, logo, connection params, actions, top-level errors,
 * the exact JSON text) plus the workbench's lint warnings.
 */
#include "config.h"

#include <string.h>

#include "iwb-integration.h"

G_DEFINE_BOXED_TYPE (IwbDiagnostic, iwb_diagnostic, iwb_diagnostic_copy, iwb_diagnostic_free)

/**
 * iwb_diagnostic_new:
 * @file: (nullable): file relative to the integration folder
 * @line: 1-based line, 0 when unknown
 * @code: a stable identifier of the kind of finding
 * @message: the text for the user
 */
IwbDiagnostic *
iwb_diagnostic_new (const char *file,
                    guint       line,
                    const char *code,
                    const char *message)
{
  IwbDiagnostic *self = g_new0 (IwbDiagnostic, 1);

  self->file = g_strdup (file);
  self->line = line;
  self->code = g_strdup (code);
  self->message = g_strdup (message);

  return self;
}

IwbDiagnostic *
iwb_diagnostic_copy (const IwbDiagnostic *diagnostic)
{
  g_return_val_if_fail (diagnostic != NULL, NULL);
  return iwb_diagnostic_new (diagnostic->file, diagnostic->line, diagnostic->code,
                             diagnostic->message);
}

void
iwb_diagnostic_free (IwbDiagnostic *diagnostic)
{
  if (diagnostic == NULL)
    return;
  g_free (diagnostic->file);
  g_free (diagnostic->code);
  g_free (diagnostic->message);
  g_free (diagnostic);
}

/**
 * iwb_diagnostic_to_string:
 *
 * Returns: (transfer full): `file:line: message` (as compilers print it),
 *   `file: message` without a line, `message` without a file
 */
char *
iwb_diagnostic_to_string (const IwbDiagnostic *diagnostic)
{
  g_return_val_if_fail (diagnostic != NULL, NULL);

  if (diagnostic->file != NULL && diagnostic->line > 0)
    return g_strdup_printf ("%s:%u: %s", diagnostic->file, diagnostic->line, diagnostic->message);
  if (diagnostic->file != NULL)
    return g_strdup_printf ("%s: %s", diagnostic->file, diagnostic->message);
  return g_strdup (diagnostic->message);
}

struct _IwbIntegration
{
  GObject     parent_instance;

  GFile      *folder;
  char       *name;
  char       *description;
  char       *logo_url;
  GListStore *connection_params;
  GListStore *actions;
  GStrv       errors;
  GPtrArray  *warnings;
  char       *metadata_json;
};

G_DEFINE_FINAL_TYPE (IwbIntegration, iwb_integration, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FOLDER,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_LOGO_URL,
  PROP_CONNECTION_PARAMS,
  PROP_ACTIONS,
  PROP_ERRORS,
  PROP_METADATA_JSON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
iwb_integration_finalize (GObject *object)
{
  IwbIntegration *self = IWB_INTEGRATION (object);

  g_clear_object (&self->folder);
  g_free (self->name);
  g_free (self->description);
  g_free (self->logo_url);
  g_clear_object (&self->connection_params);
  g_clear_object (&self->actions);
  g_strfreev (self->errors);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_free (self->metadata_json);

  G_OBJECT_CLASS (iwb_integration_parent_class)->finalize (object);
}

static void
iwb_integration_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  IwbIntegration *self = IWB_INTEGRATION (object);

  switch (prop_id)
    {
    case PROP_FOLDER:
      g_value_set_object (value, self->folder);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_LOGO_URL:
      g_value_set_string (value, self->logo_url);
      break;
    case PROP_CONNECTION_PARAMS:
      g_value_set_object (value, self->connection_params);
      break;
    case PROP_ACTIONS:
      g_value_set_object (value, self->actions);
      break;
    case PROP_ERRORS:
      g_value_set_boxed (value, self->errors);
      break;
    case PROP_METADATA_JSON:
      g_value_set_string (value, self->metadata_json);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_integration_class_init (IwbIntegrationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = iwb_integration_finalize;
  object_class->get_property = iwb_integration_get_property;

  properties[PROP_FOLDER] = g_param_spec_object ("folder", NULL, NULL, G_TYPE_FILE, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_LOGO_URL] = g_param_spec_string ("logo-url", NULL, NULL, NULL, flags);
  properties[PROP_CONNECTION_PARAMS] =
    g_param_spec_object ("connection-params", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  properties[PROP_ACTIONS] = g_param_spec_object ("actions", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  properties[PROP_ERRORS] = g_param_spec_boxed ("errors", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_METADATA_JSON] =
    g_param_spec_string ("metadata-json", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
iwb_integration_init (IwbIntegration *self)
{
  self->connection_params = g_list_store_new (IWB_TYPE_PARAM);
  self->actions = g_list_store_new (IWB_TYPE_ACTION);
  self->warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_diagnostic_free);
}

/**
 * iwb_integration_new:
 * @folder: (nullable): the integration folder
 * @connection_params: (nullable) (element-type IwbParam): connection params
 * @actions: (nullable) (element-type IwbAction): actions
 * @errors: (nullable): the metadata's top-level errors
 * @metadata_json: (nullable): the exact text `generate_metadata` printed
 *   after `[result] `
 *
 * Normally built by iwb_metadata_parse().
 */
IwbIntegration *
iwb_integration_new (GFile              *folder,
                     const char         *name,
                     const char         *description,
                     const char         *logo_url,
                     GPtrArray          *connection_params,
                     GPtrArray          *actions,
                     const char * const *errors,
                     const char         *metadata_json)
{
  IwbIntegration *self = g_object_new (IWB_TYPE_INTEGRATION, NULL);

  g_set_object (&self->folder, folder);
  self->name = g_strdup (name);
  self->description = g_strdup (description);
  self->logo_url = g_strdup (logo_url);
  for (guint i = 0; connection_params != NULL && i < connection_params->len; i++)
    g_list_store_append (self->connection_params, g_ptr_array_index (connection_params, i));
  for (guint i = 0; actions != NULL && i < actions->len; i++)
    g_list_store_append (self->actions, g_ptr_array_index (actions, i));
  self->errors = errors != NULL ? g_strdupv ((char **) errors) : g_new0 (char *, 1);
  self->metadata_json = g_strdup (metadata_json);

  return self;
}

/**
 * iwb_integration_get_folder:
 *
 * Returns: (transfer none) (nullable): the integration folder
 */
GFile *
iwb_integration_get_folder (IwbIntegration *self)
{
  g_return_val_if_fail (IWB_IS_INTEGRATION (self), NULL);
  return self->folder;
}

/* `name:` of the module docstring; %NULL when the SDK found none. */
const char *
iwb_integration_get_name (IwbIntegration *self)
{
  g_return_val_if_fail (IWB_IS_INTEGRATION (self), NULL);
  return self->name;
}

const char *
iwb_integration_get_description (IwbIntegration *self)
{
  g_return_val_if_fail (IWB_IS_INTEGRATION (self), NULL);
  return self->description;
}

const char *
iwb_integration_get_logo_url (IwbIntegration *self)
{
  g_return_val_if_fail (IWB_IS_INTEGRATION (self), NULL);
  return self->logo_url;
}

/**
 * iwb_integration_get_connection_params:
 *
 * Returns: (transfer none): the ConnectionParams (#IwbParam)
 */
GListModel *
iwb_integration_get_connection_params (IwbIntegration *self)
{
  g_return_val_if_fail (IWB_IS_INTEGRATION (self), NULL);
  return G_LIST_MODEL (self->connection_params);
}

/**
 * iwb_integration_get_actions:
 *
 * Returns: (transfer none): the actions (#IwbAction)
 */
GListModel *
iwb_integration_get_actions (IwbIntegration *self)
{
  g_return_val_if_fail (IWB_IS_INTEGRATION (self), NULL);
  return G_LIST_MODEL (self->actions);
}

/**
 * iwb_integration_get_errors:
 *
 * Returns: (transfer none): the metadata's top-level errors (empty when it
 *   was `ok`), never %NULL
 */
const char * const *
iwb_integration_get_errors (IwbIntegration *self)
{
  g_return_val_if_fail (IWB_IS_INTEGRATION (self), NULL);
  return (const char * const *) self->errors;
}

/**
 * iwb_integration_get_warnings:
 *
 * Returns: (transfer none) (element-type IwbDiagnostic): lint warnings
 */
GPtrArray *
iwb_integration_get_warnings (IwbIntegration *self)
{
  g_return_val_if_fail (IWB_IS_INTEGRATION (self), NULL);
  return self->warnings;
}

/**
 * iwb_integration_add_warning:
 * @diagnostic: (transfer full): the warning
 */
void
iwb_integration_add_warning (IwbIntegration *self,
                             IwbDiagnostic  *diagnostic)
{
  g_return_if_fail (IWB_IS_INTEGRATION (self));
  g_return_if_fail (diagnostic != NULL);

  g_ptr_array_add (self->warnings, diagnostic);
}

/**
 * iwb_integration_get_metadata_json:
 *
 * Returns: (nullable): the metadata exactly as `generate_metadata` printed
 *   it after `[result] `
 */
const char *
iwb_integration_get_metadata_json (IwbIntegration *self)
{
  g_return_val_if_fail (IWB_IS_INTEGRATION (self), NULL);
  return self->metadata_json;
}

/**
 * iwb_integration_find_action:
 * @entrypoint_or_name: `module.function`, the display name, or the
 *   function name alone when only one action has it (`post` for `main.post`)
 *
 * Entrypoints win over names (names need not be unique), names over
 * function names.
 *
 * Returns: (transfer none) (nullable): the action
 */
IwbAction *
iwb_integration_find_action (IwbIntegration *self,
                             const char     *entrypoint_or_name)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (IWB_IS_INTEGRATION (self), NULL);

  if (entrypoint_or_name == NULL)
    return NULL;

  model = G_LIST_MODEL (self->actions);
  n = g_list_model_get_n_items (model);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(IwbAction) action = g_list_model_get_item (model, i);
        const char *key = pass == 0 ? iwb_action_get_entrypoint (action)
                                    : iwb_action_get_name (action);

        if (g_strcmp0 (key, entrypoint_or_name) == 0)
          return action; /* the store keeps it alive */
      }

  {
    IwbAction *found = NULL;

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(IwbAction) action = g_list_model_get_item (model, i);
        const char *dot = strrchr (iwb_action_get_entrypoint (action), '.');

        if (dot != NULL && g_str_equal (dot + 1, entrypoint_or_name))
          {
            if (found != NULL)
              return NULL; /* two modules have it: ambiguous */
            found = action;
          }
      }
    return found;
  }
}

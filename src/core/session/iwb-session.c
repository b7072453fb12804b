/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbSession: the state of one opened integration (see iwb-session.h).
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "iwb-error.h"
#include "iwb-field-value.h"
#include "iwb-session.h"

typedef struct
{
  char                *text;
  IwbSessionValueFlags flags;
} StoredValue;

struct _IwbSession
{
  GObject         parent_instance;

  GFile          *folder;
  IwbIntegration *integration;
  JsonNode       *base_descriptor;
  JsonNode       *descriptor;

  GHashTable     *values;   /* "scope\x1fid" -> StoredValue* */
  GHashTable     *secrets;  /* "scope\x1fid" -> StoredValue*, text wiped on free */
  GHashTable     *rows;     /* entrypoint -> GPtrArray of JsonObject */

  char           *python_interpreter;
  char           *sdk;
  guint           load_timeout;
  guint           validate_timeout;
  guint           run_timeout;
  gboolean        ssl_verify;

  GPtrArray      *running;  /* IwbRun* started with iwb_session_start_run() */
};

G_DEFINE_FINAL_TYPE (IwbSession, iwb_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FOLDER,
  PROP_INTEGRATION,
  PROP_DESCRIPTOR,
  PROP_PYTHON_INTERPRETER,
  PROP_SDK,
  PROP_LOAD_TIMEOUT,
  PROP_VALIDATE_TIMEOUT,
  PROP_RUN_TIMEOUT,
  PROP_SSL_VERIFY,
  PROP_N_RUNNING,
  N_PROPS
};

enum {
  RUN_STARTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* --- values ------------------------------------------------------------------ */

static void
stored_value_free (StoredValue *value)
{
  g_free (value->text);
  g_free (value);
}

static void
stored_secret_free (StoredValue *value)
{
  if (value->text != NULL)
    explicit_bzero (value->text, strlen (value->text));
  stored_value_free (value);
}

static char *
value_key (const char *scope,
           const char *id)
{
  return g_strconcat (scope, "\x1f", id, NULL);
}

char *
iwb_session_action_scope (const char *entrypoint)
{
  return g_strconcat ("action:", entrypoint ? entrypoint : "", NULL);
}

void
iwb_session_set_value (IwbSession          *self,
                       const char          *scope,
                       const char          *id,
                       const char          *text,
                       IwbSessionValueFlags flags)
{
  StoredValue *value;
  char *key;

  g_return_if_fail (IWB_IS_SESSION (self));
  g_return_if_fail (scope != NULL && id != NULL);

  key = value_key (scope, id);
  value = g_new0 (StoredValue, 1);
  value->text = g_strdup (text ? text : "");
  value->flags = flags;
  /* A value lives in one table only: the one its kind says. */
  if (flags & IWB_SESSION_VALUE_SECRET)
    {
      g_hash_table_remove (self->values, key);
      g_hash_table_replace (self->secrets, key, value);
    }
  else
    {
      g_hash_table_remove (self->secrets, key);
      g_hash_table_replace (self->values, key, value);
    }
}

const char *
iwb_session_get_value (IwbSession           *self,
                       const char           *scope,
                       const char           *id,
                       IwbSessionValueFlags *flags)
{
  g_autofree char *key = NULL;
  StoredValue *value;

  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);

  if (flags != NULL)
    *flags = IWB_SESSION_VALUE_NONE;
  if (scope == NULL || id == NULL)
    return NULL;
  key = value_key (scope, id);
  value = g_hash_table_lookup (self->secrets, key);
  if (value == NULL)
    value = g_hash_table_lookup (self->values, key);
  if (value == NULL)
    return NULL;
  if (flags != NULL)
    *flags = value->flags;
  return value->text;
}

void
iwb_session_forget_values (IwbSession *self)
{
  g_return_if_fail (IWB_IS_SESSION (self));

  g_hash_table_remove_all (self->values);
  g_hash_table_remove_all (self->secrets);
  g_hash_table_remove_all (self->rows);
}

guint
iwb_session_get_n_values (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), 0);
  return g_hash_table_size (self->values) + g_hash_table_size (self->secrets);
}

void
iwb_session_set_rows (IwbSession *self,
                      const char *entrypoint,
                      GPtrArray  *rows)
{
  g_return_if_fail (IWB_IS_SESSION (self));
  g_return_if_fail (entrypoint != NULL);

  if (rows == NULL)
    g_hash_table_remove (self->rows, entrypoint);
  else
    g_hash_table_replace (self->rows, g_strdup (entrypoint), g_ptr_array_ref (rows));
}

GPtrArray *
iwb_session_get_rows (IwbSession *self,
                      const char *entrypoint)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);
  return entrypoint ? g_hash_table_lookup (self->rows, entrypoint) : NULL;
}

/* --- folder and descriptors ---------------------------------------------------- */

void
iwb_session_set_folder (IwbSession *self,
                        GFile      *folder)
{
  g_return_if_fail (IWB_IS_SESSION (self));
  g_return_if_fail (folder == NULL || G_IS_FILE (folder));

  if (self->folder == folder || (self->folder && folder && g_file_equal (self->folder, folder)))
    return;
  /* Another integration: nothing typed for the old one applies. */
  iwb_session_forget_values (self);
  g_clear_object (&self->integration);
  g_clear_pointer (&self->descriptor, json_node_unref);
  g_clear_pointer (&self->base_descriptor, json_node_unref);
  g_set_object (&self->folder, folder);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTEGRATION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTOR]);
}

GFile *
iwb_session_get_folder (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);
  return self->folder;
}

void
iwb_session_close (IwbSession *self)
{
  g_return_if_fail (IWB_IS_SESSION (self));

  iwb_session_set_folder (self, NULL);
  iwb_session_forget_values (self);
}

void
iwb_session_set_integration (IwbSession     *self,
                             IwbIntegration *integration,
                             JsonNode       *base,
                             JsonNode       *descriptor)
{
  g_return_if_fail (IWB_IS_SESSION (self));

  g_set_object (&self->integration, integration);
  g_clear_pointer (&self->base_descriptor, json_node_unref);
  self->base_descriptor = base ? json_node_ref (base) : NULL;
  g_clear_pointer (&self->descriptor, json_node_unref);
  self->descriptor = descriptor ? json_node_ref (descriptor) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTEGRATION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTOR]);
}

IwbIntegration *
iwb_session_get_integration (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);
  return self->integration;
}

JsonNode *
iwb_session_get_base_descriptor (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);
  return self->base_descriptor;
}

JsonNode *
iwb_session_get_descriptor (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);
  return self->descriptor;
}

void
iwb_session_set_descriptor (IwbSession *self,
                            JsonNode   *descriptor)
{
  JsonNode *copy;

  g_return_if_fail (IWB_IS_SESSION (self));

  if (descriptor == self->descriptor)
    return;
  copy = descriptor ? json_node_ref (descriptor) : NULL;
  g_clear_pointer (&self->descriptor, json_node_unref);
  self->descriptor = copy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTOR]);
}

/* --- runs -------------------------------------------------------------------- */

guint
iwb_session_get_run_timeout (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), 0);
  return self->run_timeout;
}

IwbPython *
iwb_session_create_python (IwbSession *self)
{
  IwbSdkChoice sdk = IWB_SDK_BUNDLED;

  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);

  if (self->sdk != NULL)
    iwb_sdk_choice_from_string (self->sdk, &sdk);
  return iwb_python_new (self->python_interpreter && self->python_interpreter[0]
                         ? self->python_interpreter : NULL, sdk);
}

IwbLoader *
iwb_session_create_loader (IwbSession *self)
{
  g_autoptr(IwbPython) python = NULL;
  IwbLoader *loader;

  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);

  python = iwb_session_create_python (self);
  loader = iwb_loader_new (python);
  iwb_loader_set_timeout (loader, self->load_timeout);
  return loader;
}

/* The descriptor INPUT objects of the connection, or of one action. */
static JsonArray *
descriptor_inputs (JsonNode   *descriptor,
                   const char *entrypoint)
{
  JsonObject *root;
  JsonArray *actions;

  if (descriptor == NULL || !JSON_NODE_HOLDS_OBJECT (descriptor))
    return NULL;
  root = json_node_get_object (descriptor);
  if (entrypoint == NULL)
    {
      JsonObject *connection = json_object_get_object_member (root, "connection");

      return connection ? json_object_get_array_member (connection, "inputs") : NULL;
    }
  actions = json_object_get_array_member (root, "actions");
  for (guint i = 0; actions != NULL && i < json_array_get_length (actions); i++)
    {
      JsonNode *node = json_array_get_element (actions, i);
      JsonObject *action, *instantiation;
      JsonArray *steps;
      JsonNode *step;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      action = json_node_get_object (node);
      if (g_strcmp0 (json_object_get_string_member_with_default (action, "entrypoint", NULL), entrypoint) != 0)
        continue;
      instantiation = json_object_get_object_member (action, "instantiation");
      steps = instantiation ? json_object_get_array_member (instantiation, "steps") : NULL;
      step = steps && json_array_get_length (steps) > 0 ? json_array_get_element (steps, 0) : NULL;
      if (step == NULL || !JSON_NODE_HOLDS_OBJECT (step))
        return NULL;
      return json_object_get_array_member (json_node_get_object (step), "inputs");
    }
  return NULL;
}

/* Every input of @inputs from the store into @run: the text kept for it, or
 * the text its field starts with (the default) when no form wrote one. */
static void
apply_values (IwbSession *self,
              IwbRun     *run,
              JsonArray  *inputs,
              const char *scope)
{
  for (guint i = 0; inputs != NULL && i < json_array_get_length (inputs); i++)
    {
      JsonNode *node = json_array_get_element (inputs, i);
      g_autoptr(IwbFieldValue) field = NULL;
      const char *id;
      const char *text;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      field = iwb_field_value_new (json_node_get_object (node));
      id = iwb_field_value_get_id (field);
      if (id == NULL)
        continue;
      text = iwb_session_get_value (self, scope, id, NULL);
      if (text == NULL)
        text = iwb_field_value_get_text (field);
      if (iwb_field_value_is_argument (field))
        iwb_run_set_mapping (run, id, text);
      else
        iwb_run_set_value (run, id, text);
    }
}

IwbRun *
iwb_session_create_run (IwbSession      *self,
                        IwbRunOperation  operation,
                        const char      *entrypoint,
                        GError         **error)
{
  g_autoptr(IwbPython) python = NULL;
  IwbRun *run;
  JsonNode *descriptor;

  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);

  if (self->folder == NULL || self->descriptor == NULL)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                   _("No integration is loaded: open an integration folder first"));
      return NULL;
    }
  python = iwb_session_create_python (self);
  if (iwb_python_resolve (python, error) == NULL)
    return NULL;

  /* A connection validator sees the integration's own descriptor (what the
   * platform passes before any override); actions run from the descriptor
   * their forms were built from. */
  descriptor = operation == IWB_RUN_VALIDATE_CONNECTION && self->base_descriptor
               ? self->base_descriptor : self->descriptor;
  run = iwb_run_new (python, self->folder, descriptor, operation, entrypoint);
  iwb_run_set_timeout (run, operation == IWB_RUN_EXECUTE ? self->run_timeout : self->validate_timeout);
  iwb_run_set_ssl_verify (run, self->ssl_verify);
  apply_values (self, run, descriptor_inputs (self->descriptor, NULL), IWB_SESSION_SCOPE_CONNECTION);
  if (operation != IWB_RUN_VALIDATE_CONNECTION && entrypoint != NULL)
    {
      g_autofree char *scope = iwb_session_action_scope (entrypoint);

      apply_values (self, run, descriptor_inputs (self->descriptor, entrypoint), scope);
    }
  return run;
}

typedef struct
{
  IwbSession         *session;
  GAsyncReadyCallback callback;
  gpointer            user_data;
} StartData;

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  StartData *data = user_data;
  g_autoptr(IwbSession) self = data->session;

  if (data->callback != NULL)
    data->callback (source, result, data->user_data);
  if (g_ptr_array_remove (self->running, source))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
  g_free (data);
}

void
iwb_session_start_run (IwbSession         *self,
                       IwbRun             *run,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  StartData *data;

  g_return_if_fail (IWB_IS_SESSION (self));
  g_return_if_fail (IWB_IS_RUN (run));

  data = g_new0 (StartData, 1);
  data->session = g_object_ref (self);
  data->callback = callback;
  data->user_data = user_data;
  g_ptr_array_add (self->running, g_object_ref (run));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
  g_signal_emit (self, signals[RUN_STARTED], 0, run);
  iwb_run_start_async (run, cancellable, run_done, data);
}

guint
iwb_session_get_n_running (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), 0);
  return self->running->len;
}

/* --- object ------------------------------------------------------------------ */

static void
iwb_session_finalize (GObject *object)
{
  IwbSession *self = IWB_SESSION (object);

  g_clear_object (&self->folder);
  g_clear_object (&self->integration);
  g_clear_pointer (&self->base_descriptor, json_node_unref);
  g_clear_pointer (&self->descriptor, json_node_unref);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->secrets, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->python_interpreter, g_free);
  g_clear_pointer (&self->sdk, g_free);
  g_clear_pointer (&self->running, g_ptr_array_unref);
  G_OBJECT_CLASS (iwb_session_parent_class)->finalize (object);
}

static void
iwb_session_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  IwbSession *self = IWB_SESSION (object);

  switch (prop_id)
    {
    case PROP_FOLDER:
      g_value_set_object (value, self->folder);
      break;
    case PROP_INTEGRATION:
      g_value_set_object (value, self->integration);
      break;
    case PROP_DESCRIPTOR:
      g_value_set_boxed (value, self->descriptor);
      break;
    case PROP_PYTHON_INTERPRETER:
      g_value_set_string (value, self->python_interpreter);
      break;
    case PROP_SDK:
      g_value_set_string (value, self->sdk);
      break;
    case PROP_LOAD_TIMEOUT:
      g_value_set_uint (value, self->load_timeout);
      break;
    case PROP_VALIDATE_TIMEOUT:
      g_value_set_uint (value, self->validate_timeout);
      break;
    case PROP_RUN_TIMEOUT:
      g_value_set_uint (value, self->run_timeout);
      break;
    case PROP_SSL_VERIFY:
      g_value_set_boolean (value, self->ssl_verify);
      break;
    case PROP_N_RUNNING:
      g_value_set_uint (value, self->running->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_uint (IwbSession *self,
          guint      *field,
          guint       value,
          guint       prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_string (IwbSession  *self,
            char       **field,
            const char  *value,
            guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
iwb_session_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  IwbSession *self = IWB_SESSION (object);

  switch (prop_id)
    {
    case PROP_PYTHON_INTERPRETER:
      set_string (self, &self->python_interpreter, g_value_get_string (value), prop_id);
      break;
    case PROP_SDK:
      set_string (self, &self->sdk, g_value_get_string (value), prop_id);
      break;
    case PROP_LOAD_TIMEOUT:
      set_uint (self, &self->load_timeout, g_value_get_uint (value), prop_id);
      break;
    case PROP_VALIDATE_TIMEOUT:
      set_uint (self, &self->validate_timeout, g_value_get_uint (value), prop_id);
      break;
    case PROP_RUN_TIMEOUT:
      set_uint (self, &self->run_timeout, g_value_get_uint (value), prop_id);
      break;
    case PROP_SSL_VERIFY:
      if (self->ssl_verify != g_value_get_boolean (value))
        {
          self->ssl_verify = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_session_class_init (IwbSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = iwb_session_finalize;
  object_class->get_property = iwb_session_get_property;
  object_class->set_property = iwb_session_set_property;

  properties[PROP_FOLDER] = g_param_spec_object ("folder", NULL, NULL, G_TYPE_FILE, ro);
  properties[PROP_INTEGRATION] = g_param_spec_object ("integration", NULL, NULL, IWB_TYPE_INTEGRATION, ro);
  properties[PROP_DESCRIPTOR] = g_param_spec_boxed ("descriptor", NULL, NULL, JSON_TYPE_NODE, ro);
  properties[PROP_PYTHON_INTERPRETER] = g_param_spec_string ("python-interpreter", NULL, NULL, NULL, rw);
  properties[PROP_SDK] = g_param_spec_string ("sdk", NULL, NULL, "bundled", rw);
  properties[PROP_LOAD_TIMEOUT] = g_param_spec_uint ("load-timeout", NULL, NULL, 0, G_MAXUINT,
                                                     IWB_LOADER_DEFAULT_TIMEOUT, rw);
  properties[PROP_VALIDATE_TIMEOUT] = g_param_spec_uint ("validate-timeout", NULL, NULL, 0, G_MAXUINT,
                                                         IWB_RUN_DEFAULT_TIMEOUT, rw);
  properties[PROP_RUN_TIMEOUT] = g_param_spec_uint ("run-timeout", NULL, NULL, 0, G_MAXUINT,
                                                    IWB_RUN_DEFAULT_TIMEOUT, rw);
  properties[PROP_SSL_VERIFY] = g_param_spec_boolean ("ssl-verify", NULL, NULL, TRUE, rw);
  properties[PROP_N_RUNNING] = g_param_spec_uint ("n-running", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted by iwb_session_start_run() just before the child starts, so a
   * front end can follow the run's events from the first one. */
  signals[RUN_STARTED] = g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, IWB_TYPE_RUN);
}

static void
iwb_session_init (IwbSession *self)
{
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) stored_value_free);
  self->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) stored_secret_free);
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->sdk = g_strdup ("bundled");
  self->load_timeout = IWB_LOADER_DEFAULT_TIMEOUT;
  self->validate_timeout = IWB_RUN_DEFAULT_TIMEOUT;
  self->run_timeout = IWB_RUN_DEFAULT_TIMEOUT;
  self->ssl_verify = TRUE;
  self->running = g_ptr_array_new_with_free_func (g_object_unref);
}

IwbSession *
iwb_session_new (void)
{
  return g_object_new (IWB_TYPE_SESSION, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbSession: the state of one opened integration (see iwb-session.h):
 * the value store, the folder and descriptors, the preferences. Runs are
 * in iwb-session-runs.c.
 */
#include "config.h"

#include <string.h>

#include "iwb-session-private.h"


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
  PROP_HTTP_MODE,
  PROP_CASSETTE_PATH,
  PROP_REPLAY_STRICT,
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
  _iwb_session_profiles_value_changed (self, scope, id, value->text, flags);
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
  _iwb_session_profiles_reset (self);
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
  _iwb_session_profiles_rows_changed (self, entrypoint, rows);
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

/* --- HTTP mode ------------------------------------------------------------------ */

void
iwb_session_set_http_mode (IwbSession  *self,
                           IwbHttpMode  mode,
                           const char  *cassette_path)
{
  g_return_if_fail (IWB_IS_SESSION (self));
  g_return_if_fail (mode <= IWB_HTTP_MODE_REPLAY);

  g_object_freeze_notify (G_OBJECT (self));
  if (cassette_path != NULL && cassette_path[0] != '\0')
    {
      g_autofree char *absolute = g_canonicalize_filename (cassette_path, NULL);

      if (g_strcmp0 (absolute, self->cassette_path) != 0)
        {
          g_free (self->cassette_path);
          self->cassette_path = g_steal_pointer (&absolute);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASSETTE_PATH]);
        }
    }
  if (self->http_mode != mode)
    {
      self->http_mode = mode;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HTTP_MODE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

IwbHttpMode
iwb_session_get_http_mode (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), IWB_HTTP_MODE_LIVE);
  return self->http_mode;
}

const char *
iwb_session_get_cassette_path (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);
  return self->cassette_path;
}

void
iwb_session_set_replay_strict (IwbSession *self,
                               gboolean    strict)
{
  g_return_if_fail (IWB_IS_SESSION (self));

  if (self->replay_strict == !!strict)
    return;
  self->replay_strict = !!strict;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLAY_STRICT]);
}

gboolean
iwb_session_get_replay_strict (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), FALSE);
  return self->replay_strict;
}

/* --- for iwb-session-runs.c ------------------------------------------------------ */

void
_iwb_session_notify_n_running (IwbSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
}

void
_iwb_session_emit_run_started (IwbSession *self,
                               IwbRun     *run)
{
  g_signal_emit (self, signals[RUN_STARTED], 0, run);
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
  g_clear_pointer (&self->cassette_path, g_free);
  g_clear_pointer (&self->running, g_ptr_array_unref);
  _iwb_session_profiles_free (self);
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
    case PROP_HTTP_MODE:
      g_value_set_enum (value, self->http_mode);
      break;
    case PROP_CASSETTE_PATH:
      g_value_set_string (value, self->cassette_path);
      break;
    case PROP_REPLAY_STRICT:
      g_value_set_boolean (value, self->replay_strict);
      break;
    default:
      if (_iwb_session_profiles_get_property (self, prop_id, value))
        break;
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
    case PROP_HTTP_MODE:
      iwb_session_set_http_mode (self, g_value_get_enum (value), NULL);
      break;
    case PROP_CASSETTE_PATH:
      if (g_value_get_string (value) == NULL || g_value_get_string (value)[0] == '\0')
        {
          if (self->cassette_path != NULL)
            {
              g_clear_pointer (&self->cassette_path, g_free);
              g_object_notify_by_pspec (object, pspec);
            }
        }
      else
        iwb_session_set_http_mode (self, self->http_mode, g_value_get_string (value));
      break;
    case PROP_REPLAY_STRICT:
      iwb_session_set_replay_strict (self, g_value_get_boolean (value));
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
  properties[PROP_HTTP_MODE] = g_param_spec_enum ("http-mode", NULL, NULL, IWB_TYPE_HTTP_MODE,
                                                  IWB_HTTP_MODE_LIVE, rw);
  properties[PROP_CASSETTE_PATH] = g_param_spec_string ("cassette-path", NULL, NULL, NULL, rw);
  properties[PROP_REPLAY_STRICT] = g_param_spec_boolean ("replay-strict", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  _iwb_session_profiles_class_init (object_class);

  /* Emitted by iwb_session_start_run() just before the child starts, so a
   * front end can follow the run's events from the first one. */
  signals[RUN_STARTED] = g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, IWB_TYPE_RUN);
  _iwb_session_history_class_init (object_class);
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

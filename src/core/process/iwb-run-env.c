/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRun, the descriptor's side: which inputs the connection and the action
 * have (connection.inputs, actions[].instantiation.steps[0].inputs), the
 * local check of their values with the SDK's coercion rules, and the
 * environment of the child built from them.
 */
#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "iwb-coerce.h"
#include "iwb-descriptor.h"
#include "iwb-error.h"
#include "iwb-run-private.h"
#include "iwb-json.h"
#include "iwb-file.h"

/* MAX_ARG_STRLEN of Linux: 32 pages, the terminating NUL included */
#define ENV_STRING_MAX (128 * 1024)

const char *
_iwb_run_obj_string (JsonObject *obj,
                     const char *member)
{
  JsonNode *n = json_object_get_member (obj, member);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
any_row_has_column (IwbRun     *self,
                    const char *column)
{
  guint n = _iwb_run_n_rows (self);

  if (n == 0)
    return TRUE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) row = _iwb_run_row_object (self, i);

      if (row != NULL && json_object_has_member (row, column))
        return TRUE;
    }
  return FALSE;
}

/* The `___<id>` value of a column/template input, or NULL to leave it unset. */
static const char *
mapping_for (IwbRun     *self,
             JsonObject *input)
{
  const char *id = iwb_descriptor_input_get_id (input);
  const char *source = iwb_descriptor_input_get_source (input, FALSE);
  const char *mapped;

  if (id == NULL)
    return NULL;
  mapped = g_hash_table_lookup (self->mappings, id);
  if (mapped != NULL)
    return mapped[0] != '\0' ? mapped : NULL;
  if (g_strcmp0 (source, "template") == 0)
    return NULL;
  /* --map defaults each argument to the column of the same name; an
   * optional one only when the rows have that column. */
  if (!iwb_descriptor_input_get_optional (input) || any_row_has_column (self, id))
    return id;
  return NULL;
}

gboolean
_iwb_run_uses_action (IwbRun *self)
{
  return self->operation == IWB_RUN_VALIDATE_ACTION || self->operation == IWB_RUN_EXECUTE;
}

static void
check_inputs (IwbRun     *self,
              JsonArray  *inputs,
              gboolean    connection,
              GPtrArray  *errors)
{
  if (inputs == NULL)
    return;

  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonNode *n = json_array_get_element (inputs, i);
      JsonObject *input;
      const char *id;
      const char *source;
      g_autofree char *message = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        continue;
      input = json_node_get_object (n);
      id = iwb_descriptor_input_get_id (input);
      if (id == NULL)
        continue;
      source = iwb_descriptor_input_get_source (input, connection);

      if (g_strcmp0 (source, "column") == 0 || g_strcmp0 (source, "template") == 0)
        {
          g_autofree char *env_id = g_strconcat ("___", id, NULL);

          if (!iwb_coerce_input (input, mapping_for (self, input), NULL, &message))
            g_ptr_array_add (errors, iwb_field_error_new (env_id, message));
        }
      else if (!iwb_coerce_input (input, g_hash_table_lookup (self->values, id), NULL, &message))
        g_ptr_array_add (errors, iwb_field_error_new (id, message));
    }
}

GPtrArray *
iwb_run_check (IwbRun *self)
{
  GPtrArray *errors = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_field_error_free);

  g_return_val_if_fail (IWB_IS_RUN (self), errors);

  check_inputs (self, iwb_descriptor_get_connection_inputs (self->descriptor, NULL), TRUE, errors);
  if (_iwb_run_uses_action (self))
    {
      JsonObject *action = iwb_descriptor_find_action (self->descriptor, self->entrypoint);

      if (action == NULL)
        {
          g_autofree char *msg =
            g_strdup_printf (_("The descriptor has no action with entrypoint “%s”; "
                             "reload the integration or pick an existing action"),
                             self->entrypoint ? self->entrypoint : "(none)");
          g_ptr_array_add (errors, iwb_field_error_new (NULL, msg));
        }
      else
        check_inputs (self, iwb_descriptor_action_get_inputs (action, NULL), FALSE, errors);
    }
  return errors;
}

/* ---------------------------------------------------------------------- */
/* The environment                                                        */

char *
iwb_run_default_files_dir (GFile *folder)
{
  g_autofree char *path = g_file_get_path (folder);
  g_autofree char *canon = g_canonicalize_filename (path ? path : g_file_peek_path (folder), NULL);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canon, -1);
  g_autofree char *base = g_path_get_basename (canon);
  g_autofree char *leaf = NULL;

  hash[16] = '\0';
  leaf = g_strdup_printf ("%s-%s", base, hash);
  return g_build_filename (iwb_user_data_dir (), "integration-workbench", "files", leaf, NULL);
}

static void
add_input_env (IwbRun     *self,
               GPtrArray  *env,
               JsonArray  *inputs,
               gboolean    connection)
{
  if (inputs == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonNode *n = json_array_get_element (inputs, i);
      JsonObject *input;
      const char *id;
      const char *source;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        continue;
      input = json_node_get_object (n);
      id = iwb_descriptor_input_get_id (input);
      if (id == NULL)
        continue;
      source = iwb_descriptor_input_get_source (input, connection);
      if (g_strcmp0 (source, "column") == 0 || g_strcmp0 (source, "template") == 0)
        {
          const char *mapping = mapping_for (self, input);

          if (mapping != NULL)
            g_ptr_array_add (env, g_strdup_printf ("___%s=%s", id, mapping));
        }
    }
}

static void
add_secret_ids (JsonArray  *inputs,
                GPtrArray  *ids)
{
  for (guint i = 0; inputs != NULL && i < json_array_get_length (inputs); i++)
    {
      JsonNode *n = json_array_get_element (inputs, i);
      const char *id, *input_type;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        continue;
      id = iwb_descriptor_input_get_id (json_node_get_object (n));
      input_type = iwb_descriptor_input_get_input_type (json_node_get_object (n));
      if (id == NULL || id[0] == '\0' || strchr (id, ',') != NULL ||
          !iwb_descriptor_input_type_is_secret (input_type))
        continue;
      if (!g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
        g_ptr_array_add (ids, g_strdup (id));
    }
}

/* The ids of the secret inputs (password, encryptedFile) of the
 * connection and of the run's action: the capture host redacts their
 * values (IWB_SECRET_PARAMS). NULL-terminated, maybe empty. */
char **
_iwb_run_secret_ids (IwbRun *self)
{
  GPtrArray *ids = g_ptr_array_new ();

  add_secret_ids (iwb_descriptor_get_connection_inputs (self->descriptor, NULL), ids);
  if (self->entrypoint != NULL)
    add_secret_ids (iwb_descriptor_action_get_inputs (iwb_descriptor_find_action (self->descriptor,
                                                                                  self->entrypoint),
                                                      NULL),
                    ids);
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (ids, FALSE);
}

char **
_iwb_run_build_environ (IwbRun  *self,
                        GError **error)
{
  g_autoptr(GPtrArray) extra = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;
  gint64 start_ms, end_ms;

  /* Parameter values by id (connection and action params alike). */
  g_hash_table_iter_init (&iter, self->values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (extra, g_strdup_printf ("%s=%s", (char *) key, (char *) value));

  if (_iwb_run_uses_action (self))
    add_input_env (self, extra,
                   iwb_descriptor_action_get_inputs (iwb_descriptor_find_action (self->descriptor,
                                                                                 self->entrypoint),
                                                     NULL),
                   FALSE);

  if (self->operation == IWB_RUN_VALIDATE_CONNECTION)
    {
      g_autofree char *json = iwb_json_to_string (self->descriptor, FALSE);
      g_ptr_array_add (extra, g_strdup_printf ("__integration_descriptor=%s", json));
    }

  g_ptr_array_add (extra, g_strdup_printf ("__lh_ssl_verify=%s",
                                           self->ssl_verify ? "True" : "False"));
  if (self->has_window)
    {
      start_ms = self->window_start_ms;
      end_ms = self->window_end_ms;
    }
  else
    {
      end_ms = g_get_real_time () / 1000;
      start_ms = end_ms - 3600 * 1000;
    }
  g_ptr_array_add (extra, g_strdup_printf ("__execution_start_time_ms=%" G_GINT64_FORMAT, start_ms));
  g_ptr_array_add (extra, g_strdup_printf ("__execution_end_time_ms=%" G_GINT64_FORMAT, end_ms));

  if (self->files_dir == NULL)
    self->files_dir = iwb_run_default_files_dir (self->folder);
  if (g_mkdir_with_parents (self->files_dir, 0700) != 0)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                   _("Cannot create the integration files folder %s: %s; check the "
                   "permissions of your data folder or choose another files folder"),
                   self->files_dir, g_strerror (errno));
      return NULL;
    }
  g_ptr_array_add (extra, g_strdup_printf ("INTEGRATIONS_FILES_PATH=%s", self->files_dir));

  _iwb_run_http_add_env (self, extra);

  g_hash_table_iter_init (&iter, self->extra_env);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (extra, g_strdup_printf ("%s=%s", (char *) key, (char *) value));

  /* Linux refuses to start a process with one environment string of 128
   * KiB or more (MAX_ARG_STRLEN): say which value, not "Argument list too
   * long; check the interpreter". The value itself is never repeated. */
  for (guint i = 0; i < extra->len; i++)
    if (strlen (extra->pdata[i]) >= ENV_STRING_MAX)
      {
        g_autofree char *name = g_strndup (extra->pdata[i], strcspn (extra->pdata[i], "="));
        g_autofree char *size = g_format_size_full (strlen (extra->pdata[i]), G_FORMAT_SIZE_IEC_UNITS);

        g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                     /* Translators: a parameter id, then a size such as "300.0 KiB". */
                     _("The value of %s is too long (%s): the integration receives each value "
                       "in an environment variable, which Linux limits to 128 KiB. Give a "
                       "shorter value."), name, size);
        return NULL;
      }
  g_ptr_array_add (extra, NULL);
  return iwb_python_build_environ (self->python, (const char * const *) extra->pdata);
}


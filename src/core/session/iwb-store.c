/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "iwb-error.h"
#include "iwb-file.h"
#include "iwb-json.h"
#include "iwb-store-private.h"

G_DEFINE_FINAL_TYPE (IwbStore, iwb_store, G_TYPE_OBJECT)

enum { PROP_0, PROP_SECRETS_IN_MEMORY, N_PROPS };
static GParamSpec *properties[N_PROPS];

static gboolean
notify_in_memory (gpointer data)
{
  IwbStore *self = data;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECRETS_IN_MEMORY]);
  return G_SOURCE_REMOVE;
}

void
_iwb_store_notify_in_memory (IwbStore *self)
{
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, notify_in_memory,
                              g_object_ref (self), g_object_unref);
}

static void
iwb_store_finalize (GObject *object)
{
  IwbStore *self = IWB_STORE (object);

  g_mutex_clear (&self->lock);
  g_free (self->dir);
  g_free (self->path);
  g_free (self->lock_path);
  g_main_context_unref (self->context);
  g_hash_table_unref (self->memory_secrets);
  g_ptr_array_unref (self->warnings);
  G_OBJECT_CLASS (iwb_store_parent_class)->finalize (object);
}

static void
iwb_store_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  IwbStore *self = IWB_STORE (object);

  switch (prop_id)
    {
    case PROP_SECRETS_IN_MEMORY:
      g_value_set_boolean (value, iwb_store_get_secrets_in_memory (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_store_class_init (IwbStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = iwb_store_finalize;
  object_class->get_property = iwb_store_get_property;
  properties[PROP_SECRETS_IN_MEMORY] =
    g_param_spec_boolean ("secrets-in-memory", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
iwb_store_init (IwbStore *self)
{
  g_mutex_init (&self->lock);
  self->memory_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->context = g_main_context_ref_thread_default ();
}

IwbStore *
iwb_store_new (const char *data_dir)
{
  IwbStore *self = g_object_new (IWB_TYPE_STORE, NULL);

  self->dir = data_dir ? g_strdup (data_dir)
                       : g_build_filename (iwb_user_data_dir (), "integration-workbench", NULL);
  self->path = g_build_filename (self->dir, "profiles.json", NULL);
  self->lock_path = g_strconcat (self->path, ".lock", NULL);
  return self;
}

const char *
iwb_store_get_path (IwbStore *self)
{
  g_return_val_if_fail (IWB_IS_STORE (self), NULL);
  return self->path;
}

char *
iwb_store_integration_key (GFile *folder)
{
  g_autofree char *path = g_file_get_path (folder);
  char *real;

  if (path == NULL)
    return g_file_get_uri (folder);
  real = realpath (path, NULL);
  if (real != NULL)
    {
      char *key = g_strdup (real);

      free (real);
      return key;
    }
  return g_steal_pointer (&path);
}

/* Called with the lock held. */
void
_iwb_store_add_warning (IwbStore   *self,
             const char *message)
{
  for (guint i = 0; i < self->warnings->len; i++)
    if (g_str_equal (self->warnings->pdata[i], message))
      return;
  g_debug ("store: %s", message);
  g_ptr_array_add (self->warnings, g_strdup (message));
}

char **
iwb_store_dup_warnings (IwbStore *self)
{
  char **out;

  g_return_val_if_fail (IWB_IS_STORE (self), NULL);
  g_mutex_lock (&self->lock);
  out = g_new0 (char *, self->warnings->len + 1);
  for (guint i = 0; i < self->warnings->len; i++)
    out[i] = g_strdup (self->warnings->pdata[i]);
  g_mutex_unlock (&self->lock);
  return out;
}

gboolean
iwb_store_get_secrets_in_memory (IwbStore *self)
{
  gboolean in_memory;

  g_return_val_if_fail (IWB_IS_STORE (self), FALSE);
  g_mutex_lock (&self->lock);
  in_memory = self->secrets_in_memory;
  g_mutex_unlock (&self->lock);
  return in_memory;
}

/* -- the file */

typedef struct
{
  int fd;
} FileLock;

static gboolean
file_lock (IwbStore  *self,
           FileLock  *lock,
           GError   **error)
{
  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder %s for the connection profiles: %s"),
                   self->dir, g_strerror (saved));
      return FALSE;
    }
  lock->fd = g_open (self->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock->fd < 0 || flock (lock->fd, LOCK_EX) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot lock %s: %s"), self->lock_path, g_strerror (saved));
      if (lock->fd >= 0)
        close (lock->fd);
      lock->fd = -1;
      return FALSE;
    }
  return TRUE;
}

static void
file_unlock (FileLock *lock)
{
  if (lock->fd >= 0)
    {
      flock (lock->fd, LOCK_UN);
      close (lock->fd);
      lock->fd = -1;
    }
}

static JsonNode *
empty_root (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_int_value (b, IWB_STORE_FORMAT);
  json_builder_set_member_name (b, "integrations");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* NULL when the shape is fine, else what is wrong (owned). Every level is
 * checked here, down to each profile, so that a member of the wrong type
 * makes the whole file corrupt (moved aside, kept) instead of being
 * replaced silently by the next save. */
static char *
check_shape (JsonNode *root,
             gint64   *format)
{
  g_autoptr(GList) integrations = NULL;
  JsonObject *o;
  JsonNode *n;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return g_strdup (_("the top level is not a JSON object"));
  o = json_node_get_object (root);
  n = json_object_get_member (o, "format");
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64 ||
      json_node_get_int (n) < 1)
    return g_strdup (_("it has no “format” member that is a positive integer"));
  *format = json_node_get_int (n);
  if (*format > IWB_STORE_FORMAT)
    return NULL;
  n = json_object_get_member (o, "integrations");
  if (n == NULL || !JSON_NODE_HOLDS_OBJECT (n))
    return g_strdup (_("it has no “integrations” object"));
  integrations = json_object_get_members (json_node_get_object (n));
  for (GList *l = integrations; l != NULL; l = l->next)
    {
      JsonNode *integration = json_object_get_member (json_node_get_object (n), l->data);
      g_autoptr(GList) names = NULL;
      JsonNode *profiles, *last;

      if (!JSON_NODE_HOLDS_OBJECT (integration))
        /* Translators: the integration's folder, then a type ("a list", "a string"…). */
        return g_strdup_printf (_("the integration “%s” is %s, not an object"), (char *) l->data,
                                iwb_json_type_name (integration));
      profiles = json_object_get_member (json_node_get_object (integration), "profiles");
      last = json_object_get_member (json_node_get_object (integration), "lastProfile");
      if (last != NULL && iwb_json_node_string (last) == NULL)
        return g_strdup_printf (_("the integration “%s”: its “lastProfile” is %s, not a string"),
                                (char *) l->data, iwb_json_type_name (last));
      if (profiles == NULL)
        continue;
      if (!JSON_NODE_HOLDS_OBJECT (profiles))
        return g_strdup_printf (_("the integration “%s”: its “profiles” is %s, not an object"),
                                (char *) l->data, iwb_json_type_name (profiles));
      names = json_object_get_members (json_node_get_object (profiles));
      for (GList *p = names; p != NULL; p = p->next)
        {
          g_autoptr(GError) local_error = NULL;
          g_autoptr(IwbProfile) profile =
            iwb_profile_new_from_json (p->data, json_object_get_member (json_node_get_object (profiles),
                                                                        p->data),
                                       l->data, &local_error);

          if (profile == NULL)
            return g_strdup (local_error->message);
        }
    }
  return NULL;
}

/* Reads profiles.json (lock held): missing -> empty; newer -> error;
 * corrupt -> moved aside, warning, empty. Bounded: a FIFO, a device or a
 * file over IWB_STORE_MAX_BYTES is refused (left where it is). */
static JsonNode *
read_root (IwbStore  *self,
           GError   **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autofree char *problem = NULL;
  gsize len = 0;
  gint64 format = 0;

  contents = iwb_file_read_bounded (self->path, IWB_STORE_MAX_BYTES, IWB_FILE_READ_REGULAR_ONLY,
                                    &len, &local_error);
  if (contents == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return empty_root ();
      g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                   _("Cannot read the connection profiles %s: %s. It was left unchanged; move "
                     "it away to start with no profiles."), self->path, local_error->message);
      return NULL;
    }
  parsed = iwb_json_parse_full (contents, len, IWB_JSON_PARSE_DEFAULT, NULL, &local_error);
  if (parsed == NULL)
    problem = g_strdup (local_error->message);
  else
    problem = check_shape (parsed, &format);
  if (problem == NULL && format > IWB_STORE_FORMAT)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NEWER_VERSION,
                   _("%s was written by a newer Integration Workbench (profiles format %d; "
                     "this version knows format %d). It was left unchanged. Use the newer "
                     "version, or move the file away to start with no profiles."),
                   self->path, (int) format, IWB_STORE_FORMAT);
      return NULL;
    }
  if (problem != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
      g_autofree char *aside = g_strdup_printf ("%s.corrupt-%s", self->path, stamp);
      g_autofree char *message = NULL;

      for (guint n = 1; g_file_test (aside, G_FILE_TEST_EXISTS); n++)
        {
          g_free (aside);
          aside = g_strdup_printf ("%s.corrupt-%s-%u", self->path, stamp, n);
        }
      if (g_rename (self->path, aside) != 0)
        {
          int saved = errno;

          g_set_error (error, IWB_ERROR, IWB_ERROR_CORRUPT,
                       _("The connection profiles %s cannot be read (%s), and moving the file "
                         "aside failed: %s. Move or repair it by hand."),
                       self->path, problem, g_strerror (saved));
          return NULL;
        }
      message = g_strdup_printf (_("The connection profiles %s could not be read (%s); the file "
                                   "was moved to %s and the profiles start empty. Repair that "
                                   "file and move it back to get them again."),
                                 self->path, problem, aside);
      _iwb_store_add_warning (self, message);
      return empty_root ();
    }
  return g_steal_pointer (&parsed);
}

static gboolean
write_root (IwbStore  *self,
            JsonNode  *root,
            GError   **error)
{
  g_autofree char *data = iwb_json_to_string (root, TRUE);
  gsize len = strlen (data);

  /* temporary file, fsync, rename */
  return g_file_set_contents_full (self->path, data, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

static JsonObject *
integration_object (JsonNode   *root,
                    const char *integration,
                    gboolean    create)
{
  JsonObject *all = json_object_get_object_member (json_node_get_object (root), "integrations");
  JsonNode *n = json_object_get_member (all, integration);

  if (n != NULL && JSON_NODE_HOLDS_OBJECT (n))
    {
      JsonObject *o = json_node_get_object (n);

      if (!json_object_has_member (o, "profiles") ||
          !JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "profiles")))
        json_object_set_object_member (o, "profiles", json_object_new ());
      return o;
    }
  if (!create)
    return NULL;
  {
    JsonObject *o = json_object_new ();

    json_object_set_object_member (o, "profiles", json_object_new ());
    json_object_set_object_member (all, integration, o);
    return o;
  }
}

static JsonObject *
profiles_object (JsonNode   *root,
                 const char *integration,
                 gboolean    create)
{
  JsonObject *o = integration_object (root, integration, create);

  return o ? json_object_get_object_member (o, "profiles") : NULL;
}

/* -- profiles */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

char **
iwb_store_list_profiles (IwbStore    *self,
                         const char  *integration,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  FileLock lock = { -1 };
  JsonObject *profiles;

  g_return_val_if_fail (IWB_IS_STORE (self), NULL);
  g_mutex_lock (&self->lock);
  if (file_lock (self, &lock, error))
    root = read_root (self, error);
  file_unlock (&lock);
  g_mutex_unlock (&self->lock);
  if (root == NULL)
    return NULL;
  profiles = profiles_object (root, integration, FALSE);
  if (profiles != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (profiles);

      for (GList *l = members; l != NULL; l = l->next)
        g_ptr_array_add (names, g_strdup (l->data));
    }
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_steal (names, NULL);
}

/* Lock held. */
static IwbProfile *
load_profile_locked (IwbStore      *self,
                     JsonNode      *root,
                     const char    *integration,
                     const char    *name,
                     gboolean       fetch_secrets,
                     GCancellable  *cancellable,
                     GError       **error)
{
  JsonObject *profiles = profiles_object (root, integration, FALSE);
  JsonNode *node = profiles ? json_object_get_member (profiles, name) : NULL;
  g_autoptr(IwbProfile) profile = NULL;
  g_auto(GStrv) actions = NULL;

  if (node == NULL)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                   _("There is no profile “%s” for the integration in %s"), name, integration);
      return NULL;
    }
  profile = iwb_profile_new_from_json (name, node, self->path, error);
  if (profile == NULL || !fetch_secrets)
    return g_steal_pointer (&profile);

  actions = iwb_profile_dup_actions (profile);
  for (int a = -1; a < 0 || actions[a] != NULL; a++)
    {
      const char *action = a < 0 ? NULL : actions[a];
      g_auto(GStrv) secrets = iwb_profile_dup_secret_ids (profile, action);

      for (guint i = 0; secrets[i] != NULL; i++)
        {
          g_autofree char *param = _iwb_store_parameter_key (action, secrets[i]);
          g_autofree char *value = _iwb_store_secret_get (self, integration, name, param, cancellable, error);

          if (value == NULL && error != NULL && *error != NULL)
            return NULL;
          if (value == NULL)
            {
              g_autofree char *message =
                g_strdup_printf (self->secrets_in_memory
                                   ? _("The secret %s of profile “%s” is not available: there is "
                                       "no keyring in this session. Give it again.")
                                   : _("The secret %s of profile “%s” is not in the keyring any "
                                       "more. Give it again and save the profile."),
                                 param, name);
              _iwb_store_add_warning (self, message);
            }
          else
            iwb_profile_set_value (profile, action, secrets[i], value);
        }
    }
  return g_steal_pointer (&profile);
}

IwbProfile *
iwb_store_load_profile (IwbStore      *self,
                        const char    *integration,
                        const char    *name,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  IwbProfile *profile = NULL;
  FileLock lock = { -1 };

  g_return_val_if_fail (IWB_IS_STORE (self), NULL);
  g_mutex_lock (&self->lock);
  if (file_lock (self, &lock, error))
    root = read_root (self, error);
  file_unlock (&lock);
  if (root != NULL)
    profile = load_profile_locked (self, root, integration, name, TRUE, cancellable, error);
  g_mutex_unlock (&self->lock);
  return profile;
}

static void
wiped_free (char *value)
{
  if (value != NULL)
    explicit_bzero (value, strlen (value));
  g_free (value);
}

/* The secret values of @profile go to the keyring. What each of its
 * parameters held before goes to @previous (key -> value, or "" for none),
 * so that restore_secrets() can put it back when the profile file cannot
 * be written: a failed save must leave the saved profile as it was, its
 * secrets included. */
static gboolean
save_secrets (IwbStore      *self,
              const char    *integration,
              IwbProfile    *profile,
              GHashTable    *previous,
              GCancellable  *cancellable,
              GError       **error)
{
  const char *name = iwb_profile_get_name (profile);
  g_auto(GStrv) actions = iwb_profile_dup_actions (profile);

  for (int a = -1; a < 0 || actions[a] != NULL; a++)
    {
      const char *action = a < 0 ? NULL : actions[a];
      g_auto(GStrv) secrets = iwb_profile_dup_secret_ids (profile, action);

      for (guint i = 0; secrets[i] != NULL; i++)
        {
          const char *value = iwb_profile_get_value (profile, action, secrets[i]);
          g_autofree char *param = _iwb_store_parameter_key (action, secrets[i]);
          char *before = _iwb_store_secret_get (self, integration, name, param, cancellable, NULL);

          g_hash_table_replace (previous, g_strdup (param), before ? before : g_strdup (""));
          if (value == NULL)
            _iwb_store_secret_clear (self, integration, name, param, cancellable);
          else if (!_iwb_store_secret_put (self, integration, name, param, value, cancellable, error))
            return FALSE;
        }
    }
  return TRUE;
}

static void
restore_secrets (IwbStore     *self,
                 const char   *integration,
                 const char   *name,
                 GHashTable   *previous,
                 GCancellable *cancellable)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, previous);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (*(const char *) value == '\0')
        _iwb_store_secret_clear (self, integration, name, key, cancellable);
      else
        _iwb_store_secret_put (self, integration, name, key, value, cancellable, NULL);
    }
}

/* Once the new version is written: secrets of the saved version that are
 * no longer secret values. */
static void
clear_obsolete_secrets (IwbStore     *self,
                        const char   *integration,
                        IwbProfile   *profile,
                        IwbProfile   *old,
                        GCancellable *cancellable)
{
  const char *name = iwb_profile_get_name (profile);
  g_auto(GStrv) old_actions = NULL;

  if (old == NULL)
    return;
  old_actions = iwb_profile_dup_actions (old);
  for (int a = -1; a < 0 || old_actions[a] != NULL; a++)
    {
      const char *action = a < 0 ? NULL : old_actions[a];
      g_auto(GStrv) secrets = iwb_profile_dup_secret_ids (old, action);

      for (guint i = 0; secrets[i] != NULL; i++)
        if (!iwb_profile_is_secret (profile, action, secrets[i]))
          {
            g_autofree char *param = _iwb_store_parameter_key (action, secrets[i]);

            _iwb_store_secret_clear (self, integration, name, param, cancellable);
          }
    }
}

gboolean
iwb_store_save_profile (IwbStore      *self,
                        const char    *integration,
                        IwbProfile    *profile,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(IwbProfile) old = NULL;
  g_autoptr(GHashTable) previous = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) wiped_free);
  const char *name;
  FileLock lock = { -1 };
  gboolean ok = FALSE;

  g_return_val_if_fail (IWB_IS_STORE (self), FALSE);
  g_return_val_if_fail (IWB_IS_PROFILE (profile), FALSE);
  name = iwb_profile_get_name (profile);
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                   _("A profile needs a name (any text, not empty)"));
      return FALSE;
    }
  g_mutex_lock (&self->lock);
  if (!file_lock (self, &lock, error))
    goto out;
  root = read_root (self, error);
  if (root == NULL)
    goto out;
  old = load_profile_locked (self, root, integration, name, FALSE, cancellable, NULL);
  if (!save_secrets (self, integration, profile, previous, cancellable, error))
    {
      restore_secrets (self, integration, name, previous, cancellable);
      goto out;
    }
  json_object_set_member (profiles_object (root, integration, TRUE), name,
                          iwb_profile_to_json (profile, FALSE));
  json_object_set_string_member (integration_object (root, integration, TRUE), "lastProfile", name);
  ok = write_root (self, root, error);
  /* A file that cannot be written (a full disk, a read-only folder) leaves
   * the saved profile whole: its secrets back as they were. */
  if (!ok)
    restore_secrets (self, integration, name, previous, cancellable);
  else
    clear_obsolete_secrets (self, integration, profile, old, cancellable);
out:
  file_unlock (&lock);
  g_mutex_unlock (&self->lock);
  return ok;
}

gboolean
iwb_store_delete_profile (IwbStore      *self,
                          const char    *integration,
                          const char    *name,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *profiles, *o;
  FileLock lock = { -1 };
  gboolean ok = FALSE;

  g_return_val_if_fail (IWB_IS_STORE (self), FALSE);
  g_mutex_lock (&self->lock);
  if (!file_lock (self, &lock, error))
    goto out;
  root = read_root (self, error);
  if (root == NULL)
    goto out;
  profiles = profiles_object (root, integration, FALSE);
  if (profiles == NULL || !json_object_has_member (profiles, name))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                   _("There is no profile “%s” for the integration in %s"), name, integration);
      goto out;
    }
  json_object_remove_member (profiles, name);
  o = integration_object (root, integration, FALSE);
  if (g_strcmp0 (json_object_get_string_member_with_default (o, "lastProfile", NULL), name) == 0)
    json_object_remove_member (o, "lastProfile");
  ok = write_root (self, root, error);
  /* Its secrets go only once the profile is gone from the file: a delete
   * that cannot be written keeps the profile whole. */
  if (ok)
    _iwb_store_secret_clear (self, integration, name, NULL, cancellable);
out:
  file_unlock (&lock);
  g_mutex_unlock (&self->lock);
  return ok;
}

gboolean
iwb_store_rename_profile (IwbStore      *self,
                          const char    *integration,
                          const char    *old_name,
                          const char    *new_name,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_auto(GStrv) names = iwb_store_list_profiles (self, integration, error);
  g_autoptr(IwbProfile) profile = NULL;

  if (names == NULL)
    return FALSE;
  if (g_strv_contains ((const char * const *) names, new_name))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                   _("There is already a profile “%s”; choose another name"), new_name);
      return FALSE;
    }
  profile = iwb_store_load_profile (self, integration, old_name, cancellable, error);
  if (profile == NULL)
    return FALSE;
  iwb_profile_set_name (profile, new_name);
  return iwb_store_save_profile (self, integration, profile, cancellable, error) &&
         iwb_store_delete_profile (self, integration, old_name, cancellable, error) &&
         iwb_store_set_last_profile (self, integration, new_name, error);
}

char *
iwb_store_dup_last_profile (IwbStore    *self,
                            const char  *integration,
                            GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  FileLock lock = { -1 };
  JsonObject *o;
  const char *name;

  g_return_val_if_fail (IWB_IS_STORE (self), NULL);
  g_mutex_lock (&self->lock);
  if (file_lock (self, &lock, error))
    root = read_root (self, error);
  file_unlock (&lock);
  g_mutex_unlock (&self->lock);
  if (root == NULL)
    return NULL;
  o = integration_object (root, integration, FALSE);
  name = o ? json_object_get_string_member_with_default (o, "lastProfile", NULL) : NULL;
  return g_strdup (name);
}

gboolean
iwb_store_set_last_profile (IwbStore    *self,
                            const char  *integration,
                            const char  *name,
                            GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  FileLock lock = { -1 };
  gboolean ok = FALSE;
  JsonObject *profiles;

  g_return_val_if_fail (IWB_IS_STORE (self), FALSE);
  g_mutex_lock (&self->lock);
  if (!file_lock (self, &lock, error))
    goto out;
  root = read_root (self, error);
  if (root == NULL)
    goto out;
  profiles = profiles_object (root, integration, FALSE);
  if (profiles == NULL || !json_object_has_member (profiles, name))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                   _("There is no profile “%s” for the integration in %s"), name, integration);
      goto out;
    }
  json_object_set_string_member (integration_object (root, integration, FALSE), "lastProfile", name);
  ok = write_root (self, root, error);
out:
  file_unlock (&lock);
  g_mutex_unlock (&self->lock);
  return ok;
}

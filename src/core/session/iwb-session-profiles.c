/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbSession's connection profiles (see iwb-session.h): the values of the
 * session come from, and go to, named profiles of the folder's integration
 * in an IwbStore. The store's blocking calls run in GTask threads; their
 * results are applied in the caller's context, and only when the session
 * still shows the integration the operation started for.
 *
 * "modified": the key of every value and row list the user changed is
 * compared with a checksum of what the current profile holds (as loaded or
 * saved), so typing a value back clears the marker again. Checksums, not
 * texts: no second copy of a secret.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-json.h"
#include "iwb-session-profiles-private.h"
#include "iwb-store.h"

#define ACTION_SCOPE_PREFIX "action:"


enum {
  PROP_PROFILE = IWB_SESSION_PROFILES_PROP_BASE,
  PROP_MODIFIED,
  PROP_PROFILE_NAMES,
  PROP_SECRETS_IN_MEMORY,
  PROP_PROFILES_BUSY,
  PROP_LAST
};

enum {
  VALUES_LOADED,
  PROFILE_WARNING,
  N_SIGNALS
};

static GParamSpec *properties[PROP_LAST - IWB_SESSION_PROFILES_PROP_BASE];
static guint signals[N_SIGNALS];

#define PSPEC(id) (properties[(id) - IWB_SESSION_PROFILES_PROP_BASE])

IwbSessionProfiles *
_iwb_session_profiles_of (IwbSession *self)
{
  if (self->profiles == NULL)
    {
      IwbSessionProfiles *p = g_new0 (IwbSessionProfiles, 1);

      p->saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      p->dirty = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      p->user_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      p->warned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      p->names = g_new0 (char *, 1);
      self->profiles = p;
    }
  return self->profiles;
}

/* --- keys and checksums -------------------------------------------------------- */

static char *
value_key (const char *scope,
           const char *id)
{
  return g_strconcat ("v\x1f", scope, "\x1f", id, NULL);
}

static char *
rows_key (const char *entrypoint)
{
  return g_strconcat ("r\x1f", entrypoint, NULL);
}

static char *
secret_key (const char *scope,
            const char *id)
{
  return g_strconcat (scope, "\x1f", id, NULL);
}

static char *
checksum (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static char *
rows_text (GPtrArray *rows)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (rows, i)));
  json_node_set_array (node, array);
  return json_to_string (node, FALSE);
}

static const char *
action_of_scope (const char *scope)
{
  if (scope == NULL || g_str_equal (scope, IWB_SESSION_SCOPE_CONNECTION))
    return NULL;
  if (g_str_has_prefix (scope, ACTION_SCOPE_PREFIX))
    return scope + strlen (ACTION_SCOPE_PREFIX);
  return scope;
}

static char *
scope_of_action (const char *action)
{
  if (action == NULL || action[0] == '\0')
    return g_strdup (IWB_SESSION_SCOPE_CONNECTION);
  return iwb_session_action_scope (action);
}

static void
set_modified (IwbSession *self,
              gboolean    modified)
{
  IwbSessionProfiles *p = _iwb_session_profiles_of (self);

  if (p->modified == modified)
    return;
  p->modified = modified;
  g_object_notify_by_pspec (G_OBJECT (self), PSPEC (PROP_MODIFIED));
}

static void
mark (IwbSession *self,
      char       *key,  /* taken */
      const char *text) /* NULL: not in the profile */
{
  IwbSessionProfiles *p = _iwb_session_profiles_of (self);
  const char *saved = g_hash_table_lookup (p->saved, key);
  g_autofree char *sum = text ? checksum (text) : NULL;

  if (g_strcmp0 (saved, sum) == 0)
    {
      g_hash_table_remove (p->dirty, key);
      g_free (key);
    }
  else
    g_hash_table_replace (p->dirty, key, GINT_TO_POINTER (TRUE));
  set_modified (self, g_hash_table_size (p->dirty) > 0);
}

/* --- hooks of iwb-session.c ------------------------------------------------------ */

void
_iwb_session_profiles_value_changed (IwbSession          *self,
                                     const char          *scope,
                                     const char          *id,
                                     const char          *text,
                                     IwbSessionValueFlags flags)
{
  IwbSessionProfiles *p = _iwb_session_profiles_of (self);

  /* A default the form chose is not the user's: it is not in a profile. */
  if (p->applying > 0)
    return;
  mark (self, value_key (scope, id), (flags & IWB_SESSION_VALUE_TYPED) ? text : NULL);
}

void
_iwb_session_profiles_rows_changed (IwbSession *self,
                                    const char *entrypoint,
                                    GPtrArray  *rows)
{
  IwbSessionProfiles *p = _iwb_session_profiles_of (self);
  g_autofree char *text = NULL;

  if (p->applying > 0)
    return;
  text = rows != NULL && rows->len > 0 ? rows_text (rows) : NULL;
  mark (self, rows_key (entrypoint), text);
}

void
_iwb_session_profiles_reset (IwbSession *self)
{
  IwbSessionProfiles *p = self->profiles;

  if (p == NULL)
    return;
  g_hash_table_remove_all (p->saved);
  g_hash_table_remove_all (p->dirty);
  g_hash_table_remove_all (p->user_secrets);
  set_modified (self, FALSE);
  if (p->applying > 0)
    return;
  /* Another folder, or none: its profiles are not this one's. */
  g_clear_pointer (&p->integration, g_free);
  if (p->name != NULL)
    {
      g_clear_pointer (&p->name, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), PSPEC (PROP_PROFILE));
    }
  if (p->names[0] != NULL)
    {
      g_strfreev (p->names);
      p->names = g_new0 (char *, 1);
      g_object_notify_by_pspec (G_OBJECT (self), PSPEC (PROP_PROFILE_NAMES));
    }
}

void
_iwb_session_profiles_free (IwbSession *self)
{
  IwbSessionProfiles *p = self->profiles;

  if (p == NULL)
    return;
  if (p->store != NULL)
    g_signal_handlers_disconnect_by_data (p->store, self);
  g_clear_object (&p->store);
  g_free (p->integration);
  g_free (p->name);
  g_strfreev (p->names);
  g_hash_table_unref (p->saved);
  g_hash_table_unref (p->dirty);
  g_hash_table_unref (p->user_secrets);
  g_hash_table_unref (p->warned);
  g_free (p);
  self->profiles = NULL;
}

/* --- the store ------------------------------------------------------------------ */

static void
store_notify_in_memory (IwbSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), PSPEC (PROP_SECRETS_IN_MEMORY));
}

void
iwb_session_set_store (IwbSession *self,
                       IwbStore   *store)
{
  IwbSessionProfiles *p;

  g_return_if_fail (IWB_IS_SESSION (self));
  g_return_if_fail (store == NULL || IWB_IS_STORE (store));

  p = _iwb_session_profiles_of (self);
  if (p->store == store)
    return;
  if (p->store != NULL)
    g_signal_handlers_disconnect_by_data (p->store, self);
  g_set_object (&p->store, store);
  if (store != NULL)
    g_signal_connect_swapped (store, "notify::secrets-in-memory",
                              G_CALLBACK (store_notify_in_memory), self);
  g_clear_pointer (&p->integration, g_free);
}

IwbStore *
iwb_session_get_store (IwbSession *self)
{
  IwbSessionProfiles *p;

  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);

  p = _iwb_session_profiles_of (self);
  if (p->store == NULL)
    {
      g_autoptr(IwbStore) store = iwb_store_new (NULL);

      iwb_session_set_store (self, store);
    }
  return p->store;
}

const char *
iwb_session_get_profile (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);
  return self->profiles ? self->profiles->name : NULL;
}

gboolean
iwb_session_get_modified (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), FALSE);
  return self->profiles ? self->profiles->modified : FALSE;
}

const char * const *
iwb_session_get_profile_names (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);
  return (const char * const *) _iwb_session_profiles_of (self)->names;
}

gboolean
iwb_session_get_secrets_in_memory (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), FALSE);
  return self->profiles && self->profiles->store
         && iwb_store_get_secrets_in_memory (self->profiles->store);
}

gboolean
iwb_session_get_profiles_busy (IwbSession *self)
{
  g_return_val_if_fail (IWB_IS_SESSION (self), FALSE);
  return self->profiles && self->profiles->pending > 0;
}

void
iwb_session_set_value_user_secret (IwbSession *self,
                                   const char *scope,
                                   const char *id,
                                   gboolean    secret)
{
  IwbSessionProfiles *p;
  g_autofree char *key = NULL;
  IwbSessionValueFlags flags;
  const char *text;

  g_return_if_fail (IWB_IS_SESSION (self));
  g_return_if_fail (scope != NULL && id != NULL);

  p = _iwb_session_profiles_of (self);
  key = secret_key (scope, id);
  if (secret == g_hash_table_contains (p->user_secrets, key))
    return;
  if (secret)
    g_hash_table_add (p->user_secrets, g_steal_pointer (&key));
  else
    g_hash_table_remove (p->user_secrets, key);
  /* Kept apart and wiped like a password from now on. Un-marking never
   * drops the flag here (the value may be a password by its input type):
   * the form's next write says what it is. */
  text = iwb_session_get_value (self, scope, id, &flags);
  if (text != NULL && secret)
    {
      g_autofree char *copy = g_strdup (text);

      p->applying++;
      iwb_session_set_value (self, scope, id, copy, flags | IWB_SESSION_VALUE_SECRET);
      p->applying--;
      explicit_bzero (copy, strlen (copy));
    }
  /* Where a value is kept is part of the profile. */
  mark (self, g_strconcat ("s\x1f", scope, "\x1f", id, NULL), secret ? "1" : NULL);
}

gboolean
iwb_session_get_value_user_secret (IwbSession *self,
                                   const char *scope,
                                   const char *id)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (IWB_IS_SESSION (self), FALSE);
  if (self->profiles == NULL || scope == NULL || id == NULL)
    return FALSE;
  key = secret_key (scope, id);
  return g_hash_table_contains (self->profiles->user_secrets, key);
}

/* --- session <-> profile ----------------------------------------------------------- */

static void
add_values_to_profile (IwbProfile *profile,
                       GHashTable *table)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const StoredValue *stored = value;
      g_auto(GStrv) parts = g_strsplit (key, "\x1f", 2);

      if (parts[0] == NULL || parts[1] == NULL || !(stored->flags & IWB_SESSION_VALUE_TYPED))
        continue;
      iwb_profile_set_value (profile, action_of_scope (parts[0]), parts[1], stored->text);
      if (stored->flags & IWB_SESSION_VALUE_SECRET)
        iwb_profile_set_secret (profile, action_of_scope (parts[0]), parts[1], TRUE);
    }
}

IwbProfile *
iwb_session_dup_profile (IwbSession *self,
                         const char *name)
{
  IwbProfile *profile;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);

  profile = iwb_profile_new (name);
  add_values_to_profile (profile, self->values);
  add_values_to_profile (profile, self->secrets);
  if (self->profiles != NULL)
    {
      g_hash_table_iter_init (&iter, self->profiles->user_secrets);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          g_auto(GStrv) parts = g_strsplit (key, "\x1f", 2);

          if (parts[0] != NULL && parts[1] != NULL)
            iwb_profile_set_secret (profile, action_of_scope (parts[0]), parts[1], TRUE);
        }
    }
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *rows = value;
      g_autoptr(JsonArray) array = NULL;

      if (rows == NULL || rows->len == 0)
        continue;
      /* Copies: the profile is saved on another thread, and these rows are
       * the rows editor's (a JsonObject's count is not atomic). */
      array = json_array_new ();
      for (guint i = 0; i < rows->len; i++)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), g_ptr_array_index (rows, i));

          json_array_add_element (array, iwb_json_deep_copy (node));
        }
      iwb_profile_set_rows (profile, key, array);
    }
  /* The HTTP mode (live / record / replay, cassette, strict) goes with the
   * profile, so "demo" can replay while "prod" stays live. */
  iwb_profile_set_http_mode (profile, iwb_session_get_http_mode (self),
                             iwb_session_get_cassette_path (self));
  iwb_profile_set_replay_strict (profile, iwb_session_get_replay_strict (self));
  return profile;
}

/* What @profile holds, as checksums: the reference "modified" compares to. */
void
_iwb_session_profiles_remember_saved (IwbSession *self,
                IwbProfile *profile)
{
  IwbSessionProfiles *p = _iwb_session_profiles_of (self);
  g_auto(GStrv) actions = profile ? iwb_profile_dup_actions (profile) : g_new0 (char *, 1);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  g_hash_table_remove_all (p->saved);
  g_hash_table_remove_all (p->dirty);
  if (profile == NULL)
    {
      set_modified (self, FALSE);
      return;
    }
  g_ptr_array_add (all, NULL);
  for (guint i = 0; actions[i] != NULL; i++)
    g_ptr_array_add (all, actions[i]);
  for (guint a = 0; a < all->len; a++)
    {
      const char *action = g_ptr_array_index (all, a);
      g_autofree char *scope = scope_of_action (action);
      g_auto(GStrv) ids = iwb_profile_dup_ids (profile, action);
      g_auto(GStrv) secret_ids = iwb_profile_dup_secret_ids (profile, action);
      JsonArray *rows = action ? iwb_profile_get_rows (profile, action) : NULL;

      for (guint i = 0; ids[i] != NULL; i++)
        g_hash_table_replace (p->saved, value_key (scope, ids[i]),
                              checksum (iwb_profile_get_value (profile, action, ids[i])));
      for (guint i = 0; secret_ids[i] != NULL; i++)
        {
          g_autofree char *key = secret_key (scope, secret_ids[i]);

          if (g_hash_table_contains (p->user_secrets, key))
            g_hash_table_replace (p->saved, g_strconcat ("s\x1f", key, NULL), checksum ("1"));
        }
      if (rows != NULL && json_array_get_length (rows) > 0)
        {
          g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
          g_autofree char *text = NULL;

          json_node_set_array (node, rows);
          text = json_to_string (node, FALSE);
          g_hash_table_replace (p->saved, rows_key (action), checksum (text));
        }
    }
}

/* Every key of the session against the profile's checksums. */
void
_iwb_session_profiles_recompute_dirty (IwbSession *self)
{
  IwbSessionProfiles *p = _iwb_session_profiles_of (self);
  GHashTable *tables[] = { self->values, self->secrets };
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_remove_all (p->dirty);
  /* What the profile has and the session lost. */
  g_hash_table_iter_init (&iter, p->saved);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (p->dirty, g_strdup (key));
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_hash_table_iter_init (&iter, tables[t]);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          const StoredValue *stored = value;
          g_auto(GStrv) parts = g_strsplit (key, "\x1f", 2);

          if (parts[0] != NULL && parts[1] != NULL)
            mark (self, value_key (parts[0], parts[1]),
                  (stored->flags & IWB_SESSION_VALUE_TYPED) ? stored->text : NULL);
        }
    }
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *rows = value;
      g_autofree char *text = rows != NULL && rows->len > 0 ? rows_text (rows) : NULL;

      mark (self, rows_key (key), text);
    }
  g_hash_table_iter_init (&iter, p->user_secrets);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    mark (self, g_strconcat ("s\x1f", (char *) key, NULL), "1");
  set_modified (self, g_hash_table_size (p->dirty) > 0);
}

static void
apply_scope (IwbSession *self,
             IwbProfile *profile,
             const char *action)
{
  IwbSessionProfiles *p = _iwb_session_profiles_of (self);
  g_autofree char *scope = scope_of_action (action);
  g_auto(GStrv) ids = iwb_profile_dup_ids (profile, action);
  g_auto(GStrv) secret_ids = iwb_profile_dup_secret_ids (profile, action);
  JsonArray *rows = action ? iwb_profile_get_rows (profile, action) : NULL;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      IwbSessionValueFlags flags = IWB_SESSION_VALUE_TYPED;

      if (iwb_profile_is_secret (profile, action, ids[i]))
        flags |= IWB_SESSION_VALUE_SECRET;
      iwb_session_set_value (self, scope, ids[i], iwb_profile_get_value (profile, action, ids[i]), flags);
    }
  /* Secret ids are the profile's marks; a password input is secret by its
   * type anyway, so every mark is kept as the user's (harmless for those). */
  for (guint i = 0; secret_ids[i] != NULL; i++)
    g_hash_table_add (p->user_secrets, secret_key (scope, secret_ids[i]));
  if (rows != NULL)
    {
      g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          JsonNode *row = json_array_get_element (rows, i);

          if (JSON_NODE_HOLDS_OBJECT (row))
            g_ptr_array_add (list, json_object_ref (json_node_get_object (row)));
        }
      iwb_session_set_rows (self, action, list);
    }
}

void
_iwb_session_profiles_set_name (IwbSession *self,
          const char *name)
{
  IwbSessionProfiles *p = _iwb_session_profiles_of (self);

  if (g_strcmp0 (p->name, name) == 0)
    return;
  g_free (p->name);
  p->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), PSPEC (PROP_PROFILE));
}

void
iwb_session_apply_profile (IwbSession *self,
                           IwbProfile *profile)
{
  IwbSessionProfiles *p;
  g_auto(GStrv) actions = NULL;

  g_return_if_fail (IWB_IS_SESSION (self));
  g_return_if_fail (IWB_IS_PROFILE (profile));

  p = _iwb_session_profiles_of (self);
  p->applying++;
  iwb_session_forget_values (self);
  g_hash_table_remove_all (p->user_secrets);
  apply_scope (self, profile, NULL);
  actions = iwb_profile_dup_actions (profile);
  for (guint i = 0; actions[i] != NULL; i++)
    apply_scope (self, profile, actions[i]);
  iwb_session_set_http_mode (self, iwb_profile_get_http_mode (profile),
                             iwb_profile_get_cassette_path (profile));
  iwb_session_set_replay_strict (self, iwb_profile_get_replay_strict (profile));
  _iwb_session_profiles_set_name (self, iwb_profile_get_name (profile));
  _iwb_session_profiles_remember_saved (self, profile);
  /* The forms re-read the values; what they write back while they do is
   * the profile's, or the defaults they choose. */
  g_signal_emit (self, signals[VALUES_LOADED], 0);
  p->applying--;
  _iwb_session_profiles_recompute_dirty (self);
}

/* --- environment references at run time --------------------------------------- */

char *
iwb_session_expand_value (IwbSession  *self,
                          const char  *scope,
                          const char  *id,
                          const char  *text,
                          GError     **error)
{
  g_autofree char *what = NULL;
  const char *profile;

  g_return_val_if_fail (IWB_IS_SESSION (self), NULL);

  if (text == NULL)
    return g_strdup ("");
  if (strchr (text, '$') == NULL)
    return g_strdup (text);
  profile = iwb_session_get_profile (self);
  if (profile != NULL)
    /* Translators: the subject of an error: "Parameter X of profile “demo”: … is not set" */
    what = g_strdup_printf (_("Parameter %s of profile “%s”"), id, profile);
  else
    /* Translators: the subject of an error: "Parameter X: … is not set" */
    what = g_strdup_printf (_("Parameter %s"), id);
  return iwb_profile_expand_value (text, NULL, what, error);
}

/* --- properties and signals --------------------------------------------------------- */

gboolean
_iwb_session_profiles_get_property (IwbSession *self,
                                    guint       prop_id,
                                    GValue     *value)
{
  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_string (value, iwb_session_get_profile (self));
      return TRUE;
    case PROP_MODIFIED:
      g_value_set_boolean (value, iwb_session_get_modified (self));
      return TRUE;
    case PROP_PROFILE_NAMES:
      g_value_set_boxed (value, iwb_session_get_profile_names (self));
      return TRUE;
    case PROP_SECRETS_IN_MEMORY:
      g_value_set_boolean (value, iwb_session_get_secrets_in_memory (self));
      return TRUE;
    case PROP_PROFILES_BUSY:
      g_value_set_boolean (value, iwb_session_get_profiles_busy (self));
      return TRUE;
    default:
      return FALSE;
    }
}

void
_iwb_session_profiles_class_init (GObjectClass *object_class)
{
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  PSPEC (PROP_PROFILE) = g_param_spec_string ("profile", NULL, NULL, NULL, ro);
  PSPEC (PROP_MODIFIED) = g_param_spec_boolean ("modified", NULL, NULL, FALSE, ro);
  PSPEC (PROP_PROFILE_NAMES) = g_param_spec_boxed ("profile-names", NULL, NULL, G_TYPE_STRV, ro);
  PSPEC (PROP_SECRETS_IN_MEMORY) = g_param_spec_boolean ("secrets-in-memory", NULL, NULL, FALSE, ro);
  PSPEC (PROP_PROFILES_BUSY) = g_param_spec_boolean ("profiles-busy", NULL, NULL, FALSE, ro);
  for (guint i = IWB_SESSION_PROFILES_PROP_BASE; i < PROP_LAST; i++)
    g_object_class_install_property (object_class, i, PSPEC (i));

  /* Every value and row of the session was replaced by a profile's: the
   * forms re-read them (iwb_session_get_value(), iwb_session_get_rows()). */
  signals[VALUES_LOADED] = g_signal_new ("values-loaded", G_TYPE_FROM_CLASS (object_class),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A warning of the store, once each (a corrupt profiles file moved aside,
   * secrets kept in memory only, a secret the keyring lost). */
  signals[PROFILE_WARNING] = g_signal_new ("profile-warning", G_TYPE_FROM_CLASS (object_class),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                           1, G_TYPE_STRING);
}

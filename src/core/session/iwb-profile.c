/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-profile.h"

typedef struct
{
  GHashTable *values;  /* id -> value */
  GHashTable *secrets; /* id set */
  JsonArray  *rows;    /* nullable */
} Scope;

struct _IwbProfile
{
  GObject     parent_instance;
  char       *name;
  GHashTable *scopes; /* "" (connection) or entrypoint -> Scope */
  IwbHttpMode http_mode;
  char       *cassette_path;
  gboolean    replay_strict;
};

G_DEFINE_FINAL_TYPE (IwbProfile, iwb_profile, G_TYPE_OBJECT)

static void
scope_free (gpointer data)
{
  Scope *scope = data;

  g_hash_table_unref (scope->values);
  g_hash_table_unref (scope->secrets);
  g_clear_pointer (&scope->rows, json_array_unref);
  g_free (scope);
}

static Scope *
get_scope (IwbProfile *self,
           const char *action,
           gboolean    create)
{
  Scope *scope = g_hash_table_lookup (self->scopes, action ? action : "");

  if (scope == NULL && create)
    {
      scope = g_new0 (Scope, 1);
      scope->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      scope->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->scopes, g_strdup (action ? action : ""), scope);
    }
  return scope;
}

static void
iwb_profile_finalize (GObject *object)
{
  IwbProfile *self = IWB_PROFILE (object);

  g_free (self->name);
  g_free (self->cassette_path);
  g_hash_table_unref (self->scopes);
  G_OBJECT_CLASS (iwb_profile_parent_class)->finalize (object);
}

static void
iwb_profile_class_init (IwbProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = iwb_profile_finalize;
}

static void
iwb_profile_init (IwbProfile *self)
{
  self->scopes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, scope_free);
}

IwbProfile *
iwb_profile_new (const char *name)
{
  IwbProfile *self = g_object_new (IWB_TYPE_PROFILE, NULL);

  self->name = g_strdup (name);
  return self;
}

IwbProfile *
iwb_profile_copy (IwbProfile *self,
                  const char *name)
{
  IwbProfile *copy;
  GHashTableIter it;
  gpointer key, value;

  g_return_val_if_fail (IWB_IS_PROFILE (self), NULL);
  copy = iwb_profile_new (name ? name : self->name);
  copy->http_mode = self->http_mode;
  copy->cassette_path = g_strdup (self->cassette_path);
  copy->replay_strict = self->replay_strict;
  g_hash_table_iter_init (&it, self->scopes);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      Scope *from = value;
      Scope *to = get_scope (copy, key, TRUE);
      GHashTableIter vit;
      gpointer id, text;

      g_hash_table_iter_init (&vit, from->values);
      while (g_hash_table_iter_next (&vit, &id, &text))
        g_hash_table_insert (to->values, g_strdup (id), g_strdup (text));
      g_hash_table_iter_init (&vit, from->secrets);
      while (g_hash_table_iter_next (&vit, &id, NULL))
        g_hash_table_add (to->secrets, g_strdup (id));
      if (from->rows != NULL)
        {
          g_autoptr(JsonNode) node = json_node_alloc ();
          g_autoptr(JsonNode) dup = NULL;

          json_node_init_array (node, from->rows);
          dup = json_node_copy (node);
          to->rows = json_array_ref (json_node_get_array (dup));
        }
    }
  return copy;
}

const char *
iwb_profile_get_name (IwbProfile *self)
{
  g_return_val_if_fail (IWB_IS_PROFILE (self), NULL);
  return self->name;
}

void
iwb_profile_set_name (IwbProfile *self,
                      const char *name)
{
  g_return_if_fail (IWB_IS_PROFILE (self));
  g_free (self->name);
  self->name = g_strdup (name);
}

void
iwb_profile_set_value (IwbProfile *self,
                       const char *action,
                       const char *id,
                       const char *value)
{
  Scope *scope;

  g_return_if_fail (IWB_IS_PROFILE (self));
  g_return_if_fail (id != NULL);
  scope = get_scope (self, action, value != NULL);
  if (scope == NULL)
    return;
  if (value == NULL)
    g_hash_table_remove (scope->values, id);
  else
    g_hash_table_insert (scope->values, g_strdup (id), g_strdup (value));
}

const char *
iwb_profile_get_value (IwbProfile *self,
                       const char *action,
                       const char *id)
{
  Scope *scope;

  g_return_val_if_fail (IWB_IS_PROFILE (self), NULL);
  scope = get_scope (self, action, FALSE);
  return scope ? g_hash_table_lookup (scope->values, id) : NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static char **
sorted_keys (GHashTable *table)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  GHashTableIter it;
  gpointer key;

  if (table != NULL)
    {
      g_hash_table_iter_init (&it, table);
      while (g_hash_table_iter_next (&it, &key, NULL))
        g_ptr_array_add (keys, g_strdup (key));
    }
  g_ptr_array_sort (keys, compare_strings);
  g_ptr_array_add (keys, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&keys), FALSE);
}

char **
iwb_profile_dup_ids (IwbProfile *self,
                     const char *action)
{
  Scope *scope;

  g_return_val_if_fail (IWB_IS_PROFILE (self), NULL);
  scope = get_scope (self, action, FALSE);
  return sorted_keys (scope ? scope->values : NULL);
}

void
iwb_profile_set_secret (IwbProfile *self,
                        const char *action,
                        const char *id,
                        gboolean    secret)
{
  Scope *scope;

  g_return_if_fail (IWB_IS_PROFILE (self));
  scope = get_scope (self, action, secret);
  if (scope == NULL)
    return;
  if (secret)
    g_hash_table_add (scope->secrets, g_strdup (id));
  else
    g_hash_table_remove (scope->secrets, id);
}

gboolean
iwb_profile_is_secret (IwbProfile *self,
                       const char *action,
                       const char *id)
{
  Scope *scope;

  g_return_val_if_fail (IWB_IS_PROFILE (self), FALSE);
  scope = get_scope (self, action, FALSE);
  return scope != NULL && g_hash_table_contains (scope->secrets, id);
}

char **
iwb_profile_dup_secret_ids (IwbProfile *self,
                            const char *action)
{
  Scope *scope;

  g_return_val_if_fail (IWB_IS_PROFILE (self), NULL);
  scope = get_scope (self, action, FALSE);
  return sorted_keys (scope ? scope->secrets : NULL);
}

void
iwb_profile_set_rows (IwbProfile *self,
                      const char *action,
                      JsonArray  *rows)
{
  Scope *scope;

  g_return_if_fail (IWB_IS_PROFILE (self));
  scope = get_scope (self, action, rows != NULL);
  if (scope == NULL)
    return;
  g_clear_pointer (&scope->rows, json_array_unref);
  if (rows != NULL)
    scope->rows = json_array_ref (rows);
}

JsonArray *
iwb_profile_get_rows (IwbProfile *self,
                      const char *action)
{
  Scope *scope;

  g_return_val_if_fail (IWB_IS_PROFILE (self), NULL);
  scope = get_scope (self, action, FALSE);
  return scope ? scope->rows : NULL;
}

char **
iwb_profile_dup_actions (IwbProfile *self)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  GHashTableIter it;
  gpointer key, value;

  g_return_val_if_fail (IWB_IS_PROFILE (self), NULL);
  g_hash_table_iter_init (&it, self->scopes);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      Scope *scope = value;

      if (*(char *) key != '\0' &&
          (g_hash_table_size (scope->values) > 0 || g_hash_table_size (scope->secrets) > 0 ||
           scope->rows != NULL))
        g_ptr_array_add (keys, g_strdup (key));
    }
  g_ptr_array_sort (keys, compare_strings);
  g_ptr_array_add (keys, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&keys), FALSE);
}

static void
scope_to_json (Scope       *scope,
               JsonBuilder *b,
               gboolean     with_secrets)
{
  g_auto(GStrv) ids = sorted_keys (scope->values);
  g_auto(GStrv) secrets = sorted_keys (scope->secrets);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "values");
  json_builder_begin_object (b);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (!with_secrets && g_hash_table_contains (scope->secrets, ids[i]))
        continue;
      json_builder_set_member_name (b, ids[i]);
      json_builder_add_string_value (b, g_hash_table_lookup (scope->values, ids[i]));
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "secrets");
  json_builder_begin_array (b);
  for (guint i = 0; secrets[i] != NULL; i++)
    json_builder_add_string_value (b, secrets[i]);
  json_builder_end_array (b);
  if (scope->rows != NULL)
    {
      g_autoptr(JsonNode) rows = json_node_alloc ();

      json_node_init_array (rows, scope->rows);
      json_builder_set_member_name (b, "rows");
      json_builder_add_value (b, json_node_copy (rows));
    }
  json_builder_end_object (b);
}

void
iwb_profile_set_http_mode (IwbProfile  *self,
                           IwbHttpMode  mode,
                           const char  *cassette_path)
{
  g_return_if_fail (IWB_IS_PROFILE (self));
  g_return_if_fail (mode <= IWB_HTTP_MODE_REPLAY);

  self->http_mode = mode;
  if (cassette_path != NULL && cassette_path[0] != '\0')
    {
      g_free (self->cassette_path);
      self->cassette_path = g_canonicalize_filename (cassette_path, NULL);
    }
}

IwbHttpMode
iwb_profile_get_http_mode (IwbProfile *self)
{
  g_return_val_if_fail (IWB_IS_PROFILE (self), IWB_HTTP_MODE_LIVE);
  return self->http_mode;
}

const char *
iwb_profile_get_cassette_path (IwbProfile *self)
{
  g_return_val_if_fail (IWB_IS_PROFILE (self), NULL);
  return self->cassette_path;
}

void
iwb_profile_set_replay_strict (IwbProfile *self,
                               gboolean    strict)
{
  g_return_if_fail (IWB_IS_PROFILE (self));
  self->replay_strict = !!strict;
}

gboolean
iwb_profile_get_replay_strict (IwbProfile *self)
{
  g_return_val_if_fail (IWB_IS_PROFILE (self), FALSE);
  return self->replay_strict;
}

JsonNode *
iwb_profile_to_json (IwbProfile *self,
                     gboolean    with_secrets)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(GStrv) actions = NULL;
  Scope *connection;

  g_return_val_if_fail (IWB_IS_PROFILE (self), NULL);
  actions = iwb_profile_dup_actions (self);
  connection = get_scope (self, NULL, TRUE);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "connection");
  scope_to_json (connection, b, with_secrets);
  json_builder_set_member_name (b, "actions");
  json_builder_begin_object (b);
  for (guint i = 0; actions[i] != NULL; i++)
    {
      json_builder_set_member_name (b, actions[i]);
      scope_to_json (get_scope (self, actions[i], FALSE), b, with_secrets);
    }
  json_builder_end_object (b);
  if (self->http_mode != IWB_HTTP_MODE_LIVE || self->cassette_path != NULL)
    {
      json_builder_set_member_name (b, "http");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "mode");
      json_builder_add_string_value (b, iwb_http_mode_to_string (self->http_mode));
      if (self->cassette_path != NULL)
        {
          json_builder_set_member_name (b, "cassette");
          json_builder_add_string_value (b, self->cassette_path);
        }
      if (self->replay_strict)
        {
          json_builder_set_member_name (b, "strict");
          json_builder_add_boolean_value (b, TRUE);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
scope_from_json (IwbProfile  *self,
                 const char  *action,
                 JsonNode    *node,
                 const char  *where,
                 GError     **error)
{
  JsonObject *o;
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto bad;
  o = json_node_get_object (node);
  member = json_object_get_member (o, "values");
  if (member != NULL)
    {
      JsonObject *values;
      g_autoptr(GList) names = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        goto bad;
      values = json_node_get_object (member);
      names = json_object_get_members (values);
      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *v = json_object_get_member (values, l->data);

          if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
            goto bad;
          iwb_profile_set_value (self, action, l->data, json_node_get_string (v));
        }
    }
  member = json_object_get_member (o, "secrets");
  if (member != NULL)
    {
      JsonArray *ids;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        goto bad;
      ids = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          JsonNode *v = json_array_get_element (ids, i);

          if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
            goto bad;
          iwb_profile_set_secret (self, action, json_node_get_string (v), TRUE);
        }
    }
  member = json_object_get_member (o, "rows");
  if (member != NULL)
    {
      g_autoptr(JsonNode) copy = NULL;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        goto bad;
      copy = json_node_copy (member);
      iwb_profile_set_rows (self, action, json_node_get_array (copy));
    }
  return TRUE;

bad:
  g_set_error (error, IWB_ERROR, IWB_ERROR_CORRUPT,
               _("%s: profile “%s”, %s: unexpected shape (expected "
                 "{\"values\": {ID: text}, \"secrets\": [ID…], \"rows\": […]})"),
               where, self->name, action ? action : "connection");
  return FALSE;
}

static gboolean
http_from_json (IwbProfile  *self,
                JsonNode    *node,
                const char  *where,
                GError     **error)
{
  JsonObject *o;
  JsonNode *mode, *cassette, *strict;
  IwbHttpMode value = IWB_HTTP_MODE_LIVE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto bad;
  o = json_node_get_object (node);
  mode = json_object_get_member (o, "mode");
  cassette = json_object_get_member (o, "cassette");
  strict = json_object_get_member (o, "strict");
  if (mode == NULL || !JSON_NODE_HOLDS_VALUE (mode) || json_node_get_value_type (mode) != G_TYPE_STRING ||
      !iwb_http_mode_from_string (json_node_get_string (mode), &value))
    goto bad;
  if (cassette != NULL &&
      (!JSON_NODE_HOLDS_VALUE (cassette) || json_node_get_value_type (cassette) != G_TYPE_STRING))
    goto bad;
  if (strict != NULL &&
      (!JSON_NODE_HOLDS_VALUE (strict) || json_node_get_value_type (strict) != G_TYPE_BOOLEAN))
    goto bad;
  if (value != IWB_HTTP_MODE_LIVE && cassette == NULL)
    goto bad;
  iwb_profile_set_http_mode (self, value, cassette ? json_node_get_string (cassette) : NULL);
  self->replay_strict = strict != NULL && json_node_get_boolean (strict);
  return TRUE;

bad:
  g_set_error (error, IWB_ERROR, IWB_ERROR_CORRUPT,
               _("%s: profile “%s”: unexpected “http” member (expected {\"mode\": "
                 "\"live\"|\"record\"|\"replay\", \"cassette\": PATH, \"strict\": "
                 "true|false}; record and replay need the cassette)"),
               where, self->name);
  return FALSE;
}

IwbProfile *
iwb_profile_new_from_json (const char  *name,
                           JsonNode    *node,
                           const char  *where,
                           GError     **error)
{
  g_autoptr(IwbProfile) self = iwb_profile_new (name);
  JsonObject *o;
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_CORRUPT,
                   _("%s: profile “%s” is not a JSON object"), where, name);
      return NULL;
    }
  o = json_node_get_object (node);
  member = json_object_get_member (o, "connection");
  if (member != NULL && !scope_from_json (self, NULL, member, where, error))
    return NULL;
  member = json_object_get_member (o, "actions");
  if (member != NULL)
    {
      g_autoptr(GList) names = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_CORRUPT,
                       _("%s: profile “%s”: “actions” is not a JSON object"), where, name);
          return NULL;
        }
      names = json_object_get_members (json_node_get_object (member));
      for (GList *l = names; l != NULL; l = l->next)
        if (!scope_from_json (self, l->data,
                              json_object_get_member (json_node_get_object (member), l->data),
                              where, error))
          return NULL;
    }
  member = json_object_get_member (o, "http");
  if (member != NULL && !http_from_json (self, member, where, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* -- environment references */

static gboolean
valid_name_char (char c,
                 gboolean first)
{
  return c == '_' || g_ascii_isalpha (c) || (!first && g_ascii_isdigit (c));
}

/* Walks @value; calls @on_name for each reference (returns FALSE to stop)
 * and appends literal text to @out (nullable). */
static gboolean
scan_references (const char  *value,
                 GString     *out,
                 gboolean   (*on_name) (const char *name, GString *out, gpointer data, GError **error),
                 gpointer     data,
                 GError     **error)
{
  const char *p = value;

  while (*p != '\0')
    {
      if (p[0] == '$' && p[1] == '$' && p[2] == '{')
        {
          if (out)
            g_string_append (out, "${");
          p += 3;
          continue;
        }
      if (p[0] == '$' && p[1] == '{')
        {
          const char *start = p + 2;
          const char *end = strchr (start, '}');
          g_autofree char *name = NULL;

          if (end == NULL)
            {
              g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                           _("“${” without its closing “}” at character %d; write $${ for a literal ${"),
                           (int) g_utf8_pointer_to_offset (value, p) + 1);
              return FALSE;
            }
          name = g_strndup (start, end - start);
          for (const char *c = name; *c != '\0' || c == name; c++)
            if (!valid_name_char (*c, c == name))
              {
                g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                             _("“${%s}” is not an environment variable reference (names are "
                               "letters, digits and _, not starting with a digit); write $${ "
                               "for a literal ${"), name);
                return FALSE;
              }
          if (!on_name (name, out, data, error))
            return FALSE;
          p = end + 1;
          continue;
        }
      if (out)
        g_string_append_c (out, *p);
      p++;
    }
  return TRUE;
}

static gboolean
collect_name (const char *name,
              GString    *out,
              gpointer    data,
              GError    **error)
{
  g_ptr_array_add (data, g_strdup (name));
  return TRUE;
}

gboolean
iwb_profile_value_is_env_reference (const char   *value,
                                    char       ***names)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  gboolean ok;

  if (value == NULL || strstr (value, "${") == NULL)
    {
      if (names)
        *names = g_new0 (char *, 1);
      return FALSE;
    }
  ok = scan_references (value, NULL, collect_name, found, NULL) && found->len > 0;
  if (names)
    {
      if (!ok)
        g_ptr_array_set_size (found, 0);
      g_ptr_array_add (found, NULL);
      *names = (char **) g_ptr_array_steal (found, NULL);
    }
  return ok;
}

typedef struct
{
  const char **envp;
  const char  *what;
} ExpandData;

static gboolean
expand_name (const char *name,
             GString    *out,
             gpointer    data,
             GError    **error)
{
  ExpandData *d = data;
  const char *v = d->envp ? g_environ_getenv ((char **) d->envp, name) : g_getenv (name);

  if (v == NULL)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_ENV_MISSING,
                   _("%s takes its value from the environment variable %s, which is not set. "
                     "Set %s (export %s=…) or change the value."),
                   d->what ? d->what : _("A value"), name, name, name);
      return FALSE;
    }
  g_string_append (out, v);
  return TRUE;
}

char *
iwb_profile_expand_value (const char   *value,
                          const char  **envp,
                          const char   *what,
                          GError      **error)
{
  g_autoptr(GString) out = NULL;
  ExpandData data = { envp, what };
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (value != NULL, NULL);
  if (strchr (value, '$') == NULL)
    return g_strdup (value);
  out = g_string_new (NULL);
  if (!scan_references (value, out, expand_name, &data, &local_error))
    {
      if (g_error_matches (local_error, IWB_ERROR, IWB_ERROR_INVALID_VALUE) && what != NULL)
        g_prefix_error (&local_error, "%s: ", what);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

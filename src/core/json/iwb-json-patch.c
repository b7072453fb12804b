/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * RFC 6902 JSON Patch applier and RFC 6901 JSON pointers.
 */
#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-json-patch.h"

static char **
split_pointer (const char  *pointer,
               GError     **error)
{
  char **tokens;

  if (*pointer == '\0')
    return g_new0 (char *, 1);
  if (*pointer != '/')
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                   _("JSON pointer “%s” does not start with “/”"), pointer);
      return NULL;
    }

  if (pointer[1] == '\0')
    {
      /* "/" is the member named "" (g_strsplit would give no token). */
      tokens = g_new0 (char *, 2);
      tokens[0] = g_strdup ("");
      return tokens;
    }
  tokens = g_strsplit (pointer + 1, "/", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      GString *t = g_string_new (NULL);

      for (const char *p = tokens[i]; *p; p++)
        {
          if (*p == '~' && p[1] == '0')
            g_string_append_c (t, '~'), p++;
          else if (*p == '~' && p[1] == '1')
            g_string_append_c (t, '/'), p++;
          else
            g_string_append_c (t, *p);
        }
      g_free (tokens[i]);
      tokens[i] = g_string_free (t, FALSE);
    }
  return tokens;
}

static gboolean
parse_index (const char *token,
             guint       max,
             guint      *out)
{
  char *end = NULL;
  guint64 v;

  if (token[0] == '\0' || (token[0] == '0' && token[1] != '\0') || !g_ascii_isdigit (token[0]))
    return FALSE;
  errno = 0;
  v = g_ascii_strtoull (token, &end, 10);
  if (errno != 0 || *end != '\0' || v > max)
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

static JsonNode *
walk (JsonNode    *node,
      char       **tokens,
      guint        n_tokens,
      const char  *pointer,
      GError     **error)
{
  for (guint i = 0; i < n_tokens; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), tokens[i]);
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *arr = json_node_get_array (node);
          guint idx;

          if (json_array_get_length (arr) == 0 ||
              !parse_index (tokens[i], json_array_get_length (arr) - 1, &idx))
            node = NULL;
          else
            node = json_array_get_element (arr, idx);
        }
      else
        node = NULL;

      if (node == NULL)
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                       _("JSON pointer “%s”: nothing at “%s”"), pointer, tokens[i]);
          return NULL;
        }
    }
  return node;
}

/**
 * iwb_json_pointer_get:
 *
 * Returns: (transfer none): the node at @pointer inside @document.
 */
JsonNode *
iwb_json_pointer_get (JsonNode    *document,
                      const char  *pointer,
                      GError     **error)
{
  g_auto(GStrv) tokens = split_pointer (pointer, error);

  if (tokens == NULL)
    return NULL;
  return walk (document, tokens, g_strv_length (tokens), pointer, error);
}

static void
array_insert (JsonNode *array_node,
              guint     index,
              JsonNode *value)
{
  JsonArray *old = json_node_get_array (array_node);
  guint n = json_array_get_length (old);
  JsonArray *arr;

  if (index == n)
    {
      json_array_add_element (old, value);
      return;
    }

  arr = json_array_sized_new (n + 1);
  for (guint i = 0; i < n; i++)
    {
      if (i == index)
        json_array_add_element (arr, value);
      json_array_add_element (arr, json_node_ref (json_array_get_element (old, i)));
    }
  json_node_set_array (array_node, arr);
  json_array_unref (arr);
}

/* Adds (takes @value); replaces when @must_exist. */
static gboolean
put (JsonNode   **root,
     const char  *pointer,
     JsonNode    *value,
     gboolean     must_exist,
     GError     **error)
{
  g_auto(GStrv) tokens = split_pointer (pointer, error);
  guint n;
  JsonNode *parent;
  const char *last;

  if (tokens == NULL)
    goto fail;
  n = g_strv_length (tokens);
  if (n == 0)
    {
      json_node_unref (*root);
      *root = value;
      return TRUE;
    }
  parent = walk (*root, tokens, n - 1, pointer, error);
  if (parent == NULL)
    goto fail;
  last = tokens[n - 1];

  if (JSON_NODE_HOLDS_OBJECT (parent))
    {
      JsonObject *obj = json_node_get_object (parent);

      if (must_exist && !json_object_has_member (obj, last))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                       _("JSON patch: cannot replace “%s”: no such member"), pointer);
          goto fail;
        }
      json_object_set_member (obj, last, value);
      return TRUE;
    }

  if (JSON_NODE_HOLDS_ARRAY (parent))
    {
      JsonArray *arr = json_node_get_array (parent);
      guint len = json_array_get_length (arr);
      guint idx;

      if (must_exist)
        {
          if (len == 0 || !parse_index (last, len - 1, &idx))
            {
              g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                           _("JSON patch: cannot replace “%s”: no such item"), pointer);
              goto fail;
            }
          json_array_remove_element (arr, idx);
          array_insert (parent, idx, value);
          return TRUE;
        }
      if (g_str_equal (last, "-"))
        idx = len;
      else if (!parse_index (last, len, &idx))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                       /* Translators: the index, the JSON pointer, the length of the list. */
                       _("JSON patch: index “%s” of “%s” is out of range (list of %u)"),
                       last, pointer, len);
          goto fail;
        }
      array_insert (parent, idx, value);
      return TRUE;
    }

  g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
               _("JSON patch: “%s”: the parent is neither an object nor a list"), pointer);
fail:
  json_node_unref (value);
  return FALSE;
}

/* Removes and returns (transfer full) the node at @pointer. */
static JsonNode *
take (JsonNode   *root,
      const char *pointer,
      GError    **error)
{
  g_auto(GStrv) tokens = split_pointer (pointer, error);
  guint n;
  JsonNode *parent;
  const char *last;

  if (tokens == NULL)
    return NULL;
  n = g_strv_length (tokens);
  if (n == 0)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                   _("JSON patch: cannot remove the whole document"));
      return NULL;
    }
  parent = walk (root, tokens, n - 1, pointer, error);
  if (parent == NULL)
    return NULL;
  last = tokens[n - 1];

  if (JSON_NODE_HOLDS_OBJECT (parent))
    {
      JsonObject *obj = json_node_get_object (parent);
      JsonNode *node = json_object_dup_member (obj, last);

      if (node == NULL)
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                       _("JSON patch: cannot remove “%s”: no such member"), pointer);
          return NULL;
        }
      json_object_remove_member (obj, last);
      return node;
    }
  if (JSON_NODE_HOLDS_ARRAY (parent))
    {
      JsonArray *arr = json_node_get_array (parent);
      guint len = json_array_get_length (arr);
      guint idx;
      JsonNode *node;

      if (len == 0 || !parse_index (last, len - 1, &idx))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                       _("JSON patch: cannot remove “%s”: no such item"), pointer);
          return NULL;
        }
      node = json_node_ref (json_array_get_element (arr, idx));
      json_array_remove_element (arr, idx);
      return node;
    }
  g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
               _("JSON patch: cannot remove “%s”: the parent is neither an object nor a list"),
               pointer);
  return NULL;
}

static const char *
op_string (JsonObject *op,
           const char *member,
           guint       index,
           GError    **error)
{
  JsonNode *node = json_object_get_member (op, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                   _("JSON patch operation %u: “%s” is missing or not a string"), index, member);
      return NULL;
    }
  return json_node_get_string (node);
}

/**
 * iwb_json_patch_apply:
 * @document: the document (not modified)
 * @patch: an RFC 6902 patch: a list of operations
 *
 * Returns: (transfer full) (nullable): the patched copy, or %NULL with
 *   @error naming the failing operation.
 */
JsonNode *
iwb_json_patch_apply (JsonNode    *document,
                      JsonNode    *patch,
                      GError     **error)
{
  g_autoptr(JsonNode) root = iwb_json_deep_copy (document);
  JsonArray *ops;

  if (!JSON_NODE_HOLDS_ARRAY (patch))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                   _("A JSON patch must be a list of operations"));
      return NULL;
    }

  ops = json_node_get_array (patch);
  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      JsonNode *op_node = json_array_get_element (ops, i);
      JsonObject *op;
      const char *name, *path, *from;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (op_node))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                       _("JSON patch operation %u is not an object"), i);
          return NULL;
        }
      op = json_node_get_object (op_node);
      if ((name = op_string (op, "op", i, error)) == NULL ||
          (path = op_string (op, "path", i, error)) == NULL)
        return NULL;
      value = json_object_get_member (op, "value");

      if (g_str_equal (name, "add") || g_str_equal (name, "replace") || g_str_equal (name, "test"))
        {
          if (value == NULL)
            {
              g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                           _("JSON patch operation %u (%s): no “value”"), i, name);
              return NULL;
            }
        }

      if (g_str_equal (name, "add"))
        {
          if (!put (&root, path, iwb_json_deep_copy (value), FALSE, error))
            return NULL;
        }
      else if (g_str_equal (name, "replace"))
        {
          if (!put (&root, path, iwb_json_deep_copy (value), *path != '\0', error))
            return NULL;
        }
      else if (g_str_equal (name, "remove"))
        {
          JsonNode *gone = take (root, path, error);

          if (gone == NULL)
            return NULL;
          json_node_unref (gone);
        }
      else if (g_str_equal (name, "move") || g_str_equal (name, "copy"))
        {
          JsonNode *moved;

          if ((from = op_string (op, "from", i, error)) == NULL)
            return NULL;
          if (g_str_equal (name, "move"))
            {
              gsize len = strlen (from);

              if (g_str_has_prefix (path, from) && path[len] == '/')
                {
                  g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                               _("JSON patch operation %u: cannot move “%s” into itself"), i, from);
                  return NULL;
                }
              if (g_str_equal (from, path))
                continue;
              moved = take (root, from, error);
            }
          else
            {
              JsonNode *src = iwb_json_pointer_get (root, from, error);
              moved = src != NULL ? iwb_json_deep_copy (src) : NULL;
            }
          if (moved == NULL || !put (&root, path, moved, FALSE, error))
            return NULL;
        }
      else if (g_str_equal (name, "test"))
        {
          JsonNode *target = iwb_json_pointer_get (root, path, error);

          if (target == NULL)
            return NULL;
          if (!iwb_json_equal (target, value))
            {
              g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                           _("JSON patch operation %u: test failed at “%s”"), i, path);
              return NULL;
            }
        }
      else
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                       _("JSON patch operation %u: unknown op “%s”"), i, name);
          return NULL;
        }
    }

  return g_steal_pointer (&root);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Structural JSON diff: see iwb-json-diff.h for the rules. This file holds
 * the change objects, the entry points and the outputs; the walk itself is
 * iwb-json-diff-walk.c, over compact trees (iwb-json-tree.h).
 */
#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "iwb-json-diff-private.h"

G_DEFINE_FINAL_TYPE (IwbJsonChange, iwb_json_change, G_TYPE_OBJECT)

static void
iwb_json_change_finalize (GObject *object)
{
  IwbJsonChange *self = IWB_JSON_CHANGE (object);

  for (guint i = 0; i < self->segments->len; i++)
    {
      IwbJsonSegment *seg = &g_array_index (self->segments, IwbJsonSegment, i);
      g_free ((char *) seg->name);
      g_free ((char *) seg->key_value);
    }
  g_array_unref (self->segments);
  g_free (self->path);
  g_clear_pointer (&self->old_value, json_node_unref);
  g_clear_pointer (&self->new_value, json_node_unref);
  g_free (self->op_path);
  g_free (self->op_from);
  g_clear_pointer (&self->patch_op, json_node_unref);

  G_OBJECT_CLASS (iwb_json_change_parent_class)->finalize (object);
}

static void
iwb_json_change_class_init (IwbJsonChangeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = iwb_json_change_finalize;
}

static void
iwb_json_change_init (IwbJsonChange *self)
{
  self->segments = g_array_new (FALSE, TRUE, sizeof (IwbJsonSegment));
  self->from_index = -1;
  self->to_index = -1;
}

IwbJsonChangeKind
iwb_json_change_get_kind (IwbJsonChange *self)
{
  g_return_val_if_fail (IWB_IS_JSON_CHANGE (self), IWB_JSON_CHANGE_CHANGED);
  return self->kind;
}

/**
 * iwb_json_change_get_path:
 *
 * Returns: the readable path, e.g. `actions[entrypoint=main.post].description`;
 *   the empty string for the document itself.
 */
const char *
iwb_json_change_get_path (IwbJsonChange *self)
{
  g_return_val_if_fail (IWB_IS_JSON_CHANGE (self), NULL);
  return self->path;
}

static char *
build_pointer (IwbJsonChange *self,
               gboolean       use_new)
{
  GString *str;

  if ((use_new && self->kind == IWB_JSON_CHANGE_REMOVED) ||
      (!use_new && self->kind == IWB_JSON_CHANGE_ADDED))
    return NULL;

  str = g_string_new (NULL);
  for (guint i = 0; i < self->segments->len; i++)
    {
      const IwbJsonSegment *seg = &g_array_index (self->segments, IwbJsonSegment, i);

      if (seg->kind == IWB_JSON_SEGMENT_MEMBER)
        {
          g_autofree char *token = iwb_json_pointer_escape (seg->name);
          g_string_append_printf (str, "/%s", token);
        }
      else
        {
          int idx = use_new ? seg->new_index : seg->old_index;

          if (idx < 0)
            {
              g_string_free (str, TRUE);
              return NULL;
            }
          g_string_append_printf (str, "/%d", idx);
        }
    }
  return g_string_free (str, FALSE);
}

/**
 * iwb_json_change_dup_old_pointer:
 *
 * Returns: (nullable): the RFC 6901 pointer of the changed value in the old
 *   document, %NULL for an added value.
 */
char *
iwb_json_change_dup_old_pointer (IwbJsonChange *self)
{
  g_return_val_if_fail (IWB_IS_JSON_CHANGE (self), NULL);
  return build_pointer (self, FALSE);
}

/**
 * iwb_json_change_dup_new_pointer:
 *
 * Returns: (nullable): the pointer in the new document, %NULL for a removed value.
 */
char *
iwb_json_change_dup_new_pointer (IwbJsonChange *self)
{
  g_return_val_if_fail (IWB_IS_JSON_CHANGE (self), NULL);
  return build_pointer (self, TRUE);
}

/**
 * iwb_json_change_get_old_value:
 *
 * Returns: (transfer none) (nullable): the value before (REMOVED, CHANGED,
 *   MOVED), a copy made for the change: do not modify it.
 */
JsonNode *
iwb_json_change_get_old_value (IwbJsonChange *self)
{
  g_return_val_if_fail (IWB_IS_JSON_CHANGE (self), NULL);
  return self->old_value;
}

/**
 * iwb_json_change_get_new_value:
 *
 * Returns: (transfer none) (nullable): the value after (ADDED, CHANGED, MOVED).
 */
JsonNode *
iwb_json_change_get_new_value (IwbJsonChange *self)
{
  g_return_val_if_fail (IWB_IS_JSON_CHANGE (self), NULL);
  return self->new_value;
}

/* Index in the old list (MOVED, REMOVED from a list), else -1. */
int
iwb_json_change_get_from_index (IwbJsonChange *self)
{
  g_return_val_if_fail (IWB_IS_JSON_CHANGE (self), -1);
  return self->from_index;
}

/* Index in the new list (MOVED, ADDED to a list), else -1. */
int
iwb_json_change_get_to_index (IwbJsonChange *self)
{
  g_return_val_if_fail (IWB_IS_JSON_CHANGE (self), -1);
  return self->to_index;
}

guint
iwb_json_change_get_n_segments (IwbJsonChange *self)
{
  g_return_val_if_fail (IWB_IS_JSON_CHANGE (self), 0);
  return self->segments->len;
}

const IwbJsonSegment *
iwb_json_change_get_segment (IwbJsonChange *self,
                             guint          i)
{
  g_return_val_if_fail (IWB_IS_JSON_CHANGE (self), NULL);
  g_return_val_if_fail (i < self->segments->len, NULL);
  return &g_array_index (self->segments, IwbJsonSegment, i);
}

/**
 * iwb_json_change_get_patch_op:
 *
 * Returns: (transfer none): this change as one RFC 6902 operation object.
 *   Its pointers are only valid inside the whole patch, in patch order.
 */
JsonNode *
iwb_json_change_get_patch_op (IwbJsonChange *self)
{
  g_return_val_if_fail (IWB_IS_JSON_CHANGE (self), NULL);

  if (self->patch_op == NULL)
    {
      JsonObject *obj = json_object_new ();

      json_object_set_string_member (obj, "op", self->op);
      if (self->op_from != NULL)
        json_object_set_string_member (obj, "from", self->op_from);
      json_object_set_string_member (obj, "path", self->op_path);
      if (g_str_equal (self->op, "add") || g_str_equal (self->op, "replace"))
        json_object_set_member (obj, "value", iwb_json_deep_copy (self->new_value));
      self->patch_op = json_node_init_object (json_node_alloc (), obj);
      json_object_unref (obj);
    }
  return self->patch_op;
}

const char *
iwb_json_change_kind_to_string (IwbJsonChangeKind kind)
{
  switch (kind)
    {
    case IWB_JSON_CHANGE_ADDED:
      return "added";
    case IWB_JSON_CHANGE_REMOVED:
      return "removed";
    case IWB_JSON_CHANGE_CHANGED:
      return "changed";
    case IWB_JSON_CHANGE_MOVED:
      return "moved";
    default:
      g_return_val_if_reached ("changed");
    }
}

/**
 * iwb_json_pointer_escape:
 *
 * Returns: @token escaped for an RFC 6901 pointer (`~` → `~0`, `/` → `~1`).
 */
char *
iwb_json_pointer_escape (const char *token)
{
  GString *str;

  if (strpbrk (token, "~/") == NULL)
    return g_strdup (token);

  str = g_string_sized_new (strlen (token) + 4);
  for (const char *p = token; *p; p++)
    {
      if (*p == '~')
        g_string_append (str, "~0");
      else if (*p == '/')
        g_string_append (str, "~1");
      else
        g_string_append_c (str, *p);
    }
  return g_string_free (str, FALSE);
}

/**
 * iwb_json_diff_trees:
 * @old_tree: the old document
 * @new_tree: the new document, sharing its #IwbJsonKeys with @old_tree
 *
 * Returns: (transfer full) (element-type IwbJsonChange): the changes in
 *   reading order; empty when the documents are equal. Their values are
 *   JsonNode copies: the trees may be freed afterwards.
 */
GPtrArray *
iwb_json_diff_trees (IwbJsonTree *old_tree,
                     IwbJsonTree *new_tree)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (old_tree->keys == new_tree->keys, changes);
  iwb_json_diff_walk (old_tree, new_tree, changes);
  return changes;
}

/**
 * iwb_json_diff:
 * @old_node: (nullable): the old document
 * @new_node: (nullable): the new document
 *
 * Returns: (transfer full) (element-type IwbJsonChange): the changes in
 *   reading order; empty when the documents are equal. Their values are
 *   copies: the documents may change or go afterwards.
 */
GPtrArray *
iwb_json_diff (JsonNode *old_node,
               JsonNode *new_node)
{
  IwbJsonKeys *keys = iwb_json_keys_new ();
  IwbJsonTree *ta = iwb_json_tree_from_node (keys, old_node);
  IwbJsonTree *tb = iwb_json_tree_from_node (keys, new_node);
  GPtrArray *changes = iwb_json_diff_trees (ta, tb);

  iwb_json_tree_free (ta);
  iwb_json_tree_free (tb);
  iwb_json_keys_free (keys);
  return changes;
}

/* ------------------------------------------------------------------------ */
/* Outputs                                                                   */

static void
append_value_lines (GString    *out,
                    char        sign,
                    JsonNode   *node,
                    const char *color,
                    const char *reset)
{
  g_autofree char *text = iwb_json_to_string (node, TRUE); /* 2-space indent */
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (out, "%s%c %s%s\n", color, sign, lines[i], reset);
}

/**
 * iwb_json_diff_to_text:
 *
 * Returns: a readable diff: per change a `@@ path (kind)` line, then the old
 *   value as `-` lines and the new one as `+` lines (pretty-printed).
 */
char *
iwb_json_diff_to_text (GPtrArray            *changes,
                       IwbJsonDiffTextFlags  flags)
{
  GString *out = g_string_new (NULL);
  gboolean color = (flags & IWB_JSON_DIFF_TEXT_COLOR) != 0;
  const char *c_head = color ? "\033[36m" : "";
  const char *c_del = color ? "\033[31m" : "";
  const char *c_add = color ? "\033[32m" : "";
  const char *c_off = color ? "\033[0m" : "";

  for (guint i = 0; i < changes->len; i++)
    {
      IwbJsonChange *ch = g_ptr_array_index (changes, i);
      const char *path = *ch->path ? ch->path : "(document)";

      switch (ch->kind)
        {
        case IWB_JSON_CHANGE_MOVED:
          /* Translators: colour code, the changed path, the old and new positions, colour reset. */
          g_string_append_printf (out, _("%s@@ %s (moved from %d to %d)%s\n"),
                                  c_head, path, ch->from_index, ch->to_index, c_off);
          break;

        case IWB_JSON_CHANGE_ADDED:
          g_string_append_printf (out, _("%s@@ %s (added)%s\n"), c_head, path, c_off);
          append_value_lines (out, '+', ch->new_value, c_add, c_off);
          break;

        case IWB_JSON_CHANGE_REMOVED:
          g_string_append_printf (out, _("%s@@ %s (removed)%s\n"), c_head, path, c_off);
          append_value_lines (out, '-', ch->old_value, c_del, c_off);
          break;

        case IWB_JSON_CHANGE_CHANGED:
        default:
          g_string_append_printf (out, _("%s@@ %s (changed)%s\n"), c_head, path, c_off);
          append_value_lines (out, '-', ch->old_value, c_del, c_off);
          append_value_lines (out, '+', ch->new_value, c_add, c_off);
          break;
        }
    }
  return g_string_free (out, FALSE);
}

/**
 * iwb_json_diff_to_json:
 *
 * Returns: (transfer full): an array of `{"path", "kind", "old", "new"}`
 *   objects ("old" absent for added values, "new" for removed ones; moves
 *   carry "from" and "to" indices instead of values).
 */
JsonNode *
iwb_json_diff_to_json (GPtrArray *changes)
{
  JsonArray *arr = json_array_sized_new (changes->len);
  JsonNode *root;

  for (guint i = 0; i < changes->len; i++)
    {
      IwbJsonChange *ch = g_ptr_array_index (changes, i);
      JsonObject *obj = json_object_new ();

      json_object_set_string_member (obj, "path", ch->path);
      json_object_set_string_member (obj, "kind", iwb_json_change_kind_to_string (ch->kind));
      if (ch->kind == IWB_JSON_CHANGE_MOVED)
        {
          json_object_set_int_member (obj, "from", ch->from_index);
          json_object_set_int_member (obj, "to", ch->to_index);
        }
      else
        {
          if (ch->old_value != NULL)
            json_object_set_member (obj, "old", iwb_json_deep_copy (ch->old_value));
          if (ch->new_value != NULL)
            json_object_set_member (obj, "new", iwb_json_deep_copy (ch->new_value));
        }
      json_array_add_object_element (arr, obj);
    }

  root = json_node_init_array (json_node_alloc (), arr);
  json_array_unref (arr);
  return root;
}

static int
compare_seq (gconstpointer a,
             gconstpointer b)
{
  const IwbJsonChange *x = *(IwbJsonChange * const *) a;
  const IwbJsonChange *y = *(IwbJsonChange * const *) b;

  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/**
 * iwb_json_diff_to_patch:
 * @changes: (element-type IwbJsonChange): as returned by iwb_json_diff()
 *
 * Returns: (transfer full): an RFC 6902 JSON Patch (array of operations)
 *   that turns the old document into the new one.
 */
JsonNode *
iwb_json_diff_to_patch (GPtrArray *changes)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new (changes->len);
  JsonArray *arr = json_array_sized_new (changes->len);
  JsonNode *root;

  for (guint i = 0; i < changes->len; i++)
    g_ptr_array_add (sorted, changes->pdata[i]);
  g_ptr_array_sort (sorted, compare_seq);
  for (guint i = 0; i < sorted->len; i++)
    json_array_add_element (arr, iwb_json_deep_copy (iwb_json_change_get_patch_op (sorted->pdata[i])));

  root = json_node_init_array (json_node_alloc (), arr);
  json_array_unref (arr);
  return root;
}

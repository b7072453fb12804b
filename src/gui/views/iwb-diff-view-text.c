/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbDiffView's text (see iwb-diff-view-text.h). */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "iwb-descriptor.h"
#include "iwb-diff-view-text.h"
#include "iwb-json.h"

/* ------------------------------------------------------------------------ */
/* Pretty-printing with line ranges                                          */


typedef struct
{
  GString    *out;
  int         line;
  GString    *pointer;  /* RFC 6901 pointer of the node being printed */
  GHashTable *wanted;   /* pointer -> LineRange* to fill */
} Printer;

static void
newline (Printer *p,
         int      indent)
{
  g_string_append_c (p->out, '\n');
  p->line++;
  for (int i = 0; i < indent; i++)
    g_string_append (p->out, "  ");
}

static void
print_node (Printer  *p,
            JsonNode *node,
            int       indent,
            int       first_line)
{
  LineRange *range = g_hash_table_lookup (p->wanted, p->pointer->str);

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (p->out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            gsize len = p->pointer->len;
            g_autofree char *token = iwb_json_pointer_escape (name);
            int member_line;

            if (!first)
              g_string_append_c (p->out, ',');
            first = FALSE;
            newline (p, indent + 1);
            member_line = p->line;
            iwb_json_write_string (p->out, name, -1);
            g_string_append (p->out, ": ");
            g_string_append_printf (p->pointer, "/%s", token);
            print_node (p, member, indent + 1, member_line);
            g_string_truncate (p->pointer, len);
          }
        if (!first)
          newline (p, indent);
        g_string_append_c (p->out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *arr = json_node_get_array (node);
        guint n = json_array_get_length (arr);

        g_string_append_c (p->out, '[');
        for (guint i = 0; i < n; i++)
          {
            gsize len = p->pointer->len;

            if (i > 0)
              g_string_append_c (p->out, ',');
            newline (p, indent + 1);
            g_string_append_printf (p->pointer, "/%u", i);
            print_node (p, json_array_get_element (arr, i), indent + 1, p->line);
            g_string_truncate (p->pointer, len);
          }
        if (n > 0)
          newline (p, indent);
        g_string_append_c (p->out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_STRING)
          iwb_json_write_string (p->out, json_node_get_string (node), -1);
        else if (type == G_TYPE_INT64)
          g_string_append_printf (p->out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (p->out, json_node_get_boolean (node) ? "true" : "false");
        else
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node));
            g_string_append (p->out, buf);
            if (strpbrk (buf, ".eEn") == NULL)
              g_string_append (p->out, ".0");
          }
      }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (p->out, "null");
      break;
    }

  if (range != NULL)
    {
      range->first = first_line;
      range->last = p->line;
    }
}

char *
_iwb_diff_view_print_document (JsonNode   *doc,
                               GHashTable *wanted)
{
  Printer p = { g_string_new (NULL), 0, g_string_new (NULL), wanted };

  print_node (&p, doc, 0, 0);
  g_string_append_c (p.out, '\n');
  g_string_free (p.pointer, TRUE);
  return g_string_free (p.out, FALSE);
}

const char *
_iwb_diff_view_kind_label (IwbJsonChangeKind kind)
{
  switch (kind)
    {
    case IWB_JSON_CHANGE_ADDED:
      return _("Added");
    case IWB_JSON_CHANGE_REMOVED:
      return _("Removed");
    case IWB_JSON_CHANGE_MOVED:
      return _("Moved");
    case IWB_JSON_CHANGE_CHANGED:
    default:
      return _("Changed");
    }
}

const char *
_iwb_diff_view_kind_css (IwbJsonChangeKind kind)
{
  switch (kind)
    {
    case IWB_JSON_CHANGE_ADDED:
      return "success";
    case IWB_JSON_CHANGE_REMOVED:
      return "error";
    case IWB_JSON_CHANGE_MOVED:
      return "accent";
    case IWB_JSON_CHANGE_CHANGED:
    default:
      return "warning";
    }
}

/* ------------------------------------------------------------------------ */
/* The groups of the changes list                                            */

/* The action a change lies in: its key text (entrypoint) and the length of
 * the path prefix naming it; NULL for changes outside the actions. */
char *
_iwb_diff_view_change_action_key (IwbJsonChange *change,
                                  gsize         *prefix_len)
{
  const IwbJsonSegment *seg;
  const char *path = iwb_json_change_get_path (change);
  g_autofree char *plain = NULL;
  g_autofree char *quoted = NULL;

  *prefix_len = 0;
  if (iwb_json_change_get_n_segments (change) < 2)
    return NULL;
  seg = iwb_json_change_get_segment (change, 0);
  if (seg->kind != IWB_JSON_SEGMENT_MEMBER || g_strcmp0 (seg->name, "actions") != 0)
    return NULL;
  seg = iwb_json_change_get_segment (change, 1);

  /* The path starts with the action's segment as iwb_json_diff writes it:
   * actions[entrypoint=main.post], actions[entrypoint="a b"] or actions[2]. */
  if (seg->kind == IWB_JSON_SEGMENT_KEYED)
    {
      JsonNode *key = json_node_init_string (json_node_alloc (), seg->key_value);
      g_autofree char *key_json = iwb_json_to_string (key, FALSE);

      json_node_unref (key);
      plain = g_strdup_printf ("actions[%s=%s]", seg->name, seg->key_value);
      quoted = g_strdup_printf ("actions[%s=%s]", seg->name, key_json);
      if (g_str_has_prefix (path, plain))
        *prefix_len = strlen (plain);
      else if (g_str_has_prefix (path, quoted))
        *prefix_len = strlen (quoted);
      return g_strdup (seg->key_value);
    }

  plain = g_strdup_printf ("actions[%d]", seg->new_index >= 0 ? seg->new_index : seg->old_index);
  if (g_str_has_prefix (path, plain))
    *prefix_len = strlen (plain);
  return g_strdup_printf ("#%d", seg->new_index >= 0 ? seg->new_index : seg->old_index);
}

static JsonObject *
find_action (JsonNode   *doc,
             const char *key)
{
  JsonArray *actions = iwb_descriptor_get_actions (doc, NULL);

  for (guint i = 0; actions != NULL && i < json_array_get_length (actions); i++)
    {
      JsonObject *a = iwb_json_array_get_object (actions, i);
      g_autofree char *index_key = g_strdup_printf ("#%u", i);

      if (a == NULL)
        continue;
      if (g_str_equal (key, index_key) ||
          g_strcmp0 (iwb_descriptor_action_get_entrypoint (a), key) == 0)
        return a;
    }
  return NULL;
}

char *
_iwb_diff_view_action_title (JsonNode    *base,
                             JsonNode    *effective,
                             const char  *key,
                             char       **description)
{
  JsonObject *action = find_action (effective, key);
  const char *name;

  if (action == NULL)
    action = find_action (base, key);
  name = iwb_descriptor_action_get_name (action);
  *description = name != NULL && g_strcmp0 (name, key) != 0 ? g_strdup (key) : NULL;
  return g_strdup (name != NULL ? name : key);
}

char *
_iwb_diff_view_rest_title (JsonNode   *base,
                           JsonNode   *effective,
                           const char *name,
                           const char *base_label,
                           const char *effective_label)
{
  if (name != NULL)
    return g_strdup (name);
  if (iwb_descriptor_get_actions (base, NULL) != NULL ||
      iwb_descriptor_get_actions (effective, NULL) != NULL)
    return g_strdup (_("Integration"));
  /* Translators: the group of a comparison's changes: “Run 3 → Run 5” */
  return g_strdup_printf (_("%s → %s"), base_label, effective_label);
}

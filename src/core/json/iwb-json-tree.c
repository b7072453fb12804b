/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The diff's compact JSON tree: see iwb-json-tree.h. Everything here is
 * iterative (explicit stacks), so no input depth can overflow the stack.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "iwb-json-scan.h"
#include "iwb-json-tree.h"

struct _IwbJsonKeys
{
  GHashTable   *ids;    /* name (in chunk) -> id */
  GPtrArray    *names;  /* id -> name; [0] unused */
  GStringChunk *chunk;
  /* member matching scratch, indexed by key id */
  guint32      *stamp;
  guint32      *pos;
  guint32       n_alloc;
  guint32       serial;
};

IwbJsonKeys *
iwb_json_keys_new (void)
{
  IwbJsonKeys *keys = g_new0 (IwbJsonKeys, 1);

  keys->ids = g_hash_table_new (g_str_hash, g_str_equal);
  keys->names = g_ptr_array_new ();
  g_ptr_array_add (keys->names, NULL);
  keys->chunk = g_string_chunk_new (4096);
  return keys;
}

void
iwb_json_keys_free (IwbJsonKeys *keys)
{
  if (keys == NULL)
    return;
  g_hash_table_unref (keys->ids);
  g_ptr_array_unref (keys->names);
  g_string_chunk_free (keys->chunk);
  g_free (keys->stamp);
  g_free (keys->pos);
  g_free (keys);
}

static guint32
keys_intern (IwbJsonKeys *keys,
             const char  *name)
{
  gpointer id;
  char *copy;

  if (g_hash_table_lookup_extended (keys->ids, name, NULL, &id))
    return GPOINTER_TO_UINT (id);
  copy = g_string_chunk_insert (keys->chunk, name);
  g_ptr_array_add (keys->names, copy);
  g_hash_table_insert (keys->ids, copy, GUINT_TO_POINTER (keys->names->len - 1));
  return keys->names->len - 1;
}

guint32
iwb_json_keys_lookup (IwbJsonKeys *keys,
                      const char  *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (keys->ids, name));
}

const char *
iwb_json_keys_name (IwbJsonKeys *keys,
                    guint32      key)
{
  return key < keys->names->len ? keys->names->pdata[key] : NULL;
}

guint32
iwb_json_keys_count (IwbJsonKeys *keys)
{
  return keys->names->len;
}

/* Starts a new matching round: returns its serial; stamp[]/pos[] cover
 * every key id. */
static guint32
keys_round (IwbJsonKeys *keys)
{
  if (keys->n_alloc < keys->names->len)
    {
      guint32 n = MAX (keys->names->len, keys->n_alloc * 2);

      keys->stamp = g_renew (guint32, keys->stamp, n);
      keys->pos = g_renew (guint32, keys->pos, n);
      memset (keys->stamp + keys->n_alloc, 0, (n - keys->n_alloc) * sizeof (guint32));
      keys->n_alloc = n;
    }
  if (++keys->serial == 0)
    {
      memset (keys->stamp, 0, keys->n_alloc * sizeof (guint32));
      keys->serial = 1;
    }
  return keys->serial;
}

/* ------------------------------------------------------------------------ */
/* Parsing                                                                   */

#define ESCAPED 0x80000000u

typedef struct
{
  IwbJsonKeys       *keys;
  char              *text;
  GString           *scratch;  /* an escaped member name, decoded */
  GArray            *nodes;    /* the tree; [0] reserved for the root */
  GArray            *pending;  /* values whose container is still open */
  GArray            *opens;    /* guint32: position in pending of each open container */
  guint32            key;      /* the member name of the next value */
  IwbJsonParseFlags  flags;
} TreeBuilder;

static void
push (TreeBuilder     *b,
      IwbJsonTreeKind  kind,
      IwbJsonTreeNode *node)
{
  node->tag = (guint32) kind | (b->key << 3);
  b->key = 0;
  g_array_append_vals (b->pending, node, 1);
}

/* NUL-terminates a string in place (over its closing quote, which the
 * scanner has passed: line and column counts before an error stay right).
 * Escapes are decoded after a successful scan (decoding earlier would move
 * bytes that an error's location is counted over); the escaped flag is the
 * top bit of len until then. */
static guint32
take_string (const char *raw,
             gsize       len,
             gboolean    escaped)
{
  ((char *) raw)[len] = '\0';
  return (guint32) len | (escaped ? ESCAPED : 0);
}

static void
tree_begin (gpointer data,
            gboolean is_object)
{
  TreeBuilder *b = data;
  IwbJsonTreeNode node = { 0 };
  guint32 at = b->pending->len;

  push (b, is_object ? IWB_JSON_TREE_OBJECT : IWB_JSON_TREE_ARRAY, &node);
  g_array_append_val (b->opens, at);
}

static void
tree_end (gpointer data)
{
  TreeBuilder *b = data;
  guint32 at = g_array_index (b->opens, guint32, b->opens->len - 1);
  IwbJsonTreeNode *container = &g_array_index (b->pending, IwbJsonTreeNode, at);
  IwbJsonTreeNode *children = container + 1;
  guint32 n = b->pending->len - at - 1;

  g_array_set_size (b->opens, b->opens->len - 1);
  if (IWB_JSON_TREE_KIND (container) == IWB_JSON_TREE_OBJECT && n > 1)
    {
      /* A repeated member name: the last value, at the first one's place
       * (Python's dict). */
      guint32 serial = keys_round (b->keys), out = 0;

      for (guint32 k = 0; k < n; k++)
        {
          guint32 key = IWB_JSON_TREE_KEY (&children[k]);

          if (b->keys->stamp[key] == serial)
            children[b->keys->pos[key]] = children[k];
          else
            {
              b->keys->stamp[key] = serial;
              b->keys->pos[key] = out;
              children[out++] = children[k];
            }
        }
      n = out;
    }
  container->v.off = b->nodes->len;
  container->len = n;
  g_array_append_vals (b->nodes, children, n);
  g_array_set_size (b->pending, at + 1);
}

static void
tree_key (gpointer    data,
          const char *raw,
          gsize       len,
          gboolean    escaped)
{
  TreeBuilder *b = data;

  if (!escaped)
    {
      take_string (raw, len, FALSE);
      b->key = keys_intern (b->keys, raw);
      return;
    }
  g_string_set_size (b->scratch, len);
  g_string_set_size (b->scratch, iwb_json_decode_string (raw, len, b->flags, b->scratch->str));
  b->key = keys_intern (b->keys, b->scratch->str);
}

static void
tree_string (gpointer    data,
             const char *raw,
             gsize       len,
             gboolean    escaped)
{
  TreeBuilder *b = data;
  IwbJsonTreeNode node = { 0 };

  node.len = take_string (raw, len, escaped);
  node.v.off = raw - b->text;
  push (b, IWB_JSON_TREE_STRING, &node);
}

static void
tree_number (gpointer    data,
             const char *raw,
             gsize       len,
             gboolean    is_int)
{
  IwbJsonTreeNode node = { 0 };

  if (iwb_json_number_value (raw, len, is_int, &node.v.i, &node.v.d))
    push (data, IWB_JSON_TREE_INT, &node);
  else
    push (data, IWB_JSON_TREE_DOUBLE, &node);
}

static void
tree_literal (gpointer       data,
              IwbJsonLiteral lit)
{
  IwbJsonTreeNode node = { 0 };

  switch (lit)
    {
    case IWB_JSON_LITERAL_NULL:
      push (data, IWB_JSON_TREE_NULL, &node);
      break;
    case IWB_JSON_LITERAL_TRUE:
    case IWB_JSON_LITERAL_FALSE:
      node.len = lit == IWB_JSON_LITERAL_TRUE;
      push (data, IWB_JSON_TREE_BOOLEAN, &node);
      break;
    case IWB_JSON_LITERAL_NAN:
      node.v.d = NAN;
      push (data, IWB_JSON_TREE_DOUBLE, &node);
      break;
    case IWB_JSON_LITERAL_INFINITY:
      node.v.d = INFINITY;
      push (data, IWB_JSON_TREE_DOUBLE, &node);
      break;
    case IWB_JSON_LITERAL_MINUS_INFINITY:
    default:
      node.v.d = -INFINITY;
      push (data, IWB_JSON_TREE_DOUBLE, &node);
      break;
    }
}

static const IwbJsonSink tree_sink = {
  tree_begin, tree_end, tree_key, tree_string, tree_number, tree_literal,
};

IwbJsonTree *
iwb_json_tree_parse (IwbJsonKeys        *keys,
                     char               *text,
                     gsize               len,
                     IwbJsonParseFlags   flags,
                     IwbJsonLocation    *error_location,
                     GError            **error)
{
  TreeBuilder b = { keys, text, NULL, NULL, NULL, NULL, 0, flags };
  IwbJsonErrorCode code = 0;
  gsize offset = 0;
  const char *what = NULL;
  IwbJsonTreeNode root = { 0 };
  IwbJsonTree *tree;
  gboolean ok;

  if (len >= G_MAXINT32)
    {
      g_set_error_literal (error, IWB_JSON_ERROR, IWB_JSON_ERROR_SYNTAX,
                           _("the text is too large to compare (2 GB or more)"));
      if (error_location)
        iwb_json_locate (text, len, 0, error_location);
      g_free (text);
      return NULL;
    }
  b.scratch = g_string_new (NULL);
  b.nodes = g_array_sized_new (FALSE, FALSE, sizeof (IwbJsonTreeNode), 1 + len / 48);
  b.pending = g_array_new (FALSE, FALSE, sizeof (IwbJsonTreeNode));
  b.opens = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_append_val (b.nodes, root);

  ok = iwb_json_scan (text, len, TRUE, &tree_sink, &b, &code, &offset, &what);
  g_array_unref (b.opens);
  g_string_free (b.scratch, TRUE);
  if (!ok)
    {
      IwbJsonLocation loc;
      g_autofree char *message = NULL;

      iwb_json_locate (text, len, offset, &loc);
      message = iwb_json_format_error (text, len, offset, what);
      if (error_location)
        *error_location = loc;
      g_set_error_literal (error, IWB_JSON_ERROR, code, message);
      g_array_unref (b.pending);
      g_array_unref (b.nodes);
      g_free (text);
      return NULL;
    }
  g_assert (b.pending->len == 1);
  g_array_index (b.nodes, IwbJsonTreeNode, 0) = g_array_index (b.pending, IwbJsonTreeNode, 0);
  g_array_unref (b.pending);

  tree = g_new0 (IwbJsonTree, 1);
  tree->keys = keys;
  tree->text = text;
  tree->n_nodes = b.nodes->len;
  tree->nodes = (IwbJsonTreeNode *) g_array_free (b.nodes, FALSE);

  /* now decode the escaped strings, in place */
  for (guint32 i = 0; i < tree->n_nodes; i++)
    {
      IwbJsonTreeNode *n = &tree->nodes[i];

      if (IWB_JSON_TREE_KIND (n) == IWB_JSON_TREE_STRING && (n->len & ESCAPED))
        {
          char *s = text + n->v.off;

          n->len = iwb_json_decode_string (s, n->len & ~ESCAPED, flags, s);
          s[n->len] = '\0';
        }
    }
  return tree;
}

void
iwb_json_tree_free (IwbJsonTree *tree)
{
  if (tree == NULL)
    return;
  g_free (tree->text);
  g_free (tree->nodes);
  g_free (tree);
}

/* ------------------------------------------------------------------------ */
/* From and to JsonNode                                                      */

static void
node_from_json (IwbJsonTreeNode *out,
                JsonNode        *node,
                GString         *text)
{
  out->tag &= ~7u;
  out->len = 0;
  out->v.i = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      out->tag |= IWB_JSON_TREE_OBJECT;
      out->len = json_object_get_size (json_node_get_object (node));
      return;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      out->tag |= IWB_JSON_TREE_ARRAY;
      out->len = json_array_get_length (json_node_get_array (node));
      return;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      out->tag |= IWB_JSON_TREE_INT;
      out->v.i = json_node_get_int (node);
      break;
    case G_TYPE_DOUBLE:
      out->tag |= IWB_JSON_TREE_DOUBLE;
      out->v.d = json_node_get_double (node);
      break;
    case G_TYPE_BOOLEAN:
      out->tag |= IWB_JSON_TREE_BOOLEAN;
      out->len = json_node_get_boolean (node);
      break;
    case G_TYPE_STRING:
      {
        const char *s = json_node_get_string (node);

        out->tag |= IWB_JSON_TREE_STRING;
        out->len = strlen (s);
        out->v.off = text->len;
        g_string_append_len (text, s, out->len + 1);
      }
      break;
    default:
      break;
    }
}

typedef struct
{
  JsonNode *node;
  guint32   index;
} FromTask;

IwbJsonTree *
iwb_json_tree_from_node (IwbJsonKeys *keys,
                         JsonNode    *node)
{
  g_autoptr(GArray) nodes = g_array_new (FALSE, TRUE, sizeof (IwbJsonTreeNode));
  g_autoptr(GArray) todo = g_array_new (FALSE, FALSE, sizeof (FromTask));
  GString *text = g_string_new (NULL);
  IwbJsonTree *tree;

  g_array_set_size (nodes, 1);
  node_from_json (&g_array_index (nodes, IwbJsonTreeNode, 0), node, text);
  g_array_append_vals (todo, &(FromTask) { node, 0 }, 1);
  while (todo->len > 0)
    {
      FromTask task = g_array_index (todo, FromTask, todo->len - 1);
      guint32 first = nodes->len, k = 0;

      g_array_set_size (todo, todo->len - 1);
      if (task.node == NULL ||
          (!JSON_NODE_HOLDS_OBJECT (task.node) && !JSON_NODE_HOLDS_ARRAY (task.node)))
        continue;
      g_array_index (nodes, IwbJsonTreeNode, task.index).v.off = first;
      g_array_set_size (nodes, first + g_array_index (nodes, IwbJsonTreeNode, task.index).len);
      if (JSON_NODE_HOLDS_OBJECT (task.node))
        {
          JsonObjectIter iter;
          const char *name;
          JsonNode *member;

          json_object_iter_init_ordered (&iter, json_node_get_object (task.node));
          while (json_object_iter_next_ordered (&iter, &name, &member))
            {
              IwbJsonTreeNode *child = &g_array_index (nodes, IwbJsonTreeNode, first + k);

              child->tag = keys_intern (keys, name) << 3;
              node_from_json (child, member, text);
              g_array_append_vals (todo, &(FromTask) { member, first + k }, 1);
              k++;
            }
        }
      else
        {
          JsonArray *arr = json_node_get_array (task.node);

          for (k = 0; k < json_array_get_length (arr); k++)
            {
              JsonNode *item = json_array_get_element (arr, k);

              node_from_json (&g_array_index (nodes, IwbJsonTreeNode, first + k), item, text);
              g_array_append_vals (todo, &(FromTask) { item, first + k }, 1);
            }
        }
    }

  tree = g_new0 (IwbJsonTree, 1);
  tree->keys = keys;
  tree->n_nodes = nodes->len;
  tree->nodes = (IwbJsonTreeNode *) g_array_free (g_steal_pointer (&nodes), FALSE);
  tree->text = g_string_free (text, FALSE);
  return tree;
}

static JsonNode *
scalar_to_node (IwbJsonTree     *tree,
                IwbJsonTreeNode *n)
{
  switch (IWB_JSON_TREE_KIND (n))
    {
    case IWB_JSON_TREE_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), n->len != 0);
    case IWB_JSON_TREE_INT:
      return json_node_init_int (json_node_alloc (), n->v.i);
    case IWB_JSON_TREE_DOUBLE:
      return json_node_init_double (json_node_alloc (), n->v.d);
    case IWB_JSON_TREE_STRING:
      return json_node_init_string (json_node_alloc (), tree->text + n->v.off);
    case IWB_JSON_TREE_OBJECT:
      {
        JsonObject *obj = json_object_new ();
        JsonNode *node = json_node_init_object (json_node_alloc (), obj);

        json_object_unref (obj);
        return node;
      }
    case IWB_JSON_TREE_ARRAY:
      {
        JsonArray *arr = json_array_sized_new (n->len);
        JsonNode *node = json_node_init_array (json_node_alloc (), arr);

        json_array_unref (arr);
        return node;
      }
    case IWB_JSON_TREE_NULL:
    default:
      return json_node_init_null (json_node_alloc ());
    }
}

typedef struct
{
  guint32   index;
  JsonNode *node;
} ToTask;

JsonNode *
iwb_json_tree_to_node (IwbJsonTree *tree,
                       guint32      index)
{
  g_autoptr(GArray) todo = g_array_new (FALSE, FALSE, sizeof (ToTask));
  JsonNode *root = scalar_to_node (tree, &tree->nodes[index]);

  g_array_append_vals (todo, &(ToTask) { index, root }, 1);
  while (todo->len > 0)
    {
      ToTask task = g_array_index (todo, ToTask, todo->len - 1);
      IwbJsonTreeNode *n = &tree->nodes[task.index];
      IwbJsonTreeKind kind = IWB_JSON_TREE_KIND (n);

      g_array_set_size (todo, todo->len - 1);
      if (kind != IWB_JSON_TREE_OBJECT && kind != IWB_JSON_TREE_ARRAY)
        continue;
      for (guint32 k = 0; k < n->len; k++)
        {
          guint32 c = n->v.off + k;
          JsonNode *child = scalar_to_node (tree, &tree->nodes[c]);

          if (kind == IWB_JSON_TREE_OBJECT)
            json_object_set_member (json_node_get_object (task.node),
                                    iwb_json_keys_name (tree->keys,
                                                        IWB_JSON_TREE_KEY (&tree->nodes[c])),
                                    child);
          else
            json_array_add_element (json_node_get_array (task.node), child);
          g_array_append_vals (todo, &(ToTask) { c, child }, 1);
        }
    }
  return root;
}

/* ------------------------------------------------------------------------ */
/* Equality, hashing, members                                                */

static gboolean
scalar_equal (IwbJsonTree     *ta,
              IwbJsonTreeNode *a,
              IwbJsonTree     *tb,
              IwbJsonTreeNode *b)
{
  switch (IWB_JSON_TREE_KIND (a))
    {
    case IWB_JSON_TREE_NULL:
      return TRUE;
    case IWB_JSON_TREE_BOOLEAN:
      return a->len == b->len;
    case IWB_JSON_TREE_INT:
      return a->v.i == b->v.i;
    case IWB_JSON_TREE_DOUBLE:
      return a->v.d == b->v.d;
    case IWB_JSON_TREE_STRING:
      return a->len == b->len && memcmp (ta->text + a->v.off, tb->text + b->v.off, a->len) == 0;
    default:
      return FALSE;
    }
}

gboolean
iwb_json_tree_equal (IwbJsonTree *ta,
                     guint32      a,
                     IwbJsonTree *tb,
                     guint32      b)
{
  g_autoptr(GArray) todo = NULL;
  IwbJsonKeys *keys = ta->keys;

  for (;;)
    {
      IwbJsonTreeNode *x = &ta->nodes[a], *y = &tb->nodes[b];
      IwbJsonTreeKind kind = IWB_JSON_TREE_KIND (x);

      if (kind != IWB_JSON_TREE_KIND (y))
        return FALSE;
      if (kind == IWB_JSON_TREE_ARRAY || kind == IWB_JSON_TREE_OBJECT)
        {
          if (x->len != y->len)
            return FALSE;
          if (todo == NULL)
            todo = g_array_new (FALSE, FALSE, sizeof (guint32));
          if (kind == IWB_JSON_TREE_ARRAY)
            for (guint32 k = 0; k < x->len; k++)
              {
                IwbJsonTreeNode *cx = &ta->nodes[x->v.off + k], *cy = &tb->nodes[y->v.off + k];

                if (IWB_JSON_TREE_KIND (cx) < IWB_JSON_TREE_ARRAY)
                  {
                    if (IWB_JSON_TREE_KIND (cx) != IWB_JSON_TREE_KIND (cy) ||
                        !scalar_equal (ta, cx, tb, cy))
                      return FALSE;
                    continue;
                  }
                g_array_append_vals (todo, &(guint32[2]) { x->v.off + k, y->v.off + k }, 2);
              }
          else
            {
              guint32 serial = keys_round (keys);

              for (guint32 k = 0; k < y->len; k++)
                {
                  guint32 key = IWB_JSON_TREE_KEY (&tb->nodes[y->v.off + k]);

                  keys->stamp[key] = serial;
                  keys->pos[key] = k;
                }
              for (guint32 k = 0; k < x->len; k++)
                {
                  IwbJsonTreeNode *cx = &ta->nodes[x->v.off + k], *cy;
                  guint32 key = IWB_JSON_TREE_KEY (cx);

                  if (keys->stamp[key] != serial)
                    return FALSE;
                  cy = &tb->nodes[y->v.off + keys->pos[key]];
                  if (IWB_JSON_TREE_KIND (cx) < IWB_JSON_TREE_ARRAY)
                    {
                      if (IWB_JSON_TREE_KIND (cx) != IWB_JSON_TREE_KIND (cy) ||
                          !scalar_equal (ta, cx, tb, cy))
                        return FALSE;
                      continue;
                    }
                  g_array_append_vals (todo, &(guint32[2]) { x->v.off + k,
                                                             y->v.off + keys->pos[key] }, 2);
                }
            }
        }
      else if (!scalar_equal (ta, x, tb, y))
        return FALSE;

      if (todo == NULL || todo->len == 0)
        return TRUE;
      b = g_array_index (todo, guint32, todo->len - 1);
      a = g_array_index (todo, guint32, todo->len - 2);
      g_array_set_size (todo, todo->len - 2);
    }
}

static guint
scalar_hash (IwbJsonTree     *tree,
             IwbJsonTreeNode *n)
{
  switch (IWB_JSON_TREE_KIND (n))
    {
    case IWB_JSON_TREE_NULL:
      return 0x51ed270bu;
    case IWB_JSON_TREE_BOOLEAN:
      return n->len ? 0x3a8f05c5u : 0x4b9f16d6u;
    case IWB_JSON_TREE_INT:
      return g_int64_hash (&n->v.i) ^ 0x1000193u;
    case IWB_JSON_TREE_DOUBLE:
      {
        double d = n->v.d == 0.0 ? 0.0 : n->v.d; /* -0.0 equals 0.0 */
        return g_double_hash (&d) ^ 0x2000193u;
      }
    case IWB_JSON_TREE_STRING:
      {
        const guchar *p = (const guchar *) tree->text + n->v.off;
        guint h = 5381;

        for (guint32 i = 0; i < n->len; i++)
          h = h * 33 + p[i];
        return h;
      }
    default:
      return 0x9e3779b9u + IWB_JSON_TREE_KIND (n) * 0x85ebca6bu + n->len;
    }
}

guint
iwb_json_tree_hash (IwbJsonTree *tree,
                    guint32      index)
{
  IwbJsonTreeNode *n = &tree->nodes[index];
  IwbJsonTreeKind kind = IWB_JSON_TREE_KIND (n);
  guint h = scalar_hash (tree, n);

  if (kind == IWB_JSON_TREE_ARRAY)
    for (guint32 k = 0; k < n->len; k++)
      h = h * 31u + scalar_hash (tree, &tree->nodes[n->v.off + k]);
  else if (kind == IWB_JSON_TREE_OBJECT)
    for (guint32 k = 0; k < n->len; k++) /* order-independent */
      h += (IWB_JSON_TREE_KEY (&tree->nodes[n->v.off + k]) * 1000003u) ^
           scalar_hash (tree, &tree->nodes[n->v.off + k]);
  return h;
}

gint64
iwb_json_tree_member (IwbJsonTree *tree,
                      guint32      index,
                      guint32      key)
{
  IwbJsonTreeNode *n = &tree->nodes[index];

  if (IWB_JSON_TREE_KIND (n) != IWB_JSON_TREE_OBJECT || key == 0)
    return -1;
  for (guint32 k = 0; k < n->len; k++)
    if (IWB_JSON_TREE_KEY (&tree->nodes[n->v.off + k]) == key)
      return n->v.off + k;
  return -1;
}

void
iwb_json_tree_match_members (IwbJsonTree *ta,
                             guint32      a,
                             IwbJsonTree *tb,
                             guint32      b,
                             gint32      *a_to_b)
{
  IwbJsonKeys *keys = ta->keys;
  IwbJsonTreeNode *x = &ta->nodes[a], *y = &tb->nodes[b];
  guint32 serial = keys_round (keys);

  for (guint32 k = 0; k < y->len; k++)
    {
      guint32 key = IWB_JSON_TREE_KEY (&tb->nodes[y->v.off + k]);

      keys->stamp[key] = serial;
      keys->pos[key] = k;
    }
  for (guint32 k = 0; k < x->len; k++)
    {
      guint32 key = IWB_JSON_TREE_KEY (&ta->nodes[x->v.off + k]);

      a_to_b[k] = keys->stamp[key] == serial ? (gint32) keys->pos[key] : -1;
    }
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A compact, read-only JSON tree for the diff: 16-byte nodes in one array
 * (the children of a container are contiguous), strings left in the text
 * (escaped ones decoded in place), member names interned in an IwbJsonKeys
 * table shared by the two trees of a diff, so that comparing names is
 * comparing integers. Built by the one scanner (iwb-json-scan.h), without
 * recursion, under the same depth rule; a JsonNode is made only for what is
 * printed (iwb_json_tree_to_node()).
 */
#pragma once

#include "iwb-json.h"

G_BEGIN_DECLS

typedef enum
{
  IWB_JSON_TREE_NULL,
  IWB_JSON_TREE_BOOLEAN, /* len: 0 or 1 */
  IWB_JSON_TREE_INT,     /* v.i */
  IWB_JSON_TREE_DOUBLE,  /* v.d */
  IWB_JSON_TREE_STRING,  /* v.off into the text, len bytes (not NUL-terminated) */
  IWB_JSON_TREE_ARRAY,   /* v.off: index of the first child, len children */
  IWB_JSON_TREE_OBJECT,  /* the same; each child carries its member name's key */
} IwbJsonTreeKind;

typedef struct
{
  guint32 tag;  /* kind in the low 3 bits, the member name's key id above */
  guint32 len;
  union
  {
    guint64 off;
    gint64  i;
    double  d;
  } v;
} IwbJsonTreeNode;

#define IWB_JSON_TREE_KIND(n) ((IwbJsonTreeKind) ((n)->tag & 7))
#define IWB_JSON_TREE_KEY(n)  ((n)->tag >> 3)

typedef struct _IwbJsonKeys IwbJsonKeys;

typedef struct
{
  IwbJsonKeys     *keys;   /* borrowed: outlives the tree */
  char            *text;   /* owned */
  IwbJsonTreeNode *nodes;  /* owned; nodes[0] is the root */
  guint32          n_nodes;
} IwbJsonTree;

IwbJsonKeys *iwb_json_keys_new        (void);
void         iwb_json_keys_free       (IwbJsonKeys       *keys);
/* The key id of @name (0 when no tree holds that member name). */
guint32      iwb_json_keys_lookup     (IwbJsonKeys       *keys,
                                       const char        *name);
const char  *iwb_json_keys_name       (IwbJsonKeys       *keys,
                                       guint32            key);
guint32      iwb_json_keys_count      (IwbJsonKeys       *keys);

/* Takes @text (g_malloc'ed, @len bytes, below 2 GB). NULL with
 * IWB_JSON_ERROR (message as iwb_json_parse_full()'s) and *error_location
 * (nullable) on failure. */
IwbJsonTree *iwb_json_tree_parse      (IwbJsonKeys       *keys,
                                       char              *text,
                                       gsize              len,
                                       IwbJsonParseFlags  flags,
                                       IwbJsonLocation   *error_location,
                                       GError           **error);
/* The tree of a JsonNode (NULL: null), iteratively. */
IwbJsonTree *iwb_json_tree_from_node  (IwbJsonKeys       *keys,
                                       JsonNode          *node);
void         iwb_json_tree_free       (IwbJsonTree       *tree);

/* (transfer full) the value at @index as a JsonNode, iteratively. */
JsonNode    *iwb_json_tree_to_node    (IwbJsonTree       *tree,
                                       guint32            index);

/* Structural equality of two values (of trees sharing their keys), as
 * iwb_json_equal(); iteratively. */
gboolean     iwb_json_tree_equal      (IwbJsonTree       *ta,
                                       guint32            a,
                                       IwbJsonTree       *tb,
                                       guint32            b);
/* A hash consistent with iwb_json_tree_equal(); containers contribute their
 * children one level down only. */
guint        iwb_json_tree_hash       (IwbJsonTree       *tree,
                                       guint32            index);

/* For each member k of object @a: a_to_b[k] is the position of the member
 * of object @b with the same name, or -1. O(members). */
void         iwb_json_tree_match_members (IwbJsonTree    *ta,
                                          guint32         a,
                                          IwbJsonTree    *tb,
                                          guint32         b,
                                          gint32         *a_to_b);

/* The child of object @index whose member name is @key, or -1. */
gint64       iwb_json_tree_member     (IwbJsonTree       *tree,
                                       guint32            index,
                                       guint32            key);

static inline const char *
iwb_json_tree_string (IwbJsonTree *tree,
                      guint32      index)
{
  return tree->text + tree->nodes[index].v.off;
}

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Structural JSON diff: see iwb-json-diff.h for the rules.
 *
 * Complexity: objects are walked once; keyed lists cost O(n log n) (hash
 * matching, longest increasing subsequence for the moves, a Fenwick tree for
 * the patch indices of the moves); other lists are interned to integers,
 * trimmed of their common prefix and suffix and aligned by Myers' linear-space
 * algorithm (O((n + m) D) time, O(n + m) memory) with a cost cap beyond which
 * the alignment is still valid but not guaranteed minimal.
 *
 * Patch order. Each change owns exactly one RFC 6902 operation and a sequence
 * number; iwb_json_diff_to_patch() sorts by it. At every list, the
 * operations of that list (removes, moves, adds) come before the changes
 * inside its items, and those use the item's index in the NEW list, so each
 * pointer is valid at the moment its operation is applied.
 */
#include "config.h"

#include <string.h>

#include "iwb-json-diff.h"
#include "iwb-json.h"

struct _IwbJsonChange
{
  GObject            parent_instance;

  IwbJsonChangeKind  kind;
  char              *path;
  GArray            *segments;   /* IwbJsonSegment, strings owned */
  JsonNode          *old_value;
  JsonNode          *new_value;
  int                from_index;
  int                to_index;

  guint              seq;        /* position in the patch */
  const char        *op;         /* "add", "remove", "replace", "move" */
  char              *op_path;
  char              *op_from;
  JsonNode          *patch_op;   /* built on demand */
};

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
 *   MOVED), a node of the old document: do not modify it.
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

/* ------------------------------------------------------------------------ */
/* Equality and hashing                                                      */

/* A hash for interning list items: containers below @depth levels only
 * contribute their type and size, so hashing a list costs about its own size,
 * not the size of everything under it (equal hashes are confirmed with
 * iwb_json_equal()). */
static guint
json_hash (JsonNode *node,
           int       depth)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      return 0x51ed270bu;

    case JSON_NODE_VALUE:
      {
        GType t = json_node_get_value_type (node);

        if (t == G_TYPE_INT64)
          {
            gint64 v = json_node_get_int (node);
            return g_int64_hash (&v) ^ 0x1000193u;
          }
        if (t == G_TYPE_DOUBLE)
          {
            double d = json_node_get_double (node);
            if (d == 0.0)
              d = 0.0; /* -0.0 equals 0.0 */
            return g_double_hash (&d) ^ 0x2000193u;
          }
        if (t == G_TYPE_BOOLEAN)
          return json_node_get_boolean (node) ? 0x3a8f05c5u : 0x4b9f16d6u;
        if (t == G_TYPE_STRING)
          return g_str_hash (json_node_get_string (node));
        return 0;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *arr = json_node_get_array (node);
        guint n = json_array_get_length (arr);
        guint h = 0x9e3779b9u + n;

        if (depth <= 0)
          return h;
        for (guint i = 0; i < n; i++)
          h = h * 31u + json_hash (json_array_get_element (arr, i), depth - 1);
        return h;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        guint h = 0x85ebca6bu + json_object_get_size (json_node_get_object (node));

        if (depth <= 0)
          return h;
        /* Order-independent: a sum of per-member hashes. */
        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          h += (g_str_hash (name) * 1000003u) ^ json_hash (member, depth - 1);
        return h;
      }

    default:
      return 0;
    }
}

static guint
json_hash_func (gconstpointer key)
{
  return json_hash ((JsonNode *) key, 1);
}

static gboolean
json_equal_func (gconstpointer a,
                 gconstpointer b)
{
  return iwb_json_equal ((JsonNode *) a, (JsonNode *) b);
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

/* The key as text for paths. */
static char *
key_to_text (JsonNode *node)
{
  if (node == NULL)
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
}

/* ------------------------------------------------------------------------ */
/* The walk                                                                  */

typedef struct
{
  IwbJsonSegmentKind  kind;
  const char         *name;       /* borrowed */
  JsonNode           *key_value;  /* borrowed: the key's value node */
  int                 old_index;
  int                 new_index;
  int                 patch_index; /* the index this item has when its inner ops run */
} Frame;

typedef struct
{
  GPtrArray *changes;
  GArray    *frames;
  guint      seq;
  guint      depth;  /* of the walk: bounded, whatever built the trees */
} DiffCtx;

static void diff_node (DiffCtx  *ctx,
                       JsonNode *a,
                       JsonNode *b);

static void
push_member (DiffCtx    *ctx,
             const char *name)
{
  Frame f = { IWB_JSON_SEGMENT_MEMBER, name, NULL, -1, -1, -1 };
  g_array_append_val (ctx->frames, f);
}

static void
push_item (DiffCtx            *ctx,
           IwbJsonSegmentKind  kind,
           const char         *key_name,
           JsonNode           *key_value,
           int                 old_index,
           int                 new_index,
           int                 patch_index)
{
  Frame f = { kind, key_name, key_value, old_index, new_index, patch_index };
  g_array_append_val (ctx->frames, f);
}

static void
pop_frame (DiffCtx *ctx)
{
  g_array_set_size (ctx->frames, ctx->frames->len - 1);
}

static gboolean
is_identifier (const char *s)
{
  if (!(g_ascii_isalpha (*s) || *s == '_'))
    return FALSE;
  for (; *s; s++)
    if (!(g_ascii_isalnum (*s) || *s == '_' || *s == '-'))
      return FALSE;
  return TRUE;
}

static void
append_quoted (GString    *str,
               const char *s)
{
  JsonNode *node = json_node_init_string (json_node_alloc (), s);
  g_autofree char *text = iwb_json_to_string (node, FALSE);

  g_string_append (str, text);
  json_node_unref (node);
}

static char *
frames_to_path (GArray *frames)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < frames->len; i++)
    {
      const Frame *f = &g_array_index (frames, Frame, i);

      switch (f->kind)
        {
        case IWB_JSON_SEGMENT_MEMBER:
          if (is_identifier (f->name))
            g_string_append_printf (str, "%s%s", str->len > 0 ? "." : "", f->name);
          else
            {
              g_string_append_c (str, '[');
              append_quoted (str, f->name);
              g_string_append_c (str, ']');
            }
          break;

        case IWB_JSON_SEGMENT_INDEX:
          g_string_append_printf (str, "[%d]", f->new_index >= 0 ? f->new_index : f->old_index);
          break;

        case IWB_JSON_SEGMENT_KEYED:
          {
            g_autofree char *text = key_to_text (f->key_value);

            g_string_append_printf (str, "[%s=", f->name);
            if (strpbrk (text, "[]=\" \t\n") != NULL || *text == '\0')
              append_quoted (str, text);
            else
              g_string_append (str, text);
            g_string_append_c (str, ']');
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }
  return g_string_free (str, FALSE);
}

/* The patch pointer: each list frame contributes its patch_index, the last
 * one @last_index when >= 0. */
static char *
frames_to_patch_pointer (GArray *frames,
                         int     last_index)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < frames->len; i++)
    {
      const Frame *f = &g_array_index (frames, Frame, i);

      if (f->kind == IWB_JSON_SEGMENT_MEMBER)
        {
          g_autofree char *token = iwb_json_pointer_escape (f->name);
          g_string_append_printf (str, "/%s", token);
        }
      else
        g_string_append_printf (str, "/%d",
                                (i + 1 == frames->len && last_index >= 0) ? last_index
                                                                           : f->patch_index);
    }
  return g_string_free (str, FALSE);
}

/* Emits one change at the current frames. @op_index / @op_from_index: the
 * list indices of a remove/add/move operation at the last frame (else -1). */
static IwbJsonChange *
emit (DiffCtx           *ctx,
      IwbJsonChangeKind  kind,
      JsonNode          *old_value,
      JsonNode          *new_value,
      guint              seq,
      const char        *op,
      int                op_index,
      int                op_from_index)
{
  IwbJsonChange *change = g_object_new (IWB_TYPE_JSON_CHANGE, NULL);

  change->kind = kind;
  change->seq = seq;
  change->op = op;
  change->path = frames_to_path (ctx->frames);
  if (old_value != NULL)
    change->old_value = json_node_ref (old_value);
  if (new_value != NULL)
    change->new_value = json_node_ref (new_value);

  g_array_set_size (change->segments, ctx->frames->len);
  for (guint i = 0; i < ctx->frames->len; i++)
    {
      const Frame *f = &g_array_index (ctx->frames, Frame, i);
      IwbJsonSegment *seg = &g_array_index (change->segments, IwbJsonSegment, i);

      seg->kind = f->kind;
      seg->name = g_strdup (f->name);
      seg->key_value = key_to_text (f->key_value);
      seg->old_index = f->old_index;
      seg->new_index = f->new_index;
    }

  if (ctx->frames->len > 0)
    {
      const Frame *last = &g_array_index (ctx->frames, Frame, ctx->frames->len - 1);

      if (last->kind != IWB_JSON_SEGMENT_MEMBER)
        {
          if (kind == IWB_JSON_CHANGE_MOVED || kind == IWB_JSON_CHANGE_REMOVED)
            change->from_index = last->old_index;
          if (kind == IWB_JSON_CHANGE_MOVED || kind == IWB_JSON_CHANGE_ADDED)
            change->to_index = last->new_index;
        }
    }

  change->op_path = frames_to_patch_pointer (ctx->frames, op_index);
  if (op_from_index >= 0)
    change->op_from = frames_to_patch_pointer (ctx->frames, op_from_index);

  g_ptr_array_add (ctx->changes, change);
  return change;
}

/* Objects: key by key, in the old document's order, then the new keys. */
static void
diff_object (DiffCtx    *ctx,
             JsonObject *oa,
             JsonObject *ob)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  guint n_common = 0;

  /* Most objects are unchanged: a cheap unordered check first (one hash
   * lookup per member; the ordered walk below costs two). */
  if (json_object_get_size (oa) == json_object_get_size (ob))
    {
      gboolean equal = TRUE;

      json_object_iter_init (&iter, oa);
      while (equal && json_object_iter_next (&iter, &name, &member))
        equal = iwb_json_equal (member, json_object_get_member (ob, name));
      if (equal)
        return;
    }

  json_object_iter_init_ordered (&iter, oa);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      JsonNode *other = json_object_get_member (ob, name);

      if (other != NULL)
        n_common++;

      push_member (ctx, name);
      if (other == NULL)
        emit (ctx, IWB_JSON_CHANGE_REMOVED, member, NULL, ctx->seq++, "remove", -1, -1);
      else
        diff_node (ctx, member, other);
      pop_frame (ctx);
    }

  if (n_common == json_object_get_size (ob))
    return; /* nothing added */

  json_object_iter_init_ordered (&iter, ob);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (json_object_has_member (oa, name))
        continue;
      push_member (ctx, name);
      emit (ctx, IWB_JSON_CHANGE_ADDED, NULL, member, ctx->seq++, "add", -1, -1);
      pop_frame (ctx);
    }
}

/* ---- keyed lists ---- */

/* The key's value node of a list item, or NULL when it has no usable key
 * (a string or an integer). */
static JsonNode *
key_node (JsonNode   *item,
          const char *key)
{
  JsonNode *value;
  GType type;

  if (!JSON_NODE_HOLDS_OBJECT (item))
    return NULL;
  value = json_object_get_member (json_node_get_object (item), key);
  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value))
    return NULL;
  type = json_node_get_value_type (value);
  if (type != G_TYPE_STRING && type != G_TYPE_INT64)
    return NULL;
  return value;
}

/* Key identity: type and value, so "5" and 5 differ. */
static guint
key_hash (gconstpointer p)
{
  JsonNode *node = (JsonNode *) p;

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_str_hash (json_node_get_string (node));
  else
    {
      gint64 v = json_node_get_int (node);
      return g_int64_hash (&v) ^ 0x5bd1e995u;
    }
}

static gboolean
key_equal (gconstpointer a,
           gconstpointer b)
{
  return iwb_json_equal ((JsonNode *) a, (JsonNode *) b);
}

typedef struct
{
  guint       n;
  JsonNode  **keys;   /* key value per item (borrowed) */
  GHashTable *index;  /* key node -> index + 1 */
} KeyedSide;

static void
keyed_side_clear (KeyedSide *side)
{
  g_free (side->keys);
  g_clear_pointer (&side->index, g_hash_table_unref);
}

static gboolean
keyed_side_init (KeyedSide  *side,
                 JsonArray  *arr,
                 const char *key)
{
  side->n = json_array_get_length (arr);
  side->keys = g_new0 (JsonNode *, side->n + 1);

  /* Cheap rejection before building the index. */
  for (guint i = 0; i < side->n; i++)
    if ((side->keys[i] = key_node (json_array_get_element (arr, i), key)) == NULL)
      return FALSE;

  side->index = g_hash_table_new (key_hash, key_equal);
  for (guint i = 0; i < side->n; i++)
    if (!g_hash_table_insert (side->index, side->keys[i], GUINT_TO_POINTER (i + 1)))
      return FALSE; /* duplicate key: not a keyed list */
  return TRUE;
}

/* Longest increasing subsequence of seq[0..n): sets keep[i] for its members. */
static void
mark_lis (const int *seq,
          guint      n,
          gboolean  *keep)
{
  g_autofree int *tails = g_new (int, n + 1);  /* index into seq of the tail of length l+1 */
  g_autofree int *prev = g_new (int, n);
  guint len = 0;
  int k;

  for (guint i = 0; i < n; i++)
    {
      guint lo = 0, hi = len;

      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;
          if (seq[tails[mid]] < seq[i])
            lo = mid + 1;
          else
            hi = mid;
        }
      prev[i] = lo > 0 ? tails[lo - 1] : -1;
      tails[lo] = i;
      if (lo == len)
        len++;
      keep[i] = FALSE;
    }

  for (k = len > 0 ? tails[len - 1] : -1; k >= 0; k = prev[k])
    keep[k] = TRUE;
}

/* Fenwick tree over label ranks: how many items sit before a label. */
typedef struct
{
  guint  n;
  int   *tree;
} Fenwick;

static void
fenwick_add (Fenwick *fw,
             guint    pos,
             int      delta)
{
  for (guint i = pos + 1; i <= fw->n; i += i & (-i))
    fw->tree[i] += delta;
}

static int
fenwick_prefix (Fenwick *fw,
                guint    pos) /* sum over [0, pos) */
{
  int sum = 0;

  for (guint i = pos; i > 0; i -= i & (-i))
    sum += fw->tree[i];
  return sum;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static guint
label_rank (const gint64 *labels,
            guint         n,
            gint64        label)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (labels[mid] < label)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
diff_keyed_list (DiffCtx    *ctx,
                 JsonArray  *aa,
                 JsonArray  *ab,
                 const char *key,
                 KeyedSide  *sa,
                 KeyedSide  *sb)
{
  guint n = sa->n, m = sb->n, c = 0;
  g_autofree int *a_in_b = g_new (int, n);
  g_autofree int *b_in_a = g_new (int, m);
  g_autofree int *common_b = NULL;      /* B index of the k-th common item in A order */
  g_autofree int *rank_of_a = g_new (int, n); /* A index -> common rank, -1 removed */
  g_autofree gboolean *stable = NULL;
  g_autofree guint *seq_remove = g_new0 (guint, n);
  g_autofree guint *seq_move = g_new0 (guint, n);
  g_autofree int *move_from = g_new (int, n);
  g_autofree int *move_to = g_new (int, n);
  g_autofree guint *seq_add = g_new0 (guint, m);

  for (guint i = 0; i < n; i++)
    {
      gpointer hit = g_hash_table_lookup (sb->index, sa->keys[i]);
      a_in_b[i] = hit ? (int) GPOINTER_TO_UINT (hit) - 1 : -1;
      rank_of_a[i] = a_in_b[i] >= 0 ? (int) c++ : -1;
    }
  for (guint j = 0; j < m; j++)
    {
      gpointer hit = g_hash_table_lookup (sa->index, sb->keys[j]);
      b_in_a[j] = hit ? (int) GPOINTER_TO_UINT (hit) - 1 : -1;
    }

  common_b = g_new (int, c + 1);
  stable = g_new (gboolean, c + 1);
  for (guint i = 0; i < n; i++)
    if (a_in_b[i] >= 0)
      common_b[rank_of_a[i]] = a_in_b[i];
  mark_lis (common_b, c, stable);

  /* Patch operations of this list, in patch order. 1. removes, last first. */
  for (guint i = n; i-- > 0;)
    if (a_in_b[i] < 0)
      seq_remove[i] = ctx->seq++;

  /* 2. moves. After the removes the list holds the common items in A order.
   * Every item gets an order label: a stable item (k + 1) * (c + 1) where k
   * is its rank; a moved one goes right after the nearest stable item before
   * it in B order (or the front): (anchor + 1) * (c + 1) + r, r = 1, 2, …
   * Sorting by label gives the B order; a Fenwick tree over the label ranks
   * gives each move's current and target index. */
  if (c > 0)
    {
      g_autofree gint64 *labels = g_new (gint64, 2 * c);
      g_autofree gint64 *new_label = g_new (gint64, n);
      guint n_labels = 0, n_moves = 0;
      gint64 anchor = -1, r = 0;
      Fenwick fw;

      for (guint k = 0; k < c; k++)
        labels[n_labels++] = ((gint64) k + 1) * ((gint64) c + 1);

      for (guint j = 0; j < m; j++)
        {
          int i = b_in_a[j];
          int k;

          if (i < 0)
            continue;
          k = rank_of_a[i];
          if (stable[k])
            {
              anchor = k;
              r = 0;
            }
          else
            {
              r++;
              new_label[i] = (anchor + 1) * ((gint64) c + 1) + r;
              labels[n_labels++] = new_label[i];
              n_moves++;
            }
        }

      if (n_moves > 0)
        {
          qsort (labels, n_labels, sizeof (gint64), compare_gint64);
          fw.n = n_labels;
          fw.tree = g_new0 (int, n_labels + 1);
          for (guint k = 0; k < c; k++)
            fenwick_add (&fw, label_rank (labels, n_labels, ((gint64) k + 1) * ((gint64) c + 1)), 1);

          for (guint j = 0; j < m; j++)
            {
              int i = b_in_a[j];
              guint from_rank, to_rank;

              if (i < 0 || stable[rank_of_a[i]])
                continue;
              from_rank = label_rank (labels, n_labels,
                                      ((gint64) rank_of_a[i] + 1) * ((gint64) c + 1));
              move_from[i] = fenwick_prefix (&fw, from_rank);
              fenwick_add (&fw, from_rank, -1);
              to_rank = label_rank (labels, n_labels, new_label[i]);
              move_to[i] = fenwick_prefix (&fw, to_rank);
              fenwick_add (&fw, to_rank, 1);
              seq_move[i] = ctx->seq++;
            }
          g_free (fw.tree);
        }
    }

  /* 3. adds, in B order, at their B index. */
  for (guint j = 0; j < m; j++)
    if (b_in_a[j] < 0)
      seq_add[j] = ctx->seq++;

  /* Changes in reading order: removed items, then the new list's items. The
   * changes inside items get sequence numbers after all of the above. */
  for (guint i = 0; i < n; i++)
    {
      if (a_in_b[i] >= 0)
        continue;
      push_item (ctx, IWB_JSON_SEGMENT_KEYED, key, sa->keys[i], i, -1, i);
      emit (ctx, IWB_JSON_CHANGE_REMOVED, json_array_get_element (aa, i), NULL,
            seq_remove[i], "remove", i, -1);
      pop_frame (ctx);
    }

  for (guint j = 0; j < m; j++)
    {
      int i = b_in_a[j];

      if (i < 0)
        {
          push_item (ctx, IWB_JSON_SEGMENT_KEYED, key, sb->keys[j], -1, j, j);
          emit (ctx, IWB_JSON_CHANGE_ADDED, NULL, json_array_get_element (ab, j),
                seq_add[j], "add", j, -1);
          pop_frame (ctx);
          continue;
        }

      push_item (ctx, IWB_JSON_SEGMENT_KEYED, key, sb->keys[j], i, j, j);
      if (!stable[rank_of_a[i]])
        emit (ctx, IWB_JSON_CHANGE_MOVED, json_array_get_element (aa, i),
              json_array_get_element (ab, j), seq_move[i], "move", move_to[i], move_from[i]);
      diff_node (ctx, json_array_get_element (aa, i), json_array_get_element (ab, j));
      pop_frame (ctx);
    }
}

/* ---- other lists: LCS alignment ---- */

typedef struct
{
  const int *a;
  const int *b;
  int       *vf;     /* forward furthest x per diagonal, offset by voff */
  int       *vb;     /* backward smallest x per diagonal, offset by voff */
  int        voff;
  int        max_cost;
  GArray    *matches; /* pairs (i, j), ascending */
} Aligner;

typedef struct
{
  int i;
  int j;
} Match;

/* Finds a point (xmid, ymid) on an edit path from (xoff, yoff) to (xlim, ylim)
 * through the middle; when the edit distance exceeds the cost cap, the
 * furthest-reaching forward point instead (still a valid path, maybe not
 * minimal). Both sequences are non-empty, first and last items differ. */
static void
find_split (Aligner *al,
            int      xoff,
            int      xlim,
            int      yoff,
            int      ylim,
            int     *xmid,
            int     *ymid)
{
  const int *a = al->a, *b = al->b;
  int *vf = al->vf + al->voff, *vb = al->vb + al->voff;
  int dmin = xoff - ylim, dmax = xlim - yoff;       /* diagonal range k = x - y */
  int fmid = xoff - yoff, bmid = xlim - ylim;       /* start diagonals */
  int fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
  gboolean odd = ((fmid - bmid) & 1) != 0;

  vf[fmid] = xoff;
  vb[bmid] = xlim;

  for (int cost = 1;; cost++)
    {
      /* Forward: extend every diagonal by one edit, then follow the snake. */
      if (fmin > dmin)
        vf[--fmin - 1] = -1;
      else
        fmin++;
      if (fmax < dmax)
        vf[++fmax + 1] = -1;
      else
        fmax--;
      for (int d = fmax; d >= fmin; d -= 2)
        {
          int lo = vf[d - 1], hi = vf[d + 1];
          int x = lo >= hi ? lo + 1 : hi;
          int y = x - d;

          while (x < xlim && y < ylim && a[x] == b[y])
            x++, y++;
          vf[d] = x;
          if (odd && bmin <= d && d <= bmax && vb[d] <= x)
            {
              *xmid = x;
              *ymid = y;
              return;
            }
        }

      /* Backward. */
      if (bmin > dmin)
        vb[--bmin - 1] = G_MAXINT;
      else
        bmin++;
      if (bmax < dmax)
        vb[++bmax + 1] = G_MAXINT;
      else
        bmax--;
      for (int d = bmax; d >= bmin; d -= 2)
        {
          int lo = vb[d - 1], hi = vb[d + 1];
          int x = lo < hi ? lo : hi - 1;
          int y = x - d;

          while (x > xoff && y > yoff && a[x - 1] == b[y - 1])
            x--, y--;
          vb[d] = x;
          if (!odd && fmin <= d && d <= fmax && x <= vf[d])
            {
              *xmid = x;
              *ymid = y;
              return;
            }
        }

      if (cost >= al->max_cost)
        {
          /* Too expensive: the forward point that got furthest. */
          int best = -1;

          for (int d = fmax; d >= fmin; d -= 2)
            {
              int x = MIN (vf[d], xlim), y = x - d;

              if (y > ylim)
                {
                  y = ylim;
                  x = y + d;
                }
              if (x + y > best && (x > xoff || y > yoff) && (x < xlim || y < ylim))
                {
                  best = x + y;
                  *xmid = x;
                  *ymid = y;
                }
            }
          if (best >= 0)
            return;
        }
    }
}

static void
align (Aligner *al,
       int      xoff,
       int      xlim,
       int      yoff,
       int      ylim)
{
  const int *a = al->a, *b = al->b;
  guint suffix_start;
  int n_suffix = 0;
  int xmid, ymid;

  while (xoff < xlim && yoff < ylim && a[xoff] == b[yoff])
    {
      Match mt = { xoff++, yoff++ };
      g_array_append_val (al->matches, mt);
    }
  while (xlim > xoff && ylim > yoff && a[xlim - 1] == b[ylim - 1])
    xlim--, ylim--, n_suffix++;

  if (xoff < xlim && yoff < ylim)
    {
      find_split (al, xoff, xlim, yoff, ylim, &xmid, &ymid);
      align (al, xoff, xmid, yoff, ymid);
      align (al, xmid, xlim, ymid, ylim);
    }

  suffix_start = al->matches->len;
  g_array_set_size (al->matches, suffix_start + n_suffix);
  for (int s = 0; s < n_suffix; s++)
    {
      Match *mt = &g_array_index (al->matches, Match, suffix_start + s);
      mt->i = xlim + s;
      mt->j = ylim + s;
    }
}

static void
diff_lcs_list (DiffCtx   *ctx,
               JsonArray *aa,
               JsonArray *ab)
{
  int n = json_array_get_length (aa), m = json_array_get_length (ab);
  g_autoptr(GHashTable) interned = g_hash_table_new (json_hash_func, json_equal_func);
  g_autofree int *ia = g_new (int, n + 1);
  g_autofree int *ib = g_new (int, m + 1);
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (Match));
  int prev_i = 0, prev_j = 0;

  for (int i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (aa, i);
      gpointer id;

      if (!g_hash_table_lookup_extended (interned, e, NULL, &id))
        {
          id = GINT_TO_POINTER (g_hash_table_size (interned));
          g_hash_table_insert (interned, e, id);
        }
      ia[i] = GPOINTER_TO_INT (id);
    }
  for (int j = 0; j < m; j++)
    {
      JsonNode *e = json_array_get_element (ab, j);
      gpointer id;

      if (!g_hash_table_lookup_extended (interned, e, NULL, &id))
        {
          id = GINT_TO_POINTER (g_hash_table_size (interned));
          g_hash_table_insert (interned, e, id);
        }
      ib[j] = GPOINTER_TO_INT (id);
    }

  if (n > 0 && m > 0)
    {
      Aligner al = { 0 };
      int size = n + m + 3;

      al.a = ia;
      al.b = ib;
      al.voff = m + 1;
      al.vf = g_new (int, size);
      al.vb = g_new (int, size);
      /* Keeps the work near 2e7 steps on huge, very different lists. */
      al.max_cost = MAX (256, 20000000 / (n + m));
      al.matches = matches;
      align (&al, 0, n, 0, m);
      g_free (al.vf);
      g_free (al.vb);
    }

  /* Walk the gaps between matches: pair by position, then remove / add. */
  for (guint g = 0; g <= matches->len; g++)
    {
      int mi = g < matches->len ? g_array_index (matches, Match, g).i : n;
      int mj = g < matches->len ? g_array_index (matches, Match, g).j : m;
      int p = mi - prev_i, q = mj - prev_j;
      int paired = MIN (p, q);

      for (int k = 0; k < paired; k++)
        {
          push_item (ctx, IWB_JSON_SEGMENT_INDEX, NULL, NULL, prev_i + k, prev_j + k, prev_j + k);
          diff_node (ctx, json_array_get_element (aa, prev_i + k),
                     json_array_get_element (ab, prev_j + k));
          pop_frame (ctx);
        }
      for (int k = paired; k < p; k++)
        {
          push_item (ctx, IWB_JSON_SEGMENT_INDEX, NULL, NULL, prev_i + k, -1, prev_j + paired);
          emit (ctx, IWB_JSON_CHANGE_REMOVED, json_array_get_element (aa, prev_i + k), NULL,
                ctx->seq++, "remove", prev_j + paired, -1);
          pop_frame (ctx);
        }
      for (int k = paired; k < q; k++)
        {
          push_item (ctx, IWB_JSON_SEGMENT_INDEX, NULL, NULL, -1, prev_j + k, prev_j + k);
          emit (ctx, IWB_JSON_CHANGE_ADDED, NULL, json_array_get_element (ab, prev_j + k),
                ctx->seq++, "add", prev_j + k, -1);
          pop_frame (ctx);
        }
      prev_i = mi + 1;
      prev_j = mj + 1;
    }
}

static void
diff_array (DiffCtx   *ctx,
            JsonArray *aa,
            JsonArray *ab)
{
  static const char * const keys[] = { "id", "entrypoint" };

  guint n = json_array_get_length (aa);

  if (n == json_array_get_length (ab))
    {
      /* Fast path for the common case of an unchanged list. */
      guint i = 0;

      while (i < n && iwb_json_equal (json_array_get_element (aa, i), json_array_get_element (ab, i)))
        i++;
      if (i == n)
        return;
    }

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      KeyedSide sa = { 0 }, sb = { 0 };
      gboolean ok = keyed_side_init (&sa, aa, keys[k]) && keyed_side_init (&sb, ab, keys[k]);

      if (ok)
        diff_keyed_list (ctx, aa, ab, keys[k], &sa, &sb);
      keyed_side_clear (&sa);
      keyed_side_clear (&sb);
      if (ok)
        return;
    }

  diff_lcs_list (ctx, aa, ab);
}

static void
diff_node (DiffCtx  *ctx,
           JsonNode *a,
           JsonNode *b)
{
  JsonNodeType ta = json_node_get_node_type (a);

  /* Parsed documents are never deeper than IWB_JSON_MAX_DEPTH; a tree built
   * otherwise is compared as a whole below that, without recursion. */
  if (ta == JSON_NODE_VALUE || ta != json_node_get_node_type (b) ||
      ctx->depth >= IWB_JSON_MAX_DEPTH)
    {
      if (!iwb_json_equal (a, b))
        emit (ctx, IWB_JSON_CHANGE_CHANGED, a, b, ctx->seq++, "replace", -1, -1);
      return;
    }

  ctx->depth++;
  switch (ta)
    {
    case JSON_NODE_OBJECT:
      diff_object (ctx, json_node_get_object (a), json_node_get_object (b));
      break;

    case JSON_NODE_ARRAY:
      diff_array (ctx, json_node_get_array (a), json_node_get_array (b));
      break;

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      break;
    }
  ctx->depth--;
}

/**
 * iwb_json_diff:
 * @old_node: the old document
 * @new_node: the new document
 *
 * Returns: (transfer full) (element-type IwbJsonChange): the changes in
 *   reading order; empty when the documents are equal. The changes keep
 *   references to nodes of both documents: do not modify them afterwards.
 */
GPtrArray *
iwb_json_diff (JsonNode *old_node,
               JsonNode *new_node)
{
  DiffCtx ctx = { 0 };
  g_autoptr(JsonNode) null_a = NULL;
  g_autoptr(JsonNode) null_b = NULL;

  if (old_node == NULL)
    old_node = null_a = json_node_new (JSON_NODE_NULL);
  if (new_node == NULL)
    new_node = null_b = json_node_new (JSON_NODE_NULL);

  ctx.changes = g_ptr_array_new_with_free_func (g_object_unref);
  ctx.frames = g_array_new (FALSE, FALSE, sizeof (Frame));
  diff_node (&ctx, old_node, new_node);
  g_array_unref (ctx.frames);
  return ctx.changes;
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
          g_string_append_printf (out, "%s@@ %s (moved from %d to %d)%s\n",
                                  c_head, path, ch->from_index, ch->to_index, c_off);
          break;

        case IWB_JSON_CHANGE_ADDED:
          g_string_append_printf (out, "%s@@ %s (added)%s\n", c_head, path, c_off);
          append_value_lines (out, '+', ch->new_value, c_add, c_off);
          break;

        case IWB_JSON_CHANGE_REMOVED:
          g_string_append_printf (out, "%s@@ %s (removed)%s\n", c_head, path, c_off);
          append_value_lines (out, '-', ch->old_value, c_del, c_off);
          break;

        case IWB_JSON_CHANGE_CHANGED:
        default:
          g_string_append_printf (out, "%s@@ %s (changed)%s\n", c_head, path, c_off);
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

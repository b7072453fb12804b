/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The structural diff's walk over two compact trees (iwb-json-tree.h): see
 * iwb-json-diff.h for the rules and iwb-json-diff.c for the change objects
 * and outputs.
 *
 * Complexity: objects are matched member by member through interned key
 * ids (O(members)); keyed lists cost O(n log n) (hash matching, a longest
 * increasing subsequence for the moves, a Fenwick tree for the patch indices
 * of the moves); other lists are interned to integers, trimmed of their
 * common prefix and suffix and aligned by Myers' linear-space algorithm
 * (O((n + m) D) time, O(n + m) memory) with a cost cap beyond which the
 * alignment is still valid but not guaranteed minimal. JsonNodes are made
 * only for the values of the changes.
 *
 * Patch order. Each change owns exactly one RFC 6902 operation and a sequence
 * number; iwb_json_diff_to_patch() sorts by it. At every list, the
 * operations of that list (removes, moves, adds) come before the changes
 * inside its items, and those use the item's index in the NEW list, so each
 * pointer is valid at the moment its operation is applied.
 *
 * The walk recurses once per level of nesting, at most IWB_JSON_MAX_DEPTH
 * levels (parsed trees are never deeper; deeper values of trees built from
 * other JsonNodes are compared as a whole).
 */
#include "config.h"

#include <string.h>

#include "iwb-json-diff-align.h"
#include "iwb-json-diff-private.h"

#define NONE G_MAXUINT32
#define CHILD(t, index, k) ((t)->nodes[index].v.off + (k))
#define KIND(t, index) IWB_JSON_TREE_KIND (&(t)->nodes[index])

/* A key's value: an item's "id" or "entrypoint" (a string or an integer). */
typedef struct
{
  IwbJsonTree *tree;
  guint32      index;
} KeyRef;

/* The key as text for paths. */
static char *
key_to_text (const KeyRef *key)
{
  IwbJsonTreeNode *n;

  if (key == NULL)
    return NULL;
  n = &key->tree->nodes[key->index];
  if (IWB_JSON_TREE_KIND (n) == IWB_JSON_TREE_STRING)
    return g_strndup (iwb_json_tree_string (key->tree, key->index), n->len);
  return g_strdup_printf ("%" G_GINT64_FORMAT, n->v.i);
}

/* ------------------------------------------------------------------------ */
/* The walk                                                                  */

typedef struct
{
  IwbJsonSegmentKind  kind;
  const char         *name;       /* borrowed */
  const KeyRef       *key_value;  /* borrowed: the key's value */
  int                 old_index;
  int                 new_index;
  int                 patch_index; /* the index this item has when its inner ops run */
} Frame;

typedef struct
{
  IwbJsonTree *ta;
  IwbJsonTree *tb;
  GPtrArray   *changes;
  GArray      *frames;
  guint        seq;
  guint        depth;  /* of the walk, bounded */
} DiffCtx;

static void diff_node (DiffCtx *ctx,
                       guint32  a,
                       guint32  b);

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
           const KeyRef       *key_value,
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
  iwb_json_write_string (str, s, -1);
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

/* Emits one change at the current frames. @a / @b: the values (NONE when
 * absent); @op_index / @op_from_index: the list indices of a
 * remove/add/move operation at the last frame (else -1). */
static void
emit (DiffCtx           *ctx,
      IwbJsonChangeKind  kind,
      guint32            a,
      guint32            b,
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
  if (a != NONE)
    change->old_value = iwb_json_tree_to_node (ctx->ta, a);
  if (b != NONE)
    change->new_value = iwb_json_tree_to_node (ctx->tb, b);

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
}

/* Objects: key by key, in the old document's order, then the new keys. */
static void
diff_object (DiffCtx *ctx,
             guint32  a,
             guint32  b)
{
  IwbJsonTree *ta = ctx->ta, *tb = ctx->tb;
  guint32 na = ta->nodes[a].len, nb = tb->nodes[b].len, n_common = 0;
  g_autofree gint32 *a_to_b = NULL;
  g_autofree guint8 *b_common = NULL;
  IwbJsonKeys *keys = ta->keys;

  /* Most objects are unchanged: one iterative check first. */
  if (iwb_json_tree_equal (ta, a, tb, b))
    return;

  a_to_b = g_new (gint32, na + 1);
  b_common = g_new0 (guint8, nb + 1);
  iwb_json_tree_match_members (ta, a, tb, b, a_to_b);

  for (guint32 i = 0; i < na; i++)
    {
      guint32 ca = CHILD (ta, a, i);

      push_member (ctx, iwb_json_keys_name (keys, IWB_JSON_TREE_KEY (&ta->nodes[ca])));
      if (a_to_b[i] < 0)
        emit (ctx, IWB_JSON_CHANGE_REMOVED, ca, NONE, ctx->seq++, "remove", -1, -1);
      else
        {
          n_common++;
          b_common[a_to_b[i]] = TRUE;
          diff_node (ctx, ca, CHILD (tb, b, a_to_b[i]));
        }
      pop_frame (ctx);
    }

  if (n_common == nb)
    return; /* nothing added */

  for (guint32 j = 0; j < nb; j++)
    {
      guint32 cb = CHILD (tb, b, j);

      if (b_common[j])
        continue;
      push_member (ctx, iwb_json_keys_name (keys, IWB_JSON_TREE_KEY (&tb->nodes[cb])));
      emit (ctx, IWB_JSON_CHANGE_ADDED, NONE, cb, ctx->seq++, "add", -1, -1);
      pop_frame (ctx);
    }
}

/* ---- keyed lists ---- */

/* The key's value of a list item, or FALSE when it has no usable key (a
 * string or an integer). */
static gboolean
key_of (IwbJsonTree *tree,
        guint32      item,
        guint32      key,
        KeyRef      *out)
{
  gint64 member = iwb_json_tree_member (tree, item, key);
  IwbJsonTreeKind kind;

  if (member < 0)
    return FALSE;
  kind = KIND (tree, member);
  if (kind != IWB_JSON_TREE_STRING && kind != IWB_JSON_TREE_INT)
    return FALSE;
  out->tree = tree;
  out->index = (guint32) member;
  return TRUE;
}

/* Key identity: type and value, so "5" and 5 differ. */
static guint
key_hash (gconstpointer p)
{
  const KeyRef *k = p;

  return iwb_json_tree_hash (k->tree, k->index);
}

static gboolean
key_equal (gconstpointer a,
           gconstpointer b)
{
  const KeyRef *x = a, *y = b;

  return iwb_json_tree_equal (x->tree, x->index, y->tree, y->index);
}

typedef struct
{
  guint       n;
  KeyRef     *keys;   /* key value per item */
  GHashTable *index;  /* KeyRef -> index + 1 */
} KeyedSide;

static void
keyed_side_clear (KeyedSide *side)
{
  g_free (side->keys);
  g_clear_pointer (&side->index, g_hash_table_unref);
}

static gboolean
keyed_side_init (KeyedSide   *side,
                 IwbJsonTree *tree,
                 guint32      arr,
                 guint32      key)
{
  side->n = tree->nodes[arr].len;
  side->keys = g_new0 (KeyRef, side->n + 1);

  /* Cheap rejection before building the index. */
  for (guint i = 0; i < side->n; i++)
    if (!key_of (tree, CHILD (tree, arr, i), key, &side->keys[i]))
      return FALSE;

  side->index = g_hash_table_new (key_hash, key_equal);
  for (guint i = 0; i < side->n; i++)
    if (!g_hash_table_insert (side->index, &side->keys[i], GUINT_TO_POINTER (i + 1)))
      return FALSE; /* duplicate key: not a keyed list */
  return TRUE;
}

static void
diff_keyed_list (DiffCtx    *ctx,
                 guint32     aa,
                 guint32     ab,
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
      gpointer hit = g_hash_table_lookup (sb->index, &sa->keys[i]);
      a_in_b[i] = hit ? (int) GPOINTER_TO_UINT (hit) - 1 : -1;
      rank_of_a[i] = a_in_b[i] >= 0 ? (int) c++ : -1;
    }
  for (guint j = 0; j < m; j++)
    {
      gpointer hit = g_hash_table_lookup (sa->index, &sb->keys[j]);
      b_in_a[j] = hit ? (int) GPOINTER_TO_UINT (hit) - 1 : -1;
    }

  common_b = g_new (int, c + 1);
  stable = g_new (gboolean, c + 1);
  for (guint i = 0; i < n; i++)
    if (a_in_b[i] >= 0)
      common_b[rank_of_a[i]] = a_in_b[i];
  iwb_json_mark_lis (common_b, c, stable);

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
      IwbJsonFenwick fw;

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
          qsort (labels, n_labels, sizeof (gint64), iwb_json_compare_gint64);
          fw.n = n_labels;
          fw.tree = g_new0 (int, n_labels + 1);
          for (guint k = 0; k < c; k++)
            iwb_json_fenwick_add (&fw, iwb_json_label_rank (labels, n_labels, ((gint64) k + 1) * ((gint64) c + 1)), 1);

          for (guint j = 0; j < m; j++)
            {
              int i = b_in_a[j];
              guint from_rank, to_rank;

              if (i < 0 || stable[rank_of_a[i]])
                continue;
              from_rank = iwb_json_label_rank (labels, n_labels,
                                      ((gint64) rank_of_a[i] + 1) * ((gint64) c + 1));
              move_from[i] = iwb_json_fenwick_prefix (&fw, from_rank);
              iwb_json_fenwick_add (&fw, from_rank, -1);
              to_rank = iwb_json_label_rank (labels, n_labels, new_label[i]);
              move_to[i] = iwb_json_fenwick_prefix (&fw, to_rank);
              iwb_json_fenwick_add (&fw, to_rank, 1);
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
      push_item (ctx, IWB_JSON_SEGMENT_KEYED, key, &sa->keys[i], i, -1, i);
      emit (ctx, IWB_JSON_CHANGE_REMOVED, CHILD (ctx->ta, aa, i), NONE,
            seq_remove[i], "remove", i, -1);
      pop_frame (ctx);
    }

  for (guint j = 0; j < m; j++)
    {
      int i = b_in_a[j];

      if (i < 0)
        {
          push_item (ctx, IWB_JSON_SEGMENT_KEYED, key, &sb->keys[j], -1, j, j);
          emit (ctx, IWB_JSON_CHANGE_ADDED, NONE, CHILD (ctx->tb, ab, j),
                seq_add[j], "add", j, -1);
          pop_frame (ctx);
          continue;
        }

      push_item (ctx, IWB_JSON_SEGMENT_KEYED, key, &sb->keys[j], i, j, j);
      if (!stable[rank_of_a[i]])
        emit (ctx, IWB_JSON_CHANGE_MOVED, CHILD (ctx->ta, aa, i),
              CHILD (ctx->tb, ab, j), seq_move[i], "move", move_to[i], move_from[i]);
      diff_node (ctx, CHILD (ctx->ta, aa, i), CHILD (ctx->tb, ab, j));
      pop_frame (ctx);
    }
}

/* ---- other lists: LCS alignment ---- */

typedef struct
{
  IwbJsonTree *tree;
  guint32      index;
} ItemRef;

static guint
item_hash (gconstpointer p)
{
  const ItemRef *r = p;

  return iwb_json_tree_hash (r->tree, r->index);
}

static gboolean
item_equal (gconstpointer a,
            gconstpointer b)
{
  const ItemRef *x = a, *y = b;

  return iwb_json_tree_equal (x->tree, x->index, y->tree, y->index);
}

static void
diff_lcs_list (DiffCtx *ctx,
               guint32  aa,
               guint32  ab)
{
  IwbJsonTree *ta = ctx->ta, *tb = ctx->tb;
  int n = ta->nodes[aa].len, m = tb->nodes[ab].len;
  g_autoptr(GHashTable) interned = g_hash_table_new (item_hash, item_equal);
  g_autofree ItemRef *refs = g_new (ItemRef, n + m + 1);
  g_autofree int *ia = g_new (int, n + 1);
  g_autofree int *ib = g_new (int, m + 1);
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (IwbJsonMatch));
  int prev_i = 0, prev_j = 0;

  for (int i = 0; i < n + m; i++)
    {
      ItemRef *r = &refs[i];
      gpointer id;

      r->tree = i < n ? ta : tb;
      r->index = i < n ? CHILD (ta, aa, i) : CHILD (tb, ab, i - n);
      if (!g_hash_table_lookup_extended (interned, r, NULL, &id))
        {
          id = GINT_TO_POINTER (g_hash_table_size (interned));
          g_hash_table_insert (interned, r, id);
        }
      if (i < n)
        ia[i] = GPOINTER_TO_INT (id);
      else
        ib[i - n] = GPOINTER_TO_INT (id);
    }

  iwb_json_align (ia, n, ib, m, matches);

  /* Walk the gaps between matches: pair by position, then remove / add. */
  for (guint g = 0; g <= matches->len; g++)
    {
      int mi = g < matches->len ? g_array_index (matches, IwbJsonMatch, g).i : n;
      int mj = g < matches->len ? g_array_index (matches, IwbJsonMatch, g).j : m;
      int p = mi - prev_i, q = mj - prev_j;
      int paired = MIN (p, q);

      for (int k = 0; k < paired; k++)
        {
          push_item (ctx, IWB_JSON_SEGMENT_INDEX, NULL, NULL, prev_i + k, prev_j + k, prev_j + k);
          diff_node (ctx, CHILD (ta, aa, prev_i + k), CHILD (tb, ab, prev_j + k));
          pop_frame (ctx);
        }
      for (int k = paired; k < p; k++)
        {
          push_item (ctx, IWB_JSON_SEGMENT_INDEX, NULL, NULL, prev_i + k, -1, prev_j + paired);
          emit (ctx, IWB_JSON_CHANGE_REMOVED, CHILD (ta, aa, prev_i + k), NONE,
                ctx->seq++, "remove", prev_j + paired, -1);
          pop_frame (ctx);
        }
      for (int k = paired; k < q; k++)
        {
          push_item (ctx, IWB_JSON_SEGMENT_INDEX, NULL, NULL, -1, prev_j + k, prev_j + k);
          emit (ctx, IWB_JSON_CHANGE_ADDED, NONE, CHILD (tb, ab, prev_j + k),
                ctx->seq++, "add", prev_j + k, -1);
          pop_frame (ctx);
        }
      prev_i = mi + 1;
      prev_j = mj + 1;
    }
}

static void
diff_array (DiffCtx *ctx,
            guint32  aa,
            guint32  ab)
{
  static const char * const keys[] = { "id", "entrypoint" };
  IwbJsonTree *ta = ctx->ta, *tb = ctx->tb;
  guint n = ta->nodes[aa].len;

  if (n == tb->nodes[ab].len)
    {
      /* Fast path for the common case of an unchanged list. */
      guint i = 0;

      while (i < n && iwb_json_tree_equal (ta, CHILD (ta, aa, i), tb, CHILD (tb, ab, i)))
        i++;
      if (i == n)
        return;
    }

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      guint32 key = iwb_json_keys_lookup (ta->keys, keys[k]);
      KeyedSide sa = { 0 }, sb = { 0 };
      gboolean ok = key != 0 && keyed_side_init (&sa, ta, aa, key) &&
                    keyed_side_init (&sb, tb, ab, key);

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
diff_node (DiffCtx *ctx,
           guint32  a,
           guint32  b)
{
  IwbJsonTreeKind ka = KIND (ctx->ta, a);

  /* Parsed documents are never deeper than IWB_JSON_MAX_DEPTH; a tree built
   * otherwise is compared as a whole below that, without recursion. */
  if ((ka != IWB_JSON_TREE_OBJECT && ka != IWB_JSON_TREE_ARRAY) || ka != KIND (ctx->tb, b) ||
      ctx->depth >= IWB_JSON_MAX_DEPTH)
    {
      if (!iwb_json_tree_equal (ctx->ta, a, ctx->tb, b))
        emit (ctx, IWB_JSON_CHANGE_CHANGED, a, b, ctx->seq++, "replace", -1, -1);
      return;
    }

  ctx->depth++;
  if (ka == IWB_JSON_TREE_OBJECT)
    diff_object (ctx, a, b);
  else
    diff_array (ctx, a, b);
  ctx->depth--;
}

/* The changes turning the root of @ta into the root of @tb (trees sharing
 * their keys), appended to @changes in reading order. */
void
iwb_json_diff_walk (IwbJsonTree *ta,
                    IwbJsonTree *tb,
                    GPtrArray   *changes)
{
  DiffCtx ctx = { ta, tb, changes, NULL, 0, 0 };

  ctx.frames = g_array_new (FALSE, FALSE, sizeof (Frame));
  diff_node (&ctx, 0, 0);
  g_array_unref (ctx.frames);
}

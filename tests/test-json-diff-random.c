/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Structural JSON diff on random documents (the patch round trip checked by
 * diff_checked ()), minimality of the LCS alignment and of moves, and large
 * lists.
 */
#include "config.h"

#include <string.h>

#include "iwb-core.h"
#include "test-json-diff-util.h"

/* ---- random documents ---- */

static JsonNode *random_value (GRand *rand, int depth);

static const char * const words[] = {
  "a", "b", "id", "entrypoint", "name", "x/y", "t~1", "é", "日本", "", "opt", "😀",
};

static JsonNode *
random_scalar (GRand *rand)
{
  switch (g_rand_int_range (rand, 0, 6))
    {
    case 0:
      return json_node_new (JSON_NODE_NULL);
    case 1:
      return json_node_init_boolean (json_node_alloc (), g_rand_boolean (rand));
    case 2:
      return json_node_init_int (json_node_alloc (), g_rand_int_range (rand, -3, 5));
    case 3:
      return json_node_init_double (json_node_alloc (), g_rand_int_range (rand, 0, 4) / 2.0);
    default:
      return json_node_init_string (json_node_alloc (), words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
}

static JsonNode *
random_keyed_list (GRand *rand,
                   int    depth)
{
  JsonArray *arr = json_array_new ();
  int n = g_rand_int_range (rand, 0, 8);
  const char *key = g_rand_boolean (rand) ? "id" : "entrypoint";
  JsonNode *node;

  for (int i = 0; i < n; i++)
    {
      JsonObject *obj = json_object_new ();
      g_autofree char *k = g_strdup_printf ("k%d", g_rand_int_range (rand, 0, 1000));

      json_object_set_string_member (obj, key, k);
      json_object_set_member (obj, "v", random_value (rand, depth + 1));
      if (g_rand_boolean (rand))
        json_object_set_member (obj, "w", random_scalar (rand));
      if (json_array_get_length (arr) == 0 || !g_str_has_suffix (k, "7"))
        json_array_add_object_element (arr, obj);
      else
        json_object_unref (obj);
    }
  node = json_node_init_array (json_node_alloc (), arr);
  json_array_unref (arr);
  return node;
}

static JsonNode *
random_value (GRand *rand,
              int    depth)
{
  int kind = depth >= 4 ? 0 : g_rand_int_range (rand, 0, 4);

  if (kind == 0)
    return random_scalar (rand);
  if (kind == 1)
    {
      JsonObject *obj = json_object_new ();
      int n = g_rand_int_range (rand, 0, 5);
      JsonNode *node;

      for (int i = 0; i < n; i++)
        json_object_set_member (obj, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                random_value (rand, depth + 1));
      node = json_node_init_object (json_node_alloc (), obj);
      json_object_unref (obj);
      return node;
    }
  if (kind == 2)
    return random_keyed_list (rand, depth);
  else
    {
      JsonArray *arr = json_array_new ();
      int n = g_rand_int_range (rand, 0, 8);
      JsonNode *node;

      for (int i = 0; i < n; i++)
        json_array_add_element (arr, g_rand_int_range (rand, 0, 4) == 0 ? random_value (rand, depth + 1)
                                                                         : random_scalar (rand));
      node = json_node_init_array (json_node_alloc (), arr);
      json_array_unref (arr);
      return node;
    }
}

static gboolean
has_unique_keys (JsonArray *arr,
                 const char **key_out)
{
  static const char * const keys[] = { "id", "entrypoint" };

  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      gboolean ok = json_array_get_length (arr) > 0;

      for (guint i = 0; ok && i < json_array_get_length (arr); i++)
        {
          JsonNode *e = json_array_get_element (arr, i);
          JsonNode *v;

          ok = JSON_NODE_HOLDS_OBJECT (e) &&
               (v = json_object_get_member (json_node_get_object (e), keys[k])) != NULL &&
               JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING &&
               g_hash_table_add (seen, (gpointer) json_node_get_string (v));
        }
      if (ok)
        {
          *key_out = keys[k];
          return TRUE;
        }
    }
  return FALSE;
}

/* Returns a mutated deep copy. */
static JsonNode *
mutate (GRand    *rand,
        JsonNode *node,
        int       depth)
{
  if (g_rand_int_range (rand, 0, 12) == 0)
    return random_value (rand, depth);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *src = json_node_get_object (node);
      JsonObject *dst = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;
      JsonNode *out;

      json_object_iter_init_ordered (&iter, src);
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          int r = g_rand_int_range (rand, 0, 8);

          if (r == 0 && g_strcmp0 (name, "id") != 0 && g_strcmp0 (name, "entrypoint") != 0)
            continue; /* removed */
          json_object_set_member (dst, name, r < 4 ? iwb_json_deep_copy (member)
                                                   : mutate (rand, member, depth + 1));
        }
      if (g_rand_int_range (rand, 0, 4) == 0)
        json_object_set_member (dst, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                random_value (rand, depth + 1));
      out = json_node_init_object (json_node_alloc (), dst);
      json_object_unref (dst);
      return out;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *src = json_node_get_array (node);
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      const char *key = NULL;
      gboolean keyed = has_unique_keys (src, &key);
      JsonArray *dst;
      JsonNode *out;

      for (guint i = 0; i < json_array_get_length (src); i++)
        {
          JsonNode *e = json_array_get_element (src, i);
          int r = g_rand_int_range (rand, 0, 8);

          if (r == 0)
            continue; /* removed */
          g_ptr_array_add (items, r < 5 ? iwb_json_deep_copy (e) : mutate (rand, e, depth + 1));
        }
      /* Some moves. */
      for (int s = g_rand_int_range (rand, 0, 3); s > 0 && items->len > 1; s--)
        {
          guint from = g_rand_int_range (rand, 0, items->len);
          guint to = g_rand_int_range (rand, 0, items->len);
          gpointer tmp = items->pdata[from];

          g_ptr_array_steal_index (items, from);
          g_ptr_array_insert (items, to, tmp);
        }
      /* Some inserts: keyed items with fresh keys keep the list keyed. */
      for (int s = g_rand_int_range (rand, 0, 3); s > 0; s--)
        {
          JsonNode *e;

          if (keyed)
            {
              JsonObject *obj = json_object_new ();
              g_autofree char *k = g_strdup_printf ("new%d", g_rand_int_range (rand, 0, 1 << 30));

              json_object_set_string_member (obj, key, k);
              json_object_set_member (obj, "v", random_scalar (rand));
              e = json_node_init_object (json_node_alloc (), obj);
              json_object_unref (obj);
            }
          else
            e = g_rand_boolean (rand) ? random_scalar (rand) : random_value (rand, depth + 1);
          g_ptr_array_insert (items, g_rand_int_range (rand, 0, items->len + 1), e);
        }

      dst = json_array_new ();
      for (guint i = 0; i < items->len; i++)
        json_array_add_element (dst, json_node_ref (items->pdata[i]));
      out = json_node_init_array (json_node_alloc (), dst);
      json_array_unref (dst);
      return out;
    }

  if (g_rand_int_range (rand, 0, 3) == 0)
    return random_scalar (rand);
  return iwb_json_deep_copy (node);
}

static void
test_random_roundtrip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);
  guint total_changes = 0, moves = 0;

  for (int round = 0; round < 2000; round++)
    {
      g_autoptr(JsonNode) a = random_value (rand, 0);
      g_autoptr(JsonNode) b = mutate (rand, a, 0);
      g_autoptr(GPtrArray) changes = diff_checked (a, b);
      g_autoptr(GPtrArray) self_diff = iwb_json_diff (a, a);
      g_autoptr(JsonNode) as_json = iwb_json_diff_to_json (changes);
      g_autofree char *text = iwb_json_diff_to_text (changes, IWB_JSON_DIFF_TEXT_COLOR);

      g_assert_cmpuint (self_diff->len, ==, 0);
      g_assert_cmpuint (json_array_get_length (json_node_get_array (as_json)), ==, changes->len);
      g_assert_cmpuint (changes->len > 0, ==, strlen (text) > 0);
      total_changes += changes->len;
      moves += diff_count_kind (changes, IWB_JSON_CHANGE_MOVED);
    }
  /* The generator really exercised the diff. */
  g_assert_cmpuint (total_changes, >, 4000);
  g_assert_cmpuint (moves, >, 100);
}

/* ---- minimality ---- */

static guint
lcs_length_dp (const int *a,
               guint      n,
               const int *b,
               guint      m)
{
  g_autofree guint *row = g_new0 (guint, (n + 1) * (m + 1));

  for (guint i = 1; i <= n; i++)
    for (guint j = 1; j <= m; j++)
      row[i * (m + 1) + j] = a[i - 1] == b[j - 1] ? row[(i - 1) * (m + 1) + j - 1] + 1
                                                  : MAX (row[(i - 1) * (m + 1) + j], row[i * (m + 1) + j - 1]);
  return row[n * (m + 1) + m];
}

static JsonNode *
int_list (const int *v,
          guint      n)
{
  JsonArray *arr = json_array_new ();
  JsonNode *node;

  for (guint i = 0; i < n; i++)
    json_array_add_int_element (arr, v[i]);
  node = json_node_init_array (json_node_alloc (), arr);
  json_array_unref (arr);
  return node;
}

static void
test_lcs_minimal (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (int round = 0; round < 3000; round++)
    {
      guint n = g_rand_int_range (rand, 0, 40), m = g_rand_int_range (rand, 0, 40);
      int alphabet = g_rand_int_range (rand, 1, 8);
      g_autofree int *a = g_new (int, n + 1);
      g_autofree int *b = g_new (int, m + 1);
      g_autoptr(JsonNode) na = NULL;
      g_autoptr(JsonNode) nb = NULL;
      g_autoptr(GPtrArray) changes = NULL;
      guint removed, changed;

      for (guint i = 0; i < n; i++)
        a[i] = g_rand_int_range (rand, 0, alphabet);
      for (guint j = 0; j < m; j++)
        b[j] = g_rand_int_range (rand, 0, alphabet);
      na = int_list (a, n);
      nb = int_list (b, m);
      changes = diff_checked (na, nb);
      removed = diff_count_kind (changes, IWB_JSON_CHANGE_REMOVED);
      changed = diff_count_kind (changes, IWB_JSON_CHANGE_CHANGED);
      /* Matched items = the longest common subsequence. */
      g_assert_cmpuint (n - removed - changed, ==, lcs_length_dp (a, n, b, m));
    }
}

static guint
lis_length (const int *v,
            guint      n)
{
  g_autofree guint *best = g_new0 (guint, n + 1);
  guint result = 0;

  for (guint i = 0; i < n; i++)
    {
      best[i] = 1;
      for (guint j = 0; j < i; j++)
        if (v[j] < v[i] && best[j] + 1 > best[i])
          best[i] = best[j] + 1;
      result = MAX (result, best[i]);
    }
  return result;
}

static void
test_moves_minimal (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (int round = 0; round < 500; round++)
    {
      guint n = g_rand_int_range (rand, 1, 30);
      g_autofree int *perm = g_new (int, n);
      JsonArray *aa = json_array_new (), *ab = json_array_new ();
      g_autoptr(JsonNode) a = NULL;
      g_autoptr(JsonNode) b = NULL;
      g_autoptr(GPtrArray) changes = NULL;

      for (guint i = 0; i < n; i++)
        perm[i] = i;
      for (guint i = n - 1; i > 0; i--)
        {
          guint j = g_rand_int_range (rand, 0, i + 1);
          int t = perm[i];
          perm[i] = perm[j];
          perm[j] = t;
        }
      for (guint i = 0; i < n; i++)
        {
          JsonObject *o = json_object_new ();
          g_autofree char *k = g_strdup_printf ("i%u", i);
          json_object_set_string_member (o, "id", k);
          json_array_add_object_element (aa, o);
        }
      for (guint i = 0; i < n; i++)
        {
          JsonObject *o = json_object_new ();
          g_autofree char *k = g_strdup_printf ("i%d", perm[i]);
          json_object_set_string_member (o, "id", k);
          json_array_add_object_element (ab, o);
        }
      a = json_node_init_array (json_node_alloc (), aa);
      b = json_node_init_array (json_node_alloc (), ab);
      json_array_unref (aa);
      json_array_unref (ab);
      changes = diff_checked (a, b);
      g_assert_cmpuint (changes->len, ==, diff_count_kind (changes, IWB_JSON_CHANGE_MOVED));
      g_assert_cmpuint (changes->len, ==, n - lis_length (perm, n));
    }
}

/* Large lists: a reversed keyed list of 5,000 items, and two long, very
 * different plain lists that hit the alignment's cost cap. */
static void
test_large (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  guint n = 5000;
  JsonArray *aa = json_array_new (), *ab = json_array_new ();
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree int *x = g_new (int, 6000);
  g_autofree int *y = g_new (int, 6000);
  g_autoptr(JsonNode) nx = NULL;
  g_autoptr(JsonNode) ny = NULL;
  g_autoptr(GPtrArray) changes2 = NULL;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = json_object_new ();
      JsonObject *p = json_object_new ();

      json_object_set_int_member (o, "id", i);
      json_object_set_int_member (p, "id", n - 1 - i);
      json_array_add_object_element (aa, o);
      json_array_add_object_element (ab, p);
    }
  a = json_node_init_array (json_node_alloc (), aa);
  b = json_node_init_array (json_node_alloc (), ab);
  json_array_unref (aa);
  json_array_unref (ab);
  changes = diff_checked (a, b);
  g_assert_cmpuint (changes->len, ==, n - 1);

  for (guint i = 0; i < 6000; i++)
    {
      x[i] = g_rand_int_range (rand, 0, 1000);
      y[i] = g_rand_int_range (rand, 0, 1000);
    }
  nx = int_list (x, 6000);
  ny = int_list (y, 6000);
  changes2 = diff_checked (nx, ny);
  g_assert_cmpuint (changes2->len, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-diff/random-roundtrip", test_random_roundtrip);
  g_test_add_func ("/json-diff/lcs-minimal", test_lcs_minimal);
  g_test_add_func ("/json-diff/moves-minimal", test_moves_minimal);
  g_test_add_func ("/json-diff/large", test_large);

  return g_test_run ();
}

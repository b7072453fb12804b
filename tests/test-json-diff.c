/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Structural JSON diff: paths, kinds, moves, LCS alignment, the three
 * outputs, and JSON Patch checked by applying it back (apply(A, patch(A, B))
 * must equal B), on hand-written cases and on random documents.
 */
#include "config.h"

#include <string.h>

#include "iwb-core.h"

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static char *
to_compact (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

/* Diffs, checks the patch round trip both ways, and returns the changes. */
static GPtrArray *
diff_checked (JsonNode *a,
              JsonNode *b)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a_before = to_compact (a);
  g_autofree char *b_before = to_compact (b);
  GPtrArray *changes = iwb_json_diff (a, b);
  g_autoptr(JsonNode) patch = iwb_json_diff_to_patch (changes);
  g_autoptr(JsonNode) applied = iwb_json_patch_apply (a, patch, &error);
  g_autoptr(GPtrArray) back = iwb_json_diff (b, a);
  g_autoptr(JsonNode) back_patch = iwb_json_diff_to_patch (back);
  g_autoptr(JsonNode) back_applied = NULL;
  g_autofree char *a_after = NULL;
  g_autofree char *b_after = NULL;

  if (error != NULL)
    {
      g_autofree char *ptext = to_compact (patch);
      g_printerr ("A = %s\nB = %s\npatch = %s\n", a_before, b_before, ptext);
    }
  g_assert_no_error (error);
  if (!iwb_json_equal (applied, b))
    {
      g_autofree char *ptext = to_compact (patch);
      g_autofree char *got = to_compact (applied);
      g_printerr ("A = %s\nB = %s\npatch = %s\ngot = %s\n", a_before, b_before, ptext, got);
    }
  g_assert_true (iwb_json_equal (applied, b));

  back_applied = iwb_json_patch_apply (b, back_patch, &error);
  g_assert_no_error (error);
  g_assert_true (iwb_json_equal (back_applied, a));

  /* Neither input was modified. */
  a_after = to_compact (a);
  b_after = to_compact (b);
  g_assert_cmpstr (a_before, ==, a_after);
  g_assert_cmpstr (b_before, ==, b_after);

  /* Equal documents have no changes, whatever their member order. */
  g_assert_cmpuint (changes->len == 0, ==, iwb_json_equal (a, b));
  return changes;
}

static IwbJsonChange *
find_change (GPtrArray  *changes,
             const char *path)
{
  for (guint i = 0; i < changes->len; i++)
    if (g_str_equal (iwb_json_change_get_path (changes->pdata[i]), path))
      return changes->pdata[i];
  return NULL;
}

static guint
count_kind (GPtrArray         *changes,
            IwbJsonChangeKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < changes->len; i++)
    if (iwb_json_change_get_kind (changes->pdata[i]) == kind)
      n++;
  return n;
}

static void
assert_value (JsonNode   *node,
              const char *json)
{
  g_autoptr(JsonNode) expected = parse (json);

  g_assert_nonnull (node);
  g_assert_true (iwb_json_equal (node, expected));
}

static void
test_identical (void)
{
  g_autoptr(JsonNode) a = parse ("{\"a\": [1, 2, {\"id\": \"x\", \"v\": null}], \"b\": {\"c\": true}}");
  g_autoptr(JsonNode) b = parse ("{\"b\": {\"c\": true}, \"a\": [1, 2, {\"v\": null, \"id\": \"x\"}]}");
  g_autoptr(GPtrArray) changes = diff_checked (a, b);
  g_autoptr(JsonNode) patch = iwb_json_diff_to_patch (changes);
  g_autoptr(JsonNode) json = iwb_json_diff_to_json (changes);
  g_autofree char *text = iwb_json_diff_to_text (changes, IWB_JSON_DIFF_TEXT_NONE);

  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (patch)), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json)), ==, 0);
  g_assert_cmpstr (text, ==, "");
}

static void
test_objects (void)
{
  g_autoptr(JsonNode) a = parse ("{\"name\": \"old\", \"gone\": 1, \"same\": [1], "
                                 "\"nested\": {\"x\": 1, \"y\": 2}}");
  g_autoptr(JsonNode) b = parse ("{\"name\": \"new\", \"same\": [1], "
                                 "\"nested\": {\"x\": 1, \"y\": 3, \"z\": {\"k\": []}}, \"extra\": false}");
  g_autoptr(GPtrArray) changes = diff_checked (a, b);
  IwbJsonChange *ch;
  g_autofree char *old_ptr = NULL;
  g_autofree char *new_ptr = NULL;

  g_assert_cmpuint (changes->len, ==, 5);

  ch = find_change (changes, "name");
  g_assert_nonnull (ch);
  g_assert_cmpint (iwb_json_change_get_kind (ch), ==, IWB_JSON_CHANGE_CHANGED);
  assert_value (iwb_json_change_get_old_value (ch), "\"old\"");
  assert_value (iwb_json_change_get_new_value (ch), "\"new\"");

  ch = find_change (changes, "gone");
  g_assert_cmpint (iwb_json_change_get_kind (ch), ==, IWB_JSON_CHANGE_REMOVED);
  g_assert_null (iwb_json_change_get_new_value (ch));
  g_assert_null (iwb_json_change_dup_new_pointer (ch));

  ch = find_change (changes, "nested.y");
  g_assert_cmpint (iwb_json_change_get_kind (ch), ==, IWB_JSON_CHANGE_CHANGED);
  old_ptr = iwb_json_change_dup_old_pointer (ch);
  new_ptr = iwb_json_change_dup_new_pointer (ch);
  g_assert_cmpstr (old_ptr, ==, "/nested/y");
  g_assert_cmpstr (new_ptr, ==, "/nested/y");
  g_assert_cmpuint (iwb_json_change_get_n_segments (ch), ==, 2);
  g_assert_cmpint (iwb_json_change_get_segment (ch, 0)->kind, ==, IWB_JSON_SEGMENT_MEMBER);
  g_assert_cmpstr (iwb_json_change_get_segment (ch, 1)->name, ==, "y");

  ch = find_change (changes, "nested.z");
  g_assert_cmpint (iwb_json_change_get_kind (ch), ==, IWB_JSON_CHANGE_ADDED);
  assert_value (iwb_json_change_get_new_value (ch), "{\"k\": []}");
  g_assert_null (iwb_json_change_get_old_value (ch));

  ch = find_change (changes, "extra");
  g_assert_cmpint (iwb_json_change_get_kind (ch), ==, IWB_JSON_CHANGE_ADDED);
}

static const char *descriptor_a =
  "{\"name\": \"Demo\", \"connection\": {\"inputs\": [{\"id\": \"token\", \"source\": \"connection\"}]},"
  " \"actions\": ["
  "  {\"name\": \"Post\", \"entrypoint\": \"main.post\", \"description\": \"Posts\","
  "   \"instantiation\": {\"steps\": [{\"inputs\": ["
  "     {\"id\": \"CHANNEL\", \"label\": \"Channel\", \"options\": [], \"source\": \"param\"},"
  "     {\"id\": \"TEXT\", \"label\": \"Text\", \"options\": null, \"source\": \"param\"},"
  "     {\"id\": \"A\", \"label\": \"A\", \"source\": \"column\"},"
  "     {\"id\": \"B\", \"label\": \"B\", \"source\": \"column\"},"
  "     {\"id\": \"C\", \"label\": \"C\", \"source\": \"column\"}"
  "   ]}]}},"
  "  {\"name\": \"Get\", \"entrypoint\": \"main.get\", \"description\": null,"
  "   \"instantiation\": {\"steps\": [{\"inputs\": []}]}}"
  " ]}";

static const char *descriptor_b =
  "{\"name\": \"Demo\", \"connection\": {\"inputs\": [{\"id\": \"token\", \"source\": \"connection\"}]},"
  " \"actions\": ["
  "  {\"name\": \"Get\", \"entrypoint\": \"main.get\", \"description\": null,"
  "   \"instantiation\": {\"steps\": [{\"inputs\": []}]}},"
  "  {\"name\": \"Post\", \"entrypoint\": \"main.post\", \"description\": \"Posts a message\","
  "   \"instantiation\": {\"steps\": [{\"inputs\": ["
  "     {\"id\": \"CHANNEL\", \"label\": \"Channel\", \"options\": [\"general\", \"random\"], \"source\": \"param\"},"
  "     {\"id\": \"C\", \"label\": \"C\", \"source\": \"column\"},"
  "     {\"id\": \"A\", \"label\": \"A\", \"source\": \"column\"},"
  "     {\"id\": \"B\", \"label\": \"B\", \"source\": \"column\"},"
  "     {\"id\": \"NEW\", \"label\": \"New\", \"source\": \"param\"}"
  "   ]}]}}"
  " ]}";

static void
test_descriptor_paths (void)
{
  g_autoptr(JsonNode) a = parse (descriptor_a);
  g_autoptr(JsonNode) b = parse (descriptor_b);
  g_autoptr(GPtrArray) changes = diff_checked (a, b);
  IwbJsonChange *ch;
  g_autofree char *new_ptr = NULL;
  g_autofree char *old_ptr = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;

  /* One action moved (Get), one input moved (C), TEXT removed, NEW added,
   * the description and the options changed. */
  /* [] -> [...]: the items are added, not the list replaced. */
  g_assert_null (find_change (changes, "actions[entrypoint=main.post].instantiation.steps[0].inputs[id=CHANNEL].options"));
  ch = find_change (changes, "actions[entrypoint=main.post].instantiation.steps[0].inputs[id=CHANNEL].options[1]");
  g_assert_nonnull (ch);
  g_assert_cmpint (iwb_json_change_get_kind (ch), ==, IWB_JSON_CHANGE_ADDED);
  ch = find_change (changes, "actions[entrypoint=main.post].instantiation.steps[0].inputs[id=CHANNEL].options[0]");
  g_assert_nonnull (ch);
  assert_value (iwb_json_change_get_new_value (ch), "\"general\"");
  new_ptr = iwb_json_change_dup_new_pointer (ch);
  g_assert_cmpstr (new_ptr, ==, "/actions/1/instantiation/steps/0/inputs/0/options/0");
  g_assert_null (iwb_json_change_dup_old_pointer (ch));

  ch = find_change (changes, "actions[entrypoint=main.post].description");
  g_assert_cmpint (iwb_json_change_get_kind (ch), ==, IWB_JSON_CHANGE_CHANGED);
  old_ptr = iwb_json_change_dup_old_pointer (ch);
  g_assert_cmpstr (old_ptr, ==, "/actions/0/description");

  ch = find_change (changes, "actions[entrypoint=main.post].instantiation.steps[0].inputs[id=TEXT]");
  g_assert_cmpint (iwb_json_change_get_kind (ch), ==, IWB_JSON_CHANGE_REMOVED);
  g_assert_cmpint (iwb_json_change_get_from_index (ch), ==, 1);

  ch = find_change (changes, "actions[entrypoint=main.post].instantiation.steps[0].inputs[id=NEW]");
  g_assert_cmpint (iwb_json_change_get_kind (ch), ==, IWB_JSON_CHANGE_ADDED);
  g_assert_cmpint (iwb_json_change_get_to_index (ch), ==, 4);

  ch = find_change (changes, "actions[entrypoint=main.post].instantiation.steps[0].inputs[id=C]");
  g_assert_cmpint (iwb_json_change_get_kind (ch), ==, IWB_JSON_CHANGE_MOVED);
  g_assert_cmpint (iwb_json_change_get_from_index (ch), ==, 4);
  g_assert_cmpint (iwb_json_change_get_to_index (ch), ==, 1);
  g_assert_cmpint (iwb_json_change_get_segment (ch, 6)->kind, ==, IWB_JSON_SEGMENT_KEYED);
  g_assert_cmpstr (iwb_json_change_get_segment (ch, 6)->name, ==, "id");
  g_assert_cmpstr (iwb_json_change_get_segment (ch, 6)->key_value, ==, "C");

  /* A and B kept their relative order: not reported as moved. */
  g_assert_null (find_change (changes, "actions[entrypoint=main.post].instantiation.steps[0].inputs[id=A]"));
  g_assert_null (find_change (changes, "actions[entrypoint=main.post].instantiation.steps[0].inputs[id=B]"));
  /* One of the two actions is reported as moved, not both. */
  g_assert_cmpuint (count_kind (changes, IWB_JSON_CHANGE_MOVED), ==, 2);
  g_assert_cmpuint (count_kind (changes, IWB_JSON_CHANGE_REMOVED), ==, 1);

  json = iwb_json_diff_to_json (changes);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json)), ==, changes->len);
  for (guint i = 0; i < changes->len; i++)
    {
      JsonObject *obj = json_array_get_object_element (json_node_get_array (json), i);
      IwbJsonChange *c = changes->pdata[i];

      g_assert_cmpstr (json_object_get_string_member (obj, "path"), ==, iwb_json_change_get_path (c));
      g_assert_cmpstr (json_object_get_string_member (obj, "kind"), ==,
                       iwb_json_change_kind_to_string (iwb_json_change_get_kind (c)));
      if (iwb_json_change_get_kind (c) == IWB_JSON_CHANGE_MOVED)
        g_assert_cmpint (json_object_get_int_member (obj, "to"), ==, iwb_json_change_get_to_index (c));
      else if (iwb_json_change_get_old_value (c) != NULL)
        g_assert_true (iwb_json_equal (json_object_get_member (obj, "old"),
                                       iwb_json_change_get_old_value (c)));
    }

  text = iwb_json_diff_to_text (changes, IWB_JSON_DIFF_TEXT_NONE);
  g_assert_nonnull (strstr (text, "@@ actions[entrypoint=main.post].description (changed)\n"
                                  "- \"Posts\"\n"
                                  "+ \"Posts a message\"\n"));
  g_assert_nonnull (strstr (text, "@@ actions[entrypoint=main.post].instantiation.steps[0].inputs[id=C] (moved from 4 to 1)\n"));
  g_assert_nonnull (strstr (text, "@@ actions[entrypoint=main.post].instantiation.steps[0].inputs[id=TEXT] (removed)\n- {\n"));
  g_assert_nonnull (strstr (text, "+   \"id\" : \"NEW\",\n"));
}

static void
test_keyed_moves (void)
{
  g_autoptr(JsonNode) a = parse ("[{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\"}, {\"id\": \"d\"}, {\"id\": \"e\"}]");
  g_autoptr(JsonNode) b = parse ("[{\"id\": \"e\"}, {\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\"}, {\"id\": \"d\"}]");
  g_autoptr(JsonNode) rev = parse ("[{\"id\": \"e\"}, {\"id\": \"d\"}, {\"id\": \"c\"}, {\"id\": \"b\"}, {\"id\": \"a\"}]");
  g_autoptr(JsonNode) ints_a = parse ("[{\"id\": 1, \"v\": 1}, {\"id\": 2}, {\"id\": \"1\"}]");
  g_autoptr(JsonNode) ints_b = parse ("[{\"id\": \"1\"}, {\"id\": 2}, {\"id\": 1, \"v\": 2}]");
  g_autoptr(GPtrArray) changes = diff_checked (a, b);
  g_autoptr(GPtrArray) reversed = diff_checked (a, rev);
  g_autoptr(GPtrArray) typed = diff_checked (ints_a, ints_b);

  /* Rotating by one is one move, not five. */
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpint (iwb_json_change_get_kind (changes->pdata[0]), ==, IWB_JSON_CHANGE_MOVED);
  g_assert_cmpstr (iwb_json_change_get_path (changes->pdata[0]), ==, "[id=e]");
  g_assert_cmpuint (reversed->len, ==, 4);
  g_assert_cmpuint (count_kind (reversed, IWB_JSON_CHANGE_MOVED), ==, 4);

  /* 1 and "1" are different keys. */
  g_assert_nonnull (find_change (typed, "[id=1].v"));
}

static void
test_duplicate_keys_fall_back (void)
{
  g_autoptr(JsonNode) a = parse ("[{\"id\": \"a\", \"v\": 1}, {\"id\": \"a\", \"v\": 2}]");
  g_autoptr(JsonNode) b = parse ("[{\"id\": \"a\", \"v\": 2}, {\"id\": \"a\", \"v\": 3}]");
  g_autoptr(GPtrArray) changes = diff_checked (a, b);

  /* Not keyed (duplicate ids): aligned by LCS: [0] removed, {v:3} added. */
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_nonnull (find_change (changes, "[0]"));
  g_assert_cmpint (iwb_json_change_get_kind (find_change (changes, "[0]")), ==, IWB_JSON_CHANGE_REMOVED);
  g_assert_cmpint (iwb_json_change_get_kind (find_change (changes, "[1]")), ==, IWB_JSON_CHANGE_ADDED);
}

static void
test_lcs_lists (void)
{
  g_autoptr(JsonNode) a = parse ("[1, 2, 3, 4, 5]");
  g_autoptr(JsonNode) b = parse ("[1, 3, 4, 6, 5]");
  g_autoptr(JsonNode) c = parse ("[\"x\", \"a\", \"b\", \"c\"]");
  g_autoptr(JsonNode) d = parse ("[\"a\", \"b\", \"c\", \"y\", \"z\"]");
  g_autoptr(JsonNode) e = parse ("[{\"k\": 1}, {\"k\": 2}, 3]");
  g_autoptr(JsonNode) f = parse ("[{\"k\": 1}, {\"k\": 5}, 3]");
  g_autoptr(GPtrArray) changes = diff_checked (a, b);
  g_autoptr(GPtrArray) changes2 = diff_checked (c, d);
  g_autoptr(GPtrArray) changes3 = diff_checked (e, f);

  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_cmpint (iwb_json_change_get_kind (changes->pdata[0]), ==, IWB_JSON_CHANGE_REMOVED);
  g_assert_cmpint (iwb_json_change_get_from_index (changes->pdata[0]), ==, 1);
  assert_value (iwb_json_change_get_old_value (changes->pdata[0]), "2");
  g_assert_cmpint (iwb_json_change_get_kind (changes->pdata[1]), ==, IWB_JSON_CHANGE_ADDED);
  g_assert_cmpint (iwb_json_change_get_to_index (changes->pdata[1]), ==, 3);
  assert_value (iwb_json_change_get_new_value (changes->pdata[1]), "6");

  g_assert_cmpuint (changes2->len, ==, 3);
  g_assert_cmpuint (count_kind (changes2, IWB_JSON_CHANGE_REMOVED), ==, 1);
  g_assert_cmpuint (count_kind (changes2, IWB_JSON_CHANGE_ADDED), ==, 2);

  /* Unmatched items in the same gap are paired by position: a nested change. */
  g_assert_cmpuint (changes3->len, ==, 1);
  g_assert_cmpstr (iwb_json_change_get_path (changes3->pdata[0]), ==, "[1].k");
}

static void
test_type_changes (void)
{
  const char *pairs[][2] = {
    { "{\"v\": \"1\"}", "{\"v\": 1}" },
    { "{\"v\": 1}", "{\"v\": 1.0}" },
    { "{\"v\": {\"a\": 1}}", "{\"v\": [1]}" },
    { "{\"v\": null}", "{\"v\": {}}" },
    { "{\"v\": true}", "{\"v\": \"true\"}" },
    { "[1, 2]", "{\"0\": 1}" },
    { "\"text\"", "42" },
    { "null", "[null]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autoptr(JsonNode) a = parse (pairs[i][0]);
      g_autoptr(JsonNode) b = parse (pairs[i][1]);
      g_autoptr(GPtrArray) changes = diff_checked (a, b);

      g_assert_cmpuint (changes->len, ==, 1);
      g_assert_cmpint (iwb_json_change_get_kind (changes->pdata[0]), ==, IWB_JSON_CHANGE_CHANGED);
      g_assert_true (iwb_json_equal (iwb_json_change_get_old_value (changes->pdata[0]),
                                     JSON_NODE_HOLDS_OBJECT (a) ? json_object_get_member (json_node_get_object (a), "v") : a));
    }
}

static void
test_unicode (void)
{
  g_autoptr(JsonNode) a = parse ("{\"naïve/key~1\": \"café\", \"日本\": [\"α\", \"β\"],"
                                 " \"list\": [{\"id\": \"ключ\", \"v\": \"😀\"}]}");
  g_autoptr(JsonNode) b = parse ("{\"naïve/key~1\": \"caffè\", \"日本\": [\"α\", \"γ\", \"β\"],"
                                 " \"list\": [{\"id\": \"ключ\", \"v\": \"😎\"}]}");
  g_autoptr(GPtrArray) changes = diff_checked (a, b);
  IwbJsonChange *ch = find_change (changes, "[\"naïve/key~1\"]");
  g_autoptr(JsonNode) patch = iwb_json_diff_to_patch (changes);
  g_autofree char *ptext = to_compact (patch);
  g_autofree char *old_ptr = NULL;

  g_assert_nonnull (ch);
  old_ptr = iwb_json_change_dup_old_pointer (ch);
  g_assert_cmpstr (old_ptr, ==, "/naïve~1key~01");
  g_assert_nonnull (find_change (changes, "[\"日本\"][1]"));
  g_assert_nonnull (find_change (changes, "list[id=ключ].v"));
  g_assert_nonnull (strstr (ptext, "😎"));
}

static void
test_empty (void)
{
  const char *pairs[][2] = {
    { "{}", "{}" },
    { "[]", "[]" },
    { "[]", "[1, 2]" },
    { "[{\"id\": \"a\"}]", "[]" },
    { "{}", "{\"a\": []}" },
    { "{\"a\": {}}", "{}" },
    { "\"\"", "\"\"" },
  };
  guint expected[] = { 0, 0, 2, 1, 1, 1, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autoptr(JsonNode) a = parse (pairs[i][0]);
      g_autoptr(JsonNode) b = parse (pairs[i][1]);
      g_autoptr(GPtrArray) changes = diff_checked (a, b);

      g_assert_cmpuint (changes->len, ==, expected[i]);
    }
}

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
      moves += count_kind (changes, IWB_JSON_CHANGE_MOVED);
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
      removed = count_kind (changes, IWB_JSON_CHANGE_REMOVED);
      changed = count_kind (changes, IWB_JSON_CHANGE_CHANGED);
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
      g_assert_cmpuint (changes->len, ==, count_kind (changes, IWB_JSON_CHANGE_MOVED));
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

/* The applier itself, on RFC 6902's own kinds of operations and errors. */
static void
test_patch_applier (void)
{
  struct { const char *doc, *patch, *expected; } ok[] = {
    { "{\"a\": [1, 2]}", "[{\"op\": \"add\", \"path\": \"/a/-\", \"value\": 3}]", "{\"a\": [1, 2, 3]}" },
    { "{\"a\": [1, 2]}", "[{\"op\": \"add\", \"path\": \"/a/0\", \"value\": 0}]", "{\"a\": [0, 1, 2]}" },
    { "{\"a\": {\"b\": 1}}", "[{\"op\": \"copy\", \"from\": \"/a\", \"path\": \"/c\"}]",
      "{\"a\": {\"b\": 1}, \"c\": {\"b\": 1}}" },
    { "{\"a\": 1, \"b\": [4]}", "[{\"op\": \"move\", \"from\": \"/a\", \"path\": \"/b/0\"}]", "{\"b\": [1, 4]}" },
    { "{\"a\": 1}", "[{\"op\": \"test\", \"path\": \"/a\", \"value\": 1},"
                    " {\"op\": \"replace\", \"path\": \"\", \"value\": [true]}]", "[true]" },
    { "{\"a/b\": {\"~\": 1}}", "[{\"op\": \"remove\", \"path\": \"/a~1b/~0\"}]", "{\"a/b\": {}}" },
  };
  struct { const char *doc, *patch, *message; } bad[] = {
    { "{\"a\": 1}", "[{\"op\": \"test\", \"path\": \"/a\", \"value\": 1.0}]", "test failed" },
    { "{\"a\": [1]}", "[{\"op\": \"add\", \"path\": \"/a/2\", \"value\": 0}]", "out of range" },
    { "{\"a\": [1]}", "[{\"op\": \"remove\", \"path\": \"/a/01\"}]", "no such item" },
    { "{\"a\": {}}", "[{\"op\": \"move\", \"from\": \"/a\", \"path\": \"/a/b\"}]", "into itself" },
    { "{}", "[{\"op\": \"replace\", \"path\": \"/x\", \"value\": 1}]", "no such member" },
    { "{}", "[{\"op\": \"jump\", \"path\": \"/x\"}]", "unknown op" },
    { "{}", "[{\"op\": \"add\", \"path\": \"x\", \"value\": 1}]", "does not start with" },
    { "{}", "{\"op\": \"add\"}", "list of operations" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr(JsonNode) doc = parse (ok[i].doc);
      g_autoptr(JsonNode) patch = parse (ok[i].patch);
      g_autoptr(JsonNode) expected = parse (ok[i].expected);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) result = iwb_json_patch_apply (doc, patch, &error);
      g_autoptr(JsonNode) original = parse (ok[i].doc);

      g_assert_no_error (error);
      g_assert_true (iwb_json_equal (result, expected));
      g_assert_true (iwb_json_equal (doc, original)); /* the input is not modified */
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) doc = parse (bad[i].doc);
      g_autoptr(JsonNode) patch = parse (bad[i].patch);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) result = iwb_json_patch_apply (doc, patch, &error);

      g_assert_null (result);
      g_assert_nonnull (error);
      if (strstr (error->message, bad[i].message) == NULL)
        g_error ("case %u: “%s” does not mention “%s”", i, error->message, bad[i].message);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-diff/identical", test_identical);
  g_test_add_func ("/json-diff/objects", test_objects);
  g_test_add_func ("/json-diff/descriptor-paths", test_descriptor_paths);
  g_test_add_func ("/json-diff/keyed-moves", test_keyed_moves);
  g_test_add_func ("/json-diff/duplicate-keys", test_duplicate_keys_fall_back);
  g_test_add_func ("/json-diff/lcs-lists", test_lcs_lists);
  g_test_add_func ("/json-diff/type-changes", test_type_changes);
  g_test_add_func ("/json-diff/unicode", test_unicode);
  g_test_add_func ("/json-diff/empty", test_empty);
  g_test_add_func ("/json-diff/random-roundtrip", test_random_roundtrip);
  g_test_add_func ("/json-diff/lcs-minimal", test_lcs_minimal);
  g_test_add_func ("/json-diff/moves-minimal", test_moves_minimal);
  g_test_add_func ("/json-diff/large", test_large);
  g_test_add_func ("/json-diff/patch-applier", test_patch_applier);

  return g_test_run ();
}

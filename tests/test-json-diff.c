/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Structural JSON diff: paths, kinds, moves, LCS alignment, the three
 * outputs, and JSON Patch checked by applying it back (apply(A, patch(A, B))
 * must equal B), on hand-written cases (random documents, minimality and
 * large lists: test-json-diff-random.c).
 */
#include "config.h"

#include <string.h>

#include "iwb-core.h"
#include "test-json-diff-util.h"

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

static IwbJsonChange *
find_change (GPtrArray  *changes,
             const char *path)
{
  for (guint i = 0; i < changes->len; i++)
    if (g_str_equal (iwb_json_change_get_path (changes->pdata[i]), path))
      return changes->pdata[i];
  return NULL;
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
  g_assert_cmpuint (diff_count_kind (changes, IWB_JSON_CHANGE_MOVED), ==, 2);
  g_assert_cmpuint (diff_count_kind (changes, IWB_JSON_CHANGE_REMOVED), ==, 1);

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
  g_assert_cmpuint (diff_count_kind (reversed, IWB_JSON_CHANGE_MOVED), ==, 4);

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
  g_assert_cmpuint (diff_count_kind (changes2, IWB_JSON_CHANGE_REMOVED), ==, 1);
  g_assert_cmpuint (diff_count_kind (changes2, IWB_JSON_CHANGE_ADDED), ==, 2);

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
  g_test_add_func ("/json-diff/patch-applier", test_patch_applier);

  return g_test_run ();
}

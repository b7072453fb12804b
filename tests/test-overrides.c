/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Dynamic overrides (descriptor-and-overrides.md): every matching rule,
 * unmatched and malformed entries, added / removed / reordered inputs,
 * finding the override result among [result] payloads, the summary; and end
 * to end: the vendor's example validator and the ticket-tracker example
 * (options filled from the demo service's live project list), run as real
 * python3 children through IwbRun.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "iwb-core.h"
#include "iwb-overrides.h"

static const char *base_json =
  "{\"name\": \"Demo\", \"description\": \"d\", \"logoUrl\": null,"
  " \"connection\": {\"inputs\": [{\"id\": \"TOKEN\", \"label\": \"Token\", \"data_type\": \"string\","
  "   \"input_type\": \"password\", \"optional\": false, \"description\": null, \"default\": null,"
  "   \"options\": null, \"source\": \"connection\"}]},"
  " \"actions\": ["
  "  {\"name\": \"Post\", \"entrypoint\": \"main.post\", \"description\": \"Posts\","
  "   \"instantiation\": {\"steps\": [{\"inputs\": ["
  "     {\"id\": \"CHANNEL\", \"label\": \"Channel\", \"data_type\": \"string\", \"input_type\": \"select\","
  "      \"optional\": false, \"description\": \"Where\", \"default\": null, \"options\": [], \"source\": \"param\"},"
  "     {\"id\": \"text\", \"label\": \"text\", \"data_type\": \"column\", \"input_type\": \"columnSelect\","
  "      \"optional\": false, \"description\": null, \"default\": null, \"options\": null, \"source\": \"column\"}"
  "   ]}]}},"
  "  {\"name\": \"Get\", \"entrypoint\": \"main.get\", \"description\": null,"
  "   \"instantiation\": {\"steps\": [{\"inputs\": ["
  "     {\"id\": \"ID\", \"label\": \"Id\", \"data_type\": \"integer\", \"input_type\": \"text\","
  "      \"optional\": true, \"description\": null, \"default\": \"1\", \"options\": null, \"source\": \"param\"}"
  "   ]}]}}"
  " ]}";

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static JsonObject *
action_at (JsonNode *descriptor,
           guint     i)
{
  return json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (descriptor), "actions"), i);
}

static JsonArray *
inputs_of (JsonObject *action)
{
  JsonObject *inst = json_object_get_object_member (action, "instantiation");
  JsonArray *steps = json_object_get_array_member (inst, "steps");

  return json_object_get_array_member (json_array_get_object_element (steps, 0), "inputs");
}

static JsonNode *
apply_ok (JsonNode   *base,
          const char *overrides_json,
          GPtrArray **warnings)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) overrides = parse (overrides_json);
  g_autofree char *before = json_to_string (base, FALSE);
  g_autofree char *after = NULL;
  JsonNode *effective = iwb_overrides_apply (base, overrides, warnings, &error);

  g_assert_no_error (error);
  g_assert_nonnull (effective);
  after = json_to_string (base, FALSE);
  g_assert_cmpstr (before, ==, after); /* the base is untouched */
  return effective;
}

static gboolean
warnings_contain (GPtrArray  *warnings,
                  const char *needle)
{
  for (guint i = 0; i < warnings->len; i++)
    if (strstr (warnings->pdata[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_match_by_entrypoint (void)
{
  g_autoptr(JsonNode) base = parse (base_json);
  g_autoptr(GPtrArray) warnings = NULL;
  /* In reverse order: matching is by entrypoint, not position. */
  g_autoptr(JsonNode) eff = apply_ok (base,
    "[{\"name\": \"Fetch\", \"entrypoint\": \"main.get\", \"description\": \"Fetches\","
    "  \"instantiation\": {\"steps\": [{\"inputs\": []}]}},"
    " {\"name\": \"Post\", \"entrypoint\": \"main.post\", \"description\": \"Posts!\"}]", &warnings);

  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (action_at (eff, 0), "entrypoint"), ==, "main.post");
  g_assert_cmpstr (json_object_get_string_member (action_at (eff, 0), "description"), ==, "Posts!");
  /* instantiation left out: kept from the base action. */
  g_assert_cmpuint (json_array_get_length (inputs_of (action_at (eff, 0))), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (action_at (eff, 1), "name"), ==, "Fetch");
  g_assert_cmpuint (json_array_get_length (inputs_of (action_at (eff, 1))), ==, 0);
}

static void
test_match_by_name (void)
{
  g_autoptr(JsonNode) base = parse (base_json);
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(JsonNode) eff = apply_ok (base,
    "[{\"name\": \"Get\", \"description\": \"By name\"}]", &warnings);

  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (action_at (eff, 0), "description"), ==, "Posts");
  g_assert_cmpstr (json_object_get_string_member (action_at (eff, 1), "description"), ==, "By name");
  /* The entrypoint is kept even though the override has none. */
  g_assert_cmpstr (json_object_get_string_member (action_at (eff, 1), "entrypoint"), ==, "main.get");
  g_clear_pointer (&warnings, g_ptr_array_unref);
  g_clear_pointer (&eff, json_node_unref);

  /* A null entrypoint counts as none: matched by name. */
  eff = apply_ok (base, "[{\"name\": \"Post\", \"entrypoint\": null, \"description\": \"null ep\"}]",
                  &warnings);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (action_at (eff, 0), "description"), ==, "null ep");
  g_assert_cmpstr (json_object_get_string_member (action_at (eff, 0), "entrypoint"), ==, "main.post");
}

static void
test_match_by_position (void)
{
  g_autoptr(JsonNode) base = parse (base_json);
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(JsonNode) eff = apply_ok (base,
    "[{\"description\": \"first\"}, {\"description\": \"second\"}, {\"description\": \"third\"}]",
    &warnings);

  g_assert_cmpstr (json_object_get_string_member (action_at (eff, 0), "description"), ==, "first");
  g_assert_cmpstr (json_object_get_string_member (action_at (eff, 1), "description"), ==, "second");
  g_assert_cmpstr (json_object_get_string_member (action_at (eff, 0), "entrypoint"), ==, "main.post");
  g_assert_cmpstr (json_object_get_string_member (action_at (eff, 0), "name"), ==, "Post");
  /* The third has no action at position 2. */
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_true (warnings_contain (warnings, "actionOverrides[2]"));
}

static void
test_entrypoint_cannot_move (void)
{
  g_autoptr(JsonNode) base = parse (base_json);
  g_autoptr(GPtrArray) warnings = NULL;
  /* An entrypoint that exists nowhere does not fall back to the name. */
  g_autoptr(JsonNode) eff = apply_ok (base,
    "[{\"name\": \"Get\", \"entrypoint\": \"main.other\", \"description\": \"moved?\"}]", &warnings);
  g_autoptr(GPtrArray) changes = iwb_json_diff (base, eff);

  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_true (warnings_contain (warnings, "entrypoint “main.other”"));
  g_assert_true (warnings_contain (warnings, "matches no action"));
}

static void
test_unmatched_and_malformed (void)
{
  g_autoptr(JsonNode) base = parse (base_json);
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(JsonNode) eff = apply_ok (base,
    "[42, \"text\", null, [],"
    " {\"name\": \"Nope\", \"description\": \"x\"},"
    " {\"entrypoint\": \"main.post\", \"instantiation\": {\"steps\": [{\"inputs\": \"oops\"}]}},"
    " {\"entrypoint\": \"main.post\", \"instantiation\": {\"steps\": [{\"inputs\": [{\"label\": \"no id\"}]}]}},"
    " {\"entrypoint\": \"main.post\", \"instantiation\": {\"steps\": [{\"inputs\": [{\"id\": \"A\"}, {\"id\": \"A\"}]}]}},"
    " {\"entrypoint\": \"main.get\", \"description\": \"applied\"}]", &warnings);
  g_autoptr(GPtrArray) changes = iwb_json_diff (base, eff);

  g_assert_cmpuint (warnings->len, ==, 8);
  g_assert_true (warnings_contain (warnings, "actionOverrides[0] is a number, not an action object"));
  g_assert_true (warnings_contain (warnings, "actionOverrides[1] is a string"));
  g_assert_true (warnings_contain (warnings, "actionOverrides[2] is null"));
  g_assert_true (warnings_contain (warnings, "actionOverrides[3] is a list"));
  g_assert_true (warnings_contain (warnings, "actionOverrides[4] (name “Nope”) matches no action"));
  g_assert_true (warnings_contain (warnings, "“instantiation.steps[0].inputs” is a string, not a list"));
  g_assert_true (warnings_contain (warnings, "has no string “id”"));
  g_assert_true (warnings_contain (warnings, "has the id “A” twice"));

  /* Only the good one was applied. */
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (iwb_json_change_get_path (changes->pdata[0]), ==,
                   "actions[entrypoint=main.get].description");
}

static void
test_not_a_list (void)
{
  const char *bad[] = { "{\"entrypoint\": \"main.post\"}", "\"actions\"", "null", "3" };
  g_autoptr(JsonNode) base = parse (base_json);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) overrides = parse (bad[i]);
      g_autoptr(GPtrArray) warnings = NULL;
      g_autoptr(JsonNode) eff = iwb_overrides_apply (base, overrides, &warnings, &error);

      g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_OVERRIDE);
      g_assert_null (eff);
      g_assert_nonnull (strstr (error->message, "not a list"));
      g_assert_nonnull (strstr (error->message, "base descriptor stays in force"));
    }
}

static void
test_inputs_added_removed_reordered (void)
{
  g_autoptr(JsonNode) base = parse (base_json);
  g_autoptr(GPtrArray) warnings = NULL;
  /* text moves first, CHANNEL gets options and loses its source key (kept
   * from the base), NEW is added without a source, ID is removed from Get. */
  g_autoptr(JsonNode) eff = apply_ok (base,
    "[{\"entrypoint\": \"main.post\", \"instantiation\": {\"steps\": [{\"inputs\": ["
    "   {\"id\": \"text\", \"label\": \"text\", \"data_type\": \"column\", \"input_type\": \"columnSelect\","
    "    \"optional\": false, \"description\": null, \"default\": null, \"options\": null, \"source\": \"column\"},"
    "   {\"id\": \"CHANNEL\", \"label\": \"Channel\", \"data_type\": \"string\", \"input_type\": \"select\","
    "    \"optional\": false, \"description\": \"Where\", \"default\": \"general\", \"options\": [\"general\", \"random\"]},"
    "   {\"id\": \"NEW\", \"label\": \"New one\", \"input_type\": \"select\", \"options\": [\"a\"]},"
    "   {\"id\": \"ODD\", \"source\": \"somewhere\"}"
    " ]}]}},"
    " {\"entrypoint\": \"main.get\", \"instantiation\": {\"steps\": [{\"inputs\": []}]}}]", &warnings);
  JsonArray *inputs = inputs_of (action_at (eff, 0));
  JsonObject *channel = json_array_get_object_element (inputs, 1);
  JsonObject *added = json_array_get_object_element (inputs, 2);
  JsonObject *odd = json_array_get_object_element (inputs, 3);
  g_autoptr(GPtrArray) changes = iwb_json_diff (base, eff);
  g_autoptr(GHashTable) changed = iwb_overrides_changed_inputs (base, eff);
  g_autofree char *summary = iwb_overrides_summary (base, eff);
  guint n_inputs = 0, n_actions = 0;
  GList *members;
  const char *expected_keys[] = { "id", "label", "data_type", "input_type", "optional",
                                  "description", "default", "options", "source" };
  guint k = 0;

  g_assert_cmpuint (json_array_get_length (inputs), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (inputs, 0), "id"), ==, "text");
  g_assert_cmpstr (json_object_get_string_member (channel, "source"), ==, "param");
  g_assert_cmpstr (json_object_get_string_member (channel, "default"), ==, "general");
  g_assert_cmpstr (json_object_get_string_member (added, "source"), ==, "param");
  g_assert_cmpstr (json_object_get_string_member (added, "data_type"), ==, "string");
  g_assert_false (json_object_get_boolean_member (added, "optional"));
  g_assert_true (json_object_get_null_member (added, "default"));
  g_assert_cmpstr (json_object_get_string_member (odd, "source"), ==, "param");
  g_assert_cmpstr (json_object_get_string_member (odd, "label"), ==, "ODD");
  g_assert_true (warnings_contain (warnings, "unknown source “somewhere”"));

  /* Effective inputs carry every key of the spec, in its order. */
  members = json_object_get_members (added);
  for (GList *l = members; l != NULL; l = l->next, k++)
    g_assert_cmpstr (l->data, ==, expected_keys[k]);
  g_list_free (members);
  g_assert_cmpuint (k, ==, G_N_ELEMENTS (expected_keys));

  g_assert_cmpuint (json_array_get_length (inputs_of (action_at (eff, 1))), ==, 0);

  /* The diff: one move (not remove + add), the added and the removed input. */
  for (guint i = 0; i < changes->len; i++)
    {
      IwbJsonChange *ch = changes->pdata[i];
      const char *path = iwb_json_change_get_path (ch);

      if (g_str_has_suffix (path, "inputs[id=text]") || g_str_has_suffix (path, "inputs[id=CHANNEL]"))
        g_assert_cmpint (iwb_json_change_get_kind (ch), ==, IWB_JSON_CHANGE_MOVED);
      if (g_str_has_suffix (path, "inputs[id=NEW]"))
        g_assert_cmpint (iwb_json_change_get_kind (ch), ==, IWB_JSON_CHANGE_ADDED);
      if (g_str_has_suffix (path, "inputs[id=ID]"))
        g_assert_cmpint (iwb_json_change_get_kind (ch), ==, IWB_JSON_CHANGE_REMOVED);
    }

  /* CHANNEL (options, default), NEW, ODD, one of text/CHANNEL moved, ID. */
  iwb_overrides_count_changes (base, eff, &n_inputs, &n_actions);
  g_assert_cmpuint (n_actions, ==, 2);
  g_assert_true (g_hash_table_contains (changed, "main.post\x1f" "CHANNEL"));
  g_assert_true (g_hash_table_contains (changed, "main.post\x1f" "NEW"));
  g_assert_true (g_hash_table_contains (changed, "main.get\x1f" "ID"));
  g_assert_cmpuint (n_inputs, ==, g_hash_table_size (changed));
  g_assert_cmpuint (n_inputs, >=, 4);
  g_assert_cmpuint (n_inputs, <=, 5);
  g_assert_true (g_str_has_prefix (summary, "Overrides changed "));
  g_assert_nonnull (strstr (summary, "inputs in 2 actions"));
}

static void
test_summary_counts (void)
{
  g_autoptr(JsonNode) base = parse (base_json);
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) warnings_one = NULL;
  g_autoptr(JsonNode) same = apply_ok (base, "[]", &warnings);
  g_autoptr(JsonNode) one = apply_ok (base,
    "[{\"entrypoint\": \"main.get\", \"instantiation\": {\"steps\": [{\"inputs\": ["
    "  {\"id\": \"ID\", \"label\": \"Ticket id\"}]}]}}]", &warnings_one);
  g_autofree char *s0 = iwb_overrides_summary (base, same);
  g_autofree char *s1 = iwb_overrides_summary (base, one);

  g_assert_cmpstr (s0, ==, "Overrides changed nothing");
  g_assert_cmpstr (s1, ==, "Overrides changed 1 input in 1 action");
}

static void
test_find (void)
{
  g_autoptr(GPtrArray) payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(JsonNode) found = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (iwb_overrides_find (payloads, &found, &error));
  g_assert_no_error (error);

  g_ptr_array_add (payloads, parse ("{}"));
  g_ptr_array_add (payloads, parse ("{\"actionOverrides\": [{\"description\": \"first\"}]}"));
  g_ptr_array_add (payloads, parse ("[1, 2]"));
  g_ptr_array_add (payloads, parse ("{\"actionOverrides\": [{\"description\": \"last\"}]}"));
  g_ptr_array_add (payloads, parse ("{\"errors\": []}"));
  g_assert_true (iwb_overrides_find (payloads, &found, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (found), 0),
                                                  "description"), ==, "last");

  g_clear_pointer (&found, json_node_unref);
  g_ptr_array_add (payloads, parse ("{\"actionOverrides\": {\"description\": \"x\"}}"));
  g_assert_false (iwb_overrides_find (payloads, &found, &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_OVERRIDE);
  g_assert_null (found);
}

static void
test_find_in_lines (void)
{
  const char * const good[] = {
    "some log line",
    "[result] {\"actionOverrides\": [{\"description\": \"one\"}]}",
    "[result] {\"actionOverrides\": [{\"description\": \"two\"}]}",
    "[result] {}",
    NULL
  };
  const char * const broken[] = {
    "[result] {}",
    "[result] {\"actionOverrides\": [{\"description\": \"one\"},]",
    NULL
  };
  const char * const none[] = { "[result] {}", "hello", NULL };
  g_autoptr(JsonNode) found = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (iwb_overrides_find_in_lines (good, &found, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (found), 0),
                                                  "description"), ==, "two");
  g_clear_pointer (&found, json_node_unref);

  g_assert_false (iwb_overrides_find_in_lines (none, &found, &error));
  g_assert_no_error (error);

  g_assert_false (iwb_overrides_find_in_lines (broken, &found, &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_OVERRIDE);
  g_assert_nonnull (strstr (error->message, "stdout line 2"));
  g_assert_nonnull (strstr (error->message, "not valid JSON"));
}

/* ---- random overrides: never a crash, the invariants of the spec hold ---- */

static JsonNode *
random_scalar (GRand *rand)
{
  switch (g_rand_int_range (rand, 0, 5))
    {
    case 0:
      return json_node_new (JSON_NODE_NULL);
    case 1:
      return json_node_init_int (json_node_alloc (), g_rand_int_range (rand, -2, 3));
    case 2:
      return json_node_init_boolean (json_node_alloc (), g_rand_boolean (rand));
    case 3:
      return json_node_init_string (json_node_alloc (), g_rand_boolean (rand) ? "main.post" : "Get");
    default:
      return json_node_init_string (json_node_alloc (), "x");
    }
}

/* A copy of @node where some members are dropped, retyped or replaced. */
static JsonNode *
scramble (GRand    *rand,
          JsonNode *node,
          int       depth)
{
  if (depth > 6 || g_rand_int_range (rand, 0, 25) == 0)
    return random_scalar (rand);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *out = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;
      JsonNode *result;

      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          int r = g_rand_int_range (rand, 0, 12);

          if (r == 0)
            continue;
          json_object_set_member (out, name, r == 1 ? random_scalar (rand)
                                                    : scramble (rand, member, depth + 1));
        }
      result = json_node_init_object (json_node_alloc (), out);
      json_object_unref (out);
      return result;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *in = json_node_get_array (node);
      JsonArray *out = json_array_new ();
      JsonNode *result;

      for (guint i = 0; i < json_array_get_length (in); i++)
        {
          int r = g_rand_int_range (rand, 0, 10);

          if (r == 0)
            continue;
          json_array_add_element (out, scramble (rand, json_array_get_element (in, i), depth + 1));
          if (r == 1)
            json_array_add_element (out, scramble (rand, json_array_get_element (in, i), depth + 1));
        }
      if (g_rand_int_range (rand, 0, 8) == 0)
        json_array_add_element (out, random_scalar (rand));
      result = json_node_init_array (json_node_alloc (), out);
      json_array_unref (out);
      return result;
    }
  return g_rand_int_range (rand, 0, 4) == 0 ? random_scalar (rand) : json_node_copy (node);
}

static void
test_random_overrides (void)
{
  g_autoptr(JsonNode) base = parse (base_json);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1129);
  JsonNode *actions = json_object_get_member (json_node_get_object (base), "actions");
  guint applied = 0, rejected = 0, warned = 0;

  for (int round = 0; round < 3000; round++)
    {
      g_autoptr(JsonNode) overrides = scramble (rand, actions, 0);
      g_autoptr(GPtrArray) warnings = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *before = json_to_string (base, FALSE);
      g_autofree char *after = NULL;
      g_autoptr(JsonNode) eff = iwb_overrides_apply (base, overrides, &warnings, &error);

      after = json_to_string (base, FALSE);
      g_assert_cmpstr (before, ==, after);
      if (eff == NULL)
        {
          /* Only a non-list is refused outright. */
          g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_OVERRIDE);
          g_assert_false (JSON_NODE_HOLDS_ARRAY (overrides));
          rejected++;
          continue;
        }
      g_assert_no_error (error);
      applied++;
      if (warnings->len > 0)
        warned++;

      /* The connection is never overridden; the actions keep their number,
       * order and entrypoints; every input has a string id and a source. */
      g_assert_true (iwb_json_equal (json_object_get_member (json_node_get_object (eff), "connection"),
                                     json_object_get_member (json_node_get_object (base), "connection")));
      for (guint a = 0; a < 2; a++)
        {
          JsonObject *ea = action_at (eff, a);
          JsonArray *inputs = inputs_of (ea);

          g_assert_cmpstr (json_object_get_string_member (ea, "entrypoint"), ==,
                           json_object_get_string_member (action_at (base, a), "entrypoint"));
          for (guint i = 0; i < json_array_get_length (inputs); i++)
            {
              JsonObject *input = json_array_get_object_element (inputs, i);
              const char *source = json_object_get_string_member (input, "source");

              g_assert_nonnull (json_object_get_string_member (input, "id"));
              g_assert_true (g_str_equal (source, "param") || g_str_equal (source, "column") ||
                             g_str_equal (source, "connection") || g_str_equal (source, "template"));
            }
        }
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (eff), "actions")), ==, 2);
    }
  /* The generator produced all three outcomes. */
  g_assert_cmpuint (applied, >, 100);
  g_assert_cmpuint (rejected, >, 10);
  g_assert_cmpuint (warned, >, 100);
}

/* ---- end to end: real python3 children through the loader and IwbRun ---- */

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static void
wait_for (GAsyncResult **result)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (*result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*result);
}

static JsonNode *
load_descriptor (IwbPython *python,
                 GFile     *folder)
{
  g_autoptr(IwbLoader) loader = iwb_loader_new (python);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  g_autoptr(GError) error = NULL;

  iwb_loader_load_async (loader, folder, NULL, on_async_done, &result);
  wait_for (&result);
  integration = iwb_loader_load_finish (loader, result, &error);
  g_assert_no_error (error);
  return iwb_descriptor_build (integration);
}

/* Validates the connection; returns the effective descriptor (base when the
 * validator returned no overrides). */
static JsonNode *
validate_and_apply (IwbPython   *python,
                    GFile       *folder,
                    JsonNode    *base,
                    const char **values)
{
  g_autoptr(IwbRun) run = iwb_run_new (python, folder, base, IWB_RUN_VALIDATE_CONNECTION, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autofree char *files = g_dir_make_tmp ("iwb-test-overrides-XXXXXX", NULL);
  JsonNode *effective;

  iwb_run_set_files_dir (run, files);
  for (guint i = 0; values[i] != NULL; i += 2)
    iwb_run_set_value (run, values[i], values[i + 1]);
  iwb_run_start_async (run, NULL, on_async_done, &result);
  wait_for (&result);
  g_assert_true (iwb_run_start_finish (run, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (iwb_run_get_exit_code (run), ==, 0);
  g_assert_nonnull (iwb_run_get_overrides (run));

  effective = iwb_overrides_apply (base, iwb_run_get_overrides (run), &warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_rmdir (files);
  return effective;
}

static void
test_vendor_example (void)
{
  g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "diff-fixtures", "vendor-example", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(JsonNode) base = load_descriptor (python, folder);
  const char *values[] = { "API_URL", "http://127.0.0.1:9", NULL };
  g_autoptr(JsonNode) eff = validate_and_apply (python, folder, base, values);
  g_autoptr(GPtrArray) changes = iwb_json_diff (base, eff);
  g_autofree char *summary = iwb_overrides_summary (base, eff);
  JsonObject *first = json_array_get_object_element (inputs_of (action_at (eff, 0)), 0);

  /* The validator read __integration_descriptor, changed the description of
   * actions[0]...inputs[0], and nothing else changed. */
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, "CHANNEL");
  g_assert_cmpstr (json_object_get_string_member (first, "description"), ==,
                   "My Custom Dynamic Description");
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (iwb_json_change_get_path (changes->pdata[0]), ==,
                   "actions[entrypoint=main.post].instantiation.steps[0].inputs[id=CHANNEL].description");
  g_assert_cmpstr (json_node_get_string (iwb_json_change_get_old_value (changes->pdata[0])), ==,
                   "Where to post");
  g_assert_cmpstr (summary, ==, "Overrides changed 1 input in 1 action");
}

static void
test_ticket_tracker_live_projects (void)
{
  g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  g_autofree char *path = g_build_filename (g_getenv ("IWB_SOURCE_ROOT"), "examples", "ticket-tracker", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(IwbDemoService) service = iwb_demo_service_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) base = NULL;
  g_autoptr(JsonNode) eff = NULL;
  g_autoptr(GHashTable) changed = NULL;
  JsonArray *inputs;
  JsonObject *project = NULL;
  JsonArray *options;
  const char *values[] = { "TRACKER_URL", NULL, "TRACKER_USER", "demo",
                           "TRACKER_PASSWORD", "demo-password", NULL };

  iwb_demo_service_start (service, 0, &error);
  g_assert_no_error (error);
  values[1] = iwb_demo_service_get_url (service);

  base = load_descriptor (python, folder);
  eff = validate_and_apply (python, folder, base, values);

  for (guint a = 0; a < json_array_get_length (json_object_get_array_member (json_node_get_object (eff), "actions")); a++)
    if (g_str_equal (json_object_get_string_member (action_at (eff, a), "entrypoint"), "main.create_ticket"))
      {
        inputs = inputs_of (action_at (eff, a));
        for (guint i = 0; i < json_array_get_length (inputs); i++)
          if (g_str_equal (json_object_get_string_member (json_array_get_object_element (inputs, i), "id"), "PROJECT"))
            project = json_array_get_object_element (inputs, i);
      }
  g_assert_nonnull (project);

  /* The select got the demo service's live projects. */
  g_assert_cmpstr (json_object_get_string_member (project, "input_type"), ==, "select");
  options = json_object_get_array_member (project, "options");
  g_assert_nonnull (options);
  g_assert_cmpuint (json_array_get_length (options), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (options, 0), "value"), ==, "OPS");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (options, 2), "value"), ==, "NET");
  g_assert_cmpstr (json_object_get_string_member (project, "source"), ==, "param");

  changed = iwb_overrides_changed_inputs (base, eff);
  g_assert_cmpuint (g_hash_table_size (changed), ==, 1);
  g_assert_true (g_hash_table_contains (changed, "main.create_ticket\x1f" "PROJECT"));
  g_assert_cmpuint (iwb_demo_service_get_request_count (service), >=, 1);
  iwb_demo_service_stop (service);
}

/* An input added by the overrides (no "source": a param) reaches the
 * action as an environment variable, like an ActionParam. */
static void
test_added_input_reaches_action (void)
{
  g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "diff-fixtures", "added-input", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  g_autoptr(JsonNode) base = load_descriptor (python, folder);
  const char *no_values[] = { NULL };
  g_autoptr(JsonNode) eff = validate_and_apply (python, folder, base, no_values);
  JsonArray *inputs = inputs_of (action_at (eff, 0));
  JsonObject *region = json_array_get_object_element (inputs, 1);
  g_autoptr(IwbRun) run = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *files = g_dir_make_tmp ("iwb-test-overrides-XXXXXX", NULL);
  JsonObject *row = json_object_new ();
  GPtrArray *results;
  JsonNode *payload;

  g_assert_cmpuint (json_array_get_length (inputs), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (region, "id"), ==, "REGION");
  g_assert_cmpstr (json_object_get_string_member (region, "source"), ==, "param");

  /* The effective descriptor drives the run: REGION is required now. */
  run = iwb_run_new (python, folder, eff, IWB_RUN_EXECUTE, "main.where");
  iwb_run_set_files_dir (run, files);
  json_object_set_string_member (row, "name", "alpha");
  g_ptr_array_add (rows, row);
  iwb_run_set_rows (run, rows);
  errors = iwb_run_check (run);
  g_assert_cmpuint (errors->len, ==, 1);
  g_clear_pointer (&errors, g_ptr_array_unref);

  iwb_run_set_value (run, "REGION", "eu");
  errors = iwb_run_check (run);
  g_assert_cmpuint (errors->len, ==, 0);

  iwb_run_start_async (run, NULL, on_async_done, &result);
  wait_for (&result);
  g_assert_true (iwb_run_start_finish (run, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (iwb_run_get_exit_code (run), ==, 0);
  results = iwb_run_get_results (run);
  g_assert_cmpuint (results->len, ==, 1);
  payload = iwb_run_event_get_payload (results->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (payload), "region"), ==, "eu");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (payload), "name"), ==, "alpha");
  g_rmdir (files);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/overrides/match-by-entrypoint", test_match_by_entrypoint);
  g_test_add_func ("/overrides/match-by-name", test_match_by_name);
  g_test_add_func ("/overrides/match-by-position", test_match_by_position);
  g_test_add_func ("/overrides/entrypoint-cannot-move", test_entrypoint_cannot_move);
  g_test_add_func ("/overrides/unmatched-and-malformed", test_unmatched_and_malformed);
  g_test_add_func ("/overrides/not-a-list", test_not_a_list);
  g_test_add_func ("/overrides/inputs", test_inputs_added_removed_reordered);
  g_test_add_func ("/overrides/summary", test_summary_counts);
  g_test_add_func ("/overrides/find", test_find);
  g_test_add_func ("/overrides/find-in-lines", test_find_in_lines);
  g_test_add_func ("/overrides/random", test_random_overrides);
  g_test_add_func ("/overrides/e2e/vendor-example", test_vendor_example);
  g_test_add_func ("/overrides/e2e/ticket-tracker-live-projects", test_ticket_tracker_live_projects);
  g_test_add_func ("/overrides/e2e/added-input-reaches-action", test_added_input_reaches_action);

  return g_test_run ();
}

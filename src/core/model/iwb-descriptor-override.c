/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The descriptor's writes for `actionOverrides` (descriptor-and-overrides.md),
 * part of the one descriptor reader (iwb-descriptor.h): whether an override
 * has the shape of an action, the effective action it makes with the base
 * action it replaces, the effective descriptor's actions, and where a
 * change of the descriptor diff lies. Matching overrides to actions, the
 * warnings about them and the summaries are json/iwb-overrides.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-descriptor.h"
#include "iwb-error.h"
#include "iwb-json.h"

/* The INPUT keys of the spec, in order, and what an added input that leaves
 * one out gets. */
static const char * const input_keys[] = {
  "id", "label", "data_type", "input_type", "optional", "description", "default", "options",
  "source",
};

static const char * const action_keys[] = {
  "name", "entrypoint", "description", "instantiation",
};

static void
warn (GPtrArray  *warnings,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
warn (GPtrArray  *warnings,
      const char *format,
      ...)
{
  va_list args;
  char *msg;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (warnings, msg);
}

/* The members of an INPUT (and an action's description) whose JSON type
 * the spec fixes: an override that gives another type is malformed, as one
 * with a list for its name is, rather than a form that silently reads
 * "yes" as not optional or a list as its label. "default" may be any value
 * (the SDK emits whatever Python value was given). */
typedef enum
{
  MEMBER_STRING  = 1 << 0,
  MEMBER_BOOLEAN = 1 << 1,
  MEMBER_LIST    = 1 << 2,
  MEMBER_NULL    = 1 << 3,
} MemberTypes;

static const struct
{
  const char  *key;
  MemberTypes  types;
  const char  *expected;
} input_member_types[] = {
  { "label", MEMBER_STRING | MEMBER_NULL, N_("a string") },
  { "data_type", MEMBER_STRING, N_("a string") },
  { "input_type", MEMBER_STRING, N_("a string") },
  { "optional", MEMBER_BOOLEAN | MEMBER_NULL, N_("true or false") },
  { "description", MEMBER_STRING | MEMBER_NULL, N_("a string or null") },
  { "options", MEMBER_LIST | MEMBER_NULL, N_("a list or null") },
  { "source", MEMBER_STRING | MEMBER_NULL, N_("a string") },
};

static gboolean
member_type_ok (JsonNode    *node,
                MemberTypes  types)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return (types & MEMBER_NULL) != 0;
  if (JSON_NODE_HOLDS_ARRAY (node))
    return (types & MEMBER_LIST) != 0;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return (types & MEMBER_STRING) != 0;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return (types & MEMBER_BOOLEAN) != 0;
  return FALSE;
}

/* What is wrong with the shape of @action, or NULL. */
static char *
override_shape_problem (JsonObject *action)
{
  JsonNode *inst = json_object_get_member (action, "instantiation");
  JsonNode *steps;
  JsonArray *steps_arr;

  /* A null name or entrypoint counts as absent. */
  if (json_object_has_member (action, "name") && iwb_json_get_string (action, "name") == NULL &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (action, "name")))
    return g_strdup_printf (_("its “name” is %s, not a string"),
                            iwb_json_type_name (json_object_get_member (action, "name")));
  if (json_object_has_member (action, "entrypoint") &&
      iwb_json_get_string (action, "entrypoint") == NULL &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (action, "entrypoint")))
    return g_strdup_printf (_("its “entrypoint” is %s, not a string"),
                            iwb_json_type_name (json_object_get_member (action, "entrypoint")));
  if (json_object_has_member (action, "description") &&
      !member_type_ok (json_object_get_member (action, "description"), MEMBER_STRING | MEMBER_NULL))
    return g_strdup_printf (_("its “description” is %s, not a string or null"),
                            iwb_json_type_name (json_object_get_member (action, "description")));
  if (inst == NULL)
    return NULL; /* kept from the base action */
  if (!JSON_NODE_HOLDS_OBJECT (inst))
    return g_strdup_printf (_("its “instantiation” is %s, not an object"), iwb_json_type_name (inst));
  steps = json_object_get_member (json_node_get_object (inst), "steps");
  if (steps == NULL || !JSON_NODE_HOLDS_ARRAY (steps))
    return g_strdup_printf (_("its “instantiation.steps” is %s, not a list"), iwb_json_type_name (steps));

  steps_arr = json_node_get_array (steps);
  if (json_array_get_length (steps_arr) == 0)
    return g_strdup ("its “instantiation.steps” is empty (an action has one step with its inputs)");
  for (guint s = 0; s < json_array_get_length (steps_arr); s++)
    {
      JsonNode *step = json_array_get_element (steps_arr, s);
      JsonNode *inputs;
      JsonArray *inputs_arr;
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      if (!JSON_NODE_HOLDS_OBJECT (step))
        return g_strdup_printf (_("its “instantiation.steps[%u]” is %s, not an object"),
                                s, iwb_json_type_name (step));
      inputs = json_object_get_member (json_node_get_object (step), "inputs");
      if (inputs == NULL || !JSON_NODE_HOLDS_ARRAY (inputs))
        return g_strdup_printf (_("its “instantiation.steps[%u].inputs” is %s, not a list"),
                                s, iwb_json_type_name (inputs));
      inputs_arr = json_node_get_array (inputs);
      for (guint i = 0; i < json_array_get_length (inputs_arr); i++)
        {
          JsonNode *input = json_array_get_element (inputs_arr, i);
          const char *id;

          if (!JSON_NODE_HOLDS_OBJECT (input))
            return g_strdup_printf (_("its “instantiation.steps[%u].inputs[%u]” is %s, not an object"),
                                    s, i, iwb_json_type_name (input));
          id = iwb_json_get_string (json_node_get_object (input), "id");
          if (id == NULL || *id == '\0')
            return g_strdup_printf (_("its “instantiation.steps[%u].inputs[%u]” has no string “id”"),
                                    s, i);
          if (!g_hash_table_add (seen, (gpointer) id))
            return g_strdup_printf (_("its “instantiation.steps[%u].inputs” has the id “%s” twice"),
                                    s, id);
          for (guint k = 0; k < G_N_ELEMENTS (input_member_types); k++)
            {
              JsonNode *member = json_object_get_member (json_node_get_object (input),
                                                         input_member_types[k].key);

              if (member != NULL && !member_type_ok (member, input_member_types[k].types))
                return g_strdup_printf (_("its “instantiation.steps[%u].inputs[%u].%s” (id “%s”) "
                                          "is %s, not %s"),
                                        s, i, input_member_types[k].key, id,
                                        iwb_json_type_name (member),
                                        _(input_member_types[k].expected));
            }
        }
    }
  return NULL;
}

/**
 * iwb_descriptor_override_check:
 * @override: one object of `actionOverrides`
 *
 * Returns: %TRUE when @override can replace an action: a string (or null,
 *   or missing) name and entrypoint, and when it has an instantiation, a
 *   non-empty list of steps each with a list of inputs, each an object with
 *   a non-empty string id, unique in its step, and members of the JSON
 *   type the spec gives them (label, data_type, input_type, source:
 *   strings; optional: a boolean; description: a string or null; options:
 *   a list or null; the action's description: a string or null). Else %FALSE with
 *   %IWB_ERROR_INVALID_DESCRIPTOR and a message starting “its …” that says
 *   which member is wrong.
 */
gboolean
iwb_descriptor_override_check (JsonObject  *override,
                               GError     **error)
{
  g_autofree char *problem = NULL;

  g_return_val_if_fail (override != NULL, FALSE);

  problem = override_shape_problem (override);
  if (problem == NULL)
    return TRUE;
  g_set_error_literal (error, IWB_ERROR, IWB_ERROR_INVALID_DESCRIPTOR, problem);
  return FALSE;
}

/* id -> INPUT object of every input of a (well-formed) action. */
static GHashTable *
index_inputs (JsonObject *action)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *steps = iwb_json_get_array (iwb_json_get_object (action, "instantiation"), "steps");

  for (guint s = 0; steps != NULL && s < json_array_get_length (steps); s++)
    {
      JsonArray *inputs = iwb_json_get_array (iwb_json_array_get_object (steps, s), "inputs");

      for (guint i = 0; inputs != NULL && i < json_array_get_length (inputs); i++)
        {
          JsonObject *input = iwb_json_array_get_object (inputs, i);
          const char *id = iwb_json_get_string (input, "id");

          if (id != NULL && !g_hash_table_contains (index, id))
            g_hash_table_insert (index, (gpointer) id, input);
        }
    }
  return index;
}

static gboolean
is_known_source (const char *source)
{
  return g_strcmp0 (source, "connection") == 0 || g_strcmp0 (source, "param") == 0 ||
         g_strcmp0 (source, "column") == 0 || g_strcmp0 (source, "template") == 0;
}

static JsonNode *
default_input_value (const char *key,
                     const char *id)
{
  if (g_str_equal (key, "label"))
    return json_node_init_string (json_node_alloc (), id);
  if (g_str_equal (key, "data_type"))
    return json_node_init_string (json_node_alloc (), "string");
  if (g_str_equal (key, "input_type"))
    return json_node_init_string (json_node_alloc (), "text");
  if (g_str_equal (key, "optional"))
    return json_node_init_boolean (json_node_alloc (), FALSE);
  if (g_str_equal (key, "source"))
    return json_node_init_string (json_node_alloc (), "param");
  return json_node_new (JSON_NODE_NULL);
}

/* Copies the members of @from that @to does not have yet: keys the
 * validator added travel along, after the ones the spec knows. */
static void
copy_missing_members (JsonObject *to,
                      JsonObject *from)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, from);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    if (!json_object_has_member (to, name))
      json_object_set_member (to, name, iwb_json_deep_copy (member));
}

/* (transfer full) a node holding @object, whose reference it takes. */
static JsonNode *
object_node_take (JsonObject *object)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), object);

  json_object_unref (object);
  return node;
}

/* The effective INPUT: the override's keys; keys it leaves out come from the
 * base input with that id, or the defaults of a new ActionParam. */
static JsonNode *
complete_input (JsonObject *input,
                JsonObject *base_input,
                const char *where,
                GPtrArray  *warnings)
{
  JsonObject *out = json_object_new ();
  const char *id = iwb_json_get_string (input, "id");

  for (guint k = 0; k < G_N_ELEMENTS (input_keys); k++)
    {
      const char *key = input_keys[k];
      JsonNode *value = json_object_get_member (input, key);

      if (g_str_equal (key, "source"))
        {
          const char *source = value != NULL ? iwb_json_get_string (input, "source") : NULL;

          if (value != NULL && !JSON_NODE_HOLDS_NULL (value) && !is_known_source (source))
            {
              warn (warnings, "%s: input “%s” has the unknown source %s%s%s; "
                    "it is treated as an action parameter (\"param\")",
                    where, id, source ? "“" : "", source ? source : iwb_json_type_name (value),
                    source ? "”" : "");
              json_object_set_member (out, key, default_input_value (key, id));
              continue;
            }
          if (value == NULL || JSON_NODE_HOLDS_NULL (value))
            value = NULL;
        }

      if (value != NULL)
        json_object_set_member (out, key, iwb_json_deep_copy (value));
      else if (base_input != NULL && json_object_has_member (base_input, key))
        json_object_set_member (out, key,
                                iwb_json_deep_copy (json_object_get_member (base_input, key)));
      else
        json_object_set_member (out, key, default_input_value (key, id));
    }

  /* Extra keys the validator added travel along. */
  copy_missing_members (out, input);

  return object_node_take (out);
}

static JsonNode *
complete_instantiation (JsonObject *inst,
                        JsonObject *base_action,
                        const char *where,
                        GPtrArray  *warnings)
{
  g_autoptr(GHashTable) base_inputs = index_inputs (base_action);
  JsonObject *out = json_object_new ();
  JsonArray *steps = iwb_json_get_array (inst, "steps");
  JsonArray *out_steps = json_array_new ();

  for (guint s = 0; s < json_array_get_length (steps); s++)
    {
      JsonObject *step = iwb_json_array_get_object (steps, s);
      JsonArray *inputs = iwb_json_get_array (step, "inputs");
      JsonObject *out_step = json_object_new ();
      JsonArray *out_inputs = json_array_new ();

      for (guint i = 0; i < json_array_get_length (inputs); i++)
        {
          JsonObject *input = iwb_json_array_get_object (inputs, i);
          JsonObject *base_input = g_hash_table_lookup (base_inputs,
                                                        iwb_json_get_string (input, "id"));

          json_array_add_element (out_inputs, complete_input (input, base_input, where, warnings));
        }
      json_object_set_array_member (out_step, "inputs", out_inputs);
      copy_missing_members (out_step, step);
      json_array_add_object_element (out_steps, out_step);
    }
  json_object_set_array_member (out, "steps", out_steps);

  copy_missing_members (out, inst);

  return object_node_take (out);
}

/**
 * iwb_descriptor_override_merge:
 * @base_action: the action of the base descriptor @override replaces
 * @override: an override that passed iwb_descriptor_override_check ()
 * @where: how warnings name @override (`actionOverrides[2] (entrypoint “main.x”)`)
 * @warnings: (element-type utf8): gets a message per repaired input (an
 *   unknown source becomes "param")
 *
 * The effective action: the members of the spec in its order, each from
 * @override, else from @base_action; the entrypoint always from
 * @base_action (an override cannot move it); a null name keeps the base
 * name. When @override has an instantiation, each of its inputs gets the
 * keys it leaves out from the base input with the same id, else the
 * defaults of a new ActionParam. Members the validator added travel along,
 * after those of the spec.
 *
 * Returns: (transfer full): the effective action
 */
JsonNode *
iwb_descriptor_override_merge (JsonObject *base_action,
                               JsonObject *override,
                               const char *where,
                               GPtrArray  *warnings)
{
  JsonObject *out = json_object_new ();

  for (guint k = 0; k < G_N_ELEMENTS (action_keys); k++)
    {
      const char *key = action_keys[k];
      JsonNode *value = json_object_get_member (override, key);

      if (g_str_equal (key, "entrypoint"))
        value = json_object_get_member (base_action, key); /* an override cannot move it */
      else if (value == NULL || (g_str_equal (key, "name") && JSON_NODE_HOLDS_NULL (value)))
        value = json_object_get_member (base_action, key);
      if (value == NULL)
        continue;

      if (g_str_equal (key, "instantiation") && json_object_has_member (override, key))
        json_object_set_member (out, key,
                                complete_instantiation (json_node_get_object (value), base_action,
                                                        where, warnings));
      else
        json_object_set_member (out, key, iwb_json_deep_copy (value));
    }

  copy_missing_members (out, override);

  return object_node_take (out);
}

/**
 * iwb_descriptor_dup_with_actions:
 * @actions: (transfer full): the new "actions" list
 *
 * Returns: (transfer full): a deep copy of @descriptor (an object) whose
 *   "actions" is @actions
 */
JsonNode *
iwb_descriptor_dup_with_actions (JsonNode  *descriptor,
                                 JsonArray *actions)
{
  JsonNode *copy;

  g_return_val_if_fail (descriptor != NULL && JSON_NODE_HOLDS_OBJECT (descriptor), NULL);
  g_return_val_if_fail (actions != NULL, NULL);

  copy = iwb_json_deep_copy (descriptor);
  json_object_set_array_member (json_node_get_object (copy), "actions", actions);
  return copy;
}

/* "#N": a list element by its index in the new list, else in the old one. */
static char *
segment_key (const IwbJsonSegment *seg)
{
  if (seg->kind == IWB_JSON_SEGMENT_KEYED)
    return g_strdup (seg->key_value);
  return g_strdup_printf ("#%d", seg->new_index >= 0 ? seg->new_index : seg->old_index);
}

/**
 * iwb_descriptor_change_location:
 * @change: a change of iwb_json_diff () between two descriptors
 * @action_out: (out) (transfer full): the action it lies in: its entrypoint,
 *   or "#INDEX"
 * @input_out: (out) (transfer full) (nullable): the input it lies in (its
 *   id, or "#INDEX"), NULL when it is not inside an input
 *
 * Returns: %TRUE when @change lies in an action (or adds, removes or moves
 *   one); %FALSE (both out NULL) for the rest of the descriptor
 */
gboolean
iwb_descriptor_change_location (IwbJsonChange  *change,
                                char          **action_out,
                                char          **input_out)
{
  guint n = iwb_json_change_get_n_segments (change);
  const IwbJsonSegment *seg;

  *action_out = NULL;
  *input_out = NULL;
  if (n < 2)
    return FALSE;
  seg = iwb_json_change_get_segment (change, 0);
  if (seg->kind != IWB_JSON_SEGMENT_MEMBER || g_strcmp0 (seg->name, "actions") != 0)
    return FALSE;

  *action_out = segment_key (iwb_json_change_get_segment (change, 1));

  /* actions[..].instantiation.steps[s].inputs[id=X]... */
  if (n >= 7 &&
      iwb_json_change_get_segment (change, 2)->kind == IWB_JSON_SEGMENT_MEMBER &&
      g_strcmp0 (iwb_json_change_get_segment (change, 2)->name, "instantiation") == 0 &&
      g_strcmp0 (iwb_json_change_get_segment (change, 3)->name, "steps") == 0 &&
      g_strcmp0 (iwb_json_change_get_segment (change, 5)->name, "inputs") == 0)
    *input_out = segment_key (iwb_json_change_get_segment (change, 6));
  return TRUE;
}

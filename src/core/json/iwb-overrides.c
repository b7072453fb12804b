/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Dynamic overrides: finding them among a validation's [result] payloads,
 * applying them to the platform descriptor (descriptor-and-overrides.md),
 * and summarising what they changed.
 */
#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "iwb-error.h"
#include "iwb-json-diff.h"
#include "iwb-json-patch.h"
#include "iwb-overrides.h"
#include "iwb-result-parser.h"

/* The INPUT keys of the spec, in order, and what an added input that leaves
 * one out gets. */
static const char * const input_keys[] = {
  "id", "label", "data_type", "input_type", "optional", "description", "default", "options",
  "source",
};

static const char * const action_keys[] = {
  "name", "entrypoint", "description", "instantiation",
};

static const char *
string_member (JsonObject *obj,
               const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

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

/* A human label for override number @k: `actionOverrides[2] (entrypoint “main.x”)`. */
static char *
describe_override (guint       k,
                   JsonObject *obj)
{
  const char *ep = obj != NULL ? string_member (obj, "entrypoint") : NULL;
  const char *name = obj != NULL ? string_member (obj, "name") : NULL;

  if (ep != NULL)
    return g_strdup_printf (_("actionOverrides[%u] (entrypoint “%s”)"), k, ep);
  if (name != NULL)
    return g_strdup_printf (_("actionOverrides[%u] (name “%s”)"), k, name);
  return g_strdup_printf (_("actionOverrides[%u]"), k);
}

/* Checks the shape an action form needs; returns a message when broken. */
static char *
check_action_shape (JsonObject *action)
{
  JsonNode *inst = json_object_get_member (action, "instantiation");
  JsonNode *steps;
  JsonArray *steps_arr;

  /* A null name or entrypoint counts as absent. */
  if (json_object_has_member (action, "name") && string_member (action, "name") == NULL &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (action, "name")))
    return g_strdup_printf (_("its “name” is %s, not a string"),
                            iwb_json_type_name (json_object_get_member (action, "name")));
  if (json_object_has_member (action, "entrypoint") && string_member (action, "entrypoint") == NULL &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (action, "entrypoint")))
    return g_strdup_printf (_("its “entrypoint” is %s, not a string"),
                            iwb_json_type_name (json_object_get_member (action, "entrypoint")));
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
          id = string_member (json_node_get_object (input), "id");
          if (id == NULL || *id == '\0')
            return g_strdup_printf (_("its “instantiation.steps[%u].inputs[%u]” has no string “id”"),
                                    s, i);
          if (!g_hash_table_add (seen, (gpointer) id))
            return g_strdup_printf (_("its “instantiation.steps[%u].inputs” has the id “%s” twice"),
                                    s, id);
        }
    }
  return NULL;
}

/* id -> INPUT object of every input of a (well-formed) action. */
static GHashTable *
index_inputs (JsonObject *action)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *inst = json_object_get_member (action, "instantiation");
  JsonNode *steps;

  if (inst == NULL || !JSON_NODE_HOLDS_OBJECT (inst))
    return index;
  steps = json_object_get_member (json_node_get_object (inst), "steps");
  if (steps == NULL || !JSON_NODE_HOLDS_ARRAY (steps))
    return index;

  for (guint s = 0; s < json_array_get_length (json_node_get_array (steps)); s++)
    {
      JsonNode *step = json_array_get_element (json_node_get_array (steps), s);
      JsonNode *inputs;

      if (!JSON_NODE_HOLDS_OBJECT (step))
        continue;
      inputs = json_object_get_member (json_node_get_object (step), "inputs");
      if (inputs == NULL || !JSON_NODE_HOLDS_ARRAY (inputs))
        continue;
      for (guint i = 0; i < json_array_get_length (json_node_get_array (inputs)); i++)
        {
          JsonNode *input = json_array_get_element (json_node_get_array (inputs), i);
          const char *id;

          if (!JSON_NODE_HOLDS_OBJECT (input))
            continue;
          id = string_member (json_node_get_object (input), "id");
          if (id != NULL && !g_hash_table_contains (index, id))
            g_hash_table_insert (index, (gpointer) id, json_node_get_object (input));
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
  const char *id = string_member (input, "id");

  for (guint k = 0; k < G_N_ELEMENTS (input_keys); k++)
    {
      const char *key = input_keys[k];
      JsonNode *value = json_object_get_member (input, key);

      if (g_str_equal (key, "source"))
        {
          const char *source = value != NULL ? string_member (input, "source") : NULL;

          if (value != NULL && !JSON_NODE_HOLDS_NULL (value) && !is_known_source (source))
            {
              warn (warnings, "%s: input “%s” has the unknown source %s%s%s; "
                    "it is treated as an action parameter (\"param\")",
                    where, id, source ? "“" : "", source ? source : iwb_json_type_name (value),
                    source ? "”" : "");
              value = NULL;
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
          JsonObject *base_input = g_hash_table_lookup (base_inputs, string_member (input, "id"));

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

/* The effective action for @override replacing @base_action. */
static JsonNode *
replace_action (JsonObject *base_action,
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
 * iwb_overrides_apply:
 * @base_descriptor: the platform descriptor
 * @action_overrides: the value of "actionOverrides"
 * @warnings: (out) (optional) (transfer full) (element-type utf8): one message
 *   per override that was not applied or was repaired
 * @error: IWB_ERROR_INVALID_OVERRIDE when @action_overrides is not a list
 *
 * Returns: (transfer full) (nullable): the effective descriptor.
 */
JsonNode *
iwb_overrides_apply (JsonNode   *base_descriptor,
                     JsonNode   *action_overrides,
                     GPtrArray **warnings,
                     GError    **error)
{
  g_autoptr(GPtrArray) msgs = g_ptr_array_new_with_free_func (g_free);
  JsonObject *base;
  JsonArray *base_actions;
  JsonArray *overrides;
  guint n_actions;
  g_autofree JsonNode **replacement = NULL;
  g_autofree guint *replaced_by = NULL;
  g_autoptr(JsonNode) effective = NULL;
  JsonArray *out_actions;

  if (warnings != NULL)
    *warnings = NULL;

  if (base_descriptor == NULL || !JSON_NODE_HOLDS_OBJECT (base_descriptor) ||
      json_object_get_member (json_node_get_object (base_descriptor), "actions") == NULL ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (base_descriptor),
                                                      "actions")))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_OVERRIDE,
                   _("The integration's descriptor has no “actions” list, so the overrides "
                   "cannot be applied; reload the integration and validate again"));
      return NULL;
    }
  if (action_overrides == NULL || !JSON_NODE_HOLDS_ARRAY (action_overrides))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_OVERRIDE,
                   "The connection validator returned “actionOverrides” as %s, not a list of "
                   "actions; the base descriptor stays in force. Return the edited list, e.g. "
                   "print(\"[result] \" + json.dumps({\"actionOverrides\": descriptor[\"actions\"]}))",
                   iwb_json_type_name (action_overrides));
      return NULL;
    }

  base = json_node_get_object (base_descriptor);
  base_actions = iwb_json_get_array (base, "actions");
  overrides = json_node_get_array (action_overrides);
  n_actions = json_array_get_length (base_actions);
  replacement = g_new0 (JsonNode *, n_actions + 1);
  replaced_by = g_new0 (guint, n_actions + 1);

  for (guint k = 0; k < json_array_get_length (overrides); k++)
    {
      JsonNode *item = json_array_get_element (overrides, k);
      JsonObject *override;
      g_autofree char *where = NULL;
      g_autofree char *broken = NULL;
      const char *ep, *name;
      int match = -1;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          warn (msgs, "actionOverrides[%u] is %s, not an action object; it was ignored",
                k, iwb_json_type_name (item));
          continue;
        }
      override = json_node_get_object (item);
      where = describe_override (k, override);
      ep = string_member (override, "entrypoint");
      name = string_member (override, "name");

      if ((broken = check_action_shape (override)) != NULL)
        {
          warn (msgs, "%s is malformed: %s; it was ignored", where, broken);
          continue;
        }

      for (guint i = 0; i < n_actions && match < 0; i++)
        {
          JsonNode *a = json_array_get_element (base_actions, i);

          if (!JSON_NODE_HOLDS_OBJECT (a))
            continue;
          if (ep != NULL)
            {
              if (g_strcmp0 (string_member (json_node_get_object (a), "entrypoint"), ep) == 0)
                match = i;
            }
          else if (name != NULL)
            {
              if (g_strcmp0 (string_member (json_node_get_object (a), "name"), name) == 0)
                match = i;
            }
        }
      if (ep == NULL && name == NULL && k < n_actions &&
          JSON_NODE_HOLDS_OBJECT (json_array_get_element (base_actions, k)))
        match = k;

      if (match < 0)
        {
          if (ep != NULL)
            warn (msgs, "%s matches no action of the integration (no action has that "
                  "entrypoint); it was ignored", where);
          else if (name != NULL)
            warn (msgs, "%s matches no action of the integration (no action has that name); "
                  "it was ignored", where);
          else
            warn (msgs, "%s has neither “entrypoint” nor “name” and the integration has only "
                  "%u action(s); it was ignored", where, n_actions);
          continue;
        }

      if (replacement[match] != NULL)
        {
          warn (msgs, "%s replaces the action “%s” again (after actionOverrides[%u]); the "
                "later one is used", where,
                string_member (iwb_json_array_get_object (base_actions, match), "entrypoint"),
                replaced_by[match]);
          json_node_unref (replacement[match]);
        }
      replacement[match] = replace_action (iwb_json_array_get_object (base_actions, match),
                                           override, where, msgs);
      replaced_by[match] = k;
    }

  /* The effective descriptor: the base with the replaced actions. */
  effective = iwb_json_deep_copy (base_descriptor);
  out_actions = json_array_sized_new (n_actions);
  for (guint i = 0; i < n_actions; i++)
    {
      if (replacement[i] != NULL)
        json_array_add_element (out_actions, g_steal_pointer (&replacement[i]));
      else
        json_array_add_element (out_actions,
                                iwb_json_deep_copy (json_array_get_element (base_actions, i)));
    }
  json_object_set_array_member (json_node_get_object (effective), "actions", out_actions);

  if (warnings != NULL)
    *warnings = g_steal_pointer (&msgs);
  return g_steal_pointer (&effective);
}

/**
 * iwb_overrides_find:
 * @result_payloads: (element-type JsonNode): the parsed [result] values
 * @overrides: (out) (transfer full): the "actionOverrides" list
 *
 * Returns: %TRUE when an override result was found and is a list.
 */
gboolean
iwb_overrides_find (GPtrArray  *result_payloads,
                    JsonNode  **overrides,
                    GError    **error)
{
  g_return_val_if_fail (overrides != NULL, FALSE);

  *overrides = NULL;
  for (guint i = result_payloads->len; i-- > 0;)
    {
      JsonNode *payload = g_ptr_array_index (result_payloads, i);
      JsonNode *value;

      if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload))
        continue;
      value = json_object_get_member (json_node_get_object (payload), "actionOverrides");
      if (value == NULL)
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (value))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_OVERRIDE,
                       _("The connection validator's [result] has “actionOverrides” as %s, not a "
                       "list of actions; the base descriptor stays in force. Return the edited "
                       "list of actions (descriptor[\"actions\"])"), iwb_json_type_name (value));
          return FALSE;
        }
      *overrides = iwb_json_deep_copy (value);
      return TRUE;
    }
  return FALSE;
}

/**
 * iwb_overrides_find_in_lines:
 * @lines: (array zero-terminated=1): the validation's stdout lines
 *
 * Returns: as iwb_overrides_find(); an unparsable [result] line that
 *   mentions actionOverrides is an IWB_ERROR_INVALID_OVERRIDE error.
 */
gboolean
iwb_overrides_find_in_lines (const char * const *lines,
                             JsonNode          **overrides,
                             GError            **error)
{
  g_autoptr(GPtrArray) payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  g_return_val_if_fail (overrides != NULL, FALSE);
  *overrides = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) value = NULL;
      g_autoptr(JsonNode) lhub_id = NULL;
      g_autofree char *message = NULL;
      IwbResultLineStatus status;

      status = iwb_result_parse_line (lines[i], strlen (lines[i]), &value, &lhub_id, &message);
      if (status == IWB_RESULT_LINE_INVALID && strstr (lines[i], "actionOverrides") != NULL)
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_OVERRIDE,
                       _("stdout line %u: the [result] line with “actionOverrides” is not valid "
                       "JSON (%s); the base descriptor stays in force. Print it with json.dumps()"),
                       i + 1, message ? message : "parse error");
          return FALSE;
        }
      if (status == IWB_RESULT_LINE_OK && value != NULL)
        g_ptr_array_add (payloads, g_steal_pointer (&value));
    }
  return iwb_overrides_find (payloads, overrides, error);
}

/* The action (entrypoint, or "#index") and input id a change lies in. */
static gboolean
change_location (IwbJsonChange  *change,
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

  seg = iwb_json_change_get_segment (change, 1);
  if (seg->kind == IWB_JSON_SEGMENT_KEYED)
    *action_out = g_strdup (seg->key_value);
  else
    *action_out = g_strdup_printf ("#%d", seg->new_index >= 0 ? seg->new_index : seg->old_index);

  /* actions[..].instantiation.steps[s].inputs[id=X]... */
  if (n >= 7 &&
      iwb_json_change_get_segment (change, 2)->kind == IWB_JSON_SEGMENT_MEMBER &&
      g_strcmp0 (iwb_json_change_get_segment (change, 2)->name, "instantiation") == 0 &&
      g_strcmp0 (iwb_json_change_get_segment (change, 3)->name, "steps") == 0 &&
      g_strcmp0 (iwb_json_change_get_segment (change, 5)->name, "inputs") == 0)
    {
      seg = iwb_json_change_get_segment (change, 6);
      if (seg->kind == IWB_JSON_SEGMENT_KEYED)
        *input_out = g_strdup (seg->key_value);
      else
        *input_out = g_strdup_printf ("#%d", seg->new_index >= 0 ? seg->new_index : seg->old_index);
    }
  return TRUE;
}

/**
 * iwb_overrides_changed_inputs:
 *
 * Returns: (transfer full): "entrypoint\x1fid" -> GPtrArray of
 *   IwbJsonChange (each change that lies inside that input, or adds, removes
 *   or moves it).
 */
GHashTable *
iwb_overrides_changed_inputs (JsonNode *base_descriptor,
                              JsonNode *effective_descriptor)
{
  g_autoptr(GPtrArray) changes = iwb_json_diff (base_descriptor, effective_descriptor);
  GHashTable *result = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < changes->len; i++)
    {
      g_autofree char *action = NULL;
      g_autofree char *input = NULL;
      GPtrArray *list;
      char *key;

      if (!change_location (changes->pdata[i], &action, &input) || input == NULL)
        continue;
      key = g_strdup_printf ("%s\x1f%s", action, input);
      list = g_hash_table_lookup (result, key);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (result, key, list);
        }
      else
        g_free (key);
      g_ptr_array_add (list, g_object_ref (changes->pdata[i]));
    }
  return result;
}

void
iwb_overrides_count_changes (JsonNode *base_descriptor,
                             JsonNode *effective_descriptor,
                             guint    *n_inputs,
                             guint    *n_actions)
{
  g_autoptr(GPtrArray) changes = iwb_json_diff (base_descriptor, effective_descriptor);
  g_autoptr(GHashTable) actions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) inputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < changes->len; i++)
    {
      g_autofree char *action = NULL;
      g_autofree char *input = NULL;

      if (!change_location (changes->pdata[i], &action, &input))
        continue;
      if (input != NULL)
        g_hash_table_add (inputs, g_strdup_printf ("%s\x1f%s", action, input));
      g_hash_table_add (actions, g_steal_pointer (&action));
    }

  if (n_inputs != NULL)
    *n_inputs = g_hash_table_size (inputs);
  if (n_actions != NULL)
    *n_actions = g_hash_table_size (actions);
}

char *
iwb_overrides_summary (JsonNode *base_descriptor,
                       JsonNode *effective_descriptor)
{
  guint n_inputs = 0, n_actions = 0;

  iwb_overrides_count_changes (base_descriptor, effective_descriptor, &n_inputs, &n_actions);
  if (n_actions == 0)
    return g_strdup (_("Overrides changed nothing"));
  {
    g_autofree char *inputs = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u input", "%u inputs",
                                                            n_inputs), n_inputs);
    g_autofree char *actions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u action",
                                                             "%u actions", n_actions), n_actions);

    /* Translators: "Overrides changed 3 inputs in 1 action": the first %s is
     * the number of inputs, the second the number of actions. */
    return g_strdup_printf (_("Overrides changed %s in %s"), inputs, actions);
  }
}

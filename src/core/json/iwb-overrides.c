/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Dynamic overrides: finding them among a validation's [result] payloads,
 * applying them to the platform descriptor (descriptor-and-overrides.md),
 * and summarising what they changed.
 */
#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "iwb-descriptor.h"
#include "iwb-error.h"
#include "iwb-json-diff.h"
#include "iwb-json-patch.h"
#include "iwb-overrides.h"
#include "iwb-result-parser.h"

/* A human label for override number @k: `actionOverrides[2] (entrypoint “main.x”)`. */
static char *
describe_override (guint       k,
                   JsonObject *obj)
{
  const char *ep = iwb_descriptor_action_get_entrypoint (obj);
  const char *name = iwb_descriptor_action_get_name (obj);

  if (ep != NULL)
    return g_strdup_printf (_("actionOverrides[%u] (entrypoint “%s”)"), k, ep);
  if (name != NULL)
    return g_strdup_printf (_("actionOverrides[%u] (name “%s”)"), k, name);
  return g_strdup_printf (_("actionOverrides[%u]"), k);
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
  JsonArray *base_actions;
  JsonArray *overrides;
  guint n_actions;
  g_autofree JsonNode **replacement = NULL;
  g_autofree guint *replaced_by = NULL;
  g_autoptr(JsonNode) effective = NULL;
  JsonArray *out_actions;

  if (warnings != NULL)
    *warnings = NULL;

  base_actions = iwb_descriptor_get_actions (base_descriptor, NULL);
  if (base_actions == NULL)
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

  overrides = json_node_get_array (action_overrides);
  n_actions = json_array_get_length (base_actions);
  replacement = g_new0 (JsonNode *, n_actions + 1);
  replaced_by = g_new0 (guint, n_actions + 1);

  for (guint k = 0; k < json_array_get_length (overrides); k++)
    {
      JsonNode *item = json_array_get_element (overrides, k);
      JsonObject *override;
      g_autofree char *where = NULL;
      g_autoptr(GError) broken = NULL;
      const char *ep, *name;
      int match = -1;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          g_ptr_array_add (msgs, g_strdup_printf ("actionOverrides[%u] is %s, not an action "
                                                  "object; it was ignored",
                                                  k, iwb_json_type_name (item)));
          continue;
        }
      override = json_node_get_object (item);
      where = describe_override (k, override);
      ep = iwb_descriptor_action_get_entrypoint (override);
      name = iwb_descriptor_action_get_name (override);

      if (!iwb_descriptor_override_check (override, &broken))
        {
          g_ptr_array_add (msgs, g_strdup_printf ("%s is malformed: %s; it was ignored", where,
                                                  broken->message));
          continue;
        }

      for (guint i = 0; i < n_actions && match < 0; i++)
        {
          JsonObject *a = iwb_json_array_get_object (base_actions, i);

          if (a == NULL)
            continue;
          if (ep != NULL)
            {
              if (g_strcmp0 (iwb_descriptor_action_get_entrypoint (a), ep) == 0)
                match = i;
            }
          else if (name != NULL)
            {
              if (g_strcmp0 (iwb_descriptor_action_get_name (a), name) == 0)
                match = i;
            }
        }
      if (ep == NULL && name == NULL && k < n_actions &&
          JSON_NODE_HOLDS_OBJECT (json_array_get_element (base_actions, k)))
        match = k;

      if (match < 0)
        {
          if (ep != NULL)
            g_ptr_array_add (msgs, g_strdup_printf ("%s matches no action of the integration (no "
                                                    "action has that entrypoint); it was ignored",
                                                    where));
          else if (name != NULL)
            g_ptr_array_add (msgs, g_strdup_printf ("%s matches no action of the integration (no "
                                                    "action has that name); it was ignored",
                                                    where));
          else
            g_ptr_array_add (msgs, g_strdup_printf ("%s has neither “entrypoint” nor “name” and "
                                                    "the integration has only %u action(s); it "
                                                    "was ignored", where, n_actions));
          continue;
        }

      if (replacement[match] != NULL)
        {
          JsonObject *base_action = iwb_json_array_get_object (base_actions, match);

          g_ptr_array_add (msgs, g_strdup_printf ("%s replaces the action “%s” again (after "
                                                  "actionOverrides[%u]); the later one is used",
                                                  where,
                                                  iwb_descriptor_action_get_entrypoint (base_action),
                                                  replaced_by[match]));
          json_node_unref (replacement[match]);
        }
      replacement[match] = iwb_descriptor_override_merge (iwb_json_array_get_object (base_actions,
                                                                                    match),
                                                          override, where, msgs);
      replaced_by[match] = k;
    }

  /* The effective descriptor: the base with the replaced actions. */
  out_actions = json_array_sized_new (n_actions);
  for (guint i = 0; i < n_actions; i++)
    {
      if (replacement[i] != NULL)
        json_array_add_element (out_actions, g_steal_pointer (&replacement[i]));
      else
        json_array_add_element (out_actions,
                                iwb_json_deep_copy (json_array_get_element (base_actions, i)));
    }
  effective = iwb_descriptor_dup_with_actions (base_descriptor, out_actions);

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

      if (!iwb_descriptor_change_location (changes->pdata[i], &action, &input) || input == NULL)
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

      if (!iwb_descriptor_change_location (changes->pdata[i], &action, &input))
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "iwb-types.h"
#include "iwb-integration.h"
#include "iwb-json-diff.h"

G_BEGIN_DECLS

JsonNode *iwb_descriptor_build        (IwbIntegration *integration);
JsonNode *iwb_descriptor_build_action (IwbAction      *action);
char     *iwb_descriptor_to_string    (JsonNode       *descriptor,
                                       gboolean        pretty);

/* -- Reading a descriptor: the one place that knows its members.
 *
 * @descriptor is untrusted JSON (built, overridden, read from a file or a
 * history entry): no function here warns or crashes on it. A member that is
 * missing gives NULL (or the documented fallback); a member of the wrong type
 * gives NULL and, where a GError is taken, %IWB_ERROR_INVALID_DESCRIPTOR with
 * its path ("actions[2].instantiation.steps") and what it should be. Returned
 * objects and arrays belong to @descriptor. */

/* The "actions" list (NULL when missing or not a list). */
JsonArray  *iwb_descriptor_get_actions           (JsonNode    *descriptor,
                                                  GError     **error);
/* The action whose "entrypoint" is @entrypoint, or NULL. */
JsonObject *iwb_descriptor_find_action           (JsonNode    *descriptor,
                                                  const char  *entrypoint);
/* Every action's entrypoint, in order (actions without one are skipped). */
GStrv       iwb_descriptor_dup_entrypoints       (JsonNode    *descriptor);
/* "connection"."inputs". */
JsonArray  *iwb_descriptor_get_connection_inputs (JsonNode    *descriptor,
                                                  GError     **error);
/* The inputs of one scope: the connection's when @entrypoint is NULL, else
 * those of that action (NULL when there is no such action). */
JsonArray  *iwb_descriptor_get_inputs            (JsonNode    *descriptor,
                                                  const char  *entrypoint,
                                                  GError     **error);

/* One action object of "actions". */
const char *iwb_descriptor_action_get_entrypoint (JsonObject  *action);
const char *iwb_descriptor_action_get_name       (JsonObject  *action);
const char *iwb_descriptor_action_get_description (JsonObject  *action);
/* "instantiation"."steps"[0]."inputs". */
JsonArray  *iwb_descriptor_action_get_inputs     (JsonObject  *action,
                                                  GError     **error);

/* The model of one action (e.g. an effective action after overrides):
 * every input of every step, in order, sorted into params and arguments by
 * its "source" (missing: "param"). A null or missing instantiation, steps or
 * inputs is none. %NULL with @error: %IWB_ERROR_INVALID_DESCRIPTOR naming
 * the member of the wrong type (actions[entrypoint=main.a].instantiation.
 * steps[1]), or the error of iwb_action_new_checked () (the name, the
 * entrypoint, the description) or iwb_param_new_from_input () (an input),
 * prefixed with the action. */
IwbAction  *iwb_descriptor_read_action           (JsonObject  *action,
                                                  GError     **error);

/* One INPUT object: { "id", "label", "data_type", "input_type", "optional",
 * "description", "default", "options", "source" }. Strings are NULL when
 * missing or not strings. */
const char *iwb_descriptor_input_get_id          (JsonObject  *input);
/* The label, or the id when there is none (missing or empty). */
const char *iwb_descriptor_input_get_label       (JsonObject  *input);
const char *iwb_descriptor_input_get_description (JsonObject  *input);
/* The SDK's DataType value ("string", "number", "column", "jinja", ...). */
const char *iwb_descriptor_input_get_data_type   (JsonObject  *input);
/* The SDK's InputType value ("text", "password", "select", ...). */
const char *iwb_descriptor_input_get_input_type  (JsonObject  *input);
/* TRUE only for "optional": true. */
gboolean    iwb_descriptor_input_get_optional    (JsonObject  *input);
/* "default" (NULL when missing; a JSON null node when null). */
JsonNode   *iwb_descriptor_input_get_default     (JsonObject  *input);
/* "options" as a static list, or NULL (missing, null, or not a list: see
 * iwb_descriptor_input_check ()). */
JsonArray  *iwb_descriptor_input_get_options     (JsonObject  *input);
/* "source" ("connection", "param", "column", "template"); when missing,
 * "connection" or "param" by @connection (the scope the input is in). */
const char *iwb_descriptor_input_get_source      (JsonObject  *input,
                                                  gboolean     connection);
/* TRUE when the input's value is a secret (input_type "password" or
 * "encryptedFile"): it never goes to disk, a log or a message in clear. */
gboolean    iwb_descriptor_input_is_secret       (JsonObject  *input);
gboolean    iwb_descriptor_input_type_is_secret  (const char  *input_type);
/* TRUE when every member the accessors read has its type (or is missing);
 * else %IWB_ERROR_INVALID_DESCRIPTOR naming the member, prefixed by @where. */
gboolean    iwb_descriptor_input_check           (JsonObject  *input,
                                                  const char  *where,
                                                  GError     **error);

/* -- What actionOverrides need (iwb-descriptor-override.c; matching, the
 * warnings and the summaries are json/iwb-overrides.c). */

/* TRUE when @override has the shape of an action that can replace one;
 * else %IWB_ERROR_INVALID_DESCRIPTOR, the message saying “its …” what is
 * wrong (“its “instantiation.steps[0].inputs” is a string, not a list”). */
gboolean    iwb_descriptor_override_check        (JsonObject  *override,
                                                  GError     **error);
/* The effective action for @override replacing @base_action; repairs are
 * added to @warnings, each naming @where. */
JsonNode   *iwb_descriptor_override_merge        (JsonObject  *base_action,
                                                  JsonObject  *override,
                                                  const char  *where,
                                                  GPtrArray   *warnings);
/* A deep copy of @descriptor with @actions (transfer full) as its actions. */
JsonNode   *iwb_descriptor_dup_with_actions      (JsonNode    *descriptor,
                                                  JsonArray   *actions);
/* Where a change of iwb_json_diff () between two descriptors lies: the
 * action (entrypoint or "#INDEX") and the input (id, "#INDEX", or NULL when
 * not inside one); FALSE when not inside "actions". */
gboolean    iwb_descriptor_change_location       (IwbJsonChange *change,
                                                  char        **action_out,
                                                  char        **input_out);

G_END_DECLS

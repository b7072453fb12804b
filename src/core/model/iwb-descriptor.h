/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "iwb-types.h"
#include "iwb-integration.h"

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
/* "instantiation"."steps"[0]."inputs". */
JsonArray  *iwb_descriptor_action_get_inputs     (JsonObject  *action,
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

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Dynamic overrides of the action descriptors returned by a connection
 * validator (descriptor-and-overrides.md, section "Overrides").
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The effective descriptor: a new node, @base_descriptor is untouched.
 * @action_overrides is the value of "actionOverrides". Each override replaces
 * the base action matched by entrypoint, else by name, else by position; the
 * base entrypoint is kept; the spec's top-level keys the override leaves out
 * (name, description, instantiation) are kept from the base action; inputs
 * whose "source" is missing take the base input's source, or "param" when
 * they are new. Unmatched, non-object or malformed entries are not applied
 * and each adds one message to @warnings (char *, may be NULL).
 * A non-list @action_overrides or a base without an "actions" list is an
 * IWB_ERROR_INVALID_OVERRIDE error: the caller keeps the base descriptor. */
JsonNode *iwb_overrides_apply            (JsonNode     *base_descriptor,
                                          JsonNode     *action_overrides,
                                          GPtrArray   **warnings,
                                          GError      **error);

/* Among a validation run's [result] payloads (JsonNode *), the last object
 * with the key "actionOverrides". Returns TRUE and sets *overrides (a copy of
 * the value) when found; FALSE without error when there is none; FALSE with
 * IWB_ERROR_INVALID_OVERRIDE when the value is not a list. */
gboolean  iwb_overrides_find             (GPtrArray    *result_payloads,
                                          JsonNode    **overrides,
                                          GError      **error);

/* The same from raw stdout lines (NULL-terminated): lines starting with
 * "[result] " are parsed; an unparsable one that mentions actionOverrides
 * is an IWB_ERROR_INVALID_OVERRIDE error naming the line and column. */
gboolean  iwb_overrides_find_in_lines    (const char * const *lines,
                                          JsonNode    **overrides,
                                          GError      **error);

/* How many inputs in how many actions differ between the two descriptors
 * (added, removed, moved or changed inputs; an action counts when anything in
 * it changed). */
void      iwb_overrides_count_changes    (JsonNode     *base_descriptor,
                                          JsonNode     *effective_descriptor,
                                          guint        *n_inputs,
                                          guint        *n_actions);

/* "Overrides changed 3 inputs in 1 action" (English; the window formats its
 * own translated text from iwb_overrides_count_changes()). */
char     *iwb_overrides_summary          (JsonNode     *base_descriptor,
                                          JsonNode     *effective_descriptor);

/* Per changed input of the effective descriptor, keyed "entrypoint\x1fid":
 * the IwbJsonChange list that touched it (for the "changed" markers). */
GHashTable *iwb_overrides_changed_inputs (JsonNode     *base_descriptor,
                                          JsonNode     *effective_descriptor);

G_END_DECLS

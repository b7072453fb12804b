/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The SDK's DataType rules (lhub_integ 1.0.14, DataType.coerce and
 * Param.read), applied to the text a user typed, so problems show before a
 * child runs. Error messages follow the SDK's wording where it has one.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* data_type: "string", "column", "jinja" (text unchanged), "number"
 * (Python float()), "int" (int(float())), "bool" (y/yes/true/1 or
 * n/no/false/0, case-insensitive, not stripped), "json" (json.loads).
 * Unknown data types are treated like "string".
 * On success *out (nullable) gets the typed value; on failure
 * *error_message (nullable) gets the SDK-like message. */
gboolean  iwb_coerce             (const char  *data_type,
                                  const char  *text,
                                  JsonNode   **out,
                                  char       **error_message);

/* Param.read() semantics for one descriptor INPUT object (id, data_type,
 * optional, default): @text NULL or "" means unset (whitespace counts as
 * set); unset falls back to the default (which is coerced too); unset, no
 * default and not optional -> "Parameter must be defined"; unset optional
 * number/int/bool/json without default fails like the SDK (None is coerced).
 * Column and template inputs (source column/template) only check that a
 * non-optional mapping is set ("Column name cannot be empty"). */
gboolean  iwb_coerce_input       (JsonObject  *input,
                                  const char  *text,
                                  JsonNode   **out,
                                  char       **error_message);

/* The text shown in a form for a default value (string as-is, other JSON
 * serialised), or NULL for null/absent. */
char     *iwb_coerce_default_text (JsonObject *input);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The SDK's PipeIO output lines:
 *   [result] <json>
 *   [result][meta]{"original_lhub_id": <id>}[/meta]<json>   (1.0.14)
 *   [result][meta]{"original_lhub_id": <id>}[/meta] <json>  (1.0.12)
 * and what a result value means (spec sections 4, 6.3, 6.5, 6.7).
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "iwb-json.h"

G_BEGIN_DECLS

typedef enum
{
  IWB_RESULT_LINE_NONE,    /* not a [result] line: a log line */
  IWB_RESULT_LINE_OK,      /* parsed: value (and lhub_id when correlated) */
  IWB_RESULT_LINE_INVALID, /* starts with [result] but its JSON does not parse */
} IwbResultLineStatus;

typedef enum
{
  IWB_RESULT_SHAPE_VALUE,               /* an ordinary result row */
  IWB_RESULT_SHAPE_EMPTY_SUCCESS,       /* {} (validation passed) */
  IWB_RESULT_SHAPE_ROW_ERROR,           /* {"has_error": true, "error": ...} */
  IWB_RESULT_SHAPE_VALIDATION_ERRORS,   /* {"errors": [{"message", "inputId"}...], "message"} */
  IWB_RESULT_SHAPE_INSTANTIATION_ERROR, /* {"errors": [...], "message"} otherwise */
  IWB_RESULT_SHAPE_OVERRIDES,           /* {"actionOverrides": ...} */
} IwbResultShape;

/* @line without its line terminator. On OK, *value (transfer full) and
 * *lhub_id (transfer full, nullable: absent or JSON null) are set; on
 * INVALID, *error_message says why. */
IwbResultLineStatus iwb_result_parse_line (const char  *line,
                                           gsize        len,
                                           JsonNode   **value,
                                           JsonNode   **lhub_id,
                                           char       **error_message);

/* The same line without building a tree for the common results: appends
 * to @canonical the value's canonical text (what iwb_json_write (value,
 * FALSE) prints for the tree iwb_json_parse() builds), sets *nonfinite when
 * it holds NaN or an infinity, *shape (iwb_result_classify()'s answer) and
 * *lhub_id as above. *value (transfer full) is set only when the tree was
 * built anyway: for the shapes other than VALUE and EMPTY_SUCCESS, and for
 * objects that repeat a member name. On INVALID nothing is appended. */
IwbResultLineStatus iwb_result_read_line  (const char      *line,
                                           gsize            len,
                                           GString         *canonical,
                                           gboolean        *nonfinite,
                                           IwbResultShape  *shape,
                                           JsonNode       **value,
                                           JsonNode       **lhub_id,
                                           char           **error_message);

IwbResultShape      iwb_result_classify   (JsonNode    *value);

/* Appends the canonical text of the JSON value @text (see
 * iwb_result_read_line()) to @out; FALSE when @text is not one JSON value
 * (nothing appended). *nonfinite (nullable) as above. */
gboolean            iwb_result_canonical_json (const char *text,
                                               gsize       len,
                                               GString    *out,
                                               gboolean   *nonfinite);

/* iwb_json_parse() and iwb_json_check_object() are in iwb-json.h. */

G_END_DECLS

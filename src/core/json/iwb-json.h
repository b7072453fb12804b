/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iwb-json: the one JSON reader and writer of the program. Imports nothing
 * else of the project (only GLib and json-glib's node types).
 *
 * Reading. Every JSON text the program reads (metadata, the loader's facts
 * line, [result] lines, input rows, overrides, `iwb diff` files, patches)
 * goes through iwb_json_parse_full() or iwb_json_parse(): RFC 8259 plus what
 * Python's json.loads accepts (NaN, Infinity, -Infinity, big integers),
 * exactly one value (text after it is an error, as "Extra data" is in
 * Python), valid UTF-8 only, and ONE depth rule: containers nested deeper
 * than IWB_JSON_MAX_DEPTH levels are refused with an error that says where.
 * The parser is iterative: no recursion proportional to the input's depth.
 *
 * Walking. iwb_json_equal(), iwb_json_deep_copy() and the writer are
 * iterative too, so even a tree deeper than the rule (built by other code)
 * cannot overflow the stack.
 *
 * Writing. iwb_json_to_string() prints what json_to_string() prints (the
 * same spacing and escapes, "{  }" for an empty object in pretty mode), with
 * four differences that make the output JSON Python reads back: NaN and
 * infinities print as NaN, Infinity and -Infinity (as Python's json.dumps
 * does, not "nan.0"); doubles print in the shortest form that reads back
 * the same number ("0.1", "1e+20", not "1e+20.0"); U+001F is escaped
 * (json-glib prints it raw, which is not JSON); and strings that kept a
 * lone surrogate or a NUL (IWB_JSON_PARSE_WTF8) print them back as \udXXX /
 * \u0000 escapes.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "iwb-json-scan.h" /* the depth rule, errors, flags, locations */

G_BEGIN_DECLS

/* Parses exactly one JSON value. @len may be -1 for a NUL-terminated text.
 * On failure returns NULL with @error in IWB_JSON_ERROR, message
 * "WHAT at line L column C (char N)", and *error_offset (nullable) set to
 * the byte offset of the failure. */
JsonNode   *iwb_json_parse_full   (const char        *text,
                                   gssize             len,
                                   IwbJsonParseFlags  flags,
                                   gsize             *error_offset,
                                   GError           **error);

/* The same with the terse message "at byte N: WHAT" (for callers that
 * add their own location, e.g. a row's file:line). @text must not hold
 * invalid UTF-8 (it is checked; the message then says where). */
JsonNode   *iwb_json_parse        (const char        *text,
                                   gsize              len,
                                   char             **error_message);

/* Checks without building anything that @text is one JSON value. */
gboolean    iwb_json_check        (const char        *text,
                                   gsize              len,
                                   GError           **error);

/* Checks without building anything that @text is exactly one JSON object
 * (whitespace around it allowed). On success *object_start (nullable) is
 * the offset of its '{' and *has_lhub_id (nullable) tells whether it has a
 * top-level member "lhub_id" (or one whose name has escapes: be safe).
 * The message is "at byte N: WHAT". */
gboolean    iwb_json_check_object (const char        *text,
                                   gsize              len,
                                   gsize             *object_start,
                                   gboolean          *has_lhub_id,
                                   char             **error_message);

/* Strict structural equality: same types (an integer is not equal to a
 * double), same values, objects regardless of member order. NULL equals
 * only NULL. */
gboolean    iwb_json_equal        (JsonNode          *a,
                                   JsonNode          *b);

/* (transfer full): a copy sharing nothing with @node (json_node_copy()
 * shares objects and arrays). NULL gives NULL. */
JsonNode   *iwb_json_deep_copy    (JsonNode          *node);

/* "null", "an object", "a list", "a string", "a boolean", "a number" (for
 * messages such as "its “name” is a list, not a string"; NULL is "null"). */
const char *iwb_json_type_name    (JsonNode          *node);

/* Type-checked reads of untrusted data: NULL (or @fallback) when the member
 * is missing or of another type, never a critical warning. @object may be
 * NULL. */
const char *iwb_json_get_string   (JsonObject        *object,
                                   const char        *member);
JsonObject *iwb_json_get_object   (JsonObject        *object,
                                   const char        *member);
JsonArray  *iwb_json_get_array    (JsonObject        *object,
                                   const char        *member);
gboolean    iwb_json_get_boolean  (JsonObject        *object,
                                   const char        *member,
                                   gboolean           fallback);
/* An integer member (a double or any other type gives @fallback). */
gint64      iwb_json_get_int      (JsonObject        *object,
                                   const char        *member,
                                   gint64             fallback);
/* The string member, or @fallback when it is missing or not a string. */
const char *iwb_json_get_string_or (JsonObject   *object,
                                    const char   *member,
                                    const char   *fallback);
/* Member @member of @object, or NULL when it is missing or null (the SDK's
 * metadata and descriptors mean the same by both). @object may be NULL. */
JsonNode   *iwb_json_get_present  (JsonObject        *object,
                                   const char        *member);
/* Item @index of @array when it is an object, else NULL (also out of range). */
JsonObject *iwb_json_array_get_object (JsonArray *array,
                                       guint      index);
/* The node's string, or NULL when @node is not a string. */
const char *iwb_json_node_string  (JsonNode          *node);

/* Writing: see the top of this file. @node NULL prints "null". */
char       *iwb_json_to_string    (JsonNode          *node,
                                   gboolean           pretty);
void        iwb_json_write        (GString           *out,
                                   JsonNode          *node,
                                   gboolean           pretty);
/* @object, compact, as iwb_json_write() prints a node holding it, without
 * making that node: a node would take a reference to @object, and a
 * JsonObject's count is not atomic (json-glib 1.6), so a thread that only
 * reads an object another thread owns must not reference it. */
void        iwb_json_write_object (GString           *out,
                                   JsonObject        *object);
/* One string as a JSON string literal (quotes included). */
void        iwb_json_write_string (GString           *out,
                                   const char        *str,
                                   gssize             len);
/* The decimal text of an integer, as printf's "%" G_GINT64_FORMAT writes it,
 * NUL-terminated at the end of @buf; returns where it starts in @buf. */
#define IWB_INT_TEXT_SIZE 21 /* "-9223372036854775808" and the NUL */
const char *iwb_int_to_text       (gint64             value,
                                   char               buf[IWB_INT_TEXT_SIZE]);
/* One integer as JSON (iwb_int_to_text(), without printf's cost: a result's
 * lhub_id and every event's numbers are written this way). */
void        iwb_json_write_int    (GString           *out,
                                   gint64             value);
/* @thousandths / 1000 as JSON with up to three decimals, trailing zeros cut
 * and ".0" when it is whole ("12.5", "7.0", "-0.001"): what
 * iwb_json_write_double() writes for such a value, from the integer. */
void        iwb_json_write_thousandths (GString      *out,
                                        gint64        thousandths);
/* One double as JSON (NaN, Infinity, -Infinity, or the shortest form that
 * reads back the same, with ".0" when it would look like an integer). */
void        iwb_json_write_double (GString           *out,
                                   double             value);

G_END_DECLS

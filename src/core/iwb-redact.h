/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iwb-redact: the texts a secret value takes when an integration (or a
 * library under it) writes it somewhere, for the places that replace them
 * with a marker: the run history (iwb-history) and every byte `iwb` prints.
 *
 * The forms of a value S: S itself; JSON-escaped (ASCII-only, as Python's
 * json.dumps(), and UTF-8, as json-glib); Python's repr() of the str (both
 * quote styles) and of its UTF-8 bytes (b'...'), and S.encode
 * ("unicode_escape"); URL-encoded (%20, and + for spaces; with and without
 * "/" kept); base64 (standard and URL-safe); and each of these again
 * JSON-escaped and in a Python repr (a repr inside a JSON log line, a list
 * of JSON texts printed), and those once more JSON-escaped (the same
 * shown by a JSON output). Without the quotes around them. Each form once;
 * an empty value has none.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* (transfer full): the forms of every value of @secrets (NULL-terminated,
 * nullable), each once, longest first (so that the longest match is
 * replaced first). An empty array when there is nothing to hide. */
GPtrArray *iwb_redact_needles_new (const char * const *secrets);

/* The length of the longest needle (0 for none). */
gsize      iwb_redact_needles_max (GPtrArray          *needles);

/* @text with every needle replaced by @marker, or NULL when none occurs. */
char      *iwb_redact_text        (GPtrArray          *needles,
                                   const char         *text,
                                   const char         *marker);

/* (transfer full): a new tree like @node with every string (values and
 * member names) redacted as by iwb_redact_text(). Built node by node:
 * json_node_copy() would share the objects and arrays of a sealed node. */
JsonNode  *iwb_redact_json_copy   (GPtrArray          *needles,
                                   JsonNode           *node,
                                   const char         *marker);

/* An encryptedFile parameter's value names a file (joined to @files_dir
 * when relative; @files_dir nullable): what the integration sends and may
 * print is that file's content. Appends to @secrets the content, stripped,
 * and each stripped line of 16 bytes or more, as the capture host does
 * (python/iwb_host/launch.py); nothing when @value names no regular UTF-8
 * text file of at most 1 MiB. */
void       iwb_redact_add_file_secrets (GPtrArray         *secrets,
                                        const char        *files_dir,
                                        const char        *value);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Input rows for an action run, from JSON Lines, a JSON array of objects, or
 * CSV with a header row (RFC 4180 quoting; values stay strings, like on the
 * platform). Errors name the line (JSONL, CSV) or record (JSON array, CSV).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  IWB_INPUT_FORMAT_AUTO,       /* '[' first -> JSON array, '{' -> JSONL, else CSV */
  IWB_INPUT_FORMAT_JSONL,
  IWB_INPUT_FORMAT_JSON_ARRAY,
  IWB_INPUT_FORMAT_CSV,
} IwbInputFormat;

gboolean        iwb_input_format_from_string (const char     *str,
                                              IwbInputFormat *out);

/* Returns (transfer full): JsonObject* rows (free func json_object_unref),
 * or NULL with IWB_ERROR_INVALID_INPUT. @source_name (nullable) is used in
 * error messages ("rows.csv:12: ..."). */
GPtrArray      *iwb_input_rows_parse         (const char     *data,
                                              gsize           len,
                                              IwbInputFormat  fmt,
                                              GError        **error);
GPtrArray      *iwb_input_rows_parse_named   (const char     *data,
                                              gsize           len,
                                              IwbInputFormat  fmt,
                                              const char     *source_name,
                                              GError        **error);
/* Reads a file ("-" is not handled here); AUTO also looks at the extension
 * (.csv, .jsonl/.ndjson, .json). */
GPtrArray      *iwb_input_rows_load          (GFile          *file,
                                              IwbInputFormat  fmt,
                                              GError        **error);

/* The format AUTO resolves to for @name (nullable: extension .csv,
 * .jsonl/.ndjson, .json) and the first bytes of @data. */
IwbInputFormat  iwb_input_format_guess       (const char     *name,
                                              const char     *data,
                                              gsize           len);

/* JSON Lines kept as text, for big inputs: every row is checked (one JSON
 * object per line, errors name the line) without building objects. Returns
 * (transfer full) one IwbRowSpan per row: the object's bytes in @data.
 * *any_lhub_id tells whether some row has its own lhub_id member. */
typedef struct
{
  gsize offset;
  gsize length;
} IwbRowSpan;

GArray         *iwb_input_rows_index_jsonl   (const char     *data,
                                              gsize           len,
                                              const char     *source_name,
                                              gboolean       *any_lhub_id,
                                              GError        **error);

/* Bounds of input rows read from a file or a stream: a device like
 * /dev/zero or a runaway producer gets a clear error, not all the memory. */
#define IWB_INPUT_MAX_BYTES ((gsize) 512 * 1024 * 1024)
#define IWB_INPUT_MAX_LINE  ((gsize) 16 * 1024 * 1024)

/* Reads input rows from @path ("-" for stdin) within @max_bytes and lines
 * of at most @max_line bytes. Errors (IWB_ERROR_INVALID_INPUT, or
 * IWB_ERROR_NOT_FOUND when it cannot be opened) name the source ("stdin",
 * or the path, with the line for an overlong line) and say what to do: a
 * folder, a closed stdin, too much data, an overlong line. Blocking: call
 * it from a thread when the source may be a pipe. */
GBytes         *iwb_input_rows_read        (const char  *path,
                                            gsize        max_bytes,
                                            gsize        max_line,
                                            GError     **error);

G_END_DECLS

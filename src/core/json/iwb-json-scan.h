/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The scanner under iwb_json_parse_full(), for the json/ folder only: it
 * checks the grammar, the encoding and the depth rule, without recursion,
 * and hands each token to a sink (callbacks may be NULL), so the JsonNode
 * builder and the diff's compact tree (iwb-json-tree.c) share one parser.
 */
#pragma once

#include "iwb-json.h"

G_BEGIN_DECLS

typedef enum
{
  IWB_JSON_LITERAL_NULL,
  IWB_JSON_LITERAL_TRUE,
  IWB_JSON_LITERAL_FALSE,
  IWB_JSON_LITERAL_NAN,
  IWB_JSON_LITERAL_INFINITY,
  IWB_JSON_LITERAL_MINUS_INFINITY,
} IwbJsonLiteral;

typedef struct
{
  /* a container starts (after it has been checked against the depth rule) */
  void (*begin)   (gpointer data, gboolean is_object);
  void (*end)     (gpointer data);
  /* @raw: the text between the quotes; @escaped: it holds backslashes
   * (decode with iwb_json_decode_string()); all escapes are valid */
  void (*key)     (gpointer data, const char *raw, gsize len, gboolean escaped);
  void (*string)  (gpointer data, const char *raw, gsize len, gboolean escaped);
  /* @raw: the number's text; @is_int: no fraction and no exponent */
  void (*number)  (gpointer data, const char *raw, gsize len, gboolean is_int);
  void (*literal) (gpointer data, IwbJsonLiteral literal);
} IwbJsonSink;

/* Scans @text (which must be valid UTF-8 when @check_utf8 is FALSE). On
 * failure returns FALSE with *error_code, *error_offset and *error_what (a
 * static string) set. */
gboolean iwb_json_scan          (const char         *text,
                                 gsize               len,
                                 gboolean            check_utf8,
                                 const IwbJsonSink  *sink,
                                 gpointer            data,
                                 IwbJsonErrorCode   *error_code,
                                 gsize              *error_offset,
                                 const char        **error_what);

/* Decodes the escaped string @raw (as given to a sink) into @dest, which
 * needs @len bytes (decoding never grows; @dest may be @raw itself).
 * Returns the decoded length. See IWB_JSON_PARSE_WTF8. */
gsize    iwb_json_decode_string (const char         *raw,
                                 gsize               len,
                                 IwbJsonParseFlags   flags,
                                 char               *dest);

/* The value of a number token: TRUE with *int_value for an integer that
 * fits in 64 bits, else FALSE with *double_value. */
gboolean iwb_json_number_value  (const char         *raw,
                                 gsize               len,
                                 gboolean            is_int,
                                 gint64             *int_value,
                                 double             *double_value);

/* Appends the message "WHAT at line L column C (char N)". */
char    *iwb_json_format_error  (const char         *text,
                                 gsize               len,
                                 gsize               offset,
                                 const char         *what);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The scanner under iwb_json_parse_full() (iwb-json.h includes this file
 * for the depth rule, the error codes, the flags and locations; the rest is
 * for the json/ folder only): it
 * checks the grammar, the encoding and the depth rule, without recursion,
 * and hands each token to a sink (callbacks may be NULL), so the JsonNode
 * builder and the diff's compact tree (iwb-json-tree.c) share one parser.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The one depth rule: objects and lists nested more deeply are refused. */
#define IWB_JSON_MAX_DEPTH 512

#define IWB_JSON_ERROR (iwb_json_error_quark ())

typedef enum
{
  IWB_JSON_ERROR_SYNTAX,     /* not JSON at that place */
  IWB_JSON_ERROR_EMPTY,      /* no value at all (empty or blank text) */
  IWB_JSON_ERROR_EXTRA_DATA, /* text after the value */
  IWB_JSON_ERROR_TOO_DEEP,   /* nested deeper than IWB_JSON_MAX_DEPTH */
  IWB_JSON_ERROR_ENCODING,   /* not valid UTF-8 */
  IWB_JSON_ERROR_NOT_OBJECT, /* iwb_json_check_object(): another kind of value */
} IwbJsonErrorCode;

GQuark      iwb_json_error_quark  (void);

typedef enum
{
  IWB_JSON_PARSE_DEFAULT = 0,
  /* Keep every string's exact code points: a lone surrogate escape
   * ("\ud800") is kept as its 3-byte WTF-8 form and "\u0000" as the
   * 2-byte form C0 80, so two strings that differ only there stay
   * different; iwb_json_to_string() prints them back as escapes. Without
   * this flag both become U+FFFD (the strings stay valid UTF-8 C strings,
   * which GTK and the rest of the program expect). */
  IWB_JSON_PARSE_WTF8 = 1 << 0,
} IwbJsonParseFlags;

/* Where in a text: byte offset, 1-based line, 1-based column and 0-based
 * character offset (columns and characters count code points, as Python's
 * json error messages do). */
typedef struct
{
  gsize offset;
  guint line;
  guint column;
  gsize chars;
} IwbJsonLocation;

void        iwb_json_locate       (const char        *text,
                                   gsize              len,
                                   gsize              offset,
                                   IwbJsonLocation   *location);


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

/* The usual JSON Lines row, read without a sink: TRUE when @text is one
 * object whose members are all scalars, accepted exactly as iwb_json_scan()
 * accepts it (the same string, number and literal rules; UTF-8 checked),
 * with *has_lhub_id TRUE when a member name is "lhub_id" or has escapes.
 * FALSE, *has_lhub_id untouched, for anything else, valid or not: nested
 * values and errors are the full scan's (iwb_json_check_object()). */
gboolean iwb_json_scan_flat_object (const char *text,
                                    gsize       len,
                                    gboolean   *has_lhub_id);

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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iwb-json's scanner: the grammar, the encoding and the depth rule, checked
 * without recursion; tokens go to a sink (iwb-json-scan.h). Part of
 * iwb-json (imports nothing else of the project).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "iwb-json-scan.h"

G_DEFINE_QUARK (iwb-json-error-quark, iwb_json_error)
/* ------------------------------------------------------------------------ */
/* Locations and messages                                                    */

void
iwb_json_locate (const char      *text,
                 gsize            len,
                 gsize            offset,
                 IwbJsonLocation *location)
{
  const char *line_start = text;
  guint line = 1;
  gsize chars = 0, column_chars = 0;

  offset = MIN (offset, len);
  for (gsize i = 0; i < offset; i++)
    {
      guchar c = text[i];

      if ((c & 0xC0) != 0x80)
        chars++, column_chars++;
      if (c == '\n')
        {
          line++;
          line_start = text + i + 1;
          column_chars = 0;
        }
    }
  (void) line_start;
  location->offset = offset;
  location->line = line;
  location->column = (guint) column_chars + 1;
  location->chars = chars;
}

char *
iwb_json_format_error (const char *text,
                       gsize       len,
                       gsize       offset,
                       const char *what)
{
  IwbJsonLocation loc;

  iwb_json_locate (text, len, offset, &loc);
  /* TRANSLATORS: "WHAT at line L column C (char N)", as Python's json says it */
  return g_strdup_printf (_("%s at line %u column %u (char %lu)"),
                          what, loc.line, loc.column, (unsigned long) loc.chars);
}

/* ------------------------------------------------------------------------ */
/* The scanner                                                               */

typedef struct
{
  const char        *start;
  const char        *p;
  const char        *end;
  IwbJsonErrorCode   code;
  const char        *what;
  gboolean           check_utf8;
} Scanner;

static gboolean
fail (Scanner          *s,
      IwbJsonErrorCode  code,
      const char       *what)
{
  if (s->what == NULL)
    {
      s->code = code;
      s->what = what;
    }
  return FALSE;
}

static inline void
skip_ws (Scanner *s)
{
  /* Most calls find a token at once: one comparison tells (all four white
   * space characters are at most ' '). */
  while (s->p < s->end && (guchar) *s->p <= ' ' &&
         (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
literal (Scanner    *s,
         const char *word,
         gsize       n)
{
  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return FALSE;
  s->p += n;
  return TRUE;
}

static int
hex4 (const char *p)
{
  int v = 0;

  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);

      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
  return v;
}

#define ONES G_GUINT64_CONSTANT (0x0101010101010101)
#define HIGH G_GUINT64_CONSTANT (0x8080808080808080)

/* The bytes among the eight at @q that need a look of their own in a string
 * (a quote, a backslash, a control character, a non-ASCII byte), as the high
 * bit of each: 0 when none does. (x - ONES) & ~x has the high bit of a byte
 * set when that byte of x is zero; with no high bit in v, (v - 0x20 * ONES)
 * has it for a byte below 0x20. A borrow can only mark bytes after the first
 * marked one, so the lowest mark is always exact. */
static inline guint64
special8 (const char *q)
{
  guint64 v, quote, backslash;

  memcpy (&v, q, sizeof v);
  quote = v ^ (ONES * '"');
  backslash = v ^ (ONES * '\\');
  return (((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) |
          (v - ONES * 0x20) | v) & HIGH;
}

/* @q moved past the plain bytes that come first, eight at a time, at most to
 * the last eight bytes before @end (the byte loop does the rest). */
static inline const char *
skip_plain (const char *q,
            const char *end)
{
  while (end - q >= 8)
    {
      guint64 marks = special8 (q);

      if (marks == 0)
        {
          q += 8;
          continue;
        }
#if G_BYTE_ORDER == G_LITTLE_ENDIAN && defined(__GNUC__)
      q += __builtin_ctzll (marks) / 8;
#endif
      break;
    }
  return q;
}

/* s->p on the opening quote; on success *raw and *len give the text between the
 * quotes and s->p is after the closing one. */
static gboolean
scan_string (Scanner     *s,
             const char **raw,
             gsize       *len,
             gboolean    *escaped)
{
  const char *q = ++s->p;
  gboolean high = FALSE;

  *escaped = FALSE;
  while (q < s->end)
    {
      guchar c;

      /* Plain text eight bytes at a time: the byte loop below starts at
       * the first byte that may need it. */
      q = skip_plain (q, s->end);
      if (q >= s->end)
        break;
      c = *q;

      if (c == '"')
        {
          const char *bad = NULL;

          /* only strings may hold non-ASCII bytes: validate those alone */
          if (high && s->check_utf8 && !g_utf8_validate (s->p, q - s->p, &bad))
            {
              s->p = bad;
              return fail (s, IWB_JSON_ERROR_ENCODING,
                           N_("not valid UTF-8 text (save the file as UTF-8)"));
            }
          *raw = s->p;
          *len = q - s->p;
          s->p = q + 1;
          return TRUE;
        }
      if (c >= 0x80)
        high = TRUE;
      if (c < 0x20)
        {
          s->p = q;
          return fail (s, IWB_JSON_ERROR_SYNTAX, N_("a control character inside a string (escape it)"));
        }
      if (c == '\\')
        {
          *escaped = TRUE;
          if (q + 1 >= s->end)
            break;
          switch (q[1])
            {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
              q += 2;
              continue;
            case 'u':
              if (s->end - q < 6 || hex4 (q + 2) < 0)
                {
                  s->p = q;
                  return fail (s, IWB_JSON_ERROR_SYNTAX, N_("a \\u escape needs four hex digits"));
                }
              q += 6;
              continue;
            default:
              s->p = q;
              return fail (s, IWB_JSON_ERROR_SYNTAX, N_("an unknown escape in a string"));
            }
        }
      q++;
    }
  s->p = s->end;
  return fail (s, IWB_JSON_ERROR_SYNTAX, N_("a string is not closed"));
}

static gboolean
scan_number (Scanner  *s,
             gboolean *is_int)
{
  *is_int = TRUE;
  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (s->p < s->end && g_ascii_isdigit (*s->p))
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  else
    return fail (s, IWB_JSON_ERROR_SYNTAX, N_("expected a value"));
  if (s->p < s->end && *s->p == '.')
    {
      *is_int = FALSE;
      s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return fail (s, IWB_JSON_ERROR_SYNTAX, N_("expected a digit after the decimal point"));
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      *is_int = FALSE;
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return fail (s, IWB_JSON_ERROR_SYNTAX, N_("expected a digit in the exponent"));
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  return TRUE;
}

/* One scalar at s->p (not a container). */
static gboolean
scan_scalar (Scanner           *s,
             const IwbJsonSink *sink,
             gpointer           data)
{
  const char *raw;
  gsize len;
  gboolean flag;
  IwbJsonLiteral lit;

  switch (*s->p)
    {
    case '"':
      if (!scan_string (s, &raw, &len, &flag))
        return FALSE;
      if (sink && sink->string)
        sink->string (data, raw, len, flag);
      return TRUE;

    case 't':
      if (!literal (s, "true", 4))
        break;
      lit = IWB_JSON_LITERAL_TRUE;
      goto lit;
    case 'f':
      if (!literal (s, "false", 5))
        break;
      lit = IWB_JSON_LITERAL_FALSE;
      goto lit;
    case 'n':
      if (!literal (s, "null", 4))
        break;
      lit = IWB_JSON_LITERAL_NULL;
      goto lit;
    case 'N':
      if (!literal (s, "NaN", 3))
        break;
      lit = IWB_JSON_LITERAL_NAN;
      goto lit;
    case 'I':
      if (!literal (s, "Infinity", 8))
        break;
      lit = IWB_JSON_LITERAL_INFINITY;
      goto lit;

    case '-':
      if (s->end - s->p >= 9 && memcmp (s->p + 1, "Infinity", 8) == 0)
        {
          s->p += 9;
          lit = IWB_JSON_LITERAL_MINUS_INFINITY;
          goto lit;
        }
      G_GNUC_FALLTHROUGH;
    default:
      raw = s->p;
      if (!scan_number (s, &flag))
        return FALSE;
      if (sink && sink->number)
        sink->number (data, raw, s->p - raw, flag);
      return TRUE;
    }
  return fail (s, IWB_JSON_ERROR_SYNTAX, N_("expected a value"));

lit:
  if (sink && sink->literal)
    sink->literal (data, lit);
  return TRUE;
}

gboolean
iwb_json_scan_flat_object (const char *text,
                           gsize       len,
                           gboolean   *has_lhub_id)
{
  Scanner s = { text, text, text + len, 0, NULL, TRUE };
  gboolean lhub = FALSE;

  skip_ws (&s);
  if (s.p >= s.end || *s.p != '{')
    return FALSE;
  s.p++;
  skip_ws (&s);
  if (s.p < s.end && *s.p == '}')
    s.p++;
  else
    for (;;)
      {
        const char *raw;
        gsize klen;
        gboolean escaped;

        if (s.p >= s.end || *s.p != '"' || !scan_string (&s, &raw, &klen, &escaped))
          return FALSE;
        if (escaped || (klen == 7 && memcmp (raw, "lhub_id", 7) == 0))
          lhub = TRUE;
        skip_ws (&s);
        if (s.p >= s.end || *s.p != ':')
          return FALSE;
        s.p++;
        skip_ws (&s);
        if (s.p >= s.end || !scan_scalar (&s, NULL, NULL))   /* a container is not a scalar */
          return FALSE;
        skip_ws (&s);
        if (s.p < s.end && *s.p == ',')
          {
            s.p++;
            skip_ws (&s);
            continue;
          }
        if (s.p >= s.end || *s.p != '}')
          return FALSE;
        s.p++;
        break;
      }
  skip_ws (&s);
  if (s.p != s.end)
    return FALSE;
  *has_lhub_id = lhub;
  return TRUE;
}

gboolean
iwb_json_scan (const char         *text,
               gsize               len,
               gboolean            check_utf8,
               const IwbJsonSink  *sink,
               gpointer            data,
               IwbJsonErrorCode   *error_code,
               gsize              *error_offset,
               const char        **error_what)
{
  Scanner s = { text, text, text + len, 0, NULL, check_utf8 };
  guint8 is_object[IWB_JSON_MAX_DEPTH + 1];
  guint depth = 0;

  skip_ws (&s);
  if (s.p >= s.end)
    {
      fail (&s, IWB_JSON_ERROR_EMPTY, N_("expected a value"));
      goto failed;
    }

value:
  skip_ws (&s);
  if (s.p >= s.end)
    {
      fail (&s, IWB_JSON_ERROR_SYNTAX, N_("expected a value"));
      goto failed;
    }
  if (*s.p == '{' || *s.p == '[')
    {
      gboolean obj = *s.p == '{';

      if (depth >= IWB_JSON_MAX_DEPTH)
        {
          /* TRANSLATORS: keep "nested too deeply"; 512 is IWB_JSON_MAX_DEPTH */
          fail (&s, IWB_JSON_ERROR_TOO_DEEP, N_("nested too deeply (deeper than 512 levels)"));
          goto failed;
        }
      is_object[depth++] = obj;
      s.p++;
      if (sink && sink->begin)
        sink->begin (data, obj);
      skip_ws (&s);
      if (s.p < s.end && *s.p == (obj ? '}' : ']'))
        {
          s.p++;
          depth--;
          if (sink && sink->end)
            sink->end (data);
          goto after;
        }
      if (obj)
        goto key;
      goto value;
    }
  if (!scan_scalar (&s, sink, data))
    goto failed;
  goto after;

key:
  {
    const char *raw;
    gsize klen;
    gboolean escaped;

    skip_ws (&s);
    if (s.p >= s.end || *s.p != '"')
      {
        fail (&s, IWB_JSON_ERROR_SYNTAX, N_("expected a member name in double quotes"));
        goto failed;
      }
    if (!scan_string (&s, &raw, &klen, &escaped))
      goto failed;
    skip_ws (&s);
    if (s.p >= s.end || *s.p != ':')
      {
        fail (&s, IWB_JSON_ERROR_SYNTAX, N_("expected ':' after a member name"));
        goto failed;
      }
    s.p++;
    if (sink && sink->key)
      sink->key (data, raw, klen, escaped);
    goto value;
  }

after:
  if (depth == 0)
    {
      skip_ws (&s);
      if (s.p != s.end)
        {
          fail (&s, IWB_JSON_ERROR_EXTRA_DATA, N_("unexpected text after the JSON value"));
          goto failed;
        }
      return TRUE;
    }
  skip_ws (&s);
  if (s.p < s.end && *s.p == ',')
    {
      s.p++;
      if (is_object[depth - 1])
        goto key;
      goto value;
    }
  if (s.p < s.end && *s.p == (is_object[depth - 1] ? '}' : ']'))
    {
      s.p++;
      depth--;
      if (sink && sink->end)
        sink->end (data);
      goto after;
    }
  fail (&s, IWB_JSON_ERROR_SYNTAX,
        is_object[depth - 1] ? N_("expected ',' or '}' in an object")
                             : N_("expected ',' or ']' in an array"));

failed:
  /* a non-ASCII byte outside a string: say it is the encoding */
  if (check_utf8 && s.code == IWB_JSON_ERROR_SYNTAX && s.p < s.end && (guchar) *s.p >= 0x80 &&
      !g_utf8_validate (s.p, MIN (s.end - s.p, 4), NULL))
    {
      s.code = IWB_JSON_ERROR_ENCODING;
      s.what = N_("not valid UTF-8 text (save the file as UTF-8)");
    }
  *error_code = s.code;
  *error_offset = s.p - text;
  *error_what = s.what;
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Token values                                                              */

static char *
put_utf8 (char     *d,
          gunichar  cp)
{
  return d + g_unichar_to_utf8 (cp, d);
}

gsize
iwb_json_decode_string (const char        *raw,
                        gsize              len,
                        IwbJsonParseFlags  flags,
                        char              *dest)
{
  const char *p = raw, *end = raw + len;
  char *d = dest;
  gboolean wtf8 = (flags & IWB_JSON_PARSE_WTF8) != 0;

  while (p < end)
    {
      const char *bs = memchr (p, '\\', end - p);
      gsize plain = (bs != NULL ? bs : end) - p;

      memmove (d, p, plain);
      d += plain;
      p += plain;
      if (p >= end)
        break;
      switch (p[1])
        {
        case 'b': *d++ = '\b'; break;
        case 'f': *d++ = '\f'; break;
        case 'n': *d++ = '\n'; break;
        case 'r': *d++ = '\r'; break;
        case 't': *d++ = '\t'; break;
        case 'u':
          {
            int cp = hex4 (p + 2);

            if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 12 && p[6] == '\\' && p[7] == 'u')
              {
                int lo = hex4 (p + 8);

                if (lo >= 0xDC00 && lo <= 0xDFFF)
                  {
                    d = put_utf8 (d, 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00));
                    p += 12;
                    continue;
                  }
              }
            if (cp >= 0xD800 && cp <= 0xDFFF)
              {
                if (wtf8)
                  {
                    /* WTF-8: the surrogate's 3-byte form, invalid in UTF-8 */
                    *d++ = (char) 0xED;
                    *d++ = (char) (0x80 | ((cp >> 6) & 0x3F));
                    *d++ = (char) (0x80 | (cp & 0x3F));
                  }
                else
                  d = put_utf8 (d, 0xFFFD); /* a lone surrogate has no UTF-8 form */
              }
            else if (cp == 0)
              {
                if (wtf8)
                  {
                    *d++ = (char) 0xC0; /* the 2-byte NUL keeps C strings whole */
                    *d++ = (char) 0x80;
                  }
                else
                  d = put_utf8 (d, 0xFFFD);
              }
            else
              d = put_utf8 (d, cp);
            p += 6;
            continue;
          }
        default: /* " \ / */
          *d++ = p[1];
          break;
        }
      p += 2;
    }
  return d - dest;
}

gboolean
iwb_json_number_value (const char *raw,
                       gsize       len,
                       gboolean    is_int,
                       gint64     *int_value,
                       double     *double_value)
{
  char buf[64];
  g_autofree char *heap = NULL;
  const char *copy;

  if (len < sizeof buf)
    {
      memcpy (buf, raw, len);
      buf[len] = '\0';
      copy = buf;
    }
  else
    copy = heap = g_strndup (raw, len);

  if (is_int)
    {
      gint64 v;

      errno = 0;
      v = g_ascii_strtoll (copy, NULL, 10);
      if (errno != ERANGE)
        {
          *int_value = v;
          return TRUE;
        }
    }
  /* out-of-range integers keep their magnitude as doubles */
  *double_value = g_ascii_strtod (copy, NULL);
  return FALSE;
}

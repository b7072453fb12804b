/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `[result]` line parsing (spec 6.3, 6.5) and result classification.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "iwb-result-parser.h"

#define PREFIX "[result]"
#define META_OPEN "[meta]"
#define META_CLOSE "[/meta]"

static JsonNode *
parse_json (const char  *text,
            gsize        len,
            char       **error_message)
{
  return iwb_json_parse (text, len, error_message);
}

static gboolean
is_blank (const char *p,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (p[i]))
      return FALSE;
  return TRUE;
}

IwbResultLineStatus
iwb_result_parse_line (const char  *line,
                       gsize        len,
                       JsonNode   **value,
                       JsonNode   **lhub_id,
                       char       **error_message)
{
  const char *p = line;
  const char *end = line + len;
  g_autoptr(JsonNode) id = NULL;
  JsonNode *v;

  *value = NULL;
  if (lhub_id)
    *lhub_id = NULL;
  if (error_message)
    *error_message = NULL;

  if (len < strlen (PREFIX) || memcmp (line, PREFIX, strlen (PREFIX)) != 0)
    return IWB_RESULT_LINE_NONE;
  p += strlen (PREFIX);

  if ((gsize) (end - p) >= strlen (META_OPEN) && memcmp (p, META_OPEN, strlen (META_OPEN)) == 0)
    {
      const char *meta = p + strlen (META_OPEN);
      const char *close = g_strstr_len (meta, end - meta, META_CLOSE);
      g_autoptr(JsonNode) meta_node = NULL;
      g_autofree char *meta_error = NULL;

      if (close == NULL)
        {
          if (error_message)
            *error_message = g_strdup ("[meta] without a closing [/meta]");
          return IWB_RESULT_LINE_INVALID;
        }
      meta_node = parse_json (meta, close - meta, &meta_error);
      if (meta_node == NULL || !JSON_NODE_HOLDS_OBJECT (meta_node))
        {
          if (error_message)
            *error_message = g_strdup_printf ("the [meta] block is not a JSON object%s%s",
                                              meta_error ? ": " : "",
                                              meta_error ? meta_error : "");
          return IWB_RESULT_LINE_INVALID;
        }
      {
        JsonNode *orig = json_object_get_member (json_node_get_object (meta_node),
                                                 "original_lhub_id");
        if (orig != NULL && !JSON_NODE_HOLDS_NULL (orig))
          id = json_node_copy (orig);
      }
      p = close + strlen (META_CLOSE);
      /* 1.0.12 printed one space after [/meta]; 1.0.14 none. */
      if (p < end && *p == ' ')
        p++;
    }
  else if (p < end && *p == ' ')
    p++;

  if (is_blank (p, end - p))
    {
      if (error_message)
        *error_message = g_strdup ("no JSON value after the [result] marker");
      return IWB_RESULT_LINE_INVALID;
    }

  v = parse_json (p, end - p, error_message);
  if (v == NULL)
    return IWB_RESULT_LINE_INVALID;

  *value = v;
  if (lhub_id)
    *lhub_id = g_steal_pointer (&id);
  return IWB_RESULT_LINE_OK;
}

static gboolean
is_validation_error_list (JsonArray *errors)
{
  guint n = json_array_get_length (errors);

  if (n == 0)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (errors, i);

      if (!JSON_NODE_HOLDS_OBJECT (e) ||
          !json_object_has_member (json_node_get_object (e), "inputId"))
        return FALSE;
    }
  return TRUE;
}

IwbResultShape
iwb_result_classify (JsonNode *value)
{
  JsonObject *obj;
  JsonNode *has_error;
  JsonNode *errors;

  if (value == NULL || !JSON_NODE_HOLDS_OBJECT (value))
    return IWB_RESULT_SHAPE_VALUE;
  obj = json_node_get_object (value);

  if (json_object_get_size (obj) == 0)
    return IWB_RESULT_SHAPE_EMPTY_SUCCESS;

  if (json_object_has_member (obj, "actionOverrides"))
    return IWB_RESULT_SHAPE_OVERRIDES;

  has_error = json_object_get_member (obj, "has_error");
  if (has_error != NULL && JSON_NODE_HOLDS_VALUE (has_error) &&
      json_node_get_value_type (has_error) == G_TYPE_BOOLEAN &&
      json_node_get_boolean (has_error))
    return IWB_RESULT_SHAPE_ROW_ERROR;

  errors = json_object_get_member (obj, "errors");
  if (errors != NULL && JSON_NODE_HOLDS_ARRAY (errors) &&
      json_object_has_member (obj, "message"))
    {
      if (is_validation_error_list (json_node_get_array (errors)))
        return IWB_RESULT_SHAPE_VALIDATION_ERRORS;
      return IWB_RESULT_SHAPE_INSTANTIATION_ERROR;
    }

  return IWB_RESULT_SHAPE_VALUE;
}

/* ---------------------------------------------------------------------- */
/* A small strict JSON parser                                              */

#define MAX_DEPTH 512

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  char       *error;
  guint       depth;
} Reader;

static gboolean
reader_fail (Reader     *r,
             const char *what)
{
  if (r->error == NULL)
    r->error = g_strdup_printf ("at byte %" G_GSIZE_FORMAT ": %s", (gsize) (r->p - r->start), what);
  return FALSE;
}

static inline void
skip_ws (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

static gboolean
literal (Reader     *r,
         const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (r->end - r->p) < n || memcmp (r->p, word, n) != 0)
    return FALSE;
  r->p += n;
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

/* Reads a string (r->p on the opening quote) into a new C string. */
static char *
read_string (Reader *r)
{
  const char *q = ++r->p;
  GString *s = NULL;

  /* fast path: no escapes */
  while (q < r->end && *q != '"' && *q != '\\' && (guchar) *q >= 0x20)
    q++;
  if (q < r->end && *q == '"')
    {
      char *out = g_strndup (r->p, q - r->p);
      r->p = q + 1;
      return out;
    }

  s = g_string_new_len (r->p, q - r->p);
  r->p = q;
  while (r->p < r->end)
    {
      char c = *r->p;

      if (c == '"')
        {
          r->p++;
          return g_string_free (s, FALSE);
        }
      if ((guchar) c < 0x20)
        {
          reader_fail (r, "a control character inside a string (escape it)");
          break;
        }
      if (c != '\\')
        {
          g_string_append_c (s, c);
          r->p++;
          continue;
        }
      if (r->p + 1 >= r->end)
        break;
      r->p++;
      switch (*r->p)
        {
        case '"': g_string_append_c (s, '"'); break;
        case '\\': g_string_append_c (s, '\\'); break;
        case '/': g_string_append_c (s, '/'); break;
        case 'b': g_string_append_c (s, '\b'); break;
        case 'f': g_string_append_c (s, '\f'); break;
        case 'n': g_string_append_c (s, '\n'); break;
        case 'r': g_string_append_c (s, '\r'); break;
        case 't': g_string_append_c (s, '\t'); break;
        case 'u':
          {
            int cp;

            if (r->end - r->p < 5 || (cp = hex4 (r->p + 1)) < 0)
              {
                reader_fail (r, "a \\u escape needs four hex digits");
                g_string_free (s, TRUE);
                return NULL;
              }
            r->p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && r->end - r->p >= 7 &&
                r->p[1] == '\\' && r->p[2] == 'u')
              {
                int lo = hex4 (r->p + 3);

                if (lo >= 0xDC00 && lo <= 0xDFFF)
                  {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    r->p += 6;
                  }
              }
            if (cp >= 0xD800 && cp <= 0xDFFF)
              cp = 0xFFFD; /* a lone surrogate has no UTF-8 form */
            if (cp == 0)
              cp = 0xFFFD; /* keep C strings whole */
            g_string_append_unichar (s, (gunichar) cp);
          }
          break;
        default:
          reader_fail (r, "an unknown escape in a string");
          g_string_free (s, TRUE);
          return NULL;
        }
      r->p++;
    }
  reader_fail (r, "a string is not closed");
  g_string_free (s, TRUE);
  return NULL;
}

static JsonNode *read_value (Reader *r);

static JsonNode *
read_number (Reader *r)
{
  const char *s = r->p;
  gboolean is_int = TRUE;
  JsonNode *node;
  char buf[64];
  char *copy;

  if (r->p < r->end && *r->p == '-')
    r->p++;
  if (r->p < r->end && *r->p == '0')
    r->p++;
  else if (r->p < r->end && g_ascii_isdigit (*r->p))
    while (r->p < r->end && g_ascii_isdigit (*r->p))
      r->p++;
  else
    {
      if (literal (r, "Infinity"))
        {
          node = json_node_new (JSON_NODE_VALUE);
          json_node_set_double (node, *s == '-' ? -INFINITY : INFINITY);
          return node;
        }
      reader_fail (r, "expected a digit");
      return NULL;
    }
  if (r->p < r->end && *r->p == '.')
    {
      is_int = FALSE;
      r->p++;
      if (r->p >= r->end || !g_ascii_isdigit (*r->p))
        {
          reader_fail (r, "expected a digit after the decimal point");
          return NULL;
        }
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        r->p++;
    }
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E'))
    {
      is_int = FALSE;
      r->p++;
      if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
        r->p++;
      if (r->p >= r->end || !g_ascii_isdigit (*r->p))
        {
          reader_fail (r, "expected a digit in the exponent");
          return NULL;
        }
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        r->p++;
    }

  if ((gsize) (r->p - s) < sizeof buf)
    {
      memcpy (buf, s, r->p - s);
      buf[r->p - s] = '\0';
      copy = buf;
    }
  else
    copy = g_strndup (s, r->p - s);

  node = json_node_new (JSON_NODE_VALUE);
  if (is_int)
    {
      gint64 v;

      errno = 0;
      v = g_ascii_strtoll (copy, NULL, 10);
      if (errno == ERANGE)
        json_node_set_double (node, g_ascii_strtod (copy, NULL));
      else
        json_node_set_int (node, v);
    }
  else
    json_node_set_double (node, g_ascii_strtod (copy, NULL));
  if (copy != buf)
    g_free (copy);
  return node;
}

static JsonNode *
read_object (Reader *r)
{
  JsonObject *obj = json_object_new ();
  JsonNode *node;

  r->p++; /* { */
  skip_ws (r);
  if (r->p < r->end && *r->p == '}')
    {
      r->p++;
      goto done;
    }
  while (TRUE)
    {
      char *key;
      JsonNode *member;

      skip_ws (r);
      if (r->p >= r->end || *r->p != '"')
        {
          reader_fail (r, "expected a member name in double quotes");
          goto fail;
        }
      key = read_string (r);
      if (key == NULL)
        goto fail;
      skip_ws (r);
      if (r->p >= r->end || *r->p != ':')
        {
          g_free (key);
          reader_fail (r, "expected ':' after a member name");
          goto fail;
        }
      r->p++;
      member = read_value (r);
      if (member == NULL)
        {
          g_free (key);
          goto fail;
        }
      json_object_set_member (obj, key, member);
      g_free (key);
      skip_ws (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      if (r->p < r->end && *r->p == '}')
        {
          r->p++;
          break;
        }
      reader_fail (r, "expected ',' or '}' in an object");
      goto fail;
    }
done:
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, obj);
  return node;
fail:
  json_object_unref (obj);
  return NULL;
}

static JsonNode *
read_array (Reader *r)
{
  JsonArray *array = json_array_new ();
  JsonNode *node;

  r->p++; /* [ */
  skip_ws (r);
  if (r->p < r->end && *r->p == ']')
    {
      r->p++;
      goto done;
    }
  while (TRUE)
    {
      JsonNode *element = read_value (r);

      if (element == NULL)
        goto fail;
      json_array_add_element (array, element);
      skip_ws (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      if (r->p < r->end && *r->p == ']')
        {
          r->p++;
          break;
        }
      reader_fail (r, "expected ',' or ']' in an array");
      goto fail;
    }
done:
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
fail:
  json_array_unref (array);
  return NULL;
}

static JsonNode *
read_value (Reader *r)
{
  JsonNode *node = NULL;

  skip_ws (r);
  if (r->p >= r->end)
    {
      reader_fail (r, "expected a value");
      return NULL;
    }
  if (++r->depth > MAX_DEPTH)
    {
      reader_fail (r, "nested too deeply");
      return NULL;
    }
  switch (*r->p)
    {
    case '{':
      node = read_object (r);
      break;
    case '[':
      node = read_array (r);
      break;
    case '"':
      {
        char *s = read_string (r);

        if (s != NULL)
          {
            node = json_node_new (JSON_NODE_VALUE);
            json_node_set_string (node, s);
            g_free (s);
          }
      }
      break;
    case 't':
    case 'f':
    case 'n':
    case 'N':
    case 'I':
      if (literal (r, "true") || literal (r, "false"))
        {
          node = json_node_new (JSON_NODE_VALUE);
          json_node_set_boolean (node, r->p[-1] == 'e' && r->p[-2] == 'u');
        }
      else if (literal (r, "null"))
        node = json_node_new (JSON_NODE_NULL);
      else if (literal (r, "NaN"))
        {
          node = json_node_new (JSON_NODE_VALUE);
          json_node_set_double (node, NAN);
        }
      else if (literal (r, "Infinity"))
        {
          node = json_node_new (JSON_NODE_VALUE);
          json_node_set_double (node, INFINITY);
        }
      else
        reader_fail (r, "expected a value");
      break;
    default:
      node = read_number (r);
      break;
    }
  r->depth--;
  return node;
}

JsonNode *
iwb_json_parse (const char  *text,
                gsize        len,
                char       **error_message)
{
  Reader r = { text, text, text + len, NULL, 0 };
  JsonNode *node = read_value (&r);

  if (node != NULL)
    {
      skip_ws (&r);
      if (r.p != r.end)
        {
          reader_fail (&r, "unexpected text after the JSON value");
          g_clear_pointer (&node, json_node_unref);
        }
    }
  if (node == NULL)
    {
      if (error_message)
        *error_message = g_steal_pointer (&r.error);
      g_free (r.error);
      return NULL;
    }
  return node;
}

/* ---------------------------------------------------------------------- */
/* The same grammar, checked without building nodes                        */

static gboolean skip_value (Reader *r);

/* r->p on the opening quote; *plain_start/len give the raw text when the
 * string has no escapes (for comparing member names), else len = -1. */
static gboolean
skip_string (Reader      *r,
             const char **plain_start,
             gssize      *plain_len)
{
  const char *start = ++r->p;
  gboolean escaped = FALSE;

  while (r->p < r->end)
    {
      char c = *r->p;

      if (c == '"')
        {
          if (plain_start)
            {
              *plain_start = start;
              *plain_len = escaped ? -1 : r->p - start;
            }
          r->p++;
          return TRUE;
        }
      if ((guchar) c < 0x20)
        return reader_fail (r, "a control character inside a string (escape it)");
      if (c == '\\')
        {
          escaped = TRUE;
          if (r->p + 1 >= r->end)
            break;
          r->p++;
          switch (*r->p)
            {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
              break;
            case 'u':
              if (r->end - r->p < 5 || hex4 (r->p + 1) < 0)
                return reader_fail (r, "a \\u escape needs four hex digits");
              r->p += 4;
              break;
            default:
              return reader_fail (r, "an unknown escape in a string");
            }
        }
      r->p++;
    }
  return reader_fail (r, "a string is not closed");
}

static gboolean
skip_number (Reader *r)
{
  if (r->p < r->end && *r->p == '-')
    r->p++;
  if (r->p < r->end && *r->p == '0')
    r->p++;
  else if (r->p < r->end && g_ascii_isdigit (*r->p))
    while (r->p < r->end && g_ascii_isdigit (*r->p))
      r->p++;
  else if (literal (r, "Infinity"))
    return TRUE;
  else
    return reader_fail (r, "expected a digit");
  if (r->p < r->end && *r->p == '.')
    {
      r->p++;
      if (r->p >= r->end || !g_ascii_isdigit (*r->p))
        return reader_fail (r, "expected a digit after the decimal point");
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        r->p++;
    }
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E'))
    {
      r->p++;
      if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
        r->p++;
      if (r->p >= r->end || !g_ascii_isdigit (*r->p))
        return reader_fail (r, "expected a digit in the exponent");
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        r->p++;
    }
  return TRUE;
}

/* Also used for the top-level object: *has_lhub_id when a member of this
 * object (not of nested ones) is named lhub_id. */
static gboolean
skip_object (Reader   *r,
             gboolean *has_lhub_id)
{
  r->p++; /* { */
  skip_ws (r);
  if (r->p < r->end && *r->p == '}')
    {
      r->p++;
      return TRUE;
    }
  while (TRUE)
    {
      const char *name = NULL;
      gssize name_len = -1;

      skip_ws (r);
      if (r->p >= r->end || *r->p != '"')
        return reader_fail (r, "expected a member name in double quotes");
      if (!skip_string (r, &name, &name_len))
        return FALSE;
      if (has_lhub_id != NULL &&
          (name_len < 0 /* escaped: be safe */ ||
           (name_len == 7 && memcmp (name, "lhub_id", 7) == 0)))
        *has_lhub_id = TRUE;
      skip_ws (r);
      if (r->p >= r->end || *r->p != ':')
        return reader_fail (r, "expected ':' after a member name");
      r->p++;
      if (!skip_value (r))
        return FALSE;
      skip_ws (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      if (r->p < r->end && *r->p == '}')
        {
          r->p++;
          return TRUE;
        }
      return reader_fail (r, "expected ',' or '}' in an object");
    }
}

static gboolean
skip_value (Reader *r)
{
  gboolean ok;

  skip_ws (r);
  if (r->p >= r->end)
    return reader_fail (r, "expected a value");
  if (++r->depth > MAX_DEPTH)
    return reader_fail (r, "nested too deeply");
  switch (*r->p)
    {
    case '{':
      ok = skip_object (r, NULL);
      break;
    case '[':
      r->p++;
      skip_ws (r);
      if (r->p < r->end && *r->p == ']')
        {
          r->p++;
          ok = TRUE;
          break;
        }
      while ((ok = skip_value (r)))
        {
          skip_ws (r);
          if (r->p < r->end && *r->p == ',')
            {
              r->p++;
              continue;
            }
          if (r->p < r->end && *r->p == ']')
            {
              r->p++;
              break;
            }
          ok = reader_fail (r, "expected ',' or ']' in an array");
          break;
        }
      break;
    case '"':
      ok = skip_string (r, NULL, NULL);
      break;
    case 't': case 'f': case 'n': case 'N': case 'I':
      ok = literal (r, "true") || literal (r, "false") || literal (r, "null") ||
           literal (r, "NaN") || literal (r, "Infinity");
      if (!ok)
        reader_fail (r, "expected a value");
      break;
    default:
      ok = skip_number (r);
      break;
    }
  r->depth--;
  return ok;
}

gboolean
iwb_json_check_object (const char  *text,
                       gsize        len,
                       gsize       *object_start,
                       gboolean    *has_lhub_id,
                       char       **error_message)
{
  Reader r = { text, text, text + len, NULL, 0 };
  gboolean lhub = FALSE;
  gsize start;

  skip_ws (&r);
  start = r.p - text;
  if (r.p >= r.end || *r.p != '{')
    reader_fail (&r, r.p >= r.end ? "expected a JSON object" : "a row must be a JSON object");
  else if (skip_object (&r, &lhub))
    {
      skip_ws (&r);
      if (r.p != r.end)
        reader_fail (&r, "unexpected text after the JSON object");
    }
  if (r.error != NULL)
    {
      if (error_message)
        *error_message = g_steal_pointer (&r.error);
      g_free (r.error);
      return FALSE;
    }
  if (object_start)
    *object_start = start;
  if (has_lhub_id)
    *has_lhub_id = lhub;
  return TRUE;
}

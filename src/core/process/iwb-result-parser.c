/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `[result]` line parsing (spec 6.3, 6.5) and result classification.
 */
#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include "iwb-result-parser.h"
#include "iwb-json-scan.h"

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

/* ---------------------------------------------------------------------- */
/* Canonical text without a tree                                           */

/* What a "member name" at the top level means to iwb_result_classify(). */
typedef enum
{
  TOP_KEY_OTHER,
  TOP_KEY_OVERRIDES,
  TOP_KEY_HAS_ERROR,
  TOP_KEY_ERRORS,
  TOP_KEY_MESSAGE,
} TopKey;

#define CANON_MAX_KEYS 32 /* members of one object checked for repeats one by one; more:
                           * sorted once when the object ends */

typedef struct
{
  gboolean is_object;
  gboolean first;
  guint    keys_start; /* in Canon.keys */
} CanonFrame;

typedef struct
{
  GString  *out;
  GString  *scratch;
  GArray   *frames;     /* CanonFrame */
  GArray   *keys;       /* gsize pairs: offset and length of each open object's member names in out */
  gboolean  fallback;   /* a duplicate member name (json-glib keeps the first place and the
                         * last value), or too many to check: build the tree instead */
  gboolean  nonfinite;  /* NaN, Infinity or a number out of the double range */
  /* the top level, for iwb_result_classify()'s questions */
  gboolean  root_object;
  guint     top_members;
  TopKey    top_key;    /* of the member whose value comes next */
  gboolean  top_overrides;
  gboolean  top_has_error_true;
  gboolean  top_errors_array;
  gboolean  top_message;
} Canon;

/* A value starts: the comma in a list; the top level's questions. */
static void
canon_before_value (Canon    *c,
                    gboolean  is_array,
                    gboolean  is_true)
{
  CanonFrame *top;

  if (c->frames->len == 0)
    return;
  top = &g_array_index (c->frames, CanonFrame, c->frames->len - 1);
  if (!top->is_object)
    {
      if (!top->first)
        g_string_append_c (c->out, ',');
      top->first = FALSE;
      return;
    }
  if (c->frames->len == 1)
    {
      if (c->top_key == TOP_KEY_HAS_ERROR)
        c->top_has_error_true = is_true;
      else if (c->top_key == TOP_KEY_ERRORS)
        c->top_errors_array = is_array;
    }
}

static void
canon_begin (gpointer data,
             gboolean is_object)
{
  Canon *c = data;
  CanonFrame frame = { is_object, TRUE, c->keys->len };

  canon_before_value (c, !is_object, FALSE);
  if (c->frames->len == 0)
    c->root_object = is_object;
  g_string_append_c (c->out, is_object ? '{' : '[');
  g_array_append_val (c->frames, frame);
}

static int
compare_spans (gconstpointer a,
               gconstpointer b,
               gpointer      text)
{
  const gsize *x = a, *y = b;

  if (x[1] != y[1])
    return x[1] < y[1] ? -1 : 1;
  return memcmp ((const char *) text + x[0], (const char *) text + y[0], x[1]);
}

static void
canon_end (gpointer data)
{
  Canon *c = data;
  CanonFrame *top = &g_array_index (c->frames, CanonFrame, c->frames->len - 1);
  guint count = (c->keys->len - top->keys_start) / 2;

  g_string_append_c (c->out, top->is_object ? '}' : ']');
  /* A wide object: its names sorted once, a repeat is next to its twin. */
  if (top->is_object && count > CANON_MAX_KEYS && !c->fallback)
    {
      gsize *spans = &g_array_index (c->keys, gsize, top->keys_start);

      g_qsort_with_data (spans, count, 2 * sizeof (gsize), compare_spans, c->out->str);
      for (guint i = 1; i < count && !c->fallback; i++)
        c->fallback = compare_spans (spans + 2 * (i - 1), spans + 2 * i, c->out->str) == 0;
    }
  g_array_set_size (c->keys, top->keys_start);
  g_array_set_size (c->frames, c->frames->len - 1);
}

/* The decoded text of a string token, as the tree would hold it. */
static const char *
canon_decode (Canon      *c,
              const char *raw,
              gsize       len,
              gboolean    escaped,
              gsize      *out_len)
{
  if (!escaped)
    {
      *out_len = len;
      return raw;
    }
  g_string_set_size (c->scratch, len);
  *out_len = iwb_json_decode_string (raw, len, IWB_JSON_PARSE_DEFAULT, c->scratch->str);
  c->scratch->str[*out_len] = '\0';
  return c->scratch->str;
}

static void
canon_key (gpointer    data,
           const char *raw,
           gsize       len,
           gboolean    escaped)
{
  Canon *c = data;
  CanonFrame *top = &g_array_index (c->frames, CanonFrame, c->frames->len - 1);
  gsize start = c->out->len, klen, n;
  const char *key;
  const char *name;

  if (!top->first)
    {
      g_string_append_c (c->out, ',');
      start++;
    }
  top->first = FALSE;
  key = canon_decode (c, raw, len, escaped, &klen);
  /* The tree's member names are C strings: a decoded NUL cannot happen
   * (IWB_JSON_PARSE_DEFAULT makes it U+FFFD), so @klen is the whole name. */
  iwb_json_write_string (c->out, key, klen);
  name = c->out->str + start;
  n = c->out->len - start;

  /* Duplicates: the canonical text of a name is unique to the name. */
  if (!c->fallback)
    {
      guint count = (c->keys->len - top->keys_start) / 2;

      /* the first names one by one; beyond, canon_end() sorts them */
      for (guint i = top->keys_start; count < CANON_MAX_KEYS && i < c->keys->len && !c->fallback; i += 2)
        {
          gsize o = g_array_index (c->keys, gsize, i);
          gsize l = g_array_index (c->keys, gsize, i + 1);

          if (l == n && memcmp (c->out->str + o, name, n) == 0)
            c->fallback = TRUE;
        }
      g_array_append_val (c->keys, start);
      g_array_append_val (c->keys, n);
    }
  if (c->frames->len == 1)
    {
      c->top_members++;
      c->top_key = TOP_KEY_OTHER;
#define IS(lit) (n == sizeof ("\"" lit "\"") - 1 && memcmp (name, "\"" lit "\"", n) == 0)
      if (IS ("actionOverrides"))
        c->top_key = TOP_KEY_OVERRIDES, c->top_overrides = TRUE;
      else if (IS ("has_error"))
        c->top_key = TOP_KEY_HAS_ERROR;
      else if (IS ("errors"))
        c->top_key = TOP_KEY_ERRORS;
      else if (IS ("message"))
        c->top_key = TOP_KEY_MESSAGE, c->top_message = TRUE;
#undef IS
    }
  g_string_append_c (c->out, ':');
}

static void
canon_string (gpointer    data,
              const char *raw,
              gsize       len,
              gboolean    escaped)
{
  Canon *c = data;
  gsize slen;
  const char *s;

  canon_before_value (c, FALSE, FALSE);
  s = canon_decode (c, raw, len, escaped, &slen);
  iwb_json_write_string (c->out, s, slen);
}

static void
canon_number (gpointer    data,
              const char *raw,
              gsize       len,
              gboolean    is_int)
{
  Canon *c = data;
  gsize digits = len - (raw[0] == '-');
  gint64 i;
  double d;

  canon_before_value (c, FALSE, FALSE);
  /* An integer of at most 18 digits, no leading zero and not "-0": its
   * text is what printing the parsed int64 gives back. */
  if (is_int && digits > 0 && digits <= 18 && (raw[len - digits] != '0' || len == 1))
    g_string_append_len (c->out, raw, len);
  else if (iwb_json_number_value (raw, len, is_int, &i, &d))
    iwb_json_write_int (c->out, i);
  else
    {
      if (!isfinite (d))
        c->nonfinite = TRUE;
      iwb_json_write_double (c->out, d);
    }
}

static void
canon_literal (gpointer       data,
               IwbJsonLiteral lit)
{
  Canon *c = data;

  canon_before_value (c, FALSE, lit == IWB_JSON_LITERAL_TRUE);
  switch (lit)
    {
    case IWB_JSON_LITERAL_NULL:
      g_string_append (c->out, "null");
      break;
    case IWB_JSON_LITERAL_TRUE:
      g_string_append (c->out, "true");
      break;
    case IWB_JSON_LITERAL_FALSE:
      g_string_append (c->out, "false");
      break;
    case IWB_JSON_LITERAL_NAN:
      c->nonfinite = TRUE;
      iwb_json_write_double (c->out, NAN);
      break;
    case IWB_JSON_LITERAL_INFINITY:
      c->nonfinite = TRUE;
      iwb_json_write_double (c->out, INFINITY);
      break;
    case IWB_JSON_LITERAL_MINUS_INFINITY:
    default:
      c->nonfinite = TRUE;
      iwb_json_write_double (c->out, -INFINITY);
      break;
    }
}

static const IwbJsonSink canon_sink = {
  canon_begin, canon_end, canon_key, canon_string, canon_number, canon_literal,
};

typedef struct
{
  GString *scratch;
  GArray  *frames;
  GArray  *keys;
} CanonBuffers;

static void
canon_buffers_free (gpointer data)
{
  CanonBuffers *b = data;

  g_string_free (b->scratch, TRUE);
  g_array_unref (b->frames);
  g_array_unref (b->keys);
  g_free (b);
}

/* Scans @text into @out; FALSE when it is not JSON (nothing appended) or
 * when the tree is needed (c->fallback; @out has the partial text). */
static gboolean
canon_scan (Canon      *c,
            const char *text,
            gsize       len)
{
  /* Buffers reused, one set per thread. */
  static GPrivate buffers = G_PRIVATE_INIT (canon_buffers_free);
  CanonBuffers *b = g_private_get (&buffers);
  gsize start = c->out->len;
  IwbJsonErrorCode code;
  gsize offset;
  const char *what;
  gboolean ok;

  if (b == NULL)
    {
      b = g_new0 (CanonBuffers, 1);
      b->scratch = g_string_sized_new (256);
      b->frames = g_array_new (FALSE, FALSE, sizeof (CanonFrame));
      b->keys = g_array_new (FALSE, FALSE, sizeof (gsize));
      g_private_set (&buffers, b);
    }
  c->scratch = b->scratch;
  c->frames = b->frames;
  c->keys = b->keys;
  g_array_set_size (b->frames, 0);
  g_array_set_size (b->keys, 0);
  ok = iwb_json_scan (text, len, TRUE, &canon_sink, c, &code, &offset, &what);
  if (!ok)
    g_string_truncate (c->out, start);
  return ok && !c->fallback;
}

gboolean
iwb_result_canonical_json (const char *text,
                           gsize       len,
                           GString    *out,
                           gboolean   *nonfinite)
{
  Canon c = { out };
  gsize start = out->len;

  if (canon_scan (&c, text, len))
    {
      if (nonfinite)
        *nonfinite = c.nonfinite;
      return TRUE;
    }
  if (!c.fallback)
    return FALSE;
  /* The rare case (duplicate names): the tree decides. */
  g_string_truncate (out, start);
  {
    g_autoptr(JsonNode) node = iwb_json_parse (text, len, NULL);

    if (node == NULL)
      return FALSE;
    iwb_json_write (out, node, FALSE);
  }
  if (nonfinite)
    *nonfinite = c.nonfinite;
  return TRUE;
}

/* The [meta] block as the SDK prints it: {"original_lhub_id": N} with a
 * plain integer N; anything else takes the general way. */
static JsonNode *
meta_plain_id (const char *meta,
               gsize       len)
{
  static const char head[] = "{\"original_lhub_id\": ";
  gsize h = sizeof head - 1;
  gsize i = h;
  gint64 v = 0;

  if (len < h + 2 || memcmp (meta, head, h) != 0 || meta[len - 1] != '}')
    return NULL;
  if (meta[i] == '-')
    i++;
  if (i >= len - 1 || (meta[i] == '0' && i + 1 != len - 1) || len - 1 - i > 18 ||
      (meta[i] == '0' && meta[h] == '-'))
    return NULL;
  for (gsize k = i; k < len - 1; k++)
    {
      if (!g_ascii_isdigit (meta[k]))
        return NULL;
      v = v * 10 + (meta[k] - '0');
    }
  return json_node_init_int (json_node_alloc (), meta[h] == '-' ? -v : v);
}

/* Where @needle first is in the @len bytes at @hay, up to a NUL as
 * g_strstr_len() reads it; with memchr() for the first byte instead of
 * comparing at every position (this runs for every result line). */
static const char *
find_text (const char *hay,
           gsize       len,
           const char *needle)
{
  gsize n = strlen (needle);
  const char *nul = memchr (hay, '\0', len);
  const char *end = nul != NULL ? nul : hay + len;
  const char *p = hay;

  while ((gsize) (end - p) >= n)
    {
      const char *q = memchr (p, needle[0], (gsize) (end - p) - n + 1);

      if (q == NULL)
        return NULL;
      if (memcmp (q, needle, n) == 0)
        return q;
      p = q + 1;
    }
  return NULL;
}

/* The marker and the [meta] block: *body is where the JSON value starts. */
static IwbResultLineStatus
split_line (const char  *line,
            gsize        len,
            const char **body,
            JsonNode   **lhub_id,
            char       **error_message)
{
  const char *p = line;
  const char *end = line + len;
  g_autoptr(JsonNode) id = NULL;

  if (len < strlen (PREFIX) || memcmp (line, PREFIX, strlen (PREFIX)) != 0)
    return IWB_RESULT_LINE_NONE;
  p += strlen (PREFIX);

  if ((gsize) (end - p) >= strlen (META_OPEN) && memcmp (p, META_OPEN, strlen (META_OPEN)) == 0)
    {
      const char *meta = p + strlen (META_OPEN);
      const char *close = find_text (meta, (gsize) (end - meta), META_CLOSE);

      if (close == NULL)
        {
          if (error_message)
            *error_message = g_strdup ("[meta] without a closing [/meta]");
          return IWB_RESULT_LINE_INVALID;
        }
      id = meta_plain_id (meta, close - meta);
      if (id == NULL)
        {
          g_autofree char *meta_error = NULL;
          g_autoptr(JsonNode) meta_node = parse_json (meta, close - meta, &meta_error);
          JsonNode *orig;

          if (meta_node == NULL || !JSON_NODE_HOLDS_OBJECT (meta_node))
            {
              if (error_message)
                *error_message = g_strdup_printf (_("the [meta] block is not a JSON object%s%s"),
                                                  meta_error ? ": " : "",
                                                  meta_error ? meta_error : "");
              return IWB_RESULT_LINE_INVALID;
            }
          orig = json_object_get_member (json_node_get_object (meta_node), "original_lhub_id");
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
  *body = p;
  *lhub_id = g_steal_pointer (&id);
  return IWB_RESULT_LINE_OK;
}

IwbResultLineStatus
iwb_result_parse_line (const char  *line,
                       gsize        len,
                       JsonNode   **value,
                       JsonNode   **lhub_id,
                       char       **error_message)
{
  g_autoptr(JsonNode) id = NULL;
  const char *body = NULL;
  IwbResultLineStatus status;
  JsonNode *v;

  *value = NULL;
  if (lhub_id)
    *lhub_id = NULL;
  if (error_message)
    *error_message = NULL;

  status = split_line (line, len, &body, &id, error_message);
  if (status != IWB_RESULT_LINE_OK)
    return status;
  v = parse_json (body, line + len - body, error_message);
  if (v == NULL)
    return IWB_RESULT_LINE_INVALID;

  *value = v;
  if (lhub_id)
    *lhub_id = g_steal_pointer (&id);
  return IWB_RESULT_LINE_OK;
}

IwbResultLineStatus
iwb_result_read_line (const char      *line,
                      gsize            len,
                      GString         *canonical,
                      gboolean        *nonfinite,
                      IwbResultShape  *shape,
                      JsonNode       **value,
                      JsonNode       **lhub_id,
                      char           **error_message)
{
  g_autoptr(JsonNode) id = NULL;
  const char *body = NULL;
  gsize body_len, start = canonical->len;
  IwbResultLineStatus status;
  Canon c = { canonical };

  *value = NULL;
  *nonfinite = FALSE;
  *shape = IWB_RESULT_SHAPE_VALUE;
  if (lhub_id)
    *lhub_id = NULL;
  if (error_message)
    *error_message = NULL;

  status = split_line (line, len, &body, &id, error_message);
  if (status != IWB_RESULT_LINE_OK)
    return status;
  body_len = line + len - body;

  if (canon_scan (&c, body, body_len))
    {
      *nonfinite = c.nonfinite;
      /* iwb_result_classify() without the tree (no name is repeated) */
      if (!c.root_object)
        *shape = IWB_RESULT_SHAPE_VALUE;
      else if (c.top_members == 0)
        *shape = IWB_RESULT_SHAPE_EMPTY_SUCCESS;
      else if (c.top_overrides || c.top_has_error_true || (c.top_errors_array && c.top_message))
        {
          /* the rarer shapes: their events read the tree */
          *value = parse_json (canonical->str + start, canonical->len - start, NULL);
          *shape = iwb_result_classify (*value);
        }
      else
        *shape = IWB_RESULT_SHAPE_VALUE;
    }
  else
    {
      /* not JSON (the message), or repeated names: the tree decides */
      g_string_truncate (canonical, start);
      *value = parse_json (body, body_len, error_message);
      if (*value == NULL)
        return IWB_RESULT_LINE_INVALID;
      *nonfinite = c.nonfinite;
      *shape = iwb_result_classify (*value);
      iwb_json_write (canonical, *value, FALSE);
    }
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iwb-json: parse (depth-limited, iterative), check, equal, deep copy, type
 * names and typed reads. See iwb-json.h; the scanner is iwb-json-scan.c and
 * the writer iwb-json-write.c. Imports nothing else of the project.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "iwb-json.h"
/* ------------------------------------------------------------------------ */
/* Building JsonNode trees                                                   */

typedef struct
{
  GPtrArray         *stack; /* open containers (JsonNode *, borrowed) */
  JsonNode          *root;
  char              *key;   /* pending member name */
  GString           *scratch;
  IwbJsonParseFlags  flags;
} Builder;

static void
builder_add (Builder  *b,
             JsonNode *node)
{
  JsonNode *parent;

  if (b->stack->len == 0)
    {
      b->root = node;
      return;
    }
  parent = g_ptr_array_index (b->stack, b->stack->len - 1);
  if (JSON_NODE_HOLDS_OBJECT (parent))
    {
      json_object_set_member (json_node_get_object (parent), b->key, node);
      g_clear_pointer (&b->key, g_free);
    }
  else
    json_array_add_element (json_node_get_array (parent), node);
}

static char *
builder_string (Builder    *b,
                const char *raw,
                gsize       len,
                gboolean    escaped)
{
  char *s;

  if (!escaped)
    return g_strndup (raw, len);
  s = g_malloc (len + 1);
  s[iwb_json_decode_string (raw, len, b->flags, s)] = '\0';
  return s;
}

static void
build_begin (gpointer data,
             gboolean is_object)
{
  Builder *b = data;
  JsonNode *node;

  if (is_object)
    {
      JsonObject *obj = json_object_new ();
      node = json_node_init_object (json_node_alloc (), obj);
      json_object_unref (obj);
    }
  else
    {
      JsonArray *arr = json_array_new ();
      node = json_node_init_array (json_node_alloc (), arr);
      json_array_unref (arr);
    }
  builder_add (b, node);
  g_ptr_array_add (b->stack, node);
}

static void
build_end (gpointer data)
{
  Builder *b = data;

  g_ptr_array_set_size (b->stack, b->stack->len - 1);
}

static void
build_key (gpointer    data,
           const char *raw,
           gsize       len,
           gboolean    escaped)
{
  Builder *b = data;

  g_free (b->key);
  b->key = builder_string (b, raw, len, escaped);
}

static void
build_string (gpointer    data,
              const char *raw,
              gsize       len,
              gboolean    escaped)
{
  Builder *b = data;
  GString *t = b->scratch;

  /* json-glib copies the string: decode into a reused buffer */
  g_string_set_size (t, len);
  if (escaped)
    g_string_set_size (t, iwb_json_decode_string (raw, len, b->flags, t->str));
  else
    memcpy (t->str, raw, len);
  builder_add (b, json_node_init_string (json_node_alloc (), t->str));
}

static void
build_number (gpointer    data,
              const char *raw,
              gsize       len,
              gboolean    is_int)
{
  gint64 i;
  double d;

  if (iwb_json_number_value (raw, len, is_int, &i, &d))
    builder_add (data, json_node_init_int (json_node_alloc (), i));
  else
    builder_add (data, json_node_init_double (json_node_alloc (), d));
}

static void
build_literal (gpointer       data,
               IwbJsonLiteral lit)
{
  JsonNode *node = json_node_alloc ();

  switch (lit)
    {
    case IWB_JSON_LITERAL_NULL:
      json_node_init_null (node);
      break;
    case IWB_JSON_LITERAL_TRUE:
    case IWB_JSON_LITERAL_FALSE:
      json_node_init_boolean (node, lit == IWB_JSON_LITERAL_TRUE);
      break;
    case IWB_JSON_LITERAL_NAN:
      json_node_init_double (node, NAN);
      break;
    case IWB_JSON_LITERAL_INFINITY:
      json_node_init_double (node, INFINITY);
      break;
    case IWB_JSON_LITERAL_MINUS_INFINITY:
    default:
      json_node_init_double (node, -INFINITY);
      break;
    }
  builder_add (data, node);
}

static const IwbJsonSink builder_sink = {
  build_begin, build_end, build_key, build_string, build_number, build_literal,
};

static JsonNode *
parse (const char         *text,
       gsize               len,
       IwbJsonParseFlags   flags,
       IwbJsonErrorCode   *code,
       gsize              *offset,
       const char        **what)
{
  Builder b = { g_ptr_array_new (), NULL, NULL, g_string_new (NULL), flags };
  gboolean ok = iwb_json_scan (text, len, TRUE, &builder_sink, &b, code, offset, what);

  g_ptr_array_unref (b.stack);
  g_string_free (b.scratch, TRUE);
  g_free (b.key);
  if (!ok)
    {
      g_clear_pointer (&b.root, json_node_unref);
      return NULL;
    }
  return b.root;
}

JsonNode *
iwb_json_parse_full (const char         *text,
                     gssize              len,
                     IwbJsonParseFlags   flags,
                     gsize              *error_offset,
                     GError            **error)
{
  IwbJsonErrorCode code = 0;
  gsize offset = 0;
  const char *what = NULL;
  JsonNode *node;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (len < 0)
    len = strlen (text);
  node = parse (text, len, flags, &code, &offset, &what);
  if (node == NULL)
    {
      g_autofree char *message = iwb_json_format_error (text, len, offset, _(what));

      if (error_offset)
        *error_offset = offset;
      g_set_error_literal (error, IWB_JSON_ERROR, code, message);
    }
  return node;
}

JsonNode *
iwb_json_parse (const char  *text,
                gsize        len,
                char       **error_message)
{
  IwbJsonErrorCode code = 0;
  gsize offset = 0;
  const char *what = NULL;
  JsonNode *node = parse (text, len, IWB_JSON_PARSE_DEFAULT, &code, &offset, &what);

  if (node == NULL && error_message != NULL)
    *error_message = g_strdup_printf (_("at byte %lu: %s"), (unsigned long) offset, _(what));
  return node;
}

gboolean
iwb_json_check (const char  *text,
                gsize        len,
                GError     **error)
{
  IwbJsonErrorCode code = 0;
  gsize offset = 0;
  const char *what = NULL;

  if (!iwb_json_scan (text, len, TRUE, NULL, NULL, &code, &offset, &what))
    {
      g_autofree char *message = iwb_json_format_error (text, len, offset, _(what));

      g_set_error_literal (error, IWB_JSON_ERROR, code, message);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  guint    depth;
  gboolean has_lhub_id;
} ObjectCheck;

static void
check_begin (gpointer data,
             gboolean is_object)
{
  ((ObjectCheck *) data)->depth++;
}

static void
check_end (gpointer data)
{
  ((ObjectCheck *) data)->depth--;
}

static void
check_key (gpointer    data,
           const char *raw,
           gsize       len,
           gboolean    escaped)
{
  ObjectCheck *c = data;

  if (c->depth == 1 && (escaped || (len == 7 && memcmp (raw, "lhub_id", 7) == 0)))
    c->has_lhub_id = TRUE;
}

static const IwbJsonSink object_check_sink = { check_begin, check_end, check_key, NULL, NULL, NULL };

gboolean
iwb_json_check_object (const char  *text,
                       gsize        len,
                       gsize       *object_start,
                       gboolean    *has_lhub_id,
                       char       **error_message)
{
  ObjectCheck c = { 0, FALSE };
  IwbJsonErrorCode code = 0;
  gsize offset = 0, start = 0;
  const char *what = NULL;

  while (start < len && (text[start] == ' ' || text[start] == '\t' ||
                         text[start] == '\n' || text[start] == '\r'))
    start++;
  if (start >= len)
    what = N_("expected a JSON object"), offset = start;
  else if (text[start] != '{')
    what = N_("a row must be a JSON object"), offset = start;
  /* Most rows are flat objects: read without the sink machinery (the same
   * grammar), three times faster; the rest, and every error, by the sink. */
  else if (iwb_json_scan_flat_object (text, len, &c.has_lhub_id) ||
           iwb_json_scan (text, len, TRUE, &object_check_sink, &c, &code, &offset, &what))
    {
      if (object_start)
        *object_start = start;
      if (has_lhub_id)
        *has_lhub_id = c.has_lhub_id;
      return TRUE;
    }
  else if (code == IWB_JSON_ERROR_EXTRA_DATA)
    what = N_("unexpected text after the JSON object");
  if (error_message)
    *error_message = g_strdup_printf (_("at byte %lu: %s"), (unsigned long) offset, _(what));
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Equality, copies, type names, typed reads                                 */

static gboolean
scalar_equal (JsonNode *a,
              JsonNode *b)
{
  GType t = json_node_get_value_type (a);

  if (t != json_node_get_value_type (b))
    return FALSE;
  if (t == G_TYPE_INT64)
    return json_node_get_int (a) == json_node_get_int (b);
  if (t == G_TYPE_DOUBLE)
    return json_node_get_double (a) == json_node_get_double (b);
  if (t == G_TYPE_BOOLEAN)
    return json_node_get_boolean (a) == json_node_get_boolean (b);
  if (t == G_TYPE_STRING)
    return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
  return FALSE;
}

/* Iterative: pairs still to compare wait on an explicit stack. */
gboolean
iwb_json_equal (JsonNode *a,
                JsonNode *b)
{
  g_autoptr(GPtrArray) todo = NULL;

  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  todo = g_ptr_array_new ();
  g_ptr_array_add (todo, a);
  g_ptr_array_add (todo, b);
  while (todo->len > 0)
    {
      JsonNode *y = g_ptr_array_steal_index_fast (todo, todo->len - 1);
      JsonNode *x = g_ptr_array_steal_index_fast (todo, todo->len - 1);
      JsonNodeType t;

      if (x == y)
        continue;
      if (x == NULL || y == NULL)
        return FALSE;
      t = json_node_get_node_type (x);
      if (t != json_node_get_node_type (y))
        return FALSE;
      switch (t)
        {
        case JSON_NODE_NULL:
          break;

        case JSON_NODE_VALUE:
          if (!scalar_equal (x, y))
            return FALSE;
          break;

        case JSON_NODE_ARRAY:
          {
            JsonArray *ax = json_node_get_array (x), *ay = json_node_get_array (y);
            guint n = json_array_get_length (ax);

            if (n != json_array_get_length (ay))
              return FALSE;
            for (guint i = n; i-- > 0;)
              {
                JsonNode *ex = json_array_get_element (ax, i);
                JsonNode *ey = json_array_get_element (ay, i);

                /* scalars at once: most items are */
                if (JSON_NODE_TYPE (ex) == JSON_NODE_VALUE && JSON_NODE_TYPE (ey) == JSON_NODE_VALUE)
                  {
                    if (!scalar_equal (ex, ey))
                      return FALSE;
                    continue;
                  }
                g_ptr_array_add (todo, ex);
                g_ptr_array_add (todo, ey);
              }
            break;
          }

        case JSON_NODE_OBJECT:
          {
            JsonObject *ox = json_node_get_object (x), *oy = json_node_get_object (y);
            JsonObjectIter iter;
            const char *name;
            JsonNode *member;

            if (json_object_get_size (ox) != json_object_get_size (oy))
              return FALSE;
            json_object_iter_init (&iter, ox);
            while (json_object_iter_next (&iter, &name, &member))
              {
                JsonNode *other = json_object_get_member (oy, name);

                if (other == NULL)
                  return FALSE;
                if (JSON_NODE_TYPE (member) == JSON_NODE_VALUE &&
                    JSON_NODE_TYPE (other) == JSON_NODE_VALUE)
                  {
                    if (!scalar_equal (member, other))
                      return FALSE;
                    continue;
                  }
                g_ptr_array_add (todo, member);
                g_ptr_array_add (todo, other);
              }
            break;
          }

        default:
          return FALSE;
        }
    }
  return TRUE;
}

static JsonNode *
shallow_container (JsonNode *src)
{
  if (JSON_NODE_HOLDS_OBJECT (src))
    {
      JsonObject *obj = json_object_new ();
      JsonNode *node = json_node_init_object (json_node_alloc (), obj);

      json_object_unref (obj);
      return node;
    }
  else
    {
      JsonArray *arr = json_array_sized_new (json_array_get_length (json_node_get_array (src)));
      JsonNode *node = json_node_init_array (json_node_alloc (), arr);

      json_array_unref (arr);
      return node;
    }
}

typedef struct
{
  JsonNode *src;
  JsonNode *dst;
} CopyTask;

/* Iterative: each container is created empty, attached to its parent, and
 * filled when its task comes up (member order is kept). */
JsonNode *
iwb_json_deep_copy (JsonNode *node)
{
  g_autoptr(GArray) todo = NULL;
  JsonNode *root;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_ARRAY (node))
    return json_node_copy (node);

  todo = g_array_new (FALSE, FALSE, sizeof (CopyTask));
  root = shallow_container (node);
  g_array_append_vals (todo, &(CopyTask) { node, root }, 1);
  while (todo->len > 0)
    {
      CopyTask task = g_array_index (todo, CopyTask, todo->len - 1);

      g_array_set_size (todo, todo->len - 1);
      if (JSON_NODE_HOLDS_OBJECT (task.src))
        {
          JsonObject *dst = json_node_get_object (task.dst);
          JsonObjectIter iter;
          const char *name;
          JsonNode *member;

          json_object_iter_init_ordered (&iter, json_node_get_object (task.src));
          while (json_object_iter_next_ordered (&iter, &name, &member))
            {
              JsonNode *copy;

              if (JSON_NODE_HOLDS_OBJECT (member) || JSON_NODE_HOLDS_ARRAY (member))
                {
                  copy = shallow_container (member);
                  g_array_append_vals (todo, &(CopyTask) { member, copy }, 1);
                }
              else
                copy = json_node_copy (member);
              json_object_set_member (dst, name, copy);
            }
        }
      else
        {
          JsonArray *src = json_node_get_array (task.src);
          JsonArray *dst = json_node_get_array (task.dst);
          guint n = json_array_get_length (src);

          for (guint i = 0; i < n; i++)
            {
              JsonNode *item = json_array_get_element (src, i);
              JsonNode *copy;

              if (JSON_NODE_HOLDS_OBJECT (item) || JSON_NODE_HOLDS_ARRAY (item))
                {
                  copy = shallow_container (item);
                  g_array_append_vals (todo, &(CopyTask) { item, copy }, 1);
                }
              else
                copy = json_node_copy (item);
              json_array_add_element (dst, copy);
            }
        }
    }
  return root;
}

const char *
iwb_json_type_name (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return _("a list");
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return _("a boolean");
    case G_TYPE_STRING:
      return _("a string");
    default:
      return _("a number");
    }
}

const char *
iwb_json_node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

const char *
iwb_json_get_string (JsonObject *object,
                     const char *member)
{
  return object != NULL ? iwb_json_node_string (json_object_get_member (object, member)) : NULL;
}

const char *
iwb_json_get_string_or (JsonObject *object,
                        const char *member,
                        const char *fallback)
{
  const char *s = iwb_json_get_string (object, member);

  return s != NULL ? s : fallback;
}

JsonNode *
iwb_json_get_present (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

JsonObject *
iwb_json_array_get_object (JsonArray *array,
                           guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonObject *
iwb_json_get_object (JsonObject *object,
                     const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
iwb_json_get_array (JsonObject *object,
                    const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gboolean
iwb_json_get_boolean (JsonObject *object,
                      const char *member,
                      gboolean    fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

gint64
iwb_json_get_int (JsonObject *object,
                  const char *member,
                  gint64      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iwb-json's writer (see iwb-json.h): json-glib's layout, Python's NaN /
 * Infinity, shortest doubles, WTF-8 strings escaped back. Iterative.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "iwb-gstring.h"
#include "iwb-json.h"
/* ------------------------------------------------------------------------ */
/* Writing                                                                   */

const char *
iwb_int_to_text (gint64 value,
                 char   buf[IWB_INT_TEXT_SIZE])
{
  char *p = buf + IWB_INT_TEXT_SIZE;
  /* the magnitude, unsigned: -G_MININT64 does not fit a gint64 */
  guint64 v = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;

  *--p = '\0';
  do
    {
      *--p = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v != 0);
  if (value < 0)
    *--p = '-';
  return p;
}

void
iwb_json_write_int (GString *out,
                    gint64   value)
{
  char buf[IWB_INT_TEXT_SIZE];
  const char *text = iwb_int_to_text (value, buf);

  iwb_string_append_len (out, text, (gsize) (buf + IWB_INT_TEXT_SIZE - 1 - text));
}

void
iwb_json_write_thousandths (GString *out,
                            gint64   thousandths)
{
  /* unsigned, as in iwb_int_to_text(): G_MININT64 has no positive twin */
  guint64 m = thousandths < 0 ? (guint64) 0 - (guint64) thousandths : (guint64) thousandths;
  guint64 whole = m / 1000;
  guint frac = (guint) (m % 1000);
  char d[4] = { '0', '\0', '\0', '\0' };

  if (thousandths < 0)
    g_string_append_c (out, '-');
  iwb_json_write_int (out, (gint64) whole); /* at most 2^63 / 1000 */
  g_string_append_c (out, '.');
  if (frac != 0)
    {
      d[0] = (char) ('0' + frac / 100);
      d[1] = (char) ('0' + frac / 10 % 10);
      d[2] = (char) ('0' + frac % 10);
      for (int k = 2; k > 0 && d[k] == '0'; k--)
        d[k] = '\0';
    }
  iwb_string_append (out, d);
}

void
iwb_json_write_double (GString *out,
                       double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    {
      g_string_append (out, "NaN");
      return;
    }
  if (isinf (value))
    {
      g_string_append (out, value > 0 ? "Infinity" : "-Infinity");
      return;
    }
  /* Fast path (every event's time_ms, most numbers in results): a value
   * below 1e9 with at most three decimals, m / 1000 read back as the same
   * double. Any other decimal of at most three decimals is at least 0.001
   * away, far more than the spacing of doubles there, so none shorter reads
   * back the same: this is repr()'s text, without the search below. */
  if (fabs (value) >= 1e-3 && fabs (value) < 1e9)
    {
      gint64 m = (gint64) llround (value * 1000);

      if ((double) m / 1000 == value)
        {
          iwb_json_write_thousandths (out, m);
          return;
        }
    }
  /* Python's repr(): the shortest digits that read back the same double,
   * in fixed notation when the exponent is in [-4, 16), else as 1.5e+20. */
  {
    char digits[24];
    gsize n = 0;
    int exponent = 0;
    const char *e;

    for (int precision = 0; precision <= 16; precision++)
      {
        char format[8];

        g_snprintf (format, sizeof format, "%%.%de", precision);
        g_ascii_formatd (buf, sizeof buf, format, value);
        if (g_ascii_strtod (buf, NULL) == value)
          break;
      }
    e = strchr (buf, 'e');
    exponent = atoi (e + 1);
    for (const char *q = buf; q < e; q++)
      if (g_ascii_isdigit (*q))
        digits[n++] = *q;
    while (n > 1 && digits[n - 1] == '0')
      n--;
    digits[n] = '\0';

    if (buf[0] == '-')
      g_string_append_c (out, '-');
    if (exponent >= 16 || exponent < -4)
      {
        g_string_append_c (out, digits[0]);
        if (n > 1)
          {
            g_string_append_c (out, '.');
            g_string_append (out, digits + 1);
          }
        g_string_append_printf (out, "e%c%02d", exponent < 0 ? '-' : '+', ABS (exponent));
      }
    else if (exponent < 0)
      {
        g_string_append (out, "0.");
        for (int z = -1; z > exponent; z--)
          g_string_append_c (out, '0');
        g_string_append (out, digits);
      }
    else
      {
        for (int k = 0; k <= exponent; k++)
          g_string_append_c (out, (gsize) k < n ? digits[k] : '0');
        g_string_append_c (out, '.');
        g_string_append (out, (gsize) exponent + 1 < n ? digits + exponent + 1 : "0");
      }
  }
}

void
iwb_json_write_string (GString    *out,
                       const char *str,
                       gssize      len)
{
  const guchar *p = (const guchar *) str, *end;

  if (len < 0)
    len = strlen (str);
  end = p + len;
  g_string_append_c (out, '"');
  while (p < end)
    {
      const guchar *run = p;

      /* plain printable ASCII in one go */
      while (p < end && *p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\')
        p++;
      if (p > run)
        iwb_string_append_len (out, (const char *) run, (gsize) (p - run));
      if (p >= end)
        break;
      switch (*p)
        {
        case '"': iwb_string_append (out, "\\\""); p++; continue;
        case '\\': iwb_string_append (out, "\\\\"); p++; continue;
        case '\b': iwb_string_append (out, "\\b"); p++; continue;
        case '\f': iwb_string_append (out, "\\f"); p++; continue;
        case '\n': iwb_string_append (out, "\\n"); p++; continue;
        case '\r': iwb_string_append (out, "\\r"); p++; continue;
        case '\t': iwb_string_append (out, "\\t"); p++; continue;
        default:
          break;
        }
      if (*p < 0x80)
        {
          g_string_append_printf (out, "\\u%04x", *p); /* controls and DEL */
          p++;
        }
      else if (*p == 0xC0 && p + 1 < end && p[1] == 0x80)
        {
          iwb_string_append (out, "\\u0000"); /* IWB_JSON_PARSE_WTF8's NUL */
          p += 2;
        }
      else if (*p == 0xED && p + 2 < end && p[1] >= 0xA0 && p[1] <= 0xBF &&
               (p[2] & 0xC0) == 0x80)
        {
          /* a lone surrogate kept as WTF-8 */
          g_string_append_printf (out, "\\u%04x",
                                  0xD000 | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F));
          p += 3;
        }
      else
        {
          gunichar c = g_utf8_get_char_validated ((const char *) p, end - p);

          if (c == (gunichar) -1 || c == (gunichar) -2)
            {
              iwb_string_append (out, "\\ufffd"); /* not UTF-8: never print it raw */
              p++;
            }
          else
            {
              const guchar *next = (const guchar *) g_utf8_next_char (p);

              g_string_append_len (out, (const char *) p, next - p);
              p = next;
            }
        }
    }
  g_string_append_c (out, '"');
}

static void
write_scalar (GString  *out,
              JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      iwb_string_append (out, "null");
      return;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      iwb_json_write_int (out, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      iwb_json_write_double (out, json_node_get_double (node));
      break;
    case G_TYPE_BOOLEAN:
      iwb_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    case G_TYPE_STRING:
      iwb_json_write_string (out, json_node_get_string (node), -1);
      break;
    default:
      iwb_string_append (out, "null");
      break;
    }
}

typedef struct
{
  JsonNode *node;
  GList    *members; /* objects: the remaining member names, in order */
  GList    *all;
  guint     next;    /* arrays: the next index */
  gboolean  first;
} WriteFrame;

static void
newline_indent (GString *out,
                guint    level)
{
  g_string_append_c (out, '\n');
  for (guint i = 0; i < level; i++)
    g_string_append (out, "  ");
}

/* Iterative, like json-glib's generator's output: compact "a":1,"b":[2], or
 * pretty with 2-space indents, "key" : value, and json-glib's "{  }". */
void
iwb_json_write (GString  *out,
                JsonNode *node,
                gboolean  pretty)
{
  g_autoptr(GArray) stack = NULL;
  JsonNode *value = node;

  if (node == NULL || (!JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_ARRAY (node)))
    {
      write_scalar (out, node);
      return;
    }

  stack = g_array_new (FALSE, FALSE, sizeof (WriteFrame));
  for (;;)
    {
      WriteFrame *top;

      /* open @value, or write it when it is a scalar */
      if (value != NULL)
        {
          WriteFrame frame = { value, NULL, NULL, 0, TRUE };

          if (JSON_NODE_HOLDS_OBJECT (value))
            {
              JsonObject *obj = json_node_get_object (value);

              if (json_object_get_size (obj) == 0)
                {
                  /* json-glib's quirk: "{" and "}" around the indent of
                   * the object's level ("{}" at the top, "{  }" below) */
                  g_string_append_c (out, '{');
                  for (guint i = 0; pretty && i < stack->len; i++)
                    g_string_append (out, "  ");
                  g_string_append_c (out, '}');
                }
              else
                {
                  g_string_append_c (out, '{');
                  frame.all = frame.members = json_object_get_members (obj);
                  g_array_append_val (stack, frame);
                }
            }
          else if (JSON_NODE_HOLDS_ARRAY (value))
            {
              if (json_array_get_length (json_node_get_array (value)) == 0)
                g_string_append (out, "[]");
              else
                {
                  g_string_append_c (out, '[');
                  g_array_append_val (stack, frame);
                }
            }
          else
            write_scalar (out, value);
          value = NULL;
        }

      if (stack->len == 0)
        break;
      top = &g_array_index (stack, WriteFrame, stack->len - 1);

      if (JSON_NODE_HOLDS_OBJECT (top->node))
        {
          if (top->members == NULL)
            {
              g_list_free (top->all);
              if (pretty)
                newline_indent (out, stack->len - 1);
              g_string_append_c (out, '}');
              g_array_set_size (stack, stack->len - 1);
              continue;
            }
          if (!top->first)
            g_string_append_c (out, ',');
          top->first = FALSE;
          if (pretty)
            newline_indent (out, stack->len);
          iwb_json_write_string (out, top->members->data, -1);
          g_string_append (out, pretty ? " : " : ":");
          value = json_object_get_member (json_node_get_object (top->node), top->members->data);
          top->members = top->members->next;
        }
      else
        {
          JsonArray *arr = json_node_get_array (top->node);

          if (top->next >= json_array_get_length (arr))
            {
              if (pretty)
                newline_indent (out, stack->len - 1);
              g_string_append_c (out, ']');
              g_array_set_size (stack, stack->len - 1);
              continue;
            }
          if (!top->first)
            g_string_append_c (out, ',');
          top->first = FALSE;
          if (pretty)
            newline_indent (out, stack->len);
          value = json_array_get_element (arr, top->next++);
        }
    }
}

void
iwb_json_write_object (GString    *out,
                       JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);

  g_string_append_c (out, '{');
  for (GList *m = members; m != NULL; m = m->next)
    {
      if (m != members)
        g_string_append_c (out, ',');
      iwb_json_write_string (out, m->data, -1);
      g_string_append_c (out, ':');
      iwb_json_write (out, json_object_get_member (object, m->data), FALSE);
    }
  g_string_append_c (out, '}');
}

char *
iwb_json_to_string (JsonNode *node,
                    gboolean  pretty)
{
  GString *out = g_string_new (NULL);

  iwb_json_write (out, node, pretty);
  return g_string_free (out, FALSE);
}

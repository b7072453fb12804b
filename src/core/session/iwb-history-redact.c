/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbHistory: secret texts in every form they take, replaced by the marker; compact JSON
 * written with the strings redacted on the way. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-history-private.h"
#include "iwb-json.h"
#include "iwb-redact.h"

/* The forms of each secret (iwb-redact.h): raw, JSON, Python repr, URL,
 * base64, and each of them JSON-escaped. */
GPtrArray *
_iwb_history_build_needles (const char * const *secrets)
{
  return iwb_redact_needles_new (secrets);
}

static void
append_string (GString    *out,
               const char *text,
               GPtrArray  *needles)
{
  g_autofree char *red = needles->len > 0 ? iwb_redact_text (needles, text, IWB_HISTORY_SECRET_MARKER) : NULL;
  const char *p = red ? red : text;

  g_string_append_c (out, '"');
  for (; *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

typedef struct
{
  GString   *out;
  GPtrArray *needles;
  gboolean   first;
} AppendMember;

static void
append_member (JsonObject  *object,
               const char  *name,
               JsonNode    *member,
               gpointer     data)
{
  AppendMember *am = data;

  if (!am->first)
    g_string_append_c (am->out, ',');
  am->first = FALSE;
  append_string (am->out, name, am->needles);
  g_string_append_c (am->out, ':');
  _iwb_history_append_json (am->out, member, am->needles);
}

/* Compact JSON of @node, members in order, strings redacted on the way:
 * no copy of the tree, and much less work than JsonGenerator. */
void
_iwb_history_append_json (GString   *out,
             JsonNode  *node,
             GPtrArray *needles)
{
  switch (node ? json_node_get_node_type (node) : JSON_NODE_NULL)
    {
    case JSON_NODE_OBJECT:
      {
        AppendMember am = { out, needles, TRUE };

        g_string_append_c (out, '{');
        /* in order, and without copying the member list */
        json_object_foreach_member (json_node_get_object (node), append_member, &am);
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            _iwb_history_append_json (out, json_array_get_element (array, i), needles);
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node), needles);
          break;
        case G_TYPE_INT64:
          iwb_json_write_int (out, json_node_get_int (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_DOUBLE:
          {
            double d = json_node_get_double (node);
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            if (isfinite (d))
              {
                g_ascii_dtostr (buf, sizeof buf, d);
                g_string_append (out, buf);
                if (strpbrk (buf, ".eE") == NULL)
                  g_string_append (out, ".0");
              }
            else
              g_string_append (out, "null"); /* NaN and infinities are not JSON */
          }
          break;
        default:
          g_string_append (out, "null");
        }
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
    }
}

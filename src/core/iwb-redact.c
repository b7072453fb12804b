/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "iwb-redact.h"

static void
add_needle (GPtrArray  *needles,
            const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  for (guint i = 0; i < needles->len; i++)
    if (g_str_equal (needles->pdata[i], text))
      return;
  g_ptr_array_add (needles, g_strdup (text));
}

static int
longest_first (gconstpointer a,
               gconstpointer b)
{
  gsize la = strlen (*(char * const *) a);
  gsize lb = strlen (*(char * const *) b);

  return la < lb ? 1 : la > lb ? -1 : 0;
}

/* Python's str.isprintable() for one character, near enough. */
static gboolean
py_isprintable (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return FALSE;
    case G_UNICODE_SPACE_SEPARATOR:
      return c == ' ';
    default:
      return TRUE;
    }
}

/* A JSON string's inside as Python's json.dumps() writes it: @ascii as
 * with ensure_ascii (the default), else as ensure_ascii=False. */
static char *
json_escape (const char *s,
             gboolean    ascii)
{
  GString *out = g_string_new (NULL);

  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

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
          if (c < 0x20 || (ascii && c >= 0x7f && c < 0x10000))
            g_string_append_printf (out, "\\u%04x", c);
          else if (ascii && c >= 0x10000)
            g_string_append_printf (out, "\\u%04x\\u%04x", 0xd800 + ((c - 0x10000) >> 10),
                                    0xdc00 + ((c - 0x10000) & 0x3ff));
          else
            g_string_append_unichar (out, c);
        }
    }
  return g_string_free (out, FALSE);
}

/* The inside of Python's repr() of the str @s written with quote @q. */
static char *
py_repr_str (const char *s,
             char        q)
{
  GString *out = g_string_new (NULL);

  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\\' || c == (gunichar) q)
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else if (c < 0x7f || py_isprintable (c))
        g_string_append_unichar (out, c);
      else if (c <= 0xff)
        g_string_append_printf (out, "\\x%02x", c);
      else if (c <= 0xffff)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_printf (out, "\\U%08x", c);
    }
  return g_string_free (out, FALSE);
}

/* The inside of repr() of @s's UTF-8 bytes (b'...'), quote @q; with
 * @unicode_escape, s.encode("unicode_escape") instead. */
static char *
py_repr_bytes (const char *s,
               char        q,
               gboolean    unicode_escape)
{
  GString *out = g_string_new (NULL);

  if (unicode_escape)
    {
      for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (c == '\\')
            g_string_append (out, "\\\\");
          else if (c == '\n')
            g_string_append (out, "\\n");
          else if (c == '\r')
            g_string_append (out, "\\r");
          else if (c == '\t')
            g_string_append (out, "\\t");
          else if (c < 0x20 || (c >= 0x7f && c <= 0xff))
            g_string_append_printf (out, "\\x%02x", c);
          else if (c > 0xffff)
            g_string_append_printf (out, "\\U%08x", c);
          else if (c > 0xff)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
      return g_string_free (out, FALSE);
    }
  for (const guchar *p = (const guchar *) s; *p != '\0'; p++)
    {
      if (*p == '\\' || *p == (guchar) q)
        g_string_append_printf (out, "\\%c", *p);
      else if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '\r')
        g_string_append (out, "\\r");
      else if (*p == '\t')
        g_string_append (out, "\\t");
      else if (*p < 0x20 || *p >= 0x7f)
        g_string_append_printf (out, "\\x%02x", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  return g_string_free (out, FALSE);
}

/* The URL-encoded forms of @s: %20 for spaces, and + for them. */
static void
add_url_forms (GPtrArray  *forms,
               const char *s,
               const char *keep)
{
  g_autofree char *url = g_uri_escape_string (s, keep, FALSE);

  add_needle (forms, url);
  if (strstr (url, "%20") != NULL)
    {
      g_autoptr(GString) plus = g_string_new (url);

      g_string_replace (plus, "%20", "+", 0);
      add_needle (forms, plus->str);
    }
}

/* The values to hide: each secret, and each line of one that has several
 * (a log is read a line at a time: a value with a line break shows as its
 * lines, each on its own). */
static GPtrArray *
values_to_hide (const char * const *secrets)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    {
      g_ptr_array_add (values, g_strdup (secrets[i]));
      if (strpbrk (secrets[i], "\r\n") != NULL)
        {
          g_auto(GStrv) lines = g_regex_split_simple ("\r\n|\r|\n", secrets[i], 0, 0);

          for (guint l = 0; lines[l] != NULL; l++)
            if (lines[l][0] != '\0')
              g_ptr_array_add (values, g_strdup (lines[l]));
        }
    }
  return values;
}

GPtrArray *
iwb_redact_needles_new (const char * const *secrets)
{
  GPtrArray *needles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = values_to_hide (secrets);

  for (guint i = 0; i < values->len; i++)
    {
      const char *s = values->pdata[i];
      g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func (g_free);
      guint n_forms, n_layer2;

      if (*s == '\0')
        continue;
      add_needle (forms, s);
      add_url_forms (forms, s, NULL);
      add_url_forms (forms, s, "/");
      {
        g_autofree char *b64 = g_base64_encode ((const guchar *) s, strlen (s));

        add_needle (forms, b64);
        g_strdelimit (b64, "+", '-');
        g_strdelimit (b64, "/", '_');
        add_needle (forms, b64);
      }
      if (g_utf8_validate (s, -1, NULL))
        {
          char *texts[] = {
            json_escape (s, TRUE),
            json_escape (s, FALSE),
            py_repr_str (s, '\''),
            py_repr_str (s, '"'),
            py_repr_bytes (s, '\'', FALSE),
            py_repr_bytes (s, '"', FALSE),
            py_repr_bytes (s, '\'', TRUE),
          };

          for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
            {
              add_needle (forms, texts[t]);
              g_free (texts[t]);
            }
        }
      /* each form again as it looks inside a JSON string or a Python repr
       * (a JSON text in a log line, a list of them printed) */
      n_forms = forms->len;
      for (guint f = 0; f < n_forms; f++)
        if (g_utf8_validate (forms->pdata[f], -1, NULL))
          {
            char *again[] = {
              json_escape (forms->pdata[f], TRUE),
              json_escape (forms->pdata[f], FALSE),
              py_repr_str (forms->pdata[f], '\''),
              py_repr_str (forms->pdata[f], '"'),
            };

            for (guint t = 0; t < G_N_ELEMENTS (again); t++)
              {
                add_needle (forms, again[t]);
                g_free (again[t]);
              }
          }
      n_layer2 = forms->len;
      /* and these inside a JSON string once more (a dict of JSON texts
       * printed by the integration, then shown by --format jsonl) */
      for (guint f = n_forms; f < n_layer2; f++)
        if (g_utf8_validate (forms->pdata[f], -1, NULL))
          {
            g_autofree char *ascii = json_escape (forms->pdata[f], TRUE);
            g_autofree char *utf8 = json_escape (forms->pdata[f], FALSE);

            add_needle (forms, ascii);
            add_needle (forms, utf8);
          }
      for (guint f = 0; f < forms->len; f++)
        add_needle (needles, forms->pdata[f]);
    }
  g_ptr_array_sort (needles, longest_first);
  return needles;
}

gsize
iwb_redact_needles_max (GPtrArray *needles)
{
  return needles != NULL && needles->len > 0 ? strlen (needles->pdata[0]) : 0;
}

char *
iwb_redact_text (GPtrArray  *needles,
                 const char *text,
                 const char *marker)
{
  g_autoptr(GString) out = NULL;

  if (text == NULL || needles == NULL)
    return NULL;
  for (guint i = 0; i < needles->len; i++)
    if (strstr (out ? out->str : text, needles->pdata[i]) != NULL)
      {
        if (out == NULL)
          out = g_string_new (text);
        g_string_replace (out, needles->pdata[i], marker, 0);
      }
  return out ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

JsonNode *
iwb_redact_json_copy (GPtrArray  *needles,
                      JsonNode   *node,
                      const char *marker)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObject *copy = json_object_new ();
      g_autoptr(GList) names = json_object_get_members (object); /* in order */

      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autofree char *red = iwb_redact_text (needles, l->data, marker);

          json_object_set_member (copy, red ? red : l->data,
                                  iwb_redact_json_copy (needles, json_object_get_member (object, l->data),
                                                        marker));
        }
      return json_node_init_object (json_node_alloc (), copy);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);
      JsonArray *copy = json_array_sized_new (n);

      for (guint i = 0; i < n; i++)
        json_array_add_element (copy, iwb_redact_json_copy (needles, json_array_get_element (array, i), marker));
      return json_node_init_array (json_node_alloc (), copy);
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *red = iwb_redact_text (needles, json_node_get_string (node), marker);

      if (red != NULL)
        return json_node_init_string (json_node_alloc (), red);
    }
  return json_node_copy (node);
}

#define SECRET_FILE_LIMIT (1024 * 1024)
#define SECRET_LINE_MIN 16

void
iwb_redact_add_file_secrets (GPtrArray  *secrets,
                             const char *files_dir,
                             const char *value)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length = 0;

  g_return_if_fail (secrets != NULL);

  if (value == NULL || *value == '\0')
    return;
  path = g_path_is_absolute (value) || files_dir == NULL ? g_strdup (value)
                                                          : g_build_filename (files_dir, value, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return;
  {
    GStatBuf st;

    if (g_stat (path, &st) != 0 || st.st_size > SECRET_FILE_LIMIT)
      return;
  }
  if (!g_file_get_contents (path, &text, &length, NULL) || length == 0 ||
      !g_utf8_validate (text, (gssize) length, NULL) || memchr (text, '\0', length) != NULL)
    return;
  g_ptr_array_add (secrets, g_strdup (text));
  if (*g_strstrip (text) != '\0')
    g_ptr_array_add (secrets, g_strdup (text));
  lines = g_strsplit_set (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (strlen (lines[i]) >= SECRET_LINE_MIN)
        g_ptr_array_add (secrets, g_strdup (lines[i]));
    }
}

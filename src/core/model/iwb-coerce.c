/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * DataType coercion as the SDK does it (spec section 2.2 and 2.4), on text.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "iwb-coerce.h"
#include "iwb-descriptor.h"
#include "iwb-result-parser.h"

/* Python str.strip() whitespace for the ASCII range, which is what float()
 * strips in practice for typed text. */
static gboolean
py_isspace (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static char *
py_repr (const char *text)
{
  /* Python's repr() of a str: single quotes unless the text contains one
   * and no double quote. Good enough for messages. */
  GString *s = g_string_new (NULL);
  gboolean dq = strchr (text, '\'') != NULL && strchr (text, '"') == NULL;
  char q = dq ? '"' : '\'';

  g_string_append_c (s, q);
  for (const char *p = text; *p; p++)
    {
      switch (*p)
        {
        case '\\': g_string_append (s, "\\\\"); break;
        case '\n': g_string_append (s, "\\n"); break;
        case '\r': g_string_append (s, "\\r"); break;
        case '\t': g_string_append (s, "\\t"); break;
        default:
          if (*p == q)
            g_string_append_printf (s, "\\%c", q);
          else
            g_string_append_c (s, *p);
        }
    }
  g_string_append_c (s, q);
  return g_string_free (s, FALSE);
}

/* Python float() syntax: [sign] (digits[.digits] | .digits)[e[sign]digits]
 * with single underscores between digits, or inf/infinity/nan; surrounding
 * whitespace allowed. Returns FALSE when Python would raise ValueError. */
static gboolean
parse_py_float (const char *text,
                double     *out)
{
  const char *p = text;
  const char *end;
  g_autoptr(GString) clean = g_string_new (NULL);
  gboolean neg = FALSE;
  gboolean digits = FALSE;

  while (py_isspace (*p))
    p++;
  end = p + strlen (p);
  while (end > p && py_isspace (end[-1]))
    end--;
  if (p == end)
    return FALSE;

  if (*p == '+' || *p == '-')
    {
      neg = *p == '-';
      g_string_append_c (clean, *p);
      p++;
    }

  {
    g_autofree char *word = g_ascii_strdown (p, end - p);

    if (g_str_equal (word, "inf") || g_str_equal (word, "infinity"))
      {
        *out = neg ? -INFINITY : INFINITY;
        return TRUE;
      }
    if (g_str_equal (word, "nan"))
      {
        *out = NAN;
        return TRUE;
      }
  }

#define DIGIT_RUN()                                                    \
  G_STMT_START {                                                       \
    gboolean prev_digit = FALSE;                                       \
    while (p < end && (g_ascii_isdigit (*p) || *p == '_'))             \
      {                                                                \
        if (*p == '_')                                                 \
          {                                                            \
            if (!prev_digit || p + 1 >= end || !g_ascii_isdigit (p[1])) \
              return FALSE;                                            \
            prev_digit = FALSE;                                        \
          }                                                            \
        else                                                           \
          {                                                            \
            g_string_append_c (clean, *p);                             \
            prev_digit = TRUE;                                         \
            digits = TRUE;                                             \
          }                                                            \
        p++;                                                           \
      }                                                                \
  } G_STMT_END

  DIGIT_RUN ();
  if (p < end && *p == '.')
    {
      g_string_append_c (clean, '.');
      p++;
      if (p < end && *p == '_')
        return FALSE;
      DIGIT_RUN ();
    }
  if (!digits)
    return FALSE;
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      gboolean exp_digits;

      g_string_append_c (clean, 'e');
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        g_string_append_c (clean, *p++);
      digits = FALSE;
      DIGIT_RUN ();
      exp_digits = digits;
      if (!exp_digits)
        return FALSE;
    }
#undef DIGIT_RUN
  if (p != end)
    return FALSE;

  *out = g_ascii_strtod (clean->str, NULL);
  return TRUE;
}

static void
set_error (char       **error_message,
           const char  *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
set_error (char       **error_message,
           const char  *format,
           ...)
{
  va_list args;

  if (error_message == NULL)
    return;
  va_start (args, format);
  *error_message = g_strdup_vprintf (format, args);
  va_end (args);
}

gboolean
iwb_coerce (const char  *data_type,
            const char  *text,
            JsonNode   **out,
            char       **error_message)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  if (data_type == NULL)
    data_type = "string";

  if (g_str_equal (data_type, "number") || g_str_equal (data_type, "int"))
    {
      double d;

      if (!parse_py_float (text, &d))
        {
          g_autofree char *r = py_repr (text);
          set_error (error_message, "could not convert string to float: %s", r);
          return FALSE;
        }
      if (g_str_equal (data_type, "number"))
        {
          node = json_node_new (JSON_NODE_VALUE);
          json_node_set_double (node, d);
        }
      else
        {
          double t;

          if (isnan (d))
            {
              set_error (error_message, "cannot convert float NaN to integer");
              return FALSE;
            }
          if (isinf (d))
            {
              set_error (error_message, "cannot convert float infinity to integer");
              return FALSE;
            }
          t = trunc (d);
          node = json_node_new (JSON_NODE_VALUE);
          if (t >= -9.2e18 && t <= 9.2e18)
            json_node_set_int (node, (gint64) t);
          else
            json_node_set_double (node, t); /* Python has big ints; JSON keeps the magnitude */
        }
    }
  else if (g_str_equal (data_type, "bool"))
    {
      g_autofree char *lower = g_utf8_strdown (text, -1);
      static const char * const truthy[] = { "y", "true", "yes", "1", NULL };
      static const char * const falsy[] = { "n", "false", "no", "0", NULL };

      node = json_node_new (JSON_NODE_VALUE);
      if (g_strv_contains (truthy, lower))
        json_node_set_boolean (node, TRUE);
      else if (g_strv_contains (falsy, lower))
        json_node_set_boolean (node, FALSE);
      else
        {
          /* The SDK's message, with its unsubstituted placeholder. */
          set_error (error_message,
                     "Expected boolean input but {input} could not be coerced into a boolean value");
          return FALSE;
        }
    }
  else if (g_str_equal (data_type, "json"))
    {
      g_autofree char *parse_error = NULL;
      guint64 offset = 0;
      const char *p = text;

      while (py_isspace (*p))
        p++;
      if (*p == '\0')
        {
          set_error (error_message, "Expecting value: line 1 column %d (char %d)",
                     (int) (p - text) + 1, (int) (p - text));
          return FALSE;
        }
      if (!g_utf8_validate (text, -1, NULL))
        {
          set_error (error_message, "not valid JSON: the text is not valid UTF-8");
          return FALSE;
        }
      /* Like Python's json.loads: NaN and Infinity are accepted, and text
       * after the value is an error (json-glib 1.6 ignores a second
       * object), with Python's own message. */
      node = iwb_json_parse (text, strlen (text), &parse_error);
      if (node == NULL)
        {
          if (strstr (parse_error, "unexpected text after the JSON value") != NULL &&
              sscanf (parse_error, "at byte %" G_GUINT64_FORMAT, &offset) == 1)
            {
              const char *extra = text + offset;
              const char *line_start = text;
              guint line = 1;

              for (const char *q = text; q < extra; q++)
                if (*q == '\n')
                  line++, line_start = q + 1;
              set_error (error_message, "Extra data: line %u column %ld (char %ld)", line,
                         g_utf8_pointer_to_offset (line_start, extra) + 1,
                         g_utf8_pointer_to_offset (text, extra));
            }
          else
            set_error (error_message, "not valid JSON: %s", parse_error);
          return FALSE;
        }
    }
  else
    {
      /* string, column, jinja and anything unknown: unchanged */
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, text);
    }

  if (out != NULL)
    *out = g_steal_pointer (&node);
  return TRUE;
}

char *
iwb_coerce_default_text (JsonObject *input)
{
  JsonNode *n;

  g_return_val_if_fail (input != NULL, NULL);

  n = iwb_descriptor_input_get_default (input);
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (n));
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (n) ? "True" : "False");
  return iwb_json_to_string (n, FALSE);
}

gboolean
iwb_coerce_input (JsonObject  *input,
                  const char  *text,
                  JsonNode   **out,
                  char       **error_message)
{
  const char *data_type;
  const char *source;
  gboolean optional = FALSE;
  g_autofree char *default_text = NULL;
  g_return_val_if_fail (input != NULL, FALSE);

  data_type = iwb_descriptor_input_get_data_type (input);
  source = iwb_descriptor_input_get_source (input, FALSE);
  optional = iwb_descriptor_input_get_optional (input);

  if (text != NULL && text[0] == '\0')
    text = NULL;

  if (g_strcmp0 (source, "column") == 0 || g_strcmp0 (source, "template") == 0)
    {
      if (text == NULL && !optional)
        {
          set_error (error_message, "Column name cannot be empty");
          return FALSE;
        }
      if (out != NULL)
        {
          *out = json_node_new (JSON_NODE_VALUE);
          if (text != NULL)
            json_node_set_string (*out, text);
          else
            json_node_init_null (*out);
        }
      return TRUE;
    }

  default_text = iwb_coerce_default_text (input);
  if (default_text != NULL)
    optional = TRUE; /* a default always makes a param optional */

  if (text == NULL && default_text == NULL)
    {
      if (!optional)
        {
          set_error (error_message, "Parameter must be defined");
          return FALSE;
        }
      if (g_strcmp0 (data_type, "number") == 0 || g_strcmp0 (data_type, "int") == 0)
        {
          set_error (error_message,
                     "float() argument must be a string or a real number, not 'NoneType' "
                     "(the SDK coerces an empty optional %s parameter; give it a value or a default)",
                     data_type);
          return FALSE;
        }
      if (g_strcmp0 (data_type, "json") == 0)
        {
          set_error (error_message,
                     "the JSON object must be str, bytes or bytearray, not NoneType "
                     "(the SDK coerces an empty optional json parameter; give it a value or a default)");
          return FALSE;
        }
      if (g_strcmp0 (data_type, "bool") == 0)
        {
          set_error (error_message,
                     "'NoneType' object has no attribute 'lower' "
                     "(the SDK coerces an empty optional bool parameter; give it a value or a default)");
          return FALSE;
        }
      if (out != NULL)
        *out = json_node_init_null (json_node_alloc ());
      return TRUE;
    }

  if (text == NULL)
    {
      JsonNode *def = iwb_descriptor_input_get_default (input);

      /* A non-string default: bool passes through BOOL, dict through JSON. */
      if (!(JSON_NODE_HOLDS_VALUE (def) && json_node_get_value_type (def) == G_TYPE_STRING))
        {
          if ((g_strcmp0 (data_type, "bool") == 0 && JSON_NODE_HOLDS_VALUE (def) &&
               json_node_get_value_type (def) == G_TYPE_BOOLEAN) ||
              (g_strcmp0 (data_type, "json") == 0 && JSON_NODE_HOLDS_OBJECT (def)) ||
              data_type == NULL || g_strcmp0 (data_type, "string") == 0)
            {
              if (out != NULL)
                *out = json_node_copy (def);
              return TRUE;
            }
        }
      text = default_text;
    }

  if (!iwb_coerce (data_type, text, out, error_message))
    {
      /* The SDK's messages quote the value ("could not convert string to
       * float: 'x'"): never echo a secret. */
      if (error_message != NULL && *error_message != NULL && text[0] != '\0' &&
          iwb_descriptor_input_is_secret (input))
        {
          GString *masked = g_string_new (*error_message);

          g_string_replace (masked, text, "••••••", 0);
          g_free (*error_message);
          *error_message = g_string_free (masked, FALSE);
        }
      return FALSE;
    }
  return TRUE;
}

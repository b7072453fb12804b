/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `[result]` line parsing (spec 6.3, 6.5) and result classification.
 */
#include "config.h"

#include <glib/gi18n.h>

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
            *error_message = g_strdup_printf (_("the [meta] block is not a JSON object%s%s"),
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

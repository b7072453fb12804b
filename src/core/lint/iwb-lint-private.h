/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by iwb-lint.c (checks) and iwb-lint-facts.c (queries) only. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Small accessors over the facts JSON, tolerant of missing members. */

static inline JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static inline const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static inline guint
get_uint (JsonObject *object,
          const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    return (guint) MAX (json_node_get_int (node), 0);
  return 0;
}

static inline gboolean
get_bool (JsonObject *object,
          const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static inline JsonObject *
array_object (JsonArray *array,
              guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static inline guint
array_length (JsonArray *array)
{
  return array != NULL ? json_array_get_length (array) : 0;
}

/* Calls @func for every `:key name:` line (key in @keys) of a top-level
 * action's docstring whose name is not an argument of that function, in
 * every file or only in the imported ones. @func returns TRUE to stop;
 * the result says whether it did. */
typedef gboolean (*DocFieldFunc) (JsonObject *file,
                                  JsonObject *function,
                                  JsonObject *field,
                                  gpointer    user_data);

gboolean _iwb_lint_foreach_doc_field_without_argument (JsonObject         *facts,
                                                       const char * const *keys,
                                                       gboolean            imported_only,
                                                       DocFieldFunc        func,
                                                       gpointer            user_data);

G_END_DECLS

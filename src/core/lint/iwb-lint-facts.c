/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Queries over the facts (see iwb-lint-scripts.c), for error messages and
 * warnings with FILE:LINE: where a syntax error, an import, a parameter, a
 * docstring field is.
 */
#include "config.h"

#include <string.h>

#include "iwb-lint.h"
#include "iwb-lint-private.h"

/**
 * iwb_lint_find_syntax_error:
 * @facts: (nullable): the script's output
 *
 * The first top-level file (directory order) that does not compile.
 *
 * Returns: %TRUE and the location when one was found
 */
gboolean
iwb_lint_find_syntax_error (JsonObject  *facts,
                            char       **file,
                            guint       *line,
                            char       **message,
                            char       **text)
{
  JsonArray *files = get_array (facts, "files");

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonNode *node = f ? json_object_get_member (f, "syntax_error") : NULL;
      JsonObject *err;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) || !get_bool (f, "imported"))
        continue;
      err = json_node_get_object (node);
      *file = g_strdup (get_string (f, "file"));
      *line = get_uint (err, "line");
      *message = g_strdup (get_string (err, "message"));
      *text = g_strdup (get_string (err, "text"));
      return TRUE;
    }
  return FALSE;
}

/**
 * iwb_lint_find_import:
 * @module: a dotted module name as in “No module named 'x.y'”
 *
 * The first import statement of a top-level file that imports @module, a
 * parent package of it or a name from it.
 *
 * Returns: %TRUE and the location when one was found
 */
gboolean
iwb_lint_find_import (JsonObject  *facts,
                      const char  *module,
                      char       **file,
                      guint       *line)
{
  JsonArray *files = get_array (facts, "files");

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < array_length (files); i++)
      {
        JsonObject *f = array_object (files, i);
        JsonArray *imports = get_array (f, "imports");

        for (guint j = 0; j < array_length (imports); j++)
          {
            JsonObject *imp = array_object (imports, j);
            const char *name = get_string (imp, "module");
            gboolean match;

            if (name == NULL)
              continue;
            if (pass == 0)
              match = g_str_equal (name, module);
            else
              match = (g_str_has_prefix (name, module) && name[strlen (module)] == '.') ||
                      (g_str_has_prefix (module, name) && module[strlen (name)] == '.');
            if (match)
              {
                *file = g_strdup (get_string (f, "file"));
                *line = get_uint (imp, "line");
                return TRUE;
              }
          }
      }
  return FALSE;
}

/**
 * iwb_lint_find_relative_import:
 *
 * The first relative import (`from . import x`, `from .m import y`) of an
 * imported top-level file: one fails there, since those are not in a package.
 *
 * Returns: %TRUE and the location when one was found
 */
gboolean
iwb_lint_find_relative_import (JsonObject  *facts,
                               char       **file,
                               guint       *line)
{
  JsonArray *files = get_array (facts, "files");

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonArray *imports = get_array (f, "imports");

      if (!get_bool (f, "imported"))
        continue;
      for (guint j = 0; j < array_length (imports); j++)
        {
          JsonObject *imp = array_object (imports, j);
          const char *name = get_string (imp, "module");

          if (name != NULL && name[0] == '.')
            {
              *file = g_strdup (get_string (f, "file"));
              *line = get_uint (imp, "line");
              return TRUE;
            }
        }
    }
  return FALSE;
}

/**
 * iwb_lint_find_param:
 * @kind: (nullable): "ConnectionParam", "ActionParam" or %NULL for either
 *
 * Where the parameter @id is constructed.
 */
gboolean
iwb_lint_find_param (JsonObject  *facts,
                     const char  *kind,
                     const char  *id,
                     char       **file,
                     guint       *line)
{
  JsonArray *files = get_array (facts, "files");

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonArray *params = get_array (f, "params");

      for (guint j = 0; j < array_length (params); j++)
        {
          JsonObject *p = array_object (params, j);

          if (g_strcmp0 (get_string (p, "id"), id) == 0 &&
              (kind == NULL || g_strcmp0 (get_string (p, "kind"), kind) == 0))
            {
              *file = g_strdup (get_string (f, "file"));
              *line = get_uint (p, "line");
              return TRUE;
            }
        }
    }
  return FALSE;
}

/**
 * iwb_lint_find_duplicate_param:
 *
 * The second construction of a @kind parameter with @id (the one the SDK
 * rejects as a duplicate).
 */
gboolean
iwb_lint_find_duplicate_param (JsonObject  *facts,
                               const char  *kind,
                               const char  *id,
                               char       **file,
                               guint       *line)
{
  JsonArray *files = get_array (facts, "files");
  guint seen = 0;

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonArray *params = get_array (f, "params");

      for (guint j = 0; j < array_length (params); j++)
        {
          JsonObject *p = array_object (params, j);

          if (g_strcmp0 (get_string (p, "id"), id) == 0 &&
              g_strcmp0 (get_string (p, "kind"), kind) == 0 && ++seen == 2)
            {
              *file = g_strdup (get_string (f, "file"));
              *line = get_uint (p, "line");
              return TRUE;
            }
        }
    }
  return FALSE;
}

/**
 * iwb_lint_find_key_at_end:
 *
 * A metadata key (`name:`, `description:`, `logoUrl:`) that the SDK takes
 * from a docstring where nothing follows it, not even a line break: the SDK
 * fails with IndexError on it.
 */
gboolean
iwb_lint_find_key_at_end (JsonObject  *facts,
                          char       **file,
                          guint       *line,
                          char       **key)
{
  static const char * const keys[] = { "name", "description", "logoUrl", NULL };
  JsonArray *files = get_array (facts, "files");

  for (guint k = 0; keys[k] != NULL; k++)
    {
      g_autofree char *needle = g_ascii_strdown (keys[k], -1);

      for (guint i = 0; i < array_length (files); i++)
        {
          JsonObject *f = array_object (files, i);
          const char *doc = get_string (f, "docstring");
          g_autofree char *lower = NULL;
          g_autofree char *with_colon = g_strconcat (needle, ":", NULL);
          const char *hit;

          if (!get_bool (f, "imported") || doc == NULL)
            continue;
          lower = g_ascii_strdown (doc, -1);
          hit = strstr (lower, with_colon);
          if (hit == NULL)
            continue;
          if (hit[strlen (with_colon)] == '\0')
            {
              *file = g_strdup (get_string (f, "file"));
              *line = get_uint (f, "doc_line");
              for (const char *c = lower; c < hit; c++)
                if (*c == '\n')
                  (*line)++;
              *key = g_strdup (keys[k]);
              return TRUE;
            }
          break;
        }
    }
  return FALSE;
}

/**
 * iwb_lint_find_module_read:
 *
 * A module-level `X.read()` of the parameter whose id is @id (it runs at
 * import, before any action, and exits the SDK when the value is missing).
 */
gboolean
iwb_lint_find_module_read (JsonObject  *facts,
                           const char  *id,
                           char       **file,
                           guint       *line)
{
  JsonArray *files = get_array (facts, "files");

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonArray *params = get_array (f, "params");
      JsonArray *reads = get_array (f, "module_reads");

      for (guint j = 0; j < array_length (params); j++)
        {
          JsonObject *p = array_object (params, j);
          const char *target = get_string (p, "target");

          if (target == NULL || g_strcmp0 (get_string (p, "id"), id) != 0)
            continue;
          for (guint k = 0; k < array_length (reads); k++)
            {
              JsonObject *r = array_object (reads, k);

              if (g_strcmp0 (get_string (r, "name"), target) == 0)
                {
                  *file = g_strdup (get_string (f, "file"));
                  *line = get_uint (r, "line");
                  return TRUE;
                }
            }
        }
    }
  return FALSE;
}

/**
 * iwb_lint_find_column_use:
 *
 * The first `DataType.COLUMN` in a top-level file.
 */
gboolean
iwb_lint_find_column_use (JsonObject  *facts,
                          char       **file,
                          guint       *line)
{
  JsonArray *files = get_array (facts, "files");

  /* a parameter created with it first, else any use */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < array_length (files); i++)
      {
        JsonObject *f = array_object (files, i);
        JsonArray *params = get_array (f, "params");
        JsonArray *uses = get_array (f, "column_uses");

        if (pass == 0)
          {
            for (guint j = 0; j < array_length (params); j++)
              if (g_strcmp0 (get_string (array_object (params, j), "data_type"), "COLUMN") == 0)
                {
                  *file = g_strdup (get_string (f, "file"));
                  *line = get_uint (array_object (params, j), "line");
                  return TRUE;
                }
          }
        else if (array_length (uses) > 0)
          {
            *file = g_strdup (get_string (f, "file"));
            *line = (guint) MAX (json_array_get_int_element (uses, 0), 0);
            return TRUE;
          }
      }
  return FALSE;
}

gboolean
_iwb_lint_foreach_doc_field_without_argument (JsonObject         *facts,
                                              const char * const *keys,
                                              gboolean            imported_only,
                                              DocFieldFunc        func,
                                              gpointer            user_data)
{
  JsonArray *files = get_array (facts, "files");

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonArray *functions = get_array (f, "functions");

      if (imported_only && !get_bool (f, "imported"))
        continue;
      for (guint j = 0; j < array_length (functions); j++)
        {
          JsonObject *fn = array_object (functions, j);
          JsonArray *args = get_array (fn, "args");
          JsonArray *meta = get_array (fn, "doc_meta");

          if (!get_bool (fn, "is_action") || !get_bool (fn, "top_level"))
            continue;
          for (guint k = 0; k < array_length (meta); k++)
            {
              JsonObject *m = array_object (meta, k);
              const char *m_key = get_string (m, "key");
              const char *m_name = get_string (m, "name");
              gboolean is_arg = FALSE;

              if (m_key == NULL || m_name == NULL || !g_strv_contains (keys, m_key))
                continue;
              for (guint a = 0; a < array_length (args); a++)
                if (g_strcmp0 (json_array_get_string_element (args, a), m_name) == 0)
                  is_arg = TRUE;
              if (!is_arg && func (f, fn, m, user_data))
                return TRUE;
            }
        }
    }
  return FALSE;
}

typedef struct
{
  char  **file;
  guint  *line;
  char  **function;
  char  **key;
  char  **name;
} DocFieldOut;

static gboolean
keep_first_doc_field (JsonObject *file,
                      JsonObject *function,
                      JsonObject *field,
                      gpointer    user_data)
{
  DocFieldOut *out = user_data;

  *out->file = g_strdup (get_string (file, "file"));
  *out->line = get_uint (field, "line");
  *out->function = g_strdup (get_string (function, "name"));
  *out->key = g_strdup (get_string (field, "key"));
  *out->name = g_strdup (get_string (field, "name"));
  return TRUE;
}

/**
 * iwb_lint_find_doc_field:
 * @keys: (array zero-terminated=1): docstring field keys, e.g. {"label", "optional", NULL}
 *
 * The first `:key name:` line of an action's docstring whose name is not an
 * argument of that function.
 */
gboolean
iwb_lint_find_doc_field (JsonObject          *facts,
                         const char * const  *keys,
                         char               **file,
                         guint               *line,
                         char               **function,
                         char               **key,
                         char               **name)
{
  DocFieldOut out = { file, line, function, key, name };

  return _iwb_lint_foreach_doc_field_without_argument (facts, keys, FALSE, keep_first_doc_field, &out);
}

/**
 * iwb_lint_find_bad_doc_field:
 *
 * The first line of an action's docstring that starts a field (`:`) but has
 * no second colon, e.g. `:return` alone; docstring-parser 0.1 rejects it.
 */
gboolean
iwb_lint_find_bad_doc_field (JsonObject  *facts,
                             char       **file,
                             guint       *line,
                             char       **function,
                             char       **text)
{
  JsonArray *files = get_array (facts, "files");

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonArray *functions = get_array (f, "functions");

      for (guint j = 0; j < array_length (functions); j++)
        {
          JsonObject *fn = array_object (functions, j);
          JsonArray *meta = get_array (fn, "doc_meta");

          if (!get_bool (fn, "is_action"))
            continue;
          for (guint k = 0; k < array_length (meta); k++)
            {
              JsonObject *m = array_object (meta, k);

              if (!get_bool (m, "bad"))
                continue;
              *file = g_strdup (get_string (f, "file"));
              *line = get_uint (m, "line");
              *function = g_strdup (get_string (fn, "name"));
              *text = g_strdup (get_string (m, "key"));
              return TRUE;
            }
        }
    }
  return FALSE;
}

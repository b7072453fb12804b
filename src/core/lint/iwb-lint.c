/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Lint: warnings the SDK does not give but users need, with file:line.
 *
 * The facts come from a small Python function that parses (never imports)
 * the top-level .py files of the folder with `ast`; the loader runs it in the
 * generate_metadata child before the SDK takes over. The checks themselves
 * are here, in C, against the loaded model and those facts.
 */
#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "iwb-lint.h"
#include "iwb-lint-private.h"

static void
add (GPtrArray  *out,
     const char *file,
     guint       line,
     const char *code,
     char       *message)
{
  g_ptr_array_add (out, iwb_diagnostic_new (file, line, code, message));
  g_free (message);
}

/* Several modules with docstrings: the SDK takes each key from the first
 * docstring that has it, in directory order. */
static void
check_docstrings (JsonObject *facts,
                  GPtrArray  *out)
{
  JsonArray *files = get_array (facts, "files");
  const char *first = NULL;

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);

      if (!get_bool (f, "imported") || get_string (f, "docstring") == NULL)
        continue;
      if (first == NULL)
        {
          first = get_string (f, "file");
          continue;
        }
      add (out, get_string (f, "file"), get_uint (f, "doc_line"), "several-docstrings",
           g_strdup_printf (_("%s has a module docstring too: the SDK reads name:, description: "
                            "and logoUrl: from the first docstring that contains each key, in "
                            "directory order (here %s first), which can differ on another "
                            "machine. Keep the metadata docstring in one file and use # "
                            "comments in the others."),
                            get_string (f, "file"), first));
    }
}

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* `<key>:` matched inside another word (`hostname:` read as `name:`). */
static void
check_keys_in_words (JsonObject *facts,
                     GPtrArray  *out)
{
  static const char * const keys[] = { "name", "description", "logoUrl", NULL };
  JsonArray *files = get_array (facts, "files");

  for (guint k = 0; keys[k] != NULL; k++)
    {
      g_autofree char *needle = g_strconcat (keys[k], ":", NULL);
      g_autofree char *needle_lower = g_ascii_strdown (needle, -1);

      for (guint i = 0; i < array_length (files); i++)
        {
          JsonObject *f = array_object (files, i);
          const char *doc = get_string (f, "docstring");
          g_autofree char *lower = NULL;
          const char *hit, *start, *end;
          g_autofree char *word = NULL;
          g_autofree char *value = NULL;
          guint line;

          if (!get_bool (f, "imported") || doc == NULL)
            continue;
          lower = g_ascii_strdown (doc, -1);
          hit = strstr (lower, needle_lower);
          if (hit == NULL)
            continue; /* the SDK looks at the next docstring */
          /* this docstring decides the key */
          if (hit > lower && is_word_char (hit[-1]))
            {
              start = hit;
              while (start > lower && is_word_char (start[-1]))
                start--;
              word = g_strndup (doc + (start - lower), (hit - start) + strlen (needle));
              end = strchr (hit, '\n');
              value = g_strstrip (g_strndup (doc + (hit - lower) + strlen (needle),
                                             end ? (gsize) (end - hit) - strlen (needle)
                                                 : strlen (hit) - strlen (needle)));
              line = get_uint (f, "doc_line");
              for (const char *p = lower; p < hit; p++)
                if (*p == '\n')
                  line++;
              add (out, get_string (f, "file"), line, "key-in-word",
                   g_strdup_printf (_("“%s” is read as the integration's %s (“%s”): the SDK "
                                    "finds “%s” anywhere in the docstring, even inside another "
                                    "word, and takes the first match. Put the “%s” line above "
                                    "it, or reword “%s”."),
                                    word, keys[k], value, needle, needle, word));
            }
          break;
        }
    }
}

/* DataType.COLUMN given to a parameter (a comparison elsewhere is harmless). */
static void
check_column_type (JsonObject *facts,
                   GPtrArray  *out)
{
  JsonArray *files = get_array (facts, "files");

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonArray *params = get_array (f, "params");

      for (guint j = 0; j < array_length (params); j++)
        {
          JsonObject *p = array_object (params, j);

          if (g_strcmp0 (get_string (p, "data_type"), "COLUMN") != 0)
            continue;
          add (out, get_string (f, "file"), get_uint (p, "line"), "column-data-type",
               g_strdup_printf (_("%s “%s” uses DataType.COLUMN, which makes the SDK fail when "
                                "the parameter is created (its input-type code is broken), so "
                                "the integration does not load on the platform. Take the column "
                                "as an argument of the action function instead "
                                "(def my_action(my_column): …)."),
                                get_string (p, "kind") ? get_string (p, "kind") : "Parameter",
                                get_string (p, "id") ? get_string (p, "id") : "?"));
        }
    }
}

static void
check_optional_without_default_in (GListModel *params,
                                   const char *kind,
                                   JsonObject *facts,
                                   GHashTable *seen,
                                   GPtrArray  *out)
{
  static const char * const crashing[] = { "number", "int", "bool", "json", NULL };

  for (guint i = 0; i < g_list_model_get_n_items (params); i++)
    {
      g_autoptr(IwbParam) param = g_list_model_get_item (params, i);
      const char *data_type = iwb_param_get_data_type (param);
      g_autofree char *file = NULL;
      g_autofree char *key = NULL;
      g_autofree char *upper = NULL;
      guint line = 0;

      if (!iwb_param_get_optional (param) || iwb_param_get_default (param) != NULL ||
          !g_strv_contains (crashing, data_type))
        continue;
      key = g_strconcat (kind, ":", iwb_param_get_id (param), NULL);
      if (!g_hash_table_add (seen, g_steal_pointer (&key)))
        continue; /* one ActionParam object may serve several actions */
      iwb_lint_find_param (facts, kind, iwb_param_get_id (param), &file, &line);
      upper = g_ascii_strup (data_type, -1);
      add (out, file, line, "optional-without-default",
           g_strdup_printf (_("Optional %s parameter “%s” has no default: when it is left "
                            "empty the SDK still converts the missing value and read() "
                            "crashes (%s), and validation fails. Give it a default "
                            "(default=\"…\"), or make it a STRING and convert it yourself."),
                            upper, iwb_param_get_id (param),
                            g_str_equal (data_type, "bool") ? "AttributeError" : "TypeError"));
    }
}

static void
check_optional_without_default (IwbIntegration *integration,
                                JsonObject     *facts,
                                GPtrArray      *out)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GListModel *actions = iwb_integration_get_actions (integration);

  check_optional_without_default_in (iwb_integration_get_connection_params (integration),
                                     "ConnectionParam", facts, seen, out);
  for (guint i = 0; i < g_list_model_get_n_items (actions); i++)
    {
      g_autoptr(IwbAction) action = g_list_model_get_item (actions, i);

      check_optional_without_default_in (iwb_action_get_params (action), "ActionParam",
                                         facts, seen, out);
    }
}

static char *
unknown_action_message (IwbIntegration *integration,
                        const char     *id,
                        const char     *name,
                        const char     *file)
{
  GListModel *actions = iwb_integration_get_actions (integration);
  IwbAction *by_name = NULL;
  IwbAction *elsewhere = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (actions); i++)
    {
      g_autoptr(IwbAction) action = g_list_model_get_item (actions, i);
      const char *entrypoint = iwb_action_get_entrypoint (action);
      const char *dot = strrchr (entrypoint, '.');

      if (by_name == NULL && g_strcmp0 (iwb_action_get_name (action), name) == 0)
        by_name = action; /* the model keeps it alive */
      if (elsewhere == NULL && dot != NULL && g_str_equal (dot + 1, name))
        elsewhere = action;
    }

  if (id == NULL)
    id = "?";
  if (elsewhere != NULL)
    return g_strdup_printf (_("ActionParam “%s” is for action “%s”, which is defined in another "
                            "module (%s): the SDK only attaches an ActionParam to actions of "
                            "the module that creates it, so it silently drops this one and the "
                            "platform never shows it. Create the parameter in the action's "
                            "module."),
                            id, name, iwb_action_get_entrypoint (elsewhere));
  if (by_name != NULL)
    {
      const char *entrypoint = iwb_action_get_entrypoint (by_name);
      const char *dot = strrchr (entrypoint, '.');

      return g_strdup_printf (_("ActionParam “%s” names “%s”, the display name of %s: action= "
                              "takes function names, so the SDK silently drops the parameter "
                              "and the platform never shows it. Write action=\"%s\"."),
                              id, name, entrypoint, dot ? dot + 1 : entrypoint);
    }
  return g_strdup_printf (_("ActionParam “%s” is for action “%s”, but %s has no @action "
                          "function “%s”: the SDK silently drops the parameter and the "
                          "platform never shows it. Use the name of an @action function "
                          "defined in the same file."),
                          id, name, file, name);
}

/* ActionParam(action=…) naming no @action of its module: silently dropped. */
static void
check_action_param_targets (IwbIntegration *integration,
                            JsonObject     *facts,
                            GPtrArray      *out)
{
  JsonArray *files = get_array (facts, "files");

  for (guint i = 0; i < array_length (files); i++)
    {
      JsonObject *f = array_object (files, i);
      JsonArray *params = get_array (f, "params");
      const char *module = get_string (f, "module");

      if (!get_bool (f, "imported") || module == NULL)
        continue;
      for (guint j = 0; j < array_length (params); j++)
        {
          JsonObject *p = array_object (params, j);
          JsonArray *names = get_array (p, "actions");

          if (g_strcmp0 (get_string (p, "kind"), "ActionParam") != 0)
            continue;
          for (guint k = 0; k < array_length (names); k++)
            {
              const char *name = json_array_get_string_element (names, k);
              g_autofree char *entrypoint = NULL;

              if (name == NULL)
                continue;
              entrypoint = g_strconcat (module, ".", name, NULL);
              if (iwb_integration_find_action (integration, entrypoint) != NULL)
                continue;
              add (out, get_string (f, "file"), get_uint (p, "line"), "unknown-action",
                   unknown_action_message (integration, get_string (p, "id"), name,
                                           get_string (f, "file")));
            }
        }
    }
}

static gboolean
add_unknown_argument (JsonObject *file,
                      JsonObject *function,
                      JsonObject *field,
                      gpointer    user_data)
{
  const char *key = get_string (field, "key");
  const char *name = get_string (field, "name");

  add (user_data, get_string (file, "file"), get_uint (field, "line"), "docstring-unknown-argument",
       g_strdup_printf (_("“:%s %s:” documents an argument that %s() does not have: "
                        "the SDK reports “Docstring referenced %s but there were no "
                        "matching arguments” and the text is lost. Fix the name or "
                        "add the argument."),
                        key, name, get_string (function, "name"), name));
  return FALSE;
}

/* `:param x:` for an argument the function does not have. */
static void
check_doc_params (JsonObject *facts,
                  GPtrArray  *out)
{
  static const char * const param_keys[] = {
    "param", "parameter", "arg", "argument", "key", "keyword", NULL
  };

  _iwb_lint_foreach_doc_field_without_argument (facts, param_keys, TRUE, add_unknown_argument, out);
}

static int
compare_diagnostics (gconstpointer a,
                     gconstpointer b)
{
  const IwbDiagnostic *da = *(IwbDiagnostic * const *) a;
  const IwbDiagnostic *db = *(IwbDiagnostic * const *) b;
  int cmp = g_strcmp0 (da->file, db->file);

  if (cmp != 0)
    return cmp;
  return da->line < db->line ? -1 : da->line > db->line ? 1 : 0;
}

/**
 * iwb_lint_check:
 * @integration: the loaded model
 * @facts: (nullable): the facts script's output; without it only the
 *   checks that need no source location run
 *
 * Returns: (transfer full) (element-type IwbDiagnostic): the warnings,
 *   sorted by file and line
 */
GPtrArray *
iwb_lint_check (IwbIntegration *integration,
                JsonObject     *facts)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_diagnostic_free);

  g_return_val_if_fail (IWB_IS_INTEGRATION (integration), NULL);

  check_docstrings (facts, out);
  check_keys_in_words (facts, out);
  check_column_type (facts, out);
  check_optional_without_default (integration, facts, out);
  check_action_param_targets (integration, facts, out);
  check_doc_params (facts, out);

  g_ptr_array_sort (out, compare_diagnostics);
  return g_steal_pointer (&out);
}

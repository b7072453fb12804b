/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Why an integration did not load, in words a developer can act on.
 *
 * generate_metadata reports import problems as strings in its "errors" list
 * (e.g. "Failed to import module (did you run bundle-integrations?): No
 * module named 'x'"). iwb_load_error_explain() turns one of them into a
 * message that says where (FILE:LINE, found in the facts the loader's
 * bootstrap gathered with `ast` before the integration ran, see iwb-lint.c),
 * what went wrong and what to do, and classifies it with an IWB_ERROR code.
 */
#include "config.h"

#include <string.h>

#include "iwb-lint.h"
#include "iwb-load-error.h"

typedef struct
{
  const char *path;         /* the integration folder */
  const char *interpreter;  /* for the commands we suggest */
} LoadErrorContext;


static char *
display_path (LoadErrorContext *data,
              const char       *file)
{
  if (file == NULL)
    return g_strdup (data->path);
  if (g_path_is_absolute (file))
    return g_strdup (file);
  return g_build_filename (data->path, file, NULL);
}

static char *
location (LoadErrorContext *data,
          const char       *file,
          guint             line)
{
  g_autofree char *path = display_path (data, file);

  if (line > 0)
    return g_strdup_printf ("%s:%u", path, line);
  return g_steal_pointer (&path);
}

/* "No module named 'x.y'" -> "x.y" */
static char *
missing_module_name (const char *message)
{
  const char *start = strstr (message, "No module named '");
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen ("No module named '");
  end = strchr (start, '\'');
  return end ? g_strndup (start, end - start) : NULL;
}

static gboolean
requirements_mention (const char *path,
                      const char *module)
{
  g_autofree char *file = g_build_filename (path, "requirements.txt", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *top = g_strdup (module);
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (file, &contents, NULL, NULL))
    return FALSE;
  if (strchr (top, '.') != NULL)
    *strchr (top, '.') = '\0';
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *lower = g_ascii_strdown (g_strstrip (lines[i]), -1);
      g_autofree char *want = g_ascii_strdown (top, -1);

      g_strdelimit (lower, "-", '_');
      if (g_str_has_prefix (lower, want) &&
          (lower[strlen (want)] == '\0' || strchr ("=<>!~[; ", lower[strlen (want)]) != NULL))
        return TRUE;
    }
  return FALSE;
}

static void
explain_missing_module (LoadErrorContext *data,
                        JsonObject       *facts,
                        const char       *sdk_message,
                        GString          *out)
{
  g_autofree char *module = missing_module_name (sdk_message);
  g_autofree char *file = NULL;
  g_autofree char *where = NULL;
  g_autofree char *requirements = g_build_filename (data->path, "requirements.txt", NULL);
  g_autofree char *debian = NULL;
  g_autofree char *top = NULL;
  guint line = 0;

  if (module == NULL)
    {
      /* ImportError other than a missing module: a name that is not there */
      const char *from = strstr (sdk_message, " from '");
      g_autofree char *from_module = NULL;

      if (from != NULL && strchr (from + 7, '\'') != NULL)
        from_module = g_strndup (from + 7, strchr (from + 7, '\'') - (from + 7));
      if (from_module != NULL)
        iwb_lint_find_import (facts, from_module, &file, &line);
      where = location (data, file, line);
      g_string_append_printf (out, "%s: import failed: %s. Check the imported name and the "
                                   "version pinned in requirements.txt, then reinstall: "
                                   "%s -m pip install -r requirements.txt",
                              where, sdk_message, data->interpreter);
      return;
    }

  iwb_lint_find_import (facts, module, &file, &line);
  where = location (data, file, line);
  top = g_strdup (module);
  if (strchr (top, '.') != NULL)
    *strchr (top, '.') = '\0';

  if (g_str_equal (top, "lhub_integ"))
    {
      g_string_append_printf (out, "%s: the module “%s” is not installed for %s. Install the "
                                   "SDK for that interpreter (%s -m pip install lhub_integ), "
                                   "or use the bundled runtime (--sdk bundled, the default).",
                              where, module, data->interpreter, data->interpreter);
      return;
    }

  debian = g_ascii_strdown (top, -1);
  g_strdelimit (debian, "_", '-');
  if (g_file_test (requirements, G_FILE_TEST_EXISTS))
    g_string_append_printf (out, "%s: the module “%s” is not installed for %s. Install the "
                                 "integration's requirements%s: cd %s && %s -m pip install -r "
                                 "requirements.txt (or the Debian package: apt install "
                                 "python3-%s).",
                            where, module, data->interpreter,
                            requirements_mention (data->path, module)
                              ? "" : " (requirements.txt does not list it: add it there too)",
                            data->path, data->interpreter, debian);
  else
    g_string_append_printf (out, "%s: the module “%s” is not installed for %s, and the "
                                 "folder has no requirements.txt. List it in requirements.txt "
                                 "and install it: %s -m pip install %s (or the Debian package: "
                                 "apt install python3-%s).",
                            where, module, data->interpreter, data->interpreter, top, debian);
}

static void
explain_syntax_error (LoadErrorContext *data,
                      JsonObject       *facts,
                      const char       *sdk_message,
                      GString          *out)
{
  g_autofree char *file = NULL;
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;
  g_autofree char *where = NULL;
  guint line = 0;

  if (!iwb_lint_find_syntax_error (facts, &file, &line, &message, &text))
    {
      /* str(SyntaxError): "msg (file.py, line 3)" */
      g_autoptr(GRegex) regex = g_regex_new ("^(.*) \\(([^()]+), line ([0-9]+)\\)$", 0, 0, NULL);
      g_autoptr(GMatchInfo) match = NULL;

      if (g_regex_match (regex, sdk_message, 0, &match))
        {
          g_autofree char *number = g_match_info_fetch (match, 3);

          message = g_match_info_fetch (match, 1);
          file = g_match_info_fetch (match, 2);
          line = (guint) g_ascii_strtoull (number, NULL, 10);
        }
      else
        message = g_strdup (sdk_message);
    }

  where = location (data, file, line);
  g_string_append_printf (out, "%s: syntax error: %s", where, message);
  if (text != NULL && text[0] != '\0')
    g_string_append_printf (out, "\n    %s", g_strstrip (text));
  g_string_append (out, "\nFix the code and load the folder again.");
}

static void
explain_unexpected (LoadErrorContext *data,
                    JsonObject       *facts,
                    const char       *sdk_error,
                    GString          *out)
{
  g_autofree char *file = NULL;
  guint line = 0;

  if (g_str_has_suffix (sdk_error, ": InputType") &&
      iwb_lint_find_column_use (facts, &file, &line))
    {
      g_autofree char *where = location (data, file, line);

      g_string_append_printf (out, "%s: DataType.COLUMN makes the SDK fail at import (“%s”). "
                                   "Take the column as an argument of the action function "
                                   "instead (def my_action(my_column): …).",
                              where, sdk_error);
      return;
    }
  if (strstr (sdk_error, "Python files cannot contain dots: ") != NULL)
    {
      const char *stem = strstr (sdk_error, "Python files cannot contain dots: ") +
                         strlen ("Python files cannot contain dots: ");
      g_autofree char *name = g_strconcat (stem, ".py", NULL);
      g_autofree char *where = location (data, name, 0);
      g_autofree char *renamed = g_strdup (stem);

      g_strdelimit (renamed, ".", '_');
      g_string_append_printf (out, "%s: the SDK does not import a file whose name contains a "
                                   "dot and reports it as an error. Rename it (e.g. %s.py), "
                                   "and import it under the new name.",
                              where, renamed);
      return;
    }
  g_string_append_printf (out, "%s: %s. Fix the module and load the folder again.",
                          data->path, sdk_error);
}

/* "Integration was invalid: <message> [<code>]" with the parameter's line. */
static void
explain_invalid (LoadErrorContext *data,
                 JsonObject       *facts,
                 const char       *message,
                 GString          *out)
{
  g_autofree char *file = NULL;
  g_autofree char *id = NULL;
  g_autofree char *where = NULL;
  guint line = 0;

  if (g_str_has_suffix (message, "[invalid_parameter_name]") && message[0] == '"' &&
      strchr (message + 1, '"') != NULL)
    {
      id = g_strndup (message + 1, strchr (message + 1, '"') - (message + 1));
      iwb_lint_find_param (facts, NULL, id, &file, &line);
    }
  else if (g_str_has_suffix (message, "[duplication_connection_param]") &&
           strstr (message, "same id (") != NULL)
    {
      const char *start = strstr (message, "same id (") + strlen ("same id (");

      if (strchr (start, ')') != NULL)
        {
          id = g_strndup (start, strchr (start, ')') - start);
          iwb_lint_find_duplicate_param (facts, "ConnectionParam", id, &file, &line);
        }
    }

  where = location (data, file, line);
  g_string_append_printf (out, "%s: the SDK rejected the integration: %s. Fix it and load "
                               "the folder again.",
                          where, message);
}

/* A module read a required param at import: the SDK exits before metadata. */
static gboolean
explain_instantiation (LoadErrorContext *data,
                       JsonObject       *facts,
                       const char       *sdk_error,
                       GString          *out)
{
  const char *prefix = "Environment variable ";
  const char *suffix = " must be defined";
  g_autofree char *id = NULL;
  g_autofree char *file = NULL;
  g_autofree char *where = NULL;
  guint line = 0;

  if (!g_str_has_prefix (sdk_error, prefix) || !g_str_has_suffix (sdk_error, suffix))
    return FALSE;
  id = g_strndup (sdk_error + strlen (prefix),
                  strlen (sdk_error) - strlen (prefix) - strlen (suffix));
  iwb_lint_find_module_read (facts, id, &file, &line);
  where = location (data, file, line);
  g_string_append_printf (out, "%s: the parameter “%s” is read when the module is imported, "
                               "so the SDK stops (“%s”) before it can list the integration. "
                               "Call its read() inside the action functions instead.",
                          where, id, sdk_error);
  return TRUE;
}

/* The metadata step itself failed: the error is a traceback. */
static void
explain_traceback (LoadErrorContext *data,
                   JsonObject       *facts,
                   const char       *traceback,
                   GString          *out)
{
  static const char * const label_keys[] = { "label", "optional", NULL };
  g_autofree char *copy = g_strstrip (g_strdup (traceback));
  const char *last = strrchr (copy, '\n') ? strrchr (copy, '\n') + 1 : copy;
  g_autofree char *file = NULL;
  g_autofree char *function = NULL;
  g_autofree char *key = NULL;
  g_autofree char *name = NULL;
  guint line = 0;

  if (g_str_has_prefix (last, "IndexError") &&
      iwb_lint_find_key_at_end (facts, &file, &line, &key))
    {
      g_autofree char *where = location (data, file, line);

      g_string_append_printf (out, "%s: the docstring ends right after “%s:”, and the SDK's "
                                   "metadata step fails when nothing follows a key, not even a "
                                   "line break (%s). Give “%s:” a value or end the line.",
                              where, key, last, key);
    }
  else if (g_str_has_prefix (last, "KeyError") &&
      iwb_lint_find_doc_field (facts, label_keys, &file, &line, &function, &key, &name))
    {
      g_autofree char *where = location (data, file, line);

      g_string_append_printf (out, "%s: “:%s %s:” names no argument of %s(), and the SDK's "
                                   "metadata step fails on it (%s). Fix the name in the "
                                   "docstring.",
                              where, key, name, function, last);
    }
  else if (strstr (last, "ParseError") != NULL &&
           iwb_lint_find_bad_doc_field (facts, &file, &line, &function, &key))
    {
      g_autofree char *where = location (data, file, line);

      g_string_append_printf (out, "%s: “%s” in the docstring of %s() has no second colon; "
                                   "the SDK's docstring parser rejects it (%s). Write it as "
                                   "“%s: …” or remove the line.",
                              where, key, function, last, key);
    }
  else
    g_string_append_printf (out, "%s: generate_metadata failed: %s. Fix the cause and load "
                                 "the folder again. The SDK's traceback:\n%s",
                            data->path, last, copy);
}

static IwbErrorCode
explain_error (LoadErrorContext *data,
               JsonObject       *facts,
               const char       *sdk_error,
               GString          *out)
{
  static const char syntax[] = "Failed to import module: ";
  static const char import[] = "Failed to import module (did you run bundle-integrations?): ";
  static const char unexpected[] = "Failed to import module (Unexpected error): ";
  static const char invalid[] = "Integration was invalid: ";

  if (g_str_has_prefix (sdk_error, syntax))
    {
      explain_syntax_error (data, facts, sdk_error + strlen (syntax), out);
      return IWB_ERROR_SYNTAX;
    }
  if (g_str_has_prefix (sdk_error, import))
    {
      explain_missing_module (data, facts, sdk_error + strlen (import), out);
      return IWB_ERROR_MISSING_MODULE;
    }
  if (g_str_has_prefix (sdk_error, unexpected))
    {
      explain_unexpected (data, facts, sdk_error, out);
      return IWB_ERROR_INVALID_INTEGRATION;
    }
  if (g_str_has_prefix (sdk_error, invalid))
    {
      explain_invalid (data, facts, sdk_error + strlen (invalid), out);
      return IWB_ERROR_INVALID_INTEGRATION;
    }
  if (g_str_has_prefix (sdk_error, "No actions found"))
    {
      g_string_append_printf (out, "%s: no actions found: no top-level function of the "
                                   "folder's .py files is decorated with @action. Add one "
                                   "(from lhub_integ import action; @action def my_action(): …).",
                              data->path);
      return IWB_ERROR_NO_ACTIONS;
    }
  if (explain_instantiation (data, facts, sdk_error, out))
    return IWB_ERROR_INVALID_INTEGRATION;
  explain_traceback (data, facts, sdk_error, out);
  return IWB_ERROR_INVALID_INTEGRATION;
}

/**
 * iwb_load_error_explain:
 * @folder: the integration folder (absolute path)
 * @interpreter: the Python interpreter that loaded it
 * @facts: (nullable): the bootstrap's facts about the folder's .py files
 * @sdk_error: one string of the metadata's "errors" list
 * @out: the explanation is appended here
 *
 * Returns: the #IwbErrorCode that classifies @sdk_error
 */
IwbErrorCode
iwb_load_error_explain (const char *folder,
                        const char *interpreter,
                        JsonObject *facts,
                        const char *sdk_error,
                        GString    *out)
{
  LoadErrorContext context = { folder, interpreter };

  g_return_val_if_fail (folder != NULL, IWB_ERROR_FAILED);
  g_return_val_if_fail (interpreter != NULL, IWB_ERROR_FAILED);
  g_return_val_if_fail (sdk_error != NULL, IWB_ERROR_FAILED);
  g_return_val_if_fail (out != NULL, IWB_ERROR_FAILED);

  return explain_error (&context, facts, sdk_error, out);
}

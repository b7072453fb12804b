/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Why an integration did not load, in words a developer can act on.
 *
 * generate_metadata reports import problems as strings in its "errors" list
 * (e.g. "Failed to import module (did you run bundle-integrations?): No
 * module named 'x'"), without the exception's type or where it was raised.
 * iwb_load_error_explain_all() turns each into a message that says where
 * (FILE:LINE), what went wrong and what to do, and classifies it with an
 * IWB_ERROR code.
 *
 * Where comes first from the "import_errors" of the facts: the loader's
 * bootstrap watches the import of every top-level module and reports, for
 * one that raises, the exception's qualified type, its message and the
 * frames inside the folder (see _iwb_watch in iwb-lint.c). A record is
 * matched to the SDK's error by its message, in order. Without records (an
 * installed SDK that bypasses the import system) the static facts gathered
 * with `ast` give a best guess (iwb_lint_find_*).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "iwb-file.h"
#include "iwb-lint.h"
#include "iwb-load-error.h"
#include "iwb-load-error-private.h"
#include "iwb-pyenv.h"

typedef struct
{
  const char *path;         /* the integration folder */
  const char *interpreter;  /* for the commands we suggest */
  JsonObject *record;       /* (nullable) the import error record of this error */
} LoadErrorContext;

/* ---- small JSON accessors (tolerant of anything missing) ---------------- */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static guint
member_uint (JsonObject *object,
             const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    return (guint) CLAMP (json_node_get_int (node), 0, G_MAXUINT);
  return 0;
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
element_object (JsonArray *array,
                guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* ---- locations --------------------------------------------------------- */

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

/* The innermost frame of the record inside the folder: where it was raised. */
static gboolean
record_where (LoadErrorContext  *data,
              char             **file,
              guint             *line)
{
  JsonArray *frames = member_array (data->record, "frames");
  JsonObject *last;

  if (frames == NULL || json_array_get_length (frames) == 0)
    return FALSE;
  last = element_object (frames, json_array_get_length (frames) - 1);
  if (member_string (last, "file") == NULL)
    return FALSE;
  g_free (*file);
  *file = g_strdup (member_string (last, "file"));
  *line = member_uint (last, "line");
  return TRUE;
}

/* "\nRaised through: main.py:7 → lib.py:5 in load_config()" when the
 * exception went through more than one frame of the integration. */
static void
append_frames (LoadErrorContext *data,
               GString          *out)
{
  JsonArray *frames = member_array (data->record, "frames");
  guint n = frames ? json_array_get_length (frames) : 0;

  if (n < 2)
    return;
  g_string_append_printf (out, "\n%s ", _("Raised through:"));
  for (guint i = 0; i < n; i++)
    {
      JsonObject *frame = element_object (frames, i);
      const char *function = member_string (frame, "function");

      if (i > 0)
        g_string_append (out, " → ");
      g_string_append_printf (out, "%s:%u", member_string (frame, "file") ? member_string (frame, "file") : "?",
                              member_uint (frame, "line"));
      if (function != NULL && !g_str_equal (function, "<module>"))
        g_string_append_printf (out, _(" in %s()"), function);
    }
}

/* ---- syntax errors ----------------------------------------------------- */

static void
explain_syntax_error (LoadErrorContext *data,
                      JsonObject       *facts,
                      const char       *sdk_message,
                      GString          *out)
{
  JsonObject *syntax = member_object (data->record, "syntax");
  g_autofree char *file = NULL;
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;
  g_autofree char *where = NULL;
  guint line = 0;

  if (syntax != NULL && member_string (syntax, "file") != NULL)
    {
      /* the file that does not compile, also in a sub-package */
      file = g_strdup (member_string (syntax, "file"));
      line = member_uint (syntax, "line");
      message = g_strdup (member_string (syntax, "message"));
      text = g_strdup (member_string (syntax, "text"));
    }
  else if (!iwb_lint_find_syntax_error (facts, &file, &line, &message, &text))
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
    }
  if (message == NULL)
    message = g_strdup (sdk_message);

  where = location (data, file, line);
  g_string_append_printf (out, "%s: %s: %s", where, _("syntax error"), message);
  if (text != NULL && text[0] != '\0')
    g_string_append_printf (out, "\n    %s", g_strstrip (text));
  append_frames (data, out);
  {
    /* a sub-module's syntax error: say which import reached it */
    g_autofree char *via = NULL;
    guint via_line = 0;

    if (record_where (data, &via, &via_line) && g_strcmp0 (via, file) != 0)
      g_string_append_printf (out, "\n%s %s:%u", _("Imported from"), via, via_line);
  }
  g_string_append_printf (out, "\n%s", _("Fix the code and load the folder again."));
}

/* ---- imports ----------------------------------------------------------- */

/* "No module named 'x.y'" -> "x.y" */
static char *
quoted_after (const char *message,
              const char *marker)
{
  const char *start = strstr (message, marker);
  const char *end;

  if (start == NULL)
    return NULL;
  start += strlen (marker);
  end = strchr (start, '\'');
  return end ? g_strndup (start, end - start) : NULL;
}

static gboolean
requirements_mention (const char *path,
                      const char *module)
{
  g_autofree char *file = g_build_filename (path, "requirements.txt", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *top = g_strndup (module, strcspn (module, "."));
  g_autofree char *want = g_ascii_strdown (top, -1);
  g_auto(GStrv) lines = NULL;

  contents = iwb_file_read_bounded (file, 1024 * 1024, IWB_FILE_READ_REGULAR_ONLY, NULL, NULL);
  if (contents == NULL)
    return FALSE;
  g_strdelimit (want, "-", '_');
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *lower = g_ascii_strdown (g_strstrip (lines[i]), -1);

      g_strdelimit (lower, "-", '_');
      if (g_str_has_prefix (lower, want) &&
          (lower[strlen (want)] == '\0' || strchr ("=<>!~[; ", lower[strlen (want)]) != NULL))
        return TRUE;
    }
  return FALSE;
}

/* `from M import X` where M has no X. */
static void
explain_missing_name (LoadErrorContext *data,
                      JsonObject       *facts,
                      const char       *sdk_message,
                      GString          *out)
{
  g_autofree char *name = quoted_after (sdk_message, "cannot import name '");
  g_autofree char *from = quoted_after (sdk_message, " from '");
  g_autofree char *file = NULL;
  g_autofree char *where = NULL;
  guint line = 0;

  if (!record_where (data, &file, &line) && from != NULL)
    {
      /* the statement that imports that very name, else any import of M */
      g_autofree char *full = name ? g_strconcat (from, ".", name, NULL) : NULL;

      if (full == NULL || !iwb_lint_find_import (facts, full, &file, &line))
        iwb_lint_find_import (facts, from, &file, &line);
    }
  where = location (data, file, line);
  if (from != NULL && _iwb_load_error_is_local_module (data->path, from))
    g_string_append_printf (out, _("%s: import failed: %s. The integration's own module "
                                   "“%s” has no “%s”: check the name there and where it is "
                                   "imported."),
                            where, sdk_message, from, name ? name : "?");
  else
    g_string_append_printf (out, _("%s: import failed: %s. Check the imported name (for a "
                                   "third-party package, also the version pinned in "
                                   "requirements.txt, then rebuild the integration's "
                                   "environment: iwb env create %s, or Rebuild Environment in "
                                   "the window)."),
                            where, sdk_message, data->path);
  append_frames (data, out);
}

/* `from . import x` in a top-level module. */
static void
explain_relative_import (LoadErrorContext *data,
                         JsonObject       *facts,
                         const char       *sdk_message,
                         GString          *out)
{
  g_autofree char *file = NULL;
  g_autofree char *where = NULL;
  guint line = 0;

  if (!record_where (data, &file, &line))
    iwb_lint_find_relative_import (facts, &file, &line);
  where = location (data, file, line);
  g_string_append_printf (out, _("%s: import failed: %s. The SDK imports the folder's .py "
                                 "files as top-level modules, not as a package, so a relative "
                                 "import (from . import x) has no package to start from. Import "
                                 "the module by its name instead (import x, from x import y)."),
                          where, sdk_message);
  append_frames (data, out);
}

static void
explain_import_error (LoadErrorContext *data,
                      JsonObject       *facts,
                      const char       *sdk_message,
                      GString          *out)
{
  g_autofree char *module = quoted_after (sdk_message, "No module named '");
  g_autofree char *file = NULL;
  g_autofree char *where = NULL;
  g_autofree char *requirements = g_build_filename (data->path, "requirements.txt", NULL);
  g_autofree char *debian = NULL;
  g_autofree char *top = NULL;
  g_autofree char *link = NULL;
  guint line = 0;

  if (strstr (sdk_message, "attempted relative import") != NULL)
    {
      explain_relative_import (data, facts, sdk_message, out);
      return;
    }
  if (module == NULL)
    {
      explain_missing_name (data, facts, sdk_message, out);
      return;
    }

  if (!record_where (data, &file, &line))
    iwb_lint_find_import (facts, module, &file, &line);
  where = location (data, file, line);
  top = g_strndup (module, strcspn (module, "."));

  if ((link = _iwb_load_error_broken_link_of_module (data->path, module)) != NULL)
    {
      g_string_append_printf (out, _("%s: the module “%s” cannot be imported: %s. Fix the "
                                     "link, or replace it with the file or folder it should "
                                     "lead to."),
                              where, module, link);
      append_frames (data, out);
      return;
    }
  if (_iwb_load_error_is_local_module (data->path, module))
    {
      g_autofree char *rel = g_strdelimit (g_strdup (module), ".", G_DIR_SEPARATOR);

      g_string_append_printf (out, _("%s: the module “%s” is not in the integration's folder "
                                     "(no %s.py nor %s/__init__.py), although “%s” is the "
                                     "integration's own. Check the name, or add the file."),
                              where, module, rel, rel, top);
      append_frames (data, out);
      return;
    }

  if (g_str_equal (top, "lhub_integ"))
    {
      g_string_append_printf (out, _("%s: the module “%s” is not installed for %s. Install the "
                                     "SDK for that interpreter (%s -m pip install lhub_integ), "
                                     "or use the bundled runtime (--sdk bundled, the default)."),
                              where, module, data->interpreter, data->interpreter);
      return;
    }

  debian = g_ascii_strdown (top, -1);
  g_strdelimit (debian, "_", '-');
  {
    /* Never "pip install" into the system interpreter (Debian forbids it,
     * PEP 668): the integration's own environment, as on the platform. */
    g_autoptr(GFile) folder = g_file_new_for_path (data->path);
    g_autoptr(IwbPython) python = iwb_python_new (data->interpreter, IWB_SDK_BUNDLED);
    g_autofree char *advice = iwb_pyenv_advice_for_missing_module (folder, python, module);

    /* Translators: the last %s is a guessed Debian package name
     * (python3-NAME), which may not exist. */
    g_string_append_printf (out, _("%s: the module “%s” is not installed for %s. %s%s (If Debian "
                                   "packages it, as python3-%s, installing that package works "
                                   "too: the environment sees the system's packages.)"),
                            where, module, data->interpreter, advice,
                            g_file_test (requirements, G_FILE_TEST_EXISTS) &&
                            !requirements_mention (data->path, module)
                              ? _(" requirements.txt does not list it yet: add it there first.")
                              : "",
                            debian);
  }
  append_frames (data, out);
}

/* ---- other exceptions, SDK rules --------------------------------------- */

static void
explain_unexpected (LoadErrorContext *data,
                    JsonObject       *facts,
                    const char       *sdk_error,
                    const char       *sdk_message,
                    GString          *out)
{
  const char *type = member_string (data->record, "type");
  g_autofree char *file = NULL;
  g_autofree char *where = NULL;
  guint line = 0;

  if (g_str_has_suffix (sdk_error, ": InputType") &&
      (record_where (data, &file, &line) || iwb_lint_find_column_use (facts, &file, &line)))
    {
      where = location (data, file, line);
      g_string_append_printf (out, _("%s: DataType.COLUMN makes the SDK fail at import (“%s”). "
                                     "Take the column as an argument of the action function "
                                     "instead (def my_action(my_column): …)."),
                              where, sdk_error);
      return;
    }
  if (strstr (sdk_error, "Python files cannot contain dots: ") != NULL)
    {
      const char *stem = strstr (sdk_error, "Python files cannot contain dots: ") +
                         strlen ("Python files cannot contain dots: ");
      g_autofree char *name = g_strconcat (stem, ".py", NULL);
      g_autofree char *renamed = g_strdelimit (g_strdup (stem), ".", '_');

      where = location (data, name, 0);
      g_string_append_printf (out, _("%s: the SDK does not import a file whose name contains a "
                                     "dot and reports it as an error. Rename it (e.g. %s.py), "
                                     "and import it under the new name."),
                              where, renamed);
      return;
    }

  record_where (data, &file, &line);
  where = location (data, file, line);
  if (type != NULL)
    {
      const char *module = member_string (data->record, "module");

      if (sdk_message[0] != '\0')
        g_string_append_printf (out, _("%s: importing %s.py raised %s: %s."), where,
                                module ? module : "?", type, sdk_message);
      else
        g_string_append_printf (out, _("%s: importing %s.py raised %s (with no message)."),
                                where, module ? module : "?", type);
    }
  else if (sdk_message[0] != '\0')
    g_string_append_printf (out, _("%s: importing a module raised an exception: %s."),
                            where, sdk_message);
  else
    g_string_append_printf (out, _("%s: importing a module raised an exception with no "
                                   "message (the SDK reports only the message, so its type "
                                   "is unknown: a MemoryError, or an exception raised "
                                   "without arguments)."),
                            where);
  g_string_append_printf (out, " %s", _("Code at the top level of a module runs when it is "
                                        "imported: fix it there, or move it into the action "
                                        "functions, and load the folder again."));
  append_frames (data, out);
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

  if (record_where (data, &file, &line))
    ;
  else if (g_str_has_suffix (message, "[invalid_parameter_name]") && message[0] == '"' &&
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
  g_string_append_printf (out, _("%s: the SDK rejected the integration: %s. Fix it and load "
                                 "the folder again."),
                          where, message);
}

/* The last record of an exception of @type (e.g. SystemExit), or NULL. */
static JsonObject *
find_record_of_type (JsonObject *facts,
                     const char *type)
{
  JsonArray *records = member_array (facts, "import_errors");

  for (guint i = records ? json_array_get_length (records) : 0; i > 0; i--)
    {
      JsonObject *record = element_object (records, i - 1);

      if (g_strcmp0 (member_string (record, "type"), type) == 0)
        return record;
    }
  return NULL;
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
  data->record = find_record_of_type (facts, "SystemExit");
  if (!record_where (data, &file, &line))
    iwb_lint_find_module_read (facts, id, &file, &line);
  where = location (data, file, line);
  g_string_append_printf (out, _("%s: the parameter “%s” is read when the module is imported, "
                                 "so the SDK stops (“%s”) before it can list the integration. "
                                 "Call its read() inside the action functions instead."),
                          where, id, sdk_error);
  append_frames (data, out);
  return TRUE;
}

/* No action: maybe because a .py file is a link Python cannot follow. */
static void
explain_no_actions (LoadErrorContext *data,
                    GString          *out)
{
  g_autoptr(GDir) dir = g_dir_open (data->path, 0, NULL);
  g_autoptr(GString) links = g_string_new (NULL);
  const char *name;

  g_string_append_printf (out, _("%s: no actions found: no top-level function of the "
                                 "folder's .py files is decorated with @action. Add one "
                                 "(from lhub_integ import action; @action def my_action(): …)."),
                          data->path);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *reason = NULL;

      if (g_str_has_suffix (name, ".py") && ((reason = _iwb_load_error_broken_link (data->path, name)) != NULL ||
                                             (reason = _iwb_load_error_not_a_file (data->path, name)) != NULL))
        g_string_append_printf (links, "\n    %s", reason);
    }
  if (links->len > 0)
    g_string_append_printf (out, "\n%s%s", _("These files cannot be read, so neither the SDK "
                                             "nor Python imports them; make each link point to "
                                             "its file, or replace it with the file:"),
                            links->str);
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

      g_string_append_printf (out, _("%s: the docstring ends right after “%s:”, and the SDK's "
                                   "metadata step fails when nothing follows a key, not even a "
                                   "line break (%s). Give “%s:” a value or end the line."),
                              where, key, last, key);
    }
  else if (g_str_has_prefix (last, "KeyError") &&
      iwb_lint_find_doc_field (facts, label_keys, &file, &line, &function, &key, &name))
    {
      g_autofree char *where = location (data, file, line);

      g_string_append_printf (out, _("%s: “:%s %s:” names no argument of %s(), and the SDK's "
                                   "metadata step fails on it (%s). Fix the name in the "
                                   "docstring."),
                              where, key, name, function, last);
    }
  else if (strstr (last, "ParseError") != NULL &&
           iwb_lint_find_bad_doc_field (facts, &file, &line, &function, &key))
    {
      g_autofree char *where = location (data, file, line);

      g_string_append_printf (out, _("%s: “%s” in the docstring of %s() has no second colon; "
                                   "the SDK's docstring parser rejects it (%s). Write it as "
                                   "“%s: …” or remove the line."),
                              where, key, function, last, key);
    }
  else
    g_string_append_printf (out, _("%s: generate_metadata failed: %s. Fix the cause and load "
                                 "the folder again. The SDK's traceback:\n%s"),
                            data->path, last, copy);
}

/* The first record not used yet whose message is the SDK's. */
static JsonObject *
take_record (JsonObject *facts,
             const char *message,
             GHashTable *used)
{
  JsonArray *records = member_array (facts, "import_errors");

  for (guint i = 0; records != NULL && i < json_array_get_length (records); i++)
    {
      JsonObject *record = element_object (records, i);

      if (record != NULL && !g_hash_table_contains (used, record) &&
          g_strcmp0 (member_string (record, "message"), message) == 0)
        {
          g_hash_table_add (used, record);
          return record;
        }
    }
  return NULL;
}

static IwbErrorCode
explain_error (LoadErrorContext *data,
               JsonObject       *facts,
               const char       *sdk_error,
               GHashTable       *used,
               GString          *out)
{
  static const char syntax[] = "Failed to import module: ";
  static const char import[] = "Failed to import module (did you run bundle-integrations?): ";
  static const char unexpected[] = "Failed to import module (Unexpected error): ";
  static const char invalid[] = "Integration was invalid: ";

  data->record = NULL;
  if (g_str_has_prefix (sdk_error, syntax))
    {
      data->record = take_record (facts, sdk_error + strlen (syntax), used);
      explain_syntax_error (data, facts, sdk_error + strlen (syntax), out);
      return IWB_ERROR_SYNTAX;
    }
  if (g_str_has_prefix (sdk_error, import))
    {
      data->record = take_record (facts, sdk_error + strlen (import), used);
      explain_import_error (data, facts, sdk_error + strlen (import), out);
      return IWB_ERROR_MISSING_MODULE;
    }
  if (g_str_has_prefix (sdk_error, unexpected))
    {
      data->record = take_record (facts, sdk_error + strlen (unexpected), used);
      explain_unexpected (data, facts, sdk_error, sdk_error + strlen (unexpected), out);
      return IWB_ERROR_INVALID_INTEGRATION;
    }
  if (g_str_has_prefix (sdk_error, invalid))
    {
      data->record = take_record (facts, sdk_error + strlen (invalid), used);
      explain_invalid (data, facts, sdk_error + strlen (invalid), out);
      return IWB_ERROR_INVALID_INTEGRATION;
    }
  if (g_str_has_prefix (sdk_error, "No actions found"))
    {
      explain_no_actions (data, out);
      return IWB_ERROR_NO_ACTIONS;
    }
  if (explain_instantiation (data, facts, sdk_error, out))
    return IWB_ERROR_INVALID_INTEGRATION;
  explain_traceback (data, facts, sdk_error, out);
  return IWB_ERROR_INVALID_INTEGRATION;
}

/**
 * iwb_load_error_explain_all:
 * @folder: the integration folder (absolute path)
 * @interpreter: the Python interpreter that loaded it
 * @facts: (nullable): the bootstrap's facts about the folder's .py files,
 *   with the "import_errors" records of the modules that failed to import
 * @sdk_errors: the strings of the metadata's "errors" list, in order
 * @out: the explanations are appended here, one per error, each on its own
 *   line(s)
 *
 * Returns: the #IwbErrorCode that classifies the first error
 */
IwbErrorCode
iwb_load_error_explain_all (const char         *folder,
                            const char         *interpreter,
                            JsonObject         *facts,
                            const char * const *sdk_errors,
                            GString            *out)
{
  LoadErrorContext context = { folder, interpreter, NULL };
  g_autoptr(GHashTable) used = g_hash_table_new (NULL, NULL);
  IwbErrorCode code = IWB_ERROR_FAILED;

  g_return_val_if_fail (folder != NULL, IWB_ERROR_FAILED);
  g_return_val_if_fail (interpreter != NULL, IWB_ERROR_FAILED);
  g_return_val_if_fail (sdk_errors != NULL, IWB_ERROR_FAILED);
  g_return_val_if_fail (out != NULL, IWB_ERROR_FAILED);

  for (guint i = 0; sdk_errors[i] != NULL; i++)
    {
      IwbErrorCode this_code;

      if (i > 0)
        g_string_append_c (out, '\n');
      this_code = explain_error (&context, facts, sdk_errors[i], used, out);
      if (i == 0)
        code = this_code;
    }
  return code;
}

/**
 * iwb_load_error_explain:
 * @sdk_error: one string of the metadata's "errors" list
 *
 * iwb_load_error_explain_all() for one error.
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
  const char *errors[] = { sdk_error, NULL };

  g_return_val_if_fail (sdk_error != NULL, IWB_ERROR_FAILED);

  return iwb_load_error_explain_all (folder, interpreter, facts, errors, out);
}

/**
 * iwb_load_error_exit_site:
 * @folder: the integration folder (absolute path)
 * @facts: (nullable): the facts with their "import_errors"
 *
 * Where a module of the integration called sys.exit() (raised SystemExit)
 * while being imported, from the import records: for a generate_metadata
 * that ended without a result. os._exit() leaves no record.
 *
 * Returns: (transfer full) (nullable): “FILE:LINE” and the exit code as
 *   Python printed it (“main.py:5 (sys.exit(3))”), or %NULL
 */
char *
iwb_load_error_exit_site (const char *folder,
                          JsonObject *facts)
{
  LoadErrorContext context = { folder, "", find_record_of_type (facts, "SystemExit") };
  g_autofree char *file = NULL;
  g_autofree char *where = NULL;
  const char *code;
  guint line = 0;

  g_return_val_if_fail (folder != NULL, NULL);

  if (!record_where (&context, &file, &line))
    return NULL;
  where = location (&context, file, line);
  code = member_string (context.record, "message");
  return g_strdup_printf ("%s (sys.exit(%s))", where, code != NULL ? code : "");
}

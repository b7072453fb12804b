/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Folder -> IwbIntegration. Runs the SDK's `generate_metadata` in the folder
 * as a child in its own process group (the platform's own introspection).
 *
 * The child is `python3 -c BOOTSTRAP`: the bootstrap first parses the
 * folder's .py files with `ast` (never importing them) and prints the facts
 * for lint warnings and for file:line in error messages as the first stdout
 * line, `[iwb-facts] {...}`, before any integration code runs; then it drops
 * what it imported and hands over to `lhub_integ.generate_metadata` exactly
 * as `python3 -m` does (runpy._run_module_as_main, sys.path[0] = the folder),
 * so the integration sees the same argv, sys.path, __main__ and modules. One
 * interpreter instead of two: loading costs little more than the import.
 *
 * The child is an IwbChild: output is captured in bounded lines with fixed
 * bounds on what is kept, so an integration that floods stdout or stderr
 * cannot exhaust memory; a timeout or a cancel ends the whole process tree.
 */
#include "config.h"

#include <string.h>

#include "iwb-child.h"
#include "iwb-error.h"
#include "iwb-json.h"
#include "iwb-lint.h"
#include "iwb-loader.h"
#include "iwb-metadata.h"

/* Bounds of what is kept from the children. */
#define MAX_RESULT_LINE  (16 * 1024 * 1024) /* one metadata line */
#define FACTS_PREFIX     "[iwb-facts] "
#define STDOUT_TAIL      (8 * 1024)         /* other stdout lines, for messages */
#define STDERR_TAIL      (16 * 1024)

struct _IwbLoader
{
  GObject    parent_instance;
  IwbPython *python;
  guint      timeout;
};

G_DEFINE_FINAL_TYPE (IwbLoader, iwb_loader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PYTHON,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct _LoadData LoadData;

struct _LoadData
{
  GTask        *task;          /* weak: the task owns us */
  GFile        *folder;
  char         *path;
  char         *interpreter;
  IwbChild     *child;         /* generate_metadata */

  char         *result;        /* text after "[result] " of the last result line */
  GString      *stdout_tail;
  GString      *stderr_tail;
  guint         n_lines;
  char         *facts_out;     /* the bootstrap's first line, after FACTS_PREFIX */
  guint         timeout_seconds;
};

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->child);
  g_clear_object (&data->folder);
  g_free (data->path);
  g_free (data->interpreter);
  g_free (data->result);
  if (data->stdout_tail != NULL)
    g_string_free (data->stdout_tail, TRUE);
  if (data->stderr_tail != NULL)
    g_string_free (data->stderr_tail, TRUE);
  g_free (data->facts_out);
  g_free (data);
}

static void
iwb_loader_dispose (GObject *object)
{
  IwbLoader *self = IWB_LOADER (object);

  g_clear_object (&self->python);

  G_OBJECT_CLASS (iwb_loader_parent_class)->dispose (object);
}

static void
iwb_loader_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  IwbLoader *self = IWB_LOADER (object);

  switch (prop_id)
    {
    case PROP_PYTHON:
      g_value_set_object (value, self->python);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_loader_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  IwbLoader *self = IWB_LOADER (object);

  switch (prop_id)
    {
    case PROP_PYTHON:
      g_set_object (&self->python, g_value_get_object (value));
      break;
    case PROP_TIMEOUT:
      iwb_loader_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_loader_class_init (IwbLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = iwb_loader_dispose;
  object_class->get_property = iwb_loader_get_property;
  object_class->set_property = iwb_loader_set_property;

  properties[PROP_PYTHON] =
    g_param_spec_object ("python", NULL, NULL, IWB_TYPE_PYTHON,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, G_MAXUINT / 1000, IWB_LOADER_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
iwb_loader_init (IwbLoader *self)
{
  self->timeout = IWB_LOADER_DEFAULT_TIMEOUT;
}

/**
 * iwb_loader_new:
 * @python: the interpreter and SDK choice the children use
 */
IwbLoader *
iwb_loader_new (IwbPython *python)
{
  g_return_val_if_fail (IWB_IS_PYTHON (python), NULL);

  return g_object_new (IWB_TYPE_LOADER, "python", python, NULL);
}

/**
 * iwb_loader_get_python:
 *
 * Returns: (transfer none): the interpreter the loader runs
 */
IwbPython *
iwb_loader_get_python (IwbLoader *self)
{
  g_return_val_if_fail (IWB_IS_LOADER (self), NULL);
  return self->python;
}

/**
 * iwb_loader_set_timeout:
 * @seconds: how long `generate_metadata` may take before it is killed
 *   (default %IWB_LOADER_DEFAULT_TIMEOUT); applies to later loads
 */
void
iwb_loader_set_timeout (IwbLoader *self,
                        guint      seconds)
{
  g_return_if_fail (IWB_IS_LOADER (self));
  g_return_if_fail (seconds > 0);

  seconds = MIN (seconds, G_MAXUINT / 1000);
  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
iwb_loader_get_timeout (IwbLoader *self)
{
  g_return_val_if_fail (IWB_IS_LOADER (self), 0);
  return self->timeout;
}

/* ---- bounded capture -------------------------------------------------- */

static void
append_tail (GString    *tail,
             const char *text,
             gsize       len,
             gsize       cap)
{
  g_string_append_len (tail, text, len);
  if (tail->len > 2 * cap)
    g_string_erase (tail, 0, tail->len - cap);
}

static char *
tail_text (GString *tail,
           gsize    cap)
{
  const char *start = tail->str;
  g_autofree char *valid = NULL;

  if (tail->len > cap)
    {
      start = tail->str + tail->len - cap;
      /* start at a line boundary when there is one */
      if (strchr (start, '\n') != NULL)
        start = strchr (start, '\n') + 1;
    }
  valid = g_utf8_make_valid (start, -1);
  return g_strdup (g_strstrip (valid));
}

static void
on_line (IwbChild       *child,
         IwbChildStream  stream,
         const char     *text,
         gsize           len,
         guint64         dropped,
         gboolean        was_valid,
         gpointer        user_data)
{
  LoadData *data = user_data;

  if (stream == IWB_CHILD_STDERR)
    {
      append_tail (data->stderr_tail, text, MIN (len, STDERR_TAIL), STDERR_TAIL);
      append_tail (data->stderr_tail, "\n", 1, STDERR_TAIL);
      return;
    }
  if (stream != IWB_CHILD_STDOUT)
    return;

  if (data->n_lines++ == 0 && dropped == 0 && g_str_has_prefix (text, FACTS_PREFIX))
    {
      /* The bootstrap's line: printed before any integration code ran. */
      data->facts_out = g_strdup (text + strlen (FACTS_PREFIX));
    }
  else if (dropped == 0 && g_str_has_prefix (text, "[result]"))
    {
      const char *value = text + strlen ("[result]");

      if (*value == ' ')
        value++;
      g_free (data->result);
      data->result = g_strdup (value);
    }
  else
    {
      append_tail (data->stdout_tail, text, MIN (len, STDOUT_TAIL), STDOUT_TAIL);
      append_tail (data->stdout_tail, "\n", 1, STDOUT_TAIL);
    }
}

static void finish (LoadData *data);

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);

  /* Never fails: the outcome says how the child ended. */
  iwb_child_wait_finish (IWB_CHILD (object), result, NULL);
  finish (data);
}

/* ---- turning the outcome into a model or an error ---------------------- */

static char *
display_path (LoadData   *data,
              const char *file)
{
  if (file == NULL)
    return g_strdup (data->path);
  if (g_path_is_absolute (file))
    return g_strdup (file);
  return g_build_filename (data->path, file, NULL);
}

static char *
location (LoadData   *data,
          const char *file,
          guint       line)
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
explain_missing_module (LoadData    *data,
                        JsonObject  *facts,
                        const char  *sdk_message,
                        GString     *out)
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
explain_syntax_error (LoadData   *data,
                      JsonObject *facts,
                      const char *sdk_message,
                      GString    *out)
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
explain_unexpected (LoadData   *data,
                    JsonObject *facts,
                    const char *sdk_error,
                    GString    *out)
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
explain_invalid (LoadData   *data,
                 JsonObject *facts,
                 const char *message,
                 GString    *out)
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
explain_instantiation (LoadData   *data,
                       JsonObject *facts,
                       const char *sdk_error,
                       GString    *out)
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
explain_traceback (LoadData   *data,
                   JsonObject *facts,
                   const char *traceback,
                   GString    *out)
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
explain_error (LoadData   *data,
               JsonObject *facts,
               const char *sdk_error,
               GString    *out)
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

static JsonObject *
parse_facts (LoadData *data)
{
  g_autoptr(JsonNode) root = NULL;

  if (data->facts_out == NULL)
    return NULL;
  root = iwb_json_parse_full (data->facts_out, -1, IWB_JSON_PARSE_DEFAULT, NULL, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static char *
output_hint (LoadData *data)
{
  g_autofree char *err = tail_text (data->stderr_tail, STDERR_TAIL);
  g_autofree char *out = tail_text (data->stdout_tail, STDOUT_TAIL);

  if (err[0] != '\0')
    return g_strdup_printf ("\nLast error output:\n%s", err);
  if (out[0] != '\0')
    return g_strdup_printf ("\nLast output:\n%s", out);
  return g_strdup ("\nIt printed nothing.");
}

static void
finish (LoadData *data)
{
  g_autoptr(GTask) task = g_object_ref (data->task);
  g_autoptr(JsonObject) facts = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hint = NULL;
  g_autofree char *command = NULL;
  const char * const *errors;
  IwbChild *child = data->child;
  IwbChildOutcome outcome = iwb_child_get_outcome (child);

  if (outcome == IWB_CHILD_OUTCOME_CANCELLED)
    {
      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_CANCELLED,
                               "Loading “%s” was cancelled", data->path);
      return;
    }

  hint = output_hint (data);
  command = g_strdup_printf ("cd %s && %s -m lhub_integ.generate_metadata",
                             data->path, data->interpreter);

  if (outcome == IWB_CHILD_OUTCOME_TIMED_OUT)
    {
      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_TIMED_OUT,
                               "%s: loading timed out: generate_metadata did not finish within "
                               "%u s and was killed. Code that runs when the modules are "
                               "imported blocks (a network call, input() or a loop at module "
                               "level?); move it into the action functions, or raise the load "
                               "timeout (Preferences, or iwb --load-timeout S).%s",
                               data->path, data->timeout_seconds, hint);
      return;
    }

  if (data->result == NULL)
    {
      if (outcome != IWB_CHILD_OUTCOME_SIGNALED &&
          strstr (data->stderr_tail->str, "No module named") != NULL &&
          strstr (data->stderr_tail->str, "lhub_integ") != NULL &&
          strstr (data->stderr_tail->str, "Traceback") == NULL)
        g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_MISSING_MODULE,
                                 "%s: %s has no lhub_integ SDK, so it cannot run "
                                 "generate_metadata. Install the SDK for that interpreter (%s "
                                 "-m pip install lhub_integ), or use the workbench's bundled "
                                 "runtime (--sdk bundled, the default).%s",
                                 data->path, data->interpreter, data->interpreter, hint);
      else if (outcome == IWB_CHILD_OUTCOME_SIGNALED)
        {
          int sig = iwb_child_get_term_sig (child);

          g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_CRASHED,
                                   "%s: generate_metadata crashed: killed by signal %d (%s) "
                                   "while importing the integration. The integration or a "
                                   "native module it imports crashed; run “%s” to see it.%s",
                                   data->path, sig, g_strsignal (sig), command, hint);
        }
      else if (iwb_child_get_exit_status (child) != 0)
        g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_CRASHED,
                                 "%s: generate_metadata exited with code %d without printing a "
                                 "result (a module called sys.exit() or os._exit() while being "
                                 "imported, or the interpreter failed). Run “%s” to see the "
                                 "whole output.%s",
                                 data->path, iwb_child_get_exit_status (child), command,
                                 hint);
      else
        g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_NO_RESULT,
                                 "%s: generate_metadata finished without printing a “[result]” "
                                 "line: a module ended the process while being imported "
                                 "(sys.exit(0)?), or the interpreter's lhub_integ is not the "
                                 "SDK (try --sdk bundled). Run “%s” to see the whole output.%s",
                                 data->path, command, hint);
      return;
    }

  integration = iwb_metadata_parse (data->result, data->folder, &error);
  if (integration == NULL)
    {
      g_autofree char *head = g_utf8_make_valid (data->result, MIN (strlen (data->result), 200));

      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                               "%s: generate_metadata printed a “[result]” line that is not "
                               "metadata: %s. The line starts with: %s%s",
                               data->path, error->message, head,
                               strlen (data->result) > 200 ? "…" : "");
      return;
    }

  facts = parse_facts (data);

  errors = iwb_integration_get_errors (integration);
  if (errors[0] != NULL)
    {
      g_autoptr(GString) message = g_string_new (NULL);
      IwbErrorCode code = IWB_ERROR_FAILED;

      for (guint i = 0; errors[i] != NULL; i++)
        {
          IwbErrorCode this_code;

          if (i > 0)
            g_string_append_c (message, '\n');
          this_code = explain_error (data, facts, errors[i], message);
          if (i == 0)
            code = this_code;
        }
      g_task_return_new_error (task, IWB_ERROR, code, "%s", message->str);
      return;
    }

  if (g_list_model_get_n_items (iwb_integration_get_actions (integration)) == 0)
    {
      g_autoptr(GString) message = g_string_new (NULL);

      explain_error (data, facts, "No actions found", message);
      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_NO_ACTIONS, "%s", message->str);
      return;
    }

  {
    g_autoptr(GPtrArray) warnings = iwb_lint_check (integration, facts);

    for (guint i = 0; i < warnings->len; i++)
      iwb_integration_add_warning (integration,
                                   iwb_diagnostic_copy (g_ptr_array_index (warnings, i)));
  }

  g_task_return_pointer (task, g_steal_pointer (&integration), g_object_unref);
}

/* ---- starting --------------------------------------------------------- */

static gboolean
check_folder (GFile   *folder,
              GError **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = g_file_get_path (folder);

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (folder);

      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                   "%s: not a local folder; the integration runs as a local process, so copy "
                   "or mount it locally and open that folder", uri);
      return FALSE;
    }

  info = g_file_query_info (folder, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            NULL, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                     "%s: no such folder; choose the folder that holds the integration's "
                     "main.py", path);
      else
        g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                     "%s: cannot be read (%s); check the path and its permissions",
                     path, local_error->message);
      return FALSE;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_A_FOLDER,
                   "%s: not a folder; an integration is a folder with main.py: choose the "
                   "folder that contains the file", path);
      return FALSE;
    }

  enumerator = g_file_enumerate_children (folder,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                          G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (enumerator == NULL)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                   "%s: cannot list the folder (%s); check its permissions",
                   path, local_error->message);
      return FALSE;
    }
  for (;;)
    {
      GFileInfo *child = NULL;

      if (!g_file_enumerator_iterate (enumerator, &child, NULL, NULL, &local_error))
        {
          g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                       "%s: cannot list the folder (%s); check its permissions",
                       path, local_error->message);
          return FALSE;
        }
      if (child == NULL)
        break;
      if (g_file_info_get_file_type (child) != G_FILE_TYPE_DIRECTORY &&
          g_str_has_suffix (g_file_info_get_name (child), ".py"))
        return TRUE;
    }

  g_set_error (error, IWB_ERROR, IWB_ERROR_NO_PYTHON_FILES,
               "%s: no Python files (*.py) in this folder. An integration keeps its code in "
               "top-level .py files (usually main.py) with @action functions; choose that "
               "folder", path);
  return FALSE;
}

/* After _iwb_facts() (see iwb-lint.c): print the facts, then become
 * `python3 -m lhub_integ.generate_metadata`. The facts are gathered with the
 * folder off sys.path (an integration's ast.py or json.py cannot break them).
 * Standard modules they imported (ast, json) stay loaded, as the SDK imports
 * them anyway, unless the folder has a file or package of the same name:
 * those are dropped, so the integration and the SDK import exactly what they
 * would under `-m`. A failure of the facts costs only the facts.
 * runpy._run_module_as_main is what `-m` itself runs. */
static const char bootstrap_tail[] =
  "def _iwb_boot():\n"
  "    import os, sys\n"
  "    path = sys.path[:]\n"
  "    cwd = os.getcwd()\n"
  "    sys.path[:] = [p for p in path if p not in ('', '.', cwd)]\n"
  "    try:\n"
  "        import runpy\n"
  "        before = set(sys.modules)\n"
  "        try:\n"
  "            text = _iwb_facts()\n"
  "        except Exception:\n"
  "            text = None\n"
  "        def local(name):\n"
  "            top = os.path.join(cwd, name.split('.')[0])\n"
  "            return os.path.exists(top + '.py') or os.path.exists(os.path.join(top, '__init__.py'))\n"
  "        for name in set(sys.modules) - before:\n"
  "            if local(name):\n"
  "                del sys.modules[name]\n"
  "    finally:\n"
  "        sys.path[:] = path\n"
  "    if text is not None:\n"
  "        sys.stdout.write('" FACTS_PREFIX "' + text + '\\n')\n"
  "        sys.stdout.flush()\n"
  "    sys.path[0] = cwd\n"
  "_iwb_boot()\n"
  "del _iwb_boot, _iwb_facts\n"
  "__import__('runpy')._run_module_as_main('lhub_integ.generate_metadata')\n";

static const char *
bootstrap_script (void)
{
  static char *script;

  if (g_once_init_enter (&script))
    g_once_init_leave (&script, g_strconcat (iwb_lint_get_facts_function (), bootstrap_tail, NULL));
  return script;
}

/**
 * iwb_loader_load_async:
 * @folder: the integration folder
 *
 * Loads the integration. Must be called from the main thread (the children
 * die with the thread that spawned them).
 *
 * The error codes (#IWB_ERROR): %IWB_ERROR_NOT_FOUND, %IWB_ERROR_NOT_A_FOLDER,
 * %IWB_ERROR_NO_PYTHON_FILES, %IWB_ERROR_PYTHON_NOT_FOUND, %IWB_ERROR_SYNTAX,
 * %IWB_ERROR_MISSING_MODULE, %IWB_ERROR_INVALID_INTEGRATION,
 * %IWB_ERROR_NO_ACTIONS, %IWB_ERROR_TIMED_OUT, %IWB_ERROR_CRASHED,
 * %IWB_ERROR_NO_RESULT, %IWB_ERROR_INVALID_JSON, %IWB_ERROR_CANCELLED.
 */
void
iwb_loader_load_async (IwbLoader           *self,
                       GFile               *folder,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = NULL;
  const char *interpreter;
  LoadData *data;

  g_return_if_fail (IWB_IS_LOADER (self));
  g_return_if_fail (G_IS_FILE (folder));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, iwb_loader_load_async);
  /* Cancellation is ours to report (IWB_ERROR_CANCELLED, once the children are gone). */
  g_task_set_check_cancellable (task, FALSE);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_autofree char *name = g_file_get_parse_name (folder);

      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_CANCELLED,
                               "Loading “%s” was cancelled", name);
      return;
    }

  if (!check_folder (folder, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  interpreter = iwb_python_resolve (self->python, &error);
  if (interpreter == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (LoadData, 1);
  data->task = task;
  data->folder = g_object_ref (folder);
  data->path = g_file_get_path (folder);
  data->interpreter = g_strdup (interpreter);
  data->stdout_tail = g_string_new (NULL);
  data->stderr_tail = g_string_new (NULL);
  data->timeout_seconds = self->timeout;
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  /* No stdin: an input() at import sees end of file instead of waiting for
   * the terminal. */
  {
    const char *argv[] = { interpreter, "-c", bootstrap_script (), NULL };

    envp = iwb_python_build_environ (self->python, NULL);
    data->child = iwb_child_new (argv, data->path, (const char * const *) envp,
                                 IWB_CHILD_FLAGS_NONE);
  }
  iwb_child_set_line_limit (data->child, MAX_RESULT_LINE);
  iwb_child_set_line_func (data->child, on_line, data);
  /* Millisecond precision: a seconds source may fire up to a second early. */
  iwb_child_set_timeout_ms (data->child, self->timeout * 1000);
  if (!iwb_child_spawn (data->child, &error))
    {
      g_prefix_error (&error, "%s: ", data->path);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  iwb_child_wait_async (data->child, cancellable, wait_cb, g_object_ref (task));
}

/**
 * iwb_loader_load_finish:
 *
 * Returns: (transfer full): the integration with its lint warnings, or
 *   %NULL with @error set (see iwb_loader_load_async() for the codes)
 */
IwbIntegration *
iwb_loader_load_finish (IwbLoader     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (IWB_IS_LOADER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == iwb_loader_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

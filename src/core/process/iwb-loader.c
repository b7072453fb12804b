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

#include <glib/gi18n.h>

#include <stdio.h>
#include <string.h>

#include "iwb-child.h"
#include "iwb-error.h"
#include "iwb-json.h"
#include "iwb-lint.h"
#include "iwb-load-error.h"
#include "iwb-loader.h"
#include "iwb-loader-cache.h"
#include "iwb-loader-private.h"
#include "iwb-metadata.h"

/* Bounds of what is kept from the children. */
#define MAX_RESULT_LINE  (16 * 1024 * 1024) /* one metadata line */
#define MAX_IMPORT_ERRORS 64                /* _iwb_watch lines kept */
#define MAX_IMPORT_ERROR_LINE (64 * 1024)
#define MAX_IMPORT_ERROR_DEPTH 8            /* its records are flat; a forged line is not */
#define STDOUT_TAIL      (8 * 1024)         /* other stdout lines, for messages */
#define STDERR_TAIL      (16 * 1024)

struct _IwbLoader
{
  GObject    parent_instance;
  IwbPython *python;
  guint      timeout;
  gboolean   use_cache;
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
  IwbChild     *child;         /* generate_metadata; NULL when the cache answered */
  char         *cache_key;     /* NULL: not cached */

  char         *result;        /* text after "[result] " of the last result line */
  GString      *stdout_tail;
  GString      *stderr_tail;
  guint         n_lines;
  char         *facts_out;     /* the bootstrap's first line, after FACTS_PREFIX */
  GPtrArray    *import_errors; /* _iwb_watch's lines, after IWB_LINT_IMPORT_ERROR_PREFIX */
  guint         timeout_seconds;
};

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->child);
  g_free (data->cache_key);
  g_clear_object (&data->folder);
  g_free (data->path);
  g_free (data->interpreter);
  g_free (data->result);
  if (data->stdout_tail != NULL)
    g_string_free (data->stdout_tail, TRUE);
  if (data->stderr_tail != NULL)
    g_string_free (data->stderr_tail, TRUE);
  g_free (data->facts_out);
  g_clear_pointer (&data->import_errors, g_ptr_array_unref);
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

void
iwb_loader_set_use_cache (IwbLoader *self,
                          gboolean   use_cache)
{
  g_return_if_fail (IWB_IS_LOADER (self));
  self->use_cache = !!use_cache;
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

/* How deeply arrays and objects nest in @text (JSON), strings skipped: a
 * line the integration forged must not take the parser's recursion deep. */
static guint
json_nesting (const char *text)
{
  guint depth = 0, max = 0;
  gboolean in_string = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '[' || *p == '{')
        {
          depth++;
          max = MAX (max, depth);
        }
      else if ((*p == ']' || *p == '}') && depth > 0)
        depth--;
    }
  return max;
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
  else if (dropped == 0 && g_str_has_prefix (text, IWB_LINT_IMPORT_ERROR_PREFIX))
    {
      /* Where the import of a module raised (see _iwb_watch in iwb-lint-scripts.c). */
      if (data->import_errors->len < MAX_IMPORT_ERRORS &&
          len <= MAX_IMPORT_ERROR_LINE &&
          json_nesting (text) <= MAX_IMPORT_ERROR_DEPTH)
        g_ptr_array_add (data->import_errors,
                         g_strdup (text + strlen (IWB_LINT_IMPORT_ERROR_PREFIX)));
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

/* The bootstrap's facts, with _iwb_watch's lines as "import_errors". */
static JsonObject *
parse_facts (LoadData *data)
{
  g_autoptr(JsonObject) facts = NULL;
  g_autoptr(JsonArray) import_errors = json_array_new ();

  if (data->facts_out != NULL)
    {
      g_autoptr(JsonNode) root = iwb_json_parse_full (data->facts_out, -1, 0, NULL, NULL);

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        facts = json_object_ref (json_node_get_object (root));
    }

  for (guint i = 0; i < data->import_errors->len; i++)
    {
      g_autoptr(JsonNode) root = iwb_json_parse_full (g_ptr_array_index (data->import_errors, i),
                                                      -1, 0, NULL, NULL);

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        json_array_add_element (import_errors, g_steal_pointer (&root));
    }
  if (json_array_get_length (import_errors) == 0)
    return g_steal_pointer (&facts);
  if (facts == NULL)
    facts = json_object_new ();
  json_object_set_array_member (facts, "import_errors", g_steal_pointer (&import_errors));
  return g_steal_pointer (&facts);
}

static char *
output_hint (LoadData *data)
{
  g_autofree char *err = tail_text (data->stderr_tail, STDERR_TAIL);
  g_autofree char *out = tail_text (data->stdout_tail, STDOUT_TAIL);

  if (err[0] != '\0')
    return g_strdup_printf (_("\nLast error output:\n%s"), err);
  if (out[0] != '\0')
    return g_strdup_printf (_("\nLast output:\n%s"), out);
  return g_strdup (_("\nIt printed nothing."));
}

/* Where the integration's own code was when a timeout stopped it: the
 * innermost frame in the folder of the stack the bootstrap dumps on SIGTERM
 * (faulthandler: '  File "PATH", line N in FUNC', most recent call first),
 * and the outermost (the import in the integration that led there), as
 * " It was at helper.py:5 (in _connect), imported from main.py:6." or "". */
static char *
timeout_location (LoadData *data)
{
  g_autofree char *real = g_canonicalize_filename (data->path, NULL);
  g_autofree char *prefix = g_str_has_suffix (real, "/") ? g_strdup (real)
                                                         : g_strconcat (real, "/", NULL);
  g_auto(GStrv) lines = g_strsplit (data->stderr_tail->str, "\n", -1);
  g_autofree char *inner = NULL;
  g_autofree char *outer = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = g_strstrip (lines[i]);
      const char *end;
      g_autofree char *path = NULL;
      g_autofree char *where = NULL;
      guint line = 0;
      char func[128] = "";

      if (g_str_has_prefix (l, "Current thread ") && inner != NULL)
        break; /* one thread: the one that was running */
      if (!g_str_has_prefix (l, "File \"") || (end = strstr (l + 6, "\", line ")) == NULL)
        continue;
      path = g_strndup (l + 6, end - (l + 6));
      if (!g_str_has_prefix (path, prefix) ||
          sscanf (end + 8, "%u in %127s", &line, func) < 1)
        continue;
      where = g_strdup_printf ("%s:%u", path + strlen (prefix), line);
      if (inner == NULL)
        inner = func[0] != '\0' && g_strcmp0 (func, "<module>") != 0
                  ? g_strdup_printf (_("%s (in %s)"), where, func)
                  : g_strdup (where);
      g_free (outer);
      outer = g_steal_pointer (&where);
    }
  if (inner == NULL)
    return g_strdup ("");
  if (g_str_has_prefix (inner, outer) && (inner[strlen (outer)] == '\0' ||
                                          inner[strlen (outer)] == ' '))
    return g_strdup_printf (_(" It was at %s when it was stopped."), inner);
  return g_strdup_printf (_(" It was at %s, imported from %s, when it was stopped."),
                          inner, outer);
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
  /* No child: the cache answered with what a successful load printed. */
  IwbChildOutcome outcome = child ? iwb_child_get_outcome (child) : IWB_CHILD_OUTCOME_EXITED;

  if (outcome == IWB_CHILD_OUTCOME_CANCELLED)
    {
      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_CANCELLED,
                               _("Loading “%s” was cancelled"), data->path);
      return;
    }

  hint = output_hint (data);
  facts = parse_facts (data);
  command = g_strdup_printf ("cd %s && %s -m lhub_integ.generate_metadata",
                             data->path, data->interpreter);

  if (outcome == IWB_CHILD_OUTCOME_TIMED_OUT)
    {
      g_autofree char *location = timeout_location (data);

      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_TIMED_OUT,
                               _("%s: loading timed out: generate_metadata did not finish within "
                               "%u s and was killed.%s Code that runs when the modules are "
                               "imported blocks (a network call, input() or a loop at module "
                               "level?); move it into the action functions, or raise the load "
                               "timeout (Preferences, or iwb --load-timeout S).%s"),
                               data->path, data->timeout_seconds, location, hint);
      return;
    }

  if (data->result == NULL)
    {
      if (outcome != IWB_CHILD_OUTCOME_SIGNALED &&
          strstr (data->stderr_tail->str, "No module named") != NULL &&
          strstr (data->stderr_tail->str, "lhub_integ") != NULL &&
          strstr (data->stderr_tail->str, "Traceback") == NULL)
        g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_MISSING_MODULE,
                                 _("%s: %s has no lhub_integ SDK, so it cannot run "
                                 "generate_metadata. Install the SDK for that interpreter (%s "
                                 "-m pip install lhub_integ), or use the workbench's bundled "
                                 "runtime (--sdk bundled, the default).%s"),
                                 data->path, data->interpreter, data->interpreter, hint);
      else if (outcome == IWB_CHILD_OUTCOME_SIGNALED)
        {
          int sig = iwb_child_get_term_sig (child);

          g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_CRASHED,
                                   _("%s: generate_metadata crashed: killed by signal %d (%s) "
                                   "while importing the integration. The integration or a "
                                   "native module it imports crashed; run “%s” to see it.%s"),
                                   data->path, sig, g_strsignal (sig), command, hint);
        }
      else if (child != NULL && iwb_child_get_exit_status (child) != 0)
        {
          g_autofree char *site = iwb_load_error_exit_site (data->path, facts);

          if (site != NULL)
            g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_CRASHED,
                                     _("%s: generate_metadata exited with code %d without "
                                     "printing a result: a module called sys.exit() while being "
                                     "imported, at %s. Code at the top level of a module runs "
                                     "when it is imported; do not end the process there. Run "
                                     "“%s” to see the whole output.%s"),
                                     data->path, iwb_child_get_exit_status (child), site,
                                     command, hint);
          else
            g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_CRASHED,
                                     _("%s: generate_metadata exited with code %d without "
                                     "printing a result (a module called sys.exit() or "
                                     "os._exit() while being imported, or the interpreter "
                                     "failed). Run “%s” to see the whole output.%s"),
                                     data->path, iwb_child_get_exit_status (child), command,
                                     hint);
        }
      else
        g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_NO_RESULT,
                                 _("%s: generate_metadata finished without printing a “[result]” "
                                 "line: a module ended the process while being imported "
                                 "(sys.exit(0)?), or the interpreter's lhub_integ is not the "
                                 "SDK (try --sdk bundled). Run “%s” to see the whole output.%s"),
                                 data->path, command, hint);
      return;
    }

  integration = iwb_metadata_parse (data->result, data->folder, &error);
  if (integration == NULL)
    {
      g_autofree char *head = g_utf8_make_valid (data->result, MIN (strlen (data->result), 200));
      g_autofree char *status = NULL;

      /* how it ended says whether the line was the SDK's at all */
      if (child == NULL)
        status = g_strdup ("it came from the metadata cache (set IWB_NO_METADATA_CACHE=1)");
      else if (outcome == IWB_CHILD_OUTCOME_SIGNALED)
        status = g_strdup_printf (_("it was then killed by signal %d (%s)"),
                                  iwb_child_get_term_sig (child),
                                  g_strsignal (iwb_child_get_term_sig (child)));
      else
        status = g_strdup_printf (_("it then exited with code %d"),
                                  iwb_child_get_exit_status (child));
      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                               _("%s: generate_metadata printed a “[result]” line that is not "
                               "metadata: %s; %s. The line starts with: %s%s"),
                               data->path, error->message, status, head,
                               strlen (data->result) > 200 ? "…" : "");
      return;
    }

  errors = iwb_integration_get_errors (integration);
  if (errors[0] != NULL)
    {
      g_autoptr(GString) message = g_string_new (NULL);
      IwbErrorCode code = IWB_ERROR_FAILED;

      code = iwb_load_error_explain_all (data->path, data->interpreter, facts, errors, message);
      g_task_return_new_error (task, IWB_ERROR, code, "%s", message->str);
      return;
    }

  if (g_list_model_get_n_items (iwb_integration_get_actions (integration)) == 0)
    {
      g_autoptr(GString) message = g_string_new (NULL);

      iwb_load_error_explain (data->path, data->interpreter, facts, "No actions found",
                              message);
      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_NO_ACTIONS, "%s", message->str);
      return;
    }

  {
    g_autoptr(GPtrArray) warnings = iwb_lint_check (integration, facts);

    for (guint i = 0; i < warnings->len; i++)
      iwb_integration_add_warning (integration,
                                   iwb_diagnostic_copy (g_ptr_array_index (warnings, i)));
  }

  /* Kept only when the facts line and the result say everything: a load
   * that recorded import errors (facts of their own) imports again. */
  if (data->cache_key != NULL && child != NULL && data->result != NULL &&
      data->import_errors->len == 0)
    _iwb_loader_cache_write (data->cache_key, data->facts_out, data->result);
  g_task_return_pointer (task, g_steal_pointer (&integration), g_object_unref);
}

/* ---- starting --------------------------------------------------------- */

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
                               _("Loading “%s” was cancelled"), name);
      return;
    }

  if (!_iwb_loader_check_folder (folder, &error))
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
  data->import_errors = g_ptr_array_new_with_free_func (g_free);
  data->timeout_seconds = self->timeout;
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  if (self->use_cache && g_getenv ("IWB_NO_METADATA_CACHE") == NULL)
    {
      data->cache_key = _iwb_loader_cache_key (self->python, interpreter, data->path);
      if (data->cache_key != NULL &&
          _iwb_loader_cache_read (data->cache_key, &data->facts_out, &data->result))
        {
          finish (data);
          return;
        }
    }

  /* No stdin: an input() at import sees end of file instead of waiting for
   * the terminal. */
  {
    const char *argv[] = { interpreter, "-c", _iwb_loader_bootstrap_script (), NULL };

    envp = iwb_python_build_environ (self->python, NULL);
    iwb_python_forget_stale_bytecode (data->path);
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

/**
 * iwb_loader_dup_result_text:
 * @result: the #GAsyncResult given to iwb_loader_load_async()'s callback
 *
 * What generate_metadata printed as its result, whether loading succeeded
 * or not: when a module of the integration fails to import, the SDK still
 * prints its metadata, with "ok": false and the reason in "errors", while
 * iwb_loader_load_finish() reports an explained error. `iwb inspect --format
 * metadata` prints this text, byte for byte.
 *
 * Returns: (transfer full) (nullable): the text after “[result] ” of the
 *   last result line, or %NULL when there was none, or loading timed out or
 *   was cancelled (then the SDK would not have finished either)
 */
char *
iwb_loader_dup_result_text (IwbLoader    *self,
                            GAsyncResult *result)
{
  LoadData *data;

  g_return_val_if_fail (IWB_IS_LOADER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == iwb_loader_load_async, NULL);

  data = g_task_get_task_data (G_TASK (result));
  /* No child: the metadata cache answered with a successful load's text. */
  if (data == NULL ||
      (data->child != NULL &&
       (iwb_child_get_outcome (data->child) == IWB_CHILD_OUTCOME_TIMED_OUT ||
        iwb_child_get_outcome (data->child) == IWB_CHILD_OUTCOME_CANCELLED)))
    return NULL;
  return g_strdup (data->result);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRun: one shim_validate / shim_exec child, driven like the platform.
 *
 * Life of a run: check the values locally (iwb-coerce), build the child's
 * environment from the descriptor, spawn it in its own process group, write
 * the input rows to its stdin asynchronously, split stdout and stderr into
 * bounded lines as they arrive and turn them into IwbRunEvents, and finish
 * once the child exited and both pipes reached EOF. A timeout or a cancel
 * kills the whole group; when the leader exits, whatever it left behind in
 * its group is killed too, so nothing outlives a run.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "iwb-coerce.h"
#include "iwb-error.h"
#include "iwb-input-rows.h"
#include "iwb-result-parser.h"
#include "iwb-run.h"

#define READ_CHUNK        (64 * 1024)
#define WRITE_CHUNK       (256 * 1024)
#define EOF_GRACE_MS      2000
#define READ_COALESCE_MS  4
#define MAX_PAYLOADS      1000
#define MAX_FILES_LISTED  1000
#define TRUNCATION_MARKER " […truncated: %" G_GUINT64_FORMAT " more bytes]"

typedef struct _LineReader LineReader;

struct _LineReader
{
  IwbRun        *run;          /* unowned */
  const char    *stream_name;  /* "stdout" / "stderr" */
  GInputStream  *stream;
  guint8        *buf;
  GString       *line;
  guint64        dropped;      /* bytes dropped from the current line */
  gboolean       eof;
};

struct _IwbRun
{
  GObject          parent_instance;

  IwbPython       *python;
  GFile           *folder;
  JsonNode        *descriptor;
  IwbRunOperation  operation;
  char            *entrypoint;

  GHashTable      *values;       /* id -> text */
  GHashTable      *mappings;     /* arg id -> column or template text (may be "") */
  GHashTable      *extra_env;
  GPtrArray       *rows;         /* JsonObject* */
  GBytes          *raw_rows;     /* or: JSON Lines text ... */
  GArray          *raw_spans;    /* ... and one IwbRowSpan per row */
  guint            timeout;
  gboolean         ssl_verify;
  gboolean         has_window;
  gint64           window_start_ms;
  gint64           window_end_ms;
  char            *files_dir;
  char            *run_dir;
  gsize            result_limit;
  gboolean         spill_results;
  gsize            line_limit;

  /* running state */
  GTask           *task;
  GSubprocess     *subprocess;
  GPid             pid;
  gint64           start_us;
  GCancellable    *io_cancellable;
  GSource         *timeout_source;
  GSource         *cancel_source;
  GSource         *grace_source;
  LineReader       readers[2];
  GOutputStream   *stdin_stream;
  guint            next_row;
  GPtrArray       *row_ids;      /* char* JSON text of each row's lhub_id, NULL if the row has its own */
  GHashTable      *id_to_row;    /* JSON text of an lhub_id -> JsonObject* (unowned) */
  gboolean         sequential_ids; /* no row has its own lhub_id: row i gets i + 1 */
  gboolean         writer_done;
  gboolean         child_exited;
  gboolean         timed_out;
  gboolean         cancelled;
  gboolean         running;
  gboolean         finished;
  int              wait_status;
  gboolean         stdin_closed_early;
  GHashTable      *files_before; /* relative path -> "size:mtime" */


  /* results */
  IwbRunCounts     counts;
  gboolean         saw_reported_error;
  GPtrArray       *results;      /* IwbRunEvent* */
  gsize            results_bytes;
  FILE            *spill;
  char            *spill_path;
  GPtrArray       *field_errors;
  GPtrArray       *payloads;     /* JsonNode* */
  JsonNode        *overrides;
  GPtrArray       *files;        /* char* */
  IwbRunEvent     *finished_event;
  IwbRunStatus     status;
  int              exit_code;
};

G_DEFINE_FINAL_TYPE (IwbRun, iwb_run, G_TYPE_OBJECT)

enum {
  SIGNAL_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void reader_arm (LineReader *reader);
static gboolean reader_rearm_cb (gpointer user_data);

static void
iwb_run_dispose (GObject *object)
{
  IwbRun *self = IWB_RUN (object);

  /* A run dropped while its child lives must not leave the child behind. */
  if (self->pid > 0 && self->running)
    iwb_kill_process_group (self->pid);
  if (self->io_cancellable)
    g_cancellable_cancel (self->io_cancellable);
  if (self->timeout_source)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }
  if (self->cancel_source)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }
  if (self->grace_source)
    {
      g_source_destroy (self->grace_source);
      g_clear_pointer (&self->grace_source, g_source_unref);
    }

  G_OBJECT_CLASS (iwb_run_parent_class)->dispose (object);
}

static void
iwb_run_finalize (GObject *object)
{
  IwbRun *self = IWB_RUN (object);

  g_clear_object (&self->python);
  g_clear_object (&self->folder);
  g_clear_pointer (&self->descriptor, json_node_unref);
  g_free (self->entrypoint);
  g_hash_table_unref (self->values);
  g_hash_table_unref (self->mappings);
  g_hash_table_unref (self->extra_env);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->raw_rows, g_bytes_unref);
  g_clear_pointer (&self->raw_spans, g_array_unref);
  g_free (self->files_dir);
  g_free (self->run_dir);
  g_clear_object (&self->task);
  g_clear_object (&self->subprocess);
  g_clear_object (&self->io_cancellable);
  for (guint i = 0; i < 2; i++)
    {
      g_clear_object (&self->readers[i].stream);
      g_free (self->readers[i].buf);
      if (self->readers[i].line)
        g_string_free (self->readers[i].line, TRUE);
    }
  g_clear_object (&self->stdin_stream);
  g_clear_pointer (&self->row_ids, g_ptr_array_unref);
  g_clear_pointer (&self->id_to_row, g_hash_table_unref);
  g_clear_pointer (&self->files_before, g_hash_table_unref);
  g_ptr_array_unref (self->results);
  if (self->spill)
    fclose (self->spill);
  g_free (self->spill_path);
  g_ptr_array_unref (self->field_errors);
  g_ptr_array_unref (self->payloads);
  g_clear_pointer (&self->overrides, json_node_unref);
  g_ptr_array_unref (self->files);
  g_clear_object (&self->finished_event);

  G_OBJECT_CLASS (iwb_run_parent_class)->finalize (object);
}

static void
iwb_run_class_init (IwbRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = iwb_run_dispose;
  object_class->finalize = iwb_run_finalize;

  /**
   * IwbRun::event:
   * @event: the IwbRunEvent
   *
   * Emitted for everything that happens, in order; the last one is FINISHED.
   */
  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, IWB_TYPE_RUN_EVENT);

  /* A child that closes its stdin must cost an EPIPE on our write, never
   * the whole process. */
  signal (SIGPIPE, SIG_IGN);
}

static void
iwb_run_init (IwbRun *self)
{
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->mappings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->extra_env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->timeout = IWB_RUN_DEFAULT_TIMEOUT;
  self->ssl_verify = TRUE;
  self->result_limit = IWB_RUN_DEFAULT_RESULT_LIMIT;
  self->spill_results = TRUE;
  self->line_limit = IWB_RUN_DEFAULT_LINE_LIMIT;
  self->results = g_ptr_array_new_with_free_func (g_object_unref);
  self->field_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_field_error_free);
  self->payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  self->files = g_ptr_array_new_with_free_func (g_free);
  self->status = IWB_RUN_STATUS_FAILED;
  self->exit_code = -1;
}

/**
 * iwb_run_new:
 * @python: the interpreter and SDK choice
 * @folder: the integration folder (the child's working directory)
 * @descriptor: the (effective) platform descriptor; a reference is taken
 * @operation: what to run
 * @entrypoint: (nullable): the action's entrypoint; %NULL for a connection validation
 */
IwbRun *
iwb_run_new (IwbPython       *python,
             GFile           *folder,
             JsonNode        *descriptor,
             IwbRunOperation  operation,
             const char      *entrypoint)
{
  IwbRun *self;

  g_return_val_if_fail (IWB_IS_PYTHON (python), NULL);
  g_return_val_if_fail (G_IS_FILE (folder), NULL);
  g_return_val_if_fail (descriptor != NULL, NULL);

  self = g_object_new (IWB_TYPE_RUN, NULL);
  self->python = g_object_ref (python);
  self->folder = g_object_ref (folder);
  self->descriptor = json_node_ref (descriptor);
  self->operation = operation;
  self->entrypoint = g_strdup (entrypoint);
  return self;
}

void
iwb_run_set_value (IwbRun     *self,
                   const char *id,
                   const char *text)
{
  g_return_if_fail (IWB_IS_RUN (self));
  g_return_if_fail (id != NULL);

  if (text == NULL || text[0] == '\0')
    g_hash_table_remove (self->values, id);
  else
    g_hash_table_insert (self->values, g_strdup (id), g_strdup (text));
}

void
iwb_run_set_mapping (IwbRun     *self,
                     const char *arg_id,
                     const char *column_or_template)
{
  g_return_if_fail (IWB_IS_RUN (self));
  g_return_if_fail (arg_id != NULL);

  /* "" is remembered: an explicit "no column" beats the default mapping. */
  g_hash_table_insert (self->mappings, g_strdup (arg_id),
                       g_strdup (column_or_template ? column_or_template : ""));
}

void
iwb_run_set_rows (IwbRun    *self,
                  GPtrArray *rows)
{
  g_return_if_fail (IWB_IS_RUN (self));

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->raw_rows, g_bytes_unref);
  g_clear_pointer (&self->raw_spans, g_array_unref);
  if (rows != NULL)
    {
      self->rows = g_ptr_array_new_full (rows->len, (GDestroyNotify) json_object_unref);
      for (guint i = 0; i < rows->len; i++)
        g_ptr_array_add (self->rows, json_object_ref (rows->pdata[i]));
    }
}

static guint
n_rows (IwbRun *self)
{
  if (self->rows != NULL)
    return self->rows->len;
  if (self->raw_spans != NULL)
    return self->raw_spans->len;
  return 0;
}

/* (transfer full) the input row @index as an object */
static JsonObject *
row_object (IwbRun *self,
            guint   index)
{
  if (self->rows != NULL)
    return json_object_ref (self->rows->pdata[index]);
  else
    {
      const IwbRowSpan *span = &g_array_index (self->raw_spans, IwbRowSpan, index);
      const char *data = g_bytes_get_data (self->raw_rows, NULL);
      g_autoptr(JsonNode) node = iwb_json_parse (data + span->offset, span->length, NULL);

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      return json_object_ref (json_node_get_object (node));
    }
}

void
iwb_run_set_rows_jsonl (IwbRun   *self,
                        GBytes   *data,
                        GArray   *spans,
                        gboolean  any_lhub_id)
{
  g_return_if_fail (IWB_IS_RUN (self));
  g_return_if_fail (data != NULL && spans != NULL);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->raw_rows, g_bytes_unref);
  g_clear_pointer (&self->raw_spans, g_array_unref);
  self->raw_rows = g_bytes_ref (data);
  self->raw_spans = g_array_ref (spans);
  if (any_lhub_id)
    {
      GPtrArray *rows = g_ptr_array_new_full (spans->len, (GDestroyNotify) json_object_unref);

      for (guint i = 0; i < spans->len; i++)
        {
          JsonObject *row = row_object (self, i);

          g_ptr_array_add (rows, row ? row : json_object_new ());
        }
      g_clear_pointer (&self->raw_rows, g_bytes_unref);
      g_clear_pointer (&self->raw_spans, g_array_unref);
      self->rows = rows;
    }
}

void
iwb_run_set_timeout (IwbRun *self,
                     guint   seconds)
{
  g_return_if_fail (IWB_IS_RUN (self));
  self->timeout = seconds;
}

void
iwb_run_set_ssl_verify (IwbRun   *self,
                        gboolean  verify)
{
  g_return_if_fail (IWB_IS_RUN (self));
  self->ssl_verify = !!verify;
}

void
iwb_run_set_batch_window (IwbRun *self,
                          gint64  start_ms,
                          gint64  end_ms)
{
  g_return_if_fail (IWB_IS_RUN (self));
  self->has_window = TRUE;
  self->window_start_ms = start_ms;
  self->window_end_ms = end_ms;
}

void
iwb_run_set_files_dir (IwbRun     *self,
                       const char *path)
{
  g_return_if_fail (IWB_IS_RUN (self));
  g_free (self->files_dir);
  self->files_dir = g_strdup (path);
}

void
iwb_run_set_result_memory_limit (IwbRun *self,
                                 gsize   bytes)
{
  g_return_if_fail (IWB_IS_RUN (self));
  self->result_limit = bytes;
}

void
iwb_run_set_spill_results (IwbRun   *self,
                           gboolean  spill)
{
  g_return_if_fail (IWB_IS_RUN (self));
  self->spill_results = !!spill;
}

void
iwb_run_set_line_limit (IwbRun *self,
                        gsize   bytes)
{
  g_return_if_fail (IWB_IS_RUN (self));
  self->line_limit = MAX (bytes, 256);
}

void
iwb_run_set_run_dir (IwbRun     *self,
                     const char *path)
{
  g_return_if_fail (IWB_IS_RUN (self));
  g_free (self->run_dir);
  self->run_dir = g_strdup (path);
}

void
iwb_run_set_env (IwbRun     *self,
                 const char *name,
                 const char *value)
{
  g_return_if_fail (IWB_IS_RUN (self));
  g_return_if_fail (name != NULL);

  if (value == NULL)
    g_hash_table_remove (self->extra_env, name);
  else
    g_hash_table_insert (self->extra_env, g_strdup (name), g_strdup (value));
}

/* ---------------------------------------------------------------------- */
/* Descriptor helpers                                                     */

static JsonArray *
descriptor_connection_inputs (IwbRun *self)
{
  JsonObject *root;
  JsonNode *conn;
  JsonNode *inputs;

  if (!JSON_NODE_HOLDS_OBJECT (self->descriptor))
    return NULL;
  root = json_node_get_object (self->descriptor);
  conn = json_object_get_member (root, "connection");
  if (conn == NULL || !JSON_NODE_HOLDS_OBJECT (conn))
    return NULL;
  inputs = json_object_get_member (json_node_get_object (conn), "inputs");
  if (inputs == NULL || !JSON_NODE_HOLDS_ARRAY (inputs))
    return NULL;
  return json_node_get_array (inputs);
}

static const char *
obj_string (JsonObject *obj,
            const char *member)
{
  JsonNode *n = json_object_get_member (obj, member);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static JsonObject *
descriptor_find_action (IwbRun *self)
{
  JsonObject *root;
  JsonNode *actions;
  JsonArray *array;

  if (self->entrypoint == NULL || !JSON_NODE_HOLDS_OBJECT (self->descriptor))
    return NULL;
  root = json_node_get_object (self->descriptor);
  actions = json_object_get_member (root, "actions");
  if (actions == NULL || !JSON_NODE_HOLDS_ARRAY (actions))
    return NULL;
  array = json_node_get_array (actions);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *a = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (a) &&
          g_strcmp0 (obj_string (json_node_get_object (a), "entrypoint"), self->entrypoint) == 0)
        return json_node_get_object (a);
    }
  return NULL;
}

static JsonArray *
action_inputs (JsonObject *action)
{
  JsonNode *inst;
  JsonNode *steps;
  JsonNode *step;
  JsonNode *inputs;

  if (action == NULL)
    return NULL;
  inst = json_object_get_member (action, "instantiation");
  if (inst == NULL || !JSON_NODE_HOLDS_OBJECT (inst))
    return NULL;
  steps = json_object_get_member (json_node_get_object (inst), "steps");
  if (steps == NULL || !JSON_NODE_HOLDS_ARRAY (steps) ||
      json_array_get_length (json_node_get_array (steps)) == 0)
    return NULL;
  step = json_array_get_element (json_node_get_array (steps), 0);
  if (!JSON_NODE_HOLDS_OBJECT (step))
    return NULL;
  inputs = json_object_get_member (json_node_get_object (step), "inputs");
  if (inputs == NULL || !JSON_NODE_HOLDS_ARRAY (inputs))
    return NULL;
  return json_node_get_array (inputs);
}

static const char *
input_source (JsonObject *input,
              gboolean    connection)
{
  const char *source = obj_string (input, "source");

  if (source == NULL)
    return connection ? "connection" : "param";
  return source;
}

static gboolean
input_optional (JsonObject *input)
{
  JsonNode *n = json_object_get_member (input, "optional");

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) &&
         json_node_get_value_type (n) == G_TYPE_BOOLEAN && json_node_get_boolean (n);
}

static gboolean
any_row_has_column (IwbRun     *self,
                    const char *column)
{
  guint n = n_rows (self);

  if (n == 0)
    return TRUE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) row = row_object (self, i);

      if (row != NULL && json_object_has_member (row, column))
        return TRUE;
    }
  return FALSE;
}

/* The `___<id>` value of a column/template input, or NULL to leave it unset. */
static const char *
mapping_for (IwbRun     *self,
             JsonObject *input)
{
  const char *id = obj_string (input, "id");
  const char *source = input_source (input, FALSE);
  const char *mapped;

  if (id == NULL)
    return NULL;
  mapped = g_hash_table_lookup (self->mappings, id);
  if (mapped != NULL)
    return mapped[0] != '\0' ? mapped : NULL;
  if (g_strcmp0 (source, "template") == 0)
    return NULL;
  /* --map defaults each argument to the column of the same name; an
   * optional one only when the rows have that column. */
  if (!input_optional (input) || any_row_has_column (self, id))
    return id;
  return NULL;
}

static gboolean
operation_uses_action (IwbRun *self)
{
  return self->operation == IWB_RUN_VALIDATE_ACTION || self->operation == IWB_RUN_EXECUTE;
}

static void
check_inputs (IwbRun     *self,
              JsonArray  *inputs,
              gboolean    connection,
              GPtrArray  *errors)
{
  if (inputs == NULL)
    return;

  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonNode *n = json_array_get_element (inputs, i);
      JsonObject *input;
      const char *id;
      const char *source;
      g_autofree char *message = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        continue;
      input = json_node_get_object (n);
      id = obj_string (input, "id");
      if (id == NULL)
        continue;
      source = input_source (input, connection);

      if (g_strcmp0 (source, "column") == 0 || g_strcmp0 (source, "template") == 0)
        {
          g_autofree char *env_id = g_strconcat ("___", id, NULL);

          if (!iwb_coerce_input (input, mapping_for (self, input), NULL, &message))
            g_ptr_array_add (errors, iwb_field_error_new (env_id, message));
        }
      else if (!iwb_coerce_input (input, g_hash_table_lookup (self->values, id), NULL, &message))
        g_ptr_array_add (errors, iwb_field_error_new (id, message));
    }
}

GPtrArray *
iwb_run_check (IwbRun *self)
{
  GPtrArray *errors = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_field_error_free);

  g_return_val_if_fail (IWB_IS_RUN (self), errors);

  check_inputs (self, descriptor_connection_inputs (self), TRUE, errors);
  if (operation_uses_action (self))
    {
      JsonObject *action = descriptor_find_action (self);

      if (action == NULL)
        {
          g_autofree char *msg =
            g_strdup_printf ("The descriptor has no action with entrypoint “%s”; "
                             "reload the integration or pick an existing action",
                             self->entrypoint ? self->entrypoint : "(none)");
          g_ptr_array_add (errors, iwb_field_error_new (NULL, msg));
        }
      else
        check_inputs (self, action_inputs (action), FALSE, errors);
    }
  return errors;
}

/* ---------------------------------------------------------------------- */
/* Accessors                                                              */

IwbRunOperation
iwb_run_get_operation (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), 0);
  return self->operation;
}

const char *
iwb_run_get_entrypoint (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), NULL);
  return self->entrypoint;
}

JsonNode *
iwb_run_get_descriptor (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), NULL);
  return self->descriptor;
}

gboolean
iwb_run_is_running (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), FALSE);
  return self->running;
}

IwbRunStatus
iwb_run_get_status (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), IWB_RUN_STATUS_FAILED);
  return self->status;
}

int
iwb_run_get_exit_code (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), -1);
  return self->exit_code;
}

const IwbRunCounts *
iwb_run_get_counts (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), NULL);
  return &self->counts;
}

IwbRunEvent *
iwb_run_get_finished_event (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), NULL);
  return self->finished_event;
}

GPtrArray *
iwb_run_get_results (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), NULL);
  return self->results;
}

const char *
iwb_run_get_spill_path (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), NULL);
  return self->spill_path;
}

GPtrArray *
iwb_run_get_field_errors (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), NULL);
  return self->field_errors;
}

GPtrArray *
iwb_run_get_result_payloads (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), NULL);
  return self->payloads;
}

JsonNode *
iwb_run_get_overrides (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), NULL);
  return self->overrides;
}

GPtrArray *
iwb_run_get_files (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), NULL);
  return self->files;
}

const char *
iwb_run_get_files_dir (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), NULL);
  return self->files_dir;
}

char *
iwb_run_default_files_dir (GFile *folder)
{
  g_autofree char *path = g_file_get_path (folder);
  g_autofree char *canon = g_canonicalize_filename (path ? path : g_file_peek_path (folder), NULL);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canon, -1);
  g_autofree char *base = g_path_get_basename (canon);
  g_autofree char *leaf = NULL;

  hash[16] = '\0';
  leaf = g_strdup_printf ("%s-%s", base, hash);
  return g_build_filename (g_get_user_data_dir (), "integration-workbench", "files", leaf, NULL);
}

const char *
iwb_run_exit_code_meaning (IwbRunOperation operation,
                           int             exit_code)
{
  switch (exit_code)
    {
    case 0:
      if (operation == IWB_RUN_EXECUTE)
        return "Exit 0: the action ran to the end (errors of single rows, if any, are reported per row)";
      return "Exit 0: validation passed";
    case 1:
      return "Exit 1: the integration reported errors: validation failed, a required parameter "
             "or column mapping is missing, the connection validator raised, or the code raised "
             "an uncaught exception";
    case 2:
      return "Exit 2: hard failure: the integration could not be imported, the entrypoint is "
             "malformed, the execution type is invalid, or a validator broke its contract";
    case 241:
      return "Exit 241: the platform's timeout (the action was killed because it took too long)";
    default:
      return "unexpected exit code: the SDK only uses 0, 1 and 2; the integration ended "
             "its process itself (sys.exit or os._exit)";
    }
}

/* ---------------------------------------------------------------------- */
/* Events                                                                 */

static gint64
run_time (IwbRun *self)
{
  return g_get_monotonic_time () - self->start_us;
}

static void
emit (IwbRun      *self,
      IwbRunEvent *event)
{
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, event);
}

static void
emit_warning (IwbRun     *self,
              const char *format,
              ...) G_GNUC_PRINTF (2, 3);

static void
emit_warning (IwbRun     *self,
              const char *format,
              ...)
{
  g_autofree char *text = NULL;
  g_autoptr(IwbRunEvent) event = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  event = iwb_run_event_new_text (IWB_RUN_EVENT_WARNING, run_time (self), NULL, text, FALSE);
  emit (self, event);
}

static const char *
ensure_run_dir (IwbRun *self)
{
  if (self->run_dir == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
      g_autofree char *leaf = g_strdup_printf ("%s-%d-%08x", stamp, (int) getpid (),
                                               g_random_int ());

      self->run_dir = g_build_filename (g_get_user_cache_dir (), "integration-workbench",
                                        "runs", leaf, NULL);
    }
  g_mkdir_with_parents (self->run_dir, 0700);
  return self->run_dir;
}

static void
store_result (IwbRun      *self,
              IwbRunEvent *event,
              gsize        line_len)
{
  /* What a stored result costs in memory, roughly: the JSON tree (hash
   * tables, nodes) is a few times the text, plus the event object. */
  gsize cost = line_len * 4 + 800; /* measured: ~1 KiB for a 60-byte result line */

  if (self->results_bytes + cost <= self->result_limit)
    {
      self->results_bytes += cost;
      g_ptr_array_add (self->results, g_object_ref (event));
      return;
    }

  if (!self->spill_results)
    {
      self->counts.spilled_results++;
      return;
    }
  if (self->spill == NULL && self->spill_path == NULL)
    {
      self->spill_path = g_build_filename (ensure_run_dir (self), "results.jsonl", NULL);
      self->spill = fopen (self->spill_path, "we");
      if (self->spill == NULL)
        emit_warning (self, "Cannot write the results beyond the memory limit to %s: %s; "
                      "they are shown but not kept", self->spill_path, g_strerror (errno));
      else
        emit_warning (self, "More results than the memory limit holds: the rest are kept in %s",
                      self->spill_path);
    }
  if (self->spill != NULL)
    {
      g_autoptr(JsonNode) node = iwb_run_event_to_json (event);
      g_autofree char *text = iwb_json_to_string (node, FALSE);

      fputs (text, self->spill);
      fputc ('\n', self->spill);
    }
  self->counts.spilled_results++;
}

/* (transfer full) the input row an lhub_id stands for, or NULL */
static JsonObject *
row_for_id (IwbRun   *self,
            JsonNode *id)
{
  g_autofree char *key = NULL;

  JsonObject *row;

  if (id == NULL || n_rows (self) == 0)
    return NULL;
  if (self->sequential_ids)
    {
      gint64 v;

      if (!JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_INT64)
        return NULL;
      v = json_node_get_int (id);
      return v >= 1 && v <= (gint64) n_rows (self) ? row_object (self, (guint) (v - 1)) : NULL;
    }
  if (self->id_to_row == NULL)
    return NULL;
  key = iwb_json_to_string (id, FALSE);
  row = g_hash_table_lookup (self->id_to_row, key);
  return row ? json_object_ref (row) : NULL;
}

static void
handle_result (IwbRun     *self,
               JsonNode   *value,
               JsonNode   *lhub_id,
               gsize       line_len)
{
  IwbResultShape shape = iwb_result_classify (value);
  g_autoptr(IwbRunEvent) event = NULL;

  if (self->operation != IWB_RUN_EXECUTE && self->payloads->len < MAX_PAYLOADS)
    g_ptr_array_add (self->payloads, json_node_ref (value));

  switch (shape)
    {
    case IWB_RESULT_SHAPE_ROW_ERROR:
      {
        g_autoptr(JsonObject) row = row_for_id (self, lhub_id);

        /* Uncorrelated row errors carry the row as "data": its lhub_id
         * (ours or the user's) still finds the input row. */
        if (row == NULL)
          {
            JsonNode *data = json_object_get_member (json_node_get_object (value), "data");

            if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
              row = row_for_id (self, json_object_get_member (json_node_get_object (data),
                                                              "lhub_id"));
          }
        event = iwb_run_event_new_result (IWB_RUN_EVENT_ROW_ERROR, run_time (self),
                                          value, lhub_id, row);
        self->counts.row_errors++;
        self->saw_reported_error = TRUE;
        emit (self, event);
        store_result (self, event, line_len);
      }
      break;

    case IWB_RESULT_SHAPE_VALIDATION_ERRORS:
      {
        JsonArray *errors = iwb_json_get_array (json_node_get_object (value), "errors");
        g_autoptr(GPtrArray) fields =
          g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_field_error_free);

        for (guint i = 0; i < json_array_get_length (errors); i++)
          {
            JsonObject *e = iwb_json_array_get_object (errors, i);
            JsonNode *input_id = json_object_get_member (e, "inputId");
            g_autofree char *id_text = NULL;
            const char *message = obj_string (e, "message");

            if (input_id != NULL && JSON_NODE_HOLDS_VALUE (input_id) &&
                json_node_get_value_type (input_id) == G_TYPE_STRING)
              id_text = g_strdup (json_node_get_string (input_id));
            else if (input_id != NULL && !JSON_NODE_HOLDS_NULL (input_id))
              id_text = iwb_json_to_string (input_id, FALSE);
            g_ptr_array_add (fields, iwb_field_error_new (id_text, message));
            g_ptr_array_add (self->field_errors, iwb_field_error_new (id_text, message));
          }
        event = iwb_run_event_new_errors (IWB_RUN_EVENT_VALIDATION_ERRORS, run_time (self),
                                          value, fields);
        self->saw_reported_error = TRUE;
        emit (self, event);
      }
      break;

    case IWB_RESULT_SHAPE_INSTANTIATION_ERROR:
      event = iwb_run_event_new_errors (IWB_RUN_EVENT_INSTANTIATION_ERROR, run_time (self),
                                        value, NULL);
      self->saw_reported_error = TRUE;
      emit (self, event);
      break;

    case IWB_RESULT_SHAPE_OVERRIDES:
      {
        JsonNode *ov = json_object_get_member (json_node_get_object (value), "actionOverrides");

        g_clear_pointer (&self->overrides, json_node_unref);
        self->overrides = json_node_copy (ov);
        event = iwb_run_event_new_result (IWB_RUN_EVENT_OVERRIDES, run_time (self),
                                          ov, NULL, NULL);
        emit (self, event);
      }
      break;

    case IWB_RESULT_SHAPE_EMPTY_SUCCESS:
    case IWB_RESULT_SHAPE_VALUE:
    default:
      {
        g_autoptr(JsonObject) row = row_for_id (self, lhub_id);

        event = iwb_run_event_new_result (IWB_RUN_EVENT_RESULT, run_time (self),
                                          value, lhub_id, row);
      }
      self->counts.results++;
      emit (self, event);
      store_result (self, event, line_len);
      break;
    }
}

/* One complete line (without its newline); @dropped bytes were cut off. */
static void
handle_line (IwbRun     *self,
             const char *stream_name,
             char       *data,
             gsize       len,
             guint64     dropped)
{
  g_autofree char *text = NULL;

  if (len > 0 && data[len - 1] == '\r')
    len--;
  /* NUL bytes would end a C string early: make them invalid bytes, which
   * g_utf8_make_valid() turns into U+FFFD like any other invalid byte. */
  for (gsize i = 0; i < len; i++)
    if (data[i] == '\0')
      data[i] = (char) 0xff;

  if (dropped > 0)
    {
      self->counts.truncated_lines++;
      self->counts.truncated_bytes += dropped;
    }

  if (len >= 8 && memcmp (data, "[result]", 8) == 0)
    {
      g_autoptr(JsonNode) value = NULL;
      g_autoptr(JsonNode) lhub_id = NULL;
      g_autofree char *error_message = NULL;

      if (dropped > 0)
        {
          emit_warning (self, "A [result] line on %s of %" G_GUINT64_FORMAT " bytes is longer "
                        "than the line limit (%" G_GSIZE_FORMAT " bytes) and was dropped; "
                        "raise the limit or return smaller results",
                        stream_name, (guint64) len + dropped, self->line_limit);
          return;
        }
      if (g_utf8_validate (data, len, NULL))
        {
          switch (iwb_result_parse_line (data, len, &value, &lhub_id, &error_message))
            {
            case IWB_RESULT_LINE_OK:
              handle_result (self, value, lhub_id, len);
              return;
            case IWB_RESULT_LINE_INVALID:
              {
                g_autofree char *shown = g_utf8_make_valid (data, MIN (len, 200));
                emit_warning (self, "A [result] line on %s is not valid JSON (%s): %s%s; "
                              "the SDK prints json.dumps() output there, check what the "
                              "integration prints",
                              stream_name, error_message, shown, len > 200 ? "…" : "");
              }
              break;
            case IWB_RESULT_LINE_NONE:
            default:
              break;
            }
        }
      else
        emit_warning (self, "A [result] line on %s is not valid UTF-8; shown as a log line",
                      stream_name);
    }

  text = g_utf8_make_valid (data, len);
  if (dropped > 0)
    {
      g_autofree char *marker = g_strdup_printf (TRUNCATION_MARKER, dropped);
      char *joined = g_strconcat (text, marker, NULL);

      g_free (text);
      text = joined;
    }
  {
    g_autoptr(IwbRunEvent) event =
      iwb_run_event_new_text (IWB_RUN_EVENT_LOG, run_time (self), stream_name, text, dropped > 0);

    self->counts.log_lines++;
    emit (self, event);
  }
}

/* ---------------------------------------------------------------------- */
/* Finishing                                                              */

static void
snapshot_files (const char *root,
                const char *rel,
                GHashTable *out,
                guint       depth)
{
  g_autofree char *dir_path = rel ? g_build_filename (root, rel, NULL) : g_strdup (root);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL || depth > 4)
    return;
  while ((name = g_dir_read_name (dir)) != NULL && g_hash_table_size (out) < 10000)
    {
      g_autofree char *child_rel = rel ? g_build_filename (rel, name, NULL) : g_strdup (name);
      g_autofree char *child_path = g_build_filename (root, child_rel, NULL);
      GStatBuf st;

      if (g_lstat (child_path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        snapshot_files (root, child_rel, out, depth + 1);
      else if (S_ISREG (st.st_mode))
        g_hash_table_insert (out, g_steal_pointer (&child_rel),
                             g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                              (gint64) st.st_size, (gint64) st.st_mtime));
    }
}

static void
report_new_files (IwbRun *self)
{
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GList) names = NULL;

  if (self->files_before == NULL || self->files_dir == NULL)
    return;
  after = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  snapshot_files (self->files_dir, NULL, after, 0);
  names = g_list_sort (g_hash_table_get_keys (after), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *rel = l->data;
      const char *before = g_hash_table_lookup (self->files_before, rel);

      if (before == NULL || !g_str_equal (before, g_hash_table_lookup (after, rel)))
        {
          g_autofree char *path = g_build_filename (self->files_dir, rel, NULL);
          g_autoptr(IwbRunEvent) event = NULL;

          if (self->files->len >= MAX_FILES_LISTED)
            break;
          event = iwb_run_event_new_text (IWB_RUN_EVENT_FILE, run_time (self), NULL, path, FALSE);
          g_ptr_array_add (self->files, g_strdup (path));
          self->counts.files++;
          emit (self, event);
        }
    }
}

static void
flush_partial_lines (IwbRun *self)
{
  for (guint i = 0; i < 2; i++)
    {
      LineReader *r = &self->readers[i];

      if (r->line != NULL && (r->line->len > 0 || r->dropped > 0))
        {
          handle_line (self, r->stream_name, r->line->str, r->line->len, r->dropped);
          g_string_truncate (r->line, 0);
          r->dropped = 0;
        }
    }
}

static void
finish_run (IwbRun *self)
{
  g_autofree char *meaning = NULL;
  g_autoptr(GTask) task = NULL;
  gint64 duration;

  if (self->finished)
    return;
  self->finished = TRUE;

  if (self->grace_source)
    {
      g_source_destroy (self->grace_source);
      g_clear_pointer (&self->grace_source, g_source_unref);
    }
  if (self->timeout_source)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }
  if (self->cancel_source)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }
  /* Abandon a writer still blocked on a pipe nobody reads. */
  g_cancellable_cancel (self->io_cancellable);

  flush_partial_lines (self);
  report_new_files (self);
  if (self->spill != NULL)
    {
      fclose (self->spill);
      self->spill = NULL;
    }

  if (self->stdin_closed_early && self->operation == IWB_RUN_EXECUTE)
    emit_warning (self, "The integration stopped reading its input after %" G_GUINT64_FORMAT
                  " of %u rows", self->counts.rows_in, n_rows (self));

  duration = run_time (self);
  if (self->timed_out)
    {
      self->status = IWB_RUN_STATUS_TIMED_OUT;
      self->exit_code = -1;
      meaning = g_strdup_printf ("Timed out after %u s: the integration's process group was "
                                 "killed; results that arrived before are kept", self->timeout);
    }
  else if (self->cancelled)
    {
      self->status = IWB_RUN_STATUS_CANCELLED;
      self->exit_code = -1;
      meaning = g_strdup ("Cancelled: the integration's process group was killed; results "
                          "that arrived before are kept");
    }
  else if (WIFSIGNALED (self->wait_status))
    {
      int sig = WTERMSIG (self->wait_status);

      self->status = IWB_RUN_STATUS_FAILED;
      self->exit_code = -1;
      meaning = g_strdup_printf ("Killed by signal %d (%s): the Python process crashed or was "
                                 "killed from outside", sig, g_strsignal (sig));
    }
  else
    {
      self->exit_code = WEXITSTATUS (self->wait_status);
      if (self->exit_code <= 2 || self->exit_code == 241)
        meaning = g_strdup (iwb_run_exit_code_meaning (self->operation, self->exit_code));
      else /* say which code it was: "Exit 9: unexpected exit code: …" */
        meaning = g_strdup_printf ("Exit %d: %s", self->exit_code,
                                   iwb_run_exit_code_meaning (self->operation, self->exit_code));
      if (self->exit_code == 0)
        self->status = self->saw_reported_error ? IWB_RUN_STATUS_REPORTED_ERRORS
                                                : IWB_RUN_STATUS_SUCCEEDED;
      else if (self->exit_code == 1 && self->saw_reported_error)
        self->status = IWB_RUN_STATUS_REPORTED_ERRORS;
      else
        self->status = IWB_RUN_STATUS_FAILED;
    }

  self->running = FALSE;
  self->finished_event = iwb_run_event_new_finished (duration, self->status, self->exit_code,
                                                     meaning, duration, &self->counts);
  task = g_steal_pointer (&self->task);
  emit (self, self->finished_event);
  g_task_return_boolean (task, TRUE);
}

static void
maybe_finish (IwbRun *self)
{
  if (self->finished || !self->child_exited)
    return;
  if (self->readers[0].eof && self->readers[1].eof)
    finish_run (self);
}

static gboolean
grace_expired (gpointer user_data)
{
  IwbRun *self = user_data;

  /* Something outside the process group still holds a pipe open: stop
   * waiting for its EOF. */
  g_clear_pointer (&self->grace_source, g_source_unref);
  finish_run (self);
  return G_SOURCE_REMOVE;
}

static void
on_wait_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(IwbRun) self = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  self->wait_status = g_subprocess_get_status (G_SUBPROCESS (source));
  self->child_exited = TRUE;

  /* Orphans the integration left in its group (daemons, forgotten
   * subprocesses) go with it: nothing outlives a run. The leader is reaped
   * already, so only the group is signalled (never the pid itself, which
   * the system may have handed to an unrelated process by now). */
  if (self->pid > 1)
    kill (-(pid_t) self->pid, SIGKILL);

  if (self->finished)
    return;
  if (!(self->readers[0].eof && self->readers[1].eof))
    {
      self->grace_source = g_timeout_source_new (EOF_GRACE_MS);
      g_source_set_callback (self->grace_source, grace_expired, self, NULL);
      g_source_attach (self->grace_source, g_task_get_context (self->task));
    }
  maybe_finish (self);
}

static gboolean
on_timeout (gpointer user_data)
{
  IwbRun *self = user_data;

  g_clear_pointer (&self->timeout_source, g_source_unref);
  if (!self->child_exited)
    {
      self->timed_out = TRUE;
      iwb_kill_process_group (self->pid);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  IwbRun *self = user_data;

  g_clear_pointer (&self->cancel_source, g_source_unref);
  if (!self->child_exited && !self->timed_out)
    {
      self->cancelled = TRUE;
      iwb_kill_process_group (self->pid);
    }
  return G_SOURCE_REMOVE;
}

/* ---------------------------------------------------------------------- */
/* Reading                                                                */

static void
reader_feed (LineReader *r,
             char       *data,
             gsize       len)
{
  IwbRun *self = r->run;
  char *p = data;
  char *end = data + len;

  while (p < end)
    {
      char *nl = memchr (p, '\n', end - p);
      gsize seg = (nl ? nl : end) - p;
      gsize room = self->line_limit > r->line->len ? self->line_limit - r->line->len : 0;

      if (seg <= room)
        g_string_append_len (r->line, p, seg);
      else
        {
          g_string_append_len (r->line, p, room);
          r->dropped += seg - room;
        }

      if (nl == NULL)
        break;

      handle_line (self, r->stream_name, r->line->str, r->line->len, r->dropped);
      /* Give back the memory of a huge line. */
      if (r->line->allocated_len > 64 * 1024)
        {
          g_string_free (r->line, TRUE);
          r->line = g_string_sized_new (256);
        }
      else
        g_string_truncate (r->line, 0);
      r->dropped = 0;
      p = nl + 1;
    }
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  LineReader *r = user_data;
  IwbRun *self = r->run;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n > 0 && !self->finished)
    {
      reader_feed (r, (char *) r->buf, n);
      /* A child printing line by line would otherwise wake us for every
       * line; when little came, let the pipe collect a few milliseconds of
       * output first. A full buffer is read again at once. */
      if (n < READ_CHUNK / 4)
        {
          GSource *delay = g_timeout_source_new (READ_COALESCE_MS);

          g_object_ref (self);
          g_source_set_callback (delay, reader_rearm_cb, r, NULL);
          g_source_attach (delay, g_task_get_context (self->task));
          g_source_unref (delay);
        }
      else
        reader_arm (r);
    }
  else
    {
      r->eof = TRUE;
      if (!self->finished)
        maybe_finish (self);
    }
  g_object_unref (self);
}

static gboolean
reader_rearm_cb (gpointer user_data)
{
  LineReader *r = user_data;
  IwbRun *self = r->run;

  if (self->finished)
    r->eof = TRUE;
  else
    reader_arm (r);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
reader_arm (LineReader *r)
{
  /* The reader lives inside the run: keep the run alive while a read is pending. */
  g_object_ref (r->run);
  g_input_stream_read_async (r->stream, r->buf, READ_CHUNK, G_PRIORITY_DEFAULT,
                             r->run->io_cancellable, on_read, r);
}

/* ---------------------------------------------------------------------- */
/* Writing                                                                */

static void write_next_chunk (IwbRun *self);

static void
on_stdin_closed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(IwbRun) self = user_data;

  g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, NULL);
  self->writer_done = TRUE;
}

static void
close_stdin (IwbRun *self)
{
  g_output_stream_close_async (self->stdin_stream, G_PRIORITY_DEFAULT, NULL,
                               on_stdin_closed, g_object_ref (self));
}

typedef struct
{
  IwbRun *run;
  GBytes *bytes;
  guint   rows;
} WriteChunk;

static void
on_chunk_written (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  WriteChunk *chunk = user_data;
  g_autoptr(IwbRun) self = chunk->run;
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, &written, &error);
  g_bytes_unref (chunk->bytes);
  if (error == NULL)
    {
      self->counts.rows_in += chunk->rows;
      g_free (chunk);
      write_next_chunk (self);
      return;
    }
  g_free (chunk);

  /* EPIPE: the child closed its stdin (or died); cancelled: the run ended.
   * Either way the rest of the rows are not needed any more. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->stdin_closed_early = TRUE;
  self->writer_done = TRUE;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    close_stdin (self);
}

static void
append_row_line (IwbRun  *self,
                 GString *out,
                 guint    index)
{
  char seq_id[24];
  const char *id_text = NULL;
  gsize start;

  if (self->sequential_ids)
    {
      g_snprintf (seq_id, sizeof seq_id, "%u", index + 1);
      id_text = seq_id;
    }
  else if (self->row_ids != NULL)
    id_text = self->row_ids->pdata[index];

  g_string_append (out, "{\"row\": ");
  start = out->len;
  if (self->rows != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, self->rows->pdata[index]);
      iwb_json_write (out, node, FALSE); /* NaN as NaN: Python reads it back */
    }
  else
    {
      const IwbRowSpan *span = &g_array_index (self->raw_spans, IwbRowSpan, index);

      g_string_append_len (out, (const char *) g_bytes_get_data (self->raw_rows, NULL) + span->offset,
                           span->length);
    }

  if (id_text != NULL)
    {
      /* Our lhub_id first, then the row's own members: "{" becomes
       * "{"lhub_id": N," (or "{"lhub_id": N" for an empty row). */
      gsize after = start + 1;
      gboolean empty;
      char prefix[64];

      while (after < out->len && g_ascii_isspace (out->str[after]))
        after++;
      empty = after < out->len && out->str[after] == '}';
      g_snprintf (prefix, sizeof prefix, "\"lhub_id\": %s%s", id_text, empty ? "" : ", ");
      g_string_insert (out, start + 1, prefix);
    }
  g_string_append (out, "}\n");
}

static void
write_next_chunk (IwbRun *self)
{
  g_autoptr(GString) out = NULL;
  WriteChunk *chunk;
  guint first = self->next_row;

  if (self->finished)
    return;
  if (self->next_row >= n_rows (self))
    {
      close_stdin (self);
      return;
    }

  out = g_string_sized_new (WRITE_CHUNK + 4096);
  while (self->next_row < n_rows (self) && out->len < WRITE_CHUNK)
    append_row_line (self, out, self->next_row++);

  chunk = g_new0 (WriteChunk, 1);
  chunk->run = g_object_ref (self);
  chunk->rows = self->next_row - first;
  chunk->bytes = g_string_free_to_bytes (g_steal_pointer (&out));
  g_output_stream_write_all_async (self->stdin_stream,
                                   g_bytes_get_data (chunk->bytes, NULL),
                                   g_bytes_get_size (chunk->bytes),
                                   G_PRIORITY_DEFAULT, self->io_cancellable,
                                   on_chunk_written, chunk);
}

static void
prepare_row_ids (IwbRun *self)
{
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 next = 1;

  if (self->raw_spans != NULL)
    {
      /* set_rows_jsonl() parsed the rows at once when some had an id */
      self->sequential_ids = TRUE;
      return;
    }
  if (self->rows == NULL)
    return;

  /* The common case: rows without their own lhub_id get 1, 2, 3, … and
   * an id finds its row by index, without any table. */
  self->sequential_ids = TRUE;
  for (guint i = 0; i < self->rows->len && self->sequential_ids; i++)
    {
      JsonNode *own = json_object_get_member (self->rows->pdata[i], "lhub_id");

      if (own != NULL && !JSON_NODE_HOLDS_NULL (own))
        self->sequential_ids = FALSE;
    }
  if (self->sequential_ids)
    return;

  self->row_ids = g_ptr_array_new_with_free_func (g_free);
  self->id_to_row = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      JsonNode *own = json_object_get_member (self->rows->pdata[i], "lhub_id");

      if (own != NULL && !JSON_NODE_HOLDS_NULL (own))
        {
          char *key = iwb_json_to_string (own, FALSE);

          g_hash_table_add (taken, g_strdup (key));
          if (!g_hash_table_contains (self->id_to_row, key))
            g_hash_table_insert (self->id_to_row, key, self->rows->pdata[i]);
          else
            g_free (key);
        }
    }
  for (guint i = 0; i < self->rows->len; i++)
    {
      JsonNode *own = json_object_get_member (self->rows->pdata[i], "lhub_id");
      char *key;

      if (own != NULL && !JSON_NODE_HOLDS_NULL (own))
        {
          g_ptr_array_add (self->row_ids, NULL);
          continue;
        }
      do
        key = g_strdup_printf ("%" G_GINT64_FORMAT, next++);
      while (g_hash_table_contains (taken, key) && (g_free (key), TRUE));
      g_hash_table_insert (self->id_to_row, g_strdup (key), self->rows->pdata[i]);
      g_ptr_array_add (self->row_ids, key);
    }
}

/* ---------------------------------------------------------------------- */
/* Starting                                                               */

static void
add_input_env (IwbRun     *self,
               GPtrArray  *env,
               JsonArray  *inputs,
               gboolean    connection)
{
  if (inputs == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonNode *n = json_array_get_element (inputs, i);
      JsonObject *input;
      const char *id;
      const char *source;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        continue;
      input = json_node_get_object (n);
      id = obj_string (input, "id");
      if (id == NULL)
        continue;
      source = input_source (input, connection);
      if (g_strcmp0 (source, "column") == 0 || g_strcmp0 (source, "template") == 0)
        {
          const char *mapping = mapping_for (self, input);

          if (mapping != NULL)
            g_ptr_array_add (env, g_strdup_printf ("___%s=%s", id, mapping));
        }
    }
}

static char **
build_environ (IwbRun  *self,
               GError **error)
{
  g_autoptr(GPtrArray) extra = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;
  gint64 start_ms, end_ms;

  /* Parameter values by id (connection and action params alike). */
  g_hash_table_iter_init (&iter, self->values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (extra, g_strdup_printf ("%s=%s", (char *) key, (char *) value));

  if (operation_uses_action (self))
    add_input_env (self, extra, action_inputs (descriptor_find_action (self)), FALSE);

  if (self->operation == IWB_RUN_VALIDATE_CONNECTION)
    {
      g_autofree char *json = iwb_json_to_string (self->descriptor, FALSE);
      g_ptr_array_add (extra, g_strdup_printf ("__integration_descriptor=%s", json));
    }

  g_ptr_array_add (extra, g_strdup_printf ("__lh_ssl_verify=%s",
                                           self->ssl_verify ? "True" : "False"));
  if (self->has_window)
    {
      start_ms = self->window_start_ms;
      end_ms = self->window_end_ms;
    }
  else
    {
      end_ms = g_get_real_time () / 1000;
      start_ms = end_ms - 3600 * 1000;
    }
  g_ptr_array_add (extra, g_strdup_printf ("__execution_start_time_ms=%" G_GINT64_FORMAT, start_ms));
  g_ptr_array_add (extra, g_strdup_printf ("__execution_end_time_ms=%" G_GINT64_FORMAT, end_ms));

  if (self->files_dir == NULL)
    self->files_dir = iwb_run_default_files_dir (self->folder);
  if (g_mkdir_with_parents (self->files_dir, 0700) != 0)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                   "Cannot create the integration files folder %s: %s; check the "
                   "permissions of your data folder or choose another files folder",
                   self->files_dir, g_strerror (errno));
      return NULL;
    }
  g_ptr_array_add (extra, g_strdup_printf ("INTEGRATIONS_FILES_PATH=%s", self->files_dir));

  g_hash_table_iter_init (&iter, self->extra_env);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (extra, g_strdup_printf ("%s=%s", (char *) key, (char *) value));

  g_ptr_array_add (extra, NULL);
  return iwb_python_build_environ (self->python, (const char * const *) extra->pdata);
}

static void
fail_start (IwbRun  *self,
            GError  *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  IwbRunCounts counts = { 0 };

  self->status = IWB_RUN_STATUS_FAILED;
  self->exit_code = -1;
  self->finished = TRUE;
  self->running = FALSE;
  self->finished_event = iwb_run_event_new_finished (0, IWB_RUN_STATUS_FAILED, -1,
                                                     error->message, 0, &counts);
  emit (self, self->finished_event);
  g_task_return_error (task, error);
}

void
iwb_run_start_async (IwbRun              *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = NULL;
  g_autofree char *cwd = NULL;
  GSubprocess *subprocess;
  GInputStream *out, *err;

  g_return_if_fail (IWB_IS_RUN (self));
  g_return_if_fail (self->task == NULL && !self->finished);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, iwb_run_start_async);
  g_task_set_check_cancellable (self->task, FALSE);
  self->start_us = g_get_monotonic_time ();

  problems = iwb_run_check (self);
  if (problems->len > 0)
    {
      GString *msg = g_string_new ("The run was not started: ");

      for (guint i = 0; i < problems->len; i++)
        {
          IwbFieldError *e = problems->pdata[i];

          g_string_append_printf (msg, "%s%s%s%s", i ? "; " : "",
                                  e->field ? e->field : "", e->field ? ": " : "", e->message);
        }
      g_string_append (msg, ". Fix the values and run again.");
      fail_start (self, g_error_new_literal (IWB_ERROR, IWB_ERROR_INVALID_VALUE, msg->str));
      g_string_free (msg, TRUE);
      return;
    }

  envp = build_environ (self, &error);
  if (envp == NULL)
    {
      fail_start (self, g_steal_pointer (&error));
      return;
    }

  g_ptr_array_add (argv, (gpointer) "-m");
  if (self->operation == IWB_RUN_EXECUTE)
    g_ptr_array_add (argv, (gpointer) "lhub_integ.shim_exec");
  else
    g_ptr_array_add (argv, (gpointer) "lhub_integ.shim_validate");
  if (operation_uses_action (self))
    {
      g_ptr_array_add (argv, (gpointer) "-e");
      g_ptr_array_add (argv, self->entrypoint);
    }
  if (self->operation == IWB_RUN_VALIDATE_CONNECTION)
    g_ptr_array_add (argv, (gpointer) "--validate-connections");
  g_ptr_array_add (argv, NULL);

  self->files_before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  snapshot_files (self->files_dir, NULL, self->files_before, 0);

  if (self->operation == IWB_RUN_EXECUTE)
    prepare_row_ids (self);

  cwd = g_file_get_path (self->folder);
  if (cwd == NULL || !g_file_test (cwd, G_FILE_TEST_IS_DIR))
    {
      fail_start (self, g_error_new (IWB_ERROR, IWB_ERROR_NOT_A_FOLDER,
                                     "The integration folder %s does not exist or is not a "
                                     "folder; open an existing integration folder",
                                     cwd ? cwd : g_file_peek_path (self->folder)));
      return;
    }

  subprocess = iwb_python_spawn (self->python, cwd, (const char * const *) argv->pdata, envp,
                                 G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                 G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                 G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                 &error);
  if (subprocess == NULL)
    {
      fail_start (self, g_steal_pointer (&error));
      return;
    }

  self->subprocess = subprocess;
  self->pid = iwb_subprocess_get_pid (subprocess);
  self->running = TRUE;
  self->io_cancellable = g_cancellable_new ();

  out = g_subprocess_get_stdout_pipe (subprocess);
  err = g_subprocess_get_stderr_pipe (subprocess);
  self->readers[0] = (LineReader) { self, "stdout", g_object_ref (out), g_malloc (READ_CHUNK),
                                    g_string_sized_new (256), 0, FALSE };
  self->readers[1] = (LineReader) { self, "stderr", g_object_ref (err), g_malloc (READ_CHUNK),
                                    g_string_sized_new (256), 0, FALSE };
  self->stdin_stream = g_object_ref (g_subprocess_get_stdin_pipe (subprocess));
  /* A blocking pipe would make a big "async" write block the main loop
   * until the child reads everything: with O_NONBLOCK GIO writes what fits
   * and waits for the pipe to drain without blocking. */
  if (G_IS_UNIX_OUTPUT_STREAM (self->stdin_stream))
    g_unix_set_fd_nonblocking (g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (self->stdin_stream)),
                               TRUE, NULL);

  g_subprocess_wait_async (subprocess, NULL, on_wait_done, g_object_ref (self));
  reader_arm (&self->readers[0]);
  reader_arm (&self->readers[1]);

  if (self->operation == IWB_RUN_EXECUTE)
    write_next_chunk (self);
  else
    close_stdin (self);

  if (self->timeout > 0)
    {
      self->timeout_source = g_timeout_source_new_seconds (self->timeout);
      g_source_set_callback (self->timeout_source, on_timeout, self, NULL);
      g_source_attach (self->timeout_source, g_task_get_context (self->task));
    }
  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (on_cancelled), self, NULL);
      g_source_attach (self->cancel_source, g_task_get_context (self->task));
    }
}

gboolean
iwb_run_start_finish (IwbRun        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (IWB_IS_RUN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

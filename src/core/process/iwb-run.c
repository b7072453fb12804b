/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRun: one shim_validate / shim_exec child, driven like the platform.
 *
 * Life of a run: check the values locally (iwb-coerce), build the child's
 * environment from the descriptor (iwb-run-env.c), start it as an IwbChild,
 * write the input rows to its stdin asynchronously (iwb-run-write.c), turn
 * the lines of stdout and stderr into IwbRunEvents (iwb-run-read.c), and
 * finish once the child exited and its output was read. A timeout or a
 * cancel ends the child's whole process tree, and whatever it left behind
 * when it exited is killed too, so nothing outlives a run.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>

#include "iwb-error.h"
#include "iwb-input-rows.h"
#include "iwb-result-parser.h"
#include "iwb-run-private.h"

G_DEFINE_FINAL_TYPE (IwbRun, iwb_run, G_TYPE_OBJECT)

enum {
  SIGNAL_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
iwb_run_dispose (GObject *object)
{
  IwbRun *self = IWB_RUN (object);

  /* A run dropped while its child lives must not leave the child behind
   * (nor a gated one that was never started). */
  if (self->child != NULL && (self->running || (self->gated && !self->finished)))
    iwb_child_force_exit (self->child);
  if (self->writer_source != NULL)
    _iwb_run_close_stdin (self);

  G_OBJECT_CLASS (iwb_run_parent_class)->dispose (object);
}

static void
iwb_run_finalize (GObject *object)
{
  IwbRun *self = IWB_RUN (object);

  /* Spilled results go with the run. */
  _iwb_run_remove_spill (self);
  _iwb_run_release_results (self);
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
  g_clear_object (&self->child);
  g_clear_pointer (&self->early_lines, g_array_unref);
  g_clear_object (&self->stdin_stream);
  g_clear_pointer (&self->row_ids, g_ptr_array_unref);
  g_clear_pointer (&self->id_to_row, g_hash_table_unref);
  g_clear_pointer (&self->files_before, g_hash_table_unref);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_free (self->spill_path);
  g_ptr_array_unref (self->field_errors);
  g_clear_pointer (&self->payloads, g_ptr_array_unref);
  g_clear_pointer (&self->overrides, json_node_unref);
  g_ptr_array_unref (self->files);
  g_clear_object (&self->finished_event);
  g_free (self->cassette);
  g_clear_pointer (&self->secret_params, g_ptr_array_unref);
  g_clear_pointer (&self->http_needles, g_ptr_array_unref);
  g_clear_object (&self->exchanges);

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
   * The class handler (after the ordinary handlers) adds an HTTP event's
   * exchange to iwb_run_get_exchanges().
   */
  signals[SIGNAL_EVENT] =
    g_signal_new_class_handler ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (_iwb_run_event_default), NULL, NULL, NULL,
                                G_TYPE_NONE, 1, IWB_TYPE_RUN_EVENT);
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
  self->capture = TRUE;
  self->exchange_limit = IWB_RUN_DEFAULT_EXCHANGE_LIMIT;
  self->exchanges = g_list_store_new (IWB_TYPE_HTTP_EXCHANGE);
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
  GPtrArray *copies = NULL;

  g_return_if_fail (IWB_IS_RUN (self));

  if (rows != NULL)
    {
      /* Copies of the rows, the run's alone. A JsonObject's reference
       * count is not atomic (json-glib 1.6): the caller's objects stay
       * with the caller's thread (the window's rows editor holds them, and
       * edits them while the run goes), and these copies are never
       * referenced one by one once the run started: the events borrow
       * them and hold the array, whose count is atomic
       * (iwb_run_event_new_result_json()). */
      copies = g_ptr_array_new_full (rows->len, (GDestroyNotify) json_object_unref);
      for (guint i = 0; i < rows->len; i++)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), rows->pdata[i]);
          g_autoptr(JsonNode) copy = iwb_json_deep_copy (node);

          g_ptr_array_add (copies, json_node_dup_object (copy));
        }
    }
  iwb_run_take_rows (self, copies);
}

void
iwb_run_take_rows (IwbRun    *self,
                   GPtrArray *rows)
{
  g_return_if_fail (IWB_IS_RUN (self));

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->raw_rows, g_bytes_unref);
  g_clear_pointer (&self->raw_spans, g_array_unref);
  self->rows = rows;
}

GPtrArray *
iwb_run_get_rows (IwbRun *self)
{
  g_return_val_if_fail (IWB_IS_RUN (self), NULL);
  return self->rows;
}

guint
_iwb_run_n_rows (IwbRun *self)
{
  if (self->rows != NULL)
    return self->rows->len;
  if (self->raw_spans != NULL)
    return self->raw_spans->len;
  return 0;
}

/* (transfer full) the input row @index as an object */
JsonObject *
_iwb_run_row_object (IwbRun *self,
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
          JsonObject *row = _iwb_run_row_object (self, i);

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

const char *
iwb_run_exit_code_meaning (IwbRunOperation operation,
                           int             exit_code)
{
  switch (exit_code)
    {
    case 0:
      if (operation == IWB_RUN_EXECUTE)
        return N_("Exit 0: the action ran to the end (errors of single rows, if any, are reported per row)");
      return N_("Exit 0: validation passed");
    case 1:
      return N_("Exit 1: the integration reported errors: validation failed, a required parameter "
             "or column mapping is missing, the connection validator raised, or the code raised "
             "an uncaught exception");
    case 2:
      return N_("Exit 2: hard failure: the integration could not be imported, the entrypoint is "
             "malformed, the execution type is invalid, or a validator broke its contract");
    case 241:
      return N_("Exit 241: the platform's timeout (the action was killed because it took too long)");
    default:
      return N_("unexpected exit code: the SDK only uses 0, 1 and 2; the integration ended "
             "its process itself (sys.exit or os._exit)");
    }
}

/* ---------------------------------------------------------------------- */
/* Events                                                                 */

gint64
_iwb_run_time (IwbRun *self)
{
  return g_get_monotonic_time () - self->start_us;
}

void
_iwb_run_emit (IwbRun      *self,
               IwbRunEvent *event)
{
  /* What the integration wrote or raised never shows a secret value, in
   * any form, wherever the event goes (the window, the CLI, the history):
   * results and HTTP exchanges are redacted where they are shown or kept. */
  switch (iwb_run_event_get_kind (event))
    {
    case IWB_RUN_EVENT_LOG:
    case IWB_RUN_EVENT_WARNING:
    case IWB_RUN_EVENT_ROW_ERROR:
    case IWB_RUN_EVENT_VALIDATION_ERRORS:
    case IWB_RUN_EVENT_INSTANTIATION_ERROR:
    case IWB_RUN_EVENT_FINISHED:
      iwb_run_event_redact_texts (event, _iwb_run_secret_needles (self), "[secret]");
      break;
    default:
      break;
    }
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, event);
}

void
_iwb_run_emit_warning (IwbRun     *self,
                       const char *format,
                       ...)
{
  g_autofree char *text = NULL;
  g_autoptr(IwbRunEvent) event = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  event = iwb_run_event_new_text (IWB_RUN_EVENT_WARNING, _iwb_run_time (self), NULL, text, FALSE);
  _iwb_run_emit (self, event);
}

/* ---------------------------------------------------------------------- */
/* Finishing                                                              */

static void
finish_run (IwbRun *self)
{
  g_autofree char *meaning = NULL;
  g_autoptr(GTask) task = NULL;
  IwbChildOutcome outcome;
  gint64 duration;

  if (self->finished)
    return;
  self->finished = TRUE;

  /* Abandon a writer still waiting on a pipe nobody reads. */
  if (self->writer_source != NULL)
    _iwb_run_close_stdin (self);

  _iwb_run_report_new_files (self);
  _iwb_run_http_finish (self);
  if (self->spill != NULL)
    {
      fclose (self->spill);
      self->spill = NULL;
    }

  if (self->stdin_closed_early && self->operation == IWB_RUN_EXECUTE)
    _iwb_run_emit_warning (self, "The integration stopped reading its input after %" G_GUINT64_FORMAT
                  " of %u rows", self->counts.rows_in, _iwb_run_n_rows (self));

  duration = _iwb_run_time (self);
  outcome = iwb_child_get_outcome (self->child);
  if (outcome == IWB_CHILD_OUTCOME_TIMED_OUT)
    {
      self->status = IWB_RUN_STATUS_TIMED_OUT;
      self->exit_code = -1;
      meaning = g_strdup_printf ("Timed out after %u s: the integration's process group was "
                                 "killed; results that arrived before are kept", self->timeout);
    }
  else if (outcome == IWB_CHILD_OUTCOME_CANCELLED)
    {
      self->status = IWB_RUN_STATUS_CANCELLED;
      self->exit_code = -1;
      meaning = g_strdup ("Cancelled: the integration's process group was killed; results "
                          "that arrived before are kept");
    }
  else if (outcome == IWB_CHILD_OUTCOME_SIGNALED)
    {
      int sig = iwb_child_get_term_sig (self->child);

      self->status = IWB_RUN_STATUS_FAILED;
      self->exit_code = -1;
      meaning = g_strdup_printf ("Killed by signal %d (%s): the Python process crashed or was "
                                 "killed from outside", sig, g_strsignal (sig));
    }
  else
    {
      self->exit_code = iwb_child_get_exit_status (self->child);
      if (self->exit_code <= 2 || self->exit_code == 241)
        meaning = g_strdup (iwb_run_exit_code_meaning (self->operation, self->exit_code));
      else /* say which code it was: "Exit 9: unexpected exit code: …" */
        meaning = g_strdup_printf ("Exit %d: %s", self->exit_code,
                                   iwb_run_exit_code_meaning (self->operation, self->exit_code));
      /* The SDK's exit-code table decides, whatever was printed before. */
      switch (self->exit_code)
        {
        case 0:
          self->status = self->saw_reported_error ? IWB_RUN_STATUS_REPORTED_ERRORS
                                                  : IWB_RUN_STATUS_SUCCEEDED;
          /* A validation shim always prints a [result] line before it
           * exits 0: without one, the process ended early and nothing was
           * validated. */
          if (self->operation != IWB_RUN_EXECUTE && self->result_lines == 0)
            {
              self->status = IWB_RUN_STATUS_FAILED;
              g_free (meaning);
              meaning = g_strdup_printf (_("Exit 0 without a result: the validation ended "
                                           "before the SDK printed its “[result]” line (the "
                                           "integration called os._exit() or sys.exit(), or "
                                           "its process was replaced), so nothing was "
                                           "validated%s"),
                                         self->malformed_results == 0 ? ""
                                         : self->overlong_results == self->malformed_results
                                           ? _("; the only [result] lines were longer than the "
                                               "line limit and were dropped")
                                           : _("; the only [result] lines were not valid JSON"));
            }
          break;
        case 1:
          self->status = IWB_RUN_STATUS_REPORTED_ERRORS;
          break;
        case 241:
          self->status = IWB_RUN_STATUS_TIMED_OUT;
          break;
        case 2:
        default:
          self->status = IWB_RUN_STATUS_FAILED;
          break;
        }
      /* Say it when the status came after [result] lines that were lost. */
      if (self->malformed_results > 0 && self->overlong_results == self->malformed_results &&
          strstr (meaning, "[result]") == NULL)
        {
          /* Not "not valid JSON": they were never parsed (a validator's
           * 45 MB of actionOverrides, a result with a 10 MB field). */
          char *joined = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "%s; exit status %d came after %u "
                                                       "[result] line longer than the line limit "
                                                       "(see the warning): its result is lost",
                                                       "%s; exit status %d came after %u "
                                                       "[result] lines longer than the line limit "
                                                       "(see the warnings): their results are lost",
                                                       self->malformed_results),
                                          meaning, self->exit_code, self->malformed_results);
          g_free (meaning);
          meaning = joined;
        }
      else if (self->malformed_results > 0 &&
               strstr (meaning, "[result]") == NULL)
        {
          char *joined = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "%s; exit status %d came after %u "
                                                       "[result] line that was not valid JSON "
                                                       "(see the warning): its result is lost",
                                                       "%s; exit status %d came after %u "
                                                       "[result] lines that were not valid JSON "
                                                       "(see the warnings): their results are lost",
                                                       self->malformed_results),
                                          meaning, self->exit_code, self->malformed_results);
          g_free (meaning);
          meaning = joined;
        }
    }

  self->running = FALSE;
  self->finished_event = iwb_run_event_new_finished (duration, self->status, self->exit_code,
                                                     meaning, duration, &self->counts);
  task = g_steal_pointer (&self->task);
  _iwb_run_emit (self, self->finished_event);
  g_task_return_boolean (task, TRUE);
}

static void
on_child_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(IwbRun) self = user_data;

  /* Never fails: the outcome says how the child ended. */
  iwb_child_wait_finish (IWB_CHILD (source), result, NULL);
  finish_run (self);
}

/* ---------------------------------------------------------------------- */
/* Starting                                                               */

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
  _iwb_run_emit (self, self->finished_event);
  g_task_return_error (task, error);
}

/* Builds the command and the environment and spawns the child: @gated,
 * it waits for IWB_RUN_GATE_LINE on its stdin (iwb_host.launch), and its
 * timeout is armed when the run starts. */
static gboolean
spawn_child (IwbRun    *self,
             gboolean   gated,
             GError   **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = NULL;
  g_autofree char *cwd = NULL;
  const char *interpreter;

  if (!_iwb_run_http_check (self, error))
    return FALSE;
  envp = _iwb_run_build_environ (self, error);
  if (envp == NULL)
    return FALSE;
  if (gated)
    envp = g_environ_setenv (envp, "IWB_GATE", "1", TRUE);
  /* Before the integration runs (the environment named its files folder):
   * the files it had. A gated child runs nothing before the start. */
  g_clear_pointer (&self->files_before, g_hash_table_unref);
  self->files_before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  _iwb_run_snapshot_files (self->files_dir, NULL, self->files_before, 0);

  interpreter = iwb_python_resolve (self->python, error);
  if (interpreter == NULL)
    return FALSE;
  _iwb_run_http_add_argv (self, argv, interpreter,
                          self->operation == IWB_RUN_EXECUTE ? "lhub_integ.shim_exec"
                                                             : "lhub_integ.shim_validate");
  if (_iwb_run_uses_action (self))
    {
      g_ptr_array_add (argv, (gpointer) "-e");
      g_ptr_array_add (argv, self->entrypoint);
    }
  if (self->operation == IWB_RUN_VALIDATE_CONNECTION)
    g_ptr_array_add (argv, (gpointer) "--validate-connections");
  g_ptr_array_add (argv, NULL);

  cwd = g_file_get_path (self->folder);
  if (cwd == NULL || !g_file_test (cwd, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_A_FOLDER,
                   _("The integration folder %s does not exist or is not a "
                   "folder; open an existing integration folder"),
                   cwd ? cwd : g_file_peek_path (self->folder));
      return FALSE;
    }

  iwb_python_forget_stale_bytecode (cwd);
  self->child = iwb_child_new ((const char * const *) argv->pdata, cwd,
                               (const char * const *) envp,
                               IWB_CHILD_FLAGS_STDIN_PIPE | _iwb_run_http_child_flags (self));
  iwb_child_set_line_limit (self->child, self->line_limit);
  iwb_child_set_line_func (self->child, _iwb_run_on_line, self);
  if (!gated)
    iwb_child_set_timeout_ms (self->child, self->timeout * 1000);
  if (!iwb_child_spawn (self->child, error))
    {
      g_clear_object (&self->child);
      return FALSE;
    }
  return TRUE;
}

gboolean
iwb_run_prestart (IwbRun *self)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (IWB_IS_RUN (self), FALSE);
  g_return_val_if_fail (self->task == NULL && !self->finished, FALSE);

  /* Only the capture host knows the gate; a connection validation has no
   * rows to wait for. */
  if (self->child != NULL || self->operation != IWB_RUN_EXECUTE || !self->capture)
    return FALSE;
  problems = iwb_run_check (self);
  if (problems->len > 0)
    return FALSE;
  /* A failure is reported by the start, which tries again. */
  if (!spawn_child (self, TRUE, &error))
    return FALSE;
  self->gated = TRUE;
  return TRUE;
}

/* The gated child was told to go: the gate line, then the rows. The pipe is
 * empty (the child read nothing yet), so a few bytes fit at once; a child
 * that is gone already (EPIPE) is reported by its exit. */
static void
open_gate (IwbRun *self)
{
  int fd = g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (self->stdin_stream));
  const char *line = IWB_RUN_GATE_LINE;
  gsize len = strlen (line);
  gsize done = 0;

  while (done < len)
    {
      gssize n = write (fd, line + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }
}

void
iwb_run_start_async (IwbRun              *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

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
      if (self->child != NULL)
        iwb_child_force_exit (self->child); /* gated: nothing of the integration ran */
      fail_start (self, g_error_new_literal (IWB_ERROR, IWB_ERROR_INVALID_VALUE, msg->str));
      g_string_free (msg, TRUE);
      return;
    }

  if (self->operation == IWB_RUN_EXECUTE)
    _iwb_run_prepare_row_ids (self);

  if (self->child == NULL && !spawn_child (self, FALSE, &error))
    {
      fail_start (self, g_steal_pointer (&error));
      return;
    }

  self->running = TRUE;
  self->stdin_stream = g_object_ref (iwb_child_get_stdin (self->child));
  if (self->gated)
    {
      /* The time counts from here, as do the child's results. */
      iwb_child_set_timeout_ms (self->child, self->timeout * 1000);
      open_gate (self);
    }
  _iwb_run_write_rows (self);
  _iwb_run_replay_early_lines (self);
  iwb_child_wait_async (self->child, cancellable, on_child_done, g_object_ref (self));
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbHistory: the writer thread, recordings, secret redaction, retention. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-history-private.h"
#include "iwb-run.h"

typedef struct
{
  GString  *data;            /* JSON texts, one per line */
  GString  *correlation;     /* their correlations, one per line ("" = none) */
  guint     n;
  gboolean  any_correlation;
} Chunk;

struct _IwbHistoryRecording
{
  gatomicrefcount  ref;
  GAsyncQueue     *queue;         /* the writer's; not the history itself, which the
                                   * writer thread must never be the one to finalize */
  IwbHistoryKind   kind;
  char            *integration;
  char            *action;
  char            *profile;
  JsonNode        *params;        /* masked */
  GPtrArray       *needles;       /* secret texts in every form, longest first */

  /* writer thread only */
  Chunk            chunks[IWB_HISTORY_ROW_HTTP + 1]; /* one being filled per kind */
  gboolean         begun;
  gboolean         failed;
  gint64           id;
  gint64           seq;
  gint64           bytes;
  guint64          n_inputs;
  guint64          n_results;
  guint64          n_row_errors;
  guint64          n_log_lines;
  guint64          next_input_id; /* under lock, by the recording thread */
  GHashTable      *seen_inputs;   /* lhub_id JSON text; likewise */
  JsonNode        *overrides;
  JsonArray       *validation_errors;

  /* events waiting to go to the writer as one batch (under lock) */
  GPtrArray       *batch;

  /* completion */
  GMutex           lock;
  GCond            cond;
  gboolean         done;
  gint64           result_id;
  GError          *result_error;
};

typedef struct
{
  sqlite3      *db;
  gboolean      in_tx;
  guint         active;
  GPtrArray    *pending;    /* finished recordings waiting for COMMIT */
  GPtrArray    *open;       /* begun, not finished */
  gboolean      prune_due;
  sqlite3_stmt *insert_run;
  sqlite3_stmt *insert_row;
  sqlite3_stmt *finish_run;
} Writer;

/* One row of a run made ready (serialized, redacted) by the thread that
 * records, so the writer only inserts text and no event object crosses
 * threads; the events the writer must look at travel as they are. */
typedef struct
{
  IwbHistoryRowKind  kind;
  char              *correlation;
  char              *data;
  IwbRunEvent       *event; /* VALIDATION_ERRORS, OVERRIDES, FINISHED */
} Pending;

static void
pending_free (gpointer data)
{
  Pending *p = data;

  g_free (p->correlation);
  g_free (p->data);
  g_clear_object (&p->event);
  g_free (p);
}

void
_iwb_history_push (IwbHistory *self,
                   WriterOp   *op)
{
  g_async_queue_push (self->queue, op);
}

/* JSON text of @node with secrets redacted. */
static char *
redacted_json (IwbHistoryRecording *rec,
               JsonNode            *node)
{
  GString *out = g_string_sized_new (128);

  _iwb_history_append_json (out, node, rec->needles);
  return g_string_free (out, FALSE);
}

/* -- recordings */

IwbHistoryRecording *
iwb_history_recording_ref (IwbHistoryRecording *rec)
{
  g_atomic_ref_count_inc (&rec->ref);
  return rec;
}

void
iwb_history_recording_unref (IwbHistoryRecording *rec)
{
  if (!g_atomic_ref_count_dec (&rec->ref))
    return;
  g_async_queue_unref (rec->queue);
  g_free (rec->integration);
  g_free (rec->action);
  g_free (rec->profile);
  g_clear_pointer (&rec->params, json_node_unref);
  g_ptr_array_unref (rec->needles);
  g_clear_pointer (&rec->seen_inputs, g_hash_table_unref);
  g_clear_pointer (&rec->overrides, json_node_unref);
  g_clear_pointer (&rec->validation_errors, json_array_unref);
  g_clear_error (&rec->result_error);
  g_clear_pointer (&rec->batch, g_ptr_array_unref);
  for (guint k = 0; k < G_N_ELEMENTS (rec->chunks); k++)
    {
      if (rec->chunks[k].data)
        g_string_free (rec->chunks[k].data, TRUE);
      if (rec->chunks[k].correlation)
        g_string_free (rec->chunks[k].correlation, TRUE);
    }
  g_mutex_clear (&rec->lock);
  g_cond_clear (&rec->cond);
  g_free (rec);
}

static void
complete (IwbHistoryRecording *rec,
          const GError        *error)
{
  g_mutex_lock (&rec->lock);
  if (!rec->done)
    {
      rec->done = TRUE;
      rec->result_id = error ? 0 : rec->id;
      if (error)
        rec->result_error = g_error_copy (error);
    }
  g_cond_broadcast (&rec->cond);
  g_mutex_unlock (&rec->lock);
}

IwbHistoryRecording *
iwb_history_begin (IwbHistory              *self,
                   const IwbHistoryRunInfo *info)
{
  IwbHistoryRecording *rec = g_new0 (IwbHistoryRecording, 1);
  WriterOp *op = g_new0 (WriterOp, 1);
  JsonObject *params = json_object_new ();

  g_return_val_if_fail (IWB_IS_HISTORY (self), NULL);
  g_atomic_ref_count_init (&rec->ref);
  g_mutex_init (&rec->lock);
  g_cond_init (&rec->cond);
  rec->queue = g_async_queue_ref (self->queue);
  rec->kind = info->kind;
  rec->integration = g_strdup (info->integration);
  rec->action = g_strdup (info->action);
  rec->profile = g_strdup (info->profile);
  rec->needles = _iwb_history_build_needles (info->secret_values);
  rec->seen_inputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rec->validation_errors = json_array_new ();
  rec->next_input_id = 1;
  if (info->params != NULL)
    {
      JsonObjectIter it;
      const char *id;
      JsonNode *value;

      json_object_iter_init (&it, info->params);
      while (json_object_iter_next (&it, &id, &value))
        {
          if (info->secret_ids && g_strv_contains (info->secret_ids, id))
            json_object_set_string_member (params, id, IWB_HISTORY_SECRET_MARKER);
          else
            json_object_set_member (params, id, json_node_copy (value));
        }
    }
  {
    g_autoptr(JsonNode) given = json_node_init_object (json_node_alloc (), params);

    rec->params = _iwb_history_redacted_copy (rec->needles, given);
  }
  json_object_unref (params);

  op->kind = WRITER_OP_BEGIN;
  op->rec = iwb_history_recording_ref (rec);
  _iwb_history_push (self, op);
  return rec;
}

#define BATCH_EVENTS 256

/* Lock held: hands the pending events to the writer. */
static void
push_batch (IwbHistoryRecording *rec)
{
  WriterOp *op;

  if (rec->batch == NULL || rec->batch->len == 0)
    return;
  op = g_new0 (WriterOp, 1);
  op->kind = WRITER_OP_EVENT;
  op->rec = iwb_history_recording_ref (rec);
  op->rows = g_steal_pointer (&rec->batch);
  g_async_queue_push (rec->queue, op);
}

/* Lock held. */
static void
queue (IwbHistoryRecording *rec,
       IwbHistoryRowKind    kind,
       char                *correlation,
       char                *data,
       IwbRunEvent         *event)
{
  Pending *p = g_new0 (Pending, 1);

  p->kind = kind;
  p->correlation = correlation;
  p->data = data;
  p->event = event ? g_object_ref (event) : NULL;
  if (rec->batch == NULL)
    rec->batch = g_ptr_array_new_full (BATCH_EVENTS, pending_free);
  g_ptr_array_add (rec->batch, p);
}

/* Lock held: the input row of an lhub_id, the first time it is seen. */
static void
queue_input (IwbHistoryRecording *rec,
             const char          *lhub_id,
             JsonObject          *row)
{
  g_autoptr(JsonNode) node = NULL;

  if (row == NULL || lhub_id == NULL || g_hash_table_contains (rec->seen_inputs, lhub_id))
    return;
  g_hash_table_add (rec->seen_inputs, g_strdup (lhub_id));
  node = json_node_init_object (json_node_alloc (), row);
  queue (rec, IWB_HISTORY_ROW_INPUT, g_strdup (lhub_id), redacted_json (rec, node), NULL);
}

/* Lock held. */
static void
queue_log (IwbHistoryRecording *rec,
           IwbRunEvent         *event)
{
  const char *line = iwb_run_event_get_text (event);
  g_autofree char *cut = NULL;
  gboolean truncated = iwb_run_event_get_truncated (event);
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  rec->n_log_lines++;
  if (rec->n_log_lines > IWB_HISTORY_MAX_LOG_LINES)
    return; /* counted, not kept */
  if (line != NULL && strlen (line) > IWB_HISTORY_MAX_LOG_LINE)
    {
      const char *end = g_utf8_find_prev_char (line, line + IWB_HISTORY_MAX_LOG_LINE + 1);

      cut = g_strndup (line, end - line);
      truncated = TRUE;
    }
  json_object_set_string_member (o, "stream", iwb_run_event_get_stream (event));
  json_object_set_string_member (o, "text", cut ? cut : line ? line : "");
  if (truncated)
    json_object_set_boolean_member (o, "truncated", TRUE);
  node = json_node_init_object (json_node_alloc (), o);
  queue (rec, IWB_HISTORY_ROW_LOG, NULL, redacted_json (rec, node), NULL);
}

/* Rows go to the writer in batches (one wake-up of the writer per 256
 * instead of one per event); the FINISHED event sends the rest. Nothing is
 * lost by waiting: a run is committed only once it finished. */
void
iwb_history_recording_add_event (IwbHistoryRecording *rec,
                                 IwbRunEvent         *event)
{
  IwbRunEventKind kind = iwb_run_event_get_kind (event);
  JsonNode *lhub = iwb_run_event_get_lhub_id (event);
  char *correlation;

  g_mutex_lock (&rec->lock);
  correlation = lhub ? redacted_json (rec, lhub) : NULL;
  switch (kind)
    {
    case IWB_RUN_EVENT_RESULT:
    case IWB_RUN_EVENT_ROW_ERROR:
      queue_input (rec, correlation, iwb_run_event_get_input_row (event));
      queue (rec, kind == IWB_RUN_EVENT_RESULT ? IWB_HISTORY_ROW_RESULT : IWB_HISTORY_ROW_ERROR,
             correlation, redacted_json (rec, iwb_run_event_get_payload (event)), NULL);
      break;
    case IWB_RUN_EVENT_LOG:
      g_free (correlation);
      queue_log (rec, event);
      break;
    case IWB_RUN_EVENT_VALIDATION_ERRORS:
    case IWB_RUN_EVENT_OVERRIDES:
    case IWB_RUN_EVENT_FINISHED:
      g_free (correlation);
      queue (rec, IWB_HISTORY_ROW_EVENT, NULL, NULL, event);
      break;
    case IWB_RUN_EVENT_HTTP: /* redacted in the child; the needles again here */
      g_free (correlation);
      queue (rec, IWB_HISTORY_ROW_HTTP, NULL,
             redacted_json (rec, iwb_http_exchange_get_json (iwb_run_event_get_exchange (event))), NULL);
      break;
    case IWB_RUN_EVENT_INSTANTIATION_ERROR:
    case IWB_RUN_EVENT_FILE:
    case IWB_RUN_EVENT_WARNING:
    default:
      {
        g_autoptr(JsonNode) node = iwb_run_event_to_json (event);

        queue (rec, IWB_HISTORY_ROW_EVENT, correlation, redacted_json (rec, node), NULL);
      }
    }
  if (kind == IWB_RUN_EVENT_FINISHED || (rec->batch != NULL && rec->batch->len >= BATCH_EVENTS))
    push_batch (rec);
  g_mutex_unlock (&rec->lock);
}

void
iwb_history_recording_add_inputs (IwbHistoryRecording *rec,
                                  GPtrArray           *rows)
{
  g_mutex_lock (&rec->lock);
  for (guint i = 0; i < rows->len; i++)
    {
      JsonNode *own = json_object_get_member (rows->pdata[i], "lhub_id");
      g_autofree char *id = NULL;

      /* as IwbRun numbers them: their own lhub_id, else 1, 2, 3... */
      if (own != NULL && !JSON_NODE_HOLDS_NULL (own))
        id = redacted_json (rec, own);
      else
        id = g_strdup_printf ("%" G_GUINT64_FORMAT, rec->next_input_id++);
      queue_input (rec, id, rows->pdata[i]);
      if (rec->batch != NULL && rec->batch->len >= BATCH_EVENTS)
        push_batch (rec);
    }
  push_batch (rec);
  g_mutex_unlock (&rec->lock);
}

static void
on_run_event (IwbRun      *run,
              IwbRunEvent *event,
              gpointer     user_data)
{
  IwbHistoryRecording *rec = user_data;

  iwb_history_recording_add_event (rec, event);
  if (iwb_run_event_get_kind (event) == IWB_RUN_EVENT_FINISHED)
    g_signal_handlers_disconnect_by_func (run, on_run_event, rec);
}

IwbHistoryRecording *
iwb_history_record_run (IwbHistory              *self,
                        IwbRun                  *run,
                        const IwbHistoryRunInfo *info)
{
  IwbHistoryRecording *rec = iwb_history_begin (self, info);

  g_signal_connect_data (run, "event", G_CALLBACK (on_run_event),
                         iwb_history_recording_ref (rec),
                         (GClosureNotify) (void (*) (void)) iwb_history_recording_unref, 0);
  return rec;
}

gint64
iwb_history_recording_wait (IwbHistoryRecording  *rec,
                            GError              **error)
{
  gint64 id;

  g_mutex_lock (&rec->lock);
  while (!rec->done)
    g_cond_wait (&rec->cond, &rec->lock);
  id = rec->result_id;
  if (rec->result_error != NULL)
    g_propagate_error (error, g_error_copy (rec->result_error));
  g_mutex_unlock (&rec->lock);
  return id;
}

static void
wait_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  gint64 id = iwb_history_recording_wait (data, &error);

  if (id == 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, id);
}

void
iwb_history_recording_wait_async (IwbHistoryRecording *rec,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, iwb_history_recording_wait_async);
  g_task_set_task_data (task, iwb_history_recording_ref (rec),
                        (GDestroyNotify) iwb_history_recording_unref);
  g_task_run_in_thread (task, wait_thread);
}

gint64
iwb_history_recording_wait_finish (IwbHistoryRecording  *rec,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

/* -- the writer */

/* Rows of one kind are stored IWB_HISTORY_CHUNK_ROWS to an SQLite row (JSON
 * Lines; see iwb_history_foreach_row()): a 100,000-result run is a few
 * thousand inserts instead of 200,000. */
static gboolean
flush_chunk (Writer              *w,
             IwbHistoryRecording *rec,
             IwbHistoryRowKind    kind)
{
  int rc;

  if (rec->chunks[kind].n == 0)
    return TRUE;
  sqlite3_bind_int64 (w->insert_row, 1, rec->id);
  sqlite3_bind_int64 (w->insert_row, 2, rec->seq++);
  sqlite3_bind_int (w->insert_row, 3, kind);
  if (rec->chunks[kind].any_correlation)
    sqlite3_bind_text (w->insert_row, 4, rec->chunks[kind].correlation->str,
                       rec->chunks[kind].correlation->len, SQLITE_STATIC);
  else
    sqlite3_bind_null (w->insert_row, 4);
  sqlite3_bind_text (w->insert_row, 5, rec->chunks[kind].data->str, rec->chunks[kind].data->len,
                     SQLITE_STATIC);
  rc = sqlite3_step (w->insert_row);
  sqlite3_reset (w->insert_row);
  g_string_truncate (rec->chunks[kind].data, 0);
  g_string_truncate (rec->chunks[kind].correlation, 0);
  rec->chunks[kind].n = 0;
  rec->chunks[kind].any_correlation = FALSE;
  return rc == SQLITE_DONE;
}

static gboolean
insert_row (Writer               *w,
            IwbHistoryRecording  *rec,
            IwbHistoryRowKind     kind,
            const char           *correlation,
            const char           *data)
{
  Chunk *c = &rec->chunks[kind];

  if (c->data == NULL)
    {
      c->data = g_string_sized_new (4096);
      c->correlation = g_string_sized_new (256);
    }
  if (c->n > 0)
    {
      g_string_append_c (c->data, '\n');
      g_string_append_c (c->correlation, '\n');
    }
  g_string_append (c->data, data);
  if (correlation != NULL)
    {
      g_string_append (c->correlation, correlation);
      c->any_correlation = TRUE;
    }
  c->n++;
  rec->bytes += strlen (data) + (correlation ? strlen (correlation) : 0);
  return c->n < IWB_HISTORY_CHUNK_ROWS || flush_chunk (w, rec, kind);
}

static gboolean
finish_run (Writer              *w,
            IwbHistoryRecording *rec,
            IwbRunEvent         *event)
{
  const IwbRunCounts *counts = iwb_run_event_get_counts (event);
  g_autofree char *params = redacted_json (rec, rec->params);
  g_autofree char *overrides = rec->overrides ? redacted_json (rec, rec->overrides) : NULL;
  g_autofree char *errors = NULL;
  sqlite3_stmt *s = w->finish_run;
  int rc;

  for (guint k = 0; k < G_N_ELEMENTS (rec->chunks); k++)
    if (!flush_chunk (w, rec, k))
      return FALSE;
  if (json_array_get_length (rec->validation_errors) > 0)
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), rec->validation_errors);

      errors = redacted_json (rec, node);
    }
  sqlite3_bind_text (s, 1, iwb_run_status_to_string (iwb_run_event_get_status (event)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int (s, 2, iwb_run_event_get_exit_code (event));
  sqlite3_bind_int64 (s, 3, iwb_run_event_get_duration_us (event) / 1000);
  sqlite3_bind_text (s, 4, params, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 5, overrides, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 6, errors, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 7, MAX (rec->n_inputs, counts ? counts->rows_in : 0));
  sqlite3_bind_int64 (s, 8, rec->n_results);
  sqlite3_bind_int64 (s, 9, rec->n_row_errors);
  g_mutex_lock (&rec->lock);
  sqlite3_bind_int64 (s, 10, rec->n_log_lines); /* counted by the recording thread */
  g_mutex_unlock (&rec->lock);
  sqlite3_bind_int64 (s, 11, rec->bytes + strlen (params) + (overrides ? strlen (overrides) : 0) +
                             (errors ? strlen (errors) : 0));
  sqlite3_bind_int64 (s, 12, rec->id);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  sqlite3_clear_bindings (s);
  return rc == SQLITE_DONE;
}

static gboolean
write_event (Writer              *w,
             IwbHistoryRecording *rec,
             IwbRunEvent         *event,
             gboolean            *finished)
{
  switch (iwb_run_event_get_kind (event))
    {
    case IWB_RUN_EVENT_VALIDATION_ERRORS:
      {
        GPtrArray *errors = iwb_run_event_get_field_errors (event);

        for (guint i = 0; errors != NULL && i < errors->len; i++)
          {
            IwbFieldError *e = errors->pdata[i];
            JsonObject *o = json_object_new ();

            json_object_set_string_member (o, "field", e->field);
            json_object_set_string_member (o, "inputId", e->input_id);
            json_object_set_string_member (o, "message", e->message);
            json_array_add_object_element (rec->validation_errors, o);
          }
        if ((errors == NULL || errors->len == 0) && iwb_run_event_get_message (event) != NULL)
          {
            JsonObject *o = json_object_new ();

            json_object_set_string_member (o, "message", iwb_run_event_get_message (event));
            json_array_add_object_element (rec->validation_errors, o);
          }
        return TRUE;
      }

    case IWB_RUN_EVENT_OVERRIDES:
      g_clear_pointer (&rec->overrides, json_node_unref);
      if (iwb_run_event_get_payload (event) != NULL)
        rec->overrides = json_node_copy (iwb_run_event_get_payload (event));
      return TRUE;

    case IWB_RUN_EVENT_FINISHED:
      *finished = TRUE;
      return finish_run (w, rec, event);

    default:
      return TRUE;
    }
}

static gboolean
write_pending (Writer              *w,
               IwbHistoryRecording *rec,
               Pending             *p,
               gboolean            *finished)
{
  if (p->event != NULL)
    return write_event (w, rec, p->event, finished);
  switch (p->kind)
    {
    case IWB_HISTORY_ROW_INPUT: rec->n_inputs++; break;
    case IWB_HISTORY_ROW_RESULT: rec->n_results++; break;
    case IWB_HISTORY_ROW_ERROR: rec->n_row_errors++; break;
    case IWB_HISTORY_ROW_LOG:
    case IWB_HISTORY_ROW_EVENT:
    default: break;
    }
  return insert_row (w, rec, p->kind, p->correlation, p->data);
}

static void
fail_transaction (Writer       *w,
                  const GError *error)
{
  g_autoptr(GPtrArray) open = g_steal_pointer (&w->open);
  g_autoptr(GPtrArray) pending = g_steal_pointer (&w->pending);

  if (w->in_tx)
    sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
  w->in_tx = FALSE;
  w->active = 0;
  for (guint i = 0; i < open->len; i++)
    {
      IwbHistoryRecording *rec = open->pdata[i];

      rec->failed = TRUE;
      complete (rec, error);
    }
  for (guint i = 0; i < pending->len; i++)
    complete (pending->pdata[i], error);
  w->open = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_history_recording_unref);
  w->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_history_recording_unref);
}

static void
begin_recording (Writer              *w,
                 IwbHistoryRecording *rec)
{
  g_autoptr(GError) error = NULL;

  if (!w->in_tx)
    {
      if (!_iwb_history_exec (w->db, "BEGIN IMMEDIATE", &error))
        {
          g_prefix_error (&error, _("This run was not recorded: "));
          rec->failed = TRUE;
          complete (rec, error);
          return;
        }
      w->in_tx = TRUE;
    }
  sqlite3_bind_text (w->insert_run, 1, iwb_history_kind_to_string (rec->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (w->insert_run, 2, rec->integration, -1, SQLITE_STATIC);
  sqlite3_bind_text (w->insert_run, 3, rec->action, -1, SQLITE_STATIC);
  sqlite3_bind_text (w->insert_run, 4, rec->profile, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (w->insert_run, 5, g_get_real_time () / 1000);
  if (sqlite3_step (w->insert_run) != SQLITE_DONE)
    {
      _iwb_history_set_error (&error, w->db, "insert run");
      sqlite3_reset (w->insert_run);
      rec->failed = TRUE;
      complete (rec, error);
      if (w->active == 0)
        fail_transaction (w, error);
      return;
    }
  sqlite3_reset (w->insert_run);
  rec->id = sqlite3_last_insert_rowid (w->db);
  rec->begun = TRUE;
  w->active++;
  g_ptr_array_add (w->open, iwb_history_recording_ref (rec));
}

static void
handle_pending (Writer              *w,
                IwbHistoryRecording *rec,
                Pending             *p)
{
  gboolean finished = FALSE;

  if (rec->failed || !rec->begun)
    return;
  if (!write_pending (w, rec, p, &finished))
    {
      g_autoptr(GError) error = NULL;

      _iwb_history_set_error (&error, w->db, "record");
      g_prefix_error (&error, _("This run was not recorded: "));
      fail_transaction (w, error);
      return;
    }
  if (finished)
    {
      g_ptr_array_remove (w->open, rec); /* drops the open ref */
      w->active--;
      g_ptr_array_add (w->pending, iwb_history_recording_ref (rec));
      rec->begun = FALSE;
      w->prune_due = TRUE;
    }
}

static void
commit_if_idle (Writer *w)
{
  g_autoptr(GError) error = NULL;

  if (!w->in_tx || w->active > 0)
    return;
  if (!_iwb_history_exec (w->db, "COMMIT", &error))
    {
      g_prefix_error (&error, _("This run was not recorded: "));
      fail_transaction (w, error);
      return;
    }
  w->in_tx = FALSE;
  for (guint i = 0; i < w->pending->len; i++)
    complete (w->pending->pdata[i], NULL);
  g_ptr_array_set_size (w->pending, 0);
}

static gboolean
nothing (IwbHistory  *self,
         sqlite3     *db,
         gpointer     data,
         GError     **error)
{
  return TRUE;
}

void
iwb_history_flush (IwbHistory *self)
{
  _iwb_history_call (self, nothing, NULL, NULL);
}

gboolean
_iwb_history_call (IwbHistory  *self,
                   WriterFunc   func,
                   gpointer     data,
                   GError     **error)
{
  WriterOp *op = g_new0 (WriterOp, 1);
  GMutex mutex;
  GCond cond;
  gboolean done = FALSE, ok = FALSE;

  g_mutex_init (&mutex);
  g_cond_init (&cond);
  op->kind = WRITER_OP_CALL;
  op->func = func;
  op->data = data;
  op->mutex = &mutex;
  op->cond = &cond;
  op->done = &done;
  op->ok = &ok;
  op->error = error;
  g_mutex_lock (&mutex);
  _iwb_history_push (self, op);
  while (!done)
    g_cond_wait (&cond, &mutex);
  g_mutex_unlock (&mutex);
  g_mutex_clear (&mutex);
  g_cond_clear (&cond);
  return ok;
}

static void
writer_op_free (WriterOp *op)
{
  g_clear_pointer (&op->rec, iwb_history_recording_unref);
  g_clear_pointer (&op->rows, g_ptr_array_unref);
  g_free (op);
}

gpointer
_iwb_history_writer_main (gpointer data)
{
  IwbHistory *self = data;
  Writer w = { .db = self->write_db };
  gboolean quit = FALSE;

  w.open = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_history_recording_unref);
  w.pending = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_history_recording_unref);
  sqlite3_prepare_v2 (w.db, "INSERT INTO runs (kind, integration, action, profile, started, status) "
                            "VALUES (?, ?, ?, ?, ?, 'recording')", -1, &w.insert_run, NULL);
  sqlite3_prepare_v2 (w.db, "INSERT INTO rows (run_id, seq, kind, correlation, data) "
                            "VALUES (?, ?, ?, ?, ?)", -1, &w.insert_row, NULL);
  sqlite3_prepare_v2 (w.db, "UPDATE runs SET status = ?, exit_code = ?, duration_ms = ?, "
                            "params = ?, overrides = ?, validation_errors = ?, n_inputs = ?, "
                            "n_results = ?, n_row_errors = ?, n_log_lines = ?, bytes = ? "
                            "WHERE id = ?", -1, &w.finish_run, NULL);

  while (!quit)
    {
      WriterOp *op = g_async_queue_pop (self->queue);

      switch (op->kind)
        {
        case WRITER_OP_BEGIN:
          begin_recording (&w, op->rec);
          break;
        case WRITER_OP_EVENT:
          for (guint i = 0; i < op->rows->len; i++)
            handle_pending (&w, op->rec, op->rows->pdata[i]);
          break;
        case WRITER_OP_CALL:
          {
            GError *local_error = NULL;
            gboolean ok = op->func (self, w.db, op->data, op->error ? &local_error : NULL);

            if (op->mutex != NULL)
              {
                g_mutex_lock (op->mutex);
                if (local_error != NULL)
                  g_propagate_error (op->error, local_error);
                *op->ok = ok;
                *op->done = TRUE;
                g_cond_signal (op->cond);
                g_mutex_unlock (op->mutex);
              }
            else
              g_clear_error (&local_error);
          }
          break;
        case WRITER_OP_QUIT:
          {
            g_autoptr(GError) error =
              g_error_new (IWB_ERROR, IWB_ERROR_CANCELLED,
                           _("This run was not recorded: the history was closed before it ended"));

            fail_transaction (&w, error);
            quit = TRUE;
          }
          break;
        }
      writer_op_free (op);
      commit_if_idle (&w);
      if (!w.in_tx && w.prune_due)
        {
          w.prune_due = FALSE;
          _iwb_history_prune_now (self, w.db, NULL, NULL);
        }
    }
  sqlite3_finalize (w.insert_run);
  sqlite3_finalize (w.insert_row);
  sqlite3_finalize (w.finish_run);
  g_ptr_array_unref (w.open);
  g_ptr_array_unref (w.pending);
  return NULL;
}

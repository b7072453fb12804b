/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbHistory: recordings (the recording thread's side: events made ready,
 * serialized and redacted, in batches for the writer) and waiting for them. */
#include "config.h"

#include <string.h>

#include "iwb-gstring.h"
#include "iwb-json.h"
#include "iwb-error.h"
#include "iwb-history-recording-private.h"
#include "iwb-redact.h"
#include "iwb-run.h"

void
_iwb_history_chunk_free (Chunk *chunk)
{
  if (chunk == NULL)
    return;
  g_string_free (chunk->data, TRUE);
  g_string_free (chunk->correlation, TRUE);
  g_free (chunk);
}

void
_iwb_history_pending_free (gpointer data)
{
  Pending *p = data;

  g_clear_pointer (&p->chunk, _iwb_history_chunk_free);
  g_clear_object (&p->event);
  g_free (p);
}

char *
_iwb_history_redacted_json (IwbHistoryRecording *rec,
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
  g_clear_pointer (&rec->seen_small, g_array_unref);
  g_clear_pointer (&rec->overrides, json_node_unref);
  g_clear_pointer (&rec->validation_errors, json_array_unref);
  g_clear_error (&rec->result_error);
  g_clear_pointer (&rec->batch, g_ptr_array_unref);
  for (guint k = 0; k < G_N_ELEMENTS (rec->chunks); k++)
    g_clear_pointer (&rec->chunks[k], _iwb_history_chunk_free);
  g_mutex_clear (&rec->lock);
  g_cond_clear (&rec->cond);
  g_free (rec);
}

void
_iwb_history_recording_complete (IwbHistoryRecording *rec,
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
  rec->seen_small = g_array_new (FALSE, TRUE, 1);
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

    rec->params = iwb_redact_json_copy (rec->needles, given, IWB_HISTORY_SECRET_MARKER);
  }
  json_object_unref (params);

  op->kind = WRITER_OP_BEGIN;
  op->rec = iwb_history_recording_ref (rec);
  _iwb_history_push (self, op);
  return rec;
}

/* Chunks handed to the writer at once (a wake-up of the writer per 256
 * rows or so). */
#define BATCH_CHUNKS 4

/* Lock held: hands the pending chunks and events to the writer. */
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
add_pending (IwbHistoryRecording *rec,
             Chunk               *chunk,
             IwbRunEvent         *event)
{
  Pending *p = g_new0 (Pending, 1);

  p->chunk = chunk;
  p->event = event ? g_object_ref (event) : NULL;
  if (rec->batch == NULL)
    rec->batch = g_ptr_array_new_full (BATCH_CHUNKS + 1, _iwb_history_pending_free);
  g_ptr_array_add (rec->batch, p);
}

/* Lock held: the chunk being filled of @kind goes to the writer. */
static void
close_chunk (IwbHistoryRecording *rec,
             IwbHistoryRowKind    kind)
{
  Chunk *c = rec->chunks[kind];

  if (c == NULL || c->n == 0)
    return;
  rec->chunks[kind] = NULL;
  add_pending (rec, c, NULL);
}

/* Lock held: one row (@correlation nullable), copied into the chunk of its
 * kind; a full chunk goes to the writer. */
static void
append_row (IwbHistoryRecording *rec,
            IwbHistoryRowKind    kind,
            const char          *correlation,
            const char          *data)
{
  Chunk *c = rec->chunks[kind];
  gsize len = strlen (data);

  if (c == NULL)
    {
      c = g_new0 (Chunk, 1);
      c->kind = kind;
      c->data = g_string_sized_new (MAX (4096, len * IWB_HISTORY_CHUNK_ROWS + 64));
      c->correlation = g_string_sized_new (512);
      rec->chunks[kind] = c;
    }
  if (c->n > 0)
    {
      g_string_append_c (c->data, '\n');
      g_string_append_c (c->correlation, '\n');
    }
  iwb_string_append_len (c->data, data, len);
  c->bytes += len;
  if (correlation != NULL)
    {
      gsize clen = strlen (correlation);

      iwb_string_append_len (c->correlation, correlation, clen);
      c->bytes += clen;
      c->any_correlation = TRUE;
    }
  c->n++;
  if (c->n >= IWB_HISTORY_CHUNK_ROWS)
    {
      close_chunk (rec, kind);
      if (rec->batch->len >= BATCH_CHUNKS)
        push_batch (rec);
    }
}

/* Lock held: takes @data. */
static void
queue (IwbHistoryRecording *rec,
       IwbHistoryRowKind    kind,
       const char          *correlation,
       char                *data)
{
  append_row (rec, kind, correlation, data);
  g_free (data);
}

/* Lock held: an event the writer looks at itself; every row before it goes
 * first (FINISHED ends the run). */
static void
queue_event (IwbHistoryRecording *rec,
             IwbRunEvent         *event)
{
  if (iwb_run_event_get_kind (event) == IWB_RUN_EVENT_FINISHED)
    for (guint k = 0; k < G_N_ELEMENTS (rec->chunks); k++)
      close_chunk (rec, k);
  add_pending (rec, NULL, event);
}

/* Lock held: TRUE the first time an input row's lhub_id (its JSON text)
 * is seen. Plain small integers (the ids IwbRun gives: 1, 2, 3, ...) take a
 * bit each instead of a string in a table. */
static gboolean
first_sight (IwbHistoryRecording *rec,
             const char          *lhub_id)
{
  gsize n = strlen (lhub_id);

  if (n > 0 && n <= 7 && (lhub_id[0] != '0' || n == 1) && strspn (lhub_id, "0123456789") == n)
    {
      guint v = (guint) g_ascii_strtoull (lhub_id, NULL, 10);
      guint8 bit = 1u << (v & 7);

      if (v < (1u << 24))
        {
          guint8 *byte;

          if (rec->seen_small->len <= v / 8)
            g_array_set_size (rec->seen_small, MAX (v / 8 + 1, rec->seen_small->len * 2));
          byte = &g_array_index (rec->seen_small, guint8, v / 8);
          if (*byte & bit)
            return FALSE;
          *byte |= bit;
          return TRUE;
        }
    }
  if (g_hash_table_contains (rec->seen_inputs, lhub_id))
    return FALSE;
  g_hash_table_add (rec->seen_inputs, g_strdup (lhub_id));
  return TRUE;
}

/* Lock held: the input row of an lhub_id, the first time it is seen. */
static void
queue_input (IwbHistoryRecording *rec,
             const char          *lhub_id,
             JsonObject          *row)
{
  g_autoptr(JsonNode) node = NULL;

  if (row == NULL || lhub_id == NULL || !first_sight (rec, lhub_id))
    return;
  node = json_node_init_object (json_node_alloc (), row);
  queue (rec, IWB_HISTORY_ROW_INPUT, lhub_id, _iwb_history_redacted_json (rec, node));
}

/* Lock held: a result or row error and, the first time its lhub_id is
 * seen, its input row. Without secrets to look for, the event's own
 * compact texts are stored as they are (no second serialization), unless
 * they hold NaN or an infinity, which the history stores as null. */
static void
queue_result (IwbHistoryRecording *rec,
              IwbRunEvent         *event,
              const char          *correlation)
{
  IwbHistoryRowKind kind = iwb_run_event_get_kind (event) == IWB_RUN_EVENT_RESULT
                           ? IWB_HISTORY_ROW_RESULT : IWB_HISTORY_ROW_ERROR;
  gboolean as_is = rec->needles->len == 0 && iwb_run_event_get_json_finite (event);
  const char *row_json = as_is ? iwb_run_event_get_input_row_json (event) : NULL;

  if (row_json != NULL)
    {
      if (correlation != NULL && first_sight (rec, correlation))
        append_row (rec, IWB_HISTORY_ROW_INPUT, correlation, row_json);
    }
  else
    queue_input (rec, correlation, iwb_run_event_get_input_row (event));
  if (as_is)
    append_row (rec, kind, correlation, iwb_run_event_get_payload_json (event));
  else
    queue (rec, kind, correlation, _iwb_history_redacted_json (rec, iwb_run_event_get_payload (event)));
}

/* Lock held: an HTTP exchange, redacted in the child and by the run; the
 * needles again here. Its own line is stored as it is when no secret is in
 * it (in any form) and it holds no NaN or infinity (stored as null). */
static void
queue_http (IwbHistoryRecording *rec,
            IwbHttpExchange     *exchange)
{
  const char *line = iwb_http_exchange_get_line (exchange, NULL);
  g_autofree char *redacted = NULL;

  if (iwb_http_exchange_get_finite (exchange) &&
      (rec->needles->len == 0 ||
       (redacted = iwb_redact_text (rec->needles, line, IWB_HISTORY_SECRET_MARKER)) == NULL))
    append_row (rec, IWB_HISTORY_ROW_HTTP, NULL, line);
  else
    queue (rec, IWB_HISTORY_ROW_HTTP, NULL,
           _iwb_history_redacted_json (rec, iwb_http_exchange_get_json (exchange)));
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
  queue (rec, IWB_HISTORY_ROW_LOG, NULL, _iwb_history_redacted_json (rec, node));
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
  g_autofree char *redacted = NULL;
  const char *correlation = NULL;
  char number[IWB_INT_TEXT_SIZE];

  g_mutex_lock (&rec->lock);
  /* the lhub_id's JSON text; an integer has no secret in it */
  if (lhub != NULL && JSON_NODE_HOLDS_VALUE (lhub) && json_node_get_value_type (lhub) == G_TYPE_INT64)
    correlation = iwb_int_to_text (json_node_get_int (lhub), number);
  else if (lhub != NULL)
    correlation = redacted = _iwb_history_redacted_json (rec, lhub);
  switch (kind)
    {
    case IWB_RUN_EVENT_RESULT:
    case IWB_RUN_EVENT_ROW_ERROR:
      queue_result (rec, event, correlation);
      break;
    case IWB_RUN_EVENT_LOG:
      queue_log (rec, event);
      break;
    case IWB_RUN_EVENT_VALIDATION_ERRORS:
    case IWB_RUN_EVENT_OVERRIDES:
    case IWB_RUN_EVENT_FINISHED:
      queue_event (rec, event);
      break;
    case IWB_RUN_EVENT_HTTP:
      queue_http (rec, iwb_run_event_get_exchange (event));
      break;
    case IWB_RUN_EVENT_INSTANTIATION_ERROR:
    case IWB_RUN_EVENT_FILE:
    case IWB_RUN_EVENT_WARNING:
    default:
      {
        g_autoptr(JsonNode) node = iwb_run_event_to_json (event);

        queue (rec, IWB_HISTORY_ROW_EVENT, correlation, _iwb_history_redacted_json (rec, node));
      }
    }
  if (kind == IWB_RUN_EVENT_FINISHED)
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
        id = _iwb_history_redacted_json (rec, own);
      else
        id = g_strdup_printf ("%" G_GUINT64_FORMAT, rec->next_input_id++);
      queue_input (rec, id, rows->pdata[i]);
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

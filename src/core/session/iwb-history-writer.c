/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbHistory: the writer thread, recordings, secret redaction, retention. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-history-private.h"
#include "iwb-run.h"
#include "iwb-json.h"

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
  gboolean         begun;
  gboolean         failed;
  gint64           id;
  gint64           seq;
  gint64           bytes;
  guint64          n_inputs;
  guint64          n_results;
  guint64          n_row_errors;
  guint64          n_log_lines;
  guint64          next_input_id;
  GHashTable      *seen_inputs;   /* lhub_id JSON text */
  JsonNode        *overrides;
  JsonArray       *validation_errors;

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

void
_iwb_history_push (IwbHistory *self,
                   WriterOp   *op)
{
  g_async_queue_push (self->queue, op);
}

/* -- redaction */

static void
add_needle (GPtrArray  *needles,
            const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  for (guint i = 0; i < needles->len; i++)
    if (g_str_equal (needles->pdata[i], text))
      return;
  g_ptr_array_add (needles, g_strdup (text));
}

static int
longest_first (gconstpointer a,
               gconstpointer b)
{
  return (int) strlen (*(char * const *) b) - (int) strlen (*(char * const *) a);
}

/* @s as Python's json.dumps() writes it (ensure_ascii), without the quotes. */
static char *
json_escape_ascii (const char *s)
{
  GString *out = g_string_new (NULL);

  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c < 0x20 || (c >= 0x7f && c < 0x10000))
        g_string_append_printf (out, "\\u%04x", c);
      else if (c >= 0x10000)
        g_string_append_printf (out, "\\u%04x\\u%04x", 0xd800 + ((c - 0x10000) >> 10),
                                0xdc00 + ((c - 0x10000) & 0x3ff));
      else
        g_string_append_c (out, (char) c);
    }
  return g_string_free (out, FALSE);
}

static GPtrArray *
build_needles (const char * const *secrets)
{
  GPtrArray *needles = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    {
      const char *s = secrets[i];
      g_autofree char *url = NULL;
      g_autofree char *b64 = NULL;
      g_autofree char *json = NULL;
      g_autoptr(JsonNode) node = NULL;

      if (*s == '\0')
        continue;
      add_needle (needles, s);
      url = g_uri_escape_string (s, NULL, FALSE);
      add_needle (needles, url);
      if (strchr (url, ' ') == NULL && strstr (url, "%20") != NULL)
        {
          g_autoptr(GString) form = g_string_new (url);

          g_string_replace (form, "%20", "+", 0);
          add_needle (needles, form->str);
        }
      b64 = g_base64_encode ((const guchar *) s, strlen (s));
      add_needle (needles, b64);
      if (g_utf8_validate (s, -1, NULL))
        {
          g_autofree char *ascii = json_escape_ascii (s);

          add_needle (needles, ascii);
        }
      node = json_node_init_string (json_node_alloc (), s);
      json = iwb_json_to_string (node, FALSE);
      if (strlen (json) >= 2)
        {
          json[strlen (json) - 1] = '\0';
          add_needle (needles, json + 1);
        }
    }
  g_ptr_array_sort (needles, longest_first);
  return needles;
}

/* @text with every needle replaced by the marker, or NULL if unchanged. */
static char *
redact_text (GPtrArray  *needles,
             const char *text)
{
  g_autoptr(GString) out = NULL;

  if (text == NULL)
    return NULL;
  for (guint i = 0; i < needles->len; i++)
    if (strstr (out ? out->str : text, needles->pdata[i]) != NULL)
      {
        if (out == NULL)
          out = g_string_new (text);
        g_string_replace (out, needles->pdata[i], IWB_HISTORY_SECRET_MARKER, 0);
      }
  return out ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

/* A new tree like @node with its strings (values and member names)
 * redacted. Built node by node: json_node_copy() shares the objects and
 * arrays of a sealed (immutable) node, such as an event's payload. */
static JsonNode *
redacted_copy (GPtrArray *needles,
               JsonNode  *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObject *copy = json_object_new ();
      g_autoptr(GList) names = json_object_get_members (object); /* in order */

      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autofree char *red = redact_text (needles, l->data);

          json_object_set_member (copy, red ? red : l->data,
                                  redacted_copy (needles, json_object_get_member (object, l->data)));
        }
      return json_node_init_object (json_node_alloc (), copy);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);
      JsonArray *copy = json_array_sized_new (n);

      for (guint i = 0; i < n; i++)
        json_array_add_element (copy, redacted_copy (needles, json_array_get_element (array, i)));
      return json_node_init_array (json_node_alloc (), copy);
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *red = redact_text (needles, json_node_get_string (node));

      if (red != NULL)
        return json_node_init_string (json_node_alloc (), red);
    }
  return json_node_copy (node);
}

/* JSON text of @node with secrets redacted. */
static char *
redacted_json (IwbHistoryRecording *rec,
               JsonNode            *node)
{
  if (node == NULL)
    return g_strdup ("null");
  if (rec->needles->len > 0)
    {
      g_autoptr(JsonNode) copy = redacted_copy (rec->needles, node);

      return iwb_json_to_string (copy, FALSE);
    }
  return iwb_json_to_string (node, FALSE);
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
  rec->needles = build_needles (info->secret_values);
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

    rec->params = redacted_copy (rec->needles, given);
  }
  json_object_unref (params);

  op->kind = WRITER_OP_BEGIN;
  op->rec = iwb_history_recording_ref (rec);
  _iwb_history_push (self, op);
  return rec;
}

void
iwb_history_recording_add_event (IwbHistoryRecording *rec,
                                 IwbRunEvent         *event)
{
  WriterOp *op = g_new0 (WriterOp, 1);

  op->kind = WRITER_OP_EVENT;
  op->rec = iwb_history_recording_ref (rec);
  op->event = g_object_ref (event);
  g_async_queue_push (rec->queue, op);
}

void
iwb_history_recording_add_inputs (IwbHistoryRecording *rec,
                                  GPtrArray           *rows)
{
  WriterOp *op = g_new0 (WriterOp, 1);

  op->kind = WRITER_OP_INPUTS;
  op->rec = iwb_history_recording_ref (rec);
  op->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (op->rows, json_object_ref (rows->pdata[i]));
  g_async_queue_push (rec->queue, op);
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

static gboolean
insert_row (Writer               *w,
            IwbHistoryRecording  *rec,
            IwbHistoryRowKind     kind,
            const char           *correlation,
            const char           *data)
{
  int rc;

  sqlite3_bind_int64 (w->insert_row, 1, rec->id);
  sqlite3_bind_int64 (w->insert_row, 2, rec->seq++);
  sqlite3_bind_int (w->insert_row, 3, kind);
  sqlite3_bind_text (w->insert_row, 4, correlation, -1, SQLITE_STATIC);
  sqlite3_bind_text (w->insert_row, 5, data, -1, SQLITE_STATIC);
  rc = sqlite3_step (w->insert_row);
  sqlite3_reset (w->insert_row);
  rec->bytes += strlen (data) + (correlation ? strlen (correlation) : 0);
  return rc == SQLITE_DONE;
}

static gboolean
insert_input (Writer              *w,
              IwbHistoryRecording *rec,
              const char          *lhub_id,
              JsonObject          *row)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (row == NULL || lhub_id == NULL || g_hash_table_contains (rec->seen_inputs, lhub_id))
    return TRUE;
  g_hash_table_add (rec->seen_inputs, g_strdup (lhub_id));
  node = json_node_init_object (json_node_alloc (), row);
  text = redacted_json (rec, node);
  rec->n_inputs++;
  return insert_row (w, rec, IWB_HISTORY_ROW_INPUT, lhub_id, text);
}

static gboolean
write_inputs (Writer              *w,
              IwbHistoryRecording *rec,
              GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      JsonNode *own = json_object_get_member (rows->pdata[i], "lhub_id");
      g_autofree char *id = NULL;

      if (own != NULL && !JSON_NODE_HOLDS_NULL (own))
        id = iwb_json_to_string (own, FALSE);
      else
        id = g_strdup_printf ("%" G_GUINT64_FORMAT, rec->next_input_id++);
      if (!insert_input (w, rec, id, rows->pdata[i]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
finish_run (Writer              *w,
            IwbHistoryRecording *rec,
            IwbRunEvent         *event)
{
  const IwbRunCounts *counts = iwb_run_event_get_counts (event);
  g_autofree char *params = iwb_json_to_string (rec->params, FALSE);
  g_autofree char *overrides = rec->overrides ? redacted_json (rec, rec->overrides) : NULL;
  g_autofree char *errors = NULL;
  sqlite3_stmt *s = w->finish_run;
  int rc;

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
  sqlite3_bind_int64 (s, 10, rec->n_log_lines);
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
  JsonNode *lhub = iwb_run_event_get_lhub_id (event);
  g_autofree char *correlation = lhub ? iwb_json_to_string (lhub, FALSE) : NULL;
  g_autofree char *text = NULL;

  switch (iwb_run_event_get_kind (event))
    {
    case IWB_RUN_EVENT_RESULT:
      rec->n_results++;
      if (!insert_input (w, rec, correlation, iwb_run_event_get_input_row (event)))
        return FALSE;
      text = redacted_json (rec, iwb_run_event_get_payload (event));
      return insert_row (w, rec, IWB_HISTORY_ROW_RESULT, correlation, text);

    case IWB_RUN_EVENT_ROW_ERROR:
      rec->n_row_errors++;
      if (!insert_input (w, rec, correlation, iwb_run_event_get_input_row (event)))
        return FALSE;
      text = redacted_json (rec, iwb_run_event_get_payload (event));
      return insert_row (w, rec, IWB_HISTORY_ROW_ERROR, correlation, text);

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

    case IWB_RUN_EVENT_LOG:
      rec->n_log_lines++;
      if (rec->n_log_lines > IWB_HISTORY_MAX_LOG_LINES)
        return TRUE;
      {
        const char *line = iwb_run_event_get_text (event);
        g_autofree char *cut = NULL;
        gboolean truncated = iwb_run_event_get_truncated (event);
        JsonObject *o = json_object_new ();
        g_autoptr(JsonNode) node = NULL;

        if (line != NULL && strlen (line) > IWB_HISTORY_MAX_LOG_LINE)
          {
            const char *end = line + IWB_HISTORY_MAX_LOG_LINE;

            end = g_utf8_find_prev_char (line, end + 1);
            cut = g_strndup (line, end - line);
            truncated = TRUE;
          }
        json_object_set_string_member (o, "stream", iwb_run_event_get_stream (event));
        json_object_set_string_member (o, "text", cut ? cut : line ? line : "");
        if (truncated)
          json_object_set_boolean_member (o, "truncated", TRUE);
        node = json_node_init_object (json_node_alloc (), o);
        json_object_unref (o);
        text = redacted_json (rec, node);
        return insert_row (w, rec, IWB_HISTORY_ROW_LOG, NULL, text);
      }

    case IWB_RUN_EVENT_FINISHED:
      *finished = TRUE;
      return finish_run (w, rec, event);

    case IWB_RUN_EVENT_INSTANTIATION_ERROR:
    case IWB_RUN_EVENT_FILE:
    case IWB_RUN_EVENT_WARNING:
    default:
      {
        g_autoptr(JsonNode) node = iwb_run_event_to_json (event);

        text = redacted_json (rec, node);
        return insert_row (w, rec, IWB_HISTORY_ROW_EVENT, correlation, text);
      }
    }
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
handle_event (Writer              *w,
              IwbHistoryRecording *rec,
              IwbRunEvent         *event)
{
  gboolean finished = FALSE;

  if (rec->failed || !rec->begun)
    return;
  if (!write_event (w, rec, event, &finished))
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
prune (IwbHistory  *self,
       sqlite3     *db,
       gpointer     data,
       GError     **error)
{
  guint keep = g_atomic_int_get (&self->keep_runs);
  guint64 max_bytes;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) integrations = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) doomed = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 total = 0;
  gboolean ok = FALSE;

  g_mutex_lock (&self->warn_lock);
  max_bytes = self->max_bytes;
  g_mutex_unlock (&self->warn_lock);

  if (!sqlite3_get_autocommit (db))
    return TRUE; /* a recording is open: after it ends */
  if (!_iwb_history_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (keep > 0)
    {
      if (sqlite3_prepare_v2 (db, "SELECT DISTINCT integration FROM runs", -1, &stmt, NULL) != SQLITE_OK)
        goto out;
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (integrations, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_clear_pointer (&stmt, sqlite3_finalize);
      if (sqlite3_prepare_v2 (db, "DELETE FROM runs WHERE integration = ?1 "
                                  "AND id NOT IN (SELECT run_id FROM baselines) "
                                  "AND id < (SELECT id FROM runs WHERE integration = ?1 "
                                  "          ORDER BY id DESC LIMIT 1 OFFSET ?2)",
                              -1, &stmt, NULL) != SQLITE_OK)
        goto out;
      for (guint i = 0; i < integrations->len; i++)
        {
          sqlite3_bind_text (stmt, 1, integrations->pdata[i], -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, keep - 1);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            goto out;
          sqlite3_reset (stmt);
        }
      g_clear_pointer (&stmt, sqlite3_finalize);
    }
  if (max_bytes > 0)
    {
      if (sqlite3_prepare_v2 (db, "SELECT COALESCE (SUM (bytes), 0) FROM runs", -1, &stmt, NULL) != SQLITE_OK ||
          sqlite3_step (stmt) != SQLITE_ROW)
        goto out;
      total = sqlite3_column_int64 (stmt, 0);
      g_clear_pointer (&stmt, sqlite3_finalize);
      if ((guint64) total > max_bytes)
        {
          /* oldest first, never a baseline nor the newest run */
          if (sqlite3_prepare_v2 (db, "SELECT id, bytes FROM runs "
                                      "WHERE id NOT IN (SELECT run_id FROM baselines) "
                                      "AND id < (SELECT MAX (id) FROM runs) ORDER BY id",
                                  -1, &stmt, NULL) != SQLITE_OK)
            goto out;
          while ((guint64) total > max_bytes && sqlite3_step (stmt) == SQLITE_ROW)
            {
              gint64 id = sqlite3_column_int64 (stmt, 0);

              total -= sqlite3_column_int64 (stmt, 1);
              g_array_append_val (doomed, id);
            }
          g_clear_pointer (&stmt, sqlite3_finalize);
          if (sqlite3_prepare_v2 (db, "DELETE FROM runs WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
            goto out;
          for (guint i = 0; i < doomed->len; i++)
            {
              sqlite3_bind_int64 (stmt, 1, g_array_index (doomed, gint64, i));
              if (sqlite3_step (stmt) != SQLITE_DONE)
                goto out;
              sqlite3_reset (stmt);
            }
          g_clear_pointer (&stmt, sqlite3_finalize);
        }
    }
  ok = TRUE;
out:
  if (!ok)
    _iwb_history_set_error (error, db, "prune");
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (ok && !_iwb_history_exec (db, "COMMIT", error))
    ok = FALSE;
  if (!ok)
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  else
    sqlite3_exec (db, "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(PASSIVE)", NULL, NULL, NULL);
  return ok;
}

void
iwb_history_prune (IwbHistory *self)
{
  WriterOp *op = g_new0 (WriterOp, 1);

  op->kind = WRITER_OP_CALL;
  op->func = prune;
  _iwb_history_push (self, op);
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
  g_clear_object (&op->event);
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
          handle_event (&w, op->rec, op->event);
          break;
        case WRITER_OP_INPUTS:
          if (op->rec->begun && !op->rec->failed && !write_inputs (&w, op->rec, op->rows))
            {
              g_autoptr(GError) error = NULL;

              _iwb_history_set_error (&error, w.db, "record inputs");
              fail_transaction (&w, error);
            }
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
          prune (self, w.db, NULL, NULL);
        }
    }
  sqlite3_finalize (w.insert_run);
  sqlite3_finalize (w.insert_row);
  sqlite3_finalize (w.finish_run);
  g_ptr_array_unref (w.open);
  g_ptr_array_unref (w.pending);
  return NULL;
}

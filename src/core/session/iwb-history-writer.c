/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbHistory: the writer thread (SQLite inserts in chunks, transactions,
 * retention); the recordings it writes are in iwb-history-recording.c. */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "iwb-error.h"
#include "iwb-history-recording-private.h"
#include "iwb-run.h"

/* A checkpoint after this long without work (see _iwb_history_writer_main()). */
#define CHECKPOINT_IDLE_US (1000 * 1000)
/* WAL pages (4 MB, SQLite's auto-checkpoint limit) above which the next
 * transaction starts with a checkpoint. */
#define CHECKPOINT_PAGES 1000
/* WAL pages (256 KB: a few validations or small runs) up to which closing
 * checkpoints; a packed 100,000-row run is about 600. */
#define CLOSE_CHECKPOINT_PAGES 64
/* Row text above which a long run's transaction is committed and a new
 * one begun while the run goes on (see split_transaction()). */
#define SPLIT_BYTES (2 * 1024 * 1024)

typedef struct
{
  IwbHistory   *self;
  sqlite3      *db;
  gboolean      in_tx;
  guint         active;
  GPtrArray    *pending;    /* finished recordings waiting for COMMIT */
  GPtrArray    *open;       /* begun, not finished */
  gboolean      prune_due;
  gboolean      checkpoint_due; /* committed since the last checkpoint */
  int           wal_pages;      /* in the WAL after the last commit */
  gint64        tx_bytes;       /* row text inserted since BEGIN */
  gboolean      swept;          /* leftovers of killed processes deleted */
  sqlite3_stmt *delete_run;
  sqlite3_stmt *insert_run;
  sqlite3_stmt *insert_row;
  sqlite3_stmt *finish_run;
  IwbHistoryPacker *packer;
} Writer;

void
_iwb_history_push (IwbHistory *self,
                   WriterOp   *op)
{
  g_async_queue_push (self->queue, op);
}

/* -- the writer */

/* Rows of one kind are stored IWB_HISTORY_CHUNK_ROWS to an SQLite row (JSON
 * Lines; see iwb_history_foreach_row()): a 100,000-result run is a few
 * thousand inserts instead of 200,000. The recording thread fills the
 * chunks; the writer inserts them. */
static gboolean
insert_chunk (Writer              *w,
              IwbHistoryRecording *rec,
              Chunk               *chunk)
{
  int rc;

  const guint8 *packed;
  gsize packed_len = 0;
  gint64 stored;

  if (chunk->n == 0)
    return TRUE;
  sqlite3_bind_int64 (w->insert_row, 1, rec->id);
  sqlite3_bind_int64 (w->insert_row, 2, rec->seq++);
  sqlite3_bind_int (w->insert_row, 3, chunk->kind);
  /* packed when that saves space (iwb-history-pack.c); the correlations
   * (lhub_ids, a few bytes a row) stay text */
  packed = _iwb_history_pack (w->packer, chunk->data->str, chunk->data->len, &packed_len);
  if (chunk->any_correlation)
    sqlite3_bind_text (w->insert_row, 4, chunk->correlation->str, chunk->correlation->len,
                       SQLITE_STATIC);
  else
    sqlite3_bind_null (w->insert_row, 4);
  if (packed != NULL)
    sqlite3_bind_blob (w->insert_row, 5, packed, (int) packed_len, SQLITE_STATIC);
  else
    sqlite3_bind_text (w->insert_row, 5, chunk->data->str, chunk->data->len, SQLITE_STATIC);
  sqlite3_bind_int (w->insert_row, 6, packed != NULL);
  rc = sqlite3_step (w->insert_row);
  sqlite3_reset (w->insert_row);
  switch (chunk->kind)
    {
    case IWB_HISTORY_ROW_INPUT: rec->n_inputs += chunk->n; break;
    case IWB_HISTORY_ROW_RESULT: rec->n_results += chunk->n; break;
    case IWB_HISTORY_ROW_ERROR: rec->n_row_errors += chunk->n; break;
    case IWB_HISTORY_ROW_LOG:
    case IWB_HISTORY_ROW_EVENT:
    case IWB_HISTORY_ROW_HTTP:
    default: break;
    }
  /* what the chunk takes in the file: the size limit is the disk's */
  stored = packed != NULL ? (gint64) (packed_len + (chunk->any_correlation ? chunk->correlation->len : 0))
                          : chunk->bytes;
  rec->bytes += stored;
  /* the split goes by text: packed, 2 MB of it is ~60 pages to commit */
  w->tx_bytes += chunk->bytes;
  return rc == SQLITE_DONE;
}

static gboolean
finish_run (Writer              *w,
            IwbHistoryRecording *rec,
            IwbRunEvent         *event)
{
  const IwbRunCounts *counts = iwb_run_event_get_counts (event);
  g_autofree char *params = _iwb_history_redacted_json (rec, rec->params);
  g_autofree char *overrides = rec->overrides ? _iwb_history_redacted_json (rec, rec->overrides) : NULL;
  g_autofree char *errors = NULL;
  sqlite3_stmt *s = w->finish_run;
  int rc;

  if (json_array_get_length (rec->validation_errors) > 0)
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), rec->validation_errors);

      errors = _iwb_history_redacted_json (rec, node);
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
  return insert_chunk (w, rec, p->chunk);
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

      /* what earlier transactions of a long run committed (best effort:
       * else the next writer's sweep_leftovers() deletes it) */
      sqlite3_bind_int64 (w->delete_run, 1, rec->id);
      sqlite3_step (w->delete_run);
      sqlite3_reset (w->delete_run);
      rec->failed = TRUE;
      _iwb_history_recording_complete (rec, error);
    }
  for (guint i = 0; i < pending->len; i++)
    _iwb_history_recording_complete (pending->pdata[i], error);
  w->open = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_history_recording_unref);
  w->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_history_recording_unref);
}

/* Runs still 'recording' whose process is gone (killed in the middle of a
 * long run whose earlier parts were committed: see split_transaction()),
 * deleted before this writer's first transaction, beside the caller's
 * work. The recording process's id is in exit_code until the run ends. */
static void
sweep_leftovers (Writer *w)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GArray) doomed = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 self_pid = getpid ();

  w->swept = TRUE;
  if (sqlite3_prepare_v2 (w->db, "SELECT id, exit_code FROM runs WHERE status = 'recording'",
                          -1, &stmt, NULL) != SQLITE_OK)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      gint64 pid = sqlite3_column_int64 (stmt, 1);

      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL || pid <= 0 || pid > G_MAXINT ||
          (pid != self_pid && kill ((pid_t) pid, 0) != 0 && errno == ESRCH))
        g_array_append_val (doomed, id);
    }
  sqlite3_finalize (stmt);
  for (guint i = 0; i < doomed->len; i++)
    {
      sqlite3_bind_int64 (w->delete_run, 1, g_array_index (doomed, gint64, i));
      sqlite3_step (w->delete_run);
      sqlite3_reset (w->delete_run);
    }
}

static void
begin_recording (Writer              *w,
                 IwbHistoryRecording *rec)
{
  g_autoptr(GError) error = NULL;

  if (!w->swept)
    sweep_leftovers (w);
  if (!w->in_tx)
    {
      /* the retention, while the run's child starts (see
       * iwb-history-prune.c), with room for this run */
      _iwb_history_prune (w->self, w->db, rec->integration, NULL);
      /* what earlier runs left in the WAL, before it grows further */
      if (w->wal_pages > CHECKPOINT_PAGES)
        {
          sqlite3_wal_checkpoint_v2 (w->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
          w->wal_pages = 0;
        }
      if (!_iwb_history_exec (w->db, "BEGIN IMMEDIATE", &error))
        {
          g_prefix_error (&error, _("This run was not recorded: "));
          rec->failed = TRUE;
          _iwb_history_recording_complete (rec, error);
          return;
        }
      w->in_tx = TRUE;
      w->tx_bytes = 0;
    }
  sqlite3_bind_text (w->insert_run, 1, iwb_history_kind_to_string (rec->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (w->insert_run, 2, rec->integration, -1, SQLITE_STATIC);
  sqlite3_bind_text (w->insert_run, 3, rec->action, -1, SQLITE_STATIC);
  sqlite3_bind_text (w->insert_run, 4, rec->profile, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (w->insert_run, 5, g_get_real_time () / 1000);
  sqlite3_bind_int64 (w->insert_run, 6, getpid ()); /* until it ends: see sweep_leftovers() */
  if (sqlite3_step (w->insert_run) != SQLITE_DONE)
    {
      _iwb_history_set_error (&error, w->db, "insert run");
      sqlite3_reset (w->insert_run);
      rec->failed = TRUE;
      _iwb_history_recording_complete (rec, error);
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

static gboolean
commit (Writer *w)
{
  g_autoptr(GError) error = NULL;

  if (!_iwb_history_exec (w->db, "COMMIT", &error))
    {
      g_prefix_error (&error, _("This run was not recorded: "));
      fail_transaction (w, error);
      return FALSE;
    }
  w->in_tx = FALSE;
  w->checkpoint_due = TRUE;
  for (guint i = 0; i < w->pending->len; i++)
    _iwb_history_recording_complete (w->pending->pdata[i], NULL);
  g_ptr_array_set_size (w->pending, 0);
  return TRUE;
}

/* A long run is committed in parts of about SPLIT_BYTES while it goes on,
 * so that the COMMIT ending it (which `iwb run` waits for before exiting)
 * has little left to do. In one big transaction SQLite writes the pages
 * that no longer fit in the cache to the WAL as it goes; a page written
 * twice (the B-tree's right edge, the pointer maps) is overwritten in its
 * frame, and the final COMMIT then reads back and rewrites every frame
 * from there on to recompute their checksums: the whole run once more,
 * after the child ended (measured for 100,000 rows: 35-65 ms idle,
 * 0.3-0.9 s loaded). The parts stay invisible (status 'recording', which
 * every query skips) until the run's own end; what a process killed in
 * the middle leaves is deleted by the next writer's sweep_leftovers(). */
static void
split_transaction (Writer *w)
{
  g_autoptr(GError) error = NULL;

  if (!w->in_tx || w->active == 0 || w->tx_bytes < SPLIT_BYTES)
    return;
  if (!commit (w))
    return;
  if (!_iwb_history_exec (w->db, "BEGIN IMMEDIATE", &error))
    {
      g_prefix_error (&error, _("This run was not recorded: "));
      fail_transaction (w, error);
      return;
    }
  w->in_tx = TRUE;
  w->tx_bytes = 0;
}

static void
commit_if_idle (Writer *w)
{
  if (!w->in_tx || w->active > 0)
    return;
  commit (w);
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

static int
note_wal_pages (gpointer    data,
                sqlite3    *db,
                const char *name,
                int         pages)
{
  Writer *w = data;

  w->wal_pages = pages;
  return SQLITE_OK;
}

gpointer
_iwb_history_writer_main (gpointer data)
{
  IwbHistory *self = data;
  Writer w = { .self = self, .db = self->write_db };
  gboolean quit = FALSE;

  /* A small page cache for the writing connection: a big run's pages go
   * to the WAL as the cache fills (the commit then has little left to
   * write), and the same 2 MB are reused instead of the heap growing by the
   * size of the run, page fault by page fault (measured: a third less CPU in
   * this thread for 100,000 results than with the 16 MB of the reading
   * side). Readers have their own connection and cache. */
  sqlite3_exec (w.db, "PRAGMA cache_size = -2048", NULL, NULL, NULL);
  /* Checkpoints (copying the WAL into the database file, with two
   * fsyncs) are kept out of the time someone waits for: not in the COMMIT
   * that ends a run (SQLite's auto-checkpoint), which `iwb run` waits for
   * before it exits, nor when closing right after a large run, nor in a
   * process that only reads (`iwb history list`). Instead: before this
   * writer's first transaction and before any when the WAL holds more than
   * CHECKPOINT_PAGES (while the caller goes on: a run's events just queue
   * up), after a second without work (a process that stays: the window),
   * and on closing when the WAL is known to be small.
   * A committed run is safe in the WAL all the same (SQLite reads it from
   * there until a checkpoint copies it); SIGKILL at any point loses only
   * what was not committed. */
  sqlite3_db_config (w.db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  sqlite3_wal_hook (w.db, note_wal_pages, &w); /* instead of the auto-checkpoint */
  w.wal_pages = G_MAXINT; /* unknown: what earlier processes left */
  w.open = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_history_recording_unref);
  w.pending = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_history_recording_unref);
  sqlite3_prepare_v2 (w.db, "INSERT INTO runs (kind, integration, action, profile, started, status, "
                            "exit_code) VALUES (?, ?, ?, ?, ?, 'recording', ?)", -1, &w.insert_run, NULL);
  sqlite3_prepare_v2 (w.db, "DELETE FROM runs WHERE id = ? AND status = 'recording'", -1,
                      &w.delete_run, NULL);
  sqlite3_prepare_v2 (w.db, "INSERT INTO rows (run_id, seq, kind, correlation, data, packed) "
                            "VALUES (?, ?, ?, ?, ?, ?)", -1, &w.insert_row, NULL);
  w.packer = _iwb_history_packer_new ();
  sqlite3_prepare_v2 (w.db, "UPDATE runs SET status = ?, exit_code = ?, duration_ms = ?, "
                            "params = ?, overrides = ?, validation_errors = ?, n_inputs = ?, "
                            "n_results = ?, n_row_errors = ?, n_log_lines = ?, bytes = ? "
                            "WHERE id = ?", -1, &w.finish_run, NULL);

  while (!quit)
    {
      WriterOp *op;

      if (w.checkpoint_due && !w.in_tx)
        {
          op = g_async_queue_timeout_pop (self->queue, CHECKPOINT_IDLE_US);
          if (op == NULL)
            {
              w.checkpoint_due = FALSE;
              sqlite3_wal_checkpoint_v2 (w.db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
              w.wal_pages = 0;
              continue;
            }
        }
      else
        op = g_async_queue_pop (self->queue);

      switch (op->kind)
        {
        case WRITER_OP_BEGIN:
          begin_recording (&w, op->rec);
          break;
        case WRITER_OP_EVENT:
          for (guint i = 0; i < op->rows->len; i++)
            handle_pending (&w, op->rec, op->rows->pdata[i]);
          split_transaction (&w);
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
            /* Closing checkpoints a small WAL (and removes it: the next
             * open has nothing to read back); a bigger one (a large run
             * just committed) is left to the next writer's start, since
             * copying it would make the process's exit wait. */
            if (w.wal_pages <= CLOSE_CHECKPOINT_PAGES)
              sqlite3_db_config (w.db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
          }
          break;
        }
      writer_op_free (op);
      commit_if_idle (&w);
      /* Retention is applied as the next recording begins; right after
       * one ends only when it left the runs over the size limit. */
      if (!w.in_tx && w.prune_due)
        {
          w.prune_due = FALSE;
          if (_iwb_history_over_size (self, w.db))
            _iwb_history_prune_now (self, w.db, NULL, NULL);
        }
    }
  sqlite3_finalize (w.insert_run);
  sqlite3_finalize (w.insert_row);
  _iwb_history_packer_free (w.packer);
  sqlite3_finalize (w.finish_run);
  sqlite3_finalize (w.delete_run);
  g_ptr_array_unref (w.open);
  g_ptr_array_unref (w.pending);
  return NULL;
}

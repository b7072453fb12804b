/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbHistory: retention: the last N runs per integration, then a total size.
 *
 * Applied as a recording begins (the writer is idle then: the child is
 * starting), leaving room for the run about to be recorded: one run of its
 * integration, and as many bytes as that integration's last run took. Not
 * after the run: deleting a 100,000-result run and returning its pages to
 * the file system took 140-170 ms that `iwb run` waited for before it
 * could exit (measured with a full history). The pages of deleted runs
 * stay in the file's free list, where the next runs' rows reuse them; only
 * when more than a quarter of the file is free (the limits were lowered)
 * are they given back (incremental vacuum). */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-history-private.h"

static gint64
query_int64 (sqlite3    *db,
             const char *sql,
             const char *text)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = 0;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return 0;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static const char total_bytes_sql[] = "SELECT COALESCE (SUM (bytes), 0) FROM runs";

static guint64
size_limit (IwbHistory *self)
{
  guint64 max_bytes;

  g_mutex_lock (&self->warn_lock);
  max_bytes = self->max_bytes;
  g_mutex_unlock (&self->warn_lock);
  return max_bytes;
}

/* Whether the runs hold more than the size limit (a recording just ended
 * bigger than the room left for it). */
gboolean
_iwb_history_over_size (IwbHistory *self,
                        sqlite3    *db)
{
  guint64 max_bytes = size_limit (self);

  return max_bytes > 0 && (guint64) query_int64 (db, total_bytes_sql, NULL) > max_bytes;
}

gboolean
_iwb_history_prune_now (IwbHistory  *self,
                        sqlite3     *db,
                        gpointer     data,
                        GError     **error)
{
  return _iwb_history_prune (self, db, NULL, error);
}

gboolean
_iwb_history_prune (IwbHistory  *self,
                    sqlite3     *db,
                    const char  *room_for,
                    GError     **error)
{
  guint keep = g_atomic_int_get (&self->keep_runs);
  guint64 max_bytes = size_limit (self);
  guint64 room_bytes = 0;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) integrations = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) doomed = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 total = 0;
  gboolean ok = FALSE;
  int changes_before = sqlite3_total_changes (db);

  if (!sqlite3_get_autocommit (db))
    return TRUE; /* a recording is open: after it ends */
  if (room_for != NULL)
    room_bytes = (guint64) MAX (0, query_int64 (db, "SELECT bytes FROM runs WHERE integration = ?1 "
                                                    "AND status != 'recording' ORDER BY id DESC LIMIT 1",
                                                room_for));
  if (!_iwb_history_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (keep > 0)
    {
      if (sqlite3_prepare_v2 (db, "SELECT DISTINCT integration FROM runs", -1, &stmt, NULL) != SQLITE_OK)
        goto out;
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (integrations, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_clear_pointer (&stmt, sqlite3_finalize);
      /* the newest ?2 runs stay (besides baselines): keep, or keep - 1
       * for the integration whose run is about to be recorded */
      if (sqlite3_prepare_v2 (db, "DELETE FROM runs WHERE integration = ?1 "
                                  "AND id NOT IN (SELECT run_id FROM baselines) "
                                  "AND id NOT IN (SELECT id FROM runs WHERE integration = ?1 "
                                  "               ORDER BY id DESC LIMIT ?2)",
                              -1, &stmt, NULL) != SQLITE_OK)
        goto out;
      for (guint i = 0; i < integrations->len; i++)
        {
          sqlite3_bind_text (stmt, 1, integrations->pdata[i], -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, keep - (g_strcmp0 (integrations->pdata[i], room_for) == 0));
          if (sqlite3_step (stmt) != SQLITE_DONE)
            goto out;
          sqlite3_reset (stmt);
        }
      g_clear_pointer (&stmt, sqlite3_finalize);
    }
  if (max_bytes > 0)
    {
      if (sqlite3_prepare_v2 (db, total_bytes_sql, -1, &stmt, NULL) != SQLITE_OK ||
          sqlite3_step (stmt) != SQLITE_ROW)
        goto out;
      total = sqlite3_column_int64 (stmt, 0);
      g_clear_pointer (&stmt, sqlite3_finalize);
      /* room for the coming run, as far as the limit allows */
      max_bytes -= MIN (room_bytes, max_bytes);
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
  else if (sqlite3_total_changes (db) != changes_before &&
           query_int64 (db, "PRAGMA freelist_count", NULL) >
           query_int64 (db, "PRAGMA page_count", NULL) / 4)
    /* give the pages of deleted runs back to the file system when much
     * is free; the WAL is checkpointed by the writer (a checkpoint here
     * would fsync after every run) */
    sqlite3_exec (db, "PRAGMA incremental_vacuum", NULL, NULL, NULL);
  return ok;
}

void
iwb_history_prune (IwbHistory *self)
{
  WriterOp *op = g_new0 (WriterOp, 1);

  op->kind = WRITER_OP_CALL;
  op->func = _iwb_history_prune_now;
  _iwb_history_push (self, op);
}

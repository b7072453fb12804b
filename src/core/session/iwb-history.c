/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbHistory: opening, schema and migrations, baselines (queries are in
 * iwb-history-query.c). */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-history-private.h"
#include "iwb-json.h"
#include "iwb-file.h"

G_DEFINE_FINAL_TYPE (IwbHistory, iwb_history, G_TYPE_OBJECT)

/* Version 5: version 4 and rows.packed: 1 when `data` is a BLOB, the chunk's
 * text in raw deflate (iwb-history-pack.c); 0 for text. Earlier rows stay
 * text: nothing to convert. */
#define COLUMN_V5 \
  "ALTER TABLE rows ADD COLUMN packed INTEGER NOT NULL DEFAULT 0;"

/* Version 4: version 3 and runs_by_status, so listing and counting one
 * integration's runs (all, or of a status) read an index only, never the
 * runs of the other integrations nor the table's rows (see
 * iwb-history-query.c). */
#define INDEX_V4 \
  "CREATE INDEX IF NOT EXISTS runs_by_status ON runs (integration, status, id);"

/* Version 3: runs, their rows in chunks (IWB_HISTORY_CHUNK_ROWS rows of a
 * kind per row: `data` JSON Lines, `correlation` one line each), baselines.
 * Version 2 was the same tables with one row each (a valid chunk of one:
 * nothing to convert). Version 1 kept a run's results as one JSON array and
 * its log as one text: see migrate_from_1(). */
static const char schema_v3[] =
  "CREATE TABLE runs ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL,"                 /* validation | run */
  "  integration TEXT NOT NULL,"          /* the folder's real path */
  "  action TEXT,"                        /* entrypoint; NULL: the connection */
  "  profile TEXT,"
  "  started INTEGER NOT NULL,"           /* unix time, ms */
  "  duration_ms INTEGER NOT NULL DEFAULT 0,"
  "  status TEXT NOT NULL,"               /* iwb_run_status_to_string(); 'recording' until done */
  "  exit_code INTEGER,"
  "  params TEXT NOT NULL DEFAULT '{}',"  /* secrets as the marker */
  "  overrides TEXT,"
  "  validation_errors TEXT,"
  "  n_inputs INTEGER NOT NULL DEFAULT 0,"
  "  n_results INTEGER NOT NULL DEFAULT 0,"
  "  n_row_errors INTEGER NOT NULL DEFAULT 0,"
  "  n_log_lines INTEGER NOT NULL DEFAULT 0,"
  "  bytes INTEGER NOT NULL DEFAULT 0"    /* stored text, for the size cap */
  ");"
  "CREATE INDEX runs_by_integration ON runs (integration, id);"
  "CREATE TABLE rows ("
  "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  seq INTEGER NOT NULL,"
  "  kind INTEGER NOT NULL,"              /* IwbHistoryRowKind */
  "  correlation TEXT,"                   /* lhub_id JSON texts, one per line, or NULL */
  "  data TEXT NOT NULL,"                 /* JSON texts, one per line */
  "  PRIMARY KEY (run_id, seq)"
  ") WITHOUT ROWID;"
  "CREATE TABLE baselines ("
  "  integration TEXT NOT NULL,"
  "  action TEXT NOT NULL,"               /* '' for the connection */
  "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  PRIMARY KEY (integration, action)"
  ");"
  "CREATE INDEX baselines_by_run ON baselines (run_id);";

static void
iwb_history_dispose (GObject *object)
{
  IwbHistory *self = IWB_HISTORY (object);

  if (self->writer != NULL)
    {
      WriterOp *op = g_new0 (WriterOp, 1);

      op->kind = WRITER_OP_QUIT;
      _iwb_history_push (self, op);
      g_thread_join (g_steal_pointer (&self->writer));
    }
  G_OBJECT_CLASS (iwb_history_parent_class)->dispose (object);
}

static void
iwb_history_finalize (GObject *object)
{
  IwbHistory *self = IWB_HISTORY (object);

  g_clear_pointer (&self->read_db, sqlite3_close);
  g_clear_pointer (&self->write_db, sqlite3_close);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_ptr_array_unref (self->warnings);
  g_mutex_clear (&self->read_lock);
  g_mutex_clear (&self->warn_lock);
  g_free (self->path);
  G_OBJECT_CLASS (iwb_history_parent_class)->finalize (object);
}

static void
iwb_history_class_init (IwbHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = iwb_history_dispose;
  G_OBJECT_CLASS (klass)->finalize = iwb_history_finalize;
}

static void
iwb_history_init (IwbHistory *self)
{
  g_mutex_init (&self->read_lock);
  g_mutex_init (&self->warn_lock);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->queue = g_async_queue_new ();
  self->keep_runs = IWB_HISTORY_DEFAULT_RUNS;
  self->max_bytes = IWB_HISTORY_DEFAULT_MAX_BYTES;
}

void
_iwb_history_set_error (GError     **error,
                        sqlite3     *db,
                        const char  *what)
{
  int code = sqlite3_errcode (db);

  g_set_error (error, IWB_ERROR, code == SQLITE_NOTADB || code == SQLITE_CORRUPT
                                   ? IWB_ERROR_CORRUPT : IWB_ERROR_DATABASE,
               _("Run history %s: %s (%s)%s"), sqlite3_db_filename (db, "main"),
               sqlite3_errmsg (db), what,
               code == SQLITE_BUSY || code == SQLITE_LOCKED
                 ? _("; another Integration Workbench is writing it, try again")
                 : code == SQLITE_FULL ? _("; free some disk space") : "");
}

gboolean
_iwb_history_exec (sqlite3     *db,
                   const char  *sql,
                   GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      _iwb_history_set_error (error, db, sql);
      return FALSE;
    }
  return TRUE;
}

static int
user_version (sqlite3 *db,
              int     *rc)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  *rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (*rc == SQLITE_OK)
    {
      *rc = sqlite3_step (stmt);
      if (*rc == SQLITE_ROW)
        {
          version = sqlite3_column_int (stmt, 0);
          *rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
has_table (sqlite3    *db,
           const char *name)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      found = sqlite3_step (stmt) == SQLITE_ROW;
    }
  sqlite3_finalize (stmt);
  return found;
}

static gint64
iso_to_ms (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = text ? g_date_time_new_from_iso8601 (text, utc) : NULL;

  return dt ? g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000 : 0;
}

/* Version 1 (the first release's shape): runs (id, kind, integration,
 * action, profile, started ISO 8601 text, duration_ms, status, exit_code,
 * params JSON, results JSON array, log text). */
static gboolean
migrate_from_1 (sqlite3  *db,
                GError  **error)
{
  sqlite3_stmt *old = NULL, *ins_run = NULL, *ins_row = NULL;
  gboolean ok = FALSE;
  int rc;

  if (!_iwb_history_exec (db, "ALTER TABLE runs RENAME TO runs_v1", error) ||
      !_iwb_history_exec (db, schema_v3, error))
    return FALSE;
  if (sqlite3_prepare_v2 (db, "SELECT id, kind, integration, action, profile, started, "
                              "duration_ms, status, exit_code, params, results, log "
                              "FROM runs_v1 ORDER BY id", -1, &old, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "INSERT INTO runs (id, kind, integration, action, profile, started, "
                              "duration_ms, status, exit_code, params, n_results, n_log_lines, "
                              "bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          -1, &ins_run, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "INSERT INTO rows (run_id, seq, kind, data) VALUES (?, ?, ?, ?)",
                          -1, &ins_row, NULL) != SQLITE_OK)
    {
      _iwb_history_set_error (error, db, "migration from version 1");
      goto out;
    }
  while ((rc = sqlite3_step (old)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (old, 0);
      const char *results = (const char *) sqlite3_column_text (old, 10);
      const char *log = (const char *) sqlite3_column_text (old, 11);
      g_autoptr(JsonNode) parsed = results ? iwb_json_parse_full (results, -1, IWB_JSON_PARSE_DEFAULT, NULL, NULL) : NULL;
      g_auto(GStrv) lines = log && *log ? g_strsplit (log, "\n", -1) : g_new0 (char *, 1);
      guint n_results = parsed && JSON_NODE_HOLDS_ARRAY (parsed)
                          ? json_array_get_length (json_node_get_array (parsed)) : 0;
      gint64 seq = 0, bytes = 0;

      for (int c = 0; c < 10; c++)
        {
          if (c == 5)
            sqlite3_bind_int64 (ins_run, 6, iso_to_ms ((const char *) sqlite3_column_text (old, 5)));
          else
            sqlite3_bind_value (ins_run, c + 1, sqlite3_column_value (old, c));
        }
      if (sqlite3_column_type (old, 9) == SQLITE_NULL)
        sqlite3_bind_text (ins_run, 10, "{}", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (ins_run, 11, n_results);
      sqlite3_bind_int64 (ins_run, 12, g_strv_length (lines));
      sqlite3_bind_int64 (ins_run, 13, (results ? strlen (results) : 0) + (log ? strlen (log) : 0));
      if (sqlite3_step (ins_run) != SQLITE_DONE)
        {
          _iwb_history_set_error (error, db, "migration from version 1");
          goto out;
        }
      sqlite3_reset (ins_run);
      for (guint i = 0; i < n_results; i++)
        {
          g_autofree char *text =
            iwb_json_to_string (json_array_get_element (json_node_get_array (parsed), i), FALSE);

          sqlite3_bind_int64 (ins_row, 1, id);
          sqlite3_bind_int64 (ins_row, 2, seq++);
          sqlite3_bind_int (ins_row, 3, IWB_HISTORY_ROW_RESULT);
          sqlite3_bind_text (ins_row, 4, text, -1, SQLITE_TRANSIENT);
          bytes += strlen (text);
          if (sqlite3_step (ins_row) != SQLITE_DONE)
            {
              _iwb_history_set_error (error, db, "migration from version 1");
              goto out;
            }
          sqlite3_reset (ins_row);
        }
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autoptr(JsonNode) node = NULL;
          g_autofree char *text = NULL;

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "stream");
          json_builder_add_string_value (b, "stdout");
          json_builder_set_member_name (b, "text");
          json_builder_add_string_value (b, lines[i]);
          json_builder_end_object (b);
          node = json_builder_get_root (b);
          text = iwb_json_to_string (node, FALSE);
          sqlite3_bind_int64 (ins_row, 1, id);
          sqlite3_bind_int64 (ins_row, 2, seq++);
          sqlite3_bind_int (ins_row, 3, IWB_HISTORY_ROW_LOG);
          sqlite3_bind_text (ins_row, 4, text, -1, SQLITE_TRANSIENT);
          if (sqlite3_step (ins_row) != SQLITE_DONE)
            {
              _iwb_history_set_error (error, db, "migration from version 1");
              goto out;
            }
          sqlite3_reset (ins_row);
        }
    }
  if (rc != SQLITE_DONE)
    {
      _iwb_history_set_error (error, db, "migration from version 1");
      goto out;
    }
  ok = _iwb_history_exec (db, "DROP TABLE runs_v1", error);
out:
  sqlite3_finalize (old);
  sqlite3_finalize (ins_run);
  sqlite3_finalize (ins_row);
  return ok;
}

static gboolean
prepare_schema (sqlite3     *db,
                const char  *path,
                GError     **error)
{
  int rc;
  int version = user_version (db, &rc);

  if (rc != SQLITE_OK)
    {
      _iwb_history_set_error (error, db, "PRAGMA user_version");
      return FALSE;
    }
  if (version > IWB_HISTORY_SCHEMA_VERSION)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NEWER_VERSION,
                   _("The run history %s was written by a newer Integration Workbench (schema "
                     "version %d; this version knows %d). It was left unchanged. Use the newer "
                     "version, or move the file away to start a new history."),
                   path, version, IWB_HISTORY_SCHEMA_VERSION);
      return FALSE;
    }
  if (version == 0 && !has_table (db, "runs"))
    {
      /* before the first table, and before WAL */
      if (!_iwb_history_exec (db, "PRAGMA auto_vacuum = INCREMENTAL", error))
        return FALSE;
    }
  /* a big run is one transaction: room for its pages before they spill */
  if (!_iwb_history_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                              "PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384", error))
    return FALSE;
  if (version == IWB_HISTORY_SCHEMA_VERSION)
    return TRUE;

  if (!_iwb_history_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  /* another process may have migrated it meanwhile */
  version = user_version (db, &rc);
  if (rc == SQLITE_OK && version == 0 && !has_table (db, "runs"))
    rc = _iwb_history_exec (db, schema_v3, error) ? SQLITE_OK : SQLITE_ERROR;
  else if (rc == SQLITE_OK && version == 1)
    rc = migrate_from_1 (db, error) ? SQLITE_OK : SQLITE_ERROR;
  else if (rc == SQLITE_OK && version >= 2 && version <= 4)
    rc = SQLITE_OK; /* version 2's single rows are chunks of one; 3 and 4: below */
  else if (rc == SQLITE_OK && version != IWB_HISTORY_SCHEMA_VERSION)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_CORRUPT,
                   _("The run history %s has schema version %d but no runs table; move the "
                     "file away to start a new history."), path, version);
      rc = SQLITE_ERROR;
    }
  /* every version before 4: the index of version 4 */
  if (rc == SQLITE_OK && version < 4)
    rc = _iwb_history_exec (db, INDEX_V4, error) ? SQLITE_OK : SQLITE_ERROR;
  /* every version before 5 (and a new file): the column of version 5 */
  if (rc == SQLITE_OK && version < 5)
    rc = _iwb_history_exec (db, COLUMN_V5, error) ? SQLITE_OK : SQLITE_ERROR;
  if (rc == SQLITE_OK &&
      _iwb_history_exec (db, "PRAGMA user_version = " G_STRINGIFY (IWB_HISTORY_SCHEMA_VERSION), error) &&
      _iwb_history_exec (db, "COMMIT", error))
    return TRUE;
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static sqlite3 *
open_db (const char  *path,
         GError     **error)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                  SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_DATABASE, _("Cannot open the run history %s: %s"),
                   path, db ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 10000);
  sqlite3_extended_result_codes (db, 0);
  return db;
}

void
_iwb_history_add_warning (IwbHistory *self,
                          const char *message)
{
  g_mutex_lock (&self->warn_lock);
  g_ptr_array_add (self->warnings, g_strdup (message));
  g_mutex_unlock (&self->warn_lock);
}

char **
iwb_history_dup_warnings (IwbHistory *self)
{
  char **out;

  g_mutex_lock (&self->warn_lock);
  out = g_new0 (char *, self->warnings->len + 1);
  for (guint i = 0; i < self->warnings->len; i++)
    out[i] = g_strdup (self->warnings->pdata[i]);
  g_mutex_unlock (&self->warn_lock);
  return out;
}

IwbHistory *
iwb_history_open (const char  *path,
                  GError     **error)
{
  g_autoptr(IwbHistory) self = g_object_new (IWB_TYPE_HISTORY, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = NULL;

  self->path = path ? g_strdup (path)
                    : g_build_filename (iwb_user_data_dir (), "integration-workbench",
                                        "history.sqlite", NULL);
  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, IWB_ERROR, IWB_ERROR_DATABASE,
                   _("Cannot create the folder %s for the run history: %s"), dir,
                   g_strerror (saved));
      return NULL;
    }
  self->write_db = open_db (self->path, error);
  if (self->write_db == NULL)
    return NULL;
  if (!prepare_schema (self->write_db, self->path, &local_error))
    {
      if (g_error_matches (local_error, IWB_ERROR, IWB_ERROR_CORRUPT) &&
          sqlite3_errcode (self->write_db) == SQLITE_NOTADB)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_local ();
          g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
          g_autofree char *aside = g_strdup_printf ("%s.corrupt-%s", self->path, stamp);
          g_autofree char *message = NULL;

          g_clear_pointer (&self->write_db, sqlite3_close);
          if (g_rename (self->path, aside) != 0)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          message = g_strdup_printf (_("The run history %s was not a database (%s); it was "
                                       "moved to %s and a new history was started."),
                                     self->path, local_error->message, aside);
          _iwb_history_add_warning (self, message);
          g_clear_error (&local_error);
          self->write_db = open_db (self->path, error);
          if (self->write_db == NULL || !prepare_schema (self->write_db, self->path, error))
            return NULL;
        }
      else
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  self->read_db = open_db (self->path, error);
  if (self->read_db == NULL ||
      !_iwb_history_exec (self->read_db, "PRAGMA query_only = ON", error))
    return NULL;
  self->writer = g_thread_new ("iwb-history-writer", _iwb_history_writer_main, self);
  return g_steal_pointer (&self);
}

static void
open_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  IwbHistory *history = iwb_history_open (data, &error);

  if (history == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, history, g_object_unref);
}

void
iwb_history_open_async (const char          *path,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, iwb_history_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_thread);
}

IwbHistory *
iwb_history_open_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
iwb_history_get_path (IwbHistory *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY (self), NULL);
  return self->path;
}

void
iwb_history_set_retention (IwbHistory *self,
                           guint       runs_per_integration,
                           guint64     max_bytes)
{
  g_return_if_fail (IWB_IS_HISTORY (self));
  g_atomic_int_set (&self->keep_runs, runs_per_integration);
  g_mutex_lock (&self->warn_lock);
  self->max_bytes = max_bytes;
  g_mutex_unlock (&self->warn_lock);
}

/* -- baselines */

typedef struct
{
  gint64      id;
  const char *integration;
  const char *action;
} BaselineData;

static gboolean
set_baseline_in_writer (IwbHistory  *self,
                        sqlite3     *db,
                        gpointer     data,
                        GError     **error)
{
  BaselineData *bd = data;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO baselines (integration, action, run_id) "
                              "SELECT integration, COALESCE (action, ''), id FROM runs "
                              "WHERE id = ? AND status != 'recording'", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, bd->id);
      if (sqlite3_step (stmt) == SQLITE_DONE)
        {
          ok = sqlite3_changes (db) > 0;
          if (!ok)
            g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                         _("There is no run %lld in the history"), (long long) bd->id);
        }
      else
        _iwb_history_set_error (error, db, "baseline");
    }
  else
    _iwb_history_set_error (error, db, "baseline");
  sqlite3_finalize (stmt);
  return ok;
}

gboolean
iwb_history_set_baseline (IwbHistory  *self,
                          gint64       id,
                          GError     **error)
{
  BaselineData bd = { id, NULL, NULL };

  g_return_val_if_fail (IWB_IS_HISTORY (self), FALSE);
  return _iwb_history_call (self, set_baseline_in_writer, &bd, error);
}

static gboolean
clear_baseline_in_writer (IwbHistory  *self,
                          sqlite3     *db,
                          gpointer     data,
                          GError     **error)
{
  BaselineData *bd = data;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (db, "DELETE FROM baselines WHERE integration = ? AND action = ?",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, bd->integration, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, bd->action ? bd->action : "", -1, SQLITE_STATIC);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
    }
  if (!ok)
    _iwb_history_set_error (error, db, "baseline");
  sqlite3_finalize (stmt);
  return ok;
}

gboolean
iwb_history_clear_baseline (IwbHistory  *self,
                            const char  *integration,
                            const char  *action,
                            GError     **error)
{
  BaselineData bd = { 0, integration, action };

  g_return_val_if_fail (IWB_IS_HISTORY (self), FALSE);
  return _iwb_history_call (self, clear_baseline_in_writer, &bd, error);
}

gint64
iwb_history_get_baseline (IwbHistory  *self,
                          const char  *integration,
                          const char  *action,
                          GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (IWB_IS_HISTORY (self), 0);
  g_mutex_lock (&self->read_lock);
  rc = sqlite3_prepare_v2 (self->read_db, "SELECT run_id FROM baselines "
                           "WHERE integration = ? AND action = ?", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, integration, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, action ? action : "", -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        id = sqlite3_column_int64 (stmt, 0);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _iwb_history_set_error (error, self->read_db, "baseline");
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->read_lock);
  return id;
}

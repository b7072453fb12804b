/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbHistory queries: listing and counting entries (search and filters are
 * SQL, so a window pages through 10,000 runs without reading them all),
 * one entry with its details, and a run's stored rows.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-history-private.h"

/* The WHERE clause of a listing, with a term for each filter @query sets
 * and none for the others, so SQLite plans each combination on its own:
 * `integration = :integration` walks the (integration, id) index newest
 * first and stops after a page. (One statement for every combination,
 * with `(?1 IS NULL OR r.integration = ?1)`, could use no index: every
 * listing and every count read the whole table.) The text matches the
 * action, the profile, the status and the stored parameter values (secrets
 * are the marker there, never their value). */
static void
append_where (GString               *sql,
              const IwbHistoryQuery *query,
              const char            *like)
{
  g_string_append (sql, "WHERE r.status != 'recording' ");
  if (query->integration != NULL)
    g_string_append (sql, "AND r.integration = :integration ");
  if (query->action != NULL && query->action[0] == '\0')
    g_string_append (sql, "AND r.action IS NULL ");
  else if (query->action != NULL)
    g_string_append (sql, "AND (r.action = :action OR r.action LIKE '%.' || :action) ");
  if (query->status != NULL)
    g_string_append (sql, "AND r.status = :status ");
  if (like != NULL)
    g_string_append (sql, "AND (r.action LIKE :text ESCAPE '\\' OR r.profile LIKE :text ESCAPE '\\' "
                          "     OR r.status LIKE :text ESCAPE '\\' OR r.params LIKE :text ESCAPE '\\' "
                          "     OR (r.action IS NULL AND :connection LIKE :text ESCAPE '\\')) ");
}

/* "%text%" with the LIKE wildcards of @text taken literally. */
static char *
like_pattern (const char *text)
{
  GString *out;

  if (text == NULL || text[0] == '\0')
    return NULL;
  out = g_string_new ("%");
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '%');
  return g_string_free (out, FALSE);
}

/* Binds the parameters the statement has (the others are not in it). */
static void
bind_text (sqlite3_stmt *stmt,
           const char   *name,
           const char   *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_STATIC);
}

static void
bind_query (sqlite3_stmt          *stmt,
            const IwbHistoryQuery *query,
            const char            *like)
{
  bind_text (stmt, ":integration", query->integration);
  bind_text (stmt, ":action", query->action);
  bind_text (stmt, ":status", query->status);
  bind_text (stmt, ":text", like);
  /* what a connection validation is called where it is listed */
  bind_text (stmt, ":connection", "connection");
}

GPtrArray *
iwb_history_list (IwbHistory             *self,
                  const IwbHistoryQuery  *query,
                  GError                **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) sql = g_string_new ("SELECT " IWB_HISTORY_ENTRY_COLUMNS " FROM runs r ");
  IwbHistoryQuery none = { 0 };
  g_autofree char *like = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (IWB_IS_HISTORY (self), NULL);
  if (query == NULL)
    query = &none;
  like = like_pattern (query->text);
  append_where (sql, query, like);
  g_string_append (sql, "ORDER BY r.id DESC LIMIT :limit OFFSET :offset");
  g_mutex_lock (&self->read_lock);
  rc = sqlite3_prepare_v2 (self->read_db, sql->str, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      bind_query (stmt, query, like);
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"),
                          query->limit ? (gint64) query->limit : -1);
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":offset"), query->offset);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (entries, _iwb_history_entry_new_from_stmt (stmt, FALSE));
    }
  if (rc != SQLITE_DONE)
    _iwb_history_set_error (error, self->read_db, "list");
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->read_lock);
  return rc == SQLITE_DONE ? g_steal_pointer (&entries) : NULL;
}

gint64
iwb_history_count (IwbHistory             *self,
                   const IwbHistoryQuery  *query,
                   GError                **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT COUNT(*) FROM runs r ");
  IwbHistoryQuery none = { 0 };
  g_autofree char *like = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;
  int rc;

  g_return_val_if_fail (IWB_IS_HISTORY (self), -1);
  if (query == NULL)
    query = &none;
  like = like_pattern (query->text);
  append_where (sql, query, like);
  g_mutex_lock (&self->read_lock);
  rc = sqlite3_prepare_v2 (self->read_db, sql->str, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      bind_query (stmt, query, like);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
    }
  if (rc != SQLITE_ROW)
    _iwb_history_set_error (error, self->read_db, "count");
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->read_lock);
  return n;
}

typedef struct
{
  IwbHistoryQuery query;
  char *integration, *action, *status, *text;
  gint64 total;
} ListData;

static void
list_data_free (gpointer data)
{
  ListData *ld = data;

  g_free (ld->integration);
  g_free (ld->action);
  g_free (ld->status);
  g_free (ld->text);
  g_free (ld);
}

static void
list_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  ListData *ld = data;
  GError *error = NULL;
  GPtrArray *entries;

  if (g_task_return_error_if_cancelled (task))
    return;
  entries = iwb_history_list (source, &ld->query, &error);
  if (entries != NULL && g_task_get_source_tag (task) == iwb_history_list_page_async)
    {
      ld->total = iwb_history_count (source, &ld->query, &error);
      if (ld->total < 0)
        g_clear_pointer (&entries, g_ptr_array_unref);
    }
  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

static void
start_list (IwbHistory            *self,
            const IwbHistoryQuery *query,
            gpointer               tag,
            GCancellable          *cancellable,
            GAsyncReadyCallback    callback,
            gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ListData *ld = g_new0 (ListData, 1);

  g_task_set_source_tag (task, tag);
  if (query != NULL)
    ld->query = *query;
  ld->query.integration = ld->integration = g_strdup (ld->query.integration);
  ld->query.action = ld->action = g_strdup (ld->query.action);
  ld->query.status = ld->status = g_strdup (ld->query.status);
  ld->query.text = ld->text = g_strdup (ld->query.text);
  g_task_set_task_data (task, ld, list_data_free);
  g_task_run_in_thread (task, list_thread);
}

void
iwb_history_list_async (IwbHistory            *self,
                        const IwbHistoryQuery *query,
                        GCancellable          *cancellable,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data)
{
  g_return_if_fail (IWB_IS_HISTORY (self));
  start_list (self, query, iwb_history_list_async, cancellable, callback, user_data);
}

GPtrArray *
iwb_history_list_finish (IwbHistory    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
iwb_history_list_page_async (IwbHistory            *self,
                             const IwbHistoryQuery *query,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data)
{
  g_return_if_fail (IWB_IS_HISTORY (self));
  start_list (self, query, iwb_history_list_page_async, cancellable, callback, user_data);
}

GPtrArray *
iwb_history_list_page_finish (IwbHistory    *self,
                              GAsyncResult  *result,
                              gint64        *total,
                              GError       **error)
{
  GPtrArray *entries;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  entries = g_task_propagate_pointer (G_TASK (result), error);
  if (total != NULL)
    *total = entries ? ((ListData *) g_task_get_task_data (G_TASK (result)))->total : 0;
  return entries;
}

IwbHistoryEntry *
iwb_history_get (IwbHistory  *self,
                 gint64       id,
                 GError     **error)
{
  IwbHistoryEntry *entry = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (IWB_IS_HISTORY (self), NULL);
  g_mutex_lock (&self->read_lock);
  rc = sqlite3_prepare_v2 (self->read_db, "SELECT " IWB_HISTORY_ENTRY_COLUMNS " FROM runs r "
                           "WHERE r.id = ? AND r.status != 'recording'", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        entry = _iwb_history_entry_new_from_stmt (stmt, TRUE);
      else if (rc == SQLITE_DONE)
        g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                     _("There is no run %lld in the history (it may have been "
                       "pruned); “iwb history list” shows the ids."), (long long) id);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _iwb_history_set_error (error, self->read_db, "get");
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->read_lock);
  return entry;
}

static char *
valid_text (sqlite3_stmt *stmt,
            int           col)
{
  const char *text = (const char *) sqlite3_column_text (stmt, col);

  if (text == NULL)
    return NULL;
  return g_utf8_make_valid (text, strnlen (text, (size_t) sqlite3_column_bytes (stmt, col)));
}

/* A packed chunk's text (iwb-history-pack.c); one line that says so when it
 * cannot be unpacked (a damaged or edited file): the rest of the run is
 * still read, and that line is shown as what it is. */
static char *
unpacked_text (sqlite3_stmt *stmt,
               int           col)
{
  gsize len = 0;
  g_autofree char *text = _iwb_history_unpack (sqlite3_column_blob (stmt, col),
                                               (gsize) sqlite3_column_bytes (stmt, col), &len);

  if (text == NULL)
    return g_strdup (_("[damaged: these stored rows cannot be unpacked]"));
  return g_utf8_make_valid (text, strnlen (text, len));
}

gboolean
iwb_history_foreach_row (IwbHistory         *self,
                         gint64              id,
                         int                 kind,
                         IwbHistoryRowFunc   func,
                         gpointer            user_data,
                         GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean go_on = TRUE;
  int rc;

  g_return_val_if_fail (IWB_IS_HISTORY (self), FALSE);
  g_mutex_lock (&self->read_lock);
  rc = sqlite3_prepare_v2 (self->read_db, "SELECT kind, correlation, data, packed FROM rows "
                           "WHERE run_id = ?1 AND (?2 < 0 OR kind = ?2) ORDER BY seq",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, kind);
      while (go_on && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          /* a chunk: JSON Lines, and their correlations line by line */
          int k = sqlite3_column_int (stmt, 0);
          /* valid UTF-8 whatever an edited file holds (U+FFFD for the rest) */
          g_autofree char *corr = valid_text (stmt, 1);
          g_autofree char *data = sqlite3_column_int (stmt, 3) != 0 ? unpacked_text (stmt, 2)
                                                                    : valid_text (stmt, 2);
          char *d = data, *c = corr;

          while (go_on && d != NULL)
            {
              char *d_end = strchr (d, '\n');
              char *c_end = c ? strchr (c, '\n') : NULL;

              if (d_end)
                *d_end = '\0';
              if (c_end)
                *c_end = '\0';
              go_on = func (k, c && *c ? c : NULL, d, user_data);
              d = d_end ? d_end + 1 : NULL;
              c = c_end ? c_end + 1 : NULL;
            }
        }
      if (!go_on)
        rc = SQLITE_DONE;
    }
  if (rc != SQLITE_DONE)
    _iwb_history_set_error (error, self->read_db, "rows");
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->read_lock);
  return rc == SQLITE_DONE;
}

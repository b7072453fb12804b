/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The run history: real SQLite files, recording through the writer thread,
 * migration, pruning, a process killed while recording, compare, and
 * `iwb history` end to end.
 *
 * Kept whole (about 850 lines): every case records through the same
 * record () helper and its fixture rows, and the SIGKILL cases start this
 * very binary as the process they kill (--sigkill-child), so splitting it
 * would mean a second copy of the recorder or a test helper library for
 * one file's fixtures. */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <zlib.h>
#include <stdio.h>
#include <unistd.h>

#include "iwb-core.h"
#include "iwb-history-private.h"
#include "test-iwb-util.h"
#include "test-stores-util.h"

#define SECRET "hist-s3cret/+ü"

typedef struct
{
  const char *input;  /* JSON object text, or NULL: uncorrelated */
  const char *result; /* JSON text */
  gboolean    error;  /* a row error instead (result = its message) */
} Row;

static gint64
record (IwbHistory    *history,
        IwbHistoryKind kind,
        const char    *integration,
        const char    *action,
        const Row     *rows,
        guint          n_rows,
        IwbRunStatus   status)
{
  g_autoptr(JsonObject) params = json_object_new ();
  const char *secret_ids[] = { "PASSWORD", NULL };
  const char *secret_values[] = { SECRET, NULL };
  IwbHistoryRunInfo info = { kind, integration, action, "demo", params, secret_ids, secret_values };
  g_autoptr(IwbHistoryRecording) rec = NULL;
  g_autoptr(IwbRunEvent) log = NULL;
  g_autoptr(IwbRunEvent) finished = NULL;
  g_autoptr(GError) error = NULL;
  IwbRunCounts counts = { 0 };
  gint64 id;

  json_object_set_string_member (params, "URL", "http://127.0.0.1:1");
  json_object_set_string_member (params, "PASSWORD", SECRET);
  rec = iwb_history_begin (history, &info);
  log = iwb_run_event_new_text (IWB_RUN_EVENT_LOG, 1, "stderr", "logging in with " SECRET, FALSE);
  iwb_history_recording_add_event (rec, log);
  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr(JsonNode) input = rows[i].input ? json_from_string (rows[i].input, NULL) : NULL;
      g_autoptr(JsonNode) lhub_id = rows[i].input ? json_node_init_int (json_node_alloc (), i + 1) : NULL;
      g_autoptr(JsonNode) payload = NULL;
      g_autoptr(IwbRunEvent) event = NULL;

      if (rows[i].error)
        {
          g_autofree char *text = g_strdup_printf ("{\"has_error\": true, \"error\": \"%s\"}",
                                                   rows[i].result);

          payload = json_from_string (text, NULL);
        }
      else
        payload = json_from_string (rows[i].result, NULL);
      g_assert_nonnull (payload);
      event = iwb_run_event_new_result (rows[i].error ? IWB_RUN_EVENT_ROW_ERROR : IWB_RUN_EVENT_RESULT,
                                        2, payload, lhub_id,
                                        input ? json_node_get_object (input) : NULL);
      iwb_history_recording_add_event (rec, event);
      counts.rows_in++;
    }
  finished = iwb_run_event_new_finished (3, status, status == IWB_RUN_STATUS_FAILED ? 2 : 0,
                                         "done", 1500 * 1000, &counts);
  iwb_history_recording_add_event (rec, finished);
  id = iwb_history_recording_wait (rec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static const Row three[] = {
  { "{\"q\": \"a\"}", "{\"n\": 1, \"secret\": \"" SECRET "\"}", FALSE },
  { "{\"q\": \"b\"}", "{\"n\": 2}", FALSE },
  { "{\"q\": \"c\"}", "bad input c", TRUE },
};

static gboolean
count_row (IwbHistoryRowKind kind,
           const char       *correlation,
           const char       *data,
           gpointer          user_data)
{
  GPtrArray *out = user_data;

  g_ptr_array_add (out, g_strdup_printf ("%d|%s|%s", kind, correlation ? correlation : "-", data));
  return TRUE;
}

static char *
history_path (StoresHome *home)
{
  return g_build_filename (home->store, "history.sqlite", NULL);
}

static void
test_record_and_list (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *path = NULL;
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(IwbHistoryEntry) entry = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *json_text = NULL;
  g_auto(GStrv) forms = stores_secret_forms (SECRET);
  IwbHistoryQuery query = { 0 };
  gint64 v, r1, r2;

  stores_home_init (&home);
  path = history_path (&home);
  history = iwb_history_open (path, &error);
  g_assert_no_error (error);
  v = record (history, IWB_HISTORY_KIND_VALIDATION, "/srv/a", NULL, NULL, 0, IWB_RUN_STATUS_SUCCEEDED);
  r1 = record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.search", three, 3,
               IWB_RUN_STATUS_REPORTED_ERRORS);
  r2 = record (history, IWB_HISTORY_KIND_RUN, "/srv/b", "main.other", three, 2, IWB_RUN_STATUS_SUCCEEDED);
  g_assert_cmpint (v, <, r1);
  g_assert_cmpint (r1, <, r2);

  entries = iwb_history_list (history, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpint (iwb_history_entry_get_id (entries->pdata[0]), ==, r2); /* newest first */
  g_assert_cmpint (iwb_history_entry_get_id (entries->pdata[2]), ==, v);
  g_assert_cmpint (iwb_history_entry_get_kind (entries->pdata[2]), ==, IWB_HISTORY_KIND_VALIDATION);
  g_assert_null (iwb_history_entry_get_action (entries->pdata[2]));
  g_clear_pointer (&entries, g_ptr_array_unref);

  query.integration = "/srv/a";
  entries = iwb_history_list (history, &query, &error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_clear_pointer (&entries, g_ptr_array_unref);
  query.action = "search"; /* the function name alone */
  entries = iwb_history_list (history, &query, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (iwb_history_entry_get_id (entries->pdata[0]), ==, r1);
  g_clear_pointer (&entries, g_ptr_array_unref);
  query.action = "";
  entries = iwb_history_list (history, &query, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (iwb_history_entry_get_id (entries->pdata[0]), ==, v);
  g_clear_pointer (&entries, g_ptr_array_unref);
  memset (&query, 0, sizeof query);
  query.status = "reported-errors";
  entries = iwb_history_list (history, &query, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_clear_pointer (&entries, g_ptr_array_unref);
  memset (&query, 0, sizeof query);
  query.text = "other";
  query.limit = 5;
  entries = iwb_history_list (history, &query, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (iwb_history_entry_get_id (entries->pdata[0]), ==, r2);
  g_clear_pointer (&entries, g_ptr_array_unref);
  memset (&query, 0, sizeof query);
  query.limit = 1;
  query.offset = 1;
  entries = iwb_history_list (history, &query, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (iwb_history_entry_get_id (entries->pdata[0]), ==, r1);

  entry = iwb_history_get (history, r1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (iwb_history_entry_get_integration (entry), ==, "/srv/a");
  g_assert_cmpstr (iwb_history_entry_get_action (entry), ==, "main.search");
  g_assert_cmpstr (iwb_history_entry_get_profile (entry), ==, "demo");
  g_assert_cmpstr (iwb_history_entry_get_status (entry), ==, "reported-errors");
  g_assert_cmpint (iwb_history_entry_get_duration_ms (entry), ==, 1500);
  g_assert_cmpuint (iwb_history_entry_get_n_inputs (entry), ==, 3);
  g_assert_cmpuint (iwb_history_entry_get_n_results (entry), ==, 2);
  g_assert_cmpuint (iwb_history_entry_get_n_row_errors (entry), ==, 1);
  g_assert_cmpuint (iwb_history_entry_get_n_log_lines (entry), ==, 1);
  g_assert_cmpint (ABS (iwb_history_entry_get_started (entry) - g_get_real_time () / 1000), <, 600000);
  json = iwb_history_entry_to_json (entry);
  json_text = json_to_string (json, FALSE);
  g_assert_nonnull (strstr (json_text, "\"PASSWORD\":\"" IWB_HISTORY_SECRET_MARKER "\""));
  g_assert_nonnull (strstr (json_text, "\"URL\":\"http://127.0.0.1:1\""));

  g_assert_true (iwb_history_foreach_row (history, r1, -1, count_row, rows, &error));
  g_assert_cmpuint (rows->len, ==, 7); /* log, 3 inputs, 2 results, 1 error */
  g_assert_true (g_ptr_array_find_with_equal_func (rows, "3|-|{\"stream\":\"stderr\",\"text\":\"logging in with [secret]\"}", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (rows, "2|3|{\"has_error\":true,\"error\":\"bad input c\"}", g_str_equal, NULL));
  /* in order within a kind */
  g_ptr_array_set_size (rows, 0);
  g_assert_true (iwb_history_foreach_row (history, r1, IWB_HISTORY_ROW_INPUT, count_row, rows, &error));
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (rows->pdata[0], ==, "0|1|{\"q\":\"a\"}");
  g_assert_cmpstr (rows->pdata[2], ==, "0|3|{\"q\":\"c\"}");
  g_ptr_array_set_size (rows, 0);
  g_assert_true (iwb_history_foreach_row (history, r1, IWB_HISTORY_ROW_RESULT, count_row, rows, &error));
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (rows->pdata[0], ==, "1|1|{\"n\":1,\"secret\":\"[secret]\"}");
  g_assert_cmpstr (rows->pdata[1], ==, "1|2|{\"n\":2}");

  g_assert_null (iwb_history_get (history, 999, &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND);

  /* WAL, and no secret in any file */
  g_clear_object (&history);
  stores_assert_not_in_files (home.root, (const char * const *) forms);
}

static void
test_migration (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *path = NULL;
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) started = g_date_time_new_from_iso8601 ("2026-11-02T09:16:30Z", NULL);
  g_autoptr(IwbHistoryEntry) validation = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  stores_home_init (&home);
  path = stores_history_from_fixture (&home, "history-v1.sql");

  history = iwb_history_open (path, &error);
  g_assert_no_error (error);
  entries = iwb_history_list (history, NULL, &error);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpint (iwb_history_entry_get_id (entries->pdata[1]), ==, 2);
  g_assert_cmpstr (iwb_history_entry_get_action (entries->pdata[1]), ==, "main.echo");
  g_assert_cmpuint (iwb_history_entry_get_n_results (entries->pdata[1]), ==, 3);
  g_assert_cmpint (iwb_history_entry_get_started (entries->pdata[1]), ==,
                   g_date_time_to_unix (started) * 1000);
  g_assert_cmpint (iwb_history_entry_get_duration_ms (entries->pdata[1]), ==, 1200);
  g_assert_true (iwb_history_foreach_row (history, 2, IWB_HISTORY_ROW_RESULT, count_row, rows, &error));
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (rows->pdata[2], ==, "1|-|{\"n\":3}");
  validation = iwb_history_get (history, 1, &error);
  g_assert_cmpuint (iwb_history_entry_get_n_log_lines (validation), ==, 2);
  g_assert_cmpint (iwb_history_entry_get_started (validation) % 1000, ==, 250);
  g_assert_cmpint (iwb_history_entry_get_kind (validation), ==, IWB_HISTORY_KIND_VALIDATION);
  g_clear_object (&history);

  /* schema version 2, WAL, the old table gone */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, IWB_HISTORY_SCHEMA_VERSION);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM sqlite_master WHERE name = 'runs_v1'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_newer_and_corrupt (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) warnings = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gboolean aside = FALSE;
  gsize len_before, len_after;
  sqlite3 *db = NULL;

  stores_home_init (&home);
  path = history_path (&home);
  g_assert_cmpint (g_mkdir_with_parents (home.store, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE future (x); PRAGMA user_version = 9",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (path, &before, &len_before, NULL));
  history = iwb_history_open (path, &error);
  g_assert_null (history);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_NEWER_VERSION);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_assert_true (g_file_get_contents (path, &after, &len_after, NULL));
  g_assert_cmpmem (before, len_before, after, len_after);
  g_clear_error (&error);

  /* not a database at all: moved aside, a new history starts */
  g_assert_true (g_file_set_contents (path, "this is not SQLite, just text that is long enough "
                                            "to have a header page of its own ..............", -1, NULL));
  history = iwb_history_open (path, &error);
  g_assert_no_error (error);
  warnings = iwb_history_dup_warnings (history);
  g_assert_cmpuint (g_strv_length (warnings), ==, 1);
  g_assert_nonnull (strstr (warnings[0], "moved to"));
  record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.x", three, 1, IWB_RUN_STATUS_SUCCEEDED);
  dir = g_dir_open (home.store, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    aside |= g_str_has_prefix (name, "history.sqlite.corrupt-");
  g_assert_true (aside);
}

static guint
n_runs (IwbHistory *history,
        const char *integration)
{
  IwbHistoryQuery query = { .integration = integration };
  g_autoptr(GPtrArray) entries = iwb_history_list (history, &query, NULL);

  return entries->len;
}

static void
test_prune (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *path = NULL;
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  gint64 first, last = 0, b_last = 0;

  stores_home_init (&home);
  path = history_path (&home);
  history = iwb_history_open (path, &error);
  g_assert_no_error (error);
  iwb_history_set_retention (history, 3, 0);
  first = record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.x", three, 3, IWB_RUN_STATUS_SUCCEEDED);
  g_assert_true (iwb_history_set_baseline (history, first, &error));
  for (guint i = 0; i < 5; i++)
    last = record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.x", three, 3, IWB_RUN_STATUS_SUCCEEDED);
  for (guint i = 0; i < 2; i++)
    b_last = record (history, IWB_HISTORY_KIND_RUN, "/srv/b", "main.y", three, 1, IWB_RUN_STATUS_SUCCEEDED);
  iwb_history_flush (history);
  /* the 3 newest of /srv/a, and its baseline; /srv/b untouched */
  g_assert_cmpuint (n_runs (history, "/srv/a"), ==, 4);
  g_assert_nonnull (iwb_history_get (history, first, NULL));
  g_assert_null (iwb_history_get (history, first + 1, NULL));
  g_assert_nonnull (iwb_history_get (history, last - 2, NULL));
  g_assert_cmpuint (n_runs (history, "/srv/b"), ==, 2);
  /* rows of pruned runs go with them */
  g_assert_true (iwb_history_foreach_row (history, first + 1, -1, count_row, rows, &error));
  g_assert_cmpuint (rows->len, ==, 0);

  /* a size cap: everything but the newest run and the baseline goes */
  iwb_history_set_retention (history, 0, 1);
  iwb_history_prune (history);
  iwb_history_flush (history);
  g_assert_cmpuint (n_runs (history, NULL), ==, 2);
  g_assert_nonnull (iwb_history_get (history, first, NULL));
  g_assert_nonnull (iwb_history_get (history, b_last, NULL));
}

/* The integer @sql gives, read with a connection of its own. */
static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* Retention deletes the old runs as a new one begins, leaving room for it
 * (/history/prune checks which runs stay); the pages they held are reused by
 * the runs that follow, so a history at its limits stops growing, and are
 * given back to the file system only when much of the file is free (the
 * limits were lowered). */
static void
test_prune_reuses_pages (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *path = NULL;
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  Row rows[300];
  gint64 pages_at_limit, pages, last = 0, next;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *filler = g_strnfill (1000, 'a' + i % 26);

      g_ptr_array_add (texts, g_strdup_printf ("{\"i\": %u}", i));
      g_ptr_array_add (texts, g_strdup_printf ("{\"i\": %u, \"text\": \"%s\"}", i, filler));
      rows[i] = (Row) { texts->pdata[2 * i], texts->pdata[2 * i + 1], FALSE };
    }
  stores_home_init (&home);
  path = history_path (&home);
  history = iwb_history_open (path, &error);
  g_assert_no_error (error);
  /* each run an eighth of the file: too little to give back */
  iwb_history_set_retention (history, 8, 0);
  for (guint i = 0; i < 9; i++)
    record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.x", rows, G_N_ELEMENTS (rows),
            IWB_RUN_STATUS_SUCCEEDED);
  iwb_history_flush (history);
  g_assert_cmpuint (n_runs (history, "/srv/a"), ==, 8);
  pages_at_limit = query_int (path, "PRAGMA page_count");
  for (guint i = 0; i < 12; i++)
    last = record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.x", rows, G_N_ELEMENTS (rows),
                   IWB_RUN_STATUS_SUCCEEDED);
  iwb_history_flush (history);
  g_assert_cmpuint (n_runs (history, "/srv/a"), ==, 8);
  pages = query_int (path, "PRAGMA page_count");
  g_test_message ("pages: %" G_GINT64_FORMAT " at the limit, %" G_GINT64_FORMAT " 12 runs later",
                  pages_at_limit, pages);
  /* the freed pages were reused: at most a run's worth more */
  g_assert_cmpint (pages, <=, pages_at_limit + pages_at_limit / 6);

  /* lowered to one run: most of the file is free, and goes back */
  iwb_history_set_retention (history, 1, 0);
  iwb_history_prune (history);
  iwb_history_flush (history);
  g_assert_cmpuint (n_runs (history, "/srv/a"), ==, 1);
  g_assert_nonnull (iwb_history_get (history, last, NULL));
  g_assert_cmpint (query_int (path, "PRAGMA page_count"), <, pages / 2);
  g_assert_cmpint (query_int (path, "PRAGMA freelist_count"), <, pages / 8);
  /* one run kept: a new one takes the place of the last */
  next = record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.x", rows, 3, IWB_RUN_STATUS_SUCCEEDED);
  iwb_history_flush (history);
  g_assert_cmpuint (n_runs (history, "/srv/a"), ==, 1);
  g_assert_null (iwb_history_get (history, last, NULL));
  g_assert_nonnull (iwb_history_get (history, next, NULL));
}

/* The child of /history/sigkill: records one run, then starts another and
 * says so; the parent kills it with SIGKILL. */
static int
sigkill_child (const char *path,
               guint       n_rows)
{
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  IwbHistoryRunInfo info = { IWB_HISTORY_KIND_RUN, "/srv/k", "main.big", NULL, params, NULL, NULL };
  IwbHistoryRecording *rec;

  history = iwb_history_open (path, &error);
  g_assert_no_error (error);
  record (history, IWB_HISTORY_KIND_RUN, "/srv/k", "main.small", three, 3, IWB_RUN_STATUS_SUCCEEDED);
  rec = iwb_history_begin (history, &info);
  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"i\": %u, \"pad\": \"%0200u\"}", i, i);
      g_autoptr(JsonNode) payload = json_from_string (text, NULL);
      g_autoptr(IwbRunEvent) event = iwb_run_event_new_result (IWB_RUN_EVENT_RESULT, i, payload,
                                                               NULL, NULL);

      iwb_history_recording_add_event (rec, event);
    }
  iwb_history_flush (history); /* all rows are written (a long run's first parts committed) */
  printf ("recording\n");
  fflush (stdout);
  for (;;)
    pause ();
  return 0;
}

static void
test_sigkill (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *path = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *self = g_test_get_filename (G_TEST_BUILT, "test-history", NULL);

  stores_home_init (&home);
  path = history_path (&home);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self, "--sigkill-child", path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "recording");
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  /* the database is sound; the finished run is whole; the other is gone */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM rows WHERE run_id != 1", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0); /* nothing of the killed run */
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  history = iwb_history_open (path, &error);
  g_assert_no_error (error);
  entries = iwb_history_list (history, NULL, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (iwb_history_entry_get_action (entries->pdata[0]), ==, "main.small");
  g_assert_cmpuint (iwb_history_entry_get_n_results (entries->pdata[0]), ==, 2);
  g_assert_true (iwb_history_foreach_row (history, 1, -1, count_row, rows, &error));
  g_assert_cmpuint (rows->len, ==, 7); /* log + 3 inputs + 2 results + 1 error, whole */
  /* and it records again */
  record (history, IWB_HISTORY_KIND_RUN, "/srv/k", "main.small", three, 3, IWB_RUN_STATUS_SUCCEEDED);
}

static const Row second[] = {
  { "{\"q\": \"a\"}", "{\"n\": 1, \"secret\": \"" SECRET "\"}", FALSE },
  { "{\"q\": \"c\"}", "bad input c", TRUE },
  { "{\"q\": \"b\"}", "{\"n\": 20}", FALSE },         /* changed, and reordered */
  { "{\"q\": \"d\"}", "{\"n\": 4}", FALSE },          /* added */
};

static gint64
count_killed_run (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return query_int (path, "SELECT (SELECT count(*) FROM runs WHERE action = 'main.big') + "
                          "(SELECT count(*) FROM rows WHERE run_id IN "
                          " (SELECT id FROM runs WHERE action = 'main.big'))");
}

/* A long run (committed in parts while it goes on) killed in the middle:
 * nothing of it is ever listed, and the next process that records deletes
 * what it left. */
static void
test_sigkill_long (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *path = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) later = NULL;
  const char *self = g_test_get_filename (G_TEST_BUILT, "test-history", NULL);

  stores_home_init (&home);
  path = history_path (&home);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self, "--sigkill-long-child", path,
                            NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "recording");
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  g_assert_cmpint (count_killed_run (path), >, 1); /* its first parts were committed */
  history = iwb_history_open (path, &error);
  g_assert_no_error (error);
  entries = iwb_history_list (history, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1); /* never the killed run, whole or in part */
  g_assert_cmpstr (iwb_history_entry_get_action (entries->pdata[0]), ==, "main.small");
  record (history, IWB_HISTORY_KIND_RUN, "/srv/k", "main.small", three, 3, IWB_RUN_STATUS_SUCCEEDED);
  later = iwb_history_list (history, NULL, &error);
  g_assert_cmpuint (later->len, ==, 2);
  g_clear_object (&history);
  g_assert_cmpint (count_killed_run (path), ==, 0); /* deleted by the next writer */
}

static void
test_compare (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *path = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *diff_text = NULL;
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbHistoryComparison) same = NULL;
  g_autoptr(IwbHistoryComparison) cmp = NULL;
  g_autoptr(IwbHistoryComparison) positional = NULL;
  g_auto(IwbCliResult) diff_equal = { 0 };
  g_auto(IwbCliResult) diff_json = { 0 };
  g_auto(IwbCliResult) show = { 0 };
  g_autofree char *id1 = NULL, *id2 = NULL, *id3 = NULL;
  const Row flat1[] = { { NULL, "{\"x\": 1}", FALSE }, { NULL, "{\"x\": 2}", FALSE } };
  const Row flat2[] = { { NULL, "{\"x\": 1}", FALSE }, { NULL, "{\"x\": 3}", FALSE } };
  gint64 r1, r1b, r2, p1, p2, base = 0;
  guint differing = 99;

  stores_home_init (&home);
  path = history_path (&home);
  history = iwb_history_open (path, &error);
  g_assert_no_error (error);
  r1 = record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.x", three, 3, IWB_RUN_STATUS_SUCCEEDED);
  r1b = record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.x", three, 3, IWB_RUN_STATUS_SUCCEEDED);
  r2 = record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.x", second, 4, IWB_RUN_STATUS_SUCCEEDED);
  p1 = record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.flat", flat1, 2, IWB_RUN_STATUS_SUCCEEDED);
  p2 = record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.flat", flat2, 2, IWB_RUN_STATUS_SUCCEEDED);

  same = iwb_history_compare (history, r1, r1b, &error);
  g_assert_no_error (error);
  g_assert_true (iwb_history_comparison_is_equal (same));
  g_assert_true (same->by_input);
  summary = iwb_history_comparison_summary (same);
  g_assert_cmpstr (summary, ==, "Same results");
  g_clear_pointer (&summary, g_free);

  cmp = iwb_history_compare (history, r1, r2, &error);
  g_assert_no_error (error);
  g_assert_true (cmp->by_input);
  g_assert_false (iwb_history_comparison_is_equal (cmp));
  g_assert_cmpuint (cmp->rows_added, ==, 1);
  g_assert_cmpuint (cmp->rows_removed, ==, 0);
  g_assert_cmpuint (cmp->rows_changed, ==, 1);
  summary = iwb_history_comparison_summary (cmp);
  g_assert_cmpstr (summary, ==, "2 rows differ (1 added, 0 removed, 1 changed)");
  diff_text = iwb_json_diff_to_text (cmp->changes, IWB_JSON_DIFF_TEXT_NONE);
  g_test_message ("%s", diff_text);
  g_assert_nonnull (strstr (diff_text, "result.n"));

  positional = iwb_history_compare (history, p1, p2, &error);
  g_assert_no_error (error);
  g_assert_false (positional->by_input);
  g_assert_cmpuint (positional->rows_changed, ==, 1);
  g_assert_cmpuint (positional->rows_added + positional->rows_removed, ==, 0);

  /* baselines */
  g_assert_false (iwb_history_compare_to_baseline (history, r2, &base, &differing, &error));
  g_assert_no_error (error);
  g_assert_true (iwb_history_set_baseline (history, r1, &error));
  g_assert_cmpint (iwb_history_get_baseline (history, "/srv/a", "main.x", &error), ==, r1);
  g_assert_true (iwb_history_compare_to_baseline (history, r2, &base, &differing, &error));
  g_assert_cmpint (base, ==, r1);
  g_assert_cmpuint (differing, ==, 2);
  g_assert_true (iwb_history_compare_to_baseline (history, r1b, &base, &differing, &error));
  g_assert_cmpuint (differing, ==, 0);
  g_assert_false (iwb_history_set_baseline (history, 4242, &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&history);

  /* the same through `iwb history` (XDG_DATA_HOME is the test's) */
  id1 = g_strdup_printf ("%" G_GINT64_FORMAT, r1);
  id2 = g_strdup_printf ("%" G_GINT64_FORMAT, r1b);
  id3 = g_strdup_printf ("%" G_GINT64_FORMAT, r2);
  iwb_cli_run (&diff_equal, NULL, NULL, "history", "diff", id1, id2, NULL);
  g_assert_cmpint (diff_equal.status, ==, 0);
  g_assert_nonnull (strstr (diff_equal.out, "Same results"));
  g_assert_null (strstr (diff_equal.err, "note:"));
  iwb_cli_run (&diff_json, NULL, NULL, "history", "diff", id1, id3, "--format", "json", NULL);
  g_assert_cmpint (diff_json.status, ==, 1);
  g_assert_nonnull (strstr (diff_json.out, "\"rowsChanged\":1"));
  g_assert_nonnull (strstr (diff_json.out, "\"rowsAdded\":1"));
  g_assert_nonnull (strstr (diff_json.out, "\"equal\":false"));
  iwb_cli_run (&show, NULL, NULL, "history", "show", id3, NULL);
  g_assert_cmpint (show.status, ==, 0);
  g_assert_nonnull (strstr (show.out, "2 rows differ from the baseline"));
}

static void
test_cli (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *path = NULL;
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(IwbCliResult) list = { 0 };
  g_auto(IwbCliResult) text = { 0 };
  g_auto(IwbCliResult) limited = { 0 };
  g_auto(IwbCliResult) missing = { 0 };
  g_auto(IwbCliResult) usage = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonNode) first = NULL;
  JsonObject *o;

  stores_home_init (&home);
  path = history_path (&home);
  history = iwb_history_open (path, &error);
  g_assert_no_error (error);
  record (history, IWB_HISTORY_KIND_VALIDATION, "/srv/a", NULL, NULL, 0, IWB_RUN_STATUS_SUCCEEDED);
  record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.x", three, 3, IWB_RUN_STATUS_REPORTED_ERRORS);
  g_clear_object (&history);

  iwb_cli_run (&list, NULL, NULL, "history", "list", "--format", "jsonl", NULL);
  g_assert_cmpint (list.status, ==, 0);
  lines = g_strsplit (g_strstrip (list.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  first = json_from_string (lines[0], &error);
  g_assert_no_error (error);
  o = json_node_get_object (first);
  g_assert_cmpint (json_object_get_int_member (o, "id"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "run");
  g_assert_cmpstr (json_object_get_string_member (o, "action"), ==, "main.x");
  g_assert_cmpstr (json_object_get_string_member (o, "profile"), ==, "demo");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "reported-errors");
  g_assert_cmpint (json_object_get_int_member (o, "duration_ms"), ==, 1500);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (o, "started"), "Z"));
  g_assert_nonnull (strstr (lines[1], "\"kind\":\"validation\""));

  iwb_cli_run (&text, NULL, NULL, "history", "list", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "main.x"));
  g_assert_nonnull (strstr (text.out, "reported-errors"));
  /* counts with their plural forms */
  g_assert_nonnull (strstr (text.out, "2 results, 1 error\n"));
  g_assert_nonnull (strstr (text.out, "0 results, 0 errors\n"));
  iwb_cli_run (&limited, NULL, NULL, "history", "list", "--limit", "1", "--action", "x",
               "--format", "jsonl", NULL);
  {
    g_auto(GStrv) limited_lines = g_strsplit (g_strstrip (limited.out), "\n", -1);

    g_assert_cmpuint (g_strv_length (limited_lines), ==, 1);
  }
  iwb_cli_run (&missing, NULL, NULL, "history", "show", "77", NULL);
  g_assert_cmpint (missing.status, ==, 64);
  g_assert_nonnull (strstr (missing.err, "no run 77"));
  iwb_cli_run (&usage, NULL, NULL, "history", "diff", "1", NULL);
  g_assert_cmpint (usage.status, ==, 64);
  {
    /* a validation against a run: compared, but stderr says what each one is */
    g_auto(IwbCliResult) unlike = { 0 };

    iwb_cli_run (&unlike, NULL, NULL, "history", "diff", "1", "2", NULL);
    g_assert_cmpint (unlike.status, ==, 1);
    g_assert_nonnull (strstr (unlike.err, "run 1 is the connection validation of /srv/a, run 2 is main.x of /srv/a"));
  }
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_async (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *path = NULL;
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(IwbHistoryComparison) cmp = NULL;
  gint64 a, b;

  stores_home_init (&home);
  path = history_path (&home);
  iwb_history_open_async (path, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  history = iwb_history_open_finish (result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  a = record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.x", three, 3, IWB_RUN_STATUS_SUCCEEDED);
  b = record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.x", second, 4, IWB_RUN_STATUS_SUCCEEDED);
  iwb_history_list_async (history, NULL, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  entries = iwb_history_list_finish (history, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_clear_object (&result);
  iwb_history_compare_async (history, a, b, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  cmp = iwb_history_compare_finish (history, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cmp->rows_changed + cmp->rows_added, ==, 2);
}

/* More rows than a chunk holds: every row back, in order, with its
 * correlation; a run compared with an equal one is equal. */
static void
test_chunks (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *path = NULL;
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) many = g_array_new (FALSE, TRUE, sizeof (Row));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(IwbHistoryComparison) cmp = NULL;
  gint64 a, b;

  for (guint i = 0; i < 150; i++)
    {
      Row r = { 0 };

      g_ptr_array_add (texts, g_strdup_printf ("{\"q\": %u}", i));
      r.input = texts->pdata[texts->len - 1];
      g_ptr_array_add (texts, g_strdup_printf ("{\"n\": %u, \"text\": \"line\\nbreak\"}", i));
      r.result = texts->pdata[texts->len - 1];
      g_array_append_val (many, r);
    }
  stores_home_init (&home);
  path = history_path (&home);
  history = iwb_history_open (path, &error);
  g_assert_no_error (error);
  a = record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.x", (Row *) many->data, many->len,
              IWB_RUN_STATUS_SUCCEEDED);
  b = record (history, IWB_HISTORY_KIND_RUN, "/srv/a", "main.x", (Row *) many->data, many->len,
              IWB_RUN_STATUS_SUCCEEDED);
  g_assert_true (iwb_history_foreach_row (history, a, IWB_HISTORY_ROW_RESULT, count_row, rows, &error));
  g_assert_cmpuint (rows->len, ==, 150);
  g_assert_cmpstr (rows->pdata[0], ==, "1|1|{\"n\":0,\"text\":\"line\\nbreak\"}");
  g_assert_cmpstr (rows->pdata[130], ==, "1|131|{\"n\":130,\"text\":\"line\\nbreak\"}");
  g_assert_cmpstr (rows->pdata[149], ==, "1|150|{\"n\":149,\"text\":\"line\\nbreak\"}");
  g_ptr_array_set_size (rows, 0);
  g_assert_true (iwb_history_foreach_row (history, a, -1, count_row, rows, &error));
  g_assert_cmpuint (rows->len, ==, 301); /* 150 inputs, 150 results, 1 log */
  cmp = iwb_history_compare (history, a, b, &error);
  g_assert_no_error (error);
  g_assert_true (cmp->by_input);
  g_assert_true (iwb_history_comparison_is_equal (cmp));

  /* The full chunks were stored packed (iwb-history-pack.c), and what a run
   * counts against the size limit is what it takes in the file: less than
   * its rows' text (150 results of 35 bytes and 150 inputs of 10). */
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM rows WHERE packed = 1"), >=, 4);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM rows WHERE packed = 1 AND typeof (data) != 'blob'"), ==, 0);
  g_assert_cmpint (query_int (path, "SELECT bytes FROM runs WHERE id = 1"), <, 150 * 35);
  g_assert_cmpint (query_int (path, "SELECT bytes FROM runs WHERE id = 1"), >, 0);
}

static GBytes *
raw_deflate (const void *data,
             gsize       len)
{
  z_stream z = { 0 };
  gsize bound;
  guint8 *out;

  g_assert_cmpint (deflateInit2 (&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
  bound = deflateBound (&z, (uLong) len);
  out = g_malloc (bound);
  z.next_in = (Bytef *) data;
  z.avail_in = (uInt) len;
  z.next_out = out;
  z.avail_out = (uInt) bound;
  g_assert_cmpint (deflate (&z, Z_FINISH), ==, Z_STREAM_END);
  deflateEnd (&z);
  return g_bytes_new_take (out, bound - z.avail_out);
}

/* What a packed chunk unpacks to, whatever the file holds: the text it
 * packed; nothing (damage) for a truncated or foreign stream, and for a
 * "bomb" that would unpack past what the writer ever packs (64 MiB), read
 * without taking that memory. */
static void
test_unpack_bounds (void)
{
  const char text[] = "{\"a\": 1}\n{\"a\": 2}";
  gsize zeros_len = 65 * 1024 * 1024;
  g_autofree guint8 *zeros = g_malloc0 (zeros_len);
  g_autoptr(GBytes) packed = raw_deflate (text, strlen (text));
  g_autoptr(GBytes) bomb = raw_deflate (zeros, zeros_len);
  gsize len = 0;
  char *out;

  out = _iwb_history_unpack (g_bytes_get_data (packed, NULL), g_bytes_get_size (packed), &len);
  g_assert_cmpstr (out, ==, text);
  g_assert_cmpuint (len, ==, strlen (text));
  g_free (out);
  /* truncated */
  g_assert_null (_iwb_history_unpack (g_bytes_get_data (packed, NULL), g_bytes_get_size (packed) - 2, &len));
  g_assert_cmpuint (len, ==, 0);
  /* not deflate, empty */
  g_assert_null (_iwb_history_unpack ("not deflate at all", 18, &len));
  g_assert_null (_iwb_history_unpack ("", 0, &len));
  /* 65 MiB of zeros in a few dozen kilobytes */
  g_assert_cmpuint (g_bytes_get_size (bomb), <, 256 * 1024);
  g_assert_null (_iwb_history_unpack (g_bytes_get_data (bomb, NULL), g_bytes_get_size (bomb), &len));
}

/* An HTTP exchange recorded with a run comes back from iwb_history_replay()
 * as an HTTP event, which the read-only run view's HTTP tab shows. */
static void
test_http_replay (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *path = NULL;
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  const char *secret_ids[] = { "PASSWORD", NULL };
  const char *secret_values[] = { SECRET, NULL };
  IwbHistoryRunInfo info = { IWB_HISTORY_KIND_VALIDATION, "/srv/h", NULL, "demo", params, secret_ids, secret_values };
  g_autoptr(IwbHistoryRecording) rec = NULL;
  g_autoptr(IwbHttpExchange) exchange = NULL;
  g_autoptr(IwbRunEvent) http = NULL;
  g_autoptr(IwbRunEvent) finished = NULL;
  g_autoptr(IwbHistoryReplay) replay = NULL;
  g_autofree char *line = NULL;
  IwbRunCounts counts = { 0 };
  guint n_http = 0;
  gint64 id;

  stores_home_init (&home);
  path = history_path (&home);
  history = iwb_history_open (path, &error);
  g_assert_no_error (error);
  line = g_strdup_printf ("{\"event\": \"http\", \"id\": 1, \"method\": \"GET\", "
                          "\"url\": \"http://127.0.0.1:9/api/me?page=%d\", "
                          "\"response\": {\"status\": 401, \"headers\": []}}", 1);
  exchange = iwb_http_exchange_new_from_line (line, -1, &error);
  g_assert_no_error (error);
  rec = iwb_history_begin (history, &info);
  http = iwb_run_event_new_http (1, exchange);
  iwb_history_recording_add_event (rec, http);
  finished = iwb_run_event_new_finished (2, IWB_RUN_STATUS_FAILED, 1, "invalid", 1000, &counts);
  iwb_history_recording_add_event (rec, finished);
  id = iwb_history_recording_wait (rec, &error);
  g_assert_no_error (error);

  replay = iwb_history_replay (history, id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < replay->events->len; i++)
    {
      IwbRunEvent *event = g_ptr_array_index (replay->events, i);
      IwbHttpExchange *ex;

      if (iwb_run_event_get_kind (event) != IWB_RUN_EVENT_HTTP)
        continue;
      n_http++;
      ex = iwb_run_event_get_exchange (event);
      g_assert_nonnull (ex);
      g_assert_cmpstr (iwb_http_exchange_get_method (ex), ==, "GET");
      g_assert_cmpuint (iwb_http_exchange_get_status (ex), ==, 401);
      g_assert_nonnull (strstr (iwb_http_exchange_get_url (ex), "/api/me"));
    }
  g_assert_cmpuint (n_http, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--sigkill-child"))
    return sigkill_child (argv[2], 5000);
  if (argc == 3 && g_str_equal (argv[1], "--sigkill-long-child"))
    return sigkill_child (argv[2], 40000); /* 8.5 MB: several parts */
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/history/record-and-list", test_record_and_list);
  g_test_add_func ("/history/migration", test_migration);
  g_test_add_func ("/history/newer-and-corrupt", test_newer_and_corrupt);
  g_test_add_func ("/history/prune", test_prune);
  g_test_add_func ("/history/prune-reuses-pages", test_prune_reuses_pages);
  g_test_add_func ("/history/sigkill", test_sigkill);
  g_test_add_func ("/history/sigkill-long", test_sigkill_long);
  g_test_add_func ("/history/compare", test_compare);
  g_test_add_func ("/history/chunks", test_chunks);
  g_test_add_func ("/history/unpack-bounds", test_unpack_bounds);
  g_test_add_func ("/history/cli", test_cli);
  g_test_add_func ("/history/async", test_async);
  g_test_add_func ("/history/http-replay", test_http_replay);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The run history's schema version 4 (runs_by_status): a file of version
 * 3 is migrated in place, and listing and counting one integration's runs
 * read an index, not the runs of every integration. */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "iwb-core.h"
#include "test-iwb-util.h"
#include "test-stores-util.h"

static gboolean
count_row (IwbHistoryRowKind kind,
           const char       *correlation,
           const char       *data,
           gpointer          user_data)
{
  g_ptr_array_add (user_data, g_strdup (data));
  return TRUE;
}

/* Version 3 (before runs_by_status): migrated in place; listing and
 * counting one integration's runs read that index only. */
static void
test_migration_v3 (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autofree char *path = NULL;
  g_autofree char *plan = NULL;
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  IwbHistoryQuery query = { .integration = "/work/tracker" };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  stores_home_init (&home);
  path = stores_history_from_fixture (&home, "history-v3.sql");

  history = iwb_history_open (path, &error);
  g_assert_no_error (error);
  entries = iwb_history_list (history, &query, &error);
  g_assert_no_error (error);
  /* newest first, the other integration's and the unfinished run left out */
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpint (iwb_history_entry_get_id (entries->pdata[0]), ==, 2);
  g_assert_cmpint (iwb_history_entry_get_id (entries->pdata[1]), ==, 1);
  g_assert_cmpint (iwb_history_count (history, &query, &error), ==, 2);
  query.status = "reported_errors";
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = iwb_history_list (history, &query, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (iwb_history_count (history, &query, &error), ==, 1);
  query.status = NULL;
  query.action = "";
  g_assert_cmpint (iwb_history_count (history, &query, &error), ==, 1);
  query.action = "search";
  g_assert_cmpint (iwb_history_count (history, &query, &error), ==, 1);
  query.action = NULL;
  query.text = "demo";
  g_assert_cmpint (iwb_history_count (history, &query, &error), ==, 2);
  query.integration = NULL;
  query.text = NULL;
  g_assert_cmpint (iwb_history_count (history, &query, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_true (iwb_history_foreach_row (history, 2, IWB_HISTORY_ROW_RESULT, count_row, rows, &error));
  g_assert_cmpuint (rows->len, ==, 2);
  g_clear_object (&history);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, IWB_HISTORY_SCHEMA_VERSION);
  sqlite3_finalize (stmt);
  /* what the History page asks for its count: the index alone */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM runs r "
                                           "WHERE r.status != 'recording' AND r.integration = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  plan = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  g_assert_nonnull (strstr (plan, "COVERING INDEX runs_by_status"));
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/history/migration-v3", test_migration_v3);
  return g_test_run ();
}

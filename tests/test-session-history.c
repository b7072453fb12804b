/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbSession's run history (iwb-session-history.c): runs the session
 * starts are recorded in a real SQLite history with their values (the
 * secret as the marker, its text nowhere in the file), input rows, results
 * and profile; "run-recorded" gives the id; a run started while the history
 * opens is recorded too; a disabled session records nothing; the listing
 * searches and filters in SQL; a stored run replays as the events of the
 * live one. Real python3 children.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "iwb-core.h"
#include "iwb-error.h"
#include "iwb-session.h"
#include "test-iwb-util.h"

#define SECRET "open-sesame"

static char *tmpdir;

static IwbSession *
loaded_session (void)
{
  g_autoptr(GFile) folder = iwb_test_workbench_folder ();
  IwbSession *session = iwb_test_session_load (folder);

  iwb_session_set_value (session, IWB_SESSION_SCOPE_CONNECTION, "API_KEY", SECRET,
                         IWB_SESSION_VALUE_TYPED | IWB_SESSION_VALUE_SECRET);
  iwb_session_set_value (session, IWB_SESSION_SCOPE_CONNECTION, "REGION", "eu", IWB_SESSION_VALUE_TYPED);
  return session;
}

typedef struct
{
  gint64   id;
  char    *message;
  gboolean recorded;
  gboolean done;
} Recorded;

static void
on_recorded (IwbSession *session,
             IwbRun     *run,
             gint64      id,
             const char *message,
             Recorded   *r)
{
  r->id = id;
  r->message = g_strdup (message);
  r->recorded = TRUE;
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Recorded *r = user_data;

  iwb_run_start_finish (IWB_RUN (source), result, NULL);
  r->done = TRUE;
}

/* Runs main.echo over @texts with @prefix; waits for the run (and for
 * "run-recorded" when @expect_record). */
static gint64
run_echo (IwbSession         *session,
          const char         *prefix,
          const char * const *texts,
          gboolean            expect_record)
{
  g_autoptr(IwbRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  Recorded r = { 0 };
  gulong handler;

  iwb_session_set_value (session, "action:main.echo", "PREFIX", prefix, IWB_SESSION_VALUE_TYPED);
  for (guint i = 0; texts[i] != NULL; i++)
    {
      JsonObject *row = json_object_new ();

      json_object_set_string_member (row, "text", texts[i]);
      g_ptr_array_add (rows, row);
    }
  run = iwb_session_create_run (session, IWB_RUN_EXECUTE, "main.echo", &error);
  g_assert_no_error (error);
  iwb_run_set_rows (run, rows);
  iwb_session_set_rows (session, "main.echo", rows);
  handler = g_signal_connect (session, "run-recorded", G_CALLBACK (on_recorded), &r);
  iwb_session_start_run (session, run, NULL, run_done, &r);
  while (!r.done || (expect_record && !r.recorded))
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (session, handler);
  if (expect_record)
    {
      g_assert_null (r.message);
      g_assert_cmpint (r.id, >, 0);
      g_assert_cmpint (iwb_session_get_run_history_id (session, run), ==, r.id);
    }
  g_free (r.message);
  return r.id;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  return g_strstr_len (data, len, needle) != NULL;
}

static void
opened (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  IwbHistory **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = iwb_session_open_history_finish (IWB_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static void
test_record (void)
{
  g_autoptr(IwbSession) session = loaded_session ();
  g_autofree char *path = g_build_filename (tmpdir, "record.sqlite", NULL);
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(IwbHistoryEntry) entry = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(IwbHistoryReplay) replay = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = iwb_session_dup_integration_key (session);
  const char *first[] = { "one", "two", NULL };
  const char *second[] = { "one", "bad", NULL };
  IwbHistoryQuery query = { 0 };
  gint64 id1, id2;
  guint results = 0, errors = 0;
  JsonObject *params;

  /* started while the history opens: recorded once it is open */
  iwb_session_open_history_async (session, path, NULL, opened, &history);
  id1 = run_echo (session, "A:", first, TRUE);
  while (history == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (iwb_session_get_history (session) == history);
  id2 = run_echo (session, "B:", second, TRUE);
  g_assert_cmpint (id2, >, id1);

  entry = iwb_history_get (history, id1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (iwb_history_entry_get_integration (entry), ==, key);
  g_assert_cmpstr (iwb_history_entry_get_action (entry), ==, "main.echo");
  g_assert_cmpstr (iwb_history_entry_get_status (entry), ==, "succeeded");
  g_assert_cmpuint (iwb_history_entry_get_n_inputs (entry), ==, 2);
  g_assert_cmpuint (iwb_history_entry_get_n_results (entry), ==, 2);
  params = json_node_get_object (iwb_history_entry_get_params (entry));
  g_assert_cmpstr (json_object_get_string_member (params, "PREFIX"), ==, "A:");
  g_assert_cmpstr (json_object_get_string_member (params, "REGION"), ==, "eu");
  g_assert_cmpstr (json_object_get_string_member (params, "API_KEY"), ==, IWB_HISTORY_SECRET_MARKER);
  iwb_history_flush (history);
  g_assert_false (file_contains (path, SECRET));

  /* newest first; the status filter and the text search are SQL */
  query.integration = key;
  list = iwb_history_list (history, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (iwb_history_entry_get_id (list->pdata[0]), ==, id2);
  g_clear_pointer (&list, g_ptr_array_unref);
  query.status = "reported-errors";
  list = iwb_history_list (history, &query, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (iwb_history_entry_get_id (list->pdata[0]), ==, id2);
  g_clear_pointer (&list, g_ptr_array_unref);
  query.status = NULL;
  query.text = "A:"; /* a parameter value */
  list = iwb_history_list (history, &query, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (iwb_history_entry_get_id (list->pdata[0]), ==, id1);
  g_clear_pointer (&list, g_ptr_array_unref);
  query.text = "%"; /* literal, not a wildcard */
  g_assert_cmpint (iwb_history_count (history, &query, &error), ==, 0);
  query.text = SECRET; /* never stored, never found */
  g_assert_cmpint (iwb_history_count (history, &query, &error), ==, 0);
  query.text = NULL;
  g_assert_cmpint (iwb_history_count (history, &query, &error), ==, 2);

  /* the second run replays as its events: results linked to input rows */
  replay = iwb_history_replay (history, id2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (replay->inputs->len, ==, 2);
  for (guint i = 0; i < replay->events->len; i++)
    {
      IwbRunEvent *event = replay->events->pdata[i];

      if (iwb_run_event_get_kind (event) == IWB_RUN_EVENT_RESULT)
        {
          results++;
          g_assert_nonnull (iwb_run_event_get_input_row (event));
          g_assert_cmpstr (iwb_json_get_string_or (json_node_get_object (iwb_run_event_get_payload (event)),
                                                   "text", NULL), ==, "B:one");
        }
      if (iwb_run_event_get_kind (event) == IWB_RUN_EVENT_ROW_ERROR)
        errors++;
    }
  g_assert_cmpuint (results, ==, 1);
  g_assert_cmpuint (errors, ==, 1);
  g_assert_cmpint (iwb_run_event_get_kind (g_ptr_array_index (replay->events, replay->events->len - 1)),
                   ==, IWB_RUN_EVENT_FINISHED);
  g_assert_cmpint (iwb_run_event_get_status (g_ptr_array_index (replay->events, replay->events->len - 1)),
                   ==, IWB_RUN_STATUS_REPORTED_ERRORS);
  g_assert_null (iwb_history_replay (history, 999999, &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND);
}

static void
test_disabled_and_retention (void)
{
  g_autoptr(IwbSession) session = loaded_session ();
  g_autofree char *path = g_build_filename (tmpdir, "retention.sqlite", NULL);
  g_autoptr(IwbHistory) history = iwb_history_open (path, NULL);
  g_autofree char *key = iwb_session_dup_integration_key (session);
  const char *texts[] = { "x", NULL };
  IwbHistoryQuery query = { .integration = key };

  iwb_session_set_history (session, history);
  iwb_session_set_history_enabled (session, FALSE);
  g_assert_false (iwb_session_get_history_enabled (session));
  g_assert_cmpint (run_echo (session, "off", texts, FALSE), ==, 0);
  iwb_history_flush (history);
  g_assert_cmpint (iwb_history_count (history, &query, NULL), ==, 0);

  iwb_session_set_history_enabled (session, TRUE);
  for (int i = 0; i < 3; i++)
    run_echo (session, "on", texts, TRUE);
  g_assert_cmpint (iwb_history_count (history, &query, NULL), ==, 3);
  /* the retention applies in the writer thread */
  iwb_session_set_history_retention (session, 2, 0);
  iwb_history_flush (history);
  g_assert_cmpint (iwb_history_count (history, &query, NULL), ==, 2);
}

static gboolean
row_has_file_secret (IwbHistoryRowKind  kind,
                     const char        *correlation,
                     const char        *data,
                     gpointer           user_data)
{
  gboolean *found = user_data;

  if (strstr (data, "file-held-Secret-44q") != NULL)
    *found = TRUE;
  return TRUE;
}

/* A secret value that names a file (an encryptedFile's value): what the
 * file holds is blanked in the recorded results too. */
static void
test_secret_file_content (void)
{
  g_autoptr(IwbSession) session = loaded_session ();
  g_autofree char *path = g_build_filename (tmpdir, "secret-file.sqlite", NULL);
  g_autofree char *key_file = g_build_filename (tmpdir, "api.key", NULL);
  g_autoptr(IwbHistory) history = iwb_history_open (path, NULL);
  const char *texts[] = { "file-held-Secret-44q", NULL };
  gboolean found = FALSE;
  gint64 id;

  g_assert_true (g_file_set_contents (key_file, "file-held-Secret-44q\n", -1, NULL));
  iwb_session_set_value (session, IWB_SESSION_SCOPE_CONNECTION, "API_KEY", key_file,
                         IWB_SESSION_VALUE_TYPED | IWB_SESSION_VALUE_SECRET);
  iwb_session_set_history (session, history);
  id = run_echo (session, "P:", texts, TRUE);
  iwb_history_flush (history);
  g_assert_true (iwb_history_foreach_row (history, id, IWB_HISTORY_ROW_RESULT, row_has_file_secret, &found, NULL));
  g_assert_false (found);
}

int
main (int    argc,
      char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("iwb-session-history-XXXXXX", NULL);
  iwb_test_use_private_xdg (tmpdir);
  g_test_add_func ("/session-history/record", test_record);
  g_test_add_func ("/session-history/disabled-and-retention", test_disabled_and_retention);
  g_test_add_func ("/session-history/secret-file-content", test_secret_file_content);
  rc = g_test_run ();
  iwb_test_remove_tree (tmpdir);
  g_free (tmpdir);
  return rc;
}

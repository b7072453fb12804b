/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Validating and running from the window, for real: python3 children, the
 * demo service over HTTP on 127.0.0.1. Field errors on their rows, result
 * rows in the model, row errors, Run refusing while inputs are invalid,
 * cancelling a slow run with Escape, 100,000 results streamed in batches.
 */
#include "config.h"

#include "iwb-demo-service.h"
#include "iwb-window-private.h"
#include "test-ui-util.h"

static IwbApplication *app;

static IwbWindow *
open_window (const char *first, ...)
{
  IwbWindow *window = iwb_window_new (app);
  const char *root = g_getenv ("IWB_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autoptr(GFile) folder = NULL;
  va_list args;
  GString *builder = g_string_new (root);

  va_start (args, first);
  for (const char *part = first; part; part = va_arg (args, const char *))
    g_string_append_printf (builder, "/%s", part);
  va_end (args);
  path = g_string_free (builder, FALSE);
  folder = g_file_new_for_path (path);

  gtk_window_present (GTK_WINDOW (window));
  iwb_window_open_folder (window, folder);
  WAIT_FOR (!ui_test_window_is_state (window, "loading"), WAIT_SECONDS);
  g_assert_cmpstr (iwb_window_get_state (window), ==, "integration");
  return window;
}

static void
set_text (IwbParamForm *form,
          const char   *id,
          const char   *text)
{
  IwbFieldValue *field = iwb_param_form_get_field (form, id);

  g_assert_nonnull (field);
  iwb_field_value_set_text (field, text);
}

static void
wait_run (IwbActionPage *page)
{
  IwbRunView *view = iwb_action_page_get_run_view (page);

  WAIT_FOR (!iwb_action_page_get_running (page) && iwb_run_view_get_finished (view)
            && iwb_run_view_get_n_pending (view) == 0, WAIT_SECONDS);
}

static void
test_demo_service_validate_and_run (void)
{
  IwbWindow *window = open_window ("examples", "ticket-tracker", NULL);
  IwbConnectionPage *connection = iwb_window_get_connection_page (window);
  IwbParamForm *form = iwb_connection_page_get_form (connection);
  g_autoptr(GError) error = NULL;
  IwbActionPage *search;
  GListModel *results;
  g_auto(GStrv) columns = NULL;
  guint n;

  /* The demo service (what --demo does) fills the demo credentials. */
  g_assert_true (iwb_window_start_demo (window, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (form, "TRACKER_URL")), ==,
                   iwb_demo_service_get_url (iwb_window_get_demo_service (window)));
  g_assert_true (iwb_param_form_get_valid (form));

  /* Validate Connection (Ctrl+Return on the connection page). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL));
  g_assert_true (iwb_connection_page_get_busy (connection));
  WAIT_FOR (!iwb_connection_page_get_busy (connection), WAIT_SECONDS);
  g_assert_cmpstr (iwb_connection_page_get_result (connection), ==, "valid");
  g_assert_cmpuint (iwb_demo_service_get_request_count (iwb_window_get_demo_service (window)), >, 0);

  /* A wrong password: the validator says the connection is not valid. */
  set_text (form, "TRACKER_PASSWORD", "wrong");
  gtk_widget_activate_action (GTK_WIDGET (connection), "page.validate", NULL);
  WAIT_FOR (!iwb_connection_page_get_busy (connection), WAIT_SECONDS);
  g_assert_cmpstr (iwb_connection_page_get_result (connection), !=, "valid");
  g_assert_nonnull (iwb_connection_page_get_result_details (connection));
  set_text (form, "TRACKER_PASSWORD", IWB_DEMO_TRACKER_PASSWORD);

  /* Run an action: results come back as rows of the model. */
  search = iwb_window_get_action_page (window, "main.search_tickets");
  /* --run takes the function name alone too, like iwb run */
  g_assert_true (iwb_window_get_action_page (window, "search_tickets") == search);
  iwb_window_show_page (window, "main.search_tickets");
  g_assert_true (iwb_action_page_get_run_sensitive (search));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL));
  g_assert_true (iwb_action_page_get_running (search));
  g_assert_cmpstr (iwb_action_page_get_visible_button (search), ==, "cancel");
  wait_run (search);
  g_assert_cmpstr (iwb_action_page_get_visible_button (search), ==, "run");
  results = iwb_run_view_get_results (iwb_action_page_get_run_view (search));
  n = g_list_model_get_n_items (results);
  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IwbRunEvent) event = g_list_model_get_item (results, i);

      g_assert_cmpint (iwb_run_event_get_kind (event), ==, IWB_RUN_EVENT_RESULT);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (iwb_run_event_get_payload (event)));
      /* each result linked to its input row */
      g_assert_nonnull (iwb_run_event_get_input_row (event));
    }
  columns = iwb_run_view_dup_result_columns (iwb_action_page_get_run_view (search));
  g_assert_true (g_strv_contains ((const char * const *) columns, "title"));
  g_assert_cmpstr (iwb_run_view_get_status_text (iwb_action_page_get_run_view (search)), ==, "Succeeded");

  /* An action that writes a file: it is listed in the Files tab. */
  {
    IwbActionPage *export = iwb_window_get_action_page (window, "main.export_tickets");
    GListModel *files = iwb_run_view_get_files (iwb_action_page_get_run_view (export));
    g_autoptr(IwbRunEvent) file = NULL;

    iwb_window_show_page (window, "main.export_tickets");
    gtk_widget_activate_action (GTK_WIDGET (export), "page.run", NULL);
    wait_run (export);
    g_assert_cmpuint (g_list_model_get_n_items (files), ==, 1);
    file = g_list_model_get_item (files, 0);
    g_assert_true (g_file_test (iwb_run_event_get_text (file), G_FILE_TEST_IS_REGULAR));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* What `integration-workbench --demo --run "Search tickets" FOLDER` does. */
static void
test_startup_request (void)
{
  IwbWindow *window = iwb_window_new (app);
  g_autofree char *path = g_build_filename (g_getenv ("IWB_SOURCE_ROOT"), "examples", "ticket-tracker", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  IwbStartupRequest request = { .demo = TRUE, .validate = TRUE, .run_action = (char *) "Search tickets" };
  IwbActionPage *page;
  IwbConnectionPage *connection;

  gtk_window_present (GTK_WINDOW (window));
  iwb_window_set_startup_request (window, &request);
  iwb_window_open_folder (window, folder);
  WAIT_FOR (ui_test_window_is_state (window, "integration"), WAIT_SECONDS);
  connection = iwb_window_get_connection_page (window);
  g_assert_nonnull (iwb_window_get_demo_service (window));
  /* First the validation (its overrides may rebuild the action pages)... */
  WAIT_FOR (!iwb_connection_page_get_busy (connection), WAIT_SECONDS);
  g_assert_cmpstr (iwb_connection_page_get_result (connection), ==, "valid");
  /* ...then the action, on the page as the validation left it. */
  page = iwb_window_get_action_page (window, "main.search_tickets");
  g_assert_nonnull (page);
  g_assert_cmpstr (iwb_window_get_visible_page (window), ==, "main.search_tickets");
  g_assert_true (iwb_action_page_get_running (page));
  wait_run (page);
  g_assert_cmpuint (g_list_model_get_n_items (iwb_run_view_get_results (iwb_action_page_get_run_view (page))), >, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The run timeout comes from the preferences. */
static void
test_timeout_from_preferences (void)
{
  GSettings *settings = iwb_application_get_settings (app);
  IwbWindow *window;
  IwbActionPage *page;
  IwbRunView *view;

  g_settings_set_uint (settings, "run-timeout", 1);
  window = open_window ("tests", "ui-fixtures", "workbench", NULL);
  set_text (iwb_connection_page_get_form (iwb_window_get_connection_page (window)), "API_KEY", "open-sesame");
  page = iwb_window_get_action_page (window, "main.sleepy");
  view = iwb_action_page_get_run_view (page);
  iwb_rows_editor_set_value (iwb_action_page_get_rows_editor (page), 0, "seconds", "60");
  gtk_widget_activate_action (GTK_WIDGET (page), "page.run", NULL);
  wait_run (page);
  g_assert_cmpint (iwb_run_get_status (iwb_run_view_get_run (view)), ==, IWB_RUN_STATUS_TIMED_OUT);
  g_assert_cmpstr (iwb_run_view_get_status_text (view), ==, "Timed out");
  g_settings_reset (settings, "run-timeout");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_field_errors_and_row_errors (void)
{
  IwbWindow *window = open_window ("tests", "ui-fixtures", "workbench", NULL);
  IwbConnectionPage *connection = iwb_window_get_connection_page (window);
  IwbParamForm *form = iwb_connection_page_get_form (connection);
  IwbActionPage *echo = iwb_window_get_action_page (window, "main.echo");
  IwbRunView *view = iwb_action_page_get_run_view (echo);
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  GListModel *results;
  g_auto(GStrv) columns = NULL;
  guint n_results = 0, n_errors = 0;

  /* Required and empty: Validate and Run refuse, and say why. */
  g_assert_false (iwb_param_form_get_valid (form));
  problem = iwb_action_page_dup_problem (echo);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "API key"));
  g_assert_false (iwb_action_page_get_run_sensitive (echo));
  /* Activating Run anyway takes the user to the field. */
  iwb_window_show_page (window, "main.echo");
  gtk_widget_activate_action (GTK_WIDGET (echo), "page.run", NULL);
  g_assert_false (iwb_action_page_get_running (echo));
  g_assert_cmpstr (iwb_window_get_visible_page (window), ==, "connection");
  g_assert_true (gtk_widget_has_css_class (iwb_param_form_get_row (form, "API_KEY"), "error"));

  /* The SDK's validation error lands on its row. */
  set_text (form, "API_KEY", "wrong-key");
  gtk_widget_activate_action (GTK_WIDGET (connection), "page.validate", NULL);
  WAIT_FOR (!iwb_connection_page_get_busy (connection), WAIT_SECONDS);
  g_assert_cmpstr (iwb_connection_page_get_result (connection), ==, "invalid");
  g_assert_true (iwb_field_value_get_has_error (iwb_param_form_get_field (form, "API_KEY")));
  g_assert_cmpstr (iwb_field_value_get_error_message (iwb_param_form_get_field (form, "API_KEY")), ==,
                   "This key is not accepted");
  g_assert_nonnull (strstr (iwb_connection_page_get_result_details (connection), "This key is not accepted"));
  /* The verdict does not lock the form: the same values validate again. */
  g_assert_true (iwb_param_form_get_valid (form));
  gtk_widget_activate_action (GTK_WIDGET (connection), "page.validate", NULL);
  g_assert_true (iwb_connection_page_get_busy (connection));
  WAIT_FOR (!iwb_connection_page_get_busy (connection), WAIT_SECONDS);
  g_assert_cmpstr (iwb_connection_page_get_result (connection), ==, "invalid");

  /* A validator that fails hard: the failure, with the child's stderr. */
  set_text (form, "API_KEY", "crash");
  gtk_widget_activate_action (GTK_WIDGET (connection), "page.validate", NULL);
  WAIT_FOR (!iwb_connection_page_get_busy (connection), WAIT_SECONDS);
  g_assert_cmpstr (iwb_connection_page_get_result (connection), ==, "failed");
  g_assert_nonnull (strstr (iwb_connection_page_get_result_details (connection), "the validator broke down"));

  set_text (form, "API_KEY", "open-sesame");
  gtk_widget_activate_action (GTK_WIDGET (connection), "page.validate", NULL);
  WAIT_FOR (!iwb_connection_page_get_busy (connection), WAIT_SECONDS);
  g_assert_cmpstr (iwb_connection_page_get_result (connection), ==, "valid");

  /* Rows pasted as CSV; one of them makes the action raise. */
  g_assert_true (iwb_rows_editor_import_text (iwb_action_page_get_rows_editor (echo), "text\nhello\nbad\nworld\n",
                                              NULL, &error));
  g_assert_no_error (error);
  iwb_window_show_page (window, "main.echo");
  g_assert_true (iwb_action_page_get_run_sensitive (echo));
  gtk_widget_activate_action (GTK_WIDGET (echo), "page.run", NULL);
  wait_run (echo);
  results = iwb_run_view_get_results (view);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(IwbRunEvent) event = g_list_model_get_item (results, i);

      if (iwb_run_event_get_kind (event) == IWB_RUN_EVENT_ROW_ERROR)
        {
          n_errors++;
          g_assert_nonnull (strstr (iwb_run_event_get_message (event), "bad input row"));
        }
      else
        {
          JsonObject *object = json_node_get_object (iwb_run_event_get_payload (event));

          n_results++;
          g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "text"), ">"));
        }
    }
  g_assert_cmpuint (n_results, ==, 2);
  g_assert_cmpuint (n_errors, ==, 1);
  /* Each result is linked to its input row: activating the result for
   * "world" selects row 3 of the input rows. */
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(IwbRunEvent) event = g_list_model_get_item (results, i);
      JsonNode *payload = iwb_run_event_get_payload (event);

      if (iwb_run_event_get_kind (event) == IWB_RUN_EVENT_RESULT
          && g_strcmp0 (json_object_get_string_member (json_node_get_object (payload), "text"), ">world") == 0)
        g_signal_emit_by_name (iwb_run_view_get_results_view (view), "activate", i);
    }
  g_assert_cmpuint (iwb_rows_editor_get_selected (iwb_action_page_get_rows_editor (echo)), ==, 2);
  columns = iwb_run_view_dup_result_columns (view);
  /* input row link, the keys of the results, the error column */
  g_assert_true (g_strv_contains ((const char * const *) columns, "text"));
  g_assert_true (g_strv_contains ((const char * const *) columns, "nested"));
  g_assert_true (g_strv_contains ((const char * const *) columns, "Error"));
  g_assert_cmpstr (iwb_run_view_get_status_text (view), ==, "Finished with errors");
  /* The JSON tab holds the raw results. */
  {
    g_autofree char *json = iwb_run_view_dup_json_text (view);

    g_assert_nonnull (strstr (json, "\"length\":5"));
  }
  /* The log tab has what the child printed (the traceback of the bad row
   * is in the row error, the log is there regardless). */
  g_assert_nonnull (iwb_run_view_get_log (view));

  /* Once closed and its children (loads, runs, logo fetches) are done,
   * nothing keeps the window alive. */
  ui_test_close_window (window);
}

static void
test_cancel_slow_run (void)
{
  IwbWindow *window = open_window ("tests", "ui-fixtures", "workbench", NULL);
  IwbParamForm *form = iwb_connection_page_get_form (iwb_window_get_connection_page (window));
  IwbActionPage *page = iwb_window_get_action_page (window, "Sleep");
  IwbRunView *view = iwb_action_page_get_run_view (page);
  IwbRun *run;

  set_text (form, "API_KEY", "open-sesame");
  iwb_rows_editor_set_value (iwb_action_page_get_rows_editor (page), 0, "seconds", "120");
  iwb_window_show_page (window, iwb_action_page_get_entrypoint (page));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL);
  g_assert_true (iwb_action_page_get_running (page));
  g_assert_cmpstr (iwb_action_page_get_visible_button (page), ==, "cancel");
  run = iwb_run_view_get_run (view);
  WAIT_FOR (iwb_run_is_running (run), WAIT_SECONDS);

  /* Escape. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
  wait_run (page);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_CANCELLED);
  g_assert_cmpstr (iwb_run_view_get_status_text (view), ==, "Cancelled");
  g_assert_cmpstr (iwb_action_page_get_visible_button (page), ==, "run");
  g_assert_true (iwb_action_page_get_run_sensitive (page));

  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  guint max_added;
  guint batches;
} Batches;

typedef struct
{
  gint64 last;
  gint64 longest;
} Stall;

/* Reported, not asserted: timings belong in bench/, not in tests. */
static gboolean
measure_stall (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();

  if (stall->last != 0)
    stall->longest = MAX (stall->longest, now - stall->last);
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

static void
count_batches (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               Batches    *batches)
{
  batches->max_added = MAX (batches->max_added, added);
  batches->batches++;
}

static void
test_many_results_stream (void)
{
  IwbWindow *window = open_window ("tests", "ui-fixtures", "workbench", NULL);
  IwbParamForm *form = iwb_connection_page_get_form (iwb_window_get_connection_page (window));
  IwbActionPage *page = iwb_window_get_action_page (window, "main.many");
  IwbRunView *view = iwb_action_page_get_run_view (page);
  GListModel *results = iwb_run_view_get_results (view);
  Batches batches = { 0 };
  g_autoptr(IwbRunEvent) last = NULL;
  g_auto(GStrv) columns = NULL;

  set_text (form, "API_KEY", "open-sesame");
  iwb_rows_editor_set_value (iwb_action_page_get_rows_editor (page), 0, "count", "100000");
  g_signal_connect (results, "items-changed", G_CALLBACK (count_batches), &batches);
  iwb_window_show_page (window, "main.many");
  iwb_run_view_set_visible_tab (view, "results");
  {
    Stall stall = { 0 };
    guint source = g_timeout_add (10, measure_stall, &stall);

    gtk_widget_activate_action (GTK_WIDGET (page), "page.run", NULL);
    wait_run (page);
    g_source_remove (source);
    g_test_message ("longest main-loop stall while 100,000 results streamed in: %d ms",
                    (int) (stall.longest / 1000));
  }
  g_signal_handlers_disconnect_by_func (results, count_batches, &batches);

  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 100000);
  last = g_list_model_get_item (results, 99999);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (iwb_run_event_get_payload (last)), "i"), ==, 99999);
  /* Appended in bounded batches from idle callbacks, so the main loop ran
   * (and drew) between them instead of freezing for 100,000 appends. */
  g_assert_cmpuint (batches.max_added, <=, 2000);
  g_assert_cmpuint (batches.batches, >=, 50);
  columns = iwb_run_view_dup_result_columns (view);
  g_assert_true (g_strv_contains ((const char * const *) columns, "square"));
  /* The JSON tab shows the first results and says how many more there are. */
  {
    g_autofree char *json = NULL;

    iwb_run_view_set_visible_tab (view, "json");
    json = iwb_run_view_dup_json_text (view);
    g_assert_nonnull (strstr (json, "more results"));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
add_tests (void)
{
  g_test_add_func ("/ui/run/demo-service-validate-and-run", test_demo_service_validate_and_run);
  g_test_add_func ("/ui/run/field-errors-and-row-errors", test_field_errors_and_row_errors);
  g_test_add_func ("/ui/run/cancel-slow-run", test_cancel_slow_run);
  g_test_add_func ("/ui/run/many-results-stream", test_many_results_stream);
  g_test_add_func ("/ui/run/startup-request", test_startup_request);
  g_test_add_func ("/ui/run/timeout-from-preferences", test_timeout_from_preferences);
}

int
main (int   argc,
      char *argv[])
{
  return iwb_test_ui_main (argc, argv, &app, add_tests);
}

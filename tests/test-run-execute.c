/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRun: executing actions on rows (JSON Lines, own ids, templates), the environment, several runs, events as JSON, validator overrides.
 * Real python3 children running the bundled SDK's shims on the fixtures in
 * tests/run-fixtures, against the demo service over real HTTP on 127.0.0.1
 * (helpers: test-run-util.h).
 */
#include "config.h"

#include "test-run-util.h"

static void
test_execute_rows (void)
{
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_EXECUTE, "main.echo");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) events = NULL;
  JsonObject *own = row_new ("value", "c");
  const IwbRunCounts *counts;
  IwbRunEvent *e;

  json_object_set_string_member (own, "lhub_id", "mine");
  g_ptr_array_add (rows, row_new ("value", "a"));
  g_ptr_array_add (rows, row_new ("value", "boom"));
  g_ptr_array_add (rows, row_new ("other", "1"));
  g_ptr_array_add (rows, own);

  set_basic_connection (run);
  iwb_run_set_value (run, "COUNT", "3");
  iwb_run_set_rows (run, rows);
  events = run_ok (run);

  counts = iwb_run_get_counts (run);
  g_assert_cmpuint (counts->rows_in, ==, 4);
  g_assert_cmpuint (counts->results, ==, 2);
  g_assert_cmpuint (counts->row_errors, ==, 2);
  g_assert_cmpint (iwb_run_get_exit_code (run), ==, 0);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_REPORTED_ERRORS);

  /* first result: correlated to the first row, coerced params */
  e = nth_kind (events, IWB_RUN_EVENT_RESULT, 0);
  /* the run's own copy of the row (not the caller's object: a JsonObject's
   * count is not atomic, and the run's events live on other threads) */
  g_assert_true (iwb_run_event_get_input_row (e) == iwb_run_get_rows (run)->pdata[0]);
  g_assert_true (iwb_run_event_get_input_row (e) != rows->pdata[0]);
  g_assert_cmpstr (iwb_run_event_get_input_row_json (e), ==, "{\"value\":\"a\"}");
  g_assert_cmpstr (payload_string (e, "value"), ==, "a");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (iwb_run_event_get_payload (e)), "count"), ==, 3);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (iwb_run_event_get_payload (e)), "flag"));
  /* the row's own lhub_id is kept and correlates */
  e = nth_kind (events, IWB_RUN_EVENT_RESULT, 1);
  g_assert_true (iwb_run_event_get_input_row (e) == iwb_run_get_rows (run)->pdata[3]);
  g_assert_cmpstr (iwb_run_event_get_input_row_json (e), ==, "{\"value\":\"c\",\"lhub_id\":\"mine\"}");
  g_assert_cmpstr (json_node_get_string (iwb_run_event_get_lhub_id (e)), ==, "mine");

  /* the exception of "boom": correlated row error with the traceback */
  e = nth_kind (events, IWB_RUN_EVENT_ROW_ERROR, 0);
  g_assert_true (iwb_run_event_get_input_row (e) == iwb_run_get_rows (run)->pdata[1]);
  g_assert_nonnull (strstr (iwb_run_event_get_message (e), "ValueError: boom requested"));
  /* the missing column: the SDK's uncorrelated error */
  e = nth_kind (events, IWB_RUN_EVENT_ROW_ERROR, 1);
  g_assert_cmpstr (iwb_run_event_get_message (e), ==, "Column 'value' is not present in the data");
  g_assert_null (iwb_run_event_get_lhub_id (e));

  g_assert_true (log_contains (events, "stdout", "echo of a"));
  g_assert_cmpuint (iwb_run_get_results (run)->len, ==, 4);
  g_assert_null (iwb_run_get_spill_path (run));
  /* the caller's rows were not modified */
  g_assert_false (json_object_has_member (rows->pdata[0], "lhub_id"));

  /* rows handed over (a file the CLI read) are the run's as they are: no copy */
  {
    g_autoptr(IwbRun) taken = make_run ("basic", IWB_RUN_EXECUTE, "main.echo");
    GPtrArray *given = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
    JsonObject *first = row_new ("value", "t");
    g_autoptr(GPtrArray) taken_events = NULL;

    g_ptr_array_add (given, first);
    set_basic_connection (taken);
    iwb_run_set_value (taken, "COUNT", "1");
    iwb_run_take_rows (taken, given);
    g_assert_true (iwb_run_get_rows (taken) == given);
    taken_events = run_ok (taken);
    g_assert_true (iwb_run_event_get_input_row (nth_kind (taken_events, IWB_RUN_EVENT_RESULT, 0)) == first);
  }
}

/* Rows given as JSON Lines text: written with our lhub_id, correlated, and
 * parsed only for the events that need them. */
static void
test_execute_rows_jsonl (void)
{
  const char *text = "{\"value\": \"a\"}\n{\"value\": \"boom\"}\n{}\n{\"value\": \"d\", \"extra\": [1, {\"x\": null}]}\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) spans = NULL;
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_EXECUTE, "main.echo");
  g_autoptr(GPtrArray) events = NULL;
  gboolean lhub = TRUE;
  IwbRunEvent *e;

  spans = iwb_input_rows_index_jsonl (text, strlen (text), NULL, &lhub, &error);
  g_assert_no_error (error);
  g_assert_false (lhub);
  set_basic_connection (run);
  iwb_run_set_rows_jsonl (run, bytes, spans, lhub);
  events = run_ok (run);

  g_assert_cmpuint (iwb_run_get_counts (run)->rows_in, ==, 4);
  g_assert_cmpuint (iwb_run_get_counts (run)->results, ==, 2);
  g_assert_cmpuint (iwb_run_get_counts (run)->row_errors, ==, 2);
  e = nth_kind (events, IWB_RUN_EVENT_RESULT, 1);
  g_assert_cmpint (json_node_get_int (iwb_run_event_get_lhub_id (e)), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (iwb_run_event_get_input_row (e), "value"), ==, "d");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (iwb_run_event_get_input_row (e), "extra")), ==, 2);
  /* our id is not part of the input row the user sees */
  g_assert_false (json_object_has_member (iwb_run_event_get_input_row (e), "lhub_id"));
  e = nth_kind (events, IWB_RUN_EVENT_ROW_ERROR, 0);
  g_assert_cmpstr (json_object_get_string_member (iwb_run_event_get_input_row (e), "value"), ==, "boom");
  /* the empty row {} got an id too and reached the SDK */
  e = nth_kind (events, IWB_RUN_EVENT_ROW_ERROR, 1);
  g_assert_cmpstr (iwb_run_event_get_message (e), ==, "Column 'value' is not present in the data");
}

static void
test_execute_rows_jsonl_own_ids (void)
{
  const char *text = "{\"value\": \"a\", \"lhub_id\": \"first\"}\n{\"value\": \"b\"}\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GArray) spans = NULL;
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_EXECUTE, "main.echo");
  g_autoptr(GPtrArray) events = NULL;
  gboolean lhub = FALSE;

  spans = iwb_input_rows_index_jsonl (text, strlen (text), NULL, &lhub, NULL);
  g_assert_true (lhub);
  set_basic_connection (run);
  iwb_run_set_rows_jsonl (run, bytes, spans, lhub);
  events = run_ok (run);
  g_assert_cmpuint (count_kind (events, IWB_RUN_EVENT_RESULT), ==, 2);
  g_assert_cmpstr (json_node_get_string (iwb_run_event_get_lhub_id (nth_kind (events, IWB_RUN_EVENT_RESULT, 0))),
                   ==, "first");
  g_assert_cmpstr (json_object_get_string_member (iwb_run_event_get_input_row (nth_kind (events, IWB_RUN_EVENT_RESULT, 1)),
                                                  "value"), ==, "b");
}

static void
test_execute_template (void)
{
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_EXECUTE, "main.greet");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) events = NULL;
  JsonObject *row = row_new ("who", "Ann");
  IwbRunEvent *e;

  json_object_set_string_member (row, "mood", "happy");
  g_ptr_array_add (rows, row);
  set_basic_connection (run);
  iwb_run_set_mapping (run, "name", "who");
  iwb_run_set_mapping (run, "greeting", "Hello {{ who }}, you look {{ mood }}!");
  iwb_run_set_rows (run, rows);
  events = run_ok (run);

  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_SUCCEEDED);
  e = nth_kind (events, IWB_RUN_EVENT_RESULT, 0);
  g_assert_nonnull (e);
  g_assert_cmpstr (payload_string (e, "name"), ==, "Ann");
  g_assert_cmpstr (payload_string (e, "greeting"), ==, "Hello Ann, you look happy!");
}

static void
test_execute_instantiation_error (void)
{
  g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  g_autoptr(GFile) folder = fixture_folder ("basic");
  g_autoptr(JsonNode) descriptor =
    descriptor_with_optional_arg (fixture_descriptor ("basic"), "main.echo", "value");
  g_autoptr(IwbRun) run = iwb_run_new (python, folder, descriptor, IWB_RUN_EXECUTE, "main.echo");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) events = NULL;
  IwbRunEvent *e;
  g_autofree char *json = NULL;

  /* "value" looks optional to the workbench and no row has it, so no
   * ___value reaches the SDK, which needs it. */
  g_ptr_array_add (rows, row_new ("other", "1"));
  set_basic_connection (run);
  iwb_run_set_rows (run, rows);
  events = run_ok (run);

  g_assert_cmpint (iwb_run_get_exit_code (run), ==, 1);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_REPORTED_ERRORS);
  e = nth_kind (events, IWB_RUN_EVENT_INSTANTIATION_ERROR, 0);
  g_assert_nonnull (e);
  g_assert_cmpstr (iwb_run_event_get_message (e), ==, "Integration validation failed.");
  json = json_to_string (iwb_run_event_get_payload (e), FALSE);
  g_assert_nonnull (strstr (json, "Environment variable ___value must be defined"));
}

static void
test_execute_hard_exit (void)
{
  g_autoptr(IwbRun) run = make_run ("broken", IWB_RUN_EXECUTE, "main.noop");
  g_autoptr(GPtrArray) events = NULL;
  IwbRunEvent *fin;

  iwb_run_set_env (run, "BROKEN_IMPORT", "1");
  events = run_ok (run);
  fin = last_event (events);
  g_assert_cmpint (iwb_run_event_get_exit_code (fin), ==, 2);
  g_assert_cmpint (iwb_run_event_get_status (fin), ==, IWB_RUN_STATUS_FAILED);
  g_assert_nonnull (strstr (iwb_run_event_get_exit_meaning (fin), "could not be imported"));
  g_assert_nonnull (nth_kind (events, IWB_RUN_EVENT_INSTANTIATION_ERROR, 0));
  g_assert_nonnull (strstr (iwb_run_event_get_message (nth_kind (events, IWB_RUN_EVENT_INSTANTIATION_ERROR, 0)),
                            "a_module_that_does_not_exist"));
}

static void
test_execute_environment (void)
{
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_EXECUTE, "main.environment");
  g_autoptr(IwbRun) run2 = make_run ("basic", IWB_RUN_EXECUTE, "main.environment");
  g_autoptr(IwbRun) run3 = make_run ("basic", IWB_RUN_VALIDATE_CONNECTION, NULL);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) events2 = NULL;
  g_autoptr(GPtrArray) events3 = NULL;
  g_autofree char *files = g_build_filename (test_run_files_root (), "env-test", NULL);
  JsonObject *env;
  gint64 start, end;

  set_basic_connection (run);
  iwb_run_set_ssl_verify (run, FALSE);
  iwb_run_set_batch_window (run, 1000, 2000);
  iwb_run_set_files_dir (run, files);
  iwb_run_set_value (run, "COUNT", "7");
  events = run_ok (run);
  env = single_result_object (events);
  g_assert_cmpstr (json_object_get_string_member (env, "__lh_ssl_verify"), ==, "False");
  g_assert_cmpstr (json_object_get_string_member (env, "__execution_start_time_ms"), ==, "1000");
  g_assert_cmpstr (json_object_get_string_member (env, "__execution_end_time_ms"), ==, "2000");
  g_assert_cmpstr (json_object_get_string_member (env, "INTEGRATIONS_FILES_PATH"), ==, files);
  g_assert_true (g_file_test (files, G_FILE_TEST_IS_DIR));
  g_assert_cmpstr (json_object_get_string_member (env, "SERVICE_URL"), ==, iwb_demo_service_get_url (test_run_service ()));
  g_assert_cmpstr (json_object_get_string_member (env, "COUNT"), ==, "7");
  g_assert_true (json_object_get_null_member (env, "__integration_descriptor"));

  /* defaults: SSL verification on, the last hour */
  set_basic_connection (run2);
  events2 = run_ok (run2);
  env = single_result_object (events2);
  g_assert_cmpstr (json_object_get_string_member (env, "__lh_ssl_verify"), ==, "True");
  start = g_ascii_strtoll (json_object_get_string_member (env, "__execution_start_time_ms"), NULL, 10);
  end = g_ascii_strtoll (json_object_get_string_member (env, "__execution_end_time_ms"), NULL, 10);
  g_assert_cmpint (end - start, ==, 3600 * 1000);
  g_assert_cmpint (ABS (end - g_get_real_time () / 1000), <, 120 * 1000);
  g_assert_true (json_object_get_null_member (env, "COUNT") ||
                 json_object_get_string_member (env, "COUNT") == NULL);

  /* the default files folder is per integration, under the user data dir */
  {
    g_autoptr(GFile) a = fixture_folder ("basic");
    g_autoptr(GFile) b = fixture_folder ("misbehave");
    g_autofree char *da = iwb_run_default_files_dir (a);
    g_autofree char *db = iwb_run_default_files_dir (b);

    g_assert_true (g_str_has_prefix (da, g_get_user_data_dir ()));
    g_assert_nonnull (strstr (da, "integration-workbench/files/basic-"));
    g_assert_cmpstr (da, !=, db);
  }

  /* validations of the connection get the descriptor */
  set_basic_connection (run3);
  events3 = run_ok (run3);
  g_assert_cmpint (iwb_run_get_status (run3), ==, IWB_RUN_STATUS_SUCCEEDED);
}

static void
test_execute_several (void)
{
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_EXECUTE, "main.several");
  g_autoptr(GPtrArray) events = NULL;
  JsonNode *p;

  set_basic_connection (run);
  events = run_ok (run);
  g_assert_cmpuint (count_kind (events, IWB_RUN_EVENT_RESULT), ==, 4);
  p = iwb_run_event_get_payload (nth_kind (events, IWB_RUN_EVENT_RESULT, 2));
  g_assert_cmpstr (json_node_get_string (p), ==, "text");
  p = iwb_run_event_get_payload (nth_kind (events, IWB_RUN_EVENT_RESULT, 3));
  g_assert_cmpint (json_node_get_int (p), ==, 42);
  /* PROCESS_ONCE results are not correlated */
  g_assert_null (iwb_run_event_get_lhub_id (nth_kind (events, IWB_RUN_EVENT_RESULT, 0)));
}

static void
test_overrides (void)
{
  g_autoptr(IwbRun) run = make_run ("overrides", IWB_RUN_VALIDATE_CONNECTION, NULL);
  g_autoptr(GPtrArray) events = NULL;
  IwbRunEvent *ov;
  JsonNode *payload;
  JsonObject *input;

  events = run_ok (run);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_SUCCEEDED);
  ov = nth_kind (events, IWB_RUN_EVENT_OVERRIDES, 0);
  g_assert_nonnull (ov);
  payload = iwb_run_event_get_payload (ov);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (payload));
  input = json_array_get_object_element (
    json_object_get_array_member (
      json_array_get_object_element (
        json_object_get_array_member (
          json_object_get_object_member (
            json_array_get_object_element (json_node_get_array (payload), 0),
            "instantiation"),
          "steps"),
        0),
      "inputs"),
    0);
  g_assert_cmpstr (json_object_get_string_member (input, "description"), ==, "My Custom Dynamic Description");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (input, "options")), ==, 3);
  g_assert_nonnull (iwb_run_get_overrides (run));
  /* the override line and the SDK's {} */
  g_assert_cmpuint (iwb_run_get_result_payloads (run)->len, ==, 2);
}

static void
test_overrides_malformed (void)
{
  g_autoptr(IwbRun) run = make_run ("overrides", IWB_RUN_VALIDATE_CONNECTION, NULL);
  g_autoptr(IwbRun) run2 = make_run ("overrides", IWB_RUN_VALIDATE_CONNECTION, NULL);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) events2 = NULL;
  IwbRunEvent *w;

  iwb_run_set_value (run, "MODE", "notalist");
  events = run_ok (run);
  g_assert_nonnull (nth_kind (events, IWB_RUN_EVENT_OVERRIDES, 0));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (iwb_run_event_get_payload (nth_kind (events, IWB_RUN_EVENT_OVERRIDES, 0))));

  iwb_run_set_value (run2, "MODE", "badjson");
  events2 = run_ok (run2);
  g_assert_null (nth_kind (events2, IWB_RUN_EVENT_OVERRIDES, 0));
  w = nth_kind (events2, IWB_RUN_EVENT_WARNING, 0);
  g_assert_nonnull (w);
  g_assert_nonnull (strstr (iwb_run_event_get_text (w), "not valid JSON"));
  g_assert_nonnull (strstr (iwb_run_event_get_text (w), "actionOverrides"));
  /* the validation itself still passed */
  g_assert_cmpint (iwb_run_get_status (run2), ==, IWB_RUN_STATUS_SUCCEEDED);
}

static void
test_event_json (void)
{
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_EXECUTE, "main.echo");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) events = NULL;

  g_ptr_array_add (rows, row_new ("value", "z"));
  set_basic_connection (run);
  iwb_run_set_rows (run, rows);
  events = run_ok (run);
  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr(JsonNode) node = iwb_run_event_to_json (events->pdata[i]);
      JsonObject *o = json_node_get_object (node);

      g_assert_cmpstr (json_object_get_string_member (o, "event"), ==,
                       iwb_run_event_kind_to_string (iwb_run_event_get_kind (events->pdata[i])));
      if (iwb_run_event_get_kind (events->pdata[i]) == IWB_RUN_EVENT_RESULT)
        {
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "input_row"), "value"), ==, "z");
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "result"), "value"), ==, "z");
        }
      if (iwb_run_event_get_kind (events->pdata[i]) == IWB_RUN_EVENT_FINISHED)
        {
          g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "succeeded");
          g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "counts"), "results"), ==, 1);
        }
    }
}

static void
add_tests (void)
{
  g_test_add_func ("/run/execute/rows", test_execute_rows);
  g_test_add_func ("/run/execute/rows-jsonl", test_execute_rows_jsonl);
  g_test_add_func ("/run/execute/rows-jsonl-own-ids", test_execute_rows_jsonl_own_ids);
  g_test_add_func ("/run/execute/template", test_execute_template);
  g_test_add_func ("/run/execute/instantiation-error", test_execute_instantiation_error);
  g_test_add_func ("/run/execute/hard-exit", test_execute_hard_exit);
  g_test_add_func ("/run/execute/environment", test_execute_environment);
  g_test_add_func ("/run/execute/several", test_execute_several);
  g_test_add_func ("/run/execute/event-json", test_event_json);
  g_test_add_func ("/run/overrides/valid", test_overrides);
  g_test_add_func ("/run/overrides/malformed", test_overrides_malformed);
}

int
main (int    argc,
      char **argv)
{
  return test_run_main (argc, argv, add_tests);
}

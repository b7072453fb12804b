/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRun: validating a connection and an action, checks, validators, column errors.
 * Real python3 children running the bundled SDK's shims on the fixtures in
 * tests/run-fixtures, against the demo service over real HTTP on 127.0.0.1
 * (helpers: test-run-util.h).
 */
#include "config.h"

#include "test-run-util.h"

static void
test_validate_connection_success (void)
{
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_VALIDATE_CONNECTION, NULL);
  g_autoptr(GPtrArray) events = NULL;
  guint before = iwb_demo_service_get_request_count (test_run_service ());
  IwbRunEvent *fin;

  iwb_run_set_value (run, "SERVICE_URL", iwb_demo_service_get_url (test_run_service ()));
  iwb_run_set_value (run, "TOKEN", IWB_DEMO_CHAT_TOKEN);
  events = run_ok (run);

  fin = last_event (events);
  g_assert_cmpint (iwb_run_event_get_kind (fin), ==, IWB_RUN_EVENT_FINISHED);
  g_assert_cmpint (iwb_run_event_get_status (fin), ==, IWB_RUN_STATUS_SUCCEEDED);
  g_assert_cmpint (iwb_run_event_get_exit_code (fin), ==, 0);
  g_assert_nonnull (strstr (iwb_run_event_get_exit_meaning (fin), "validation passed"));
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_SUCCEEDED);
  /* the SDK's success line, [result] {} */
  g_assert_cmpuint (count_kind (events, IWB_RUN_EVENT_RESULT), ==, 1);
  g_assert_cmpint (iwb_result_classify (iwb_run_event_get_payload (nth_kind (events, IWB_RUN_EVENT_RESULT, 0))),
                   ==, IWB_RESULT_SHAPE_EMPTY_SUCCESS);
  /* the validator really posted its test message */
  g_assert_cmpuint (iwb_demo_service_get_request_count (test_run_service ()), ==, before + 1);
  g_assert_cmpuint (iwb_run_get_result_payloads (run)->len, ==, 1);
  g_assert_null (iwb_run_get_overrides (run));
}

static void
test_validate_connection_errors (void)
{
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_VALIDATE_CONNECTION, NULL);
  g_autoptr(GPtrArray) events = NULL;
  IwbRunEvent *ve;
  IwbFieldError *fe;

  iwb_run_set_value (run, "SERVICE_URL", iwb_demo_service_get_url (test_run_service ()));
  iwb_run_set_value (run, "TOKEN", "wrong-token");
  events = run_ok (run);

  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_REPORTED_ERRORS);
  g_assert_cmpint (iwb_run_get_exit_code (run), ==, 1);
  ve = nth_kind (events, IWB_RUN_EVENT_VALIDATION_ERRORS, 0);
  g_assert_nonnull (ve);
  g_assert_cmpstr (iwb_run_event_get_message (ve), ==, "Integration validation failed.");
  g_assert_cmpuint (iwb_run_event_get_field_errors (ve)->len, ==, 1);
  fe = iwb_run_event_get_field_errors (ve)->pdata[0];
  g_assert_cmpstr (fe->field, ==, "TOKEN");
  g_assert_cmpstr (fe->input_id, ==, "TOKEN");
  g_assert_cmpstr (fe->message, ==, "token rejected");
  g_assert_cmpuint (iwb_run_get_field_errors (run)->len, ==, 1);
}

static void
test_validate_connection_raises (void)
{
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_VALIDATE_CONNECTION, NULL);
  g_autoptr(GPtrArray) events = NULL;
  IwbRunEvent *re;

  /* Nothing listens on port 1: requests raises, the shim reports it in the
   * row-error shape and exits 1. */
  iwb_run_set_value (run, "SERVICE_URL", "http://127.0.0.1:1");
  iwb_run_set_value (run, "TOKEN", "x");
  events = run_ok (run);

  g_assert_cmpint (iwb_run_get_exit_code (run), ==, 1);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_REPORTED_ERRORS);
  re = nth_kind (events, IWB_RUN_EVENT_ROW_ERROR, 0);
  g_assert_nonnull (re);
  g_assert_nonnull (strstr (iwb_run_event_get_message (re), "Connection"));
}

static void
test_check_local (void)
{
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_VALIDATE_CONNECTION, NULL);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;
  IwbFieldError *e;

  /* SERVICE_URL and TOKEN missing, RATIO not a number: all at once */
  iwb_run_set_value (run, "RATIO", "abc");
  problems = iwb_run_check (run);
  g_assert_cmpuint (problems->len, ==, 3);
  e = problems->pdata[0];
  g_assert_cmpstr (e->field, ==, "SERVICE_URL");
  g_assert_cmpstr (e->message, ==, "Parameter must be defined");
  e = problems->pdata[1];
  g_assert_cmpstr (e->field, ==, "TOKEN");
  e = problems->pdata[2];
  g_assert_cmpstr (e->field, ==, "RATIO");
  g_assert_cmpstr (e->message, ==, "could not convert string to float: 'abc'");

  events = run_collect (run, NULL, NULL, &ok, &error);
  g_assert_false (ok);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "RATIO"));
  /* no child: only the FINISHED event */
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpint (iwb_run_event_get_status (last_event (events)), ==, IWB_RUN_STATUS_FAILED);
  g_assert_cmpint (iwb_run_event_get_exit_code (last_event (events)), ==, -1);
}

static void
test_check_action (void)
{
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_EXECUTE, "main.echo");
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(IwbRun) unknown = make_run ("basic", IWB_RUN_EXECUTE, "main.nope");

  iwb_run_set_value (run, "SERVICE_URL", "http://x");
  iwb_run_set_value (run, "TOKEN", "t");
  iwb_run_set_value (run, "COUNT", "1.5e1");   /* int(float()) -> fine */
  iwb_run_set_value (run, "FLAG", "maybe");
  iwb_run_set_mapping (run, "value", "");        /* explicitly unmapped */
  problems = iwb_run_check (run);
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_cmpstr (((IwbFieldError *) problems->pdata[0])->field, ==, "FLAG");
  g_assert_cmpstr (((IwbFieldError *) problems->pdata[0])->message, ==,
                   "Expected boolean input but {input} could not be coerced into a boolean value");
  g_assert_cmpstr (((IwbFieldError *) problems->pdata[1])->input_id, ==, "___value");
  g_assert_cmpstr (((IwbFieldError *) problems->pdata[1])->field, ==, "value");
  g_assert_cmpstr (((IwbFieldError *) problems->pdata[1])->message, ==, "Column name cannot be empty");
  g_clear_pointer (&problems, g_ptr_array_unref);

  problems = iwb_run_check (unknown);
  g_assert_cmpuint (problems->len, >=, 1);
  g_assert_nonnull (strstr (((IwbFieldError *) problems->pdata[problems->len - 1])->message, "main.nope"));
}

static void
test_validate_action (void)
{
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_VALIDATE_ACTION, "main.echo");
  g_autoptr(GPtrArray) events = NULL;

  set_basic_connection (run);
  events = run_ok (run);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_SUCCEEDED);
  g_assert_cmpint (iwb_run_get_exit_code (run), ==, 0);
}

static void
test_validate_action_validator (void)
{
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_VALIDATE_ACTION, "main.checked");
  g_autoptr(GPtrArray) events = NULL;
  IwbRunEvent *ve;

  set_basic_connection (run);
  iwb_run_set_value (run, "COUNT", "12");
  events = run_ok (run);
  g_assert_cmpint (iwb_run_get_exit_code (run), ==, 1);
  ve = nth_kind (events, IWB_RUN_EVENT_VALIDATION_ERRORS, 0);
  g_assert_nonnull (ve);
  g_assert_cmpstr (((IwbFieldError *) iwb_run_event_get_field_errors (ve)->pdata[0])->field, ==, "COUNT");
  g_assert_cmpstr (((IwbFieldError *) iwb_run_event_get_field_errors (ve)->pdata[0])->message, ==,
                   "COUNT must be below 10");
}

static void
test_validate_action_column_error (void)
{
  g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  g_autoptr(GFile) folder = fixture_folder ("basic");
  g_autoptr(JsonNode) descriptor =
    descriptor_with_optional_arg (fixture_descriptor ("basic"), "main.echo", "value");
  g_autoptr(IwbRun) run = iwb_run_new (python, folder, descriptor, IWB_RUN_VALIDATE_ACTION, "main.echo");
  g_autoptr(GPtrArray) events = NULL;
  IwbRunEvent *ve;
  IwbFieldError *fe;

  set_basic_connection (run);
  iwb_run_set_mapping (run, "value", "");
  events = run_ok (run);
  g_assert_cmpint (iwb_run_get_exit_code (run), ==, 1);
  ve = nth_kind (events, IWB_RUN_EVENT_VALIDATION_ERRORS, 0);
  g_assert_nonnull (ve);
  fe = iwb_run_event_get_field_errors (ve)->pdata[0];
  /* the SDK's inputId is ___value; the field is the argument */
  g_assert_cmpstr (fe->input_id, ==, "___value");
  g_assert_cmpstr (fe->field, ==, "value");
  g_assert_cmpstr (fe->message, ==, "Column name cannot be empty");
}

static void
add_tests (void)
{
  g_test_add_func ("/run/validate-connection/success", test_validate_connection_success);
  g_test_add_func ("/run/validate-connection/validation-errors", test_validate_connection_errors);
  g_test_add_func ("/run/validate-connection/validator-raises", test_validate_connection_raises);
  g_test_add_func ("/run/check/connection", test_check_local);
  g_test_add_func ("/run/check/action", test_check_action);
  g_test_add_func ("/run/validate-action/success", test_validate_action);
  g_test_add_func ("/run/validate-action/validator", test_validate_action_validator);
  g_test_add_func ("/run/validate-action/column-error", test_validate_action_column_error);
}

int
main (int    argc,
      char **argv)
{
  return test_run_main (argc, argv, add_tests);
}

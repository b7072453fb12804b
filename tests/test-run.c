/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRun end to end: real python3 children running the bundled SDK's shims
 * on the fixtures in tests/run-fixtures, against the demo service over real
 * HTTP on 127.0.0.1.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <utime.h>

#include "iwb-core.h"
#include "test-process-util.h"
#include "iwb-run-private.h"
#include "test-iwb-util.h"

static IwbDemoService *service;
static GHashTable *descriptors; /* fixture name -> JsonNode */
static char *files_root;

/* ---------------------------------------------------------------------- */

static GFile *
fixture_folder (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "run-fixtures", name, NULL);
  return g_file_new_for_path (path);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static JsonNode *
fixture_descriptor (const char *name)
{
  JsonNode *node = g_hash_table_lookup (descriptors, name);

  if (node == NULL)
    {
      g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
      g_autoptr(IwbLoader) loader = iwb_loader_new (python);
      g_autoptr(GFile) folder = fixture_folder (name);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(IwbIntegration) integration = NULL;
      g_autoptr(GError) error = NULL;

      iwb_loader_load_async (loader, folder, NULL, on_loaded, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      integration = iwb_loader_load_finish (loader, result, &error);
      g_assert_no_error (error);
      node = iwb_descriptor_build (integration);
      g_hash_table_insert (descriptors, g_strdup (name), node);
    }
  return node;
}

static IwbRun *
make_run (const char      *fixture,
          IwbRunOperation  op,
          const char      *entrypoint)
{
  g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  g_autoptr(GFile) folder = fixture_folder (fixture);
  g_autofree char *files = g_build_filename (files_root, fixture, NULL);
  IwbRun *run = iwb_run_new (python, folder, fixture_descriptor (fixture), op, entrypoint);

  iwb_run_set_files_dir (run, files);
  iwb_run_set_timeout (run, 60);
  return run;
}

typedef struct
{
  GPtrArray    *events;
  gboolean      done;
  gboolean      ok;
  GError       *error;
  /* cancel when a LOG or RESULT event whose text/JSON contains this arrives */
  const char   *cancel_on;
  GCancellable *cancellable;
} Collect;

static void
on_event (IwbRun      *run,
          IwbRunEvent *event,
          Collect     *c)
{
  /* The flood tests emit hundreds of thousands of log lines: keep only
   * the first ones and everything else. */
  if (iwb_run_event_get_kind (event) != IWB_RUN_EVENT_LOG || c->events->len < 10000)
    g_ptr_array_add (c->events, g_object_ref (event));

  if (c->cancel_on != NULL && c->cancellable != NULL)
    {
      g_autofree char *text = NULL;

      if (iwb_run_event_get_kind (event) == IWB_RUN_EVENT_LOG)
        text = g_strdup (iwb_run_event_get_text (event));
      else if (iwb_run_event_get_payload (event) != NULL)
        text = json_to_string (iwb_run_event_get_payload (event), FALSE);
      if (text != NULL && strstr (text, c->cancel_on) != NULL)
        g_cancellable_cancel (c->cancellable);
    }
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Collect *c = user_data;

  c->ok = iwb_run_start_finish (IWB_RUN (source), result, &c->error);
  c->done = TRUE;
}

/* Runs to the end (deadline 120 s), returns the events. */
static GPtrArray *
run_collect (IwbRun       *run,
             GCancellable *cancellable,
             const char   *cancel_on,
             gboolean     *ok,
             GError      **error)
{
  Collect c = { g_ptr_array_new_with_free_func (g_object_unref), FALSE, FALSE, NULL,
                cancel_on, cancellable };
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  gulong handler = g_signal_connect (run, "event", G_CALLBACK (on_event), &c);

  iwb_run_start_async (run, cancellable, on_done, &c);
  while (!c.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (c.done);
  g_signal_handler_disconnect (run, handler);
  if (ok)
    *ok = c.ok;
  if (error)
    *error = c.error;
  else
    g_clear_error (&c.error);
  return c.events;
}

static GPtrArray *
run_ok (IwbRun *run)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;
  GPtrArray *events = run_collect (run, NULL, NULL, &ok, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  return events;
}

static guint
count_kind (GPtrArray       *events,
            IwbRunEventKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < events->len; i++)
    if (iwb_run_event_get_kind (events->pdata[i]) == kind)
      n++;
  return n;
}

static IwbRunEvent *
nth_kind (GPtrArray       *events,
          IwbRunEventKind  kind,
          guint            nth)
{
  for (guint i = 0; i < events->len; i++)
    if (iwb_run_event_get_kind (events->pdata[i]) == kind && nth-- == 0)
      return events->pdata[i];
  return NULL;
}

static IwbRunEvent *
last_event (GPtrArray *events)
{
  g_assert_cmpuint (events->len, >, 0);
  return events->pdata[events->len - 1];
}

static const char *
payload_string (IwbRunEvent *e,
                const char  *member)
{
  JsonNode *p = iwb_run_event_get_payload (e);

  g_assert_nonnull (p);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (p));
  return json_object_get_string_member_with_default (json_node_get_object (p), member, NULL);
}

static gboolean
log_contains (GPtrArray  *events,
              const char *stream,
              const char *needle)
{
  for (guint i = 0; i < events->len; i++)
    {
      IwbRunEvent *e = events->pdata[i];

      if (iwb_run_event_get_kind (e) == IWB_RUN_EVENT_LOG &&
          (stream == NULL || g_strcmp0 (iwb_run_event_get_stream (e), stream) == 0) &&
          strstr (iwb_run_event_get_text (e), needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static JsonObject *
row_new (const char *key,
         const char *value)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, key, value);
  return o;
}

static void
assert_process_goes_away (GPid pid)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_cmpint (pid, >, 1);
  while (!process_gone (pid) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (process_gone (pid));
}

/* ---------------------------------------------------------------------- */

static void
test_validate_connection_success (void)
{
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_VALIDATE_CONNECTION, NULL);
  g_autoptr(GPtrArray) events = NULL;
  guint before = iwb_demo_service_get_request_count (service);
  IwbRunEvent *fin;

  iwb_run_set_value (run, "SERVICE_URL", iwb_demo_service_get_url (service));
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
  g_assert_cmpuint (iwb_demo_service_get_request_count (service), ==, before + 1);
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

  iwb_run_set_value (run, "SERVICE_URL", iwb_demo_service_get_url (service));
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
set_basic_connection (IwbRun *run)
{
  iwb_run_set_value (run, "SERVICE_URL", iwb_demo_service_get_url (service));
  iwb_run_set_value (run, "TOKEN", IWB_DEMO_CHAT_TOKEN);
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

/* A copy of @descriptor where the argument @arg of @entrypoint is optional:
 * the local check lets it through, the SDK (which knows better) does not. */
static JsonNode *
descriptor_with_optional_arg (JsonNode   *descriptor,
                              const char *entrypoint,
                              const char *arg)
{
  JsonNode *copy = json_node_copy (descriptor);
  JsonArray *actions = json_object_get_array_member (json_node_get_object (copy), "actions");

  for (guint i = 0; i < json_array_get_length (actions); i++)
    {
      JsonObject *a = json_array_get_object_element (actions, i);
      JsonArray *inputs;

      if (g_strcmp0 (json_object_get_string_member (a, "entrypoint"), entrypoint) != 0)
        continue;
      inputs = json_object_get_array_member (
        json_array_get_object_element (json_object_get_array_member (
          json_object_get_object_member (a, "instantiation"), "steps"), 0), "inputs");
      for (guint k = 0; k < json_array_get_length (inputs); k++)
        {
          JsonObject *in = json_array_get_object_element (inputs, k);

          if (g_strcmp0 (json_object_get_string_member (in, "id"), arg) == 0)
            json_object_set_boolean_member (in, "optional", TRUE);
        }
    }
  return copy;
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
  g_assert_true (iwb_run_event_get_input_row (e) == rows->pdata[0]);
  g_assert_cmpstr (payload_string (e, "value"), ==, "a");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (iwb_run_event_get_payload (e)), "count"), ==, 3);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (iwb_run_event_get_payload (e)), "flag"));
  /* the row's own lhub_id is kept and correlates */
  e = nth_kind (events, IWB_RUN_EVENT_RESULT, 1);
  g_assert_true (iwb_run_event_get_input_row (e) == (gpointer) own);
  g_assert_cmpstr (json_node_get_string (iwb_run_event_get_lhub_id (e)), ==, "mine");

  /* the exception of "boom": correlated row error with the traceback */
  e = nth_kind (events, IWB_RUN_EVENT_ROW_ERROR, 0);
  g_assert_true (iwb_run_event_get_input_row (e) == rows->pdata[1]);
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


/* A [result] line longer than the line limit cannot be parsed: it is
 * dropped with a warning that says so, and counted as truncated. */
static void
test_result_over_line_limit (void)
{
  g_autoptr(IwbRun) run = make_run ("basic", IWB_RUN_EXECUTE, "main.echo");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *big = g_strnfill (2000, 'b');
  IwbRunEvent *w;

  g_ptr_array_add (rows, row_new ("value", big));
  g_ptr_array_add (rows, row_new ("value", "small"));
  set_basic_connection (run);
  iwb_run_set_rows (run, rows);
  iwb_run_set_line_limit (run, 1000);
  events = run_ok (run);
  g_assert_cmpuint (count_kind (events, IWB_RUN_EVENT_RESULT), ==, 1);
  g_assert_cmpstr (payload_string (nth_kind (events, IWB_RUN_EVENT_RESULT, 0), "value"), ==, "small");
  w = nth_kind (events, IWB_RUN_EVENT_WARNING, 0);
  g_assert_nonnull (w);
  g_assert_nonnull (strstr (iwb_run_event_get_text (w), "longer than the line limit (1000 bytes)"));
  /* the log line "echo of bbbb…" was cut too, with a marker */
  g_assert_cmpuint (iwb_run_get_counts (run)->truncated_lines, ==, 2);
  g_assert_true (log_contains (events, "stdout", "more bytes]"));
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

static JsonObject *
single_result_object (GPtrArray *events)
{
  IwbRunEvent *e = nth_kind (events, IWB_RUN_EVENT_RESULT, 0);

  g_assert_nonnull (e);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (iwb_run_event_get_payload (e)));
  return json_node_get_object (iwb_run_event_get_payload (e));
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
  g_autofree char *files = g_build_filename (files_root, "env-test", NULL);
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
  g_assert_cmpstr (json_object_get_string_member (env, "SERVICE_URL"), ==, iwb_demo_service_get_url (service));
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
test_timeout (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.sleep_forever");
  g_autoptr(GPtrArray) events = NULL;
  IwbRunEvent *fin;

  /* long enough for Python to start and print on a busy machine */
  iwb_run_set_timeout (run, 4);
  events = run_ok (run);
  fin = last_event (events);
  g_assert_cmpint (iwb_run_event_get_status (fin), ==, IWB_RUN_STATUS_TIMED_OUT);
  g_assert_cmpint (iwb_run_event_get_exit_code (fin), ==, -1);
  g_assert_nonnull (strstr (iwb_run_event_get_exit_meaning (fin), "Timed out after 4 s"));
  /* what arrived before the kill is kept */
  g_assert_cmpstr (payload_string (nth_kind (events, IWB_RUN_EVENT_RESULT, 0), "before"), ==, "the hang");
  g_assert_true (log_contains (events, "stdout", "going to sleep"));
  g_assert_cmpuint (iwb_run_get_results (run)->len, ==, 1);
  g_assert_cmpint (iwb_run_event_get_duration_us (fin), <, 30 * G_USEC_PER_SEC);
}

static void
test_cancel (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.sleep_forever");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) events = NULL;
  gboolean ok = FALSE;
  IwbRunEvent *fin;

  events = run_collect (run, cancellable, "going to sleep", &ok, NULL);
  g_assert_true (ok);
  fin = last_event (events);
  g_assert_cmpint (iwb_run_event_get_status (fin), ==, IWB_RUN_STATUS_CANCELLED);
  g_assert_nonnull (strstr (iwb_run_event_get_exit_meaning (fin), "Cancelled"));
  g_assert_nonnull (nth_kind (events, IWB_RUN_EVENT_RESULT, 0));
}

static gint64
grandchild_pid (GPtrArray *events)
{
  IwbRunEvent *e = nth_kind (events, IWB_RUN_EVENT_RESULT, 0);

  g_assert_nonnull (e);
  return json_object_get_int_member (json_node_get_object (iwb_run_event_get_payload (e)), "grandchild");
}

static void
test_fork_cancel (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.fork_and_hang");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) events = NULL;
  GPid pid;

  events = run_collect (run, cancellable, "grandchild", NULL, NULL);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_CANCELLED);
  pid = (GPid) grandchild_pid (events);
  assert_process_goes_away (pid);
}

static void
test_fork_leave (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.fork_and_leave");
  g_autoptr(GPtrArray) events = NULL;
  GPid pid;

  /* The grandchild keeps stdout open: the run must still end when the
   * action's process exits, and take the grandchild with it. */
  events = run_ok (run);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_SUCCEEDED);
  g_assert_cmpint (iwb_run_event_get_duration_us (last_event (events)), <, 30 * G_USEC_PER_SEC);
  pid = (GPid) grandchild_pid (events);
  assert_process_goes_away (pid);
}

static void
test_flood_line (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.flood_line");
  g_autoptr(GPtrArray) events = NULL;
  const IwbRunCounts *counts;
  IwbRunEvent *log;

  iwb_run_set_value (run, "SIZE", "100");   /* one 100 MiB line */
  events = run_ok (run);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_SUCCEEDED);
  counts = iwb_run_get_counts (run);
  g_assert_cmpuint (counts->truncated_lines, ==, 1);
  g_assert_cmpuint (counts->truncated_bytes, ==, 100 * 1024 * 1024 - IWB_RUN_DEFAULT_LINE_LIMIT);
  log = nth_kind (events, IWB_RUN_EVENT_LOG, 0);
  g_assert_true (iwb_run_event_get_truncated (log));
  g_assert_cmpuint (strlen (iwb_run_event_get_text (log)), <, IWB_RUN_DEFAULT_LINE_LIMIT + 100);
  g_assert_nonnull (strstr (iwb_run_event_get_text (log), "truncated"));
  g_assert_cmpstr (payload_string (nth_kind (events, IWB_RUN_EVENT_RESULT, 0), "after"), ==, "flood");
}

static void
test_flood_lines (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.flood_lines");
  g_autoptr(GPtrArray) events = NULL;

  iwb_run_set_value (run, "SIZE", "500000");   /* 50 MB in 100-byte lines */
  events = run_ok (run);
  g_assert_cmpuint (iwb_run_get_counts (run)->log_lines, ==, 500000);
  g_assert_cmpuint (iwb_run_get_counts (run)->truncated_lines, ==, 0);
  g_assert_cmpuint (count_kind (events, IWB_RUN_EVENT_RESULT), ==, 1);
}

static void
test_non_utf8 (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.garbled");
  g_autoptr(GPtrArray) events = NULL;

  events = run_ok (run);
  g_assert_cmpuint (count_kind (events, IWB_RUN_EVENT_LOG), ==, 2);
  for (guint i = 0; i < events->len; i++)
    if (iwb_run_event_get_kind (events->pdata[i]) == IWB_RUN_EVENT_LOG)
      g_assert_true (g_utf8_validate (iwb_run_event_get_text (events->pdata[i]), -1, NULL));
  g_assert_true (log_contains (events, "stdout", "caf\xef\xbf\xbd latin-1"));
  g_assert_true (log_contains (events, "stderr", "nul\xef\xbf\xbd" "byte"));
  g_assert_cmpstr (payload_string (nth_kind (events, IWB_RUN_EVENT_RESULT, 0), "ok"), ==, "after garbage");
}

static void
test_stdin_closed (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.close_stdin");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *big = g_strnfill (1000, 'r');

  /* 20 MB of rows: far more than a pipe buffer */
  for (guint i = 0; i < 20000; i++)
    g_ptr_array_add (rows, row_new ("payload", big));
  iwb_run_set_rows (run, rows);
  events = run_ok (run);
  g_assert_cmpint (iwb_run_get_exit_code (run), ==, 0);
  g_assert_cmpuint (iwb_run_get_counts (run)->rows_in, <, 20000);
  g_assert_nonnull (nth_kind (events, IWB_RUN_EVENT_WARNING, 0));
  g_assert_nonnull (strstr (iwb_run_event_get_text (nth_kind (events, IWB_RUN_EVENT_WARNING, 0)),
                            "stopped reading its input"));
  g_assert_true (json_object_get_boolean_member (single_result_object (events), "closed"));
}

static void
test_files (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.write_file");
  g_autoptr(GPtrArray) events = NULL;
  IwbRunEvent *f;
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;

  events = run_ok (run);
  f = nth_kind (events, IWB_RUN_EVENT_FILE, 0);
  g_assert_nonnull (f);
  g_assert_cmpuint (count_kind (events, IWB_RUN_EVENT_FILE), ==, 1);
  g_assert_true (g_str_has_prefix (iwb_run_event_get_text (f), iwb_run_get_files_dir (run)));
  expected = g_build_filename (iwb_run_get_files_dir (run),
                               payload_string (nth_kind (events, IWB_RUN_EVENT_RESULT, 0), "lhub_file_id"),
                               NULL);
  g_assert_cmpstr (iwb_run_event_get_text (f), ==, expected);
  g_assert_true (g_file_get_contents (expected, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "hello from the fixture\n");
  g_assert_cmpuint (iwb_run_get_files (run)->len, ==, 1);
  g_assert_cmpuint (iwb_run_get_counts (run)->files, ==, 1);
}

static void
test_spill (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.many_results");
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *run_dir = g_build_filename (files_root, "run-dir", NULL);
  g_autofree char *contents = NULL;
  const IwbRunCounts *counts;
  guint lines = 0;

  iwb_run_set_value (run, "SIZE", "2000");
  iwb_run_set_result_memory_limit (run, 100 * 1024);
  iwb_run_set_run_dir (run, run_dir);
  events = run_ok (run);
  counts = iwb_run_get_counts (run);
  g_assert_cmpuint (counts->results, ==, 2000);
  g_assert_cmpuint (iwb_run_get_results (run)->len, <, 2000);
  g_assert_cmpuint (iwb_run_get_results (run)->len, >, 0);
  g_assert_cmpuint (iwb_run_get_results (run)->len + counts->spilled_results, ==, 2000);
  g_assert_nonnull (iwb_run_get_spill_path (run));
  g_assert_true (g_str_has_prefix (iwb_run_get_spill_path (run), run_dir));
  g_assert_true (g_file_get_contents (iwb_run_get_spill_path (run), &contents, NULL, NULL));
  for (const char *p = contents; *p; p++)
    if (*p == '\n')
      lines++;
  g_assert_cmpuint (lines, ==, counts->spilled_results);
  g_assert_nonnull (strstr (contents, "\"i\":1999"));
  g_assert_cmpuint (count_kind (events, IWB_RUN_EVENT_RESULT), ==, 2000);
}

/* Spilled rows go with their run; what dead processes left is pruned to a
 * cap, newest first, and live processes' folders are left alone. */
static void
test_spill_cleanup (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.many_results");
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *spill = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *root = g_build_filename (g_get_user_cache_dir (), "integration-workbench",
                                            "runs", NULL);
  const char *leaves[] = { "20200101-000001-2147483600-00000001", "20200101-000002-2147483601-00000002",
                           "20200101-000003-2147483602-00000003", NULL };
  g_autofree char *live = g_strdup_printf ("20200101-000004-%d-00000004", (int) getpid ());

  iwb_run_set_value (run, "SIZE", "500");
  iwb_run_set_result_memory_limit (run, 10 * 1024);
  events = run_ok (run);
  spill = g_strdup (iwb_run_get_spill_path (run));
  g_assert_nonnull (spill);
  g_assert_true (g_str_has_prefix (spill, root));
  g_assert_true (g_file_test (spill, G_FILE_TEST_EXISTS));
  dir = g_path_get_dirname (spill);
  g_clear_pointer (&events, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&run));
  g_assert_false (g_file_test (spill, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  /* three folders of dead processes (600 bytes each, oldest first) and one of ours */
  for (guint i = 0; i <= 3; i++)
    {
      g_autofree char *d = g_build_filename (root, leaves[i] ? leaves[i] : live, NULL);
      g_autofree char *f = g_build_filename (d, "results.jsonl", NULL);
      g_autofree char *text = g_strnfill (600, 'r');
      struct utimbuf times = { 1000000 + i * 100, 1000000 + i * 100 };

      g_assert_cmpint (g_mkdir_with_parents (d, 0700), ==, 0);
      g_assert_true (g_file_set_contents (f, text, -1, NULL));
      g_assert_cmpint (utime (d, &times), ==, 0);
      if (leaves[i] == NULL)
        break;
    }
  _iwb_run_prune_spills (root, 1000);
  for (guint i = 0; i <= 3; i++)
    {
      g_autofree char *d = g_build_filename (root, leaves[i] ? leaves[i] : live, NULL);

      /* the newest dead one fits the cap; ours is alive */
      g_assert_cmpint (g_file_test (d, G_FILE_TEST_IS_DIR), ==, i >= 2);
      if (leaves[i] == NULL)
        break;
    }
}

static void
test_exit_codes (void)
{
  g_autoptr(IwbRun) run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.exit_three");
  g_autoptr(IwbRun) run2 = make_run ("misbehave", IWB_RUN_EXECUTE, "main.crash");
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) events2 = NULL;
  IwbRunEvent *fin;

  events = run_ok (run);
  fin = last_event (events);
  g_assert_cmpint (iwb_run_event_get_exit_code (fin), ==, 3);
  g_assert_cmpint (iwb_run_event_get_status (fin), ==, IWB_RUN_STATUS_FAILED);
  /* the meaning names the code the child exited with */
  g_assert_true (g_str_has_prefix (iwb_run_event_get_exit_meaning (fin),
                                   "Exit 3: unexpected exit code"));
  g_assert_true (log_contains (events, "stderr", "leaving with 3"));

  events2 = run_ok (run2);
  fin = last_event (events2);
  g_assert_cmpint (iwb_run_event_get_status (fin), ==, IWB_RUN_STATUS_FAILED);
  g_assert_nonnull (strstr (iwb_run_event_get_exit_meaning (fin), "signal 9"));
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
test_dispose_while_running (void)
{
  IwbRun *run = make_run ("misbehave", IWB_RUN_EXECUTE, "main.fork_and_hang");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Collect c = { g_ptr_array_new_with_free_func (g_object_unref), FALSE, FALSE, NULL, NULL, NULL };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gulong handler = g_signal_connect (run, "event", G_CALLBACK (on_event), &c);
  GPid pid = 0;

  iwb_run_start_async (run, cancellable, on_done, &c);
  while (count_kind (c.events, IWB_RUN_EVENT_RESULT) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  pid = (GPid) grandchild_pid (c.events);
  /* the app cancels and drops the run at once (window closed) */
  g_cancellable_cancel (cancellable);
  while (!c.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (c.done);
  g_signal_handler_disconnect (run, handler);
  g_assert_finalize_object (run);
  assert_process_goes_away (pid);
  g_ptr_array_unref (c.events);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmp = g_dir_make_tmp ("iwb-test-run-XXXXXX", &error);
  g_assert_no_error (error);
  files_root = g_build_filename (tmp, "files", NULL);
  /* keep the user's data dir clean: XDG_DATA_HOME for default files folders */
  iwb_test_use_private_xdg (tmp);

  /* the children talk to the demo service on 127.0.0.1 directly */
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);
  g_setenv ("NO_PROXY", "127.0.0.1,localhost", TRUE);

  descriptors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
  service = iwb_demo_service_new ();
  if (!iwb_demo_service_start (service, 0, &error))
    g_error ("demo service: %s", error->message);

  g_test_add_func ("/run/validate-connection/success", test_validate_connection_success);
  g_test_add_func ("/run/validate-connection/validation-errors", test_validate_connection_errors);
  g_test_add_func ("/run/validate-connection/validator-raises", test_validate_connection_raises);
  g_test_add_func ("/run/check/connection", test_check_local);
  g_test_add_func ("/run/check/action", test_check_action);
  g_test_add_func ("/run/validate-action/success", test_validate_action);
  g_test_add_func ("/run/validate-action/validator", test_validate_action_validator);
  g_test_add_func ("/run/validate-action/column-error", test_validate_action_column_error);
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
  g_test_add_func ("/run/timeout", test_timeout);
  g_test_add_func ("/run/cancel", test_cancel);
  g_test_add_func ("/run/fork/cancel", test_fork_cancel);
  g_test_add_func ("/run/fork/leave", test_fork_leave);
  g_test_add_func ("/run/fork/dispose", test_dispose_while_running);
  g_test_add_func ("/run/flood/line", test_flood_line);
  g_test_add_func ("/run/flood/result-over-limit", test_result_over_line_limit);
  g_test_add_func ("/run/flood/lines", test_flood_lines);
  g_test_add_func ("/run/non-utf8", test_non_utf8);
  g_test_add_func ("/run/stdin-closed", test_stdin_closed);
  g_test_add_func ("/run/files", test_files);
  g_test_add_func ("/run/spill", test_spill);
  g_test_add_func ("/run/spill/cleanup", test_spill_cleanup);
  g_test_add_func ("/run/exit-codes", test_exit_codes);

  ret = g_test_run ();

  iwb_demo_service_stop (service);
  g_object_unref (service);
  g_hash_table_unref (descriptors);
  iwb_test_remove_tree (tmp);
  g_free (files_root);
  return ret;
}

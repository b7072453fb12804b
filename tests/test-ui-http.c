/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's HTTP views, for real: exchanges captured by python/iwb_host
 * in a real python3 child calling `iwb demo-service` on 127.0.0.1 (with a
 * secret parameter in Basic auth, a header, the query and the body) shown
 * in an IwbHttpView: statuses and hosts in the table, the pretty-printed
 * body, Copy as cURL with $VARIABLES and no secret, the HAR export; the
 * Connection page's Diagnose on a refused port showing TCP failed.
 */
#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "iwb-demo-service.h"
#include "iwb-diagnose-view.h"
#include "iwb-har.h"
#include "iwb-http-curl.h"
#include "iwb-http-view-private.h"
#include "iwb-run-view-private.h"
#include "iwb-window-private.h"
#include "test-ui-util.h"

#define SECRET IWB_DEMO_TRACKER_PASSWORD

static IwbApplication *app;

static const char scenario[] =
  "import os, requests\n"
  "base = os.environ['BASE']\n"
  "pw = os.environ['TRACKER_PASSWORD']\n"
  "requests.get(base + '/tracker/api/projects', auth=('demo', pw), timeout=20)\n"
  "requests.post(base + '/tracker/api/tickets?api_key=' + pw + '&x=1',\n"
  "              json={'title': 'Printer on fire', 'password': pw},\n"
  "              headers={'X-Echo': pw}, auth=('demo', pw), timeout=20)\n"
  "requests.get(base + '/tracker/api/projects', auth=('demo', 'wrong'), timeout=20)\n"
  "try:\n"
  "    requests.get('http://127.0.0.1:%s/nothing' % os.environ['DEAD_PORT'], timeout=20)\n"
  "except requests.ConnectionError:\n"
  "    pass\n";

static guint
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
communicated (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

/* Runs the scenario under the capture host; returns its exchanges. */
static GPtrArray *
capture_scenario (const char *base_url)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("iwb-ui-http-XXXXXX", &error);
  g_autofree char *script = NULL;
  g_autofree char *events_path = NULL;
  g_autofree char *events = NULL;
  g_autofree char *pythonpath = NULL;
  g_autofree char *port = g_strdup_printf ("%u", free_port ());
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) child = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *exchanges = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) result = NULL;
  int fd;

  g_assert_no_error (error);
  script = g_build_filename (dir, "scenario.py", NULL);
  events_path = g_build_filename (dir, "events.jsonl", NULL);
  g_file_set_contents (script, scenario, -1, &error);
  g_assert_no_error (error);
  fd = g_open (events_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);

  pythonpath = g_strdup_printf ("%s:%s", g_getenv ("IWB_PYTHON_DIR"), dir);
  g_subprocess_launcher_setenv (launcher, "PYTHONPATH", pythonpath, TRUE);
  g_subprocess_launcher_setenv (launcher, "IWB_EVENTS_FD", "3", TRUE);
  g_subprocess_launcher_setenv (launcher, "IWB_SECRET_PARAMS", "TRACKER_PASSWORD", TRUE);
  g_subprocess_launcher_setenv (launcher, "TRACKER_PASSWORD", SECRET, TRUE);
  g_subprocess_launcher_setenv (launcher, "BASE", base_url, TRUE);
  g_subprocess_launcher_setenv (launcher, "DEAD_PORT", port, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "http_proxy");
  g_subprocess_launcher_unsetenv (launcher, "HTTP_PROXY");
  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_take_fd (launcher, fd, 3);
  child = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("IWB_PYTHON"), "-m", "iwb_host.launch",
                                       "scenario", NULL);
  g_assert_no_error (error);
  /* The demo service answers from this main loop: wait on it, never block. */
  g_subprocess_communicate_utf8_async (child, NULL, NULL, communicated, &result);
  WAIT_FOR (result != NULL, WAIT_SECONDS);
  g_subprocess_communicate_utf8_finish (child, result, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (child))
    g_error ("the scenario failed: %s", err);

  events = read_file (events_path);
  lines = g_strsplit (events, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      IwbHttpExchange *exchange;

      if (lines[i][0] == '\0')
        continue;
      exchange = iwb_http_exchange_new_from_line (lines[i], -1, &error);
      g_assert_no_error (error);
      g_ptr_array_add (exchanges, exchange);
    }
  g_unlink (script);
  g_unlink (events_path);
  g_rmdir (dir);
  return exchanges;
}

static void
assert_no_secret (const char *text)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *) SECRET, strlen (SECRET));
  g_autofree char *escaped = g_uri_escape_string (SECRET, NULL, FALSE);

  g_assert_null (strstr (text, SECRET));
  g_assert_null (strstr (text, escaped));
  g_assert_null (strstr (text, b64));
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Export;

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Export *export = user_data;

  export->ok = iwb_har_write_file_finish (result, &export->error);
  export->done = TRUE;
}

static gboolean
count_tick (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static void
test_http_view (void)
{
  g_autoptr(IwbDemoService) demo = iwb_demo_service_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) exchanges = NULL;
  GtkWidget *window = gtk_window_new ();
  IwbHttpView *view = IWB_HTTP_VIEW (iwb_http_view_new ());
  GListModel *model;
  const char *style = NULL;
  const char *secrets[] = { "TRACKER_PASSWORD", "CHAT_TOKEN", NULL };
  const char *one_secret[] = { "TRACKER_PASSWORD", NULL };
  g_autofree char *body = NULL;
  g_autofree char *curl = NULL;
  g_autofree char *status = NULL;
  g_autofree char *har_dir = NULL;
  g_autofree char *har_path = NULL;
  g_autofree char *har = NULL;
  Export export = { 0, };
  guint ticks = 0, tick;

  g_assert_true (iwb_demo_service_start (demo, 0, &error));
  g_assert_no_error (error);
  exchanges = capture_scenario (iwb_demo_service_get_url (demo));
  g_assert_cmpuint (exchanges->len, ==, 4);

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  iwb_http_view_set_secret_names (view, one_secret);
  for (guint i = 0; i < exchanges->len; i++)
    iwb_http_view_add (view, g_ptr_array_index (exchanges, i));
  /* Queued, then added in a batch from an idle. */
  g_assert_cmpuint (iwb_http_view_get_n_exchanges (view), ==, 4);
  WAIT_FOR (iwb_http_view_get_n_pending (view) == 0, WAIT_SECONDS);
  model = iwb_http_view_get_exchanges (view);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);

  /* The status column shows a failed call's word whole ("Certificate",
   * not "Certifi…"), in the bold of the column. */
  {
    GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (view->list_view));
    g_autoptr(GtkColumnViewColumn) status_column = g_list_model_get_item (columns, 1);
    int width = gtk_column_view_column_get_fixed_width (status_column);
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
    GtkWidget *probe = gtk_window_new ();

    g_assert_cmpstr (gtk_column_view_column_get_title (status_column), ==, "Status");
    gtk_window_set_child (GTK_WINDOW (probe), box);
    for (const char * const *w = (const char *[]) { "Certificate", "Not recorded", "DNS error", "Timed out",
                                                    "TLS error", "Refused", NULL }; *w; w++)
      {
        GtkWidget *label = gtk_label_new (*w);
        int nat = 0;

        gtk_widget_add_css_class (label, "heading");
        gtk_box_append (GTK_BOX (box), label);
        gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat, NULL, NULL);
        /* the cell's padding: 6 px each side */
        g_assert_cmpint (nat + 12, <=, width);
      }
    gtk_window_destroy (GTK_WINDOW (probe));
  }

  /* The table: method, coloured status, host, path. */
  {
    g_autoptr(IwbHttpExchange) get = g_list_model_get_item (model, 0);
    g_autoptr(IwbHttpExchange) wrong = g_list_model_get_item (model, 2);
    g_autoptr(IwbHttpExchange) dead = g_list_model_get_item (model, 3);
    g_autofree char *ok = iwb_http_status_text (get, &style);

    g_assert_cmpstr (iwb_http_exchange_get_method (get), ==, "GET");
    g_assert_true (g_str_has_prefix (iwb_http_exchange_get_host (get), "127.0.0.1:"));
    g_assert_cmpstr (iwb_http_exchange_get_path (get), ==, "/tracker/api/projects");
    g_assert_cmpstr (ok, ==, "200");
    g_assert_cmpstr (style, ==, "success");
    status = iwb_http_status_text (wrong, &style);
    g_assert_cmpstr (status, ==, "401");
    g_assert_cmpstr (style, ==, "warning");
    g_free (status);
    status = iwb_http_status_text (dead, &style);
    g_assert_cmpstr (status, ==, "Refused");
    g_assert_cmpstr (style, ==, "error");
  }

  /* The detail: the JSON body pretty-printed; a failure says why. */
  iwb_http_view_select (view, 0);
  body = iwb_http_view_dup_body_text (view, IWB_HTTP_PART_RESPONSE);
  g_assert_nonnull (body);
  g_assert_nonnull (strstr (body, "\"projects\" : ["));
  g_assert_nonnull (strstr (iwb_http_view_get_detail_status (view), "200"));
  g_assert_null (iwb_http_view_get_detail_error (view));
  g_assert_cmpstr (iwb_http_view_get_body_note (view, IWB_HTTP_PART_REQUEST), ==, "No body");
  iwb_http_view_select (view, 3);
  g_assert_nonnull (iwb_http_view_get_detail_error (view));
  g_assert_nonnull (strstr (iwb_http_view_get_detail_error (view), "refused"));
  g_assert_cmpstr (iwb_http_view_get_body_note (view, IWB_HTTP_PART_RESPONSE), ==, "No response came");

  /* Copy as cURL: the secret was redacted in the child; its places are
   * shell variables named after the parameter. */
  iwb_http_view_select (view, 1);
  /* For looking at the view (tests/screenshots.sh): stays until killed. */
  while (g_getenv ("IWB_UI_TEST_HOLD") != NULL)
    g_main_context_iteration (NULL, TRUE);
  curl = iwb_http_view_dup_curl (view);
  assert_no_secret (curl);
  g_assert_nonnull (strstr (curl, "--user \"$USER_NAME:$TRACKER_PASSWORD\""));
  g_assert_nonnull (strstr (curl, "api_key='\"$TRACKER_PASSWORD\"'&x=1'"));
  g_assert_nonnull (strstr (curl, "-H 'X-Echo: '\"$TRACKER_PASSWORD\""));
  g_assert_nonnull (strstr (curl, "# Secrets were redacted"));
  g_assert_null (strstr (curl, IWB_HTTP_REDACTED_MARK));
  /* The copy action puts the same text on the clipboard. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "http.copy-curl", NULL));

  /* The command is valid sh: with curl standing in as a printer, the
   * variables expand to what the user sets, every other byte stays. */
  {
    g_autofree char *script = g_strdup_printf ("curl () { printf '%%s\\n' \"$@\"; }\n"
                                               "USER_NAME=demo TRACKER_PASSWORD=\"it's \\$a\"\n%s", curl);
    const char *argv[] = { "/bin/sh", "-c", script, NULL };
    g_autofree char *out = NULL;
    int wait_status = 0;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &wait_status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
    g_assert_nonnull (strstr (out, "demo:it's $a\n"));
    g_assert_nonnull (strstr (out, "api_key=it's $a&x=1"));
    g_assert_nonnull (strstr (out, "X-Echo: it's $a\n"));
    g_assert_nonnull (strstr (out, "it's $a"));
    g_assert_nonnull (strstr (out, "Printer on fire"));
  }

  /* Several secret parameters: the query's name names the variable. */
  iwb_http_view_set_secret_names (view, secrets);
  g_free (curl);
  curl = iwb_http_view_dup_curl (view);
  g_assert_nonnull (strstr (curl, "api_key='\"$API_KEY\"'"));
  g_assert_nonnull (strstr (curl, "-H 'X-Echo: '\"$X_ECHO\""));
  assert_no_secret (curl);

  /* Export HAR: the same calls, no secret. */
  har_dir = g_dir_make_tmp ("iwb-ui-har-XXXXXX", &error);
  g_assert_no_error (error);
  har_path = g_build_filename (har_dir, "calls.har", NULL);
  iwb_har_write_file_async (iwb_http_view_get_exchanges (view), har_path, NULL, on_exported, &export);
  WAIT_FOR (export.done, WAIT_SECONDS);
  g_assert_true (export.ok);
  g_assert_no_error (export.error);
  har = read_file (har_path);
  g_assert_nonnull (strstr (har, "\"entries\""));
  g_assert_nonnull (strstr (har, "/tracker/api/tickets"));
  assert_no_secret (har);
  g_unlink (har_path);

  /* Into a FIFO nobody reads: the window goes on (its loop turns while
   * the writer waits), and the export ends with an error naming it. */
  g_assert_cmpint (mkfifo (har_path, 0600), ==, 0);
  export = (Export) { 0, };
  ticks = 0;
  tick = g_timeout_add (20, count_tick, &ticks);
  iwb_har_write_file_async (iwb_http_view_get_exchanges (view), har_path, NULL, on_exported, &export);
  g_assert_false (export.done);
  WAIT_FOR (export.done, WAIT_SECONDS);
  g_source_remove (tick);
  g_assert_false (export.ok);
  g_assert_nonnull (export.error);
  g_assert_nonnull (strstr (export.error->message, har_path));
  g_assert_cmpuint (ticks, >, 20);
  g_clear_error (&export.error);
  g_unlink (har_path);
  g_rmdir (har_dir);

  /* Clearing shows the empty state again. */
  iwb_http_view_clear (view);
  g_assert_cmpuint (iwb_http_view_get_n_exchanges (view), ==, 0);
  g_assert_null (iwb_http_view_get_selected (view));

  gtk_window_destroy (GTK_WINDOW (window));
  iwb_demo_service_stop (demo);
}

static IwbWindow *
open_example (void)
{
  IwbWindow *window = iwb_window_new (app);
  g_autoptr(GFile) folder = ui_test_folder ("examples", "ticket-tracker", NULL);

  gtk_window_present (GTK_WINDOW (window));
  iwb_window_open_folder (window, folder);
  WAIT_FOR (g_strcmp0 (iwb_window_get_state (window), "loading") != 0, WAIT_SECONDS);
  g_assert_cmpstr (iwb_window_get_state (window), ==, "integration");
  return window;
}

static void
test_diagnose_refused (void)
{
  IwbWindow *window = open_example ();
  IwbConnectionPage *page = iwb_window_get_connection_page (window);
  IwbParamForm *form = iwb_connection_page_get_form (page);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", free_port ());
  IwbDiagnoseView *view;
  IwbDiagnose *check;
  GtkWidget *row;

  iwb_field_value_set_text (iwb_param_form_get_field (form, "TRACKER_URL"), url);
  iwb_field_value_set_text (iwb_param_form_get_field (form, "TRACKER_USER"), "demo");
  iwb_field_value_set_text (iwb_param_form_get_field (form, "TRACKER_PASSWORD"), SECRET);
  g_assert_false (iwb_connection_page_get_can_diagnose (page));
  gtk_widget_activate_action (GTK_WIDGET (page), "page.validate", NULL);
  WAIT_FOR (!iwb_connection_page_get_busy (page), WAIT_SECONDS);
  g_assert_cmpstr (iwb_connection_page_get_result (page), !=, "valid");

  /* Diagnose is offered, and finds the layer: TCP. */
  g_assert_true (iwb_connection_page_get_can_diagnose (page));
  view = iwb_connection_page_diagnose (page);
  g_assert_nonnull (view);
  WAIT_FOR (iwb_diagnose_view_get_finished (view), WAIT_SECONDS);
  while (g_getenv ("IWB_UI_TEST_HOLD") != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (iwb_diagnose_view_get_n_checks (view), >=, 1);
  check = iwb_diagnose_view_get_check (view, 0);
  g_assert_cmpstr (iwb_diagnose_get_label (check), ==, "TRACKER_URL");
  g_assert_cmpint (iwb_diagnose_get_state (check, IWB_DIAGNOSE_LAYER_DNS), ==, IWB_DIAGNOSE_PASSED);
  g_assert_cmpint (iwb_diagnose_get_state (check, IWB_DIAGNOSE_LAYER_TCP), ==, IWB_DIAGNOSE_FAILED);
  g_assert_cmpint (iwb_diagnose_get_state (check, IWB_DIAGNOSE_LAYER_HTTP), ==, IWB_DIAGNOSE_NOT_REACHED);
  /* What the rows say. */
  row = iwb_diagnose_view_get_layer_row (view, 0, IWB_DIAGNOSE_LAYER_TCP);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   iwb_diagnose_get_detail (check, IWB_DIAGNOSE_LAYER_TCP));
  g_assert_true (gtk_widget_has_css_class (row, "diagnose-failed"));
  g_assert_nonnull (iwb_diagnose_view_get_call_text (view));

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_flush ();
}

/* Validating the example against the demo service: the validation's calls
 * are on the Connection page; a failing one shows in the table. Then record
 * a cassette, stop the service, replay: the validation still passes and the
 * header bar says "Replay". */
static void
test_validation_calls_and_replay (void)
{
  IwbWindow *window = open_example ();
  IwbConnectionPage *page = iwb_window_get_connection_page (window);
  IwbParamForm *form = iwb_connection_page_get_form (page);
  IwbHttpView *http = iwb_connection_page_get_http_view (page);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("iwb-ui-cassette-XXXXXX", &error);
  g_autofree char *cassette = g_build_filename (dir, "cassette.json", NULL);
  g_autofree char *text = NULL;
  g_autofree char *curl = NULL;
  GListModel *calls;
  guint n;

  g_assert_no_error (error);
  g_assert_true (iwb_window_start_demo (window, &error));
  g_assert_no_error (error);
  g_assert_null (_iwb_window_get_http_badge (window));

  /* A wrong password: the 401 is in the table, Copy as cURL has no secret. */
  iwb_field_value_set_text (iwb_param_form_get_field (form, "TRACKER_PASSWORD"), "wrong-Secret-42");
  gtk_widget_activate_action (GTK_WIDGET (page), "page.validate", NULL);
  WAIT_FOR (!iwb_connection_page_get_busy (page), WAIT_SECONDS);
  WAIT_FOR (iwb_http_view_get_n_pending (http) == 0, WAIT_SECONDS);
  calls = iwb_http_view_get_exchanges (http);
  g_assert_cmpuint (g_list_model_get_n_items (calls), >=, 1);
  {
    g_autoptr(IwbHttpExchange) call = g_list_model_get_item (calls, 0);
    g_autofree char *status = iwb_http_status_text (call, NULL);

    g_assert_cmpstr (status, ==, "401");
    g_assert_true (g_str_has_prefix (iwb_http_exchange_get_host (call), "127.0.0.1:"));
    g_assert_cmpstr (iwb_http_exchange_get_path (call), ==, "/tracker/api/projects");
  }
  /* The result names the call that made it fail, and shows it selected. */
  g_assert_true (g_str_has_prefix (iwb_connection_page_get_failing_call (page),
                                   "The failing call: GET /tracker/api/projects → 401"));
  {
    g_autoptr(IwbHttpExchange) first = g_list_model_get_item (calls, 0);

    g_assert_true (iwb_http_view_get_selected (http) == first);
  }
  iwb_http_view_select (http, 0);
  curl = iwb_http_view_dup_curl (http);
  g_assert_null (strstr (curl, "wrong-Secret-42"));
  g_assert_nonnull (strstr (curl, "$TRACKER_PASSWORD"));
  g_assert_true (iwb_connection_page_get_can_diagnose (page));

  /* Record with the right password. */
  iwb_field_value_set_text (iwb_param_form_get_field (form, "TRACKER_PASSWORD"), IWB_DEMO_TRACKER_PASSWORD);
  iwb_session_set_http_mode (window->session, IWB_HTTP_MODE_RECORD, cassette);
  g_assert_cmpstr (_iwb_window_get_http_badge (window), ==, "Recording");
  gtk_widget_activate_action (GTK_WIDGET (page), "page.validate", NULL);
  WAIT_FOR (!iwb_connection_page_get_busy (page), WAIT_SECONDS);
  g_assert_cmpstr (iwb_connection_page_get_result (page), ==, "valid");
  WAIT_FOR (iwb_http_view_get_n_pending (http) == 0, WAIT_SECONDS);
  g_assert_null (iwb_connection_page_get_failing_call (page));
  n = g_list_model_get_n_items (calls);
  g_assert_cmpuint (n, >=, 1);
  text = read_file (cassette);
  g_assert_null (strstr (text, IWB_DEMO_TRACKER_PASSWORD));

  /* Replay with the service stopped: the same answer, and the badge. */
  iwb_demo_service_stop (iwb_window_get_demo_service (window));
  iwb_session_set_http_mode (window->session, IWB_HTTP_MODE_REPLAY, cassette);
  iwb_session_set_replay_strict (window->session, TRUE);
  g_assert_cmpstr (_iwb_window_get_http_badge (window), ==, "Replay");
  gtk_widget_activate_action (GTK_WIDGET (page), "page.validate", NULL);
  WAIT_FOR (!iwb_connection_page_get_busy (page), WAIT_SECONDS);
  g_assert_cmpstr (iwb_connection_page_get_result (page), ==, "valid");
  WAIT_FOR (iwb_http_view_get_n_pending (http) == 0, WAIT_SECONDS);
  g_assert_cmpuint (g_list_model_get_n_items (calls), ==, n);
  {
    g_autoptr(IwbHttpExchange) call = g_list_model_get_item (calls, 0);

    g_assert_true (iwb_http_exchange_get_replayed (call));
  }

  iwb_session_set_http_mode (window->session, IWB_HTTP_MODE_LIVE, NULL);
  g_assert_null (_iwb_window_get_http_badge (window));
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_flush ();
  g_unlink (cassette);
  g_rmdir (dir);
}

static void
test_run_view_has_http_tab (void)
{
  IwbWindow *window = open_example ();
  IwbActionPage *search = iwb_window_get_action_page (window, "main.search_tickets");
  IwbRunView *run_view = iwb_action_page_get_run_view (search);
  IwbHttpView *http = iwb_run_view_get_http_view (run_view);

  g_autoptr(GError) error = NULL;

  g_assert_nonnull (http);
  g_assert_cmpuint (iwb_http_view_get_n_exchanges (http), ==, 0);
  g_assert_true (iwb_window_start_demo (window, &error));
  g_assert_no_error (error);
  iwb_window_show_page (window, "main.search_tickets");
  iwb_run_view_show_http (run_view);
  gtk_widget_activate_action (GTK_WIDGET (search), "page.run", NULL);
  WAIT_FOR (!iwb_action_page_get_running (search) && iwb_run_view_get_finished (run_view)
            && iwb_http_view_get_n_pending (http) == 0, WAIT_SECONDS);
  /* The run's calls, the count on the tab, the first one selected. */
  g_assert_cmpuint (iwb_http_view_get_n_exchanges (http), >=, 1);
  {
    g_autofree char *title = g_strdup_printf ("HTTP (%u)", iwb_http_view_get_n_exchanges (http));

    g_assert_cmpstr (adw_view_stack_page_get_title (run_view->http_page), ==, title);
  }
  g_assert_nonnull (iwb_http_view_get_selected (http));
  {
    g_autofree char *body = iwb_http_view_dup_body_text (http, IWB_HTTP_PART_RESPONSE);

    g_assert_nonnull (body);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_flush ();
}

static void
add_tests (void)
{
  g_test_add_func ("/ui/http/view", test_http_view);
  g_test_add_func ("/ui/http/diagnose-refused", test_diagnose_refused);
  g_test_add_func ("/ui/http/run-view-tab", test_run_view_has_http_tab);
  g_test_add_func ("/ui/http/validation-record-replay", test_validation_calls_and_replay);
}

int
main (int   argc,
      char *argv[])
{
  return iwb_test_ui_main (argc, argv, &app, add_tests);
}

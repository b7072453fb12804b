/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * HTTP capture in process (the CLI's side is test-http-capture.c): an
 * IwbRun's exchange model, its bound, a malformed event line, a session's
 * run, the session's and the profile's HTTP mode, the installed SDK. Real
 * python3 children, the real demo service on 127.0.0.1.
 */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include <glib/gstdio.h>

#include "iwb-core.h"
#include "test-capture-util.h"
#include "test-iwb-util.h"



typedef struct
{
  guint     http_events;
  guint     warnings;
  guint     items_added;
  gboolean  done;
  GString  *warning_text;
} RunWatch;

static void
on_run_event (IwbRun      *run,
              IwbRunEvent *event,
              RunWatch    *w)
{
  if (iwb_run_event_get_kind (event) == IWB_RUN_EVENT_HTTP)
    {
      g_assert_nonnull (iwb_run_event_get_exchange (event));
      w->http_events++;
    }
  else if (iwb_run_event_get_kind (event) == IWB_RUN_EVENT_WARNING)
    {
      w->warnings++;
      g_string_append_printf (w->warning_text, "%s\n", iwb_run_event_get_text (event));
    }
  else
    g_assert_null (iwb_run_event_get_exchange (event));
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  RunWatch   *w)
{
  g_assert_cmpuint (removed, ==, 0);
  w->items_added += added;
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunWatch *w = user_data;

  g_assert_true (iwb_run_start_finish (IWB_RUN (source), result, NULL));
  w->done = TRUE;
}

static IwbRun *
new_run (Fixture    *f,
         const char *client)
{
  g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  g_autoptr(GFile) folder = g_file_new_for_path (f->folder);
  g_autoptr(IwbIntegration) integration = NULL;
  g_autoptr(JsonNode) descriptor = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbLoader) loader = iwb_loader_new (python);
  g_autoptr(GAsyncResult) result = NULL;
  JsonObject *row = json_object_new ();
  IwbRun *run;

  iwb_loader_load_async (loader, folder, NULL, iwb_cli_on_communicated, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  integration = iwb_loader_load_finish (loader, result, &error);
  g_assert_no_error (error);
  descriptor = iwb_descriptor_build (integration);
  run = iwb_run_new (python, folder, descriptor, IWB_RUN_EXECUTE, "main.call");
  iwb_run_set_value (run, "BASE", iwb_demo_service_get_url (f->service));
  iwb_run_set_value (run, "API_KEY", SECRET);
  json_object_set_string_member (row, "client", client);
  g_ptr_array_add (rows, row);
  iwb_run_set_rows (run, rows);
  return run;
}

static void
run_watched (IwbRun   *run,
             RunWatch *w)
{
  w->warning_text = g_string_new (NULL);
  g_signal_connect (run, "event", G_CALLBACK (on_run_event), w);
  g_signal_connect (iwb_run_get_exchanges (run), "items-changed", G_CALLBACK (on_items_changed), w);
  iwb_run_start_async (run, NULL, on_run_done, w);
  while (!w->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_run_model (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(IwbRun) run = new_run (f, "threads");
  GListModel *list = iwb_run_get_exchanges (run);
  RunWatch w = { 0 };

  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  g_assert_true (g_list_model_get_item_type (list) == IWB_TYPE_HTTP_EXCHANGE);
  run_watched (run, &w);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_SUCCEEDED);
  g_assert_cmpuint (w.http_events, ==, 4);
  g_assert_cmpuint (w.items_added, ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 4);
  g_assert_cmpuint (iwb_run_get_counts (run)->http_exchanges, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(IwbHttpExchange) ex = g_list_model_get_item (list, i);

      g_assert_cmpuint (iwb_http_exchange_get_status (ex), ==, 200);
      g_assert_true (g_str_has_prefix (iwb_http_exchange_get_thread (ex), "worker-"));
    }
  g_string_free (w.warning_text, TRUE);
}

static void
test_run_bounded (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(IwbRun) run = new_run (f, "flood40");
  RunWatch w = { 0 };

  iwb_run_set_exchange_limit (run, 5);
  run_watched (run, &w);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_SUCCEEDED);
  g_assert_cmpuint (w.http_events, ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (iwb_run_get_exchanges (run)), ==, 5);
  g_assert_cmpuint (iwb_run_get_counts (run)->http_dropped, ==, 35);
  g_assert_nonnull (strstr (w.warning_text->str, "35 HTTP calls after the first 5 were counted but not kept"));
  g_string_free (w.warning_text, TRUE);
}

static void
test_run_malformed (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(IwbRun) run = new_run (f, "garbage");
  RunWatch w = { 0 };

  run_watched (run, &w);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_SUCCEEDED);
  g_assert_cmpuint (iwb_run_get_counts (run)->results, ==, 1);
  g_assert_cmpuint (w.warnings, ==, 1);
  g_assert_nonnull (strstr (w.warning_text->str, "HTTP capture event"));
  g_assert_cmpuint (w.http_events, ==, 0);
  g_string_free (w.warning_text, TRUE);
}

/* With the interpreter's own SDK (--sdk installed, a venv that has one),
 * the capture host still runs, and the SDK is the venv's, not ours. */
static void
test_installed_sdk (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *venv = capture_path_in (f, "venv");
  g_autofree char *python = g_build_filename (venv, "bin", "python3", NULL);
  g_autofree char *script = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(IwbCliResult) r = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  const char *more[] = { "--format", "jsonl", "--no-history", "--python", python, "--sdk", "installed", NULL };
  guint n_http = 0;
  gboolean marker = FALSE;
  int status = 0;

  /* a copy of the runtime's lhub_integ that says who it is, in the venv */
  script = g_strdup_printf ("set -e\n/usr/bin/python3 -m venv --without-pip --system-site-packages '%s'\n"
                            "site=$('%s' -c 'import sysconfig; print(sysconfig.get_paths()[\"purelib\"])')\n"
                            "cp -r '%s/lhub_integ' \"$site/\"\n"
                            "echo 'import sys; sys.stderr.write(\"INSTALLED-SDK\\\\n\")' >> \"$site/lhub_integ/__init__.py\"\n",
                            venv, python, g_getenv ("IWB_PYTHON_DIR"));
  {
    const char *argv[] = { "/bin/sh", "-c", script, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err, &status, &error);
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      {
        g_test_skip_printf ("cannot make a venv (python3-venv missing?): %s", err);
        return;
      }
  }
  capture_run_clients (f, &r, iwb_demo_service_get_url (f->service), "urllib3", more);
  g_assert_cmpint (r.status, ==, 0);
  events = capture_parse_lines (r.out);
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *o = json_node_get_object (events->pdata[i]);

      if (g_str_equal (capture_event_name (events->pdata[i]), "http"))
        n_http++;
      else if (g_str_equal (capture_event_name (events->pdata[i]), "log") &&
               g_strcmp0 (json_object_get_string_member (o, "text"), "INSTALLED-SDK") == 0)
        marker = TRUE;
    }
  g_assert_cmpuint (n_http, ==, 1);
  g_assert_true (marker);
}

static GThread *main_thread;

static void
on_items_changed_main (GListModel *model,
                       guint       position,
                       guint       removed,
                       guint       added,
                       RunWatch   *w)
{
  /* a session's run is read on a thread of its own: the list changes here */
  g_assert_true (g_thread_self () == main_thread);
  w->items_added += added;
}

static void
on_session_run_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  RunWatch *w = user_data;

  g_assert_true (iwb_run_start_finish (IWB_RUN (source), result, NULL));
  w->done = TRUE;
}

/* A session's run: the exchanges arrive on the caller's thread, in order,
 * with the session's HTTP mode. */
static void
test_session_run (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(IwbSession) session = iwb_session_new ();
  g_autoptr(IwbRun) probe = new_run (f, "threads");
  g_autoptr(GFile) folder = g_file_new_for_path (f->folder);
  g_autoptr(IwbRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonObject) row = json_object_new ();
  g_autofree char *cassette = capture_path_in (f, "session.json");
  RunWatch w = { 0 };

  main_thread = g_thread_self ();
  iwb_session_set_folder (session, folder);
  iwb_session_set_integration (session, NULL, iwb_run_get_descriptor (probe), iwb_run_get_descriptor (probe));
  iwb_session_set_value (session, IWB_SESSION_SCOPE_CONNECTION, "BASE", iwb_demo_service_get_url (f->service),
                         IWB_SESSION_VALUE_TYPED);
  iwb_session_set_value (session, IWB_SESSION_SCOPE_CONNECTION, "API_KEY", SECRET,
                         IWB_SESSION_VALUE_TYPED | IWB_SESSION_VALUE_SECRET);
  iwb_session_set_http_mode (session, IWB_HTTP_MODE_RECORD, cassette);
  run = iwb_session_create_run (session, IWB_RUN_EXECUTE, "main.call", &error);
  g_assert_no_error (error);
  json_object_set_string_member (row, "client", "threads");
  g_ptr_array_add (rows, json_object_ref (row));
  iwb_run_set_rows (run, rows);
  g_signal_connect (iwb_run_get_exchanges (run), "items-changed", G_CALLBACK (on_items_changed_main), &w);
  iwb_session_start_run (session, run, NULL, on_session_run_done, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (iwb_run_get_status (run), ==, IWB_RUN_STATUS_SUCCEEDED);
  g_assert_cmpuint (w.items_added, ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (iwb_run_get_exchanges (run)), ==, 4);
  g_assert_true (g_file_test (cassette, G_FILE_TEST_IS_REGULAR));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *n)
{
  (*n)++;
}

/* IwbSession's mode: properties with notify, and the runs it creates. */
static void
test_session_mode (void)
{
  g_autoptr(IwbSession) session = iwb_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (g_get_tmp_dir ());
  g_autoptr(JsonNode) descriptor = iwb_json_parse_full ("{\"connection\": {\"inputs\": []}, \"actions\": []}",
                                                        -1, IWB_JSON_PARSE_DEFAULT, NULL, NULL);
  g_autoptr(IwbRun) run = NULL;
  g_autoptr(IwbRun) live = NULL;
  g_autofree char *expected = g_canonicalize_filename ("rel/cassette.json", NULL);
  IwbHttpMode mode = IWB_HTTP_MODE_LIVE;
  guint n_mode = 0, n_path = 0, n_strict = 0;

  g_signal_connect (session, "notify::http-mode", G_CALLBACK (count_notify), &n_mode);
  g_signal_connect (session, "notify::cassette-path", G_CALLBACK (count_notify), &n_path);
  g_signal_connect (session, "notify::replay-strict", G_CALLBACK (count_notify), &n_strict);
  g_assert_cmpint (iwb_session_get_http_mode (session), ==, IWB_HTTP_MODE_LIVE);
  iwb_session_set_folder (session, folder);
  iwb_session_set_integration (session, NULL, descriptor, descriptor);

  /* replay without a cassette: a clear error, no run */
  g_object_set (session, "http-mode", IWB_HTTP_MODE_REPLAY, NULL);
  g_assert_cmpuint (n_mode, ==, 1);
  run = iwb_session_create_run (session, IWB_RUN_VALIDATE_CONNECTION, NULL, &error);
  g_assert_null (run);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "cassette"));
  g_clear_error (&error);

  iwb_session_set_http_mode (session, IWB_HTTP_MODE_REPLAY, "rel/cassette.json");
  iwb_session_set_replay_strict (session, TRUE);
  iwb_session_set_replay_strict (session, TRUE);
  g_assert_cmpuint (n_mode, ==, 1);
  g_assert_cmpuint (n_path, ==, 1);
  g_assert_cmpuint (n_strict, ==, 1);
  g_assert_cmpstr (iwb_session_get_cassette_path (session), ==, expected);
  g_object_get (session, "http-mode", &mode, NULL);
  g_assert_cmpint (mode, ==, IWB_HTTP_MODE_REPLAY);
  run = iwb_session_create_run (session, IWB_RUN_VALIDATE_CONNECTION, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (iwb_run_get_http_mode (run), ==, IWB_HTTP_MODE_REPLAY);
  g_assert_cmpstr (iwb_run_get_cassette_path (run), ==, expected);
  g_assert_true (iwb_run_get_replay_strict (run));

  /* back to live: the cassette is remembered, runs are live */
  iwb_session_set_http_mode (session, IWB_HTTP_MODE_LIVE, NULL);
  g_assert_cmpstr (iwb_session_get_cassette_path (session), ==, expected);
  live = iwb_session_create_run (session, IWB_RUN_VALIDATE_CONNECTION, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (iwb_run_get_http_mode (live), ==, IWB_HTTP_MODE_LIVE);
  g_assert_null (iwb_run_get_cassette_path (live));
  g_assert_false (iwb_run_get_replay_strict (live));
}

/* IwbProfile keeps the mode in its JSON (an optional "http" member). */
static void
test_profile_mode (void)
{
  g_autoptr(IwbProfile) profile = iwb_profile_new ("demo");
  g_autoptr(IwbProfile) back = NULL;
  g_autoptr(IwbProfile) plain = NULL;
  g_autoptr(IwbProfile) bad = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) plain_json = NULL;
  g_autoptr(JsonNode) bad_json = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *http;

  plain_json = iwb_profile_to_json (profile, FALSE);
  g_assert_false (json_object_has_member (json_node_get_object (plain_json), "http"));
  plain = iwb_profile_new_from_json ("demo", plain_json, "profiles.json", &error);
  g_assert_no_error (error);
  g_assert_cmpint (iwb_profile_get_http_mode (plain), ==, IWB_HTTP_MODE_LIVE);

  iwb_profile_set_http_mode (profile, IWB_HTTP_MODE_RECORD, "/tmp/demo.cassette.json");
  json = iwb_profile_to_json (profile, FALSE);
  http = json_object_get_object_member (json_node_get_object (json), "http");
  g_assert_cmpstr (json_object_get_string_member (http, "mode"), ==, "record");
  g_assert_cmpstr (json_object_get_string_member (http, "cassette"), ==, "/tmp/demo.cassette.json");
  back = iwb_profile_new_from_json ("demo", json, "profiles.json", &error);
  g_assert_no_error (error);
  g_assert_cmpint (iwb_profile_get_http_mode (back), ==, IWB_HTTP_MODE_RECORD);
  g_assert_cmpstr (iwb_profile_get_cassette_path (back), ==, "/tmp/demo.cassette.json");

  bad_json = iwb_json_parse_full ("{\"http\": {\"mode\": \"replay\"}}", -1, IWB_JSON_PARSE_DEFAULT, NULL, NULL);
  bad = iwb_profile_new_from_json ("demo", bad_json, "profiles.json", &error);
  g_assert_null (bad);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "profiles.json"));
  g_assert_nonnull (strstr (error->message, "http"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, capture_fixture_setup, func, capture_fixture_teardown)
  ADD ("/http-capture/run/model", test_run_model, NULL);
  ADD ("/http-capture/run/bounded", test_run_bounded, NULL);
  ADD ("/http-capture/run/malformed", test_run_malformed, NULL);
  ADD ("/http-capture/run/session", test_session_run, NULL);
  ADD ("/http-capture/installed-sdk", test_installed_sdk, NULL);
#undef ADD
  g_test_add_func ("/http-capture/session-mode", test_session_mode);
  g_test_add_func ("/http-capture/profile-mode", test_profile_mode);
  return g_test_run ();
}

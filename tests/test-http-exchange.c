/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Captured exchanges from a real python3 child (python/iwb_host) calling the
 * demo service on 127.0.0.1, parsed into IwbHttpExchange and exported as HAR 1.2. */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <string.h>

#include "iwb-core.h"
#include "iwb-har.h"
#include "iwb-http-exchange.h"
#include "test-http-util.h"

static IwbDemoService *service;
static TestCertificates certs;

static void
on_waited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

/* Runs @code as `python3 -m iwb_host.launch scenario` with its events on fd 3
 * (a file), serving the demo service meanwhile; returns the event lines. */
static GStrv
run_scenario (const char *code,
              const char *secret)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("iwb-http-XXXXXX", &error);
  g_autofree char *script = NULL;
  g_autofree char *events_path = NULL;
  g_autofree char *pythonpath = NULL;
  g_autofree char *events = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  gboolean done = FALSE;
  int fd;

  g_assert_no_error (error);
  script = g_build_filename (dir, "scenario.py", NULL);
  events_path = g_build_filename (dir, "events.jsonl", NULL);
  g_file_set_contents (script, code, -1, &error);
  g_assert_no_error (error);
  fd = g_open (events_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  pythonpath = g_strjoin (":", g_getenv ("IWB_PYTHON_DIR"), dir, NULL);
  g_subprocess_launcher_setenv (launcher, "PYTHONPATH", pythonpath, TRUE);
  g_subprocess_launcher_setenv (launcher, "IWB_EVENTS_FD", "3", TRUE);
  g_subprocess_launcher_setenv (launcher, "BASE", iwb_demo_service_get_url (service), TRUE);
  g_subprocess_launcher_setenv (launcher, "TLS_BASE", iwb_demo_service_get_https_url (service), TRUE);
  g_subprocess_launcher_setenv (launcher, "CAFILE", certs.self_signed, TRUE);
  if (secret != NULL)
    {
      g_subprocess_launcher_setenv (launcher, "conn_password", secret, TRUE);
      g_subprocess_launcher_setenv (launcher, "IWB_SECRET_PARAMS", "conn_password", TRUE);
    }
  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_take_fd (launcher, fd, 3);
  proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("IWB_PYTHON"),
                                      "-m", "iwb_host.launch", "scenario", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (proc, NULL, on_waited, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_successful (proc));

  g_file_get_contents (events_path, &events, NULL, &error);
  g_assert_no_error (error);
  g_unlink (script);
  g_unlink (events_path);
  g_rmdir (dir);
  return g_strsplit (g_strchomp (events), "\n", -1);
}

static GListStore *
parse_all (GStrv lines)
{
  GListStore *store = g_list_store_new (IWB_TYPE_HTTP_EXCHANGE);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(IwbHttpExchange) ex = iwb_http_exchange_new_from_line (lines[i], -1, &error);

      g_assert_no_error (error);
      g_list_store_append (store, ex);
    }
  return store;
}

static IwbHttpExchange *
find (GListModel *model,
      const char *path_prefix)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(IwbHttpExchange) ex = g_list_model_get_item (model, i);

      if (g_str_has_prefix (iwb_http_exchange_get_path (ex), path_prefix))
        return ex;
    }
  g_assert_not_reached ();
  return NULL;
}

static const char *SCENARIO =
  "import os, requests\n"
  "base = os.environ['BASE']\n"
  "s = requests.Session()\n"
  "s.get(base + '/health')\n"
  "s.get(base + '/tracker/api/projects')\n"
  "s.post(base + '/tracker/api/tickets?notify=yes&x=a%20b', auth=('demo', os.environ['conn_password']),\n"
  "       json={'project': 'OPS', 'title': 'Disk full'})\n"
  "try:\n"
  "    requests.get('http://127.0.0.1:1/refused', timeout=5)\n"
  "except requests.ConnectionError:\n"
  "    pass\n";

static void
test_exchanges_from_a_real_child (void)
{
  g_auto(GStrv) lines = run_scenario (SCENARIO, IWB_DEMO_TRACKER_PASSWORD);
  g_autoptr(GListStore) store = parse_all (lines);
  GListModel *model = G_LIST_MODEL (store);
  IwbHttpExchange *health, *denied, *created, *refused;
  g_autofree char *mime = NULL;
  gsize len = 0;
  const char *body;

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);

  health = find (model, "/health");
  g_assert_cmpstr (iwb_http_exchange_get_method (health), ==, "GET");
  g_assert_cmpuint (iwb_http_exchange_get_status (health), ==, 200);
  g_assert_cmpstr (iwb_http_exchange_get_reason (health), ==, "OK");
  g_assert_true (g_str_has_prefix (iwb_http_exchange_get_host (health), "127.0.0.1:"));
  mime = iwb_http_exchange_dup_mime_type (health, IWB_HTTP_PART_RESPONSE);
  g_assert_cmpstr (mime, ==, "application/json");
  body = g_bytes_get_data (iwb_http_exchange_get_body (health, IWB_HTTP_PART_RESPONSE), &len);
  g_assert_nonnull (g_strstr_len (body, (gssize) len, "demo service"));
  g_assert_cmpint (iwb_http_exchange_get_body_size (health, IWB_HTTP_PART_RESPONSE), ==, (gint64) len);
  g_assert_cmpfloat (iwb_http_exchange_get_timing (health, IWB_HTTP_TIMING_CONNECT), >=, 0);
  g_assert_cmpfloat (iwb_http_exchange_get_timing (health, IWB_HTTP_TIMING_TLS), ==, -1);
  g_assert_cmpfloat (iwb_http_exchange_get_timing (health, IWB_HTTP_TIMING_TOTAL), >=,
                     iwb_http_exchange_get_timing (health, IWB_HTTP_TIMING_FIRST_BYTE));
  g_assert_null (iwb_http_exchange_get_error_kind (health));
  g_assert_false (iwb_http_exchange_get_replayed (health));
  g_assert_cmpstr (iwb_http_exchange_get_thread (health), ==, "MainThread");

  denied = find (model, "/tracker/api/projects");
  g_assert_cmpuint (iwb_http_exchange_get_status (denied), ==, 401);
  g_assert_nonnull (iwb_http_exchange_lookup_header (denied, IWB_HTTP_PART_RESPONSE, "www-authenticate"));
  g_assert_true (iwb_http_exchange_get_reused_connection (denied));

  created = find (model, "/tracker/api/tickets");
  g_assert_cmpstr (iwb_http_exchange_get_method (created), ==, "POST");
  g_assert_cmpuint (iwb_http_exchange_get_status (created), ==, 201);
  g_assert_cmpstr (iwb_http_exchange_lookup_header (created, IWB_HTTP_PART_REQUEST, "Authorization"),
                   ==, "Basic [redacted]");
  body = g_bytes_get_data (iwb_http_exchange_get_body (created, IWB_HTTP_PART_REQUEST), &len);
  g_assert_nonnull (g_strstr_len (body, (gssize) len, "Disk full"));
  g_assert_false (iwb_http_exchange_get_body_is_binary (created, IWB_HTTP_PART_REQUEST));

  refused = find (model, "/refused");
  g_assert_cmpuint (iwb_http_exchange_get_status (refused), ==, 0);
  g_assert_cmpstr (iwb_http_exchange_get_error_kind (refused), ==, "refused");
  g_assert_cmpstr (iwb_http_exchange_get_error_reason (refused), ==, "Connection refused");
  g_assert_null (iwb_http_exchange_get_body (refused, IWB_HTTP_PART_RESPONSE));
  g_assert_cmpint (iwb_http_exchange_get_body_size (refused, IWB_HTTP_PART_RESPONSE), ==, -1);
}

/* -- HAR 1.2: the members and types the specification requires ---------- */

static void
assert_member_type (JsonObject *obj,
                    const char *member,
                    GType       type,
                    const char *where)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL)
    g_error ("HAR: %s.%s is missing", where, member);
  if (type == JSON_TYPE_OBJECT || type == JSON_TYPE_ARRAY)
    {
      if ((type == JSON_TYPE_OBJECT && !JSON_NODE_HOLDS_OBJECT (node)) ||
          (type == JSON_TYPE_ARRAY && !JSON_NODE_HOLDS_ARRAY (node)))
        g_error ("HAR: %s.%s has the wrong type", where, member);
      return;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    g_error ("HAR: %s.%s is not a value", where, member);
  if (type == G_TYPE_DOUBLE)
    {
      if (json_node_get_value_type (node) != G_TYPE_DOUBLE && json_node_get_value_type (node) != G_TYPE_INT64)
        g_error ("HAR: %s.%s is not a number", where, member);
    }
  else if (json_node_get_value_type (node) != type)
    g_error ("HAR: %s.%s is a %s, not a %s", where, member,
             g_type_name (json_node_get_value_type (node)), g_type_name (type));
}

static void
assert_pairs (JsonArray  *array,
              const char *where)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *p = json_array_get_object_element (array, i);

      g_assert_nonnull (p);
      assert_member_type (p, "name", G_TYPE_STRING, where);
      assert_member_type (p, "value", G_TYPE_STRING, where);
    }
}

static void
assert_valid_har (JsonNode *har)
{
  JsonObject *log, *creator;
  JsonArray *entries;
  g_autoptr(GDateTime) previous = NULL;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (har));
  assert_member_type (json_node_get_object (har), "log", JSON_TYPE_OBJECT, "");
  log = json_object_get_object_member (json_node_get_object (har), "log");
  assert_member_type (log, "version", G_TYPE_STRING, "log");
  g_assert_cmpstr (json_object_get_string_member (log, "version"), ==, "1.2");
  assert_member_type (log, "creator", JSON_TYPE_OBJECT, "log");
  creator = json_object_get_object_member (log, "creator");
  assert_member_type (creator, "name", G_TYPE_STRING, "log.creator");
  assert_member_type (creator, "version", G_TYPE_STRING, "log.creator");
  assert_member_type (log, "entries", JSON_TYPE_ARRAY, "log");
  entries = json_object_get_array_member (log, "entries");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *e = json_array_get_object_element (entries, i);
      JsonObject *req, *resp, *content, *timings;
      g_autoptr(GDateTime) started = NULL;
      static const char *required_timings[] = { "send", "wait", "receive" };
      static const char *optional_timings[] = { "blocked", "dns", "connect", "ssl" };

      assert_member_type (e, "startedDateTime", G_TYPE_STRING, "entry");
      started = g_date_time_new_from_iso8601 (json_object_get_string_member (e, "startedDateTime"), NULL);
      g_assert_nonnull (started);
      if (previous != NULL)
        g_assert_cmpint (g_date_time_compare (previous, started), <=, 0);
      g_clear_pointer (&previous, g_date_time_unref);
      previous = g_date_time_ref (started);
      assert_member_type (e, "time", G_TYPE_DOUBLE, "entry");
      g_assert_cmpfloat (json_object_get_double_member (e, "time"), >=, 0);
      assert_member_type (e, "cache", JSON_TYPE_OBJECT, "entry");

      assert_member_type (e, "request", JSON_TYPE_OBJECT, "entry");
      req = json_object_get_object_member (e, "request");
      assert_member_type (req, "method", G_TYPE_STRING, "request");
      assert_member_type (req, "url", G_TYPE_STRING, "request");
      assert_member_type (req, "httpVersion", G_TYPE_STRING, "request");
      assert_member_type (req, "cookies", JSON_TYPE_ARRAY, "request");
      assert_member_type (req, "headers", JSON_TYPE_ARRAY, "request");
      assert_pairs (json_object_get_array_member (req, "headers"), "request.headers");
      assert_member_type (req, "queryString", JSON_TYPE_ARRAY, "request");
      assert_pairs (json_object_get_array_member (req, "queryString"), "request.queryString");
      assert_member_type (req, "headersSize", G_TYPE_INT64, "request");
      assert_member_type (req, "bodySize", G_TYPE_INT64, "request");
      if (json_object_has_member (req, "postData"))
        {
          JsonObject *post = json_object_get_object_member (req, "postData");

          assert_member_type (post, "mimeType", G_TYPE_STRING, "postData");
          assert_member_type (post, "text", G_TYPE_STRING, "postData");
        }

      assert_member_type (e, "response", JSON_TYPE_OBJECT, "entry");
      resp = json_object_get_object_member (e, "response");
      assert_member_type (resp, "status", G_TYPE_INT64, "response");
      assert_member_type (resp, "statusText", G_TYPE_STRING, "response");
      assert_member_type (resp, "httpVersion", G_TYPE_STRING, "response");
      assert_member_type (resp, "cookies", JSON_TYPE_ARRAY, "response");
      assert_member_type (resp, "headers", JSON_TYPE_ARRAY, "response");
      assert_pairs (json_object_get_array_member (resp, "headers"), "response.headers");
      assert_member_type (resp, "content", JSON_TYPE_OBJECT, "response");
      content = json_object_get_object_member (resp, "content");
      assert_member_type (content, "size", G_TYPE_INT64, "content");
      assert_member_type (content, "mimeType", G_TYPE_STRING, "content");
      assert_member_type (resp, "redirectURL", G_TYPE_STRING, "response");
      assert_member_type (resp, "headersSize", G_TYPE_INT64, "response");
      assert_member_type (resp, "bodySize", G_TYPE_INT64, "response");

      assert_member_type (e, "timings", JSON_TYPE_OBJECT, "entry");
      timings = json_object_get_object_member (e, "timings");
      for (guint t = 0; t < G_N_ELEMENTS (required_timings); t++)
        {
          assert_member_type (timings, required_timings[t], G_TYPE_DOUBLE, "timings");
          g_assert_cmpfloat (json_object_get_double_member (timings, required_timings[t]), >=, 0);
        }
      for (guint t = 0; t < G_N_ELEMENTS (optional_timings); t++)
        if (json_object_has_member (timings, optional_timings[t]))
          {
            double v = json_object_get_double_member (timings, optional_timings[t]);

            g_assert_true (v == -1 || v >= 0);
          }
    }
}

static void
test_har (void)
{
  g_auto(GStrv) lines = run_scenario (SCENARIO, IWB_DEMO_TRACKER_PASSWORD);
  g_autoptr(GListStore) store = parse_all (lines);
  g_autoptr(JsonNode) har = iwb_har_build (G_LIST_MODEL (store));
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *entries;
  gboolean saw_query = FALSE, saw_error = FALSE;
  int fd;

  assert_valid_har (har);
  entries = json_object_get_array_member (json_object_get_object_member (json_node_get_object (har), "log"),
                                          "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, 4);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *e = json_array_get_object_element (entries, i);
      JsonObject *req = json_object_get_object_member (e, "request");
      JsonObject *resp = json_object_get_object_member (e, "response");
      JsonArray *query = json_object_get_array_member (req, "queryString");

      if (json_array_get_length (query) == 2)
        {
          JsonObject *second = json_array_get_object_element (query, 1);

          g_assert_cmpstr (json_object_get_string_member (second, "name"), ==, "x");
          g_assert_cmpstr (json_object_get_string_member (second, "value"), ==, "a b");
          g_assert_true (json_object_has_member (req, "postData"));
          g_assert_cmpint (json_object_get_int_member (resp, "status"), ==, 201);
          saw_query = TRUE;
        }
      if (json_object_has_member (e, "_error"))
        {
          g_assert_cmpint (json_object_get_int_member (resp, "status"), ==, 0);
          g_assert_true (g_str_has_prefix (json_object_get_string_member (e, "_error"), "refused"));
          saw_error = TRUE;
        }
    }
  g_assert_true (saw_query);
  g_assert_true (saw_error);

  /* Written to a file and read back: the same document; no secret in it. */
  fd = g_file_open_tmp ("iwb-XXXXXX.har", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (iwb_har_write_file (G_LIST_MODEL (store), path, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (text, IWB_DEMO_TRACKER_PASSWORD));
  {
    g_autofree char *basic = g_base64_encode ((const guchar *) IWB_DEMO_TRACKER_USER ":" IWB_DEMO_TRACKER_PASSWORD,
                                              strlen (IWB_DEMO_TRACKER_USER ":" IWB_DEMO_TRACKER_PASSWORD));

    g_assert_null (strstr (text, basic));
  }
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  assert_valid_har (json_parser_get_root (parser));
  g_unlink (path);

  /* A folder that does not exist: a clear error naming the file. */
  g_assert_false (iwb_har_write_file (G_LIST_MODEL (store), "/nonexistent-dir/x.har", &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "/nonexistent-dir/x.har"));
}

/* Capture over TLS, for real: the demo service's HTTPS with a certificate of this run. */
static void
test_https (void)
{
  g_auto(GStrv) lines = run_scenario (
    "import os, requests\n"
    "requests.get(os.environ['TLS_BASE'] + '/health?trusted=1', verify=os.environ['CAFILE'])\n"
    "try:\n"
    "    requests.get(os.environ['TLS_BASE'] + '/health?untrusted=1')\n"
    "except requests.exceptions.SSLError:\n"
    "    pass\n", NULL);
  g_autoptr(GListStore) store = parse_all (lines);
  IwbHttpExchange *trusted = find (G_LIST_MODEL (store), "/health?trusted=1");
  IwbHttpExchange *untrusted = find (G_LIST_MODEL (store), "/health?untrusted=1");

  g_assert_true (g_str_has_prefix (iwb_http_exchange_get_url (trusted), "https://127.0.0.1:"));
  g_assert_cmpuint (iwb_http_exchange_get_status (trusted), ==, 200);
  g_assert_cmpfloat (iwb_http_exchange_get_timing (trusted, IWB_HTTP_TIMING_TLS), >=, 0);
  g_assert_cmpuint (iwb_http_exchange_get_status (untrusted), ==, 0);
  g_assert_cmpstr (iwb_http_exchange_get_error_kind (untrusted), ==, "certificate");
  g_assert_nonnull (strstr (iwb_http_exchange_get_error_reason (untrusted), "self-signed"));
}

static void
test_bad_lines (void)
{
  static const struct { const char *line; const char *needle; } cases[] = {
    { "{not json", "Not a valid HTTP event" },
    { "[1, 2]", "“event” is not a JSON object" },
    { "{\"event\": \"log\"}", "“event” is not “http”" },
    { "{\"event\": \"http\"}", "“url” is missing" },
    { "{\"event\": \"http\", \"url\": \"http://x/\"}", "“error” are both missing" },
    { "{\"event\": \"http\", \"url\": \"http://x/\", \"response\": {\"status\": \"200\"}}", "response.status" },
    { "{\"event\": \"http\", \"url\": \"http://x/\", \"response\": {\"status\": 200, \"headers\": [[\"a\"]]}}",
      "[name, value] pair" },
    { "{\"event\": \"http\", \"url\": \"http://x/\", \"request\": 3, \"error\": {}}", "“request” is not an object" },
    { "", "Not a valid HTTP event" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(IwbHttpExchange) ex = iwb_http_exchange_new_from_line (cases[i].line, -1, &error);

      g_assert_null (ex);
      g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("“%s”: the message “%s” does not say “%s”", cases[i].line, error->message, cases[i].needle);
    }
}

static void
test_minimal_event (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbHttpExchange) ex = iwb_http_exchange_new_from_line (
    "{\"event\":\"http\",\"url\":\"https://h.example:8443/a/b?c=1\",\"method\":null,"
    "\"error\":{\"kind\":\"certificate\",\"reason\":\"self-signed certificate\"}}", -1, &error);

  g_assert_no_error (error);
  g_assert_null (iwb_http_exchange_get_method (ex));
  g_assert_cmpstr (iwb_http_exchange_get_host (ex), ==, "h.example:8443");
  g_assert_cmpstr (iwb_http_exchange_get_path (ex), ==, "/a/b?c=1");
  g_assert_cmpstr (iwb_http_exchange_get_error_kind (ex), ==, "certificate");
  g_assert_cmpstr (iwb_http_exchange_get_error_reason (ex), ==, "self-signed certificate");
  g_assert_cmpfloat (iwb_http_exchange_get_timing (ex, IWB_HTTP_TIMING_TOTAL), ==, -1);
  g_assert_nonnull (iwb_http_exchange_get_started (ex));
}

/* The exchange keeps its event as one line and reads it without JsonNodes:
 * what it reads must be what a JSON reader sees (the last of repeated
 * members, escapes decoded), and the line it gives back must be the same
 * JSON on one line, the form JSON Lines output and the history store. */
static void
test_line_kept (void)
{
  static const char *event =
    "  {\"event\":\"http\",\"url\":\"http://old/\",\"url\":\"http://h.example/p\",\n"
    "   \"method\":\"GET\",\"thread\":\"T\\u00e9\\n2\",\"timings\":{\"total\":1.5,\"total\":2.5},\n"
    "   \"response\":{\"status\":200,\"reason\":\"O\\\"K\",\n"
    "     \"headers\":[[\"Content-Type\",\"text/plain; charset=utf-8\"],[\"X-A\",\"\\u0041\"]],\n"
    "     \"body\":{\"text\":\"line 1\\nline 2\",\"size\":13}}}\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbHttpExchange) ex = iwb_http_exchange_new_from_line (event, -1, &error);
  g_autoptr(JsonNode) reparsed = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autofree char *mime = NULL;
  const char *line;
  gsize len = 0;
  GBytes *body;

  g_assert_no_error (error);
  g_assert_cmpstr (iwb_http_exchange_get_url (ex), ==, "http://h.example/p");
  g_assert_cmpstr (iwb_http_exchange_get_thread (ex), ==, "T\xc3\xa9\n2");
  g_assert_cmpstr (iwb_http_exchange_get_reason (ex), ==, "O\"K");
  g_assert_cmpfloat (iwb_http_exchange_get_timing (ex, IWB_HTTP_TIMING_TOTAL), ==, 2.5);
  g_assert_cmpstr (iwb_http_exchange_lookup_header (ex, IWB_HTTP_PART_RESPONSE, "x-a"), ==, "A");
  mime = iwb_http_exchange_dup_mime_type (ex, IWB_HTTP_PART_RESPONSE);
  g_assert_cmpstr (mime, ==, "text/plain");
  body = iwb_http_exchange_get_body (ex, IWB_HTTP_PART_RESPONSE);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "line 1\nline 2", 13);
  g_assert_cmpint (iwb_http_exchange_get_body_size (ex, IWB_HTTP_PART_RESPONSE), ==, 13);
  g_assert_true (iwb_http_exchange_get_finite (ex));

  line = iwb_http_exchange_get_line (ex, &len);
  g_assert_cmpuint (strlen (line), ==, len);
  g_assert_null (memchr (line, '\n', len));
  g_assert_null (memchr (line, '\r', len));
  reparsed = iwb_json_parse_full (line, -1, IWB_JSON_PARSE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  expected = iwb_json_parse_full (event, -1, IWB_JSON_PARSE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (reparsed, expected));
  g_assert_true (json_node_equal (iwb_http_exchange_get_json (ex), expected));

  /* a compact line is kept byte for byte, without its newline */
  {
    static const char *compact =
      "{\"event\":\"http\",\"url\":\"http://h/\",\"response\":{\"status\":204,\"reason\":\"\\u00e9\"}}";
    g_autofree char *with_newline = g_strconcat (compact, "\n", NULL);
    g_autoptr(IwbHttpExchange) ex2 = iwb_http_exchange_new_from_line (with_newline, -1, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (iwb_http_exchange_get_line (ex2, NULL), ==, compact);
    g_assert_cmpstr (iwb_http_exchange_get_reason (ex2), ==, "\xc3\xa9");
  }
  /* NaN is read (as Python writes it) but flagged */
  {
    g_autoptr(IwbHttpExchange) ex3 = iwb_http_exchange_new_from_line (
      "{\"event\":\"http\",\"url\":\"http://h/\",\"timings\":{\"total\":NaN},"
      "\"error\":{\"kind\":\"timeout\"}}", -1, &error);

    g_assert_no_error (error);
    g_assert_false (iwb_http_exchange_get_finite (ex3));
    g_assert_cmpfloat (iwb_http_exchange_get_timing (ex3, IWB_HTTP_TIMING_TOTAL), ==, -1);
  }
}

/* Exchanges are read on several threads at once (a session's worker, the
 * history's replay): each reads its own events right. */
static gpointer
read_many (gpointer data)
{
  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *line = g_strdup_printf ("{\"event\":\"http\",\"url\":\"http://h/%u\",\"k%u\":1,"
                                               "\"response\":{\"status\":%u}}",
                                               i, (guint) (i + GPOINTER_TO_UINT (data)), 200 + i % 300);
      g_autoptr(GError) error = NULL;
      g_autoptr(IwbHttpExchange) ex = iwb_http_exchange_new_from_line (line, -1, &error);
      g_autofree char *path = g_strdup_printf ("/%u", i);

      g_assert_no_error (error);
      g_assert_cmpstr (iwb_http_exchange_get_path (ex), ==, path);
      g_assert_cmpuint (iwb_http_exchange_get_status (ex), ==, 200 + i % 300);
    }
  return NULL;
}

static void
test_threads (void)
{
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("reader", read_many, GUINT_TO_POINTER (i * 100000));
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  test_certificates_make (&certs);
  service = iwb_demo_service_new ();
  iwb_demo_service_start (service, 0, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GTlsCertificate) cert = test_certificate_load (certs.self_signed);

    iwb_demo_service_start_https (service, 0, cert, &error);
    g_assert_no_error (error);
  }

  g_test_add_func ("/http-exchange/real-child", test_exchanges_from_a_real_child);
  g_test_add_func ("/http-exchange/har", test_har);
  g_test_add_func ("/http-exchange/https", test_https);
  g_test_add_func ("/http-exchange/bad-lines", test_bad_lines);
  g_test_add_func ("/http-exchange/minimal", test_minimal_event);
  g_test_add_func ("/http-exchange/line-kept", test_line_kept);
  g_test_add_func ("/http-exchange/threads", test_threads);
  ret = g_test_run ();
  g_clear_object (&service);
  test_certificates_clear (&certs);
  return ret;
}

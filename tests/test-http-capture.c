/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * HTTP capture wired into real runs: `iwb run` / `iwb validate` start the
 * integration under python/iwb_host, and every call it makes with
 * requests, urllib3, urllib.request or http.client (HTTP and HTTPS, from
 * several threads, failing ones too) comes out as an "http" event, in the
 * HAR file, the cassette and the history, with the secret parameter
 * redacted everywhere. Record, then replay with the demo service stopped,
 * gives the same results; strict replay names an unrecorded call. Real
 * python3 children, the real demo service on 127.0.0.1.
 */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include <glib/gstdio.h>

#include "iwb-core.h"
#include "test-http-util.h"
#include "test-iwb-util.h"

/* Characters that every encoding changes: space, &, /, +, ", é. */
#define SECRET "Zq9 s3cr&t/+\"\xc3\xa9!"

static const char integration_py[] =
  "\"\"\"\nname: HTTP clients\ndescription: calls the demo service with every client\n\"\"\"\n"
  "import http.client, json, os, ssl, threading, urllib.parse, urllib.request\n"
  "import requests, urllib3\n"
  "from lhub_integ import action, connection_validator\n"
  "from lhub_integ.params import ConnectionParam, InputType, ValidationError\n"
  "BASE = ConnectionParam('BASE', description='base URL')\n"
  "API_KEY = ConnectionParam('API_KEY', description='secret', input_type=InputType.PASSWORD)\n"
  "CAFILE = ConnectionParam('CAFILE', description='CA bundle', optional=True)\n"
  "def _ctx():\n"
  "    return ssl.create_default_context(cafile=CAFILE.read()) if CAFILE.read() else None\n"
  "def _verify():\n"
  "    return CAFILE.read() or True\n"
  "@connection_validator\n"
  "def validate():\n"
  "    r = requests.get(BASE.read() + '/tracker/api/projects', auth=('demo', API_KEY.read()),\n"
  "                     verify=_verify(), timeout=10)\n"
  "    if r.status_code != 401:\n"
  "        return [ValidationError(message='expected 401, got %d' % r.status_code, param=API_KEY)]\n"
  "    return []\n"
  "def _one(client, base, secret):\n"
  "    u = urllib.parse.urlsplit(base)\n"
  "    if client == 'requests':\n"
  "        r = requests.post(base + '/tracker/api/tickets', params={'note': secret},\n"
  "                          headers={'X-Note': secret}, auth=('demo', secret), verify=_verify(),\n"
  "                          json={'project': 'OPS', 'title': 'about ' + secret}, timeout=10)\n"
  "        return r.status_code\n"
  "    if client == 'urllib3':\n"
  "        pool = urllib3.PoolManager(ca_certs=CAFILE.read() or None)\n"
  "        return pool.request('GET', base + '/health?q=' + urllib.parse.quote(secret)).status\n"
  "    if client == 'urllib':\n"
  "        req = urllib.request.Request(base + '/health', headers={'X-Token': secret})\n"
  "        with urllib.request.urlopen(req, context=_ctx(), timeout=10) as f:\n"
  "            return f.status\n"
  "    if client == 'http.client':\n"
  "        cls = http.client.HTTPSConnection if u.scheme == 'https' else http.client.HTTPConnection\n"
  "        kw = {'context': _ctx()} if u.scheme == 'https' else {}\n"
  "        c = cls(u.hostname, u.port, timeout=10, **kw)\n"
  "        c.request('POST', '/health', body=('form=' + urllib.parse.quote_plus(secret)).encode(),\n"
  "                  headers={'Content-Type': 'application/x-www-form-urlencoded'})\n"
  "        return c.getresponse().status\n"
  "    if client == 'threads':\n"
  "        out = []\n"
  "        def go(i):\n"
  "            out.append(requests.get(base + '/health?t=%d' % i, verify=_verify(), timeout=10).status_code)\n"
  "        ts = [threading.Thread(target=go, args=(i,), name='worker-%d' % i) for i in range(4)]\n"
  "        [t.start() for t in ts]\n"
  "        [t.join() for t in ts]\n"
  "        return sorted(out)\n"
  "    if client == 'refused':\n"
  "        try:\n"
  "            requests.get('http://127.0.0.1:9/nothing', timeout=5)\n"
  "        except requests.ConnectionError as e:\n"
  "            return 'refused'\n"
  "    if client == 'unrecorded':\n"
  "        return requests.get(base + '/tracker/api/unrecorded', verify=_verify(), timeout=5).status_code\n"
  "    if client == 'garbage':\n"
  "        os.write(3, b'this is not an event\\n')\n"
  "        return 'written'\n"
  "    if client.startswith('flood'):\n"
  "        s = requests.Session()\n"
  "        return [s.get(base + '/health', verify=_verify()).status_code for _ in range(int(client[5:]))][-1]\n"
  "    raise ValueError(client)\n"
  "@action('Call')\n"
  "def call(client):\n"
  "    \"\"\"\n    :param client: which client\n    \"\"\"\n"
  "    return {'client': client, 'status': _one(client, BASE.read(), API_KEY.read())}\n";

typedef struct
{
  char             *dir;       /* scratch: integration, cassettes, HAR, XDG */
  char             *folder;    /* the integration */
  char             *secret_file;
  IwbDemoService   *service;
  TestCertificates  certs;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autofree char *main_py = NULL;

  f->dir = g_dir_make_tmp ("iwb-http-capture-XXXXXX", &error);
  g_assert_no_error (error);
  iwb_test_use_private_xdg (f->dir);
  f->folder = g_build_filename (f->dir, "http-clients", NULL);
  g_assert_cmpint (g_mkdir (f->folder, 0700), ==, 0);
  main_py = g_build_filename (f->folder, "main.py", NULL);
  g_file_set_contents (main_py, integration_py, -1, &error);
  g_assert_no_error (error);
  f->secret_file = g_build_filename (f->dir, "secret.txt", NULL);
  g_file_set_contents (f->secret_file, SECRET "\n", -1, &error);
  g_assert_no_error (error);

  test_certificates_make (&f->certs);
  cert = test_certificate_load (f->certs.self_signed);
  f->service = iwb_demo_service_new ();
  iwb_demo_service_start (f->service, 0, &error);
  g_assert_no_error (error);
  iwb_demo_service_start_https (f->service, 0, cert, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  iwb_demo_service_stop (f->service);
  g_clear_object (&f->service);
  test_certificates_clear (&f->certs);
  iwb_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->folder);
  g_free (f->secret_file);
}

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* The events of `--format jsonl` output, parsed. */
static GPtrArray *
parse_lines (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      JsonNode *node;

      if (lines[i][0] == '\0')
        continue;
      node = iwb_json_parse_full (lines[i], -1, IWB_JSON_PARSE_DEFAULT, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_ptr_array_add (events, node);
    }
  return events;
}

static const char *
event_name (JsonNode *node)
{
  return json_object_get_string_member (json_node_get_object (node), "event");
}

static JsonObject *
http_of (JsonNode *node)
{
  return json_object_get_object_member (json_node_get_object (node), "http");
}

/* Runs `iwb run FOLDER main.call --input ROWS --format jsonl ...`. */
static void
run_clients (Fixture      *f,
             IwbCliResult *r,
             const char   *base,
             const char   *clients,
             const char   *const *more)
{
  g_autofree char *set_base = g_strdup_printf ("BASE=%s", base);
  g_autofree char *set_secret = g_strdup_printf ("API_KEY=%s", f->secret_file);
  g_autofree char *set_ca = g_strdup_printf ("CAFILE=%s", g_str_has_prefix (base, "https:") ? f->certs.self_signed : "");
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GString) rows = g_string_new (NULL);
  g_auto(GStrv) names = g_strsplit (clients, ",", -1);

  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (rows, "{\"client\": \"%s\"}\n", names[i]);
  g_ptr_array_add (args, (gpointer) "run");
  g_ptr_array_add (args, f->folder);
  g_ptr_array_add (args, (gpointer) "main.call");
  g_ptr_array_add (args, (gpointer) "--input");
  g_ptr_array_add (args, (gpointer) "-");
  g_ptr_array_add (args, (gpointer) "--set");
  g_ptr_array_add (args, set_base);
  g_ptr_array_add (args, (gpointer) "--set-file");
  g_ptr_array_add (args, set_secret);
  if (g_str_has_prefix (base, "https:"))
    {
      g_ptr_array_add (args, (gpointer) "--set");
      g_ptr_array_add (args, set_ca);
    }
  for (guint i = 0; more != NULL && more[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) more[i]);
  g_ptr_array_add (args, NULL);
  iwb_cli_runv (r, NULL, rows->str, (const char * const *) args->pdata);
}

/* Exchanges by the client row that made them: the events come in order,
 * each result after the calls of its row. */
static void
check_clients (GPtrArray  *events,
               const char *scheme)
{
  guint n_http = 0, refused = 0, threads_seen = 0;
  g_autoptr(GHashTable) thread_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) methods = g_hash_table_new (g_str_hash, g_str_equal);
  guint results = 0;

  for (guint i = 0; i < events->len; i++)
    {
      JsonNode *e = events->pdata[i];

      if (g_str_equal (event_name (e), "http"))
        {
          JsonObject *h = http_of (e);
          const char *url = json_object_get_string_member (h, "url");

          n_http++;
          if (json_object_has_member (h, "error"))
            {
              JsonObject *err = json_object_get_object_member (h, "error");

              g_assert_cmpstr (json_object_get_string_member (err, "kind"), ==, "refused");
              g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:9/"));
              refused++;
              continue;
            }
          g_assert_true (g_str_has_prefix (url, scheme));
          g_assert_true (json_object_has_member (h, "response"));
          if (strstr (url, "/health?t=") != NULL)
            {
              g_hash_table_add (thread_names, (gpointer) json_object_get_string_member (h, "thread"));
              threads_seen++;
            }
          g_hash_table_add (methods, (gpointer) json_object_get_string_member (h, "method"));
        }
      else if (g_str_equal (event_name (e), "result"))
        results++;
    }
  /* requests 1, urllib3 1, urllib 1, http.client 1, threads 4, refused 1 */
  g_assert_cmpuint (results, ==, 6);
  g_assert_cmpuint (n_http, ==, 9);
  g_assert_cmpuint (refused, ==, 1);
  g_assert_cmpuint (threads_seen, ==, 4);
  g_assert_cmpuint (g_hash_table_size (thread_names), ==, 4); /* kept apart */
  g_assert_true (g_hash_table_contains (methods, "POST"));
  g_assert_true (g_hash_table_contains (methods, "GET"));
}

static void
test_clients (Fixture       *f,
              gconstpointer  data)
{
  gboolean https = GPOINTER_TO_INT (data);
  g_auto(IwbCliResult) r = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  const char *more[] = { "--format", "jsonl", "--no-history", NULL };

  run_clients (f, &r, https ? iwb_demo_service_get_https_url (f->service)
                            : iwb_demo_service_get_url (f->service),
               "requests,urllib3,urllib,http.client,threads,refused", more);
  g_assert_cmpint (r.status, ==, 0);
  events = parse_lines (r.out);
  check_clients (events, https ? "https://127.0.0.1:" : "http://127.0.0.1:");
  g_assert_null (strstr (r.out, SECRET));
}

/* Every form of the secret that could leak. */
static GPtrArray *
secret_forms (void)
{
  GPtrArray *forms = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) json = g_string_new (NULL);

  g_ptr_array_add (forms, g_strdup (SECRET));
  /* JSON-escaped, both the UTF-8 and the \u00e9 way */
  g_ptr_array_add (forms, g_strdup ("Zq9 s3cr&t/+\\\"\xc3\xa9!"));
  g_ptr_array_add (forms, g_strdup ("Zq9 s3cr&t/+\\\"\\u00e9!"));
  g_ptr_array_add (forms, g_strdup ("Zq9 s3cr&t\\/+\\\"\\u00e9!"));
  /* URL-encoded (quote and quote_plus) */
  g_ptr_array_add (forms, g_uri_escape_string (SECRET, NULL, FALSE));
  g_ptr_array_add (forms, g_strdup ("Zq9+s3cr%26t%2F%2B%22%C3%A9%21"));
  g_ptr_array_add (forms, g_strdup ("Zq9%20s3cr%26t/%2B%22%C3%A9%21"));
  /* base64, alone and in Basic auth */
  g_ptr_array_add (forms, g_base64_encode ((const guchar *) SECRET, strlen (SECRET)));
  g_ptr_array_add (forms, g_base64_encode ((const guchar *) "demo:" SECRET, strlen ("demo:" SECRET)));
  /* a distinctive piece, in case of another encoding */
  g_ptr_array_add (forms, g_strdup ("s3cr&t"));
  g_ptr_array_add (forms, g_strdup ("s3cr%26t"));
  return forms;
}

static void
assert_no_secret (const char *what,
                  const char *data,
                  gsize       len,
                  GPtrArray  *forms)
{
  for (guint i = 0; i < forms->len; i++)
    if (memmem (data, len, forms->pdata[i], strlen (forms->pdata[i])) != NULL)
      g_error ("the secret leaked into %s as “%s”", what, (char *) forms->pdata[i]);
}

static void
assert_file_has_no_secret (const char *path,
                           GPtrArray  *forms)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  assert_no_secret (path, data, len, forms);
}

static void
assert_tree_has_no_secret (const char *dir,
                           GPtrArray  *forms,
                           guint      *n_files)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        assert_tree_has_no_secret (path, forms, n_files);
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR) &&
               !g_str_has_suffix (path, "secret.txt") && !g_str_has_suffix (path, ".key") &&
               !g_str_has_suffix (path, ".pem"))
        {
          assert_file_has_no_secret (path, forms);
          (*n_files)++;
        }
    }
}

/* A secret parameter sent in a header, the query, the body (JSON and a
 * form) and Basic auth, echoed back by the service: it is nowhere. */
static void
test_redaction (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) forms = secret_forms ();
  g_autofree char *cassette = path_in (f, "cassette.json");
  g_autofree char *har = path_in (f, "calls.har");
  g_autofree char *set_base = g_strdup_printf ("BASE=%s", iwb_demo_service_get_url (f->service));
  g_autofree char *set_secret = g_strdup_printf ("API_KEY=%s", f->secret_file);
  g_auto(IwbCliResult) r = { 0 };
  g_auto(IwbCliResult) v = { 0 };
  g_auto(IwbCliResult) h = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  const char *more[] = { "--format", "jsonl", "--record", cassette, "--har", har, NULL };
  guint n_files = 0, n_http = 0;

  run_clients (f, &r, iwb_demo_service_get_url (f->service), "requests,urllib3,urllib,http.client", more);
  g_assert_cmpint (r.status, ==, 0);
  events = parse_lines (r.out);
  for (guint i = 0; i < events->len; i++)
    if (g_str_equal (event_name (events->pdata[i]), "http"))
      {
        JsonObject *req = json_object_get_object_member (http_of (events->pdata[i]), "request");
        g_autofree char *text = iwb_json_to_string (events->pdata[i], FALSE);

        n_http++;
        /* the marker is there instead */
        if (strstr (text, "/tracker/api/tickets") != NULL)
          g_assert_nonnull (strstr (text, "[redacted]"));
        g_assert_nonnull (req);
      }
  g_assert_cmpuint (n_http, ==, 4);
  assert_no_secret ("run stdout", r.out, strlen (r.out), forms);
  assert_no_secret ("run stderr", r.err, strlen (r.err), forms);

  /* the validation too, in text with every call listed */
  iwb_cli_run (&v, NULL, NULL, "validate", f->folder, "--set", set_base, "--set-file", set_secret,
               "--show-http", "--record", cassette, NULL);
  g_assert_cmpint (v.status, ==, 0);
  g_assert_nonnull (strstr (v.out, "/tracker/api/projects → 401"));
  assert_no_secret ("validate stdout", v.out, strlen (v.out), forms);
  assert_no_secret ("validate stderr", v.err, strlen (v.err), forms);

  /* the history shows the calls, without the secret */
  iwb_cli_run (&h, NULL, NULL, "history", "show", "1", "--format", "json", NULL);
  g_assert_cmpint (h.status, ==, 0);
  g_assert_nonnull (strstr (h.out, "\"http\": ["));
  g_assert_nonnull (strstr (h.out, "/tracker/api/tickets"));
  assert_no_secret ("history show", h.out, strlen (h.out), forms);

  g_assert_true (g_file_test (cassette, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (har, G_FILE_TEST_IS_REGULAR));
  /* every file: cassette, HAR, history database (and its WAL), spills */
  assert_tree_has_no_secret (f->dir, forms, &n_files);
  g_assert_cmpuint (n_files, >=, 4);
}

/* Record with the service up, replay with it stopped: the same results. */
static void
test_record_replay (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *cassette = path_in (f, "replay.json");
  g_autofree char *base = g_strdup (iwb_demo_service_get_url (f->service));
  g_auto(IwbCliResult) rec = { 0 };
  g_auto(IwbCliResult) rep = { 0 };
  g_auto(IwbCliResult) strict = { 0 };
  g_auto(IwbCliResult) lenient = { 0 };
  g_autoptr(GPtrArray) recorded = NULL;
  g_autoptr(GPtrArray) replayed = NULL;
  g_autoptr(GPtrArray) failed = NULL;
  g_autoptr(GPtrArray) results_rec = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) results_rep = g_ptr_array_new_with_free_func (g_free);
  const char *record_args[] = { "--format", "jsonl", "--no-history", "--record", cassette, NULL };
  const char *replay_args[] = { "--format", "jsonl", "--no-history", "--replay", cassette, "--strict", NULL };
  const char *text_args[] = { "--no-history", "--replay", cassette, "--strict", NULL };
  const char *lenient_args[] = { "--no-history", "--replay", cassette, NULL };
  guint n_replayed = 0;
  gboolean found = FALSE;

  run_clients (f, &rec, base, "requests,urllib3,urllib,http.client", record_args);
  g_assert_cmpint (rec.status, ==, 0);
  iwb_demo_service_stop (f->service);

  run_clients (f, &rep, base, "requests,urllib3,urllib,http.client", replay_args);
  g_assert_cmpint (rep.status, ==, 0);
  recorded = parse_lines (rec.out);
  replayed = parse_lines (rep.out);
  for (guint i = 0; i < recorded->len; i++)
    if (g_str_equal (event_name (recorded->pdata[i]), "result"))
      g_ptr_array_add (results_rec, iwb_json_to_string (json_object_get_member (json_node_get_object (recorded->pdata[i]), "result"), FALSE));
  for (guint i = 0; i < replayed->len; i++)
    {
      if (g_str_equal (event_name (replayed->pdata[i]), "result"))
        g_ptr_array_add (results_rep, iwb_json_to_string (json_object_get_member (json_node_get_object (replayed->pdata[i]), "result"), FALSE));
      else if (g_str_equal (event_name (replayed->pdata[i]), "http"))
        {
          g_assert_true (json_object_get_boolean_member (http_of (replayed->pdata[i]), "replayed"));
          n_replayed++;
        }
    }
  g_assert_cmpuint (n_replayed, ==, 4);
  g_assert_cmpuint (results_rec->len, ==, 4);
  g_assert_cmpuint (results_rep->len, ==, results_rec->len);
  for (guint i = 0; i < results_rec->len; i++)
    g_assert_cmpstr (results_rep->pdata[i], ==, results_rec->pdata[i]);

  /* an unrecorded call, strict: fails naming method and URL */
  run_clients (f, &strict, base, "unrecorded", text_args);
  g_assert_cmpint (strict.status, ==, 1);
  g_assert_nonnull (strstr (strict.out, "GET "));
  g_assert_nonnull (strstr (strict.out, "/tracker/api/unrecorded → not recorded"));
  g_assert_nonnull (strstr (strict.out, "was not recorded in the cassette"));
  {
    g_auto(IwbCliResult) j = { 0 };

    run_clients (f, &j, base, "unrecorded", replay_args);
    failed = parse_lines (j.out);
    for (guint i = 0; i < failed->len; i++)
      if (g_str_equal (event_name (failed->pdata[i]), "http"))
        {
          JsonObject *err = json_object_get_object_member (http_of (failed->pdata[i]), "error");

          g_assert_nonnull (err);
          g_assert_cmpstr (json_object_get_string_member (err, "kind"), ==, "not_recorded");
          g_assert_nonnull (strstr (json_object_get_string_member (err, "message"), "was not recorded"));
          found = TRUE;
        }
    g_assert_true (found);
  }

  /* lenient: let through to the network (stopped: refused) and said so */
  run_clients (f, &lenient, base, "unrecorded", lenient_args);
  g_assert_cmpint (lenient.status, ==, 1);
  g_assert_nonnull (strstr (lenient.out, "Replay of"));
  g_assert_nonnull (strstr (lenient.out, "was not recorded in"));
  g_assert_nonnull (strstr (lenient.out, "sent to the network"));
}

/* A profile in replay mode: `--profile` replays unless a flag says
 * otherwise; `iwb profile show` says so. */
static void
test_profile_replay (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *cassette = path_in (f, "profile.json");
  g_autofree char *base = g_strdup (iwb_demo_service_get_url (f->service));
  g_autofree char *set_base = g_strdup_printf ("BASE=%s", base);
  g_auto(IwbCliResult) rec = { 0 };
  g_auto(IwbCliResult) save = { 0 };
  g_auto(IwbCliResult) show = { 0 };
  g_auto(IwbCliResult) rep = { 0 };
  g_auto(IwbCliResult) live = { 0 };
  g_auto(IwbCliResult) bad = { 0 };
  const char *record_args[] = { "--no-history", "--record", cassette, NULL };
  const char *profile_args[] = { "--no-history", "--profile", "demo", "--show-http", NULL };
  const char *override_args[] = { "--no-history", "--profile", "demo", "--no-capture", NULL };

  run_clients (f, &rec, iwb_demo_service_get_url (f->service), "urllib3", record_args);
  g_assert_cmpint (rec.status, ==, 0);
  iwb_cli_run (&save, NULL, NULL, "profile", "save", f->folder, "demo", "--set", set_base,
               "--replay", cassette, "--strict", NULL);
  g_assert_cmpint (save.status, ==, 0);
  iwb_cli_run (&show, NULL, NULL, "profile", "show", f->folder, "demo", NULL);
  g_assert_nonnull (strstr (show.out, "HTTP: replay from"));
  g_assert_nonnull (strstr (show.out, "(strict)"));
  iwb_demo_service_stop (f->service);

  /* the profile's mode: replayed with the service stopped */
  run_clients (f, &rep, base, "urllib3", profile_args);
  g_assert_cmpint (rep.status, ==, 0);
  g_assert_nonnull (strstr (rep.out, "Replay of"));
  g_assert_nonnull (strstr (rep.out, "(strict): 1 of 1 HTTP calls answered"));
  /* a flag wins: live, and the service is gone */
  run_clients (f, &live, base, "urllib3", override_args);
  g_assert_cmpint (live.status, ==, 1);
  g_assert_null (strstr (live.out, "Replay of"));
  /* one mode at a time */
  iwb_cli_run (&bad, NULL, NULL, "profile", "save", f->folder, "demo", "--live", "--replay", cassette, NULL);
  g_assert_cmpint (bad.status, ==, 64);
}

/* Usage problems are caught before anything runs. */
static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *missing = path_in (f, "no-such-cassette.json");
  g_autofree char *bad_dir = path_in (f, "no-such-dir/c.json");
  g_auto(IwbCliResult) both = { 0 };
  g_auto(IwbCliResult) strict = { 0 };
  g_auto(IwbCliResult) absent = { 0 };
  g_auto(IwbCliResult) nodir = { 0 };
  const char *both_args[] = { "--record", missing, "--replay", missing, NULL };
  const char *strict_args[] = { "--strict", NULL };
  const char *absent_args[] = { "--replay", missing, NULL };
  const char *nodir_args[] = { "--record", bad_dir, NULL };
  const char *base = iwb_demo_service_get_url (f->service);

  run_clients (f, &both, base, "urllib3", both_args);
  g_assert_cmpint (both.status, ==, 64);
  g_assert_nonnull (strstr (both.err, "--record and --replay"));
  run_clients (f, &strict, base, "urllib3", strict_args);
  g_assert_cmpint (strict.status, ==, 64);
  g_assert_nonnull (strstr (strict.err, "--strict"));
  run_clients (f, &absent, base, "urllib3", absent_args);
  g_assert_cmpint (absent.status, ==, 2);
  g_assert_nonnull (strstr (absent.out, "no-such-cassette.json"));
  g_assert_nonnull (strstr (absent.out, "does not exist"));
  run_clients (f, &nodir, base, "urllib3", nodir_args);
  g_assert_cmpint (nodir.status, ==, 2);
  g_assert_nonnull (strstr (nodir.out, "no-such-dir"));
  {
    g_auto(IwbCliResult) off = { 0 };
    g_auto(IwbCliResult) off_record = { 0 };
    const char *off_args[] = { "--no-capture", "--format", "jsonl", "--no-history", NULL };
    const char *off_record_args[] = { "--no-capture", "--record", missing, NULL };

    /* without the capture host: the same result, no http event */
    run_clients (f, &off, base, "urllib3", off_args);
    g_assert_cmpint (off.status, ==, 0);
    g_assert_nonnull (strstr (off.out, "\"status\":200"));
    g_assert_null (strstr (off.out, "\"event\":\"http\""));
    run_clients (f, &off_record, base, "urllib3", off_record_args);
    g_assert_cmpint (off_record.status, ==, 64);
    g_assert_nonnull (strstr (off_record.err, "--no-capture"));
  }
}

static void
assert_members (JsonObject  *o,
                const char  *where,
                const char **names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (!json_object_has_member (o, names[i]))
      g_error ("HAR: %s has no “%s”", where, names[i]);
}

/* --har writes HAR 1.2 with every required member. */
static void
test_har (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *har = path_in (f, "out.har");
  g_auto(IwbCliResult) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const char *more[] = { "--no-history", "--har", har, NULL };
  const char *log_m[] = { "version", "creator", "entries", NULL };
  const char *creator_m[] = { "name", "version", NULL };
  const char *entry_m[] = { "startedDateTime", "time", "request", "response", "cache", "timings", NULL };
  const char *req_m[] = { "method", "url", "httpVersion", "cookies", "headers", "queryString",
                          "headersSize", "bodySize", NULL };
  const char *resp_m[] = { "status", "statusText", "httpVersion", "cookies", "headers", "content",
                           "redirectURL", "headersSize", "bodySize", NULL };
  const char *content_m[] = { "size", "mimeType", NULL };
  const char *timings_m[] = { "send", "wait", "receive", NULL };
  JsonObject *log;
  JsonArray *entries;

  run_clients (f, &r, iwb_demo_service_get_url (f->service), "requests,urllib,refused", more);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "3 HTTP calls written to"));
  g_file_get_contents (har, &text, NULL, &error);
  g_assert_no_error (error);
  root = iwb_json_parse_full (text, -1, IWB_JSON_PARSE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  log = json_object_get_object_member (json_node_get_object (root), "log");
  g_assert_nonnull (log);
  assert_members (log, "log", log_m);
  g_assert_cmpstr (json_object_get_string_member (log, "version"), ==, "1.2");
  assert_members (json_object_get_object_member (log, "creator"), "log.creator", creator_m);
  entries = json_object_get_array_member (log, "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, 3);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *e = json_array_get_object_element (entries, i);
      g_autoptr(GDateTime) started = NULL;

      assert_members (e, "entry", entry_m);
      assert_members (json_object_get_object_member (e, "request"), "entry.request", req_m);
      assert_members (json_object_get_object_member (e, "response"), "entry.response", resp_m);
      assert_members (json_object_get_object_member (json_object_get_object_member (e, "response"), "content"),
                      "entry.response.content", content_m);
      assert_members (json_object_get_object_member (e, "timings"), "entry.timings", timings_m);
      started = g_date_time_new_from_iso8601 (json_object_get_string_member (e, "startedDateTime"), NULL);
      g_assert_nonnull (started);
    }
}

/* IwbRun itself: HTTP events, the exchanges list model (items-changed),
 * a bounded number kept, a malformed event line a warning. */
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
  g_autofree char *venv = path_in (f, "venv");
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
  run_clients (f, &r, iwb_demo_service_get_url (f->service), "urllib3", more);
  g_assert_cmpint (r.status, ==, 0);
  events = parse_lines (r.out);
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *o = json_node_get_object (events->pdata[i]);

      if (g_str_equal (event_name (events->pdata[i]), "http"))
        n_http++;
      else if (g_str_equal (event_name (events->pdata[i]), "log") &&
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
  g_autofree char *cassette = path_in (f, "session.json");
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
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("/http-capture/clients/http", test_clients, GINT_TO_POINTER (FALSE));
  ADD ("/http-capture/clients/https", test_clients, GINT_TO_POINTER (TRUE));
  ADD ("/http-capture/redaction", test_redaction, NULL);
  ADD ("/http-capture/record-replay", test_record_replay, NULL);
  ADD ("/http-capture/usage", test_usage, NULL);
  ADD ("/http-capture/profile-replay", test_profile_replay, NULL);
  ADD ("/http-capture/har", test_har, NULL);
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

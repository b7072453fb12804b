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
#include "test-capture-util.h"
#include "test-iwb-util.h"



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

      if (g_str_equal (capture_event_name (e), "http"))
        {
          JsonObject *h = capture_http_of (e);
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
      else if (g_str_equal (capture_event_name (e), "result"))
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

  capture_run_clients (f, &r, https ? iwb_demo_service_get_https_url (f->service)
                            : iwb_demo_service_get_url (f->service),
               "requests,urllib3,urllib,http.client,threads,refused", more);
  g_assert_cmpint (r.status, ==, 0);
  events = capture_parse_lines (r.out);
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
  g_autofree char *cassette = capture_path_in (f, "cassette.json");
  g_autofree char *har = capture_path_in (f, "calls.har");
  g_autofree char *set_base = g_strdup_printf ("BASE=%s", iwb_demo_service_get_url (f->service));
  g_autofree char *set_secret = g_strdup_printf ("API_KEY=%s", f->secret_file);
  g_auto(IwbCliResult) r = { 0 };
  g_auto(IwbCliResult) v = { 0 };
  g_auto(IwbCliResult) h = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  const char *more[] = { "--format", "jsonl", "--record", cassette, "--har", har, NULL };
  guint n_files = 0, n_http = 0;

  capture_run_clients (f, &r, iwb_demo_service_get_url (f->service), "requests,urllib3,urllib,http.client", more);
  g_assert_cmpint (r.status, ==, 0);
  events = capture_parse_lines (r.out);
  for (guint i = 0; i < events->len; i++)
    if (g_str_equal (capture_event_name (events->pdata[i]), "http"))
      {
        JsonObject *req = json_object_get_object_member (capture_http_of (events->pdata[i]), "request");
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
  g_autofree char *cassette = capture_path_in (f, "replay.json");
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

  capture_run_clients (f, &rec, base, "requests,urllib3,urllib,http.client", record_args);
  g_assert_cmpint (rec.status, ==, 0);
  iwb_demo_service_stop (f->service);

  capture_run_clients (f, &rep, base, "requests,urllib3,urllib,http.client", replay_args);
  g_assert_cmpint (rep.status, ==, 0);
  recorded = capture_parse_lines (rec.out);
  replayed = capture_parse_lines (rep.out);
  for (guint i = 0; i < recorded->len; i++)
    if (g_str_equal (capture_event_name (recorded->pdata[i]), "result"))
      g_ptr_array_add (results_rec, iwb_json_to_string (json_object_get_member (json_node_get_object (recorded->pdata[i]), "result"), FALSE));
  for (guint i = 0; i < replayed->len; i++)
    {
      if (g_str_equal (capture_event_name (replayed->pdata[i]), "result"))
        g_ptr_array_add (results_rep, iwb_json_to_string (json_object_get_member (json_node_get_object (replayed->pdata[i]), "result"), FALSE));
      else if (g_str_equal (capture_event_name (replayed->pdata[i]), "http"))
        {
          g_assert_true (json_object_get_boolean_member (capture_http_of (replayed->pdata[i]), "replayed"));
          n_replayed++;
        }
    }
  g_assert_cmpuint (n_replayed, ==, 4);
  g_assert_cmpuint (results_rec->len, ==, 4);
  g_assert_cmpuint (results_rep->len, ==, results_rec->len);
  for (guint i = 0; i < results_rec->len; i++)
    g_assert_cmpstr (results_rep->pdata[i], ==, results_rec->pdata[i]);

  /* an unrecorded call, strict: fails naming method and URL */
  capture_run_clients (f, &strict, base, "unrecorded", text_args);
  g_assert_cmpint (strict.status, ==, 1);
  g_assert_nonnull (strstr (strict.out, "GET "));
  g_assert_nonnull (strstr (strict.out, "/tracker/api/unrecorded → not recorded"));
  g_assert_nonnull (strstr (strict.out, "was not recorded in the cassette"));
  {
    g_auto(IwbCliResult) j = { 0 };

    capture_run_clients (f, &j, base, "unrecorded", replay_args);
    failed = capture_parse_lines (j.out);
    for (guint i = 0; i < failed->len; i++)
      if (g_str_equal (capture_event_name (failed->pdata[i]), "http"))
        {
          JsonObject *err = json_object_get_object_member (capture_http_of (failed->pdata[i]), "error");

          g_assert_nonnull (err);
          g_assert_cmpstr (json_object_get_string_member (err, "kind"), ==, "not_recorded");
          g_assert_nonnull (strstr (json_object_get_string_member (err, "message"), "was not recorded"));
          found = TRUE;
        }
    g_assert_true (found);
  }

  /* lenient: let through to the network (stopped: refused) and said so */
  capture_run_clients (f, &lenient, base, "unrecorded", lenient_args);
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
  g_autofree char *cassette = capture_path_in (f, "profile.json");
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

  capture_run_clients (f, &rec, iwb_demo_service_get_url (f->service), "urllib3", record_args);
  g_assert_cmpint (rec.status, ==, 0);
  iwb_cli_run (&save, NULL, NULL, "profile", "save", f->folder, "demo", "--set", set_base,
               "--replay", cassette, "--strict", NULL);
  g_assert_cmpint (save.status, ==, 0);
  iwb_cli_run (&show, NULL, NULL, "profile", "show", f->folder, "demo", NULL);
  g_assert_nonnull (strstr (show.out, "HTTP: replay from"));
  g_assert_nonnull (strstr (show.out, "(strict)"));
  iwb_demo_service_stop (f->service);

  /* the profile's mode: replayed with the service stopped */
  capture_run_clients (f, &rep, base, "urllib3", profile_args);
  g_assert_cmpint (rep.status, ==, 0);
  g_assert_nonnull (strstr (rep.out, "Replay of"));
  g_assert_nonnull (strstr (rep.out, "(strict): 1 of 1 HTTP calls answered"));
  /* a flag wins: live, and the service is gone */
  capture_run_clients (f, &live, base, "urllib3", override_args);
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
  g_autofree char *missing = capture_path_in (f, "no-such-cassette.json");
  g_autofree char *bad_dir = capture_path_in (f, "no-such-dir/c.json");
  g_auto(IwbCliResult) both = { 0 };
  g_auto(IwbCliResult) strict = { 0 };
  g_auto(IwbCliResult) absent = { 0 };
  g_auto(IwbCliResult) nodir = { 0 };
  const char *both_args[] = { "--record", missing, "--replay", missing, NULL };
  const char *strict_args[] = { "--strict", NULL };
  const char *absent_args[] = { "--replay", missing, NULL };
  const char *nodir_args[] = { "--record", bad_dir, NULL };
  const char *base = iwb_demo_service_get_url (f->service);

  capture_run_clients (f, &both, base, "urllib3", both_args);
  g_assert_cmpint (both.status, ==, 64);
  g_assert_nonnull (strstr (both.err, "--record and --replay"));
  capture_run_clients (f, &strict, base, "urllib3", strict_args);
  g_assert_cmpint (strict.status, ==, 64);
  g_assert_nonnull (strstr (strict.err, "--strict"));
  capture_run_clients (f, &absent, base, "urllib3", absent_args);
  g_assert_cmpint (absent.status, ==, 2);
  g_assert_nonnull (strstr (absent.out, "no-such-cassette.json"));
  g_assert_nonnull (strstr (absent.out, "does not exist"));
  capture_run_clients (f, &nodir, base, "urllib3", nodir_args);
  g_assert_cmpint (nodir.status, ==, 2);
  g_assert_nonnull (strstr (nodir.out, "no-such-dir"));
  {
    g_auto(IwbCliResult) off = { 0 };
    g_auto(IwbCliResult) off_record = { 0 };
    const char *off_args[] = { "--no-capture", "--format", "jsonl", "--no-history", NULL };
    const char *off_record_args[] = { "--no-capture", "--record", missing, NULL };

    /* without the capture host: the same result, no http event */
    capture_run_clients (f, &off, base, "urllib3", off_args);
    g_assert_cmpint (off.status, ==, 0);
    g_assert_nonnull (strstr (off.out, "\"status\":200"));
    g_assert_null (strstr (off.out, "\"event\":\"http\""));
    capture_run_clients (f, &off_record, base, "urllib3", off_record_args);
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
  g_autofree char *har = capture_path_in (f, "out.har");
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

  capture_run_clients (f, &r, iwb_demo_service_get_url (f->service), "requests,urllib,refused", more);
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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, capture_fixture_setup, func, capture_fixture_teardown)
  ADD ("/http-capture/clients/http", test_clients, GINT_TO_POINTER (FALSE));
  ADD ("/http-capture/clients/https", test_clients, GINT_TO_POINTER (TRUE));
  ADD ("/http-capture/redaction", test_redaction, NULL);
  ADD ("/http-capture/record-replay", test_record_replay, NULL);
  ADD ("/http-capture/usage", test_usage, NULL);
  ADD ("/http-capture/profile-replay", test_profile_replay, NULL);
  ADD ("/http-capture/har", test_har, NULL);
#undef ADD
  return g_test_run ();
}

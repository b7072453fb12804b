/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `iwb validate`, `iwb run` and `iwb demo-service` end to end: the built
 * binary on the examples, against the demo service served by this process.
 */
#include "config.h"

#include <string.h>

#include "iwb-core.h"
#include "test-iwb-util.h"

static IwbDemoService *service;
static char *tmpdir;
static char *token_file;
static char *password_file;

static char *
example (const char *name)
{
  return g_build_filename (g_getenv ("IWB_SOURCE_ROOT"), "examples", name, NULL);
}

/* Runs iwb in the scratch folder with @args (NULL-terminated), feeding @input on stdin. */
#define iwb(r, input, ...) iwb_cli_run ((r), tmpdir, (input), __VA_ARGS__)

static char *
set_url (const char *id)
{
  return g_strdup_printf ("%s=%s", id, iwb_demo_service_get_url (service));
}

/* Every line of @out is a JSON object; returns them. */
static GPtrArray *
json_lines (const char *out)
{
  GPtrArray *objs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      JsonNode *node;

      if (lines[i][0] == '\0')
        continue;
      node = json_from_string (lines[i], &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_ptr_array_add (objs, node);
    }
  return objs;
}

static JsonObject *
find_event (GPtrArray  *objs,
            const char *event,
            guint       nth)
{
  for (guint i = 0; i < objs->len; i++)
    {
      JsonObject *o = json_node_get_object (objs->pdata[i]);

      if (g_strcmp0 (json_object_get_string_member (o, "event"), event) == 0 && nth-- == 0)
        return o;
    }
  return NULL;
}

/* ---------------------------------------------------------------------- */

static void
test_validate_chat (void)
{
  g_autofree char *folder = example ("chat-notify");
  g_autofree char *url = set_url ("CHAT_URL");
  g_autofree char *tok = g_strdup_printf ("CHAT_TOKEN=%s", token_file);
  g_auto(IwbCliResult) ok = { 0 };
  g_auto(IwbCliResult) bad = { 0 };
  g_auto(IwbCliResult) missing = { 0 };
  g_auto(IwbCliResult) json = { 0 };
  g_autoptr(GPtrArray) objs = NULL;
  guint before = iwb_demo_service_get_request_count (service);

  iwb (&ok, NULL, "validate", folder, "--set", url, "--set-file", tok, NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_nonnull (strstr (ok.out, "The connection is valid"));
  g_assert_cmpuint (iwb_demo_service_get_request_count (service), ==, before + 1);

  iwb (&bad, NULL, "validate", folder, "--set", url, "--set", "CHAT_TOKEN=wrong", NULL);
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_nonnull (strstr (bad.out, "Validation errors"));
  g_assert_nonnull (strstr (bad.out, "CHAT_TOKEN: The chat service rejected the token (401)"));

  /* missing values are found locally, all at once, without Python */
  iwb (&missing, NULL, "validate", folder, NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.out, "no process was started"));
  g_assert_nonnull (strstr (missing.out, "CHAT_URL: Parameter must be defined"));
  g_assert_nonnull (strstr (missing.out, "CHAT_TOKEN: Parameter must be defined"));

  iwb (&json, NULL, "validate", folder, "--set", url, "--set-file", tok, "--format", "json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  objs = json_lines (json.out);
  g_assert_nonnull (find_event (objs, "finished", 0));
  g_assert_cmpint (json_object_get_int_member (find_event (objs, "finished", 0), "exit_code"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (find_event (objs, "finished", 0), "status"), ==, "succeeded");
}

static void
test_validate_tracker_overrides (void)
{
  g_autofree char *folder = example ("ticket-tracker");
  g_autofree char *url = set_url ("TRACKER_URL");
  g_autofree char *pw = g_strdup_printf ("TRACKER_PASSWORD=%s", password_file);
  g_auto(IwbCliResult) text = { 0 };
  g_auto(IwbCliResult) json = { 0 };
  g_auto(IwbCliResult) wrong = { 0 };
  g_autoptr(GPtrArray) objs = NULL;
  JsonObject *ov;
  g_autofree char *ov_text = NULL;

  iwb (&text, NULL, "validate", folder, "--set", url, "--set", "TRACKER_USER=demo", "--set-file", pw, NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "Dynamic overrides"));
  g_assert_nonnull (strstr (text.out, "--show-overrides shows what changed"));
  g_assert_nonnull (strstr (text.out, "Operations (OPS)"));

  iwb (&json, NULL, "validate", folder, "--set", url, "--set", "TRACKER_USER=demo", "--set-file", pw,
       "--format", "json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  objs = json_lines (json.out);
  ov = find_event (objs, "overrides", 0);
  g_assert_nonnull (ov);
  {
    g_autoptr(JsonNode) n = json_node_alloc ();
    json_node_init_array (n, json_object_get_array_member (ov, "actionOverrides"));
    ov_text = json_to_string (n, FALSE);
  }
  g_assert_nonnull (strstr (ov_text, "{\"label\":\"Security (SEC)\",\"value\":\"SEC\"}"));

  iwb (&wrong, NULL, "validate", folder, "--set", url, "--set", "TRACKER_USER=demo",
       "--set", "TRACKER_PASSWORD=nope", NULL);
  g_assert_cmpint (wrong.status, ==, 1);
  g_assert_nonnull (strstr (wrong.out, "TRACKER_PASSWORD: Wrong user name or password"));
}

static void
test_validate_action (void)
{
  g_autofree char *folder = example ("ticket-tracker");
  g_autofree char *url = set_url ("TRACKER_URL");
  g_auto(IwbCliResult) r = { 0 };
  g_auto(IwbCliResult) bad = { 0 };

  iwb (&r, NULL, "validate", folder, "--action", "Create ticket", "--set", url,
       "--set", "TRACKER_USER=demo", "--set", "TRACKER_PASSWORD=x", "--set", "PROJECT=OPS", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "The inputs of main.create_ticket are valid"));

  iwb (&bad, NULL, "validate", folder, "--action", "main.search_tickets", "--set", url,
       "--set", "TRACKER_USER=demo", "--set", "TRACKER_PASSWORD=x", "--set", "MAX_RESULTS=many", NULL);
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_nonnull (strstr (bad.out, "MAX_RESULTS: could not convert string to float: 'many'"));
}

static void
test_run_chat (void)
{
  g_autofree char *folder = example ("chat-notify");
  g_autofree char *url = set_url ("CHAT_URL");
  g_autofree char *tok = g_strdup_printf ("CHAT_TOKEN=%s", token_file);
  g_auto(IwbCliResult) text = { 0 };
  g_auto(IwbCliResult) jsonl = { 0 };
  g_auto(IwbCliResult) once = { 0 };
  g_autoptr(GPtrArray) objs = NULL;
  JsonObject *fin;
  JsonObject *res;

  iwb (&text, "channel,severity,title\nalerts,high,Phishing wave\ngeneral,low,\"Lunch, ready\"\n",
       "run", folder, "main.post_message", "--set", url, "--set-file", tok, "--input", "-",
       "--template", "message=[{{ severity }}] {{ title }}", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "Results (2)"));
  g_assert_nonnull (strstr (text.out, "[high] Phishing wave"));
  g_assert_nonnull (strstr (text.out, "[low] Lunch, ready"));
  g_assert_nonnull (strstr (text.out, "2 rows in, 2 results, 0 row errors"));

  iwb (&jsonl, "{\"ch\": \"random\", \"t\": \"x\"}\n", "run", folder, "Post message", "--set", url,
       "--set-file", tok, "--input", "-", "--map", "channel=ch", "--template", "message={{ t }}!",
       "--format", "jsonl", NULL);
  g_assert_cmpint (jsonl.status, ==, 0);
  objs = json_lines (jsonl.out);
  res = find_event (objs, "result", 0);
  g_assert_nonnull (res);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (res, "result"), "text"), ==, "x!");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (res, "input_row"), "ch"), ==, "random");
  fin = find_event (objs, "finished", 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (fin, "counts"), "rows_in"), ==, 1);
  /* the last line is the end of the run */
  g_assert_true (json_node_get_object (objs->pdata[objs->len - 1]) == fin);

  {
    /* A row without the argument's column: the SDK's row error, and how to map it. */
    g_auto(IwbCliResult) unmapped = { 0 };

    iwb (&unmapped, "{\"ch\": \"random\", \"t\": \"x\"}\n", "run", folder, "Post message",
         "--set", url, "--set-file", tok, "--input", "-", "--template", "message={{ t }}", NULL);
    g_assert_cmpint (unmapped.status, ==, 1);
    g_assert_nonnull (strstr (unmapped.out, "Column 'channel' is not present in the data"));
    g_assert_nonnull (strstr (unmapped.out, "--map ARG=COLUMN names another one"));
    g_assert_nonnull (strstr (unmapped.out, "1 row in, 0 results, 1 row error ("));
  }

  iwb (&once, NULL, "run", folder, "List channels", "--set", url, "--set-file", tok, NULL);
  g_assert_cmpint (once.status, ==, 0);
  g_assert_nonnull (strstr (once.out, "alerts"));
  g_assert_nonnull (strstr (once.out, "Security alerts from the SOC"));
}

static void
test_run_tracker (void)
{
  g_autofree char *folder = example ("ticket-tracker");
  g_autofree char *url = set_url ("TRACKER_URL");
  g_autofree char *pw = g_strdup_printf ("TRACKER_PASSWORD=%s", password_file);
  g_autofree char *ids = g_build_filename (tmpdir, "ids.json", NULL);
  g_autofree char *csv = g_build_filename (tmpdir, "new.csv", NULL);
  g_auto(IwbCliResult) create = { 0 };
  g_auto(IwbCliResult) search = { 0 };
  g_auto(IwbCliResult) get = { 0 };
  g_auto(IwbCliResult) export = { 0 };

  g_assert_true (g_file_set_contents (csv, "title,description\nDisk full,on build-02\nPrinter jam,\n", -1, NULL));
  iwb (&create, NULL, "run", folder, "main.create_ticket", "--set", url, "--set", "TRACKER_USER=demo",
       "--set-file", pw, "--set", "PROJECT=OPS", "--input", csv, NULL);
  g_assert_cmpint (create.status, ==, 0);
  g_assert_nonnull (strstr (create.out, "2 rows in, 2 results"));

  /* the tracker rate-limits twice: the example waits and retries */
  iwb_demo_service_set_rate_limit (service, 2, 1);
  iwb (&search, "{\"query\": \"disk\"}\n", "run", folder, "Search tickets", "--set", url,
       "--set", "TRACKER_USER=demo", "--set-file", pw, "--input", "-", NULL);
  g_assert_cmpint (search.status, ==, 0);
  g_assert_nonnull (strstr (search.out, "Disk full"));
  g_assert_nonnull (strstr (search.out, "Disk almost full on build server"));
  g_assert_nonnull (strstr (search.out, "rate limited by the tracker"));

  g_assert_true (g_file_set_contents (ids, "[{\"ticket_id\": \"1\"}, {\"ticket_id\": \"99\"}]", -1, NULL));
  iwb (&get, NULL, "run", folder, "main.get_ticket", "--set", url, "--set", "TRACKER_USER=demo",
       "--set-file", pw, "--input", ids, NULL);
  g_assert_cmpint (get.status, ==, 1);
  g_assert_nonnull (strstr (get.out, "Row errors (1)"));
  g_assert_nonnull (strstr (get.out, "row 2: RuntimeError: tracker answered 404 for GET tickets/99: ticket 99 not found"));
  g_assert_nonnull (strstr (get.out, "Phishing mail reported by finance"));

  iwb (&export, NULL, "run", folder, "main.export_tickets", "--set", url, "--set", "TRACKER_USER=demo",
       "--set-file", pw, "--files-dir", tmpdir, NULL);
  g_assert_cmpint (export.status, ==, 0);
  g_assert_nonnull (strstr (export.out, "File produced: "));
  g_assert_nonnull (strstr (export.out, tmpdir));
}

/* An encryptedFile parameter's value names a file; the integration prints
 * and returns what the file holds: that content is a secret in iwb's
 * output and in the history as much as the path is. */
static void
test_encrypted_file_content (void)
{
  g_autofree char *folder = g_build_filename (tmpdir, "vault-int", NULL);
  g_autofree char *key_file = g_build_filename (tmpdir, "vault.key", NULL);
  g_autofree char *set_key = g_strdup_printf ("VAULT=%s", key_file);
  g_auto(IwbCliResult) run = { 0 };
  g_auto(IwbCliResult) json = { 0 };
  g_auto(IwbCliResult) show = { 0 };
  g_auto(IwbCliResult) list = { 0 };
  g_autofree char *id = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  iwb_test_write_file (folder, "main.py",
                       "from lhub_integ import action\n"
                       "from lhub_integ.params import ConnectionParam, InputType\n"
                       "VAULT = ConnectionParam('VAULT', input_type=InputType.ENCRYPTED_FILE)\n"
                       "@action('Open')\n"
                       "def open_vault(x):\n"
                       "    lines = open(VAULT.read()).read().splitlines()\n"
                       "    print('opening with', lines[0])\n"
                       "    return {'first': lines[0], 'key': lines[2]}\n");
  g_assert_true (g_file_set_contents (key_file, "Vault-Passphrase-81x\n\nMIIEvQIBADANBgkqhkiG9w0BAQEF\n", -1, NULL));

  iwb (&run, "{\"x\": 1}\n", "run", folder, "main.open_vault", "--set", set_key, "--input", "-", NULL);
  g_assert_cmpint (run.status, ==, 0);
  iwb (&json, "{\"x\": 1}\n", "run", folder, "main.open_vault", "--set", set_key, "--input", "-",
       "--format", "jsonl", NULL);
  g_assert_cmpint (json.status, ==, 0);
  iwb (&list, NULL, "history", "list", folder, "--format", "jsonl", "--limit", "1", NULL);
  g_assert_cmpint (list.status, ==, 0);
  {
    g_autoptr(JsonNode) entry = json_from_string (list.out, NULL);

    g_assert_nonnull (entry);
    id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (json_node_get_object (entry), "id"));
  }
  iwb (&show, NULL, "history", "show", id, "--format", "json", NULL);
  g_assert_cmpint (show.status, ==, 0);
  for (const char * const *where = (const char *[]) { run.out, run.err, json.out, json.err, show.out, NULL };
       *where != NULL; where++)
    {
      g_assert_null (strstr (*where, "Vault-Passphrase-81x"));
      g_assert_null (strstr (*where, "MIIEvQIBADANBgkqhkiG9w0BAQEF"));
    }
  g_assert_nonnull (strstr (run.out, "opening with"));
}

/* The integration's environment is the same with and without the capture: the
 * host's variables (IWB_EVENTS_FD, IWB_HOST_SPEEDUPS...) are the launcher's
 * alone. From the build tree, the capture child runs the C accelerator
 * built beside it (iwb_host/_speedups.c) when the build has one. */
static void
test_environment_of_the_integration (void)
{
  g_autofree char *folder = g_build_filename (tmpdir, "env-int", NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  iwb_test_write_file (folder, "main.py",
                       "import os, sys\n"
                       "from lhub_integ import action\n"
                       "@action('Env')\n"
                       "def env(x):\n"
                       "    hooks = sys.modules.get('iwb_host.hooks')\n"
                       "    speedups = getattr(hooks, '_SPEEDUPS', None)\n"
                       "    return {'iwb': sorted(k for k in os.environ if k.startswith('IWB_')),\n"
                       "            'captured': hooks is not None,\n"
                       "            'accelerated': speedups is not None}\n");
  for (guint capture = 0; capture < 2; capture++)
    {
      g_auto(IwbCliResult) run = { 0 };
      g_autoptr(GPtrArray) events = NULL;
      JsonObject *result;

      if (capture)
        iwb (&run, "{\"x\": 1}\n", "run", folder, "main.env", "--input", "-", "--format", "jsonl", NULL);
      else
        iwb (&run, "{\"x\": 1}\n", "run", folder, "main.env", "--input", "-", "--format", "jsonl",
             "--no-capture", NULL);
      g_assert_cmpint (run.status, ==, 0);
      events = json_lines (run.out);
      g_assert_nonnull (find_event (events, "result", 0));
      result = json_object_get_object_member (find_event (events, "result", 0), "result");
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "iwb")), ==, 0);
      g_assert_cmpint (json_object_get_boolean_member (result, "captured"), ==, capture);
      if (!capture)
        g_assert_false (json_object_get_boolean_member (result, "accelerated"));
      else if (g_getenv ("IWB_TEST_SPEEDUPS_BUILT") != NULL)
        g_assert_true (json_object_get_boolean_member (result, "accelerated"));
    }
}

static void
test_exit_codes (void)
{
  g_autofree char *folder = example ("chat-notify");
  g_autofree char *misbehave = g_test_build_filename (G_TEST_DIST, "run-fixtures", "misbehave", NULL);
  g_autofree char *nowhere = g_build_filename (tmpdir, "no-such-folder", NULL);
  g_auto(IwbCliResult) help = { 0 };
  g_auto(IwbCliResult) run_help = { 0 };
  g_auto(IwbCliResult) unknown_action = { 0 };
  g_auto(IwbCliResult) bad_option = { 0 };
  g_auto(IwbCliResult) bad_set = { 0 };
  g_auto(IwbCliResult) bad_map = { 0 };
  g_auto(IwbCliResult) no_folder = { 0 };
  g_auto(IwbCliResult) bad_input = { 0 };
  g_auto(IwbCliResult) timeout = { 0 };
  g_auto(IwbCliResult) hard = { 0 };

  iwb (&help, NULL, "validate", "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "Exit status:"));
  g_assert_nonnull (strstr (help.out, "64  usage error"));
  g_assert_nonnull (strstr (help.out, "iwb validate [OPTION…] FOLDER"));
  iwb (&run_help, NULL, "run", "--help", NULL);
  g_assert_nonnull (strstr (run_help.out, "iwb run [OPTION…] FOLDER ACTION"));
  g_assert_cmpint (run_help.status, ==, 0);
  g_assert_nonnull (strstr (run_help.out, "3   timed out"));
  g_assert_nonnull (strstr (run_help.out, "130: Ctrl+C"));
  g_assert_nonnull (strstr (run_help.out, "--template"));

  iwb (&unknown_action, NULL, "run", folder, "main.nope", NULL);
  g_assert_cmpint (unknown_action.status, ==, 64);
  g_assert_nonnull (strstr (unknown_action.err, "main.post_message"));
  iwb (&bad_option, NULL, "run", folder, NULL);
  g_assert_cmpint (bad_option.status, ==, 64);
  iwb (&bad_set, NULL, "validate", folder, "--set", "NOT_A_PARAM=1", NULL);
  g_assert_cmpint (bad_set.status, ==, 64);
  g_assert_nonnull (strstr (bad_set.err, "CHAT_URL"));
  iwb (&bad_map, NULL, "run", folder, "main.post_message", "--map", "nope=x", NULL);
  g_assert_cmpint (bad_map.status, ==, 64);
  g_assert_nonnull (strstr (bad_map.err, "channel"));
  {
    /* A --set without "=" may be a pasted secret: the message never repeats
     * it; the other options show their own syntax. */
    g_auto(IwbCliResult) set_no_id = { 0 };
    g_auto(IwbCliResult) map_no_eq = { 0 };
    g_auto(IwbCliResult) file_no_eq = { 0 };

    iwb (&set_no_id, NULL, "validate", folder, "--set", "s3cret-token", NULL);
    g_assert_cmpint (set_no_id.status, ==, 64);
    g_assert_null (strstr (set_no_id.err, "s3cret"));
    g_assert_nonnull (strstr (set_no_id.err, "expected ID=VALUE"));
    iwb (&map_no_eq, NULL, "run", folder, "main.post_message", "--map", "channel", NULL);
    g_assert_cmpint (map_no_eq.status, ==, 64);
    g_assert_nonnull (strstr (map_no_eq.err, "--map “channel”: expected ARG=COLUMN"));
    iwb (&file_no_eq, NULL, "validate", folder, "--set-file", "CHAT_TOKEN", NULL);
    g_assert_cmpint (file_no_eq.status, ==, 64);
    g_assert_nonnull (strstr (file_no_eq.err, "expected ID=PATH"));
  }
  iwb (&bad_input, "a,b\n1\n", "run", folder, "main.post_message", "--input", "-", NULL);
  g_assert_cmpint (bad_input.status, ==, 64);
  g_assert_nonnull (strstr (bad_input.err, "stdin:2: row 1 has 1 fields"));

  iwb (&no_folder, NULL, "validate", nowhere, NULL);
  g_assert_cmpint (no_folder.status, ==, 2);
  g_assert_nonnull (strstr (no_folder.err, "no-such-folder"));

  /* long enough for Python to start and print on a busy machine */
  iwb (&timeout, NULL, "run", misbehave, "main.sleep_forever", "--timeout", "4", NULL);
  g_assert_cmpint (timeout.status, ==, 3);
  g_assert_nonnull (strstr (timeout.out, "Timed out after 4 s"));
  g_assert_nonnull (strstr (timeout.out, "the hang"));

  iwb (&hard, NULL, "run", misbehave, "main.exit_three", NULL);
  g_assert_cmpint (hard.status, ==, 2);
  g_assert_nonnull (strstr (hard.out, "Last error output: leaving with 3"));
}

static void
test_demo_service_command (void)
{
  g_autofree char *path = iwb_cli_path ();
  const char *argv[] = { path, "demo-service", "--port", "0", NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));
  /* Ctrl+C ends it cleanly */
  g_subprocess_send_signal (proc, SIGINT);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

/* libsoup (and what it brings) is loaded by the commands that speak HTTP
 * themselves, not at every start (iwb-soup.h): the dynamic loader's own
 * account of what it loads, with glib as the control. */
static void
test_start_without_libsoup (void)
{
  g_auto(IwbCliResult) r = { 0 };

  g_setenv ("LD_DEBUG", "libs", TRUE);
  iwb_cli_run (&r, NULL, NULL, "--version", NULL);
  g_unsetenv ("LD_DEBUG");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "libglib-2.0.so"));
  g_assert_null (strstr (r.err, "libsoup"));
}

/* Ctrl+C while an action hangs: the process tree dies, the results that
 * came before and the cancelled run are in the output, and iwb dies of
 * SIGINT (the shell sees 130). */
static void
test_interrupt (void)
{
  g_autofree char *path = iwb_cli_path ();
  g_autofree char *misbehave = g_test_build_filename (G_TEST_DIST, "run-fixtures", "misbehave", NULL);
  const char *argv[] = { path, "run", misbehave, "main.sleep_forever", "--format", "jsonl", NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  gboolean sleeping = FALSE;
  char *line;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  while (!sleeping && (line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL)
    {
      sleeping = strstr (line, "going to sleep") != NULL;
      g_string_append_printf (seen, "%s\n", line);
      g_free (line);
    }
  g_assert_no_error (error);
  g_assert_true (sleeping);
  g_subprocess_send_signal (proc, SIGINT);
  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL)
    {
      g_string_append_printf (seen, "%s\n", line);
      g_free (line);
    }
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (proc));
  g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGINT);
  g_assert_nonnull (strstr (seen->str, "\"before\":\"the hang\""));
  g_assert_nonnull (strstr (seen->str, "\"status\":\"cancelled\""));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmpdir = g_dir_make_tmp ("iwb-test-cli-run-XXXXXX", &error);
  g_assert_no_error (error);
  token_file = g_build_filename (tmpdir, "chat-token.txt", NULL);
  password_file = g_build_filename (tmpdir, "tracker-password.txt", NULL);
  g_assert_true (g_file_set_contents (token_file, IWB_DEMO_CHAT_TOKEN "\n", -1, NULL));
  g_assert_true (g_file_set_contents (password_file, IWB_DEMO_TRACKER_PASSWORD "\n", -1, NULL));
  iwb_test_use_private_xdg (tmpdir);
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);
  g_setenv ("NO_PROXY", "127.0.0.1,localhost", TRUE);

  service = iwb_demo_service_new ();
  if (!iwb_demo_service_start (service, 0, &error))
    g_error ("%s", error->message);

  g_test_add_func ("/cli-run/validate/chat", test_validate_chat);
  g_test_add_func ("/cli-run/validate/tracker-overrides", test_validate_tracker_overrides);
  g_test_add_func ("/cli-run/validate/action", test_validate_action);
  g_test_add_func ("/cli-run/run/chat", test_run_chat);
  g_test_add_func ("/cli-run/run/tracker", test_run_tracker);
  g_test_add_func ("/cli-run/encrypted-file-content", test_encrypted_file_content);
  g_test_add_func ("/cli-run/exit-codes", test_exit_codes);
  g_test_add_func ("/cli-run/environment", test_environment_of_the_integration);
  g_test_add_func ("/cli-run/demo-service", test_demo_service_command);
  g_test_add_func ("/cli-run/interrupt", test_interrupt);
  g_test_add_func ("/cli-run/start-without-libsoup", test_start_without_libsoup);
  ret = g_test_run ();

  g_object_unref (service);
  iwb_test_remove_tree (tmpdir);
  return ret;
}

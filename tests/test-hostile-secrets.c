/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Secret values with backslashes, quotes, tabs, line breaks, non-ASCII, %,
 * + and spaces, very short and very long: every form Python gives them
 * (and each line of one with line breaks, as a log shows it)
 * (computed by Python itself: raw, json.dumps both ways, repr of the str and
 * of its bytes, unicode_escape, URL with %20 and +, base64 both alphabets,
 * each again inside json.dumps and repr, and a repr inside json.dumps) is
 *  - replaced by iwb_redact_text() with the needles of iwb_redact_needles_new(),
 *  - absent from stdout and stderr of `iwb validate` and `iwb run` (text and
 *    JSON) when tests/hostile-fixtures/secrets prints, logs, raises and
 *    returns all of them. */
#include "config.h"

#include "iwb-core.h"
#include "test-iwb-util.h"

static const char *secrets[] = {
  "a\\b\"c'd\te9Q",
  "line1\nline2Zq",
  "first line\r\nsecond\rthird\n",
  "p\xc3\xa4ssw\xc3\xb6rd\xe2\x82\xac\xe2\x9c\x93",  /* pässwörd€✓ */
  "p%20a+s s%2Bw/x",
  "\xce\xa9%",                                        /* Ω%: two characters */
  "{\"k\": \"v\"}\\u00e9\x01\x7f\xc2\xa0\xf0\x9f\x94\x91",
  NULL, /* the long one, made in main () */
};

/* The forms Python gives @secret (the fixture's forms()), as a strv. */
static GStrv
python_forms (const char *secret)
{
  const char *python = g_getenv ("IWB_PYTHON") ? g_getenv ("IWB_PYTHON") : "python3";
  const char *script =
    "import base64, json, re, sys, urllib.parse\n"
    "s = sys.stdin.buffer.read().decode()\n"
    "lines = [l for l in re.split(r'\\r\\n|\\r|\\n', s) if l] if re.search(r'[\\r\\n]', s) else []\n"
    "base = lines + [s, json.dumps(s)[1:-1], json.dumps(s, ensure_ascii=False)[1:-1], repr(s)[1:-1],\n"
    "        repr(s.encode())[2:-1], s.encode('unicode_escape').decode(),\n"
    "        urllib.parse.quote(s, safe=''), urllib.parse.quote(s), urllib.parse.quote_plus(s),\n"
    "        base64.b64encode(s.encode()).decode(), base64.urlsafe_b64encode(s.encode()).decode()]\n"
    "more = [json.dumps(f)[1:-1] for f in base] + [repr(f)[1:-1] for f in base]\n"
    "more += [json.dumps(repr(f)[1:-1])[1:-1] for f in base]\n"
    "print(json.dumps(sorted(set(base + more))))\n";
  const char *argv[] = { python, "-c", script, NULL };
  g_autoptr(GSubprocess) p = NULL;
  g_autoptr(GBytes) in = g_bytes_new (secret, strlen (secret));
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  JsonArray *array;

  p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate (p, in, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  node = json_from_string (g_bytes_get_data (out, NULL), &error);
  g_assert_no_error (error);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (*json_array_get_string_element (array, i) != '\0')
      g_strv_builder_add (b, json_array_get_string_element (array, i));
  return g_strv_builder_end (b);
}

static void
test_needles (gconstpointer data)
{
  const char *secret = data;
  g_auto(GStrv) forms = python_forms (secret);
  const char *list[] = { secret, NULL };
  g_autoptr(GPtrArray) needles = iwb_redact_needles_new (list);

  g_assert_cmpuint (g_strv_length (forms), >=, 3);
  for (guint i = 0; forms[i] != NULL; i++)
    {
      g_autofree char *text = g_strdup_printf ("<<%s>> and again %s.", forms[i], forms[i]);
      g_autofree char *red = iwb_redact_text (needles, text, "[secret]");
      g_autofree char *shown = g_strescape (forms[i], NULL);

      g_test_message ("form %s", shown);
      g_assert_nonnull (red);
      g_assert_null (strstr (red, forms[i]));
      g_assert_nonnull (strstr (red, "[secret]"));
    }
  /* and nothing else */
  {
    g_autofree char *red = iwb_redact_text (needles, "nothing to hide here", "[secret]");

    g_assert_null (red);
  }
}

static void
assert_hidden (const char         *what,
               const char         *text,
               const char * const *forms)
{
  for (guint i = 0; forms[i] != NULL; i++)
    if (strstr (text, forms[i]) != NULL)
      g_error ("%s shows the secret as “%s”:\n%s", what, forms[i], text);
}

static void
test_cli (gconstpointer data)
{
  const char *secret = data;
  g_auto(GStrv) forms = python_forms (secret);
  g_autofree char *tmp = g_dir_make_tmp ("iwb-hostile-secrets-XXXXXX", NULL);
  g_autofree char *pw = g_build_filename (tmp, "pw", NULL);
  g_autofree char *rows = g_build_filename (tmp, "rows.jsonl", NULL);
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "hostile-fixtures", "secrets", NULL);
  g_autofree char *assign = g_strdup_printf ("PASSWORD=%s", pw);
  const char *formats[] = { "text", "json" };

  iwb_test_use_private_xdg (tmp);
  g_assert_true (g_file_set_contents (pw, secret, -1, NULL));
  g_assert_true (g_file_set_contents (rows, "{\"word\": \"hi\"}\n{\"word\": \"boom\"}\n", -1, NULL));
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_auto(IwbCliResult) validate = { 0 };
      g_auto(IwbCliResult) run = { 0 };

      iwb_cli_run (&validate, NULL, NULL, "validate", folder, "--set-file", assign,
                   "--format", formats[f], NULL);
      g_assert_cmpint (validate.status, ==, 1);
      g_assert_nonnull (strstr (validate.out, "[secret]"));
      assert_hidden ("iwb validate (stdout)", validate.out, (const char * const *) forms);
      assert_hidden ("iwb validate (stderr)", validate.err, (const char * const *) forms);
      iwb_cli_run (&run, NULL, NULL, "run", folder, "main.echo", "--set-file", assign,
                   "--input", rows, "--format", f == 0 ? "text" : "jsonl", NULL);
      g_assert_nonnull (strstr (run.out, "[secret]"));
      g_assert_nonnull (strstr (run.out, "hi"));
      assert_hidden ("iwb run (stdout)", run.out, (const char * const *) forms);
      assert_hidden ("iwb run (stderr)", run.err, (const char * const *) forms);
    }
  /* the run history holds none of them either (strings, as stored) */
  {
    g_auto(IwbCliResult) show = { 0 };

    iwb_cli_run (&show, NULL, NULL, "history", "show", "2", "--format", "json", NULL);
    g_assert_cmpint (show.status, ==, 0);
    assert_hidden ("iwb history show", show.out, (const char * const *) forms);
  }
  iwb_test_remove_tree (tmp);
}

/* Events the integration writes itself on fd 3 bypass the child's
 * redaction: the run redacts them again, so neither the output, the HAR
 * nor the history shows the secret; malformed ones are skipped with a
 * warning. */
static void
test_forged_events (void)
{
  const char *secret = "f0rged \"pw\\ %+\xc3\xa9";
  g_auto(GStrv) forms = python_forms (secret);
  g_autofree char *tmp = g_dir_make_tmp ("iwb-hostile-secrets-XXXXXX", NULL);
  g_autofree char *pw = g_build_filename (tmp, "pw", NULL);
  g_autofree char *har = g_build_filename (tmp, "calls.har", NULL);
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "hostile-fixtures", "forged-events", NULL);
  g_autofree char *assign = g_strdup_printf ("PASSWORD=%s", pw);
  g_autofree char *har_text = NULL;
  g_auto(IwbCliResult) r = { 0 };
  g_auto(IwbCliResult) show = { 0 };

  iwb_test_use_private_xdg (tmp);
  g_assert_true (g_file_set_contents (pw, secret, -1, NULL));
  iwb_cli_run (&r, NULL, NULL, "validate", folder, "--set-file", assign, "--har", har,
               "--show-http", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "http://x.test/?p=[secret]"));
  g_assert_nonnull (strstr (r.out, "not understood"));
  assert_hidden ("iwb validate (stdout)", r.out, (const char * const *) forms);
  assert_hidden ("iwb validate (stderr)", r.err, (const char * const *) forms);
  g_assert_true (g_file_get_contents (har, &har_text, NULL, NULL));
  g_assert_nonnull (strstr (har_text, "x.test"));
  assert_hidden ("the HAR file", har_text, (const char * const *) forms);
  iwb_cli_run (&show, NULL, NULL, "history", "show", "1", "--format", "json", NULL);
  g_assert_cmpint (show.status, ==, 0);
  g_assert_nonnull (strstr (show.out, "x.test"));
  assert_hidden ("iwb history show", show.out, (const char * const *) forms);
  iwb_test_remove_tree (tmp);
}

/* A value over Linux's limit for one environment string (128 KiB): which
 * parameter, and why, never the value, never "check the interpreter". */
static void
test_too_long (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("iwb-hostile-secrets-XXXXXX", NULL);
  g_autofree char *pw = g_build_filename (tmp, "pw", NULL);
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "hostile-fixtures", "secrets", NULL);
  g_autofree char *assign = g_strdup_printf ("PASSWORD=%s", pw);
  g_autoptr(GString) value = g_string_new (NULL);
  g_auto(IwbCliResult) r = { 0 };

  iwb_test_use_private_xdg (tmp);
  while (value->len < 200 * 1024)
    g_string_append (value, "Toolong-secret-");
  g_assert_true (g_file_set_contents (pw, value->str, -1, NULL));
  iwb_cli_run (&r, NULL, NULL, "validate", folder, "--set-file", assign, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.out, "PASSWORD"));
  g_assert_nonnull (strstr (r.out, "128 KiB"));
  g_assert_null (strstr (r.out, "interpreter"));
  g_assert_null (strstr (r.out, "Toolong-secret"));
  g_assert_null (strstr (r.err, "Toolong-secret"));
  iwb_test_remove_tree (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GString) longer = g_string_new ("L");

  g_test_init (&argc, &argv, NULL);
  while (longer->len < 400)
    g_string_append (longer, "xYz!%/ \"\\\t\xc3\xa9");
  secrets[G_N_ELEMENTS (secrets) - 1] = longer->str;
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_autofree char *needles = g_strdup_printf ("/hostile/secrets/needles/%u", i);
      g_autofree char *cli = g_strdup_printf ("/hostile/secrets/cli/%u", i);

      g_test_add_data_func (needles, secrets[i], test_needles);
      g_test_add_data_func (cli, secrets[i], test_cli);
    }
  g_test_add_func ("/hostile/secrets/too-long", test_too_long);
  g_test_add_func ("/hostile/secrets/forged-events", test_forged_events);
  return g_test_run ();
}

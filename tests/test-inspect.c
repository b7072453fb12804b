/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `iwb inspect` end to end: the built binary on the fixtures and examples,
 * its three formats, exit codes 0 / 2 / 64 and --help. */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "iwb-core.h"
#include "test-iwb-util.h"
#include "test-process-util.h"

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
}

/* Runs `iwb ARGS…` (NULL-terminated) and waits for it. */
#define run_iwb(run, ...) iwb_cli_run ((run), NULL, NULL, __VA_ARGS__)

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

/* The text after “[result] ” of the last result line the bundled SDK's
 * generate_metadata prints in @path, or NULL when it prints none. */
static char *
sdk_result_text (const char *path)
{
  g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  g_auto(GStrv) envp = iwb_python_build_environ (python, NULL);
  const char *argv[] = { iwb_python_resolve (python, NULL), "-m", "lhub_integ.generate_metadata", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  g_spawn_sync (path, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = g_strv_length (lines); i > 0; i--)
    if (g_str_has_prefix (lines[i - 1], "[result] "))
      return g_strdup (lines[i - 1] + strlen ("[result] "));
  return NULL;
}

static char *
generate_metadata (const char *path)
{
  char *text = sdk_result_text (path);

  if (text == NULL)
    g_error ("no [result] line from generate_metadata in %s", path);
  return text;
}

static void
test_help (void)
{
  g_auto(IwbCliResult) top = { 0 };
  g_auto(IwbCliResult) inspect = { 0 };

  run_iwb (&top, "--help", NULL);
  g_assert_cmpint (top.status, ==, 0);
  assert_contains (top.out, "inspect");

  run_iwb (&inspect, "inspect", "--help", NULL);
  g_assert_cmpint (inspect.status, ==, 0);
  assert_contains (inspect.out, "FOLDER");
  assert_contains (inspect.out, "--format");
  assert_contains (inspect.out, "text|metadata|descriptor");
  assert_contains (inspect.out, "--python");
  assert_contains (inspect.out, "--sdk");
  assert_contains (inspect.out, "bundled|installed");
  assert_contains (inspect.out, "64  usage error");
  assert_contains (inspect.out, "2   it could not be loaded");
  assert_contains (inspect.out, "stdout still holds what generate_metadata printed");
}

static void
test_usage_errors (void)
{
  g_autofree char *good = fixture ("good-minimal");
  struct {
    const char *args[4];
    const char *message;
  } cases[] = {
    { { NULL }, "missing FOLDER" },
    { { "--format", "xml", good, NULL }, "unknown --format “xml”" },
    { { "--sdk", "system", good, NULL }, "unknown --sdk “system”" },
    { { "--bogus", good, NULL }, "--bogus" },
    { { good, good, NULL }, "unexpected argument" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(IwbCliResult) run = { 0 };

      run_iwb (&run, "inspect", cases[i].args[0], cases[i].args[1], cases[i].args[2], NULL);
      g_assert_cmpint (run.status, ==, 64);
      assert_contains (run.err, cases[i].message);
      g_assert_cmpstr (run.out, ==, "");
    }
}

static void
test_text (void)
{
  g_autofree char *path = fixture ("good-full");
  g_auto(IwbCliResult) run = { 0 };

  run_iwb (&run, "inspect", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  assert_contains (run.out, "Name:        Full Fixture\n");
  assert_contains (run.out, "Logo URL:    https://example.com/logo.png\n");
  assert_contains (run.out, "Description:\n  Covers every data type, input type and argument kind\n");
  assert_contains (run.out, "Connection parameters (7):\n");
  assert_contains (run.out, "    URL “Server URL” (string, text, required)\n        Base URL of the service\n");
  assert_contains (run.out, "    NOTES (string, textarea, optional, default \"none\")\n");
  assert_contains (run.out, "Actions (3):\n");
  assert_contains (run.out, "Search things (main.search)\n  Search the service.\n");
  assert_contains (run.out, "    MODE (string, select, required, options [\"fast\",\"full\"])\n");
  assert_contains (run.out, "  Arguments (input columns):\n    term “Search term” (column, columnSelect, required)\n");
  assert_contains (run.out, "    message (jinja, textarea, required)\n        Template of the message\n");
  assert_contains (run.out, "main.bare (main.bare)\n  Parameters: none\n");
  assert_contains (run.out, "Warnings (0): none\n");
}

static void
test_text_warnings_and_action_errors (void)
{
  g_autofree char *path = fixture ("lint");
  g_auto(IwbCliResult) run = { 0 };

  run_iwb (&run, "inspect", "--format=text", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "Warnings (8):\n");
  assert_contains (run.out, "  main.py:3: “hostname:” is read as the integration's name");
  assert_contains (run.out, "  helpers.py:2: helpers.py has a module docstring too");
  assert_contains (run.out, "  Errors reported by the SDK:\n    Docstring referenced port but there were no matching arguments\n");
}

static void
test_metadata (void)
{
  const char *names[] = { "good-full", "good-minimal", "lint" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = fixture (names[i]);
      g_autofree char *expected = generate_metadata (path);
      g_autofree char *expected_line = g_strconcat (expected, "\n", NULL);
      g_auto(IwbCliResult) run = { 0 };

      run_iwb (&run, "inspect", "--format", "metadata", path, NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.out, ==, expected_line);
      /* warnings stay out of the JSON */
      if (g_str_equal (names[i], "lint"))
        assert_contains (run.err, "warning: main.py:3:");
      else
        g_assert_cmpstr (run.err, ==, "");
    }
}

static void
test_descriptor (void)
{
  g_autofree char *path = fixture ("good-full");
  g_autofree char *metadata = generate_metadata (path);
  g_autoptr(IwbIntegration) integration = iwb_metadata_parse (metadata, NULL, NULL);
  g_autoptr(JsonNode) expected = iwb_descriptor_build (integration);
  g_autofree char *expected_text = json_to_string (expected, FALSE);
  g_autoptr(JsonNode) printed = NULL;
  g_autofree char *printed_text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(IwbCliResult) run = { 0 };

  run_iwb (&run, "inspect", "--format", "descriptor", "--sdk", "bundled", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  printed = json_from_string (run.out, &error);
  g_assert_no_error (error);
  printed_text = json_to_string (printed, FALSE);
  /* same document, same key order */
  g_assert_cmpstr (printed_text, ==, expected_text);
  assert_contains (run.out, "\"source\" : \"template\"");
  assert_contains (run.out, "\"source\" : \"connection\"");
}

static void
test_python_option (void)
{
  g_autofree char *path = fixture ("good-minimal");
  g_auto(IwbCliResult) good = { 0 };
  g_auto(IwbCliResult) bad = { 0 };

  run_iwb (&good, "inspect", "--python", "/usr/bin/python3", path, NULL);
  g_assert_cmpint (good.status, ==, 0);
  assert_contains (good.out, "main.echo (main.echo)");

  run_iwb (&bad, "inspect", "--python", "/nonexistent/python3", path, NULL);
  g_assert_cmpint (bad.status, ==, 2);
  assert_contains (bad.err, "/nonexistent/python3");
  g_assert_cmpstr (bad.out, ==, "");
}

static void
test_load_errors (void)
{
  struct {
    const char *fixture;
    const char *message;
  } cases[] = {
    { "does-not-exist", "does-not-exist: no such folder" },
    { "not-a-folder.txt", "not a folder" },
    { "broken-no-python", "no Python files" },
    { "broken-syntax", "broken-syntax/main.py:6: syntax error" },
    { "broken-missing-module", "broken-missing-module/main.py:4: the module “iwb_fixture_missing_module” is not installed" },
    { "broken-no-actions", "no actions found" },
    { "broken-crash", "killed by signal 11" },
    { "broken-exit", "exited with code 3" },
    { "broken-no-result", "without printing a “[result]” line" },
    { "broken-invalid-json", "not valid JSON" },
    { "broken-column", "broken-column/main.py:5: DataType.COLUMN" },
    { "broken-read-at-import", "broken-read-at-import/main.py:6:" },
    { "broken-label", "broken-label/main.py:10:" },
  };
  const char *formats[] = { "text", "metadata", "descriptor" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = fixture (cases[i].fixture);
      g_auto(IwbCliResult) run = { 0 };

      run_iwb (&run, "inspect", "--format", formats[i % G_N_ELEMENTS (formats)], path, NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_true (g_str_has_prefix (run.err, "iwb inspect: "));
      assert_contains (run.err, cases[i].message);
      /* only --format metadata prints what the SDK printed (see below) */
      if (!g_str_equal (formats[i % G_N_ELEMENTS (formats)], "metadata"))
        g_assert_cmpstr (run.out, ==, "");
    }
}

/* --format metadata prints what generate_metadata prints, also when the
 * integration does not load: a module that fails to import (a missing
 * package, a syntax error, an SDK rule, DataType.COLUMN), no action, a
 * metadata step that fails, a module that exits at import. stdout is the
 * SDK's result text byte for byte (empty when it printed none), stderr the
 * explanation, exit status 2. */
static void
test_metadata_when_loading_fails (void)
{
  struct {
    const char *fixture;
    const char *message;
    gboolean    printed;
  } cases[] = {
    { "broken-missing-module", "main.py:4: the module “iwb_fixture_missing_module” is not installed", TRUE },
    { "broken-syntax", "main.py:6: syntax error", TRUE },
    { "broken-no-actions", "no actions found", TRUE },
    { "broken-column", "main.py:5: DataType.COLUMN", TRUE },
    { "broken-duplicate-param", "the SDK rejected the integration", TRUE },
    { "broken-dotted-name", "contains a dot", TRUE },
    { "broken-key-at-end", "the docstring ends right after", TRUE },
    { "broken-label", "main.py:10:", TRUE },
    { "broken-read-at-import", "main.py:6:", TRUE },
    { "broken-invalid-json", "not valid JSON", TRUE },
    { "broken-import-name", "broken-import-name/main.py:11: import failed", TRUE },
    { "broken-raise-at-import", "raised settings.ConfigError: missing key 'region'", TRUE },
    { "broken-memory-error", "main.py:6: importing main.py raised MemoryError", TRUE },
    { "broken-exit", "exited with code 3", FALSE },
    { "broken-no-result", "without printing a “[result]” line", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = fixture (cases[i].fixture);
      g_autofree char *expected = sdk_result_text (path);
      g_autofree char *expected_line = expected ? g_strconcat (expected, "\n", NULL) : g_strdup ("");
      g_auto(IwbCliResult) run = { 0 };

      g_test_message ("%s", cases[i].fixture);
      g_assert_true ((expected != NULL) == cases[i].printed);
      run_iwb (&run, "inspect", "--format", "metadata", path, NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, expected_line);
      g_assert_true (g_str_has_prefix (run.err, "iwb inspect: "));
      assert_contains (run.err, cases[i].message);
      if (g_str_has_prefix (expected_line, "{\"connection_params\""))
        assert_contains (run.out, "\"ok\": false}\n");
    }
}

/* --load-timeout bounds generate_metadata (inspect, validate and run): a
 * module that blocks at import is killed after that many seconds, not the
 * default 30, and the message says how to raise it. */
static void
test_load_timeout (void)
{
  g_autofree char *path = fixture ("broken-hang");
  const char *commands[] = { "inspect", "validate", "run" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(IwbCliResult) run = { 0 };
      gint64 start = g_get_monotonic_time ();

      if (g_str_equal (commands[i], "run"))
        run_iwb (&run, commands[i], "--load-timeout", "1", path, "main.anything", NULL);
      else
        run_iwb (&run, commands[i], "--load-timeout", "1", path, NULL);
      g_assert_cmpint (run.status, ==, 2);
      assert_contains (run.err, "did not finish within 1 s");
      assert_contains (run.err, "--load-timeout S");
      g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
    }

  {
    g_auto(IwbCliResult) negative = { 0 };

    run_iwb (&negative, "inspect", "--load-timeout", "-1", path, NULL);
    g_assert_cmpint (negative.status, ==, 64);
    assert_contains (negative.err, "--load-timeout");
  }
}

static gboolean
wake (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Ctrl+C while loading: iwb cancels the load and dies of SIGINT, and the process
 * the integration started at import is gone too. */
static void
test_interrupt_while_loading (void)
{
  g_autofree char *path = fixture ("broken-hang");
  g_autofree char *iwb = iwb_cli_path ();
  g_autofree char *pid_file = g_build_filename (g_getenv ("TMPDIR"), "iwb-fixture-grandchild.pid", NULL);
  const char *argv[] = { iwb, "inspect", path, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (20, wake, NULL);
  GPid grandchild = 0;

  g_unlink (pid_file);
  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  while (grandchild == 0 && g_get_monotonic_time () < deadline)
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (pid_file, &contents, NULL, NULL) && contents[0] != '\0')
        grandchild = (GPid) g_ascii_strtoll (contents, NULL, 10);
      else
        g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (grandchild, >, 1);

  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  /* iwb cleans up, then dies of the same signal (a shell sees 130 and a
   * script stops on Ctrl+C), after killing the load's process tree. */
  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGINT);
  while (!process_gone (grandchild) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (process_gone (grandchild));
  g_source_remove (tick);
  g_unlink (pid_file);
}

/* Every example of the project loads, and inspect reports exactly what the SDK does. */
static void
test_examples (void)
{
  const char *source_root = g_getenv ("IWB_SOURCE_ROOT");
  g_autofree char *examples = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0;

  g_assert_nonnull (source_root);
  examples = g_build_filename (source_root, "examples", NULL);
  dir = g_dir_open (examples, 0, NULL);
  if (dir == NULL)
    {
      g_test_skip ("no examples/ folder");
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (examples, name, NULL);
      g_autofree char *main_py = g_build_filename (path, "main.py", NULL);
      g_autofree char *expected = NULL;
      g_autofree char *expected_line = NULL;
      g_auto(IwbCliResult) text = { 0 };
      g_auto(IwbCliResult) metadata = { 0 };
      g_auto(IwbCliResult) descriptor = { 0 };
      g_autoptr(JsonNode) parsed = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_file_test (main_py, G_FILE_TEST_EXISTS))
        continue;
      n++;
      run_iwb (&text, "inspect", path, NULL);
      if (text.status != 0)
        g_error ("iwb inspect %s: exit %d: %s", path, text.status, text.err);
      assert_contains (text.out, "Actions (");

      expected = generate_metadata (path);
      expected_line = g_strconcat (expected, "\n", NULL);
      run_iwb (&metadata, "inspect", "--format", "metadata", path, NULL);
      g_assert_cmpint (metadata.status, ==, 0);
      g_assert_cmpstr (metadata.out, ==, expected_line);

      run_iwb (&descriptor, "inspect", "--format", "descriptor", path, NULL);
      g_assert_cmpint (descriptor.status, ==, 0);
      parsed = json_from_string (descriptor.out, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (parsed));
    }
  g_test_message ("%u examples inspected", n);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("iwb-test-inspect-XXXXXX", NULL);
  g_autofree char *pid_file = NULL;
  int status;

  /* The hang fixture writes a pid file to $TMPDIR: keep it to this test. */
  g_assert_nonnull (tmpdir);
  g_setenv ("TMPDIR", tmpdir, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/inspect/help", test_help);
  g_test_add_func ("/inspect/usage-errors", test_usage_errors);
  g_test_add_func ("/inspect/text", test_text);
  g_test_add_func ("/inspect/text-warnings", test_text_warnings_and_action_errors);
  g_test_add_func ("/inspect/metadata", test_metadata);
  g_test_add_func ("/inspect/descriptor", test_descriptor);
  g_test_add_func ("/inspect/python-option", test_python_option);
  g_test_add_func ("/inspect/load-errors", test_load_errors);
  g_test_add_func ("/inspect/metadata-when-loading-fails", test_metadata_when_loading_fails);
  g_test_add_func ("/inspect/load-timeout", test_load_timeout);
  g_test_add_func ("/inspect/interrupt-while-loading", test_interrupt_while_loading);
  g_test_add_func ("/inspect/examples", test_examples);

  status = g_test_run ();
  pid_file = g_build_filename (tmpdir, "iwb-fixture-grandchild.pid", NULL);
  g_unlink (pid_file);
  g_rmdir (tmpdir);
  return status;
}

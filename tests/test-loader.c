/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbLoader on the fixture integrations in tests/fixtures, with real python3
 * children: good folders, lint warnings, and every error case. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "iwb-core.h"
#include "test-iwb-util.h"
#include "test-loader-util.h"
#include "test-process-util.h"

/* What `python3 -m lhub_integ.generate_metadata` prints in @path, after "[result] ". */
static char *
run_generate_metadata (const char *path)
{
  g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  g_auto(GStrv) envp = iwb_python_build_environ (python, NULL);
  const char *argv[] = { iwb_python_resolve (python, NULL), "-m", "lhub_integ.generate_metadata", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  int status;

  g_spawn_sync (path, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "[result] "))
      return g_strdup (lines[i] + strlen ("[result] "));
  g_assert_not_reached ();
}

static void
test_good_full (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbIntegration) integration = load_fixture ("good-full", &error);
  g_autofree char *path = fixture ("good-full");
  g_autofree char *expected_json = run_generate_metadata (path);
  GListModel *connection, *actions;
  IwbAction *search, *post, *bare;
  IwbParam *p;
  static const char * const input_types[] = {
    "text", "password", "email", "textarea", "file", "encryptedFile", "text"
  };

  g_assert_no_error (error);
  g_assert_cmpstr (iwb_integration_get_name (integration), ==, "Full Fixture");
  g_assert_cmpstr (iwb_integration_get_description (integration), ==,
                   "Covers every data type, input type and argument kind");
  g_assert_cmpstr (iwb_integration_get_logo_url (integration), ==, "https://example.com/logo.png");
  /* exactly what generate_metadata printed */
  g_assert_cmpstr (iwb_integration_get_metadata_json (integration), ==, expected_json);
  g_assert_cmpuint (iwb_integration_get_warnings (integration)->len, ==, 0);

  connection = iwb_integration_get_connection_params (integration);
  g_assert_cmpuint (g_list_model_get_n_items (connection), ==, G_N_ELEMENTS (input_types));
  for (guint i = 0; i < G_N_ELEMENTS (input_types); i++)
    {
      p = nth_param (connection, i);
      g_assert_cmpstr (iwb_param_get_input_type (p), ==, input_types[i]);
      g_assert_cmpint (iwb_param_get_source (p), ==, IWB_PARAM_SOURCE_CONNECTION);
    }
  p = nth_param (connection, 0);
  g_assert_cmpstr (iwb_param_get_label (p), ==, "Server URL");
  g_assert_cmpstr (iwb_param_get_description (p), ==, "Base URL of the service");
  g_assert_false (iwb_param_get_optional (p));
  p = nth_param (connection, 3); /* NOTES: a default makes it optional */
  g_assert_true (iwb_param_get_optional (p));
  g_assert_cmpstr (json_node_get_string (iwb_param_get_default (p)), ==, "none");
  p = nth_param (connection, 6);
  g_assert_cmpstr (iwb_param_get_data_type (p), ==, "number");

  actions = iwb_integration_get_actions (integration);
  g_assert_cmpuint (g_list_model_get_n_items (actions), ==, 3);
  search = iwb_integration_find_action (integration, "main.search");
  post = iwb_integration_find_action (integration, "Post a message");
  bare = iwb_integration_find_action (integration, "main.bare");
  g_assert_nonnull (search);
  g_assert_nonnull (post);
  g_assert_nonnull (bare);
  g_assert_cmpstr (iwb_action_get_name (search), ==, "Search things");
  g_assert_cmpstr (iwb_action_get_description (search), ==, "Search the service.");
  g_assert_cmpstr (iwb_action_get_name (bare), ==, "main.bare");
  g_assert_null (iwb_action_get_description (bare));

  /* params of search: int, bool, json, select from two options */
  g_assert_cmpuint (g_list_model_get_n_items (iwb_action_get_params (search)), ==, 4);
  g_assert_cmpstr (iwb_param_get_data_type (nth_param (iwb_action_get_params (search), 0)), ==, "int");
  g_assert_cmpstr (iwb_param_get_data_type (nth_param (iwb_action_get_params (search), 1)), ==, "bool");
  g_assert_cmpstr (iwb_param_get_data_type (nth_param (iwb_action_get_params (search), 2)), ==, "json");
  p = nth_param (iwb_action_get_params (search), 3);
  g_assert_cmpstr (iwb_param_get_id (p), ==, "MODE");
  g_assert_cmpstr (iwb_param_get_input_type (p), ==, "select");
  g_assert_cmpuint (json_array_get_length (iwb_param_get_options (p)), ==, 2);

  /* arguments: label, optional, type name in the docstring stays a column */
  g_assert_cmpuint (g_list_model_get_n_items (iwb_action_get_args (search)), ==, 2);
  p = nth_param (iwb_action_get_args (search), 0);
  g_assert_cmpstr (iwb_param_get_label (p), ==, "Search term");
  g_assert_cmpstr (iwb_param_get_description (p), ==, "What to search for");
  g_assert_cmpint (iwb_param_get_source (p), ==, IWB_PARAM_SOURCE_COLUMN);
  g_assert_false (iwb_param_get_optional (p));
  p = nth_param (iwb_action_get_args (search), 1);
  g_assert_true (iwb_param_get_optional (p));
  g_assert_cmpstr (iwb_param_get_data_type (p), ==, "column");
  g_assert_cmpstr (iwb_param_get_input_type (p), ==, "columnSelect");

  /* post: option objects, single option keeps its input type, jinja param and template arg */
  g_assert_cmpuint (g_list_model_get_n_items (iwb_action_get_params (post)), ==, 5);
  p = nth_param (iwb_action_get_params (post), 2);
  g_assert_cmpstr (iwb_param_get_id (p), ==, "LEVEL");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_array_get_element (iwb_param_get_options (p), 0)));
  p = nth_param (iwb_action_get_params (post), 3);
  g_assert_cmpstr (iwb_param_get_input_type (p), ==, "text");
  p = nth_param (iwb_action_get_params (post), 4);
  g_assert_cmpstr (iwb_param_get_data_type (p), ==, "jinja");
  g_assert_cmpint (iwb_param_get_source (p), ==, IWB_PARAM_SOURCE_PARAM);
  p = nth_param (iwb_action_get_args (post), 1);
  g_assert_cmpstr (iwb_param_get_id (p), ==, "message");
  g_assert_cmpstr (iwb_param_get_data_type (p), ==, "jinja");
  g_assert_cmpstr (iwb_param_get_input_type (p), ==, "textarea");
  g_assert_cmpint (iwb_param_get_source (p), ==, IWB_PARAM_SOURCE_TEMPLATE);

  g_assert_finalize_object (g_steal_pointer (&integration));
}

static void
test_good_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbIntegration) integration = load_fixture ("good-minimal", &error);

  g_assert_no_error (error);
  g_assert_null (iwb_integration_get_name (integration));
  /* no module docstring, one action: its description */
  g_assert_cmpstr (iwb_integration_get_description (integration), ==, "Echo the value back");
  g_assert_cmpuint (g_list_model_get_n_items (iwb_integration_get_actions (integration)), ==, 1);
  g_assert_cmpuint (iwb_integration_get_warnings (integration)->len, ==, 0);
}

static void
assert_warning (GPtrArray  *warnings,
                const char *file,
                guint       line,
                const char *code,
                const char *text)
{
  for (guint i = 0; i < warnings->len; i++)
    {
      IwbDiagnostic *d = g_ptr_array_index (warnings, i);

      if (g_strcmp0 (d->file, file) == 0 && d->line == line && g_str_equal (d->code, code))
        {
          g_assert_nonnull (strstr (d->message, text));
          return;
        }
    }
  g_error ("no warning %s at %s:%u", code, file, line);
}

static void
test_lint (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbIntegration) integration = load_fixture ("lint", &error);
  GPtrArray *warnings;
  IwbAction *scan;

  g_assert_no_error (error);
  /* the SDK's own quirk, kept: hostname: is read as name: */
  g_assert_cmpstr (iwb_integration_get_name (integration), ==, "the docstring mentions a host first");

  warnings = iwb_integration_get_warnings (integration);
  assert_warning (warnings, "helpers.py", 2, "several-docstrings", "main.py first");
  assert_warning (warnings, "main.py", 3, "key-in-word", "“hostname:”");
  assert_warning (warnings, "main.py", 12, "optional-without-default", "“COUNT”");
  assert_warning (warnings, "main.py", 13, "optional-without-default", "“FLAG”");
  assert_warning (warnings, "main.py", 14, "unknown-action", "action=\"scan\"");
  assert_warning (warnings, "main.py", 15, "unknown-action", "“nothing_here”");
  assert_warning (warnings, "main.py", 23, "docstring-unknown-argument", ":param port:");
  assert_warning (warnings, "params.py", 4, "unknown-action", "another module (main.scan)");
  g_assert_cmpuint (warnings->len, ==, 8);

  /* the SDK's action error stays on the action; it does not stop loading */
  scan = iwb_integration_find_action (integration, "main.scan");
  g_assert_cmpstr (iwb_action_get_errors (scan)[0], ==,
                   "Docstring referenced port but there were no matching arguments");
}

typedef struct
{
  const char   *fixture;
  IwbErrorCode  code;
  const char   *texts[3]; /* each must be in the message */
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "does-not-exist", IWB_ERROR_NOT_FOUND, { "does-not-exist: no such folder", NULL } },
  { "not-a-folder.txt", IWB_ERROR_NOT_A_FOLDER, { "not-a-folder.txt: not a folder", NULL } },
  { "broken-no-python", IWB_ERROR_NO_PYTHON_FILES, { "no Python files", NULL } },
  { "broken-syntax", IWB_ERROR_SYNTAX,
    { "broken-syntax/main.py:6: syntax error", "def broken(value)", NULL } },
  { "broken-missing-module", IWB_ERROR_MISSING_MODULE,
    { "broken-missing-module/main.py:4:", "“iwb_fixture_missing_module” is not installed",
      "create its environment to install them (iwb env create" } },
  { "broken-no-actions", IWB_ERROR_NO_ACTIONS, { "no actions found", "@action", NULL } },
  { "broken-crash", IWB_ERROR_CRASHED, { "killed by signal 11", NULL } },
  { "broken-exit", IWB_ERROR_CRASHED,
    { "exited with code 3", "giving up while being imported", NULL } },
  { "broken-no-result", IWB_ERROR_NO_RESULT, { "without printing a “[result]” line", "leaving quietly", NULL } },
  { "broken-invalid-json", IWB_ERROR_INVALID_JSON, { "not valid JSON", "{this is not json", NULL } },
  { "broken-column", IWB_ERROR_INVALID_INTEGRATION,
    { "broken-column/main.py:5: DataType.COLUMN", NULL } },
  { "broken-read-at-import", IWB_ERROR_INVALID_INTEGRATION,
    { "broken-read-at-import/main.py:6:", "“IWB_FIXTURE_TOKEN” is read when the module is imported", NULL } },
  { "broken-label", IWB_ERROR_INVALID_INTEGRATION,
    { "broken-label/main.py:10:", "“:label valeu:”", NULL } },
  { "broken-key-at-end", IWB_ERROR_INVALID_INTEGRATION,
    { "broken-key-at-end/main.py:1:", "ends right after “logoUrl:”", NULL } },
  { "broken-dotted-name", IWB_ERROR_INVALID_INTEGRATION,
    { "broken-dotted-name/my.helper.py:", "Rename it (e.g. my_helper.py)", NULL } },
  { "broken-duplicate-param", IWB_ERROR_INVALID_INTEGRATION,
    { "broken-duplicate-param/main.py:6:", "same id (TOKEN)", NULL } },
};

static void
test_error_case (gconstpointer user_data)
{
  const ErrorCase *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbIntegration) integration = load_fixture (c->fixture, &error);

  g_assert_null (integration);
  g_assert_error (error, IWB_ERROR, (gint) c->code);
  for (guint i = 0; i < G_N_ELEMENTS (c->texts) && c->texts[i] != NULL; i++)
    if (strstr (error->message, c->texts[i]) == NULL)
      g_error ("“%s” not in the message: %s", c->texts[i], error->message);
}

static void
test_not_local (void)
{
  g_autoptr(IwbLoader) loader = new_loader (0);
  g_autoptr(GFile) folder = g_file_new_for_uri ("sftp://example.invalid/integration");
  LoadResult result = { FALSE, NULL, NULL };

  iwb_loader_load_async (loader, folder, NULL, load_cb, &result);
  iterate_until (&result.done, 10);
  g_assert_null (result.integration);
  g_assert_error (result.error, IWB_ERROR, IWB_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (result.error->message, "not a local folder"));
  g_clear_error (&result.error);
}

static void
test_python_not_found (void)
{
  g_autoptr(IwbPython) python = iwb_python_new ("/nonexistent/bin/python3", IWB_SDK_BUNDLED);
  g_autoptr(IwbLoader) loader = iwb_loader_new (python);
  g_autofree char *path = fixture ("good-minimal");
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbIntegration) integration = load_path (loader, path, NULL, &error);

  g_assert_null (integration);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_PYTHON_NOT_FOUND);
}

static void
test_installed_sdk_missing (void)
{
  /* Debian's python3 has no lhub_integ of its own */
  g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_INSTALLED);
  g_autoptr(IwbLoader) loader = iwb_loader_new (python);
  g_autofree char *path = fixture ("good-minimal");
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  const char *argv[] = { iwb_python_resolve (python, NULL), "-c", "import lhub_integ", NULL };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                &status, NULL);
  if (g_spawn_check_wait_status (status, NULL))
    {
      g_test_skip ("the interpreter has its own lhub_integ");
      return;
    }
  integration = load_path (loader, path, NULL, &error);
  g_assert_null (integration);
  g_assert_error (error, IWB_ERROR, IWB_ERROR_MISSING_MODULE);
  g_assert_nonnull (strstr (error->message, "--sdk bundled"));
}

/* The bootstrap that gathers the facts is invisible to the integration: it
 * sees what it would see under `python3 -m lhub_integ.generate_metadata`. */
static void
test_bootstrap_invisible (void)
{
  g_autofree char *wanted = g_build_filename (test_tmpdir, "iwb-probe-wanted", NULL);
  g_autofree char *probe = g_build_filename (test_tmpdir, "iwb-probe.json", NULL);
  g_autofree char *folder = fixture ("probe");
  g_autofree char *canonical = g_canonicalize_filename (folder, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *seen;
  JsonArray *argv;
  const char *argv0;

  g_file_set_contents (wanted, "", 0, &error);
  g_assert_no_error (error);
  integration = load_fixture ("probe", &error);
  g_assert_no_error (error);
  g_assert_nonnull (iwb_integration_find_action (integration, "main.probe"));

  json_parser_load_from_file (parser, probe, &error);
  g_assert_no_error (error);
  seen = json_node_get_object (json_parser_get_root (parser));
  argv = json_object_get_array_member (seen, "argv");
  g_assert_cmpuint (json_array_get_length (argv), ==, 1);
  argv0 = json_array_get_string_element (argv, 0);
  g_assert_true (g_str_has_suffix (argv0, "/lhub_integ/generate_metadata.py"));
  g_assert_cmpstr (json_object_get_string_member (seen, "main_name"), ==, "__main__");
  g_assert_cmpstr (json_object_get_string_member (seen, "main_file"), ==, argv0);
  g_assert_cmpstr (json_object_get_string_member (seen, "path0"), ==, canonical);
  g_assert_cmpstr (json_object_get_string_member (seen, "cwd"), ==, canonical);
  /* the generate_metadata module's own names, none of ours */
  for (guint i = 0; i < json_array_get_length (json_object_get_array_member (seen, "main_globals")); i++)
    g_assert_false (g_str_has_prefix (json_array_get_string_element (
                                        json_object_get_array_member (seen, "main_globals"), i),
                                      "_iwb"));

  g_unlink (wanted);
  g_unlink (probe);
}

/* The facts script on a folder of its own, then iwb_lint_check() directly:
 * the checks that a loadable integration cannot show. */
static JsonObject *
facts_for (const char *dir)
{
  g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  const char *argv[] = { iwb_python_resolve (python, NULL), "-I", "-c", iwb_lint_get_script (), NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  int status;

  g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static void
test_lint_column_and_facts (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("iwb-lint-XXXXXX", &error);
  g_autoptr(JsonObject) facts = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autofree char *file = NULL;
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;
  g_autofree char *function = NULL;
  guint line = 0;

  g_assert_no_error (error);
  iwb_test_write_file (dir, "main.py",
                       "from lhub_integ import action\n"                                   /* 1 */
                       "from lhub_integ.params import ActionParam, DataType\n"              /* 2 */
                       "import requests.adapters\n"                                         /* 3 */
                       "P = ActionParam(\"P\", action=\"a\", data_type=DataType.COLUMN)\n" /* 4 */
                       "\n"                                                                 /* 5 */
                       "@action\n"                                                          /* 6 */
                       "def a(x):\n"                                                        /* 7 */
                       "    \"\"\"Doc\n\n    :return\n    \"\"\"\n"                    /* 8-11 */
                       "    if x == DataType.COLUMN:\n"                                      /* 12 */
                       "        return x\n");
  iwb_test_write_file (dir, "bad.py", "def (:\n");
  iwb_test_write_file (dir, "skip.me.py", "def (:\n"); /* never imported by the SDK */
  facts = facts_for (dir);

  integration = iwb_metadata_parse (
    "{\"connection_params\":[],\"actions\":[{\"name\":\"main.a\",\"entrypoint\":\"main.a\","
    "\"args\":[],\"params\":[],\"description\":null,\"errors\":[]}],\"errors\":[]}", NULL, NULL);
  warnings = iwb_lint_check (integration, facts);
  /* the parameter, not the comparison */
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_cmpstr (((IwbDiagnostic *) warnings->pdata[0])->code, ==, "column-data-type");
  g_assert_cmpstr (((IwbDiagnostic *) warnings->pdata[0])->file, ==, "main.py");
  g_assert_cmpuint (((IwbDiagnostic *) warnings->pdata[0])->line, ==, 4);

  g_assert_true (iwb_lint_find_column_use (facts, &file, &line));
  g_assert_cmpuint (line, ==, 4);
  g_clear_pointer (&file, g_free);

  g_assert_true (iwb_lint_find_syntax_error (facts, &file, &line, &message, &text));
  g_assert_cmpstr (file, ==, "bad.py");
  g_assert_cmpuint (line, ==, 1);
  g_clear_pointer (&file, g_free);
  g_clear_pointer (&text, g_free);

  g_assert_true (iwb_lint_find_import (facts, "requests", &file, &line));
  g_assert_cmpuint (line, ==, 3);
  g_clear_pointer (&file, g_free);
  g_assert_false (iwb_lint_find_import (facts, "numpy", &file, &line));

  g_assert_true (iwb_lint_find_bad_doc_field (facts, &file, &line, &function, &text));
  g_assert_cmpuint (line, ==, 10);
  g_assert_cmpstr (function, ==, "a");

  /* without facts: only what the model shows, without a location */
  g_clear_pointer (&warnings, g_ptr_array_unref);
  warnings = iwb_lint_check (integration, NULL);
  g_assert_cmpuint (warnings->len, ==, 0);

  {
    const char *names[] = { "main.py", "bad.py", "skip.me.py" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = g_build_filename (dir, names[i], NULL);
        g_unlink (path);
      }
  }
  g_rmdir (dir);
}

static void
test_lint_without_facts (void)
{
  g_autoptr(IwbIntegration) integration = iwb_metadata_parse (
    "{\"connection_params\":[{\"id\":\"N\",\"data_type\":\"json\",\"optional\":true}],"
    "\"actions\":[],\"errors\":[]}", NULL, NULL);
  g_autoptr(GPtrArray) warnings = iwb_lint_check (integration, NULL);
  IwbDiagnostic *d;

  g_assert_cmpuint (warnings->len, ==, 1);
  d = g_ptr_array_index (warnings, 0);
  g_assert_cmpstr (d->code, ==, "optional-without-default");
  g_assert_null (d->file);
  g_assert_cmpuint (d->line, ==, 0);
  g_assert_nonnull (strstr (d->message, "Optional JSON parameter “N”"));
}

static void
add_tests (void)
{
  g_test_add_func ("/loader/good-full", test_good_full);
  g_test_add_func ("/loader/good-minimal", test_good_minimal);
  g_test_add_func ("/loader/lint", test_lint);
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/loader/error/%s", error_cases[i].fixture);

      g_test_add_data_func (name, &error_cases[i], test_error_case);
    }
  g_test_add_func ("/loader/error/python-not-found", test_python_not_found);
  g_test_add_func ("/loader/error/not-local", test_not_local);
  g_test_add_func ("/loader/error/installed-sdk-missing", test_installed_sdk_missing);
  g_test_add_func ("/loader/bootstrap-invisible", test_bootstrap_invisible);
  g_test_add_func ("/lint/column-and-facts", test_lint_column_and_facts);
  g_test_add_func ("/lint/without-facts", test_lint_without_facts);
}

int
main (int    argc,
      char **argv)
{
  return loader_test_main (argc, argv, add_tests);
}

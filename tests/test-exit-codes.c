/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The SDK's exit-code table (../shared/spec/lhub_integ-sdk.md, 6.5), one
 * test per row, through the built `iwb` on run-fixtures/exits: how each
 * ending of the child is reported and which exit status `iwb` gives; and
 * the endings that used to be reported wrongly (a validator that leaves
 * with os._exit(0) before its result, a malformed [result] line before the
 * exit).
 */
#include "config.h"

#include <string.h>

#include "iwb-core.h"
#include "test-iwb-util.h"

static char *tmpdir;

static char *
exits (void)
{
  return g_test_build_filename (G_TEST_DIST, "run-fixtures", "exits", NULL);
}

/* Row 0: run finished, validation passed. */
static void
test_row_0 (void)
{
  g_autofree char *folder = exits ();
  g_auto(IwbCliResult) validate = { 0 };
  g_auto(IwbCliResult) run = { 0 };

  iwb_cli_run (&validate, NULL, NULL, "validate", folder, NULL);
  g_assert_cmpint (validate.status, ==, 0);
  g_assert_nonnull (strstr (validate.out, "✓ The connection is valid"));
  g_assert_nonnull (strstr (validate.out, "Exit 0: validation passed"));
  iwb_cli_run (&run, NULL, NULL, "run", folder, "main.succeed", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Exit 0: the action ran to the end"));
}

/* Row 1: validation errors, a raising validator, an uncaught exception
 * (only a traceback): all exit 1, reported as errors of the integration. */
static void
test_row_1 (void)
{
  g_autofree char *folder = exits ();
  g_auto(IwbCliResult) errors = { 0 };
  g_auto(IwbCliResult) raises = { 0 };
  g_auto(IwbCliResult) traceback = { 0 };

  iwb_cli_run (&errors, NULL, NULL, "validate", folder, "--set", "MODE=errors", NULL);
  g_assert_cmpint (errors.status, ==, 1);
  g_assert_nonnull (strstr (errors.out, "bad value"));
  iwb_cli_run (&raises, NULL, NULL, "validate", folder, "--set", "MODE=raise", NULL);
  g_assert_cmpint (raises.status, ==, 1);
  g_assert_nonnull (strstr (raises.out, "the service said no"));
  iwb_cli_run (&traceback, NULL, NULL, "run", folder, "main.traceback_only", NULL);
  g_assert_cmpint (traceback.status, ==, 1);
  g_assert_nonnull (strstr (traceback.out, "Exit 1:"));
  g_assert_nonnull (strstr (traceback.out, "Last error output: RuntimeError: uncaught in the action"));
}

/* Row 2: hard exits (here a bad entrypoint for the validation shim and a
 * malformed result before exit 2). */
static void
test_row_2 (void)
{
  g_autofree char *folder = exits ();
  g_auto(IwbCliResult) hard = { 0 };

  iwb_cli_run (&hard, NULL, NULL, "run", folder, "main.malformed_exit", NULL);
  g_assert_cmpint (hard.status, ==, 2);
  g_assert_nonnull (strstr (hard.out, "Exit 2: hard failure"));
  /* the malformed [result] line before the exit is mentioned with it */
  g_assert_nonnull (strstr (hard.out, "exit status 2 came after 1 [result] line that was not valid JSON"));
}

/* Row 241: the platform's timeout code. */
static void
test_row_241 (void)
{
  g_autofree char *folder = exits ();
  g_auto(IwbCliResult) r = { 0 };

  iwb_cli_run (&r, NULL, NULL, "run", folder, "main.exit_241", NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.out, "Exit 241: the platform's timeout"));
}

/* Codes outside the table: a hard failure that names the code. */
static void
test_other (void)
{
  g_autofree char *folder = exits ();
  g_auto(IwbCliResult) r = { 0 };

  iwb_cli_run (&r, NULL, NULL, "run", folder, "main.exit_five", "--format", "jsonl", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.out, "Exit 5: unexpected exit code"));
}

/* os._exit(0) before the validation's result: not "valid". */
static void
test_no_result (void)
{
  g_autofree char *folder = exits ();
  g_auto(IwbCliResult) r = { 0 };
  g_auto(IwbCliResult) json = { 0 };
  g_auto(IwbCliResult) malformed = { 0 };
  g_auto(IwbCliResult) malformed_ok = { 0 };

  iwb_cli_run (&r, NULL, NULL, "validate", folder, "--set", "MODE=os_exit0", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_null (strstr (r.out, "valid\n"));
  g_assert_nonnull (strstr (r.out, "✗ Failed"));
  g_assert_nonnull (strstr (r.out, "Exit 0 without a result"));
  iwb_cli_run (&json, NULL, NULL, "validate", folder, "--set", "MODE=os_exit0", "--format", "json", NULL);
  g_assert_cmpint (json.status, ==, 2);
  g_assert_nonnull (strstr (json.out, "\"status\":\"failed\""));
  /* its only [result] line was malformed: said too */
  iwb_cli_run (&malformed, NULL, NULL, "validate", folder, "--set", "MODE=malformed", NULL);
  g_assert_cmpint (malformed.status, ==, 2);
  g_assert_nonnull (strstr (malformed.out, "the only [result] lines were not valid JSON"));
  /* a malformed line, then the SDK's own result: passed, with the loss said */
  iwb_cli_run (&malformed_ok, NULL, NULL, "validate", folder, "--set", "MODE=malformed_ok", NULL);
  g_assert_cmpint (malformed_ok.status, ==, 0);
  g_assert_nonnull (strstr (malformed_ok.out, "exit status 0 came after 1 [result] line"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("iwb-test-exit-codes-XXXXXX", &error);
  g_assert_no_error (error);
  iwb_test_use_private_xdg (tmpdir);

  g_test_add_func ("/exit-codes/row-0", test_row_0);
  g_test_add_func ("/exit-codes/row-1", test_row_1);
  g_test_add_func ("/exit-codes/row-2", test_row_2);
  g_test_add_func ("/exit-codes/row-241", test_row_241);
  g_test_add_func ("/exit-codes/other", test_other);
  g_test_add_func ("/exit-codes/no-result", test_no_result);
  ret = g_test_run ();

  iwb_test_remove_tree (tmpdir);
  return ret;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `iwb diff` end to end: the built binary on fixture files; exit codes,
 * the three formats (the patch applied back to A gives B), error messages.
 */
#include "config.h"

#include <string.h>

#include "iwb-core.h"
#include "test-iwb-util.h"

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "diff-fixtures", name, NULL);
}

#define run_iwb(r, ...) iwb_cli_run ((r), NULL, NULL, __VA_ARGS__)

/* `iwb diff - B.json` with A on the standard input. */
#define run_iwb_stdin(r, input, b) \
  iwb_cli_run ((r), NULL, (input), "diff", "--format", "json", "-", (b), NULL)

static JsonNode *
load (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static void
test_identical (void)
{
  g_autofree char *a = fixture ("base.json");
  g_auto(IwbCliResult) r = { 0 };
  g_auto(IwbCliResult) j = { 0 };

  run_iwb (&r, "diff", a, a, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpstr (r.err, ==, "");

  run_iwb (&j, "diff", "--format", "json", a, a, NULL);
  g_assert_cmpint (j.status, ==, 0);
  g_assert_cmpstr (g_strstrip (j.out), ==, "[]");
}

static void
test_text (void)
{
  g_autofree char *a = fixture ("base.json");
  g_autofree char *b = fixture ("effective.json");
  g_auto(IwbCliResult) r = { 0 };

  run_iwb (&r, "diff", a, b, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_nonnull (strstr (r.out, "--- "));
  g_assert_nonnull (strstr (r.out, "@@ actions[entrypoint=main.create_ticket].description (changed)\n"
                                   "- \"Creates a ticket\"\n"
                                   "+ \"Creates a ticket in one of 3 projects\"\n"));
  g_assert_nonnull (strstr (r.out, "@@ actions[entrypoint=main.create_ticket].instantiation.steps[0]"
                                   ".inputs[id=PRIORITY] (moved from 1 to 3)\n"));
  g_assert_nonnull (strstr (r.out, "inputs[id=PROJECT].options[2] (added)\n+ \"ÜBER\"\n"));
  g_assert_nonnull (strstr (r.out, "inputs[id=query] (removed)\n- {\n"));
  g_assert_nonnull (strstr (r.out, "9 changes: 5 added, 1 removed, 2 changed, 1 moved\n"));
  g_assert_null (strstr (r.out, "\033["));
}

static void
test_json_and_patch (void)
{
  g_autofree char *a = fixture ("base.json");
  g_autofree char *b = fixture ("effective.json");
  g_auto(IwbCliResult) j = { 0 };
  g_auto(IwbCliResult) p = { 0 };
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) patch = NULL;
  g_autoptr(JsonNode) doc_a = load (a);
  g_autoptr(JsonNode) doc_b = load (b);
  g_autoptr(JsonNode) applied = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *arr;
  gboolean saw_move = FALSE;

  run_iwb (&j, "diff", "--format=json", a, b, NULL);
  g_assert_cmpint (j.status, ==, 1);
  json = json_from_string (j.out, &error);
  g_assert_no_error (error);
  arr = json_node_get_array (json);
  g_assert_cmpuint (json_array_get_length (arr), ==, 9);
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      JsonObject *obj = json_array_get_object_element (arr, i);
      const char *kind = json_object_get_string_member (obj, "kind");

      g_assert_true (json_object_has_member (obj, "path"));
      if (g_str_equal (kind, "changed"))
        g_assert_true (json_object_has_member (obj, "old") && json_object_has_member (obj, "new"));
      if (g_str_equal (kind, "moved"))
        {
          saw_move = TRUE;
          g_assert_cmpint (json_object_get_int_member (obj, "from"), ==, 1);
          g_assert_cmpint (json_object_get_int_member (obj, "to"), ==, 3);
        }
    }
  g_assert_true (saw_move);

  run_iwb (&p, "diff", "-f", "patch", a, b, NULL);
  g_assert_cmpint (p.status, ==, 1);
  patch = json_from_string (p.out, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (p.out, "\"op\" : \"move\""));
  applied = iwb_json_patch_apply (doc_a, patch, &error);
  g_assert_no_error (error);
  g_assert_true (iwb_json_equal (applied, doc_b));
}

static void
test_errors (void)
{
  g_autofree char *a = fixture ("base.json");
  g_autofree char *broken = fixture ("broken.json");
  g_autofree char *missing = fixture ("no-such-file.json");
  g_auto(IwbCliResult) bad = { 0 };
  g_auto(IwbCliResult) gone = { 0 };
  g_auto(IwbCliResult) one = { 0 };
  g_auto(IwbCliResult) fmt = { 0 };
  g_auto(IwbCliResult) help = { 0 };

  run_iwb (&bad, "diff", a, broken, NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_cmpstr (bad.out, ==, "");
  g_assert_nonnull (strstr (bad.err, "broken.json"));
  g_assert_nonnull (strstr (bad.err, ":4:29:"));
  g_assert_nonnull (strstr (bad.err, "not valid JSON"));

  run_iwb (&gone, "diff", missing, a, NULL);
  g_assert_cmpint (gone.status, ==, 2);
  g_assert_nonnull (strstr (gone.err, "no-such-file.json"));

  run_iwb (&one, "diff", a, NULL);
  g_assert_cmpint (one.status, ==, 64);
  g_assert_nonnull (strstr (one.err, "give two files"));

  run_iwb (&fmt, "diff", "--format", "yaml", a, a, NULL);
  g_assert_cmpint (fmt.status, ==, 64);
  g_assert_nonnull (strstr (fmt.err, "unknown --format “yaml”"));

  {
    g_auto(IwbCliResult) in = { 0 };
    g_auto(IwbCliResult) in_bad = { 0 };
    g_auto(IwbCliResult) both = { 0 };
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (a, &text, NULL, NULL));
    run_iwb_stdin (&in, text, a);
    g_assert_cmpint (in.status, ==, 0);
    g_assert_cmpstr (g_strstrip (in.out), ==, "[]");

    run_iwb_stdin (&in_bad, "{\"a\":\n", a);
    g_assert_cmpint (in_bad.status, ==, 2);
    g_assert_nonnull (strstr (in_bad.err, "“(standard input)” is not valid JSON: stdin:2:"));

    run_iwb (&both, "diff", "-", "-", NULL);
    g_assert_cmpint (both.status, ==, 64);
  }

  {
    /* Two documents (JSON Lines, e.g. two `iwb run --format jsonl` lines)
     * are an error, not a diff of the first one alone. */
    g_auto(IwbCliResult) lines = { 0 };
    g_autofree char *first = NULL;
    g_autofree char *input = NULL;

    g_assert_true (g_file_get_contents (a, &first, NULL, NULL));
    input = g_strdup_printf ("%s\n{\"event\": \"finished\"}\n", g_strstrip (first));
    run_iwb_stdin (&lines, input, a);
    g_assert_cmpint (lines.status, ==, 2);
    g_assert_cmpstr (lines.out, ==, "");
    g_assert_nonnull (strstr (lines.err, "“(standard input)” is not one JSON document: stdin:"));
    g_assert_nonnull (strstr (lines.err, "unexpected text after the JSON value"));
  }

  run_iwb (&help, "diff", "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "iwb diff [OPTION…] A.json B.json"));
  g_assert_nonnull (strstr (help.out, "Exit status:"));
  g_assert_nonnull (strstr (help.out, "64  usage error"));
}

/* `iwb validate --show-overrides` with the vendor's example validator. */
static void
test_validate_show_overrides (void)
{
  g_autofree char *folder = fixture ("vendor-example");
  g_autofree char *bad = fixture ("bad-overrides");
  g_auto(IwbCliResult) text = { 0 };
  g_auto(IwbCliResult) json = { 0 };
  g_auto(IwbCliResult) broken = { 0 };
  g_auto(IwbCliResult) usage = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonNode) event = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *obj;
  JsonArray *changes;
  guint n;

  run_iwb (&text, "validate", folder, "--set", "API_URL=http://127.0.0.1:9", "--show-overrides", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "Descriptor overrides: Overrides changed 1 input in 1 action.\n"
                                      "--- base descriptor\n+++ effective descriptor\n"
                                      "@@ actions[entrypoint=main.post].instantiation.steps[0]"
                                      ".inputs[id=CHANNEL].description (changed)\n"
                                      "- \"Where to post\"\n"
                                      "+ \"My Custom Dynamic Description\"\n"));

  run_iwb (&json, "validate", folder, "--set", "API_URL=http://127.0.0.1:9", "--show-overrides",
           "--format", "json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  lines = g_strsplit (g_strstrip (json.out), "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpuint (n, >=, 2);
  event = json_from_string (lines[n - 1], &error);
  g_assert_no_error (error);
  obj = json_node_get_object (event);
  g_assert_cmpstr (json_object_get_string_member (obj, "event"), ==, "overrides-diff");
  g_assert_true (json_object_get_boolean_member (obj, "applied"));
  changes = json_object_get_array_member (obj, "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0), "new"), ==,
                   "My Custom Dynamic Description");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "patch")), ==, 1);

  /* actionOverrides that is not a list: the base stays, the reason is shown, exit 1. */
  run_iwb (&broken, "validate", bad, "--show-overrides", NULL);
  g_assert_cmpint (broken.status, ==, 1);
  g_assert_nonnull (strstr (broken.out, "Descriptor overrides: not applied."));
  g_assert_nonnull (strstr (broken.out, "not a list"));
  g_assert_nonnull (strstr (broken.out, "base descriptor stays in force"));

  run_iwb (&usage, "validate", folder, "--action", "main.post", "--show-overrides", NULL);
  g_assert_cmpint (usage.status, ==, 64);
  g_assert_nonnull (strstr (usage.err, "--show-overrides"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-diff/identical", test_identical);
  g_test_add_func ("/cli-diff/text", test_text);
  g_test_add_func ("/cli-diff/json-and-patch", test_json_and_patch);
  g_test_add_func ("/cli-diff/errors", test_errors);
  g_test_add_func ("/cli-diff/validate-show-overrides", test_validate_show_overrides);

  return g_test_run ();
}

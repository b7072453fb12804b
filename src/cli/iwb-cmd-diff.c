/* SPDX-License-Identifier: GPL-3.0-or-later */
/* iwb diff A.json B.json: the structural diff of two JSON documents. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "iwb-cli.h"
#include "iwb-cli-common.h"
#include "iwb-core.h"

#define IWB_EXIT_DIFF_SAME       0
#define IWB_EXIT_DIFF_DIFFERENT  1

static int
usage_error (const char *message)
{
  fprintf (stderr, _("iwb diff: %s\nRun “iwb diff --help” for usage.\n"), message);
  return IWB_EXIT_USAGE;
}

/* The largest document read: /dev/zero or a runaway pipe is an error, not
 * all the memory (the comparison itself takes up to 2 GB). */
#define DIFF_MAX_DOCUMENT ((gsize) 1024 * 1024 * 1024)

/* Reads PATH ("-": the standard input) whole, bounded. */
static gboolean
read_document (const char  *path,
               char       **data,
               gsize       *len,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean stdin_ = g_str_equal (path, "-");

  /* e.g. iwb inspect FOLDER --format descriptor | iwb diff - old.json */
  *data = iwb_file_read_bounded (stdin_ ? "/dev/stdin" : path, DIFF_MAX_DOCUMENT,
                                 IWB_FILE_READ_DEFAULT, len, &local_error);
  if (*data != NULL)
    return TRUE;
  if (stdin_)
    g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                 _("cannot read the standard input: %s"), local_error->message);
  else
    g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                 _("cannot read “%s”: %s. Check the path"), path, local_error->message);
  return FALSE;
}

/* An IWB_JSON_ERROR of the parser -> "“PATH” is not valid JSON: PATH:L:C: what …" */
static void
set_parse_error (GError                **error,
                 const char             *path,
                 const IwbJsonLocation  *loc,
                 GError                 *parse_error)
{
  gboolean stdin_ = g_str_equal (path, "-");
  const char *name = stdin_ ? _("(standard input)") : path;
  const char *where = stdin_ ? "stdin" : path;
  g_autofree char *what = g_strdup (parse_error->message);
  char *at = g_strrstr (what, " at line ");

  if (at != NULL)
    *at = '\0'; /* the location is given as file:line:column */

  if (g_error_matches (parse_error, IWB_JSON_ERROR, IWB_JSON_ERROR_EMPTY))
    g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                 _("“%s” is empty: it holds no JSON value. Give a JSON document"), name);
  else if (g_error_matches (parse_error, IWB_JSON_ERROR, IWB_JSON_ERROR_EXTRA_DATA))
    g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                 _("“%s” is not one JSON document: %s:%u:%u: %s (file:line:column). iwb diff "
                   "compares two single JSON values; for JSON Lines, compare line by line"),
                 name, where, loc->line, loc->column, what);
  else
    g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_JSON,
                 _("“%s” is not valid JSON: %s:%u:%u: %s (file:line:column). Fix the JSON "
                   "there and run iwb diff again"), name, where, loc->line, loc->column, what);
}

/* Strict: exactly one JSON value (json-glib 1.6 silently kept only the first
 * of two objects, e.g. JSON Lines from iwb run), the program's depth rule,
 * and lone surrogates kept so that they count as differences. Parsed into a
 * compact tree (iwb-json-tree.h): the whole documents never become
 * JsonNodes, only the changed values do. */
static IwbJsonTree *
load_json (IwbJsonKeys  *keys,
           const char   *path,
           GError      **error)
{
  char *data = NULL;
  g_autoptr(GError) parse_error = NULL;
  IwbJsonLocation loc = { 0 };
  gsize len = 0;
  IwbJsonTree *tree;

  if (!read_document (path, &data, &len, error))
    return NULL;
  tree = iwb_json_tree_parse (keys, data, len, IWB_JSON_PARSE_WTF8, &loc, &parse_error);
  if (tree == NULL)
    set_parse_error (error, path, &loc, parse_error);
  return tree;
}

static void
print_pretty (JsonNode *node)
{
  g_autofree char *text = iwb_json_to_string (node, TRUE); /* 2-space indent */

  fputs (text, stdout);
  fputc ('\n', stdout);
}

int
iwb_cmd_diff (int    argc,
              char **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *color = NULL;
  g_auto(GStrv) rest = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("Output: text (readable, per changed path; the default), json (a list of {path, kind, "
      "old, new}) or patch (an RFC 6902 JSON Patch that turns A into B)"),
      "text|json|patch" },
    { "color", 0, 0, G_OPTION_ARG_STRING, &color,
      N_("Colour the text output: auto (when stdout is a terminal, NO_COLOR is unset or empty "
      "and TERM is not dumb; the default), always or never"), "auto|always|never" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, N_("A.json B.json") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  IwbJsonKeys *keys = NULL;
  IwbJsonTree *a = NULL;
  IwbJsonTree *b = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  gboolean use_color;

  g_option_context_set_summary (context,
    _("Compare two JSON documents structurally, the way the workbench compares descriptors: "
    "objects key by key; lists of objects with an “id” (inputs) or “entrypoint” (actions) "
    "matched by that key, so a reordered item shows as moved; other lists aligned by their "
    "longest common subsequence. Each change has a path such as "
    "actions[entrypoint=main.post].instantiation.steps[0].inputs[id=CHANNEL].options, a "
    "kind (added, removed, changed, moved) and the old and new values. Either file may be "
    "“-” for the standard input."));
  g_option_context_set_description (context,
    _("Exit status:\n"
    "  0   the documents are equal (same values; member order does not matter)\n"
    "  1   they differ\n"
    "  2   a file could not be read or is not valid JSON (file:line:column on stderr)\n"
    "  64  usage error\n"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("iwb diff");

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (rest == NULL || rest[0] == NULL || rest[1] == NULL)
    return usage_error ("give two files: A.json (old) and B.json (new)");
  if (g_str_equal (rest[0], "-") && g_str_equal (rest[1], "-"))
    return usage_error ("only one of the two files can be “-” (the standard input)");
  if (rest[2] != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”: give two files"),
                                                  rest[2]);
      return usage_error (message);
    }
  if (format == NULL)
    format = g_strdup ("text");
  if (!g_str_equal (format, "text") && !g_str_equal (format, "json") &&
      !g_str_equal (format, "patch"))
    {
      g_autofree char *message =
        g_strdup_printf (_("unknown --format “%s”: use text, json or patch"), format);
      return usage_error (message);
    }
  if (color == NULL || g_str_equal (color, "auto"))
    use_color = iwb_cli_use_color (stdout);
  else if (g_str_equal (color, "always"))
    use_color = TRUE;
  else if (g_str_equal (color, "never"))
    use_color = FALSE;
  else
    {
      g_autofree char *message =
        g_strdup_printf (_("unknown --color “%s”: use auto, always or never"), color);
      return usage_error (message);
    }

  keys = iwb_json_keys_new ();
  if ((a = load_json (keys, rest[0], &error)) == NULL ||
      (b = load_json (keys, rest[1], &error)) == NULL)
    {
      fprintf (stderr, "iwb diff: %s\n", error->message);
      iwb_json_tree_free (a);
      iwb_json_keys_free (keys);
      return IWB_EXIT_FAILED;
    }

  changes = iwb_json_diff_trees (a, b);
  /* the changes hold copies of their values: the documents can go now */
  iwb_json_tree_free (a);
  iwb_json_tree_free (b);
  iwb_json_keys_free (keys);

  if (g_str_equal (format, "json"))
    {
      g_autoptr(JsonNode) json = iwb_json_diff_to_json (changes);
      print_pretty (json);
    }
  else if (g_str_equal (format, "patch"))
    {
      g_autoptr(JsonNode) patch = iwb_json_diff_to_patch (changes);
      print_pretty (patch);
    }
  else if (changes->len > 0)
    {
      g_autofree char *text = iwb_json_diff_to_text (changes, use_color ? IWB_JSON_DIFF_TEXT_COLOR
                                                                        : IWB_JSON_DIFF_TEXT_NONE);
      guint counts[4] = { 0, 0, 0, 0 };

      for (guint i = 0; i < changes->len; i++)
        counts[iwb_json_change_get_kind (changes->pdata[i])]++;
      printf ("%s--- %s\n+++ %s%s\n", use_color ? "\033[1m" : "", rest[0], rest[1],
              use_color ? "\033[0m" : "");
      fputs (text, stdout);
      printf (g_dngettext (GETTEXT_PACKAGE, "%u change: %u added, %u removed, %u changed, %u moved\n",
                           "%u changes: %u added, %u removed, %u changed, %u moved\n", changes->len),
              changes->len,
              counts[IWB_JSON_CHANGE_ADDED], counts[IWB_JSON_CHANGE_REMOVED],
              counts[IWB_JSON_CHANGE_CHANGED], counts[IWB_JSON_CHANGE_MOVED]);
    }

  return changes->len == 0 ? IWB_EXIT_DIFF_SAME : IWB_EXIT_DIFF_DIFFERENT;
}

/* `iwb validate FOLDER --show-overrides`: after a connection validation,
 * the effective descriptor's diff against the base descriptor. Returns the
 * exit code: @exit_code, or IWB_EXIT_REPORTED when the validator's
 * actionOverrides could not be applied (the base stays in force). */
int
iwb_cmd_diff_show_overrides (struct _IwbRun *run,
                             gboolean        machine,
                             int             exit_code)
{
  JsonNode *base = iwb_run_get_descriptor (run);
  JsonNode *overrides = iwb_run_get_overrides (run);
  gboolean color = !machine && iwb_cli_use_color (stdout);
  const char *bold = color ? "\033[1m" : "";
  const char *reset = color ? "\033[0m" : "";
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) effective = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *summary = NULL;

  if (overrides != NULL)
    effective = iwb_overrides_apply (base, overrides, &warnings, &error);

  if (effective != NULL)
    {
      changes = iwb_json_diff (base, effective);
      summary = iwb_overrides_summary (base, effective);
    }

  if (machine)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "event");
      json_builder_add_string_value (b, "overrides-diff");
      json_builder_set_member_name (b, "applied");
      json_builder_add_boolean_value (b, effective != NULL);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, error != NULL ? error->message
                                        : summary != NULL ? summary
                                        : "The validator returned no actionOverrides: the "
                                          "effective descriptor is the base descriptor");
      json_builder_set_member_name (b, "warnings");
      json_builder_begin_array (b);
      for (guint i = 0; warnings != NULL && i < warnings->len; i++)
        json_builder_add_string_value (b, warnings->pdata[i]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "changes");
      if (changes != NULL)
        json_builder_add_value (b, iwb_json_diff_to_json (changes));
      else
        {
          json_builder_begin_array (b);
          json_builder_end_array (b);
        }
      json_builder_set_member_name (b, "patch");
      if (changes != NULL)
        json_builder_add_value (b, iwb_json_diff_to_patch (changes));
      else
        {
          json_builder_begin_array (b);
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      text = iwb_json_to_string (root, FALSE);
      printf ("%s\n", text);
    }
  else
    {
      printf (_("\n%sDescriptor overrides%s: "), bold, reset);
      if (error != NULL)
        printf (_("not applied. %s\n"), error->message);
      else if (overrides == NULL)
        printf (_("the validator returned no actionOverrides; the effective descriptor is "
                "the base descriptor.\n"));
      else
        printf ("%s.\n", summary);
      for (guint i = 0; warnings != NULL && i < warnings->len; i++)
        printf (_("warning: %s\n"), (const char *) warnings->pdata[i]);
      if (changes != NULL && changes->len > 0)
        {
          g_autofree char *text = iwb_json_diff_to_text (changes, color ? IWB_JSON_DIFF_TEXT_COLOR
                                                                        : IWB_JSON_DIFF_TEXT_NONE);
          printf (_("%s--- base descriptor\n+++ effective descriptor%s\n"), bold, reset);
          fputs (text, stdout);
        }
    }
  fflush (stdout);

  if (error != NULL && exit_code == IWB_EXIT_OK)
    return IWB_EXIT_REPORTED;
  return exit_code;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One descriptor reader: outside src/core/model/iwb-descriptor.c, no source
 * file under src/ names a descriptor member ("instantiation", "steps",
 * "inputs", "entrypoint", "data_type", "input_type", "options", "actions",
 * "optional", "source") in code, except the files listed below, each with
 * its reason (a format of its own, a GObject property name, ...). A new walk
 * of the raw descriptor fails here with file:line: use iwb-descriptor.h.
 * Comment lines are not read, nor GObject property specifications
 * (g_param_spec_*): a property named "inputs" is not a walk.
 */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

static const struct
{
  const char *path;
  const char *why;
} allowed[] = {
  { "src/core/model/iwb-descriptor.c", "the reader (and the writer) itself" },
  { "src/core/model/iwb-descriptor-override.c", "the reader's writes for actionOverrides (merge, shape check, diff locations)" },
  { "src/core/model/iwb-param.c", "IwbParam from the SDK metadata; iwb_param_to_json writes INPUT" },
  { "src/core/model/iwb-metadata.c", "the SDK's generate_metadata output, a format of its own" },
  { "src/core/json/iwb-json-diff-walk.c", "the list keys of the structural diff" },
  { "src/core/json/iwb-json-diff.h", "the list keys of the structural diff" },
  { "src/core/lint/iwb-lint.c", "the bootstrap's facts JSON, a format of its own" },
  { "src/core/lint/iwb-lint-facts.c", "the bootstrap's facts JSON, a format of its own" },
  { "src/core/process/iwb-load-error.c", "words of the SDK's error messages" },
  { "src/core/session/iwb-profile.c", "the profiles file, a format of its own" },
  { "src/core/session/iwb-history-entry.c", "the history's JSON, a format of its own" },
  { "src/cli/iwb-cmd-history.c", "the history's JSON output" },
  { "src/cli/iwb-cmd-inspect.c", "the word “optional” in its output" },
  { "src/gui/views/iwb-diff-view-text.c", "a segment of a diff change's path" },
};

static gboolean
is_allowed (const char *relative)
{
  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    if (g_str_equal (allowed[i].path, relative))
      return TRUE;
  return FALSE;
}

static gboolean
is_comment (const char *line)
{
  while (*line == ' ' || *line == '\t')
    line++;
  return g_str_has_prefix (line, "/*") || g_str_has_prefix (line, "*") ||
         g_str_has_prefix (line, "//");
}

/* A GObject property's name, not a member read: `... = g_param_spec_object ("inputs", ...`. */
static gboolean
is_property_spec (const char *line)
{
  return strstr (line, "g_param_spec_") != NULL;
}

/* Appends "path:line: text" to @hits for every line of a source file under
 * @dir (relative name @relative) that names a descriptor member. */
static void
scan (const char *root,
      const char *relative,
      GRegex     *member,
      GPtrArray  *hits,
      guint      *n_files)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_str_has_suffix (relative, ".c") && !g_str_has_suffix (relative, ".h"))
        return;
      (*n_files)++;
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      if (is_allowed (relative))
        return;
      lines = g_strsplit (text, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (!is_comment (lines[i]) && !is_property_spec (lines[i]) &&
            g_regex_match (member, lines[i], 0, NULL))
          g_ptr_array_add (hits, g_strdup_printf ("%s:%u: %s", relative, i + 1,
                                                  g_strstrip (lines[i])));
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (relative, name, NULL);

      scan (root, child, member, hits, n_files);
    }
}

static void
test_one_reader (void)
{
  const char *root = g_getenv ("IWB_SOURCE_ROOT");
  g_autoptr(GRegex) member =
    g_regex_new ("\"(instantiation|steps|inputs|entrypoint|data_type|input_type|options|"
                 "actions|optional|source)\"", 0, 0, NULL);
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_free);
  guint n_files = 0;

  g_assert_nonnull (root);
  scan (root, "src", member, hits, &n_files);
  g_assert_cmpuint (n_files, >, 100); /* the tree was found */
  if (hits->len > 0)
    {
      g_autoptr(GString) message = g_string_new ("descriptor members named outside "
                                                 "iwb-descriptor.c (use its accessors):\n");

      for (guint i = 0; i < hits->len; i++)
        g_string_append_printf (message, "  %s\n", (char *) hits->pdata[i]);
      g_test_message ("%s", message->str);
      g_test_fail_printf ("%s", message->str);
    }
}

/* The check finds a walk: a fixture tree with one. */
static void
test_finds_a_walk (void)
{
  g_autofree char *root = g_dir_make_tmp ("iwb-test-walks-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (root, "src", "core", NULL);
  g_autofree char *file = g_build_filename (dir, "iwb-walker.c", NULL);
  g_autofree char *comment = g_build_filename (dir, "iwb-commented.c", NULL);
  g_autofree char *src = g_build_filename (root, "src", NULL);
  g_autoptr(GRegex) member = g_regex_new ("\"(instantiation|steps|inputs)\"", 0, 0, NULL);
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_free);
  guint n_files = 0;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, "int x;\n  y = get (o, \"steps\");\n"
                                      "  p = g_param_spec_object (\"inputs\", NULL);\n", -1, NULL));
  g_assert_true (g_file_set_contents (comment, "/* the \"inputs\" */\n * \"steps\"\n", -1, NULL));
  scan (root, "src", member, hits, &n_files);
  g_assert_cmpuint (n_files, ==, 2);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (hits->pdata[0], ==, "src/core/iwb-walker.c:2: y = get (o, \"steps\");");
  g_remove (file);
  g_remove (comment);
  g_rmdir (dir);
  g_rmdir (src);
  g_rmdir (root);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/descriptor-walks/one-reader", test_one_reader);
  g_test_add_func ("/descriptor-walks/finds-a-walk", test_finds_a_walk);

  return g_test_run ();
}

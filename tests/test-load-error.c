/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where a failed load says the problem is (iwb-load-error.c, _iwb_watch in
 * iwb-lint.c): IwbLoader with real python3 children on the fixtures in
 * tests/fixtures and on folders with symbolic-link loops made here; and
 * iwb_load_error_explain_all() on its own, for what the child cannot show
 * (an installed SDK without import records). */
#include "config.h"

#include <sys/stat.h>

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "iwb-core.h"
#include "iwb-load-error.h"
#include "test-loader-util.h"

/* The error of loading @path (the load must fail). */
static GError *
load_error (const char *path)
{
  g_autoptr(IwbLoader) loader = new_loader (0);
  g_autoptr(IwbIntegration) integration = NULL;
  GError *error = NULL;

  integration = load_path (loader, path, NULL, &error);
  g_assert_null (integration);
  g_assert_nonnull (error);
  return error;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not in the message:\n%s", needle, haystack);
}

static void
assert_lacks (const char *haystack,
              const char *needle)
{
  if (strstr (haystack, needle) != NULL)
    g_error ("“%s” should not be in the message:\n%s", needle, haystack);
}

typedef struct
{
  const char   *fixture;
  IwbErrorCode  code;
  const char   *texts[4];  /* each must be in the message */
  const char   *not_text;  /* must not be */
} Case;

static const Case cases[] = {
  /* `from os import missing` on its own line, not on the first `import os` (line 3)
   * nor on the `import os.path` inside a function */
  { "broken-import-name", IWB_ERROR_MISSING_MODULE,
    { "broken-import-name/main.py:11: import failed: cannot import name "
      "'iwb_fixture_no_such_name' from 'os'", NULL },
    "main.py:3:" },
  /* `import a.b` whose module fails on a relative `from .m import x` */
  { "broken-import-in-package", IWB_ERROR_MISSING_MODULE,
    { "broken-import-in-package/pkg/sub.py:3: import failed:",
      "The integration's own module “pkg.helper” has no “iwb_fixture_not_in_helper”",
      "Raised through: main.py:4 → pkg/sub.py:3", NULL },
    "pip install" },
  /* an exception of the integration's own type, raised in a helper at import:
   * type, innermost line, and the frames (whichever module the SDK imports first) */
  { "broken-raise-at-import", IWB_ERROR_INVALID_INTEGRATION,
    { "broken-raise-at-import/settings.py:7: importing ",
      "raised settings.ConfigError: missing key 'region' in the fixture's settings",
      "settings.py:10 → settings.py:7 in load()", NULL },
    NULL },
  /* an exception whose message is empty */
  { "broken-memory-error", IWB_ERROR_INVALID_INTEGRATION,
    { "broken-memory-error/main.py:6: importing main.py raised MemoryError (with no message)",
      "Raised through: main.py:9 → main.py:6 in allocate()", NULL },
    NULL },
  /* `from . import x` in a top-level module */
  { "broken-relative-import", IWB_ERROR_MISSING_MODULE,
    { "broken-relative-import/main.py:3: import failed: attempted relative import",
      "not as a package", "import x, from x import y", NULL },
    NULL },
  /* the import in the try block that ran, not the same import inside a function */
  { "broken-import-in-try", IWB_ERROR_MISSING_MODULE,
    { "broken-import-in-try/main.py:11: the module “iwb_fixture_absent_in_try” is not installed",
      NULL },
    "main.py:6:" },
  /* a syntax error in a sub-package: its file and line, and the import that reached it */
  { "broken-syntax-in-package", IWB_ERROR_SYNTAX,
    { "broken-syntax-in-package/pkg/bad.py:5: syntax error: '(' was never closed",
      "Imported from main.py:4", NULL },
    NULL },
  /* still right: a syntax error, an SDK rule, DataType.COLUMN */
  { "broken-syntax", IWB_ERROR_SYNTAX,
    { "broken-syntax/main.py:6: syntax error: expected ':'", "def broken(value)", NULL },
    NULL },
  { "broken-duplicate-param", IWB_ERROR_INVALID_INTEGRATION,
    { "broken-duplicate-param/main.py:6:", "same id (TOKEN)", NULL },
    NULL },
  { "broken-column", IWB_ERROR_INVALID_INTEGRATION,
    { "broken-column/main.py:5: DataType.COLUMN", NULL },
    NULL },
  /* no result: where sys.exit() was called at import */
  { "broken-exit", IWB_ERROR_CRASHED,
    { "exited with code 3 without printing a result: a module called sys.exit() while being "
      "imported, at ", "broken-exit/main.py:7 (sys.exit(3))", NULL },
    NULL },
  /* a malformed [result] line: and how the process ended */
  { "broken-invalid-json", IWB_ERROR_INVALID_JSON,
    { "not metadata", "it then exited with code 0", "{this is not json", NULL },
    NULL },
};

static void
test_case (gconstpointer user_data)
{
  const Case *c = user_data;
  g_autofree char *path = fixture (c->fixture);
  g_autoptr(GError) error = load_error (path);

  g_assert_error (error, IWB_ERROR, (gint) c->code);
  for (guint i = 0; c->texts[i] != NULL; i++)
    assert_contains (error->message, c->texts[i]);
  if (c->not_text != NULL)
    assert_lacks (error->message, c->not_text);
}

/* ---- symbolic links that loop or lead nowhere -------------------------- */

static char *
write_file (const char *folder,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (folder, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
make_link (const char *target,
           const char *folder,
           const char *name)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);

  g_assert_cmpint (symlink (target, path), ==, 0);
}

static const char main_py[] =
  "from lhub_integ import action\n"
  "import pkg.mod\n"
  "\n"
  "@action\n"
  "def echo(value):\n"
  "    return {'value': value}\n";

static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
test_links (void)
{
  g_autofree char *root = g_dir_make_tmp ("iwb-test-load-error-XXXXXX", NULL);
  g_autofree char *modloop = g_build_filename (root, "modloop", NULL);
  g_autofree char *subloop = g_build_filename (root, "subloop", NULL);
  g_autofree char *dirloop = g_build_filename (root, "dirloop", NULL);
  g_autofree char *folder_loop = g_build_filename (root, "folder-loop", NULL);
  g_autofree char *folder_dangling = g_build_filename (root, "folder-dangling", NULL);
  g_autofree char *pkg = NULL;
  g_autofree char *file = NULL;

  g_assert_nonnull (root);

  /* the folder itself: a link to itself, a link to nothing */
  make_link ("folder-loop", root, "folder-loop");
  make_link ("no-such-folder", root, "folder-dangling");
  {
    g_autoptr(GError) loop = load_error (folder_loop);
    g_autoptr(GError) dangling = load_error (folder_dangling);

    g_assert_error (loop, IWB_ERROR, IWB_ERROR_NOT_FOUND);
    assert_contains (loop->message, "folder-loop: cannot open the folder: folder-loop is a "
                                    "symbolic link that loops");
    assert_lacks (loop->message, "not a folder");
    g_assert_error (dangling, IWB_ERROR, IWB_ERROR_NOT_FOUND);
    assert_contains (dangling->message, "folder-dangling is a symbolic link to nothing");
  }

  /* the only module: main.py -> main.py */
  g_assert_cmpint (g_mkdir (modloop, 0700), ==, 0);
  make_link ("main.py", modloop, "main.py");
  {
    g_autoptr(GError) error = load_error (modloop);

    g_assert_error (error, IWB_ERROR, IWB_ERROR_NO_ACTIONS);
    assert_contains (error->message, "cannot be read");
    assert_contains (error->message, "main.py is a symbolic link that loops");
  }

  /* a module of a sub-package: pkg/mod.py -> mod.py */
  g_assert_cmpint (g_mkdir (subloop, 0700), ==, 0);
  pkg = g_build_filename (subloop, "pkg", NULL);
  g_assert_cmpint (g_mkdir (pkg, 0700), ==, 0);
  g_free (write_file (pkg, "__init__.py", ""));
  make_link ("mod.py", pkg, "mod.py");
  file = write_file (subloop, "main.py", main_py);
  {
    g_autoptr(GError) error = load_error (subloop);

    g_assert_error (error, IWB_ERROR, IWB_ERROR_MISSING_MODULE);
    assert_contains (error->message, "subloop/main.py:2: the module “pkg.mod” cannot be "
                                     "imported: pkg/mod.py is a symbolic link that loops");
    assert_lacks (error->message, "pip install");
  }

  /* a sub-folder that is a link to itself: pkg -> pkg */
  g_assert_cmpint (g_mkdir (dirloop, 0700), ==, 0);
  make_link ("pkg", dirloop, "pkg");
  g_free (write_file (dirloop, "main.py", main_py));
  {
    g_autoptr(GError) error = load_error (dirloop);

    g_assert_error (error, IWB_ERROR, IWB_ERROR_MISSING_MODULE);
    assert_contains (error->message, "dirloop/main.py:2: the module “pkg” cannot be "
                                     "imported: pkg is a symbolic link that loops");
  }

  /* files that are not files: main.py a FIFO, main.py a link to a device,
   * pkg/mod.py a FIFO (Python skips them without a word) */
  {
    const char *kinds[] = { "fifo", "device" };

    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      {
        g_autofree char *name = g_strconcat ("mod", kinds[i], NULL);
        g_autofree char *dir = g_build_filename (root, name, NULL);
        g_autofree char *main_path = g_build_filename (dir, "main.py", NULL);
        g_autoptr(GError) error = NULL;

        g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
        if (i == 0)
          g_assert_cmpint (mkfifo (main_path, 0600), ==, 0);
        else
          make_link ("/dev/null", dir, "main.py");
        error = load_error (dir);
        g_assert_error (error, IWB_ERROR, IWB_ERROR_NO_ACTIONS);
        assert_contains (error->message, i == 0 ? "main.py is a pipe (FIFO), not a file"
                                                : "main.py is a device, not a file");
      }
  }
  {
    g_autofree char *subfifo = g_build_filename (root, "subfifo", NULL);
    g_autofree char *fifo_pkg = g_build_filename (subfifo, "pkg", NULL);
    g_autofree char *fifo = g_build_filename (fifo_pkg, "mod.py", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (g_mkdir_with_parents (fifo_pkg, 0700), ==, 0);
    g_free (write_file (fifo_pkg, "__init__.py", ""));
    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    g_free (write_file (subfifo, "main.py", main_py));
    error = load_error (subfifo);
    g_assert_error (error, IWB_ERROR, IWB_ERROR_MISSING_MODULE);
    assert_contains (error->message, "the module “pkg.mod” cannot be imported: pkg/mod.py is a "
                                     "pipe (FIFO), not a file");
    assert_lacks (error->message, "is not in the integration's folder");
  }

  remove_tree (root);
}

/* ---- without import records (an installed SDK), the facts still help ---- */

static void
test_static_fallback (void)
{
  const char *facts_text =
    "{\"files\": [{\"file\": \"main.py\", \"module\": \"main\", \"imported\": true, "
    "\"imports\": [{\"module\": \"os\", \"line\": 3}, {\"module\": \"os\", \"line\": 9}, "
    "{\"module\": \"os.missing\", \"line\": 9}, {\"module\": \".helpers\", \"line\": 12}]}]}";
  const char *errors[] = {
    "Failed to import module (did you run bundle-integrations?): cannot import name "
    "'missing' from 'os' (/usr/lib/python3.11/os.py)",
    "Failed to import module (did you run bundle-integrations?): attempted relative import "
    "with no known parent package",
    "Failed to import module (Unexpected error): ",
    NULL
  };
  g_autoptr(JsonNode) node = json_from_string (facts_text, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  IwbErrorCode code;

  g_assert_nonnull (node);
  code = iwb_load_error_explain_all ("/integration", "/usr/bin/python3",
                                     json_node_get_object (node), errors, out);
  g_assert_cmpint (code, ==, IWB_ERROR_MISSING_MODULE);
  assert_contains (out->str, "/integration/main.py:9: import failed: cannot import name 'missing'");
  assert_contains (out->str, "/integration/main.py:12: import failed: attempted relative import");
  /* an empty message (MemoryError) still says something */
  assert_contains (out->str, "/integration: importing a module raised an exception with no "
                             "message");
  assert_lacks (out->str, "main.py:3:");
}

/* A record is matched to its SDK error by message, in order, each used once. */
static void
test_records_matched_in_order (void)
{
  const char *facts_text =
    "{\"import_errors\": ["
    "{\"module\": \"a\", \"type\": \"ValueError\", \"message\": \"same\", "
    " \"frames\": [{\"file\": \"a.py\", \"line\": 4, \"function\": \"<module>\"}]},"
    "{\"module\": \"b\", \"type\": \"KeyError\", \"message\": \"same\", "
    " \"frames\": [{\"file\": \"b.py\", \"line\": 7, \"function\": \"<module>\"}]}]}";
  const char *errors[] = {
    "Failed to import module (Unexpected error): same",
    "Failed to import module (Unexpected error): same",
    NULL
  };
  g_autoptr(JsonNode) node = json_from_string (facts_text, NULL);
  g_autoptr(GString) out = g_string_new (NULL);

  iwb_load_error_explain_all ("/i", "python3", json_node_get_object (node), errors, out);
  assert_contains (out->str, "/i/a.py:4: importing a.py raised ValueError: same.");
  assert_contains (out->str, "/i/b.py:7: importing b.py raised KeyError: same.");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/load-error/%s", cases[i].fixture);

      g_test_add_data_func (name, &cases[i], test_case);
    }
  g_test_add_func ("/load-error/links", test_links);
  g_test_add_func ("/load-error/static-fallback", test_static_fallback);
  g_test_add_func ("/load-error/records-matched-in-order", test_records_matched_in_order);

  return g_test_run ();
}

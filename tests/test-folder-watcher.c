/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbFolderWatcher on real files in a temporary folder: the tests change
 * files the way editors and users do, then iterate the main context until
 * the "changed" signal (with a timeout). No fixed waits:
 *
 * - signals are checked in order, each against the exact list of paths, so
 *   a stray signal (or a path too many) fails the check of the next one;
 * - "nothing else comes" is checked with a sentinel: a relevant file
 *   written afterwards must come alone in the next signal; a stray signal,
 *   late or early, comes before it or joins it;
 * - while the watcher cannot report anything (stopped, paused, a long
 *   debounce), a second watcher on the same folder with a longer debounce
 *   is the witness: once it signalled the change, the watcher under test,
 *   which got the same events, would have signalled it too.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "iwb-core.h"

/* The test writes a burst's files without iterating the main context, so
 * their events are handled together: a short debounce cannot split them. */
#define DEBOUNCE_MS 100
#define WITNESS_DEBOUNCE_MS (2 * DEBOUNCE_MS)
#define SIGNAL_TIMEOUT_MS 10000          /* a signal that should come */

typedef struct
{
  char             *dir;
  GFile            *folder;
  IwbFolderWatcher *watcher;
  GPtrArray        *signals;   /* char ** per "changed" emission */
  guint             seen;      /* signals checked so far (sentinels included) */
  guint             n_expected; /* signals checked so far (sentinels excluded) */
  guint             n_sentinels;

  IwbFolderWatcher *witness;   /* nullable: see start_witness() */
  GPtrArray        *witness_signals;
  guint             witness_seen;
} Fixture;

/* ---------------------------------------------------------------------- */

static void
on_changed (IwbFolderWatcher   *watcher,
            const char * const *paths,
            GPtrArray          *signals)
{
  g_assert_nonnull (paths);
  g_assert_nonnull (paths[0]);
  g_ptr_array_add (signals, g_strdupv ((char **) paths));
}

static gboolean
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates until @signals has @n entries; fails after SIGNAL_TIMEOUT_MS. */
static void
wait_for_signals (GPtrArray *signals,
                  guint      n)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (SIGNAL_TIMEOUT_MS, set_true, &expired);

  while (signals->len < n && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  if (signals->len < n)
    g_error ("no \"changed\" signal within %u ms (got %u, waited for %u)",
             SIGNAL_TIMEOUT_MS, signals->len, n);
}

/* Dispatches whatever is ready now (a timer already due included). */
static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
check_paths (Fixture            *f,
             guint               index,
             const char * const *expected,
             const char         *what)
{
  char **paths = g_ptr_array_index (f->signals, index);

  if (!g_strv_equal ((const char * const *) paths, expected))
    {
      g_autofree char *got = g_strjoinv (" ", paths);
      g_autofree char *want = g_strjoinv (" ", (char **) expected);
      g_error ("%s named [%s], expected [%s]", what, got, want);
    }
}

/* Waits for the next signal, which must be the test's signal number @n
 * (sentinels not counted) and name exactly @expected. */
static void
assert_signal (Fixture            *f,
               guint               n,
               const char * const *expected)
{
  g_autofree char *what = g_strdup_printf ("signal %u", n);

  g_assert_cmpuint (f->n_expected + 1, ==, n);
  wait_for_signals (f->signals, f->seen + 1);
  check_paths (f, f->seen, expected, what);
  f->seen++;
  f->n_expected++;
}

#define ASSERT_SIGNAL(f, n, ...) \
  assert_signal ((f), (n), (const char * const []) { __VA_ARGS__, NULL })

static void write_file (Fixture *f, const char *rel, const char *text);

/* While the watcher is started and not paused: no signal other than the
 * ones checked came or is pending, and the changes made since the last
 * checked signal were all ignored. A relevant file written now must come
 * alone in the next signal. */
static void
assert_quiet (Fixture *f,
              guint    n)
{
  g_autofree char *sentinel = g_strdup_printf ("zz_sentinel_%u.py", ++f->n_sentinels);
  const char *expected[] = { sentinel, NULL };

  g_assert_cmpuint (f->n_expected, ==, n);
  write_file (f, sentinel, "");
  wait_for_signals (f->signals, f->seen + 1);
  check_paths (f, f->seen, expected, "the signal after the last expected one");
  f->seen++;
}

/* The last expected signal of a stretch: then nothing else. */
#define ASSERT_LAST_SIGNAL(f, n, ...) \
  G_STMT_START { \
    ASSERT_SIGNAL ((f), (n), __VA_ARGS__); \
    assert_quiet ((f), (n)); \
  } G_STMT_END

/* A second watcher on the folder, started before the changes that the
 * watcher under test must not report. */
static void
start_witness (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (f->witness);
  f->witness = iwb_folder_watcher_new (f->folder);
  iwb_folder_watcher_set_debounce (f->witness, WITNESS_DEBOUNCE_MS);
  f->witness_signals = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_signal_connect (f->witness, "changed", G_CALLBACK (on_changed), f->witness_signals);
  g_assert_true (iwb_folder_watcher_start (f->witness, &error));
  g_assert_no_error (error);
}

/* The watcher under test, which cannot report now (stopped, paused, a long
 * debounce), did not signal the change of @rel: the witness, which got the
 * same events and signals later, did. */
static void
assert_quiet_witnessed (Fixture    *f,
                        guint       n,
                        const char *rel)
{
  gboolean found = FALSE;

  g_assert_nonnull (f->witness);
  while (!found)
    {
      wait_for_signals (f->witness_signals, f->witness_seen + 1);
      found = g_strv_contains (g_ptr_array_index (f->witness_signals, f->witness_seen), rel);
      f->witness_seen++;
    }
  drain ();
  g_assert_cmpuint (f->n_expected, ==, n);
  g_assert_cmpuint (f->signals->len, ==, f->seen);
}

/* Iterates for @ms whatever arrives: time passing is part of a scenario
 * (not a way to wait for something). */
static void
iterate_for (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, set_true, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

static char *
path_of (Fixture    *f,
         const char *rel)
{
  return g_build_filename (f->dir, rel, NULL);
}

/* open / write / close, like a plain editor save or `echo > file`. */
static void
write_file (Fixture    *f,
            const char *rel,
            const char *text)
{
  g_autofree char *path = path_of (f, rel);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, text, strlen (text)), ==, (gssize) strlen (text));
  g_assert_no_errno (close (fd));
}

static void
make_dir (Fixture    *f,
          const char *rel)
{
  g_autofree char *path = path_of (f, rel);
  g_assert_no_errno (g_mkdir_with_parents (path, 0755));
}

static void
rename_file (Fixture    *f,
             const char *from,
             const char *to)
{
  g_autofree char *a = path_of (f, from);
  g_autofree char *b = path_of (f, to);
  g_assert_no_errno (g_rename (a, b));
}

static void
remove_file (Fixture    *f,
             const char *rel)
{
  g_autofree char *path = path_of (f, rel);
  g_assert_no_errno (g_unlink (path));
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFile *child;
      GFileInfo *info;

      while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
        remove_tree (child);
    }
  g_file_delete (file, NULL, NULL);
}

static void
start (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (iwb_folder_watcher_start (f->watcher, &error));
  g_assert_no_error (error);
  g_assert_true (iwb_folder_watcher_is_started (f->watcher));
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("iwb-watcher-XXXXXX", &error);
  g_assert_no_error (error);
  f->folder = g_file_new_for_path (f->dir);
  f->watcher = iwb_folder_watcher_new (f->folder);
  g_assert_cmpuint (iwb_folder_watcher_get_debounce (f->watcher), ==,
                    IWB_FOLDER_WATCHER_DEFAULT_DEBOUNCE);
  iwb_folder_watcher_set_debounce (f->watcher, DEBOUNCE_MS);
  g_assert_true (g_file_equal (iwb_folder_watcher_get_folder (f->watcher), f->folder));
  f->signals = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_signal_connect (f->watcher, "changed", G_CALLBACK (on_changed), f->signals);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_assert_finalize_object (f->watcher);
  /* nothing may fire after finalization (the handler's data is still alive
   * here, so a stray emission would be counted) */
  g_ptr_array_set_size (f->signals, 0);
  f->seen = 0;
  if (f->witness == NULL)
    start_witness (f);
  write_file (f, "after.py", "x = 1\n");
  assert_quiet_witnessed (f, f->n_expected, "after.py");
  g_assert_cmpuint (f->signals->len, ==, 0);
  g_assert_finalize_object (f->witness);
  g_ptr_array_unref (f->witness_signals);

  remove_tree (f->folder);
  g_assert_false (g_file_query_exists (f->folder, NULL));
  g_object_unref (f->folder);
  g_ptr_array_unref (f->signals);
  g_free (f->dir);
}

/* ---------------------------------------------------------------------- */

static void
test_write (Fixture       *f,
            gconstpointer  data)
{
  write_file (f, "main.py", "print('old')\n");
  start (f);

  write_file (f, "a.py", "x = 1\n");
  ASSERT_SIGNAL (f, 1, "a.py");

  write_file (f, "main.py", "print('new')\n");
  ASSERT_SIGNAL (f, 2, "main.py");

  remove_file (f, "a.py");
  ASSERT_LAST_SIGNAL (f, 3, "a.py");
}

static void
test_burst (Fixture       *f,
            gconstpointer  data)
{
  start (f);

  for (guint i = 0; i < 20; i++)
    {
      const char *names[] = { "a.py", "b.py", "c.py", "d.py" };
      g_autofree char *text = g_strdup_printf ("n = %u\n", i);
      write_file (f, names[i % 4], text);
    }
  ASSERT_LAST_SIGNAL (f, 1, "a.py", "b.py", "c.py", "d.py");
}

/* One save written in chunks, with pauses between them longer than the
 * debounce interval: still one signal, after the file is closed. */
static void
test_chunked_save (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = path_of (f, "a.py");
  int fd;

  write_file (f, "a.py", "");
  start (f);

  fd = open (path, O_WRONLY | O_TRUNC);
  g_assert_cmpint (fd, >=, 0);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *chunk = g_strdup_printf ("line_%u = %u\n", i, i);
      g_assert_cmpint (write (fd, chunk, strlen (chunk)), ==, (gssize) strlen (chunk));
      iterate_for (DEBOUNCE_MS * 2); /* a pause longer than the debounce */
      g_assert_cmpuint (f->signals->len, ==, 0);
    }
  g_assert_no_errno (close (fd));
  ASSERT_LAST_SIGNAL (f, 1, "a.py");
}

static void
test_temp_rename (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = path_of (f, "a.py");
  g_autoptr(GError) error = NULL;

  write_file (f, "a.py", "x = 0\n");
  start (f);

  /* g_file_set_contents(): a.py.XXXXXX, then renamed over a.py */
  g_file_set_contents (path, "x = 1\n", -1, &error);
  g_assert_no_error (error);
  ASSERT_SIGNAL (f, 1, "a.py");

  /* vim: a.py -> a.py~ (backup), new a.py written, backup removed */
  rename_file (f, "a.py", "a.py~");
  write_file (f, "a.py", "x = 2\n");
  remove_file (f, "a.py~");
  ASSERT_SIGNAL (f, 2, "a.py");

  /* GIO / gedit: hidden temporary file renamed over the target */
  write_file (f, ".goutputstream-Q1W2E3", "x = 3\n");
  rename_file (f, ".goutputstream-Q1W2E3", "a.py");
  ASSERT_SIGNAL (f, 3, "a.py");

  /* a module renamed: both names */
  rename_file (f, "a.py", "b.py");
  ASSERT_LAST_SIGNAL (f, 4, "a.py", "b.py");
}

static void
test_ignored (Fixture       *f,
              gconstpointer  data)
{
  make_dir (f, ".git/hooks");
  write_file (f, ".git/hooks/pre-commit.py", "");
  make_dir (f, "oldenv/lib");
  write_file (f, "oldenv/pyvenv.cfg", "home = /usr/bin\n");
  start (f);

  make_dir (f, "__pycache__");
  write_file (f, "__pycache__/main.cpython-311.pyc", "\x01");
  write_file (f, "__pycache__/stray.py", "");
  write_file (f, "main.pyc", "\x01");
  write_file (f, ".#main.py", "lock");
  write_file (f, "main.py~", "backup");
  write_file (f, ".main.py.swp", "swap");
  write_file (f, "#main.py#", "autosave");
  write_file (f, "notes.txt", "notes");
  write_file (f, "main.py.orig", "");
  write_file (f, ".git/hooks/pre-commit.py", "x = 1\n");
  write_file (f, ".git/config.py", "");
  make_dir (f, ".hidden/pkg");
  write_file (f, ".hidden/pkg/mod.py", "");
  make_dir (f, "node_modules/x");
  write_file (f, "node_modules/x/gyp.py", "");
  write_file (f, "oldenv/lib/site.py", "");
  make_dir (f, "newenv/lib");
  write_file (f, "newenv/pyvenv.cfg", "home = /usr/bin\n");
  write_file (f, "newenv/lib/site.py", "");
  make_dir (f, "sub");
  write_file (f, "sub/requirements.txt", "requests\n");

  assert_quiet (f, 0);

  /* the same burst with one relevant file names only that one */
  write_file (f, "main.pyc", "\x02");
  write_file (f, ".git/hooks/pre-commit.py", "x = 2\n");
  write_file (f, "newenv/lib/site.py", "x = 2\n");
  write_file (f, "main.py", "x = 2\n");
  write_file (f, "__pycache__/stray.py", "x = 2\n");
  ASSERT_LAST_SIGNAL (f, 1, "main.py");
}

/* `python3 -m venv env` creates the folders first and pyvenv.cfg after:
 * from then on the environment is not watched. */
static void
test_virtualenv_later (Fixture       *f,
                       gconstpointer  data)
{
  start (f);

  make_dir (f, "env/lib");
  write_file (f, "env/lib/site.py", "");
  ASSERT_SIGNAL (f, 1, "env/lib/site.py");

  write_file (f, "env/pyvenv.cfg", "home = /usr/bin\n");
  write_file (f, "env/lib/site.py", "x = 1\n");
  make_dir (f, "env/lib/python3.11/site-packages/pip");
  write_file (f, "env/lib/python3.11/site-packages/pip/__init__.py", "");
  assert_quiet (f, 1);
}

static void
test_requirements (Fixture       *f,
                   gconstpointer  data)
{
  start (f);

  write_file (f, "requirements.txt", "requests==2.28.1\n");
  ASSERT_SIGNAL (f, 1, "requirements.txt");

  remove_file (f, "requirements.txt");
  ASSERT_LAST_SIGNAL (f, 2, "requirements.txt");
}

static void
test_subfolders (Fixture       *f,
                 gconstpointer  data)
{
  make_dir (f, "lib/deep");
  write_file (f, "lib/helpers.py", "");
  write_file (f, "lib/deep/util.py", "");
  start (f);

  /* folders that existed at start */
  write_file (f, "lib/deep/util.py", "x = 1\n");
  ASSERT_SIGNAL (f, 1, "lib/deep/util.py");

  /* a new package, nested: files written right after mkdir are found */
  make_dir (f, "pkg/sub");
  write_file (f, "pkg/__init__.py", "");
  write_file (f, "pkg/sub/mod.py", "x = 1\n");
  ASSERT_SIGNAL (f, 2, "pkg/__init__.py", "pkg/sub/mod.py");

  /* and watched afterwards */
  write_file (f, "pkg/sub/mod.py", "x = 2\n");
  ASSERT_LAST_SIGNAL (f, 3, "pkg/sub/mod.py");
}

static void
test_subfolder_moves (Fixture       *f,
                      gconstpointer  data)
{
  make_dir (f, "pkg/sub");
  write_file (f, "pkg/__init__.py", "");
  write_file (f, "pkg/sub/mod.py", "");
  make_dir (f, ".staging/ext");
  write_file (f, ".staging/ext/__init__.py", "");
  start (f);

  /* a package moved in from elsewhere */
  rename_file (f, ".staging/ext", "ext");
  ASSERT_SIGNAL (f, 1, "ext/__init__.py");
  write_file (f, "ext/__init__.py", "x = 1\n");
  ASSERT_SIGNAL (f, 2, "ext/__init__.py");

  /* a package renamed: old and new paths, then watched under the new name */
  rename_file (f, "pkg", "pkg2");
  ASSERT_SIGNAL (f, 3, "pkg/__init__.py", "pkg/sub/mod.py",
                 "pkg2/__init__.py", "pkg2/sub/mod.py");
  write_file (f, "pkg2/sub/mod.py", "x = 1\n");
  ASSERT_SIGNAL (f, 4, "pkg2/sub/mod.py");

  /* moved into another package */
  rename_file (f, "ext", "pkg2/ext");
  ASSERT_SIGNAL (f, 5, "ext/__init__.py", "pkg2/ext/__init__.py");

  /* a package moved out of the folder */
  rename_file (f, "pkg2", ".staging/pkg2");
  ASSERT_SIGNAL (f, 6, "pkg2/__init__.py", "pkg2/ext/__init__.py", "pkg2/sub/mod.py");
  write_file (f, ".staging/pkg2/sub/mod.py", "x = 2\n");
  assert_quiet (f, 6);
}

static void
test_pause_resume (Fixture       *f,
                   gconstpointer  data)
{
  start (f);
  start_witness (f);

  iwb_folder_watcher_pause (f->watcher);
  g_assert_true (iwb_folder_watcher_is_paused (f->watcher));
  write_file (f, "a.py", "x = 1\n");
  make_dir (f, "pkg");
  write_file (f, "pkg/mod.py", "");
  assert_quiet_witnessed (f, 0, "pkg/mod.py");

  /* what happened while paused stays ignored */
  iwb_folder_watcher_resume (f->watcher);
  g_assert_false (iwb_folder_watcher_is_paused (f->watcher));
  assert_quiet (f, 0);

  /* a folder created while paused is watched */
  write_file (f, "pkg/mod.py", "x = 1\n");
  ASSERT_LAST_SIGNAL (f, 1, "pkg/mod.py");

  /* pauses nest */
  iwb_folder_watcher_pause (f->watcher);
  iwb_folder_watcher_pause (f->watcher);
  iwb_folder_watcher_resume (f->watcher);
  g_assert_true (iwb_folder_watcher_is_paused (f->watcher));
  write_file (f, "b.py", "");
  assert_quiet_witnessed (f, 1, "b.py");
  iwb_folder_watcher_resume (f->watcher);
  write_file (f, "c.py", "");
  ASSERT_LAST_SIGNAL (f, 2, "c.py");

  /* a change collected before a pause is signalled after the resume */
  iwb_folder_watcher_set_debounce (f->watcher, 60 * 1000);
  write_file (f, "d.py", "");
  assert_quiet_witnessed (f, 2, "d.py");
  iwb_folder_watcher_pause (f->watcher);
  iwb_folder_watcher_set_debounce (f->watcher, DEBOUNCE_MS);
  write_file (f, "e.py", "");
  assert_quiet_witnessed (f, 2, "e.py");
  iwb_folder_watcher_resume (f->watcher);
  ASSERT_LAST_SIGNAL (f, 3, "d.py");
}

static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  start (f);
  start (f);   /* twice is fine */
  start_witness (f);

  write_file (f, "a.py", "");
  ASSERT_LAST_SIGNAL (f, 1, "a.py");

  iwb_folder_watcher_stop (f->watcher);
  g_assert_false (iwb_folder_watcher_is_started (f->watcher));
  write_file (f, "b.py", "");
  assert_quiet_witnessed (f, 1, "b.py");

  /* stopping drops a burst in progress */
  start (f);
  write_file (f, "c.py", "");
  iwb_folder_watcher_stop (f->watcher);
  assert_quiet_witnessed (f, 1, "c.py");

  start (f);
  write_file (f, "d.py", "");
  ASSERT_LAST_SIGNAL (f, 2, "d.py");
}

/* Finalized while started, with a burst in progress. */
static void
test_finalize_started (Fixture       *f,
                       gconstpointer  data)
{
  make_dir (f, "pkg");
  start (f);
  write_file (f, "a.py", "");
  write_file (f, "pkg/b.py", "");
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file_path = path_of (f, "main.py");
  g_autofree char *missing_path = path_of (f, "missing");
  g_autoptr(GFile) file = g_file_new_for_path (file_path);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(IwbFolderWatcher) on_file = iwb_folder_watcher_new (file);
  g_autoptr(IwbFolderWatcher) on_missing = iwb_folder_watcher_new (missing);

  write_file (f, "main.py", "");

  g_assert_false (iwb_folder_watcher_start (on_missing, &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing_path));
  g_assert_false (iwb_folder_watcher_is_started (on_missing));
  g_clear_error (&error);

  g_assert_false (iwb_folder_watcher_start (on_file, &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_NOT_A_FOLDER);
  g_assert_nonnull (strstr (error->message, file_path));
  g_assert_false (iwb_folder_watcher_is_started (on_file));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/folder-watcher/" name, Fixture, NULL, setup, func, teardown)

  ADD ("write", test_write);
  ADD ("burst", test_burst);
  ADD ("chunked-save", test_chunked_save);
  ADD ("temp-rename", test_temp_rename);
  ADD ("ignored", test_ignored);
  ADD ("virtualenv-later", test_virtualenv_later);
  ADD ("requirements", test_requirements);
  ADD ("subfolders", test_subfolders);
  ADD ("subfolder-moves", test_subfolder_moves);
  ADD ("pause-resume", test_pause_resume);
  ADD ("stop", test_stop);
  ADD ("finalize-started", test_finalize_started);
  ADD ("errors", test_errors);

#undef ADD

  return g_test_run ();
}

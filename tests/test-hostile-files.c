/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile files where the program reads a whole file it did not write: a
 * link to /dev/zero, a FIFO with no writer, a 2 GB sparse file, a folder, a
 * symlink loop, a missing file. iwb_file_read_bounded() itself, then the
 * readers that use it: the profiles store (refused, left where it is, no
 * hang), `--set-file` and `iwb diff` (a clear error, bounded memory), and
 * profiles.json files of the wrong shape at every level (moved aside with
 * their bytes kept, never overwritten by the next save). */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iwb-core.h"
#include "test-iwb-util.h"
#include "test-stores-util.h"

typedef enum
{
  KIND_SMALL,      /* a regular file of 5 bytes */
  KIND_DEV_ZERO,   /* a symlink to /dev/zero */
  KIND_FIFO,       /* a FIFO nobody writes to */
  KIND_SPARSE,     /* 2 GB of holes */
  KIND_FOLDER,
  KIND_LOOP,       /* a symlink to a symlink to itself */
  KIND_MISSING,
  N_KINDS
} Kind;

static const char *kind_names[] = { "small", "dev-zero", "fifo", "sparse-2g", "folder",
                                    "symlink-loop", "missing" };

/* Makes @path a file of @kind (its parent exists). */
static void
make_kind (const char *path,
           Kind        kind)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *other = g_build_filename (dir, "loop-other", NULL);
  int fd;

  g_remove (path);
  switch (kind)
    {
    case KIND_SMALL:
      g_assert_true (g_file_set_contents (path, "hello", -1, NULL));
      break;
    case KIND_DEV_ZERO:
      g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);
      break;
    case KIND_FIFO:
      g_assert_cmpint (mkfifo (path, 0600), ==, 0);
      break;
    case KIND_SPARSE:
      fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (ftruncate (fd, (off_t) 2 * 1024 * 1024 * 1024), ==, 0);
      close (fd);
      break;
    case KIND_FOLDER:
      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
      break;
    case KIND_LOOP:
      g_remove (other);
      g_assert_cmpint (symlink (path, other), ==, 0);
      g_assert_cmpint (symlink (other, path), ==, 0);
      break;
    case KIND_MISSING:
    case N_KINDS:
    default:
      break;
    }
}

static void
unmake_kind (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *other = g_build_filename (dir, "loop-other", NULL);

  if (g_rmdir (path) != 0)
    g_remove (path);
  g_remove (other);
}

static gpointer
write_fifo (gpointer data)
{
  int fd = open (data, O_WRONLY);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "piped", 5), ==, 5);
  close (fd);
  return NULL;
}

static void
test_read_bounded (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("iwb-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "file", NULL);

  for (Kind k = 0; k < N_KINDS; k++)
    for (int regular_only = 0; regular_only <= 1; regular_only++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *data = NULL;
        GThread *writer = NULL;
        gsize len = 0;

        g_test_message ("%s, %s", kind_names[k], regular_only ? "regular only" : "default");
        make_kind (path, k);
        /* Without the flag a FIFO is read like a pipe: give it a writer. */
        if (k == KIND_FIFO && !regular_only)
          writer = g_thread_new ("fifo-writer", write_fifo, path);
        data = iwb_file_read_bounded (path, 1024 * 1024,
                                      regular_only ? IWB_FILE_READ_REGULAR_ONLY
                                                   : IWB_FILE_READ_DEFAULT,
                                      &len, &error);
        if (writer != NULL)
          g_thread_join (writer);
        switch (k)
          {
          case KIND_SMALL:
            g_assert_no_error (error);
            g_assert_cmpstr (data, ==, "hello");
            g_assert_cmpuint (len, ==, 5);
            break;
          case KIND_FIFO:
            if (regular_only)
              {
                g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
                g_assert_nonnull (strstr (error->message, "not a regular file"));
              }
            else
              {
                g_assert_no_error (error);
                g_assert_cmpstr (data, ==, "piped");
              }
            break;
          case KIND_DEV_ZERO:
            g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
            g_assert_nonnull (strstr (error->message, regular_only ? "not a regular file"
                                                                   : "larger than 1.0"));
            break;
          case KIND_SPARSE:
            g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
            g_assert_nonnull (strstr (error->message, "larger than 1.0"));
            break;
          case KIND_FOLDER:
            g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
            break;
          case KIND_LOOP:
            g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_LOOP);
            break;
          case KIND_MISSING:
            g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
            break;
          case N_KINDS:
          default:
            g_assert_not_reached ();
          }
        if (error != NULL)
          g_assert_null (data);
        unmake_kind (path);
      }
  iwb_test_remove_tree (tmp);
}

/* The window's input rows file of every kind: an error at once. */
static void
test_input_rows_kinds (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("iwb-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "rows.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  for (Kind k = KIND_DEV_ZERO; k < N_KINDS; k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      int expected;

      g_test_message ("input rows: %s", kind_names[k]);
      make_kind (path, k);
      rows = iwb_input_rows_load (file, IWB_INPUT_FORMAT_AUTO, &error);
      g_assert_null (rows);
      expected = k == KIND_MISSING ? IWB_ERROR_NOT_FOUND : IWB_ERROR_INVALID_INPUT;
      g_assert_error (error, IWB_ERROR, expected);
      g_assert_nonnull (strstr (error->message, "rows.jsonl"));
      unmake_kind (path);
    }
  iwb_test_remove_tree (tmp);
}

/* profiles.json of every kind: a clear error that names the file, at once
 * (a FIFO does not block, /dev/zero is not read), and the file left where
 * it is. */
static void
test_store_kinds (void)
{
  g_auto(StoresHome) home = { 0 };
  g_autoptr(IwbStore) store = NULL;

  stores_home_init (&home);
  store = iwb_store_new (home.store);
  g_assert_cmpint (g_mkdir_with_parents (home.store, 0700), ==, 0);
  for (Kind k = KIND_DEV_ZERO; k <= KIND_LOOP; k++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) names = NULL;
      GStatBuf st;

      g_test_message ("profiles.json: %s", kind_names[k]);
      make_kind (iwb_store_get_path (store), k);
      names = iwb_store_list_profiles (store, "/x", &error);
      g_assert_null (names);
      g_assert_error (error, IWB_ERROR, IWB_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, iwb_store_get_path (store)));
      g_assert_nonnull (strstr (error->message, "left unchanged"));
      g_clear_error (&error);
      /* saving refuses too, and does not replace what is there */
      {
        g_autoptr(IwbProfile) profile = iwb_profile_new ("p");

        g_assert_false (iwb_store_save_profile (store, "/x", profile, NULL, &error));
        g_assert_error (error, IWB_ERROR, IWB_ERROR_FAILED);
      }
      g_assert_cmpint (g_lstat (iwb_store_get_path (store), &st), ==, 0);
      g_assert_false (S_ISREG (st.st_mode) && st.st_size < 1024);
      unmake_kind (iwb_store_get_path (store));
    }
}

/* Wrong types at every level of a well-formed file: corrupt, moved aside
 * with its bytes, and a later save writes a new file beside it. */
static void
test_store_shapes (void)
{
  static const char *bad[] = {
    "[]",
    "\"profiles\"",
    "{\"integrations\": {}}",
    "{\"format\": \"1\", \"integrations\": {}}",
    "{\"format\": 1.0, \"integrations\": {}}",
    "{\"format\": 0, \"integrations\": {}}",
    "{\"format\": -3, \"integrations\": {}}",
    "{\"format\": NaN, \"integrations\": {}}",
    "{\"format\": 1e400, \"integrations\": {}}",
    "{\"format\": 1, \"integrations\": []}",
    "{\"format\": 1, \"integrations\": null}",
    "{\"format\": 1, \"integrations\": {\"/x\": \"text\"}}",
    "{\"format\": 1, \"integrations\": {\"/x\": [1, 2]}}",
    "{\"format\": 1, \"integrations\": {\"/other\": 7}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": [1]}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": \"a\"}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {}, \"lastProfile\": 3}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {}, \"lastProfile\": {}}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": 5}}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": null}}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": {\"connection\": []}}}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": {\"connection\": "
      "{\"values\": [\"v\"]}}}}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": {\"connection\": "
      "{\"values\": {\"K\": 12}}}}}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": {\"connection\": "
      "{\"values\": {\"K\": Infinity}}}}}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": {\"connection\": "
      "{\"values\": {\"K\": null}}}}}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": {\"connection\": "
      "{\"values\": {}, \"secrets\": {}}}}}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": {\"connection\": "
      "{\"values\": {}, \"secrets\": [1]}}}}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": {\"actions\": []}}}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": {\"actions\": "
      "{\"main.f\": \"v\"}}}}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": {\"http\": \"replay\"}}}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": {\"http\": "
      "{\"mode\": 1}}}}}}",
    /* the same, with a good integration beside: the whole file is kept */
    "{\"format\": 1, \"integrations\": {\"/good\": {\"profiles\": {\"g\": {}}}, "
      "\"/x\": {\"profiles\": {\"a\": {\"connection\": {\"values\": {\"K\": [\"v\"]}}}}}}}",
  };
  g_auto(StoresHome) home = { 0 };

  stores_home_init (&home);
  g_assert_cmpint (g_mkdir_with_parents (home.store, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(IwbStore) store = iwb_store_new (home.store);
      g_autoptr(IwbProfile) profile = iwb_profile_new ("after");
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = NULL;
      g_auto(GStrv) names = NULL;
      g_auto(GStrv) warnings = NULL;
      g_autofree char *aside = NULL;
      g_autofree char *kept = NULL;
      const char *name;

      g_test_message ("profiles.json: %s", bad[i]);
      g_assert_true (g_file_set_contents (iwb_store_get_path (store), bad[i], -1, NULL));
      names = iwb_store_list_profiles (store, "/x", &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_strv_length (names), ==, 0);
      warnings = iwb_store_dup_warnings (store);
      g_assert_cmpuint (g_strv_length (warnings), ==, 1);
      g_assert_nonnull (strstr (warnings[0], "moved to"));

      dir = g_dir_open (home.store, 0, NULL);
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_prefix (name, "profiles.json.corrupt-"))
          aside = g_build_filename (home.store, name, NULL);
      g_assert_nonnull (aside);
      g_assert_true (iwb_store_save_profile (store, "/x", profile, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (aside, &kept, NULL, NULL));
      g_assert_cmpstr (kept, ==, bad[i]);
      g_remove (aside);
      g_remove (iwb_store_get_path (store));
    }
}

/* What must stay readable: not moved aside. */
static void
test_store_fine_shapes (void)
{
  static const char *fine[] = {
    "{\"format\": 1, \"integrations\": {}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {}}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": {}}, \"lastProfile\": \"gone\"}}}",
    "{\"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": {\"connection\": "
      "{\"values\": {\"K\": \"\\u00e9\\ud83d\\ude00\"}, \"secrets\": []}}}}}}",
    "{\"format\": 1, \"format\": 1, \"integrations\": {\"/x\": {\"profiles\": {\"a\": {}}}}}",
  };
  g_auto(StoresHome) home = { 0 };

  stores_home_init (&home);
  g_assert_cmpint (g_mkdir_with_parents (home.store, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (fine); i++)
    {
      g_autoptr(IwbStore) store = iwb_store_new (home.store);
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) names = NULL;
      g_auto(GStrv) warnings = NULL;

      g_test_message ("profiles.json: %s", fine[i]);
      g_assert_true (g_file_set_contents (iwb_store_get_path (store), fine[i], -1, NULL));
      names = iwb_store_list_profiles (store, "/x", &error);
      g_assert_no_error (error);
      warnings = iwb_store_dup_warnings (store);
      g_assert_cmpuint (g_strv_length (warnings), ==, 0);
      g_assert_true (g_file_test (iwb_store_get_path (store), G_FILE_TEST_IS_REGULAR));
    }
}

/* `--set-file` and `iwb diff` given a hostile file: a clear error that
 * names it, never all the memory. */
static void
test_cli_kinds (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("iwb-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "file", NULL);
  g_autoptr(GFile) folder = iwb_test_workbench_folder ();
  g_autofree char *folder_path = g_file_get_path (folder);
  Kind kinds[] = { KIND_DEV_ZERO, KIND_SPARSE, KIND_FOLDER, KIND_LOOP, KIND_MISSING };

  iwb_test_use_private_xdg (tmp);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_auto(IwbCliResult) set = { 0 };
      g_auto(IwbCliResult) diff = { 0 };
      g_autofree char *assign = g_strdup_printf ("REGION=%s", path);

      g_test_message ("--set-file / diff: %s", kind_names[kinds[i]]);
      make_kind (path, kinds[i]);
      iwb_cli_run (&set, NULL, NULL, "profile", "save", folder_path, "p", "--set-file", assign,
                   NULL);
      g_assert_cmpint (set.status, !=, 0);
      g_assert_nonnull (strstr (set.err, "--set-file"));
      g_assert_nonnull (strstr (set.err, path));
      if (kinds[i] == KIND_DEV_ZERO || kinds[i] == KIND_SPARSE)
        g_assert_nonnull (strstr (set.err, "limit"));
      /* (diff reads up to 1 GiB of /dev/zero before it stops: not here) */
      if (kinds[i] != KIND_DEV_ZERO)
        {
          iwb_cli_run (&diff, NULL, NULL, "diff", path, "/dev/null", NULL);
          g_assert_cmpint (diff.status, ==, 2);
          g_assert_nonnull (strstr (diff.err, path));
          if (kinds[i] == KIND_SPARSE)
            g_assert_nonnull (strstr (diff.err, "limit"));
        }
      unmake_kind (path);
    }
  iwb_test_remove_tree (tmp);
}

/* `--replay` of hostile cassettes: a clear error naming the cassette (the
 * C side refuses what is not a regular file; the capture host what is too
 * big, too deep or not UTF-8), never a hang, a traceback or all the memory. */
static gpointer
read_fifo (gpointer data)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (data, &contents, NULL, NULL));
  return g_steal_pointer (&contents);
}

/* iwb_file_write_user(): a file the user named (an exported HAR, --har) is
 * written through what the name stands for, never replaced by something
 * else: a symlink stays a symlink (its target written), a FIFO gets the
 * data, /dev/full gives ENOSPC and stays a device, permissions stay; a
 * folder and a symlink loop are errors. */
static void
test_write_user (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("iwb-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "out.har", NULL);
  g_autofree char *target = g_build_filename (tmp, "target.har", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GThread *reader;
  GStatBuf st;

  /* a new name, then a file of mode 0600: replaced, mode kept */
  g_assert_true (iwb_file_write_user (path, "one", 3, 0666, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_assert_true (iwb_file_write_user (path, "two", 3, 0666, &error));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "two");
  g_clear_pointer (&contents, g_free);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_remove (path);

  /* a symlink to a file, then a dangling one: the link stays */
  g_assert_true (g_file_set_contents (target, "old", -1, NULL));
  g_assert_cmpint (symlink ("target.har", path), ==, 0);
  for (int round = 0; round < 2; round++)
    {
      g_assert_true (iwb_file_write_user (path, "new", 3, 0666, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_lstat (path, &st), ==, 0);
      g_assert_true (S_ISLNK (st.st_mode));
      g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "new");
      g_clear_pointer (&contents, g_free);
      g_remove (target);
    }
  g_remove (path);

  /* a FIFO with a reader: written in place */
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  reader = g_thread_new ("fifo-reader", read_fifo, path);
  g_assert_true (iwb_file_write_user (path, "piped", 5, 0666, &error));
  g_assert_no_error (error);
  contents = g_thread_join (reader);
  g_assert_cmpstr (contents, ==, "piped");
  g_clear_pointer (&contents, g_free);
  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  /* ... and without one: an error (after 5 s), not a hang */
  g_assert_false (iwb_file_write_user (path, "piped", 5, 0666, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NXIO);
  g_assert_nonnull (strstr (error->message, "nobody reads"));
  g_clear_error (&error);
  g_remove (path);

  /* a device that fails every write (as root, a rename over it would
   * replace the device with a regular file) */
  if (g_access ("/dev/full", W_OK) == 0)
    {
      g_assert_false (iwb_file_write_user ("/dev/full", "x", 1, 0666, &error));
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC);
      g_clear_error (&error);
      g_assert_cmpint (g_stat ("/dev/full", &st), ==, 0);
      g_assert_true (S_ISCHR (st.st_mode));
    }

  /* a folder, a symlink loop, a missing folder: errors, nothing made */
  make_kind (path, KIND_FOLDER);
  g_assert_false (iwb_file_write_user (path, "x", 1, 0666, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
  g_clear_error (&error);
  unmake_kind (path);
  make_kind (path, KIND_LOOP);
  g_assert_false (iwb_file_write_user (path, "x", 1, 0666, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_LOOP);
  g_clear_error (&error);
  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  unmake_kind (path);
  {
    g_autofree char *missing = g_build_filename (tmp, "no-such-folder", "out.har", NULL);

    g_assert_false (iwb_file_write_user (missing, "x", 1, 0666, &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    g_assert_null (strstr (error->message, ".har."));  /* no temporary file's name */
    g_clear_error (&error);
  }
  iwb_test_remove_tree (tmp);
}

/* The files `iwb validate` writes for the user: --har through a symlink
 * (the link stays), --har naming a folder (a usage error), --record into a
 * file that is not a cassette (kept as it was, and the message says so). */
static void
test_cli_outputs (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("iwb-hostile-XXXXXX", NULL);
  g_autofree char *link = g_build_filename (tmp, "calls.har", NULL);
  g_autofree char *target = g_build_filename (tmp, "kept.har", NULL);
  g_autofree char *notes = g_build_filename (tmp, "notes.json", NULL);
  g_autoptr(GFile) folder = iwb_test_workbench_folder ();
  g_autofree char *folder_path = g_file_get_path (folder);
  g_autofree char *contents = NULL;
  GStatBuf st;

  iwb_test_use_private_xdg (tmp);
  g_assert_cmpint (symlink ("kept.har", link), ==, 0);
  {
    g_auto(IwbCliResult) r = { 0 };

    iwb_cli_run (&r, NULL, NULL, "validate", folder_path, "--set", "API_KEY=open-sesame",
                 "--set", "REGION=eu", "--har", link, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpint (g_lstat (link, &st), ==, 0);
    g_assert_true (S_ISLNK (st.st_mode));
    g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "\"log\""));
    g_clear_pointer (&contents, g_free);
  }
  {
    g_auto(IwbCliResult) r = { 0 };

    iwb_cli_run (&r, NULL, NULL, "validate", folder_path, "--set", "API_KEY=open-sesame",
                 "--set", "REGION=eu", "--har", tmp, NULL);
    g_assert_cmpint (r.status, ==, 64);
    g_assert_nonnull (strstr (r.err, "is a folder"));
  }
  g_assert_true (g_file_set_contents (notes, "{\"mine\": true}", -1, NULL));
  {
    g_auto(IwbCliResult) r = { 0 };
    g_autofree char *all = NULL;

    iwb_cli_run (&r, NULL, NULL, "validate", folder_path, "--set", "API_KEY=open-sesame",
                 "--set", "REGION=eu", "--record", notes, NULL);
    all = g_strconcat (r.out, r.err, NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (all, "does not overwrite"));
    g_assert_true (g_file_get_contents (notes, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "{\"mine\": true}");
  }
  iwb_test_remove_tree (tmp);
}

/* The overrides summary of `iwb validate` names an override without an
 * entrypoint or name by its place in the list (it printed "?"), and
 * --show-overrides says what is wrong with each ignored one. */
static void
test_cli_override_summary (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("iwb-hostile-XXXXXX", NULL);
  g_autofree char *folder = g_build_filename (tmp, "overrides", NULL);
  g_auto(IwbCliResult) r = { 0 };

  iwb_test_use_private_xdg (tmp);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  iwb_test_write_file (folder, "main.py",
                       "from lhub_integ import action, connection_validator\n"
                       "@connection_validator\n"
                       "def validate():\n"
                       "    print('[result] {\"actionOverrides\": [7, {\"entrypoint\": [\"main.a\"]}, "
                       "{\"entrypoint\": \"main.a\"}]}')\n"
                       "    return []\n"
                       "@action\n"
                       "def a(x):\n"
                       "    return {\"x\": x}\n");
  iwb_cli_run (&r, NULL, NULL, "validate", folder, "--show-overrides", NULL);
  g_assert_nonnull (strstr (r.out, "  actionOverrides[1] (no “entrypoint” or “name” string)\n"));
  g_assert_nonnull (strstr (r.out, "  main.a\n"));
  g_assert_null (strstr (r.out, "  ?\n"));
  g_assert_nonnull (strstr (r.out, "actionOverrides[0] is a number, not an action object"));
  g_assert_nonnull (strstr (r.out, "actionOverrides[1] is malformed: its “entrypoint” is a list"));
  iwb_test_remove_tree (tmp);
}

static void
test_cassette_kinds (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("iwb-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "cassette.json", NULL);
  g_autoptr(GFile) folder = iwb_test_workbench_folder ();
  g_autofree char *folder_path = g_file_get_path (folder);
  g_autoptr(GString) deep = g_string_new ("{\"iwb_cassette\": 1, \"interactions\": ");
  Kind kinds[] = { KIND_DEV_ZERO, KIND_FIFO, KIND_SPARSE, KIND_FOLDER, KIND_LOOP, N_KINDS,
                   N_KINDS + 1 };

  iwb_test_use_private_xdg (tmp);
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_auto(IwbCliResult) r = { 0 };
      g_autofree char *all = NULL;

      if (kinds[i] == N_KINDS)
        g_assert_true (g_file_set_contents (path, deep->str, (gssize) deep->len, NULL));
      else if (kinds[i] == N_KINDS + 1)
        g_assert_true (g_file_set_contents (path, "\xff\xfe{}", -1, NULL));
      else
        make_kind (path, kinds[i]);
      g_test_message ("--replay: %s", kinds[i] < N_KINDS ? kind_names[kinds[i]]
                                                         : kinds[i] == N_KINDS ? "deep" : "not UTF-8");
      iwb_cli_run (&r, NULL, NULL, "validate", folder_path, "--set", "API_KEY=open-sesame",
                   "--set", "REGION=eu", "--replay", path, "--strict", NULL);
      all = g_strconcat (r.out, r.err, NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (all, "cassette"));
      g_assert_nonnull (strstr (all, path));
      g_assert_null (strstr (all, "Traceback"));
      g_assert_null (strstr (all, "does not exist"));
      unmake_kind (path);
    }
  iwb_test_remove_tree (tmp);
}

/* A hand-edited or damaged history: whatever a row holds, `iwb history show
 * --format json` prints strict JSON (json-glib's parser refuses NaN), and
 * list and show do not fail. */
static void
test_history_edited (void)
{
  static const char *edits[] = {
    "UPDATE rows SET data = 'garbage' || char(10) || '{\"x\":' WHERE run_id = 1",
    "UPDATE rows SET data = '{\"x\": NaN, \"y\": [Infinity, -Infinity]}' WHERE run_id = 1",
    "UPDATE rows SET data = '{\"s\": \"\\ud800 \\u0000\"}' WHERE run_id = 1",
    "UPDATE rows SET data = x'00ff00' WHERE run_id = 1",
    "UPDATE rows SET data = x'7b2278223a2241ff42227d0a41fe' WHERE run_id = 1",
    "UPDATE rows SET data = '[' || replace(hex(zeroblob(5000)), '00', '[') WHERE run_id = 1",
    "UPDATE rows SET kind = 99, correlation = char(10, 10, 10) WHERE run_id = 1",
    /* packed chunks (schema 5): text said to be packed, a blob that is not
     * deflate, an empty one, a packed value of another type */
    "UPDATE rows SET packed = 1 WHERE run_id = 1",
    "UPDATE rows SET packed = 1, data = x'789c00ff00ff' WHERE run_id = 1",
    "UPDATE rows SET packed = 1, data = x'' WHERE run_id = 1",
    "UPDATE rows SET packed = 'yes', data = 7 WHERE run_id = 1",
    "UPDATE runs SET params = '{\"p\": NaN}', overrides = '[Infinity]', "
      "validation_errors = 'not json' WHERE id = 1",
    "UPDATE runs SET action = x'ff00fe', profile = 7, started = 'yesterday', "
      "duration_ms = 'long', kind = 5 WHERE id = 1",
  };
  g_autofree char *tmp = g_dir_make_tmp ("iwb-hostile-XXXXXX", NULL);
  g_autofree char *db_path = g_build_filename (tmp, "data", "integration-workbench",
                                               "history.sqlite", NULL);
  g_autoptr(GFile) folder = iwb_test_workbench_folder ();
  g_autofree char *folder_path = g_file_get_path (folder);
  g_autofree char *orig = NULL;
  gsize orig_len = 0;

  iwb_test_use_private_xdg (tmp);
  {
    g_auto(IwbCliResult) run = { 0 };

    iwb_cli_run (&run, NULL, "{\"text\": \"a\"}\n{\"text\": \"b\"}\n", "run", folder_path,
                 "echo", "--set", "API_KEY=open-sesame", "--set", "REGION=eu", "--input", "-", NULL);
    g_assert_cmpint (run.status, <=, 1); /* recorded, with rows */
  }
  g_assert_true (g_file_get_contents (db_path, &orig, &orig_len, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_auto(IwbCliResult) show = { 0 };
      g_auto(IwbCliResult) text = { 0 };
      g_auto(IwbCliResult) list = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) parsed = NULL;
      g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
      sqlite3 *db = NULL;

      g_test_message ("history: %s", edits[i]);
      g_remove (wal);
      g_assert_true (g_file_set_contents (db_path, orig, (gssize) orig_len, NULL));
      g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, edits[i], NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);

      iwb_cli_run (&show, NULL, NULL, "history", "show", "1", "--format", "json", NULL);
      g_assert_cmpint (show.status, ==, 0);
      parsed = json_from_string (show.out, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (parsed));
      iwb_cli_run (&text, NULL, NULL, "history", "show", "1", NULL);
      g_assert_cmpint (text.status, ==, 0);
      iwb_cli_run (&list, NULL, NULL, "history", "list", "--format", "jsonl", NULL);
      g_assert_cmpint (list.status, ==, 0);
      {
        g_auto(GStrv) lines = g_strsplit (list.out, "\n", -1);

        for (guint l = 0; lines[l] != NULL; l++)
          if (*lines[l] != '\0')
            {
              g_autoptr(JsonNode) line = json_from_string (lines[l], &error);

              g_assert_no_error (error);
            }
      }
    }
  iwb_test_remove_tree (tmp);
}

/* The profiles file cannot be written (a full disk, a file size limit; here
 * RLIMIT_FSIZE, which works for any user): every store operation fails with
 * an error and leaves the saved profile whole, its secret included. The
 * keyring was changed before the file was written, so a failed save kept
 * the new password for the old profile, and a failed delete lost it. */
typedef enum { OP_SAVE_CHANGED, OP_SAVE_UNMARKED, OP_SAVE_NEW, OP_DELETE, OP_RENAME } StoreOp;

static void
test_store_write_fails (void)
{
  static const struct { StoreOp op; const char *what; } ops[] = {
    { OP_SAVE_CHANGED, "save with a changed secret" },
    { OP_SAVE_UNMARKED, "save with the secret no longer secret" },
    { OP_SAVE_NEW, "save a new profile" },
    { OP_DELETE, "delete" },
    { OP_RENAME, "rename" },
  };
  g_auto(StoresHome) home = { 0 };
  struct rlimit saved;
  void (*old_handler) (int);

  stores_home_init (&home);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  old_handler = signal (SIGXFSZ, SIG_IGN);
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      g_autoptr(IwbStore) store = iwb_store_new (home.store);
      g_autofree char *integration = g_strdup_printf ("%s/integration-%u", home.root, i);
      g_autoptr(IwbProfile) profile = iwb_profile_new ("p");
      g_autoptr(IwbProfile) changed = NULL;
      g_autoptr(IwbProfile) back = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) names = NULL;
      struct rlimit tiny = saved;
      gboolean ok = TRUE;

      g_test_message ("%s", ops[i].what);
      iwb_profile_set_value (profile, NULL, "URL", "https://example.test");
      iwb_profile_set_value (profile, NULL, "PASSWORD", "old secret");
      iwb_profile_set_secret (profile, NULL, "PASSWORD", TRUE);
      g_assert_true (iwb_store_save_profile (store, integration, profile, NULL, &error));
      g_assert_no_error (error);

      tiny.rlim_cur = 16;
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &tiny), ==, 0);
      switch (ops[i].op)
        {
        case OP_SAVE_CHANGED:
        case OP_SAVE_UNMARKED:
        case OP_SAVE_NEW:
          changed = iwb_profile_copy (profile, ops[i].op == OP_SAVE_NEW ? "q" : "p");
          iwb_profile_set_value (changed, NULL, "PASSWORD", "new secret");
          if (ops[i].op == OP_SAVE_UNMARKED)
            iwb_profile_set_secret (changed, NULL, "PASSWORD", FALSE);
          ok = iwb_store_save_profile (store, integration, changed, NULL, &error);
          break;
        case OP_DELETE:
          ok = iwb_store_delete_profile (store, integration, "p", NULL, &error);
          break;
        case OP_RENAME:
          ok = iwb_store_rename_profile (store, integration, "p", "r", NULL, &error);
          break;
        default:
          g_assert_not_reached ();
        }
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
      g_assert_false (ok);
      g_assert_nonnull (error);
      g_test_message ("error: %s", error->message);
      g_clear_error (&error);

      /* the saved profile is whole: its secret (keyring, or the store's
       * memory without one), and the file as a new store object reads it */
      back = iwb_store_load_profile (store, integration, "p", NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (iwb_profile_get_value (back, NULL, "URL"), ==, "https://example.test");
      g_assert_cmpstr (iwb_profile_get_value (back, NULL, "PASSWORD"), ==, "old secret");
      g_assert_true (iwb_profile_is_secret (back, NULL, "PASSWORD"));
      {
        g_autoptr(IwbStore) fresh = iwb_store_new (home.store);

        names = iwb_store_list_profiles (fresh, integration, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (g_strv_length (names), ==, 1);
        g_assert_cmpstr (names[0], ==, "p");
      }
      iwb_store_delete_profile (store, integration, "p", NULL, NULL);
    }
  signal (SIGXFSZ, old_handler);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hostile/file/read-bounded", test_read_bounded);
  g_test_add_func ("/hostile/file/write-user", test_write_user);
  g_test_add_func ("/hostile/store/kinds", test_store_kinds);
  g_test_add_func ("/hostile/input-rows/kinds", test_input_rows_kinds);
  g_test_add_func ("/hostile/store/shapes", test_store_shapes);
  g_test_add_func ("/hostile/store/fine-shapes", test_store_fine_shapes);
  g_test_add_func ("/hostile/cli/kinds", test_cli_kinds);
  g_test_add_func ("/hostile/history/edited", test_history_edited);
  g_test_add_func ("/hostile/cli/cassette-kinds", test_cassette_kinds);
  g_test_add_func ("/hostile/cli/outputs", test_cli_outputs);
  g_test_add_func ("/hostile/cli/override-summary", test_cli_override_summary);
  g_test_add_func ("/hostile/store/write-fails", test_store_write_fails);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbLoader's metadata cache: an unchanged folder is not imported twice;
 * any edit (even one of the same size in the same second), another SDK
 * choice, or IWB_NO_METADATA_CACHE imports it again; a failed load is never
 * cached. The integration counts its imports in a file.
 */
#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <string.h>

#include <glib/gstdio.h>

#include "iwb-core.h"
#include "test-iwb-util.h"

static char *tmpdir;

static const char main_py[] =
  "import os\n"
  "from lhub_integ import action\n"
  "with open(os.path.join(os.environ['TMPDIR'], 'imports'), 'a') as f:\n"
  "    f.write('x')\n"
  "\n"
  "@action('%s')\n"
  "def act():\n"
  "    return {}\n";

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static IwbIntegration *
load (IwbPython   *python,
      const char  *folder,
      gboolean     use_cache,
      GError     **error)
{
  g_autoptr(IwbLoader) loader = iwb_loader_new (python);
  g_autoptr(GFile) file = g_file_new_for_path (folder);
  g_autoptr(GAsyncResult) result = NULL;

  iwb_loader_set_use_cache (loader, use_cache);
  iwb_loader_load_async (loader, file, NULL, on_loaded, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return iwb_loader_load_finish (loader, result, error);
}

static guint
imports (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "imports", NULL);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  return (guint) strlen (text);
}

static void
write_main (const char *folder,
            const char *name)
{
  g_autofree char *path = g_build_filename (folder, "main.py", NULL);
  g_autofree char *text = g_strdup_printf (main_py, name);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
test_cache (void)
{
  g_autofree char *folder = g_build_filename (tmpdir, "integration", NULL);
  g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbAction) action = NULL;
  IwbIntegration *integration;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  write_main (folder, "First");

  integration = load (python, folder, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imports (), ==, 1);
  g_object_unref (integration);

  /* unchanged: answered from the cache, the same model */
  integration = load (python, folder, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imports (), ==, 1);
  action = g_list_model_get_item (iwb_integration_get_actions (integration), 0);
  g_assert_cmpstr (iwb_action_get_name (action), ==, "First");
  g_clear_object (&action);
  g_object_unref (integration);

  /* without the cache (the window), or with IWB_NO_METADATA_CACHE: imported */
  integration = load (python, folder, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imports (), ==, 2);
  g_object_unref (integration);
  g_setenv ("IWB_NO_METADATA_CACHE", "1", TRUE);
  integration = load (python, folder, TRUE, &error);
  g_unsetenv ("IWB_NO_METADATA_CACHE");
  g_assert_no_error (error);
  g_assert_cmpuint (imports (), ==, 3);
  g_object_unref (integration);

  /* an edit of the same size, at once: imported, the new name */
  write_main (folder, "Other");
  integration = load (python, folder, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imports (), ==, 4);
  action = g_list_model_get_item (iwb_integration_get_actions (integration), 0);
  g_assert_cmpstr (iwb_action_get_name (action), ==, "Other");
  g_clear_object (&action);
  g_object_unref (integration);

  /* the other SDK choice is another key */
  {
    g_autoptr(IwbPython) installed = iwb_python_new (NULL, IWB_SDK_INSTALLED);
    g_autoptr(IwbIntegration) other = load (installed, folder, TRUE, NULL);

    g_assert_cmpuint (imports (), >=, 4);
  }
}

/* Sets @path's modification time to @seconds plus @nanoseconds. */
static void
set_mtime (const char *path,
           gint64      seconds,
           long        nanoseconds)
{
  struct timespec times[2] = { { seconds, nanoseconds }, { seconds, nanoseconds } };

  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
}

/* Python takes a .pyc for current when its source has the modification time
 * (in whole seconds) and the size it recorded: an edit of the same size in
 * the same second as the version it compiled must not run the old code.
 * Made certain here with times in a second to come: the first version's at
 * its start, the edit's half a second later. */
static void
test_edit_in_the_same_second (void)
{
  g_autofree char *folder = g_build_filename (tmpdir, "same-second", NULL);
  g_autofree char *path = g_build_filename (folder, "main.py", NULL);
  g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  gint64 second = g_get_real_time () / G_USEC_PER_SEC + 100;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "First" : "Other";
      g_autoptr(GError) error = NULL;
      g_autoptr(IwbIntegration) integration = NULL;
      g_autoptr(IwbAction) action = NULL;

      write_main (folder, name);
      set_mtime (path, second, i == 0 ? 0 : 500000000);
      /* without the metadata cache: the child imports main.py (and, the first
       * time, leaves its bytecode behind) */
      integration = load (python, folder, FALSE, &error);
      g_assert_no_error (error);
      action = g_list_model_get_item (iwb_integration_get_actions (integration), 0);
      g_assert_cmpstr (iwb_action_get_name (action), ==, name);
    }
}

static void
test_failure_not_cached (void)
{
  g_autofree char *folder = g_build_filename (tmpdir, "broken", NULL);
  g_autofree char *path = g_build_filename (folder, "main.py", NULL);
  g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "import os\nimport no_such_module_here\n", -1, NULL));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(IwbIntegration) integration = load (python, folder, TRUE, &error);

      g_assert_null (integration);
      g_assert_error (error, IWB_ERROR, IWB_ERROR_MISSING_MODULE);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("iwb-test-loader-cache-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *cache = g_build_filename (tmpdir, "cache", NULL);
    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  }
  /* the children count their imports in $TMPDIR */
  g_setenv ("TMPDIR", tmpdir, TRUE);

  g_test_add_func ("/loader-cache/unchanged-edited", test_cache);
  g_test_add_func ("/loader-cache/failure-not-cached", test_failure_not_cached);
  g_test_add_func ("/loader-cache/edit-in-the-same-second", test_edit_in_the_same_second);
  ret = g_test_run ();

  iwb_test_remove_tree (tmpdir);
  return ret;
}

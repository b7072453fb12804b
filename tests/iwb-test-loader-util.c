/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The IwbLoader tests' shared helpers (declared in test-loader-util.h). */
#include "config.h"

#include <glib/gstdio.h>

#include "test-loader-util.h"

char *test_tmpdir;

void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  LoadResult *out = user_data;

  out->integration = iwb_loader_load_finish (IWB_LOADER (object), result, &out->error);
  out->done = TRUE;
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
iterate_once (void)
{
  guint tick = g_timeout_add (20, tick_cb, NULL);

  g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

void
iterate_until (gboolean *done,
               guint     seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (!*done && g_get_monotonic_time () < deadline)
    iterate_once ();
  g_assert_true (*done);
}

char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
}

IwbLoader *
new_loader (guint timeout)
{
  g_autoptr(IwbPython) python = iwb_python_new (NULL, IWB_SDK_BUNDLED);
  IwbLoader *loader = iwb_loader_new (python);

  if (timeout > 0)
    iwb_loader_set_timeout (loader, timeout);
  return loader;
}

IwbIntegration *
load_path (IwbLoader     *loader,
           const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  LoadResult result = { FALSE, NULL, NULL };

  iwb_loader_load_async (loader, folder, cancellable, load_cb, &result);
  iterate_until (&result.done, 120);
  if (result.error != NULL)
    g_propagate_error (error, result.error);
  return result.integration;
}

IwbIntegration *
load_fixture (const char  *name,
              GError     **error)
{
  g_autoptr(IwbLoader) loader = new_loader (0);
  g_autofree char *path = fixture (name);

  return load_path (loader, path, NULL, error);
}

IwbParam *
nth_param (GListModel *model,
           guint       i)
{
  IwbParam *param = g_list_model_get_item (model, i);

  g_object_unref (param); /* the model keeps it alive */
  return param;
}

int
loader_test_main (int    argc,
                  char **argv,
                  void (*add_tests) (void))
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  test_tmpdir = g_dir_make_tmp ("iwb-test-loader-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("TMPDIR", test_tmpdir, TRUE);

  add_tests ();

  status = g_test_run ();
  g_rmdir (test_tmpdir);
  g_free (test_tmpdir);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the UI tests: setup, waiting on the main loop (never sleeping),
 * fixture paths. */
#pragma once

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "iwb-application.h"

#define WAIT_SECONDS 60

static inline gboolean
ui_test_wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until @cond is true or @seconds passed. */
#define WAIT_FOR(cond, seconds)                                               \
  G_STMT_START {                                                              \
    gint64 _deadline = g_get_monotonic_time () + (gint64) (seconds) * G_USEC_PER_SEC; \
    guint _wake = g_timeout_add (20, ui_test_wake, NULL);                     \
    while (!(cond) && g_get_monotonic_time () < _deadline)                    \
      g_main_context_iteration (NULL, TRUE);                                  \
    g_source_remove (_wake);                                                  \
    if (!(cond))                                                              \
      g_error ("%s:%d: timed out after %d s waiting for: %s",                 \
               __FILE__, __LINE__, (int) (seconds), #cond);                   \
  } G_STMT_END

/* Lets pending idles and redraws run. */
static inline void
ui_test_flush (void)
{
  for (int i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static inline void
ui_test_init (int    *argc,
              char ***argv)
{
  /* The cache (logos) and recent files of the test stay in the build tree. */
  g_autofree char *home = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : g_get_tmp_dir (),
                                            "ui-test-home", NULL);

  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  gtk_source_init ();
}

static inline char *
ui_test_source_path (const char *first, ...)
{
  const char *root = g_getenv ("IWB_SOURCE_ROOT");
  va_list args;
  GString *path;
  const char *part;

  g_assert_nonnull (root);
  path = g_string_new (root);
  va_start (args, first);
  for (part = first; part != NULL; part = va_arg (args, const char *))
    {
      g_string_append_c (path, G_DIR_SEPARATOR);
      g_string_append (path, part);
    }
  va_end (args);
  return g_string_free (path, FALSE);
}

static inline GFile *
ui_test_folder (const char *first, ...)
{
  const char *root = g_getenv ("IWB_SOURCE_ROOT");
  va_list args;
  g_autoptr(GString) path = NULL;
  const char *part;

  g_assert_nonnull (root);
  path = g_string_new (root);
  va_start (args, first);
  for (part = first; part != NULL; part = va_arg (args, const char *))
    {
      g_string_append_c (path, G_DIR_SEPARATOR);
      g_string_append (path, part);
    }
  va_end (args);
  return g_file_new_for_path (path->str);
}

/* A registered, non-unique application: startup ran (actions, accels,
 * settings), no D-Bus name is needed. */
static inline IwbApplication *
ui_test_application (void)
{
  IwbApplication *app = iwb_application_new ();
  g_autoptr(GError) error = NULL;

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* UI test helpers: set-up, waiting on the main loop, fixture paths, the one main() (declared in test-ui-util.h). */
#include "config.h"

#include "iwb-session.h"
#include "iwb-store.h"
#include "test-ui-util.h"

gboolean
ui_test_wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
ui_test_press_shortcut (GtkWidget       *widget,
                        guint            keyval,
                        GdkModifierType  mods)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) key = gtk_keyval_trigger_new (keyval, mods);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), key))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

void
ui_test_flush (void)
{
  for (int i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

void
ui_test_close_window (gpointer window)
{
  g_assert_true (GTK_IS_WINDOW (window));
  g_object_add_weak_pointer (G_OBJECT (window), &window);
  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_FOR (window == NULL, WAIT_SECONDS);
}

void
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

/* IWB_SOURCE_ROOT/first/... */
static char *
source_path_va (const char *first,
                va_list     args)
{
  const char *root = g_getenv ("IWB_SOURCE_ROOT");
  GString *path;

  g_assert_nonnull (root);
  path = g_string_new (root);
  for (const char *part = first; part != NULL; part = va_arg (args, const char *))
    {
      g_string_append_c (path, G_DIR_SEPARATOR);
      g_string_append (path, part);
    }
  return g_string_free (path, FALSE);
}

char *
ui_test_source_path (const char *first, ...)
{
  va_list args;
  char *path;

  va_start (args, first);
  path = source_path_va (first, args);
  va_end (args);
  return path;
}

GFile *
ui_test_folder (const char *first, ...)
{
  va_list args;
  g_autofree char *path = NULL;

  va_start (args, first);
  path = source_path_va (first, args);
  va_end (args);
  return g_file_new_for_path (path);
}

IwbApplication *
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

gboolean
ui_test_window_is_state (IwbWindow  *window,
                         const char *state)
{
  return g_strcmp0 (iwb_window_get_state (window), state) == 0;
}

IwbWindow *
ui_test_open_example (IwbApplication *app,
                      const char     *home_env)
{
  IwbWindow *window = iwb_window_new (app);
  g_autoptr(GFile) folder = ui_test_folder ("examples", "ticket-tracker", NULL);
  g_autofree char *dir = g_build_filename (g_getenv (home_env), "data", "integration-workbench", NULL);
  g_autoptr(IwbStore) store = iwb_store_new (dir);

  iwb_session_set_store (iwb_window_get_session (window), store);
  gtk_window_present (GTK_WINDOW (window));
  iwb_window_open_folder (window, folder);
  WAIT_FOR (ui_test_window_is_state (window, "integration"), WAIT_SECONDS);
  /* The last used profile (if any) is being opened. */
  WAIT_FOR (iwb_session_profiles_opened (iwb_window_get_session (window)) &&
            !iwb_session_get_profiles_busy (iwb_window_get_session (window)), WAIT_SECONDS);
  return window;
}

int
iwb_test_ui_main (int                argc,
                  char             **argv,
                  IwbApplication   **app,
                  IwbTestUiAddTests  add_tests)
{
  int status;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      /* TAP: the whole program is skipped, with the reason. */
      g_print ("1..0 # SKIP no display: run the UI tests under xvfb-run (meson test does)\n");
      return 0;
    }
  ui_test_init (&argc, &argv);
  if (app != NULL)
    *app = ui_test_application ();
  add_tests ();
  status = g_test_run ();
  if (app != NULL)
    g_clear_object (app);
  return status;
}

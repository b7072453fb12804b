/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The integration's Python environment in the window, offline: the test
 * writes a tiny package as a wheel (tests/pyenv-fixtures/make-wheel.py, the
 * helper test-pyenv uses) and an integration whose main.py imports it and
 * whose requirements.txt names it. The window shows the missing module and
 * offers "Create Environment"; with the find-links preference pointing at
 * the wheel folder the creation succeeds with real venv and pip children,
 * pip's output appears, the integration loads with the environment's
 * interpreter (the header says so); a changed requirements.txt marks it
 * stale; Delete (confirmed) removes it. Cancelling a creation leaves no
 * process behind (descendants counted in /proc) and no folder.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "iwb-settings.h"
#include "iwb-window-private.h"
#include "test-iwb-util.h"
#include "test-process-util.h"
#include "test-pyenv-util.h"
#include "test-ui-util.h"

#define PIP_SECONDS 240

static IwbApplication *app;

typedef struct
{
  char      *root;
  char      *wheels;
  char      *folder;
  GSettings *settings;
  IwbWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *script = ui_test_source_path ("tests", "pyenv-fixtures", "make-wheel.py", NULL);

  f->root = g_dir_make_tmp ("iwb-ui-env-XXXXXX", NULL);
  g_assert_nonnull (f->root);
  /* The environments of this test land in its own cache folder. */
  iwb_test_use_private_xdg (f->root);
  iwb_test_pyenv_greeter (f->root, script, &f->wheels, &f->folder);

  /* The memory backend is shared by every GSettings of the process. */
  f->settings = iwb_settings_new ();
  g_assert_nonnull (f->settings);
  g_settings_reset (f->settings, "pip-find-links");
  g_settings_reset (f->settings, "pip-index-url");

  f->window = iwb_window_new (app);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  ui_test_close_window (f->window);
  g_settings_reset (f->settings, "pip-find-links");
  g_settings_reset (f->settings, "pip-index-url");
  g_clear_object (&f->settings);
  iwb_test_remove_tree (f->root);
  g_free (f->root);
  g_free (f->wheels);
  g_free (f->folder);
}

static void
open_and_wait (Fixture *f)
{
  g_autoptr(GFile) folder = g_file_new_for_path (f->folder);

  iwb_window_open_folder (f->window, folder);
  WAIT_FOR (g_strcmp0 (iwb_window_get_state (f->window), "loading") != 0, WAIT_SECONDS);
}

static void
test_create_stale_delete (Fixture       *f,
                          gconstpointer  data)
{
  IwbEnvironmentPage *page;
  IwbPyenv *env;
  AdwMessageDialog *confirm;
  g_autofree char *output = NULL;
  g_autofree char *env_path = NULL;
  const char *message;
  const char *tooltip;

  /* Offline: pip looks only in the folder the preferences name. */
  g_setenv ("PIP_NO_INDEX", "1", TRUE);
  open_and_wait (f);

  /* The load error names the module and gives the environment's fix, not
   * a pip install into the system interpreter. */
  g_assert_cmpstr (iwb_window_get_state (f->window), ==, "error");
  message = iwb_window_get_error_message (f->window);
  g_assert_nonnull (strstr (message, "main.py:2"));
  g_assert_nonnull (strstr (message, "“iwbtestpkg” is not installed"));
  g_assert_nonnull (strstr (message, "create its environment"));
  g_assert_null (strstr (message, "pip install"));
  g_assert_true (_iwb_window_env_get_offer_visible (f->window));
  g_assert_cmpint (iwb_pyenv_get_state (_iwb_window_get_pyenv (f->window)), ==, IWB_PYENV_STATE_NONE);

  g_settings_set_string (f->settings, "pip-find-links", f->wheels);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.create-environment", NULL));
  page = _iwb_window_get_environment_page (f->window);
  g_assert_nonnull (page);
  g_assert_true (iwb_environment_page_get_busy (page));
  env = iwb_environment_page_get_env (page);
  WAIT_FOR (!iwb_environment_page_get_busy (page), PIP_SECONDS);
  g_assert_cmpstr (iwb_environment_page_get_error (page), ==, NULL);
  output = iwb_environment_page_dup_output (page);
  g_assert_nonnull (strstr (output, "Successfully installed iwbtestpkg-1.0"));
  g_assert_cmpint (iwb_pyenv_get_state (env), ==, IWB_PYENV_STATE_READY);
  g_assert_cmpstr (iwb_environment_page_get_status (page), ==, "Environment Ready");
  env_path = g_strdup (iwb_pyenv_get_path (env));

  /* The integration loads again, with the environment's interpreter. */
  WAIT_FOR (g_strcmp0 (iwb_window_get_state (f->window), "integration") == 0, WAIT_SECONDS);
  g_assert_nonnull (iwb_window_get_action_page (f->window, "main.greet"));
  g_assert_true (g_str_has_prefix (_iwb_window_env_get_header_text (f->window), "Python 3."));
  g_assert_nonnull (strstr (_iwb_window_env_get_header_text (f->window), "· env "));
  /* the header never cuts that short name */
  {
    int min = 0, nat = 0;

    gtk_widget_measure (f->window->env_button_label, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
    g_assert_cmpint (min, ==, nat);
  }
  tooltip = _iwb_window_env_get_header_tooltip (f->window);
  g_assert_nonnull (strstr (tooltip, iwb_pyenv_get_interpreter (env)));
  g_assert_false (_iwb_window_env_get_offer_visible (f->window));

  /* A changed requirements.txt: stale, the header warns, Rebuild offered. */
  {
    g_autofree char *req = g_build_filename (f->folder, "requirements.txt", NULL);

    g_assert_true (g_file_set_contents (req, "iwbtestpkg>=1.0\n", -1, NULL));
  }
  WAIT_FOR (iwb_pyenv_get_state (_iwb_window_get_pyenv (f->window)) == IWB_PYENV_STATE_STALE, WAIT_SECONDS);
  g_assert_nonnull (strstr (_iwb_window_env_get_header_tooltip (f->window), "out of date"));
  WAIT_FOR (g_strcmp0 (iwb_window_get_state (f->window), "integration") == 0, WAIT_SECONDS);
  g_assert_true (_iwb_window_env_get_offer_visible (f->window));
  page = _iwb_window_get_environment_page (f->window);
  g_assert_cmpstr (iwb_environment_page_get_status (page), ==, "Environment Out of Date");

  /* Delete asks first; then the folder is gone and the state is none. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "env.delete", NULL));
  confirm = iwb_environment_page_get_confirm_dialog (page);
  g_assert_nonnull (confirm);
  adw_message_dialog_response (confirm, "delete");
  WAIT_FOR (!iwb_environment_page_get_busy (page) &&
            iwb_pyenv_get_state (iwb_environment_page_get_env (page)) == IWB_PYENV_STATE_NONE,
            WAIT_SECONDS);
  g_assert_false (g_file_test (env_path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (iwb_environment_page_get_status (page), ==, "No Environment Yet");
  g_unsetenv ("PIP_NO_INDEX");
}

/* ---- cancel ---------------------------------------------------------------- */

/* Live processes (zombies excluded) below this one, from /proc/PID/stat. */
static guint
count_descendants (void)
{
  g_autoptr(GHashTable) parent_of = g_hash_table_new (NULL, NULL);
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  GHashTableIter iter;
  gpointer key, value;
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/stat", name);
      g_autofree char *stat = NULL;
      const char *paren;
      char state;
      int ppid;
      int pid = atoi (name);

      if (pid <= 0 || !g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      paren = strrchr (stat, ')');
      if (paren == NULL || sscanf (paren + 2, "%c %d", &state, &ppid) != 2 || state == 'Z' ||
          state == 'X')
        continue;
      g_hash_table_insert (parent_of, GINT_TO_POINTER (pid), GINT_TO_POINTER (ppid));
    }
  g_hash_table_iter_init (&iter, parent_of);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      int p = GPOINTER_TO_INT (value);

      for (guint depth = 0; p > 1 && depth < 64; depth++)
        {
          if (p == (int) getpid ())
            {
              n++;
              break;
            }
          p = GPOINTER_TO_INT (g_hash_table_lookup (parent_of, GINT_TO_POINTER (p)));
        }
    }
  return n;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *index = NULL;
  g_autofree char *env_path = NULL;
  IwbEnvironmentPage *page;
  gboolean connected = FALSE;

  g_unsetenv ("PIP_NO_INDEX");
  index = iwb_test_silent_index_start (service, &connected);
  g_settings_set_string (f->settings, "pip-index-url", index);

  open_and_wait (f);
  g_assert_cmpstr (iwb_window_get_state (f->window), ==, "error");
  page = _iwb_window_get_environment_page (f->window);
  iwb_environment_page_create (page);
  g_assert_true (iwb_environment_page_get_busy (page));
  env_path = g_strdup (iwb_pyenv_get_path (iwb_environment_page_get_env (page)));
  WAIT_FOR (connected, PIP_SECONDS); /* pip is asking the index */
  g_assert_cmpuint (count_descendants (), >, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "env.cancel", NULL));
  WAIT_FOR (!iwb_environment_page_get_busy (page), WAIT_SECONDS);
  g_assert_cmpstr (iwb_environment_page_get_error (page), ==, NULL);
  g_assert_nonnull (strstr (iwb_environment_page_get_progress_text (page), "Cancelled"));
  WAIT_FOR (count_descendants () == 0, WAIT_SECONDS);
  g_assert_false (g_file_test (env_path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (iwb_pyenv_get_state (iwb_environment_page_get_env (page)), ==, IWB_PYENV_STATE_NONE);
  g_socket_service_stop (service);
}

/* A find-links folder that is not there: a clear error, nothing started. */
static void
test_bad_find_links (Fixture       *f,
                     gconstpointer  data)
{
  IwbEnvironmentPage *page;

  g_settings_set_string (f->settings, "pip-find-links", "/nonexistent/wheels");
  open_and_wait (f);
  page = _iwb_window_get_environment_page (f->window);
  iwb_environment_page_create (page);
  g_assert_false (iwb_environment_page_get_busy (page));
  g_assert_nonnull (strstr (iwb_environment_page_get_error (page), "/nonexistent/wheels"));
  g_assert_nonnull (strstr (iwb_environment_page_get_error (page), "Preferences"));
  g_assert_cmpuint (count_descendants (), ==, 0);
}

static void
add_tests (void)
{
  g_test_add ("/ui/env/create-stale-delete", Fixture, NULL, fixture_set_up, test_create_stale_delete, fixture_tear_down);
  g_test_add ("/ui/env/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/ui/env/bad-find-links", Fixture, NULL, fixture_set_up, test_bad_find_links, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  return iwb_test_ui_main (argc, argv, &app, add_tests);
}

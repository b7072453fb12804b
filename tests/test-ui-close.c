/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Closing a window whose connection profile has unsaved changes: the close
 * button, Ctrl+W and app.quit ask Save / Discard / Cancel (the question of
 * a profile switch); Cancel keeps the window and the values, Discard closes
 * and the profile keeps what was saved, Save stores the values (the
 * password in the keyring, in no file) and closes. A quit signal closes
 * without asking. */
#include "config.h"

#include <signal.h>
#include <unistd.h>

#include "iwb-window-private.h"
#include "test-stores-util.h"
#include "test-ui-util.h"

#define SECRET "cl0se \"pass\"\\+é/="
#define HOME_ENV "IWB_TEST_CLOSE_HOME"

static IwbApplication *app;

static IwbWindow *
open_example (void)
{
  return ui_test_open_example (app, HOME_ENV);
}

static IwbParamForm *
form_of (IwbWindow *window)
{
  return iwb_connection_page_get_form (iwb_window_get_connection_page (window));
}

static IwbProfileSelector *
selector_of (IwbWindow *window)
{
  return iwb_connection_page_get_profile_selector (iwb_window_get_connection_page (window));
}

static const char *
row_text (IwbWindow  *window,
          const char *id)
{
  return iwb_field_value_get_text (iwb_param_form_get_field (form_of (window), id));
}

static void
type (IwbWindow  *window,
      const char *id,
      const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (iwb_param_form_get_row (form_of (window), id)), text);
}

/* A fresh data folder, the example open with a saved profile "one", then
 * edited: unsaved changes. */
static IwbWindow *
open_edited (void)
{
  g_autofree char *home = g_dir_make_tmp ("iwb-test-ui-close-XXXXXX", NULL);
  IwbWindow *window;
  IwbSession *session;

  stores_ensure_keyring ();
  g_setenv (HOME_ENV, home, TRUE);
  window = open_example ();
  session = iwb_window_get_session (window);
  type (window, "TRACKER_URL", "http://saved.example");
  type (window, "TRACKER_PASSWORD", "saved-password");
  iwb_session_save_profile_async (session, "one", NULL, NULL, NULL);
  WAIT_FOR (g_strcmp0 (iwb_session_get_profile (session), "one") == 0 &&
            !iwb_session_get_profiles_busy (session), WAIT_SECONDS);
  g_assert_false (iwb_session_get_modified (session));
  type (window, "TRACKER_URL", "http://edited.example");
  type (window, "TRACKER_PASSWORD", SECRET);
  g_assert_true (iwb_session_get_modified (session));
  g_assert_true (iwb_profile_selector_get_unsaved (selector_of (window)));
  return window;
}

/* The question, after a close request by @how. */
static AdwMessageDialog *
request_close (IwbWindow  *window,
               const char *how)
{
  AdwMessageDialog *dialog;

  if (g_str_equal (how, "button"))
    gtk_window_close (GTK_WINDOW (window));
  else if (g_str_equal (how, "ctrl-w"))
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.close", NULL));
  else
    g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  ui_test_flush ();
  dialog = iwb_profile_selector_get_dialog (selector_of (window));
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  return dialog;
}

static void
remove_home (void)
{
  stores_rm_rf (g_getenv (HOME_ENV));
}

/* Cancel, whichever way the close was asked for: the window stays, with
 * the values typed and the marker. */
static void
test_cancel (void)
{
  const char *hows[] = { "button", "ctrl-w", "quit" };
  IwbWindow *window = open_edited ();
  g_autoptr(GtkWidget) alive = g_object_ref (GTK_WIDGET (window));

  for (guint i = 0; i < G_N_ELEMENTS (hows); i++)
    {
      AdwMessageDialog *dialog = request_close (window, hows[i]);

      adw_message_dialog_response (dialog, "cancel");
      ui_test_flush ();
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
      g_assert_nonnull (g_list_find (gtk_application_get_windows (GTK_APPLICATION (app)), window));
      g_assert_cmpstr (row_text (window, "TRACKER_URL"), ==, "http://edited.example");
      g_assert_true (iwb_session_get_modified (iwb_window_get_session (window)));
      g_assert_null (iwb_profile_selector_get_dialog (selector_of (window)));
    }
  /* Asked once at a time: a second request while the question is shown
   * shows no second question. */
  request_close (window, "button");
  gtk_window_close (GTK_WINDOW (window));
  ui_test_flush ();
  g_assert_nonnull (g_list_find (gtk_application_get_windows (GTK_APPLICATION (app)), window));
  adw_message_dialog_response (iwb_profile_selector_get_dialog (selector_of (window)), "cancel");
  ui_test_flush ();
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_flush ();
  remove_home ();
}

/* Discard (Ctrl+W): the window closes and the profile keeps what was saved. */
static void
test_discard (void)
{
  IwbWindow *window = open_edited ();
  GtkWidget *weak = GTK_WIDGET (window);
  AdwMessageDialog *dialog = request_close (window, "ctrl-w");

  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  adw_message_dialog_response (dialog, "discard");
  WAIT_FOR (weak == NULL, WAIT_SECONDS);
  g_assert_null (g_list_find (gtk_application_get_windows (GTK_APPLICATION (app)), window));

  window = open_example ();
  g_assert_cmpstr (iwb_session_get_profile (iwb_window_get_session (window)), ==, "one");
  g_assert_false (iwb_session_get_modified (iwb_window_get_session (window)));
  g_assert_cmpstr (row_text (window, "TRACKER_URL"), ==, "http://saved.example");
  g_assert_cmpstr (row_text (window, "TRACKER_PASSWORD"), ==, "saved-password");
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_flush ();
  remove_home ();
}

/* Save (app.quit, then the close button): the values are stored, the
 * password in the keyring and in no file, then the window closes. */
static void
save_with (const char *how)
{
  IwbWindow *window = open_edited ();
  GtkWidget *weak = GTK_WIDGET (window);
  AdwMessageDialog *dialog = request_close (window, how);
  g_auto(GStrv) forms = stores_secret_forms (SECRET);

  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  adw_message_dialog_response (dialog, "save");
  WAIT_FOR (weak == NULL, WAIT_SECONDS);

  window = open_example ();
  g_assert_cmpstr (iwb_session_get_profile (iwb_window_get_session (window)), ==, "one");
  g_assert_false (iwb_session_get_modified (iwb_window_get_session (window)));
  g_assert_cmpstr (row_text (window, "TRACKER_URL"), ==, "http://edited.example");
  /* from the keyring */
  g_assert_cmpstr (row_text (window, "TRACKER_PASSWORD"), ==, SECRET);
  g_assert_false (iwb_session_get_secrets_in_memory (iwb_window_get_session (window)));
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_flush ();
  g_assert_cmpuint (stores_assert_not_in_files (g_getenv (HOME_ENV), (const char * const *) forms), >, 0);
  stores_assert_not_in_files (g_get_user_data_dir (), (const char * const *) forms);
  stores_assert_not_in_files (g_get_user_config_dir (), (const char * const *) forms);
  remove_home ();
}

static void
test_save (void)
{
  save_with ("quit");
  save_with ("button");
}

/* Nothing unsaved: every way closes at once, without a question. */
static void
test_no_changes (void)
{
  const char *hows[] = { "button", "ctrl-w", "quit" };
  g_autofree char *home = g_dir_make_tmp ("iwb-test-ui-close-XXXXXX", NULL);

  stores_ensure_keyring ();
  g_setenv (HOME_ENV, home, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (hows); i++)
    {
      IwbWindow *window = open_example ();
      GtkWidget *weak = GTK_WIDGET (window);

      /* edited, but no profile yet: nothing to save into */
      type (window, "TRACKER_URL", "http://no-profile.example");
      g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
      if (g_str_equal (hows[i], "button"))
        gtk_window_close (GTK_WINDOW (window));
      else if (g_str_equal (hows[i], "ctrl-w"))
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.close", NULL));
      else
        g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
      WAIT_FOR (weak == NULL, WAIT_SECONDS);
    }
  remove_home ();
}

static gboolean
send_term (gpointer data)
{
  kill (getpid (), SIGTERM);
  return G_SOURCE_REMOVE;
}

static gboolean
give_up (gpointer data)
{
  g_error ("SIGTERM did not quit the application: it waits for an answer");
  return G_SOURCE_REMOVE;
}

/* SIGTERM with unsaved changes: the application quits, asking nothing. */
static void
test_sigterm (void)
{
  if (g_test_subprocess ())
    {
      IwbWindow *window = open_edited ();
      g_autoptr(IwbWindow) keep = g_object_ref (window);

      g_idle_add (send_term, NULL);
      g_timeout_add_seconds (30, give_up, NULL);
      g_application_run (G_APPLICATION (app), 0, NULL);
      g_assert_null (iwb_profile_selector_get_dialog (selector_of (window)));
      g_print ("quit without asking\n");
      remove_home ();
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*quit without asking*");
}

static void
add_tests (void)
{
  g_test_add_func ("/ui/close/no-changes", test_no_changes);
  g_test_add_func ("/ui/close/cancel", test_cancel);
  g_test_add_func ("/ui/close/discard", test_discard);
  g_test_add_func ("/ui/close/save", test_save);
  g_test_add_func ("/ui/close/sigterm", test_sigterm);
}

int
main (int   argc,
      char *argv[])
{
  return iwb_test_ui_main (argc, argv, &app, add_tests);
}

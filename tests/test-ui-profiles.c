/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Connection profiles in the window: save, a real restart (a new process)
 * that finds every value back with the password from the real keyring,
 * no secret in any file, switching profiles refills the forms. */
#include "config.h"

#include "iwb-window-private.h"
#include "test-stores-util.h"
#include "test-ui-util.h"

#define SECRET "tr4cker \"pass\"+é/="
#define HOME_ENV "IWB_TEST_PROFILES_HOME"

static IwbApplication *app;

static IwbWindow *
open_example (void)
{
  return ui_test_open_example (app, HOME_ENV);
}

static const char *
row_text (IwbParamForm *form,
          const char   *id)
{
  return iwb_field_value_get_text (iwb_param_form_get_field (form, id));
}

static void
type (IwbParamForm *form,
      const char   *id,
      const char   *text)
{
  gtk_editable_set_text (GTK_EDITABLE (iwb_param_form_get_row (form, id)), text);
}

static IwbProfileSelector *
selector_of (IwbWindow *window)
{
  return iwb_connection_page_get_profile_selector (iwb_window_get_connection_page (window));
}

static void
phase_save (void)
{
  IwbWindow *window = open_example ();
  IwbSession *session = iwb_window_get_session (window);
  IwbParamForm *form = iwb_connection_page_get_form (iwb_window_get_connection_page (window));
  IwbActionPage *search = iwb_window_get_action_page (window, "main.search_tickets");
  IwbRowsEditor *rows = iwb_action_page_get_rows_editor (search);
  AdwMessageDialog *dialog;
  g_autofree char *label = NULL;

  g_assert_null (iwb_session_get_profile (session));
  type (form, "TRACKER_URL", "http://127.0.0.1:8765");
  type (form, "TRACKER_USER", "${IWB_TEST_TRACKER_USER}");
  type (form, "TRACKER_PASSWORD", SECRET);
  type (iwb_action_page_get_params_form (search), "MAX_RESULTS", "7");
  iwb_rows_editor_set_value (rows, 0, "query", "status:open");

  /* Ctrl+S with no profile yet asks for a name. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-profile", NULL));
  dialog = iwb_profile_selector_get_dialog (selector_of (window));
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "staging");
  /* Enter in the name (what the entry's text does on Return) saves and
   * closes the dialog. */
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog))),
                         "activate");
  WAIT_FOR (dialog == NULL, WAIT_SECONDS);
  WAIT_FOR (g_strcmp0 (iwb_session_get_profile (session), "staging") == 0 &&
            !iwb_session_get_profiles_busy (session), WAIT_SECONDS);
  g_assert_false (iwb_session_get_modified (session));
  label = iwb_profile_selector_dup_label (selector_of (window));
  g_assert_cmpstr (label, ==, "staging");

  /* An edit marks it; Ctrl+S saves it without asking. */
  type (form, "TRACKER_URL", "http://127.0.0.1:8766");
  g_assert_true (iwb_session_get_modified (session));
  g_clear_pointer (&label, g_free);
  label = iwb_profile_selector_dup_label (selector_of (window));
  g_assert_cmpstr (label, ==, "staging •");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-profile", NULL));
  g_assert_null (iwb_profile_selector_get_dialog (selector_of (window)));
  WAIT_FOR (!iwb_session_get_modified (session) && !iwb_session_get_profiles_busy (session), WAIT_SECONDS);
  g_assert_false (iwb_session_get_secrets_in_memory (session));
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_flush ();
}

static void
phase_restore (void)
{
  IwbWindow *window = open_example ();
  IwbSession *session = iwb_window_get_session (window);
  IwbParamForm *form = iwb_connection_page_get_form (iwb_window_get_connection_page (window));
  IwbActionPage *search = iwb_window_get_action_page (window, "main.search_tickets");
  g_autoptr(GPtrArray) rows = NULL;
  GtkWidget *password;

  g_assert_cmpstr (iwb_session_get_profile (session), ==, "staging");
  g_assert_false (iwb_session_get_modified (session));
  g_assert_cmpstr (row_text (form, "TRACKER_URL"), ==, "http://127.0.0.1:8766");
  g_assert_cmpstr (row_text (form, "TRACKER_USER"), ==, "${IWB_TEST_TRACKER_USER}");
  /* The secret, from the keyring, still masked in its row. */
  g_assert_cmpstr (row_text (form, "TRACKER_PASSWORD"), ==, SECRET);
  password = iwb_param_form_get_row (form, "TRACKER_PASSWORD");
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (password));
  g_assert_cmpstr (row_text (iwb_action_page_get_params_form (search), "MAX_RESULTS"), ==, "7");
  rows = iwb_rows_editor_dup_rows (iwb_action_page_get_rows_editor (search));
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (rows, 0), "query"), ==, "status:open");

  /* The environment reference is taken when a run starts. */
  g_unsetenv ("IWB_TEST_TRACKER_USER");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(IwbRun) run = iwb_session_create_run (session, IWB_RUN_VALIDATE_CONNECTION, NULL, &error);

    g_assert_null (run);
    g_assert_error (error, IWB_ERROR, IWB_ERROR_ENV_MISSING);
    g_assert_nonnull (strstr (error->message, "IWB_TEST_TRACKER_USER"));
  }
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_flush ();
}

static void
test_restart (void)
{
  g_autofree char *home = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) forms = stores_secret_forms (SECRET);
  const char *phase = g_getenv ("IWB_TEST_PROFILES_PHASE");

  if (g_test_subprocess ())
    {
      if (g_strcmp0 (phase, "save") == 0)
        phase_save ();
      else
        phase_restore ();
      return;
    }
  stores_ensure_keyring ();
  home = g_dir_make_tmp ("iwb-test-ui-profiles-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv (HOME_ENV, home, TRUE);

  /* Two processes: the second one is a real restart of the app. */
  g_setenv ("IWB_TEST_PROFILES_PHASE", "save", TRUE);
  g_test_trap_subprocess (NULL, 180 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT |
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_setenv ("IWB_TEST_PROFILES_PHASE", "restore", TRUE);
  g_test_trap_subprocess (NULL, 180 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT |
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  /* The secret is in no file of the test's data or of the app's XDG dirs. */
  g_assert_cmpuint (stores_assert_not_in_files (home, (const char * const *) forms), >, 0);
  stores_assert_not_in_files (g_get_user_data_dir (), (const char * const *) forms);
  stores_assert_not_in_files (g_get_user_cache_dir (), (const char * const *) forms);
  stores_assert_not_in_files (g_get_user_config_dir (), (const char * const *) forms);
  stores_rm_rf (home);
}

static void
test_switch (void)
{
  g_autofree char *home = g_dir_make_tmp ("iwb-test-ui-profiles-XXXXXX", NULL);
  IwbWindow *window;
  IwbSession *session;
  IwbParamForm *form;
  IwbActionPage *search;
  AdwMessageDialog *dialog;

  stores_ensure_keyring ();
  g_setenv (HOME_ENV, home, TRUE);
  window = open_example ();
  session = iwb_window_get_session (window);
  form = iwb_connection_page_get_form (iwb_window_get_connection_page (window));
  search = iwb_window_get_action_page (window, "main.search_tickets");

  type (form, "TRACKER_URL", "http://one.example");
  type (iwb_action_page_get_params_form (search), "MAX_RESULTS", "11");
  iwb_session_save_profile_async (session, "one", NULL, NULL, NULL);
  WAIT_FOR (g_strcmp0 (iwb_session_get_profile (session), "one") == 0 &&
            !iwb_session_get_profiles_busy (session), WAIT_SECONDS);
  type (form, "TRACKER_URL", "http://two.example");
  type (iwb_action_page_get_params_form (search), "MAX_RESULTS", "22");
  iwb_session_duplicate_profile_async (session, "two", NULL, NULL, NULL);
  WAIT_FOR (g_strcmp0 (iwb_session_get_profile (session), "two") == 0 &&
            !iwb_session_get_profiles_busy (session), WAIT_SECONDS);
  g_assert_false (iwb_session_get_modified (session));

  /* No changes: switching refills every form at once. */
  iwb_profile_selector_switch_to (selector_of (window), "one");
  WAIT_FOR (g_strcmp0 (iwb_session_get_profile (session), "one") == 0 &&
            !iwb_session_get_profiles_busy (session), WAIT_SECONDS);
  g_assert_cmpstr (row_text (form, "TRACKER_URL"), ==, "http://one.example");
  g_assert_cmpstr (row_text (iwb_action_page_get_params_form (search), "MAX_RESULTS"), ==, "11");
  g_assert_false (iwb_session_get_modified (session));

  /* Unsaved changes: it asks; Cancel keeps everything... */
  type (form, "TRACKER_URL", "http://edited.example");
  iwb_profile_selector_switch_to (selector_of (window), "two");
  dialog = iwb_profile_selector_get_dialog (selector_of (window));
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "cancel");
  ui_test_flush ();
  g_assert_cmpstr (iwb_session_get_profile (session), ==, "one");
  g_assert_cmpstr (row_text (form, "TRACKER_URL"), ==, "http://edited.example");
  /* ...Discard switches without saving. */
  iwb_profile_selector_switch_to (selector_of (window), "two");
  adw_message_dialog_response (iwb_profile_selector_get_dialog (selector_of (window)), "discard");
  WAIT_FOR (g_strcmp0 (iwb_session_get_profile (session), "two") == 0 &&
            !iwb_session_get_profiles_busy (session), WAIT_SECONDS);
  g_assert_cmpstr (row_text (form, "TRACKER_URL"), ==, "http://two.example");
  g_assert_cmpstr (row_text (iwb_action_page_get_params_form (search), "MAX_RESULTS"), ==, "22");
  /* ...and "one" kept its saved value. */
  iwb_profile_selector_switch_to (selector_of (window), "one");
  WAIT_FOR (g_strcmp0 (iwb_session_get_profile (session), "one") == 0 &&
            !iwb_session_get_profiles_busy (session), WAIT_SECONDS);
  g_assert_cmpstr (row_text (form, "TRACKER_URL"), ==, "http://one.example");

  /* Delete asks first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (selector_of (window)), "profile.delete", NULL));
  dialog = iwb_profile_selector_get_dialog (selector_of (window));
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  WAIT_FOR (iwb_session_get_profile (session) == NULL && !iwb_session_get_profiles_busy (session),
            WAIT_SECONDS);
  g_assert_false (g_strv_contains (iwb_session_get_profile_names (session), "one"));
  g_assert_cmpstr (row_text (form, "TRACKER_URL"), ==, "http://one.example");
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_flush ();
  stores_rm_rf (home);
}

static void
add_tests (void)
{
  g_test_add_func ("/ui/profiles/save-restart-restore", test_restart);
  g_test_add_func ("/ui/profiles/switch", test_switch);
}

int
main (int   argc,
      char *argv[])
{
  return iwb_test_ui_main (argc, argv, &app, add_tests);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window with real folders and the real loader: the start screen,
 * loading, the sidebar and the pages built from the descriptor, lint
 * warnings and action errors where they are seen, load errors with Retry,
 * values that survive page switches and reloads, one window per folder,
 * preferences, shortcuts and about.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include <libsoup/soup.h>

#include "iwb-logo.h"
#include "iwb-preferences.h"
#include "iwb-window-private.h"
#include "test-ui-util.h"

static IwbApplication *app;

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static IwbWindow *
open_window (const char *fixture_dir,
             const char *name)
{
  IwbWindow *window = iwb_window_new (app);
  g_autoptr(GFile) folder = ui_test_folder (fixture_dir, name, NULL);

  gtk_window_present (GTK_WINDOW (window));
  iwb_window_open_folder (window, folder);
  g_assert_true (ui_test_window_is_state (window, "loading"));
  WAIT_FOR (!ui_test_window_is_state (window, "loading"), WAIT_SECONDS);
  return window;
}

static void
test_start_screen (void)
{
  IwbWindow *window = iwb_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ui_test_window_is_state (window, "start"));
  g_assert_null (iwb_window_get_folder (window));
  /* Nothing to reload or run yet. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL);
  g_assert_true (ui_test_window_is_state (window, "start"));
  /* The window owns the one toast overlay. */
  g_assert_true (ADW_IS_TOAST_OVERLAY (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window))));
  /* Development builds look like development builds. */
  g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"), ==,
                   g_str_has_suffix (APPLICATION_ID, ".Devel"));
  /* The shortcuts window comes with the application. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  /* Every shortcut it lists reads as keys, not as a keysym name such as
   * "KP_Enter" (the keypad twin of Ctrl+Return), and Ctrl+Return is there. */
  {
    g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/lhub/IntegrationWorkbench/gtk/help-overlay.ui");
    GSList *objects = gtk_builder_get_objects (builder);
    gboolean primary = FALSE;

    for (GSList *o = objects; o != NULL; o = o->next)
      {
        g_autofree char *accel = NULL;
        g_autofree char *action = NULL;

        if (!GTK_IS_SHORTCUTS_SHORTCUT (o->data))
          continue;
        g_object_get (o->data, "accelerator", &accel, "action-name", &action, NULL);
        if (action != NULL)
          {
            g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

            for (guint i = 0; accels[i] != NULL; i++)
              g_assert_null (strstr (accels[i], "KP_"));
          }
        if (g_strcmp0 (accel, "<Control>Return") == 0)
          primary = TRUE;
      }
    g_assert_true (primary);
    g_slist_free (objects);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_open_folder (void)
{
  IwbWindow *window = open_window ("tests/fixtures", "good-full");
  IwbConnectionPage *connection;
  IwbActionPage *search;
  IwbActionPage *post;
  g_auto(GStrv) columns = NULL;

  g_assert_cmpstr (iwb_window_get_state (window), ==, "integration");
  g_assert_cmpstr (gtk_label_get_text (window->name_label), ==, "Full Fixture");
  g_assert_cmpstr (gtk_label_get_text (window->description_label), ==,
                   "Covers every data type, input type and argument kind");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Full Fixture");
  /* Connection + 3 actions + History in the sidebar, the connection page shown. */
  g_assert_cmpuint (count_children (GTK_WIDGET (window->sidebar_list)), ==, 5);
  g_assert_cmpstr (iwb_window_get_visible_page (window), ==, "connection");

  connection = iwb_window_get_connection_page (window);
  g_assert_nonnull (connection);
  g_assert_cmpuint (iwb_param_form_get_n_fields (iwb_connection_page_get_form (connection)), ==, 7);
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (iwb_param_form_get_row (iwb_connection_page_get_form (connection), "API_KEY")));

  /* Pages by entrypoint or by display name. */
  search = iwb_window_get_action_page (window, "main.search");
  g_assert_nonnull (search);
  g_assert_true (search == iwb_window_get_action_page (window, "Search things"));
  g_assert_cmpuint (iwb_param_form_get_n_fields (iwb_action_page_get_params_form (search)), ==, 4);
  g_assert_cmpuint (iwb_param_form_get_n_fields (iwb_action_page_get_args_form (search)), ==, 2);
  g_assert_true (GTK_IS_SWITCH (iwb_param_form_get_editor (iwb_action_page_get_params_form (search), "VERBOSE")));
  /* A fresh action starts with one row whose columns are its arguments. */
  g_assert_cmpuint (iwb_rows_editor_get_n_rows (iwb_action_page_get_rows_editor (search)), ==, 1);
  columns = iwb_rows_editor_dup_columns (iwb_action_page_get_rows_editor (search));
  g_assert_cmpstr (columns[0], ==, "term");
  g_assert_cmpstr (columns[1], ==, "limit_col");
  g_assert_null (columns[2]);
  /* The template argument is a multi-line editor, not a column. */
  post = iwb_window_get_action_page (window, "main.post");
  g_assert_true (GTK_SOURCE_IS_VIEW (iwb_param_form_get_editor (iwb_action_page_get_args_form (post), "message")));

  /* The sidebar switches pages. */
  iwb_window_show_page (window, "main.post");
  g_assert_cmpstr (iwb_window_get_visible_page (window), ==, "main.post");
  g_assert_cmpstr (adw_window_title_get_title (window->content_title), ==, "Post a message");

  /* Once closed and its children (loads, runs, logo fetches) are done,
   * nothing keeps the window alive. */
  ui_test_close_window (window);
}

/* The label of @widget's tree whose text starts with @prefix, or NULL. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *prefix)
{
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_values_survive (void)
{
  IwbWindow *window = open_window ("tests/fixtures", "good-full");
  IwbParamForm *form = iwb_connection_page_get_form (iwb_window_get_connection_page (window));
  IwbActionPage *search = iwb_window_get_action_page (window, "main.search");
  IwbRowsEditor *rows = iwb_action_page_get_rows_editor (search);

  gtk_editable_set_text (GTK_EDITABLE (iwb_param_form_get_row (form, "URL")), "http://typed.example");
  gtk_editable_set_text (GTK_EDITABLE (iwb_param_form_get_row (iwb_action_page_get_params_form (search), "LIMIT")), "7");
  iwb_rows_editor_set_value (rows, 0, "term", "phish");
  iwb_rows_editor_add_row (rows);

  /* The action's description can be selected and copied, but the focus
   * that follows into a shown page does not stop on it (a focused
   * selectable label selects its whole text). */
  {
    GtkWidget *description = find_label (GTK_WIDGET (search), "Search the service.");

    g_assert_nonnull (description);
    g_assert_true (gtk_label_get_selectable (GTK_LABEL (description)));
    g_assert_false (gtk_widget_get_focusable (description));
  }

  /* Switching pages keeps them... */
  iwb_window_show_page (window, "main.search");
  iwb_window_show_page (window, "connection");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (iwb_param_form_get_row (form, "URL"))), ==,
                   "http://typed.example");

  /* ...and so does reloading the folder (Ctrl+R), which rebuilds every page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  WAIT_FOR (ui_test_window_is_state (window, "integration") && window->load_cancellable == NULL, WAIT_SECONDS);
  form = iwb_connection_page_get_form (iwb_window_get_connection_page (window));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (iwb_param_form_get_row (form, "URL"))), ==,
                   "http://typed.example");
  search = iwb_window_get_action_page (window, "main.search");
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (iwb_action_page_get_params_form (search), "LIMIT")),
                   ==, "7");
  rows = iwb_action_page_get_rows_editor (search);
  g_assert_cmpuint (iwb_rows_editor_get_n_rows (rows), ==, 2);
  {
    g_autoptr(GPtrArray) kept = iwb_rows_editor_dup_rows (rows);

    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (kept, 0), "term"), ==, "phish");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* What an override does through the window: forms rebuilt from another
 * descriptor, the values typed so far kept, the base descriptor intact. */
static void
test_set_descriptor (void)
{
  IwbWindow *window = open_window ("tests/fixtures", "good-full");
  IwbActionPage *search = iwb_window_get_action_page (window, "main.search");
  g_autoptr(JsonNode) effective = json_node_copy (iwb_window_get_base_descriptor (window));
  JsonArray *actions = json_object_get_array_member (json_node_get_object (effective), "actions");
  JsonObject *action = NULL;
  JsonArray *inputs;
  IwbParamForm *params;

  gtk_editable_set_text (GTK_EDITABLE (iwb_param_form_get_row (iwb_action_page_get_params_form (search), "LIMIT")), "3");
  for (guint i = 0; i < json_array_get_length (actions); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (actions, i), "entrypoint"),
                     "main.search"))
      action = json_array_get_object_element (actions, i);
  g_assert_nonnull (action);
  inputs = json_object_get_array_member (json_array_get_object_element (json_object_get_array_member (json_object_get_object_member (action, "instantiation"), "steps"), 0),
                                         "inputs");
  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonObject *input = json_array_get_object_element (inputs, i);

      if (g_str_equal (json_object_get_string_member (input, "id"), "LIMIT"))
        json_object_set_string_member (input, "label", "Overridden limit");
    }

  iwb_window_set_descriptor (window, effective);
  g_assert_true (iwb_window_get_descriptor (window) != iwb_window_get_base_descriptor (window));
  search = iwb_window_get_action_page (window, "main.search");
  params = iwb_action_page_get_params_form (search);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (iwb_param_form_get_row (params, "LIMIT"))), ==,
                   "Overridden limit");
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (params, "LIMIT")), ==, "3");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_lint_warnings_and_action_errors (void)
{
  IwbWindow *window = open_window ("tests/fixtures", "lint");
  GtkWidget *row;
  gboolean badge = FALSE;

  g_assert_cmpstr (iwb_window_get_state (window), ==, "integration");
  /* The warnings are listed in the sidebar, with file:line. */
  g_assert_true (gtk_widget_get_visible (window->warnings_box));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (window->warnings_row)), "Warning"));
  /* The action with a metadata error has a badge in the sidebar. */
  for (row = gtk_widget_get_first_child (GTK_WIDGET (window->sidebar_list)); row; row = gtk_widget_get_next_sibling (row))
    {
      const char *tooltip = gtk_widget_get_tooltip_text (row);

      if (tooltip != NULL && strstr (tooltip, "Docstring referenced port") != NULL)
        badge = TRUE;
    }
  g_assert_true (badge);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_load_error_and_retry (void)
{
  IwbWindow *window = open_window ("tests/fixtures", "broken-syntax");
  const char *message;

  g_assert_cmpstr (iwb_window_get_state (window), ==, "error");
  message = iwb_window_get_error_message (window);
  g_assert_nonnull (message);
  /* what, where (file:line), what to do */
  g_assert_nonnull (strstr (message, "main.py:6"));
  g_assert_nonnull (strstr (adw_status_page_get_description (window->error_page), "main.py:6"));
  /* Retry loads again, and fails the same way: never a blank window. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  g_assert_true (ui_test_window_is_state (window, "loading"));
  WAIT_FOR (!ui_test_window_is_state (window, "loading"), WAIT_SECONDS);
  g_assert_cmpstr (iwb_window_get_state (window), ==, "error");

  /* Opening a good folder from there works. */
  {
    g_autoptr(GFile) good = ui_test_folder ("tests", "fixtures", "good-minimal", NULL);

    iwb_window_open_folder (window, good);
    WAIT_FOR (!ui_test_window_is_state (window, "loading"), WAIT_SECONDS);
    g_assert_cmpstr (iwb_window_get_state (window), ==, "integration");
    g_assert_null (iwb_window_get_error_message (window));
  }
  gtk_window_destroy (GTK_WINDOW (window));

  /* A folder without Python files, a missing module: errors too. */
  window = open_window ("tests/fixtures", "broken-no-python");
  g_assert_cmpstr (iwb_window_get_state (window), ==, "error");
  gtk_window_destroy (GTK_WINDOW (window));
  window = open_window ("tests/fixtures", "broken-missing-module");
  g_assert_cmpstr (iwb_window_get_state (window), ==, "error");
  g_assert_nonnull (iwb_window_get_error_message (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_drop (void)
{
  IwbWindow *window = iwb_window_new (app);
  g_autoptr(GFile) file = ui_test_folder ("tests", "fixtures", "good-minimal", "main.py", NULL);
  g_autoptr(GFile) folder = ui_test_folder ("tests", "fixtures", "good-minimal", NULL);

  gtk_window_present (GTK_WINDOW (window));
  /* A file is not an integration: the window says what to drop. */
  g_assert_false (_iwb_window_open_dropped (window, file));
  g_assert_true (ui_test_window_is_state (window, "start"));
  /* A folder opens. */
  g_assert_true (_iwb_window_open_dropped (window, folder));
  WAIT_FOR (!ui_test_window_is_state (window, "loading"), WAIT_SECONDS);
  g_assert_cmpstr (iwb_window_get_state (window), ==, "integration");
  g_assert_true (g_file_equal (iwb_window_get_folder (window), folder));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
all_loaded (GList *windows)
{
  for (GList *l = windows; l; l = l->next)
    if (IWB_IS_WINDOW (l->data) && ui_test_window_is_state (l->data, "loading"))
      return FALSE;
  return TRUE;
}

static void
test_one_window_per_folder (void)
{
  g_autoptr(GFile) a = ui_test_folder ("tests", "fixtures", "good-minimal", NULL);
  g_autoptr(GFile) b = ui_test_folder ("tests", "fixtures", "good-full", NULL);
  GFile *files[] = { a, b };
  GList *windows;
  guint n = 0;

  /* `integration-workbench A B` (or a second invocation): a window each. */
  g_application_open (G_APPLICATION (app), files, 2, "");
  WAIT_FOR (all_loaded (gtk_application_get_windows (GTK_APPLICATION (app))), WAIT_SECONDS);
  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  for (GList *l = windows; l; l = l->next)
    {
      GFile *folder = IWB_IS_WINDOW (l->data) ? iwb_window_get_folder (l->data) : NULL;

      if (folder != NULL && (g_file_equal (folder, a) || g_file_equal (folder, b)))
        n++;
    }
  g_assert_cmpuint (n, ==, 2);

  /* Opening A again brings its window up instead of a twin. */
  g_application_open (G_APPLICATION (app), files, 1, "");
  n = 0;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (IWB_IS_WINDOW (l->data) && iwb_window_get_folder (l->data) && g_file_equal (iwb_window_get_folder (l->data), a))
      n++;
  g_assert_cmpuint (n, ==, 1);

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
}

static void
test_preferences (void)
{
  GSettings *settings = iwb_application_get_settings (app);
  IwbPreferences *prefs;

  g_assert_nonnull (settings);
  prefs = iwb_preferences_new (settings);
  gtk_window_present (GTK_WINDOW (prefs));

  /* The interpreter check: version, and whether lhub_integ is installed. */
  iwb_preferences_check_interpreter (prefs);
  WAIT_FOR (!iwb_preferences_get_checking (prefs), WAIT_SECONDS);
  g_assert_nonnull (strstr (iwb_preferences_get_check_result (prefs), "Python 3."));
  g_assert_nonnull (strstr (iwb_preferences_get_check_result (prefs), "lhub_integ"));

  /* A missing interpreter says so. */
  g_settings_set_string (settings, "python-interpreter", "/nonexistent/python3");
  gtk_window_destroy (GTK_WINDOW (prefs));
  prefs = iwb_preferences_new (settings);
  iwb_preferences_check_interpreter (prefs);
  WAIT_FOR (!iwb_preferences_get_checking (prefs), WAIT_SECONDS);
  g_assert_nonnull (strstr (iwb_preferences_get_check_result (prefs), "/nonexistent/python3"));
  g_settings_reset (settings, "python-interpreter");
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* An interpreter that never answers: closing Preferences during the
   * check ends its process, and nothing touches the closed window. */
  {
    g_autofree char *dir = g_dir_make_tmp ("iwb-test-python-XXXXXX", NULL);
    g_autofree char *script = g_build_filename (dir, "python3", NULL);
    g_autofree char *pid_file = g_build_filename (dir, "pid", NULL);
    g_autofree char *text = g_strdup_printf ("#!/bin/sh\necho $$ > '%s.tmp' && mv '%s.tmp' '%s'\n"
                                             "exec sleep 600\n", pid_file, pid_file, pid_file);
    g_autofree char *pid_text = NULL;
    pid_t pid;

    g_assert_true (g_file_set_contents (script, text, -1, NULL));
    g_assert_cmpint (g_chmod (script, 0755), ==, 0);
    g_settings_set_string (settings, "python-interpreter", script);
    prefs = iwb_preferences_new (settings);
    iwb_preferences_check_interpreter (prefs);
    WAIT_FOR (g_file_test (pid_file, G_FILE_TEST_EXISTS), WAIT_SECONDS);
    g_assert_true (g_file_get_contents (pid_file, &pid_text, NULL, NULL));
    pid = (pid_t) g_ascii_strtoll (pid_text, NULL, 10);
    g_assert_cmpint (pid, >, 1);
    g_assert_true (iwb_preferences_get_checking (prefs));
    gtk_window_destroy (GTK_WINDOW (prefs));
    WAIT_FOR (kill (pid, 0) != 0, WAIT_SECONDS);
    g_settings_reset (settings, "python-interpreter");
    g_unlink (pid_file);
    g_unlink (script);
    g_rmdir (dir);
  }

  /* The action opens it, and the about window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  {
    gboolean about = FALSE, preferences = FALSE;
    GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

    for (GList *l = windows; l; l = l->next)
      {
        about |= ADW_IS_ABOUT_WINDOW (l->data);
        preferences |= IWB_IS_PREFERENCES (l->data);
      }
    g_assert_true (about);
    g_assert_true (preferences);
    while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
      gtk_window_destroy (windows->data);
  }
}


static void
serve_logo (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  GBytes *png = user_data;

  if (g_str_equal (path, "/logo.png"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (png, NULL), g_bytes_get_size (png));
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
logo_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GdkTexture *
load_logo (const char  *url,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  iwb_logo_load_async (url, NULL, logo_done, &result);
  WAIT_FOR (result != NULL, WAIT_SECONDS);
  return iwb_logo_load_finish (result, error);
}

static void
test_logo (void)
{
  guchar pixels[4 * 3 * 2] = { 0xff };
  g_autoptr(GBytes) pixel_bytes = g_bytes_new (pixels, sizeof pixels);
  g_autoptr(GdkTexture) source = gdk_memory_texture_new (3, 2, GDK_MEMORY_R8G8B8A8, pixel_bytes, 12);
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (source);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *url = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *cache = NULL;

  soup_server_add_handler (server, NULL, serve_logo, png, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d/logo.png", g_uri_get_port (uris->data));
  missing = g_strdup_printf ("http://127.0.0.1:%d/nothing.png", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  cache = iwb_logo_get_cache_path (url);
  g_remove (cache);

  /* Fetched with libsoup, cached on disk. */
  texture = load_logo (url, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 3);
  g_assert_true (g_file_test (cache, G_FILE_TEST_IS_REGULAR));
  g_clear_object (&texture);

  /* The service gone: the cached copy answers. */
  soup_server_disconnect (server);
  texture = load_logo (url, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 2);
  g_clear_object (&texture);

  /* Nothing there and nothing cached, or no logoUrl: an error, and the
   * window shows the generic icon. */
  texture = load_logo (missing, &error);
  g_assert_null (texture);
  g_assert_nonnull (error);
  g_clear_error (&error);
  texture = load_logo (NULL, &error);
  g_assert_null (texture);
  g_assert_nonnull (error);
}

static void
add_tests (void)
{
  g_test_add_func ("/ui/window/start-screen", test_start_screen);
  g_test_add_func ("/ui/window/open-folder", test_open_folder);
  g_test_add_func ("/ui/window/values-survive", test_values_survive);
  g_test_add_func ("/ui/window/set-descriptor", test_set_descriptor);
  g_test_add_func ("/ui/window/lint-warnings-and-action-errors", test_lint_warnings_and_action_errors);
  g_test_add_func ("/ui/window/load-error-and-retry", test_load_error_and_retry);
  g_test_add_func ("/ui/window/drop", test_drop);
  g_test_add_func ("/ui/window/one-window-per-folder", test_one_window_per_folder);
  g_test_add_func ("/ui/window/preferences", test_preferences);
  g_test_add_func ("/ui/window/logo", test_logo);
}

int
main (int   argc,
      char *argv[])
{
  return iwb_test_ui_main (argc, argv, &app, add_tests);
}

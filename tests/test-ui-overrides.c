/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Dynamic overrides in the window, with real validators (python3 children)
 * and the demo service on 127.0.0.1: the toast, the action forms rebuilt
 * from the effective descriptor (new options, descriptions, an added input
 * that reaches the action), the "changed" markers and their tooltips, the
 * diff window, "Revert to Base Descriptor", and malformed overrides that
 * leave the base descriptor in force with a clear message.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "iwb-diff-view.h"
#include "iwb-json-diff.h"
#include "iwb-window-private.h"
#include "test-ui-util.h"

static IwbApplication *app;

static IwbWindow *
open_window_at (GFile *folder)
{
  IwbWindow *window = iwb_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  iwb_window_open_folder (window, folder);
  WAIT_FOR (g_strcmp0 (iwb_window_get_state (window), "loading") != 0, WAIT_SECONDS);
  g_assert_cmpstr (iwb_window_get_state (window), ==, "integration");
  return window;
}

static IwbWindow *
open_window (const char *first, ...)
{
  g_autoptr(GFile) folder = NULL;
  const char *part;
  va_list args;
  g_autoptr(GString) path = g_string_new (g_getenv ("IWB_SOURCE_ROOT"));

  va_start (args, first);
  for (part = first; part != NULL; part = va_arg (args, const char *))
    g_string_append_printf (path, "/%s", part);
  va_end (args);
  folder = g_file_new_for_path (path->str);
  return open_window_at (folder);
}

/* Whether a window action is enabled, seen the way a menu item or a button
 * bound to it sees it. */
static gboolean
action_enabled (IwbWindow  *window,
                const char *name)
{
  GtkWidget *content = gtk_widget_get_parent (GTK_WIDGET (window->pages_stack));
  GtkWidget *probe = gtk_button_new ();
  gboolean enabled;

  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), name);
  gtk_widget_set_visible (probe, FALSE);
  gtk_box_append (GTK_BOX (content), probe);
  ui_test_flush ();
  enabled = gtk_widget_get_sensitive (probe);
  gtk_box_remove (GTK_BOX (content), probe);
  return enabled;
}

static void
validate (IwbWindow *window)
{
  IwbConnectionPage *connection = iwb_window_get_connection_page (window);

  iwb_window_show_page (window, "connection");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL));
  g_assert_true (iwb_connection_page_get_busy (connection));
  WAIT_FOR (!iwb_connection_page_get_busy (connection), WAIT_SECONDS);
  /* The overrides are applied from the page's "validated" signal, before
   * the main loop runs again. */
}

/* The "changed" marker of a row, or NULL. */
static GtkWidget *
find_marker (GtkWidget *widget)
{
  if (gtk_widget_has_css_class (widget, "changed-marker"))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_marker (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
count_markers (GtkWidget *widget)
{
  guint n = gtk_widget_has_css_class (widget, "changed-marker") ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n += count_markers (child);
  return n;
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
has_change_path (IwbDiffView *view,
                 const char  *path)
{
  GPtrArray *changes = iwb_diff_view_get_changes (view);

  for (guint i = 0; i < changes->len; i++)
    if (g_str_equal (iwb_json_change_get_path (g_ptr_array_index (changes, i)), path))
      return TRUE;
  return FALSE;
}

/* The dynamic-options example: the validator fills PROJECT from the demo
 * service's live projects. */
static void
test_live_project_options (void)
{
  IwbWindow *window = open_window ("examples", "ticket-tracker", NULL);
  g_autoptr(GError) error = NULL;
  IwbActionPage *create;
  IwbActionPage *search;
  IwbParamForm *params;
  GtkWidget *row;
  GtkWidget *marker;
  GListModel *options;
  IwbDiffView *view;
  g_autofree char *base_text = NULL;
  g_autofree char *effective_text = NULL;
  g_autofree char *patch = NULL;
  const char *tooltip;

  g_assert_true (iwb_window_start_demo (window, &error));
  g_assert_no_error (error);
  /* Typed before the validation: must survive the rebuilt forms. */
  create = iwb_window_get_action_page (window, "main.create_ticket");
  params = iwb_action_page_get_params_form (create);
  iwb_field_value_set_text (iwb_param_form_get_field (params, "PRIORITY"), "high");
  row = iwb_param_form_get_row (params, "PROJECT");
  g_assert_true (ADW_IS_COMBO_ROW (row));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (row))), ==, 0);
  g_assert_null (find_marker (GTK_WIDGET (params)));
  /* Nothing to revert yet. */
  g_assert_false (action_enabled (window, "win.revert-overrides"));

  search = iwb_window_get_action_page (window, "main.search_tickets");
  validate (window);
  g_assert_cmpstr (iwb_connection_page_get_result (iwb_window_get_connection_page (window)), ==, "valid");
  g_assert_nonnull (window->action_overrides);
  /* Actions the overrides leave alone keep their page (and a run in it). */
  g_assert_true (iwb_window_get_action_page (window, "main.search_tickets") == search);
  g_assert_true (iwb_window_get_action_page (window, "main.create_ticket") != create);
  g_assert_true (iwb_window_get_descriptor (window) != iwb_window_get_base_descriptor (window));

  /* The toast, with its Show Changes button. */
  g_assert_nonnull (window->last_toast);
  g_assert_cmpstr (adw_toast_get_title (window->last_toast), ==, "Overrides changed 1 input in 1 action");
  g_assert_cmpstr (adw_toast_get_button_label (window->last_toast), ==, "Show Changes");
  g_assert_cmpstr (adw_toast_get_action_name (window->last_toast), ==, "win.show-changes");
  g_assert_cmpstr (g_variant_get_string (adw_toast_get_action_target_value (window->last_toast), NULL), ==,
                   "overrides");
  /* The validation result says it as well, on the same (kept) page. */
  g_assert_nonnull (strstr (iwb_connection_page_get_result_note (iwb_window_get_connection_page (window)),
                            "Overrides changed 1 input in 1 action"));

  /* The rebuilt form: the live projects in the dropdown, the new
   * description, the typed value kept. */
  create = iwb_window_get_action_page (window, "main.create_ticket");
  params = iwb_action_page_get_params_form (create);
  row = iwb_param_form_get_row (params, "PROJECT");
  options = adw_combo_row_get_model (ADW_COMBO_ROW (row));
  g_assert_cmpuint (g_list_model_get_n_items (options), ==, 3);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (options), 0), ==, "Operations (OPS)");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (options), 1), ==, "Security (SEC)");
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (params, "PROJECT")), ==, "OPS");
  g_assert_cmpstr (iwb_field_value_get_description (iwb_param_form_get_field (params, "PROJECT")), ==,
                   "Project of the new tickets (3 available)");
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (params, "PRIORITY")), ==, "high");

  /* One marker, on the changed row, telling the old values. */
  marker = find_marker (row);
  g_assert_nonnull (marker);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (marker)), ==, "changed");
  tooltip = gtk_widget_get_tooltip_text (marker);
  g_test_message ("tooltip: %s", tooltip);
  g_assert_nonnull (strstr (tooltip, "description was “Project of the new tickets (validate the connection to load the list)”"));
  g_assert_nonnull (strstr (tooltip, "options"));
  g_assert_cmpuint (count_markers (GTK_WIDGET (params)), ==, 1);
  g_assert_cmpuint (count_markers (GTK_WIDGET (iwb_window_get_action_page (window, "main.search_tickets"))), ==, 0);
  /* the changed action is marked in the sidebar as well */
  g_assert_cmpuint (count_markers (GTK_WIDGET (window->sidebar_list)), ==, 1);

  /* Show Changes: the diff window, base against effective. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-changes", "s", "overrides"));
  g_assert_nonnull (window->diff_window);
  g_assert_true (gtk_widget_get_visible (window->diff_window));
  view = IWB_DIFF_VIEW (window->diff_view);
  g_assert_cmpstr (iwb_diff_view_get_title (view), ==, "Dynamic overrides");
  g_assert_true (has_change_path (view, "actions[entrypoint=main.create_ticket].instantiation.steps[0].inputs[id=PROJECT].description"));
  g_assert_true (has_change_path (view, "actions[entrypoint=main.create_ticket].instantiation.steps[0].inputs[id=PROJECT].options"));
  g_assert_cmpuint (iwb_diff_view_get_n_changes (view), ==, 2); /* description, options (null before) */
  iwb_diff_view_set_visible_page (view, "side-by-side");
  ui_test_flush ();
  base_text = buffer_text (iwb_diff_view_get_base_buffer (view));
  effective_text = buffer_text (iwb_diff_view_get_effective_buffer (view));
  g_assert_nonnull (strstr (base_text, "validate the connection to load the list"));
  g_assert_null (strstr (base_text, "Operations (OPS)"));
  g_assert_nonnull (strstr (effective_text, "Operations (OPS)"));
  patch = iwb_diff_view_dup_patch_text (view);
  g_assert_nonnull (strstr (patch, "/actions/0/instantiation/steps/0/inputs/0/description"));

  /* Revert: the base descriptor again, no markers, the value kept. */
  g_assert_true (action_enabled (window, "win.revert-overrides"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.revert-overrides", NULL));
  g_assert_null (window->action_overrides);
  g_assert_true (iwb_window_get_descriptor (window) == iwb_window_get_base_descriptor (window));
  /* the diff window showed the overrides: it is gone with them */
  g_assert_null (window->diff_window);
  create = iwb_window_get_action_page (window, "main.create_ticket");
  params = iwb_action_page_get_params_form (create);
  g_assert_null (find_marker (GTK_WIDGET (params)));
  g_assert_null (find_marker (GTK_WIDGET (window->sidebar_list)));
  g_assert_null (iwb_connection_page_get_result_note (iwb_window_get_connection_page (window)));
  g_assert_cmpstr (iwb_field_value_get_description (iwb_param_form_get_field (params, "PROJECT")), ==,
                   "Project of the new tickets (validate the connection to load the list)");
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (params, "PRIORITY")), ==, "high");
  g_assert_false (action_enabled (window, "win.revert-overrides"));

  ui_test_close_window (window);
}

/* The vendor's example: the validator rewrites a description. Also what
 * `--validate --show-overrides` does: the diff window opens by itself. */
static void
test_vendor_example (void)
{
  IwbWindow *window = iwb_window_new (app);
  IwbStartupRequest request = { .validate = TRUE, .show_overrides = TRUE };
  g_autoptr(GFile) folder = ui_test_folder ("tests", "diff-fixtures", "vendor-example", NULL);
  IwbParamForm *params;
  GtkWidget *marker;

  gtk_window_present (GTK_WINDOW (window));
  iwb_window_open_folder (window, folder);
  WAIT_FOR (g_strcmp0 (iwb_window_get_state (window), "loading") != 0, WAIT_SECONDS);
  iwb_field_value_set_text (iwb_param_form_get_field (iwb_connection_page_get_form (iwb_window_get_connection_page (window)),
                                                      "API_URL"), "http://127.0.0.1:9");
  /* A loaded folder acts on the request at once. */
  iwb_window_set_startup_request (window, &request);
  WAIT_FOR (window->diff_window != NULL || g_strcmp0 (iwb_window_get_state (window), "error") == 0, WAIT_SECONDS);
  g_assert_cmpstr (iwb_window_get_state (window), ==, "integration");
  g_assert_cmpstr (adw_toast_get_title (window->last_toast), ==, "Overrides changed 1 input in 1 action");
  g_assert_true (has_change_path (IWB_DIFF_VIEW (window->diff_view),
                                  "actions[entrypoint=main.post].instantiation.steps[0].inputs[id=CHANNEL].description"));

  params = iwb_action_page_get_params_form (iwb_window_get_action_page (window, "main.post"));
  g_assert_cmpstr (iwb_field_value_get_description (iwb_param_form_get_field (params, "CHANNEL")), ==,
                   "My Custom Dynamic Description");
  marker = find_marker (iwb_param_form_get_row (params, "CHANNEL"));
  g_assert_nonnull (marker);
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (marker), "description was “Where to post”"));

  /* Validating again with the same result changes nothing: still one marker. */
  validate (window);
  params = iwb_action_page_get_params_form (iwb_window_get_action_page (window, "main.post"));
  g_assert_cmpuint (count_markers (GTK_WIDGET (params)), ==, 1);
  ui_test_close_window (window);
}

/* An input added by the overrides is in the form (a "new" marker), and its
 * value reaches the action as an environment variable. */
static void
test_added_input_reaches_action (void)
{
  IwbWindow *window = open_window ("tests", "diff-fixtures", "added-input", NULL);
  IwbActionPage *page;
  IwbParamForm *params;
  GtkWidget *marker;
  IwbRunView *run_view;
  GListModel *results;
  g_autoptr(IwbRunEvent) result = NULL;
  JsonObject *payload;

  page = iwb_window_get_action_page (window, "main.where");
  g_assert_null (iwb_param_form_get_field (iwb_action_page_get_params_form (page), "REGION"));
  validate (window);
  g_assert_cmpstr (adw_toast_get_title (window->last_toast), ==, "Overrides changed 1 input in 1 action");

  page = iwb_window_get_action_page (window, "main.where");
  params = iwb_action_page_get_params_form (page);
  g_assert_nonnull (iwb_param_form_get_field (params, "REGION"));
  marker = find_marker (iwb_param_form_get_row (params, "REGION"));
  g_assert_nonnull (marker);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (marker)), ==, "new");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (marker), "New input"));

  iwb_field_value_set_text (iwb_param_form_get_field (params, "REGION"), "us");
  iwb_rows_editor_set_value (iwb_action_page_get_rows_editor (page), 0, "name", "alice");
  iwb_window_show_page (window, "main.where");
  iwb_action_page_run (page);
  run_view = iwb_action_page_get_run_view (page);
  WAIT_FOR (!iwb_action_page_get_running (page) && iwb_run_view_get_finished (run_view)
            && iwb_run_view_get_n_pending (run_view) == 0, WAIT_SECONDS);
  results = iwb_run_view_get_results (run_view);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  result = g_list_model_get_item (results, 0);
  payload = json_node_get_object (iwb_run_event_get_payload (result));
  g_assert_cmpstr (json_object_get_string_member (payload, "region"), ==, "us");
  g_assert_cmpstr (json_object_get_string_member (payload, "name"), ==, "alice");
  ui_test_close_window (window);
}

/* actionOverrides that is not a list: a clear message, the base stays. */
static void
test_malformed_overrides (void)
{
  IwbWindow *window = open_window ("tests", "diff-fixtures", "bad-overrides", NULL);
  JsonNode *base = iwb_window_get_base_descriptor (window);
  const char *note;

  iwb_field_value_set_text (iwb_param_form_get_field (iwb_action_page_get_args_form (iwb_window_get_action_page (window, "main.echo")),
                                                      "text"), "kept");
  validate (window);
  note = iwb_connection_page_get_result_note (iwb_window_get_connection_page (window));
  g_assert_nonnull (note);
  g_assert_nonnull (strstr (note, "could not be applied"));
  g_assert_nonnull (strstr (note, "not a list"));
  g_assert_nonnull (strstr (note, "base descriptor stays in force"));
  g_assert_null (window->action_overrides);
  g_assert_true (iwb_window_get_descriptor (window) == base);
  g_assert_false (action_enabled (window, "win.revert-overrides"));
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (iwb_action_page_get_args_form (iwb_window_get_action_page (window, "main.echo")),
                                                                       "text")), ==, "kept");
  ui_test_close_window (window);
}

/* An override line that is not JSON at all: the message names the line. */
static void
test_unparsable_override_line (void)
{
  g_autofree char *dir = g_dir_make_tmp ("iwb-ui-overrides-XXXXXX", NULL);
  g_autofree char *main_py = g_build_filename (dir, "main.py", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GError) error = NULL;
  IwbWindow *window;
  const char *note;

  g_file_set_contents (main_py,
                       "from lhub_integ import action, connection_validator\n"
                       "\n"
                       "@connection_validator\n"
                       "def validate_connections():\n"
                       "    print('checking')\n"
                       "    print('[result] {\"actionOverrides\": [{\"entrypoint\": \"main.echo\",')\n"
                       "\n"
                       "@action\n"
                       "def echo(text):\n"
                       "    return {'text': text}\n", -1, &error);
  g_assert_no_error (error);
  window = open_window_at (folder);
  validate (window);
  note = iwb_connection_page_get_result_note (iwb_window_get_connection_page (window));
  g_assert_nonnull (note);
  g_assert_nonnull (strstr (note, "could not be read"));
  g_assert_nonnull (strstr (note, "stdout line 2"));
  g_assert_nonnull (strstr (note, "not valid JSON"));
  g_assert_null (window->action_overrides);
  g_assert_true (iwb_window_get_descriptor (window) == iwb_window_get_base_descriptor (window));
  ui_test_close_window (window);
  g_remove (main_py);
  g_rmdir (dir);
}

/* An override that matches no action is a warning; the others apply. */
static void
test_unmatched_override_warning (void)
{
  g_autofree char *dir = g_dir_make_tmp ("iwb-ui-overrides-XXXXXX", NULL);
  g_autofree char *main_py = g_build_filename (dir, "main.py", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GError) error = NULL;
  IwbWindow *window;
  const char *note;

  g_file_set_contents (main_py,
                       "import json\n"
                       "from lhub_integ import action, connection_validator\n"
                       "from lhub_integ.common import input_helpers\n"
                       "\n"
                       "@connection_validator\n"
                       "def validate_connections():\n"
                       "    d = json.loads(input_helpers.get_stripped_env_string('__integration_descriptor'))\n"
                       "    d['actions'][0]['instantiation']['steps'][0]['inputs'][0]['label'] = 'Words'\n"
                       "    ghost = {'entrypoint': 'main.ghost', 'name': 'Ghost',\n"
                       "             'instantiation': {'steps': [{'inputs': []}]}}\n"
                       "    print('[result] ' + json.dumps({'actionOverrides': d['actions'] + [ghost]}))\n"
                       "\n"
                       "@action\n"
                       "def echo(text):\n"
                       "    return {'text': text}\n", -1, &error);
  g_assert_no_error (error);
  window = open_window_at (folder);
  validate (window);
  g_assert_nonnull (window->action_overrides);
  g_assert_cmpstr (adw_toast_get_title (window->last_toast), ==, "Overrides changed 1 input in 1 action");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (iwb_param_form_get_row (iwb_action_page_get_args_form (iwb_window_get_action_page (window, "main.echo")), "text"))),
                   ==, "Words");
  note = iwb_connection_page_get_result_note (iwb_window_get_connection_page (window));
  g_test_message ("note: %s", note);
  g_assert_nonnull (strstr (note, "Some overrides were not applied"));
  g_assert_nonnull (strstr (note, "main.ghost"));
  ui_test_close_window (window);
  g_remove (main_py);
  g_rmdir (dir);
}

static void
add_tests (void)
{
  g_test_add_func ("/ui/overrides/live-project-options", test_live_project_options);
  g_test_add_func ("/ui/overrides/vendor-example", test_vendor_example);
  g_test_add_func ("/ui/overrides/added-input-reaches-action", test_added_input_reaches_action);
  g_test_add_func ("/ui/overrides/malformed", test_malformed_overrides);
  g_test_add_func ("/ui/overrides/unparsable-line", test_unparsable_override_line);
  g_test_add_func ("/ui/overrides/unmatched-warning", test_unmatched_override_warning);
}

int
main (int   argc,
      char *argv[])
{
  return iwb_test_ui_main (argc, argv, &app, add_tests);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbParamForm and IwbRowsEditor, built from a hand-written platform
 * descriptor: the widget each input type gets, typing through the widgets,
 * validation as you type, defaults, SDK errors on their rows, values that
 * survive a rebuilt form, input rows from CSV / JSON Lines.
 */
#include "config.h"

#include "iwb-core.h"
#include "iwb-error.h"
#include "iwb-param-form.h"
#include "iwb-rows-editor.h"
#include "test-ui-util.h"

static JsonNode *
load_descriptor (void)
{
  g_autofree char *path = ui_test_source_path ("tests", "ui-fixtures", "descriptor-all-types.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static JsonArray *
connection_inputs (JsonNode *descriptor)
{
  return json_object_get_array_member (json_object_get_object_member (json_node_get_object (descriptor),
                                                                      "connection"), "inputs");
}

static JsonArray *
action_inputs (JsonNode *descriptor,
               gboolean  arguments)
{
  JsonObject *action = json_array_get_object_element (json_object_get_array_member (json_node_get_object (descriptor),
                                                                                    "actions"), 0);
  JsonObject *step = json_array_get_object_element (json_object_get_array_member (json_object_get_object_member (action, "instantiation"),
                                                                                  "steps"), 0);
  JsonArray *inputs = json_object_get_array_member (step, "inputs");
  JsonArray *result = json_array_new ();

  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonObject *input = json_array_get_object_element (inputs, i);
      const char *source = json_object_get_string_member (input, "source");
      gboolean is_arg = g_str_equal (source, "column") || g_str_equal (source, "template");

      if (is_arg == arguments)
        json_array_add_element (result, json_node_copy (json_array_get_element (inputs, i)));
    }
  return result;
}

static char *
buffer_text (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static GtkWidget *
window_with (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* The button of @widget's tree whose tooltip is @tooltip, or NULL. */
static GtkWidget *
find_button_with_tooltip (GtkWidget  *widget,
                          const char *tooltip)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_tooltip (child, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_widgets_per_input_type (void)
{
  g_autoptr(JsonNode) descriptor = load_descriptor ();
  IwbParamForm *form = iwb_param_form_new (connection_inputs (descriptor), "connection", NULL);
  GtkWidget *window = window_with (GTK_WIDGET (form));
  GtkWidget *editor;
  g_autofree char *notes = NULL;
  GtkSourceLanguage *language;

  g_assert_cmpuint (iwb_param_form_get_n_fields (form), ==, 12);
  g_assert_cmpuint (g_list_model_get_n_items (iwb_param_form_get_fields (form)), ==, 12);

  /* text, email: entry rows; password: a masked entry row */
  g_assert_true (ADW_IS_ENTRY_ROW (iwb_param_form_get_row (form, "URL")));
  g_assert_false (ADW_IS_PASSWORD_ENTRY_ROW (iwb_param_form_get_row (form, "URL")));
  g_assert_true (ADW_IS_ENTRY_ROW (iwb_param_form_get_row (form, "OWNER")));
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (iwb_param_form_get_row (form, "API_KEY")));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (iwb_param_form_get_row (form, "URL"))),
                   ==, "Server URL");
  /* description as tooltip */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (iwb_param_form_get_row (form, "URL")), ==, "Base URL");

  /* textarea: a source view holding the default */
  editor = iwb_param_form_get_editor (form, "NOTES");
  g_assert_true (GTK_SOURCE_IS_VIEW (editor));
  notes = buffer_text (editor);
  g_assert_cmpstr (notes, ==, "none");

  /* json data type: a source view with JSON highlighting */
  editor = iwb_param_form_get_editor (form, "QUERY");
  g_assert_true (GTK_SOURCE_IS_VIEW (editor));
  language = gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (editor))));
  g_assert_nonnull (language);
  g_assert_cmpstr (gtk_source_language_get_id (language), ==, "json");

  /* file / encryptedFile: a row with a chooser button */
  g_assert_true (ADW_IS_ACTION_ROW (iwb_param_form_get_row (form, "CERT")));
  g_assert_true (GTK_IS_BUTTON (iwb_param_form_get_editor (form, "CERT")));
  g_assert_true (GTK_IS_BUTTON (iwb_param_form_get_editor (form, "SECRET_FILE")));

  /* number, int: entry rows; bool: a switch */
  g_assert_true (ADW_IS_ENTRY_ROW (iwb_param_form_get_row (form, "TIMEOUT")));
  g_assert_true (ADW_IS_ENTRY_ROW (iwb_param_form_get_row (form, "RETRIES")));
  g_assert_true (GTK_IS_SWITCH (iwb_param_form_get_editor (form, "VERBOSE")));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (iwb_param_form_get_editor (form, "VERBOSE"))));

  /* select: a combo over the options; a required one starts on the first */
  g_assert_true (ADW_IS_COMBO_ROW (iwb_param_form_get_row (form, "MODE")));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (iwb_param_form_get_row (form, "MODE")))), ==, 2);
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (form, "MODE")), ==, "fast");
  /* label/value options, optional: "(none)" first, labels shown */
  {
    GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (iwb_param_form_get_row (form, "LEVEL")));

    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 1), ==, "Low");
    g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (form, "LEVEL")), ==, "");
  }

  /* Nothing keeps the form (or its fields) alive once its window is gone. */
  g_object_ref (form);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (form);
}

static void
test_typing_and_validation (void)
{
  g_autoptr(JsonNode) descriptor = load_descriptor ();
  IwbParamForm *form = iwb_param_form_new (connection_inputs (descriptor), "connection", NULL);
  GtkWidget *window = window_with (GTK_WIDGET (form));
  IwbFieldValue *url = iwb_param_form_get_field (form, "URL");
  IwbFieldValue *retries = iwb_param_form_get_field (form, "RETRIES");
  IwbFieldValue *timeout = iwb_param_form_get_field (form, "TIMEOUT");
  IwbFieldValue *query = iwb_param_form_get_field (form, "QUERY");
  IwbFieldValue *level = iwb_param_form_get_field (form, "LEVEL");
  g_autofree char *problem = NULL;

  /* Required and empty: the form is not valid and says why. */
  g_assert_false (iwb_param_form_get_valid (form));
  g_assert_true (iwb_field_value_get_missing (url));
  problem = iwb_param_form_dup_problem (form);
  g_assert_nonnull (strstr (problem, "Server URL"));
  /* Not shown as an error before the user got there... */
  g_assert_false (gtk_widget_has_css_class (iwb_param_form_get_row (form, "URL"), "error"));
  /* ...but activating Validate focuses it and marks it. */
  g_assert_true (iwb_param_form_focus_first_invalid (form));
  g_assert_true (gtk_widget_has_css_class (iwb_param_form_get_row (form, "URL"), "error"));

  /* Typing into the widgets reaches the fields. */
  gtk_editable_set_text (GTK_EDITABLE (iwb_param_form_get_row (form, "URL")), "http://127.0.0.1:1");
  g_assert_cmpstr (iwb_field_value_get_text (url), ==, "http://127.0.0.1:1");
  g_assert_false (gtk_widget_has_css_class (iwb_param_form_get_row (form, "URL")," error"));
  gtk_editable_set_text (GTK_EDITABLE (iwb_param_form_get_row (form, "API_KEY")), "s3cret");

  /* int: validated as you type, with a message on the row */
  gtk_editable_set_text (GTK_EDITABLE (iwb_param_form_get_row (form, "RETRIES")), "three");
  g_assert_true (iwb_field_value_get_has_error (retries));
  g_assert_nonnull (iwb_field_value_get_error_message (retries));
  g_assert_true (gtk_widget_has_css_class (iwb_param_form_get_row (form, "RETRIES"), "error"));
  g_assert_false (iwb_param_form_get_valid (form));
  gtk_editable_set_text (GTK_EDITABLE (iwb_param_form_get_row (form, "RETRIES")), "3");
  g_assert_false (iwb_field_value_get_has_error (retries));
  g_assert_false (gtk_widget_has_css_class (iwb_param_form_get_row (form, "RETRIES"), "error"));
  g_assert_true (iwb_param_form_get_valid (form));
  g_assert_false (iwb_param_form_focus_first_invalid (form));

  /* number with a default: prefilled, restorable */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (iwb_param_form_get_row (form, "TIMEOUT"))), ==, "2.5");
  g_assert_true (iwb_field_value_get_is_default (timeout));
  gtk_editable_set_text (GTK_EDITABLE (iwb_param_form_get_row (form, "TIMEOUT")), "abc");
  g_assert_true (iwb_field_value_get_has_error (timeout));
  g_assert_false (iwb_field_value_get_is_default (timeout));
  iwb_field_value_restore_default (timeout);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (iwb_param_form_get_row (form, "TIMEOUT"))), ==, "2.5");
  g_assert_false (iwb_field_value_get_has_error (timeout));

  /* bool: the switch writes the SDK's words */
  gtk_switch_set_active (GTK_SWITCH (iwb_param_form_get_editor (form, "VERBOSE")), TRUE);
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (form, "VERBOSE")), ==, "true");

  /* json: the editor's text, checked with json.loads rules */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (iwb_param_form_get_editor (form, "QUERY"))),
                            "{\"a\": ", -1);
  g_assert_true (iwb_field_value_get_has_error (query));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (iwb_param_form_get_editor (form, "QUERY"))),
                            "{\"a\": [1, 2]}", -1);
  g_assert_false (iwb_field_value_get_has_error (query));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (iwb_field_value_get_value (query)));

  /* select with label/value options: the value is what is passed */
  adw_combo_row_set_selected (ADW_COMBO_ROW (iwb_param_form_get_row (form, "LEVEL")), 2);
  g_assert_cmpstr (iwb_field_value_get_text (level), ==, "high");
  iwb_field_value_set_text (level, "low");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (iwb_param_form_get_row (form, "LEVEL"))), ==, 1);

  /* file: the row shows the file's name, the value is its path; Clear is
   * offered only when there is a file to clear */
  {
    GtkWidget *clear = find_button_with_tooltip (iwb_param_form_get_row (form, "CERT"), "Clear");

    g_assert_nonnull (clear);
    g_assert_false (gtk_widget_get_sensitive (clear));
    iwb_field_value_set_text (iwb_param_form_get_field (form, "CERT"), "/etc/hostname");
    g_assert_true (gtk_widget_get_sensitive (clear));
    g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (form, "CERT")), ==, "/etc/hostname");
    g_signal_emit_by_name (clear, "clicked");
    g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (form, "CERT")), ==, "");
    g_assert_false (gtk_widget_get_sensitive (clear));
    iwb_field_value_set_text (iwb_param_form_get_field (form, "CERT"), "/etc/hostname");
  }

  g_assert_true (iwb_param_form_get_valid (form));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_sdk_errors_on_rows (void)
{
  g_autoptr(JsonNode) descriptor = load_descriptor ();
  IwbParamForm *form = iwb_param_form_new (connection_inputs (descriptor), "connection", NULL);
  GtkWidget *window = window_with (GTK_WIDGET (form));
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_field_error_free);
  IwbFieldValue *key = iwb_param_form_get_field (form, "API_KEY");

  iwb_field_value_set_text (key, "wrong");
  g_ptr_array_add (errors, iwb_field_error_new ("API_KEY", "This key is not accepted"));
  g_ptr_array_add (errors, iwb_field_error_new ("NOT_IN_FORM", "Elsewhere"));
  g_assert_cmpuint (iwb_param_form_set_field_errors (form, errors), ==, 1);
  g_assert_true (iwb_field_value_get_has_error (key));
  g_assert_cmpstr (iwb_field_value_get_error_message (key), ==, "This key is not accepted");
  g_assert_true (gtk_widget_has_css_class (iwb_param_form_get_row (form, "API_KEY"), "error"));
  /* Shown, but it does not block validating the same values again. */
  g_assert_true (iwb_field_value_get_valid (key));
  g_assert_null (iwb_field_value_dup_problem (key));

  /* Typing again clears the SDK's verdict on that row. */
  gtk_editable_set_text (GTK_EDITABLE (iwb_param_form_get_row (form, "API_KEY")), "another");
  g_assert_false (iwb_field_value_get_has_error (key));
  g_assert_null (iwb_field_value_get_remote_error (key));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_values_survive_rebuild (void)
{
  g_autoptr(JsonNode) descriptor = load_descriptor ();
  g_autoptr(IwbSession) store = iwb_session_new ();
  IwbParamForm *form = iwb_param_form_new (connection_inputs (descriptor), "connection", store);
  IwbSessionValueFlags flags;
  GtkWidget *window = window_with (GTK_WIDGET (form));
  IwbParamForm *again;

  gtk_editable_set_text (GTK_EDITABLE (iwb_param_form_get_row (form, "URL")), "http://kept");
  adw_combo_row_set_selected (ADW_COMBO_ROW (iwb_param_form_get_row (form, "MODE")), 1);
  /* What was typed is in the session's store, the one copy runs read. */
  g_assert_cmpstr (iwb_session_get_value (store, "connection", "URL", &flags), ==, "http://kept");
  g_assert_true (flags & IWB_SESSION_VALUE_TYPED);
  g_assert_cmpstr (iwb_session_get_value (store, "connection", "MODE", NULL), ==, "full");
  gtk_window_destroy (GTK_WINDOW (window));

  /* A new form (a reload, an overridden descriptor) over the same store. */
  again = iwb_param_form_new (connection_inputs (descriptor), "connection", store);
  window = window_with (GTK_WIDGET (again));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (iwb_param_form_get_row (again, "URL"))), ==, "http://kept");
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (again, "MODE")), ==, "full");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (iwb_param_form_get_row (again, "MODE"))), ==, 1);
  /* Another scope does not see them. */
  {
    IwbParamForm *other = g_object_ref_sink (iwb_param_form_new (connection_inputs (descriptor), "other", store));

    g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (other, "URL")), ==, "");
    g_object_unref (other);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_arguments (void)
{
  g_autoptr(JsonNode) descriptor = load_descriptor ();
  g_autoptr(JsonArray) params = action_inputs (descriptor, FALSE);
  g_autoptr(JsonArray) args = action_inputs (descriptor, TRUE);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  IwbParamForm *params_form = iwb_param_form_new (params, "action:main.post", NULL);
  IwbParamForm *args_form = iwb_param_form_new (args, "action:main.post", NULL);
  GtkWidget *window;
  const char *columns[] = { "channel", "text", NULL };
  GtkWidget *template;
  IwbFieldValue *channel;

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (params_form));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (args_form));
  window = window_with (box);

  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (params_form, "LIMIT")), ==, "10");
  /* columnSelect: an editable entry mapping to the column named like the argument */
  channel = iwb_param_form_get_field (args_form, "channel");
  g_assert_true (ADW_IS_ENTRY_ROW (iwb_param_form_get_row (args_form, "channel")));
  g_assert_cmpstr (iwb_field_value_get_text (channel), ==, "channel");
  g_assert_true (iwb_field_value_is_argument (channel));
  iwb_param_form_set_columns (args_form, columns);
  /* choosing a column from the menu */
  g_assert_true (gtk_widget_activate_action (iwb_param_form_get_row (args_form, "channel"),
                                             "field.set-column", "s", "text"));
  g_assert_cmpstr (iwb_field_value_get_text (channel), ==, "text");
  /* jinja template: a multi-line editor, required */
  template = iwb_param_form_get_editor (args_form, "message");
  g_assert_true (GTK_SOURCE_IS_VIEW (template));
  g_assert_false (iwb_param_form_get_valid (args_form));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (template)), "[{{ severity }}] {{ title }}", -1);
  g_assert_cmpstr (iwb_field_value_get_text (iwb_param_form_get_field (args_form, "message")), ==,
                   "[{{ severity }}] {{ title }}");
  g_assert_true (iwb_param_form_get_valid (args_form));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_rows_editor (void)
{
  IwbRowsEditor *editor = iwb_rows_editor_new ();
  GtkWidget *window = window_with (GTK_WIDGET (editor));
  const char *columns[] = { "channel", "text", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_auto(GStrv) names = NULL;

  iwb_rows_editor_set_rows (editor, NULL, columns);
  iwb_rows_editor_add_row (editor);
  g_assert_cmpuint (iwb_rows_editor_get_n_rows (editor), ==, 1);
  names = iwb_rows_editor_dup_columns (editor);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (iwb_rows_editor_get_view (editor))), ==, 2);

  /* through the widget's actions */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "rows.add-row", NULL));
  g_assert_cmpuint (iwb_rows_editor_get_n_rows (editor), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "rows.remove-row", NULL));
  g_assert_cmpuint (iwb_rows_editor_get_n_rows (editor), ==, 1);
  iwb_rows_editor_set_value (editor, 0, "text", "hello");
  g_assert_true (iwb_rows_editor_add_column (editor, "extra"));
  g_assert_false (iwb_rows_editor_add_column (editor, "extra"));
  rows = iwb_rows_editor_dup_rows (editor);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (rows, 0), "text"), ==, "hello");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (rows, 0), "extra"), ==, "");
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "rows.remove-column", "s", "extra"));
  g_clear_pointer (&names, g_strfreev);
  names = iwb_rows_editor_dup_columns (editor);
  g_assert_cmpuint (g_strv_length (names), ==, 2);

  /* CSV with a header (as pasted) */
  g_assert_true (iwb_rows_editor_import_text (editor, "channel,severity,title\nalerts,high,Phish\ngeneral,low,Lunch\n",
                                              "pasted", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (iwb_rows_editor_get_n_rows (editor), ==, 2);
  g_clear_pointer (&names, g_strfreev);
  names = iwb_rows_editor_dup_columns (editor);
  g_assert_cmpstr (names[1], ==, "severity");
  /* JSON Lines keep their types */
  g_assert_true (iwb_rows_editor_import_text (editor, "{\"n\": 1}\n{\"n\": 2, \"x\": [1]}\n", NULL, &error));
  g_assert_no_error (error);
  rows = iwb_rows_editor_dup_rows (editor);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (rows, 1), "n"), ==, 2);
  /* broken text: an error that names the place, the rows stay */
  g_assert_false (iwb_rows_editor_import_text (editor, "{\"n\": 1}\n{broken\n", "rows.jsonl", &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "rows.jsonl"));
  g_assert_cmpuint (iwb_rows_editor_get_n_rows (editor), ==, 2);
  g_clear_error (&error);
  g_assert_false (iwb_rows_editor_import_text (editor, "  \n", NULL, &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT);

  /* Paste (the toolbar's button): rows from the clipboard's text. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (editor)),
                          "[{\"a\": 1}, {\"a\": 2}, {\"a\": 3, \"b\": true}]");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "rows.paste", NULL));
  WAIT_FOR (iwb_rows_editor_get_n_rows (editor) == 3, WAIT_SECONDS);
  g_clear_pointer (&names, g_strfreev);
  names = iwb_rows_editor_dup_columns (editor);
  g_assert_cmpstr (names[0], ==, "a");
  g_assert_cmpstr (names[1], ==, "b");

  g_object_ref (editor);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (editor);
}

static void
add_tests (void)
{
  g_test_add_func ("/ui/forms/widgets-per-input-type", test_widgets_per_input_type);
  g_test_add_func ("/ui/forms/typing-and-validation", test_typing_and_validation);
  g_test_add_func ("/ui/forms/sdk-errors-on-rows", test_sdk_errors_on_rows);
  g_test_add_func ("/ui/forms/values-survive-rebuild", test_values_survive_rebuild);
  g_test_add_func ("/ui/forms/arguments", test_arguments);
  g_test_add_func ("/ui/forms/rows-editor", test_rows_editor);
}

int
main (int   argc,
      char *argv[])
{
  return iwb_test_ui_main (argc, argv, NULL, add_tests);
}

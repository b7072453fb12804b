/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbParamForm's rows: one widget per kind of input (entry, password, switch,
 * options, text area, file, column), bound both ways to its IwbFieldValue.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-descriptor.h"
#include "iwb-gui-util.h"
#include "iwb-param-form-private.h"

/* --- rows ---------------------------------------------------------------- */

static void
add_description_tooltip (GtkWidget     *row,
                         IwbFieldValue *field)
{
  const char *description = iwb_field_value_get_description (field);

  if (description != NULL && description[0] != '\0')
    gtk_widget_set_tooltip_text (row, description);
}

static GtkWidget *
required_marker (IwbFieldValue *field)
{
  GtkWidget *label;

  if (iwb_field_value_get_optional (field))
    return NULL;
  label = gtk_label_new (_("Required"));
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "required-marker");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

static void
reset_clicked (GtkButton *button,
               FieldRow  *fr)
{
  iwb_field_value_restore_default (fr->field);
}

static GtkWidget *
reset_button_new (FieldRow *fr)
{
  const char *default_text = iwb_field_value_get_default_text (fr->field);
  GtkWidget *button;
  g_autofree char *tooltip = NULL;

  if (default_text == NULL)
    return NULL;
  button = gtk_button_new_from_icon_name ("edit-undo-symbolic");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (iwb_field_value_is_secret (fr->field) || default_text[0] == '\0')
    tooltip = g_strdup (_("Restore the default value"));
  else
    /* Translators: %s is a default value */
    tooltip = g_strdup_printf (_("Restore the default value (%s)"), default_text);
  gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect (button, "clicked", G_CALLBACK (reset_clicked), fr);
  fr->reset_button = button;
  return button;
}

/* Entry rows: text <-> field text, both ways. */
static GtkWidget *
entry_row_new (FieldRow *fr,
               gboolean  password)
{
  GtkWidget *row = password ? adw_password_entry_row_new () : adw_entry_row_new ();
  GtkWidget *marker = required_marker (fr->field);
  GtkWidget *reset = reset_button_new (fr);
  const char *data_type = iwb_field_value_get_data_type (fr->field);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), iwb_field_value_get_label (fr->field));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  if (g_str_equal (data_type, "int"))
    adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_DIGITS);
  else if (g_str_equal (data_type, "number"))
    adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_NUMBER);
  if (g_str_equal (iwb_field_value_get_input_type (fr->field), "email"))
    adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_EMAIL);
  if (reset != NULL)
    adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), reset);
  if (marker != NULL)
    adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), marker);
  gtk_editable_set_text (GTK_EDITABLE (row), iwb_field_value_get_text (fr->field));
  g_object_bind_property (fr->field, "text", row, "text", G_BINDING_BIDIRECTIONAL);
  fr->editor = row;
  return row;
}

static void
set_column_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  FieldRow *fr = user_data;

  iwb_field_value_set_text (fr->field, g_variant_get_string (parameter, NULL));
}

void
_iwb_param_form_rebuild_columns_menu (FieldRow           *fr,
                                      const char * const *columns)
{
  g_menu_remove_all (fr->columns_menu);
  for (guint i = 0; columns != NULL && columns[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (columns[i], NULL);

      g_menu_item_set_action_and_target_value (item, "field.set-column", g_variant_new_string (columns[i]));
      g_menu_append_item (fr->columns_menu, item);
    }
}

/* columnSelect: an entry (any column name, or one not yet in the rows) with
 * a menu of the columns present in the input rows. */
static GtkWidget *
column_row_new (FieldRow *fr)
{
  GtkWidget *row = entry_row_new (fr, FALSE);
  GtkWidget *button = gtk_menu_button_new ();
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("set-column", G_VARIANT_TYPE_STRING);

  g_signal_connect (action, "activate", G_CALLBACK (set_column_activated), fr);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (row, "field", G_ACTION_GROUP (group));

  fr->columns_menu = g_menu_new ();
  _iwb_param_form_rebuild_columns_menu (fr, (const char * const *) fr->form->columns);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (fr->columns_menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-list-symbolic");
  gtk_widget_set_tooltip_text (button, _("Choose a column of the input rows"));
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), button);
  return row;
}

static gboolean
text_to_active (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  const char *text = g_value_get_string (from);
  g_autofree char *lower = g_ascii_strdown (text ? text : "", -1);

  g_value_set_boolean (to, g_str_equal (lower, "true") || g_str_equal (lower, "yes")
                           || g_str_equal (lower, "y") || g_str_equal (lower, "1"));
  return TRUE;
}

static gboolean
active_to_text (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  g_value_set_string (to, g_value_get_boolean (from) ? "true" : "false");
  return TRUE;
}

static GtkWidget *
switch_row_new (FieldRow *fr)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();
  GtkWidget *marker = required_marker (fr->field);
  GtkWidget *reset = reset_button_new (fr);
  const char *description = iwb_field_value_get_description (fr->field);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), iwb_field_value_get_label (fr->field));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  if (description != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  if (reset != NULL)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), reset);
  if (marker != NULL)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), marker);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  /* An optional bool without a default stays unset ("") until toggled. */
  g_object_bind_property_full (fr->field, "text", sw, "active",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               text_to_active, active_to_text, NULL, NULL);
  fr->editor = sw;
  return row;
}

static void
combo_selected_changed (AdwComboRow *row,
                        GParamSpec  *pspec,
                        FieldRow    *fr)
{
  guint selected = adw_combo_row_get_selected (row);

  if (fr->syncing || selected == GTK_INVALID_LIST_POSITION || selected >= fr->options_values->len)
    return;
  fr->syncing = TRUE;
  iwb_field_value_set_text (fr->field, g_ptr_array_index (fr->options_values, selected));
  fr->syncing = FALSE;
}

static void
combo_sync_from_text (IwbFieldValue *field,
                      GParamSpec    *pspec,
                      FieldRow      *fr)
{
  const char *text = iwb_field_value_get_text (field);

  if (fr->syncing)
    return;
  fr->syncing = TRUE;
  for (guint i = 0; i < fr->options_values->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (fr->options_values, i), text) == 0)
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (fr->editor), i);
          break;
        }
    }
  fr->syncing = FALSE;
}

/* select: options are plain strings or {"label", "value"} objects. */
static GtkWidget *
combo_row_new (FieldRow *fr)
{
  GtkWidget *row = adw_combo_row_new ();
  JsonObject *input = iwb_field_value_get_input (fr->field);
  JsonArray *options = iwb_descriptor_input_get_options (input);
  GtkWidget *marker = required_marker (fr->field);
  GtkWidget *reset = reset_button_new (fr);
  const char *description = iwb_field_value_get_description (fr->field);
  const char *text = iwb_field_value_get_text (fr->field);
  gboolean text_listed = FALSE;

  fr->options_labels = gtk_string_list_new (NULL);
  fr->options_values = g_ptr_array_new_with_free_func (g_free);

  if (iwb_field_value_get_optional (fr->field) && iwb_field_value_get_default_text (fr->field) == NULL)
    {
      gtk_string_list_append (fr->options_labels, _("(none)"));
      g_ptr_array_add (fr->options_values, g_strdup (""));
    }
  if (options != NULL)
    {
      JsonArray *array = options;

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *option = json_array_get_element (array, i);
          g_autofree char *label = NULL;
          g_autofree char *value = NULL;

          if (JSON_NODE_HOLDS_OBJECT (option))
            {
              JsonObject *obj = json_node_get_object (option);
              JsonNode *v = json_object_get_member (obj, "value");
              JsonNode *l = json_object_get_member (obj, "label");

              value = iwb_json_to_compact_text (v);
              label = l != NULL ? iwb_json_to_compact_text (l) : g_strdup (value);
            }
          else
            {
              value = iwb_json_to_compact_text (option);
              label = g_strdup (value);
            }
          gtk_string_list_append (fr->options_labels, label);
          g_ptr_array_add (fr->options_values, g_steal_pointer (&value));
        }
    }
  /* A value that is not among the options (a stale default, a reload that
   * removed it) stays visible instead of being silently replaced. */
  for (guint i = 0; i < fr->options_values->len; i++)
    if (g_strcmp0 (g_ptr_array_index (fr->options_values, i), text) == 0)
      text_listed = TRUE;
  if (!text_listed && text != NULL && text[0] != '\0')
    {
      gtk_string_list_append (fr->options_labels, text);
      g_ptr_array_add (fr->options_values, g_strdup (text));
    }
  /* A required select without a value takes the first option, like a
   * platform form does. */
  if ((text == NULL || text[0] == '\0') && fr->options_values->len > 0)
    iwb_field_value_set_text (fr->field, g_ptr_array_index (fr->options_values, 0));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), iwb_field_value_get_label (fr->field));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  if (description != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (fr->options_labels));
  if (reset != NULL)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), reset);
  if (marker != NULL)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), marker);
  fr->editor = row;
  combo_sync_from_text (fr->field, NULL, fr);
  g_signal_connect (row, "notify::selected", G_CALLBACK (combo_selected_changed), fr);
  g_signal_connect (fr->field, "notify::text", G_CALLBACK (combo_sync_from_text), fr);
  return row;
}

/* Multi-line editors: textarea, json values, jinja templates. */
static void
buffer_changed (GtkTextBuffer *buffer,
                FieldRow      *fr)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (fr->syncing)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  fr->syncing = TRUE;
  iwb_field_value_set_text (fr->field, text);
  fr->syncing = FALSE;
}

static void
buffer_sync_from_text (IwbFieldValue *field,
                       GParamSpec    *pspec,
                       FieldRow      *fr)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (fr->editor));

  if (fr->syncing)
    return;
  fr->syncing = TRUE;
  gtk_text_buffer_set_text (buffer, iwb_field_value_get_text (field), -1);
  fr->syncing = FALSE;
}

static GtkWidget *
text_area_row_new (FieldRow *fr)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (iwb_field_value_get_label (fr->field));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *marker = required_marker (fr->field);
  GtkWidget *reset = reset_button_new (fr);
  const char *description = iwb_field_value_get_description (fr->field);
  const char *data_type = iwb_field_value_get_data_type (fr->field);
  const char *language = NULL;
  GtkWidget *view;

  if (g_str_equal (data_type, "json"))
    language = "json";
  else if (g_str_equal (data_type, "jinja"))
    language = "jinja2";
  view = iwb_source_view_new (language, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, iwb_field_value_get_label (fr->field),
                                  -1);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (title), 0.0f);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_box_append (GTK_BOX (header), title);
  if (reset != NULL)
    gtk_box_append (GTK_BOX (header), reset);
  if (marker != NULL)
    gtk_box_append (GTK_BOX (header), marker);
  gtk_box_append (GTK_BOX (box), header);
  if (description != NULL && description[0] != '\0')
    {
      GtkWidget *subtitle = gtk_label_new (description);

      gtk_label_set_xalign (GTK_LABEL (subtitle), 0.0f);
      gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
      gtk_widget_add_css_class (subtitle, "dim-label");
      gtk_widget_add_css_class (subtitle, "caption");
      gtk_box_append (GTK_BOX (box), subtitle);
    }
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 72);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 240);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_widget_add_css_class (scrolled, "text-area");
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "text-area-row");

  fr->editor = view;
  buffer_sync_from_text (fr->field, NULL, fr);
  g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                    G_CALLBACK (buffer_changed), fr);
  g_signal_connect (fr->field, "notify::text", G_CALLBACK (buffer_sync_from_text), fr);
  return row;
}

/* file / encryptedFile: the value is the chosen file's path (a "lhub file
 * id" is joined to INTEGRATIONS_FILES_PATH with os.path.join, so an
 * absolute path reaches the file as it is, without copying it). Only the
 * file's name is ever shown; never its content. */
static void
file_sync_from_text (IwbFieldValue *field,
                     GParamSpec    *pspec,
                     FieldRow      *fr)
{
  const char *text = iwb_field_value_get_text (field);

  gtk_widget_set_sensitive (fr->file_clear, text != NULL && text[0] != '\0');
  if (text == NULL || text[0] == '\0')
    gtk_label_set_text (GTK_LABEL (fr->file_label), _("No file chosen"));
  else
    {
      g_autofree char *name = g_path_get_basename (text);

      gtk_label_set_text (GTK_LABEL (fr->file_label), name);
    }
}

static void
file_chooser_response (GtkNativeDialog *dialog,
                       int              response,
                       gpointer         user_data)
{
  FieldRow *fr = g_object_get_data (G_OBJECT (dialog), "field-row");

  if (response == GTK_RESPONSE_ACCEPT && fr != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        iwb_field_value_set_text (fr->field, path);
    }
  g_object_unref (dialog);
}

static void
choose_file_clicked (GtkButton *button,
                     FieldRow  *fr)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Choose a File"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "field-row", fr);
  g_signal_connect (chooser, "response", G_CALLBACK (file_chooser_response), NULL);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
clear_file_clicked (GtkButton *button,
                    FieldRow  *fr)
{
  iwb_field_value_set_text (fr->field, "");
}

static GtkWidget *
file_row_new (FieldRow *fr)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *choose = gtk_button_new_with_mnemonic (_("_Choose…"));
  GtkWidget *clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  GtkWidget *marker = required_marker (fr->field);
  const char *description = iwb_field_value_get_description (fr->field);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), iwb_field_value_get_label (fr->field));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  if (description != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);
  fr->file_label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (fr->file_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (fr->file_label), 28);
  gtk_widget_add_css_class (fr->file_label, "dim-label");
  gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (clear, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (clear, "flat");
  gtk_widget_set_tooltip_text (clear, _("Clear"));
  fr->file_clear = clear;
  if (marker != NULL)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), marker);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), fr->file_label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), clear);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), choose);
  if (g_str_equal (iwb_field_value_get_input_type (fr->field), "encryptedFile"))
    {
      GtkWidget *lock = gtk_image_new_from_icon_name ("channel-secure-symbolic");

      gtk_widget_set_tooltip_text (lock, _("Encrypted file: its content is never shown or stored by the workbench"));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), lock);
    }
  g_signal_connect (choose, "clicked", G_CALLBACK (choose_file_clicked), fr);
  g_signal_connect (clear, "clicked", G_CALLBACK (clear_file_clicked), fr);
  g_signal_connect (fr->field, "notify::text", G_CALLBACK (file_sync_from_text), fr);
  file_sync_from_text (fr->field, NULL, fr);
  fr->editor = choose;
  return row;
}

GtkWidget *
_iwb_param_form_create_row (FieldRow *fr)
{
  IwbFieldValue *field = fr->field;
  const char *input_type = iwb_field_value_get_input_type (field);
  const char *data_type = iwb_field_value_get_data_type (field);
  const char *source = iwb_field_value_get_source (field);
  GtkWidget *row;

  if (g_str_equal (source, "template") || g_str_equal (data_type, "jinja"))
    row = text_area_row_new (fr);
  else if (g_str_equal (source, "column") || g_str_equal (input_type, "columnSelect"))
    row = column_row_new (fr);
  else if (g_str_equal (input_type, "password"))
    row = entry_row_new (fr, TRUE);
  else if (g_str_equal (input_type, "select"))
    row = combo_row_new (fr);
  else if (g_str_equal (input_type, "file") || g_str_equal (input_type, "encryptedFile"))
    row = file_row_new (fr);
  else if (g_str_equal (data_type, "bool"))
    row = switch_row_new (fr);
  else if (g_str_equal (input_type, "textarea") || g_str_equal (data_type, "json"))
    row = text_area_row_new (fr);
  else
    row = entry_row_new (fr, FALSE);

  add_description_tooltip (row, field);
  gtk_widget_set_name (row, iwb_field_value_get_id (field));
  return row;
}

GtkWidget *
_iwb_param_form_error_row_new (FieldRow *fr)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");

  fr->error_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (fr->error_label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (fr->error_label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (fr->error_label), TRUE);
  gtk_widget_set_hexpand (fr->error_label, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), fr->error_label);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "field-error");
  gtk_widget_set_visible (row, FALSE);
  return row;
}


/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRowsEditor: the input rows of an action run, as a table. Rows keep the
 * JSON types they were imported with; a cell edited by hand becomes a
 * string (the platform's rows are strings too). Parsing pasted or imported
 * text is the core's (iwb-input-rows).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-error.h"
#include "iwb-gui-util.h"
#include "iwb-input-rows.h"
#include "iwb-rows-editor.h"

/* --- one row ------------------------------------------------------------- */

#define IWB_TYPE_ROW_ITEM (iwb_row_item_get_type ())
G_DECLARE_FINAL_TYPE (IwbRowItem, iwb_row_item, IWB, ROW_ITEM, GObject)

struct _IwbRowItem
{
  GObject     parent_instance;
  JsonObject *object;
};

G_DEFINE_FINAL_TYPE (IwbRowItem, iwb_row_item, G_TYPE_OBJECT)

static void
iwb_row_item_finalize (GObject *object)
{
  g_clear_pointer (&IWB_ROW_ITEM (object)->object, json_object_unref);
  G_OBJECT_CLASS (iwb_row_item_parent_class)->finalize (object);
}

static void
iwb_row_item_class_init (IwbRowItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = iwb_row_item_finalize;
}

static void
iwb_row_item_init (IwbRowItem *self)
{
}

static IwbRowItem *
iwb_row_item_new (JsonObject *object)
{
  IwbRowItem *self = g_object_new (IWB_TYPE_ROW_ITEM, NULL);
  JsonNode *node = json_node_alloc ();
  g_autoptr(JsonNode) copy = NULL;

  /* A private copy: editing a cell must not change the caller's rows. */
  json_node_init_object (node, object);
  copy = json_node_copy (node);
  json_node_unref (node);
  self->object = json_node_dup_object (copy);
  return self;
}

/* --- the editor ---------------------------------------------------------- */

struct _IwbRowsEditor
{
  GtkWidget           parent_instance;

  GtkWidget          *box;
  GtkWidget          *column_view;
  GtkWidget          *count_label;
  GtkWidget          *column_entry;
  GtkWidget          *column_popover;
  GListStore         *rows;
  GtkSingleSelection *selection;
  GPtrArray          *columns; /* char* */
};

G_DEFINE_FINAL_TYPE (IwbRowsEditor, iwb_rows_editor, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_changed (IwbRowsEditor *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row", "%u rows", n), n);

  gtk_label_set_text (GTK_LABEL (self->count_label), text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "rows.remove-row", n > 0);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
cell_text_changed (GtkEditableLabel *label,
                   GParamSpec       *pspec,
                   GtkListItem      *item)
{
  IwbRowItem *row = gtk_list_item_get_item (item);
  const char *column = g_object_get_data (G_OBJECT (label), "column");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (label));
  JsonNode *current;
  g_autofree char *current_text = NULL;
  IwbRowsEditor *self;

  if (row == NULL || column == NULL || gtk_editable_label_get_editing (label))
    return;
  current = json_object_get_member (row->object, column);
  current_text = iwb_json_to_compact_text (current);
  if (current != NULL && g_strcmp0 (current_text, text) == 0)
    return;
  json_object_set_string_member (row->object, column, text);
  self = IWB_ROWS_EDITOR (gtk_widget_get_ancestor (GTK_WIDGET (label), IWB_TYPE_ROWS_EDITOR));
  if (self != NULL)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
cell_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_editable_label_new ("");

  g_object_set_data_full (G_OBJECT (label), "column", g_strdup (user_data), g_free);
  gtk_list_item_set_child (item, label);
}

static void
cell_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  IwbRowItem *row = gtk_list_item_get_item (item);
  g_autofree char *text = iwb_json_to_compact_text (json_object_get_member (row->object, user_data));

  gtk_editable_set_text (GTK_EDITABLE (label), text);
  g_signal_connect (label, "notify::editing", G_CALLBACK (cell_text_changed), item);
}

static void
cell_unbind (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_child (item), cell_text_changed, item);
}

static void
rebuild_columns (IwbRowsEditor *self)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (self->column_view);
  GListModel *columns = gtk_column_view_get_columns (view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (view, column);
    }

  for (guint i = 0; i < self->columns->len; i++)
    {
      const char *name = g_ptr_array_index (self->columns, i);
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autoptr(GMenu) menu = g_menu_new ();
      g_autoptr(GMenuItem) remove = g_menu_item_new (_("Remove Column"), NULL);

      g_signal_connect_data (factory, "setup", G_CALLBACK (cell_setup), g_strdup (name),
                             (GClosureNotify) (void (*) (void)) g_free, 0);
      g_signal_connect_data (factory, "bind", G_CALLBACK (cell_bind), g_strdup (name),
                             (GClosureNotify) (void (*) (void)) g_free, 0);
      g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind), NULL);
      column = gtk_column_view_column_new (name, factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, TRUE);
      g_menu_item_set_action_and_target_value (remove, "rows.remove-column", g_variant_new_string (name));
      g_menu_append_item (menu, remove);
      gtk_column_view_column_set_header_menu (column, G_MENU_MODEL (menu));
      gtk_column_view_append_column (view, column);
    }
}

static gboolean
has_column (IwbRowsEditor *self,
            const char    *name)
{
  for (guint i = 0; i < self->columns->len; i++)
    if (g_str_equal (g_ptr_array_index (self->columns, i), name))
      return TRUE;
  return FALSE;
}

void
iwb_rows_editor_set_rows (IwbRowsEditor      *self,
                          GPtrArray          *rows,
                          const char * const *columns)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (IWB_IS_ROWS_EDITOR (self));

  g_ptr_array_set_size (self->columns, 0);
  for (guint i = 0; columns != NULL && columns[i] != NULL; i++)
    if (!has_column (self, columns[i]))
      g_ptr_array_add (self->columns, g_strdup (columns[i]));
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      JsonObject *object = g_ptr_array_index (rows, i);
      JsonObjectIter iter;
      const char *key;

      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &key, NULL))
        if (!has_column (self, key))
          g_ptr_array_add (self->columns, g_strdup (key));
      g_ptr_array_add (items, iwb_row_item_new (object));
    }

  rebuild_columns (self);
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       items->pdata, items->len);
  emit_changed (self);
}

GPtrArray *
iwb_rows_editor_dup_rows (IwbRowsEditor *self)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  guint n;

  g_return_val_if_fail (IWB_IS_ROWS_EDITOR (self), rows);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IwbRowItem) item = g_list_model_get_item (G_LIST_MODEL (self->rows), i);
      JsonNode *node = json_node_alloc ();
      g_autoptr(JsonNode) copy = NULL;

      json_node_init_object (node, item->object);
      copy = json_node_copy (node);
      json_node_unref (node);
      g_ptr_array_add (rows, json_node_dup_object (copy));
    }
  return rows;
}

GStrv
iwb_rows_editor_dup_columns (IwbRowsEditor *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv result;

  for (guint i = 0; i < self->columns->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->columns, i));
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

guint
iwb_rows_editor_get_n_rows (IwbRowsEditor *self)
{
  g_return_val_if_fail (IWB_IS_ROWS_EDITOR (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->rows));
}

GtkColumnView *
iwb_rows_editor_get_view (IwbRowsEditor *self)
{
  g_return_val_if_fail (IWB_IS_ROWS_EDITOR (self), NULL);
  return GTK_COLUMN_VIEW (self->column_view);
}

void
iwb_rows_editor_add_row (IwbRowsEditor *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(IwbRowItem) item = NULL;

  g_return_if_fail (IWB_IS_ROWS_EDITOR (self));

  for (guint i = 0; i < self->columns->len; i++)
    json_object_set_string_member (object, g_ptr_array_index (self->columns, i), "");
  item = iwb_row_item_new (object);
  g_list_store_append (self->rows, item);
  emit_changed (self);
}

void
iwb_rows_editor_remove_row (IwbRowsEditor *self,
                            guint          position)
{
  g_return_if_fail (IWB_IS_ROWS_EDITOR (self));

  if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->rows)))
    return;
  g_list_store_remove (self->rows, position);
  emit_changed (self);
}

gboolean
iwb_rows_editor_add_column (IwbRowsEditor *self,
                            const char    *name)
{
  guint n;

  g_return_val_if_fail (IWB_IS_ROWS_EDITOR (self), FALSE);

  if (name == NULL || name[0] == '\0' || has_column (self, name))
    return FALSE;
  g_ptr_array_add (self->columns, g_strdup (name));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IwbRowItem) item = g_list_model_get_item (G_LIST_MODEL (self->rows), i);

      if (!json_object_has_member (item->object, name))
        json_object_set_string_member (item->object, name, "");
    }
  rebuild_columns (self);
  emit_changed (self);
  return TRUE;
}

void
iwb_rows_editor_remove_column (IwbRowsEditor *self,
                               const char    *name)
{
  guint n;

  g_return_if_fail (IWB_IS_ROWS_EDITOR (self));

  for (guint i = 0; i < self->columns->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->columns, i), name))
        {
          g_ptr_array_remove_index (self->columns, i);
          break;
        }
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IwbRowItem) item = g_list_model_get_item (G_LIST_MODEL (self->rows), i);

      if (json_object_has_member (item->object, name))
        json_object_remove_member (item->object, name);
    }
  rebuild_columns (self);
  emit_changed (self);
}

void
iwb_rows_editor_set_value (IwbRowsEditor *self,
                           guint          position,
                           const char    *column,
                           const char    *text)
{
  g_autoptr(IwbRowItem) item = NULL;

  g_return_if_fail (IWB_IS_ROWS_EDITOR (self));

  item = g_list_model_get_item (G_LIST_MODEL (self->rows), position);
  if (item == NULL)
    return;
  if (!has_column (self, column))
    iwb_rows_editor_add_column (self, column);
  json_object_set_string_member (item->object, column, text ? text : "");
  /* Rebind the visible cells. */
  g_list_store_splice (self->rows, position, 1, (gpointer *) &item, 1);
  emit_changed (self);
}

void
iwb_rows_editor_select_row (IwbRowsEditor *self,
                            guint          position)
{
  g_return_if_fail (IWB_IS_ROWS_EDITOR (self));

  if (position < g_list_model_get_n_items (G_LIST_MODEL (self->rows)))
    gtk_single_selection_set_selected (self->selection, position);
}

guint
iwb_rows_editor_get_selected (IwbRowsEditor *self)
{
  g_return_val_if_fail (IWB_IS_ROWS_EDITOR (self), GTK_INVALID_LIST_POSITION);
  return gtk_single_selection_get_selected (self->selection);
}

gboolean
iwb_rows_editor_import_text (IwbRowsEditor  *self,
                             const char     *text,
                             const char     *source_name,
                             GError        **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *copy = NULL;

  g_return_val_if_fail (IWB_IS_ROWS_EDITOR (self), FALSE);

  copy = g_strdup (text ? text : "");
  if (g_strstrip (copy)[0] == '\0')
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_INPUT,
                   _("There is no text to read rows from: copy JSON Lines, a JSON array or CSV with a header first"));
      return FALSE;
    }
  rows = iwb_input_rows_parse_named (text, strlen (text), IWB_INPUT_FORMAT_AUTO,
                                     source_name ? source_name : _("pasted text"), error);
  if (rows == NULL)
    return FALSE;
  iwb_rows_editor_set_rows (self, rows, NULL);
  return TRUE;
}

gboolean
iwb_rows_editor_import_file (IwbRowsEditor  *self,
                             GFile          *file,
                             GError        **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (IWB_IS_ROWS_EDITOR (self), FALSE);

  rows = iwb_input_rows_load (file, IWB_INPUT_FORMAT_AUTO, error);
  if (rows == NULL)
    return FALSE;
  iwb_rows_editor_set_rows (self, rows, NULL);
  return TRUE;
}

/* --- actions ------------------------------------------------------------- */

static void
add_row_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  iwb_rows_editor_add_row (IWB_ROWS_EDITOR (widget));
}

static void
remove_row_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  IwbRowsEditor *self = IWB_ROWS_EDITOR (widget);
  guint selected = gtk_single_selection_get_selected (self->selection);

  if (selected == GTK_INVALID_LIST_POSITION)
    selected = g_list_model_get_n_items (G_LIST_MODEL (self->rows)) - 1;
  iwb_rows_editor_remove_row (self, selected);
}

static void
remove_column_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  iwb_rows_editor_remove_column (IWB_ROWS_EDITOR (widget), g_variant_get_string (parameter, NULL));
}

static void
add_column_from_entry (IwbRowsEditor *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->column_entry));

  if (iwb_rows_editor_add_column (self, name))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->column_entry), "");
      gtk_popover_popdown (GTK_POPOVER (self->column_popover));
    }
  else
    gtk_widget_error_bell (self->column_entry);
}

static void
add_column_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  add_column_from_entry (IWB_ROWS_EDITOR (widget));
}

static void
paste_read (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(IwbRowsEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);

  if (text != NULL)
    iwb_rows_editor_import_text (self, text, _("pasted text"), &error);
  if (error != NULL)
    iwb_widget_show_toast (GTK_WIDGET (self), error->message);
  else
    {
      guint n = iwb_rows_editor_get_n_rows (self);
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Pasted %u row",
                                                               "Pasted %u rows", n), n);

      iwb_widget_show_toast (GTK_WIDGET (self), message);
    }
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, paste_read, g_object_ref (widget));
}

static void
import_response (GtkNativeDialog *dialog,
                 int              response,
                 gpointer         user_data)
{
  g_autoptr(IwbRowsEditor) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;

      if (!iwb_rows_editor_import_file (self, file, &error))
        iwb_widget_show_toast (GTK_WIDGET (self), error->message);
    }
  g_object_unref (dialog);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Input Rows"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("JSON Lines, JSON or CSV"));
  gtk_file_filter_add_pattern (filter, "*.jsonl");
  gtk_file_filter_add_pattern (filter, "*.ndjson");
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (import_response), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
iwb_rows_editor_dispose (GObject *object)
{
  IwbRowsEditor *self = IWB_ROWS_EDITOR (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), IWB_TYPE_ROWS_EDITOR);
  G_OBJECT_CLASS (iwb_rows_editor_parent_class)->dispose (object);
}

static void
iwb_rows_editor_finalize (GObject *object)
{
  IwbRowsEditor *self = IWB_ROWS_EDITOR (object);

  g_clear_object (&self->rows);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  G_OBJECT_CLASS (iwb_rows_editor_parent_class)->finalize (object);
}

static void
iwb_rows_editor_class_init (IwbRowsEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = iwb_rows_editor_dispose;
  object_class->finalize = iwb_rows_editor_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "rows.add-row", NULL, add_row_action);
  gtk_widget_class_install_action (widget_class, "rows.remove-row", NULL, remove_row_action);
  gtk_widget_class_install_action (widget_class, "rows.add-column", NULL, add_column_action);
  gtk_widget_class_install_action (widget_class, "rows.remove-column", "s", remove_column_action);
  gtk_widget_class_install_action (widget_class, "rows.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "rows.import", NULL, import_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lhub/IntegrationWorkbench/iwb-rows-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, IwbRowsEditor, box);
  gtk_widget_class_bind_template_child (widget_class, IwbRowsEditor, column_view);
  gtk_widget_class_bind_template_child (widget_class, IwbRowsEditor, count_label);
  gtk_widget_class_bind_template_child (widget_class, IwbRowsEditor, column_entry);
  gtk_widget_class_bind_template_child (widget_class, IwbRowsEditor, column_popover);
  gtk_widget_class_bind_template_callback (widget_class, add_column_from_entry);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "rowseditor");
}

static void
iwb_rows_editor_init (IwbRowsEditor *self)
{
  self->columns = g_ptr_array_new_with_free_func (g_free);
  self->rows = g_list_store_new (IWB_TYPE_ROW_ITEM);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->column_view), GTK_SELECTION_MODEL (self->selection));

  emit_changed (self);
}

IwbRowsEditor *
iwb_rows_editor_new (void)
{
  return g_object_new (IWB_TYPE_ROWS_EDITOR, NULL);
}

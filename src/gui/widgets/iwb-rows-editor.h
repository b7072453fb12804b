/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define IWB_TYPE_ROWS_EDITOR (iwb_rows_editor_get_type ())
G_DECLARE_FINAL_TYPE (IwbRowsEditor, iwb_rows_editor, IWB, ROWS_EDITOR, GtkWidget)

IwbRowsEditor *iwb_rows_editor_new            (void);
/* @rows: JsonObject* (referenced); @columns: (nullable) the column order,
 * else the union of the rows' keys in first-seen order. */
void           iwb_rows_editor_set_rows       (IwbRowsEditor      *self,
                                               GPtrArray          *rows,
                                               const char * const *columns);
/* Returns (transfer full) JsonObject* copies, free func json_object_unref. */
GPtrArray     *iwb_rows_editor_dup_rows       (IwbRowsEditor      *self);
GStrv          iwb_rows_editor_dup_columns    (IwbRowsEditor      *self);
guint          iwb_rows_editor_get_n_rows     (IwbRowsEditor      *self);
GtkColumnView *iwb_rows_editor_get_view       (IwbRowsEditor      *self);
void           iwb_rows_editor_add_row        (IwbRowsEditor      *self);
void           iwb_rows_editor_remove_row     (IwbRowsEditor      *self,
                                               guint               position);
gboolean       iwb_rows_editor_add_column     (IwbRowsEditor      *self,
                                               const char         *name);
void           iwb_rows_editor_remove_column  (IwbRowsEditor      *self,
                                               const char         *name);
void           iwb_rows_editor_set_value      (IwbRowsEditor      *self,
                                               guint               position,
                                               const char         *column,
                                               const char         *text);
void           iwb_rows_editor_select_row     (IwbRowsEditor      *self,
                                               guint               position);
guint          iwb_rows_editor_get_selected   (IwbRowsEditor      *self);
/* Rows from JSON Lines, a JSON array or CSV (through the core's parser);
 * they replace the current rows. */
gboolean       iwb_rows_editor_import_text    (IwbRowsEditor      *self,
                                               const char         *text,
                                               const char         *source_name,
                                               GError            **error);
gboolean       iwb_rows_editor_import_file    (IwbRowsEditor      *self,
                                               GFile              *file,
                                               GError            **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRunView's columns: the results table (an input-row column, one column
 * per key of the first results, an error column) and the log's columns.
 * Cells are bound from the IwbRunEvent items; GtkColumnView makes widgets
 * for the rows on screen only.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-gui-util.h"
#include "iwb-run-view-private.h"

#define COLUMN_SAMPLE     200    /* results whose keys make the columns */
#define VALUE_MAX_CHARS   300    /* characters of a cell before it is cut */

/* --- cells ----------------------------------------------------------------- */

static JsonNode *
result_value (IwbRunEvent *event,
              const char  *column)
{
  JsonNode *payload = iwb_run_event_get_payload (event);

  if (iwb_run_event_get_kind (event) != IWB_RUN_EVENT_RESULT || payload == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_OBJECT (payload))
    return json_object_get_member (json_node_get_object (payload), column);
  /* Results that are not objects go to the "value" column. */
  return g_str_equal (column, "value") ? payload : NULL;
}

static void
label_setup (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (item, label);
}

static void
set_cell (GtkListItem *item,
          const char  *text,
          gboolean     error)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *shown = NULL;

  if (text != NULL && g_utf8_strlen (text, -1) > VALUE_MAX_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, VALUE_MAX_CHARS);

      shown = g_strconcat (cut, "…", NULL);
    }
  gtk_label_set_text (GTK_LABEL (label), shown ? shown : (text ? text : ""));
  if (error)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
}

static void
value_bind (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  IwbRunView *self = g_object_get_data (G_OBJECT (factory), "iwb-run-view");
  IwbRunEvent *event = gtk_list_item_get_item (item);
  JsonNode *value = result_value (event, user_data);
  g_autofree char *text = value ? iwb_json_to_compact_text (value) : NULL;

  if (text != NULL && self != NULL)
    text = _iwb_run_view_redact (self, text);

  set_cell (item, text, iwb_run_event_get_kind (event) == IWB_RUN_EVENT_ROW_ERROR);
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item),
                               text && strlen (text) > 40 ? text : NULL);
}

/* 1-based number of the input row a result belongs to, 0 when none. */
guint
_iwb_run_view_input_row_number (IwbRunView  *self,
                  IwbRunEvent *event)
{
  JsonObject *row = iwb_run_event_get_input_row (event);

  return row ? GPOINTER_TO_UINT (g_hash_table_lookup (self->row_index, row)) : 0;
}

static char *
input_row_text (IwbRunView  *self,
                IwbRunEvent *event)
{
  JsonNode *lhub_id = iwb_run_event_get_lhub_id (event);
  guint number = _iwb_run_view_input_row_number (self, event);

  if (number > 0)
    return g_strdup_printf ("%u", number);
  if (lhub_id != NULL)
    return iwb_json_to_compact_text (lhub_id);
  /* Uncorrelated: the result belongs to no single input row. */
  return g_strdup ("—");
}

static void
input_bind (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  IwbRunView *self = user_data;
  IwbRunEvent *event = gtk_list_item_get_item (item);
  JsonObject *row = iwb_run_event_get_input_row (event);
  g_autofree char *text = input_row_text (self, event);
  g_autofree char *tooltip = NULL;

  set_cell (item, text, iwb_run_event_get_kind (event) == IWB_RUN_EVENT_ROW_ERROR);
  /* The row's text was made before the run started: a JsonObject's
   * reference count is not atomic, and the run (on its own thread) holds
   * this row too, so the view never references it while the run goes. */
  if (row != NULL && g_hash_table_lookup (self->row_text, row) != NULL)
    /* Translators: tooltip of a result's input-row cell */
    tooltip = g_strdup_printf (_("Input row: %s"), (char *) g_hash_table_lookup (self->row_text, row));
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item), tooltip);
}

static void
error_bind (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  IwbRunEvent *event = gtk_list_item_get_item (item);
  const char *message = NULL;
  g_autofree char *first_line = NULL;

  if (iwb_run_event_get_kind (event) == IWB_RUN_EVENT_ROW_ERROR)
    message = iwb_run_event_get_message (event);
  if (message != NULL)
    {
      /* A traceback: its last line says what went wrong. */
      g_autofree char *copy = g_strstrip (g_strdup (message));
      g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);
      guint n = g_strv_length (lines);

      first_line = g_strdup (n > 0 ? lines[n - 1] : message);
    }
  set_cell (item, first_line, TRUE);
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item), message);
}

static GtkColumnViewColumn *
add_column (IwbRunView  *self,
            const char  *title,
            GCallback    bind,
            gpointer     data,
            GDestroyNotify destroy)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (label_setup), NULL);
  g_object_set_data (G_OBJECT (factory), "iwb-run-view", self); /* the view outlives its columns */
  g_signal_connect_data (factory, "bind", bind, data, (GClosureNotify) (void (*) (void)) destroy, 0);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (GTK_COLUMN_VIEW (self->results_view), column);
  g_object_unref (column);
  return column;
}

static gboolean
has_column (IwbRunView *self,
            const char *key)
{
  for (guint i = 0; i < self->columns->len; i++)
    if (g_str_equal (g_ptr_array_index (self->columns, i), key))
      return TRUE;
  return FALSE;
}

static void
add_value_column (IwbRunView *self,
                  const char *key)
{
  GtkColumnViewColumn *column;

  g_ptr_array_add (self->columns, g_strdup (key));
  column = add_column (self, key, G_CALLBACK (value_bind), g_strdup (key), g_free);
  gtk_column_view_column_set_expand (column, TRUE);
}

/* Columns: the union of the keys of the first results. */
void
_iwb_run_view_sample_columns (IwbRunView  *self,
                IwbRunEvent *event)
{
  JsonNode *payload;

  if (iwb_run_event_get_kind (event) == IWB_RUN_EVENT_ROW_ERROR)
    {
      if (!self->error_column)
        {
          GtkColumnViewColumn *column;

          self->error_column = TRUE;
          column = add_column (self, _("Error"), G_CALLBACK (error_bind), NULL, NULL);
          gtk_column_view_column_set_expand (column, TRUE);
        }
      return;
    }
  if (self->sampled >= COLUMN_SAMPLE)
    return;
  self->sampled++;
  payload = iwb_run_event_get_payload (event);
  if (payload != NULL && JSON_NODE_HOLDS_OBJECT (payload))
    {
      JsonObjectIter iter;
      const char *key;

      json_object_iter_init (&iter, json_node_get_object (payload));
      while (json_object_iter_next (&iter, &key, NULL))
        if (!has_column (self, key))
          add_value_column (self, key);
    }
  else if (!has_column (self, "value"))
    add_value_column (self, "value");
}

/* --- log tab --------------------------------------------------------------- */

static void
log_time_bind (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  IwbRunEvent *event = gtk_list_item_get_item (item);
  g_autofree char *text = g_strdup_printf ("%.3f", iwb_run_event_get_time_us (event) / (double) G_USEC_PER_SEC);

  set_cell (item, text, FALSE);
  gtk_widget_add_css_class (gtk_list_item_get_child (item), "dim-label");
  gtk_widget_add_css_class (gtk_list_item_get_child (item), "numeric");
}

static void
log_stream_bind (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  IwbRunEvent *event = gtk_list_item_get_item (item);
  const char *stream = iwb_run_event_get_stream (event);

  set_cell (item, stream, g_strcmp0 (stream, "stderr") == 0);
}

static void
log_text_bind (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  IwbRunEvent *event = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (label), iwb_run_event_get_text (event));
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "monospace");
}

static void
log_column (GtkWidget  *view,
            const char *title,
            GCallback   bind,
            gboolean    expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (label_setup), NULL);
  g_signal_connect (factory, "bind", bind, NULL);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (GTK_COLUMN_VIEW (view), column);
}

void
_iwb_run_view_add_input_column (IwbRunView *self)
{
  GtkColumnViewColumn *column = add_column (self, _("Input Row"), G_CALLBACK (input_bind), self, NULL);

  gtk_column_view_column_set_fixed_width (column, 90);
}

void
_iwb_run_view_add_log_columns (IwbRunView *self)
{
  log_column (self->log_view, _("Time (s)"), G_CALLBACK (log_time_bind), FALSE);
  log_column (self->log_view, _("Stream"), G_CALLBACK (log_stream_bind), FALSE);
  log_column (self->log_view, _("Line"), G_CALLBACK (log_text_bind), TRUE);
}

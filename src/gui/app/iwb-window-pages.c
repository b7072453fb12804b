/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbWindow's pages: the sidebar, the connection and action pages built
 * from the descriptor, the header (name, logo) and the warnings (see
 * iwb-window.c for the window's lifecycle).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-logo.h"
#include "iwb-window-private.h"
#include "iwb-descriptor.h"
#include "iwb-json.h"

/* --- pages ------------------------------------------------------------------ */

static void
save_rows (IwbWindow *self)
{
  for (guint i = 0; self->action_pages != NULL && i < self->action_pages->len; i++)
    {
      IwbActionPage *page = g_ptr_array_index (self->action_pages, i);

      g_autoptr(GPtrArray) rows = iwb_rows_editor_dup_rows (iwb_action_page_get_rows_editor (page));

      iwb_session_set_rows (self->session, iwb_action_page_get_entrypoint (page), rows);
    }
}

void
_iwb_window_clear_pages_full (IwbWindow *self,
                  gboolean   keep_connection)
{
  GtkWidget *child;

  save_rows (self);
  gtk_list_box_unselect_all (self->sidebar_list);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list))) != NULL)
    gtk_list_box_remove (self->sidebar_list, child);
  /* Action pages first: they hold on to the connection form. */
  for (guint i = 0; self->action_pages != NULL && i < self->action_pages->len; i++)
    gtk_stack_remove (self->pages_stack, g_ptr_array_index (self->action_pages, i));
  g_ptr_array_set_size (self->action_pages, 0);
  if (keep_connection)
    return;
  if (self->connection_page != NULL)
    gtk_stack_remove (self->pages_stack, GTK_WIDGET (self->connection_page));
  g_clear_object (&self->connection_page);
  _iwb_window_drop_history_page (self);
}

void
_iwb_window_clear_pages (IwbWindow *self)
{
  _iwb_window_clear_pages_full (self, FALSE);
}

static GtkWidget *
sidebar_row_new (const char *name,
                 const char *title,
                 const char *subtitle,
                 const char *icon,
                 guint       n_errors)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *image = gtk_image_new_from_icon_name (icon);

  gtk_label_set_xalign (GTK_LABEL (title_label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (title_label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (labels), title_label);
  if (subtitle != NULL)
    {
      GtkWidget *subtitle_label = gtk_label_new (subtitle);

      gtk_label_set_xalign (GTK_LABEL (subtitle_label), 0.0f);
      gtk_label_set_ellipsize (GTK_LABEL (subtitle_label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_widget_add_css_class (subtitle_label, "caption");
      gtk_widget_add_css_class (subtitle_label, "dim-label");
      gtk_box_append (GTK_BOX (labels), subtitle_label);
    }
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), labels);
  if (n_errors > 0)
    {
      g_autofree char *count = g_strdup_printf ("%u", n_errors);
      GtkWidget *badge = gtk_label_new (count);

      gtk_widget_add_css_class (badge, "error-badge");
      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (badge, g_dngettext (GETTEXT_PACKAGE, "This action has a metadata error",
                                                       "This action has metadata errors", n_errors));
      gtk_box_append (GTK_BOX (box), badge);
    }
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "page", g_strdup (name), g_free);
  return row;
}

IwbAction *
_iwb_window_find_model_action (IwbWindow  *self,
                   const char *entrypoint)
{
  if (iwb_session_get_integration (self->session) == NULL || entrypoint == NULL)
    return NULL;
  return iwb_integration_find_action (iwb_session_get_integration (self->session), entrypoint);
}

void
_iwb_window_build_pages (IwbWindow *self)
{
  JsonArray *inputs = NULL;
  JsonArray *actions;
  g_autofree char *visible = g_strdup (iwb_window_get_visible_page (self));
  g_autoptr(GHashTable) kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  GtkWidget *row;

  if (iwb_session_get_descriptor (self->session) == NULL || !JSON_NODE_HOLDS_OBJECT (iwb_session_get_descriptor (self->session)))
    {
      _iwb_window_clear_pages (self);
      return;
    }
  inputs = iwb_descriptor_get_connection_inputs (iwb_session_get_descriptor (self->session), NULL);
  actions = iwb_descriptor_get_actions (iwb_session_get_descriptor (self->session), NULL);
  /* Overrides never change the connection: an unchanged connection page
   * stays, with its validation result, and so do the pages of unchanged
   * actions, with their runs (iwb-window-overrides.c). */
  if (_iwb_window_keep_connection_page (self, inputs))
    {
      _iwb_window_take_unchanged_action_pages (self, actions, kept);
      _iwb_window_clear_pages_full (self, TRUE);
    }
  else
    {
      _iwb_window_clear_pages (self);
      self->connection_page = g_object_ref_sink (iwb_connection_page_new (self->session, inputs));
      g_signal_connect_object (self->connection_page, "notify::busy",
                               G_CALLBACK (_iwb_window_actions_update), self, G_CONNECT_SWAPPED);
      gtk_stack_add_named (self->pages_stack, GTK_WIDGET (self->connection_page), "connection");
      _iwb_window_overrides_connect_page (self, self->connection_page);
    }
  {
    guint n = inputs ? json_array_get_length (inputs) : 0;
    g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u parameter",
                                                              "%u parameters", n), n);

    row = sidebar_row_new ("connection", _("Connection"), subtitle, "network-server-symbolic", 0);
    gtk_list_box_append (self->sidebar_list, row);
  }

  for (guint i = 0; actions != NULL && i < json_array_get_length (actions); i++)
    {
      JsonNode *node = json_array_get_element (actions, i);
      JsonObject *action;
      IwbActionPage *page;
      IwbAction *model;
      const char *entrypoint;
      const char * const *errors;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      action = json_node_get_object (node);
      entrypoint = iwb_descriptor_action_get_entrypoint (action);
      if (entrypoint == NULL)
        continue;
      page = g_hash_table_lookup (kept, entrypoint);
      if (page != NULL)
        {
          g_ptr_array_add (self->action_pages, g_object_ref (page));
          g_hash_table_remove (kept, entrypoint);
        }
      else
        {
          page = iwb_action_page_new (self->session, action, _iwb_window_get_connection_form (self));
          g_signal_connect_object (page, "notify::running",
                                   G_CALLBACK (_iwb_window_actions_update), self, G_CONNECT_SWAPPED);
          g_ptr_array_add (self->action_pages, g_object_ref_sink (page));
          gtk_stack_add_named (self->pages_stack, GTK_WIDGET (page), entrypoint);
          _iwb_window_remember_action (page, node);
        }
      model = _iwb_window_find_model_action (self, entrypoint);
      errors = model ? iwb_action_get_errors (model) : NULL;
      row = sidebar_row_new (entrypoint, iwb_action_page_get_name (page), entrypoint,
                             "media-playback-start-symbolic",
                             errors ? g_strv_length ((char **) errors) : 0);
      if (errors != NULL && errors[0] != NULL)
        {
          g_autofree char *tooltip = g_strjoinv ("\n", (char **) errors);

          gtk_widget_set_tooltip_text (row, tooltip);
        }
      gtk_list_box_append (self->sidebar_list, row);
    }

  /* the run history of the integration (iwb-window-history.c) */
  _iwb_window_ensure_history_page (self);
  row = sidebar_row_new ("history", _("History"), _("Earlier runs"), "document-open-recent-symbolic", 0);
  gtk_list_box_append (self->sidebar_list, row);

  _iwb_window_drop_pages (self, kept);
  iwb_window_show_page (self, visible && gtk_stack_get_child_by_name (self->pages_stack, visible)
                              ? visible : "connection");
  _iwb_window_overrides_pages_built (self);
}

void
_iwb_window_show_warnings (IwbWindow *self)
{
  GPtrArray *warnings = iwb_integration_get_warnings (iwb_session_get_integration (self->session));
  const char * const *errors = iwb_integration_get_errors (iwb_session_get_integration (self->session));
  guint n = 0;
  g_autofree char *title = NULL;
  GList *rows = NULL;

  /* An AdwExpanderRow has no remove-all: rebuild it. */
  gtk_list_box_remove (GTK_LIST_BOX (self->warnings_box), GTK_WIDGET (self->warnings_row));
  self->warnings_row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_expander_row_set_icon_name (self->warnings_row, "dialog-warning-symbolic");
  gtk_list_box_append (GTK_LIST_BOX (self->warnings_box), GTK_WIDGET (self->warnings_row));

  for (guint i = 0; errors != NULL && errors[i] != NULL; i++, n++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), errors[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Metadata error"));
      gtk_widget_add_css_class (row, "error");
      rows = g_list_append (rows, row);
    }
  for (guint i = 0; warnings != NULL && i < warnings->len; i++, n++)
    {
      IwbDiagnostic *diagnostic = g_ptr_array_index (warnings, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *where = NULL;

      if (diagnostic->file != NULL && diagnostic->line > 0)
        where = g_strdup_printf ("%s:%u", diagnostic->file, diagnostic->line);
      else if (diagnostic->file != NULL)
        where = g_strdup (diagnostic->file);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), diagnostic->message);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      if (where != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), where);
      rows = g_list_append (rows, row);
    }
  for (GList *l = rows; l != NULL; l = l->next)
    adw_expander_row_add_row (self->warnings_row, l->data);
  g_list_free (rows);

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Warning", "%u Warnings", n), n);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->warnings_row), title);
  adw_expander_row_set_subtitle (self->warnings_row, _("Lint findings and metadata errors"));
  gtk_widget_set_visible (self->warnings_box, n > 0);
}

static void
logo_loaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(IwbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = iwb_logo_load_finish (result, &error);

  if (texture != NULL)
    gtk_image_set_from_paintable (self->logo_image, GDK_PAINTABLE (texture));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_image_set_from_icon_name (self->logo_image, "application-x-addon-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->logo_image), error->message);
    }
}

void
_iwb_window_show_header (IwbWindow *self)
{
  const char *name = iwb_integration_get_name (iwb_session_get_integration (self->session));
  const char *description = iwb_integration_get_description (iwb_session_get_integration (self->session));
  const char *logo_url = iwb_integration_get_logo_url (iwb_session_get_integration (self->session));
  g_autofree char *folder_name = g_file_get_basename (iwb_session_get_folder (self->session));
  g_autofree char *path = g_file_get_path (iwb_session_get_folder (self->session));

  if (name == NULL || name[0] == '\0')
    name = folder_name;
  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->description_label, description ? description : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->description_label), description);
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), description != NULL && description[0] != '\0');
  adw_window_title_set_title (self->sidebar_title, folder_name);
  adw_window_title_set_subtitle (self->sidebar_title, path);
  gtk_window_set_title (GTK_WINDOW (self), name);

  if (self->logo_cancellable != NULL)
    g_cancellable_cancel (self->logo_cancellable);
  g_clear_object (&self->logo_cancellable);
  gtk_image_set_from_icon_name (self->logo_image, "application-x-addon-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->logo_image), NULL);
  if (logo_url != NULL && logo_url[0] != '\0')
    {
      self->logo_cancellable = g_cancellable_new ();
      iwb_logo_load_for_folder_async (logo_url, iwb_session_get_folder (self->session), self->logo_cancellable,
                                      logo_loaded, g_object_ref (self));
    }
}


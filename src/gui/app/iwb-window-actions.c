/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's actions, and the one place that enables and disables them. */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-window-private.h"

static void
folder_chosen (GtkNativeDialog *dialog,
               int              response,
               gpointer         user_data)
{
  g_autoptr(IwbWindow) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (folder != NULL)
        {
          /* A window that shows an integration keeps it: the folder opens
           * in its own window. */
          if (iwb_session_get_folder (self->session) != NULL && !g_file_equal (iwb_session_get_folder (self->session), folder))
            {
              g_autofree char *uri = g_file_get_uri (folder);

              gtk_widget_activate_action (GTK_WIDGET (self), "app.open-folder", "s", uri);
            }
          else
            iwb_window_open_folder (self, folder);
        }
    }
  g_object_unref (dialog);
}

void
_iwb_window_choose_folder (IwbWindow *self)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open Integration Folder"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (iwb_session_get_folder (self->session) != NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (iwb_session_get_folder (self->session));

      if (parent != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), parent, NULL);
    }
  g_signal_connect (chooser, "response", G_CALLBACK (folder_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _iwb_window_choose_folder (IWB_WINDOW (widget));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  iwb_window_reload (IWB_WINDOW (widget));
}

static void
close_folder_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  iwb_window_close_folder (IWB_WINDOW (widget));
}

static void
cancel_load_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  IwbWindow *self = IWB_WINDOW (widget);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  adw_leaflet_navigate (IWB_WINDOW (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static GtkWidget *
visible_page (IwbWindow *self)
{
  if (!g_str_equal (iwb_window_get_state (self), "integration"))
    return NULL;
  return gtk_stack_get_visible_child (self->pages_stack);
}

/* Ctrl+Return: the primary action of the visible page (validate / run). */
static void
primary_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GtkWidget *page = visible_page (IWB_WINDOW (widget));

  if (IWB_IS_CONNECTION_PAGE (page))
    iwb_connection_page_validate (IWB_CONNECTION_PAGE (page));
  else if (IWB_IS_ACTION_PAGE (page))
    iwb_action_page_run (IWB_ACTION_PAGE (page));
}

/* Escape: cancel what the visible page is running. Only enabled while
 * something runs, so Escape keeps its other meanings otherwise. */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  IwbWindow *self = IWB_WINDOW (widget);
  GtkWidget *page = visible_page (self);

  if (IWB_IS_CONNECTION_PAGE (page))
    iwb_connection_page_cancel (IWB_CONNECTION_PAGE (page));
  else if (IWB_IS_ACTION_PAGE (page))
    iwb_action_page_cancel (IWB_ACTION_PAGE (page));
  else if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
}

/* win.show-page NAME: "connection" or an action's entrypoint (how the
 * pages ask for another page). */
static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  iwb_window_show_page (IWB_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
demo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  IwbWindow *self = IWB_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!iwb_window_start_demo (self, &error))
    iwb_window_add_toast (self, adw_toast_new (error->message));
  else
    {
      /* Translators: %s is a URL */
      g_autofree char *text = g_strdup_printf (_("The demo service listens on %s"),
                                               iwb_demo_service_get_url (self->demo));

      iwb_window_add_toast (self, adw_toast_new (text));
    }
}

/* win.save-profile (Ctrl+S): the connection profile, through the
 * connection page's selector (it asks for a name when there is none). */
static void
save_profile_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  IwbWindow *self = IWB_WINDOW (widget);

  if (self->connection_page != NULL)
    iwb_profile_selector_save (iwb_connection_page_get_profile_selector (self->connection_page));
}

void
_iwb_window_actions_update (IwbWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const char *state = gtk_stack_get_visible_child_name (self->main_stack);
  GtkWidget *page = self->pages_stack ? gtk_stack_get_visible_child (self->pages_stack) : NULL;
  gboolean loaded = g_strcmp0 (state, "integration") == 0;
  gboolean busy = FALSE;

  if (loaded && IWB_IS_CONNECTION_PAGE (page))
    busy = iwb_connection_page_get_busy (IWB_CONNECTION_PAGE (page));
  else if (loaded && IWB_IS_ACTION_PAGE (page))
    busy = iwb_action_page_get_running (IWB_ACTION_PAGE (page));

  gtk_widget_action_set_enabled (widget, "win.reload", iwb_session_get_folder (self->session) != NULL);
  gtk_widget_action_set_enabled (widget, "win.close-folder", iwb_session_get_folder (self->session) != NULL);
  gtk_widget_action_set_enabled (widget, "win.cancel-load", self->load_cancellable != NULL);
  gtk_widget_action_set_enabled (widget, "win.primary", loaded && page != NULL);
  gtk_widget_action_set_enabled (widget, "win.cancel", busy || self->load_cancellable != NULL);
  gtk_widget_action_set_enabled (widget, "win.demo", self->demo == NULL);
  _iwb_window_overrides_actions_update (self);
  _iwb_window_reload_update_status (self);
}

void
_iwb_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.close-folder", NULL, close_folder_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, cancel_load_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.primary", NULL, primary_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.demo", NULL, demo_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.save-profile", NULL, save_profile_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save-profile", NULL);
}

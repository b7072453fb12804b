/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbWindow: one integration folder. Start screen, loading (async, with a
 * spinner), load errors with Retry, and the loaded integration: a sidebar
 * (AdwLeaflet) with Connection and the actions, pages built from the
 * platform descriptor. Actions are in iwb-window-actions.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-descriptor.h"
#include "iwb-error.h"
#include "iwb-logo.h"
#include "iwb-settings.h"
#include "iwb-window-private.h"

#define RECENT_GROUP "integration-workbench"
#define RECENT_MAX   8

G_DEFINE_FINAL_TYPE (IwbWindow, iwb_window, ADW_TYPE_APPLICATION_WINDOW)

static void load_folder (IwbWindow *self);

/* --- recent folders ---------------------------------------------------------- */

static void
recent_row_activated (AdwActionRow *row,
                      IwbWindow    *self)
{
  const char *uri = g_object_get_data (G_OBJECT (row), "uri");
  g_autoptr(GFile) folder = g_file_new_for_uri (uri);

  iwb_window_open_folder (self, folder);
}

static void
populate_recent (IwbWindow *self)
{
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  GList *items = gtk_recent_manager_get_items (manager);
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  for (GList *l = items; l != NULL && shown < RECENT_MAX; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      g_autoptr(GFile) file = NULL;
      g_autofree char *path = NULL;
      g_autofree char *name = NULL;
      GtkWidget *row;

      if (!gtk_recent_info_has_group (info, RECENT_GROUP))
        continue;
      file = g_file_new_for_uri (gtk_recent_info_get_uri (info));
      path = g_file_get_path (file);
      if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;
      name = g_file_get_basename (file);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), path);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "uri", g_strdup (gtk_recent_info_get_uri (info)), g_free);
      g_signal_connect (row, "activated", G_CALLBACK (recent_row_activated), self);
      gtk_list_box_append (self->recent_list, row);
      shown++;
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
  gtk_widget_set_visible (self->recent_group, shown > 0);
}

static void
remember_folder (GFile *folder)
{
  g_autofree char *uri = g_file_get_uri (folder);
  const char *groups[] = { RECENT_GROUP, NULL };
  GtkRecentData data = {
    .display_name = NULL,
    .description = NULL,
    .mime_type = (char *) "inode/directory",
    .app_name = (char *) "integration-workbench",
    .app_exec = (char *) "integration-workbench %u",
    .groups = (char **) groups,
    .is_private = FALSE,
  };

  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

/* --- pages ------------------------------------------------------------------ */

static void
set_state (IwbWindow  *self,
           const char *state)
{
  gtk_stack_set_visible_child_name (self->main_stack, state);
  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (state, "loading"));
  if (g_str_equal (state, "start"))
    populate_recent (self);
  _iwb_window_actions_update (self);
}

/* --- loading ---------------------------------------------------------------- */

static void
show_load_error (IwbWindow    *self,
                 const GError *error)
{
  g_autofree char *path = iwb_session_get_folder (self->session) ? g_file_get_path (iwb_session_get_folder (self->session)) : NULL;
  g_autofree char *description = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *first_line = NULL;
  const char *newline;

  g_free (self->error_message);
  self->error_message = g_strdup (error->message);

  /* The first line in the status page; the whole message (traceback,
   * file:line) below it, selectable. */
  newline = strchr (error->message, '\n');
  first_line = newline ? g_strndup (error->message, newline - error->message) : g_strdup (error->message);
  escaped = g_markup_escape_text (first_line, -1);
  if (path != NULL)
    {
      g_autofree char *escaped_path = g_markup_escape_text (path, -1);

      description = g_strdup_printf ("%s\n\n<small>%s</small>", escaped, escaped_path);
    }
  adw_status_page_set_description (self->error_page, description ? description : escaped);
  gtk_label_set_text (self->error_details, error->message);
  gtk_widget_set_visible (self->error_details_box, newline != NULL);
  set_state (self, "error");
  _iwb_window_env_loaded (self, error);
}

static void
load_finished (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(IwbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbIntegration) integration = iwb_loader_load_finish (IWB_LOADER (source), result, &error);

  if (g_error_matches (error, IWB_ERROR, IWB_ERROR_CANCELLED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Superseded by another load, or cancelled by the user. */
      if (self->load_cancellable != NULL && g_cancellable_is_cancelled (self->load_cancellable))
        {
          g_clear_object (&self->load_cancellable);
          set_state (self, iwb_session_get_integration (self->session) ? "integration" : "start");
        }
      return;
    }
  g_clear_object (&self->load_cancellable);
  /* Loaded or not, edits on disk load it again (iwb-window-reload.c). */
  _iwb_window_reload_watch (self);

  if (integration == NULL)
    {
      show_load_error (self, error);
      /* Saved while it loaded: that edit may be the fix. */
      if (self->reload_pending)
        {
          self->reload_pending = FALSE;
          iwb_window_reload (self);
        }
      return;
    }

  {
    g_autoptr(JsonNode) base = iwb_descriptor_build (integration);

    /* A full load starts from the base descriptor, without overrides. */
    _iwb_window_overrides_clear (self);
    _iwb_window_install_integration (self, integration, base, base);
  }
  set_state (self, "integration");
  /* An edit saved while this load ran: the load may have read the files
   * before it, so the new version follows in the background. */
  if (self->reload_pending)
    {
      self->reload_pending = FALSE;
      _iwb_window_reload_in_background (self);
    }
  _iwb_window_run_startup_request (self);
}

void
_iwb_window_install_integration (IwbWindow      *self,
                                 IwbIntegration *integration,
                                 JsonNode       *base,
                                 JsonNode       *descriptor)
{
  iwb_session_set_integration (self->session, integration, base, descriptor);
  g_clear_pointer (&self->error_message, g_free);
  _iwb_window_show_header (self);
  _iwb_window_show_warnings (self);
  _iwb_window_build_pages (self);
  _iwb_window_env_loaded (self, NULL);
}

static void
load_folder (IwbWindow *self)
{
  g_autoptr(IwbLoader) loader = iwb_session_create_loader (self->session);
  g_autofree char *name = g_file_get_basename (iwb_session_get_folder (self->session));
  g_autofree char *text = NULL;

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  /* Translators: %s is a folder name */
  text = g_strdup_printf (_("Loading “%s”…"), name);
  gtk_label_set_text (self->loading_label, text);
  set_state (self, "loading");
  /* Watch from now on: an edit saved during this load is queued. */
  _iwb_window_reload_watch (self);
  iwb_loader_load_async (loader, iwb_session_get_folder (self->session), self->load_cancellable, load_finished, g_object_ref (self));
}

void
iwb_window_open_folder (IwbWindow *self,
                        GFile     *folder)
{
  g_return_if_fail (IWB_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (folder));

  if (iwb_session_get_folder (self->session) == NULL || !g_file_equal (iwb_session_get_folder (self->session), folder))
    {
      /* Another integration: nothing typed for the old one applies (the
       * session forgets values and rows with the folder). */
      _iwb_window_clear_pages (self);
      _iwb_window_overrides_forget (self);
      _iwb_window_reload_forget (self);
      iwb_session_set_folder (self->session, folder);
    }
  remember_folder (folder);
  load_folder (self);
}

void
iwb_window_reload (IwbWindow *self)
{
  g_return_if_fail (IWB_IS_WINDOW (self));

  /* A loaded integration reloads in the background, its forms usable, and
   * a toast shows what changed (iwb-window-reload.c). */
  if (iwb_session_get_folder (self->session) != NULL && !_iwb_window_reload_in_background (self))
    load_folder (self);
}

void
iwb_window_close_folder (IwbWindow *self)
{
  g_return_if_fail (IWB_IS_WINDOW (self));

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  _iwb_window_clear_pages (self);
  _iwb_window_overrides_forget (self);
  _iwb_window_reload_forget (self);
  iwb_session_close (self->session);
  gtk_window_set_title (GTK_WINDOW (self), _("Integration Workbench"));
  set_state (self, "start");
}

/* --- public accessors -------------------------------------------------------- */

GFile *
iwb_window_get_folder (IwbWindow *self)
{
  g_return_val_if_fail (IWB_IS_WINDOW (self), NULL);
  return iwb_session_get_folder (self->session);
}

IwbSession *
iwb_window_get_session (IwbWindow *self)
{
  g_return_val_if_fail (IWB_IS_WINDOW (self), NULL);
  return self->session;
}

void
iwb_window_set_startup_request (IwbWindow               *self,
                                const IwbStartupRequest *request)
{
  g_return_if_fail (IWB_IS_WINDOW (self));

  g_clear_pointer (&self->request.run_action, g_free);
  self->request.demo = request->demo;
  self->request.validate = request->validate;
  self->request.show_overrides = request->show_overrides;
  self->request.show_http = request->show_http;
  self->request.run_action = g_strdup (request->run_action);
  self->request_pending = request->demo || request->validate || request->run_action != NULL;
  /* A folder that is already loaded does not load again: act now. */
  if (self->request_pending && iwb_session_get_integration (self->session) != NULL && self->load_cancellable == NULL)
    _iwb_window_run_startup_request (self);
}

const char *
iwb_window_get_state (IwbWindow *self)
{
  g_return_val_if_fail (IWB_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

const char *
iwb_window_get_error_message (IwbWindow *self)
{
  g_return_val_if_fail (IWB_IS_WINDOW (self), NULL);
  return self->error_message;
}

IwbIntegration *
iwb_window_get_integration (IwbWindow *self)
{
  g_return_val_if_fail (IWB_IS_WINDOW (self), NULL);
  return iwb_session_get_integration (self->session);
}

JsonNode *
iwb_window_get_descriptor (IwbWindow *self)
{
  g_return_val_if_fail (IWB_IS_WINDOW (self), NULL);
  return iwb_session_get_descriptor (self->session);
}

void
iwb_window_set_descriptor (IwbWindow *self,
                           JsonNode  *descriptor)
{
  g_return_if_fail (IWB_IS_WINDOW (self));
  g_return_if_fail (descriptor != NULL);

  iwb_session_set_descriptor (self->session, descriptor);
  _iwb_window_build_pages (self);
}

JsonNode *
iwb_window_get_base_descriptor (IwbWindow *self)
{
  g_return_val_if_fail (IWB_IS_WINDOW (self), NULL);
  return iwb_session_get_base_descriptor (self->session);
}

IwbConnectionPage *
iwb_window_get_connection_page (IwbWindow *self)
{
  g_return_val_if_fail (IWB_IS_WINDOW (self), NULL);
  return self->connection_page;
}

IwbActionPage *
iwb_window_get_action_page (IwbWindow  *self,
                            const char *entrypoint_or_name)
{
  g_return_val_if_fail (IWB_IS_WINDOW (self), NULL);

  for (guint i = 0; i < self->action_pages->len; i++)
    {
      IwbActionPage *page = g_ptr_array_index (self->action_pages, i);

      if (g_strcmp0 (iwb_action_page_get_entrypoint (page), entrypoint_or_name) == 0)
        return page;
    }
  for (guint i = 0; i < self->action_pages->len; i++)
    {
      IwbActionPage *page = g_ptr_array_index (self->action_pages, i);

      if (g_strcmp0 (iwb_action_page_get_name (page), entrypoint_or_name) == 0)
        return page;
    }
  /* The function name alone ("search" for main.search), as iwb run takes it. */
  {
    IwbAction *action = _iwb_window_find_model_action (self, entrypoint_or_name);

    if (action != NULL && g_strcmp0 (iwb_action_get_entrypoint (action), entrypoint_or_name) != 0)
      return iwb_window_get_action_page (self, iwb_action_get_entrypoint (action));
  }
  return NULL;
}

void
iwb_window_show_page (IwbWindow  *self,
                      const char *name)
{
  GtkWidget *page;

  g_return_if_fail (IWB_IS_WINDOW (self));

  page = gtk_stack_get_child_by_name (self->pages_stack, name);
  if (page == NULL)
    return;
  gtk_stack_set_visible_child (self->pages_stack, page);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "page"), name) == 0)
        {
          if (gtk_list_box_get_selected_row (self->sidebar_list) != GTK_LIST_BOX_ROW (row))
            gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (row));
          break;
        }
    }

  if (IWB_IS_ACTION_PAGE (page))
    {
      adw_window_title_set_title (self->content_title, iwb_action_page_get_name (IWB_ACTION_PAGE (page)));
      adw_window_title_set_subtitle (self->content_title, iwb_action_page_get_entrypoint (IWB_ACTION_PAGE (page)));
    }
  else if (page != NULL && page == self->history_page)
    {
      adw_window_title_set_title (self->content_title, _("History"));
      adw_window_title_set_subtitle (self->content_title, _("Validations and runs of this integration"));
    }
  else
    {
      adw_window_title_set_title (self->content_title, _("Connection"));
      adw_window_title_set_subtitle (self->content_title, NULL);
    }
  _iwb_window_actions_update (self);
}

const char *
iwb_window_get_visible_page (IwbWindow *self)
{
  g_return_val_if_fail (IWB_IS_WINDOW (self), NULL);

  if (gtk_stack_get_visible_child (self->pages_stack) == NULL)
    return NULL;
  return gtk_stack_get_visible_child_name (self->pages_stack);
}

void
iwb_window_add_toast (IwbWindow *self,
                      AdwToast  *toast)
{
  g_return_if_fail (IWB_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

IwbDemoService *
iwb_window_get_demo_service (IwbWindow *self)
{
  g_return_val_if_fail (IWB_IS_WINDOW (self), NULL);
  return self->demo;
}

gboolean
iwb_window_start_demo (IwbWindow  *self,
                       GError    **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (IWB_IS_WINDOW (self), FALSE);

  if (self->demo == NULL)
    {
      g_autoptr(IwbDemoService) demo = iwb_demo_service_new ();

      if (!iwb_demo_service_start (demo, 0, error))
        return FALSE;
      self->demo = g_steal_pointer (&demo);
    }
  /* Translators: %s is a URL */
  text = g_strdup_printf (_("Demo service on %s"), iwb_demo_service_get_url (self->demo));
  gtk_label_set_text (self->demo_label, text);
  gtk_widget_set_visible (self->demo_banner, TRUE);
  _iwb_window_fill_demo_values (self);
  _iwb_window_actions_update (self);
  return TRUE;
}

/* --- internals for the pages ------------------------------------------------- */

IwbParamForm *
_iwb_window_get_connection_form (IwbWindow *self)
{
  return self->connection_page ? iwb_connection_page_get_form (self->connection_page) : NULL;
}

/* Validations follow the validator's overrides (iwb-window-overrides.c). */
static void
session_run_started (IwbWindow *self,
                     IwbRun    *run)
{
  if (iwb_run_get_operation (run) == IWB_RUN_VALIDATE_CONNECTION)
    _iwb_window_overrides_watch_run (self, run);
}

/* --- sidebar ------------------------------------------------------------------ */

static void
sidebar_row_selected (IwbWindow     *self,
                      GtkListBoxRow *row)
{
  const char *name;

  if (row == NULL)
    return;
  name = g_object_get_data (G_OBJECT (row), "page");
  if (name != NULL && g_strcmp0 (iwb_window_get_visible_page (self), name) != 0)
    iwb_window_show_page (self, name);
}

static void
sidebar_row_activated (IwbWindow     *self,
                       GtkListBoxRow *row)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* --- drag and drop ------------------------------------------------------------ */

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         IwbWindow     *self)
{
  GFile *file = NULL;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      if (files != NULL)
        file = files->data;
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);

  return _iwb_window_open_dropped (self, file);
}

/* A file or folder dropped on the window: folders open, anything else
 * gets a toast that says what to drop. */
gboolean
_iwb_window_open_dropped (IwbWindow *self,
                          GFile     *file)
{
  if (file == NULL || g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY)
    {
      iwb_window_add_toast (self, adw_toast_new (_("Drop a folder that holds an integration’s .py files")));
      return FALSE;
    }
  iwb_window_open_folder (self, file);
  return TRUE;
}

/* --- object -------------------------------------------------------------------- */

static void
close_answered (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(IwbWindow) self = user_data;

  self->close_asking = FALSE;
  /* Cancel, or a save that failed: the window stays. */
  if (!iwb_profile_selector_ask_unsaved_finish (IWB_PROFILE_SELECTOR (source), result))
    return;
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

/* The close button, Ctrl+W and app.quit come here; a quit signal does not
 * (it quits the application without closing windows one by one), so it
 * never waits for an answer. */
static gboolean
iwb_window_close_request (GtkWindow *window)
{
  IwbWindow *self = IWB_WINDOW (window);

  if (!self->close_confirmed && self->connection_page != NULL)
    {
      IwbProfileSelector *selector = iwb_connection_page_get_profile_selector (self->connection_page);

      if (self->close_asking)
        return TRUE;
      if (iwb_profile_selector_get_unsaved (selector))
        {
          self->close_asking = TRUE;
          iwb_profile_selector_ask_unsaved_async (selector,
                                                  _("The values were changed since the profile was saved. "
                                                    "Closing the window without saving loses them."),
                                                  close_answered, g_object_ref (self));
          return TRUE;
        }
    }

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
    }
  return GTK_WINDOW_CLASS (iwb_window_parent_class)->close_request (window);
}

static void
iwb_window_dispose (GObject *object)
{
  IwbWindow *self = IWB_WINDOW (object);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  if (self->logo_cancellable != NULL)
    g_cancellable_cancel (self->logo_cancellable);
  /* The pages are referenced here as well as by the stack: they stay valid
   * until both let go. Nothing is saved at this point: the window is going. */
  _iwb_window_env_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), IWB_TYPE_WINDOW);
  if (self->action_pages != NULL)
    g_ptr_array_set_size (self->action_pages, 0);
  g_clear_object (&self->connection_page);
  if (self->demo != NULL)
    iwb_demo_service_stop (self->demo);
  g_clear_object (&self->demo);
  if (self->watcher != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->watcher, self);
      iwb_folder_watcher_stop (self->watcher);
      g_clear_object (&self->watcher);
    }
  if (self->diff_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->diff_window));
  g_clear_object (&self->last_toast);
  G_OBJECT_CLASS (iwb_window_parent_class)->dispose (object);
}

static void
iwb_window_finalize (GObject *object)
{
  IwbWindow *self = IWB_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->logo_cancellable);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->action_pages, g_ptr_array_unref);
  g_clear_pointer (&self->request.run_action, g_free);
  g_clear_pointer (&self->action_overrides, json_node_unref);
  g_clear_pointer (&self->changed_inputs, g_hash_table_unref);
  g_clear_pointer (&self->connection_inputs, json_node_unref);
  g_clear_pointer (&self->reload_before, json_node_unref);
  g_clear_pointer (&self->reload_after, json_node_unref);
  g_clear_pointer (&self->reload_error, g_free);
  g_clear_object (&self->held_integration);
  G_OBJECT_CLASS (iwb_window_parent_class)->finalize (object);
}

static void
iwb_window_class_init (IwbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = iwb_window_dispose;
  object_class->finalize = iwb_window_finalize;
  window_class->close_request = iwb_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lhub/IntegrationWorkbench/iwb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, recent_group);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, error_details);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, error_details_box);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, logo_image);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, name_label);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, description_label);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, warnings_box);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, warnings_row);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, pages_stack);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, demo_banner);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, content_header);
  gtk_widget_class_bind_template_child (widget_class, IwbWindow, demo_label);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated);
  _iwb_window_class_add_history_actions (widget_class);

  _iwb_window_class_add_actions (widget_class);
  _iwb_window_class_add_overrides_actions (widget_class);
  _iwb_window_class_add_reload_actions (widget_class);
  _iwb_window_class_add_env_actions (widget_class);
}

static void
iwb_window_init (IwbWindow *self)
{
  GtkDropTarget *drop;
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  g_type_ensure (IWB_TYPE_CONNECTION_PAGE);
  g_type_ensure (IWB_TYPE_ACTION_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->session = iwb_session_new ();
  g_signal_connect_object (self->session, "run-started", G_CALLBACK (session_run_started),
                           self, G_CONNECT_SWAPPED);
  self->action_pages = g_ptr_array_new_with_free_func (g_object_unref);
  _iwb_window_reload_init (self);
  _iwb_window_env_init (self);
  _iwb_window_http_badge_init (self);

  if (g_str_has_suffix (APPLICATION_ID, ".Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, types, G_N_ELEMENTS (types));
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  set_state (self, "start");
}

IwbWindow *
iwb_window_new (IwbApplication *application)
{
  IwbWindow *self = g_object_new (IWB_TYPE_WINDOW, "application", application, NULL);
  GSettings *settings = iwb_settings_new ();

  if (settings != NULL)
    {
      /* The preferences a child needs follow the settings into the session. */
      const char *keys[] = { "python-interpreter", "sdk", "load-timeout", "validate-timeout",
                             "run-timeout", "ssl-verify" };

      self->settings = settings;
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        g_settings_bind (settings, keys[i], self->session, keys[i], G_SETTINGS_BIND_GET);
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  else
    gtk_window_set_default_size (GTK_WINDOW (self), 1100, 760);
  _iwb_window_history_init (self);
  return self;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Hot reload of the window's integration folder.
 *
 * Once a folder is loaded it is watched (IwbFolderWatcher: `.py` files and
 * requirements.txt, debounced). A change — or Ctrl+R — reloads the
 * integration in the background with IwbLoader while the forms stay usable;
 * on success the pages are rebuilt from the new base descriptor (the window
 * keeps every value whose input still exists; the validator's overrides stay
 * only if the descriptor did not change) and a toast offers the diff of the
 * descriptor before and after. A failed reload (a syntax error mid-edit)
 * keeps the last good descriptor and shows the error with file:line in a
 * banner above the page until the next good save.
 *
 * Changes that arrive while a reload runs are not dropped: one more reload
 * follows. (Our own loader child writes no files the watcher looks at: it
 * runs with PYTHONDONTWRITEBYTECODE, so there is nothing to pause for.)
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-descriptor.h"
#include "iwb-error.h"
#include "iwb-folder-watcher.h"
#include "iwb-json-diff.h"
#include "iwb-overrides.h"
#include "iwb-window-private.h"

/* --- the banner ---------------------------------------------------------------- */

static void
show_banner (IwbWindow  *self,
             const char *message)
{
  g_autofree char *first_line = NULL;
  const char *newline;

  if (message == NULL)
    {
      gtk_revealer_set_reveal_child (GTK_REVEALER (self->reload_banner), FALSE);
      gtk_widget_set_visible (self->reload_banner, FALSE);
      gtk_label_set_text (GTK_LABEL (self->reload_banner_details), "");
      return;
    }
  newline = strchr (message, '\n');
  first_line = newline ? g_strndup (message, newline - message) : g_strdup (message);
  gtk_label_set_text (GTK_LABEL (self->reload_banner_details), first_line);
  gtk_widget_set_tooltip_text (self->reload_banner_details, message);
  gtk_widget_set_visible (self->reload_banner, TRUE);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->reload_banner), TRUE);
}

void
_iwb_window_reload_init (IwbWindow *self)
{
  GtkWidget *content = gtk_widget_get_parent (GTK_WIDGET (self->pages_stack));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *title = gtk_label_new (_("The integration could not be reloaded — the last good version stays loaded"));
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Retry"));

  gtk_label_set_xalign (GTK_LABEL (title), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "heading");
  self->reload_banner_details = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->reload_banner_details), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (self->reload_banner_details), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->reload_banner_details), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (self->reload_banner_details), TRUE);
  gtk_widget_add_css_class (self->reload_banner_details, "monospace");
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), self->reload_banner_details);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.reload");
  gtk_widget_set_tooltip_text (button, _("Load the folder again (Ctrl+R)"));
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), button);
  gtk_widget_add_css_class (box, "reload-banner");

  self->reload_banner = gtk_revealer_new ();
  gtk_revealer_set_transition_type (GTK_REVEALER (self->reload_banner), GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_revealer_set_child (GTK_REVEALER (self->reload_banner), box);
  gtk_widget_set_visible (self->reload_banner, FALSE);
  /* Right under the content header bar, above the pages. */
  gtk_box_insert_child_after (GTK_BOX (content), self->reload_banner,
                              gtk_widget_get_prev_sibling (GTK_WIDGET (self->pages_stack)));
}

const char *
_iwb_window_get_reload_error (IwbWindow *self)
{
  return self->reload_error;
}

/* --- reloading ----------------------------------------------------------------- */

typedef struct
{
  IwbWindow    *window;
  GCancellable *cancellable;
} ReloadData;

static void
reload_data_free (ReloadData *data)
{
  g_object_unref (data->window);
  g_object_unref (data->cancellable);
  g_free (data);
}

static void
reloaded (IwbWindow      *self,
          IwbIntegration *integration)
{
  g_autoptr(JsonNode) before = json_node_ref (iwb_session_get_base_descriptor (self->session));
  g_autoptr(JsonNode) after = iwb_descriptor_build (integration);
  g_autoptr(JsonNode) effective = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  /* The validator's overrides were made from the old descriptor: they stay
   * while the descriptor is the same (only code changed). Applied to another
   * descriptor they would replace its actions with stale copies and hide
   * what the edit added, so they go, and the user is told. */
  if (self->action_overrides != NULL)
    {
      if (iwb_json_equal (before, after))
        effective = iwb_overrides_apply (after, self->action_overrides, NULL, &error);
      if (effective == NULL)
        {
          _iwb_window_overrides_clear (self);
          iwb_window_add_toast (self, adw_toast_new (_("The descriptor changed: the validator’s overrides "
                                                       "no longer apply. Validate the connection again.")));
        }
    }
  g_clear_pointer (&self->reload_error, g_free);
  show_banner (self, NULL);
  _iwb_window_install_integration (self, integration, after, effective ? effective : after);

  changes = iwb_json_diff (before, after);
  g_clear_pointer (&self->reload_before, json_node_unref);
  g_clear_pointer (&self->reload_after, json_node_unref);
  self->reload_before = g_steal_pointer (&before);
  self->reload_after = json_node_ref (after);
  if (changes->len == 0)
    _iwb_window_add_changes_toast (self, _("Integration reloaded — the descriptor did not change"), NULL);
  else
    {
      /* Translators: %u is a number of changes in the descriptor */
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Integration reloaded — %u change",
                                            "Integration reloaded — %u changes", changes->len),
                               changes->len);
      _iwb_window_add_changes_toast (self, title, "reload");
    }
  /* A diff window that shows a reload follows the latest one. */
  if (self->diff_window != NULL
      && g_strcmp0 (g_object_get_data (G_OBJECT (self->diff_window), "showing"), "reload") == 0)
    _iwb_window_show_changes (self, "reload");
}

static void
reload_finished (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ReloadData *data = user_data;
  IwbWindow *self = data->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbIntegration) integration = iwb_loader_load_finish (IWB_LOADER (source), result, &error);

  /* Superseded: another load (another folder, a full load) took over. */
  if (self->load_cancellable != data->cancellable)
    {
      reload_data_free (data);
      return;
    }
  g_clear_object (&self->load_cancellable);
  /* Cancelled: the window is going, or the user pressed Escape. */
  if (g_error_matches (error, IWB_ERROR, IWB_ERROR_CANCELLED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || self->pages_stack == NULL)
    {
      self->reload_pending = FALSE;
      if (self->pages_stack != NULL)
        _iwb_window_actions_update (self);
      reload_data_free (data);
      return;
    }

  if (integration != NULL && iwb_session_get_integration (self->session) != NULL)
    reloaded (self, integration);
  else if (error != NULL)
    {
      g_free (self->reload_error);
      self->reload_error = g_strdup (error->message);
      show_banner (self, error->message);
    }
  _iwb_window_actions_update (self);

  if (self->reload_pending)
    {
      self->reload_pending = FALSE;
      _iwb_window_reload_in_background (self);
    }
  reload_data_free (data);
}

gboolean
_iwb_window_reload_in_background (IwbWindow *self)
{
  g_autoptr(IwbLoader) loader = NULL;
  ReloadData *data;

  if (iwb_session_get_folder (self->session) == NULL || iwb_session_get_integration (self->session) == NULL)
    return FALSE;
  if (self->load_cancellable != NULL)
    {
      /* One more once the running load is done: that one may predate the edit. */
      self->reload_pending = TRUE;
      return TRUE;
    }

  loader = iwb_session_create_loader (self->session);
  self->load_cancellable = g_cancellable_new ();
  data = g_new0 (ReloadData, 1);
  data->window = g_object_ref (self);
  data->cancellable = g_object_ref (self->load_cancellable);
  iwb_loader_load_async (loader, iwb_session_get_folder (self->session), self->load_cancellable, reload_finished, data);
  _iwb_window_actions_update (self);
  return TRUE;
}

/* --- watching ------------------------------------------------------------------ */

static void
folder_changed (IwbFolderWatcher   *watcher,
                const char * const *paths,
                IwbWindow          *self)
{
  if (iwb_session_get_integration (self->session) != NULL)
    _iwb_window_reload_in_background (self);
  /* A folder that failed to load: the next save may fix it. */
  else if (iwb_session_get_folder (self->session) != NULL && self->load_cancellable == NULL
           && g_strcmp0 (iwb_window_get_state (self), "error") == 0)
    iwb_window_reload (self);
}

void
_iwb_window_reload_watch (IwbWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (iwb_session_get_folder (self->session) == NULL)
    return;
  if (self->watcher != NULL && g_file_equal (iwb_folder_watcher_get_folder (self->watcher), iwb_session_get_folder (self->session))
      && iwb_folder_watcher_is_started (self->watcher))
    return;

  _iwb_window_reload_forget (self);
  self->watcher = iwb_folder_watcher_new (iwb_session_get_folder (self->session));
  g_signal_connect (self->watcher, "changed", G_CALLBACK (folder_changed), self);
  if (!iwb_folder_watcher_start (self->watcher, &error))
    {
      /* Translators: %s is an error message */
      g_autofree char *text = g_strdup_printf (_("Changes on disk will not reload the integration: %s"),
                                               error->message);

      iwb_window_add_toast (self, adw_toast_new (text));
    }
}

IwbFolderWatcher *
_iwb_window_get_watcher (IwbWindow *self)
{
  return self->watcher;
}

void
_iwb_window_reload_forget (IwbWindow *self)
{
  if (self->watcher != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->watcher, self);
      iwb_folder_watcher_stop (self->watcher);
      g_clear_object (&self->watcher);
    }
  self->reload_pending = FALSE;
  g_clear_pointer (&self->reload_error, g_free);
  if (self->reload_banner != NULL)
    show_banner (self, NULL);
}

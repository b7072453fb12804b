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

static void runs_changed (IwbWindow *self);

/* --- the header's reload state ------------------------------------------------- */

/* "Reloading…" while a reload of the loaded integration runs in the
 * background; "Apply Reload" while a finished reload waits for the runs in
 * progress (a run keeps the code and the pages it started with). */
void
_iwb_window_reload_update_status (IwbWindow *self)
{
  gboolean reloading = _iwb_window_get_reloading (self);
  gboolean held = self->held_integration != NULL;
  gboolean running = iwb_session_get_n_running (self->session) > 0;

  if (self->reload_status == NULL)
    return;
  gtk_widget_set_visible (self->reload_status, reloading);
  gtk_spinner_set_spinning (GTK_SPINNER (self->reload_spinner), reloading);
  gtk_widget_set_visible (self->reload_apply, held && !reloading);
  gtk_widget_set_tooltip_text (self->reload_apply,
                               running ? _("The integration changed on disk: the new version loads once the run ends")
                                       : _("The integration changed on disk during a run: load the new version"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.apply-reload", held && !running);
}

gboolean
_iwb_window_get_reloading (IwbWindow *self)
{
  return self->load_cancellable != NULL && iwb_session_get_integration (self->session) != NULL;
}

gboolean
_iwb_window_get_reload_held (IwbWindow *self)
{
  return self->held_integration != NULL;
}

static void
reload_status_init (IwbWindow *self)
{
  GtkWidget *header = gtk_widget_get_ancestor (GTK_WIDGET (self->content_title), ADW_TYPE_HEADER_BAR);
  GtkWidget *label = gtk_label_new (_("Reloading…"));

  self->reload_status = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->reload_spinner = gtk_spinner_new ();
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (self->reload_status), self->reload_spinner);
  gtk_box_append (GTK_BOX (self->reload_status), label);
  gtk_widget_set_tooltip_text (self->reload_status, _("Loading the integration again after a change on disk; "
                                                      "the forms stay usable"));
  gtk_widget_set_visible (self->reload_status, FALSE);

  self->reload_apply = gtk_button_new_with_mnemonic (_("_Apply Reload"));
  gtk_widget_add_css_class (self->reload_apply, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->reload_apply), "win.apply-reload");
  gtk_widget_set_visible (self->reload_apply, FALSE);

  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->reload_apply);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->reload_status);
}

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
  reload_status_init (self);
  g_signal_connect_object (self->session, "notify::n-running", G_CALLBACK (runs_changed),
                           self, G_CONNECT_SWAPPED);
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

  if (integration != NULL && iwb_session_get_integration (self->session) != NULL
      && iwb_session_get_n_running (self->session) > 0)
    {
      /* Rebuilding the pages now would end the runs: the new version waits
       * for them (runs_changed), the header says so. */
      g_set_object (&self->held_integration, integration);
      g_clear_pointer (&self->reload_error, g_free);
      show_banner (self, NULL);
    }
  else if (integration != NULL && iwb_session_get_integration (self->session) != NULL)
    {
      g_clear_object (&self->held_integration);
      reloaded (self, integration);
    }
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

/* Applies the reload a run held back. */
static void
apply_reload (IwbWindow *self)
{
  g_autoptr(IwbIntegration) integration = g_steal_pointer (&self->held_integration);

  if (integration == NULL || iwb_session_get_n_running (self->session) > 0
      || iwb_session_get_integration (self->session) == NULL)
    {
      if (integration != NULL)
        self->held_integration = g_steal_pointer (&integration);
      return;
    }
  reloaded (self, integration);
  _iwb_window_actions_update (self);
}

static void
apply_reload_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  apply_reload (IWB_WINDOW (widget));
}

/* The last run ended: offer the version that was reloaded meanwhile. */
static void
runs_changed (IwbWindow *self)
{
  if (iwb_session_get_n_running (self->session) == 0 && self->held_integration != NULL)
    {
      AdwToast *toast = adw_toast_new (_("The integration changed on disk during the run"));

      adw_toast_set_button_label (toast, _("_Reload"));
      adw_toast_set_action_name (toast, "win.apply-reload");
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      g_set_object (&self->last_toast, toast);
      iwb_window_add_toast (self, toast);
    }
  _iwb_window_actions_update (self);
}

void
_iwb_window_class_add_reload_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.apply-reload", NULL, apply_reload_action);
}

/* --- watching ------------------------------------------------------------------ */

static void
folder_changed (IwbFolderWatcher   *watcher,
                const char * const *paths,
                IwbWindow          *self)
{
  _iwb_window_env_folder_changed (self, paths);
  if (iwb_session_get_integration (self->session) != NULL)
    _iwb_window_reload_in_background (self);
  /* The first load is still running and may have read the old files:
   * one more load follows it (load_finished). */
  else if (self->load_cancellable != NULL)
    self->reload_pending = TRUE;
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
  g_clear_object (&self->held_integration);
  g_clear_pointer (&self->reload_error, g_free);
  if (self->reload_banner != NULL)
    show_banner (self, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbProfileSelector: the connection profile of the window (see the
 * header). Everything goes through the session (iwb-session-profiles.c);
 * the widget asks the questions (names, unsaved changes, deletion).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-error.h"
#include "iwb-profile-selector.h"

struct _IwbProfileSelector
{
  GtkWidget           parent_instance;

  IwbSession         *session;
  GtkWidget          *box;
  GtkWidget          *menu_button;
  GtkWidget          *name_label;
  GtkWidget          *modified_label;
  GtkWidget          *save_button;
  GSimpleActionGroup *actions;
  GMenu              *profiles_section;
  AdwMessageDialog   *dialog;
  char               *pending_switch; /* a switch that waits for a save */
};

G_DEFINE_FINAL_TYPE (IwbProfileSelector, iwb_profile_selector, GTK_TYPE_WIDGET)

typedef enum
{
  ASK_NEW,
  ASK_SAVE_AS,
  ASK_RENAME,
  ASK_DUPLICATE,
} AskKind;

/* --- feedback ---------------------------------------------------------------- */

static void
toast (IwbProfileSelector *self,
       const char         *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay == NULL)
    {
      g_message ("%s", text);
      return;
    }
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static void
on_warning (IwbProfileSelector *self,
            const char         *warning)
{
  toast (self, warning);
}

static void
update (IwbProfileSelector *self)
{
  const char *name = iwb_session_get_profile (self->session);
  const char * const *names = iwb_session_get_profile_names (self->session);
  gboolean modified = iwb_session_get_modified (self->session);
  gboolean busy = iwb_session_get_profiles_busy (self->session);
  gboolean open = iwb_session_get_folder (self->session) != NULL;
  GAction *action;

  gtk_label_set_text (GTK_LABEL (self->name_label), name ? name : _("No Profile"));
  if (name == NULL)
    gtk_widget_add_css_class (self->name_label, "dim-label");
  else
    gtk_widget_remove_css_class (self->name_label, "dim-label");
  gtk_widget_set_visible (self->modified_label, name != NULL && modified);
  gtk_widget_set_tooltip_text (self->menu_button,
                               name == NULL ? _("Connection profile: none yet (Save keeps the values as one)")
                               : modified ? _("Connection profile, with unsaved changes")
                               : _("Connection profile"));

  g_menu_remove_all (self->profiles_section);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (names[i], NULL);

      g_menu_item_set_action_and_target_value (item, "profile.switch", g_variant_new_string (names[i]));
      g_menu_append_item (self->profiles_section, item);
    }
  action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "switch");
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (name ? name : ""));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), open && !busy);
  for (guint i = 0; i < 6; i++)
    {
      const char *all[] = { "rename", "duplicate", "delete", "new", "save", "secrets" };
      gboolean needs_profile = i < 3;

      action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), all[i]);
      g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                                   open && !busy && (!needs_profile || name != NULL));
    }
  gtk_widget_set_sensitive (self->save_button, open && !busy && (name == NULL || modified));
}

/* --- operations ---------------------------------------------------------------- */

static void
op_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(IwbProfileSelector) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!iwb_session_profile_finish (IWB_SESSION (source), result, &error))
    {
      if (!g_error_matches (error, IWB_ERROR, IWB_ERROR_CANCELLED))
        toast (self, error->message);
      g_clear_pointer (&self->pending_switch, g_free);
      return;
    }
  /* A save asked for by a switch: now the switch. */
  if (self->pending_switch != NULL)
    {
      g_autofree char *name = g_steal_pointer (&self->pending_switch);

      iwb_session_load_profile_async (self->session, name, NULL, op_done, g_object_ref (self));
    }
}

static void
open_if_needed (IwbProfileSelector *self)
{
  if (iwb_session_get_folder (self->session) != NULL && !iwb_session_profiles_opened (self->session))
    iwb_session_open_profiles_async (self->session, NULL, op_done, g_object_ref (self));
  update (self);
}

static void
dialog_closed (IwbProfileSelector *self)
{
  self->dialog = NULL;
}

static AdwMessageDialog *
new_dialog (IwbProfileSelector *self,
            const char         *heading,
            const char         *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, body);

  self->dialog = ADW_MESSAGE_DIALOG (dialog);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_closed), self, G_CONNECT_SWAPPED);
  /* Answered is done with, even before the dialog is gone. */
  g_signal_connect_object (dialog, "response", G_CALLBACK (dialog_closed), self, G_CONNECT_SWAPPED);
  return self->dialog;
}

static void
name_changed (GtkEditable      *entry,
              AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "ok", text[0] != '\0');
}

static void
name_response (AdwMessageDialog   *dialog,
               const char         *response,
               IwbProfileSelector *self)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  AskKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "kind"));
  g_autofree char *name = NULL;

  if (!g_str_equal (response, "ok"))
    return;
  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  switch (kind)
    {
    case ASK_NEW:
      iwb_session_new_profile_async (self->session, name, NULL, op_done, g_object_ref (self));
      break;
    case ASK_SAVE_AS:
      iwb_session_save_profile_async (self->session, name, NULL, op_done, g_object_ref (self));
      break;
    case ASK_DUPLICATE:
      iwb_session_duplicate_profile_async (self->session, name, NULL, op_done, g_object_ref (self));
      break;
    case ASK_RENAME:
      iwb_session_rename_profile_async (self->session, iwb_session_get_profile (self->session), name,
                                        NULL, op_done, g_object_ref (self));
      break;
    default:
      break;
    }
}

static void
ask_name (IwbProfileSelector *self,
          AskKind             kind)
{
  const char *current = iwb_session_get_profile (self->session);
  const char *headings[] = { N_("New Profile"), N_("Save as Profile"), N_("Rename Profile"),
                             N_("Duplicate Profile") };
  const char *oks[] = { N_("_Create"), N_("_Save"), N_("_Rename"), N_("_Duplicate") };
  g_autofree char *body = NULL;
  g_autofree char *suggestion = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry = gtk_entry_new ();

  switch (kind)
    {
    case ASK_NEW:
      body = g_strdup (_("A new profile starts from the default values"));
      break;
    case ASK_SAVE_AS:
      body = g_strdup (_("Keep the connection values, action values and input rows under a name. "
                         "Passwords go to the keyring, never to a file."));
      suggestion = g_strdup ("default");
      break;
    case ASK_RENAME:
      /* Translators: %s is a profile name */
      body = g_strdup_printf (_("A new name for “%s”"), current);
      suggestion = g_strdup (current);
      break;
    case ASK_DUPLICATE:
      /* Translators: %s is a profile name */
      body = g_strdup_printf (_("A copy of “%s” with the values shown now"), current);
      /* Translators: the suggested name of a duplicated profile; %s is its name */
      suggestion = g_strdup_printf (_("%s (copy)"), current);
      break;
    default:
      g_assert_not_reached ();
    }
  dialog = new_dialog (self, _(headings[kind]), body);
  g_object_set_data (G_OBJECT (dialog), "kind", GINT_TO_POINTER (kind));
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Profile name, e.g. staging"));
  gtk_editable_set_text (GTK_EDITABLE (entry), suggestion ? suggestion : "");
  /* Enter presses the default button, which answers and closes the dialog
   * (adw_message_dialog_response() alone would leave it open), and does
   * nothing while the button is disabled by an empty name. */
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "ok", _(oks[kind]), NULL);
  adw_message_dialog_set_response_appearance (dialog, "ok", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "ok");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (entry, "changed", G_CALLBACK (name_changed), dialog);
  name_changed (GTK_EDITABLE (entry), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (name_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

void
iwb_profile_selector_save (IwbProfileSelector *self)
{
  g_return_if_fail (IWB_IS_PROFILE_SELECTOR (self));

  if (iwb_session_get_folder (self->session) == NULL || iwb_session_get_profiles_busy (self->session))
    return;
  if (iwb_session_get_profile (self->session) == NULL)
    ask_name (self, ASK_SAVE_AS);
  else
    iwb_session_save_profile_async (self->session, NULL, NULL, op_done, g_object_ref (self));
}

static void
switch_response (AdwMessageDialog   *dialog,
                 const char         *response,
                 IwbProfileSelector *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "name");

  if (g_str_equal (response, "save"))
    {
      g_free (self->pending_switch);
      self->pending_switch = g_strdup (name);
      iwb_session_save_profile_async (self->session, NULL, NULL, op_done, g_object_ref (self));
    }
  else if (g_str_equal (response, "discard"))
    iwb_session_load_profile_async (self->session, name, NULL, op_done, g_object_ref (self));
  update (self); /* the radio mark back on the current one when cancelled */
}

/* The question of a profile switch and of closing the window: the current
 * profile has unsaved changes, and @body says what not saving loses. */
static AdwMessageDialog *
unsaved_dialog (IwbProfileSelector *self,
                const char         *body)
{
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  /* Translators: %s is a profile name */
  heading = g_strdup_printf (_("Save Changes to “%s”?"), iwb_session_get_profile (self->session));
  dialog = new_dialog (self, heading, body);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "discard", _("_Discard"),
                                    "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}

static gboolean
has_unsaved_changes (IwbProfileSelector *self)
{
  return iwb_session_get_profile (self->session) != NULL && iwb_session_get_modified (self->session);
}

void
iwb_profile_selector_switch_to (IwbProfileSelector *self,
                                const char         *name)
{
  const char *current;
  AdwMessageDialog *dialog;

  g_return_if_fail (IWB_IS_PROFILE_SELECTOR (self));

  current = iwb_session_get_profile (self->session);
  if (g_strcmp0 (current, name) == 0)
    return;
  if (!has_unsaved_changes (self))
    {
      iwb_session_load_profile_async (self->session, name, NULL, op_done, g_object_ref (self));
      return;
    }
  dialog = unsaved_dialog (self, _("The values were changed since the profile was saved. "
                                   "Switching profiles without saving loses them."));
  g_object_set_data_full (G_OBJECT (dialog), "name", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (switch_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
iwb_profile_selector_get_unsaved (IwbProfileSelector *self)
{
  g_return_val_if_fail (IWB_IS_PROFILE_SELECTOR (self), FALSE);
  return has_unsaved_changes (self);
}

static void
unsaved_saved (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  IwbProfileSelector *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!iwb_session_profile_finish (IWB_SESSION (source), result, &error))
    {
      /* Not saved: whatever was to happen does not. */
      if (!g_error_matches (error, IWB_ERROR, IWB_ERROR_CANCELLED))
        toast (self, error->message);
      g_task_return_boolean (task, FALSE);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
unsaved_response (AdwMessageDialog *dialog,
                  const char       *response,
                  GTask            *task)
{
  IwbProfileSelector *self = g_task_get_source_object (task);

  if (g_str_equal (response, "save"))
    iwb_session_save_profile_async (self->session, NULL, NULL, unsaved_saved, g_object_ref (task));
  else
    g_task_return_boolean (task, g_str_equal (response, "discard"));
  update (self);
}

void
iwb_profile_selector_ask_unsaved_async (IwbProfileSelector  *self,
                                        const char          *body,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AdwMessageDialog *dialog;

  g_return_if_fail (IWB_IS_PROFILE_SELECTOR (self));
  g_return_if_fail (body != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, iwb_profile_selector_ask_unsaved_async);
  if (!has_unsaved_changes (self))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  dialog = unsaved_dialog (self, body);
  /* The dialog holds the task until it is answered (and destroyed). */
  g_signal_connect_data (dialog, "response", G_CALLBACK (unsaved_response), g_steal_pointer (&task),
                         (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
iwb_profile_selector_ask_unsaved_finish (IwbProfileSelector  *self,
                                         GAsyncResult        *result)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

static void
delete_response (AdwMessageDialog   *dialog,
                 const char         *response,
                 IwbProfileSelector *self)
{
  if (g_str_equal (response, "delete"))
    iwb_session_delete_profile_async (self->session, g_object_get_data (G_OBJECT (dialog), "name"),
                                      NULL, op_done, g_object_ref (self));
}

static void
ask_delete (IwbProfileSelector *self)
{
  const char *current = iwb_session_get_profile (self->session);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (current == NULL)
    return;
  /* Translators: %s is a profile name */
  heading = g_strdup_printf (_("Delete Profile “%s”?"), current);
  dialog = new_dialog (self, heading, _("Its saved values and the secrets it keeps in the keyring "
                                        "are removed. The values shown now stay in the form."));
  g_object_set_data_full (G_OBJECT (dialog), "name", g_strdup (current), g_free);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
secret_switched (GtkSwitch          *sw,
                 GParamSpec         *pspec,
                 IwbProfileSelector *self)
{
  iwb_session_set_value_user_secret (self->session, IWB_SESSION_SCOPE_CONNECTION,
                                     g_object_get_data (G_OBJECT (sw), "id"),
                                     gtk_switch_get_active (sw));
}

/* Which connection values go to the keyring: passwords always, others
 * when the user says so (a token in a plain text field, say). */
static void
ask_secrets (IwbProfileSelector *self)
{
  g_autoptr(IwbProfile) values = iwb_session_dup_profile (self->session, "values");
  g_auto(GStrv) ids = iwb_profile_dup_ids (values, NULL);
  AdwMessageDialog *dialog;
  GtkWidget *list = gtk_list_box_new ();

  dialog = new_dialog (self, _("Values Kept in the Keyring"),
                       ids[0] == NULL ? _("Type connection values first.")
                       : _("These values are saved in the keyring, never in the profiles file. "
                           "Passwords always are."));
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; ids[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();
      IwbSessionValueFlags flags;
      gboolean password;

      iwb_session_get_value (self->session, IWB_SESSION_SCOPE_CONNECTION, ids[i], &flags);
      password = (flags & IWB_SESSION_VALUE_SECRET) &&
                 !iwb_session_get_value_user_secret (self->session, IWB_SESSION_SCOPE_CONNECTION, ids[i]);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ids[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_switch_set_active (GTK_SWITCH (sw), (flags & IWB_SESSION_VALUE_SECRET) != 0);
      gtk_widget_set_sensitive (sw, !password);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (sw), "id", g_strdup (ids[i]), g_free);
      g_signal_connect_object (sw, "notify::active", G_CALLBACK (secret_switched), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  if (ids[0] != NULL)
    adw_message_dialog_set_extra_child (dialog, list);
  else
    g_object_unref (g_object_ref_sink (list));
  adw_message_dialog_add_responses (dialog, "close", _("_Close"), NULL);
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- actions ------------------------------------------------------------------ */

static void
switch_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  iwb_profile_selector_switch_to (user_data, g_variant_get_string (parameter, NULL));
}

static void
simple_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  IwbProfileSelector *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "new"))
    ask_name (self, ASK_NEW);
  else if (g_str_equal (name, "rename"))
    ask_name (self, ASK_RENAME);
  else if (g_str_equal (name, "duplicate"))
    ask_name (self, ASK_DUPLICATE);
  else if (g_str_equal (name, "delete"))
    ask_delete (self);
  else if (g_str_equal (name, "save"))
    iwb_profile_selector_save (self);
  else if (g_str_equal (name, "secrets"))
    ask_secrets (self);
}

char *
iwb_profile_selector_dup_label (IwbProfileSelector *self)
{
  g_return_val_if_fail (IWB_IS_PROFILE_SELECTOR (self), NULL);
  return g_strdup_printf ("%s%s", gtk_label_get_text (GTK_LABEL (self->name_label)),
                          gtk_widget_get_visible (self->modified_label) ? " •" : "");
}

AdwMessageDialog *
iwb_profile_selector_get_dialog (IwbProfileSelector *self)
{
  g_return_val_if_fail (IWB_IS_PROFILE_SELECTOR (self), NULL);
  return self->dialog;
}

/* --- object ------------------------------------------------------------------ */

static void
iwb_profile_selector_dispose (GObject *object)
{
  IwbProfileSelector *self = IWB_PROFILE_SELECTOR (object);

  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (iwb_profile_selector_parent_class)->dispose (object);
}

static void
iwb_profile_selector_finalize (GObject *object)
{
  IwbProfileSelector *self = IWB_PROFILE_SELECTOR (object);

  g_clear_object (&self->session);
  g_clear_object (&self->actions);
  g_clear_object (&self->profiles_section);
  g_free (self->pending_switch);
  G_OBJECT_CLASS (iwb_profile_selector_parent_class)->finalize (object);
}

static void
iwb_profile_selector_class_init (IwbProfileSelectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = iwb_profile_selector_dispose;
  object_class->finalize = iwb_profile_selector_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "profileselector");
}

static void
iwb_profile_selector_init (IwbProfileSelector *self)
{
  const GActionEntry entries[] = {
    { "switch", switch_activated, "s", "''", NULL, { 0 } },
    { "new", simple_activated, NULL, NULL, NULL, { 0 } },
    { "rename", simple_activated, NULL, NULL, NULL, { 0 } },
    { "duplicate", simple_activated, NULL, NULL, NULL, { 0 } },
    { "delete", simple_activated, NULL, NULL, NULL, { 0 } },
    { "save", simple_activated, NULL, NULL, NULL, { 0 } },
    { "secrets", simple_activated, NULL, NULL, NULL, { 0 } },
  };
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) commands = g_menu_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("avatar-default-symbolic");
  GtkWidget *arrow = gtk_image_new_from_icon_name ("pan-down-symbolic");

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "profile", G_ACTION_GROUP (self->actions));

  self->profiles_section = g_menu_new ();
  g_menu_append_section (menu, _("Profiles"), G_MENU_MODEL (self->profiles_section));
  g_menu_append (commands, _("_New Profile…"), "profile.new");
  g_menu_append (commands, _("_Rename…"), "profile.rename");
  g_menu_append (commands, _("D_uplicate…"), "profile.duplicate");
  g_menu_append (commands, _("_Delete…"), "profile.delete");
  g_menu_append (commands, _("Values Kept in the _Keyring…"), "profile.secrets");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (commands));

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->box, "linked");
  gtk_widget_set_valign (self->box, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->name_label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->name_label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (self->name_label), 24);
  self->modified_label = gtk_label_new ("•");
  gtk_widget_add_css_class (self->modified_label, "accent");
  gtk_widget_set_tooltip_text (self->modified_label, _("Unsaved changes"));
  gtk_box_append (GTK_BOX (content), icon);
  gtk_box_append (GTK_BOX (content), self->name_label);
  gtk_box_append (GTK_BOX (content), self->modified_label);
  gtk_box_append (GTK_BOX (content), arrow);

  self->menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->menu_button), content);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->menu_button), G_MENU_MODEL (menu));
  gtk_box_append (GTK_BOX (self->box), self->menu_button);

  self->save_button = gtk_button_new_from_icon_name ("document-save-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->save_button), "profile.save");
  gtk_widget_set_tooltip_text (self->save_button, _("Save Profile (Ctrl+S)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->save_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Save Profile"), -1);
  gtk_box_append (GTK_BOX (self->box), self->save_button);
}

IwbProfileSelector *
iwb_profile_selector_new (IwbSession *session)
{
  IwbProfileSelector *self;

  g_return_val_if_fail (IWB_IS_SESSION (session), NULL);

  self = g_object_new (IWB_TYPE_PROFILE_SELECTOR, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_swapped (session, "notify::profile", G_CALLBACK (update), self);
  g_signal_connect_swapped (session, "notify::modified", G_CALLBACK (update), self);
  g_signal_connect_swapped (session, "notify::profile-names", G_CALLBACK (update), self);
  g_signal_connect_swapped (session, "notify::profiles-busy", G_CALLBACK (update), self);
  g_signal_connect_swapped (session, "notify::folder", G_CALLBACK (open_if_needed), self);
  g_signal_connect_swapped (session, "profile-warning", G_CALLBACK (on_warning), self);
  open_if_needed (self);
  return self;
}

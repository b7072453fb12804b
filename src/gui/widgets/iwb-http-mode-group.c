/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-http-mode-group.h"

struct _IwbHttpModeGroup
{
  AdwPreferencesGroup parent_instance;

  IwbSession *session;
  GtkWidget  *mode_row;
  GtkWidget  *cassette_row;
  GtkWidget  *strict_row;
  GtkWidget  *strict_switch;
  gboolean    syncing;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (IwbHttpModeGroup, iwb_http_mode_group, ADW_TYPE_PREFERENCES_GROUP)

const char *
iwb_http_mode_badge_text (IwbHttpMode mode)
{
  switch (mode)
    {
    case IWB_HTTP_MODE_REPLAY:
      /* Translators: the header bar badge while HTTP calls are answered from a cassette */
      return _("Replay");
    case IWB_HTTP_MODE_RECORD:
      /* Translators: the header bar badge while HTTP calls are recorded into a cassette */
      return _("Recording");
    case IWB_HTTP_MODE_LIVE:
    default:
      return NULL;
    }
}

char *
iwb_http_mode_dup_badge_tooltip (IwbSession *session)
{
  const char *path = iwb_session_get_cassette_path (session);
  g_autofree char *name = path ? g_path_get_basename (path) : g_strdup ("?");

  switch (iwb_session_get_http_mode (session))
    {
    case IWB_HTTP_MODE_REPLAY:
      return g_strdup_printf (iwb_session_get_replay_strict (session)
                              ? _("HTTP calls are answered from the cassette %s: nothing reaches the network, "
                                  "and a call that was not recorded fails")
                              : _("HTTP calls are answered from the cassette %s; a call that was not "
                                  "recorded goes to the network"), name);
    case IWB_HTTP_MODE_RECORD:
      return g_strdup_printf (_("HTTP calls go to the network and are recorded into the cassette %s"), name);
    case IWB_HTTP_MODE_LIVE:
    default:
      return NULL;
    }
}

static void
sync_from_session (IwbHttpModeGroup *self)
{
  IwbHttpMode mode = iwb_session_get_http_mode (self->session);
  const char *path = iwb_session_get_cassette_path (self->session);

  self->syncing = TRUE;
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->mode_row), (guint) mode);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->cassette_row), path ? path : _("No file chosen"));
  gtk_widget_set_visible (self->cassette_row, mode != IWB_HTTP_MODE_LIVE);
  gtk_widget_set_visible (self->strict_row, mode == IWB_HTTP_MODE_REPLAY);
  gtk_switch_set_active (GTK_SWITCH (self->strict_switch), iwb_session_get_replay_strict (self->session));
  self->syncing = FALSE;
}

void
iwb_http_mode_group_set_mode (IwbHttpModeGroup *self,
                              IwbHttpMode       mode,
                              const char       *cassette)
{
  g_return_if_fail (IWB_IS_HTTP_MODE_GROUP (self));
  g_return_if_fail (mode == IWB_HTTP_MODE_LIVE || cassette != NULL);

  iwb_session_set_http_mode (self->session, mode, cassette);
  sync_from_session (self);
}

/* A place to start the chooser in: the integration's folder. */
static void
chooser_start_in_folder (IwbHttpModeGroup *self,
                         GtkFileChooser   *chooser,
                         IwbHttpMode       mode)
{
  const char *current = iwb_session_get_cassette_path (self->session);
  GFile *folder = iwb_session_get_folder (self->session);

  if (current != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (current);

      if (mode == IWB_HTTP_MODE_REPLAY && g_file_query_exists (file, NULL))
        {
          gtk_file_chooser_set_file (chooser, file, NULL);
          return;
        }
    }
  if (folder != NULL)
    {
      g_autoptr(GFile) cassette = g_file_get_child (folder, "cassette.json");

      gtk_file_chooser_set_current_folder (chooser, folder, NULL);
      if (mode == IWB_HTTP_MODE_REPLAY && g_file_query_exists (cassette, NULL))
        gtk_file_chooser_set_file (chooser, cassette, NULL);
    }
  if (mode == IWB_HTTP_MODE_RECORD)
    gtk_file_chooser_set_current_name (chooser, "cassette.json");
}

static void
chooser_response (GtkNativeDialog  *dialog,
                  int               response,
                  IwbHttpModeGroup *self)
{
  IwbHttpMode mode = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "mode"));
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = file ? g_file_get_path (file) : NULL;
  if (path != NULL)
    iwb_http_mode_group_set_mode (self, mode, path);
  else
    sync_from_session (self);  /* cancelled: the mode stays what it was */
  gtk_native_dialog_destroy (dialog);
  if (self->chooser == GTK_FILE_CHOOSER_NATIVE (dialog))
    g_clear_object (&self->chooser);
  g_object_unref (self);
}

static void
choose_cassette (IwbHttpModeGroup *self,
                 IwbHttpMode       mode)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  gboolean record = mode == IWB_HTTP_MODE_RECORD;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (record ? _("Record HTTP Calls Into") : _("Replay HTTP Calls From"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               record ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                               record ? _("_Record") : _("_Replay"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Cassettes (JSON)"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  chooser_start_in_folder (self, GTK_FILE_CHOOSER (self->chooser), mode);
  g_object_set_data (G_OBJECT (self->chooser), "mode", GINT_TO_POINTER (mode));
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
mode_selected (IwbHttpModeGroup *self)
{
  IwbHttpMode mode = (IwbHttpMode) adw_combo_row_get_selected (ADW_COMBO_ROW (self->mode_row));

  if (self->syncing || mode == iwb_session_get_http_mode (self->session))
    return;
  if (mode == IWB_HTTP_MODE_LIVE)
    iwb_http_mode_group_set_mode (self, mode, NULL);
  else
    choose_cassette (self, mode);
}

static void
choose_clicked (IwbHttpModeGroup *self)
{
  choose_cassette (self, iwb_session_get_http_mode (self->session));
}

static void
strict_changed (IwbHttpModeGroup *self)
{
  if (!self->syncing)
    iwb_session_set_replay_strict (self->session, gtk_switch_get_active (GTK_SWITCH (self->strict_switch)));
}

static void
iwb_http_mode_group_dispose (GObject *object)
{
  IwbHttpModeGroup *self = IWB_HTTP_MODE_GROUP (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (iwb_http_mode_group_parent_class)->dispose (object);
}

static void
iwb_http_mode_group_class_init (IwbHttpModeGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = iwb_http_mode_group_dispose;
}

static void
iwb_http_mode_group_init (IwbHttpModeGroup *self)
{
  const char *modes[] = { N_("Live"), N_("Record to cassette…"), N_("Replay from cassette…"), NULL };
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  GtkWidget *button;

  for (guint i = 0; modes[i] != NULL; i++)
    gtk_string_list_append (list, _(modes[i]));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("HTTP Traffic"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("Record the integration’s calls into a cassette file, then replay "
                                           "them without the service or the network: a demo, a test"));

  self->mode_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->mode_row), _("_Mode"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->mode_row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (self->mode_row), G_LIST_MODEL (list));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->mode_row);

  self->cassette_row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->cassette_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->cassette_row), _("Cassette"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self->cassette_row), 2);
  button = gtk_button_new_with_mnemonic (_("C_hoose…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (choose_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->cassette_row), button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->cassette_row);

  self->strict_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->strict_row), _("_Strict Replay"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->strict_row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->strict_row),
                               _("A call that was not recorded fails, instead of going to the network"));
  self->strict_switch = gtk_switch_new ();
  gtk_widget_set_valign (self->strict_switch, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->strict_row), self->strict_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self->strict_row), self->strict_switch);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->strict_row);
}

GtkWidget *
iwb_http_mode_group_new (IwbSession *session)
{
  IwbHttpModeGroup *self = g_object_new (IWB_TYPE_HTTP_MODE_GROUP, NULL);

  self->session = g_object_ref (session);
  sync_from_session (self);
  g_signal_connect_swapped (self->mode_row, "notify::selected", G_CALLBACK (mode_selected), self);
  g_signal_connect_swapped (self->strict_switch, "notify::active", G_CALLBACK (strict_changed), self);
  g_signal_connect_swapped (session, "notify::http-mode", G_CALLBACK (sync_from_session), self);
  g_signal_connect_swapped (session, "notify::cassette-path", G_CALLBACK (sync_from_session), self);
  g_signal_connect_swapped (session, "notify::replay-strict", G_CALLBACK (sync_from_session), self);
  return GTK_WIDGET (self);
}

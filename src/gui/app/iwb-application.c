/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The application: one instance per session (a second `integration-workbench
 * FOLDER` opens another window in the running instance), app-wide actions,
 * settings, the command line.
 */
#include "config.h"

#include <glib/gi18n.h>

#include <glib-unix.h>
#include <gtksourceview/gtksource.h>

#include "iwb-application.h"
#include "iwb-child.h"
#include "iwb-preferences.h"
#include "iwb-python.h"
#include "iwb-window.h"
#include "iwb-resources.h"
#include "iwb-settings.h"
#include "iwb-signal-watch.h"


struct _IwbApplication
{
  AdwApplication  parent_instance;
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (IwbApplication, iwb_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Start the built-in demo service and fill the connection form with its demo credentials"), NULL },
  { "validate", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Validate the connection as soon as the folder is loaded"), NULL },
  { "run", 'r', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Run ACTION (its name or entrypoint) as soon as the folder is loaded"), N_("ACTION") },
  { "show-overrides", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("With --validate: show the descriptor changes once the validator’s overrides are applied"), NULL },
  { "show-http", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("With --run: show the run’s HTTP calls, the first one selected"), NULL },
  { "new-window", 'n', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Open a new window even when one is already open"), NULL },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME_ARRAY, NULL,
    NULL, N_("[FOLDER…]") },
  { NULL }
};

GSettings *
iwb_application_get_settings (IwbApplication *self)
{
  g_return_val_if_fail (IWB_IS_APPLICATION (self), NULL);

  return self->settings;
}

static IwbWindow *
new_window (IwbApplication *self)
{
  IwbWindow *window = iwb_window_new (self);

  return window;
}

GtkWindow *
iwb_application_open_folder (IwbApplication          *self,
                             GFile                   *folder,
                             const IwbStartupRequest *request)
{
  IwbWindow *window = NULL;
  GList *windows;

  g_return_val_if_fail (IWB_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (G_IS_FILE (folder), NULL);

  /* The folder already has a window: bring it up instead of a twin. */
  windows = gtk_application_get_windows (GTK_APPLICATION (self));
  for (const GList *l = windows; l != NULL; l = l->next)
    {
      GFile *shown;

      if (!IWB_IS_WINDOW (l->data))
        continue;
      shown = iwb_window_get_folder (l->data);
      if (shown != NULL && g_file_equal (shown, folder))
        {
          window = l->data;
          break;
        }
    }
  /* An empty start window is reused for the first folder. */
  if (window == NULL)
    {
      for (const GList *l = windows; l != NULL; l = l->next)
        {
          if (IWB_IS_WINDOW (l->data) && iwb_window_get_folder (l->data) == NULL)
            {
              window = l->data;
              break;
            }
        }
    }
  if (window == NULL)
    window = new_window (self);

  if (request != NULL)
    iwb_window_set_startup_request (window, request);
  if (iwb_window_get_folder (window) == NULL || !g_file_equal (iwb_window_get_folder (window), folder))
    iwb_window_open_folder (window, folder);
  gtk_window_present (GTK_WINDOW (window));

  return GTK_WINDOW (window);
}

static void
iwb_application_activate (GApplication *app)
{
  IwbApplication *self = IWB_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (new_window (self));
  gtk_window_present (window);
}

static void
iwb_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    iwb_application_open_folder (IWB_APPLICATION (app), files[i], NULL);
}

static int
iwb_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "integration-workbench", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

static int
iwb_application_command_line (GApplication            *app,
                              GApplicationCommandLine *cmdline)
{
  IwbApplication *self = IWB_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autofree const char **folders = NULL;
  IwbStartupRequest request = { 0 };
  g_autofree char *run_action = NULL;

  request.demo = g_variant_dict_contains (options, "demo");
  request.validate = g_variant_dict_contains (options, "validate");
  request.show_overrides = g_variant_dict_contains (options, "show-overrides");
  request.show_http = g_variant_dict_contains (options, "show-http");
  if (g_variant_dict_lookup (options, "run", "s", &run_action))
    request.run_action = run_action;
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &folders);

  if (folders == NULL || folders[0] == NULL)
    {
      GtkWindow *window = NULL;

      if (request.demo || request.validate || request.run_action != NULL)
        {
          g_application_command_line_printerr (cmdline, "%s\n",
                                               _("--demo, --validate and --run need a FOLDER: "
                                                 "integration-workbench --demo examples/FOLDER"));
          return 1;
        }
      if (!g_variant_dict_contains (options, "new-window"))
        window = gtk_application_get_active_window (GTK_APPLICATION (app));
      if (window == NULL)
        window = GTK_WINDOW (new_window (self));
      gtk_window_present (window);
      return 0;
    }

  for (guint i = 0; folders[i] != NULL; i++)
    {
      g_autoptr(GFile) folder = g_application_command_line_create_file_for_arg (cmdline, folders[i]);

      if (g_variant_dict_contains (options, "new-window"))
        {
          IwbWindow *window = new_window (self);

          iwb_window_set_startup_request (window, &request);
          iwb_window_open_folder (window, folder);
          gtk_window_present (GTK_WINDOW (window));
        }
      else
        iwb_application_open_folder (self, folder, &request);
    }
  return 0;
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { "Integration Workbench contributors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application", app,
                        "application-name", _("Integration Workbench"),
                        "application-icon", "io.github.lhub.IntegrationWorkbench",
                        "developer-name", _("Integration Workbench contributors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Load, validate and run LogicHub / Devo custom integrations "
                                      "written with the lhub_integ SDK, exactly the way the platform runs them."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  IwbApplication *self = user_data;
  IwbPreferences *prefs = iwb_preferences_new (self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (prefs),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_set_application (GTK_WINDOW (prefs), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
new_window_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (new_window (user_data)));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* Closing each window saves its state and cancels its runs. A window
   * with unsaved profile changes asks first (Save / Discard / Cancel) and
   * stays on Cancel; the application ends with its last window. */
  g_list_foreach (windows, (GFunc) (void (*) (void)) g_object_ref, NULL);
  for (GList *l = windows; l != NULL; l = l->next)
    {
      gtk_window_close (l->data);
      g_object_unref (l->data);
    }
  if (gtk_application_get_windows (GTK_APPLICATION (user_data)) == NULL)
    g_application_quit (G_APPLICATION (user_data));
}

/* app.open-folder URI: how a window opens another folder in a window of
 * its own (windows reach the application only through actions). */
static void
open_folder_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  g_autoptr(GFile) folder = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  iwb_application_open_folder (IWB_APPLICATION (user_data), folder, NULL);
}

static const GActionEntry app_actions[] = {
  { "about", about_activated },
  { "open-folder", open_folder_activated, "s" },
  { "preferences", preferences_activated },
  { "new-window", new_window_activated },
  { "quit", quit_activated },
};

/* -- process: every signal that would end the app (iwb-signal-watch.h:
 * TERM, INT, HUP, QUIT, ALRM, USR1, USR2, ...) quits it cleanly, ending
 * every child tree first (iwb_child_kill_all(), which also runs at
 * shutdown), so no integration process outlives the window; then the app
 * dies of that signal, as it would have. The app is a child subreaper:
 * orphans of the integration's processes come to it, not to init. */
static int quit_signal;

static void
on_quit_signal (int      signum,
                gpointer user_data)
{
  iwb_child_kill_all ();
  if (quit_signal == 0)
    quit_signal = signum;
  g_application_quit (G_APPLICATION (user_data));
}

/* An integration (or something it started) signalled the window: it does
 * not get to close it. Said on stderr; the run goes on under its timeout. */
static void
on_signal_from_child (int      signum,
                      pid_t    sender,
                      gpointer user_data)
{
  g_message ("Ignored signal %d (%s) from process %d, which an integration started: only "
             "the user ends the workbench", signum, g_strsignal (signum), (int) sender);
}

static void
install_quit_signals (GApplication *app)
{
  iwb_child_become_subreaper ();
  iwb_signal_watch_install (on_quit_signal, app);
  iwb_signal_watch_set_from_child_func (on_signal_from_child, NULL);
}

/* After g_application_run() returned: the conventional end of a process
 * stopped by a signal (the shell sees 128 + N). */
void
iwb_application_exit_for_signal (void)
{
  if (quit_signal != 0)
    iwb_signal_watch_die_of (quit_signal);
}
/* -- end process */

static void
iwb_application_startup (GApplication *app)
{
  IwbApplication *self = IWB_APPLICATION (app);
  GtkApplication *gtk_app = GTK_APPLICATION (app);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *prefs_accels[] = { "<Control>comma", NULL };
  const char *new_window_accels[] = { "<Control>n", NULL };
  const char *open_accels[] = { "<Control>o", NULL };
  const char *reload_accels[] = { "<Control>r", "F5", NULL };
  const char *primary_accels[] = { "<Control>Return", "<Control>KP_Enter", NULL };
  const char *cancel_accels[] = { "Escape", NULL };
  const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (iwb_application_parent_class)->startup (app);
  install_quit_signals (app); /* -- process */

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (gtk_app, "app.quit", quit_accels);
  gtk_application_set_accels_for_action (gtk_app, "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (gtk_app, "app.new-window", new_window_accels);
  gtk_application_set_accels_for_action (gtk_app, "win.open", open_accels);
  gtk_application_set_accels_for_action (gtk_app, "win.reload", reload_accels);
  gtk_application_set_accels_for_action (gtk_app, "win.primary", primary_accels);
  gtk_application_set_accels_for_action (gtk_app, "win.cancel", cancel_accels);
  gtk_application_set_accels_for_action (gtk_app, "window.close", close_accels);

  gtk_source_init ();
  self->settings = iwb_settings_new ();
}

static void
iwb_application_shutdown (GApplication *app)
{
  IwbApplication *self = IWB_APPLICATION (app);

  /* Loads and runs still going (a window being destroyed may still be
   * referenced by them) end with the app, children included. */
  iwb_kill_all_process_groups ();
  G_APPLICATION_CLASS (iwb_application_parent_class)->shutdown (app);
  g_clear_object (&self->settings);
}

static void
iwb_application_finalize (GObject *object)
{
  IwbApplication *self = IWB_APPLICATION (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (iwb_application_parent_class)->finalize (object);
}

static void
iwb_application_class_init (IwbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = iwb_application_finalize;
  app_class->startup = iwb_application_startup;
  app_class->shutdown = iwb_application_shutdown;
  app_class->activate = iwb_application_activate;
  app_class->open = iwb_application_open;
  app_class->command_line = iwb_application_command_line;
  app_class->handle_local_options = iwb_application_handle_local_options;

  /* Static linking would drop the resource object (and its constructor)
   * otherwise: reference it. */
  (void) iwb_get_resource ();
}

static void
iwb_application_init (IwbApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                             _("Open LogicHub / Devo custom integration folders, "
                                               "validate connections and run actions."));
}

IwbApplication *
iwb_application_new (void)
{
  return g_object_new (IWB_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "resource-base-path", "/io/github/lhub/IntegrationWorkbench",
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_HANDLES_COMMAND_LINE,
                       NULL);
}

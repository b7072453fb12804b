/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the UI tests: setup, waiting on the main loop (never sleeping),
 * fixture paths. */
#pragma once

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "iwb-application.h"
#include "iwb-window.h"

#define WAIT_SECONDS 60

gboolean
ui_test_wake (gpointer data);

/* Iterates the main context until @cond is true or @seconds passed. */
#define WAIT_FOR(cond, seconds)                                               \
  G_STMT_START {                                                              \
    gint64 _deadline = g_get_monotonic_time () + (gint64) (seconds) * G_USEC_PER_SEC; \
    guint _wake = g_timeout_add (20, ui_test_wake, NULL);                     \
    while (!(cond) && g_get_monotonic_time () < _deadline)                    \
      g_main_context_iteration (NULL, TRUE);                                  \
    g_source_remove (_wake);                                                  \
    if (!(cond))                                                              \
      g_error ("%s:%d: timed out after %d s waiting for: %s",                 \
               __FILE__, __LINE__, (int) (seconds), #cond);                   \
  } G_STMT_END

/* Destroys @window and iterates the main context until it is finalized
 * (its children — loads, runs, logo fetches — let it go), or fails. */
void
ui_test_close_window (gpointer window);

/* What pressing @keyval with @mods in @widget would do through a shortcut
 * controller of @widget: activates the first matching shortcut's action.
 * FALSE when no shortcut of @widget has that key. */
gboolean
ui_test_press_shortcut (GtkWidget       *widget,
                        guint            keyval,
                        GdkModifierType  mods);

/* Lets pending idles and redraws run. */
void
ui_test_flush (void);

/* Private cache and data folders in the build tree, memory GSettings, then
 * gtk_test_init (), adw_init () and gtk_source_init (). */
void
ui_test_init (int    *argc,
              char ***argv);

/* IWB_SOURCE_ROOT/first/... (NULL-terminated parts). */
char *
ui_test_source_path (const char *first, ...);

GFile *
ui_test_folder (const char *first, ...);

/* A registered, non-unique application: startup ran (actions, accels,
 * settings), no D-Bus name is needed. */
IwbApplication *
ui_test_application (void);

/* TRUE when @window shows the page of @state ("loading", "integration"…). */
gboolean
ui_test_window_is_state (IwbWindow  *window,
                         const char *state);

/* A new window of @app, presented, on examples/ticket-tracker with the
 * store of the data folder below the directory in the environment variable
 * @home_env ($@home_env/data/integration-workbench), once the integration
 * is loaded and its last used profile (if any) is opened. */
IwbWindow *
ui_test_open_example (IwbApplication *app,
                      const char     *home_env);

typedef void (*IwbTestUiAddTests) (void);

/* The main () of every UI test: skips (TAP) without a display, sets up
 * with ui_test_init (), creates the application into @app when @app is not
 * NULL (ui_test_application ()), calls @add_tests to register the tests,
 * runs them and releases the application. Returns the exit status. */
int
iwb_test_ui_main (int                argc,
                  char             **argv,
                  IwbApplication   **app,
                  IwbTestUiAddTests  add_tests);

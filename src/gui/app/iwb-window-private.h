/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's state, shared by iwb-window.c (lifecycle, loading, pages)
 * and iwb-window-actions.c (actions and their enabled state). */
#pragma once

#include "iwb-action-page.h"
#include "iwb-connection-page.h"
#include "iwb-environment-page.h"
#include "iwb-folder-watcher.h"
#include "iwb-loader.h"
#include "iwb-param-form.h"
#include "iwb-pyenv.h"
#include "iwb-run.h"
#include "iwb-session.h"
#include "iwb-window.h"

G_BEGIN_DECLS

struct _IwbWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* template */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkListBox           *recent_list;
  GtkWidget            *recent_group;
  GtkLabel             *loading_label;
  GtkSpinner           *loading_spinner;
  AdwStatusPage        *error_page;
  GtkLabel             *error_details;
  GtkWidget            *error_details_box;
  AdwLeaflet           *leaflet;
  AdwWindowTitle       *sidebar_title;
  GtkImage             *logo_image;
  GtkLabel             *name_label;
  GtkLabel             *description_label;
  GtkWidget            *warnings_box;
  AdwExpanderRow       *warnings_row;
  GtkListBox           *sidebar_list;
  AdwWindowTitle       *content_title;
  GtkStack             *pages_stack;
  GtkWidget            *demo_banner;
  GtkLabel             *demo_label;

  /* state: the folder, the integration, its descriptors (the base one, built
   * from the loaded metadata, and the one the pages show: base or
   * effective), every value typed and the runs are the session's. */
  IwbSession           *session;
  char                 *error_message;
  GCancellable         *load_cancellable;
  GCancellable         *logo_cancellable;
  IwbConnectionPage    *connection_page; /* referenced; also in pages_stack */
  GPtrArray            *action_pages;    /* IwbActionPage*, referenced; also in pages_stack */
  IwbStartupRequest     request;
  gboolean              request_pending;
  IwbDemoService       *demo;

  /* dynamic overrides and hot reload (iwb-window-overrides.c, iwb-window-reload.c) */
  JsonNode             *action_overrides;  /* the validator's actionOverrides in force, or NULL */
  GHashTable           *changed_inputs;    /* "entrypoint\x1fid" -> IwbJsonChange list, for the markers */
  JsonNode             *connection_inputs; /* what connection_page was built from */
  GtkWidget            *diff_window;       /* the descriptor changes window, or NULL */
  GtkWidget            *diff_view;
  AdwToast             *last_toast;        /* the last overrides / reload toast */
  JsonNode             *reload_before;     /* base descriptors around the last reload */
  JsonNode             *reload_after;
  IwbFolderWatcher     *watcher;
  gboolean              reload_pending;
  char                 *reload_error;
  GtkWidget            *reload_banner;     /* GtkRevealer above the pages */
  GtkWidget            *reload_banner_details;
  GtkWidget            *reload_status;     /* "Reloading…" in the content header */
  GtkWidget            *reload_spinner;
  GtkWidget            *reload_apply;      /* "Apply Reload": a reload held back by a run */
  IwbIntegration       *held_integration;  /* reloaded while a run ran: offered when it ends */

  /* the integration's Python environment (iwb-window-env.c) */
  IwbPyenv             *pyenv;             /* of the folder, made from the preferences' interpreter */
  GtkWidget            *env_dialog;        /* "Python Environment" window, or NULL */
  GtkWidget            *env_page;          /* IwbEnvironmentPage in it */
  GtkWidget            *env_button;        /* header: interpreter in use, popover with paths */
  GtkWidget            *env_button_icon;
  GtkWidget            *env_button_label;
  GtkWidget            *env_popover_label;
  GtkWidget            *env_error_offer;   /* load-error page: "Create Environment" */
  GtkWidget            *env_sidebar_offer; /* loaded: requirements.txt without environment */
  gboolean              env_missing_module;/* the last load failed on a missing module */
  /* run history (iwb-window-history.c) */
  GtkWidget            *history_page;      /* IwbHistoryPage, referenced; also in pages_stack */
  /* the HTTP mode badge (iwb-window-http.c) */
  GtkWidget            *content_header;
  GtkWidget            *http_badge;
  GtkWidget            *http_badge_icon;
  GtkWidget            *http_badge_label;
  /* closing with unsaved profile changes (iwb-window.c) */
  gboolean              close_asking;      /* the Save / Discard / Cancel question is shown */
  gboolean              close_confirmed;   /* answered: the next close request closes */
};

void     _iwb_window_class_add_actions   (GtkWidgetClass *widget_class);
void     _iwb_window_actions_update      (IwbWindow      *self);
IwbParamForm *_iwb_window_get_connection_form (IwbWindow *self);
void     _iwb_window_choose_folder       (IwbWindow      *self);
gboolean _iwb_window_open_dropped        (IwbWindow      *self,
                                          GFile          *file);
/* Takes @integration with @base (its platform descriptor) and @descriptor
 * (what the pages show: @base or an effective one): header, warnings, pages. */
void     _iwb_window_install_integration (IwbWindow      *self,
                                          IwbIntegration *integration,
                                          JsonNode       *base,
                                          JsonNode       *descriptor);

/* iwb-window-pages.c: sidebar, pages, header, warnings */
void       _iwb_window_clear_pages            (IwbWindow  *self);
/* Keeps the connection page (and its validation result) with @keep_connection. */
void       _iwb_window_clear_pages_full       (IwbWindow  *self,
                                               gboolean    keep_connection);
void       _iwb_window_build_pages            (IwbWindow  *self);
void       _iwb_window_show_warnings          (IwbWindow  *self);
void       _iwb_window_show_header            (IwbWindow  *self);
IwbAction *_iwb_window_find_model_action      (IwbWindow  *self,
                                               const char *entrypoint);

/* iwb-window-startup.c: --demo, --validate, --run */
void     _iwb_window_fill_demo_values         (IwbWindow *self);
void     _iwb_window_run_startup_request      (IwbWindow *self);

/* iwb-window-overrides.c: dynamic overrides, "changed" markers, the diff window */
void     _iwb_window_class_add_overrides_actions (GtkWidgetClass *widget_class);
void     _iwb_window_overrides_actions_update (IwbWindow *self);
void     _iwb_window_overrides_connect_page   (IwbWindow         *self,
                                               IwbConnectionPage *page);
void     _iwb_window_overrides_watch_run      (IwbWindow *self,
                                               IwbRun    *run);
void     _iwb_window_overrides_pages_built    (IwbWindow *self);
gboolean _iwb_window_keep_connection_page     (IwbWindow *self,
                                               JsonArray *inputs);
/* Moves the pages whose action is the same in @actions from action_pages
 * to @kept (entrypoint -> page, still in the stack). */
void     _iwb_window_take_unchanged_action_pages (IwbWindow  *self,
                                                  JsonArray  *actions,
                                                  GHashTable *kept);
void     _iwb_window_remember_action          (IwbActionPage *page,
                                               JsonNode      *action);
/* Removes the pages left in @kept from the stack. */
void     _iwb_window_drop_pages               (IwbWindow  *self,
                                               GHashTable *kept);
void     _iwb_window_overrides_clear          (IwbWindow *self);
void     _iwb_window_overrides_forget         (IwbWindow *self);
void     _iwb_window_revert_overrides         (IwbWindow *self);
/* @which: "overrides", "reload" or "latest" (the overrides in force, else
 * the last reload). Returns the diff window, or NULL. */
GtkWidget *_iwb_window_show_changes           (IwbWindow  *self,
                                               const char *which);
void     _iwb_window_add_changes_toast        (IwbWindow  *self,
                                               const char *title,
                                               const char *which);
char    *_iwb_window_dup_marker_tooltip       (GPtrArray  *changes,
                                               const char *input_id);

/* iwb-window-reload.c: watching the folder, reloading in the background */
void     _iwb_window_reload_init              (IwbWindow *self);
void     _iwb_window_reload_watch             (IwbWindow *self);
void     _iwb_window_reload_forget            (IwbWindow *self);
gboolean _iwb_window_reload_in_background     (IwbWindow *self);
const char *_iwb_window_get_reload_error      (IwbWindow *self);
/* The header's "Reloading…" (a reload runs in the background) and "Apply
 * Reload" (a reload waits for the runs in progress) states, for tests. */
gboolean _iwb_window_get_reloading            (IwbWindow *self);
gboolean _iwb_window_get_reload_held          (IwbWindow *self);
/* Shows the header's reload state; called by _iwb_window_actions_update(). */
void     _iwb_window_reload_update_status     (IwbWindow *self);
void     _iwb_window_class_add_reload_actions (GtkWidgetClass *widget_class);
IwbFolderWatcher *_iwb_window_get_watcher (IwbWindow *self);

/* iwb-window-env.c: the integration's Python environment (header button,
 * "Create Environment" offers, the Python Environment window) */
void     _iwb_window_env_init                 (IwbWindow *self);
void     _iwb_window_env_dispose              (IwbWindow *self);
void     _iwb_window_class_add_env_actions    (GtkWidgetClass *widget_class);
/* After a load: @error (nullable) is why it failed. */
void     _iwb_window_env_loaded               (IwbWindow    *self,
                                               const GError *error);
/* The folder watcher saw @paths change (requirements.txt: stale?). */
void     _iwb_window_env_folder_changed       (IwbWindow          *self,
                                               const char * const *paths);
/* For tests: the page of the Python Environment window (made on demand),
 * the header's text and tooltip, whether an offer is shown. */
IwbEnvironmentPage *_iwb_window_get_environment_page (IwbWindow *self);
const char *_iwb_window_env_get_header_text   (IwbWindow *self);
const char *_iwb_window_env_get_header_tooltip (IwbWindow *self);
gboolean _iwb_window_env_get_offer_visible    (IwbWindow *self);
IwbPyenv *_iwb_window_get_pyenv               (IwbWindow *self);
/* iwb-window-history.c: the run history, the History page, Run Again */
void       _iwb_window_history_init              (IwbWindow      *self);
void       _iwb_window_class_add_history_actions (GtkWidgetClass *widget_class);
GtkWidget *_iwb_window_ensure_history_page       (IwbWindow      *self);
void       _iwb_window_drop_history_page         (IwbWindow      *self);
/* iwb-window-http.c: "Replay" / "Recording" in the header bar */
void        _iwb_window_http_badge_init       (IwbWindow *self);
/* The badge's text, NULL while hidden (live). */
const char *_iwb_window_get_http_badge        (IwbWindow *self);

G_END_DECLS

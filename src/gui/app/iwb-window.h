/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "iwb-demo-service.h"
#include "iwb-gui-types.h"
#include "iwb-integration.h"
#include "iwb-session.h"

G_BEGIN_DECLS

#define IWB_TYPE_WINDOW (iwb_window_get_type ())
G_DECLARE_FINAL_TYPE (IwbWindow, iwb_window, IWB, WINDOW, AdwApplicationWindow)

/* @application: (nullable) an IwbApplication; the window reads the
 * application's settings itself and reaches the application only through
 * its actions (app.open-folder ...). */
IwbWindow         *iwb_window_new                   (IwbApplication *application);
void               iwb_window_open_folder           (IwbWindow      *self,
                                                     GFile          *folder);
void               iwb_window_reload                (IwbWindow      *self);
void               iwb_window_close_folder          (IwbWindow      *self);
GFile             *iwb_window_get_folder            (IwbWindow      *self);
/* The state of the opened integration: folder, descriptors, values, runs. */
IwbSession        *iwb_window_get_session           (IwbWindow      *self);
void               iwb_window_set_startup_request   (IwbWindow      *self,
                                                     const IwbStartupRequest *request);
/* "start", "loading", "error" or "integration". */
const char        *iwb_window_get_state             (IwbWindow      *self);
const char        *iwb_window_get_error_message     (IwbWindow      *self);
IwbIntegration    *iwb_window_get_integration       (IwbWindow      *self);
/* The descriptor the forms are built from (the platform descriptor of the
 * loaded integration, or one set with iwb_window_set_descriptor()). */
JsonNode          *iwb_window_get_descriptor        (IwbWindow      *self);
/* The platform descriptor built from the loaded metadata (connection
 * validations always get this one). */
JsonNode          *iwb_window_get_base_descriptor   (IwbWindow      *self);
/* Rebuilds the pages from @descriptor (e.g. an effective descriptor after
 * overrides), keeping every value typed so far. */
void               iwb_window_set_descriptor        (IwbWindow      *self,
                                                     JsonNode       *descriptor);
IwbConnectionPage *iwb_window_get_connection_page   (IwbWindow      *self);
IwbActionPage     *iwb_window_get_action_page       (IwbWindow      *self,
                                                     const char     *entrypoint_or_name);
/* "connection" or an action's entrypoint. */
void               iwb_window_show_page             (IwbWindow      *self,
                                                     const char     *name);
const char        *iwb_window_get_visible_page      (IwbWindow      *self);
void               iwb_window_add_toast             (IwbWindow      *self,
                                                     AdwToast       *toast);
/* The demo service started for this window (--demo, or the menu), or NULL. */
IwbDemoService    *iwb_window_get_demo_service      (IwbWindow      *self);
gboolean           iwb_window_start_demo            (IwbWindow      *self,
                                                     GError        **error);

G_END_DECLS

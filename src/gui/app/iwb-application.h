/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "iwb-gui-types.h"
#include "iwb-settings.h"

G_BEGIN_DECLS

#define IWB_TYPE_APPLICATION (iwb_application_get_type ())
G_DECLARE_FINAL_TYPE (IwbApplication, iwb_application, IWB, APPLICATION, AdwApplication)

IwbApplication *iwb_application_new              (void);
/* After g_application_run(): when a signal quit the app, die of it. */
void            iwb_application_exit_for_signal  (void);
GSettings      *iwb_application_get_settings     (IwbApplication *self);
GtkWindow      *iwb_application_open_folder      (IwbApplication *self,
                                                  GFile          *folder,
                                                  const IwbStartupRequest *request);

G_END_DECLS

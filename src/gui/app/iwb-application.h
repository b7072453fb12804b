/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define IWB_TYPE_APPLICATION (iwb_application_get_type ())
G_DECLARE_FINAL_TYPE (IwbApplication, iwb_application, IWB, APPLICATION, AdwApplication)

/* What a window does on its own once its folder is loaded: driven from the
 * command line (`--demo`, `--validate`, `--run ACTION`) so that a state can
 * be reached without clicks (screenshots, demos). */
typedef struct
{
  gboolean  demo;       /* start the demo service, fill its credentials */
  gboolean  validate;   /* validate the connection after loading */
  char     *run_action; /* name or entrypoint of an action to run */
  gboolean  show_overrides; /* open the descriptor changes once a validation applied overrides */
} IwbStartupRequest;

IwbApplication *iwb_application_new              (void);
GSettings      *iwb_application_get_settings     (IwbApplication *self);
GtkWindow      *iwb_application_open_folder      (IwbApplication *self,
                                                  GFile          *folder,
                                                  const IwbStartupRequest *request);

GSettings      *iwb_settings_new                 (void);

G_END_DECLS

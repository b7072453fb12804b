/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbEnvironmentPage: the integration's Python environment (IwbPyenv) for
 * people: where it is and what it is made from, its state (none, ready,
 * stale because requirements.txt changed, broken), "Create" / "Rebuild",
 * "Cancel", "Delete Environment" (confirmed) and "Open Folder"; while it is
 * being made, pip's output streams into a monospace view with a progress
 * bar, and a failure shows pip's own error lines.
 *
 * The package index settings of the preferences (pip-index-url,
 * pip-extra-index-url, pip-find-links, pip-proxy) apply to each creation;
 * empty ones leave pip's own configuration (PIP_*, pip.conf, HTTPS_PROXY)
 * in charge.
 *
 * Actions: env.create, env.cancel, env.delete (asks first), env.open-folder.
 * Signal "environment-changed": an environment was created or deleted, so
 * the integration's interpreter changed (the window reloads it).
 */
#pragma once

#include <adwaita.h>

#include "iwb-pyenv.h"

G_BEGIN_DECLS

#define IWB_TYPE_ENVIRONMENT_PAGE (iwb_environment_page_get_type ())
G_DECLARE_FINAL_TYPE (IwbEnvironmentPage, iwb_environment_page, IWB, ENVIRONMENT_PAGE, GtkWidget)

/* @settings: (nullable): the application's settings (package index). */
IwbEnvironmentPage *iwb_environment_page_new            (IwbPyenv           *env,
                                                         GSettings          *settings);
IwbPyenv           *iwb_environment_page_get_env        (IwbEnvironmentPage *self);
/* Same as env.create: (re)creates the environment with the preferences'
 * package index settings. */
void                iwb_environment_page_create         (IwbEnvironmentPage *self);
void                iwb_environment_page_cancel         (IwbEnvironmentPage *self);
/* Same as env.delete: asks first (iwb_environment_page_get_confirm_dialog). */
void                iwb_environment_page_delete         (IwbEnvironmentPage *self);
/* The confirmation of a delete while it is shown, else NULL. */
AdwMessageDialog   *iwb_environment_page_get_confirm_dialog (IwbEnvironmentPage *self);
/* For tests and the window: what the page shows. */
char               *iwb_environment_page_dup_output     (IwbEnvironmentPage *self);
const char         *iwb_environment_page_get_error      (IwbEnvironmentPage *self);
const char         *iwb_environment_page_get_status     (IwbEnvironmentPage *self);
const char         *iwb_environment_page_get_progress_text (IwbEnvironmentPage *self);
/* TRUE between a create or delete and its end (its callback ran). */
gboolean            iwb_environment_page_get_busy       (IwbEnvironmentPage *self);

G_END_DECLS

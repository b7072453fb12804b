/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "iwb-gui-types.h"
#include "iwb-param-form.h"
#include "iwb-rows-editor.h"
#include "iwb-run-view.h"
#include "iwb-session.h"

G_BEGIN_DECLS

#define IWB_TYPE_ACTION_PAGE (iwb_action_page_get_type ())
G_DECLARE_FINAL_TYPE (IwbActionPage, iwb_action_page, IWB, ACTION_PAGE, GtkWidget)

/* @action: one object of the descriptor's "actions"; values are kept in,
 * and runs created by, @session; the input rows start from the ones the
 * session kept for the action, else one row with a column per column
 * argument. @connection_form: (nullable) the connection page's form, whose
 * validity Run follows. The "running" property is TRUE while a run runs.
 * To show the connection page the page activates "win.show-page". */
IwbActionPage *iwb_action_page_new             (IwbSession    *session,
                                                JsonObject    *action,
                                                IwbParamForm  *connection_form);
const char    *iwb_action_page_get_entrypoint  (IwbActionPage *self);
const char    *iwb_action_page_get_name        (IwbActionPage *self);
IwbParamForm  *iwb_action_page_get_params_form (IwbActionPage *self);
IwbParamForm  *iwb_action_page_get_args_form   (IwbActionPage *self);
IwbRowsEditor *iwb_action_page_get_rows_editor (IwbActionPage *self);
IwbRunView    *iwb_action_page_get_run_view    (IwbActionPage *self);
/* Same as the page.run action: refuses (and focuses the first invalid row,
 * on the connection page if that is where it is) while an input is invalid. */
void           iwb_action_page_run             (IwbActionPage *self);
void           iwb_action_page_cancel          (IwbActionPage *self);
gboolean       iwb_action_page_get_running     (IwbActionPage *self);
/* Why Run is insensitive, or NULL. */
char          *iwb_action_page_dup_problem     (IwbActionPage *self);
/* The button that is visible in the Run/Cancel stack: "run" or "cancel". */
const char    *iwb_action_page_get_visible_button (IwbActionPage *self);
gboolean       iwb_action_page_get_run_sensitive  (IwbActionPage *self);

G_END_DECLS

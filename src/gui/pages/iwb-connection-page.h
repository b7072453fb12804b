/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "iwb-diagnose-view.h"
#include "iwb-gui-types.h"
#include "iwb-http-view.h"
#include "iwb-param-form.h"
#include "iwb-profile-selector.h"
#include "iwb-run.h"
#include "iwb-session.h"

G_BEGIN_DECLS

#define IWB_TYPE_CONNECTION_PAGE (iwb_connection_page_get_type ())
G_DECLARE_FINAL_TYPE (IwbConnectionPage, iwb_connection_page, IWB, CONNECTION_PAGE, GtkWidget)

/* @inputs: the descriptor's connection.inputs; values are kept in, and
 * validations created by, @session. The "busy" property is TRUE while a
 * validation runs. */
IwbConnectionPage *iwb_connection_page_new             (IwbSession        *session,
                                                        JsonArray         *inputs);
IwbParamForm      *iwb_connection_page_get_form        (IwbConnectionPage *self);
/* Same as the page.validate action: refuses (and focuses the first invalid
 * row) while the form is invalid. */
void               iwb_connection_page_validate        (IwbConnectionPage *self);
void               iwb_connection_page_cancel          (IwbConnectionPage *self);
gboolean           iwb_connection_page_get_busy        (IwbConnectionPage *self);
/* "none", "running", "valid", "invalid" or "failed". */
const char        *iwb_connection_page_get_result      (IwbConnectionPage *self);
const char        *iwb_connection_page_get_result_title   (IwbConnectionPage *self);
const char        *iwb_connection_page_get_result_details (IwbConnectionPage *self);
IwbRun            *iwb_connection_page_get_last_run    (IwbConnectionPage *self);
/* A note under the validation result (what the validator's dynamic
 * overrides did); @problem shows it as a warning. NULL removes it; a new
 * validation removes it too. */
void               iwb_connection_page_set_result_note (IwbConnectionPage *self,
                                                        const char        *note,
                                                        gboolean           problem);
const char        *iwb_connection_page_get_result_note (IwbConnectionPage *self);
/* The connection profile selector at the top of the form. */
IwbProfileSelector *iwb_connection_page_get_profile_selector (IwbConnectionPage *self);

/* HTTP (guihttp): the last validation's calls; "Diagnose" is offered when
 * it did not pass (the page.diagnose action). iwb_connection_page_diagnose()
 * opens the diagnosis window and starts its checks; the view is borrowed. */
IwbHttpView       *iwb_connection_page_get_http_view   (IwbConnectionPage *self);
gboolean           iwb_connection_page_get_can_diagnose (IwbConnectionPage *self);
/* Under a validation that did not pass: its first failing call and what
 * the answer means ("The failing call: GET /api/me → 401: the credentials
 * were rejected"), also selected in the calls' list; NULL otherwise. */
const char        *iwb_connection_page_get_failing_call (IwbConnectionPage *self);
IwbDiagnoseView   *iwb_connection_page_diagnose        (IwbConnectionPage *self);

G_END_DECLS

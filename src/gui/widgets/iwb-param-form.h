/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "iwb-field-value.h"
#include "iwb-gui-types.h"
#include "iwb-session.h"

G_BEGIN_DECLS

#define IWB_TYPE_PARAM_FORM (iwb_param_form_get_type ())
G_DECLARE_FINAL_TYPE (IwbParamForm, iwb_param_form, IWB, PARAM_FORM, GtkWidget)

/* @inputs: descriptor INPUT objects (connection.inputs, or an action's
 * instantiation.steps[0].inputs, possibly filtered); @session: (nullable)
 * the value store, shared by the forms of a window so values survive page
 * switches and reloads: the form starts from the texts typed in @scope,
 * and writes every field's text there (runs take their values from it). */
IwbParamForm  *iwb_param_form_new                   (JsonArray     *inputs,
                                                     const char    *scope,
                                                     IwbSession    *session);
GListModel    *iwb_param_form_get_fields            (IwbParamForm  *self);
guint          iwb_param_form_get_n_fields          (IwbParamForm  *self);
IwbFieldValue *iwb_param_form_get_field             (IwbParamForm  *self,
                                                     const char    *id);
GtkWidget     *iwb_param_form_get_row               (IwbParamForm  *self,
                                                     const char    *id);
GtkWidget     *iwb_param_form_get_editor            (IwbParamForm  *self,
                                                     const char    *id);
gboolean       iwb_param_form_get_valid             (IwbParamForm  *self);
char          *iwb_param_form_dup_problem           (IwbParamForm  *self);
/* Marks missing fields as errors too and focuses the first invalid row;
 * FALSE when there was none. */
gboolean       iwb_param_form_focus_first_invalid   (IwbParamForm  *self);
/* SDK validation errors (IwbFieldError*): shown on their rows. Returns
 * the number of errors that matched no row. */
guint          iwb_param_form_set_field_errors      (IwbParamForm  *self,
                                                     GPtrArray     *errors);
void           iwb_param_form_clear_field_errors    (IwbParamForm  *self);
/* Adds @widget (e.g. a "changed" marker) at the end of the row of input
 * @id. FALSE (and @widget is sunk and dropped) when there is no such row. */
gboolean       iwb_param_form_add_row_suffix        (IwbParamForm  *self,
                                                     const char    *id,
                                                     GtkWidget     *widget);
/* Columns offered by columnSelect rows. */
void           iwb_param_form_set_columns           (IwbParamForm  *self,
                                                     const char * const *columns);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define IWB_TYPE_FIELD_VALUE (iwb_field_value_get_type ())
G_DECLARE_FINAL_TYPE (IwbFieldValue, iwb_field_value, IWB, FIELD_VALUE, GObject)

IwbFieldValue *iwb_field_value_new               (JsonObject    *input);
JsonObject    *iwb_field_value_get_input         (IwbFieldValue *self);
const char    *iwb_field_value_get_id            (IwbFieldValue *self);
const char    *iwb_field_value_get_label         (IwbFieldValue *self);
const char    *iwb_field_value_get_description   (IwbFieldValue *self);
const char    *iwb_field_value_get_data_type     (IwbFieldValue *self);
const char    *iwb_field_value_get_input_type    (IwbFieldValue *self);
const char    *iwb_field_value_get_source        (IwbFieldValue *self);
gboolean       iwb_field_value_get_optional      (IwbFieldValue *self);
gboolean       iwb_field_value_is_secret         (IwbFieldValue *self);
gboolean       iwb_field_value_is_argument       (IwbFieldValue *self);
const char    *iwb_field_value_get_default_text  (IwbFieldValue *self);

const char    *iwb_field_value_get_text          (IwbFieldValue *self);
void           iwb_field_value_set_text          (IwbFieldValue *self,
                                                  const char    *text);
void           iwb_field_value_restore_default   (IwbFieldValue *self);
gboolean       iwb_field_value_get_is_default    (IwbFieldValue *self);

/* has-error: the text does not coerce to the data type (or the SDK said
 * so); missing: required and empty (no default to fall back to). */
gboolean       iwb_field_value_get_has_error     (IwbFieldValue *self);
gboolean       iwb_field_value_get_missing       (IwbFieldValue *self);
/* valid: not missing and the text coerces; an error of the SDK's (remote
 * error below) is shown as has-error but does not make it invalid, so the
 * same values can be validated again. */
gboolean       iwb_field_value_get_valid         (IwbFieldValue *self);
const char    *iwb_field_value_get_error_message (IwbFieldValue *self);
JsonNode      *iwb_field_value_get_value         (IwbFieldValue *self);
/* An error reported by the SDK's validation for this input; cleared as
 * soon as the text changes. NULL clears it. */
void           iwb_field_value_set_remote_error  (IwbFieldValue *self,
                                                  const char    *message);
const char    *iwb_field_value_get_remote_error  (IwbFieldValue *self);
/* A sentence for a tooltip: why the field blocks a run, or NULL. */
char          *iwb_field_value_dup_problem       (IwbFieldValue *self);

G_END_DECLS

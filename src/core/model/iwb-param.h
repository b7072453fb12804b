/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "iwb-types.h"

G_BEGIN_DECLS

/* Where the value of an input comes from when the action runs. */
typedef enum
{
  IWB_PARAM_SOURCE_CONNECTION, /* ConnectionParam: env var named by the id */
  IWB_PARAM_SOURCE_PARAM,      /* ActionParam: env var named by the id */
  IWB_PARAM_SOURCE_COLUMN,     /* function argument: `___<id>` holds a column name */
  IWB_PARAM_SOURCE_TEMPLATE,   /* JinjaTemplatedStr argument: `___<id>` holds template text */
} IwbParamSource;

#define IWB_TYPE_PARAM_SOURCE (iwb_param_source_get_type ())
GType          iwb_param_source_get_type     (void) G_GNUC_CONST;
const char    *iwb_param_source_to_string    (IwbParamSource  source);
gboolean       iwb_param_source_from_string  (const char     *str,
                                              IwbParamSource *out);

#define IWB_TYPE_PARAM (iwb_param_get_type ())
G_DECLARE_FINAL_TYPE (IwbParam, iwb_param, IWB, PARAM, GObject)

IwbParam      *iwb_param_new_from_json       (JsonObject     *object,
                                              IwbParamSource  source,
                                              GError        **error);
IwbParam      *iwb_param_new_from_input      (JsonObject     *input,
                                              GError        **error);
const char    *iwb_param_get_id              (IwbParam       *self);
const char    *iwb_param_get_label           (IwbParam       *self);
const char    *iwb_param_get_description     (IwbParam       *self);
const char    *iwb_param_get_data_type       (IwbParam       *self);
const char    *iwb_param_get_input_type      (IwbParam       *self);
gboolean       iwb_param_get_optional        (IwbParam       *self);
JsonNode      *iwb_param_get_default         (IwbParam       *self);
char          *iwb_param_dup_default_text    (IwbParam       *self);
JsonArray     *iwb_param_get_options         (IwbParam       *self);
IwbParamSource iwb_param_get_source          (IwbParam       *self);
gboolean       iwb_param_is_argument         (IwbParam       *self);
char          *iwb_param_dup_env_name        (IwbParam       *self);
JsonNode      *iwb_param_to_json             (IwbParam       *self);

G_END_DECLS

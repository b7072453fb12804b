/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "iwb-types.h"
#include "iwb-param.h"

G_BEGIN_DECLS

#define IWB_TYPE_ACTION (iwb_action_get_type ())
G_DECLARE_FINAL_TYPE (IwbAction, iwb_action, IWB, ACTION, GObject)

/* Made by the readers: iwb_metadata_parse_action () (the SDK metadata) and
 * iwb_descriptor_read_action () (a descriptor action, e.g. after overrides). */
IwbAction          *iwb_action_new_checked          (JsonNode    *entrypoint,
                                                     JsonNode    *name,
                                                     JsonNode    *description,
                                                     GError     **error);
void                iwb_action_append_input         (IwbAction   *self,
                                                     IwbParam    *param);
void                iwb_action_set_errors           (IwbAction   *self,
                                                     const char * const *errors);
const char         *iwb_action_get_name             (IwbAction   *self);
const char         *iwb_action_get_entrypoint       (IwbAction   *self);
const char         *iwb_action_get_description      (IwbAction   *self);
GListModel         *iwb_action_get_params           (IwbAction   *self);
GListModel         *iwb_action_get_args             (IwbAction   *self);
GListModel         *iwb_action_get_inputs           (IwbAction   *self);
IwbParam           *iwb_action_find_input           (IwbAction   *self,
                                                     const char  *id);
const char * const *iwb_action_get_errors           (IwbAction   *self);

G_END_DECLS

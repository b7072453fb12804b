/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "iwb-types.h"
#include "iwb-param.h"

G_BEGIN_DECLS

#define IWB_TYPE_ACTION (iwb_action_get_type ())
G_DECLARE_FINAL_TYPE (IwbAction, iwb_action, IWB, ACTION, GObject)

IwbAction          *iwb_action_new_from_json        (JsonObject  *object,
                                                     GError     **error);
IwbAction          *iwb_action_new_from_descriptor  (JsonObject  *object,
                                                     GError     **error);
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

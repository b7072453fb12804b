/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "iwb-types.h"
#include "iwb-integration.h"

G_BEGIN_DECLS

JsonNode *iwb_descriptor_build        (IwbIntegration *integration);
JsonNode *iwb_descriptor_build_action (IwbAction      *action);
char     *iwb_descriptor_to_string    (JsonNode       *descriptor,
                                       gboolean        pretty);

G_END_DECLS

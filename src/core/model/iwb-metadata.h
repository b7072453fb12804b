/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "iwb-types.h"
#include "iwb-integration.h"

G_BEGIN_DECLS

IwbIntegration *iwb_metadata_parse (const char  *json,
                                    GFile       *folder,
                                    GError     **error);
/* One action object of the metadata's "actions". */
IwbAction      *iwb_metadata_parse_action (JsonObject  *object,
                                           GError     **error);

G_END_DECLS

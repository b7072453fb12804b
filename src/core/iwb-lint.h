/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "iwb-types.h"
#include "iwb-integration.h"

G_BEGIN_DECLS

/* Static facts about an integration folder, gathered by a small Python `ast`
 * script run as a child (the integration's code is parsed, never imported). */
const char *iwb_lint_get_script (void);

/* Warnings the SDK does not give, from the metadata model and the facts
 * (JSON printed by the script). Returns (element-type IwbDiagnostic). */
GPtrArray  *iwb_lint_check      (IwbIntegration *integration,
                                 JsonObject     *facts);

G_END_DECLS

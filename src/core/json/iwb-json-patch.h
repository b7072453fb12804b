/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A small RFC 6902 JSON Patch applier (add, remove, replace, move, copy,
 * test) and RFC 6901 JSON pointers. Used to check iwb_json_diff_to_patch()
 * and by anyone who wants to replay a patch.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "iwb-json.h"

G_BEGIN_DECLS

JsonNode *iwb_json_patch_apply   (JsonNode    *document,
                                  JsonNode    *patch,
                                  GError     **error);
JsonNode *iwb_json_pointer_get   (JsonNode    *document,
                                  const char  *pointer,
                                  GError     **error);

G_END_DECLS

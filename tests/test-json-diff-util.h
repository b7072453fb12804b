/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by test-json-diff.c and test-json-diff-random.c. */
#pragma once

#include "iwb-core.h"

/* Diffs, checks the patch round trip both ways (apply(A, patch(A, B)) must
 * equal B, and back), checks neither input changed, and returns the changes. */
GPtrArray *diff_checked    (JsonNode          *a,
                            JsonNode          *b);
/* How many of @changes are of @kind. */
guint      diff_count_kind (GPtrArray         *changes,
                            IwbJsonChangeKind  kind);

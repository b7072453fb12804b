/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbDiffView's text: a descriptor pretty-printed with the line range of
 * each value the changes point at, and the changes' labels. */
#pragma once

#include <json-glib/json-glib.h>

#include "iwb-json-diff.h"

G_BEGIN_DECLS

typedef struct
{
  int first;   /* 0-based line of the value's first character (or its key) */
  int last;    /* 0-based line of its last character */
} LineRange;

/* Prints @doc; fills the LineRange of every RFC 6901 pointer in @wanted
 * (pointer -> LineRange*) it contains. */
char       *_iwb_diff_view_print_document (JsonNode          *doc,
                                           GHashTable        *wanted);
/* "Added", "Removed", "Moved", "Changed" (translated). */
const char *_iwb_diff_view_kind_label     (IwbJsonChangeKind  kind);
/* The style class of a change's kind. */
const char *_iwb_diff_view_kind_css       (IwbJsonChangeKind  kind);

G_END_DECLS

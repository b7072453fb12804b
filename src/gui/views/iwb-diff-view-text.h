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
/* The action a change lies in: its key (entrypoint, or "#INDEX") and the
 * length of the path prefix naming it; NULL outside the actions. */
char       *_iwb_diff_view_change_action_key (IwbJsonChange *change,
                                              gsize         *prefix_len);
/* The group title of the changes in action @key: its name (from @effective,
 * else @base), else @key; @description gets the entrypoint when the title
 * is the name, else NULL. */
char       *_iwb_diff_view_action_title   (JsonNode          *base,
                                           JsonNode          *effective,
                                           const char        *key,
                                           char             **description);
/* The group title of the changes outside any action: @name when given;
 * “Integration” when the documents are descriptors (an "actions" list);
 * else “@base_label → @effective_label”. */
char       *_iwb_diff_view_rest_title     (JsonNode          *base,
                                           JsonNode          *effective,
                                           const char        *name,
                                           const char        *base_label,
                                           const char        *effective_label);
/* The style class of a change's kind. */
const char *_iwb_diff_view_kind_css       (IwbJsonChangeKind  kind);

G_END_DECLS

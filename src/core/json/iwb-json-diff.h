/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Structural JSON diff (descriptor-and-overrides.md, section "Diffs").
 *
 * - objects are compared key by key;
 * - lists whose items are all objects carrying a unique scalar `id` (inputs)
 *   or `entrypoint` (actions) are matched by that key; reordered items are
 *   reported as MOVED (a minimal set, from a longest increasing subsequence);
 * - other lists are aligned by a longest common subsequence (linear-space
 *   Myers with a cost cap), unmatched items in a gap are paired by position
 *   (CHANGED), the excess is ADDED or REMOVED;
 * - any other pair of different values is CHANGED (a type change included).
 *
 * Every change carries a readable path such as
 * `actions[entrypoint=main.post].instantiation.steps[0].inputs[id=CHANNEL].options`,
 * JSON pointers into the old and the new document, and the RFC 6902 operation
 * that performs it; iwb_json_diff_to_patch() gives a patch that turns the old
 * document into the new one.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "iwb-json.h"
#include "iwb-json-tree.h"

G_BEGIN_DECLS

typedef enum
{
  IWB_JSON_CHANGE_ADDED,
  IWB_JSON_CHANGE_REMOVED,
  IWB_JSON_CHANGE_CHANGED,
  IWB_JSON_CHANGE_MOVED,
} IwbJsonChangeKind;

typedef enum
{
  IWB_JSON_SEGMENT_MEMBER, /* .name          — object member */
  IWB_JSON_SEGMENT_INDEX,  /* [3]            — list item matched by position */
  IWB_JSON_SEGMENT_KEYED,  /* [id=CHANNEL]   — list item matched by its key */
} IwbJsonSegmentKind;

/* One step of a change's path. Borrowed from the change. */
typedef struct
{
  IwbJsonSegmentKind  kind;
  const char         *name;      /* MEMBER: member name; KEYED: key name ("id", "entrypoint") */
  const char         *key_value; /* KEYED: the key's value as text; else NULL */
  int                 old_index; /* INDEX/KEYED: index in the old list, -1 if not there */
  int                 new_index; /* INDEX/KEYED: index in the new list, -1 if not there */
} IwbJsonSegment;

#define IWB_TYPE_JSON_CHANGE (iwb_json_change_get_type ())
G_DECLARE_FINAL_TYPE (IwbJsonChange, iwb_json_change, IWB, JSON_CHANGE, GObject)

IwbJsonChangeKind     iwb_json_change_get_kind         (IwbJsonChange *self);
const char           *iwb_json_change_get_path         (IwbJsonChange *self);
char                 *iwb_json_change_dup_old_pointer  (IwbJsonChange *self);
char                 *iwb_json_change_dup_new_pointer  (IwbJsonChange *self);
JsonNode             *iwb_json_change_get_old_value    (IwbJsonChange *self);
JsonNode             *iwb_json_change_get_new_value    (IwbJsonChange *self);
int                   iwb_json_change_get_from_index   (IwbJsonChange *self);
int                   iwb_json_change_get_to_index     (IwbJsonChange *self);
guint                 iwb_json_change_get_n_segments   (IwbJsonChange *self);
const IwbJsonSegment *iwb_json_change_get_segment      (IwbJsonChange *self,
                                                        guint          i);
JsonNode             *iwb_json_change_get_patch_op     (IwbJsonChange *self);

const char           *iwb_json_change_kind_to_string   (IwbJsonChangeKind kind);

GPtrArray            *iwb_json_diff                    (JsonNode      *old_node,
                                                        JsonNode      *new_node);
/* The same on two compact trees sharing their keys (iwb-json-tree.h): what
 * `iwb diff` uses, without JsonNode trees of the whole documents. */
GPtrArray            *iwb_json_diff_trees              (IwbJsonTree   *old_tree,
                                                        IwbJsonTree   *new_tree);

typedef enum
{
  IWB_JSON_DIFF_TEXT_NONE  = 0,
  IWB_JSON_DIFF_TEXT_COLOR = 1 << 0, /* ANSI colours for a terminal */
} IwbJsonDiffTextFlags;

char                 *iwb_json_diff_to_text            (GPtrArray     *changes,
                                                        IwbJsonDiffTextFlags flags);
JsonNode             *iwb_json_diff_to_json            (GPtrArray     *changes);
JsonNode             *iwb_json_diff_to_patch           (GPtrArray     *changes);

/* RFC 6901 escaping of one pointer token (~ and /). */
char                 *iwb_json_pointer_escape          (const char    *token);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Shared by iwb-json-diff.c (change objects, outputs) and
 * iwb-json-diff-walk.c (the walk over two compact trees).
 */
#pragma once

#include "iwb-json-diff.h"
#include "iwb-json-tree.h"

G_BEGIN_DECLS

struct _IwbJsonChange
{
  GObject            parent_instance;

  IwbJsonChangeKind  kind;
  char              *path;
  GArray            *segments;   /* IwbJsonSegment, strings owned */
  JsonNode          *old_value;
  JsonNode          *new_value;
  int                from_index;
  int                to_index;

  guint              seq;        /* position in the patch */
  const char        *op;         /* "add", "remove", "replace", "move" */
  char              *op_path;
  char              *op_from;
  JsonNode          *patch_op;   /* built on demand */
};

void iwb_json_diff_walk (IwbJsonTree *ta,
                         IwbJsonTree *tb,
                         GPtrArray   *changes);

G_END_DECLS

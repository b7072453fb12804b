/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbDiffView: what changed between two descriptors (base → effective after
 * dynamic overrides, or before → after a reload): the changes grouped by
 * action, each with its path, kind and old → new value, and a side-by-side
 * JSON view of both documents with the changed lines highlighted.
 * Action "diff.copy-patch" copies the changes as an RFC 6902 JSON Patch.
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define IWB_TYPE_DIFF_VIEW (iwb_diff_view_get_type ())
G_DECLARE_FINAL_TYPE (IwbDiffView, iwb_diff_view, IWB, DIFF_VIEW, GtkWidget)

GtkWidget     *iwb_diff_view_new                  (void);
/* Compares the two documents (references are kept; do not modify them
 * afterwards) and shows the result. @title: e.g. "Dynamic overrides". */
void           iwb_diff_view_set_documents        (IwbDiffView *self,
                                                   JsonNode    *base,
                                                   JsonNode    *effective,
                                                   const char  *title);
/* Captions of the two sides ("Base" / "Effective" by default; a reload
 * uses "Before" / "After"). */
void           iwb_diff_view_set_side_labels      (IwbDiffView *self,
                                                   const char  *base_label,
                                                   const char  *effective_label);
/* What the documents are: the title of the changes outside any action
 * (NULL: “Integration” for descriptors, else “BASE → EFFECTIVE” of the
 * side labels). Set before iwb_diff_view_set_documents (). */
void           iwb_diff_view_set_document_name    (IwbDiffView *self,
                                                   const char  *name);
const char    *iwb_diff_view_get_title            (IwbDiffView *self);
/* (element-type IwbJsonChange) (transfer none) */
GPtrArray     *iwb_diff_view_get_changes          (IwbDiffView *self);
guint          iwb_diff_view_get_n_changes        (IwbDiffView *self);
/* The summary line shown under the title. */
const char    *iwb_diff_view_get_summary          (IwbDiffView *self);
/* What "Copy as JSON Patch" puts on the clipboard. */
char          *iwb_diff_view_dup_patch_text       (IwbDiffView *self);
/* "changes" or "side-by-side". */
void           iwb_diff_view_set_visible_page     (IwbDiffView *self,
                                                   const char  *name);
/* The buffers of the side-by-side view; changed lines carry the tags
 * "iwb-diff-added", "iwb-diff-removed", "iwb-diff-changed", "iwb-diff-moved". */
GtkTextBuffer *iwb_diff_view_get_base_buffer      (IwbDiffView *self);
GtkTextBuffer *iwb_diff_view_get_effective_buffer (IwbDiffView *self);
/* The group boxes of the changes list, one per action (plus one for the
 * rest of the document), in order: AdwPreferencesGroup widgets. */
GPtrArray     *iwb_diff_view_dup_groups           (IwbDiffView *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The diff's list algorithms (iwb-json-diff-align.c), for the json/ folder. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets keep[i] for the members of a longest increasing subsequence of seq. */
void  iwb_json_mark_lis        (const int      *seq,
                                guint           n,
                                gboolean       *keep);

/* Fenwick tree over ranks: how many items sit before a position. */
typedef struct
{
  guint  n;
  int   *tree;
} IwbJsonFenwick;

void  iwb_json_fenwick_add     (IwbJsonFenwick *fw,
                                guint           pos,
                                int             delta);
int   iwb_json_fenwick_prefix  (IwbJsonFenwick *fw,
                                guint           pos);
int   iwb_json_compare_gint64  (gconstpointer   a,
                                gconstpointer   b);
/* The position of @label in the sorted @labels. */
guint iwb_json_label_rank      (const gint64   *labels,
                                guint           n,
                                gint64          label);

typedef struct
{
  int i;
  int j;
} IwbJsonMatch;

/* Appends to @matches (IwbJsonMatch, ascending) the matched pairs of an
 * alignment of a[0..n) and b[0..m) (equal integers match). */
void  iwb_json_align           (const int      *a,
                                int             n,
                                const int      *b,
                                int             m,
                                GArray         *matches);

G_END_DECLS

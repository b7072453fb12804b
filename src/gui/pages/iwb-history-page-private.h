/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbHistoryPage's state, shared by iwb-history-page.c (listing, the shown
 * entry) and iwb-history-page-compare.c (Compare…). */
#pragma once

#include "iwb-history-page.h"

G_BEGIN_DECLS

struct _IwbHistoryPage
{
  GtkWidget            parent_instance;

  IwbSession          *session;
  GtkWidget           *paned;
  GtkWidget           *search_entry;
  GtkWidget           *status_dropdown;
  GtkWidget           *count_label;
  GtkWidget           *list_stack;
  GtkWidget           *empty_page;
  GtkWidget           *list_view;
  GtkWidget           *detail_stack;
  GtkWidget           *run_view;        /* created when first needed */
  GtkWidget           *detail_box;
  GtkWidget           *detail_title;
  GtkWidget           *detail_subtitle;
  GtkWidget           *baseline_button;
  GtkWidget           *compare_button;
  GListStore          *entries;
  GtkSingleSelection  *selection;

  char                *search;
  char                *status;
  gint64               total;
  gboolean             loading;         /* until the whole page is in entries */
  GPtrArray           *rest;            /* listed entries not in the model yet */
  guint                rest_source;
  gboolean             pinning;          /* Set as Baseline in progress */
  gboolean             stale;            /* runs were recorded while unmapped */
  gboolean             reading;
  GCancellable        *list_cancellable;
  GCancellable        *show_cancellable;
  IwbHistoryReplay    *shown;
  IwbHistoryComparison *comparison;
  GtkWidget           *diff_window;
};

const char *_iwb_history_page_status_icon    (const char     *status);
const char *_iwb_history_page_status_words   (const char     *status);
/* "5 minutes ago"-style; *absolute (nullable) gets the full date. */
char       *_iwb_history_page_relative_time  (gint64          started_ms,
                                              char          **absolute);
void        _iwb_history_page_emit_compared  (IwbHistoryPage *self);
void        _iwb_history_page_compare_clicked (IwbHistoryPage *self);

G_END_DECLS

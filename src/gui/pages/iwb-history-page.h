/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "iwb-history.h"
#include "iwb-run-view.h"
#include "iwb-session.h"

G_BEGIN_DECLS

#define IWB_TYPE_HISTORY_PAGE (iwb_history_page_get_type ())
G_DECLARE_FINAL_TYPE (IwbHistoryPage, iwb_history_page, IWB, HISTORY_PAGE, GtkWidget)

/* The runs of @session's integration in its history, newest first, a page
 * of entries at a time (more as the list scrolls to its end); a search
 * entry (action, profile, parameter values) and a status filter, both SQL.
 * Selecting an entry shows it read-only in a run view. Its buttons: Run
 * Again (activates "win.history-run-again" with the entry's id), Compare…
 * and Set as Baseline. */
IwbHistoryPage *iwb_history_page_new            (IwbSession     *session);
/* Lists again from the first page. */
void            iwb_history_page_refresh        (IwbHistoryPage *self);
void            iwb_history_page_set_search     (IwbHistoryPage *self,
                                                 const char     *text);
/* NULL: every status; else a status text ("succeeded", ...). */
void            iwb_history_page_set_status     (IwbHistoryPage *self,
                                                 const char     *status);
/* IwbHistoryEntry items listed so far. */
GListModel     *iwb_history_page_get_entries    (IwbHistoryPage *self);
/* Entries in the whole listing (-1 before the first page came). */
gint64          iwb_history_page_get_total      (IwbHistoryPage *self);
/* TRUE while a page or an entry is being read, or a baseline set. */
gboolean        iwb_history_page_get_busy       (IwbHistoryPage *self);
void            iwb_history_page_select         (IwbHistoryPage *self,
                                                 guint           position);
/* The entry shown in the run view (with its details), or NULL. */
IwbHistoryEntry *iwb_history_page_get_shown     (IwbHistoryPage *self);
IwbRunView     *iwb_history_page_get_run_view   (IwbHistoryPage *self);
/* Compares the shown entry with @other_id in the diff window; the
 * comparison (for tests) once "compared" was emitted. */
void            iwb_history_page_compare        (IwbHistoryPage *self,
                                                 gint64          other_id);
/* Compares two runs (older first) in the diff window. */
void            iwb_history_page_compare_ids    (IwbHistoryPage *self,
                                                 gint64          a,
                                                 gint64          b);
const IwbHistoryComparison *iwb_history_page_get_comparison (IwbHistoryPage *self);
/* The Run Again button: emits "run-again" (IwbHistoryEntry*, GPtrArray *inputs). */
void            iwb_history_page_run_again      (IwbHistoryPage *self);
/* Set as Baseline (in a worker thread; "busy" until done, then lists again). */
void            iwb_history_page_set_baseline   (IwbHistoryPage *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "iwb-history.h"
#include "iwb-http-view.h"
#include "iwb-run.h"

G_BEGIN_DECLS

#define IWB_TYPE_RUN_VIEW (iwb_run_view_get_type ())
G_DECLARE_FINAL_TYPE (IwbRunView, iwb_run_view, IWB, RUN_VIEW, GtkWidget)

IwbRunView    *iwb_run_view_new               (void);
/* Shows @run from now on: clears the view and follows its events. @rows
 * (nullable, JsonObject*) are the input rows, to link results to them. */
void           iwb_run_view_attach            (IwbRunView  *self,
                                               IwbRun      *run,
                                               GPtrArray   *rows);
void           iwb_run_view_clear             (IwbRunView  *self);
IwbRun        *iwb_run_view_get_run           (IwbRunView  *self);
/* IwbRunEvent items: RESULT and ROW_ERROR, in arrival order. */
GListModel    *iwb_run_view_get_results       (IwbRunView  *self);
/* IwbRunEvent items: LOG lines. */
GListModel    *iwb_run_view_get_log           (IwbRunView  *self);
/* IwbRunEvent items: FILE. */
GListModel    *iwb_run_view_get_files         (IwbRunView  *self);
GtkColumnView *iwb_run_view_get_results_view  (IwbRunView  *self);
/* Column titles of the results table, in order. */
GStrv          iwb_run_view_dup_result_columns (IwbRunView *self);
/* Events received but not yet in the models (they are added on idle). */
guint          iwb_run_view_get_n_pending     (IwbRunView  *self);
gboolean       iwb_run_view_get_finished      (IwbRunView  *self);
const char    *iwb_run_view_get_status_text   (IwbRunView  *self);
/* The text of the JSON tab (the first results, pretty printed). */
char          *iwb_run_view_dup_json_text     (IwbRunView  *self);
/* The HTTP tab's view: the calls the run made. */
IwbHttpView   *iwb_run_view_get_http_view     (IwbRunView  *self);
/* Shows the HTTP tab, and selects its first call once it is there. */
void           iwb_run_view_show_http         (IwbRunView  *self);
/* The visible tab: "results", "json", "log", "http" or "files". */
void           iwb_run_view_set_visible_tab   (IwbRunView  *self,
                                               const char  *name);
void           iwb_run_view_set_elapsed       (IwbRunView  *self,
                                               gint64       elapsed_us);

/* -- a recorded run (iwb-run-view-history.c): shows @replay's events as a
 * live run's, read-only (nothing is attached). */
void           iwb_run_view_show_replay       (IwbRunView       *self,
                                               IwbHistoryReplay *replay);
/* A note under the status ("Same as baseline" / "N rows differ from the
 * baseline", a warning when @differs) whose button activates
 * "history.compare((xx))" with @baseline_id and @run_id. Hidden by
 * iwb_run_view_clear() (a new run). */
void           iwb_run_view_set_baseline_note (IwbRunView       *self,
                                               const char       *text,
                                               gboolean          differs,
                                               gint64            baseline_id,
                                               gint64            run_id);
/* The note's text, or NULL when none is shown. */
const char    *iwb_run_view_get_baseline_note (IwbRunView       *self);

G_END_DECLS

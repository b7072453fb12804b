/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbRunView's state, shared by iwb-run-view.c (events, status, tabs) and
 * iwb-run-view-columns.c (the results table's and the log's columns). */
#pragma once

#include "iwb-frame-work.h"
#include "iwb-run-view.h"

G_BEGIN_DECLS

/* iwb-run-view-list.c: an append-only list model of IwbRunEvent */
#define IWB_TYPE_RUN_VIEW_LIST (iwb_run_view_list_get_type ())
G_DECLARE_FINAL_TYPE (IwbRunViewList, iwb_run_view_list, IWB, RUN_VIEW_LIST, GObject)

IwbRunViewList *_iwb_run_view_list_new    (void);
/* Appends (references) @n events, with one "items-changed". */
void            _iwb_run_view_list_append (IwbRunViewList *self,
                                           gpointer       *items,
                                           guint           n);
/* Empties the list (one "items-changed") and returns what it held: the
 * caller releases it. */
GPtrArray      *_iwb_run_view_list_steal  (IwbRunViewList *self);
/* Removes [@position, @position + @n) (one "items-changed") and appends
 * the events, with their references, to @out. */
void            _iwb_run_view_list_take   (IwbRunViewList *self,
                                           guint           position,
                                           guint           n,
                                           GPtrArray      *out);

struct _IwbRunView
{
  GtkWidget       parent_instance;

  GtkWidget      *box;
  GtkWidget      *status_icon;
  GtkWidget      *status_spinner;
  GtkWidget      *status_label;
  GtkWidget      *details_label;
  GtkWidget      *issues_revealer;
  GtkWidget      *issues_label;
  AdwViewStack   *stack;
  GtkWidget      *results_view;
  GtkWidget      *results_stack;
  GtkWidget      *json_scrolled;
  GtkWidget      *json_view;
  GtkWidget      *log_view;
  GtkWidget      *files_list;
  GtkWidget      *files_stack;
  GtkWidget      *http_view;      /* the HTTP tab (iwb-run-view-http.c) */
  AdwViewStackPage *http_page;

  IwbRun         *run;
  gulong          event_handler;
  IwbRunViewList *results;        /* this run's results and log lines... */
  IwbRunViewList *log;
  IwbRunViewList *shown_results;  /* ...and what the tables show: the same
                                   * events, or the last run's while they drain */
  IwbRunViewList *shown_log;
  GHashTable     *bound_results;  /* GtkListItem* of the first column's cells that
                                   * show an item: the rows GTK made widgets for */
  GHashTable     *bound_log;
  gboolean        draining;
  guint           drain_chunk;    /* rows taken out of a shown list at a time */
  GListStore     *files;
  GPtrArray      *pending_results;
  GPtrArray      *pending_log;
  IwbFrameWork    work;           /* iwb-run-view-work.c */
  GPtrArray      *released;       /* events of cleared runs, unreferenced in slices */
  guint           release_source;
  guint           results_batch;  /* items of the next splice (iwb-run-view.c) */
  guint           log_batch;
  GPtrArray      *columns;        /* char*: keys shown as columns */
  gboolean        error_column;
  guint           sampled;
  GPtrArray      *rows_owner;     /* holds the rows row_index and row_text borrow */
  GHashTable     *row_index;      /* input row JsonObject -> its number (1-based) */
  GHashTable     *row_text;       /* input row JsonObject -> its compact JSON, for tooltips */
  GPtrArray      *needles;        /* forms of the run's secrets (iwb-redact.h), or NULL */
  guint64         n_results;
  guint64         n_errors;
  guint64         rows_in;
  gboolean        finished;
  gboolean        json_dirty;
  char           *status_text;
  char           *issues_text;
};

/* @text (taken) with the forms of the run's secrets masked. */
char *_iwb_run_view_redact           (IwbRunView  *self,
                                      char        *text);
/* The 1-based number of @event's input row, or 0. */
guint _iwb_run_view_input_row_number (IwbRunView  *self,
                                      IwbRunEvent *event);
/* Columns from the keys of the first results (and "Error" for row errors). */
void  _iwb_run_view_sample_columns   (IwbRunView  *self,
                                      IwbRunEvent *event);
void  _iwb_run_view_add_input_column (IwbRunView  *self);
void  _iwb_run_view_add_log_columns  (IwbRunView  *self);

/* iwb-run-view-work.c: the view's work between frames (taking in queued
 * events, letting go of the last run) */
void     _iwb_run_view_work_init      (IwbRunView  *self);
void     _iwb_run_view_work_dispose   (IwbRunView  *self);
void     _iwb_run_view_work_finalize  (IwbRunView  *self);
void     _iwb_run_view_schedule_work  (IwbRunView  *self);
/* Empties the run's lists, and the shown ones a slice of rows at a time;
 * _iwb_run_view_drained() when done. */
void     _iwb_run_view_drain_start    (IwbRunView  *self);
gboolean _iwb_run_view_is_draining    (IwbRunView  *self);
/* Unreferences @events (taken) a slice at a time. */
void     _iwb_run_view_release_later  (IwbRunView  *self,
                                       GPtrArray   *events);
/* iwb-run-view.c: the tables show this run's lists again... */
void     _iwb_run_view_drained        (IwbRunView  *self);
/* ...and take in queued events until @deadline: TRUE while some are left. */
gboolean _iwb_run_view_flush_some     (IwbRunView  *self,
                                       gint64       deadline);

/* An event as if the attached run gave it (iwb-run-view-history.c). */
void  _iwb_run_view_handle_event     (IwbRunView  *self,
                                      IwbRunEvent *event);
void  _iwb_run_view_hide_baseline_note (IwbRunView *self);
/* iwb-run-view-http.c: the HTTP tab */
void  _iwb_run_view_http_init        (IwbRunView  *self);
void  _iwb_run_view_http_attach      (IwbRunView  *self,
                                      IwbRun      *run);
void  _iwb_run_view_http_clear       (IwbRunView  *self);
void  _iwb_run_view_http_add         (IwbRunView      *self,
                                      IwbHttpExchange *exchange);
/* The ids of the secret inputs of the connection and of @entrypoint's action. */
char **_iwb_run_view_secret_ids      (JsonNode    *descriptor,
                                      const char  *entrypoint);

/* Numbers the input rows @rows (nullable) for the table and keeps their
 * texts for tooltips; holds the array, never a row (their counts are not
 * atomic, and a run's thread makes events that borrow them). */
void _iwb_run_view_index_rows (IwbRunView *self,
                               GPtrArray  *rows);

G_END_DECLS

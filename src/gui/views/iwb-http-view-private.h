/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbHttpView's state, shared by iwb-http-view.c (the table, batches,
 * actions) and iwb-http-view-detail.c (the detail pane). */
#pragma once

#include "iwb-frame-work.h"
#include "iwb-http-view.h"

G_BEGIN_DECLS

typedef struct
{
  GtkWidget *box;
  GtkWidget *note;     /* "No body", binary, truncated */
  GtkWidget *scrolled;
  GtkWidget *source;   /* GtkSourceView, read-only */
  char      *note_text;
  gboolean   shown;    /* the source view shows a body */
} IwbHttpBodyPane;

struct _IwbHttpView
{
  GtkWidget        parent_instance;

  /* template */
  GtkWidget       *stack;
  GtkWidget       *paned;
  GtkWidget       *count_label;
  GtkWidget       *list_view;
  GtkWidget       *detail_stack;
  GtkWidget       *detail_title;
  GtkWidget       *detail_status;
  GtkWidget       *detail_error;
  GtkWidget       *request_headers;
  GtkWidget       *response_headers;
  GtkWidget       *request_body_bin;
  GtkWidget       *response_body_bin;

  GListStore      *exchanges;
  GtkSingleSelection *selection;
  GPtrArray       *pending;
  IwbFrameWork     flush;          /* the queued exchanges into the list */
  GHashTable      *waterfalls;  /* bound IwbHttpWaterfall* (a set) */
  gint64           origin_us;   /* the start of the first call */
  double           span_ms;     /* to the end of the last one */
  GStrv            secret_names;
  IwbHttpBodyPane  bodies[2];
  char            *status_text;
  char            *error_text;
  int              split_width;  /* the width the split was last set for */
};

/* iwb-http-view-detail.c */
void _iwb_http_view_detail_init  (IwbHttpView     *self);
void _iwb_http_view_detail_show  (IwbHttpView     *self,
                                  IwbHttpExchange *exchange);
void _iwb_http_view_detail_clear (IwbHttpView     *self);

G_END_DECLS

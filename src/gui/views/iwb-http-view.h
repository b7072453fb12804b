/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbHttpView: the HTTP calls of one run or validation, as the integration
 * made them (captured in its child, secrets already redacted): a table with
 * method, status, host, path, duration, a waterfall bar and size; a detail
 * pane with the headers and the bodies; "Copy as cURL" and "Export HAR…".
 */
#pragma once

#include <adwaita.h>

#include "iwb-http-exchange.h"

G_BEGIN_DECLS

#define IWB_TYPE_HTTP_VIEW (iwb_http_view_get_type ())
G_DECLARE_FINAL_TYPE (IwbHttpView, iwb_http_view, IWB, HTTP_VIEW, GtkWidget)

GtkWidget       *iwb_http_view_new              (void);
void             iwb_http_view_clear            (IwbHttpView        *self);
/* Queues @exchange: exchanges reach the table in batches from an idle, so
 * a run making thousands of calls never stalls the window. */
void             iwb_http_view_add              (IwbHttpView        *self,
                                                 IwbHttpExchange    *exchange);
/* IwbHttpExchange items shown (the queued ones not yet). */
GListModel      *iwb_http_view_get_exchanges    (IwbHttpView        *self);
/* Shown and queued: also the "n-exchanges" property (notified per batch). */
guint            iwb_http_view_get_n_exchanges  (IwbHttpView        *self);
guint            iwb_http_view_get_n_pending    (IwbHttpView        *self);
/* The ids of the integration's secret parameters: "Copy as cURL" names
 * its variables after them. */
void             iwb_http_view_set_secret_names (IwbHttpView        *self,
                                                 const char * const *names);
/* The list above the detail (narrow places) instead of beside it. */
void             iwb_http_view_set_vertical     (IwbHttpView        *self,
                                                 gboolean            vertical);
void             iwb_http_view_select           (IwbHttpView        *self,
                                                 guint               position);
IwbHttpExchange *iwb_http_view_get_selected     (IwbHttpView        *self);
/* The selected call as a curl command line (what "Copy as cURL" copies). */
char            *iwb_http_view_dup_curl         (IwbHttpView        *self);
/* What the detail pane shows for the selected call, for tests: the body
 * text (NULL when none is shown) and the note above it ("No body",
 * "N bytes of binary data", "Showing the first…"; NULL when none). */
char            *iwb_http_view_dup_body_text    (IwbHttpView        *self,
                                                 IwbHttpPart         part);
const char      *iwb_http_view_get_body_note    (IwbHttpView        *self,
                                                 IwbHttpPart         part);
/* The detail's summary line ("200 OK · 12 ms…") and error text (NULL). */
const char      *iwb_http_view_get_detail_status (IwbHttpView       *self);
const char      *iwb_http_view_get_detail_error (IwbHttpView        *self);

/* The status column's text of @exchange ("200", "Refused"…) and its style
 * class ("success", "accent", "warning", "error" or "dim-label"). */
char            *iwb_http_status_text           (IwbHttpExchange    *exchange,
                                                 const char        **style_class);
/* What went wrong with a failed call, in plain words (NULL: it did not fail). */
char            *iwb_http_error_text            (IwbHttpExchange    *exchange);

G_END_DECLS

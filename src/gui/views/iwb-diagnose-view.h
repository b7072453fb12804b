/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbDiagnoseView: why a connection fails, layer by layer. One group per
 * checked URL (IwbDiagnose: proxy, name resolution, TCP, TLS, HTTP status),
 * each layer a row passed / failed with the reason / not reached, and a
 * last group with the validator's own failing call from the capture.
 */
#pragma once

#include <adwaita.h>

#include "iwb-diagnose.h"
#include "iwb-http-exchange.h"

G_BEGIN_DECLS

#define IWB_TYPE_DIAGNOSE_VIEW (iwb_diagnose_view_get_type ())
G_DECLARE_FINAL_TYPE (IwbDiagnoseView, iwb_diagnose_view, IWB, DIAGNOSE_VIEW, GtkWidget)

IwbDiagnoseView *iwb_diagnose_view_new            (void);
/* A URL to check (the view runs it with iwb_diagnose_view_start()). */
void             iwb_diagnose_view_add            (IwbDiagnoseView  *self,
                                                   IwbDiagnose      *diagnose);
/* The validation's captured calls: the last failing one is shown (and
 * said when none failed or none was made). @exchanges: nullable. */
void             iwb_diagnose_view_set_calls      (IwbDiagnoseView  *self,
                                                   GListModel       *exchanges);
/* Starts every check; "finished" notifies when all are done. */
void             iwb_diagnose_view_start          (IwbDiagnoseView  *self);
void             iwb_diagnose_view_cancel         (IwbDiagnoseView  *self);
gboolean         iwb_diagnose_view_get_finished   (IwbDiagnoseView  *self);
guint            iwb_diagnose_view_get_n_checks   (IwbDiagnoseView  *self);
IwbDiagnose     *iwb_diagnose_view_get_check      (IwbDiagnoseView  *self,
                                                   guint             index);
/* The text of the failing-call row ("GET /api/me → 401: …"). */
const char      *iwb_diagnose_view_get_call_text  (IwbDiagnoseView  *self);
/* The row of @layer of check @index, for tests: its title and subtitle. */
GtkWidget       *iwb_diagnose_view_get_layer_row  (IwbDiagnoseView  *self,
                                                   guint             index,
                                                   IwbDiagnoseLayer  layer);

/* What an HTTP status means for a validator's call, in plain words. */
const char      *iwb_http_status_meaning          (guint             status);
/* "GET /api/me → 401 Unauthorized: the credentials were rejected". */
char            *iwb_http_exchange_describe_failure (IwbHttpExchange *exchange);

/* A window around @view, transient for @parent, with a header bar. */
GtkWindow       *iwb_diagnose_view_new_window     (IwbDiagnoseView  *view,
                                                   GtkWindow        *parent);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Connection page's HTTP part (iwb-connection-page-http.c): the
 * validation's calls in an IwbHttpView and the "Diagnose" button, shown
 * under the validation result. Internal to the page. */
#pragma once

#include "iwb-diagnose-view.h"
#include "iwb-http-view.h"
#include "iwb-param-form.h"
#include "iwb-run.h"
#include "iwb-session.h"

G_BEGIN_DECLS

typedef struct _IwbConnectionHttp IwbConnectionHttp;

/* Builds the widgets and puts them after @after (in the result box). */
/* @page: the Connection page (a GtkWidget, so that this part does not
 * include the page's header), @form: its form. */
IwbConnectionHttp *_iwb_connection_http_new      (GtkWidget         *page,
                                                  IwbParamForm      *form,
                                                  IwbSession        *session,
                                                  GtkWidget         *after);
/* The HTTP Traffic group (live / record / replay), after @after. */
void               _iwb_connection_http_add_mode_group (IwbConnectionHttp *http,
                                                        GtkWidget         *after);
void               _iwb_connection_http_free     (IwbConnectionHttp *http);
/* A validation starts: its calls replace the last one's. */
void               _iwb_connection_http_started  (IwbConnectionHttp *http,
                                                  IwbRun            *run);
void               _iwb_connection_http_add      (IwbConnectionHttp *http,
                                                  IwbHttpExchange   *exchange);
/* The validation ended with @result ("valid", "invalid", "failed"):
 * Diagnose is offered unless it is valid. */
void               _iwb_connection_http_finished (IwbConnectionHttp *http,
                                                  const char        *result);
IwbHttpView       *_iwb_connection_http_get_view (IwbConnectionHttp *http);
gboolean           _iwb_connection_http_get_can_diagnose (IwbConnectionHttp *http);
/* "The failing call: GET /path → 401: …" shown under a validation that did
 * not pass, or NULL. */
const char        *_iwb_connection_http_get_failing_call (IwbConnectionHttp *http);
IwbDiagnoseView   *_iwb_connection_http_diagnose (IwbConnectionHttp *http);

G_END_DECLS

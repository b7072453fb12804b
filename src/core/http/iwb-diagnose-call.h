/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The last layer of a diagnosis: the connection validator's own failing
 * call, from the capture of a validation run (iwb_run_get_exchanges()), in
 * plain words: "GET /api/me → 401: the credentials were rejected". Used by
 * `iwb diagnose` and the window's Diagnose button alike.
 */
#pragma once

#include <gio/gio.h>

#include "iwb-http-exchange.h"

G_BEGIN_DECLS

/* The first exchange of @exchanges (IwbHttpExchange items) that failed: no
 * response (refused, DNS, TLS, timeout...) or a status of 400 or more.
 * NULL when every call succeeded (or there was none). Transfer full. */
IwbHttpExchange *iwb_diagnose_find_failing_call (GListModel      *exchanges);
/* "GET /api/me → 401: the credentials were rejected" (the path, not the
 * whole URL: the host is in the diagnosis above). Transfer full. */
char            *iwb_diagnose_describe_call     (IwbHttpExchange *exchange);
/* What a status means for a connection, in plain words ("the credentials
 * were rejected"), or NULL for a status that is not an error. */
const char      *iwb_diagnose_status_meaning    (guint            status);
/* The distinct "scheme://host:port/" of the calls, in order of first call
 * (NULL-terminated): the hosts the validator called, to diagnose too. */
char           **iwb_diagnose_called_bases      (GListModel      *exchanges);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * HAR 1.2 (HTTP Archive) export of captured exchanges: what browsers'
 * developer tools and API clients import. Failed calls are entries with
 * status 0 and an "_error" member (as browsers write them).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "iwb-http-exchange.h"

G_BEGIN_DECLS

/* @exchanges: IwbHttpExchange items, in any order (entries are sorted by
 * start time). Returns the whole document {"log": {...}}. */
JsonNode *iwb_har_build      (GListModel  *exchanges);
/* Writes the HAR of @exchanges to @path atomically (pretty-printed). */
gboolean  iwb_har_write_file (GListModel  *exchanges,
                              const char  *path,
                              GError     **error);
/* The same, written on a thread: a FIFO or a slow disk never holds up the
 * caller's loop. The document is made at once, on the caller's thread
 * (the exchanges are not read elsewhere). */
void      iwb_har_write_file_async  (GListModel          *exchanges,
                                     const char          *path,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean  iwb_har_write_file_finish (GAsyncResult        *result,
                                     GError             **error);

G_END_DECLS

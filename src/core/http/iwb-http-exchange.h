/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One HTTP exchange captured inside an integration's child (python/iwb_host),
 * parsed from its event line: {"event": "http", "method", "url", "request",
 * "response", "timings", "error", ...} (the format: python/iwb_host/__init__.py).
 * Secrets are already redacted by the child. Immutable once parsed.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  IWB_HTTP_PART_REQUEST,
  IWB_HTTP_PART_RESPONSE,
} IwbHttpPart;

/* Milliseconds; iwb_http_exchange_get_timing() returns -1 when unknown.
 * DNS, CONNECT (TCP only) and TLS are known for a new connection only;
 * SENT, FIRST_BYTE and TOTAL count from the start of the exchange. */
typedef enum
{
  IWB_HTTP_TIMING_DNS,
  IWB_HTTP_TIMING_CONNECT,
  IWB_HTTP_TIMING_TLS,
  IWB_HTTP_TIMING_SENT,
  IWB_HTTP_TIMING_FIRST_BYTE,
  IWB_HTTP_TIMING_TOTAL,
  IWB_HTTP_TIMING_N,
} IwbHttpTiming;

#define IWB_TYPE_HTTP_EXCHANGE (iwb_http_exchange_get_type ())
G_DECLARE_FINAL_TYPE (IwbHttpExchange, iwb_http_exchange, IWB, HTTP_EXCHANGE, GObject)

/* @event: the parsed event object. IWB_ERROR_INVALID_JSON when it is not an
 * HTTP event, saying which member is missing or wrong. */
IwbHttpExchange *iwb_http_exchange_new_from_json   (JsonNode         *event,
                                                    GError          **error);
/* One line of the events channel (without or with its newline). */
IwbHttpExchange *iwb_http_exchange_new_from_line   (const char       *line,
                                                    gssize            length,
                                                    GError          **error);
/* The event as it came (for history entries); owned by the exchange. */
JsonNode        *iwb_http_exchange_get_json        (IwbHttpExchange  *self);

/* The event on one line (compact JSON as the child sent it, or made
 * compact when it spanned lines), owned by the exchange: what JSON Lines
 * output and the history store without a second serialization. */
const char      *iwb_http_exchange_get_line        (IwbHttpExchange  *self,
                                                    gsize            *length);
/* FALSE when the event holds NaN or an infinity (not JSON to most readers). */
gboolean         iwb_http_exchange_get_finite      (IwbHttpExchange  *self);

gint64           iwb_http_exchange_get_id          (IwbHttpExchange  *self);
/* NULL when the connection failed before the request was written and the
 * library gave no method (plain http.client). */
const char      *iwb_http_exchange_get_method      (IwbHttpExchange  *self);
const char      *iwb_http_exchange_get_url         (IwbHttpExchange  *self);
const char      *iwb_http_exchange_get_host        (IwbHttpExchange  *self);
/* Path and query ("/api/x?y=1"). */
const char      *iwb_http_exchange_get_path        (IwbHttpExchange  *self);
const char      *iwb_http_exchange_get_http_version (IwbHttpExchange *self);
/* UTC; never NULL. */
GDateTime       *iwb_http_exchange_get_started     (IwbHttpExchange  *self);
const char      *iwb_http_exchange_get_thread      (IwbHttpExchange  *self);
gboolean         iwb_http_exchange_get_replayed    (IwbHttpExchange  *self);
gboolean         iwb_http_exchange_get_reused_connection (IwbHttpExchange *self);
double           iwb_http_exchange_get_timing      (IwbHttpExchange  *self,
                                                    IwbHttpTiming     timing);

/* 0 when no response came (see the error). */
guint            iwb_http_exchange_get_status      (IwbHttpExchange  *self);
const char      *iwb_http_exchange_get_reason      (IwbHttpExchange  *self);
/* NULL when the exchange did not fail; else "refused", "dns", "timeout",
 * "certificate", "tls", "reset", "closed", "not_recorded" or "error". */
const char      *iwb_http_exchange_get_error_kind  (IwbHttpExchange  *self);
const char      *iwb_http_exchange_get_error_message (IwbHttpExchange *self);
/* The plain reason (for "certificate": the verification message). */
const char      *iwb_http_exchange_get_error_reason (IwbHttpExchange *self);

guint            iwb_http_exchange_get_n_headers   (IwbHttpExchange  *self,
                                                    IwbHttpPart       part);
const char      *iwb_http_exchange_get_header_name (IwbHttpExchange  *self,
                                                    IwbHttpPart       part,
                                                    guint             index);
const char      *iwb_http_exchange_get_header_value (IwbHttpExchange *self,
                                                    IwbHttpPart       part,
                                                    guint             index);
/* The first header called @name (any case), or NULL. */
const char      *iwb_http_exchange_lookup_header   (IwbHttpExchange  *self,
                                                    IwbHttpPart       part,
                                                    const char       *name);
/* The captured bytes (maybe only the first ones: see _get_body_truncated);
 * NULL when the part has no body (a response that never came). */
GBytes          *iwb_http_exchange_get_body        (IwbHttpExchange  *self,
                                                    IwbHttpPart       part);
/* The real size in bytes (-1: no body). */
gint64           iwb_http_exchange_get_body_size   (IwbHttpExchange  *self,
                                                    IwbHttpPart       part);
gboolean         iwb_http_exchange_get_body_truncated (IwbHttpExchange *self,
                                                    IwbHttpPart       part);
/* TRUE when the child sent the body as base64 (not text). */
gboolean         iwb_http_exchange_get_body_is_binary (IwbHttpExchange *self,
                                                    IwbHttpPart       part);
/* The media type of Content-Type without parameters ("application/json"),
 * or NULL. */
char            *iwb_http_exchange_dup_mime_type   (IwbHttpExchange  *self,
                                                    IwbHttpPart       part);

G_END_DECLS

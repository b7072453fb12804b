/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The demo service: a small libsoup3 HTTP server on 127.0.0.1 that plays the
 * remote systems of the examples (a chat webhook and a ticket tracker).
 * State lives in memory and is reset on every start. Endpoints and demo
 * credentials: examples/README.md.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define IWB_DEMO_CHAT_TOKEN       "demo-chat-token"
#define IWB_DEMO_TRACKER_USER     "demo"
#define IWB_DEMO_TRACKER_PASSWORD "demo-password"

#define IWB_TYPE_DEMO_SERVICE (iwb_demo_service_get_type ())
G_DECLARE_FINAL_TYPE (IwbDemoService, iwb_demo_service, IWB, DEMO_SERVICE, GObject)

IwbDemoService *iwb_demo_service_new        (void);
/* port 0 = a random free port. Listens on 127.0.0.1 only. */
gboolean        iwb_demo_service_start      (IwbDemoService  *self,
                                             guint            port,
                                             GError         **error);
void            iwb_demo_service_stop       (IwbDemoService  *self);
guint           iwb_demo_service_get_port   (IwbDemoService  *self);
/* "http://127.0.0.1:PORT" (no trailing slash), NULL when stopped. */
const char     *iwb_demo_service_get_url    (IwbDemoService  *self);
/* After iwb_demo_service_start(): also serves the same endpoints over HTTPS
 * on 127.0.0.1:@port (0: a free one) with @certificate (which holds its
 * private key), until stopped.
 * IWB_ERROR_FAILED when the port is taken or GIO has no TLS backend. */
gboolean        iwb_demo_service_start_https (IwbDemoService  *self,
                                              guint            port,
                                              GTlsCertificate *certificate,
                                              GError         **error);
/* "https://127.0.0.1:PORT", NULL when HTTPS is not served. */
const char     *iwb_demo_service_get_https_url  (IwbDemoService *self);
guint           iwb_demo_service_get_https_port (IwbDemoService *self);
/* Number of requests served since start (all endpoints). */
guint           iwb_demo_service_get_request_count (IwbDemoService *self);
/* Demo behaviour switches (also reachable over HTTP: POST /demo/control):
 * the next @count tracker requests answer 429 with Retry-After: @retry_after;
 * every tracker response is delayed by @delay_ms. */
void            iwb_demo_service_set_rate_limit (IwbDemoService *self,
                                                 guint           count,
                                                 guint           retry_after);
void            iwb_demo_service_set_delay      (IwbDemoService *self,
                                                 guint           delay_ms);

G_END_DECLS

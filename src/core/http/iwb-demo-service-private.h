/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbDemoService internals shared by iwb-demo-service.c (the object, the
 * servers) and iwb-demo-service-apis.c (the endpoints). */
#pragma once

#include "iwb-soup.h"
#include <json-glib/json-glib.h>

#include "iwb-demo-service.h"

G_BEGIN_DECLS

struct _IwbDemoService
{
  GObject     parent_instance;

  SoupServer *server;
  guint       port;
  char       *url;
  SoupServer *https_server;
  guint       https_port;
  char       *https_url;
  guint       requests;

  /* state */
  JsonArray  *channels;
  JsonArray  *messages;
  JsonArray  *projects;
  JsonArray  *tickets;
  gint64      next_message_id;
  gint64      next_ticket_id;
  guint       rate_limit_remaining;
  guint       retry_after;
  guint       delay_ms;
};

void    _iwb_demo_service_reset_state    (IwbDemoService    *self);
void    _iwb_demo_respond_object         (SoupServerMessage *msg,
                                          guint              status,
                                          JsonObject        *obj);
void    _iwb_demo_respond_error          (SoupServerMessage *msg,
                                          guint              status,
                                          const char        *key,
                                          const char        *error);
gint64  _iwb_demo_query_int              (GHashTable        *query,
                                          const char        *name,
                                          gint64             def,
                                          gint64             min,
                                          gint64             max);
void    _iwb_demo_service_handle_chat    (IwbDemoService    *self,
                                          SoupServerMessage *msg,
                                          const char        *method,
                                          const char        *path,
                                          GHashTable        *query);
void    _iwb_demo_service_handle_tracker (IwbDemoService    *self,
                                          SoupServerMessage *msg,
                                          const char        *method,
                                          const char        *path,
                                          GHashTable        *query);
void    _iwb_demo_service_handle_demo    (IwbDemoService    *self,
                                          SoupServerMessage *msg,
                                          const char        *method,
                                          const char        *path);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The demo service: the remote systems of the examples, on 127.0.0.1.
 *
 *   chat (bearer token IWB_DEMO_CHAT_TOKEN)
 *     POST /chat/hooks/TOKEN          Slack-style incoming webhook {"text", "channel"?} -> "ok"
 *     POST /chat/api/messages         {"text", "channel"?} -> {"ok": true, "message": {...}}
 *     GET  /chat/api/messages         ?channel=NAME -> {"ok": true, "messages": [...]}
 *     GET  /chat/api/channels         -> {"ok": true, "channels": [...]}
 *   ticket tracker (basic auth IWB_DEMO_TRACKER_USER / IWB_DEMO_TRACKER_PASSWORD)
 *     GET  /tracker/api/projects      -> {"projects": [{"key", "name"}...]}
 *     GET  /tracker/api/tickets       ?q=&project=&status=&page=&per_page= -> a page
 *     POST /tracker/api/tickets       {"project", "title", "description"?, "priority"?} -> 201
 *     GET  /tracker/api/tickets/ID    -> the ticket, 404 when unknown
 *   demo switches (no auth)
 *     POST /demo/control              {"rate_limit": N, "retry_after": S, "delay_ms": MS}
 *     POST /demo/reset                state back to the start
 *     any tracker request: ?demo_status=429 (one 429), ?demo_delay_ms=MS (slow answer)
 */
#include "config.h"

#include <glib/gi18n.h>
#include "iwb-soup.h"
#include <json-glib/json-glib.h>
#include <string.h>

#include "iwb-demo-service-private.h"
#include "iwb-error.h"
#include "iwb-json.h"

G_DEFINE_FINAL_TYPE (IwbDemoService, iwb_demo_service, G_TYPE_OBJECT)

void
_iwb_demo_service_reset_state (IwbDemoService *self)
{
  static const struct { const char *id, *name, *topic; } channels[] = {
    { "C001", "general", "Company-wide announcements" },
    { "C002", "alerts", "Security alerts from the SOC" },
    { "C003", "random", "Anything goes" },
  };
  static const struct { const char *key, *name; } projects[] = {
    { "OPS", "Operations" },
    { "SEC", "Security" },
    { "NET", "Network" },
  };
  static const struct { const char *project, *title, *status, *priority; } tickets[] = {
    { "SEC", "Phishing mail reported by finance", "open", "high" },
    { "OPS", "Disk almost full on build server", "open", "medium" },
    { "NET", "VPN drops every 30 minutes", "closed", "low" },
  };

  g_clear_pointer (&self->channels, json_array_unref);
  g_clear_pointer (&self->messages, json_array_unref);
  g_clear_pointer (&self->projects, json_array_unref);
  g_clear_pointer (&self->tickets, json_array_unref);

  self->channels = json_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    {
      JsonObject *c = json_object_new ();

      json_object_set_string_member (c, "id", channels[i].id);
      json_object_set_string_member (c, "name", channels[i].name);
      json_object_set_string_member (c, "topic", channels[i].topic);
      json_array_add_object_element (self->channels, c);
    }
  self->messages = json_array_new ();
  self->projects = json_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (projects); i++)
    {
      JsonObject *p = json_object_new ();

      json_object_set_string_member (p, "key", projects[i].key);
      json_object_set_string_member (p, "name", projects[i].name);
      json_array_add_object_element (self->projects, p);
    }
  self->tickets = json_array_new ();
  self->next_ticket_id = 1;
  for (guint i = 0; i < G_N_ELEMENTS (tickets); i++)
    {
      JsonObject *t = json_object_new ();

      json_object_set_int_member (t, "id", self->next_ticket_id++);
      json_object_set_string_member (t, "project", tickets[i].project);
      json_object_set_string_member (t, "title", tickets[i].title);
      json_object_set_string_member (t, "description", "");
      json_object_set_string_member (t, "status", tickets[i].status);
      json_object_set_string_member (t, "priority", tickets[i].priority);
      json_object_set_string_member (t, "created_at", "2026-01-01T00:00:00Z");
      json_array_add_object_element (self->tickets, t);
    }
  self->next_message_id = 1;
  self->rate_limit_remaining = 0;
  self->retry_after = 1;
  self->delay_ms = 0;
}

static void
iwb_demo_service_finalize (GObject *object)
{
  IwbDemoService *self = IWB_DEMO_SERVICE (object);

  iwb_demo_service_stop (self);
  g_clear_pointer (&self->channels, json_array_unref);
  g_clear_pointer (&self->messages, json_array_unref);
  g_clear_pointer (&self->projects, json_array_unref);
  g_clear_pointer (&self->tickets, json_array_unref);

  G_OBJECT_CLASS (iwb_demo_service_parent_class)->finalize (object);
}

static void
iwb_demo_service_class_init (IwbDemoServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = iwb_demo_service_finalize;
}

static void
iwb_demo_service_init (IwbDemoService *self)
{
  _iwb_demo_service_reset_state (self);
}

IwbDemoService *
iwb_demo_service_new (void)
{
  return g_object_new (IWB_TYPE_DEMO_SERVICE, NULL);
}

static gboolean
unpause_cb (gpointer data)
{
  SoupServerMessage *msg = data;

  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  IwbDemoService *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  guint delay = 0;

  self->requests++;

  if (g_str_has_prefix (path, "/chat/"))
    _iwb_demo_service_handle_chat (self, msg, method, path, query);
  else if (g_str_has_prefix (path, "/tracker/"))
    {
      delay = (guint) _iwb_demo_query_int (query, "demo_delay_ms", self->delay_ms, 0, 600000);
      _iwb_demo_service_handle_tracker (self, msg, method, path, query);
    }
  else if (g_str_has_prefix (path, "/demo/"))
    _iwb_demo_service_handle_demo (self, msg, method, path);
  else if (g_str_equal (path, "/") || g_str_equal (path, "/health"))
    {
      g_autoptr(JsonObject) obj = json_object_new ();

      json_object_set_string_member (obj, "service", "Integration Workbench demo service");
      json_object_set_string_member (obj, "chat", "/chat/api");
      json_object_set_string_member (obj, "chat_webhook", "/chat/hooks/TOKEN");
      json_object_set_string_member (obj, "tracker", "/tracker/api");
      json_object_set_string_member (obj, "docs", "examples/README.md");
      _iwb_demo_respond_object (msg, SOUP_STATUS_OK, obj);
    }
  else
    _iwb_demo_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "no such endpoint; see examples/README.md");

  if (delay > 0)
    {
      soup_server_message_pause (msg);
      g_timeout_add_full (G_PRIORITY_DEFAULT, delay, unpause_cb, g_object_ref (msg),
                          g_object_unref);
    }
}

gboolean
iwb_demo_service_start (IwbDemoService  *self,
                        guint            port,
                        GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  GSList *uris;

  g_return_val_if_fail (IWB_IS_DEMO_SERVICE (self), FALSE);

  if (!iwb_soup_load (error))
    return FALSE;
  iwb_demo_service_stop (self);
  _iwb_demo_service_reset_state (self);
  self->requests = 0;

  self->server = soup_server_new ("server-header", "iwb-demo-service", NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);
  if (!soup_server_listen_local (self->server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, &local_error))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                   _("The demo service cannot listen on 127.0.0.1:%u: %s; choose another "
                   "port with --port (0 picks a free one)"), port, local_error->message);
      g_clear_object (&self->server);
      return FALSE;
    }
  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    self->port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  self->url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  return TRUE;
}

void
iwb_demo_service_stop (IwbDemoService *self)
{
  g_return_if_fail (IWB_IS_DEMO_SERVICE (self));

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  if (self->https_server != NULL)
    {
      soup_server_disconnect (self->https_server);
      g_clear_object (&self->https_server);
    }
  self->port = 0;
  self->https_port = 0;
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->https_url, g_free);
}

gboolean
iwb_demo_service_start_https (IwbDemoService   *self,
                              guint             port,
                              GTlsCertificate  *certificate,
                              GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  GSList *uris;

  g_return_val_if_fail (IWB_IS_DEMO_SERVICE (self), FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), FALSE);

  if (!iwb_soup_load (error))
    return FALSE;
  if (self->https_server != NULL)
    {
      soup_server_disconnect (self->https_server);
      g_clear_object (&self->https_server);
      g_clear_pointer (&self->https_url, g_free);
    }
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                   _("The demo service cannot serve HTTPS: GIO has no TLS backend here; "
                     "install glib-networking"));
      return FALSE;
    }
  self->https_server = soup_server_new ("server-header", "iwb-demo-service",
                                        "tls-certificate", certificate, NULL);
  soup_server_add_handler (self->https_server, NULL, server_callback, self, NULL);
  if (!soup_server_listen_local (self->https_server, port,
                                 SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &local_error))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                   _("The demo service cannot listen for HTTPS on 127.0.0.1:%u: %s; choose another "
                     "port with --https-port (0 picks a free one)"), port, local_error->message);
      g_clear_object (&self->https_server);
      return FALSE;
    }
  uris = soup_server_get_uris (self->https_server);
  if (uris != NULL)
    self->https_port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  self->https_url = g_strdup_printf ("https://127.0.0.1:%u", self->https_port);
  return TRUE;
}

const char *
iwb_demo_service_get_https_url (IwbDemoService *self)
{
  g_return_val_if_fail (IWB_IS_DEMO_SERVICE (self), NULL);
  return self->https_url;
}

guint
iwb_demo_service_get_https_port (IwbDemoService *self)
{
  g_return_val_if_fail (IWB_IS_DEMO_SERVICE (self), 0);
  return self->https_port;
}

guint
iwb_demo_service_get_port (IwbDemoService *self)
{
  g_return_val_if_fail (IWB_IS_DEMO_SERVICE (self), 0);
  return self->port;
}

const char *
iwb_demo_service_get_url (IwbDemoService *self)
{
  g_return_val_if_fail (IWB_IS_DEMO_SERVICE (self), NULL);
  return self->url;
}

guint
iwb_demo_service_get_request_count (IwbDemoService *self)
{
  g_return_val_if_fail (IWB_IS_DEMO_SERVICE (self), 0);
  return self->requests;
}

void
iwb_demo_service_set_rate_limit (IwbDemoService *self,
                                 guint           count,
                                 guint           retry_after)
{
  g_return_if_fail (IWB_IS_DEMO_SERVICE (self));
  self->rate_limit_remaining = count;
  self->retry_after = retry_after;
}

void
iwb_demo_service_set_delay (IwbDemoService *self,
                            guint           delay_ms)
{
  g_return_if_fail (IWB_IS_DEMO_SERVICE (self));
  self->delay_ms = delay_ms;
}

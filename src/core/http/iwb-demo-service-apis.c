/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo service's endpoints (see the list at the top of
 * iwb-demo-service.c): JSON answers, the chat, the ticket tracker and the
 * demo switches. */
#include "config.h"

#include <glib/gi18n.h>
#include "iwb-soup.h"
#include <json-glib/json-glib.h>
#include <string.h>

#include "iwb-demo-service-private.h"
#include "iwb-error.h"
#include "iwb-json.h"

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  g_autofree char *body = iwb_json_to_string (node, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    body, strlen (body));
}

void
_iwb_demo_respond_object (SoupServerMessage *msg,
                          guint              status,
                          JsonObject        *obj)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, obj);
  respond_json (msg, status, node);
}

void
_iwb_demo_respond_error (SoupServerMessage *msg,
                         guint              status,
                         const char        *key,
                         const char        *error)
{
  g_autoptr(JsonObject) obj = json_object_new ();

  if (g_strcmp0 (key, "ok") == 0)
    {
      json_object_set_boolean_member (obj, "ok", FALSE);
      json_object_set_string_member (obj, "error", error);
    }
  else
    json_object_set_string_member (obj, "error", error);
  _iwb_demo_respond_object (msg, status, obj);
}

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

static JsonObject *
request_json_object (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonNode) root = NULL;

  if (body == NULL || body->length == 0)
    return NULL;
  root = iwb_json_parse_full (body->data, body->length, IWB_JSON_PARSE_DEFAULT, NULL, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static const char *
member_string (JsonObject *obj,
               const char *name)
{
  JsonNode *n;

  if (obj == NULL)
    return NULL;
  n = json_object_get_member (obj, name);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
check_bearer (SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  return auth != NULL && g_str_has_prefix (auth, "Bearer ") &&
         g_str_equal (auth + 7, IWB_DEMO_CHAT_TOKEN);
}

static gboolean
check_basic (SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;

  if (auth == NULL || !g_str_has_prefix (auth, "Basic "))
    return FALSE;
  decoded = g_base64_decode (auth + 6, &len);
  text = g_strndup ((const char *) decoded, len);
  return g_str_equal (text, IWB_DEMO_TRACKER_USER ":" IWB_DEMO_TRACKER_PASSWORD);
}

static JsonObject *
find_channel (IwbDemoService *self,
              const char     *name_or_id)
{
  const char *wanted = name_or_id;

  if (wanted != NULL && wanted[0] == '#')
    wanted++;
  for (guint i = 0; i < json_array_get_length (self->channels); i++)
    {
      JsonObject *c = iwb_json_array_get_object (self->channels, i);

      if (g_strcmp0 (member_string (c, "name"), wanted) == 0 ||
          g_strcmp0 (member_string (c, "id"), wanted) == 0)
        return c;
    }
  return NULL;
}

static JsonObject *
post_message (IwbDemoService    *self,
              SoupServerMessage *msg,
              gboolean           slack_style)
{
  g_autoptr(JsonObject) body = request_json_object (msg);
  const char *text = member_string (body, "text");
  const char *channel_name = member_string (body, "channel");
  JsonObject *channel;
  JsonObject *m;

  if (body == NULL)
    {
      if (slack_style)
        respond_text (msg, SOUP_STATUS_BAD_REQUEST, "invalid_payload");
      else
        _iwb_demo_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "ok", "invalid_json");
      return NULL;
    }
  if (text == NULL || text[0] == '\0')
    {
      if (slack_style)
        respond_text (msg, SOUP_STATUS_BAD_REQUEST, "no_text");
      else
        _iwb_demo_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "ok", "no_text");
      return NULL;
    }
  channel = find_channel (self, channel_name && channel_name[0] ? channel_name : "general");
  if (channel == NULL)
    {
      if (slack_style)
        respond_text (msg, SOUP_STATUS_NOT_FOUND, "channel_not_found");
      else
        _iwb_demo_respond_error (msg, SOUP_STATUS_NOT_FOUND, "ok", "channel_not_found");
      return NULL;
    }

  m = json_object_new ();
  json_object_set_int_member (m, "id", self->next_message_id++);
  json_object_set_string_member (m, "channel", member_string (channel, "name"));
  json_object_set_string_member (m, "text", text);
  json_object_set_double_member (m, "ts", g_get_real_time () / 1e6);
  json_array_add_object_element (self->messages, m);
  return m;
}

void
_iwb_demo_service_handle_chat (IwbDemoService    *self,
                               SoupServerMessage *msg,
                               const char        *method,
                               const char        *path,
                               GHashTable        *query)
{
  if (g_str_has_prefix (path, "/chat/hooks/"))
    {
      if (!g_str_equal (method, "POST"))
        {
          respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed");
          return;
        }
      if (!g_str_equal (path + strlen ("/chat/hooks/"), IWB_DEMO_CHAT_TOKEN))
        {
          respond_text (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_token");
          return;
        }
      if (post_message (self, msg, TRUE) != NULL)
        respond_text (msg, SOUP_STATUS_OK, "ok");
      return;
    }

  if (!check_bearer (msg))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"demo chat\"");
      _iwb_demo_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "ok", "invalid_auth");
      return;
    }

  if (g_str_equal (path, "/chat/api/channels") && g_str_equal (method, "GET"))
    {
      g_autoptr(JsonObject) obj = json_object_new ();

      json_object_set_boolean_member (obj, "ok", TRUE);
      json_object_set_array_member (obj, "channels", json_array_ref (self->channels));
      _iwb_demo_respond_object (msg, SOUP_STATUS_OK, obj);
    }
  else if (g_str_equal (path, "/chat/api/messages") && g_str_equal (method, "POST"))
    {
      JsonObject *m = post_message (self, msg, FALSE);

      if (m != NULL)
        {
          g_autoptr(JsonObject) obj = json_object_new ();

          json_object_set_boolean_member (obj, "ok", TRUE);
          json_object_set_object_member (obj, "message", json_object_ref (m));
          _iwb_demo_respond_object (msg, SOUP_STATUS_OK, obj);
        }
    }
  else if (g_str_equal (path, "/chat/api/messages") && g_str_equal (method, "GET"))
    {
      g_autoptr(JsonObject) obj = json_object_new ();
      JsonArray *list = json_array_new ();
      const char *channel = query ? g_hash_table_lookup (query, "channel") : NULL;

      for (guint i = 0; i < json_array_get_length (self->messages); i++)
        {
          JsonObject *m = iwb_json_array_get_object (self->messages, i);

          if (channel == NULL || g_strcmp0 (member_string (m, "channel"), channel) == 0)
            json_array_add_object_element (list, json_object_ref (m));
        }
      json_object_set_boolean_member (obj, "ok", TRUE);
      json_object_set_array_member (obj, "messages", list);
      _iwb_demo_respond_object (msg, SOUP_STATUS_OK, obj);
    }
  else
    _iwb_demo_respond_error (msg, SOUP_STATUS_NOT_FOUND, "ok", "unknown_method");
}

static gboolean
ticket_matches (JsonObject *t,
                const char *q,
                const char *project,
                const char *status)
{
  if (project != NULL && project[0] && g_ascii_strcasecmp (member_string (t, "project"), project) != 0)
    return FALSE;
  if (status != NULL && status[0] && g_strcmp0 (member_string (t, "status"), status) != 0)
    return FALSE;
  if (q != NULL && q[0])
    {
      g_autofree char *needle = g_utf8_casefold (q, -1);
      g_autofree char *title = g_utf8_casefold (member_string (t, "title"), -1);
      g_autofree char *desc = g_utf8_casefold (member_string (t, "description"), -1);

      if (strstr (title, needle) == NULL && strstr (desc, needle) == NULL)
        return FALSE;
    }
  return TRUE;
}

gint64
_iwb_demo_query_int (GHashTable *query,
                     const char *name,
                     gint64      def,
                     gint64      min,
                     gint64      max)
{
  const char *v = query ? g_hash_table_lookup (query, name) : NULL;
  gint64 n;

  if (v == NULL || !g_ascii_string_to_signed (v, 10, min, max, &n, NULL))
    return def;
  return n;
}

static gboolean
project_exists (IwbDemoService *self,
                const char     *key)
{
  for (guint i = 0; i < json_array_get_length (self->projects); i++)
    if (g_strcmp0 (member_string (iwb_json_array_get_object (self->projects, i), "key"),
                   key) == 0)
      return TRUE;
  return FALSE;
}

void
_iwb_demo_service_handle_tracker (IwbDemoService    *self,
                                  SoupServerMessage *msg,
                                  const char        *method,
                                  const char        *path,
                                  GHashTable        *query)
{
  if (self->rate_limit_remaining > 0 ||
      (query != NULL && g_strcmp0 (g_hash_table_lookup (query, "demo_status"), "429") == 0))
    {
      g_autofree char *retry = g_strdup_printf ("%u", self->retry_after);

      if (self->rate_limit_remaining > 0)
        self->rate_limit_remaining--;
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", retry);
      _iwb_demo_respond_error (msg, 429 /* Too Many Requests */, NULL,
                     "rate limited: retry after the number of seconds in Retry-After");
      return;
    }

  if (!check_basic (msg))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Basic realm=\"demo tracker\"");
      _iwb_demo_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, NULL, "invalid username or password");
      return;
    }

  if (g_str_equal (path, "/tracker/api/projects") && g_str_equal (method, "GET"))
    {
      g_autoptr(JsonObject) obj = json_object_new ();

      json_object_set_array_member (obj, "projects", json_array_ref (self->projects));
      _iwb_demo_respond_object (msg, SOUP_STATUS_OK, obj);
    }
  else if (g_str_equal (path, "/tracker/api/tickets") && g_str_equal (method, "GET"))
    {
      g_autoptr(JsonObject) obj = json_object_new ();
      JsonArray *page_items = json_array_new ();
      const char *q = query ? g_hash_table_lookup (query, "q") : NULL;
      const char *project = query ? g_hash_table_lookup (query, "project") : NULL;
      const char *status = query ? g_hash_table_lookup (query, "status") : NULL;
      gint64 page = _iwb_demo_query_int (query, "page", 1, 1, G_MAXINT32);
      gint64 per_page = _iwb_demo_query_int (query, "per_page", 10, 1, 100);
      gint64 total = 0;

      for (guint i = 0; i < json_array_get_length (self->tickets); i++)
        {
          JsonObject *t = iwb_json_array_get_object (self->tickets, i);

          if (!ticket_matches (t, q, project, status))
            continue;
          if (total >= (page - 1) * per_page && total < page * per_page)
            json_array_add_object_element (page_items, json_object_ref (t));
          total++;
        }
      json_object_set_array_member (obj, "tickets", page_items);
      json_object_set_int_member (obj, "page", page);
      json_object_set_int_member (obj, "per_page", per_page);
      json_object_set_int_member (obj, "total", total);
      if (page * per_page < total)
        json_object_set_int_member (obj, "next_page", page + 1);
      else
        json_object_set_null_member (obj, "next_page");
      _iwb_demo_respond_object (msg, SOUP_STATUS_OK, obj);
    }
  else if (g_str_equal (path, "/tracker/api/tickets") && g_str_equal (method, "POST"))
    {
      g_autoptr(JsonObject) body = request_json_object (msg);
      const char *project = member_string (body, "project");
      const char *title = member_string (body, "title");
      const char *description = member_string (body, "description");
      const char *priority = member_string (body, "priority");
      JsonObject *t;

      if (body == NULL)
        {
          _iwb_demo_respond_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, "the body must be a JSON object");
          return;
        }
      if (title == NULL || title[0] == '\0')
        {
          _iwb_demo_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, NULL, "title is required");
          return;
        }
      if (project == NULL || !project_exists (self, project))
        {
          _iwb_demo_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, NULL,
                         "project must be one of the keys of GET /tracker/api/projects");
          return;
        }
      if (priority != NULL && priority[0] &&
          !g_strv_contains ((const char * const[]) { "low", "medium", "high", NULL }, priority))
        {
          _iwb_demo_respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, NULL,
                         "priority must be low, medium or high");
          return;
        }
      t = json_object_new ();
      json_object_set_int_member (t, "id", self->next_ticket_id++);
      json_object_set_string_member (t, "project", project);
      json_object_set_string_member (t, "title", title);
      json_object_set_string_member (t, "description", description ? description : "");
      json_object_set_string_member (t, "status", "open");
      json_object_set_string_member (t, "priority", priority && priority[0] ? priority : "medium");
      {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
        g_autofree char *iso = g_date_time_format_iso8601 (now);
        json_object_set_string_member (t, "created_at", iso);
      }
      json_array_add_object_element (self->tickets, t);
      _iwb_demo_respond_object (msg, SOUP_STATUS_CREATED, t);
    }
  else if (g_str_has_prefix (path, "/tracker/api/tickets/") && g_str_equal (method, "GET"))
    {
      const char *id_text = path + strlen ("/tracker/api/tickets/");
      gint64 id;

      if (g_ascii_string_to_signed (id_text, 10, 1, G_MAXINT64, &id, NULL))
        for (guint i = 0; i < json_array_get_length (self->tickets); i++)
          {
            JsonObject *t = iwb_json_array_get_object (self->tickets, i);

            if (iwb_json_get_int (t, "id", -1) == id)
              {
                _iwb_demo_respond_object (msg, SOUP_STATUS_OK, t);
                return;
              }
          }
      {
        g_autofree char *err = g_strdup_printf ("ticket %s not found", id_text);
        _iwb_demo_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL, err);
      }
    }
  else
    _iwb_demo_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "no such endpoint; see examples/README.md");
}

void
_iwb_demo_service_handle_demo (IwbDemoService    *self,
                               SoupServerMessage *msg,
                               const char        *method,
                               const char        *path)
{
  g_autoptr(JsonObject) obj = json_object_new ();

  if (!g_str_equal (method, "POST"))
    {
      _iwb_demo_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, "use POST");
      return;
    }
  if (g_str_equal (path, "/demo/reset"))
    _iwb_demo_service_reset_state (self);
  else if (g_str_equal (path, "/demo/control"))
    {
      g_autoptr(JsonObject) body = request_json_object (msg);

      if (body == NULL)
        {
          _iwb_demo_respond_error (msg, SOUP_STATUS_BAD_REQUEST, NULL, "the body must be a JSON object");
          return;
        }
      if (json_object_has_member (body, "rate_limit"))
        self->rate_limit_remaining = (guint) CLAMP (iwb_json_get_int (body, "rate_limit", 0), 0, G_MAXUINT);
      if (json_object_has_member (body, "retry_after"))
        self->retry_after = (guint) CLAMP (iwb_json_get_int (body, "retry_after", 0), 0, G_MAXUINT);
      if (json_object_has_member (body, "delay_ms"))
        self->delay_ms = (guint) CLAMP (iwb_json_get_int (body, "delay_ms", 0), 0, G_MAXUINT);
    }
  else
    {
      _iwb_demo_respond_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "no such endpoint; see examples/README.md");
      return;
    }
  json_object_set_boolean_member (obj, "ok", TRUE);
  json_object_set_int_member (obj, "rate_limit", self->rate_limit_remaining);
  json_object_set_int_member (obj, "retry_after", self->retry_after);
  json_object_set_int_member (obj, "delay_ms", self->delay_ms);
  _iwb_demo_respond_object (msg, SOUP_STATUS_OK, obj);
}

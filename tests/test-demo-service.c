/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo service over real HTTP on 127.0.0.1 (libsoup3 client). */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "iwb-core.h"

static IwbDemoService *service;
static SoupSession *session;

typedef struct
{
  guint        status;
  JsonNode    *json;
  char        *text;
  char        *retry_after;
  char        *www_authenticate;
  gint64       elapsed_us;
} Response;

static void
response_clear (Response *r)
{
  g_clear_pointer (&r->json, json_node_unref);
  g_clear_pointer (&r->text, g_free);
  g_clear_pointer (&r->retry_after, g_free);
  g_clear_pointer (&r->www_authenticate, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Response, response_clear)

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

/* auth: NULL, "bearer:TOKEN" or "basic:USER:PASSWORD" */
static void
request (const char *method,
         const char *path,
         const char *auth,
         const char *body,
         Response   *r)
{
  g_autofree char *url = g_strconcat (iwb_demo_service_get_url (service), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  gint64 start = g_get_monotonic_time ();
  const char *ct;

  g_assert_nonnull (msg);
  if (auth != NULL && g_str_has_prefix (auth, "bearer:"))
    {
      g_autofree char *h = g_strconcat ("Bearer ", auth + 7, NULL);
      soup_message_headers_replace (headers, "Authorization", h);
    }
  else if (auth != NULL && g_str_has_prefix (auth, "basic:"))
    {
      g_autofree char *b64 = g_base64_encode ((const guchar *) auth + 6, strlen (auth + 6));
      g_autofree char *h = g_strconcat ("Basic ", b64, NULL);
      soup_message_headers_replace (headers, "Authorization", h);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &bytes);
  while (bytes == NULL)
    g_main_context_iteration (NULL, TRUE);

  r->elapsed_us = g_get_monotonic_time () - start;
  r->status = soup_message_get_status (msg);
  r->text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  ct = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  if (g_strcmp0 (ct, "application/json") == 0)
    {
      r->json = json_from_string (r->text, NULL);
      g_assert_nonnull (r->json);
    }
  r->retry_after = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                           "Retry-After"));
  r->www_authenticate = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                                "WWW-Authenticate"));
}

#define CHAT "bearer:" IWB_DEMO_CHAT_TOKEN
#define TRACKER "basic:" IWB_DEMO_TRACKER_USER ":" IWB_DEMO_TRACKER_PASSWORD

static JsonObject *
obj (Response *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  return json_node_get_object (r->json);
}

static void
test_start (void)
{
  g_autoptr(IwbDemoService) other = iwb_demo_service_new ();
  g_autoptr(GError) error = NULL;
  g_auto(Response) r = { 0 };

  g_assert_cmpuint (iwb_demo_service_get_port (service), >, 0);
  g_assert_true (g_str_has_prefix (iwb_demo_service_get_url (service), "http://127.0.0.1:"));
  request ("GET", "/health", NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj (&r), "tracker"), ==, "/tracker/api");

  /* the same port twice: a clear error */
  g_assert_false (iwb_demo_service_start (other, iwb_demo_service_get_port (service), &error));
  g_assert_error (error, IWB_ERROR, IWB_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "--port"));
  g_assert_null (iwb_demo_service_get_url (other));
}

static void
test_chat_webhook (void)
{
  g_auto(Response) ok = { 0 };
  g_auto(Response) bad = { 0 };
  g_auto(Response) empty = { 0 };
  g_auto(Response) nochan = { 0 };
  g_auto(Response) list = { 0 };
  JsonArray *messages;

  request ("POST", "/chat/hooks/" IWB_DEMO_CHAT_TOKEN, NULL,
           "{\"text\": \"This is a test message\", \"channel\": \"#alerts\"}", &ok);
  g_assert_cmpuint (ok.status, ==, 200);
  g_assert_cmpstr (ok.text, ==, "ok");
  request ("POST", "/chat/hooks/wrong", NULL, "{\"text\": \"x\"}", &bad);
  g_assert_cmpuint (bad.status, ==, 401);
  g_assert_cmpstr (bad.text, ==, "invalid_token");
  request ("POST", "/chat/hooks/" IWB_DEMO_CHAT_TOKEN, NULL, "{\"channel\": \"alerts\"}", &empty);
  g_assert_cmpuint (empty.status, ==, 400);
  request ("POST", "/chat/hooks/" IWB_DEMO_CHAT_TOKEN, NULL, "{\"text\": \"x\", \"channel\": \"nope\"}", &nochan);
  g_assert_cmpuint (nochan.status, ==, 404);

  request ("GET", "/chat/api/messages?channel=alerts", CHAT, NULL, &list);
  g_assert_cmpuint (list.status, ==, 200);
  messages = json_object_get_array_member (obj (&list), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "text"),
                   ==, "This is a test message");
}

static void
test_chat_api (void)
{
  g_auto(Response) channels = { 0 };
  g_auto(Response) unauth = { 0 };
  g_auto(Response) badtoken = { 0 };
  g_auto(Response) posted = { 0 };
  g_auto(Response) badjson = { 0 };

  request ("GET", "/chat/api/channels", CHAT, NULL, &channels);
  g_assert_cmpuint (channels.status, ==, 200);
  g_assert_true (json_object_get_boolean_member (obj (&channels), "ok"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (&channels), "channels")), ==, 3);

  request ("GET", "/chat/api/channels", NULL, NULL, &unauth);
  g_assert_cmpuint (unauth.status, ==, 401);
  g_assert_cmpstr (json_object_get_string_member (obj (&unauth), "error"), ==, "invalid_auth");
  request ("GET", "/chat/api/channels", "bearer:nope", NULL, &badtoken);
  g_assert_cmpuint (badtoken.status, ==, 401);

  request ("POST", "/chat/api/messages", CHAT, "{\"text\": \"hi\", \"channel\": \"C003\"}", &posted);
  g_assert_cmpuint (posted.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj (&posted), "message"),
                                                  "channel"), ==, "random");
  request ("POST", "/chat/api/messages", CHAT, "not json", &badjson);
  g_assert_cmpuint (badjson.status, ==, 400);
}

static void
test_tracker (void)
{
  g_auto(Response) projects = { 0 };
  g_auto(Response) unauth = { 0 };
  g_auto(Response) created = { 0 };
  g_auto(Response) invalid = { 0 };
  g_auto(Response) got = { 0 };
  g_auto(Response) missing = { 0 };
  g_auto(Response) search = { 0 };
  gint64 id;
  g_autofree char *path = NULL;

  request ("GET", "/tracker/api/projects", TRACKER, NULL, &projects);
  g_assert_cmpuint (projects.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (obj (&projects), "projects"), 0),
                     "key"), ==, "OPS");

  request ("GET", "/tracker/api/projects", "basic:demo:wrong", NULL, &unauth);
  g_assert_cmpuint (unauth.status, ==, 401);
  g_assert_nonnull (strstr (unauth.www_authenticate, "Basic"));

  request ("POST", "/tracker/api/tickets", TRACKER,
           "{\"project\": \"SEC\", \"title\": \"Unique zebra incident\", \"priority\": \"high\"}", &created);
  g_assert_cmpuint (created.status, ==, 201);
  id = json_object_get_int_member (obj (&created), "id");
  g_assert_cmpstr (json_object_get_string_member (obj (&created), "status"), ==, "open");

  request ("POST", "/tracker/api/tickets", TRACKER, "{\"project\": \"NOPE\", \"title\": \"x\"}", &invalid);
  g_assert_cmpuint (invalid.status, ==, 422);
  g_assert_nonnull (strstr (json_object_get_string_member (obj (&invalid), "error"), "project"));

  path = g_strdup_printf ("/tracker/api/tickets/%" G_GINT64_FORMAT, id);
  request ("GET", path, TRACKER, NULL, &got);
  g_assert_cmpuint (got.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj (&got), "title"), ==, "Unique zebra incident");
  request ("GET", "/tracker/api/tickets/9999", TRACKER, NULL, &missing);
  g_assert_cmpuint (missing.status, ==, 404);

  request ("GET", "/tracker/api/tickets?q=ZEBRA", TRACKER, NULL, &search);
  g_assert_cmpint (json_object_get_int_member (obj (&search), "total"), ==, 1);
}

static void
test_tracker_pagination (void)
{
  g_auto(Response) p1 = { 0 };
  g_auto(Response) p3 = { 0 };

  for (guint i = 0; i < 12; i++)
    {
      g_auto(Response) r = { 0 };
      g_autofree char *body = g_strdup_printf ("{\"project\": \"NET\", \"title\": \"page item %u\"}", i);

      request ("POST", "/tracker/api/tickets", TRACKER, body, &r);
      g_assert_cmpuint (r.status, ==, 201);
    }
  request ("GET", "/tracker/api/tickets?q=page%20item&per_page=5", TRACKER, NULL, &p1);
  g_assert_cmpint (json_object_get_int_member (obj (&p1), "total"), ==, 12);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (&p1), "tickets")), ==, 5);
  g_assert_cmpint (json_object_get_int_member (obj (&p1), "next_page"), ==, 2);
  request ("GET", "/tracker/api/tickets?q=page%20item&per_page=5&page=3", TRACKER, NULL, &p3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (&p3), "tickets")), ==, 2);
  g_assert_true (json_object_get_null_member (obj (&p3), "next_page"));
}

static void
test_tracker_rate_limit_and_delay (void)
{
  g_auto(Response) once = { 0 };
  g_auto(Response) control = { 0 };
  g_auto(Response) limited1 = { 0 };
  g_auto(Response) limited2 = { 0 };
  g_auto(Response) fine = { 0 };
  g_auto(Response) slow = { 0 };

  request ("GET", "/tracker/api/projects?demo_status=429", TRACKER, NULL, &once);
  g_assert_cmpuint (once.status, ==, 429);
  g_assert_nonnull (once.retry_after);

  request ("POST", "/demo/control", NULL, "{\"rate_limit\": 2, \"retry_after\": 7}", &control);
  g_assert_cmpuint (control.status, ==, 200);
  request ("GET", "/tracker/api/projects", TRACKER, NULL, &limited1);
  request ("GET", "/tracker/api/projects", TRACKER, NULL, &limited2);
  request ("GET", "/tracker/api/projects", TRACKER, NULL, &fine);
  g_assert_cmpuint (limited1.status, ==, 429);
  g_assert_cmpstr (limited1.retry_after, ==, "7");
  g_assert_cmpuint (limited2.status, ==, 429);
  g_assert_cmpuint (fine.status, ==, 200);

  request ("GET", "/tracker/api/projects?demo_delay_ms=300", TRACKER, NULL, &slow);
  g_assert_cmpuint (slow.status, ==, 200);
  g_assert_cmpint (slow.elapsed_us, >=, 300 * 1000);

  /* the C API does the same */
  iwb_demo_service_set_rate_limit (service, 1, 2);
  {
    g_auto(Response) r = { 0 };
    request ("GET", "/tracker/api/projects", TRACKER, NULL, &r);
    g_assert_cmpuint (r.status, ==, 429);
    g_assert_cmpstr (r.retry_after, ==, "2");
  }
  iwb_demo_service_set_delay (service, 200);
  {
    g_auto(Response) r = { 0 };
    request ("GET", "/tracker/api/projects", TRACKER, NULL, &r);
    g_assert_cmpuint (r.status, ==, 200);
    g_assert_cmpint (r.elapsed_us, >=, 200 * 1000);
  }
  iwb_demo_service_set_delay (service, 0);
}

static void
test_reset (void)
{
  g_auto(Response) before = { 0 };
  g_auto(Response) reset = { 0 };
  g_auto(Response) after = { 0 };
  g_autoptr(GError) error = NULL;
  guint count;

  {
    g_auto(Response) created = { 0 };
    request ("POST", "/tracker/api/tickets", TRACKER, "{\"project\": \"OPS\", \"title\": \"t\"}", &created);
    g_assert_cmpuint (created.status, ==, 201);
  }
  request ("GET", "/tracker/api/tickets?per_page=100", TRACKER, NULL, &before);
  g_assert_cmpint (json_object_get_int_member (obj (&before), "total"), >, 3);
  request ("POST", "/demo/reset", NULL, NULL, &reset);
  g_assert_cmpuint (reset.status, ==, 200);
  request ("GET", "/tracker/api/tickets?per_page=100", TRACKER, NULL, &after);
  g_assert_cmpint (json_object_get_int_member (obj (&after), "total"), ==, 3);

  /* restart: fresh state, request count from zero */
  count = iwb_demo_service_get_request_count (service);
  g_assert_cmpuint (count, >, 0);
  iwb_demo_service_stop (service);
  g_assert_null (iwb_demo_service_get_url (service));
  g_assert_true (iwb_demo_service_start (service, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (iwb_demo_service_get_request_count (service), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  service = iwb_demo_service_new ();
  if (!iwb_demo_service_start (service, 0, &error))
    g_error ("%s", error->message);
  {
    /* straight to 127.0.0.1, whatever proxy the machine has */
    g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);
    session = soup_session_new_with_options ("proxy-resolver", direct, NULL);
  }

  g_test_add_func ("/demo-service/start", test_start);
  g_test_add_func ("/demo-service/chat/webhook", test_chat_webhook);
  g_test_add_func ("/demo-service/chat/api", test_chat_api);
  g_test_add_func ("/demo-service/tracker/tickets", test_tracker);
  g_test_add_func ("/demo-service/tracker/pagination", test_tracker_pagination);
  g_test_add_func ("/demo-service/tracker/rate-limit-and-delay", test_tracker_rate_limit_and_delay);
  g_test_add_func ("/demo-service/reset", test_reset);
  ret = g_test_run ();

  g_object_unref (session);
  g_assert_finalize_object (service);
  return ret;
}

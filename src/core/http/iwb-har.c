/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "iwb-error.h"
#include "iwb-file.h"
#include "iwb-har.h"
#include "iwb-json.h"

static JsonArray *
headers_array (IwbHttpExchange *ex,
               IwbHttpPart      part)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < iwb_http_exchange_get_n_headers (ex, part); i++)
    {
      JsonObject *h = json_object_new ();

      json_object_set_string_member (h, "name", iwb_http_exchange_get_header_name (ex, part, i));
      json_object_set_string_member (h, "value", iwb_http_exchange_get_header_value (ex, part, i));
      json_array_add_object_element (array, h);
    }
  return array;
}

/* HAR wants name/value pairs of the Cookie / Set-Cookie headers; the values
 * are already masked by the child. */
static JsonArray *
cookies_array (IwbHttpExchange *ex,
               IwbHttpPart      part)
{
  JsonArray *array = json_array_new ();
  const char *wanted = part == IWB_HTTP_PART_REQUEST ? "Cookie" : "Set-Cookie";

  for (guint i = 0; i < iwb_http_exchange_get_n_headers (ex, part); i++)
    {
      g_auto(GStrv) pairs = NULL;

      if (g_ascii_strcasecmp (iwb_http_exchange_get_header_name (ex, part, i), wanted) != 0)
        continue;
      pairs = g_strsplit (iwb_http_exchange_get_header_value (ex, part, i), ";", -1);
      for (guint j = 0; pairs[j] != NULL; j++)
        {
          g_autofree char *pair = g_strstrip (g_strdup (pairs[j]));
          const char *eq = strchr (pair, '=');
          JsonObject *c;

          if (eq == NULL || eq == pair)
            continue;
          c = json_object_new ();
          {
            g_autofree char *name = g_strndup (pair, (gsize) (eq - pair));
            json_object_set_string_member (c, "name", name);
          }
          json_object_set_string_member (c, "value", eq + 1);
          json_array_add_object_element (array, c);
          if (part == IWB_HTTP_PART_RESPONSE)
            break; /* the rest are attributes (Path, HttpOnly...) */
        }
    }
  return array;
}

static JsonArray *
query_array (const char *url)
{
  JsonArray *array = json_array_new ();
  const char *q = strchr (url, '?');
  g_auto(GStrv) parts = NULL;

  if (q == NULL)
    return array;
  parts = g_strsplit (q + 1, "&", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *hash = strchr (parts[i], '#');
      const char *eq;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      JsonObject *p;

      if (hash != NULL)
        *hash = '\0';
      if (*parts[i] == '\0')
        continue;
      eq = strchr (parts[i], '=');
      name = eq ? g_strndup (parts[i], (gsize) (eq - parts[i])) : g_strdup (parts[i]);
      value = g_strdup (eq ? eq + 1 : "");
      p = json_object_new ();
      {
        g_autofree char *n = g_uri_unescape_string (name, NULL);
        g_autofree char *v = g_uri_unescape_string (value, NULL);

        json_object_set_string_member (p, "name", n ? n : name);
        json_object_set_string_member (p, "value", v ? v : value);
      }
      json_array_add_object_element (array, p);
      if (hash != NULL)
        break;
    }
  return array;
}

static char *
body_text (GBytes   *body,
           gboolean  binary)
{
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  if (data == NULL || len == 0)
    return g_strdup ("");
  if (binary)
    return g_base64_encode ((const guchar *) data, len);
  return g_utf8_make_valid (data, (gssize) len);
}

static double
nonneg (double v)
{
  return v < 0 ? 0 : v;
}

static JsonObject *
entry_for (IwbHttpExchange *ex)
{
  JsonObject *entry = json_object_new ();
  JsonObject *request = json_object_new ();
  JsonObject *response = json_object_new ();
  JsonObject *content = json_object_new ();
  JsonObject *timings = json_object_new ();
  g_autofree char *started = g_date_time_format_iso8601 (iwb_http_exchange_get_started (ex));
  g_autofree char *req_mime = iwb_http_exchange_dup_mime_type (ex, IWB_HTTP_PART_REQUEST);
  g_autofree char *resp_mime = iwb_http_exchange_dup_mime_type (ex, IWB_HTTP_PART_RESPONSE);
  const char *method = iwb_http_exchange_get_method (ex);
  const char *version = iwb_http_exchange_get_http_version (ex);
  gint64 req_size = iwb_http_exchange_get_body_size (ex, IWB_HTTP_PART_REQUEST);
  gint64 resp_size = iwb_http_exchange_get_body_size (ex, IWB_HTTP_PART_RESPONSE);
  guint status = iwb_http_exchange_get_status (ex);
  double dns = iwb_http_exchange_get_timing (ex, IWB_HTTP_TIMING_DNS);
  double connect = iwb_http_exchange_get_timing (ex, IWB_HTTP_TIMING_CONNECT);
  double tls = iwb_http_exchange_get_timing (ex, IWB_HTTP_TIMING_TLS);
  double sent = iwb_http_exchange_get_timing (ex, IWB_HTTP_TIMING_SENT);
  double first = iwb_http_exchange_get_timing (ex, IWB_HTTP_TIMING_FIRST_BYTE);
  double total = iwb_http_exchange_get_timing (ex, IWB_HTTP_TIMING_TOTAL);
  double setup = nonneg (dns) + nonneg (connect) + nonneg (tls);
  double send, wait, receive;
  const char *location;

  /* request */
  json_object_set_string_member (request, "method", method ? method : "GET");
  json_object_set_string_member (request, "url", iwb_http_exchange_get_url (ex));
  json_object_set_string_member (request, "httpVersion", version ? version : "HTTP/1.1");
  json_object_set_array_member (request, "cookies", cookies_array (ex, IWB_HTTP_PART_REQUEST));
  json_object_set_array_member (request, "headers", headers_array (ex, IWB_HTTP_PART_REQUEST));
  json_object_set_array_member (request, "queryString", query_array (iwb_http_exchange_get_url (ex)));
  if (req_size > 0)
    {
      JsonObject *post = json_object_new ();
      g_autofree char *text = body_text (iwb_http_exchange_get_body (ex, IWB_HTTP_PART_REQUEST),
                                         iwb_http_exchange_get_body_is_binary (ex, IWB_HTTP_PART_REQUEST));

      json_object_set_string_member (post, "mimeType", req_mime ? req_mime : "");
      json_object_set_string_member (post, "text", text);
      if (iwb_http_exchange_get_body_is_binary (ex, IWB_HTTP_PART_REQUEST))
        json_object_set_string_member (post, "comment", "base64");
      json_object_set_object_member (request, "postData", post);
    }
  json_object_set_int_member (request, "headersSize", -1);
  json_object_set_int_member (request, "bodySize", req_size >= 0 ? req_size : 0);

  /* response */
  json_object_set_int_member (response, "status", status);
  json_object_set_string_member (response, "statusText",
                                 iwb_http_exchange_get_reason (ex) ? iwb_http_exchange_get_reason (ex) : "");
  json_object_set_string_member (response, "httpVersion", version ? version : "HTTP/1.1");
  json_object_set_array_member (response, "cookies", cookies_array (ex, IWB_HTTP_PART_RESPONSE));
  json_object_set_array_member (response, "headers", headers_array (ex, IWB_HTTP_PART_RESPONSE));
  json_object_set_int_member (content, "size", resp_size >= 0 ? resp_size : 0);
  json_object_set_string_member (content, "mimeType", resp_mime ? resp_mime : "");
  if (resp_size > 0)
    {
      g_autofree char *text = body_text (iwb_http_exchange_get_body (ex, IWB_HTTP_PART_RESPONSE),
                                         iwb_http_exchange_get_body_is_binary (ex, IWB_HTTP_PART_RESPONSE));

      json_object_set_string_member (content, "text", text);
      if (iwb_http_exchange_get_body_is_binary (ex, IWB_HTTP_PART_RESPONSE))
        json_object_set_string_member (content, "encoding", "base64");
      if (iwb_http_exchange_get_body_truncated (ex, IWB_HTTP_PART_RESPONSE))
        json_object_set_string_member (content, "comment", "truncated by the capture");
    }
  json_object_set_object_member (response, "content", content);
  location = iwb_http_exchange_lookup_header (ex, IWB_HTTP_PART_RESPONSE, "Location");
  json_object_set_string_member (response, "redirectURL", location ? location : "");
  json_object_set_int_member (response, "headersSize", -1);
  json_object_set_int_member (response, "bodySize", status > 0 && resp_size >= 0 ? resp_size : -1);
  if (iwb_http_exchange_get_error_kind (ex) != NULL)
    {
      const char *reason = iwb_http_exchange_get_error_reason (ex);
      g_autofree char *err = g_strdup_printf ("%s: %s", iwb_http_exchange_get_error_kind (ex),
                                              reason ? reason : "");

      json_object_set_string_member (response, "_error", err);
      json_object_set_string_member (entry, "_error", err);
    }

  /* timings: HAR's connect includes ssl */
  send = sent >= 0 ? nonneg (sent - setup) : 0;
  wait = first >= 0 && sent >= 0 ? nonneg (first - sent) : 0;
  receive = total >= 0 && first >= 0 ? nonneg (total - first) : 0;
  json_object_set_int_member (timings, "blocked", -1);
  json_object_set_double_member (timings, "dns", dns >= 0 ? dns : -1);
  json_object_set_double_member (timings, "connect", connect >= 0 ? connect + nonneg (tls) : -1);
  json_object_set_double_member (timings, "ssl", tls >= 0 ? tls : -1);
  json_object_set_double_member (timings, "send", send);
  json_object_set_double_member (timings, "wait", wait);
  json_object_set_double_member (timings, "receive", receive);

  json_object_set_string_member (entry, "startedDateTime", started);
  json_object_set_double_member (entry, "time", total >= 0 ? total : nonneg (setup) + send + wait + receive);
  json_object_set_object_member (entry, "request", request);
  json_object_set_object_member (entry, "response", response);
  json_object_set_object_member (entry, "cache", json_object_new ());
  json_object_set_object_member (entry, "timings", timings);
  if (iwb_http_exchange_get_thread (ex) != NULL)
    json_object_set_string_member (entry, "connection", iwb_http_exchange_get_thread (ex));
  if (iwb_http_exchange_get_replayed (ex))
    json_object_set_string_member (entry, "comment", "replayed from a cassette");
  return entry;
}

static gint
compare_started (gconstpointer a,
                 gconstpointer b)
{
  IwbHttpExchange *ea = *(IwbHttpExchange **) a;
  IwbHttpExchange *eb = *(IwbHttpExchange **) b;
  gint c = g_date_time_compare (iwb_http_exchange_get_started (ea), iwb_http_exchange_get_started (eb));

  if (c != 0)
    return c;
  return iwb_http_exchange_get_id (ea) < iwb_http_exchange_get_id (eb) ? -1 :
         iwb_http_exchange_get_id (ea) > iwb_http_exchange_get_id (eb);
}

JsonNode *
iwb_har_build (GListModel *exchanges)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *log = json_object_new ();
  JsonObject *creator = json_object_new ();
  JsonObject *root = json_object_new ();
  JsonArray *entries = json_array_new ();
  JsonNode *node;

  g_return_val_if_fail (G_IS_LIST_MODEL (exchanges), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (exchanges); i++)
    g_ptr_array_add (sorted, g_list_model_get_item (exchanges, i));
  g_ptr_array_sort (sorted, compare_started);
  for (guint i = 0; i < sorted->len; i++)
    json_array_add_object_element (entries, entry_for (g_ptr_array_index (sorted, i)));

  json_object_set_string_member (creator, "name", "Integration Workbench");
  json_object_set_string_member (creator, "version", PACKAGE_VERSION);
  json_object_set_string_member (log, "version", "1.2");
  json_object_set_object_member (log, "creator", creator);
  json_object_set_array_member (log, "pages", json_array_new ());
  json_object_set_array_member (log, "entries", entries);
  json_object_set_object_member (root, "log", log);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  return node;
}

static gboolean
write_text (const char  *path,
            const char  *text,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!iwb_file_write_user (path, text, strlen (text), 0666, &local_error))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                   _("Cannot write the HAR file %s: %s; choose a folder you can write to"),
                   path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
iwb_har_write_file (GListModel  *exchanges,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(JsonNode) har = iwb_har_build (exchanges);
  g_autofree char *text = iwb_json_to_string (har, TRUE);

  return write_text (path, text, error);
}

typedef struct
{
  char *path;
  char *text;
} WriteJob;

static void
write_job_free (WriteJob *job)
{
  g_free (job->path);
  g_free (job->text);
  g_free (job);
}

static void
write_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  WriteJob *job = data;
  GError *error = NULL;

  if (write_text (job->path, job->text, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
iwb_har_write_file_async (GListModel          *exchanges,
                          const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) har = NULL;
  WriteJob *job;

  g_return_if_fail (G_IS_LIST_MODEL (exchanges));
  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, iwb_har_write_file_async);
  g_task_set_name (task, "[iwb] write HAR");
  har = iwb_har_build (exchanges);
  job = g_new0 (WriteJob, 1);
  job->path = g_strdup (path);
  job->text = iwb_json_to_string (har, TRUE);
  g_task_set_task_data (task, job, (GDestroyNotify) write_job_free);
  g_task_run_in_thread (task, write_in_thread);
}

gboolean
iwb_har_write_file_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include "iwb-soup.h"
#include <string.h>

#include "iwb-diagnose.h"
#include "iwb-diagnose-private.h"
#include "iwb-error.h"

struct _IwbDiagnose
{
  GObject               parent_instance;

  char                 *url;
  char                 *label;
  char                 *display_url;
  char                 *ca_file;
  gboolean              secret;
  guint                 timeout;

  IwbDiagnoseState      states[IWB_DIAGNOSE_N_LAYERS];
  char                 *details[IWB_DIAGNOSE_N_LAYERS];
  GTlsCertificateFlags  tls_errors;
  guint                 http_status;
};

G_DEFINE_FINAL_TYPE (IwbDiagnose, iwb_diagnose, G_TYPE_OBJECT)

/* What one run needs between its steps. */
typedef struct
{
  GUri               *uri;
  char               *host;        /* of the URL */
  int                 port;
  gboolean            https;
  char               *conn_host;   /* where TCP goes: the host, or the proxy */
  int                 conn_port;
  gboolean            via_proxy;
  GList              *addresses;   /* GInetAddress */
  GList              *next_address;
  GString            *tcp_failures;
  GError             *first_tcp_error;
  GSocketClient      *client;
  GSocketConnection  *connection;
  GIOStream          *tls;
  GTlsDatabase       *database;
  GTlsCertificate    *peer;
  SoupSession        *session;
  SoupMessage        *message;
  GCancellable       *step;
  GCancellable       *parent;
  gulong              parent_handler;
  guint               timeout_id;
  gboolean            timed_out;
  gint64              step_start;
} Run;

static void
run_free (Run *run)
{
  g_clear_pointer (&run->uri, g_uri_unref);
  g_free (run->host);
  g_free (run->conn_host);
  g_list_free_full (run->addresses, g_object_unref);
  if (run->tcp_failures != NULL)
    g_string_free (run->tcp_failures, TRUE);
  g_clear_error (&run->first_tcp_error);
  g_clear_object (&run->client);
  g_clear_object (&run->tls);
  g_clear_object (&run->connection);
  g_clear_object (&run->database);
  g_clear_object (&run->peer);
  g_clear_object (&run->message);
  g_clear_object (&run->session);
  g_clear_handle_id (&run->timeout_id, g_source_remove);
  if (run->parent != NULL && run->parent_handler != 0)
    g_cancellable_disconnect (run->parent, run->parent_handler);
  g_clear_object (&run->parent);
  g_clear_object (&run->step);
  g_free (run);
}

static void
iwb_diagnose_finalize (GObject *object)
{
  IwbDiagnose *self = IWB_DIAGNOSE (object);

  g_free (self->url);
  g_free (self->label);
  g_free (self->display_url);
  g_free (self->ca_file);
  for (guint i = 0; i < IWB_DIAGNOSE_N_LAYERS; i++)
    g_free (self->details[i]);

  G_OBJECT_CLASS (iwb_diagnose_parent_class)->finalize (object);
}

static void
iwb_diagnose_class_init (IwbDiagnoseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = iwb_diagnose_finalize;
}

static void
iwb_diagnose_init (IwbDiagnose *self)
{
  self->timeout = 10;
}

static char *
mask_userinfo (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  if (uri == NULL || g_uri_get_userinfo (uri) == NULL)
    return g_strdup (url);
  return g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), "[redacted]",
                     g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                     g_uri_get_query (uri), g_uri_get_fragment (uri));
}

IwbDiagnose *
iwb_diagnose_new (const char *url,
                  const char *label)
{
  IwbDiagnose *self;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (IWB_TYPE_DIAGNOSE, NULL);
  self->url = g_strstrip (g_strdup (url));
  self->label = g_strdup (label);
  self->display_url = mask_userinfo (self->url);
  return self;
}

void
iwb_diagnose_set_timeout (IwbDiagnose *self,
                          guint        seconds)
{
  g_return_if_fail (IWB_IS_DIAGNOSE (self));
  self->timeout = MAX (seconds, 1);
}

void
iwb_diagnose_set_ca_file (IwbDiagnose *self,
                          const char  *path)
{
  g_return_if_fail (IWB_IS_DIAGNOSE (self));
  g_free (self->ca_file);
  /* GTlsFileDatabase wants an absolute path */
  self->ca_file = path ? g_canonicalize_filename (path, NULL) : NULL;
}

void
iwb_diagnose_set_secret (IwbDiagnose *self,
                         gboolean     secret)
{
  g_return_if_fail (IWB_IS_DIAGNOSE (self));
  self->secret = secret;
  g_free (self->display_url);
  if (secret)
    self->display_url = g_strdup_printf (_("the value of %s (secret)"), self->label ? self->label : "?");
  else
    self->display_url = mask_userinfo (self->url);
}

/* ---------------------------------------------------------------------- */

static void
set_layer (IwbDiagnose      *self,
           IwbDiagnoseLayer  layer,
           IwbDiagnoseState  state,
           char             *detail /* owned */)
{
  self->states[layer] = state;
  g_free (self->details[layer]);
  self->details[layer] = detail;
}

static gboolean
on_step_timeout (gpointer data)
{
  Run *run = data;

  run->timeout_id = 0;
  run->timed_out = TRUE;
  g_cancellable_cancel (run->step);
  return G_SOURCE_REMOVE;
}

static void
on_parent_cancelled (GCancellable *parent,
                     gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

/* A cancellable for the next step: cancelled by the timeout or by the caller. */
static GCancellable *
step_begin (GTask *task)
{
  IwbDiagnose *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GCancellable *parent = g_task_get_cancellable (task);

  g_clear_handle_id (&run->timeout_id, g_source_remove);
  if (run->parent_handler != 0)
    g_cancellable_disconnect (parent, run->parent_handler);
  run->parent_handler = 0;
  g_set_object (&run->parent, parent);
  g_clear_object (&run->step);
  run->step = g_cancellable_new ();
  run->timed_out = FALSE;
  if (parent != NULL)
    run->parent_handler = g_cancellable_connect (parent, G_CALLBACK (on_parent_cancelled),
                                                 g_object_ref (run->step), g_object_unref);
  run->timeout_id = g_timeout_add_seconds (self->timeout, on_step_timeout, run);
  run->step_start = g_get_monotonic_time ();
  return run->step;
}

static double
step_ms (Run *run)
{
  return (double) (g_get_monotonic_time () - run->step_start) / 1000.0;
}

/* TRUE (and the task returned) when the caller cancelled. */
static gboolean
caller_cancelled (GTask *task)
{
  GCancellable *parent = g_task_get_cancellable (task);

  if (parent != NULL && g_cancellable_is_cancelled (parent))
    {
      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_CANCELLED, _("The diagnosis was cancelled"));
      return TRUE;
    }
  return FALSE;
}

static void
finish (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  g_clear_handle_id (&run->timeout_id, g_source_remove);
  g_task_return_boolean (task, TRUE);
}

static void step_dns (GTask *task);
static void step_tcp_next (GTask *task);
static void step_tls (GTask *task);
static void step_http (GTask *task);

/* -- proxy ----------------------------------------------------------------- */

static void
on_proxy (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  IwbDiagnose *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (source), result, &error);

  if (caller_cancelled (task))
    return;
  if (proxies == NULL || proxies[0] == NULL || g_str_has_prefix (proxies[0], "direct://"))
    {
      set_layer (self, IWB_DIAGNOSE_LAYER_PROXY, IWB_DIAGNOSE_PASSED,
                 g_strdup (_("no proxy: a direct connection")));
    }
  else
    {
      g_autoptr(GUri) proxy = g_uri_parse (proxies[0], G_URI_FLAGS_NONE, NULL);
      g_autofree char *shown = mask_userinfo (proxies[0]);

      if (proxy == NULL || g_uri_get_host (proxy) == NULL)
        {
          set_layer (self, IWB_DIAGNOSE_LAYER_PROXY, IWB_DIAGNOSE_FAILED,
                     g_strdup_printf (_("the proxy setting “%s” is not a URL: fix the proxy settings "
                                        "(http_proxy / https_proxy)"), shown));
          finish (task);
          return;
        }
      run->via_proxy = TRUE;
      g_free (run->conn_host);
      run->conn_host = g_strdup (g_uri_get_host (proxy));
      run->conn_port = g_uri_get_port (proxy) > 0 ? g_uri_get_port (proxy) : 8080;
      set_layer (self, IWB_DIAGNOSE_LAYER_PROXY, IWB_DIAGNOSE_PASSED,
                 g_strdup_printf (_("through the proxy %s (from the system or environment settings); "
                                    "the next checks reach the proxy"), shown));
    }
  step_dns (task);
}

/* -- name resolution --------------------------------------------------------- */

static void
on_resolved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  IwbDiagnose *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  g_autoptr(GString) list = g_string_new (NULL);

  if (caller_cancelled (task))
    return;
  if (addresses == NULL)
    {
      if (run->timed_out)
        set_layer (self, IWB_DIAGNOSE_LAYER_DNS, IWB_DIAGNOSE_FAILED,
                   g_strdup_printf (_("no answer for the name %s within %u s: the DNS server is slow "
                                      "or unreachable; check the network"), run->conn_host, self->timeout));
      else if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
        set_layer (self, IWB_DIAGNOSE_LAYER_DNS, IWB_DIAGNOSE_FAILED,
                   g_strdup_printf (_("the name %s does not exist (%s): check the host name in the URL "
                                      "for typing mistakes"), run->conn_host, error->message));
      else
        set_layer (self, IWB_DIAGNOSE_LAYER_DNS, IWB_DIAGNOSE_FAILED,
                   g_strdup_printf (_("the name %s cannot be resolved now (%s): check the network and "
                                      "the DNS settings"), run->conn_host, error->message));
      finish (task);
      return;
    }
  for (GList *l = addresses; l != NULL; l = l->next)
    {
      g_autofree char *s = g_inet_address_to_string (l->data);

      g_string_append_printf (list, "%s%s", list->len ? ", " : "", s);
    }
  run->addresses = addresses;
  set_layer (self, IWB_DIAGNOSE_LAYER_DNS, IWB_DIAGNOSE_PASSED,
             g_strdup_printf (_("%s is %s (%.1f ms)"), run->conn_host, list->str, step_ms (run)));
  run->next_address = run->addresses;
  run->tcp_failures = g_string_new (NULL);
  step_tcp_next (task);
}

static void
step_dns (GTask *task)
{
  IwbDiagnose *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GCancellable *step = step_begin (task);

  if (g_hostname_is_ip_address (run->conn_host))
    {
      run->addresses = g_list_append (NULL, g_inet_address_new_from_string (run->conn_host));
      set_layer (self, IWB_DIAGNOSE_LAYER_DNS, IWB_DIAGNOSE_PASSED,
                 g_strdup_printf (_("%s is an IP address: nothing to look up"), run->conn_host));
      run->next_address = run->addresses;
      run->tcp_failures = g_string_new (NULL);
      step_tcp_next (task);
      return;
    }
  g_resolver_lookup_by_name_async (g_resolver_get_default (), run->conn_host, step,
                                   on_resolved, g_object_ref (task));
}

/* -- TCP connect -------------------------------------------------------------- */

static char *
tcp_failure_detail (IwbDiagnose *self,
                    Run         *run,
                    const char  *where)
{
  GError *e = run->first_tcp_error;

  if (run->timed_out || g_error_matches (e, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_strdup_printf (_("no answer from %s within %u s: the host is down, or a firewall drops "
                              "the traffic to this port"), where, self->timeout);
  if (g_error_matches (e, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_strdup_printf (_("the connection to %s was refused: nothing listens on port %d there. "
                              "Is the service running, and is the port in the URL right?"),
                            where, run->conn_port);
  if (g_error_matches (e, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (e, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    return g_strdup_printf (_("%s cannot be reached from this computer (%s): check the network, "
                              "VPN and routes"), where, e->message);
  return g_strdup_printf (_("cannot connect to %s: %s"), where, e ? e->message : "?");
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  IwbDiagnose *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  g_autofree char *address = g_inet_address_to_string (run->next_address->data);

  if (caller_cancelled (task))
    {
      g_clear_object (&connection);
      return;
    }
  if (connection == NULL)
    {
      g_autofree char *where = g_strdup_printf (strchr (address, ':') ? "[%s]:%d" : "%s:%d",
                                                address, run->conn_port);

      if (run->first_tcp_error == NULL || run->timed_out)
        {
          g_clear_error (&run->first_tcp_error);
          run->first_tcp_error = g_error_copy (error);
        }
      if (run->next_address->next == NULL || run->timed_out)
        {
          set_layer (self, IWB_DIAGNOSE_LAYER_TCP, IWB_DIAGNOSE_FAILED,
                     tcp_failure_detail (self, run, where));
          finish (task);
          return;
        }
      g_string_append_printf (run->tcp_failures, "%s%s: %s", run->tcp_failures->len ? "; " : "",
                              where, error->message);
      run->next_address = run->next_address->next;
      step_tcp_next (task);
      return;
    }
  run->connection = connection;
  set_layer (self, IWB_DIAGNOSE_LAYER_TCP, IWB_DIAGNOSE_PASSED,
             run->tcp_failures->len > 0
               ? g_strdup_printf (_("connected to %s port %d in %.1f ms (first tried: %s)"),
                                  address, run->conn_port, step_ms (run), run->tcp_failures->str)
               : g_strdup_printf (_("connected to %s port %d in %.1f ms"), address, run->conn_port,
                                  step_ms (run)));
  if (!run->https)
    {
      set_layer (self, IWB_DIAGNOSE_LAYER_TLS, IWB_DIAGNOSE_SKIPPED,
                 g_strdup (_("plain http:// — no TLS (the traffic is not encrypted)")));
      step_http (task);
    }
  else if (run->via_proxy)
    {
      set_layer (self, IWB_DIAGNOSE_LAYER_TLS, IWB_DIAGNOSE_SKIPPED,
                 g_strdup (_("checked through the proxy by the HTTP layer")));
      step_http (task);
    }
  else
    step_tls (task);
}

static void
step_tcp_next (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  GCancellable *step = step_begin (task);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (run->next_address->data,
                                                                 (guint16) run->conn_port);

  if (run->client == NULL)
    {
      run->client = g_socket_client_new ();
      g_socket_client_set_enable_proxy (run->client, FALSE);
    }
  g_socket_client_connect_async (run->client, G_SOCKET_CONNECTABLE (address), step,
                                 on_connected, g_object_ref (task));
}

/* -- TLS ------------------------------------------------------------------- */

static gboolean
on_accept_certificate (GTlsConnection       *conn,
                       GTlsCertificate      *peer,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  GTask *task = user_data;
  IwbDiagnose *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  g_set_object (&run->peer, peer);
  self->tls_errors = errors;
  return FALSE;
}

static void
on_handshake (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  IwbDiagnose *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      if (caller_cancelled (task))
        return;
      set_layer (self, IWB_DIAGNOSE_LAYER_TLS, IWB_DIAGNOSE_FAILED,
                 _iwb_diagnose_tls_failure (run->host, run->peer, self->tls_errors, run->timed_out,
                                            self->timeout, error));
      finish (task);
      return;
    }
  if (caller_cancelled (task))
    return;
  {
    GTlsCertificate *peer = g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (source));
    g_autofree char *summary = peer ? _iwb_diagnose_certificate_summary (peer) : g_strdup ("");
    const char *version;

    switch (g_tls_connection_get_protocol_version (G_TLS_CONNECTION (source)))
      {
      case G_TLS_PROTOCOL_VERSION_TLS_1_3: version = "TLS 1.3"; break;
      case G_TLS_PROTOCOL_VERSION_TLS_1_2: version = "TLS 1.2"; break;
      case G_TLS_PROTOCOL_VERSION_TLS_1_1: version = "TLS 1.1"; break;
      case G_TLS_PROTOCOL_VERSION_TLS_1_0: version = "TLS 1.0"; break;
      default: version = "TLS"; break;
      }
    set_layer (self, IWB_DIAGNOSE_LAYER_TLS, IWB_DIAGNOSE_PASSED,
               g_strdup_printf (_("%s, a valid certificate for %s (%s)"), version, run->host, summary));
  }
  step_http (task);
}

static void
step_tls (GTask *task)
{
  IwbDiagnose *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GCancellable *step = step_begin (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnectable) identity = g_network_address_new (run->host, (guint16) run->port);

  run->tls = g_tls_client_connection_new (G_IO_STREAM (run->connection), identity, &error);
  if (run->tls == NULL)
    {
      set_layer (self, IWB_DIAGNOSE_LAYER_TLS, IWB_DIAGNOSE_FAILED,
                 g_strdup_printf (_("TLS is not available here (%s): install glib-networking"), error->message));
      finish (task);
      return;
    }
  if (run->database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (run->tls), run->database);
  g_signal_connect (run->tls, "accept-certificate", G_CALLBACK (on_accept_certificate), task);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (run->tls), G_PRIORITY_DEFAULT, step,
                                    on_handshake, g_object_ref (task));
}

/* -- HTTP -------------------------------------------------------------------- */

static void
on_http_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  IwbDiagnose *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish ((SoupSession *) source, result, &error);
  gboolean passed = FALSE;
  guint status;

  if (caller_cancelled (task))
    return;
  if (stream == NULL)
    {
      if (run->timed_out)
        set_layer (self, IWB_DIAGNOSE_LAYER_HTTP, IWB_DIAGNOSE_FAILED,
                   g_strdup_printf (_("no HTTP answer within %u s: the service accepted the connection "
                                      "but does not respond"), self->timeout));
      else
        set_layer (self, IWB_DIAGNOSE_LAYER_HTTP, IWB_DIAGNOSE_FAILED,
                   g_strdup_printf (_("the HTTP request failed: %s"), error->message));
      finish (task);
      return;
    }
  g_input_stream_close (stream, NULL, NULL);
  status = soup_message_get_status (run->message);
  self->http_status = status;
  set_layer (self, IWB_DIAGNOSE_LAYER_HTTP, IWB_DIAGNOSE_PASSED, NULL);
  {
    const char *location = soup_message_headers_get_one (soup_message_get_response_headers (run->message),
                                                         "Location");
    char *detail = _iwb_diagnose_http_detail (status, soup_message_get_reason_phrase (run->message),
                                              location, step_ms (run), &passed);

    set_layer (self, IWB_DIAGNOSE_LAYER_HTTP, passed ? IWB_DIAGNOSE_PASSED : IWB_DIAGNOSE_FAILED, detail);
  }
  finish (task);
}

static void
step_http (GTask *task)
{
  IwbDiagnose *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *step;

  if (!iwb_soup_load (&error))
    {
      set_layer (self, IWB_DIAGNOSE_LAYER_HTTP, IWB_DIAGNOSE_FAILED, g_strdup (error->message));
      finish (task);
      return;
    }
  step = step_begin (task);
  /* The checks above hold a connection of their own; HTTP goes as the integration's would. */
  g_clear_object (&run->tls);
  g_clear_object (&run->connection);
  run->session = soup_session_new_with_options ("timeout", self->timeout,
                                                "user-agent", "iwb-diagnose/" PACKAGE_VERSION,
                                                NULL);
  if (run->database != NULL)
    soup_session_set_tls_database (run->session, run->database);
  run->message = soup_message_new_from_uri ("GET", run->uri);
  soup_message_add_flags (run->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_async (run->session, run->message, G_PRIORITY_DEFAULT, step,
                           on_http_sent, g_object_ref (task));
}

/* ---------------------------------------------------------------------- */

void
iwb_diagnose_run_async (IwbDiagnose         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Run *run;
  const char *scheme;

  g_return_if_fail (IWB_IS_DIAGNOSE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, iwb_diagnose_run_async);
  for (guint i = 0; i < IWB_DIAGNOSE_N_LAYERS; i++)
    set_layer (self, i, IWB_DIAGNOSE_NOT_REACHED, NULL);
  self->tls_errors = 0;
  self->http_status = 0;

  run = g_new0 (Run, 1);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  run->uri = g_uri_parse (self->url, SOUP_HTTP_URI_FLAGS, &error);
  scheme = run->uri ? g_uri_get_scheme (run->uri) : NULL;
  if (run->uri == NULL || g_uri_get_host (run->uri) == NULL || *g_uri_get_host (run->uri) == '\0' ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    {
      g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                               _("%s is not an http:// or https:// URL with a host%s%s; give the "
                                 "service’s base URL, e.g. https://api.example.com/"),
                               self->display_url, error ? ": " : "", error ? error->message : "");
      return;
    }
  run->https = g_ascii_strcasecmp (scheme, "https") == 0;
  run->host = g_strdup (g_uri_get_host (run->uri));
  run->port = g_uri_get_port (run->uri) > 0 ? g_uri_get_port (run->uri) : (run->https ? 443 : 80);
  run->conn_host = g_strdup (run->host);
  run->conn_port = run->port;
  if (self->ca_file != NULL)
    {
      run->database = g_tls_file_database_new (self->ca_file, &error);
      if (run->database == NULL)
        {
          g_task_return_new_error (task, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                                   _("Cannot use the CA file %s: %s; give a PEM file of CA certificates"),
                                   self->ca_file, error->message);
          return;
        }
    }

  g_proxy_resolver_lookup_async (g_proxy_resolver_get_default (), self->url, step_begin (task),
                                 on_proxy, g_object_ref (task));
}

gboolean
iwb_diagnose_run_finish (IwbDiagnose   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
iwb_diagnose_get_url (IwbDiagnose *self)
{
  g_return_val_if_fail (IWB_IS_DIAGNOSE (self), NULL);
  return self->url;
}

const char *
iwb_diagnose_get_display_url (IwbDiagnose *self)
{
  g_return_val_if_fail (IWB_IS_DIAGNOSE (self), NULL);
  return self->display_url;
}

const char *
iwb_diagnose_get_label (IwbDiagnose *self)
{
  g_return_val_if_fail (IWB_IS_DIAGNOSE (self), NULL);
  return self->label;
}

IwbDiagnoseState
iwb_diagnose_get_state (IwbDiagnose      *self,
                        IwbDiagnoseLayer  layer)
{
  g_return_val_if_fail (IWB_IS_DIAGNOSE (self), IWB_DIAGNOSE_NOT_REACHED);
  g_return_val_if_fail (layer < IWB_DIAGNOSE_N_LAYERS, IWB_DIAGNOSE_NOT_REACHED);
  return self->states[layer];
}

const char *
iwb_diagnose_get_detail (IwbDiagnose      *self,
                         IwbDiagnoseLayer  layer)
{
  g_return_val_if_fail (IWB_IS_DIAGNOSE (self), NULL);
  g_return_val_if_fail (layer < IWB_DIAGNOSE_N_LAYERS, NULL);
  return self->details[layer];
}

gboolean
iwb_diagnose_get_passed (IwbDiagnose *self)
{
  g_return_val_if_fail (IWB_IS_DIAGNOSE (self), FALSE);
  for (guint i = 0; i < IWB_DIAGNOSE_N_LAYERS; i++)
    if (self->states[i] == IWB_DIAGNOSE_FAILED || self->states[i] == IWB_DIAGNOSE_NOT_REACHED)
      return FALSE;
  return TRUE;
}

GTlsCertificateFlags
iwb_diagnose_get_tls_errors (IwbDiagnose *self)
{
  g_return_val_if_fail (IWB_IS_DIAGNOSE (self), 0);
  return self->tls_errors;
}

guint
iwb_diagnose_get_http_status (IwbDiagnose *self)
{
  g_return_val_if_fail (IWB_IS_DIAGNOSE (self), 0);
  return self->http_status;
}

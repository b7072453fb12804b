/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "iwb-diagnose-call.h"

static gboolean
failed (IwbHttpExchange *ex)
{
  return iwb_http_exchange_get_error_kind (ex) != NULL || iwb_http_exchange_get_status (ex) >= 400 ||
         iwb_http_exchange_get_status (ex) == 0;
}

IwbHttpExchange *
iwb_diagnose_find_failing_call (GListModel *exchanges)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (exchanges), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (exchanges); i++)
    {
      g_autoptr(IwbHttpExchange) ex = g_list_model_get_item (exchanges, i);

      if (failed (ex))
        return g_steal_pointer (&ex);
    }
  return NULL;
}

const char *
iwb_diagnose_status_meaning (guint status)
{
  switch (status)
    {
    case 400: return _("the service rejected the request as malformed (a parameter value or the body)");
    case 401: return _("the credentials were rejected");
    case 403: return _("the credentials were accepted but may not do this (permissions, scopes)");
    case 404: return _("the path does not exist on this service: check the base URL and its path");
    case 405: return _("the service does not allow this method here: check the base URL");
    case 407: return _("the proxy asks for credentials");
    case 408: return _("the service timed out waiting for the request");
    case 429: return _("too many requests: the service rate-limits this client");
    case 502:
    case 503:
    case 504: return _("the service or a gateway in front of it is unavailable");
    default:
      if (status >= 500)
        return _("the service failed with a server error");
      if (status >= 400)
        return _("the service refused the request");
      return NULL;
    }
}

static const char *
error_meaning (const char *kind)
{
  if (g_strcmp0 (kind, "refused") == 0)
    return _("the connection was refused: nothing listens on that port");
  if (g_strcmp0 (kind, "dns") == 0)
    return _("the host name could not be resolved");
  if (g_strcmp0 (kind, "timeout") == 0)
    return _("no answer in time");
  if (g_strcmp0 (kind, "certificate") == 0)
    return _("the server’s certificate was not accepted");
  if (g_strcmp0 (kind, "tls") == 0)
    return _("the TLS handshake failed");
  if (g_strcmp0 (kind, "reset") == 0 || g_strcmp0 (kind, "closed") == 0)
    return _("the service closed the connection without an answer");
  if (g_strcmp0 (kind, "not_recorded") == 0)
    return _("the call was not recorded in the replayed cassette");
  return _("the call failed");
}

char *
iwb_diagnose_describe_call (IwbHttpExchange *ex)
{
  const char *method;
  const char *path;
  guint status;

  g_return_val_if_fail (IWB_IS_HTTP_EXCHANGE (ex), NULL);

  method = iwb_http_exchange_get_method (ex) ? iwb_http_exchange_get_method (ex) : "?";
  path = iwb_http_exchange_get_path (ex) ? iwb_http_exchange_get_path (ex) : iwb_http_exchange_get_url (ex);
  status = iwb_http_exchange_get_status (ex);
  if (status > 0)
    {
      const char *meaning = iwb_diagnose_status_meaning (status);

      if (meaning == NULL)
        return g_strdup_printf ("%s %s → %u", method, path, status);
      return g_strdup_printf ("%s %s → %u: %s", method, path, status, meaning);
    }
  if (g_strcmp0 (iwb_http_exchange_get_error_kind (ex), "certificate") == 0 &&
      iwb_http_exchange_get_error_reason (ex) != NULL)
    return g_strdup_printf ("%s %s → %s (%s)", method, path,
                            error_meaning ("certificate"), iwb_http_exchange_get_error_reason (ex));
  return g_strdup_printf ("%s %s → %s", method, path,
                          error_meaning (iwb_http_exchange_get_error_kind (ex)));
}

char **
iwb_diagnose_called_bases (GListModel *exchanges)
{
  g_autoptr(GPtrArray) bases = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (G_IS_LIST_MODEL (exchanges), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (exchanges); i++)
    {
      g_autoptr(IwbHttpExchange) ex = g_list_model_get_item (exchanges, i);
      g_autoptr(GUri) uri = g_uri_parse (iwb_http_exchange_get_url (ex), G_URI_FLAGS_NONE, NULL);
      g_autofree char *base = NULL;

      if (uri == NULL || g_uri_get_host (uri) == NULL)
        continue;
      base = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                         g_uri_get_port (uri), "/", NULL, NULL);
      if (!g_ptr_array_find_with_equal_func (bases, base, g_str_equal, NULL))
        g_ptr_array_add (bases, g_steal_pointer (&base));
    }
  g_ptr_array_add (bases, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&bases), FALSE);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The words of a diagnosis: what a failing layer means and what to do, the
 * names of layers and states, the JSON form. The checks: iwb-diagnose.c. */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-diagnose.h"
#include "iwb-diagnose-private.h"

static char *
format_date (GDateTime *date)
{
  return date ? g_date_time_format (date, "%Y-%m-%d %H:%M UTC") : g_strdup ("?");
}

static char *
certificate_names (GTlsCertificate *cert)
{
  g_autoptr(GPtrArray) dns = NULL;
  g_autoptr(GPtrArray) ips = NULL;
  GString *names = g_string_new (NULL);

  g_object_get (cert, "dns-names", &dns, "ip-addresses", &ips, NULL);
  for (guint i = 0; dns != NULL && i < dns->len; i++)
    {
      gsize len = 0;
      const char *data = g_bytes_get_data (g_ptr_array_index (dns, i), &len);

      g_string_append_printf (names, "%s%.*s", names->len ? ", " : "", (int) len, data);
    }
  for (guint i = 0; ips != NULL && i < ips->len; i++)
    {
      g_autofree char *s = g_inet_address_to_string (g_ptr_array_index (ips, i));

      g_string_append_printf (names, "%s%s", names->len ? ", " : "", s);
    }
  return g_string_free (names, FALSE);
}

char *
_iwb_diagnose_certificate_summary (GTlsCertificate *cert)
{
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;
  g_autoptr(GDateTime) before = NULL;
  g_autoptr(GDateTime) after = NULL;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;

  g_object_get (cert, "subject-name", &subject, "issuer-name", &issuer,
                "not-valid-before", &before, "not-valid-after", &after, NULL);
  from = format_date (before);
  until = format_date (after);
  return g_strdup_printf (_("subject %s; issuer %s; valid from %s to %s"),
                          subject ? subject : "?", issuer ? issuer : "?", from, until);
}

char *
_iwb_diagnose_tls_failure (const char           *host,
                           GTlsCertificate      *peer,
                           GTlsCertificateFlags  flags,
                           gboolean              timed_out,
                           guint                 timeout,
                           GError               *error)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;
  g_autoptr(GDateTime) before = NULL;
  g_autoptr(GDateTime) after = NULL;
  g_autofree char *summary = NULL;

  if (peer == NULL || flags == 0)
    {
      if (timed_out)
        return g_strdup_printf (_("the TLS handshake with %s did not finish within %u s: is this port "
                                  "an HTTPS port?"), host, timeout);
      return g_strdup_printf (_("the TLS handshake with %s failed: %s. Is this port an HTTPS port "
                                "(maybe the URL should start with http://)?"),
                              host, error ? error->message : "?");
    }
  g_object_get (peer, "subject-name", &subject, "issuer-name", &issuer,
                "not-valid-before", &before, "not-valid-after", &after, NULL);
  summary = _iwb_diagnose_certificate_summary (peer);
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    {
      g_autofree char *d = format_date (after);

      g_string_append_printf (s, _("expired: the certificate of %s expired on %s; the service must "
                                   "renew it. "), host, d);
    }
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    {
      g_autofree char *d = format_date (before);

      g_string_append_printf (s, _("not yet valid: the certificate of %s is valid from %s on; check "
                                   "this computer’s clock. "), host, d);
    }
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    {
      g_autofree char *names = certificate_names (peer);

      g_string_append_printf (s, _("name mismatch: the certificate is for %s, not for %s; use a host "
                                   "name the certificate names in the URL. "),
                              *names ? names : (subject ? subject : "?"), host);
    }
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    {
      if (subject != NULL && issuer != NULL && g_str_equal (subject, issuer))
        g_string_append_printf (s, _("unknown issuer: the certificate of %s is self-signed, and this "
                                     "system does not trust it; add it to this system’s trusted certificates "
                                     "(or give it to “iwb diagnose --ca-file”), or give the service a "
                                     "certificate from a trusted authority. "),
                                host);
      else
        g_string_append_printf (s, _("unknown issuer: the certificate of %s was issued by %s, an "
                                     "authority this system does not trust; add that CA to this system’s "
                                     "trusted certificates (or give it to “iwb diagnose --ca-file”). "), host, issuer ? issuer : "?");
    }
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    g_string_append (s, _("revoked: the certificate was revoked by its authority. "));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    g_string_append (s, _("insecure: the certificate uses an algorithm considered insecure. "));
  if (s->len == 0 || (flags & G_TLS_CERTIFICATE_GENERIC_ERROR))
    g_string_append (s, _("the certificate cannot be verified. "));
  g_string_append_printf (s, "(%s)", summary);
  return g_strdup (s->str);
}

char *
_iwb_diagnose_http_detail (guint        status,
                           const char  *reason,
                           const char  *location,
                           double       ms,
                           gboolean    *passed)
{

  *passed = status < 400;
  if (status < 300)
    return g_strdup_printf (_("%u %s: the service answers (%.0f ms)"), status, reason, ms);
  if (status < 400)
    return g_strdup_printf (_("%u %s: the service answers with a redirect to %s"),
                            status, reason, location ? location : "?");
  if (status == 401)
    return g_strdup_printf (_("%u %s: the service wants credentials (this check sends none). When the "
                              "validator gets a 401 too, the credentials were rejected: check the "
                              "user name, password or token"), status, reason);
  if (status == 403)
    return g_strdup_printf (_("%u %s: the service refuses access to this URL: check the account’s "
                              "permissions, or the URL"), status, reason);
  if (status == 404)
    return g_strdup_printf (_("%u %s: the service has nothing at this path: check the path of the URL "
                              "(often a missing or extra /api)"), status, reason);
  if (status == 407)
    return g_strdup_printf (_("%u %s: the proxy wants credentials"), status, reason);
  if (status >= 500)
    return g_strdup_printf (_("%u %s: the service itself failed: try again later, or ask its "
                              "administrators"), status, reason);
  return g_strdup_printf (_("%u %s: the service rejected the request"), status, reason);
}

const char *
iwb_diagnose_layer_to_string (IwbDiagnoseLayer layer)
{
  switch (layer)
    {
    case IWB_DIAGNOSE_LAYER_PROXY: return _("Proxy");
    case IWB_DIAGNOSE_LAYER_DNS: return _("Name resolution");
    case IWB_DIAGNOSE_LAYER_TCP: return _("TCP connect");
    case IWB_DIAGNOSE_LAYER_TLS: return _("TLS handshake");
    case IWB_DIAGNOSE_LAYER_HTTP: return _("HTTP status");
    case IWB_DIAGNOSE_N_LAYERS:
    default: return "?";
    }
}

const char *
iwb_diagnose_layer_to_id (IwbDiagnoseLayer layer)
{
  static const char *ids[] = { "proxy", "dns", "tcp", "tls", "http" };

  return layer < IWB_DIAGNOSE_N_LAYERS ? ids[layer] : "?";
}

const char *
iwb_diagnose_state_to_string (IwbDiagnoseState state)
{
  switch (state)
    {
    case IWB_DIAGNOSE_PASSED: return _("passed");
    case IWB_DIAGNOSE_FAILED: return _("failed");
    case IWB_DIAGNOSE_SKIPPED: return _("skipped");
    case IWB_DIAGNOSE_NOT_REACHED:
    default: return _("not reached");
    }
}

JsonNode *
iwb_diagnose_to_json (IwbDiagnose *self)
{
  static const char *state_ids[] = { "not_reached", "passed", "failed", "skipped" };
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (IWB_IS_DIAGNOSE (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, iwb_diagnose_get_display_url (self));
  json_builder_set_member_name (b, "label");
  if (iwb_diagnose_get_label (self))
    json_builder_add_string_value (b, iwb_diagnose_get_label (self));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "passed");
  json_builder_add_boolean_value (b, iwb_diagnose_get_passed (self));
  json_builder_set_member_name (b, "layers");
  json_builder_begin_array (b);
  for (guint i = 0; i < IWB_DIAGNOSE_N_LAYERS; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "layer");
      json_builder_add_string_value (b, iwb_diagnose_layer_to_id (i));
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, state_ids[iwb_diagnose_get_state (self, i)]);
      json_builder_set_member_name (b, "detail");
      if (iwb_diagnose_get_detail (self, i))
        json_builder_add_string_value (b, iwb_diagnose_get_detail (self, i));
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

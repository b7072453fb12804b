/* SPDX-License-Identifier: GPL-3.0-or-later */
/* iwb diagnose against real services on 127.0.0.1: the demo service over
 * HTTP and HTTPS (certificates made with openssl for this run), a refused
 * port, an unresolvable name. */
#include "config.h"

#include <string.h>

#include "iwb-core.h"
#include "iwb-diagnose.h"
#include "test-http-util.h"
#include "test-iwb-util.h"

static TestCertificates certs;
static IwbDemoService *plain;      /* HTTP + HTTPS with the self-signed certificate */
static IwbDemoService *ca_signed;  /* HTTPS with the CA-signed certificate for 127.0.0.1 only */

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static IwbDiagnose *
diagnose (const char *url,
          const char *ca_file)
{
  IwbDiagnose *d = iwb_diagnose_new (url, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  iwb_diagnose_set_timeout (d, 20);
  if (ca_file != NULL)
    iwb_diagnose_set_ca_file (d, ca_file);
  iwb_diagnose_run_async (d, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (iwb_diagnose_run_finish (d, result, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < IWB_DIAGNOSE_N_LAYERS; i++)
    g_test_message ("%s: %s %s", iwb_diagnose_layer_to_id (i),
                    iwb_diagnose_state_to_string (iwb_diagnose_get_state (d, i)),
                    iwb_diagnose_get_detail (d, i) ? iwb_diagnose_get_detail (d, i) : "");
  return d;
}

static void
assert_detail (IwbDiagnose      *d,
               IwbDiagnoseLayer  layer,
               const char       *needle)
{
  const char *detail = iwb_diagnose_get_detail (d, layer);

  if (detail == NULL || strstr (detail, needle) == NULL)
    g_error ("%s: “%s” does not say “%s”", iwb_diagnose_layer_to_id (layer), detail, needle);
}

static void
assert_states (IwbDiagnose *d,
               IwbDiagnoseState dns, IwbDiagnoseState tcp, IwbDiagnoseState tls, IwbDiagnoseState http)
{
  g_assert_cmpint (iwb_diagnose_get_state (d, IWB_DIAGNOSE_LAYER_PROXY), ==, IWB_DIAGNOSE_PASSED);
  g_assert_cmpint (iwb_diagnose_get_state (d, IWB_DIAGNOSE_LAYER_DNS), ==, dns);
  g_assert_cmpint (iwb_diagnose_get_state (d, IWB_DIAGNOSE_LAYER_TCP), ==, tcp);
  g_assert_cmpint (iwb_diagnose_get_state (d, IWB_DIAGNOSE_LAYER_TLS), ==, tls);
  g_assert_cmpint (iwb_diagnose_get_state (d, IWB_DIAGNOSE_LAYER_HTTP), ==, http);
}

static void
test_all_pass_http (void)
{
  g_autofree char *url = g_strconcat (iwb_demo_service_get_url (plain), "/health", NULL);
  g_autoptr(IwbDiagnose) d = diagnose (url, NULL);

  assert_states (d, IWB_DIAGNOSE_PASSED, IWB_DIAGNOSE_PASSED, IWB_DIAGNOSE_SKIPPED, IWB_DIAGNOSE_PASSED);
  g_assert_true (iwb_diagnose_get_passed (d));
  g_assert_cmpuint (iwb_diagnose_get_http_status (d), ==, 200);
  assert_detail (d, IWB_DIAGNOSE_LAYER_PROXY, "no proxy");
  assert_detail (d, IWB_DIAGNOSE_LAYER_HTTP, "200 OK");
}

static void
test_refused (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbDiagnose) d = NULL;
  g_autofree char *url = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  /* a port that was free a moment ago and is closed now */
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u/api", port);
  d = diagnose (url, NULL);
  assert_states (d, IWB_DIAGNOSE_PASSED, IWB_DIAGNOSE_FAILED, IWB_DIAGNOSE_NOT_REACHED, IWB_DIAGNOSE_NOT_REACHED);
  g_assert_false (iwb_diagnose_get_passed (d));
  assert_detail (d, IWB_DIAGNOSE_LAYER_TCP, "was refused");
  assert_detail (d, IWB_DIAGNOSE_LAYER_TCP, "Is the service running");
}

static void
test_unknown_host (void)
{
  g_autoptr(IwbDiagnose) d = diagnose ("https://nonexistent.invalid/api", NULL);

  assert_states (d, IWB_DIAGNOSE_FAILED, IWB_DIAGNOSE_NOT_REACHED, IWB_DIAGNOSE_NOT_REACHED,
                 IWB_DIAGNOSE_NOT_REACHED);
  assert_detail (d, IWB_DIAGNOSE_LAYER_DNS, "nonexistent.invalid");
  assert_detail (d, IWB_DIAGNOSE_LAYER_DNS, "check the host name");
}

static void
test_self_signed (void)
{
  g_autofree char *url = g_strconcat (iwb_demo_service_get_https_url (plain), "/health", NULL);
  g_autoptr(IwbDiagnose) d = diagnose (url, NULL);

  assert_states (d, IWB_DIAGNOSE_PASSED, IWB_DIAGNOSE_PASSED, IWB_DIAGNOSE_FAILED, IWB_DIAGNOSE_NOT_REACHED);
  g_assert_true (iwb_diagnose_get_tls_errors (d) & G_TLS_CERTIFICATE_UNKNOWN_CA);
  assert_detail (d, IWB_DIAGNOSE_LAYER_TLS, "unknown issuer");
  assert_detail (d, IWB_DIAGNOSE_LAYER_TLS, "self-signed");
  /* what to do, in words that fit the window as well as iwb (no bare option) */
  assert_detail (d, IWB_DIAGNOSE_LAYER_TLS, "add it to this system’s trusted certificates");
  g_assert_null (strstr (iwb_diagnose_get_detail (d, IWB_DIAGNOSE_LAYER_TLS), "(--ca-file)"));
  assert_detail (d, IWB_DIAGNOSE_LAYER_TLS, "subject CN=localhost");
  assert_detail (d, IWB_DIAGNOSE_LAYER_TLS, "issuer CN=localhost");
  assert_detail (d, IWB_DIAGNOSE_LAYER_TLS, "valid from ");
}

static void
test_trusted_and_name_mismatch (void)
{
  g_autofree char *ok_url = g_strconcat (iwb_demo_service_get_https_url (ca_signed), "/health", NULL);
  g_autofree char *bad_url = g_strdup_printf ("https://localhost:%u/health",
                                              iwb_demo_service_get_https_port (ca_signed));
  g_autoptr(IwbDiagnose) ok = diagnose (ok_url, certs.ca);
  g_autoptr(IwbDiagnose) bad = diagnose (bad_url, certs.ca);
  g_autoptr(IwbDiagnose) untrusted = diagnose (ok_url, NULL);

  assert_states (ok, IWB_DIAGNOSE_PASSED, IWB_DIAGNOSE_PASSED, IWB_DIAGNOSE_PASSED, IWB_DIAGNOSE_PASSED);
  assert_detail (ok, IWB_DIAGNOSE_LAYER_TLS, "issuer CN=IWB Test CA");
  g_assert_true (iwb_diagnose_get_passed (ok));

  assert_states (bad, IWB_DIAGNOSE_PASSED, IWB_DIAGNOSE_PASSED, IWB_DIAGNOSE_FAILED, IWB_DIAGNOSE_NOT_REACHED);
  g_assert_cmpint (iwb_diagnose_get_tls_errors (bad), ==, G_TLS_CERTIFICATE_BAD_IDENTITY);
  assert_detail (bad, IWB_DIAGNOSE_LAYER_TLS, "name mismatch: the certificate is for 127.0.0.1, not for localhost");

  g_assert_true (iwb_diagnose_get_tls_errors (untrusted) & G_TLS_CERTIFICATE_UNKNOWN_CA);
  assert_detail (untrusted, IWB_DIAGNOSE_LAYER_TLS, "issued by CN=IWB Test CA");
}

static void
test_unauthorized (void)
{
  g_autofree char *url = g_strconcat (iwb_demo_service_get_url (plain), "/tracker/api/projects", NULL);
  g_autoptr(IwbDiagnose) d = diagnose (url, NULL);
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;

  assert_states (d, IWB_DIAGNOSE_PASSED, IWB_DIAGNOSE_PASSED, IWB_DIAGNOSE_SKIPPED, IWB_DIAGNOSE_FAILED);
  g_assert_cmpuint (iwb_diagnose_get_http_status (d), ==, 401);
  assert_detail (d, IWB_DIAGNOSE_LAYER_HTTP, "401 Unauthorized");
  assert_detail (d, IWB_DIAGNOSE_LAYER_HTTP, "credentials");
  json = iwb_diagnose_to_json (d);
  text = json_to_string (json, FALSE);
  g_assert_nonnull (strstr (text, "\"layer\":\"http\",\"state\":\"failed\""));
}

static void
test_not_a_url (void)
{
  const char *bad[] = { "ftp://example.com/", "not a url", "https:///nohost", "http://user:secret@" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(IwbDiagnose) d = iwb_diagnose_new (bad[i], NULL);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      iwb_diagnose_run_async (d, NULL, on_done, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_false (iwb_diagnose_run_finish (d, result, &error));
      g_assert_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE);
      g_assert_nonnull (strstr (error->message, "is not an http:// or https:// URL"));
      g_assert_null (strstr (error->message, "secret"));
    }
}

static void
test_cli (void)
{
  g_autofree char *folder = g_build_filename (g_getenv ("IWB_SOURCE_ROOT"), "examples", "ticket-tracker", NULL);
  g_autofree char *good = g_strdup_printf ("TRACKER_URL=%s", iwb_demo_service_get_url (plain));
  g_autofree char *tls = g_strdup_printf ("TRACKER_URL=%s", iwb_demo_service_get_https_url (plain));

  {
    g_auto(IwbCliResult) r = { 0 };

    /* every layer of the URL passes; the validator's own call is refused */
    iwb_cli_run (&r, NULL, NULL, "diagnose", folder, "--set", good, "--set", "TRACKER_USER=demo",
                 "--set", "TRACKER_PASSWORD=hunter2-secret", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.out, "TRACKER_URL = http://127.0.0.1:"));
    g_assert_nonnull (strstr (r.out, "Every layer passed."));
    g_assert_nonnull (strstr (r.out, "GET /tracker/api/projects → 401: the credentials were rejected"));
    g_assert_null (strstr (r.out, "hunter2-secret"));
    g_assert_null (strstr (r.err, "hunter2-secret"));
  }
  {
    g_auto(IwbCliResult) r = { 0 };

    /* the right credentials: everything passes, the validator's call too */
    iwb_cli_run (&r, NULL, NULL, "diagnose", folder, "--set", good, "--set", "TRACKER_USER=demo",
                 "--set", "TRACKER_PASSWORD=" IWB_DEMO_TRACKER_PASSWORD, "--format", "json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "{\"validator\":{\"passed\":true,\"status\":\"succeeded\",\"calls\":1"));
  }
  {
    g_auto(IwbCliResult) r = { 0 };

    iwb_cli_run (&r, NULL, NULL, "diagnose", folder, "--set", tls, "--format", "json", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.out, "\"layer\":\"tls\",\"state\":\"failed\""));
    g_assert_nonnull (strstr (r.out, "self-signed"));
  }
  {
    g_auto(IwbCliResult) r = { 0 };

    iwb_cli_run (&r, NULL, NULL, "diagnose", folder, "--set", "NOPE=1", NULL);
    g_assert_cmpint (r.status, ==, 64);
    g_assert_nonnull (strstr (r.err, "“NOPE” is not a connection input"));
    g_assert_nonnull (strstr (r.err, "TRACKER_URL"));
  }
  {
    g_auto(IwbCliResult) r = { 0 };

    /* no value is a URL: the ticket tracker's URL has no default */
    iwb_cli_run (&r, NULL, NULL, "diagnose", folder, NULL);
    g_assert_cmpint (r.status, ==, 64);
    g_assert_nonnull (strstr (r.err, "no connection value"));
  }
  {
    /* --profile: the saved profile's URL (a data folder of this test) */
    g_autoptr(GError) error = NULL;
    g_autofree char *data = g_dir_make_tmp ("iwb-diagnose-data-XXXXXX", &error);
    g_autofree char *old = g_strdup (g_getenv ("XDG_DATA_HOME"));
    g_auto(IwbCliResult) save = { 0 };
    g_auto(IwbCliResult) r = { 0 };
    g_auto(IwbCliResult) missing = { 0 };
    g_autofree char *rm = NULL;

    g_assert_no_error (error);
    g_setenv ("XDG_DATA_HOME", data, TRUE);
    iwb_cli_run (&save, NULL, NULL, "profile", "save", folder, "local", "--set", good, NULL);
    iwb_cli_run (&r, NULL, NULL, "diagnose", folder, "--profile", "local", "--no-validator", NULL);
    iwb_cli_run (&missing, NULL, NULL, "diagnose", folder, "--profile", "nope", NULL);
    if (old != NULL)
      g_setenv ("XDG_DATA_HOME", old, TRUE);
    else
      g_unsetenv ("XDG_DATA_HOME");
    rm = g_strdup_printf ("rm -rf '%s'", data);
    g_assert_true (g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL));
    g_assert_cmpint (save.status, ==, 0);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "TRACKER_URL = http://127.0.0.1:"));
    g_assert_cmpint (missing.status, ==, 64);
    g_assert_nonnull (strstr (missing.err, "--profile nope"));
  }
  {
    g_auto(IwbCliResult) r = { 0 };

    iwb_cli_run (&r, NULL, NULL, "diagnose", "--url", "http://nonexistent.invalid/", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.out, "First failing layer: Name resolution"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) self_signed = NULL;
  g_autoptr(GTlsCertificate) ip_only = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  /* the checks must not go through a proxy of the machine running the tests */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  test_certificates_make (&certs);
  self_signed = test_certificate_load (certs.self_signed);
  ip_only = test_certificate_load (certs.ip_only);

  plain = iwb_demo_service_new ();
  iwb_demo_service_start (plain, 0, &error);
  g_assert_no_error (error);
  iwb_demo_service_start_https (plain, 0, self_signed, &error);
  g_assert_no_error (error);
  ca_signed = iwb_demo_service_new ();
  iwb_demo_service_start (ca_signed, 0, &error);
  g_assert_no_error (error);
  iwb_demo_service_start_https (ca_signed, 0, ip_only, &error);
  g_assert_no_error (error);

  g_test_add_func ("/diagnose/all-pass", test_all_pass_http);
  g_test_add_func ("/diagnose/refused", test_refused);
  g_test_add_func ("/diagnose/unknown-host", test_unknown_host);
  g_test_add_func ("/diagnose/self-signed", test_self_signed);
  g_test_add_func ("/diagnose/trusted-and-name-mismatch", test_trusted_and_name_mismatch);
  g_test_add_func ("/diagnose/unauthorized", test_unauthorized);
  g_test_add_func ("/diagnose/not-a-url", test_not_a_url);
  g_test_add_func ("/diagnose/cli", test_cli);
  ret = g_test_run ();

  g_clear_object (&plain);
  g_clear_object (&ca_signed);
  test_certificates_clear (&certs);
  return ret;
}

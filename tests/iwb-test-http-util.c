/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helpers for HTTP: certificates made with openssl (declared in test-http-util.h). */
#include "config.h"

#include "test-http-util.h"

void
test_openssl (const char *dir,
              const char *script)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = { "/bin/sh", "-ec", script, NULL };

  g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl failed (is the openssl package installed?): %s", err);
}

void
test_certificates_make (TestCertificates *c)
{
  g_autoptr(GError) error = NULL;

  c->dir = g_dir_make_tmp ("iwb-certs-XXXXXX", &error);
  g_assert_no_error (error);
  test_openssl (c->dir,
    "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost "
    "  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout ss.key -out ss.crt 2>/dev/null\n"
    "cat ss.crt ss.key > self-signed.pem\n"
    "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=IWB Test CA' "
    "  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign "
    "  -keyout ca.key -out ca.pem 2>/dev/null\n"
    "openssl req -newkey rsa:2048 -nodes -subj /CN=iwb-ip-only -keyout leaf.key -out leaf.csr 2>/dev/null\n"
    "printf 'subjectAltName=IP:127.0.0.1\\n' > leaf.ext\n"
    "openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
    "  -extfile leaf.ext -out leaf.crt 2>/dev/null\n"
    "cat leaf.crt leaf.key > ip-only.pem\n");
  c->self_signed = g_build_filename (c->dir, "self-signed.pem", NULL);
  c->ca = g_build_filename (c->dir, "ca.pem", NULL);
  c->ip_only = g_build_filename (c->dir, "ip-only.pem", NULL);
}

GTlsCertificate *
test_certificate_load (const char *path)
{
  g_autoptr(GError) error = NULL;
  GTlsCertificate *cert = g_tls_certificate_new_from_file (path, &error);

  g_assert_no_error (error);
  return cert;
}

void
test_certificates_clear (TestCertificates *c)
{
  const char *names[] = { "ss.key", "ss.crt", "self-signed.pem", "ca.key", "ca.pem", "ca.srl",
                          "leaf.key", "leaf.csr", "leaf.ext", "leaf.crt", "ip-only.pem" };

  if (c->dir == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *p = g_build_filename (c->dir, names[i], NULL);

      g_unlink (p);
    }
  g_rmdir (c->dir);
  g_clear_pointer (&c->dir, g_free);
  g_clear_pointer (&c->self_signed, g_free);
  g_clear_pointer (&c->ca, g_free);
  g_clear_pointer (&c->ip_only, g_free);
}

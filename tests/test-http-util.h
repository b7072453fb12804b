/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For the HTTP tests: certificates made with openssl for this test run. */
#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>

typedef struct
{
  char *dir;
  char *self_signed;     /* cert + key, CN=localhost, SAN DNS:localhost, IP:127.0.0.1, self-signed */
  char *ca;              /* a CA certificate (PEM) */
  char *ip_only;         /* cert + key signed by @ca, SAN IP:127.0.0.1 only: "localhost" mismatches */
} TestCertificates;

void
test_openssl (const char *dir,
              const char *script);

void
test_certificates_make (TestCertificates *c);

GTlsCertificate *
test_certificate_load (const char *path);

void
test_certificates_clear (TestCertificates *c);

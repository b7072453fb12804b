/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by iwb-diagnose.c (the checks) and iwb-diagnose-report.c (the words). */
#pragma once

#include "iwb-diagnose.h"

G_BEGIN_DECLS

/* "subject …; issuer …; valid from … to …" */
char *_iwb_diagnose_certificate_summary (GTlsCertificate      *cert);
/* Why the TLS handshake with @host failed, in plain words, and what to do. */
char *_iwb_diagnose_tls_failure         (const char           *host,
                                         GTlsCertificate      *peer,
                                         GTlsCertificateFlags  flags,
                                         gboolean              timed_out,
                                         guint                 timeout,
                                         GError               *error);
/* What HTTP @status means for the URL; *@passed: below 400. */
char *_iwb_diagnose_http_detail         (guint                 status,
                                         const char           *reason,
                                         const char           *location,
                                         double                ms,
                                         gboolean             *passed);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* iwb demo-service: the examples' remote systems on 127.0.0.1 until Ctrl+C. */
#include "config.h"

#include <glib/gi18n.h>

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#include "iwb-cli.h"
#include "iwb-cli-common.h"

static gboolean
on_quit (gpointer user_data)
{
  gboolean *quit = user_data;

  *quit = TRUE;
  g_main_context_wakeup (NULL);
  return G_SOURCE_REMOVE;
}

int
iwb_cmd_demo_service (int    argc,
                      char **argv)
{
  int port = 8765;
  int https_port = 8766;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbDemoService) service = NULL;
  gboolean quit = FALSE;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      N_("Port on 127.0.0.1 (default 8765; 0 picks a free one)"), N_("N") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
      N_("Also serve HTTPS with this PEM certificate (its key too, or see --tls-key)"), N_("PEM") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key,
      N_("The PEM private key of --tls-cert when it is in a file of its own"), N_("PEM") },
    { "https-port", 0, 0, G_OPTION_ARG_INT, &https_port,
      N_("HTTPS port on 127.0.0.1 with --tls-cert (default 8766; 0 picks a free one)"), N_("N") },
    { NULL }
  };

  context = g_option_context_new (_("— the demo chat service and ticket tracker of the examples"));
  g_option_context_set_summary (context,
    _("Serves the remote systems of examples/chat-notify and examples/ticket-tracker on\n"
    "127.0.0.1 until Ctrl+C. State lives in memory and starts fresh every time."));
  {
    /* Translators: the %s are the demo token, user name and password. */
    g_autofree char *description = g_strdup_printf (_("Demo credentials:\n"
    "  chat:    token %s (webhook URL/chat/hooks/TOKEN, or Bearer token)\n"
    "  tracker: user %s, password %s (basic auth)\n"
    "Endpoints: examples/README.md.\n"
    "\n"
    "Exit status: 0 after Ctrl+C, 2 when the port cannot be used, 64 usage error.\n"),
      IWB_DEMO_CHAT_TOKEN, IWB_DEMO_TRACKER_USER, IWB_DEMO_TRACKER_PASSWORD);

    g_option_context_set_description (context, description);
  }
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, _("iwb demo-service: %s\n"), error->message);
      return IWB_EXIT_USAGE;
    }
  if (argc != 1 || port < 0 || port > 65535 || https_port < 0 || https_port > 65535)
    {
      fprintf (stderr, _("iwb demo-service: usage: iwb demo-service [--port N] [--tls-cert PEM "
                       "[--tls-key PEM] [--https-port N]] (0 ≤ N ≤ 65535)\n"));
      return IWB_EXIT_USAGE;
    }
  if (tls_key != NULL && tls_cert == NULL)
    {
      fprintf (stderr, _("iwb demo-service: --tls-key needs --tls-cert\n"));
      return IWB_EXIT_USAGE;
    }

  service = iwb_demo_service_new ();
  if (!iwb_demo_service_start (service, (guint) port, &error))
    {
      fprintf (stderr, _("iwb demo-service: %s\n"), error->message);
      return IWB_EXIT_FAILED;
    }

  if (tls_cert != NULL)
    {
      g_autoptr(GTlsCertificate) certificate = NULL;

      if (tls_key != NULL)
        certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
      else
        certificate = g_tls_certificate_new_from_file (tls_cert, &error);
      if (certificate == NULL)
        {
          fprintf (stderr, _("iwb demo-service: cannot use the certificate %s%s%s: %s\n"
                           "  (a PEM certificate and its private key, e.g. made with: openssl req -x509 "
                           "-newkey rsa:2048 -nodes -subj /CN=localhost -keyout key.pem -out cert.pem)\n"),
                   tls_cert, tls_key ? " / " : "", tls_key ? tls_key : "", error->message);
          return IWB_EXIT_USAGE;
        }
      if (!iwb_demo_service_start_https (service, (guint) https_port, certificate, &error))
        {
          fprintf (stderr, _("iwb demo-service: %s\n"), error->message);
          return IWB_EXIT_FAILED;
        }
    }

  /* Ctrl+C handling first: whoever reads the URL may stop us right away. */
  g_unix_signal_add (SIGINT, on_quit, &quit);
  g_unix_signal_add (SIGTERM, on_quit, &quit);

  printf ("%s\n", iwb_demo_service_get_url (service));
  if (iwb_demo_service_get_https_url (service) != NULL)
    printf ("%s\n", iwb_demo_service_get_https_url (service));
  printf (_("Demo service listening on %s (Ctrl+C to stop)\n"
          "  chat webhook:  %s/chat/hooks/%s\n"
          "  chat API:      %s/chat/api  (Authorization: Bearer %s)\n"
          "  tracker API:   %s/tracker/api  (basic auth %s / %s)\n"),
          iwb_demo_service_get_url (service),
          iwb_demo_service_get_url (service), IWB_DEMO_CHAT_TOKEN,
          iwb_demo_service_get_url (service), IWB_DEMO_CHAT_TOKEN,
          iwb_demo_service_get_url (service), IWB_DEMO_TRACKER_USER, IWB_DEMO_TRACKER_PASSWORD);
  fflush (stdout);

  while (!quit)
    g_main_context_iteration (NULL, TRUE);

  iwb_demo_service_stop (service);
  return IWB_EXIT_OK;
}

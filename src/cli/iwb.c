/* SPDX-License-Identifier: GPL-3.0-or-later */
/* iwb: the workbench without a window. Same core library as the app. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "iwb-cli.h"
#include "iwb-cli-common.h"

typedef struct
{
  const char     *name;
  IwbCommandFunc  func;
  const char     *summary;
} IwbCommand;

static const IwbCommand commands[] = {
  /* -- subcommands (keep the order of `iwb --help`) */
  { "inspect", iwb_cmd_inspect, N_("Load an integration folder and print its summary, metadata or descriptor") },
  { "validate", iwb_cmd_validate, N_("Validate a connection (connection validator) or an action's inputs") },
  { "run", iwb_cmd_run, N_("Run an action over input rows and show results, row errors and logs") },
  { "demo-service", iwb_cmd_demo_service, N_("Serve the examples' demo chat service and ticket tracker on 127.0.0.1") },
  { "diagnose", iwb_cmd_diagnose, N_("Check a connection's URLs layer by layer: proxy, DNS, TCP, TLS, HTTP") },
  { "diff", iwb_cmd_diff, N_("Compare two JSON documents (descriptors, run outputs) structurally") },
  { "profile", iwb_cmd_profile, N_("List, save, show and delete connection profiles (secrets in the keyring)") },
  { "history", iwb_cmd_history, N_("List, show and compare recorded validations and runs") },
  { "env", iwb_cmd_env, N_("Create, check or delete an integration's Python environment (requirements.txt)") },
  { NULL, NULL, NULL }
};

static void
print_usage (FILE *out)
{
  fprintf (out, _("Usage: iwb COMMAND [OPTION…]\n\n"));
  fprintf (out, _("Integration Workbench on the command line: load, validate and run\n"
                "lhub_integ integrations the way the platform runs them.\n\nCommands:\n"));
  for (guint i = 0; commands[i].name != NULL; i++)
    fprintf (out, "  %-14s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, _("\nRun “iwb COMMAND --help” for the options of a command.\n\n"
                "Exit status:\n"
                "  0   success\n"
                "  1   the integration reported errors (validation errors, row errors)\n"
                "  2   the integration could not be loaded, or its process failed hard\n"
                "  3   timed out\n"
                "  64  usage error\n"
                "  128+N  stopped by signal N (130: Ctrl+C, 143: SIGTERM, 129: SIGHUP),\n"
                "         after the integration's processes were ended\n"));
}

int
main (int    argc,
      char **argv)
{
  iwb_cli_guard_std_fds ();
  /* before anything is printed: every secret value is masked in all output */
  iwb_cli_redact_install ();
  setlocale (LC_ALL, "");
  {
    /* pyenv: an installed tree moved elsewhere finds its translations too. */
    g_autofree char *localedir = iwb_relocate_installed_path (LOCALEDIR);

    /* IWB_LOCALEDIR (tests: the build tree's pseudo-locale catalogue) wins when set. */
    if (g_getenv ("IWB_LOCALEDIR") != NULL && *g_getenv ("IWB_LOCALEDIR") != '\0')
      {
        g_free (localedir);
        localedir = g_strdup (g_getenv ("IWB_LOCALEDIR"));
      }
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  }
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return IWB_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return IWB_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      printf ("iwb %s\n", PACKAGE_VERSION);
      return IWB_EXIT_OK;
    }

  for (guint i = 0; commands[i].name != NULL; i++)
    if (g_str_equal (argv[1], commands[i].name))
      return iwb_cli_finish (commands[i].func (argc - 1, argv + 1));

  fprintf (stderr, _("iwb: unknown command “%s”\n\n"), argv[1]);
  print_usage (stderr);
  return IWB_EXIT_USAGE;
}

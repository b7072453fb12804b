/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "iwb-application.h"
#include "iwb-malloc.h"
#include "iwb-python.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(IwbApplication) app = NULL;
  int status;

  iwb_malloc_setup ();
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

  app = iwb_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  g_clear_object (&app);
  iwb_application_exit_for_signal ();
  return status;
}

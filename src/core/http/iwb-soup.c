/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libsoup loaded on first use: see iwb-soup.h. */
#include "config.h"

#include <dlfcn.h>
#include <glib/gi18n.h>

#include "iwb-error.h"
#include "iwb-soup.h"

/* libsoup 3's soname: its ABI, whatever the minor version */
#define SOUP_SONAME "libsoup-3.0.so.0"

IwbSoup iwb_soup;

static char *load_error;

static gpointer
load_once (gpointer data)
{
  void *handle = dlopen (SOUP_SONAME, RTLD_NOW | RTLD_GLOBAL);

  if (handle == NULL)
    {
      load_error = g_strdup (dlerror ());
      return NULL;
    }
#define IWB_SOUP_LOOKUP(name)                                        \
  if (load_error == NULL &&                                          \
      (iwb_soup.name = dlsym (handle, "soup_" #name)) == NULL)       \
    load_error = g_strdup_printf ("%s: no soup_%s", SOUP_SONAME, #name);
  IWB_SOUP_FUNCTIONS (IWB_SOUP_LOOKUP)
#undef IWB_SOUP_LOOKUP
  /* never closed: its types stay registered with GObject */
  return NULL;
}

gboolean
iwb_soup_load (GError **error)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, load_once, NULL);
  if (load_error != NULL)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_FAILED,
                   _("Cannot load libsoup 3, which HTTP from the workbench itself needs "
                     "(demo service, connection diagnosis): %s"), load_error);
      return FALSE;
    }
  return TRUE;
}

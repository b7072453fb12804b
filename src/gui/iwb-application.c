/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-application.h"

struct _IwbApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (IwbApplication, iwb_application, ADW_TYPE_APPLICATION)

static void
iwb_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      GtkWidget *status = adw_status_page_new ();

      adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Integration Workbench"));
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), APPLICATION_ID);
      window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
      adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), status);
      gtk_window_set_default_size (window, 1000, 700);
    }
  gtk_window_present (window);
}

static void
iwb_application_class_init (IwbApplicationClass *klass)
{
  G_APPLICATION_CLASS (klass)->activate = iwb_application_activate;
}

static void
iwb_application_init (IwbApplication *self)
{
}

IwbApplication *
iwb_application_new (void)
{
  return g_object_new (IWB_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}

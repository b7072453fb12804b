/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbWindow's startup requests (--demo, --validate, --run) and the demo
 * service's values (see iwb-window.c for the window's lifecycle).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-window-private.h"

/* --- startup requests (--demo, --validate, --run) -------------------------- */

void
_iwb_window_fill_demo_values (IwbWindow *self)
{
  IwbParamForm *form = _iwb_window_get_connection_form (self);
  const char *url = self->demo ? iwb_demo_service_get_url (self->demo) : NULL;
  GListModel *fields;

  if (form == NULL || url == NULL)
    return;
  fields = iwb_param_form_get_fields (form);
  /* The examples' connection params (examples/README.md): a base URL and
   * the demo credentials; recognised by id so any example works. */
  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(IwbFieldValue) field = g_list_model_get_item (fields, i);
      g_autofree char *id = g_ascii_strdown (iwb_field_value_get_id (field), -1);
      const char *input_type = iwb_field_value_get_input_type (field);

      if (strstr (id, "url") != NULL || strstr (id, "host") != NULL || strstr (id, "server") != NULL)
        iwb_field_value_set_text (field, url);
      else if (strstr (id, "token") != NULL || strstr (id, "api_key") != NULL || strstr (id, "apikey") != NULL)
        iwb_field_value_set_text (field, IWB_DEMO_CHAT_TOKEN);
      else if (strstr (id, "user") != NULL)
        iwb_field_value_set_text (field, IWB_DEMO_TRACKER_USER);
      else if (strstr (id, "password") != NULL || g_str_equal (input_type, "password"))
        iwb_field_value_set_text (field, IWB_DEMO_TRACKER_PASSWORD);
    }
}

static void
run_requested_action (IwbWindow *self)
{
  IwbActionPage *page = iwb_window_get_action_page (self, self->request.run_action);

  if (page == NULL)
    {
      /* Translators: %s is what the user passed to --run */
      g_autofree char *message = g_strdup_printf (_("There is no action “%s” in this integration"),
                                                  self->request.run_action);

      iwb_window_add_toast (self, adw_toast_new (message));
      return;
    }
  iwb_window_show_page (self, iwb_action_page_get_entrypoint (page));
  iwb_action_page_run (page);
  if (self->request.show_http)
    iwb_run_view_show_http (iwb_action_page_get_run_view (page));
}

/* --validate --run: the action runs once the validation is done, from the
 * pages as the validation left them (overrides may have rebuilt them). */
static void
run_after_validation (IwbWindow         *self,
                      IwbRun            *run,
                      IwbConnectionPage *page)
{
  g_signal_handlers_disconnect_by_func (page, run_after_validation, self);
  if (self->request.run_action != NULL)
    run_requested_action (self);
}

void
_iwb_window_run_startup_request (IwbWindow *self)
{
  gboolean validating = FALSE;

  if (!self->request_pending)
    return;
  self->request_pending = FALSE;

  if (self->request.demo)
    {
      g_autoptr(GError) error = NULL;

      if (self->demo == NULL && !iwb_window_start_demo (self, &error))
        iwb_window_add_toast (self, adw_toast_new (error->message));
      _iwb_window_fill_demo_values (self);
    }
  if (self->request.validate && self->connection_page != NULL)
    {
      iwb_window_show_page (self, "connection");
      iwb_connection_page_validate (self->connection_page);
      validating = iwb_connection_page_get_busy (self->connection_page);
    }
  if (self->request.run_action != NULL)
    {
      if (validating)
        g_signal_connect_data (self->connection_page, "validated", G_CALLBACK (run_after_validation),
                               self, NULL, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
      else
        run_requested_action (self);
    }
}


/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRunView's "HTTP" tab: the calls the run made (IWB_RUN_EVENT_HTTP) in
 * an IwbHttpView, the count in the tab's badge.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-descriptor.h"
#include "iwb-http-view.h"
#include "iwb-json.h"
#include "iwb-run-view-private.h"

static void
collect_secret_ids (JsonArray *inputs,
                    GPtrArray *ids)
{
  for (guint i = 0; inputs != NULL && i < json_array_get_length (inputs); i++)
    {
      JsonObject *input = iwb_json_array_get_object (inputs, i);
      const char *id = iwb_descriptor_input_get_id (input);

      if (id != NULL && iwb_descriptor_input_is_secret (input)
          && !g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
        g_ptr_array_add (ids, g_strdup (id));
    }
}

char **
_iwb_run_view_secret_ids (JsonNode   *descriptor,
                          const char *entrypoint)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  collect_secret_ids (iwb_descriptor_get_connection_inputs (descriptor, NULL), ids);
  if (entrypoint != NULL)
    collect_secret_ids (iwb_descriptor_action_get_inputs (iwb_descriptor_find_action (descriptor,
                                                                                      entrypoint),
                                                          NULL),
                        ids);
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (ids, FALSE);
}

static void
count_changed (IwbRunView *self)
{
  guint n = iwb_http_view_get_n_exchanges (IWB_HTTP_VIEW (self->http_view));
  /* Translators: the HTTP tab's title with its number of calls */
  g_autofree char *title = n > 0 ? g_strdup_printf (_("HTTP (%u)"), n) : g_strdup (_("HTTP"));

  adw_view_stack_page_set_title (self->http_page, title);
}

void
_iwb_run_view_http_init (IwbRunView *self)
{
  g_signal_connect_swapped (self->http_view, "notify::n-exchanges", G_CALLBACK (count_changed), self);
}

void
_iwb_run_view_http_attach (IwbRunView *self,
                           IwbRun     *run)
{
  g_auto(GStrv) secrets = _iwb_run_view_secret_ids (iwb_run_get_descriptor (run), iwb_run_get_entrypoint (run));

  iwb_http_view_set_secret_names (IWB_HTTP_VIEW (self->http_view), (const char * const *) secrets);
}

void
_iwb_run_view_http_clear (IwbRunView *self)
{
  iwb_http_view_clear (IWB_HTTP_VIEW (self->http_view));
}

void
_iwb_run_view_http_add (IwbRunView      *self,
                        IwbHttpExchange *exchange)
{
  iwb_http_view_add (IWB_HTTP_VIEW (self->http_view), exchange);
}

IwbHttpView *
iwb_run_view_get_http_view (IwbRunView *self)
{
  g_return_val_if_fail (IWB_IS_RUN_VIEW (self), NULL);
  return IWB_HTTP_VIEW (self->http_view);
}

static void
select_first_call (IwbHttpView *view,
                   GParamSpec  *pspec,
                   gpointer     user_data)
{
  if (g_list_model_get_n_items (iwb_http_view_get_exchanges (view)) == 0)
    return;
  g_signal_handlers_disconnect_by_func (view, select_first_call, user_data);
  iwb_http_view_select (view, 0);
}

void
iwb_run_view_show_http (IwbRunView *self)
{
  g_return_if_fail (IWB_IS_RUN_VIEW (self));

  iwb_run_view_set_visible_tab (self, "http");
  g_signal_handlers_disconnect_by_func (self->http_view, select_first_call, NULL);
  g_signal_connect (self->http_view, "notify::n-exchanges", G_CALLBACK (select_first_call), NULL);
  select_first_call (IWB_HTTP_VIEW (self->http_view), NULL, NULL);
}

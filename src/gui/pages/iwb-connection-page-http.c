/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The Connection page's HTTP part: under the validation result, an
 * expander "HTTP Calls" with the validation's calls (IwbHttpView, list
 * above detail), and, when the validation did not pass, "Diagnose…": every
 * connection value that is an http(s) URL, and every other host the
 * validator called, checked layer by layer in an IwbDiagnoseView window.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "iwb-connection-page-http.h"
#include "iwb-diagnose-call.h"
#include "iwb-gui-util.h"
#include "iwb-http-mode-group.h"
#include "iwb-http-view.h"

struct _IwbConnectionHttp
{
  GtkWidget         *page;     /* borrowed: the page owns this */
  IwbParamForm      *form;     /* borrowed */
  IwbSession        *session;  /* borrowed */
  GtkWidget         *box;
  GtkWidget         *expander;
  GtkWidget         *view;
  GtkWidget         *diagnose_button;
  GtkWidget         *failing_label;  /* the call that made the validation fail */
  GtkWindow         *diagnose_window;
  gboolean           failed;         /* the last validation did not pass */
};

/* A validation that did not pass says which of its calls failed, first
 * thing ("GET /api/me → 401: the credentials were rejected"), and shows
 * that call open in the list. Calls arrive in batches: checked again as
 * they do. */
static void
show_failing_call (IwbConnectionHttp *http)
{
  GListModel *calls = iwb_http_view_get_exchanges (IWB_HTTP_VIEW (http->view));
  g_autoptr(IwbHttpExchange) failing = http->failed ? iwb_diagnose_find_failing_call (calls) : NULL;
  g_autofree char *described = NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (http->failing_label, failing != NULL);
  if (failing == NULL)
    return;
  described = iwb_diagnose_describe_call (failing);
  /* Translators: %s is a call and what its answer means, e.g.
   * "GET /api/me → 401: the credentials were rejected" */
  text = g_strdup_printf (_("The failing call: %s"), described);
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (http->failing_label)), text) == 0)
    return;
  gtk_label_set_text (GTK_LABEL (http->failing_label), text);
  gtk_widget_set_tooltip_text (http->failing_label, iwb_http_exchange_get_url (failing));
  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr(IwbHttpExchange) call = g_list_model_get_item (calls, i);

      if (call == failing)
        {
          iwb_http_view_select (IWB_HTTP_VIEW (http->view), i);
          gtk_expander_set_expanded (GTK_EXPANDER (http->expander), TRUE);
          break;
        }
    }
}

static void
count_changed (IwbConnectionHttp *http)
{
  guint n = iwb_http_view_get_n_exchanges (IWB_HTTP_VIEW (http->view));
  /* Translators: %u is a number of HTTP calls */
  g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "HTTP Calls of the Validator (%u)",
                                                         "HTTP Calls of the Validator (%u)", n), n);

  gtk_expander_set_label (GTK_EXPANDER (http->expander), label);
  gtk_widget_set_visible (http->expander, n > 0);
  show_failing_call (http);
}

static gboolean
is_http_url (const char *value)
{
  g_autofree char *v = value ? g_strstrip (g_strdup (value)) : NULL;

  return v != NULL && (g_ascii_strncasecmp (v, "http://", 7) == 0 || g_ascii_strncasecmp (v, "https://", 8) == 0);
}

/* "https://host:port/" of @url, for comparing hosts. */
static char *
origin_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  return g_strdup_printf ("%s://%s:%d/", g_uri_get_scheme (uri), g_uri_get_host (uri),
                          g_uri_get_port (uri) > 0 ? g_uri_get_port (uri)
                          : g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80);
}

IwbDiagnoseView *
_iwb_connection_http_diagnose (IwbConnectionHttp *http)
{
  IwbDiagnoseView *view = iwb_diagnose_view_new ();
  GListModel *fields = iwb_param_form_get_fields (http->form);
  GListModel *calls = iwb_http_view_get_exchanges (IWB_HTTP_VIEW (http->view));
  g_autoptr(GHashTable) origins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (http->page));

  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(IwbFieldValue) field = g_list_model_get_item (fields, i);
      const char *text = iwb_field_value_get_text (field);
      g_autoptr(IwbDiagnose) check = NULL;
      g_autofree char *url = NULL;
      char *origin;

      if (!is_http_url (text))
        continue;
      url = g_strstrip (g_strdup (text));
      check = iwb_diagnose_new (url, iwb_field_value_get_id (field));
      iwb_diagnose_set_secret (check, iwb_field_value_is_secret (field));
      iwb_diagnose_view_add (view, check);
      if ((origin = origin_of (url)) != NULL)
        g_hash_table_add (origins, origin);
    }
  /* Hosts the validator called that no connection value names. */
  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr(IwbHttpExchange) exchange = g_list_model_get_item (calls, i);
      char *origin = origin_of (iwb_http_exchange_get_url (exchange));

      if (origin == NULL || g_hash_table_contains (origins, origin))
        {
          g_free (origin);
          continue;
        }
      g_hash_table_add (origins, origin);
      {
        g_autoptr(IwbDiagnose) check = iwb_diagnose_new (origin, NULL);

        iwb_diagnose_view_add (view, check);
      }
    }
  iwb_diagnose_view_set_calls (view, calls);

  if (http->diagnose_window != NULL)
    gtk_window_destroy (http->diagnose_window);
  http->diagnose_window = iwb_diagnose_view_new_window (view, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  g_object_add_weak_pointer (G_OBJECT (http->diagnose_window), (gpointer *) &http->diagnose_window);
  gtk_window_present (http->diagnose_window);
  iwb_diagnose_view_start (view);
  return view;
}

static void
diagnose_clicked (IwbConnectionHttp *http)
{
  _iwb_connection_http_diagnose (http);
}

void
_iwb_connection_http_add_mode_group (IwbConnectionHttp *http,
                                     GtkWidget         *after)
{
  GtkWidget *group = iwb_http_mode_group_new (http->session);

  gtk_widget_insert_after (group, gtk_widget_get_parent (after), after);
}

IwbConnectionHttp *
_iwb_connection_http_new (GtkWidget         *page,
                          IwbParamForm      *form,
                          IwbSession        *session,
                          GtkWidget         *after)
{
  IwbConnectionHttp *http = g_new0 (IwbConnectionHttp, 1);
  GtkWidget *parent = gtk_widget_get_parent (after);

  http->page = page;
  http->form = form;
  http->session = session;
  http->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  http->failing_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (http->failing_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (http->failing_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (http->failing_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (http->failing_label), 0);
  gtk_widget_set_visible (http->failing_label, FALSE);
  gtk_box_append (GTK_BOX (http->box), http->failing_label);

  http->diagnose_button = gtk_button_new_with_mnemonic (_("_Diagnose…"));
  gtk_widget_set_tooltip_text (http->diagnose_button,
                               _("Check each connection URL layer by layer (name resolution, TCP, TLS, "
                                 "proxy, HTTP) and show the validator’s failing call"));
  gtk_widget_set_halign (http->diagnose_button, GTK_ALIGN_START);
  gtk_widget_set_visible (http->diagnose_button, FALSE);
  gtk_widget_add_css_class (http->diagnose_button, "pill");
  g_signal_connect_swapped (http->diagnose_button, "clicked", G_CALLBACK (diagnose_clicked), http);
  gtk_box_append (GTK_BOX (http->box), http->diagnose_button);

  http->view = iwb_http_view_new ();
  iwb_http_view_set_vertical (IWB_HTTP_VIEW (http->view), TRUE);
  gtk_widget_set_size_request (http->view, -1, 520);
  http->expander = gtk_expander_new (NULL);
  gtk_expander_set_child (GTK_EXPANDER (http->expander), http->view);
  gtk_widget_add_css_class (http->expander, "http-calls-expander");
  gtk_box_append (GTK_BOX (http->box), http->expander);
  g_signal_connect_swapped (http->view, "notify::n-exchanges", G_CALLBACK (count_changed), http);
  count_changed (http);

  gtk_widget_insert_after (http->box, parent, after);
  return http;
}

void
_iwb_connection_http_free (IwbConnectionHttp *http)
{
  if (http == NULL)
    return;
  if (http->diagnose_window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (http->diagnose_window), (gpointer *) &http->diagnose_window);
      gtk_window_destroy (http->diagnose_window);
    }
  g_signal_handlers_disconnect_by_data (http->view, http);
  g_free (http);
}

void
_iwb_connection_http_started (IwbConnectionHttp *http,
                              IwbRun            *run)
{
  g_auto(GStrv) secrets = NULL;
  GListModel *fields = iwb_param_form_get_fields (http->form);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(IwbFieldValue) field = g_list_model_get_item (fields, i);

      if (iwb_field_value_is_secret (field))
        g_strv_builder_add (builder, iwb_field_value_get_id (field));
    }
  secrets = g_strv_builder_end (builder);
  iwb_http_view_clear (IWB_HTTP_VIEW (http->view));
  iwb_http_view_set_secret_names (IWB_HTTP_VIEW (http->view), (const char * const *) secrets);
  gtk_widget_set_visible (http->diagnose_button, FALSE);
  http->failed = FALSE;
  gtk_label_set_text (GTK_LABEL (http->failing_label), "");
  show_failing_call (http);
}

void
_iwb_connection_http_add (IwbConnectionHttp *http,
                          IwbHttpExchange   *exchange)
{
  iwb_http_view_add (IWB_HTTP_VIEW (http->view), exchange);
}

void
_iwb_connection_http_finished (IwbConnectionHttp *http,
                               const char        *result)
{
  http->failed = g_strcmp0 (result, "invalid") == 0 || g_strcmp0 (result, "failed") == 0;
  gtk_widget_set_visible (http->diagnose_button, http->failed);
  show_failing_call (http);
}

IwbHttpView *
_iwb_connection_http_get_view (IwbConnectionHttp *http)
{
  return IWB_HTTP_VIEW (http->view);
}

const char *
_iwb_connection_http_get_failing_call (IwbConnectionHttp *http)
{
  return gtk_widget_get_visible (http->failing_label) ? gtk_label_get_text (GTK_LABEL (http->failing_label))
                                                      : NULL;
}

gboolean
_iwb_connection_http_get_can_diagnose (IwbConnectionHttp *http)
{
  return gtk_widget_get_visible (http->diagnose_button);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbDiagnoseView (iwb-diagnose-view.h): groups of layer rows, filled when
 * each IwbDiagnose finishes; a summary at the top names the first failing
 * layer. Cancelled when the view goes away.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-diagnose-view.h"
#include "iwb-error.h"
#include "iwb-gui-util.h"

typedef struct
{
  IwbDiagnoseView *view;
  IwbDiagnose     *diagnose;
  GtkWidget       *group;
  GtkWidget       *spinner;
  GtkWidget       *rows[IWB_DIAGNOSE_N_LAYERS];
  gboolean         started;
  gboolean         done;
  char            *error;    /* the check could not run (not an http URL) */
} Check;

struct _IwbDiagnoseView
{
  GtkWidget     parent_instance;

  GtkWidget    *scrolled;
  GtkWidget    *groups_box;
  GtkWidget    *summary_icon;
  GtkWidget    *summary_spinner;
  GtkWidget    *summary_title;
  GtkWidget    *summary_details;

  GPtrArray    *checks;      /* Check* */
  GtkWidget    *call_group;
  GtkWidget    *call_row;
  char         *call_text;
  gboolean      call_failed;
  GCancellable *cancellable;
  guint         n_running;
};

G_DEFINE_FINAL_TYPE (IwbDiagnoseView, iwb_diagnose_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FINISHED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
check_free (Check *check)
{
  g_clear_object (&check->diagnose);
  g_free (check->error);
  g_free (check);
}

const char *
iwb_http_status_meaning (guint status)
{
  switch (status)
    {
    case 400: return _("the service rejected the request as malformed");
    case 401: return _("the credentials were rejected");
    case 403: return _("the credentials were accepted but are not allowed to do this");
    case 404: return _("nothing is at this address: check the base URL and the path");
    case 405: return _("the service does not accept this method at this address");
    case 407: return _("the proxy asks for credentials");
    case 408: return _("the service timed out waiting for the request");
    case 409: return _("the request conflicts with the service’s state");
    case 415: return _("the service does not accept this body’s media type");
    case 422: return _("the service could not process the request’s content");
    case 429: return _("too many requests: the service is rate limiting");
    case 500: return _("the service failed with an internal error");
    case 502: return _("a gateway in front of the service got no valid answer from it");
    case 503: return _("the service is unavailable (down or overloaded)");
    case 504: return _("a gateway in front of the service timed out");
    default:
      break;
    }
  if (status >= 500)
    return _("the service failed");
  if (status >= 400)
    return _("the service refused the request");
  if (status >= 300)
    return _("the service redirects elsewhere");
  return _("the call succeeded");
}

char *
iwb_http_exchange_describe_failure (IwbHttpExchange *exchange)
{
  const char *method = iwb_http_exchange_get_method (exchange);
  const char *path = iwb_http_exchange_get_path (exchange);
  const char *host = iwb_http_exchange_get_host (exchange);
  const char *kind = iwb_http_exchange_get_error_kind (exchange);
  guint status = iwb_http_exchange_get_status (exchange);
  g_autofree char *call = g_strdup_printf ("%s %s%s", method ? method : "", host ? host : "", path ? path : "");

  g_strstrip (call);
  if (status > 0)
    {
      const char *reason = iwb_http_exchange_get_reason (exchange);

      /* Translators: "GET host/api/me → 401 Unauthorized: the credentials were rejected" */
      return g_strdup_printf (_("%s → %u %s: %s"), call, status, reason ? reason : "",
                              iwb_http_status_meaning (status));
    }
  if (kind != NULL)
    {
      const char *reason = iwb_http_exchange_get_error_reason (exchange);
      const char *message = iwb_http_exchange_get_error_message (exchange);

      /* Translators: "GET host/api/me → refused: [Errno 111] Connection refused" */
      return g_strdup_printf (_("%s → %s: %s"), call, kind,
                              reason && reason[0] ? reason : message ? message : "");
    }
  return g_steal_pointer (&call);
}

/* --- rows ------------------------------------------------------------------ */

static void
set_row (GtkWidget        *row,
         IwbDiagnoseState  state,
         const char       *detail)
{
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "state-icon");
  GtkWidget *label = g_object_get_data (G_OBJECT (row), "state-label");
  const char *icon_name = "content-loading-symbolic";
  const char *style = "dim-label";

  switch (state)
    {
    case IWB_DIAGNOSE_PASSED:
      icon_name = "emblem-ok-symbolic";
      style = "success";
      break;
    case IWB_DIAGNOSE_FAILED:
      icon_name = "dialog-error-symbolic";
      style = "error";
      break;
    case IWB_DIAGNOSE_SKIPPED:
      icon_name = "action-unavailable-symbolic";
      break;
    case IWB_DIAGNOSE_NOT_REACHED:
    default:
      icon_name = "radio-symbolic";
      break;
    }
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), icon_name);
  for (const char * const *c = (const char *[]) { "success", "error", "dim-label", NULL }; *c; c++)
    {
      gtk_widget_remove_css_class (icon, *c);
      gtk_widget_remove_css_class (label, *c);
    }
  gtk_widget_add_css_class (icon, style);
  gtk_widget_add_css_class (label, style);
  gtk_label_set_text (GTK_LABEL (label), iwb_diagnose_state_to_string (state));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), detail ? detail : "");
  if (state == IWB_DIAGNOSE_FAILED)
    gtk_widget_add_css_class (row, "diagnose-failed");
  else
    gtk_widget_remove_css_class (row, "diagnose-failed");
}

static GtkWidget *
new_row (const char *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  g_object_set_data (G_OBJECT (row), "state-icon", icon);
  g_object_set_data (G_OBJECT (row), "state-label", label);
  gtk_widget_add_css_class (row, "diagnose-row");
  return row;
}

/* --- summary --------------------------------------------------------------- */

static void
update_summary (IwbDiagnoseView *self)
{
  gboolean running = self->n_running > 0;
  g_autofree char *first_failure = NULL;
  guint n_failed = 0;

  for (guint i = 0; i < self->checks->len; i++)
    {
      Check *check = g_ptr_array_index (self->checks, i);

      if (!check->done)
        continue;
      if (check->error != NULL)
        {
          n_failed++;
          continue;
        }
      for (guint l = 0; l < IWB_DIAGNOSE_N_LAYERS; l++)
        if (iwb_diagnose_get_state (check->diagnose, l) == IWB_DIAGNOSE_FAILED)
          {
            n_failed++;
            if (first_failure == NULL)
              /* Translators: "Name resolution of https://example.com/" */
              first_failure = g_strdup_printf (_("%s of %s"), iwb_diagnose_layer_to_string (l),
                                               iwb_diagnose_get_display_url (check->diagnose));
            break;
          }
    }
  gtk_widget_set_visible (self->summary_spinner, running);
  gtk_spinner_set_spinning (GTK_SPINNER (self->summary_spinner), running);
  gtk_widget_set_visible (self->summary_icon, !running);
  gtk_widget_remove_css_class (self->summary_icon, "success");
  gtk_widget_remove_css_class (self->summary_icon, "error");
  if (running)
    gtk_label_set_text (GTK_LABEL (self->summary_title), _("Checking the connection…"));
  else if (first_failure != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("First failing layer: %s"), first_failure);

      gtk_label_set_text (GTK_LABEL (self->summary_title), title);
      gtk_image_set_from_icon_name (GTK_IMAGE (self->summary_icon), "dialog-error-symbolic");
      gtk_widget_add_css_class (self->summary_icon, "error");
    }
  else if (n_failed > 0)
    {
      gtk_label_set_text (GTK_LABEL (self->summary_title), _("A check could not run"));
      gtk_image_set_from_icon_name (GTK_IMAGE (self->summary_icon), "dialog-error-symbolic");
      gtk_widget_add_css_class (self->summary_icon, "error");
    }
  else if (self->checks->len == 0)
    {
      gtk_label_set_text (GTK_LABEL (self->summary_title),
                          self->call_failed ? _("The validator’s call failed")
                          : _("No connection value is a web address"));
      gtk_image_set_from_icon_name (GTK_IMAGE (self->summary_icon), "dialog-information-symbolic");
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->summary_title),
                          self->call_failed ? _("The network is fine: the validator’s call failed")
                          : _("Every layer passed"));
      gtk_image_set_from_icon_name (GTK_IMAGE (self->summary_icon),
                                    self->call_failed ? "dialog-warning-symbolic" : "emblem-ok-symbolic");
      gtk_widget_add_css_class (self->summary_icon, self->call_failed ? "error" : "success");
    }
}

/* --- checks ---------------------------------------------------------------- */

static void
check_finished (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Check *check = user_data;
  IwbDiagnoseView *self = check->view;
  g_autoptr(GError) error = NULL;

  if (!iwb_diagnose_run_finish (IWB_DIAGNOSE (source), result, &error)
      && g_error_matches (error, IWB_ERROR, IWB_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  check->done = TRUE;
  gtk_widget_set_visible (check->spinner, FALSE);
  gtk_spinner_set_spinning (GTK_SPINNER (check->spinner), FALSE);
  if (error != NULL)
    {
      check->error = g_strdup (error->message);
      set_row (check->rows[0], IWB_DIAGNOSE_FAILED, error->message);
    }
  else
    for (guint l = 0; l < IWB_DIAGNOSE_N_LAYERS; l++)
      set_row (check->rows[l], iwb_diagnose_get_state (check->diagnose, l),
               iwb_diagnose_get_detail (check->diagnose, l));
  self->n_running--;
  update_summary (self);
  if (self->n_running == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
  g_object_unref (self);
}

void
iwb_diagnose_view_add (IwbDiagnoseView *self,
                       IwbDiagnose     *diagnose)
{
  Check *check;
  g_autofree char *title = NULL;
  const char *label;

  g_return_if_fail (IWB_IS_DIAGNOSE_VIEW (self));
  g_return_if_fail (IWB_IS_DIAGNOSE (diagnose));

  check = g_new0 (Check, 1);
  check->view = self;
  check->diagnose = g_object_ref (diagnose);
  check->group = adw_preferences_group_new ();
  label = iwb_diagnose_get_label (diagnose);
  title = g_markup_escape_text (label ? label : iwb_diagnose_get_display_url (diagnose), -1);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (check->group), title);
  if (label != NULL)
    {
      g_autofree char *url = g_markup_escape_text (iwb_diagnose_get_display_url (diagnose), -1);

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (check->group), url);
    }
  check->spinner = gtk_spinner_new ();
  gtk_widget_set_valign (check->spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (check->spinner, FALSE);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (check->group), check->spinner);
  for (guint l = 0; l < IWB_DIAGNOSE_N_LAYERS; l++)
    {
      check->rows[l] = new_row (iwb_diagnose_layer_to_string (l));
      set_row (check->rows[l], IWB_DIAGNOSE_NOT_REACHED, NULL);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (check->group), check->rows[l]);
    }
  if (self->call_group != NULL)
    gtk_widget_insert_before (check->group, self->groups_box, self->call_group);
  else
    gtk_box_append (GTK_BOX (self->groups_box), check->group);
  g_ptr_array_add (self->checks, check);
}

void
iwb_diagnose_view_start (IwbDiagnoseView *self)
{
  g_return_if_fail (IWB_IS_DIAGNOSE_VIEW (self));

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  for (guint i = 0; i < self->checks->len; i++)
    {
      Check *check = g_ptr_array_index (self->checks, i);

      if (check->started)
        continue;
      check->started = TRUE;
      self->n_running++;
      gtk_widget_set_visible (check->spinner, TRUE);
      gtk_spinner_set_spinning (GTK_SPINNER (check->spinner), TRUE);
      g_object_ref (self); /* released in check_finished */
      iwb_diagnose_run_async (check->diagnose, self->cancellable, check_finished, check);
    }
  update_summary (self);
  if (self->n_running == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
}

void
iwb_diagnose_view_cancel (IwbDiagnoseView *self)
{
  g_return_if_fail (IWB_IS_DIAGNOSE_VIEW (self));
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

void
iwb_diagnose_view_set_calls (IwbDiagnoseView *self,
                             GListModel      *exchanges)
{
  g_autoptr(IwbHttpExchange) failing = NULL;
  guint n = exchanges ? g_list_model_get_n_items (exchanges) : 0;

  g_return_if_fail (IWB_IS_DIAGNOSE_VIEW (self));

  for (guint i = n; i > 0 && failing == NULL; i--)
    {
      g_autoptr(IwbHttpExchange) exchange = g_list_model_get_item (exchanges, i - 1);

      if (iwb_http_exchange_get_error_kind (exchange) != NULL || iwb_http_exchange_get_status (exchange) >= 400)
        failing = g_steal_pointer (&exchange);
    }

  if (self->call_group == NULL)
    {
      self->call_group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->call_group), _("The Validator’s Calls"));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->call_group),
                                             _("From the HTTP calls the validator made"));
      self->call_row = new_row (_("Failing call"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->call_group), self->call_row);
      gtk_box_append (GTK_BOX (self->groups_box), self->call_group);
    }
  g_free (self->call_text);
  if (failing != NULL)
    {
      self->call_text = iwb_http_exchange_describe_failure (failing);
      set_row (self->call_row, IWB_DIAGNOSE_FAILED, self->call_text);
    }
  else if (n > 0)
    {
      self->call_text = g_strdup (_("None of the validator’s calls failed: it rejected the connection for "
                                    "another reason (see its output)"));
      set_row (self->call_row, IWB_DIAGNOSE_PASSED, self->call_text);
    }
  else
    {
      self->call_text = g_strdup (_("The validator made no HTTP call that the workbench could see"));
      set_row (self->call_row, IWB_DIAGNOSE_NOT_REACHED, self->call_text);
    }
  self->call_failed = failing != NULL;
  update_summary (self);
}

gboolean
iwb_diagnose_view_get_finished (IwbDiagnoseView *self)
{
  g_return_val_if_fail (IWB_IS_DIAGNOSE_VIEW (self), FALSE);
  return self->n_running == 0;
}

guint
iwb_diagnose_view_get_n_checks (IwbDiagnoseView *self)
{
  g_return_val_if_fail (IWB_IS_DIAGNOSE_VIEW (self), 0);
  return self->checks->len;
}

IwbDiagnose *
iwb_diagnose_view_get_check (IwbDiagnoseView *self,
                             guint            index)
{
  g_return_val_if_fail (IWB_IS_DIAGNOSE_VIEW (self), NULL);
  g_return_val_if_fail (index < self->checks->len, NULL);
  return ((Check *) g_ptr_array_index (self->checks, index))->diagnose;
}

const char *
iwb_diagnose_view_get_call_text (IwbDiagnoseView *self)
{
  g_return_val_if_fail (IWB_IS_DIAGNOSE_VIEW (self), NULL);
  return self->call_text;
}

GtkWidget *
iwb_diagnose_view_get_layer_row (IwbDiagnoseView  *self,
                                 guint             index,
                                 IwbDiagnoseLayer  layer)
{
  g_return_val_if_fail (IWB_IS_DIAGNOSE_VIEW (self), NULL);
  g_return_val_if_fail (index < self->checks->len && layer < IWB_DIAGNOSE_N_LAYERS, NULL);
  return ((Check *) g_ptr_array_index (self->checks, index))->rows[layer];
}

static gboolean
window_close_request (IwbDiagnoseView *view)
{
  iwb_diagnose_view_cancel (view);
  return FALSE;
}

GtkWindow *
iwb_diagnose_view_new_window (IwbDiagnoseView *view,
                              GtkWindow       *parent)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  gtk_window_set_title (GTK_WINDOW (window), _("Diagnose Connection"));
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 640);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (GTK_WIDGET (view), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (view));
  adw_window_set_content (ADW_WINDOW (window), box);
  iwb_window_close_on_escape (GTK_WINDOW (window));
  /* The checks stop when the window closes. */
  g_signal_connect_object (window, "close-request", G_CALLBACK (window_close_request), view,
                           G_CONNECT_SWAPPED);
  return GTK_WINDOW (window);
}

/* --- object ---------------------------------------------------------------- */

static void
iwb_diagnose_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_FINISHED:
      g_value_set_boolean (value, iwb_diagnose_view_get_finished (IWB_DIAGNOSE_VIEW (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_diagnose_view_dispose (GObject *object)
{
  IwbDiagnoseView *self = IWB_DIAGNOSE_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), IWB_TYPE_DIAGNOSE_VIEW);
  G_OBJECT_CLASS (iwb_diagnose_view_parent_class)->dispose (object);
}

static void
iwb_diagnose_view_finalize (GObject *object)
{
  IwbDiagnoseView *self = IWB_DIAGNOSE_VIEW (object);

  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_free (self->call_text);
  G_OBJECT_CLASS (iwb_diagnose_view_parent_class)->finalize (object);
}

static void
iwb_diagnose_view_class_init (IwbDiagnoseViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = iwb_diagnose_view_dispose;
  object_class->finalize = iwb_diagnose_view_finalize;
  object_class->get_property = iwb_diagnose_view_get_property;

  properties[PROP_FINISHED] =
    g_param_spec_boolean ("finished", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lhub/IntegrationWorkbench/iwb-diagnose-view.ui");
  gtk_widget_class_bind_template_child (widget_class, IwbDiagnoseView, scrolled);
  gtk_widget_class_bind_template_child (widget_class, IwbDiagnoseView, groups_box);
  gtk_widget_class_bind_template_child (widget_class, IwbDiagnoseView, summary_icon);
  gtk_widget_class_bind_template_child (widget_class, IwbDiagnoseView, summary_spinner);
  gtk_widget_class_bind_template_child (widget_class, IwbDiagnoseView, summary_title);
  gtk_widget_class_bind_template_child (widget_class, IwbDiagnoseView, summary_details);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "diagnoseview");
}

static void
iwb_diagnose_view_init (IwbDiagnoseView *self)
{
  self->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) check_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  update_summary (self);
}

IwbDiagnoseView *
iwb_diagnose_view_new (void)
{
  return g_object_new (IWB_TYPE_DIAGNOSE_VIEW, NULL);
}

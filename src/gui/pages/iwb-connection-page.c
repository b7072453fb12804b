/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbConnectionPage: the connection params form and "Validate Connection"
 * (shim_validate --validate-connections), with a result area that tells
 * valid, the errors per field, or the child's failure with its stderr.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-connection-page.h"
#include "iwb-connection-page-http.h"
#include "iwb-gui-util.h"
#include "iwb-json.h"
#include "iwb-profile-selector.h"

#define STDERR_KEEP_LINES 400

struct _IwbConnectionPage
{
  GtkWidget     parent_instance;

  IwbSession   *session;
  GtkWidget    *scrolled;
  GtkWidget    *form_group;
  IwbParamForm *form;
  GtkWidget    *button_stack;
  GtkWidget    *validate_button;
  GtkWidget    *reason_label;
  GtkWidget    *result_group;
  GtkWidget    *result_icon;
  GtkWidget    *result_title_label;
  GtkWidget    *result_details_label;
  GtkWidget    *duration_label;
  GtkWidget    *output_expander;
  GtkWidget    *output_label;

  IwbRun       *run;
  GCancellable *cancellable;
  GString      *output;
  GString      *stderr_text;
  guint         output_lines;
  char         *result;
  char         *result_title;
  char         *result_details;
  char         *extra_errors;
  GtkWidget    *note_label;  /* what the dynamic overrides did, under the result */
  char         *result_note;
  IwbConnectionHttp *http;   /* the validation's HTTP calls, Diagnose (iwb-connection-page-http.c) */
  IwbProfileSelector *profile_selector; /* in the form group's header */
};

G_DEFINE_FINAL_TYPE (IwbConnectionPage, iwb_connection_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  VALIDATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_state (IwbConnectionPage *self)
{
  gboolean busy = self->cancellable != NULL;
  gboolean valid = iwb_param_form_get_valid (self->form);
  g_autofree char *problem = valid ? NULL : iwb_param_form_dup_problem (self->form);

  gtk_stack_set_visible_child_name (GTK_STACK (self->button_stack), busy ? "cancel" : "validate");
  gtk_widget_set_sensitive (self->validate_button, valid && !busy);
  gtk_label_set_text (GTK_LABEL (self->reason_label), problem ? problem : "");
  gtk_widget_set_visible (self->reason_label, problem != NULL);
  gtk_widget_set_tooltip_text (self->validate_button, problem);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.cancel", busy);
}

static void
set_result (IwbConnectionPage *self,
            const char        *result,
            const char        *icon,
            const char        *title,
            const char        *details)
{
  g_free (self->result);
  self->result = g_strdup (result);
  g_free (self->result_title);
  self->result_title = g_strdup (title);
  g_free (self->result_details);
  self->result_details = g_strdup (details);

  iwb_connection_page_set_result_note (self, NULL, FALSE);
  gtk_widget_set_visible (self->result_group, !g_str_equal (result, "none"));
  gtk_image_set_from_icon_name (GTK_IMAGE (self->result_icon), icon);
  gtk_label_set_text (GTK_LABEL (self->result_title_label), title ? title : "");
  gtk_label_set_text (GTK_LABEL (self->result_details_label), details ? details : "");
  gtk_widget_set_visible (self->result_details_label, details != NULL && details[0] != '\0');
  gtk_widget_remove_css_class (self->result_title_label, "success");
  gtk_widget_remove_css_class (self->result_title_label, "error");
  gtk_widget_remove_css_class (self->result_icon, "success");
  gtk_widget_remove_css_class (self->result_icon, "error");
  if (g_str_equal (result, "valid"))
    {
      gtk_widget_add_css_class (self->result_title_label, "success");
      gtk_widget_add_css_class (self->result_icon, "success");
    }
  else if (g_str_equal (result, "invalid") || g_str_equal (result, "failed"))
    {
      gtk_widget_add_css_class (self->result_title_label, "error");
      gtk_widget_add_css_class (self->result_icon, "error");
    }
}

static void
on_run_event (IwbRun            *run,
              IwbRunEvent       *event,
              IwbConnectionPage *self)
{
  switch (iwb_run_event_get_kind (event))
    {
    case IWB_RUN_EVENT_LOG:
      {
        const char *stream = iwb_run_event_get_stream (event);
        const char *text = iwb_run_event_get_text (event);

        if (self->output_lines++ < STDERR_KEEP_LINES)
          g_string_append_printf (self->output, "%s%s\n",
                                  g_strcmp0 (stream, "stderr") == 0 ? "! " : "", text);
        if (g_strcmp0 (stream, "stderr") == 0 && self->stderr_text->len < 64 * 1024)
          g_string_append_printf (self->stderr_text, "%s\n", text);
      }
      break;
    case IWB_RUN_EVENT_VALIDATION_ERRORS:
      {
        guint unmatched = iwb_param_form_set_field_errors (self->form, iwb_run_event_get_field_errors (event));
        GPtrArray *errors = iwb_run_event_get_field_errors (event);
        GString *extra = g_string_new (NULL);

        /* Errors for inputs the form does not have still have to be seen. */
        for (guint i = 0; unmatched > 0 && errors != NULL && i < errors->len; i++)
          {
            IwbFieldError *fe = g_ptr_array_index (errors, i);
            const char *id = fe->field ? fe->field : fe->input_id;

            if (id == NULL || iwb_param_form_get_field (self->form, id) == NULL)
              g_string_append_printf (extra, "%s%s%s%s", extra->len ? "\n" : "", id ? id : "",
                                      id ? ": " : "", fe->message);
          }
        g_free (self->extra_errors);
        self->extra_errors = g_string_free (extra, FALSE);
      }
      break;
    case IWB_RUN_EVENT_HTTP:
      if (iwb_run_event_get_exchange (event) != NULL)
        _iwb_connection_http_add (self->http, iwb_run_event_get_exchange (event));
      break;
    case IWB_RUN_EVENT_INSTANTIATION_ERROR:
      {
        JsonNode *payload = iwb_run_event_get_payload (event);
        GString *extra = g_string_new (iwb_run_event_get_message (event));

        if (payload != NULL && JSON_NODE_HOLDS_OBJECT (payload))
          {
            JsonArray *errors = iwb_json_get_array (json_node_get_object (payload), "errors");

            for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
              {
                JsonNode *item = json_array_get_element (errors, i);
                g_autofree char *text = NULL;

                if (JSON_NODE_HOLDS_OBJECT (item) && json_object_has_member (json_node_get_object (item), "message"))
                  text = iwb_json_to_compact_text (json_object_get_member (json_node_get_object (item), "message"));
                else
                  text = iwb_json_to_compact_text (item);
                g_string_append_printf (extra, "\n• %s", text);
              }
          }
        g_free (self->extra_errors);
        self->extra_errors = g_string_free (extra, FALSE);
      }
      break;
    default:
      break;
    }
}

static char *
field_errors_text (IwbConnectionPage *self)
{
  GListModel *fields = iwb_param_form_get_fields (self->form);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (fields); i++)
    {
      g_autoptr(IwbFieldValue) field = g_list_model_get_item (fields, i);
      const char *remote = iwb_field_value_get_remote_error (field);

      if (remote != NULL)
        g_string_append_printf (text, "%s• %s: %s", text->len ? "\n" : "",
                                iwb_field_value_get_label (field), remote);
    }
  if (self->extra_errors != NULL && self->extra_errors[0] != '\0')
    g_string_append_printf (text, "%s%s", text->len ? "\n" : "", self->extra_errors);
  return g_string_free (text, FALSE);
}

static void
validate_finished (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(IwbConnectionPage) self = user_data;
  IwbRun *run = IWB_RUN (source);
  g_autoptr(GError) error = NULL;
  IwbRunEvent *finished;
  g_autofree char *duration = NULL;
  g_autofree char *details = NULL;
  IwbRunStatus status;

  iwb_run_start_finish (run, result, &error);
  g_clear_object (&self->cancellable);
  if (self->run != run)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      return;
    }

  finished = iwb_run_get_finished_event (run);
  status = iwb_run_get_status (run);
  duration = iwb_format_duration (finished ? iwb_run_event_get_duration_us (finished) : 0);
  /* Translators: %s is a duration */
  details = g_strdup_printf (_("Took %s"), duration);
  gtk_label_set_text (GTK_LABEL (self->duration_label), details);

  gtk_label_set_text (GTK_LABEL (self->output_label), self->output->str);
  gtk_widget_set_visible (self->output_expander, self->output->len > 0);

  if (error != NULL)
    set_result (self, "failed", "dialog-error-symbolic", _("Validation could not start"), error->message);
  else if (status == IWB_RUN_STATUS_SUCCEEDED)
    set_result (self, "valid", "emblem-ok-symbolic", _("The connection is valid"), NULL);
  else if (status == IWB_RUN_STATUS_REPORTED_ERRORS)
    {
      g_autofree char *errors = field_errors_text (self);

      set_result (self, "invalid", "dialog-warning-symbolic", _("The connection is not valid"),
                  errors[0] != '\0' ? errors
                  : (finished ? _(iwb_run_event_get_exit_meaning (finished)) : NULL));
    }
  else
    {
      const char *title = status == IWB_RUN_STATUS_TIMED_OUT ? _("Validation timed out")
                          : status == IWB_RUN_STATUS_CANCELLED ? _("Validation cancelled")
                          : _("Validation failed");
      g_autofree char *text = NULL;
      int exit_code = iwb_run_get_exit_code (run);
      const char *meaning = finished ? _(iwb_run_event_get_exit_meaning (finished)) : NULL;

      g_autofree char *exit_text = NULL;

      if (meaning != NULL && meaning[0] != '\0')
        exit_text = g_strdup (meaning);
      else if (exit_code >= 0)
        /* Translators: %d is an exit code */
        exit_text = g_strdup_printf (_("The validator exited with code %d"), exit_code);
      else
        exit_text = g_strdup (_("The validator did not exit by itself"));
      text = g_strdup_printf ("%s\n%s%s%s", exit_text,
                              self->extra_errors ? self->extra_errors : "",
                              self->extra_errors ? "\n" : "", self->stderr_text->str);
      g_strstrip (text);
      set_result (self, "failed", "dialog-error-symbolic", title, text);
    }

  _iwb_connection_http_finished (self->http, self->result);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_signal_emit (self, signals[VALIDATED], 0, run);
}

void
iwb_connection_page_validate (IwbConnectionPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbRun) run = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  g_return_if_fail (IWB_IS_CONNECTION_PAGE (self));

  if (self->cancellable != NULL)
    return;
  if (iwb_param_form_focus_first_invalid (self->form))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  run = iwb_session_create_run (self->session, IWB_RUN_VALIDATE_CONNECTION, NULL, &error);
  if (run == NULL)
    {
      set_result (self, "failed", "dialog-error-symbolic", _("Validation could not start"), error->message);
      return;
    }
  problems = iwb_run_check (run);
  if (problems != NULL && problems->len > 0)
    {
      iwb_param_form_set_field_errors (self->form, problems);
      iwb_param_form_focus_first_invalid (self->form);
      return;
    }

  iwb_param_form_clear_field_errors (self->form);
  g_string_truncate (self->output, 0);
  g_string_truncate (self->stderr_text, 0);
  self->output_lines = 0;
  g_clear_pointer (&self->extra_errors, g_free);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_set_object (&self->run, run);
  g_signal_connect (run, "event", G_CALLBACK (on_run_event), self);
  self->cancellable = g_cancellable_new ();
  set_result (self, "running", "content-loading-symbolic", _("Validating…"), NULL);
  _iwb_connection_http_started (self->http, run);
  gtk_label_set_text (GTK_LABEL (self->duration_label), "");
  gtk_widget_set_visible (self->output_expander, FALSE);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  iwb_session_start_run (self->session, run, self->cancellable, validate_finished, g_object_ref (self));
}

void
iwb_connection_page_cancel (IwbConnectionPage *self)
{
  g_return_if_fail (IWB_IS_CONNECTION_PAGE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* --- HTTP calls and Diagnose (iwb-connection-page-http.c) ----------------- */

static void
diagnose_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  iwb_connection_page_diagnose (IWB_CONNECTION_PAGE (widget));
}

IwbDiagnoseView *
iwb_connection_page_diagnose (IwbConnectionPage *self)
{
  g_return_val_if_fail (IWB_IS_CONNECTION_PAGE (self), NULL);
  return _iwb_connection_http_diagnose (self->http);
}

IwbHttpView *
iwb_connection_page_get_http_view (IwbConnectionPage *self)
{
  g_return_val_if_fail (IWB_IS_CONNECTION_PAGE (self), NULL);
  return _iwb_connection_http_get_view (self->http);
}

const char *
iwb_connection_page_get_failing_call (IwbConnectionPage *self)
{
  g_return_val_if_fail (IWB_IS_CONNECTION_PAGE (self), NULL);
  return _iwb_connection_http_get_failing_call (self->http);
}

gboolean
iwb_connection_page_get_can_diagnose (IwbConnectionPage *self)
{
  g_return_val_if_fail (IWB_IS_CONNECTION_PAGE (self), FALSE);
  return _iwb_connection_http_get_can_diagnose (self->http);
}

/* ------------------------------------------------------------------------- */

static void
validate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  iwb_connection_page_validate (IWB_CONNECTION_PAGE (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  iwb_connection_page_cancel (IWB_CONNECTION_PAGE (widget));
}

IwbParamForm *
iwb_connection_page_get_form (IwbConnectionPage *self)
{
  g_return_val_if_fail (IWB_IS_CONNECTION_PAGE (self), NULL);
  return self->form;
}

gboolean
iwb_connection_page_get_busy (IwbConnectionPage *self)
{
  g_return_val_if_fail (IWB_IS_CONNECTION_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

const char *
iwb_connection_page_get_result (IwbConnectionPage *self)
{
  g_return_val_if_fail (IWB_IS_CONNECTION_PAGE (self), NULL);
  return self->result;
}

const char *
iwb_connection_page_get_result_title (IwbConnectionPage *self)
{
  g_return_val_if_fail (IWB_IS_CONNECTION_PAGE (self), NULL);
  return self->result_title;
}

const char *
iwb_connection_page_get_result_details (IwbConnectionPage *self)
{
  g_return_val_if_fail (IWB_IS_CONNECTION_PAGE (self), NULL);
  return self->result_details;
}

IwbRun *
iwb_connection_page_get_last_run (IwbConnectionPage *self)
{
  g_return_val_if_fail (IWB_IS_CONNECTION_PAGE (self), NULL);
  return self->run;
}

void
iwb_connection_page_set_result_note (IwbConnectionPage *self,
                                     const char        *note,
                                     gboolean           problem)
{
  g_return_if_fail (IWB_IS_CONNECTION_PAGE (self));

  g_free (self->result_note);
  self->result_note = g_strdup (note);
  if (self->note_label == NULL)
    {
      if (note == NULL)
        return;
      self->note_label = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (self->note_label), 0.0f);
      gtk_label_set_wrap (GTK_LABEL (self->note_label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (self->note_label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (self->note_label), TRUE);
      gtk_widget_add_css_class (self->note_label, "result-note");
      gtk_widget_insert_after (self->note_label, gtk_widget_get_parent (self->result_details_label),
                               self->result_details_label);
    }
  gtk_label_set_text (GTK_LABEL (self->note_label), note ? note : "");
  gtk_widget_set_visible (self->note_label, note != NULL);
  if (problem)
    gtk_widget_add_css_class (self->note_label, "warning");
  else
    gtk_widget_remove_css_class (self->note_label, "warning");
}

IwbProfileSelector *
iwb_connection_page_get_profile_selector (IwbConnectionPage *self)
{
  g_return_val_if_fail (IWB_IS_CONNECTION_PAGE (self), NULL);
  return self->profile_selector;
}

const char *
iwb_connection_page_get_result_note (IwbConnectionPage *self)
{
  g_return_val_if_fail (IWB_IS_CONNECTION_PAGE (self), NULL);
  return self->result_note;
}

static void
iwb_connection_page_dispose (GObject *object)
{
  IwbConnectionPage *self = IWB_CONNECTION_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);
  g_clear_pointer (&self->http, _iwb_connection_http_free);
  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), IWB_TYPE_CONNECTION_PAGE);
  G_OBJECT_CLASS (iwb_connection_page_parent_class)->dispose (object);
}

static void
iwb_connection_page_finalize (GObject *object)
{
  IwbConnectionPage *self = IWB_CONNECTION_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_string_free (self->output, TRUE);
  g_string_free (self->stderr_text, TRUE);
  g_free (self->result);
  g_free (self->result_title);
  g_free (self->result_details);
  g_free (self->extra_errors);
  g_free (self->result_note);
  G_OBJECT_CLASS (iwb_connection_page_parent_class)->finalize (object);
}

static void
iwb_connection_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  IwbConnectionPage *self = IWB_CONNECTION_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, iwb_connection_page_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_connection_page_class_init (IwbConnectionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = iwb_connection_page_dispose;
  object_class->finalize = iwb_connection_page_finalize;
  object_class->get_property = iwb_connection_page_get_property;

  /* A validation is running (the window follows it with notify). */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted when a validation finished, with its IwbRun (overrides, the
   * result payloads and the field errors are on the run). */
  signals[VALIDATED] = g_signal_new ("validated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, IWB_TYPE_RUN);

  gtk_widget_class_install_action (widget_class, "page.validate", NULL, validate_action);
  gtk_widget_class_install_action (widget_class, "page.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "page.diagnose", NULL, diagnose_action);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lhub/IntegrationWorkbench/iwb-connection-page.ui");
  gtk_widget_class_bind_template_child (widget_class, IwbConnectionPage, scrolled);
  gtk_widget_class_bind_template_child (widget_class, IwbConnectionPage, form_group);
  gtk_widget_class_bind_template_child (widget_class, IwbConnectionPage, button_stack);
  gtk_widget_class_bind_template_child (widget_class, IwbConnectionPage, validate_button);
  gtk_widget_class_bind_template_child (widget_class, IwbConnectionPage, reason_label);
  gtk_widget_class_bind_template_child (widget_class, IwbConnectionPage, result_group);
  gtk_widget_class_bind_template_child (widget_class, IwbConnectionPage, result_icon);
  gtk_widget_class_bind_template_child (widget_class, IwbConnectionPage, result_title_label);
  gtk_widget_class_bind_template_child (widget_class, IwbConnectionPage, result_details_label);
  gtk_widget_class_bind_template_child (widget_class, IwbConnectionPage, duration_label);
  gtk_widget_class_bind_template_child (widget_class, IwbConnectionPage, output_expander);
  gtk_widget_class_bind_template_child (widget_class, IwbConnectionPage, output_label);
  gtk_widget_class_bind_template_callback (widget_class, iwb_connection_page_validate);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "connectionpage");
}

static void
iwb_connection_page_init (IwbConnectionPage *self)
{
  self->output = g_string_new (NULL);
  self->stderr_text = g_string_new (NULL);
  self->result = g_strdup ("none");
  gtk_widget_init_template (GTK_WIDGET (self));
}

IwbConnectionPage *
iwb_connection_page_new (IwbSession *session,
                         JsonArray  *inputs)
{
  IwbConnectionPage *self = g_object_new (IWB_TYPE_CONNECTION_PAGE, NULL);
  guint n_inputs = inputs ? json_array_get_length (inputs) : 0;

  self->session = g_object_ref (session);
  self->form = iwb_param_form_new (inputs, IWB_SESSION_SCOPE_CONNECTION, session);
  g_signal_connect_swapped (self->form, "notify::valid", G_CALLBACK (update_state), self);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->form_group),
                                         n_inputs == 0 ? _("This integration has no connection parameters")
                                         : _("Passed to the validator and to every action as environment variables"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->form_group), GTK_WIDGET (self->form));
  /* The connection profile: switch, save, manage. */
  self->profile_selector = iwb_profile_selector_new (session);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self->form_group),
                                           GTK_WIDGET (self->profile_selector));

  self->http = _iwb_connection_http_new (GTK_WIDGET (self), self->form, session, self->output_expander);
  _iwb_connection_http_add_mode_group (self->http, self->result_group);

  update_state (self);
  return self;
}

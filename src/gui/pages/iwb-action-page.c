/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbActionPage: an action's params and arguments forms, its input rows,
 * Run / Cancel in one place with an elapsed-time counter, and the run view.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-action-page.h"
#include "iwb-gui-util.h"
#include "iwb-descriptor.h"
#include "iwb-json.h"

struct _IwbActionPage
{
  GtkWidget      parent_instance;

  IwbSession    *session;
  JsonObject    *action;
  GtkWidget     *paned;
  GtkWidget     *description_label;
  GtkWidget     *params_group;
  GtkWidget     *args_group;
  GtkWidget     *rows_group;
  GtkWidget     *timeout_label;
  IwbParamForm  *params_form;
  IwbParamForm  *args_form;
  IwbRowsEditor *rows_editor;
  IwbRunView    *run_view;
  GtkWidget     *button_stack;
  GtkWidget     *run_button;
  GtkWidget     *reason_label;
  GtkWidget     *elapsed_label;

  IwbParamForm  *connection_form; /* referenced while connected to it */
  IwbRun        *run;
  GCancellable  *cancellable;
  gint64         started_us;
  guint          tick_source;
};

G_DEFINE_FINAL_TYPE (IwbActionPage, iwb_action_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

enum {
  RUN_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
action_string (IwbActionPage *self,
               const char    *member)
{
  JsonNode *node = json_object_get_member (self->action, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

char *
iwb_action_page_dup_problem (IwbActionPage *self)
{
  IwbParamForm *connection;
  char *problem;

  g_return_val_if_fail (IWB_IS_ACTION_PAGE (self), NULL);

  connection = self->connection_form;

  if ((problem = iwb_param_form_dup_problem (self->params_form)) != NULL)
    return problem;
  if ((problem = iwb_param_form_dup_problem (self->args_form)) != NULL)
    return problem;
  if (connection != NULL && (problem = iwb_param_form_dup_problem (connection)) != NULL)
    {
      /* Translators: %s says which connection field is missing or invalid */
      char *text = g_strdup_printf (_("Connection: %s"), problem);

      g_free (problem);
      return text;
    }
  return NULL;
}

static void
update_state (IwbActionPage *self)
{
  gboolean busy = self->cancellable != NULL;
  g_autofree char *problem = iwb_action_page_dup_problem (self);

  gtk_stack_set_visible_child_name (GTK_STACK (self->button_stack), busy ? "cancel" : "run");
  gtk_widget_set_sensitive (self->run_button, problem == NULL && !busy);
  gtk_widget_set_tooltip_text (self->run_button, problem);
  gtk_label_set_text (GTK_LABEL (self->reason_label), problem ? problem : "");
  gtk_widget_set_visible (self->reason_label, problem != NULL && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.cancel", busy);
}

static void
update_timeout (IwbActionPage *self)
{
  guint timeout = iwb_session_get_run_timeout (self->session);
  /* Translators: %u is a number of seconds */
  g_autofree char *text = g_strdup_printf (_("Timeout %u s"), timeout);

  gtk_label_set_text (GTK_LABEL (self->timeout_label), text);
}

static void
columns_changed (IwbActionPage *self)
{
  g_auto(GStrv) columns = iwb_rows_editor_dup_columns (self->rows_editor);

  iwb_param_form_set_columns (self->args_form, (const char * const *) columns);
}

static void
update_elapsed (IwbActionPage *self)
{
  gint64 elapsed = g_get_monotonic_time () - self->started_us;
  g_autofree char *text = iwb_format_duration (elapsed);

  gtk_label_set_text (GTK_LABEL (self->elapsed_label), text);
  iwb_run_view_set_elapsed (self->run_view, elapsed);
}

static gboolean
tick (gpointer user_data)
{
  update_elapsed (user_data);
  return G_SOURCE_CONTINUE;
}

static void
run_finished (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(IwbActionPage) self = user_data;
  IwbRun *run = IWB_RUN (source);
  g_autoptr(GError) error = NULL;
  IwbRunEvent *finished;

  if (!iwb_run_start_finish (run, result, &error))
    iwb_widget_show_toast (GTK_WIDGET (self), error->message);
  if (self->run != run)
    return;
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  finished = iwb_run_get_finished_event (run);
  if (finished != NULL)
    {
      g_autofree char *text = iwb_format_duration (iwb_run_event_get_duration_us (finished));

      gtk_label_set_text (GTK_LABEL (self->elapsed_label), text);
    }
  /* SDK validation errors for this action's inputs go to their rows. */
  if (iwb_run_get_field_errors (run) != NULL)
    {
      iwb_param_form_set_field_errors (self->params_form, iwb_run_get_field_errors (run));
      iwb_param_form_set_field_errors (self->args_form, iwb_run_get_field_errors (run));
    }
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_signal_emit (self, signals[RUN_FINISHED], 0, run);
}

void
iwb_action_page_run (IwbActionPage *self)
{
  IwbParamForm *connection;
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbRun) run = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  g_return_if_fail (IWB_IS_ACTION_PAGE (self));

  if (self->cancellable != NULL)
    return;
  if (iwb_param_form_focus_first_invalid (self->params_form)
      || iwb_param_form_focus_first_invalid (self->args_form))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  connection = self->connection_form;
  if (connection != NULL && !iwb_param_form_get_valid (connection))
    {
      /* Toast first: the page may be unmapped once the other one shows. */
      iwb_widget_show_toast (GTK_WIDGET (self),
                             _("Fill in the connection parameters before running an action"));
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "connection");
      iwb_param_form_focus_first_invalid (connection);
      return;
    }

  /* The values come from the session's store, where the forms wrote them. */
  run = iwb_session_create_run (self->session, IWB_RUN_EXECUTE, iwb_action_page_get_entrypoint (self), &error);
  if (run == NULL)
    {
      iwb_widget_show_toast (GTK_WIDGET (self), error->message);
      return;
    }
  rows = iwb_rows_editor_dup_rows (self->rows_editor);
  iwb_run_set_rows (run, rows);
  /* kept by the session: what the run history records as the run's input */
  iwb_session_set_rows (self->session, iwb_action_page_get_entrypoint (self), rows);

  problems = iwb_run_check (run);
  if (problems != NULL && problems->len > 0)
    {
      iwb_param_form_set_field_errors (self->params_form, problems);
      iwb_param_form_set_field_errors (self->args_form, problems);
      if (!iwb_param_form_focus_first_invalid (self->params_form)
          && !iwb_param_form_focus_first_invalid (self->args_form))
        {
          IwbFieldError *first = g_ptr_array_index (problems, 0);

          iwb_widget_show_toast (GTK_WIDGET (self), first->message);
        }
      return;
    }

  iwb_param_form_clear_field_errors (self->params_form);
  iwb_param_form_clear_field_errors (self->args_form);
  g_set_object (&self->run, run);
  iwb_run_view_attach (self->run_view, run, rows);
  self->cancellable = g_cancellable_new ();
  self->started_us = g_get_monotonic_time ();
  self->tick_source = g_timeout_add (100, tick, self);
  update_elapsed (self);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  iwb_session_start_run (self->session, run, self->cancellable, run_finished, g_object_ref (self));
}

void
iwb_action_page_cancel (IwbActionPage *self)
{
  g_return_if_fail (IWB_IS_ACTION_PAGE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  iwb_action_page_run (IWB_ACTION_PAGE (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  iwb_action_page_cancel (IWB_ACTION_PAGE (widget));
}

const char *
iwb_action_page_get_entrypoint (IwbActionPage *self)
{
  g_return_val_if_fail (IWB_IS_ACTION_PAGE (self), NULL);
  return iwb_descriptor_action_get_entrypoint (self->action);
}

const char *
iwb_action_page_get_name (IwbActionPage *self)
{
  const char *name;

  g_return_val_if_fail (IWB_IS_ACTION_PAGE (self), NULL);
  name = action_string (self, "name");
  return name ? name : iwb_action_page_get_entrypoint (self);
}

IwbParamForm *
iwb_action_page_get_params_form (IwbActionPage *self)
{
  g_return_val_if_fail (IWB_IS_ACTION_PAGE (self), NULL);
  return self->params_form;
}

IwbParamForm *
iwb_action_page_get_args_form (IwbActionPage *self)
{
  g_return_val_if_fail (IWB_IS_ACTION_PAGE (self), NULL);
  return self->args_form;
}

IwbRowsEditor *
iwb_action_page_get_rows_editor (IwbActionPage *self)
{
  g_return_val_if_fail (IWB_IS_ACTION_PAGE (self), NULL);
  return self->rows_editor;
}

IwbRunView *
iwb_action_page_get_run_view (IwbActionPage *self)
{
  g_return_val_if_fail (IWB_IS_ACTION_PAGE (self), NULL);
  return self->run_view;
}

gboolean
iwb_action_page_get_running (IwbActionPage *self)
{
  g_return_val_if_fail (IWB_IS_ACTION_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

const char *
iwb_action_page_get_visible_button (IwbActionPage *self)
{
  g_return_val_if_fail (IWB_IS_ACTION_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (GTK_STACK (self->button_stack));
}

gboolean
iwb_action_page_get_run_sensitive (IwbActionPage *self)
{
  g_return_val_if_fail (IWB_IS_ACTION_PAGE (self), FALSE);
  return gtk_widget_get_sensitive (self->run_button);
}

static void
iwb_action_page_dispose (GObject *object)
{
  IwbActionPage *self = IWB_ACTION_PAGE (object);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->connection_form != NULL)
    g_signal_handlers_disconnect_by_data (self->connection_form, self);
  g_clear_object (&self->connection_form);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_object (&self->run);
  g_clear_pointer (&self->paned, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), IWB_TYPE_ACTION_PAGE);
  G_OBJECT_CLASS (iwb_action_page_parent_class)->dispose (object);
}

static void
iwb_action_page_finalize (GObject *object)
{
  IwbActionPage *self = IWB_ACTION_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->action, json_object_unref);
  G_OBJECT_CLASS (iwb_action_page_parent_class)->finalize (object);
}

static void
iwb_action_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  IwbActionPage *self = IWB_ACTION_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, iwb_action_page_get_running (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
iwb_action_page_class_init (IwbActionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = iwb_action_page_dispose;
  object_class->finalize = iwb_action_page_finalize;
  object_class->get_property = iwb_action_page_get_property;

  /* A run is in progress (the window follows it with notify). */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted when a run finished, with its IwbRun. */
  signals[RUN_FINISHED] = g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, IWB_TYPE_RUN);

  gtk_widget_class_install_action (widget_class, "page.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "page.cancel", NULL, cancel_action);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lhub/IntegrationWorkbench/iwb-action-page.ui");
  gtk_widget_class_bind_template_child (widget_class, IwbActionPage, paned);
  gtk_widget_class_bind_template_child (widget_class, IwbActionPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, IwbActionPage, params_group);
  gtk_widget_class_bind_template_child (widget_class, IwbActionPage, args_group);
  gtk_widget_class_bind_template_child (widget_class, IwbActionPage, rows_group);
  gtk_widget_class_bind_template_child (widget_class, IwbActionPage, timeout_label);
  gtk_widget_class_bind_template_child (widget_class, IwbActionPage, reason_label);
  gtk_widget_class_bind_template_child (widget_class, IwbActionPage, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, IwbActionPage, button_stack);
  gtk_widget_class_bind_template_child (widget_class, IwbActionPage, run_button);
  gtk_widget_class_bind_template_child (widget_class, IwbActionPage, run_view);
  gtk_widget_class_bind_template_callback (widget_class, iwb_action_page_run);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "actionpage");
}

static void
iwb_action_page_init (IwbActionPage *self)
{
  g_type_ensure (IWB_TYPE_RUN_VIEW);
  gtk_widget_init_template (GTK_WIDGET (self));
}

static JsonArray *
action_inputs (JsonObject *action)
{
  return iwb_descriptor_action_get_inputs (action, NULL);
}

static gboolean
is_argument (JsonObject *input)
{
  const char *source = iwb_descriptor_input_get_source (input, FALSE);

  return g_str_equal (source, "column") || g_str_equal (source, "template");
}

/* --- input rows and profiles (guiprof) ------------------------------------------ */

/* Every edit of the rows goes to the session: a profile saves them, and
 * "modified" follows them. */
static void
rows_to_session (IwbActionPage *self)
{
  g_autoptr(GPtrArray) rows = iwb_rows_editor_dup_rows (self->rows_editor);

  iwb_session_set_rows (self->session, iwb_action_page_get_entrypoint (self), rows);
}

/* A profile was loaded: its rows, or one empty row. */
static void
rows_from_session (IwbActionPage *self)
{
  GPtrArray *rows = iwb_session_get_rows (self->session, iwb_action_page_get_entrypoint (self));
  g_auto(GStrv) columns = iwb_rows_editor_dup_columns (self->rows_editor);

  g_signal_handlers_block_by_func (self->rows_editor, rows_to_session, self);
  iwb_rows_editor_set_rows (self->rows_editor, rows, rows ? NULL : (const char * const *) columns);
  if (rows == NULL)
    iwb_rows_editor_add_row (self->rows_editor);
  g_signal_handlers_unblock_by_func (self->rows_editor, rows_to_session, self);
}

IwbActionPage *
iwb_action_page_new (IwbSession   *session,
                     JsonObject   *action,
                     IwbParamForm *connection)
{
  IwbActionPage *self = g_object_new (IWB_TYPE_ACTION_PAGE, NULL);
  JsonArray *inputs = action_inputs (action);
  g_autoptr(JsonArray) params = json_array_new ();
  g_autoptr(JsonArray) args = json_array_new ();
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  g_autofree char *scope = NULL;
  const char *description;
  GPtrArray *rows;

  self->session = g_object_ref (session);
  self->action = json_object_ref (action);
  scope = iwb_session_action_scope (iwb_action_page_get_entrypoint (self));
  rows = iwb_session_get_rows (session, iwb_action_page_get_entrypoint (self));

  /* Params become environment variables; arguments map columns (or hold
   * templates). */
  for (guint i = 0; inputs != NULL && i < json_array_get_length (inputs); i++)
    {
      JsonNode *node = json_array_get_element (inputs, i);
      JsonObject *input;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      input = json_node_get_object (node);
      if (is_argument (input))
        {
          json_array_add_element (args, json_node_copy (node));
          if (g_strcmp0 (iwb_descriptor_input_get_source (input, FALSE), "column") == 0)
            g_ptr_array_add (columns, (gpointer) (iwb_descriptor_input_get_id (input)
                                                  ? iwb_descriptor_input_get_id (input) : ""));
        }
      else
        json_array_add_element (params, json_node_copy (node));
    }
  g_ptr_array_add (columns, NULL);

  self->params_form = iwb_param_form_new (params, scope, session);
  self->args_form = iwb_param_form_new (args, scope, session);
  self->rows_editor = iwb_rows_editor_new ();
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->params_group), GTK_WIDGET (self->params_form));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->args_group), GTK_WIDGET (self->args_form));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->rows_group), GTK_WIDGET (self->rows_editor));
  gtk_widget_set_visible (self->params_group, json_array_get_length (params) > 0);
  gtk_widget_set_visible (self->args_group, json_array_get_length (args) > 0);

  description = action_string (self, "description");
  gtk_label_set_text (GTK_LABEL (self->description_label), description ? description : "");
  gtk_widget_set_visible (self->description_label, description != NULL && description[0] != '\0');

  g_signal_connect_object (session, "notify::run-timeout", G_CALLBACK (update_timeout),
                           self, G_CONNECT_SWAPPED);
  update_timeout (self);

  g_signal_connect_swapped (self->rows_editor, "changed", G_CALLBACK (columns_changed), self);
  g_signal_connect_swapped (self->run_view, "input-row-activated",
                            G_CALLBACK (iwb_rows_editor_select_row), self->rows_editor);
  if (rows != NULL)
    iwb_rows_editor_set_rows (self->rows_editor, rows, (const char * const *) columns->pdata);
  else
    {
      iwb_rows_editor_set_rows (self->rows_editor, NULL, (const char * const *) columns->pdata);
      iwb_rows_editor_add_row (self->rows_editor);
    }
  columns_changed (self);
  g_signal_connect_swapped (self->rows_editor, "changed", G_CALLBACK (rows_to_session), self);
  g_signal_connect_object (session, "values-loaded", G_CALLBACK (rows_from_session),
                           self, G_CONNECT_SWAPPED);

  g_signal_connect_swapped (self->params_form, "notify::valid", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (self->args_form, "notify::valid", G_CALLBACK (update_state), self);
  if (connection != NULL)
    {
      self->connection_form = g_object_ref (connection);
      g_signal_connect_swapped (connection, "notify::valid", G_CALLBACK (update_state), self);
    }
  update_state (self);

  return self;
}

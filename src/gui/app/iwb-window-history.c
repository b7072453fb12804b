/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbWindow and the run history: the session's history opened with the
 * window (retention from the settings, pruned in the history's writer
 * thread), the History page, "Run Again" (fills an action's forms and rows
 * from a recorded run) and the baseline note of later runs.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-history-page.h"
#include "iwb-window-private.h"

static void
apply_retention (IwbWindow *self)
{
  if (self->settings == NULL)
    return;
  iwb_session_set_history_retention (self->session,
                                     g_settings_get_uint (self->settings, "history-runs-per-integration"),
                                     (guint64) g_settings_get_uint (self->settings, "history-max-megabytes")
                                     * 1024 * 1024);
}

static void
apply_recording (IwbWindow *self)
{
  if (self->settings != NULL)
    iwb_session_set_history_enabled (self->session,
                                     g_settings_get_boolean (self->settings, "history-record-runs"));
}

static void
history_opened (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(IwbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbHistory) history = iwb_session_open_history_finish (IWB_SESSION (source), result, &error);

  if (history == NULL)
    {
      /* Translators: %s says why */
      g_autofree char *text = g_strdup_printf (_("Runs are not recorded: the run history cannot be opened (%s)"),
                                               error->message);
      AdwToast *toast = adw_toast_new (text);

      adw_toast_set_timeout (toast, 0);
      iwb_window_add_toast (self, toast);
      return;
    }
  else
    {
      g_auto(GStrv) warnings = iwb_history_dup_warnings (history);

      for (guint i = 0; warnings[i] != NULL; i++)
        iwb_window_add_toast (self, adw_toast_new (warnings[i]));
    }
  if (self->history_page != NULL && gtk_widget_get_mapped (self->history_page))
    iwb_history_page_refresh (IWB_HISTORY_PAGE (self->history_page));
}

/* --- the baseline note ------------------------------------------------------ */

typedef struct
{
  IwbActionPage *page;
  IwbRun        *run;
  gint64         id;
  gint64         baseline_id;
  guint          differing;
  gboolean       has_baseline;
} BaselineCheck;

static void
baseline_check_free (BaselineCheck *c)
{
  g_clear_object (&c->page);
  g_clear_object (&c->run);
  g_free (c);
}

static void
baseline_thread (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  BaselineCheck *c = data;
  GError *error = NULL;

  c->has_baseline = iwb_history_compare_to_baseline (source, c->id, &c->baseline_id, &c->differing, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
baseline_checked (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BaselineCheck *c = g_task_get_task_data (G_TASK (result));
  IwbRunView *view = iwb_action_page_get_run_view (c->page);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) || !c->has_baseline ||
      c->id == c->baseline_id || iwb_run_view_get_run (view) != c->run)
    return;
  if (c->differing == 0)
    text = g_strdup (_("Same as baseline"));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row differs from the baseline",
                                         "%u rows differ from the baseline", c->differing), c->differing);
  iwb_run_view_set_baseline_note (view, text, c->differing > 0, c->baseline_id, c->id);
}

static void
run_recorded (IwbWindow  *self,
              IwbRun     *run,
              gint64      id,
              const char *message)
{
  IwbHistory *history = iwb_session_get_history (self->session);
  IwbActionPage *page;
  BaselineCheck *c;
  g_autoptr(GTask) task = NULL;

  if (id == 0)
    {
      if (message != NULL)
        iwb_window_add_toast (self, adw_toast_new (message));
      return;
    }
  if (history == NULL || iwb_run_get_operation (run) != IWB_RUN_EXECUTE)
    return;
  page = iwb_window_get_action_page (self, iwb_run_get_entrypoint (run));
  if (page == NULL)
    return;
  c = g_new0 (BaselineCheck, 1);
  c->page = g_object_ref (page);
  c->run = g_object_ref (run);
  c->id = id;
  task = g_task_new (history, NULL, baseline_checked, NULL);
  g_task_set_task_data (task, c, (GDestroyNotify) baseline_check_free);
  g_task_run_in_thread (task, baseline_thread);
}

/* history.compare((xx)): the run view's baseline note opens the comparison. */
static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  IwbWindow *self = IWB_WINDOW (widget);
  gint64 old_id, new_id;

  g_variant_get (parameter, "(xx)", &old_id, &new_id);
  iwb_history_page_compare_ids (IWB_HISTORY_PAGE (_iwb_window_ensure_history_page (self)), old_id, new_id);
}

void
_iwb_window_class_add_history_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "history.compare", "(xx)", compare_action);
}

/* --- Run Again ----------------------------------------------------------------- */

static guint
fill_form (IwbParamForm *form,
           JsonObject   *params)
{
  JsonObjectIter it;
  const char *id;
  JsonNode *value;
  guint n = 0;

  if (form == NULL || params == NULL)
    return 0;
  json_object_iter_init (&it, params);
  while (json_object_iter_next (&it, &id, &value))
    {
      IwbFieldValue *field = iwb_param_form_get_field (form, id);
      const char *text = JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
                         ? json_node_get_string (value) : NULL;

      /* a secret was never stored: the form keeps the one it has */
      if (field == NULL || text == NULL || g_str_equal (text, IWB_HISTORY_SECRET_MARKER))
        continue;
      iwb_field_value_set_text (field, text);
      n++;
    }
  return n;
}

static void
run_again (IwbWindow       *self,
           IwbHistoryEntry *entry,
           GPtrArray       *inputs)
{
  const char *action = iwb_history_entry_get_action (entry);
  JsonNode *params = iwb_history_entry_get_params (entry);
  JsonObject *values = params && JSON_NODE_HOLDS_OBJECT (params) ? json_node_get_object (params) : NULL;
  IwbActionPage *page;
  g_autofree char *text = NULL;

  if (action == NULL)
    {
      fill_form (_iwb_window_get_connection_form (self), values);
      iwb_window_show_page (self, "connection");
      return;
    }
  page = iwb_window_get_action_page (self, action);
  if (page == NULL)
    {
      /* Translators: %s is an action's entrypoint */
      text = g_strdup_printf (_("%s is not an action of this integration any more"), action);
      iwb_window_add_toast (self, adw_toast_new (text));
      return;
    }
  fill_form (iwb_action_page_get_params_form (page), values);
  fill_form (iwb_action_page_get_args_form (page), values);
  if (inputs != NULL && inputs->len > 0 && iwb_history_entry_get_kind (entry) == IWB_HISTORY_KIND_RUN)
    iwb_rows_editor_set_rows (iwb_action_page_get_rows_editor (page), inputs, NULL);
  iwb_window_show_page (self, action);
  text = g_strdup_printf (_("Filled with the values and rows of run %lld"), (long long) iwb_history_entry_get_id (entry));
  iwb_window_add_toast (self, adw_toast_new (text));
}

GtkWidget *
_iwb_window_ensure_history_page (IwbWindow *self)
{
  if (self->history_page == NULL)
    {
      self->history_page = g_object_ref_sink (GTK_WIDGET (iwb_history_page_new (self->session)));
      g_signal_connect_object (self->history_page, "run-again", G_CALLBACK (run_again), self, G_CONNECT_SWAPPED);
      gtk_stack_add_named (self->pages_stack, self->history_page, "history");
    }
  return self->history_page;
}

void
_iwb_window_drop_history_page (IwbWindow *self)
{
  if (self->history_page == NULL)
    return;
  gtk_stack_remove (self->pages_stack, self->history_page);
  g_clear_object (&self->history_page);
}

void
_iwb_window_history_init (IwbWindow *self)
{
  g_signal_connect_object (self->session, "run-recorded", G_CALLBACK (run_recorded), self, G_CONNECT_SWAPPED);
  apply_retention (self);
  apply_recording (self);
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::history-record-runs",
                               G_CALLBACK (apply_recording), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::history-runs-per-integration",
                               G_CALLBACK (apply_retention), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::history-max-megabytes",
                               G_CALLBACK (apply_retention), self, G_CONNECT_SWAPPED);
    }
  iwb_session_open_history_async (self->session, NULL, NULL, history_opened, g_object_ref (self));
}

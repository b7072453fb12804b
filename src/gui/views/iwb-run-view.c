/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRunView: what one run produced. Results and log lines arrive as
 * IwbRunEvent objects; they are queued and appended to the list models in
 * batches from an idle handler, so 100,000 results stream in while the
 * window keeps drawing, and GtkColumnView only creates widgets for the rows
 * on screen. The table's and the log's columns are in iwb-run-view-columns.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-gui-util.h"
#include "iwb-run-view-private.h"
#include "iwb-json.h"
#include "iwb-redact.h"

#define BATCH_MAX         1000   /* items per splice, at most... */
#define SPLICE_TARGET_US  1500   /* ...and about this long each: GtkColumnView
                                  * makes row widgets for the first ~200
                                  * items at once (about 1 ms of widgets and
                                  * styles per row on a slow machine), almost
                                  * nothing for the rows after them */
#define JSON_VIEW_LIMIT   5000   /* results shown in the JSON tab */


G_DEFINE_FINAL_TYPE (IwbRunView, iwb_run_view, GTK_TYPE_WIDGET)

enum {
  INPUT_ROW_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
result_activated (GtkColumnView *view,
                  guint          position,
                  IwbRunView    *self)
{
  g_autoptr(IwbRunEvent) event = g_list_model_get_item (G_LIST_MODEL (self->shown_results), position);
  guint number = event ? _iwb_run_view_input_row_number (self, event) : 0;

  if (number > 0)
    g_signal_emit (self, signals[INPUT_ROW_ACTIVATED], 0, number - 1);
}

/* --- status ---------------------------------------------------------------- */

static void
set_status (IwbRunView *self,
            const char *icon,
            const char *status,
            const char *details)
{
  g_free (self->status_text);
  self->status_text = g_strdup (status);
  gtk_label_set_text (GTK_LABEL (self->status_label), status);
  gtk_label_set_text (GTK_LABEL (self->details_label), details ? details : "");
  gtk_widget_set_visible (self->status_spinner, icon == NULL);
  gtk_spinner_set_spinning (GTK_SPINNER (self->status_spinner), icon == NULL);
  gtk_widget_set_visible (self->status_icon, icon != NULL);
  if (icon != NULL)
    gtk_image_set_from_icon_name (GTK_IMAGE (self->status_icon), icon);
}

static void
add_issue (IwbRunView *self,
           const char *text)
{
  char *joined;

  if (text == NULL || text[0] == '\0')
    return;
  joined = self->issues_text ? g_strconcat (self->issues_text, "\n", text, NULL) : g_strdup (text);
  g_free (self->issues_text);
  self->issues_text = joined;
  gtk_label_set_text (GTK_LABEL (self->issues_label), self->issues_text);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->issues_revealer), TRUE);
}

static gulong
plural_n (guint64 n)
{
  return (gulong) MIN (n, G_MAXULONG);
}

static char *
counts_text (IwbRunView *self)
{
  /* The counts are formatted apart, so each message is a plain plural. */
  g_autofree char *n_in = g_strdup_printf ("%" G_GUINT64_FORMAT, self->rows_in);
  g_autofree char *n_out = g_strdup_printf ("%" G_GUINT64_FORMAT, self->n_results);
  g_autofree char *n_errors = g_strdup_printf ("%" G_GUINT64_FORMAT, self->n_errors);
  /* Translators: %s is a number */
  g_autofree char *in = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row in", "%s rows in",
                                                      plural_n (self->rows_in)), n_in);
  /* Translators: %s is a number */
  g_autofree char *out = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s result", "%s results",
                                                       plural_n (self->n_results)), n_out);
  /* Translators: %s is a number */
  g_autofree char *errors = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row error", "%s row errors",
                                                          plural_n (self->n_errors)), n_errors);

  return g_strjoin (" · ", in, out, errors, NULL);
}

void
iwb_run_view_set_elapsed (IwbRunView *self,
                          gint64      elapsed_us)
{
  g_autofree char *duration = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *details = NULL;

  g_return_if_fail (IWB_IS_RUN_VIEW (self));

  if (self->finished || self->run == NULL)
    return;
  duration = iwb_format_duration (elapsed_us);
  counts = counts_text (self);
  details = g_strdup_printf ("%s · %s", duration, counts);
  gtk_label_set_text (GTK_LABEL (self->details_label), details);
}

static void
show_finished (IwbRunView  *self,
               IwbRunEvent *event)
{
  IwbRunStatus status = iwb_run_event_get_status (event);
  const IwbRunCounts *counts = iwb_run_event_get_counts (event);
  const char *meaning = iwb_run_event_get_exit_meaning (event) ? _(iwb_run_event_get_exit_meaning (event)) : NULL;
  int exit_code = iwb_run_event_get_exit_code (event);
  g_autofree char *duration = iwb_format_duration (iwb_run_event_get_duration_us (event));
  g_autofree char *counts_str = NULL;
  g_autofree char *exit_text = NULL;
  g_autofree char *details = NULL;
  const char *icon = "emblem-ok-symbolic";
  const char *words = _("Succeeded");

  if (counts != NULL)
    {
      self->rows_in = counts->rows_in;
      self->n_results = counts->results;
      self->n_errors = counts->row_errors;
    }
  switch (status)
    {
    case IWB_RUN_STATUS_SUCCEEDED:
      break;
    case IWB_RUN_STATUS_REPORTED_ERRORS:
      icon = "dialog-warning-symbolic";
      words = _("Finished with errors");
      break;
    case IWB_RUN_STATUS_FAILED:
      icon = "dialog-error-symbolic";
      words = _("Failed");
      break;
    case IWB_RUN_STATUS_TIMED_OUT:
      icon = "alarm-symbolic";
      words = _("Timed out");
      break;
    case IWB_RUN_STATUS_CANCELLED:
      icon = "process-stop-symbolic";
      words = _("Cancelled");
      break;
    default:
      break;
    }
  if (meaning != NULL && meaning[0] != '\0')
    exit_text = g_strdup (meaning);
  else if (exit_code >= 0)
    /* Translators: %d is a process exit code */
    exit_text = g_strdup_printf (_("Exit %d"), exit_code);
  else
    exit_text = g_strdup (_("The process did not exit by itself"));
  counts_str = counts_text (self);
  details = g_strdup_printf ("%s · %s · %s", duration, counts_str, exit_text);
  set_status (self, icon, words, details);
  gtk_widget_set_tooltip_text (self->details_label, details);

  gtk_widget_remove_css_class (self->status_label, "success");
  gtk_widget_remove_css_class (self->status_label, "warning");
  gtk_widget_remove_css_class (self->status_label, "error");
  gtk_widget_add_css_class (self->status_label,
                            status == IWB_RUN_STATUS_SUCCEEDED ? "success"
                            : status == IWB_RUN_STATUS_REPORTED_ERRORS ? "warning" : "error");
  if (self->n_results == 0 && self->n_errors == 0)
    gtk_stack_set_visible_child_name (GTK_STACK (self->results_stack), "empty");
}

/* --- JSON tab -------------------------------------------------------------- */

/* @text (taken) with the forms of the run's secrets masked. */
char *
_iwb_run_view_redact (IwbRunView *self,
                      char       *text)
{
  char *red = self->needles ? iwb_redact_text (self->needles, text, "[secret]") : NULL;

  if (red == NULL)
    return text;
  g_free (text);
  return red;
}

char *
iwb_run_view_dup_json_text (IwbRunView *self)
{
  GString *text = g_string_new ("[\n");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  guint shown = MIN (n, JSON_VIEW_LIMIT);

  for (guint i = 0; i < shown; i++)
    {
      g_autoptr(IwbRunEvent) event = g_list_model_get_item (G_LIST_MODEL (self->results), i);
      g_autofree char *json = iwb_json_to_string (iwb_run_event_get_payload (event), FALSE);

      g_string_append_printf (text, "  %s%s\n", json, i + 1 < n ? "," : "");
    }
  if (shown < n)
    /* Not JSON, on purpose: a reader sees at once that the list goes on. */
    g_string_append_printf (text, _("  … %u more results: use Copy All to get every result\n"), n - shown);
  g_string_append (text, "]\n");
  return _iwb_run_view_redact (self, g_string_free (text, FALSE));
}

static void
refresh_json (IwbRunView *self)
{
  g_autofree char *text = NULL;

  if (!self->json_dirty)
    return;
  self->json_dirty = FALSE;
  text = iwb_run_view_dup_json_text (self);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->json_view)), text, -1);
}

static void
visible_tab_changed (IwbRunView *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->stack), "json") == 0)
    refresh_json (self);
}

static void
copy_json_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  IwbRunView *self = IWB_RUN_VIEW (widget);
  GString *text = g_string_new ("[");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  g_autofree char *all = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IwbRunEvent) event = g_list_model_get_item (G_LIST_MODEL (self->results), i);
      g_autofree char *json = iwb_json_to_string (iwb_run_event_get_payload (event), FALSE);

      g_string_append (text, i > 0 ? ",\n" : "\n");
      g_string_append (text, json);
    }
  g_string_append (text, "\n]\n");
  all = _iwb_run_view_redact (self, g_string_free (text, FALSE));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), all);
  iwb_widget_show_toast (GTK_WIDGET (self), _("Copied every result as a JSON array"));
}

/* --- events ---------------------------------------------------------------- */

/* The next splice's size: what took about SPLICE_TARGET_US last time
 * (starting from one item: the first rows cost the most). */
static guint
next_batch (guint  batch,
            guint  n,
            gint64 elapsed_us)
{
  gint64 per_item = MAX (elapsed_us / MAX (n, 1), 1);

  if (n < batch)
    return batch; /* a short tail says nothing about the cost */
  return (guint) CLAMP (SPLICE_TARGET_US / per_item, 1, BATCH_MAX);
}

/* Moves @n queued events of @pending into the run's @list and the shown
 * one, in one splice each, and returns how long it took. */
static gint64
splice_pending (IwbRunViewList *list,
                IwbRunViewList *shown,
                GPtrArray      *pending,
                guint           n)
{
  gint64 start = g_get_monotonic_time ();

  _iwb_run_view_list_append (list, pending->pdata, n);
  _iwb_run_view_list_append (shown, pending->pdata, n);
  g_ptr_array_remove_range (pending, 0, n);
  return g_get_monotonic_time () - start;
}

/* Moves queued events into the models until @deadline: in splices (GTK
 * never gets them one at a time) sized to take about SPLICE_TARGET_US
 * each. Called by the view's work between frames (iwb-run-view-work.c);
 * TRUE while events are left. */
gboolean
_iwb_run_view_flush_some (IwbRunView *self,
                          gint64      deadline)
{
  if (self->pending_results->len == 0 && self->pending_log->len == 0)
    return FALSE;
  do
    {
      guint n = MIN (self->pending_results->len, self->results_batch);

      if (n > 0)
        {
          for (guint i = 0; i < n; i++)
            _iwb_run_view_sample_columns (self, g_ptr_array_index (self->pending_results, i));
          gtk_stack_set_visible_child_name (GTK_STACK (self->results_stack), "table");
          self->results_batch = next_batch (self->results_batch, n,
                                            splice_pending (self->results, self->shown_results, self->pending_results, n));
          self->json_dirty = TRUE;
        }
      n = MIN (self->pending_log->len, self->log_batch);
      if (n > 0)
        self->log_batch = next_batch (self->log_batch, n, splice_pending (self->log, self->shown_log, self->pending_log, n));
    }
  while ((self->pending_results->len > 0 || self->pending_log->len > 0)
         && g_get_monotonic_time () < deadline);

  if (self->pending_results->len > 0 || self->pending_log->len > 0)
    return TRUE;
  visible_tab_changed (self);
  return FALSE;
}

static void
open_file_clicked (GtkButton *button,
                   const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
add_file (IwbRunView  *self,
          IwbRunEvent *event)
{
  const char *path = iwb_run_event_get_text (event);
  g_autofree char *name = NULL;
  GtkWidget *row;
  GtkWidget *button;

  if (path == NULL)
    return;
  g_list_store_append (self->files, event);
  name = g_path_get_basename (path);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), path);
  button = gtk_button_new_with_mnemonic (_("_Open"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_data (button, "clicked", G_CALLBACK (open_file_clicked), g_strdup (path),
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  gtk_list_box_append (GTK_LIST_BOX (self->files_list), row);
  gtk_stack_set_visible_child_name (GTK_STACK (self->files_stack), "list");
}

static char *
errors_text (IwbRunEvent *event)
{
  JsonNode *payload = iwb_run_event_get_payload (event);
  GPtrArray *field_errors = iwb_run_event_get_field_errors (event);
  GString *text = g_string_new (iwb_run_event_get_message (event));

  for (guint i = 0; field_errors != NULL && i < field_errors->len; i++)
    {
      IwbFieldError *fe = g_ptr_array_index (field_errors, i);

      g_string_append_printf (text, "\n• %s%s%s", fe->field ? fe->field : "", fe->field ? ": " : "",
                              fe->message);
    }
  if ((field_errors == NULL || field_errors->len == 0) && payload != NULL && JSON_NODE_HOLDS_OBJECT (payload))
    {
      JsonArray *errors = iwb_json_get_array (json_node_get_object (payload), "errors");

      for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
        {
          g_autofree char *item = iwb_json_to_compact_text (json_array_get_element (errors, i));

          g_string_append_printf (text, "\n• %s", item);
        }
    }
  return g_string_free (text, FALSE);
}

static void
on_run_event (IwbRun      *run,
              IwbRunEvent *event,
              IwbRunView  *self)
{
  switch (iwb_run_event_get_kind (event))
    {
    case IWB_RUN_EVENT_RESULT:
      self->n_results++;
      g_ptr_array_add (self->pending_results, g_object_ref (event));
      _iwb_run_view_schedule_work (self);
      break;
    case IWB_RUN_EVENT_ROW_ERROR:
      self->n_errors++;
      g_ptr_array_add (self->pending_results, g_object_ref (event));
      _iwb_run_view_schedule_work (self);
      break;
    case IWB_RUN_EVENT_LOG:
      g_ptr_array_add (self->pending_log, g_object_ref (event));
      _iwb_run_view_schedule_work (self);
      break;
    case IWB_RUN_EVENT_FILE:
      add_file (self, event);
      break;
    case IWB_RUN_EVENT_VALIDATION_ERRORS:
    case IWB_RUN_EVENT_INSTANTIATION_ERROR:
      {
        g_autofree char *text = errors_text (event);

        add_issue (self, text);
      }
      break;
    case IWB_RUN_EVENT_WARNING:
      add_issue (self, iwb_run_event_get_text (event));
      break;
    case IWB_RUN_EVENT_HTTP:
      if (iwb_run_event_get_exchange (event) != NULL)
        _iwb_run_view_http_add (self, iwb_run_event_get_exchange (event));
      break;
    case IWB_RUN_EVENT_OVERRIDES:
      break;
    case IWB_RUN_EVENT_FINISHED:
      self->finished = TRUE;
      show_finished (self, event);
      /* The last batch may still be queued: the JSON tab follows it. */
      self->json_dirty = TRUE;
      visible_tab_changed (self);
      break;
    default:
      break;
    }
}

void
_iwb_run_view_handle_event (IwbRunView  *self,
                            IwbRunEvent *event)
{
  on_run_event (NULL, event, self);
}

/* --- object ---------------------------------------------------------------- */

static void
detach (IwbRunView *self)
{
  if (self->run != NULL)
    {
      g_clear_signal_handler (&self->event_handler, self->run);
      g_clear_object (&self->run);
    }
}

void
_iwb_run_view_drained (IwbRunView *self)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (self->results_view);
  GListModel *columns = gtk_column_view_get_columns (view);

  /* The last run's columns (this run's come with its first results). */
  while (g_list_model_get_n_items (columns) > 1)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 1);

      gtk_column_view_remove_column (view, column);
    }
}

void
iwb_run_view_clear (IwbRunView *self)
{
  GtkWidget *child;

  g_return_if_fail (IWB_IS_RUN_VIEW (self));

  detach (self);
  g_ptr_array_set_size (self->pending_results, 0);
  g_ptr_array_set_size (self->pending_log, 0);
  /* The tables let go of the last run's rows a slice at a time; the
   * columns go when they are empty (_iwb_run_view_drained). */
  _iwb_run_view_drain_start (self);
  g_list_store_remove_all (self->files);
  while ((child = gtk_widget_get_first_child (self->files_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->files_list), child);
  gtk_stack_set_visible_child_name (GTK_STACK (self->files_stack), "empty");

  g_ptr_array_set_size (self->columns, 0);
  g_hash_table_remove_all (self->row_text);
  g_hash_table_remove_all (self->row_index);
  g_clear_pointer (&self->rows_owner, g_ptr_array_unref);
  g_clear_pointer (&self->needles, g_ptr_array_unref);
  self->error_column = FALSE;
  self->sampled = 0;
  self->results_batch = self->log_batch = 1;
  self->n_results = self->n_errors = self->rows_in = 0;
  self->finished = FALSE;
  self->json_dirty = TRUE;
  g_clear_pointer (&self->issues_text, g_free);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->issues_revealer), FALSE);
  gtk_stack_set_visible_child_name (GTK_STACK (self->results_stack), "empty");
  gtk_widget_remove_css_class (self->status_label, "success");
  gtk_widget_remove_css_class (self->status_label, "warning");
  gtk_widget_remove_css_class (self->status_label, "error");
  set_status (self, "media-playback-start-symbolic", _("Not run yet"), NULL);
  _iwb_run_view_http_clear (self);
  refresh_json (self);
  _iwb_run_view_hide_baseline_note (self);
}

void
_iwb_run_view_index_rows (IwbRunView *self,
                          GPtrArray  *rows)
{
  g_hash_table_remove_all (self->row_text);
  g_hash_table_remove_all (self->row_index);
  g_clear_pointer (&self->rows_owner, g_ptr_array_unref);
  if (rows == NULL)
    return;
  self->rows_owner = g_ptr_array_ref (rows);
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (rows, i);
      GString *text = g_string_new (NULL);

      iwb_json_write_object (text, row);
      g_hash_table_insert (self->row_index, row, GUINT_TO_POINTER (i + 1));
      g_hash_table_insert (self->row_text, row, g_string_free (text, FALSE));
    }
}

void
iwb_run_view_attach (IwbRunView *self,
                     IwbRun     *run,
                     GPtrArray  *rows)
{
  g_return_if_fail (IWB_IS_RUN_VIEW (self));
  g_return_if_fail (IWB_IS_RUN (run));

  iwb_run_view_clear (self);
  self->run = g_object_ref (run);
  /* What the integration returns may hold a secret it was given: shown
   * masked (log lines and errors come masked from the run). */
  self->needles = iwb_run_dup_secret_needles (run);
  self->event_handler = g_signal_connect (run, "event", G_CALLBACK (on_run_event), self);
  _iwb_run_view_http_attach (self, run);
  self->rows_in = rows ? rows->len : 0;
  /* The run's events point into its own copies of the rows. */
  _iwb_run_view_index_rows (self, iwb_run_get_rows (run));
  set_status (self, NULL, _("Running…"), NULL);
}

IwbRun *
iwb_run_view_get_run (IwbRunView *self)
{
  g_return_val_if_fail (IWB_IS_RUN_VIEW (self), NULL);
  return self->run;
}

GListModel *
iwb_run_view_get_results (IwbRunView *self)
{
  g_return_val_if_fail (IWB_IS_RUN_VIEW (self), NULL);
  return G_LIST_MODEL (self->results);
}

GListModel *
iwb_run_view_get_log (IwbRunView *self)
{
  g_return_val_if_fail (IWB_IS_RUN_VIEW (self), NULL);
  return G_LIST_MODEL (self->log);
}

GListModel *
iwb_run_view_get_files (IwbRunView *self)
{
  g_return_val_if_fail (IWB_IS_RUN_VIEW (self), NULL);
  return G_LIST_MODEL (self->files);
}

GtkColumnView *
iwb_run_view_get_results_view (IwbRunView *self)
{
  g_return_val_if_fail (IWB_IS_RUN_VIEW (self), NULL);
  return GTK_COLUMN_VIEW (self->results_view);
}

GStrv
iwb_run_view_dup_result_columns (IwbRunView *self)
{
  GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (self->results_view));
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv result;

  /* While the tables drain, the columns after the first are the last run's. */
  for (guint i = 0; i < g_list_model_get_n_items (columns) && (i == 0 || !_iwb_run_view_is_draining (self)); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_strv_builder_add (builder, gtk_column_view_column_get_title (column));
    }
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

guint
iwb_run_view_get_n_pending (IwbRunView *self)
{
  g_return_val_if_fail (IWB_IS_RUN_VIEW (self), 0);
  return self->pending_results->len + self->pending_log->len + (_iwb_run_view_is_draining (self) ? 1 : 0);
}

gboolean
iwb_run_view_get_finished (IwbRunView *self)
{
  g_return_val_if_fail (IWB_IS_RUN_VIEW (self), FALSE);
  return self->finished;
}

const char *
iwb_run_view_get_status_text (IwbRunView *self)
{
  g_return_val_if_fail (IWB_IS_RUN_VIEW (self), NULL);
  return self->status_text;
}

void
iwb_run_view_set_visible_tab (IwbRunView *self,
                              const char *name)
{
  g_return_if_fail (IWB_IS_RUN_VIEW (self));
  adw_view_stack_set_visible_child_name (self->stack, name);
}



static void
iwb_run_view_dispose (GObject *object)
{
  IwbRunView *self = IWB_RUN_VIEW (object);

  detach (self);
  _iwb_run_view_work_dispose (self);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), IWB_TYPE_RUN_VIEW);
  G_OBJECT_CLASS (iwb_run_view_parent_class)->dispose (object);
}

static void
iwb_run_view_finalize (GObject *object)
{
  IwbRunView *self = IWB_RUN_VIEW (object);

  _iwb_run_view_work_finalize (self);
  g_clear_object (&self->results);
  g_clear_object (&self->log);
  g_clear_object (&self->files);
  g_clear_pointer (&self->pending_results, g_ptr_array_unref);
  g_clear_pointer (&self->pending_log, g_ptr_array_unref);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->row_text, g_hash_table_unref);
  g_clear_pointer (&self->row_index, g_hash_table_unref);
  g_clear_pointer (&self->rows_owner, g_ptr_array_unref);
  g_clear_pointer (&self->needles, g_ptr_array_unref);
  g_clear_pointer (&self->status_text, g_free);
  g_clear_pointer (&self->issues_text, g_free);
  G_OBJECT_CLASS (iwb_run_view_parent_class)->finalize (object);
}

static void
iwb_run_view_class_init (IwbRunViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = iwb_run_view_dispose;
  object_class->finalize = iwb_run_view_finalize;

  /* A result was activated: @index (0-based) is its input row. */
  signals[INPUT_ROW_ACTIVATED] = g_signal_new ("input-row-activated", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 1, G_TYPE_UINT);

  g_type_ensure (IWB_TYPE_HTTP_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lhub/IntegrationWorkbench/iwb-run-view.ui");
  gtk_widget_class_bind_template_child (widget_class, IwbRunView, http_view);
  gtk_widget_class_bind_template_child (widget_class, IwbRunView, http_page);
  gtk_widget_class_bind_template_child (widget_class, IwbRunView, box);
  gtk_widget_class_bind_template_child (widget_class, IwbRunView, status_icon);
  gtk_widget_class_bind_template_child (widget_class, IwbRunView, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, IwbRunView, status_label);
  gtk_widget_class_bind_template_child (widget_class, IwbRunView, details_label);
  gtk_widget_class_bind_template_child (widget_class, IwbRunView, issues_revealer);
  gtk_widget_class_bind_template_child (widget_class, IwbRunView, issues_label);
  gtk_widget_class_bind_template_child (widget_class, IwbRunView, stack);
  gtk_widget_class_bind_template_child (widget_class, IwbRunView, results_view);
  gtk_widget_class_bind_template_child (widget_class, IwbRunView, results_stack);
  gtk_widget_class_bind_template_child (widget_class, IwbRunView, json_scrolled);
  gtk_widget_class_bind_template_child (widget_class, IwbRunView, log_view);
  gtk_widget_class_bind_template_child (widget_class, IwbRunView, files_list);
  gtk_widget_class_bind_template_child (widget_class, IwbRunView, files_stack);
  gtk_widget_class_bind_template_callback (widget_class, visible_tab_changed);
  gtk_widget_class_bind_template_callback (widget_class, result_activated);
  gtk_widget_class_install_action (widget_class, "run.copy-json", NULL, copy_json_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "runview");
}

static void
iwb_run_view_init (IwbRunView *self)
{
  GtkSelectionModel *selection;

  self->results = _iwb_run_view_list_new ();
  self->log = _iwb_run_view_list_new ();
  self->shown_results = _iwb_run_view_list_new ();
  self->shown_log = _iwb_run_view_list_new ();
  self->files = g_list_store_new (IWB_TYPE_RUN_EVENT);
  self->pending_results = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending_log = g_ptr_array_new_with_free_func (g_object_unref);
  self->columns = g_ptr_array_new_with_free_func (g_free);
  /* Keys are borrowed: rows_owner holds the rows. */
  self->row_index = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->row_text = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Results: a virtualised table over the events. */
  selection = GTK_SELECTION_MODEL (gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->shown_results))));
  gtk_single_selection_set_autoselect (GTK_SINGLE_SELECTION (selection), FALSE);
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->results_view), selection);
  g_object_unref (selection);
  _iwb_run_view_add_input_column (self);

  /* JSON: highlighted, read-only, copyable. */
  self->json_view = iwb_source_view_new ("json", FALSE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->json_scrolled), self->json_view);

  /* Log: time, stream, line. */
  selection = GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->shown_log))));
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->log_view), selection);
  g_object_unref (selection);
  _iwb_run_view_add_log_columns (self);
  _iwb_run_view_work_init (self);
  _iwb_run_view_http_init (self);

  iwb_run_view_clear (self);
}

IwbRunView *
iwb_run_view_new (void)
{
  return g_object_new (IWB_TYPE_RUN_VIEW, NULL);
}

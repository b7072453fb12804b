/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbHistoryPage's Compare…: the popover with the other runs of the shown
 * action, and the structural difference of two runs' results
 * (iwb_history_compare_async()) in a window with the diff view.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-diff-view.h"
#include "iwb-gui-util.h"
#include "iwb-history-page-private.h"

static GtkWidget *
ensure_diff_window (IwbHistoryPage *self)
{
  GtkWidget *box, *header;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->diff_window != NULL)
    return self->diff_window;
  self->diff_window = adw_window_new ();
  g_object_add_weak_pointer (G_OBJECT (self->diff_window), (gpointer *) &self->diff_window);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self->diff_window), GTK_WINDOW (root));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self->diff_window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self->diff_window), 900, 600);
  gtk_window_set_title (GTK_WINDOW (self->diff_window), _("Compare Runs"));
  iwb_window_close_on_escape (GTK_WINDOW (self->diff_window));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (_("Compare Runs"), NULL));
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), iwb_diff_view_new ());
  gtk_widget_set_vexpand (gtk_widget_get_last_child (box), TRUE);
  adw_window_set_content (ADW_WINDOW (self->diff_window), box);
  return self->diff_window;
}

static void
compared (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(IwbHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  IwbHistoryComparison *cmp = iwb_history_compare_finish (IWB_HISTORY (source), result, &error);
  GtkWidget *window, *box, *view, *header;
  g_autofree char *summary = NULL;
  g_autofree char *title = NULL;
  g_autofree char *old_label = NULL;
  g_autofree char *new_label = NULL;
  g_autofree char *name = NULL;

  if (cmp == NULL)
    {
      iwb_widget_show_toast (GTK_WIDGET (self), error->message);
      return;
    }
  g_clear_pointer (&self->comparison, iwb_history_comparison_free);
  self->comparison = cmp;
  summary = iwb_history_comparison_summary (cmp);
  window = ensure_diff_window (self);
  box = adw_window_get_content (ADW_WINDOW (window));
  header = gtk_widget_get_first_child (box);
  view = gtk_widget_get_last_child (box);
  /* Translators: the two run ids compared */
  title = g_strdup_printf (_("Run %lld → run %lld"), (long long) cmp->old_id, (long long) cmp->new_id);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, summary));
  old_label = g_strdup_printf (_("Run %lld"), (long long) cmp->old_id);
  new_label = g_strdup_printf (_("Run %lld"), (long long) cmp->new_id);
  iwb_diff_view_set_side_labels (IWB_DIFF_VIEW (view), old_label, new_label);
  /* Translators: what Compare… shows: the results of the two runs */
  name = g_strdup_printf (_("Results of run %lld and run %lld"), (long long) cmp->old_id,
                          (long long) cmp->new_id);
  iwb_diff_view_set_document_name (IWB_DIFF_VIEW (view), name);
  iwb_diff_view_set_documents (IWB_DIFF_VIEW (view), cmp->old_rows, cmp->new_rows, summary);
  gtk_window_present (GTK_WINDOW (window));
  _iwb_history_page_emit_compared (self);
}

void
iwb_history_page_compare_ids (IwbHistoryPage *self,
                              gint64          a,
                              gint64          b)
{
  IwbHistory *history = iwb_session_get_history (self->session);

  g_return_if_fail (IWB_IS_HISTORY_PAGE (self));
  if (history == NULL)
    return;
  /* older first: the diff reads as "what changed since" */
  iwb_history_compare_async (history, MIN (a, b), MAX (a, b), NULL, compared, g_object_ref (self));
}

void
iwb_history_page_compare (IwbHistoryPage *self,
                          gint64          other_id)
{
  g_return_if_fail (IWB_IS_HISTORY_PAGE (self));
  if (self->shown != NULL)
    iwb_history_page_compare_ids (self, iwb_history_entry_get_id (self->shown->entry), other_id);
}

const IwbHistoryComparison *
iwb_history_page_get_comparison (IwbHistoryPage *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_PAGE (self), NULL);
  return self->comparison;
}

static void
compare_with_clicked (GtkButton      *button,
                      IwbHistoryPage *self)
{
  gint64 other = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "id"));
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER);

  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  iwb_history_page_compare (self, other);
}

/* The popover of Compare…: the other runs of the same action. */
static void
compare_listed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GtkWidget *popover = user_data;
  IwbHistoryPage *self = g_object_get_data (G_OBJECT (popover), "page");
  g_autoptr(GPtrArray) entries = iwb_history_list_finish (IWB_HISTORY (source), result, NULL);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  guint n = 0;

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      IwbHistoryEntry *entry = entries->pdata[i];
      GtkWidget *row, *button;
      g_autofree char *title = NULL;
      g_autofree char *when = NULL;

      if (self->shown == NULL ||
          iwb_history_entry_get_id (entry) == iwb_history_entry_get_id (self->shown->entry))
        continue;
      when = _iwb_history_page_relative_time (iwb_history_entry_get_started (entry), NULL);
      title = g_strdup_printf (_("Run %lld · %s"), (long long) iwb_history_entry_get_id (entry), when);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _iwb_history_page_status_words (iwb_history_entry_get_status (entry)));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name (_iwb_history_page_status_icon (iwb_history_entry_get_status (entry))));
      button = gtk_button_new_with_label (_("Compare"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (button), "id", GSIZE_TO_POINTER (iwb_history_entry_get_id (entry)));
      g_signal_connect (button, "clicked", G_CALLBACK (compare_with_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      n++;
    }
  if (n == 0)
    {
      GtkWidget *label = gtk_label_new (_("No other run of this action to compare with"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_popover_set_child (GTK_POPOVER (popover), label);
    }
  else
    {
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
      gtk_widget_set_size_request (scrolled, 320, -1);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
      gtk_popover_set_child (GTK_POPOVER (popover), scrolled);
    }
  g_object_unref (popover);
}

void
_iwb_history_page_compare_clicked (IwbHistoryPage *self)
{
  IwbHistory *history = iwb_session_get_history (self->session);
  IwbHistoryQuery query = { 0 };
  g_autofree char *integration = iwb_session_dup_integration_key (self->session);
  GtkWidget *popover;

  if (self->shown == NULL || history == NULL)
    return;
  popover = gtk_popover_new ();
  gtk_widget_set_parent (popover, self->compare_button);
  g_signal_connect (popover, "closed", G_CALLBACK (gtk_widget_unparent), NULL);
  g_object_set_data (G_OBJECT (popover), "page", self);
  gtk_popover_set_child (GTK_POPOVER (popover), gtk_spinner_new ());
  gtk_popover_popup (GTK_POPOVER (popover));
  query.integration = integration;
  query.action = iwb_history_entry_get_action (self->shown->entry);
  query.status = NULL;
  query.limit = 50;
  iwb_history_list_async (history, &query, NULL, compare_listed, g_object_ref (popover));
}


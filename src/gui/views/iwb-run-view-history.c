/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRunView showing a run from the history: the stored events go through
 * the very path a live run's take (batched into the models on idle), so a
 * recorded run looks like the live one; nothing is attached, nothing runs.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-gui-util.h"
#include "iwb-run-view-private.h"

void
iwb_run_view_show_replay (IwbRunView       *self,
                          IwbHistoryReplay *replay)
{
  g_return_if_fail (IWB_IS_RUN_VIEW (self));
  g_return_if_fail (replay != NULL);

  iwb_run_view_clear (self);
  self->rows_in = replay->inputs->len;
  _iwb_run_view_index_rows (self, replay->inputs);
  for (guint i = 0; i < replay->events->len; i++)
    _iwb_run_view_handle_event (self, g_ptr_array_index (replay->events, i));
}

#define NOTE_KEY "iwb-run-view-baseline-note"

void
_iwb_run_view_hide_baseline_note (IwbRunView *self)
{
  GtkWidget *note = g_object_get_data (G_OBJECT (self), NOTE_KEY);

  if (note != NULL)
    gtk_widget_set_visible (note, FALSE);
}

void
iwb_run_view_set_baseline_note (IwbRunView *self,
                                const char *text,
                                gboolean    differs,
                                gint64      baseline_id,
                                gint64      run_id)
{
  GtkWidget *note;

  g_return_if_fail (IWB_IS_RUN_VIEW (self));
  note = g_object_get_data (G_OBJECT (self), NOTE_KEY);
  if (note == NULL)
    {
      GtkWidget *row = gtk_widget_get_parent (self->details_label);

      note = gtk_button_new ();
      gtk_widget_add_css_class (note, "pill");
      gtk_widget_add_css_class (note, "small");
      gtk_widget_set_valign (note, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (note, _("Compare this run's results with the baseline's"));
      gtk_box_append (GTK_BOX (row), note);
      g_object_set_data (G_OBJECT (self), NOTE_KEY, note);
    }
  gtk_button_set_label (GTK_BUTTON (note), text);
  gtk_widget_remove_css_class (note, differs ? "success" : "warning");
  gtk_widget_add_css_class (note, differs ? "warning" : "success");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (note), "(xx)", baseline_id, run_id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (note), "history.compare");
  gtk_widget_set_visible (note, TRUE);
}

const char *
iwb_run_view_get_baseline_note (IwbRunView *self)
{
  GtkWidget *note;

  g_return_val_if_fail (IWB_IS_RUN_VIEW (self), NULL);
  note = g_object_get_data (G_OBJECT (self), NOTE_KEY);
  return note && gtk_widget_get_visible (note) ? gtk_button_get_label (GTK_BUTTON (note)) : NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbFrameWork: a widget's work in slices between frames (see the header). */
#include "config.h"

#include "iwb-frame-work.h"

void
iwb_frame_work_init (IwbFrameWork     *work,
                     GtkWidget        *widget,
                     IwbFrameWorkFunc  func,
                     gpointer          user_data)
{
  work->widget = widget;
  work->func = func;
  work->user_data = user_data;
  work->tick = 0;
  work->source = 0;
}

static gboolean
on_frame (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       user_data)
{
  IwbFrameWork *work = user_data;

  if (gtk_widget_get_mapped (widget))
    {
      if (work->func (work->user_data))
        return G_SOURCE_CONTINUE;
      work->tick = 0;
      return G_SOURCE_REMOVE;
    }
  /* Off screen now: on the timer. */
  work->tick = 0;
  iwb_frame_work_schedule (work);
  return G_SOURCE_REMOVE;
}

static gboolean
on_timer (gpointer user_data)
{
  IwbFrameWork *work = user_data;

  work->source = 0;
  if (gtk_widget_get_mapped (work->widget))
    iwb_frame_work_schedule (work); /* on screen again: once per frame */
  else if (work->func (work->user_data))
    work->source = g_timeout_add_full (G_PRIORITY_DEFAULT, IWB_FRAME_WORK_GAP_MS, on_timer, work, NULL);
  return G_SOURCE_REMOVE;
}

void
iwb_frame_work_schedule (IwbFrameWork *work)
{
  if (work->tick != 0 || work->source != 0)
    return;
  if (gtk_widget_get_mapped (work->widget))
    work->tick = gtk_widget_add_tick_callback (work->widget, on_frame, work, NULL);
  else
    work->source = g_timeout_add_full (G_PRIORITY_DEFAULT, 0, on_timer, work, NULL);
}

void
iwb_frame_work_cancel (IwbFrameWork *work)
{
  g_clear_handle_id (&work->source, g_source_remove);
  if (work->tick != 0)
    {
      gtk_widget_remove_tick_callback (work->widget, work->tick);
      work->tick = 0;
    }
}

gboolean
iwb_frame_work_is_scheduled (IwbFrameWork *work)
{
  return work->tick != 0 || work->source != 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One slice of a widget's work (a few milliseconds at most); TRUE while
 * work is left. */
typedef gboolean (*IwbFrameWorkFunc) (gpointer user_data);

/*
 * IwbFrameWork: work a widget does in slices without keeping the window
 * from drawing — once per frame (a tick callback) while the widget is on
 * screen, so a frame follows every slice whatever else the main loop has
 * to do; on a timer, IWB_FRAME_WORK_GAP_MS apart, while it is not (the
 * frame clock does not tick for it then). Separate sources at default
 * priority, each with pauses of its own, add up and keep the frame clock,
 * below them, waiting (frames 300–500 ms apart while 100,000 results came
 * in). Embedded in the widget's instance; iwb_frame_work_cancel() in its
 * dispose.
 */
#define IWB_FRAME_WORK_GAP_MS 8

typedef struct
{
  GtkWidget        *widget;
  IwbFrameWorkFunc  func;
  gpointer          user_data;
  guint             tick;
  guint             source;
} IwbFrameWork;

void     iwb_frame_work_init      (IwbFrameWork     *work,
                                   GtkWidget        *widget,
                                   IwbFrameWorkFunc  func,
                                   gpointer          user_data);
/* Runs a slice at the next frame (or soon, off screen), then more until
 * the function says no work is left. Does nothing when one is scheduled. */
void     iwb_frame_work_schedule  (IwbFrameWork     *work);
void     iwb_frame_work_cancel    (IwbFrameWork     *work);
gboolean iwb_frame_work_is_scheduled (IwbFrameWork  *work);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRunView's work between frames: taking queued events into the tables,
 * letting go of the last run's rows, unreferencing the last run's events.
 *
 * All of it runs from one place, for at most WORK_BUDGET_US at a time, once
 * per frame (IwbFrameWork).
 *
 * Letting go of the last run: GtkColumnView keeps widgets for about 200
 * rows around the visible ones, and emptying the shown list in one
 * "items-changed" destroys all of them at once (80–100 ms on a slow
 * machine). So the tables show lists of their own, which take the same
 * events as the run's lists (what iwb_run_view_get_results() returns).
 * When the next run starts, the run's lists are emptied at once, and the
 * shown ones in steps: first, in one move, every item without a widget
 * (nearly all, and cheap), then the rows with widgets a slice at a time,
 * each sized to take about DRAIN_TARGET_US. The table is behind its
 * "empty" page meanwhile; then the queued events flow in. Which rows have
 * widgets: the cells of each table's first column are tracked from bind
 * to unbind.
 */
#include "config.h"

#include "iwb-run-view-private.h"

#define WORK_BUDGET_US   5000   /* of work per frame (or per timer) */
#define DRAIN_TARGET_US  1500   /* of destroying row widgets per slice */
#define DRAIN_CHUNK_MAX  4096
#define RELEASE_STEP     256    /* events unreferenced per step */

/* --- letting go of events -------------------------------------------------- */

/* Newest first, a step at least, then until @deadline. */
static void
release_some (IwbRunView *self,
              gint64      deadline)
{
  do
    g_ptr_array_set_size (self->released, self->released->len - MIN (self->released->len, RELEASE_STEP));
  while (self->released->len > 0 && g_get_monotonic_time () < deadline);
}

void
_iwb_run_view_release_later (IwbRunView *self,
                             GPtrArray  *events)
{
  g_ptr_array_extend_and_steal (self->released, events);
  if (self->released->len > 0)
    _iwb_run_view_schedule_work (self);
}

/* --- which rows have widgets ----------------------------------------------- */

static void
cell_bound (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            GHashTable               *bound)
{
  g_hash_table_add (bound, item);
}

static void
cell_unbound (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              GHashTable               *bound)
{
  g_hash_table_remove (bound, item);
}

static void
track_rows (GtkWidget  *view,
            GHashTable *bound)
{
  GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (view));
  g_autoptr(GtkColumnViewColumn) first = g_list_model_get_item (columns, 0);
  GtkListItemFactory *factory = gtk_column_view_column_get_factory (first);

  g_return_if_fail (GTK_IS_SIGNAL_LIST_ITEM_FACTORY (factory));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bound), bound);
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbound), bound);
  g_signal_connect (factory, "teardown", G_CALLBACK (cell_unbound), bound);
}

static int
compare_positions (gconstpointer a,
                   gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* Takes out of @list every stretch of items without widgets, in one move
 * each, from the end (GTK keeps widgets around the visible rows, and for
 * the focused one wherever it is: a few stretches). */
static void
take_rows_without_widgets (IwbRunView     *self,
                           IwbRunViewList *list,
                           GHashTable     *bound)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));
  guint end = n; /* the stretch to take ends here (exclusive) */
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, bound);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      guint position = gtk_list_item_get_position (item);

      if (position != GTK_INVALID_LIST_POSITION && position < n)
        g_array_append_val (positions, position);
    }
  g_array_sort (positions, compare_positions);
  for (guint i = positions->len; i > 0; i--)
    {
      guint position = g_array_index (positions, guint, i - 1);

      if (position >= end)
        continue; /* the same row twice */
      _iwb_run_view_list_take (list, position + 1, end - position - 1, self->released);
      end = position;
    }
  _iwb_run_view_list_take (list, 0, end, self->released);
}

/* --- letting go of the last run's rows ------------------------------------- */

static guint
n_shown (IwbRunView *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->shown_results))
         + g_list_model_get_n_items (G_LIST_MODEL (self->shown_log));
}

/* The tables are empty: the queued events may come in. */
static void
drained (IwbRunView *self)
{
  self->draining = FALSE;
  _iwb_run_view_drained (self);
}

/* Rows with widgets, from the end, until @deadline. */
static void
drain_some (IwbRunView *self,
            gint64      deadline)
{
  while (g_get_monotonic_time () < deadline)
    {
      IwbRunViewList *list = self->shown_results;
      guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
      guint k;
      gint64 start, per_row;

      if (n == 0)
        {
          list = self->shown_log;
          n = g_list_model_get_n_items (G_LIST_MODEL (list));
        }
      if (n == 0)
        break;
      k = MIN (n, self->drain_chunk);
      start = g_get_monotonic_time ();
      _iwb_run_view_list_take (list, n - k, k, self->released);
      per_row = MAX ((g_get_monotonic_time () - start) / k, 1);
      self->drain_chunk = (guint) CLAMP (DRAIN_TARGET_US / per_row, 1, DRAIN_CHUNK_MAX);
    }
  if (n_shown (self) == 0)
    drained (self);
}

void
_iwb_run_view_drain_start (IwbRunView *self)
{
  /* This run's lists empty at once: nothing on screen shows them. */
  g_ptr_array_extend_and_steal (self->released, _iwb_run_view_list_steal (self->results));
  g_ptr_array_extend_and_steal (self->released, _iwb_run_view_list_steal (self->log));
  if (!self->draining)
    {
      take_rows_without_widgets (self, self->shown_results, self->bound_results);
      take_rows_without_widgets (self, self->shown_log, self->bound_log);
      /* One row first, to learn what a row costs. */
      self->drain_chunk = 1;
      self->draining = TRUE;
    }
  if (n_shown (self) == 0)
    drained (self);
  _iwb_run_view_schedule_work (self);
}

gboolean
_iwb_run_view_is_draining (IwbRunView *self)
{
  return self->draining;
}

/* --- scheduling ------------------------------------------------------------ */

/* One slice of everything; TRUE while work is left. */
static gboolean
work (gpointer user_data)
{
  IwbRunView *self = user_data;
  gint64 deadline = g_get_monotonic_time () + WORK_BUDGET_US;

  if (self->draining)
    drain_some (self, deadline);
  if (!self->draining)
    _iwb_run_view_flush_some (self, deadline);
  if (self->released->len > 0)
    release_some (self, deadline);
  return self->draining || self->pending_results->len > 0 || self->pending_log->len > 0
         || self->released->len > 0;
}

void
_iwb_run_view_schedule_work (IwbRunView *self)
{
  if (self->draining || self->pending_results->len > 0 || self->pending_log->len > 0
      || self->released->len > 0)
    iwb_frame_work_schedule (&self->work);
}

/* --- object ---------------------------------------------------------------- */

void
_iwb_run_view_work_init (IwbRunView *self)
{
  iwb_frame_work_init (&self->work, GTK_WIDGET (self), work, self);
  self->released = g_ptr_array_new_with_free_func (g_object_unref);
  self->bound_results = g_hash_table_new (NULL, NULL);
  self->bound_log = g_hash_table_new (NULL, NULL);
  track_rows (self->results_view, self->bound_results);
  track_rows (self->log_view, self->bound_log);
}

/* Before the template's widgets go (they unbind their cells then). */
void
_iwb_run_view_work_dispose (IwbRunView *self)
{
  iwb_frame_work_cancel (&self->work);
}

void
_iwb_run_view_work_finalize (IwbRunView *self)
{
  g_clear_pointer (&self->released, g_ptr_array_unref);
  g_clear_object (&self->shown_results);
  g_clear_object (&self->shown_log);
  g_clear_pointer (&self->bound_results, g_hash_table_unref);
  g_clear_pointer (&self->bound_log, g_hash_table_unref);
}

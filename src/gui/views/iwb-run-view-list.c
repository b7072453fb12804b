/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRunViewList: the run view's results and log, an append-only GListModel
 * of IwbRunEvent over an array. Items are found in O(1) (GListStore walks a
 * tree for each), and emptying it hands the items back to the caller in
 * one move, so 100,000 events are released a slice at a time instead of in
 * one stall of the window when the next run starts; a range can be taken
 * out the same way (iwb-run-view-drain.c empties a shown list in slices).
 */
#include "config.h"

#include "iwb-run-view-private.h"

struct _IwbRunViewList
{
  GObject    parent_instance;
  GPtrArray *items; /* IwbRunEvent*, referenced (no free function: items move out) */
};

static GType
list_get_item_type (GListModel *model)
{
  return IWB_TYPE_RUN_EVENT;
}

static guint
list_get_n_items (GListModel *model)
{
  return IWB_RUN_VIEW_LIST (model)->items->len;
}

static gpointer
list_get_item (GListModel *model,
               guint       position)
{
  IwbRunViewList *self = IWB_RUN_VIEW_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
iwb_run_view_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (IwbRunViewList, iwb_run_view_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, iwb_run_view_list_model_init))

static void
iwb_run_view_list_finalize (GObject *object)
{
  GPtrArray *items = IWB_RUN_VIEW_LIST (object)->items;

  g_ptr_array_foreach (items, (GFunc) (void (*) (void)) g_object_unref, NULL);
  g_ptr_array_unref (items);
  G_OBJECT_CLASS (iwb_run_view_list_parent_class)->finalize (object);
}

static void
iwb_run_view_list_class_init (IwbRunViewListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = iwb_run_view_list_finalize;
}

static void
iwb_run_view_list_init (IwbRunViewList *self)
{
  self->items = g_ptr_array_new ();
}

IwbRunViewList *
_iwb_run_view_list_new (void)
{
  return g_object_new (IWB_TYPE_RUN_VIEW_LIST, NULL);
}

void
_iwb_run_view_list_append (IwbRunViewList *self,
                           gpointer       *items,
                           guint           n)
{
  guint position = self->items->len;

  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->items, g_object_ref (items[i]));
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, n);
}

GPtrArray *
_iwb_run_view_list_steal (IwbRunViewList *self)
{
  GPtrArray *items = g_steal_pointer (&self->items);

  self->items = g_ptr_array_new ();
  g_ptr_array_set_free_func (items, g_object_unref);
  if (items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, items->len, 0);
  return items;
}

void
_iwb_run_view_list_take (IwbRunViewList *self,
                         guint           position,
                         guint           n,
                         GPtrArray      *out)
{
  g_return_if_fail (position <= self->items->len && n <= self->items->len - position);

  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (out, g_ptr_array_index (self->items, position + i));
  g_ptr_array_remove_range (self->items, position, n);
  g_list_model_items_changed (G_LIST_MODEL (self), position, n, 0);
}

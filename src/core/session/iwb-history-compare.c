/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbHistory: the structural difference of two runs' results. */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-error.h"
#include "iwb-history-private.h"
#include "iwb-json-diff.h"
#include "iwb-json.h"

typedef struct
{
  GHashTable *inputs;     /* lhub_id text -> input JSON text */
  GHashTable *seen;       /* key -> count */
  JsonArray  *items;
  gboolean    correlated; /* every item has an input */
  GError     *error;
} LoadState;

static gboolean
collect_input (IwbHistoryRowKind  kind,
               const char        *correlation,
               const char        *data,
               gpointer           user_data)
{
  LoadState *st = user_data;

  if (correlation != NULL)
    g_hash_table_insert (st->inputs, g_strdup (correlation), g_strdup (data));
  return TRUE;
}

static gboolean
collect_item (IwbHistoryRowKind  kind,
              const char        *correlation,
              const char        *data,
              gpointer           user_data)
{
  LoadState *st = user_data;
  const char *input = correlation ? g_hash_table_lookup (st->inputs, correlation) : NULL;
  JsonObject *item = json_object_new ();
  g_autoptr(JsonNode) value = iwb_json_parse_full (data, -1, IWB_JSON_PARSE_DEFAULT, NULL, NULL);

  if (value == NULL)
    value = json_node_init_string (json_node_alloc (), data);
  if (input != NULL)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (st->seen, input)) + 1;
      g_autofree char *key = n == 1 ? g_strdup (input) : g_strdup_printf ("%s#%u", input, n);

      g_hash_table_insert (st->seen, g_strdup (input), GUINT_TO_POINTER (n));
      json_object_set_string_member (item, "id", key);
      json_object_set_member (item, "input", iwb_json_parse_full (input, -1, IWB_JSON_PARSE_DEFAULT, NULL, NULL));
    }
  else
    st->correlated = FALSE;
  if (kind == IWB_HISTORY_ROW_ERROR)
    {
      JsonNode *message = JSON_NODE_HOLDS_OBJECT (value)
                            ? json_object_get_member (json_node_get_object (value), "error")
                            : NULL;

      json_object_set_member (item, "error", json_node_copy (message ? message : value));
    }
  else
    json_object_set_member (item, "result", json_node_ref (value));
  json_array_add_object_element (st->items, item);
  return TRUE;
}

static gboolean
collect_result_or_error (IwbHistoryRowKind  kind,
                         const char        *correlation,
                         const char        *data,
                         gpointer           user_data)
{
  if (kind == IWB_HISTORY_ROW_RESULT || kind == IWB_HISTORY_ROW_ERROR)
    return collect_item (kind, correlation, data, user_data);
  return TRUE;
}

/* The run's results and row errors as a list of items. */
static JsonArray *
load_items (IwbHistory  *self,
            gint64       id,
            gboolean    *correlated,
            GError     **error)
{
  g_autoptr(IwbHistoryEntry) entry = iwb_history_get (self, id, error);
  LoadState st = { 0 };
  gboolean ok;

  if (entry == NULL)
    return NULL;
  st.inputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  st.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  st.items = json_array_new ();
  st.correlated = TRUE;
  ok = iwb_history_foreach_row (self, id, IWB_HISTORY_ROW_INPUT, collect_input, &st, error) &&
       iwb_history_foreach_row (self, id, -1, collect_result_or_error, &st, error);
  g_hash_table_unref (st.inputs);
  g_hash_table_unref (st.seen);
  if (!ok)
    {
      json_array_unref (st.items);
      return NULL;
    }
  *correlated = st.correlated;
  return st.items;
}

static void
strip_ids (JsonArray *items)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *o = json_array_get_object_element (items, i);

      if (json_object_has_member (o, "id"))
        json_object_remove_member (o, "id");
    }
}

IwbHistoryComparison *
iwb_history_compare (IwbHistory  *self,
                     gint64       old_id,
                     gint64       new_id,
                     GError     **error)
{
  g_autoptr(IwbHistoryComparison) cmp = g_new0 (IwbHistoryComparison, 1);
  g_autoptr(GHashTable) changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *old_items, *new_items;
  gboolean old_corr = FALSE, new_corr = FALSE;

  g_return_val_if_fail (IWB_IS_HISTORY (self), NULL);
  cmp->old_id = old_id;
  cmp->new_id = new_id;
  old_items = load_items (self, old_id, &old_corr, error);
  if (old_items == NULL)
    return NULL;
  new_items = load_items (self, new_id, &new_corr, error);
  if (new_items == NULL)
    {
      json_array_unref (old_items);
      return NULL;
    }
  /* by input only when both runs correlate every row to its input */
  cmp->by_input = old_corr && new_corr && json_array_get_length (old_items) > 0 &&
                  json_array_get_length (new_items) > 0;
  if (!cmp->by_input)
    {
      strip_ids (old_items);
      strip_ids (new_items);
    }
  cmp->old_rows = json_node_init_array (json_node_alloc (), old_items);
  cmp->new_rows = json_node_init_array (json_node_alloc (), new_items);
  json_array_unref (old_items);
  json_array_unref (new_items);
  cmp->changes = iwb_json_diff (cmp->old_rows, cmp->new_rows);

  for (guint i = 0; i < cmp->changes->len; i++)
    {
      IwbJsonChange *change = cmp->changes->pdata[i];
      IwbJsonChangeKind kind = iwb_json_change_get_kind (change);
      const IwbJsonSegment *seg;
      g_autofree char *key = NULL;

      if (iwb_json_change_get_n_segments (change) == 0)
        continue;
      seg = iwb_json_change_get_segment (change, 0);
      if (iwb_json_change_get_n_segments (change) == 1 && kind == IWB_JSON_CHANGE_MOVED)
        continue; /* the same row, elsewhere: order is not content */
      if (iwb_json_change_get_n_segments (change) == 1 && kind == IWB_JSON_CHANGE_ADDED)
        {
          cmp->rows_added++;
          continue;
        }
      if (iwb_json_change_get_n_segments (change) == 1 && kind == IWB_JSON_CHANGE_REMOVED)
        {
          cmp->rows_removed++;
          continue;
        }
      key = seg->kind == IWB_JSON_SEGMENT_KEYED ? g_strdup (seg->key_value)
                                                : g_strdup_printf ("#%d", seg->old_index);
      g_hash_table_add (changed, g_steal_pointer (&key));
    }
  cmp->rows_changed = g_hash_table_size (changed);
  return g_steal_pointer (&cmp);
}

typedef struct
{
  gint64 old_id;
  gint64 new_id;
} CompareData;

static void
compare_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  CompareData *cd = data;
  GError *error = NULL;
  IwbHistoryComparison *cmp = iwb_history_compare (source, cd->old_id, cd->new_id, &error);

  if (cmp == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, cmp, (GDestroyNotify) iwb_history_comparison_free);
}

void
iwb_history_compare_async (IwbHistory          *self,
                           gint64               old_id,
                           gint64               new_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  CompareData *cd = g_new0 (CompareData, 1);

  cd->old_id = old_id;
  cd->new_id = new_id;
  g_task_set_source_tag (task, iwb_history_compare_async);
  g_task_set_task_data (task, cd, g_free);
  g_task_run_in_thread (task, compare_thread);
}

IwbHistoryComparison *
iwb_history_compare_finish (IwbHistory    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
iwb_history_comparison_is_equal (const IwbHistoryComparison *cmp)
{
  return cmp->rows_added + cmp->rows_removed + cmp->rows_changed == 0;
}

char *
iwb_history_comparison_summary (const IwbHistoryComparison *cmp)
{
  guint total = cmp->rows_added + cmp->rows_removed + cmp->rows_changed;

  if (total == 0)
    return g_strdup (_("Same results"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u row differs (%u added, %u removed, %u changed)",
                                       "%u rows differ (%u added, %u removed, %u changed)", total),
                          total, cmp->rows_added, cmp->rows_removed, cmp->rows_changed);
}

JsonNode *
iwb_history_comparison_to_json (const IwbHistoryComparison *cmp)
{
  JsonObject *o = json_object_new ();
  g_autofree char *summary = iwb_history_comparison_summary (cmp);

  json_object_set_int_member (o, "old", cmp->old_id);
  json_object_set_int_member (o, "new", cmp->new_id);
  json_object_set_boolean_member (o, "byInput", cmp->by_input);
  json_object_set_boolean_member (o, "equal", iwb_history_comparison_is_equal (cmp));
  json_object_set_string_member (o, "summary", summary);
  json_object_set_int_member (o, "rowsAdded", cmp->rows_added);
  json_object_set_int_member (o, "rowsRemoved", cmp->rows_removed);
  json_object_set_int_member (o, "rowsChanged", cmp->rows_changed);
  json_object_set_member (o, "changes", iwb_json_diff_to_json (cmp->changes));
  return json_node_init_object (json_node_alloc (), o);
}

void
iwb_history_comparison_free (IwbHistoryComparison *cmp)
{
  if (cmp == NULL)
    return;
  g_clear_pointer (&cmp->old_rows, json_node_unref);
  g_clear_pointer (&cmp->new_rows, json_node_unref);
  g_clear_pointer (&cmp->changes, g_ptr_array_unref);
  g_free (cmp);
}

gboolean
iwb_history_compare_to_baseline (IwbHistory  *self,
                                 gint64       id,
                                 gint64      *baseline_id,
                                 guint       *differing,
                                 GError     **error)
{
  g_autoptr(IwbHistoryEntry) entry = iwb_history_get (self, id, error);
  g_autoptr(IwbHistoryComparison) cmp = NULL;
  gint64 base;

  *differing = 0;
  if (baseline_id)
    *baseline_id = 0;
  if (entry == NULL)
    return FALSE;
  base = iwb_history_get_baseline (self, iwb_history_entry_get_integration (entry),
                                   iwb_history_entry_get_action (entry), error);
  if (base == 0)
    return FALSE;
  if (baseline_id)
    *baseline_id = base;
  cmp = iwb_history_compare (self, base, id, error);
  if (cmp == NULL)
    return FALSE;
  *differing = cmp->rows_added + cmp->rows_removed + cmp->rows_changed;
  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A stored run as the IwbRunEvents a live run gave, so a front end shows
 * it with the very view it shows live runs in (read in a worker thread:
 * a run of 100,000 results is parsed there, never on a window's loop).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "iwb-error.h"
#include "iwb-history-private.h"
#include "iwb-http-exchange.h"
#include "iwb-json.h"
#include "iwb-run.h"

int
iwb_history_status_from_string (const char *status)
{
  for (int s = IWB_RUN_STATUS_SUCCEEDED; s <= IWB_RUN_STATUS_CANCELLED; s++)
    if (g_strcmp0 (status, iwb_run_status_to_string (s)) == 0)
      return s;
  return IWB_RUN_STATUS_FAILED;
}

void
iwb_history_replay_free (IwbHistoryReplay *replay)
{
  if (replay == NULL)
    return;
  g_clear_object (&replay->entry);
  g_clear_pointer (&replay->inputs, g_ptr_array_unref);
  g_clear_pointer (&replay->events, g_ptr_array_unref);
  g_free (replay);
}

typedef struct
{
  IwbHistoryReplay *replay;
  GHashTable       *by_correlation; /* correlation text -> JsonObject (borrowed from inputs) */
  guint             bad;
} Replaying;

static JsonNode *
parse_line (Replaying  *r,
            const char *data)
{
  g_autofree char *message = NULL;
  JsonNode *node = iwb_json_parse (data, strlen (data), &message);

  if (node == NULL)
    r->bad++;
  return node;
}

static IwbRunEvent *
event_from_json (JsonNode *node)
{
  JsonObject *o;
  const char *kind;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  o = json_node_get_object (node);
  kind = iwb_json_get_string_or (o, "event", "");
  if (g_str_equal (kind, "file"))
    return iwb_run_event_new_text (IWB_RUN_EVENT_FILE, 0, NULL, iwb_json_get_string_or (o, "path", NULL), FALSE);
  if (g_str_equal (kind, "instantiation-error"))
    return iwb_run_event_new_errors (IWB_RUN_EVENT_INSTANTIATION_ERROR, 0, node, NULL);
  /* a warning, and any kind a later version stores: shown as a warning */
  return iwb_run_event_new_text (IWB_RUN_EVENT_WARNING, 0, NULL,
                                 iwb_json_get_string_or (o, "message", iwb_json_get_string_or (o, "text", kind)),
                                 FALSE);
}

static gboolean
replay_row (IwbHistoryRowKind  kind,
            const char        *correlation,
            const char        *data,
            gpointer           user_data)
{
  Replaying *r = user_data;
  g_autoptr(JsonNode) node = parse_line (r, data);
  IwbRunEvent *event = NULL;

  if (node == NULL)
    return TRUE;
  switch (kind)
    {
    case IWB_HISTORY_ROW_INPUT:
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *row = json_node_get_object (node);

          g_ptr_array_add (r->replay->inputs, json_object_ref (row));
          if (correlation != NULL)
            g_hash_table_insert (r->by_correlation, g_strdup (correlation), row);
        }
      break;
    case IWB_HISTORY_ROW_RESULT:
    case IWB_HISTORY_ROW_ERROR:
      {
        g_autoptr(JsonNode) lhub = correlation ? parse_line (r, correlation) : NULL;
        JsonObject *row = correlation ? g_hash_table_lookup (r->by_correlation, correlation) : NULL;

        event = iwb_run_event_new_result (kind == IWB_HISTORY_ROW_RESULT ? IWB_RUN_EVENT_RESULT
                                                                         : IWB_RUN_EVENT_ROW_ERROR,
                                          0, node, lhub, row);
      }
      break;
    case IWB_HISTORY_ROW_LOG:
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *o = json_node_get_object (node);

          event = iwb_run_event_new_text (IWB_RUN_EVENT_LOG, 0, iwb_json_get_string_or (o, "stream", "stdout"),
                                          iwb_json_get_string_or (o, "text", ""),
                                          iwb_json_get_boolean (o, "truncated", FALSE));
        }
      break;
    case IWB_HISTORY_ROW_HTTP:
      {
        /* Stored redacted, as the run's event carried it: the HTTP tab of
         * the read-only view shows the calls as they were. */
        g_autoptr(IwbHttpExchange) exchange = iwb_http_exchange_new_from_json (node, NULL);

        if (exchange != NULL)
          event = iwb_run_event_new_http (0, exchange);
        else
          r->bad++;
      }
      break;
    case IWB_HISTORY_ROW_EVENT:
    default:
      event = event_from_json (node);
      break;
    }
  if (event != NULL)
    g_ptr_array_add (r->replay->events, event);
  return TRUE;
}

/* The entry's own details as the events that carried them. */
static void
add_detail_events (IwbHistoryReplay *replay)
{
  IwbHistoryEntry *entry = replay->entry;
  JsonNode *errors = iwb_history_entry_get_validation_errors (entry);
  JsonNode *overrides = iwb_history_entry_get_overrides (entry);
  IwbRunCounts counts = { 0 };
  IwbRunOperation operation;
  int status = iwb_history_status_from_string (iwb_history_entry_get_status (entry));
  int exit_code = iwb_history_entry_get_exit_code (entry);

  if (errors != NULL && JSON_NODE_HOLDS_ARRAY (errors) && json_array_get_length (json_node_get_array (errors)) > 0)
    {
      JsonArray *a = json_node_get_array (errors);
      g_autoptr(GPtrArray) field_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_field_error_free);
      g_autoptr(JsonNode) payload = json_node_new (JSON_NODE_OBJECT);
      JsonObject *po = json_object_new ();

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *e = json_array_get_element (a, i);
          JsonObject *eo = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;

          if (eo != NULL && json_object_has_member (eo, "inputId"))
            g_ptr_array_add (field_errors, iwb_field_error_new (iwb_json_get_string_or (eo, "inputId", NULL),
                                                                iwb_json_get_string_or (eo, "message", "")));
          else if (eo != NULL)
            json_object_set_string_member (po, "message", iwb_json_get_string_or (eo, "message", ""));
        }
      if (!json_object_has_member (po, "message"))
        json_object_set_string_member (po, "message", _("The integration reported validation errors"));
      json_object_set_member (po, "errors", json_node_copy (errors));
      json_node_take_object (payload, po);
      g_ptr_array_add (replay->events,
                       iwb_run_event_new_errors (IWB_RUN_EVENT_VALIDATION_ERRORS, 0, payload, field_errors));
    }
  if (overrides != NULL && !JSON_NODE_HOLDS_NULL (overrides))
    g_ptr_array_add (replay->events, iwb_run_event_new_errors (IWB_RUN_EVENT_OVERRIDES, 0, overrides, NULL));

  counts.rows_in = iwb_history_entry_get_n_inputs (entry);
  counts.results = iwb_history_entry_get_n_results (entry);
  counts.row_errors = iwb_history_entry_get_n_row_errors (entry);
  counts.log_lines = iwb_history_entry_get_n_log_lines (entry);
  if (iwb_history_entry_get_kind (entry) == IWB_HISTORY_KIND_RUN)
    operation = IWB_RUN_EXECUTE;
  else if (iwb_history_entry_get_action (entry) != NULL)
    operation = IWB_RUN_VALIDATE_ACTION;
  else
    operation = IWB_RUN_VALIDATE_CONNECTION;
  g_ptr_array_add (replay->events,
                   iwb_run_event_new_finished (iwb_history_entry_get_duration_ms (entry) * 1000, status,
                                               exit_code,
                                               exit_code >= 0 ? iwb_run_exit_code_meaning (operation, exit_code)
                                                              : NULL,
                                               iwb_history_entry_get_duration_ms (entry) * 1000, &counts));
}

IwbHistoryReplay *
iwb_history_replay (IwbHistory  *self,
                    gint64       id,
                    GError     **error)
{
  g_autoptr(IwbHistoryReplay) replay = g_new0 (IwbHistoryReplay, 1);
  g_autoptr(GHashTable) by_correlation = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Replaying r = { replay, by_correlation, 0 };

  g_return_val_if_fail (IWB_IS_HISTORY (self), NULL);
  replay->entry = iwb_history_get (self, id, error);
  if (replay->entry == NULL)
    return NULL;
  replay->inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  replay->events = g_ptr_array_new_with_free_func (g_object_unref);
  /* inputs first: every result finds its row */
  if (!iwb_history_foreach_row (self, id, IWB_HISTORY_ROW_INPUT, replay_row, &r, error))
    return NULL;
  for (int kind = IWB_HISTORY_ROW_RESULT; kind <= IWB_HISTORY_ROW_HTTP; kind++)
    if (kind != IWB_HISTORY_ROW_INPUT &&
        !iwb_history_foreach_row (self, id, kind, replay_row, &r, error))
      return NULL;
  if (r.bad > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u stored row of this run could not be read (damaged history)",
                                                            "%u stored rows of this run could not be read (damaged history)",
                                                            r.bad), r.bad);

      g_ptr_array_add (replay->events, iwb_run_event_new_text (IWB_RUN_EVENT_WARNING, 0, NULL, text, FALSE));
    }
  add_detail_events (replay);
  return g_steal_pointer (&replay);
}

static void
replay_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  IwbHistoryReplay *replay = iwb_history_replay (source, *(gint64 *) data, &error);

  if (replay == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, replay, (GDestroyNotify) iwb_history_replay_free);
}

void
iwb_history_replay_async (IwbHistory          *self,
                          gint64               id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (IWB_IS_HISTORY (self));
  g_task_set_source_tag (task, iwb_history_replay_async);
  g_task_set_task_data (task, g_memdup2 (&id, sizeof id), g_free);
  g_task_run_in_thread (task, replay_thread);
}

IwbHistoryReplay *
iwb_history_replay_finish (IwbHistory    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

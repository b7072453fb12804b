/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IwbRunEvent: an immutable record of one thing that happened in a run.
 */
#include "config.h"

#include <string.h>

#include "iwb-gstring.h"
#include "iwb-run-event.h"
#include "iwb-json.h"
#include "iwb-redact.h"

struct _IwbRunEvent
{
  GObject          parent_instance;

  IwbRunEventKind  kind;
  gint64           time_us;
  JsonNode        *payload;        /* RESULT / ROW_ERROR: made from payload_json when first asked */
  char            *payload_json;   /* or the other way round */
  JsonNode        *lhub_id;
  JsonObject      *input_row;      /* likewise with input_row_json */
  GPtrArray       *row_owner;      /* holds input_row when set: borrowed then */
  char            *input_row_json;
  gboolean         has_payload;
  gboolean         has_input_row;
  gboolean         json_finite;
  char            *stream;
  char            *text;
  char            *message;
  gboolean         truncated;
  GPtrArray       *field_errors;
  IwbHttpExchange *exchange;

  IwbRunStatus     status;
  int              exit_code;
  char            *exit_meaning;
  gint64           duration_us;
  IwbRunCounts     counts;
};

G_DEFINE_FINAL_TYPE (IwbRunEvent, iwb_run_event, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (IwbFieldError, iwb_field_error, iwb_field_error_copy, iwb_field_error_free)

static const char * const kind_names[] = {
  "result", "row-error", "validation-errors", "instantiation-error",
  "overrides", "log", "file", "finished", "warning", "http",
};

static const char * const status_names[] = {
  "succeeded", "reported-errors", "failed", "timed-out", "cancelled",
};

const char *
iwb_run_event_kind_to_string (IwbRunEventKind kind)
{
  if ((guint) kind < G_N_ELEMENTS (kind_names))
    return kind_names[kind];
  return "unknown";
}

const char *
iwb_run_status_to_string (IwbRunStatus status)
{
  if ((guint) status < G_N_ELEMENTS (status_names))
    return status_names[status];
  return "unknown";
}

IwbFieldError *
iwb_field_error_new (const char *input_id,
                     const char *message)
{
  IwbFieldError *e = g_new0 (IwbFieldError, 1);

  e->input_id = g_strdup (input_id);
  if (input_id != NULL)
    e->field = g_strdup (g_str_has_prefix (input_id, "___") ? input_id + 3 : input_id);
  e->message = g_strdup (message ? message : "");
  return e;
}

IwbFieldError *
iwb_field_error_copy (const IwbFieldError *error)
{
  IwbFieldError *e = g_new0 (IwbFieldError, 1);

  e->input_id = g_strdup (error->input_id);
  e->field = g_strdup (error->field);
  e->message = g_strdup (error->message);
  return e;
}

void
iwb_field_error_free (IwbFieldError *error)
{
  if (error == NULL)
    return;
  g_free (error->input_id);
  g_free (error->field);
  g_free (error->message);
  g_free (error);
}

static void
iwb_run_event_finalize (GObject *object)
{
  IwbRunEvent *self = IWB_RUN_EVENT (object);

  g_clear_pointer (&self->payload, json_node_unref);
  g_free (self->payload_json);
  g_clear_pointer (&self->lhub_id, json_node_unref);
  if (self->row_owner != NULL)
    g_ptr_array_unref (self->row_owner);
  else
    g_clear_pointer (&self->input_row, json_object_unref);
  g_free (self->input_row_json);
  g_clear_pointer (&self->field_errors, g_ptr_array_unref);
  g_clear_object (&self->exchange);
  g_free (self->stream);
  g_free (self->text);
  g_free (self->message);
  g_free (self->exit_meaning);

  G_OBJECT_CLASS (iwb_run_event_parent_class)->finalize (object);
}

static void
iwb_run_event_class_init (IwbRunEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = iwb_run_event_finalize;
}

static void
iwb_run_event_init (IwbRunEvent *self)
{
  self->exit_code = -1;
}

static char *
string_member (JsonNode   *node,
               const char *member)
{
  JsonNode *m;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  m = json_object_get_member (json_node_get_object (node), member);
  if (m == NULL || JSON_NODE_HOLDS_NULL (m))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (m) && json_node_get_value_type (m) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (m));
  return iwb_json_to_string (m, FALSE);
}

IwbRunEvent *
iwb_run_event_new_result (IwbRunEventKind  kind,
                          gint64           time_us,
                          JsonNode        *payload,
                          JsonNode        *lhub_id,
                          JsonObject      *input_row)
{
  IwbRunEvent *self = g_object_new (IWB_TYPE_RUN_EVENT, NULL);

  self->kind = kind;
  self->time_us = time_us;
  self->payload = payload ? json_node_ref (payload) : NULL;
  self->has_payload = payload != NULL;
  self->lhub_id = lhub_id ? json_node_ref (lhub_id) : NULL;
  self->input_row = input_row ? json_object_ref (input_row) : NULL;
  self->has_input_row = input_row != NULL;
  if (kind == IWB_RUN_EVENT_ROW_ERROR)
    self->message = string_member (payload, "error");
  return self;
}

IwbRunEvent *
iwb_run_event_new_result_json (IwbRunEventKind  kind,
                               gint64           time_us,
                               char            *payload_json,
                               JsonNode        *payload,
                               JsonNode        *lhub_id,
                               char            *input_row_json,
                               JsonObject      *input_row,
                               GPtrArray       *row_owner,
                               gboolean         finite)
{
  IwbRunEvent *self = g_object_new (IWB_TYPE_RUN_EVENT, NULL);

  g_return_val_if_fail (payload_json != NULL, self);

  self->kind = kind;
  self->time_us = time_us;
  self->payload_json = payload_json;
  self->payload = payload ? json_node_ref (payload) : NULL;
  self->has_payload = TRUE;
  self->lhub_id = lhub_id ? json_node_ref (lhub_id) : NULL;
  self->input_row_json = input_row_json;
  if (input_row != NULL && input_row_json == NULL)
    {
      if (row_owner != NULL)
        {
          /* borrowed: the row's own count is never touched off its thread */
          self->row_owner = g_ptr_array_ref (row_owner);
          self->input_row = input_row;
        }
      else
        self->input_row = json_object_ref (input_row);
    }
  self->has_input_row = input_row_json != NULL || input_row != NULL;
  self->json_finite = finite && input_row == NULL;
  if (kind == IWB_RUN_EVENT_ROW_ERROR)
    self->message = string_member (iwb_run_event_get_payload (self), "error");
  return self;
}

IwbRunEvent *
iwb_run_event_new_errors (IwbRunEventKind  kind,
                          gint64           time_us,
                          JsonNode        *payload,
                          GPtrArray       *field_errors)
{
  IwbRunEvent *self = g_object_new (IWB_TYPE_RUN_EVENT, NULL);

  self->kind = kind;
  self->time_us = time_us;
  self->payload = payload ? json_node_ref (payload) : NULL;
  self->message = string_member (payload, "message");
  if (field_errors != NULL)
    self->field_errors = g_ptr_array_ref (field_errors);
  else
    self->field_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) iwb_field_error_free);
  return self;
}

IwbRunEvent *
iwb_run_event_new_text (IwbRunEventKind  kind,
                        gint64           time_us,
                        const char      *stream,
                        const char      *text,
                        gboolean         truncated)
{
  IwbRunEvent *self = g_object_new (IWB_TYPE_RUN_EVENT, NULL);

  self->kind = kind;
  self->time_us = time_us;
  self->stream = g_strdup (stream);
  self->text = g_strdup (text);
  self->truncated = truncated;
  return self;
}

IwbRunEvent *
iwb_run_event_new_http (gint64           time_us,
                        IwbHttpExchange *exchange)
{
  IwbRunEvent *self;

  g_return_val_if_fail (IWB_IS_HTTP_EXCHANGE (exchange), NULL);

  self = g_object_new (IWB_TYPE_RUN_EVENT, NULL);
  self->kind = IWB_RUN_EVENT_HTTP;
  self->time_us = time_us;
  self->exchange = g_object_ref (exchange);
  return self;
}

IwbRunEvent *
iwb_run_event_new_finished (gint64              time_us,
                            IwbRunStatus        status,
                            int                 exit_code,
                            const char         *exit_meaning,
                            gint64              duration_us,
                            const IwbRunCounts *counts)
{
  IwbRunEvent *self = g_object_new (IWB_TYPE_RUN_EVENT, NULL);

  self->kind = IWB_RUN_EVENT_FINISHED;
  self->time_us = time_us;
  self->status = status;
  self->exit_code = exit_code;
  self->exit_meaning = g_strdup (exit_meaning);
  self->duration_us = duration_us;
  if (counts != NULL)
    self->counts = *counts;
  return self;
}

IwbRunEventKind
iwb_run_event_get_kind (IwbRunEvent *self)
{
  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), 0);
  return self->kind;
}

gint64
iwb_run_event_get_time_us (IwbRunEvent *self)
{
  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), 0);
  return self->time_us;
}

/* The tree of a text made by iwb_json_write(): it parses. */
static JsonNode *
parse_json_text (const char *text)
{
  JsonNode *node = iwb_json_parse (text, strlen (text), NULL);

  return node ? node : json_node_init_null (json_node_alloc ());
}

/* Made once: the first thread to finish keeps its result. */
JsonNode *
iwb_run_event_get_payload (IwbRunEvent *self)
{
  JsonNode *node;

  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), NULL);
  node = g_atomic_pointer_get (&self->payload);
  if (node != NULL || self->payload_json == NULL)
    return node;
  node = parse_json_text (self->payload_json);
  if (!g_atomic_pointer_compare_and_exchange (&self->payload, NULL, node))
    json_node_unref (node);
  return g_atomic_pointer_get (&self->payload);
}

JsonObject *
iwb_run_event_get_input_row (IwbRunEvent *self)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *row;

  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), NULL);
  row = g_atomic_pointer_get (&self->input_row);
  if (row != NULL || self->input_row_json == NULL)
    return row;
  node = parse_json_text (self->input_row_json);
  row = JSON_NODE_HOLDS_OBJECT (node) ? json_object_ref (json_node_get_object (node))
                                      : json_object_new ();
  if (!g_atomic_pointer_compare_and_exchange (&self->input_row, NULL, row))
    json_object_unref (row);
  return g_atomic_pointer_get (&self->input_row);
}

const char *
iwb_run_event_get_payload_json (IwbRunEvent *self)
{
  char *text;

  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), NULL);
  text = g_atomic_pointer_get (&self->payload_json);
  if (text != NULL)
    return text;
  text = iwb_json_to_string (self->payload, FALSE); /* "null" without one */
  if (!g_atomic_pointer_compare_and_exchange (&self->payload_json, NULL, text))
    g_free (text);
  return g_atomic_pointer_get (&self->payload_json);
}

const char *
iwb_run_event_get_input_row_json (IwbRunEvent *self)
{
  char *text;

  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), NULL);
  text = g_atomic_pointer_get (&self->input_row_json);
  if (text != NULL || self->input_row == NULL)
    return text;
  {
    /* without a node: a borrowed row is not referenced (any thread asks) */
    GString *out = g_string_new (NULL);

    iwb_json_write_object (out, self->input_row);
    text = g_string_free (out, FALSE);
  }
  if (!g_atomic_pointer_compare_and_exchange (&self->input_row_json, NULL, text))
    g_free (text);
  return g_atomic_pointer_get (&self->input_row_json);
}

gboolean
iwb_run_event_get_json_finite (IwbRunEvent *self)
{
  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), FALSE);
  return self->json_finite;
}

JsonNode *
iwb_run_event_get_lhub_id (IwbRunEvent *self)
{
  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), NULL);
  return self->lhub_id;
}

const char *
iwb_run_event_get_stream (IwbRunEvent *self)
{
  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), NULL);
  return self->stream;
}

const char *
iwb_run_event_get_text (IwbRunEvent *self)
{
  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), NULL);
  return self->text;
}

gboolean
iwb_run_event_get_truncated (IwbRunEvent *self)
{
  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), FALSE);
  return self->truncated;
}

const char *
iwb_run_event_get_message (IwbRunEvent *self)
{
  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), NULL);
  return self->message;
}

GPtrArray *
iwb_run_event_get_field_errors (IwbRunEvent *self)
{
  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), NULL);
  return self->field_errors;
}

IwbHttpExchange *
iwb_run_event_get_exchange (IwbRunEvent *self)
{
  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), NULL);
  return self->exchange;
}

IwbRunStatus
iwb_run_event_get_status (IwbRunEvent *self)
{
  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), IWB_RUN_STATUS_FAILED);
  return self->status;
}

int
iwb_run_event_get_exit_code (IwbRunEvent *self)
{
  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), -1);
  return self->exit_code;
}

const char *
iwb_run_event_get_exit_meaning (IwbRunEvent *self)
{
  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), NULL);
  return self->exit_meaning;
}

gint64
iwb_run_event_get_duration_us (IwbRunEvent *self)
{
  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), 0);
  return self->duration_us;
}

const IwbRunCounts *
iwb_run_event_get_counts (IwbRunEvent *self)
{
  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), NULL);
  return &self->counts;
}

JsonNode *
iwb_run_event_to_json (IwbRunEvent *self)
{
  /* Mutable: sealing would hash every member of every event, only for the
   * tree to be printed and dropped (iwb run --format jsonl prints one per
   * result). */
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (IWB_IS_RUN_EVENT (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "event");
  json_builder_add_string_value (b, iwb_run_event_kind_to_string (self->kind));
  json_builder_set_member_name (b, "time_ms");
  json_builder_add_double_value (b, self->time_us / 1000.0);

  switch (self->kind)
    {
    case IWB_RUN_EVENT_RESULT:
    case IWB_RUN_EVENT_ROW_ERROR:
      json_builder_set_member_name (b, self->kind == IWB_RUN_EVENT_RESULT ? "result" : "error");
      json_builder_add_value (b, self->has_payload ? json_node_copy (iwb_run_event_get_payload (self))
                                                   : json_node_init_null (json_node_alloc ()));
      if (self->lhub_id != NULL)
        {
          json_builder_set_member_name (b, "lhub_id");
          json_builder_add_value (b, json_node_copy (self->lhub_id));
        }
      if (self->has_input_row)
        {
          JsonNode *row = json_node_alloc ();

          json_node_init_object (row, iwb_run_event_get_input_row (self));
          json_builder_set_member_name (b, "input_row");
          json_builder_add_value (b, row);
        }
      break;

    case IWB_RUN_EVENT_VALIDATION_ERRORS:
    case IWB_RUN_EVENT_INSTANTIATION_ERROR:
      json_builder_set_member_name (b, "message");
      if (self->message)
        json_builder_add_string_value (b, self->message);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "errors");
      json_builder_begin_array (b);
      if (self->kind == IWB_RUN_EVENT_VALIDATION_ERRORS && self->field_errors != NULL)
        for (guint i = 0; i < self->field_errors->len; i++)
          {
            IwbFieldError *e = self->field_errors->pdata[i];

            json_builder_begin_object (b);
            json_builder_set_member_name (b, "field");
            json_builder_add_string_value (b, e->field);
            json_builder_set_member_name (b, "inputId");
            json_builder_add_string_value (b, e->input_id);
            json_builder_set_member_name (b, "message");
            json_builder_add_string_value (b, e->message);
            json_builder_end_object (b);
          }
      else if (self->payload != NULL && JSON_NODE_HOLDS_OBJECT (self->payload))
        {
          JsonNode *errs = json_object_get_member (json_node_get_object (self->payload), "errors");

          if (errs != NULL && JSON_NODE_HOLDS_ARRAY (errs))
            {
              JsonArray *a = json_node_get_array (errs);

              for (guint i = 0; i < json_array_get_length (a); i++)
                json_builder_add_value (b, json_node_copy (json_array_get_element (a, i)));
            }
        }
      json_builder_end_array (b);
      break;

    case IWB_RUN_EVENT_OVERRIDES:
      json_builder_set_member_name (b, "actionOverrides");
      json_builder_add_value (b, self->payload ? json_node_copy (self->payload)
                                               : json_node_init_null (json_node_alloc ()));
      break;

    case IWB_RUN_EVENT_LOG:
      json_builder_set_member_name (b, "stream");
      json_builder_add_string_value (b, self->stream);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, self->text);
      if (self->truncated)
        {
          json_builder_set_member_name (b, "truncated");
          json_builder_add_boolean_value (b, TRUE);
        }
      break;

    case IWB_RUN_EVENT_FILE:
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, self->text);
      break;

    case IWB_RUN_EVENT_WARNING:
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, self->text);
      break;

    case IWB_RUN_EVENT_HTTP:
      json_builder_set_member_name (b, "http");
      json_builder_add_value (b, json_node_copy (iwb_http_exchange_get_json (self->exchange)));
      break;

    case IWB_RUN_EVENT_FINISHED:
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, iwb_run_status_to_string (self->status));
      json_builder_set_member_name (b, "exit_code");
      if (self->exit_code >= 0)
        json_builder_add_int_value (b, self->exit_code);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "meaning");
      json_builder_add_string_value (b, self->exit_meaning);
      json_builder_set_member_name (b, "duration_ms");
      json_builder_add_double_value (b, self->duration_us / 1000.0);
      json_builder_set_member_name (b, "counts");
      json_builder_begin_object (b);
#define COUNT(name) json_builder_set_member_name (b, #name); \
                    json_builder_add_int_value (b, (gint64) self->counts.name)
      COUNT (rows_in);
      COUNT (results);
      COUNT (row_errors);
      COUNT (log_lines);
      COUNT (truncated_lines);
      COUNT (truncated_bytes);
      COUNT (spilled_results);
      COUNT (files);
      COUNT (http_exchanges);
      if (self->counts.http_dropped > 0)
        {
          COUNT (http_dropped);
        }
#undef COUNT
      json_builder_end_object (b);
      break;

    default:
      break;
    }

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* iwb_json_write_double (out, time_us / 1000.0) without the double: for
 * 1 µs to 10^12 µs that function's fast path prints the microseconds as
 * thousandths of a millisecond, which this does from the integer. */
static void
write_time_ms (GString *out,
               gint64   time_us)
{
  if (time_us < 1 || time_us >= G_GINT64_CONSTANT (1000000000000))
    iwb_json_write_double (out, time_us / 1000.0);
  else
    iwb_json_write_thousandths (out, time_us);
}

void
iwb_run_event_write_json (IwbRunEvent *self,
                          GString     *out)
{
  g_return_if_fail (IWB_IS_RUN_EVENT (self));

  if (self->kind == IWB_RUN_EVENT_RESULT || self->kind == IWB_RUN_EVENT_ROW_ERROR)
    {
      /* iwb_run_event_to_json()'s members, in its order */
      iwb_string_append (out, self->kind == IWB_RUN_EVENT_RESULT ? "{\"event\":\"result\",\"time_ms\":"
                                                               : "{\"event\":\"row-error\",\"time_ms\":");
      write_time_ms (out, self->time_us);
      iwb_string_append (out, self->kind == IWB_RUN_EVENT_RESULT ? ",\"result\":" : ",\"error\":");
      iwb_string_append (out, self->has_payload ? iwb_run_event_get_payload_json (self) : "null");
      if (self->lhub_id != NULL)
        {
          iwb_string_append (out, ",\"lhub_id\":");
          iwb_json_write (out, self->lhub_id, FALSE);
        }
      if (self->has_input_row)
        {
          iwb_string_append (out, ",\"input_row\":");
          iwb_string_append (out, iwb_run_event_get_input_row_json (self));
        }
      g_string_append_c (out, '}');
    }
  else if (self->kind == IWB_RUN_EVENT_HTTP)
    {
      /* the exchange's own line: parsed once, never written twice */
      gsize len = 0;
      const char *line = iwb_http_exchange_get_line (self->exchange, &len);

      iwb_string_append (out, "{\"event\":\"http\",\"time_ms\":");
      write_time_ms (out, self->time_us);
      iwb_string_append (out, ",\"http\":");
      iwb_string_append_len (out, line, len);
      g_string_append_c (out, '}');
    }
  else
    {
      g_autoptr(JsonNode) node = iwb_run_event_to_json (self);

      iwb_json_write (out, node, FALSE);
    }
}

static void
redact_in_place (char       **text,
                 GPtrArray   *needles,
                 const char  *marker)
{
  char *redacted = *text != NULL ? iwb_redact_text (needles, *text, marker) : NULL;

  if (redacted != NULL)
    {
      g_free (*text);
      *text = redacted;
    }
}

void
iwb_run_event_redact_texts (IwbRunEvent *self,
                            GPtrArray   *needles,
                            const char  *marker)
{
  g_return_if_fail (IWB_IS_RUN_EVENT (self));

  if (needles == NULL || needles->len == 0)
    return;
  redact_in_place (&self->text, needles, marker);
  redact_in_place (&self->message, needles, marker);
  redact_in_place (&self->exit_meaning, needles, marker);
  for (guint i = 0; self->field_errors != NULL && i < self->field_errors->len; i++)
    {
      IwbFieldError *fe = g_ptr_array_index (self->field_errors, i);

      redact_in_place (&fe->message, needles, marker);
    }
  /* The payload of an error or a summary (its "errors" list, say) too;
   * results and row errors are redacted where they are shown or kept. */
  if (self->payload != NULL && self->kind != IWB_RUN_EVENT_RESULT && self->kind != IWB_RUN_EVENT_ROW_ERROR)
    {
      JsonNode *copy = iwb_redact_json_copy (needles, self->payload, marker);

      json_node_unref (self->payload);
      self->payload = copy;
    }
}

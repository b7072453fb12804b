/* SPDX-License-Identifier: GPL-3.0-or-later */
/* IwbHistoryEntry: one recorded validation or run, as read back. */
#include "config.h"

#include <string.h>

#include "iwb-history-private.h"
#include "iwb-json.h"

struct _IwbHistoryEntry
{
  GObject         parent_instance;
  gint64          id;
  IwbHistoryKind  kind;
  char           *integration;
  char           *action;
  char           *profile;
  gint64          started;
  gint64          duration_ms;
  char           *status;
  int             exit_code;
  guint64         n_inputs;
  guint64         n_results;
  guint64         n_row_errors;
  guint64         n_log_lines;
  gboolean        is_baseline;
  JsonNode       *params;
  JsonNode       *overrides;
  JsonNode       *validation_errors;
};

G_DEFINE_FINAL_TYPE (IwbHistoryEntry, iwb_history_entry, G_TYPE_OBJECT)

const char *
iwb_history_kind_to_string (IwbHistoryKind kind)
{
  return kind == IWB_HISTORY_KIND_VALIDATION ? "validation" : "run";
}

static void
iwb_history_entry_finalize (GObject *object)
{
  IwbHistoryEntry *self = IWB_HISTORY_ENTRY (object);

  g_free (self->integration);
  g_free (self->action);
  g_free (self->profile);
  g_free (self->status);
  g_clear_pointer (&self->params, json_node_unref);
  g_clear_pointer (&self->overrides, json_node_unref);
  g_clear_pointer (&self->validation_errors, json_node_unref);
  G_OBJECT_CLASS (iwb_history_entry_parent_class)->finalize (object);
}

static void
iwb_history_entry_class_init (IwbHistoryEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = iwb_history_entry_finalize;
}

static void
iwb_history_entry_init (IwbHistoryEntry *self)
{
}

static char *
column_text (sqlite3_stmt *stmt,
             int           col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);
  int len = sqlite3_column_bytes (stmt, col);

  /* The writer stores UTF-8, but the file may have been edited: a NUL
   * ends the text, bytes that are not UTF-8 become U+FFFD, as every
   * output and widget expects valid UTF-8. */
  if (text == NULL)
    return NULL;
  return g_utf8_make_valid ((const char *) text, strnlen ((const char *) text, (size_t) len));
}

static JsonNode *
column_json (sqlite3_stmt *stmt,
             int           col)
{
  const char *text = (const char *) sqlite3_column_text (stmt, col);

  return text ? iwb_json_parse_full (text, -1, IWB_JSON_PARSE_DEFAULT, NULL, NULL) : NULL;
}

IwbHistoryEntry *
_iwb_history_entry_new_from_stmt (sqlite3_stmt *stmt,
                                  gboolean      details)
{
  IwbHistoryEntry *self = g_object_new (IWB_TYPE_HISTORY_ENTRY, NULL);
  g_autofree char *kind = column_text (stmt, 1);

  self->id = sqlite3_column_int64 (stmt, 0);
  self->kind = g_strcmp0 (kind, "validation") == 0 ? IWB_HISTORY_KIND_VALIDATION
                                                   : IWB_HISTORY_KIND_RUN;
  self->integration = column_text (stmt, 2);
  self->action = column_text (stmt, 3);
  self->profile = column_text (stmt, 4);
  self->started = sqlite3_column_int64 (stmt, 5);
  self->duration_ms = sqlite3_column_int64 (stmt, 6);
  self->status = column_text (stmt, 7);
  self->exit_code = sqlite3_column_type (stmt, 8) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 8);
  self->n_inputs = sqlite3_column_int64 (stmt, 9);
  self->n_results = sqlite3_column_int64 (stmt, 10);
  self->n_row_errors = sqlite3_column_int64 (stmt, 11);
  self->n_log_lines = sqlite3_column_int64 (stmt, 12);
  self->is_baseline = sqlite3_column_int (stmt, 13) != 0;
  if (details)
    {
      self->params = column_json (stmt, 14);
      self->overrides = column_json (stmt, 15);
      self->validation_errors = column_json (stmt, 16);
    }
  return self;
}

gint64
iwb_history_entry_get_id (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), 0);
  return self->id;
}

IwbHistoryKind
iwb_history_entry_get_kind (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), 0);
  return self->kind;
}

const char *
iwb_history_entry_get_integration (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), NULL);
  return self->integration;
}

const char *
iwb_history_entry_get_action (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), NULL);
  return self->action;
}

const char *
iwb_history_entry_get_profile (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), NULL);
  return self->profile;
}

gint64
iwb_history_entry_get_started (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), 0);
  return self->started;
}

gint64
iwb_history_entry_get_duration_ms (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), 0);
  return self->duration_ms;
}

const char *
iwb_history_entry_get_status (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), NULL);
  return self->status;
}

int
iwb_history_entry_get_exit_code (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), -1);
  return self->exit_code;
}

guint64
iwb_history_entry_get_n_inputs (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), 0);
  return self->n_inputs;
}

guint64
iwb_history_entry_get_n_results (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), 0);
  return self->n_results;
}

guint64
iwb_history_entry_get_n_row_errors (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), 0);
  return self->n_row_errors;
}

guint64
iwb_history_entry_get_n_log_lines (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), 0);
  return self->n_log_lines;
}

gboolean
iwb_history_entry_get_is_baseline (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), FALSE);
  return self->is_baseline;
}

JsonNode *
iwb_history_entry_get_params (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), NULL);
  return self->params;
}

JsonNode *
iwb_history_entry_get_overrides (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), NULL);
  return self->overrides;
}

JsonNode *
iwb_history_entry_get_validation_errors (IwbHistoryEntry *self)
{
  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), NULL);
  return self->validation_errors;
}

JsonNode *
iwb_history_entry_to_json (IwbHistoryEntry *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GDateTime) started = NULL;
  g_autofree char *iso = NULL;

  g_return_val_if_fail (IWB_IS_HISTORY_ENTRY (self), NULL);
  started = g_date_time_new_from_unix_utc (self->started / 1000);
  if (started != NULL)
    {
      g_autoptr(GDateTime) precise = g_date_time_add (started, (self->started % 1000) * 1000);

      iso = g_date_time_format (precise, "%Y-%m-%dT%H:%M:%S.%fZ");
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, self->id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, iwb_history_kind_to_string (self->kind));
  json_builder_set_member_name (b, "integration");
  json_builder_add_string_value (b, self->integration);
  json_builder_set_member_name (b, "action");
  if (self->action)
    json_builder_add_string_value (b, self->action);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "profile");
  if (self->profile)
    json_builder_add_string_value (b, self->profile);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, self->status);
  json_builder_set_member_name (b, "exitCode");
  json_builder_add_int_value (b, self->exit_code);
  json_builder_set_member_name (b, "started");
  json_builder_add_string_value (b, iso ? iso : "");
  json_builder_set_member_name (b, "duration_ms");
  json_builder_add_int_value (b, self->duration_ms);
  json_builder_set_member_name (b, "counts");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "inputs");
  json_builder_add_int_value (b, self->n_inputs);
  json_builder_set_member_name (b, "results");
  json_builder_add_int_value (b, self->n_results);
  json_builder_set_member_name (b, "rowErrors");
  json_builder_add_int_value (b, self->n_row_errors);
  json_builder_set_member_name (b, "logLines");
  json_builder_add_int_value (b, self->n_log_lines);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "baseline");
  json_builder_add_boolean_value (b, self->is_baseline);
  if (self->params)
    {
      json_builder_set_member_name (b, "params");
      json_builder_add_value (b, json_node_copy (self->params));
    }
  if (self->overrides)
    {
      json_builder_set_member_name (b, "overrides");
      json_builder_add_value (b, json_node_copy (self->overrides));
    }
  if (self->validation_errors)
    {
      json_builder_set_member_name (b, "validationErrors");
      json_builder_add_value (b, json_node_copy (self->validation_errors));
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reporters of `iwb validate` and `iwb run`: JSON lines as a run goes
 * (machine), or a report for people once it finished (text). */
#include "config.h"

#include <glib/gi18n.h>

#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "iwb-cli.h"
#include "iwb-cli-common.h"
#include "iwb-descriptor.h"
#include "iwb-json.h"

#define MAX_LOG_BYTES   (2 * 1024 * 1024)
#define MAX_KEPT_EVENTS 1000
#define MAX_COL_WIDTH   40
#define MAX_TABLE_COLS  12
#define MAX_FAILED_HTTP 10   /* failed calls listed without --show-http */

struct _IwbCliReporter
{
  IwbRun    *run;
  gboolean   machine;
  gulong     handler;
  guint      flush_source;
  GPtrArray *logs;         /* IwbRunEvent*, bounded */
  gsize      log_bytes;
  guint64    logs_dropped;
  GPtrArray *others;       /* validation/instantiation errors, overrides, warnings, files */
  gboolean   show_http;
};

void
iwb_cli_reporter_set_show_http (IwbCliReporter *self,
                                gboolean        show_http)
{
  self->show_http = !!show_http;
}

static gboolean
http_failed (IwbHttpExchange *ex)
{
  return iwb_http_exchange_get_error_kind (ex) != NULL || iwb_http_exchange_get_status (ex) >= 400;
}

/* "GET http://host/api/me → 401 Unauthorized, 12 ms" */
static void
print_http_line (FILE            *out,
                 IwbHttpExchange *ex)
{
  const char *red = iwb_cli_color (out, "\033[1;31m");
  const char *green = iwb_cli_color (out, "\033[32m");
  const char *dim = iwb_cli_color (out, "\033[2m");
  const char *reset = iwb_cli_color (out, "\033[0m");
  const char *method = iwb_http_exchange_get_method (ex);
  const char *kind = iwb_http_exchange_get_error_kind (ex);
  double total = iwb_http_exchange_get_timing (ex, IWB_HTTP_TIMING_TOTAL);
  guint status = iwb_http_exchange_get_status (ex);
  g_autofree char *ms = total >= 0 ? g_strdup_printf (_(", %.0f ms"), total) : g_strdup ("");

  fprintf (out, "  %s %s → ", method ? method : "?", iwb_http_exchange_get_url (ex));
  if (status > 0)
    fprintf (out, "%s%u %s%s", status >= 400 ? red : green, status,
             iwb_http_exchange_get_reason (ex) ? iwb_http_exchange_get_reason (ex) : "", reset);
  else if (g_strcmp0 (kind, "not_recorded") == 0)
    fprintf (out, _("%snot recorded in the cassette%s (strict replay: record it again with "
                    "--record against the live service)"), red, reset);
  else
    {
      const char *message = iwb_http_exchange_get_error_message (ex);

      fprintf (out, "%s%s%s%s%s", red, kind ? kind : "no response", message ? ": " : "",
               message ? message : "", reset);
    }
  fprintf (out, "%s%s%s%s\n", dim, ms, iwb_http_exchange_get_replayed (ex) ? _(", replayed") : "",
           reset);
}

static void
print_http (IwbCliReporter *self,
            FILE           *out)
{
  GListModel *list = iwb_run_get_exchanges (self->run);
  const IwbRunCounts *counts = iwb_run_get_counts (self->run);
  const char *bold = iwb_cli_color (out, "\033[1m");
  const char *reset = iwb_cli_color (out, "\033[0m");
  guint n = g_list_model_get_n_items (list);
  guint failed = 0, listed = 0, replayed = 0;
  IwbHttpMode mode = iwb_run_get_http_mode (self->run);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IwbHttpExchange) ex = g_list_model_get_item (list, i);

      failed += http_failed (ex);
      replayed += iwb_http_exchange_get_replayed (ex);
    }
  if (mode == IWB_HTTP_MODE_RECORD)
    fprintf (out, _("%sRecording%s HTTP calls into %s\n"), bold, reset, iwb_run_get_cassette_path (self->run));
  else if (mode == IWB_HTTP_MODE_REPLAY)
    fprintf (out, _("%sReplay%s of %s (%s): %u of %u HTTP calls answered from the cassette\n"),
             bold, reset, iwb_run_get_cassette_path (self->run),
             iwb_run_get_replay_strict (self->run) ? _("strict") : _("lenient"), replayed, n);
  if (n == 0)
    return;
  fprintf (out, "%s", bold);
  fprintf (out, g_dngettext (GETTEXT_PACKAGE, "HTTP (%u call", "HTTP (%u calls", n), n);
  if (failed > 0)
    fprintf (out, _(", %u failed"), failed);
  fprintf (out, ")%s%s\n", reset,
           self->show_http || failed == n ? "" : _(" — --show-http lists every call"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IwbHttpExchange) ex = g_list_model_get_item (list, i);

      if (!self->show_http && (!http_failed (ex) || listed >= MAX_FAILED_HTTP))
        continue;
      listed++;
      print_http_line (out, ex);
    }
  if (!self->show_http && failed > listed)
    fprintf (out, _("  … %u more failed calls (--show-http lists every call)\n"), failed - listed);
  if (counts->http_dropped > 0)
    fprintf (out, _("  … %llu more calls were counted but not kept\n"),
             (unsigned long long) counts->http_dropped);
}

static gboolean
flush_stdout (gpointer user_data)
{
  IwbCliReporter *self = user_data;

  fflush (stdout);
  self->flush_source = 0;
  iwb_cli_check_output ();
  return G_SOURCE_REMOVE;
}

static void
on_event (IwbRun         *run,
          IwbRunEvent    *event,
          IwbCliReporter *self)
{
  IwbRunEventKind kind = iwb_run_event_get_kind (event);

  if (self->machine)
    {
      /* One buffer for every line; results are written from their text,
       * without a tree per event. */
      static GString *line;

      if (line == NULL || line->allocated_len > 1024 * 1024)
        {
          if (line != NULL)
            g_string_free (line, TRUE);
          line = g_string_sized_new (4096);
        }
      g_string_truncate (line, 0);
      iwb_run_event_write_json (event, line);
      g_string_append_c (line, '\n');
      fwrite (line->str, 1, line->len, stdout);
      /* Stream: what came is out within 20 ms, in few big writes (one
       * write per event or per loop iteration costs more than the rest of
       * the printing on a busy machine). */
      if (kind == IWB_RUN_EVENT_FINISHED)
        fflush (stdout);
      else if (self->flush_source == 0)
        self->flush_source = g_timeout_add (20, flush_stdout, self);
      /* Nobody reads any more (`| head`), or the disk is full: stop the
       * run now rather than at its timeout. */
      iwb_cli_check_output ();
      return;
    }

  switch (kind)
    {
    case IWB_RUN_EVENT_LOG:
      {
        gsize len = strlen (iwb_run_event_get_text (event));

        if (self->log_bytes + len > MAX_LOG_BYTES)
          self->logs_dropped++;
        else
          {
            self->log_bytes += len;
            g_ptr_array_add (self->logs, g_object_ref (event));
          }
      }
      break;
    case IWB_RUN_EVENT_VALIDATION_ERRORS:
    case IWB_RUN_EVENT_INSTANTIATION_ERROR:
    case IWB_RUN_EVENT_OVERRIDES:
    case IWB_RUN_EVENT_WARNING:
    case IWB_RUN_EVENT_FILE:
      if (self->others->len < MAX_KEPT_EVENTS)
        g_ptr_array_add (self->others, g_object_ref (event));
      break;
    case IWB_RUN_EVENT_RESULT:
    case IWB_RUN_EVENT_ROW_ERROR:
    case IWB_RUN_EVENT_FINISHED:
    default:
      break; /* kept by the run itself */
    }
}

IwbCliReporter *
iwb_cli_reporter_new (IwbRun   *run,
                      gboolean  machine)
{
  IwbCliReporter *self = g_new0 (IwbCliReporter, 1);

  self->run = g_object_ref (run);
  self->machine = machine;
  self->logs = g_ptr_array_new_with_free_func (g_object_unref);
  self->others = g_ptr_array_new_with_free_func (g_object_unref);
  self->handler = g_signal_connect (run, "event", G_CALLBACK (on_event), self);
  if (machine)
    {
      static char buffer[256 * 1024];

      /* Nothing was printed on stdout yet: a big buffer, flushed on a
       * timer above, instead of glibc's 4 KiB. */
      if (!isatty (fileno (stdout)))
        setvbuf (stdout, buffer, _IOFBF, sizeof buffer);
      /* The CLI streams results: nothing needs to stay in memory. */
      iwb_run_set_result_memory_limit (run, 0);
      iwb_run_set_spill_results (run, FALSE);
    }
  return self;
}

void
iwb_cli_reporter_free (IwbCliReporter *self)
{
  if (self == NULL)
    return;
  if (self->flush_source)
    g_source_remove (self->flush_source);
  fflush (stdout);
  g_signal_handler_disconnect (self->run, self->handler);
  g_object_unref (self->run);
  g_ptr_array_unref (self->logs);
  g_ptr_array_unref (self->others);
  g_free (self);
}

static char *
scalar_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return iwb_json_to_string (node, FALSE);
}

static char *
cell (const char *text,
      guint       width)
{
  /* Newlines and tabs would break the table. */
  g_autofree char *flat = g_strdup (text);
  glong chars;
  GString *s;

  g_strdelimit (flat, "\n\r\t", ' ');
  chars = g_utf8_strlen (flat, -1);
  if ((guint) chars > width)
    {
      const char *cut = g_utf8_offset_to_pointer (flat, width - 1);
      s = g_string_new_len (flat, cut - flat);
      g_string_append (s, "…");
      chars = width;
    }
  else
    s = g_string_new (flat);
  for (glong i = chars; i < (glong) width; i++)
    g_string_append_c (s, ' ');
  return g_string_free (s, FALSE);
}

static gboolean
results_are_flat (GPtrArray *results)
{
  guint n = 0;

  for (guint i = 0; i < results->len; i++)
    {
      IwbRunEvent *e = results->pdata[i];
      JsonNode *p;
      JsonObjectIter iter;
      JsonNode *member;
      const char *name;

      if (iwb_run_event_get_kind (e) != IWB_RUN_EVENT_RESULT)
        continue;
      n++;
      p = iwb_run_event_get_payload (e);
      if (p == NULL || !JSON_NODE_HOLDS_OBJECT (p))
        return FALSE;
      json_object_iter_init (&iter, json_node_get_object (p));
      while (json_object_iter_next (&iter, &name, &member))
        if (JSON_NODE_HOLDS_OBJECT (member) || JSON_NODE_HOLDS_ARRAY (member))
          return FALSE;
    }
  return n > 0;
}

static char *
row_label (IwbRunEvent *e)
{
  JsonNode *id = iwb_run_event_get_lhub_id (e);

  if (id == NULL)
    return g_strdup ("-");
  return scalar_text (id);
}

static void
print_results (IwbCliReporter *self)
{
  GPtrArray *results = iwb_run_get_results (self->run);
  const IwbRunCounts *counts = iwb_run_get_counts (self->run);
  FILE *out = stdout;
  const char *bold = iwb_cli_color (out, "\033[1m");
  const char *red = iwb_cli_color (out, "\033[1;31m");
  const char *dim = iwb_cli_color (out, "\033[2m");
  const char *reset = iwb_cli_color (out, "\033[0m");
  guint n_results = 0, n_errors = 0;

  for (guint i = 0; i < results->len; i++)
    {
      if (iwb_run_event_get_kind (results->pdata[i]) == IWB_RUN_EVENT_RESULT)
        n_results++;
      else
        n_errors++;
    }

  /* A validation's success is the result {}: the status line says it. */
  if (iwb_run_get_operation (self->run) != IWB_RUN_EXECUTE)
    {
      gboolean only_empty = TRUE;

      for (guint i = 0; i < results->len && only_empty; i++)
        {
          JsonNode *p = iwb_run_event_get_payload (results->pdata[i]);

          only_empty = iwb_run_event_get_kind (results->pdata[i]) == IWB_RUN_EVENT_RESULT &&
                       iwb_result_classify (p) == IWB_RESULT_SHAPE_EMPTY_SUCCESS;
        }
      if (only_empty)
        return;
    }

  if (counts->results > 0)
    {
      fprintf (out, _("%sResults (%llu)%s\n"), bold, (unsigned long long) counts->results, reset);
      if (results_are_flat (results))
        {
          g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
          g_autoptr(GArray) widths = g_array_new (FALSE, TRUE, sizeof (guint));
          guint row_width = 3;
          GString *line = g_string_new (NULL);

          for (guint i = 0; i < results->len && i < 1000; i++)
            {
              IwbRunEvent *e = results->pdata[i];
              g_autoptr(GList) names = NULL;
              g_autofree char *label = NULL;

              if (iwb_run_event_get_kind (e) != IWB_RUN_EVENT_RESULT)
                continue;
              label = row_label (e);
              row_width = MAX (row_width, (guint) g_utf8_strlen (label, -1));
              names = json_object_get_members (json_node_get_object (iwb_run_event_get_payload (e)));
              for (GList *l = names; l; l = l->next)
                {
                  gboolean seen = FALSE;

                  for (guint c = 0; c < columns->len && !seen; c++)
                    seen = g_str_equal (columns->pdata[c], l->data);
                  if (!seen && columns->len < MAX_TABLE_COLS)
                    {
                      guint w = MIN ((guint) g_utf8_strlen (l->data, -1), MAX_COL_WIDTH);
                      g_ptr_array_add (columns, g_strdup (l->data));
                      g_array_append_val (widths, w);
                    }
                }
            }
          for (guint i = 0; i < results->len && i < 1000; i++)
            {
              IwbRunEvent *e = results->pdata[i];
              JsonObject *o;

              if (iwb_run_event_get_kind (e) != IWB_RUN_EVENT_RESULT)
                continue;
              o = json_node_get_object (iwb_run_event_get_payload (e));
              for (guint c = 0; c < columns->len; c++)
                {
                  g_autofree char *t = scalar_text (json_object_get_member (o, columns->pdata[c]));
                  guint w = MIN ((guint) g_utf8_strlen (t, -1), MAX_COL_WIDTH);

                  if (w > g_array_index (widths, guint, c))
                    g_array_index (widths, guint, c) = w;
                }
            }

          {
            g_autofree char *h = cell (_("row"), row_width);
            g_string_append_printf (line, "  %s%s", bold, h);
          }
          for (guint c = 0; c < columns->len; c++)
            {
              g_autofree char *h = cell (columns->pdata[c], g_array_index (widths, guint, c));
              g_string_append_printf (line, "  %s", h);
            }
          fprintf (out, "%s%s\n", g_strchomp (line->str), reset);
          for (guint i = 0; i < results->len; i++)
            {
              IwbRunEvent *e = results->pdata[i];
              JsonObject *o;
              g_autofree char *label = NULL;
              g_autofree char *lc = NULL;

              if (iwb_run_event_get_kind (e) != IWB_RUN_EVENT_RESULT)
                continue;
              o = json_node_get_object (iwb_run_event_get_payload (e));
              label = row_label (e);
              lc = cell (label, row_width);
              g_string_truncate (line, 0);
              g_string_append_printf (line, "  %s", lc);
              for (guint c = 0; c < columns->len; c++)
                {
                  g_autofree char *t = scalar_text (json_object_get_member (o, columns->pdata[c]));
                  g_autofree char *cl = cell (t, g_array_index (widths, guint, c));
                  g_string_append_printf (line, "  %s", cl);
                }
              fprintf (out, "%s\n", g_strchomp (line->str));
            }
          g_string_free (line, TRUE);
        }
      else
        for (guint i = 0; i < results->len; i++)
          {
            IwbRunEvent *e = results->pdata[i];
            g_autofree char *label = NULL;
            g_autofree char *json = NULL;

            if (iwb_run_event_get_kind (e) != IWB_RUN_EVENT_RESULT)
              continue;
            label = row_label (e);
            json = iwb_json_to_string (iwb_run_event_get_payload (e), FALSE);
            fprintf (out, _("  row %s: %s\n"), label, json);
          }
      if (counts->spilled_results > 0)
        {
          if (iwb_run_get_spill_path (self->run) != NULL)
            fprintf (out, _("  … %llu more results and row errors are in %s\n"),
                     (unsigned long long) counts->spilled_results, iwb_run_get_spill_path (self->run));
          else
            fprintf (out, _("  … %llu more results and row errors not shown\n"), (unsigned long long)
                     counts->spilled_results);
        }
    }

  if (n_errors > 0)
    {
      fprintf (out, _("%sRow errors (%llu)%s\n"), red, (unsigned long long) counts->row_errors, reset);
      for (guint i = 0; i < results->len; i++)
        {
          IwbRunEvent *e = results->pdata[i];
          g_autofree char *label = NULL;
          g_auto(GStrv) lines = NULL;
          const char *row_json;

          if (iwb_run_event_get_kind (e) != IWB_RUN_EVENT_ROW_ERROR)
            continue;
          label = row_label (e);
          lines = g_strsplit (iwb_run_event_get_message (e) ? iwb_run_event_get_message (e) : "",
                              "\n", -1);
          {
            /* A traceback: its last line says what happened; show it first. */
            guint n_lines = g_strv_length (lines);
            const char *headline = lines[0] ? lines[0] : "";
            guint first_detail = 1;

            while (n_lines > 0 && lines[n_lines - 1][0] == '\0')
              n_lines--;
            if (g_str_has_prefix (headline, "Traceback") && n_lines > 1)
              {
                headline = lines[n_lines - 1];
                first_detail = 0;
                n_lines--;
              }
            /* Translators: colour code, the row label (a number or an lhub_id), colour reset, the error headline. */
            fprintf (out, _("  %srow %s:%s %s\n"), red, label, reset, headline);
            for (guint l = first_detail; l < n_lines; l++)
              if (lines[l][0] != '\0')
                fprintf (out, "      %s%s%s\n", dim, lines[l], reset);
            /* The SDK skips a row without a mapped column (uncorrelated). */
            if (g_str_has_prefix (headline, "Column '") &&
                g_str_has_suffix (headline, "' is not present in the data"))
              fprintf (out, _("      %san argument reads the column of its own name unless "
                       "--map ARG=COLUMN names another one%s\n"), dim, reset);
          }
          row_json = iwb_run_event_get_input_row_json (e);
          if (row_json != NULL)
            fprintf (out, _("      input row: %s\n"), row_json);
        }
    }
}

static void
print_overrides (FILE        *out,
                 IwbRunEvent *e)
{
  JsonNode *p = iwb_run_event_get_payload (e);
  const char *bold = iwb_cli_color (out, "\033[1m");
  const char *reset = iwb_cli_color (out, "\033[0m");

  if (p == NULL || !JSON_NODE_HOLDS_ARRAY (p))
    {
      fprintf (out, _("%sDynamic overrides%s: “actionOverrides” is not a list; "
               "the platform would ignore it (return a list of action descriptors)\n"),
               bold, reset);
      return;
    }
  /* Translators: the first two %s are terminal colour codes (empty without colour); %u is a number of action descriptors. */
  fprintf (out, _("%sDynamic overrides%s: the validator returned %u action descriptors; "
           "the options of their selects follow (--show-overrides shows what changed)\n"),
           bold, reset,
           json_array_get_length (json_node_get_array (p)));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (p)); i++)
    {
      JsonObject *ao = iwb_json_array_get_object (json_node_get_array (p), i);
      const char *ep = iwb_descriptor_action_get_entrypoint (ao);
      const char *name = iwb_descriptor_action_get_name (ao);
      JsonArray *inputs;

      if (ao == NULL)
        continue;
      if (ep != NULL || name != NULL)
        fprintf (out, "  %s\n", ep ? ep : name);
      else
        /* Translators: %u is the index of an override in the validator's list */
        fprintf (out, _("  actionOverrides[%u] (no “entrypoint” or “name” string)\n"), i);
      inputs = iwb_descriptor_action_get_inputs (ao, NULL);
      for (guint k = 0; inputs != NULL && k < json_array_get_length (inputs); k++)
        {
          JsonObject *in = iwb_json_array_get_object (inputs, k);
          JsonArray *opts = iwb_descriptor_input_get_options (in);
          const char *id = iwb_descriptor_input_get_id (in);
          g_autoptr(JsonNode) node = NULL;
          g_autofree char *ot = NULL;

          if (opts == NULL)
            continue;
          node = json_node_init_array (json_node_alloc (), opts);
          ot = iwb_json_to_string (node, FALSE);
          fprintf (out, _("    %s options: %s\n"), id ? id : "?", ot);
        }
    }
}

void
iwb_cli_reporter_print_report (IwbCliReporter *self)
{
  FILE *out = stdout;
  IwbRunEvent *fin = iwb_run_get_finished_event (self->run);
  const IwbRunCounts *counts = iwb_run_get_counts (self->run);
  IwbRunOperation op = iwb_run_get_operation (self->run);
  const char *bold = iwb_cli_color (out, "\033[1m");
  const char *red = iwb_cli_color (out, "\033[1;31m");
  const char *green = iwb_cli_color (out, "\033[1;32m");
  const char *yellow = iwb_cli_color (out, "\033[1;33m");
  const char *dim = iwb_cli_color (out, "\033[2m");
  const char *reset = iwb_cli_color (out, "\033[0m");
  g_autofree char *duration = NULL;
  IwbRunStatus status;

  if (self->machine || fin == NULL)
    return;

  print_results (self);

  for (guint i = 0; i < self->others->len; i++)
    {
      IwbRunEvent *e = self->others->pdata[i];

      switch (iwb_run_event_get_kind (e))
        {
        case IWB_RUN_EVENT_VALIDATION_ERRORS:
          {
            GPtrArray *fields = iwb_run_event_get_field_errors (e);

            fprintf (out, _("%sValidation errors%s (%s)\n"), red, reset,
                     iwb_run_event_get_message (e) ? iwb_run_event_get_message (e) : "");
            for (guint k = 0; k < fields->len; k++)
              {
                IwbFieldError *fe = fields->pdata[k];

                fprintf (out, "  %s%s%s: %s\n", red, fe->field ? fe->field : _("(no field)"),
                         reset, fe->message);
              }
          }
          break;
        case IWB_RUN_EVENT_INSTANTIATION_ERROR:
          {
            JsonNode *p = iwb_run_event_get_payload (e);
            JsonNode *errs = JSON_NODE_HOLDS_OBJECT (p)
              ? json_object_get_member (json_node_get_object (p), "errors") : NULL;

            fprintf (out, _("%sThe integration stopped: %s%s\n"), red,
                     iwb_run_event_get_message (e) ? iwb_run_event_get_message (e) : "", reset);
            if (errs != NULL && JSON_NODE_HOLDS_ARRAY (errs))
              for (guint k = 0; k < json_array_get_length (json_node_get_array (errs)); k++)
                {
                  JsonNode *en = json_array_get_element (json_node_get_array (errs), k);
                  g_autofree char *t = NULL;

                  if (JSON_NODE_HOLDS_OBJECT (en) &&
                      json_object_has_member (json_node_get_object (en), "message"))
                    t = scalar_text (json_object_get_member (json_node_get_object (en), "message"));
                  else
                    t = scalar_text (en);
                  fprintf (out, "  - %s\n", t);
                }
          }
          break;
        case IWB_RUN_EVENT_OVERRIDES:
          print_overrides (out, e);
          break;
        case IWB_RUN_EVENT_FILE:
          fprintf (out, _("%sFile produced%s: %s\n"), bold, reset, iwb_run_event_get_text (e));
          break;
        case IWB_RUN_EVENT_WARNING:
          fprintf (out, _("%sWarning%s: %s\n"), yellow, reset, iwb_run_event_get_text (e));
          break;
        default:
          break;
        }
    }

  print_http (self, out);

  if (op == IWB_RUN_EXECUTE && counts->rows_in == 0 && counts->results == 0 &&
      counts->row_errors == 0 && iwb_run_event_get_status (fin) == IWB_RUN_STATUS_SUCCEEDED)
    fprintf (out, _("%sNo results.%s A per-row action runs once per input row: give rows with "
             "--input FILE (JSON Lines, JSON array or CSV) or --input - for stdin.\n"), yellow, reset);

  if (self->logs->len > 0 || self->logs_dropped > 0)
    {
      fprintf (out, g_dngettext (GETTEXT_PACKAGE, "%sLog (%llu line)%s\n", "%sLog (%llu lines)%s\n",
                                 (gulong) counts->log_lines),
               bold, (unsigned long long) counts->log_lines, reset);
      for (guint i = 0; i < self->logs->len; i++)
        {
          IwbRunEvent *e = self->logs->pdata[i];
          gboolean err = g_strcmp0 (iwb_run_event_get_stream (e), "stderr") == 0;

          fprintf (out, "  %s%s |%s %s\n", err ? yellow : dim, err ? "stderr" : "stdout", reset,
                   iwb_run_event_get_text (e));
        }
      if (self->logs_dropped > 0)
        fprintf (out, _("  … %llu more log lines not shown (use --format jsonl "
                 "to see every line)\n"), (unsigned long long) self->logs_dropped);
    }

  status = iwb_run_event_get_status (fin);
  duration = iwb_cli_format_duration (iwb_run_event_get_duration_us (fin));
  switch (status)
    {
    case IWB_RUN_STATUS_SUCCEEDED:
      if (op == IWB_RUN_VALIDATE_CONNECTION)
        fprintf (out, _("%s✓ The connection is valid%s"), green, reset);
      else if (op == IWB_RUN_VALIDATE_ACTION)
        fprintf (out, _("%s✓ The inputs of %s are valid%s"), green, iwb_run_get_entrypoint (self->run), reset);
      else
        fprintf (out, _("%s✓ Done%s"), green, reset);
      break;
    case IWB_RUN_STATUS_REPORTED_ERRORS:
      fprintf (out, _("%s✗ The integration reported errors%s"), red, reset);
      break;
    case IWB_RUN_STATUS_TIMED_OUT:
      fprintf (out, _("%s✗ Timed out%s"), red, reset);
      break;
    case IWB_RUN_STATUS_CANCELLED:
      fprintf (out, _("%s✗ Cancelled%s"), red, reset);
      break;
    case IWB_RUN_STATUS_FAILED:
    default:
      fprintf (out, _("%s✗ Failed%s"), red, reset);
      break;
    }
  if (op == IWB_RUN_EXECUTE)
    {
      g_autofree char *counted = iwb_cli_format_row_counts (counts->rows_in, counts->results,
                                                            counts->row_errors);

      fprintf (out, ": %s", counted);
    }
  fprintf (out, " (%s)\n  %s\n", duration, _(iwb_run_event_get_exit_meaning (fin)));
  /* A crash, or an uncaught exception (exit 1 with only a traceback),
   * leaves its reason in the last line on stderr: repeat it next to the
   * status. */
  if (status == IWB_RUN_STATUS_FAILED ||
      (iwb_run_event_get_exit_code (fin) == 1 && counts->row_errors == 0 &&
       iwb_run_get_field_errors (self->run)->len == 0))
    for (guint i = self->logs->len; i > 0; i--)
      {
        IwbRunEvent *e = self->logs->pdata[i - 1];
        const char *text = iwb_run_event_get_text (e);

        if (g_strcmp0 (iwb_run_event_get_stream (e), "stderr") == 0 && text[0] != '\0' &&
            !g_ascii_isspace (text[0]))
          {
            fprintf (out, _("  %sLast error output:%s %s\n"), red, reset, text);
            break;
          }
      }
  if (counts->truncated_lines > 0)
    fprintf (out, _("  %llu overlong output lines were cut (%llu"
             " bytes dropped)\n"), (unsigned long long) counts->truncated_lines,
             (unsigned long long) counts->truncated_bytes);
  fflush (out);
}

void
iwb_cli_report_machine_locale (void)
{
  /* LC_MESSAGES "C": gettext then ignores LANGUAGE too (C.UTF-8 would
   * not). Set before the run or the checks make a thread or a message. */
  setlocale (LC_MESSAGES, "C");
}

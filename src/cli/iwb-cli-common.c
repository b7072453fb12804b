/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by `iwb inspect`, `iwb validate`, `iwb run` and `iwb demo-service`. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "iwb-cli.h"
#include "iwb-cli-common.h"

gboolean
iwb_cli_split_assignment (const char  *arg,
                          const char  *option,
                          char       **key,
                          char       **value,
                          GError     **error)
{
  const char *eq = strchr (arg, '=');

  if (eq == NULL || eq == arg)
    {
      const char *example = g_str_equal (option, "--set-file") ? "API_TOKEN=token.txt"
                            : g_str_equal (option, "--map") ? "query=text"
                            : g_str_equal (option, "--template") ? "'message={{ title }}'"
                            : "API_URL=https://…";

      /* A --set value may be a secret: never repeat it. */
      if (g_str_equal (option, "--set"))
        g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                     "%s: %s; expected ID=VALUE (for example %s %s)", option,
                     eq == NULL ? "a value has no “=”" : "a value has no ID before “=”",
                     option, example);
      else
        g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                     "%s “%s”: expected %s (for example %s %s)", option, arg,
                     g_str_equal (option, "--set-file") ? "ID=PATH"
                     : g_str_equal (option, "--map") ? "ARG=COLUMN" : "ARG=TEXT",
                     option, example);
      return FALSE;
    }
  *key = g_strndup (arg, eq - arg);
  *value = g_strdup (eq + 1);
  return TRUE;
}

char *
iwb_cli_read_value_file (const char  *path,
                         GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_NOT_FOUND,
                   "--set-file: cannot read %s: %s", path, local_error->message);
      return NULL;
    }
  if (len > 0 && contents[len - 1] == '\n')
    contents[--len] = '\0';
  if (len > 0 && contents[len - 1] == '\r')
    contents[--len] = '\0';
  if (strlen (contents) != len)
    {
      g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
                   "--set-file: %s contains a NUL byte; environment variables cannot hold one",
                   path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

typedef struct
{
  GAsyncResult *result;
} LoadData;

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LoadData *data = user_data;

  data->result = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

/* ---------------------------------------------------------------------- */
/* Signals                                                                */

static GCancellable *cli_cancellable;
static int cli_signal;

/* SIGINT (Ctrl+C), SIGTERM, SIGHUP: cancel what runs, which ends the
 * child's whole tree; iwb_cli_finish() then dies of the same signal.
 * Dying of it at once instead would leave the children the integration
 * started (PR_SET_PDEATHSIG reaches only the direct child). */
static gboolean
on_signal (gpointer user_data)
{
  if (cli_signal == 0)
    cli_signal = GPOINTER_TO_INT (user_data);
  g_cancellable_cancel (cli_cancellable);
  return G_SOURCE_CONTINUE;
}

GCancellable *
iwb_cli_signals_install (void)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP };

  if (cli_cancellable != NULL)
    return cli_cancellable;
  cli_cancellable = g_cancellable_new ();
  /* Orphans of the integration's processes come to us, not to init. */
  iwb_child_become_subreaper ();
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    g_unix_signal_add (signals[i], on_signal, GINT_TO_POINTER (signals[i]));
  return cli_cancellable;
}

int
iwb_cli_finish (int exit_code)
{
  fflush (stdout);
  fflush (stderr);
  if (cli_cancellable != NULL)
    iwb_child_kill_all ();
  if (cli_signal != 0)
    {
      sigset_t set;

      /* The conventional end: die of the signal, so that the shell sees
       * 128 + N and a script stops on Ctrl+C. */
      signal (cli_signal, SIG_DFL);
      sigemptyset (&set);
      sigaddset (&set, cli_signal);
      sigprocmask (SIG_UNBLOCK, &set, NULL);
      raise (cli_signal);
    }
  return exit_code;
}

static gboolean stdin_was_closed;

void
iwb_cli_guard_std_fds (void)
{
  /* A closed 0, 1 or 2 would be reused by the next open() (GLib's own
   * wakeup fd, a pipe to a child), and reading "stdin" or printing would
   * then go there: give them /dev/null, and remember stdin was closed. */
  for (int fd = 0; fd <= 2; fd++)
    if (fcntl (fd, F_GETFD) < 0 && errno == EBADF)
      {
        int null = open ("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);

        if (fd == 0)
          stdin_was_closed = TRUE;
        if (null >= 0 && null != fd)
          {
            dup2 (null, fd);
            close (null);
          }
      }
}

gboolean
iwb_cli_stdin_was_closed (void)
{
  return stdin_was_closed;
}

void
iwb_cli_exit (int exit_code)
{
  exit (iwb_cli_finish (exit_code));
}

IwbIntegration *
iwb_cli_load_integration (IwbPython   *python,
                          const char  *folder,
                          guint        timeout,
                          GError     **error)
{
  return iwb_cli_load_integration_full (python, folder, timeout, NULL, error);
}

IwbIntegration *
iwb_cli_load_integration_full (IwbPython   *python,
                               const char  *folder,
                               guint        timeout,
                               char       **result_text,
                               GError     **error)
{
  g_autoptr(IwbLoader) loader = iwb_loader_new (python);
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (folder);
  GCancellable *cancellable = iwb_cli_signals_install ();
  LoadData data = { NULL };
  IwbIntegration *integration;

  if (timeout > 0)
    iwb_loader_set_timeout (loader, timeout);
  iwb_loader_load_async (loader, file, cancellable, on_loaded, &data);
  while (data.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  integration = iwb_loader_load_finish (loader, data.result, error);
  if (result_text != NULL)
    *result_text = iwb_loader_dup_result_text (loader, data.result);
  g_object_unref (data.result);
  return integration;
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;

  iwb_run_start_finish (IWB_RUN (source), result, NULL);
  *done = TRUE;
  g_main_context_wakeup (NULL);
}

void
iwb_cli_run_to_end (IwbRun *run)
{
  GCancellable *cancellable = iwb_cli_signals_install ();
  gboolean done = FALSE;

  iwb_run_start_async (run, cancellable, on_run_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

int
iwb_cli_exit_code_for_run (IwbRun *run)
{
  switch (iwb_run_get_status (run))
    {
    case IWB_RUN_STATUS_SUCCEEDED:
      return IWB_EXIT_OK;
    case IWB_RUN_STATUS_REPORTED_ERRORS:
      return IWB_EXIT_REPORTED;
    case IWB_RUN_STATUS_TIMED_OUT:
    case IWB_RUN_STATUS_CANCELLED:
      return IWB_EXIT_TIMEOUT;
    case IWB_RUN_STATUS_FAILED:
    default:
      return IWB_EXIT_FAILED;
    }
}

gboolean
iwb_cli_use_color (FILE *stream)
{
  const char *no_color = g_getenv ("NO_COLOR");

  if (no_color != NULL && no_color[0] != '\0')
    return FALSE;
  return isatty (fileno (stream)) && g_strcmp0 (g_getenv ("TERM"), "dumb") != 0;
}

const char *
iwb_cli_color (FILE       *stream,
               const char *sgr)
{
  return iwb_cli_use_color (stream) ? sgr : "";
}

void
iwb_cli_print_json_line (FILE     *stream,
                         JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  fputs (text, stream);
  fputc ('\n', stream);
}

char *
iwb_cli_format_duration (gint64 us)
{
  if (us < 60 * G_USEC_PER_SEC)
    return g_strdup_printf ("%.2f s", us / 1e6);
  return g_strdup_printf ("%d min %d s", (int) (us / (60 * G_USEC_PER_SEC)),
                          (int) ((us / G_USEC_PER_SEC) % 60));
}

/* ---------------------------------------------------------------------- */
/* Reporter                                                               */

#define MAX_LOG_BYTES   (2 * 1024 * 1024)
#define MAX_KEPT_EVENTS 1000
#define MAX_COL_WIDTH   40
#define MAX_TABLE_COLS  12

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
};

static gboolean
flush_stdout (gpointer user_data)
{
  IwbCliReporter *self = user_data;

  fflush (stdout);
  self->flush_source = 0;
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
      g_autoptr(JsonNode) node = iwb_run_event_to_json (event);

      iwb_cli_print_json_line (stdout, node);
      /* Stream: flush whenever the loop has nothing else to do. */
      if (kind == IWB_RUN_EVENT_FINISHED)
        fflush (stdout);
      else if (self->flush_source == 0)
        self->flush_source = g_idle_add_full (G_PRIORITY_LOW, flush_stdout, self, NULL);
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
  return json_to_string (node, FALSE);
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
      fprintf (out, "%sResults (%" G_GUINT64_FORMAT ")%s\n", bold, counts->results, reset);
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
            g_autofree char *h = cell ("row", row_width);
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
            json = json_to_string (iwb_run_event_get_payload (e), FALSE);
            fprintf (out, "  row %s: %s\n", label, json);
          }
      if (counts->spilled_results > 0)
        {
          if (iwb_run_get_spill_path (self->run) != NULL)
            fprintf (out, "  … %" G_GUINT64_FORMAT " more results and row errors are in %s\n",
                     counts->spilled_results, iwb_run_get_spill_path (self->run));
          else
            fprintf (out, "  … %" G_GUINT64_FORMAT " more results and row errors not shown\n",
                     counts->spilled_results);
        }
    }

  if (n_errors > 0)
    {
      fprintf (out, "%sRow errors (%" G_GUINT64_FORMAT ")%s\n", red, counts->row_errors, reset);
      for (guint i = 0; i < results->len; i++)
        {
          IwbRunEvent *e = results->pdata[i];
          g_autofree char *label = NULL;
          g_auto(GStrv) lines = NULL;
          JsonObject *row;

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
            fprintf (out, "  %srow %s:%s %s\n", red, label, reset, headline);
            for (guint l = first_detail; l < n_lines; l++)
              if (lines[l][0] != '\0')
                fprintf (out, "      %s%s%s\n", dim, lines[l], reset);
            /* The SDK skips a row without a mapped column (uncorrelated). */
            if (g_str_has_prefix (headline, "Column '") &&
                g_str_has_suffix (headline, "' is not present in the data"))
              fprintf (out, "      %san argument reads the column of its own name unless "
                       "--map ARG=COLUMN names another one%s\n", dim, reset);
          }
          row = iwb_run_event_get_input_row (e);
          if (row != NULL)
            {
              g_autoptr(JsonNode) rn = json_node_alloc ();
              g_autofree char *rt = NULL;

              json_node_init_object (rn, row);
              rt = json_to_string (rn, FALSE);
              fprintf (out, "      input row: %s\n", rt);
            }
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
      fprintf (out, "%sDynamic overrides%s: “actionOverrides” is not a list; "
               "the platform would ignore it (return a list of action descriptors)\n",
               bold, reset);
      return;
    }
  fprintf (out, "%sDynamic overrides%s: the validator returned %u action descriptors; "
           "the options of their selects follow (--show-overrides shows what changed)\n",
           bold, reset,
           json_array_get_length (json_node_get_array (p)));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (p)); i++)
    {
      JsonNode *a = json_array_get_element (json_node_get_array (p), i);
      JsonObject *ao;
      JsonNode *inst;

      if (!JSON_NODE_HOLDS_OBJECT (a))
        continue;
      ao = json_node_get_object (a);
      fprintf (out, "  %s\n", json_object_has_member (ao, "entrypoint")
                                ? json_object_get_string_member_with_default (ao, "entrypoint", "?")
                                : json_object_get_string_member_with_default (ao, "name", "?"));
      inst = json_object_get_member (ao, "instantiation");
      if (inst != NULL && JSON_NODE_HOLDS_OBJECT (inst))
        {
          JsonNode *steps = json_object_get_member (json_node_get_object (inst), "steps");

          if (steps != NULL && JSON_NODE_HOLDS_ARRAY (steps) &&
              json_array_get_length (json_node_get_array (steps)) > 0)
            {
              JsonNode *s0 = json_array_get_element (json_node_get_array (steps), 0);
              JsonNode *inputs = JSON_NODE_HOLDS_OBJECT (s0)
                ? json_object_get_member (json_node_get_object (s0), "inputs") : NULL;

              if (inputs != NULL && JSON_NODE_HOLDS_ARRAY (inputs))
                for (guint k = 0; k < json_array_get_length (json_node_get_array (inputs)); k++)
                  {
                    JsonNode *in = json_array_get_element (json_node_get_array (inputs), k);
                    JsonNode *opts;

                    if (!JSON_NODE_HOLDS_OBJECT (in))
                      continue;
                    opts = json_object_get_member (json_node_get_object (in), "options");
                    if (opts != NULL && JSON_NODE_HOLDS_ARRAY (opts))
                      {
                        g_autofree char *ot = json_to_string (opts, FALSE);
                        fprintf (out, "    %s options: %s\n",
                                 json_object_get_string_member_with_default (json_node_get_object (in), "id", "?"),
                                 ot);
                      }
                  }
            }
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

            fprintf (out, "%sValidation errors%s (%s)\n", red, reset,
                     iwb_run_event_get_message (e) ? iwb_run_event_get_message (e) : "");
            for (guint k = 0; k < fields->len; k++)
              {
                IwbFieldError *fe = fields->pdata[k];

                fprintf (out, "  %s%s%s: %s\n", red, fe->field ? fe->field : "(no field)",
                         reset, fe->message);
              }
          }
          break;
        case IWB_RUN_EVENT_INSTANTIATION_ERROR:
          {
            JsonNode *p = iwb_run_event_get_payload (e);
            JsonNode *errs = JSON_NODE_HOLDS_OBJECT (p)
              ? json_object_get_member (json_node_get_object (p), "errors") : NULL;

            fprintf (out, "%sThe integration stopped: %s%s\n", red,
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
          fprintf (out, "%sFile produced%s: %s\n", bold, reset, iwb_run_event_get_text (e));
          break;
        case IWB_RUN_EVENT_WARNING:
          fprintf (out, "%sWarning%s: %s\n", yellow, reset, iwb_run_event_get_text (e));
          break;
        default:
          break;
        }
    }

  if (op == IWB_RUN_EXECUTE && counts->rows_in == 0 && counts->results == 0 &&
      counts->row_errors == 0 && iwb_run_event_get_status (fin) == IWB_RUN_STATUS_SUCCEEDED)
    fprintf (out, "%sNo results.%s A per-row action runs once per input row: give rows with "
             "--input FILE (JSON Lines, JSON array or CSV) or --input - for stdin.\n", yellow, reset);

  if (self->logs->len > 0 || self->logs_dropped > 0)
    {
      fprintf (out, "%sLog (%" G_GUINT64_FORMAT " lines)%s\n", bold, counts->log_lines, reset);
      for (guint i = 0; i < self->logs->len; i++)
        {
          IwbRunEvent *e = self->logs->pdata[i];
          gboolean err = g_strcmp0 (iwb_run_event_get_stream (e), "stderr") == 0;

          fprintf (out, "  %s%s |%s %s\n", err ? yellow : dim, err ? "stderr" : "stdout", reset,
                   iwb_run_event_get_text (e));
        }
      if (self->logs_dropped > 0)
        fprintf (out, "  … %" G_GUINT64_FORMAT " more log lines not shown (use --format jsonl "
                 "to see every line)\n", self->logs_dropped);
    }

  status = iwb_run_event_get_status (fin);
  duration = iwb_cli_format_duration (iwb_run_event_get_duration_us (fin));
  switch (status)
    {
    case IWB_RUN_STATUS_SUCCEEDED:
      if (op == IWB_RUN_VALIDATE_CONNECTION)
        fprintf (out, "%s✓ The connection is valid%s", green, reset);
      else if (op == IWB_RUN_VALIDATE_ACTION)
        fprintf (out, "%s✓ The inputs of %s are valid%s", green, iwb_run_get_entrypoint (self->run), reset);
      else
        fprintf (out, "%s✓ Done%s", green, reset);
      break;
    case IWB_RUN_STATUS_REPORTED_ERRORS:
      fprintf (out, "%s✗ The integration reported errors%s", red, reset);
      break;
    case IWB_RUN_STATUS_TIMED_OUT:
      fprintf (out, "%s✗ Timed out%s", red, reset);
      break;
    case IWB_RUN_STATUS_CANCELLED:
      fprintf (out, "%s✗ Cancelled%s", red, reset);
      break;
    case IWB_RUN_STATUS_FAILED:
    default:
      fprintf (out, "%s✗ Failed%s", red, reset);
      break;
    }
  if (op == IWB_RUN_EXECUTE)
    fprintf (out, ": %" G_GUINT64_FORMAT " rows in, %" G_GUINT64_FORMAT " results, %"
             G_GUINT64_FORMAT " row errors", counts->rows_in, counts->results, counts->row_errors);
  fprintf (out, " (%s)\n  %s\n", duration, iwb_run_event_get_exit_meaning (fin));
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
            fprintf (out, "  %sLast error output:%s %s\n", red, reset, text);
            break;
          }
      }
  if (counts->truncated_lines > 0)
    fprintf (out, "  %" G_GUINT64_FORMAT " overlong output lines were cut (%" G_GUINT64_FORMAT
             " bytes dropped)\n", counts->truncated_lines, counts->truncated_bytes);
  fflush (out);
}

/* ---------------------------------------------------------------------- */

void
iwb_cli_run_options_clear (IwbCliRunOptions *options)
{
  g_clear_pointer (&options->set, g_strfreev);
  g_clear_pointer (&options->set_file, g_strfreev);
  g_clear_pointer (&options->format, g_free);
  g_clear_pointer (&options->python, g_free);
  g_clear_pointer (&options->sdk, g_free);
}

void
iwb_cli_run_options_add_entries (IwbCliRunOptions *options,
                                 GOptionContext   *context,
                                 gboolean          run)
{
  /* g_option_context_add_main_entries() copies the array. */
  const GOptionEntry entries[] = {
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &options->set,
      "Value of a connection or action parameter (repeatable)", "ID=VALUE" },
    { "set-file", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->set_file,
      "Read the value from a file, for secrets and JSON (one trailing newline is removed)",
      "ID=PATH" },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &options->timeout,
      run ? "Kill the run after S seconds (default 60, 0 = never)"
          : "Kill the validation after S seconds (default 60, 0 = never)", "S" },
    { "load-timeout", 0, 0, G_OPTION_ARG_INT, &options->load_timeout,
      "Kill loading the integration (generate_metadata) after S seconds (default 30)", "S" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &options->format,
      run ? "Output format: text (default) or jsonl" : "Output format: text (default) or json",
      "FORMAT" },
    { "python", 0, 0, G_OPTION_ARG_FILENAME, &options->python,
      "Python interpreter (default: $IWB_PYTHON, else python3 on PATH)", "PATH" },
    { "sdk", 0, 0, G_OPTION_ARG_STRING, &options->sdk,
      "lhub_integ to use: bundled (default) or installed", "bundled|installed" },
    { "no-ssl-verify", 0, 0, G_OPTION_ARG_NONE, &options->no_ssl_verify,
      "Set __lh_ssl_verify=False like the platform's “verify SSL” switch", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
}

static gboolean
check_known (GPtrArray  *known,
             const char *id,
             const char *option,
             GError    **error)
{
  g_autoptr(GString) list = NULL;

  if (known == NULL)
    return TRUE;
  for (guint i = 0; i < known->len; i++)
    if (g_str_equal (known->pdata[i], id))
      return TRUE;
  list = g_string_new (NULL);
  for (guint i = 0; i < known->len; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", (char *) known->pdata[i]);
  g_set_error (error, IWB_ERROR, IWB_ERROR_INVALID_VALUE,
               "%s %s: no such input; known: %s", option, id,
               list->len ? list->str : "(none)");
  return FALSE;
}

gboolean
iwb_cli_apply_values (IwbRun           *run,
                      IwbCliRunOptions *options,
                      GPtrArray        *known_ids,
                      GError          **error)
{
  for (guint i = 0; options->set != NULL && options->set[i] != NULL; i++)
    {
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (!iwb_cli_split_assignment (options->set[i], "--set", &key, &value, error) ||
          !check_known (known_ids, key, "--set", error))
        return FALSE;
      iwb_run_set_value (run, key, value);
    }
  for (guint i = 0; options->set_file != NULL && options->set_file[i] != NULL; i++)
    {
      g_autofree char *key = NULL;
      g_autofree char *path = NULL;
      g_autofree char *value = NULL;

      if (!iwb_cli_split_assignment (options->set_file[i], "--set-file", &key, &path, error) ||
          !check_known (known_ids, key, "--set-file", error))
        return FALSE;
      value = iwb_cli_read_value_file (path, error);
      if (value == NULL)
        return FALSE;
      iwb_run_set_value (run, key, value);
    }
  return TRUE;
}

static void
add_ids (GPtrArray  *ids,
         JsonArray  *inputs,
         const char *default_source,
         const char *sources)
{
  g_auto(GStrv) wanted = g_strsplit (sources, ",", -1);

  if (inputs == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonNode *n = json_array_get_element (inputs, i);
      JsonObject *o;
      const char *source;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        continue;
      o = json_node_get_object (n);
      source = json_object_get_string_member_with_default (o, "source", default_source);
      if (g_strv_contains ((const char * const *) wanted, source) &&
          json_object_has_member (o, "id"))
        g_ptr_array_add (ids, g_strdup (json_object_get_string_member_with_default (o, "id", "")));
    }
}

GPtrArray *
iwb_cli_descriptor_ids (JsonNode   *descriptor,
                        const char *action_entrypoint,
                        gboolean    connection,
                        const char *sources)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  JsonObject *root;

  if (!JSON_NODE_HOLDS_OBJECT (descriptor))
    return ids;
  root = json_node_get_object (descriptor);
  if (connection && json_object_has_member (root, "connection"))
    {
      JsonObject *conn = json_object_get_object_member (root, "connection");

      if (conn != NULL && json_object_has_member (conn, "inputs"))
        add_ids (ids, json_object_get_array_member (conn, "inputs"), "connection", sources);
    }
  if (action_entrypoint != NULL && json_object_has_member (root, "actions"))
    {
      JsonArray *actions = json_object_get_array_member (root, "actions");

      for (guint i = 0; actions != NULL && i < json_array_get_length (actions); i++)
        {
          JsonObject *a = json_array_get_object_element (actions, i);
          JsonObject *inst;
          JsonArray *steps;

          if (a == NULL || g_strcmp0 (json_object_get_string_member_with_default (a, "entrypoint", ""),
                                      action_entrypoint) != 0)
            continue;
          inst = json_object_get_object_member (a, "instantiation");
          steps = inst ? json_object_get_array_member (inst, "steps") : NULL;
          if (steps != NULL && json_array_get_length (steps) > 0)
            add_ids (ids, json_object_get_array_member (json_array_get_object_element (steps, 0),
                                                        "inputs"),
                     "param", sources);
        }
    }
  return ids;
}

/* ---------------------------------------------------------------------- */

IwbRun *
iwb_cli_prepare_run (IwbCliRunOptions *options,
                     const char       *folder,
                     const char       *action_name,
                     IwbRunOperation   operation,
                     int              *exit_code)
{
  g_autoptr(IwbPython) python = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  g_autoptr(JsonNode) descriptor = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbRun) run = NULL;
  g_autoptr(GPtrArray) known = NULL;
  g_autoptr(GFile) file = NULL;
  const char *entrypoint = NULL;
  IwbSdkChoice sdk = IWB_SDK_BUNDLED;

  if (options->sdk != NULL && !iwb_sdk_choice_from_string (options->sdk, &sdk))
    {
      fprintf (stderr, "iwb: --sdk %s: expected “bundled” or “installed”\n", options->sdk);
      *exit_code = IWB_EXIT_USAGE;
      return NULL;
    }
  if (options->timeout < 0)
    {
      fprintf (stderr, "iwb: --timeout must be 0 (no timeout) or a number of seconds\n");
      *exit_code = IWB_EXIT_USAGE;
      return NULL;
    }
  if (options->load_timeout < 0)
    {
      fprintf (stderr, "iwb: --load-timeout must be a number of seconds\n");
      *exit_code = IWB_EXIT_USAGE;
      return NULL;
    }

  /* pyenv hook: the integration's environment unless --python was given. */
  python = iwb_cli_python_for_folder (options->python, sdk, folder);
  if (iwb_python_resolve (python, &error) == NULL)
    {
      fprintf (stderr, "iwb: %s\n", error->message);
      *exit_code = IWB_EXIT_FAILED;
      return NULL;
    }

  integration = iwb_cli_load_integration (python, folder, (guint) options->load_timeout, &error);
  if (integration == NULL)
    {
      fprintf (stderr, "iwb: cannot load the integration in %s:\n  %s\n", folder, error->message);
      *exit_code = g_error_matches (error, IWB_ERROR, IWB_ERROR_CANCELLED) ? IWB_EXIT_TIMEOUT
                                                                          : IWB_EXIT_FAILED;
      return NULL;
    }
  {
    const char * const *errors = iwb_integration_get_errors (integration);

    if (errors != NULL && errors[0] != NULL)
      {
        fprintf (stderr, "iwb: the SDK reported problems with %s:\n", folder);
        for (guint i = 0; errors[i] != NULL; i++)
          fprintf (stderr, "  %s\n", errors[i]);
        if (iwb_integration_get_actions (integration) == NULL ||
            g_list_model_get_n_items (iwb_integration_get_actions (integration)) == 0)
          {
            *exit_code = IWB_EXIT_FAILED;
            return NULL;
          }
      }
  }

  if (action_name != NULL)
    {
      IwbAction *action = iwb_integration_find_action (integration, action_name);

      if (action == NULL)
        {
          GListModel *actions = iwb_integration_get_actions (integration);

          fprintf (stderr, "iwb: %s has no action “%s”. Its actions (entrypoint, name):\n",
                   folder, action_name);
          for (guint i = 0; i < g_list_model_get_n_items (actions); i++)
            {
              g_autoptr(IwbAction) a = g_list_model_get_item (actions, i);
              fprintf (stderr, "  %-28s %s\n", iwb_action_get_entrypoint (a), iwb_action_get_name (a));
            }
          *exit_code = IWB_EXIT_USAGE;
          return NULL;
        }
      entrypoint = iwb_action_get_entrypoint (action);
    }

  descriptor = iwb_descriptor_build (integration);
  file = g_file_new_for_commandline_arg (folder);
  run = iwb_run_new (python, file, descriptor, operation, entrypoint);
  if (options->timeout >= 0)
    iwb_run_set_timeout (run, (guint) options->timeout);
  iwb_run_set_ssl_verify (run, !options->no_ssl_verify);

  known = iwb_cli_descriptor_ids (descriptor, entrypoint, TRUE, "connection,param");
  if (!iwb_cli_apply_values (run, options, known, &error))
    {
      fprintf (stderr, "iwb: %s\n", error->message);
      *exit_code = IWB_EXIT_USAGE;
      return NULL;
    }

  *exit_code = IWB_EXIT_OK;
  return g_steal_pointer (&run);
}

gboolean
iwb_cli_check_run (IwbRun   *run,
                   gboolean  machine)
{
  g_autoptr(GPtrArray) problems = iwb_run_check (run);

  if (problems->len == 0)
    return TRUE;

  if (machine)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "event");
      json_builder_add_string_value (b, "validation-errors");
      json_builder_set_member_name (b, "local");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, "Checked locally with the SDK's coercion rules; "
                                        "no process was started.");
      json_builder_set_member_name (b, "errors");
      json_builder_begin_array (b);
      for (guint i = 0; i < problems->len; i++)
        {
          IwbFieldError *e = problems->pdata[i];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "field");
          json_builder_add_string_value (b, e->field);
          json_builder_set_member_name (b, "inputId");
          json_builder_add_string_value (b, e->input_id);
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, e->message);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      iwb_cli_print_json_line (stdout, root);
      fflush (stdout);
    }
  else
    {
      const char *red = iwb_cli_color (stdout, "\033[1;31m");
      const char *reset = iwb_cli_color (stdout, "\033[0m");

      printf ("%sValidation errors%s (checked locally with the SDK's rules; no process was started)\n",
              red, reset);
      for (guint i = 0; i < problems->len; i++)
        {
          IwbFieldError *e = problems->pdata[i];

          printf ("  %s%s%s: %s\n", red, e->field ? e->field : "(action)", reset, e->message);
        }
      printf ("Give the values with --set ID=VALUE or --set-file ID=PATH%s.\n",
              iwb_run_get_operation (run) == IWB_RUN_EXECUTE
                ? ", column mappings with --map ARG=COLUMN, templates with --template ARG=TEXT" : "");
    }
  return FALSE;
}

int
iwb_cli_execute_run (IwbRun   *run,
                     gboolean  machine)
{
  g_autoptr(IwbCliReporter) reporter = iwb_cli_reporter_new (run, machine);

  iwb_cli_run_to_end (run);
  iwb_cli_reporter_print_report (reporter);
  return iwb_cli_exit_code_for_run (run);
}

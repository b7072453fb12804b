/* SPDX-License-Identifier: GPL-3.0-or-later */
/* iwb history: list, show and compare recorded validations and runs. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "iwb-cli.h"
#include "iwb-cli-common.h"
#include "iwb-cli-session.h"
#include "iwb-json.h"

static const char history_description[] =
  N_("Commands:\n"
     "  list [FOLDER]      recorded validations and runs, newest first\n"
     "  show ID            one of them: parameters (secrets masked), inputs, results,\n"
     "                     row errors, validation errors, overrides, log\n"
     "  diff ID1 ID2       the structural difference of two runs' results (rows matched\n"
     "                     by their input rows, else by position); exit 1 if they differ\n"
     "  baseline ID        pin run ID as the baseline of its action (--clear: unpin)\n"
     "\n"
     "Every “iwb validate” and “iwb run” is recorded unless --no-history is given.\n"
     "The history is ~/.local/share/integration-workbench/history.sqlite.\n"
     "\n"
     "Output: --format text (default), jsonl (list: one object per run and line) or\n"
     "json (show, diff).\n");

typedef struct
{
  char     *action;
  char     *status;
  char     *search;
  char     *format;
  int       limit;
  gboolean  clear;
} Options;

static int
usage (const char *message)
{
  fprintf (stderr, "iwb history: %s\n%s", message,
           _("Usage: iwb history list [FOLDER] | show ID | diff ID1 ID2 | baseline ID [OPTION…]\n"
             "Run “iwb history --help” for the options.\n"));
  return IWB_EXIT_USAGE;
}

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &v, NULL))
    return FALSE;
  *id = (gint64) v;
  return TRUE;
}

static char *
format_time (gint64 ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

static int
cmd_list (IwbHistory *history,
          const char *folder,
          Options    *opts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *key = NULL;
  IwbHistoryQuery query = { 0 };
  gboolean jsonl = g_strcmp0 (opts->format, "jsonl") == 0;

  if (opts->format != NULL && !jsonl && !g_str_equal (opts->format, "text"))
    return usage (_("list: --format: expected text or jsonl"));
  if (folder != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (folder);

      key = iwb_store_integration_key (file);
    }
  query.integration = key;
  query.action = opts->action;
  query.status = opts->status;
  query.text = opts->search;
  query.limit = opts->limit > 0 ? (guint) opts->limit : 0;
  entries = iwb_history_list (history, &query, &error);
  if (entries == NULL)
    {
      fprintf (stderr, "iwb history: %s\n", error->message);
      return IWB_EXIT_FAILED;
    }
  if (!jsonl && entries->len == 0)
    fprintf (stderr, _("Nothing recorded%s yet: every “iwb validate” and “iwb run” is.\n"),
             folder ? _(" for this integration") : "");
  if (!jsonl && entries->len > 0)
    printf ("%-6s %-19s %-10s %-28s %-12s %-16s %10s  %s\n", _("ID"), _("STARTED"), _("KIND"),
            _("ACTION"), _("PROFILE"), _("STATUS"), _("DURATION"), _("ROWS"));
  for (guint i = 0; i < entries->len; i++)
    {
      IwbHistoryEntry *e = entries->pdata[i];

      if (jsonl)
        {
          g_autoptr(JsonNode) node = iwb_history_entry_to_json (e);

          iwb_cli_print_json_line (stdout, node);
        }
      else
        {
          g_autofree char *started = format_time (iwb_history_entry_get_started (e));
          g_autofree char *duration =
            iwb_cli_format_duration (iwb_history_entry_get_duration_ms (e) * 1000);
          g_autofree char *where = folder ? NULL
                                          : g_path_get_basename (iwb_history_entry_get_integration (e));
          g_autofree char *action = where ? g_strdup_printf ("%s: %s", where,
                                                             iwb_history_entry_get_action (e)
                                                               ? iwb_history_entry_get_action (e)
                                                               : _("connection"))
                                          : g_strdup (iwb_history_entry_get_action (e)
                                                        ? iwb_history_entry_get_action (e)
                                                        : _("connection"));
          guint64 n_results = iwb_history_entry_get_n_results (e);
          guint64 n_errors = iwb_history_entry_get_n_row_errors (e);

          printf ("%-6" G_GINT64_FORMAT " %-19s %-10s %-28s %-12s %-16s %10s  ",
                  iwb_history_entry_get_id (e), started,
                  iwb_history_kind_to_string (iwb_history_entry_get_kind (e)), action,
                  iwb_history_entry_get_profile (e) ? iwb_history_entry_get_profile (e) : "-",
                  iwb_history_entry_get_status (e), duration);
          /* Translators: the ROWS column of “iwb history list”; %llu is a count */
          printf (g_dngettext (GETTEXT_PACKAGE, "%llu result", "%llu results", (gulong) n_results),
                  (unsigned long long) n_results);
          /* Translators: the ROWS column of “iwb history list”, after the results; %llu is a count */
          printf (g_dngettext (GETTEXT_PACKAGE, ", %llu error", ", %llu errors", (gulong) n_errors),
                  (unsigned long long) n_errors);
          printf ("%s\n", iwb_history_entry_get_is_baseline (e) ? _(", baseline") : "");
        }
    }
  return IWB_EXIT_OK;
}

typedef struct
{
  gboolean    first;
  gboolean    json;
  const char *title;
} ShowState;

/* One line per call: "GET URL → 200 OK, 12 ms". */
static void
print_http_row (const char *data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbHttpExchange) ex = iwb_http_exchange_new_from_line (data, -1, &error);
  double total;

  if (ex == NULL)
    {
      printf ("  %s\n", data);
      return;
    }
  total = iwb_http_exchange_get_timing (ex, IWB_HTTP_TIMING_TOTAL);
  printf ("  %s %s → ", iwb_http_exchange_get_method (ex) ? iwb_http_exchange_get_method (ex) : "?",
          iwb_http_exchange_get_url (ex));
  if (iwb_http_exchange_get_status (ex) > 0)
    printf ("%u %s", iwb_http_exchange_get_status (ex),
            iwb_http_exchange_get_reason (ex) ? iwb_http_exchange_get_reason (ex) : "");
  else
    printf ("%s: %s", iwb_http_exchange_get_error_kind (ex) ? iwb_http_exchange_get_error_kind (ex) : "error",
            iwb_http_exchange_get_error_message (ex) ? iwb_http_exchange_get_error_message (ex) : "");
  if (total >= 0)
    printf (_(", %.0f ms"), total);
  printf ("%s\n", iwb_http_exchange_get_replayed (ex) ? _(", replayed") : "");
}

/* Replaces NaN and infinities in @node by null (the parser's depth rule
 * bounds the recursion). */
static void
nonfinite_to_null (JsonNode *node,
                   guint     depth)
{
  if (depth > IWB_JSON_MAX_DEPTH)
    return;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        nonfinite_to_null (json_array_get_element (array, i), depth + 1);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) members = json_object_get_values (json_node_get_object (node));

      for (GList *l = members; l != NULL; l = l->next)
        nonfinite_to_null (l->data, depth + 1);
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE &&
           !isfinite (json_node_get_double (node)))
    json_node_init_null (node);
}

static gboolean
print_row (IwbHistoryRowKind  kind,
           const char        *correlation,
           const char        *data,
           gpointer           user_data)
{
  ShowState *st = user_data;

  if (st->json)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(JsonNode) node = iwb_json_parse_full (data, -1, IWB_JSON_PARSE_DEFAULT, NULL, NULL);

      /* A stored row is JSON as the writer made it, but the file may have
       * been edited or damaged: the output stays JSON whatever it holds
       * (a row that does not parse is given as a string of its text; NaN
       * and infinities, which are not JSON, as null). */
      if (node != NULL)
        {
          nonfinite_to_null (node, 0);
          iwb_json_write (out, node, FALSE);
        }
      else
        iwb_json_write_string (out, data, -1);
      printf ("%s\n    %s", st->first ? "" : ",", out->str);
      st->first = FALSE;
      return TRUE;
    }
  if (st->first)
    printf ("%s:\n", st->title);
  st->first = FALSE;
  if (kind == IWB_HISTORY_ROW_LOG)
    {
      g_autoptr(JsonNode) node = iwb_json_parse_full (data, -1, IWB_JSON_PARSE_DEFAULT, NULL, NULL);
      JsonObject *o = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      printf ("  [%s] %s\n", o ? json_object_get_string_member_with_default (o, "stream", "") : "",
              o ? json_object_get_string_member_with_default (o, "text", "") : data);
    }
  else if (kind == IWB_HISTORY_ROW_HTTP)
    print_http_row (data);
  else
    printf ("  %s\n", data);
  return TRUE;
}

static gboolean
show_rows (IwbHistory         *history,
           gint64              id,
           IwbHistoryRowKind   kind,
           const char         *title,
           gboolean            json)
{
  ShowState st = { TRUE, json, title };
  g_autoptr(GError) error = NULL;

  if (json)
    printf (",\n  \"%s\": [", title);
  if (!iwb_history_foreach_row (history, id, kind, print_row, &st, &error))
    {
      fprintf (stderr, "iwb history: %s\n", error->message);
      return FALSE;
    }
  if (json)
    printf ("%s]", st.first ? "" : "\n  ");
  return TRUE;
}

static int
cmd_show (IwbHistory *history,
          gint64      id,
          Options    *opts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbHistoryEntry) e = iwb_history_get (history, id, &error);
  gboolean json = g_strcmp0 (opts->format, "json") == 0;
  gboolean ok;

  if (opts->format != NULL && !json && !g_str_equal (opts->format, "text"))
    return usage (_("show: --format: expected text or json"));
  if (e == NULL)
    {
      fprintf (stderr, "iwb history: %s\n", error->message);
      return g_error_matches (error, IWB_ERROR, IWB_ERROR_NOT_FOUND) ? IWB_EXIT_USAGE : IWB_EXIT_FAILED;
    }
  if (json)
    {
      g_autoptr(JsonNode) node = iwb_history_entry_to_json (e);
      g_autofree char *text = NULL;

      nonfinite_to_null (node, 0);
      text = iwb_json_to_string (node, FALSE);

      printf ("{\n  \"run\": %s", text);
    }
  else
    {
      g_autofree char *started = format_time (iwb_history_entry_get_started (e));
      g_autofree char *duration = iwb_cli_format_duration (iwb_history_entry_get_duration_ms (e) * 1000);
      JsonNode *params = iwb_history_entry_get_params (e);
      JsonNode *errors = iwb_history_entry_get_validation_errors (e);
      JsonNode *overrides = iwb_history_entry_get_overrides (e);
      gint64 base = 0;
      guint differing = 0;

      /* Translators: "Run 12: main.post of Chat Notify": the kind (Run or Validation), the id, the action (or "the connection"), the integration. */
      printf (_("%s %lld: %s of %s\n"),
              iwb_history_entry_get_kind (e) == IWB_HISTORY_KIND_RUN ? _("Run") : _("Validation"),
              (long long) id, iwb_history_entry_get_action (e) ? iwb_history_entry_get_action (e)
                                                   : _("the connection"),
              iwb_history_entry_get_integration (e));
      printf (_("Started %s, took %s, profile %s\n"), started, duration,
              iwb_history_entry_get_profile (e) ? iwb_history_entry_get_profile (e) : "-");
      printf (_("Status: %s (exit code %d)\n"), iwb_history_entry_get_status (e),
              iwb_history_entry_get_exit_code (e));
      if (iwb_history_entry_get_is_baseline (e))
        printf (_("This run is the baseline of its action.\n"));
      else if (iwb_history_compare_to_baseline (history, id, &base, &differing, NULL))
        {
          if (differing == 0)
            printf (_("Same as the baseline (run %lld).\n"), (long long) base);
          else
            printf (g_dngettext (GETTEXT_PACKAGE,
                                 "%u row differs from the baseline (run %lld).\n",
                                 "%u rows differ from the baseline (run %lld).\n",
                                 differing), differing, (long long) base);
        }
      if (params && JSON_NODE_HOLDS_OBJECT (params) &&
          json_object_get_size (json_node_get_object (params)) > 0)
        {
          g_autoptr(GList) names = json_object_get_members (json_node_get_object (params));

          printf (_("Parameters:\n"));
          names = g_list_sort (names, (GCompareFunc) g_strcmp0);
          for (GList *l = names; l; l = l->next)
            printf ("  %-24s %s\n", (char *) l->data,
                    json_object_get_string_member_with_default (json_node_get_object (params),
                                                                l->data, ""));
        }
      if (errors && JSON_NODE_HOLDS_ARRAY (errors))
        {
          JsonArray *a = json_node_get_array (errors);

          printf (_("Validation errors:\n"));
          for (guint i = 0; i < json_array_get_length (a); i++)
            {
              JsonObject *o = json_array_get_object_element (a, i);

              printf ("  %s: %s\n", json_object_get_string_member_with_default (o, "field", "-"),
                      json_object_get_string_member_with_default (o, "message", ""));
            }
        }
      if (overrides)
        {
          g_autofree char *text = iwb_json_to_string (overrides, TRUE);

          printf (_("Overrides returned:\n%s\n"), text);
        }
      printf (_("Inputs %llu, results %llu, row errors %llu, log lines %llu\n"),
              (unsigned long long) iwb_history_entry_get_n_inputs (e),
              (unsigned long long) iwb_history_entry_get_n_results (e),
              (unsigned long long) iwb_history_entry_get_n_row_errors (e),
              (unsigned long long) iwb_history_entry_get_n_log_lines (e));
    }
  ok = show_rows (history, id, IWB_HISTORY_ROW_INPUT, json ? "inputs" : _("Input rows"), json) &&
       show_rows (history, id, IWB_HISTORY_ROW_RESULT, json ? "results" : _("Results"), json) &&
       show_rows (history, id, IWB_HISTORY_ROW_ERROR, json ? "rowErrors" : _("Row errors"), json) &&
       show_rows (history, id, IWB_HISTORY_ROW_EVENT, json ? "events" : _("Other events"), json) &&
       show_rows (history, id, IWB_HISTORY_ROW_HTTP, json ? "http" : _("HTTP calls"), json) &&
       show_rows (history, id, IWB_HISTORY_ROW_LOG, json ? "log" : _("Log"), json);
  if (json)
    printf ("\n}\n");
  return ok ? IWB_EXIT_OK : IWB_EXIT_FAILED;
}

/* "main.search_tickets of /srv/tracker", "the connection validation of /srv/tracker" */
static char *
describe_run (IwbHistoryEntry *e)
{
  const char *action = iwb_history_entry_get_action (e);

  if (iwb_history_entry_get_kind (e) == IWB_HISTORY_KIND_VALIDATION || action == NULL)
    /* Translators: %s is an integration folder */
    return g_strdup_printf (_("the connection validation of %s"), iwb_history_entry_get_integration (e));
  /* Translators: an action, then an integration folder */
  return g_strdup_printf (_("%s of %s"), action, iwb_history_entry_get_integration (e));
}

/* Two runs of different integrations, kinds or actions can be compared
 * (a folder copied to try a change, a renamed action), but a mistyped id
 * should not pass for a real comparison: say what is compared. */
static void
warn_if_unlike (IwbHistory *history,
                gint64      old_id,
                gint64      new_id)
{
  g_autoptr(IwbHistoryEntry) old_entry = iwb_history_get (history, old_id, NULL);
  g_autoptr(IwbHistoryEntry) new_entry = iwb_history_get (history, new_id, NULL);
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;

  if (old_entry == NULL || new_entry == NULL)
    return;
  old_text = describe_run (old_entry);
  new_text = describe_run (new_entry);
  if (g_str_equal (old_text, new_text))
    return;
  /* Translators: the two run ids, then what each one ran */
  fprintf (stderr, _("iwb history: note: run %lld is %s, run %lld is %s; comparing their results anyway\n"),
           (long long) old_id, old_text, (long long) new_id, new_text);
}

static int
cmd_diff (IwbHistory *history,
          gint64      old_id,
          gint64      new_id,
          Options    *opts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbHistoryComparison) cmp = NULL;
  gboolean json = g_strcmp0 (opts->format, "json") == 0;

  if (opts->format != NULL && !json && !g_str_equal (opts->format, "text"))
    return usage (_("diff: --format: expected text or json"));
  cmp = iwb_history_compare (history, old_id, new_id, &error);
  if (cmp == NULL)
    {
      fprintf (stderr, "iwb history: %s\n", error->message);
      return g_error_matches (error, IWB_ERROR, IWB_ERROR_NOT_FOUND) ? IWB_EXIT_USAGE : IWB_EXIT_FAILED;
    }
  warn_if_unlike (history, old_id, new_id);
  if (json)
    {
      g_autoptr(JsonNode) node = iwb_history_comparison_to_json (cmp);

      iwb_cli_print_json_line (stdout, node);
    }
  else
    {
      g_autofree char *summary = iwb_history_comparison_summary (cmp);
      g_autofree char *text = NULL;

      /* Translators: the two run ids, a summary of the differences, how rows were matched ("by their input rows" or "by position"). */
      printf (_("Run %lld → run %lld: %s (rows matched %s)\n"),
              (long long) old_id, (long long) new_id, summary, cmp->by_input ? _("by their input rows") : _("by position"));
      if (cmp->changes->len > 0)
        {
          text = iwb_json_diff_to_text (cmp->changes, iwb_cli_use_color (stdout)
                                                        ? IWB_JSON_DIFF_TEXT_COLOR
                                                        : IWB_JSON_DIFF_TEXT_NONE);
          fputs (text, stdout);
        }
    }
  return iwb_history_comparison_is_equal (cmp) ? IWB_EXIT_OK : IWB_EXIT_REPORTED;
}

static int
cmd_baseline (IwbHistory *history,
              gint64      id,
              Options    *opts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbHistoryEntry) e = iwb_history_get (history, id, &error);

  if (e == NULL)
    {
      fprintf (stderr, "iwb history: %s\n", error->message);
      return IWB_EXIT_USAGE;
    }
  if (opts->clear ? !iwb_history_clear_baseline (history, iwb_history_entry_get_integration (e),
                                                 iwb_history_entry_get_action (e), &error)
                  : !iwb_history_set_baseline (history, id, &error))
    {
      fprintf (stderr, "iwb history: %s\n", error->message);
      return IWB_EXIT_FAILED;
    }
  fprintf (stderr, opts->clear ? _("%s has no baseline now.\n")
                               : _("Run %2$lld is the baseline of %1$s now.\n"),
           iwb_history_entry_get_action (e) ? iwb_history_entry_get_action (e) : _("the connection"),
           (long long) id);
  return IWB_EXIT_OK;
}

int
iwb_cmd_history (int    argc,
                 char **argv)
{
  Options opts = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbHistory) history = NULL;
  const char *command;
  gint64 id1 = 0, id2 = 0;
  int status;
  GOptionEntry entries[] = {
    { "action", 'a', 0, G_OPTION_ARG_STRING, &opts.action,
      N_("list: only this action (entrypoint or function name; \"\" for connection validations)"),
      N_("ACTION") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &opts.status,
      N_("list: only this status (succeeded, reported-errors, failed, timed-out, cancelled)"),
      N_("STATUS") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &opts.search,
      N_("list: only runs whose action, profile or status contains TEXT"), N_("TEXT") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &opts.limit,
      N_("list: at most N runs"), N_("N") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &opts.format,
      N_("text (default); jsonl for list; json for show and diff"), N_("FORMAT") },
    { "clear", 0, 0, G_OPTION_ARG_NONE, &opts.clear,
      N_("baseline: unpin the baseline of run ID's action"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("list|show|diff|baseline … — the run history"));
  g_option_context_set_summary (context, _("Recorded validations and runs."));
  g_option_context_set_description (context, _(history_description));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("iwb history");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage (error->message);
  if (argc < 2)
    return usage (_("expected a command: list, show, diff or baseline"));
  command = argv[1];
  if (g_str_equal (command, "list") ? argc > 3
      : g_str_equal (command, "show") || g_str_equal (command, "baseline")
        ? argc != 3 || !parse_id (argv[2], &id1)
      : g_str_equal (command, "diff")
        ? argc != 4 || !parse_id (argv[2], &id1) || !parse_id (argv[3], &id2)
      : TRUE)
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s”: expected list [FOLDER], show ID, diff ID1 ID2 or baseline ID "
                           "(IDs are numbers from “iwb history list”)"), command);

      return usage (message);
    }
  if (opts.limit < 0)
    return usage (_("--limit: expected a positive number"));

  history = iwb_history_open (NULL, &error);
  if (history == NULL)
    {
      fprintf (stderr, "iwb history: %s\n", error->message);
      return IWB_EXIT_FAILED;
    }
  if (g_str_equal (command, "list"))
    status = cmd_list (history, argc == 3 ? argv[2] : NULL, &opts);
  else if (g_str_equal (command, "show"))
    status = cmd_show (history, id1, &opts);
  else if (g_str_equal (command, "diff"))
    status = cmd_diff (history, id1, id2, &opts);
  else
    status = cmd_baseline (history, id1, &opts);
  {
    g_auto(GStrv) warnings = iwb_history_dup_warnings (history);

    for (guint i = 0; warnings[i] != NULL; i++)
      fprintf (stderr, _("iwb: warning: %s\n"), warnings[i]);
  }
  g_free (opts.action);
  g_free (opts.status);
  g_free (opts.search);
  g_free (opts.format);
  return status;
}

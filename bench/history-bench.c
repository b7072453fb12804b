/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Run history benchmark (helper stores): build-dir/bench/history-bench [--runs N] [--markdown]
 *
 * 1. Open a history of N runs (default 10,000) and list it all, as the
 *    History view does when it opens: IwbHistory (open, migrate check,
 *    writer thread, one IwbHistoryEntry per run) against the bare SQLite
 *    baseline (open the file, step the same SELECT, build nothing).
 *    Goal: <= 100 ms.
 * 2. Longest main-loop stall while recording 100,000 results: events are
 *    fed from the main loop in batches (as an IwbRun emits them) and a 1 ms
 *    timer notes the longest gap between its calls; baseline: the same feed
 *    without recording. Goal: <= 50 ms.
 * The recording overhead of a whole `iwb run` is bench/history.py.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench-history-util.h"
#include "iwb-core.h"

static void
record_small (IwbHistory *history,
              guint       i)
{
  g_autofree char *integration = g_strdup_printf ("/srv/integration-%u", i % 20);
  IwbHistoryRunInfo info = { IWB_HISTORY_KIND_RUN, integration, "main.search", "demo", NULL, NULL, NULL };
  IwbRunCounts counts = { .rows_in = 3, .results = 3 };

  bench_history_record_run (history, &info, i, &counts, IWB_RUN_STATUS_SUCCEEDED, 0, "ok");
}

static double
bare_sqlite_list (const char *path,
                  guint      *n)
{
  gint64 t0 = g_get_monotonic_time ();
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  *n = 0;
  sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  sqlite3_prepare_v2 (db, "SELECT id, kind, integration, action, profile, started, duration_ms, "
                          "status, exit_code, n_inputs, n_results, n_row_errors, n_log_lines "
                          "FROM runs ORDER BY id DESC", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    (*n)++;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static double
iwb_list (const char *path,
          guint      *n)
{
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbHistory) history = iwb_history_open (path, &error);
  g_autoptr(GPtrArray) entries = NULL;
  double ms;

  g_assert_no_error (error);
  entries = iwb_history_list (history, NULL, &error);
  g_assert_no_error (error);
  ms = (g_get_monotonic_time () - t0) / 1000.0;
  *n = entries->len;
  return ms;
}

typedef struct
{
  IwbHistoryRecording *rec;      /* NULL: baseline */
  guint                fed;
  guint                total;
  gint64               last_tick;
  gint64               max_gap;
  double               cpu_ms;   /* main-thread CPU time spent feeding */
  GMainLoop           *loop;
} Feed;

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static gboolean
tick (gpointer data)
{
  Feed *f = data;
  gint64 now = g_get_monotonic_time ();

  if (f->last_tick)
    f->max_gap = MAX (f->max_gap, now - f->last_tick);
  f->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
feed_batch (gpointer data)
{
  Feed *f = data;
  double cpu0 = thread_cpu_ms ();

  for (guint i = 0; i < 500 && f->fed < f->total; i++, f->fed++)
    {
      g_autofree char *text = g_strdup_printf ("{\"i\": %u, \"text\": \"result row\"}", f->fed);
      g_autoptr(JsonNode) payload = json_from_string (text, NULL);
      g_autoptr(IwbRunEvent) event = iwb_run_event_new_result (IWB_RUN_EVENT_RESULT, f->fed, payload,
                                                               NULL, NULL);

      if (f->rec)
        iwb_history_recording_add_event (f->rec, event);
    }
  f->cpu_ms += thread_cpu_ms () - cpu0;
  if (f->fed < f->total)
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (f->loop);
  return G_SOURCE_REMOVE;
}

static double
stall (IwbHistory *history,
       guint       total,
       double     *persisted_ms,
       double     *cpu_ms)
{
  Feed f = { .total = total, .loop = g_main_loop_new (NULL, FALSE) };
  IwbHistoryRunInfo info = { IWB_HISTORY_KIND_RUN, "/srv/big", "main.many", NULL, NULL, NULL, NULL };
  guint timer = g_timeout_add (1, tick, &f);
  gint64 t0 = g_get_monotonic_time ();

  if (history)
    f.rec = iwb_history_begin (history, &info);
  g_idle_add (feed_batch, &f);
  g_main_loop_run (f.loop);
  g_source_remove (timer);
  if (f.rec)
    {
      IwbRunCounts counts = { .results = total };
      g_autoptr(IwbRunEvent) done = iwb_run_event_new_finished (0, IWB_RUN_STATUS_SUCCEEDED, 0, "ok",
                                                                1, &counts);
      g_autoptr(GError) error = NULL;

      iwb_history_recording_add_event (f.rec, done);
      g_assert_cmpint (iwb_history_recording_wait (f.rec, &error), >, 0);
      iwb_history_recording_unref (f.rec);
    }
  *persisted_ms = (g_get_monotonic_time () - t0) / 1000.0;
  *cpu_ms = f.cpu_ms;
  g_main_loop_unref (f.loop);
  return f.max_gap / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  gboolean markdown = FALSE;
  int runs = 10000;
  int results = 100000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("iwb-bench-history-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "history.sqlite", NULL);
  g_autofree char *path2 = g_build_filename (dir, "stall.sqlite", NULL);
  g_autoptr(GArray) bare = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(IwbHistory) history = NULL;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs in the history (10000)", "N" },
    { "results", 0, 0, G_OPTION_ARG_INT, &results, "Results of the recorded run (100000)", "N" },
    { "markdown", 0, 0, G_OPTION_ARG_NONE, &markdown, "Print a Markdown table", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— run history benchmark");
  double build_ms, stall_base, stall_rec, persisted_base, persisted_rec, cpu_base, cpu_rec;
  gint64 t0;
  guint n_bare = 0, n_ours = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 64;
    }
  g_assert_no_error (error);

  /* 1. a history of N runs */
  t0 = g_get_monotonic_time ();
  history = iwb_history_open (path, &error);
  g_assert_no_error (error);
  iwb_history_set_retention (history, 0, 0);
  for (int i = 0; i < runs; i++)
    record_small (history, i);
  iwb_history_flush (history);
  g_clear_object (&history);
  build_ms = (g_get_monotonic_time () - t0) / 1000.0;
  for (int r = 0; r < 7; r++)
    {
      double b = bare_sqlite_list (path, &n_bare);
      double o = iwb_list (path, &n_ours);

      g_array_append_val (bare, b);
      g_array_append_val (ours, o);
    }
  g_assert_cmpuint (n_bare, ==, (guint) runs);
  g_assert_cmpuint (n_ours, ==, (guint) runs);

  /* 2. main-loop stall while recording */
  history = iwb_history_open (path2, &error);
  g_assert_no_error (error);
  stall_base = stall (NULL, results, &persisted_base, &cpu_base);
  stall_rec = stall (history, results, &persisted_rec, &cpu_rec);
  g_clear_object (&history);

  if (markdown)
    {
      printf ("| measurement | value | note |\n| --- | --- | --- |\n");
      printf ("| build a history of %d runs (3 results each) | %.0f ms | %.0f runs/s through the writer thread |\n",
              runs, build_ms, runs / (build_ms / 1000.0));
      printf ("| bare SQLite: open + step all %d runs (baseline) | %.1f ms | median of 7 |\n",
              runs, bench_median (bare));
      printf ("| IwbHistory: open + list all %d runs | %.1f ms | ratio %.2f; goal <= 100 ms |\n",
              runs, bench_median (ours), bench_median (ours) / bench_median (bare));
      printf ("| longest main-loop gap, feeding %d results, no history (baseline) | %.1f ms | 1 ms timer |\n",
              results, stall_base);
      printf ("| longest main-loop gap, feeding and recording %d results | %.1f ms | goal <= 50 ms |\n",
              results, stall_rec);
      printf ("| main-thread CPU time feeding %d results: without / with recording | %.0f ms / %.0f ms | "
              "+%.1f µs per result on the main thread |\n",
              results, cpu_base, cpu_rec, (cpu_rec - cpu_base) * 1000.0 / results);
      printf ("| until the %d results are committed | %.0f ms | feeding alone: %.0f ms |\n",
              results, persisted_rec, persisted_base);
    }
  else
    {
      printf ("history of %d runs built in %.0f ms\n", runs, build_ms);
      printf ("open + list %d runs: %.1f ms (bare SQLite %.1f ms, ratio %.2f; goal <= 100 ms)\n",
              runs, bench_median (ours), bench_median (bare), bench_median (ours) / bench_median (bare));
      printf ("longest main-loop gap: %.1f ms recording %d results, %.1f ms without (goal <= 50 ms)\n",
              stall_rec, results, stall_base);
      printf ("main-thread CPU feeding: %.0f ms without, %.0f ms with recording\n", cpu_base, cpu_rec);
      printf ("committed after %.0f ms (feeding alone %.0f ms)\n", persisted_rec, persisted_base);
    }
  g_unlink (path);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);

        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return 0;
}

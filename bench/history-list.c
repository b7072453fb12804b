/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * history-list: how long the window's History page takes to open a
 * history of 10,000 runs and show its first page, against listing all
 * 10,000 with IwbHistory alone (no window) in the same run. Under Xvfb:
 *
 *   xvfb-run -a BUILDDIR/bench/history-list [--runs N] [--repeat N]
 *                                           [--priority rt|nice|normal] [--markdown]
 *
 * page: in a window already on screen, the history opened the way the
 * window's session opens it (iwb_history_open_async(): no I/O on the main
 * thread) and a new History page, until its first page of entries is in
 * the list model and a frame was drawn.
 * first page alone: IwbHistory without a window, what the page's thread
 * does (a page of 100, newest first, and the count of the listing).
 *
 * --priority (default rt): the whole process at SCHED_FIFO 10 (or nice
 * -10), so the other work of a loaded machine does not preempt it.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "bench-history-util.h"
#include "iwb-core.h"
#include "iwb-malloc.h"
#include "iwb-history-page.h"
#include "iwb-resources.h"

#include "bench-priority.h"

static void
record_small (IwbHistory *history,
              const char *integration,
              guint       i)
{
  IwbHistoryRunInfo info = { IWB_HISTORY_KIND_RUN, integration, i % 3 ? "main.search" : "main.create",
                             "demo", NULL, NULL, NULL };
  IwbRunCounts counts = { .rows_in = 1, .results = 2 };

  bench_history_record_run (history, &info, i, &counts,
                            i % 7 ? IWB_RUN_STATUS_SUCCEEDED : IWB_RUN_STATUS_REPORTED_ERRORS,
                            i % 7 ? 0 : 1, NULL);
}

static gboolean drawn;

static gboolean
on_frame (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       user_data)
{
  drawn = TRUE;
  return G_SOURCE_CONTINUE;
}

static void
opened (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(IwbHistory **) user_data = iwb_history_open_finish (result, &error);
  g_assert_no_error (error);
}

/* In a window that is already on screen (the app runs; the user opens the
 * History page): a new session and page each time. */
static double
open_page (GtkWidget  *window,
           const char *path,
           GFile      *folder,
           guint      *listed,
           gint64     *total,
           double     *first_drawn_ms)
{
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(IwbSession) session = iwb_session_new ();
  IwbHistoryPage *page;
  double ms;

  iwb_history_open_async (path, NULL, opened, &history);
  while (history == NULL)
    g_main_context_iteration (NULL, TRUE);
  iwb_session_set_folder (session, folder);
  iwb_session_set_history (session, history);
  page = iwb_history_page_new (session);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_widget_add_tick_callback (GTK_WIDGET (page), on_frame, NULL, NULL);
  if (g_getenv ("HISTORY_LIST_DEBUG"))
    g_printerr ("page made after %.1f ms\n", (g_get_monotonic_time () - t0) / 1000.0);
  /* the first entries on screen (the page adds a screenful first) */
  while (g_list_model_get_n_items (iwb_history_page_get_entries (page)) == 0)
    g_main_context_iteration (NULL, TRUE);
  drawn = FALSE;
  while (!drawn)
    g_main_context_iteration (NULL, TRUE);
  *first_drawn_ms = (g_get_monotonic_time () - t0) / 1000.0;
  /* then the whole first page */
  while (iwb_history_page_get_total (page) < 0 || iwb_history_page_get_busy (page))
    g_main_context_iteration (NULL, TRUE);
  if (g_getenv ("HISTORY_LIST_DEBUG"))
    g_printerr ("listed after %.1f ms\n", (g_get_monotonic_time () - t0) / 1000.0);
  drawn = FALSE;
  while (!drawn)
    g_main_context_iteration (NULL, TRUE);
  ms = (g_get_monotonic_time () - t0) / 1000.0;
  *listed = g_list_model_get_n_items (iwb_history_page_get_entries (page));
  *total = iwb_history_page_get_total (page);
  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("…"));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  return ms;
}

static double
core_first_page (const char *path,
                 const char *integration)
{
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbHistory) history = iwb_history_open (path, &error);
  IwbHistoryQuery query = { .integration = integration, .limit = 100 };
  g_autoptr(GPtrArray) entries = NULL;
  gint64 n;

  g_assert_no_error (error);
  entries = iwb_history_list (history, &query, &error);
  g_assert_no_error (error);
  n = iwb_history_count (history, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, MIN (100, n));
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static double
core_list_all (const char *path,
               const char *integration,
               guint      *n)
{
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbHistory) history = iwb_history_open (path, &error);
  IwbHistoryQuery query = { .integration = integration };
  g_autoptr(GPtrArray) entries = NULL;

  g_assert_no_error (error);
  entries = iwb_history_list (history, &query, &error);
  g_assert_no_error (error);
  *n = entries->len;
  return (g_get_monotonic_time () - t0) / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  int runs = 10000, repeat = 5;
  gboolean markdown = FALSE;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("iwb-bench-history-list-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "history.sqlite", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autofree char *integration = iwb_store_integration_key (folder);
  g_autoptr(GArray) page_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) core_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) first_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) drawn_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *priority_name = NULL;
  g_autofree char *priority = NULL;
  BenchPriority wanted;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs in the history (10000)", "N" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Measurements of each (5)", "N" },
    { "markdown", 0, 0, G_OPTION_ARG_NONE, &markdown, "Print a Markdown table", NULL },
    { "priority", 0, 0, G_OPTION_ARG_STRING, &priority_name,
      "Scheduling priority of the process: rt (SCHED_FIFO 10, the default), nice (-10) or normal", "P" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the History page over a big history");
  guint listed = 0, n_core = 0;
  gint64 total = 0;
  const char *rm[] = { "rm", "-rf", dir, NULL };
  GtkWidget *window;

  iwb_malloc_setup (); /* as the window does */
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 64;
    }
  if (!bench_priority_parse (priority_name, &wanted))
    {
      fprintf (stderr, "--priority: rt, nice or normal\n");
      return 64;
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  adw_init ();
  g_resources_register (iwb_get_resource ());

  {
    g_autoptr(IwbHistory) history = iwb_history_open (path, &error);

    g_assert_no_error (error);
    iwb_history_set_retention (history, 0, 0);
    for (int i = 0; i < runs; i++)
      record_small (history, integration, i);
    iwb_history_flush (history);
  }
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("…"));
  gtk_window_present (GTK_WINDOW (window));
  for (gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2; g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, FALSE);
  /* every thread from now on, and the ones started later (GTask's) */
  {
    g_autofree char *threads = bench_priority_apply (wanted, FALSE);
    g_autofree char *server = wanted != BENCH_PRIORITY_NORMAL ? bench_priority_apply_display (wanted)
                                                              : g_strdup ("display server: not changed");

    priority = g_strdup_printf ("%s; %s", threads, server);
  }
  for (int r = 0; r < repeat; r++)
    {
      double c = core_list_all (path, integration, &n_core);
      double f = core_first_page (path, integration);
      double d;
      double p = open_page (window, path, folder, &listed, &total, &d);

      g_array_append_val (drawn_ms, d);
      g_array_append_val (core_ms, c);
      g_array_append_val (first_ms, f);
      g_array_append_val (page_ms, p);
    }
  g_assert_cmpuint (n_core, ==, (guint) runs);
  g_assert_cmpint (total, ==, runs);
  {
    g_autofree char *loadavg = NULL;

    g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL);
    printf ("Process priority: %s; load average at the end: %.1f\n\n", priority,
            loadavg ? g_ascii_strtod (loadavg, NULL) : 0.0);
  }
  if (markdown)
    {
      printf ("| measurement | value | note |\n| --- | --- | --- |\n");
      printf ("| IwbHistory alone: open + first page (100) + count of %d runs | %.1f ms | median of %d |\n",
              runs, bench_median (first_ms), repeat);
      printf ("| IwbHistory alone: open + list all %d runs (baseline) | %.1f ms | median of %d |\n",
              runs, bench_median (core_ms), repeat);
      printf ("| History page: open the history, first entries drawn | %.1f ms | ratio %.2f; goal <= 100 ms: %s |\n",
              bench_median (drawn_ms), bench_median (drawn_ms) / bench_median (core_ms),
              bench_median (drawn_ms) <= 100 ? "met" : "not met");
      printf ("| History page: open the history, whole first page (%u entries) listed and drawn | %.1f ms | "
              "ratio %.2f |\n", listed, bench_median (page_ms), bench_median (page_ms) / bench_median (core_ms));
    }
  else
    printf ("History page over %d runs: first entries drawn after %.1f ms (goal <= 100 ms: %s), the whole "
            "first page (%u) after %.1f ms; IwbHistory listing all: %.1f ms (ratio %.2f), first page + count: "
            "%.1f ms\n", runs, bench_median (drawn_ms), bench_median (drawn_ms) <= 100 ? "met" : "not met", listed,
            bench_median (page_ms), bench_median (core_ms), bench_median (drawn_ms) / bench_median (core_ms),
            bench_median (first_ms));
  g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  return 0;
}

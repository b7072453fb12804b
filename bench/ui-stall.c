/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ui-stall: how long the window's main loop stalls while 100,000 result
 * rows stream into a run view, against the floor of the same main loop
 * idling under the same CPU load. Run it under Xvfb:
 *
 *   xvfb-run -a BUILDDIR/bench/ui-stall [--rows N] [--repeat N] [--markdown]
 *
 * The window shows a spinning GtkSpinner, so the frame clock ticks all the
 * time; two clocks measure the stall:
 *  - frame gap: the longest time between two frames (what a user sees);
 *  - loop gap: the longest time between two runs of a 5 ms timer at default
 *    priority (how long the loop was busy with something else).
 *
 * floor:  `iwb run` of the same action (child, parsing, 100,000 results)
 *         runs in another process, writing to /dev/null; the window idles.
 * stream: the window runs the action itself (IwbSession -> IwbRun) and
 *         the run view takes every result.
 * The floor phase loads the CPU the way the stream phase does, so the
 * difference is what streaming costs the window.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "iwb-core.h"
#include "iwb-resources.h"
#include "iwb-run-view.h"

#define TIMER_MS 5

typedef struct
{
  gint64 last_frame;
  gint64 max_frame_gap;
  gint64 last_tick;
  gint64 max_loop_gap;
  gint64 started;
  guint  frames;
  gboolean on;
} Stall;

static Stall stall;
static gboolean no_view;
static gboolean with_history; /* --history (guihist): the session records every run */

static gboolean
on_frame (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (stall.on && stall.last_frame > 0)
    stall.max_frame_gap = MAX (stall.max_frame_gap, now - stall.last_frame);
  stall.last_frame = now;
  stall.frames++;
  return G_SOURCE_CONTINUE;
}

static gboolean
on_timer (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (stall.on && stall.last_tick > 0)
    stall.max_loop_gap = MAX (stall.max_loop_gap, now - stall.last_tick);
  if (stall.on && stall.last_tick > 0 && now - stall.last_tick > 150000 && g_getenv ("UI_STALL_DEBUG"))
    g_printerr ("DBG gap %d ms ending at +%d ms\n", (int) ((now - stall.last_tick) / 1000), (int) ((now - stall.started) / 1000));
  stall.last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
stall_start (void)
{
  memset (&stall, 0, sizeof stall);
  stall.on = TRUE;
  stall.started = g_get_monotonic_time ();
}

static void
iterate_until (gboolean *done)
{
  while (!*done)
    g_main_context_iteration (NULL, TRUE);
}

static void
loaded (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  IwbIntegration **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = iwb_loader_load_finish (IWB_LOADER (source), result, &error);
  if (*out == NULL)
    g_error ("Cannot load the fixture: %s", error->message);
}

static void
floor_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error))
    g_error ("iwb run failed: %s", error->message);
  *(gboolean *) user_data = TRUE;
}

static void
measure_floor (const char *iwb,
               const char *folder,
               const char *rows_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) child = NULL;
  gboolean done = FALSE;

  child = g_subprocess_launcher_spawn (launcher, &error, iwb, "run", folder, "main.many",
                                       "--set", "API_KEY=open-sesame", "--set", "REGION=eu", "--input", rows_path,
                                       "--format", "jsonl", "--timeout", "0", NULL);
  if (child == NULL)
    g_error ("Cannot start %s: %s", iwb, error->message);
  stall_start ();
  g_subprocess_wait_check_async (child, NULL, floor_done, &done);
  iterate_until (&done);
  stall.on = FALSE;
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!iwb_run_start_finish (IWB_RUN (source), result, &error))
    g_error ("The run failed to start: %s", error->message);
  *(gboolean *) user_data = TRUE;
}

static guint
measure_stream (IwbSession *session,
                IwbRunView *view,
                guint       n_rows,
                gboolean    on_main_thread)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IwbRun) run = iwb_session_create_run (session, IWB_RUN_EXECUTE, "main.many", &error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *row = json_object_new ();
  gboolean done = FALSE;

  if (run == NULL)
    g_error ("Cannot create the run: %s", error->message);
  json_object_set_string_member (row, "count", g_strdup_printf ("%u", n_rows));
  g_ptr_array_add (rows, row);
  iwb_run_set_rows (run, rows);
  iwb_run_set_timeout (run, 0);
  if (!no_view)
    iwb_run_view_attach (view, run, rows);
  stall_start ();
  if (on_main_thread)
    /* The way the window ran it before IwbSession drove runs on a thread:
     * reading and parsing on the window's own loop. */
    iwb_run_start_async (run, NULL, run_done, &done);
  else
    iwb_session_start_run (session, run, NULL, run_done, &done);
  iterate_until (&done);
  if (g_getenv ("UI_STALL_DEBUG"))
    g_printerr ("DBG run done at +%d ms\n", (int) ((g_get_monotonic_time () - stall.started) / 1000));
  while (iwb_run_view_get_n_pending (view) > 0)
    g_main_context_iteration (NULL, TRUE);
  stall.on = FALSE;
  if (iwb_run_get_status (run) != IWB_RUN_STATUS_SUCCEEDED)
    g_error ("The run did not succeed (status %d)", iwb_run_get_status (run));
  return no_view ? iwb_run_get_counts (run)->results : g_list_model_get_n_items (iwb_run_view_get_results (view));
}

static int
cmp_gint64 (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
median_ms (GArray *values)
{
  g_array_sort (values, cmp_gint64);
  return g_array_index (values, gint64, values->len / 2) / 1000.0;
}

static double
max_ms (GArray *values)
{
  gint64 m = 0;

  for (guint i = 0; i < values->len; i++)
    m = MAX (m, g_array_index (values, gint64, i));
  return m / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  int n_rows = 100000;
  int repeat = 3;
  gboolean markdown = FALSE;
  gboolean compare = FALSE;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT, &n_rows, "Results streamed per run (default 100000)", "N" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Runs of each phase (default 3)", "N" },
    { "markdown", 0, 0, G_OPTION_ARG_NONE, &markdown, "Print a Markdown table", NULL },
    { "compare", 0, 0, G_OPTION_ARG_NONE, &compare,
      "Also stream with the run on the window's own loop (before IwbSession's run thread)", NULL },
    { "history", 0, 0, G_OPTION_ARG_NONE, &with_history,
      "Record every run of the stream phase in a run history (a temporary SQLite file)", NULL },
    { "no-view", 0, 0, G_OPTION_ARG_NONE, &no_view,
      "Stream phase without a run view: what the IwbRun alone costs the loop", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the window's longest stall while results stream");
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *iwb = NULL;
  g_autofree char *rows_path = NULL;
  g_autofree char *rows_text = NULL;
  g_autoptr(IwbSession) session = NULL;
  g_autoptr(IwbLoader) loader = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  g_autoptr(JsonNode) descriptor = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GArray) floor_frame = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) floor_loop = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) stream_frame = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) stream_loop = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) main_frame = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) main_loop = g_array_new (FALSE, FALSE, sizeof (gint64));
  GtkWidget *window, *box, *spinner;
  IwbRunView *view;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("PYTHONDONTWRITEBYTECODE", "1", TRUE);
  gtk_init ();
  adw_init ();
  g_resources_register (iwb_get_resource ());

  folder = g_build_filename (IWB_SOURCE_ROOT, "tests", "ui-fixtures", "workbench", NULL);
  iwb = g_build_filename (IWB_BUILD_ROOT, "src", "cli", "iwb", NULL);
  rows_path = g_build_filename (g_get_tmp_dir (), "iwb-ui-stall-rows.jsonl", NULL);
  rows_text = g_strdup_printf ("{\"count\": \"%d\"}\n", n_rows);
  if (!g_file_set_contents (rows_path, rows_text, -1, &error))
    g_error ("%s", error->message);

  session = iwb_session_new ();
  file = g_file_new_for_path (folder);
  iwb_session_set_folder (session, file);
  loader = iwb_session_create_loader (session);
  iwb_loader_load_async (loader, file, NULL, loaded, &integration);
  while (integration == NULL)
    g_main_context_iteration (NULL, TRUE);
  descriptor = iwb_descriptor_build (integration);
  iwb_session_set_integration (session, integration, descriptor, descriptor);
  iwb_session_set_value (session, IWB_SESSION_SCOPE_CONNECTION, "API_KEY", "open-sesame",
                         IWB_SESSION_VALUE_TYPED | IWB_SESSION_VALUE_SECRET);
  iwb_session_set_value (session, IWB_SESSION_SCOPE_CONNECTION, "REGION", "eu", IWB_SESSION_VALUE_TYPED);
  if (with_history)
    {
      g_autofree char *db = g_build_filename (g_get_tmp_dir (), "iwb-ui-stall-history.sqlite", NULL);
      g_autoptr(IwbHistory) history = NULL;

      g_unlink (db);
      history = iwb_history_open (db, &error);
      if (history == NULL)
        g_error ("%s", error->message);
      iwb_session_set_history (session, history);
    }

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  spinner = gtk_spinner_new ();
  gtk_spinner_start (GTK_SPINNER (spinner));
  view = iwb_run_view_new ();
  gtk_widget_set_vexpand (GTK_WIDGET (view), TRUE);
  gtk_box_append (GTK_BOX (box), spinner);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (view));
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  iwb_run_view_set_visible_tab (view, "results");
  gtk_widget_add_tick_callback (spinner, on_frame, NULL, NULL);
  g_timeout_add (TIMER_MS, on_timer, NULL);
  /* Let the window map and draw. */
  for (gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2; g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, FALSE);

  for (int i = 0; i < repeat; i++)
    {
      guint n;

      measure_floor (iwb, folder, rows_path);
      g_array_append_val (floor_frame, stall.max_frame_gap);
      g_array_append_val (floor_loop, stall.max_loop_gap);
      n = measure_stream (session, view, n_rows, FALSE);
      if (n != (guint) n_rows)
        g_error ("The view shows %u results, not %d (%s)", n, n_rows, iwb_run_view_get_status_text (view));
      g_array_append_val (stream_frame, stall.max_frame_gap);
      g_array_append_val (stream_loop, stall.max_loop_gap);
      g_printerr ("run %d: floor frame %.0f ms loop %.0f ms; stream frame %.0f ms loop %.0f ms", i + 1,
                  g_array_index (floor_frame, gint64, i) / 1000.0, g_array_index (floor_loop, gint64, i) / 1000.0,
                  g_array_index (stream_frame, gint64, i) / 1000.0, g_array_index (stream_loop, gint64, i) / 1000.0);
      if (compare)
        {
          n = measure_stream (session, view, n_rows, TRUE);
          if (n != (guint) n_rows)
            g_error ("The view shows %u results, not %d", n, n_rows);
          g_array_append_val (main_frame, stall.max_frame_gap);
          g_array_append_val (main_loop, stall.max_loop_gap);
          g_printerr ("; on the window's loop frame %.0f ms loop %.0f ms",
                      stall.max_frame_gap / 1000.0, stall.max_loop_gap / 1000.0);
        }
      g_printerr ("\n");
    }

  if (markdown)
    {
      g_print ("| %d results, %d runs | floor (idle window, same load) | streaming into the run view |\n", n_rows, repeat);
      g_print ("| --- | ---: | ---: |\n");
      g_print ("| longest frame gap, median of runs | %.0f ms | %.0f ms |\n", median_ms (floor_frame), median_ms (stream_frame));
      g_print ("| longest frame gap, worst run | %.0f ms | %.0f ms |\n", max_ms (floor_frame), max_ms (stream_frame));
      g_print ("| longest loop gap, median of runs | %.0f ms | %.0f ms |\n", median_ms (floor_loop), median_ms (stream_loop));
      g_print ("| longest loop gap, worst run | %.0f ms | %.0f ms |\n", max_ms (floor_loop), max_ms (stream_loop));
      if (compare)
        g_print ("| run on the window's own loop (before): longest frame gap, median / worst | | %.0f ms / %.0f ms |\n",
                 median_ms (main_frame), max_ms (main_frame));
    }
  else
    {
      g_print ("%d results, %d runs (medians; worst in brackets)\n", n_rows, repeat);
      g_print ("  floor  : longest frame gap %6.0f ms (%.0f)   longest loop gap %6.0f ms (%.0f)\n",
               median_ms (floor_frame), max_ms (floor_frame), median_ms (floor_loop), max_ms (floor_loop));
      g_print ("  stream : longest frame gap %6.0f ms (%.0f)   longest loop gap %6.0f ms (%.0f)\n",
               median_ms (stream_frame), max_ms (stream_frame), median_ms (stream_loop), max_ms (stream_loop));
      if (compare)
        g_print ("  before : longest frame gap %6.0f ms (%.0f)   longest loop gap %6.0f ms (%.0f)   (run on the window's loop)\n",
                 median_ms (main_frame), max_ms (main_frame), median_ms (main_loop), max_ms (main_loop));
    }
  g_unlink (rows_path);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

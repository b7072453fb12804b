/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ui-stall: how long the window's main loop stalls while 100,000 result
 * rows stream into a run view, against the floor of the same main loop
 * idling under the same CPU load. Run it under Xvfb:
 *
 *   xvfb-run -a BUILDDIR/bench/ui-stall [--rows N] [--repeat N] [--history]
 *                                       [--priority rt|nice|normal] [--markdown]
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
 * recorded (--history): the stream phase with the session recording every
 *         run in a run history (a temporary SQLite file).
 * The floor phase loads the CPU the way the stream phase does, so the
 * difference is what streaming costs the window.
 * warm-up: before the measured runs, one stream of 1,000 results, reported
 *         on its own and not judged: the first results a window draws.
 *         With an empty shader cache (a new machine, a new Mesa) the GL
 *         renderer's shaders for them are compiled during that draw
 *         (llvmpipe: 70-80 ms at once, reproduced by removing
 *         ~/.cache/mesa_shader_cache; none with GSK_RENDERER=cairo), once
 *         per machine, after which they come from the cache.
 *
 * Priority (--priority, default rt): every thread the window's process
 * has before the first phase (main, renderer, GLib's) runs at SCHED_FIFO
 * 10 (or nice -10) in every phase, so the other work of a loaded machine
 * does not preempt it (nor a lock one of them holds). What starts later is
 * at normal priority (reset on fork): the integration's process, which is
 * load, and the run's thread, which lowers itself to nice 10 as in the app
 * (the window's loop goes first). It used to be raised to the window's
 * SCHED_FIFO 10 too, which the app never does: a FIFO thread is not
 * preempted by another of the same priority, so a batch being parsed held
 * its core against the window's and the renderer's threads. The floor's
 * `iwb run` does what the run's thread does and runs at nice 10 too, its
 * integration process at normal priority. What is left of the floor is
 * the window's own drawing; what the stream adds is what handling the
 * results costs the main loop. Main-thread CPU time per phase is reported
 * too (it depends less on the load).
 */
#define _GNU_SOURCE /* RUSAGE_THREAD */
#include "config.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <adwaita.h>

#include "iwb-core.h"
#include "iwb-malloc.h"
#include "iwb-resources.h"
#include "iwb-run-view.h"

#include "bench-priority.h"

extern char **environ;

#define TIMER_MS 5
#define WARMUP_ROWS 1000

typedef struct
{
  gint64 last_frame;
  gint64 max_frame_gap;
  gint64 last_tick;
  gint64 max_loop_gap;
  gint64 started;
  gint64 cpu_started;
  gint64 cpu;        /* main thread CPU time of the phase, µs */
  guint  frames;
  gboolean on;
} Stall;

static Stall stall;
static Stall warm_up;  /* the first stream, before the measured runs */
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

static gint64 thread_cpu_us (void);
static gint64 last_tick_cpu;

/* With UI_STALL_DEBUG: the main loop's polls since the last tick, to tell
 * a long gap spent waiting in poll() for longer than it asked (the thread
 * woken late: the machine) from one spent blocked elsewhere (a lock, the
 * display server). */
static GPollFunc real_poll;
static gint64 poll_waited_us, poll_late_us;

static gint
timed_poll (GPollFD *fds,
            guint    n_fds,
            gint     timeout_ms)
{
  gint64 start = g_get_monotonic_time ();
  gint result = real_poll (fds, n_fds, timeout_ms);
  gint64 took = g_get_monotonic_time () - start;

  poll_waited_us += took;
  if (timeout_ms >= 0 && result == 0)
    poll_late_us = MAX (poll_late_us, took - (gint64) timeout_ms * 1000);
  return result;
}
static long last_tick_waits, last_tick_preempted;

/* The main thread's context switches so far: it waited (blocked: a lock,
 * the display server, a poll) or it was preempted. */
static void
thread_switches (long *waits,
                 long *preempted)
{
  struct rusage usage;

  if (getrusage (RUSAGE_THREAD, &usage) != 0)
    {
      *waits = *preempted = 0;
      return;
    }
  *waits = usage.ru_nvcsw;
  *preempted = usage.ru_nivcsw;
}

static gboolean debug;  /* UI_STALL_DEBUG: every gap over 40 ms printed, with what the thread did */

static gboolean
on_timer (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  long waits, preempted;

  if (stall.on && stall.last_tick > 0)
    stall.max_loop_gap = MAX (stall.max_loop_gap, now - stall.last_tick);
  if (!debug)
    {
      stall.last_tick = now;
      return G_SOURCE_CONTINUE;
    }
  thread_switches (&waits, &preempted);
  if (stall.on && stall.last_tick > 0 && now - stall.last_tick > 40000)
    g_printerr ("DBG gap %d ms (main-thread CPU %d ms; it waited %ld times, was preempted %ld times; "
                "in poll() %d ms, woken up to %d ms after its timeout) "
                "ending at +%d ms, monotonic %.6f-%.6f\n", (int) ((now - stall.last_tick) / 1000),
                (int) ((thread_cpu_us () - last_tick_cpu) / 1000), waits - last_tick_waits,
                preempted - last_tick_preempted, (int) (poll_waited_us / 1000), (int) (poll_late_us / 1000),
                (int) ((now - stall.started) / 1000), stall.last_tick / 1e6, now / 1e6);
  poll_waited_us = 0;
  poll_late_us = 0;
  last_tick_waits = waits;
  last_tick_preempted = preempted;
  last_tick_cpu = thread_cpu_us ();
  stall.last_tick = now;
  return G_SOURCE_CONTINUE;
}

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The gaps count from the last frame and tick before the phase: a phase
 * that starts with a stall (clearing the last results) shows it. */
static void
stall_start (void)
{
  gint64 last_frame = stall.last_frame, last_tick = stall.last_tick;

  memset (&stall, 0, sizeof stall);
  stall.last_frame = last_frame;
  stall.last_tick = last_tick;
  stall.on = TRUE;
  stall.started = g_get_monotonic_time ();
  stall.cpu_started = thread_cpu_us ();
}

static void
stall_stop (void)
{
  stall.on = FALSE;
  stall.cpu = thread_cpu_us () - stall.cpu_started;
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
floor_done (GPid     pid,
            int      wait_status,
            gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_spawn_check_wait_status (wait_status, &error))
    g_error ("iwb run failed: %s", error->message);
  g_spawn_close_pid (pid);
  *(gboolean *) user_data = TRUE;
}

/* The floor's `iwb run` is what the window's run thread does, in a process
 * of its own: at the window's priority, its integration process (like the
 * window's) at normal priority. Started with posix_spawn, like the window
 * starts its children: a fork() of this process (hundreds of MB after a
 * few runs) would make the window's next page writes fault, and that is
 * not the window's own drawing. */
static void
measure_floor (const char *iwb,
               const char *folder,
               const char *rows_path)
{
  const char *argv[] = { iwb, "run", folder, "main.many", "--set", "API_KEY=open-sesame", "--set", "REGION=eu",
                         "--input", rows_path, "--format", "jsonl", "--timeout", "0", NULL };
  posix_spawn_file_actions_t actions;
  gboolean done = FALSE;
  pid_t pid;
  int r;

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  stall_start ();
  r = posix_spawn (&pid, iwb, &actions, NULL, (char * const *) argv, environ);
  posix_spawn_file_actions_destroy (&actions);
  if (r != 0)
    g_error ("Cannot start %s: %s", iwb, g_strerror (r));
  /* As the window's run thread lowers itself. */
  if (setpriority (PRIO_PROCESS, (id_t) pid, IWB_SESSION_RUN_THREAD_NICE) != 0)
    g_printerr ("Cannot lower the floor's iwb run: %s\n", g_strerror (errno));
  g_child_watch_add (pid, floor_done, &done);
  iterate_until (&done);
  stall_stop ();
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
    {
      /* Clearing the last run's results is the window's work too: measured
       * (it is the start of a new run in the window). */
      stall_start ();
      iwb_run_view_attach (view, run, rows);
    }
  else
    stall_start ();
  if (on_main_thread)
    /* The way the window ran it before IwbSession drove runs on a thread:
     * reading and parsing on the window's own loop. */
    iwb_run_start_async (run, NULL, run_done, &done);
  else
    iwb_session_start_run (session, run, NULL, run_done, &done);
  iterate_until (&done);
  if (debug)
    g_printerr ("DBG run done at +%d ms\n", (int) ((g_get_monotonic_time () - stall.started) / 1000));
  while (iwb_run_view_get_n_pending (view) > 0)
    g_main_context_iteration (NULL, TRUE);
  stall_stop ();
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
  g_autoptr(GArray) sorted = g_array_copy (values);

  g_array_sort (sorted, cmp_gint64);
  return g_array_index (sorted, gint64, sorted->len / 2) / 1000.0;
}

static double
max_ms (GArray *values)
{
  gint64 m = 0;

  for (guint i = 0; i < values->len; i++)
    m = MAX (m, g_array_index (values, gint64, i));
  return m / 1000.0;
}

/* One phase's figures over the repetitions. */
typedef struct
{
  const char *name;
  GArray     *frame; /* gint64 µs: longest frame gap of each repetition */
  GArray     *loop;  /* longest loop gap */
  GArray     *cpu;   /* main-thread CPU time */
} Phase;

static void
phase_init (Phase      *phase,
            const char *name)
{
  phase->name = name;
  phase->frame = g_array_new (FALSE, FALSE, sizeof (gint64));
  phase->loop = g_array_new (FALSE, FALSE, sizeof (gint64));
  phase->cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
phase_add (Phase *phase)
{
  g_array_append_val (phase->frame, stall.max_frame_gap);
  g_array_append_val (phase->loop, stall.max_loop_gap);
  g_array_append_val (phase->cpu, stall.cpu);
  g_printerr ("  %-9s frame gap %5.0f ms, loop gap %5.0f ms, main-thread CPU %6.0f ms\n", phase->name,
              stall.max_frame_gap / 1000.0, stall.max_loop_gap / 1000.0, stall.cpu / 1000.0);
}

static void
phase_clear (Phase *phase)
{
  g_array_unref (phase->frame);
  g_array_unref (phase->loop);
  g_array_unref (phase->cpu);
}

#define GOAL_MS 50.0

static void
print_report (Phase      *phases,
              guint       n_phases,
              int         n_rows,
              int         repeat,
              const char *priority,
              gboolean    markdown)
{
  Phase *floor_phase = &phases[0];
  double load = 0;
  g_autofree char *loadavg = NULL;

  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    load = g_ascii_strtod (loadavg, NULL);
  if (markdown)
    {
      g_print ("Window process: %s (the integration's process: normal). "
               "Load average at the end: %.1f.\n\n", priority, load);
      g_print ("| %d results, %d runs |", n_rows, repeat);
      for (guint p = 0; p < n_phases; p++)
        g_print (" %s |", phases[p].name);
      g_print ("\n| --- |");
      for (guint p = 0; p < n_phases; p++)
        g_print (" ---: |");
      g_print ("\n| longest frame gap, median (worst) |");
      for (guint p = 0; p < n_phases; p++)
        g_print (" %.0f ms (%.0f) |", median_ms (phases[p].frame), max_ms (phases[p].frame));
      g_print ("\n| longest loop gap, median (worst) |");
      for (guint p = 0; p < n_phases; p++)
        g_print (" %.0f ms (%.0f) |", median_ms (phases[p].loop), max_ms (phases[p].loop));
      g_print ("\n| main-thread CPU, median |");
      for (guint p = 0; p < n_phases; p++)
        g_print (" %.0f ms |", median_ms (phases[p].cpu));
      g_print ("\n| longest frame gap against the floor |");
      for (guint p = 0; p < n_phases; p++)
        g_print (p == 0 ? " 1.00 |" : " %.2fx |", median_ms (phases[p].frame) / MAX (median_ms (floor_phase->frame), 1.0));
      g_print ("\n| goal: longest frame and loop gap <= %.0f ms (worst run) |", GOAL_MS);
      for (guint p = 0; p < n_phases; p++)
        g_print (" %s |", MAX (max_ms (phases[p].frame), max_ms (phases[p].loop)) <= GOAL_MS ? "met" : "not met");
      g_print ("\n\nWarm-up, before the runs (the first %d results the window drew; with an empty "
               "shader cache its shaders were compiled then; not judged): longest frame gap %.0f ms, "
               "loop gap %.0f ms.\n", WARMUP_ROWS, warm_up.max_frame_gap / 1000.0,
               warm_up.max_loop_gap / 1000.0);
      return;
    }
  g_print ("%d results, %d runs; window process %s (the integration's process: normal); load average %.1f\n",
           n_rows, repeat, priority, load);
  g_print ("medians (worst in brackets):\n");
  for (guint p = 0; p < n_phases; p++)
    g_print ("  %-9s: longest frame gap %5.0f ms (%.0f)  longest loop gap %5.0f ms (%.0f)  main-thread CPU %6.0f ms"
             "  frame gap %.2fx the floor; goal <= %.0f ms: %s\n",
             phases[p].name, median_ms (phases[p].frame), max_ms (phases[p].frame),
             median_ms (phases[p].loop), max_ms (phases[p].loop), median_ms (phases[p].cpu),
             median_ms (phases[p].frame) / MAX (median_ms (floor_phase->frame), 1.0), GOAL_MS,
             MAX (max_ms (phases[p].frame), max_ms (phases[p].loop)) <= GOAL_MS ? "met" : "not met");
  g_print ("  warm-up  : the first %d results drawn, before the runs (with an empty shader cache its "
           "shaders are compiled then; not judged): longest frame gap %.0f ms, loop gap %.0f ms\n",
           WARMUP_ROWS, warm_up.max_frame_gap / 1000.0, warm_up.max_loop_gap / 1000.0);
}

int
main (int    argc,
      char **argv)
{
  int n_rows = 100000;
  int repeat = 3;
  gboolean markdown = FALSE;
  gboolean compare = FALSE;
  g_autofree char *priority_name = NULL;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT, &n_rows, "Results streamed per run (default 100000)", "N" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Runs of each phase (default 3)", "N" },
    { "markdown", 0, 0, G_OPTION_ARG_NONE, &markdown, "Print a Markdown table", NULL },
    { "priority", 0, 0, G_OPTION_ARG_STRING, &priority_name,
      "The window's scheduling priority: rt (SCHED_FIFO 10, the default), nice (-10) or normal", "P" },
    { "compare", 0, 0, G_OPTION_ARG_NONE, &compare,
      "Also stream with the run on the window's own loop (before IwbSession's run thread)", NULL },
    { "history", 0, 0, G_OPTION_ARG_NONE, &with_history,
      "Also stream with the session recording every run in a run history (a temporary SQLite file)", NULL },
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
  g_autofree char *db = NULL;
  g_autofree char *priority = NULL;
  g_autoptr(IwbSession) session = NULL;
  g_autoptr(IwbLoader) loader = NULL;
  g_autoptr(IwbIntegration) integration = NULL;
  g_autoptr(IwbHistory) history = NULL;
  g_autoptr(JsonNode) descriptor = NULL;
  g_autoptr(GFile) file = NULL;
  BenchPriority wanted;
  Phase phases[4];
  guint n_phases = 0, floor_p, stream_p, recorded_p = 0, before_p = 0;
  GtkWidget *window, *box, *spinner;
  IwbRunView *view;

  iwb_malloc_setup (); /* as the window does */
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!bench_priority_parse (priority_name, &wanted))
    {
      g_printerr ("--priority: rt, nice or normal\n");
      return 2;
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("PYTHONDONTWRITEBYTECODE", "1", TRUE);
  gtk_init ();
  adw_init ();
  debug = g_getenv ("UI_STALL_DEBUG") != NULL;
  if (debug)
    {
      real_poll = g_main_context_get_poll_func (NULL);
      g_main_context_set_poll_func (NULL, timed_poll);
    }
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
      db = g_build_filename (g_get_tmp_dir (), "iwb-ui-stall-history.sqlite", NULL);
      g_unlink (db);
      history = iwb_history_open (db, &error);
      if (history == NULL)
        g_error ("%s", error->message);
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
  /* The window's threads so far (the main thread, the renderer's, GLib's);
   * the threads and processes started later are at normal priority. */
  {
    g_autofree char *threads = bench_priority_apply (wanted, TRUE);
    g_autofree char *server = wanted != BENCH_PRIORITY_NORMAL ? bench_priority_apply_display (wanted)
                                                              : g_strdup ("display server: not changed");

    priority = g_strdup_printf ("%s; %s", threads, server);
  }

  phase_init (&phases[floor_p = n_phases++], "floor");
  phase_init (&phases[stream_p = n_phases++], "stream");
  if (with_history)
    phase_init (&phases[recorded_p = n_phases++], "recorded");
  if (compare)
    phase_init (&phases[before_p = n_phases++], "before");
  g_printerr ("window: %s\n", priority);
  if (measure_stream (session, view, WARMUP_ROWS, FALSE) != WARMUP_ROWS)
    g_error ("The warm-up view shows %s", iwb_run_view_get_status_text (view));
  warm_up = stall;
  g_printerr ("warm-up (%d results): frame gap %5.0f ms, loop gap %5.0f ms\n", WARMUP_ROWS,
              warm_up.max_frame_gap / 1000.0, warm_up.max_loop_gap / 1000.0);
  for (int i = 0; i < repeat; i++)
    {
      guint n;

      g_printerr ("run %d:\n", i + 1);
      measure_floor (iwb, folder, rows_path);
      phase_add (&phases[floor_p]);
      n = measure_stream (session, view, n_rows, FALSE);
      if (n != (guint) n_rows)
        g_error ("The view shows %u results, not %d (%s)", n, n_rows, iwb_run_view_get_status_text (view));
      phase_add (&phases[stream_p]);
      if (with_history)
        {
          iwb_session_set_history (session, history);
          n = measure_stream (session, view, n_rows, FALSE);
          iwb_session_set_history (session, NULL);
          if (n != (guint) n_rows)
            g_error ("The view shows %u results, not %d", n, n_rows);
          phase_add (&phases[recorded_p]);
        }
      if (compare)
        {
          n = measure_stream (session, view, n_rows, TRUE);
          if (n != (guint) n_rows)
            g_error ("The view shows %u results, not %d", n, n_rows);
          phase_add (&phases[before_p]);
        }
    }

  print_report (phases, n_phases, n_rows, repeat, priority, markdown);
  for (guint p = 0; p < n_phases; p++)
    phase_clear (&phases[p]);
  g_unlink (rows_path);
  gtk_window_destroy (GTK_WINDOW (window));
  if (history != NULL)
    {
      g_clear_object (&history);
      g_unlink (db);
      for (const char *suffix = "-wal"; suffix != NULL; suffix = g_str_equal (suffix, "-wal") ? "-shm" : NULL)
        {
          g_autofree char *side = g_strconcat (db, suffix, NULL);

          g_unlink (side);
        }
    }
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The scheduling priority of a bench's measured process, so the other
 * work of a loaded machine (builds, tests) does not preempt what is
 * measured: `--priority rt` (SCHED_FIFO 10), `nice` (nice -10) or
 * `normal`. Needs CAP_SYS_NICE (root) for rt and nice; without it the
 * bench says so and measures at normal priority.
 *
 * bench_priority_apply() changes every thread the process has now. With
 * @reset_on_fork, the threads and processes it starts later (a run's own
 * thread, the integration's process, `iwb run`) are at normal priority
 * (SCHED_RESET_ON_FORK): the load stays load, only the window is raised.
 */
#pragma once

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <glib.h>

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

#define BENCH_RT_PRIORITY 10
#define BENCH_NICE        -10

typedef enum
{
  BENCH_PRIORITY_NORMAL,
  BENCH_PRIORITY_NICE,
  BENCH_PRIORITY_RT,
} BenchPriority;

static inline gboolean
bench_priority_parse (const char    *text,
                      BenchPriority *out)
{
  if (text == NULL || g_str_equal (text, "rt"))
    *out = BENCH_PRIORITY_RT;
  else if (g_str_equal (text, "nice"))
    *out = BENCH_PRIORITY_NICE;
  else if (g_str_equal (text, "normal"))
    *out = BENCH_PRIORITY_NORMAL;
  else
    return FALSE;
  return TRUE;
}

static inline gboolean
bench_priority_set_thread (pid_t         tid,
                           BenchPriority priority,
                           gboolean      reset_on_fork)
{
  struct sched_param param = { 0 };
  int policy = reset_on_fork ? SCHED_RESET_ON_FORK : 0;

  if (priority == BENCH_PRIORITY_RT)
    {
      param.sched_priority = BENCH_RT_PRIORITY;
      return sched_setscheduler (tid, SCHED_FIFO | policy, &param) == 0;
    }
  if (sched_setscheduler (tid, SCHED_OTHER | policy, &param) != 0)
    return FALSE;
  return setpriority (PRIO_PROCESS, (id_t) tid, priority == BENCH_PRIORITY_NICE ? BENCH_NICE : 0) == 0;
}

/* Returns what the process got, for the report ("SCHED_FIFO 10", ...). */
static inline char *
bench_priority_apply (BenchPriority priority,
                      gboolean      reset_on_fork)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *name;
  guint n = 0, failed = 0;
  int saved = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      n++;
      if (!bench_priority_set_thread ((pid_t) atoi (name), priority, reset_on_fork))
        {
          saved = errno;
          failed++;
        }
    }
  if (n == 0 || failed > 0)
    {
      if (priority != BENCH_PRIORITY_NORMAL)
        bench_priority_apply (BENCH_PRIORITY_NORMAL, reset_on_fork);
      return g_strdup_printf ("normal (asked for %s: %s)",
                              priority == BENCH_PRIORITY_RT ? "SCHED_FIFO" : "nice -10",
                              n == 0 ? "no /proc/self/task" : g_strerror (saved));
    }
  switch (priority)
    {
    case BENCH_PRIORITY_RT:
      return g_strdup_printf ("SCHED_FIFO %d, %u threads", BENCH_RT_PRIORITY, n);
    case BENCH_PRIORITY_NICE:
      return g_strdup_printf ("nice %d, %u threads", BENCH_NICE, n);
    default:
      return g_strdup ("normal (nice 0)");
    }
}

/* The X server of $DISPLAY when it is an Xvfb (what xvfb-run started for
 * the bench): every frame goes through it, so it gets the window's
 * priority too. Returns what was done, for the report. */
static inline char *
bench_priority_apply_display (BenchPriority priority)
{
  const char *display = g_getenv ("DISPLAY");
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  if (display == NULL || proc == NULL)
    return g_strdup ("display server: not changed (no DISPLAY)");
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *cmdline_path = g_build_filename ("/proc", name, "cmdline", NULL);
      g_autofree char *cmdline = NULL;
      gsize len = 0;
      gboolean is_xvfb, ours = FALSE;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (cmdline_path, &cmdline, &len, NULL) || len == 0)
        continue;
      is_xvfb = g_str_has_suffix (cmdline, "Xvfb");
      for (gsize i = 0; is_xvfb && i < len; i += strlen (cmdline + i) + 1)
        if (g_str_equal (cmdline + i, display))
          ours = TRUE;
      if (ours)
        {
          g_autofree char *task_path = g_build_filename ("/proc", name, "task", NULL);
          g_autoptr(GDir) tasks = g_dir_open (task_path, 0, NULL);
          const char *tid;
          guint n = 0, failed = 0;

          while (tasks != NULL && (tid = g_dir_read_name (tasks)) != NULL)
            {
              n++;
              if (!bench_priority_set_thread ((pid_t) atoi (tid), priority, FALSE))
                failed++;
            }
          return g_strdup_printf ("display server: Xvfb %s (pid %s), %u of %u threads raised", display, name,
                                  n - failed, n);
        }
    }
  return g_strdup_printf ("display server: not changed (%s is not an Xvfb of this machine)", display);
}

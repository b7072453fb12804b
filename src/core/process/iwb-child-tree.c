/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The trees of processes our children start, and how they end.
 *
 * Process groups are not enough: a child that calls setsid() or daemonizes
 * (fork, setsid, fork) leaves its group. So:
 *
 *  - every child is a child subreaper (set in _iwb_child_setup(), kept
 *    across exec): while it lives, whatever its descendants orphan is
 *    re-parented to it, so the tree below its pid in /proc is complete;
 *  - this process is a subreaper too: when a child dies, its orphans come
 *    to us, not to init. Our direct children that we did not spawn
 *    ourselves and that are not in our session are such orphans ("strays");
 *    they are killed with the tree of any child that ends, and reaped.
 *    (Processes GLib or GTK start for us, a browser for a link, stay in our
 *    session and are never touched.)
 *
 * Killing walks /proc/<pid>/stat (ppid, session), signals every process of
 * the tree, and repeats until none remains, so a process forking while it
 * is being killed is caught in the next round.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iwb-child.h"
#include "iwb-child-private.h"

#define KILL_ROUNDS      400
#define MAX_TREE         100000

typedef struct
{
  pid_t pid;
  pid_t ppid;
  pid_t pgrp;
  pid_t sid;
  char  state;
} ProcEntry;

static GMutex registry_lock;
static GHashTable *registry; /* GPid -> GPid: children we spawned (not orphans) */

/* ---- the child's side ---------------------------------------------------- */

static void
child_setup (gpointer user_data)
{
  pid_t parent = (pid_t) GPOINTER_TO_INT (user_data);

  /* Async-signal-safe calls only. Own session and process group; death
   * with the parent (the spawning thread); a parent that died before the
   * prctl is noticed. The subreaper attribute survives exec: orphans of the
   * integration's processes stay below the child. */
  setsid ();
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != parent)
    _exit (127);
  prctl (PR_SET_CHILD_SUBREAPER, 1);
}

GSubprocessLauncher *
_iwb_child_launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  iwb_child_become_subreaper ();
  g_subprocess_launcher_set_child_setup (launcher, child_setup,
                                         GINT_TO_POINTER ((int) getpid ()), NULL);
  return launcher;
}

static GPid
subprocess_pid (GSubprocess *subprocess)
{
  const char *ident = g_subprocess_get_identifier (subprocess);

  return ident != NULL ? (GPid) g_ascii_strtoll (ident, NULL, 10) : 0;
}

GSubprocess *
_iwb_child_spawnv (GSubprocessLauncher *launcher,
                   const char * const  *argv,
                   GError             **error)
{
  GSubprocess *subprocess;

  g_mutex_lock (&registry_lock);
  if (registry == NULL)
    registry = g_hash_table_new (NULL, NULL);
  subprocess = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (subprocess != NULL && subprocess_pid (subprocess) > 1)
    g_hash_table_add (registry, GINT_TO_POINTER (subprocess_pid (subprocess)));
  g_mutex_unlock (&registry_lock);
  return subprocess;
}

gboolean
_iwb_child_spawn_fds (const char * const  *argv,
                      const char * const  *envp,
                      const char          *cwd,
                      gboolean             stdin_pipe,
                      int                  events_fd,
                      GPid                *pid,
                      int                 *stdin_fd,
                      int                 *stdout_fd,
                      int                 *stderr_fd,
                      GError             **error)
{
  int source_fds[1] = { events_fd };
  int target_fds[1] = { 3 };
  gboolean ok;

  iwb_child_become_subreaper ();
  g_mutex_lock (&registry_lock);
  if (registry == NULL)
    registry = g_hash_table_new (NULL, NULL);
  /* Without a stdin pipe the child's stdin is /dev/null. */
  ok = g_spawn_async_with_pipes_and_fds (cwd, argv, envp,
                                         G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_CLOEXEC_PIPES,
                                         child_setup, GINT_TO_POINTER ((int) getpid ()),
                                         -1, -1, -1,
                                         events_fd >= 0 ? source_fds : NULL,
                                         events_fd >= 0 ? target_fds : NULL,
                                         events_fd >= 0 ? 1 : 0,
                                         pid, stdin_pipe ? stdin_fd : NULL, stdout_fd, stderr_fd,
                                         error);
  if (ok)
    g_hash_table_add (registry, GINT_TO_POINTER (*pid));
  g_mutex_unlock (&registry_lock);
  return ok;
}

void
_iwb_child_unregister (GPid pid)
{
  g_mutex_lock (&registry_lock);
  if (registry != NULL)
    g_hash_table_remove (registry, GINT_TO_POINTER (pid));
  g_mutex_unlock (&registry_lock);
}

gboolean
iwb_child_become_subreaper (void)
{
  static gsize done;
  static gboolean ok;

  if (g_once_init_enter (&done))
    {
      ok = prctl (PR_SET_CHILD_SUBREAPER, 1) == 0;
      if (!ok)
        g_debug ("PR_SET_CHILD_SUBREAPER: %s", g_strerror (errno));
      g_once_init_leave (&done, 1);
    }
  return ok;
}

/* ---- /proc --------------------------------------------------------------- */

static gboolean
read_stat (pid_t      pid,
           ProcEntry *out)
{
  char path[64];
  char buf[1024];
  const char *p;
  ssize_t n;
  int fd;
  int ppid, pgrp, sid;
  char state;

  g_snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  n = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (n <= 0)
    return FALSE;
  buf[n] = '\0';
  /* "pid (comm) S ppid pgrp session …": comm may hold spaces and parens */
  p = strrchr (buf, ')');
  if (p == NULL || sscanf (p + 1, " %c %d %d %d", &state, &ppid, &pgrp, &sid) != 4)
    return FALSE;
  out->pid = pid;
  out->ppid = ppid;
  out->pgrp = pgrp;
  out->sid = sid;
  out->state = state;
  return TRUE;
}

static GArray *
scan_processes (void)
{
  GArray *all = g_array_sized_new (FALSE, FALSE, sizeof (ProcEntry), 512);
  DIR *dir = opendir ("/proc");
  struct dirent *de;

  if (dir == NULL)
    return all;
  while ((de = readdir (dir)) != NULL && all->len < MAX_TREE)
    {
      char *end;
      long pid = strtol (de->d_name, &end, 10);
      ProcEntry e;

      if (*end != '\0' || pid <= 1)
        continue;
      if (read_stat ((pid_t) pid, &e))
        g_array_append_val (all, e);
    }
  closedir (dir);
  return all;
}

static gboolean
is_registered (pid_t pid)
{
  return registry != NULL && g_hash_table_contains (registry, GINT_TO_POINTER (pid));
}

/* Orphans of dead children: our direct children we did not spawn, outside
 * our session. Registered pids that are no longer our children (reaped and
 * maybe reused) are forgotten on the way. Call with the lock held. */
static gboolean
is_stray (const ProcEntry *e,
          pid_t            self,
          pid_t            self_sid)
{
  return e->ppid == self && e->sid != self_sid && !is_registered (e->pid);
}

/* The members of the trees of @leaders (live, unreaped children of ours;
 * may be none) and the strays with their trees, as indexes into @all. */
static GArray *
collect_targets (GArray      *all,
                 const GPid  *leaders,
                 guint        n_leaders)
{
  GArray *targets = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) in_tree = g_hash_table_new (NULL, NULL);
  pid_t self = getpid ();
  pid_t self_sid = getsid (0);
  gboolean grew = TRUE;

  for (guint i = 0; i < all->len; i++)
    {
      const ProcEntry *e = &g_array_index (all, ProcEntry, i);
      gboolean take = is_stray (e, self, self_sid);

      for (guint l = 0; l < n_leaders && !take; l++)
        take = leaders[l] > 1 &&
               ((e->pid == leaders[l] && e->ppid == self) || e->pgrp == leaders[l]);
      if (take)
        g_hash_table_add (in_tree, GINT_TO_POINTER (e->pid));
    }
  /* Descendants: to a fixed point (a child may have a smaller pid than its
   * parent once pids wrapped). */
  while (grew)
    {
      grew = FALSE;
      for (guint i = 0; i < all->len; i++)
        {
          const ProcEntry *e = &g_array_index (all, ProcEntry, i);

          if (!g_hash_table_contains (in_tree, GINT_TO_POINTER (e->pid)) &&
              g_hash_table_contains (in_tree, GINT_TO_POINTER (e->ppid)) && e->pid != self)
            {
              g_hash_table_add (in_tree, GINT_TO_POINTER (e->pid));
              grew = TRUE;
            }
        }
    }
  for (guint i = 0; i < all->len; i++)
    if (g_hash_table_contains (in_tree, GINT_TO_POINTER (g_array_index (all, ProcEntry, i).pid)))
      g_array_append_val (targets, i);
  return targets;
}

/* One round: signal the live members, reap the dead strays. Returns how
 * many live processes were signalled. */
static guint
signal_round (const GPid *leaders,
              guint       n_leaders,
              int         sig)
{
  g_autoptr(GArray) all = scan_processes ();
  g_autoptr(GArray) targets = NULL;
  pid_t self = getpid ();
  pid_t self_sid = getsid (0);
  guint signalled = 0;

  g_mutex_lock (&registry_lock);
  /* Forget registered pids that are not our children any more. */
  if (registry != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, registry);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          gboolean ours = FALSE;

          for (guint i = 0; i < all->len && !ours; i++)
            ours = g_array_index (all, ProcEntry, i).pid == GPOINTER_TO_INT (key) &&
                   g_array_index (all, ProcEntry, i).ppid == self;
          if (!ours)
            g_hash_table_iter_remove (&iter);
        }
    }
  targets = collect_targets (all, leaders, n_leaders);
  for (guint i = 0; i < targets->len; i++)
    {
      const ProcEntry *e = &g_array_index (all, ProcEntry, g_array_index (targets, guint, i));

      if (e->state == 'Z' || e->state == 'X')
        {
          /* Only orphans are ours to reap: GLib reaps what it spawned. */
          if (is_stray (e, self, self_sid))
            waitpid (e->pid, NULL, WNOHANG);
          continue;
        }
      if (kill (e->pid, sig) == 0)
        signalled++;
    }
  g_mutex_unlock (&registry_lock);

  /* The groups themselves too: a leader's group id cannot be reused while
   * a member lives, so this never reaches an unrelated process. */
  for (guint l = 0; l < n_leaders; l++)
    if (leaders[l] > 1)
      kill (-(pid_t) leaders[l], sig);
  return signalled;
}

guint
_iwb_child_signal_tree (GPid leader,
                        int  sig)
{
  return signal_round (&leader, leader > 1 ? 1 : 0, sig);
}

static guint
kill_until_gone (const GPid *leaders,
                 guint       n_leaders)
{
  guint total = 0;

  for (guint round = 0; round < KILL_ROUNDS; round++)
    {
      guint n = signal_round (leaders, n_leaders, SIGKILL);

      total += n;
      if (n == 0)
        break; /* that round reaped the strays that were dead already */
      /* SIGKILL is delivered asynchronously: give the processes a moment to
       * die before looking again (bounded: KILL_ROUNDS × 5 ms). */
      g_usleep (round < 20 ? 500 : 5000);
    }
  return total;
}

void
_iwb_child_kill_tree (GPid leader)
{
  kill_until_gone (&leader, leader > 1 ? 1 : 0);
}

guint
iwb_child_kill_all (void)
{
  g_autoptr(GArray) leaders = g_array_new (FALSE, FALSE, sizeof (GPid));

  g_mutex_lock (&registry_lock);
  if (registry != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, registry);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          GPid pid = GPOINTER_TO_INT (key);
          g_array_append_val (leaders, pid);
        }
    }
  g_mutex_unlock (&registry_lock);

  return kill_until_gone ((const GPid *) leaders->data, leaders->len);
}

guint
iwb_child_count_tree (GPid leader)
{
  g_autoptr(GArray) all = scan_processes ();
  g_autoptr(GArray) targets = NULL;
  guint n = 0;

  g_mutex_lock (&registry_lock);
  targets = collect_targets (all, &leader, leader > 1 ? 1 : 0);
  g_mutex_unlock (&registry_lock);
  for (guint i = 0; i < targets->len; i++)
    {
      const ProcEntry *e = &g_array_index (all, ProcEntry, g_array_index (targets, guint, i));

      if (e->state != 'Z' && e->state != 'X')
        n++;
    }
  return n;
}

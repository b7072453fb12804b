/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The trees of processes our children start, and how they end.
 *
 * Process groups are not enough: a child that calls setsid() or daemonizes
 * (fork, setsid, fork) leaves its group. So:
 *
 *  - every child runs under iwb-reaper (iwb-reaper.c), a small supervisor
 *    in a session and process group of its own and a child subreaper:
 *    whatever the program's processes orphan is re-parented to it, so the
 *    tree below its pid in /proc is complete. It holds the read end of our
 *    lifeline, a pipe whose write end only this process has: when we die,
 *    however (SIGKILL, a crash, the OOM killer), its end of file makes the
 *    reaper kill the whole tree. It passes the program's exit status (or
 *    signal) on exactly, and kills what the program left once it ended;
 *  - without the reaper ($IWB_REAPER=none, or not installed) the child
 *    itself is the subreaper, with PR_SET_PDEATHSIG SIGKILL (which only
 *    reaches the direct child, and fires when the spawning *thread* ends);
 *  - this process is a subreaper too: when a leader dies, its orphans come
 *    to us, not to init. Our direct children that we did not spawn
 *    ourselves and that are not in our session are such orphans ("strays");
 *    they are killed with the tree of any child that ends, and reaped.
 *    (Processes GLib or GTK start for us, a browser for a link, stay in our
 *    session and are never touched.)
 *
 * Killing walks /proc/<pid>/stat (ppid, session), signals every process of
 * the tree, and repeats until none remains, so a process forking while it
 * is being killed is caught in the next round. The leader of a tree is the
 * reaper: SIGTERM to the tree reaches the program directly (the reaper does
 * not die of it), SIGKILL ends them all.
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

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "iwb-child.h"
#include "iwb-child-private.h"
#include "iwb-python.h"

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

/* ---- the reaper ---------------------------------------------------------- */

/* Where iwb-reaper finds them (see iwb-reaper.c); fd 3 is the events pipe. */
#define REAPER_LIFELINE_FD 4
#define REAPER_STATUS_FD   5

/* The lifeline: a pipe nobody writes to. Both ends stay open (close-on-exec)
 * as long as this process lives; every reaper gets the read end, so its end
 * of file tells the reaper that we are gone, however we died. */
static int lifeline[2] = { -1, -1 };

static gboolean
running_from_build_tree (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  return exe != NULL && g_str_has_prefix (exe, IWB_BUILD_ROOT "/");
}

/* The reaper program, or NULL to spawn without one ($IWB_REAPER=none, or
 * not found). Like the bundled runtime: $IWB_REAPER when set, the build
 * tree's when running from it, else the installed one (relocated with the
 * executable). */
static const char *
reaper_path (void)
{
  static char *path; /* "" for none */

  if (g_once_init_enter (&path))
    {
      const char *env = g_getenv ("IWB_REAPER");
      g_autoptr(GError) error = NULL;
      char *value;

      if (env != NULL && env[0] != '\0')
        value = g_strdup (g_str_equal (env, "none") ? "" : env);
      else if (running_from_build_tree ())
        value = g_strdup (IWB_REAPER_BUILD_PATH);
      else
        value = iwb_relocate_installed_path (IWB_LIBEXECDIR "/iwb-reaper");
      if (value[0] != '\0' && !g_file_test (value, G_FILE_TEST_IS_EXECUTABLE))
        {
          g_warning ("No process supervisor at %s: the processes of an integration may "
                     "outlive the workbench if it crashes", value);
          value[0] = '\0';
        }
      else if (value[0] != '\0' && !g_unix_open_pipe (lifeline, FD_CLOEXEC, &error))
        {
          g_warning ("Cannot create the supervisor's lifeline: %s", error->message);
          value[0] = '\0';
        }
      g_once_init_leave (&path, value);
    }
  return path[0] != '\0' ? path : NULL;
}

/* reaper LIFELINE_FD STATUS_FD @argv… */
static char **
reaper_argv (const char * const *argv)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **result;

  g_strv_builder_add (builder, reaper_path ());
  g_strv_builder_add (builder, G_STRINGIFY (REAPER_LIFELINE_FD));
  g_strv_builder_add (builder, G_STRINGIFY (REAPER_STATUS_FD));
  g_strv_builder_addv (builder, (const char **) argv);
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

/* What the reaper wrote on its status pipe: 0 once the program runs, else
 * the errno of its fork() or exec(). End of file: it died first. */
static gboolean
read_reaper_status (int                 fd,
                    const char * const *argv,
                    GError            **error)
{
  int value = 0;
  gsize got = 0;

  while (got < sizeof value)
    {
      ssize_t n = read (fd, (char *) &value + got, sizeof value - got);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      got += (gsize) n;
    }
  close (fd);
  if (got < sizeof value)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The process supervisor ended before starting “%s”"), argv[0]);
      return FALSE;
    }
  if (value != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (value),
                   _("Failed to execute child process “%s” (%s)"), argv[0], g_strerror (value));
      return FALSE;
    }
  return TRUE;
}

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

/* For iwb-reaper: own session and process group, subreaper; no parent-death
 * signal, which would kill it before it could clean up (and fires when the
 * spawning *thread* ends): the lifeline tells it when we are gone. */
static void
reaper_setup (gpointer user_data)
{
  setsid ();
  prctl (PR_SET_CHILD_SUBREAPER, 1);
}

GSubprocessLauncher *
_iwb_child_launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  iwb_child_become_subreaper ();
  if (reaper_path () != NULL)
    g_subprocess_launcher_set_child_setup (launcher, reaper_setup, NULL, NULL);
  else
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
  g_autoptr(GSubprocess) subprocess = NULL;
  g_auto(GStrv) wrapped = NULL;
  int status[2] = { -1, -1 };
  gboolean reaper = reaper_path () != NULL;

  if (reaper)
    {
      int lifeline_copy;

      if (!g_unix_open_pipe (status, FD_CLOEXEC, error))
        return NULL;
      lifeline_copy = fcntl (lifeline[0], F_DUPFD_CLOEXEC, 3);
      if (lifeline_copy < 0)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                       "dup: %s", g_strerror (errno));
          close (status[0]);
          close (status[1]);
          return NULL;
        }
      g_subprocess_launcher_take_fd (launcher, lifeline_copy, REAPER_LIFELINE_FD);
      g_subprocess_launcher_take_fd (launcher, status[1], REAPER_STATUS_FD);
      wrapped = reaper_argv (argv);
      argv = (const char * const *) wrapped;
    }

  g_mutex_lock (&registry_lock);
  if (registry == NULL)
    registry = g_hash_table_new (NULL, NULL);
  subprocess = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (subprocess != NULL && subprocess_pid (subprocess) > 1)
    g_hash_table_add (registry, GINT_TO_POINTER (subprocess_pid (subprocess)));
  g_mutex_unlock (&registry_lock);

  if (!reaper)
    return g_steal_pointer (&subprocess);
  /* Our copies of the fds passed (the status pipe's write end above all). */
  g_subprocess_launcher_close (launcher);
  if (subprocess == NULL)
    {
      close (status[0]);
      return NULL;
    }
  if (!read_reaper_status (status[0], argv + 3, error))
    {
      /* The reaper ends at once (127): reap it, forget it. */
      GPid pid = subprocess_pid (subprocess);

      g_subprocess_wait (subprocess, NULL, NULL);
      _iwb_child_unregister (pid);
      return NULL;
    }
  return g_steal_pointer (&subprocess);
}

static void
close_if_open (int fd)
{
  if (fd >= 0)
    close (fd);
}

/* The reaper started with posix_spawn (iwb-child-spawn.c): the pipes for
 * the standard streams made here, @extra_src as @extra_tgt. */
static gboolean
spawn_reaper (const char * const  *argv,
              const char * const  *envp,
              const char          *cwd,
              gboolean             stdin_pipe,
              const int           *extra_src,
              const int           *extra_tgt,
              guint                n_extra,
              GPid                *pid,
              int                 *stdin_fd,
              int                 *stdout_fd,
              int                 *stderr_fd,
              GError             **error)
{
  int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
  int src[6], tgt[6];
  guint n = 0;
  gboolean ok = FALSE;

  if (stdin_pipe)
    {
      if (!g_unix_open_pipe (in, FD_CLOEXEC, error))
        return FALSE;
    }
  else if ((in[0] = open ("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "/dev/null: %s", g_strerror (saved));
      return FALSE;
    }
  if (!g_unix_open_pipe (out, FD_CLOEXEC, error) || !g_unix_open_pipe (err, FD_CLOEXEC, error))
    goto out;
  src[n] = in[0], tgt[n++] = 0;
  src[n] = out[1], tgt[n++] = 1;
  src[n] = err[1], tgt[n++] = 2;
  for (guint i = 0; i < n_extra && n < G_N_ELEMENTS (src); i++)
    src[n] = extra_src[i], tgt[n++] = extra_tgt[i];
  ok = _iwb_child_posix_spawn (argv, envp, cwd, src, tgt, n, pid, error);

out:
  /* The child's ends; ours go to the caller, or are closed on failure. */
  close_if_open (in[0]);
  close_if_open (out[1]);
  close_if_open (err[1]);
  if (ok)
    {
      if (stdin_pipe)
        *stdin_fd = in[1];
      *stdout_fd = out[0];
      *stderr_fd = err[0];
      return TRUE;
    }
  close_if_open (in[1]);
  close_if_open (out[0]);
  close_if_open (err[0]);
  return FALSE;
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
  int source_fds[3];
  int target_fds[3];
  guint n_fds = 0;
  int status[2] = { -1, -1 };
  g_auto(GStrv) wrapped = NULL;
  gboolean reaper = reaper_path () != NULL;
  gboolean ok;

  if (events_fd >= 0)
    {
      source_fds[n_fds] = events_fd;
      target_fds[n_fds++] = 3;
    }
  if (reaper)
    {
      if (!g_unix_open_pipe (status, FD_CLOEXEC, error))
        return FALSE;
      source_fds[n_fds] = lifeline[0];
      target_fds[n_fds++] = REAPER_LIFELINE_FD;
      source_fds[n_fds] = status[1];
      target_fds[n_fds++] = REAPER_STATUS_FD;
      wrapped = reaper_argv (argv);
    }

  iwb_child_become_subreaper ();
  g_mutex_lock (&registry_lock);
  if (registry == NULL)
    registry = g_hash_table_new (NULL, NULL);
  /* Without a stdin pipe the child's stdin is /dev/null. The reaper
   * needs no child setup: started without copying this process. */
  if (reaper)
    ok = spawn_reaper ((const char * const *) wrapped, envp, cwd, stdin_pipe, source_fds, target_fds, n_fds,
                       pid, stdin_fd, stdout_fd, stderr_fd, error);
  else
    ok = g_spawn_async_with_pipes_and_fds (cwd, argv, envp,
                                           G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_CLOEXEC_PIPES,
                                           child_setup, GINT_TO_POINTER ((int) getpid ()),
                                           -1, -1, -1,
                                           n_fds > 0 ? source_fds : NULL,
                                           n_fds > 0 ? target_fds : NULL,
                                           n_fds,
                                           pid, stdin_pipe ? stdin_fd : NULL, stdout_fd, stderr_fd,
                                           error);
  if (ok)
    g_hash_table_add (registry, GINT_TO_POINTER (*pid));
  g_mutex_unlock (&registry_lock);

  if (!reaper)
    return ok;
  close (status[1]);
  if (!ok)
    {
      close (status[0]);
      return FALSE;
    }
  if (!read_reaper_status (status[0], argv, error))
    {
      /* The reaper ends at once (127): reap it, drop its pipes. */
      while (waitpid (*pid, NULL, 0) < 0 && errno == EINTR)
        ;
      _iwb_child_unregister (*pid);
      if (stdin_pipe && *stdin_fd >= 0)
        close (*stdin_fd);
      close (*stdout_fd);
      close (*stderr_fd);
      *pid = 0;
      return FALSE;
    }
  return TRUE;
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
static gboolean
in_leader_group (const ProcEntry *e,
                 const GPid      *leaders,
                 guint            n_leaders)
{
  for (guint l = 0; l < n_leaders; l++)
    if (leaders[l] > 1 && e->pgrp == leaders[l])
      return TRUE;
  return FALSE;
}

static guint
signal_round (const GPid *leaders,
              guint       n_leaders,
              int         sig)
{
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) targets = NULL;
  pid_t self = getpid ();
  pid_t self_sid = getsid (0);
  guint signalled = 0;

  /* The table of processes is read with the lock held: children are
   * spawned and registered under it, so every registered pid that is
   * still our child is in the table. Read before, a child another thread
   * spawned in between would be missing from it, be forgotten below,
   * and then count as a stray: killed by the next round of another
   * run, or reaped here from under GLib's child watch. */
  g_mutex_lock (&registry_lock);
  all = scan_processes ();
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
      /* Any signal but SIGKILL reaches a member of a leader's group once,
       * by the group's kill below: two SIGTERMs in a row are not one. A
       * handler installed with SA_NODEFER (Python's faulthandler chaining
       * to the default action) runs again inside itself and the process
       * dies in the middle of what the first one was writing; many
       * programs take a second SIGINT or SIGTERM as "force quit". */
      if (sig != SIGKILL && in_leader_group (e, leaders, n_leaders))
        {
          signalled++;
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

  /* Without a leader only strays are looked for, and a stray is a child
   * of ours: with no child at all (the usual end of a run, whose reaper
   * has exited and was reaped) there is nothing to find, and the walk of
   * /proc (a few milliseconds, at every run's end and again at exit) is
   * saved. WNOWAIT: nothing is reaped here. */
  if (n_leaders == 0)
    {
      siginfo_t info = { 0 };

      if (waitid (P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) < 0 && errno == ECHILD)
        return 0;
    }
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
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) targets = NULL;
  guint n = 0;

  g_mutex_lock (&registry_lock); /* as in signal_round() */
  all = scan_processes ();
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

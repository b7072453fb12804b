/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iwb-reaper: the supervisor between the workbench and every child it
 * starts (see iwb-child-tree.c, which spawns it).
 *
 *   iwb-reaper LIFELINE_FD STATUS_FD PROGRAM [ARGUMENT…]
 *
 * It is started in a session and process group of its own, and:
 *
 *  - becomes a child subreaper: whatever the program's processes orphan
 *    (double forks, setsid() daemons) is re-parented to it, so every
 *    process the program starts stays below it in /proc;
 *  - starts PROGRAM in its own session and process group, with stdin,
 *    stdout, stderr and fd 3 passed straight through, and then drops its
 *    own copies of them (it never holds a pipe of the workbench open);
 *  - writes one int to STATUS_FD and closes it: 0 once PROGRAM runs, or the
 *    errno of a failed fork() or exec();
 *  - watches LIFELINE_FD, the read end of a pipe whose write end only the
 *    workbench holds: its end of file means the workbench is gone (however
 *    it died: SIGKILL, SIGSEGV, the OOM killer), and then every descendant
 *    is killed (SIGKILL, /proc walked again until none is left, so a
 *    process forking meanwhile is caught too) and the reaper exits;
 *  - once PROGRAM ended, kills what it left behind the same way and ends
 *    exactly as PROGRAM did: the same exit status, or the same signal
 *    (without a core dump), so the workbench reports what it always did.
 *
 * The signals the workbench sends to the whole tree (SIGTERM on cancel,
 * SIGCONT, SIGKILL after the grace period) reach PROGRAM directly; the
 * reaper does not die of the catchable ones, so the program keeps its
 * grace period and its exit status is the one reported.
 *
 * Plain C and libc only: one small exec per child.
 */
#define _GNU_SOURCE /* pipe2 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EVENTS_FD       3
#define MAX_KILL_ROUNDS 2000   /* about 20 s: only processes stuck in the kernel take that long */

static pid_t self_pid;

/* ---- small helpers ------------------------------------------------------- */

static int
parse_fd (const char *text)
{
  char *end;
  long value;

  errno = 0;
  value = strtol (text, &end, 10);
  if (errno != 0 || *end != '\0' || end == text || value < 0 || value > 65535)
    return -1;
  return (int) value;
}

static void
write_status (int fd,
              int value)
{
  ssize_t n;

  if (fd < 0)
    return;
  do
    n = write (fd, &value, sizeof value);
  while (n < 0 && errno == EINTR);
  close (fd);
}

static void
sleep_us (long us)
{
  struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
}

/* ---- the descendant tree ------------------------------------------------- */

typedef struct
{
  pid_t pid;
  pid_t ppid;
  char  state;
} Proc;

typedef struct
{
  Proc  *items;
  size_t len;
  size_t cap;
} ProcList;

static int
read_stat (pid_t  pid,
           Proc  *out)
{
  char path[64];
  char buf[1024];
  const char *p;
  ssize_t n;
  int fd, ppid;
  char state;

  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  n = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (n <= 0)
    return 0;
  buf[n] = '\0';
  /* "pid (comm) S ppid …": comm may hold spaces and parentheses */
  p = strrchr (buf, ')');
  if (p == NULL || sscanf (p + 1, " %c %d", &state, &ppid) != 2)
    return 0;
  out->pid = pid;
  out->ppid = ppid;
  out->state = state;
  return 1;
}

static void
scan (ProcList *list)
{
  DIR *dir = opendir ("/proc");
  struct dirent *de;

  list->len = 0;
  if (dir == NULL)
    return;
  while ((de = readdir (dir)) != NULL)
    {
      char *end;
      long pid = strtol (de->d_name, &end, 10);
      Proc p;

      if (*end != '\0' || pid <= 1 || !read_stat ((pid_t) pid, &p))
        continue;
      if (list->len == list->cap)
        {
          size_t cap = list->cap ? list->cap * 2 : 1024;
          Proc *items = realloc (list->items, cap * sizeof *items);

          if (items == NULL)
            break;
          list->items = items;
          list->cap = cap;
        }
      list->items[list->len++] = p;
    }
  closedir (dir);
}

static int
contains (const pid_t *set,
          size_t       n,
          pid_t        pid)
{
  for (size_t i = 0; i < n; i++)
    if (set[i] == pid)
      return 1;
  return 0;
}

/* Reaps every child of ours that ended; the status of @watched (if it is
 * among them) goes to @status. Returns 1 if @watched was reaped. */
static int
reap (pid_t  watched,
      int   *status)
{
  int found = 0;
  int st;
  pid_t pid;

  while ((pid = waitpid (-1, &st, WNOHANG)) > 0)
    if (pid == watched && watched > 0)
      {
        *status = st;
        found = 1;
      }
  return found;
}

static int
have_children (void)
{
  siginfo_t info;

  /* WNOWAIT: look only. ECHILD: no child at all, so (as we are a subreaper,
   * and everything below us is re-parented to us when its parent dies) no
   * descendant either. */
  memset (&info, 0, sizeof info);
  return waitid (P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0;
}

/* SIGKILL to every descendant, again and again, until /proc shows none
 * alive; zombies re-parented to us are reaped on the way. @watched and
 * @status as for reap(). */
static void
kill_descendants (pid_t  watched,
                  int   *status,
                  int   *watched_reaped)
{
  ProcList list = { NULL, 0, 0 };
  pid_t *tree = NULL;
  size_t tree_cap = 0;

  for (int round = 0; round < MAX_KILL_ROUNDS; round++)
    {
      size_t n_tree = 1;
      int alive = 0;
      int grew = 1;

      if (reap (watched, status))
        *watched_reaped = 1;
      if (!have_children ())
        break;
      scan (&list);
      if (tree_cap < list.len + 1)
        {
          pid_t *bigger = realloc (tree, (list.len + 1) * sizeof *tree);

          if (bigger == NULL)
            break;
          tree = bigger;
          tree_cap = list.len + 1;
        }
      tree[0] = self_pid;
      /* To a fixed point: a child may have a smaller pid than its parent. */
      while (grew)
        {
          grew = 0;
          for (size_t i = 0; i < list.len; i++)
            if (!contains (tree, n_tree, list.items[i].pid) &&
                contains (tree, n_tree, list.items[i].ppid))
              {
                tree[n_tree++] = list.items[i].pid;
                grew = 1;
              }
        }
      for (size_t i = 1; i < n_tree; i++)
        {
          const Proc *p = NULL;

          for (size_t j = 0; j < list.len && p == NULL; j++)
            if (list.items[j].pid == tree[i])
              p = &list.items[j];
          if (p == NULL || p->state == 'Z' || p->state == 'X')
            continue;
          if (kill (tree[i], SIGKILL) == 0)
            alive++;
        }
      if (alive == 0 && n_tree == 1)
        break;
      /* SIGKILL lands asynchronously: a moment before looking again. */
      sleep_us (round < 20 ? 500 : 10000);
    }
  if (reap (watched, status))
    *watched_reaped = 1;
  free (tree);
  free (list.items);
}

/* ---- ending like the program --------------------------------------------- */

static void
end_like (int status)
{
  if (WIFSIGNALED (status))
    {
      int sig = WTERMSIG (status);
      struct rlimit none = { 0, 0 };
      sigset_t set;

      /* The program's core (if any) was dumped already: not a second one. */
      setrlimit (RLIMIT_CORE, &none);
      prctl (PR_SET_DUMPABLE, 0);
      signal (sig, SIG_DFL);
      sigemptyset (&set);
      sigaddset (&set, sig);
      sigprocmask (SIG_UNBLOCK, &set, NULL);
      kill (self_pid, sig);
      _exit (128 + sig);
    }
  _exit (WIFEXITED (status) ? WEXITSTATUS (status) : 127);
}

/* ---- main ---------------------------------------------------------------- */

int
main (int    argc,
      char **argv)
{
  sigset_t all, old, chld;
  int lifeline, status_fd, sfd, report[2];
  int status = 0;
  int reaped = 0;
  pid_t child;

  if (argc < 4 || (lifeline = parse_fd (argv[1])) < 0 || (status_fd = parse_fd (argv[2])) < 0)
    {
      dprintf (STDERR_FILENO,
               "Usage: iwb-reaper LIFELINE_FD STATUS_FD PROGRAM [ARGUMENT…]\n"
               "The supervisor of the processes Integration Workbench starts; "
               "not meant to be run by hand.\n");
      return 127;
    }
  self_pid = getpid ();
  /* Neither fd may reach the program. */
  fcntl (lifeline, F_SETFD, FD_CLOEXEC);
  fcntl (status_fd, F_SETFD, FD_CLOEXEC);

  /* (Set by the workbench's child setup already; again for a reaper
   * started some other way. Only kernels older than 3.4 refuse.) */
  prctl (PR_SET_CHILD_SUBREAPER, 1);
  /* The workbench's own death must not take us with it before we cleaned
   * up: no parent-death signal here (the lifeline tells us instead). */
  prctl (PR_SET_PDEATHSIG, 0);

  /* Every signal blocked (the synchronous faults still kill: the kernel
   * forces them); SIGCHLD read from a signalfd. */
  sigfillset (&all);
  sigprocmask (SIG_SETMASK, &all, &old);
  sigemptyset (&chld);
  sigaddset (&chld, SIGCHLD);
  sfd = signalfd (-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0 || pipe2 (report, O_CLOEXEC) != 0)
    {
      /* reported by the workbench, as a spawn error */
      write_status (status_fd, errno);
      return 127;
    }

  child = fork ();
  if (child < 0)
    {
      write_status (status_fd, errno);
      return 127;
    }
  if (child == 0)
    {
      int err;

      /* The program: our session and process group, the signal mask and
       * dispositions the reaper was started with, killed should the reaper
       * be killed (SIGKILL to the tree, the OOM killer). */
      close (report[0]);
      sigprocmask (SIG_SETMASK, &old, NULL);
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      if (getppid () != self_pid)
        _exit (127);
      if (strchr (argv[3], '/') != NULL)
        execv (argv[3], argv + 3);
      else
        execvp (argv[3], argv + 3);
      err = errno;
      while (write (report[1], &err, sizeof err) < 0 && errno == EINTR)
        ;
      _exit (127);
    }

  /* Our copies of the workbench's pipes go at once: the program and its
   * processes alone decide when they reach end of file. */
  close (report[1]);
  {
    int null_fd = open ("/dev/null", O_RDWR | O_CLOEXEC);

    if (null_fd >= 0)
      {
        dup2 (null_fd, STDIN_FILENO);
        dup2 (null_fd, STDOUT_FILENO);
        dup2 (null_fd, STDERR_FILENO);
        if (null_fd > STDERR_FILENO)
          close (null_fd);
      }
    if (lifeline != EVENTS_FD && status_fd != EVENTS_FD && sfd != EVENTS_FD)
      close (EVENTS_FD);
  }
  {
    int err = 0;
    ssize_t n;

    do
      n = read (report[0], &err, sizeof err);
    while (n < 0 && errno == EINTR);
    close (report[0]);
    write_status (status_fd, n == (ssize_t) sizeof err ? err : 0);
  }

  for (;;)
    {
      struct pollfd fds[2] = {
        { .fd = sfd, .events = POLLIN },
        { .fd = lifeline, .events = POLLIN },
      };

      if (poll (fds, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      if (fds[0].revents & POLLIN)
        {
          struct signalfd_siginfo info;

          while (read (sfd, &info, sizeof info) > 0)
            ;
          if (reap (child, &status))
            {
              reaped = 1;
              break;
            }
        }
      if (fds[1].revents != 0)
        {
          char byte;

          /* The workbench never writes: readable means end of file (or a
           * stray byte, which is read and ignored). */
          if (!(fds[1].revents & POLLIN) || read (lifeline, &byte, 1) <= 0)
            {
              kill_descendants (child, &status, &reaped);
              /* Nobody waits for us any more: end as the parent-death
               * signal would have ended us. */
              end_like (W_EXITCODE (0, SIGKILL));
            }
        }
    }

  /* The program ended: what it left behind goes too, as the workbench
   * always did with the orphans of a child. */
  kill_descendants (child, &status, &reaped);
  end_like (reaped ? status : W_EXITCODE (127, 0));
  return 127;
}
